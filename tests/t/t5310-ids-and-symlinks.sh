#!/bin/bash
test_description='hostile IDs are refused before anything is touched; symlinked case files and folders are never written through'
. "$(dirname "$0")/test-lib.sh"

# bash: $'...' for newlines and NUL in arguments

new_store store

test_expect_success 'setup: a case, and a file outside the store' '
	ID=$(complaint --now 2026-11-02T09:00 new --customer 王先生 --channel phone \
		--category service --summary 上菜慢) &&
	F=$(case_path $ID) &&
	mkdir ../outside &&
	echo "precious" >../outside/passwd &&
	cp ../outside/passwd ../outside.orig
'

# every command that takes an ID, with what else it needs
id_commands () {
	cat <<-\EOC
	show @
	log @
	assign @ --department 餐饮部
	notify @
	note @ text
	plan @ --text plan
	resolve @ --text done
	reclassify @ general --reason why
	penalize @ 张三 5 --reason why
	EOC
}

BAD_IDS=(".." "." "/" "../outside/passwd" "../../../../etc/passwd" "/etc/passwd"
	"$PWD/../outside/passwd" "cases/2026/11/$ID" "$ID/.." "C-20261102-A/B"
	$'C-20261102-AAAA\nstatus: closed' $'C-20261102-AAAA\r' "C-20261102-AA AA"
	"C-20261102-AAAA;rm" "~" "C-20261102-ＡＡＡＡ" "$(printf "C-%040d" 1)"
	"ab" "" "C-20261102-\$(id)" "C-20261102-*" "\\x00")

test_expect_success 'each bad ID with each command: exit 2, one line, nothing touched' '
	n=0 &&
	while read -r cmd rest; do
		for bad in "${BAD_IDS[@]}"; do
			args=() &&
			for a in $rest; do
				if test "$a" = @; then args+=("$bad"); else args+=("$a"); fi
			done &&
			test_refused 2 --now 2026-11-02T09:10 $cmd "${args[@]}" || {
				echo "($cmd with ID $(printf %q "$bad"))" >&2; return 1; }
			n=$((n + 1))
		done
	done < <(id_commands) &&
	echo "$n refusals" >../ids.summary
'
test -f ../ids.summary && sed 's/^/# /' ../ids.summary

test_expect_success 'an ID with a leading dash is an unknown option (exit 2), even after --' '
	test_refused 2 show -x &&
	test_refused 2 show --etc &&
	test_refused 2 note -- "-$ID" text &&
	test_refused 2 assign "-C" --department 餐饮部
'

test_expect_success 'NUL cannot be passed in an argument; the part before it is judged' '
	test_refused 2 show $'"'"'../x\0/etc'"'"' &&
	test_refused 2 note $'"'"'..\0'"'"' text
'

test_expect_success 'the outside file is untouched' '
	test_cmp ../outside.orig ../outside/passwd
'

test_expect_success 'a case file that is a symlink to a file outside: assign refused, the file unchanged' '
	cp "$F" ../outside/case.yaml &&
	cp ../outside/case.yaml ../case.orig &&
	mv "$F" ../case.saved &&
	ln -s "$(cd ../outside && pwd)/case.yaml" "$F" &&
	store_snapshot &&
	test_must_fail complaint --now 2026-11-02T09:20 assign $ID --department 餐饮部 >out 2>err &&
	test_error_line err &&
	test_grep "symbolic link" err &&
	test_cmp ../case.orig ../outside/case.yaml &&
	test -L "$F" &&
	store_unchanged
'

test_expect_success 'check reports the symlink; --repair does not write through it' '
	test_expect_code 1 complaint check >out 2>err &&
	test_grep "$ID" out &&
	complaint check --repair >out 2>err;
	test_cmp ../case.orig ../outside/case.yaml &&
	rm -f "$F" && git checkout -- "$F" &&
	complaint check >out 2>err
'

test_expect_success 'the same symlink committed with git: assign refused, the outside file unchanged' '
	mv "$F" ../case.saved &&
	ln -s "$(cd ../outside && pwd)/case.yaml" "$F" &&
	git add "$F" && git commit -q -m "a symlink, by hand" &&
	store_snapshot &&
	test_must_fail complaint --now 2026-11-02T09:20 assign $ID --department 餐饮部 >out 2>err &&
	test_error_line err &&
	test_cmp ../case.orig ../outside/case.yaml &&
	store_unchanged &&
	git revert --no-edit HEAD >/dev/null &&
	test -f "$F" && ! test -L "$F"
'

test_expect_success 'a month folder that is a symlink to a folder outside: assign and new refused, nothing written there' '
	dir=$(dirname "$F") &&
	mkdir ../outside/month &&
	cp "$dir"/*.yaml ../outside/month/ &&
	(cd ../outside/month && ls -la; cat *.yaml) >../month.before &&
	mv "$dir" ../month.saved &&
	ln -s "$(cd ../outside/month && pwd)" "$dir" &&
	test_must_fail complaint --now 2026-11-02T09:30 assign $ID --department 餐饮部 >out 2>err &&
	test_error_line err &&
	test_grep "symbolic link" err &&
	test_must_fail complaint --now 2026-11-02T09:30 new --customer x --channel phone \
		--category service --summary s >out 2>err &&
	test_error_line err &&
	(cd ../outside/month && ls -la; cat *.yaml) >../month.after &&
	test_cmp ../month.before ../month.after
'

test_expect_success 'check --repair puts a real folder back, and writes nothing through the link' '
	test_expect_code 1 complaint check >out 2>err &&
	complaint check --repair >out 2>err;
	(cd ../outside/month && ls -la; cat *.yaml) >../month.after &&
	test_cmp ../month.before ../month.after &&
	! test -L "$dir" &&
	test_cmp ../month.saved/$ID.yaml "$F" &&
	complaint check >out 2>err &&
	git status --porcelain >status.tmp &&
	test_must_be_empty status.tmp
'

test_expect_success 'cases/ itself a symlink: new refused, nothing written outside' '
	mv cases ../cases.saved &&
	mkdir ../outside/cases &&
	ln -s "$(cd ../outside/cases && pwd)" cases &&
	test_must_fail complaint --now 2026-11-02T09:40 new --customer x --channel phone \
		--category service --summary s >out 2>err &&
	test_grep "symbolic link" err &&
	find ../outside/cases -type f >found.tmp &&
	test_must_be_empty found.tmp &&
	rm cases && mv ../cases.saved cases &&
	complaint check >out 2>err
'

test_done
