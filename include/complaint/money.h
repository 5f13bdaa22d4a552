/*
 * money.h - amounts of money, kept exact as integer minor units (cents
 * of the policy's currency; every currency the policies use has two
 * decimals).  Written and printed with two decimals, never through a
 * binary floating-point number.
 */
#ifndef COMPLAINT_MONEY_H
#define COMPLAINT_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "complaint/sbuf.h"

typedef int64_t cp_money;		/* cents */
#define CP_MONEY_NONE ((cp_money)-1)	/* an absent amount */
/* The largest amount a file or option may hold: 999,999,999,999.99 */
#define CP_MONEY_MAX ((cp_money)99999999999999)

/*
 * Parse an amount as we write it: digits without leading zeros and at
 * most two decimals (1200, 1200.5, 1200.50, 0.99), not negative, at most
 * CP_MONEY_MAX.  Returns 0 or -CP_EUSAGE with a message naming s.
 */
int cp_money_parse(cp_money *out, const char *s, size_t n);

/* Append v with two decimals: 1200.00, 0.30 (a negative v gets a '-'). */
void cp_money_fmt(struct cp_sbuf *sb, cp_money v);

/*
 * points * value, exact.  False (and *out the largest int64) when the
 * product does not fit.
 */
bool cp_money_mul(cp_money *out, long points, cp_money value);

#endif
