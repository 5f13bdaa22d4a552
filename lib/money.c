/*
 * money.c - exact amounts: parsed into cents, printed with two decimals.
 */
#include <stdio.h>

#include "complaint/error.h"
#include "complaint/money.h"
#include "complaint/number.h"
#include "complaint/i18n.h"

int cp_money_parse(cp_money *out, const char *s, size_t n)
{
	char why[512];
	int64_t v;

	if (cp_parse_fixed(&v, s, n, 2, CP_MONEY_MAX) < 0) {
		snprintf(why, sizeof(why), "%s", cp_errmsg());
		return cp_error(CP_EUSAGE,
				_("%s (an amount is digits with at most two decimals, e.g. 1200 or 99.50, up to 999999999999.99)"),
				why);
	}
	*out = v;
	return 0;
}

void cp_money_fmt(struct cp_sbuf *sb, cp_money v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	cp_sbuf_addf(sb, "%s%llu.%02llu", v < 0 ? "-" : "",
		  (unsigned long long)(u / 100), (unsigned long long)(u % 100));
}

bool cp_money_mul(cp_money *out, long points, cp_money value)
{
	if (__builtin_mul_overflow((int64_t)points, value, out)) {
		*out = INT64_MAX;
		return false;
	}
	return true;
}
