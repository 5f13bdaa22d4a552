/*
 * case_write.c - the canonical case file, and comparing a file's derived
 * fields with what its events say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static void key_str(struct cp_sbuf *sb, const char *key, const char *val)
{
	cp_sbuf_addf(sb, "%s: ", key);
	cp_yw_str(sb, val, CP_YW_BLOCK, 0);
	cp_sbuf_addch(sb, '\n');
}

static void key_time(struct cp_sbuf *sb, const struct cp_tz *z, const char *key, cp_time t)
{
	char buf[CP_TIME_BUF];

	cp_time_fmt(buf, z, t);
	cp_sbuf_addf(sb, "%s: %s\n", key, buf);
}

static void flow_str(struct cp_sbuf *sb, const char *key, const char *val)
{
	if (!val)
		return;
	cp_sbuf_addf(sb, ", %s: ", key);
	cp_yw_str(sb, val, CP_YW_FLOW, 0);
}

/* A name list (cp_names_*): one name plain, several as a flow list. */
static void names_flow(struct cp_sbuf *sb, const char *list, bool always_list)
{
	const char *pos = list, *s;
	size_t len, i = 0;
	char *one;

	if (!always_list && cp_names_count(list) == 1) {
		cp_yw_str(sb, list, CP_YW_FLOW, 0);
		return;
	}
	cp_sbuf_addch(sb, '[');
	while ((s = cp_names_next(&pos, &len))) {
		if (i++)
			cp_sbuf_adds(sb, ", ");
		one = cp_xstrndup(s, len);
		cp_yw_str(sb, one, CP_YW_FLOW, 0);
		free(one);
	}
	cp_sbuf_addch(sb, ']');
}

static void flow_names(struct cp_sbuf *sb, const char *key, const char *val,
		       bool always_list)
{
	if (!val)
		return;
	cp_sbuf_addf(sb, ", %s: ", key);
	names_flow(sb, val, always_list);
}

static void write_event(struct cp_sbuf *sb, const struct cp_tz *z, const struct cp_event *e)
{
	char t[CP_TIME_BUF];

	cp_time_fmt(t, z, e->at);
	cp_sbuf_addf(sb, "  - {at: %s, by: ", t);
	cp_yw_str(sb, e->by ? e->by : "", CP_YW_FLOW, 0);
	cp_sbuf_addf(sb, ", action: %s", cp_evt_name(e->action));
	flow_str(sb, "field", e->field);
	flow_str(sb, "old", e->old);
	flow_str(sb, "value", e->value);
	flow_str(sb, "severity", e->severity);
	flow_str(sb, "department", e->department);
	flow_names(sb, "responsible", e->responsible, false);
	flow_str(sb, "head", e->head);
	flow_str(sb, "leader", e->leader);
	flow_str(sb, "role", e->role);
	flow_str(sb, "person", e->person);
	if (e->points != CP_NONE)
		cp_sbuf_addf(sb, ", points: %ld", e->points);
	if (e->satisfied >= 0)
		cp_sbuf_addf(sb, ", satisfied: %s", e->satisfied ? "true" : "false");
	if (e->compensation >= 0) {
		cp_sbuf_adds(sb, ", compensation: ");
		cp_money_fmt(sb, e->compensation);
	}
	flow_str(sb, "text", e->text);
	flow_str(sb, "cause", e->cause);
	flow_str(sb, "measure", e->measure);
	flow_str(sb, "reason", e->reason);
	flow_str(sb, "template", e->template);
	flow_names(sb, "with", e->with, true);
	flow_str(sb, "party", e->party);
	flow_str(sb, "ref", e->ref);
	flow_str(sb, "owner", e->owner);
	flow_str(sb, "due", e->due);
	cp_sbuf_adds(sb, "}\n");
}

void cp_case_format(struct cp_sbuf *sb, const struct cp_case *c,
		    const struct cp_policy *p)
{
	const struct cp_derived *d = &c->d;
	size_t i;

	key_str(sb, "id", c->id);
	cp_sbuf_addf(sb, "status: %s\n", cp_status_name(d->status));
	key_str(sb, "severity", p->levels[d->level].id);
	key_time(sb, p->tz, "received_at", c->received);
	key_str(sb, "channel", c->channel);
	if (c->kind)
		key_str(sb, "kind", c->kind);
	key_str(sb, "category", c->category);
	cp_sbuf_adds(sb, "customer: {name: ");
	cp_yw_str(sb, c->customer, CP_YW_FLOW, 0);
	if (c->contact) {
		cp_sbuf_adds(sb, ", contact: ");
		cp_yw_str(sb, c->contact, CP_YW_FLOW, 0);
	}
	cp_sbuf_adds(sb, "}\n");
	key_str(sb, "summary", c->summary);
	if (c->description)
		key_str(sb, "description", c->description);
	if (c->has_amount) {
		cp_sbuf_adds(sb, "amount: ");
		cp_money_fmt(sb, c->amount);
		cp_sbuf_addch(sb, '\n');
	}
	if (c->scope)
		key_str(sb, "scope", c->scope);
	if (c->nflags) {
		cp_sbuf_adds(sb, "flags: [");
		for (i = 0; i < c->nflags; i++) {
			if (i)
				cp_sbuf_adds(sb, ", ");
			cp_yw_str(sb, c->flags[i], CP_YW_FLOW, 0);
		}
		cp_sbuf_adds(sb, "]\n");
	}
	if (c->nrefs) {
		cp_sbuf_adds(sb, "refs: [");
		for (i = 0; i < c->nrefs; i++) {
			if (i)
				cp_sbuf_adds(sb, ", ");
			cp_yw_str(sb, c->refs[i], CP_YW_FLOW, 0);
		}
		cp_sbuf_adds(sb, "]\n");
	}
	if (c->nfields) {
		cp_sbuf_adds(sb, "fields:\n");
		for (i = 0; i < c->nfields; i++) {
			cp_sbuf_adds(sb, "  ");
			cp_yw_str(sb, c->field_ids[i], CP_YW_FLOW, 0);
			cp_sbuf_adds(sb, ": ");
			cp_yw_str(sb, c->field_vals[i], CP_YW_BLOCK, 2);
			cp_sbuf_addch(sb, '\n');
		}
	}
	if (d->department)
		key_str(sb, "department", d->department);
	if (d->with) {
		cp_sbuf_adds(sb, "with: ");
		names_flow(sb, d->with, true);
		cp_sbuf_addch(sb, '\n');
	}
	if (d->responsible && cp_names_count(d->responsible) > 1) {
		cp_sbuf_adds(sb, "responsible: ");
		names_flow(sb, d->responsible, false);
		cp_sbuf_addch(sb, '\n');
	} else if (d->responsible) {
		key_str(sb, "responsible", d->responsible);
	}
	if (d->head)
		key_str(sb, "head", d->head);
	if (d->leader)
		key_str(sb, "leader", d->leader);
	if (d->ndeadlines) {
		cp_sbuf_adds(sb, "deadlines:\n");
		for (i = 0; i < d->ndeadlines; i++) {
			char t[CP_TIME_BUF];

			cp_time_fmt(t, p->tz, d->deadlines[i].at);
			cp_sbuf_addf(sb, "  %s: %s\n", cp_dl_name(d->deadlines[i].event), t);
		}
	}
	cp_sbuf_adds(sb, "events:\n");
	for (i = 0; i < c->nevents; i++)
		write_event(sb, p->tz, &c->events[i]);
}

static int differ(struct cp_sbuf *out, const char *field, const char *stored,
		  const char *derived)
{
	if (!stored && !derived)
		return 0;
	if (stored && derived && !strcmp(stored, derived))
		return 0;
	cp_sbuf_addf(out, "%s: file says '", field);
	if (stored)
		cp_names_join(out, stored, ", ");
	else
		cp_sbuf_adds(out, "(none)");
	cp_sbuf_adds(out, "', events say '");
	if (derived)
		cp_names_join(out, derived, ", ");
	else
		cp_sbuf_adds(out, "(none)");
	cp_sbuf_adds(out, "'\n");
	return 1;
}

int cp_case_check_derived(struct cp_sbuf *out, const struct cp_case *c,
			  const struct cp_policy *p)
{
	const struct cp_derived *d = &c->d;
	int n = 0;
	size_t i, j;

	n += differ(out, "status", c->stored.status, cp_status_name(d->status));
	n += differ(out, "severity", c->stored.severity, p->levels[d->level].id);
	n += differ(out, "department", c->stored.department, d->department);
	n += differ(out, "with", c->stored.with, d->with);
	n += differ(out, "responsible", c->stored.responsible, d->responsible);
	n += differ(out, "head", c->stored.head, d->head);
	n += differ(out, "leader", c->stored.leader, d->leader);
	n += (int)cp_case_check_fields(out, c);
	for (i = 0; i < d->ndeadlines; i++) {
		char want[CP_TIME_BUF], have[CP_TIME_BUF] = "(none)";
		const struct cp_deadline *dd = &d->deadlines[i];

		cp_time_fmt(want, p->tz, dd->at);
		for (j = 0; j < c->stored.ndeadlines; j++)
			if (c->stored.deadlines[j].event == dd->event)
				break;
		if (j < c->stored.ndeadlines) {
			if (c->stored.deadlines[j].at == dd->at)
				continue;
			cp_time_fmt(have, p->tz, c->stored.deadlines[j].at);
		}
		cp_sbuf_addf(out, _("deadline %s: file says %s, policy and events say %s\n"),
			  cp_dl_name(dd->event), have, want);
		n++;
	}
	for (j = 0; j < c->stored.ndeadlines; j++) {
		for (i = 0; i < d->ndeadlines; i++)
			if (c->stored.deadlines[j].event == d->deadlines[i].event)
				break;
		if (i == d->ndeadlines) {
			cp_sbuf_addf(out, _("deadline %s: file has one, policy and events give none\n"),
				  cp_dl_name(c->stored.deadlines[j].event));
			n++;
		}
	}
	return n;
}
