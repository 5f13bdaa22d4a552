#!/bin/sh
test_description='clone and sync over ssh (an sshd of our own on 127.0.0.1)'
. "$(dirname "$0")/test-lib.sh"

# Needs sshd (openssh-server); the tests are skipped without it.  As root,
# sshd wants its privilege separation directory /run/sshd, which the test
# makes when it is missing (as the ssh service would).
SSHD_PID=
stop_sshd () {
	if test -n "$SSHD_PID"; then
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	fi
}
trap 'test_keep_rc_=$?; stop_sshd; (exit $test_keep_rc_); test_exit_trap_' EXIT

# libgit2 1.5.1's ssh transport never frees its known_hosts handle (and a
# few bytes of the URL when a connection fails); under valgrind, leaks below
# git_remote_connect_ext are libgit2's, not ours.
if test "$TEST_VALGRIND" = 1; then
	cat >"$TEST_LIB_DIR/libgit2-ssh.supp" <<-\EOF
	{
	   libgit2-1.5.1-ssh-transport
	   Memcheck:Leak
	   match-leak-kinds: definite
	   ...
	   fun:git_remote_connect_ext
	}
	EOF
	VALGRIND_OPTS="--suppressions=$TEST_LIB_DIR/libgit2-ssh.supp"
	export VALGRIND_OPTS
fi

SSHD=$(command -v sshd || ls /usr/sbin/sshd 2>/dev/null)
ME=$(id -un)

start_sshd () {
	test -n "$SSHD" || return 1
	if test "$(id -u)" = 0 && ! test -d /run/sshd; then
		mkdir -p -m 0755 /run/sshd || return 1
	fi
	mkdir -p sshd "$HOME/.ssh" &&
	chmod 700 "$HOME/.ssh" &&
	ssh-keygen -q -t ed25519 -N "" -C host -f sshd/host_key &&
	ssh-keygen -q -t ed25519 -N "" -C site -f "$HOME/.ssh/id_ed25519" &&
	cp "$HOME/.ssh/id_ed25519.pub" sshd/authorized_keys || return 1
	for port in $((40000 + $$ % 9000)) $((49000 + $$ % 9000)) $((30000 + $$ % 9000)); do
		cat >sshd/config <<-EOF
		Port $port
		ListenAddress 127.0.0.1
		HostKey $TRASH_DIRECTORY/sshd/host_key
		AuthorizedKeysFile $TRASH_DIRECTORY/sshd/authorized_keys
		PidFile $TRASH_DIRECTORY/sshd/pid
		StrictModes no
		UsePAM no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin prohibit-password
		AllowUsers $ME
		EOF
		"$SSHD" -D -e -f "$TRASH_DIRECTORY/sshd/config" 2>>sshd/log &
		SSHD_PID=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			if ssh -p $port -i "$HOME/.ssh/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=no \
				-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
				"$ME@127.0.0.1" true 2>/dev/null; then
				PORT=$port
				echo "[127.0.0.1]:$port $(cut -d" " -f1,2 sshd/host_key.pub)" >"$HOME/.ssh/known_hosts"
				URL="ssh://$ME@127.0.0.1:$port$TRASH_DIRECTORY/shared.git"
				return 0
			fi
			sleep 0.2
		done
		stop_sshd
	done
	return 1
}

test_expect_success 'setup: a store, its bare copy, an sshd' '
	new_store first &&
	cd .. &&
	git clone -q --bare first shared.git &&
	if start_sshd; then
		test_set_prereq SSHD
	else
		echo "# no sshd to test with; skipping" >&2
	fi
'

test_expect_success SSHD 'clone over ssh' '
	{ complaint clone "$URL" a >out 2>err || { cat err >&2; false; }; } &&
	test_must_be_empty err &&
	test_grep "^Cloned ssh://" out &&
	test_ignore_scratch a &&
	complaint clone "$URL" b >out 2>err &&
	test_ignore_scratch b
'

test_expect_success SSHD 'record at one site, sync over ssh, see it at the other' '
	ID=$(complaint -C a --now 2026-11-02T10:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	complaint -C a --now 2026-11-02T10:01 sync >out 2>err &&
	test_must_be_empty err &&
	test "$(git -C shared.git rev-parse master)" = "$(git -C a rev-parse HEAD)" &&
	complaint -C b --now 2026-11-02T10:01 sync >out &&
	test_grep "^Fast-forwarded" out &&
	complaint -C b --now 2026-11-02T10:02 note $ID "from b" &&
	complaint -C a --now 2026-11-02T10:02 note $ID "from a" &&
	complaint -C b --now 2026-11-02T10:03 sync >out &&
	complaint -C a --now 2026-11-02T10:04 sync >out &&
	complaint -C b --now 2026-11-02T10:05 sync >out &&
	test "$(git -C a rev-parse HEAD)" = "$(git -C b rev-parse HEAD)" &&
	complaint -C a check >out &&
	test "$(complaint -C b show $ID --format json | jq ".events | length")" = 3
'

test_expect_success SSHD 'an unknown host key: refused (5), naming known_hosts, nothing changed' '
	mv "$HOME/.ssh/known_hosts" known_hosts.saved &&
	complaint -C a --now 2026-11-02T10:10 note $ID "while the key is unknown" &&
	git -C a rev-parse HEAD >before &&
	test_expect_code 5 complaint -C a --now 2026-11-02T10:11 sync >out 2>err &&
	test_error_line err &&
	test_grep "known_hosts" err &&
	git -C a rev-parse HEAD >after &&
	test_cmp before after &&
	echo "[127.0.0.1]:$PORT $(cut -d" " -f1,2 "$HOME/.ssh/id_ed25519.pub")" >"$HOME/.ssh/known_hosts" &&
	test_expect_code 5 complaint -C a --now 2026-11-02T10:11 sync >out 2>err &&
	test_grep "known_hosts" err &&
	mv known_hosts.saved "$HOME/.ssh/known_hosts"
'

test_expect_success SSHD 'no key the server takes: refused (5), saying so' '
	mkdir keys.saved &&
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/id_ed25519.pub" keys.saved/ &&
	ssh-keygen -q -t ed25519 -N "" -C stranger -f "$HOME/.ssh/id_ed25519" &&
	test_expect_code 5 env -u SSH_AUTH_SOCK "$TEST_LIB_DIR/bin/complaint" -C a --now 2026-11-02T10:12 sync >out 2>err &&
	test_error_line err &&
	test_grep "authentication" err &&
	mv keys.saved/id_ed25519 keys.saved/id_ed25519.pub "$HOME/.ssh/" &&
	complaint -C a --now 2026-11-02T10:13 sync >out &&
	test "$(git -C shared.git rev-parse master)" = "$(git -C a rev-parse HEAD)"
'

test_expect_success SSHD 'stop sshd' '
	stop_sshd
'

test_done
