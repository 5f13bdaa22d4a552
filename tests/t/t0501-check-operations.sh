#!/bin/sh
test_description='a git operation in progress, unmerged paths, an orphan branch: check names them, --repair and every writer refuse (4)'
. "$(dirname "$0")/test-lib.sh"

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"
# git's merges of case files stop at a conflict with this driver
NODRIVER="-c merge.complaint-case.driver=false"

# state: what a refused command must leave as it was: the store, the case
# file's bytes, and git's files of an operation in progress
state () {
	store_state_ &&
	git hash-object "$F" &&
	ls .git | grep -e _HEAD -e rebase -e BISECT -e sequencer || :
}

# refused_all WHAT [WRITERS]: check names WHAT (exit 1); --repair and the
# writers exit 4 with one line and change nothing, a note naming WRITERS
# (default WHAT)
refused_all () {
	state >before.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*$1" out &&
	test_expect_code 4 complaint check --repair >out 2>err &&
	test_error_line err &&
	test_grep "cannot repair the store: .*$1.*nothing was changed" err &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 note $A "during" >out 2>err &&
	test_error_line err &&
	test_grep "${2:-$1}" err &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 $NEW >out 2>err &&
	test_error_line err &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 assign $B --department 餐饮部 >out 2>err &&
	test_error_line err &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 sync >out 2>err &&
	test_error_line err &&
	state >after.tmp &&
	test_cmp before.tmp after.tmp &&
	test_path_is_missing .git/complaint-lost
}

# clean: the store is back to normal, and a writer works again
clean () {
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err &&
	clean_n=$((${clean_n:-0} + 1)) &&
	complaint --now 2026-11-02T12:30 note $B "after $clean_n" >out 2>err
}

test_expect_success 'setup: a case changed on two branches' '
	A=$(complaint --now 2026-11-02T09:00 $NEW) &&
	B=$(complaint --now 2026-11-02T09:05 $NEW) &&
	F=$(case_path $A) &&
	git branch other &&
	git checkout -q other &&
	complaint --now 2026-11-02T10:00 note $A "on the other branch" &&
	git checkout -q master &&
	complaint --now 2026-11-02T10:10 note $A "on master" &&
	git clone -q --bare . "$TRASH_DIRECTORY/shared.git" &&
	git remote add origin "$TRASH_DIRECTORY/shared.git"
'

test_expect_success 'a merge stopped at a conflict' '
	test_must_fail git $NODRIVER merge -q --no-edit other >out 2>&1 &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: the index has unmerged paths" out &&
	test_path_is_file .git/MERGE_HEAD &&
	refused_all "in the middle of a merge"
'

test_expect_success 'the conflict resolved and staged, the merge not committed yet: still refused' '
	git show other:$F >"$F" &&
	git add "$F" &&
	refused_all "in the middle of a merge" &&
	git merge --abort &&
	clean
'

test_expect_success 'a rebase stopped at a conflict' '
	git checkout -q other &&
	test_must_fail git $NODRIVER rebase master >out 2>&1 &&
	refused_all "in the middle of a rebase" &&
	git rebase --abort &&
	git checkout -q master &&
	clean
'

test_expect_success 'a cherry-pick stopped at a conflict' '
	test_must_fail git $NODRIVER cherry-pick other >out 2>&1 &&
	refused_all "in the middle of a cherry-pick" &&
	git cherry-pick --abort &&
	clean
'

test_expect_success 'a revert stopped at a conflict' '
	complaint --now 2026-11-02T11:00 note $A "later on master" &&
	test_must_fail git $NODRIVER revert --no-edit HEAD~2 >out 2>&1 &&
	refused_all "in the middle of a revert" &&
	git revert --abort &&
	clean
'

test_expect_success 'git am stopped at a patch that does not apply' '
	git format-patch -q -1 -o patches.tmp other &&
	test_expect_code 128 git am patches.tmp/*.patch >out 2>&1 &&
	refused_all "in the middle of git am" &&
	git am --abort &&
	clean
'

test_expect_success 'a bisect' '
	git bisect start HEAD HEAD~4 >out 2>&1 &&
	refused_all "in the middle of a bisect" &&
	git bisect reset >out 2>&1 &&
	clean
'

test_expect_success 'unmerged paths with no operation recorded (git stash pop at a conflict)' '
	echo "# by hand" >>"$F" &&
	git stash -q &&
	complaint --now 2026-11-02T11:30 note $A "while stashed" &&
	test_must_fail git $NODRIVER stash pop >out 2>&1 &&
	refused_all "the index has unmerged paths" &&
	git reset -q --hard &&
	git stash drop -q &&
	clean
'

test_expect_success 'an orphan branch (no commit yet): check says so; --repair moves nothing; writers refuse' '
	git checkout -q --orphan fresh &&
	state >before.tmp &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: the branch .fresh. has no commit yet (an orphan branch.*git switch master" out &&
	test_expect_code 4 complaint check --repair >out 2>err &&
	test_error_line err &&
	test_grep "cannot repair the store: the branch .fresh. has no commit yet" err &&
	test_path_is_missing .git/complaint-lost &&
	test_path_is_file "$F" &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 note $A "orphan" >out 2>err &&
	test_error_line err &&
	test_grep "no commit yet" err &&
	test_expect_code 4 complaint --now 2026-11-02T12:00 $NEW >out 2>err &&
	test_error_line err &&
	state >after.tmp &&
	test_cmp before.tmp after.tmp &&
	git checkout -q master &&
	clean
'

test_done
