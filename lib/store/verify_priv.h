/*
 * verify_priv.h - what verify.c (the walk, signatures, commit-level
 * rules) and verify_case.c (a case file against its parents) share.
 */
#ifndef COMPLAINT_VERIFY_PRIV_H
#define COMPLAINT_VERIFY_PRIV_H

#include <git2.h>

#include "complaint/case.h"
#include "complaint/policy.h"
#include "complaint/verify.h"

struct verifier {
	git_repository *repo;
	const struct cp_verify_opts *o;
	cp_verify_cb cb;
	void *data;
	struct cp_verify_stats *st;
	char hex[GIT_OID_HEXSZ + 1];	/* the commit being verified */
	const char *action;		/* its Action: trailer ("" when none) */
	const char *actor;		/* its Actor: trailer ("" when none) */
	cp_time when;			/* its committer time */
	const struct cp_tz *tz;		/* its times are local in it (the policy's) */
	struct cp_sbuf line;
};

/* Report a finding on the commit being verified. */
void cp_verify_find(struct verifier *v, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A case path's versions: the commit's (NULL when removed) and each
 * parent's (NULL when absent there), judged under the parent's policy
 * pp and roster po (the first parent's for a merge) and the commit's own
 * policy p.  pp or po NULL: the parent's could not be read (already named).
 */
void cp_verify_case(struct verifier *v, const char *path, const git_oid *now,
		 const git_oid *const *before, size_t nparents, const struct cp_policy *p,
		 const struct cp_policy *pp, const struct cp_org *po);

/* The case files a commit changes (verify_tree.c). */
struct paths {
	char **v;
	/* against the first parent: the blob before and after (zero: none) */
	git_oid *old, *new;
	size_t n, alloc, aold, anew;
};

/* The case files that differ between a (NULL: none) and b, added to out. */
void cp_verify_diff_cases(struct paths *out, struct verifier *v, git_tree *a, git_tree *b);

/* Whether the top-level entry name differs between a and b (either may be NULL). */
bool cp_verify_entry_differs(git_tree *a, git_tree *b, const char *name);

/* The blob id of path in tree (into slot), or NULL. */
const git_oid *cp_verify_blob_at(git_oid *slot, git_tree *tree, const char *path);

void cp_verify_paths_free(struct paths *p);

/* The case ID a case file's path names. */
const char *cp_verify_case_id(char *buf, size_t size, const char *path);

#endif
