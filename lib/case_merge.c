/*
 * case_merge.c - the union merge of two versions of one case.
 *
 * Both versions are parsed; the facts are merged three-way (they never
 * change after `new`, so a difference is either a hand edit on one side,
 * which wins, or a conflict); the events are merged as a union; the
 * derived fields are recomputed from the result.
 *
 * The event order, precisely: a side's file holds its events in the order
 * they were recorded, which is causal (the approval before the resolve
 * that needed it), whatever their `at` says: clocks at two sites may be
 * minutes apart.  The union first keeps each side's order: events both
 * sides hold (identical in every field; the k-th copy on one side with
 * the k-th on the other) are written once, where both sides have reached
 * them; where neither side's order decides, the earlier `at` goes first,
 * then the smaller canonical key (which also settles two sides holding
 * shared events in different orders).  Then, when that union read in `at`
 * order is a valid life (life.h), it is put in `at` order (equal times
 * keep the union's order); when it is not, the union's order stands, so
 * a resolved or closed case never goes back to an earlier status because
 * one site's clock was ahead.  The result never depends on which side is
 * "ours": two sites that merge the same two versions write the same bytes.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_merge.h"
#include "complaint/case.h"
#include "complaint/error.h"
#include "life.h"
#include "complaint/i18n.h"

/* An event with its canonical key, its place, and its partner on the other side. */
struct mev {
	const struct cp_event *e;
	char *key;
	size_t idx;
	long partner;		/* index of the identical event on the other side, or -1 */
	bool done;		/* written (or its partner was) */
};

static void key_text(struct cp_sbuf *sb, const char *s)
{
	/* length-prefixed: no text can forge a field boundary */
	if (!s) {
		cp_sbuf_adds(sb, "-;");
		return;
	}
	cp_sbuf_addf(sb, "%zu:", strlen(s));
	cp_sbuf_adds(sb, s);
	cp_sbuf_addch(sb, ';');
}

/*
 * Every field of the event, so that two events have the same key exactly
 * when a case file would hold the same line for them.
 */
static char *event_key(const struct cp_event *e)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	cp_sbuf_addf(&sb, "%020" PRId64 ";", e->at);
	key_text(&sb, e->by);
	key_text(&sb, cp_evt_name(e->action));
	key_text(&sb, e->severity);
	key_text(&sb, e->department);
	key_text(&sb, e->responsible);
	key_text(&sb, e->head);
	key_text(&sb, e->leader);
	key_text(&sb, e->role);
	key_text(&sb, e->person);
	cp_sbuf_addf(&sb, "%ld;%d;", e->points, e->satisfied);
	if (e->compensation >= 0) {
		cp_money_fmt(&sb, e->compensation);
		cp_sbuf_addch(&sb, ';');
	}
	else
		cp_sbuf_adds(&sb, "-;");
	key_text(&sb, e->text);
	key_text(&sb, e->cause);
	key_text(&sb, e->measure);
	key_text(&sb, e->reason);
	key_text(&sb, e->template);
	key_text(&sb, e->with);
	key_text(&sb, e->party);
	key_text(&sb, e->ref);
	key_text(&sb, e->field);
	key_text(&sb, e->old);
	key_text(&sb, e->value);
	key_text(&sb, e->owner);
	key_text(&sb, e->due);
	return cp_sbuf_detach(&sb, NULL);
}

static int cmp_key(const void *a, const void *b)
{
	const struct mev *x = *(const struct mev *const *)a;
	const struct mev *y = *(const struct mev *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The events of c but the first (`new`), in the file's order. */
static struct mev *side_events(const struct cp_case *c, size_t *n)
{
	struct mev *v;
	size_t i;

	*n = c->nevents - 1;
	v = cp_xcalloc(*n + 1, sizeof(*v));
	for (i = 1; i < c->nevents; i++) {
		v[i - 1].e = &c->events[i];
		v[i - 1].key = event_key(&c->events[i]);
		v[i - 1].idx = i;
		v[i - 1].partner = -1;
	}
	return v;
}

static void free_events(struct mev *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

/*
 * Pair the events of a and b that are identical (as a multiset: the k-th
 * copy of an event on one side with the k-th on the other; the same
 * approval given again after a new plan is a second event).  Sorting by
 * key keeps this n log n.
 */
static void match(struct mev *a, size_t na, struct mev *b, size_t nb)
{
	struct mev **sa = cp_xcalloc(na + 1, sizeof(*sa));
	struct mev **sb = cp_xcalloc(nb + 1, sizeof(*sb));
	size_t i = 0, j = 0;

	for (i = 0; i < na; i++)
		sa[i] = &a[i];
	for (j = 0; j < nb; j++)
		sb[j] = &b[j];
	qsort(sa, na, sizeof(*sa), cmp_key);
	qsort(sb, nb, sizeof(*sb), cmp_key);
	i = j = 0;
	while (i < na && j < nb) {
		int c = strcmp(sa[i]->key, sb[j]->key);

		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			sa[i]->partner = sb[j] - b;
			sb[j]->partner = sa[i] - a;
			i++;
			j++;
		}
	}
	free(sa);
	free(sb);
}

/* By time, then by content: the same whichever side is ours. */
static int cmp_free(const struct mev *x, const struct mev *y)
{
	if (x->e->at != y->e->at)
		return x->e->at < y->e->at ? -1 : 1;
	return strcmp(x->key, y->key);
}

/*
 * Merge the two sides' events into res, keeping each side's own order
 * (the order its site recorded them in, which is causal: an approval
 * before the resolve that needed it), an event both hold once, and
 * interleaving by time only where neither side's order decides.
 */
static void merge_events(struct cp_case *res, struct mev *a, size_t na,
			 struct mev *b, size_t nb)
{
	size_t i = 0, j = 0;

	match(a, na, b, nb);
	for (;;) {
		struct mev *x;
		bool from_a;

		while (i < na && a[i].done)
			i++;
		while (j < nb && b[j].done)
			j++;
		if (i == na && j == nb)
			break;
		if (i == na) {
			from_a = false;
		} else if (j == nb) {
			from_a = true;
		} else if (a[i].partner == (long)j) {
			from_a = true;		/* both hold it: once */
		} else {
			/* one held by both further on waits for the other side to get there */
			bool a_waits = a[i].partner >= 0, b_waits = b[j].partner >= 0;

			if (a_waits != b_waits)
				from_a = b_waits;
			else	/* free, or the sides disagree on the order: by time */
				from_a = cmp_free(&a[i], &b[j]) <= 0;
		}
		x = from_a ? &a[i] : &b[j];
		cp_case_add_event(res, x->e);
		x->done = true;
		if (x->partner >= 0)
			(from_a ? b : a)[x->partner].done = true;
	}
}

/* ---- facts ---- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_flags(const struct cp_case *a, const struct cp_case *b)
{
	size_t i;

	if (a->nflags != b->nflags)
		return false;
	for (i = 0; i < a->nflags; i++)
		if (strcmp(a->flags[i], b->flags[i]))
			return false;
	return true;
}

static bool same_refs(const struct cp_case *a, const struct cp_case *b)
{
	size_t i;

	if (a->nrefs != b->nrefs)
		return false;
	for (i = 0; i < a->nrefs; i++)
		if (strcmp(a->refs[i], b->refs[i]))
			return false;
	return true;
}

static bool same_amount(const struct cp_case *a, const struct cp_case *b)
{
	if (a->has_amount != b->has_amount)
		return false;
	return !a->has_amount || a->amount == b->amount;
}

/*
 * Which side's value of a fact to take: 0 ours, 1 theirs, -1 conflict.
 * eq(x, y) says whether two versions agree on it.
 */
static int pick(bool ours_theirs, bool ours_base, bool theirs_base, bool has_base)
{
	if (ours_theirs)
		return 0;
	if (has_base && ours_base)
		return 1;	/* only theirs changed it */
	if (has_base && theirs_base)
		return 0;	/* only ours changed it */
	return -1;
}

static void copy_facts(struct cp_case *dst, const struct cp_case *src,
		       const char *field)
{
	size_t i;

#define COPY(f) do { free(dst->f); dst->f = src->f ? cp_xstrdup(src->f) : NULL; } while (0)
	if (!strcmp(field, "received_at"))
		dst->received = src->received;
	else if (!strcmp(field, "channel"))
		COPY(channel);
	else if (!strcmp(field, "kind"))
		COPY(kind);
	else if (!strcmp(field, "category"))
		COPY(category);
	else if (!strcmp(field, "customer name"))
		COPY(customer);
	else if (!strcmp(field, "customer contact"))
		COPY(contact);
	else if (!strcmp(field, "summary"))
		COPY(summary);
	else if (!strcmp(field, "description"))
		COPY(description);
	else if (!strcmp(field, "scope"))
		COPY(scope);
	else if (!strcmp(field, "amount")) {
		dst->has_amount = src->has_amount;
		dst->amount = src->amount;
	} else if (!strcmp(field, "flags")) {
		for (i = 0; i < dst->nflags; i++)
			free(dst->flags[i]);
		free(dst->flags);
		dst->flags = cp_xcalloc(src->nflags + 1, sizeof(char *));
		for (i = 0; i < src->nflags; i++)
			dst->flags[i] = cp_xstrdup(src->flags[i]);
		dst->nflags = src->nflags;
	} else if (!strcmp(field, "refs")) {
		for (i = 0; i < dst->nrefs; i++)
			free(dst->refs[i]);
		free(dst->refs);
		dst->refs = cp_xcalloc(src->nrefs + 1, sizeof(char *));
		for (i = 0; i < src->nrefs; i++)
			dst->refs[i] = cp_xstrdup(src->refs[i]);
		dst->nrefs = src->nrefs;
	}
#undef COPY
}

static bool fact_equal(const struct cp_case *a, const struct cp_case *b,
		       const char *field)
{
	if (!strcmp(field, "received_at"))
		return a->received == b->received;
	if (!strcmp(field, "channel"))
		return same_str(a->channel, b->channel);
	if (!strcmp(field, "kind"))
		return same_str(a->kind, b->kind);
	if (!strcmp(field, "category"))
		return same_str(a->category, b->category);
	if (!strcmp(field, "customer name"))
		return same_str(a->customer, b->customer);
	if (!strcmp(field, "customer contact"))
		return same_str(a->contact, b->contact);
	if (!strcmp(field, "summary"))
		return same_str(a->summary, b->summary);
	if (!strcmp(field, "description"))
		return same_str(a->description, b->description);
	if (!strcmp(field, "scope"))
		return same_str(a->scope, b->scope);
	if (!strcmp(field, "amount"))
		return same_amount(a, b);
	if (!strcmp(field, "refs"))
		return same_refs(a, b);
	return same_flags(a, b);
}

static const char *const facts[] = {
	"received_at", "channel", "kind", "category", "customer name",
	"customer contact", "summary", "description", "amount", "scope",
	"flags", "refs", NULL
};

/*
 * The fields of the policy's form, three-way one by one: a field only
 * one side changed (with a `set`, whose event the union keeps) takes
 * that side's value; both sides setting it to different values is a
 * conflict, as a hand edit of one fact on both sides is.  Without a
 * common version, the sides must agree.  res holds ours' fields.
 */
static int merge_fields(struct cp_case *res, const struct cp_policy *p,
			const struct cp_case *o, const struct cp_case *t,
			const struct cp_case *b, const char *path)
{
	size_t i;

	for (i = 0; i < o->nfields + t->nfields; i++) {
		const char *id = i < o->nfields ? o->field_ids[i] : t->field_ids[i - o->nfields];
		const char *vo = cp_case_field(o, id), *vt = cp_case_field(t, id);
		const char *vb = b ? cp_case_field(b, id) : NULL;
		int w = pick(same_str(vo, vt), b && same_str(vo, vb), b && same_str(vt, vb),
			     b != NULL);

		if (w < 0)
			return cp_error(CP_EBUSY,
					_("%s: the two versions of case %s differ in its field '%s' ('%s' and '%s'), %s"),
					path, o->id, id, vo ? vo : "(none)", vt ? vt : "(none)",
					b ? "and both sides changed it"
					  : "and there is no common version to tell which side changed it");
		if (w == 1)
			cp_case_put_field(res, p, id, vt);
	}
	return 0;
}

/* res starts as a copy of ours' facts; take theirs where theirs wins. */
static int merge_facts(struct cp_case *res, const struct cp_case *o,
		       const struct cp_case *t, const struct cp_case *b,
		       const char *path)
{
	size_t i;

	for (i = 0; facts[i]; i++) {
		const char *f = facts[i];
		int w = pick(fact_equal(o, t, f), b && fact_equal(o, b, f),
			     b && fact_equal(t, b, f), b != NULL);

		if (w < 0)
			return cp_error(CP_EBUSY,
					_("%s: the two versions of case %s differ in its %s, %s"),
					path, o->id, f,
					b ? "and both sides changed it"
					  : "and there is no common version to tell which side changed it");
		if (w == 1)
			copy_facts(res, t, f);
	}
	return 0;
}

/* ---- numbered items (measures M1, M2...) ---- */

static unsigned long ref_number(const char *ref, char prefix)
{
	unsigned long k;
	char *end;

	if (!ref || ref[0] != prefix || !ref[1])
		return 0;
	k = strtoul(ref + 1, &end, 10);
	return *end || k > 100000000 ? 0 : k;
}

static const struct cp_event *item_of(const struct cp_case *c, enum cp_evt creates,
				      const char *ref)
{
	size_t i;

	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == creates && c->events[i].ref &&
		    !strcmp(c->events[i].ref, ref))
			return &c->events[i];
	return NULL;
}

/*
 * Both sides numbered a new item alike (each added its own M2): the
 * side whose item sorts after the other's (by the event's canonical key,
 * so either site merging gets the same bytes) takes the next free
 * number, in every one of its events that names it.
 */
static void renumber(struct cp_case *o, struct cp_case *t, enum cp_evt creates,
		     char prefix)
{
	unsigned long max = 0, k;
	size_t i, j;

	for (i = 0; i < o->nevents + t->nevents; i++) {
		const struct cp_event *e = i < o->nevents ? &o->events[i]
							  : &t->events[i - o->nevents];

		if (e->action == creates && (k = ref_number(e->ref, prefix)) > max)
			max = k;
	}
	for (i = 0; i < o->nevents; i++) {
		struct cp_event *a = &o->events[i];
		const struct cp_event *b;
		struct cp_case *loser;
		char *ka, *kb, old[32], fresh[32];

		if (a->action != creates || !ref_number(a->ref, prefix) ||
		    !(b = item_of(t, creates, a->ref)) || cp_event_same(a, b))
			continue;
		ka = event_key(a);
		kb = event_key(b);
		loser = strcmp(ka, kb) > 0 ? o : t;
		free(ka);
		free(kb);
		snprintf(old, sizeof(old), "%s", a->ref);
		snprintf(fresh, sizeof(fresh), "%c%lu", prefix, ++max);
		for (j = 0; j < loser->nevents; j++) {
			struct cp_event *x = &loser->events[j];

			if (x->ref && !strcmp(x->ref, old)) {
				free(x->ref);
				x->ref = cp_xstrdup(fresh);
			}
		}
	}
}

/* ---- the merge ---- */

static struct cp_case *copy_case_facts(const struct cp_case *src)
{
	struct cp_case *c = cp_case_new();
	size_t i;

	memcpy(c->id, src->id, sizeof(c->id));
	for (i = 0; facts[i]; i++)
		copy_facts(c, src, facts[i]);
	c->field_ids = cp_xcalloc(src->nfields + 1, sizeof(char *));
	c->field_vals = cp_xcalloc(src->nfields + 1, sizeof(char *));
	for (i = 0; i < src->nfields; i++) {
		c->field_ids[i] = cp_xstrdup(src->field_ids[i]);
		c->field_vals[i] = cp_xstrdup(src->field_vals[i]);
	}
	c->nfields = src->nfields;
	return c;
}

/* The event of c that made ref (a penalize for P1, a measure for M1), or NULL. */
static const struct cp_event *maker(const struct cp_case *c, const char *ref)
{
	size_t i;

	for (i = 0; i < c->nevents; i++)
		if (c->events[i].ref && !strcmp(c->events[i].ref, ref) &&
		    (c->events[i].action == EV_PENALIZE || c->events[i].action == EV_MEASURE))
			return &c->events[i];
	return NULL;
}

/* The next free number of ref's letter in a and b: "P3". */
static char *next_free(const struct cp_case *a, const struct cp_case *b, char letter)
{
	const struct cp_case *cs[] = { a, b };
	long max = 0, n;
	size_t k, i;
	char *end, buf[32];

	for (k = 0; k < 2; k++)
		for (i = 0; i < cs[k]->nevents; i++) {
			const char *r = cs[k]->events[i].ref;

			if (!r || r[0] != letter)
				continue;
			n = strtol(r + 1, &end, 10);
			if (end != r + 1 && !*end && n > max)
				max = n;
		}
	snprintf(buf, sizeof(buf), "%c%ld", letter, max + 1);
	return cp_xstrdup(buf);
}

/*
 * Both sides numbered a new proposal or measure the same (P1 made at two
 * sites for different penalties): theirs is renumbered, in all of its
 * events, to the next number free on both sides (DESIGN-part2).
 */
static void renumber_refs(const struct cp_case *o, struct cp_case *t)
{
	size_t i, j;

	for (i = 0; i < t->nevents; i++) {
		const struct cp_event *mt = &t->events[i], *mo;
		char *old, *fresh;

		if (!mt->ref || (mt->action != EV_PENALIZE && mt->action != EV_MEASURE))
			continue;
		mo = maker(o, mt->ref);
		if (!mo || cp_event_same(mo, mt))
			continue;
		old = cp_xstrdup(mt->ref);
		fresh = next_free(o, t, old[0]);
		for (j = 0; j < t->nevents; j++)
			if (t->events[j].ref && !strcmp(t->events[j].ref, old)) {
				free(t->events[j].ref);
				t->events[j].ref = cp_xstrdup(fresh);
			}
		free(old);
		free(fresh);
	}
}

int cp_case_merge(struct cp_sbuf *out, const struct cp_policy *p, const char *base,
		  size_t blen, const char *ours, size_t olen, const char *theirs,
		  size_t tlen, const char *path)
{
	struct cp_case *o = NULL, *t = NULL, *b = NULL, *res = NULL;
	struct mev *oe = NULL, *te = NULL;
	size_t no = 0, nt = 0;
	char *ko = NULL, *kt = NULL;
	struct cp_sbuf name = CP_SBUF_INIT;
	int r;

	cp_sbuf_addf(&name, "%s (ours)", path);
	if ((r = cp_case_parse(&o, p->tz, name.buf, ours, olen)) < 0)
		goto out;
	cp_sbuf_reset(&name);
	cp_sbuf_addf(&name, "%s (theirs)", path);
	if ((r = cp_case_parse(&t, p->tz, name.buf, theirs, tlen)) < 0)
		goto out;
	if (base && blen) {
		cp_sbuf_reset(&name);
		cp_sbuf_addf(&name, "%s (base)", path);
		/* an unreadable base is no base: facts must then agree */
		if (cp_case_parse(&b, p->tz, name.buf, base, blen) < 0 || strcmp(b->id, o->id)) {
			cp_case_free(b);
			b = NULL;
			cp_error_clear();
		}
	}
	if (strcmp(o->id, t->id)) {
		r = cp_error(CP_EBUSY, _("%s: the two versions are different cases ('%s' and '%s')"),
			     path, o->id, t->id);
		goto out;
	}
	ko = event_key(&o->events[0]);
	kt = event_key(&t->events[0]);
	if (strcmp(ko, kt)) {
		r = cp_error(CP_EBUSY,
			     _("%s: the two versions of case %s have different 'new' events, so they are not the same case"),
			     path, o->id);
		goto out;
	}
	renumber(o, t, EV_MEASURE, 'M');
	res = copy_case_facts(o);
	if ((r = merge_facts(res, o, t, b, path)) < 0 ||
	    (r = merge_fields(res, p, o, t, b, path)) < 0)
		goto out;
	cp_case_add_event(res, &o->events[0]);
	renumber_refs(o, t);
	oe = side_events(o, &no);
	te = side_events(t, &nt);
	merge_events(res, oe, no, te, nt);
	if (res->nevents > CP_MAX_EVENTS) {
		r = cp_error(CP_EDATA, _("%s: the merged case would have %zu events (limit %d)"),
			     path, res->nevents, CP_MAX_EVENTS);
		goto out;
	}
	if ((r = cp_case_derive(res, p)) < 0) {
		r = cp_error_wrap(_("%s: the merged case"), path);
		goto out;
	}
	/*
	 * Read in time order, is the union a valid life?  Then that is its
	 * order (SPEC section 7).  When it is not (clocks at two sites
	 * disagreed, or a side was written before time order was kept), each
	 * side's own order stands, as merged above: a resolved or closed case
	 * never goes back to an earlier status because of a clock.
	 */
	if (cp_life_valid_in_time(res, p)) {
		cp_case_sort_by_time(res);
		if ((r = cp_case_derive(res, p)) < 0) {
			r = cp_error_wrap(_("%s: the merged case"), path);
			goto out;
		}
	}
	cp_case_format(out, res, p);
out:
	free(ko);
	free(kt);
	free_events(oe, no);
	free_events(te, nt);
	cp_case_free(o);
	cp_case_free(t);
	cp_case_free(b);
	cp_case_free(res);
	cp_sbuf_release(&name);
	return r;
}
