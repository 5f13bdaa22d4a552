#!/bin/sh
test_description='inside a git hook, inside another repository, next to a person using git, from cron'
. "$(dirname "$0")/test-lib.sh"

new_store store
STORE=$PWD

NEW="new --customer 王先生 --channel phone --category service --summary 上菜慢"

test_expect_success 'setup: a case' '
	ID=$(complaint --now 2026-11-02T09:00 $NEW)
'

test_expect_success 'GIT_INDEX_FILE set (as in a git hook): a write is refused (4), nothing touched' '
	store_snapshot &&
	test_expect_code 4 env GIT_INDEX_FILE="$STORE/.git/index" complaint --now 2026-11-02T09:05 $NEW >out 2>err &&
	test_error_line err &&
	test_grep "GIT_INDEX_FILE" err &&
	test_expect_code 4 env GIT_INDEX_FILE=/tmp/elsewhere.index complaint --now 2026-11-02T09:05 note $ID x >out 2>err &&
	store_unchanged
'

test_expect_success 'GIT_INDEX_FILE set: reading works' '
	env GIT_INDEX_FILE="$STORE/.git/index" complaint show $ID >out 2>err &&
	env GIT_INDEX_FILE="$STORE/.git/index" complaint --now 2026-11-03T00:00 list >out 2>err &&
	test_grep $ID out
'

test_expect_success 'from a real pre-commit hook of another repository: refused, both repositories fine' '
	git init -q ../app &&
	mkdir -p ../app/.git/hooks &&
	cat >../app/.git/hooks/pre-commit <<-EOF &&
	#!/bin/sh
	complaint -C "$STORE" --now 2026-11-02T09:10 note $ID "from a hook" >"$TRASH_DIRECTORY/hook.out" 2>"$TRASH_DIRECTORY/hook.err"
	echo \$? >"$TRASH_DIRECTORY/hook.rc"
	exit 0
	EOF
	chmod +x ../app/.git/hooks/pre-commit &&
	store_snapshot &&
	(cd ../app && echo hi >f && git add f && git commit -q -m app) &&
	echo 4 >expect.tmp &&
	test_cmp expect.tmp ../hook.rc &&
	test_grep "GIT_INDEX_FILE" ../hook.err &&
	store_unchanged &&
	(cd ../app && git log --oneline >../app.log && git status --porcelain >../app.status) &&
	test_line_count = 1 ../app.log &&
	test_must_be_empty ../app.status
'

test_expect_success 'GIT_DIR and GIT_WORK_TREE of another repository do not redirect our writes' '
	old=$(git rev-parse HEAD) &&
	app_head=$(git -C ../app rev-parse HEAD) &&
	env GIT_DIR="$TRASH_DIRECTORY/app/.git" GIT_WORK_TREE="$TRASH_DIRECTORY/app" \
		complaint -C "$STORE" --now 2026-11-02T09:15 note $ID "env" >out 2>err &&
	test "$(git rev-parse HEAD^)" = "$old" &&
	test "$(git -C ../app rev-parse HEAD)" = "$app_head" &&
	git -C ../app status --porcelain >app.status.tmp &&
	test_must_be_empty app.status.tmp
'

test_expect_success 'a store inside another repository works, and the outer one is not touched' '
	git init -q ../outer &&
	(cd ../outer && echo top >README && git add README && git commit -q -m top) &&
	outer_head=$(git -C ../outer rev-parse HEAD) &&
	mkdir ../outer/sub &&
	complaint --now 2026-11-01T09:00 init ../outer/sub/store >/dev/null &&
	(cd ../outer/sub/store &&
	 I=$(complaint --now 2026-11-02T09:00 $NEW) &&
	 complaint --now 2026-11-02T09:05 assign $I --department 餐饮部 &&
	 complaint check >/dev/null &&
	 test "$(git rev-list --count HEAD)" = 3 &&
	 git status --porcelain >../../../inner.status) &&
	test_must_be_empty ../inner.status &&
	test "$(git -C ../outer rev-parse HEAD)" = "$outer_head" &&
	git -C ../outer status --porcelain >outer.status.tmp &&
	echo "?? sub/" >expect.tmp &&
	test_cmp expect.tmp outer.status.tmp
'

test_expect_success 'commands run from a subfolder of the store find it' '
	(cd cases && complaint show $ID >/dev/null) &&
	(cd cases/2026 && complaint --now 2026-11-02T09:20 note $ID "from a subfolder")
'

test_expect_success 'a person stages a file, we commit a case: their staged file stays staged and is not in our commit' '
	echo "notes" >README.md &&
	git add README.md &&
	complaint --now 2026-11-02T09:30 note $ID "while README is staged" &&
	git show --name-only --format= HEAD >ours.tmp &&
	test_grep ! README.md ours.tmp &&
	git diff --cached --name-only >staged.tmp &&
	echo README.md >expect.tmp &&
	test_cmp expect.tmp staged.tmp
'

test_expect_success '... and their own git commit afterwards holds exactly their file' '
	git commit -q -m "readme, by a person" &&
	git show --name-only --format= HEAD >theirs.tmp &&
	echo README.md >expect.tmp &&
	test_cmp expect.tmp theirs.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	git fsck --strict >fsck.tmp 2>&1 &&
	! grep -v "^dangling " fsck.tmp &&
	complaint check >out 2>err
'

test_expect_success 'git commit -a by a person after our commands commits nothing of ours (nothing left over)' '
	complaint --now 2026-11-02T09:40 note $ID "one more" &&
	test_must_fail git commit -a -q -m "nothing to commit" >out 2>err
'

test_expect_success 'cron: no HOME, no git identity, COMPLAINT_ACTOR only: works' '
	env -i PATH="$PATH" COMPLAINT_ACTOR=cron "$TEST_BIN" -C "$STORE" \
		--now 2026-11-02T10:00 $NEW >out 2>err &&
	test_line_count = 1 out &&
	test_must_be_empty err &&
	test "$(git log -1 --format=%an)" = cron &&
	git log -1 --format="%(trailers:key=Actor,valueonly)" | grep -qx cron &&
	env -i PATH="$PATH" "$TEST_BIN" -C "$STORE" --now 2026-11-03T00:00 list --overdue >out 2>err &&
	test_grep "$ID" out
'

test_expect_success 'cron with the store in COMPLAINT_DIR and --actor' '
	env -i PATH="$PATH" COMPLAINT_DIR="$STORE" "$TEST_BIN" --actor 定时任务 \
		--now 2026-11-02T10:05 note $ID "nightly" >out 2>err &&
	test "$(git log -1 --format=%an)" = 定时任务
'

test_expect_success 'cron without any actor: a clear message (exit 2), nothing touched' '
	store_snapshot &&
	test_expect_code 2 env -i PATH="$PATH" "$TEST_BIN" -C "$STORE" \
		--now 2026-11-02T10:10 $NEW >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep -e "--actor" err &&
	test_grep "COMPLAINT_ACTOR" err &&
	store_unchanged
'

test_expect_success 'cron in the C locale and without TZ: the same bytes as in UTF-8' '
	env -i PATH="$PATH" COMPLAINT_ACTOR=cron LC_ALL=C "$TEST_BIN" -C "$STORE" \
		--now 2026-11-02T10:20 new --customer 李女士 --channel phone --category service \
		--summary "中文 ✓" >id.tmp 2>err &&
	test "$(yaml_get "$(case_path $(cat id.tmp))" summary)" = "中文 ✓" &&
	test "$(yaml_get "$(case_path $(cat id.tmp))" received_at)" = 2026-11-02T10:20:00+08:00
'

test_done
