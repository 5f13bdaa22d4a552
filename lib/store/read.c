/*
 * read.c - reading the store: one file, and one case (for a change, or
 * to look at it), from the work tree or from the commit of a past time.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "fsutil.h"
#include "priv.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

int cp_store_read(struct cp_sbuf *out, struct cp_store *s, const char *path)
{
	char full[PATH_MAX];
	int r;

	if (s->asof_tree)
		return cp_git_read_blob(out, s->repo, s->asof_tree, path, 0);
	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	r = cp_read_file(out, full, CP_YAML_MAX_FILE, 1);
	if (r == 1)
		return cp_error(CP_EDATA, _("the store has no %s"), path);
	return r;
}

int cp_store_use_time(struct cp_store *s, cp_time t)
{
	git_commit *c;
	git_tree *tree;
	char buf[CP_TIME_BUF];
	int r, rc;

	if ((r = cp_git_commit_at(&c, s, t)) < 0)
		return r;
	if (r == 1) {
		cp_time_fmt(buf, cp_store_tz(s), t);
		return cp_error(CP_EUSAGE, _("the store has no commit at or before %s"), buf);
	}
	rc = git_commit_tree(&tree, c);
	git_commit_free(c);
	if (rc < 0)
		return cp_git_error(rc, "cannot read a past commit");
	git_tree_free(s->asof_tree);
	s->asof_tree = tree;
	{
		/* reload the rules as they stood then */
		struct cp_sbuf buf2 = CP_SBUF_INIT;
		struct cp_policy *p = NULL;
		struct cp_org *o = NULL;

		if ((r = cp_store_read(&buf2, s, "policy.yaml")) < 0 ||
		    (r = cp_policy_parse(&p, "policy.yaml", buf2.buf, buf2.len)) < 0) {
			cp_sbuf_release(&buf2);
			return r;
		}
		cp_sbuf_reset(&buf2);
		if ((r = cp_store_read(&buf2, s, "org.yaml")) < 0 ||
		    (r = cp_org_parse(&o, "org.yaml", buf2.buf, buf2.len)) < 0 ||
		    (r = cp_org_check_policy(o, p)) < 0) {
			cp_org_free(o);
			cp_policy_free(p);
			cp_sbuf_release(&buf2);
			return r;
		}
		cp_sbuf_release(&buf2);
		cp_policy_free(s->policy);
		cp_org_free(s->org);
		s->policy = p;
		s->org = o;
		return 0;
	}
}

/* The file path as committed at time t into buf; 1 when no commit yet. */
static int read_at(struct cp_store *s, cp_time t, const char *path, struct cp_sbuf *buf,
		   char name[64])
{
	git_commit *c;
	git_tree *tree;
	char tb[CP_TIME_BUF];
	int r, rc;

	if ((r = cp_git_commit_at(&c, s, t)) < 0)
		return r;
	if (r == 1)
		return 1;
	rc = git_commit_tree(&tree, c);
	git_commit_free(c);
	if (rc < 0)
		return cp_git_error(rc, "cannot read a past commit");
	r = cp_git_read_blob(buf, s->repo, tree, path, 1);
	git_tree_free(tree);
	cp_time_fmt(tb, cp_store_tz(s), t);
	snprintf(name, 64, "%s@%s", path, tb);
	return r;
}

int cp_store_policy_at(struct cp_policy **out, struct cp_store *s, cp_time t)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char name[64];
	int r;

	*out = NULL;
	if ((r = read_at(s, t, "policy.yaml", &buf, name)) == 0)
		r = cp_policy_parse(out, name, buf.buf, buf.len);
	cp_sbuf_release(&buf);
	return r;
}

int cp_store_org_at(struct cp_org **out, struct cp_store *s, cp_time t)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char name[64];
	int r;

	*out = NULL;
	if ((r = read_at(s, t, "org.yaml", &buf, name)) == 0)
		r = cp_org_parse(out, name, buf.buf, buf.len);
	cp_sbuf_release(&buf);
	return r;
}

/* ---- one case ---- */

/*
 * Every file of case id in a month folder (the work tree, or the commit
 * chosen with cp_store_use_time()), sorted by path.
 */
static void tree_case_files(struct cp_store *s, const char *id, struct cp_paths *out)
{
	git_tree_entry *ce = NULL;
	git_tree *cases = NULL;
	size_t i, j;
	char rel[PATH_MAX];

	if (git_tree_entry_bypath(&ce, s->asof_tree, "cases") < 0 ||
	    git_tree_lookup(&cases, s->repo, git_tree_entry_id(ce)) < 0) {
		git_tree_entry_free(ce);
		git_error_clear();
		return;
	}
	git_tree_entry_free(ce);
	for (i = 0; i < git_tree_entrycount(cases); i++) {
		const git_tree_entry *ye = git_tree_entry_byindex(cases, i);
		git_tree *yt;

		if (git_tree_entry_type(ye) != GIT_OBJECT_TREE ||
		    !cp_all_digits(git_tree_entry_name(ye), 4) ||
		    git_tree_lookup(&yt, s->repo, git_tree_entry_id(ye)) < 0)
			continue;
		for (j = 0; j < git_tree_entrycount(yt); j++) {
			const git_tree_entry *me = git_tree_entry_byindex(yt, j);
			git_tree_entry *fe = NULL;

			if (git_tree_entry_type(me) != GIT_OBJECT_TREE ||
			    !cp_all_digits(git_tree_entry_name(me), 2))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s.yaml", git_tree_entry_name(me), id);
			if (git_tree_entry_bypath(&fe, yt, rel) == 0 &&
			    git_tree_entry_type(fe) == GIT_OBJECT_BLOB) {
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				snprintf(rel, sizeof(rel), "cases/%s/%s/%s.yaml",
					 git_tree_entry_name(ye), git_tree_entry_name(me), id);
				out->v[out->n++] = cp_xstrdup(rel);
			}
			git_tree_entry_free(fe);
		}
		git_tree_free(yt);
	}
	git_tree_free(cases);
	git_error_clear();
}

void cp_store_case_files(struct cp_paths *out, struct cp_store *s, const char *id)
{
	char full[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	char **years, **months;
	size_t ny, nm, i, j;

	memset(out, 0, sizeof(*out));
	if (!cp_id_valid(id))
		return;
	if (s->asof_tree) {
		tree_case_files(s, id, out);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/cases", s->root);
	years = cp_list_dir(&ny, dir, cp_keep_digits, 4);
	for (i = 0; i < ny; i++) {
		snprintf(dir, sizeof(dir), "%s/cases/%s", s->root, years[i]);
		months = cp_list_dir(&nm, dir, cp_keep_digits, 2);
		for (j = 0; j < nm; j++) {
			snprintf(full, sizeof(full), "%s/cases/%s/%s/%s.yaml", s->root,
				 years[i], months[j], id);
			if (!lstat(full, &st)) {
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				out->v[out->n++] = cp_xstrdup(full + strlen(s->root) + 1);
			}
		}
		cp_names_free(months, nm);
	}
	cp_names_free(years, ny);
}

void cp_paths_release(struct cp_paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * How well a file holds its case, lower is better: 0 in the folder its
 * received month names and the one its ID's date names; 1 in the first
 * only; 2 in the second only; 3 in neither; 4 unreadable or another case.
 */
static int copy_rank(struct cp_store *s, const char *id, const char *path)
{
	struct cp_sbuf buf = CP_SBUF_INIT, home = CP_SBUF_INIT;
	struct cp_case *c = NULL;
	int rank = 4, y, m;
	char want[16];

	if (cp_store_read(&buf, s, path) == 0 &&
	    cp_case_parse(&c, cp_store_tz(s), path, buf.buf, buf.len) == 0 && !strcmp(c->id, id)) {
		cp_case_path(&home, c->id, cp_store_tz(s), c->received);
		rank = strcmp(home.buf, path) ? 2 : 0;
		if (cp_id_month(&y, &m, id) < 0)
			rank += 1;
		else {
			snprintf(want, sizeof(want), "cases/%04d/%02d/", y, m);
			rank += strncmp(path, want, strlen(want)) != 0;
		}
	}
	cp_error_clear();
	cp_case_free(c);
	cp_sbuf_release(&buf);
	cp_sbuf_release(&home);
	return rank;
}

size_t cp_store_pick_copy(struct cp_store *s, const char *id, const struct cp_paths *files)
{
	size_t i, best = 0;
	int r, best_rank = 5;

	for (i = 0; i < files->n; i++) {
		r = copy_rank(s, id, files->v[i]);
		/* files are sorted: on a tie the first path wins */
		if (r < best_rank) {
			best_rank = r;
			best = i;
		}
	}
	return best;
}

void cp_store_copies_message(struct cp_sbuf *out, const char *id,
			     const struct cp_paths *files, size_t winner)
{
	size_t i;

	cp_sbuf_addf(out, _("case %s is in %zu files ("), id, files->n);
	for (i = 0; i < files->n; i++)
		cp_sbuf_addf(out, "%s%s", i ? (i + 1 == files->n ? _(" and ") : _(", ")) : "",
			  files->v[i]);
	cp_sbuf_addf(out, _("); %s is the one counted"), files->v[winner]);
}

/* Find the file of a case; several files of one case are named. */
static int find_case(struct cp_store *s, const char *id, struct cp_sbuf *path,
		     bool for_change)
{
	struct cp_paths files;
	struct cp_sbuf msg = CP_SBUF_INIT;
	size_t w;
	int r;

	if ((r = cp_id_check(id)) < 0)
		return r;
	cp_store_case_files(&files, s, id);
	if (!files.n) {
		int y, m;

		/* not found, or behind a folder that is a symlink: say which */
		if (!s->asof_tree && cp_id_month(&y, &m, id) == 0) {
			cp_sbuf_reset(path);
			cp_sbuf_addf(path, "cases/%04d/%02d/%s.yaml", y, m, id);
			if ((r = cp_check_dirs(s->root, path->buf)) < 0)
				return r;
		}
		return cp_error(CP_EUSAGE, _("no case '%s' in this store"), id);
	}
	w = files.n > 1 ? cp_store_pick_copy(s, id, &files) : 0;
	cp_sbuf_reset(path);
	cp_sbuf_adds(path, files.v[w]);
	if (files.n > 1) {
		cp_store_copies_message(&msg, id, &files, w);
		if (for_change) {
			cp_error(CP_EDATA, _("%s; remove the copy that is wrong (with git rm, then git commit), then try again"),
				 msg.buf);
			cp_sbuf_release(&msg);
			cp_paths_release(&files);
			return -CP_EDATA;
		}
		cp_warn_hint(CP_HINT_CHECK, "%s", msg.buf);
	}
	cp_sbuf_release(&msg);
	cp_paths_release(&files);
	return 0;
}

bool cp_store_has_case(struct cp_store *s, const char *id)
{
	struct cp_sbuf path = CP_SBUF_INIT;
	struct cp_paths files;
	bool found;

	cp_store_case_files(&files, s, id);
	found = files.n > 0;
	cp_paths_release(&files);

	cp_sbuf_release(&path);
	cp_error_clear();
	return found;
}

/* Is the work-tree file the committed one? */
static int check_committed(struct cp_store *s, const char *path,
			   const struct cp_sbuf *buf)
{
	git_reference *head = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_oid oid;
	int rc, r = 0;

	if ((rc = git_repository_head(&head, s->repo)) < 0 ||
	    (rc = git_commit_lookup(&c, s->repo, git_reference_target(head))) < 0 ||
	    (rc = git_commit_tree(&tree, c)) < 0) {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	}
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND) {
		r = cp_error_hint(CP_EBUSY, CP_HINT_CHECK,
			     _("%s is not committed (written by hand, or by a change that was interrupted)"),
			     path);
		goto out;
	}
	if (rc < 0) {
		r = cp_git_error(rc, path);
		goto out;
	}
	if ((r = cp_store_blob_id(oid.id, s, path, buf->buf, buf->len)) < 0)
		goto out;
	if (!git_oid_equal(&oid, git_tree_entry_id(e))) {
		r = cp_error_hint(CP_EBUSY, CP_HINT_OR_REPAIR,
			     _("%s has changes that are not committed; commit them with git"),
			     path);
		goto out;
	}
	snprintf(s->base_path, sizeof(s->base_path), "%s", path);
	s->base_blob = *git_tree_entry_id(e);
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(head);
	return r;
}

static int load_case(struct cp_store *s, const char *id, struct cp_case **out,
		     struct cp_sbuf *path, struct cp_sbuf *raw, bool for_change)
{
	struct cp_sbuf own = CP_SBUF_INIT, *buf = raw ? raw : &own;
	char full[PATH_MAX];
	int r;

	*out = NULL;
	if ((r = find_case(s, id, path, for_change)) < 0 ||
	    (r = cp_check_dirs(s->root, path->buf)) < 0)
		return r;
	snprintf(full, sizeof(full), "%s/%s", s->root, path->buf);
	if ((r = cp_read_file(buf, full, CP_YAML_MAX_FILE, 0)) < 0)
		goto out;
	if (for_change && (r = check_committed(s, path->buf, buf)) < 0)
		goto out;
	if ((r = cp_case_parse(out, cp_store_tz(s), path->buf, buf->buf, buf->len)) < 0)
		goto out;
	if (strcmp((*out)->id, id)) {
		r = cp_error(CP_EDATA, _("%s: the file names case '%s', not '%s'"),
			     path->buf, (*out)->id, id);
		goto out;
	}
	if ((*out)->ndup) {
		struct cp_sbuf sb = CP_SBUF_INIT;

		cp_case_describe_copy(&sb, *out, cp_store_tz(s));
		if (for_change)
			cp_warn("%s: %s; this change writes the file without the copy", path->buf,
				sb.buf);
		else
			cp_warn_hint(CP_HINT_CHECK, _("%s: %s; it counts once"), path->buf, sb.buf);
		cp_sbuf_release(&sb);
	}
	if ((r = cp_case_derive(*out, s->policy)) < 0)
		r = cp_error_wrap("%s", path->buf);
out:
	if (r < 0) {
		cp_case_free(*out);
		*out = NULL;
	}
	cp_sbuf_release(&own);
	return r;
}

int cp_store_load_case(struct cp_case **out, struct cp_sbuf *path, struct cp_store *s,
		       const char *id)
{
	return load_case(s, id, out, path, NULL, true);
}

int cp_store_read_case(struct cp_case **out, struct cp_sbuf *path, struct cp_sbuf *raw,
		       struct cp_store *s, const char *id)
{
	return load_case(s, id, out, path, raw, false);
}

