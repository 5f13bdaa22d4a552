/*
 * policy_rules.c - the policy keys of SPEC section 9 and the joint
 * handling of section 10: who may penalise (a level's `penalize`), whose
 * notify and onsite meet a deadline (a level's `parties`), the intake
 * department, `late.per` and the score's cap.  See complaint-policy(5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/policy.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

/* The roles of penalize: head, leader, director, intake. */
static int penalize_role(const char *s)
{
	if (!strcmp(s, "head"))
		return ROLE_HEAD;
	if (!strcmp(s, "leader"))
		return ROLE_LEADER;
	if (!strcmp(s, "director"))
		return ROLE_DIRECTOR;
	if (!strcmp(s, "intake"))
		return ROLE_INTAKE;
	return -1;
}

void cp_policy_roles_text(char *buf, size_t size, unsigned mask)
{
	static const enum cp_role order[] = { ROLE_HEAD, ROLE_LEADER, ROLE_DIRECTOR,
					      ROLE_INTAKE };
	size_t i, n = 0, total = 0;

	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		total += !!(mask & (1u << order[i]));
	for (i = 0; i < 4; i++) {
		if (!(mask & (1u << order[i])))
			continue;
		if (n)
			strncat(buf, n + 1 == total ? " or " : ", ", size - strlen(buf) - 1);
		strncat(buf, cp_role_name(order[i]), size - strlen(buf) - 1);
		n++;
	}
}

static int role_list(const struct cp_ydoc *doc, const struct cp_ynode *v, const char *what,
		     const char *lvl, enum cp_role **out, size_t *nout, unsigned *mask)
{
	const char **names;
	size_t k, i;
	int r, role;

	if ((r = cp_ynode_strlist(&names, &k, doc, v, what)) < 0)
		return r;
	if (out)
		*out = cp_xcalloc(k + 1, sizeof(**out));
	for (i = 0; i < k; i++) {
		if ((role = penalize_role(names[i])) < 0) {
			free(names);
			return cp_yerr(doc, v->kids[i],
				    _("level '%s': unknown role '%s' in %s (head, leader, director or intake)"),
				    lvl, v->kids[i]->str, what);
		}
		if (*mask & (1u << role)) {
			free(names);
			return cp_yerr(doc, v->kids[i], _("level '%s': role '%s' is listed twice in %s"),
				    lvl, v->kids[i]->str, what);
		}
		*mask |= 1u << role;
		if (out)
			(*out)[(*nout)++] = (enum cp_role)role;
	}
	free(names);
	return 0;
}

int cp_policy_load_level_rules(const struct cp_ydoc *doc, const struct cp_ynode *n,
			       struct cp_policy *p, struct cp_level *l)
{
	static const char *const pen_keys[] = { "by", "approvals", NULL };
	const struct cp_ynode *v, *w;
	unsigned mask = 0;
	size_t i;
	int r;

	(void)p;
	if ((v = cp_ymap_get(n, "penalize"))) {
		if ((r = cp_ymap_check_keys(doc, v, "penalize", pen_keys)) < 0)
			return r;
		l->has_penalize = true;
		l->penalize_by = (1u << ROLE_HEAD) | (1u << ROLE_LEADER) |
				 (1u << ROLE_DIRECTOR) | (1u << ROLE_INTAKE);
		if ((w = cp_ymap_get(v, "by"))) {
			l->penalize_by = 0;
			if ((r = role_list(doc, w, "penalize.by", l->id, NULL, NULL,
					   &l->penalize_by)) < 0)
				return r;
			if (!l->penalize_by)
				return cp_yerr(doc, w, _("level '%s': penalize.by must name at least one role"),
					    l->id);
		}
		if ((w = cp_ymap_get(v, "approvals")) &&
		    (r = role_list(doc, w, "penalize.approvals", l->id, &l->penalize_approvals,
				   &l->npenalize_approvals, &mask)) < 0)
			return r;
	}
	if ((v = cp_ymap_get(n, "parties"))) {
		const char **names;
		size_t k;

		if ((r = cp_ynode_strlist(&names, &k, doc, v, "parties")) < 0)
			return r;
		for (i = 0; i < k; i++) {
			unsigned bit = !strcmp(names[i], "lead") ? CP_PARTY_LEAD
				     : !strcmp(names[i], "intake") ? CP_PARTY_INTAKE : 0;

			if (!bit || (l->parties & bit)) {
				r = cp_yerr(doc, v->kids[i], bit ? _("level '%s': party '%s' is listed twice")
							      : _("level '%s': unknown party '%s' (lead or intake)"),
					 l->id, v->kids[i]->str);
				free(names);
				return r;
			}
			l->parties |= bit;
		}
		free(names);
	}
	return 0;
}

int cp_policy_load_rules(struct cp_policy *p, const struct cp_ydoc *doc,
			 const struct cp_ynode *root)
{
	static const char *const score_keys[] = { "cap_per_person", "carry_over", NULL };
	const struct cp_ynode *v, *w;
	const char *s;
	size_t i;
	int r;

	p->late_per = CP_LATE_PER_CASE;
	p->cap_per_person = CP_NONE;
	if ((v = cp_ymap_get(root, "intake"))) {
		if ((r = cp_ynode_str(&s, doc, v, "intake")) < 0)
			return r;
		if (!*s)
			return cp_yerr(doc, v, _("intake must name a department"));
		p->intake = cp_xstrdup(s);
	}
	if ((v = cp_ymap_get(root, "late")) && (w = cp_ymap_get(v, "per"))) {
		if (w->type != CP_Y_SCALAR ||
		    (strcmp(w->str, "case") && strcmp(w->str, "deadline")))
			return cp_yerr(doc, w, _("late.per must be 'case' or 'deadline'"));
		p->late_per = !strcmp(w->str, "deadline") ? CP_LATE_PER_DEADLINE
							  : CP_LATE_PER_CASE;
	}
	if ((v = cp_ymap_get(root, "score"))) {
		if ((r = cp_ymap_check_keys(doc, v, "score", score_keys)) < 0)
			return r;
		if ((w = cp_ymap_get(v, "cap_per_person")) &&
		    (r = cp_ynode_int(&p->cap_per_person, doc, w, "score.cap_per_person", 1,
				   1000000)) < 0)
			return r;
		if ((w = cp_ymap_get(v, "carry_over")) &&
		    (r = cp_ynode_bool(&p->carry_over, doc, w, "score.carry_over")) < 0)
			return r;
	}
	/* a level whose parties or penalize roles name intake needs an intake department */
	for (i = 0; i < p->nlevels; i++) {
		const struct cp_level *l = &p->levels[i];
		bool uses = (l->parties & CP_PARTY_INTAKE) ||
			    (l->has_penalize && cp_ymap_get(root, "levels") &&
			     ((l->penalize_by & (1u << ROLE_INTAKE)) &&
			      l->penalize_by != ((1u << ROLE_HEAD) | (1u << ROLE_LEADER) |
						 (1u << ROLE_DIRECTOR) | (1u << ROLE_INTAKE))));
		size_t j;

		for (j = 0; j < l->npenalize_approvals; j++)
			uses |= l->penalize_approvals[j] == ROLE_INTAKE;
		if (uses && !p->intake)
			return cp_yerr(doc, cp_ymap_get(root, "levels"),
				    _("level '%s' names the intake department (parties or penalize) but the policy has no 'intake'"),
				    l->id);
	}
	return 0;
}
