/*
 * policy.h - the organisation's rules (policy.yaml) and roster (org.yaml).
 *
 * See complaint-policy(5) for the file format.  Loading validates
 * everything a later command relies on, so the rest of the library can
 * trust a loaded policy: levels ascend, every name it refers to exists,
 * `from` chains end at `received`, and points are not negative.
 */
#ifndef COMPLAINT_POLICY_H
#define COMPLAINT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "complaint/money.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"

/* Case events (the `action` of an event).  Order is fixed. */
enum cp_evt {
	EV_NEW,
	EV_ASSIGN,
	EV_NOTIFY,
	EV_ONSITE,
	EV_PLAN,
	EV_APPROVE,
	EV_RESOLVE,
	EV_CALLBACK,
	EV_CLOSE,
	EV_REOPEN,
	EV_NOTE,
	EV_RECLASSIFY,
	EV_PENALIZE,
	/* part two (SPEC sections 9 and 10), appended in this order */
	EV_SET,
	EV_ANALYZE,
	EV_MEASURE,
	EV_MEASURE_DONE,
	EV_WITHDRAW,
	EV_HOLD,
	EV_RESUME,
	EV_LETTER,
	EV__COUNT
};

const char *cp_evt_name(enum cp_evt e);
/* -1 when name is not an event */
int cp_evt_parse(const char *name);
/* May a policy put a deadline on this event? */
bool cp_evt_has_deadline(enum cp_evt e);
/*
 * The key of the deadline for event e in policy and case files: the
 * event's name, but `analysis` for the event `analyze`.
 */
const char *cp_dl_name(enum cp_evt e);
/* The event a deadline key names (or a `from`), -1 when none can have one. */
int cp_dl_parse(const char *name);

enum cp_role { ROLE_DEPARTMENT, ROLE_HEAD, ROLE_LEADER, ROLE_RESPONSIBLE,
	       ROLE_DIRECTOR, ROLE_INTAKE, ROLE__COUNT };
const char *cp_role_name(enum cp_role r);

#define CP_NONE (-1)	/* an absent optional number */

struct cp_penalties {
	long points[ROLE__COUNT];	/* fixed points per role, CP_NONE if absent */
	long responsible_max;		/* ceiling for `penalize`, CP_NONE if none */
};

struct cp_deadline_rule {
	enum cp_evt event;
	struct cp_duration within;
	enum cp_evt from;		/* EV_NEW means from `received` */
	int line;
};

struct cp_level {
	char *id, *name;
	cp_money min_amount;		/* cents; CP_MONEY_NONE when absent */
	int min_scope;			/* index into scopes, CP_NONE when absent */
	int *flags;			/* indexes into policy flags */
	size_t nflags;
	int *kinds;			/* indexes into policy kinds */
	size_t nkinds;
	struct cp_deadline_rule *deadlines;	/* in the order computed */
	size_t ndeadlines;
	enum cp_role *approvals;	/* ROLE_LEADER, ROLE_DIRECTOR, ROLE_HEAD */
	size_t napprovals;
	struct cp_penalties penalties;
	bool needs_plan;		/* a `plan` deadline or any approvals */
	/*
	 * penalize: {by, approvals} (SPEC section 9).  has_penalize false:
	 * no such key, anyone may penalise at once (the old meaning).
	 * penalize_by: a bit (1 << ROLE_...) per role of head, leader,
	 * director, intake that may propose; penalize_approvals in order.
	 */
	bool has_penalize;
	unsigned penalize_by;
	enum cp_role *penalize_approvals;
	size_t npenalize_approvals;
	/* parties: the parties whose notify and onsite meet a deadline (bits CP_PARTY_*) */
	unsigned parties;
	bool hold;			/* `hold: true`: hold and resume allowed */
};

/* A field of the organisation's own form (policy `fields:`). */
enum cp_ftype { FT_TEXT, FT_NUMBER, FT_DATE, FT_CHOICE };
struct cp_field {
	char *id, *name;
	enum cp_ftype type;
	char **choices; size_t nchoices;	/* FT_CHOICE */
	int required_at;	/* EV_NEW, EV_RESOLVE, EV_CLOSE; CP_NONE when never */
};

#define CP_PARTY_LEAD 1u	/* the lead department (the assign's) */
#define CP_PARTY_INTAKE 2u	/* the policy's intake department */

/* late: {per: case | deadline} */
enum cp_late_per { CP_LATE_PER_CASE, CP_LATE_PER_DEADLINE };

struct cp_kind {
	char *id, *name;
	bool scored;
};

/* audit: who did it, provably (SPEC section 12; lib/audit.c). */
enum cp_sig_mode { CP_SIG_OFF, CP_SIG_OPTIONAL, CP_SIG_REQUIRED };
struct cp_audit {
	enum cp_sig_mode signatures;	/* default off */
	int64_t clock_tolerance;	/* seconds; default 600 (10m) */
	int64_t max_backdate;		/* seconds; CP_NONE: unlimited (default) */
};

struct cp_policy {
	char *file;
	char *name, *currency, *timezone;
	struct cp_tz *tz;		/* the zone timezone names (tz.h), for every local time */
	cp_money point_value;		/* cents per point */
	struct cp_calendar cal;
	char **channels; size_t nchannels;
	struct cp_kind *kinds; size_t nkinds;
	char **categories; size_t ncategories;
	char **scopes; size_t nscopes;
	char **flags; size_t nflags;
	struct cp_level *levels; size_t nlevels;
	struct cp_penalties late, unsatisfied;
	enum cp_late_per late_per;
	bool close_requires_callback;
	long recurring_at;
	char *report_title;		/* report: {title}; NULL when not given */
	struct cp_audit audit;
	/*
	 * language: zh-CN | en, the language of reports and scores
	 * (enum cp_lang of i18n.h); zh-CN when the policy does not say.
	 */
	int language;
	char *intake;			/* the intake department, or NULL */
	long cap_per_person;		/* score.cap_per_person, CP_NONE when none */
	bool carry_over;		/* score.carry_over */
	struct cp_field *fields; size_t nfields;	/* in the form's order */
	enum cp_role *measure_approvals;		/* `measures: {approvals}` */
	size_t nmeasure_approvals;
};

/*
 * The part-two keys (policy_rules.c): a level's penalize and parties,
 * the policy's intake, late.per and score.  Called by the loader.
 */
struct cp_ydoc;
struct cp_ynode;
int cp_policy_load_level_rules(const struct cp_ydoc *doc, const struct cp_ynode *n,
			       struct cp_policy *p, struct cp_level *l);
int cp_policy_load_rules(struct cp_policy *p, const struct cp_ydoc *doc,
			 const struct cp_ynode *root);
/* The role names of penalize.by as "head or leader". */
void cp_policy_roles_text(char *buf, size_t size, unsigned mask);

/*
 * Parse and validate a policy.  file names it in messages.  On error
 * returns -CP_EDATA with "file:line:col: reason".  Its zone is loaded
 * into p->tz, a value: two policies with different zones work side by
 * side (nothing reads or sets the TZ variable).
 */
int cp_policy_parse(struct cp_policy **out, const char *file, const char *buf,
		    size_t len);
void cp_policy_free(struct cp_policy *p);

int cp_policy_level(const struct cp_policy *p, const char *id);
int cp_policy_kind(const struct cp_policy *p, const char *id);
int cp_policy_scope(const struct cp_policy *p, const char *id);
int cp_policy_flag(const struct cp_policy *p, const char *id);
bool cp_policy_has_channel(const struct cp_policy *p, const char *id);
bool cp_policy_has_category(const struct cp_policy *p, const char *id);
/* The policy's field of that id, or NULL. */
const struct cp_field *cp_policy_field(const struct cp_policy *p, const char *id);
/*
 * Is value right for field f (a number, a date YYYY-MM-DD, one of the
 * choices, a non-empty text)?  0, or -CP_EUSAGE naming the field by its
 * id and name.
 */
int cp_field_check(const struct cp_field *f, const char *value);
const char *cp_ftype_name(enum cp_ftype t);

/* The facts classification looks at. */
struct cp_facts {
	bool has_amount;
	cp_money amount;
	const char *scope;	/* NULL when not given */
	const char *const *flags;
	size_t nflags;
	const char *kind;
};

/* The level index a case with these facts gets (highest level met). */
int cp_classify(const struct cp_policy *p, const struct cp_facts *f);

struct cp_dept {
	char *name, *head, *leader;
};

/* A person of the roster's people: who signs (lib/roster.c). */
struct cp_person {
	char *name, *email;	/* email NULL when not given */
	char **keys;		/* "TYPE BASE64" public keys, no comment */
	size_t nkeys;
};

struct cp_org {
	char **directors; size_t ndirectors;
	struct cp_dept *depts; size_t ndepts;
	struct cp_person *people; size_t npeople;
	char **admins; size_t nadmins;	/* may change policy.yaml and org.yaml */
};

int cp_org_parse(struct cp_org **out, const char *file, const char *buf,
		 size_t len);
void cp_org_free(struct cp_org *o);
const struct cp_dept *cp_org_dept(const struct cp_org *o, const char *name);
/* Is every department the policy names (its intake) in the roster? CP_EDATA if not. */
int cp_org_check_policy(const struct cp_org *o, const struct cp_policy *p);
bool cp_org_is_director(const struct cp_org *o, const char *person);
/*
 * The person of that name, of that email, or holding that key ("TYPE
 * BASE64", as cp_sshkey_line() writes it); NULL when none.
 */
const struct cp_person *cp_org_person(const struct cp_org *o, const char *name);
const struct cp_person *cp_org_person_by_email(const struct cp_org *o, const char *email);
const struct cp_person *cp_org_key_owner(const struct cp_org *o, const char *key);
bool cp_org_is_admin(const struct cp_org *o, const char *person);

#endif
