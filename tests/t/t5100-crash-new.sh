#!/bin/sh
test_description='crash safety: new killed with SIGKILL at every system call that writes or opens'
. "$(dirname "$0")/test-lib.sh"

# The stores of this script live on tmpfs when there is one: the kill
# points do not depend on the disk, and a store on tmpfs makes each of
# the hundreds of runs cheap.
. "$TEST_ROOT/tools/crash/crashlib.sh"

# STRACE: strace with fault injection, and not under valgrind (the
# hundreds of runs would take an hour there).
if test "$TEST_VALGRIND" != 1 &&
   strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

if test -d /dev/shm && test -w /dev/shm; then
	CRASH_TMP=$(mktemp -d /dev/shm/complaint-t5100.XXXXXX)
else
	CRASH_TMP=$TRASH_DIRECTORY/crash
	mkdir -p "$CRASH_TMP"
fi
export CRASH_TMP

test_expect_success STRACE 'setup: a store with one case' '
	complaint --now 2026-11-01T09:00 init "$CRASH_TMP/tpl" >/dev/null &&
	(cd "$CRASH_TMP/tpl" &&
	 complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 >"$CRASH_TMP/id")
'

NEW="$TEST_BIN --now 2026-11-02T10:00 new --customer 李女士 --channel online --category product --summary 酒瓶破损 --amount 1200"

test_expect_success STRACE 'the kill points of new: every openat, close, write, fsync, link, rename, unlink, mkdir, utimensat' '
	rm -rf "$CRASH_TMP/s" && cp -a "$CRASH_TMP/tpl" "$CRASH_TMP/s" &&
	(cd "$CRASH_TMP/s" && crash_points "$CRASH_TMP/points" all $NEW) &&
	awk "{ print \$1 }" "$CRASH_TMP/points" | sort | uniq -c >"$TRASH_DIRECTORY/calls" &&
	for s in openat write fsync rename link unlink; do
		grep -q "^$s " "$CRASH_TMP/points" || { echo "no $s call seen" >&2; return 1; }
	done
'

test -f calls && echo "# calls of new:" $(cat calls)

test_expect_success STRACE 'new killed at each point: HEAD old or new, fsck clean, check --repair recovers, the next new works' '
	start=$(date +%s) &&
	crash_loop "$CRASH_TMP/points" signal=SIGKILL "$CRASH_TMP/tpl" new $NEW &&
	read points killed completed failed late landed tmpobj <"$CRASH_TMP/counts" &&
	echo "new: $points kill points tried ($killed killed: $landed after the commit landed, $((killed - landed)) before; $completed ran to the end), in $(($(date +%s) - start)) s" >"$TRASH_DIRECTORY/summary" &&
	test "$killed" -gt 100 &&
	test_must_be_empty "$CRASH_TMP/broken"
'

test -f summary && sed 's/^/# /' summary && cat "$CRASH_TMP/broken" 2>/dev/null | sed -n '1,20s/^/# broken: /p'

test_expect_success STRACE 'the kill points include both sides of the commit' '
	# a kill before the branch moves and one after it: both outcomes seen
	rm -rf "$CRASH_TMP/s" && cp -a "$CRASH_TMP/tpl" "$CRASH_TMP/s" &&
	cd "$CRASH_TMP/s" &&
	old=$(git rev-parse HEAD) &&
	crash_strace -f -qq -e trace=rename -o ../renames $NEW >/dev/null &&
	n=$(grep -n "refs/heads/" ../renames | cut -d: -f1) &&
	git reset -q --hard "$old" && git clean -qfdx &&
	test_expect_code 137 crash_inject rename signal=SIGKILL $n $NEW &&
	test "$(git rev-parse HEAD)" = "$old" &&
	cd .. && rm -rf s && cp -a tpl s && cd s &&
	last=$(grep "^fsync " "$CRASH_TMP/points" | tail -1 | cut -d" " -f2) &&
	test_expect_code 137 crash_inject fsync signal=SIGKILL $last $NEW &&
	test "$(git rev-parse HEAD^)" = "$old" &&
	cd "$TRASH_DIRECTORY"
'

test_expect_success 'clean up the tmpfs stores' '
	cd "$TRASH_DIRECTORY" &&
	rm -rf "$CRASH_TMP"
'

test_done
