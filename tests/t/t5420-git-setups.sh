#!/bin/sh
test_description='git setups that must work or say why: a linked worktree, a shallow clone, CRLF conversion'
. "$(dirname "$0")/test-lib.sh"

# ---- a linked worktree (git worktree add) ----

new_store store

test_expect_success 'setup: a case in the main worktree, a linked worktree on a branch' '
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	git worktree add -q ../wt -b side &&
	git rev-parse master >../main.tip &&
	test_ignore_scratch . &&
	cp .git/info/exclude ../exclude.tmp
'

test_expect_success 'in the linked worktree: new and event commands commit on its branch' '
	cd ../wt &&
	ID2=$(complaint --now 2026-11-03T09:00 new --customer 李女士 --channel phone \
		--category service --summary 菜凉了) &&
	complaint --now 2026-11-03T10:00 assign $ID --department 餐饮部 &&
	complaint --now 2026-11-03T11:00 note $ID2 "在工作树里" &&
	git log --format=%s side >log.tmp &&
	test_grep "^note $ID2" log.tmp &&
	test_grep "^assign $ID" log.tmp &&
	git status --porcelain --untracked-files=all >status.tmp &&
	grep -v -e "^?? out" -e "^?? err" -e "^?? log.tmp" -e "^?? status.tmp" status.tmp >dirty.tmp;
	test_must_be_empty dirty.tmp &&
	rm -f log.tmp status.tmp dirty.tmp
'

test_expect_success 'in the linked worktree: reads, check, the cache, --as-of, log' '
	complaint --now 2026-11-04T09:00 list >out &&
	test_grep "$ID" out && test_grep "$ID2" out &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-04T09:00 list >out 2>err &&
	test_grep "2 hits" err &&
	complaint --now 2026-11-04T09:00 show $ID >out &&
	test_grep 餐饮部 out &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 >out &&
	complaint --now 2026-11-04T09:00 score --month 2026-11 >out &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-03T09:30 --format json >out &&
	test_grep "\"by_department\":{\"(unassigned)\":2}" out &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-02T12:00 --format json >out &&
	test_grep "\"received\":1," out &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --format json >out &&
	test_grep "\"餐饮部\":1" out &&
	complaint --now 2026-11-04T09:00 log $ID >out &&
	test_grep assign out &&
	complaint check >out 2>err &&
	test_path_is_file ../store/.git/complaint/cache &&
	test_path_is_file ../store/.git/worktrees/wt/complaint/first-parent &&
	test_path_is_missing .git/complaint
'

test_expect_success 'a lock on the worktree'"'"'s branch (in the common git directory) is seen: exit 4' '
	: >../store/.git/refs/heads/side.lock &&
	test_expect_code 4 complaint --now 2026-11-04T10:00 note $ID2 x >out 2>err &&
	test_grep "side.lock" err &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "side.lock" out &&
	rm ../store/.git/refs/heads/side.lock
'

test_expect_success 'the main worktree is not disturbed' '
	cd ../store &&
	git rev-parse master >../main.now &&
	test_cmp ../main.tip ../main.now &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint --now 2026-11-04T09:00 list >out &&
	test_grep "$ID" out && test_grep ! "$ID2" out &&
	complaint check >out 2>err &&
	complaint --now 2026-11-04T12:00 note $ID "in the main worktree" &&
	git -C ../wt status --porcelain >status.tmp &&
	test_grep ! "cases/" status.tmp
'

test_done
