#!/bin/sh
test_description='the years the store can hold

Case files live in cases/YYYY/MM/ by the local month received, and git
records no commit before the Unix epoch, so the store holds the instants
from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59 in the policy'"'"'s
timezone.  A time outside them (--now, --at, --received, --as-of,
--since/--until, --month, a case file) is refused, and so is a case or
event whose deadlines would fall outside them, before anything is
written: --now 9999-12-31T23:59:59-18:00 new used to commit a case under
cases/10000/ that no command could see.'
. "$(dirname "$0")/test-lib.sh"

new_store store

NEW="--customer x --channel phone --category service --summary s"

for now in 9999-12-31T23:59:59-18:00 9999-12-31T16:00:00Z 1899-12-31T23:00:00 \
	   1969-12-31T23:59:59Z 1970-01-01T07:59:59+08:00 1900-01-01 0001-01-01; do
	test_expect_success "--now $now: new is refused (exit 2), nothing written" '
		test_refused 2 --now $now new $NEW &&
		test_grep "outside the years the store can hold" err.refused &&
		test_path_is_missing cases
	'
done

test_expect_success '--received outside the years is refused too' '
	test_refused 2 --now 2026-11-22T15:00 new $NEW --received 1969-12-31T12:00:00Z &&
	test_grep -e "--received" err.refused &&
	test_grep "outside the years" err.refused
'

test_expect_success 'a case whose deadline would fall after 9999 is refused, naming it' '
	test_refused 2 --now 9999-12-31T23:55 new $NEW &&
	test_grep "notify deadline would fall at 10000-01-01" err.refused &&
	test_refused 2 --now 9999-12-31T23:00 new $NEW --severity critical --reason r &&
	test_grep "deadline would fall at 10000-" err.refused &&
	test_path_is_missing cases
'

test_expect_success 'the first and the last times the store holds are seen by every command' '
	FIRST=$(complaint --now 1970-01-01T08:00:00+08:00 new $NEW) &&
	LAST=$(complaint --now 9999-12-31T20:00 new $NEW) &&
	test_path_is_file cases/1970/01/$FIRST.yaml &&
	test_path_is_file cases/9999/12/$LAST.yaml &&
	complaint --now 9999-12-31T20:00 list --format json >out.json &&
	jq -e "map(.id) | sort == ([\"$FIRST\", \"$LAST\"] | sort)" out.json &&
	complaint --now 9999-12-31T20:00 list --month 9999-12 --format json >out.json &&
	jq -e "map(.id) == [\"$LAST\"]" out.json &&
	complaint show $LAST >out &&
	complaint --now 9999-12-31T21:00 report --month 9999-12 --format json >out.json &&
	jq -e ".totals.received == 1" out.json &&
	complaint check >out 2>err &&
	git fsck --strict 2>err &&
	test_must_be_empty err
'

test_expect_success 'an event that would move a deadline past 9999 is refused, the file unchanged' '
	cp cases/9999/12/$LAST.yaml case.tmp &&
	test_refused 2 --actor 李四 --now 9999-12-31T21:00 reclassify $LAST critical --reason 升级 &&
	test_grep "deadline would fall at 10000-" err.refused &&
	test_cmp_bytes case.tmp cases/9999/12/$LAST.yaml
'

for opt in "--at 1969-12-31T12:00:00Z" "--at 1899-01-01"; do
	test_expect_success "note $opt is refused (exit 2)" '
		test_refused 2 --now 9999-12-31T21:00 note $LAST hi $opt &&
		test_grep "outside the years" err.refused
	'
done

test_expect_success 'reading commands refuse times and months outside the years (exit 2)' '
	test_expect_code 2 complaint list --since 1969-12-31T00:00:00Z >out 2>err &&
	test_grep "outside the years" err &&
	test_expect_code 2 complaint list --until 1969-12-31 >out 2>err &&
	test_expect_code 2 complaint list --month 1969-12 >out 2>err &&
	test_expect_code 2 complaint score --since 1969-12-01 --until 1970-01-31 >out 2>err &&
	test_grep "outside the years" err &&
	test_expect_code 2 complaint score --month 1899-12 >out 2>err &&
	test_expect_code 2 complaint report --month 1969-12 >out 2>err &&
	test_expect_code 2 complaint report --month 2026-10 --as-of 1969-12-31T00:00:00Z >out 2>err &&
	test_grep "outside the years" err &&
	test_expect_code 2 complaint --now 1969-12-31T00:00:00Z list >out 2>err &&
	test_expect_code 2 env COMPLAINT_NOW=9999-12-31T23:59:59-18:00 complaint list >out 2>err
'

test_expect_success 'a case file with a time outside the years names file:line:col (exit 3)' '
	f=cases/1970/01/$FIRST.yaml &&
	sed -i "s/^received_at: .*/received_at: 1969-12-31T23:00:00Z/" $f &&
	git commit -q -am "received before the epoch, by hand" &&
	line=$(grep -n "^received_at:" $f | cut -d: -f1) &&
	test_expect_code 3 complaint show $FIRST >out 2>err &&
	test_grep -F "$f:$line:14: received_at" err &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "$f:$line:14:" out
'

test_expect_success 'dates in the policy calendar follow the same years' '
	sed "s/holidays: \[2026-01-01,/holidays: [1969-12-31, 2026-01-01,/" policy.yaml >p.yaml &&
	! cmp -s policy.yaml p.yaml &&
	test_expect_code 1 complaint policy check p.yaml >out 2>err &&
	test_grep "p.yaml:[0-9]*:[0-9]*: calendar.holidays" err
'

test_done
