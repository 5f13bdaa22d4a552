/*
 * case.h - a complaint case: its facts, its events, and what is derived.
 *
 * The events are the truth.  status, severity, the assignment fields and
 * the deadlines are recomputed from them (and the policy) by
 * cp_case_derive(); the values read from a file are kept in `stored` so
 * that `complaint check` can report a file that disagrees with itself.
 * See complaint-case(5).
 */
#ifndef COMPLAINT_CASE_H
#define COMPLAINT_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/timeutil.h"

#define CP_ID_MAX 32
#define CP_MAX_EVENTS 10000

enum cp_status { ST_NEW, ST_ASSIGNED, ST_PLANNED, ST_APPROVED, ST_RESOLVED,
		 ST_CLOSED, ST__COUNT };
const char *cp_status_name(enum cp_status s);
int cp_status_parse(const char *s);

struct cp_event {
	cp_time at;
	char *by;
	enum cp_evt action;
	/* optional, by action (NULL / CP_NONE / -1 when absent) */
	char *department, *responsible, *head, *leader;
	char *role;		/* approve: the role the approver held */
	char *severity;		/* new (override), reclassify */
	char *person;		/* penalize */
	char *text, *cause, *measure, *reason;
	char *template;		/* letter: the template's name */
	/*
	 * Part two: `with` (assign: the joint departments), `party`
	 * (notify, onsite: who was told or met), `ref` (P1, M1: the
	 * proposal or measure the event is about).  `responsible` and
	 * `with` are name lists (cp_names_*): one name, or several.
	 */
	char *with, *party, *ref;
	cp_money compensation;	/* resolve, in cents; CP_MONEY_NONE when absent */
	long points;		/* penalize; CP_NONE when absent */
	int satisfied;		/* callback: 1 or 0; -1 when absent */
	/* part two (complaint-case(5)) */
	char *field, *old, *value;	/* set: the field, its value before (NULL: unset), after */
	char *owner, *due;	/* measure: who does it, by when (YYYY-MM-DD) */
};

/*
 * A list of names in one string: the names joined by '\n'.  A name in
 * normal form holds no control character (name.h), so '\n' is never
 * inside one; a single name is a list of one.
 */
size_t cp_names_count(const char *list);
/* The next name from *pos (start with *pos = list): its length in *len, NULL at the end. */
const char *cp_names_next(const char **pos, size_t *len);
bool cp_names_has(const char *list, const char *name);
/* list with sep (", ") between the names, appended to out. */
void cp_names_join(struct cp_sbuf *out, const char *list, const char *sep);

struct cp_deadline {
	enum cp_evt event;
	cp_time at;
	/*
	 * Derived only (never in the file): the round (0 from received, n
	 * from the nth reopen, whose time is `since`), the level it ran
	 * under, whether it is a miss kept from an earlier level (SPEC
	 * section 9: a reclassify does not erase a miss), and when its
	 * event happened (the parties' last, where the level names
	 * parties), CP_TIME_NONE while it has not.
	 */
	int round;
	cp_time since;
	int level;
	bool kept;
	cp_time done;
};

enum cp_dl_state { DL_PENDING, DL_MET, DL_MISSED };

struct cp_derived {
	enum cp_status status;
	int level;			/* index into policy levels */
	const char *department, *responsible, *head, *leader;
	const char *with;		/* joint departments (a name list), or NULL */
	struct cp_deadline deadlines[EV__COUNT];
	size_t ndeadlines;
	/*
	 * Every deadline instance: each round's (a reopen runs plan and
	 * resolve again) and the misses kept from earlier levels, by due
	 * time.  Allocated; judged by cp_case_deadline_state() like the
	 * current ones.
	 */
	struct cp_deadline *inst;
	size_t ninst, ainst;
	size_t napproved;		/* approvals since the last plan */
	bool planned;			/* a plan since the last reopen */
	cp_time held_since;		/* on hold since; CP_TIME_NONE when not */
};

struct cp_case {
	char id[CP_ID_MAX + 1];
	cp_time received;
	char *channel, *kind, *category;
	char *customer, *contact;
	char *summary, *description;
	bool has_amount;
	cp_money amount;	/* cents */
	char *scope;
	char **flags;
	size_t nflags;
	char **refs;		/* `refs:` the cases a prevention case answers */
	size_t nrefs;
	/* `fields:` the policy's form, id and value, in the file's order */
	char **field_ids, **field_vals;
	size_t nfields;

	struct cp_event *events;
	size_t nevents, alloc;

	struct cp_derived d;	/* valid after cp_case_derive() */

	/*
	 * Names the file holds in another than their normal form (white
	 * space around them, not NFC): read normalised, counted here for
	 * check, with the place of the first.  Not kept in the cache.
	 */
	size_t unnormal_names;
	int unnormal_line, unnormal_col;

	/*
	 * Copies of an event (every field the same, no phase event between:
	 * cp_evt_is_phase(), a hand edit) are one fact: the parser keeps the
	 * first and drops the others.  ndup
	 * counts the dropped ones; the first of them was event dup_index
	 * (1-based, in the file, at dup_line) and repeated event dup_of.
	 */
	size_t ndup, dup_index, dup_of;
	int dup_line;
	cp_time dup_at;
	enum cp_evt dup_action;

	/* the derived fields as the file had them (for check) */
	struct {
		char *status, *severity, *department, *responsible, *head, *leader;
		char *with;
		struct cp_deadline deadlines[EV__COUNT];
		size_t ndeadlines;
	} stored;
};

/* Is id of the allowed form ^[A-Za-z0-9][A-Za-z0-9-]{2,31}$ ? */
bool cp_id_valid(const char *id);
/* The same as a rule: 0, or -CP_EUSAGE saying what an ID may be. */
int cp_id_check(const char *id);
/*
 * A new ID: C-YYYYMMDD-XXXXXXXX, the local date received and 40 random
 * bits in Crockford base32 (no I, L, O, U), so clones that never talk
 * cannot collide in practice.
 */
int cp_id_generate(char out[CP_ID_MAX + 1], const struct cp_tz *z, cp_time received);
/* cases/YYYY/MM/<ID>.yaml for a case received at t (its month in zone z). */
void cp_case_path(struct cp_sbuf *out, const char *id, const struct cp_tz *z, cp_time received);
/* The month an ID's date names, or -1 when the ID carries no date. */
int cp_id_month(int *year, int *month, const char *id);

struct cp_case *cp_case_new(void);
void cp_case_free(struct cp_case *c);
void cp_event_clear(struct cp_event *e);
/* Append a copy of e (strings are duplicated). */
void cp_case_add_event(struct cp_case *c, const struct cp_event *e);
/* Are a and b the same event, every field alike? */
bool cp_event_same(const struct cp_event *a, const struct cp_event *b);
/* A total order on events, every field compared (0: cp_event_same). */
int cp_event_cmp(const struct cp_event *a, const struct cp_event *b);
/*
 * Does action a change the case's state (status, round of approvals,
 * level)?  Such events separate phases: an event exactly like an earlier
 * one is a copy (one fact written twice) when no phase event lies
 * between them; a phase event is a copy of the phase event just before
 * it when they are exactly alike.  The same approval given again after a
 * new plan, in the same second, is a new fact.
 */
bool cp_evt_is_phase(enum cp_evt a);
/*
 * Drop the copies of events (see ndup); lines (may be NULL) gives each
 * event's line in its file.  Returns the number dropped.
 */
size_t cp_case_drop_copies(struct cp_case *c, const int *lines);
/* Would e, appended to c, be a copy?  The 1-based event it copies, or 0. */
size_t cp_case_would_copy(const struct cp_case *c, const struct cp_event *e);
/* "event 5 (callback at 2026-10-09T10:00:00+08:00) is an exact copy of event 4" */
void cp_case_describe_copy(struct cp_sbuf *out, const struct cp_case *c, const struct cp_tz *z);

/*
 * Parse a case file; a time written without an offset is local in zone z
 * (the policy's).  Errors name file:line:col; returns -CP_EDATA.
 */
int cp_case_parse(struct cp_case **out, const struct cp_tz *z, const char *file,
		  const char *buf, size_t len);

/*
 * Check the facts against the policy (channel, kind, category, scope and
 * flags known; severity overrides name a level) and recompute every
 * derived field.  Returns 0 or -CP_EDATA naming what is unknown.
 */
int cp_case_derive(struct cp_case *c, const struct cp_policy *p);

/*
 * Do the case's received time and every derived deadline fall in the
 * years the store can hold (cp_time_in_range)?  0, or -CP_EUSAGE naming
 * the first that does not: a case or event that would need one is
 * refused before anything is written.
 */
int cp_case_check_range(const struct cp_case *c, const struct cp_tz *z);

/* The points of one penalize event, as a case file may hold them. */
#define CP_POINTS_MIN 1
#define CP_POINTS_MAX 1000000

/* The longest text one field may hold, in bytes (a scalar the reader takes). */
#define CP_TEXT_MAX (64 * 1024)

/*
 * Can s (NULL: absent) be written into a case file and read back: valid
 * UTF-8 without NUL (cp_yaml_text_check) and at most CP_TEXT_MAX bytes?
 * Returns 0 or -CP_EUSAGE naming what.
 */
int cp_text_check(const char *s, const char *what);

/*
 * The event's own fields, whatever the case: every text as
 * cp_text_check() has it, compensation and points in the range a case
 * file holds, and what its action needs (assign a department, plan and
 * resolve a text, callback satisfied or not, reopen a reason, note a
 * text, reclassify a level and a reason, penalize a person, points and a
 * reason).  cp_lifecycle_apply() checks it first; a command may call it
 * before opening the store.  Returns 0 or -CP_EUSAGE saying what.
 */
int cp_event_check(const struct cp_event *ev);

/* The level the facts alone give (no overrides). */
int cp_case_classify(const struct cp_case *c, const struct cp_policy *p);

/*
 * An impossible event: dated before the case was received (a hand edit,
 * or received_at moved after it; the first event, `new`, excepted).
 * Commands refuse to record one; read from a file it is skipped by
 * everything derived (status, deadlines, score, report), the commands
 * that read warn about it, and check names it.
 */
bool cp_event_impossible(const struct cp_case *c, const struct cp_event *e);
/*
 * The impossible events of c, one line each ("event 3 (resolve) at ... is
 * before the case was received (...); skipped") appended to out (may be
 * NULL); returns how many.
 */
size_t cp_case_impossible(struct cp_sbuf *out, const struct cp_case *c, const struct cp_tz *z);

/* The first event of this action, or NULL (impossible events skipped). */
const struct cp_event *cp_case_first(const struct cp_case *c, enum cp_evt a);

/*
 * When the clock of a deadline counting from event `from` starts, at
 * level l: that event's time, or its own deadline projected when it has
 * not happened yet (CP_TIME_NONE when there is none).  depth: 0.
 */
cp_time cp_case_clock_start(const struct cp_case *c, const struct cp_policy *p,
			    const struct cp_level *l, enum cp_evt from, int depth);
/* When the deadline for ev falls, or CP_TIME_NONE when it has none. */
cp_time cp_case_deadline(const struct cp_case *c, enum cp_evt ev);
/* Met, missed or pending at now. */
enum cp_dl_state cp_case_deadline_state(const struct cp_case *c,
					const struct cp_deadline *d, cp_time now);
/* Is a deadline missed on a case that is not resolved or closed? */
bool cp_case_overdue(const struct cp_case *c, cp_time now);
/*
 * The next deadline still to be met: the earliest whose event has not
 * happened (past ones included), among those that can still happen in
 * the case's status.  Returns NULL when none.
 */
const struct cp_deadline *cp_case_next_deadline(const struct cp_case *c);
/* The instant the first deadline was missed, or CP_TIME_NONE. */
cp_time cp_case_first_miss(const struct cp_case *c, cp_time now);
/*
 * Who held the case at t: the last assign dated at or before t (its
 * department, with, responsible, head, leader), or NULL while it was
 * not assigned (SPEC section 9: a late item goes to the department that
 * held the case when the deadline passed).
 */
const struct cp_event *cp_case_assign_at(const struct cp_case *c, cp_time t);
/*
 * For cp_case_derive(), once status and level are known: the current
 * deadlines (d.deadlines, the file's) and every instance (d.inst).
 */
void cp_case_derive_deadlines(struct cp_case *c, const struct cp_policy *p);

/*
 * A year some deadline of the case falls in that the policy's calendar
 * publishes no holidays for (0 when none, or when the calendar publishes
 * none at all): deadlines there count weekdays only.
 */
int cp_case_uncovered_year(const struct cp_case *c, const struct cp_policy *p);


/* ---- fields of the policy's form (case_fields.c) ---- */

/* The value of field id, or NULL. */
const char *cp_case_field(const struct cp_case *c, const char *id);
/*
 * Set field id to value (a copy; NULL removes it), keeping the fields in
 * the policy's order (fields the policy does not name after them).
 */
void cp_case_put_field(struct cp_case *c, const struct cp_policy *p,
		       const char *id, const char *value);
/*
 * The fields a case needs before action (EV_NEW, EV_RESOLVE, EV_CLOSE)
 * that it does not have: 0, or -CP_ERULE naming them.
 */
int cp_case_required_fields(const struct cp_case *c, const struct cp_policy *p,
			    enum cp_evt action);
/*
 * Fields the case holds that the policy no longer names (they keep
 * reading): one line each appended to out (may be NULL); how many.
 */
size_t cp_case_unknown_fields(struct cp_sbuf *out, const struct cp_case *c,
			      const struct cp_policy *p);

/*
 * Does each field a `set` event changed hold the value of its last set
 * (in time order)?  One line per field that does not; how many.
 */
size_t cp_case_check_fields(struct cp_sbuf *out, const struct cp_case *c);

/* Serialise (derived fields from c->d) as the canonical case file. */
void cp_case_format(struct cp_sbuf *out, const struct cp_case *c,
		    const struct cp_policy *p);

/*
 * Compare the stored derived fields with the derived ones; on a mismatch
 * append "field: file says X, events say Y" lines to out and return the
 * number of mismatches.
 */
int cp_case_check_derived(struct cp_sbuf *out, const struct cp_case *c,
			  const struct cp_policy *p);

#endif
