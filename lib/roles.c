/*
 * roles.c - who holds a role on a case: its head or leader, a director
 * of the roster, the intake department.  Below lifecycle.c and
 * procedure.c, which both ask (a penalty's and a measure's sign-off).
 */
#include <stdbool.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/lifecycle.h"
#include "complaint/policy.h"
#include "life.h"

const char *cp_actor_person(const char *actor)
{
	const char *slash = strrchr(actor, '/');

	return slash && slash[1] ? slash + 1 : actor;
}

bool cp_same_person(const char *actor, const char *person)
{
	return person && *person &&
	       (!strcmp(actor, person) || !strcmp(cp_actor_person(actor), person));
}

bool cp_role_held(const struct cp_case *c, const struct cp_policy *p,
		  const struct cp_org *o, const char *actor, enum cp_role role)
{
	const struct cp_dept *in;
	const char *slash;

	switch (role) {
	case ROLE_HEAD: return cp_same_person(actor, c->d.head);
	case ROLE_LEADER: return cp_same_person(actor, c->d.leader);
	case ROLE_DIRECTOR:
		return cp_org_is_director(o, actor) ||
		       cp_org_is_director(o, cp_actor_person(actor));
	case ROLE_INTAKE:
		if (!p->intake)
			return false;
		slash = strrchr(actor, '/');
		if (slash && (size_t)(slash - actor) == strlen(p->intake) &&
		    !strncmp(actor, p->intake, strlen(p->intake)))
			return true;
		in = cp_org_dept(o, p->intake);
		return in && cp_same_person(actor, in->head);
	default:
		return false;
	}
}
