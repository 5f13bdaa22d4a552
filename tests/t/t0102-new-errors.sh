#!/bin/sh
test_description='new refuses bad input with the documented exit code, one error line, nothing written'
. "$(dirname "$0")/test-lib.sh"

new_store store

# new_refused CODE [global options --] new-options...: "new" with a valid
# case plus these options is refused
NOW=2026-11-22T15:00
new_refused () {
	code=$1
	shift
	test_refused "$code" --now $NOW new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 "$@"
}

test_expect_success 'a valid new works (the base of the cases below)' '
	complaint --now $NOW new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 >out &&
	test_line_count = 1 out
'

for args in '--channel fax' '--channel PHONE' '--category food' '--kind praise' \
	'--scope global' '--scope Several' '--flag fire' '--flag safety --flag fire'
do
	test_expect_success "unknown value: $args (exit 2)" "
		new_refused 2 $args
	"
done

for amount in -5 -0.01 abc 12abc '' 1,000 '¥100'; do
	test_expect_success "a bad amount '$amount' (exit 2)" '
		new_refused 2 --amount "$amount"
	'
done

test_expect_success 'missing --customer (exit 2)' '
	test_refused 2 --now $NOW new --channel phone --category service --summary s
'

test_expect_success 'missing --channel (exit 2)' '
	test_refused 2 --now $NOW new --customer c --category service --summary s
'

test_expect_success 'missing --category (exit 2)' '
	test_refused 2 --now $NOW new --customer c --channel phone --summary s
'

test_expect_success 'missing --summary (exit 2)' '
	test_refused 2 --now $NOW new --customer c --channel phone --category service
'

test_expect_success 'no options at all (exit 2)' '
	test_refused 2 --now $NOW new
'

test_expect_success 'received after now: the rules refuse it (exit 1)' '
	new_refused 1 --received 2026-11-22T15:01 &&
	new_refused 1 --received 2026-11-23 &&
	new_refused 1 --received 2026-11-22T07:01:00Z
'

test_expect_success '--severity without --reason (exit 2)' '
	new_refused 2 --severity major
'

test_expect_success '--severity with an unknown level (exit 2)' '
	new_refused 2 --severity huge --reason "some reason" &&
	new_refused 2 --severity 一般投诉 --reason "by name, not id"
'

for t in yesterday 2026-13-01T00:00 2026-11-31T10:00 2026-02-29T10:00 \
	'2026-11-22T25:00' '2026-11-22T15:00+25:00' 22/11/2026 '' '2026-11-22T15:00 trailing'
do
	test_expect_success "a malformed --received '$t' (exit 2)" '
		new_refused 2 --received "$t"
	'
done

# 'now' and '14:00' are times a person types (cp_time_parse_at); these are not
for t in tomorrow 2026-02-30T10:00 '2026-11-22T15:61' '25:00' '-5x' 'yesterday' '-0m'; do
	test_expect_success "a malformed --now '$t' (exit 2)" '
		test_refused 2 --now "$t" new --customer c --channel phone \
			--category service --summary s
	'
done

test_expect_success 'a malformed COMPLAINT_NOW (exit 2)' '
	store_snapshot &&
	test_expect_code 2 env COMPLAINT_NOW=soon complaint new --customer c \
		--channel phone --category service --summary s >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	store_unchanged
'

test_expect_success 'an unknown option of new (exit 2)' '
	new_refused 2 --bogus &&
	new_refused 2 --bogus=1 &&
	new_refused 2 -z
'

test_expect_success 'an option without its value (exit 2)' '
	test_refused 2 --now $NOW new --customer c --channel phone \
		--category service --summary
'

test_expect_success 'a stray argument (exit 2)' '
	new_refused 2 extra
'

test_expect_success 'an unknown global option (exit 2)' '
	test_refused 2 --bogus new --customer c --channel phone \
		--category service --summary s
'

test_expect_success 'an unknown command (exit 2)' '
	test_refused 2 frobnicate &&
	test_refused 2 --now $NOW News --customer c
'

test_expect_success 'not in a store (exit 2)' '
	mkdir ../elsewhere &&
	(cd ../elsewhere &&
	 test_expect_code 2 complaint --now $NOW new --customer c --channel phone \
		--category service --summary s >out 2>err &&
	 test_must_be_empty out &&
	 test_error_line err) &&
	ls -A ../elsewhere >out &&
	printf "%s\n" err out >expect &&
	test_cmp expect out
'

test_expect_success '-C a directory that is not a store (exit 2)' '
	test_expect_code 2 complaint -C ../elsewhere --now $NOW new --customer c \
		--channel phone --category service --summary s >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_expect_code 2 complaint -C ../no-such-dir --now $NOW new --customer c \
		--channel phone --category service --summary s >out 2>err &&
	test_error_line err
'

test_expect_success 'after all the refusals: one case, a clean store' '
	test "$(git rev-list --count HEAD)" = 2 &&
	find cases -type f >out &&
	test_line_count = 1 out &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	test_path_is_missing .git/index.lock
'

test_done
