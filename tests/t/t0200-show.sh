#!/bin/sh
test_description='show ID: human, yaml and json'
. "$(dirname "$0")/test-lib.sh"

new_store store

test_expect_success 'setup: a general case' '
	A=$(complaint --actor 客服中心/赵六 --now 2026-11-22T14:10 new \
		--customer 王先生 --contact 13800000000 --channel phone \
		--category service --summary 上菜延迟一小时 --amount 1200 \
		--received 2026-11-22T14:05 --description "第一行
第二行") &&
	test -n "$A"
'

test_expect_success 'the human form names the case, its level and deadlines' '
	complaint --now 2026-11-22T14:12 show $A >out 2>err &&
	test_must_be_empty err &&
	test_grep -F "$A" out &&
	test_grep -F 一般投诉 out &&
	test_grep -F 王先生 out &&
	test_grep -F 上菜延迟一小时 out &&
	test_grep -E "notify.*14:15" out &&
	test_grep -E "onsite.*14:25" out &&
	test_grep -E "resolve.*2026-11-23.*02:05" out &&
	test_grep -F 第二行 out
'

test_expect_success 'show does not write' '
	store_snapshot &&
	complaint --now 2026-11-22T14:12 show $A >out &&
	complaint --now 2026-11-22T14:12 show $A --format json >out &&
	complaint --now 2026-11-22T14:12 show $A --format yaml >out &&
	store_unchanged
'

test_expect_success '--format yaml prints the file byte for byte' '
	complaint show $A --format yaml >out.yaml &&
	test_cmp_bytes "cases/2026/11/$A.yaml" out.yaml &&
	git show "HEAD:cases/2026/11/$A.yaml" >expect &&
	test_cmp_bytes expect out.yaml
'

test_expect_success '--format json is valid JSON with the case fields' '
	complaint --now 2026-11-22T14:12 show $A --format json >out.json &&
	jq -e "type == \"object\"" out.json &&
	jq -e ".id == \"$A\" and .status == \"new\" and .severity == \"general\"" out.json &&
	jq -e ".received_at == \"2026-11-22T14:05:00+08:00\"" out.json &&
	jq -e ".deadlines == {\"notify\": \"2026-11-22T14:15:00+08:00\", \"onsite\": \"2026-11-22T14:25:00+08:00\", \"resolve\": \"2026-11-23T02:05:00+08:00\"}" out.json &&
	jq -e ".events | length == 1" out.json &&
	jq -e ".events[0] | .action == \"new\" and .by == \"客服中心/赵六\" and .at == \"2026-11-22T14:05:00+08:00\"" out.json &&
	jq -e ".channel == \"phone\" and .category == \"service\" and .kind == \"complaint\"" out.json &&
	jq -e ".amount == 1200" out.json &&
	jq -e ".description == \"第一行\\n第二行\"" out.json
'

test_expect_success 'the JSON fields come in the order of the case file' '
	jq -r "keys_unsorted[]" out.json >keys.tmp &&
	for k in id status severity received_at channel kind category customer summary deadlines events; do
		grep -n "^$k\$" keys.tmp || { echo "missing $k" >&2; return 1; }
	done >actual.tmp &&
	cut -d: -f1 actual.tmp >lines.tmp &&
	sort -n lines.tmp >sorted.tmp &&
	test_cmp sorted.tmp lines.tmp
'

test_expect_success 'show finds the store from a subdirectory, -C and COMPLAINT_DIR' '
	(cd cases/2026 && complaint show $A --format yaml) >out.yaml &&
	test_cmp_bytes "cases/2026/11/$A.yaml" out.yaml &&
	(cd .. && complaint -C store show $A --format yaml) >out.yaml &&
	test_cmp_bytes "cases/2026/11/$A.yaml" out.yaml &&
	(cd .. && env COMPLAINT_DIR="$TRASH_DIRECTORY/store" complaint show $A --format yaml) >out.yaml &&
	test_cmp_bytes "cases/2026/11/$A.yaml" out.yaml
'

for id in ../x a/b -x 'C-20261122-ABCDEFGHIJKLMNOPQRSTUV' x ab '' . .. \
	'C_20261122' 'C-2026 1122' '../../policy' '/etc/passwd' 'cases/2026/11/x' \
	'C-20261122-ÄBC' '-C-20261122-ABC'
do
	test_expect_success "a malformed ID '$id' (exit 2)" '
		store_snapshot &&
		test_expect_code 2 complaint show "$id" >out 2>err &&
		test_must_be_empty out &&
		test_grep "^complaint: " err &&
		store_unchanged
	'
done

test_expect_success 'the 33-character ID is one too long; 32 is fine but unknown' '
	id32=C-20261122-ABCDEFGHIJKLMNOPQRSTU &&
	test ${#id32} = 32 &&
	test_expect_code 2 complaint show ${id32}U >out 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint show $id32 >out 2>err &&
	test_error_line err
'

test_expect_success 'an unknown ID (exit 2)' '
	test_expect_code 2 complaint show C-20261122-ZZZZZZZZ >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep -F C-20261122-ZZZZZZZZ err
'

test_expect_success 'no ID, two IDs, an unknown format (exit 2)' '
	test_expect_code 2 complaint show >out 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint show $A $A >out 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint show $A --format xml >out 2>err &&
	test_error_line err &&
	test_must_be_empty out
'

test_expect_success 'show outside a store (exit 2)' '
	(cd .. && test_expect_code 2 complaint show $A >out 2>err &&
	 test_error_line err)
'

test_expect_success 'a case file broken by hand: exit 3 naming file:line:column' '
	B=$(complaint --now 2026-11-22T15:00 new --customer c --channel phone \
		--category service --summary 另一个) &&
	f=$(case_path $B) &&
	sed "s/^summary: .*/summary: [broken/" "$f" >"$f.tmp" &&
	mv "$f.tmp" "$f" &&
	test_expect_code 3 complaint show $B >out 2>err &&
	test_error_line err &&
	test_grep -E "$B.yaml:[0-9]+:[0-9]+" err &&
	complaint show $A --format json >out.json &&
	git checkout -- "$f"
'

test_expect_success 'a case file with an alias or a duplicate key: exit 3' '
	f=$(case_path $B) &&
	sed "s/^summary: \(.*\)/summary: \&s \1\ndescription: *s/" "$f" >"$f.tmp" &&
	mv "$f.tmp" "$f" &&
	test_expect_code 3 complaint show $B --format json >out 2>err &&
	test_error_line err &&
	test_grep -E "$B.yaml:[0-9]+:[0-9]+" err &&
	git checkout -- "$f" &&
	sed "s/^\(summary: .*\)/\1\n\1/" "$f" >"$f.tmp" &&
	mv "$f.tmp" "$f" &&
	test_expect_code 3 complaint show $B --format json >out 2>err &&
	test_error_line err &&
	test_grep -E "$B.yaml:[0-9]+:[0-9]+" err &&
	git checkout -- "$f" &&
	complaint show $B --format json >out.json
'

test_expect_success 'the store is clean' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_done
