/*
 * test_time.c - instants, durations and the working-day calendar
 * (include/complaint/timeutil.h).
 *
 * Expected instants are written as UTC civil times and converted with
 * timegm(), independently of the library.  Every test names its zone
 * (a handle, Z), so the machine's TZ does not matter.
 *
 * Weekdays used below (checked against a perpetual calendar):
 *   2025-12-31 Wed   2026-01-01 Thu   2026-01-04 Sun (make-up day)
 *   2026-02-13 Fri   2026-02-14 Sat (make-up)   2026-02-15 Sun
 *   2026-02-23 Mon   2026-02-24 Tue   2026-02-28 Sat (make-up)
 *   2026-04-30 Thu   2026-05-06 Wed   2026-05-09 Sat (make-up)
 *   2026-09-20 Sun (make-up)   2026-09-30 Wed   2026-10-01 Thu
 *   2026-10-08 Thu   2026-10-09 Fri   2026-10-10 Sat (make-up)
 *   2026-10-12 Mon   2026-11-19 Thu   2026-11-20 Fri   2026-11-22 Sun
 *   2026-12-31 Thu   2027-01-01 Fri   2027-01-04 Mon
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "complaint/error.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"

/* ---- helpers ---- */

static cp_time utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (cp_time)timegm(&tm);
}

static struct cp_tz *Z;

static void zone(const char *name)
{
	cp_tz_free(Z);
	Z = NULL;
	if (cp_tz_load(&Z, name) < 0)
		fail_msg("cp_tz_load(%s): %s", name, cp_errmsg());
}

static cp_time parse(const char *s)
{
	cp_time t = 0;

	if (cp_time_parse(&t, Z, s) < 0)
		fail_msg("cp_time_parse('%s') refused: %s", s, cp_errmsg());
	return t;
}

static void expect_time(const char *s, cp_time want)
{
	cp_time got = parse(s);

	if (got != want)
		fail_msg("cp_time_parse('%s') = %lld, want %lld (off by %lld s)", s,
			 (long long)got, (long long)want, (long long)(got - want));
}

static void expect_bad_time(const char *s)
{
	cp_time t = 0;
	int r = cp_time_parse(&t, Z, s);

	if (r != -CP_EUSAGE)
		fail_msg("cp_time_parse('%s') = %d, want -CP_EUSAGE", s, r);
	if (*s && !strstr(cp_errmsg(), s))
		fail_msg("message '%s' does not quote '%s'", cp_errmsg(), s);
}

static void expect_fmt(cp_time t, const char *want)
{
	char buf[CP_TIME_BUF];

	cp_time_fmt(buf, Z, t);
	assert_string_equal(buf, want);
}

static int32_t day(const char *s)
{
	int32_t d = 0;

	if (cp_date_parse(&d, s) < 0)
		fail_msg("cp_date_parse('%s'): %s", s, cp_errmsg());
	return d;
}

/* ---- the China 2026 calendar of SPEC section 4, built by hand ---- */

static const char *const holidays_2026[] = {
	"2026-01-01", "2026-01-02", "2026-01-03",
	"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
	"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
	"2026-04-04", "2026-04-05", "2026-04-06",
	"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
	"2026-06-19", "2026-06-20", "2026-06-21",
	"2026-09-25", "2026-09-26", "2026-09-27",
	"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
	"2026-10-06", "2026-10-07",
};

static const char *const extra_2026[] = {
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
	"2026-10-10",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int32_t hol_days[COUNT(holidays_2026)], extra_days[COUNT(extra_2026)];
static int years_2026[] = { 2026 };

static struct cp_calendar china(void)
{
	struct cp_calendar cal;
	size_t i;

	for (i = 0; i < COUNT(holidays_2026); i++)
		hol_days[i] = day(holidays_2026[i]);	/* listed in order */
	for (i = 0; i < COUNT(extra_2026); i++)
		extra_days[i] = day(extra_2026[i]);
	cal.workdays = 0x3e;	/* mon..fri: bits 1..5 */
	cal.holidays = hol_days;
	cal.nholidays = COUNT(holidays_2026);
	cal.extra = extra_days;
	cal.nextra = COUNT(extra_2026);
	cal.years = years_2026;
	cal.nyears = 1;
	return cal;
}

static struct cp_duration dur(const char *s)
{
	struct cp_duration d;

	if (cp_duration_parse(&d, s) < 0)
		fail_msg("cp_duration_parse('%s'): %s", s, cp_errmsg());
	return d;
}

/* start + duration, formatted in the current zone, must be want. */
static void expect_add(const struct cp_calendar *cal, const char *start,
		       const char *duration, const char *want)
{
	struct cp_duration d = dur(duration);
	char got[CP_TIME_BUF];

	cp_time_fmt(got, Z, cp_time_add(Z, cal, parse(start), &d));
	if (strcmp(got, want))
		fail_msg("%s + %s = %s, want %s", start, duration, got, want);
}

/* ---- cp_time_parse ---- */

static void test_parse_offsets(void **state)
{
	(void)state;
	zone("Asia/Shanghai");
	/* 14:05 at +08:00 is 06:05 UTC */
	expect_time("2026-11-22T14:05:00+08:00", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05+08:00", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05:00+0800", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05+08", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22 14:05:00+08:00", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22t14:05:00+08:00", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05:00Z", utc(2026, 11, 22, 14, 5, 0));
	expect_time("2026-11-22T14:05z", utc(2026, 11, 22, 14, 5, 0));
	expect_time("2026-11-22T14:05:00+00:00", utc(2026, 11, 22, 14, 5, 0));
	/* -05:30 is behind UTC: 14:05 + 5:30 = 19:35 UTC */
	expect_time("2026-11-22T14:05:00-05:30", utc(2026, 11, 22, 19, 35, 0));
	/* an offset that moves the instant across midnight and a year end */
	expect_time("2027-01-01T02:00:00+08:00", utc(2026, 12, 31, 18, 0, 0));
	expect_time("2026-12-31T22:00:00-05:00", utc(2027, 1, 1, 3, 0, 0));
	/* leap day */
	expect_time("2028-02-29T00:00:00Z", utc(2028, 2, 29, 0, 0, 0));
}

static void test_parse_fractions(void **state)
{
	(void)state;
	zone("Asia/Shanghai");
	/* fractions of a second are dropped, never rounded up */
	expect_time("2026-11-22T14:05:00.999+08:00", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05:59.5Z", utc(2026, 11, 22, 14, 5, 59));
	expect_time("2026-11-22T14:05:00,25Z", utc(2026, 11, 22, 14, 5, 0));
	expect_time("2026-11-22T14:05:00.123456789", utc(2026, 11, 22, 6, 5, 0));
}

static void test_parse_local(void **state)
{
	(void)state;
	/* Asia/Shanghai is +08:00 all year (no DST since 1991) */
	zone("Asia/Shanghai");
	expect_time("2026-11-22T14:05", utc(2026, 11, 22, 6, 5, 0));
	expect_time("2026-11-22T14:05:30", utc(2026, 11, 22, 6, 5, 30));
	expect_time("2026-07-01T00:00", utc(2026, 6, 30, 16, 0, 0));
	/* a date alone is its local midnight: 00:00+08:00 = 16:00 UTC the day before */
	expect_time("2026-11-22", utc(2026, 11, 21, 16, 0, 0));

	/* the same text in UTC is 8 hours later */
	zone("UTC");
	expect_time("2026-11-22T14:05", utc(2026, 11, 22, 14, 5, 0));
	expect_time("2026-11-22", utc(2026, 11, 22, 0, 0, 0));
	/* an explicit offset does not depend on the zone */
	expect_time("2026-11-22T14:05:00+08:00", utc(2026, 11, 22, 6, 5, 0));

	/* New York: -05:00 in November, -04:00 in July */
	zone("America/New_York");
	expect_time("2026-11-22T14:05", utc(2026, 11, 22, 19, 5, 0));
	expect_time("2026-07-01T14:05", utc(2026, 7, 1, 18, 5, 0));
	zone("Asia/Shanghai");
}

static void test_parse_malformed(void **state)
{
	static const char *const bad[] = {
		"2026-13-01", "2026-00-10", "2026-11-00", "2026-11-31",
		"2026-02-30", "2026-02-29", "2025-02-29", "2100-02-29",
		"2026-11-22T25:00", "2026-11-22T24:00", "2026-11-22T14:60",
		"2026-11-22T14:05:60", "yesterday", "now", "", " ",
		"2026-11-22T", "2026-11-22T14", "2026-11-22T14:5", "2026-11-22T1:05",
		"2026-11-22T14:05:", "2026-11-22T14:05:0", "2026-11-22T14:05:00.",
		"2026-11-22T14:05:00.+08:00", "2026-11-22T14:05+8",
		"2026-11-22T14:05+08:0", "2026-11-22T14:05+19:00",
		"2026-11-22T14:05+08:60", "2026-11-22T14:05+08:00:00",
		"2026-11-22T14:05ZZ", "2026-11-22T14:05 +08:00", "2026-11-22Z",
		"2026-1-5", "26-11-22", "2026/11/22", "20261122", "2026-11-22 ",
		" 2026-11-22", "2026-11-22T14:05:00+08:00 ", "2026-11-22x",
		"+2026-11-22", "1899-12-31", "２０２６-11-22",
	};
	size_t i;

	(void)state;
	zone("Asia/Shanghai");
	for (i = 0; i < COUNT(bad); i++)
		expect_bad_time(bad[i]);
	/* leap years are fine */
	expect_time("2024-02-29", utc(2024, 2, 28, 16, 0, 0));
	expect_time("2000-02-29T12:00Z", utc(2000, 2, 29, 12, 0, 0));
}

static void test_date_month_parse(void **state)
{
	int32_t a, b;

	(void)state;
	assert_int_equal(cp_date_parse(&a, "1970-01-01"), 0);
	assert_int_equal(a, 0);
	assert_int_equal(cp_date_parse(&a, "2026-11-22"), 0);
	assert_int_equal(a, (int32_t)(utc(2026, 11, 22, 0, 0, 0) / 86400));
	assert_int_equal(cp_date_parse(&a, "2026-11-22T00:00"), -CP_EUSAGE);
	assert_int_equal(cp_date_parse(&a, "2026-02-30"), -CP_EUSAGE);

	assert_int_equal(cp_month_parse(&a, &b, "2026-02"), 0);
	assert_int_equal(a, day("2026-02-01"));
	assert_int_equal(b, day("2026-02-28"));
	assert_int_equal(cp_month_parse(&a, &b, "2024-02"), 0);
	assert_int_equal(b, day("2024-02-29"));
	assert_int_equal(cp_month_parse(&a, &b, "2026-12"), 0);
	assert_int_equal(b, day("2026-12-31"));
	assert_int_equal(cp_month_parse(&a, &b, "2026-13"), -CP_EUSAGE);
	assert_int_equal(cp_month_parse(&a, &b, "2026-1"), -CP_EUSAGE);
	assert_int_equal(cp_month_parse(&a, &b, "2026-11-01"), -CP_EUSAGE);
	/* the years the store can hold */
	assert_int_equal(cp_date_parse(&a, "1969-12-31"), -CP_EUSAGE);
	assert_non_null(strstr(cp_errmsg(), "outside the years"));
	assert_int_equal(cp_date_parse(&a, "9999-12-31"), 0);
	assert_int_equal(cp_month_parse(&a, &b, "1969-12"), -CP_EUSAGE);
	assert_int_equal(cp_month_parse(&a, &b, "1970-01"), 0);
	assert_int_equal(cp_month_parse(&a, &b, "9999-12"), 0);
}

/* From the epoch (git) to 9999-12-31T23:59:59 local (cases/YYYY/). */
static void test_years_the_store_holds(void **state)
{
	cp_time t;

	(void)state;
	zone("Asia/Shanghai");
	assert_int_equal(cp_time_parse(&t, Z, "1970-01-01T08:00:00+08:00"), 0);
	assert_int_equal(t, 0);
	assert_int_equal(cp_time_parse(&t, Z, "1970-01-01T07:59:59"), -CP_EUSAGE);
	assert_non_null(strstr(cp_errmsg(), "outside the years"));
	assert_int_equal(cp_time_parse(&t, Z, "1969-12-31T23:59:59Z"), -CP_EUSAGE);
	assert_int_equal(cp_time_parse(&t, Z, "1899-12-31"), -CP_EUSAGE);
	assert_non_null(strstr(cp_errmsg(), "outside the years"));
	assert_int_equal(cp_time_parse(&t, Z, "9999-12-31T23:59:59"), 0);
	assert_int_equal(cp_time_in_range(Z, t), 0);
	assert_int_equal(cp_time_in_range(Z, t + 1), -CP_EUSAGE);
	assert_int_equal(cp_time_parse(&t, Z, "9999-12-31T23:59:59-18:00"), -CP_EUSAGE);
	assert_int_equal(cp_time_parse(&t, Z, "9999-12-31T15:59:59Z"), 0);
	assert_int_equal(cp_time_parse(&t, Z, "9999-12-31T16:00:00Z"), -CP_EUSAGE);
	assert_int_equal(cp_time_in_range(Z, -1), -CP_EUSAGE);
	/* west of UTC the epoch is still 1969 locally: the first second is later */
	zone("America/New_York");
	assert_int_equal(cp_time_in_range(Z, 0), -CP_EUSAGE);
	assert_int_equal(cp_time_parse(&t, Z, "1970-01-01T00:00:00"), 0);
	assert_int_equal(t, 5 * 3600);
	zone("Asia/Shanghai");
}

static void test_civil_days(void **state)
{
	int32_t d;
	int y, m, dd;

	(void)state;
	/* 1970-01-01 was a Thursday (4); 2026-11-22 is a Sunday (0) */
	assert_int_equal(cp_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(cp_weekday(0), 4);
	assert_int_equal(cp_weekday(cp_days_from_civil(2026, 11, 22)), 0);
	assert_int_equal(cp_weekday(cp_days_from_civil(2026, 10, 10)), 6);
	assert_int_equal(cp_weekday(cp_days_from_civil(1969, 12, 31)), 3);
	for (d = cp_days_from_civil(1999, 12, 1); d < cp_days_from_civil(2031, 1, 1); d++) {
		cp_civil_from_days(&y, &m, &dd, d);
		assert_int_equal(cp_days_from_civil(y, m, dd), d);
	}
	cp_civil_from_days(&y, &m, &dd, cp_days_from_civil(2026, 3, 1) - 1);
	assert_int_equal(y * 10000 + m * 100 + dd, 20260228);
}

static void test_local_day_time(void **state)
{
	(void)state;
	/* 2026-11-21T16:30Z is 00:30 on the 22nd in Shanghai, still the 21st in UTC */
	zone("Asia/Shanghai");
	assert_int_equal(cp_local_day(Z, utc(2026, 11, 21, 16, 30, 0)), day("2026-11-22"));
	assert_int_equal(cp_local_time(Z, day("2026-11-22"), 23, 59, 59),
			 utc(2026, 11, 22, 15, 59, 59));
	zone("UTC");
	assert_int_equal(cp_local_day(Z, utc(2026, 11, 21, 16, 30, 0)), day("2026-11-21"));
	assert_int_equal(cp_local_time(Z, day("2026-11-22"), 23, 59, 59),
			 utc(2026, 11, 22, 23, 59, 59));
	zone("Asia/Shanghai");
}

/* ---- cp_time_fmt ---- */

static void test_fmt(void **state)
{
	static const char *const roundtrip[] = {
		"2026-11-22T14:05:00+08:00", "2026-01-01T00:00:00+08:00",
		"2026-12-31T23:59:59+08:00", "1970-01-01T08:00:00+08:00",
		"2038-01-19T11:14:08+08:00", "2100-02-28T12:00:00+08:00",
	};
	char buf[CP_TIME_BUF];
	size_t i;

	(void)state;
	zone("Asia/Shanghai");
	expect_fmt(utc(2026, 11, 22, 6, 5, 0), "2026-11-22T14:05:00+08:00");
	expect_fmt(utc(2026, 12, 31, 16, 0, 0), "2027-01-01T00:00:00+08:00");
	for (i = 0; i < COUNT(roundtrip); i++) {
		cp_time_fmt(buf, Z, parse(roundtrip[i]));
		assert_string_equal(buf, roundtrip[i]);
	}
	zone("UTC");
	expect_fmt(utc(2026, 11, 22, 6, 5, 0), "2026-11-22T06:05:00+00:00");
	zone("America/New_York");
	expect_fmt(utc(2026, 11, 22, 6, 5, 0), "2026-11-22T01:05:00-05:00");
	expect_fmt(utc(2026, 7, 1, 6, 5, 0), "2026-07-01T02:05:00-04:00");
	zone("Asia/Kolkata");
	expect_fmt(utc(2026, 11, 22, 6, 5, 0), "2026-11-22T11:35:00+05:30");
	zone("Asia/Shanghai");
	cp_day_fmt(buf, day("2026-02-28"));
	assert_string_equal(buf, "2026-02-28");
}

static void test_tz(void **state)
{
	(void)state;
	assert_true(cp_tz_known("Asia/Shanghai"));
	assert_true(cp_tz_known("UTC"));
	assert_false(cp_tz_known("Mars/Olympus_Mons"));
	assert_false(cp_tz_known(""));
	assert_false(cp_tz_known("/etc/localtime"));
	assert_false(cp_tz_known("../../etc/passwd"));
	assert_false(cp_tz_known("Asia"));	/* a directory, not a zone */
	assert_int_equal(cp_tz_check("Mars/Olympus_Mons"), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "Mars/Olympus_Mons"));
	/* plain IANA zones only: no leap seconds, no copies or aliases */
	assert_true(cp_tz_known("Etc/UTC"));
	assert_true(cp_tz_known("Etc/GMT-8"));
	assert_true(cp_tz_known("America/Argentina/Buenos_Aires"));
	assert_int_equal(cp_tz_check("right/UTC"), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "leap seconds"));
	assert_int_equal(cp_tz_check("right/Asia/Shanghai"), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "leap seconds"));
	assert_false(cp_tz_known("posix/Asia/Shanghai"));
	assert_false(cp_tz_known("posixrules"));
	assert_false(cp_tz_known("localtime"));
	assert_false(cp_tz_known("leapseconds"));	/* a text file */
	assert_false(cp_tz_known("zone1970.tab"));
	assert_false(cp_tz_known("CST-8"));		/* a POSIX TZ string */
	assert_false(cp_tz_known(":Asia/Shanghai"));
	assert_false(cp_tz_known("Asia//Shanghai"));
	assert_false(cp_tz_known("Asia/Shanghai/"));
	assert_false(cp_tz_known("Asia/./Shanghai"));
	zone("Asia/Shanghai");
}

/* ---- durations ---- */

static void expect_duration(const char *s, long n, enum cp_unit unit)
{
	struct cp_duration d = dur(s);
	char buf[CP_TIME_BUF];

	assert_int_equal(d.n, n);
	assert_int_equal(d.unit, unit);
	cp_duration_fmt(buf, &d);
	assert_string_equal(buf, s);
}

static void test_duration_parse(void **state)
{
	static const char *const bad[] = {
		"10", "m", "-1h", "1w", "", "h", "wd", "1.5h", "10 m", " 10m",
		"10m ", "10mm", "1H", "1M", "1D", "1WD", "2dw", "+1h", "1e2m",
		"0x10m", "1h30m", "100001m", "99999999999999999999m", "１０m",
	};
	struct cp_duration d;
	size_t i;

	(void)state;
	expect_duration("10m", 10, CP_MINUTES);
	expect_duration("12h", 12, CP_HOURS);
	expect_duration("7d", 7, CP_DAYS);
	expect_duration("2wd", 2, CP_WORKDAYS);
	expect_duration("100000m", 100000, CP_MINUTES);
	for (i = 0; i < COUNT(bad); i++) {
		int r = cp_duration_parse(&d, bad[i]);

		if (r != -CP_EUSAGE)
			fail_msg("cp_duration_parse('%s') = %d, want -CP_EUSAGE", bad[i], r);
		assert_non_null(strstr(cp_errmsg(), "duration"));
	}
}

static void test_add_minutes_hours_days(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	zone("Asia/Shanghai");
	/* the general-level deadlines of SPEC section 3 */
	expect_add(&cal, "2026-11-22T14:05+08:00", "10m", "2026-11-22T14:15:00+08:00");
	expect_add(&cal, "2026-11-22T14:05+08:00", "12h", "2026-11-23T02:05:00+08:00");
	/* minutes and hours ignore holidays: 2026-10-01 is a holiday */
	expect_add(&cal, "2026-09-30T20:00", "24h", "2026-10-01T20:00:00+08:00");
	expect_add(&cal, "2026-12-31T23:55", "10m", "2027-01-01T00:05:00+08:00");
	/* Nd: same clock time N calendar days later, across month ends */
	expect_add(&cal, "2026-01-30T14:05", "3d", "2026-02-02T14:05:00+08:00");
	expect_add(&cal, "2026-02-27T10:00", "2d", "2026-03-01T10:00:00+08:00");
	expect_add(&cal, "2026-04-30T08:00", "1d", "2026-05-01T08:00:00+08:00");
	expect_add(&cal, "2026-12-30T23:30", "2d", "2027-01-01T23:30:00+08:00");
	/* and through a holiday run: days are calendar days, not working days */
	expect_add(&cal, "2026-10-01T09:00", "7d", "2026-10-08T09:00:00+08:00");
	expect_add(&cal, "2028-02-28T09:00", "1d", "2028-02-29T09:00:00+08:00");
}

static void test_add_days_dst(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	/*
	 * New York springs forward on Sunday 2026-03-08 at 02:00.  1d from
	 * Saturday noon is Sunday noon (23 hours later), 24h is 13:00.
	 */
	zone("America/New_York");
	expect_add(&cal, "2026-03-07T12:00", "1d", "2026-03-08T12:00:00-04:00");
	expect_add(&cal, "2026-03-07T12:00", "24h", "2026-03-08T13:00:00-04:00");
	zone("Asia/Shanghai");
}

/* ---- the working-day calendar ---- */

static void test_workday(void **state)
{
	struct cp_calendar cal = china();
	int32_t d, from = day("2026-01-01"), to = day("2026-12-31");
	int n = 0;

	(void)state;
	assert_true(cp_workday(&cal, day("2026-11-20")));	/* Fri */
	assert_false(cp_workday(&cal, day("2026-11-21")));	/* Sat */
	assert_false(cp_workday(&cal, day("2026-11-22")));	/* Sun */
	assert_false(cp_workday(&cal, day("2026-10-01")));	/* Thu, holiday */
	assert_false(cp_workday(&cal, day("2026-02-16")));	/* Mon, holiday */
	assert_true(cp_workday(&cal, day("2026-10-10")));	/* Sat, make-up */
	assert_true(cp_workday(&cal, day("2026-09-20")));	/* Sun, make-up */
	assert_true(cp_workday(&cal, day("2026-01-04")));	/* Sun, make-up */
	assert_true(cp_workday(&cal, day("2027-01-01")));	/* Fri, not published */

	/*
	 * 2026 starts on a Thursday: 52 weeks and one Thursday, so 261
	 * weekdays.  Holidays on weekdays: Jan 1-2 (2), Feb 16-20 and 23 (6),
	 * Apr 6 (1), May 1, 4, 5 (3), Jun 19 (1), Sep 25 (1), Oct 1, 2, 5, 6,
	 * 7 (5) = 19.  Make-up days: 6.  261 - 19 + 6 = 248 working days.
	 */
	for (d = from; d <= to; d++)
		n += cp_workday(&cal, d);
	assert_int_equal(n, 248);
}

static void test_wd_weekends(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	zone("Asia/Shanghai");
	/*
	 * From Friday 11-20: the start day is not counted; Sat 21 and Sun 22
	 * are not working days; Mon 23 is the 1st, Tue 24 the 2nd.  The
	 * deadline is the end of that day.
	 */
	expect_add(&cal, "2026-11-20T10:00", "2wd", "2026-11-24T23:59:59+08:00");
	/* the same from late Friday evening: the clock time does not matter */
	expect_add(&cal, "2026-11-20T23:59:59", "2wd", "2026-11-24T23:59:59+08:00");
	/* from Saturday 11-21: Sun 22 no, Mon 23 1st, Tue 24 2nd */
	expect_add(&cal, "2026-11-21T10:00", "2wd", "2026-11-24T23:59:59+08:00");
	/* from Sunday 11-22: Mon 23 1st, Tue 24 2nd */
	expect_add(&cal, "2026-11-22T14:05", "2wd", "2026-11-24T23:59:59+08:00");
	/* from Monday 11-23: Tue 24 1st, Wed 25 2nd */
	expect_add(&cal, "2026-11-23T00:00", "2wd", "2026-11-25T23:59:59+08:00");
	/* 7wd from Friday 11-20: 23 24 25 26 27, 30 Nov, 1 Dec */
	expect_add(&cal, "2026-11-20T10:00", "7wd", "2026-12-01T23:59:59+08:00");
	/* 0wd is the end of the start day */
	expect_add(&cal, "2026-11-20T10:00", "0wd", "2026-11-20T23:59:59+08:00");
}

static void test_wd_national_day(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	zone("Asia/Shanghai");
	/*
	 * From the holiday Thu 10-01: 10-02 .. 10-07 are holidays (the weekend
	 * 3-4 inside the run); Thu 10-08 is the 1st working day, Fri 10-09 the
	 * 2nd.
	 */
	expect_add(&cal, "2026-10-01T09:00", "2wd", "2026-10-09T23:59:59+08:00");
	/* 3wd: the make-up Saturday 10-10 counts as the 3rd */
	expect_add(&cal, "2026-10-01T09:00", "3wd", "2026-10-10T23:59:59+08:00");
	/* 4wd: Sun 10-11 is not a working day, Mon 10-12 is the 4th */
	expect_add(&cal, "2026-10-01T09:00", "4wd", "2026-10-12T23:59:59+08:00");
	/* from Wed 09-30, 1wd jumps the whole run to Thu 10-08 */
	expect_add(&cal, "2026-09-30T17:00", "1wd", "2026-10-08T23:59:59+08:00");
	/* from Fri 10-09: Sat 10-10 (make-up) is the 1st, Mon 10-12 the 2nd */
	expect_add(&cal, "2026-10-09T10:00", "2wd", "2026-10-12T23:59:59+08:00");
	/* from Thu 10-08: Fri 10-09 1st, Sat 10-10 2nd */
	expect_add(&cal, "2026-10-08T10:00", "2wd", "2026-10-10T23:59:59+08:00");
	/* from Fri 09-18: Sat 19 no, Sun 09-20 (make-up) 1st, Mon 21 2nd */
	expect_add(&cal, "2026-09-18T10:00", "2wd", "2026-09-21T23:59:59+08:00");
}

static void test_wd_spring_festival(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	zone("Asia/Shanghai");
	/* from Fri 02-13: Sat 02-14 is a make-up working day, the 1st */
	expect_add(&cal, "2026-02-13T10:00", "1wd", "2026-02-14T23:59:59+08:00");
	/* 2wd: then 02-15 .. 02-23 are holidays; Tue 02-24 is the 2nd */
	expect_add(&cal, "2026-02-13T10:00", "2wd", "2026-02-24T23:59:59+08:00");
	/* from the make-up day 02-14 itself: Tue 24 1st, Wed 25 2nd */
	expect_add(&cal, "2026-02-14T10:00", "2wd", "2026-02-25T23:59:59+08:00");
	/*
	 * From the holiday Mon 02-16: Tue 24 (1), Wed 25 (2), Thu 26 (3),
	 * Fri 27 (4), and the make-up Saturday 02-28 (5).
	 */
	expect_add(&cal, "2026-02-16T08:00", "5wd", "2026-02-28T23:59:59+08:00");
	/* 6th: Sun 03-01 no, Mon 03-02 yes */
	expect_add(&cal, "2026-02-16T08:00", "6wd", "2026-03-02T23:59:59+08:00");
	/* 7wd from Thu 02-12: Fri 13, Sat 14, Tue 24, 25, 26, 27, Sat 28 */
	expect_add(&cal, "2026-02-12T08:00", "7wd", "2026-02-28T23:59:59+08:00");
}

static void test_wd_month_year_ends(void **state)
{
	struct cp_calendar cal = china();

	(void)state;
	zone("Asia/Shanghai");
	/* from Thu 04-30: May 1-5 are holidays; Wed 05-06 1st, Thu 05-07 2nd */
	expect_add(&cal, "2026-04-30T10:00", "2wd", "2026-05-07T23:59:59+08:00");
	/* 4wd: Fri 05-08 3rd, the make-up Saturday 05-09 4th */
	expect_add(&cal, "2026-04-30T10:00", "4wd", "2026-05-09T23:59:59+08:00");
	/*
	 * From Thu 2026-12-31: the calendar publishes nothing for 2027, so
	 * weekdays only: Fri 2027-01-01 is the 1st (a holiday in reality, but
	 * not in this calendar), Sat and Sun no, Mon 01-04 the 2nd.
	 */
	expect_add(&cal, "2026-12-31T10:00", "2wd", "2027-01-04T23:59:59+08:00");
	/*
	 * From Wed 2025-12-31: Jan 1-3 2026 are holidays; Sun 2026-01-04 is a
	 * make-up working day, the 1st.
	 */
	expect_add(&cal, "2025-12-31T10:00", "1wd", "2026-01-04T23:59:59+08:00");
	/* from Fri 2026-01-30: Mon 02-02 1st, Tue 02-03 2nd */
	expect_add(&cal, "2026-01-30T10:00", "2wd", "2026-02-03T23:59:59+08:00");
}

static void test_calendar_covers(void **state)
{
	struct cp_calendar cal = china();
	struct cp_calendar none = { 0x3e, NULL, 0, NULL, 0, NULL, 0 };

	(void)state;
	assert_true(cp_calendar_covers(&cal, day("2026-01-01")));
	assert_true(cp_calendar_covers(&cal, day("2026-07-15")));
	assert_true(cp_calendar_covers(&cal, day("2026-12-31")));
	assert_false(cp_calendar_covers(&cal, day("2027-01-01")));
	assert_false(cp_calendar_covers(&cal, day("2025-12-31")));
	assert_false(cp_calendar_covers(&none, day("2026-07-15")));
	/* a calendar without holidays still counts weekdays */
	zone("Asia/Shanghai");
	expect_add(&none, "2026-10-01T09:00", "2wd", "2026-10-05T23:59:59+08:00");
}

static void test_wd_zone(void **state)
{
	struct cp_calendar cal = china();
	struct cp_duration one = dur("1wd");
	cp_time start = utc(2026, 11, 19, 17, 0, 0);

	(void)state;
	/*
	 * Thu 2026-11-19T17:00Z is already Fri 01:00 in Shanghai.  In
	 * Shanghai the start day is Friday, so 1wd is Mon 11-23 23:59:59+08:00
	 * (15:59:59Z); in UTC the start day is Thursday, so 1wd is Fri 11-20
	 * 23:59:59Z.
	 */
	zone("Asia/Shanghai");
	assert_int_equal(cp_time_add(Z, &cal, start, &one), utc(2026, 11, 23, 15, 59, 59));
	zone("UTC");
	assert_int_equal(cp_time_add(Z, &cal, start, &one), utc(2026, 11, 20, 23, 59, 59));

	/* the same offset-less text is a different instant in each zone */
	zone("Asia/Shanghai");
	expect_add(&cal, "2026-11-20T07:00", "1wd", "2026-11-23T23:59:59+08:00");
	zone("UTC");
	expect_add(&cal, "2026-11-20T07:00", "1wd", "2026-11-23T23:59:59+00:00");
	assert_int_equal(parse("2026-11-20T07:00") - utc(2026, 11, 20, 7, 0, 0), 0);
	zone("Asia/Shanghai");
	assert_int_equal(parse("2026-11-20T07:00") - utc(2026, 11, 20, 7, 0, 0), -8 * 3600);
}

static void test_wd_no_working_days(void **state)
{
	/* workdays: none, and no extra days: must still return, not loop */
	struct cp_calendar cal = { 0, NULL, 0, NULL, 0, NULL, 0 };
	struct cp_duration d = dur("2wd");
	cp_time t;

	(void)state;
	zone("Asia/Shanghai");
	t = cp_time_add(Z, &cal, parse("2026-11-20T10:00"), &d);
	assert_true(t > parse("2026-11-20T10:00"));
}

/* ---- times a person types (cp_time_parse_at) ---- */

static void expect_at(const char *s, cp_time now, cp_time want)
{
	cp_time got = 0;

	if (cp_time_parse_at(&got, Z, s, now) < 0)
		fail_msg("cp_time_parse_at('%s') refused: %s", s, cp_errmsg());
	if (got != want)
		fail_msg("cp_time_parse_at('%s') = %lld, want %lld (off by %lld s)", s,
			 (long long)got, (long long)want, (long long)(got - want));
}

static void test_typed_times(void **state)
{
	/* 2026-11-22T01:30+08:00: still the 21st in UTC */
	cp_time now = utc(2026, 11, 21, 17, 30, 0);
	cp_time t;

	(void)state;
	zone("Asia/Shanghai");
	expect_at("14:00", now, utc(2026, 11, 22, 6, 0, 0));
	expect_at("0:45", now, utc(2026, 11, 21, 16, 45, 0));
	expect_at("00:45:30", now, utc(2026, 11, 21, 16, 45, 30));
	expect_at("today 9:30", now, utc(2026, 11, 22, 1, 30, 0));
	expect_at("yesterday 23:00", now, utc(2026, 11, 21, 15, 0, 0));
	expect_at("now", now, now);
	expect_at("-15m", now, now - 900);
	expect_at("-2h", now, now - 7200);
	expect_at("-1d", now, now - 86400);
	expect_at("-10d", now, now - 10 * 86400);
	/* ISO 8601 as cp_time_parse reads it, whatever now is */
	expect_at("2026-11-22T14:05", now, utc(2026, 11, 22, 6, 5, 0));
	expect_at("2026-11-22T14:05Z", now, utc(2026, 11, 22, 14, 5, 0));
	expect_at("2026-11-22", now, utc(2026, 11, 21, 16, 0, 0));
	const char *bad[] = { "", "24:00", "14:60", "14:5", "1400", "14:00:60", "tomorrow 10:00",
			      "yesterday", "today", "-5", "-m", "-0m", "-5x", "+5m", "- 5m", "-5 m",
			      "-1.5h", "-99999999999d", "14:00 ", " 14:00", "2026-11-31T10:00",
			      "yesterday  14:00", "Yesterday 14:00", NULL };
	for (int i = 0; bad[i]; i++)
		if (cp_time_parse_at(&t, Z, bad[i], now) != -CP_EUSAGE)
			fail_msg("cp_time_parse_at('%s') was not refused as usage", bad[i]);
	/* out of the years the store holds */
	assert_int_equal(cp_time_parse_at(&t, Z, "-30000d", now), -CP_EUSAGE);
	assert_int_equal(cp_time_parse_at(&t, Z, "-1m", 0), -CP_EUSAGE);
}

static void test_typed_times_dst(void **state)
{
	/* Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST */
	cp_time now = utc(2026, 3, 29, 12, 0, 0);	/* 14:00 CEST */

	(void)state;
	zone("Europe/Berlin");
	expect_at("01:30", now, utc(2026, 3, 29, 0, 30, 0));	/* CET, +01:00 */
	expect_at("04:00", now, utc(2026, 3, 29, 2, 0, 0));	/* CEST, +02:00 */
	/* -1d: the same clock time the day before, 23 hours earlier */
	expect_at("-1d", now, utc(2026, 3, 28, 13, 0, 0));
	expect_at("-24h", now, now - 86400);
	expect_at("yesterday 14:00", now, utc(2026, 3, 28, 13, 0, 0));
	zone("Asia/Shanghai");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_local),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_date_month_parse),
		cmocka_unit_test(test_years_the_store_holds),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_local_day_time),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_tz),
		cmocka_unit_test(test_duration_parse),
		cmocka_unit_test(test_add_minutes_hours_days),
		cmocka_unit_test(test_add_days_dst),
		cmocka_unit_test(test_workday),
		cmocka_unit_test(test_wd_weekends),
		cmocka_unit_test(test_wd_national_day),
		cmocka_unit_test(test_wd_spring_festival),
		cmocka_unit_test(test_wd_month_year_ends),
		cmocka_unit_test(test_calendar_covers),
		cmocka_unit_test(test_wd_zone),
		cmocka_unit_test(test_wd_no_working_days),
		cmocka_unit_test(test_typed_times),
		cmocka_unit_test(test_typed_times_dst),
	};

	return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
