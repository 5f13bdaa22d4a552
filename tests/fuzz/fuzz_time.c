/*
 * fuzz_time.c - the time, date, month and duration parsers on any text.
 *
 * Promises: no crash, no sanitizer report (UBSan catches overflow); what
 * parses, formats, and the formatted text parses to the same value; a
 * deadline computed from a parsed duration does not crash.  Times are
 * read in Asia/Shanghai (the default policy's zone) and, for a time
 * without an offset, also in a zone with daylight saving time.
 */
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"

static struct cp_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cp_policy_parse(&policy, "policy.yaml", cp_default_policy,
			    (size_t)(cp_default_policy_end - cp_default_policy)) < 0)
		fuzz_fail("the default policy: %s", cp_errmsg());
	return 0;
}

static void one_zone(const char *s, const char *zone)
{
	char out[CP_TIME_BUF];
	cp_time t, t2;
	int32_t day, day2, first, last;
	struct cp_duration d, d2;
	struct cp_tz *z = NULL;
	long off;
	int year;

	if (cp_tz_load(&z, zone) < 0)
		fuzz_fail("cannot load %s", zone);
	if (cp_time_parse(&t, z, s) == 0) {
		cp_time_fmt(out, z, t);
		/*
		 * An offset of whole minutes only: before about 1901 zones
		 * used local mean time (+08:05:43 in Shanghai), which ISO
		 * 8601's +HH:MM cannot write; such times do not round-trip.
		 */
		/*
		 * And not at the edge of the years the parser takes (1900 to
		 * 9999): 1900-01-01T05:00+08:00 is 1899 in Berlin, and refused
		 * when read back.
		 */
		t2 = 0;
		off = cp_tz_offset(z, t);
		year = atoi(out);
		if (off % 60 == 0 && year > 1900 && year < 9999 &&
		    (cp_time_parse(&t2, z, out) < 0 || t2 != t))
			fuzz_fail("'%s' read as %lld, written '%s', read back as %s %lld (%s)", s,
				  (long long)t, out, t2 ? "" : "(refused)", (long long)t2, zone);
	}
	if (cp_date_parse(&day, s) == 0) {
		cp_day_fmt(out, day);
		if (cp_date_parse(&day2, out) < 0 || day2 != day)
			fuzz_fail("date '%s' read as %d, written '%s'", s, (int)day, out);
	}
	if (cp_month_parse(&first, &last, s) == 0 && (last < first || last - first > 30))
		fuzz_fail("month '%s' from %d to %d", s, (int)first, (int)last);
	if (cp_duration_parse(&d, s) == 0) {
		cp_duration_fmt(out, &d);
		if (cp_duration_parse(&d2, out) < 0 || d2.n != d.n || d2.unit != d.unit)
			fuzz_fail("duration '%s' written '%s'", s, out);
		(void)cp_time_add(z, &policy->cal, 1795600000, &d);
	}
	cp_tz_free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256];

	if (!policy)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size >= sizeof(s) || memchr(data, '\0', size))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	one_zone(s, "Asia/Shanghai");
	one_zone(s, "Europe/Berlin");
	return 0;
}
