/* git_index.h - the fast path for updating one index entry (store.c). */
#ifndef COMPLAINT_GIT_INDEX_H
#define COMPLAINT_GIT_INDEX_H

#include <stdint.h>

struct cp_index_entry {
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns, dev, ino, mode, uid, gid, size;
	unsigned char oid[20];
	const char *path;
};

/*
 * Insert or replace the stage-0 entry for e->path in gitdir's index.
 * Returns 0 when done, 1 when this index is not one we handle (the caller
 * falls back to libgit2), or a negative error.
 */
int cp_index_upsert(const char *gitdir, const struct cp_index_entry *e);

#endif
