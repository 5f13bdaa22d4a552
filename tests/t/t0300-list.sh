#!/bin/sh
test_description='list: filters and formats (table, tsv, csv, json)'
. "$(dirname "$0")/test-lib.sh"

new_store store

NOW=2026-11-05T12:00

# ids FILE: the IDs of a JSON list, one a line, sorted
ids () {
	jq -r ".[].id" "$1" | sort
}

# listed EXPECTED-NAMES OPTIONS...: list --format json with OPTIONS gives
# exactly the cases named (A B ...: the variables holding their IDs)
listed () {
	want_=$1
	shift
	for n_ in $want_; do
		eval "echo \$$n_"
	done | sort >expect.ids &&
	if ! complaint --now $NOW list --format json "$@" >out.json 2>err.tmp; then
		echo "list $* failed:" >&2
		cat err.tmp >&2
		return 1
	fi &&
	test_must_be_empty err.tmp &&
	ids out.json >actual.ids &&
	if ! test_cmp expect.ids actual.ids; then
		echo "list $*: wanted $want_" >&2
		return 1
	fi
}

test_expect_success 'setup: cases in several states' '
	A=$(complaint --now 2026-10-05T10:00 new --customer 甲 --channel phone \
		--category product --summary "酒有异味" --received 2026-10-05T10:00) &&
	complaint --actor 客服中心 --now 2026-10-05T10:01 assign $A --department 餐饮部 &&
	complaint --actor 李四 --now 2026-10-05T10:30 resolve $A --text 已退换 &&
	B=$(complaint --now 2026-10-20T09:00 new --customer 乙 --channel email \
		--category service --summary "room, \"dirty\"" --amount 2000) &&
	complaint --now 2026-10-20T09:05 assign $B --department 客房部 &&
	C=$(complaint --now 2026-11-02T08:00 new --customer 丙 --channel online \
		--category finance --summary "多收费 twice" --amount 20000) &&
	D=$(complaint --now 2026-11-03T09:00 new --customer 丁 --channel letter \
		--category other --kind unfounded --summary "not ours") &&
	E=$(complaint --now 2026-11-05T11:55 new --customer 戊 --channel onsite \
		--category product --flag safety --summary "瓶子破裂，划伤手指") &&
	H=$(complaint --now 2026-11-05T11:50 new --customer 己 --channel phone \
		--category service --summary "上菜慢") &&
	complaint --now 2026-11-05T11:51 assign $H --department 餐饮部 &&
	complaint --now 2026-11-05T11:52 notify $H &&
	complaint --now 2026-11-05T11:55 onsite $H &&
	complaint --now $NOW show $A --format json | jq -e ".status == \"resolved\"" &&
	complaint --now $NOW show $B --format json | jq -e ".status == \"assigned\"" &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'list with no filter lists every case' '
	listed "A B C D E H"
'

test_expect_success 'list does not write' '
	store_snapshot &&
	complaint --now $NOW list >out &&
	complaint --now $NOW list --format json >out &&
	complaint --now $NOW list --overdue --format csv >out &&
	store_unchanged
'

test_expect_success '--status, one or several' '
	listed "A" --status resolved &&
	listed "C D E" --status new &&
	listed "B H" --status assigned &&
	listed "B C D E H" --status new,assigned &&
	listed "B C D E H" --status new --status assigned &&
	listed "" --status closed
'

test_expect_success '--severity' '
	listed "C" --severity major &&
	listed "B" --severity general &&
	listed "E" --severity critical &&
	listed "A D H" --severity minor &&
	listed "C E" --severity major,critical
'

test_expect_success '--department' '
	listed "A H" --department 餐饮部 &&
	listed "B" --department 客房部 &&
	listed "" --department 无此部门
'

test_expect_success '--category and --kind' '
	listed "C" --category finance &&
	listed "A E" --category product &&
	listed "D" --kind unfounded &&
	listed "A B C E H" --kind complaint
'

test_expect_success '--month' '
	listed "A B" --month 2026-10 &&
	listed "C D E H" --month 2026-11 &&
	listed "" --month 2026-09
'

test_expect_success '--since and --until (a date means its start and its end)' '
	listed "D E H" --since 2026-11-03 &&
	listed "A B C" --until 2026-11-02 &&
	listed "B C" --since 2026-10-20T09:00 --until 2026-11-02T08:00 &&
	listed "C" --since 2026-10-20T09:01 --until 2026-11-02T08:00
'

test_expect_success '--open: neither resolved nor closed' '
	listed "B C D E H" --open
'

test_expect_success '--overdue: a missed deadline on a case not resolved or closed' '
	listed "B C D" --overdue &&
	listed "B" --overdue --department 客房部
'

test_expect_success '--due-within: a pending deadline within that time from now' '
	listed "E" --due-within 10m &&
	listed "E H" --due-within 2h &&
	listed "E" --due-within 2h --severity critical
'

test_expect_success 'filters combine with and' '
	listed "A" --department 餐饮部 --status resolved &&
	listed "H" --department 餐饮部 --open &&
	listed "" --category finance --month 2026-10
'

test_expect_success 'JSON: the fields of every object' '
	complaint --now $NOW list --format json >out.json &&
	jq -e "type == \"array\" and length == 6" out.json &&
	jq -e "all(.[]; has(\"id\") and has(\"status\") and has(\"severity\") and has(\"received_at\") and has(\"channel\") and has(\"kind\") and has(\"category\") and has(\"department\") and has(\"summary\") and has(\"next_deadline\") and has(\"overdue\"))" out.json &&
	jq -e "all(.[]; (.overdue | type) == \"boolean\")" out.json &&
	jq -e "all(.[]; .next_deadline == null or ((.next_deadline | keys) == [\"at\", \"event\"]))" out.json
'

test_expect_success 'JSON: next_deadline and overdue' '
	jq -c ".[] | select(.id == \"$A\") | [.status, .next_deadline, .overdue, .department]" out.json >actual &&
	echo "[\"resolved\",null,false,\"餐饮部\"]" >expect &&
	test_cmp expect actual &&
	jq -c ".[] | select(.id == \"$E\") | [.severity, .next_deadline, .overdue, .department]" out.json >actual &&
	echo "[\"critical\",{\"event\":\"notify\",\"at\":\"2026-11-05T12:05:00+08:00\"},false,null]" >expect &&
	test_cmp expect actual &&
	jq -c ".[] | select(.id == \"$H\") | [.next_deadline, .overdue]" out.json >actual &&
	echo "[{\"event\":\"resolve\",\"at\":\"2026-11-05T13:50:00+08:00\"},false]" >expect &&
	test_cmp expect actual &&
	jq -c ".[] | select(.id == \"$B\") | [.overdue, .received_at, .channel, .summary]" out.json >actual &&
	echo "[true,\"2026-10-20T09:00:00+08:00\",\"email\",\"room, \\\"dirty\\\"\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'JSON: an empty list is []' '
	complaint --now $NOW list --format json --month 2025-01 >out.json &&
	jq -e ". == []" out.json
'

test_expect_success 'TSV: a header and one line per case, same number of fields' '
	complaint --now $NOW list --format tsv >out.tsv &&
	test_line_count = 7 out.tsv &&
	head -n 1 out.tsv | tr "\t" "\n" >cols.tmp &&
	test_grep -x id cols.tmp &&
	test_grep -x summary cols.tmp &&
	awk -F "\t" "{ print NF }" out.tsv | sort -u >nf.tmp &&
	test_line_count = 1 nf.tmp &&
	for v in A B C D E H; do
		eval "id=\$$v" &&
		grep -c "^$id	" out.tsv >n.tmp &&
		echo 1 >one.tmp &&
		test_cmp one.tmp n.tmp || return 1
	done
'

test_expect_success 'CSV: RFC 4180, reads back with python csv' '
	complaint --now $NOW list --format csv >out.csv &&
	python3 - out.csv "$B" <<-\EOF
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
	assert len(rows) == 6, len(rows)
	b = [r for r in rows if r["id"] == sys.argv[2]]
	assert len(b) == 1, b
	assert b[0]["summary"] == "room, \"dirty\"", b[0]["summary"]
	assert b[0]["status"] == "assigned", b[0]
	EOF
'

test_expect_success 'table: a header, one line per case' '
	complaint --now $NOW list >out.table &&
	test_line_count = 7 out.table &&
	head -n 1 out.table >head.tmp &&
	test_grep ID head.tmp &&
	test_grep SUMMARY head.tmp &&
	for v in A B C D E H; do
		eval "id=\$$v" &&
		test_grep -F "$id" out.table || return 1
	done
'

test_expect_success 'table: CJK text lines up (display width, not bytes)' '
	complaint --now $NOW new --customer 庚 --channel phone --category service \
		--summary "English only summary" >/dev/null &&
	I=$(complaint --now $NOW new --customer 辛 --channel phone --category service \
		--summary "中文摘要，全角字符ＡＢＣ") &&
	complaint --now $NOW assign $I --department 客房部 &&
	complaint --now $NOW list >out.table &&
	complaint --now $NOW list --format json >out.json &&
	python3 - out.table out.json <<-\EOF
	import json, sys, unicodedata
	def width(s):
	    return sum(0 if unicodedata.combining(c) else
	               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
	lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
	assert lines[-1] == "", "no final newline"
	head, rows = lines[0], lines[1:-1]
	cases = json.load(open(sys.argv[2], encoding="utf-8"))
	assert len(rows) == len(cases), (len(rows), len(cases))
	start = width(head[:head.index("SUMMARY")])
	bad = []
	for r in rows:
	    c = [c for c in cases if r.startswith(c["id"])]
	    assert len(c) == 1, r
	    s = c[0]["summary"]
	    assert r.endswith(s), (r, s)
	    w = width(r[:len(r) - len(s)])
	    if w != start:
	        bad.append("%d != %d: %r" % (w, start, r))
	assert not bad, "\n".join(bad)
	EOF
'

test_expect_success 'a broken case file is warned about; the others are listed' '
	f=$(case_path $D) &&
	printf "id: [\n" >"$f" &&
	complaint --now $NOW list --format json >out.json 2>err.tmp ;
	jq -e "length == 7" out.json &&
	test_grep -F "$D" err.tmp &&
	git checkout -- "$f"
'

test_expect_success 'usage errors (exit 2)' '
	test_refused 2 --now $NOW list --format xml &&
	test_refused 2 --now $NOW list --status frozen &&
	test_refused 2 --now $NOW list --month 2026-13 &&
	test_refused 2 --now $NOW list --month 11/2026 &&
	test_refused 2 --now $NOW list --since yesterday &&
	test_refused 2 --now $NOW list --due-within soon &&
	test_refused 2 --now $NOW list --month 2026-11 --since 2026-11-02 &&
	test_refused 2 --now $NOW list extra
'

test_done
