/*
 * store_log.c - the history of one case file, read from git.
 */
#include <string.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "store_priv.h"

/* The blob id of path in commit c; false when the file is not there. */
static bool blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool found = false;

	if (git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		*out = *git_tree_entry_id(e);
		found = true;
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	git_error_clear();
	return found;
}

static int line_cb(const git_diff_delta *d, const git_diff_hunk *h,
		   const git_diff_line *l, void *payload)
{
	struct sbuf *sb = payload;

	(void)d;
	(void)h;
	if (l->origin != GIT_DIFF_LINE_ADDITION && l->origin != GIT_DIFF_LINE_DELETION)
		return 0;
	sbuf_addch(sb, l->origin);
	sbuf_add(sb, l->content, l->content_len);
	if (!l->content_len || l->content[l->content_len - 1] != '\n')
		sbuf_addch(sb, '\n');
	return 0;
}

static int diff_blobs(git_repository *repo, const git_oid *a, const git_oid *b,
		      struct sbuf *out)
{
	git_blob *ba = NULL, *bb = NULL;
	git_diff_options o;
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	if (a && (rc = git_blob_lookup(&ba, repo, a)) < 0)
		return cp_git_error(rc, "cannot read a past version");
	if ((rc = git_blob_lookup(&bb, repo, b)) < 0) {
		git_blob_free(ba);
		return cp_git_error(rc, "cannot read a past version");
	}
	rc = git_diff_blobs(ba, NULL, bb, NULL, &o, NULL, NULL, NULL, line_cb, out);
	git_blob_free(ba);
	git_blob_free(bb);
	if (rc < 0)
		return cp_git_error(rc, "cannot compare versions");
	return 0;
}

int cp_store_file_log(struct cp_store *s, const char *path, cp_log_cb cb,
		      void *data)
{
	git_revwalk *walk = NULL;
	git_oid oid, mine, theirs;
	struct sbuf diff = SBUF_INIT;
	int rc, r = 0;

	if ((rc = git_revwalk_new(&walk, s->repo)) < 0 ||
	    (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME)) < 0 ||
	    (rc = git_revwalk_push_head(walk)) < 0) {
		git_revwalk_free(walk);
		return cp_git_error(rc, "cannot read the store's history");
	}
	while (r >= 0 && (rc = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c = NULL;
		unsigned i, np;
		bool changed = true, created = false, have_parent_blob = false;
		git_oid parent_blob;
		struct cp_log_entry e;

		if ((rc = git_commit_lookup(&c, s->repo, &oid)) < 0)
			break;
		if (!blob_at(c, path, &mine)) {
			git_commit_free(c);
			continue;
		}
		np = git_commit_parentcount(c);
		created = true;
		for (i = 0; i < np; i++) {
			git_commit *p = NULL;

			if (git_commit_parent(&p, c, i) < 0)
				continue;
			if (blob_at(p, path, &theirs)) {
				created = false;
				if (!have_parent_blob) {
					parent_blob = theirs;
					have_parent_blob = true;
				}
				if (git_oid_equal(&theirs, &mine))
					changed = false;
			}
			git_commit_free(p);
		}
		if (changed) {
			sbuf_reset(&diff);
			r = diff_blobs(s->repo, have_parent_blob ? &parent_blob : NULL,
				       &mine, &diff);
			if (r >= 0) {
				const git_signature *a = git_commit_author(c);

				git_oid_tostr(e.commit, sizeof(e.commit), &oid);
				e.author = a->name;
				e.when = (cp_time)a->when.time;
				e.subject = git_commit_summary(c);
				e.message = git_commit_message(c);
				e.diff = diff.buf;
				r = cb(&e, data);
			}
		}
		git_commit_free(c);
		if (created)
			break;
	}
	if (rc < 0 && rc != GIT_ITEROVER && r >= 0)
		r = cp_git_error(rc, "cannot read the store's history");
	git_revwalk_free(walk);
	sbuf_release(&diff);
	return r;
}
