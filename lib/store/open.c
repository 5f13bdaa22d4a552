/*
 * open.c - finding a store, opening it (its repository, config, policy
 * and roster) and what a caller asks of an open store.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "fsutil.h"
#include "index_file.h"
#include "lock_owner.h"
#include "priv.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

int cp_store_discover(char **root, const char *dir)
{
	char cwd[PATH_MAX], *p;

	*root = NULL;
	if (dir) {
		if (!realpath(dir, cwd))
			return cp_error(CP_EUSAGE, _("cannot use store '%s': %s"), dir,
					strerror(errno));
		if (!cp_dir_has_entry(cwd, "policy.yaml") || !cp_dir_has_git(cwd))
			return cp_error_hint(CP_EUSAGE, CP_HINT_INIT,
					_("'%s' is not a complaint store (no policy.yaml and .git at its top)"),
					dir);
		*root = cp_xstrdup(cwd);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return cp_error(CP_ESYS, _("cannot find the working directory: %s"),
				strerror(errno));
	for (;;) {
		if (cp_dir_has_entry(cwd, "policy.yaml") && cp_dir_has_git(cwd)) {
			*root = cp_xstrdup(cwd);
			return 0;
		}
		p = strrchr(cwd, '/');
		if (!p || p == cwd)
			break;
		*p = '\0';
	}
	if (cp_dir_has_entry("/", "policy.yaml") && cp_dir_has_git("/")) {
		*root = cp_xstrdup("/");
		return 0;
	}
	return cp_error_hint(CP_EUSAGE, CP_HINT_NO_STORE,
			     _("not in a complaint store (or any parent)"));
}

static int load_policy_org(struct cp_store *s)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	int r;

	cp_policy_free(s->policy);
	cp_org_free(s->org);
	s->policy = NULL;
	s->org = NULL;
	if ((r = cp_store_read(&buf, s, "policy.yaml")) < 0)
		goto out;
	if ((r = cp_policy_parse(&s->policy, "policy.yaml", buf.buf, buf.len)) < 0)
		goto out;
	cp_sbuf_reset(&buf);
	if ((r = cp_store_read(&buf, s, "org.yaml")) < 0)
		goto out;
	if ((r = cp_org_parse(&s->org, "org.yaml", buf.buf, buf.len)) < 0)
		goto out;
	r = cp_org_check_policy(s->org, s->policy);
out:
	cp_sbuf_release(&buf);
	return r;
}

int cp_store_repo_config(struct cp_store *s)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	int rc, r = 0;

	s->shared = 0;
	if ((rc = git_repository_config_snapshot(&cfg, s->repo)) < 0)
		return cp_git_error(rc, "cannot read the repository's config");
	rc = git_config_get_string_buf(&b, cfg, "core.sharedRepository");
	if (rc == 0)
		r = cp_shared_parse(&s->shared, b.ptr);
	else if (rc != GIT_ENOTFOUND)
		r = cp_git_error(rc, "cannot read core.sharedRepository");
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(cfg);
	if (r == 0 && s->shared)
		cp_shared_umask(s->shared);
	return r;
}

int cp_store_open(struct cp_store **out, const char *root)
{
	struct cp_store *s = cp_xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->root = cp_xstrdup(root);
	s->lockfd = -1;
	cp_git_init();
	if ((rc = cp_store_preflight(root)) < 0) {
		cp_store_close(s);
		return rc;
	}
	rc = git_repository_open_ext(&s->repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH,
				     NULL);
	if (rc < 0) {
		rc = cp_git_error(rc, "cannot open the store's git repository");
		cp_store_close(s);
		return rc;
	}
	if (git_repository_is_bare(s->repo)) {
		cp_store_close(s);
		return cp_error(CP_EUSAGE, _("'%s' is a bare repository, not a store"), root);
	}
	if ((rc = cp_store_repo_config(s)) < 0 || (rc = load_policy_org(s)) < 0) {
		cp_store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void cp_store_close(struct cp_store *s)
{
	if (!s)
		return;
	cp_store_unlock(s);
	git_tree_free(s->asof_tree);
	git_repository_free(s->repo);
	cp_policy_free(s->policy);
	cp_org_free(s->org);
	free(s->root);
	free(s);
	cp_git_shutdown();
}

const char *cp_store_root(const struct cp_store *s)
{
	return s->root;
}

const struct cp_policy *cp_store_policy(const struct cp_store *s)
{
	return s->policy;
}

const struct cp_org *cp_store_org(const struct cp_store *s)
{
	return s->org;
}

void cp_store_set_cache(struct cp_store *s, bool on)
{
	s->cache = on;
}

void cp_store_walk_stats(struct cp_walk_stats *out, const struct cp_store *s)
{
	*out = s->walked;
}

void cp_store_set_walk_stats(struct cp_store *s, const struct cp_walk_stats *st)
{
	s->walked = *st;
}

bool cp_store_cache_on(const struct cp_store *s)
{
	return s->cache;
}

const char *cp_store_gitdir(const struct cp_store *s)
{
	return git_repository_path(s->repo);
}

const char *cp_store_commondir(const struct cp_store *s)
{
	return git_repository_commondir(s->repo);
}

int cp_store_shared(const struct cp_store *s)
{
	return s->shared;
}

void cp_store_identity(char **name, char **email, struct cp_store *s)
{
	cp_git_identity(name, email, s ? s->repo : NULL);
}
