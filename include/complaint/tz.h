/*
 * tz.h - time zones as values.
 *
 * A struct cp_tz is one IANA zone (Asia/Shanghai, Europe/Berlin, UTC)
 * read from the TZif files of tzdata ($TZDIR, else /usr/share/zoneinfo).
 * It answers the UTC offset and the abbreviation in force at an instant,
 * and the instant of a local clock time.  A handle never changes after
 * cp_tz_load(), so any number of threads may use it at once, and two
 * zones can be used side by side; nothing here reads or sets TZ or calls
 * tzset().
 *
 * The answers are those of glibc's localtime_r() and mktime() with TZ set
 * to the zone (tests/unit/test_tz.c compares them), including glibc's
 * choices in the gaps and overlaps of daylight-saving changes.
 */
#ifndef COMPLAINT_TZ_H
#define COMPLAINT_TZ_H

#include <stdint.h>

#include "complaint/timeutil.h"

struct cp_tz;

/*
 * Load the zone called name.  "UTC" always works, tzdata or not.  Returns
 * 0, or -CP_EDATA for a name that is not a plain zone name (an absolute
 * path, "..", characters other than letters, digits and "/_-+"), a zone
 * that does not exist, a file that is not a regular file or not TZif, or
 * a zone that counts leap seconds (right/...); -CP_ESYS when the file
 * cannot be read.
 */
int cp_tz_load(struct cp_tz **out, const char *name);
void cp_tz_free(struct cp_tz *z);

/* UTC, always there (not to be freed). */
const struct cp_tz *cp_tz_utc(void);

/* The name it was loaded with. */
const char *cp_tz_name(const struct cp_tz *z);

/* UTC offset in seconds (east positive) at instant t. */
long cp_tz_offset(const struct cp_tz *z, cp_time t);

/* The abbreviation in force at t (CST, CEST, +08); lives as long as z. */
const char *cp_tz_abbr(const struct cp_tz *z, cp_time t);

/*
 * The instant of a local clock time, given as seconds since 1970-01-01
 * 00:00 local (cp_days_from_civil() * 86400 + seconds of the day; taken
 * within two billion years of 1970): what
 * glibc's mktime() answers for it with tm_isdst = -1 as the first call of
 * a process (-1 where mktime() gives up, which it did for no zone of
 * tzdata 2025b in 1900-2100).
 *
 * In a gap (the hour clocks skip) the answer is the instant on the
 * daylight-saving side, shown an hour off: 02:30 in Berlin's March gap
 * is 03:30 CEST, but in Dublin, whose winter time is its "daylight" one,
 * 01:30 is 00:30 GMT.  Where neither or both sides are daylight saving
 * (Caracas 2016, Apia's lost day of 2011) it is the side glibc's search
 * reaches first.  In an overlap (the hour clocks repeat) glibc's answer
 * depends on where its search starts, which is the offset of its
 * previous answer, 0 in a fresh process; from 0 it is the later instant
 * where the offset after the change is 0 or more (02:30 on Berlin's last
 * Sunday of October is CET) and the earlier one where it is below 0
 * (01:30 on New York's first Sunday of November is EDT).
 */
cp_time cp_tz_from_local(const struct cp_tz *z, int64_t local_secs);

/*
 * The same with glibc's memory: *guess (start it at 0) is the offset the
 * search starts from, and is set to local_secs minus the answer.  A
 * sequence of calls sharing one guess answers exactly what glibc's
 * mktime() answers for the same sequence in one process, where the guess
 * is a hidden static.
 */
cp_time cp_tz_from_local_guess(const struct cp_tz *z, int64_t local_secs, long *guess);

#endif
