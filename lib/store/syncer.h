/*
 * syncer.h - what the files of a sync share: sync.c runs the rounds,
 * transfer.c fetches and pushes, merge.c merges two histories.
 */
#ifndef COMPLAINT_STORE_SYNCER_H
#define COMPLAINT_STORE_SYNCER_H

#include <stdbool.h>
#include <git2.h>

#include "complaint/sbuf.h"
#include "complaint/sync.h"
#include "remote.h"

struct cp_syncer {
	struct cp_store *s;
	git_repository *repo;
	const struct cp_sync_opts *o;
	git_remote *remote;
	const char *name;		/* as given: a name or a URL */
	bool named;			/* a configured remote */
	struct cp_sbuf local_path;		/* the remote's path when it is local */
	struct cp_sbuf branch;		/* refs/heads/<ours> */
	struct cp_sbuf rbranch;		/* refs/heads/<theirs> on the remote */
	struct cp_sbuf tracking;		/* refs/remotes/<name>/<theirs>, or "" */
	struct cp_sbuf display;		/* origin/main */
	struct cp_net net;
	size_t cases_merged, files_changed;
};

/*
 * Fetch the remote branch, without the store's lock: the objects go into
 * the object database (which takes no lock: nothing refers to them yet).
 * *found says whether the remote has the branch; *tip is its commit.
 * The remote-tracking ref is recorded later, under the lock.
 */
int cp_sync_fetch(git_oid *tip, bool *found, struct cp_syncer *k);
/*
 * Push the branch, without the store's lock: what is pushed is a commit
 * made under it, which cannot change; a change committed here meanwhile
 * goes with it (a local remote gets exactly tip) or with the next sync.
 * *raced: the remote moved since the fetch (certainly, or - when the
 * remote only said no - maybe: the next fetch tells).
 */
int cp_sync_push(bool *raced, struct cp_syncer *k, const git_oid *tip,
		const git_oid *expect);
/*
 * Merge the remote's commit into ours: the merge commit in *merged.
 * Refuses (-CP_EBUSY) without touching anything when a human is needed.
 *
 * The tree is ours with the files only they changed taken from theirs,
 * and the files both changed merged: case files by their events
 * (cp_case_merge), others line by line (a conflict refuses).  Working
 * from the two sides' changes keeps the cost to what changed.
 */
int cp_sync_merge(struct cp_syncer *k, const git_oid *local, const git_oid *remote,
		 const git_oid *base, git_oid *merged);
/*
 * Bring the work tree, the index and the branch from commit `from` to
 * commit `to`.  The checkout is safe: a file that differs from `from`
 * and would have to change stops it before anything is written.  git's
 * index lock is held from before the checkout until the new index is in
 * place (index.c), so that a git command cannot commit meanwhile.
 */
int cp_sync_move_to(struct cp_syncer *k, const git_oid *from, const git_oid *to);

#endif
