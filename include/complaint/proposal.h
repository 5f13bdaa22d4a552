/*
 * proposal.h - penalty proposals P1, P2... (SPEC section 9): a penalize
 * that needs approvals counts once the level's penalize.approvals have
 * all approved it in order, dated at the last, and never once withdrawn.
 */
#ifndef COMPLAINT_PROPOSAL_H
#define COMPLAINT_PROPOSAL_H

#include "complaint/case.h"
#include "complaint/policy.h"

struct cp_proposal {
	const struct cp_event *pen;	/* the penalize event */
	size_t napproved, needed;	/* approvals given in order, and asked for */
	cp_time approved_at;		/* the last of them, or CP_TIME_NONE */
	cp_time withdrawn_at;		/* or CP_TIME_NONE */
};

/* The proposal ref of c (under the case's level); -CP_ERULE when there is none. */
int cp_proposal_find(struct cp_proposal *out, const struct cp_case *c,
		     const struct cp_policy *p, const char *ref);
/*
 * When a penalize event counts in the score: at once without a ref; at
 * its last approval for a proposal; CP_TIME_NONE while pending or once
 * withdrawn.
 */
cp_time cp_proposal_counts_at(const struct cp_case *c, const struct cp_policy *p,
			      const struct cp_event *pen);
/* The next free proposal number of c: "P3". */
void cp_proposal_next_ref(char *buf, size_t size, const struct cp_case *c);

#endif
