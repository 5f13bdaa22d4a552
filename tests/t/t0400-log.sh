#!/bin/sh
test_description='log ID: the case history from git, when, who, what changed'
. "$(dirname "$0")/test-lib.sh"

new_store store

test_expect_success 'setup: a case with three commits, and another case' '
	A=$(complaint --actor 客服中心/赵六 --now 2026-11-22T14:10 new --customer 王先生 \
		--channel phone --category service --summary 上菜延迟一小时 \
		--amount 1200 --received 2026-11-22T14:05) &&
	B=$(complaint --actor 别人 --now 2026-11-22T14:11 new --customer 其他 \
		--channel phone --category product --summary 另一件事) &&
	complaint --actor 调度员 --now 2026-11-22T14:12 assign $A --department 餐饮部 \
		--responsible 张三 &&
	complaint --actor 别人 --now 2026-11-22T14:13 assign $B --department 客房部 &&
	complaint --actor 李四 --now 2026-11-22T14:20 notify $A --at 2026-11-22T14:14 &&
	test "$(git rev-list --count HEAD)" = 6
'

test_expect_success 'log shows every commit of the case: when and who' '
	complaint --now 2026-11-22T15:00 log $A >out 2>err &&
	test_must_be_empty err &&
	test_grep -F 客服中心/赵六 out &&
	test_grep -F 调度员 out &&
	test_grep -F 李四 out &&
	test_grep -E "2026-11-22.14:10" out &&
	test_grep -E "2026-11-22.14:12" out &&
	test_grep -E "2026-11-22.14:20" out
'

test_expect_success 'log shows what each commit did and changed' '
	test_grep -E "new.*$A" out &&
	test_grep -E "assign.*$A" out &&
	test_grep -E "notify.*$A" out &&
	test_grep -E "department: 餐饮部" out &&
	test_grep -E "responsible: 张三" out &&
	test_grep -E "status: assigned" out
'

test_expect_success 'log shows only this case' '
	test_grep ! -F "$B" out &&
	test_grep ! -F 另一件事 out &&
	test_grep ! -F 别人 out &&
	test_grep ! -F 客房部 out
'

test_expect_success 'log --format json is valid JSON naming the three commits' '
	complaint --now 2026-11-22T15:00 log $A --format json >out.json &&
	jq -e . out.json >/dev/null &&
	jq -e "length == 3" out.json &&
	for who in 客服中心/赵六 调度员 李四; do
		test_grep -F "$who" out.json || return 1
	done
'

test_expect_success 'a hand commit to the case file is part of its history' '
	f=$(case_path $A) &&
	sed "s/^summary: .*/summary: 上菜延迟一小时（已核实）/" "$f" >"$f.tmp" &&
	mv "$f.tmp" "$f" &&
	git add "$f" &&
	git commit -q -m "fix the summary by hand" &&
	complaint --now 2026-11-22T15:00 log $A >out 2>err &&
	test_grep -F "A U Thor" out &&
	test_grep -F "fix the summary by hand" out &&
	test_grep -F "已核实" out
'

test_expect_success 'log does not write' '
	store_snapshot &&
	complaint --now 2026-11-22T15:00 log $A >out &&
	complaint --now 2026-11-22T15:00 log $B --format json >out &&
	store_unchanged
'

test_expect_success 'an unknown ID (exit 2, as show)' '
	test_refused 2 log C-20261122-ZZZZZZZZ
'

test_expect_success 'a malformed ID, no ID, an unknown format (exit 2)' '
	test_refused 2 log ../x &&
	test_refused 2 log a/b &&
	test_refused 2 log &&
	test_refused 2 log $A --format xml
'

test_done
