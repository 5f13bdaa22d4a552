/*
 * init.c - a new store: git init when needed, policy, roster and
 * .gitattributes written and committed as the first commit, the clone's
 * config set up.
 */
#include <errno.h>
#include <limits.h>
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
#include "complaint/i18n.h"

static int write_attributes(const char *dir)
{
	static const char attrs[] =
		"# complaint: case files merge by the union of their events\n"
		"cases/**/*.yaml merge=complaint-case\n";
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.gitattributes", dir);
	if (!lstat(path, &st))
		return 0;
	return cp_write_atomic(dir, ".gitattributes", attrs, sizeof(attrs) - 1);
}

int cp_store_init(const char *dir, const char *policy, size_t policy_len,
		  const char *org, size_t org_len, const struct cp_init_file *extra,
		  size_t nextra, const struct cp_commit_info *ci)
{
	struct cp_store *s = cp_xcalloc(1, sizeof(*s));
	char real[PATH_MAX];
	const char **paths = cp_xcalloc(3 + nextra, sizeof(*paths));
	const char **bufs = cp_xcalloc(3 + nextra, sizeof(*bufs));
	size_t *lens = cp_xcalloc(3 + nextra, sizeof(*lens));
	git_oid *blobs = cp_xcalloc(3 + nextra, sizeof(*blobs));
	struct cp_sbuf attrs = CP_SBUF_INIT;
	struct cp_index_lock il;
	git_index *idx = NULL;
	size_t i, n = 3, k;
	int rc, r = 0, wrote = 0, had_attrs, committed = 0;

	memset(&il, 0, sizeof(il));
	il.fd = -1;
	s->lockfd = -1;
	cp_git_init();
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		r = cp_error(CP_ESYS, _("cannot create '%s': %s"), dir, strerror(errno));
		goto out;
	}
	if (!realpath(dir, real)) {
		r = cp_error(CP_ESYS, _("cannot use '%s': %s"), dir, strerror(errno));
		goto out;
	}
	s->root = cp_xstrdup(real);
	if (cp_dir_has_entry(real, "policy.yaml")) {
		r = cp_error(CP_ERULE, _("'%s' already holds a store (policy.yaml exists)"), dir);
		goto out;
	}
	paths[0] = "policy.yaml";
	paths[1] = "org.yaml";
	paths[2] = ".gitattributes";
	/* the extra files (templates/): one the directory holds already stays its own */
	for (k = 0; k < nextra; k++) {
		char p[PATH_MAX];
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", real, extra[k].path);
		if (lstat(p, &st) == 0)
			continue;
		paths[n] = extra[k].path;
		bufs[n] = extra[k].data;
		lens[n++] = extra[k].len;
	}
	if (cp_dir_has_git(real) && (r = cp_store_preflight(real)) < 0)
		goto out;
	if (cp_dir_has_git(real))
		rc = git_repository_open_ext(&s->repo, real,
					     GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		rc = git_repository_init(&s->repo, real, 0);
	if (rc < 0) {
		r = cp_git_error(rc, "cannot create the git repository");
		goto out;
	}
	if ((r = cp_store_repo_config(s)) < 0 ||
	    (r = cp_store_lock_unborn(s, cp_store_lock_timeout())) < 0 ||
	    (r = cp_git_index_lock(s, &il)) < 0 ||
	    (r = cp_git_index_borrow(&idx, s, &il, false)) < 0)
		goto out;
	/* the commit's time is written with the offset of the policy's zone */
	if ((r = cp_policy_parse(&s->policy, "policy.yaml", policy, policy_len)) < 0)
		goto out;
	had_attrs = cp_dir_has_entry(real, ".gitattributes");
	wrote = 1;	/* from here a failure before the commit removes the files */
	if ((r = cp_write_atomic(real, "policy.yaml", policy, policy_len)) < 0 ||
	    (r = cp_write_atomic(real, "org.yaml", org, org_len)) < 0 ||
	    (r = write_attributes(real)) < 0)
		goto out;
	for (i = 3; i < n; i++)
		if ((r = cp_write_atomic(real, paths[i], bufs[i], lens[i])) < 0)
			goto out;
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/.gitattributes", real);
		if ((r = cp_read_file(&attrs, p, 1 << 20, 0)) < 0)
			goto out;
	}
	bufs[0] = policy;
	lens[0] = policy_len;
	bufs[1] = org;
	lens[1] = org_len;
	bufs[2] = attrs.buf;
	lens[2] = attrs.len;
	for (i = 0; i < n; i++)
		if ((rc = git_blob_create_from_buffer(&blobs[i], s->repo, bufs[i], lens[i])) < 0) {
			r = cp_git_error(rc, "cannot store the policy in git");
			goto out;
		}
	if ((r = cp_git_commit_paths(s, paths, blobs, n, ci)) < 0)
		goto out;
	committed = 1;
	if ((r = cp_git_index_update(s, &il, &idx, paths, blobs, n)) < 0)
		goto out;
	r = cp_store_setup(s);
out:
	if (r < 0 && wrote && !committed) {
		char p[PATH_MAX];

		for (i = 0; i < n; i++) {
			if (i == 2 && had_attrs)
				continue;
			snprintf(p, sizeof(p), "%s/%s", real, paths[i]);
			unlink(p);
		}
	}
	if (s->repo)
		cp_git_index_return(s, idx);
	cp_index_unlock(&il);
	cp_sbuf_release(&attrs);
	cp_store_close(s);
	free(paths);
	free(bufs);
	free(lens);
	free(blobs);
	return r;
}
