/* check.h - what check.c and check_git.c share. */
#ifndef COMPLAINT_STORE_CHECK_H
#define COMPLAINT_STORE_CHECK_H

#include <stdbool.h>

#include "complaint/store.h"
#include "index_file.h"
#include "priv.h"

struct checker {
	struct cp_store *s;
	bool repair;
	cp_check_cb cb;
	void *data;
	struct cp_check_stats *st;
	struct sbuf msg;
	/* the IDs of the case files met, and where, to find a case in two files */
	struct seen {
		char id[CP_ID_MAX + 1];
		char *path;
	} *ids;
	size_t nids, aids;
	struct cp_index_lock il;	/* held while --repair changes the index */
	git_index *idx;			/* the index copy repairs change, or NULL */
	bool index_changed;		/* ...and it must be put in place */
};

void say(struct checker *k, enum cp_check_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- check_git.c ---- */

/*
 * What makes a repair impossible: a branch with no commit yet, git in
 * the middle of an operation, an index with unmerged paths.  Each is
 * reported as a problem; returns how many there are.
 */
int check_git_state(struct checker *k, struct sbuf *why);
/* git's lock files and libgit2's temporary objects (removed when stale under repair). */
void check_locks(struct checker *k);
/* Is the temporary file at full being written right now (by pid in its name, or open)? */
bool temp_file_live(struct checker *k, const char *full, long *pid);
/* git hooks our commits do not run: a warning each. */
void check_hooks(struct checker *k);
/* The case merge driver in .git/config (registered under repair). */
void check_driver(struct checker *k);

#endif
