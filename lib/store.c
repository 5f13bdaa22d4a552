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
#include "complaint/fsutil.h"
#include "complaint/store.h"
#include "complaint/yaml.h"
#include "git_index.h"
#include "store_priv.h"

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

static int git_lock_present(struct cp_store *s)
{
	const char *gitdir = git_repository_path(s->repo);
	char path[PATH_MAX];
	git_reference *head = NULL;
	struct stat st;
	int r = 0;

	snprintf(path, sizeof(path), "%sindex.lock", gitdir);
	if (!lstat(path, &st))
		return cp_error(CP_EBUSY,
				"'%s' exists: another git process is running, or one was killed; if no git command is running, remove it (rm '%s') or run 'complaint check --repair'",
				path, path);
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0) {
		const char *target = git_reference_symbolic_target(head);

		if (target) {
			snprintf(path, sizeof(path), "%s%s.lock", cp_git_ref_dir(s->repo, target), target);
			if (!lstat(path, &st))
				r = cp_error(CP_EBUSY,
					     "'%s' exists: another git process is updating the branch, or one was killed; if no git command is running, remove it (rm '%s') or run 'complaint check --repair'",
					     path, path);
		}
		git_reference_free(head);
	}
	return r;
}

int cp_store_flock(struct cp_store *s, int timeout_ms)
{
	char path[PATH_MAX];
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };
	long waited;
	int r;

	snprintf(path, sizeof(path), "%scomplaint.lock", git_repository_path(s->repo));
	if ((r = cp_check_file(path, 0)) < 0)
		return r;
	s->lockfd = open(path, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0666);
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

int cp_store_lock(struct cp_store *s, int timeout_ms)
{
	int r = cp_store_flock(s, timeout_ms);

	if (r < 0)
		return r;
	if ((r = git_lock_present(s)) < 0)
		cp_store_unlock(s);
	return r;
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

/* Move the branch from parent to commit, refusing if it moved meanwhile. */
static int move_branch(struct cp_store *s, const char *refname,
		       const git_oid *commit, const git_oid *parent,
		       const struct cp_commit_info *ci)
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
	int r;

	if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) == 0)
		r = move_branch(s, ref.buf, &commit, &parent, ci);
	sbuf_release(&ref);
	return r;
}

/* The index entry git would make for the file at path. */
static int stat_entry(struct cp_store *s, const char *path, const git_oid *blob,
		      git_index_entry *e)
{
	char full[PATH_MAX];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	if (lstat(full, &st) < 0)
		return cp_error(CP_ESYS, "cannot examine '%s': %s", full, strerror(errno));
	memset(e, 0, sizeof(*e));
	e->ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e->dev = (uint32_t)st.st_dev;
	e->ino = (uint32_t)st.st_ino;
	e->mode = GIT_FILEMODE_BLOB;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->file_size = (uint32_t)st.st_size;
	e->id = *blob;
	e->path = path;
	return 0;
}

/* A new index file: the repository's shared permissions, as git gives it. */
static void index_shared(struct cp_store *s)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%sindex", git_repository_path(s->repo));
	cp_adjust_shared(path, s->shared);
}

/* Point the index entries for paths at their new blobs, stat data included. */
int cp_git_index_update(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n)
{
	git_index *idx = NULL;
	git_index_entry e;
	size_t i;
	int rc, r = 0;

	if (n == 1 && (r = stat_entry(s, paths[0], &blobs[0], &e)) == 0) {
		struct cp_index_entry fe;

		fe.ctime_s = (uint32_t)e.ctime.seconds;
		fe.ctime_ns = e.ctime.nanoseconds;
		fe.mtime_s = (uint32_t)e.mtime.seconds;
		fe.mtime_ns = e.mtime.nanoseconds;
		fe.dev = e.dev;
		fe.ino = e.ino;
		fe.mode = e.mode;
		fe.uid = e.uid;
		fe.gid = e.gid;
		fe.size = e.file_size;
		memcpy(fe.oid, blobs[0].id, 20);
		fe.path = paths[0];
		r = cp_index_upsert(git_repository_path(s->repo), &fe);
		if (r == 0)
			index_shared(s);
		if (r <= 0)
			return r;	/* done, or a real error */
	}
	if (r < 0)
		return r;
	/* the general way: libgit2 reads and writes the whole index */
	if ((rc = git_repository_index(&idx, s->repo)) < 0 ||
	    (rc = git_index_read(idx, 0)) < 0) {
		r = cp_git_error(rc, "cannot read the index (.git/index)");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = stat_entry(s, paths[i], &blobs[i], &e)) < 0)
			goto out;
		if ((rc = git_index_add(idx, &e)) < 0) {
			r = cp_git_error(rc, "cannot update the index");
			goto out;
		}
	}
	if ((rc = git_index_write(idx)) < 0)
		r = cp_git_error(rc, "cannot write the index (.git/index)");
out:
	git_index_free(idx);
	if (r == 0)
		index_shared(s);
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

int cp_store_commit_file(struct cp_store *s, const char *path, const char *data,
			 size_t len, const struct cp_commit_info *ci)
{
	struct sbuf ref = SBUF_INIT, old = SBUF_INIT;
	char full[PATH_MAX];
	git_oid blob, commit, parent;
	sigset_t oldmask;
	char late_why[1024];
	int rc, r, had, late = 0;

	/*
	 * Signals are held from the first object written to the index
	 * update, so that an interrupt leaves neither temporary files nor a
	 * lock behind: the change is either not made or made whole.
	 */
	block_signals(&oldmask);
	/* everything that can fail without touching the work tree, first */
	if ((r = cp_check_dirs(s->root, path)) < 0)
		goto out;
	if ((rc = git_blob_create_from_buffer(&blob, s->repo, data, len)) < 0) {
		r = cp_git_error(rc, "cannot store the case in git");
		goto out;
	}
	if ((r = make_commit(s, &path, &blob, 1, ci, &commit, &parent, &ref)) < 0)
		goto out;
	/*
	 * libgit2 syncs each object and its objects/xx directory, not
	 * objects/ itself, where a new objects/xx was just made.
	 */
	snprintf(full, sizeof(full), "%sobjects", git_repository_commondir(s->repo));
	if ((r = cp_fsync_dir(full)) < 0)
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
	if ((r = move_branch(s, ref.buf, &commit, &parent, ci)) < 0) {
		if (!branch_is(s, ref.buf, &commit)) {
			put_back(s, path, full, had, &old, data, len);
			goto out;
		}
		/* the branch moved and a later step (a sync) failed: it is in */
		late = r;
		snprintf(late_why, sizeof(late_why), "%s", cp_errmsg());
	}
	r = cp_git_index_update(s, &path, &blob, 1);
	if (r < 0)
		cp_error_wrap("the change is committed, but the index is stale (run 'complaint check --repair')");
	else if (late < 0)
		r = cp_error(-late, "the change is committed, but not all of it is known to be on disk: %s",
			     late_why);
out:
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sbuf_release(&ref);
	sbuf_release(&old);
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
	int rc, r = 0, i, wrote = 0, had_attrs, committed = 0;

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
	if ((r = cp_store_repo_config(s)) < 0 || (r = cp_store_lock(s, lock_timeout_ms)) < 0)
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
	if ((r = cp_git_index_update(s, paths, blobs, 3)) < 0)
		goto out;
	r = cp_merge_driver_register(s);
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
	sbuf_release(&attrs);
	cp_store_close(s);
	return r;
}
