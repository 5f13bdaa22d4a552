#!/bin/sh
# run.sh BUILD_DIR - run every test and end with one line "N passed, N failed".
#
#   sh tests/run.sh build
#
# First the C unit test binaries BUILD_DIR/tests/test_* (cmocka, TAP output:
# each "ok" or "not ok" line counts; a binary that crashes, or exits
# non-zero without a "not ok", counts as one failure), then the shell tests
# tests/t/t[0-9]*.sh, TEST_JOBS (default 2) at a time, each printed whole
# and in order.  A script that exits non-zero without a "not ok", or ends
# without its "1..N" plan, counts as one failure.  Exits 1 when anything
# failed.
#
# Environment: COMPLAINT_BIN (default BUILD_DIR/complaint when it exists,
# else ./complaint), COMPLAINT_VALGRIND=1 (the unit tests and the binary
# under valgrind), TEST_JOBS, TEST_TIMEOUT (seconds per script, default 600,
# five times that under valgrind), and arguments after BUILD_DIR: only the
# shell scripts whose names contain one of them (e.g. t0100).

# run.sh --one OUTDIR SCRIPT: run one script into OUTDIR/NAME.{out,rc} (for xargs)
if test "$1" = --one; then
	name=$(basename "$3" .sh)
	shell=sh
	read -r first <"$3" || true
	case $first in
	'#!'*bash*) shell=bash ;;
	esac
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 10 "$TEST_TIMEOUT" "$shell" "$3" >"$2/$name.out" 2>&1
	else
		"$shell" "$3" >"$2/$name.out" 2>&1
	fi
	echo $? >"$2/$name.rc.tmp"
	mv "$2/$name.rc.tmp" "$2/$name.rc"
	exit 0
fi

# The tests read YAML with PyYAML: when the python3 first on PATH (a
# pyenv one, say) has no yaml module but Debian's python3-yaml is there,
# put Debian's python3 first.
if ! python3 -c 'import yaml' >/dev/null 2>&1 &&
   /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
	pydir=${TMPDIR:-/tmp}/complaint-python.$$
	mkdir -p "$pydir" && ln -sf /usr/bin/python3 "$pydir/python3" &&
	PATH=$pydir:$PATH && export PATH
fi

if test $# -lt 1; then
	echo "usage: sh tests/run.sh BUILD_DIR [SCRIPT-NAME-PART...]" >&2
	exit 2
fi
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd) || exit 2
root=$(cd "$here/.." && pwd) || exit 2
if test -d "$build"; then
	build=$(cd "$build" && pwd)
else
	echo "# no build directory '$build': no unit tests"
	build=
fi
if test -z "${COMPLAINT_BIN:-}" && test -n "$build" && test -x "$build/complaint"; then
	COMPLAINT_BIN=$build/complaint
	export COMPLAINT_BIN
fi
vg=
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
if test "${COMPLAINT_VALGRIND:-0}" = 1; then
	vg="valgrind -q --error-exitcode=126 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
	TEST_TIMEOUT=$((TEST_TIMEOUT * 5))
fi
export TEST_TIMEOUT
jobs=${TEST_JOBS:-2}

out=$(mktemp -d "${TMPDIR:-/tmp}/complaint-run.XXXXXX") || exit 2
xpid=
cleanup () {
	test -n "$xpid" && kill "$xpid" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
skipped=0

# count FILE RC WHAT: add FILE's TAP lines to the totals
count () {
	ok=$(grep -c '^ok ' "$1")
	skip=$(grep -ci '^ok [0-9]* *# *skip' "$1")
	nok=$(grep -c '^not ok ' "$1")
	passed=$((passed + ok - skip))
	skipped=$((skipped + skip))
	failed=$((failed + nok))
	if test "$2" != 0 && test "$nok" = 0; then
		case $2 in
		124) why="timed out after ${TEST_TIMEOUT}s" ;;
		126) why="valgrind found errors" ;;
		1[3-9][0-9]) why="killed by signal $(($2 - 128))" ;;
		*) why="no test failed: a crash, a syntax error or an early exit?" ;;
		esac
		echo "not ok - $3 exited with $2 ($why)"
		failed=$((failed + 1))
	elif test "$2" = 0 && test "$4" = plan && ! grep -q '^1\.\.[0-9]' "$1"; then
		echo "not ok - $3 ended without its plan (1..N)"
		failed=$((failed + 1))
	elif test "$2" = 0 && test "$ok" = 0 && test "$nok" = 0; then
		echo "not ok - $3 ran no test"
		failed=$((failed + 1))
	fi
}

# ---- unit tests ----

if test -n "$build"; then
	for t in "$build"/tests/test_*; do
		test -f "$t" && test -x "$t" || continue
		case $t in
		*.*) continue ;;
		esac
		name=$(basename "$t")
		echo "# unit: $name"
		(cd "$root" && CMOCKA_MESSAGE_OUTPUT=TAP $vg "$t") >"$out/unit.out" 2>&1
		rc=$?
		cat "$out/unit.out"
		count "$out/unit.out" "$rc" "unit/$name"
	done
fi

# ---- shell tests ----

: >"$out/list"
for f in "$here"/t/t[0-9]*.sh; do
	test -f "$f" || continue
	if test $# -gt 0; then
		want=
		for p in "$@"; do
			case $(basename "$f") in
			*"$p"*) want=1 ;;
			esac
		done
		test -n "$want" || continue
	fi
	printf '%s\n' "$f" >>"$out/list"
done

if test -s "$out/list"; then
	tr '\n' '\0' <"$out/list" |
		xargs -0 -n 1 -P "$jobs" sh "$here/run.sh" --one "$out" &
	xpid=$!
	while read -r f; do
		name=$(basename "$f" .sh)
		while ! test -f "$out/$name.rc"; do
			if ! kill -0 "$xpid" 2>/dev/null; then
				test -f "$out/$name.rc" || echo 127 >"$out/$name.rc"
				break
			fi
			sleep 0.2 2>/dev/null || sleep 1
		done
		echo "# $name"
		test -f "$out/$name.out" || : >"$out/$name.out"
		cat "$out/$name.out"
		count "$out/$name.out" "$(cat "$out/$name.rc")" "$name" plan
	done <"$out/list"
	wait "$xpid" 2>/dev/null
	xpid=
fi

if test "$skipped" -gt 0; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
test "$failed" = 0
