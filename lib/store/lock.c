/*
 * lock.c - the store's lock (.git/complaint.lock), and the look at git's
 * own state and locks that every change takes under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "lock_owner.h"
#include "priv.h"
#include "complaint/i18n.h"

static int lock_timeout_ms = CP_LOCK_TIMEOUT_MS;

void cp_store_set_lock_timeout(int ms)
{
	lock_timeout_ms = ms;
}

int cp_store_lock_timeout(void)
{
	return lock_timeout_ms;
}

/*
 * git's locks on what a change touches: the index and the branch.  One
 * held by a running process is waited for (up to timeout_ms); one whose
 * process is gone is named with the remedy at once.
 */
static int git_locks_wait(struct cp_store *s, int timeout_ms)
{
	const char *gitdir = git_repository_path(s->repo);
	char paths[2][PATH_MAX], who[256];
	const char *what[2] = { "changing the index", "updating the branch" };
	struct timespec start, now, nap = { 0, 50 * 1000 * 1000 };
	struct cp_lock_owner o;
	git_reference *head = NULL;
	struct stat st;
	int i, n = 1, held;
	long waited;

	snprintf(paths[0], sizeof(paths[0]), "%sindex.lock", gitdir);
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
	    git_reference_symbolic_target(head)) {
		snprintf(paths[1], sizeof(paths[1]), "%s%s.lock",
			 cp_git_ref_dir(s->repo, git_reference_symbolic_target(head)),
			 git_reference_symbolic_target(head));
		n = 2;
	}
	git_reference_free(head);
	git_error_clear();
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n;) {
		if (lstat(paths[i], &st) < 0) {
			i++;
			continue;
		}
		held = cp_lock_owner(&o, paths[i], s->root, gitdir);
		if (held == CP_LOCK_GONE)
			continue;
		if (held == CP_LOCK_STALE)
			return cp_error_hint(CP_EBUSY, CP_HINT_OR_REPAIR,
					_("'%s' exists: a git process was killed while %s (no process holds it); remove it (rm '%s')"),
					paths[i], what[i], paths[i]);
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			return cp_error_hint(CP_EBUSY, CP_HINT_LOCK_WAIT,
					_("'%s' exists: another git process is %s%s (waited %.1f s); try again when it is done"),
					paths[i], what[i], cp_lock_owner_str(who, sizeof(who), &o),
					timeout_ms / 1000.0);
		nanosleep(&nap, NULL);
		i = 0;
	}
	return 0;
}

static const char *state_name(git_repository *repo, const char **how)
{
	char path[PATH_MAX];
	struct stat st;

	switch (git_repository_state(repo)) {
	case GIT_REPOSITORY_STATE_MERGE:
		*how = "finish it (resolve the conflicts, git commit) or abort it (git merge --abort)";
		return "a merge (.git/MERGE_HEAD)";
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		*how = "finish it (git revert --continue) or abort it (git revert --abort)";
		return "a revert (.git/REVERT_HEAD)";
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		*how = "finish it (git cherry-pick --continue) or abort it (git cherry-pick --abort)";
		return "a cherry-pick (.git/CHERRY_PICK_HEAD)";
	case GIT_REPOSITORY_STATE_BISECT:
		*how = "end it (git bisect reset)";
		return "a bisect (.git/BISECT_LOG)";
	case GIT_REPOSITORY_STATE_REBASE:
	case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
	case GIT_REPOSITORY_STATE_REBASE_MERGE:
		*how = "finish it (git rebase --continue) or abort it (git rebase --abort)";
		return "a rebase (.git/rebase-merge or .git/rebase-apply)";
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
		*how = "finish it (git am --continue) or abort it (git am --abort)";
		return "git am (.git/rebase-apply)";
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
		*how = "finish it (git am --continue, git rebase --continue) or abort it (git am --abort, git rebase --abort)";
		return "git am or a rebase (.git/rebase-apply)";
	default:
		break;
	}
	/* a cherry-pick or revert of several commits, paused between two */
	snprintf(path, sizeof(path), "%ssequencer/todo", git_repository_path(repo));
	if (!lstat(path, &st)) {
		*how = "finish it (git cherry-pick --continue, git revert --continue) or end it (git cherry-pick --quit, git revert --quit)";
		return "a cherry-pick or revert of several commits (.git/sequencer)";
	}
	return NULL;
}

int cp_store_git_busy(struct cp_store *s)
{
	const char *how = NULL, *what = state_name(s->repo, &how);

	git_error_clear();
	if (!what)
		return 0;
	return cp_error(CP_EBUSY, _("git is in the middle of %s in this store; %s, then try again"),
			what, how);
}

static int store_flock(struct cp_store *s, int timeout_ms, bool reader)
{
	char path[PATH_MAX];
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };
	long waited;
	int r;

	snprintf(path, sizeof(path), "%scomplaint.lock", git_repository_path(s->repo));
	if ((r = cp_check_file(path, 0)) < 0)
		return r;
	s->lockfd = open(path, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (s->lockfd < 0 && reader && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		/* a reader of a store it may not write: an flock needs no write access */
		s->lockfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
		if (s->lockfd < 0 && errno == ENOENT)
			return 0;	/* and nobody made one: no change ever ran here */
	}
	if (s->lockfd < 0)
		return cp_error(CP_ESYS, _("cannot open the store lock '%s': %s"), path,
				strerror(errno));
	cp_fadjust_shared(s->lockfd, s->shared);	/* the next user opens it too */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(s->lockfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(s->lockfd);
			s->lockfd = -1;
			return cp_error(CP_ESYS, _("cannot lock '%s': %s"), path, strerror(errno));
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms) {
			close(s->lockfd);
			s->lockfd = -1;
			return cp_error_hint(CP_EBUSY, CP_HINT_LOCK_WAIT,
					_("the store is busy: another complaint command holds '%s' (waited %.1f s)"),
					path, timeout_ms / 1000.0);
		}
		nanosleep(&nap, NULL);
	}
	return 0;
}

int cp_store_flock(struct cp_store *s, int timeout_ms)
{
	return store_flock(s, timeout_ms, false);
}

int cp_store_flock_reader(struct cp_store *s, int timeout_ms)
{
	return store_flock(s, timeout_ms, true);
}

/*
 * A branch with no commit yet (git checkout --orphan): a change would
 * commit the one file it writes as the whole tree.  Only init makes the
 * first commit.
 */
int cp_store_refuse_unborn(struct cp_store *s)
{
	git_reference *head = NULL;
	const char *name = NULL;
	int r;

	if (git_repository_head_unborn(s->repo) != 1) {
		git_error_clear();
		return 0;
	}
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0)
		name = git_reference_symbolic_target(head);
	r = cp_error(CP_EBUSY,
		     _("the store's branch '%s' has no commit yet (an orphan branch: git checkout --orphan?); switch to the store's branch first (git switch BRANCH)"),
		     name && !strncmp(name, "refs/heads/", 11) ? name + 11 : "HEAD");
	git_reference_free(head);
	git_error_clear();
	return r;
}

static int store_lock(struct cp_store *s, int timeout_ms, bool first_commit)
{
	int r = cp_store_flock(s, timeout_ms);

	if (r < 0)
		return r;
	if ((!first_commit && (r = cp_store_refuse_unborn(s)) < 0) ||
	    (r = cp_store_git_busy(s)) < 0 || (r = git_locks_wait(s, timeout_ms)) < 0)
		cp_store_unlock(s);
	return r;
}

int cp_store_lock(struct cp_store *s, int timeout_ms)
{
	return store_lock(s, timeout_ms, false);
}

void cp_store_unlock(struct cp_store *s)
{
	if (s->lockfd >= 0) {
		close(s->lockfd);	/* releases the flock */
		s->lockfd = -1;
	}
}

int cp_store_lock_unborn(struct cp_store *s, int timeout_ms)
{
	return store_lock(s, timeout_ms, true);
}
