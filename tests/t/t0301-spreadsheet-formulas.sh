#!/bin/sh
test_description='every output made for spreadsheets (list tsv and csv, score csv, report csv) defuses formulas'
. "$(dirname "$0")/test-lib.sh"

at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# fields FORMAT FILE: every field of FILE, one JSON string a line (python's
# csv module for CSV; TSV split on tabs, as a spreadsheet does).
fields () {
	python3 - "$1" "$2" <<-\EOF
	import csv, json, sys
	fmt, name = sys.argv[1], sys.argv[2]
	with open(name, encoding="utf-8", newline="") as f:
	    if fmt == "csv":
	        rows = list(csv.reader(f, strict=True))
	    else:
	        rows = [l.rstrip("\n").split("\t") for l in f]
	for r in rows:
	    for v in r:
	        print(json.dumps(v, ensure_ascii=False))
	EOF
}

# no_formula FORMAT FILE: no field a spreadsheet would run (one starting
# with = + - @ tab or CR), numbers aside; and the hostile texts are there,
# behind a quote.
no_formula () {
	fields "$1" "$2" >"$2.fields" &&
	python3 - "$2.fields" "$3" <<-\EOF
	import json, re, sys
	vals = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
	bad = [v for v in vals
	       if v and v[0] in "=+-@\t\r" and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v)]
	if bad:
	    sys.exit("fields a spreadsheet would run as formulas: %r" % bad)
	need = int(sys.argv[2])
	quoted = [v for v in vals if v.startswith("'") and v[1:2] in ("=", "+", "-", "@")]
	if len(quoted) < need:
	    sys.exit("only %d quoted formula fields, wanted %d: %r" % (len(quoted), need, quoted))
	EOF
}

test_expect_success 'a month of cases whose text looks like formulas' '
	at 2026-09-01T09:00 init store >/dev/null &&
	test_ignore_scratch store &&
	cd store &&
	cat >>org.yaml <<-\EOF &&
	  - {name: "=HYPERLINK(\"http://x\")", head: "+head", leader: "@leader"}
	EOF
	GIT_AUTHOR_DATE=2026-09-02T00:00:00Z GIT_COMMITTER_DATE=2026-09-02T00:00:00Z \
		git commit -qam "a department that looks like a formula" &&
	A=$(at 2026-10-08T10:00 new --customer "=cmd" --channel phone --category service \
		--summary "=1+2" --amount 300) &&
	at 2026-10-08T10:04 assign $A --department "=HYPERLINK(\"http://x\")" \
		--responsible "-2+3" &&
	at 2026-10-08T11:30 resolve $A --text "+done" &&
	at 2026-10-09T10:00 callback $A --unsatisfied --text "@SUM(A1)" &&
	B=$(at 2026-10-10T09:00 new --customer x --channel online --category service \
		--summary "+cmd|calc") &&
	at 2026-10-10T09:05 assign $B --department 客房部 --responsible "@SUM(A1:A9)" &&
	at 2026-10-12T09:00 --actor 孙七 penalize $B "=cmd" 3 --reason "-2+3" &&
	at 2026-10-13T09:00 new --customer y --channel phone --category other \
		--summary "@here" >/dev/null &&
	at 2026-10-14T09:00 new --customer z --channel phone --category other \
		--summary "-minus" >/dev/null
'

test_expect_success 'list --format tsv' '
	at 2026-11-01T08:00 list --format tsv >out.tsv &&
	no_formula tsv out.tsv 6 &&
	test_grep "	'\''=1+2	" out.tsv
'

test_expect_success 'list --format csv' '
	at 2026-11-01T08:00 list --format csv >out.csv &&
	no_formula csv out.csv 6
'

test_expect_success 'score --format csv' '
	at 2026-11-01T08:00 score --month 2026-10 --format csv >out.csv &&
	no_formula csv out.csv 4
'

test_expect_success 'report --format csv' '
	at 2026-11-01T08:00 report --month 2026-10 --format csv >out.csv &&
	no_formula csv out.csv 4
'

test_done
