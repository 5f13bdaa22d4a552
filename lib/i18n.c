/*
 * i18n.c - report languages and their built-in catalogues (.mo files,
 * looked up here so that no locale of the caller's plays a part).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "complaint/error.h"
#include "complaint/i18n.h"

static const char *const tags[CP_LANG__COUNT] = { "en", "zh-CN" };

int cp_lang_parse(enum cp_lang *out, const char *s)
{
	if (!strcasecmp(s, "en") || !strcasecmp(s, "C"))
		*out = CP_LANG_EN;
	else if (!strcasecmp(s, "zh-CN") || !strcasecmp(s, "zh_CN") || !strcasecmp(s, "zh"))
		*out = CP_LANG_ZH_CN;
	else
		return cp_error(CP_EUSAGE, _("unknown language '%s' (zh-CN or en)"), s);
	return 0;
}

const char *cp_lang_tag(enum cp_lang lang)
{
	return (unsigned)lang < CP_LANG__COUNT ? tags[lang] : tags[0];
}

/* a .mo file: header, then two tables of (length, offset) pairs */
struct mo {
	const unsigned char *p;
	size_t len;
	uint32_t n, orig, trans;
	int swap;
};

static struct mo catalogs[CP_LANG__COUNT];

static uint32_t get32(const struct mo *m, size_t off)
{
	uint32_t v;

	memcpy(&v, m->p + off, 4);
	if (m->swap)
		v = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24);
	return v;
}

/* string i of the table at tab: NULL when it does not lie in the file */
static const char *str(const struct mo *m, uint32_t tab, uint32_t i, uint32_t *len)
{
	size_t at = (size_t)tab + (size_t)i * 8;
	uint32_t l, off;

	if (at + 8 > m->len)
		return NULL;
	l = get32(m, at);
	off = get32(m, at + 4);
	if ((size_t)off + l + 1 > m->len || m->p[off + l] != '\0')
		return NULL;
	*len = l;
	return (const char *)m->p + off;
}

int cp_tr_catalog(enum cp_lang lang, const void *mo, size_t len)
{
	struct mo m;

	memset(&m, 0, sizeof(m));
	m.p = mo;
	m.len = len;
	if ((unsigned)lang >= CP_LANG__COUNT || len < 28)
		return cp_error(CP_EDATA, _("not a message catalogue"));
	if (!memcmp(mo, "\xde\x12\x04\x95", 4))
		m.swap = 0;
	else if (!memcmp(mo, "\x95\x04\x12\xde", 4))
		m.swap = 1;
	else
		return cp_error(CP_EDATA, _("not a message catalogue"));
	/* the magic reads 0x950412de in the file's byte order */
	if (get32(&m, 0) != 0x950412de) {
		m.swap = !m.swap;
		if (get32(&m, 0) != 0x950412de)
			return cp_error(CP_EDATA, _("not a message catalogue"));
	}
	m.n = get32(&m, 8);
	m.orig = get32(&m, 12);
	m.trans = get32(&m, 16);
	if ((size_t)m.orig + (size_t)m.n * 8 > len || (size_t)m.trans + (size_t)m.n * 8 > len)
		return cp_error(CP_EDATA, _("not a message catalogue"));
	catalogs[lang] = m;
	return 0;
}

/* the translation of key (msgid, or msgid NUL plural) in m, or NULL */
static const char *lookup(const struct mo *m, const char *key, uint32_t *tlen)
{
	uint32_t lo = 0, hi = m->n, len;

	/* msgfmt sorts the msgids (by bytes): a binary search */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s = str(m, m->orig, mid, &len);
		int c;

		if (!s)
			return NULL;
		c = strcmp(key, s);
		if (!c) {
			const char *t = str(m, m->trans, mid, tlen);

			return t && *tlen ? t : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *cp_tr(enum cp_lang lang, const char *s)
{
	const char *t;
	uint32_t len;

	if ((unsigned)lang >= CP_LANG__COUNT || lang == CP_LANG_EN || !catalogs[lang].p || !*s)
		return s;
	t = lookup(&catalogs[lang], s, &len);
	return t ? t : s;
}

const char *cp_trn(enum cp_lang lang, const char *s, const char *plural, unsigned long n)
{
	const char *t;
	uint32_t len;

	if ((unsigned)lang >= CP_LANG__COUNT || lang == CP_LANG_EN || !catalogs[lang].p)
		return n == 1 ? s : plural;
	/* a plural entry's msgid is the singular; Chinese has one form */
	t = lookup(&catalogs[lang], s, &len);
	return t ? t : n == 1 ? s : plural;
}
