/*
 * test_name.c - names are people, not bytes (include/complaint/name.h,
 * SPEC section 9): one normal form, and every invisible character refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/name.h"

static void expect_name(const char *in, const char *want)
{
	char *out = NULL;
	bool changed = true;

	if (cp_name_norm(&out, &changed, in, strlen(in)) < 0)
		fail_msg("'%s' refused: %s", in, cp_errmsg());
	assert_string_equal(out, want);
	assert_int_equal(changed, strcmp(in, want) != 0);
	free(out);
}

static void expect_refused(const char *in, const char *why)
{
	char *out = (char *)1;

	assert_int_equal(cp_name_norm(&out, NULL, in, strlen(in)), -CP_EUSAGE);
	assert_null(out);
	if (!strstr(cp_errmsg(), why))
		fail_msg("'%s': message '%s' does not say '%s'", in, cp_errmsg(), why);
}

static void test_normal_form(void **state)
{
	(void)state;
	expect_name("张三", "张三");
	expect_name("张三 ", "张三");
	expect_name(" 张三", "张三");
	expect_name("  张三  ", "张三");
	expect_name("\u3000张三\u00a0", "张三");		/* ideographic space, no-break space */
	expect_name("\u2003张三\u202f", "张三");		/* em space, narrow no-break space */
	expect_name("张  三", "张 三");
	expect_name("Li\u00a0\u3000Si", "Li Si");
	expect_name("Jose\u0301", "Jos\u00e9");		/* NFC composes */
	expect_name("\u212bngstr\u00f6m", "\u00c5ngstr\u00f6m");	/* Angstrom sign */
	expect_name("客服中心/赵六", "客服中心/赵六");
	expect_name("\u9fa5\U00020000", "\u9fa5\U00020000");	/* CJK, plane 2 */
}

static void test_invisible_refused(void **state)
{
	static const char *const bad[] = {
		"张三\t", "\t张三", "张\t三", "张三\n", "张三\r", "张三\x1b[31m",
		"张三\xc2\x85", "张三\x7f", "张三\u200b", "\u200b张三", "张三\u200c",
		"张三\u200d", "张三\u2060", "\ufeff张三", "张\u202e三", "张三\u202a",
		"张三\u2066", "张三\u200e", "张三\u200f", "张三\u061c", "张三\u00ad",
		"张三\u034f", "张三\ufe0f", "张三\ufe00", "张三\u180e", "\u3164",
		"张三\u115f", "张三\uffa0", "张三\u2028", "张三\u2029", "张三\U000E0041",
		"张三\U000E0001", "张三\ufdd0", "张三\U0001FFFF", "\u2800", "张三\u2800",
		NULL
	};
	int i;

	(void)state;
	for (i = 0; bad[i]; i++)
		expect_refused(bad[i], "invisible");
}

static void test_empty_long_invalid(void **state)
{
	char buf[200];

	(void)state;
	expect_refused("", "empty");
	expect_refused("   ", "empty");
	expect_refused("\u3000", "empty");
	expect_refused("\xe5\xbc", "UTF-8");
	expect_refused("\xed\xa0\x80", "UTF-8");	/* a surrogate */
	memset(buf, 'a', 128);
	buf[128] = '\0';
	expect_name(buf, buf);
	buf[128] = 'a';
	buf[129] = '\0';
	expect_refused(buf, "too long");
	/* the limit is on the normal form: white space around does not count */
	memset(buf, ' ', 10);
	memset(buf + 10, 'a', 128);
	buf[138] = ' ';
	buf[139] = '\0';
	{
		char *out;

		assert_int_equal(cp_name_norm(&out, NULL, buf, strlen(buf)), 0);
		assert_int_equal(strlen(out), 128);
		free(out);
	}
}

static void expect_actor(const char *in, const char *want)
{
	char *out = NULL;

	if (cp_actor_norm(&out, NULL, in, strlen(in)) < 0)
		fail_msg("actor '%s' refused: %s", in, cp_errmsg());
	assert_string_equal(out, want);
	free(out);
}

static void expect_actor_refused(const char *in, const char *why)
{
	char *out = (char *)1;

	assert_int_equal(cp_actor_norm(&out, NULL, in, strlen(in)), -CP_EUSAGE);
	assert_null(out);
	if (!strstr(cp_errmsg(), why))
		fail_msg("actor '%s': message '%s' does not say '%s'", in, cp_errmsg(), why);
}

static void test_actor(void **state)
{
	(void)state;
	expect_actor("赵六", "赵六");
	expect_actor("客服中心/赵六", "客服中心/赵六");
	expect_actor(" 客服中心 / 赵六 ", "客服中心/赵六");
	expect_actor("客服中心/\u3000赵六\u00a0", "客服中心/赵六");
	expect_actor("集团/客服中心/赵六", "集团/客服中心/赵六");
	expect_actor_refused("客服中心/", "Unit/Name");
	expect_actor_refused("/赵六", "Unit/Name");
	expect_actor_refused("客服中心//赵六", "Unit/Name");
	expect_actor_refused("客服中心/ /赵六", "Unit/Name");
	expect_actor_refused("客服中心/赵六\u200b", "invisible");
	expect_actor_refused("赵六 <zl@example.com>", "'<' or '>'");
	expect_actor_refused("", "empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_form),
		cmocka_unit_test(test_invisible_refused),
		cmocka_unit_test(test_empty_long_invalid),
		cmocka_unit_test(test_actor),
	};

	return cmocka_run_group_tests_name("name", tests, NULL, NULL);
}
