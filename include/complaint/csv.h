/* csv.h - one CSV field (RFC 4180), with spreadsheet formulas defused. */
#ifndef COMPLAINT_CSV_H
#define COMPLAINT_CSV_H

#include <stdbool.h>

#include "complaint/sbuf.h"

/*
 * Would a spreadsheet read s as a formula (it starts with = + - @ tab or
 * CR)?  Every output made for spreadsheets (CSV, TSV) puts a ' before
 * such a value.
 */
bool csv_formula(const char *s);

/*
 * Append s (NULL: nothing) quoted when it holds a comma, quote or line
 * break; a value starting with = + - @ tab or CR is quoted and prefixed
 * with ' so that spreadsheets show it instead of running it.
 */
void csv_field(struct sbuf *sb, const char *s);

#endif
