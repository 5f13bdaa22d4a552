#!/bin/sh
test_description='a hand git commit racing complaint: git index lock held from before HEAD is read until the branch has moved, the new index in place before the branch moves'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_ROOT/tools/crash/crashlib.sh"

if strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1:when=1 true 2>/dev/null; then
	test_set_prereq STRACE
fi

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

# hand_commit: what a person does at the same time (a commit of whatever
# the index holds).
hand_commit () {
	git commit -q --allow-empty -m "by hand" >hand.tmp 2>&1
}

# finished_whole TEXT: let the stopped note go on; it exits 0 and HEAD
# holds TEXT, with nothing left uncommitted.
finished_whole () {
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	git show HEAD:$F >head.tmp &&
	test_grep "$1" head.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
}

test_expect_success 'setup: a case' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW) &&
	F=$(case_path $ID) &&
	test -n "$F"
'

test_expect_success STRACE 'git commit while note reads the index: git fails, the note is kept' '
	crash_stop "$PWD/.git/index" openat \
		"$TEST_BIN" --now 2026-11-02T09:10 note $ID "written while git commits" &&
	test_path_is_file .git/index.lock &&
	test_expect_code 128 hand_commit &&
	test_grep "index.lock" hand.tmp &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	git show HEAD:$F >head.tmp &&
	test_grep "written while git commits" head.tmp &&
	git log -1 --format=%s >subject.tmp &&
	test_grep "^note $ID" subject.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test_path_is_missing .git/index.lock
'

test_expect_success STRACE 'the index is in place before the branch moves; git commit then fails' '
	# stopped as the branch is about to move: the index holds the note
	# already, HEAD not yet, and git cannot take the index lock
	BRANCH=$(git symbolic-ref HEAD) &&
	crash_stop "$PWD/.git/$BRANCH.lock" openat \
		"$TEST_BIN" --now 2026-11-02T09:20 note $ID "second note" &&
	test "$(git log -1 --format=%s)" != "note $ID: second note" &&
	git ls-files -s $F >staged.tmp &&
	git cat-file blob $(cut -d" " -f2 staged.tmp) >index-blob.tmp &&
	test_grep "second note" index-blob.tmp &&
	test_path_is_file .git/index.lock &&
	test_expect_code 128 hand_commit &&
	test_grep "index.lock" hand.tmp &&
	finished_whole "second note" &&
	test_path_is_missing .git/index.complaint-old
'

test_expect_success STRACE 'git commit after the branch moved, before the lock is let go: git fails' '
	# stopped just after the rename that moves the branch
	crash_stop "$PWD/.git/$BRANCH.lock" rename \
		"$TEST_BIN" --now 2026-11-02T09:25 note $ID "third note" &&
	test_path_is_file .git/index.lock &&
	test "$(git log -1 --format=%s)" = "note $ID: third note" &&
	test_expect_code 128 hand_commit &&
	finished_whole "third note" &&
	test_path_is_missing .git/index.lock &&
	test_path_is_missing .git/index.complaint-old
'

test_expect_success 'the branch cannot move: the note is refused, the index and the file are as before' '
	git show HEAD:$F >before.tmp &&
	git ls-files -s $F >staged-before.tmp &&
	BRANCH=$(git symbolic-ref HEAD) &&
	mkdir -p ".git/$BRANCH.lock" &&
	test_expect_code 4 complaint --lock-timeout 0.2 --now 2026-11-02T09:27 note $ID "never" 2>err &&
	rmdir ".git/$BRANCH.lock" &&
	test_cmp before.tmp $F &&
	git ls-files -s $F >staged-after.tmp &&
	test_cmp staged-before.tmp staged-after.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	test_path_is_missing .git/index.complaint-old &&
	test_path_is_missing .git/index.complaint-new
'

test_expect_success STRACE 'the same for a new case' '
	crash_stop "$PWD/.git/index" openat "$TEST_BIN" --now 2026-11-02T09:30 $NEW &&
	test_expect_code 128 hand_commit &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	id2=$(cat "$CRASH_TMP/stop-out.tmp") &&
	git cat-file -e "HEAD:$(case_path $id2)" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'a writer waits for a git command that holds the index lock, then writes' '
	# a process holding index.lock open, as libgit2 does while it writes
	: >.git/index.lock &&
	{ (exec 9<.git/index.lock; for i in $(seq 1200); do test -f release.tmp && break; sleep 0.05; done) & } &&
	holder=$! &&
	test_expect_code 4 complaint --lock-timeout 0.3 --now 2026-11-02T09:40 note $ID "too early" >out 2>err &&
	test_error_line err &&
	test_grep "index.lock.*held by pid [0-9]" err &&
	test_grep "waited 0.3 s" err &&
	{ (complaint --lock-timeout 120 --now 2026-11-02T09:40 note $ID "waited" >out 2>err; echo $? >rc2.tmp) & } &&
	writer=$! &&
	sleep 0.3 &&
	rm .git/index.lock && touch release.tmp &&
	wait $holder && wait $writer &&
	echo 0 >expect.tmp && test_cmp expect.tmp rc2.tmp &&
	git show HEAD:$F >head.tmp &&
	test_grep "waited" head.tmp
'

test_expect_success 'hand commits racing writers: every note that exited 0 is in HEAD' '
	rm -f ok.tmp &&
	{ (for i in $(seq 1 30); do
		complaint --lock-timeout 60 --now 2026-11-02T10:00 note $ID "race $i" >/dev/null 2>&1 &&
		echo "$i" >>ok.tmp
	done) & } &&
	writers=$! &&
	for i in $(seq 1 60); do
		git commit -q --allow-empty -m "hand $i" >/dev/null 2>&1
	done
	wait $writers &&
	test_line_count = 30 ok.tmp &&
	git show HEAD:$F >head.tmp &&
	for i in $(cat ok.tmp); do
		grep -q "text: race $i}" head.tmp || echo "lost: race $i"
	done >lost.tmp &&
	test_must_be_empty lost.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err
'

test_expect_success 'setup: a shared remote and a second site' '
	cd "$TRASH_DIRECTORY" &&
	git clone -q --bare store shared.git &&
	git -C store remote add origin "$TRASH_DIRECTORY/shared.git" &&
	complaint -C store --now 2026-11-02T11:00 sync >out &&
	complaint clone "$TRASH_DIRECTORY/shared.git" other >out &&
	complaint -C other --now 2026-11-02T11:01 note $ID "from the other site" &&
	complaint -C other --now 2026-11-02T11:02 sync >out &&
	complaint -C store --now 2026-11-02T11:03 note $ID "from this site" &&
	cd store
'

test_expect_success STRACE 'git commit while sync brings in the merge: git fails, the merge is kept' '
	branch=$(git symbolic-ref HEAD) &&
	crash_stop "$PWD/.git/$branch.lock" openat \
		"$TEST_BIN" --now 2026-11-02T11:10 sync &&
	test_path_is_file .git/index.lock &&
	test_expect_code 128 hand_commit &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	test "$(git rev-list --count --merges -1 HEAD)" = 1 &&
	git show HEAD:$F >head.tmp &&
	test_grep "from the other site" head.tmp &&
	test_grep "from this site" head.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err
'

test_expect_success STRACE 'check --repair holds the index lock while it puts files back' '
	cp "$F" saved.tmp &&
	echo "# by hand" >>"$F" &&
	crash_stop "$PWD/.git/complaint-lost" mkdir "$TEST_BIN" check --repair &&
	test_path_is_file .git/index.lock &&
	test_expect_code 128 hand_commit &&
	crash_resume &&
	echo 0 >expect.tmp && test_cmp expect.tmp "$CRASH_TMP/stop-rc.tmp" &&
	test_cmp saved.tmp "$F" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

crash_stop_end
test_done
