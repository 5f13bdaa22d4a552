#!/bin/sh
test_description='report: a hand-computed month (October 2026) under the default policy

Every figure below is computed by hand from policy/default.yaml (seed 000)
and SPEC section 6, and checked against
"complaint report --month 2026-10 --format json" made at 2026-11-01T08:00.'
. "$(dirname "$0")/test-lib.sh"

# The default policy, as used here:
#   minor    notify 10m, onsite 10m from notify, resolve 2h;   no approvals
#            occurrence: department 5 (responsible {max: 5}: penalize only)
#   general  notify, onsite, resolve 12h;       approvals leader
#            occurrence: department 10
#   major    notify, onsite, plan 24h, resolve 2wd; leader, director
#            occurrence: department 10, head 10, responsible 50
#   critical notify, onsite, plan 48h, resolve 7wd; director
#            occurrence: department 20, head 15, leader 20, responsible 100
#   major and critical: parties [lead, intake]: notify and onsite are met
#   when the head's side and 客服中心 (--party 客服中心) both did them
#   late 10 (department, per deadline: one item for each missed deadline,
#   dated when it passed, to the department holding the case then),
#   unsatisfied 10 (department, per unsatisfied callback), intake 客服中心
#   (charged while a case is unassigned), 10 CNY per point, recurring_at 3.
#   penalize: minor by the head (孙七 penalises O10).
# Roster: 餐饮部 head 李四, 客房部 head 孙七, 客服中心 head 周八, leader
# 王五 for all; director 陈总.
# Calendar: 2026-10-01..07 holidays, Saturday 2026-10-10 a working day.
#
# September (the previous month):
#  S1 2026-09-28 10:00 minor, product, phone, 餐饮部/张三; every deadline
#     met; resolved 10:30, closed 09-29.
#  S2 2026-09-30 09:00 general (amount 2000), service, email, 客房部/赵一;
#     planned and approved the same morning, but the 12h resolve deadline
#     (09-30 21:00) passes: at the end of September it is open and overdue.
#     Resolved 2026-10-08 10:00 (193 hours), callback satisfied 10-09.
#  previous = received 2, resolved 1, closed 1, open 1 (S2), overdue 1 (S2)
#
# October (13 cases received):
#  O1 10-08 10:00 minor service phone 餐饮部/张三: notify 10:05, onsite
#     10:12, resolve 11:30 (1.5h), callback satisfied, closed 10-09.  All met.
#  O2 10-09 12:00 minor service onsite 餐饮部/张三: notify 12:15 (due
#     12:10, MISSED), onsite 12:20 (due 12:15+10m = 12:25, met), resolve
#     15:00 (due 14:00, MISSED; 3h); callback unsatisfied 10-10, closed 10-10.
#  O3 10-10 09:00 (Saturday, a make-up working day) general (amount 3000)
#     product phone 客房部/赵一: notify 09:06, onsite 09:14 (due 09:16),
#     plan, approve 王五, resolve 18:00 (due 21:00; 9h); callback satisfied.
#  O4 10-12 14:00 general (scope several) service email 餐饮部/李小: notify
#     14:05, onsite 14:30 (due 14:15, MISSED), plan, approve, resolve
#     10-13 04:00 (due 02:00, MISSED; first resolve 14h); callback
#     unsatisfied 10-13 10:00; REOPENED 11:00, planned, approved, resolved
#     again 16:00; callback satisfied 10-14, closed 10-14.
#  O5 10-09 09:00 (Friday) major (amount 20000) product letter 餐饮部/张三:
#     notify, onsite met (the head's side and 客服中心 one minute apart:
#     this applies to O6, O7, O8 and O13 too); plan 17:00 (due 10-10 09:00, met); approvals;
#     resolve due 2wd = Sat 10-10 (make-up day, 1), Mon 10-12 (2) ->
#     10-12 23:59:59; resolved 10-13 10:00 (MISSED; 97h); callback
#     satisfied 10-14, closed 10-14.
#  O6 10-19 10:00 major (scope public) service online 客房部, no responsible:
#     notify 10:20 (due 10:10, MISSED), onsite 10:25 (due 10:30, met), plan
#     10-20 12:00 (due 10-20 10:00, MISSED), resolve 10-22 09:00 (due 2wd =
#     10-21 23:59:59, MISSED; 71h); callback unsatisfied 10-23.
#  O7 10-20 08:00 critical (flag safety) product onsite 餐饮部/张三: all met
#     (plan 10-21 10:00 due 10-22 08:00, approved by 陈总 alone: 王五's
#     approval is refused; resolve 10-23 18:00 due 7wd =
#     10-29 23:59:59; 82h); callback satisfied, closed 10-24.
#  O8 10-29 09:00 critical (flag regulator) finance phone 客房部/赵一:
#     notify, onsite met; plan 10-31 10:00 (due 10-31 09:00, MISSED);
#     not approved yet; resolve due 7wd = 11-09: pending.
#     Open and overdue at the end of October.
#  O9 10-21 10:00 minor, kind unfounded (not scored), service phone
#     餐饮部/张三: notify 10:30 (MISSED), onsite 10:35 (due 10:40, met),
#     resolve 11:00 (met; 1h); callback unsatisfied 10-22, closed 10-22.
#  O10 10-22 15:00 minor finance email 客房部/赵一: all met, resolve 16:00
#     (1h); penalize 赵一 3 on 10-23.
#  O11 10-26 10:00 minor transport online: never assigned; notify, onsite
#     (from notify's own deadline: 10:20) and resolve (12:00) all MISSED.
#     Open and overdue at the end of October.
#  O12 10-30 20:00 general (amount 1500) other letter 餐饮部/李小: all met,
#     resolve 10-31 07:00 (due 08:00; 11h).
#  O13 10-30 10:00 major (amount 30000) other phone 客房部/赵一: notify,
#     onsite, plan 15:00 met; approved by 王五 only; resolve due 2wd =
#     Mon 11-02, Tue 11-03 -> pending.  Open, not overdue.
#
# Totals:   received 13; resolved 12 (resolve events in October: S2, O1,
#           O2, O3, O4 twice, O5, O6, O7, O9, O10, O12); closed 6 (O1, O2,
#           O4, O5, O7, O9); open 3 (O8, O11, O13); overdue 2 (O8, O11).
# By level: minor 5 (O1 O2 O9 O10 O11), general 3 (O3 O4 O12),
#           major 3 (O5 O6 O13), critical 2 (O7 O8).
# By kind: complaint 12, unfounded 1.
# By category: service 5, product 3, finance 2, transport 1, other 2.
# By channel: phone 5, onsite 2, email 2, letter 2, online 2.
# By department: 餐饮部 7, 客房部 5, unassigned 1.
# Deadlines (met / due; pending ones are not due):
#   notify  9/13 (missed: O2 O6 O9 O11)         0.692
#   onsite 11/13 (missed: O4 O11)               0.846
#   plan    3/5  (O5 O7 O13 met; O6 O8 missed)  0.6
#   resolve 6/11 (O8 O13 pending; missed: O2 O4 O5 O6 O11)  0.545
#   analysis 1/3 (3wd from resolve, major and critical: O7 analysed 10-26,
#           due 10-28, met; O5 due 10-16 (resolved Tue 10-13: Wed, Thu,
#           Fri) and O6 due 10-27 (resolved Thu 10-22: Fri, Mon, Tue)
#           missed: a late item each, per deadline)
# Hours to resolve (first resolve in October, by level):
#   minor    1, 1, 1.5, 3      median 1.25  max 3
#   general  9, 11, 14, 193    median 12.5  max 193 (S2, received in September)
#   major    71, 97            median 84    max 97
#   critical 82                median 82    max 82
# Callbacks in October: 10 (S2 O1 O2 O3 O4 O4 O5 O6 O7 O9), satisfied 6: 0.6.
# Recurring (3 or more in a category): product 3, service 5.
# Score (41 line items, listed in the test below).  Late items, one per
# missed deadline: O2 notify and resolve (10-09, 餐饮部); O4 onsite
# (10-12) and resolve (10-13, 02:00) (餐饮部; its second round met);
# O5 resolve (10-12) and analysis (10-16); O6 notify (10-19), plan
# (10-20), resolve (10-21), analysis (10-27) (客房部); O8 plan (10-31,
# 客房部); O11 notify, onsite, resolve (10-26, 客服中心, never assigned).
# S2's miss is dated 09-30 (September).
#   餐饮部 O1 5 + O2 5+10+10+10 + O4 10+10+10+10 + O5 10+10+10 + O7 20
#          + O12 10 = 140 points (1400 CNY)
#   客房部 O3 10 + O6 10+10+10+10+10+10 + O8 20+10 + O10 5 + O13 10
#          = 115 (1150)
#   客服中心 O11 5+10+10+10 = 35 (350)
#   张三 responsible 餐饮部 150, 赵一 responsible 客房部 153,
#   孙七 head 客房部 35, 李四 head 餐饮部 25,
#   王五 leader 餐饮部 20, 王五 leader 客房部 20
#   warnings: O6 (no responsible for major's 50); O11's minor level has
#   no fixed responsible penalty, and its department items are 客服中心's

complaint --now 2026-09-01T09:00 init store >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服中心/赵六
export COMPLAINT_ACTOR

# nw VAR TIME ARGS...: a new case received at TIME, its ID in $VAR and in names
nw () {
	nw_v=$1 nw_t=$2
	shift 2
	nw_id=$(complaint --now "$nw_t" new --received "$nw_t" "$@") || return 1
	eval "$nw_v=\$nw_id"
	printf 's/%s/%s/g\n' "$nw_id" "$nw_v" >>../names
}

# ev TIME CMD ID ARGS...: an event at TIME
ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

# by ACTOR TIME CMD ID ARGS...: an event by ACTOR
by () {
	by_a=$1 by_t=$2
	shift 2
	complaint --actor "$by_a" --now "$by_t" "$@" >/dev/null
}

test_expect_success 'September: S1 closed, S2 resolved in October' '
	: >../names &&
	nw S1 2026-09-28T10:00 --customer 甲 --channel phone --category product --summary 酒标破损 &&
	ev 2026-09-28T10:01 assign $S1 --department 餐饮部 --responsible 张三 &&
	ev 2026-09-28T10:05 notify $S1 &&
	ev 2026-09-28T10:10 onsite $S1 &&
	ev 2026-09-28T10:30 resolve $S1 --text 已更换 &&
	ev 2026-09-29T09:00 close $S1 &&
	nw S2 2026-09-30T09:00 --customer 乙 --channel email --category service --summary 节前预订混乱 --amount 2000 &&
	ev 2026-09-30T09:01 assign $S2 --department 客房部 --responsible 赵一 &&
	ev 2026-09-30T09:05 notify $S2 &&
	ev 2026-09-30T09:12 onsite $S2 &&
	ev 2026-09-30T10:00 plan $S2 --text 退还差价 &&
	by 王五 2026-09-30T11:00 approve $S2 &&
	ev 2026-10-08T10:00 resolve $S2 --text 已退差价 &&
	ev 2026-10-09T10:00 callback $S2 --satisfied
'

test_expect_success 'October: minor cases O1 O2 O9 O10 O11' '
	nw O1 2026-10-08T10:00 --customer 丙 --channel phone --category service --summary 上菜慢 &&
	ev 2026-10-08T10:01 assign $O1 --department 餐饮部 --responsible 张三 &&
	ev 2026-10-08T10:05 notify $O1 &&
	ev 2026-10-08T10:12 onsite $O1 &&
	ev 2026-10-08T11:30 resolve $O1 --text 已致歉 &&
	ev 2026-10-09T10:00 callback $O1 --satisfied &&
	ev 2026-10-09T10:30 close $O1 &&

	nw O2 2026-10-09T12:00 --customer 丁 --channel onsite --category service --summary 服务员态度差 &&
	ev 2026-10-09T12:01 assign $O2 --department 餐饮部 --responsible 张三 &&
	ev 2026-10-09T12:15 notify $O2 &&
	ev 2026-10-09T12:20 onsite $O2 &&
	ev 2026-10-09T15:00 resolve $O2 --text 已致歉 &&
	ev 2026-10-10T10:00 callback $O2 --unsatisfied &&
	ev 2026-10-10T11:00 close $O2 &&

	nw O9 2026-10-21T10:00 --customer 戊 --kind unfounded --channel phone --category service --summary 外包商问题 &&
	ev 2026-10-21T10:01 assign $O9 --department 餐饮部 --responsible 张三 &&
	ev 2026-10-21T10:30 notify $O9 &&
	ev 2026-10-21T10:35 onsite $O9 &&
	ev 2026-10-21T11:00 resolve $O9 --text 已解释 &&
	ev 2026-10-22T10:00 callback $O9 --unsatisfied &&
	ev 2026-10-22T10:30 close $O9 &&

	nw O10 2026-10-22T15:00 --customer 己 --channel email --category finance --summary 多收房费 &&
	ev 2026-10-22T15:01 assign $O10 --department 客房部 --responsible 赵一 &&
	ev 2026-10-22T15:04 notify $O10 &&
	ev 2026-10-22T15:10 onsite $O10 &&
	ev 2026-10-22T16:00 resolve $O10 --text 已退款 &&
	by 孙七 2026-10-23T10:00 penalize $O10 赵一 3 --reason 核对不严 &&

	nw O11 2026-10-26T10:00 --customer 庚 --channel online --category transport --summary 快递丢件
'

test_expect_success 'October: general cases O3 O4 (reopened) O12' '
	nw O3 2026-10-10T09:00 --customer 辛 --channel phone --category product --summary 酒品变质 --amount 3000 &&
	ev 2026-10-10T09:02 assign $O3 --department 客房部 --responsible 赵一 &&
	ev 2026-10-10T09:06 notify $O3 &&
	ev 2026-10-10T09:14 onsite $O3 &&
	ev 2026-10-10T09:40 plan $O3 --text 换货 &&
	by 王五 2026-10-10T10:00 approve $O3 &&
	ev 2026-10-10T18:00 resolve $O3 --text 已换货 &&
	ev 2026-10-11T10:00 callback $O3 --satisfied &&

	nw O4 2026-10-12T14:00 --customer 壬 --channel email --category service --summary 团队用餐混乱 --scope several &&
	ev 2026-10-12T14:01 assign $O4 --department 餐饮部 --responsible 李小 &&
	ev 2026-10-12T14:05 notify $O4 &&
	ev 2026-10-12T14:30 onsite $O4 &&
	ev 2026-10-12T15:00 plan $O4 --text 打折 &&
	by 王五 2026-10-12T16:00 approve $O4 &&
	ev 2026-10-13T04:00 resolve $O4 --text 已打折 &&
	ev 2026-10-13T10:00 callback $O4 --unsatisfied &&
	ev 2026-10-13T11:00 reopen $O4 --reason 客户不满意 &&
	ev 2026-10-13T12:00 plan $O4 --text 免单 &&
	by 王五 2026-10-13T13:00 approve $O4 &&
	ev 2026-10-13T16:00 resolve $O4 --text 已免单 &&
	ev 2026-10-14T10:00 callback $O4 --satisfied &&
	ev 2026-10-14T11:00 close $O4 &&

	nw O12 2026-10-30T20:00 --customer 癸 --channel letter --category other --summary 停车收费 --amount 1500 &&
	ev 2026-10-30T20:01 assign $O12 --department 餐饮部 --responsible 李小 &&
	ev 2026-10-30T20:05 notify $O12 &&
	ev 2026-10-30T20:10 onsite $O12 &&
	ev 2026-10-30T20:30 plan $O12 --text 退费 &&
	by 王五 2026-10-30T21:00 approve $O12 &&
	ev 2026-10-31T07:00 resolve $O12 --text 已退费
'

test_expect_success 'October: major cases O5 O6 O13' '
	nw O5 2026-10-09T09:00 --customer 子 --channel letter --category product --summary 整批退货 --amount 20000 &&
	ev 2026-10-09T09:01 assign $O5 --department 餐饮部 --responsible 张三 &&
	ev 2026-10-09T09:05 notify $O5 &&
	ev 2026-10-09T09:06 notify $O5 --party 客服中心 &&
	ev 2026-10-09T09:10 onsite $O5 &&
	ev 2026-10-09T09:11 onsite $O5 --party 客服中心 &&
	ev 2026-10-09T17:00 plan $O5 --text 全额退款 &&
	by 王五 2026-10-10T09:00 approve $O5 &&
	by 陈总 2026-10-10T10:00 approve $O5 &&
	ev 2026-10-13T10:00 resolve $O5 --text 已退款 &&
	ev 2026-10-14T10:00 callback $O5 --satisfied &&
	ev 2026-10-14T11:00 close $O5 &&

	nw O6 2026-10-19T10:00 --customer 丑 --channel online --category service --summary 网上差评扩散 --scope public &&
	ev 2026-10-19T10:02 assign $O6 --department 客房部 &&
	ev 2026-10-19T10:20 notify $O6 &&
	ev 2026-10-19T10:21 notify $O6 --party 客服中心 &&
	ev 2026-10-19T10:25 onsite $O6 &&
	ev 2026-10-19T10:26 onsite $O6 --party 客服中心 &&
	ev 2026-10-20T12:00 plan $O6 --text 公开致歉 &&
	by 王五 2026-10-20T13:00 approve $O6 &&
	by 陈总 2026-10-20T14:00 approve $O6 &&
	ev 2026-10-22T09:00 resolve $O6 --text 已致歉 &&
	ev 2026-10-23T10:00 callback $O6 --unsatisfied &&

	nw O13 2026-10-30T10:00 --customer 寅 --channel phone --category other --summary 会场停电 --amount 30000 &&
	ev 2026-10-30T10:01 assign $O13 --department 客房部 --responsible 赵一 &&
	ev 2026-10-30T10:05 notify $O13 &&
	ev 2026-10-30T10:06 notify $O13 --party 客服中心 &&
	ev 2026-10-30T10:10 onsite $O13 &&
	ev 2026-10-30T10:11 onsite $O13 --party 客服中心 &&
	ev 2026-10-30T15:00 plan $O13 --text 赔偿损失 &&
	by 王五 2026-10-30T16:00 approve $O13
'

test_expect_success 'October: critical cases O7 O8' '
	nw O7 2026-10-20T08:00 --customer 卯 --channel onsite --category product --summary 饮后不适 --flag safety &&
	ev 2026-10-20T08:01 assign $O7 --department 餐饮部 --responsible 张三 &&
	ev 2026-10-20T08:05 notify $O7 &&
	ev 2026-10-20T08:06 notify $O7 --party 客服中心 &&
	ev 2026-10-20T08:12 onsite $O7 &&
	ev 2026-10-20T08:13 onsite $O7 --party 客服中心 &&
	ev 2026-10-21T10:00 plan $O7 --text 送医赔偿 &&
	test_must_fail by 王五 2026-10-21T11:00 approve $O7 2>/dev/null &&
	by 陈总 2026-10-21T12:00 approve $O7 &&
	ev 2026-10-23T18:00 resolve $O7 --text 已赔偿 &&
	ev 2026-10-26T10:00 analyze $O7 --text 原料批次问题 &&
	ev 2026-10-24T10:00 callback $O7 --satisfied &&
	ev 2026-10-24T11:00 close $O7 &&

	nw O8 2026-10-29T09:00 --customer 辰 --channel phone --category finance --summary 税务稽查投诉 --flag regulator &&
	ev 2026-10-29T09:01 assign $O8 --department 客房部 --responsible 赵一 &&
	ev 2026-10-29T09:05 notify $O8 &&
	ev 2026-10-29T09:06 notify $O8 --party 客服中心 &&
	ev 2026-10-29T09:10 onsite $O8 &&
	ev 2026-10-29T09:11 onsite $O8 --party 客服中心 &&
	ev 2026-10-31T10:00 plan $O8 --text 配合调查
'

test_expect_success 'the levels are as classified by hand' '
	for v in S1 O1 O2 O9 O10 O11; do
		eval "id=\$$v" &&
		echo "$v minor" >>expect.lv || return 1
	done &&
	for v in S2 O3 O4 O12; do echo "$v general" >>expect.lv; done &&
	for v in O5 O6 O13; do echo "$v major" >>expect.lv; done &&
	for v in O7 O8; do echo "$v critical" >>expect.lv; done &&
	for v in S1 O1 O2 O9 O10 O11 S2 O3 O4 O12 O5 O6 O13 O7 O8; do
		eval "id=\$$v" &&
		echo "$v $(complaint --now 2026-11-01T08:00 show $id --format json | jq -r .severity)" >>actual.lv || return 1
	done &&
	test_cmp expect.lv actual.lv
'

test_expect_success 'the report for October is valid JSON with the contract keys' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >report.json &&
	for k in period totals by_severity by_kind by_category by_channel by_department \
		deadlines resolution_hours satisfaction recurring score previous; do
		jq -e "has(\"$k\")" report.json >/dev/null ||
		{ echo "no key $k" >&2; return 1; }
	done &&
	jq -c .period report.json >actual &&
	echo "{\"from\":\"2026-10-01\",\"to\":\"2026-10-31\"}" >expect &&
	test_cmp expect actual
'

# jq_is EXPR VALUE: the JSON value of EXPR in report.json, compact
jq_is () {
	jq_v=$(jq -c "$1" report.json) || return 1
	test "$jq_v" = "$2" && return 0
	echo "$1 is $jq_v, expected $2" >&2
	return 1
}

# jq_near EXPR NUMBER: within 0.001
jq_near () {
	jq -e --argjson want "$2" "($1) as \$v | (\$v|type) == \"number\" and ((\$v - \$want) | fabs) <= 0.001" \
		report.json >/dev/null && return 0
	echo "$1 is $(jq -c "$1" report.json), expected $2" >&2
	return 1
}

test_expect_success 'totals: received 13, resolved 12 (resolve events; O4 twice), closed 6, open 3, overdue 2' '
	jq_is ".totals.received" 13 &&
	jq_is ".totals.resolved" 12 &&
	jq_is ".totals.closed" 6 &&
	jq_is ".totals.open" 3 &&
	jq_is ".totals.overdue" 2
'

test_expect_success 'previous (September): received 2, resolved 1, closed 1, open 1, overdue 1' '
	jq_is ".previous.received" 2 &&
	jq_is ".previous.resolved" 1 &&
	jq_is ".previous.closed" 1 &&
	jq_is ".previous.open" 1 &&
	jq_is ".previous.overdue" 1
'

test_expect_success 'by level: minor 5, general 3, major 3, critical 2' '
	jq_is "[.by_severity.minor, .by_severity.general, .by_severity.major, .by_severity.critical]" "[5,3,3,2]" &&
	jq_is "[.by_severity[]] | add" 13
'

test_expect_success 'by kind: complaint 12, unfounded 1' '
	jq_is "[.by_kind.complaint, .by_kind.unfounded]" "[12,1]" &&
	jq_is "[.by_kind[]] | add" 13
'

test_expect_success 'by category: service 5, product 3, finance 2, transport 1, other 2' '
	jq_is "[.by_category.service, .by_category.product, .by_category.finance, .by_category.transport, .by_category.other]" "[5,3,2,1,2]" &&
	jq_is "[.by_category[]] | add" 13
'

test_expect_success 'by channel: phone 5, onsite 2, email 2, letter 2, online 2' '
	jq_is "[.by_channel.phone, .by_channel.onsite, .by_channel.email, .by_channel.letter, .by_channel.online]" "[5,2,2,2,2]" &&
	jq_is "[.by_channel[]] | add" 13
'

test_expect_success 'by department: 餐饮部 7, 客房部 5, and the unassigned case counted' '
	jq_is ".by_department[\"餐饮部\"]" 7 &&
	jq_is ".by_department[\"客房部\"]" 5 &&
	jq_is "[.by_department[]] | add" 13
'

test_expect_success 'deadlines: notify 9/13, onsite 11/13, plan 3/5, resolve 6/11' '
	jq_is "[.deadlines.notify.due, .deadlines.notify.met]" "[13,9]" &&
	jq_near ".deadlines.notify.rate" 0.6923 &&
	jq_is "[.deadlines.onsite.due, .deadlines.onsite.met]" "[13,11]" &&
	jq_near ".deadlines.onsite.rate" 0.8462 &&
	jq_is "[.deadlines.plan.due, .deadlines.plan.met]" "[5,3]" &&
	jq_near ".deadlines.plan.rate" 0.6 &&
	jq_is "[.deadlines.resolve.due, .deadlines.resolve.met]" "[11,6]" &&
	jq_near ".deadlines.resolve.rate" 0.5455 &&
	jq_is "[.deadlines.analysis.due, .deadlines.analysis.met]" "[3,1]"
'

test_expect_success 'hours to resolve per level (median, max), the September case included' '
	jq_near ".resolution_hours.minor.median" 1.25 &&
	jq_near ".resolution_hours.minor.max" 3 &&
	jq_near ".resolution_hours.general.median" 12.5 &&
	jq_near ".resolution_hours.general.max" 193 &&
	jq_near ".resolution_hours.major.median" 84 &&
	jq_near ".resolution_hours.major.max" 97 &&
	jq_near ".resolution_hours.critical.median" 82 &&
	jq_near ".resolution_hours.critical.max" 82
'

test_expect_success 'callback satisfaction: 10 callbacks, 6 satisfied, 0.6' '
	jq_is "[.satisfaction.callbacks, .satisfaction.satisfied]" "[10,6]" &&
	jq_near ".satisfaction.rate" 0.6
'

test_expect_success 'recurring: product 3 and service 5 (recurring_at 3); finance 2 and other 2 are not' '
	jq_is "[.recurring[] | {category, count}] | sort_by(.category)" \
		"[{\"category\":\"product\",\"count\":3},{\"category\":\"service\",\"count\":5}]"
'

test_expect_success 'score: the 41 line items of October' '
	cat >expect <<-\EOF &&
	O1 2026-10-08 餐饮部 department 5 occurrence:minor
	O2 2026-10-09 餐饮部 department 5 occurrence:minor
	O2 2026-10-09 餐饮部 department 10 late
	O2 2026-10-09 餐饮部 department 10 late
	O2 2026-10-10 餐饮部 department 10 unsatisfied
	O3 2026-10-10 客房部 department 10 occurrence:general
	O4 2026-10-12 餐饮部 department 10 occurrence:general
	O4 2026-10-12 餐饮部 department 10 late
	O4 2026-10-13 餐饮部 department 10 late
	O4 2026-10-13 餐饮部 department 10 unsatisfied
	O5 2026-10-09 餐饮部 department 10 occurrence:major
	O5 2026-10-09 李四 head 10 occurrence:major
	O5 2026-10-09 张三 responsible 50 occurrence:major
	O5 2026-10-12 餐饮部 department 10 late
	O5 2026-10-16 餐饮部 department 10 late
	O6 2026-10-19 客房部 department 10 occurrence:major
	O6 2026-10-19 孙七 head 10 occurrence:major
	O6 2026-10-19 客房部 department 10 late
	O6 2026-10-20 客房部 department 10 late
	O6 2026-10-21 客房部 department 10 late
	O6 2026-10-23 客房部 department 10 unsatisfied
	O6 2026-10-27 客房部 department 10 late
	O7 2026-10-20 餐饮部 department 20 occurrence:critical
	O7 2026-10-20 李四 head 15 occurrence:critical
	O7 2026-10-20 王五 leader 20 occurrence:critical
	O7 2026-10-20 张三 responsible 100 occurrence:critical
	O8 2026-10-29 客房部 department 20 occurrence:critical
	O8 2026-10-29 孙七 head 15 occurrence:critical
	O8 2026-10-29 王五 leader 20 occurrence:critical
	O8 2026-10-29 赵一 responsible 100 occurrence:critical
	O8 2026-10-31 客房部 department 10 late
	O10 2026-10-22 客房部 department 5 occurrence:minor
	O10 2026-10-23 赵一 responsible 3 penalize
	O11 2026-10-26 客服中心 department 5 occurrence:minor
	O11 2026-10-26 客服中心 department 10 late
	O11 2026-10-26 客服中心 department 10 late
	O11 2026-10-26 客服中心 department 10 late
	O12 2026-10-30 餐饮部 department 10 occurrence:general
	O13 2026-10-30 客房部 department 10 occurrence:major
	O13 2026-10-30 孙七 head 10 occurrence:major
	O13 2026-10-30 赵一 responsible 50 occurrence:major
	EOF
	jq -r ".score.items[] | [.case, .date, .target, .role, (.points|tostring), .rule] | join(\" \")" report.json |
		sed -f ../names | LC_ALL=C sort >actual &&
	LC_ALL=C sort expect >expect.sorted &&
	test_cmp expect.sorted actual
'

test_expect_success 'score: department and person totals, money = points x 10' '
	jq -r ".score.departments[] | [.department, (.points|tostring), (.money|tostring)] | join(\" \")" report.json |
		LC_ALL=C sort >actual &&
	printf "%s\n" "客房部 115 1150" "餐饮部 140 1400" "客服中心 35 350" | LC_ALL=C sort >expect &&
	test_cmp expect actual &&
	jq -r ".score.people[] | [.person, .role, .department, (.points|tostring), (.money|tostring)] | join(\" \")" report.json |
		LC_ALL=C sort >actual &&
	printf "%s\n" "张三 responsible 餐饮部 150 1500" "赵一 responsible 客房部 153 1530" \
		"孙七 head 客房部 35 350" "李四 head 餐饮部 25 250" \
		"王五 leader 餐饮部 20 200" "王五 leader 客房部 20 200" | LC_ALL=C sort >expect &&
	test_cmp expect actual
'

test_expect_success 'score: a warning for O6 only (no responsible person); O11 is the intake department'"'"'s' '
	jq -r ".score.warnings[] | .case" report.json | sed -f ../names | LC_ALL=C sort -u >actual &&
	echo O6 >expect &&
	test_cmp expect actual
'

test_expect_success 'the report score is the score command for the same period' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --format json >score.json &&
	jq -S .score report.json >expect &&
	jq -S . score.json >actual &&
	test_cmp expect actual
'

test_expect_success 'markdown (the default) shows the level names and the figures' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 >report.md &&
	test_grep "轻微投诉" report.md &&
	test_grep "一般投诉" report.md &&
	test_grep "特大投诉" report.md &&
	test_grep "重大投诉" report.md &&
	test_grep "2026-10" report.md &&
	test_grep "非本公司责任" report.md
'

test_expect_success 'report reads only: the store is unchanged' '
	store_snapshot &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --format json >out &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 >out &&
	store_unchanged
'

test_done
