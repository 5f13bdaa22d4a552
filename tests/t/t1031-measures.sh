#!/bin/sh
test_description='after-event analysis and measures (SPEC section 10)

analyze --text records the analysis; a level may have an analysis
deadline (from resolve), listed and alerted like any other.  measure
--text --owner --due adds M1, M2...; measure --done M1 records it done;
approve --measure M1 signs it off by the roles of the policy'"'"'s
measures: {approvals}.  An open measure past its due day is overdue in
list --measures, list --overdue and show.  Bad input is refused with
nothing written.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
CLERK=客服中心/赵六

new_store store

test_expect_success 'a policy: analysis deadline for minor, measures signed off by a director' '
	sed -i "s/^      resolve: 2h$/      resolve: 2h\n      analysis: {within: 1wd, from: resolve}/" policy.yaml &&
	sed -i "/^measures:/d" policy.yaml &&
	echo "measures: {approvals: [leader, director]}" >>policy.yaml &&
	git commit -qam "policy: analysis, measures" &&
	complaint policy check policy.yaml &&
	complaint policy show >out &&
	test_grep "analysis" out
'

test_expect_success 'a resolved case gets its analysis deadline; missed, it is overdue and listed' '
	ID=$(complaint --actor $CLERK --now $NOW new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received 2026-11-19T14:05) &&
	complaint --actor $CLERK --now $NOW assign $ID --department 餐饮部 --at 2026-11-19T14:06 >/dev/null &&
	complaint --actor 李四 --now $NOW resolve $ID --text 已道歉 --at 2026-11-19T15:00 >/dev/null &&
	yaml_get $(case_path $ID) deadlines analysis >actual &&
	echo 2026-11-20T23:59:59+08:00 >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-20T10:00 list --overdue --format json | jq -r ".[].id" >actual &&
	test_must_be_empty actual &&
	echo $ID >expect &&
	complaint --now $NOW list --overdue --format json | jq -r ".[].id" >actual &&
	test_cmp expect actual &&
	complaint --now $NOW show $ID >out &&
	test_grep "analysis  2026-11-20 23:59 +08:00  MISSED" out
'

test_expect_success 'analyze: recorded, the deadline met or missed, no longer overdue' '
	test_refused 2 --now $NOW analyze $ID &&
	complaint --actor $CLERK --now $NOW analyze $ID --text "原因: 厨房人手不足" >out &&
	test_grep "^recorded the analysis of $ID \[" out &&
	complaint --now $NOW show $ID --format json >j &&
	jq -r ".deadline_states.analysis" j >actual &&
	echo missed >expect &&
	test_cmp expect actual &&
	complaint --now $NOW list --overdue --format json | jq -r ".[].id" >actual &&
	test_must_be_empty actual
'

test_expect_success 'measure: M1, M2 numbered, owner and due kept' '
	complaint --actor $CLERK --now $NOW measure $ID --text 增加高峰人手 --owner " 张三" --due 2026-11-30 >out &&
	test_grep "^added measure M1 to $ID, 张三 due 2026-11-30 \[" out &&
	complaint --actor $CLERK --now $NOW measure $ID --text 培训 --owner 李四 --due 2026-11-21 >/dev/null &&
	yaml_get $(case_path $ID) events >ev &&
	jq -c "[.[] | select(.action == \"measure\") | [.ref, .text, .owner, .due]]" ev >actual &&
	echo "[[\"M1\",\"增加高峰人手\",\"张三\",\"2026-11-30\"],[\"M2\",\"培训\",\"李四\",\"2026-11-21\"]]" >expect &&
	test_cmp expect actual
'

test_expect_success 'an open measure past its due day is overdue: list --measures, --overdue, show' '
	complaint --now $NOW list --measures --format json >j &&
	jq -r ".[] | [.id, .measures_open, .measures_overdue] | @tsv" j >actual &&
	printf "%s\t2\t1\n" $ID >expect &&
	test_cmp expect actual &&
	complaint --now $NOW list --overdue --format json | jq -r ".[].id" >actual &&
	echo $ID >expect &&
	test_cmp expect actual &&
	complaint --now $NOW show $ID >out &&
	test_grep "M2   培训  (李四, due 2026-11-21)  open  OVERDUE" out &&
	complaint --now 2026-11-21T23:00 list --overdue --format json | jq -r ".[].id" >actual &&
	test_must_be_empty actual
'

test_expect_success 'measure --done and approve --measure: done, then signed off in the policy order' '
	complaint --actor 李四 --now $NOW measure $ID --done M2 --text 已培训 >out &&
	test_grep "^recorded measure M2 of $ID done \[" out &&
	test_refused 1 --actor 陈总 --now $NOW approve $ID --measure M2 &&
	test_grep "measure M2 needs sign-off by leader 王五 next" err.refused &&
	complaint --actor 王五 --now $NOW approve $ID --measure M2 >out &&
	test_grep "^signed off measure M2 of $ID as leader \[" out &&
	complaint --now $NOW show $ID --format json | jq -r ".measures[1].state" >actual &&
	echo done >expect &&
	test_cmp expect actual &&
	test_refused 1 --actor 王五 --now $NOW approve $ID --measure M2 &&
	complaint --actor 陈总 --now $NOW approve $ID --measure M2 >/dev/null &&
	complaint --now $NOW show $ID --format json >j &&
	jq -r ".measures[1].state, .status" j >actual &&
	printf "%s\n" signed_off resolved >expect &&
	test_cmp expect actual &&
	test_refused 1 --actor 陈总 --now $NOW approve $ID --measure M2 &&
	test_grep "already has every sign-off" err.refused &&
	complaint --now $NOW list --measures --format json | jq -r ".[0].measures_open" >actual &&
	echo 1 >expect &&
	test_cmp expect actual &&
	complaint check
'

test_expect_success 'bad input: refused, nothing written' '
	test_refused 1 --now $NOW measure $ID --done M9 --text x &&
	test_grep "case $ID has no measure M9 (its measures: M1, M2)" err.refused &&
	test_refused 1 --now $NOW measure $ID --done M2 --text again &&
	test_grep "M2 is already done" err.refused &&
	test_refused 2 --now $NOW measure C-20261122-NOSUCH00 --text x --owner 张三 --due 2026-12-01 &&
	test_grep "no case" err.refused &&
	test_refused 2 --now $NOW measure $ID --text x --owner 张三 --due 2026-13-01 &&
	test_grep "due" err.refused &&
	test_refused 2 --now $NOW measure $ID --text x --owner 张三 &&
	test_refused 2 --now $NOW measure $ID --owner 张三 --due 2026-12-01 &&
	test_refused 2 --now $NOW measure $ID --done M1 --text x --owner 张三 &&
	test_refused 1 --actor 陈总 --now $NOW approve $ID --measure M7 &&
	test_grep "no measure M7" err.refused &&
	test_refused 2 --actor 陈总 --now $NOW approve $ID --measure M1 --penalty P1 &&
	test_grep "cannot be used together" err.refused &&
	test_refused 2 --actor 陈总 --now $NOW approve $ID --measure X1 &&
	test_grep "a measure is M1, M2" err.refused
'

test_expect_success 'a policy without measures: {approvals} needs no sign-off' '
	sed -i "/^measures:/d" policy.yaml &&
	git commit -qam "policy: no sign-off" &&
	complaint --actor 李四 --now $NOW measure $ID --done M1 --text 已增加 >/dev/null &&
	complaint --now $NOW show $ID --format json | jq -r ".measures[0].state" >actual &&
	echo signed_off >expect &&
	test_cmp expect actual &&
	test_refused 1 --actor 陈总 --now $NOW approve $ID --measure M1 &&
	test_grep "need no sign-off" err.refused
'

test_expect_success 'a measure approval is no plan approval: the plan round is untouched' '
	ID2=$(complaint --actor $CLERK --now $NOW new --customer 李 --channel phone \
		--category service --summary s --amount 1200 --received 2026-11-22T14:00) &&
	complaint --actor $CLERK --now $NOW assign $ID2 --department 餐饮部 >/dev/null &&
	complaint --actor $CLERK --now $NOW measure $ID2 --text t --owner 张三 --due 2026-12-01 >/dev/null &&
	complaint --actor 李四 --now $NOW plan $ID2 --text 方案 >/dev/null &&
	complaint --now $NOW show $ID2 --format json | jq -r .status >actual &&
	echo planned >expect &&
	test_cmp expect actual &&
	complaint --actor 王五 --now $NOW approve $ID2 >/dev/null &&
	complaint --now $NOW show $ID2 --format json | jq -r .status >actual &&
	echo approved >expect &&
	test_cmp expect actual
'

test_done
