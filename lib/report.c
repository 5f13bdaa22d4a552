/*
 * report.c - walking the store once for a month's figures and score.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/query.h"
#include "complaint/report.h"

/* The case as it stood at t: events after t left out. */
struct snapshot {
	struct cp_case c;
	struct cp_event *ev;
	size_t alloc;
	struct cp_deadline *inst;	/* the deadline instances derived here (owned) */
};

static int state_at(struct snapshot *sn, const struct cp_case *c,
		    const struct cp_policy *p, cp_time t)
{
	size_t i, k = 0;
	int r;

	if (sn->alloc < c->nevents) {
		sn->ev = cp_xrealloc(sn->ev, c->nevents * sizeof(*sn->ev));
		sn->alloc = c->nevents;
	}
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].at <= t)
			sn->ev[k++] = c->events[i];
	if (k == c->nevents) {
		/* nothing after t: the case as derived under p (report_one) */
		sn->c = *c;
		return 0;
	}
	sn->c = *c;
	sn->c.events = sn->ev;
	sn->c.nevents = k;
	/*
	 * derive frees and regrows d.inst: the snapshot's own array, never
	 * the one the case it copies holds
	 */
	sn->c.d.inst = sn->inst;
	r = cp_case_derive(&sn->c, p);
	sn->inst = sn->c.d.inst;
	return r;
}

/* ---- report ---- */

static void counts_init(struct cp_counts *c, size_t n)
{
	c->v = cp_xcalloc(n + 1, sizeof(*c->v));
	c->n = 0;
}

/*
 * Count key.  With alloc, an unknown key is added; without (the keys the
 * policy lists, preset in its order), an unknown one is not counted.
 */
static void counts_add(struct cp_counts *c, size_t *alloc, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key)) {
			c->v[i].n++;
			return;
		}
	if (!alloc)
		return;
	ALLOC_GROW(c->v, c->n + 1, *alloc);
	c->v[c->n].key = cp_xstrdup(key);
	c->v[c->n].label = cp_xstrdup(key);
	c->v[c->n].n = 1;
	c->n++;
}

/* Append key with count n (the array was sized by counts_init). */
static void counts_preset(struct cp_counts *c, const char *key, const char *label,
			  size_t n)
{
	c->v[c->n].key = cp_xstrdup(key);
	c->v[c->n].label = cp_xstrdup(label ? label : key);
	c->v[c->n].n = n;
	c->n++;
}

static void counts_release(struct cp_counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].label);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

struct report_walk {
	struct cp_report *r;
	const struct cp_policy *p;
	cp_time now;
	cp_time prev_from, prev_to;
	size_t dept_alloc;
	struct snapshot sn;
	struct cp_score *sc;
};

static bool in(cp_time t, cp_time a, cp_time b)
{
	return t >= a && t <= b;
}

static void count_events(struct cp_totals *t, const struct cp_case *c,
			 cp_time from, cp_time to)
{
	size_t i;

	if (in(c->received, from, to))
		t->received++;
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (!in(e->at, from, to) || cp_event_impossible(c, e))
			continue;
		if (e->action == EV_RESOLVE)
			t->resolved++;
		else if (e->action == EV_CLOSE)
			t->closed++;
	}
}

static int open_at(struct report_walk *w, const struct cp_case *c, cp_time t,
		   struct cp_totals *tot)
{
	if (c->received > t)
		return 0;
	if (state_at(&w->sn, c, w->p, t) < 0)
		return -1;
	if (w->sn.c.d.status != ST_RESOLVED && w->sn.c.d.status != ST_CLOSED) {
		tot->open++;
		if (cp_case_overdue(&w->sn.c, t))
			tot->overdue++;
	}
	return 0;
}

static void report_bad(const char *path, const char *msg, void *data)
{
	(void)path;
	(void)msg;
	((struct report_walk *)data)->r->bad_files++;
}

static int report_one(struct cp_case *c, const char *path, void *data)
{
	struct report_walk *w = data;
	struct cp_report *r = w->r;
	const struct cp_policy *p = w->p;
	const struct cp_event *first_resolve;
	cp_time end = r->to < w->now ? r->to : w->now;
	size_t i;
	int kind;

	(void)path;
	/* the month and the one before: events and states */
	count_events(&r->totals, c, r->from, r->to);
	count_events(&r->previous, c, w->prev_from, w->prev_to);
	if (open_at(w, c, end, &r->totals) < 0) {
		r->bad_files++;
		cp_case_derive(c, p);
		return 0;
	}
	/* the month's cases and departments: w->sn is the case at the period's end */
	cp_report_cases_add(r, p, c, c->received <= end ? &w->sn.c : NULL, w->now,
			    w->prev_from, w->prev_to);
	if (open_at(w, c, w->prev_to, &r->previous) < 0) {
		r->bad_files++;
		return 0;
	}
	{
		int y, m, d;

		cp_civil_from_days(&y, &m, &d, cp_local_day(w->p->tz, c->received));
		for (i = 0; i < 12; i++)
			if (r->months[i].year == y && r->months[i].month == m)
				r->months[i].received++;
	}
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == EV_CALLBACK && in(e->at, r->from, r->to) &&
		    !cp_event_impossible(c, e)) {
			r->callbacks++;
			if (e->satisfied == 1)
				r->satisfied++;
		}
	}
	first_resolve = cp_case_first(c, EV_RESOLVE);
	if (first_resolve && in(first_resolve->at, r->from, r->to)) {
		struct cp_resolution *rs = &r->resolution[c->d.level];

		ALLOC_GROW(rs->hours, rs->n + 1, rs->alloc);
		rs->hours[rs->n++] = (double)(first_resolve->at - c->received) / 3600.0;
	}
	if (in(c->received, r->from, r->to)) {
		if (!r->uncovered_year)
			r->uncovered_year = cp_case_uncovered_year(c, p);
		kind = c->kind ? cp_policy_kind(p, c->kind) : 0;
		counts_add(&r->by_severity, NULL, p->levels[c->d.level].id);
		if (kind >= 0)
			counts_add(&r->by_kind, NULL, p->kinds[kind].id);
		counts_add(&r->by_category, NULL, c->category);
		counts_add(&r->by_channel, NULL, c->channel);
		counts_add(&r->by_department, &w->dept_alloc,
			   c->d.department ? c->d.department : "(unassigned)");
		/*
		 * each deadline of the case once: the first round's (a miss
		 * kept from an earlier level in place of the current one)
		 */
		for (i = 0; i < c->d.ninst; i++) {
			const struct cp_deadline *d = &c->d.inst[i];
			enum cp_dl_state st = cp_case_deadline_state(c, d, w->now);
			size_t k;

			if (st == DL_PENDING || d->round)
				continue;
			for (k = 0; k < r->ndeadlines; k++)
				if (r->deadlines[k].event == d->event)
					break;
			if (k == r->ndeadlines)
				continue;
			r->deadlines[k].due++;
			if (st == DL_MET)
				r->deadlines[k].met++;
		}
	}
	cp_score_add_case(w->sc, c, p, w->now);
	return 0;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void finish_resolution(struct cp_resolution *rs)
{
	if (!rs->n)
		return;
	qsort(rs->hours, rs->n, sizeof(double), dbl_cmp);
	rs->max = rs->hours[rs->n - 1];
	rs->median = rs->n % 2 ? rs->hours[rs->n / 2]
			       : (rs->hours[rs->n / 2 - 1] + rs->hours[rs->n / 2]) / 2;
}

static int dept_cmp(const void *a, const void *b)
{
	const struct cp_named_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

int cp_report_compute(struct cp_report *r, struct cp_store *s, int year, int month,
		      cp_time now)
{
	struct cp_policy *own = NULL;
	const struct cp_policy *p;
	struct cp_org *org = NULL;
	const struct cp_org *o;
	struct report_walk w;
	int32_t first = cp_days_from_civil(year, month, 1), last, pfirst;
	int py = month == 1 ? year - 1 : year, pm = month == 1 ? 12 : month - 1;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	last = cp_days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) - 1;
	pfirst = cp_days_from_civil(py, pm, 1);
	r->year = year;
	r->month = month;
	if ((rc = cp_period_open(&own, &p, &r->from, &r->to, s, first, last, now)) < 0)
		return rc;
	r->tz = p->tz;
	r->as_of = now;
	w.prev_from = cp_local_time(p->tz, pfirst, 0, 0, 0);
	w.prev_to = r->from - 1;
	r->policy_name = cp_xstrdup(p->name);
	r->currency = cp_xstrdup(p->currency);
	r->lang = p->language;
	r->recurring_at = p->recurring_at;
	counts_init(&r->by_severity, p->nlevels);
	for (i = 0; i < p->nlevels; i++)
		counts_preset(&r->by_severity, p->levels[i].id, p->levels[i].name, 0);
	counts_init(&r->by_kind, p->nkinds);
	for (i = 0; i < p->nkinds; i++)
		counts_preset(&r->by_kind, p->kinds[i].id, p->kinds[i].name, 0);
	counts_init(&r->by_category, p->ncategories);
	for (i = 0; i < p->ncategories; i++)
		counts_preset(&r->by_category, p->categories[i], NULL, 0);
	counts_init(&r->by_channel, p->nchannels);
	for (i = 0; i < p->nchannels; i++)
		counts_preset(&r->by_channel, p->channels[i], NULL, 0);
	r->by_department.v = NULL;
	for (i = 0; i < EV__COUNT; i++) {
		size_t l, d;
		bool used = false;

		for (l = 0; l < p->nlevels && !used; l++)
			for (d = 0; d < p->levels[l].ndeadlines; d++)
				if (p->levels[l].deadlines[d].event == (enum cp_evt)i)
					used = true;
		if (used)
			r->deadlines[r->ndeadlines++].event = (enum cp_evt)i;
	}
	r->nresolution = p->nlevels;
	r->resolution = cp_xcalloc(p->nlevels, sizeof(*r->resolution));
	for (i = 0; i < p->nlevels; i++) {
		r->resolution[i].level = cp_xstrdup(p->levels[i].id);
		r->resolution[i].label = cp_xstrdup(p->levels[i].name);
	}
	for (i = 0; i < 12; i++) {
		int k = year * 12 + (month - 1) - 11 + (int)i;

		r->months[i].year = k / 12;
		r->months[i].month = k % 12 + 1;
	}
	cp_score_init(&r->score, p, r->from, r->to);
	r->score.own = own;	/* its zone places the report's dates (freed with it) */
	if ((rc = cp_period_org(&org, &o, s, r->to < now ? r->to : now)) < 0)
		return rc;
	cp_score_use_org(&r->score, p, o);
	cp_org_free(org);
	cp_report_cases_init(r, p);
	w.r = r;
	w.p = p;
	w.now = now;
	w.sc = &r->score;
	rc = cp_each_case(s, p, INT_MIN, year * 12 + month, report_one, report_bad, &w);
	cp_score_finish(&r->score);
	cp_report_cases_finish(r);
	for (i = 0; i < p->nlevels; i++)
		finish_resolution(&r->resolution[i]);
	if (r->by_department.n)
		qsort(r->by_department.v, r->by_department.n, sizeof(*r->by_department.v),
		      dept_cmp);
	counts_init(&r->recurring, r->by_category.n);
	for (i = 0; i < r->by_category.n; i++)
		if (r->by_category.v[i].n &&
		    (long)r->by_category.v[i].n >= p->recurring_at)
			counts_preset(&r->recurring, r->by_category.v[i].key, NULL,
				      r->by_category.v[i].n);
	free(w.sn.ev);
	free(w.sn.inst);
	return rc;
}

void cp_report_release(struct cp_report *r)
{
	size_t i;

	free(r->policy_name);
	free(r->currency);
	counts_release(&r->by_severity);
	counts_release(&r->by_kind);
	counts_release(&r->by_category);
	counts_release(&r->by_channel);
	counts_release(&r->by_department);
	counts_release(&r->recurring);
	for (i = 0; i < r->nresolution; i++) {
		free(r->resolution[i].level);
		free(r->resolution[i].label);
		free(r->resolution[i].hours);
	}
	free(r->resolution);
	cp_score_release(&r->score);
	cp_report_cases_release(r);
	memset(r, 0, sizeof(*r));
}
