/*
 * case_json.h - a case as JSON (show --format json, list --format json).
 */
#ifndef COMPLAINT_CASE_JSON_H
#define COMPLAINT_CASE_JSON_H

#include "complaint/case.h"
#include "complaint/sbuf.h"

/* Every field of the case file, plus next_deadline and overdue at now. */
void cp_case_json(struct cp_sbuf *out, const struct cp_case *c,
		  const struct cp_policy *p, cp_time now);

/*
 * The listing object: id, status, severity, received_at, channel, kind,
 * category, customer, department, responsible, summary, amount,
 * next_deadline ({"event", "at"} or null) and overdue.
 */
void cp_case_json_brief(struct cp_sbuf *out, const struct cp_case *c,
			const struct cp_policy *p, cp_time now);

#endif
