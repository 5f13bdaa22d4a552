#!/bin/sh
test_description='names are people, not bytes (SPEC section 9)

Every name (the person penalised, the department, the responsible person,
head, leader, directors and departments of org.yaml, the actor from
--actor, COMPLAINT_ACTOR, git user.name and USER, in its Unit/Name form)
is kept in one normal form: NFC, white space around it removed, each run
inside one space.  A name holding a control, format or invisible character
(tab, zero-width space, BOM, bidi controls, soft hyphen, variation
selectors...) is refused: exit 2 on the command line, exit 3 with
file:line:col in a file.  So 张三, "张三 " and 张三+U+200B are one person or
an error, never three: the {max: 5} ceiling holds and the score has one row.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
TAB=$(printf '\t')
ZWSP=$(printf '\342\200\213')		# U+200B
BOM=$(printf '\357\273\277')		# U+FEFF
RLO=$(printf '\342\200\256')		# U+202E
NBSP=$(printf '\302\240')		# U+00A0
IDSP=$(printf '\343\200\200')		# U+3000 ideographic space
SHY=$(printf '\302\255')		# U+00AD soft hyphen
VS16=$(printf '\357\270\217')		# U+FE0F
WJ=$(printf '\342\201\240')		# U+2060 word joiner
ACUTE=$(printf '\314\201')		# U+0301 combining acute
E_ACUTE=$(printf '\303\251')		# U+00E9

new_store store

# mk VAR [assign-options]: a minor case (no amount), assigned to 餐饮部
mk () {
	mk_var=$1
	shift
	mk_id=$(complaint --actor 客服中心/赵六 --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 \
		--received 2026-11-22T14:05) &&
	eval "$mk_var=\$mk_id" &&
	complaint --actor 客服中心/赵六 --now $NOW assign $mk_id --department 餐饮部 \
		"$@" >/dev/null
}

# people FILE: the score's people as "person role points", sorted
people () {
	jq -r '.people[] | "\(.person) \(.role) \(.points)"' "$1" | LC_ALL=C sort
}

# last_by ID: who recorded the case's last event, as PyYAML reads it
last_by () {
	python3 -c '
import sys, yaml
print(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["events"][-1]["by"])' "$(case_path $1)"
}

# persons ID: the person of every penalize event, as PyYAML reads them
persons () {
	python3 -c '
import sys, yaml
case = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for e in case["events"]:
    if e["action"] == "penalize":
        print(e["person"])' "$(case_path $1)"
}

test_expect_success 'the issue: 张三, "张三 ", 张三+TAB, 张三+U+200B under {max: 5}' '
	mk A --responsible 张三 &&
	complaint --actor 李四 --now $NOW penalize $A 张三 5 --reason 迟到 &&
	test_refused 1 --actor 李四 --now $NOW penalize $A "张三 " 5 --reason 迟到 &&
	test_grep "at most 5 points" err.refused &&
	test_refused 2 --actor 李四 --now $NOW penalize $A "张三$TAB" 5 --reason 迟到 &&
	test_grep "U+0009" err.refused &&
	test_refused 2 --actor 李四 --now $NOW penalize $A "张三$ZWSP" 5 --reason 迟到 &&
	test_grep "U+200B" err.refused &&
	test_refused 1 --actor 李四 --now $NOW penalize $A "$IDSP张三$NBSP" 1 --reason 迟到 &&
	persons $A >actual &&
	echo 张三 >expect &&
	test_cmp expect actual
'

test_expect_success 'the score has one row for 张三' '
	complaint --now 2026-12-01T09:00 score --month 2026-11 --format json >score.json &&
	people score.json >actual &&
	test "$(grep -c "^张三 responsible " actual)" = 1 &&
	test_grep "^张三 responsible 5\$" actual
'

for bad in "$TAB" "$ZWSP" "$BOM" "$RLO" "$SHY" "$VS16" "$WJ" "$(printf '\r')" "$(printf '\033')"; do
	test_expect_success "a name with $(printf %s "$bad" | od -An -tx1 | tr -d " ") is refused everywhere on the command line (exit 2)" '
		test_refused 2 --actor 李四 --now $NOW penalize $A "张三$bad" 1 --reason x &&
		test_refused 2 --actor 李四 --now $NOW penalize $A "${bad}张三" 1 --reason x &&
		test_refused 2 --now $NOW assign $A --department "餐饮部$bad" &&
		test_refused 2 --now $NOW assign $A --department 餐饮部 --responsible "张$bad三" &&
		test_refused 2 --actor "李四$bad" --now $NOW note $A hi &&
		test_refused 2 --actor "客服中心/赵六$bad" --now $NOW note $A hi &&
		test_refused 2 --actor "客服中心$bad/赵六" --now $NOW note $A hi &&
		store_snapshot &&
		test_expect_code 2 env COMPLAINT_ACTOR="李四$bad" complaint --now $NOW note $A hi >out 2>err &&
		test_grep COMPLAINT_ACTOR err &&
		test_expect_code 2 complaint --now $NOW list --department "餐饮部$bad" >out 2>err &&
		store_unchanged
	'
done

test_expect_success 'names typed with white space or decomposed are stored in normal form' '
	mk B --responsible " 张三$IDSP" &&
	test "$(yaml_get $(case_path $B) responsible)" = 张三 &&
	complaint --actor 李四 --now $NOW assign $B --department "$NBSP餐饮部 " \
		--responsible "Jose$ACUTE  Li" &&
	test "$(yaml_get $(case_path $B) department)" = 餐饮部 &&
	test "$(yaml_get $(case_path $B) responsible)" = "Jos$E_ACUTE Li" &&
	complaint --actor 李四 --now $NOW penalize $B "Jos$E_ACUTE Li" 3 --reason r &&
	test_refused 1 --actor 李四 --now $NOW penalize $B " Jose$ACUTE$IDSP Li " 3 --reason r &&
	complaint --now $NOW list --department " 餐饮部$NBSP" --format json >out.json &&
	jq -e "map(.id) | index(\"$B\") != null" out.json
'

test_expect_success 'the actor in every form: --actor, COMPLAINT_ACTOR, user.name, USER, Unit/Name' '
	complaint --actor " 客服中心 / 赵六 " --now $NOW note $A one &&
	test "$(git log -1 --format=%an)" = 客服中心/赵六 &&
	test "$(last_by $A)" = 客服中心/赵六 &&
	env COMPLAINT_ACTOR="李四$NBSP" complaint --now $NOW note $A two &&
	test "$(git log -1 --format=%an)" = 李四 &&
	git config user.name " 王五 " &&
	complaint --now $NOW note $A three &&
	test "$(git log -1 --format=%an)" = 王五 &&
	git config user.name "王五$ZWSP" &&
	test_refused 2 --now $NOW note $A four &&
	test_grep "user.name" err.refused &&
	git config --unset user.name &&
	env USER="孙七$BOM" complaint --now $NOW note $A five >out 2>err;
	test $? = 2 && test_grep USER err &&
	test_refused 2 --actor "客服中心/" --now $NOW note $A hi &&
	test_refused 2 --actor "/赵六" --now $NOW note $A hi &&
	test_refused 2 --actor "$IDSP" --now $NOW note $A hi
'

test_expect_success 'an approver typed with white space is the roster'"'"'s leader' '
	mk C --responsible 张三 &&
	complaint --actor 李四 --now $NOW reclassify $C general --reason 升级 &&
	complaint --actor 李四 --now $NOW plan $C --text 致歉 &&
	complaint --actor " 王五$IDSP" --now $NOW approve $C &&
	test "$(yaml_get $(case_path $C) status)" = approved
'

test_expect_success 'org.yaml: names are normalised, invisible ones refused with org.yaml:line:col' '
	cp org.yaml org.tmp &&
	sed -i "s/^directors: \[陈总\]/directors: [\"陈总 \"]/" org.yaml &&
	git commit -q -am "a director with a space" &&
	mk D --responsible 张三 &&
	complaint --actor 李四 --now $NOW reclassify $D major --reason 升级 &&
	complaint --actor 李四 --now $NOW plan $D --text 致歉 &&
	complaint --actor 王五 --now $NOW approve $D &&
	complaint --actor 陈总 --now $NOW approve $D &&
	test "$(yaml_get $(case_path $D) status)" = approved &&
	sed -i "s/^directors: .*/directors: [\"陈总$ZWSP\"]/" org.yaml &&
	git commit -q -am "an invisible director" &&
	line=$(grep -n "^directors:" org.yaml | cut -d: -f1) &&
	test_refused 3 --actor 李四 --now $NOW note $D hi &&
	test_grep -F "org.yaml:$line:13: a director" err.refused &&
	test_grep "U+200B" err.refused &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "org.yaml:$line:13:" out &&
	cp org.tmp org.yaml &&
	python3 - <<-\EOF &&
	import re
	t = open("org.yaml", encoding="utf-8").read()
	t = t.replace("departments:\n", "departments:\n  - {name: \"\u9910\u996e\u90e8 \", head: x}\n", 1)
	open("org.yaml", "w", encoding="utf-8").write(t)
	EOF
	git commit -q -am "a department twice, once with a space" &&
	test_refused 3 --actor 李四 --now $NOW note $D hi &&
	test_grep "listed twice" err.refused &&
	cp org.tmp org.yaml &&
	git commit -q -am "the roster as it was"
'

# A hand edit of a name in a case file: white space or another
# normalisation is read as the same person (check warns); an invisible
# character is refused with file:line:col by every reader.
test_expect_success 'hand-edited case: "张三 " and a decomposed name are one person' '
	f=$(case_path $A) &&
	python3 - "$f" <<-\EOF &&
	import sys
	p = sys.argv[1]
	t = open(p, encoding="utf-8").read()
	lines = t.split("\n")
	for i, l in enumerate(lines):
	    if "action: penalize" in l:
	        lines.insert(i + 1, l.replace("person: \u5f20\u4e09,", "person: \"\u5f20\u4e09 \",").replace("reason: ", "reason: by hand "))
	        lines.insert(i + 2, l.replace("person: \u5f20\u4e09,", "person: \"\u3000\u5f20\u4e09\",").replace("reason: ", "reason: again "))
	        break
	open(p, "w", encoding="utf-8").write("\n".join(lines))
	EOF
	git commit -q -am "two more penalties by hand" &&
	complaint --now 2026-12-01T09:00 score --month 2026-11 --format json >score.json &&
	people score.json >actual &&
	test "$(grep -c "^张三 responsible " actual)" = 1 &&
	jq -e "[.items[] | select(.case == \"$A\" and .role == \"responsible\")] |
		(map(.target) | unique == [\"张三\"]) and (map(.points) | add == 15)" score.json &&
	complaint check >out 2>err &&
	test_grep -E "$f:[0-9]+:[0-9]+: 2 names are not written in normal form" out err &&
	test_refused 1 --actor 李四 --now $NOW penalize $A 张三 1 --reason r &&
	complaint --actor 李四 --now $NOW note $A "rewrites the file" &&
	persons $A >actual &&
	printf "张三\n张三\n张三\n" >expect &&
	test_cmp expect actual &&
	complaint check >out 2>err &&
	test_grep ! "normal form" out err
'

for field in "person" "by" "responsible" "department"; do
	test_expect_success "hand-edited case: an invisible character in '$field' is refused with file:line:col" '
		f=$(case_path $A) &&
		python3 - "$f" "$field" <<-\EOF &&
		import re, sys
		p, field = sys.argv[1:]
		t = open(p, encoding="utf-8").read()
		t2 = re.sub(r"(\b%s: )([^,}\n]+)" % field, lambda m: m.group(1) + "\"" + m.group(2) + "\u200b\"", t, count=1)
		assert t2 != t
		open(p, "w", encoding="utf-8").write(t2)
		EOF
		git commit -q -am "an invisible character by hand" &&
		line=$(grep -n "$ZWSP" $f | head -1 | cut -d: -f1) &&
		test_expect_code 3 complaint show $A >out 2>err &&
		test_error_line err &&
		test_grep -E "$f:$line:[0-9]+: .*U\+200B" err &&
		test_expect_code 1 complaint check >out 2>err &&
		test_grep -F "$f:$line:" out &&
		complaint --now 2026-12-01T09:00 list >out 2>err &&
		test_grep -F "$f:$line:" err &&
		complaint --now 2026-12-01T09:00 score --month 2026-11 --format json >score.json 2>err &&
		test_grep "1 case file could not be read" err &&
		git reset -q --hard HEAD^
	'
done

test_expect_success 'names we write read back the same with PyYAML' '
	for id in $A $B $C $D; do
		python3 - "$(case_path $id)" <<-\EOF || return 1
		import sys, unicodedata, yaml
		case = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
		names = [case.get(k) for k in ("department", "responsible", "head", "leader")]
		for e in case["events"]:
		    names += [e.get(k) for k in ("by", "department", "responsible", "head", "leader", "person")]
		for n in names:
		    if n is None:
		        continue
		    assert isinstance(n, str), repr(n)
		    assert n == n.strip() and "  " not in n, repr(n)
		    assert unicodedata.normalize("NFC", n) == n, repr(n)
		    assert all(unicodedata.category(c)[0] != "C" for c in n), repr(n)
		EOF
	done
'

test_done
