/*
 * intake.h - recording a new complaint: from options or a YAML form.
 */
#ifndef COMPLAINT_INTAKE_H
#define COMPLAINT_INTAKE_H

#include "complaint/case.h"
#include "complaint/policy.h"

#define CP_MAX_FLAGS 32
#define CP_MAX_FIELDS 64
#define CP_MAX_REFS 64

/* Everything `complaint new` takes, as text; NULL when not given. */
struct cp_new_req {
	const char *customer, *contact, *channel, *kind, *category;
	const char *summary, *description, *amount, *scope;
	const char *flags[CP_MAX_FLAGS];
	size_t nflags;
	const char *received;	/* ISO 8601 time */
	const char *severity, *reason;
	/* fields of the policy's form: id and value (--field ID=VALUE) */
	const char *field_ids[CP_MAX_FIELDS], *field_vals[CP_MAX_FIELDS];
	size_t nfields;
	const char *refs[CP_MAX_REFS];	/* --ref: the cases a prevention case answers */
	size_t nrefs;
	void *owned;		/* storage behind a request read from a form */
};

/*
 * Fill req from a YAML form (the fields above, `customer` either a name
 * or {name, contact}, `received` or `received_at`, `flags` a list).
 * Fields already set in req are kept (options win over the form):
 * `fields: {id: value}` adds the ids not given, `refs` only when none were.
 */
int cp_new_req_from_yaml(struct cp_new_req *req, const char *file,
			 const char *buf, size_t len);
void cp_new_req_release(struct cp_new_req *req);

/*
 * Check req against the policy and build the case: facts, the `new`
 * event by actor at the received time, classification and deadlines.
 * The ID is left empty for the caller to choose.  Errors: -CP_EUSAGE for
 * a missing, malformed or unknown value, -CP_ERULE for a received time in
 * the future.
 */
int cp_case_create(struct cp_case **out, const struct cp_policy *p,
		   const struct cp_new_req *req, const char *actor, cp_time now);

#endif
