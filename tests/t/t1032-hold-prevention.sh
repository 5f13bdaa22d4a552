#!/bin/sh
test_description='hold and resume; prevention cases (SPEC section 10)

hold --reason stops every pending deadline of a case, resume starts them
again, each moved later by the time held (a wd deadline by the working
days held, a held part of a day counted as a day), only where the level
says hold: true; list --held, show gives each span.  A prevention case
(a kind with scored: false) names the cases it answers with new --ref.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
CLERK=客服中心/赵六

new_store store

mk () {
	complaint --actor $CLERK --now "$1" new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received "$2" $3
}

test_expect_success 'hold where the level does not allow it: refused (exit 1), nothing written' '
	ID=$(mk $NOW 2026-11-22T14:05) &&
	test_refused 1 --now $NOW hold $ID --reason 等客户 &&
	test_grep "level minor does not allow holds" err.refused
'

test_expect_success 'a policy whose minor and general levels allow holds' '
	python3 - <<-\EOF &&
	import re
	s = open("policy.yaml").read()
	s = s.replace("    approvals: []\n", "    approvals: []\n    hold: true\n", 1)
	s = s.replace("resolve: 12h}", "resolve: 2wd}\n    hold: true", 1)
	open("policy.yaml", "w").write(s)
	EOF
	GIT_COMMITTER_DATE=2026-11-01T09:00+08:00 git commit -qam "policy: holds" \
		--date=2026-11-01T09:00+08:00 &&
	complaint policy check policy.yaml
'

test_expect_success 'hold: the clock stops; list --held; not overdue while held' '
	complaint --actor $CLERK --now 2026-11-22T14:10 hold $ID --reason 等客户提供照片 >out &&
	test_grep "^put $ID on hold \[" out &&
	complaint --now 2026-11-22T20:00 list --held --format json >j &&
	jq -r ".[] | [.id, .held, .overdue] | @tsv" j >actual &&
	printf "%s\ttrue\tfalse\n" $ID >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-22T20:00 list --overdue --format json | jq length >actual &&
	echo 0 >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-22T20:00 show $ID >out &&
	test_grep "ON HOLD" out &&
	test_grep "still on hold" out &&
	test_refused 1 --now 2026-11-22T20:00 hold $ID --reason again &&
	test_grep "already on hold" err.refused
'

test_expect_success 'resume: every pending deadline moves later by the time held' '
	complaint --actor $CLERK --now 2026-11-22T16:10 resume $ID >out &&
	test_grep "^resumed $ID \[" out &&
	f=$(case_path $ID) &&
	yaml_get $f deadlines >actual &&
	echo "{\"notify\": \"2026-11-22T16:15:00+08:00\", \"onsite\": \"2026-11-22T16:25:00+08:00\", \"resolve\": \"2026-11-22T18:05:00+08:00\"}" >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-22T16:12 list --held --format json | jq length >actual &&
	echo 0 >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-22T16:12 show $ID --format json >j &&
	jq -c ".holds" j >actual &&
	echo "[{\"from\":\"2026-11-22T14:10:00+08:00\",\"to\":\"2026-11-22T16:10:00+08:00\",\"reason\":\"等客户提供照片\"}]" >expect &&
	test_cmp expect actual &&
	complaint check
'

test_expect_success 'resume without a hold: refused (exit 1), nothing written' '
	test_refused 1 --now 2026-11-22T16:20 resume $ID &&
	test_grep "not on hold" err.refused &&
	test_refused 2 --now 2026-11-22T16:20 hold $ID
'

test_expect_success 'a met deadline does not move; a wd deadline moves by the working days held' '
	G=$(mk 2026-11-25T10:00 2026-11-25T09:00 "--amount 1200") &&
	complaint --actor $CLERK --now 2026-11-25T10:00 assign $G --department 餐饮部 --at 2026-11-25T09:01 >/dev/null &&
	complaint --actor 李四 --now 2026-11-25T10:00 notify $G --at 2026-11-25T09:05 >/dev/null &&
	yaml_get $(case_path $G) deadlines resolve >actual &&
	echo 2026-11-27T23:59:59+08:00 >expect &&
	test_cmp expect actual &&
	complaint --actor $CLERK --now 2026-11-26T10:00 hold $G --reason 等 --at 2026-11-25T17:00 >/dev/null &&
	complaint --actor $CLERK --now 2026-11-26T10:00 resume $G --at 2026-11-26T09:00 >/dev/null &&
	yaml_get $(case_path $G) deadlines >d &&
	jq -r ".notify, .resolve" d >actual &&
	printf "%s\n" 2026-11-25T09:10:00+08:00 2026-12-01T23:59:59+08:00 >expect &&
	test_cmp expect actual
'

test_expect_success 'prevention: new --kind prevention --ref ID... names the cases it answers' '
	P=$(complaint --actor $CLERK --now $NOW new --kind prevention --customer 客服中心 \
		--channel letter --category service --summary 高峰期上菜慢的预防措施 \
		--ref $ID --ref $G --ref $ID) &&
	yaml_get $(case_path $P) refs >actual &&
	echo "[\"$ID\", \"$G\"]" >expect &&
	test_cmp expect actual &&
	complaint --now $NOW show $P >out &&
	test_grep "Answers     $ID, $G" out &&
	complaint --actor $CLERK --now $NOW measure $P --text 高峰期加派人手 --owner 张三 --due 2026-12-31 >/dev/null &&
	complaint --now 2026-11-26T09:00 score --month 2026-11 --format json >j 2>err &&
	test_must_be_empty err &&
	jq -r ".items[].case" j >out &&
	test_grep $G out &&
	! grep -q $P out &&
	complaint check
'

test_expect_success 'new --ref to a case that does not exist, or no case ID: refused, nothing written' '
	test_refused 2 --actor $CLERK --now $NOW new --kind prevention --customer c \
		--channel letter --category service --summary s --ref C-20261101-NOSUCH00 &&
	test_grep "ref C-20261101-NOSUCH00: no such case" err.refused &&
	test_refused 2 --actor $CLERK --now $NOW new --kind prevention --customer c \
		--channel letter --category service --summary s --ref "not an id"
'

test_done
