#!/bin/sh
test_description='the README tour runs as written and leaves no late penalty

The first sh block under "A short tour" in README.md is run as a script
(complaint from PATH, a fixed COMPLAINT_NOW), every command must succeed,
close must name no missed or pending deadline, and the score of the
month holds the occurrence item alone: following the tour, onsite
included, meets every deadline (SPEC section 9).'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'the tour runs and ends with no late item' '
	awk "/^## A short tour/ { t = 1 } t && /^\`\`\`sh/ { on = 1; next } on && /^\`\`\`/ { exit } on" \
		"$TEST_ROOT/README.md" |
		sed -e "s/\\\$(date +%Y-%m)/2026-11/" >tour.sh &&
	test_grep "complaint onsite" tour.sh &&
	mkdir bin &&
	cat >bin/complaint <<-EOF &&
	#!/bin/sh
	exec "$TEST_BIN" "\$@"
	EOF
	chmod +x bin/complaint &&
	(
		PATH=$PWD/bin:$PATH &&
		COMPLAINT_NOW=2026-11-22T14:30 &&
		export PATH COMPLAINT_NOW &&
		set -e &&
		. ./tour.sh >tour.out 2>tour.err
	) &&
	! grep -q "deadline" tour.err &&
	complaint -C shop --now 2026-11-22T15:00 score --month 2026-11 --format json >score.json &&
	jq -e "[.items[] | .rule] == [\"occurrence:general\"]" score.json
'

test_done
