#!/bin/sh
test_description='sync: a shared remote, sites that work offline, one history'
. "$(dirname "$0")/test-lib.sh"

# site NAME: a clone of the shared remote, as a site keeps one
site () {
	complaint clone "$TRASH_DIRECTORY/shared.git" "$1" >/dev/null &&
	test_ignore_scratch "$1"
}

# new_case DIR NOW SUMMARY: record a case at a site; prints its ID
new_case () {
	complaint -C "$1" --now "$2" new --customer 王先生 --channel phone \
		--category service --summary "$3"
}

# site_state DIR: what a refused sync must not change (HEAD, the branch,
# the index, git status, every file's bytes)
site_state () {
	(
		cd "$1" &&
		git rev-parse HEAD &&
		git symbolic-ref HEAD &&
		git ls-files -s &&
		git status --porcelain --untracked-files=all &&
		find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs sha1sum
	)
}

test_expect_success 'the first site pushes its store to an empty shared remote' '
	new_store first &&
	cd .. &&
	git init -q --bare shared.git &&
	git -C first remote add origin "$TRASH_DIRECTORY/shared.git" &&
	complaint -C first --now 2026-11-01T09:05 sync >out 2>err &&
	test_must_be_empty err &&
	test_grep "^Pushed to origin/master" out &&
	test "$(git -C shared.git rev-parse master)" = "$(git -C first rev-parse HEAD)" &&
	git -C first config branch.master.remote >actual &&
	echo origin >expect &&
	test_cmp expect actual
'

test_expect_success 'three sites clone it' '
	site bj && site sh && site gz &&
	for s in bj sh gz; do
		test "$(git -C $s rev-parse HEAD)" = "$(git -C shared.git rev-parse master)" || return 1
	done
'

test_expect_success 'sync with nothing new says so and changes nothing' '
	site_state bj >before &&
	complaint -C bj --now 2026-11-01T09:10 sync >out 2>err &&
	test_must_be_empty err &&
	test_grep "^Already up to date with origin/master" out &&
	site_state bj >after &&
	test_cmp before after
'

test_expect_success 'every site records cases offline, all in the same second' '
	for s in bj sh gz; do
		for n in 1 2 3; do
			new_case $s 2026-11-02T10:00 "$s case $n" >>ids.$s || return 1
		done
	done &&
	cat ids.bj ids.sh ids.gz >ids &&
	test_line_count = 9 ids &&
	sort -u ids >ids.tmp &&
	test_line_count = 9 ids.tmp
'

test_expect_success 'sync at every site, twice round: all end on one commit' '
	for round in 1 2; do
		for s in bj sh gz; do
			complaint -C $s --actor "$s/同步" --now 2026-11-02T11:00 sync >out.$s 2>err.$s || return 1
			test_must_be_empty err.$s || return 1
		done
	done &&
	head=$(git -C shared.git rev-parse master) &&
	for s in bj sh gz; do
		test "$(git -C $s rev-parse HEAD)" = "$head" || return 1
	done
'

test_expect_success 'every site holds every case, once, each in its own file' '
	for s in bj sh gz; do
		(cd $s && find cases -name "*.yaml" | sed "s,.*/,,; s,\.yaml,," | sort) >actual.$s &&
		sort ids >expect &&
		test_cmp expect actual.$s || return 1
	done
'

test_expect_success 'after sync: work tree and index match HEAD, check passes' '
	for s in bj sh gz; do
		git -C $s status --porcelain --untracked-files=all >out &&
		test_must_be_empty out &&
		git -C $s diff --cached --quiet &&
		git -C $s diff --quiet &&
		complaint -C $s check >out || return 1
	done &&
	git -C shared.git fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out
'

test_expect_success 'the merge commits are by the actor, at --now, with trailers' '
	git -C bj log --merges --format="%an|%aI|%cI|%s" >actual &&
	test_grep "^sh/同步|2026-11-02T11:00:00+08:00|2026-11-02T11:00:00+08:00|sync: merge origin/master" actual &&
	git -C bj log --merges -1 --format=%B >msg &&
	test_grep "^Action: sync\$" msg &&
	test_grep "^Actor: " msg
'

test_expect_success 'a site that only took commits fast-forwards (no merge commit)' '
	new_case bj 2026-11-03T09:00 "bj later" >id.late &&
	complaint -C bj --now 2026-11-03T09:01 sync >out &&
	test_grep "^Pushed to origin/master" out &&
	merges=$(git -C sh rev-list --merges --count HEAD) &&
	complaint -C sh --now 2026-11-03T09:02 sync >out &&
	test_grep "^Fast-forwarded to origin/master" out &&
	test "$(git -C sh rev-list --merges --count HEAD)" = "$merges" &&
	test_path_is_file "sh/$(cd bj && case_path $(cat ../id.late))"
'

test_expect_success 'sync --quiet prints nothing' '
	complaint -C gz --now 2026-11-03T09:03 sync --quiet >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'a file:// URL and a path on the command line work as remotes' '
	new_case gz 2026-11-03T10:00 "via file url" >/dev/null &&
	complaint -C gz --now 2026-11-03T10:01 sync "file://$TRASH_DIRECTORY/shared.git" >out 2>err &&
	test_must_be_empty err &&
	test "$(git -C shared.git rev-parse master)" = "$(git -C gz rev-parse HEAD)" &&
	complaint -C bj --now 2026-11-03T10:02 sync "$TRASH_DIRECTORY/shared.git" >out 2>err &&
	test_must_be_empty err &&
	test "$(git -C shared.git rev-parse master)" = "$(git -C bj rev-parse HEAD)"
'

test_expect_success 'a relative path in the remote configuration is relative to the store' '
	git -C sh remote add rel ../shared.git &&
	complaint -C sh --now 2026-11-03T10:03 sync rel >out 2>err &&
	test_must_be_empty err &&
	test "$(git -C sh rev-parse HEAD)" = "$(git -C shared.git rev-parse master)"
'

test_expect_success 'an unknown remote name is a usage error (2), nothing changed' '
	site_state sh >before &&
	test_expect_code 2 complaint -C sh sync nosuchremote >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "no remote .nosuchremote." err &&
	site_state sh >after &&
	test_cmp before after
'

test_expect_success 'an unreachable remote: a clear error (5), nothing changed' '
	new_case sh 2026-11-03T11:00 "made while the remote is away" >/dev/null &&
	site_state sh >before &&
	git -C sh remote add away "$TRASH_DIRECTORY/no/such/place.git" &&
	git -C sh remote add far ssh://nobody@127.0.0.1:1/srv/shared.git &&
	test_expect_code 5 complaint -C sh sync away >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "^complaint: sync: cannot reach the remote .away." err &&
	test_expect_code 5 complaint -C sh sync far >out 2>err &&
	test_error_line err &&
	test_grep "^complaint: sync: cannot reach the remote .far. (ssh://nobody@127.0.0.1:1/srv/shared.git)" err &&
	git -C sh remote remove away &&
	git -C sh remote remove far &&
	site_state sh >after &&
	test_cmp before after
'

test_expect_success 'a remote that is not bare is refused clearly, nothing changed' '
	git -C sh remote add site "$TRASH_DIRECTORY/gz" &&
	site_state sh >before &&
	git -C gz rev-parse HEAD >gz.before &&
	test_expect_code 5 complaint -C sh --now 2026-11-03T11:05 sync site >out 2>err &&
	test_error_line err &&
	test_grep "not a bare repository" err &&
	git -C gz rev-parse HEAD >gz.after &&
	test_cmp gz.before gz.after &&
	git -C sh remote remove site &&
	site_state sh >after &&
	test_cmp before after
'

test_expect_success 'a history that has nothing in common is refused (4)' '
	complaint --now 2026-10-01T09:00 --actor 别处 init other >/dev/null &&
	git clone -q --bare other other.git &&
	git -C sh remote add other "$TRASH_DIRECTORY/other.git" &&
	site_state sh >before &&
	test_expect_code 4 complaint -C sh sync other >out 2>err &&
	test_error_line err &&
	test_grep "nothing in common" err &&
	git -C sh remote remove other &&
	site_state sh >after &&
	test_cmp before after
'

test_expect_success 'the site made offline syncs once the remote is back' '
	complaint -C sh --now 2026-11-03T12:00 sync >out &&
	complaint -C bj --now 2026-11-03T12:01 sync >out &&
	test "$(git -C bj rev-parse HEAD)" = "$(git -C sh rev-parse HEAD)" &&
	complaint -C bj check >out
'

test_expect_success 'sync --help works anywhere' '
	complaint sync --help >out &&
	test_grep "usage: complaint sync" out
'

test_done
