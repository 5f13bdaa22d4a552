#!/bin/sh
test_description='the fuzz targets replay their seed corpus (and every crash a fuzzing run saved) without a broken promise'
. "$(dirname "$0")/test-lib.sh"

# The replay binaries are built by make check (make fuzz-replay-bin) next
# to the binary under test: BUILD/fuzz/replay-TARGET.  Under valgrind
# they run under valgrind too.
dir=$(dirname "$TEST_BIN")/fuzz
test -d "$dir" || dir=$TEST_ROOT/build/fuzz
if test -x "$dir/replay-case"; then
	test_set_prereq REPLAY
fi

for t in case policy roundtrip time; do
	test_expect_success REPLAY "replay-$t over tests/fuzz/corpus/$t" '
		if test "$TEST_VALGRIND" = 1; then
			valgrind -q --error-exitcode=126 --leak-check=full \
				--errors-for-leak-kinds=definite "$dir/replay-$t" \
				"$TEST_ROOT/tests/fuzz/corpus/$t" >out 2>err
		else
			"$dir/replay-$t" "$TEST_ROOT/tests/fuzz/corpus/$t" >out 2>err
		fi &&
		test_must_be_empty err &&
		n=$(sed -n "s/.*: \([0-9]*\) inputs replayed/\1/p" out) &&
		test "$n" -ge 10 &&
		echo "replay-$t: $n inputs" >>"$TRASH_DIRECTORY/replayed"
	'
done
test -f "$TRASH_DIRECTORY/replayed" && sed 's/^/# /' "$TRASH_DIRECTORY/replayed"

test_done
