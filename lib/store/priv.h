/* priv.h - what the files of lib/store/ share; not part of the public API. */
#ifndef COMPLAINT_STORE_PRIV_H
#define COMPLAINT_STORE_PRIV_H

#include <git2.h>

#include "complaint/policy.h"
#include "complaint/sign.h"
#include "complaint/store.h"
#include "git.h"

struct cp_store {
	char *root;
	git_repository *repo;
	struct cp_policy *policy;
	struct cp_org *org;
	int lockfd;
	git_tree *asof_tree;	/* reading history instead of the work tree */
	bool cache;		/* use the derived cache (cp_store_set_cache) */
	struct cp_walk_stats walked;	/* the last walk's (cp_store_walk_stats) */
	int shared;		/* core.sharedRepository (cp_shared_parse) */
	/*
	 * The committed blob a change was computed from (cp_store_load_case
	 * found the work tree holding it at HEAD): a commit is refused when
	 * HEAD no longer has it there (a git commit came in between).
	 */
	char base_path[256];
	git_oid base_blob;
	const struct cp_signer *signer;	/* signs every commit made (cp_store_set_signer) */
};

/* The zone the store's local times are in: its policy's (UTC before it has one). */
static inline const struct cp_tz *cp_store_tz(const struct cp_store *s)
{
	return s->policy ? s->policy->tz : cp_tz_utc();
}

/* After the repository is open: read what the store needs of its config. */
int cp_store_repo_config(struct cp_store *s);

/* Our lock alone, without looking at git's locks (for repairs). */
int cp_store_flock(struct cp_store *s, int timeout_ms);
/*
 * The same for a reader (check): on a store it may not write it locks
 * through a read-only descriptor, or goes on without the lock when there
 * is no lock file and it cannot make one.
 */
int cp_store_flock_reader(struct cp_store *s, int timeout_ms);
/* Refuse (-CP_EBUSY) a branch with no commit yet (git checkout --orphan). */
int cp_store_refuse_unborn(struct cp_store *s);
/* cp_store_lock() for init: a branch with no commit yet is not refused. */
int cp_store_lock_unborn(struct cp_store *s, int timeout_ms);
int cp_git_commit_paths(struct cp_store *s, const char *const *paths,
			const git_oid *blobs, size_t n,
			const struct cp_commit_info *ci);
/*
 * Refuse (-CP_EBUSY, naming it and how to finish or abort it) while git
 * is in the middle of an operation in the store: a merge, rebase,
 * cherry-pick, revert, am or bisect.
 */
int cp_store_git_busy(struct cp_store *s);

/* ---- the index, under git's index.lock (index.c) ---- */
struct cp_index_lock;
/* Take index.lock for a change, and look at git's state again under it. */
int cp_git_index_lock(struct cp_store *s, struct cp_index_lock *l);
/*
 * While the lock is held: make the repository use a copy of the index
 * (an empty one with fresh) for libgit2 to change; refuses (-CP_EBUSY)
 * an index with unmerged paths.  *out is the copy.
 */
int cp_git_index_borrow(git_index **out, struct cp_store *s, struct cp_index_lock *l,
			bool fresh);
/* Write the copy, put it in place of .git/index and release the lock. */
int cp_git_index_install(struct cp_store *s, struct cp_index_lock *l, git_index **idx);
/* Drop the copy: the repository reads .git/index again (the lock stays). */
void cp_git_index_return(struct cp_store *s, git_index *idx);
/*
 * A change failed after its index was in place: put the old index back,
 * keeping the failure's message (with the repair hint when the old index
 * could not be put back).
 */
void cp_git_index_undo(struct cp_index_lock *l);

/*
 * Point the index entries for paths at their blobs, stat data included,
 * and put the index in place: in *idx (borrowed, then installed) or, when
 * *idx is NULL, by the fast path planned for paths[0] (cp_index_plan).
 */
int cp_git_index_update(struct cp_store *s, struct cp_index_lock *l, git_index **idx,
			const char *const *paths, const git_oid *blobs, size_t n);
/* Record the case merge driver in the repository's config. */
int cp_merge_driver_register(struct cp_store *s);
/*
 * Where the git directories of the work tree at root are, without
 * libgit2: gitdir (index, HEAD) and common (objects, refs, config); the
 * same for a plain repository, not for a linked work tree.  Both end
 * with '/'.
 */
int cp_git_locate(struct cp_sbuf *gitdir, struct cp_sbuf *common, const char *root);
/* Anything by that name in dir (a symlink or a FIFO too); dir/.git. */
bool cp_dir_has_entry(const char *dir, const char *name);
bool cp_dir_has_git(const char *dir);
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
/*
 * A shallow clone's cut: the commits listed in .git/shallow, whose
 * parents git has not fetched (libgit2 does not know of them).  An empty
 * set for a whole clone.
 */
struct cp_shallow {
	git_oid *ids;
	size_t n;
};
int cp_shallow_load(struct cp_shallow *sh, git_repository *repo);
bool cp_shallow_has(const struct cp_shallow *sh, const git_oid *id);
void cp_shallow_free(struct cp_shallow *sh);
/* "this is a shallow clone: its history stops at commit X (date) ('git fetch --unshallow'...)" */
void cp_shallow_describe(char *buf, size_t n, git_repository *repo,
			 const struct cp_tz *z, const git_oid *cut);
/* The commit on HEAD's first-parent line at time t. */
int cp_git_commit_at(git_commit **out, struct cp_store *s, cp_time t);

/* ---- the store's folders (dirs.c) ---- */
/* Is s n decimal digits and nothing else? */
bool cp_all_digits(const char *s, size_t n);
/* "X.yaml", not hidden: the name of a case file. */
bool cp_case_file_name(const char *s);
/* keep() functions for the lists: n digits (a year or a month); a case file. */
bool cp_keep_digits(const char *s, size_t n);
bool cp_keep_case(const char *s, size_t n);
/*
 * Open the folder dir (rel: its name for messages), never through a
 * symlink: 0 and *fd, 1 when it is not there, or an error naming what
 * it is instead (cp_not_dir).
 */
int cp_open_dir(int *fd, const char *dir, const char *rel);
int cp_not_dir(const char *rel, unsigned int mode);
/* Sorted names in dir (or the folder open at dfd) that pass keep(); NULL-terminated. */
char **cp_list_dir(size_t *count, const char *dir, bool (*keep)(const char *, size_t),
		   size_t arg);
char **cp_list_fd(size_t *count, int dfd, bool (*keep)(const char *, size_t),
		  size_t arg);
void cp_names_free(char **v, size_t n);

#endif
