/*
 * lifecycle.h - which action is allowed when, and what it records.
 */
#ifndef COMPLAINT_LIFECYCLE_H
#define COMPLAINT_LIFECYCLE_H

#include "complaint/case.h"
#include "complaint/policy.h"

/*
 * Check that ev (action, at, by and the action's fields, filled in by the
 * caller) is allowed on c now, complete it (head and leader from the
 * roster on assign, the approver's role on approve), append it and
 * recompute the derived fields.  On refusal returns -CP_ERULE (the
 * procedure forbids it) or -CP_EUSAGE (a missing or malformed argument)
 * with a message saying what is missing, and leaves c unchanged.
 */
int cp_lifecycle_apply(struct cp_case *c, const struct cp_policy *p,
		       const struct cp_org *o, const struct cp_event *ev,
		       cp_time now);

/* The person an actor names: "客服中心/赵六" is 赵六. */
const char *cp_actor_person(const char *actor);

/*
 * The approvals given since the last plan, as "leader 王五, director 陈总"
 * (or "none").
 */
void cp_lifecycle_approvals(struct cp_sbuf *out, const struct cp_case *c);

#endif
