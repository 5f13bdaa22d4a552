/*
 * life.h - a case's life, event by event: the state the lifecycle table
 * (SPEC section 5) works on, and whether an event may happen in it.
 *
 * One walk serves three readers: cp_case_derive() (the status of the
 * events in the file's order), the rules a command must pass
 * (lifecycle.c), and time order (SPEC section 9, "Time order is the
 * truth": the events read in `at` order must be a valid life, so an
 * event may not be dated before an event it depends on).
 */
#ifndef COMPLAINT_LIFE_H
#define COMPLAINT_LIFE_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/case.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"

#define CP_LIFE_ROLES 8

struct cp_life {
	const struct cp_policy *p;
	int classified;		/* the level the facts give */
	int level;		/* the level a `new --severity` or reclassify set, or -1 */
	enum cp_status st;	/* as the events leave it; see cp_life_status() */
	bool planned;		/* a plan since the round began */
	bool callback;		/* a callback since the last resolve */
	bool held;		/* a hold not yet resumed */
	/* the roles of the approvals since the round (assign, plan, reopen) began */
	const char **roles;
	const char *inline_roles[CP_LIFE_ROLES];
	size_t nroles, aroles;
	size_t napproved;	/* of them, those the level asks for, in its order */
};

/* A life before its first event, for case c under policy p. */
void cp_life_init(struct cp_life *l, const struct cp_case *c, const struct cp_policy *p);
void cp_life_copy(struct cp_life *dst, const struct cp_life *src);
void cp_life_release(struct cp_life *l);

/*
 * Apply e (whether or not it was allowed, as derive does).  -CP_EDATA
 * when it names a level the policy does not know.
 */
int cp_life_step(struct cp_life *l, const struct cp_event *e);

/* The status now, the level in force, and the approvals counted. */
enum cp_status cp_life_status(const struct cp_life *l);
int cp_life_level(const struct cp_life *l);

/* The statuses (bit per enum cp_status) in which action a may happen. */
unsigned cp_life_allowed_in(enum cp_evt a);

/*
 * May e happen now, by the lifecycle table: its status, the approvals in
 * the level's order (the role e records), a resolve's approvals or plan,
 * the callback a close needs.  0, or -CP_ERULE with a short reason.
 * Who may act (the roster) is not judged here.
 */
int cp_life_allows(const struct cp_life *l, const struct cp_event *e);

/*
 * Time order for an event about to be appended to c (complete: its role
 * and roster fields filled in): among c's events read in `at` order, e
 * must find its place as a valid life that keeps every event valid that
 * was valid without it.  0, or -CP_ERULE naming the event e would come
 * before and depends on.  A case whose own events are not a valid life
 * in time order (written before this rule, or merged) is judged in the
 * order of its file instead: e may not be dated before the event it
 * follows there.
 */
int cp_life_time_order(const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_event *e);

/* Are c's events, read in `at` order (the file's among equal times), a valid life? */
bool cp_life_valid_in_time(const struct cp_case *c, const struct cp_policy *p);

/* Put c's events in `at` order, the file's among equal times. */
void cp_case_sort_by_time(struct cp_case *c);

/*
 * For check: the first event of c that, read in `at` order, is not a
 * valid life; describes it (and the event it is dated before) in out.
 * 1 when there is one, 0 when c's events in time order are a valid life.
 */
int cp_life_time_problem(struct cp_sbuf *out, const struct cp_case *c,
			 const struct cp_policy *p);

/*
 * Does the actor hold role (head, leader, director, intake) on case c:
 * the case's head or leader, one of the roster's directors, anyone
 * acting as <intake>/<name> or the intake department's head
 * (roles.c).
 */
bool cp_role_held(const struct cp_case *c, const struct cp_policy *p,
		  const struct cp_org *o, const char *actor, enum cp_role role);
/* Is actor the person (by name, or "<department>/<name>" naming them)? (roles.c) */
bool cp_same_person(const char *actor, const char *person);

#endif
