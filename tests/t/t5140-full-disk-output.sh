#!/bin/sh
test_description='output to a full disk (/dev/full) is an error, never silent data loss'
. "$(dirname "$0")/test-lib.sh"

if test -w /dev/full && ! echo x >/dev/full 2>/dev/null; then
	test_set_prereq DEVFULL
fi

new_store store

test_expect_success 'setup: a few cases' '
	for i in 1 2 3; do
		complaint --now 2026-11-02T09:0$i new --customer "客户$i" --channel phone \
			--category service --summary "摘要 $i" >>ids.tmp || return 1
	done &&
	ID=$(head -1 ids.tmp) &&
	complaint --now 2026-11-02T09:10 assign $ID --department 餐饮部
'

# full CMD...: "complaint CMD > /dev/full" exits non-zero (not by a
# signal), with one line on stderr that says the output could not be
# written (why: "No space left on device" when the last flush failed;
# stdio does not keep the reason of an earlier failed write)
full () {
	complaint "$@" >/dev/full 2>err.full
	rc=$?
	if test $rc = 0 || test $rc -ge 99; then
		echo "complaint $* >/dev/full: exit $rc" >&2
		return 1
	fi
	test_error_line err.full &&
	test_grep "cannot write the output" err.full
}

test_expect_success DEVFULL 'list, in every format' '
	full --now 2026-11-03T00:00 list &&
	full --now 2026-11-03T00:00 list --format tsv &&
	full --now 2026-11-03T00:00 list --format csv &&
	full --now 2026-11-03T00:00 list --format json
'

test_expect_success DEVFULL 'show, yaml and json' '
	full show $ID &&
	full show $ID --format json
'

test_expect_success DEVFULL 'log, score, report, check, policy show' '
	full log $ID &&
	full --now 2026-12-01T00:00 score --month 2026-11 &&
	full --now 2026-12-01T00:00 report --month 2026-11 &&
	full --now 2026-12-01T00:00 report --month 2026-11 --format json &&
	full check &&
	full policy show
'

test_expect_success DEVFULL 'help and version' '
	full --help &&
	full --version &&
	full list --help
'

test_expect_success DEVFULL 'a large listing (beyond the stdio buffer) fails too' '
	i=0 &&
	while test $i -lt 40; do
		i=$((i + 1))
		complaint --now 2026-11-02T10:00 new --customer "c$i" --channel phone \
			--category service --summary "$(printf "%0200d" $i)" >/dev/null || return 1
	done &&
	complaint --now 2026-11-03T00:00 list --format json >big.tmp &&
	test $(wc -c <big.tmp) -gt 8192 &&
	full --now 2026-11-03T00:00 list --format json
'

test_expect_success DEVFULL 'new > /dev/full: the case is committed, and the message says so' '
	old=$(git rev-parse HEAD) &&
	test_expect_code 5 complaint --now 2026-11-02T11:00 new --customer x --channel phone \
		--category service --summary lost-id >/dev/full 2>err &&
	test_error_line err &&
	test_grep "cannot write the output.*the change is committed" err &&
	test "$(git rev-parse HEAD^)" = "$old" &&
	git log -1 --format=%s | grep "^new C-" &&
	complaint check >out 2>err
'

test_expect_success DEVFULL 'report -o FILE on a full disk: an error, no half file left' '
	test_must_fail complaint --now 2026-12-01T00:00 report --month 2026-11 -o /dev/full 2>err &&
	test_grep "/dev/full\\|No space" err
'

test_done
