/*
 * score.c - penalty line items (seed 000 section 5, SPEC section 6), and
 * a period's score over a store.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/query.h"
#include "complaint/score.h"
#include "complaint/proposal.h"

void cp_score_init(struct cp_score *sc, const struct cp_policy *p, cp_time from,
		   cp_time to)
{
	memset(sc, 0, sizeof(*sc));
	sc->from = from;
	sc->to = to;
	sc->policy = cp_xstrdup(p->name);
	sc->currency = cp_xstrdup(p->currency);
	sc->point_value = p->point_value;
	sc->tz = p->tz;
	sc->lang = p->language;
	sc->cap = p->cap_per_person;
	sc->carry = p->carry_over;
}

void cp_score_use_org(struct cp_score *sc, const struct cp_policy *p,
		      const struct cp_org *o)
{
	const struct cp_dept *d = p->intake && o ? cp_org_dept(o, p->intake) : NULL;

	free(sc->intake_head);
	free(sc->intake_leader);
	sc->intake_head = d && d->head ? cp_xstrdup(d->head) : NULL;
	sc->intake_leader = d && d->leader ? cp_xstrdup(d->leader) : NULL;
}

static void warn_case(struct cp_score *sc, const struct cp_case *c,
		      const char *msg)
{
	struct cp_score_warning *w;
	size_t i;

	for (i = 0; i < sc->nwarnings; i++)
		if (!strcmp(sc->warnings[i].case_id, c->id) &&
		    !strcmp(sc->warnings[i].message, msg))
			return;
	ALLOC_GROW(sc->warnings, sc->nwarnings + 1, sc->awarnings);
	w = &sc->warnings[sc->nwarnings++];
	strcpy(w->case_id, c->id);
	w->message = cp_xstrdup(msg);
}

static void add_item(struct cp_score *sc, const struct cp_case *c,
		     cp_time at, const char *target, enum cp_role role,
		     long points, const char *rule, const char *detail,
		     const char *dept)
{
	struct cp_score_item *it;

	if (at > sc->to)
		return;
	if (at < sc->from) {
		/* before the period: only what carry_over may bring into it */
		if (sc->cap == CP_NONE || !sc->carry || role == ROLE_DEPARTMENT)
			return;
		ALLOC_GROW(sc->pre, sc->npre + 1, sc->apre);
		it = &sc->pre[sc->npre++];
	} else {
		ALLOC_GROW(sc->items, sc->nitems + 1, sc->aitems);
		it = &sc->items[sc->nitems++];
	}
	strcpy(it->case_id, c->id);
	it->at = at;
	it->target = cp_xstrdup(target);
	it->role = role;
	it->points = points;
	it->rule = cp_xstrdup(rule);
	it->department = dept ? cp_xstrdup(dept) : NULL;
	it->detail = detail ? cp_xstrdup(detail) : NULL;
}

/*
 * One item per role the penalties name, charged to who held the case at
 * `holder_at` (SPEC section 9: the assign in force then, or the policy's
 * intake department while it was not assigned, with its head and leader
 * from the roster); a warning when nobody is known.  A fixed responsible
 * penalty charges each person named.
 */
static void add_roles(struct cp_score *sc, const struct cp_case *c,
		      const struct cp_policy *p, const struct cp_penalties *pen,
		      cp_time at, cp_time holder_at, const char *rule,
		      const char *detail)
{
	const struct cp_event *as = cp_case_assign_at(c, holder_at);
	const char *dept = as ? as->department : p->intake;
	struct cp_sbuf msg = CP_SBUF_INIT;
	int role;

	if (at > sc->to || (at < sc->from && (sc->cap == CP_NONE || !sc->carry)))
		return;
	for (role = ROLE_DEPARTMENT; role <= ROLE_RESPONSIBLE; role++) {
		const char *t = NULL;

		if (pen->points[role] == CP_NONE || pen->points[role] == 0)
			continue;
		switch (role) {
		case ROLE_DEPARTMENT: t = dept; break;
		case ROLE_HEAD: t = as ? as->head : dept ? sc->intake_head : NULL; break;
		case ROLE_LEADER: t = as ? as->leader : dept ? sc->intake_leader : NULL; break;
		case ROLE_RESPONSIBLE: t = as ? as->responsible : NULL; break;
		}
		if (!t || !*t) {
			cp_sbuf_reset(&msg);
			if (role == ROLE_RESPONSIBLE && as)
				cp_sbuf_addf(&msg, "%s: %ld points for the responsible person not counted: the case names no responsible person",
					  rule, pen->points[role]);
			else if (!as && dept && role != ROLE_RESPONSIBLE)
				cp_sbuf_addf(&msg, "%s: %ld points not counted: the intake department %s has no %s in the roster",
					  rule, pen->points[role], dept, cp_role_name((enum cp_role)role));
			else if (!as)
				cp_sbuf_addf(&msg, "%s: %ld %s points not counted: the case is not assigned to a department",
					  rule, pen->points[role], cp_role_name((enum cp_role)role));
			else
				cp_sbuf_addf(&msg, "%s: %ld points not counted: the department has no %s in the roster",
					  rule, pen->points[role], cp_role_name((enum cp_role)role));
			if (at >= sc->from)
				warn_case(sc, c, msg.buf);
			continue;
		}
		if (role == ROLE_RESPONSIBLE) {
			const char *pos = t, *s;
			size_t len;

			while ((s = cp_names_next(&pos, &len))) {
				char *one = cp_xstrndup(s, len);

				add_item(sc, c, at, one, ROLE_RESPONSIBLE, pen->points[role], rule,
					 detail, dept);
				free(one);
			}
			continue;
		}
		add_item(sc, c, at, t, (enum cp_role)role, pen->points[role], rule, detail, dept);
	}
	cp_sbuf_release(&msg);
}

static void warn_impossible(struct cp_score *sc, const struct cp_case *c, size_t i)
{
	char t[CP_TIME_BUF], r[CP_TIME_BUF];
	struct cp_sbuf msg = CP_SBUF_INIT;

	cp_time_fmt(t, sc->tz, c->events[i].at);
	cp_time_fmt(r, sc->tz, c->received);
	cp_sbuf_addf(&msg, "event %zu (%s) at %s is before the case was received (%s): skipped, not counted",
		  i + 1, cp_evt_name(c->events[i].action), t, r);
	sc->skipped++;
	warn_case(sc, c, msg.buf);
	cp_sbuf_release(&msg);
}

/* "notify deadline", "resolve deadline (round 2)", "notify deadline (level minor)" */
static void deadline_detail(struct cp_sbuf *sb, const struct cp_policy *p,
			    const struct cp_deadline *d)
{
	cp_sbuf_reset(sb);
	cp_sbuf_addf(sb, "%s deadline", cp_dl_name(d->event));
	if (d->round)
		cp_sbuf_addf(sb, " (round %d)", d->round + 1);
	else if (d->kept)
		cp_sbuf_addf(sb, " (level %s)", p->levels[d->level].id);
}

void cp_score_add_case(struct cp_score *sc, const struct cp_case *c,
		       const struct cp_policy *p, cp_time now)
{
	const struct cp_level *l = &p->levels[c->d.level];
	int kind = c->kind ? cp_policy_kind(p, c->kind) : 0;
	struct cp_sbuf rule = CP_SBUF_INIT, detail = CP_SBUF_INIT;
	size_t i;

	if (kind >= 0 && !p->kinds[kind].scored)
		return;
	cp_sbuf_addf(&rule, "occurrence:%s", l->id);
	/*
	 * the department the case holds at the end of the period; one
	 * assigned only after it, the one it holds now (the one found
	 * responsible)
	 */
	add_roles(sc, c, p, &l->penalties, c->received,
		  cp_case_assign_at(c, sc->to) ? sc->to : now, rule.buf, NULL);
	/*
	 * late: per case, one item at the first missed deadline; per
	 * deadline, one per missed deadline (every round, every miss kept
	 * from an earlier level); each charged to who held the case when
	 * that deadline passed.
	 */
	for (i = 0; i < c->d.ninst; i++) {
		const struct cp_deadline *d = &c->d.inst[i];

		if (cp_case_deadline_state(c, d, now) != DL_MISSED)
			continue;
		deadline_detail(&detail, p, d);
		add_roles(sc, c, p, &p->late, d->at, d->at, "late", detail.buf);
		if (p->late_per == CP_LATE_PER_CASE)
			break;	/* inst is in due order: this was the first */
	}
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (cp_event_impossible(c, e)) {
			/* skipped; said where the period would have seen it */
			if ((e->at >= sc->from && e->at <= sc->to) ||
			    (c->received >= sc->from && c->received <= sc->to))
				warn_impossible(sc, c, i);
			continue;
		}
		if (e->action == EV_CALLBACK && e->satisfied == 0)
			add_roles(sc, c, p, &p->unsatisfied, e->at, e->at, "unsatisfied", e->text);
		if (e->action == EV_PENALIZE && e->person && e->points > 0) {
			/* a proposal counts at its last approval (proposal.h) */
			cp_time at = cp_proposal_counts_at(c, p, e);
			const struct cp_event *as = cp_case_assign_at(c, e->at);

			if (at != CP_TIME_NONE)
				add_item(sc, c, at, e->person, ROLE_RESPONSIBLE, e->points,
					 "penalize", e->reason,
					 as ? as->department : c->d.department);
		}
	}
	cp_sbuf_release(&rule);
	cp_sbuf_release(&detail);
}

static int item_cmp(const void *a, const void *b)
{
	const struct cp_score_item *x = a, *y = b;
	int c;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if ((c = strcmp(x->case_id, y->case_id)))
		return c;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)))
		return c;
	return strcmp(x->target, y->target);
}

static int total_cmp(const void *a, const void *b)
{
	const struct cp_score_total *x = a, *y = b;
	int c;

	if (x->points != y->points)
		return x->points > y->points ? -1 : 1;
	if ((c = strcmp(x->name, y->name)))
		return c;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return strcmp(x->department ? x->department : "", y->department ? y->department : "");
}

static int warning_cmp(const void *a, const void *b)
{
	const struct cp_score_warning *x = a, *y = b;
	int c = strcmp(x->case_id, y->case_id);

	return c ? c : strcmp(x->message, y->message);
}

static size_t tally(struct cp_score_total **v, size_t *n, const char *name,
		    enum cp_role role, const char *dept, long points)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name) && (*v)[i].role == role &&
		    !strcmp((*v)[i].department ? (*v)[i].department : "", dept ? dept : ""))
			break;
	if (i == *n) {
		*v = cp_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[i].name = cp_xstrdup(name);
		(*v)[i].role = role;
		(*v)[i].department = dept ? cp_xstrdup(dept) : NULL;
		(*v)[i].points = 0;
		(*v)[i].earned = (*v)[i].carried_in = (*v)[i].carried_out = (*v)[i].dropped = 0;
		(*n)++;
	}
	(*v)[i].points += points;
	(*v)[i].earned += points;
	return i;
}

/* ---- caps per person and month (SPEC section 9, seed 004 篇七) ---- */

struct capq {
	const struct cp_score_item *it;	/* its person, role, department */
	long points;
	bool real;			/* an item (else points carried in) */
	cp_time at;			/* the item's, or the month's start */
};

static int month_index(const struct cp_tz *z, cp_time t)
{
	int y, m, d;

	cp_civil_from_days(&y, &m, &d, cp_local_day(z, t));
	return y * 12 + (m - 1);
}

static cp_time month_start(const struct cp_tz *z, int mi)
{
	return cp_local_time(z, cp_days_from_civil(mi / 12, mi % 12 + 1, 1), 0, 0, 0);
}

static int cmp_person_item(const void *a, const void *b)
{
	const struct cp_score_item *x = *(const struct cp_score_item *const *)a;
	const struct cp_score_item *y = *(const struct cp_score_item *const *)b;
	int c = strcmp(x->target, y->target);

	if (c)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* One person's items v[0..n) (by time): count month by month under the cap. */
static void cap_person(struct cp_score *sc, const struct cp_score_item **v, size_t n)
{
	struct capq *carried = NULL, *next = NULL, *q = NULL;
	size_t ncar = 0, nnext = 0, nq, i = 0, k, j;
	int m = month_index(sc->tz, v[0]->at), last = month_index(sc->tz, sc->to);

	carried = cp_xmalloc((n + 1) * sizeof(*carried));
	next = cp_xmalloc((n + 1) * sizeof(*next));
	q = cp_xmalloc((2 * n + 1) * sizeof(*q));
	for (; m <= last && (i < n || ncar); m++) {
		long used = 0;
		cp_time ms = month_start(sc->tz, m), me = month_start(sc->tz, m + 1);

		nq = 0;
		for (k = 0; k < ncar; k++) {
			q[nq] = carried[k];
			q[nq++].at = ms;
		}
		for (; i < n && v[i]->at < me; i++) {
			q[nq].it = v[i];
			q[nq].points = v[i]->points;
			q[nq].real = true;
			q[nq++].at = v[i]->at;
		}
		nnext = 0;
		for (k = 0; k < nq; k++) {
			long take = q[k].points < sc->cap - used ? q[k].points : sc->cap - used;
			long excess = q[k].points - take;
			bool in = q[k].at >= sc->from && q[k].at <= sc->to;
			struct cp_score_total *t = NULL;

			used += take;
			if (in) {
				j = tally(&sc->people, &sc->npeople, q[k].it->target, q[k].it->role,
					  q[k].it->department, 0);
				t = &sc->people[j];
				t->points += take;
				if (q[k].real)
					t->earned += q[k].points;
				else
					t->carried_in += q[k].points;
			}
			if (!excess)
				continue;
			if (sc->carry) {
				next[nnext] = q[k];
				next[nnext].real = false;
				next[nnext++].points = excess;
				if (t && me > sc->to)
					t->carried_out += excess;
			} else if (t) {
				t->dropped += excess;
			}
		}
		memcpy(carried, next, nnext * sizeof(*next));
		ncar = nnext;
	}
	free(carried);
	free(next);
	free(q);
}

static void cap_people(struct cp_score *sc)
{
	const struct cp_score_item **v;
	size_t n = 0, i, j;

	v = cp_xmalloc((sc->nitems + sc->npre + 1) * sizeof(*v));
	for (i = 0; i < sc->npre; i++)
		v[n++] = &sc->pre[i];
	for (i = 0; i < sc->nitems; i++)
		if (sc->items[i].role != ROLE_DEPARTMENT)
			v[n++] = &sc->items[i];
	if (n)
		qsort(v, n, sizeof(*v), cmp_person_item);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(v[j]->target, v[i]->target); j++)
			;
		cap_person(sc, v + i, j - i);
	}
	free(v);
}

void cp_score_finish(struct cp_score *sc)
{
	size_t i;

	if (sc->nitems)
		qsort(sc->items, sc->nitems, sizeof(*sc->items), item_cmp);
	if (sc->nwarnings)
		qsort(sc->warnings, sc->nwarnings, sizeof(*sc->warnings), warning_cmp);
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];

		if (it->role == ROLE_DEPARTMENT)
			tally(&sc->departments, &sc->ndepartments, it->target,
			      ROLE_DEPARTMENT, NULL, it->points);
		else if (sc->cap == CP_NONE)
			tally(&sc->people, &sc->npeople, it->target, it->role,
			      it->department, it->points);
	}
	if (sc->cap != CP_NONE)
		cap_people(sc);
	if (sc->ndepartments)
		qsort(sc->departments, sc->ndepartments, sizeof(*sc->departments), total_cmp);
	if (sc->npeople)
		qsort(sc->people, sc->npeople, sizeof(*sc->people), total_cmp);
}

void cp_score_release(struct cp_score *sc)
{
	size_t i;

	for (i = 0; i < sc->nitems; i++) {
		free(sc->items[i].target);
		free(sc->items[i].rule);
		free(sc->items[i].department);
		free(sc->items[i].detail);
	}
	free(sc->items);
	for (i = 0; i < sc->npre; i++) {
		free(sc->pre[i].target);
		free(sc->pre[i].rule);
		free(sc->pre[i].department);
		free(sc->pre[i].detail);
	}
	free(sc->pre);
	for (i = 0; i < sc->nwarnings; i++)
		free(sc->warnings[i].message);
	free(sc->warnings);
	for (i = 0; i < sc->ndepartments; i++)
		free(sc->departments[i].name);
	free(sc->departments);
	for (i = 0; i < sc->npeople; i++) {
		free(sc->people[i].name);
		free(sc->people[i].department);
	}
	free(sc->people);
	free(sc->intake_head);
	free(sc->intake_leader);
	free(sc->policy);
	free(sc->currency);
	cp_policy_free(sc->own);
	memset(sc, 0, sizeof(*sc));
}

/* ---- the policy a period is judged under ---- */

int cp_period_open(struct cp_policy **own, const struct cp_policy **p, cp_time *from, cp_time *to,
		   struct cp_store *s, int32_t first, int32_t last,
		   cp_time now)
{
	/* the end in the store's zone: no other is known before the policy */
	cp_time end = cp_local_time(cp_store_policy(s)->tz, last + 1, 0, 0, 0) - 1;
	int r = cp_store_policy_at(own, s, end < now ? end : now);

	if (r < 0)
		return r;
	*p = *own ? *own : cp_store_policy(s);
	*from = cp_local_time((*p)->tz, first, 0, 0, 0);
	*to = cp_local_time((*p)->tz, last + 1, 0, 0, 0) - 1;
	return 0;
}

int cp_period_org(struct cp_org **own, const struct cp_org **o, struct cp_store *s,
		  cp_time at)
{
	int r = cp_store_org_at(own, s, at);

	if (r < 0)
		return r;
	*o = *own ? *own : cp_store_org(s);
	return 0;
}

/* ---- a period's score over a store ---- */

struct score_walk {
	const struct cp_policy *p;
	struct cp_score *sc;
	cp_time now;
	size_t bad;
};

static void score_bad(const char *path, const char *msg, void *data)
{
	(void)path;
	(void)msg;
	((struct score_walk *)data)->bad++;
}

static int score_one(struct cp_case *c, const char *path, void *data)
{
	struct score_walk *w = data;

	(void)path;
	if (c->received > w->sc->to)
		return 0;	/* every item of a case is dated at or after received */
	cp_score_add_case(w->sc, c, w->p, w->now);
	return 0;
}

int cp_score_compute(struct cp_score *out, size_t *bad, struct cp_store *s,
		     int32_t from_day, int32_t to_day, cp_time now)
{
	struct cp_policy *own = NULL;
	const struct cp_policy *p;
	struct cp_org *org = NULL;
	const struct cp_org *o;
	struct score_walk w;
	cp_time from, to;
	int r;

	if ((r = cp_period_open(&own, &p, &from, &to, s, from_day, to_day, now)) < 0)
		return r;
	memset(&w, 0, sizeof(w));
	w.p = p;
	w.now = now;
	cp_score_init(out, p, from, to);
	out->own = own;		/* its zone places the items' dates (freed with out) */
	if ((r = cp_period_org(&org, &o, s, to < now ? to : now)) < 0)
		return r;
	cp_score_use_org(out, p, o);
	cp_org_free(org);
	w.sc = out;
	r = cp_each_case(s, p, INT_MIN, cp_month_of(p->tz, to) + 1, score_one, score_bad, &w);
	cp_score_finish(out);
	if (bad)
		*bad = w.bad;
	return r;
}

