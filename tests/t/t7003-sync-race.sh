#!/bin/sh
test_description='sync: the remote moves between fetch and push; refused pushes'
. "$(dirname "$0")/test-lib.sh"

# A git daemon serves the shared remote (git://), so that the remote runs
# its hooks: a pre-receive hook pushes from another site while our push
# waits, which is the race sync must survive.
DAEMON_PID=
stop_daemon () {
	if test -n "$DAEMON_PID"; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
}
trap 'test_keep_rc_=$?; stop_daemon; (exit $test_keep_rc_); test_exit_trap_' EXIT

start_daemon () {
	for port in $((20000 + $$ % 9000)) $((29000 + $$ % 9000)) $((38000 + $$ % 9000)); do
		git daemon --listen=127.0.0.1 --port=$port --base-path="$TRASH_DIRECTORY" \
			--export-all --enable=receive-pack --reuseaddr \
			"$TRASH_DIRECTORY" >>daemon.log 2>&1 &
		DAEMON_PID=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			if git ls-remote "git://127.0.0.1:$port/shared.git" >/dev/null 2>&1; then
				URL=git://127.0.0.1:$port/shared.git
				return 0
			fi
			sleep 0.2
		done
		stop_daemon
	done
	return 1
}

site () {
	complaint clone "$1" "$2" >/dev/null &&
	test_ignore_scratch "$2"
}

new_case () {
	complaint -C "$1" --now "$2" new --customer 王先生 --channel phone \
		--category service --summary "$3"
}

# hook BODY: the shared remote's pre-receive hook
hook () {
	{
		echo '#!/bin/sh'
		echo "T='$TRASH_DIRECTORY'"
		cat
	} >shared.git/hooks/pre-receive &&
	chmod +x shared.git/hooks/pre-receive
}

test_expect_success 'setup: a shared remote served by git daemon, two sites' '
	new_store first &&
	cd .. &&
	git clone -q --bare first shared.git &&
	if start_daemon; then
		test_set_prereq DAEMON
	else
		echo "# git daemon would not start; skipping the git:// tests" >&2
	fi
'

test_expect_success DAEMON 'sites clone over git:// and over a path' '
	site "$URL" a &&
	site "$TRASH_DIRECTORY/shared.git" c &&
	test "$(git -C a config remote.origin.url)" = "$URL"
'

test_expect_success DAEMON 'the remote moves while a push waits: sync fetches, merges, pushes again' '
	A=$(new_case a 2026-11-02T10:00 "at site a") &&
	C=$(new_case c 2026-11-02T10:00 "at site c") &&
	hook <<-\EOF &&
	# the first push that arrives: let site c push first
	test -f "$T/raced" && exit 0
	touch "$T/raced"
	unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
	git -C "$T/c" push -q origin master >&2
	EOF
	complaint -C a --actor 甲 --now 2026-11-02T10:05 sync >out 2>err &&
	test_path_is_file raced &&
	test_grep "origin/master moved while pushing; merging again (try 2 of 5)" err &&
	test_grep "^Merged origin/master and pushed" out &&
	test "$(git -C a rev-parse HEAD)" = "$(git -C shared.git rev-parse master)" &&
	test -n "$(cd a && case_path $A)" &&
	test -n "$(cd a && case_path $C)" &&
	git -C a status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	complaint -C a check >out &&
	complaint -C c --now 2026-11-02T10:06 sync >out &&
	test "$(git -C c rev-parse HEAD)" = "$(git -C shared.git rev-parse master)"
'

test_expect_success DAEMON 'a remote that keeps moving: exit 4 after 5 tries, nothing lost' '
	hook <<-\EOF &&
	# every push from a: site c pushes a new commit first
	test -n "$INNER" && exit 0
	unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
	git -C "$T/c" commit -q --allow-empty -m "c moves on" &&
	INNER=1 git -C "$T/c" push -q origin master >&2
	EOF
	A2=$(new_case a 2026-11-02T11:00 "a again") &&
	test_expect_code 4 complaint -C a --now 2026-11-02T11:05 sync >out 2>err &&
	test_grep "kept moving while pushing (5 tries)" err &&
	test "$(grep -c "moved while pushing" err)" = 4 &&
	test -n "$(cd a && case_path $A2)" &&
	git -C a status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	rm shared.git/hooks/pre-receive &&
	complaint -C a --now 2026-11-02T11:10 sync >out &&
	test "$(git -C a rev-parse HEAD)" = "$(git -C shared.git rev-parse master)" &&
	complaint -C a check >out
'

test_expect_success DAEMON 'a push the remote refuses: a clear error (5), nothing changed here' '
	hook <<-\EOF &&
	echo "pushes are closed for the audit" >&2
	exit 1
	EOF
	new_case a 2026-11-02T12:00 "refused" >/dev/null &&
	git -C a rev-parse HEAD >before &&
	test_expect_code 5 complaint -C a --now 2026-11-02T12:05 sync >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "^complaint: sync: the remote .origin. refused the push to master: pre-receive hook declined" err &&
	git -C a rev-parse HEAD >after &&
	test_cmp before after &&
	git -C a status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	rm shared.git/hooks/pre-receive
'

test_expect_success DAEMON 'stop the daemon' '
	stop_daemon
'

test_expect_success 'sites on one disk sync at the same moment: none loses a case' '
	for s in p q r; do
		site "$TRASH_DIRECTORY/shared.git" $s || return 1
	done &&
	: >ids &&
	for round in 1 2 3 4; do
		for s in p q r; do
			new_case $s 2026-11-03T09:0$round "$s $round" >>ids || return 1
		done &&
		for s in p q r; do
			complaint -C $s --actor $s --now 2026-11-03T09:1$round sync >out.$s 2>err.$s &
		done &&
		wait &&
		for s in p q r; do
			if ! grep -q "^\(Pushed\|Merged\|Fast\|Already\)" out.$s; then
				cat err.$s >&2
				return 1
			fi
			cat err.$s >>races
		done || return 1
	done &&
	echo "# $(grep -c "moved while pushing" races) push race(s) met and retried" >&2 &&
	for round in 1 2; do
		for s in p q r; do
			complaint -C $s --now 2026-11-03T10:00 sync >out || return 1
		done
	done &&
	head=$(git -C shared.git rev-parse master) &&
	for s in p q r; do
		test "$(git -C $s rev-parse HEAD)" = "$head" || return 1
		for id in $(cat ids); do
			test -n "$(cd $s && case_path $id)" || { echo "$s lacks $id" >&2; return 1; }
		done
		complaint -C $s check >out || return 1
	done
'

test_done
