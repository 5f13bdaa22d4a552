#!/bin/sh
test_description='git hooks do not run for complaint'"'"'s commits: check warns about every active one'
. "$(dirname "$0")/test-lib.sh"

new_store store

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

# hook FILE: an executable hook that leaves a mark when it runs
hook () {
	mkdir -p "$(dirname "$1")" &&
	printf '#!/bin/sh\necho "%s ran" >>"$TRASH_DIRECTORY/hooks-ran"\n' "$1" >"$1" &&
	chmod +x "$1"
}

test_expect_success 'no active hook: no warning' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW) &&
	complaint check >out 2>err &&
	test_grep ! hook out
'

test_expect_success 'an executable pre-commit hook: a warning naming it (exit 0)' '
	hook .git/hooks/pre-commit &&
	complaint check >out 2>err &&
	test_grep "^warning: the git hook .*/.git/hooks/pre-commit. does not run for complaint.s commits, merges and pushes: libgit2 runs no hooks" out &&
	test_grep "0 problems, 1 warning\$" out &&
	complaint check --quiet >out 2>err &&
	test_grep ! hook out
'

test_expect_success 'and indeed it does not run for complaint, where git commit runs it' '
	rm -f "$TRASH_DIRECTORY/hooks-ran" &&
	complaint --now 2026-11-02T09:10 note $ID "no hook" &&
	test_path_is_missing "$TRASH_DIRECTORY/hooks-ran" &&
	git commit -q --allow-empty -m "by hand" &&
	test_grep "pre-commit ran" "$TRASH_DIRECTORY/hooks-ran"
'

test_expect_success 'every hook our commits, merges and pushes skip is named; samples and files that cannot run are not' '
	rm .git/hooks/pre-commit &&
	for h in commit-msg prepare-commit-msg post-commit pre-merge-commit post-merge post-checkout pre-push reference-transaction post-index-change; do
		hook .git/hooks/$h || return 1
	done &&
	hook .git/hooks/pre-commit.sample &&
	echo "#!/bin/sh" >.git/hooks/pre-commit && chmod -x .git/hooks/pre-commit &&
	complaint check >out 2>err &&
	grep -c "^warning: the git hook" out >n.tmp &&
	echo 9 >expect.tmp && test_cmp expect.tmp n.tmp &&
	test_grep ! "pre-commit" out &&
	rm -f .git/hooks/pre-commit .git/hooks/pre-commit.sample &&
	for h in commit-msg prepare-commit-msg post-commit pre-merge-commit post-merge post-checkout pre-push reference-transaction post-index-change; do
		rm .git/hooks/$h || return 1
	done
'

test_expect_success 'hooks in core.hooksPath (relative to the work tree, or absolute) are named with it' '
	hook githooks.tmp/commit-msg &&
	git config core.hooksPath githooks.tmp &&
	complaint check >out 2>err &&
	test_grep "^warning: the git hook .*/githooks.tmp/commit-msg. (core.hooksPath .githooks.tmp.) does not run" out &&
	git config core.hooksPath "$TRASH_DIRECTORY/abs-hooks" &&
	hook "$TRASH_DIRECTORY/abs-hooks/pre-push" &&
	complaint check >out 2>err &&
	test_grep "^warning: the git hook .$TRASH_DIRECTORY/abs-hooks/pre-push. (core.hooksPath" out &&
	test_grep ! "commit-msg" out &&
	git config --unset core.hooksPath &&
	complaint check >out 2>err &&
	test_grep ! hook out
'

test_done
