#!/bin/sh
test_description='import FILE.csv: complaints from a spreadsheet, all or none, one commit'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-24T10:00

test_expect_success 'list --format csv of a store imports into an empty store as the same cases' '
	new_store a &&
	A=$(complaint --now $NOW new --customer 王先生 --contact 13800000000 \
		--channel phone --category product --summary "酒有沉淀, \"怪味\"" \
		--description "$(printf "第一行\n第二行")" --amount 1200.5 --scope several \
		--flag safety --received 2026-11-23T08:30 --field "place=二楼, 靠窗" --field covers=6) &&
	B=$(complaint --now $NOW new --customer "=HYPERLINK(1)" --channel online \
		--category service --summary "'"'"'=x" --severity major --reason 媒体关注) &&
	C=$(complaint --now $NOW new --customer 李女士 --channel email --kind unfounded \
		--category transport --summary "+1 晚到" --received 2026-10-31T23:59) &&
	complaint --now $NOW list --format csv >../form.csv &&
	head -n 1 ../form.csv | tr -d "\r" >head &&
	test_grep ",reason,field.place,field.demand,field.product,field.staff,field.visit,field.covers,field.source$" head &&
	rm head &&
	cd .. &&
	new_store b &&
	complaint --now $NOW import ../form.csv >out 2>err &&
	test_must_be_empty err &&
	printf "%s\n" $C $A $B | sort >expect &&
	sort out >actual &&
	test_cmp expect actual &&
	for id in $A $B $C
	do
		(cd ../a && git ls-files "cases/*/$id.yaml") >path &&
		test_line_count = 1 path &&
		test_cmp_bytes "../a/$(cat path)" "$(cat path)" &&
		complaint show $id --format json >actual.json &&
		(cd ../a && complaint show $id --format json) >expect.json &&
		test_cmp expect.json actual.json || return 1
	done &&
	rm -f path &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'one commit for the import, its message listing the IDs' '
	test "$(git rev-list --count HEAD)" = 2 &&
	git log -1 --format=%s >actual &&
	echo "import: 3 complaints" >expect &&
	test_cmp expect actual &&
	git log -1 --format="%(trailers:key=Complaint-Id,valueonly)" | sed "/^\$/d" | sort >actual &&
	printf "%s\n" $A $B $C | sort >expect &&
	test_cmp expect actual &&
	git show --name-only --format= HEAD | sort >actual &&
	(cd ../a && git ls-files cases | sort) >expect &&
	test_cmp expect actual &&
	complaint check
'

test_expect_success 'importing the same file again: every row names the case the store has' '
	store_snapshot &&
	test_expect_code 3 complaint --now $NOW import ../form.csv >out 2>err &&
	test_must_be_empty out &&
	grep -c "the store has a case" err >actual &&
	echo 3 >expect &&
	test_cmp expect actual &&
	store_unchanged
'

test_expect_success 'a hand-made file: CRLF, a byte order mark, quotes, generated IDs, columns in any order' '
	cd .. && new_store c &&
	printf "\357\273\277summary,customer,channel,category,received,amount\r\n" >form.csv &&
	printf "\"说 \"\"好\"\"\",张三,phone,product,2026-11-20T09:00,500\r\n" >>form.csv &&
	printf "\"两行\r\n文字\",李四,online,service,,\r\n" >>form.csv &&
	complaint --now $NOW import form.csv >out 2>err &&
	test_must_be_empty err &&
	test_line_count = 2 out &&
	X=$(sed -n 1p out) && Y=$(sed -n 2p out) &&
	grep -E "^C-20261120-[0-9A-Z]{8}\$" out &&
	complaint show $X --format json >x.json &&
	jq -e ".summary == \"说 \\\"好\\\"\" and .customer.name == \"张三\" and .amount == 500" x.json &&
	jq -e ".received_at == \"2026-11-20T09:00:00+08:00\" and .status == \"new\"" x.json &&
	complaint show $Y --format json >y.json &&
	jq -e ".summary == \"两行\\r\\n文字\" and .received_at == \"2026-11-24T10:00:00+08:00\"" y.json &&
	rm -f x.json y.json
'

test_expect_success 'bad rows: each named with its line, nothing written, exit 3' '
	cat >form.csv <<-\EOF &&
	customer,channel,category,summary,description,severity,reason
	王五,phone,product,好,,,
	赵六,fax,product,坏渠道,,,
	孙七,phone,product,"多行
	描述",x,,
	,phone,product,无客户,,,
	周八,phone,product,等级,,critical,
	吴九,phone,product,太多字段,,,,
	郑十,phone,product,原因无等级,,,因为
	钱一,phone,product,等级一致,,minor,
	EOF
	store_snapshot &&
	test_expect_code 3 complaint --now $NOW import form.csv >out 2>err &&
	test_must_be_empty out &&
	cat err &&
	grep "^complaint: import form.csv: line 3: unknown channel .fax." err &&
	grep "^complaint: import form.csv: line 6: --customer is required" err &&
	grep "^complaint: import form.csv: line 7: severity critical is not the level the facts give (minor)" err &&
	grep "^complaint: import form.csv: line 8: 8 fields where the header has 7" err &&
	grep "^complaint: import form.csv: line 9: --reason is only for --severity" err &&
	grep "^complaint: import form.csv: 5 of 8 rows cannot be imported; nothing was imported" err &&
	test_line_count = 6 err &&
	store_unchanged &&
	test_expect_code 3 complaint --now $NOW import --dry-run form.csv >out 2>err &&
	test_line_count = 6 err &&
	store_unchanged
'

test_expect_success '--dry-run checks every row and writes nothing' '
	sed "3,9d" form.csv >form2.csv &&
	store_snapshot &&
	complaint --now $NOW import --dry-run form2.csv >out 2>err &&
	test_must_be_empty err &&
	echo "2 complaints can be imported; nothing was written (--dry-run)" >expect &&
	test_cmp expect out &&
	store_unchanged
'

test_expect_success 'the header: unknown, doubled, missing and field columns are refused' '
	store_snapshot &&
	printf "customer,channel,category,summary,colour\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	test_error_line err &&
	grep "form.csv:1: unknown column .colour. (the columns are: customer, contact" err &&
	printf "customer,channel,category,summary,summary\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:1: column .summary. given twice" err &&
	printf "customer,channel,summary\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:1: no column .category." err &&
	printf "customer,channel,category,summary,field.place,field.place\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:1: column .field.place. given twice" err &&
	printf "customer,channel,category,summary,field.batch\na,phone,product,b,B-17\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "import form.csv: line 2: unknown field .batch." err &&
	printf "customer,channel,category,summary,field.covers\na,phone,product,b,many\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "import form.csv: line 2: field .covers. (人数) is a number" err &&
	printf "customer,channel,category,summary\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "no complaints in the file" err &&
	store_unchanged
'

test_expect_success 'not CSV: a quote never closed, text after a quote, not UTF-8' '
	store_snapshot &&
	printf "customer,channel,category,summary\na,phone,product,\"open\nb,c\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	test_error_line err &&
	grep "form.csv:2: a quoted field is never closed" err &&
	printf "customer,channel,category,summary\na,phone,product,\"x\"y\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:2: text after a closing quote" err &&
	printf "customer,channel,category,summary\na,phone,product,ab\"c\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:2: a quote inside a field" err &&
	printf "customer,channel,category,summary\n\n\na,phone,product,\377\n" >form.csv &&
	test_expect_code 3 complaint import form.csv 2>err &&
	grep "form.csv:4: not UTF-8" err &&
	store_unchanged
'

test_expect_success 'IDs: a case that went further is refused, an ID twice, a bad ID' '
	store_snapshot &&
	cat >form.csv <<-\EOF &&
	id,status,customer,channel,category,summary,department
	C-20261101-AAAAAAAA,resolved,a,phone,product,s,餐饮部
	C-20261101-BBBBBBBB,new,a,phone,product,s,
	C-20261101-BBBBBBBB,new,a,phone,product,s,
	../x,new,a,phone,product,s,
	EOF
	test_expect_code 3 complaint --now $NOW import form.csv 2>err &&
	grep "line 2: status is .resolved.: import records new and assigned complaints" err &&
	grep "line 4: id C-20261101-BBBBBBBB is on an earlier line too" err &&
	grep "line 5: id .\\.\\./x. is not a case ID" err &&
	test_line_count = 4 err &&
	store_unchanged
'

test_expect_success 'several responsible people: list writes them separated by ; and import gives the same list back' '
	cd "$TRASH_DIRECTORY" &&
	new_store r1 &&
	A=$(complaint --now $NOW new --customer 甲 --channel phone --category service \
		--summary 两人负责 --received 2026-11-23T08:30) &&
	complaint --now $NOW assign $A -q --department 餐饮部 --responsible 张三 \
		--responsible 李五 --at 2026-11-23T08:30 &&
	B=$(complaint --now $NOW new --customer 乙 --channel phone --category service \
		--summary 一人负责 --received 2026-11-23T09:00) &&
	complaint --now $NOW assign $B -q --department 客房部 --responsible 赵一 --at 2026-11-23T09:40 &&
	C=$(complaint --now $NOW new --customer 丙 --channel phone --category service \
		--summary 未分派 --received 2026-11-23T09:30) &&
	complaint --now $NOW list --format csv >../resp.csv &&
	python3 - ../resp.csv $A <<-\EOF &&
	import csv, sys
	rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline=""))}
	assert rows[sys.argv[2]]["responsible"] == "张三;李五", rows[sys.argv[2]]
	assert rows[sys.argv[2]]["status"] == "assigned"
	EOF
	cd .. &&
	new_store r2 &&
	complaint --now $NOW import ../resp.csv >out 2>err &&
	test_must_be_empty err &&
	for id in $A $B $C
	do
		complaint show $id --format json | jq -c "[.status, .department, .responsible, .head, .leader]" >actual &&
		(cd ../r1 && complaint show $id --format json) |
			jq -c "[.status, .department, .responsible, .head, .leader]" >expect &&
		test_cmp expect actual || return 1
	done &&
	complaint show $A --format json | jq -e ".responsible == [\"张三\", \"李五\"]" &&
	(cd ../r1 && git ls-files "cases/*/$A.yaml") >path &&
	test_cmp_bytes "../r1/$(cat path)" "$(cat path)" &&
	rm -f path &&
	complaint check &&
	complaint --now $NOW list --format csv >../resp2.csv &&
	test_cmp ../resp.csv ../resp2.csv
'

test_expect_success 'assigned rows: the department must be in the roster; new with a department, responsible without one, assigned without one are refused' '
	store_snapshot &&
	cat >form.csv <<-\EOF &&
	status,customer,channel,category,summary,department,responsible
	assigned,a,phone,product,s,无此部门,张三
	new,a,phone,product,s,餐饮部,
	,a,phone,product,s,,张三
	assigned,a,phone,product,s,,
	assigned,a,phone,product,s,餐饮部,张三;张三
	EOF
	test_expect_code 3 complaint --now $NOW import form.csv 2>err &&
	grep "line 2: .*无此部门.* not in org.yaml" err &&
	grep "line 3: status is new but the case names department .餐饮部." err &&
	grep "line 4: responsible .张三. without a department" err &&
	grep "line 5: status is assigned but the department column is empty" err &&
	grep "line 6: .*张三 twice" err &&
	test_line_count = 6 err &&
	store_unchanged
'

test_expect_success 'import from standard input' '
	printf "customer,channel,category,summary\n张三,phone,product,标准输入\n" |
		complaint --now $NOW import - >out &&
	test_line_count = 1 out &&
	complaint show "$(cat out)" --format json | jq -e ".summary == \"标准输入\""
'

test_done
