/*
 * tz.c - nanoseconds per zone lookup: lib/tz.c's handles against glibc
 * (localtime_r, mktime with TZ set) and lib/timeutil.c's local days and
 * times over the handle (cp_local_day, cp_local_time), for a few zones, over random
 * instants in 2000-2035 (inside tzdata's transition table), 2040-2100
 * (after it: glibc re-reads the zone's rule string every time) and 2400
 * (past lib/tz.c's table of the rule's changes).
 *
 *   make build/bench/tz && build/bench/tz [N]
 *
 * N instants per row (default 200000), each way timed 5 times and the
 * best kept.  Not a test: it checks nothing but that the offsets of both
 * sides add up to the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "complaint/error.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static int64_t rnd(int64_t lo, int64_t hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (int64_t)(rng % (uint64_t)(hi - lo));
}

static volatile int64_t sink;

/* one way of doing n calls; returns a sum so nothing is optimised away */
typedef int64_t (*way)(const struct cp_tz *z, const int64_t *t, size_t n);

static int64_t w_offset(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc += cp_tz_offset(z, t[i]);
	return acc;
}

static int64_t w_localtime(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	(void)z;
	for (i = 0; i < n; i++) {
		time_t tt = (time_t)t[i];
		struct tm tm;

		localtime_r(&tt, &tm);
		acc += tm.tm_gmtoff;
	}
	return acc;
}

static int64_t w_local_day(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc += cp_local_day(z, t[i]);
	return acc;
}

static int64_t w_from_local(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc += cp_tz_from_local(z, t[i]);
	return acc;
}

static int64_t w_mktime(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	(void)z;
	for (i = 0; i < n; i++) {
		time_t tt = (time_t)t[i];
		struct tm tm;

		gmtime_r(&tt, &tm);
		tm.tm_isdst = -1;
		acc += mktime(&tm);
	}
	return acc;
}

static int64_t w_local_time(const struct cp_tz *z, const int64_t *t, size_t n)
{
	int64_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t day = t[i] >= 0 ? t[i] / 86400 : -((-t[i] + 86399) / 86400);
		int64_t s = t[i] - day * 86400;

		acc += cp_local_time(z, (int32_t)day, (int)(s / 3600), (int)(s / 60 % 60),
				     (int)(s % 60));
	}
	return acc;
}

/* ns per call: the best of 5 rounds (the machine is shared) */
static double timed(way w, const struct cp_tz *z, const int64_t *t, size_t n, int64_t *sum)
{
	double best = 1e30;
	int r;

	for (r = 0; r < 5; r++) {
		double t0 = now(), dt;

		*sum = w(z, t, n);
		dt = (now() - t0) / (double)n * 1e9;
		if (dt < best)
			best = dt;
	}
	sink += *sum;
	return best;
}

static void row(const char *zone, const char *span, int64_t lo, int64_t hi, size_t n)
{
	static const way ways[] = { w_offset, w_localtime, w_local_day,
				    w_from_local, w_mktime, w_local_time };
	int64_t *t = malloc(n * sizeof(*t)), sum[6];
	struct cp_tz *z;
	double ns[6];
	size_t i;

	if (!t || cp_tz_load(&z, zone) < 0) {
		fprintf(stderr, "tz: %s: %s\n", zone, cp_errmsg());
		exit(1);
	}
	/* glibc's side reads the zone from TZ (the library never does) */
	setenv("TZ", zone, 1);
	tzset();
	for (i = 0; i < n; i++)
		t[i] = rnd(lo, hi);
	for (i = 0; i < 6; i++)
		ns[i] = timed(ways[i], z, t, n, &sum[i]);
	/* the same offsets, summed (from_local differs in overlaps only, by mktime's memory) */
	printf("%-19s %-9s %9.1f %9.1f %9.1f   %10.1f %9.1f %10.1f%s\n", zone, span, ns[0],
	       ns[1], ns[2], ns[3], ns[4], ns[5], sum[0] != sum[1] ? "  DISAGREE" : "");
	cp_tz_free(z);
	free(t);
}

int main(int argc, char **argv)
{
	static const char *const zones[] = { "Europe/Berlin", "America/New_York",
					     "Asia/Shanghai", "Australia/Lord_Howe" };
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000, i;
	const int64_t y2026 = 1767225600, y2000 = 946684800, y2035 = 2051222400, y2040 = 2208988800,
		      y2100 = 4102444800, y2400 = 13569465600;

	printf("ns per call, %zu random instants per row, best of 5\n", n);
	printf("%-19s %-9s %9s %9s %9s   %10s %9s %10s\n", "zone", "years", "tz_offset",
	       "localtime", "local_day", "from_local", "mktime", "local_time");
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		row(zones[i], "2026", y2026, y2026 + 365 * 86400, n);
		row(zones[i], "2000-2035", y2000, y2035, n);
		row(zones[i], "2040-2100", y2040, y2100, n);
		row(zones[i], "2400", y2400, y2400 + 365 * 86400, n);
	}
	return 0;
}
