/*
 * check.c - `complaint check`: is everything in the store what the
 * tool would have written, and is git's state clean?  And `--repair`.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>

#include "cache.h"
#include "check.h"
#include "complaint/error.h"
#include "complaint/store.h"
#include "fsutil.h"
#include "life.h"
#include "lock_owner.h"
#include "yaml_subset.h"

void say(struct checker *k, enum cp_check_level lvl, const char *fmt, ...)
{
	va_list ap;
	char buf[4096];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (lvl == CP_CHECK_PROBLEM)
		k->st->problems++;
	else if (lvl == CP_CHECK_WARNING)
		k->st->warnings++;
	else
		k->st->repaired++;
	k->cb(lvl, buf, k->data);
}

static int check_rules(struct checker *k)
{
	struct sbuf buf = SBUF_INIT;
	struct cp_store *s = k->s;
	int ok = 1;

	if (cp_store_read(s, "policy.yaml", &buf) < 0 ||
	    cp_policy_parse(&s->policy, "policy.yaml", buf.buf, buf.len) < 0 ||
	    cp_policy_use(s->policy) < 0) {
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
		ok = 0;
	}
	sbuf_reset(&buf);
	if (cp_store_read(s, "org.yaml", &buf) < 0 ||
	    cp_org_parse(&s->org, "org.yaml", buf.buf, buf.len) < 0)
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
	sbuf_release(&buf);
	return ok;
}

static void check_events(struct checker *k, const char *path,
			 const struct cp_case *c)
{
	size_t i;

	/* each one: the commands that read skip them (cp_event_impossible) */
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].at < c->received)
			say(k, CP_CHECK_PROBLEM,
			    "%s: event %zu (%s) is before the case was received (the commands that read skip it)",
			    path, i + 1, cp_evt_name(c->events[i].action));
}

static int check_case(const char *path, const char *buf, size_t len, void *data)
{
	struct checker *k = data;
	struct cp_case *c = NULL;
	const char *base = strrchr(path, '/') + 1;
	struct sbuf where = SBUF_INIT, diff = SBUF_INIT;
	int n, year;

	k->st->cases++;
	if (!buf) {
		k->st->bad_cases++;
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
		return 0;
	}
	if (cp_case_parse(&c, path, buf, len) < 0) {
		k->st->bad_cases++;
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
		return 0;
	}
	if (c->unnormal_names)
		say(k, CP_CHECK_WARNING,
		    "%s:%d:%d: %zu name%s not written in normal form (white space around it, or not NFC); read as one person with the normal form, and rewritten so by the next change",
		    path, c->unnormal_line, c->unnormal_col, c->unnormal_names,
		    c->unnormal_names == 1 ? " is" : "s are");
	if (strncmp(base, c->id, strlen(c->id)) || strcmp(base + strlen(c->id), ".yaml"))
		say(k, CP_CHECK_PROBLEM, "%s: the file is named for another case than its id '%s'",
		    path, c->id);
	ALLOC_GROW(k->ids, k->nids + 1, k->aids);
	memcpy(k->ids[k->nids].id, c->id, sizeof(c->id));
	k->ids[k->nids++].path = xstrdup(path);
	if (c->ndup) {
		struct sbuf sb = SBUF_INIT;

		cp_case_describe_copy(c, &sb);
		if (c->dup_line > 0)
			say(k, CP_CHECK_PROBLEM, "%s:%d: %s; it counts once: remove the copy",
			    path, c->dup_line, sb.buf);
		else
			say(k, CP_CHECK_PROBLEM, "%s: %s; it counts once: remove the copy",
			    path, sb.buf);
		sbuf_release(&sb);
	}
	if (k->s->policy) {
		cp_case_path(&where, c->id, c->received);
		if (strcmp(where.buf, path))
			say(k, CP_CHECK_PROBLEM, "%s: a case received then belongs in %s",
			    path, where.buf);
		if (cp_case_derive(c, k->s->policy) < 0) {
			k->st->bad_cases++;
			say(k, CP_CHECK_PROBLEM, "%s: %s", path, cp_errmsg());
		} else {
			n = cp_case_check_derived(c, k->s->policy, &diff);
			if (n) {
				char *line = diff.buf, *nl;

				while (line && *line) {
					nl = strchr(line, '\n');
					if (nl)
						*nl = '\0';
					say(k, CP_CHECK_PROBLEM, "%s: %s", path, line);
					line = nl ? nl + 1 : NULL;
				}
			}
			if (cp_case_check_range(c) < 0)
				say(k, CP_CHECK_PROBLEM, "%s: %s", path, cp_errmsg());
			sbuf_reset(&diff);
			if (cp_life_time_problem(c, k->s->policy, &diff))
				say(k, CP_CHECK_PROBLEM, "%s: %s", path, diff.buf);
			if ((year = cp_case_uncovered_year(c, k->s->policy)))
				say(k, CP_CHECK_WARNING,
				    "%s: a deadline falls in %d, which the policy's calendar does not cover (weekdays only)",
				    path, year);
		}
		check_events(k, path, c);
	}
	cp_case_free(c);
	sbuf_release(&where);
	sbuf_release(&diff);
	return 0;
}

static bool is_temp_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return base[0] == '.' && strstr(base, ".tmp-");
}

/* Keep a copy of a file the repair is about to replace or remove. */
static int keep_copy(struct checker *k, const char *path)
{
	char from[4096], dir[4096];
	struct sbuf buf = SBUF_INIT;
	int r;

	snprintf(from, sizeof(from), "%s/%s", k->s->root, path);
	if (cp_read_file(&buf, from, 64 << 20, 1) != 0) {
		sbuf_release(&buf);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%scomplaint-lost", git_repository_path(k->s->repo));
	if ((r = cp_private_dir(dir, k->s->shared, 1)) < 0) {
		sbuf_release(&buf);
		return r;
	}
	r = cp_write_atomic_shared(dir, path, buf.buf, buf.len, k->s->shared);
	sbuf_release(&buf);
	return r;
}

static void restore_from_head(struct checker *k, const char *path)
{
	git_checkout_options co;
	char *paths[1] = { (char *)path };
	int rc;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths;
	co.paths.count = 1;
	if (keep_copy(k, path) < 0) {
		say(k, CP_CHECK_PROBLEM, "%s: cannot keep a copy before restoring it: %s",
		    path, cp_errmsg());
		return;
	}
	rc = git_checkout_head(k->s->repo, &co);
	k->index_changed = true;
	if (rc < 0) {
		cp_git_error(rc, path);
		say(k, CP_CHECK_PROBLEM, "cannot restore %s", cp_errmsg());
		return;
	}
	say(k, CP_CHECK_REPAIRED, "%s: restored the committed version (the changed copy is in .git/complaint-lost/)",
	    path);
}

#define INDEX_CHANGED (GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | \
		       GIT_STATUS_INDEX_DELETED | GIT_STATUS_INDEX_RENAMED | \
		       GIT_STATUS_INDEX_TYPECHANGE)

/*
 * The blob HEAD holds at path: 1 and *oid set, 0 when HEAD has no such
 * file, or a negative error.
 */
static int head_blob(struct checker *k, const char *path, git_oid *oid)
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
static int worktree_vs_head(struct checker *k, const char *path, int *in_head)
{
	struct sbuf buf = SBUF_INIT;
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
		r = cp_store_blob_id(k->s, path, buf.buf, buf.len, have.id) < 0 ||
		    !git_oid_equal(&have, &want);
	sbuf_release(&buf);
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
static void repair_path(struct checker *k, const char *path, unsigned int status)
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
			say(k, CP_CHECK_PROBLEM, "cannot reset the index entry of %s", cp_errmsg());
			return;
		}
		say(k, CP_CHECK_REPAIRED, "%s: the index entry points at the committed version again",
		    path);
	}
	if ((w = worktree_vs_head(k, path, &in_head)) < 0) {
		if (!read_elsewhere(path))
			say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
	} else if (!in_head && w) {
		char full[4096];

		snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
		if (keep_copy(k, path) == 0 && unlink(full) == 0)
			say(k, CP_CHECK_REPAIRED, "%s: moved an uncommitted case file to .git/complaint-lost/",
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
static int rebuild_index(struct checker *k)
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
			say(k, CP_CHECK_PROBLEM, "cannot keep the damaged index: %s", cp_errmsg());
			return -1;
		}
		snprintf(lost, sizeof(lost), "%scomplaint-lost/index", gitdir);
		unlink(lost);
		if (link(path, lost) < 0) {
			say(k, CP_CHECK_PROBLEM, "cannot keep a copy of .git/index in %s: %s", lost,
			    strerror(errno));
			return -1;
		}
	}
	if (cp_git_index_borrow(k->s, &k->il, true, &k->idx) < 0) {
		say(k, CP_CHECK_PROBLEM, "cannot rebuild the index: %s", cp_errmsg());
		return -1;
	}
	if ((rc = git_repository_head(&head, k->s->repo)) < 0 ||
	    (rc = git_commit_lookup(&c, k->s->repo, git_reference_target(head))) < 0 ||
	    (rc = git_commit_tree(&tree, c)) < 0 ||
	    (rc = git_index_read_tree(k->idx, tree)) < 0) {
		cp_git_error(rc, "cannot rebuild the index");
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
	} else {
		k->index_changed = true;
		if (had)
			say(k, CP_CHECK_REPAIRED,
			    ".git/index could not be read: rebuilt it from HEAD (the old one is in .git/complaint-lost/index)");
		else
			say(k, CP_CHECK_REPAIRED, ".git/index was missing: rebuilt it from HEAD");
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
static bool repair_begin(struct checker *k)
{
	char path[4096];
	struct stat st;

	if (cp_git_index_lock(k->s, &k->il) < 0) {
		say(k, CP_CHECK_PROBLEM, "cannot repair the work tree and the index now: %s",
		    cp_errmsg());
		return false;
	}
	snprintf(path, sizeof(path), "%sindex", git_repository_path(k->s->repo));
	if (lstat(path, &st) == 0 && cp_git_index_borrow(k->s, &k->il, false, &k->idx) == 0)
		return true;
	git_error_clear();
	if (rebuild_index(k) == 0)
		return true;
	cp_git_index_return(k->s, k->idx);
	k->idx = NULL;
	cp_index_unlock(&k->il);
	return false;
}

static void repair_end(struct checker *k)
{
	if (k->idx && k->index_changed) {
		if (cp_git_index_install(k->s, &k->il, &k->idx) < 0)
			say(k, CP_CHECK_PROBLEM, "cannot put the repaired index in place: %s",
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
static bool needs_repair(struct checker *k, git_status_list *list)
{
	size_t i, n = git_status_list_entrycount(list);
	char full[4096];
	long pid;

	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const char *path = entry_path(e);

		if (e->status == GIT_STATUS_WT_NEW) {
			snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
			if (is_temp_name(path) ? !temp_file_live(k, full, &pid)
					       : !strncmp(path, "cases/", 6))
				return true;
		} else if (e->status != GIT_STATUS_IGNORED && e->status != GIT_STATUS_CURRENT &&
			   is_ours(path)) {
			return true;
		}
	}
	return false;
}

static void check_status(struct checker *k)
{
	git_status_options so;
	git_status_list *list = NULL;
	size_t i, n;
	bool fix = false;
	int rc;

	/* status reads every .gitignore and .gitattributes: none may block it */
	if (cp_store_preflight_tree(k->s->root) < 0) {
		say(k, CP_CHECK_PROBLEM, "%s (the work tree was not compared with HEAD)",
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
		cp_git_error(rc, "cannot compare the work tree with HEAD (is .git/index damaged? 'complaint check --repair' rebuilds it from HEAD)");
		say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
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
				if (temp_file_live(k, full, &pid)) {
					say(k, CP_CHECK_WARNING, "%s: being written by a running command (pid %ld)",
					    path, pid);
				} else if (fix) {
					unlink(full);
					say(k, CP_CHECK_REPAIRED, "%s: removed a temporary file left by an interrupted change",
					    path);
				} else {
					say(k, CP_CHECK_PROBLEM, "%s: temporary file left by an interrupted change (remove it, or run 'complaint check --repair')",
					    path);
				}
			} else if (!strncmp(path, "cases/", 6)) {
				if (fix) {
					char full[4096];

					if (keep_copy(k, path) == 0) {
						snprintf(full, sizeof(full), "%s/%s", k->s->root, path);
						unlink(full);
						say(k, CP_CHECK_REPAIRED, "%s: moved an uncommitted case file to .git/complaint-lost/",
						    path);
					}
				} else {
					say(k, CP_CHECK_PROBLEM, "%s: not committed (written by hand, or by an interrupted change; 'complaint check --repair' moves it to .git/complaint-lost/)",
					    path);
				}
			} else {
				say(k, CP_CHECK_WARNING, "%s: untracked file in the store", path);
			}
			continue;
		}
		if (e->status == GIT_STATUS_IGNORED || e->status == GIT_STATUS_CURRENT)
			continue;
		if (!ours) {
			say(k, CP_CHECK_WARNING, "%s: has changes that are not committed", path);
			continue;
		}
		if (fix) {
			repair_path(k, path, e->status);
		} else {
			int in_head, w = worktree_vs_head(k, path, &in_head);

			if (w < 0) {
				/* the rules and the walk name a file they cannot read */
				if (!read_elsewhere(path))
					say(k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
			} else if (w == 0)
				say(k, CP_CHECK_PROBLEM, "%s: the index differs from HEAD (staged by hand, or a change interrupted after its commit, before the index was written; 'complaint check --repair' resets it)",
				    path);
			else if (!in_head)
				say(k, CP_CHECK_PROBLEM, "%s: not committed (written by hand, or by an interrupted change; 'complaint check --repair' moves it to .git/complaint-lost/)",
				    path);
			else
				say(k, CP_CHECK_PROBLEM, "%s: %s but not committed (commit it with git, or 'complaint check --repair' restores the committed version)",
				    path, w == 2 ? "deleted" : "changed");
		}
	}
	git_status_list_free(list);
	if (fix)
		repair_end(k);
}

/* ---- the derived cache (lib/cache.c): every entry is the case its blob parses to ---- */

struct cache_check {
	struct checker *k;
	size_t bad, checked;
};

static void check_cache_entry(const unsigned char oid[20], const char *path,
			      const struct cp_case *cs, void *data)
{
	struct cache_check *cc = data;
	struct cp_store *s = cc->k->s;
	struct sbuf buf = SBUF_INIT;
	struct cp_case *parsed = NULL;
	git_blob *b = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];

	memcpy(id.id, oid, 20);
	git_oid_tostr(hex, sizeof(hex), &id);
	if (git_blob_lookup(&b, s->repo, &id) == 0) {
		sbuf_add(&buf, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	} else {
		/* not in git: an uncommitted file, when it still holds those bytes */
		char full[4096];
		git_oid now;

		git_error_clear();
		snprintf(full, sizeof(full), "%s/%s", s->root, path);
		if (!cs || cp_read_file(&buf, full, YAML_MAX_FILE, 1) != 0 ||
		    cp_store_blob_id(s, path, buf.buf, buf.len, now.id) < 0 ||
		    !git_oid_equal(&now, &id)) {
			cp_error_clear();
			git_error_clear();
			sbuf_release(&buf);
			if (!cs)
				goto wrong;
			return;	/* nothing left to compare it with */
		}
	}
	cc->checked++;
	if (cs && cp_case_parse(&parsed, path, buf.buf, buf.len) == 0 &&
	    cp_case_same(cs, parsed)) {
		cp_case_free(parsed);
		sbuf_release(&buf);
		return;
	}
	cp_case_free(parsed);
	cp_error_clear();
	sbuf_release(&buf);
wrong:
	cc->bad++;
	if (!cc->k->repair)
		say(cc->k, CP_CHECK_PROBLEM,
		    "the cache entry for %s (blob %s) is not what the file parses to ('complaint check --repair' removes the cache; it is rebuilt on the next read)",
		    path, hex);
}

static void check_cache(struct checker *k)
{
	struct cache_check cc = { k, 0, 0 };
	const char *zone = getenv("TZ");
	struct cp_cache *c = cp_cache_open(git_repository_commondir(k->s->repo),
					    k->s->shared, zone ? zone : "", false);
	long damaged = cp_cache_each(c, check_cache_entry, &cc);
	struct sbuf path = SBUF_INIT;

	cp_cache_close(c);
	if (damaged > 0)
		say(k, CP_CHECK_WARNING,
		    "%ld damaged entr%s in the cache (.git/complaint/cache): not used, rebuilt on the next read",
		    damaged, damaged == 1 ? "y" : "ies");
	if (cc.bad && k->repair) {
		cp_cache_path(&path, git_repository_commondir(k->s->repo));
		if (unlink(path.buf) == 0)
			say(k, CP_CHECK_REPAIRED,
			    "removed the cache %s: %zu entr%s did not match the files (rebuilt on the next read)",
			    path.buf, cc.bad, cc.bad == 1 ? "y" : "ies");
		else
			say(k, CP_CHECK_PROBLEM, "cannot remove the cache %s: %s", path.buf,
			    strerror(errno));
	}
	sbuf_release(&path);
}

static int cmp_id(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->path, y->path);
}

/* A case in two files: name them all, and the one readers count. */
static void check_doubles(struct checker *k)
{
	struct sbuf msg = SBUF_INIT;
	struct cp_paths files;
	size_t i, j, n;

	if (k->nids)
		qsort(k->ids, k->nids, sizeof(*k->ids), cmp_id);
	for (i = 0; i < k->nids; i = j) {
		for (j = i + 1; j < k->nids && !strcmp(k->ids[i].id, k->ids[j].id); j++)
			;
		if (j - i < 2)
			continue;
		memset(&files, 0, sizeof(files));
		for (n = i; n < j; n++) {
			ALLOC_GROW(files.v, files.n + 1, files.alloc);
			files.v[files.n++] = k->ids[n].path;
		}
		sbuf_reset(&msg);
		cp_store_copies_message(k->ids[i].id, &files,
					cp_store_pick_copy(k->s, k->ids[i].id, &files), &msg);
		say(k, CP_CHECK_PROBLEM, "%s; remove the copy that is wrong (git rm, git commit)",
		    msg.buf);
		free(files.v);	/* the paths are k->ids' */
	}
	sbuf_release(&msg);
	for (i = 0; i < k->nids; i++)
		free(k->ids[i].path);
}

/*
 * A file or folder of our own under .git that is not what we make (a
 * symlink, a FIFO...): named, and removed by --repair (it holds only
 * what is rebuilt; a symlink is removed, never what it points at).
 */
static bool own_path_bad(struct checker *k, const char *path, bool dir,
			 enum cp_check_level lvl)
{
	int r = dir ? cp_private_dir(path, k->s->shared, 0) : cp_check_file(path, 0);

	if (r >= 0)
		return false;
	if (k->repair && unlink(path) == 0) {
		say(k, CP_CHECK_REPAIRED, "removed %s (%s)", path, cp_errmsg());
		return true;
	}
	say(k, lvl, "%s%s", cp_errmsg(),
	    lvl == CP_CHECK_WARNING ? " ('complaint check --repair' removes it)" : "");
	return true;
}

/* complaint's own files under .git; false when the cache cannot be looked at. */
static bool check_own_files(struct checker *k)
{
	const char *dirs[2] = { git_repository_commondir(k->s->repo),
				git_repository_path(k->s->repo) };
	char path[4096];
	bool cache_ok = true;
	int i;

	for (i = 0; i < 2; i++) {
		if (i && !strcmp(dirs[0], dirs[1]))
			break;
		snprintf(path, sizeof(path), "%scomplaint", dirs[i]);
		if (own_path_bad(k, path, true, CP_CHECK_PROBLEM)) {
			if (!i)
				cache_ok = false;
			continue;
		}
		snprintf(path, sizeof(path), "%scomplaint/%s", dirs[i],
			 i ? "first-parent" : "cache");
		if (own_path_bad(k, path, false, CP_CHECK_WARNING) && !i)
			cache_ok = false;
		if (!i && !strcmp(dirs[0], dirs[1])) {
			snprintf(path, sizeof(path), "%scomplaint/first-parent", dirs[i]);
			own_path_bad(k, path, false, CP_CHECK_WARNING);
		}
	}
	snprintf(path, sizeof(path), "%scomplaint-lost", dirs[1]);
	own_path_bad(k, path, true, CP_CHECK_PROBLEM);
	return cache_ok;
}

int cp_store_check(const char *root, bool repair, cp_check_cb cb, void *data,
		   struct cp_check_stats *st)
{
	struct cp_store *s = xcalloc(1, sizeof(*s));
	struct sbuf why = SBUF_INIT;
	struct checker k;
	int rc, r = 0;

	memset(st, 0, sizeof(*st));
	memset(&k, 0, sizeof(k));
	k.il.fd = -1;
	k.s = s;
	k.repair = repair;
	k.cb = cb;
	k.data = data;
	k.st = st;
	s->root = xstrdup(root);
	s->lockfd = -1;
	cp_git_init();
	if (cp_store_preflight(root) < 0) {
		/* git itself would hang on it: nothing more can be looked at */
		say(&k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
		goto out;
	}
	rc = git_repository_open_ext(&s->repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0) {
		r = cp_git_error(rc, "cannot open the store's git repository");
		goto out;
	}
	if ((r = cp_store_repo_config(s)) < 0)
		goto out;
	/*
	 * The store's lock, as writers take it: a check sees the store
	 * between changes, never half way through one.
	 */
	if ((r = repair ? cp_store_flock(s, cp_store_lock_timeout())
			: cp_store_flock_reader(s, cp_store_lock_timeout())) < 0)
		goto out;
	/*
	 * A repair puts files back to HEAD: against an unborn branch, in the
	 * middle of a merge or with unmerged paths, HEAD is not what the
	 * work tree should be, and a repair would lose work.
	 */
	if (check_git_state(&k, &why) && repair) {
		r = cp_error(CP_EBUSY, "cannot repair the store: %s; nothing was changed", why.buf);
		goto out;
	}
	check_locks(&k);
	if (git_repository_head_unborn(s->repo) != 1)
		check_status(&k);	/* first: a repair changes what the cases say */
	git_error_clear();
	check_driver(&k);
	check_hooks(&k);
	check_rules(&k);
	if (cp_store_walk(s, INT32_MIN, INT32_MAX, check_case, &k) < 0)
		say(&k, CP_CHECK_PROBLEM, "%s", cp_errmsg());
	check_doubles(&k);
	if (check_own_files(&k))
		check_cache(&k);
out:
	free(k.ids);
	sbuf_release(&k.msg);
	sbuf_release(&why);
	cp_store_close(s);
	return r;
}
