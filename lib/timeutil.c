#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "complaint/number.h"
#include "complaint/timeutil.h"
#include "complaint/i18n.h"
#include "complaint/tz.h"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The leap-second records of a TZif file (RFC 8536), in its version 1
 * header and, from version 2 on, in the second header; -1 when buf is
 * not TZif.
 */
static long tzif_leaps(const unsigned char *buf, size_t n)
{
	uint32_t isut, isstd, leap, timecnt, type, chars;
	size_t body;
	long leaps;

	if (n < 44 || memcmp(buf, "TZif", 4))
		return -1;
	isut = be32(buf + 20);
	isstd = be32(buf + 24);
	leap = be32(buf + 28);
	timecnt = be32(buf + 32);
	type = be32(buf + 36);
	chars = be32(buf + 40);
	leaps = (long)leap;
	if (buf[4] == '\0')
		return leaps;
	body = (size_t)timecnt * 5 + (size_t)type * 6 + chars + (size_t)leap * 8 +
	       isstd + isut;
	if (body > n - 44 || n - 44 - body < 44 || memcmp(buf + 44 + body, "TZif", 4))
		return -1;
	return leaps + (long)be32(buf + 44 + body + 28);
}

int cp_tz_check(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096], real[PATH_MAX], realdir[PATH_MAX];
	unsigned char buf[65536];
	const char *p, *part;
	struct stat st;
	ssize_t n;
	long leaps;
	int fd;

	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if (!strcmp(name, "UTC"))
		return 0;
	if (!*name || strlen(name) > 200)
		return cp_error(CP_EDATA, _("'%s' is not a timezone name"), name);
	for (part = p = name;; p++) {
		if (*p == '/' || !*p) {
			if (p == part || *part == '.' || *part == '-')
				return cp_error(CP_EDATA,
						_("'%s' is not an IANA timezone name such as Asia/Shanghai"),
						name);
			if (!*p)
				break;
			part = p + 1;
		} else if (!(isalnum((unsigned char)*p) || strchr("_-+", *p))) {
			return cp_error(CP_EDATA,
					_("'%s' is not an IANA timezone name such as Asia/Shanghai"),
					name);
		}
	}
	if (!strncmp(name, "right/", 6))
		return cp_error(CP_EDATA,
				_("'%s' counts leap seconds (a 'right/' zone): every time would be off by them (27 s today); use '%s'"),
				name, name + 6);
	if (!strncmp(name, "posix/", 6))
		return cp_error(CP_EDATA,
				_("'%s' is a copy of a zone, not a plain IANA zone name; use '%s'"),
				name, name + 6);
	if (!strcmp(name, "posixrules") || !strcmp(name, "localtime"))
		return cp_error(CP_EDATA,
				_("'%s' is the system's alias, not a plain IANA zone name; name the zone (such as Asia/Shanghai)"),
				name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* under the zoneinfo folder itself, not a link out of it */
	if (!realpath(dir, realdir) || !realpath(path, real) ||
	    strncmp(real, realdir, strlen(realdir)) || real[strlen(realdir)] != '/')
		return cp_error(CP_EDATA,
				_("unknown timezone '%s' (an IANA name such as Asia/Shanghai under %s; is tzdata installed?)"),
				name, dir);
	fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return cp_error(CP_EDATA,
				_("unknown timezone '%s' (an IANA name such as Asia/Shanghai under %s; is tzdata installed?)"),
				name, dir);
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	leaps = n > 0 ? tzif_leaps(buf, (size_t)n) : -1;
	if (leaps < 0)
		return cp_error(CP_EDATA, _("'%s' is not a timezone: %s is not a TZif file"),
				name, real);
	if (leaps > 0)
		return cp_error(CP_EDATA,
				_("timezone '%s' counts %ld leap seconds: every time would be off by them; use a zone without them (the same name without 'right/')"),
				name, leaps);
	return 0;
}

bool cp_tz_known(const char *name)
{
	return cp_tz_check(name) == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* instants are taken within 2^56 s of 1970, far past any calendar */
#define TIME_RANGE ((int64_t)1 << 56)

static cp_time clamp(cp_time t)
{
	return t < -TIME_RANGE ? -TIME_RANGE : t > TIME_RANGE ? TIME_RANGE : t;
}

int32_t cp_local_day(const struct cp_tz *z, cp_time t)
{
	t = clamp(t);
	return (int32_t)floor_div(t + cp_tz_offset(z, t), 86400);
}

cp_time cp_local_time(const struct cp_tz *z, int32_t day, int hour, int min, int sec)
{
	return cp_tz_from_local(z, (int64_t)day * 86400 + (int64_t)hour * 3600 + min * 60 + sec);
}

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int bad_time(const char *s)
{
	return cp_error(CP_EUSAGE,
			_("malformed time '%s' (expected ISO 8601, e.g. 2026-11-22T14:05 or 2026-11-22T14:05:00+08:00)"),
			s);
}

static int out_of_years(const char *what, const char *s)
{
	return cp_error(CP_EUSAGE,
			_("%s%s%s%sit is outside the years the store can hold (from 1970-01-01T00:00:00Z, the earliest time git records, to %d-12-31T23:59:59 in the policy's timezone)"),
			what, *what ? " '" : "", s, *what ? "': " : "", CP_YEAR_MAX);
}

int cp_time_in_range(const struct cp_tz *z, cp_time t)
{
	int y, m, d;

	if (t >= 0 && t < ((int64_t)1 << 40)) {
		cp_civil_from_days(&y, &m, &d, cp_local_day(z, t));
		if (y >= CP_YEAR_MIN && y <= CP_YEAR_MAX)
			return 0;
	}
	return out_of_years("", "");
}

static int parse_ymd(const char **pp, int *y, int *m, int *d)
{
	const char *p = *pp;

	if (digits(&p, 4, y) || *p++ != '-' || digits(&p, 2, m) || *p++ != '-' ||
	    digits(&p, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	if (*y < CP_YEAR_MIN || *y > CP_YEAR_MAX)
		return -2;	/* well formed, but not a year the store holds */
	*pp = p;
	return 0;
}

int cp_date_parse(int32_t *day, const char *s)
{
	const char *p = s;
	int y, m, d, r = parse_ymd(&p, &y, &m, &d);

	if (r == -2)
		return out_of_years("date", s);
	if (r || *p)
		return cp_error(CP_EUSAGE, _("malformed date '%s' (expected YYYY-MM-DD)"), s);
	*day = cp_days_from_civil(y, m, d);
	return 0;
}

int cp_month_parse(int32_t *first, int32_t *last, const char *s)
{
	const char *p = s;
	int y, m;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &m) || *p ||
	    m < 1 || m > 12)
		return cp_error(CP_EUSAGE, _("malformed month '%s' (expected YYYY-MM)"), s);
	if (y < CP_YEAR_MIN || y > CP_YEAR_MAX)
		return out_of_years("month", s);
	*first = cp_days_from_civil(y, m, 1);
	*last = cp_days_from_civil(y, m, days_in_month(y, m));
	return 0;
}

int cp_time_parse(cp_time *out, const struct cp_tz *z, const char *s)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om = 0, sign;
	int has_off = 0, off = 0, r;
	int32_t day;

	if ((r = parse_ymd(&p, &y, &mo, &d)) == -2)
		return out_of_years("time", s);
	if (r)
		return bad_time(s);
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return bad_time(s);
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return bad_time(s);
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return bad_time(s);
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return bad_time(s);
		if (*p == 'Z' || *p == 'z') {
			p++;
			has_off = 1;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh))
				return bad_time(s);
			if (*p == ':') {
				p++;
				if (digits(&p, 2, &om))
					return bad_time(s);
			} else if (isdigit((unsigned char)*p)) {
				if (digits(&p, 2, &om))
					return bad_time(s);
			}
			if (oh > 18 || om > 59)
				return bad_time(s);
			has_off = 1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p)
		return bad_time(s);
	day = cp_days_from_civil(y, mo, d);
	if (has_off)
		*out = (cp_time)day * 86400 + h * 3600 + mi * 60 + sec - off;
	else
		*out = cp_local_time(z, day, h, mi, sec);
	if (cp_time_in_range(z, *out) < 0)
		return out_of_years("time", s);
	return 0;
}

void cp_time_fmt(char out[CP_TIME_BUF], const struct cp_tz *z, cp_time t)
{
	int64_t local, sod;
	long off;
	char sign = '+';
	int y, m, d;

	t = clamp(t);
	off = cp_tz_offset(z, t);
	local = t + off;
	sod = local - floor_div(local, 86400) * 86400;
	cp_civil_from_days(&y, &m, &d, (int32_t)floor_div(local, 86400));
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	snprintf(out, CP_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", y, m, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), sign, off / 3600,
		 off % 3600 / 60);
}

void cp_day_fmt(char out[CP_TIME_BUF], int32_t day)
{
	int y, m, d;

	cp_civil_from_days(&y, &m, &d, day);
	snprintf(out, CP_TIME_BUF, "%04d-%02d-%02d", y, m, d);
}

int cp_duration_parse(struct cp_duration *out, const char *s)
{
	const char *p = s;
	int64_t n;

	while (isdigit((unsigned char)*p))
		p++;
	if (cp_parse_int(&n, s, (size_t)(p - s), 0, 100000) < 0)
		goto bad;
	if (!strcmp(p, "m"))
		out->unit = CP_MINUTES;
	else if (!strcmp(p, "h"))
		out->unit = CP_HOURS;
	else if (!strcmp(p, "d"))
		out->unit = CP_DAYS;
	else if (!strcmp(p, "wd"))
		out->unit = CP_WORKDAYS;
	else
		goto bad;
	out->n = (long)n;
	return 0;
bad:
	return cp_error(CP_EUSAGE,
			_("malformed duration '%s' (expected Nm, Nh, Nd or Nwd with N from 0 to 100000 without leading zeros, e.g. 10m, 12h, 7d, 2wd)"),
			s);
}

void cp_duration_fmt(char out[CP_TIME_BUF], const struct cp_duration *d)
{
	static const char *const units[] = { "m", "h", "d", "wd" };

	snprintf(out, CP_TIME_BUF, "%ld%s", d->n, units[d->unit]);
}

static bool in_sorted(const int32_t *v, size_t n, int32_t day)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid] < day)
			lo = mid + 1;
		else if (v[mid] > day)
			hi = mid;
		else
			return true;
	}
	return false;
}

bool cp_workday(const struct cp_calendar *cal, int32_t day)
{
	if (in_sorted(cal->extra, cal->nextra, day))
		return true;
	if (in_sorted(cal->holidays, cal->nholidays, day))
		return false;
	return (cal->workdays >> cp_weekday(day)) & 1;
}

bool cp_calendar_covers(const struct cp_calendar *cal, int32_t day)
{
	int y, m, d;
	size_t i;

	cp_civil_from_days(&y, &m, &d, day);
	for (i = 0; i < cal->nyears; i++)
		if (cal->years[i] == y)
			return true;
	return false;
}

cp_time cp_time_add(const struct cp_tz *z, const struct cp_calendar *cal, cp_time start,
		    const struct cp_duration *d)
{
	int32_t day, start_day;
	int64_t local;
	long k;

	switch (d->unit) {
	case CP_MINUTES:
		return start + (cp_time)d->n * 60;
	case CP_HOURS:
		return start + (cp_time)d->n * 3600;
	case CP_DAYS:
		/* the same local clock time, n calendar days on */
		start = clamp(start);
		local = start + cp_tz_offset(z, start);
		return cp_tz_from_local(z, local + (int64_t)d->n * 86400);
	case CP_WORKDAYS:
		day = start_day = cp_local_day(z, start);
		if (!cal->workdays && !cal->nextra)
			return cp_local_time(z, day + (int32_t)d->n, 23, 59, 59);
		for (k = 0; k < d->n;) {
			day++;
			if (day - start_day > 3660 + 2 * d->n)
				break;	/* a calendar with no working days */
			if (cp_workday(cal, day))
				k++;
		}
		return cp_local_time(z, day, 23, 59, 59);
	}
	return start;
}
