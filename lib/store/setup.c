/*
 * setup.c - what a clone's own .git/config needs so that plain git
 * works on the store: the case merge driver, and pull.rebase false (a
 * pull merges, so the driver runs; a rebase would replay case commits
 * one by one against the other site's).
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"
#include "complaint/i18n.h"

/* the config value of key in the repository's own file, or "" */
static void local_value(git_config *cfg, const char *key, char *out, size_t n)
{
	git_config *local = NULL;
	git_buf b = { 0 };

	out[0] = '\0';
	if (git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) == 0 &&
	    git_config_get_string_buf(&b, local, key) == 0 && b.ptr)
		snprintf(out, n, "%s", b.ptr);
	git_buf_dispose(&b);
	git_config_free(local);
	git_error_clear();
}

int cp_store_setup_missing(struct cp_sbuf *what, struct cp_store *s)
{
	git_config *cfg = NULL;
	char v[256];
	int missing = 0;

	if (git_repository_config(&cfg, s->repo) < 0) {
		git_error_clear();
		return 0;
	}
	local_value(cfg, "merge.complaint-case.driver", v, sizeof(v));
	if (!v[0]) {
		cp_sbuf_adds(what, _("the case merge driver is not registered"));
		missing++;
	}
	local_value(cfg, "pull.rebase", v, sizeof(v));
	if (strcmp(v, "false")) {
		if (missing)
			cp_sbuf_adds(what, " and ");
		cp_sbuf_adds(what, _("pull.rebase is not false"));
		missing++;
	}
	git_config_free(cfg);
	return missing;
}

int cp_store_setup(struct cp_store *s)
{
	git_config *cfg = NULL, *local = NULL;
	int rc;

	if (cp_merge_driver_register(s) < 0)
		return -1;
	if ((rc = git_repository_config(&cfg, s->repo)) < 0)
		return cp_git_error(rc, "cannot open the repository's config");
	rc = git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL);
	if (rc == 0)
		rc = git_config_set_string(local, "pull.rebase", "false");
	git_config_free(local);
	git_config_free(cfg);
	if (rc < 0)
		return cp_git_error(rc, "cannot set pull.rebase in the repository's config");
	return 0;
}

int cp_merge_driver_register(struct cp_store *s)
{
	git_config *cfg = NULL;
	int rc;

	if ((rc = git_repository_config(&cfg, s->repo)) < 0)
		return cp_git_error(rc, "cannot open the repository's config");
	rc = git_config_set_string(cfg, "merge.complaint-case.name",
				   "complaint case files: union of events");
	if (rc == 0)
		rc = git_config_set_string(cfg, "merge.complaint-case.driver",
					   "complaint merge-file %O %A %B %P");
	git_config_free(cfg);
	if (rc < 0)
		return cp_git_error(rc, "cannot register the merge driver");
	return 0;
}
