/*
 * policy_priv.h - the parts of loading a policy kept outside policy.c
 * (policy_fields.c).  Private to the library.
 */
#ifndef COMPLAINT_POLICY_PRIV_H
#define COMPLAINT_POLICY_PRIV_H

#include "complaint/policy.h"
#include "yaml_subset.h"

/* `fields:` (n may be NULL: none). */
int cp_policy_load_fields(struct cp_policy *p, const struct cp_ydoc *doc,
			  const struct cp_ynode *n);
/* `measures: {approvals: [ROLE...]}` (n may be NULL). */
int cp_policy_load_measures(struct cp_policy *p, const struct cp_ydoc *doc,
			    const struct cp_ynode *n);
/* A list of roles (head, leader, director), none twice. */
int cp_policy_load_roles(enum cp_role **out, size_t *count,
			 const struct cp_ydoc *doc, const struct cp_ynode *n, const char *what);
void cp_policy_free_fields(struct cp_policy *p);

#endif
