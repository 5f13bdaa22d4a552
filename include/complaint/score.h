/*
 * score.h - penalty line items for a period, and their totals.
 *
 * Each item has a date (SPEC section 6): occurrence items (department,
 * head, leader, fixed responsible) the day the case was received, at its
 * current level; `late` when the case's first missed deadline passed;
 * `unsatisfied` at the callback; discretionary items at the penalize
 * event.  Unscored kinds produce nothing.  Items whose target is unknown
 * become warnings.
 */
#ifndef COMPLAINT_SCORE_H
#define COMPLAINT_SCORE_H

#include "complaint/case.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/store.h"

struct cp_score_item {
	char case_id[CP_ID_MAX + 1];
	cp_time at;
	char *target;		/* department name or person */
	enum cp_role role;
	long points;
	char *rule;		/* occurrence:<level>, late, unsatisfied, penalize */
	char *department;	/* the case's department (for people) */
	char *detail;		/* which deadline, callback or reason */
};

struct cp_score_warning {
	char case_id[CP_ID_MAX + 1];
	char *message;
};

struct cp_score_total {
	char *name;		/* department or person */
	enum cp_role role;	/* people only */
	char *department;	/* people only */
	long points;		/* counted (after the policy's cap) */
	/*
	 * People, under score.cap_per_person (SPEC section 9): earned in
	 * the period, carried in from before it, counted (= points),
	 * carried out to after it, dropped (over the cap without
	 * carry_over).  earned + carried_in = counted + carried_out +
	 * dropped.  Without a cap: earned = counted = points, the rest 0.
	 */
	long earned, carried_in, carried_out, dropped;
};

struct cp_score {
	cp_time from, to;	/* the period, inclusive, as instants */
	char *policy, *currency;
	cp_money point_value;	/* cents */
	const struct cp_tz *tz;	/* the policy's zone: the items' local dates */
	struct cp_policy *own;	/* the period's policy when not the store's (holds tz) */
	int lang;		/* enum cp_lang: the policy's language, or --lang */
	struct cp_score_item *items; size_t nitems, aitems;
	struct cp_score_warning *warnings; size_t nwarnings, awarnings;
	size_t skipped;		/* impossible events skipped (each also a warning) */
	long cap;		/* score.cap_per_person, CP_NONE when none */
	bool carry;		/* score.carry_over */
	/* people's items dated before the period, for carry_over */
	struct cp_score_item *pre; size_t npre, apre;
	/* the intake department's head and leader in the period's roster */
	char *intake_head, *intake_leader;
	struct cp_score_total *departments; size_t ndepartments;
	struct cp_score_total *people; size_t npeople;
};

/* Start a score for [from, to] under policy p. */
void cp_score_init(struct cp_score *sc, const struct cp_policy *p, cp_time from,
		   cp_time to);
/*
 * The roster's head and leader of the policy's intake department, charged
 * like a holding department's while a case is not assigned.
 */
void cp_score_use_org(struct cp_score *sc, const struct cp_policy *p,
		      const struct cp_org *o);
/*
 * Add the items of one case (derived under p) dated inside the period,
 * with deadlines judged at now.
 */
void cp_score_add_case(struct cp_score *sc, const struct cp_case *c,
		       const struct cp_policy *p, cp_time now);
/* Sort the items and compute the totals. */
void cp_score_finish(struct cp_score *sc);
void cp_score_release(struct cp_score *sc);

/*
 * The money for points at the score's point value, exact, with two
 * decimals (every format prints money this way).
 */
void cp_score_money(struct cp_sbuf *sb, const struct cp_score *sc, long points);

/* Render: the JSON of SPEC section 6, a table for people, or CSV items. */
void cp_score_json(struct cp_sbuf *out, const struct cp_score *sc);
void cp_score_csv(struct cp_sbuf *out, const struct cp_score *sc);

/*
 * Penalty points for [from, to] (local days, inclusive) from the store as
 * read now (or at the time given to cp_store_use_time()), under the policy
 * as committed at the end of the period; deadlines judged at now.
 * bad counts case files that could not be read.
 */
int cp_score_compute(struct cp_score *out, size_t *bad, struct cp_store *s,
		     int32_t from_day, int32_t to_day, cp_time now);

/*
 * The period [first, last] (local days, inclusive), judged at now: the
 * policy it is judged under, the one committed at its end (or now, when
 * earlier), placed in the store's zone, *own (to be freed by the caller)
 * or, when that is the store's own, the store's (*own NULL); *p is the
 * one to use; *from and *to bound the period as instants in *p's zone,
 * computed once.
 */
int cp_period_open(struct cp_policy **own, const struct cp_policy **p, cp_time *from, cp_time *to,
		   struct cp_store *s, int32_t first, int32_t last,
		   cp_time now);
/* The roster of the commit at instant at: *own (to free) or the store's. */
int cp_period_org(struct cp_org **own, const struct cp_org **o, struct cp_store *s,
		  cp_time at);

#endif
