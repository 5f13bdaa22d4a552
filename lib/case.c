/*
 * case.c - the case model and what is asked of its events (firsts,
 * copies, classification); its deadlines are in case_deadlines.c, and
 * cp_case_derive() runs its life in life.c.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "life.h"
#include "complaint/i18n.h"
#include "complaint/procedure.h"

static const char *const status_names[ST__COUNT] = {
	"new", "assigned", "planned", "approved", "resolved", "closed"
};

const char *cp_status_name(enum cp_status s)
{
	return (unsigned)s < ST__COUNT ? status_names[s] : "?";
}

int cp_status_parse(const char *s)
{
	int i;

	for (i = 0; i < ST__COUNT; i++)
		if (!strcmp(status_names[i], s))
			return i;
	return -1;
}

struct cp_case *cp_case_new(void)
{
	struct cp_case *c = cp_xcalloc(1, sizeof(*c));

	c->received = CP_TIME_NONE;
	return c;
}

void cp_event_clear(struct cp_event *e)
{
	free(e->by);
	free(e->department);
	free(e->responsible);
	free(e->head);
	free(e->leader);
	free(e->role);
	free(e->severity);
	free(e->person);
	free(e->text);
	free(e->cause);
	free(e->measure);
	free(e->reason);
	free(e->template);
	free(e->with);
	free(e->party);
	free(e->ref);
	free(e->field);
	free(e->old);
	free(e->value);
	free(e->owner);
	free(e->due);
	memset(e, 0, sizeof(*e));
	e->compensation = CP_MONEY_NONE;
	e->points = CP_NONE;
	e->satisfied = -1;
}

void cp_case_free(struct cp_case *c)
{
	size_t i;

	if (!c)
		return;
	free(c->channel);
	free(c->kind);
	free(c->category);
	free(c->customer);
	free(c->contact);
	free(c->summary);
	free(c->description);
	free(c->scope);
	for (i = 0; i < c->nflags; i++)
		free(c->flags[i]);
	free(c->flags);
	for (i = 0; i < c->nrefs; i++)
		free(c->refs[i]);
	free(c->refs);
	for (i = 0; i < c->nfields; i++) {
		free(c->field_ids[i]);
		free(c->field_vals[i]);
	}
	free(c->field_ids);
	free(c->field_vals);
	for (i = 0; i < c->nevents; i++)
		cp_event_clear(&c->events[i]);
	free(c->events);
	free(c->stored.status);
	free(c->stored.severity);
	free(c->stored.department);
	free(c->stored.responsible);
	free(c->stored.head);
	free(c->stored.leader);
	free(c->stored.with);
	free(c->d.inst);
	free(c);
}

static char *dup_or_null(const char *s)
{
	return s ? cp_xstrdup(s) : NULL;
}

void cp_case_add_event(struct cp_case *c, const struct cp_event *e)
{
	struct cp_event *n;

	ALLOC_GROW(c->events, c->nevents + 1, c->alloc);
	n = &c->events[c->nevents++];
	*n = *e;
	n->by = dup_or_null(e->by);
	n->department = dup_or_null(e->department);
	n->responsible = dup_or_null(e->responsible);
	n->head = dup_or_null(e->head);
	n->leader = dup_or_null(e->leader);
	n->role = dup_or_null(e->role);
	n->severity = dup_or_null(e->severity);
	n->person = dup_or_null(e->person);
	n->text = dup_or_null(e->text);
	n->cause = dup_or_null(e->cause);
	n->measure = dup_or_null(e->measure);
	n->reason = dup_or_null(e->reason);
	n->template = dup_or_null(e->template);
	n->with = dup_or_null(e->with);
	n->party = dup_or_null(e->party);
	n->ref = dup_or_null(e->ref);
	n->field = dup_or_null(e->field);
	n->old = dup_or_null(e->old);
	n->value = dup_or_null(e->value);
	n->owner = dup_or_null(e->owner);
	n->due = dup_or_null(e->due);
}

size_t cp_names_count(const char *list)
{
	size_t n = 0, len;
	const char *pos = list;

	while (cp_names_next(&pos, &len))
		n++;
	return n;
}

const char *cp_names_next(const char **pos, size_t *len)
{
	const char *s = *pos, *nl;

	if (!s || !*s)
		return NULL;
	nl = strchr(s, '\n');
	*len = nl ? (size_t)(nl - s) : strlen(s);
	*pos = nl ? nl + 1 : s + *len;
	return s;
}

bool cp_names_has(const char *list, const char *name)
{
	const char *pos = list, *s;
	size_t len;

	while ((s = cp_names_next(&pos, &len)))
		if (len == strlen(name) && !memcmp(s, name, len))
			return true;
	return false;
}

void cp_names_join(struct cp_sbuf *out, const char *list, const char *sep)
{
	const char *pos = list, *s;
	size_t len, i = 0;

	while ((s = cp_names_next(&pos, &len))) {
		if (i++)
			cp_sbuf_adds(out, sep);
		cp_sbuf_add(out, s, len);
	}
}

bool cp_event_impossible(const struct cp_case *c, const struct cp_event *e)
{
	return e != c->events && e->at < c->received;
}

size_t cp_case_impossible(struct cp_sbuf *out, const struct cp_case *c, const struct cp_tz *z)
{
	char t[CP_TIME_BUF], r[CP_TIME_BUF];
	size_t i, n = 0;

	for (i = 0; i < c->nevents; i++) {
		if (!cp_event_impossible(c, &c->events[i]))
			continue;
		n++;
		if (!out)
			continue;
		cp_time_fmt(t, z, c->events[i].at);
		cp_time_fmt(r, z, c->received);
		cp_sbuf_addf(out, _("event %zu (%s) at %s is before the case was received (%s); skipped\n"),
			  i + 1, cp_evt_name(c->events[i].action), t, r);
	}
	return n;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b ? 0 : !a ? -1 : 1;
	return strcmp(a, b);
}

int cp_event_cmp(const struct cp_event *a, const struct cp_event *b)
{
	const char *const *sa[] = { (const char *const *)&a->by, (const char *const *)&a->department,
		(const char *const *)&a->responsible, (const char *const *)&a->head,
		(const char *const *)&a->leader, (const char *const *)&a->role,
		(const char *const *)&a->severity, (const char *const *)&a->person,
		(const char *const *)&a->text, (const char *const *)&a->cause,
		(const char *const *)&a->measure, (const char *const *)&a->reason,
		(const char *const *)&a->template,
		(const char *const *)&a->with, (const char *const *)&a->party,
		(const char *const *)&a->ref, (const char *const *)&a->field,
		(const char *const *)&a->old, (const char *const *)&a->value,
		(const char *const *)&a->owner, (const char *const *)&a->due };
	const char *const *sb[] = { (const char *const *)&b->by, (const char *const *)&b->department,
		(const char *const *)&b->responsible, (const char *const *)&b->head,
		(const char *const *)&b->leader, (const char *const *)&b->role,
		(const char *const *)&b->severity, (const char *const *)&b->person,
		(const char *const *)&b->text, (const char *const *)&b->cause,
		(const char *const *)&b->measure, (const char *const *)&b->reason,
		(const char *const *)&b->template,
		(const char *const *)&b->with, (const char *const *)&b->party,
		(const char *const *)&b->ref, (const char *const *)&b->field,
		(const char *const *)&b->old, (const char *const *)&b->value,
		(const char *const *)&b->owner, (const char *const *)&b->due };
	size_t i;
	int c;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	for (i = 0; i < sizeof(sa) / sizeof(*sa); i++)
		if ((c = cmp_str(*sa[i], *sb[i])))
			return c;
	if (a->points != b->points)
		return a->points < b->points ? -1 : 1;
	if (a->satisfied != b->satisfied)
		return a->satisfied < b->satisfied ? -1 : 1;
	if (a->compensation != b->compensation)
		return a->compensation < b->compensation ? -1 : 1;
	return 0;
}

bool cp_event_same(const struct cp_event *a, const struct cp_event *b)
{
	return cp_event_cmp(a, b) == 0;
}

/*
 * Events that change the case's state (its status, round of approvals,
 * level) separate phases: the same approval given again after a new
 * plan, in the same second, is a new fact; the same callback recorded
 * twice with no such event between is one fact written twice.
 */
bool cp_evt_is_phase(enum cp_evt a)
{
	return a != EV_NOTIFY && a != EV_ONSITE && a != EV_CALLBACK && a != EV_NOTE &&
	       a != EV_PENALIZE && a != EV_LETTER && a != EV_WITHDRAW && a != EV_SET &&
	       a != EV_ANALYZE && a != EV_MEASURE && a != EV_MEASURE_DONE;
}

struct seg_ix {
	size_t i, seg;
};

static int cmp_seg(const void *x, const void *y, void *base)
{
	const struct cp_event *ev = base;
	const struct seg_ix *a = x, *b = y;
	int c;

	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if ((c = cp_event_cmp(&ev[a->i], &ev[b->i])))
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

static void mark(bool *drop, size_t j, size_t of, size_t *first, size_t *first_of,
		 size_t *dropped)
{
	drop[j] = true;
	(*dropped)++;
	if (j < *first) {
		*first = j;
		*first_of = of;
	}
}

size_t cp_case_drop_copies(struct cp_case *c, const int *lines)
{
	size_t n = c->nevents, i, k, m = 0, seg = 0, last = SIZE_MAX;
	size_t dropped = 0, first = SIZE_MAX, of = 0;
	struct seg_ix *v;
	bool *drop;

	if (n < 2)
		return 0;
	drop = cp_xcalloc(n, sizeof(*drop));
	v = cp_xmalloc(n * sizeof(*v));
	/* a phase event exactly like the phase event before it: a copy */
	for (i = 0; i < n; i++) {
		if (!cp_evt_is_phase(c->events[i].action))
			continue;
		if (last != SIZE_MAX && cp_event_same(&c->events[last], &c->events[i]))
			mark(drop, i, last, &first, &of, &dropped);
		else
			last = i;
	}
	/* other events: a copy of one in the same phase */
	for (i = 0; i < n; i++) {
		if (drop[i])
			continue;
		if (cp_evt_is_phase(c->events[i].action)) {
			seg++;
			continue;
		}
		v[m].i = i;
		v[m++].seg = seg;
	}
	qsort_r(v, m, sizeof(*v), cmp_seg, c->events);
	for (i = 1; i < m; i++) {
		k = i - 1;
		while (i < m && v[i].seg == v[k].seg &&
		       cp_event_same(&c->events[v[k].i], &c->events[v[i].i])) {
			mark(drop, v[i].i, v[k].i, &first, &of, &dropped);
			i++;
		}
	}
	free(v);
	if (dropped) {
		c->ndup += dropped;
		if (!c->dup_index) {
			c->dup_index = first + 1;
			c->dup_of = of + 1;
			c->dup_line = lines ? lines[first] : 0;
			c->dup_at = c->events[first].at;
			c->dup_action = c->events[first].action;
		}
		for (i = k = 0; i < n; i++) {
			if (drop[i])
				cp_event_clear(&c->events[i]);
			else
				c->events[k++] = c->events[i];
		}
		c->nevents = k;
	}
	free(drop);
	return dropped;
}

size_t cp_case_would_copy(const struct cp_case *c, const struct cp_event *e)
{
	size_t i = c->nevents;

	while (i-- > 0) {
		if (cp_event_same(&c->events[i], e))
			return i + 1;
		if (cp_evt_is_phase(c->events[i].action))
			return 0;	/* e would be in another phase */
	}
	return 0;
}

void cp_case_describe_copy(struct cp_sbuf *out, const struct cp_case *c, const struct cp_tz *z)
{
	char t[CP_TIME_BUF];

	cp_time_fmt(t, z, c->dup_at);
	cp_sbuf_addf(out, _("event %zu (%s at %s) is an exact copy of event %zu"), c->dup_index,
		  cp_evt_name(c->dup_action), t, c->dup_of);
	if (c->ndup > 1)
		cp_sbuf_addf(out, _(" (%zu copies in all)"), c->ndup);
}

const struct cp_event *cp_case_first(const struct cp_case *c, enum cp_evt a)
{
	const struct cp_event *best = NULL;
	size_t i;

	/* "first" is by time: events may be recorded late with --at */
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == a && !cp_event_impossible(c, &c->events[i]) &&
		    !(a == EV_APPROVE && c->events[i].ref) &&
		    (!best || c->events[i].at < best->at))
			best = &c->events[i];
	return best;
}

int cp_case_classify(const struct cp_case *c, const struct cp_policy *p)
{
	struct cp_facts f;

	f.has_amount = c->has_amount;
	f.amount = c->amount;
	f.scope = c->scope;
	f.flags = (const char *const *)c->flags;
	f.nflags = c->nflags;
	f.kind = c->kind;
	return cp_classify(p, &f);
}
