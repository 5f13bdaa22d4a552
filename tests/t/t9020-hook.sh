#!/bin/sh
test_description='the shared bare repository guards itself: complaint hook install, pre-receive, git push and complaint sync over file:// and ssh'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SSHD_PID=
stop_sshd () {
	if test -n "$SSHD_PID"; then
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	fi
}
trap 'test_keep_rc_=$?; stop_sshd; (exit $test_keep_rc_); test_exit_trap_' EXIT

SSHD=$(command -v sshd || ls /usr/sbin/sshd 2>/dev/null)
ME=$(id -un)

# an sshd of our own on 127.0.0.1 (as t7300-sync-ssh.sh starts it)
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
	for port in $((41000 + $$ % 8000)) $((50000 + $$ % 8000)) $((31000 + $$ % 8000)); do
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
				return 0
			fi
			sleep 0.2
		done
		stop_sshd
	done
	return 1
}

# at SITE: complaint as PERSON, signing with KEY
at () {
	site=$1 who=$2
	shift 2
	complaint -C "$TRASH_DIRECTORY/$site" --actor "$who" "$@"
}
# sign_commit SITE KEY ACTOR MSG: git commit -a there, signed by git with KEY
sign_commit () {
	git -C "$1" -c gpg.format=ssh -c user.signingkey="$TRASH_DIRECTORY/keys/$2.pub" \
		commit -q -S -a -m "$4" -m "Actor: $3"
}

test_expect_success 'setup: keys, a store that requires signatures, its bare copy with the hook' '
	make_key wangwu && make_key chen && make_key zhangsan &&
	audit_roster org.yaml &&
	audit_policy required.yaml "{signatures: required, clock_tolerance: 40d, max_backdate: 7d}" &&
	env COMPLAINT_ACTOR=陈总 COMPLAINT_SIGNING_KEY="$TRASH_DIRECTORY/keys/chen" \
		complaint --now -35d init first --policy required.yaml --org org.yaml >out &&
	git clone -q --bare first shared.git &&
	complaint hook install shared.git >out &&
	test_grep "^installed .*shared.git/hooks/pre-receive" out &&
	test -x shared.git/hooks/pre-receive &&
	test_grep "hook pre-receive" shared.git/hooks/pre-receive &&
	complaint hook install shared.git >out
'

test_expect_success 'hook install: a hook of someone else is kept unless --force' '
	git init -q --bare other.git &&
	printf "#!/bin/sh\nexit 0\n" >other.git/hooks/pre-receive &&
	test_expect_code 1 complaint hook install other.git 2>err &&
	test_error_line err &&
	test_grep "already there and does not run complaint; --force replaces it" err &&
	test_grep "exit 0" other.git/hooks/pre-receive &&
	complaint hook install --force other.git >out &&
	test_grep "hook pre-receive" other.git/hooks/pre-receive &&
	test_expect_code 2 complaint hook 2>err &&
	test_expect_code 5 complaint hook install nowhere.git 2>err
'

test_expect_success 'three sites clone over file://, each signing as its person' '
	for s in s1:wangwu s2:zhangsan s3:chen; do
		complaint clone "file://$TRASH_DIRECTORY/shared.git" ${s%%:*} >out &&
		test_ignore_scratch ${s%%:*} &&
		git -C ${s%%:*} config user.signingkey "$TRASH_DIRECTORY/keys/${s#*:}" || return 1
	done
'

test_expect_success 'a month of work at three sites, synced through the hook, verifies clean' '
	for d in 30 24 18 12 6; do
		ID=$(at s2 张三 --now -${d}d new --customer 王先生$d --channel phone --category service \
			--summary 宴会菜品变质 --amount 12000) &&
		at s2 张三 --now -${d}d sync >out &&
		at s1 王五 --now -${d}d sync >out &&
		h=$((d * 24 - 1)) &&
		at s1 王五 --now -${h}h assign $ID --department 餐饮部 >out &&
		at s1 王五 --now -$((h - 1))h notify $ID >out &&
		at s1 王五 --now -$((h - 2))h plan $ID --text 退款并致歉 >out &&
		at s1 王五 --now -$((h - 3))h approve $ID >out &&
		at s2 张三 --now -$((h - 3))h note $ID "客户来电" >out &&
		at s1 王五 --now -$((h - 4))h sync >out &&
		at s2 张三 --now -$((h - 5))h sync >out &&
		at s3 陈总 --now -$((h - 6))h sync >out &&
		at s3 陈总 --now -$((h - 7))h approve $ID >out &&
		at s3 陈总 --now -$((h - 8))h sync >out || return 1
	done &&
	at s1 王五 sync >out && at s2 张三 sync >out && at s3 陈总 sync >out &&
	test "$(git -C s1 rev-parse HEAD)" = "$(git -C shared.git rev-parse master)" &&
	git -C shared.git log --merges --oneline >merges &&
	test -s merges &&
	complaint -C shared.git verify >out 2>err &&
	test_must_be_empty out &&
	complaint -C s3 verify >out 2>err &&
	test_must_be_empty out &&
	complaint -C s1 verify --allowed-signers >allowed &&
	git -C shared.git -c gpg.ssh.allowedSignersFile="$TRASH_DIRECTORY/allowed" log --format=%G? >sigs &&
	test "$(sort -u sigs)" = G
'
ID=$(git -C s1 log -1 --format=%b --grep="^approve" 2>/dev/null | sed -n "s/^Complaint-Id: //p")

test_expect_success 'a forged --actor on an approval: git push over file:// is refused, the reasons shown' '
	git -C s1 pull -q --no-rebase 2>/dev/null || true &&
	git -C s1 reset -q --hard origin/master &&
	at s1 王五 plan $ID --text "再次赔偿" >out 2>err || at s1 王五 note $ID "x" >out &&
	git -C s1 push -q origin HEAD:master 2>err &&
	git clone -q shared.git forge &&
	cp "$TEST_ROOT/policy/default.yaml" forge/policy.yaml &&
	git -C forge commit -q -m off policy.yaml &&
	git -C shared.git rev-parse master >before &&
	echo "$ID" >forged-id &&
	P=$(cd s1 && case_path $ID) &&
	(cd forge && complaint --actor 陈总 note $ID "陈总 says yes" >out) &&
	cp forge/$P s1/$P &&
	sign_commit s1 wangwu 陈总 "note $ID" &&
	test_must_fail git -C s1 push origin HEAD:master >out 2>err &&
	test_grep "remote: [0-9a-f]* $ID: is signed by 王五, but its Actor is 陈总" err &&
	test_grep "remote: complaint: push refused: 1 problem" err &&
	test_grep "pre-receive hook declined" err &&
	git -C shared.git rev-parse master >after &&
	test_cmp before after &&
	complaint -C s1 verify >out 2>err;
	test_grep "is signed by 王五, but its Actor is 陈总" out
'

test_expect_success 'complaint sync of the same: refused (5, as any refusing remote), the reasons in its one error line, the commit kept here' '
	test_expect_code 5 at s1 王五 sync >out 2>err &&
	test_error_line err &&
	test_grep "refused the push to master: pre-receive hook declined.*is signed by 王五, but its Actor is 陈总" err &&
	git -C shared.git rev-parse master >after &&
	test_cmp before after &&
	git -C s1 reset -q --hard HEAD~1
'

test_expect_success 'a hand-edited event (the amount lowered) is refused' '
	P=$(cd s1 && case_path $ID) &&
	sed -i "s/^amount: 12000.00/amount: 800.00/" s1/$P &&
	sign_commit s1 wangwu 王五 "edit $ID" &&
	test_expect_code 5 at s1 王五 sync >out 2>err &&
	test_grep "changes the case.s amount (12000.00 -> 800.00)" err &&
	git -C s1 reset -q --hard HEAD~1
'

test_expect_success 'a backdated commit, and one dated ahead of the server, are refused' '
	at s1 王五 note $ID "on time" >out &&
	git -C s1 reset -q --soft HEAD~1 &&
	GIT_COMMITTER_DATE="$(date -u -d "-60 days" +%Y-%m-%dT%H:%M:%S+00:00)" sign_commit s1 wangwu 王五 "note $ID" &&
	test_must_fail git -C s1 push origin HEAD:master 2>err &&
	test_grep "remote: .*before its parent .* by more than the clock tolerance" err &&
	git -C s1 reset -q --soft HEAD~1 &&
	GIT_COMMITTER_DATE="$(date -u -d "+60 days" +%Y-%m-%dT%H:%M:%S+00:00)" sign_commit s1 wangwu 王五 "note $ID" &&
	test_must_fail git -C s1 push origin HEAD:master 2>err &&
	test_grep "remote: .*ahead of the server.s clock" err &&
	git -C s1 reset -q --hard HEAD~1
'

test_expect_success 'a policy edit by a non-admin is refused; by the admin it goes through' '
	echo "# a comment" >>s1/policy.yaml &&
	sign_commit s1 wangwu 王五 "policy" &&
	test_must_fail git -C s1 push origin HEAD:master 2>err &&
	test_grep "remote: [0-9a-f]* policy.yaml: changed by 王五, who is not an admin of the roster (admins: 陈总)" err &&
	git -C s1 reset -q --hard HEAD~1 &&
	at s3 陈总 sync >out &&
	echo "# a comment" >>s3/policy.yaml &&
	sign_commit s3 chen 陈总 "policy" &&
	git -C s3 push -q origin HEAD:master 2>err
'

test_expect_success 'a non-fast-forward push or deleting the branch is refused' '
	at s1 王五 sync >out &&
	git -C s1 reset -q --hard HEAD~1 &&
	test_must_fail git -C s1 push --force origin HEAD:master 2>err &&
	test_grep "remote: refs/heads/master: refused: not a fast-forward" err &&
	test_must_fail git -C s1 push origin :master 2>err &&
	test_grep "may not be deleted" err &&
	git -C s1 reset -q --hard origin/master
'

test_expect_success 'over ssh: complaint sync and git push meet the same hook' '
	start_sshd &&
	URL="ssh://$ME@127.0.0.1:$PORT$TRASH_DIRECTORY/shared.git" &&
	git -C s2 remote set-url origin "$URL" &&
	at s2 张三 sync >out &&
	at s2 张三 note $ID "over ssh" >out &&
	at s2 张三 sync >out 2>err &&
	test "$(git -C s2 rev-parse HEAD)" = "$(git -C shared.git rev-parse master)" &&
	P=$(cd s2 && case_path $ID) &&
	sed -i "s/^amount: 12000.00/amount: 800.00/" s2/$P &&
	sign_commit s2 zhangsan 张三 "edit $ID" &&
	test_expect_code 5 at s2 张三 sync >out 2>err &&
	test_error_line err &&
	test_grep "refused the push to master: pre-receive hook declined.*changes the case.s amount (12000.00 -> 800.00)" err &&
	GIT_SSH_COMMAND="ssh -p $PORT -i $HOME/.ssh/id_ed25519 -o BatchMode=yes -o UserKnownHostsFile=$HOME/.ssh/known_hosts" \
		test_must_fail git -C s2 push origin HEAD:master 2>err &&
	test_grep "remote: [0-9a-f]* $ID: changes the case.s amount" err &&
	test "$(git -C s2 rev-parse HEAD~1)" = "$(git -C shared.git rev-parse master)" &&
	complaint -C shared.git verify >out 2>err &&
	test_must_be_empty out
'

test_done
