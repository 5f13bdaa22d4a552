#!/bin/sh
test_description='fields of the policy'"'"'s own form (SPEC section 10)

The policy'"'"'s fields: (seed 000 Table 2) are held under fields: in the
case file, in the policy'"'"'s order; new --field and new --from set them,
set --field ID=VALUE --reason changes them as one set event per field
(old and new value kept) in one commit; required_at is enforced at new,
resolve and close; every type is checked with the field'"'"'s name in the
error; a field removed from the policy keeps reading and check names it;
list --field filters; PyYAML reads every value back as written.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
CLERK=客服中心/赵六

new_store store

test_expect_success 'a policy with fields (in place of the default'"'"'s)' '
	python3 -c "import re; s = open(\"policy.yaml\").read(); open(\"policy.yaml\", \"w\").write(re.sub(r\"^fields:.*?(?=^\\S|\\Z)\", \"\", s, flags=re.S | re.M))" &&
	! grep -q "^fields:" policy.yaml &&
	cat >>policy.yaml <<-\EOF &&
	fields:
	  - {id: place, name: 事发地点, type: text}
	  - {id: demand, name: 客户诉求, type: text, required_at: resolve}
	  - {id: visit, name: 就餐日期, type: date}
	  - {id: covers, name: 人数, type: number}
	  - {id: source, name: 来源, type: choice, choices: [门店, 热线, 经销商]}
	  - {id: staff, name: 涉及员工}
	EOF
	git commit -qam "policy: fields" &&
	complaint policy check policy.yaml
'

mk () {
	complaint --actor $CLERK --now $NOW new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received 2026-11-22T14:05 "$@"
}

test_expect_success 'new --field: kept in the policy'"'"'s order, read back by PyYAML as written' '
	ID=$(mk --field source=热线 --field covers=12 --field "place=餐厅二楼: 靠窗 #3" \
		--field visit=2026-11-21 --field staff=yes) &&
	f=$(case_path $ID) &&
	yaml_get $f fields >actual &&
	echo "{\"place\": \"餐厅二楼: 靠窗 #3\", \"visit\": \"2026-11-21\", \"covers\": \"12\", \"source\": \"热线\", \"staff\": \"yes\"}" >expect &&
	test_cmp expect actual &&
	python3 -c "import yaml,sys; d=yaml.safe_load(open(sys.argv[1])); assert d[\"fields\"][\"covers\"] == \"12\" and d[\"fields\"][\"staff\"] == \"yes\", d[\"fields\"]" $f &&
	complaint --now $NOW show $ID --format json | jq -r ".fields.place" >actual &&
	echo "餐厅二楼: 靠窗 #3" >expect &&
	test_cmp expect actual &&
	complaint --now $NOW show $ID >out &&
	test_grep "事发地点: 餐厅二楼" out &&
	complaint check
'

test_expect_success 'new with a bad field: refused with the field named, nothing written' '
	store_snapshot &&
	test_expect_code 2 mk --field covers=十二 2>err &&
	test_grep "field .covers. (人数) is a number" err &&
	test_expect_code 2 mk --field visit=2026-13-01 2>err &&
	test_grep "field .visit. (就餐日期) is a date" err &&
	test_expect_code 2 mk --field source=网上 2>err &&
	test_grep "field .source. (来源): .网上. is not one of its choices (门店, 热线, 经销商)" err &&
	test_expect_code 2 mk --field nope=1 2>err &&
	test_grep "unknown field .nope." err &&
	test_expect_code 2 mk --field place= 2>err &&
	test_grep "field .place. (事发地点): the value is empty" err &&
	test_expect_code 2 mk --field place 2>err &&
	test_grep "ID=VALUE" err &&
	store_unchanged
'

test_expect_success 'new --from: fields from the form, --field wins' '
	cat >form.yaml <<-\EOF &&
	customer: 李女士
	channel: phone
	category: service
	summary: 菜凉了
	fields: {place: 大厅, covers: 4}
	EOF
	ID2=$(complaint --actor $CLERK --now $NOW new --from form.yaml --field covers=5) &&
	yaml_get $(case_path $ID2) fields >actual &&
	echo "{\"place\": \"大厅\", \"covers\": \"5\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'set: one event per field, old and new value, one commit' '
	before=$(git rev-parse HEAD) &&
	complaint --actor $CLERK --now $NOW set $ID --field covers=10 --field demand=退款 \
		--reason 客户更正 >out &&
	test_grep "^set demand of $ID to 退款 \[" out &&
	test "$(git rev-parse HEAD^)" = "$before" &&
	f=$(case_path $ID) &&
	yaml_get $f events >ev &&
	jq -c "[.[] | select(.action == \"set\") | [.field, .old, .value, .reason]]" ev >actual &&
	echo "[[\"covers\",\"12\",\"10\",\"客户更正\"],[\"demand\",null,\"退款\",\"客户更正\"]]" >expect &&
	test_cmp expect actual &&
	yaml_get $f fields covers >actual &&
	echo 10 >expect &&
	test_cmp expect actual &&
	complaint --now $NOW show $ID >out &&
	test_grep "set covers from 12 to 10; reason: 客户更正" out &&
	complaint --now $NOW log $ID >out &&
	test_grep "^    set $ID: 客户更正" out &&
	test_grep "action: set, field: covers, old: \"12\", value: \"10\", reason: 客户更正}" out &&
	complaint check
'

test_expect_success 'set refusals: unknown field, wrong type, no reason, the same value; nothing written' '
	test_refused 2 --now $NOW set $ID --field nope=1 --reason r &&
	test_grep "unknown field .nope. (the policy.s fields: place, demand, visit, covers, source, staff)" err.refused &&
	test_refused 2 --now $NOW set $ID --field covers=many --reason r &&
	test_grep "covers" err.refused &&
	test_refused 2 --now $NOW set $ID --field covers=11 &&
	test_refused 2 --now $NOW set $ID --field covers=11 --field covers=12 --reason r &&
	test_refused 1 --now $NOW set $ID --field covers=10 --reason r &&
	test_grep "already .10." err.refused &&
	test_refused 2 --now $NOW set $ID --field covers=11 --field visit=never --reason r &&
	test_refused 2 --now $NOW set C-20261122-NOSUCH00 --field covers=11 --reason r &&
	test_grep "no case .C-20261122-NOSUCH00." err.refused
'

test_expect_success 'required_at resolve: refused until the field is set' '
	ID3=$(mk) &&
	complaint --actor $CLERK --now $NOW assign $ID3 --department 餐饮部 >/dev/null &&
	test_refused 1 --actor 李四 --now $NOW resolve $ID3 --text 已处理 &&
	test_grep "requires the field demand (客户诉求) before resolve" err.refused &&
	complaint --actor $CLERK --now $NOW set $ID3 --field demand=道歉 --reason 补录 >/dev/null &&
	complaint --actor 李四 --now $NOW resolve $ID3 --text 已处理 >/dev/null
'

test_expect_success 'required_at new: refused without it' '
	sed -i "s/type: text, required_at: resolve/type: text, required_at: new/" policy.yaml &&
	git commit -qam "policy: demand at new" &&
	test_refused 1 --actor $CLERK --now $NOW new --customer 王 --channel phone \
		--category service --summary s &&
	test_grep "demand (客户诉求) before new" err.refused &&
	ID4=$(mk --field demand=换菜) &&
	test -n "$ID4"
'

test_expect_success 'list --field K=V filters; JSON rows carry the fields' '
	complaint --now $NOW list --field covers=10 --format json >out &&
	jq -r ".[].id" out >actual &&
	echo $ID >expect &&
	test_cmp expect actual &&
	jq -r ".[0].fields.source" out >actual &&
	echo 热线 >expect &&
	test_cmp expect actual &&
	complaint --now $NOW list --field place=大厅 --field covers=5 --format tsv >out &&
	test_line_count = 2 out &&
	test_grep "	菜凉了	" out &&
	complaint --now $NOW list --field place=nowhere >out &&
	! grep -q "^C-" out &&
	test_expect_code 2 complaint --now $NOW list --field place
'

test_expect_success 'a field removed from the policy keeps reading; check names it' '
	sed -i "/id: staff/d" policy.yaml &&
	git commit -qam "policy: no staff" &&
	complaint --now $NOW show $ID >out &&
	test_grep "staff: yes (not in the policy)" out &&
	complaint check >out 2>&1 &&
	test_grep "field .staff. is not in the policy" out &&
	complaint --actor $CLERK --now $NOW note $ID 还在 >/dev/null &&
	yaml_get $(case_path $ID) fields staff >actual &&
	echo yes >expect &&
	test_cmp expect actual &&
	test_refused 2 --now $NOW set $ID --field staff=no --reason r
'

test_expect_success 'check: a field that disagrees with its last set event is named' '
	f=$(case_path $ID) &&
	sed -i "s/^  covers: \"10\"/  covers: \"11\"/" $f &&
	git commit -qam "hand edit" &&
	test_expect_code 1 complaint check >out 2>&1 &&
	test_grep "field covers: file says .11., its last set event says .10." out &&
	git reset -q --hard HEAD^
'

test_expect_success 'verify: set commits pass its replay; a field changed by hand without a set is named' '
	complaint verify --format json >out || test $? = 1 &&
	python3 -c "
import json, sys
d = json.load(open(\"out\"))
p = [f[\"problem\"] for f in d[\"findings\"] if f[\"where\"] == \"$ID\" and \"is dated\" not in f[\"problem\"]]
assert not p, p
" &&
	f=$(case_path $ID) &&
	sed -i "s/^  place: .*/  place: 餐厅一楼/" $f &&
	git commit -qam "hand edit" &&
	test_expect_code 1 complaint verify --format json >out &&
	python3 -c "
import json, sys
d = json.load(open(\"out\"))
p = [f[\"problem\"] for f in d[\"findings\"] if f[\"where\"] == \"$ID\"]
assert any(\"changes the case\x27s field \x27place\x27 (餐厅二楼: 靠窗 #3 -> 餐厅一楼) with no event recording it\" in x for x in p), p
" &&
	git reset -q --hard HEAD^
'

test_expect_success 'policy check names bad field definitions' '
	cp policy.yaml p.tmp &&
	printf "  - {id: bad, type: colour}\n" >>p.tmp &&
	test_expect_code 1 complaint policy check p.tmp 2>err &&
	test_grep "unknown type .colour." err &&
	sed -i "\$d" p.tmp &&
	printf "  - {id: c2, type: choice}\n" >>p.tmp &&
	test_expect_code 1 complaint policy check p.tmp 2>err &&
	test_grep "needs a non-empty .choices." err &&
	sed -i "\$d" p.tmp &&
	printf "  - {id: place, type: text}\n" >>p.tmp &&
	test_expect_code 1 complaint policy check p.tmp 2>err &&
	test_grep "listed twice" err &&
	sed -i "\$d" p.tmp &&
	printf "  - {id: r, required_at: plan}\n" >>p.tmp &&
	test_expect_code 1 complaint policy check p.tmp 2>err &&
	test_grep "required_at must be new, resolve or close" err
'

test_done
