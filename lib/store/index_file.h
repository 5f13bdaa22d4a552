/*
 * index_file.h - git's index lock, and the fast path for updating one
 * index entry (store.c, check.c, sync.c).
 */
#ifndef COMPLAINT_STORE_INDEX_FILE_H
#define COMPLAINT_STORE_INDEX_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "complaint/sbuf.h"

struct cp_index_entry {
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns, dev, ino, mode, uid, gid, size;
	unsigned char oid[20];
	const char *path;
};

/*
 * .git/index.lock, taken the way git takes it (created with O_EXCL) and
 * held from before a branch moves until the new index is in place, so
 * that a git command run meanwhile (git commit, which reads the index
 * under the same lock) fails instead of committing a stale index.
 */
struct cp_index_lock {
	int fd;				/* the lock file while we hold it, else -1 */
	char index[4096], lock[4096];
	/* cp_index_plan(): the current index and where one entry goes */
	unsigned char *map;
	size_t len, start, end, body_end;
	uint32_t count;
	struct sbuf tail;
	bool planned;
};

/*
 * Take gitdir's index.lock, waiting up to timeout_ms while a running
 * process holds it (workdir: the work tree, for lock_owner.h).  Refuses
 * with -CP_EBUSY naming it, its holder and the remedy; at once when the
 * process that made it is gone.
 */
int cp_index_lock(struct cp_index_lock *l, const char *gitdir, const char *workdir,
		  int timeout_ms);

/*
 * Read the current index (under the lock) and find the place of path's
 * stage-0 entry: 0 when done, 1 when this index is not one the fast path
 * handles (version 4, a split or sparse index, an unknown mandatory
 * extension, a bad checksum: use libgit2), -CP_EBUSY when the index has
 * unmerged entries (a conflict being resolved), or another error.
 */
int cp_index_plan(struct cp_index_lock *l, const char *path);

/*
 * Write the planned index with e (for the planned path) into the lock
 * and rename it into place; the lock is then released.
 */
int cp_index_commit_entry(struct cp_index_lock *l, const struct cp_index_entry *e);

/* Put the index written at from in place, and release the lock. */
int cp_index_commit_file(struct cp_index_lock *l, const char *from);

/* Release the lock without changing the index (removes index.lock if ours). */
void cp_index_unlock(struct cp_index_lock *l);

#endif
