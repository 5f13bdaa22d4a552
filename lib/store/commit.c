/*
 * commit.c - one commit per change (libgit2).
 *
 * A change is: lock; read the case and check the work tree holds the
 * committed version; write the new file to a temporary name, fsync,
 * rename; commit a tree built from HEAD along the changed path (so
 * whatever else is staged is never swept in); point the index entry at
 * the new blob; move the branch; unlock.  The index is in place before
 * the branch moves (index_file.h says why), and put back if it cannot.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "index_file.h"
#include "priv.h"
#include "sign_commit.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

/*
 * Write the commit object for paths (blobs already stored) on top of HEAD,
 * without moving any ref yet.  head_ref receives the branch HEAD names,
 * parent the commit it points at (zero when unborn).
 */
static int make_commit(struct cp_store *s, const char *const *paths,
		       const git_oid *blobs, size_t n,
		       const struct cp_commit_info *ci, git_oid *commit_oid,
		       git_oid *parent_oid, struct cp_sbuf *head_ref)
{
	git_reference *head = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree_update *upd = NULL;
	git_oid tree_oid, empty;
	struct cp_sbuf msg = CP_SBUF_INIT;
	size_t i;
	int rc, r = 0;

	memset(parent_oid, 0, sizeof(*parent_oid));
	if ((rc = git_reference_lookup(&head, s->repo, "HEAD")) < 0) {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		r = cp_error(CP_EBUSY, _("HEAD is detached; check out the store's branch first"));
		goto out;
	}
	cp_sbuf_adds(head_ref, git_reference_symbolic_target(head));
	git_reference_free(head);
	head = NULL;
	rc = git_reference_lookup(&head, s->repo, head_ref->buf);
	if (rc == 0) {
		const git_oid *tip = git_reference_target(head);

		if (!tip) {
			r = cp_error(CP_EDATA, _("%s is not a plain branch"), head_ref->buf);
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
	upd = cp_xcalloc(n, sizeof(*upd));
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
	if ((r = cp_git_signature(&sig, cp_store_tz(s), ci->actor,
				    ci->email, ci->now)) < 0)
		goto out;
	cp_commit_message(&msg, ci);
	r = cp_git_commit_create(commit_oid, s->repo, sig, msg.buf, tree, parent ? 1 : 0,
				 (const git_commit **)(parent ? &parent : NULL),
				 ci->signer ? ci->signer : s->signer);
out:
	cp_sbuf_release(&msg);
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
				_("cannot move the branch to the new commit: it moved meanwhile (a git command that does not take the index lock?); nothing was changed: try again"));
	if (rc < 0)
		return cp_git_error(rc, "cannot move the branch to the new commit");
	return 0;
}

int cp_git_commit_paths(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n,
			const struct cp_commit_info *ci)
{
	struct cp_sbuf ref = CP_SBUF_INIT;
	git_oid commit, parent;
	bool raced;
	int r;

	if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) == 0)
		r = move_branch(s, ref.buf, &commit, &parent, ci, &raced);
	cp_sbuf_release(&ref);
	return r;
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
		     int had, const struct cp_sbuf *old, const char *data, size_t len)
{
	struct cp_sbuf now = CP_SBUF_INIT;
	char why[2048];
	int r = 0, kind = cp_errkind();

	snprintf(why, sizeof(why), "%s", cp_errmsg());	/* the failure to report */
	if (had == 1) {
		if (cp_read_file(&now, full, CP_YAML_MAX_FILE, 1) == 0 &&
		    now.len == len && !memcmp(now.buf, data, len) && unlink(full) < 0)
			r = -1;
	} else if (cp_read_file(&now, full, CP_YAML_MAX_FILE, 1) != 0 ||
		   now.len != old->len || memcmp(now.buf, old->buf, old->len)) {
		/* only when the file no longer holds what it held */
		r = cp_write_atomic(s->root, path, old->buf, old->len);
	}
	cp_sbuf_release(&now);
	cp_error(kind ? kind : CP_ESYS, "%s", why);
	if (r < 0) {
		cp_error_wrap(_("%s may hold the change that was not committed"), path);
		cp_error_set_hint(CP_HINT_REPAIR_RESTORE);
	}
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
			     _("%s was changed by a git commit while this change was being made; nothing was changed: try again"),
			     path);
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	git_error_clear();
	return r;
}

/* Let git's index lock go; a change that succeeded fails if it stays. */
static void unlock_index(struct cp_index_lock *il, int *r)
{
	if (cp_index_unlock(il) < 0 && *r == 0) {
		cp_error_wrap(_("the change is committed, but git's index lock is left"));
		*r = cp_error_set_hint(CP_HINT_REPAIR);
	}
}

int cp_store_commit_file(struct cp_store *s, const char *path, const char *data,
			 size_t len, const struct cp_commit_info *ci)
{
	struct cp_sbuf ref = CP_SBUF_INIT, old = CP_SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	char full[PATH_MAX], objdir[PATH_MAX];
	git_oid blob, commit, parent;
	sigset_t oldmask;
	char why[1024];
	bool raced;
	int rc, r, had, tries, waited;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	if ((r = cp_store_refuse_unborn(s)) < 0)
		return r;
	/*
	 * Signals are held from the first object written to the index
	 * update, so that an interrupt leaves neither temporary files nor a
	 * lock behind: the change is either not made or made whole.
	 */
	cp_block_signals(&oldmask);
	/*
	 * git's index lock, from before HEAD is read until the branch has
	 * moved: a git command meanwhile fails rather than committing the
	 * old index on top of ours.
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
	if (r == 1 && (r = cp_git_index_borrow(&idx, s, &il, false)) < 0)
		goto out;
	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	had = cp_read_file(&old, full, CP_YAML_MAX_FILE, 1);
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
	 * The index first, then the branch: a `git commit` that reads our
	 * commit as HEAD then reads this index, never the one before it.
	 */
	if ((r = cp_git_index_update(s, &il, &idx, &path, &blob, 1)) < 0) {
		cp_git_index_undo(&il);
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
			raced && waited < cp_store_lock_timeout(); tries++) {
		/* git commits in a loop: give them a moment, as long as a lock is waited for */
		struct timespec nap = { 0, (tries < 20 ? tries : 20) * 1000000L };

		nanosleep(&nap, NULL);
		waited += tries < 20 ? tries : 20;
		cp_sbuf_reset(&ref);
		if ((r = make_commit(s, &path, &blob, 1, ci, &commit, &parent, &ref)) < 0 ||
		    (r = check_base(s, &parent, path)) < 0 ||
		    (r = cp_fsync_dir(objdir)) < 0)
			break;
	}
	if (r < 0) {
		if (!branch_is(s, ref.buf, &commit)) {
			cp_git_index_undo(&il);
			put_back(s, path, full, had, &old, data, len);
			goto out;
		}
		/* the branch moved and a later step (a sync) failed: it is in */
		snprintf(why, sizeof(why), "%s", cp_errmsg());
		r = cp_error(-r, _("the change is committed, but not all of it is known to be on disk: %s"),
			     why);
	}
	if (ci->commit_out)
		git_oid_tostr(ci->commit_out, 41, &commit);
out:
	cp_git_index_return(s, idx);
	unlock_index(&il, &r);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	cp_sbuf_release(&ref);
	cp_sbuf_release(&old);
	return r;
}

int cp_store_commit_new_files(struct cp_store *s, const char *const *paths,
			      const char *const *data, const size_t *lens, size_t n,
			      const struct cp_commit_info *ci)
{
	struct cp_sbuf ref = CP_SBUF_INIT, none = CP_SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	char full[PATH_MAX], objdir[PATH_MAX];
	git_oid *blobs = cp_xcalloc(n ? n : 1, sizeof(*blobs)), commit, parent;
	sigset_t oldmask;
	bool raced;
	size_t i, wrote = 0;
	int rc, r, tries;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	if ((r = cp_store_refuse_unborn(s)) < 0) {
		free(blobs);
		return r;
	}
	cp_block_signals(&oldmask);
	if ((r = cp_git_index_lock(s, &il)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct stat st;

		if ((r = cp_check_dirs(s->root, paths[i])) < 0)
			goto out;
		snprintf(full, sizeof(full), "%s/%s", s->root, paths[i]);
		if (!lstat(full, &st)) {
			r = cp_error(CP_ERULE, _("%s exists already"), paths[i]);
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
	    (r = cp_git_index_borrow(&idx, s, &il, false)) < 0)
		goto out;
	for (wrote = 0; wrote < n; wrote++)
		if ((r = cp_write_atomic(s->root, paths[wrote], data[wrote], lens[wrote])) < 0) {
			wrote++;	/* the rename may have happened */
			goto out;
		}
	/* the index first, then the branch (as in cp_store_commit_file) */
	if ((r = cp_git_index_update(s, &il, &idx, paths, blobs, n)) < 0) {
		cp_git_index_undo(&il);
		goto out;
	}
	for (tries = 1; (r = move_branch(s, ref.buf, &commit, &parent, ci, &raced)) < 0 &&
			raced && tries < 5; tries++) {
		cp_sbuf_reset(&ref);
		if ((r = make_commit(s, paths, blobs, n, ci, &commit, &parent, &ref)) < 0)
			break;
		for (i = 0; i < n && r == 0; i++)
			r = check_base(s, &parent, paths[i]);
		if (r < 0)
			break;
	}
	if (r < 0 && branch_is(s, ref.buf, &commit)) {
		r = cp_error(cp_errkind(), _("the import is committed, but not all of it is known to be on disk: %s"),
			     cp_errmsg());
	} else if (r < 0) {
		cp_git_index_undo(&il);
		goto out;
	}
	wrote = 0;	/* committed: the files stay */
	if (ci->commit_out)
		git_oid_tostr(ci->commit_out, 41, &commit);
out:
	/* not committed: remove what was written (only when it holds our bytes) */
	for (i = 0; i < wrote; i++) {
		snprintf(full, sizeof(full), "%s/%s", s->root, paths[i]);
		put_back(s, paths[i], full, 1, &none, data[i], lens[i]);
	}
	cp_git_index_return(s, idx);
	unlock_index(&il, &r);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	cp_sbuf_release(&ref);
	free(blobs);
	return r;
}

int cp_store_save_case(struct cp_store *s, const struct cp_case *c, const char *path,
		       const struct cp_commit_info *ci)
{
	struct cp_sbuf own = CP_SBUF_INIT, data = CP_SBUF_INIT;
	struct cp_commit_info info = *ci;
	int r;

	if (!path) {
		cp_case_path(&own, c->id, s->policy->tz, c->received);
		path = own.buf;
	}
	cp_case_format(&data, c, s->policy);
	if (!info.id)
		info.id = c->id;
	if (!info.summary || !*info.summary)
		info.summary = c->summary;
	r = cp_store_commit_file(s, path, data.buf, data.len, &info);
	cp_sbuf_release(&own);
	cp_sbuf_release(&data);
	return r;
}
