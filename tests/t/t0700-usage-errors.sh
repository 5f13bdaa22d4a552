#!/bin/sh
# Error paths of the dispatcher, policy, score and report that other
# scripts do not reach: each exits with its documented code, says one
# line on stderr and changes nothing.
test_description='usage errors of the dispatcher, policy, score and report'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	new_store store &&
	complaint --actor 赵六 --now 2026-10-05T10:00 new --customer 甲 \
		--channel phone --category service --summary s >/dev/null
'

test_expect_success 'no command at all (exit 2, one line)' '
	test_refused 2
'

test_expect_success 'a global option without its value (exit 2)' '
	test_refused 2 --now &&
	test_refused 2 --lock-timeout abc list
'

test_expect_success 'policy: no subcommand, an unknown one, extra files (exit 2)' '
	test_refused 2 policy &&
	test_refused 2 policy frobnicate &&
	test_refused 2 policy check a.yaml b.yaml &&
	test_refused 2 policy show --format xml
'

test_expect_success 'policy check of a broken file exits 1 and names the line' '
	sed "s/^currency:.*/currency: [CNY/" policy.yaml >broken.tmp &&
	test_expect_code 1 complaint policy check broken.tmp 2>err &&
	test_error_line err &&
	test_grep "broken.tmp:[0-9]*:[0-9]*:" err
'

test_expect_success 'score: no period, both kinds, --until before --since (exit 2)' '
	test_refused 2 score &&
	test_refused 2 score --month 2026-10 --since 2026-10-01 --until 2026-10-31 &&
	test_refused 2 score --since 2026-10-31 --until 2026-10-01 &&
	test_refused 2 score --since 2026-10-01 &&
	test_refused 2 score --month 2026-13 &&
	test_refused 2 score --month 2026-10 --format xml
'

test_expect_success 'report: --month missing or malformed, unknown format (exit 2)' '
	test_refused 2 report &&
	test_refused 2 report --month October &&
	test_refused 2 report --month 2026-10 --format pdf
'

test_expect_success '--as-of before the first commit (exit 2)' '
	test_refused 2 report --month 2026-10 --as-of 2020-01-01T00:00
'

test_expect_success 'report -o into a folder that does not exist fails, writes nothing' '
	store_snapshot &&
	test_must_fail complaint --now 2026-11-01T08:00 report --month 2026-10 \
		-o no-such-dir/r.md >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_path_is_missing no-such-dir &&
	store_unchanged
'

test_expect_success 'report -o writes the file, and the same bytes as stdout' '
	complaint --now 2026-11-01T08:00 report --month 2026-10 >expect.tmp &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 -o out.md &&
	test_cmp expect.tmp out.md &&
	rm out.md
'

test_done
