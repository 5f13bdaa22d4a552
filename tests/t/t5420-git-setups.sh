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

# ---- a shallow clone (git clone --depth) ----

test_expect_success 'setup: a store with two months of history and a policy change, cloned --depth 1' '
	cd "$TRASH_DIRECTORY" &&
	complaint --now 2026-09-01T09:00 init full >/dev/null &&
	test_ignore_scratch full &&
	(cd full &&
	 C1=$(complaint --now 2026-10-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	 complaint --now 2026-10-02T10:00 assign $C1 --department 餐饮部 &&
	 sed -i "s/^name: .*/name: winery-2027/" policy.yaml &&
	 env GIT_AUTHOR_DATE=2026-11-01T08:00+08:00 GIT_COMMITTER_DATE=2026-11-01T08:00+08:00 \
		git commit -q -a -m "policy: renamed" &&
	 C2=$(complaint --now 2026-11-03T09:00 new --customer 李女士 --channel phone \
		--category service --summary 菜凉了) &&
	 complaint --now 2026-11-04T09:00 note $C1 "a late note" &&
	 echo $C1 >../c1.id) &&
	C1=$(cat c1.id) &&
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/full" shallow &&
	test_ignore_scratch shallow &&
	test -f shallow/.git/shallow
'

test_expect_success 'the work tree'"'"'s report, score and list need no history before the cut' '
	for cmd in "report --month 2026-11" "report --month 2026-11 --format json" \
		"score --month 2026-11" "list"; do
		(cd full && complaint --now 2026-11-20T09:00 $cmd >../expect) &&
		(cd shallow && complaint --now 2026-11-20T09:00 $cmd >../actual 2>../err) &&
		test_cmp expect actual && test_must_be_empty err || return 1
	done
'

test_expect_success 'what needs history before the cut says so, and that git fetch --unshallow fetches it (5)' '
	cd shallow &&
	test_expect_code 5 complaint --now 2026-11-20T09:00 report --month 2026-10 >out 2>err &&
	test_error_line err &&
	test_grep "shallow clone" err && test_grep "git fetch --unshallow" err &&
	test_grep "2026-10-31T23:59:59" err &&
	test_expect_code 5 complaint --now 2026-11-20T09:00 score --month 2026-10 >out 2>err &&
	test_grep "git fetch --unshallow" err &&
	test_expect_code 5 complaint --now 2026-11-20T09:00 report --month 2026-11 --as-of 2026-11-03T12:00 >out 2>err &&
	test_grep "git fetch --unshallow" err &&
	test_grep ! "object not found" err
'

test_expect_success 'log shows the history that is there, and warns where it stops' '
	complaint --now 2026-11-20T09:00 log $C1 >out 2>err &&
	test_grep "a late note" out &&
	test_grep "shallow clone" err && test_grep "git fetch --unshallow" err &&
	test_grep ! "object not found" err
'

test_expect_success 'after git fetch --unshallow: the same answers as the full store' '
	git fetch -q --unshallow &&
	test_path_is_missing .git/shallow &&
	for cmd in "report --month 2026-10" "score --month 2026-10" \
		"report --month 2026-11 --as-of 2026-11-03T12:00" "log $C1"; do
		(cd ../full && complaint --now 2026-11-20T09:00 $cmd >../expect) &&
		complaint --now 2026-11-20T09:00 $cmd >../actual 2>err &&
		test_cmp ../expect ../actual && test_must_be_empty err || return 1
	done
'

# ---- CRLF line ends (Git for Windows: core.autocrlf=true, or eol=crlf) ----

# crlf_checkout: the case files checked out again by git, with its filters,
# dated a while back and the index refreshed, so that git's index vouches
# for them (not "racy") and the cache is looked up by the index's ids
crlf_checkout () {
	rm -f cases/*/*/*.yaml &&
	git checkout -- cases &&
	grep -q "$(printf "\r")" "$(case_path $K1)" &&
	touch -d "@$(($(date +%s) - 100))" cases/*/*/*.yaml &&
	git update-index -q --really-refresh >/dev/null
}

test_expect_success 'setup: a store whose case files git checked out with CRLF (core.autocrlf=true)' '
	cd "$TRASH_DIRECTORY" &&
	new_store crlf &&
	K1=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --description "$(printf "一\n二")") &&
	K2=$(complaint --now 2026-11-02T10:00 new --customer 李女士 --channel phone \
		--category service --summary 菜凉了) &&
	git config core.autocrlf true &&
	crlf_checkout &&
	git status --porcelain >status.tmp && test_must_be_empty status.tmp
'

test_expect_success 'core.autocrlf=true: check is clean, the event commands work, git status stays clean' '
	complaint check >out 2>err &&
	complaint --now 2026-11-02T11:00 assign $K1 --department 餐饮部 &&
	complaint --now 2026-11-02T11:10 note $K2 "看过了" &&
	git status --porcelain >status.tmp && test_must_be_empty status.tmp &&
	complaint check >out 2>err &&
	complaint --now 2026-11-02T12:00 show $K1 >out &&
	test_grep 餐饮部 out
'

test_expect_success 'core.autocrlf=true: the cache is keyed as git names the files, warm on the next run, checked' '
	crlf_checkout &&
	rm -rf .git/complaint &&
	complaint --now 2026-11-03T09:00 --no-cache list --format json >expect &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-03T09:00 list --format json >out 2>err &&
	test_cmp expect out &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-03T09:00 list --format json >out 2>err &&
	test_cmp expect out &&
	test_grep "2 hits, 0 misses" err &&
	complaint check >out 2>err
'

test_expect_success 'core.autocrlf=true: a real hand edit is still refused (4) and named by check' '
	printf "# by hand\r\n" >>"$(case_path $K2)" &&
	test_expect_code 4 complaint --now 2026-11-03T10:00 note $K2 x >out 2>err &&
	test_grep "not committed" err &&
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "$K2" out &&
	git checkout -- cases &&
	complaint check >out 2>err
'

test_expect_success 'an eol=crlf attribute: the same' '
	git config --unset core.autocrlf &&
	echo "cases/** text eol=crlf" >>.gitattributes &&
	git add .gitattributes && git commit -q -m "attributes: CRLF" &&
	crlf_checkout &&
	git status --porcelain >status.tmp && test_must_be_empty status.tmp &&
	complaint check >out 2>err &&
	complaint --now 2026-11-03T11:00 note $K1 "又看了" &&
	complaint --now 2026-11-03T11:10 note $K2 "也看了" &&
	git status --porcelain >status.tmp && test_must_be_empty status.tmp &&
	complaint check >out 2>err &&
	crlf_checkout &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-03T12:00 list >out 2>err &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-03T12:00 list >out 2>err &&
	test_grep "2 hits, 0 misses" err
'

test_done
