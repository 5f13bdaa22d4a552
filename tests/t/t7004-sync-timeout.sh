#!/bin/sh
test_description='sync and clone give up on a remote that accepts and never answers, and hold no lock meanwhile'
. "$(dirname "$0")/test-lib.sh"

# A listener on 127.0.0.1 that accepts every connection and never says a
# word (nor closes): git://, http:// and ssh:// all wait on it for ever
# unless the command gives up.  It stops by itself after 5 minutes.
LISTENER_PID=
stop_listener () {
	if test -n "$LISTENER_PID"; then
		kill "$LISTENER_PID" 2>/dev/null
		wait "$LISTENER_PID" 2>/dev/null
		LISTENER_PID=
	fi
}
trap 'test_keep_rc_=$?; stop_listener; (exit $test_keep_rc_); test_exit_trap_' EXIT

start_listener () {
	python3 - "$TRASH_DIRECTORY/port" "$TRASH_DIRECTORY/accepted" <<-\EOF &
	import os, socket, sys, time
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind(("127.0.0.1", 0))
	s.listen(64)
	s.settimeout(0.5)
	with open(sys.argv[1] + ".tmp", "w") as f:
	    f.write("%d\n" % s.getsockname()[1])
	os.rename(sys.argv[1] + ".tmp", sys.argv[1])
	held, end = [], time.time() + 300
	while time.time() < end:
	    try:
	        c, _ = s.accept()
	    except socket.timeout:
	        continue
	    held.append(c)
	    with open(sys.argv[2], "a") as f:
	        f.write("accepted\n")
	EOF
	LISTENER_PID=$!
	i=0
	while ! test -s port; do
		i=$((i + 1))
		test $i -le 100 || return 1
		sleep 0.1
	done
	PORT=$(cat port)
}

# accepted_more N: wait (at most 20 s) until the listener has accepted more than N connections
accepted_more () {
	i=0
	while test "$(cat "$TRASH_DIRECTORY/accepted" 2>/dev/null | wc -l)" -le "$1"; do
		i=$((i + 1))
		test $i -le 200 || return 1
		sleep 0.1
	done
}

test_must_be_empty_dir_ () {
	test -z "$(ls -A "$1")" || { ls -A "$1" >&2; return 1; }
}

accepted () {
	cat "$TRASH_DIRECTORY/accepted" 2>/dev/null | wc -l
}

test_expect_success 'setup: a store, a case, and a silent listener' '
	start_listener &&
	new_store store &&
	A=$(complaint new --customer 王 --channel phone --category service --summary slow) &&
	git remote add origin "git://127.0.0.1:$PORT/shared.git"
'

for scheme in git http ssh; do
	test_expect_success "sync over $scheme:// gives up after --timeout, exit 5" '
		store_snapshot &&
		n=$(accepted) &&
		test_expect_code 5 timeout 60 complaint sync --timeout 2 \
			"$scheme://127.0.0.1:$PORT/shared.git" 2>err &&
		test_error_line err &&
		test_grep "no answer for 2 s" err &&
		test_grep "127.0.0.1:$PORT" err &&
		test "$(accepted)" -gt "$n" &&
		store_unchanged
	'
done

test_expect_success 'a configured remote: the message names it' '
	test_expect_code 5 timeout 60 complaint sync --timeout 1 2>err &&
	test_grep "fetch from '\''origin'\'' (git://127.0.0.1:$PORT/shared.git): no answer for 1 s" err
'

test_expect_success 'by default (30 s), and while sync waits on the remote the store is not locked' '
	n=$(accepted) &&
	{ timeout 120 complaint sync >sync.out 2>sync.err; echo $? >sync.rc; } &
	sync_pid=$! &&
	accepted_more $n &&
	complaint --lock-timeout 1 note $A "written while sync waits" &&
	wait $sync_pid &&
	test "$(cat sync.rc)" = 5 &&
	test_grep "no answer for 30 s" sync.err &&
	git log -1 --format=%s >out &&
	test_grep "^note $A" out &&
	complaint check
'

test_expect_success 'clone gives up after --timeout, exit 5, and leaves nothing' '
	cd "$TRASH_DIRECTORY" &&
	test_expect_code 5 timeout 60 complaint clone --timeout 2 \
		"git://127.0.0.1:$PORT/shared.git" site2 2>err &&
	test_error_line err &&
	test_grep "no answer for 2 s" err &&
	test_path_is_missing site2 &&
	mkdir empty &&
	test_expect_code 5 timeout 60 complaint clone --timeout 2 \
		"http://127.0.0.1:$PORT/shared.git" empty 2>err &&
	test_path_is_dir empty &&
	test_must_be_empty_dir_ empty
'

test_expect_success '--timeout takes whole seconds from 1 to 86400' '
	cd "$TRASH_DIRECTORY/store" &&
	for bad in 0 -1 1.5 abc "" 86401 nan 0x10; do
		test_expect_code 2 complaint sync --timeout "$bad" 2>err &&
		test_grep "timeout" err &&
		test_expect_code 2 complaint clone --timeout "$bad" x y 2>err || return 1
	done
'

test_expect_success 'a remote that answers is not cut short by --timeout' '
	git clone -q --bare . "$TRASH_DIRECTORY/shared.git" &&
	git remote set-url origin "$TRASH_DIRECTORY/shared.git" &&
	complaint note $A "one more" &&
	complaint sync --timeout 5 >out &&
	test_grep "Pushed to origin" out &&
	cd "$TRASH_DIRECTORY" &&
	complaint clone --timeout 5 "file://$TRASH_DIRECTORY/shared.git" site3 >out &&
	test_path_is_file site3/policy.yaml
'

test_done
