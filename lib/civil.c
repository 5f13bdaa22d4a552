/*
 * civil.c - the proleptic Gregorian calendar: days since 1970-01-01 and
 * back, and the weekday.  At the bottom of the time files (timeutil.c,
 * tz.c and tz_rule.c all count days with it), so that none of them
 * calls another in a circle.
 */
#include <stdint.h>

#include "complaint/timeutil.h"

int32_t cp_days_from_civil(int y, int m, int d)
{
	/* proleptic Gregorian, era-based (400-year cycles) */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

void cp_civil_from_days(int *y, int *m, int *d, int32_t day)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int cp_weekday(int32_t day)
{
	int w = (int)((day + 4) % 7);

	return w < 0 ? w + 7 : w;
}
