/*
 * tz_rule.c - the POSIX TZ string of a TZif footer (RFC 8536 section 3.3,
 * POSIX XBD 8.3 with the RFC's extensions: hours of a change time from
 * -167 to 167, so that America/Nuuk's <-02>2<-01>,M3.5.0/-1,M10.5.0/0
 * changes on Saturday 23:00).
 */
#include <stddef.h>
#include <string.h>

#include "complaint/timeutil.h"
#include "tz_rule.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A name: three or more letters, or <...> with letters, digits, + and -. */
static bool parse_abbr(const char **pp, char out[TZ_ABBR_MAX])
{
	const char *p = *pp;
	size_t n = 0;
	bool quoted = *p == '<';

	if (quoted)
		p++;
	while (is_alpha(*p) || (quoted && (is_digit(*p) || *p == '+' || *p == '-'))) {
		if (n + 1 >= TZ_ABBR_MAX)
			return false;
		out[n++] = *p++;
	}
	if (quoted && *p++ != '>')
		return false;
	if (n < 3)
		return false;
	out[n] = '\0';
	*pp = p;
	return true;
}

/* One to three digits, at most max. */
static bool parse_num(const char **pp, int max, int *out)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (is_digit(*p) && n < 3) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (!n || is_digit(*p) || v > max)
		return false;
	*pp = p;
	*out = v;
	return true;
}

/* [+-]hh[:mm[:ss]] with hh at most max_h, in seconds. */
static bool parse_hms(const char **pp, int max_h, int32_t *out)
{
	const char *p = *pp;
	int sign = 1, h, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!parse_num(&p, max_h, &h))
		return false;
	if (*p == ':') {
		p++;
		if (!parse_num(&p, 59, &m))
			return false;
		if (*p == ':') {
			p++;
			if (!parse_num(&p, 59, &s))
				return false;
		}
	}
	*pp = p;
	*out = sign * (h * 3600 + m * 60 + s);
	return true;
}

/* Jn, n or Mm.w.d, then [/time] (02:00 when absent). */
static bool parse_date(const char **pp, struct tz_date *dt)
{
	const char *p = *pp;

	if (*p == 'J') {
		p++;
		dt->kind = 'J';
		if (!parse_num(&p, 365, &dt->d) || dt->d < 1)
			return false;
	} else if (*p == 'M') {
		p++;
		dt->kind = 'M';
		if (!parse_num(&p, 12, &dt->m) || dt->m < 1 || *p++ != '.' ||
		    !parse_num(&p, 5, &dt->w) || dt->w < 1 || *p++ != '.' ||
		    !parse_num(&p, 6, &dt->d))
			return false;
	} else {
		dt->kind = 'n';
		if (!parse_num(&p, 365, &dt->d))
			return false;
	}
	dt->secs = 2 * 3600;
	if (*p == '/') {
		p++;
		if (!parse_hms(&p, 167, &dt->secs))
			return false;
	}
	*pp = p;
	return true;
}

bool cp_tz_rule_parse(struct cp_tz_rule *r, const char *s)
{
	const char *p = s;
	int32_t west;

	memset(r, 0, sizeof(*r));
	if (!parse_abbr(&p, r->std_abbr) || !parse_hms(&p, 24, &west))
		return false;
	r->std_off = -west;
	if (!*p)
		return true;
	r->has_dst = true;
	if (!parse_abbr(&p, r->dst_abbr))
		return false;
	r->dst_off = r->std_off + 3600;
	if (*p && *p != ',') {
		if (!parse_hms(&p, 24, &west))
			return false;
		r->dst_off = -west;
	}
	if (!*p) {
		/* no rule: POSIX leaves it to the system; glibc and tzcode use the US one */
		r->start = (struct tz_date){ 'M', 0, 3, 2, 2 * 3600 };
		r->end = (struct tz_date){ 'M', 0, 11, 1, 2 * 3600 };
		return true;
	}
	if (*p++ != ',' || !parse_date(&p, &r->start) || *p++ != ',' ||
	    !parse_date(&p, &r->end))
		return false;
	return !*p;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : dm[m - 1];
}

/* The instant of a change in year y, its time read at offset off. */
static int64_t change_at(const struct tz_date *dt, int y, int32_t off)
{
	int64_t day;

	if (dt->kind == 'J') {
		day = cp_days_from_civil(y, 1, 1) + dt->d - 1 + (dt->d >= 60 && leap_year(y));
	} else if (dt->kind == 'n') {
		day = cp_days_from_civil(y, 1, 1) + dt->d;
	} else {
		int32_t first = cp_days_from_civil(y, dt->m, 1);
		int k = (dt->d - cp_weekday(first) + 7) % 7 + 7 * (dt->w - 1);

		while (k >= month_days(y, dt->m))
			k -= 7;	/* week 5 is the last one, which may be the fourth */
		day = (int64_t)first + k;
	}
	return day * 86400 + dt->secs - off;
}

void cp_tz_rule_changes(int64_t *start, int64_t *end, const struct cp_tz_rule *r, int y)
{
	/* the start is read in standard time, the end in daylight-saving time */
	*start = change_at(&r->start, y, r->std_off);
	*end = change_at(&r->end, y, r->dst_off);
}

/* about 3 million years: day numbers stay within int32_t */
#define RULE_RANGE ((int64_t)1 << 46)

bool cp_tz_rule_isdst(const struct cp_tz_rule *r, int64_t t)
{
	int64_t start, end, day;
	int y, m, d;

	if (!r->has_dst)
		return false;
	if (t > RULE_RANGE)
		t = RULE_RANGE;
	if (t < -RULE_RANGE)
		t = -RULE_RANGE;
	day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	cp_civil_from_days(&y, &m, &d, (int32_t)day);
	cp_tz_rule_changes(&start, &end, r, y);
	if (start > end)	/* southern hemisphere: in force across the new year */
		return t < end || t >= start;
	return t >= start && t < end;
}
