/*
 * check_git.c - `complaint check` on git's side of the store: an
 * operation in progress, lock files and who holds them, temporary files,
 * hooks that our commits do not run, the merge driver.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "checker.h"
#include "lock_owner.h"
#include "complaint/i18n.h"

/* The branch HEAD names, without refs/heads/ ("HEAD" when detached). */
static void head_branch(git_repository *repo, char *buf, size_t size)
{
	git_reference *head = NULL;
	const char *t = NULL;

	if (git_reference_lookup(&head, repo, "HEAD") == 0)
		t = git_reference_symbolic_target(head);
	snprintf(buf, size, "%s", !t ? "HEAD" : !strncmp(t, "refs/heads/", 11) ? t + 11 : t);
	git_reference_free(head);
	git_error_clear();
}

/* Does any branch have a commit (so that HEAD's unborn one is an orphan)? */
static bool other_branch(git_repository *repo, char *name, size_t size)
{
	git_branch_iterator *it = NULL;
	git_reference *ref = NULL;
	git_branch_t type;
	bool found = false;

	if (git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL) < 0) {
		git_error_clear();
		return false;
	}
	if (git_branch_next(&ref, &type, it) == 0) {
		snprintf(name, size, "%s", git_reference_shorthand(ref));
		found = true;
	}
	git_reference_free(ref);
	git_branch_iterator_free(it);
	git_error_clear();
	return found;
}

static void blocker(struct cp_checker *k, struct cp_sbuf *why, const char *msg)
{
	if (!why->len)
		cp_sbuf_adds(why, msg);
	if (!k->repair)
		cp_check_say(k, CP_CHECK_PROBLEM, "%s", msg);
}

int cp_check_git_state(struct cp_sbuf *why, struct cp_checker *k)
{
	git_repository *repo = k->s->repo;
	char branch[256], other[256], msg[1024];
	git_index *idx = NULL;
	int n = 0;

	if (git_repository_head_unborn(repo) == 1) {
		head_branch(repo, branch, sizeof(branch));
		if (other_branch(repo, other, sizeof(other)))
			snprintf(msg, sizeof(msg),
				 "the branch '%s' has no commit yet (an orphan branch: git checkout --orphan?), so the work tree cannot be compared with anything; switch to the store's branch (git switch %s)",
				 branch, other);
		else
			snprintf(msg, sizeof(msg), "the store has no commit yet (branch '%s')",
				 branch);
		blocker(k, why, msg);
		n++;
	}
	git_error_clear();
	if (cp_store_git_busy(k->s) < 0) {
		blocker(k, why, cp_errmsg());
		n++;
	}
	if (git_repository_index(&idx, repo) == 0 && git_index_read(idx, 1) == 0 &&
	    git_index_has_conflicts(idx)) {
		blocker(k, why,
			"the index has unmerged paths (a merge, rebase, cherry-pick or stash stopped at a conflict); resolve them (git add) or abort, then try again");
		n++;
	}
	git_index_free(idx);
	git_error_clear();
	return n;
}

/* ---- locks ---- */

static const char *lock_kind(const char *rel)
{
	if (!strcmp(rel, "index.lock"))
		return "index lock";
	if (!strcmp(rel, "HEAD.lock"))
		return "HEAD lock";
	if (!strncmp(rel, "refs/heads/", 11))
		return "branch lock";
	if (!strncmp(rel, "refs/", 5))
		return "ref lock";
	if (!strcmp(rel, "config.lock"))
		return "config lock";
	if (!strcmp(rel, "packed-refs.lock"))
		return "packed-refs lock";
	return "lock";
}

/*
 * A lock is removed only when no process holds it (lock_owner.c): one
 * that a running git command holds (a `git commit -a` with its editor
 * open) stays, whatever its age, and is a warning: writers wait for it.
 */
static void check_lock(struct cp_checker *k, const char *path, const char *what)
{
	const char *gitdir = git_repository_path(k->s->repo);
	struct cp_lock_owner o;
	char who[256];

	int held = cp_lock_owner(&o, path, k->s->root, gitdir);

	if (held == CP_LOCK_GONE)
		return;
	if (held == CP_LOCK_HELD) {
		cp_check_say_hint(k, CP_CHECK_WARNING, CP_HINT_LOCK_WAIT,
		    _("'%s' is in use%s: commands that change the store wait for it"),
		    path, cp_lock_owner_str(who, sizeof(who), &o));
		return;
	}
	if (k->repair) {
		if (unlink(path) == 0 || errno == ENOENT) {
			cp_check_say(k, CP_CHECK_REPAIRED, _("removed the stale %s '%s' (no process holds it)"),
			    what, path);
			return;
		}
	}
	cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_OR_REPAIR,
	    _("'%s' exists: a git process was killed while writing the %s (no process holds it); remove it (rm '%s')"),
	    path, what, path);
}

/* The *.lock files under dir (rel: its path in the git directory). */
static void scan_locks(struct cp_checker *k, const char *dir, const char *rel, int depth)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *d;
	struct stat st;
	size_t n;
	DIR *dh;

	if (depth > 16 || !(dh = opendir(dir)))
		return;
	while ((d = readdir(dh))) {
		if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", d->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (*rel)	/* at the top only the folders scanned below */
				scan_locks(k, path, sub, depth + 1);
			continue;
		}
		n = strlen(d->d_name);
		if (n <= 5 || strcmp(d->d_name + n - 5, ".lock"))
			continue;
		if (!*rel && !strcmp(d->d_name, "complaint.lock"))
			continue;	/* ours: an flock, never stale */
		check_lock(k, path, lock_kind(sub));
	}
	closedir(dh);
}

/*
 * libgit2 writes each object to objects/tmp_object_git2_* and then links
 * it into place: a write killed in between leaves the temporary file.
 * Harmless (git ignores it), but litter: removed by --repair once no
 * process has it open.
 */
static void check_tmp_objects(struct cp_checker *k)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct cp_lock_owner o;
	struct dirent *d;
	struct stat st;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%sobjects", git_repository_commondir(k->s->repo));
	if (!(dh = opendir(dir)))
		return;
	while ((d = readdir(dh))) {
		if (strncmp(d->d_name, "tmp_object_git2_", 16))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (cp_lock_owner(&o, path, NULL, NULL) != CP_LOCK_STALE)
			continue;	/* being written, or gone */
		if (k->repair && unlink(path) == 0)
			cp_check_say(k, CP_CHECK_REPAIRED, _("removed '%s', a temporary object file left by an interrupted write"),
			    path);
		else
			cp_check_say_hint(k, CP_CHECK_WARNING, CP_HINT_REPAIR_REMOVES, _("'%s': a temporary object file left by an interrupted write"),
			    path);
	}
	closedir(dh);
}

/*
 * Our copies of the index (index.c, index_file.c: the one libgit2 works
 * on, the new one before it is renamed into place, the old one kept
 * until the branch has moved), left by a killed command.
 */
static void check_index_copy(struct cp_checker *k)
{
	static const char *const names[] = {
		"index.complaint-tmp", "index.complaint-new", "index.complaint-old"
	};
	char path[PATH_MAX];
	struct cp_lock_owner o;
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", git_repository_path(k->s->repo), names[i]);
		if (lstat(path, &st) < 0 || cp_lock_owner(&o, path, NULL, NULL) != CP_LOCK_STALE)
			continue;
		if (k->repair && unlink(path) == 0)
			cp_check_say(k, CP_CHECK_REPAIRED, _("removed '%s', a copy of the index left by an interrupted change"),
			    path);
		else
			cp_check_say_hint(k, CP_CHECK_WARNING, CP_HINT_REPAIR_REMOVES, _("'%s': a copy of the index left by an interrupted change"),
			    path);
	}
}

/* The top of a git directory ("/x/.git/"), without its slash. */
static void top(char *dir, size_t size, const char *gitdir)
{
	size_t n = strlen(gitdir);

	snprintf(dir, size, "%.*s", (int)(n && gitdir[n - 1] == '/' ? n - 1 : n), gitdir);
}

void cp_check_locks(struct cp_checker *k)
{
	const char *gitdir = git_repository_path(k->s->repo);
	const char *common = git_repository_commondir(k->s->repo);
	char dir[PATH_MAX];
	const char *subs[] = { "refs", "objects/info", "objects/pack" };
	size_t i;

	/* a linked work tree: index and HEAD in its own, the rest in the common one */
	top(dir, sizeof(dir), gitdir);
	scan_locks(k, dir, "", 0);
	if (strcmp(gitdir, common)) {
		top(dir, sizeof(dir), common);
		scan_locks(k, dir, "", 0);
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s%s", common, subs[i]);
		scan_locks(k, dir, subs[i], 1);
	}
	check_tmp_objects(k);
	check_index_copy(k);
}

bool cp_check_temp_live(long *pid, struct cp_checker *k, const char *full)
{
	const char *base = strrchr(full, '/'), *t;
	struct cp_lock_owner o;

	(void)k;
	*pid = 0;
	base = base ? base + 1 : full;
	if ((t = strstr(base, ".tmp-")) && t[5] >= '1' && t[5] <= '9' &&
	    strspn(t + 5, "0123456789") == strlen(t + 5)) {
		*pid = strtol(t + 5, NULL, 10);
		if (cp_pid_alive(*pid))
			return true;
	}
	if (cp_lock_owner(&o, full, NULL, NULL) == CP_LOCK_HELD) {
		*pid = o.pid;
		return true;
	}
	return false;
}

/* ---- hooks ---- */

/* The hooks git would run for what our commands do, and libgit2 does not. */
static const char *const skipped_hooks[] = {
	"pre-commit", "prepare-commit-msg", "commit-msg", "post-commit",
	"pre-merge-commit", "post-merge", "post-checkout", "pre-push",
	"reference-transaction", "post-index-change", NULL
};

void cp_check_hooks(struct cp_checker *k)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char dir[PATH_MAX], path[PATH_MAX], where[PATH_MAX + 64];
	struct stat st;
	bool configured = false;
	size_t i;

	if (git_repository_config(&cfg, k->s->repo) == 0 &&
	    git_config_get_path(&b, cfg, "core.hooksPath") == 0 && b.ptr && *b.ptr) {
		configured = true;
		if (b.ptr[0] == '/')
			snprintf(dir, sizeof(dir), "%s", b.ptr);
		else
			snprintf(dir, sizeof(dir), "%s/%s", k->s->root, b.ptr);
		snprintf(where, sizeof(where), "core.hooksPath '%s'", b.ptr);
	} else {
		snprintf(dir, sizeof(dir), "%shooks", git_repository_commondir(k->s->repo));
	}
	git_buf_dispose(&b);
	git_config_free(cfg);
	git_error_clear();
	for (i = 0; skipped_hooks[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, skipped_hooks[i]);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, X_OK) < 0)
			continue;
		if (configured)
			cp_check_say(k, CP_CHECK_WARNING,
			    _("the git hook '%s' (%s) does not run for complaint's commits, merges and pushes: libgit2 runs no hooks (see complaint(1), GIT HOOKS)"),
			    path, where);
		else
			cp_check_say(k, CP_CHECK_WARNING,
			    _("the git hook '%s' does not run for complaint's commits, merges and pushes: libgit2 runs no hooks (see complaint(1), GIT HOOKS)"),
			    path);
	}
}

/* ---- the merge driver ---- */

void cp_check_driver(struct cp_checker *k)
{
	struct cp_sbuf what = CP_SBUF_INIT;

	if (cp_store_setup_missing(&what, k->s)) {
		if (k->repair && cp_store_setup(k->s) == 0)
			cp_check_say(k, CP_CHECK_REPAIRED,
			    _("set .git/config up for plain git: the case merge driver, pull.rebase false"));
		else
			cp_check_say_hint(k, CP_CHECK_WARNING, CP_HINT_SETUP,
			    _("%s in .git/config, so a plain 'git pull' does not merge cases"),
			    what.buf);
	}
	git_error_clear();
	cp_sbuf_release(&what);
}
