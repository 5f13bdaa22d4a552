# test-lib.sh - the shell test library, sourced by every tests/t/tNNNN-*.sh.
#
# A test script reads like the user's session:
#
#	#!/bin/sh
#	test_description='what this script tests'
#	. "$(dirname "$0")/test-lib.sh"
#
#	new_store store
#
#	test_expect_success 'new prints only the ID' '
#		complaint new --customer x ... >out &&
#		test_line_count = 1 out
#	'
#	test_done
#
# Each script runs in its own trash directory under ${TMPDIR:-/tmp}, which
# is also $HOME, with TZ=UTC, LC_ALL=C.UTF-8, a fixed git identity, and
# every COMPLAINT_* variable and GIT_DIR, GIT_INDEX_FILE, GIT_WORK_TREE
# unset.  Bodies run in the script's own shell (variables and cd carry over
# to the next test), with standard input from /dev/null; chain their
# commands with && so that the first failure fails the test.  To pass an
# environment variable to one invocation use "env VAR=value complaint ..."
# ($TEST_LIB_DIR/bin, first on PATH, holds a "complaint" wrapper for env,
# xargs and git's merge driver).
#
# Helpers (each says why on stderr when it fails): test_must_fail,
# test_expect_code N CMD, test_cmp, test_cmp_bytes (od -c diff),
# test_path_is_file/_dir/_missing, test_line_count OP N FILE,
# test_must_be_empty, test_grep [!] ARGS FILE, test_error_line ERRFILE,
# new_store DIR, store_snapshot/store_unchanged, test_refused CODE ARGS,
# case_path ID, yaml_get FILE KEY..., test_set_prereq/test_have_prereq.
# Scratch files of bodies inside a store are named out*, err*, expect*,
# actual*, *.tmp or form* (new_store makes git ignore those).
#
# Inputs, read before COMPLAINT_* is cleared:
#	COMPLAINT_BIN       the binary (default: the repository's ./complaint)
#	COMPLAINT_VALGRIND  1: run it under valgrind (an error exits 126)
#	COMPLAINT_TEST_KEEP 1: keep the trash directory even when all passed
# Options of a script: -v (show the bodies' output as they run), -x (trace
# the bodies with set -x; the trace also lands in files that a body sends
# stderr to, so use it to find the failing command, not for a verdict),
# -d (keep the trash directory).
#
# Output is TAP: "ok N - desc" or "not ok N - desc" followed by the body and
# its standard error as "#" lines, then "1..N".  The exit code is 0 when
# every test passed.

# ---- where we are, and what the caller asked for ----

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd) || exit 1
TEST_ROOT=$(cd "$TEST_DIRECTORY/../.." && pwd) || exit 1
TEST_NAME=$(basename "$0" .sh)

TEST_BIN=${COMPLAINT_BIN:-$TEST_ROOT/complaint}
case $TEST_BIN in
/*) ;;
*) TEST_BIN=$(pwd)/$TEST_BIN ;;
esac
TEST_VALGRIND=${COMPLAINT_VALGRIND:-0}
TEST_KEEP=${COMPLAINT_TEST_KEEP:-}
TEST_VERBOSE=
TEST_TRACE=

for test_arg_ in "$@"; do
	case $test_arg_ in
	-v|--verbose) TEST_VERBOSE=1 ;;
	-x|--trace) TEST_TRACE=1 ;;
	-d|--debug) TEST_KEEP=1 ;;
	*) echo "$0: unknown option '$test_arg_' (-v, -x, -d)" >&2; exit 2 ;;
	esac
done

if ! test -x "$TEST_BIN"; then
	echo "Bail out! no complaint binary at '$TEST_BIN' (run make, or set COMPLAINT_BIN)"
	exit 1
fi

# ---- a clean, fixed environment ----

for test_v_ in $(env | sed -n 's/^\(COMPLAINT_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$test_v_"
done
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_COMMON_DIR GIT_NAMESPACE \
	GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_CONFIG_GLOBAL \
	GIT_CONFIG_SYSTEM GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_EDITOR \
	GIT_PAGER GIT_EXTERNAL_DIFF GIT_MERGE_VERBOSITY GIT_TRACE \
	XDG_CONFIG_HOME XDG_CONFIG_DIRS EMAIL LANGUAGE LC_CTYPE LC_MESSAGES \
	LC_TIME LC_NUMERIC CDPATH

TZ=UTC
LC_ALL=C.UTF-8
LANG=C.UTF-8
# the last fallback for the actor; not set on every machine
USER=tester
LOGNAME=tester
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
GIT_CONFIG_NOSYSTEM=1
GIT_PAGER=cat
PAGER=cat
export TZ LC_ALL LANG USER LOGNAME GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_CONFIG_NOSYSTEM GIT_PAGER PAGER

# ---- the trash directory ----

TRASH_DIRECTORY=$(mktemp -d "${TMPDIR:-/tmp}/complaint-$TEST_NAME.XXXXXX") || {
	echo "Bail out! cannot make a trash directory under ${TMPDIR:-/tmp}"
	exit 1
}
case $TRASH_DIRECTORY in
/*) ;;
*) TRASH_DIRECTORY=$(pwd)/$TRASH_DIRECTORY ;;
esac
HOME=$TRASH_DIRECTORY
export HOME TRASH_DIRECTORY
# test-lib's own files: the wrapper and the captured output of each body
TEST_LIB_DIR=$TRASH_DIRECTORY/.test-lib
mkdir -p "$TEST_LIB_DIR/bin" || exit 1
GIT_CEILING_DIRECTORIES=$(dirname "$TRASH_DIRECTORY")
export GIT_CEILING_DIRECTORIES

# The same command as the function below, for env, xargs and git.
{
	echo '#!/bin/sh'
	if test "$TEST_VALGRIND" = 1; then
		printf 'exec valgrind -q --error-exitcode=126 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite "%s" "$@"\n' "$TEST_BIN"
	else
		printf 'exec "%s" "$@"\n' "$TEST_BIN"
	fi
} >"$TEST_LIB_DIR/bin/complaint" &&
chmod +x "$TEST_LIB_DIR/bin/complaint" || exit 1
PATH=$TEST_LIB_DIR/bin:$PATH
export PATH

complaint () {
	if test "$TEST_VALGRIND" = 1; then
		valgrind -q --error-exitcode=126 --leak-check=full \
			--errors-for-leak-kinds=definite --show-leak-kinds=definite \
			"$TEST_BIN" "$@"
	else
		"$TEST_BIN" "$@"
	fi
}

cd "$TRASH_DIRECTORY" || exit 1

test_count=0
test_success=0
test_failure=0
test_skipped=0
test_done_called_=
test_prereqs_=" "

test_exit_trap_ () {
	test_rc_=$?
	test -n "$test_done_called_" && return
	echo "# $TEST_NAME: the script stopped before test_done (exit $test_rc_)"
	echo "# trash directory kept: $TRASH_DIRECTORY"
	test "$test_rc_" = 0 && exit 1
}
trap test_exit_trap_ EXIT

# ---- running tests ----

BUG () {
	echo "Bail out! BUG in the test script: $*"
	test_done_called_=1
	exit 1
}

say_ () {
	printf '%s\n' "$*"
}

# Print a file (or standard input) as "#\t" diagnostic lines, at most $2 lines.
test_diag_ () {
	sed -n "1,${2:-200}s/^/#	/p" "$1"
	test_n_=$(wc -l <"$1")
	if test "$test_n_" -gt "${2:-200}"; then
		echo "#	... ($test_n_ lines in all)"
	fi
}

test_eval_ () {
	if test -n "$TEST_VERBOSE"; then
		test_eval_inner_ "$1" </dev/null
	else
		test_eval_inner_ "$1" </dev/null >"$TEST_LIB_DIR/out" 2>"$TEST_LIB_DIR/err"
	fi
	test_eval_ret_=$?
	# a body must not leave the trash directory's bin off PATH, or HOME changed
	HOME=$TRASH_DIRECTORY
}

test_eval_inner_ () {
	if test -n "$TEST_TRACE"; then
		set -x
		eval "$1"
		test_r_=$?
		{ set +x; } 2>/dev/null
		return $test_r_
	fi
	eval "$1"
}

test_ok_ () {
	test_success=$((test_success + 1))
	say_ "ok $test_count - $1"
}

test_failure_ () {
	test_failure=$((test_failure + 1))
	say_ "not ok $test_count - $1"
	printf '%s\n' "$2" | sed -e '/^[ 	]*$/d' -e 's/^/#	/'
	if test -z "$TEST_VERBOSE" && test -s "$TEST_LIB_DIR/err"; then
		echo "#	--- stderr (exit $test_eval_ret_):"
		test_diag_ "$TEST_LIB_DIR/err" 200
	else
		echo "#	--- exit $test_eval_ret_"
	fi
}

test_skip_ () {
	test_skipped=$((test_skipped + 1))
	say_ "ok $test_count # skip $1 (missing $2)"
}

# test_set_prereq NAME; test_have_prereq NAME
test_set_prereq () {
	test_prereqs_="$test_prereqs_$1 "
}

test_have_prereq () {
	case $test_prereqs_ in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# test_expect_success [PREREQ] 'desc' 'body'
test_expect_success () {
	test_prereq_=
	if test $# = 3; then
		test_prereq_=$1
		shift
	fi
	test $# = 2 || BUG "test_expect_success needs 'desc' 'body' (got $# arguments)"
	test_count=$((test_count + 1))
	if test -n "$test_prereq_" && ! test_have_prereq "$test_prereq_"; then
		test_skip_ "$1" "$test_prereq_"
		return 0
	fi
	test_eval_ "$2"
	if test "$test_eval_ret_" = 0; then
		test_ok_ "$1"
	else
		test_failure_ "$1" "$2"
	fi
	return 0
}

test_done () {
	test_done_called_=1
	echo "1..$test_count"
	cd / || true
	if test "$test_failure" = 0; then
		if test "$test_skipped" -gt 0; then
			echo "# passed all $test_count test(s) ($test_skipped skipped)"
		else
			echo "# passed all $test_count test(s)"
		fi
		if test -z "$TEST_KEEP"; then
			rm -rf "$TRASH_DIRECTORY"
		else
			echo "# trash directory kept: $TRASH_DIRECTORY"
		fi
		exit 0
	fi
	echo "# failed $test_failure among $test_count test(s)"
	echo "# trash directory kept: $TRASH_DIRECTORY"
	exit 1
}

# ---- helpers for bodies; each says why on stderr when it fails ----

# test_must_fail CMD...: CMD fails the ordinary way (exit 1 to 125), not by
# a signal, a valgrind error (126), command not found (127) or a
# sanitizer report (99).
test_must_fail () {
	"$@"
	test_code_=$?
	if test "$test_code_" = 0; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif test "$test_code_" -gt 128 && test "$test_code_" -le 192; then
		echo "test_must_fail: died by signal $((test_code_ - 128)): $*" >&2
		return 1
	elif test "$test_code_" -gt 125; then
		echo "test_must_fail: valgrind error, not found or not runnable (exit $test_code_): $*" >&2
		return 1
	elif test "$test_code_" = 99; then
		echo "test_must_fail: sanitizer error (exit 99): $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code N CMD...: CMD exits with exactly N.
test_expect_code () {
	test_want_=$1
	shift
	"$@"
	test_code_=$?
	test "$test_code_" = "$test_want_" && return 0
	echo "test_expect_code: exit $test_code_, wanted $test_want_: $*" >&2
	return 1
}

# test_cmp EXPECTED ACTUAL: the same text (diff -u on stderr if not).
test_cmp () {
	test $# = 2 || BUG "test_cmp needs 2 files"
	diff -u "$1" "$2" >&2
}

# test_cmp_bytes EXPECTED ACTUAL: the same bytes; on a difference, shows
# the od -c of both, diffed, so that tabs, CR and spaces can be seen.
test_cmp_bytes () {
	test $# = 2 || BUG "test_cmp_bytes needs 2 files"
	cmp -s "$1" "$2" && return 0
	echo "test_cmp_bytes: '$1' and '$2' differ (od -c, expected then actual):" >&2
	od -c "$1" >"$TEST_LIB_DIR/od.expect"
	od -c "$2" >"$TEST_LIB_DIR/od.actual"
	diff -u "$TEST_LIB_DIR/od.expect" "$TEST_LIB_DIR/od.actual" >&2
	return 1
}

test_path_is_file () {
	test -f "$1" && return 0
	echo "file '$1' does not exist" >&2
	return 1
}

test_path_is_dir () {
	test -d "$1" && return 0
	echo "directory '$1' does not exist" >&2
	return 1
}

test_path_is_missing () {
	test -e "$1" || test -L "$1" || return 0
	echo "path '$1' exists and should not" >&2
	ls -ld "$1" >&2
	return 1
}

# test_line_count OP N FILE, e.g. test_line_count = 1 out
test_line_count () {
	test $# = 3 || BUG "test_line_count needs OP N FILE"
	test_n_=$(wc -l <"$3") || return 1
	test "$test_n_" "$1" "$2" && return 0
	echo "test_line_count: line count for '$3' is $test_n_, not $1 $2:" >&2
	sed -n '1,50p' "$3" >&2
	return 1
}

test_must_be_empty () {
	test -f "$1" || { echo "'$1' is missing" >&2; return 1; }
	test -s "$1" || return 0
	echo "'$1' is not empty, it contains:" >&2
	sed -n '1,50p' "$1" >&2
	return 1
}

# test_grep [-v] [grep options] PATTERN FILE: like grep, showing the file on failure.
test_grep () {
	test_neg_=
	if test "$1" = "!" || test "$1" = "-v"; then
		test_neg_=1
		shift
	fi
	eval "test_file_=\${$#}"
	if test -n "$test_neg_"; then
		grep "$@" >/dev/null || return 0
		echo "test_grep: found what should not be there ($*):" >&2
	else
		grep "$@" >/dev/null && return 0
		echo "test_grep: did not find ($*):" >&2
	fi
	sed -n '1,50p' "$test_file_" >&2
	return 1
}

# test_error_line FILE: FILE (a command's stderr) is exactly one line that
# starts "complaint: ".
test_error_line () {
	test_n_=$(wc -l <"$1") || return 1
	if test "$test_n_" = 1 && grep -q '^complaint: ' "$1"; then
		return 0
	fi
	echo "test_error_line: expected one line 'complaint: ...' on stderr, got $test_n_ line(s):" >&2
	sed -n '1,50p' "$1" >&2
	return 1
}

# ---- stores ----

# new_store DIR [init options]: make a store in DIR (at 2026-11-01T09:00,
# by the actor "tester") and cd into it.  Scratch files of the tests
# (out*, err*, expect*, actual*, *.tmp, form*) are ignored in it through
# .git/info/exclude, so that "git status --porcelain" shows only what the
# tool did.
new_store () {
	test_store_=$1
	shift
	complaint --now 2026-11-01T09:00 init "$test_store_" "$@" >/dev/null &&
	test_ignore_scratch "$test_store_" &&
	cd "$test_store_"
}

# test_ignore_scratch DIR: ignore the tests' scratch files in DIR's repository.
test_ignore_scratch () {
	mkdir -p "$1/.git/info" &&
	printf '%s\n' '/out*' '/err*' '/expect*' '/actual*' '/*.tmp' '/form*' \
		>>"$1/.git/info/exclude"
}

# store_snapshot [DIR]; ...; store_unchanged [DIR]: nothing was written in
# between: HEAD, refs, index, tracked and untracked files (but the
# scratch files above), case files, no lock files left behind.
store_snapshot () {
	(cd "${1:-.}" && store_state_) >"$TEST_LIB_DIR/snap.before"
}

store_unchanged () {
	(cd "${1:-.}" && store_state_) >"$TEST_LIB_DIR/snap.after" || return 1
	diff -u "$TEST_LIB_DIR/snap.before" "$TEST_LIB_DIR/snap.after" >&2 && return 0
	echo "store_unchanged: the store changed (above: before, after)" >&2
	return 1
}

store_state_ () {
	echo "HEAD $(git rev-parse HEAD 2>&1)"
	git for-each-ref --format='%(refname) %(objectname)'
	echo "index $(git ls-files -s | git hash-object --stdin)"
	echo "status:"
	git status --porcelain --untracked-files=all
	echo "files:"
	find . -path ./.git -prune -o -type f -print | LC_ALL=C sort |
		grep -v -e '^\./out' -e '^\./err' -e '^\./expect' -e '^\./actual' \
			-e '^\./[^/]*\.tmp$' -e '^\./form'
	echo "locks:"
	find . -name '*.lock' -print | LC_ALL=C sort
}

# case_path ID: the case file's path, found in the work tree.
case_path () {
	find cases -name "$1.yaml" -type f 2>/dev/null
}

# yaml_get FILE [KEY|N]...: the value at that path as PyYAML's BaseLoader
# reads it (every scalar a string, exactly as written), or a list or map as
# JSON; fails when the path is not there.  FILE - reads standard input.
yaml_get () {
	python3 -c '
import json, sys, yaml
f = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8", newline="")
v = yaml.load(f, Loader=yaml.BaseLoader)
for k in sys.argv[2:]:
    if isinstance(v, list):
        v = v[int(k)]
    elif isinstance(v, dict) and k in v:
        v = v[k]
    else:
        sys.exit("yaml_get: no %r in %s" % (k, sys.argv[1]))
if isinstance(v, (dict, list)):
    print(json.dumps(v, ensure_ascii=False))
else:
    sys.stdout.write(v + "\n")
' "$@"
}

# test_refused CODE ARG...: "complaint ARG..." run in the store exits with
# CODE, prints nothing on stdout and one line "complaint: ..." on stderr,
# and writes nothing (store_snapshot/store_unchanged around it).
test_refused () {
	test_want_code_=$1
	shift
	store_snapshot || return 1
	complaint "$@" >out.refused 2>err.refused
	test_code_=$?
	if test "$test_code_" != "$test_want_code_"; then
		echo "test_refused: exit $test_code_, wanted $test_want_code_: complaint $*" >&2
		sed -n '1,20p' err.refused >&2
		return 1
	fi
	test_must_be_empty out.refused &&
	test_error_line err.refused &&
	store_unchanged
}
