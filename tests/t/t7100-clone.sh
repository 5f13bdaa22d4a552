#!/bin/sh
test_description='clone: a site'"'"'s copy of a shared store, with the merge driver'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: a store with two cases, its bare copy' '
	new_store first &&
	complaint --now 2026-11-02T10:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 >../ids &&
	complaint --now 2026-11-02T10:01 new --customer 李女士 --channel phone \
		--category product --summary 酒有异味 >>../ids &&
	cd .. &&
	git clone -q --bare first shared.git
'

test_expect_success 'clone makes a store: files, one history, a clean state' '
	complaint clone "$TRASH_DIRECTORY/shared.git" site >out 2>err &&
	test_must_be_empty err &&
	test_grep "^Cloned .*shared.git into site: branch master, 2 cases; the case merge driver is registered\$" out &&
	test_path_is_file site/policy.yaml &&
	test_path_is_file site/org.yaml &&
	test_path_is_file site/.gitattributes &&
	test "$(git -C site rev-parse HEAD)" = "$(git -C first rev-parse HEAD)" &&
	git -C site status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	complaint -C site check >out &&
	for id in $(cat ids); do
		complaint -C site show $id >/dev/null || return 1
	done
'

test_expect_success 'the case merge driver is registered, and case files use it' '
	git -C site config merge.complaint-case.driver >actual &&
	echo "complaint merge-file %O %A %B %P" >expect &&
	test_cmp expect actual &&
	git -C site check-attr merge -- cases/2026/11/x.yaml >out &&
	test_grep "merge: complaint-case" out &&
	complaint -C site check >out &&
	test_grep ! "merge driver" out
'

test_expect_success 'the remote is origin, the branch tracks it; a path is kept absolute' '
	git -C site config remote.origin.url >actual &&
	echo "$TRASH_DIRECTORY/shared.git" >expect &&
	test_cmp expect actual &&
	git -C site config branch.master.remote >actual &&
	echo origin >expect &&
	test_cmp expect actual &&
	complaint clone shared.git rel >out &&
	git -C rel config remote.origin.url >actual &&
	echo "$TRASH_DIRECTORY/shared.git" >expect &&
	test_cmp expect actual
'

test_expect_success 'without DIR, the directory is named after the URL, as git does' '
	mkdir sub sub2 &&
	(cd sub && complaint clone "$TRASH_DIRECTORY/shared.git/") >out &&
	test_path_is_file sub/shared/policy.yaml &&
	(cd sub2 && complaint clone "file://$TRASH_DIRECTORY/shared.git") >out &&
	test_path_is_file sub2/shared/policy.yaml
'

test_expect_success 'a file:// URL works; into an existing empty directory too' '
	mkdir empty &&
	complaint clone "file://$TRASH_DIRECTORY/shared.git" empty >out &&
	test_path_is_file empty/policy.yaml &&
	complaint -C empty check >out
'

test_must_be_empty_dir_ () {
	test -z "$(ls -A "$1")" || { ls -A "$1" >&2; return 1; }
}

test_expect_success 'a repository that is not a store: refused, nothing left behind' '
	git init -q plain &&
	echo hello >plain/README &&
	git -C plain add README &&
	git -C plain commit -q -m readme &&
	test_expect_code 3 complaint clone "$TRASH_DIRECTORY/plain" notstore >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "is not a complaint store" err &&
	test_path_is_missing notstore &&
	mkdir keep &&
	test_must_fail complaint clone "$TRASH_DIRECTORY/plain" keep 2>err &&
	test_path_is_dir keep &&
	test_must_be_empty_dir_ keep
'

test_expect_success 'an empty remote: refused with what to do, nothing left behind' '
	git init -q --bare void.git &&
	test_expect_code 2 complaint clone "$TRASH_DIRECTORY/void.git" v >out 2>err &&
	test_error_line err &&
	test_grep "has no commits yet" err &&
	test_path_is_missing v
'

test_expect_success 'an unreachable URL: a clear error (5), nothing left behind' '
	test_expect_code 5 complaint clone "$TRASH_DIRECTORY/nowhere.git" n >out 2>err &&
	test_error_line err &&
	test_grep "^complaint: clone: cannot clone" err &&
	test_path_is_missing n &&
	test_expect_code 5 complaint clone ssh://nobody@127.0.0.1:1/x.git n2 >out 2>err &&
	test_error_line err &&
	test_path_is_missing n2
'

test_expect_success 'a directory that exists and is not empty: refused (2), untouched' '
	mkdir full && echo mine >full/file &&
	test_expect_code 2 complaint clone "$TRASH_DIRECTORY/shared.git" full >out 2>err &&
	test_error_line err &&
	test_grep "already exists and is not an empty directory" err &&
	echo mine >expect &&
	test_cmp expect full/file &&
	test_path_is_missing full/.git
'

test_expect_success 'usage errors (2)' '
	test_expect_code 2 complaint clone 2>err &&
	test_expect_code 2 complaint clone a b c 2>err &&
	test_expect_code 2 complaint clone --bogus x 2>err &&
	complaint clone --help >out &&
	test_grep "usage: complaint clone URL" out
'

test_expect_success 'a clone is a site: record, sync, and the first store sees it' '
	ID=$(complaint -C site --now 2026-11-03T09:00 new --customer 周先生 --channel phone \
		--category service --summary 来自分店) &&
	complaint -C site --now 2026-11-03T09:01 sync >out &&
	git -C first pull -q "$TRASH_DIRECTORY/shared.git" master &&
	complaint -C first show $ID >out
'

test_done
