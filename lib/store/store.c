/*
 * store.c - discovery, the lock, and one commit per change (libgit2).
 *
 * A change is: lock; read the case and check the work tree holds the
 * committed version; write the new file to a temporary name, fsync,
 * rename; commit a tree built from HEAD along the changed path (so
 * whatever else is staged is never swept in); point the index entry at
 * the new blob; unlock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "fsutil.h"
#include "index_file.h"
#include "lock_owner.h"
#include "priv.h"
#include "yaml_subset.h"

int cp_git_error(int rc, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	if (rc == GIT_ELOCKED || rc == GIT_EMODIFIED || rc == GIT_ECONFLICT)
		return cp_error(CP_EBUSY, "%s: %s", what, msg);
	return cp_error(CP_ESYS, "%s: %s", what, msg);
}

static int lock_timeout_ms = CP_LOCK_TIMEOUT_MS;

void cp_store_set_lock_timeout(int ms)
{
	lock_timeout_ms = ms;
}

int cp_store_lock_timeout(void)
{
	return lock_timeout_ms;
}

static int libgit2_users;

void cp_git_init(void)
{
	if (!libgit2_users++) {
		git_libgit2_init();
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	}
}

void cp_git_shutdown(void)
{
	if (libgit2_users && !--libgit2_users)
		git_libgit2_shutdown();
}

/*
 * Anything by that name, a symlink or a FIFO too: the store is found by
 * it, and opening it then says what is wrong with the file.
 */
static bool has_entry(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !lstat(path, &st);
}

static bool has_git(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.git", dir);
	return !lstat(path, &st);
}

int cp_store_discover(char **root, const char *dir)
{
	char cwd[PATH_MAX], *p;

	*root = NULL;
	if (dir) {
		if (!realpath(dir, cwd))
			return cp_error(CP_EUSAGE, "cannot use store '%s': %s", dir,
					strerror(errno));
		if (!has_entry(cwd, "policy.yaml") || !has_git(cwd))
			return cp_error(CP_EUSAGE,
					"'%s' is not a complaint store (no policy.yaml and .git at its top; create one with 'complaint init')",
					dir);
		*root = xstrdup(cwd);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return cp_error(CP_ESYS, "cannot find the working directory: %s",
				strerror(errno));
	for (;;) {
		if (has_entry(cwd, "policy.yaml") && has_git(cwd)) {
			*root = xstrdup(cwd);
			return 0;
		}
		p = strrchr(cwd, '/');
		if (!p || p == cwd)
			break;
		*p = '\0';
	}
	if (has_entry("/", "policy.yaml") && has_git("/")) {
		*root = xstrdup("/");
		return 0;
	}
	return cp_error(CP_EUSAGE,
			"not in a complaint store (or any parent); use -C DIR or COMPLAINT_DIR, or create one with 'complaint init'");
}

static int load_policy_org(struct cp_store *s)
{
	struct sbuf buf = SBUF_INIT;
	int r;

	cp_policy_free(s->policy);
	cp_org_free(s->org);
	s->policy = NULL;
	s->org = NULL;
	if ((r = cp_store_read(s, "policy.yaml", &buf)) < 0)
		goto out;
	if ((r = cp_policy_parse(&s->policy, "policy.yaml", buf.buf, buf.len)) < 0)
		goto out;
	if ((r = cp_policy_use(s->policy)) < 0)
		goto out;
	sbuf_reset(&buf);
	if ((r = cp_store_read(s, "org.yaml", &buf)) < 0)
		goto out;
	r = cp_org_parse(&s->org, "org.yaml", buf.buf, buf.len);
out:
	sbuf_release(&buf);
	return r;
}

int cp_store_repo_config(struct cp_store *s)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	int rc, r = 0;

	s->shared = 0;
	if ((rc = git_repository_config_snapshot(&cfg, s->repo)) < 0)
		return cp_git_error(rc, "cannot read the repository's config");
	rc = git_config_get_string_buf(&b, cfg, "core.sharedRepository");
	if (rc == 0)
		r = cp_shared_parse(b.ptr, &s->shared);
	else if (rc != GIT_ENOTFOUND)
		r = cp_git_error(rc, "cannot read core.sharedRepository");
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(cfg);
	if (r == 0 && s->shared)
		cp_shared_umask(s->shared);
	return r;
}

int cp_store_open(struct cp_store **out, const char *root)
{
	struct cp_store *s = xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->root = xstrdup(root);
	s->lockfd = -1;
	cp_git_init();
	if ((rc = cp_store_preflight(root)) < 0) {
		cp_store_close(s);
		return rc;
	}
	rc = git_repository_open_ext(&s->repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH,
				     NULL);
	if (rc < 0) {
		rc = cp_git_error(rc, "cannot open the store's git repository");
		cp_store_close(s);
		return rc;
	}
	if (git_repository_is_bare(s->repo)) {
		cp_store_close(s);
		return cp_error(CP_EUSAGE, "'%s' is a bare repository, not a store", root);
	}
	if ((rc = cp_store_repo_config(s)) < 0 || (rc = load_policy_org(s)) < 0) {
		cp_store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void cp_store_close(struct cp_store *s)
{
	if (!s)
		return;
	cp_store_unlock(s);
	git_tree_free(s->asof_tree);
	git_repository_free(s->repo);
	cp_policy_free(s->policy);
	cp_org_free(s->org);
	free(s->root);
	free(s);
	cp_git_shutdown();
}

const char *cp_store_root(const struct cp_store *s)
{
	return s->root;
}

const struct cp_policy *cp_store_policy(const struct cp_store *s)
{
	return s->policy;
}

const struct cp_org *cp_store_org(const struct cp_store *s)
{
	return s->org;
}

void cp_store_set_cache(struct cp_store *s, bool on)
{
	s->cache = on;
}

/* ---- the lock ---- */

/*
 * The git directory that holds a ref's file: the common one, but for the
 * refs each work tree has of its own (HEAD, refs/worktree/, refs/bisect/).
 */
const char *cp_git_ref_dir(git_repository *repo, const char *ref)
{
	if (!strncmp(ref, "refs/", 5) && strncmp(ref, "refs/worktree/", 14) &&
	    strncmp(ref, "refs/bisect/", 12))
		return git_repository_commondir(repo);
	return git_repository_path(repo);
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
		held = cp_lock_owner(paths[i], s->root, gitdir, &o);
		if (held == CP_LOCK_GONE)
			continue;
		if (held == CP_LOCK_STALE)
			return cp_error(CP_EBUSY,
					"'%s' exists: a git process was killed while %s (no process holds it); remove it (rm '%s') or run 'complaint check --repair'",
					paths[i], what[i], paths[i]);
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			return cp_error(CP_EBUSY,
					"'%s' exists: another git process is %s%s (waited %.1f s; see --lock-timeout); try again when it is done",
					paths[i], what[i], cp_lock_owner_str(&o, who, sizeof(who)),
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
	return cp_error(CP_EBUSY, "git is in the middle of %s in this store; %s, then try again",
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
		return cp_error(CP_ESYS, "cannot open the store lock '%s': %s", path,
				strerror(errno));
	cp_fadjust_shared(s->lockfd, s->shared);	/* the next user opens it too */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(s->lockfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(s->lockfd);
			s->lockfd = -1;
			return cp_error(CP_ESYS, "cannot lock '%s': %s", path, strerror(errno));
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms) {
			close(s->lockfd);
			s->lockfd = -1;
			return cp_error(CP_EBUSY,
					"the store is busy: another complaint command holds '%s' (waited %.1f s; see --lock-timeout)",
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
static int refuse_unborn(struct cp_store *s)
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
		     "the store's branch '%s' has no commit yet (an orphan branch: git checkout --orphan?); switch to the store's branch first (git switch BRANCH)",
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
	if ((!first_commit && (r = refuse_unborn(s)) < 0) ||
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

/* ---- commits ---- */

/* One line for a commit subject: no control characters, at most n bytes. */
static void oneline(struct sbuf *sb, const char *s, size_t max)
{
	size_t start = sb->len;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (sb->len - start >= max) {
			/* cut at a character boundary */
			while (sb->len > start &&
			       ((unsigned char)sb->buf[sb->len - 1] & 0xc0) == 0x80)
				sbuf_setlen(sb, sb->len - 1);
			if (sb->len > start)
				sbuf_setlen(sb, sb->len - 1);
			sbuf_adds(sb, "...");
			return;
		}
		if (*p < 0x20 || *p == 0x7f)
			sbuf_addch(sb, ' ');
		else
			sbuf_addch(sb, *p);
	}
}

void cp_commit_message(struct sbuf *msg, const struct cp_commit_info *ci)
{
	sbuf_adds(msg, ci->action);
	if (ci->id)
		sbuf_addf(msg, " %s", ci->id);
	if (ci->summary && *ci->summary) {
		sbuf_adds(msg, ": ");
		oneline(msg, ci->summary, 200);
	}
	sbuf_adds(msg, "\n\n");
	if (ci->id)
		sbuf_addf(msg, "Complaint-Id: %s\n", ci->id);
	sbuf_addf(msg, "Action: %s\n", ci->action);
	sbuf_adds(msg, "Actor: ");
	oneline(msg, ci->actor, 200);
	sbuf_addch(msg, '\n');
	if (ci->extra_trailers)
		sbuf_adds(msg, ci->extra_trailers);
}

int cp_git_signature(git_signature **sig, const char *actor, const char *email,
		     cp_time now)
{
	time_t t = (time_t)now;
	struct tm tm;
	int rc;

	localtime_r(&t, &tm);
	rc = git_signature_new(sig, actor, email ? email : "", (git_time_t)now,
			       (int)(tm.tm_gmtoff / 60));
	if (rc < 0)
		return cp_git_error(rc, "cannot use the actor as the commit author");
	return 0;
}

/*
 * Write the commit object for paths (blobs already stored) on top of HEAD,
 * without moving any ref yet.  head_ref receives the branch HEAD names,
 * parent the commit it points at (zero when unborn).
 */
static int make_commit(struct cp_store *s, const char *const *paths,
		       const git_oid *blobs, size_t n,
		       const struct cp_commit_info *ci, git_oid *commit_oid,
		       git_oid *parent_oid, struct sbuf *head_ref)
{
	git_reference *head = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree_update *upd = NULL;
	git_oid tree_oid, empty;
	struct sbuf msg = SBUF_INIT;
	size_t i;
	int rc, r = 0;

	memset(parent_oid, 0, sizeof(*parent_oid));
	if ((rc = git_reference_lookup(&head, s->repo, "HEAD")) < 0) {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		r = cp_error(CP_EBUSY, "HEAD is detached; check out the store's branch first");
		goto out;
	}
	sbuf_adds(head_ref, git_reference_symbolic_target(head));
	git_reference_free(head);
	head = NULL;
	rc = git_reference_lookup(&head, s->repo, head_ref->buf);
	if (rc == 0) {
		const git_oid *tip = git_reference_target(head);

		if (!tip) {
			r = cp_error(CP_EDATA, "%s is not a plain branch", head_ref->buf);
			goto out;
		}
		*parent_oid = *tip;
		if ((rc = git_commit_lookup(&parent, s->repo, tip)) < 0 ||
		    (rc = git_commit_tree(&base, parent)) < 0) {
			r = cp_git_error(rc, "cannot read HEAD");
			goto out;
		}
	} else if (rc == GIT_ENOTFOUND) {
		if ((rc = git_treebuilder_new(&tb, s->repo, NULL)) < 0 ||
		    (rc = git_treebuilder_write(&empty, tb)) < 0 ||
		    (rc = git_tree_lookup(&base, s->repo, &empty)) < 0) {
			r = cp_git_error(rc, "cannot make the first tree");
			goto out;
		}
	} else {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	}
	upd = xcalloc(n, sizeof(*upd));
	for (i = 0; i < n; i++) {
		upd[i].action = GIT_TREE_UPDATE_UPSERT;
		upd[i].id = blobs[i];
		upd[i].filemode = GIT_FILEMODE_BLOB;
		upd[i].path = paths[i];
	}
	if ((rc = git_tree_create_updated(&tree_oid, s->repo, base, n, upd)) < 0 ||
	    (rc = git_tree_lookup(&tree, s->repo, &tree_oid)) < 0) {
		r = cp_git_error(rc, "cannot build the commit's tree");
		goto out;
	}
	if ((r = cp_git_signature(&sig, ci->actor, ci->email, ci->now)) < 0)
		goto out;
	cp_commit_message(&msg, ci);
	rc = git_commit_create(commit_oid, s->repo, NULL, sig, sig, NULL, msg.buf,
			       tree, parent ? 1 : 0,
			       (const git_commit **)(parent ? &parent : NULL));
	if (rc < 0)
		r = cp_git_error(rc, "cannot commit");
out:
	sbuf_release(&msg);
	free(upd);
	git_signature_free(sig);
	git_treebuilder_free(tb);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_reference_free(head);
	return r;
}

/*
 * Move the branch from parent to commit, refusing if it moved meanwhile
 * (*raced set then).
 */
static int move_branch(struct cp_store *s, const char *refname,
		       const git_oid *commit, const git_oid *parent,
		       const struct cp_commit_info *ci, bool *raced)
{
	git_reference *ref = NULL;
	char log[256];
	int rc;

	snprintf(log, sizeof(log), "complaint: %s %s", ci->action, ci->id ? ci->id : "");
	if (git_oid_is_zero(parent))
		rc = git_reference_create(&ref, s->repo, refname, commit, 0, log);
	else
		rc = git_reference_create_matching(&ref, s->repo, refname, commit, 1,
						   parent, log);
	git_reference_free(ref);
	*raced = rc == GIT_EMODIFIED || rc == GIT_EEXISTS;
	if (*raced)
		return cp_error(CP_EBUSY,
				"cannot move the branch to the new commit: it moved meanwhile (a git command that does not take the index lock?); nothing was changed: try again");
	if (rc < 0)
		return cp_git_error(rc, "cannot move the branch to the new commit");
	return 0;
}

int cp_git_commit_paths(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n,
			const struct cp_commit_info *ci)
{
	struct sbuf ref = SBUF_INIT;
	git_oid commit, parent;
	bool raced;
	int r;

	if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) == 0)
		r = move_branch(s, ref.buf, &commit, &parent, ci, &raced);
	sbuf_release(&ref);
	return r;
}

/* Signals that would interrupt a change are held until it is done. */
static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Does the branch point at commit now? */
static bool branch_is(struct cp_store *s, const char *refname, const git_oid *commit)
{
	git_reference *ref = NULL;
	bool is = false;

	if (git_reference_lookup(&ref, s->repo, refname) == 0 &&
	    git_reference_target(ref))
		is = git_oid_equal(git_reference_target(ref), commit);
	git_reference_free(ref);
	git_error_clear();
	return is;
}

/*
 * After a failed change: the work tree file as it was (old), or, for a
 * new case (had == 1), gone -- but only when it holds our bytes: never
 * remove a file we did not write.
 */
static void put_back(struct cp_store *s, const char *path, const char *full,
		     int had, const struct sbuf *old, const char *data, size_t len)
{
	struct sbuf now = SBUF_INIT;
	char why[2048];
	int r = 0, kind = cp_errkind();

	snprintf(why, sizeof(why), "%s", cp_errmsg());	/* the failure to report */
	if (had == 1) {
		if (cp_read_file(&now, full, YAML_MAX_FILE, 1) == 0 &&
		    now.len == len && !memcmp(now.buf, data, len) && unlink(full) < 0)
			r = -1;
	} else if (cp_read_file(&now, full, YAML_MAX_FILE, 1) != 0 ||
		   now.len != old->len || memcmp(now.buf, old->buf, old->len)) {
		/* only when the file no longer holds what it held */
		r = cp_write_atomic(s->root, path, old->buf, old->len);
	}
	sbuf_release(&now);
	cp_error(kind ? kind : CP_ESYS, "%s", why);
	if (r < 0)
		cp_error_wrap("%s may hold the change that was not committed ('complaint check --repair' restores the committed version)",
			      path);
}

/*
 * Is what parent holds at path what the change was computed from (the
 * blob cp_store_load_case() checked out, or no file for a new case)?
 * HEAD may have moved since the case was read: a git commit that left
 * the case alone is built on, one that changed it refuses the change.
 */
static int check_base(struct cp_store *s, const git_oid *parent, const char *path)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	bool loaded = !strcmp(s->base_path, path);
	int rc, r = 0;

	if (git_oid_is_zero(parent)) {
		rc = GIT_ENOTFOUND;
	} else if ((rc = git_commit_lookup(&c, s->repo, parent)) < 0 ||
		   (rc = git_commit_tree(&tree, c)) < 0) {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	} else {
		rc = git_tree_entry_bypath(&e, tree, path);
	}
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		r = cp_git_error(rc, path);
		goto out;
	}
	if (loaded ? rc < 0 || !git_oid_equal(git_tree_entry_id(e), &s->base_blob) : rc == 0)
		r = cp_error(CP_EBUSY,
			     "%s was changed by a git commit while this change was being made; nothing was changed: try again",
			     path);
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	git_error_clear();
	return r;
}

int cp_store_commit_file(struct cp_store *s, const char *path, const char *data,
			 size_t len, const struct cp_commit_info *ci)
{
	struct sbuf ref = SBUF_INIT, old = SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	char full[PATH_MAX], objdir[PATH_MAX];
	git_oid blob, commit, parent;
	sigset_t oldmask;
	char late_why[1024];
	bool raced;
	int rc, r, had, late = 0, tries, waited;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	if ((r = refuse_unborn(s)) < 0)
		return r;
	/*
	 * Signals are held from the first object written to the index
	 * update, so that an interrupt leaves neither temporary files nor a
	 * lock behind: the change is either not made or made whole.
	 */
	block_signals(&oldmask);
	/*
	 * git's index lock, from before HEAD is read until the new index is
	 * in place: a git command meanwhile fails rather than committing the
	 * old index on top of ours; and one that ran before has moved HEAD
	 * for good (git moves the branch before it lets the lock go).
	 */
	if ((r = cp_git_index_lock(s, &il)) < 0)
		goto out;
	/* everything that can fail without touching the work tree, first */
	if ((r = cp_check_dirs(s->root, path)) < 0)
		goto out;
	if ((rc = git_blob_create_from_buffer(&blob, s->repo, data, len)) < 0) {
		r = cp_git_error(rc, "cannot store the case in git");
		goto out;
	}
	if ((r = make_commit(s, &path, &blob, 1, ci, &commit, &parent, &ref)) < 0 ||
	    (r = check_base(s, &parent, path)) < 0)
		goto out;
	/*
	 * libgit2 syncs each object and its objects/xx directory, not
	 * objects/ itself, where a new objects/xx was just made.
	 */
	snprintf(objdir, sizeof(objdir), "%sobjects", git_repository_commondir(s->repo));
	if ((r = cp_fsync_dir(objdir)) < 0)
		goto out;
	if ((r = cp_index_plan(&il, path)) < 0)
		goto out;
	if (r == 1 && (r = cp_git_index_borrow(s, &il, false, &idx)) < 0)
		goto out;
	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	had = cp_read_file(&old, full, YAML_MAX_FILE, 1);
	if (had < 0) {
		r = had;
		goto out;
	}
	if ((r = cp_write_atomic(s->root, path, data, len)) < 0) {
		/* the rename may have happened before a later step failed */
		put_back(s, path, full, had, &old, data, len);
		goto out;
	}
	/*
	 * A plain `git commit` lets the index lock go before it moves the
	 * branch: one that read the index before we took the lock may move
	 * the branch after we read it.  Build on it again when it left the
	 * case alone.
	 */
	for (tries = 1, waited = 0; (r = move_branch(s, ref.buf, &commit, &parent, ci, &raced)) < 0 &&
			raced && waited < lock_timeout_ms; tries++) {
		/* git commits in a loop: give them a moment, as long as a lock is waited for */
		struct timespec nap = { 0, (tries < 20 ? tries : 20) * 1000000L };

		nanosleep(&nap, NULL);
		waited += tries < 20 ? tries : 20;
		sbuf_reset(&ref);
		if ((r = make_commit(s, &path, &blob, 1, ci, &commit, &parent, &ref)) < 0 ||
		    (r = check_base(s, &parent, path)) < 0 ||
		    (r = cp_fsync_dir(objdir)) < 0)
			break;
	}
	if (r < 0) {
		if (!branch_is(s, ref.buf, &commit)) {
			put_back(s, path, full, had, &old, data, len);
			goto out;
		}
		/* the branch moved and a later step (a sync) failed: it is in */
		late = r;
		snprintf(late_why, sizeof(late_why), "%s", cp_errmsg());
	}
	if (ci->commit_out)
		git_oid_tostr(ci->commit_out, 41, &commit);
	r = cp_git_index_update(s, &il, &idx, &path, &blob, 1);
	if (r < 0)
		cp_error_wrap("the change is committed, but the index is stale (run 'complaint check --repair')");
	else if (late < 0)
		r = cp_error(-late, "the change is committed, but not all of it is known to be on disk: %s",
			     late_why);
out:
	cp_git_index_return(s, idx);
	cp_index_unlock(&il);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sbuf_release(&ref);
	sbuf_release(&old);
	return r;
}

int cp_store_commit_new_files(struct cp_store *s, const char *const *paths,
			      const char *const *data, const size_t *lens, size_t n,
			      const struct cp_commit_info *ci)
{
	struct sbuf ref = SBUF_INIT, none = SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	char full[PATH_MAX], objdir[PATH_MAX];
	git_oid *blobs = xcalloc(n ? n : 1, sizeof(*blobs)), commit, parent;
	sigset_t oldmask;
	bool raced;
	size_t i, wrote = 0;
	int rc, r, tries;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	if ((r = refuse_unborn(s)) < 0) {
		free(blobs);
		return r;
	}
	block_signals(&oldmask);
	if ((r = cp_git_index_lock(s, &il)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct stat st;

		if ((r = cp_check_dirs(s->root, paths[i])) < 0)
			goto out;
		snprintf(full, sizeof(full), "%s/%s", s->root, paths[i]);
		if (!lstat(full, &st)) {
			r = cp_error(CP_ERULE, "%s exists already", paths[i]);
			goto out;
		}
		if ((rc = git_blob_create_from_buffer(&blobs[i], s->repo, data[i], lens[i])) < 0) {
			r = cp_git_error(rc, "cannot store the case in git");
			goto out;
		}
	}
	if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((r = check_base(s, &parent, paths[i])) < 0)
			goto out;
	snprintf(objdir, sizeof(objdir), "%sobjects", git_repository_commondir(s->repo));
	if ((r = cp_fsync_dir(objdir)) < 0 ||
	    (r = cp_git_index_borrow(s, &il, false, &idx)) < 0)
		goto out;
	for (wrote = 0; wrote < n; wrote++)
		if ((r = cp_write_atomic(s->root, paths[wrote], data[wrote], lens[wrote])) < 0) {
			wrote++;	/* the rename may have happened */
			goto out;
		}
	for (tries = 1; (r = move_branch(s, ref.buf, &commit, &parent, ci, &raced)) < 0 &&
			raced && tries < 5; tries++) {
		sbuf_reset(&ref);
		if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) < 0)
			break;
		for (i = 0; i < n && r == 0; i++)
			r = check_base(s, &parent, paths[i]);
		if (r < 0)
			break;
	}
	if (r < 0 && branch_is(s, ref.buf, &commit))
		r = cp_error(cp_errkind(), "the import is committed, but not all of it is known to be on disk: %s",
			     cp_errmsg());
	else if (r < 0)
		goto out;
	wrote = 0;	/* committed: the files stay */
	if (ci->commit_out)
		git_oid_tostr(ci->commit_out, 41, &commit);
	if (cp_git_index_update(s, &il, &idx, paths, blobs, n) < 0 && r == 0)
		r = cp_error_wrap("the change is committed, but the index is stale (run 'complaint check --repair')");
out:
	/* not committed: remove what was written (only when it holds our bytes) */
	for (i = 0; i < wrote; i++) {
		snprintf(full, sizeof(full), "%s/%s", s->root, paths[i]);
		put_back(s, paths[i], full, 1, &none, data[i], lens[i]);
	}
	cp_git_index_return(s, idx);
	cp_index_unlock(&il);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sbuf_release(&ref);
	free(blobs);
	return r;
}

static int write_attributes(const char *dir)
{
	static const char attrs[] =
		"# complaint: case files merge by the union of their events\n"
		"cases/**/*.yaml merge=complaint-case\n";
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.gitattributes", dir);
	if (!lstat(path, &st))
		return 0;
	return cp_write_atomic(dir, ".gitattributes", attrs, sizeof(attrs) - 1);
}

int cp_store_init(const char *dir, const char *policy, size_t policy_len,
		  const char *org, size_t org_len, const struct cp_commit_info *ci)
{
	struct cp_store *s = xcalloc(1, sizeof(*s));
	char real[PATH_MAX];
	const char *paths[3] = { "policy.yaml", "org.yaml", ".gitattributes" };
	git_oid blobs[3];
	struct sbuf attrs = SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	int rc, r = 0, i, wrote = 0, had_attrs, committed = 0;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	s->lockfd = -1;
	cp_git_init();
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		r = cp_error(CP_ESYS, "cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	if (!realpath(dir, real)) {
		r = cp_error(CP_ESYS, "cannot use '%s': %s", dir, strerror(errno));
		goto out;
	}
	s->root = xstrdup(real);
	if (has_entry(real, "policy.yaml")) {
		r = cp_error(CP_ERULE, "'%s' already holds a store (policy.yaml exists)", dir);
		goto out;
	}
	if (has_git(real) && (r = cp_store_preflight(real)) < 0)
		goto out;
	if (has_git(real))
		rc = git_repository_open_ext(&s->repo, real,
					     GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		rc = git_repository_init(&s->repo, real, 0);
	if (rc < 0) {
		r = cp_git_error(rc, "cannot create the git repository");
		goto out;
	}
	if ((r = cp_store_repo_config(s)) < 0 ||
	    (r = store_lock(s, lock_timeout_ms, true)) < 0 ||
	    (r = cp_git_index_lock(s, &il)) < 0 ||
	    (r = cp_git_index_borrow(s, &il, false, &idx)) < 0)
		goto out;
	had_attrs = has_entry(real, ".gitattributes");
	wrote = 1;	/* from here a failure before the commit removes the files */
	if ((r = cp_write_atomic(real, "policy.yaml", policy, policy_len)) < 0 ||
	    (r = cp_write_atomic(real, "org.yaml", org, org_len)) < 0 ||
	    (r = write_attributes(real)) < 0)
		goto out;
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/.gitattributes", real);
		if ((r = cp_read_file(&attrs, p, 1 << 20, 0)) < 0)
			goto out;
	}
	{
		const char *bufs[3] = { policy, org, attrs.buf };
		size_t lens[3] = { policy_len, org_len, attrs.len };

		for (i = 0; i < 3; i++)
			if ((rc = git_blob_create_from_buffer(&blobs[i], s->repo, bufs[i],
							      lens[i])) < 0) {
				r = cp_git_error(rc, "cannot store the policy in git");
				goto out;
			}
	}
	if ((r = cp_git_commit_paths(s, paths, blobs, 3, ci)) < 0)
		goto out;
	committed = 1;
	if ((r = cp_git_index_update(s, &il, &idx, paths, blobs, 3)) < 0)
		goto out;
	r = cp_store_setup(s);
out:
	if (r < 0 && wrote && !committed) {
		char p[PATH_MAX];

		for (i = 0; i < 3; i++) {
			if (i == 2 && had_attrs)
				break;
			snprintf(p, sizeof(p), "%s/%s", real, paths[i]);
			unlink(p);
		}
	}
	if (s->repo)
		cp_git_index_return(s, idx);
	cp_index_unlock(&il);
	sbuf_release(&attrs);
	cp_store_close(s);
	return r;
}
