#!/bin/sh
test_description='a month under policy/hospital.yaml (seed 004, 篇二)

A reply within 5 working days (general: complaint, internal, malpractice),
10 working days when several departments are involved (flag multi-dept),
counted across the 2026 National Day holiday (Oct 1-7 off, Saturday Oct 10
a working day); billing complaints checked on the spot within 24h; safety
notify 30m; no fixed points (penalize in yuan); close without a callback.'
. "$(dirname "$0")/test-lib.sh"

# Working days around National Day 2026: Tue 09-29, Wed 09-30, [Thu 10-01 ..
# Wed 10-07 holiday], Thu 10-08, Fri 10-09, Sat 10-10 (make-up), Mon 10-12,
# Tue 10-13, ...  A working-day deadline ends at 23:59:59 of the Nth working
# day after the day received.
#  H1 09-29 10:00 complaint medical phone -> general, 5wd: 09-30, 10-08,
#     10-09, 10-10, 10-12 -> 10-12 23:59:59 (without the holidays it
#     would be 10-06; without the make-up day 10-13).  Resolved 10-12
#     16:00: met (318h).
#  H2 09-29 11:00 complaint nursing letter, multi-dept -> multi, 10wd:
#     09-30, 10-08, 09, 10, 12, 13, 14, 15, 16, 19 -> 10-19 23:59:59.
#     Resolved 10-20 09:00: MISSED (502h).
#  H3 10-12 09:00 billing onsite -> onspot, 24h -> 10-13 09:00; resolved
#     11:00 (2h), closed 12:00 without a callback (close_requires_callback
#     is false).
#  H4 10-12 10:00 billing phone -> onspot, reclassified general at 12:00
#     (needs investigation): 5wd 10-13 .. 10-19 -> 10-19 23:59:59;
#     resolved 10-16 10:00 (96h), met.
#  H5 10-20 10:00 complaint medical onsite, safety -> safety: notify 30m
#     (10:30), met at 10:20; resolve 10wd -> 11-03 23:59:59, pending.
#     Open, not overdue.
#  H6 10-03 10:00 (a holiday) internal management other: 5wd 10-08, 09,
#     10, 12, 13 -> 10-13 23:59:59 (without the make-up day 10-14);
#     resolved 10-14 09:00: MISSED (263h).  penalize 李护士 200 on 10-15.
#  H7 10-10 10:00 (the make-up Saturday) malpractice medical letter: 5wd
#     10-12 .. 10-16 -> 10-16 23:59:59; not resolved: open and overdue.
# Report October (at 2026-11-01T08:00): received 5 (H3-H7), resolved 5
#  (H1 H2 H3 H4 H6), closed 1, open 2 (H5 H7), overdue 1 (H7); kinds
#  billing 2, complaint 1, internal 1, malpractice 1; levels onspot 1,
#  general 3, safety 1; notify 1/1; resolve rate 0.5 (H3 H4 met, H6 H7
#  missed, H5 pending; with H1 met and H2 missed, if September's cases
#  are counted by their deadline: still 0.5); hours general 96, 263, 318
#  (median 263), multi 502, onspot 2; no category reaches 3: no recurring.
# Score: 李护士 responsible 200 (penalize), 200 yuan; nothing else.

complaint --now 2026-09-01T09:00 init store \
	--policy "$TEST_ROOT/policy/hospital.yaml" \
	--org "$TEST_ROOT/policy/rosters/hospital.yaml" >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=医患办/陈干事
export COMPLAINT_ACTOR

ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

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

test_expect_success 'H1: 5 working days across National Day, with the make-up Saturday' '
	H1=$(complaint --now 2026-09-29T10:00 new --customer 患者甲 --kind complaint --channel phone \
		--category medical --summary 检查结果延误 --received 2026-09-29T10:00) &&
	show_is $H1 .severity general &&
	show_is $H1 .deadlines.resolve 2026-10-12T23:59:59+08:00 &&
	ev 2026-09-29T11:00 assign $H1 --department 内科 --responsible 王医生 &&
	ev 2026-10-12T16:00 resolve $H1 --text 已书面反馈 &&
	show_is $H1 .deadline_states.resolve met
'

test_expect_success 'H2: 10 working days when several departments are involved' '
	H2=$(complaint --now 2026-09-29T11:00 new --customer 患者乙 --kind complaint --channel letter \
		--category nursing --summary 转科护理衔接 --flag multi-dept --received 2026-09-29T11:00) &&
	show_is $H2 .severity multi &&
	show_is $H2 .deadlines.resolve 2026-10-19T23:59:59+08:00 &&
	ev 2026-09-29T12:00 assign $H2 --department 护理部 --responsible 孙护士长 &&
	ev 2026-10-20T09:00 resolve $H2 --text 已协调反馈 &&
	show_is $H2 .deadline_states.resolve missed
'

test_expect_success 'H3: a billing complaint is checked on the spot (24h) and closed without a callback' '
	H3=$(complaint --now 2026-10-12T09:00 new --customer 患者丙 --kind billing --channel onsite \
		--category billing --summary 重复收费 --received 2026-10-12T09:00) &&
	show_is $H3 .severity onspot &&
	show_is $H3 .deadlines.resolve 2026-10-13T09:00:00+08:00 &&
	ev 2026-10-12T09:10 assign $H3 --department 财务科 --responsible 钱会计 &&
	ev 2026-10-12T11:00 resolve $H3 --text 已退费 &&
	ev 2026-10-12T12:00 close $H3 &&
	show_is $H3 .status closed
'

test_expect_success 'H4: a billing complaint that needs investigation is reclassified general (5wd)' '
	H4=$(complaint --now 2026-10-12T10:00 new --customer 患者丁 --kind billing --channel phone \
		--category billing --summary 医保结算异议 --received 2026-10-12T10:00) &&
	show_is $H4 .severity onspot &&
	ev 2026-10-12T10:30 assign $H4 --department 财务科 --responsible 钱会计 &&
	ev 2026-10-12T12:00 reclassify $H4 general --reason 需调查核实 &&
	show_is $H4 .severity general &&
	show_is $H4 .deadlines.resolve 2026-10-19T23:59:59+08:00 &&
	ev 2026-10-16T10:00 resolve $H4 --text 已核实反馈
'

test_expect_success 'H5: a safety complaint: notify within 30m, 10 working days' '
	H5=$(complaint --now 2026-10-20T10:00 new --customer 患者戊 --kind complaint --channel onsite \
		--category medical --summary 用药错误 --flag safety --received 2026-10-20T10:00) &&
	show_is $H5 .severity safety &&
	show_is $H5 .deadlines.notify 2026-10-20T10:30:00+08:00 &&
	show_is $H5 .deadlines.resolve 2026-11-03T23:59:59+08:00 &&
	ev 2026-10-20T10:05 assign $H5 --department 内科 --responsible 王医生 &&
	ev 2026-10-20T10:20 notify $H5 &&
	show_is $H5 .overdue false
'

test_expect_success 'H6: received on a holiday: 5 working days from the first day after it' '
	H6=$(complaint --now 2026-10-03T10:00 new --customer 李护士 --kind internal --channel other \
		--category management --summary 排班不公 --received 2026-10-03T10:00) &&
	show_is $H6 .severity general &&
	show_is $H6 .deadlines.resolve 2026-10-13T23:59:59+08:00 &&
	ev 2026-10-08T09:00 assign $H6 --department 医患关系办公室 --responsible 陈干事 &&
	ev 2026-10-14T09:00 resolve $H6 --text 已调整排班 &&
	show_is $H6 .deadline_states.resolve missed &&
	ev 2026-10-15T10:00 penalize $H6 李护士 200 --reason 绩效考核扣罚
'

test_expect_success 'H7: received on the make-up Saturday (not counted itself)' '
	H7=$(complaint --now 2026-10-10T10:00 new --customer 患者己 --kind malpractice --channel letter \
		--category medical --summary 术后并发症争议 --received 2026-10-10T10:00) &&
	show_is $H7 .severity general &&
	show_is $H7 .deadlines.resolve 2026-10-16T23:59:59+08:00 &&
	ev 2026-10-10T11:00 assign $H7 --department 外科 --responsible 刘医生 &&
	show_is $H7 .overdue true
'

test_expect_success 'report October: totals, kinds, levels, no recurring category' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >report.json &&
	jq_is "[.totals.received, .totals.resolved, .totals.closed, .totals.open, .totals.overdue]" "[5,5,1,2,1]" &&
	jq_is "[.by_kind.billing, .by_kind.complaint, .by_kind.internal, .by_kind.malpractice]" "[2,1,1,1]" &&
	jq_is "[.by_severity.onspot, .by_severity.general, .by_severity.safety, (.by_severity.multi // 0)]" "[1,3,1,0]" &&
	jq_is ".recurring" "[]" &&
	jq_is "[.previous.received, .previous.open, .previous.overdue]" "[2,2,0]"
'

test_expect_success 'report October: deadlines and hours to resolve' '
	jq_is "[.deadlines.notify.due, .deadlines.notify.met]" "[1,1]" &&
	jq_near ".deadlines.resolve.rate" 0.5 &&
	jq_near ".resolution_hours.general.median" 263 &&
	jq_near ".resolution_hours.general.max" 318 &&
	jq_near ".resolution_hours.multi.max" 502 &&
	jq_near ".resolution_hours.onspot.max" 2
'

test_expect_success 'score October: only the discretionary penalty, in yuan' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --format json >score.json &&
	jq -c "[.policy, .point_value, [.items[] | [.case == \"$H6\", .date, .target, .role, .points, .rule]]]" score.json >actual &&
	echo "[\"hospital-004\",1,[[true,\"2026-10-15\",\"李护士\",\"responsible\",200,\"penalize\"]]]" >expect &&
	test_cmp expect actual &&
	jq -c "[.departments, [.people[] | [.person, .role, .department, .points, .money]], .warnings]" score.json >actual &&
	echo "[[],[[\"李护士\",\"responsible\",\"医患关系办公室\",200,200]],[]]" >expect &&
	test_cmp expect actual
'

test_expect_success 'list --overdue at the end of October shows only H7' '
	complaint --now 2026-10-31T23:00 list --overdue --format json >out.json &&
	jq -r ".[].id" out.json >actual &&
	echo $H7 >expect &&
	test_cmp expect actual
'

test_expect_success 'markdown report shows the hospital level names' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 >report.md &&
	for w in 当场处理 一般投诉 医疗安全投诉 收费价格投诉 内部投诉 医疗损害争议; do
		test_grep "$w" report.md || return 1
	done
'

test_done
