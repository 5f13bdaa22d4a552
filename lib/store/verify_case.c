/*
 * verify_case.c - one case file of a commit against its parents (SPEC
 * section 12): no earlier event changed or removed, no fact changed
 * without an event, derived fields in step with the events, and every
 * event the commit adds allowed to its actor at that moment under the
 * parent's policy and roster (the lifecycle's own check replayed).  A
 * merge may only bring both sides' events together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/audit.h"
#include "complaint/error.h"
#include "complaint/lifecycle.h"
#include "complaint/money.h"
#include "verify_priv.h"

static struct cp_case *load(struct verifier *v, const char *path, const git_oid *id,
			    const char *where)
{
	git_blob *b = NULL;
	struct cp_case *c = NULL;

	if (git_blob_lookup(&b, v->repo, id) < 0) {
		if (where)
			cp_verify_find(v, where, "cannot read %s: %s", path, git_error_last()->message);
		git_error_clear();
		return NULL;
	}
	if (cp_case_parse(&c, v->tz, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b)) < 0) {
		if (where)
			cp_verify_find(v, where, "%s", cp_errmsg());
		c = NULL;
	}
	git_blob_free(b);
	return c;
}

static void describe(struct cp_sbuf *sb, const struct cp_tz *z, const struct cp_case *c, size_t i)
{
	const struct cp_event *e = &c->events[i];
	char t[CP_TIME_BUF];

	cp_time_fmt(t, z, e->at);
	cp_sbuf_addf(sb, "event %zu (%s at %s by %s)", i + 1, cp_evt_name(e->action), t,
		  e->by ? e->by : "?");
}

static const struct cp_case *sort_case;
static int by_event(const void *a, const void *b)
{
	return cp_event_cmp(&sort_case->events[*(const size_t *)a],
			    &sort_case->events[*(const size_t *)b]);
}

static size_t *sorted(const struct cp_case *c)
{
	size_t *ix = cp_xcalloc(c->nevents + 1, sizeof(size_t)), i;

	for (i = 0; i < c->nevents; i++)
		ix[i] = i;
	sort_case = c;
	qsort(ix, c->nevents, sizeof(size_t), by_event);
	return ix;
}

/*
 * Match a's events against b's, as multisets: found[i] for each event of
 * a that b holds, used[j] (may be NULL) for each event of b so matched.
 */
static void match(const struct cp_case *a, const struct cp_case *b, bool *found, bool *used)
{
	size_t *ia = sorted(a), *ib = sorted(b), i = 0, j = 0;
	int d;

	while (i < a->nevents && j < b->nevents) {
		d = cp_event_cmp(&a->events[ia[i]], &b->events[ib[j]]);
		if (d < 0) {
			i++;
		} else if (d > 0) {
			j++;
		} else {
			found[ia[i++]] = true;
			if (used)
				used[ib[j]] = true;
			j++;
		}
	}
	free(ia);
	free(ib);
}

static bool str_differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

static void fact(struct verifier *v, const char *where, const char *name, const char *a,
		 const char *b)
{
	cp_verify_find(v, where, "changes the case's %s (%s -> %s) with no event recording it", name,
	      a ? a : "none", b ? b : "none");
}

static bool has_set(const struct cp_case *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == EV_SET && c->events[i].field &&
		    !strcmp(c->events[i].field, id))
			return true;
	return false;
}

/*
 * A field of the form changes only by a `set` event: one whose value
 * differs from the parent's while no event sets it is an edit (a field
 * that events set must hold its last set's value: cp_case_check_fields,
 * in derived() below).
 */
static void fields(struct verifier *v, const char *where, const struct cp_case *a,
		   const struct cp_case *b)
{
	struct cp_sbuf name = CP_SBUF_INIT;
	size_t i;

	for (i = 0; i < a->nfields + b->nfields; i++) {
		const char *id = i < a->nfields ? a->field_ids[i] : b->field_ids[i - a->nfields];
		const char *va = cp_case_field(a, id), *vb = cp_case_field(b, id);

		if (i >= a->nfields && va)
			continue;	/* named in the first half already */
		if (!str_differ(va, vb) || has_set(b, id))
			continue;
		cp_sbuf_reset(&name);
		cp_sbuf_addf(&name, "field '%s'", id);
		fact(v, where, name.buf, va, vb);
	}
	cp_sbuf_release(&name);
}

/* Facts are set by `new` and changed by no event: any change is an edit. */
static void facts(struct verifier *v, const char *where, const struct cp_case *a,
		  const struct cp_case *b)
{
	static const char *const names[] = { "channel", "kind", "category", "customer",
					     "contact", "summary", "description", "scope" };
	const char *fa[] = { a->channel, a->kind, a->category, a->customer, a->contact,
			     a->summary, a->description, a->scope };
	const char *fb[] = { b->channel, b->kind, b->category, b->customer, b->contact,
			     b->summary, b->description, b->scope };
	struct cp_sbuf x = CP_SBUF_INIT, y = CP_SBUF_INIT;
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF];
	size_t i;
	bool flags = a->nflags != b->nflags;

	if (a->received != b->received) {
		cp_time_fmt(t1, v->tz, a->received);
		cp_time_fmt(t2, v->tz, b->received);
		fact(v, where, "received time", t1, t2);
	}
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (str_differ(fa[i], fb[i]))
			fact(v, where, names[i], fa[i], fb[i]);
	if (a->has_amount != b->has_amount || (a->has_amount && a->amount != b->amount)) {
		if (a->has_amount)
			cp_money_fmt(&x, a->amount);
		if (b->has_amount)
			cp_money_fmt(&y, b->amount);
		fact(v, where, "amount", a->has_amount ? x.buf : NULL,
		     b->has_amount ? y.buf : NULL);
	}
	for (i = 0; !flags && i < a->nflags; i++)
		flags = strcmp(a->flags[i], b->flags[i]) != 0;
	if (flags) {
		cp_sbuf_reset(&x);
		cp_sbuf_reset(&y);
		for (i = 0; i < a->nflags; i++)
			cp_sbuf_addf(&x, "%s%s", i ? "," : "", a->flags[i]);
		for (i = 0; i < b->nflags; i++)
			cp_sbuf_addf(&y, "%s%s", i ? "," : "", b->flags[i]);
		fact(v, where, "flags", x.buf, y.buf);
	}
	cp_sbuf_reset(&x);
	cp_sbuf_reset(&y);
	for (i = 0; i < a->nrefs; i++)
		cp_sbuf_addf(&x, "%s%s", i ? "," : "", a->refs[i]);
	for (i = 0; i < b->nrefs; i++)
		cp_sbuf_addf(&y, "%s%s", i ? "," : "", b->refs[i]);
	if (strcmp(x.buf, y.buf))
		fact(v, where, "refs", a->nrefs ? x.buf : NULL, b->nrefs ? y.buf : NULL);
	cp_sbuf_release(&x);
	cp_sbuf_release(&y);
	fields(v, where, a, b);
}

static void derived(struct verifier *v, const char *where, struct cp_case *c,
		    const struct cp_policy *p)
{
	struct cp_sbuf out = CP_SBUF_INIT;
	size_t i;

	if (cp_case_derive(c, p) < 0) {
		cp_verify_find(v, where, "%s", cp_errmsg());
		return;
	}
	if (cp_case_check_derived(&out, c, p) > 0) {
		struct cp_sbuf one = CP_SBUF_INIT;

		for (i = 0; i < out.len; i++)
			if (out.buf[i] != '\n')
				cp_sbuf_addch(&one, out.buf[i]);
			else if (i + 1 < out.len)
				cp_sbuf_adds(&one, "; ");
		cp_verify_find(v, where, "derived fields disagree with the events: %s", one.buf);
		cp_sbuf_release(&one);
	}
	cp_sbuf_release(&out);
}

static bool same_person(const char *a, const char *b)
{
	return !strcmp(cp_actor_person(a), cp_actor_person(b));
}

/*
 * Replay the events of now that base lacks (add[i] set), in the file's
 * order, through the lifecycle's check under the parent's policy and
 * roster at the commit's time; the first refusal is named and ends the
 * replay (what follows it was built on it).
 */
static void replay(struct verifier *v, const char *where, struct cp_case *base,
		   const struct cp_case *now, const bool *add, const struct cp_policy *pp,
		   const struct cp_org *po)
{
	struct cp_sbuf d = CP_SBUF_INIT;
	size_t i;

	if (cp_case_derive(base, pp) < 0)
		return;
	for (i = 0; i < now->nevents; i++) {
		const struct cp_event *e = &now->events[i];

		if (!add[i])
			continue;
		cp_sbuf_reset(&d);
		describe(&d, v->tz, now, i);
		if (*v->actor && e->by && !same_person(e->by, v->actor))
			cp_verify_find(v, where, "%s is recorded as %s's, but the commit is by %s", d.buf,
			      e->by, v->actor);
		if (cp_lifecycle_apply(base, pp, po, e, v->when) < 0) {
			cp_verify_find(v, where, "%s was not allowed: %s", d.buf, cp_errmsg());
			break;
		}
		if (!cp_event_same(&base->events[base->nevents - 1], e))
			cp_verify_find(v, where,
			      "%s does not record what the procedure records for it (role, head or leader other than the roster gave)",
			      d.buf);
	}
	cp_sbuf_release(&d);
}

const char *cp_verify_case_id(char *buf, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	snprintf(buf, size, "%.*s", (int)n, base);
	return buf;
}

static void merge_case(struct verifier *v, const char *where, const char *path,
		       const struct cp_case *now, const git_oid *const *before, size_t nparents)
{
	bool *used = cp_xcalloc(now->nevents + 1, sizeof(bool));
	struct cp_sbuf d = CP_SBUF_INIT;
	size_t i, k;

	for (k = 0; k < nparents; k++) {
		struct cp_case *side;
		bool *found;

		if (!before[k] || !(side = load(v, path, before[k], NULL)))
			continue;
		found = cp_xcalloc(side->nevents + 1, sizeof(bool));
		match(side, now, found, used);
		for (i = 0; i < side->nevents; i++)
			if (!found[i]) {
				cp_sbuf_reset(&d);
				describe(&d, v->tz, side, i);
				cp_verify_find(v, where, "the merge drops %s of parent %zu", d.buf, k + 1);
			}
		free(found);
		cp_case_free(side);
	}
	for (i = 0; i < now->nevents; i++)
		if (!used[i]) {
			cp_sbuf_reset(&d);
			describe(&d, v->tz, now, i);
			cp_verify_find(v, where, "the merge adds %s, which neither side holds", d.buf);
		}
	cp_sbuf_release(&d);
	free(used);
}

void cp_verify_case(struct verifier *v, const char *path, const git_oid *now,
		 const git_oid *const *before, size_t nparents, const struct cp_policy *p,
		 const struct cp_policy *pp, const struct cp_org *po)
{
	char where[CP_ID_MAX + 16];
	struct cp_case *c, *old = NULL, *base = NULL;
	bool *found = NULL, *add = NULL, *keep = NULL;
	struct cp_sbuf d = CP_SBUF_INIT;
	size_t i;

	cp_verify_case_id(where, sizeof(where), path);
	if (!now) {
		cp_verify_find(v, where, "removes the case (%s)", path);
		return;
	}
	if (!(c = load(v, path, now, where)))
		return;
	if (p)
		derived(v, where, c, p);
	if (nparents > 1) {
		merge_case(v, where, path, c, before, nparents);
		goto out;
	}
	add = cp_xcalloc(c->nevents + 1, sizeof(bool));
	if (nparents && before[0] && (old = load(v, path, before[0], NULL))) {
		facts(v, where, old, c);
		found = cp_xcalloc(old->nevents + 1, sizeof(bool));
		keep = cp_xcalloc(c->nevents + 1, sizeof(bool));
		match(old, c, found, keep);
		for (i = 0; i < old->nevents; i++)
			if (!found[i]) {
				cp_sbuf_reset(&d);
				describe(&d, v->tz, old, i);
				cp_verify_find(v, where, "%s of the parent was changed or removed", d.buf);
			}
		/* what the new file holds beyond the old one is what this commit did */
		for (i = 0; i < c->nevents; i++)
			add[i] = !keep[i];
		/* the parent's case is where the replay starts (match and facts are done with it) */
		base = old;
		old = NULL;
	} else if (nparents && before[0]) {
		goto out;	/* the parent's file is unreadable: named at the parent */
	} else {
		if (!c->nevents || c->events[0].action != EV_NEW) {
			cp_verify_find(v, where, "a new case whose first event is not `new`");
			goto out;
		}
		if (*v->actor && c->events[0].by && !same_person(c->events[0].by, v->actor) &&
		    strcmp(v->action, "import"))
			cp_verify_find(v, where, "event 1 (new) is recorded as %s's, but the commit is by %s",
			      c->events[0].by, v->actor);
		if (pp && cp_audit_check_at(pp, c->received, v->when, "received") < 0)
			cp_verify_find(v, where, "%s", cp_errmsg());
		if (!strcmp(v->action, "import"))
			goto out;	/* imported history is data: its events are not replayed */
		for (i = 1; i < c->nevents; i++)
			add[i] = true;
		if ((base = load(v, path, now, NULL)))
			while (base->nevents > 1)
				cp_event_clear(&base->events[--base->nevents]);
	}
	if (base && pp && po)
		replay(v, where, base, c, add, pp, po);
out:
	cp_sbuf_release(&d);
	free(found);
	free(keep);
	free(add);
	cp_case_free(base);
	cp_case_free(old);
	cp_case_free(c);
}
