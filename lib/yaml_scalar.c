/*
 * yaml_scalar.c - how plain scalars resolve, and how we write strings so
 * that every YAML 1.1 and 1.2 reader reads them back unchanged.
 *
 * This file does not include <yaml.h>: the writer is ours, because
 * libyaml's emitter leaves `yes`, `null`, `0123` or `2024-01-05` unquoted.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "complaint/error.h"
#include "utf8.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static int ieq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncasecmp(s, word, n);
}

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* YYYY-M[M]-D[D] at the start: a YAML 1.1 timestamp (date or date-time). */
static int timestamp_like(const char *s, size_t n)
{
	size_t i = 0, k;

	for (k = 0; k < 4; k++, i++)
		if (i >= n || !isdig(s[i]))
			return 0;
	if (i >= n || s[i++] != '-')
		return 0;
	for (k = 0; i < n && isdig(s[i]) && k < 2; k++, i++)
		;
	if (!k || i >= n || s[i++] != '-')
		return 0;
	for (k = 0; i < n && isdig(s[i]) && k < 2; k++, i++)
		;
	return k > 0;
}

/*
 * Generous on purpose: anything that looks like an int or float in any
 * base, with underscores, exponents or YAML 1.1 sexagesimal colons.
 */
static int number_like(const char *s, size_t n)
{
	size_t i;
	int digits = 0;
	const char *p = s;
	size_t m = n;

	if (m && (*p == '+' || *p == '-')) {
		p++;
		m--;
	}
	if (ieq(p, m, ".inf") || ieq(p, m, ".nan"))
		return 1;
	if (!n || !(isdig(s[0]) || s[0] == '+' || s[0] == '-' || s[0] == '.'))
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (isdig(c))
			digits++;
		else if (!strchr("_.+-:eExXoObBaAcCdDfF", c))
			return 0;
	}
	return digits > 0;
}

enum cp_yplain cp_yaml_resolve_plain(const char *s, size_t n)
{
	static const char *const bools[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", NULL
	};
	int i;

	if (!n || ieq(s, n, "~") || ieq(s, n, "null"))
		return CP_YP_NULL;
	for (i = 0; bools[i]; i++)
		if (ieq(s, n, bools[i]))
			return CP_YP_BOOL;
	if ((n == 2 && !memcmp(s, "<<", 2)) || (n == 1 && s[0] == '='))
		return CP_YP_SPECIAL;
	if (timestamp_like(s, n))
		return CP_YP_TIMESTAMP;
	if (number_like(s, n)) {
		for (i = 0; i < (int)n; i++)
			if (strchr(".eEnN", s[i]))
				return CP_YP_FLOAT;
		return CP_YP_INT;
	}
	return CP_YP_STR;
}

int cp_yaml_text_check(const char *s, size_t n, const char *what)
{
	size_t bad;

	if (memchr(s, '\0', n))
		return cp_error(CP_EUSAGE, _("%s contains a NUL byte"), what);
	bad = cp_utf8_invalid_at(s, n);
	if (bad < n)
		return cp_error(CP_EUSAGE,
				_("%s is not valid UTF-8 at byte %zu (surrogates and code points above U+10FFFF are refused too)"),
				what, bad);
	return 0;
}

/*
 * Code points a YAML reader refuses raw, or that change meaning: C0 and
 * C1 controls, DEL, the YAML 1.1 line breaks NEL, LS and PS, the byte
 * order mark and the non-characters U+FFFE and U+FFFF.  Tab and line feed
 * are handled by the callers.
 */
static int special_cp(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
	       c == 0x2029 || c == 0xfeff || c == 0xfffe || c == 0xffff;
}

static int plain_ok(const char *s, size_t n, enum cp_yw_ctx ctx)
{
	size_t i, k;
	uint32_t c;

	if (!n || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`~+.=<", s[0]) || isdig(s[0]))
		return 0;
	if (cp_yaml_resolve_plain(s, n) != CP_YP_STR)
		return 0;
	if (s[n - 1] == ':')
		return 0;
	for (i = 0; i < n; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		if (!k || special_cp(c) || c == '\t')
			return 0;
		if (c == ':' && (i + 1 == n || s[i + 1] == ' ' || ctx == CP_YW_FLOW))
			return 0;
		if (c == '#' && i > 0 && s[i - 1] == ' ')
			return 0;
		if (ctx == CP_YW_FLOW && strchr(",[]{}", (int)c))
			return 0;
	}
	return 1;
}

/*
 * A literal block keeps multi-line text readable in a diff.  It is used
 * only when it reads back exactly: no carriage returns or other special
 * characters, no leading space or empty first line (indentation would be
 * guessed from it), and no line made only of blanks.
 */
static int literal_ok(const char *s, size_t n)
{
	size_t i, k, linestart = 0;
	uint32_t c;
	int blank = 1;

	if (!memchr(s, '\n', n) || s[0] == ' ' || s[0] == '\n' || s[0] == '\t')
		return 0;
	for (i = 0; i < n; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		if (!k)
			return 0;
		if (c == '\n') {
			if (blank && i > linestart)
				return 0;
			linestart = i + 1;
			blank = 1;
			continue;
		}
		if (special_cp(c) && c != '\t')
			return 0;
		if (c != ' ' && c != '\t')
			blank = 0;
	}
	if (blank && n > linestart)
		return 0;
	return 1;
}

static void write_literal(struct cp_sbuf *sb, const char *s, size_t n, int indent)
{
	size_t trail = 0, i, start;

	while (trail < n && s[n - 1 - trail] == '\n')
		trail++;
	cp_sbuf_adds(sb, trail == 0 ? "|-" : trail == 1 ? "|" : "|+");
	start = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n')
			continue;
		if (i == n && start == n)
			break;
		cp_sbuf_addch(sb, '\n');
		if (i > start) {
			cp_sbuf_addchars(sb, ' ', (size_t)indent + 2);
			cp_sbuf_add(sb, s + start, i - start);
		}
		start = i + 1;
	}
}

static void write_double(struct cp_sbuf *sb, const char *s, size_t n)
{
	size_t i, k;
	uint32_t c;

	cp_sbuf_addch(sb, '"');
	for (i = 0; i < n; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		if (!k) {	/* cannot happen after cp_yaml_text_check() */
			k = 1;
			cp_sbuf_addf(sb, "\\x%02X", (unsigned char)s[i]);
			continue;
		}
		switch (c) {
		case '"': cp_sbuf_adds(sb, "\\\""); continue;
		case '\\': cp_sbuf_adds(sb, "\\\\"); continue;
		case '\n': cp_sbuf_adds(sb, "\\n"); continue;
		case '\t': cp_sbuf_adds(sb, "\\t"); continue;
		case '\r': cp_sbuf_adds(sb, "\\r"); continue;
		case 0x85: cp_sbuf_adds(sb, "\\N"); continue;
		case 0x2028: cp_sbuf_adds(sb, "\\L"); continue;
		case 0x2029: cp_sbuf_adds(sb, "\\P"); continue;
		}
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			cp_sbuf_addf(sb, "\\x%02X", (unsigned)c);
		else if (special_cp(c))
			cp_sbuf_addf(sb, "\\u%04X", (unsigned)c);
		else
			cp_sbuf_add(sb, s + i, k);
	}
	cp_sbuf_addch(sb, '"');
}

void cp_yw_scalar(struct cp_sbuf *sb, const char *s, size_t n, enum cp_yw_ctx ctx,
	       int indent)
{
	if (plain_ok(s, n, ctx))
		cp_sbuf_add(sb, s, n);
	else if (ctx == CP_YW_BLOCK && literal_ok(s, n))
		write_literal(sb, s, n, indent);
	else
		write_double(sb, s, n);
}

void cp_yw_str(struct cp_sbuf *sb, const char *s, enum cp_yw_ctx ctx, int indent)
{
	cp_yw_scalar(sb, s, strlen(s), ctx, indent);
}
