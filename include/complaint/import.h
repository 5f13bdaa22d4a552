/*
 * import.h - complaints from a CSV file, every row checked before any is
 * recorded (complaint import).
 */
#ifndef COMPLAINT_IMPORT_H
#define COMPLAINT_IMPORT_H

#include <stdbool.h>

#include "complaint/case.h"
#include "complaint/policy.h"

struct cp_import_row {
	int line;		/* where the row starts in the file */
	struct cp_case *cs;	/* the case to record; NULL when the row is bad */
	char *error;		/* why the row is bad, or NULL */
};

struct cp_import {
	struct cp_import_row *rows;
	size_t n, nbad;
};

/*
 * Read a CSV file of complaints and build a case from each row as
 * `complaint new` would (by actor, now as now).  The header names the
 * columns: new's option names (customer, contact, channel, kind,
 * category, summary, description, amount, scope, flag or flags -- several
 * separated by ';' --, received or received_at, severity, reason), and
 * those `list --format csv` writes: id (the case keeps it), status
 * (`new` or `assigned`: later events are not in a CSV), department and
 * responsible (several separated by ';'; a department records an assign
 * at received, checked against the roster o as `assign` is),
 * next_deadline_event, next_deadline_at and overdue (derived, not read).  A severity equal to what the facts give is no override;
 * another one needs a reason.  taken(id, data) says an ID is in the
 * store already.
 *
 * Returns -CP_EDATA for a file that is not CSV or a header that does
 * not fit (each naming file:line); otherwise 0 with every row in
 * im->rows, the bad ones (im->nbad) with their error.
 */
int cp_import_read(struct cp_import *im, const struct cp_policy *p,
		   const struct cp_org *o, const char *file, const char *buf, size_t len,
		   const char *actor, cp_time now,
		   bool (*taken)(const char *id, void *data), void *data);
void cp_import_release(struct cp_import *im);

#endif
