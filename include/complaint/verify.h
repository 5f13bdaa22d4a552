/*
 * verify.h - `complaint verify` and the shared remote's pre-receive hook:
 * history read straight from git objects, commit by commit, against the
 * rules of SPEC section 12 (see complaint-verify(1)).
 *
 * Every commit is judged against its parent: the parent's policy and
 * roster say who may do what, whose keys are whose and who may change
 * them.  A root commit is judged against itself.
 */
#ifndef COMPLAINT_VERIFY_H
#define COMPLAINT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/timeutil.h"

struct cp_verify_finding {
	const char *commit;	/* the full hex id */
	const char *where;	/* a case ID, "policy.yaml", "org.yaml", or "-" */
	const char *problem;	/* one line */
	bool note;		/* information (unsigned history before signing began), not a finding */
};

typedef void (*cp_verify_cb)(const struct cp_verify_finding *f, void *data);

struct cp_verify_opts {
	/* revisions ("HEAD", "A..B", an id) whose history is verified; none: HEAD */
	const char *const *revs;
	size_t nrevs;
	/* leave out commits reachable from these (the hook: the old tips) */
	const char *const *hide;
	size_t nhide;
	bool hide_refs;		/* ...and from every ref the repository has (the hook) */
	bool from_env;		/* open the repository git's environment names (a hook) */
	/* the hook: a commit dated more than clock_tolerance after clock is named */
	cp_time clock;		/* CP_TIME_NONE: not checked */
};

struct cp_verify_stats {
	size_t commits, findings, notes;
};

/*
 * Verify the history of the repository at path (a work tree or a git
 * directory; NULL with from_env).  Each finding and note goes to cb in
 * the order of history, oldest first.  Returns 0 (findings or not), or
 * an error when the repository or a revision cannot be read.
 */
int cp_verify(struct cp_verify_stats *st, const char *path, const struct cp_verify_opts *o, cp_verify_cb cb,
	      void *data);

/*
 * The allowed-signers file (ssh-keygen(1) ALLOWED SIGNERS) for roster o:
 * a line per key, the person's email as the principal (the name when the
 * roster gives no email), for namespace "git".
 */
void cp_verify_allowed_signers(struct cp_sbuf *out, const struct cp_org *o);

/*
 * Is ancestor an ancestor of (or the same as) descendant, in the
 * repository git's environment names (a hook)?  1 yes, 0 no, or an error.
 */
int cp_verify_is_ancestor(const char *ancestor, const char *descendant);

/* The branch the repository's HEAD names ("refs/heads/main"), from git's environment. */
int cp_verify_head_branch(struct cp_sbuf *out);

#endif
