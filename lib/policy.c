/*
 * policy.c - load and validate policy.yaml (policy_lookup.c: using it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/tz.h"
#include "yaml_subset.h"
#include "audit.h"
#include "complaint/i18n.h"
#include "policy_priv.h"

struct loader {
	const struct cp_ydoc *doc;
	struct cp_policy *p;
};

static int need(struct loader *L, const struct cp_ynode *map, const char *key,
		const char *what, const struct cp_ynode **out)
{
	*out = cp_ymap_get(map, key);
	if (!*out)
		return cp_yerr(L->doc, map, _("%s: missing required key '%s'"), what, key);
	return 0;
}

static int get_str(struct loader *L, const struct cp_ynode *n, const char *what,
		   char **out)
{
	const char *s;
	int r = cp_ynode_str(&s, L->doc, n, what);

	if (r < 0)
		return r;
	if (!*s)
		return cp_yerr(L->doc, n, _("%s must not be empty"), what);
	*out = cp_xstrdup(s);
	return 0;
}

/* A list of unique, non-empty identifiers. */
static int get_ids(struct loader *L, const struct cp_ynode *n, const char *what,
		   char ***out, size_t *count)
{
	const char **v;
	size_t i, j, k;
	int r;

	r = cp_ynode_strlist(&v, &k, L->doc, n, what);
	if (r < 0)
		return r;
	for (i = 0; i < k; i++) {
		if (!*v[i] || strlen(v[i]) > 64) {
			free(v);
			return cp_yerr(L->doc, n->kids[i], _("%s: '%s' is not a valid name"),
				    what, n->kids[i]->str);
		}
		for (j = 0; j < i; j++)
			if (!strcmp(v[i], v[j])) {
				free(v);
				return cp_yerr(L->doc, n->kids[i], _("%s: '%s' is listed twice"),
					    what, n->kids[i]->str);
			}
	}
	*out = cp_xcalloc(k + 1, sizeof(char *));
	for (i = 0; i < k; i++)
		(*out)[i] = cp_xstrdup(v[i]);
	*count = k;
	free(v);
	return 0;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

static int get_dates(struct loader *L, const struct cp_ynode *n, const char *what,
		     int32_t **out, size_t *count)
{
	size_t i;

	if (n->type != CP_Y_SEQ)
		return cp_yerr(L->doc, n, _("%s must be a list of dates"), what);
	*out = cp_xcalloc(n->n + 1, sizeof(int32_t));
	*count = n->n;
	for (i = 0; i < n->n; i++) {
		const struct cp_ynode *d = n->kids[i];

		if (d->type != CP_Y_SCALAR || cp_date_parse(&(*out)[i], d->str) < 0)
			return cp_yerr(L->doc, d, _("%s: '%s' is not a date (YYYY-MM-DD)"),
				    what, d->type == CP_Y_SCALAR ? d->str : "");
	}
	qsort(*out, *count, sizeof(int32_t), cmp_i32);
	return 0;
}

static int add_year(struct cp_calendar *cal, int32_t day)
{
	int y, m, d;
	size_t i;

	cp_civil_from_days(&y, &m, &d, day);
	for (i = 0; i < cal->nyears; i++)
		if (cal->years[i] == y)
			return 0;
	cal->years = cp_xrealloc(cal->years, (cal->nyears + 1) * sizeof(int));
	cal->years[cal->nyears++] = y;
	return 0;
}

static int load_calendar(struct loader *L, const struct cp_ynode *n)
{
	static const char *const keys[] = { "workdays", "holidays",
					    "extra_workdays", NULL };
	static const char *const days[] = { "sun", "mon", "tue", "wed", "thu",
					    "fri", "sat" };
	struct cp_calendar *cal = &L->p->cal;
	const struct cp_ynode *v;
	size_t i;
	int r, w;

	cal->workdays = 0x3e;	/* mon-fri */
	if (!n)
		return 0;
	if ((r = cp_ymap_check_keys(L->doc, n, "calendar", keys)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "workdays"))) {
		const char **names;
		size_t k;

		if ((r = cp_ynode_strlist(&names, &k, L->doc, v, "calendar.workdays")) < 0)
			return r;
		cal->workdays = 0;
		for (i = 0; i < k; i++) {
			for (w = 0; w < 7; w++)
				if (!strcmp(names[i], days[w]))
					break;
			if (w == 7) {
				free(names);
				return cp_yerr(L->doc, v->kids[i],
					    _("calendar.workdays: '%s' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
					    v->kids[i]->str);
			}
			cal->workdays |= 1u << w;
		}
		free(names);
		if (!cal->workdays)
			return cp_yerr(L->doc, v, _("calendar.workdays must name at least one weekday"));
	}
	if ((v = cp_ymap_get(n, "holidays")) &&
	    (r = get_dates(L, v, "calendar.holidays", &cal->holidays,
			   &cal->nholidays)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "extra_workdays")) &&
	    (r = get_dates(L, v, "calendar.extra_workdays", &cal->extra,
			   &cal->nextra)) < 0)
		return r;
	for (i = 0; i < cal->nholidays; i++) {
		if (i && cal->holidays[i] == cal->holidays[i - 1])
			return cp_yerr(L->doc, cp_ymap_get(n, "holidays"),
				    _("calendar.holidays lists a date twice"));
		add_year(cal, cal->holidays[i]);
	}
	for (i = 0; i < cal->nextra; i++) {
		size_t j;

		for (j = 0; j < cal->nholidays; j++)
			if (cal->holidays[j] == cal->extra[i]) {
				char d[CP_TIME_BUF];

				cp_day_fmt(d, cal->extra[i]);
				return cp_yerr(L->doc, cp_ymap_get(n, "extra_workdays"),
					    _("calendar: %s is both a holiday and an extra working day"),
					    d);
			}
		add_year(cal, cal->extra[i]);
	}
	return 0;
}

static int load_kinds(struct loader *L, const struct cp_ynode *n)
{
	static const char *const keys[] = { "id", "name", "scored", NULL };
	struct cp_policy *p = L->p;
	size_t i, j;
	int r;

	if (!n) {
		p->kinds = cp_xcalloc(1, sizeof(*p->kinds));
		p->kinds[0].id = cp_xstrdup("complaint");
		p->kinds[0].name = cp_xstrdup("complaint");
		p->kinds[0].scored = true;
		p->nkinds = 1;
		return 0;
	}
	if (n->type != CP_Y_SEQ || !n->n)
		return cp_yerr(L->doc, n, _("kinds must be a non-empty list of {id, name, scored}"));
	p->kinds = cp_xcalloc(n->n, sizeof(*p->kinds));
	for (i = 0; i < n->n; i++) {
		const struct cp_ynode *k = n->kids[i], *v;
		struct cp_kind *kd = &p->kinds[i];

		p->nkinds = i + 1;
		kd->scored = true;
		if ((r = cp_ymap_check_keys(L->doc, k, "a kind", keys)) < 0)
			return r;
		if ((r = need(L, k, "id", "kind", &v)) < 0 ||
		    (r = get_str(L, v, "kind id", &kd->id)) < 0)
			return r;
		if ((v = cp_ymap_get(k, "name"))) {
			if ((r = get_str(L, v, "kind name", &kd->name)) < 0)
				return r;
		} else {
			kd->name = cp_xstrdup(kd->id);
		}
		if ((v = cp_ymap_get(k, "scored")) &&
		    (r = cp_ynode_bool(&kd->scored, L->doc, v, "kind scored")) < 0)
			return r;
		for (j = 0; j < i; j++)
			if (!strcmp(p->kinds[j].id, kd->id))
				return cp_yerr(L->doc, k, _("kind '%s' is listed twice"), kd->id);
	}
	return 0;
}

static int load_penalties(struct loader *L, const struct cp_ynode *n,
			  const char *what, struct cp_penalties *pen, bool level)
{
	static const char *const keys[] = { "department", "head", "leader",
					    "responsible", NULL };
	static const char *const late_keys[] = { "department", "head", "leader",
						 "responsible", "per", NULL };
	static const char *const maxkeys[] = { "max", NULL };
	int role, r;

	for (role = 0; role < ROLE__COUNT; role++)
		pen->points[role] = CP_NONE;
	pen->responsible_max = CP_NONE;
	if (!n)
		return 0;
	if ((r = cp_ymap_check_keys(L->doc, n, what, pen == &L->p->late ? late_keys : keys)) < 0)
		return r;
	for (role = ROLE_DEPARTMENT; role <= ROLE_RESPONSIBLE; role++) {
		const struct cp_ynode *v = cp_ymap_get(n, cp_role_name(role));
		char label[128];

		if (!v)
			continue;
		snprintf(label, sizeof(label), "%s.%s", what, cp_role_name(role));
		if (role == ROLE_RESPONSIBLE && level && v->type == CP_Y_MAP) {
			const struct cp_ynode *m;

			if ((r = cp_ymap_check_keys(L->doc, v, label, maxkeys)) < 0 ||
			    (r = need(L, v, "max", label, &m)) < 0)
				return r;
			if (m->type == CP_Y_SCALAR && m->plain && m->str[0] == '-')
				return cp_yerr(L->doc, m, _("%s.max: points must not be negative"), label);
			if ((r = cp_ynode_int(&pen->responsible_max, L->doc, m, label, 0,
					   1000000)) < 0)
				return r;
			continue;
		}
		if (v->type == CP_Y_SCALAR && v->plain && v->str[0] == '-')
			return cp_yerr(L->doc, v, _("%s: points must not be negative"), label);
		if ((r = cp_ynode_int(&pen->points[role], L->doc, v, label, 0, 1000000)) < 0)
			return r;
	}
	return 0;
}

static int load_deadline(struct loader *L, const struct cp_ynode *k,
			 const struct cp_ynode *v, const char *lvl,
			 struct cp_deadline_rule *d)
{
	static const char *const keys[] = { "within", "from", NULL };
	const struct cp_ynode *w = v, *f;
	int e, r;

	d->line = k->line;
	e = cp_dl_parse(k->str);
	if (e < 0)
		return cp_yerr(L->doc, k,
			    _("level '%s': unknown event '%s' in deadlines (one of assign, notify, onsite, plan, approve, resolve, callback, close, analysis)"),
			    lvl, k->str);
	d->event = (enum cp_evt)e;
	d->from = EV_NEW;
	if (v->type == CP_Y_MAP) {
		if ((r = cp_ymap_check_keys(L->doc, v, "a deadline", keys)) < 0 ||
		    (r = need(L, v, "within", "deadline", &w)) < 0)
			return r;
		if ((f = cp_ymap_get(v, "from"))) {
			if (f->type != CP_Y_SCALAR)
				return cp_yerr(L->doc, f, _("deadline 'from' must be an event name"));
			if (!strcmp(f->str, "received")) {
				d->from = EV_NEW;
			} else {
				e = cp_dl_parse(f->str);
				if (e < 0)
					return cp_yerr(L->doc, f,
						    _("level '%s': deadline '%s' runs from unknown event '%s' (received or one of assign, notify, onsite, plan, approve, resolve, callback, close, analysis)"),
						    lvl, k->str, f->str);
				d->from = (enum cp_evt)e;
				if (d->from == d->event)
					return cp_yerr(L->doc, f,
						    _("level '%s': deadline '%s' runs from itself"),
						    lvl, k->str);
			}
		}
	}
	if (w->type != CP_Y_SCALAR || cp_duration_parse(&d->within, w->str) < 0)
		return cp_yerr(L->doc, w,
			    _("level '%s': deadline '%s': malformed duration (Nm, Nh, Nd or Nwd)"),
			    lvl, k->str);
	return 0;
}

/* Reject `from` chains that loop (notify from onsite from notify). */
static int check_cycles(struct loader *L, const struct cp_level *l,
			const struct cp_ynode *dl)
{
	size_t i, steps, j;

	for (i = 0; i < l->ndeadlines; i++) {
		enum cp_evt cur = l->deadlines[i].from;

		for (steps = 0; cur != EV_NEW; steps++) {
			if (steps > l->ndeadlines)
				return cp_yerr(L->doc, dl,
					    _("level '%s': the 'from' of deadline '%s' leads round in a cycle"),
					    l->id, cp_dl_name(l->deadlines[i].event));
			for (j = 0; j < l->ndeadlines; j++)
				if (l->deadlines[j].event == cur)
					break;
			if (j == l->ndeadlines)
				break;	/* from an event without a deadline */
			cur = l->deadlines[j].from;
		}
	}
	return 0;
}

static int load_level(struct loader *L, const struct cp_ynode *n,
		      struct cp_level *l)
{
	static const char *const keys[] = { "id", "name", "min_amount",
		"min_scope", "flags", "kinds", "deadlines", "approvals",
		"penalties", "penalize", "parties", "hold", NULL };
	struct cp_policy *p = L->p;
	const struct cp_ynode *v;
	size_t i, prev_i;
	int r;

	l->min_amount = CP_MONEY_NONE;
	l->min_scope = CP_NONE;
	if ((r = cp_ymap_check_keys(L->doc, n, "a level", keys)) < 0)
		return r;
	if ((r = need(L, n, "id", "level", &v)) < 0 ||
	    (r = get_str(L, v, "level id", &l->id)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "name"))) {
		if ((r = get_str(L, v, "level name", &l->name)) < 0)
			return r;
	} else {
		l->name = cp_xstrdup(l->id);
	}
	if ((v = cp_ymap_get(n, "min_amount"))) {
		char what[128];

		snprintf(what, sizeof(what), "level '%s': min_amount", l->id);
		if ((r = cp_ynode_money(&l->min_amount, L->doc, v, what)) < 0)
			return r;
	}
	if ((v = cp_ymap_get(n, "min_scope"))) {
		if (v->type != CP_Y_SCALAR ||
		    (l->min_scope = cp_policy_scope(p, v->str)) < 0)
			return cp_yerr(L->doc, v, _("level '%s': unknown scope '%s' (scopes: see 'scopes')"),
				    l->id, v->type == CP_Y_SCALAR ? v->str : "");
	}
	if ((v = cp_ymap_get(n, "flags"))) {
		const char **names;
		size_t k;

		if ((r = cp_ynode_strlist(&names, &k, L->doc, v, "level flags")) < 0)
			return r;
		l->flags = cp_xcalloc(k + 1, sizeof(int));
		l->nflags = k;
		for (i = 0; i < k; i++)
			if ((l->flags[i] = cp_policy_flag(p, names[i])) < 0) {
				free(names);
				return cp_yerr(L->doc, v->kids[i],
					    _("level '%s': unknown flag '%s' (add it to 'flags')"),
					    l->id, v->kids[i]->str);
			}
		free(names);
	}
	if ((v = cp_ymap_get(n, "kinds"))) {
		const char **names;
		size_t k;

		if ((r = cp_ynode_strlist(&names, &k, L->doc, v, "level kinds")) < 0)
			return r;
		l->kinds = cp_xcalloc(k + 1, sizeof(int));
		l->nkinds = k;
		for (i = 0; i < k; i++)
			if ((l->kinds[i] = cp_policy_kind(p, names[i])) < 0) {
				free(names);
				return cp_yerr(L->doc, v->kids[i],
					    _("level '%s': unknown kind '%s'"),
					    l->id, v->kids[i]->str);
			}
		free(names);
	}
	if ((v = cp_ymap_get(n, "deadlines"))) {
		if (v->type != CP_Y_MAP)
			return cp_yerr(L->doc, v, _("level '%s': deadlines must be a mapping of event: duration"),
				    l->id);
		l->deadlines = cp_xcalloc(v->n / 2 + 1, sizeof(*l->deadlines));
		for (i = 0; i + 1 < v->n; i += 2) {
			if ((r = load_deadline(L, v->kids[i], v->kids[i + 1], l->id,
					       &l->deadlines[l->ndeadlines])) < 0)
				return r;
			l->ndeadlines++;
		}
		if ((r = check_cycles(L, l, v)) < 0)
			return r;
	}
	if ((v = cp_ymap_get(n, "approvals"))) {
		struct cp_sbuf what = CP_SBUF_INIT;

		cp_sbuf_addf(&what, "level '%s': approvals", l->id);
		r = cp_policy_load_roles(&l->approvals, &l->napprovals, L->doc, v, what.buf);
		cp_sbuf_release(&what);
		if (r < 0)
			return r;
	}
	if ((r = load_penalties(L, cp_ymap_get(n, "penalties"), "penalties",
				&l->penalties, true)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "hold")) &&
	    (r = cp_ynode_bool(&l->hold, L->doc, v, "level hold")) < 0)
		return r;
	for (i = 0; i < l->ndeadlines; i++)
		if (l->deadlines[i].event == EV_PLAN)
			l->needs_plan = true;
	if (l->napprovals)
		l->needs_plan = true;
	if ((r = cp_policy_load_level_rules(L->doc, n, p, l)) < 0)
		return r;
	/* ascending: compare with the nearest earlier level that sets each threshold */
	for (prev_i = L->p->nlevels - 1; prev_i-- > 0;) {
		const struct cp_level *pl = &L->p->levels[prev_i];

		if (pl->min_amount < 0 || l->min_amount < 0)
			continue;
		if (l->min_amount < pl->min_amount) {
			struct cp_sbuf a = CP_SBUF_INIT, b = CP_SBUF_INIT;

			cp_money_fmt(&a, l->min_amount);
			cp_money_fmt(&b, pl->min_amount);
			r = cp_yerr(L->doc, cp_ymap_get(n, "min_amount"),
				 _("levels out of order: '%s' has min_amount %s, below '%s' (%s); list levels in ascending order"),
				 l->id, a.buf, pl->id, b.buf);
			cp_sbuf_release(&a);
			cp_sbuf_release(&b);
			return r;
		}
		break;
	}
	for (prev_i = L->p->nlevels - 1; prev_i-- > 0;) {
		const struct cp_level *pl = &L->p->levels[prev_i];

		if (pl->min_scope < 0 || l->min_scope < 0)
			continue;
		if (l->min_scope < pl->min_scope)
			return cp_yerr(L->doc, cp_ymap_get(n, "min_scope"),
				    _("levels out of order: '%s' has min_scope '%s', below '%s' ('%s'); list levels in ascending order"),
				    l->id, p->scopes[l->min_scope], pl->id,
				    p->scopes[pl->min_scope]);
		break;
	}
	return 0;
}

static int load(struct loader *L, const struct cp_ynode *root)
{
	static const char *const keys[] = { "name", "currency", "point_value",
		"timezone", "calendar", "channels", "kinds", "categories",
		"scopes", "flags", "levels", "late", "unsatisfied",
		"close_requires_callback", "report", "audit", "language", "intake", "score",
		"fields", "measures", NULL };

	static const char *const report_keys[] = { "recurring_at", "title", NULL };
	struct cp_policy *p = L->p;
	const struct cp_ynode *v;
	size_t i, j;
	int r;

	if (!root || root->type != CP_Y_MAP)
		return cp_yerr(L->doc, root, _("a policy must be a mapping of keys"));
	if ((r = cp_ymap_check_keys(L->doc, root, "the policy", keys)) < 0)
		return r;
	if ((r = need(L, root, "name", "policy", &v)) < 0 ||
	    (r = get_str(L, v, "name", &p->name)) < 0)
		return r;
	if ((r = need(L, root, "currency", "policy", &v)) < 0 ||
	    (r = get_str(L, v, "currency", &p->currency)) < 0)
		return r;
	if ((r = need(L, root, "point_value", "policy", &v)) < 0 ||
	    (r = cp_ynode_money(&p->point_value, L->doc, v, "point_value")) < 0)
		return r;
	p->language = CP_LANG_ZH_CN;
	if ((v = cp_ymap_get(root, "language"))) {
		enum cp_lang lang;
		char *s = NULL;

		if ((r = get_str(L, v, "language", &s)) < 0)
			return r;
		r = strcmp(s, "zh-CN") && strcmp(s, "en") ? -1 : cp_lang_parse(&lang, s);
		free(s);
		if (r < 0)
			return cp_yerr(L->doc, v, _("language must be zh-CN or en"));
		p->language = lang;
	}
	if ((r = need(L, root, "timezone", "policy", &v)) < 0 ||
	    (r = get_str(L, v, "timezone", &p->timezone)) < 0)
		return r;
	if (cp_tz_check(p->timezone) < 0 || cp_tz_load(&p->tz, p->timezone) < 0)
		return cp_yerr(L->doc, v, _("timezone: %s"), cp_errmsg());
	if ((r = load_calendar(L, cp_ymap_get(root, "calendar"))) < 0)
		return r;
	if ((r = need(L, root, "channels", "policy", &v)) < 0 ||
	    (r = get_ids(L, v, "channels", &p->channels, &p->nchannels)) < 0)
		return r;
	if (!p->nchannels)
		return cp_yerr(L->doc, v, _("channels must not be empty"));
	if ((r = load_kinds(L, cp_ymap_get(root, "kinds"))) < 0)
		return r;
	if ((r = need(L, root, "categories", "policy", &v)) < 0 ||
	    (r = get_ids(L, v, "categories", &p->categories, &p->ncategories)) < 0)
		return r;
	if (!p->ncategories)
		return cp_yerr(L->doc, v, _("categories must not be empty"));
	if ((v = cp_ymap_get(root, "scopes")) &&
	    (r = get_ids(L, v, "scopes", &p->scopes, &p->nscopes)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "flags")) &&
	    (r = get_ids(L, v, "flags", &p->flags, &p->nflags)) < 0)
		return r;
	if ((r = need(L, root, "levels", "policy", &v)) < 0)
		return r;
	if (v->type != CP_Y_SEQ || !v->n)
		return cp_yerr(L->doc, v, _("levels must be a non-empty list"));
	p->levels = cp_xcalloc(v->n, sizeof(*p->levels));
	for (i = 0; i < v->n; i++) {
		p->nlevels = i + 1;
		if ((r = load_level(L, v->kids[i], &p->levels[i])) < 0)
			return r;
		for (j = 0; j < i; j++)
			if (!strcmp(p->levels[j].id, p->levels[i].id))
				return cp_yerr(L->doc, v->kids[i], _("level '%s' is listed twice"),
					    p->levels[i].id);
	}
	if ((r = load_penalties(L, cp_ymap_get(root, "late"), "late", &p->late,
				false)) < 0)
		return r;
	if ((r = cp_policy_load_rules(p, L->doc, root)) < 0)
		return r;
	if ((r = load_penalties(L, cp_ymap_get(root, "unsatisfied"), "unsatisfied",
				&p->unsatisfied, false)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "close_requires_callback")) &&
	    (r = cp_ynode_bool(&p->close_requires_callback, L->doc, v,
			    "close_requires_callback")) < 0)
		return r;
	if ((r = cp_policy_load_fields(p, L->doc, cp_ymap_get(root, "fields"))) < 0 ||
	    (r = cp_policy_load_measures(p, L->doc, cp_ymap_get(root, "measures"))) < 0)
		return r;
	p->recurring_at = 3;
	if ((v = cp_ymap_get(root, "report"))) {
		const struct cp_ynode *ra;

		if ((r = cp_ymap_check_keys(L->doc, v, "report", report_keys)) < 0)
			return r;
		if ((ra = cp_ymap_get(v, "recurring_at")) &&
		    (r = cp_ynode_int(&p->recurring_at, L->doc, ra, "report.recurring_at", 1,
				   1000000)) < 0)
			return r;
		if ((ra = cp_ymap_get(v, "title")) &&
		    (r = get_str(L, ra, "report.title", &p->report_title)) < 0)
			return r;
	}
	return cp_audit_load(&p->audit, L->doc, cp_ymap_get(root, "audit"));
}

int cp_policy_parse(struct cp_policy **out, const char *file, const char *buf,
		    size_t len)
{
	struct cp_ydoc *doc;
	struct loader L;
	int r;

	*out = NULL;
	if ((r = cp_ydoc_parse(&doc, file, buf, len)) < 0)
		return r;
	L.doc = doc;
	L.p = cp_xcalloc(1, sizeof(*L.p));
	L.p->file = cp_xstrdup(file);
	r = load(&L, doc->root);
	cp_ydoc_free(doc);
	if (r < 0) {
		cp_policy_free(L.p);
		return r;
	}
	*out = L.p;
	return 0;
}
