#!/bin/sh
test_description='penalize ceilings, --at bounds, required reasons, close_requires_callback

Seed 000 section 5.2: a minor case'"'"'s responsible person is penalised 5
points or less (the default policy: minor penalties responsible {max: 5});
the ceiling counts every penalize of the same person on the case.  Every
event command takes --at, which must be neither before the case was
received nor after now (exit 1), and must be a time (exit 2).  reopen,
reclassify and penalize need --reason (exit 2).  A policy with
close_requires_callback: true refuses close until a callback after the
last resolve.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
RECEIVED=2026-11-22T14:05
CLERK=客服中心/赵六

new_store store

# mk VAR [new-options]: a new case received at $RECEIVED, assigned to 餐饮部
mk () {
	mk_var=$1
	shift
	mk_id=$(complaint --actor $CLERK --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 \
		--received $RECEIVED "$@") &&
	eval "$mk_var=\$mk_id" &&
	complaint --actor $CLERK --now $NOW assign $mk_id --department 餐饮部 \
		--responsible 张三 >/dev/null
}

# act ACTION ID ARGS...: accepted, with one new commit
act () {
	act_head=$(git rev-parse HEAD) &&
	complaint --actor 李四 --now $NOW "$@" >/dev/null 2>err.act || {
		echo "refused: complaint $*" >&2
		cat err.act >&2
		return 1
	}
	test "$(git rev-parse HEAD^)" = "$act_head"
}

# refuse CODE PATTERN ACTION ID ARGS...: refused with CODE, nothing
# written, the case file byte for byte the same, one error line matching
# PATTERN (grep -E); the actor is $RF_ACTOR
RF_ACTOR=李四
refuse () {
	rf_code=$1 rf_pat=$2 rf_id=$4
	shift 2
	rf_path=$(case_path $rf_id) &&
	test -n "$rf_path" &&
	cp "$rf_path" case.tmp &&
	test_refused $rf_code --actor "$RF_ACTOR" --now $NOW "$@" &&
	test_cmp_bytes case.tmp "$rf_path" &&
	test_grep -E -e "$rf_pat" err.refused
}

# penalties ID: the penalize events as "person points"
penalties () {
	yaml_get "$(case_path $1)" events |
		jq -r '.[] | select(.action == "penalize") | .person + " " + .points'
}

# ---- penalize and the minor level's {max: 5} ----

test_expect_success 'minor: penalize at the ceiling (5) is accepted' '
	mk M1 &&
	test "$(complaint --now $NOW show $M1 --format json | jq -r .severity)" = minor &&
	act penalize $M1 张三 5 --reason 未及时到场 &&
	penalties $M1 >actual &&
	echo "张三 5" >expect &&
	test_cmp expect actual &&
	git log -1 --format=%s >actual &&
	test_grep "^penalize $M1: 张三 5 points" actual
'

test_expect_success 'minor: one more point over the ceiling is refused (exit 1)' '
	refuse 1 "level minor allows at most 5 points for the responsible person per case; 张三 would have 6" \
		penalize $M1 张三 1 --reason 态度差
'

test_expect_success 'minor: 6 points at once are refused (exit 1)' '
	mk M2 &&
	refuse 1 "level minor allows at most 5 points .*张三 would have 6" \
		penalize $M2 张三 6 --reason 态度差
'

test_expect_success 'minor: a total over two penalize calls is refused (3 + 3)' '
	mk M3 &&
	act penalize $M3 张三 3 --reason 未及时到场 &&
	refuse 1 "张三 would have 6" penalize $M3 张三 3 --reason 态度差 &&
	act penalize $M3 张三 2 --reason 态度差 &&
	refuse 1 "张三 would have 6" penalize $M3 张三 1 --reason 再犯 &&
	penalties $M3 >actual &&
	printf "%s\n" "张三 3" "张三 2" >expect &&
	test_cmp expect actual
'

test_expect_success 'the ceiling is per person: another person has their own 5' '
	act penalize $M3 赵八 5 --reason 协助不力 &&
	refuse 1 "赵八 would have 6" penalize $M3 赵八 1 --reason 再犯
'

test_expect_success 'levels with a fixed responsible penalty have no ceiling (general, major)' '
	mk G1 --amount 1200 &&
	act penalize $G1 张三 40 --reason 严重失职 &&
	mk J1 --amount 20000 &&
	# major: penalize.by [intake] (the service centre proposes, a director approves)
	complaint --actor $CLERK --now $NOW penalize $J1 张三 80 --reason 严重失职 >out &&
	test_grep "P1" out &&
	complaint --actor 陈总 --now $NOW approve $J1 --penalty P1 >/dev/null
'

test_expect_success 'bad points are a usage error (exit 2)' '
	refuse 2 "POINTS must be a whole number" penalize $M2 张三 0 --reason r &&
	refuse 2 "POINTS must be a whole number|unknown option" penalize $M2 张三 -1 --reason r &&
	refuse 2 "POINTS must be a whole number" penalize $M2 张三 --reason r -- -1 &&
	refuse 2 "POINTS must be a whole number" penalize $M2 张三 2.5 --reason r &&
	refuse 2 "POINTS must be a whole number" penalize $M2 张三 x --reason r
'

# ---- missing reasons (exit 2) ----

test_expect_success 'penalize without --reason, or with a blank one (exit 2)' '
	refuse 2 "reason" penalize $M2 张三 1 &&
	refuse 2 "reason" penalize $M2 张三 1 --reason "  "
'

test_expect_success 'penalize over the ceiling and without --reason: the usage error wins (exit 2)' '
	refuse 2 "reason" penalize $M1 张三 1
'

test_expect_success 'reclassify without --reason, or with a blank one (exit 2)' '
	refuse 2 "reason" reclassify $M2 general &&
	refuse 2 "reason" reclassify $M2 general --reason "" &&
	refuse 2 "reason" reclassify $M2 general --reason "	 "
'

test_expect_success 'reclassify to an unknown level (exit 2)' '
	refuse 2 "level .bogus. is not in the policy" reclassify $M2 bogus --reason 因为 &&
	refuse 2 "is not in the policy" reclassify $M2 一般投诉 --reason 按名称
'

test_expect_success 'reopen without --reason, or with a blank one (exit 2)' '
	act resolve $M2 --text 已致歉 &&
	refuse 2 "reason" reopen $M2 &&
	refuse 2 "reason" reopen $M2 --reason " " &&
	act reopen $M2 --reason 客户再次来电
'

test_expect_success 'plan and resolve without --text, assign without --department (exit 2)' '
	refuse 2 "text" plan $G1 &&
	refuse 2 "text" plan $G1 --text "  " &&
	refuse 2 "text" resolve $M2 &&
	refuse 2 "department" assign $M2 &&
	refuse 2 "department" assign $M2 --department ""
'

test_expect_success 'assign to a department not in org.yaml (exit 1)' '
	refuse 1 "department .不存在. is not in org.yaml" assign $M2 --department 不存在
'

# ---- --at bounds ----

# at_cases ACTION ARGS...: the same command with --at before received,
# after now, and malformed
at_cases () {
	ac_action=$1 ac_id=$2
	shift 2
	refuse 1 "--at 2026-11-22T14:04:00\\+08:00 is before the case was received \\(2026-11-22T14:05:00\\+08:00\\)" \
		$ac_action $ac_id "$@" --at 2026-11-22T14:04 &&
	refuse 1 "before the case was received" $ac_action $ac_id "$@" --at 2026-11-22T06:04:59Z &&
	refuse 1 "before the case was received" $ac_action $ac_id "$@" --at 2026-11-21 &&
	refuse 1 "--at 2026-11-22T15:01:00\\+08:00 is in the future \\(now is 2026-11-22T15:00:00\\+08:00\\)" \
		$ac_action $ac_id "$@" --at 2026-11-22T15:01 &&
	refuse 1 "in the future" $ac_action $ac_id "$@" --at 2026-11-22T07:00:01Z &&
	refuse 1 "in the future" $ac_action $ac_id "$@" --at 2027-01-01T00:00 &&
	for t in yesterday 2026-11-22T25:00 2026-02-30T10:00 "2026-11-22T14:30 x" 22/11/2026 ""; do
		refuse 2 "--at" $ac_action $ac_id "$@" --at "$t" || return 1
	done
}

test_expect_success '--at bounds: assign' '
	mk A1 &&
	at_cases assign $A1 --department 客房部
'

test_expect_success '--at bounds: notify, onsite' '
	at_cases notify $A1 &&
	at_cases onsite $A1
'

test_expect_success '--at bounds: plan, approve' '
	mk B1 --amount 1200 &&
	at_cases plan $B1 --text 方案 &&
	act plan $B1 --text 方案 &&
	(RF_ACTOR=王五 && at_cases approve $B1)
'

test_expect_success '--at bounds: resolve, callback, close, reopen' '
	at_cases resolve $A1 --text 已致歉 &&
	act resolve $A1 --text 已致歉 &&
	at_cases callback $A1 --satisfied &&
	at_cases close $A1 &&
	at_cases reopen $A1 --reason 再次来电
'

test_expect_success '--at bounds: note, reclassify, penalize' '
	at_cases note $A1 备注 &&
	at_cases reclassify $A1 general --reason 金额更正 &&
	at_cases penalize $A1 张三 1 --reason 迟到
'

test_expect_success '--at at exactly received and exactly now is accepted' '
	# assigned when received: read in time order, notify follows the assign
	C1=$(complaint --actor $CLERK --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 --received $RECEIVED) &&
	act assign $C1 --department 餐饮部 --at $RECEIVED &&
	act notify $C1 --at $RECEIVED &&
	act onsite $C1 --at 2026-11-22T07:00:00Z &&
	yaml_get "$(case_path $C1)" events >out.json &&
	jq -r ".[] | select(.action == \"notify\" or .action == \"onsite\") | .action + \" \" + .at" out.json >actual &&
	printf "%s\n" "notify 2026-11-22T14:05:00+08:00" "onsite 2026-11-22T15:00:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success '--at records when it happened; the commit is dated now' '
	act note $C1 补记 --at 2026-11-22T14:30 &&
	test "$(yaml_get "$(case_path $C1)" events -1 at)" = 2026-11-22T14:30:00+08:00 &&
	test "$(git log -1 --format=%ad --date=iso-strict)" = 2026-11-22T15:00:00+08:00
'

# ---- close_requires_callback ----

test_expect_success 'a store whose policy sets close_requires_callback: true' '
	cd .. &&
	sed "s/^close_requires_callback: false/close_requires_callback: true/" \
		"$TEST_ROOT/policy/default.yaml" >policy.tmp &&
	grep -q "^close_requires_callback: true" policy.tmp &&
	new_store cb --policy policy.tmp &&
	grep -q "^close_requires_callback: true" policy.yaml
'

test_expect_success 'close is refused until a callback' '
	mk D1 &&
	act resolve $D1 --text 已致歉 &&
	refuse 1 "requires a customer callback before close" close $D1 &&
	act callback $D1 --unsatisfied --text 不满意 &&
	act close $D1 &&
	test "$(complaint --now $NOW show $D1 --format json | jq -r .status)" = closed
'

test_expect_success 'after reopen and a new resolve, the old callback does not count' '
	act reopen $D1 --reason 客户再次来电 &&
	act resolve $D1 --text 再次处理 &&
	refuse 1 "requires a customer callback before close" close $D1 &&
	act callback $D1 --satisfied &&
	act close $D1
'

test_expect_success 'close before resolve names resolve, not the callback' '
	mk D2 &&
	refuse 1 "the case is assigned; close needs it resolved" close $D2
'

test_expect_success 'the stores are clean' '
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	(cd ../store && git status --porcelain --untracked-files=all) >actual &&
	test_must_be_empty actual &&
	git fsck --strict >/dev/null 2>&1 &&
	(cd ../store && git fsck --strict) >/dev/null 2>&1
'

test_done
