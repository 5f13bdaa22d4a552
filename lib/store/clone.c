/*
 * clone.c - a new site: clone a store (in a child bounded by the
 * deadline), check that it is one, and set up its own config.
 */
#include <ftw.h>
#include <dirent.h>
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
#include "netjob.h"
#include "priv.h"
#include "remote.h"
#include "complaint/i18n.h"

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
	return cp_remote_new(out, repo, name, url);
}

struct clone_job {
	const char *url, *dir;
};

static void checkout_cb(const char *path, size_t done, size_t total, void *payload)
{
	(void)path;
	(void)done;
	(void)total;
	cp_netjob_alive(((struct cp_net *)payload)->alive_fd);
}

/* In the child: the clone itself (libgit2 removes what it made on failure). */
static int clone_child(void *arg, void *out, int fd)
{
	struct clone_job *j = arg;
	git_clone_options co;
	git_repository *repo = NULL;
	struct cp_net n;
	int rc;

	(void)out;
	memset(&n, 0, sizeof(n));
	n.alive_fd = fd;
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	cp_net_callbacks(&co.fetch_opts.callbacks, &n);
	co.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	co.remote_cb = clone_remote;
	/* writing the work tree is progress too */
	co.checkout_opts.progress_cb = checkout_cb;
	co.checkout_opts.progress_payload = &n;
	rc = git_clone(&repo, j->url, j->dir, &co);
	git_repository_free(repo);
	free(n.rejected);
	free(n.said);
	if (rc < 0)
		return cp_net_error(rc, "cannot clone", j->url, j->url);
	return 0;
}

int cp_clone(struct cp_clone_result *res, const char *url, const char *dir,
	     int timeout)
{
	struct clone_job job;
	git_repository *repo = NULL;
	git_reference *head = NULL;
	struct cp_store *s = NULL;
	struct stat st;
	char real[PATH_MAX], what[PATH_MAX + 16];
	struct cp_sbuf abs = CP_SBUF_INIT;
	bool existed = false;
	int rc, r = 0;

	memset(res, 0, sizeof(*res));
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || empty_dir(dir) != 1)
			return cp_error(CP_EUSAGE, _("'%s' already exists and is not an empty directory"),
					dir);
		existed = true;
	}
	/* a local path is recorded absolute, so that it works from the clone */
	if (cp_remote_local_path(&abs, url) && abs.buf[0] != '/' && realpath(abs.buf, real)) {
		cp_sbuf_reset(&abs);
		cp_sbuf_adds(&abs, real);
		url = abs.buf;
	}
	cp_git_init();
	job.url = url;
	job.dir = dir;
	snprintf(what, sizeof(what), "clone '%s'", url);
	if ((r = cp_netjob_run(NULL, 0, what, timeout, clone_child, &job)) < 0)
		goto fail;	/* a clone killed half way leaves its files */
	if ((rc = git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) < 0) {
		r = cp_git_error(rc, "cannot open the clone");
		goto fail;
	}
	if (git_repository_head_unborn(repo) == 1) {
		r = cp_error_hint(CP_EUSAGE, CP_HINT_EMPTY_REMOTE, _("'%s' has no commits yet"),
			     url);
		goto fail;
	}
	if ((rc = git_repository_head(&head, repo)) == 0)
		snprintf(res->branch, sizeof(res->branch), "%s", git_reference_shorthand(head));
	git_error_clear();
	git_repository_free(repo);
	repo = NULL;
	if (!realpath(dir, real)) {
		r = cp_error(CP_ESYS, _("cannot use '%s': %s"), dir, strerror(errno));
		goto fail;
	}
	if ((r = cp_store_open(&s, real)) < 0) {
		cp_error_wrap(_("'%s' is not a complaint store"), url);
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
	cp_sbuf_release(&abs);
	git_reference_free(head);
	git_repository_free(repo);
	cp_store_close(s);
	cp_git_shutdown();
	return r;
}
