/*
 * query.h - reading many cases: the walk that parses and derives each
 * one, and the filters of `complaint list`.
 */
#ifndef COMPLAINT_QUERY_H
#define COMPLAINT_QUERY_H

#include <limits.h>

#include "complaint/case.h"
#include "complaint/store.h"

/* Called for each good case, derived; the case is freed after the call. */
typedef int (*cp_case_cb)(struct cp_case *c, const char *path, void *data);
/* Called for each file that cannot be read; msg says where and why. */
typedef void (*cp_bad_cb)(const char *path, const char *msg, void *data);

/*
 * Parse every case whose month folder is in [from, to] (months as
 * year*12 + month-1; INT_MIN/INT_MAX for all) and derive it once, under
 * p (NULL: the store's policy): a period is judged under its own policy
 * only (score, report).  A file that cannot be read, or whose case does
 * not derive under p, goes to bad (which may be NULL) and the walk goes
 * on.
 */
int cp_each_case(struct cp_store *s, const struct cp_policy *p, int from, int to,
		 cp_case_cb cb, cp_bad_cb bad, void *data);

#define CP_MAX_MATCH 16

struct cp_filter {
	unsigned status_mask;		/* bit per enum cp_status; 0 = any */
	const char *severity[CP_MAX_MATCH]; size_t nseverity;
	const char *department[CP_MAX_MATCH]; size_t ndepartment;
	const char *category[CP_MAX_MATCH]; size_t ncategory;
	const char *kind[CP_MAX_MATCH]; size_t nkind;
	cp_time since, until;		/* received in [since, until]; NONE = open */
	bool open;			/* not resolved and not closed */
	bool overdue;
	cp_time due_by;			/* a pending deadline at or before; NONE = off */
	/* the monthly round (SPEC section 11) */
	cp_time resolved_from, resolved_to;	/* a resolve in [from, to]; NONE = off */
	cp_time closed_from, closed_to;		/* a close in [from, to]; NONE = off */
	bool callback_due;		/* resolved or closed, no callback since the last resolve */
	bool missed;			/* a deadline missed, whether open or not */
	const char *responsible[CP_MAX_MATCH]; size_t nresponsible;
	/*
	 * --field, --measures and --held (SPEC section 10) match on the case
	 * model of issue 14 (fields, measures, holds): they go here with it.
	 */
	cp_time now;
	/* --field ID=VALUE: every one given (the same field twice: either value) */
	const char *field_ids[CP_MAX_MATCH], *field_vals[CP_MAX_MATCH];
	size_t nfields;
	bool measures;			/* open measures */
	bool held;			/* on hold */
};

void cp_filter_init(struct cp_filter *f, cp_time now);
/*
 * Has the case been resolved (resolved or closed) with no callback after
 * its last resolve?  The round of callbacks a month needs.
 */
bool cp_case_callback_due(const struct cp_case *c);
/* Has any deadline of the case been missed by now (open or not)? */
bool cp_case_missed(const struct cp_case *c, cp_time now);

/* The month range worth reading for this filter. */
void cp_filter_months(int *from, int *to, const struct cp_filter *f, const struct cp_tz *z);
bool cp_filter_match(const struct cp_filter *f, const struct cp_case *c,
		     const struct cp_policy *p);

/* Month number (year*12 + month-1) of a local instant. */
int cp_month_of(const struct cp_tz *z, cp_time t);

#endif
