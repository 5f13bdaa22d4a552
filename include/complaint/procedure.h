/*
 * procedure.h - what part two's events leave behind (SPEC section 10):
 * the measures of a case (M1, M2...: owner, due, done, signed off) and
 * the spans it was held.  Derived from the events every time, never
 * written as keys of their own (complaint-case(5)).
 */
#ifndef COMPLAINT_PROCEDURE_H
#define COMPLAINT_PROCEDURE_H

#include "complaint/case.h"
#include "complaint/policy.h"

enum cp_mstate { MS_OPEN, MS_DONE, MS_SIGNED_OFF };

struct cp_measure {
	const struct cp_event *ev;	/* the `measure` event */
	const struct cp_event *done;	/* the first `measure_done`, or NULL */
	size_t napproved;		/* sign-offs given, in the policy's order */
	int32_t due;			/* day number */
	enum cp_mstate state;		/* signed off: done and every sign-off given */
};

/*
 * The measures of c in the order they were added; *out is allocated
 * (free it), the pointers point into c.  Returns how many.
 */
size_t cp_case_measures(struct cp_measure **out, const struct cp_case *c,
			const struct cp_policy *p);
/* The measure ref names, or NULL. */
const struct cp_measure *cp_measure_find(const struct cp_measure *m, size_t n,
					 const char *ref);
/* Open and past its due day (the local day of now is later)? */
bool cp_measure_overdue(const struct cp_measure *m, const struct cp_tz *z, cp_time now);
/* Open measures of c, and of them the overdue ones. */
void cp_case_measure_counts(size_t *open, size_t *overdue,
			    const struct cp_case *c, const struct cp_policy *p, cp_time now);
/* "M3": the next number no measure event of c uses. */
void cp_case_next_measure(char out[16], const struct cp_case *c);
const char *cp_mstate_name(enum cp_mstate s);

struct cp_hold {
	cp_time from, to;		/* to: CP_TIME_NONE while held */
	const char *reason;
};
/* The spans c was held, in time order; *out allocated.  How many. */
size_t cp_case_holds(struct cp_hold **out, const struct cp_case *c);
/* Is c on hold (a hold not resumed)?  After cp_case_derive(). */
bool cp_case_held(const struct cp_case *c);
/*
 * A deadline of c due at `at`, whose clock started at base, moved later
 * by the time c was held after base while it ran (a `wd` deadline by
 * the working days held, a held part of a day counted as a day).
 */
cp_time cp_hold_shift(const struct cp_case *c, const struct cp_policy *p,
		      cp_time base, cp_time at, const struct cp_duration *within);

/*
 * Check a part-two event before it is appended (called by
 * cp_lifecycle_apply): set, analyze, measure, measure_done, the sign-off
 * of a measure, hold, resume.  Completes ev (the old value of a set,
 * the ref of a new measure, the role of a sign-off).
 */
int cp_procedure_check(const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_org *o, struct cp_event *ev);
/* What an appended event changes in the facts (a set: the field). */
void cp_procedure_apply(struct cp_case *c, const struct cp_policy *p,
			const struct cp_event *ev);

#endif
