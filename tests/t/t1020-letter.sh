#!/bin/sh
test_description='letter: a letter to the customer from a template; --sent is an event with its deadline

SPEC section 11: templates/apology.md is seed 003'\''s seven-part apology
letter in Chinese, templates/reply.md the written reply of seed 001; an
unknown placeholder is an error, not an empty string; letter --sent
records the event letter {template: NAME} that a level'\''s letter
deadline waits for.'
. "$(dirname "$0")/test-lib.sh"

complaint --now 2026-10-01T09:00 init store >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服中心/赵六
export COMPLAINT_ACTOR

ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

test_expect_success 'a case, resolved, reopened and resolved again, each with compensation' '
	ID=$(complaint --now 2026-10-08T10:00 new --received 2026-10-08T10:00 --customer 王五 \
		--channel phone --category service --summary 上菜慢) &&
	echo $ID >../id &&
	ev 2026-10-08T10:01 assign $ID --department 餐饮部 --responsible 张三 &&
	ev 2026-10-08T10:05 notify $ID &&
	ev 2026-10-08T10:10 onsite $ID &&
	ev 2026-10-08T11:00 resolve $ID --text 已当面致歉 --cause 厨房人手不足 --action 增加周末排班 \
		--compensation 88 &&
	ev 2026-10-08T11:30 reopen $ID --reason 客人仍不满意 &&
	ev 2026-10-08T12:00 resolve $ID --text 再次致歉 --cause 传菜员临时请假 --action 设立顶班制度 \
		--compensation 12
'
ID=$(cat ../id 2>/dev/null)

test_expect_success 'the apology: seed 003'\''s salutation and seven parts, every placeholder filled' '
	complaint --now 2026-10-09T09:00 letter $ID >../letter &&
	! grep -F "{{" ../letter &&
	! grep -F "<!--" ../letter &&
	head -n 1 ../letter >actual &&
	echo "王五先生／女士：" >expect &&
	test_cmp expect actual &&
	python3 - ../letter <<-\EOF
	import sys
	paras = [p.strip() for p in open(sys.argv[1], encoding="utf-8").read().split("\n\n") if p.strip()]
	# salutation, the seven parts of seed 003, the signature
	assert len(paras) == 9, paras
	want = ["王五先生／女士：", "您好！", "致以最深的歉意", "原因是：传菜员临时请假",
	        "补偿：100.00 元", "不满意", "再次就此事", "此致\n敬礼！", "餐饮部\n2026年10月9日"]
	for p, w in zip(paras, want):
	    assert w in p, (w, p)
	assert "2026年10月8日" in paras[1] and "上菜慢" in paras[1]
	# the last resolve speaks; the compensation is the sum of both
	assert "设立顶班制度" in paras[3] and "再次致歉" in paras[3], paras[3]
	EOF
'

test_expect_success 'the written reply, to a file with -o' '
	complaint --now 2026-10-09T09:00 letter $ID --template reply -o ../reply.md &&
	test_grep -F "（案件编号 $ID）" ../reply.md &&
	test_grep -F "处理结果：再次致歉" ../reply.md &&
	test_grep -F "原因：传菜员临时请假" ../reply.md &&
	test_grep -F "改进措施：设立顶班制度" ../reply.md &&
	git status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'init wrote both templates into the store, committed with the policy' '
	git ls-files templates >actual &&
	printf "templates/apology.md\ntemplates/reply.md\n" >expect &&
	test_cmp expect actual &&
	git show --stat --format= $(git rev-list --max-parents=0 HEAD) >out &&
	test_grep "templates/apology.md" out &&
	test_grep "templates/reply.md" out &&
	test_cmp "$TEST_ROOT/templates/apology.md" templates/apology.md &&
	test_cmp "$TEST_ROOT/templates/reply.md" templates/reply.md
'

test_expect_success 'the store'\''s own template comes first; an unknown placeholder is an error with its line' '
	printf "尊敬的{{ customer.name }}：\n\n{{summary}} {{id|date}}\n" >templates/reply.md &&
	test_expect_code 3 complaint letter $ID --template reply >out 2>err &&
	test_must_be_empty out &&
	test_grep -F "template reply, line 3: unknown placeholder {{id|date}}" err &&
	printf "尊敬的{{ customer.name }}：\n\n{{summary}}，{{fields.nope}}\n" >templates/reply.md &&
	test_expect_code 3 complaint letter $ID --template reply 2>err &&
	test_grep -F "unknown placeholder {{fields.nope}}" err &&
	printf "尊敬的{{ customer.name }}：{{summary\n}}\n" >templates/reply.md &&
	test_expect_code 3 complaint letter $ID --template reply 2>err &&
	test_grep -F "line 1:" err &&
	printf "尊敬的{{ customer.name }}：{{summary}}，{{received_at|date}}\n" >templates/reply.md &&
	complaint letter $ID --template reply >out &&
	echo "尊敬的王五：上菜慢，2026-10-08" >expect &&
	test_cmp expect out &&
	git checkout -q -- templates &&
	git status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success '{{fields.ID}}: the value of the policy'\''s form; several responsible joined with 、' '
	F=$(complaint --now 2026-10-10T09:00 new --customer 钱七 --channel phone --category service \
		--summary 房间吵 --field place=三楼 --field covers=2) &&
	ev 2026-10-10T09:01 assign $F --department 客房部 --responsible 张三 --responsible 李五 &&
	printf "{{fields.place}}|{{fields.covers}}|{{responsible}}\n" >templates/reply.md &&
	complaint letter $F --template reply >out &&
	echo "三楼|2|张三、李五" >expect &&
	test_cmp expect out &&
	printf "{{fields.demand}}\n" >templates/reply.md &&
	test_expect_code 1 complaint letter $F --template reply >out 2>err &&
	test_must_be_empty out &&
	test_grep -F "{{fields.demand}}: case $F has no value in that field (set --field ID=VALUE) yet" err &&
	ev 2026-10-10T09:02 set $F --field demand=换房 --reason 客户要求 &&
	complaint letter $F --template reply >out &&
	echo 换房 >expect &&
	test_cmp expect out &&
	git checkout -q -- templates
'

test_expect_success 'a placeholder the case has no value for yet is refused (exit 1), never left empty' '
	N=$(complaint --now 2026-10-10T10:00 new --customer 赵六 --channel phone --category service --summary 房间脏) &&
	test_expect_code 1 complaint letter $N >out 2>err &&
	test_must_be_empty out &&
	test_grep -F "{{department}}: case $N has no department (assign) yet" err &&
	# in the clerk'"'"'s language, what is missing too
	LANGUAGE=zh_CN LC_ALL=C.UTF-8 test_expect_code 1 complaint letter $N >out 2>err &&
	test_grep -F "部门 (assign)" err &&
	test_grep -v "department (assign)" err
'

test_expect_success 'usage: an unknown template, a bad name, -o with --sent, --at without it' '
	test_expect_code 2 complaint letter $ID --template nope 2>err &&
	test_grep "no template .nope." err &&
	test_expect_code 2 complaint letter $ID --template ../policy 2>err &&
	test_expect_code 2 complaint letter $ID --sent -o x 2>err &&
	test_expect_code 2 complaint letter $ID --at 2026-10-09T10:00 2>err &&
	test_expect_code 2 complaint letter 2>err
'

test_expect_success 'letter --sent records the event letter {template: NAME}, one commit' '
	git rev-parse HEAD >before &&
	complaint --now 2026-10-10T09:00 letter $ID --sent --template reply >out &&
	test_grep "recorded that the letter reply went out for $ID" out &&
	test $(git rev-list --count $(cat before)..HEAD) = 1 &&
	git log -1 --format=%s >subject &&
	test_grep "^letter $ID" subject &&
	python3 - "$(git ls-files cases | grep $ID)" <<-\EOF
	import sys, yaml
	c = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	e = c["events"][-1]
	assert e["action"] == "letter" and e["template"] == "reply", e
	assert e["by"] == "客服中心/赵六", e
	EOF
	complaint show $ID --format json | jq -c ".events[-1] | [.action, .template]" >actual &&
	echo "[\"letter\",\"reply\"]" >expect &&
	test_cmp expect actual &&
	complaint show $ID >out &&
	test_grep "letter" out &&
	complaint check
'

test_expect_success 'a level'\''s letter deadline (seed 001: a written reply within 7 days)' '
	sed "s/resolve: 2h$/resolve: 2h\n      letter: 7d/" policy.yaml >p.yaml &&
	grep -c "letter: 7d" p.yaml >n && test "$(cat n)" = 1 &&
	complaint policy check p.yaml &&
	mv p.yaml policy.yaml &&
	GIT_AUTHOR_DATE=2026-10-10T10:00:00+08:00 GIT_COMMITTER_DATE=2026-10-10T10:00:00+08:00 \
		git commit -q -m "policy: a written reply within 7 days" policy.yaml &&
	A=$(complaint --now 2026-10-12T10:00 new --received 2026-10-12T10:00 --customer 甲 --channel phone --category service --summary 甲) &&
	B=$(complaint --now 2026-10-12T10:00 new --received 2026-10-12T10:00 --customer 乙 --channel phone --category service --summary 乙) &&
	complaint --now 2026-10-13T10:00 show $A --format json | jq -r ".deadlines.letter" >actual &&
	echo 2026-10-19T10:00:00+08:00 >expect &&
	test_cmp expect actual &&
	ev 2026-10-15T10:00 letter $A --sent --template reply &&
	ev 2026-10-20T10:00 letter $B --sent --template reply &&
	complaint --now 2026-10-21T10:00 show $A --format json | jq -r ".deadline_states.letter" >actual &&
	echo met >expect &&
	test_cmp expect actual &&
	complaint --now 2026-10-21T10:00 show $B --format json | jq -r ".deadline_states.letter" >actual &&
	echo missed >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >r.json &&
	# every minor case of October has it under the policy at the month'\''s end:
	# ID (written 10-10, met), N and F (none, missed), A met, B missed
	jq -c ".deadlines.letter | [.due, .met]" r.json >actual &&
	echo "[5,2]" >expect &&
	test_cmp expect actual &&
	jq -r ".cases[] | select(.id == \"$B\") | .missed | index(\"letter\") != null" r.json >actual &&
	echo true >expect &&
	test_cmp expect actual
'

test_expect_success 'a letter event survives the cache: the report from the cache and without it' '
	test_path_is_file .git/complaint/cache &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >r2.json &&
	test_cmp r.json r2.json &&
	complaint --now 2026-11-01T08:00 --no-cache report --month 2026-10 --format json >r3.json &&
	test_cmp r.json r3.json
'

test_done
