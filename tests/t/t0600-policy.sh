#!/bin/sh
test_description='policy check FILE, policy check, policy show'
. "$(dirname "$0")/test-lib.sh"

DEFAULT=$TEST_ROOT/policy/default.yaml

# mutate NAME SED-SCRIPT: NAME.yaml is the default policy changed by SED-SCRIPT
mutate () {
	sed "$2" "$DEFAULT" >"$1.yaml" &&
	! cmp -s "$1.yaml" "$DEFAULT"
}

# line_of FILE PATTERN: the number of the first line matching PATTERN
line_of () {
	grep -n -m 1 -e "$2" "$1" | cut -d: -f1 | grep . || echo "no-line-matching-$2"
}

# policy_refused FILE [LINE]: policy check FILE fails (exit 1 or 3, bad data
# found) and says which file, and which line when LINE is given
policy_refused () {
	complaint policy check "$1" >out.tmp 2>err.tmp
	code_=$?
	cat out.tmp err.tmp >all.tmp
	case $code_ in
	1|3) ;;
	*) echo "policy check $1: exit $code_, wanted 1 or 3" >&2
	   cat all.tmp >&2
	   return 1 ;;
	esac
	test_grep "^complaint: " err.tmp &&
	if test -n "$2"; then
		test_grep -F "$1:$2:" all.tmp
	else
		test_grep -E "$1(:[0-9]+)?" all.tmp
	fi
}

test_expect_success 'every shipped policy passes policy check (no store needed)' '
	for p in "$TEST_ROOT"/policy/*.yaml; do
		complaint policy check "$p" >out 2>err || {
			echo "policy check $p failed:" >&2
			cat out err >&2
			return 1
		}
	done
'

test_expect_success 'the shipped policies include the default and at least two more' '
	test_path_is_file "$DEFAULT" &&
	ls "$TEST_ROOT"/policy/*.yaml >list.tmp &&
	test_line_count -ge 3 list.tmp
'

test_expect_success 'a syntax error names file:line:column' '
	mutate syntax "s/^currency: CNY\$/currency: [CNY/" &&
	policy_refused syntax.yaml &&
	test_grep -E "syntax\.yaml:[0-9]+:[0-9]+" all.tmp
'

test_expect_success 'a missing key is refused' '
	mutate missing "/^currency:/d" &&
	policy_refused missing.yaml &&
	test_grep currency all.tmp
'

test_expect_success 'an unknown top-level key is refused, naming its line' '
	mutate unknown "s/^flags: \[safety, regulator\]\$/&\nflagz: [x]/" &&
	policy_refused unknown.yaml $(line_of unknown.yaml "^flagz:")
'

test_expect_success 'a duplicate key is refused, naming its line' '
	mutate dup "s/^currency: CNY\$/&\ncurrency: USD/" &&
	policy_refused dup.yaml $(line_of dup.yaml "^currency: USD")
'

test_expect_success 'an alias is refused' '
	mutate alias "s/^channels: \[/channels: \&ch [/; s/^categories: .*/categories: *ch/" &&
	policy_refused alias.yaml
'

test_expect_success 'levels out of order are refused' '
	mutate order "s/^    min_amount: 1000\$/    min_amount: 20000/" &&
	policy_refused order.yaml
'

test_expect_success 'negative points are refused, naming the line' '
	mutate negative "s/^    penalties: {department: 10}\$/    penalties: {department: -10}/" &&
	policy_refused negative.yaml $(line_of negative.yaml "department: -10")
'

test_expect_success 'a negative point value is refused' '
	mutate negvalue "s/^point_value: 10 /point_value: -10 /" &&
	policy_refused negvalue.yaml $(line_of negvalue.yaml "^point_value: -10")
'

test_expect_success 'an unknown role in approvals is refused, naming the line' '
	mutate role "s/^    approvals: \[leader\]\$/    approvals: [leader, janitor]/" &&
	policy_refused role.yaml $(line_of role.yaml "janitor")
'

test_expect_success 'an unknown event in a deadline is refused, naming the line' '
	mutate event "s/^      onsite: {within: 10m, from: notify}\$/      onsite: {within: 10m, from: lunch}/" &&
	policy_refused event.yaml $(line_of event.yaml "from: lunch")
'

test_expect_success 'an unknown scope is refused, naming the line' '
	mutate scope "s/^    min_scope: public\$/    min_scope: galaxy/" &&
	policy_refused scope.yaml $(line_of scope.yaml "galaxy")
'

test_expect_success 'an unknown flag in a level is refused' '
	mutate flag "s/^    flags: \[safety, regulator\]\$/    flags: [safety, fire]/" &&
	policy_refused flag.yaml $(line_of flag.yaml "fire\]")
'

test_expect_success 'a from cycle is refused' '
	mutate cycle "s/^      notify: 10m .*/      notify: {within: 10m, from: onsite}/" &&
	policy_refused cycle.yaml
'

test_expect_success 'a malformed duration is refused, naming the line' '
	mutate duration "s/^      resolve: 2h\$/      resolve: 2 hours/" &&
	policy_refused duration.yaml $(line_of duration.yaml "2 hours")
'

test_expect_success 'an unknown timezone is refused, naming the line' '
	mutate tz "s/^timezone: Asia\/Shanghai/timezone: Mars\/Olympus_Mons/" &&
	policy_refused tz.yaml $(line_of tz.yaml "^timezone:")
'

test_expect_success 'an impossible holiday date is refused' '
	mutate holiday "s/2026-01-01, 2026-01-02/2026-02-30, 2026-01-02/" &&
	policy_refused holiday.yaml $(line_of holiday.yaml "2026-02-30")
'

test_expect_success 'a wrong type is refused, naming the line' '
	mutate type "s/^    min_amount: 10000\$/    min_amount: [10000]/" &&
	policy_refused type.yaml $(line_of type.yaml "min_amount: \[10000\]")
'

test_expect_success 'duplicate ids are refused' '
	mutate dupchannel "s/^channels: \[phone, /channels: [phone, phone, /" &&
	policy_refused dupchannel.yaml &&
	mutate duplevel "s/^  - id: major\$/  - id: general/" &&
	policy_refused duplevel.yaml
'

test_expect_success 'an empty file and a roster are not policies' '
	: >empty.yaml &&
	policy_refused empty.yaml &&
	printf "directors: [a]\ndepartments:\n  - {name: x, head: y, leader: z}\n" >roster.yaml &&
	policy_refused roster.yaml
'

test_expect_success 'a missing file is an error' '
	test_must_fail complaint policy check no-such.yaml >out 2>err &&
	test_error_line err
'

test_expect_success 'policy check without FILE checks the store policy' '
	new_store store &&
	complaint policy check >out 2>err &&
	cp ../syntax.yaml policy.yaml &&
	test_must_fail complaint policy check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -E "policy\.yaml:[0-9]+:[0-9]+" all.tmp &&
	git checkout -- policy.yaml &&
	complaint policy check >out 2>err
'

test_expect_success 'policy show: human, and the file byte for byte' '
	complaint policy show >out 2>err &&
	test_grep -F winery-2022 out &&
	test_grep -F 一般投诉 out &&
	complaint policy show --format yaml >out.yaml &&
	test_cmp_bytes policy.yaml out.yaml
'

test_expect_success 'policy check and show do not write' '
	store_snapshot &&
	complaint policy check >out &&
	complaint policy show >out &&
	complaint policy check "$DEFAULT" >out &&
	store_unchanged
'

test_expect_success 'intake must be a roster department: check, policy check, init and the commands report it' '
	cd "$TRASH_DIRECTORY" &&
	new_store intake &&
	python3 - policy.yaml <<-\EOF &&
	import sys, yaml
	p = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	p["intake"] = "前台"
	yaml.safe_dump(p, open(sys.argv[1], "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
	EOF
	git -c user.name=t -c user.email=t@example.com commit -qam "intake 前台" &&
	complaint policy check policy.yaml >out 2>err &&
	test_expect_code 1 complaint policy check >out 2>err &&
	test_error_line err &&
	test_grep -F "intake department '\''前台'\'' is not in the roster" err &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep -F "前台" out &&
	test_expect_code 3 complaint list >out 2>err &&
	test_error_line err &&
	test_grep -F "前台" err &&
	test_expect_code 3 complaint new --customer 甲 --channel phone --category service --summary x >out 2>err &&
	test_grep -F "前台" err &&
	cd "$TRASH_DIRECTORY" &&
	test_expect_code 3 complaint init intake2 --policy intake/policy.yaml --org intake/org.yaml >out 2>err &&
	test_error_line err &&
	test_grep -F "前台" err &&
	test_path_is_missing intake2 &&
	cd intake &&
	python3 - org.yaml <<-\EOF &&
	import sys, yaml
	o = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	o["departments"].append({"name": "前台", "head": "吴九"})
	yaml.safe_dump(o, open(sys.argv[1], "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
	EOF
	git -c user.name=t -c user.email=t@example.com commit -qam "前台 in the roster" &&
	complaint policy check >out 2>err &&
	complaint check >out 2>err &&
	complaint list >out 2>err
'

test_expect_success 'usage errors (exit 2)' '
	test_expect_code 2 complaint policy >out 2>err &&
	test_expect_code 2 complaint policy frobnicate >out 2>err &&
	test_grep "^complaint: " err &&
	test_expect_code 2 complaint policy show --format xml >out 2>err &&
	test_error_line err
'

test_done
