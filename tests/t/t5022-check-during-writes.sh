#!/bin/sh
test_description='check takes the store lock: it never sees a change half made, and a busy store is exit 4 like writers'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

if strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

test_expect_success 'setup: a case' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW) &&
	F=$(case_path $ID)
'

test_expect_success 'check waits for the store lock like a writer; busy past --lock-timeout is exit 4' '
	rm -f release.tmp &&
	{ flock .git/complaint.lock sh -c "n=0; while test ! -f release.tmp && test \$n -lt 1200; do sleep 0.05; n=\$((n + 1)); done" & } &&
	holder=$! &&
	n=0 &&
	while flock -n .git/complaint.lock true && test $n -lt 600; do
		sleep 0.05
		n=$((n + 1))
	done &&
	test_expect_code 4 complaint --lock-timeout 0.2 check >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "busy.*complaint.lock.*waited 0.2 s" err &&
	{ (complaint --lock-timeout 120 check >out 2>err; echo $? >rc.tmp) & } &&
	checker=$! &&
	touch release.tmp &&
	wait $holder && wait $checker &&
	echo 0 >expect.tmp && test_cmp expect.tmp rc.tmp &&
	test_grep "^1 case checked, 0 unreadable; 0 problems" out
'

test_expect_success STRACE 'check while a change is half made (its file written, not committed): busy (4), not problems' '
	crash_stop "$PWD/$(dirname "$F")" openat \
		"$TEST_BIN" --now 2026-11-02T09:10 note $ID "half made" &&
	grep "half made" "$F" &&
	test_expect_code 4 complaint --lock-timeout 0.3 check >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "busy" err &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	complaint check >out 2>err
'

# busy_while_stopped SYSCALL AT TEXT: a note stopped just after its first
# SYSCALL on the branch's lock file; check meanwhile is busy (4), prints
# no problem, and is clean once the note has finished.
busy_while_stopped () {
	BRANCH=$(git symbolic-ref HEAD) &&
	crash_stop "$PWD/.git/$BRANCH.lock" "$1" \
		"$TEST_BIN" --now "$2" note $ID "$3" &&
	test_expect_code 4 complaint --lock-timeout 0.3 check >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	complaint check >out 2>err
}

test_expect_success STRACE 'check while the new index is in, the branch not moved yet: busy (4), not problems' '
	busy_while_stopped openat 2026-11-02T09:20 "index in, branch next"
'

test_expect_success STRACE 'check while the branch has moved, the lock not let go yet: busy (4), not problems' '
	busy_while_stopped rename 2026-11-02T09:21 "committed, lock next"
'

test_expect_success 'checks run during a stream of writers: never a problem' '
	rm -f writers-done.tmp &&
	{ (for i in $(seq 1 40); do
		complaint --lock-timeout 60 --now 2026-11-02T10:00 note $ID "stream $i" >/dev/null 2>&1 || exit 1
	done; : >writers-done.tmp) & } &&
	writers=$! &&
	: >checks.tmp &&
	n=0 &&
	while test ! -f writers-done.tmp && test $n -lt 200; do
		complaint --lock-timeout 60 check >check-out.tmp 2>&1
		echo "$?" >>checks.tmp
		grep "^problem" check-out.tmp >>checks.tmp
		n=$((n + 1))
	done &&
	wait $writers &&
	test_path_is_file writers-done.tmp &&
	sort -u checks.tmp >codes.tmp &&
	echo 0 >expect.tmp &&
	test_cmp expect.tmp codes.tmp
'

# as_reader CMD...: run CMD as a user who may read the store, not write it
as_reader () {
	setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ "$@"
}

test_expect_success 'setup: the store readable by everybody' '
	chmod -R a+rX "$TRASH_DIRECTORY" &&
	if test "$(id -u)" = 0 && as_reader "$TEST_BIN" --version >/dev/null 2>&1; then
		test_set_prereq READER
	fi
'

test_expect_success READER 'a user who may not write the store still checks it, under the lock' '
	test_path_is_file .git/complaint.lock &&
	as_reader "$TEST_BIN" check >out 2>err &&
	test_grep "^1 case checked, 0 unreadable; 0 problems" out &&
	rm -f release.tmp &&
	{ flock .git/complaint.lock sh -c "n=0; while test ! -f release.tmp && test \$n -lt 1200; do sleep 0.05; n=\$((n + 1)); done" & } &&
	holder=$! &&
	n=0 &&
	while flock -n .git/complaint.lock true && test $n -lt 600; do
		sleep 0.05
		n=$((n + 1))
	done &&
	test_expect_code 4 as_reader "$TEST_BIN" --lock-timeout 0.2 check >out 2>err &&
	touch release.tmp &&
	wait $holder
'

crash_stop_end
test_done
