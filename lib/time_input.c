/*
 * time_input.c - times a person types: 14:00, 'yesterday 14:00', -15m,
 * as well as ISO 8601 (see cp_time_parse_at in timeutil.h).
 */
#include <ctype.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/number.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"
#include "complaint/i18n.h"

#define FORMS "ISO 8601 as 2026-11-22T14:05, or 14:05, 'yesterday 14:05', 'today 9:30', now, -15m, -2h, -1d"

static int bad(const char *s)
{
	return cp_error(CP_EUSAGE, _("malformed time '%s' (expected %s)"), s, FORMS);
}

/* H:MM or HH:MM[:SS], the whole of s */
static int clock_time(const char *s, int *h, int *m, int *sec)
{
	const char *p = s;
	int n;

	*h = *m = *sec = 0;
	for (n = 0; isdigit((unsigned char)*p) && n < 2; n++)
		*h = *h * 10 + (*p++ - '0');
	if (!n || *p++ != ':')
		return -1;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	*m = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return -1;
		*sec = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (*p || *h > 23 || *m > 59 || *sec > 59)
		return -1;
	return 0;
}

static int in_range(const struct cp_tz *z, const char *s, cp_time t, cp_time *out)
{
	if (cp_time_in_range(z, t) < 0)
		return cp_error_wrap("'%s'", s);
	*out = t;
	return 0;
}

int cp_time_parse_at(cp_time *out, const struct cp_tz *z, const char *s, cp_time now)
{
	int h, m, sec;
	int32_t day;
	int64_t n;
	size_t len = strlen(s);
	const char *rest;

	/* ISO 8601 first: it starts with a four-digit year */
	if (len >= 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-')
		return cp_time_parse(out, z, s);
	if (!strcmp(s, "now"))
		return in_range(z, s, now, out);
	/* -15m, -2h, -1d: before now */
	if (s[0] == '-' && len >= 3 && strchr("mhd", s[len - 1])) {
		if (cp_parse_int(&n, s + 1, len - 2, 1, 10000000) < 0)
			return bad(s);
		switch (s[len - 1]) {
		case 'm':
			return in_range(z, s, now - n * 60, out);
		case 'h':
			return in_range(z, s, now - n * 3600, out);
		default: {
			/* the same clock time, n calendar days earlier */
			int64_t local = now + cp_tz_offset(z, now);

			if (n > 4000000)
				return bad(s);
			return in_range(z, s, cp_tz_from_local(z, local - n * 86400), out);
		}
		}
	}
	/* [today |yesterday ]HH:MM[:SS]: that clock time on the local day */
	day = cp_local_day(z, now);
	rest = s;
	if (!strncmp(s, "today ", 6)) {
		rest = s + 6;
	} else if (!strncmp(s, "yesterday ", 10)) {
		rest = s + 10;
		day--;
	}
	if (clock_time(rest, &h, &m, &sec) < 0)
		return bad(s);
	return in_range(z, s, cp_local_time(z, day, h, m, sec), out);
}
