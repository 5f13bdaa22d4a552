/*
 * number.c - the one strict parser of numbers people write.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/number.h"
#include "complaint/i18n.h"

#define SHOW(s, n) (int)((n) > 40 ? 40 : (n)), (s), ((n) > 40 ? "..." : "")

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* The digits s[0..n): decimal, no leading zero, at most max. */
static int digits(const char *s, size_t n, const char *all, size_t alln,
		  uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return cp_error(CP_EUSAGE, _("'%.*s%s' is not a number (decimal digits, e.g. 12)"),
				SHOW(all, alln));
	for (i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return cp_error(CP_EUSAGE,
					_("'%.*s%s' is not a number (decimal digits only: no sign, exponent, hexadecimal, spaces or '_')"),
					SHOW(all, alln));
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return cp_error(CP_EUSAGE, _("'%.*s%s' is too large"), SHOW(all, alln));
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (n > 1 && s[0] == '0')
		return cp_error(CP_EUSAGE,
				_("'%.*s%s' has a leading zero (YAML readers take 010 for octal; write 10)"),
				SHOW(all, alln));
	*out = v;
	return 0;
}

int cp_parse_int(int64_t *out, const char *s, size_t n, int64_t min,
		 int64_t max)
{
	uint64_t v;
	bool neg = n > 0 && s[0] == '-';
	int r;

	if (memchr(s, '.', n))
		return cp_error(CP_EUSAGE, _("'%.*s%s' is not a whole number"), SHOW(s, n));
	if (neg && min >= 0)
		return cp_error(CP_EUSAGE, _("'%.*s%s' must not be negative"), SHOW(s, n));
	if ((r = digits(s + neg, n - neg, s, n, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX,
			&v)) < 0)
		return r;
	if (neg && !v)
		return cp_error(CP_EUSAGE, _("'%.*s%s': write 0, without a sign"), SHOW(s, n));
	if (neg ? v > (uint64_t)-(min + 1) + 1 : (int64_t)v > max || (int64_t)v < min)
		return cp_error(CP_EUSAGE, _("'%.*s%s' is out of range (must be between %lld and %lld)"),
				SHOW(s, n), (long long)min, (long long)max);
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int cp_parse_fixed(int64_t *out, const char *s, size_t n, int decimals,
		   int64_t max)
{
	size_t ip = 0, fp, i;
	uint64_t whole, frac = 0, scale = 1;
	int r;

	if (n && s[0] == '-')
		return cp_error(CP_EUSAGE, _("'%.*s%s' must not be negative"), SHOW(s, n));
	while (ip < n && s[ip] != '.')
		ip++;
	if ((r = digits(s, ip, s, n, UINT64_MAX / 2, &whole)) < 0)
		return r;
	for (i = 0; i < (size_t)decimals; i++)
		scale *= 10;
	if (ip < n) {
		fp = n - ip - 1;
		if (!fp || fp > (size_t)decimals) {
			if (decimals)
				return cp_error(CP_EUSAGE,
						_("'%.*s%s' needs 1 to %d digits after the point"),
						SHOW(s, n), decimals);
			return cp_error(CP_EUSAGE, _("'%.*s%s' is not a whole number"),
					SHOW(s, n));
		}
		for (i = 0; i < (size_t)decimals; i++) {
			char c = i < fp ? s[ip + 1 + i] : '0';

			if (!isdig(c))
				return cp_error(CP_EUSAGE,
						_("'%.*s%s' is not a number (decimal digits only: no sign, exponent, hexadecimal, spaces or '_')"),
						SHOW(s, n));
			frac = frac * 10 + (uint64_t)(c - '0');
		}
	}
	if (whole > (uint64_t)max / scale || whole * scale + frac > (uint64_t)max)
		return cp_error(CP_EUSAGE, _("'%.*s%s' is too large"), SHOW(s, n));
	*out = (int64_t)(whole * scale + frac);
	return 0;
}
