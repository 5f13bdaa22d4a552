#!/bin/sh
test_description='an event dated before its case was received is skipped, with a warning

Commands refuse to record an event before the case was received.  A hand
edit can still make one (an event'"'"'s at, or received_at moved after
events): such an event used to give the report a negative
resolution_hours median.  Now everything derived skips it (status,
deadlines, the score, the report), list, show, score and report warn
about it, the score and report list it among their warnings, and check
names it as a problem.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-10-20T09:00
new_store store

# mk VAR RECEIVED: a minor case received at RECEIVED, assigned and resolved
# two hours later
mk () {
	mk_id=$(complaint --actor 客服中心/赵六 --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 --received "$2") &&
	eval "$1=\$mk_id" &&
	complaint --actor 客服中心/赵六 --now $NOW assign $mk_id --department 餐饮部 \
		--responsible 张三 --at "$2" &&
	complaint --actor 李四 --now $NOW resolve $mk_id --text 已处理 \
		--at "$(date -u -d "$2 2 hours" +%Y-%m-%dT%H:%M:%SZ)"
}

test_expect_success 'setup: two resolved cases; the second one'"'"'s received_at moved by hand after its resolve' '
	mk A 2026-10-10T10:00:00+08:00 &&
	mk B 2026-10-11T10:00:00+08:00 &&
	complaint --actor 李四 --now $NOW penalize $B 张三 3 --reason 迟到 --at 2026-10-11T11:00:00+08:00 &&
	f=$(case_path $B) &&
	sed -i "s/^received_at: .*/received_at: 2026-10-11T23:00:00+08:00/" $f &&
	sed -i "s/action: new}/action: new}/; s/^  - {at: 2026-10-11T10:00:00+08:00, by: 客服中心\/赵六, action: new/  - {at: 2026-10-11T23:00:00+08:00, by: 客服中心\/赵六, action: new/" $f &&
	git commit -q -am "received_at moved after the resolve, by hand" &&
	test "$(yaml_get $f received_at)" = 2026-10-11T23:00:00+08:00
'

test_expect_success 'check names every impossible event as a problem' '
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "$(case_path $B): event 2 (assign) is before the case was received" out &&
	test_grep -F "$(case_path $B): event 3 (resolve) is before the case was received" out &&
	test_grep -F "$(case_path $B): event 4 (penalize) is before the case was received" out &&
	test_grep ! -F "$(case_path $A)" out
'

test_expect_success 'the report: no negative resolution time, the skipped events listed and warned' '
	complaint --now $NOW report --month 2026-10 --format json >out.json 2>err &&
	jq -e "[.resolution_hours[] | .median, .max] | all(. >= 0)" out.json &&
	jq -e ".resolution_hours.minor.median == 2" out.json &&
	jq -e ".totals.resolved == 1 and .totals.open == 1" out.json &&
	jq -e "[.score.warnings[] | select(.case == \"$B\") | .message] |
		map(select(test(\"before the case was received\"))) | length == 3" out.json &&
	test_grep "3 events dated before their case was received are skipped" err &&
	complaint --now $NOW report --month 2026-10 >out.md 2>err &&
	test_grep -F "$B" out.md &&
	test_grep "before the case was received" out.md &&
	test_grep "skipped" err
'

test_expect_success 'the score: the skipped penalty is not counted, and is a warning' '
	complaint --now $NOW score --month 2026-10 --format json >score.json 2>err &&
	jq -e "[.items[] | select(.rule == \"penalize\")] | length == 0" score.json &&
	jq -e "[.warnings[] | select(.case == \"$B\")] | length >= 1" score.json &&
	test_grep "skipped" err &&
	complaint --now $NOW score --month 2026-10 --lang en >out 2>err &&
	test_grep "warning: $B: event 4 (penalize)" out
'

test_expect_success 'list and show derive without them, and warn naming the file' '
	complaint --now $NOW list --format json >out.json 2>err &&
	jq -e "map(select(.id == \"$B\"))[0].status == \"new\"" out.json &&
	jq -e "map(select(.id == \"$A\"))[0].status == \"resolved\"" out.json &&
	test_grep -F "$(case_path $B): event 3 (resolve)" err &&
	complaint --now $NOW show $B >out 2>err &&
	test_grep -F "$(case_path $B): event 3 (resolve)" err &&
	complaint --now $NOW show $A >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'an event written before received_at is still refused at write (exit 1)' '
	test_refused 1 --actor 李四 --now $NOW note $A x --at 2026-10-10T09:59:59+08:00 &&
	test_grep "before the case was received" err.refused
'

test_expect_success 'a hand-edited event before received_at: skipped the same way' '
	f=$(case_path $A) &&
	python3 - "$f" <<-\EOF &&
	import sys
	p = sys.argv[1]
	t = open(p, encoding="utf-8").read()
	t += "  - {at: 2026-10-01T08:00:00+08:00, by: 李四, action: callback, satisfied: false}\n"
	open(p, "w", encoding="utf-8").write(t)
	EOF
	git commit -q -am "a callback before the case, by hand" &&
	complaint --now $NOW score --month 2026-10 --format json >score.json 2>err &&
	jq -e "[.items[] | select(.rule == \"unsatisfied\")] | length == 0" score.json &&
	complaint --now $NOW report --month 2026-10 --format json >out.json 2>err &&
	jq -e ".satisfaction.callbacks == 0" out.json &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "$f: event 4 (callback) is before the case was received" out
'

test_done
