/*
 * sync.c - many sites, one history (libgit2): clone, sync, and the merge
 * driver.
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

#include "case_merge.h"
#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "index_file.h"
#include "netjob.h"
#include "priv.h"
#include "yaml_subset.h"

/* ---- small helpers ---- */

static bool is_store_file(const char *p)
{
	return !strncmp(p, "cases/", 6) || !strcmp(p, "policy.yaml") ||
	       !strcmp(p, "org.yaml") || !strcmp(p, ".gitattributes");
}

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

static void hex(char out[41], const git_oid *id)
{
	git_oid_tostr(out, 41, id);
}

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/* ---- network callbacks ---- */

struct net {
	int ssh_try;		/* the next ssh credential to offer */
	char *rejected;		/* a ref the remote refused, and why */
	int alive_fd;		/* netjob_alive(): the remote showed a sign of life */
};

static const char *local_user(void)
{
	const char *u = getenv("USER");

	return u && *u ? u : "git";
}

/*
 * ssh: the agent (when SSH_AUTH_SOCK is set), then ~/.ssh/id_ed25519,
 * id_ecdsa and id_rsa, each once per connection.  Other schemes get no
 * credentials from us (a URL may carry them).
 */
static int credentials_cb(git_credential **out, const char *url,
			  const char *user_from_url, unsigned int allowed,
			  void *payload)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	struct net *n = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : local_user();
	const char *home = getenv("HOME");

	(void)url;
	netjob_alive(n->alive_fd);
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY))
		return GIT_PASSTHROUGH;
	while (n->ssh_try < 4) {
		int k = n->ssh_try++;
		char key[PATH_MAX], pub[PATH_MAX];
		struct stat st;

		if (k == 0) {
			if (getenv("SSH_AUTH_SOCK") && *getenv("SSH_AUTH_SOCK"))
				return git_credential_ssh_key_from_agent(out, user);
			continue;
		}
		if (!home)
			break;
		snprintf(key, sizeof(key), "%s/.ssh/%s", home, keys[k - 1]);
		if (stat(key, &st) < 0)
			continue;
		snprintf(pub, sizeof(pub), "%s.pub", key);
		return git_credential_ssh_key_new(out, user,
						  stat(pub, &st) == 0 ? pub : NULL, key, NULL);
	}
	git_error_set_str(GIT_ERROR_SSH,
			  "ssh authentication failed (tried the ssh agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa)");
	return GIT_EAUTH;
}

static int push_ref_cb(const char *ref, const char *status, void *payload)
{
	struct net *n = payload;

	(void)ref;
	if (status && !n->rejected)
		n->rejected = xstrdup(status);
	return 0;
}

/* Every callback is a sign of life for the deadline (netjob.h). */
static int cert_cb(git_cert *cert, int valid, const char *host, void *payload)
{
	(void)cert;
	(void)valid;
	(void)host;
	netjob_alive(((struct net *)payload)->alive_fd);
	return GIT_PASSTHROUGH;		/* libgit2's own check decides */
}

static int sideband_cb(const char *str, int len, void *payload)
{
	(void)str;
	(void)len;
	netjob_alive(((struct net *)payload)->alive_fd);
	return 0;
}

static int transfer_cb(const git_indexer_progress *stats, void *payload)
{
	(void)stats;
	netjob_alive(((struct net *)payload)->alive_fd);
	return 0;
}

static int pack_cb(int stage, uint32_t current, uint32_t total, void *payload)
{
	(void)stage;
	(void)current;
	(void)total;
	netjob_alive(((struct net *)payload)->alive_fd);
	return 0;
}

static int push_progress_cb(unsigned int current, unsigned int total, size_t bytes,
			    void *payload)
{
	(void)current;
	(void)total;
	(void)bytes;
	netjob_alive(((struct net *)payload)->alive_fd);
	return 0;
}

static void init_callbacks(git_remote_callbacks *cb, struct net *n)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials_cb;
	cb->push_update_reference = push_ref_cb;
	cb->certificate_check = cert_cb;
	cb->sideband_progress = sideband_cb;
	cb->transfer_progress = transfer_cb;
	cb->pack_progress = pack_cb;
	cb->push_transfer_progress = push_progress_cb;
	cb->payload = n;
	n->ssh_try = 0;
}

/* An error from talking to the remote, with a hint where one helps. */
static int net_error(int rc, const char *what, const char *name, const char *url)
{
	const char *hint = "";

	if (rc == GIT_ECERTIFICATE)
		hint = " (the host's ssh key is not in ~/.ssh/known_hosts, or it changed: check it, then add it, e.g. with ssh-keyscan)";
	else if (rc == GIT_EAUTH)
		hint = " (load a key into ssh-agent, or put one in ~/.ssh)";
	if (!strcmp(name, url))
		return cp_error(CP_ESYS, "%s '%s': %s%s", what, url, git_msg(), hint);
	return cp_error(CP_ESYS, "%s '%s' (%s): %s%s", what, name, url, git_msg(), hint);
}

/* file:///x, file://localhost/x or an existing directory: a local remote. */
static bool local_path(const char *url, struct sbuf *path)
{
	struct stat st;
	const char *p;

	sbuf_reset(path);
	if (!strncmp(url, "file://", 7)) {
		p = url + 7;
		if (!strncmp(p, "localhost/", 10))
			p += 9;
		if (*p != '/')
			return false;
		for (; *p; p++) {
			unsigned int c;

			if (*p == '%' && sscanf(p + 1, "%2x", &c) == 1 &&
			    p[1] && p[2]) {
				sbuf_addch(path, (int)c);
				p += 2;
			} else {
				sbuf_addch(path, *p);
			}
		}
		return true;
	}
	if (strstr(url, "://"))
		return false;
	if (stat(url, &st) == 0 && S_ISDIR(st.st_mode)) {
		sbuf_adds(path, url);
		return true;
	}
	return false;
}

/* ---- the sync ---- */

struct syncer {
	struct cp_store *s;
	git_repository *repo;
	const struct cp_sync_opts *o;
	git_remote *remote;
	const char *name;		/* as given: a name or a URL */
	bool named;			/* a configured remote */
	struct sbuf local_path;		/* the remote's path when it is local */
	struct sbuf branch;		/* refs/heads/<ours> */
	struct sbuf rbranch;		/* refs/heads/<theirs> on the remote */
	struct sbuf tracking;		/* refs/remotes/<name>/<theirs>, or "" */
	struct sbuf display;		/* origin/main */
	struct net net;
	size_t cases_merged, files_changed;
};

static void note(struct syncer *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct syncer *k, const char *fmt, ...)
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
		struct sbuf more = SBUF_INIT;

		if (dirty > 1)
			sbuf_addf(&more, " (and %zu more file%s)", dirty - 1, dirty > 2 ? "s" : "");
		r = cp_error(CP_EBUSY,
			     "%s%s %s; nothing was changed: commit %s, or run 'complaint check' (--repair %s), then sync",
			     first, more.buf,
			     untracked ? "is not committed" : "has changes that are not committed",
			     dirty > 1 ? "them" : "it",
			     untracked ? "moves it aside" : "restores the committed version");
		sbuf_release(&more);
	}
	git_status_list_free(list);
	return r;
}

static int head_branch(struct syncer *k)
{
	git_reference *head = NULL;
	const char *t;
	int rc;

	if ((rc = git_reference_lookup(&head, k->repo, "HEAD")) < 0)
		return cp_git_error(rc, "cannot read HEAD");
	t = git_reference_symbolic_target(head);
	if (!t || strncmp(t, "refs/heads/", 11)) {
		git_reference_free(head);
		return cp_error(CP_EBUSY, "HEAD is detached; check out the store's branch first");
	}
	sbuf_adds(&k->branch, t);
	git_reference_free(head);
	return 0;
}

/* Under the lock: HEAD still names the branch found before the fetch. */
static int head_branch_same(struct syncer *k)
{
	struct sbuf was = SBUF_INIT;
	int r;

	sbuf_adds(&was, k->branch.buf);
	sbuf_reset(&k->branch);
	if ((r = head_branch(k)) == 0 && strcmp(was.buf, k->branch.buf))
		r = cp_error(CP_EBUSY,
			     "HEAD moved from %s to %s while fetching; sync again",
			     was.buf + 11, k->branch.buf + 11);
	sbuf_release(&was);
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
		r = xstrdup(v);
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
static int remote_paths(struct syncer *k)
{
	const char *url = git_remote_url(k->remote);
	struct sbuf rel = SBUF_INIT;
	char real[PATH_MAX];
	int rc = 0;

	if (k->named && url[0] != '/' && !strstr(url, "://")) {
		sbuf_addf(&rel, "%s/%s", cp_store_root(k->s), url);
		if (local_path(rel.buf, &k->local_path) && realpath(rel.buf, real)) {
			sbuf_reset(&k->local_path);
			sbuf_adds(&k->local_path, real);
			if ((rc = git_remote_set_instance_url(k->remote, real)) == 0)
				rc = git_remote_set_instance_pushurl(k->remote, real);
		}
	} else {
		local_path(url, &k->local_path);
	}
	sbuf_release(&rel);
	if (rc < 0)
		return cp_git_error(rc, "cannot use the remote's path");
	return 0;
}

/*
 * A remote without the url.<base>.insteadOf rewriting: libgit2 1.5.1
 * scans the whole configuration for it with a regular expression and
 * leaks a little on every entry that does not match (fixed in 1.6).
 */
static int remote_new(git_remote **out, git_repository *repo, const char *name,
		      const char *url)
{
	git_remote_create_options ro;

	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.name = name;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	if (!name)
		ro.flags |= GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(out, url, &ro);
}

static int open_remote(struct syncer *k)
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
		rc = remote_new(&k->remote, k->repo, NULL, url);
		if (rc == 0 && pushurl)
			rc = git_remote_set_instance_pushurl(k->remote, pushurl);
	} else if (strchr(k->name, '/') || strchr(k->name, ':')) {
		rc = remote_new(&k->remote, k->repo, NULL, k->name);
	} else {
		free(pushurl);
		return cp_error(CP_EUSAGE,
				"no remote '%s' in this store (add one with 'git remote add %s URL', or give a URL or path)",
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
		sbuf_adds(&k->rbranch, up_merge);
	else
		sbuf_adds(&k->rbranch, k->branch.buf);
	free(up_remote);
	free(up_merge);
	if (k->named) {
		sbuf_addf(&k->tracking, "refs/remotes/%s/%s", k->name, k->rbranch.buf + 11);
		sbuf_addf(&k->display, "%s/%s", k->name, k->rbranch.buf + 11);
	} else {
		sbuf_addf(&k->display, "%s %s", k->name, k->rbranch.buf + 11);
	}
	return remote_paths(k);
}

/* What the fetch child found (netjob.h). */
struct fetch_out {
	bool found;
	git_oid tip;
};

/* In the child: connect, find the branch, download what is missing. */
static int fetch_child(void *arg, void *out, int fd)
{
	struct syncer *k = arg;
	struct fetch_out *res = out;
	const char *url = git_remote_url(k->remote);
	git_remote_callbacks cb;
	git_fetch_options fo;
	const git_remote_head **heads;
	size_t n, i;
	struct sbuf spec = SBUF_INIT;
	char *specs[1];
	git_strarray sa = { specs, 1 };
	int rc, r = 0;

	k->net.alive_fd = fd;
	init_callbacks(&cb, &k->net);
	if ((rc = git_remote_connect(k->remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) < 0)
		return net_error(rc, "cannot reach the remote", k->name, url);
	netjob_alive(fd);
	if ((rc = git_remote_ls(&heads, &n, k->remote)) < 0) {
		r = net_error(rc, "cannot list the branches of", k->name, url);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(heads[i]->name, k->rbranch.buf)) {
			git_oid_cpy(&res->tip, &heads[i]->oid);
			res->found = true;
		}
	if (!res->found)
		goto out;
	sbuf_adds(&spec, k->rbranch.buf);
	specs[0] = spec.buf;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks = cb;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	if ((rc = git_remote_download(k->remote, &sa, &fo)) < 0)
		r = net_error(rc, "cannot fetch from", k->name, url);
out:
	git_remote_disconnect(k->remote);
	sbuf_release(&spec);
	return r;
}

/* "fetch from 'origin' (URL)" */
static void net_what(struct syncer *k, const char *verb, char *buf, size_t size)
{
	const char *url = git_remote_url(k->remote);

	if (strcmp(k->name, url))
		snprintf(buf, size, "%s '%s' (%s)", verb, k->name, url);
	else
		snprintf(buf, size, "%s '%s'", verb, url);
}

/*
 * Fetch the remote branch, without the store's lock: the objects go into
 * the object database (which takes no lock: nothing refers to them yet).
 * *found says whether the remote has the branch; *tip is its commit.
 * The remote-tracking ref is recorded later, under the lock.
 */
static int fetch(struct syncer *k, git_oid *tip, bool *found)
{
	const char *url = git_remote_url(k->remote);
	struct fetch_out res;
	char what[1024];
	int r;

	*found = false;
	if (!k->local_path.len && (url[0] == '/' || !strncmp(url, "./", 2) ||
				   !strncmp(url, "../", 3) || !strncmp(url, "file:", 5)))
		return cp_error(CP_ESYS, "cannot reach the remote '%s'%s%s%s: there is no repository at that path",
				k->name, strcmp(k->name, url) ? " (" : "",
				strcmp(k->name, url) ? url : "", strcmp(k->name, url) ? ")" : "");
	memset(&res, 0, sizeof(res));
	net_what(k, "fetch from", what, sizeof(what));
	if ((r = netjob_run(what, k->o->timeout, fetch_child, k, &res, sizeof(res))) < 0)
		return r;
	*found = res.found;
	git_oid_cpy(tip, &res.tip);
	return 0;
}

/* Under the lock: the remote-tracking ref says what the fetch saw. */
static int record_fetch(struct syncer *k, const git_oid *tip, bool found)
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
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		v[i].gone = d->status == GIT_DELTA_DELETED;
		v[i].path = xstrdup(v[i].gone ? d->old_file.path : d->new_file.path);
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
				"%s was changed here and at the remote in ways that do not merge; nothing was changed: merge it by hand (git pull, edit %s, git commit), then sync",
				path, path);
	return cp_error(CP_EBUSY,
			"%s was changed here and at the remote in ways that do not merge; nothing was changed: merge it by hand (git pull), then sync",
			path);
}

/* The policy the merged tree will hold: theirs when only they changed it. */
static int merged_policy(git_repository *repo, git_tree *tree,
			 struct cp_policy **out)
{
	struct sbuf buf = SBUF_INIT;
	int r;

	*out = NULL;
	if ((r = cp_git_read_blob(repo, tree, "policy.yaml", &buf, 1)) == 1)
		r = cp_error(CP_EDATA, "the merged store has no policy.yaml");
	if (r == 0)
		r = cp_policy_parse(out, "policy.yaml (merged)", buf.buf, buf.len);
	if (r == 0 && (r = cp_policy_use(*out)) < 0) {
		cp_policy_free(*out);
		*out = NULL;
	}
	sbuf_release(&buf);
	return r;
}

/* git's line merge of a file that is not a case; 1 when it conflicts. */
static int text_merge(git_repository *repo, const struct sbuf *b, bool has_base,
		      const struct sbuf *o, const struct sbuf *t, const char *path,
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
static int merge(struct syncer *k, const git_oid *local, const git_oid *remote,
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
	struct sbuf b = SBUF_INIT, o = SBUF_INIT, t = SBUF_INIT, out = SBUF_INIT;
	struct sbuf msg = SBUF_INIT, trailers = SBUF_INIT, summary = SBUF_INIT;
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
	upd = xcalloc(ntheirs + 1, sizeof(*upd));
	cases = xcalloc(ntheirs + 1, sizeof(*cases));

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
				     "%s was deleted on one side and changed on the other; nothing was changed: settle it by hand (git pull), then sync",
				     tc->path);
			goto out;
		}
		if (is_case_file(tc->path)) {
			cases[ncases++] = j;
			continue;
		}
		sbuf_reset(&b);
		sbuf_reset(&o);
		sbuf_reset(&t);
		if ((rc = cp_git_read_blob(k->repo, bt, tc->path, &b, 1)) < 0 ||
		    (r = cp_git_read_blob(k->repo, lt, tc->path, &o, 1)) < 0 ||
		    (r = cp_git_read_blob(k->repo, rt, tc->path, &t, 1)) < 0) {
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
			cp_error_wrap("cannot merge case files");
			goto out;
		}
	}
	for (i = 0; i < ncases; i++) {
		const char *p = theirs[cases[i]].path;
		char cid[CP_ID_MAX + 8];
		git_oid id;
		int hb;

		sbuf_reset(&b);
		sbuf_reset(&o);
		sbuf_reset(&t);
		sbuf_reset(&out);
		if ((hb = cp_git_read_blob(k->repo, bt, p, &b, 1)) < 0 ||
		    (r = cp_git_read_blob(k->repo, lt, p, &o, 1)) < 0 ||
		    (r = cp_git_read_blob(k->repo, rt, p, &t, 1)) < 0) {
			r = hb < 0 ? hb : r;
			goto out;
		}
		if (cp_case_merge(policy, hb ? NULL : b.buf, hb ? 0 : b.len, o.buf, o.len,
				  t.buf, t.len, p, &out) < 0) {
			char why[1024];

			snprintf(why, sizeof(why), "%s", cp_errmsg());
			r = cp_error(CP_EBUSY, "%s; nothing was changed: settle it by hand (git pull), then sync",
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
		sbuf_addf(&trailers, "Merged-Case: %s\n", cid);
		k->cases_merged++;
	}
	if ((rc = git_tree_create_updated(&tree_oid, k->repo, lt, nupd, upd)) < 0 ||
	    (rc = git_tree_lookup(&tree, k->repo, &tree_oid)) < 0) {
		r = cp_git_error(rc, "cannot build the merged tree");
		goto out;
	}
	if ((r = cp_git_signature(&sig, k->o->actor, k->o->email, k->o->now)) < 0)
		goto out;
	{
		struct cp_commit_info ci;
		const git_commit *parents[2] = { lc, rc_ };

		sbuf_addf(&summary, "merge %s", k->display.buf);
		if (k->cases_merged)
			sbuf_addf(&summary, " (%zu case%s merged by their events)",
				  k->cases_merged, k->cases_merged == 1 ? "" : "s");
		memset(&ci, 0, sizeof(ci));
		ci.action = "sync";
		ci.summary = summary.buf;
		ci.actor = k->o->actor;
		ci.email = k->o->email;
		ci.now = k->o->now;
		ci.extra_trailers = trailers.len ? trailers.buf : NULL;
		cp_commit_message(&msg, &ci);
		if ((rc = git_commit_create(merged, k->repo, NULL, sig, sig, NULL, msg.buf,
					    tree, 2, parents)) < 0)
			r = cp_git_error(rc, "cannot write the merge commit");
	}
out:
	sbuf_release(&b);
	sbuf_release(&o);
	sbuf_release(&t);
	sbuf_release(&out);
	sbuf_release(&msg);
	sbuf_release(&trailers);
	sbuf_release(&summary);
	free(upd);
	free(cases);
	free_changes(ours, nours);
	free_changes(theirs, ntheirs);
	if (policy) {
		cp_policy_free(policy);
		cp_policy_use(cp_store_policy(k->s));
	}
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
static int move_to(struct syncer *k, const git_oid *from, const git_oid *to)
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
	paths = xcalloc(npaths + 1, sizeof(*paths));
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
	    (r = cp_git_index_borrow(k->s, &il, false, &idx)) < 0)
		goto out;
	if (npaths && (rc = git_checkout_tree(k->repo, (git_object *)tt, &co)) < 0) {
		r = rc == GIT_ECONFLICT
			? cp_error(CP_EBUSY,
				   "files the remote changed have local changes that are not committed (%s); nothing was changed: commit them, then sync",
				   git_msg())
			: cp_git_error(rc, "cannot update the work tree");
		goto out;
	}
	snprintf(log, sizeof(log), "complaint: sync with %s", k->display.buf);
	rc = git_reference_create_matching(&ref, k->repo, k->branch.buf, to, 1, from, log);
	if (rc < 0) {
		r = cp_git_error(rc, "cannot move the branch");
		/* put the work tree and the index back */
		co.baseline = tt;
		co.notify_cb = NULL;
		co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		if (npaths)
			git_checkout_tree(k->repo, (git_object *)ft, &co);
		goto out;
	}
	k->files_changed += n;
	if ((r = cp_git_index_install(k->s, &il, &idx)) < 0)
		cp_error_wrap("the sync is committed, but the index is stale (run 'complaint check --repair')");
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

/*
 * Add to pb what tree t holds that tree p (the same place in the parent,
 * or NULL) does not: subtrees both share are skipped whole.
 */
static int pack_tree_change(git_packbuilder *pb, git_repository *repo,
			    const git_tree *t, const git_tree *p)
{
	size_t i, n = git_tree_entrycount(t);
	int rc;

	if (p && git_oid_equal(git_tree_id(t), git_tree_id(p)))
		return 0;
	if ((rc = git_packbuilder_insert(pb, git_tree_id(t), NULL)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const git_tree_entry *pe = p ? git_tree_entry_byname(p, git_tree_entry_name(e)) : NULL;
		git_tree *sub = NULL, *psub = NULL;

		if (pe && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(pe)))
			continue;
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			rc = git_packbuilder_insert(pb, git_tree_entry_id(e), git_tree_entry_name(e));
		} else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
			if (rc == 0 && pe && git_tree_entry_type(pe) == GIT_OBJECT_TREE)
				rc = git_tree_lookup(&psub, repo, git_tree_entry_id(pe));
			if (rc == 0)
				rc = pack_tree_change(pb, repo, sub, psub);
			git_tree_free(sub);
			git_tree_free(psub);
		} else {
			rc = 0;	/* submodules are not the store's */
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Add to pb the commits of walk and the objects each adds to its first
 * parent.  Every object a pushed commit reaches is then either sent, or
 * reached by a commit the remote has (libgit2's own walk marks the whole
 * tree of every commit the remote has, which costs the store's size).
 */
static int pack_new_objects(git_packbuilder *pb, git_repository *repo,
			    git_revwalk *walk)
{
	git_oid id;
	int rc;

	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *t = NULL, *pt = NULL;

		if ((rc = git_commit_lookup(&c, repo, &id)) == 0 &&
		    (rc = git_packbuilder_insert(pb, &id, NULL)) == 0 &&
		    (rc = git_commit_tree(&t, c)) == 0 &&
		    (git_commit_parentcount(c) == 0 ||
		     ((rc = git_commit_parent(&parent, c, 0)) == 0 &&
		      (rc = git_commit_tree(&pt, parent)) == 0)))
			rc = pack_tree_change(pb, repo, t, pt);
		git_tree_free(t);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
		if (rc < 0)
			return rc;
	}
	return rc == GIT_ITEROVER ? 0 : rc;
}

/*
 * Push to a remote on this machine: the objects, then the branch moved
 * with compare-and-swap from expect (zero: create it).  *raced is set
 * when the branch moved meanwhile.
 */
static int push_local(struct syncer *k, const git_oid *tip, const git_oid *expect,
		      bool *raced)
{
	git_repository *r = NULL;
	git_revwalk *walk = NULL;
	git_packbuilder *pb = NULL;
	git_reference *ref = NULL;
	git_buf objdir = { 0 };
	struct sbuf pack = SBUF_INIT;
	char log[300];
	int rc, ret = 0;

	if ((rc = git_repository_open_ext(&r, k->local_path.buf, GIT_REPOSITORY_OPEN_NO_SEARCH,
					  NULL)) < 0) {
		ret = net_error(rc, "cannot open the remote", k->name, git_remote_url(k->remote));
		goto out;
	}
	if (!git_repository_is_bare(r)) {
		ret = cp_error(CP_ESYS,
			       "the remote '%s' is not a bare repository; a shared store must be one (git init --bare, or git clone --bare)",
			       k->local_path.buf);
		goto out;
	}
	if ((rc = git_revwalk_new(&walk, k->repo)) < 0 ||
	    (rc = git_revwalk_push(walk, tip)) < 0 ||
	    (!git_oid_is_zero(expect) && (rc = git_revwalk_hide(walk, expect)) < 0) ||
	    (rc = git_packbuilder_new(&pb, k->repo)) < 0 ||
	    (rc = pack_new_objects(pb, k->repo, walk)) < 0) {
		ret = cp_git_error(rc, "cannot collect the commits to push");
		goto out;
	}
	if ((rc = git_repository_item_path(&objdir, r, GIT_REPOSITORY_ITEM_OBJECTS)) < 0) {
		ret = cp_git_error(rc, "cannot find the remote's objects");
		goto out;
	}
	sbuf_addf(&pack, "%s%spack", objdir.ptr,
		  objdir.size && objdir.ptr[objdir.size - 1] == '/' ? "" : "/");
	if (git_packbuilder_object_count(pb) &&
	    (rc = git_packbuilder_write(pb, pack.buf, 0, NULL, NULL)) < 0) {
		ret = net_error(rc, "cannot write to the remote", k->name, git_remote_url(k->remote));
		goto out;
	}
	snprintf(log, sizeof(log), "push by complaint sync (%s)", k->o->actor);
	if (git_oid_is_zero(expect))
		rc = git_reference_create(&ref, r, k->rbranch.buf, tip, 0, log);
	else
		rc = git_reference_create_matching(&ref, r, k->rbranch.buf, tip, 1, expect, log);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED) {
		git_error_clear();
		*raced = true;
	} else if (rc < 0) {
		ret = net_error(rc, "cannot update the branch of", k->name, git_remote_url(k->remote));
	}
out:
	git_buf_dispose(&objdir);
	git_reference_free(ref);
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	git_repository_free(r);
	sbuf_release(&pack);
	return ret;
}

/* What the push child found, and what it was given. */
struct push_out {
	bool raced;
	char rejected[512];
};

struct push_job {
	struct syncer *k;
	const git_oid *tip, *expect;
};

/* In the child: the objects and the branch, to the remote. */
static int push_child(void *arg, void *out, int fd)
{
	struct push_job *j = arg;
	struct syncer *k = j->k;
	struct push_out *res = out;
	git_push_options po;
	struct sbuf spec = SBUF_INIT;
	char *specs[1];
	git_strarray sa = { specs, 1 };
	int rc, r = 0;

	k->net.alive_fd = fd;
	free(k->net.rejected);
	k->net.rejected = NULL;
	if (k->local_path.len)
		return push_local(k, j->tip, j->expect, &res->raced);
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	init_callbacks(&po.callbacks, &k->net);
	sbuf_addf(&spec, "%s:%s", k->branch.buf, k->rbranch.buf);
	specs[0] = spec.buf;
	rc = git_remote_push(k->remote, &sa, &po);
	sbuf_release(&spec);
	if (rc == GIT_ENONFASTFORWARD) {
		git_error_clear();
		res->raced = true;
	} else if (rc < 0) {
		r = net_error(rc, "cannot push to", k->name, git_remote_url(k->remote));
	} else if (k->net.rejected) {
		res->raced = true;
		snprintf(res->rejected, sizeof(res->rejected), "%s", k->net.rejected);
	}
	return r;
}

/*
 * Push the branch, without the store's lock: what is pushed is a commit
 * made under it, which cannot change; a change committed here meanwhile
 * goes with it (a local remote gets exactly tip) or with the next sync.
 * *raced: the remote moved since the fetch (certainly, or - when the
 * remote only said no - maybe: the next fetch tells).
 */
static int push(struct syncer *k, const git_oid *tip, const git_oid *expect,
		bool *raced)
{
	struct push_job j = { k, tip, expect };
	struct push_out res;
	git_reference *ref = NULL;
	char what[1024];
	int r;

	*raced = false;
	free(k->net.rejected);
	k->net.rejected = NULL;
	memset(&res, 0, sizeof(res));
	net_what(k, "push to", what, sizeof(what));
	if ((r = netjob_run(what, k->o->timeout, push_child, &j, &res, sizeof(res))) < 0)
		return r;
	*raced = res.raced;
	if (res.rejected[0])
		k->net.rejected = xstrdup(res.rejected);
	if (*raced || !k->named)
		return 0;
	/*
	 * What a fetch would record now.  Without the lock another sync may
	 * be recording too: the ref only mirrors the remote, and the next
	 * fetch sets it right, so a failure here is no failure of the sync.
	 */
	if (git_reference_create(&ref, k->repo, k->tracking.buf, tip, 1,
				 "complaint: sync: push") < 0)
		git_error_clear();
	git_reference_free(ref);
	return 0;
}

int cp_sync(struct cp_store *s, const struct cp_sync_opts *o,
	    struct cp_sync_result *res)
{
	struct syncer k;
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
	sbuf_init(&k.local_path);
	sbuf_init(&k.branch);
	sbuf_init(&k.rbranch);
	sbuf_init(&k.tracking);
	sbuf_init(&k.display);

	/* before any wait on the network (cp_store_lock looks again) */
	if ((r = cp_store_git_busy(s)) < 0)
		goto out;
	if ((r = head_branch(&k)) < 0)
		goto out;
	if (git_repository_head_unborn(k.repo) == 1) {
		r = cp_error(CP_EBUSY, "the store has no commit yet");
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

		if ((r = fetch(&k, &remote, &found)) < 0)
			goto out;
		if ((r = cp_store_lock(s, o->lock_timeout_ms)) < 0)
			goto out;
		if ((r = head_branch_same(&k)) < 0 || (r = check_clean(k.repo)) < 0 ||
		    (r = record_fetch(&k, &remote, found)) < 0)
			goto out;
		if (res->tries > 1) {
			/* refused, or did it move? */
			if (refused && found && git_oid_equal(&remote, &last_expect)) {
				r = cp_error(CP_ESYS, "the remote '%s' refused the push to %s: %s",
					     k.name, k.rbranch.buf + 11, refused);
				goto out;
			}
			free(refused);
			refused = NULL;
			note(&k, "%s moved while pushing; merging again (try %d of %d)",
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
					     "the history of %s has nothing in common with this store's; is it a clone of the same store?",
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
				if ((r = move_to(&k, &tip, &remote)) < 0)
					goto out;
				ff_any = true;
				tip = remote;
			} else {
				if ((r = merge(&k, &tip, &remote, &base, &merged)) < 0 ||
				    (r = move_to(&k, &tip, &merged)) < 0)
					goto out;
				merged_any = true;
				tip = merged;
				need_push = true;
			}
		}
		cp_store_unlock(s);
		if (!need_push)
			break;
		if ((r = push(&k, &tip, &remote, &raced)) < 0)
			goto out;
		if (!raced) {
			pushed = true;
			break;
		}
		if (k.net.rejected)
			refused = xstrdup(k.net.rejected);
		last_expect = remote;
		if (res->tries >= tries) {
			r = cp_error(CP_EBUSY,
				     "the remote kept moving while pushing (%d tries); nothing is lost: the merged history is committed here, run 'complaint sync' again",
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
	git_remote_free(k.remote);
	sbuf_release(&k.local_path);
	sbuf_release(&k.branch);
	sbuf_release(&k.rbranch);
	sbuf_release(&k.tracking);
	sbuf_release(&k.display);
	return r;
}

/* ---- clone ---- */

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0;	/* the directory itself is handled by the caller */
	return remove(path) < 0 ? -1 : 0;
}

/* Remove dir's contents, and dir too unless keep. */
static void remove_tree(const char *dir, bool keep)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (!keep)
		rmdir(dir);
}

static int empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

static int count_case(const char *path, const char *buf, size_t len, void *data)
{
	(void)path;
	(void)buf;
	(void)len;
	(*(size_t *)data)++;
	return 0;
}

static int clone_remote(git_remote **out, git_repository *repo, const char *name,
			const char *url, void *payload)
{
	(void)payload;
	return remote_new(out, repo, name, url);
}

struct clone_job {
	const char *url, *dir;
};

static void checkout_cb(const char *path, size_t done, size_t total, void *payload)
{
	(void)path;
	(void)done;
	(void)total;
	netjob_alive(((struct net *)payload)->alive_fd);
}

/* In the child: the clone itself (libgit2 removes what it made on failure). */
static int clone_child(void *arg, void *out, int fd)
{
	struct clone_job *j = arg;
	git_clone_options co;
	git_repository *repo = NULL;
	struct net n;
	int rc;

	(void)out;
	memset(&n, 0, sizeof(n));
	n.alive_fd = fd;
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	init_callbacks(&co.fetch_opts.callbacks, &n);
	co.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	co.remote_cb = clone_remote;
	/* writing the work tree is progress too */
	co.checkout_opts.progress_cb = checkout_cb;
	co.checkout_opts.progress_payload = &n;
	rc = git_clone(&repo, j->url, j->dir, &co);
	git_repository_free(repo);
	free(n.rejected);
	if (rc < 0)
		return net_error(rc, "cannot clone", j->url, j->url);
	return 0;
}

int cp_clone(const char *url, const char *dir, int timeout,
	     struct cp_clone_result *res)
{
	struct clone_job job;
	git_repository *repo = NULL;
	git_reference *head = NULL;
	struct cp_store *s = NULL;
	struct stat st;
	char real[PATH_MAX], what[PATH_MAX + 16];
	struct sbuf abs = SBUF_INIT;
	bool existed = false;
	int rc, r = 0;

	memset(res, 0, sizeof(*res));
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || empty_dir(dir) != 1)
			return cp_error(CP_EUSAGE, "'%s' already exists and is not an empty directory",
					dir);
		existed = true;
	}
	/* a local path is recorded absolute, so that it works from the clone */
	if (local_path(url, &abs) && abs.buf[0] != '/' && realpath(abs.buf, real)) {
		sbuf_reset(&abs);
		sbuf_adds(&abs, real);
		url = abs.buf;
	}
	cp_git_init();
	job.url = url;
	job.dir = dir;
	snprintf(what, sizeof(what), "clone '%s'", url);
	if ((r = netjob_run(what, timeout, clone_child, &job, NULL, 0)) < 0)
		goto fail;	/* a clone killed half way leaves its files */
	if ((rc = git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) < 0) {
		r = cp_git_error(rc, "cannot open the clone");
		goto fail;
	}
	if (git_repository_head_unborn(repo) == 1) {
		r = cp_error(CP_EUSAGE,
			     "'%s' has no commits yet: make the store at one site (complaint init), add this remote there (git remote add origin URL), run 'complaint sync', then clone",
			     url);
		goto fail;
	}
	if ((rc = git_repository_head(&head, repo)) == 0)
		snprintf(res->branch, sizeof(res->branch), "%s", git_reference_shorthand(head));
	git_error_clear();
	git_repository_free(repo);
	repo = NULL;
	if (!realpath(dir, real)) {
		r = cp_error(CP_ESYS, "cannot use '%s': %s", dir, strerror(errno));
		goto fail;
	}
	if ((r = cp_store_open(&s, real)) < 0) {
		cp_error_wrap("'%s' is not a complaint store", url);
		goto fail;
	}
	if ((r = cp_store_setup(s)) < 0)
		goto fail;
	cp_store_walk(s, INT32_MIN, INT32_MAX, count_case, &res->cases);
	goto out;
fail:
	git_repository_free(repo);
	repo = NULL;
	cp_store_close(s);
	s = NULL;
	remove_tree(dir, existed);
out:
	sbuf_release(&abs);
	git_reference_free(head);
	git_repository_free(repo);
	cp_store_close(s);
	cp_git_shutdown();
	return r;
}

/* ---- the merge driver ---- */

static int write_over(const char *file, const char *buf, size_t len)
{
	int r = cp_check_file(file, 0);	/* git's own temporary file: never a FIFO */
	int fd;

	if (r < 0)
		return r;
	fd = open(file, O_WRONLY | O_TRUNC | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return cp_error(CP_ESYS, "cannot write '%s': %s", file, strerror(errno));
	r = cp_write_all(fd, buf, len, file);
	if (close(fd) < 0 && r == 0)
		r = cp_error(CP_ESYS, "cannot write '%s': %s", file, strerror(errno));
	return r;
}

/* git's own line merge with conflict markers, written into ours. */
static void conflict_markers(const struct sbuf *b, const struct sbuf *o,
			     const struct sbuf *t, const char *path,
			     const char *ours_file)
{
	git_merge_file_input bi, oi, ti;
	git_merge_file_options mo;
	git_merge_file_result mr;

	memset(&mr, 0, sizeof(mr));
	git_merge_file_input_init(&bi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&oi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&ti, GIT_MERGE_FILE_INPUT_VERSION);
	bi.ptr = b->buf;
	bi.size = b->len;
	bi.path = path;
	oi.ptr = o->buf;
	oi.size = o->len;
	oi.path = path;
	ti.ptr = t->buf;
	ti.size = t->len;
	ti.path = path;
	git_merge_file_options_init(&mo, GIT_MERGE_FILE_OPTIONS_VERSION);
	mo.ancestor_label = "base";
	mo.our_label = "ours";
	mo.their_label = "theirs";
	if (git_merge_file(&mr, &bi, &oi, &ti, &mo) == 0 && mr.ptr)
		write_over(ours_file, mr.ptr, mr.len);
	git_merge_file_result_free(&mr);
	git_error_clear();
}

int cp_merge_file(const char *root, const char *base, const char *ours,
		  const char *theirs, const char *path)
{
	struct sbuf b = SBUF_INIT, o = SBUF_INIT, t = SBUF_INIT, out = SBUF_INIT;
	struct sbuf pol = SBUF_INIT, pfile = SBUF_INIT;
	struct cp_policy *p = NULL;
	char why[2048];
	int r, kind;

	if ((r = cp_read_file(&b, base, YAML_MAX_FILE, 0)) < 0 ||
	    (r = cp_read_file(&o, ours, YAML_MAX_FILE, 0)) < 0 ||
	    (r = cp_read_file(&t, theirs, YAML_MAX_FILE, 0)) < 0)
		goto out;
	if (!root) {
		r = cp_error(CP_EDATA, "no store found to read the policy from");
	} else {
		sbuf_addf(&pfile, "%s/policy.yaml", root);
		if ((r = cp_read_file(&pol, pfile.buf, YAML_MAX_FILE, 0)) == 0 &&
		    (r = cp_policy_parse(&p, "policy.yaml", pol.buf, pol.len)) == 0)
			r = cp_policy_use(p);
	}
	if (r == 0)
		r = cp_case_merge(p, b.buf, b.len, o.buf, o.len, t.buf, t.len, path, &out);
	if (r == 0) {
		r = write_over(ours, out.buf, out.len);
		goto out;
	}
	/* leave what git would have left: the line merge with markers */
	kind = cp_errkind() == CP_EDATA || cp_errkind() == CP_EBUSY ? CP_EBUSY : cp_errkind();
	snprintf(why, sizeof(why), "%s", cp_errmsg());
	cp_git_init();
	conflict_markers(&b, &o, &t, path, ours);
	cp_git_shutdown();
	r = cp_error(kind ? kind : CP_EBUSY, "%s", why);
out:
	cp_policy_free(p);
	sbuf_release(&b);
	sbuf_release(&o);
	sbuf_release(&t);
	sbuf_release(&out);
	sbuf_release(&pol);
	sbuf_release(&pfile);
	return r;
}
