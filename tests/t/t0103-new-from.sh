#!/bin/sh
test_description='new --from FILE|-: a case from a YAML form'
. "$(dirname "$0")/test-lib.sh"

new_store store

NOW=2026-11-24T10:00

# field ID JQ: a field of the case, from show --format json
field () {
	complaint show "$1" --format json | jq -r "$2"
}

test_expect_success 'new --from FILE' '
	cat >form.yaml <<-\EOF &&
	customer: {name: 李女士, contact: "13900000000"}
	channel: online
	category: product
	summary: 酒瓶破损
	description: |
	  收到时瓶身有裂缝。
	  要求退换。
	amount: 15000
	received_at: 2026-11-23T08:30:00+08:00
	EOF
	complaint --now $NOW new --from form.yaml >out 2>err &&
	test_must_be_empty err &&
	test_line_count = 1 out &&
	A=$(cat out) &&
	grep -E "^C-20261123-[0-9A-Z]{8}\$" out &&
	complaint show $A --format json >out.json &&
	jq -e ".customer == {\"name\": \"李女士\", \"contact\": \"13900000000\"}" out.json &&
	jq -e ".channel == \"online\" and .category == \"product\" and .kind == \"complaint\"" out.json &&
	jq -e ".summary == \"酒瓶破损\" and .amount == 15000 and .severity == \"major\"" out.json &&
	jq -e ".received_at == \"2026-11-23T08:30:00+08:00\"" out.json &&
	jq -j .description out.json >actual &&
	printf "收到时瓶身有裂缝。\n要求退换。\n" >expect &&
	test_cmp_bytes expect actual &&
	git log -1 --format=%s >actual &&
	echo "new $A: 酒瓶破损" >expect &&
	test_cmp expect actual &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'new --from - reads the form from standard input' '
	B=$(complaint --now $NOW new --from - <form.yaml) &&
	test "$(field $B .summary)" = 酒瓶破损 &&
	test "$(field $B .received_at)" = 2026-11-23T08:30:00+08:00 &&
	test "$(field $B .customer.contact)" = 13900000000
'

test_expect_success 'options win over the form' '
	C=$(complaint --now $NOW new --from form.yaml --summary 新摘要 \
		--channel phone --amount 500 --customer 王先生) &&
	complaint show $C --format json >out.json &&
	jq -e ".summary == \"新摘要\" and .channel == \"phone\"" out.json &&
	jq -e ".amount == 500 and .severity == \"minor\"" out.json &&
	jq -e ".customer.name == \"王先生\" and .category == \"product\"" out.json &&
	D=$(complaint --now $NOW new --from - --received 2026-11-24T09:00 <form.yaml) &&
	test "$(field $D .received_at)" = 2026-11-24T09:00:00+08:00
'

test_expect_success 'a form with flags, scope, kind and a plain customer name' '
	cat >form2.yaml <<-\EOF &&
	customer: 张三
	contact: "0123"
	channel: letter
	kind: unfounded
	category: transport
	summary: "yes"
	scope: several
	flags: [safety]
	received: 2026-11-24T09:30
	EOF
	E=$(complaint --now $NOW new --from form2.yaml) &&
	complaint show $E --format json >out.json &&
	jq -e ".customer == {\"name\": \"张三\", \"contact\": \"0123\"}" out.json &&
	jq -e ".kind == \"unfounded\" and .scope == \"several\" and .flags == [\"safety\"]" out.json &&
	jq -e ".summary == \"yes\" and .severity == \"critical\"" out.json &&
	jq -e ".received_at == \"2026-11-24T09:30:00+08:00\"" out.json &&
	F=$(complaint --now $NOW new --from form2.yaml --flag regulator) &&
	test "$(field $F ".flags | join(\",\")")" = regulator
'

test_expect_success 'a form with --severity and --reason as keys' '
	cat >form3.yaml <<-\EOF &&
	customer: c
	channel: phone
	category: service
	summary: s
	severity: major
	reason: 媒体已关注
	EOF
	G=$(complaint --now $NOW new --from form3.yaml) &&
	test "$(field $G .severity)" = major
'

test_expect_success 'hostile text in a form survives' '
	printf "customer: {name: \"  王 先生 \", contact: \"0123\"}\nchannel: phone\ncategory: other\nsummary: \"- a: b # c\\\\t\"\ndescription: \"line1\\\\r\\\\nline2\\\\n\"\n" >form4.yaml &&
	H=$(complaint --now $NOW new --from form4.yaml) &&
	complaint show $H --format json >out.json &&
	jq -j .customer.name out.json >actual &&
	printf "  王 先生 " >expect &&
	test_cmp_bytes expect actual &&
	jq -j .summary out.json >actual &&
	printf -- "- a: b # c\t" >expect &&
	test_cmp_bytes expect actual &&
	jq -j .description out.json >actual &&
	printf "line1\r\nline2\n" >expect &&
	test_cmp_bytes expect actual
'

# form_refused CODE NAME: new --from NAME is refused with CODE, writes nothing;
# for exit 3 the message names NAME:line:column
form_refused () {
	test_refused "$1" --now $NOW new --from "$2" &&
	if test "$1" = 3; then
		test_grep -E "$2:[0-9]+:[0-9]+" err.refused
	fi
}

test_expect_success 'an unknown key is refused (exit 3)' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: s\npriority: high\n" >form-unknown.yaml &&
	form_refused 3 form-unknown.yaml &&
	test_grep priority err.refused
'

test_expect_success 'an unknown key of customer is refused (exit 3)' '
	printf "customer: {name: c, phone: 1}\nchannel: phone\ncategory: service\nsummary: s\n" >form-unknown2.yaml &&
	form_refused 3 form-unknown2.yaml
'

test_expect_success 'an alias is refused (exit 3)' '
	printf "customer: &c 王\nchannel: phone\ncategory: service\nsummary: *c\n" >form-alias.yaml &&
	form_refused 3 form-alias.yaml
'

test_expect_success 'an anchor alone is refused (exit 3)' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: &s s\n" >form-anchor.yaml &&
	form_refused 3 form-anchor.yaml
'

test_expect_success 'a merge key with an alias is refused (exit 3)' '
	printf "base: &b {channel: phone}\n<<: *b\ncustomer: c\ncategory: service\nsummary: s\n" >form-merge.yaml &&
	form_refused 3 form-merge.yaml
'

test_expect_success 'a duplicate key is refused (exit 3)' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: s\nsummary: t\n" >form-dup.yaml &&
	form_refused 3 form-dup.yaml
'

test_expect_success 'a value of the wrong type is refused (exit 3)' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: [a, b]\n" >form-type.yaml &&
	form_refused 3 form-type.yaml &&
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: s\nflags: safety\n" >form-type2.yaml &&
	form_refused 3 form-type2.yaml &&
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: s\namount: {a: 1}\n" >form-type3.yaml &&
	form_refused 3 form-type3.yaml
'

test_expect_success 'a YAML syntax error is refused (exit 3) naming the line' '
	printf "customer: c\nchannel: phone\ncategory: [service\nsummary: s\n" >form-syntax.yaml &&
	form_refused 3 form-syntax.yaml
'

test_expect_success 'a form that is not a mapping is refused (exit 3)' '
	printf -- "- customer\n- c\n" >form-list.yaml &&
	form_refused 3 form-list.yaml &&
	printf "just text\n" >form-scalar.yaml &&
	form_refused 3 form-scalar.yaml
'

test_expect_success 'several documents are refused' '
	printf -- "---\ncustomer: c\nchannel: phone\ncategory: service\nsummary: s\n---\nsummary: t\n" >form-docs.yaml &&
	store_snapshot &&
	test_must_fail complaint --now $NOW new --from form-docs.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged
'

test_expect_success 'invalid UTF-8 and NUL in a form are refused' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: \377\376\n" >form-utf8.yaml &&
	store_snapshot &&
	test_must_fail complaint --now $NOW new --from form-utf8.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged &&
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: a\000b\n" >form-nul.yaml &&
	test_must_fail complaint --now $NOW new --from form-nul.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged
'

test_expect_success 'an unknown channel in a form is refused (exit 2)' '
	printf "customer: c\nchannel: fax\ncategory: service\nsummary: s\n" >form-chan.yaml &&
	test_refused 2 --now $NOW new --from form-chan.yaml
'

test_expect_success 'a form missing a required field is refused (exit 2)' '
	printf "customer: c\nchannel: phone\ncategory: service\n" >form-short.yaml &&
	test_refused 2 --now $NOW new --from form-short.yaml &&
	id=$(complaint --now $NOW new --from form-short.yaml --summary 补上) &&
	test "$(field $id .summary)" = 补上
'

test_expect_success 'a form received in the future is refused (exit 1)' '
	printf "customer: c\nchannel: phone\ncategory: service\nsummary: s\nreceived_at: 2026-11-25T10:00\n" >form-future.yaml &&
	test_refused 1 --now $NOW new --from form-future.yaml
'

test_expect_success 'a missing form file is refused' '
	store_snapshot &&
	test_must_fail complaint --now $NOW new --from no-such-form.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged
'

test_expect_success '--from - and --description - together are refused (exit 2)' '
	store_snapshot &&
	test_expect_code 2 complaint --now $NOW new --from - --description - <form.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged
'

test_expect_success 'a refused form from standard input writes nothing (exit 3)' '
	store_snapshot &&
	test_expect_code 3 complaint --now $NOW new --from - <form-alias.yaml >out 2>err &&
	test_error_line err &&
	store_unchanged
'

test_expect_success 'the store is clean' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out
'

test_done
