/*
 * proposal.c - penalty proposals (SPEC section 9, seed 000 sections 3.3
 * and 5): a `penalize` made where the level's `penalize.approvals` is
 * not empty carries `ref: P<n>`; it counts once each role has approved
 * it in order (`approve --penalty P<n>`), dated at the last approval,
 * and never once withdrawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/proposal.h"
#include "complaint/i18n.h"

int cp_proposal_find(struct cp_proposal *out, const struct cp_case *c,
		     const struct cp_policy *p, const char *ref)
{
	const struct cp_level *l = &p->levels[c->d.level];
	size_t i;

	memset(out, 0, sizeof(*out));
	out->approved_at = CP_TIME_NONE;
	out->withdrawn_at = CP_TIME_NONE;
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (!e->ref || strcmp(e->ref, ref) || cp_event_impossible(c, e))
			continue;
		if (e->action == EV_PENALIZE && !out->pen)
			out->pen = e;
		else if (e->action == EV_APPROVE && e->role &&
			 out->napproved < l->npenalize_approvals &&
			 !strcmp(e->role, cp_role_name(l->penalize_approvals[out->napproved]))) {
			out->napproved++;
			if (out->approved_at == CP_TIME_NONE || e->at > out->approved_at)
				out->approved_at = e->at;
		} else if (e->action == EV_WITHDRAW && out->withdrawn_at == CP_TIME_NONE) {
			out->withdrawn_at = e->at;
		}
	}
	if (!out->pen)
		return cp_error(CP_ERULE, _("the case has no penalty proposal %s"), ref);
	out->needed = l->npenalize_approvals;
	return 0;
}

cp_time cp_proposal_counts_at(const struct cp_case *c, const struct cp_policy *p,
			      const struct cp_event *pen)
{
	struct cp_proposal pr;

	if (!pen->ref)
		return pen->at;	/* made where no approval was needed: at once */
	if (cp_proposal_find(&pr, c, p, pen->ref) < 0) {
		cp_error_clear();
		return CP_TIME_NONE;
	}
	if (pr.withdrawn_at != CP_TIME_NONE || pr.napproved < pr.needed)
		return CP_TIME_NONE;
	return pr.needed ? pr.approved_at : pen->at;
}

void cp_proposal_next_ref(char *buf, size_t size, const struct cp_case *c)
{
	long max = 0;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const char *r = c->events[i].ref;
		char *end;
		long n;

		if (!r || r[0] != 'P')
			continue;
		n = strtol(r + 1, &end, 10);
		if (end != r + 1 && !*end && n > max)
			max = n;
	}
	snprintf(buf, size, "P%ld", max + 1);
}
