#!/bin/sh
test_description='complaint setup: a store cloned with plain git clone works with plain git pull

setup registers the case merge driver and sets pull.rebase false in the
clone'"'"'s own .git/config; init and clone do it themselves; check and the
commands that change the store say so when it is missing.'
. "$(dirname "$0")/test-lib.sh"

GIT_MERGE_AUTOEDIT=no
export GIT_MERGE_AUTOEDIT

# local KEY [DIR]: the value in DIR's own .git/config
local_cfg () {
	git -C "${2:-.}" config --local --get "$1"
}

events () {
	(cd "$1" && yaml_get "$(case_path "$2")" events) |
	jq -r '.[] | "\(.action) \(.by) \(.at)"'
}

test_expect_success 'init sets the store up' '
	new_store first &&
	test "$(local_cfg pull.rebase)" = false &&
	test "$(local_cfg merge.complaint-case.driver)" = "complaint merge-file %O %A %B %P" &&
	cd .. &&
	git clone -q --bare first shared.git &&
	git -C first remote add origin "$TRASH_DIRECTORY/shared.git"
'

test_expect_success 'complaint clone sets the clone up' '
	complaint clone "$TRASH_DIRECTORY/shared.git" viaclone >out &&
	test "$(local_cfg pull.rebase viaclone)" = false &&
	test -n "$(local_cfg merge.complaint-case.driver viaclone)"
'

test_expect_success 'a plain git clone is not set up; check and writers say so' '
	git clone -q "$TRASH_DIRECTORY/shared.git" plain &&
	test_ignore_scratch plain &&
	test_must_fail local_cfg pull.rebase plain &&
	complaint -C plain check >out 2>err &&
	test_grep "complaint setup" out &&
	test_grep "merge driver is not registered and pull.rebase is not false" out &&
	ID=$(complaint -C plain --actor 赵六 --now 2026-11-02T10:00 new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 2>err) &&
	test_line_count = 1 err &&
	test_grep "^complaint: warning: .*run .complaint setup." err
'

test_expect_success 'complaint setup sets it up; a second run says so' '
	complaint -C plain setup >out &&
	test_grep "^set up .*plain for plain git" out &&
	test "$(local_cfg pull.rebase plain)" = false &&
	test "$(local_cfg merge.complaint-case.driver plain)" = "complaint merge-file %O %A %B %P" &&
	complaint -C plain setup >out &&
	test_grep "already set up" out &&
	complaint -C plain setup -q >out &&
	test_must_be_empty out &&
	complaint -C plain --actor 赵六 --now 2026-11-02T10:01 note $ID 一 >out 2>err &&
	test_must_be_empty err &&
	complaint -C plain check >out 2>err &&
	test_grep ! "complaint setup" out
'

test_expect_success 'setup with a global pull.rebase true: the clone'"'"'s own false wins' '
	git config --global pull.rebase true &&
	complaint -C plain check >out &&
	test_grep ! "pull.rebase" out &&
	git config --global --unset pull.rebase
'

test_expect_success 'the same case changed at two sites: plain git pull merges it' '
	git -C plain push -q origin HEAD:master &&
	git -C first pull -q origin master &&
	git clone -q "$TRASH_DIRECTORY/shared.git" unset &&
	complaint -C first --actor 客服/赵六 --now 2026-11-02T10:05 assign $ID --department 餐饮部 >out &&
	git -C first push -q origin master &&
	complaint -C plain --actor 前台/孙八 --now 2026-11-02T10:07 note $ID 又来电 >out &&
	git -C plain pull >out 2>err &&
	test_grep ! CONFLICT out &&
	! grep -r "^<<<<<<<\|^>>>>>>>" plain/cases &&
	events plain $ID >actual &&
	cat >expect <<-\EOF &&
	new 赵六 2026-11-02T10:00:00+08:00
	note 赵六 2026-11-02T10:01:00+08:00
	assign 客服/赵六 2026-11-02T10:05:00+08:00
	note 前台/孙八 2026-11-02T10:07:00+08:00
	EOF
	test_cmp expect actual &&
	git -C plain status --porcelain >out &&
	test_must_be_empty out &&
	complaint -C plain check >out
'

test_expect_success 'without setup, the same plain git pull does not merge' '
	complaint -C unset --actor 前台/孙八 --now 2026-11-02T10:08 note $ID 三 >out 2>err &&
	# git 2.27 and later refuse (exit 128); older ones leave conflict markers
	{ git -C unset pull >out 2>err; test $? != 0; } &&
	cat out err >actual &&
	test_grep "CONFLICT\|divergent" actual
'

test_expect_success 'check --repair sets it up too' '
	git -C unset merge --abort 2>/dev/null || true
	git clone -q "$TRASH_DIRECTORY/shared.git" plain2 &&
	complaint -C plain2 check --repair >out 2>err &&
	test_grep "pull.rebase false" out &&
	test "$(local_cfg pull.rebase plain2)" = false
'

test_expect_success 'setup outside a store is a usage error' '
	mkdir nostore &&
	(cd nostore && test_expect_code 2 complaint setup >out 2>err) &&
	test_grep "not in a complaint store" nostore/err &&
	test_error_line nostore/err
'

test_done
