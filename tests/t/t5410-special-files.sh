#!/bin/sh
test_description='a FIFO, a symlink or a folder in the place of a file of the store: every command says which and why, none hangs'
. "$(dirname "$0")/test-lib.sh"

# Every run here is bounded: a command that blocks on a FIFO (only SIGKILL
# would end it) fails the test instead of hanging the suite.
BOUND=${TEST_HANG_BOUND:-60}

# bounded CMD...: run complaint CMD..., killed after $BOUND s; out, err, $rc
bounded () {
	timeout -s KILL $BOUND "$TEST_LIB_DIR/bin/complaint" "$@" >out 2>err
	rc=$?
	if test $rc = 137; then
		echo "bounded: 'complaint $*' hung (killed after $BOUND s)" >&2
		return 1
	fi
	return 0
}

# fifo_in_place FILE: move FILE aside and put a FIFO there; back_in_place FILE
fifo_in_place () {
	mv "$1" "$1.aside" && mkfifo "$1"
}

back_in_place () {
	rm -f "$1" && mv "$1.aside" "$1"
}

# refused_naming CODE NAME CMD...: exits CODE, one error line naming NAME as a FIFO
refused_naming () {
	want=$1 name=$2
	shift 2
	bounded "$@" || return 1
	if test "$rc" != "$want"; then
		echo "refused_naming: exit $rc, wanted $want: complaint $*" >&2
		cat err >&2
		return 1
	fi
	test_error_line err &&
	test_grep -F "$name" err &&
	test_grep "FIFO" err
}

new_store store

test_expect_success 'setup: two cases, a report (the cache and the first-parent line exist)' '
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	ID2=$(complaint --now 2026-11-03T09:00 new --customer 李女士 --channel phone \
		--category service --summary 菜凉了) &&
	F=$(case_path $ID) &&
	complaint --now 2026-11-04T09:00 report --month 2026-11 >/dev/null &&
	test_path_is_file .git/complaint/cache &&
	test_path_is_file .git/complaint/first-parent
'

# the commands tried for each file: reading, writing, checking, history
cmds () {
	cat <<-EOC
	list
	show $ID
	note $ID text
	new --customer x --channel phone --category service --summary s
	report --month 2026-11
	score --month 2026-11
	log $ID
	report --month 2026-11 --as-of 2026-11-03T12:00
	EOC
}

for file in org.yaml policy.yaml .gitattributes .gitignore cases/.gitattributes \
	.git/index .git/HEAD .git/config .git/refs/heads/master .git/info/exclude \
	.git/info/attributes .git/packed-refs .git/objects/info/alternates \
	"$TRASH_DIRECTORY/.gitconfig"; do
	test_expect_success "a FIFO in the place of $file: every command refuses (3), naming it" '
		made= &&
		if ! test -e '"$file"'; then : >'"$file"' && made=1; fi &&
		fifo_in_place '"$file"' &&
		while read -r cmd; do
			refused_naming 3 '"$file"' --now 2026-11-05T09:00 $cmd || {
				back_in_place '"$file"'; return 1; }
		done <<-EOC &&
		$(cmds)
		EOC
		bounded check &&
		test "$rc" = 1 &&
		test_grep -F '"$file"' out &&
		test_grep FIFO out &&
		back_in_place '"$file"' &&
		if test -n "$made"; then rm '"$file"'; fi &&
		complaint check >out 2>err
	'
done

test_expect_success 'a FIFO in the place of a case file: list and report skip it with a warning, show and note refuse (3)' '
	fifo_in_place "$F" &&
	bounded list && test "$rc" = 0 &&
	test_grep "$ID2" out && test_grep ! "$ID" out &&
	test_grep -F "$F" err && test_grep FIFO err &&
	bounded report --month 2026-11 && test "$rc" = 0 &&
	test_grep "could not be read" err &&
	refused_naming 3 "$F" show $ID &&
	refused_naming 3 "$F" --now 2026-11-05T09:00 note $ID text &&
	bounded check && test "$rc" = 1 &&
	test_grep -F "$F" out && test_grep FIFO out &&
	back_in_place "$F" &&
	complaint check >out 2>err
'

test_expect_success 'a FIFO in the place of a month folder'"'"'s .gitignore: check names it and does not hang' '
	fifo_in_place .git/info/exclude && back_in_place .git/info/exclude &&
	mkfifo "$(dirname "$F")/.gitignore" &&
	bounded check && test "$rc" = 1 &&
	test_grep -F "$(dirname "$F")/.gitignore" out && test_grep FIFO out &&
	rm "$(dirname "$F")/.gitignore" &&
	complaint check >out 2>err
'

for file in .git/complaint/first-parent .git/complaint/cache; do
	test_expect_success "a FIFO in the place of $file (derived): the commands work without it" '
		fifo_in_place '"$file"' &&
		while read -r cmd; do
			bounded --now 2026-11-05T09:00 $cmd || { back_in_place '"$file"'; return 1; }
			test "$rc" = 0 || { cat err >&2; back_in_place '"$file"'; return 1; }
		done <<-EOC &&
		list
		report --month 2026-11
		report --month 2026-11 --as-of 2026-11-03T12:00
		score --month 2026-11 --as-of 2026-11-03T12:00
		EOC
		rm -f '"$file"' && mkfifo '"$file"' &&
		bounded check && test "$rc" = 0 &&
		test_grep -F '"$file"' out && test_grep FIFO out &&
		bounded check --repair &&
		test_path_is_missing '"$file"' &&
		rm -f '"$file"'.aside &&
		complaint report --month 2026-11 >/dev/null &&
		test_path_is_file '"$file"'
	'
done

test_expect_success 'a FIFO in the place of the store lock: a change refuses (3), naming it; reads work' '
	mkfifo .git/complaint.lock.fifo &&
	mv .git/complaint.lock .git/complaint.lock.aside 2>/dev/null;
	mv .git/complaint.lock.fifo .git/complaint.lock &&
	refused_naming 3 .git/complaint.lock --now 2026-11-05T09:00 note $ID text &&
	bounded list && test "$rc" = 0 &&
	rm .git/complaint.lock &&
	complaint --now 2026-11-05T09:00 note $ID text &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a FIFO given as a file to read or write: refused (3), naming it' '
	mkfifo ../fifo &&
	refused_naming 3 ../fifo new --from ../fifo &&
	refused_naming 3 ../fifo policy check ../fifo &&
	refused_naming 3 ../fifo report --month 2026-11 -o ../fifo &&
	refused_naming 3 ../fifo score --month 2026-11 -o ../fifo &&
	(cd .. && refused_naming 3 fifo init --policy fifo newstore) &&
	test_path_is_missing ../newstore/policy.yaml &&
	(cd .. && refused_naming 3 fifo init --org fifo newstore2) &&
	test_path_is_missing ../newstore2/policy.yaml
'

test_expect_success 'policy.yaml a symlink or a FIFO: named (3), not "not in a complaint store"' '
	mv policy.yaml ../policy.saved &&
	ln -s ../policy.saved policy.yaml &&
	bounded list && test "$rc" = 3 &&
	test_error_line err &&
	test_grep "policy.yaml: is a symbolic link" err &&
	mkdir sub && (cd sub && bounded list && test "$rc" = 3 &&
		test_grep "policy.yaml: is a symbolic link" err) &&
	bounded -C "$PWD" list && test "$rc" = 3 &&
	test_grep "policy.yaml: is a symbolic link" err &&
	bounded check && test "$rc" = 1 &&
	test_grep "policy.yaml: is a symbolic link" out &&
	rm policy.yaml && mkfifo policy.yaml &&
	bounded -C "$PWD" list && test "$rc" = 3 &&
	test_grep "policy.yaml: is a FIFO" err &&
	bounded policy check && test "$rc" = 3 &&
	test_grep "policy.yaml: is a FIFO" err &&
	rm policy.yaml && mkdir policy.yaml &&
	bounded list && test "$rc" = 3 &&
	test_grep "policy.yaml: is a directory" err &&
	rmdir policy.yaml && rm -r sub && mv ../policy.saved policy.yaml &&
	complaint check >out 2>err
'

test_expect_success 'org.yaml a symlink: named (3)' '
	mv org.yaml ../org.saved && ln -s ../org.saved org.yaml &&
	test_refused 3 list &&
	test_grep "org.yaml: is a symbolic link" err.refused &&
	rm org.yaml && mv ../org.saved org.yaml
'

test_expect_success 'cases/ a symlink: new and note name it (3), say nothing of a change that was not made; list and check name it' '
	mv cases ../cases.real && ln -s ../cases.real cases &&
	(cd ../cases.real && find . -type f -exec cat {} + | md5sum) >../cases.before &&
	for cmd in "note $ID text" "new --customer x --channel phone --category service --summary s" "show $ID"; do
		bounded --now 2026-11-05T09:00 $cmd && test "$rc" = 3 &&
		test_error_line err &&
		test_grep "cases: is a symbolic link" err &&
		test_grep ! "may hold" err || return 1
	done &&
	bounded list && test "$rc" = 3 &&
	test_grep "cases: is a symbolic link" err &&
	bounded check && test "$rc" = 1 &&
	test_grep "cases: is a symbolic link" out &&
	test_grep ! "index differs" out &&
	(cd ../cases.real && find . -type f -exec cat {} + | md5sum) >../cases.after &&
	test_cmp ../cases.before ../cases.after &&
	rm cases && mv ../cases.real cases &&
	complaint check >out 2>err
'

test_expect_success 'a year folder a symlink: list skips it with a warning naming it, check names it, note refuses (3)' '
	y=$(echo "$F" | cut -d/ -f1-2) &&
	mv $y ../year.real && ln -s "$PWD/../year.real" $y &&
	bounded list && test "$rc" = 0 &&
	test_grep "$y: is a symbolic link" err &&
	test_grep ! "$ID" out &&
	bounded check && test "$rc" = 1 &&
	test_grep "$y: is a symbolic link" out &&
	bounded --now 2026-11-05T09:00 note $ID text && test "$rc" = 3 &&
	test_grep "$y: is a symbolic link" err &&
	rm $y && mv ../year.real $y &&
	complaint check >out 2>err
'

test_expect_success 'a case file a FIFO or a folder in git'"'"'s status: check names it once' '
	mv "$F" ../case.saved && mkdir "$F" &&
	bounded check && test "$rc" = 1 &&
	test_grep -F "$F" out &&
	rmdir "$F" && mv ../case.saved "$F" &&
	complaint check >out 2>err
'

test_done
