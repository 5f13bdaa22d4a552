/*
 * number.h - the one parser of numbers written by people: options
 * (--lock-timeout, POINTS, --amount, --compensation, durations) and the
 * numbers in case, policy and form files.
 *
 * Only the forms we write ourselves are accepted, which are also the forms
 * every YAML 1.1 and 1.2 reader (PyYAML, yq) reads as the same number:
 * decimal digits without leading zeros ("0" itself is fine), no sign, no
 * exponent, no hexadecimal or octal, no underscores, no spaces, no
 * "nan" or "inf", and for fixed-point numbers at most the given number
 * of decimals ("12", "12.5" and "12.50" for two).  Values are exact
 * integers (money in cents, seconds in milliseconds): nothing is rounded.
 */
#ifndef COMPLAINT_NUMBER_H
#define COMPLAINT_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/*
 * A whole number from min to max (min >= 0: no sign).  s holds n bytes.
 * Returns 0 or -CP_EUSAGE with a message saying what is wrong with s.
 */
int cp_parse_int(int64_t *out, const char *s, size_t n, int64_t min,
		 int64_t max);

/*
 * A non-negative fixed-point number with at most `decimals` digits after
 * the point, scaled by 10^decimals ("1.5" with 2 gives 150), at most max
 * once scaled.  Returns 0 or -CP_EUSAGE with a message.
 */
int cp_parse_fixed(int64_t *out, const char *s, size_t n, int decimals,
		   int64_t max);

#endif
