#!/bin/sh
test_description='a good case file with one byte changed, at every offset: read or refused naming the file, never a crash'
. "$(dirname "$0")/test-lib.sh"

new_store store

ESC=$(printf '\033')

test_expect_success 'setup: a good case with every kind of field' '
	GOOD=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --contact 13800000000 \
		--channel phone --category service --summary "上菜慢: 一小时" --amount 1200 \
		--flag safety --description "第一行
第二行") &&
	complaint --now 2026-11-02T09:05 assign $GOOD --department 餐饮部 --responsible 张三 &&
	complaint --now 2026-11-02T09:06 notify $GOOD &&
	F=$(case_path $GOOD) &&
	wc -c <"$F" >../size
'

test_expect_success 'one file per offset and value, committed with git' '
	mkdir ../flips &&
	python3 "$TEST_ROOT/tools/crash/byteflip.py" "$F" ../flips C-20261102-F >../map &&
	test $(wc -l <../map) -gt 1000 &&
	cp ../flips/*.yaml cases/2026/11/ &&
	git add cases && git commit -q -m "flipped bytes, by hand"
'

test_expect_success 'check reads them all: each is fine or has a problem line naming it; no crash' '
	start=$(date +%s) &&
	complaint --now 2026-11-03T00:00 check >out 2>err
	rc=$? &&
	test $rc = 1 &&
	secs=$(($(date +%s) - start)) &&
	! grep -q "$ESC" out err &&
	grep "^problem: " out | sed -n "s#^problem: \(/[^ ]*/\)\{0,1\}\(cases/2026/11/C-20261102-F[0-9]*\)\.yaml.*#\2#p" |
		sort -u >named.tmp &&
	grep "^problem: " out | grep -v "cases/2026/11/C-20261102-F[0-9]*\.yaml" >other.tmp;
	test_must_be_empty other.tmp &&
	n=$(wc -l <../map) &&
	bad=$(sed -n "s/.* \([0-9]*\) unreadable.*/\1/p" out) &&
	echo "$n files with one byte changed ($(cat ../size) offsets): $bad unreadable, $(wc -l <named.tmp) with a problem named, $((n - $(wc -l <named.tmp))) read as valid cases; check took $secs s" >../summary &&
	test $secs -lt 120
'
test -f ../summary && sed 's/^/# /' ../summary

test_expect_success 'the files check found fine are cases show can show' '
	cut -d" " -f1 ../map | sed "s#^#cases/2026/11/#" | sort >all.tmp &&
	comm -23 all.tmp named.tmp | sed -n "1~7p" | sed "s#.*/##" >fine.tmp &&
	while read -r id; do
		complaint show $id >/dev/null 2>err.tmp || {
			echo "$id: check found no problem, show exit $?: $(cat err.tmp)" >&2
			return 1
		}
	done <fine.tmp
'

test_expect_success 'show on a sample of the bad ones: exit 3, one line naming the file' '
	sed -n "1~40p" named.tmp | sed "s#.*/##" >sample.tmp &&
	while read -r id; do
		complaint show $id >/dev/null 2>err.tmp
		rc=$?
		case $rc in
		0) ;;	# only a derived field disagrees: shown, check reports it
		3) test_error_line err.tmp && test_grep -F "$id" err.tmp || return 1 ;;
		*) echo "$id: show exit $rc: $(cat err.tmp)" >&2; return 1 ;;
		esac
	done <sample.tmp
'

test_expect_success 'list and report go on, and count the unreadable ones' '
	complaint --now 2026-12-01T00:00 list >out 2>err &&
	test_grep "$GOOD" out &&
	test_grep "warning: $bad case files could not be read" err &&
	complaint --now 2026-12-01T00:00 report --month 2026-11 --format json >out 2>err &&
	test_grep "warning: $bad case files could not be read" err &&
	complaint --now 2026-12-01T00:00 score --month 2026-11 >out 2>err &&
	test_grep "warning: $bad case files could not be read" err
'

test_done
