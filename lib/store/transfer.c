/*
 * transfer.c - a sync's fetch and push, each in a child bounded by the
 * deadline (netjob.h).  A local remote (a path or file://) is pushed to
 * here with compare-and-swap on its branch, since libgit2's local
 * transport overwrites it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "netjob.h"
#include "priv.h"
#include "remote.h"
#include "syncer.h"
#include "complaint/i18n.h"

/* What the fetch child found (netjob.h). */
struct fetch_out {
	bool found;
	git_oid tip;
};

/* In the child: connect, find the branch, download what is missing. */
static int fetch_child(void *arg, void *out, int fd)
{
	struct cp_syncer *k = arg;
	struct fetch_out *res = out;
	const char *url = git_remote_url(k->remote);
	git_remote_callbacks cb;
	git_fetch_options fo;
	const git_remote_head **heads;
	size_t n, i;
	struct cp_sbuf spec = CP_SBUF_INIT;
	char *specs[1];
	git_strarray sa = { specs, 1 };
	int rc, r = 0;

	k->net.alive_fd = fd;
	cp_net_callbacks(&cb, &k->net);
	if ((rc = git_remote_connect(k->remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) < 0)
		return cp_net_error(rc, "cannot reach the remote", k->name, url);
	cp_netjob_alive(fd);
	if ((rc = git_remote_ls(&heads, &n, k->remote)) < 0) {
		r = cp_net_error(rc, "cannot list the branches of", k->name, url);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(heads[i]->name, k->rbranch.buf)) {
			git_oid_cpy(&res->tip, &heads[i]->oid);
			res->found = true;
		}
	if (!res->found)
		goto out;
	cp_sbuf_adds(&spec, k->rbranch.buf);
	specs[0] = spec.buf;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks = cb;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	if ((rc = git_remote_download(k->remote, &sa, &fo)) < 0)
		r = cp_net_error(rc, "cannot fetch from", k->name, url);
out:
	git_remote_disconnect(k->remote);
	cp_sbuf_release(&spec);
	return r;
}

/* "fetch from 'origin' (URL)" */
static void net_what(struct cp_syncer *k, const char *verb, char *buf, size_t size)
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
int cp_sync_fetch(git_oid *tip, bool *found, struct cp_syncer *k)
{
	const char *url = git_remote_url(k->remote);
	struct fetch_out res;
	char what[1024];
	int r;

	*found = false;
	if (!k->local_path.len && (url[0] == '/' || !strncmp(url, "./", 2) ||
				   !strncmp(url, "../", 3) || !strncmp(url, "file:", 5)))
		return cp_error(CP_ESYS, _("cannot reach the remote '%s'%s%s%s: there is no repository at that path"),
				k->name, strcmp(k->name, url) ? " (" : "",
				strcmp(k->name, url) ? url : "", strcmp(k->name, url) ? ")" : "");
	memset(&res, 0, sizeof(res));
	net_what(k, "fetch from", what, sizeof(what));
	if ((r = cp_netjob_run(&res, sizeof(res), what, k->o->timeout, fetch_child, k)) < 0)
		return r;
	*found = res.found;
	git_oid_cpy(tip, &res.tip);
	return 0;
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
/*
 * "STATUS: line; line" - why the remote refused a ref, with what its
 * hooks said (one line: the reasons a pre-receive hook gave).
 */
static void refusal(char *out, size_t size, const char *status, const char *said)
{
	size_t n;
	const char *p, *e;

	n = (size_t)snprintf(out, size, "%s", status);
	for (p = said; p && *p && n + 4 < size; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\r\n");
		if (e > p)
			n += (size_t)snprintf(out + n, size - n, "%s%.*s", n && out[n - 1] != ':' &&
					      p == said ? ": " : "; ", (int)(e - p), p);
		if (n >= size)
			break;
	}
}

/*
 * A local bare remote's pre-receive hook, run as git receive-pack runs it
 * (in the repository, GIT_DIR set, "OLD NEW REF" on its standard input)
 * before the branch moves: 0 when it accepts (or there is none), 1 when
 * it refuses (its output in said), or an error when it cannot be run.
 */
static int run_pre_receive(git_repository *r, const git_oid *old, const git_oid *new,
			   const char *ref, char **said)
{
	const char *dir = git_repository_path(r);
	char hook[PATH_MAX], line[300], o[GIT_OID_HEXSZ + 1], nw[GIT_OID_HEXSZ + 1], buf[4096];
	int in[2], out[2], status;
	ssize_t got;
	size_t have = 0;
	pid_t pid;

	snprintf(hook, sizeof(hook), "%shooks/pre-receive", dir);
	if (access(hook, X_OK) < 0)
		return 0;
	git_oid_tostr(o, sizeof(o), old);
	git_oid_tostr(nw, sizeof(nw), new);
	snprintf(line, sizeof(line), "%s %s %s\n", o, nw, ref);
	if (pipe(in) < 0)
		return cp_error(CP_ESYS, _("cannot run %s: %s"), hook, strerror(errno));
	if (pipe(out) < 0) {
		close(in[0]);
		close(in[1]);
		return cp_error(CP_ESYS, _("cannot run %s: %s"), hook, strerror(errno));
	}
	if ((pid = fork()) < 0) {
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		return cp_error(CP_ESYS, _("cannot run %s: %s"), hook, strerror(errno));
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		if (chdir(dir) < 0)
			_exit(127);
		setenv("GIT_DIR", ".", 1);
		unsetenv("GIT_INDEX_FILE");
		unsetenv("GIT_WORK_TREE");
		execl(hook, hook, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (write(in[1], line, strlen(line)) < 0) {
		/* a hook that reads nothing: its exit status decides */
	}
	close(in[1]);
	while ((got = read(out[0], buf, sizeof(buf))) > 0 || (got < 0 && errno == EINTR)) {
		if (got <= 0 || have > 8192)
			continue;
		*said = cp_xrealloc(*said, have + (size_t)got + 1);
		memcpy(*said + have, buf, (size_t)got);
		have += (size_t)got;
		(*said)[have] = '\0';
	}
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cp_error(CP_ESYS, _("cannot run %s: %s"), hook, strerror(errno));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int push_local(struct cp_syncer *k, const git_oid *tip, const git_oid *expect,
		      bool *raced)
{
	git_repository *r = NULL;
	git_revwalk *walk = NULL;
	git_packbuilder *pb = NULL;
	git_reference *ref = NULL;
	git_buf objdir = { 0 };
	struct cp_sbuf pack = CP_SBUF_INIT;
	char log[300];
	int rc, ret = 0;

	if ((rc = git_repository_open_ext(&r, k->local_path.buf, GIT_REPOSITORY_OPEN_NO_SEARCH,
					  NULL)) < 0) {
		ret = cp_net_error(rc, "cannot open the remote", k->name, git_remote_url(k->remote));
		goto out;
	}
	if (!git_repository_is_bare(r)) {
		ret = cp_error(CP_ESYS,
			       _("the remote '%s' is not a bare repository; a shared store must be one (git init --bare, or git clone --bare)"),
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
	cp_sbuf_addf(&pack, "%s%spack", objdir.ptr,
		  objdir.size && objdir.ptr[objdir.size - 1] == '/' ? "" : "/");
	if (git_packbuilder_object_count(pb) &&
	    (rc = git_packbuilder_write(pb, pack.buf, 0, NULL, NULL)) < 0) {
		ret = cp_net_error(rc, "cannot write to the remote", k->name, git_remote_url(k->remote));
		goto out;
	}
	/* the shared store guards itself (complaint hook install): as git push would */
	{
		git_oid zero;
		char *said = NULL;

		memset(&zero, 0, sizeof(zero));
		if ((rc = run_pre_receive(r, git_oid_is_zero(expect) ? &zero : expect, tip,
					  k->rbranch.buf, &said)) != 0) {
			if (rc > 0) {
				char why[4096];

				refusal(why, sizeof(why), "pre-receive hook declined", said);
				free(k->net.rejected);
				k->net.rejected = cp_xstrdup(why);
				*raced = true;
			}
			free(said);
			ret = rc < 0 ? rc : 0;
			goto out;
		}
		free(said);
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
		ret = cp_net_error(rc, "cannot update the branch of", k->name, git_remote_url(k->remote));
	}
out:
	git_buf_dispose(&objdir);
	git_reference_free(ref);
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	git_repository_free(r);
	cp_sbuf_release(&pack);
	return ret;
}

/* What the push child found, and what it was given. */
struct push_out {
	bool raced;
	char rejected[4096];
};

struct push_job {
	struct cp_syncer *k;
	const git_oid *tip, *expect;
};

/* In the child: the objects and the branch, to the remote. */
static int push_child(void *arg, void *out, int fd)
{
	struct push_job *j = arg;
	struct cp_syncer *k = j->k;
	struct push_out *res = out;
	git_push_options po;
	struct cp_sbuf spec = CP_SBUF_INIT;
	char *specs[1];
	git_strarray sa = { specs, 1 };
	int rc, r = 0;

	k->net.alive_fd = fd;
	free(k->net.rejected);
	k->net.rejected = NULL;
	free(k->net.said);
	k->net.said = NULL;
	if (k->local_path.len) {
		r = push_local(k, j->tip, j->expect, &res->raced);
		if (k->net.rejected)
			snprintf(res->rejected, sizeof(res->rejected), "%s", k->net.rejected);
		return r;
	}
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	cp_net_callbacks(&po.callbacks, &k->net);
	cp_sbuf_addf(&spec, "%s:%s", k->branch.buf, k->rbranch.buf);
	specs[0] = spec.buf;
	rc = git_remote_push(k->remote, &sa, &po);
	cp_sbuf_release(&spec);
	if (rc == GIT_ENONFASTFORWARD) {
		git_error_clear();
		res->raced = true;
	} else if (rc < 0) {
		r = cp_net_error(rc, "cannot push to", k->name, git_remote_url(k->remote));
	} else if (k->net.rejected) {
		res->raced = true;
		refusal(res->rejected, sizeof(res->rejected), k->net.rejected, k->net.said);
	}
	free(k->net.said);
	k->net.said = NULL;
	return r;
}

/*
 * Push the branch, without the store's lock: what is pushed is a commit
 * made under it, which cannot change; a change committed here meanwhile
 * goes with it (a local remote gets exactly tip) or with the next sync.
 * *raced: the remote moved since the fetch (certainly, or - when the
 * remote only said no - maybe: the next fetch tells).
 */
int cp_sync_push(bool *raced, struct cp_syncer *k, const git_oid *tip,
		const git_oid *expect)
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
	if ((r = cp_netjob_run(&res, sizeof(res), what, k->o->timeout, push_child, &j)) < 0)
		return r;
	*raced = res.raced;
	if (res.rejected[0])
		k->net.rejected = cp_xstrdup(res.rejected);
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
