/*
 * git.c - the bottom of the store: libgit2's start and errors, blobs,
 * signatures and identity, commit messages, where a ref's file lives.
 * Everything else in lib/store/ builds on these; this file calls none
 * of them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <git2.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "git.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

int cp_git_error(int rc, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	if (rc == GIT_ELOCKED || rc == GIT_EMODIFIED || rc == GIT_ECONFLICT)
		return cp_error(CP_EBUSY, "%s: %s", what, msg);
	return cp_error(CP_ESYS, "%s: %s", what, msg);
}

static int libgit2_users;

void cp_git_init(void)
{
	if (!libgit2_users++) {
		git_libgit2_init();
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	}
}

void cp_git_shutdown(void)
{
	if (libgit2_users && !--libgit2_users)
		git_libgit2_shutdown();
}

/*
 * The git directory that holds a ref's file: the common one, but for the
 * refs each work tree has of its own (HEAD, refs/worktree/, refs/bisect/).
 */
const char *cp_git_ref_dir(git_repository *repo, const char *ref)
{
	if (!strncmp(ref, "refs/", 5) && strncmp(ref, "refs/worktree/", 14) &&
	    strncmp(ref, "refs/bisect/", 12))
		return git_repository_commondir(repo);
	return git_repository_path(repo);
}

/* One line for a commit subject: no control characters, at most n bytes. */
static void oneline(struct cp_sbuf *sb, const char *s, size_t max)
{
	size_t start = sb->len;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (sb->len - start >= max) {
			/* cut at a character boundary */
			while (sb->len > start &&
			       ((unsigned char)sb->buf[sb->len - 1] & 0xc0) == 0x80)
				cp_sbuf_setlen(sb, sb->len - 1);
			if (sb->len > start)
				cp_sbuf_setlen(sb, sb->len - 1);
			cp_sbuf_adds(sb, "...");
			return;
		}
		if (*p < 0x20 || *p == 0x7f)
			cp_sbuf_addch(sb, ' ');
		else
			cp_sbuf_addch(sb, *p);
	}
}

void cp_commit_message(struct cp_sbuf *msg, const struct cp_commit_info *ci)
{
	cp_sbuf_adds(msg, ci->action);
	if (ci->id)
		cp_sbuf_addf(msg, " %s", ci->id);
	if (ci->summary && *ci->summary) {
		cp_sbuf_adds(msg, ": ");
		oneline(msg, ci->summary, 200);
	}
	cp_sbuf_adds(msg, "\n\n");
	if (ci->id)
		cp_sbuf_addf(msg, "Complaint-Id: %s\n", ci->id);
	cp_sbuf_addf(msg, "Action: %s\n", ci->action);
	cp_sbuf_adds(msg, "Actor: ");
	oneline(msg, ci->actor, 200);
	cp_sbuf_addch(msg, '\n');
	if (ci->extra_trailers)
		cp_sbuf_adds(msg, ci->extra_trailers);
}

int cp_git_signature(git_signature **sig, const struct cp_tz *z, const char *actor,
		     const char *email, cp_time now)
{
	int rc;

	rc = git_signature_new(sig, actor, email ? email : "", (git_time_t)now,
			       (int)(cp_tz_offset(z, now) / 60));
	if (rc < 0)
		return cp_git_error(rc, "cannot use the actor as the commit author");
	return 0;
}

/* Signals that would interrupt a change are held until it is done. */
void cp_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, old);
}

int cp_git_read_blob(struct cp_sbuf *out, git_repository *repo, git_tree *tree,
		     const char *path, int missing_ok)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc;

	if (!tree && missing_ok)
		return 1;
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND) {
		if (missing_ok) {
			git_error_clear();
			return 1;
		}
		return cp_error(CP_EDATA, _("'%s' is not in the store's history at that time"),
				path);
	}
	if (rc < 0)
		return cp_git_error(rc, path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return cp_error(CP_EDATA, _("'%s' is not a file"), path);
	}
	rc = git_blob_lookup(&b, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (rc < 0)
		return cp_git_error(rc, path);
	if (git_blob_rawsize(b) > CP_YAML_MAX_FILE) {
		git_blob_free(b);
		return cp_error(CP_EDATA, _("%s: file is too large"), path);
	}
	cp_sbuf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return 0;
}

static char *config_string(git_config *cfg, const char *key)
{
	git_buf b = { 0 };
	char *r = NULL;

	if (git_config_get_string_buf(&b, cfg, key) == 0 && b.ptr && *b.ptr)
		r = cp_xstrdup(b.ptr);
	git_buf_dispose(&b);
	return r;
}

/* git's user.name and user.email of repo (or, repo NULL, the user's and system config). */
void cp_git_identity(char **name, char **email, git_repository *repo)
{
	git_config *cfg = NULL, *snap = NULL;

	*name = *email = NULL;
	cp_git_init();
	if (repo ? git_repository_config(&cfg, repo) < 0
	      : git_config_open_default(&cfg) < 0) {
		git_error_clear();
		cp_git_shutdown();
		return;
	}
	if (git_config_snapshot(&snap, cfg) == 0) {
		*name = config_string(snap, "user.name");
		*email = config_string(snap, "user.email");
		git_config_free(snap);
	}
	git_config_free(cfg);
	git_error_clear();
	cp_git_shutdown();
}

const char *cp_git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}
