/*
 * audit.h (private) - reading the policy's `audit:` key, for policy.c.
 */
#ifndef COMPLAINT_AUDIT_PRIV_H
#define COMPLAINT_AUDIT_PRIV_H

#include "complaint/policy.h"
#include "yaml_subset.h"

/* Read `audit:` (n may be NULL: the defaults) into a. */
int cp_audit_load(struct cp_audit *a, const struct cp_ydoc *doc, const struct cp_ynode *n);

#endif
