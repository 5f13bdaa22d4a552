#!/bin/sh
test_description='a month under policy/manufacturer.yaml (seeds 001 and 003)

complaint (申诉) / claim (索赔) / non-quality (非质量抱怨, scored: false)
kinds; a claim is at least major through the level key "kinds"; every
level has a 7-day (calendar) written reply deadline; serious needs the
head, major the head and then the director (总经理); a callback before
close; no fixed points, penalize without a ceiling, 1 point = 1 yuan;
recurring_at 2.'
. "$(dirname "$0")/test-lib.sh"

# October 2026, report made at 2026-11-01T08:00:
# The written reply within 7 days (001 §3.6(3)) is each level's letter
# deadline: letter --sent records it, here with each resolve.
#  M1 10-08 10:00 complaint quality phone 品管部/小王 -> minor
#     letter due 7d = 10-15 10:00; resolved and written 10-14 10:00 (met, 144h);
#     callback satisfied 10-15 09:00; closed.
#  M2 10-09 09:00 claim quality dealer 品管部/小王 -> major (kinds: [claim])
#     resolve due 10-16 09:00 (7 calendar days, not working days);
#     approvals 周主管 (head) then 刘总经理 (director); resolved 10-17 10:00
#     (MISSED, 193h); callback unsatisfied; penalize 小王 200 on 10-20.
#  M3 10-12 10:00 non-quality contract letter 营业部/小李 -> minor
#     due 10-19 10:00, resolved 10-25 10:00 (MISSED, 312h); not scored.
#  M4 10-15 10:00 complaint transport onsite, flag not-on-spot -> serious
#     营业部/小李; approval 郑主管; due 10-22 10:00, resolved 10-20 10:00
#     (met, 120h); close refused without a callback; callback satisfied;
#     closed.
#  M5 10-20 10:00 complaint quality service_report, scope batch -> serious
#     生产部/小赵; due 10-27 10:00, not resolved: open and overdue.
# Report: received 5, resolved 4, closed 2, open 1, overdue 1;
#  kinds complaint 3, claim 1, non-quality 1; levels minor 2, serious 2,
#  major 1; categories quality 3, contract 1, transport 1 -> recurring
#  quality 3 (recurring_at 2); letter deadline 2 met of 5 (0.4);
#  callbacks 3, satisfied 2 (0.667); hours: minor 144, 312 (median 228),
#  serious 120, major 193.
# Score: one item, 小王 responsible 200 (penalize), money 200; no
#  department items (no fixed points, late: {}, unsatisfied: {}); no
#  warnings.

complaint --now 2026-09-01T09:00 init store \
	--policy "$TEST_ROOT/policy/manufacturer.yaml" \
	--org "$TEST_ROOT/policy/rosters/manufacturer.yaml" >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=办公室/小林
export COMPLAINT_ACTOR

ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

# show_is ID EXPR VALUE: jq EXPR of show --format json
show_is () {
	show_v=$(complaint --now 2026-11-01T08:00 show "$1" --format json | jq -r "$2") || return 1
	test "$show_v" = "$3" && return 0
	echo "$1: $2 is $show_v, expected $3" >&2
	return 1
}

jq_is () {
	jq_v=$(jq -c "$1" report.json) || return 1
	test "$jq_v" = "$2" && return 0
	echo "$1 is $jq_v, expected $2" >&2
	return 1
}

jq_near () {
	jq -e --argjson want "$2" "($1) as \$v | (\$v|type) == \"number\" and ((\$v - \$want) | fabs) <= 0.001" \
		report.json >/dev/null && return 0
	echo "$1 is $(jq -c "$1" report.json), expected $2" >&2
	return 1
}

test_expect_success 'the store uses the manufacturer policy and roster' '
	complaint policy show >out &&
	test_grep manufacturer-001-003 out
'

test_expect_success 'M1: a complaint (申诉) is minor; the written reply within 7 days is met' '
	M1=$(complaint --now 2026-10-08T10:00 new --customer 华东经销商 --channel phone \
		--category quality --summary 外观瑕疵 --received 2026-10-08T10:00) &&
	show_is $M1 .severity minor &&
	show_is $M1 .kind complaint &&
	show_is $M1 .deadlines.letter 2026-10-15T10:00:00+08:00 &&
	ev 2026-10-08T10:30 assign $M1 --department 品管部 --responsible 小王 &&
	ev 2026-10-14T10:00 resolve $M1 --text 书面答复已寄出 &&
	ev 2026-10-14T10:00 letter $M1 --sent --template reply &&
	ev 2026-10-15T09:00 callback $M1 --satisfied &&
	ev 2026-10-15T10:00 close $M1 &&
	show_is $M1 .deadline_states.letter met
'

test_expect_success 'M2: a claim (索赔) is major through the level key kinds; 7 calendar days, missed' '
	M2=$(complaint --now 2026-10-09T09:00 new --customer 华南经销商 --kind claim --channel dealer \
		--category quality --summary 要求赔偿损失 --received 2026-10-09T09:00) &&
	show_is $M2 .severity major &&
	show_is $M2 .deadlines.letter 2026-10-16T09:00:00+08:00 &&
	ev 2026-10-09T09:30 assign $M2 --department 品管部 --responsible 小王 &&
	ev 2026-10-12T10:00 plan $M2 --text 按合同赔偿 &&
	test_expect_code 1 complaint --actor 刘总经理 --now 2026-10-13T09:00 approve $M2 2>err &&
	test_error_line err &&
	complaint --actor 周主管 --now 2026-10-13T10:00 approve $M2 >/dev/null &&
	test_expect_code 1 complaint --now 2026-10-13T11:00 resolve $M2 --text 未批准 2>err &&
	complaint --actor 刘总经理 --now 2026-10-14T10:00 approve $M2 >/dev/null &&
	ev 2026-10-17T10:00 resolve $M2 --text 赔偿已付 --compensation 8000 &&
	ev 2026-10-17T10:00 letter $M2 --sent --template reply &&
	ev 2026-10-19T10:00 callback $M2 --unsatisfied --text 赔偿太慢 &&
	ev 2026-10-20T10:00 penalize $M2 小王 200 --reason 答复超期 &&
	show_is $M2 .deadline_states.letter missed
'

test_expect_success 'M3: a non-quality complaint is minor and not scored' '
	M3=$(complaint --now 2026-10-12T10:00 new --customer 某客户 --kind non-quality --channel letter \
		--category contract --summary 合同条款误解 --received 2026-10-12T10:00) &&
	show_is $M3 .severity minor &&
	ev 2026-10-12T10:30 assign $M3 --department 营业部 --responsible 小李 &&
	ev 2026-10-25T10:00 resolve $M3 --text 已解释合同 &&
	ev 2026-10-25T10:00 letter $M3 --sent --template reply &&
	show_is $M3 .deadline_states.letter missed &&
	{ complaint --now 2026-10-26T10:00 penalize $M3 小李 100 --reason 不计分 >/dev/null 2>&1 || :; }
'

test_expect_success 'M4: not-on-spot is serious; the head approves; close needs a callback first' '
	M4=$(complaint --now 2026-10-15T10:00 new --customer 门店顾客 --channel onsite \
		--category transport --summary 运输破损 --flag not-on-spot --received 2026-10-15T10:00) &&
	show_is $M4 .severity serious &&
	show_is $M4 .deadlines.letter 2026-10-22T10:00:00+08:00 &&
	ev 2026-10-15T10:10 assign $M4 --department 营业部 --responsible 小李 &&
	ev 2026-10-16T10:00 plan $M4 --text 补发新品 &&
	complaint --actor 郑主管 --now 2026-10-16T11:00 approve $M4 >/dev/null &&
	ev 2026-10-20T10:00 resolve $M4 --text 已补发 &&
	ev 2026-10-20T10:00 letter $M4 --sent --template reply &&
	test_expect_code 1 complaint --now 2026-10-20T11:00 close $M4 2>err &&
	test_error_line err &&
	ev 2026-10-21T10:00 callback $M4 --satisfied &&
	ev 2026-10-21T11:00 close $M4 &&
	show_is $M4 .status closed
'

test_expect_success 'M5: a batch problem is serious; unresolved after 7 days' '
	M5=$(complaint --now 2026-10-20T10:00 new --customer 售后服务 --channel service_report \
		--category quality --summary 同批次故障 --scope batch --received 2026-10-20T10:00) &&
	show_is $M5 .severity serious &&
	ev 2026-10-20T10:30 assign $M5 --department 生产部 --responsible 小赵 &&
	show_is $M5 .overdue true
'

test_expect_success 'report October: totals, kinds, levels' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >report.json &&
	jq_is "[.totals.received, .totals.resolved, .totals.closed, .totals.open, .totals.overdue]" "[5,4,2,1,1]" &&
	jq_is "[.by_kind.complaint, .by_kind.claim, .by_kind[\"non-quality\"]]" "[3,1,1]" &&
	jq_is "[.by_severity.minor, .by_severity.serious, .by_severity.major]" "[2,2,1]" &&
	jq_is "[.by_category.quality, .by_category.contract, .by_category.transport]" "[3,1,1]" &&
	jq_is "[.by_department[\"品管部\"], .by_department[\"营业部\"], .by_department[\"生产部\"]]" "[2,2,1]"
'

test_expect_success 'report October: the 7-day reply met 2 of 5, callbacks, recurring at 2' '
	jq_is "[.deadlines.letter.due, .deadlines.letter.met]" "[5,2]" &&
	jq_near ".deadlines.letter.rate" 0.4 &&
	jq_is "[.satisfaction.callbacks, .satisfaction.satisfied]" "[3,2]" &&
	jq_near ".satisfaction.rate" 0.6667 &&
	jq_is "[.recurring[] | {category, count}]" "[{\"category\":\"quality\",\"count\":3}]"
'

test_expect_success 'report October: hours to resolve per level' '
	jq_near ".resolution_hours.minor.median" 228 &&
	jq_near ".resolution_hours.minor.max" 312 &&
	jq_near ".resolution_hours.serious.median" 120 &&
	jq_near ".resolution_hours.major.max" 193
'

test_expect_success 'score October: only the discretionary penalty, in yuan; non-quality gives nothing' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --format json >score.json &&
	jq -c "[.policy, .currency, .point_value]" score.json >actual &&
	echo "[\"manufacturer-001-003\",\"CNY\",1]" >expect &&
	test_cmp expect actual &&
	jq -c "[.items[] | [.case == \"$M2\", .date, .target, .role, .points, .rule]]" score.json >actual &&
	echo "[[true,\"2026-10-20\",\"小王\",\"responsible\",200,\"penalize\"]]" >expect &&
	test_cmp expect actual &&
	jq -c "[.departments, [.people[] | [.person, .role, .department, .points, .money]], .warnings]" score.json >actual &&
	echo "[[],[[\"小王\",\"responsible\",\"品管部\",200,200]],[]]" >expect &&
	test_cmp expect actual &&
	jq -S .score report.json >expect &&
	jq -S . score.json >actual &&
	test_cmp expect actual
'

test_expect_success 'markdown report shows the manufacturer level and kind names' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 >report.md &&
	test_grep "轻微投诉" report.md &&
	test_grep "严重投诉" report.md &&
	test_grep "重大投诉" report.md &&
	test_grep "索赔" report.md &&
	test_grep "非质量抱怨" report.md
'

test_done
