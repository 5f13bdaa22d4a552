/*
 * store.h - the git-backed store: discovery, the lock, reading cases from
 * the work tree or from history, and one commit per change.
 *
 * lib/store/ is the only part of the library that talks to libgit2.  A
 * store is a git work tree whose top holds policy.yaml and org.yaml;
 * cases live in cases/YYYY/MM/<ID>.yaml.
 */
#ifndef COMPLAINT_STORE_H
#define COMPLAINT_STORE_H

#include <stdbool.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"

struct cp_store;

#define CP_LOCK_TIMEOUT_MS 5000

/* How long init and check --repair wait for the lock (default 5 s). */
void cp_store_set_lock_timeout(int ms);
int cp_store_lock_timeout(void);

/*
 * Find the store: dir when given (-C or $COMPLAINT_DIR), else the nearest
 * parent of the working directory holding policy.yaml at the top of a git
 * work tree.  *root is the caller's to free.
 */
int cp_store_discover(char **root, const char *dir);

/* Open the store at root and load its policy and roster. */
int cp_store_open(struct cp_store **out, const char *root);
void cp_store_close(struct cp_store *s);

const char *cp_store_root(const struct cp_store *s);
const struct cp_policy *cp_store_policy(const struct cp_store *s);
const struct cp_org *cp_store_org(const struct cp_store *s);

/*
 * Create a store in dir (git init when it is not the top of a work tree),
 * write policy and roster, and make the first commit.
 */
struct cp_commit_info {
	const char *action;	/* "new", "assign", "init" ... */
	const char *id;		/* case ID, or NULL */
	const char *summary;	/* one line for the subject */
	const char *actor;
	const char *email;	/* may be "" */
	cp_time now;
	const char *extra_trailers;	/* "Key: value\n" lines, or NULL */
	char *commit_out;	/* out: the new commit's hex id (41 bytes), or NULL */
	const struct cp_signer *signer;	/* init: how to sign (others: the store's) */
};
/* A file init writes beside the policy (path relative to the store). */
struct cp_init_file {
	const char *path;
	const char *data;
	size_t len;
};
/*
 * Make a store in dir: policy.yaml, org.yaml, .gitattributes and the
 * extra files (one dir holds already is left alone), in one commit.
 */
int cp_store_init(const char *dir, const char *policy, size_t policy_len,
		  const char *org, size_t org_len, const struct cp_init_file *extra,
		  size_t nextra, const struct cp_commit_info *ci);

/*
 * Take the store's lock (.git/complaint.lock), waiting up to timeout_ms.
 * Refuses with -CP_EBUSY naming the lock when it stays taken; while git
 * is in the middle of a merge, rebase, cherry-pick, revert, am or
 * bisect; on a branch with no commit yet; and when git's own index or
 * branch lock stays held by a running process (waited for up to
 * timeout_ms) or was left by one that is gone.
 */
int cp_store_lock(struct cp_store *s, int timeout_ms);
void cp_store_unlock(struct cp_store *s);

/*
 * Load a case for a change: find its file, make sure the work tree copy is
 * the committed one, parse it and derive its fields.  path receives the
 * file's path relative to the store.
 */
int cp_store_load_case(struct cp_case **out, struct cp_sbuf *path, struct cp_store *s,
		       const char *id);

/*
 * Load a case to look at it: like cp_store_load_case() without the check
 * against HEAD; raw (may be NULL) receives the file's bytes.
 */
int cp_store_read_case(struct cp_case **out, struct cp_sbuf *path, struct cp_sbuf *raw,
		       struct cp_store *s, const char *id);

/* Is there a case with this ID (work tree)? */
bool cp_store_has_case(struct cp_store *s, const char *id);

/*
 * A case in two or more files (a copy made by hand): readers count one,
 * the one in the folder its own received_at names (where `new` writes
 * it), then the one in the folder its ID's date names, then the first
 * by path; an unreadable copy or one holding another case is never
 * counted while a good one exists.  Changes to such a case are refused
 * until one file is left.
 */
struct cp_paths {
	char **v;
	size_t n, alloc;
};
/* Every file named for case id in a month folder (work tree or as-of commit), by path. */
void cp_store_case_files(struct cp_paths *out, struct cp_store *s, const char *id);
void cp_paths_release(struct cp_paths *p);
/* The index of the file readers count, of files (several files of case id). */
size_t cp_store_pick_copy(struct cp_store *s, const char *id, const struct cp_paths *files);
/* "case X is in 2 files (A and B); A is the one counted" */
void cp_store_copies_message(struct cp_sbuf *out, const char *id,
			     const struct cp_paths *files, size_t winner);

/*
 * Write data to path (relative to the store) and commit it as one commit
 * on HEAD; the index is updated to match.  For a new file, path must not
 * exist yet.
 */
int cp_store_commit_file(struct cp_store *s, const char *path, const char *data,
			 size_t len, const struct cp_commit_info *ci);

/*
 * Write n new files (none may exist yet, in the work tree or at HEAD)
 * and commit them as one commit on HEAD, all or none: on a failure
 * before the branch moved, the files written are removed again.
 */
int cp_store_commit_new_files(struct cp_store *s, const char *const *paths,
			      const char *const *data, const size_t *lens, size_t n,
			      const struct cp_commit_info *ci);

/*
 * Save a case as one commit: its file written under the store's policy
 * (cp_case_format) at path, the file cp_store_load_case() named, or for
 * a new case (path NULL) at its own path by ID and received time, which
 * must not exist yet.  ci->id and ci->summary default to the case's.
 */
int cp_store_save_case(struct cp_store *s, const struct cp_case *c, const char *path,
		       const struct cp_commit_info *ci);

/*
 * Make the clone's own config (.git/config) fit for plain git: register
 * the case merge driver and set pull.rebase to false, so that 'git pull'
 * merges case files by their events.  init and clone do it; so does
 * 'complaint setup' for a store cloned with plain 'git clone'.
 */
int cp_store_setup(struct cp_store *s);
/*
 * How many of those the clone's own config lacks (0 when set up), each
 * described in what ("the case merge driver is not registered" ...).
 */
int cp_store_setup_missing(struct cp_sbuf *what, struct cp_store *s);

/*
 * git's user.name and user.email for this store (repository, global and
 * system config), either NULL when unset.  s may be NULL (no store yet).
 */
void cp_store_identity(char **name, char **email, struct cp_store *s);

/* ---- reading many cases ---- */

/* Called for each case file; return < 0 to stop the walk with that error. */
typedef int (*cp_file_cb)(const char *path, const char *buf, size_t len,
			  void *data);

/*
 * Walk case files, in order of month and ID, whose month folder lies in
 * [from_month, to_month] (YYYY*12+MM-1; pass INT_MIN/INT_MAX for all).
 * Reads the work tree, or the commit chosen with cp_store_use_time().
 */
int cp_store_walk(struct cp_store *s, int from_month, int to_month,
		  cp_file_cb cb, void *data);

/* A case file met by cp_store_walk_files(). */
struct cp_walk_file {
	const char *path;		/* relative to the store */
	/*
	 * The file's git blob id (20 bytes) when the walk was asked for ids:
	 * from the commit's tree, from git's index when the file's stat data
	 * match its entry (git's own rule, racy timestamps included), else
	 * by hashing the bytes read.  NULL when the file cannot be read.
	 */
	const unsigned char *oid;
	const char *buf;		/* the bytes, or NULL until read */
	size_t len;
	int err;			/* < 0: unreadable; the message is the last error */
	void *priv;
};
typedef int (*cp_walk_cb)(struct cp_walk_file *f, void *data);

/*
 * Like cp_store_walk(), handing each file over unread when its blob id is
 * known without reading it (ids true), for a cache keyed by blob id.
 * With ids false every file is read.  Return < 0 from cb to stop.
 */
int cp_store_walk_files(struct cp_store *s, int from_month, int to_month,
			bool ids, cp_walk_cb cb, void *data);
/*
 * Read f's bytes into f->buf (valid until the callback returns).  For a
 * work-tree file the id is recomputed from the bytes read, so an id never
 * names other bytes than the ones parsed.
 */
int cp_walk_file_read(struct cp_walk_file *f);

/*
 * The blob id git gives the work-tree file at path when it holds buf:
 * the bytes' own id, or, when git converts them on the way in (line ends
 * under core.autocrlf or the eol and text attributes), the id of what git
 * stores.  So the cache, check, the event commands and git status agree.
 */
int cp_store_blob_id(unsigned char out[20], struct cp_store *s, const char *path, const char *buf,
		     size_t len);

/* Use the derived cache of parsed cases (lib/cache.c) when walking; off by default. */
void cp_store_set_cache(struct cp_store *s, bool on);
bool cp_store_cache_on(const struct cp_store *s);
/*
 * What the last walk of cp_each_case() met of the derived cache: files
 * walked, entries found (hits) and not (misses), bad entries, the file's
 * sorted and appended entries, and what was written.  All zero (cached
 * false) until a walk used the cache.
 */
struct cp_walk_stats {
	bool cached;
	size_t files, hits, misses, corrupt, entries, tail;
	bool valid, rebuilt, appended, rewritten;
};
void cp_store_walk_stats(struct cp_walk_stats *out, const struct cp_store *s);
void cp_store_set_walk_stats(struct cp_store *s, const struct cp_walk_stats *st);
/*
 * The work tree's git directory (".../.git/": its index and HEAD), with a
 * trailing slash; _commondir: where objects, refs and the config are (the
 * same directory, but for a linked work tree: the main one's).
 */
const char *cp_store_gitdir(const struct cp_store *s);
const char *cp_store_commondir(const struct cp_store *s);
/* core.sharedRepository (cp_shared_parse): for the files made under .git. */
int cp_store_shared(const struct cp_store *s);

/*
 * Read from the store as it was at time t (the newest commit on HEAD's
 * first-parent line whose committer time is not later than t): cases,
 * policy and roster all come from that commit, the work tree is not read.
 */
int cp_store_use_time(struct cp_store *s, cp_time t);

/*
 * The policy as committed at time t (NULL policy when none yet): for
 * score periods.  *out is the caller's to free.
 */
int cp_store_policy_at(struct cp_policy **out, struct cp_store *s, cp_time t);
/* The roster as committed at time t, the same way (NULL when none yet). */
int cp_store_org_at(struct cp_org **out, struct cp_store *s, cp_time t);

/* Read one file of the store (work tree, or the chosen commit). */
int cp_store_read(struct cp_sbuf *out, struct cp_store *s, const char *path);


/* ---- history of one file ---- */

struct cp_log_entry {
	char commit[41];	/* hex id */
	const char *author;
	cp_time when;		/* author time */
	const char *subject;
	const char *message;	/* the whole message */
	const char *diff;	/* "+line" / "-line" lines, from the parent */
};
typedef int (*cp_log_cb)(const struct cp_log_entry *e, void *data);

/*
 * The commits that changed path, newest first, each with the lines it
 * added and removed (merges that took one side's version unchanged are
 * skipped).  Stops at the commit that created the file.
 */
int cp_store_file_log(struct cp_store *s, const char *path, cp_log_cb cb,
		      void *data);

/* ---- check ---- */

enum cp_check_level { CP_CHECK_WARNING, CP_CHECK_PROBLEM, CP_CHECK_REPAIRED };
/* A finding: msg in the library's words, hint (error.h) for the command to word. */
typedef void (*cp_check_cb)(enum cp_check_level level, const char *msg,
			    enum cp_hint hint, void *data);
struct cp_check_stats {
	size_t cases, bad_cases, problems, warnings, repaired;
};

/*
 * Check everything about the store at root, under the store's lock (as
 * writers take it): policy, roster, every case file (syntax with
 * file:line:col, fields, derived fields against the events, the file's
 * place), git's state (an orphan branch, an operation in progress,
 * unmerged paths, uncommitted or unstaged changes, an index out of step
 * with HEAD, leftover temporary files, lock files and whether a process
 * holds them, the merge driver, hooks our commits skip).  With repair,
 * put back what an interrupted change left: committed versions restored
 * (changed copies kept under .git/complaint-lost/), temporary files and
 * git locks that no process holds removed, the merge driver registered;
 * refused (-CP_EBUSY, nothing changed) on an orphan branch, during an
 * operation or with unmerged paths.  Returns 0 (problems are counted in
 * st) or an error when the store cannot be examined at all, or is busy.
 */
int cp_store_check(struct cp_check_stats *st, const char *root, bool repair, cp_check_cb cb,
		   void *data);

#endif
