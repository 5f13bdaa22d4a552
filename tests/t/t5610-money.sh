#!/bin/sh
test_description='money is exact, and numbers are read the way they are written

Amounts (amount, compensation, --amount, --compensation, new --from, the
policy'"'"'s min_amount and point_value) are exactly the form the writer
writes: digits without leading zeros and at most two decimals, no sign,
no exponent.  Anything else is refused with file:line:col (files, exit 3)
or exit 2 (options), so a hand edit can neither be read differently by
PyYAML nor be rounded into another level.  Money is kept in cents and
printed with two decimals in every format: point_value 0.1 times 3 points
is 0.30, never 0.30000000000000004.  Every number an option takes
(--lock-timeout, POINTS, --due-within) goes through the same strict parser.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00

new_store store

# mk VAR [new-options]: a new case, assigned to 餐饮部 with 张三 responsible
mk () {
	mk_var=$1
	shift
	mk_id=$(complaint --actor 客服中心/赵六 --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 \
		--received 2026-11-22T14:05 "$@") &&
	eval "$mk_var=\$mk_id" &&
	complaint --actor 客服中心/赵六 --now $NOW assign $mk_id --department 餐饮部 \
		--responsible 张三 >/dev/null
}

# hand_edit ID OLD NEW: replace the line OLD (a whole line) by NEW in the
# case file and commit it by hand
hand_edit () {
	he_path=$(case_path $1) &&
	python3 - "$he_path" "$2" "$3" <<-\EOF &&
	import sys
	path, old, new = sys.argv[1:]
	lines = open(path, encoding="utf-8").read().split("\n")
	assert old in lines, (old, lines)
	lines[lines.index(old)] = new
	open(path, "w", encoding="utf-8").write("\n".join(lines))
	EOF
	git commit -q -am "hand edit" &&
	he_line=$(grep -n -x -F -e "$3" "$he_path" | cut -d: -f1) &&
	test -n "$he_line"
}

# pyyaml_amount FILE: the amount as PyYAML reads it, with two decimals
pyyaml_amount () {
	python3 -c '
import sys, yaml
v = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["amount"]
assert isinstance(v, (int, float)) and not isinstance(v, bool), repr(v)
print("%.2f" % v)' "$1"
}

test_expect_success 'setup: cases with amounts around the general threshold (1000)' '
	mk A --amount 999.99 &&
	mk B --amount 1000 &&
	mk C --amount 1200.5 &&
	test "$(yaml_get $(case_path $A) severity)" = minor &&
	test "$(yaml_get $(case_path $B) severity)" = general &&
	test "$(yaml_get $(case_path $A) amount)" = 999.99 &&
	test "$(yaml_get $(case_path $B) amount)" = 1000.00 &&
	test "$(yaml_get $(case_path $C) amount)" = 1200.50
'

test_expect_success 'what we write, PyYAML reads as the same amount we show' '
	for id in $A $B $C; do
		complaint show $id --format json >out.json &&
		ours=$(python3 -c "import json,sys; print(\"%.2f\" % json.load(open(sys.argv[1]))[\"amount\"])" out.json) &&
		test "$ours" = "$(pyyaml_amount $(case_path $id))" || return 1
	done
'

test_expect_success 'the JSON of show prints amounts with two decimals' '
	complaint show $A --format json >out.json &&
	grep -F "\"amount\":999.99" out.json &&
	complaint show $B --format json >out.json &&
	grep -F "\"amount\":1000.00" out.json
'

# A hand edit of the amount that the writer would not write: each one
# refused by every reader with file:line:col, so the level cannot flip.
for bad in 999.999 999.9999999999 1e3 1E3 00012 012.50 +1000 -5 .5 5. 0x3E8 0o17 1_000 \
	 "'1000'" '"999.99"' .inf .nan 1000000000000 "~" "[1000]"; do
	test_expect_success "a hand-edited amount: $bad is refused with file:line:col" '
		git reset -q --hard &&
		hand_edit $A "amount: 999.99" "amount: $bad" &&
		f=$(case_path $A) &&
		test_expect_code 3 complaint show $A >out 2>err &&
		test_error_line err &&
		test_grep -F "$f:$he_line:9: amount" err &&
		test_expect_code 1 complaint check >out 2>err &&
		test_grep -F "$f:$he_line:9:" out err &&
		complaint list >out 2>err &&
		test_grep -F "$f:$he_line:9:" err &&
		test_grep ! -F "$A" out &&
		git reset -q --hard HEAD^
	'
done

test_expect_success 'a hand-edited amount the writer would write is read exactly: 1000 is general, 999.9 minor' '
	hand_edit $A "amount: 999.99" "amount: 1000" &&
	complaint show $A --format json >out.json &&
	test "$(jq -r .severity out.json)" = general &&
	test "$(pyyaml_amount $(case_path $A))" = 1000.00 &&
	git reset -q --hard HEAD^ &&
	hand_edit $A "amount: 999.99" "amount: 999.9" &&
	complaint show $A --format json >out.json &&
	test "$(jq -r .severity out.json)" = minor &&
	complaint --now $NOW note $A "a note rewrites the file" &&
	test "$(yaml_get $(case_path $A) amount)" = 999.90 &&
	test "$(yaml_get $(case_path $A) severity)" = minor &&
	git reset -q --hard HEAD~2
'

test_expect_success 'a compensation read from a file follows the same rule' '
	complaint --actor 李四 --now $NOW resolve $A --text 免单 --compensation 88.5 &&
	test "$(yaml_get $(case_path $A) events 2 compensation)" = 88.50 &&
	f=$(case_path $A) &&
	sed -i "s/compensation: 88.50/compensation: 88.505/" $f &&
	git commit -q -am "hand edit" &&
	test_expect_code 3 complaint show $A >out 2>err &&
	test_grep -E "$f:[0-9]+:[0-9]+: compensation" err &&
	git reset -q --hard HEAD~2
'

for bad in 1e3 00012 999.999 +5 -5 .5 5. 0x10 nan inf 1,000 "1 000" " 5" "5 " ""; do
	test_expect_success "--amount '$bad' and --compensation '$bad' are usage errors" '
		test_refused 2 --now $NOW new --customer 王先生 --channel phone \
			--category service --summary x --amount "$bad" &&
		test_grep -e "--amount" err.refused &&
		test_refused 2 --actor 李四 --now $NOW resolve $A --text x \
			--compensation "$bad" &&
		test_grep -e "--compensation" err.refused
	'
done

for bad in 1e3 00012 999.999 +5 -5 .5 0x10 .nan 1_000; do
	test_expect_success "new --from with amount: $bad names form:line:col" '
		printf "customer: 王先生\nchannel: phone\ncategory: service\nsummary: x\namount: %s\n" "$bad" >form.yaml &&
		test_refused 3 --now $NOW new --from form.yaml &&
		test_grep -F "form.yaml:5:9: amount" err.refused
	'
done

test_expect_success 'new --from takes 1200, 1200.5 and "1200.50" (quoted) alike' '
	for a in 1200 1200.5 "\"1200.50\""; do
		printf "customer: 王先生\nchannel: phone\ncategory: service\nsummary: x\namount: %s\n" "$a" >form.yaml &&
		id=$(complaint --now $NOW new --from form.yaml) &&
		test "$(yaml_get $(case_path $id) amount)" = 1200.50 -o "$a" = 1200 &&
		test "$(yaml_get $(case_path $id) severity)" = general || return 1
	done
'

# policy_with KEY-LINE-SED: the default policy with one sed edit, in p.yaml
policy_with () {
	sed -e "$1" policy.yaml >p.yaml &&
	! cmp -s policy.yaml p.yaml
}

for bad in 1e3 00012 1000.001 -1000 +1000 0x3E8 1_000 .inf "'1000'"; do
	test_expect_success "policy min_amount: $bad is refused with the policy's line and column" '
		policy_with "s/^    min_amount: 1000\$/    min_amount: $bad/" &&
		line=$(grep -n "^    min_amount: $bad\$" p.yaml | cut -d: -f1) &&
		test_expect_code 1 complaint policy check p.yaml >out 2>err &&
		test_grep -F "p.yaml:$line:17: " err &&
		test_grep "min_amount" err
	'
done

for bad in 0.001 1e1 010 -10 10.0.0 .5 nan; do
	test_expect_success "policy point_value: $bad is refused with the policy's line and column" '
		policy_with "s/^point_value: 10 /point_value: $bad /" &&
		line=$(grep -n "^point_value: " p.yaml | cut -d: -f1) &&
		test_expect_code 1 complaint policy check p.yaml >out 2>err &&
		test_grep -F "p.yaml:$line:14: point_value" err
	'
done

test_expect_success 'classification compares amounts exactly: min_amount 1000.01' '
	policy_with "s/^    min_amount: 1000\$/    min_amount: 1000.01/" &&
	cp p.yaml policy.yaml &&
	GIT_COMMITTER_DATE=2026-11-22T15:00:00+08:00 git commit -q \
		--date=2026-11-22T15:00:00+08:00 -am "general from 1000.01" &&
	mk D --amount 1000 &&
	mk E --amount 1000.01 &&
	test "$(yaml_get $(case_path $D) severity)" = minor &&
	test "$(yaml_get $(case_path $E) severity)" = general &&
	complaint policy show >out &&
	test_grep -F "amount >= 1000.01" out
'

test_expect_success 'point_value 0.1: three points are 0.30 in every format' '
	policy_with "s/^point_value: 10 /point_value: 0.1 /" &&
	cp p.yaml policy.yaml &&
	GIT_COMMITTER_DATE=2026-11-22T16:00:00+08:00 git commit -q \
		--date=2026-11-22T16:00:00+08:00 -am "a point is 0.1" &&
	complaint --actor 李四 --now $NOW penalize $C 张三 3 --reason 迟到 &&
	complaint --now 2026-12-01T09:00 score --month 2026-11 --format json >score.json &&
	complaint --now 2026-12-01T09:00 score --month 2026-11 >score.txt &&
	complaint --now 2026-12-01T09:00 score --month 2026-11 --format csv >score.csv &&
	for f in md json csv html; do
		complaint --now 2026-12-01T09:00 report --month 2026-11 --lang en --format $f >report.$f.tmp || return 1
	done &&
	! grep -l "0000000\|9999999" score.json score.txt score.csv report.*.tmp &&
	grep -F "\"point_value\":0.10" score.json &&
	grep -F "\"person\":\"张三\"" score.json | grep -F "\"points\":3," | grep -F "\"money\":0.30,\"earned\":3," &&
	jq -e ".people[] | select(.person == \"张三\") | .money == 0.3" score.json &&
	grep -E "^张三 +responsible +餐饮部 +3 +0\.30\$" score.txt &&
	grep -F ",3,0.30,penalize," score.csv &&
	grep -F "| 3 | 0.30 |" report.md.tmp &&
	grep -F "0.10 CNY per point" report.md.tmp &&
	grep -F "\"money\":0.30,\"earned\":3," report.json.tmp &&
	grep -F "\"point_value\":0.10" report.json.tmp &&
	grep -F ",money,0.30," report.csv.tmp &&
	grep -F "point_value,,money,0.10," report.csv.tmp &&
	grep -F "<td class=\"n\">0.30</td>" report.html.tmp &&
	grep -F "0.10 CNY per point" report.html.tmp
'

test_expect_success 'money in the score JSON always has two decimals' '
	python3 - score.json <<-\EOF
	import re, sys
	text = open(sys.argv[1], encoding="utf-8").read()
	vals = re.findall(r"\"(?:money|point_value)\":([^,}]*)", text)
	assert vals, text
	for v in vals:
	    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", v), v
	EOF
'

for bad in nan NaN inf -1 0x10 1e3 " 5" "5 " 5s "" 010 .5 5. 86400.001 99999999999999999999; do
	test_expect_success "--lock-timeout '$bad' is a usage error" '
		test_expect_code 2 complaint --lock-timeout "$bad" list >out 2>err &&
		test_error_line err &&
		test_grep -e "--lock-timeout" err
	'
done

test_expect_success '--lock-timeout takes 0, 0.5, 5 and 86400' '
	for t in 0 0.5 5 86400; do
		complaint --lock-timeout $t list >out 2>err || return 1
	done
'

for bad in 0x10 010 +5 5.0 1e1 nan " 5" "" -1 0 1000001; do
	test_expect_success "penalize POINTS '$bad' is a usage error" '
		test_refused 2 --actor 李四 --now $NOW penalize $C 张三 "$bad" --reason x
	'
done

for bad in 010m 0x10m 1e3m -5m +5m 5.5h " 5m" 5 m 100001m; do
	test_expect_success "list --due-within '$bad' is a usage error" '
		test_expect_code 2 complaint --now $NOW list --due-within "$bad" >out 2>err &&
		test_error_line err
	'
done

test_expect_success 'a policy duration with a leading zero is refused with its line' '
	policy_with "s/resolve: 2h\$/resolve: 02h/" &&
	line=$(grep -n "resolve: 02h" p.yaml | cut -d: -f1) &&
	test_expect_code 1 complaint policy check p.yaml >out 2>err &&
	test_grep -F "p.yaml:$line:" err
'

test_done
