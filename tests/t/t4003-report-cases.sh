#!/bin/sh
test_description='report: title, the month'\''s cases, departments and compensation (SPEC section 11)

Every figure below is computed by hand from policy/default.yaml and SPEC
sections 6 and 11, in json, md, csv and html alike; --as-of gives the
published parts back byte for byte after later changes.'
. "$(dirname "$0")/test-lib.sh"

# Minor: notify 10m, onsite 10m from notify, resolve 2h.  General: the same
# and resolve 12h.  Occurrence minor 5, general 10; late 10 (department,
# per deadline: one item for each missed deadline); unsatisfied 10.
#
# September:
#  P 09-14 10:00 minor service 餐饮部/张三: all met, callback satisfied 09-15.
#  D 09-28 10:00 minor finance 客房部/赵一: notify, onsite met; resolved
#    10-08 10:00 (due 09-28 12:00: MISSED) with cause 系统故障 and 20.
# October (published 2026-11-01T08:00):
#  A 10-08 10:00 minor service 餐饮部/张三: all met; resolve 11:00 cause
#    厨房人手不足, action 增加排班, compensation 100; callback unsatisfied
#    10-09; closed 10-09.
#  B 10-12 14:00 minor finance 客房部/赵一: notify 14:20 (MISSED), onsite
#    14:25 (met), resolve 15:00 (met) cause 收银错误, action 复核账单, 50.5.
#  C 10-20 09:00 general (2000) product 餐饮部/李小: assigned only; notify,
#    onsite, resolve all MISSED by 11-01.
#  E 10-26 10:00 minor other 客房部/赵一: notify, onsite met; no resolve:
#    resolve (12:00) MISSED.
# cases (received, then ID): D A B C E
# departments (most received, then name): 客房部 2, 餐饮部 2
#  客房部: received B E; resolved B D (in October, held by 客房部) = 2;
#    due B 3 met 2, E 3 met 2 -> 6/4; callbacks 0;
#    points B 5 + late 10, E 5 + late 10 = 30.
#    September: received D; due 3 met 2 (resolve missed); no callbacks.
#  餐饮部: received A C; resolved A; due A 3/3, C 3/0 -> 6/3; callbacks 1
#    (A) satisfied 0; points A 5 + unsatisfied 10, C 10 + late 3 x 10
#    (notify due 09:10, onsite due 09:20 from notify's due time, resolve
#    due 21:00, all missed while 餐饮部 held it from 09:01) = 55.
#    (B and E above miss one deadline each: one late item each.)
#    September: received P, due 3 met 3, callbacks 1 satisfied 1.
# compensation: resolves D 20, A 100, B 50.5 -> 170.5, all minor.
# Later: 11-02 callback B satisfied; 11-03 resolve E --at 10-31 09:00 with
# 30: October without --as-of changes (B satisfied, E resolved, 200.5).

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

# jq_is FILE EXPR VALUE: the JSON value of EXPR, compact, names for IDs
jq_is () {
	jq_v=$(jq -c "$2" "$1" | sed -f ../names) || return 1
	test "$jq_v" = "$3" && return 0
	echo "$2 is $jq_v, expected $3" >&2
	return 1
}

test_expect_success 'September and October, recorded as they happened' '
	: >../names &&
	nw P 2026-09-14T10:00 --customer 甲 --channel phone --category service --summary 上菜慢 &&
	ev 2026-09-14T10:01 assign $P --department 餐饮部 --responsible 张三 &&
	ev 2026-09-14T10:05 notify $P &&
	ev 2026-09-14T10:10 onsite $P &&
	ev 2026-09-14T11:00 resolve $P --text 已致歉 &&
	ev 2026-09-15T10:00 callback $P --satisfied &&
	nw D 2026-09-28T10:00 --customer 乙 --channel email --category finance --summary 发票错误 &&
	ev 2026-09-28T10:01 assign $D --department 客房部 --responsible 赵一 &&
	ev 2026-09-28T10:05 notify $D &&
	ev 2026-09-28T10:10 onsite $D &&
	ev 2026-10-08T10:00 resolve $D --text 已重开 --cause 系统故障 --compensation 20 &&
	nw A 2026-10-08T10:00 --customer 丙 --channel phone --category service --summary "上菜慢, 等了一个小时 | 没有人解释" &&
	ev 2026-10-08T10:01 assign $A --department 餐饮部 --responsible 张三 &&
	ev 2026-10-08T10:05 notify $A &&
	ev 2026-10-08T10:10 onsite $A &&
	ev 2026-10-08T11:00 resolve $A --text 已致歉 --cause 厨房人手不足 --action 增加排班 --compensation 100 &&
	ev 2026-10-09T10:00 callback $A --unsatisfied &&
	ev 2026-10-09T11:00 close $A &&
	nw B 2026-10-12T14:00 --customer 丁 --channel onsite --category finance --summary 多收房费 &&
	ev 2026-10-12T14:01 assign $B --department 客房部 --responsible 赵一 &&
	ev 2026-10-12T14:20 notify $B &&
	ev 2026-10-12T14:25 onsite $B &&
	ev 2026-10-12T15:00 resolve $B --text 已退款 --cause 收银错误 --action 复核账单 --compensation 50.5 &&
	nw C 2026-10-20T09:00 --customer 戊 --channel letter --category product --summary 酒品变质 --amount 2000 &&
	ev 2026-10-20T09:01 assign $C --department 餐饮部 --responsible 李小 &&
	nw E 2026-10-26T10:00 --customer 己 --channel phone --category other --summary 空调不制冷 &&
	ev 2026-10-26T10:01 assign $E --department 客房部 --responsible 赵一 &&
	ev 2026-10-26T10:05 notify $E &&
	ev 2026-10-26T10:10 onsite $E
'

test_expect_success 'publish October at 2026-11-01T08:00 with --as-of, in every format' '
	for f in json md csv html; do
		complaint --now 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 \
			--lang en --format $f >../pub.$f || return 1
	done
'

test_expect_success 'title: the default policy'\''s, seed 000'\''s 客户投诉分析月报' '
	jq_is ../pub.json .title "\"客户投诉分析月报\"" &&
	head -n 1 ../pub.md >actual &&
	echo "# 客户投诉分析月报 2026-10" >expect &&
	test_cmp expect actual &&
	grep "^report,title," ../pub.csv >actual &&
	printf "report,title,客户投诉分析月报,,,,,,,\r\n" >expect &&
	test_cmp expect actual &&
	grep -F "<h1>客户投诉分析月报: October 2026</h1>" ../pub.html &&
	grep -F "<title>客户投诉分析月报 2026-10" ../pub.html
'

test_expect_success 'cases: one row per case received, resolved or closed in October, oldest first' '
	jq_is ../pub.json "[.cases[].id]" "[\"D\",\"A\",\"B\",\"C\",\"E\"]" &&
	jq_is ../pub.json "[.cases[] | keys_unsorted] | unique" \
		"[[\"id\",\"severity\",\"kind\",\"category\",\"department\",\"with\",\"summary\",\"cause\",\"measure\",\"compensation\",\"status\",\"missed\",\"satisfied\"]]" &&
	jq -c ".cases[] | [.id, .severity, .category, .department, .status, .cause, .measure, .compensation, .missed, .satisfied]" \
		../pub.json | sed -f ../names >actual &&
	cat >expect <<-\EOF &&
	["D","minor","finance","客房部","resolved","系统故障",null,20,["resolve"],null]
	["A","minor","service","餐饮部","closed","厨房人手不足","增加排班",100,[],false]
	["B","minor","finance","客房部","resolved","收银错误","复核账单",50.5,["notify"],null]
	["C","general","product","餐饮部","assigned",null,null,null,["notify","onsite","resolve"],null]
	["E","minor","other","客房部","assigned",null,null,null,["resolve"],null]
	EOF
	test_cmp expect actual &&
	jq_is ../pub.json ".cases[1].summary" "\"上菜慢, 等了一个小时 | 没有人解释\""
'

test_expect_success 'departments: timeliness, satisfaction and points per lead department' '
	jq -c ".departments[] | [.department, .received, .resolved, .due, .met, .callbacks, .satisfied, .points]" \
		../pub.json >actual &&
	cat >expect <<-\EOF &&
	["客房部",2,2,6,4,0,0,30]
	["餐饮部",2,1,6,3,1,0,55]
	EOF
	test_cmp expect actual &&
	jq -c ".departments[] | .previous | [.received, .due, .met, .callbacks, .satisfied]" \
		../pub.json >actual &&
	cat >expect <<-\EOF &&
	[1,3,2,0,0]
	[1,3,3,1,1]
	EOF
	test_cmp expect actual &&
	jq -S -c "[.departments[] | {(.department): .points}] | add" ../pub.json >actual &&
	jq -S -c "[.score.departments[] | {(.department): .points}] | add" ../pub.json >expect &&
	test_cmp expect actual
'

test_expect_success 'compensation: the resolves of October, by level' '
	jq_is ../pub.json .compensation "{\"total\":170.5,\"by_severity\":{\"minor\":170.5}}"
'

test_expect_success 'markdown: the tables of departments, cases and compensation' '
	grep -F "| 客房部 | 2 | 2 | 6 | 4 | 66.7% | 66.7% | 0 | 0 | - | - | 30 |" ../pub.md &&
	grep -F "| 餐饮部 | 2 | 1 | 6 | 3 | 50.0% | 100.0% | 1 | 0 | 0.0% | 100.0% | 55 |" ../pub.md &&
	sed -f ../names ../pub.md >named.md &&
	grep -F "| A | minor | complaint | service | 餐饮部 | 上菜慢, 等了一个小时 \\| 没有人解释 | 厨房人手不足 | 增加排班 | 100.00 | closed | - | no |" named.md &&
	grep -F "| C | general | complaint | product | 餐饮部 | 酒品变质 | - | - | - | assigned | notify, onsite, resolve | - |" named.md &&
	grep -F "| minor (轻微投诉) | 3 | 170.50 |" ../pub.md &&
	grep -F "| general (一般投诉) | 0 | 0.00 |" ../pub.md &&
	grep -F "Given by the resolves of this month: 3 resolves, 170.50 CNY." ../pub.md
'

test_expect_success 'csv: the same figures, one value a row' '
	sed -f ../names ../pub.csv >named.csv &&
	grep -F "cases,B,多收房费,missed,1,,客房部,2026-10-12,,notify" named.csv &&
	grep -F "cases,B,多收房费,compensation,50.50,,客房部,2026-10-12,," named.csv &&
	grep -F "cases,C,酒品变质,missed,3,,餐饮部,2026-10-20,,notify onsite resolve" named.csv &&
	grep -F "cases,A,\"上菜慢, 等了一个小时 | 没有人解释\",satisfied,,,餐饮部,2026-10-08,,false" named.csv &&
	grep -F "cases,D,发票错误,cause,,,客房部,2026-09-28,,系统故障" named.csv &&
	grep -F "departments,餐饮部,餐饮部,points,55,,,,," named.csv &&
	grep -F "departments,餐饮部,餐饮部,satisfaction_rate,0,,,,," named.csv &&
	grep -F "departments,客房部,客房部,previous_met,2,,,,," named.csv &&
	grep -F "compensation,total,Total,money,170.50,,,,," named.csv &&
	grep -F "compensation,minor,轻微投诉,resolves,3,,,,," named.csv &&
	python3 -c "import csv,sys; rows=list(csv.reader(open(sys.argv[1], encoding=\"utf-8\"))); assert len(set(map(len, rows))) == 1, set(map(len, rows))" ../pub.csv
'

test_expect_success 'html: a row per case, a row per department, the total' '
	sed -f ../names ../pub.html >named.html &&
	test $(grep -c "<tr><td class=\"id\" data-label=\"Case\">[A-E]<span" named.html) = 5 &&
	grep -F "<td data-label=\"Department\">餐饮部</td>" named.html &&
	grep -F "厨房人手不足" named.html &&
	grep -F "上菜慢, 等了一个小时 | 没有人解释" named.html &&
	grep -F "<p class=\"total\">170.50 CNY</p>" named.html
'

test_expect_success 'later: a callback in November, a backdated resolve' '
	ev 2026-11-02T10:00 callback $B --satisfied &&
	ev 2026-11-03T10:00 resolve $E --text 已维修 --cause 设备老化 --compensation 30 --at 2026-10-31T09:00
'

test_expect_success 'the same --as-of command later gives every part back byte for byte' '
	for f in json md csv html; do
		complaint --now 2026-11-20T10:00 report --month 2026-10 --as-of 2026-11-01T08:00 \
			--lang en --format $f >out.$f &&
		test_cmp_bytes ../pub.$f out.$f || return 1
	done
'

test_expect_success 'without --as-of the month'\''s cases show the later facts' '
	complaint --now 2026-11-20T10:00 report --month 2026-10 --format json >now.json &&
	jq_is now.json "[.cases[] | select(.id == \"$B\") | .satisfied]" "[true]" &&
	jq_is now.json "[.cases[] | select(.id == \"$E\") | [.status, .cause, .compensation, .missed]]" \
		"[[\"resolved\",\"设备老化\",30,[\"resolve\"]]]" &&
	jq_is now.json .compensation "{\"total\":200.5,\"by_severity\":{\"minor\":200.5}}" &&
	jq_is now.json "[.departments[0] | .department, .resolved]" "[\"客房部\",3]"
'

test_expect_success 'a title from the policy; an empty one is refused' '
	sed "s/^report: .*/report: {title: 月度投诉报告}/" policy.yaml >p.yaml &&
	complaint policy check p.yaml &&
	mv p.yaml policy.yaml &&
	GIT_AUTHOR_DATE=2026-11-15T10:00:00+08:00 GIT_COMMITTER_DATE=2026-11-15T10:00:00+08:00 \
		git commit -q -m "policy: title" policy.yaml &&
	complaint --now 2026-11-20T10:00 report --month 2026-11 --format json >t.json &&
	jq_is t.json .title "\"月度投诉报告\"" &&
	sed "s/^report: .*/report: {title: \"\"}/" policy.yaml >bad.yaml &&
	test_expect_code 1 complaint policy check bad.yaml 2>err &&
	test_grep "report.title" err
'

test_expect_success 'a month with no case: empty lists, zero compensation' '
	complaint --now 2026-11-20T10:00 report --month 2026-08 --format json >e.json &&
	jq_is e.json "[.cases, .departments, .compensation]" "[[],[],{\"total\":0,\"by_severity\":{}}]"
'

test_done
