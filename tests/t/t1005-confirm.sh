#!/bin/sh
test_description='event commands confirm on stdout; -q silences them; new prints only the ID

Every event command prints one line naming what it recorded, the case,
and the short id of the commit that holds it; -q and --quiet print
nothing; a refused command prints nothing on stdout.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
new_store store

# said EXPECTED ARGS...: "complaint ARGS" prints exactly EXPECTED followed
# by " [<the new HEAD's first 7 hex digits>]", and made one commit
said () {
	said_want=$1
	shift
	said_old=$(git rev-parse HEAD) &&
	complaint --now $NOW "$@" >out.said 2>err.said &&
	test_must_be_empty err.said &&
	test "$(git rev-parse HEAD^)" = "$said_old" &&
	printf '%s [%s]\n' "$said_want" "$(git rev-parse HEAD | cut -c1-7)" >expect.said &&
	test_cmp expect.said out.said
}

test_expect_success 'new prints only the ID' '
	complaint --now $NOW --actor 赵六 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received 2026-11-22T14:05 >out &&
	test_line_count = 1 out &&
	id=$(cat out) &&
	test_grep -E "^C-20261122-[0-9A-Z]{8}$" out
'

test_expect_success 'assign, with and without a responsible person' '
	said "assigned $id to 客房部" --actor 赵六 assign $id --department 客房部 &&
	said "assigned $id to 餐饮部, 张三 responsible" --actor 赵六 assign $id \
		--department 餐饮部 --responsible " 张三 "
'

test_expect_success 'notify, onsite, reclassify, note, plan' '
	said "notified the department head of $id" --actor 李四 notify $id &&
	said "recorded the on-site meeting for $id" --actor 李四 onsite $id &&
	said "reclassified $id as major" --actor 李四 reclassify $id major --reason 金额大 &&
	said "reclassified $id as general" --actor 李四 reclassify $id general --reason 核实 &&
	said "added a note to $id" --actor 李四 note $id 顾客来电 &&
	said "recorded the plan for $id" --actor 李四 plan $id --text 致歉
'

test_expect_success 'approve, resolve, callback, close, reopen, penalize' '
	said "approved the plan for $id" --actor 王五 approve $id &&
	said "resolved $id" --actor 李四 resolve $id --text 已免单 &&
	said "recorded the callback for $id: the customer is not satisfied" \
		--actor 赵六 callback $id --unsatisfied &&
	said "recorded the callback for $id: the customer is satisfied" \
		--actor 赵六 callback $id --satisfied &&
	complaint --now $NOW --actor 赵六 close $id >out.said 2>err.said &&
	test_grep "^closed $id \[" out.said &&
	test_grep "closed with the notify deadline" err.said &&
	said "reopened $id" --actor 赵六 reopen $id --reason 顾客再投诉 &&
	said "recorded 1 penalty point for 张三 on $id" --actor 王五 penalize $id 张三 1 --reason 迟到 &&
	said "recorded 3 penalty points for 张三 on $id" --actor 王五 penalize $id 张三 3 --reason 迟到
'

test_expect_success '-q and --quiet print nothing, and still record' '
	old=$(git rev-parse HEAD) &&
	complaint --now $NOW --actor 李四 note -q $id 一 >out &&
	test_must_be_empty out &&
	complaint --now $NOW --actor 李四 note $id 二 --quiet >out &&
	test_must_be_empty out &&
	test "$(git rev-parse HEAD~2)" = "$old"
'

test_expect_success 'a refused event command prints nothing on stdout' '
	test_refused 1 --now $NOW --actor 李四 assign $id --department 不存在 &&
	test_refused 2 --now $NOW --actor 李四 note -x $id 三
'

test_expect_success 'the help names -q, --quiet' '
	for c in assign notify onsite plan approve resolve callback close reopen note reclassify penalize; do
		complaint $c --help >out &&
		test_grep -e "-q, --quiet" out || return 1
	done
'

test_done
