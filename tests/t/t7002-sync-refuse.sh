#!/bin/sh
test_description='sync: what needs a human is refused (exit 4) and nothing is changed'
. "$(dirname "$0")/test-lib.sh"

site () {
	complaint clone "$TRASH_DIRECTORY/shared.git" "$1" >/dev/null &&
	test_ignore_scratch "$1"
}

# site_state DIR: HEAD, the branches, the index, git status, every file's bytes
site_state () {
	(
		cd "$1" &&
		git rev-parse HEAD &&
		git symbolic-ref HEAD &&
		git for-each-ref --format="%(refname) %(objectname)" refs/heads &&
		git ls-files -s &&
		git status --porcelain --untracked-files=all &&
		find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs sha1sum
	)
}

# refused SITE PATTERN: sync at SITE exits 4 with one error line matching
# PATTERN, and SITE is as it was
refused () {
	site_state "$1" >state.before &&
	test_expect_code 4 complaint -C "$1" --now 2026-11-10T09:00 sync >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "$2" err &&
	site_state "$1" >state.after &&
	test_cmp state.before state.after &&
	test_path_is_missing "$1/.git/index.lock" &&
	test_path_is_missing "$1/.git/MERGE_HEAD"
}

# commit_by_hand SITE MESSAGE: commit what was edited at SITE with git
commit_by_hand () {
	git -C "$1" commit -q -a -m "$2"
}

test_expect_success 'setup: a shared remote, two sites, a case' '
	new_store first &&
	cd .. &&
	git clone -q --bare first shared.git &&
	site bj &&
	site sh &&
	ID=$(complaint -C bj --now 2026-11-02T10:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	complaint -C bj --now 2026-11-02T10:01 sync >out &&
	complaint -C sh --now 2026-11-02T10:01 sync >out &&
	CASE=$(cd bj && case_path $ID)
'

test_expect_success 'policy.yaml edited at two sites in different places merges' '
	sed -i "s/^name: winery-2022/name: winery-2022b/" bj/policy.yaml &&
	git -C bj commit -q -a -m "policy: a new name" &&
	complaint -C bj --now 2026-11-10T07:00 sync >out &&
	sed -i "s/recurring_at: 3/recurring_at: 4/" sh/policy.yaml &&
	git -C sh commit -q -a -m "policy: recurring at 4" &&
	complaint -C sh --now 2026-11-10T07:01 sync >out &&
	test_grep "^Merged origin/master and pushed" out &&
	test_grep "^name: winery-2022b" sh/policy.yaml &&
	test_grep "recurring_at: 4" sh/policy.yaml &&
	complaint -C bj --now 2026-11-10T07:02 sync >out &&
	test_cmp_bytes bj/policy.yaml sh/policy.yaml &&
	complaint -C sh check >out
'

test_expect_success 'policy.yaml edited differently at two sites: refused, naming it' '
	sed -i "0,/resolve: 2h/s//resolve: 3h/" bj/policy.yaml &&
	commit_by_hand bj "policy: minor cases in 3h" &&
	sed -i "0,/resolve: 2h/s//resolve: 4h/" sh/policy.yaml &&
	commit_by_hand sh "policy: minor cases in 4h" &&
	complaint -C bj --now 2026-11-10T08:00 sync >out &&
	cp sh/policy.yaml policy.before &&
	refused sh "policy.yaml was changed here and at the remote" &&
	test_grep "^complaint: sync: policy.yaml" err &&
	test_cmp_bytes policy.before sh/policy.yaml
'

test_expect_success 'and refused again, with a case change at both sites too' '
	complaint -C bj --now 2026-11-10T08:10 note $ID "from bj" &&
	complaint -C bj --now 2026-11-10T08:11 sync >out &&
	complaint -C sh --now 2026-11-10T08:12 note $ID "from sh" &&
	refused sh "policy.yaml"
'

test_expect_success 'after a merge by hand (git pull), sync goes on' '
	(cd sh && git pull -q --no-rebase --no-edit origin master 2>/dev/null; true) &&
	git -C sh checkout -q --theirs policy.yaml &&
	git -C sh add policy.yaml &&
	git -C sh commit -q --no-edit &&
	complaint -C sh --now 2026-11-10T08:20 sync >out &&
	complaint -C bj --now 2026-11-10T08:21 sync >out &&
	test "$(git -C bj rev-parse HEAD)" = "$(git -C sh rev-parse HEAD)" &&
	grep -c "from bj\|from sh" "sh/$CASE" >count &&
	echo 2 >expect &&
	test_cmp expect count
'

test_expect_success 'org.yaml edited differently at two sites: refused, naming it' '
	sed -i "s/head: 李四/head: 李四甲/" bj/org.yaml &&
	commit_by_hand bj "roster: new head" &&
	complaint -C bj --now 2026-11-10T08:30 sync >out &&
	sed -i "s/head: 李四/head: 李四乙/" sh/org.yaml &&
	commit_by_hand sh "roster: another head" &&
	refused sh "^complaint: sync: org.yaml was changed here and at the remote" &&
	git -C sh reset -q --hard origin/master &&
	complaint -C sh --now 2026-11-10T08:31 sync >out
'

test_expect_success 'a case whose facts were edited by hand at both sites: refused' '
	sed -i "s/^summary: .*/summary: 上菜慢了一小时/" "bj/$CASE" &&
	commit_by_hand bj "fix summary" &&
	complaint -C bj --now 2026-11-10T09:00 sync >out &&
	sed -i "s/^summary: .*/summary: 上菜慢了两小时/" "sh/$CASE" &&
	commit_by_hand sh "fix summary too" &&
	refused sh "$ID differ in its summary, and both sides changed it" &&
	git -C sh reset -q --hard origin/master
'

test_expect_success 'a fact edited at one site, an event at the other: both kept' '
	sed -i "s/^summary: .*/summary: 上菜慢了一个半小时/" "bj/$CASE" &&
	commit_by_hand bj "fix summary again" &&
	complaint -C bj --now 2026-11-10T09:10 sync >out &&
	complaint -C sh --now 2026-11-10T09:11 note $ID "still waiting" &&
	complaint -C sh --now 2026-11-10T09:12 sync >out &&
	test_grep "^summary: 上菜慢了一个半小时" "sh/$CASE" &&
	test_grep "still waiting" "sh/$CASE" &&
	complaint -C sh check >out
'

test_expect_success 'a case deleted at one site and changed at the other: refused' '
	complaint -C bj --now 2026-11-10T09:20 sync >out &&
	git -C bj rm -q "$CASE" &&
	git -C bj commit -q -m "remove the case" &&
	complaint -C bj --now 2026-11-10T09:21 sync >out &&
	complaint -C sh --now 2026-11-10T09:22 note $ID "one more" &&
	refused sh "deleted on one side and changed on the other" &&
	git -C bj revert --no-edit HEAD >/dev/null &&
	complaint -C bj --now 2026-11-10T09:23 sync >out &&
	complaint -C sh --now 2026-11-10T09:24 sync >out
'

test_expect_success 'a case file changed and not committed: refused' '
	echo "# a hand edit" >>"sh/$CASE" &&
	refused sh "$CASE has changes that are not committed" &&
	git -C sh checkout -q -- "$CASE"
'

test_expect_success 'a staged change to policy.yaml: refused' '
	echo "# staged" >>sh/policy.yaml &&
	git -C sh add policy.yaml &&
	refused sh "policy.yaml has changes that are not committed" &&
	git -C sh reset -q --hard
'

test_expect_success 'an untracked case file: refused' '
	mkdir -p sh/cases/2026/12 &&
	cp "sh/$CASE" sh/cases/2026/12/C-20261201-AAAAAAAA.yaml &&
	refused sh "cases/2026/12/C-20261201-AAAAAAAA.yaml is not committed" &&
	rm -r sh/cases/2026/12
'

test_expect_success 'several dirty files: the message counts them' '
	echo "# x" >>sh/org.yaml &&
	echo "# y" >>sh/policy.yaml &&
	refused sh "(and 1 more file)" &&
	git -C sh checkout -q -- org.yaml policy.yaml
'

test_expect_success 'a file that is not the store'"'"'s does not stop a sync' '
	echo scratch >sh/notes.txt &&
	complaint -C bj --now 2026-11-10T09:30 note $ID "bj again" &&
	complaint -C bj --now 2026-11-10T09:31 sync >out &&
	complaint -C sh --now 2026-11-10T09:32 sync >out &&
	test_path_is_file sh/notes.txt &&
	rm sh/notes.txt
'

test_expect_success 'git in the middle of a merge: refused' '
	complaint -C bj --now 2026-11-10T09:40 note $ID "bj 1" &&
	complaint -C bj --now 2026-11-10T09:41 sync >out &&
	complaint -C sh --now 2026-11-10T09:42 note $ID "sh 1" &&
	git -C sh fetch -q origin &&
	git -C sh -c merge.complaint-case.driver=false merge -q --no-edit origin/master >/dev/null 2>&1;
	test_path_is_file sh/.git/MERGE_HEAD &&
	site_state sh >state.before &&
	test_expect_code 4 complaint -C sh --now 2026-11-10T09:43 sync >out 2>err &&
	test_error_line err &&
	test_grep "in the middle of a merge" err &&
	site_state sh >state.after &&
	test_cmp state.before state.after &&
	git -C sh merge --abort &&
	complaint -C sh --now 2026-11-10T09:44 sync >out &&
	complaint -C sh check >out
'

test_expect_success 'a detached HEAD: refused' '
	git -C sh checkout -q --detach &&
	test_expect_code 4 complaint -C sh --now 2026-11-10T09:50 sync >out 2>err &&
	test_grep "HEAD is detached" err &&
	git -C sh checkout -q master
'

test_expect_success 'the store lock held by another command: refused (4)' '
	: >hold.tmp &&
	flock sh/.git/complaint.lock sh -c "while test -f hold.tmp; do sleep 0.1; done" &
	while flock -n sh/.git/complaint.lock true; do sleep 0.1; done &&
	site_state sh >state.before &&
	test_expect_code 4 complaint -C sh --lock-timeout 0.2 --now 2026-11-10T09:51 sync >out 2>err;
	code=$? &&
	rm hold.tmp &&
	wait &&
	test $code = 0 &&
	test_grep "busy" err &&
	site_state sh >state.after &&
	test_cmp state.before state.after
'

test_expect_success 'after all that, the sites agree and check passes' '
	complaint -C sh --now 2026-11-10T10:00 sync >out &&
	complaint -C bj --now 2026-11-10T10:01 sync >out &&
	test "$(git -C bj rev-parse HEAD)" = "$(git -C sh rev-parse HEAD)" &&
	complaint -C bj check >out &&
	complaint -C sh check >out
'

test_done
