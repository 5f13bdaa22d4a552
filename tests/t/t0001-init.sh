#!/bin/sh
test_description='init makes a store: a git repository with policy, roster and one commit'
. "$(dirname "$0")/test-lib.sh"

test_expect_success '--help works without a store' '
	complaint --help >out &&
	test_grep "init" out &&
	test_grep "new" out &&
	complaint init --help >out &&
	test_grep "usage: complaint init" out &&
	complaint new --help >out &&
	test_grep -e "--customer" out &&
	complaint show --help >out &&
	test_grep "usage: complaint show" out &&
	test_path_is_missing .git &&
	test_path_is_missing policy.yaml
'

test_expect_success 'init makes a git repository with policy, roster, attributes and letter templates' '
	complaint --actor 赵六 --now 2026-11-01T09:00 init store >out 2>err &&
	test_path_is_dir store/.git &&
	test_path_is_file store/policy.yaml &&
	test_path_is_file store/org.yaml &&
	test_path_is_file store/.gitattributes &&
	(cd store && git ls-files) >actual &&
	printf "%s\n" .gitattributes org.yaml policy.yaml templates/apology.md templates/reply.md >expect &&
	test_cmp expect actual
'

test_expect_success 'the bundled policy is the shipped default; the roster reads' '
	test_cmp "$TEST_ROOT/policy/default.yaml" store/policy.yaml &&
	python3 -c "
import sys, yaml
o = yaml.safe_load(open(sys.argv[1], encoding=\"utf-8\"))
assert isinstance(o[\"directors\"], list) and o[\"directors\"], o
assert all(\"name\" in d and \"head\" in d for d in o[\"departments\"]), o
" store/org.yaml
'

test_expect_success 'exactly one commit, by the actor, at --now' '
	test "$(git -C store rev-list --count HEAD)" = 1 &&
	git -C store log -1 --format="%an" >actual &&
	echo 赵六 >expect &&
	test_cmp expect actual &&
	git -C store log -1 --format="%aI %cI" >actual &&
	echo "2026-11-01T09:00:00+08:00 2026-11-01T09:00:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'the store is clean: fsck --strict, empty status, index = HEAD' '
	git -C store fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out &&
	git -C store status --porcelain --untracked-files=all --ignored >out &&
	test_must_be_empty out &&
	git -C store diff --cached --quiet &&
	git -C store diff --quiet
'

test_expect_success 'the case merge driver is registered for case files' '
	git -C store check-attr merge -- cases/2026/11/C-20261101-AAAAAAAA.yaml >out &&
	driver=$(sed -n "s/^.*: merge: //p" out) &&
	test -n "$driver" &&
	test "$driver" != unspecified &&
	test "$driver" != unset &&
	git -C store config "merge.$driver.driver" >out &&
	test_grep "complaint" out
'

test_expect_success 'init again is refused (exit 1) and changes nothing' '
	store_snapshot store &&
	cp store/policy.yaml policy.before &&
	test_expect_code 1 complaint --now 2026-11-02T09:00 init store >out 2>err &&
	test_error_line err &&
	test_must_be_empty out &&
	store_unchanged store &&
	(cd store && test_expect_code 1 complaint --now 2026-11-02T09:00 init) >out 2>err &&
	test_error_line err &&
	test_must_be_empty out &&
	test_expect_code 1 complaint --now 2026-11-02T09:00 init --policy "$TEST_ROOT/policy/hospital.yaml" store >out 2>err &&
	test_error_line err &&
	store_unchanged store &&
	test_cmp policy.before store/policy.yaml &&
	git -C store status --porcelain --untracked-files=all --ignored >out &&
	test_must_be_empty out
'

test_expect_success 'init without DIR makes the store in the working directory' '
	mkdir here &&
	(cd here && complaint --now 2026-11-01T09:00 init) >out 2>err &&
	test_path_is_file here/policy.yaml &&
	test_path_is_dir here/.git &&
	test "$(git -C here rev-list --count HEAD)" = 1
'

test_expect_success 'COMPLAINT_NOW and COMPLAINT_ACTOR are used by init' '
	env COMPLAINT_NOW=2026-10-05T08:30:00+08:00 COMPLAINT_ACTOR=钱八 complaint init envstore >out &&
	git -C envstore log -1 --format="%an %aI %cI" >actual &&
	echo "钱八 2026-10-05T08:30:00+08:00 2026-10-05T08:30:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'init in an existing git repository keeps its history' '
	git init -q existing &&
	(cd existing && echo hello >README && git add README &&
	 git commit -q -m "first") &&
	before=$(git -C existing rev-parse HEAD) &&
	complaint --now 2026-11-01T09:00 init existing >out 2>err &&
	test "$(git -C existing rev-list --count HEAD)" = 2 &&
	test "$(git -C existing rev-parse HEAD^)" = "$before" &&
	test_path_is_file existing/README &&
	test_path_is_file existing/policy.yaml &&
	git -C existing status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'a letter template the directory holds already stays as it is, uncommitted' '
	mkdir -p own/templates &&
	echo "我们自己的致歉信" >own/templates/apology.md &&
	complaint --now 2026-11-01T09:00 init own >out 2>err &&
	echo "我们自己的致歉信" >expect &&
	test_cmp expect own/templates/apology.md &&
	git -C own ls-files templates >actual &&
	echo templates/reply.md >expect &&
	test_cmp expect actual &&
	git -C own status --porcelain >actual &&
	echo "?? templates/apology.md" >expect &&
	test_cmp expect actual
'

test_expect_success '--policy and --org start the store with those files' '
	cp "$TEST_ROOT/policy/hospital.yaml" hospital.yaml &&
	cat >roster.yaml <<-\EOF &&
	directors: [院长]
	departments:
	  - {name: 门诊部, head: 刘医生, leader: 周主任}
	  - {name: 住院部, head: 吴医生, leader: 周主任}
	EOF
	complaint --now 2026-11-01T09:00 init --policy hospital.yaml --org roster.yaml custom >out 2>err &&
	cmp hospital.yaml custom/policy.yaml &&
	cmp roster.yaml custom/org.yaml &&
	test "$(git -C custom rev-list --count HEAD)" = 1 &&
	git -C custom status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'every shipped policy can start a store' '
	for p in "$TEST_ROOT"/policy/*.yaml; do
		case $p in */org.yaml) continue ;; esac
		n=$(basename "$p" .yaml) &&
		# its own roster: a policy with an intake department needs one naming it
		r=$TEST_ROOT/policy/rosters/$n.yaml &&
		if test "$n" = default; then r=$TEST_ROOT/policy/rosters/winery.yaml; fi &&
		complaint --now 2026-11-01T09:00 init --policy "$p" --org "$r" "shipped-$n" >out 2>err &&
		cmp "$p" "shipped-$n/policy.yaml" || return 1
	done
'

test_expect_success 'an invalid policy is refused (exit 3): no repository made' '
	printf "name: broken\n" >bad-keys.yaml &&
	test_expect_code 3 complaint --now 2026-11-01T09:00 init --policy bad-keys.yaml bad1 >out 2>err &&
	test_error_line err &&
	test_grep "bad-keys.yaml" err &&
	test_path_is_missing bad1 &&
	printf "name: [\n" >bad-syntax.yaml &&
	test_expect_code 3 complaint --now 2026-11-01T09:00 init --policy bad-syntax.yaml bad2 >out 2>err &&
	test_error_line err &&
	test_grep "bad-syntax.yaml:[0-9]*:[0-9]*" err &&
	test_path_is_missing bad2
'

test_expect_success 'levels out of order are refused (exit 3)' '
	python3 - "$TEST_ROOT/policy/default.yaml" >disorder.yaml <<-\EOF &&
	import sys
	t = open(sys.argv[1], encoding="utf-8").read()
	# the general level asks for more money than the major one
	t = t.replace("min_amount: 1000\n", "min_amount: 20000\n", 1)
	sys.stdout.write(t)
	EOF
	! cmp -s disorder.yaml "$TEST_ROOT/policy/default.yaml" &&
	test_expect_code 3 complaint --now 2026-11-01T09:00 init --policy disorder.yaml bad3 >out 2>err &&
	test_error_line err &&
	test_path_is_missing bad3
'

test_expect_success 'an invalid policy in an existing repository commits nothing' '
	git init -q plain &&
	(cd plain && echo x >f && git add f && git commit -q -m base) &&
	head=$(git -C plain rev-parse HEAD) &&
	test_expect_code 3 complaint --now 2026-11-01T09:00 init --policy bad-keys.yaml plain >out 2>err &&
	test_error_line err &&
	test "$(git -C plain rev-parse HEAD)" = "$head" &&
	test_path_is_missing plain/policy.yaml &&
	test_path_is_missing plain/org.yaml &&
	git -C plain status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'an invalid roster is refused (exit 3): no repository made' '
	printf "directors: [a]\ndepartments:\n  - {name: x, head: [1, 2]}\n" >bad-org.yaml &&
	test_expect_code 3 complaint --now 2026-11-01T09:00 init --org bad-org.yaml bad4 >out 2>err &&
	test_error_line err &&
	test_path_is_missing bad4
'

test_expect_success 'a missing --policy file is an error with nothing made' '
	test_must_fail complaint --now 2026-11-01T09:00 init --policy no-such.yaml bad5 >out 2>err &&
	test_error_line err &&
	test_path_is_missing bad5
'

test_expect_success 'init with an unknown option is a usage error (exit 2)' '
	test_expect_code 2 complaint init --bogus bad6 >out 2>err &&
	test_grep "^complaint: " err &&
	test_path_is_missing bad6
'

test_done
