/*
 * timeutil.h - instants, local dates, durations and working-day deadlines.
 *
 * An instant is seconds since the Unix epoch (cp_time).  Local dates and
 * clock times are in a zone given as a value (struct cp_tz, tz.h: the
 * policy's p->tz) to every function that needs one; nothing here reads or
 * sets the TZ variable, so zones can be used side by side.
 */
#ifndef COMPLAINT_TIMEUTIL_H
#define COMPLAINT_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t cp_time;
#define CP_TIME_NONE INT64_MIN
#define CP_TIME_BUF 32

struct cp_tz;

/*
 * Is name a plain IANA zone this machine knows: UTC, or a name such as
 * Asia/Shanghai whose file under the zoneinfo folder ($TZDIR, else
 * /usr/share/zoneinfo) is a TZif file without leap seconds?  'right/'
 * zones (leap seconds: every time 27 s off), 'posix/' copies,
 * 'posixrules', 'localtime', links out of the folder, paths and POSIX TZ
 * strings are refused.  Returns 0 or -CP_EDATA saying why.
 */
int cp_tz_check(const char *name);
bool cp_tz_known(const char *name);

/*
 * The years the store can hold: case files live in cases/YYYY/MM/ by the
 * local month received, so the local year has four digits, and git
 * records no commit before the Unix epoch.  An instant the store can
 * hold is at or after 1970-01-01T00:00:00Z and falls in a local year from
 * CP_YEAR_MIN to CP_YEAR_MAX (so up to 9999-12-31T23:59:59 local).
 */
#define CP_YEAR_MIN 1970
#define CP_YEAR_MAX 9999
/* 0, or -CP_EUSAGE saying that t is outside those years. */
int cp_time_in_range(const struct cp_tz *z, cp_time t);

/*
 * Parse ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH:MM|+HHMM|+HH].
 * A time without an offset is local (in z); a date alone is its local midnight.
 * Fractions of a second are dropped.  A time outside the years the store
 * can hold (cp_time_in_range) is refused too.  Returns 0 or -CP_EUSAGE.
 */
int cp_time_parse(cp_time *out, const struct cp_tz *z, const char *s);
/*
 * A time a person types, read against now (the caller's clock, or the
 * --now it was given):
 *   ISO 8601                 as cp_time_parse()
 *   now
 *   HH:MM[:SS], H:MM         that clock time today (the local day of now)
 *   today HH:MM, yesterday HH:MM
 *   -Nm, -Nh                 N minutes, hours before now
 *   -Nd                      the same clock time N calendar days before
 * all in the local zone z (the policy's).  A result outside the years the
 * store holds is refused.  Returns 0 or -CP_EUSAGE naming the forms.
 */
int cp_time_parse_at(cp_time *out, const struct cp_tz *z, const char *s, cp_time now);
/* Same, for a date alone: YYYY-MM-DD (years 1970 to 9999) to a day number. */
int cp_date_parse(int32_t *day, const char *s);
/* YYYY-MM to the first day and the last day of the month. */
int cp_month_parse(int32_t *first, int32_t *last, const char *s);

/* 2026-11-22T14:05:00+08:00, in zone z. */
void cp_time_fmt(char out[CP_TIME_BUF], const struct cp_tz *z, cp_time t);
/* 2026-11-22 */
void cp_day_fmt(char out[CP_TIME_BUF], int32_t day);

/* Days since 1970-01-01 of a civil date, and back. */
int32_t cp_days_from_civil(int y, int m, int d);
void cp_civil_from_days(int *y, int *m, int *d, int32_t day);
/* 0 = Sunday ... 6 = Saturday */
int cp_weekday(int32_t day);

/*
 * The local date of an instant in zone z, and the instant of a local date
 * and time there (in a gap or an overlap of a clock change, the instant
 * cp_tz_from_local() gives: glibc's mktime() in a fresh process).
 */
int32_t cp_local_day(const struct cp_tz *z, cp_time t);
cp_time cp_local_time(const struct cp_tz *z, int32_t day, int hour, int min, int sec);

enum cp_unit { CP_MINUTES, CP_HOURS, CP_DAYS, CP_WORKDAYS };
struct cp_duration {
	long n;
	enum cp_unit unit;
};

/* Nm, Nh, Nd, Nwd.  Returns 0 or -CP_EUSAGE. */
int cp_duration_parse(struct cp_duration *out, const char *s);
void cp_duration_fmt(char out[CP_TIME_BUF], const struct cp_duration *d);

struct cp_calendar {
	unsigned workdays;	/* bit w set: weekday w (0 = Sunday) works */
	int32_t *holidays;	/* sorted day numbers that are not working days */
	size_t nholidays;
	int32_t *extra;		/* sorted day numbers that are working days */
	size_t nextra;
	int *years;		/* sorted years the calendar publishes */
	size_t nyears;
};

bool cp_workday(const struct cp_calendar *cal, int32_t day);
/* Does the calendar publish holidays for the year of this day? */
bool cp_calendar_covers(const struct cp_calendar *cal, int32_t day);

/*
 * start + d.  Minutes and hours are exact; Nd is the same local clock time
 * N calendar days later; Nwd is 23:59:59 local on the Nth working day after
 * the day start falls on (local: in zone z).
 */
cp_time cp_time_add(const struct cp_tz *z, const struct cp_calendar *cal, cp_time start,
		    const struct cp_duration *d);

#endif
