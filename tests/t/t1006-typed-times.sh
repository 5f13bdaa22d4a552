#!/bin/sh
test_description='times a person types, and times shown with their offset

--at, --received and --now take 14:00 (today in the policy'"'"'s zone),
"yesterday 14:00", "today 9:30", now, -15m, -2h, -1d, as well as ISO 8601;
show, list and log name the offset of every time they print; JSON and
YAML are unchanged.  The tests run with TZ=UTC: the policy'"'"'s zone
(Asia/Shanghai) decides what "today" is.'
. "$(dirname "$0")/test-lib.sh"

# 01:30 in Shanghai: still the 21st in UTC
NOW=2026-11-22T01:30+08:00
new_store store

# at ID: the time of the case's last event
at () {
	yaml_get "$(case_path $1)" events | jq -r ".[-1].at"
}

test_expect_success '--received 0:10 is today in the policy'"'"'s zone, not UTC'"'"'s' '
	id=$(complaint --now $NOW --actor 赵六 new --customer 王 --channel phone \
		--category service --summary s --received 0:10) &&
	test "$(yaml_get $(case_path $id) received_at)" = 2026-11-22T00:10:00+08:00
'

test_expect_success '--at HH:MM, today HH:MM, -Nm, -Nh, now' '
	complaint --now $NOW --actor 赵六 note -q $id a --at 00:20 &&
	test "$(at $id)" = 2026-11-22T00:20:00+08:00 &&
	complaint --now $NOW --actor 赵六 note -q $id b --at "today 0:30" &&
	test "$(at $id)" = 2026-11-22T00:30:00+08:00 &&
	complaint --now $NOW --actor 赵六 note -q $id c --at -15m &&
	test "$(at $id)" = 2026-11-22T01:15:00+08:00 &&
	complaint --now $NOW --actor 赵六 note -q $id d --at -1h &&
	test "$(at $id)" = 2026-11-22T00:30:00+08:00 &&
	complaint --now $NOW --actor 赵六 note -q $id e --at now &&
	test "$(at $id)" = 2026-11-22T01:30:00+08:00 &&
	complaint --now $NOW --actor 赵六 note -q $id f --at 2026-11-22T01:00 &&
	test "$(at $id)" = 2026-11-22T01:00:00+08:00
'

test_expect_success '--received yesterday HH:MM and -Nd' '
	old=$(complaint --now $NOW --actor 赵六 new --customer 李 --channel phone \
		--category service --summary t --received "yesterday 23:00") &&
	test "$(yaml_get $(case_path $old) received_at)" = 2026-11-21T23:00:00+08:00 &&
	older=$(complaint --now $NOW --actor 赵六 new --customer 张 --channel phone \
		--category service --summary u --received -2d) &&
	test "$(yaml_get $(case_path $older) received_at)" = 2026-11-20T01:30:00+08:00
'

test_expect_success '--now HH:MM is today on the real clock, in the policy'"'"'s zone' '
	before=$(TZ=Asia/Shanghai date +%Y-%m-%d) &&
	n=$(complaint --now 00:05 --actor 赵六 new --customer 周 --channel phone \
		--category service --summary v) &&
	after=$(TZ=Asia/Shanghai date +%Y-%m-%d) &&
	r=$(yaml_get $(case_path $n) received_at) &&
	{ test "$r" = "${before}T00:05:00+08:00" || test "$r" = "${after}T00:05:00+08:00"; }
'

test_expect_success 'a typed time in the future, or before the case, is refused (exit 1)' '
	test_refused 1 --now $NOW --actor 赵六 note $id x --at 02:00 &&
	test_refused 1 --now $NOW --actor 赵六 note $id x --at "yesterday 12:00"
'

for t in 25:00 14:60 14:5 -5x +5m -0m yesterday "tomorrow 10:00" "14:00 +08:00" 1400; do
	test_expect_success "a malformed typed time '$t' (exit 2)" '
		test_refused 2 --now $NOW --actor 赵六 note $id x --at "$t" &&
		test_grep "expected ISO 8601 as 2026-11-22T14:05, or 14:05" err.refused
	'
done

test_expect_success 'show names the offset of every time' '
	complaint --now $NOW show $id >out &&
	test_grep "^Received    2026-11-22 00:10 +08:00 by phone" out &&
	test_grep "2026-11-22 00:20 +08:00" out &&
	! grep -E "[0-9]{2}:[0-9]{2}( |$)" out | grep -v -E "[0-9]{2}:[0-9]{2} [+-][0-9]{2}:[0-9]{2}"
'

test_expect_success 'list names the offset in RECEIVED and NEXT DEADLINE' '
	complaint --now $NOW list >out &&
	test_grep -E "^$id +new! +minor +2026-11-22 00:10 \+08:00 +- +notify 2026-11-22 00:20 \+08:00 ! +s$" out
'

test_expect_success 'log names the offset' '
	complaint log $id >out &&
	test_grep -E "^[0-9a-f]{12}  2026-11-22 01:30 \+08:00  赵六" out
'

test_expect_success 'JSON and YAML keep ISO 8601 with the offset, unchanged' '
	complaint --now $NOW show --format json $id >out &&
	test "$(jq -r .received_at out)" = 2026-11-22T00:10:00+08:00 &&
	complaint --now $NOW list --format json >out &&
	jq -r ".[].received_at" out | grep -x 2026-11-22T00:10:00+08:00 &&
	complaint show --format yaml $id >out &&
	test_cmp "$(case_path $id)" out
'

test_expect_success 'a zone with summer time shows each time with its own offset' '
	cd .. &&
	sed "s|^timezone: Asia/Shanghai|timezone: Europe/Berlin|" "$TEST_ROOT/policy/default.yaml" >berlin.yaml &&
	new_store berlin --policy "$TRASH_DIRECTORY/berlin.yaml" &&
	b=$(complaint --now 2026-03-29T14:00 --actor 赵六 new --customer 王 --channel phone \
		--category service --summary s --received 01:30) &&
	test "$(yaml_get $(case_path $b) received_at)" = 2026-03-29T01:30:00+01:00 &&
	complaint --now 2026-03-29T14:00 --actor 赵六 note -q $b x --at 04:00 &&
	complaint --now 2026-03-29T14:00 show $b >out &&
	test_grep "2026-03-29 01:30 +01:00" out &&
	test_grep "2026-03-29 04:00 +02:00" out
'

test_done
