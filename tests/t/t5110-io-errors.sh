#!/bin/sh
test_description='I/O errors: ENOSPC at every system call that writes, EIO at every write, fsync and rename, for new, assign and resolve'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

# STRACE: strace with fault injection, and not under valgrind.
if test "$TEST_VALGRIND" != 1 &&
   strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

# tmpfs when there is one (see t5100)
if test -d /dev/shm && test -w /dev/shm; then
	CRASH_TMP=$(mktemp -d /dev/shm/complaint-t5110.XXXXXX)
else
	CRASH_TMP=$TRASH_DIRECTORY/crash
	mkdir -p "$CRASH_TMP"
fi
export CRASH_TMP

test_expect_success STRACE 'setup: stores with a new case (tpl-new) and an assigned one (tpl-assigned)' '
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

total=0
for action in new assign resolve; do
	case $action in
	new)	tpl=tpl-new
		CMD="$TEST_BIN --now 2026-11-02T10:00 new --customer 李女士 --channel online --category product --summary 酒瓶破损" ;;
	assign)	tpl=tpl-new
		CMD="$TEST_BIN --now 2026-11-02T09:30 assign $ID --department 客房部 --responsible 赵六" ;;
	resolve)
		tpl=tpl-assigned
		CMD="$TEST_BIN --now 2026-11-02T10:30 resolve $ID --text 已道歉并免单 --compensation 200" ;;
	esac

	test_expect_success STRACE "the failure points of $action: every write, fsync, rename, link, unlink, mkdir, openat for writing" '
		rm -rf "$CRASH_TMP/s" && cp -a "$CRASH_TMP/$tpl" "$CRASH_TMP/s" &&
		if test $action != new; then
			(cd "$CRASH_TMP/s" && $CMD >/dev/null &&
			 git cat-file blob "HEAD:$CRASH_PATH") >"$CRASH_TMP/expect" &&
			rm -rf "$CRASH_TMP/s" && cp -a "$CRASH_TMP/$tpl" "$CRASH_TMP/s"
		fi &&
		(cd "$CRASH_TMP/s" && crash_points "$CRASH_TMP/points" writes $CMD) &&
		grep -q "^write " "$CRASH_TMP/points" &&
		grep -q "^fsync " "$CRASH_TMP/points" &&
		grep -q "^rename " "$CRASH_TMP/points"
	'

	# ENOSPC at every point; EIO at every write, fsync and rename
	grep -E "^(write|fsync|fdatasync|rename) " "$CRASH_TMP/points" >"$CRASH_TMP/points-eio" 2>/dev/null
	for err in ENOSPC EIO; do
		pts=$CRASH_TMP/points
		test $err = EIO && pts=$CRASH_TMP/points-eio
		test_expect_success STRACE "$action with $err at each point: non-zero exit, old or whole new commit, recoverable" '
			if test $action = new; then
				unset CRASH_EXPECT
			else
				CRASH_EXPECT=$CRASH_TMP/expect && export CRASH_EXPECT
			fi &&
			crash_loop "$pts" error=$err "$CRASH_TMP/$tpl" $action $CMD &&
			read points killed completed failed late landed tmpobj <"$CRASH_TMP/counts" &&
			echo "$action, $err: $points faults injected: $failed failed ($late after the commit landed, saying so), $completed exit 0 with the commit whole (libgit2 retried the object write, or the failed call did not matter; $tmpobj of them left a temporary object file for check --repair)" >summary.tmp &&
			test "$failed" -gt 5 &&
			test_must_be_empty "$CRASH_TMP/broken"
		'
		test -f summary.tmp && sed 's/^/# /' summary.tmp &&
		total=$((total + $(cut -d" " -f1 "$CRASH_TMP/counts")))
		sed -n '1,20s/^/# broken: /p' "$CRASH_TMP/broken" 2>/dev/null
		rm -f summary.tmp
	done
done
echo "# $total I/O faults injected in all"

test_expect_success 'clean up the tmpfs stores' '
	cd "$TRASH_DIRECTORY" &&
	rm -rf "$CRASH_TMP"
'

test_done
