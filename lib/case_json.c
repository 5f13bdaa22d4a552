/*
 * case_json.c - cases as JSON objects.
 */
#include <stdlib.h>

#include "complaint/case_json.h"
#include "json.h"
#include "complaint/procedure.h"

static void next_deadline(const struct cp_case *c, const struct cp_tz *z, struct cp_sbuf *sb)
{
	const struct cp_deadline *d = cp_case_next_deadline(c);

	if (!d) {
		cp_sbuf_adds(sb, "null");
		return;
	}
	cp_sbuf_adds(sb, "{\"event\":");
	cp_json_str(sb, cp_dl_name(d->event));
	cp_sbuf_adds(sb, ",\"at\":");
	cp_json_time(sb, z, d->at);
	cp_sbuf_addch(sb, '}');
}

static void common(const struct cp_case *c, const struct cp_policy *p,
		   struct cp_sbuf *sb, bool *first)
{
	cp_json_key(sb, first, "id");
	cp_json_str(sb, c->id);
	cp_json_key(sb, first, "status");
	cp_json_str(sb, cp_status_name(c->d.status));
	cp_json_key(sb, first, "severity");
	cp_json_str(sb, p->levels[c->d.level].id);
	cp_json_key(sb, first, "received_at");
	cp_json_time(sb, p->tz, c->received);
	cp_json_key(sb, first, "channel");
	cp_json_str(sb, c->channel);
	cp_json_key(sb, first, "kind");
	cp_json_str(sb, c->kind);
	cp_json_key(sb, first, "category");
	cp_json_str(sb, c->category);
	cp_json_key(sb, first, "customer");
	cp_sbuf_adds(sb, "{\"name\":");
	cp_json_str(sb, c->customer);
	cp_sbuf_adds(sb, ",\"contact\":");
	cp_json_str(sb, c->contact);
	cp_sbuf_addch(sb, '}');
	cp_json_key(sb, first, "summary");
	cp_json_str(sb, c->summary);
}

static void amount(const struct cp_case *c, struct cp_sbuf *sb, bool *first)
{
	cp_json_key(sb, first, "amount");
	if (c->has_amount)
		cp_money_fmt(sb, c->amount);
	else
		cp_sbuf_adds(sb, "null");
}

void cp_json_names(struct cp_sbuf *sb, const char *list)
{
	const char *pos = list, *s;
	size_t len, i = 0;
	char *one;

	cp_sbuf_addch(sb, '[');
	while ((s = cp_names_next(&pos, &len))) {
		if (i++)
			cp_sbuf_addch(sb, ',');
		one = cp_xstrndup(s, len);
		cp_json_str(sb, one);
		free(one);
	}
	cp_sbuf_addch(sb, ']');
}

/* responsible: a string for one name (as before), an array for several */
static void responsible_json(struct cp_sbuf *sb, const char *list)
{
	if (list && cp_names_count(list) > 1)
		cp_json_names(sb, list);
	else
		cp_json_str(sb, list);
}

/* "refs": [...], "fields": {...} */
static void refs_fields(const struct cp_case *c, struct cp_sbuf *sb, bool *first)
{
	size_t i;

	cp_json_key(sb, first, "refs");
	cp_sbuf_addch(sb, '[');
	for (i = 0; i < c->nrefs; i++) {
		if (i)
			cp_sbuf_addch(sb, ',');
		cp_json_str(sb, c->refs[i]);
	}
	cp_sbuf_addch(sb, ']');
	cp_json_key(sb, first, "fields");
	cp_sbuf_addch(sb, '{');
	for (i = 0; i < c->nfields; i++) {
		if (i)
			cp_sbuf_addch(sb, ',');
		cp_json_str(sb, c->field_ids[i]);
		cp_sbuf_addch(sb, ':');
		cp_json_str(sb, c->field_vals[i]);
	}
	cp_sbuf_addch(sb, '}');
}

static void event_json(const struct cp_event *e, const struct cp_tz *z, struct cp_sbuf *sb)
{
	bool first = true;

	cp_sbuf_addch(sb, '{');
	cp_json_key(sb, &first, "at");
	cp_json_time(sb, z, e->at);
	cp_json_key(sb, &first, "by");
	cp_json_str(sb, e->by);
	cp_json_key(sb, &first, "action");
	cp_json_str(sb, cp_evt_name(e->action));
#define OPTSTR(f) if (e->f) { cp_json_key(sb, &first, #f); cp_json_str(sb, e->f); }
	OPTSTR(field) OPTSTR(old) OPTSTR(value)
	OPTSTR(severity) OPTSTR(department)
#undef OPTSTR
	if (e->responsible) {
		cp_json_key(sb, &first, "responsible");
		responsible_json(sb, e->responsible);
	}
#define OPTSTR(f) if (e->f) { cp_json_key(sb, &first, #f); cp_json_str(sb, e->f); }
	OPTSTR(head) OPTSTR(leader) OPTSTR(role) OPTSTR(person)
#undef OPTSTR
	if (e->points != CP_NONE) {
		cp_json_key(sb, &first, "points");
		cp_json_num(sb, (double)e->points);
	}
	if (e->satisfied >= 0) {
		cp_json_key(sb, &first, "satisfied");
		cp_sbuf_adds(sb, e->satisfied ? "true" : "false");
	}
	if (e->compensation >= 0) {
		cp_json_key(sb, &first, "compensation");
		cp_money_fmt(sb, e->compensation);
	}
#define OPTSTR(f) if (e->f) { cp_json_key(sb, &first, #f); cp_json_str(sb, e->f); }
	OPTSTR(text) OPTSTR(cause) OPTSTR(measure) OPTSTR(reason) OPTSTR(template)
#undef OPTSTR
	if (e->with) {
		cp_json_key(sb, &first, "with");
		cp_json_names(sb, e->with);
	}
#define OPTSTR(f) if (e->f) { cp_json_key(sb, &first, #f); cp_json_str(sb, e->f); }
	OPTSTR(party) OPTSTR(ref) OPTSTR(owner) OPTSTR(due)
#undef OPTSTR
	cp_sbuf_addch(sb, '}');
}

void cp_case_json(struct cp_sbuf *sb, const struct cp_case *c,
		  const struct cp_policy *p, cp_time now)
{
	bool first = true;
	size_t i;

	cp_sbuf_addch(sb, '{');
	common(c, p, sb, &first);
	cp_json_key(sb, &first, "description");
	cp_json_str(sb, c->description);
	amount(c, sb, &first);
	cp_json_key(sb, &first, "scope");
	cp_json_str(sb, c->scope);
	cp_json_key(sb, &first, "flags");
	cp_sbuf_addch(sb, '[');
	for (i = 0; i < c->nflags; i++) {
		if (i)
			cp_sbuf_addch(sb, ',');
		cp_json_str(sb, c->flags[i]);
	}
	cp_sbuf_addch(sb, ']');
	refs_fields(c, sb, &first);
	cp_json_key(sb, &first, "department");
	cp_json_str(sb, c->d.department);
	cp_json_key(sb, &first, "with");
	if (c->d.with)
		cp_json_names(sb, c->d.with);
	else
		cp_sbuf_adds(sb, "[]");
	cp_json_key(sb, &first, "responsible");
	responsible_json(sb, c->d.responsible);
	cp_json_key(sb, &first, "head");
	cp_json_str(sb, c->d.head);
	cp_json_key(sb, &first, "leader");
	cp_json_str(sb, c->d.leader);
	cp_json_key(sb, &first, "deadlines");
	cp_sbuf_addch(sb, '{');
	for (i = 0; i < c->d.ndeadlines; i++) {
		if (i)
			cp_sbuf_addch(sb, ',');
		cp_json_str(sb, cp_dl_name(c->d.deadlines[i].event));
		cp_sbuf_addch(sb, ':');
		cp_json_time(sb, p->tz, c->d.deadlines[i].at);
	}
	cp_sbuf_addch(sb, '}');
	cp_json_key(sb, &first, "deadline_states");
	cp_sbuf_addch(sb, '{');
	for (i = 0; i < c->d.ndeadlines; i++) {
		static const char *const names[] = { "pending", "met", "missed" };

		if (i)
			cp_sbuf_addch(sb, ',');
		cp_json_str(sb, cp_dl_name(c->d.deadlines[i].event));
		cp_sbuf_addch(sb, ':');
		cp_json_str(sb, names[cp_case_deadline_state(c, &c->d.deadlines[i], now)]);
	}
	cp_sbuf_addch(sb, '}');
	cp_json_key(sb, &first, "next_deadline");
	next_deadline(c, p->tz, sb);
	cp_json_key(sb, &first, "overdue");
	cp_sbuf_adds(sb, cp_case_overdue(c, now) ? "true" : "false");
	/* every deadline instance (rounds after a reopen, misses kept after a reclassify) */
	cp_json_key(sb, &first, "deadline_instances");
	cp_sbuf_addch(sb, '[');
	for (i = 0; i < c->d.ninst; i++) {
		static const char *const names[] = { "pending", "met", "missed" };
		const struct cp_deadline *d = &c->d.inst[i];
		bool f2 = true;

		cp_sbuf_adds(sb, i ? ",{" : "{");
		cp_json_key(sb, &f2, "event");
		cp_json_str(sb, cp_dl_name(d->event));
		cp_json_key(sb, &f2, "at");
		cp_json_time(sb, p->tz, d->at);
		cp_json_key(sb, &f2, "state");
		cp_json_str(sb, names[cp_case_deadline_state(c, d, now)]);
		cp_json_key(sb, &f2, "round");
		cp_json_num(sb, (double)(d->round + 1));
		cp_json_key(sb, &f2, "level");
		cp_json_str(sb, p->levels[d->level].id);
		cp_json_key(sb, &f2, "kept");
		cp_sbuf_adds(sb, d->kept ? "true" : "false");
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_addch(sb, ']');
	{
		struct cp_measure *m;
		struct cp_hold *h;
		size_t n = cp_case_measures(&m, c, p);

		cp_json_key(sb, &first, "measures");
		cp_sbuf_addch(sb, '[');
		for (i = 0; i < n; i++) {
			cp_sbuf_adds(sb, i ? ",{\"ref\":" : "{\"ref\":");
			cp_json_str(sb, m[i].ev->ref);
			cp_sbuf_adds(sb, ",\"text\":");
			cp_json_str(sb, m[i].ev->text);
			cp_sbuf_adds(sb, ",\"owner\":");
			cp_json_str(sb, m[i].ev->owner);
			cp_sbuf_adds(sb, ",\"due\":");
			cp_json_str(sb, m[i].ev->due);
			cp_sbuf_adds(sb, ",\"state\":");
			cp_json_str(sb, cp_mstate_name(m[i].state));
			cp_sbuf_adds(sb, ",\"done_at\":");
			if (m[i].done)
				cp_json_time(sb, p->tz, m[i].done->at);
			else
				cp_sbuf_adds(sb, "null");
			cp_sbuf_addf(sb, ",\"signoffs\":%zu,\"overdue\":%s}", m[i].napproved,
				  cp_measure_overdue(&m[i], p->tz, now) ? "true" : "false");
		}
		cp_sbuf_addch(sb, ']');
		free(m);
		n = cp_case_holds(&h, c);
		cp_json_key(sb, &first, "held");
		cp_sbuf_adds(sb, cp_case_held(c) ? "true" : "false");
		cp_json_key(sb, &first, "holds");
		cp_sbuf_addch(sb, '[');
		for (i = 0; i < n; i++) {
			cp_sbuf_adds(sb, i ? ",{\"from\":" : "{\"from\":");
			cp_json_time(sb, p->tz, h[i].from);
			cp_sbuf_adds(sb, ",\"to\":");
			if (h[i].to == CP_TIME_NONE)
				cp_sbuf_adds(sb, "null");
			else
				cp_json_time(sb, p->tz, h[i].to);
			cp_sbuf_adds(sb, ",\"reason\":");
			cp_json_str(sb, h[i].reason);
			cp_sbuf_addch(sb, '}');
		}
		cp_sbuf_addch(sb, ']');
		free(h);
	}
	cp_json_key(sb, &first, "events");
	cp_sbuf_addch(sb, '[');
	for (i = 0; i < c->nevents; i++) {
		if (i)
			cp_sbuf_addch(sb, ',');
		event_json(&c->events[i], p->tz, sb);
	}
	cp_sbuf_adds(sb, "]}");
}

void cp_case_json_brief(struct cp_sbuf *sb, const struct cp_case *c,
			const struct cp_policy *p, cp_time now)
{
	bool first = true;

	cp_sbuf_addch(sb, '{');
	common(c, p, sb, &first);
	cp_json_key(sb, &first, "department");
	cp_json_str(sb, c->d.department);
	cp_json_key(sb, &first, "responsible");
	responsible_json(sb, c->d.responsible);
	amount(c, sb, &first);
	cp_json_key(sb, &first, "next_deadline");
	next_deadline(c, p->tz, sb);
	cp_json_key(sb, &first, "overdue");
	cp_sbuf_adds(sb, cp_case_overdue(c, now) ? "true" : "false");
	refs_fields(c, sb, &first);
	{
		size_t open, overdue;

		cp_case_measure_counts(&open, &overdue, c, p, now);
		cp_json_key(sb, &first, "measures_open");
		cp_sbuf_addf(sb, "%zu", open);
		cp_json_key(sb, &first, "measures_overdue");
		cp_sbuf_addf(sb, "%zu", overdue);
	}
	cp_json_key(sb, &first, "held");
	cp_sbuf_adds(sb, cp_case_held(c) ? "true" : "false");
	cp_sbuf_addch(sb, '}');
}
