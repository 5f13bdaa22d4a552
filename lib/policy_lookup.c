/*
 * policy_lookup.c - using a loaded policy: the names of events and
 * roles, a level, kind, scope or flag by its id, classifying a case, and
 * freeing it.  policy.c loads and validates policy.yaml.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/policy.h"
#include "complaint/tz.h"
#include "policy_priv.h"

static const char *const evt_names[EV__COUNT] = {
	"new", "assign", "notify", "onsite", "plan", "approve", "resolve",
	"callback", "close", "reopen", "note", "reclassify", "penalize",
	"set", "analyze", "measure", "measure_done", "withdraw", "hold",
	"resume", "letter"
};

const char *cp_evt_name(enum cp_evt e)
{
	return (unsigned)e < EV__COUNT ? evt_names[e] : "?";
}

int cp_evt_parse(const char *name)
{
	int i;

	for (i = 0; i < EV__COUNT; i++)
		if (!strcmp(evt_names[i], name))
			return i;
	return -1;
}

bool cp_evt_has_deadline(enum cp_evt e)
{
	switch (e) {
	case EV_ASSIGN: case EV_NOTIFY: case EV_ONSITE: case EV_PLAN:
	case EV_APPROVE: case EV_RESOLVE: case EV_CALLBACK: case EV_CLOSE:
	case EV_LETTER:
	case EV_ANALYZE:
		return true;
	default:
		return false;
	}
}

const char *cp_dl_name(enum cp_evt e)
{
	return e == EV_ANALYZE ? "analysis" : cp_evt_name(e);
}

int cp_dl_parse(const char *name)
{
	int e;

	if (!strcmp(name, "analysis"))
		return EV_ANALYZE;
	e = cp_evt_parse(name);
	if (e < 0 || e == EV_ANALYZE || !cp_evt_has_deadline((enum cp_evt)e))
		return -1;
	return e;
}

static const char *const role_names[ROLE__COUNT] = {
	"department", "head", "leader", "responsible", "director", "intake"
};

const char *cp_role_name(enum cp_role r)
{
	return (unsigned)r < ROLE__COUNT ? role_names[r] : "?";
}

static int find_str(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return (int)i;
	return -1;
}

int cp_policy_level(const struct cp_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].id, id))
			return (int)i;
	return -1;
}

int cp_policy_kind(const struct cp_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nkinds; i++)
		if (!strcmp(p->kinds[i].id, id))
			return (int)i;
	return -1;
}

int cp_policy_scope(const struct cp_policy *p, const char *id)
{
	return find_str(p->scopes, p->nscopes, id);
}

int cp_policy_flag(const struct cp_policy *p, const char *id)
{
	return find_str(p->flags, p->nflags, id);
}

bool cp_policy_has_channel(const struct cp_policy *p, const char *id)
{
	return find_str(p->channels, p->nchannels, id) >= 0;
}

bool cp_policy_has_category(const struct cp_policy *p, const char *id)
{
	return find_str(p->categories, p->ncategories, id) >= 0;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cp_policy_free(struct cp_policy *p)
{
	size_t i;

	if (!p)
		return;
	free(p->file);
	free(p->name);
	free(p->currency);
	free(p->timezone);
	cp_tz_free(p->tz);
	free(p->report_title);
	free(p->cal.holidays);
	free(p->cal.extra);
	free(p->cal.years);
	free_strv(p->channels, p->nchannels);
	for (i = 0; i < p->nkinds; i++) {
		free(p->kinds[i].id);
		free(p->kinds[i].name);
	}
	free(p->kinds);
	free_strv(p->categories, p->ncategories);
	free_strv(p->scopes, p->nscopes);
	free_strv(p->flags, p->nflags);
	for (i = 0; i < p->nlevels; i++) {
		struct cp_level *l = &p->levels[i];

		free(l->id);
		free(l->name);
		free(l->flags);
		free(l->kinds);
		free(l->deadlines);
		free(l->approvals);
		free(l->penalize_approvals);
	}
	free(p->levels);
	free(p->intake);
	cp_policy_free_fields(p);
	free(p);
}

static bool has_flag(const struct cp_policy *p, const struct cp_facts *f,
		     int flag)
{
	size_t i;

	for (i = 0; i < f->nflags; i++)
		if (!strcmp(f->flags[i], p->flags[flag]))
			return true;
	return false;
}

int cp_classify(const struct cp_policy *p, const struct cp_facts *f)
{
	int scope = f->scope ? cp_policy_scope(p, f->scope) : -1;
	int kind = f->kind ? cp_policy_kind(p, f->kind) : -1;
	size_t i, j;

	for (i = p->nlevels; i-- > 0;) {
		const struct cp_level *l = &p->levels[i];

		if (l->min_amount >= 0 && f->has_amount && f->amount >= l->min_amount)
			return (int)i;
		if (l->min_scope >= 0 && scope >= l->min_scope)
			return (int)i;
		for (j = 0; j < l->nflags; j++)
			if (has_flag(p, f, l->flags[j]))
				return (int)i;
		for (j = 0; j < l->nkinds; j++)
			if (l->kinds[j] == kind)
				return (int)i;
	}
	return 0;
}
