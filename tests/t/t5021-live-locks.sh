#!/bin/sh
test_description='check --repair removes a lock only when no process holds it, never by its age'
. "$(dirname "$0")/test-lib.sh"

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

# age FILE...: make files look an hour old
age () {
	touch -h -d "@$(($(date +%s) - 3600))" "$@"
}

# An editor for git commit that says when it is open, and waits (bounded)
# until told to finish.
cat >"$TRASH_DIRECTORY/editor" <<'EOF'
#!/bin/sh
: >"$TRASH_DIRECTORY/editing"
n=0
while test ! -f "$TRASH_DIRECTORY/finish" && test $n -lt 1200; do
	sleep 0.05
	n=$((n + 1))
done
echo "by hand, with the editor" >"$1"
EOF
chmod +x "$TRASH_DIRECTORY/editor"

# wait_for FILE: until FILE exists (bounded)
wait_for () {
	wf_n_=0
	while test ! -e "$1" && test $wf_n_ -lt 600; do
		sleep 0.05
		wf_n_=$((wf_n_ + 1))
	done
	test -e "$1"
}

# hold FILE: a process that keeps FILE open (as libgit2 keeps its lock
# files) until release.tmp appears; its pid in $holder
hold () {
	rm -f release.tmp
	(exec 9<"$1"; n=0; while test ! -f release.tmp && test $n -lt 1200; do sleep 0.05; n=$((n + 1)); done) &
	holder=$!
}

release () {
	touch release.tmp && wait $holder
}

test_expect_success 'setup: a case, and a file of the team'"'"'s beside the store'"'"'s' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW) &&
	F=$(case_path $ID) &&
	echo "how we work" >README.txt &&
	git add README.txt &&
	git commit -q -m "a README"
'

test_expect_success 'git commit -a with its editor open: check --repair leaves its index.lock, the commit completes' '
	echo "more" >>README.txt &&
	rm -f "$TRASH_DIRECTORY/editing" "$TRASH_DIRECTORY/finish" &&
	{ (GIT_EDITOR="$TRASH_DIRECTORY/editor" git commit -q -a >commit.tmp 2>&1; echo $? >commit-rc.tmp) & } &&
	committer=$! &&
	wait_for "$TRASH_DIRECTORY/editing" &&
	test_path_is_file .git/index.lock &&
	age .git/index.lock &&
	complaint check --repair >out 2>err &&
	test_path_is_file .git/index.lock &&
	test_grep "^warning: .*index.lock. is in use (pid [0-9]*, a git command running in this store, holds it: git commit -q -a)" out &&
	test_grep ! "^repaired:.*index.lock" out &&
	: >"$TRASH_DIRECTORY/finish" &&
	wait $committer &&
	echo 0 >expect.tmp && test_cmp expect.tmp commit-rc.tmp &&
	git log -1 --format=%s >subject.tmp &&
	echo "by hand, with the editor" >expect.tmp && test_cmp expect.tmp subject.tmp &&
	test_path_is_missing .git/index.lock &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'a writer waits for it, and names the git command when it gives up' '
	rm -f "$TRASH_DIRECTORY/editing" "$TRASH_DIRECTORY/finish" &&
	echo "still more" >>README.txt &&
	{ (GIT_EDITOR="$TRASH_DIRECTORY/editor" git commit -q -a >commit.tmp 2>&1; echo $? >commit-rc.tmp) & } &&
	committer=$! &&
	wait_for "$TRASH_DIRECTORY/editing" &&
	test_expect_code 4 complaint --lock-timeout 0.2 --now 2026-11-02T09:10 note $ID waiting >out 2>err &&
	test_error_line err &&
	test_grep "index.lock.*git commit -q -a" err &&
	: >"$TRASH_DIRECTORY/finish" &&
	wait $committer &&
	echo 0 >expect.tmp && test_cmp expect.tmp commit-rc.tmp &&
	complaint --now 2026-11-02T09:11 note $ID "after the hand commit" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'a lock open in a running process stays, however old; once it is gone, --repair removes it' '
	branch=$(git symbolic-ref HEAD) &&
	for lock in index.lock HEAD.lock config.lock packed-refs.lock "$branch.lock" refs/remotes/origin/master.lock; do
		mkdir -p "$(dirname ".git/$lock")" && : >".git/$lock" && age ".git/$lock" || return 1
	done &&
	hold .git/config.lock &&
	complaint check --repair >out 2>err &&
	test_path_is_file .git/config.lock &&
	test_grep "^warning: .*config.lock. is in use (held by pid [0-9]" out &&
	for lock in index.lock HEAD.lock packed-refs.lock "$branch.lock" refs/remotes/origin/master.lock; do
		test_path_is_missing ".git/$lock" &&
		grep "^repaired: removed the stale .* .*/.git/$lock. (no process holds it)" out || return 1
	done &&
	release &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*config.lock. exists: a git process was killed" out &&
	complaint check --repair >out 2>err &&
	test_path_is_missing .git/config.lock &&
	complaint check >out 2>err
'

test_expect_success 'a temporary case file of a running command: a warning, left alone' '
	dir=$(dirname "$F") &&
	{ sleep 60 & } &&
	sleeper=$! &&
	echo "id: half" >"$dir/.$ID.yaml.tmp-$sleeper" &&
	complaint check >out 2>err &&
	test_grep "^warning: .*tmp-$sleeper: being written by a running command (pid $sleeper)" out &&
	complaint check --repair >out 2>err &&
	test_path_is_file "$dir/.$ID.yaml.tmp-$sleeper" &&
	kill $sleeper &&
	wait $sleeper;
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "^problem: .*tmp-$sleeper: temporary file left by an interrupted change" out &&
	complaint check --repair >out 2>err &&
	test_path_is_missing "$dir/.$ID.yaml.tmp-$sleeper"
'

test_expect_success 'a temporary object file open in a running process stays' '
	echo partial >.git/objects/tmp_object_git2_AbCdEf &&
	age .git/objects/tmp_object_git2_AbCdEf &&
	hold .git/objects/tmp_object_git2_AbCdEf &&
	complaint check --repair >out 2>err &&
	test_path_is_file .git/objects/tmp_object_git2_AbCdEf &&
	release &&
	complaint check --repair >out 2>err &&
	test_path_is_missing .git/objects/tmp_object_git2_AbCdEf
'

test_done
