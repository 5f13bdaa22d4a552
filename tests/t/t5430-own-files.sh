#!/bin/sh
test_description='complaint'"'"'s own files under .git: never followed through a symlink, made with the repository'"'"'s shared permissions'
. "$(dirname "$0")/test-lib.sh"

new_store store

test_expect_success 'setup: a case, a report, an --as-of report (cache and first-parent made)' '
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 >expect.report &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-03T00:00 >expect.asof &&
	test_path_is_file .git/complaint/cache &&
	test_path_is_file .git/complaint/first-parent
'

# ---- a symlinked .git/complaint (and its files) is never followed ----

test_expect_success 'a symlinked .git/complaint: the commands work, warn, and write nothing outside .git' '
	rm -rf .git/complaint &&
	mkdir ../outside &&
	ln -s "$(cd ../outside && pwd)" .git/complaint &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 >out 2>err &&
	test_cmp expect.report out &&
	test_grep "\.git/complaint: is a symbolic link" err &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-03T00:00 >out 2>err &&
	test_cmp expect.asof out &&
	test_grep "\.git/complaint: is a symbolic link" err &&
	test_line_count = 1 err &&
	complaint list >out 2>err &&
	test_grep "$ID" out &&
	test_grep "symbolic link" err &&
	complaint --now 2026-11-04T10:00 note $ID text >out 2>err &&
	ls -A ../outside >found.tmp &&
	test_must_be_empty found.tmp
'

test_expect_success 'a cache planted behind the symlink is not read' '
	rm .git/complaint && mkdir .git/complaint &&
	complaint --now 2026-11-04T09:00 list >expect.list &&
	mv .git/complaint/cache ../outside/cache &&
	rm -r .git/complaint &&
	ln -s "$(cd ../outside && pwd)" .git/complaint &&
	env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-04T09:00 list >out 2>err &&
	test_cmp expect.list out &&
	test_grep "0 hits" err
'

test_expect_success 'check names the symlink (1); --repair removes the link, not what it points at' '
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "\.git/complaint: is a symbolic link" out &&
	complaint check --repair >out 2>err &&
	test_grep "removed .*\.git/complaint" out &&
	! test -L .git/complaint &&
	test_path_is_file ../outside/cache &&
	complaint --now 2026-11-04T09:00 list >out 2>err &&
	test_path_is_dir .git/complaint && ! test -L .git/complaint &&
	test_path_is_file .git/complaint/cache &&
	complaint check >out 2>err
'

test_expect_success 'a symlinked cache or first-parent file: not read, not written through; check warns, --repair removes the link' '
	echo precious >../outside/target &&
	rm .git/complaint/cache && ln -s "$(cd ../outside && pwd)/target" .git/complaint/cache &&
	complaint --now 2026-11-04T09:00 list >out 2>err &&
	test_cmp expect.list out &&
	echo precious >expect.target &&
	test_cmp expect.target ../outside/target &&
	rm -f .git/complaint/first-parent &&
	ln -s "$(cd ../outside && pwd)/target" .git/complaint/first-parent &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-03T00:00 >out 2>err &&
	test_cmp expect.asof out &&
	test_cmp expect.target ../outside/target &&
	complaint check >out 2>err &&
	test_grep "first-parent: is a symbolic link" out &&
	complaint check --repair >out 2>err &&
	! test -L .git/complaint/first-parent &&
	test_cmp expect.target ../outside/target
'

test_expect_success 'a symlinked .git/complaint-lost: --repair keeps no copy through it and restores nothing' '
	F=$(case_path $ID) &&
	echo "# by hand" >>"$F" &&
	cp "$F" expect.changed &&
	ln -s "$(cd ../outside && pwd)" .git/complaint-lost &&
	test_expect_code 1 complaint check --repair >out 2>err &&
	test_grep "complaint-lost: is a symbolic link" out &&
	test_cmp expect.changed "$F" &&
	test_path_is_missing ../outside/cases &&
	test_grep "removed .*complaint-lost" out &&
	! test -L .git/complaint-lost &&
	complaint check --repair >out 2>err &&
	test_cmp expect.changed .git/complaint-lost/"$F" &&
	complaint check >out 2>err
'

# ---- core.sharedRepository: git's permissions for what we make ----

# modes DIR: "path mode" of complaint's own files and a few of git's
modes () {
	(cd "$1" &&
	 for p in .git/complaint .git/complaint/cache .git/complaint/first-parent \
		.git/complaint.lock .git/index .git/complaint-lost \
		.git/complaint-lost/cases .git/complaint-lost/cases/2026/11/*.yaml; do
		printf "%s %s\n" "$p" "$(stat -c %a "$p")"
	 done)
}

# shared_store NAME VALUE: a store at umask 077 made shared by git init --shared=VALUE,
# a case, a report, an --as-of report, an uncommitted case moved aside by --repair
shared_store () {
	(umask 077 &&
	 git init -q --shared="$2" "$1" &&
	 complaint --now 2026-11-01T09:00 init "$1" >/dev/null &&
	 cd "$1" &&
	 id=$(complaint --now 2026-11-02T09:00 new --customer x --channel phone \
		--category service --summary s) &&
	 complaint --now 2026-11-04T09:00 report --month 2026-11 >/dev/null &&
	 complaint --now 2026-11-04T09:00 report --month 2026-11 --as-of 2026-11-03T00:00 >/dev/null &&
	 cp cases/2026/11/$id.yaml cases/2026/11/C-20261102-ZZZZZZZZ.yaml &&
	 complaint check --repair >/dev/null)
}

test_expect_success 'no sharing (umask): the cache has the mode git gives its files, like the rest' '
	shared_store s-umask umask &&
	modes s-umask >actual &&
	cat >expect <<-\EOF &&
	.git/complaint 700
	.git/complaint/cache 600
	.git/complaint/first-parent 600
	.git/complaint.lock 600
	.git/index 600
	.git/complaint-lost 700
	.git/complaint-lost/cases 700
	.git/complaint-lost/cases/2026/11/C-20261102-ZZZZZZZZ.yaml 600
	EOF
	test_cmp expect actual
'

test_expect_success 'core.sharedRepository=group: the group may read and write every file we make' '
	shared_store s-group group &&
	modes s-group >actual &&
	cat >expect <<-\EOF &&
	.git/complaint 2770
	.git/complaint/cache 660
	.git/complaint/first-parent 660
	.git/complaint.lock 660
	.git/index 660
	.git/complaint-lost 2770
	.git/complaint-lost/cases 2770
	.git/complaint-lost/cases/2026/11/C-20261102-ZZZZZZZZ.yaml 660
	EOF
	test_cmp expect actual &&
	find s-group/.git/objects s-group/.git/refs -type d ! -perm -0070 >bad.tmp &&
	test_must_be_empty bad.tmp &&
	find s-group/.git/refs s-group/.git/logs -type f ! -perm -0060 >bad.tmp &&
	test_must_be_empty bad.tmp &&
	find s-group/cases -type d ! -perm -0070 >bad.tmp &&
	test_must_be_empty bad.tmp
'

test_expect_success 'core.sharedRepository=all (and true, 1, 2): group and others as git says' '
	shared_store s-all all &&
	modes s-all >actual &&
	cat >expect <<-\EOF &&
	.git/complaint 2775
	.git/complaint/cache 664
	.git/complaint/first-parent 664
	.git/complaint.lock 664
	.git/index 664
	.git/complaint-lost 2775
	.git/complaint-lost/cases 2775
	.git/complaint-lost/cases/2026/11/C-20261102-ZZZZZZZZ.yaml 664
	EOF
	test_cmp expect actual &&
	shared_store s-true true && modes s-true >actual.true &&
	shared_store s-one 1 && modes s-one >actual.one &&
	shared_store s-two 2 && modes s-two >actual.two &&
	modes s-group >expect.group &&
	test_cmp expect.group actual.true &&
	test_cmp expect.group actual.one &&
	test_cmp actual actual.two
'

test_expect_success 'core.sharedRepository=0640: exactly that, folders with x where r' '
	shared_store s-0640 0640 &&
	modes s-0640 >actual &&
	cat >expect <<-\EOF &&
	.git/complaint 2750
	.git/complaint/cache 640
	.git/complaint/first-parent 640
	.git/complaint.lock 640
	.git/index 640
	.git/complaint-lost 2750
	.git/complaint-lost/cases 2750
	.git/complaint-lost/cases/2026/11/C-20261102-ZZZZZZZZ.yaml 640
	EOF
	test_cmp expect actual
'

test_expect_success 'a core.sharedRepository value git refuses is refused (3), naming it' '
	(cd s-group && git config core.sharedRepository 0400;
	 test_expect_code 3 complaint list >out 2>err &&
	 test_grep "core.sharedRepository" err &&
	 sed -i "s/sharedRepository = 0400/sharedRepository = group/" .git/config &&
	 complaint list >out 2>err)
'

# A second user of the group: runs as root (CI does) with useradd and runuser.
CPUSER=cpt$$
if test "$(id -u)" = 0 && command -v useradd >/dev/null && command -v runuser >/dev/null &&
   groupadd "$CPUSER" 2>/dev/null; then
	if useradd -M -N -g "$CPUSER" -d "$TRASH_DIRECTORY" "$CPUSER" 2>/dev/null; then
		chmod 711 "$TRASH_DIRECTORY" &&
		cp "$TEST_BIN" "$TRASH_DIRECTORY/complaint.bin" &&
		chmod 755 "$TRASH_DIRECTORY/complaint.bin" &&
		runuser -u "$CPUSER" -- "$TRASH_DIRECTORY/complaint.bin" --version >/dev/null 2>&1 &&
		test_set_prereq SECOND_USER
	fi
fi

as_other () {
	runuser -u "$CPUSER" -- env HOME="$TRASH_DIRECTORY" "$TRASH_DIRECTORY/complaint.bin" "$@"
}

test_expect_success SECOND_USER 'two users of a group store share one cache and can both write' '
	complaint --now 2026-11-01T09:00 init team >/dev/null &&
	test_ignore_scratch team &&
	(cd team &&
	 git config core.sharedRepository group &&
	 chgrp -R "$CPUSER" . && chmod -R g+rwX . &&
	 find . -type d -exec chmod g+s {} + &&
	 id=$(complaint --now 2026-11-02T09:00 new --customer x --channel phone \
		--category service --summary s) &&
	 env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-04T09:00 list >/dev/null 2>err &&
	 test_grep "rebuilt" err &&
	 as_other --actor 王五 --now 2026-11-04T09:00 note $id "by the other user" &&
	 id2=$(as_other --actor 王五 --now 2026-11-04T09:10 new --customer y --channel phone \
		--category service --summary t) &&
	 env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-04T09:20 list >out 2>err &&
	 test_grep "$id2" out &&
	 runuser -u "$CPUSER" -- env HOME="$TRASH_DIRECTORY" COMPLAINT_CACHE_STATS=1 \
		"$TRASH_DIRECTORY/complaint.bin" --now 2026-11-04T09:20 list >out2 2>err2 &&
	 test_cmp out out2 &&
	 test_grep ! "rebuilt" err2 &&
	 test_grep "2 hits" err2 &&
	 complaint --now 2026-11-04T09:30 note $id "by root again" &&
	 env COMPLAINT_CACHE_STATS=1 complaint --now 2026-11-04T09:40 list >/dev/null 2>err &&
	 test_grep ! "rebuilt" err &&
	 complaint check &&
	 git status --porcelain >status.tmp && test_must_be_empty status.tmp &&
	 git fsck --no-dangling)
'

test_expect_success SECOND_USER 'cleanup: the second user goes' '
	userdel "$CPUSER" && groupdel "$CPUSER" 2>/dev/null; true
'

test_done
