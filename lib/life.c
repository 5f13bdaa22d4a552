/*
 * life.c - a case's life event by event, the lifecycle table, time
 * order (see life.h), and deriving a case (cp_case_derive) by living it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "life.h"
#include "complaint/i18n.h"
#include "complaint/procedure.h"

#define B(s) (1u << (s))
#define WORKING (B(ST_ASSIGNED) | B(ST_PLANNED) | B(ST_APPROVED))
#define ANY ((1u << ST__COUNT) - 1)

/* SPEC section 5, "Lifecycle": the statuses each action is allowed in. */
static const unsigned allowed[EV__COUNT] = {
	[EV_NEW] = B(ST_NEW),		/* the first event only: the parser sees to that */
	[EV_ASSIGN] = B(ST_NEW) | WORKING,
	/* SPEC section 9: before assign too (the superior is told at once) */
	[EV_NOTIFY] = ANY & ~B(ST_CLOSED),
	[EV_ONSITE] = ANY & ~B(ST_CLOSED),
	[EV_PLAN] = B(ST_ASSIGNED) | B(ST_PLANNED),
	[EV_APPROVE] = B(ST_PLANNED),
	[EV_RESOLVE] = WORKING,
	[EV_CALLBACK] = B(ST_RESOLVED) | B(ST_CLOSED),
	[EV_CLOSE] = B(ST_RESOLVED),
	[EV_REOPEN] = B(ST_RESOLVED) | B(ST_CLOSED),
	[EV_NOTE] = ANY,
	[EV_RECLASSIFY] = ANY & ~B(ST_CLOSED),
	[EV_PENALIZE] = ANY,
	[EV_SET] = ANY,
	[EV_ANALYZE] = ANY,
	[EV_MEASURE] = ANY,
	[EV_MEASURE_DONE] = ANY,
	[EV_WITHDRAW] = ANY,
	[EV_HOLD] = B(ST_NEW) | WORKING,
	[EV_RESUME] = ANY,
	[EV_LETTER] = ANY,
};

unsigned cp_life_allowed_in(enum cp_evt a)
{
	return (unsigned)a < EV__COUNT ? allowed[a] : 0;
}

void cp_life_init(struct cp_life *l, const struct cp_case *c, const struct cp_policy *p)
{
	memset(l, 0, sizeof(*l));
	l->p = p;
	l->classified = cp_case_classify(c, p);
	l->level = -1;
	l->st = ST_NEW;
	l->roles = l->inline_roles;
	l->aroles = CP_LIFE_ROLES;
}

void cp_life_copy(struct cp_life *dst, const struct cp_life *src)
{
	*dst = *src;
	if (src->roles == src->inline_roles) {
		dst->roles = dst->inline_roles;
	} else {
		dst->roles = cp_xmalloc(src->aroles * sizeof(*dst->roles));
		memcpy(dst->roles, src->roles, src->nroles * sizeof(*dst->roles));
	}
}

void cp_life_release(struct cp_life *l)
{
	if (l->roles != l->inline_roles)
		free(l->roles);
	l->roles = l->inline_roles;
	l->nroles = 0;
	l->aroles = CP_LIFE_ROLES;
}

int cp_life_level(const struct cp_life *l)
{
	return l->level >= 0 ? l->level : l->classified;
}

static const struct cp_level *level_of(const struct cp_life *l)
{
	return &l->p->levels[cp_life_level(l)];
}

/* An approval with this role counts when it is the next the level asks for. */
static bool counts(const struct cp_level *lv, size_t done, const char *role)
{
	return done < lv->napprovals &&
	       (!role || !strcmp(role, cp_role_name(lv->approvals[done])));
}

static void recount(struct cp_life *l)
{
	const struct cp_level *lv = level_of(l);
	size_t i;

	l->napproved = 0;
	for (i = 0; i < l->nroles; i++)
		if (counts(lv, l->napproved, l->roles[i]))
			l->napproved++;
}

static void new_round(struct cp_life *l)
{
	l->nroles = 0;
	l->napproved = 0;
}

static int set_level(struct cp_life *l, const char *sev)
{
	if (!sev)
		return 0;
	if ((l->level = cp_policy_level(l->p, sev)) < 0)
		return cp_error(CP_EDATA, _("level '%s' is not in the policy"), sev);
	recount(l);
	return 0;
}

int cp_life_step(struct cp_life *l, const struct cp_event *e)
{
	if (e->action == EV_APPROVE && e->ref)
		return 0;	/* of a proposal or measure, not of the plan */
	switch (e->action) {
	case EV_NEW:
		l->st = ST_NEW;
		return set_level(l, e->severity);
	case EV_RECLASSIFY:
		return set_level(l, e->severity);
	case EV_ASSIGN:
		if (l->st != ST_RESOLVED && l->st != ST_CLOSED) {
			/* a new department plans and approves anew */
			l->st = ST_ASSIGNED;
			l->planned = false;
			new_round(l);
		}
		break;
	case EV_PLAN:
		l->planned = true;
		new_round(l);
		l->st = ST_PLANNED;
		break;
	case EV_APPROVE:
		if (e->ref)
			break;		/* a measure's (or a penalty's) sign-off */
		l->st = ST_PLANNED;	/* approved is decided by cp_life_status() */
		if (l->nroles == l->aroles) {
			size_t n = 2 * l->aroles;
			const char **v = cp_xmalloc(n * sizeof(*v));

			memcpy(v, l->roles, l->nroles * sizeof(*v));
			if (l->roles != l->inline_roles)
				free(l->roles);
			l->roles = v;
			l->aroles = n;
		}
		l->roles[l->nroles++] = e->role;
		if (counts(level_of(l), l->napproved, e->role))
			l->napproved++;
		break;
	case EV_RESOLVE:
		l->st = ST_RESOLVED;
		l->callback = false;
		break;
	case EV_CLOSE:
		l->st = ST_CLOSED;
		break;
	case EV_REOPEN:
		l->planned = false;
		new_round(l);
		l->st = ST_ASSIGNED;
		break;
	case EV_CALLBACK:
		l->callback = true;
		break;
	case EV_HOLD:
		l->held = true;
		break;
	case EV_RESUME:
		l->held = false;
		break;
	default:
		break;
	}
	return 0;
}

enum cp_status cp_life_status(const struct cp_life *l)
{
	const struct cp_level *lv = level_of(l);

	if (l->st == ST_PLANNED && lv->napprovals && l->napproved >= lv->napprovals)
		return ST_APPROVED;
	/* approved, then reclassified to a level that needs no approvals: still approved */
	if (l->st == ST_PLANNED && !lv->napprovals && l->nroles)
		return ST_APPROVED;
	return l->st;
}

static const char *status_list(unsigned mask, char *buf, size_t size)
{
	int s;

	buf[0] = '\0';
	for (s = 0; s < ST__COUNT; s++)
		if (mask & B(s)) {
			if (buf[0])
				strncat(buf, " or ", size - strlen(buf) - 1);
			strncat(buf, cp_status_name((enum cp_status)s), size - strlen(buf) - 1);
		}
	return buf;
}

/*
 * Is role among the first n approvals the level asks for?  An approval
 * given again (two sites each recorded it) is no step out of order.
 */
static bool given(const struct cp_level *lv, size_t n, const char *role)
{
	size_t i;

	for (i = 0; i < n && i < lv->napprovals; i++)
		if (!strcmp(role, cp_role_name(lv->approvals[i])))
			return true;
	return false;
}

int cp_life_allows(const struct cp_life *l, const struct cp_event *e)
{
	const struct cp_level *lv = level_of(l);
	enum cp_status st = cp_life_status(l);
	char buf[128];

	if (e->action == EV_APPROVE && e->ref)
		return 0;	/* a proposal's or measure's: judged by lifecycle.c */
	if (!(cp_life_allowed_in(e->action) & B(st)))
		return cp_error(CP_ERULE, _("the case is %s; %s needs it %s"), cp_status_name(st),
				cp_evt_name(e->action),
				status_list(cp_life_allowed_in(e->action), buf, sizeof(buf)));
	switch (e->action) {
	case EV_APPROVE:
		if (!lv->napprovals)
			return cp_error(CP_ERULE, _("level %s needs no approvals"), lv->id);
		if (e->role && !given(lv, l->napproved + 1, e->role))
			return cp_error(CP_ERULE, _("needs approval by %s next, not %s"),
					cp_role_name(lv->approvals[l->napproved]), e->role);
		break;
	case EV_RESOLVE:
		if (lv->napprovals && st != ST_APPROVED)
			return cp_error(CP_ERULE, _("level %s needs approval by %s first"), lv->id,
					cp_role_name(lv->approvals[l->napproved]));
		if (!lv->napprovals && lv->needs_plan && !l->planned)
			return cp_error(CP_ERULE, _("level %s needs a plan first"), lv->id);
		break;
	case EV_CLOSE:
		if (l->p->close_requires_callback && !l->callback)
			return cp_error(CP_ERULE, _("the policy requires a customer callback before close"));
		break;
	case EV_HOLD:
		if (l->held)
			return cp_error(CP_ERULE, _("the case is already on hold (resume it first)"));
		if (!lv->hold)
			return cp_error(CP_ERULE, _("level %s does not allow holds (the policy's level says hold: false)"),
					lv->id);
		break;
	case EV_RESUME:
		if (!l->held)
			return cp_error(CP_ERULE, _("the case is not on hold"));
		break;
	default:
		break;
	}
	return 0;
}

/* ---- time order ---- */

/* Some events of a case in an order, and which were valid in it. */
struct order {
	const struct cp_case *c;
	const struct cp_policy *p;
	const struct cp_event **ev;
	bool *ok;
	size_t n, bad;
};

static int cmp_at(const void *x, const void *y)
{
	const struct cp_event *a = *(const struct cp_event *const *)x;
	const struct cp_event *b = *(const struct cp_event *const *)y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a < b ? -1 : a > b;	/* the file's order among equal times */
}

/* c's events, but skip (NULL: none), in time order or in the file's. */
static void order_init(struct order *o, const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_event *skip, bool by_time)
{
	struct cp_life l;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->c = c;
	o->p = p;
	o->ev = cp_xmalloc((c->nevents + 1) * sizeof(*o->ev));
	o->ok = cp_xcalloc(c->nevents + 1, sizeof(*o->ok));
	/* events dated before the case was received are skipped, as readers do */
	for (i = 0; i < c->nevents; i++)
		if (&c->events[i] != skip && !cp_event_impossible(c, &c->events[i]))
			o->ev[o->n++] = &c->events[i];
	if (by_time)
		qsort(o->ev, o->n, sizeof(*o->ev), cmp_at);
	cp_life_init(&l, c, p);
	for (i = 0; i < o->n; i++) {
		o->ok[i] = cp_life_allows(&l, o->ev[i]) == 0;
		o->bad += !o->ok[i];
		cp_life_step(&l, o->ev[i]);
	}
	cp_life_release(&l);
	cp_error_clear();
}

static void order_release(struct order *o)
{
	free(o->ev);
	free(o->ok);
}

/*
 * Does e fit between ev[k-1] and ev[k] (pre: the life after ev[0..k)):
 * allowed there, and every later event that was valid still is?
 */
static bool fits(const struct order *o, const struct cp_life *pre, size_t k,
		 const struct cp_event *e)
{
	struct cp_life l;
	bool ok;
	size_t j;

	cp_life_copy(&l, pre);
	ok = cp_life_allows(&l, e) == 0;
	if (ok)
		cp_life_step(&l, e);
	for (j = k; ok && j < o->n; j++) {
		if (o->ok[j] && cp_life_allows(&l, o->ev[j]) < 0)
			ok = false;
		cp_life_step(&l, o->ev[j]);
	}
	cp_life_release(&l);
	cp_error_clear();
	return ok;
}

/* The first place k >= from where e fits, or n + 1. */
static size_t first_fit(const struct order *o, const struct cp_event *e, size_t from)
{
	struct cp_life pre;
	size_t i, k = o->n + 1;

	cp_life_init(&pre, o->c, o->p);
	for (i = 0; i < from && i < o->n; i++)
		cp_life_step(&pre, o->ev[i]);
	for (i = from; i <= o->n; i++) {
		if (fits(o, &pre, i, e)) {
			k = i;
			break;
		}
		if (i < o->n)
			cp_life_step(&pre, o->ev[i]);
	}
	cp_life_release(&pre);
	cp_error_clear();
	return k;
}

static size_t number_of(const struct cp_case *c, const struct cp_event *e)
{
	return (size_t)(e - c->events) + 1;
}

static int refuse(const struct cp_case *c, const struct cp_tz *z, const struct cp_event *e,
		  const struct cp_event *dep)
{
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF];

	cp_time_fmt(t1, z, e->at);
	cp_time_fmt(t2, z, dep->at);
	return cp_error(CP_ERULE,
			_("%s at %s would come before the %s at %s (event %zu, by %s) that it follows; the events of a case, read in time order, must be a valid life: record it at %s or later"),
			cp_evt_name(e->action), t1, cp_evt_name(dep->action), t2,
			number_of(c, dep), dep->by ? dep->by : "?", t2);
}

bool cp_life_valid_in_time(const struct cp_case *c, const struct cp_policy *p)
{
	struct order o;
	bool ok;

	order_init(&o, c, p, NULL, true);
	ok = !o.bad;
	order_release(&o);
	return ok;
}

void cp_case_sort_by_time(struct cp_case *c)
{
	const struct cp_event **v = cp_xmalloc((c->nevents + 1) * sizeof(*v));
	struct cp_event *sorted = cp_xmalloc((c->nevents + 1) * sizeof(*sorted));
	size_t i;

	for (i = 0; i < c->nevents; i++)
		v[i] = &c->events[i];
	qsort(v, c->nevents, sizeof(*v), cmp_at);
	for (i = 0; i < c->nevents; i++)
		sorted[i] = *v[i];
	memcpy(c->events, sorted, c->nevents * sizeof(*sorted));
	free(sorted);
	free(v);
}

int cp_life_time_order(const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_event *e)
{
	struct order o;
	size_t p0, k;
	int r = 0;

	order_init(&o, c, p, NULL, true);
	if (!o.bad) {
		for (p0 = 0; p0 < o.n && o.ev[p0]->at <= e->at; p0++)
			;
		k = first_fit(&o, e, p0);
		if (k == p0) {
			order_release(&o);
			return 0;
		}
		if (k <= o.n) {
			r = refuse(c, p->tz, e, o.ev[k - 1]);
			order_release(&o);
			return r;
		}
	}
	order_release(&o);
	/*
	 * The case's own events are no valid life in time order (written
	 * before this rule was kept, or merged): judge by the file's order,
	 * which is the order they were recorded in.
	 */
	order_init(&o, c, p, NULL, false);
	k = first_fit(&o, e, 1);
	if (k >= 1 && k <= o.n && e->at < o.ev[k - 1]->at)
		r = refuse(c, p->tz, e, o.ev[k - 1]);
	order_release(&o);
	return r;
}

int cp_life_time_problem(struct cp_sbuf *out, const struct cp_case *c,
			 const struct cp_policy *p)
{
	struct order o, o2;
	const struct cp_event *v, *y = NULL;
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF], why[512];
	struct cp_life l;
	size_t i, j, k;

	order_init(&o, c, p, NULL, true);
	if (!o.bad) {
		order_release(&o);
		return 0;
	}
	for (i = 0; o.ok[i]; i++)
		;
	v = o.ev[i];
	/* why it is not valid there */
	cp_life_init(&l, c, p);
	for (j = 0; j < i; j++)
		cp_life_step(&l, o.ev[j]);
	cp_life_allows(&l, v);
	snprintf(why, sizeof(why), "%s", cp_errmsg());
	cp_life_release(&l);
	cp_error_clear();
	cp_time_fmt(t1, p->tz, v->at);
	/* the event it should follow: where it fits, later in time */
	order_init(&o2, c, p, v, true);
	k = first_fit(&o2, v, i);
	if (k > i && k <= o2.n) {
		cp_time_fmt(t2, p->tz, o2.ev[k - 1]->at);
		cp_sbuf_addf(out, _("event %zu (%s at %s) is dated before event %zu (%s at %s), which it follows: read in time order, the events are not a valid life"),
			  number_of(c, v), cp_evt_name(v->action), t1, number_of(c, o2.ev[k - 1]),
			  cp_evt_name(o2.ev[k - 1]->action), t2);
		goto out;
	}
	/* or an event recorded after it that is dated before it */
	for (j = 0; j < i; j++)
		if (o.ev[j] > v && (!y || o.ev[j] < y))
			y = o.ev[j];
	if (y) {
		cp_time_fmt(t2, p->tz, y->at);
		cp_sbuf_addf(out, _("event %zu (%s at %s) is dated before event %zu (%s at %s), which it follows: read in time order, the events are not a valid life"),
			  number_of(c, y), cp_evt_name(y->action), t2, number_of(c, v),
			  cp_evt_name(v->action), t1);
		goto out;
	}
	cp_sbuf_addf(out, _("event %zu (%s at %s) is not a valid step where its time puts it: %s"),
		  number_of(c, v), cp_evt_name(v->action), t1, why);
out:
	order_release(&o2);
	order_release(&o);
	return 1;
}

static int check_facts(const struct cp_case *c, const struct cp_policy *p)
{
	size_t i;

	if (c->channel && !cp_policy_has_channel(p, c->channel))
		return cp_error(CP_EDATA, _("channel '%s' is not in the policy"), c->channel);
	if (c->kind && cp_policy_kind(p, c->kind) < 0)
		return cp_error(CP_EDATA, _("kind '%s' is not in the policy"), c->kind);
	if (c->category && !cp_policy_has_category(p, c->category))
		return cp_error(CP_EDATA, _("category '%s' is not in the policy"),
				c->category);
	if (c->scope && cp_policy_scope(p, c->scope) < 0)
		return cp_error(CP_EDATA, _("scope '%s' is not in the policy"), c->scope);
	for (i = 0; i < c->nflags; i++)
		if (cp_policy_flag(p, c->flags[i]) < 0)
			return cp_error(CP_EDATA, _("flag '%s' is not in the policy"),
					c->flags[i]);
	return 0;
}

int cp_case_derive(struct cp_case *c, const struct cp_policy *p)
{
	struct cp_derived *d = &c->d;
	struct cp_life life;
	int r;
	size_t i;

	if ((r = check_facts(c, p)) < 0)
		return r;
	free(d->inst);
	memset(d, 0, sizeof(*d));
	d->held_since = CP_TIME_NONE;
	/* the status walk is the lifecycle's own (life.c), in the file's order */
	cp_life_init(&life, c, p);
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (cp_event_impossible(c, e))
			continue;	/* before the case was received: skipped */
		if (e->action == EV_ASSIGN) {
			d->department = e->department;
			d->responsible = e->responsible;
			d->with = e->with;
			d->head = e->head;
			d->leader = e->leader;
		}
		if ((r = cp_life_step(&life, e)) < 0) {
			cp_life_release(&life);
			return r;
		}
	}
	d->level = cp_life_level(&life);
	d->napproved = life.napproved;
	d->planned = life.planned;
	d->status = cp_life_status(&life);
	cp_life_release(&life);
	/* every deadline instance: rounds, kept misses, parties (case.c) */
	cp_case_derive_deadlines(c, p);
	{
		struct cp_hold *h;
		size_t n = cp_case_holds(&h, c);

		d->held_since = n && h[n - 1].to == CP_TIME_NONE ? h[n - 1].from : CP_TIME_NONE;
		free(h);
	}
	return 0;
}
