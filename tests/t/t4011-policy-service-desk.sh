#!/bin/sh
test_description='a month under policy/service-desk.yaml (seed 002)

The four request kinds (咨询 建议 投诉 求助); urgent for safety or a large
loss (notify 15m, assign 30m, resolve 24h, callback 1wd after resolve);
complex (plan 3wd, resolve 10wd); normal (assign 1wd, resolve 5wd,
callback 3wd after resolve); close needs a callback first; late and
unsatisfied are 1 point per department and point_value is 0; the report
gives the timeliness (assign, resolve) and satisfaction rates.'
. "$(dirname "$0")/test-lib.sh"

# October 2026 (Oct 1-7 holidays; Sat Oct 10 a working day), report at
# 2026-11-01T08:00:
#  D1 10-12 09:00 (Mon) inquiry hotline business, normal.  assign due
#     10-13 23:59:59: 10-12 10:00 met; resolve due 5wd = 10-19 23:59:59:
#     10-14 met; callback due 3wd after resolve = 10-19 23:59:59: 10-15
#     satisfied, met; closed.
#  D2 10-13 09:00 (Tue) suggestion online service, normal.  assign due
#     10-14 23:59:59: 10-15 MISSED; resolve due 10-20: 10-16 met; close
#     refused (no callback); callback due 10-21: 10-19 unsatisfied, met.
#  D3 10-14 09:00 complaint hotline product, flag safety -> urgent.
#     assign due 09:30: 09:08 met; notify due 09:15: 09:10 met; resolve
#     due 10-15 09:00: 10-15 12:00 MISSED; callback due 1wd = 10-16
#     23:59:59: 10-16 satisfied, met; closed.
#  D4 10-16 18:00 (Fri) help email other, flag major-loss -> urgent.
#     assign due 18:30: 18:40 MISSED; notify due 18:15: 18:45 MISSED;
#     resolve due 10-17 18:00: 10-17 10:00 met; callback due 1wd after
#     Saturday 10-17 = Monday 10-19 23:59:59: 10-20 satisfied, MISSED;
#     closed.
#  D5 10-20 10:00 complaint onsite service, normal, never assigned: assign
#     (10-21), resolve (10-27) and callback (from resolve's own deadline:
#     10-30) all MISSED.  Open and overdue.
#  D6 10-21 10:00 complaint hotline service, flag complex -> complex.
#     assign 15:00 met; plan due 3wd = 10-26 23:59:59: 10-23 met; resolve
#     due 10wd = 11-04 23:59:59: 10-28 met; callback due 11-02 23:59:59:
#     10-29 unsatisfied, met.
# Report: received 6, resolved 5, closed 3, open 1, overdue 1; kinds
#  inquiry 1, suggestion 1, complaint 3, help 1; levels normal 3, urgent 2,
#  complex 1; deadlines assign 3/6 (受理及时率 0.5), resolve 4/6 (反馈及时率
#  0.667), notify 1/2, plan 1/1, callback 4/6; satisfaction 3/5 = 0.6;
#  recurring service 3.
# Score (1 point each, money 0): late D2 客户服务部 10-14, D3 质量管理部
#  10-15, D4 客户服务部 10-16; unsatisfied D2 客户服务部 10-19, D6
#  质量管理部 10-29; D5 (never assigned) late 10-21 to the intake
#  department 客户服务部 (SPEC section 9).  客户服务部 4, 质量管理部 2.

complaint --now 2026-09-01T09:00 init store \
	--policy "$TEST_ROOT/policy/service-desk.yaml" \
	--org "$TEST_ROOT/policy/rosters/service-desk.yaml" >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服热线/小陈
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

test_expect_success 'D1: an inquiry, normal; every deadline met; closed after the callback' '
	D1=$(complaint --now 2026-10-12T09:00 new --customer 张女士 --kind inquiry --channel hotline \
		--category business --summary 咨询办理流程 --received 2026-10-12T09:00) &&
	show_is $D1 .severity normal &&
	show_is $D1 .deadlines.assign 2026-10-13T23:59:59+08:00 &&
	show_is $D1 .deadlines.resolve 2026-10-19T23:59:59+08:00 &&
	ev 2026-10-12T10:00 assign $D1 --department 客户服务部 --responsible 小周 &&
	ev 2026-10-14T10:00 resolve $D1 --text 已答复 &&
	show_is $D1 .deadlines.callback 2026-10-19T23:59:59+08:00 &&
	ev 2026-10-15T10:00 callback $D1 --satisfied &&
	ev 2026-10-15T11:00 close $D1 &&
	show_is $D1 .status closed
'

test_expect_success 'D2: a suggestion; assigned late; close refused without a callback' '
	D2=$(complaint --now 2026-10-13T09:00 new --customer 李先生 --kind suggestion --channel online \
		--category service --summary 建议延长服务时间 --received 2026-10-13T09:00) &&
	show_is $D2 .severity normal &&
	ev 2026-10-15T10:00 assign $D2 --department 客户服务部 --responsible 小周 &&
	show_is $D2 .deadline_states.assign missed &&
	ev 2026-10-16T10:00 resolve $D2 --text 已采纳 &&
	test_expect_code 1 complaint --now 2026-10-16T11:00 close $D2 2>err &&
	test_error_line err &&
	show_is $D2 .status resolved &&
	show_is $D2 .deadlines.callback 2026-10-21T23:59:59+08:00 &&
	ev 2026-10-19T10:00 callback $D2 --unsatisfied --text 没有实际改变
'

test_expect_success 'D3: safety makes a complaint urgent (notify 15m, assign 30m, resolve 24h)' '
	D3=$(complaint --now 2026-10-14T09:00 new --customer 王先生 --kind complaint --channel hotline \
		--category product --summary 设备漏电 --flag safety --received 2026-10-14T09:00) &&
	show_is $D3 .severity urgent &&
	show_is $D3 .deadlines.notify 2026-10-14T09:15:00+08:00 &&
	show_is $D3 .deadlines.assign 2026-10-14T09:30:00+08:00 &&
	show_is $D3 .deadlines.resolve 2026-10-15T09:00:00+08:00 &&
	ev 2026-10-14T09:08 assign $D3 --department 质量管理部 --responsible 小孙 &&
	ev 2026-10-14T09:10 notify $D3 &&
	ev 2026-10-15T12:00 resolve $D3 --text 已更换设备 &&
	show_is $D3 .deadline_states.resolve missed &&
	show_is $D3 .deadlines.callback 2026-10-16T23:59:59+08:00 &&
	ev 2026-10-16T10:00 callback $D3 --satisfied &&
	ev 2026-10-16T11:00 close $D3
'

test_expect_success 'D4: a large loss makes a help request urgent; callback due the next working day' '
	D4=$(complaint --now 2026-10-16T18:00 new --customer 赵公司 --kind help --channel email \
		--category other --summary 仓库被淹求助 --flag major-loss --received 2026-10-16T18:00) &&
	show_is $D4 .severity urgent &&
	ev 2026-10-16T18:40 assign $D4 --department 客户服务部 --responsible 小周 &&
	ev 2026-10-16T18:45 notify $D4 &&
	ev 2026-10-17T10:00 resolve $D4 --text 已派人协助 &&
	show_is $D4 .deadlines.callback 2026-10-19T23:59:59+08:00 &&
	ev 2026-10-20T10:00 callback $D4 --satisfied &&
	show_is $D4 .deadline_states.callback missed &&
	ev 2026-10-20T11:00 close $D4
'

test_expect_success 'D5: a complaint never assigned' '
	D5=$(complaint --now 2026-10-20T10:00 new --customer 孙女士 --kind complaint --channel onsite \
		--category service --summary 窗口无人 --received 2026-10-20T10:00) &&
	show_is $D5 .severity normal &&
	show_is $D5 .deadlines.resolve 2026-10-27T23:59:59+08:00 &&
	show_is $D5 .deadlines.callback 2026-10-30T23:59:59+08:00 &&
	show_is $D5 .overdue true
'

test_expect_success 'D6: complex (a plan within 3wd, resolve within 10wd)' '
	D6=$(complaint --now 2026-10-21T10:00 new --customer 周先生 --kind complaint --channel hotline \
		--category service --summary 多部门推诿 --flag complex --received 2026-10-21T10:00) &&
	show_is $D6 .severity complex &&
	show_is $D6 .deadlines.plan 2026-10-26T23:59:59+08:00 &&
	show_is $D6 .deadlines.resolve 2026-11-04T23:59:59+08:00 &&
	ev 2026-10-21T15:00 assign $D6 --department 质量管理部 --responsible 小孙 &&
	ev 2026-10-23T10:00 plan $D6 --text 成立专项小组 &&
	ev 2026-10-28T10:00 resolve $D6 --text 已协调解决 &&
	ev 2026-10-29T10:00 callback $D6 --unsatisfied
'

test_expect_success 'report October: totals, kinds, levels' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >report.json &&
	jq_is "[.totals.received, .totals.resolved, .totals.closed, .totals.open, .totals.overdue]" "[6,5,3,1,1]" &&
	jq_is "[.by_kind.inquiry, .by_kind.suggestion, .by_kind.complaint, .by_kind.help]" "[1,1,3,1]" &&
	jq_is "[.by_severity.normal, .by_severity.urgent, .by_severity.complex]" "[3,2,1]" &&
	jq_is "[.by_channel.hotline, .by_channel.online, .by_channel.email, .by_channel.onsite]" "[3,1,1,1]"
'

test_expect_success 'report October: timeliness (assign 0.5, resolve 0.667) and the other deadlines' '
	jq_is "[.deadlines.assign.due, .deadlines.assign.met]" "[6,3]" &&
	jq_near ".deadlines.assign.rate" 0.5 &&
	jq_is "[.deadlines.resolve.due, .deadlines.resolve.met]" "[6,4]" &&
	jq_near ".deadlines.resolve.rate" 0.6667 &&
	jq_is "[.deadlines.notify.due, .deadlines.notify.met]" "[2,1]" &&
	jq_is "[.deadlines.plan.due, .deadlines.plan.met]" "[1,1]" &&
	jq_is "[.deadlines.callback.due, .deadlines.callback.met]" "[6,4]"
'

test_expect_success 'report October: satisfaction 3 of 5, recurring service 3' '
	jq_is "[.satisfaction.callbacks, .satisfaction.satisfied]" "[5,3]" &&
	jq_near ".satisfaction.rate" 0.6 &&
	jq_is "[.recurring[] | {category, count}]" "[{\"category\":\"service\",\"count\":3}]"
'

test_expect_success 'score October: 1 point per late case and per unsatisfied callback, money 0; the unassigned case charged to the intake department' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --format json >score.json &&
	jq -c "[.policy, .point_value]" score.json >actual &&
	echo "[\"service-desk-002\",0]" >expect &&
	test_cmp expect actual &&
	printf "s/%s/D%s/\n" $D1 1 $D2 2 $D3 3 $D4 4 $D5 5 $D6 6 >names.tmp &&
	jq -r ".items[] | [.case, .date, .target, .role, (.points|tostring), .rule] | join(\" \")" score.json |
		sed -f names.tmp | LC_ALL=C sort >actual &&
	LC_ALL=C sort >expect <<-\EOF &&
	D2 2026-10-14 客户服务部 department 1 late
	D2 2026-10-19 客户服务部 department 1 unsatisfied
	D3 2026-10-15 质量管理部 department 1 late
	D4 2026-10-16 客户服务部 department 1 late
	D5 2026-10-21 客户服务部 department 1 late
	D6 2026-10-29 质量管理部 department 1 unsatisfied
	EOF
	test_cmp expect actual &&
	jq -c "[.departments[] | [.department, .points, .money]] | sort" score.json >actual &&
	echo "[[\"客户服务部\",4,0],[\"质量管理部\",2,0]]" >expect &&
	test_cmp expect actual &&
	jq -c ".people" score.json >actual &&
	echo "[]" >expect &&
	test_cmp expect actual &&
	jq -r ".warnings[] | .case" score.json >actual &&
	test_must_be_empty actual
'

test_expect_success 'markdown report shows the request kinds and levels' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 >report.md &&
	for w in 咨询 建议 投诉 求助 一般诉求 紧急诉求 复杂诉求; do
		test_grep "$w" report.md || return 1
	done
'

test_done
