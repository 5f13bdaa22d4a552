/*
 * report_cases.c - what the month's report says case by case and
 * department by department (SPEC section 11): the table of the month's
 * cases with their causes, measures and compensation, the timeliness and
 * satisfaction of each department against the month before, and the
 * compensation given.
 *
 * Only the cases of the month (and, for the departments' figures, of the
 * month before) are kept: the walk hands over every case of the store,
 * and the rest cost a few comparisons each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/report.h"
#include "complaint/i18n.h"
#include "complaint/procedure.h"

#define UNASSIGNED "(unassigned)"
#define DEFAULT_TITLE N_("Complaint analysis")

static bool in(cp_time t, cp_time a, cp_time b)
{
	return t >= a && t <= b;
}

static char *dup_or_null(const char *s)
{
	return s ? cp_xstrdup(s) : NULL;
}

static cp_money money_add(cp_money a, cp_money b)
{
	cp_money s;

	if (__builtin_add_overflow(a, b, &s))
		return INT64_MAX;
	return s;
}

void cp_report_cases_init(struct cp_report *r, const struct cp_policy *p)
{
	size_t i;

	r->title = cp_xstrdup(p->report_title ? p->report_title : DEFAULT_TITLE);
	r->ncompensation_by = p->nlevels;
	r->compensation_by = cp_xcalloc(p->nlevels + 1, sizeof(*r->compensation_by));
	for (i = 0; i < p->nlevels; i++) {
		r->compensation_by[i].level = cp_xstrdup(p->levels[i].id);
		r->compensation_by[i].label = cp_xstrdup(p->levels[i].name ? p->levels[i].name
									: p->levels[i].id);
	}
}

static struct cp_report_dept *dept(struct cp_report *r, const char *name)
{
	struct cp_report_dept *d;
	size_t i;

	if (!name)
		name = UNASSIGNED;
	for (i = 0; i < r->ndepartments; i++)
		if (!strcmp(r->departments[i].name, name))
			return &r->departments[i];
	ALLOC_GROW(r->departments, r->ndepartments + 1, r->departments_alloc);
	d = &r->departments[r->ndepartments++];
	memset(d, 0, sizeof(*d));
	d->name = cp_xstrdup(name);
	return d;
}

/* The department holding c at t: the last assign at or before t. */
static const char *holder_at(const struct cp_case *c, cp_time t)
{
	const struct cp_event *best = NULL;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == EV_ASSIGN && e->at <= t && e->department &&
		    !cp_event_impossible(c, e) && (!best || e->at >= best->at))
			best = e;
	}
	return best ? best->department : NULL;
}

/* The last event of action a (the file's last among equal times), or NULL. */
static const struct cp_event *last_of(const struct cp_case *c, enum cp_evt a)
{
	const struct cp_event *best = NULL;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == a && !cp_event_impossible(c, e) &&
		    (!best || e->at >= best->at))
			best = e;
	}
	return best;
}

/* Received in a month: counted under the lead department, with its deadlines. */
static void received(struct cp_dept_figures *f, const struct cp_case *c, cp_time now)
{
	size_t i;

	f->received++;
	for (i = 0; i < c->d.ndeadlines; i++) {
		enum cp_dl_state st = cp_case_deadline_state(c, &c->d.deadlines[i], now);

		if (st == DL_PENDING)
			continue;
		f->due++;
		if (st == DL_MET)
			f->met++;
	}
}

static void add_row(struct cp_report *r, const struct cp_policy *p,
		    const struct cp_case *c, const struct cp_case *at_end, cp_time now)
{
	const struct cp_event *last;
	struct cp_report_case *row;
	size_t i;

	ALLOC_GROW(r->cases, r->ncases + 1, r->cases_alloc);
	row = &r->cases[r->ncases++];
	memset(row, 0, sizeof(*row));
	memcpy(row->id, c->id, sizeof(row->id));
	row->received = c->received;
	row->severity = cp_xstrdup(p->levels[c->d.level].id);
	row->kind = dup_or_null(c->kind);
	row->category = dup_or_null(c->category);
	row->department = dup_or_null(c->d.department);
	row->with = dup_or_null(c->d.with);
	row->summary = dup_or_null(c->summary);
	row->compensation = CP_MONEY_NONE;
	row->status = at_end->d.status;
	if ((last = last_of(at_end, EV_RESOLVE))) {
		row->cause = dup_or_null(last->cause);
		row->measure = dup_or_null(last->measure);
	}
	for (i = 0; i < at_end->nevents; i++) {
		const struct cp_event *e = &at_end->events[i];

		if (e->action != EV_RESOLVE || e->compensation < 0 ||
		    cp_event_impossible(at_end, e))
			continue;
		row->compensation = money_add(row->compensation == CP_MONEY_NONE ? 0
								  : row->compensation,
					      e->compensation);
	}
	for (i = 0; i < c->d.ndeadlines; i++)
		if (cp_case_deadline_state(c, &c->d.deadlines[i], now) == DL_MISSED)
			row->missed[row->nmissed++] = c->d.deadlines[i].event;
	last = last_of(c, EV_CALLBACK);
	row->satisfied = last ? last->satisfied == 1 : -1;
}

/* The measures of the case as it stood at the period's end (end: that instant). */
static void measures(struct cp_report *r, const struct cp_policy *p,
		     const struct cp_case *at_end, cp_time end)
{
	struct cp_report_measures *ms = &r->measures;
	struct cp_measure *m;
	size_t i, n = cp_case_measures(&m, at_end, p);

	for (i = 0; i < n; i++) {
		struct cp_report_measure *row;

		if (m[i].state == MS_DONE)
			ms->done++;
		else if (m[i].state == MS_SIGNED_OFF)
			ms->signed_off++;
		else
			ms->open++;
		if (!cp_measure_overdue(&m[i], p->tz, end))
			continue;
		ms->overdue++;
		ALLOC_GROW(ms->rows, ms->nrows + 1, ms->alloc);
		row = &ms->rows[ms->nrows++];
		memcpy(row->id, at_end->id, sizeof(row->id));
		row->ref = dup_or_null(m[i].ev->ref);
		row->text = dup_or_null(m[i].ev->text);
		row->owner = dup_or_null(m[i].ev->owner);
		row->due = dup_or_null(m[i].ev->due);
	}
	free(m);
}

void cp_report_cases_add(struct cp_report *r, const struct cp_policy *p,
			 const struct cp_case *c, const struct cp_case *at_end,
			 cp_time now, cp_time prev_from, cp_time prev_to)
{
	bool row = false;
	size_t i;

	if (in(c->received, r->from, r->to)) {
		received(&dept(r, c->d.department)->cur, c, now);
		row = true;
	} else if (in(c->received, prev_from, prev_to)) {
		received(&dept(r, c->d.department)->prev, c, now);
	}
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];
		struct cp_dept_figures *f;
		bool cur = in(e->at, r->from, r->to);

		if (e->action != EV_RESOLVE && e->action != EV_CALLBACK && e->action != EV_CLOSE)
			continue;
		if ((!cur && !in(e->at, prev_from, prev_to)) || cp_event_impossible(c, e))
			continue;
		if (cur)
			row = true;
		if (e->action == EV_CLOSE)
			continue;
		f = cur ? &dept(r, holder_at(c, e->at))->cur : &dept(r, holder_at(c, e->at))->prev;
		if (e->action == EV_RESOLVE) {
			f->resolved++;
			if (cur && e->compensation >= 0) {
				struct cp_report_money *m = &r->compensation_by[c->d.level];

				r->compensation = money_add(r->compensation, e->compensation);
				r->ncompensation++;
				m->total = money_add(m->total, e->compensation);
				m->n++;
			}
		} else {
			f->callbacks++;
			if (e->satisfied == 1)
				f->satisfied++;
		}
	}
	if (row && at_end)
		add_row(r, p, c, at_end, now);
	if (at_end)
		measures(r, p, at_end, r->to < now ? r->to : now);
}

static int case_cmp(const void *a, const void *b)
{
	const struct cp_report_case *x = a, *y = b;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int measure_cmp(const void *a, const void *b)
{
	const struct cp_report_measure *x = a, *y = b;
	int d = strcmp(x->due ? x->due : "", y->due ? y->due : "");

	if (d)
		return d;
	if ((d = strcmp(x->id, y->id)))
		return d;
	/* M2 before M10 */
	if (x->ref && y->ref && strlen(x->ref) != strlen(y->ref))
		return strlen(x->ref) < strlen(y->ref) ? -1 : 1;
	return strcmp(x->ref ? x->ref : "", y->ref ? y->ref : "");
}

static int dept_cmp(const void *a, const void *b)
{
	const struct cp_report_dept *x = a, *y = b;

	if (x->cur.received != y->cur.received)
		return x->cur.received > y->cur.received ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool quiet(const struct cp_report_dept *d)
{
	return !d->cur.received && !d->cur.resolved && !d->cur.callbacks && !d->cur.due &&
	       !d->points;
}

void cp_report_cases_finish(struct cp_report *r)
{
	const struct cp_score *sc = &r->score;
	size_t i, k;

	for (i = 0; i < sc->ndepartments; i++)
		dept(r, sc->departments[i].name)->points = sc->departments[i].points;
	/* a department with nothing this month but last month's figures */
	for (i = k = 0; i < r->ndepartments; i++) {
		if (quiet(&r->departments[i])) {
			free(r->departments[i].name);
			continue;
		}
		r->departments[k++] = r->departments[i];
	}
	r->ndepartments = k;
	if (r->ndepartments)
		qsort(r->departments, r->ndepartments, sizeof(*r->departments), dept_cmp);
	if (r->ncases)
		qsort(r->cases, r->ncases, sizeof(*r->cases), case_cmp);
	if (r->measures.nrows)
		qsort(r->measures.rows, r->measures.nrows, sizeof(*r->measures.rows), measure_cmp);
}

void cp_report_cases_release(struct cp_report *r)
{
	size_t i;

	free(r->title);
	for (i = 0; i < r->ncases; i++) {
		struct cp_report_case *c = &r->cases[i];

		free(c->severity);
		free(c->kind);
		free(c->category);
		free(c->department);
		free(c->with);
		free(c->summary);
		free(c->cause);
		free(c->measure);
	}
	free(r->cases);
	for (i = 0; i < r->ndepartments; i++)
		free(r->departments[i].name);
	free(r->departments);
	for (i = 0; i < r->ncompensation_by; i++) {
		free(r->compensation_by[i].level);
		free(r->compensation_by[i].label);
	}
	free(r->compensation_by);
	for (i = 0; i < r->measures.nrows; i++) {
		free(r->measures.rows[i].ref);
		free(r->measures.rows[i].text);
		free(r->measures.rows[i].owner);
		free(r->measures.rows[i].due);
	}
	free(r->measures.rows);
}
