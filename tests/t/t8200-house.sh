#!/bin/sh
test_description='the house in order (issue 12): libgit2 only in the store, libyaml only in its reader, no TZ in the library, every exported name with cp_, no file over 700 lines'
. "$(dirname "$0")/test-lib.sh"

in_root () {
	(cd "$TEST_ROOT" && "$@")
}
LIBA=$(dirname "$TEST_BIN")/libcomplaint.a
test -f "$LIBA" && test_set_prereq LIBA

test_expect_success '<git2.h> is included only under lib/store/' '
	in_root grep -rl "^#include <git2" lib cmd include >git2.tmp || :
	grep -v "^lib/store/" git2.tmp >outside.tmp || :
	test_must_be_empty outside.tmp &&
	test -s git2.tmp
'

test_expect_success '<yaml.h> is included only by the YAML reader' '
	in_root grep -rl "^#include <yaml\.h>" lib cmd include >yaml.tmp || :
	echo lib/yaml_read.c >expect.tmp &&
	test_cmp expect.tmp yaml.tmp
'

test_expect_success 'nothing in lib/ sets or reads TZ' '
	in_root grep -rn -e "setenv(\"TZ\"" -e "getenv(\"TZ\")" -e "tzset" -e "unsetenv(\"TZ\"" lib >tz.tmp || :
	test_must_be_empty tz.tmp
'

test_expect_success LIBA 'every global symbol of the library starts with cp_' '
	nm -g --defined-only "$LIBA" >nm.tmp &&
	test -s nm.tmp &&
	# the sanitizers add symbols of their own (__odr_asan.*, __asan_*)
	awk "NF == 3 && \$2 ~ /[TDBR]/ && \$3 !~ /^(cp_|__odr_asan|__asan|__ubsan|__sanitizer)/ { print \$3 }" \
		nm.tmp >names.tmp &&
	test_must_be_empty names.tmp
'

test_expect_success 'no C file in lib/ or cmd/ is over 700 lines' '
	for f in $(in_root find lib cmd -name "*.c"); do
		n=$(wc -l <"$TEST_ROOT/$f")
		test "$n" -le 700 || echo "$f: $n lines"
	done >long.tmp &&
	test_must_be_empty long.tmp
'

test_done
