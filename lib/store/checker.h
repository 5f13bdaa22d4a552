/* checker.h - what the files of check share (check.c, check_tree.c, check_git.c, checker.c). */
#ifndef COMPLAINT_STORE_CHECKER_H
#define COMPLAINT_STORE_CHECKER_H

#include <stdbool.h>

#include "complaint/store.h"
#include "index_file.h"
#include "priv.h"

struct cp_checker {
	struct cp_store *s;
	bool repair;
	cp_check_cb cb;
	void *data;
	struct cp_check_stats *st;
	struct cp_sbuf msg;
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

void cp_check_say(struct cp_checker *k, enum cp_check_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with a hint (error.h) for the command to word. */
void cp_check_say_hint(struct cp_checker *k, enum cp_check_level lvl, enum cp_hint hint,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- check_git.c ---- */

/*
 * What makes a repair impossible: a branch with no commit yet, git in
 * the middle of an operation, an index with unmerged paths.  Each is
 * reported as a problem; returns how many there are.
 */
int cp_check_git_state(struct cp_sbuf *why, struct cp_checker *k);
/* git's lock files and libgit2's temporary objects (removed when stale under repair). */
void cp_check_locks(struct cp_checker *k);
/* Is the temporary file at full being written right now (by pid in its name, or open)? */
bool cp_check_temp_live(long *pid, struct cp_checker *k, const char *full);
/* git hooks our commits do not run: a warning each. */
void cp_check_hooks(struct cp_checker *k);
/* The case merge driver in .git/config (registered under repair). */
void cp_check_driver(struct cp_checker *k);

/* ---- check_tree.c ---- */

/*
 * The work tree and the index against HEAD (git status): each store file
 * that differs is a problem; under repair it is put back (a changed file
 * kept as a copy first), a stray one moved aside, the index rebuilt.
 */
void cp_check_status(struct cp_checker *k);

#endif
