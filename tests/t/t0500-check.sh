#!/bin/sh
test_description='check: policy, roster, every case and the git state'
. "$(dirname "$0")/test-lib.sh"

new_store store

NOW=2026-11-22T16:00

# edit FILE SED-SCRIPT: change a file by hand
edit () {
	sed "$2" "$1" >"$1.tmp" &&
	mv "$1.tmp" "$1" &&
	! git diff --quiet -- "$1"
}

# hand_commit FILE SED-SCRIPT: change a file by hand and commit it
hand_commit () {
	edit "$1" "$2" &&
	git add "$1" &&
	git commit -q -m "by hand: $1"
}

test_expect_success 'a new store checks clean (exit 0)' '
	complaint --now $NOW check >out 2>err
'

test_expect_success 'setup: cases' '
	A=$(complaint --now 2026-11-22T14:10 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --amount 1200 --received 2026-11-22T14:05) &&
	B=$(complaint --now 2026-11-22T14:30 new --customer 李女士 --channel online \
		--category product --summary 酒瓶破损) &&
	C=$(complaint --now 2026-11-22T14:40 new --customer 张三 --channel email \
		--category finance --summary 多收费) &&
	complaint --now 2026-11-22T14:50 assign $B --department 餐饮部 &&
	FA=$(case_path $A) && FB=$(case_path $B) && FC=$(case_path $C) &&
	test -n "$FA" && test -n "$FB" && test -n "$FC"
'

test_expect_success 'a clean store with cases checks clean (exit 0)' '
	complaint --now $NOW check >out 2>err &&
	test_grep ! -F "$A" out &&
	test_grep ! -F "$A" err
'

test_expect_success 'check does not write' '
	store_snapshot &&
	complaint --now $NOW check >out 2>err &&
	store_unchanged
'

test_expect_success 'a committed hand edit of status: reported with the file name (exit 1)' '
	hand_commit "$FA" "s/^status: new\$/status: resolved/" &&
	store_snapshot &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$A.yaml" all.tmp &&
	test_grep -i status all.tmp &&
	store_unchanged
'

test_expect_success 'other cases are not blamed' '
	test_grep ! -F "$B" all.tmp &&
	test_grep ! -F "$C" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'an uncommitted hand edit of status: reported (exit 1)' '
	edit "$FB" "s/^status: assigned\$/status: closed/" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$B.yaml" all.tmp &&
	git checkout -- "$FB" &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'a hand edit of severity or of a deadline: reported (exit 1)' '
	hand_commit "$FA" "s/^severity: general\$/severity: minor/" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$A.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	hand_commit "$FA" "s/^  resolve: 2026-11-23T02:05:00+08:00\$/  resolve: 2026-11-30T02:05:00+08:00/" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$A.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'a YAML syntax error: file:line:column, and the other cases still read' '
	hand_commit "$FC" "s/^summary: .*/summary: [broken/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -E "$C\.yaml:[0-9]+:[0-9]+" all.tmp &&
	test_grep ! -F "$A" all.tmp &&
	git revert --no-edit HEAD >/dev/null
'

test_expect_success 'an unknown field: file:line:column with the line counted from 1' '
	hand_commit "$FC" "3a\\
bogus: 1" &&
	sed -n 4p "$FC" >actual &&
	echo "bogus: 1" >expect &&
	test_cmp expect actual &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$C.yaml:4:1" all.tmp &&
	git revert --no-edit HEAD >/dev/null
'

test_expect_success 'two bad files: both reported' '
	hand_commit "$FC" "s/^summary: .*/summary: [broken/" &&
	hand_commit "$FA" "s/^status: new\$/status: closed/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$A.yaml" all.tmp &&
	test_grep -F "$C.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	git revert --no-edit HEAD~2 >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'an alias, a duplicate key, invalid UTF-8: reported' '
	hand_commit "$FC" "s/^summary: \(.*\)/summary: \&s \1\ndescription: *s/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -E "$C\.yaml:[0-9]+:[0-9]+" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	hand_commit "$FC" "s/^\(summary: .*\)/\1\n\1/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -E "$C\.yaml:[0-9]+:[0-9]+" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	hand_commit "$FC" "s/^summary: .*/summary: \xff\xfe/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$C.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'a case file in the wrong month directory or under the wrong name' '
	mkdir -p cases/2026/10 &&
	git mv "$FB" "cases/2026/10/$B.yaml" &&
	git commit -q -m "misfiled" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "$B" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	git mv "$FB" "cases/2026/11/C-20261122-AAAAAAAA.yaml" &&
	git commit -q -m "renamed" &&
	test_expect_code 1 complaint --now $NOW check >out 2>err &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'a broken policy.yaml: reported naming it' '
	hand_commit policy.yaml "s/^currency: CNY\$/currency: [CNY/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -E "policy\.yaml:[0-9]+:[0-9]+" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'an inconsistent policy.yaml: reported naming it' '
	hand_commit policy.yaml "s/^    min_amount: 1000\$/    min_amount: 20000/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "policy.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null
'

test_expect_success 'a broken org.yaml: reported naming it' '
	hand_commit org.yaml "s/^directors: .*/directors: {x/" &&
	test_must_fail complaint --now $NOW check >out 2>err &&
	cat out err >all.tmp &&
	test_grep -F "org.yaml" all.tmp &&
	git revert --no-edit HEAD >/dev/null &&
	complaint --now $NOW check >out 2>err
'

test_expect_success 'check outside a store (exit 2)' '
	(cd .. && test_expect_code 2 complaint check >out 2>err &&
	 test_grep "^complaint: " err)
'

test_expect_success 'at the end: a clean store, check exits 0' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	complaint --now $NOW check >out 2>err
'

test_done
