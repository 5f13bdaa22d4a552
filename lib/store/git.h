/*
 * git.h - the bottom of lib/store/ (git.c): what every other file of the
 * store uses of libgit2, and nothing that knows of a store.
 */
#ifndef COMPLAINT_STORE_GIT_H
#define COMPLAINT_STORE_GIT_H

#include <signal.h>
#include <git2.h>

#include "complaint/sbuf.h"
#include "complaint/store.h"

/* libgit2 started for as long as one user needs it (counted). */
void cp_git_init(void);
void cp_git_shutdown(void);
/* libgit2's last error as ours: -CP_EBUSY for a lock or a race, else -CP_ESYS. */
int cp_git_error(int rc, const char *what);
/* libgit2's last error message, or "unknown error". */
const char *cp_git_msg(void);
/* The git directory holding ref's file ("refs/heads/x": the common one). */
const char *cp_git_ref_dir(git_repository *repo, const char *ref);
/*
 * The bytes of path in tree (a blob no larger than CP_YAML_MAX_FILE).  With
 * missing_ok, a missing file (or no tree) returns 1 instead of an error.
 */
int cp_git_read_blob(struct cp_sbuf *out, git_repository *repo, git_tree *tree,
		     const char *path, int missing_ok);
/* The commit signature of an actor at now, with zone z's offset then. */
int cp_git_signature(git_signature **sig, const struct cp_tz *z, const char *actor,
		     const char *email, cp_time now);
/* user.name and user.email (repo's config, or with repo NULL the user's), or NULL. */
void cp_git_identity(char **name, char **email, git_repository *repo);
/* Subject line and trailers of a commit of ours. */
void cp_commit_message(struct cp_sbuf *msg, const struct cp_commit_info *ci);
/* Signals that would interrupt a change are held until it is done. */
void cp_block_signals(sigset_t *old);

#endif
