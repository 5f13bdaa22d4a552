/*
 * name.c - the one rule for names: NFC, no surrounding white space, no
 * invisible characters.  Unicode data (normalisation, general categories,
 * default-ignorable code points) comes from utf8proc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "complaint/error.h"
#include "complaint/name.h"
#include "complaint/sbuf.h"
#include "utf8.h"
#include "complaint/i18n.h"

/* White space a name may have around it or between its words. */
static bool is_space(uint32_t c)
{
	return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ZS;
}

/* Control, format or invisible: never part of a name. */
static bool is_invisible(uint32_t c)
{
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c);

	switch (p->category) {
	case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		break;
	}
	if (p->ignorable)		/* Default_Ignorable_Code_Point: U+115F, U+3164, VS... */
		return true;
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return true;		/* non-characters */
	return c == 0x2800;		/* braille blank: shows as nothing */
}

/* The name as a message may show it: invisible characters as <U+XXXX>. */
static void shown(struct cp_sbuf *sb, const char *s, size_t n)
{
	size_t i, k;
	uint32_t c;

	for (i = 0; i < n && sb->len < 200; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		if (!k) {
			cp_sbuf_addf(sb, "\\x%02x", (unsigned char)s[i]);
			k = 1;
		} else if (is_invisible(c) || (is_space(c) && c != ' ')) {
			cp_sbuf_addf(sb, "<U+%04X>", (unsigned)c);
		} else {
			cp_sbuf_add(sb, s + i, k);
		}
	}
	if (i < n)
		cp_sbuf_adds(sb, "...");
}

static int refuse(const char *s, size_t n, const char *why)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	int r;

	shown(&sb, s, n);
	r = cp_error(CP_EUSAGE, "'%s' %s", sb.buf ? sb.buf : "", why);
	cp_sbuf_release(&sb);
	return r;
}

int cp_name_norm(char **out, bool *changed, const char *s, size_t n)
{
	struct cp_sbuf t = CP_SBUF_INIT;
	utf8proc_uint8_t *nfc;
	size_t i, k;
	uint32_t c;
	bool gap = false;
	char why[256];

	*out = NULL;
	if (cp_utf8_invalid_at(s, n) < n || memchr(s, '\0', n))
		return refuse(s, n, _("is not valid UTF-8 text"));
	for (i = 0; i < n; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		if (is_invisible(c)) {
			snprintf(why, sizeof(why),
				 "holds U+%04X, a control, format or invisible character (a name holds none: no tab, zero-width space, byte order mark, bidi control...)",
				 (unsigned)c);
			cp_sbuf_release(&t);
			return refuse(s, n, why);
		}
		if (is_space(c)) {
			gap = t.len > 0;
			continue;
		}
		if (gap)
			cp_sbuf_addch(&t, ' ');
		gap = false;
		cp_sbuf_add(&t, s + i, k);
	}
	if (!t.len) {
		cp_sbuf_release(&t);
		return refuse(s, n, _("is not a name (it is empty or only white space)"));
	}
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)t.buf);
	cp_sbuf_release(&t);
	if (!nfc)
		return cp_error(CP_ESYS, _("out of memory"));
	if (strlen((char *)nfc) > CP_NAME_MAX) {
		free(nfc);
		snprintf(why, sizeof(why), "is too long for a name (more than %d bytes)",
			 CP_NAME_MAX);
		return refuse(s, n, why);
	}
	if (changed)
		*changed = strlen((char *)nfc) != n || memcmp(nfc, s, n);
	*out = (char *)nfc;
	return 0;
}

int cp_actor_norm(char **out, bool *changed, const char *s, size_t n)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t start = 0, i;
	char *part;
	int r;

	*out = NULL;
	if (memchr(s, '<', n) || memchr(s, '>', n))
		return refuse(s, n, _("may not hold '<' or '>' (it is the git author)"));
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		if ((r = cp_name_norm(&part, NULL, s + start, i - start)) < 0) {
			cp_sbuf_release(&sb);
			if (memchr(s, '/', n) && strstr(cp_errmsg(), _("is not a name (it is empty or only white space)")))
				return refuse(s, n, _("is not Unit/Name: each side of '/' must be a name"));
			return r;
		}
		if (sb.len)
			cp_sbuf_addch(&sb, '/');
		cp_sbuf_adds(&sb, part);
		free(part);
		start = i + 1;
	}
	if (sb.len > CP_NAME_MAX) {
		cp_sbuf_release(&sb);
		return refuse(s, n, _("is too long for an actor (more than 128 bytes)"));
	}
	if (changed)
		*changed = sb.len != n || memcmp(sb.buf, s, n);
	*out = cp_sbuf_detach(&sb, NULL);
	return 0;
}
