/*
 * org.c - the roster (org.yaml): departments with their head and unit
 * leader, and the directors.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/policy.h"
#include "yaml_subset.h"
#include "roster.h"
#include "complaint/i18n.h"

void cp_org_free(struct cp_org *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->ndirectors; i++)
		free(o->directors[i]);
	free(o->directors);
	for (i = 0; i < o->ndepts; i++) {
		free(o->depts[i].name);
		free(o->depts[i].head);
		free(o->depts[i].leader);
	}
	free(o->depts);
	cp_roster_free(o);
	free(o);
}

/* A director's, department's, head's or leader's name, normalised. */
static int person(const struct cp_ydoc *doc, const struct cp_ynode *n,
		  const char *what, char **out)
{
	return cp_ynode_name(out, NULL, doc, n, what);
}

static int load(const struct cp_ydoc *doc, struct cp_org *o)
{
	static const char *const keys[] = { "directors", "departments", "people",
					    "admins", NULL };
	static const char *const dkeys[] = { "name", "head", "leader", NULL };
	const struct cp_ynode *root = doc->root, *v;
	size_t i, j;
	int r;

	if (!root || root->type != CP_Y_MAP)
		return cp_yerr(doc, root, _("a roster must be a mapping with directors and departments"));
	if ((r = cp_ymap_check_keys(doc, root, "the roster", keys)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "directors"))) {
		if (v->type != CP_Y_SEQ)
			return cp_yerr(doc, v, _("directors must be a list of names"));
		o->directors = cp_xcalloc(v->n + 1, sizeof(char *));
		for (i = 0; i < v->n; i++) {
			if ((r = person(doc, v->kids[i], "a director", &o->directors[i])) < 0)
				return r;
			o->ndirectors = i + 1;
		}
	}
	if (!(v = cp_ymap_get(root, "departments")))
		return cp_yerr(doc, root, _("the roster: missing required key 'departments'"));
	if (v->type != CP_Y_SEQ)
		return cp_yerr(doc, v, _("departments must be a list of {name, head, leader}"));
	o->depts = cp_xcalloc(v->n + 1, sizeof(*o->depts));
	for (i = 0; i < v->n; i++) {
		const struct cp_ynode *d = v->kids[i], *f;
		struct cp_dept *dp = &o->depts[i];

		o->ndepts = i + 1;
		if ((r = cp_ymap_check_keys(doc, d, "a department", dkeys)) < 0)
			return r;
		if (!(f = cp_ymap_get(d, "name")))
			return cp_yerr(doc, d, _("a department has no 'name'"));
		if ((r = person(doc, f, "department name", &dp->name)) < 0)
			return r;
		if ((f = cp_ymap_get(d, "head")) &&
		    (r = person(doc, f, "department head", &dp->head)) < 0)
			return r;
		if ((f = cp_ymap_get(d, "leader")) &&
		    (r = person(doc, f, "unit leader", &dp->leader)) < 0)
			return r;
		for (j = 0; j < i; j++)
			if (!strcmp(o->depts[j].name, dp->name))
				return cp_yerr(doc, d, _("department '%s' is listed twice"), dp->name);
	}
	return cp_roster_load(o, doc, root);
}

int cp_org_parse(struct cp_org **out, const char *file, const char *buf,
		 size_t len)
{
	struct cp_ydoc *doc;
	struct cp_org *o;
	int r;

	*out = NULL;
	if ((r = cp_ydoc_parse(&doc, file, buf, len)) < 0)
		return r;
	o = cp_xcalloc(1, sizeof(*o));
	r = load(doc, o);
	cp_ydoc_free(doc);
	if (r < 0) {
		cp_org_free(o);
		return r;
	}
	*out = o;
	return 0;
}

/*
 * The policy's departments against the roster: its intake department
 * must be one of the roster's, like any department a case is assigned
 * to (SPEC section 9).
 */
int cp_org_check_policy(const struct cp_org *o, const struct cp_policy *p)
{
	if (p->intake && !cp_org_dept(o, p->intake))
		return cp_error(CP_EDATA, _("org.yaml: the policy's intake department '%s' is not in the roster (add it to departments, or change intake in policy.yaml)"),
				p->intake);
	return 0;
}

const struct cp_dept *cp_org_dept(const struct cp_org *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ndepts; i++)
		if (!strcmp(o->depts[i].name, name))
			return &o->depts[i];
	return NULL;
}

bool cp_org_is_director(const struct cp_org *o, const char *person)
{
	size_t i;

	for (i = 0; i < o->ndirectors; i++)
		if (!strcmp(o->directors[i], person))
			return true;
	return false;
}
