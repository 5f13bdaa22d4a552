/*
 * merge.c - merging two histories: git_merge_commits() in memory; every
 * case file changed on both sides merged again by cp_case_merge() and its
 * blob put in the index; any other conflict (policy.yaml, org.yaml)
 * refuses the sync.  Then the work tree, the index and the branch are
 * moved to the result (move_to), nothing uncommitted overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "case_merge.h"
#include "index_file.h"
#include "priv.h"
#include "sign_commit.h"
#include "syncer.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static bool is_case_file(const char *p)
{
	size_t n = strlen(p);

	return !strncmp(p, "cases/", 6) && n > 11 && !strcmp(p + n - 5, ".yaml");
}

/* The case ID a case file is named for. */
static void case_id_of(const char *path, char *out, size_t size)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 5)
		n -= 5;
	if (n >= size)
		n = size - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

/* A file one side changed since the base: its new blob, or none. */
struct change {
	char *path;
	bool gone;		/* deleted on this side */
	git_oid id;
	uint32_t mode;
};

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

/*
 * The files that differ between two trees, sorted by path.  A tree diff
 * skips the subtrees both share, so this costs what changed, not what the
 * store holds.
 */
static int changes(git_repository *repo, git_tree *from, git_tree *to,
		   struct change **out, size_t *count)
{
	git_diff *diff = NULL;
	struct change *v;
	size_t i, n;
	int rc;

	*out = NULL;
	*count = 0;
	if ((rc = git_diff_tree_to_tree(&diff, repo, from, to, NULL)) < 0)
		return cp_git_error(rc, "cannot compare the two histories");
	n = git_diff_num_deltas(diff);
	v = cp_xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		v[i].gone = d->status == GIT_DELTA_DELETED;
		v[i].path = cp_xstrdup(v[i].gone ? d->old_file.path : d->new_file.path);
		v[i].id = d->new_file.id;
		v[i].mode = d->new_file.mode;
	}
	git_diff_free(diff);
	qsort(v, n, sizeof(*v), cmp_change);
	*out = v;
	*count = n;
	return 0;
}

static void free_changes(struct change *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].path);
	free(v);
}

/* Refuse a merge that needs a human, naming the file. */
static int refuse_conflict(const char *path)
{
	if (!strcmp(path, "policy.yaml") || !strcmp(path, "org.yaml"))
		return cp_error(CP_EBUSY,
				_("%s was changed here and at the remote in ways that do not merge; nothing was changed: merge it by hand (git pull, edit %s, git commit), then sync"),
				path, path);
	return cp_error(CP_EBUSY,
			_("%s was changed here and at the remote in ways that do not merge; nothing was changed: merge it by hand (git pull), then sync"),
			path);
}

/* The policy the merged tree will hold: theirs when only they changed it. */
static int merged_policy(git_repository *repo, git_tree *tree,
			 struct cp_policy **out)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	int r;

	*out = NULL;
	if ((r = cp_git_read_blob(&buf, repo, tree, "policy.yaml", 1)) == 1)
		r = cp_error(CP_EDATA, _("the merged store has no policy.yaml"));
	if (r == 0)
		r = cp_policy_parse(out, "policy.yaml (merged)", buf.buf, buf.len);
	cp_sbuf_release(&buf);
	return r;
}

/* git's line merge of a file that is not a case; 1 when it conflicts. */
static int text_merge(git_repository *repo, const struct cp_sbuf *b, bool has_base,
		      const struct cp_sbuf *o, const struct cp_sbuf *t, const char *path,
		      git_oid *id)
{
	git_merge_file_input bi, oi, ti;
	git_merge_file_result mr;
	int rc, r = 0;

	memset(&mr, 0, sizeof(mr));
	git_merge_file_input_init(&bi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&oi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&ti, GIT_MERGE_FILE_INPUT_VERSION);
	bi.ptr = b->buf, bi.size = b->len, bi.path = path;
	oi.ptr = o->buf, oi.size = o->len, oi.path = path;
	ti.ptr = t->buf, ti.size = t->len, ti.path = path;
	if ((rc = git_merge_file(&mr, has_base ? &bi : NULL, &oi, &ti, NULL)) < 0)
		r = cp_git_error(rc, path);
	else if (!mr.automergeable)
		r = 1;
	else if ((rc = git_blob_create_from_buffer(id, repo, mr.ptr, mr.len)) < 0)
		r = cp_git_error(rc, path);
	git_merge_file_result_free(&mr);
	return r;
}

/*
 * Merge the remote's commit into ours: the merge commit in *merged.
 * Refuses (-CP_EBUSY) without touching anything when a human is needed.
 *
 * The tree is ours with the files only they changed taken from theirs,
 * and the files both changed merged: case files by their events
 * (cp_case_merge), others line by line (a conflict refuses).  Working
 * from the two sides' changes keeps the cost to what changed.
 */
int cp_sync_merge(struct cp_syncer *k, const git_oid *local, const git_oid *remote,
		 const git_oid *base, git_oid *merged)
{
	git_commit *lc = NULL, *rc_ = NULL, *bc = NULL;
	git_tree *lt = NULL, *rt = NULL, *bt = NULL, *tree = NULL, *mt = NULL;
	git_signature *sig = NULL;
	git_tree_update *upd = NULL;
	git_oid tree_oid;
	struct cp_policy *policy = NULL;
	struct change *ours = NULL, *theirs = NULL;
	size_t nours = 0, ntheirs = 0, nupd = 0, i, j;
	size_t *cases = NULL, ncases = 0;
	struct cp_sbuf b = CP_SBUF_INIT, o = CP_SBUF_INIT, t = CP_SBUF_INIT, out = CP_SBUF_INIT;
	struct cp_sbuf msg = CP_SBUF_INIT, trailers = CP_SBUF_INIT, summary = CP_SBUF_INIT;
	int rc, r = 0;

	if ((rc = git_commit_lookup(&lc, k->repo, local)) < 0 ||
	    (rc = git_commit_lookup(&rc_, k->repo, remote)) < 0 ||
	    (rc = git_commit_lookup(&bc, k->repo, base)) < 0 ||
	    (rc = git_commit_tree(&lt, lc)) < 0 ||
	    (rc = git_commit_tree(&rt, rc_)) < 0 ||
	    (rc = git_commit_tree(&bt, bc)) < 0) {
		r = cp_git_error(rc, "cannot read the commits to merge");
		goto out;
	}
	if ((r = changes(k->repo, bt, lt, &ours, &nours)) < 0 ||
	    (r = changes(k->repo, bt, rt, &theirs, &ntheirs)) < 0)
		goto out;
	upd = cp_xcalloc(ntheirs + 1, sizeof(*upd));
	cases = cp_xcalloc(ntheirs + 1, sizeof(*cases));

	/* first what needs no policy: theirs alone, the same change, text files */
	for (i = j = 0; j < ntheirs; j++) {
		const struct change *tc = &theirs[j];
		const struct change *oc = NULL;
		git_oid id;
		int c = 1;

		while (i < nours && (c = strcmp(ours[i].path, tc->path)) < 0)
			i++;
		if (i < nours && c == 0)
			oc = &ours[i];
		if (!oc) {
			/* only they changed it */
			upd[nupd].action = tc->gone ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT;
			upd[nupd].id = tc->id;
			upd[nupd].filemode = (git_filemode_t)tc->mode;
			upd[nupd++].path = tc->path;
			continue;
		}
		if (oc->gone && tc->gone)
			continue;
		if (!oc->gone && !tc->gone && git_oid_equal(&oc->id, &tc->id))
			continue;	/* the same change on both sides */
		if (oc->gone || tc->gone) {
			r = cp_error(CP_EBUSY,
				     _("%s was deleted on one side and changed on the other; nothing was changed: settle it by hand (git pull), then sync"),
				     tc->path);
			goto out;
		}
		if (is_case_file(tc->path)) {
			cases[ncases++] = j;
			continue;
		}
		cp_sbuf_reset(&b);
		cp_sbuf_reset(&o);
		cp_sbuf_reset(&t);
		if ((rc = cp_git_read_blob(&b, k->repo, bt, tc->path, 1)) < 0 ||
		    (r = cp_git_read_blob(&o, k->repo, lt, tc->path, 1)) < 0 ||
		    (r = cp_git_read_blob(&t, k->repo, rt, tc->path, 1)) < 0) {
			r = rc < 0 ? rc : r;
			goto out;
		}
		if ((r = text_merge(k->repo, &b, rc == 0, &o, &t, tc->path, &id)) != 0) {
			if (r > 0)
				r = refuse_conflict(tc->path);
			goto out;
		}
		upd[nupd].action = GIT_TREE_UPDATE_UPSERT;
		upd[nupd].id = id;
		upd[nupd].filemode = (git_filemode_t)oc->mode;
		upd[nupd++].path = tc->path;
	}

	/* then the case files both changed, under the merged policy */
	if (ncases) {
		if ((rc = git_tree_create_updated(&tree_oid, k->repo, lt, nupd, upd)) < 0 ||
		    (rc = git_tree_lookup(&mt, k->repo, &tree_oid)) < 0) {
			r = cp_git_error(rc, "cannot build the merged tree");
			goto out;
		}
		if ((r = merged_policy(k->repo, mt, &policy)) < 0) {
			cp_error_wrap(_("cannot merge case files"));
			goto out;
		}
	}
	for (i = 0; i < ncases; i++) {
		const char *p = theirs[cases[i]].path;
		char cid[CP_ID_MAX + 8];
		git_oid id;
		int hb;

		cp_sbuf_reset(&b);
		cp_sbuf_reset(&o);
		cp_sbuf_reset(&t);
		cp_sbuf_reset(&out);
		if ((hb = cp_git_read_blob(&b, k->repo, bt, p, 1)) < 0 ||
		    (r = cp_git_read_blob(&o, k->repo, lt, p, 1)) < 0 ||
		    (r = cp_git_read_blob(&t, k->repo, rt, p, 1)) < 0) {
			r = hb < 0 ? hb : r;
			goto out;
		}
		if (cp_case_merge(&out, policy, hb ? NULL : b.buf, hb ? 0 : b.len, o.buf,
				  o.len, t.buf, t.len, p) < 0) {
			char why[1024];

			snprintf(why, sizeof(why), "%s", cp_errmsg());
			r = cp_error(CP_EBUSY, _("%s; nothing was changed: settle it by hand (git pull), then sync"),
				     why);
			goto out;
		}
		if ((rc = git_blob_create_from_buffer(&id, k->repo, out.buf, out.len)) < 0) {
			r = cp_git_error(rc, "cannot store a merged case");
			goto out;
		}
		upd[nupd].action = GIT_TREE_UPDATE_UPSERT;
		upd[nupd].id = id;
		upd[nupd].filemode = GIT_FILEMODE_BLOB;
		upd[nupd++].path = p;
		case_id_of(p, cid, sizeof(cid));
		cp_sbuf_addf(&trailers, "Merged-Case: %s\n", cid);
		k->cases_merged++;
	}
	if ((rc = git_tree_create_updated(&tree_oid, k->repo, lt, nupd, upd)) < 0 ||
	    (rc = git_tree_lookup(&tree, k->repo, &tree_oid)) < 0) {
		r = cp_git_error(rc, "cannot build the merged tree");
		goto out;
	}
	/* the offset of the merged policy's zone when it was read, else the store's */
	if ((r = cp_git_signature(&sig, policy ? policy->tz : cp_store_policy(k->s)->tz,
				    k->o->actor, k->o->email, k->o->now)) < 0)
		goto out;
	{
		struct cp_commit_info ci;
		const git_commit *parents[2] = { lc, rc_ };

		cp_sbuf_addf(&summary, "merge %s", k->display.buf);
		if (k->cases_merged)
			cp_sbuf_addf(&summary, " (%zu case%s merged by their events)",
				  k->cases_merged, k->cases_merged == 1 ? "" : "s");
		memset(&ci, 0, sizeof(ci));
		ci.action = "sync";
		ci.summary = summary.buf;
		ci.actor = k->o->actor;
		ci.email = k->o->email;
		ci.now = k->o->now;
		ci.extra_trailers = trailers.len ? trailers.buf : NULL;
		cp_commit_message(&msg, &ci);
		if ((r = cp_git_commit_create(merged, k->repo, sig, msg.buf, tree, 2, parents,
					      k->s->signer)) < 0)
			cp_error_wrap(_("cannot write the merge commit"));
	}
out:
	cp_sbuf_release(&b);
	cp_sbuf_release(&o);
	cp_sbuf_release(&t);
	cp_sbuf_release(&out);
	cp_sbuf_release(&msg);
	cp_sbuf_release(&trailers);
	cp_sbuf_release(&summary);
	free(upd);
	free(cases);
	free_changes(ours, nours);
	free_changes(theirs, ntheirs);
	cp_policy_free(policy);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(mt);
	git_tree_free(lt);
	git_tree_free(rt);
	git_tree_free(bt);
	git_commit_free(lc);
	git_commit_free(rc_);
	git_commit_free(bc);
	return r;
}

static int count_updates(git_checkout_notify_t why, const char *path,
			 const git_diff_file *baseline, const git_diff_file *target,
			 const git_diff_file *workdir, void *payload)
{
	(void)why;
	(void)path;
	(void)baseline;
	(void)target;
	(void)workdir;
	(*(size_t *)payload)++;
	return 0;
}

/*
 * Bring the work tree, the index and the branch from commit `from` to
 * commit `to`.  The checkout is safe: a file that differs from `from`
 * and would have to change stops it before anything is written.  git's
 * index lock is held from before the checkout until the new index is in
 * place (index.c), so that a git command cannot commit meanwhile.
 */
int cp_sync_move_to(struct cp_syncer *k, const git_oid *from, const git_oid *to)
{
	git_commit *fc = NULL, *tc = NULL;
	git_tree *ft = NULL, *tt = NULL;
	git_diff *diff = NULL;
	git_checkout_options co;
	git_reference *ref = NULL;
	struct cp_index_lock il;
	git_index *idx = NULL;
	char **paths = NULL;
	sigset_t oldmask;
	size_t i, n = 0, npaths = 0;
	char log[300];
	int rc, r = 0;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	if ((rc = git_commit_lookup(&fc, k->repo, from)) < 0 ||
	    (rc = git_commit_lookup(&tc, k->repo, to)) < 0 ||
	    (rc = git_commit_tree(&ft, fc)) < 0 ||
	    (rc = git_commit_tree(&tt, tc)) < 0 ||
	    (rc = git_diff_tree_to_tree(&diff, k->repo, ft, tt, NULL)) < 0) {
		r = cp_git_error(rc, "cannot read the commits");
		goto done;
	}
	/* only the files that change: the cost follows the change, not the store */
	npaths = git_diff_num_deltas(diff);
	paths = cp_xcalloc(npaths + 1, sizeof(*paths));
	for (i = 0; i < npaths; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		paths[i] = (char *)(d->new_file.path ? d->new_file.path : d->old_file.path);
	}
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.baseline = ft;
	co.paths.strings = paths;
	co.paths.count = npaths;
	co.notify_flags = GIT_CHECKOUT_NOTIFY_UPDATED;
	co.notify_cb = count_updates;
	co.notify_payload = &n;
	cp_block_signals(&oldmask);
	if ((r = cp_git_index_lock(k->s, &il)) < 0 ||
	    (r = cp_git_index_borrow(&idx, k->s, &il, false)) < 0)
		goto out;
	if (npaths && (rc = git_checkout_tree(k->repo, (git_object *)tt, &co)) < 0) {
		r = rc == GIT_ECONFLICT
			? cp_error(CP_EBUSY,
				   _("files the remote changed have local changes that are not committed (%s); nothing was changed: commit them, then sync"),
				   cp_git_msg())
			: cp_git_error(rc, "cannot update the work tree");
		goto out;
	}
	/* the index in place before the branch moves (index_file.h says why) */
	if ((r = cp_git_index_install(k->s, &il, &idx)) < 0) {
		cp_git_index_undo(&il);
		goto put_back;
	}
	snprintf(log, sizeof(log), "complaint: sync with %s", k->display.buf);
	rc = git_reference_create_matching(&ref, k->repo, k->branch.buf, to, 1, from, log);
	if (rc < 0) {
		r = cp_git_error(rc, "cannot move the branch");
		cp_git_index_undo(&il);
		goto put_back;
	}
	k->files_changed += n;
	goto out;
put_back:
	/* the work tree as it was (the index is the old one again, or stale) */
	co.baseline = tt;
	co.notify_cb = NULL;
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH |
			       GIT_CHECKOUT_DONT_UPDATE_INDEX;
	if (npaths)
		git_checkout_tree(k->repo, (git_object *)ft, &co);
out:
	cp_git_index_return(k->s, idx);
	cp_index_unlock(&il);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
done:
	free(paths);
	git_diff_free(diff);
	git_reference_free(ref);
	git_tree_free(ft);
	git_tree_free(tt);
	git_commit_free(fc);
	git_commit_free(tc);
	return r;
}
