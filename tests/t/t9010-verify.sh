#!/bin/sh
test_description='complaint verify: signatures, one case per commit, no rewritten events, actions allowed under the parent policy and roster, derived fields, time, admins'
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

# sign_commit KEY ACTOR MSG: git commit -a, signed by git itself with KEY
sign_commit () {
	git -c gpg.format=ssh -c user.signingkey="$TRASH_DIRECTORY/keys/$1.pub" \
		commit -q -S -a -m "$3" -m "Action: edit" -m "Actor: $2"
}
# undo: drop the commit made to be named
undo () {
	git reset -q --hard HEAD~1
}

test_expect_success 'setup: keys, a roster with people and admins, a store that requires signatures' '
	make_key wangwu && make_key chen && make_key zhangsan &&
	audit_roster org.yaml &&
	audit_policy required.yaml "{signatures: required, clock_tolerance: 10m, max_backdate: 7d}" &&
	audit_policy optional.yaml "{signatures: optional}" &&
	env COMPLAINT_ACTOR=陈总 COMPLAINT_SIGNING_KEY="$TRASH_DIRECTORY/keys/chen" \
		complaint init s --policy required.yaml --org org.yaml >out &&
	test_ignore_scratch s &&
	cd s &&
	use_key wangwu &&
	ID=$(complaint --actor 王五 new --customer 王先生 --channel phone --category service \
		--summary 宴会菜品变质 --amount 12000) &&
	echo $ID >../id &&
	complaint --actor 王五 assign $ID --department 餐饮部 >out &&
	complaint --actor 王五 notify $ID >out &&
	complaint --actor 王五 plan $ID --text "退款并致歉" >out &&
	complaint --actor 王五 approve $ID >out
'
ID=$(cat ../id 2>/dev/null)

test_expect_success 'a clean signed history verifies clean, in text and in JSON' '
	complaint verify >out 2>err &&
	test_must_be_empty out &&
	test_grep "^6 commits verified: 0 findings" err &&
	complaint verify --format json >out &&
	python3 -c "import json,sys; d=json.load(open(\"out\")); assert d[\"commits\"] == 6 and d[\"findings\"] == [] and d[\"notes\"] == [], d"
'

test_expect_success 'verify --allowed-signers: git verify-commit and git log --show-signature accept every commit' '
	complaint verify --allowed-signers >../allowed &&
	test_line_count = 3 ../allowed &&
	test_grep "^chen@example.com namespaces=\"git\" ssh-ed25519 " ../allowed &&
	git -c gpg.ssh.allowedSignersFile=../allowed verify-commit HEAD 2>err &&
	test_grep "Good \"git\" signature for wangwu@example.com" err &&
	git -c gpg.ssh.allowedSignersFile=../allowed log --show-signature --format=%H >out &&
	test "$(grep -c "Good \"git\" signature" out)" = 6 &&
	git -c gpg.ssh.allowedSignersFile=../allowed log --format=%G? >out &&
	test "$(sort -u out)" = G
'

test_expect_success 'a key in ssh-agent (its private file gone from here) signs, and git and verify accept it' '
	eval "$(ssh-agent -s)" >/dev/null &&
	AGENT_PID=$SSH_AGENT_PID &&
	ssh-add ../keys/zhangsan 2>/dev/null &&
	mv ../keys/zhangsan ../keys/zhangsan.away &&
	git config user.signingkey "$TRASH_DIRECTORY/keys/zhangsan.pub" &&
	complaint --actor 张三 note $ID "张三 through the agent" >out &&
	mv ../keys/zhangsan.away ../keys/zhangsan &&
	stop_agent && unset SSH_AUTH_SOCK SSH_AGENT_PID &&
	use_key wangwu &&
	git -c gpg.ssh.allowedSignersFile=../allowed verify-commit HEAD 2>err &&
	test_grep "Good \"git\" signature for zhangsan@example.com" err &&
	complaint verify >out 2>err &&
	test_must_be_empty out
'

test_expect_success 'a forged --actor on an approval: signed by 王五, Actor 陈总: named' '
	# the forger makes the file with a copy whose policy he turned off ...
	git clone -q . ../forge &&
	(cd ../forge && cp "$TEST_ROOT/policy/default.yaml" policy.yaml &&
	 git commit -q -m off policy.yaml &&
	 complaint --actor 陈总 approve $ID >out) &&
	# ... and commits it here as 陈总 with his own key
	cp ../forge/$(case_path $ID) $(case_path $ID) &&
	sign_commit wangwu 陈总 "approve $ID" &&
	test_expect_code 1 complaint verify >out 2>err &&
	F=$(git rev-parse --short=12 HEAD) &&
	test_grep "^$F $ID: is signed by 王五, but its Actor is 陈总" out &&
	test_line_count = 1 out &&
	undo
'

test_expect_success 'the same forgery unsigned: named as not signed' '
	cp ../forge/$(case_path $ID) $(case_path $ID) &&
	git commit -q -a -m "approve $ID" -m "Actor: 陈总" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "$ID: is not signed, and the policy requires signatures" out &&
	undo
'

test_expect_success 'an approval by someone who may not give it, signed by that person: named by the replayed rules' '
	P=$(case_path $ID) &&
	cp ../forge/$P $P &&
	sed -i "\$s/by: 陈总/by: 张三/" $P &&
	sign_commit zhangsan 张三 "approve $ID" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "$ID: event 7 (approve at .* by 张三) was not allowed: needs approval by director next" out &&
	undo
'

test_expect_success 'a hand-edited case (the amount lowered to drop a level) is named' '
	P=$(case_path $ID) &&
	sed -i "s/^amount: 12000.00/amount: 800.00/" $P &&
	sign_commit wangwu 王五 "edit" &&
	test_expect_code 1 complaint verify --format json >out &&
	python3 -c "
import json
d = json.load(open(\"out\"))
p = [f[\"problem\"] for f in d[\"findings\"] if f[\"where\"] == \"$ID\"]
assert any(\"changes the case'"'"'s amount (12000.00 -> 800.00)\" in x for x in p), p
assert any(\"derived fields disagree\" in x for x in p), p
" &&
	undo
'

test_expect_success 'an event rewritten or removed is named' '
	P=$(case_path $ID) &&
	sed -i "s/退款并致歉/仅致歉/" $P &&
	sign_commit wangwu 王五 "edit" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "$ID: event 4 (plan at .* by 王五) of the parent was changed or removed" out &&
	undo &&
	grep -v "action: notify" $P >tmp && cat tmp >$P && rm tmp &&
	sign_commit wangwu 王五 "edit" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "event 3 (notify at .*) of the parent was changed or removed" out &&
	undo
'

test_expect_success 'two cases in one commit, or a case and the policy together, are named' '
	I2=$(complaint --actor 王五 new --customer 李女士 --channel phone --category service --summary 房间脏) &&
	sed -i "s/^summary: 房间脏/summary: 房间很脏/" $(case_path $I2) &&
	sed -i "s/^customer: {name: 王先生/customer: {name: 王老板/" $(case_path $ID) &&
	sign_commit wangwu 王五 "two" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "changes 2 cases in one commit" out &&
	undo &&
	sed -i "s/^summary: 房间脏/summary: 房间很脏/" $(case_path $I2) &&
	echo "# touched" >>policy.yaml &&
	sign_commit chen 陈总 "both" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "changes a case and policy.yaml in one commit" out &&
	undo
'

test_expect_success 'policy or roster changed by a non-admin is named; by an admin it is not' '
	cp ../optional.yaml policy.yaml &&
	sign_commit wangwu 王五 "audit optional" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "policy.yaml: changed by 王五, who is not an admin of the roster (admins: 陈总)" out &&
	undo &&
	sed -i "s/^admins: \[陈总\]/admins: [陈总, 王五]/" org.yaml &&
	git commit -q -a -m "roster" -m "Actor: 王五" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "org.yaml: .*changed without the signature of an admin of the roster" out &&
	undo &&
	cp ../required.yaml policy.yaml && echo "# by the admin" >>policy.yaml &&
	sign_commit chen 陈总 "policy" &&
	complaint verify >out 2>err &&
	test_must_be_empty out &&
	undo
'

test_expect_success 'a commit dated before its parent by more than the tolerance is named' '
	complaint --actor 王五 note $ID "for the clock" >out &&
	git reset -q --soft HEAD~1 &&
	GIT_COMMITTER_DATE="2026-01-01T00:00:00+00:00" sign_commit wangwu 王五 "note $ID" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "is dated 2026-01-01.*before its parent .* by more than the clock tolerance" out &&
	undo
'

test_expect_success 'a signature over other bytes is named (OpenSSH agrees it is bad)' '
	complaint --actor 王五 note $ID "to be tampered" >out &&
	git cat-file commit HEAD | sed "s/to be tampered/tampered/" >forged &&
	F=$(git hash-object -t commit -w forged) &&
	test_expect_code 1 complaint verify $F >out 2>err &&
	test_grep "does not match its contents" out &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a range verifies only its commits' '
	complaint verify HEAD~2..HEAD >out 2>err &&
	test_grep "^2 commits verified" err &&
	test_expect_code 2 complaint verify --format xml 2>err &&
	test_expect_code 5 complaint verify no-such-rev 2>err &&
	test_error_line err
'

test_expect_success 'starting to sign on an existing store: the unsigned history is one note, not a finding per commit' '
	cd .. &&
	new_store old &&
	complaint --actor 王五 new --customer 甲 --channel phone --category service --summary a >out &&
	complaint --actor 王五 new --customer 乙 --channel phone --category service --summary b >out &&
	complaint verify >out 2>err &&
	test_grep "all 3 commits are not signed" out &&
	test_line_count = 1 out &&
	cp ../org.yaml org.yaml &&
	git commit -q -a -m "people, keys and admins" -m "Actor: 陈总" &&
	cp ../required.yaml policy.yaml &&
	sign_commit chen 陈总 "audit required" &&
	use_key wangwu &&
	complaint --actor 王五 new --customer 丙 --channel phone --category service --summary c >out &&
	complaint verify >out 2>err &&
	test_line_count = 1 out &&
	test_grep "note: 4 commits before the first signed one ($(git rev-parse HEAD~1)) are not signed" out &&
	test_grep "0 findings" err &&
	git commit -q --allow-empty -m "unsigned" -m "Actor: 王五" &&
	test_expect_code 1 complaint verify >out 2>err &&
	test_grep "is not signed, and the policy requires signatures" out
'

test_done
