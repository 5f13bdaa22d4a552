/*
 * procedure.c - part two's steps (SPEC section 10): setting a field of
 * the form, the analysis, measures and their sign-off, hold and resume;
 * and what they leave behind (see procedure.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/lifecycle.h"
#include "complaint/name.h"
#include "complaint/procedure.h"
#include "complaint/input.h"
#include "complaint/i18n.h"
#include "life.h"
#include "yaml_subset.h"

static const char *const mstate_names[] = { "open", "done", "signed_off" };

const char *cp_mstate_name(enum cp_mstate s)
{
	return (unsigned)s < 3 ? mstate_names[s] : "?";
}

static bool live(const struct cp_case *c, const struct cp_event *e)
{
	return !cp_event_impossible(c, e);
}

size_t cp_case_measures(struct cp_measure **out, const struct cp_case *c,
			const struct cp_policy *p)
{
	struct cp_measure *m = NULL;
	size_t i, j, n = 0;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action != EV_MEASURE || !e->ref || !live(c, e) ||
		    cp_measure_find(m, n, e->ref))
			continue;
		m = cp_xrealloc(m, (n + 1) * sizeof(*m));
		memset(&m[n], 0, sizeof(*m));
		m[n].ev = e;
		m[n].due = 0;
		if (!e->due || cp_date_parse(&m[n].due, e->due) < 0) {
			cp_error_clear();
			m[n].due = INT32_MAX;
		}
		n++;
	}
	*out = m;
	if (!n)
		return 0;	/* most cases: no second walk */
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];
		struct cp_measure *x;

		if (!e->ref || !live(c, e) ||
		    !(x = (struct cp_measure *)cp_measure_find(m, n, e->ref)))
			continue;
		if (e->action == EV_MEASURE_DONE && (!x->done || e->at < x->done->at))
			x->done = e;
		else if (e->action == EV_APPROVE && e->role &&
			 x->napproved < p->nmeasure_approvals &&
			 !strcmp(e->role, cp_role_name(p->measure_approvals[x->napproved])))
			x->napproved++;
	}
	for (j = 0; j < n; j++)
		m[j].state = !m[j].done ? MS_OPEN
			   : m[j].napproved >= p->nmeasure_approvals ? MS_SIGNED_OFF : MS_DONE;
	return n;
}

const struct cp_measure *cp_measure_find(const struct cp_measure *m, size_t n,
					 const char *ref)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].ev->ref, ref))
			return &m[i];
	return NULL;
}

bool cp_measure_overdue(const struct cp_measure *m, const struct cp_tz *z, cp_time now)
{
	return m->state == MS_OPEN && m->due != INT32_MAX && cp_local_day(z, now) > m->due;
}

void cp_case_measure_counts(size_t *open, size_t *overdue,
			    const struct cp_case *c, const struct cp_policy *p, cp_time now)
{
	struct cp_measure *m;
	size_t i, n = cp_case_measures(&m, c, p);

	*open = *overdue = 0;
	for (i = 0; i < n; i++) {
		if (m[i].state != MS_OPEN)
			continue;
		(*open)++;
		*overdue += cp_measure_overdue(&m[i], p->tz, now);
	}
	free(m);
}

void cp_case_next_measure(char out[16], const struct cp_case *c)
{
	unsigned long max = 0, k;
	size_t i;
	char *end;

	for (i = 0; i < c->nevents; i++) {
		const char *r = c->events[i].ref;

		if (c->events[i].action != EV_MEASURE || !r || r[0] != 'M')
			continue;
		k = strtoul(r + 1, &end, 10);
		if (!*end && k > max && k < 1000000)
			max = k;
	}
	snprintf(out, 16, "M%lu", max + 1);
}

size_t cp_case_holds(struct cp_hold **out, const struct cp_case *c)
{
	const struct cp_event **v = cp_xmalloc((c->nevents + 1) * sizeof(*v));
	struct cp_hold *h = NULL;
	size_t i, k = 0, n = 0;

	for (i = 0; i < c->nevents; i++)
		if ((c->events[i].action == EV_HOLD || c->events[i].action == EV_RESUME) &&
		    live(c, &c->events[i]))
			v[k++] = &c->events[i];
	/* in time order; equal times keep the file's order */
	for (i = 1; i < k; i++) {
		const struct cp_event *x = v[i];
		size_t j = i;

		while (j > 0 && v[j - 1]->at > x->at) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	for (i = 0; i < k; i++) {
		if (v[i]->action == EV_HOLD) {
			if (n && h[n - 1].to == CP_TIME_NONE)
				continue;	/* held already (two sites held it) */
			h = cp_xrealloc(h, (n + 1) * sizeof(*h));
			h[n].from = v[i]->at;
			h[n].to = CP_TIME_NONE;
			h[n].reason = v[i]->reason;
			n++;
		} else if (n && h[n - 1].to == CP_TIME_NONE) {
			h[n - 1].to = v[i]->at;
		}
	}
	free(v);
	*out = h;
	return n;
}

bool cp_case_held(const struct cp_case *c)
{
	return c->d.held_since != CP_TIME_NONE;
}

/* Working days from day a to day b, both counted. */
static long workdays(const struct cp_calendar *cal, int32_t a, int32_t b)
{
	long n = 0;
	int32_t d;

	for (d = a; d <= b && n < 100000; d++)
		n += cp_workday(cal, d);
	return n;
}

cp_time cp_hold_shift(const struct cp_case *c, const struct cp_policy *p,
		      cp_time base, cp_time at, const struct cp_duration *within)
{
	struct cp_hold *h;
	size_t i, n = cp_case_holds(&h, c);

	for (i = 0; i < n; i++) {
		cp_time from = h[i].from > base ? h[i].from : base;

		if (h[i].to == CP_TIME_NONE || h[i].to <= base || at <= h[i].from)
			continue;
		if (within->unit == CP_WORKDAYS) {
			struct cp_duration d = { workdays(&p->cal, cp_local_day(p->tz, from),
							   cp_local_day(p->tz, h[i].to)),
						 CP_WORKDAYS };

			if (d.n)
				at = cp_time_add(p->tz, &p->cal, at, &d);
		} else {
			at += h[i].to - from;
		}
	}
	free(h);
	return at;
}

/* ---- checking the steps ---- */

static int unknown_field(const struct cp_policy *p, const char *id)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i;
	int r;

	for (i = 0; i < p->nfields; i++)
		cp_sbuf_addf(&sb, "%s%s", i ? ", " : "", p->fields[i].id);
	r = cp_error(CP_EUSAGE, _("unknown field '%s' (the policy's fields: %s)"), id,
		     p->nfields ? sb.buf : "none");
	cp_sbuf_release(&sb);
	return r;
}

static int check_set(const struct cp_case *c, const struct cp_policy *p,
		     struct cp_event *ev)
{
	const struct cp_field *f;
	const char *old;
	int r;

	if (!(f = cp_policy_field(p, ev->field)))
		return unknown_field(p, ev->field);
	if ((r = cp_field_check(f, ev->value)) < 0)
		return r;
	old = cp_case_field(c, ev->field);
	if (old && !strcmp(old, ev->value))
		return cp_error(CP_ERULE, _("field '%s' (%s) is already '%s'"), f->id, f->name,
				ev->value);
	free(ev->old);
	ev->old = old ? cp_xstrdup(old) : NULL;
	return 0;
}

static void measure_list(const struct cp_measure *m, size_t n, struct cp_sbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++)
		cp_sbuf_addf(sb, "%s%s", i ? ", " : "", m[i].ev->ref);
	if (!n)
		cp_sbuf_adds(sb, "none");
}

static int check_signoff(const struct cp_case *c, const struct cp_policy *p,
			 const struct cp_org *o, const struct cp_measure *x,
			 struct cp_event *ev)
{
	enum cp_role next;
	const char *holder;

	if (!p->nmeasure_approvals)
		return cp_error(CP_ERULE,
				_("the policy's measures need no sign-off (measures: {approvals: [...]} names none)"));
	if (x->napproved >= p->nmeasure_approvals)
		return cp_error(CP_ERULE, _("measure %s already has every sign-off the policy asks for"),
				x->ev->ref);
	next = p->measure_approvals[x->napproved];
	if (next == ROLE_DIRECTOR && !cp_role_held(c, p, o, ev->by, next))
		return cp_error(CP_ERULE,
				_("measure %s needs sign-off by director next (one of the roster's directors); %s is not a director"),
				x->ev->ref, ev->by);
	holder = next == ROLE_HEAD ? c->d.head : next == ROLE_LEADER ? c->d.leader : NULL;
	if ((next == ROLE_HEAD || next == ROLE_LEADER) && (!holder || !*holder))
		return cp_error(CP_ERULE, _("measure %s needs sign-off by %s next, but the case has no %s"),
				x->ev->ref, cp_role_name(next), cp_role_name(next));
	if (!cp_role_held(c, p, o, ev->by, next))
		return holder ? cp_error(CP_ERULE, _("measure %s needs sign-off by %s %s next; %s cannot give it"),
					 x->ev->ref, cp_role_name(next), holder, ev->by)
			      : cp_error(CP_ERULE, _("measure %s needs sign-off by %s next; %s cannot give it"),
					 x->ev->ref, cp_role_name(next), ev->by);
	free(ev->role);
	ev->role = cp_xstrdup(cp_role_name(next));
	return 0;
}

static int check_measure_ref(const struct cp_case *c, const struct cp_policy *p,
			     const struct cp_org *o, struct cp_event *ev)
{
	struct cp_measure *m;
	const struct cp_measure *x;
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t n = cp_case_measures(&m, c, p);
	int r = 0;

	if (!(x = cp_measure_find(m, n, ev->ref))) {
		measure_list(m, n, &sb);
		r = cp_error(CP_ERULE, _("case %s has no measure %s (its measures: %s)"), c->id,
			     ev->ref, sb.buf);
	} else if (ev->action == EV_MEASURE_DONE) {
		if (x->done)
			r = cp_error(CP_ERULE, _("measure %s is already done"), ev->ref);
	} else {
		r = check_signoff(c, p, o, x, ev);
	}
	free(m);
	cp_sbuf_release(&sb);
	return r;
}

static int check_measure(const struct cp_case *c, struct cp_event *ev)
{
	char ref[16], *n;
	int32_t day;

	if (cp_name_norm(&n, NULL, ev->owner, strlen(ev->owner)) < 0)
		return cp_error_wrap(_("the owner"));
	free(ev->owner);
	ev->owner = n;
	if (cp_date_parse(&day, ev->due) < 0)
		return cp_error_wrap("%s", cp_input_name(CP_INPUT_DUE));
	cp_case_next_measure(ref, c);
	free(ev->ref);
	ev->ref = cp_xstrdup(ref);
	return 0;
}

int cp_procedure_check(const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_org *o, struct cp_event *ev)
{
	const struct cp_level *l = &p->levels[c->d.level];

	switch (ev->action) {
	case EV_SET:
		return check_set(c, p, ev);
	case EV_ANALYZE:
		return 0;
	case EV_MEASURE:
		return check_measure(c, ev);
	case EV_MEASURE_DONE:
	case EV_APPROVE:
		return check_measure_ref(c, p, o, ev);
	case EV_HOLD:
		if (!l->hold)
			return cp_error(CP_ERULE,
					_("level %s does not allow holds (the policy's level says hold: false)"),
					l->id);
		if (cp_case_held(c))
			return cp_error(CP_ERULE, _("the case is already on hold (resume it first)"));
		return 0;
	case EV_RESUME:
		if (!cp_case_held(c))
			return cp_error_hint(CP_ERULE, CP_HINT_HOLD, _("the case is not on hold"));
		return 0;
	default:
		return cp_error(CP_EUSAGE, _("'%s' cannot be recorded this way"),
				cp_evt_name(ev->action));
	}
}

void cp_procedure_apply(struct cp_case *c, const struct cp_policy *p,
			const struct cp_event *ev)
{
	if (ev->action == EV_SET && ev->field && ev->value)
		cp_case_put_field(c, p, ev->field, ev->value);
}
