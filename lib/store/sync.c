/*
 * sync.c - many sites, one history (libgit2): the rounds of a sync.
 *
 * A sync is rounds of fetch, integrate, push:
 *
 *   fetch      connect, read the remote's branch tip, download what is
 *              missing, update the remote-tracking ref.
 *   integrate  nothing (up to date, or only local commits), fast-forward
 *              (only remote commits), or merge: git_merge_commits() in
 *              memory; every case file changed on both sides is merged
 *              again by cp_case_merge() (whether git's line merge
 *              conflicted or not) and its blob put in the index; any other
 *              conflict (policy.yaml, org.yaml) refuses the sync.  The
 *              merge commit is written, the work tree and index are
 *              checked out from it (safely: nothing uncommitted is ever
 *              overwritten) and the branch moved with compare-and-swap.
 *   push       the branch to the remote.  A local remote (a path or
 *              file://) is updated here with compare-and-swap on its
 *              branch, since libgit2's local transport overwrites it;
 *              others go through git_remote_push().  When the remote
 *              moved since the fetch the push is rejected, and the next
 *              round fetches and merges again.
 *
 * Everything that can refuse (a dirty work tree, a conflict) is found
 * before the work tree, the index or a ref is touched.
 */
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "netjob.h"
#include "priv.h"
#include "remote.h"
#include "syncer.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static bool is_store_file(const char *p)
{
	return !strncmp(p, "cases/", 6) || !strcmp(p, "policy.yaml") ||
	       !strcmp(p, "org.yaml") || !strcmp(p, ".gitattributes");
}

static void hex(char out[41], const git_oid *id)
{
	git_oid_tostr(out, 41, id);
}

static void note(struct cp_syncer *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct cp_syncer *k, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!k->o->note)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	k->o->note(buf, k->o->data);
}

/* No store file may differ from HEAD, in the index or the work tree. */
static int check_clean(git_repository *repo)
{
	git_status_options so;
	git_status_list *list = NULL;
	const char *first = NULL;
	bool untracked = false;
	size_t i, n, dirty = 0;
	int rc, r = 0;

	/* status reads every .gitignore and .gitattributes: none may block it */
	if (git_repository_workdir(repo) &&
	    (r = cp_store_preflight_tree(git_repository_workdir(repo))) < 0)
		return r;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if ((rc = git_status_list_new(&list, repo, &so)) < 0)
		return cp_git_error(rc, "cannot compare the work tree with HEAD");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir
							       : e->head_to_index;
		const char *path;

		if (e->status == GIT_STATUS_CURRENT || e->status == GIT_STATUS_IGNORED || !d)
			continue;
		path = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (!is_store_file(path))
			continue;
		if (!dirty++) {
			first = path;
			untracked = e->status == GIT_STATUS_WT_NEW;
		}
	}
	if (dirty) {
		struct cp_sbuf more = CP_SBUF_INIT;

		if (dirty > 1)
			cp_sbuf_addf(&more, Q_(" (and %zu more file)", " (and %zu more files)", dirty - 1),
				  dirty - 1);
		r = cp_error_hint(CP_EBUSY, untracked ? CP_HINT_REPAIR_ASIDE : CP_HINT_REPAIR_RESTORE,
			     _("%s%s %s; nothing was changed: commit %s, then sync"),
			     first, more.buf,
			     untracked ? "is not committed" : "has changes that are not committed",
			     dirty > 1 ? "them" : "it");
		cp_sbuf_release(&more);
	}
	git_status_list_free(list);
	return r;
}

static int head_branch(struct cp_syncer *k)
{
	git_reference *head = NULL;
	const char *t;
	int rc;

	if ((rc = git_reference_lookup(&head, k->repo, "HEAD")) < 0)
		return cp_git_error(rc, "cannot read HEAD");
	t = git_reference_symbolic_target(head);
	if (!t || strncmp(t, "refs/heads/", 11)) {
		git_reference_free(head);
		return cp_error(CP_EBUSY, _("HEAD is detached; check out the store's branch first"));
	}
	cp_sbuf_adds(&k->branch, t);
	git_reference_free(head);
	return 0;
}

/* Under the lock: HEAD still names the branch found before the fetch. */
static int head_branch_same(struct cp_syncer *k)
{
	struct cp_sbuf was = CP_SBUF_INIT;
	int r;

	cp_sbuf_adds(&was, k->branch.buf);
	cp_sbuf_reset(&k->branch);
	if ((r = head_branch(k)) == 0 && strcmp(was.buf, k->branch.buf))
		r = cp_error(CP_EBUSY,
			     _("HEAD moved from %s to %s while fetching; sync again"),
			     was.buf + 11, k->branch.buf + 11);
	cp_sbuf_release(&was);
	return r;
}

static char *config_str(git_repository *repo, const char *key)
{
	git_config *cfg = NULL, *snap = NULL;
	const char *v;
	char *r = NULL;

	if (git_repository_config(&cfg, repo) == 0 &&
	    git_config_snapshot(&snap, cfg) == 0 &&
	    git_config_get_string(&v, snap, key) == 0)
		r = cp_xstrdup(v);
	git_config_free(snap);
	git_config_free(cfg);
	git_error_clear();
	return r;
}

/*
 * A remote on this machine: note its path.  A relative path in a remote's
 * configuration is relative to the top of the work tree, as for git; one
 * given on the command line, to the working directory.
 */
static int remote_paths(struct cp_syncer *k)
{
	const char *url = git_remote_url(k->remote);
	struct cp_sbuf rel = CP_SBUF_INIT;
	char real[PATH_MAX];
	int rc = 0;

	if (k->named && url[0] != '/' && !strstr(url, "://")) {
		cp_sbuf_addf(&rel, "%s/%s", cp_store_root(k->s), url);
		if (cp_remote_local_path(&k->local_path, rel.buf) && realpath(rel.buf, real)) {
			cp_sbuf_reset(&k->local_path);
			cp_sbuf_adds(&k->local_path, real);
			if ((rc = git_remote_set_instance_url(k->remote, real)) == 0)
				rc = git_remote_set_instance_pushurl(k->remote, real);
		}
	} else {
		cp_remote_local_path(&k->local_path, url);
	}
	cp_sbuf_release(&rel);
	if (rc < 0)
		return cp_git_error(rc, "cannot use the remote's path");
	return 0;
}

static int open_remote(struct cp_syncer *k)
{
	const char *bname = k->branch.buf + 11;
	char key[512];
	char *url, *pushurl, *up_remote, *up_merge;
	int rc;

	/* a configured remote, used for its URLs (the refspecs are ours) */
	snprintf(key, sizeof(key), "remote.%s.url", k->name);
	url = config_str(k->repo, key);
	snprintf(key, sizeof(key), "remote.%s.pushurl", k->name);
	pushurl = config_str(k->repo, key);
	if (url) {
		k->named = true;
		rc = cp_remote_new(&k->remote, k->repo, NULL, url);
		if (rc == 0 && pushurl)
			rc = git_remote_set_instance_pushurl(k->remote, pushurl);
	} else if (strchr(k->name, '/') || strchr(k->name, ':')) {
		rc = cp_remote_new(&k->remote, k->repo, NULL, k->name);
	} else {
		free(pushurl);
		return cp_error(CP_EUSAGE,
				_("no remote '%s' in this store (add one with 'git remote add %s URL', or give a URL or path)"),
				k->name, k->name);
	}
	free(url);
	free(pushurl);
	if (rc < 0)
		return cp_git_error(rc, "cannot use the remote");
	git_error_clear();
	/* the branch to sync with: the upstream when it is on this remote */
	snprintf(key, sizeof(key), "branch.%s.remote", bname);
	up_remote = config_str(k->repo, key);
	snprintf(key, sizeof(key), "branch.%s.merge", bname);
	up_merge = config_str(k->repo, key);
	if (k->named && up_remote && up_merge && !strcmp(up_remote, k->name) &&
	    !strncmp(up_merge, "refs/heads/", 11))
		cp_sbuf_adds(&k->rbranch, up_merge);
	else
		cp_sbuf_adds(&k->rbranch, k->branch.buf);
	free(up_remote);
	free(up_merge);
	if (k->named) {
		cp_sbuf_addf(&k->tracking, "refs/remotes/%s/%s", k->name, k->rbranch.buf + 11);
		cp_sbuf_addf(&k->display, "%s/%s", k->name, k->rbranch.buf + 11);
	} else {
		cp_sbuf_addf(&k->display, "%s %s", k->name, k->rbranch.buf + 11);
	}
	return remote_paths(k);
}

/* Under the lock: the remote-tracking ref says what the fetch saw. */
static int record_fetch(struct cp_syncer *k, const git_oid *tip, bool found)
{
	git_reference *ref = NULL;
	int rc;

	if (!k->named || !found)
		return 0;
	rc = git_reference_create(&ref, k->repo, k->tracking.buf, tip, 1,
				  "complaint: sync: fetch");
	git_reference_free(ref);
	if (rc < 0)
		return cp_git_error(rc, "cannot record the fetched branch");
	return 0;
}

int cp_sync(struct cp_sync_result *res, struct cp_store *s,
	    const struct cp_sync_opts *o)
{
	struct cp_syncer k;
	git_oid tip, remote, base, merged, last_expect;
	bool found, raced, merged_any = false, ff_any = false, pushed = false;
	char *refused = NULL;
	int tries = o->tries > 0 ? o->tries : CP_SYNC_TRIES;
	int rc, r = 0;

	memset(res, 0, sizeof(*res));
	memset(&k, 0, sizeof(k));
	memset(&last_expect, 0, sizeof(last_expect));
	k.s = s;
	k.repo = s->repo;
	k.o = o;
	k.name = o->remote && *o->remote ? o->remote : "origin";
	cp_sbuf_init(&k.local_path);
	cp_sbuf_init(&k.branch);
	cp_sbuf_init(&k.rbranch);
	cp_sbuf_init(&k.tracking);
	cp_sbuf_init(&k.display);

	/* before any wait on the network (cp_store_lock looks again) */
	if ((r = cp_store_git_busy(s)) < 0)
		goto out;
	if ((r = head_branch(&k)) < 0)
		goto out;
	if (git_repository_head_unborn(k.repo) == 1) {
		r = cp_error(CP_EBUSY, _("the store has no commit yet"));
		goto out;
	}
	if ((r = open_remote(&k)) < 0)
		goto out;
	snprintf(res->remote_branch, sizeof(res->remote_branch), "%s", k.display.buf);

	/*
	 * The store's lock is held only to integrate: the fetch and the push
	 * wait on the network without it, so a remote that hangs never
	 * blocks the site's own work.
	 */
	for (res->tries = 1;; res->tries++) {
		git_reference *br = NULL;
		bool need_push = false;

		if ((r = cp_sync_fetch(&remote, &found, &k)) < 0)
			goto out;
		if ((r = cp_store_lock(s, o->lock_timeout_ms)) < 0)
			goto out;
		if ((r = head_branch_same(&k)) < 0 || (r = check_clean(k.repo)) < 0 ||
		    (r = record_fetch(&k, &remote, found)) < 0)
			goto out;
		if (res->tries > 1) {
			/* refused, or did it move? */
			if (refused && found && git_oid_equal(&remote, &last_expect)) {
				r = cp_error(CP_ESYS, _("the remote '%s' refused the push to %s: %s"),
					     k.name, k.rbranch.buf + 11, refused);
				goto out;
			}
			free(refused);
			refused = NULL;
			note(&k, _("%s moved while pushing; merging again (try %d of %d)"),
			     k.display.buf, res->tries, tries);
		}
		if ((rc = git_reference_lookup(&br, k.repo, k.branch.buf)) < 0) {
			r = cp_git_error(rc, "cannot read the branch");
			goto out;
		}
		git_oid_cpy(&tip, git_reference_target(br));
		git_reference_free(br);

		if (!found) {
			memset(&remote, 0, sizeof(remote));
			need_push = true;
		} else if (git_oid_equal(&tip, &remote)) {
			need_push = false;
		} else {
			rc = git_merge_base(&base, k.repo, &tip, &remote);
			if (rc == GIT_ENOTFOUND) {
				r = cp_error(CP_EBUSY,
					     _("the history of %s has nothing in common with this store's; is it a clone of the same store?"),
					     k.display.buf);
				goto out;
			}
			if (rc < 0) {
				r = cp_git_error(rc, "cannot compare the two histories");
				goto out;
			}
			if (git_oid_equal(&base, &remote)) {
				need_push = true;	/* only local commits */
			} else if (git_oid_equal(&base, &tip)) {
				if ((r = cp_sync_move_to(&k, &tip, &remote)) < 0)
					goto out;
				ff_any = true;
				tip = remote;
			} else {
				if ((r = cp_sync_merge(&k, &tip, &remote, &base, &merged)) < 0 ||
				    (r = cp_sync_move_to(&k, &tip, &merged)) < 0)
					goto out;
				merged_any = true;
				tip = merged;
				need_push = true;
			}
		}
		cp_store_unlock(s);
		if (!need_push)
			break;
		if ((r = cp_sync_push(&raced, &k, &tip, &remote)) < 0)
			goto out;
		if (!raced) {
			pushed = true;
			break;
		}
		if (k.net.rejected)
			refused = cp_xstrdup(k.net.rejected);
		last_expect = remote;
		if (res->tries >= tries) {
			r = cp_error_hint(CP_EBUSY, CP_HINT_SYNC_AGAIN,
				     _("the remote kept moving while pushing (%d tries); nothing is lost: the merged history is committed here"),
				     tries);
			goto out;
		}
	}
	res->how = merged_any ? CP_SYNC_MERGED : ff_any ? CP_SYNC_FAST_FORWARD
			    : pushed ? CP_SYNC_PUSHED : CP_SYNC_UP_TO_DATE;
	res->cases_merged = k.cases_merged;
	res->files_changed = k.files_changed;
	hex(res->head, &tip);
	/* a sync that pushed a new branch makes it the upstream, as git push -u */
	if (pushed && k.named && !found) {
		git_config *cfg = NULL;
		char key[512];

		if (git_repository_config(&cfg, k.repo) == 0) {
			snprintf(key, sizeof(key), "branch.%s.remote", k.branch.buf + 11);
			if (git_config_set_string(cfg, key, k.name) == 0) {
				snprintf(key, sizeof(key), "branch.%s.merge", k.branch.buf + 11);
				git_config_set_string(cfg, key, k.rbranch.buf);
			}
			git_config_free(cfg);
		}
		git_error_clear();
	}
out:
	cp_store_unlock(s);
	free(refused);
	free(k.net.rejected);
	free(k.net.said);
	git_remote_free(k.remote);
	cp_sbuf_release(&k.local_path);
	cp_sbuf_release(&k.branch);
	cp_sbuf_release(&k.rbranch);
	cp_sbuf_release(&k.tracking);
	cp_sbuf_release(&k.display);
	return r;
}
