/*
 * sync.h - many sites, one history: clone a shared store, sync with it,
 * and the merge driver git runs for case files.
 *
 * A site keeps a clone of a shared remote (a bare repository on a path,
 * file://, ssh:// or git://).  cp_sync() fetches the remote's branch,
 * fast-forwards or merges it, and pushes the result; case files changed
 * at both sites are merged by the union of their events (case_merge.h).
 * See complaint-sync(1), complaint-clone(1), complaint-merge-file(1).
 */
#ifndef COMPLAINT_SYNC_H
#define COMPLAINT_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/store.h"
#include "complaint/timeutil.h"

#define CP_SYNC_TRIES 5
/* Seconds a remote may show no sign of life (sync and clone --timeout). */
#define CP_NET_TIMEOUT 30

/* Called with a line of progress ("the remote moved ..."); may be NULL. */
typedef void (*cp_sync_note_cb)(const char *msg, void *data);

struct cp_sync_opts {
	const char *remote;	/* a remote's name or a URL; NULL: "origin" */
	const char *actor;	/* author and committer of a merge commit */
	const char *email;	/* may be "" */
	cp_time now;		/* the merge commit's time */
	int tries;		/* fetch-merge-push rounds; 0: CP_SYNC_TRIES */
	int timeout;		/* seconds a remote may stay silent; 0: no limit */
	int lock_timeout_ms;	/* how long to wait for the store's lock */
	cp_sync_note_cb note;
	void *data;
};

enum cp_sync_how {
	CP_SYNC_UP_TO_DATE,	/* nothing to fetch, nothing to push */
	CP_SYNC_PUSHED,		/* only local commits: pushed them */
	CP_SYNC_FAST_FORWARD,	/* only remote commits: took them */
	CP_SYNC_MERGED		/* both: a merge commit, pushed */
};

struct cp_sync_result {
	enum cp_sync_how how;
	char remote_branch[256];	/* "origin/main", or the URL's branch */
	char head[41];			/* HEAD after the sync (hex) */
	size_t cases_merged;		/* case files merged by their events */
	size_t files_changed;		/* files the work tree took from the remote */
	int tries;			/* rounds used (more than 1: the remote moved) */
};

/*
 * Fetch from the remote, merge, push.  The caller does not hold the
 * store's lock: it is taken (waiting up to opts->lock_timeout_ms) only to
 * merge and move the branch, never while waiting on the network.  Each
 * exchange with the remote is given up when the remote shows no sign of
 * life for opts->timeout seconds (-CP_ESYS).
 *
 * Refuses, changing nothing, with -CP_EBUSY when a store file (a case,
 * policy.yaml, org.yaml, .gitattributes) has changes that are not
 * committed, when git is in the middle of a merge, when HEAD is detached,
 * when the two sides changed policy.yaml, org.yaml or another non-case
 * file differently, when a case file cannot be merged (not the same case,
 * facts changed at both sites, deleted at one), and when the remote kept
 * moving for opts->tries rounds.  -CP_EUSAGE when the remote is not
 * known; -CP_ESYS when it cannot be reached or refuses the push.
 *
 * On success the work tree and the index match HEAD.
 */
int cp_sync(struct cp_sync_result *res, struct cp_store *s,
	    const struct cp_sync_opts *opts);

struct cp_clone_result {
	char branch[256];	/* the branch checked out */
	size_t cases;		/* case files in it */
};

/*
 * Clone the store at url into dir (created; it must not exist or be
 * empty), check that it is a store, and register the case merge driver.
 * The clone is given up when the remote shows no sign of life for
 * timeout seconds (0: no limit).  On failure nothing is left of dir
 * that was not there before.
 */
int cp_clone(struct cp_clone_result *res, const char *url, const char *dir,
	     int timeout);

/*
 * The merge driver: merge the case files base, ours and theirs (paths of
 * files; base may be empty when git has no common version) with the
 * policy of the store at root, and write the result into ours.  path is
 * the case file's name in the store, for messages.  When they cannot be
 * merged, ours receives a line-by-line merge with conflict markers, as
 * git would have written without the driver, and -CP_EBUSY (or the
 * error that stopped the merge) is returned.
 */
int cp_merge_file(const char *root, const char *base, const char *ours,
		  const char *theirs, const char *path);

#endif
