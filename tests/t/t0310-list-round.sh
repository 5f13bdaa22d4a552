#!/bin/sh
test_description='list: the monthly round (--resolved-in, --closed-in, --callback-due, --missed, --responsible) and --sort'
. "$(dirname "$0")/test-lib.sh"

new_store store

NOW=2026-11-05T12:00

at () {
	at_t_=$1
	shift
	complaint --now "$at_t_" "$@"
}

# listed EXPECTED-NAMES OPTIONS...: list --format json with OPTIONS gives
# exactly the cases named, in any order
listed () {
	want_=$1
	shift
	for n_ in $want_; do
		eval "echo \$$n_"
	done | sort >expect.ids &&
	at $NOW list --format json "$@" >out.json 2>err.tmp &&
	test_must_be_empty err.tmp &&
	jq -r ".[].id" out.json | sort >actual.ids &&
	if ! test_cmp expect.ids actual.ids; then
		echo "list $*: wanted $want_" >&2
		return 1
	fi
}

# in_order EXPECTED-NAMES OPTIONS...: list --format json with OPTIONS gives
# exactly the cases named, in that order
in_order () {
	want_=$1
	shift
	for n_ in $want_; do
		eval "echo \$$n_"
	done >expect.ids &&
	at $NOW list --format json "$@" >out.json &&
	jq -r ".[].id" out.json >actual.ids &&
	test_cmp expect.ids actual.ids
}

test_expect_success 'setup: a month of cases at every step' '
	# A: received in September, resolved late in October, called back, closed
	A=$(at 2026-09-28T10:00 new --customer 甲 --channel phone --category product \
		--summary 酒有异味) &&
	at 2026-09-28T10:05 assign $A --department 餐饮部 --responsible 张三 &&
	at 2026-10-02T09:00 resolve $A --text 已退换 &&
	at 2026-10-03T09:00 callback $A --satisfied &&
	at 2026-10-05T09:00 close $A &&
	# B: resolved in time, never called back
	B=$(at 2026-10-05T10:00 new --customer 乙 --channel phone --category service \
		--summary 上菜慢) &&
	at 2026-10-05T10:02 assign $B --department 餐饮部 --responsible "张三 " &&
	at 2026-10-05T10:05 notify $B &&
	at 2026-10-05T10:10 onsite $B &&
	at 2026-10-05T11:00 resolve $B --text 致歉 &&
	# C: resolved, called back, reopened and resolved again in November
	C=$(at 2026-10-06T10:00 new --customer 丙 --channel email --category service \
		--summary 房间脏) &&
	at 2026-10-06T10:02 assign $C --department 客房部 --responsible 李四 &&
	at 2026-10-06T10:05 notify $C &&
	at 2026-10-06T10:10 onsite $C &&
	at 2026-10-06T11:00 resolve $C --text 已打扫 &&
	at 2026-10-07T09:00 callback $C --unsatisfied &&
	at 2026-10-07T09:30 reopen $C --reason 客户不满意 &&
	at 2026-11-01T09:00 resolve $C --text 换房 &&
	# D: open and overdue since October
	D=$(at 2026-10-07T10:00 new --customer 丁 --channel letter --category other \
		--summary 无人处理) &&
	# F: closed in October without a callback
	F=$(at 2026-10-08T10:00 new --customer 戊 --channel phone --category service \
		--summary 等位久) &&
	at 2026-10-08T10:02 assign $F --department 客房部 &&
	at 2026-10-08T10:05 notify $F &&
	at 2026-10-08T10:10 onsite $F &&
	at 2026-10-08T11:00 resolve $F --text ok &&
	at 2026-10-31T23:59:59 close $F &&
	# E: just received, nothing due yet
	E=$(at 2026-11-05T11:58 new --customer 己 --channel phone --category service \
		--summary 刚收到)
'

test_expect_success '--resolved-in: a resolve dated in the month (any round)' '
	listed "A B C F" --resolved-in 2026-10 &&
	listed "C" --resolved-in 2026-11 &&
	listed "" --resolved-in 2026-09
'

test_expect_success '--closed-in: a close dated in the month, to its last second' '
	listed "A F" --closed-in 2026-10 &&
	listed "" --closed-in 2026-11
'

test_expect_success '--callback-due: resolved or closed, no callback since the last resolve' '
	listed "B C F" --callback-due &&
	listed "B C" --callback-due --status resolved &&
	listed "F" --callback-due --resolved-in 2026-10 --closed-in 2026-10
'

test_expect_success '--callback-due with --resolved-in: the month'\''s round of callbacks' '
	listed "B C F" --callback-due --resolved-in 2026-10 &&
	listed "C" --callback-due --resolved-in 2026-11
'

test_expect_success '--missed: a deadline missed, open or not (C: its second round of resolve, after the reopen, SPEC section 9); --overdue only open ones' '
	listed "A C D" --missed &&
	listed "D" --overdue &&
	listed "A" --missed --status closed
'

test_expect_success '--responsible: the name in its normal form' '
	listed "A B" --responsible 张三 &&
	listed "A B" --responsible " 张三" &&
	listed "A B C" --responsible 张三,李四 &&
	listed "C" --responsible 李四 --resolved-in 2026-11 &&
	listed "" --responsible 王五
'

test_expect_success '--responsible refuses a name with invisible characters' '
	test_expect_code 2 complaint --now $NOW list --responsible "张$(printf "\342\200\213")三" 2>err &&
	test_error_line err
'

test_expect_success '--resolved-in and --closed-in take a month and nothing else' '
	test_expect_code 2 complaint --now $NOW list --resolved-in 2026-13 2>err &&
	test_error_line err &&
	test_grep -e "--resolved-in" err &&
	test_expect_code 2 complaint --now $NOW list --closed-in 2026-10-01 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint --now $NOW list --sort severity 2>err &&
	test_error_line err &&
	test_grep "received, deadline or id" err
'

test_expect_success 'setup: eight cases received the same day, two in the same second' '
	for t in 08:00 09:10 10:20 11:30 12:40 13:50 15:00; do
		at 2026-09-15T$t new --customer 某 --channel phone --category other \
			--summary "same day $t" >/dev/null || return 1
	done &&
	at 2026-09-15T15:00 new --customer 某 --channel phone --category other \
		--summary "same day 15:00 again" >/dev/null
'

test_expect_success 'the default order is received, oldest first; a second ties by ID' '
	at $NOW list --format json --month 2026-09 >out.json &&
	jq -r ".[] | [.received_at, .id] | @tsv" out.json >actual &&
	LC_ALL=C sort actual >expect &&
	test_cmp expect actual &&
	test_line_count = 9 actual &&
	jq -r ".[].summary" out.json >actual &&
	test "$(head -n 1 actual)" = "same day 08:00" &&
	test "$(tail -n 1 actual)" = 酒有异味
'

test_expect_success 'the same order in every format' '
	at $NOW list --format json >out.json &&
	jq -r ".[].id" out.json >expect &&
	test_line_count = 14 expect &&
	at $NOW list --format tsv | tail -n +2 | cut -f 1 >actual &&
	test_cmp expect actual &&
	at $NOW list --format csv | tail -n +2 | cut -d , -f 1 >actual &&
	test_cmp expect actual &&
	at $NOW list | tail -n +2 | cut -d " " -f 1 >actual &&
	test_cmp expect actual &&
	jq -r ".[].received_at" out.json >times &&
	LC_ALL=C sort -c times
'

test_expect_success 'received order holds across month folders' '
	in_order "A B C D F E" --category product,service,other --since 2026-09-20
'

test_expect_success '--sort id' '
	at $NOW list --format json --sort id >out.json &&
	jq -r ".[].id" out.json >actual &&
	LC_ALL=C sort actual >expect &&
	test_cmp expect actual &&
	at $NOW list --sort id --format tsv | tail -n +2 | cut -f 1 >actual &&
	test_cmp expect actual
'

test_expect_success '--sort deadline: the next deadline first, cases with none last' '
	at $NOW list --format json --sort deadline >out.json &&
	jq -r ".[] | select(.next_deadline != null) | .next_deadline.at" out.json >actual &&
	test_line_count -gt 2 actual &&
	sort actual >expect &&
	test_cmp expect actual &&
	jq -r "[.[] | .next_deadline == null] | tostring" out.json >actual &&
	jq -r "[.[] | .next_deadline == null] | sort | tostring" out.json >expect &&
	test_cmp expect actual &&
	jq -r ".[0].summary" out.json >actual &&
	echo "same day 08:00" >expect &&
	test_cmp expect actual &&
	jq -r "[.[] | select(.next_deadline == null) | .received_at] | . == sort" out.json >actual &&
	echo true >expect &&
	test_cmp expect actual
'

test_expect_success 'JSON rows keep their keys' '
	at $NOW list --format json --callback-due >out.json &&
	jq -e "all(.[]; keys == [\"amount\",\"category\",\"channel\",\"customer\",\"department\",\"fields\",\"held\",\"id\",\"kind\",\"measures_open\",\"measures_overdue\",\"next_deadline\",\"overdue\",\"received_at\",\"refs\",\"responsible\",\"severity\",\"status\",\"summary\"])" out.json
'

test_expect_success 'list does not write' '
	store_snapshot &&
	at $NOW list --callback-due --missed --sort deadline >out &&
	at $NOW list --closed-in 2026-10 --format json >out &&
	store_unchanged
'

test_done
