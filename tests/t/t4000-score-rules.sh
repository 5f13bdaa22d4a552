#!/bin/sh
test_description='score: every penalty rule of the default policy, table-driven

The scenarios and their expected line items are in tests/data/score-cases.txt
(its header describes the format).  One loop plays each scenario in a fresh
store and compares "complaint score --format json" with the table: the line
items (case, date, target, role, points, rule), the totals per department
and per person (money = points x point_value), and the warnings.  Rules
(SPEC section 6, seed 000 section 5): occurrence items dated when the case
was received and following its current level; late once per missed
deadline (the default policy'"'"'s per: deadline), dated when it passed and
charged to who held the case then (the intake department 客服中心 before
assign); unsatisfied per unsatisfied
callback; penalize items at the event with the role responsible; kinds with
scored: false give nothing; an item whose target is unknown is a warning.'
. "$(dirname "$0")/test-lib.sh"

SCORE_CASES=$TEST_ROOT/tests/data/score-cases.txt
SCEN=$TRASH_DIRECTORY/scen

# sc_run ARGS...: complaint -C <the scenario's store> ARGS, with the
# scenario's TZ and standard input closed
sc_run () {
	env TZ="$sc_tz" complaint -C "$sc_dir" "$@" </dev/null
}

# sc_id VAR: the ID remembered for VAR
sc_id () {
	eval "sc_v_=\${sc_id_$1-}"
	if test -z "$sc_v_"; then
		echo "scenario: no case called '$1' (line: $sc_line)" >&2
		return 1
	fi
	printf '%s\n' "$sc_v_"
}

# sc_event ACTOR TIME CMD VAR ARGS...: run an event command on VAR's case
sc_event () {
	sc_a_=$1 sc_t_=$2 sc_c_=$3
	sc_i_=$(sc_id "$4") || return 127
	shift 4
	sc_run --actor "$sc_a_" --now "$sc_t_" "$sc_c_" "$sc_i_" "$@"
}

# sc_names: replace the case IDs in the first column by their names
sc_names () {
	sed -f "$sc_dir.names"
}

# sc_compare: the score in $sc_dir.json against the expectations gathered
sc_compare () {
	test -n "$sc_scored" || return 0
	sc_cmp_rc=0
	jq -r '.items[] | [.case, .date, .target, .role, (.points|tostring), .rule] | join(" ")' \
		"$sc_dir.json" | sc_names | LC_ALL=C sort >"$sc_dir.act" &&
	LC_ALL=C sort "$sc_dir.exp-items" >"$sc_dir.exp" || return 1
	if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
		echo "line items differ (expected, actual) for: score $sc_scored" >&2
		sc_cmp_rc=1
	fi
	jq -r '.departments[] | [.department, (.points|tostring), (.money|tostring)] | join(" ")' \
		"$sc_dir.json" | LC_ALL=C sort >"$sc_dir.act" &&
	LC_ALL=C sort "$sc_dir.exp-dept" >"$sc_dir.exp" || return 1
	if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
		echo "department totals differ (expected, actual) for: score $sc_scored" >&2
		sc_cmp_rc=1
	fi
	jq -r '.people[] | [.person, .role, .department, (.points|tostring), (.money|tostring)] | join(" ")' \
		"$sc_dir.json" | LC_ALL=C sort >"$sc_dir.act" &&
	LC_ALL=C sort "$sc_dir.exp-people" >"$sc_dir.exp" || return 1
	if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
		echo "people totals differ (expected, actual) for: score $sc_scored" >&2
		sc_cmp_rc=1
	fi
	jq -r '.warnings[] | .case' "$sc_dir.json" | sc_names | LC_ALL=C sort -u >"$sc_dir.act" &&
	cut -d" " -f1 "$sc_dir.exp-warn" | LC_ALL=C sort -u >"$sc_dir.exp" || return 1
	if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
		echo "the cases with warnings differ (expected, actual) for: score $sc_scored" >&2
		jq -c '.warnings' "$sc_dir.json" >&2
		sc_cmp_rc=1
	fi
	while read -r sc_wv sc_wre; do
		test -n "$sc_wre" || continue
		sc_wid=$(sc_id "$sc_wv") || return 1
		if ! jq -r --arg id "$sc_wid" '.warnings[] | select(.case == $id) | .message' \
			"$sc_dir.json" | grep -Eiq -e "$sc_wre"; then
			echo "no warning for $sc_wv matches /$sc_wre/ for: score $sc_scored" >&2
			jq -c '.warnings' "$sc_dir.json" >&2
			sc_cmp_rc=1
		fi
	done <"$sc_dir.exp-warn"
	if test -s "$sc_dir.exp-carry"; then
		jq -r '.people | group_by(.person)[] | [.[0].person,
			([.[].earned] | add | tostring), ([.[].carried_in] | add | tostring),
			([.[].counted] | add | tostring), ([.[].carried_out] | add | tostring),
			([.[].dropped] | add | tostring)] | join(" ")' \
			"$sc_dir.json" | LC_ALL=C sort >"$sc_dir.act" &&
		LC_ALL=C sort "$sc_dir.exp-carry" >"$sc_dir.exp" || return 1
		if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
			echo "earned, carried in, counted, carried out, dropped differ for: score $sc_scored" >&2
			sc_cmp_rc=1
		fi
	fi
	if test -n "$sc_period"; then
		jq -r '.period.from + " " + .period.to' "$sc_dir.json" >"$sc_dir.act" &&
		echo "$sc_period" >"$sc_dir.exp" || return 1
		if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
			echo "period differs for: score $sc_scored" >&2
			sc_cmp_rc=1
		fi
	fi
	if test -n "$sc_meta"; then
		jq -r '[.policy, .currency, (.point_value|tostring)] | join(" ")' \
			"$sc_dir.json" >"$sc_dir.act" &&
		echo "$sc_meta" >"$sc_dir.exp" || return 1
		if ! diff -u "$sc_dir.exp" "$sc_dir.act" >&2; then
			echo "policy, currency or point_value differs for: score $sc_scored" >&2
			sc_cmp_rc=1
		fi
	fi
	sc_scored=
	return $sc_cmp_rc
}

# sc_edit policy|roster PYTHON: run PYTHON on the store's policy.yaml
# (p, and L the levels by id) or org.yaml (o), write it back with PyYAML
# and commit it at the store's birth (so every period sees it)
sc_edit () {
	sc_f_=policy.yaml
	test "$1" = roster && sc_f_=org.yaml
	python3 - "$sc_dir/$sc_f_" "$2" <<-\EOF || return 1
	import sys, yaml
	path, code = sys.argv[1], sys.argv[2]
	d = yaml.safe_load(open(path, encoding="utf-8"))
	env = {"p": d, "o": d, "L": {l["id"]: l for l in d.get("levels", [])}}
	exec(code, env)
	with open(path, "w", encoding="utf-8") as f:
	    yaml.safe_dump(d, f, allow_unicode=True, sort_keys=False)
	EOF
	env GIT_AUTHOR_DATE=2026-09-30T09:00:00+08:00 \
		GIT_COMMITTER_DATE=2026-09-30T09:00:00+08:00 \
		git -C "$sc_dir" -c user.name=test -c user.email=test@example.com \
		commit -q -m "edit $sc_f_" -- "$sc_f_"
}

sc_expect_reset () {
	: >"$sc_dir.exp-items" && : >"$sc_dir.exp-dept" &&
	: >"$sc_dir.exp-people" && : >"$sc_dir.exp-warn" && : >"$sc_dir.exp-carry" &&
	sc_period= && sc_meta=
}

# play_scenario FILE: play one scenario; fails on the first command that
# does not do what the table says, or on any score that differs.
play_scenario () {
	sc_dir=$TRASH_DIRECTORY/store-$(basename "$1")
	sc_tz=UTC
	sc_scored=
	sc_rc=0
	rm -rf "$sc_dir" &&
	complaint --now 2026-09-30T09:00 init "$sc_dir" >/dev/null &&
	: >"$sc_dir.names" &&
	sc_expect_reset || return 1
	set -f
	while IFS= read -r sc_line <&3; do
		# shellcheck disable=SC2086
		set -- $sc_line
		test $# -gt 0 || continue
		sc_word=$1
		shift
		case $sc_word in
		'#'*|scenario)
			;;
		tz)
			sc_tz=$1 ;;
		policy|roster)
			# change the store's policy (or roster) and commit it,
			# dated when the store was made (before every case)
			if ! sc_edit "$sc_word" "$*"; then
				echo "failed: $sc_line" >&2
				sc_rc=1
				break
			fi ;;
		new)
			sc_var=$1 sc_t=$2
			shift 2
			if ! sc_new=$(sc_run --actor 客服中心/赵六 --now "$sc_t" \
				new --received "$sc_t" "$@"); then
				echo "failed: $sc_line" >&2
				sc_rc=1
				break
			fi
			eval "sc_id_$sc_var=\$sc_new"
			printf 's/^%s/%s/\n' "$sc_new" "$sc_var" >>"$sc_dir.names" ;;
		do|as|try|fail|failas)
			case $sc_word in
			do|try) sc_actor=客服中心/赵六 ;;
			as) sc_actor=$1; shift ;;
			fail) sc_want=$1; sc_actor=客服中心/赵六; shift ;;
			failas) sc_actor=$1 sc_want=$2; shift 2 ;;
			esac
			sc_t=$1 sc_c=$2 sc_v=$3
			shift 3
			sc_event "$sc_actor" "$sc_t" "$sc_c" "$sc_v" "$@" 2>"$sc_dir.err"
			sc_code=$?
			;;
		score)
			sc_compare || sc_rc=1
			sc_expect_reset || return 1
			sc_t=$1
			shift
			if ! sc_run --now "$sc_t" score "$@" --format json \
				>"$sc_dir.json" 2>"$sc_dir.err"; then
				echo "failed: $sc_line" >&2
				cat "$sc_dir.err" >&2
				sc_rc=1
				break
			fi
			if ! jq -e . "$sc_dir.json" >/dev/null; then
				echo "not valid JSON: $sc_line" >&2
				sc_rc=1
				break
			fi
			sc_scored="$*" ;;
		period)
			sc_period="$1 $2" ;;
		meta)
			sc_meta="$*" ;;
		item)
			echo "$*" >>"$sc_dir.exp-items" ;;
		dept)
			echo "$*" >>"$sc_dir.exp-dept" ;;
		person)
			echo "$*" >>"$sc_dir.exp-people" ;;
		carry)
			echo "$*" >>"$sc_dir.exp-carry" ;;
		warn)
			echo "$*" >>"$sc_dir.exp-warn" ;;
		*)
			echo "scenario: unknown directive '$sc_word'" >&2
			sc_rc=1
			break ;;
		esac
		case $sc_word in
		do|as)
			if test "$sc_code" != 0; then
				echo "failed (exit $sc_code): $sc_line" >&2
				cat "$sc_dir.err" >&2
				sc_rc=1
				break
			fi ;;
		fail|failas)
			if test "$sc_code" != "$sc_want"; then
				echo "exit $sc_code, wanted $sc_want: $sc_line" >&2
				cat "$sc_dir.err" >&2
				sc_rc=1
				break
			fi ;;
		esac
	done 3<"$1"
	set +f
	test $sc_rc = 0 || return 1
	sc_compare
}

test_expect_success 'the scenario table splits into scenarios' '
	test_path_is_file "$SCORE_CASES" &&
	mkdir -p "$SCEN" &&
	awk -v dir="$SCEN" "
		/^scenario / { n++; f = sprintf(\"%s/%03d\", dir, n) }
		f { print > f }
	" "$SCORE_CASES" &&
	ls "$SCEN" >out &&
	test_line_count -ge 14 out
'

for sc_file in "$SCEN"/*; do
	test -f "$sc_file" || continue
	sc_desc=$(sed -n "1s/^scenario //p" "$sc_file")
	test_expect_success "$sc_desc" "play_scenario '$sc_file'"
done

# the store of the "totals" scenario, for the other formats
TOTALS_STORE=
for sc_file in "$SCEN"/*; do
	if sed -n 1p "$sc_file" | grep -q "^scenario totals per department"; then
		TOTALS_STORE=$TRASH_DIRECTORY/store-$(basename "$sc_file")
	fi
done

test_expect_success 'score --format csv lists the same line items as json' '
	test -n "$TOTALS_STORE" &&
	complaint -C "$TOTALS_STORE" --now 2026-10-26T12:00 score --month 2026-10 --format json >out.json &&
	complaint -C "$TOTALS_STORE" --now 2026-10-26T12:00 score --month 2026-10 --format csv >out.csv &&
	jq -r ".items[] | [.case, .date, .target, .role, (.points|tostring), .rule] | join(\",\")" out.json |
		LC_ALL=C sort >expect &&
	python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding=\"utf-8\", newline=\"\")))
for r in rows:
    print(\",\".join([r[\"case\"], r[\"date\"], r[\"target\"], r[\"role\"], r[\"points\"], r[\"rule\"]]))
" out.csv | LC_ALL=C sort >actual &&
	test_line_count = 16 expect &&
	test_cmp expect actual
'

test_expect_success 'score --format table shows the department and person totals' '
	complaint -C "$TOTALS_STORE" --now 2026-10-26T12:00 score --month 2026-10 >out &&
	test_grep "餐饮部 *70 *700" out &&
	test_grep "客房部 *35 *350" out &&
	test_grep "张三 *responsible *餐饮部 *150 *1500" out
'

test_expect_success 'score refuses a bad period with a usage error (exit 2)' '
	test_expect_code 2 complaint -C "$TOTALS_STORE" score --month 2026-13 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint -C "$TOTALS_STORE" score --since 2026-10-01 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint -C "$TOTALS_STORE" score --month 2026-10 --since 2026-10-01 --until 2026-10-31 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint -C "$TOTALS_STORE" score --since 2026-10-31 --until 2026-10-01 2>err &&
	test_error_line err
'

MONTHEND_STORE=
for sc_file in "$SCEN"/*; do
	if sed -n 1p "$sc_file" | grep -q "^scenario month end in the policy zone"; then
		MONTHEND_STORE=$TRASH_DIRECTORY/store-$(basename "$sc_file")
	fi
done

test_expect_success 'month end: case files and report months follow the policy zone too (TZ=UTC and TZ=Asia/Tokyo)' '
	test -n "$MONTHEND_STORE" &&
	(cd "$MONTHEND_STORE" && find cases -name "*.yaml" | sed "s|/[^/]*\$||" | sort) >actual &&
	printf "%s\n" cases/2026/10 cases/2026/11 >expect &&
	test_cmp expect actual &&
	for tz in UTC Asia/Tokyo America/Los_Angeles; do
		env TZ=$tz complaint -C "$MONTHEND_STORE" --now 2026-12-01T09:00 report --month 2026-10 --format json >out.json &&
		jq -c "[.totals.received, .totals.resolved]" out.json >actual &&
		echo "[1,0]" >expect &&
		test_cmp expect actual &&
		env TZ=$tz complaint -C "$MONTHEND_STORE" --now 2026-12-01T09:00 report --month 2026-11 --format json >out.json &&
		jq -c "[.totals.received, .totals.resolved, .previous.received]" out.json >actual &&
		echo "[1,2,1]" >expect &&
		test_cmp expect actual || return 1
	done
'

test_expect_success 'head and leader are those copied at assign, not those of the roster today' '
	complaint --now 2026-09-30T09:00 init roster >/dev/null &&
	A=$(complaint -C roster --now 2026-10-14T09:00 new --customer 甲 --channel phone --category product \
		--summary 旧负责人 --scope media --received 2026-10-14T09:00) &&
	complaint -C roster --now 2026-10-14T09:01 assign $A --department 餐饮部 --responsible 张三 >/dev/null &&
	sed -i "s/{name: 餐饮部, head: 李四, leader: 王五}/{name: 餐饮部, head: 新主管, leader: 新领导}/" roster/org.yaml &&
	grep -q 新主管 roster/org.yaml &&
	(cd roster && GIT_AUTHOR_DATE=2026-10-20T10:00:00+08:00 GIT_COMMITTER_DATE=2026-10-20T10:00:00+08:00 \
		git commit -q -m "roster: new head" org.yaml) &&
	B=$(complaint -C roster --now 2026-10-21T09:00 new --customer 乙 --channel phone --category product \
		--summary 新负责人 --scope media --received 2026-10-21T09:00) &&
	complaint -C roster --now 2026-10-21T09:01 assign $B --department 餐饮部 --responsible 张三 >/dev/null &&
	complaint -C roster --now 2026-10-21T10:00 score --month 2026-10 --format json >out.json &&
	jq -r ".items[] | select(.role == \"head\" or .role == \"leader\") | [.case, .target, .role] | join(\" \")" out.json |
		sed -e "s/$A/A/" -e "s/$B/B/" | LC_ALL=C sort >actual &&
	printf "%s\n" "A 李四 head" "A 王五 leader" "B 新主管 head" "B 新领导 leader" | LC_ALL=C sort >expect &&
	test_cmp expect actual
'

test_done
