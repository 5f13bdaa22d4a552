/*
 * case_deadlines.c - a case's deadlines: when each clock starts, every
 * deadline instance (rounds after a reopen, misses kept after a
 * reclassify, joint parties), who held the case at a moment, and the
 * questions asked of them (overdue, next, first miss, years covered).
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "life.h"
#include "complaint/i18n.h"
#include "complaint/procedure.h"

static const struct cp_deadline_rule *rule_for(const struct cp_level *l,
					       enum cp_evt ev)
{
	size_t i;

	for (i = 0; i < l->ndeadlines; i++)
		if (l->deadlines[i].event == ev)
			return &l->deadlines[i];
	return NULL;
}

/* When the clock of a deadline starts: the event, or its projected time. */
cp_time cp_case_clock_start(const struct cp_case *c, const struct cp_policy *p,
			    const struct cp_level *l, enum cp_evt from, int depth)
{
	const struct cp_event *e;
	const struct cp_deadline_rule *r;
	cp_time base;

	if (from == EV_NEW)
		return c->received;
	e = cp_case_first(c, from);
	if (e)
		return e->at;
	r = rule_for(l, from);
	if (!r || depth > EV__COUNT)
		return CP_TIME_NONE;
	base = cp_case_clock_start(c, p, l, r->from, depth + 1);
	if (base == CP_TIME_NONE)
		return CP_TIME_NONE;
	/* that event's deadline, moved by the holds as its own is */
	return cp_hold_shift(c, p, base, cp_time_add(p->tz, &p->cal, base, &r->within), &r->within);
}

/* Events of c of action a, dated at or after since, in time order (sorted copies of pointers). */
static bool is_intake_party(const struct cp_policy *p, const struct cp_event *e)
{
	return e->party && p->intake && !strcmp(e->party, p->intake);
}

/*
 * The level in force at time t: the one the case was recorded at (the
 * facts, or new's override), changed by each reclassify up to t.
 */
static int level_at(const struct cp_case *c, const struct cp_policy *p, cp_time t)
{
	int level = cp_case_classify(c, p), next;
	cp_time when = CP_TIME_NONE;
	size_t i;

	if (c->events[0].severity && cp_policy_level(p, c->events[0].severity) >= 0)
		level = cp_policy_level(p, c->events[0].severity);
	/* the reclassifies up to t, in time order: the last one wins */
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action != EV_RECLASSIFY || cp_event_impossible(c, e) || e->at > t ||
		    !e->severity || (next = cp_policy_level(p, e->severity)) < 0)
			continue;
		if (when == CP_TIME_NONE || e->at >= when) {
			when = e->at;
			level = next;
		}
	}
	return level;
}

/*
 * When the deadline's event happened: the first such event (of its
 * round), or with the parties of the level in force when the deadline
 * passed (SPEC section 9: a deadline is judged under the level in force
 * while it ran; a case reclassified to a level with parties after its
 * notify deadline passed is not asked afterwards who else was told) the
 * last of the parties' first events (lead: without --party or another
 * party than intake; intake: --party of the intake department);
 * CP_TIME_NONE while it has not.
 */
static cp_time done_at(const struct cp_case *c, const struct cp_policy *p,
		       const struct cp_deadline *d)
{
	const struct cp_level *lv = &p->levels[d->kept ? d->level : level_at(c, p, d->at)];
	bool parties = (d->event == EV_NOTIFY || d->event == EV_ONSITE) && lv->parties;
	cp_time lead = CP_TIME_NONE, intake = CP_TIME_NONE, t;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];
		cp_time *slot;

		if (e->action != d->event || cp_event_impossible(c, e) ||
		    (e->action == EV_APPROVE && e->ref) || (d->round && e->at < d->since))
			continue;
		slot = parties && is_intake_party(p, e) ? &intake : &lead;
		if (*slot == CP_TIME_NONE || e->at < *slot)
			*slot = e->at;
	}
	if (!parties)
		return lead;
	t = CP_TIME_NONE;
	if (lv->parties & CP_PARTY_LEAD) {
		if (lead == CP_TIME_NONE)
			return CP_TIME_NONE;
		t = lead;
	}
	if (lv->parties & CP_PARTY_INTAKE) {
		if (intake == CP_TIME_NONE)
			return CP_TIME_NONE;
		if (t == CP_TIME_NONE || intake > t)
			t = intake;
	}
	return t;
}

static void add_inst(struct cp_derived *d, const struct cp_deadline *x)
{
	ALLOC_GROW(d->inst, d->ninst + 1, d->ainst);
	d->inst[d->ninst++] = *x;
}

static int cmp_time_ptr(const void *x, const void *y)
{
	const struct cp_event *a = *(const struct cp_event *const *)x;
	const struct cp_event *b = *(const struct cp_event *const *)y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* c's events of action a (possible ones), in time order; the count in *n. */
static const struct cp_event **events_of(const struct cp_case *c, enum cp_evt a, size_t *n)
{
	const struct cp_event **v = cp_xmalloc((c->nevents + 1) * sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == a && !cp_event_impossible(c, &c->events[i]))
			v[(*n)++] = &c->events[i];
	qsort(v, *n, sizeof(*v), cmp_time_ptr);
	return v;
}

/*
 * SPEC section 9: a deadline is judged under the level in force while
 * it ran.  For each reclassify, the deadlines of the level it left that
 * had passed unmet before it are kept as misses (one per event).
 */
static void kept_misses(const struct cp_case *c, const struct cp_policy *p,
			struct cp_derived *d)
{
	const struct cp_event **rc;
	size_t n, i, j, k;
	int level = cp_case_classify(c, p);

	if (c->events[0].severity && cp_policy_level(p, c->events[0].severity) >= 0)
		level = cp_policy_level(p, c->events[0].severity);
	rc = events_of(c, EV_RECLASSIFY, &n);
	for (i = 0; i < n; i++) {
		int next = rc[i]->severity ? cp_policy_level(p, rc[i]->severity) : -1;
		const struct cp_level *l = &p->levels[level];

		if (next < 0 || next == level)
			continue;
		for (j = 0; j < l->ndeadlines; j++) {
			const struct cp_deadline_rule *rule = &l->deadlines[j];
			cp_time base = cp_case_clock_start(c, p, l, rule->from, 0);
			struct cp_deadline x;

			if (base == CP_TIME_NONE)
				continue;
			memset(&x, 0, sizeof(x));
			x.event = rule->event;
			x.at = cp_hold_shift(c, p, base, cp_time_add(p->tz, &p->cal, base, &rule->within),
					     &rule->within);
			x.level = level;
			x.kept = true;
			x.done = done_at(c, p, &x);
			if (x.at >= rc[i]->at || (x.done != CP_TIME_NONE && x.done <= x.at))
				continue;	/* not passed before the reclassify, or met */
			for (k = 0; k < d->ninst; k++)
				if (d->inst[k].kept && d->inst[k].event == x.event)
					break;
			if (k == d->ninst)
				add_inst(d, &x);
		}
		level = next;
	}
	free(rc);
}

static int cmp_inst(const void *x, const void *y)
{
	const struct cp_deadline *a = x, *b = y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->event != b->event)
		return a->event < b->event ? -1 : 1;
	return a->round - b->round;
}

void cp_case_derive_deadlines(struct cp_case *c, const struct cp_policy *p)
{
	struct cp_derived *d = &c->d;
	const struct cp_level *l = &p->levels[d->level];
	const struct cp_event **ro;
	size_t i, j, k, n, nkept;

	kept_misses(c, p, d);
	nkept = d->ninst;
	for (i = 0; i < l->ndeadlines; i++) {
		const struct cp_deadline_rule *rule = &l->deadlines[i];
		cp_time base = cp_case_clock_start(c, p, l, rule->from, 0);
		struct cp_deadline x;

		if (base == CP_TIME_NONE)
			continue;
		memset(&x, 0, sizeof(x));
		x.event = rule->event;
		x.at = cp_hold_shift(c, p, base, cp_time_add(p->tz, &p->cal, base, &rule->within),
				     &rule->within);
		x.level = d->level;
		x.done = done_at(c, p, &x);
		d->deadlines[d->ndeadlines++] = x;
		for (k = 0; k < nkept; k++)
			if (d->inst[k].event == x.event)
				break;
		if (k == nkept)
			add_inst(d, &x);	/* a kept miss stands for it */
	}
	/* SPEC section 9: a reopen runs plan (with approvals) and resolve again */
	ro = events_of(c, EV_REOPEN, &n);
	for (j = 0; j < n; j++)
		for (i = 0; i < l->ndeadlines; i++) {
			const struct cp_deadline_rule *rule = &l->deadlines[i];
			struct cp_deadline x;

			if (rule->event != EV_RESOLVE && !(rule->event == EV_PLAN && l->napprovals))
				continue;
			memset(&x, 0, sizeof(x));
			x.event = rule->event;
			x.round = (int)j + 1;
			x.since = ro[j]->at;
			x.at = cp_hold_shift(c, p, ro[j]->at,
					     cp_time_add(p->tz, &p->cal, ro[j]->at, &rule->within),
					     &rule->within);
			x.level = d->level;
			x.done = done_at(c, p, &x);
			add_inst(d, &x);
			for (k = 0; k < d->ndeadlines; k++)
				if (d->deadlines[k].event == x.event)
					d->deadlines[k] = x;
		}
	free(ro);
	if (d->ninst > 1)
		qsort(d->inst, d->ninst, sizeof(*d->inst), cmp_inst);
}

const struct cp_event *cp_case_assign_at(const struct cp_case *c, cp_time t)
{
	const struct cp_event *best = NULL;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == EV_ASSIGN && !cp_event_impossible(c, e) && e->at <= t &&
		    (!best || e->at >= best->at))
			best = e;
	}
	return best;
}

int cp_case_check_range(const struct cp_case *c, const struct cp_tz *z)
{
	char t[CP_TIME_BUF];
	size_t i;

	if (cp_time_in_range(z, c->received) < 0) {
		cp_time_fmt(t, z, c->received);
		return cp_error_wrap(_("received at %s"), t);
	}
	for (i = 0; i < c->d.ndeadlines; i++)
		if (cp_time_in_range(z, c->d.deadlines[i].at) < 0) {
			cp_time_fmt(t, z, c->d.deadlines[i].at);
			return cp_error_wrap(_("the %s deadline would fall at %s"),
					     cp_dl_name(c->d.deadlines[i].event), t);
		}
	return 0;
}

cp_time cp_case_deadline(const struct cp_case *c, enum cp_evt ev)
{
	size_t i;

	for (i = 0; i < c->d.ndeadlines; i++)
		if (c->d.deadlines[i].event == ev)
			return c->d.deadlines[i].at;
	return CP_TIME_NONE;
}

enum cp_dl_state cp_case_deadline_state(const struct cp_case *c,
					const struct cp_deadline *d, cp_time now)
{
	if (d->done != CP_TIME_NONE && d->done <= d->at)
		return DL_MET;
	/* on hold: the clock of a deadline still running stopped */
	if (d->done == CP_TIME_NONE && c->d.held_since != CP_TIME_NONE && d->at > c->d.held_since)
		return DL_PENDING;
	if (d->done != CP_TIME_NONE || now > d->at)
		return DL_MISSED;
	return DL_PENDING;
}

bool cp_case_overdue(const struct cp_case *c, cp_time now)
{
	size_t i;

	if (c->d.status == ST_RESOLVED || c->d.status == ST_CLOSED)
		return false;
	for (i = 0; i < c->d.ninst; i++)
		if (cp_case_deadline_state(c, &c->d.inst[i], now) == DL_MISSED)
			return true;
	return false;
}

static bool still_possible(enum cp_status st, enum cp_evt ev)
{
	if (st == ST_CLOSED)
		return ev == EV_ANALYZE;
	if (st == ST_RESOLVED)
		return ev == EV_CALLBACK || ev == EV_CLOSE || ev == EV_ANALYZE;
	return true;
}

const struct cp_deadline *cp_case_next_deadline(const struct cp_case *c)
{
	const struct cp_deadline *best = NULL;
	size_t i;

	for (i = 0; i < c->d.ndeadlines; i++) {
		const struct cp_deadline *d = &c->d.deadlines[i];

		if (!still_possible(c->d.status, d->event) || d->done != CP_TIME_NONE)
			continue;
		if (!best || d->at < best->at)
			best = d;
	}
	return best;
}

cp_time cp_case_first_miss(const struct cp_case *c, cp_time now)
{
	cp_time first = CP_TIME_NONE;
	size_t i;

	for (i = 0; i < c->d.ninst; i++) {
		const struct cp_deadline *d = &c->d.inst[i];

		if (cp_case_deadline_state(c, d, now) != DL_MISSED)
			continue;
		if (first == CP_TIME_NONE || d->at < first)
			first = d->at;
	}
	return first;
}

int cp_case_uncovered_year(const struct cp_case *c, const struct cp_policy *p)
{
	size_t i;
	int y, m, d;

	if (!p->cal.nyears)
		return 0;
	for (i = 0; i < c->d.ndeadlines; i++) {
		int32_t day = cp_local_day(p->tz, c->d.deadlines[i].at);

		if (!cp_calendar_covers(&p->cal, day)) {
			cp_civil_from_days(&y, &m, &d, day);
			return y;
		}
	}
	return 0;
}
