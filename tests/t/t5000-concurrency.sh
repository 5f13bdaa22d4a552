#!/bin/sh
test_description='concurrent writers serialise on the store lock; none is lost'
. "$(dirname "$0")/test-lib.sh"

new_store store

# Scratch files of the writers, outside the store.
W=$TRASH_DIRECTORY/w
mkdir -p "$W/ids" "$W/errs" "$W/rcs" "$W/mixed"

# nth N: "new" for writer N, waiting up to 5 minutes for the lock
nth () {
	complaint --lock-timeout 300 --now 2026-11-02T10:00 new --customer "客户$1" \
		--channel phone --category service --summary "并发 $1" >"$W/ids/$1" 2>"$W/errs/$1"
	echo $? >"$W/rcs/$1"
}

# mixed N ID: at once, assign ID, a new case and a listing
mixed () {
	(complaint --lock-timeout 300 --now 2026-11-02T11:00 assign $2 \
		--department 餐饮部 >/dev/null 2>"$W/mixed/a$1.err"
	 echo $? >"$W/mixed/a$1.rc") &
	(complaint --lock-timeout 300 --now 2026-11-02T11:00 new --customer "m$1" \
		--channel email --category product --summary "mixed $1" >"$W/mixed/n$1.id" 2>"$W/mixed/n$1.err"
	 echo $? >"$W/mixed/n$1.rc") &
	(complaint --now 2026-11-02T11:00 list --format tsv >"$W/mixed/l$1.out" 2>"$W/mixed/l$1.err"
	 echo $? >"$W/mixed/l$1.rc") &
}

test_expect_success '64 parallel new: every one exits 0 and prints an ID' '
	base=$(git rev-parse HEAD) &&
	for i in $(seq 1 64); do
		nth $i &
	done
	wait &&
	cat "$W"/rcs/* | sort | uniq -c >rc-counts.tmp &&
	echo "     64 0" >expect.tmp &&
	test_cmp expect.tmp rc-counts.tmp &&
	cat "$W"/errs/* >err.tmp &&
	test_must_be_empty err.tmp
'

test_expect_success '64 commits on top of the first, one per writer, each adding one case' '
	test "$(git rev-list --count $base..HEAD)" = 64 &&
	test "$(git rev-list --count --merges $base..HEAD)" = 0 &&
	git log --format=%s $base..HEAD | grep -c "^new C-" >n.tmp &&
	echo 64 >expect.tmp && test_cmp expect.tmp n.tmp &&
	for c in $(git rev-list $base..HEAD); do
		git diff-tree --no-commit-id --name-status -r $c
	done >changes.tmp &&
	test_line_count = 64 changes.tmp &&
	! grep -v "^A	cases/2026/11/C-20261102-" changes.tmp
'

test_expect_success '64 distinct IDs, each the one its writer printed, each committed' '
	cat "$W"/ids/* | sort >printed.tmp &&
	sort -u printed.tmp >unique.tmp &&
	test_line_count = 64 unique.tmp &&
	test_cmp printed.tmp unique.tmp &&
	git ls-tree -r --name-only HEAD cases | sed "s#.*/##; s#\.yaml\$##" | sort >committed.tmp &&
	test_cmp printed.tmp committed.tmp
'

test_expect_success 'git fsck --strict and git status are clean, check finds nothing' '
	git fsck --strict >fsck.tmp 2>&1 &&
	! grep -v "^dangling " fsck.tmp &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	complaint check >out 2>err &&
	test_grep "^64 cases checked, 0 unreadable; 0 problems" out &&
	test_path_is_missing .git/index.lock
'

test_expect_success 'mixed writers and readers at once: 16 assign, 16 new, 16 list' '
	git ls-tree -r --name-only HEAD cases | sed -n "1,16s#.*/##p" | sed "s#\.yaml\$##" >assign.tmp &&
	n=0 &&
	for id in $(cat assign.tmp); do
		n=$((n + 1))
		mixed $n $id
	done
	wait &&
	cat "$W"/mixed/*.rc | sort | uniq -c >rc-counts.tmp &&
	echo "     48 0" >expect.tmp &&
	test_cmp expect.tmp rc-counts.tmp &&
	cat "$W"/mixed/*.err >err.tmp &&
	test_must_be_empty err.tmp &&
	test "$(git rev-list --count $base..HEAD)" = 96 &&
	for id in $(cat assign.tmp); do
		yaml_get "$(case_path $id)" status
	done | sort | uniq -c >status.tmp &&
	echo "     16 assigned" >expect.tmp &&
	test_cmp expect.tmp status.tmp &&
	complaint check >out 2>err &&
	test_grep "^80 cases checked, 0 unreadable; 0 problems" out &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp &&
	git fsck --strict >fsck.tmp 2>&1 &&
	! grep -v "^dangling " fsck.tmp
'

test_expect_success 'a reader during the writes sees whole cases only' '
	for f in "$W"/mixed/l*.out; do
		cut -f1 "$f"
	done | grep -v "^C-" | grep -v "^id\$" >bad.tmp;
	test_must_be_empty bad.tmp
'

# hold_lock; ...; release_lock: hold the store's lock until released, not
# for a fixed time (a command run under valgrind takes seconds to start).
hold_lock () {
	rm -f release.tmp &&
	{ flock .git/complaint.lock sh -c 'i=0; while ! test -f release.tmp && test $i -lt 1200; do sleep 0.05; i=$((i + 1)); done' & } &&
	holder=$! &&
	n=0 &&
	while flock -n .git/complaint.lock true && test $n -lt 200; do sleep 0.05; n=$((n + 1)); done &&
	test $n -lt 200
}
release_lock () {
	touch release.tmp &&
	wait $holder
}

test_expect_success 'a writer that cannot get the lock in --lock-timeout exits 4 naming the lock' '
	hold_lock &&
	store_snapshot &&
	test_expect_code 4 complaint --lock-timeout 0.5 --now 2026-11-02T12:00 new \
		--customer x --channel phone --category service --summary blocked >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep -F ".git/complaint.lock" err &&
	test_grep -e "--lock-timeout" err &&
	store_unchanged &&
	release_lock
'

test_expect_success 'every write command waits for the lock the same way' '
	id=$(head -1 assign.tmp) &&
	hold_lock &&
	for cmd in "note $id hello" "assign $id --department 客房部" \
		   "reclassify $id general --reason why"; do
		test_expect_code 4 complaint --lock-timeout 0.2 $cmd >out 2>err &&
		test_grep -F ".git/complaint.lock" err || { release_lock; return 1; }
	done &&
	release_lock
'

test_expect_success 'a writer with a longer --lock-timeout waits and then lands' '
	flock .git/complaint.lock sleep 1 &
	holder=$! &&
	sleep 0.3 &&
	old=$(git rev-parse HEAD) &&
	complaint --lock-timeout 30 --now 2026-11-02T12:00 new --customer x \
		--channel phone --category service --summary waited >out 2>err &&
	test_line_count = 1 out &&
	test "$(git rev-parse HEAD^)" = "$old" &&
	wait $holder
'

test_expect_success 'reading commands do not take the lock (check does: it waits for writers)' '
	hold_lock &&
	complaint --lock-timeout 0.1 list >out 2>err &&
	complaint --lock-timeout 0.1 show $(head -1 assign.tmp) >out 2>err &&
	test_expect_code 4 complaint --lock-timeout 0.1 check >out 2>err &&
	release_lock
'

test_expect_success '--lock-timeout must be a number of seconds' '
	test_expect_code 2 complaint --lock-timeout soon list >out 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint --lock-timeout -1 list >out 2>err &&
	test_error_line err
'

test_done
