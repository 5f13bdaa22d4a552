#!/bin/sh
test_description='report: the measures at the month'"'"'s end, the joint departments of each case

SPEC section 11: the report'"'"'s measures are {open, done, signed_off,
overdue, overdue_rows} at the period'"'"'s end (open: not yet done; done: not
yet signed off; overdue: open past its due day, listed with case,
measure, text, owner and due), in every format; each case row names the
departments that handle it with the lead (with).'
. "$(dirname "$0")/test-lib.sh"

CLERK=客服中心/赵六

new_store store

ev () {
	ev_t=$1
	shift
	complaint --actor $CLERK --now "$ev_t" "$@" >/dev/null
}

mk () {
	complaint --actor $CLERK --now "$1" new --received "$1" --customer 王先生 --channel phone \
		--category service --summary "$2"
}

test_expect_success 'November: four measures in four states; one added in December' '
	A=$(mk 2026-11-05T10:00 上菜慢) &&
	B=$(mk 2026-11-06T10:00 房间脏) &&
	ev 2026-11-05T10:01 assign $A --department 餐饮部 --with 客房部 --responsible 张三 &&
	ev 2026-11-06T10:01 assign $B --department 客房部 &&
	# A: M1 due 11-20, still open at the month'"'"'s end (done only on 12-02): overdue
	ev 2026-11-07T09:00 measure $A --text 加派人手 --owner 张三 --due 2026-11-20 &&
	# A: M2 due 12-10: open, not overdue on 11-30
	ev 2026-11-08T09:00 measure $A --text 培训服务员 --owner 李四 --due 2026-12-10 &&
	# B: M1 done, awaiting the director; M2 done and signed off
	ev 2026-11-09T09:00 measure $B --text 更换清洁剂 --owner 孙七 --due 2026-11-15 &&
	ev 2026-11-10T09:00 measure $B --done M1 --text 已更换 &&
	ev 2026-11-09T09:05 measure $B --text 检查表 --owner 孙七 --due 2026-11-16 &&
	ev 2026-11-10T09:05 measure $B --done M2 --text 已建立 &&
	complaint --actor 陈总 --now 2026-11-11T09:00 approve $B --measure M2 >/dev/null &&
	# after the month: A M1 done, and a December case with its own measure
	ev 2026-12-02T09:00 measure $A --done M1 --text 已加派 &&
	C=$(mk 2026-12-02T10:00 噪音) &&
	ev 2026-12-02T10:05 measure $C --text 隔音 --owner 孙七 --due 2026-12-01 &&
	echo "$A $B $C" >../ids
'
read A B C <../ids 2>/dev/null

test_expect_success 'JSON: the counts and the overdue row at the month'"'"'s end' '
	complaint --now 2026-12-03T09:00 report --month 2026-11 --format json >r.json &&
	jq -c ".measures | [.open, .done, .signed_off, .overdue]" r.json >actual &&
	echo "[2,1,1,1]" >expect &&
	test_cmp expect actual &&
	jq -c ".measures.overdue_rows" r.json >actual &&
	echo "[{\"case\":\"$A\",\"measure\":\"M1\",\"text\":\"加派人手\",\"owner\":\"张三\",\"due\":\"2026-11-20\"}]" >expect &&
	test_cmp expect actual
'

test_expect_success 'December: A M1 done, C'"'"'s measure overdue on its first day' '
	complaint --now 2026-12-03T09:00 report --month 2026-12 --format json >d.json &&
	jq -c ".measures | [.open, .done, .signed_off, .overdue]" d.json >actual &&
	echo "[2,2,1,1]" >expect &&
	test_cmp expect actual &&
	jq -r ".measures.overdue_rows[] | .case + \" \" + .measure" d.json >actual &&
	echo "$C M1" >expect &&
	test_cmp expect actual
'

test_expect_success 'the same figures in Markdown, CSV and HTML' '
	complaint --now 2026-12-03T09:00 report --month 2026-11 --lang en >r.md &&
	test_grep "^## Measures" r.md &&
	test_grep "At the month.s end: 2 open, 1 done and awaiting sign-off, 1 signed off; 1 open past their due day." r.md &&
	test_grep "^| $A | M1 | 加派人手 | 张三 | 2026-11-20 |" r.md &&
	complaint --now 2026-12-03T09:00 report --month 2026-11 --format csv >r.csv &&
	python3 - r.csv "$A" <<-\EOF &&
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
	m = {r["measure"]: r["value"] for r in rows if r["section"] == "measures"}
	assert m == {"open": "2", "done": "1", "signed_off": "1", "overdue": "1"}, m
	o = [r for r in rows if r["section"] == "measures_overdue"]
	assert [(r["key"], r["measure"], r["label"], r["role"], r["date"]) for r in o] == \
	    [(sys.argv[2], "M1", "加派人手", "张三", "2026-11-20")], o
	EOF
	complaint --now 2026-12-03T09:00 report --month 2026-11 --format html >r.html &&
	test_grep "<h3>措施</h3>" r.html &&
	test_grep "加派人手" r.html
'

test_expect_success 'each case row names the departments that handle it with the lead' '
	jq -c ".cases[] | [.id, .department, .with]" r.json >actual &&
	printf "[\"%s\",\"餐饮部\",[\"客房部\"]]\n[\"%s\",\"客房部\",[]]\n" "$A" "$B" >expect &&
	test_cmp expect actual &&
	test_grep "| $A | .* | 餐饮部 (+ 客房部) |" r.md
'

test_done
