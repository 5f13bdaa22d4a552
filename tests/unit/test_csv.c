/*
 * test_csv.c - the CSV reader (RFC 4180) against the writer: whatever
 * cp_csv_field() writes, cp_csv_read() gives back exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "complaint/error.h"

static const char *const values[] = {
	"", "plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\ninside",
	"=1+1", "+86 138", "-5", "@SUM(A1)", "\ttab", "\rcr", "'=x", "''=y",
	"'plain", "'", "酒有沉淀，怪味", " spaced ", "\"", ",", "end\r",
};
#define NV (sizeof(values) / sizeof(values[0]))

static void test_round_trip(void **state)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	struct cp_csv_file f;
	size_t i;

	(void)state;
	/* every value in a row of its own, after a first column "x" */
	for (i = 0; i < NV; i++) {
		cp_sbuf_adds(&sb, "x,");
		cp_csv_field(&sb, values[i]);
		cp_sbuf_adds(&sb, i % 2 ? "\r\n" : "\n");
	}
	assert_int_equal(cp_csv_read(&f, "t.csv", sb.buf, sb.len), 0);
	assert_int_equal(f.n, NV);
	for (i = 0; i < NV; i++) {
		assert_int_equal(f.rec[i].n, 2);
		assert_string_equal(f.rec[i].fields[0], "x");
		assert_string_equal(f.rec[i].fields[1], values[i]);
	}
	cp_csv_file_release(&f);
	cp_sbuf_release(&sb);
}

static void test_lines_and_shapes(void **state)
{
	static const char in[] = "\xef\xbb\xbf" "a,b\r\n\r\n\"1\n2\",\"\"\n\nc,\nlast,\"q\"";
	struct cp_csv_file f;

	(void)state;
	assert_int_equal(cp_csv_read(&f, "t.csv", in, sizeof(in) - 1), 0);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.rec[0].fields[0], "a");
	assert_int_equal(f.rec[0].line, 1);
	assert_string_equal(f.rec[1].fields[0], "1\n2");
	assert_string_equal(f.rec[1].fields[1], "");
	assert_int_equal(f.rec[1].line, 3);
	assert_int_equal(f.rec[2].line, 6);
	assert_int_equal(f.rec[2].n, 2);
	assert_string_equal(f.rec[2].fields[1], "");
	assert_int_equal(f.rec[3].line, 7);
	assert_string_equal(f.rec[3].fields[1], "q");
	cp_csv_file_release(&f);
	/* a line of one empty quoted field is a record */
	assert_int_equal(cp_csv_read(&f, "t.csv", "\"\"\n", 3), 0);
	assert_int_equal(f.n, 1);
	cp_csv_file_release(&f);
}

static void expect_bad(const char *in, size_t len, const char *why)
{
	struct cp_csv_file f;

	assert_int_equal(cp_csv_read(&f, "t.csv", in, len), -CP_EDATA);
	assert_null(f.rec);
	if (!strstr(cp_errmsg(), why))
		fail_msg("message '%s' does not say '%s'", cp_errmsg(), why);
}

static void test_refused(void **state)
{
	(void)state;
	expect_bad("a,\"b\n\nc", 7, "t.csv:1: a quoted field is never closed");
	expect_bad("a\nb\"c\n", 6, "t.csv:2: a quote inside a field");
	expect_bad("a\n\"b\"c\n", 7, "t.csv:2: text after a closing quote");
	expect_bad("a\nb\n\xff\n", 6, "t.csv:3: not UTF-8");
	expect_bad("a\nb\0c\n", 6, "t.csv:2: a NUL byte");
	expect_bad("\"a\0\"\n", 5, "t.csv:1: a NUL byte");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_lines_and_shapes),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
