#!/bin/sh
test_description='SIGINT and SIGTERM at random points of a change leave no lock, no temporary file, no half change'
. "$(dirname "$0")/test-lib.sh"

new_store store

ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
	--category service --summary 上菜慢)

# A pseudo-random delay in seconds, 0 to 0.04 (a change takes 0.015 s on
# an idle machine, 0.2 s on a busy one), from /dev/urandom.
delay () {
	od -An -N2 -tu2 /dev/urandom | awk '{ printf "%.3f\n", ($1 % 40) / 1000 }'
}

# leftovers: git locks (not our flock file), temporary files, anywhere
leftovers () {
	find .git \( -name '*.lock' ! -path .git/complaint.lock \) -print -o \
		-name 'tmp_*' -print
	find . -path ./.git -prune -o -name '.*.tmp-*' -print
}

# hit SIG N: N times, start a change, send SIG after a random delay, and
# check the store; counts go to hits.tmp ("before after completed")
hit () {
	sig=$1 n=$2 i=0 before=0 after=0 done=0
	while test $i -lt $n; do
		i=$((i + 1))
		old=$(git rev-parse HEAD)
		case $((i % 3)) in
		0) set -- new --customer "c$i" --channel phone --category service --summary "s $i" ;;
		1) set -- note $ID "note $i" ;;
		2) set -- assign $ID --department 餐饮部 --responsible "p$i" ;;
		esac
		"$TEST_BIN" --now 2026-11-02T10:00 "$@" >/dev/null 2>../sig.err &
		pid=$!
		sleep "$(delay)"
		kill -s "$sig" $pid 2>/dev/null
		wait $pid
		rc=$?
		new=$(git rev-parse HEAD)
		case $rc in
		0) done=$((done + 1)) ;;
		130|143|129)
			if test "$new" = "$old"; then
				before=$((before + 1))
			else
				after=$((after + 1))
			fi ;;
		*) echo "run $i ($1): exit $rc: $(cat ../sig.err)" >&2; return 1 ;;
		esac
		if test "$new" != "$old" && test "$(git rev-parse HEAD^)" != "$old"; then
			echo "run $i: HEAD is neither the old commit nor its child" >&2
			return 1
		fi
		if test -n "$(leftovers)"; then
			echo "run $i ($1, exit $rc): left $(leftovers)" >&2
			return 1
		fi
		if test -n "$(git status --porcelain)"; then
			echo "run $i ($1, exit $rc): git status: $(git status --porcelain)" >&2
			return 1
		fi
	done
	echo "$sig: $n changes signalled: $before stopped before the commit, $after finished the commit first, $done ended before the signal" >>../hits.tmp
}

test_expect_success 'SIGINT at random points of new, note and assign' '
	hit INT 30
'

test_expect_success 'SIGTERM at random points of new, note and assign' '
	hit TERM 30
'

test_expect_success 'SIGHUP too' '
	hit HUP 10
'

test_expect_success 'after all that, fsck and check are clean' '
	git fsck --strict >fsck.tmp 2>&1 &&
	! grep -v "^dangling " fsck.tmp &&
	complaint check >out 2>err
'

test_expect_success 'a signal while waiting for the lock: exits, leaves nothing' '
	old=$(git rev-parse HEAD)
	flock .git/complaint.lock sleep 2 &
	holder=$!
	sleep 0.2
	"$TEST_BIN" --lock-timeout 30 note $ID waiting >/dev/null 2>err &
	pid=$!
	sleep 0.3 &&
	kill -s INT $pid &&
	{ wait $pid; rc=$?; } ;
	{ test "$rc" = 130 || { echo "exit $rc" >&2; false; }; } &&
	test "$(git rev-parse HEAD)" = "$old" &&
	test -z "$(leftovers)" &&
	wait $holder
'

test -f ../hits.tmp && sed 's/^/# /' ../hits.tmp

test_done
