#!/bin/sh
test_description='stale locks and interrupted changes: reported with their path and remedy, undone by check --repair'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

if strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

# age FILE...: make files look a minute old (as a lock left by a killed
# process is, by the time somebody repairs the store)
age () {
	touch -h -d "@$(($(date +%s) - 60))" "$@"
}

test_expect_success 'setup: a case' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW) &&
	F=$(case_path $ID) &&
	test -n "$F"
'

test_expect_success 'a leftover .git/index.lock: a write exits 4 naming it and the remedy' '
	: >.git/index.lock &&
	store_snapshot &&
	test_expect_code 4 complaint --now 2026-11-02T09:10 $NEW >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep -F "$PWD/.git/index.lock" err &&
	test_grep -F "check --repair" err &&
	test_grep -F "rm " err &&
	store_unchanged &&
	test_expect_code 4 complaint --now 2026-11-02T09:10 assign $ID --department 餐饮部 >out 2>err &&
	test_grep -F ".git/index.lock" err
'

test_expect_success 'check reports it (exit 1) with its path and the remedy' '
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*$PWD/.git/index.lock" out &&
	test_grep "check --repair" out
'

test_expect_success 'check --repair leaves a lock alone while a process holds it, however old' '
	: >.git/index.lock &&
	age .git/index.lock &&
	{ (exec 9<.git/index.lock; for i in $(seq 1200); do test -f release.tmp && break; sleep 0.05; done) & } &&
	holder=$! &&
	complaint check --repair >out 2>err &&
	test_path_is_file .git/index.lock &&
	test_grep "^warning: .*index.lock. is in use (held by pid [0-9]" out &&
	complaint check >out 2>err &&
	test_grep "^warning: .*index.lock. is in use" out &&
	touch release.tmp &&
	wait $holder
'

test_expect_success 'check --repair removes one whose process is gone; the next write works' '
	complaint check --repair >out 2>err &&
	test_grep "^repaired: removed the stale index lock .*index.lock" out &&
	test_path_is_missing .git/index.lock &&
	complaint --now 2026-11-02T09:20 $NEW >out 2>err &&
	test_line_count = 1 out
'

test_expect_success 'a leftover branch lock: a write exits 4 naming it, check reports, --repair removes' '
	branch=$(git symbolic-ref HEAD) &&
	: >".git/$branch.lock" &&
	store_snapshot &&
	test_expect_code 4 complaint --now 2026-11-02T09:30 $NEW >out 2>err &&
	test_error_line err &&
	test_grep -F "$PWD/.git/$branch.lock" err &&
	test_grep -F "check --repair" err &&
	store_unchanged &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*$branch.lock" out &&
	age ".git/$branch.lock" &&
	complaint check --repair >out 2>err &&
	test_grep "^repaired: removed the stale branch lock" out &&
	test_path_is_missing ".git/$branch.lock" &&
	complaint --now 2026-11-02T09:30 $NEW >out 2>err
'

test_expect_success 'our own lock file left by a killed command blocks nothing (it is an flock)' '
	test_path_is_file .git/complaint.lock &&
	complaint --now 2026-11-02T09:35 $NEW >out 2>err &&
	complaint check >out 2>err
'

test_expect_success 'a temporary case file left by an interrupted write (its process gone): reported, removed by --repair' '
	dir=$(dirname "$F") &&
	echo "id: half" >"$dir/.$ID.yaml.tmp-999999999" &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*\.$ID\.yaml\.tmp-999999999.*temporary" out &&
	complaint check --repair >out 2>err &&
	test_path_is_missing "$dir/.$ID.yaml.tmp-999999999" &&
	complaint check >out 2>err
'

test_expect_success 'a changed case file that was never committed: check says so; a change to it is refused (4)' '
	cp "$F" saved.tmp &&
	sed "s/^summary: .*/summary: 改过/" saved.tmp >"$F" &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: $F: changed but not committed.*check --repair" out &&
	store_snapshot &&
	test_expect_code 4 complaint --now 2026-11-02T09:40 assign $ID --department 餐饮部 >out 2>err &&
	test_error_line err &&
	test_grep -F "$F" err &&
	store_unchanged
'

test_expect_success 'check --repair puts the committed version back and keeps the changed copy' '
	complaint check --repair >out 2>err &&
	test_grep "^repaired: $F: restored the committed version" out &&
	test_cmp saved.tmp "$F" &&
	grep "^summary: 改过" ".git/complaint-lost/$F" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err
'

test_expect_success 'an uncommitted new case file: reported; --repair moves it to .git/complaint-lost/' '
	mkdir -p cases/2026/11 &&
	sed "s/$ID/C-20261102-LOST0001/" "$F" >cases/2026/11/C-20261102-LOST0001.yaml &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: cases/2026/11/C-20261102-LOST0001.yaml: not committed" out &&
	complaint check --repair >out 2>err &&
	test_path_is_missing cases/2026/11/C-20261102-LOST0001.yaml &&
	test_path_is_file .git/complaint-lost/cases/2026/11/C-20261102-LOST0001.yaml &&
	complaint check >out 2>err
'

test_expect_success STRACE 'new killed as the branch was about to move: check detects it, --repair undoes it' '
	old=$(git rev-parse HEAD) &&
	# which rename moves the branch: count them in a run that is undone
	crash_strace -f -qq -e trace=rename -o ../renames.tmp "$TEST_BIN" --now 2026-11-02T09:50 $NEW >out 2>err &&
	n=$(grep -n "refs/heads/" ../renames.tmp | cut -d: -f1) &&
	git reset -q --hard $old &&
	(crash_strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=SIGKILL:when=$n \
		"$TEST_BIN" --now 2026-11-02T09:51 $NEW >out 2>err; echo $? >rc.tmp) &&
	echo 137 >expect.tmp && test_cmp expect.tmp rc.tmp &&
	test "$(git rev-parse HEAD)" = "$old" &&
	# the index is put in place before the branch moves: the file is staged
	git status --porcelain >status.tmp &&
	test_grep "^A  cases/" status.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: cases/.*: not committed" out &&
	test_grep "^problem: .*\.lock. exists" out &&
	test_grep "^warning: .*index.complaint-old.*interrupted change" out &&
	age .git/refs/heads/*.lock &&
	complaint check --repair >out 2>err &&
	test_grep "^repaired: cases/.*moved an uncommitted case file" out &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test_path_is_missing .git/index.complaint-old &&
	test "$(git rev-parse HEAD)" = "$old" &&
	complaint --now 2026-11-02T09:52 $NEW >out 2>err
'

test_expect_success STRACE 'assign killed as the branch was about to move: --repair restores the committed version' '
	old=$(git rev-parse HEAD) &&
	crash_strace -f -qq -e trace=rename -o ../renames.tmp "$TEST_BIN" --now 2026-11-02T09:55 note $ID dry >out 2>err &&
	n=$(grep -n "refs/heads/" ../renames.tmp | cut -d: -f1) &&
	git reset -q --hard $old &&
	(crash_strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=SIGKILL:when=$n \
		"$TEST_BIN" --now 2026-11-02T10:00 assign $ID --department 餐饮部 >out 2>err; echo $? >rc.tmp) &&
	echo 137 >expect.tmp && test_cmp expect.tmp rc.tmp &&
	test "$(git rev-parse HEAD)" = "$old" &&
	git status --porcelain >status.tmp &&
	test_grep "^M  $F" status.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: $F: changed but not committed" out &&
	age .git/refs/heads/*.lock &&
	complaint check --repair >out 2>err &&
	test_grep "^repaired: $F: restored the committed version" out &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test "$(git rev-parse HEAD)" = "$old" &&
	test_path_is_missing .git/index.complaint-old &&
	complaint check >out 2>err
'

test_expect_success STRACE 'assign killed after the branch moved, before the lock was let go: committed, --repair removes the lock' '
	old=$(git rev-parse HEAD) &&
	crash_strace -f -qq -e trace=unlink -o ../unlinks.tmp "$TEST_BIN" --now 2026-11-02T10:01 note $ID dry >out 2>err &&
	n=$(grep -n "index\.lock\"" ../unlinks.tmp | tail -1 | cut -d: -f1) &&
	git reset -q --hard $old &&
	(crash_strace -f -qq -o /dev/null -e trace=unlink -e inject=unlink:signal=SIGKILL:when=$n \
		"$TEST_BIN" --now 2026-11-02T10:02 assign $ID --department 餐饮部 >out 2>err; echo $? >rc.tmp) &&
	echo 137 >expect.tmp && test_cmp expect.tmp rc.tmp &&
	test "$(git rev-parse HEAD^)" = "$old" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*index\.lock. exists" out &&
	age .git/index.lock &&
	complaint check --repair >out 2>err &&
	test_path_is_missing .git/index.lock &&
	test "$(yaml_get "$F" status)" = assigned &&
	complaint check >out 2>err
'

test_expect_success 'an index behind HEAD (a command killed before it was written): check detects it, --repair fixes it' '
	git read-tree HEAD^ &&
	git status --porcelain >status.tmp &&
	test_grep "^M" status.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: $F: the index differs from HEAD.*check --repair" out &&
	complaint check --repair >out 2>err &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err
'

test_expect_success 'a file staged by hand: reported; --repair unstages it and keeps the file aside' '
	sed "s/^summary: .*/summary: staged/" "$F" >staged.tmp &&
	cp staged.tmp "$F" &&
	git add "$F" &&
	test_expect_code 1 complaint check >out 2>err &&
	complaint check --repair >out 2>err &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test_cmp staged.tmp ".git/complaint-lost/$F"
'

test_done
