/*
 * index_file.h - git's index file without libgit2 (index_file.c): one
 * parser, the reader a walk asks which files the index vouches for
 * (walk.c), git's index lock and the fast path for updating one entry
 * (index.c, check.c, merge.c).
 */
#ifndef COMPLAINT_STORE_INDEX_FILE_H
#define COMPLAINT_STORE_INDEX_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/stat.h>

#include "complaint/sbuf.h"

/* ---- the parser ---- */

struct cp_index_layout {
	uint32_t version, count;
	size_t body_end;		/* where the entries end (extensions follow) */
};
/*
 * 0 when map (len bytes) is an index both the reader and the writer
 * handle: "DIRC", version 2 or 3 (extended flags only in 3), every entry
 * well formed, only optional extensions, their sizes adding up to the
 * trailing checksum; 1 otherwise.  The checksum itself is the caller's.
 */
int cp_index_parse(struct cp_index_layout *out, const unsigned char *map, size_t len);
/* Bytes of the entry at off (*path, *plen: its path), or 0 when it runs past limit. */
size_t cp_index_entry(const char **path, size_t *plen, const unsigned char *map,
		      size_t off, size_t limit);

/* ---- the reader ---- */

/*
 * git's index, read for the blob ids of work-tree files whose stat data
 * it vouches for: exactly git's rule (mtime, ctime, inode, owner, size,
 * a regular file, no assume-valid, skip-worktree, intent-to-add or
 * conflict flag), including the racy-timestamp rule (an entry whose mtime
 * is not older than the index file's is not trusted).  What
 * cp_index_parse() accepts, with a good checksum (or index.skipHash's
 * zeros), is read; otherwise every file is hashed.
 */
struct cp_index_reader {
	unsigned char *map;
	size_t len;
	size_t off, end;	/* cursor: the next entry; the end of the entries */
	uint32_t left;		/* entries from the cursor on */
	struct timespec mtime;	/* of the index file */
};
/* Map and check gitdir's index; false when it cannot be used (hash instead). */
bool cp_index_read_open(struct cp_index_reader *ix, const char *gitdir);
void cp_index_read_close(struct cp_index_reader *ix);
/* The entry for path: paths must come in git's order (the cursor only moves on). */
const unsigned char *cp_index_read_find(struct cp_index_reader *ix, const char *path);
/* Does entry e vouch for a file with stat data st (git's rule)? */
bool cp_index_vouches(const struct cp_index_reader *ix, const unsigned char *e,
		      const struct stat *st);

/* ---- the writer ---- */

struct cp_index_entry {
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns, dev, ino, mode, uid, gid, size;
	unsigned char oid[20];
	const char *path;
};

/*
 * .git/index.lock, taken the way git takes it (created with O_EXCL) and
 * held from before HEAD is read until the branch has moved, so that a
 * git command run meanwhile fails instead of committing a stale index.
 *
 * The new index is put in place *before* the branch moves, while the
 * lock is still held: a plain `git commit` reads HEAD, then the index
 * (without the lock), and moves the branch from the HEAD it read.  One
 * that sees our commit as HEAD therefore reads our index too; one that
 * read the index before ours was in place read the old HEAD as well, and
 * its move of the branch fails.  The index it replaced is kept (a hard
 * link, index.complaint-old) until the lock goes, so that a change that
 * fails after the index is in place puts the old one back.
 */
struct cp_index_lock {
	int fd;				/* the lock file while we hold it, else -1 */
	char index[4096], lock[4096], fresh[4096], old[4096];
	bool replaced, had_old;		/* the index was replaced; the old one is kept */
	/* cp_index_plan(): the current index and where one entry goes */
	unsigned char *map;
	size_t len, start, end, body_end;
	uint32_t count;
	struct cp_sbuf tail;
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
 * Write the planned index with e (for the planned path) and put it in
 * place; the lock stays held (cp_index_unlock() lets it go).
 */
int cp_index_commit_entry(struct cp_index_lock *l, const struct cp_index_entry *e);

/* Put the index written at from in place; the lock stays held. */
int cp_index_commit_file(struct cp_index_lock *l, const char *from);

/*
 * The change failed after its index was put in place: put back the
 * index that was there before (or none, when there was none).
 */
int cp_index_put_back(struct cp_index_lock *l);

/*
 * Release the lock (removes index.lock if ours, and the kept old index);
 * the index is whatever was last put in place.  An error when the lock
 * could not be removed.
 */
int cp_index_unlock(struct cp_index_lock *l);

#endif
