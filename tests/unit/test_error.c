/*
 * test_error.c - the last error and its hint (error.h): the library says
 * what is wrong, and what to do about it as a hint id; the command words
 * the hint (issue 12 item 5: no command names or options in library
 * messages).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complaint/error.h"
#include "complaint/store.h"

/* No command name, no option: what a library message must not hold. */
static void assert_no_cli_words(const char *msg)
{
	if (strstr(msg, "'complaint ") || strstr(msg, "(complaint ") || strstr(msg, " --"))
		fail_msg("a command's words in a library message: %s", msg);
}

static void test_hint_kept_with_the_error(void **state)
{
	(void)state;
	assert_int_equal(cp_error(CP_EDATA, "plain"), -CP_EDATA);
	assert_int_equal(cp_errhint(), CP_HINT_NONE);
	assert_int_equal(cp_error_hint(CP_EBUSY, CP_HINT_LOCK_WAIT, "busy %d", 1), -CP_EBUSY);
	assert_int_equal(cp_errhint(), CP_HINT_LOCK_WAIT);
	assert_string_equal(cp_errmsg(), "busy 1");
	/* a wrap adds words in front and keeps what to do */
	assert_int_equal(cp_error_wrap("new"), -CP_EBUSY);
	assert_string_equal(cp_errmsg(), "new: busy 1");
	assert_int_equal(cp_err_last()->hint, CP_HINT_LOCK_WAIT);
	assert_int_equal(cp_err_last()->kind, CP_EBUSY);
	/* a new error says what to do again, or nothing */
	cp_error(CP_EUSAGE, "other");
	assert_int_equal(cp_errhint(), CP_HINT_NONE);
	assert_int_equal(cp_error_set_hint(CP_HINT_REPAIR), -CP_EUSAGE);
	assert_int_equal(cp_errhint(), CP_HINT_REPAIR);
	cp_error_clear();
	assert_int_equal(cp_errhint(), CP_HINT_NONE);
	assert_int_equal(cp_errkind(), 0);
}

static enum cp_hint seen_hint;
static char seen_msg[256];

static void seen(const char *msg, enum cp_hint hint)
{
	snprintf(seen_msg, sizeof(seen_msg), "%s", msg);
	seen_hint = hint;
}

static void test_warning_hint(void **state)
{
	(void)state;
	cp_warn_hint(CP_HINT_CHECK, "%s: counted once", "cases/2026/11/x.yaml");
	seen_hint = CP_HINT_NONE;
	cp_warnings_flush(seen);
	assert_string_equal(seen_msg, "cases/2026/11/x.yaml: counted once");
	assert_int_equal(seen_hint, CP_HINT_CHECK);
}

/* Finding no store: the library says so, the hint says how to make one. */
static void test_no_store_hint(void **state)
{
	char tmp[] = "/tmp/test_error.XXXXXX", cwd[PATH_MAX];
	char *root = NULL;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(cp_store_discover(&root, tmp), -CP_EUSAGE);
	assert_null(root);
	assert_int_equal(cp_errhint(), CP_HINT_INIT);
	assert_no_cli_words(cp_errmsg());
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmp), 0);
	/* /tmp and / hold no store either */
	assert_int_equal(cp_store_discover(&root, NULL), -CP_EUSAGE);
	assert_int_equal(cp_errhint(), CP_HINT_NO_STORE);
	assert_no_cli_words(cp_errmsg());
	assert_int_equal(chdir(cwd), 0);
	rmdir(tmp);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hint_kept_with_the_error),
		cmocka_unit_test(test_warning_hint),
		cmocka_unit_test(test_no_store_hint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
