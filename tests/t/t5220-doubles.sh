#!/bin/sh
test_description='a case in two files, an event copied by hand: check names them, every reader counts once'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-12-05T12:00
AS_OF=2026-12-05T11:00

at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# commit_by_hand MSG: commit the work tree as a person would, dated before $AS_OF
commit_by_hand () {
	git add -A cases &&
	GIT_AUTHOR_DATE=2026-12-05T02:00:00Z GIT_COMMITTER_DATE=2026-12-05T02:00:00Z \
		git commit -qm "$1"
}

# readers OUT: what every reader says, into OUT.*: list, score over two
# months, the two months' reports, each through the cache (twice: filling
# it, reading it), without it, and from history (--as-of); stderr to OUT.err
readers () {
	: >"$1.err" &&
	for cache_ in "" "" "--no-cache"; do
		complaint --now $NOW $cache_ list --format json >"$1.list" 2>>"$1.err" &&
		complaint --now $NOW $cache_ score --since 2026-10-01 --until 2026-11-30 \
			--format json >"$1.score" 2>>"$1.err" &&
		complaint --now $NOW $cache_ report --month 2026-10 --format json \
			>"$1.r10" 2>>"$1.err" &&
		complaint --now $NOW $cache_ report --month 2026-11 --format json \
			>"$1.r11" 2>>"$1.err" || return 1
	done &&
	complaint --now $NOW score --since 2026-10-01 --until 2026-11-30 --as-of $AS_OF \
		--format json >"$1.score-asof" 2>>"$1.err" &&
	complaint --now $NOW report --month 2026-10 --as-of $AS_OF --format json \
		>"$1.r10-asof" 2>>"$1.err" &&
	complaint --now $NOW report --month 2026-11 --as-of $AS_OF --format json \
		>"$1.r11-asof" 2>>"$1.err"
}

# same_as BASE NEW: every reader gave the same as for the store without the copy
same_as () {
	for f_ in list score r10 r11 score-asof r10-asof r11-asof; do
		test_cmp "$1.$f_" "$2.$f_" || {
			echo "differs: $f_" >&2
			return 1
		}
	done
}

test_expect_success 'a store: a case with an unsatisfied callback, and others' '
	new_store store &&
	A=$(at 2026-10-08T10:00 new --customer 王 --channel phone --category service \
		--summary "slow service") &&
	at 2026-10-08T10:04 assign $A --department 餐饮部 --responsible 张三 &&
	at 2026-10-08T11:00 resolve $A --text done &&
	at 2026-10-09T10:00 callback $A --unsatisfied --text "still angry" &&
	B=$(at 2026-11-03T09:00 new --customer 李 --channel online --category product \
		--summary "broken bottle") &&
	at 2026-11-03T09:05 assign $B --department 客房部 &&
	at 2026-11-10T09:00 new --customer 赵 --channel phone --category other \
		--summary third >/dev/null &&
	PA=$(case_path $A) && PB=$(case_path $B) &&
	test_path_is_file "$PA" &&
	complaint --now $NOW check &&
	readers base &&
	test_must_be_empty base.err &&
	jq -e "[.items[] | select(.rule == \"unsatisfied\")] | length == 1" base.score
'

test_expect_success 'the same case copied into another month folder' '
	mkdir -p cases/2026/11 &&
	cp "$PA" cases/2026/11/$A.yaml &&
	commit_by_hand "a copy by hand"
'

test_expect_success 'check names both files, and the one counted' '
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	test_grep "case $A is in 2 files ($PA and cases/2026/11/$A.yaml); $PA is the one counted" out
'

test_expect_success 'list, score, report (cache, no cache, --as-of) count it once, with a warning' '
	readers copy &&
	same_as base copy &&
	test_grep "warning: case $A is in 2 files" copy.err
'

test_expect_success 'show shows the counted file, with a warning' '
	complaint --now $NOW show $A --format json >out 2>err &&
	jq -e ".id == \"$A\"" out &&
	test_grep "warning: case $A is in 2 files" err
'

test_expect_success 'a change to the case is refused until one file is left' '
	store_snapshot &&
	test_expect_code 3 complaint --now $NOW note $A "hello" 2>err &&
	test_grep "case $A is in 2 files" err &&
	store_unchanged
'

test_expect_success 'a copy whose received_at was edited to its folder: the ID names the one counted' '
	sed -e "s/^received_at: 2026-10-08T/received_at: 2026-11-08T/" \
		-e "s/^  - {at: 2026-10-08T10:00:00+08:00, by: \([^,]*\), action: new/  - {at: 2026-11-08T10:00:00+08:00, by: \1, action: new/" \
		"$PA" >cases/2026/11/$A.yaml &&
	grep "^received_at: 2026-11-08" cases/2026/11/$A.yaml &&
	commit_by_hand "another copy by hand" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	test_grep "case $A is in 2 files ($PA and cases/2026/11/$A.yaml); $PA is the one counted" out &&
	readers edited &&
	same_as base edited &&
	test_grep "warning: case $A is in 2 files" edited.err
'

test_expect_success 'with one file left, all is as before' '
	git rm -q cases/2026/11/$A.yaml &&
	commit_by_hand "remove the copy" &&
	complaint --now $NOW check &&
	complaint --now $NOW list >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'an event copied by hand (the unsatisfied callback, twice)' '
	python3 - "$PA" <<-\EOF &&
	import sys
	p = sys.argv[1]
	lines = open(p, encoding="utf-8").read().split("\n")
	i = [n for n, l in enumerate(lines) if "action: callback" in l][0]
	lines.insert(i + 1, lines[i])
	open(p, "w", encoding="utf-8").write("\n".join(lines))
	EOF
	test $(grep -c "action: callback" "$PA") = 2 &&
	commit_by_hand "a callback twice"
'

test_expect_success 'check names the copied event, file and line' '
	line=$(grep -n "action: callback" "$PA" | sed -n "2s/:.*//p") &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	test_grep "$PA:$line: event [0-9]* (callback at 2026-10-09T10:00:00+08:00) is an exact copy of event [0-9]*" out
'

test_expect_success 'every reader counts it once (one unsatisfied item), with a warning' '
	readers dupev &&
	same_as base dupev &&
	jq -e "[.items[] | select(.rule == \"unsatisfied\")] | length == 1" dupev.score &&
	test_grep "warning: $PA: event [0-9]* (callback at .*) is an exact copy" dupev.err &&
	complaint --now $NOW show $A --format json >out 2>err &&
	jq -e "[.events[] | select(.action == \"callback\")] | length == 1" out &&
	test_grep "exact copy" err
'

test_expect_success 'recording an event exactly like one the case holds is refused' '
	at 2026-11-20T09:00 note $B "called back" &&
	store_snapshot &&
	test_expect_code 1 complaint --now 2026-11-20T09:00 note $B "called back" 2>err &&
	test_grep "already holds this very event" err &&
	store_unchanged
'

test_expect_success 'the next change writes the file without the copy, and says so' '
	at 2026-12-01T09:00 note $A "checked" 2>err &&
	test_grep "writes the file without the copy" err &&
	test $(grep -c "action: callback" "$PA") = 1 &&
	complaint --now $NOW check
'

test_expect_success 'the same approval again after a new plan, in the same second, is a new fact (major: leader, director)' '
	G=$(at 2026-11-21T09:00 new --customer 钱 --channel phone --category service \
		--summary major --amount 20000) &&
	at 2026-11-21T09:01 assign $G --department 餐饮部 &&
	for i in 1 2; do
		at 2026-11-21T09:05 plan $G --text "the plan" &&
		at 2026-11-21T09:05 --actor 王五 approve $G || return 1
	done &&
	complaint --now $NOW show $G --format json >out 2>err &&
	test_must_be_empty err &&
	jq -e ".status == \"planned\" and ([.events[] | select(.action == \"approve\")] | length == 2)" out &&
	at 2026-11-21T09:05 --actor 陈总 approve $G &&
	complaint --now $NOW show $G --format json | jq -e ".status == \"approved\"" &&
	complaint --now $NOW check
'

test_done
