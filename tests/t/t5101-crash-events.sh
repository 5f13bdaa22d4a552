#!/bin/sh
test_description='crash safety: assign and resolve killed with SIGKILL at every system call that writes or opens'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

# STRACE: strace with fault injection, and not under valgrind.
if test "$TEST_VALGRIND" != 1 &&
   strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

# tmpfs when there is one (see t5100)
if test -d /dev/shm && test -w /dev/shm; then
	CRASH_TMP=$(mktemp -d /dev/shm/complaint-t5101.XXXXXX)
else
	CRASH_TMP=$TRASH_DIRECTORY/crash
	mkdir -p "$CRASH_TMP"
fi
export CRASH_TMP

# expect_run NAME TEMPLATE CMD...: the case file CMD commits in a copy of
# TEMPLATE, without faults, to $CRASH_TMP/NAME.expect
expect_run () {
	rm -rf "$CRASH_TMP/s" && cp -a "$2" "$CRASH_TMP/s" &&
	(cd "$CRASH_TMP/s" && shift 2 && "$@" >/dev/null &&
	 git cat-file blob "HEAD:$CRASH_PATH") >"$CRASH_TMP/$1.expect"
}

test_expect_success STRACE 'setup: a new case (tpl-new) and the same case assigned (tpl-assigned)' '
	complaint --now 2026-11-01T09:00 init "$CRASH_TMP/tpl-new" >/dev/null &&
	cd "$CRASH_TMP/tpl-new" &&
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	CRASH_PATH=$(case_path $ID) && export CRASH_PATH &&
	cp -a "$CRASH_TMP/tpl-new" "$CRASH_TMP/tpl-assigned" &&
	cd "$CRASH_TMP/tpl-assigned" &&
	complaint --now 2026-11-02T09:05 assign $ID --department 餐饮部 --responsible 张三 &&
	cd "$TRASH_DIRECTORY"
'

for action in assign resolve; do
	# assign: every openat too; resolve: the calls that write (a kill at
	# an openat for reading is the state of a kill at the write before)
	case $action in
	assign)	tpl=tpl-new mode=opens
		CMD="$TEST_BIN --now 2026-11-02T09:30 assign $ID --department 客房部 --responsible 赵六" ;;
	resolve)
		tpl=tpl-assigned mode=writes
		CMD="$TEST_BIN --now 2026-11-02T10:30 resolve $ID --text 已道歉并免单 --cause 厨房缺人 --compensation 200" ;;
	esac

	test_expect_success STRACE "the kill points of $action ($mode): write, fsync, link, rename, unlink, mkdir, openat" '
		expect_run $action "$CRASH_TMP/$tpl" $CMD &&
		rm -rf "$CRASH_TMP/s" && cp -a "$CRASH_TMP/$tpl" "$CRASH_TMP/s" &&
		(cd "$CRASH_TMP/s" && crash_points "$CRASH_TMP/points" $mode $CMD) &&
		awk "{ print \$1 }" "$CRASH_TMP/points" | sort | uniq -c >calls.tmp &&
		grep -q "^fsync " "$CRASH_TMP/points" &&
		grep -q "^rename " "$CRASH_TMP/points"
	'
	test -f calls.tmp && echo "# calls of $action:" $(cat calls.tmp)

	test_expect_success STRACE "$action killed at each point: old or whole new version, fsck clean, check --repair recovers" '
		start=$(date +%s) &&
		CRASH_EXPECT="$CRASH_TMP/$action.expect" &&
		export CRASH_EXPECT &&
		crash_loop "$CRASH_TMP/points" signal=SIGKILL "$CRASH_TMP/$tpl" $action $CMD &&
		read points killed completed failed late landed tmpobj <"$CRASH_TMP/counts" &&
		echo "$action: $points kill points tried ($killed killed: $landed after the commit landed, $((killed - landed)) before; $completed ran to the end), in $(($(date +%s) - start)) s" >summary.tmp &&
		test "$killed" -gt 50 &&
		test_must_be_empty "$CRASH_TMP/broken"
	'
	test -f summary.tmp && sed 's/^/# /' summary.tmp
	sed -n '1,20s/^/# broken: /p' "$CRASH_TMP/broken" 2>/dev/null
	rm -f summary.tmp calls.tmp
done

test_expect_success 'clean up the tmpfs stores' '
	cd "$TRASH_DIRECTORY" &&
	rm -rf "$CRASH_TMP"
'

test_done
