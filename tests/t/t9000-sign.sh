#!/bin/sh
test_description='signed writes: people and keys in the roster, audit in the policy, ssh-keygen signs, git checks'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

AGENT_PID=
stop_agent () {
	if test -n "$AGENT_PID"; then
		kill "$AGENT_PID" 2>/dev/null
		AGENT_PID=
	fi
}
trap 'test_keep_rc_=$?; stop_agent; (exit $test_keep_rc_); test_exit_trap_' EXIT

# git's own check, with an allowed-signers file written here by hand
allowed () {
	for who in wangwu chen zhangsan; do
		printf '%s@example.com namespaces="git" %s\n' "$who" "$(cat "$TRASH_DIRECTORY/keys/$who.pub")"
	done >"$TRASH_DIRECTORY/allowed"
}
gitv () {
	git -c gpg.ssh.allowedSignersFile="$TRASH_DIRECTORY/allowed" "$@"
}

test_expect_success 'setup: keys made by ssh-keygen, a roster with people, a policy that requires signatures' '
	make_key wangwu && make_key chen && make_key zhangsan && make_key stranger &&
	make_key locked secret &&
	audit_roster org.yaml &&
	audit_policy required.yaml "{signatures: required, clock_tolerance: 10m, max_backdate: 7d}" &&
	audit_policy optional.yaml "{signatures: optional}" &&
	allowed
'

test_expect_success 'the roster and policy keys are checked with file:line:column' '
	complaint policy check required.yaml >out &&
	audit_policy bad.yaml "{signatures: sometimes}" &&
	test_expect_code 1 complaint policy check bad.yaml 2>err &&
	test_grep "bad.yaml:[0-9]*:[0-9]*: audit.signatures must be off, optional or required" err &&
	audit_policy bad.yaml "{signatures: required, clock_tolerance: 2wd}" &&
	test_expect_code 1 complaint policy check bad.yaml 2>err &&
	test_grep "audit.clock_tolerance must be a span of time" err &&
	audit_policy bad.yaml "{signatures: required, max_backdat: 7d}" &&
	test_expect_code 1 complaint policy check bad.yaml 2>err &&
	test_grep "max_backdat" err &&
	sed "s/admins: \[陈总\]/admins: [赵六]/" org.yaml >bad-org.yaml &&
	test_expect_code 3 complaint init bad --org bad-org.yaml 2>err &&
	test_grep "bad-org.yaml:[0-9]*:[0-9]*: admin .赵六. is not in people" err &&
	sed "s/AAAAC3Nz/AAAAC4Nz/" org.yaml >bad-org.yaml &&
	test_expect_code 3 complaint init bad --org bad-org.yaml 2>err &&
	test_grep "a key of 王五: not an SSH public key" err &&
	sed "s|\(zhangsan@example.com, keys: \).*|\1[\"$(cat keys/wangwu.pub)\"]}|" org.yaml >bad-org.yaml &&
	test_expect_code 3 complaint init bad --org bad-org.yaml 2>err &&
	test_grep "王五 and 张三 have the same key" err &&
	test_path_is_missing bad/policy.yaml
'

test_expect_success 'init under required: refused without a key, signed with one' '
	test_expect_code 1 env COMPLAINT_ACTOR=陈总 complaint init s --policy required.yaml --org org.yaml 2>err &&
	test_error_line err &&
	test_grep "no signing key is set here" err &&
	test_path_is_missing s/policy.yaml &&
	env COMPLAINT_ACTOR=陈总 COMPLAINT_SIGNING_KEY="$TRASH_DIRECTORY/keys/chen" \
		complaint init s --policy required.yaml --org org.yaml >out &&
	test_ignore_scratch s &&
	cd s &&
	gitv verify-commit HEAD 2>err &&
	test_grep "Good \"git\" signature for chen@example.com" err &&
	test "$(git log -1 --format=%ae)" = chen@example.com
'

test_expect_success 'every write is signed by the actor, git verify-commit and git log --show-signature agree' '
	use_key wangwu &&
	ID=$(env COMPLAINT_ACTOR=王五 complaint new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --amount 1200) &&
	env COMPLAINT_ACTOR=王五 complaint assign $ID --department 餐饮部 >out &&
	env COMPLAINT_ACTOR=王五 complaint notify $ID >out &&
	gitv verify-commit HEAD 2>err &&
	test_grep "Good \"git\" signature for wangwu@example.com" err &&
	gitv log --show-signature --format="%h %G? %ae %s" >out &&
	test "$(grep -c "Good \"git\" signature" out)" = 4 &&
	test "$(git log --format=%ae -3 | sort -u)" = wangwu@example.com &&
	git cat-file commit HEAD >raw &&
	test_grep "^gpgsig -----BEGIN SSH SIGNATURE-----" raw &&
	git fsck --strict 2>err &&
	complaint check >out
'

test_expect_success 'git itself finds a signature made over other bytes bad' '
	git cat-file commit HEAD | sed "s/^notify /note /" >forged &&
	F=$(git hash-object -t commit -w forged) &&
	test_must_fail gitv verify-commit $F 2>err &&
	test_grep "Could not verify signature" err
'

test_expect_success 'required: a person without a key in the roster is refused, and nothing is written' '
	test_refused 1 --actor 李四 note $ID "no key" &&
	test_grep "李四 has no key in the roster" err.refused
'

test_expect_success 'required: no key set here, or the key of someone else, is refused' '
	git config --unset user.signingkey &&
	test_refused 1 --actor 王五 note $ID "no key set" &&
	test_grep "no signing key is set here" err.refused &&
	use_key chen &&
	test_refused 1 --actor 王五 note $ID "key of 陈总" &&
	test_grep "is not one of 王五.s keys" err.refused &&
	use_key stranger &&
	test_refused 1 --actor 王五 note $ID "key of nobody" &&
	use_key wangwu
'

test_expect_success 'required: --now more than clock_tolerance from the clock is refused; within it is not' '
	test_refused 1 --actor 王五 --now 2026-01-01T00:00 note $ID "old now" &&
	test_grep "more than 10m from the clock" err.refused &&
	test_refused 1 --actor 王五 --now "$(date -u -d "+20 min" +%Y-%m-%dT%H:%M:%S+00:00)" \
		note $ID "future now" &&
	complaint --actor 王五 --now -3m new --customer 赵女士 --channel phone --category service \
		--summary "now, near enough" >out
'

test_expect_success 'required: --received and --at earlier than max_backdate are refused' '
	test_refused 1 --actor 王五 new --customer x --channel phone --category service \
		--summary old --received -8d &&
	test_grep "more than 7d before now" err.refused &&
	# a case received long ago (written while signatures were optional)
	cp ../optional.yaml policy.yaml &&
	git commit -q -m "audit optional" policy.yaml &&
	OLD=$(complaint --actor 王五 new --customer 老客户 --channel phone --category service \
		--summary 十天前 --received -10d) &&
	cp ../required.yaml policy.yaml &&
	git commit -q -m "audit required" policy.yaml &&
	test_refused 1 --actor 王五 note $OLD "nine days ago" --at -9d &&
	test_grep -- "--at .* is more than 7d before now" err.refused &&
	complaint --actor 王五 note $OLD "six days ago" --at -6d >out
'

test_expect_success 'a key that needs a passphrase, stdin not a terminal: refused at once, no prompt' '
	cp ../org.yaml org.yaml &&
	sed "s|\(wangwu@example.com, keys: \[\)|\1\"$(cat ../keys/locked.pub)\", |" ../org.yaml >org.yaml &&
	git commit -q -m "王五: a second key" org.yaml &&
	use_key locked &&
	store_snapshot &&
	test_expect_code 2 timeout 20 "$TEST_LIB_DIR/bin/complaint" --actor 王五 note $ID "locked key" >out 2>err </dev/null &&
	test_error_line err &&
	test_grep "needs a passphrase and standard input is not a terminal" err &&
	test_grep "ssh-add" err &&
	store_unchanged
'

test_expect_success 'a key in ssh-agent signs: by its .pub, by key::, by the private file' '
	eval "$(ssh-agent -s)" >/dev/null &&
	AGENT_PID=$SSH_AGENT_PID &&
	printf "#!/bin/sh\necho secret\n" >"$TRASH_DIRECTORY/askpass" &&
	chmod +x "$TRASH_DIRECTORY/askpass" &&
	SSH_ASKPASS="$TRASH_DIRECTORY/askpass" SSH_ASKPASS_REQUIRE=force ssh-add ../keys/locked 2>/dev/null &&
	git config user.signingkey "$TRASH_DIRECTORY/keys/locked.pub" &&
	complaint --actor 王五 note $ID "agent, .pub" >out &&
	git config user.signingkey "key::$(cat ../keys/locked.pub)" &&
	complaint --actor 王五 note $ID "agent, key::" >out &&
	use_key locked &&
	complaint --actor 王五 note $ID "agent, private file" >out &&
	printf "wangwu@example.com namespaces=\"git\" %s\n" "$(cat ../keys/locked.pub)" >>../allowed &&
	for c in HEAD HEAD~1 HEAD~2; do
		gitv verify-commit $c 2>err && test_grep "Good \"git\" signature for wangwu@example.com" err || return 1
	done &&
	stop_agent && unset SSH_AUTH_SOCK SSH_AGENT_PID &&
	use_key wangwu
'

test_expect_success 'optional: an actor without a key writes unsigned; a key not theirs is not used' '
	cp ../optional.yaml policy.yaml &&
	git commit -q -m "audit optional" policy.yaml &&
	git config --unset user.signingkey &&
	complaint --actor 李四 note $ID "unsigned" >out 2>err &&
	test_must_be_empty err &&
	test "$(git log -1 --format=%G?)" = N &&
	test "$(git log -1 --format=%ae)" = lisi@example.com &&
	use_key chen &&
	complaint --actor 王五 note $ID "not with 陈总s key" >out 2>err &&
	test_grep "warning: not signing: the signing key set here .* is not one of 王五.s keys" err &&
	test "$(git log -1 --format=%G?)" = N &&
	use_key wangwu &&
	complaint --actor 王五 note $ID "signed" >out &&
	gitv verify-commit HEAD 2>err
'

test_expect_success 'off (the default): nothing is signed, the author email is still the person'"'"'s' '
	cp "$TEST_ROOT/policy/default.yaml" policy.yaml &&
	git commit -q -m "audit off" policy.yaml &&
	complaint --actor 餐饮部/张三 note $ID "off" >out &&
	test "$(git log -1 --format=%G?)" = N &&
	test "$(git log -1 --format="%an %ae")" = "餐饮部/张三 zhangsan@example.com" &&
	complaint --actor 赵六 note $ID "not in people" >out &&
	test "$(git log -1 --format="%ae")" = unknown@complaint.invalid
'

test_done
