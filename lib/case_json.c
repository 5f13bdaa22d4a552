/*
 * case_json.c - cases as JSON objects.
 */
#include "complaint/case_json.h"
#include "json.h"

static void next_deadline(const struct cp_case *c, struct sbuf *sb)
{
	const struct cp_deadline *d = cp_case_next_deadline(c);

	if (!d) {
		sbuf_adds(sb, "null");
		return;
	}
	sbuf_adds(sb, "{\"event\":");
	json_str(sb, cp_evt_name(d->event));
	sbuf_adds(sb, ",\"at\":");
	json_time(sb, d->at);
	sbuf_addch(sb, '}');
}

static void common(const struct cp_case *c, const struct cp_policy *p,
		   struct sbuf *sb, bool *first)
{
	json_key(sb, first, "id");
	json_str(sb, c->id);
	json_key(sb, first, "status");
	json_str(sb, cp_status_name(c->d.status));
	json_key(sb, first, "severity");
	json_str(sb, p->levels[c->d.level].id);
	json_key(sb, first, "received_at");
	json_time(sb, c->received);
	json_key(sb, first, "channel");
	json_str(sb, c->channel);
	json_key(sb, first, "kind");
	json_str(sb, c->kind);
	json_key(sb, first, "category");
	json_str(sb, c->category);
	json_key(sb, first, "customer");
	sbuf_adds(sb, "{\"name\":");
	json_str(sb, c->customer);
	sbuf_adds(sb, ",\"contact\":");
	json_str(sb, c->contact);
	sbuf_addch(sb, '}');
	json_key(sb, first, "summary");
	json_str(sb, c->summary);
}

static void amount(const struct cp_case *c, struct sbuf *sb, bool *first)
{
	json_key(sb, first, "amount");
	if (c->has_amount)
		cp_money_fmt(sb, c->amount);
	else
		sbuf_adds(sb, "null");
}

static void event_json(const struct cp_event *e, struct sbuf *sb)
{
	bool first = true;

	sbuf_addch(sb, '{');
	json_key(sb, &first, "at");
	json_time(sb, e->at);
	json_key(sb, &first, "by");
	json_str(sb, e->by);
	json_key(sb, &first, "action");
	json_str(sb, cp_evt_name(e->action));
#define OPTSTR(f) if (e->f) { json_key(sb, &first, #f); json_str(sb, e->f); }
	OPTSTR(severity) OPTSTR(department) OPTSTR(responsible) OPTSTR(head)
	OPTSTR(leader) OPTSTR(role) OPTSTR(person)
#undef OPTSTR
	if (e->points != CP_NONE) {
		json_key(sb, &first, "points");
		json_num(sb, (double)e->points);
	}
	if (e->satisfied >= 0) {
		json_key(sb, &first, "satisfied");
		sbuf_adds(sb, e->satisfied ? "true" : "false");
	}
	if (e->compensation >= 0) {
		json_key(sb, &first, "compensation");
		cp_money_fmt(sb, e->compensation);
	}
#define OPTSTR(f) if (e->f) { json_key(sb, &first, #f); json_str(sb, e->f); }
	OPTSTR(text) OPTSTR(cause) OPTSTR(measure) OPTSTR(reason)
#undef OPTSTR
	sbuf_addch(sb, '}');
}

void cp_case_json(const struct cp_case *c, const struct cp_policy *p,
		  cp_time now, struct sbuf *sb)
{
	bool first = true;
	size_t i;

	sbuf_addch(sb, '{');
	common(c, p, sb, &first);
	json_key(sb, &first, "description");
	json_str(sb, c->description);
	amount(c, sb, &first);
	json_key(sb, &first, "scope");
	json_str(sb, c->scope);
	json_key(sb, &first, "flags");
	sbuf_addch(sb, '[');
	for (i = 0; i < c->nflags; i++) {
		if (i)
			sbuf_addch(sb, ',');
		json_str(sb, c->flags[i]);
	}
	sbuf_addch(sb, ']');
	json_key(sb, &first, "department");
	json_str(sb, c->d.department);
	json_key(sb, &first, "responsible");
	json_str(sb, c->d.responsible);
	json_key(sb, &first, "head");
	json_str(sb, c->d.head);
	json_key(sb, &first, "leader");
	json_str(sb, c->d.leader);
	json_key(sb, &first, "deadlines");
	sbuf_addch(sb, '{');
	for (i = 0; i < c->d.ndeadlines; i++) {
		if (i)
			sbuf_addch(sb, ',');
		json_str(sb, cp_evt_name(c->d.deadlines[i].event));
		sbuf_addch(sb, ':');
		json_time(sb, c->d.deadlines[i].at);
	}
	sbuf_addch(sb, '}');
	json_key(sb, &first, "deadline_states");
	sbuf_addch(sb, '{');
	for (i = 0; i < c->d.ndeadlines; i++) {
		static const char *const names[] = { "pending", "met", "missed" };

		if (i)
			sbuf_addch(sb, ',');
		json_str(sb, cp_evt_name(c->d.deadlines[i].event));
		sbuf_addch(sb, ':');
		json_str(sb, names[cp_case_deadline_state(c, &c->d.deadlines[i], now)]);
	}
	sbuf_addch(sb, '}');
	json_key(sb, &first, "next_deadline");
	next_deadline(c, sb);
	json_key(sb, &first, "overdue");
	sbuf_adds(sb, cp_case_overdue(c, now) ? "true" : "false");
	json_key(sb, &first, "events");
	sbuf_addch(sb, '[');
	for (i = 0; i < c->nevents; i++) {
		if (i)
			sbuf_addch(sb, ',');
		event_json(&c->events[i], sb);
	}
	sbuf_adds(sb, "]}");
}

void cp_case_json_brief(const struct cp_case *c, const struct cp_policy *p,
			cp_time now, struct sbuf *sb)
{
	bool first = true;

	sbuf_addch(sb, '{');
	common(c, p, sb, &first);
	json_key(sb, &first, "department");
	json_str(sb, c->d.department);
	json_key(sb, &first, "responsible");
	json_str(sb, c->d.responsible);
	amount(c, sb, &first);
	json_key(sb, &first, "next_deadline");
	next_deadline(c, sb);
	json_key(sb, &first, "overdue");
	sbuf_adds(sb, cp_case_overdue(c, now) ? "true" : "false");
	sbuf_addch(sb, '}');
}
