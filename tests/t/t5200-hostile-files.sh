#!/bin/sh
test_description='hostile case files committed by hand: a clear error naming the file, fast, never a crash; reports go on'
. "$(dirname "$0")/test-lib.sh"

new_store store

# Strange but valid YAML: read like any other case.
VALID=" bom crlf yaml-directive tag-directive control-chars-escaped unknown-status "
# Readable, but check reports them (a derived field that disagrees with
# the events is recomputed when shown, and reported by check).
CHECKED=" unknown-status "

ESC=$(printf '\033')
BEL=$(printf '\007')

test_expect_success 'setup: a good case, and hostile variants of it committed with git' '
	GOOD=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --amount 1200 --flag safety \
		--description "第一行
第二行") &&
	complaint --now 2026-11-02T09:05 assign $GOOD --department 餐饮部 --responsible 张三 &&
	mkdir ../variants &&
	python3 "$TEST_ROOT/tools/crash/hostile.py" "$(case_path $GOOD)" ../variants C-20261102-H >../map &&
	test $(wc -l <../map) -ge 50 &&
	cp ../variants/*.yaml cases/2026/11/ &&
	git add cases &&
	git commit -q -m "hostile files, by hand" &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'show on each: exit 3 and one line naming the file (0 for the valid ones), never a crash' '
	: >../times &&
	start=$(date +%s) &&
	while read -r id name; do
		t0=$(date +%s%N)
		complaint show $id >out.tmp 2>err.tmp
		rc=$?
		echo "$(( ($(date +%s%N) - t0) / 1000000 )) $name" >>../times
		case $VALID in
		*" $name "*) want=0 ;;
		*) want=3 ;;
		esac
		if test $rc != $want; then
			echo "$name: show exit $rc, wanted $want: $(head -c 300 err.tmp)" >&2
			return 1
		fi
		if test $rc != 0; then
			test_error_line err.tmp &&
			test_grep -F "cases/2026/11/$id.yaml" err.tmp || {
				echo "($name)" >&2; return 1; }
		fi
		if grep -q "[$ESC$BEL]" out.tmp err.tmp; then
			echo "$name: a raw control character in the output" >&2
			return 1
		fi
	done <../map &&
	echo "$(wc -l <../map) hostile files, each shown in at most $(sort -n ../times | tail -1 | cut -d" " -f1) ms (slowest: $(sort -n ../times | tail -1 | cut -d" " -f2)); $(($(date +%s) - start)) s in all" >../summary &&
	test $(($(date +%s) - start)) -lt 120
'
test -f ../summary && sed 's/^/# /' ../summary

test_expect_success 'the errors say what is wrong' '
	for want in "alias-bomb:anchors (&a0) are not allowed" \
		    "alias-cycle:anchors (&x) are not allowed" \
		    "alias-only:aliases (\*undefined) are not allowed" \
		    "deep-flow:nesting is deeper than" \
		    "deep-map:nesting is deeper than" \
		    "duplicate-key:duplicate key .summary. (first at line" \
		    "invalid-utf8:invalid UTF-8" \
		    "surrogate-utf8:invalid UTF-8" \
		    "nul-byte:NUL byte" \
		    "tag-python:tags (.*) are not allowed" \
		    "two-documents:more than one YAML document" \
		    "big-scalar-10mb:too large" \
		    "big-scalar-7mb:too long" \
		    "not-a-mapping-list:must be a mapping" \
		    "empty:must be a mapping" \
		    "ansi-raw:9:10: control characters are not allowed (U+001B)" \
		    "many-keys:too many values" \
		    "unknown-field:unknown field .owner."; do
		name=${want%%:*} &&
		id=$(grep " $name\$" ../map | cut -d" " -f1) &&
		test_expect_code 3 complaint show $id 2>err.tmp >/dev/null &&
		test_grep "cases/2026/11/$id.yaml:.*${want#*:}" err.tmp || return 1
	done
'

test_expect_success 'check: a problem line for each bad file, exit 1, the good case is fine' '
	start=$(date +%s) &&
	test_expect_code 1 complaint --now 2026-11-03T00:00 check >out 2>err &&
	while read -r id name; do
		case $VALID in
		*" $name "*)
			case $CHECKED in
			*" $name "*) ;;
			*) continue ;;
			esac ;;
		esac
		test_grep "^problem: .*cases/2026/11/$id.yaml" out || return 1
	done <../map &&
	test_grep ! "$GOOD" out &&
	! grep -q "[$ESC$BEL]" out err &&
	grep "cases checked" out >../check-summary &&
	test $(($(date +%s) - start)) -lt 60
'
test -f ../check-summary && sed 's/^/# check: /' ../check-summary

test_expect_success 'list, score and report go on with the others and count the bad ones' '
	bad=$(sed -n "s/.* \([0-9]*\) unreadable.*/\1/p" ../check-summary) &&
	test "$bad" -ge 45 &&
	for cmd in "list" "list --format json" "list --format csv" \
		   "score --month 2026-11" "score --month 2026-11 --format json" \
		   "report --month 2026-11" "report --month 2026-11 --format json"; do
		complaint --now 2026-12-01T00:00 $cmd >out 2>err || {
			echo "$cmd: exit $?" >&2; return 1; }
		test_grep "warning: $bad case files could not be read" err &&
		! grep -q "[$ESC$BEL]" err || { echo "($cmd)" >&2; return 1; }
		# CSV is data for a spreadsheet: text in it stays verbatim
		case $cmd in
		*csv*) ;;
		*) ! grep -q "[$ESC$BEL]" out || { echo "($cmd): raw control character" >&2; return 1; } ;;
		esac
	done &&
	complaint --now 2026-12-01T00:00 list >out 2>err &&
	test_grep "$GOOD" out &&
	complaint --now 2026-12-01T00:00 score --month 2026-11 --format json >out 2>err &&
	test_grep "$GOOD" out
'

test_expect_success 'a write to the good case still works, and to a bad one is refused' '
	complaint --now 2026-11-02T10:00 note $GOOD "still fine" &&
	id=$(grep " alias-bomb\$" ../map | cut -d" " -f1) &&
	test_expect_code 3 complaint --now 2026-11-02T10:00 note $id "no" 2>err &&
	test_error_line err &&
	test "$(git log -1 --format=%s)" != "note $id: no"
'

test_expect_success 'policy.yaml and org.yaml made hostile: refused with the file named, nothing crashes' '
	cp policy.yaml policy.good && cp org.yaml org.good &&
	for v in "alias-bomb" "deep-flow" "duplicate-key" "nul-byte" "two-documents" "tag-python" "invalid-utf8"; do
		id=$(grep " $v\$" ../map | cut -d" " -f1) &&
		cp ../variants/$id.yaml policy.yaml &&
		test_expect_code 3 complaint list >out 2>err &&
		test_error_line err &&
		test_grep "policy.yaml" err &&
		cp ../variants/$id.yaml org.yaml && cp policy.good policy.yaml &&
		test_expect_code 3 complaint list >out 2>err &&
		test_error_line err &&
		test_grep "org.yaml" err &&
		cp org.good org.yaml || return 1
	done &&
	rm policy.good org.good &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_done
