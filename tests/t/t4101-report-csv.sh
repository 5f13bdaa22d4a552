#!/bin/sh
test_description='report --format csv: one long table that parses, agrees with json, defuses formulas'
. "$(dirname "$0")/test-lib.sh"

HEADER='section,key,label,measure,value,role,department,date,rule,detail'
# the sections, in the order complaint-report(1) documents
SECTIONS='report totals previous by_severity by_kind by_category by_channel by_department deadlines resolution_hours satisfaction recurring months score_departments score_people score_items score_warnings cases departments compensation measures measures_overdue'

at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# csv_rows FILE: the parsed rows as JSON lines (python's csv module,
# strict), after checking every row has as many fields as the header.
csv_rows () {
	python3 - "$1" <<-\EOF
	import csv, json, sys
	with open(sys.argv[1], encoding="utf-8", newline="") as f:
	    rows = list(csv.reader(f, strict=True))
	width = len(rows[0])
	bad = [(i + 1, len(r)) for i, r in enumerate(rows) if len(r) != width]
	if bad:
	    sys.exit("rows with another number of fields than the header (%d): %r" % (width, bad[:10]))
	for r in rows:
	    print(json.dumps(r, ensure_ascii=False))
	EOF
}

test_expect_success 'a store with a month of cases, and text that looks like formulas' '
	at 2026-09-01T09:00 init store >/dev/null &&
	test_ignore_scratch store &&
	cd store &&
	at 2026-09-20T10:00 new --customer 老客户 --channel phone --category other \
		--summary earlier >/dev/null &&
	A=$(at 2026-10-08T10:00 new --customer 王先生 --channel phone --category service \
		--summary "=1+2" --amount 300) &&
	at 2026-10-08T10:04 assign $A --department 餐饮部 --responsible 张三 &&
	at 2026-10-08T10:08 notify $A &&
	at 2026-10-08T10:15 onsite $A &&
	at 2026-10-08T11:30 resolve $A --text "致歉, \"果盘\"" &&
	at 2026-10-09T10:00 callback $A --unsatisfied --text "=HYPERLINK(\"http://x\",\"y\")" &&
	at 2026-10-09T10:01 close $A &&
	B=$(at 2026-10-10T09:00 new --customer "Ms. Li" --channel online --category service \
		--summary "+cmd|calc" --amount 20000) &&
	at 2026-10-10T09:05 assign $B --department 客房部 --responsible "@SUM(A1)" &&
	at 2026-10-12T09:00 --actor 客服中心/赵六 penalize $B "=cmd" 3 --reason "-2+3, multi
line" &&
	at 2026-10-12T09:01 --actor 陈总 approve $B --penalty P1 &&
	at 2026-10-12T09:30 measure $B --text "=SUM(1)" --owner 孙七 --due 2026-10-20 >/dev/null &&
	# never assigned: 客服中心 (the intake) is charged; major'"'"'s responsible 50
	# has nobody, a warning (the score_warnings section)
	at 2026-10-15T09:00 new --customer 钱 --channel phone --category service \
		--summary 房间噪音 --amount 20000 >/dev/null &&
	at 2026-11-01T08:00 report --month 2026-10 --format json >out.json &&
	at 2026-11-01T08:00 report --month 2026-10 --format csv >out.csv
'

test_expect_success 'the header, and CRLF at the end of every line' '
	head -n 1 out.csv >actual &&
	printf "%s\r\n" "$HEADER" >expect &&
	test_cmp_bytes expect actual &&
	python3 -c "
import sys
data = open(sys.argv[1], \"rb\").read()
assert data.endswith(b\"\\r\\n\"), \"no CRLF at the end\"
# a bare LF is allowed only inside a quoted field: count records the csv module sees
lines = data.split(b\"\\r\\n\")
assert all(b\"\\r\" not in l for l in lines), \"a bare CR\"
" out.csv
'

test_expect_success 'python csv parses it, every row as wide as the header' '
	csv_rows out.csv >rows &&
	test $(wc -l <rows) -gt 80
'

test_expect_success 'the sections are the documented ones, in order' '
	python3 -c "
import json, sys
seen = []
for line in open(\"rows\", encoding=\"utf-8\").readlines()[1:]:
    s = json.loads(line)[0]
    if not seen or seen[-1] != s:
        assert s not in seen, \"section %s comes twice\" % s
        seen.append(s)
print(\"\\n\".join(seen))
" >actual &&
	printf "%s\n" $SECTIONS >expect &&
	test_cmp expect actual
'

# the figures of both formats as "section key measure value" lines
figures_from_json () {
	jq -r '
	  (.totals | to_entries[] | "totals \(.key) cases \(.value)"),
	  (.previous | to_entries[] | "previous \(.key) cases \(.value)"),
	  ("by_severity", "by_kind", "by_category", "by_channel", "by_department") as $s |
	    (.[$s] | to_entries[] | "\($s) \(.key) cases \(.value)")' out.json
	jq -r '
	  (.deadlines | to_entries[] | .key as $k | .value | to_entries[] |
	    "deadlines \($k) \(.key) \(.value // "")"),
	  (.resolution_hours | to_entries[] | .key as $k | .value | to_entries[] |
	    "resolution_hours \($k) \(.key) \(.value)"),
	  (.satisfaction | to_entries[] | "satisfaction callbacks \(.key) \(.value // "")"),
	  (.recurring[] | "recurring \(.category) cases \(.count)"),
	  (.months[] | "months \(.month) received \(.received)"),
	  (.score.departments[] | "score_departments \(.department) points \(.points)",
	                          "score_departments \(.department) money \(.money)"),
	  (.score.people[] | "score_people \(.person)/\(.role)/\(.department) points \(.points)"),
	  (.score.items[] | "score_items \(.case)/\(.target)/\(.rule) points \(.points)"),
	  (.score.warnings[] | "score_warnings \(.case) not_counted \(.message)"),
	  (.cases[] | .id as $i |
	    (("severity", "kind", "category", "status", "cause", "measure") as $m |
	      "cases \($i) \($m) \(.[$m] // "")"),
	    "cases \($i) satisfied \(if .satisfied == null then "" else .satisfied end)",
	    "cases \($i) compensation \(.compensation // "")",
	    "cases \($i) missed \(.missed | join(" "))"),
	  (.departments[] | .department as $d |
	    (("received", "resolved", "due", "met", "callbacks", "satisfied", "points") as $m |
	      "departments \($d) \($m) \(.[$m])"),
	    (.previous | to_entries[] | "departments \($d) previous_\(.key) \(.value)")),
	  "compensation total money \(.compensation.total)",
	  (.compensation.by_severity | to_entries[] | "compensation \(.key) money \(.value)"),
	  (.measures | ("open", "done", "signed_off", "overdue") as $m | "measures all \($m) \(.[$m])"),
	  (.measures.overdue_rows[] | "measures_overdue \(.case) \(.measure) ")' out.json
}

figures_from_csv () {
	python3 -c "
import json, sys
by = (\"by_severity\", \"by_kind\", \"by_category\", \"by_channel\", \"by_department\")
for line in open(sys.argv[1], encoding=\"utf-8\").readlines()[1:]:
    # undo the defusing (checked below) to compare the text itself
    s, key, label, measure, value, role, dept, date, rule, detail = [
        f[1:] if f[:1] == \"\x27\" and f[1:2] in \"=+-@\" else f for f in json.loads(line)]
    if s == \"report\":
        continue
    if s in by and value == \"0\":
        continue          # json leaves zero counts out
    if s == \"resolution_hours\" and value == \"\":
        continue          # json leaves levels without cases out
    if s == \"resolution_hours\" and measure == \"count\" and value == \"0\":
        continue
    if s == \"score_people\":
        if measure != \"points\":
            continue
        key = \"%s/%s/%s\" % (key, role, dept)
    if s == \"score_items\":
        if measure != \"points\":
            continue
        key = \"%s/%s/%s\" % (key, label, rule)
    if s == \"score_warnings\":
        value = detail
    if s == \"cases\":
        if measure == \"compensation\":
            measure = \"money\"
        elif measure == \"missed\":
            assert value == str(len(detail.split())), (value, detail)
            value = detail
        else:
            value = detail
    if s == \"departments\" and measure.endswith(\"rate\"):
        continue          # json gives the counts, not the rates
    if s == \"compensation\" and (measure == \"resolves\" or
                                 (key != \"total\" and value == \"0.00\")):
        continue          # json leaves levels without compensation out
    if measure == \"money\" and value:
        # money has two decimals here; jq prints the JSON number 200.00 as 200
        assert len(value.split(\".\")[-1]) == 2, value
        value = (\"%.2f\" % float(value)).rstrip(\"0\").rstrip(\".\")
    if s == \"cases\" and measure == \"money\":
        measure = \"compensation\"
    print(s, key, measure, value)
" "$1"
}

test_expect_success 'the figures agree with --format json' '
	figures_from_json | sort >expect &&
	figures_from_csv rows | sort >actual &&
	test_cmp expect actual &&
	grep "^totals received cases 3\$" actual &&
	grep "^previous received cases 1\$" actual
'

test_expect_success 'the report section names the month, the policy and the as-of time' '
	grep "^\[\"report\", \"month\", \"2026-10\"" rows &&
	grep "^\[\"report\", \"policy\", \"winery-2022\"" rows &&
	grep "^\[\"report\", \"as_of\", \"2026-11-01T08:00:00+08:00\"" rows &&
	grep "^\[\"report\", \"previous_month\", \"2026-09\"" rows
'

test_expect_success 'text that looks like a formula comes out defused' '
	python3 -c "
import json, sys
rows = [json.loads(l) for l in open(\"rows\", encoding=\"utf-8\")]
for r in rows:
    for f in r:
        assert not f or f[0] not in \"=+-@\\t\\r\", \"live formula %r in %r\" % (f, r)
people = {r[1] for r in rows if r[0] == \"score_people\"}
assert \"\x27=cmd\" in people, people
details = {r[9] for r in rows if r[0] == \"score_items\"}
assert \"\x27=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\" in details, details
assert \"\x27-2+3, multi\\nline\" in details, details
" &&
	q=$(printf "\047") &&
	grep -F "\"${q}=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" out.csv
'

test_expect_success '-o FILE writes the same bytes and nothing to stdout' '
	store_snapshot &&
	at 2026-11-01T08:00 report --month 2026-10 --format csv -o "$TRASH_DIRECTORY/r.csv" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test_cmp_bytes out.csv "$TRASH_DIRECTORY/r.csv" &&
	store_unchanged
'

test_expect_success 'an empty month has the same fixed rows, all zero' '
	at 2026-11-01T08:00 report --month 2025-03 --format csv >empty.csv &&
	csv_rows empty.csv >erows &&
	grep "^\[\"totals\", \"received\", \"Received\", \"cases\", \"0\"" erows &&
	grep -c "^\[\"months\"" erows >actual &&
	echo 12 >expect &&
	test_cmp expect actual &&
	grep "^\[\"satisfaction\", \"callbacks\", \"Customer callbacks\", \"rate\", \"\"" erows
'

test_done
