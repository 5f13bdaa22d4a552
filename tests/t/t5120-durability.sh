#!/bin/sh
test_description='durability: case file, objects and branch are on disk, in order, before exit 0'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

# Checked on the system calls themselves (strace -y names the file behind
# every descriptor): see tools/crash/durability.py for the rules.
if test "$TEST_VALGRIND" != 1 && command -v strace >/dev/null 2>&1; then
	test_set_prereq STRACE
fi

new_store store

# durable CMD...: run CMD under strace, then check the trace
durable () {
	crash_strace -f -q -y -o ../trace.tmp \
		-e trace=openat,write,pwrite64,fsync,fdatasync,rename,link,unlink,mkdir,close,exit_group \
		"$TEST_BIN" "$@" >out 2>err &&
	python3 "$TEST_ROOT/tools/crash/durability.py" ../trace.tmp "$PWD" >../durable.tmp
}

test_expect_success STRACE 'new: the case file, every object and the branch are fsynced, the branch last' '
	durable --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received 2026-11-02T08:55 &&
	ID=$(cat out) &&
	F=$(case_path $ID) &&
	cat ../durable.tmp &&
	grep -q "fsync(.*</[^>]*/\.${ID}\.yaml\.tmp-[0-9]*>)" ../trace.tmp &&
	grep -q "fsync(.*</[^>]*/cases/2026/11>)" ../trace.tmp &&
	grep -q "fsync(.*</[^>]*/\.git/refs/heads/[^>]*\.lock>)" ../trace.tmp &&
	grep -q "fsync(.*</[^>]*/\.git/refs/heads>)" ../trace.tmp &&
	grep -q "fsync(.*</[^>]*/\.git/objects/tmp_object_git2_[^>]*>)" ../trace.tmp
'
test -f ../durable.tmp && sed 's/^/# new: /' ../durable.tmp

test_expect_success STRACE 'the same for the first case of a month (new folders: their parents are fsynced)' '
	durable --now 2026-12-02T09:00 new --customer 李女士 --channel phone \
		--category service --summary 十二月 &&
	grep -q "mkdir(\"[^\"]*/cases/2026/12\"" ../trace.tmp &&
	grep -q "fsync(.*</[^>]*/cases/2026>)" ../trace.tmp
'

test_expect_success STRACE 'assign and resolve: the same' '
	durable --now 2026-11-02T09:10 assign $ID --department 餐饮部 --responsible 张三 &&
	sed "s/^/# assign: /" ../durable.tmp &&
	durable --now 2026-11-02T10:00 resolve $ID --text 已处理 &&
	sed "s/^/# resolve: /" ../durable.tmp
'

test_expect_success STRACE 'a failing fsync of the case file is an error, and nothing is committed' '
	rm -rf ../copy && cp -a . ../copy &&
	n=$(cd ../copy && crash_strace -f -q -y -e trace=fsync -o ../fs.tmp "$TEST_BIN" \
		--now 2026-11-02T10:05 note $ID first >/dev/null &&
	    grep "fsync(" ../fs.tmp | grep -n "\.yaml\.tmp-" | cut -d: -f1) &&
	old=$(git rev-parse HEAD) &&
	test_expect_code 5 crash_strace -f -qq -o /dev/null -e trace=fsync \
		-e inject=fsync:error=EIO:when=$n \
		"$TEST_BIN" --now 2026-11-02T10:05 note $ID first >out 2>err &&
	test_error_line err &&
	test_grep "cannot sync" err &&
	test "$(git rev-parse HEAD)" = "$old" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'libgit2 is told to fsync (GIT_OPT_ENABLE_FSYNC_GITDIR)' '
	grep -q "GIT_OPT_ENABLE_FSYNC_GITDIR, 1" "$TEST_ROOT/lib/store/git.c"
'

test_done
