#!/bin/sh
test_description='who is charged, who may penalise, joint handling (SPEC sections 9 and 10)

assign takes --responsible and --with more than once (name lists in the
case file, read back by PyYAML); a responsible name holding a list
separator, a name twice, an unknown or the lead department as --with are
refused.  notify and onsite take --party (a roster department or the
intake department).  A level with penalize: {by, approvals} refuses
penalize by anyone else, makes proposals P1, P2..., which approve
--penalty approves in order and penalize --withdraw withdraws; every
refusal writes nothing.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
RECEIVED=2026-11-22T14:05
CLERK=客服中心/赵六

# a store whose policy names an intake department and lets major cases
# be penalised by intake with the director's approval, and whose major
# level has parties [lead, intake]
test_expect_success 'setup: intake, penalize and parties in the policy' '
	new_store store &&
	python3 - policy.yaml <<-\EOF &&
	import sys, yaml
	p = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	p["intake"] = "客服中心"
	for l in p["levels"]:
	    if l["id"] == "minor":
	        l["penalize"] = {"by": ["head"]}
	    if l["id"] == "major":
	        l["penalize"] = {"by": ["intake"], "approvals": ["director"]}
	        l["parties"] = ["lead", "intake"]
	yaml.safe_dump(p, open(sys.argv[1], "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
	EOF
	python3 - org.yaml <<-\EOF &&
	import sys, yaml
	o = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	# the sample roster has the service centre since the default policy names it
	if not any(d["name"] == "客服中心" for d in o["departments"]):
	    o["departments"].append({"name": "客服中心", "head": "赵主任", "leader": "王五"})
	yaml.safe_dump(o, open(sys.argv[1], "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
	EOF
	git -c user.name=t -c user.email=t@example.com commit -qam "intake, penalize, parties" &&
	complaint policy check policy.yaml
'

mk () {
	mk_id=$(complaint --actor $CLERK --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 \
		--received $RECEIVED "$@") &&
	echo "$mk_id"
}

test_expect_success 'assign --responsible twice and --with: name lists in the case file' '
	A=$(mk --amount 20000) &&
	complaint --actor $CLERK --now $NOW assign $A --department 餐饮部 --with 客房部 \
		--responsible 张三 --responsible " 李五 " >out &&
	test_grep "to 餐饮部 with 客房部, 张三, 李五 responsible" out &&
	f=$(case_path $A) &&
	test_grep -x -e "responsible: \[张三, 李五\]" "$f" &&
	test_grep -x -e "with: \[客房部\]" "$f" &&
	test "$(yaml_get "$f" responsible)" = "[\"张三\", \"李五\"]" &&
	test "$(yaml_get "$f" events 1 with)" = "[\"客房部\"]" &&
	complaint --now $NOW show $A --format json | jq -e ".responsible == [\"张三\",\"李五\"] and .with == [\"客房部\"]" &&
	complaint check >/dev/null
'

test_expect_success 'one responsible stays a plain scalar, no with key' '
	A=$(mk) &&
	complaint --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三 >/dev/null &&
	f=$(case_path $A) &&
	test_grep -x -e "responsible: 张三" "$f" &&
	! grep -q "^with:" "$f"
'

test_expect_success 'a responsible name holding a list separator, or a name twice, is refused (exit 2)' '
	A=$(mk) &&
	test_refused 2 --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三,李五 &&
	test_grep "give each person" err.refused &&
	test_refused 2 --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三、李五 &&
	test_refused 2 --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三 --responsible "张三 " &&
	test_grep "names 张三 twice" err.refused
'

test_expect_success '--with: an unknown department (exit 1), the lead itself (exit 2)' '
	A=$(mk) &&
	test_refused 1 --actor $CLERK --now $NOW assign $A --department 餐饮部 --with 不存在 &&
	test_grep "not in org.yaml" err.refused &&
	test_refused 2 --actor $CLERK --now $NOW assign $A --department 餐饮部 --with 餐饮部
'

test_expect_success 'notify --party: the intake department or a roster one; another is refused' '
	A=$(mk) &&
	complaint --actor $CLERK --now $NOW notify $A --party 客服中心 >out &&
	test_grep "notified 客服中心 of" out &&
	test "$(yaml_get "$(case_path $A)" events 1 party)" = 客服中心 &&
	test_refused 1 --actor $CLERK --now $NOW onsite $A --party 不存在
'

test_expect_success 'parties [lead, intake]: notify is met only when both were told in time' '
	A=$(mk --amount 20000) &&
	complaint --actor $CLERK --now 2026-11-22T14:08 assign $A --department 餐饮部 >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:10 notify $A >/dev/null &&
	complaint --now 2026-11-22T14:12 show $A --format json | jq -e ".deadline_states.notify == \"pending\"" &&
	complaint --actor $CLERK --now 2026-11-22T14:20 notify $A --party 客服中心 >/dev/null &&
	complaint --now 2026-11-22T14:21 show $A --format json | jq -e ".deadline_states.notify == \"missed\"" &&
	B=$(mk --amount 20000) &&
	complaint --actor $CLERK --now 2026-11-22T14:06 notify $B --party 客服中心 >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:07 notify $B >/dev/null &&
	complaint --now 2026-11-22T14:21 show $B --format json | jq -e ".deadline_states.notify == \"met\""
'

test_expect_success 'penalize by a role outside penalize.by is refused (exit 1), naming who may' '
	A=$(mk) &&
	complaint --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三 >/dev/null &&
	test_refused 1 --actor $CLERK --now $NOW penalize $A 张三 3 --reason 迟到 &&
	test_grep "level minor: penalize is for the head" err.refused &&
	complaint --actor 李四 --now $NOW penalize $A 张三 3 --reason 迟到 >out &&
	test_grep "recorded 3 penalty points for 张三" out
'

test_expect_success 'proposals: P1, P2; approve --penalty in order by the role; withdraw; refusals' '
	A=$(mk --amount 20000) &&
	complaint --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三 >/dev/null &&
	test_refused 1 --actor 李四 --now $NOW penalize $A 张三 30 --reason 处理不当 &&
	complaint --actor $CLERK --now $NOW penalize $A 张三 30 --reason 处理不当 >out &&
	test_grep "as P1 (it counts once approved)" out &&
	complaint --actor $CLERK --now $NOW penalize $A 张三 20 --reason 态度差 >out &&
	test_grep "as P2" out &&
	f=$(case_path $A) &&
	test "$(yaml_get "$f" events 2 ref)" = P1 &&
	test_refused 1 --actor 王五 --now $NOW approve $A --penalty P1 &&
	test_grep "needs approval by the director next" err.refused &&
	test_refused 1 --actor 陈总 --now $NOW approve $A --penalty P9 &&
	test_refused 2 --actor 陈总 --now $NOW approve $A --penalty X1 &&
	complaint --actor 陈总 --now $NOW approve $A --penalty P1 >out &&
	test_grep "approved penalty proposal P1 on $A as director" out &&
	test_refused 1 --actor 陈总 --now $NOW approve $A --penalty P1 &&
	test_refused 1 --actor $CLERK --now $NOW penalize $A --withdraw P1 --reason 撤回 &&
	test_grep "it counts" err.refused &&
	complaint --actor $CLERK --now $NOW penalize $A --withdraw P2 --reason 经核实无此事 >out &&
	test_grep "withdrew penalty proposal P2" out &&
	test_refused 1 --actor 陈总 --now $NOW approve $A --penalty P2 &&
	test_grep "withdrawn" err.refused &&
	test_refused 1 --actor $CLERK --now $NOW penalize $A --withdraw P2 --reason again &&
	test_refused 2 --actor $CLERK --now $NOW penalize $A --withdraw P2 &&
	test "$(complaint --now $NOW show $A --format json | jq -r ".status")" = assigned &&
	complaint --now $NOW show $A >show.out &&
	test_grep "^  P1 .*张三 30 points by .*: counts from" show.out &&
	test_grep "^  P2 .*: withdrawn" show.out &&
	complaint check >/dev/null
'

test_expect_success 'show lists both rounds after a reopen, and a miss kept after reclassify' '
	A=$(mk) &&
	complaint --actor $CLERK --now 2026-11-22T14:06 assign $A --department 餐饮部 >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:08 notify $A >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:10 onsite $A >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:30 resolve $A --text 已致歉 >/dev/null &&
	complaint --actor $CLERK --now 2026-11-23T09:00 reopen $A --reason 再次投诉 >/dev/null &&
	complaint --now 2026-11-23T12:00 show $A --format json >s.json &&
	jq -e "[.deadline_instances[] | select(.event == \"resolve\") | [.round, .state]] == [[1, \"met\"], [2, \"missed\"]]" s.json &&
	complaint --now 2026-11-23T12:00 show $A >show.out &&
	test_grep "resolve .*MISSED.*round 2" show.out &&
	B=$(mk) &&
	complaint --actor $CLERK --now 2026-11-22T14:06 assign $B --department 餐饮部 >/dev/null &&
	complaint --actor $CLERK --now 2026-11-22T17:00 reclassify $B general --reason 金额有误 >/dev/null &&
	complaint --now 2026-11-22T17:01 show $B --format json >s.json &&
	jq -e "any(.deadline_instances[]; .kept and .event == \"notify\" and .level == \"minor\")" s.json
'

test_expect_success 'close names the deadline it leaves missed, and still closes' '
	A=$(mk) &&
	complaint --actor $CLERK --now 2026-11-22T14:06 assign $A --department 餐饮部 >/dev/null &&
	complaint --actor 李四 --now 2026-11-22T14:30 resolve $A --text 已致歉 >/dev/null &&
	complaint --actor $CLERK --now 2026-11-22T14:40 close $A >out 2>err &&
	test_grep "closed with the notify deadline of .* missed" err &&
	test_grep "closed with the onsite deadline" err &&
	test "$(complaint --now $NOW show $A --format json | jq -r .status)" = closed
'

test_expect_success 'merge: two sites that both made a P1 keep both, theirs renumbered P3 in all its events' '
	A=$(mk --amount 20000) &&
	complaint --actor $CLERK --now $NOW assign $A --department 餐饮部 --responsible 张三 >/dev/null &&
	complaint --actor $CLERK --now $NOW penalize $A 张三 5 --reason 基础 >/dev/null &&
	f=$(case_path $A) &&
	cp "$f" base.yaml &&
	complaint --actor $CLERK --now $NOW penalize $A 张三 30 --reason 甲站 >/dev/null &&
	cp "$f" ours.yaml &&
	git reset -q --hard HEAD~1 &&
	complaint --actor $CLERK --now $NOW penalize $A 张三 20 --reason 乙站 --at 2026-11-22T14:50 >/dev/null &&
	complaint --actor 陈总 --now $NOW approve $A --penalty P2 >/dev/null &&
	cp "$f" theirs.yaml &&
	test "$(yaml_get ours.yaml events 3 ref)" = P2 &&
	test "$(yaml_get theirs.yaml events 3 ref)" = P2 &&
	complaint merge-file base.yaml ours.yaml theirs.yaml "$f" &&
	python3 -c "
import sys, yaml
d = yaml.safe_load(open(\"ours.yaml\", encoding=\"utf-8\"))
got = sorted((e.get(\"action\"), e.get(\"ref\"), e.get(\"reason\")) for e in d[\"events\"] if e.get(\"ref\"))
want = sorted([(\"penalize\", \"P1\", \"基础\"), (\"penalize\", \"P2\", \"甲站\"), (\"penalize\", \"P3\", \"乙站\"), (\"approve\", \"P3\", None)])
sys.exit(0 if got == want else \"got %r\" % (got,))
"
'

test_done
