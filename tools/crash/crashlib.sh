# crashlib.sh - kill a command, or make one of its system calls fail, at
# each system call that writes, and check what it leaves behind.
#
# Sourced by tests/t/t51*.sh after test-lib.sh; by hand:
#
#	. tools/crash/crashlib.sh
#	crash_points points.txt writes complaint assign C-... --department D
#	crash_inject fsync signal=SIGKILL 3 complaint assign C-... ...
#	crash_inject write error=ENOSPC 7 complaint new ...
#
# The faults are strace's (strace >= 4.16):
#
#	strace -f -o /dev/null -e trace=SYSCALL \
#		-e inject=SYSCALL:signal=SIGKILL:when=N CMD...
#
# kills CMD on entry to its Nth call of SYSCALL, before the call does
# anything (so "killed at the Nth rename" is "killed just after the call
# before it"); error=ENOSPC in place of signal= makes that one call fail
# and lets CMD go on.  The counter is per system call, so a point is the
# pair (SYSCALL, N).
#
# Helpers write their scratch files to $CRASH_TMP (an absolute path;
# default: the working directory when this file is sourced), never into
# the store itself.

CRASH_TMP=${CRASH_TMP:-$(pwd)}

# Every call that changes something on disk, or opens or closes a file.
CRASH_SYSCALLS=openat,creat,mkdir,mkdirat,write,pwrite64,writev,ftruncate,fsync,fdatasync,close,link,linkat,symlink,rename,renameat,renameat2,unlink,unlinkat,rmdir,utimensat

# crash_strace ARGS...: strace, with LeakSanitizer off in the traced
# command (it cannot work under ptrace; the other sanitizers do).
crash_strace () {
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}

# crash_points OUT all|writes CMD...: run CMD once under strace and write
# its kill points to OUT, one "SYSCALL N" line each, in the order the
# calls happened.  "all": every call of CRASH_SYSCALLS.  "writes": the
# calls that change the disk: each write, sync, link, rename, unlink,
# mkdir, utimensat, and each openat that opens for writing or creates;
# not close, not an openat for reading.  "opens": "writes" and every
# openat.
crash_points () {
	crash_out_=$1 crash_mode_=$2
	shift 2
	crash_strace -f -qq -e trace="$CRASH_SYSCALLS" -o "$crash_out_.trace" "$@" \
		>/dev/null 2>&1 || return 1
	awk -v mode="$crash_mode_" '
		{
			line = $0
			sub(/^[0-9]+ +/, "", line)
			if (line !~ /^[a-z0-9_]+\(/)
				next		# "<... resumed>", "+++ exited"
			name = line
			sub(/\(.*/, "", name)
			n = ++count[name]
			if (mode == "writes") {
				if (name == "close")
					next
				if (name == "openat" && line !~ /O_WRONLY|O_RDWR|O_CREAT/)
					next
			} else if (mode == "opens" && name == "close") {
				next
			}
			print name, n
		}' "$crash_out_.trace" >"$crash_out_" &&
	rm -f "$crash_out_.trace"
}

# crash_inject SYSCALL WHAT N CMD...: run CMD with WHAT (signal=SIGKILL,
# error=ENOSPC, error=EIO ...) injected at its Nth call of SYSCALL.
# CMD's standard output and error go to $CRASH_TMP/crash.out and
# crash.err.  Returns CMD's exit status (137: killed by SIGKILL).
crash_inject () {
	crash_sys_=$1 crash_what_=$2 crash_n_=$3
	shift 3
	# a subshell, so that the shell does not report the SIGKILL
	(crash_strace -f -qq -o /dev/null -e trace="$crash_sys_" \
		-e inject="$crash_sys_:$crash_what_:when=$crash_n_" \
		"$@" >"$CRASH_TMP/crash.out" 2>"$CRASH_TMP/crash.err")
}

# crash_age_locks: make git's lock files and libgit2's temporary object
# files look a minute old, as they are when a person comes to repair the
# store.  check --repair goes by whether a process holds them, never by
# their age: this only shows that age plays no part.
crash_age_locks () {
	crash_old_=$(($(date +%s) - 60))
	find .git \( -name '*.lock' -o -name 'tmp_object_git2_*' \) \
		-exec touch -h -d "@$crash_old_" {} + 2>/dev/null
	return 0
}

# crash_litter: print what an interrupted change left behind: git's lock
# files (not our store lock, which stays), temporary files in .git and
# in the work tree.  Prints nothing after a good recovery.
crash_litter () {
	find .git \( -name '*.lock' ! -path .git/complaint.lock \) -print -o \
		-name 'tmp_*' -print 2>/dev/null
	find . -path ./.git -prune -o -name '.*.tmp-*' -print
}

# crash_fsck: git fsck --strict exits 0 and says nothing but "dangling"
# (objects a killed change wrote and never used are fine).
crash_fsck () {
	git fsck --strict >"$CRASH_TMP/fsck.out" 2>&1 &&
	! grep -v '^dangling ' "$CRASH_TMP/fsck.out" | grep -q .
}

# crash_loop POINTS WHAT TEMPLATE ACTION CMD...: for each kill point of
# POINTS, copy the store TEMPLATE to $CRASH_TMP/s, run CMD in it with WHAT
# injected there, and check the store, writing one line per broken
# promise to $CRASH_TMP/broken.  ACTION is the commit's Action: trailer.
# When $CRASH_EXPECT names a file, a commit that landed must hold exactly
# its bytes at $CRASH_PATH.  Counts go to $CRASH_TMP/counts:
#	points killed completed failed landed-late landed tmp-objects
# (killed: by the signal; completed: exit 0; failed: exit 1..127;
# landed-late: a non-zero exit after the commit landed; landed: HEAD
# moved, whatever the exit; tmp-objects: exit 0 with a libgit2 temporary
# object file left, after its unlink failed).  The points where CMD exited 0 go to
# $CRASH_TMP/completed.
#
# The promises, after each point:
#  - HEAD is the old commit or a child of it made by ACTION;
#  - git fsck --strict is clean;
#  - an exit 0 means the commit landed, the work tree and index match it
#    and nothing is left behind; an exit that is not 0 with HEAD moved
#    says on stderr that the change is committed and names
#    'complaint check --repair';
#  - the committed case file is the whole one ($CRASH_EXPECT);
#  - after 'complaint check --repair' (exit 0): nothing uncommitted, no
#    lock or temporary file; and the next 'complaint new' works.
crash_loop () {
	crash_points_=$1 crash_what_=$2 crash_tpl_=$3 crash_action_=$4
	shift 4
	crash_t_=$CRASH_TMP
	case $crash_tpl_ in
	/*) ;;
	*) crash_tpl_=$(pwd)/$crash_tpl_ ;;
	esac
	: >"$crash_t_/broken"
	: >"$crash_t_/completed"
	crash_np_=0 crash_nk_=0 crash_nc_=0 crash_nf_=0 crash_nl_=0 crash_nm_=0 crash_no_=0
	while read -r crash_sys_ crash_n_; do
		crash_np_=$((crash_np_ + 1))
		crash_at_="$crash_what_ at $crash_sys_ #$crash_n_"
		rm -rf "$crash_t_/s" && cp -a "$crash_tpl_" "$crash_t_/s" &&
		cd "$crash_t_/s" || return 1
		crash_old_=$(git rev-parse HEAD)
		crash_inject "$crash_sys_" "$crash_what_" "$crash_n_" "$@"
		crash_rc_=$?
		crash_new_=$(git rev-parse HEAD)
		crash_status_=$(git status --porcelain)
		crash_left_=$(crash_litter)
		crash_landed_=
		if test "$crash_new_" != "$crash_old_"; then
			crash_landed_=1
			crash_nm_=$((crash_nm_ + 1))
			if test "$(git rev-parse HEAD^)" != "$crash_old_" ||
			   ! git log -1 --format=%B | grep -qx "Action: $crash_action_"; then
				echo "$crash_at_: HEAD is neither the old commit nor its child" >>"$crash_t_/broken"
			fi
		fi
		case $crash_rc_ in
		0)	crash_nc_=$((crash_nc_ + 1))
			echo "$crash_sys_ $crash_n_" >>"$crash_t_/completed"
			test -n "$crash_landed_" ||
				echo "$crash_at_: exit 0 but HEAD did not move" >>"$crash_t_/broken"
			test -z "$crash_status_" ||
				echo "$crash_at_: exit 0 but git status is not clean" >>"$crash_t_/broken"
			# libgit2 ignores a failed unlink of its temporary object
			# file once the object is in place: harmless litter that
			# check warns about and --repair removes; anything else
			# left behind after an exit 0 is a broken promise
			case $crash_left_ in
			*tmp_object_git2_*) crash_no_=$((crash_no_ + 1)) ;;
			esac
			test -z "$(echo "$crash_left_" | grep -v tmp_object_git2_)" ||
				echo "$crash_at_: exit 0 but left $(echo $crash_left_)" >>"$crash_t_/broken"
			;;
		137)	crash_nk_=$((crash_nk_ + 1)) ;;
		*)	crash_nf_=$((crash_nf_ + 1))
			if test "$crash_rc_" -ge 128 || test "$crash_rc_" = 99; then
				echo "$crash_at_: exit $crash_rc_" >>"$crash_t_/broken"
			fi
			if test -n "$crash_landed_"; then
				crash_nl_=$((crash_nl_ + 1))
				grep -q "committed.*check --repair\|check --repair.*committed\|change is committed" "$crash_t_/crash.err" ||
					echo "$crash_at_: exit $crash_rc_ after the commit landed, and stderr does not say so: $(cat "$crash_t_/crash.err")" >>"$crash_t_/broken"
			elif test -n "$crash_status_"; then
				echo "$crash_at_: exit $crash_rc_, HEAD unchanged, but the work tree or index changed: $(echo $crash_status_)" >>"$crash_t_/broken"
			fi
			;;
		esac
		crash_fsck ||
			echo "$crash_at_: git fsck: $(head -3 "$crash_t_/fsck.out" | tr '\n' ' ')" >>"$crash_t_/broken"
		if test -n "$crash_landed_" && test -n "${CRASH_EXPECT:-}" &&
		   ! git cat-file blob "HEAD:$CRASH_PATH" | cmp -s - "$CRASH_EXPECT"; then
			echo "$crash_at_: the committed $CRASH_PATH is not the whole new version" >>"$crash_t_/broken"
		fi
		test -n "$crash_left_" && crash_age_locks
		if ! complaint check --repair >"$crash_t_/repair.out" 2>&1; then
			echo "$crash_at_: check --repair: $(grep -v '^repaired' "$crash_t_/repair.out" | head -3 | tr '\n' ' ')" >>"$crash_t_/broken"
		fi
		test -z "$(git status --porcelain)" ||
			echo "$crash_at_: after check --repair, git status: $(git status --porcelain | tr '\n' ' ')" >>"$crash_t_/broken"
		test -z "$(crash_litter)" ||
			echo "$crash_at_: after check --repair, left: $(crash_litter | tr '\n' ' ')" >>"$crash_t_/broken"
		complaint --now 2026-11-20T12:00 new --customer next --channel phone \
			--category service --summary next >/dev/null 2>"$crash_t_/next.err" ||
			echo "$crash_at_: the next new failed: $(cat "$crash_t_/next.err")" >>"$crash_t_/broken"
		cd - >/dev/null || return 1
	done <"$crash_points_"
	echo "$crash_np_ $crash_nk_ $crash_nc_ $crash_nf_ $crash_nl_ $crash_nm_ $crash_no_" >"$crash_t_/counts"
}

# ---- stopping a command at one system call, for races ----

# crash_stop PATH SYSCALL CMD...: start CMD in the background under
# strace, stopped (SIGSTOP) just after its first SYSCALL on PATH, and wait
# (bounded) until it is stopped there, so that a test can do something
# at that very point of CMD; then crash_resume.  CMD's output goes to
# $CRASH_TMP/stop-out.tmp and stop-err.tmp, its exit code to stop-rc.tmp
# when it ends.
crash_stop () {
	crash_sp_=$1 crash_ss_=$2
	shift 2
	crash_stop_end
	rm -f "$CRASH_TMP/stop-pid.tmp" "$CRASH_TMP/stop-rc.tmp" "$CRASH_TMP/stop-trace.tmp"
	(crash_strace -f -qq -o "$CRASH_TMP/stop-trace.tmp" -P "$crash_sp_" -e trace="$crash_ss_" \
		-e inject="$crash_ss_:signal=SIGSTOP:when=1" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$CRASH_TMP/stop-pid.tmp" "$@" \
		>"$CRASH_TMP/stop-out.tmp" 2>"$CRASH_TMP/stop-err.tmp"
	 echo $? >"$CRASH_TMP/stop-rc.tmp") &
	stopped_job=$!
	crash_sn_=0
	while test $crash_sn_ -lt 600; do
		# strace says so once the signal stopped it (a bare "t" state
		# is also every traced system call)
		if test -s "$CRASH_TMP/stop-pid.tmp" &&
		   grep -q "stopped by SIGSTOP" "$CRASH_TMP/stop-trace.tmp" 2>/dev/null; then
			stopped_pid=$(cat "$CRASH_TMP/stop-pid.tmp")
			return 0
		fi
		if test -f "$CRASH_TMP/stop-rc.tmp"; then
			echo "crash_stop: $* ended without stopping (exit $(cat "$CRASH_TMP/stop-rc.tmp"))" >&2
			return 1
		fi
		sleep 0.1
		crash_sn_=$((crash_sn_ + 1))
	done
	echo "crash_stop: $* did not stop at $crash_ss_ on $crash_sp_" >&2
	return 1
}

# crash_resume: let the stopped command go on and wait for it to end.
crash_resume () {
	kill -CONT "$stopped_pid" &&
	wait "$stopped_job"
	stopped_pid=
	test -f "$CRASH_TMP/stop-rc.tmp"
}

# crash_stop_end: end a command a failed test left stopped.
crash_stop_end () {
	if test -n "$stopped_pid"; then
		kill "$stopped_pid" 2>/dev/null
		kill -CONT "$stopped_pid" 2>/dev/null
		wait "$stopped_job" 2>/dev/null
		stopped_pid=
	fi
	return 0
}
