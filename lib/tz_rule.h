/*
 * tz_rule.h - the POSIX TZ string at the end of a TZif file (its footer),
 * which gives the local time after the file's last transition, for
 * example CET-1CEST,M3.5.0,M10.5.0/3.  Private to lib/tz.c.
 */
#ifndef COMPLAINT_TZ_RULE_H
#define COMPLAINT_TZ_RULE_H

#include <stdbool.h>
#include <stdint.h>

#define TZ_ABBR_MAX 16

/* A day of the year (Jn, n, Mm.w.d) and a local time on it. */
struct tz_date {
	char kind;	/* 'J': d = 1..365 without Feb 29; 'n': d = 0..365; 'M' */
	int d, m, w;	/* for 'M': month m, week w (5 = last), weekday d */
	int32_t secs;	/* -167 h .. 167 h after the day's midnight */
};

struct cp_tz_rule {
	char std_abbr[TZ_ABBR_MAX], dst_abbr[TZ_ABBR_MAX];
	int32_t std_off, dst_off;	/* seconds east of UTC */
	bool has_dst;
	struct tz_date start, end;	/* daylight saving starts, ends */
};

/* Parse s (without the newlines).  Returns false if it is malformed. */
bool cp_tz_rule_parse(struct cp_tz_rule *r, const char *s);

/*
 * Is daylight saving in force at instant t?  As glibc decides it: the two
 * changes are placed in t's UTC year, and t is inside or outside them.
 */
bool cp_tz_rule_isdst(const struct cp_tz_rule *r, int64_t t);

/* The instants of the two changes in UTC year y. */
void cp_tz_rule_changes(int64_t *start, int64_t *end, const struct cp_tz_rule *r, int y);

#endif
