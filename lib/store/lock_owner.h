/*
 * lock_owner.h - is a lock file still held, and by whom (store.c,
 * check.c, index_file.c)?
 */
#ifndef COMPLAINT_LOCK_OWNER_H
#define COMPLAINT_LOCK_OWNER_H

#include <stdbool.h>

struct cp_lock_owner {
	long pid;		/* the process, 0 when none was found */
	char what[200];		/* its command line, for messages */
	bool by_fd;		/* it has the file open (else: git working here) */
	bool unsure;		/* a git process we may not look into */
};

enum { CP_LOCK_STALE = 0, CP_LOCK_HELD = 1, CP_LOCK_GONE = 2 };

/*
 * Who holds the lock file at path: CP_LOCK_HELD when a process (other
 * than this one) has it open, or when a git process works in the
 * repository whose work tree is workdir and git directory gitdir (either
 * may be NULL) -- git closes a lock it keeps, as `git commit -a` does
 * with index.lock while its editor is open, so an open file alone does
 * not tell -- or when a git process runs whose working directory we may
 * not look at; o says which.  CP_LOCK_STALE when nobody holds it: it was
 * left by a process that died.  CP_LOCK_GONE when the file went away
 * while we looked (or was not there).  The age of the file plays no part.
 */
int cp_lock_owner(struct cp_lock_owner *o, const char *path, const char *workdir,
		  const char *gitdir);

/* " (held by pid N: CMD)" or "" for messages; buf of at least 256 bytes. */
const char *cp_lock_owner_str(char *buf, size_t size, const struct cp_lock_owner *o);

/* Is there a process with this id (ours or another user's)? */
bool cp_pid_alive(long pid);

#endif
