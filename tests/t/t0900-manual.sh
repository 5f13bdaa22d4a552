#!/bin/sh
# The manual: a page for every command, each clean under mandoc's lint and
# rendered by man -l; every option a command's --help lists is in its page.
test_description='man pages'
. "$(dirname "$0")/test-lib.sh"

man_dir=$TEST_DIRECTORY/../../man

commands='init new import assign notify onsite plan approve resolve callback close
reopen note reclassify penalize letter show list log score report check policy
clone sync merge-file help setup verify hook
set analyze measure hold resume'

test_expect_success 'complaint(1), complaint-policy(5), complaint-case(5) exist' '
	test_path_is_file "$man_dir/complaint.1" &&
	test_path_is_file "$man_dir/complaint-policy.5" &&
	test_path_is_file "$man_dir/complaint-case.5"
'

test_expect_success 'every command of complaint --help is in this list' '
	complaint --help | sed -n "s/^   \([a-z][a-z-]*\) .*/\1/p" | sort >actual &&
	printf "%s\n" $commands | sort >expect &&
	test_cmp expect actual
'

for c in $commands; do
	test_expect_success "complaint-$c(1) exists, lints clean and renders" "
		test_path_is_file \"\$man_dir/complaint-$c.1\" &&
		mandoc -Tlint -W warning \"\$man_dir/complaint-$c.1\" >lint 2>&1 &&
		test_must_be_empty lint &&
		man -l \"\$man_dir/complaint-$c.1\" >page 2>/dev/null &&
		test -s page
	"
done

for c in $commands; do
	test_expect_success "every option of 'complaint $c --help' is in its page" "
		complaint $c --help >help &&
		sed -n -e '/--help/d' \\
			-e 's/^ *\\(-[a-z], \\)\\{0,1\\}\\(--[a-z-]*\\).*/\\2/p' help >opts &&
		{ test -s opts || test $c = clone || test $c = merge-file || test $c = help; } &&
		while read o; do
			grep -q -- \"Fl -\${o#--}\" \"\$man_dir/complaint-$c.1\" ||
			{ echo \"\$o is not in complaint-$c.1\"; exit 1; }
		done <opts
	"
done

test_expect_success 'every page lints clean (the sections, too)' '
	for f in "$man_dir"/*.1 "$man_dir"/*.5; do
		mandoc -Tlint -W warning "$f" || exit 1
	done >lint 2>&1 &&
	test_must_be_empty lint
'

test_done
