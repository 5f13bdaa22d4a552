/* store_priv.h - what store*.c share; not part of the public API. */
#ifndef COMPLAINT_STORE_PRIV_H
#define COMPLAINT_STORE_PRIV_H

#include <git2.h>

#include "complaint/store.h"

struct cp_store {
	char *root;
	git_repository *repo;
	struct cp_policy *policy;
	struct cp_org *org;
	int lockfd;
	git_tree *asof_tree;	/* reading history instead of the work tree */
	bool cache;		/* use the derived cache (cp_store_set_cache) */
	int shared;		/* core.sharedRepository (cp_shared_parse) */
};

/* The git directory holding ref's file ("refs/heads/x": the common one). */
const char *cp_git_ref_dir(git_repository *repo, const char *ref);
/* After the repository is open: read what the store needs of its config. */
int cp_store_repo_config(struct cp_store *s);

/* Our lock alone, without looking at git's locks (for repairs). */
int cp_store_flock(struct cp_store *s, int timeout_ms);
void cp_git_init(void);
void cp_git_shutdown(void);
int cp_git_error(int rc, const char *what);
int cp_git_commit_paths(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n,
			const struct cp_commit_info *ci);
int cp_git_index_update(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n);
/*
 * The bytes of path in tree (a blob no larger than YAML_MAX_FILE).  With
 * missing_ok, a missing file (or no tree) returns 1 instead of an error.
 */
int cp_git_read_blob(git_repository *repo, git_tree *tree, const char *path,
		     struct sbuf *out, int missing_ok);
/* The commit signature of an actor at now, in the local zone's offset. */
int cp_git_signature(git_signature **sig, const char *actor, const char *email,
		     cp_time now);
void cp_commit_message(struct sbuf *msg, const struct cp_commit_info *ci);
/* Record the case merge driver in the repository's config. */
int cp_merge_driver_register(struct cp_store *s);
/*
 * Where the git directories of the work tree at root are, without
 * libgit2: gitdir (index, HEAD) and common (objects, refs, config); the
 * same for a plain repository, not for a linked work tree.  Both end
 * with '/'.
 */
int cp_git_locate(const char *root, struct sbuf *gitdir, struct sbuf *common);
/*
 * Before libgit2 opens the repository at root: each file it reads there
 * (HEAD, index, config, the branch's ref, packed-refs, info/attributes,
 * info/exclude, the top .gitattributes and .gitignore, the user's git
 * configuration) is absent or a regular file.  _tree: every .gitignore
 * and .gitattributes of the work tree (before a status walks it); _path:
 * the .gitattributes of the folders above rel (before a filter lookup).
 */
int cp_store_preflight(const char *root);
int cp_store_preflight_tree(const char *root);
int cp_store_preflight_path(const char *root, const char *rel);
/* The commit on HEAD's first-parent line at time t. */
int cp_git_commit_at(struct cp_store *s, cp_time t, git_commit **out);

#endif
