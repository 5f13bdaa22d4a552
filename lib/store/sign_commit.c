/*
 * sign_commit.c - signed commits (libgit2's git_commit_create_buffer and
 * git_commit_create_with_signature with the "gpgsig" field), and the
 * store's key setting.
 */
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "complaint/error.h"
#include "priv.h"
#include "sign_commit.h"

int cp_git_commit_create(git_oid *out, git_repository *repo, const git_signature *sig,
			 const char *msg, const git_tree *tree, size_t nparents,
			 const git_commit *parents[], const struct cp_signer *sg)
{
	git_buf buf = { 0 };
	struct cp_sbuf signature = CP_SBUF_INIT;
	int rc, r = 0;

	if (!sg || !sg->sign) {
		rc = git_commit_create(out, repo, NULL, sig, sig, NULL, msg, tree, nparents,
				       parents);
		return rc < 0 ? cp_git_error(rc, "cannot commit") : 0;
	}
	if ((rc = git_commit_create_buffer(&buf, repo, sig, sig, NULL, msg, tree, nparents,
					   parents)) < 0)
		return cp_git_error(rc, "cannot commit");
	if ((r = cp_ssh_sign(&signature, sg, buf.ptr, buf.size)) == 0 &&
	    (rc = git_commit_create_with_signature(out, repo, buf.ptr, signature.buf,
						   "gpgsig")) < 0)
		r = cp_git_error(rc, "cannot write the signed commit");
	git_buf_dispose(&buf);
	cp_sbuf_release(&signature);
	return r;
}

char *cp_store_signing_key(struct cp_store *s)
{
	const char *env = getenv("COMPLAINT_SIGNING_KEY");
	git_config *cfg = NULL, *snap = NULL;
	git_buf b = { 0 };
	char *key = NULL;

	if (env && *env)
		return cp_xstrdup(env);
	cp_git_init();
	if ((s ? git_repository_config(&cfg, s->repo) : git_config_open_default(&cfg)) == 0 &&
	    git_config_snapshot(&snap, cfg) == 0 &&
	    git_config_get_string_buf(&b, snap, "user.signingkey") == 0 && b.size)
		key = cp_xstrdup(b.ptr);
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	cp_git_shutdown();
	return key;
}

void cp_store_set_signer(struct cp_store *s, const struct cp_signer *sg)
{
	s->signer = sg;
}
