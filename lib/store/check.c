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
#include "checker.h"
#include "complaint/error.h"
#include "complaint/store.h"
#include "complaint/tz.h"
#include "fsutil.h"
#include "life.h"
#include "lock_owner.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static int check_rules(struct cp_checker *k)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	struct cp_store *s = k->s;
	int ok = 1;

	if (cp_store_read(&buf, s, "policy.yaml") < 0 ||
	    cp_policy_parse(&s->policy, "policy.yaml", buf.buf, buf.len) < 0) {
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
		ok = 0;
	}
	cp_sbuf_reset(&buf);
	if (cp_store_read(&buf, s, "org.yaml") < 0 ||
	    cp_org_parse(&s->org, "org.yaml", buf.buf, buf.len) < 0 ||
	    (s->policy && cp_org_check_policy(s->org, s->policy) < 0))
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
	cp_sbuf_release(&buf);
	return ok;
}

static void check_events(struct cp_checker *k, const char *path,
			 const struct cp_case *c)
{
	size_t i;

	/* each one: the commands that read skip them (cp_event_impossible) */
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].at < c->received)
			cp_check_say(k, CP_CHECK_PROBLEM,
			    _("%s: event %zu (%s) is before the case was received (the commands that read skip it)"),
			    path, i + 1, cp_evt_name(c->events[i].action));
}

/* The zone times without an offset are read in: the policy's, UTC without one. */
static const struct cp_tz *zone(const struct cp_checker *k)
{
	return k->s->policy ? k->s->policy->tz : cp_tz_utc();
}

static int check_case(const char *path, const char *buf, size_t len, void *data)
{
	struct cp_checker *k = data;
	struct cp_case *c = NULL;
	const char *base = strrchr(path, '/') + 1;
	struct cp_sbuf where = CP_SBUF_INIT, diff = CP_SBUF_INIT;
	int n, year;

	k->st->cases++;
	if (!buf) {
		k->st->bad_cases++;
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
		return 0;
	}
	if (cp_case_parse(&c, zone(k), path, buf, len) < 0) {
		k->st->bad_cases++;
		cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
		return 0;
	}
	if (c->unnormal_names)
		cp_check_say(k, CP_CHECK_WARNING,
		    Q_("%s:%d:%d: %zu name is not written in normal form (white space around it, or not NFC); read as one person with the normal form, and rewritten so by the next change",
		       "%s:%d:%d: %zu names are not written in normal form (white space around them, or not NFC); read as one person with the normal form, and rewritten so by the next change",
		       c->unnormal_names),
		    path, c->unnormal_line, c->unnormal_col, c->unnormal_names);
	if (strncmp(base, c->id, strlen(c->id)) || strcmp(base + strlen(c->id), ".yaml"))
		cp_check_say(k, CP_CHECK_PROBLEM, _("%s: the file is named for another case than its id '%s'"),
		    path, c->id);
	ALLOC_GROW(k->ids, k->nids + 1, k->aids);
	memcpy(k->ids[k->nids].id, c->id, sizeof(c->id));
	k->ids[k->nids++].path = cp_xstrdup(path);
	if (c->ndup) {
		struct cp_sbuf sb = CP_SBUF_INIT;

		cp_case_describe_copy(&sb, c, zone(k));
		if (c->dup_line > 0)
			cp_check_say(k, CP_CHECK_PROBLEM, _("%s:%d: %s; it counts once: remove the copy"),
			    path, c->dup_line, sb.buf);
		else
			cp_check_say(k, CP_CHECK_PROBLEM, _("%s: %s; it counts once: remove the copy"),
			    path, sb.buf);
		cp_sbuf_release(&sb);
	}
	if (k->s->policy) {
		cp_case_path(&where, c->id, zone(k), c->received);
		if (strcmp(where.buf, path))
			cp_check_say(k, CP_CHECK_PROBLEM, _("%s: a case received then belongs in %s"),
			    path, where.buf);
		if (cp_case_derive(c, k->s->policy) < 0) {
			k->st->bad_cases++;
			cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s: %s", path, cp_errmsg());
		} else {
			n = cp_case_check_derived(&diff, c, k->s->policy);
			if (n) {
				char *line = diff.buf, *nl;

				while (line && *line) {
					nl = strchr(line, '\n');
					if (nl)
						*nl = '\0';
					cp_check_say(k, CP_CHECK_PROBLEM, "%s: %s", path, line);
					line = nl ? nl + 1 : NULL;
				}
			}
			if (cp_case_check_range(c, zone(k)) < 0)
				cp_check_say_hint(k, CP_CHECK_PROBLEM, cp_errhint(), "%s: %s", path, cp_errmsg());
			{
				size_t f;

				for (f = 0; f < c->nfields; f++)
					if (!cp_policy_field(k->s->policy, c->field_ids[f]))
						cp_check_say(k, CP_CHECK_WARNING,
						    "%s: field '%s' is not in the policy's fields (it keeps reading; set it in the policy again or leave it)",
						    path, c->field_ids[f]);
			}
			cp_sbuf_reset(&diff);
			if (cp_life_time_problem(&diff, c, k->s->policy))
				cp_check_say(k, CP_CHECK_PROBLEM, "%s: %s", path, diff.buf);
			if ((year = cp_case_uncovered_year(c, k->s->policy)))
				cp_check_say(k, CP_CHECK_WARNING,
				    _("%s: a deadline falls in %d, which the policy's calendar does not cover (weekdays only)"),
				    path, year);
		}
		check_events(k, path, c);
	}
	cp_case_free(c);
	cp_sbuf_release(&where);
	cp_sbuf_release(&diff);
	return 0;
}

/* ---- the derived cache (lib/cache.c): every entry is the case its blob parses to ---- */

struct cache_check {
	struct cp_checker *k;
	size_t bad, checked;
};

static void check_cache_entry(const unsigned char oid[20], const char *path,
			      const struct cp_case *cs, void *data)
{
	struct cache_check *cc = data;
	struct cp_store *s = cc->k->s;
	struct cp_sbuf buf = CP_SBUF_INIT;
	struct cp_case *parsed = NULL;
	git_blob *b = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];

	memcpy(id.id, oid, 20);
	git_oid_tostr(hex, sizeof(hex), &id);
	if (git_blob_lookup(&b, s->repo, &id) == 0) {
		cp_sbuf_add(&buf, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	} else {
		/* not in git: an uncommitted file, when it still holds those bytes */
		char full[4096];
		git_oid now;

		git_error_clear();
		snprintf(full, sizeof(full), "%s/%s", s->root, path);
		if (!cs || cp_read_file(&buf, full, CP_YAML_MAX_FILE, 1) != 0 ||
		    cp_store_blob_id(now.id, s, path, buf.buf, buf.len) < 0 ||
		    !git_oid_equal(&now, &id)) {
			cp_error_clear();
			git_error_clear();
			cp_sbuf_release(&buf);
			if (!cs)
				goto wrong;
			return;	/* nothing left to compare it with */
		}
	}
	cc->checked++;
	if (cs && cp_case_parse(&parsed, zone(cc->k), path, buf.buf, buf.len) == 0 &&
	    cp_case_same(cs, parsed)) {
		cp_case_free(parsed);
		cp_sbuf_release(&buf);
		return;
	}
	cp_case_free(parsed);
	cp_error_clear();
	cp_sbuf_release(&buf);
wrong:
	cc->bad++;
	if (!cc->k->repair)
		cp_check_say_hint(cc->k, CP_CHECK_PROBLEM, CP_HINT_REPAIR_CACHE,
		    _("the cache entry for %s (blob %s) is not what the file parses to"),
		    path, hex);
}

static void check_cache(struct cp_checker *k)
{
	struct cache_check cc = { k, 0, 0 };
	struct cp_cache *c = cp_cache_open(git_repository_commondir(k->s->repo),
					    k->s->shared, cp_tz_name(zone(k)), false);
	long damaged = cp_cache_each(c, check_cache_entry, &cc);
	struct cp_sbuf path = CP_SBUF_INIT;

	cp_cache_close(c);
	if (damaged > 0)
		cp_check_say(k, CP_CHECK_WARNING,
		    Q_("%ld damaged entry in the cache (.git/complaint/cache): not used, rebuilt on the next read",
		       "%ld damaged entries in the cache (.git/complaint/cache): not used, rebuilt on the next read",
		       (unsigned long)damaged), damaged);
	if (cc.bad && k->repair) {
		cp_cache_path(&path, git_repository_commondir(k->s->repo));
		if (unlink(path.buf) == 0)
			cp_check_say(k, CP_CHECK_REPAIRED,
			    Q_("removed the cache %s: %zu entry did not match the files (rebuilt on the next read)",
			       "removed the cache %s: %zu entries did not match the files (rebuilt on the next read)",
			       cc.bad), path.buf, cc.bad);
		else
			cp_check_say(k, CP_CHECK_PROBLEM, _("cannot remove the cache %s: %s"), path.buf,
			    strerror(errno));
	}
	cp_sbuf_release(&path);
}

static int cmp_id(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->path, y->path);
}

/* A case in two files: name them all, and the one readers count. */
static void check_doubles(struct cp_checker *k)
{
	struct cp_sbuf msg = CP_SBUF_INIT;
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
		cp_sbuf_reset(&msg);
		cp_store_copies_message(&msg, k->ids[i].id,
					&files, cp_store_pick_copy(k->s, k->ids[i].id, &files));
		cp_check_say(k, CP_CHECK_PROBLEM, _("%s; remove the copy that is wrong (git rm, git commit)"),
		    msg.buf);
		free(files.v);	/* the paths are k->ids' */
	}
	cp_sbuf_release(&msg);
	for (i = 0; i < k->nids; i++)
		free(k->ids[i].path);
}

/*
 * A file or folder of our own under .git that is not what we make (a
 * symlink, a FIFO...): named, and removed by --repair (it holds only
 * what is rebuilt; a symlink is removed, never what it points at).
 */
static bool own_path_bad(struct cp_checker *k, const char *path, bool dir,
			 enum cp_check_level lvl)
{
	int r = dir ? cp_private_dir(path, k->s->shared, 0) : cp_check_file(path, 0);

	if (r >= 0)
		return false;
	if (k->repair && unlink(path) == 0) {
		cp_check_say(k, CP_CHECK_REPAIRED, _("removed %s (%s)"), path, cp_errmsg());
		return true;
	}
	cp_check_say_hint(k, lvl, lvl == CP_CHECK_WARNING ? CP_HINT_REPAIR_REMOVES : cp_errhint(),
			  "%s", cp_errmsg());
	return true;
}

/* complaint's own files under .git; false when the cache cannot be looked at. */
static bool check_own_files(struct cp_checker *k)
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

int cp_store_check(struct cp_check_stats *st, const char *root, bool repair, cp_check_cb cb,
		   void *data)
{
	struct cp_store *s = cp_xcalloc(1, sizeof(*s));
	struct cp_sbuf why = CP_SBUF_INIT;
	struct cp_checker k;
	int rc, r = 0;

	memset(st, 0, sizeof(*st));
	memset(&k, 0, sizeof(k));
	k.il.fd = -1;
	k.s = s;
	k.repair = repair;
	k.cb = cb;
	k.data = data;
	k.st = st;
	s->root = cp_xstrdup(root);
	s->lockfd = -1;
	cp_git_init();
	if (cp_store_preflight(root) < 0) {
		/* git itself would hang on it: nothing more can be looked at */
		cp_check_say_hint(&k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
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
	if (cp_check_git_state(&why, &k) && repair) {
		r = cp_error(CP_EBUSY, _("cannot repair the store: %s; nothing was changed"), why.buf);
		goto out;
	}
	cp_check_locks(&k);
	if (git_repository_head_unborn(s->repo) != 1)
		cp_check_status(&k);	/* first: a repair changes what the cases say */
	git_error_clear();
	cp_check_driver(&k);
	cp_check_hooks(&k);
	check_rules(&k);
	if (cp_store_walk(s, INT32_MIN, INT32_MAX, check_case, &k) < 0)
		cp_check_say_hint(&k, CP_CHECK_PROBLEM, cp_errhint(), "%s", cp_errmsg());
	check_doubles(&k);
	if (check_own_files(&k))
		check_cache(&k);
out:
	free(k.ids);
	cp_sbuf_release(&k.msg);
	cp_sbuf_release(&why);
	cp_store_close(s);
	return r;
}
