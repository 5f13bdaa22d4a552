#!/bin/sh
test_description='merge-file: the case merge driver, run by git pull and by hand'
. "$(dirname "$0")/test-lib.sh"

site () {
	complaint clone "$TRASH_DIRECTORY/shared.git" "$1" >/dev/null &&
	test_ignore_scratch "$1"
}

events () {
	(cd "$1" && yaml_get "$(case_path "$2")" events) |
	jq -r '.[] | "\(.action) \(.by) \(.at)"'
}

test_expect_success 'setup: a shared remote, two sites, a case at both' '
	new_store first &&
	cd .. &&
	git clone -q --bare first shared.git &&
	site bj &&
	site sh &&
	ID=$(complaint -C bj --actor 客服/赵六 --now 2026-11-02T10:00 new --customer 王先生 \
		--channel phone --category service --summary 上菜慢) &&
	git -C bj push -q origin master &&
	git -C sh pull -q --no-rebase origin master &&
	CASE=$(cd bj && case_path $ID)
'

test_expect_success 'git pull merges a case changed at both sites through the driver' '
	complaint -C bj --actor 客服/赵六 --now 2026-11-02T10:05 assign $ID --department 餐饮部 &&
	git -C bj push -q origin master &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-02T10:07 note $ID "customer phoned again" &&
	git -C sh pull --no-rebase --no-edit origin master >out 2>err &&
	test_grep ! CONFLICT out &&
	events sh $ID >actual &&
	cat >expect <<-\EOF &&
	new 客服/赵六 2026-11-02T10:00:00+08:00
	assign 客服/赵六 2026-11-02T10:05:00+08:00
	note 前台/孙八 2026-11-02T10:07:00+08:00
	EOF
	test_cmp expect actual &&
	test "$(git -C sh rev-list --merges --count HEAD)" = 1 &&
	git -C sh status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	complaint -C sh check >out
'

test_expect_success 'the driver writes what sync would: the same bytes both ways' '
	git -C sh push -q origin master &&
	complaint -C bj --now 2026-11-02T10:10 sync >out &&
	test_cmp_bytes "sh/$CASE" "bj/$CASE" &&
	complaint -C bj --actor 餐饮部/李四 --now 2026-11-02T10:12 notify $ID &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-02T10:13 note $ID "offered a drink" &&
	cp -r sh sh2 &&
	git -C sh pull -q --no-rebase --no-edit "$TRASH_DIRECTORY/bj" master &&
	complaint -C bj --now 2026-11-02T10:20 sync >out &&
	complaint -C sh2 --now 2026-11-02T10:20 sync >out &&
	test_cmp_bytes "sh2/$CASE" "sh/$CASE"
'

test_expect_success 'git pull with facts changed at both sites: a conflict with markers' '
	rm -rf sh2 &&
	complaint -C sh --now 2026-11-02T10:30 sync >out &&
	complaint -C bj --now 2026-11-02T10:30 sync >out &&
	sed -i "s/^summary: .*/summary: 上菜慢一小时/" "bj/$CASE" &&
	git -C bj commit -q -a -m "summary, by hand" &&
	git -C bj push -q origin master &&
	sed -i "s/^summary: .*/summary: 上菜慢两小时/" "sh/$CASE" &&
	git -C sh commit -q -a -m "summary, by hand too" &&
	test_must_fail git -C sh pull --no-rebase --no-edit origin master >out 2>err &&
	test_grep "CONFLICT" out &&
	test_grep "complaint: merge-file $CASE: .*differ in its summary, and both sides changed it" err &&
	test_grep "^<<<<<<< " "sh/$CASE" &&
	test_grep "^>>>>>>> " "sh/$CASE" &&
	git -C sh merge --abort &&
	git -C sh status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git -C sh reset -q --hard origin/master
'

# Three versions for the driver run by hand, in a store
test_expect_success 'setup: three versions of the case' '
	cd bj &&
	git show HEAD:$CASE >base &&
	complaint --actor 甲 --now 2026-11-02T11:00 note $ID "from ours" &&
	cp $CASE ours.tmp &&
	git reset -q --hard HEAD~1 &&
	complaint --actor 乙 --now 2026-11-02T11:01 note $ID "from theirs" &&
	cp $CASE theirs.tmp &&
	git reset -q --hard HEAD~1 &&
	cp ours.tmp o1.tmp && cp theirs.tmp t1.tmp &&
	cp theirs.tmp o2.tmp && cp ours.tmp t2.tmp
'

test_expect_success 'merge-file writes the union into OURS, exit 0, silent' '
	complaint merge-file base o1.tmp t1.tmp "$CASE" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test_grep "from ours" o1.tmp &&
	test_grep "from theirs" o1.tmp &&
	test "$(grep -c "action: note" o1.tmp)" = "$(($(grep -c "action: note" base) + 2))"
'

test_expect_success 'whichever side is ours, the result is the same bytes' '
	complaint merge-file base o2.tmp t2.tmp "$CASE" &&
	test_cmp_bytes o1.tmp o2.tmp
'

test_expect_success 'the result is a valid case whose derived fields agree' '
	cp o1.tmp "$CASE" &&
	git commit -q -a -m "merged by hand with the driver" &&
	complaint check >out &&
	git reset -q --hard HEAD~1
'

test_expect_success 'an empty BASE (git has no common version) merges too' '
	: >empty &&
	cp ours.tmp o3.tmp &&
	complaint merge-file empty o3.tmp theirs.tmp "$CASE" &&
	test_cmp_bytes o1.tmp o3.tmp
'

test_expect_success 'two different cases: exit 1, OURS gets conflict markers' '
	OTHER=$(complaint --now 2026-11-02T11:30 new --customer 李女士 --channel phone \
		--category product --summary 酒有异味) &&
	cp "$(case_path $OTHER)" other.tmp &&
	cp ours.tmp o4.tmp &&
	test_expect_code 1 complaint merge-file base o4.tmp other.tmp "$CASE" >out 2>err &&
	test_error_line err &&
	test_grep "^complaint: merge-file $CASE: .*different cases" err &&
	test_grep "^<<<<<<< ours" o4.tmp &&
	test_grep "^>>>>>>> theirs" o4.tmp
'

test_expect_success 'a version that cannot be read: exit 1, naming it' '
	cp ours.tmp o5.tmp &&
	printf "id: [broken\n" >bad.tmp &&
	test_expect_code 1 complaint merge-file base o5.tmp bad.tmp "$CASE" >out 2>err &&
	test_error_line err &&
	test_grep "(theirs)" err
'

test_expect_success 'no store to take the policy from: exit 1' '
	cp ours.tmp "$TRASH_DIRECTORY/o6.tmp" &&
	cp theirs.tmp base "$TRASH_DIRECTORY/" &&
	(cd "$TRASH_DIRECTORY" && test_expect_code 1 complaint merge-file base o6.tmp theirs.tmp x.yaml) 2>err &&
	test_grep "no store found" err
'

test_expect_success 'usage errors (2)' '
	test_expect_code 2 complaint merge-file a b c 2>err &&
	test_expect_code 2 complaint merge-file a b c d e 2>err &&
	complaint merge-file --help >out &&
	test_grep "usage: complaint merge-file BASE OURS THEIRS PATH" out
'

test_done
