/*
 * sign_commit.h - writing a commit object, signed when the store's
 * signer says so (private to the store's modules).
 */
#ifndef COMPLAINT_SIGN_COMMIT_H
#define COMPLAINT_SIGN_COMMIT_H

#include <git2.h>

#include "complaint/sign.h"

/*
 * git_commit_create() without moving a ref; with sg signing, the commit
 * carries a gpgsig header made by ssh-keygen over its bytes, as `git
 * commit -S` with gpg.format=ssh writes it.
 */
int cp_git_commit_create(git_oid *out, git_repository *repo, const git_signature *sig,
			 const char *msg, const git_tree *tree, size_t nparents,
			 const git_commit *parents[], const struct cp_signer *sg);

#endif
