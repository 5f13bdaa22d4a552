/* csv.h - CSV (RFC 4180): writing one field, spreadsheet formulas defused; reading a file. */
#ifndef COMPLAINT_CSV_H
#define COMPLAINT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/sbuf.h"

/*
 * Would a spreadsheet read s as a formula (it starts with = + - @ tab or
 * CR)?  Every output made for spreadsheets (CSV, TSV) puts a ' before
 * such a value, and before a value that starts with ' and would be one
 * without it, so that the reader can take exactly one ' away again.
 */
bool cp_csv_formula(const char *s);

/*
 * Append s (NULL: nothing) quoted when it holds a comma, quote or line
 * break; a value cp_csv_formula() calls a formula is quoted and prefixed
 * with ' so that spreadsheets show it instead of running it.
 */
void cp_csv_field(struct cp_sbuf *sb, const char *s);

/* A CSV file read whole: records of fields, each with its first line. */
struct cp_csv_record {
	char **fields;
	size_t n;
	int line;	/* the 1-based line the record starts on */
};
struct cp_csv_file {
	struct cp_csv_record *rec;
	size_t n, alloc;
};

/*
 * Read buf as CSV (RFC 4180): fields split by commas, records by CRLF or
 * LF, "quoted" fields with "" for a quote and line breaks inside; a
 * UTF-8 byte order mark at the start is skipped; a quoted field written
 * with cp_csv_field()'s ' before a formula gets it back without the '.
 * Empty lines are skipped.  Errors (-CP_EDATA) name file:line: text
 * that is not UTF-8, a NUL byte, a quote inside an unquoted field or
 * after a closing quote, a quote never closed.
 */
int cp_csv_read(struct cp_csv_file *out, const char *file, const char *buf, size_t len);
void cp_csv_file_release(struct cp_csv_file *f);

#endif
