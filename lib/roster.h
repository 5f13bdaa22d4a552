/*
 * roster.h - the roster's people and admins (org.yaml), for org.c.
 */
#ifndef COMPLAINT_ROSTER_H
#define COMPLAINT_ROSTER_H

#include "complaint/policy.h"
#include "yaml_subset.h"

/* Read `people` and `admins` of the roster root into o (file:line:col errors). */
int cp_roster_load(struct cp_org *o, const struct cp_ydoc *doc, const struct cp_ynode *root);
void cp_roster_free(struct cp_org *o);

#endif
