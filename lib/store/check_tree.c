/*
 * check_tree.c - check's look at the work tree and the index against
 * HEAD (git status), and what --repair does about them: a changed file
 * put back (a copy kept), a stray file moved aside, the index rebuilt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "checker.h"
#include "complaint/error.h"
#include "fsutil.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static bool is_temp_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return base[0] == '.' && strstr(base, ".tmp-");
}

/* Keep a copy of a file the repair is about to replace or remove. */
static int keep_copy(struct cp_checker *k, const char *path)
{
	char from[4096], dir[4096];
	struct cp_sbuf buf = CP_SBUF_INIT;
	int r;

	snprintf(from, sizeof(from), "%s/%s", k->s->root, path);
	if (cp_read_file(&buf, from, 64 << 20, 1) != 0) {
		cp_sbuf_release(&buf);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%scomplaint-lost", git_repository_path(k->s->repo));
	if ((r = cp_private_dir(dir, k->s->shared, 1)) < 0) {
		cp_sbuf_release(&buf);
		return r;
	}
	r = cp_write_atomic_shared(dir, path, buf.buf, buf.len, k->s->shared);
	cp_sbuf_release(&buf);
	return r;
}

static void restore_from_head(struct cp_checker *k, const char *path)
{
	git_checkout_options co;
	char *paths[1] = { (char *)path };
	int rc;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths;
	co.paths.count = 1;
	if (keep_copy(k, path) < 0) {
		cp_check_say(k, CP_CHECK_PROBLEM, _("%s: cannot keep a copy before restoring it: %s"),
		    path, cp_errmsg());
		return;
	}
	rc = git_checkout_head(k->s->repo, &co);
	k->index_changed = true;
	if (rc < 0) {
		cp_git_error(rc, path);
		cp_check_say(k, CP_CHECK_PROBLEM, _("cannot restore %s"), cp_errmsg());
		return;
	}
	cp_check_say(k, CP_CHECK_REPAIRED, _("%s: restored the committed version (the changed copy is in .git/complaint-lost/)"),
	    path);
}

#define INDEX_CHANGED (GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | \
		       GIT_STATUS_INDEX_DELETED | GIT_STATUS_INDEX_RENAMED | \
		       GIT_STATUS_INDEX_TYPECHANGE)

/*
 * The blob HEAD holds at path: 1 and *oid set, 0 when HEAD has no such
 * file, or a negative error.
 */
static int head_blob(struct cp_checker *k, const char *path, git_oid *oid)
{
	git_object *tree = NULL;
	git_tree_entry *e = NULL;
	int rc;

	rc = git_revparse_single(&tree, k->s->repo, "HEAD^{tree}");
	if (rc == 0)
		rc = git_tree_entry_bypath(&e, (git_tree *)tree, path);
	if (rc == 0) {
		*oid = *git_tree_entry_id(e);
		rc = git_tree_entry_type(e) == GIT_OBJECT_BLOB;
	} else if (rc == GIT_ENOTFOUND) {
		rc = 0;
	} else {
		rc = cp_git_error(rc, path);
	}
	git_tree_entry_free(e);
	git_object_free(tree);
	git_error_clear();
	return rc;
}

/*
 * The work tree's path against HEAD: 0 the same (or absent from both),
 * 1 different, 2 absent from the work tree only; *in_head says whether
 * HEAD has the file.  Negative on error.
 */
static int worktree_vs_head(struct cp_checker *k, const char *path, int *in_head)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char full[4096];
	git_oid want, have;
	int missing, r;

	if ((*in_head = head_blob(k, path, &want)) < 0)
		return *in_head;
	snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
	if ((r = cp_check_dirs(k->s->root, path)) < 0)
		return r;	/* never through a symlinked folder */
	missing = cp_read_file(&buf, full, 64 << 20, 1);
	if (missing < 0)
		r = missing;
	else if (missing)
		r = *in_head ? 2 : 0;
	else if (!*in_head)
		r = 1;
	else
		r = cp_store_blob_id(have.id, k->s, path, buf.buf, buf.len) < 0 ||
		    !git_oid_equal(&have, &want);
	cp_sbuf_release(&buf);
	git_error_clear();
	return r;
}

/* Files the rules (policy.yaml, org.yaml) or the walk of cases read too. */
static bool read_elsewhere(const char *path)
{
	static const char shape[] = "cases/9999/99/";
	size_t i, n = strlen(path);

	if (!strcmp(path, "policy.yaml") || !strcmp(path, "org.yaml"))
		return true;
	if (n <= sizeof(shape) - 1 + 5 || strchr(path + sizeof(shape) - 1, '/') ||
	    path[sizeof(shape) - 1] == '.' || strcmp(path + n - 5, ".yaml"))
		return false;
	for (i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == '9' ? path[i] < '0' || path[i] > '9' : path[i] != shape[i])
			return false;
	return true;
}

/*
 * Put one of our paths back to HEAD: first its index entry (a change
 * killed after moving the branch and before writing the index leaves the
 * old entry, or none), then the file itself when it differs from HEAD (a
 * change killed before moving the branch leaves the new file; a file HEAD
 * does not have goes to .git/complaint-lost/).
 */
static void repair_path(struct cp_checker *k, const char *path, unsigned int status)
{
	int in_head, w, rc;

	if (status & INDEX_CHANGED) {
		git_object *head = NULL;
		char *paths[1] = { (char *)path };
		git_strarray ps = { paths, 1 };

		rc = git_revparse_single(&head, k->s->repo, "HEAD^{commit}");
		if (rc == 0)
			rc = git_reset_default(k->s->repo, head, &ps);
		git_object_free(head);
		k->index_changed = true;
		if (rc < 0) {
			cp_git_error(rc, path);
			cp_check_say(k, CP_CHECK_PROBLEM, _("cannot reset the index entry of %s"), cp_errmsg());
			return;
		}
		cp_check_say(k, CP_CHECK_REPAIRED, _("%s: the index entry points at the committed version again"),
		    path);
	}
	if ((w = worktree_vs_head(k, path, &in_head)) < 0) {
		if (!read_elsewhere(path))
			cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
	} else if (!in_head && w) {
		char full[4096];

		snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
		if (keep_copy(k, path) == 0 && unlink(full) == 0)
			cp_check_say(k, CP_CHECK_REPAIRED, _("%s: moved an uncommitted case file to .git/complaint-lost/"),
			    path);
	} else if (w) {
		restore_from_head(k, path);
	}
}

/*
 * An index git cannot read (damaged by a crash: the index is not fsynced,
 * as with git), or none at all: keep a copy and build a new one from
 * HEAD's tree (under the index lock, like every repair of the index).
 */
static int rebuild_index(struct cp_checker *k)
{
	const char *gitdir = git_repository_path(k->s->repo);
	char path[4096], lost[4096];
	git_reference *head = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	struct stat st;
	bool had;
	int rc = 0;

	snprintf(path, sizeof(path), "%sindex", gitdir);
	had = lstat(path, &st) == 0;
	if (had) {
		snprintf(lost, sizeof(lost), "%scomplaint-lost", gitdir);
		if (cp_private_dir(lost, k->s->shared, 1) < 0) {
			cp_check_say(k, CP_CHECK_PROBLEM, _("cannot keep the damaged index: %s"), cp_errmsg());
			return -1;
		}
		snprintf(lost, sizeof(lost), "%scomplaint-lost/index", gitdir);
		unlink(lost);
		if (link(path, lost) < 0) {
			cp_check_say(k, CP_CHECK_PROBLEM, _("cannot keep a copy of .git/index in %s: %s"), lost,
			    strerror(errno));
			return -1;
		}
	}
	if (cp_git_index_borrow(&k->idx, k->s, &k->il, true) < 0) {
		cp_check_say(k, CP_CHECK_PROBLEM, _("cannot rebuild the index: %s"), cp_errmsg());
		return -1;
	}
	if ((rc = git_repository_head(&head, k->s->repo)) < 0 ||
	    (rc = git_commit_lookup(&c, k->s->repo, git_reference_target(head))) < 0 ||
	    (rc = git_commit_tree(&tree, c)) < 0 ||
	    (rc = git_index_read_tree(k->idx, tree)) < 0) {
		cp_git_error(rc, "cannot rebuild the index");
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
	} else {
		k->index_changed = true;
		if (had)
			cp_check_say(k, CP_CHECK_REPAIRED,
			    _(".git/index could not be read: rebuilt it from HEAD (the old one is in .git/complaint-lost/index)"));
		else
			cp_check_say(k, CP_CHECK_REPAIRED, _(".git/index was missing: rebuilt it from HEAD"));
	}
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(head);
	git_error_clear();
	return rc < 0 ? -1 : 0;
}

/*
 * Under --repair, take git's index lock and work on a copy of the index
 * (index.c), put in place at the end when a repair changed it.
 * false when the index cannot be repaired now (a live git process holds
 * its lock): then the work tree is only checked.
 */
static bool repair_begin(struct cp_checker *k)
{
	char path[4096];
	struct stat st;

	if (cp_git_index_lock(k->s, &k->il) < 0) {
		cp_check_say(k, CP_CHECK_PROBLEM, _("cannot repair the work tree and the index now: %s"),
		    cp_errmsg());
		return false;
	}
	snprintf(path, sizeof(path), "%sindex", git_repository_path(k->s->repo));
	if (lstat(path, &st) == 0 && cp_git_index_borrow(&k->idx, k->s, &k->il, false) == 0)
		return true;
	git_error_clear();
	if (rebuild_index(k) == 0)
		return true;
	cp_git_index_return(k->s, k->idx);
	k->idx = NULL;
	cp_index_unlock(&k->il);
	return false;
}

static void repair_end(struct cp_checker *k)
{
	if (k->idx && k->index_changed) {
		if (cp_git_index_install(k->s, &k->il, &k->idx) < 0)
			cp_check_say(k, CP_CHECK_PROBLEM, _("cannot put the repaired index in place: %s"),
			    cp_errmsg());
	}
	cp_git_index_return(k->s, k->idx);
	k->idx = NULL;
	cp_index_unlock(&k->il);
}

static bool is_ours(const char *path)
{
	return !strncmp(path, "cases/", 6) || !strcmp(path, "policy.yaml") ||
	       !strcmp(path, "org.yaml") || !strcmp(path, ".gitattributes");
}

static const char *entry_path(const git_status_entry *e)
{
	const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;

	return d->new_file.path ? d->new_file.path : d->old_file.path;
}

/* Would --repair change anything that this status shows? */
static bool needs_repair(struct cp_checker *k, git_status_list *list)
{
	size_t i, n = git_status_list_entrycount(list);
	char full[4096];
	long pid;

	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const char *path = entry_path(e);

		if (e->status == GIT_STATUS_WT_NEW) {
			snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
			if (is_temp_name(path) ? !cp_check_temp_live(&pid, k, full)
					       : !strncmp(path, "cases/", 6))
				return true;
		} else if (e->status != GIT_STATUS_IGNORED && e->status != GIT_STATUS_CURRENT &&
			   is_ours(path)) {
			return true;
		}
	}
	return false;
}

void cp_check_status(struct cp_checker *k)
{
	git_status_options so;
	git_status_list *list = NULL;
	size_t i, n;
	bool fix = false;
	int rc;

	/* status reads every .gitignore and .gitattributes: none may block it */
	if (cp_store_preflight_tree(k->s->root) < 0) {
		cp_check_say(k, CP_CHECK_PROBLEM, _("%s (the work tree was not compared with HEAD)"),
		    cp_errmsg());
		return;
	}
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	rc = git_status_list_new(&list, k->s->repo, &so);
	/*
	 * Something to repair: take git's index lock (waiting for a git
	 * command that holds it) and look again under it, at a copy of the
	 * index that is put in place at the end.
	 */
	if (k->repair && (rc < 0 || needs_repair(k, list))) {
		git_status_list_free(list);
		list = NULL;
		git_error_clear();
		fix = repair_begin(k);
		rc = git_status_list_new(&list, k->s->repo, &so);
	}
	if (rc < 0) {
		cp_git_error(rc, "cannot compare the work tree with HEAD (is .git/index damaged?)");
		cp_error_set_hint(CP_HINT_REPAIR_INDEX);
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
		if (fix)
			repair_end(k);
		return;
	}
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const char *path = entry_path(e);
		bool ours = is_ours(path);

		if (e->status == GIT_STATUS_WT_NEW) {
			if (is_temp_name(path)) {
				char full[4096];
				long pid;

				snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
				if (cp_check_temp_live(&pid, k, full)) {
					cp_check_say(k, CP_CHECK_WARNING, _("%s: being written by a running command (pid %ld)"),
					    path, pid);
				} else if (fix) {
					unlink(full);
					cp_check_say(k, CP_CHECK_REPAIRED, _("%s: removed a temporary file left by an interrupted change"),
					    path);
				} else {
					cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_OR_REPAIR, _("%s: temporary file left by an interrupted change; remove it"),
					    path);
				}
			} else if (!strncmp(path, "cases/", 6)) {
				if (fix) {
					char full[4096];

					if (keep_copy(k, path) == 0) {
						snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
						unlink(full);
						cp_check_say(k, CP_CHECK_REPAIRED, _("%s: moved an uncommitted case file to .git/complaint-lost/"),
						    path);
					}
				} else {
					cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_REPAIR_LOST, _("%s: not committed (written by hand, or by an interrupted change)"),
					    path);
				}
			} else {
				cp_check_say(k, CP_CHECK_WARNING, _("%s: untracked file in the store"), path);
			}
			continue;
		}
		if (e->status == GIT_STATUS_IGNORED || e->status == GIT_STATUS_CURRENT)
			continue;
		if (!ours) {
			cp_check_say(k, CP_CHECK_WARNING, _("%s: has changes that are not committed"), path);
			continue;
		}
		if (fix) {
			repair_path(k, path, e->status);
		} else {
			int in_head, w = worktree_vs_head(k, path, &in_head);

			if (w < 0) {
				/* the rules and the walk name a file they cannot read */
				if (!read_elsewhere(path))
					cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
			} else if (w == 0)
				cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_REPAIR_RESETS, _("%s: the index differs from HEAD (staged by hand, or a change interrupted after its commit, before the index was written)"),
				    path);
			else if (!in_head)
				cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_REPAIR_LOST, _("%s: not committed (written by hand, or by an interrupted change)"),
				    path);
			else
				cp_check_say_hint(k, CP_CHECK_PROBLEM, CP_HINT_REPAIR_RESTORE, _("%s: %s but not committed; commit it with git"),
				    path, w == 2 ? "deleted" : "changed");
		}
	}
	git_status_list_free(list);
	if (fix)
		repair_end(k);
}
