/*
 * render_json.c - the report as JSON (SPEC section 6; keys are a contract).
 */
#include <math.h>
#include <stdlib.h>

#include "complaint/report.h"
#include "json.h"

static void day(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t)
{
	char b[CP_TIME_BUF];

	cp_day_fmt(b, cp_local_day(z, t));
	cp_json_str(sb, b);
}

static void rate(struct cp_sbuf *sb, size_t part, size_t whole)
{
	if (!whole) {
		cp_sbuf_adds(sb, "null");
		return;
	}
	cp_json_num(sb, round((double)part / (double)whole * 1000.0) / 1000.0);
}

static void totals(struct cp_sbuf *sb, const struct cp_totals *t)
{
	cp_sbuf_addf(sb, "{\"received\":%zu,\"resolved\":%zu,\"closed\":%zu,\"open\":%zu,\"overdue\":%zu}",
		  t->received, t->resolved, t->closed, t->open, t->overdue);
}

static void counts(struct cp_sbuf *sb, const struct cp_counts *c)
{
	size_t i;
	bool first = true;

	cp_sbuf_addch(sb, '{');
	for (i = 0; i < c->n; i++) {
		if (!c->v[i].n)
			continue;
		cp_json_key(sb, &first, c->v[i].key);
		cp_sbuf_addf(sb, "%zu", c->v[i].n);
	}
	cp_sbuf_addch(sb, '}');
}

static void money_or_null(struct cp_sbuf *sb, cp_money m)
{
	if (m == CP_MONEY_NONE)
		cp_sbuf_adds(sb, "null");
	else
		cp_money_fmt(sb, m);
}

static void cases(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i, k;

	cp_sbuf_adds(sb, "[");
	for (i = 0; i < r->ncases; i++) {
		const struct cp_report_case *c = &r->cases[i];

		cp_sbuf_adds(sb, i ? ",\n{\"id\":" : "\n{\"id\":");
		cp_json_str(sb, c->id);
		cp_sbuf_adds(sb, ",\"severity\":");
		cp_json_str(sb, c->severity);
		cp_sbuf_adds(sb, ",\"kind\":");
		cp_json_str(sb, c->kind);
		cp_sbuf_adds(sb, ",\"category\":");
		cp_json_str(sb, c->category);
		cp_sbuf_adds(sb, ",\"department\":");
		cp_json_str(sb, c->department);
		cp_sbuf_adds(sb, ",\"with\":");
		cp_json_names(sb, c->with);
		cp_sbuf_adds(sb, ",\"summary\":");
		cp_json_str(sb, c->summary);
		cp_sbuf_adds(sb, ",\"cause\":");
		cp_json_str(sb, c->cause);
		cp_sbuf_adds(sb, ",\"measure\":");
		cp_json_str(sb, c->measure);
		cp_sbuf_adds(sb, ",\"compensation\":");
		money_or_null(sb, c->compensation);
		cp_sbuf_adds(sb, ",\"status\":");
		cp_json_str(sb, cp_status_name(c->status));
		cp_sbuf_adds(sb, ",\"missed\":[");
		for (k = 0; k < c->nmissed; k++) {
			if (k)
				cp_sbuf_addch(sb, ',');
			cp_json_str(sb, cp_dl_name(c->missed[k]));
		}
		cp_sbuf_adds(sb, "],\"satisfied\":");
		cp_sbuf_adds(sb, c->satisfied < 0 ? "null" : c->satisfied ? "true" : "false");
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, r->ncases ? "\n]" : "]");
}

static void figures(struct cp_sbuf *sb, const struct cp_dept_figures *f)
{
	cp_sbuf_addf(sb, "\"received\":%zu,\"resolved\":%zu,\"due\":%zu,\"met\":%zu,"
		  "\"callbacks\":%zu,\"satisfied\":%zu", f->received, f->resolved, f->due,
		  f->met, f->callbacks, f->satisfied);
}

static void departments(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	cp_sbuf_adds(sb, "[");
	for (i = 0; i < r->ndepartments; i++) {
		const struct cp_report_dept *d = &r->departments[i];

		cp_sbuf_adds(sb, i ? ",\n{\"department\":" : "\n{\"department\":");
		cp_json_str(sb, d->name);
		cp_sbuf_addch(sb, ',');
		figures(sb, &d->cur);
		cp_sbuf_addf(sb, ",\"points\":%ld,\"previous\":{", d->points);
		figures(sb, &d->prev);
		cp_sbuf_adds(sb, "}}");
	}
	cp_sbuf_adds(sb, r->ndepartments ? "\n]" : "]");
}

static void measures(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_report_measures *m = &r->measures;
	size_t i;

	cp_sbuf_addf(sb, "{\"open\":%zu,\"done\":%zu,\"signed_off\":%zu,\"overdue\":%zu,\"overdue_rows\":[",
		  m->open, m->done, m->signed_off, m->overdue);
	for (i = 0; i < m->nrows; i++) {
		cp_sbuf_adds(sb, i ? ",\n{\"case\":" : "\n{\"case\":");
		cp_json_str(sb, m->rows[i].id);
		cp_sbuf_adds(sb, ",\"measure\":");
		cp_json_str(sb, m->rows[i].ref);
		cp_sbuf_adds(sb, ",\"text\":");
		cp_json_str(sb, m->rows[i].text);
		cp_sbuf_adds(sb, ",\"owner\":");
		cp_json_str(sb, m->rows[i].owner);
		cp_sbuf_adds(sb, ",\"due\":");
		cp_json_str(sb, m->rows[i].due);
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "]}");
}

static void compensation(struct cp_sbuf *sb, const struct cp_report *r)
{
	bool first = true;
	size_t i;

	cp_sbuf_adds(sb, "{\"total\":");
	cp_money_fmt(sb, r->compensation);
	cp_sbuf_adds(sb, ",\"by_severity\":{");
	for (i = 0; i < r->ncompensation_by; i++) {
		if (!r->compensation_by[i].n)
			continue;
		cp_json_key(sb, &first, r->compensation_by[i].level);
		cp_money_fmt(sb, r->compensation_by[i].total);
	}
	cp_sbuf_adds(sb, "}}");
}

void cp_report_json(struct cp_sbuf *sb, const struct cp_report *r)
{
	bool first = true;
	size_t i;

	cp_sbuf_adds(sb, "{\"period\":{\"from\":");
	day(sb, r->tz, r->from);
	cp_sbuf_adds(sb, ",\"to\":");
	day(sb, r->tz, r->to);
	cp_sbuf_adds(sb, "},\n\"title\":");
	cp_json_str(sb, r->title);
	cp_sbuf_adds(sb, ",\"policy\":");
	cp_json_str(sb, r->policy_name);
	cp_sbuf_adds(sb, ",\"as_of\":");
	cp_json_time(sb, r->tz, r->as_of);
	cp_sbuf_adds(sb, ",\n\"totals\":");
	totals(sb, &r->totals);
	cp_sbuf_adds(sb, ",\n\"by_severity\":");
	counts(sb, &r->by_severity);
	cp_sbuf_adds(sb, ",\n\"by_kind\":");
	counts(sb, &r->by_kind);
	cp_sbuf_adds(sb, ",\n\"by_category\":");
	counts(sb, &r->by_category);
	cp_sbuf_adds(sb, ",\n\"by_channel\":");
	counts(sb, &r->by_channel);
	cp_sbuf_adds(sb, ",\n\"by_department\":");
	counts(sb, &r->by_department);
	cp_sbuf_adds(sb, ",\n\"deadlines\":{");
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];

		cp_json_key(sb, &first, cp_dl_name(d->event));
		cp_sbuf_addf(sb, "{\"due\":%zu,\"met\":%zu,\"rate\":", d->due, d->met);
		rate(sb, d->met, d->due);
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "},\n\"resolution_hours\":{");
	first = true;
	for (i = 0; i < r->nresolution; i++) {
		const struct cp_resolution *rs = &r->resolution[i];

		if (!rs->n)
			continue;
		cp_json_key(sb, &first, rs->level);
		cp_sbuf_adds(sb, "{\"median\":");
		cp_json_num(sb, round(rs->median * 100.0) / 100.0);
		cp_sbuf_adds(sb, ",\"max\":");
		cp_json_num(sb, round(rs->max * 100.0) / 100.0);
		cp_sbuf_addf(sb, ",\"count\":%zu}", rs->n);
	}
	cp_sbuf_addf(sb, "},\n\"satisfaction\":{\"callbacks\":%zu,\"satisfied\":%zu,\"rate\":",
		  r->callbacks, r->satisfied);
	rate(sb, r->satisfied, r->callbacks);
	cp_sbuf_adds(sb, "},\n\"recurring\":[");
	for (i = 0; i < r->recurring.n; i++) {
		cp_sbuf_adds(sb, i ? "," : "");
		cp_sbuf_adds(sb, "{\"category\":");
		cp_json_str(sb, r->recurring.v[i].key);
		cp_sbuf_addf(sb, ",\"count\":%zu}", r->recurring.v[i].n);
	}
	cp_sbuf_adds(sb, "],\n\"months\":[");
	for (i = 0; i < 12; i++)
		cp_sbuf_addf(sb, "%s{\"month\":\"%04d-%02d\",\"received\":%zu}", i ? "," : "",
			  r->months[i].year, r->months[i].month, r->months[i].received);
	cp_sbuf_adds(sb, "],\n\"score\":");
	cp_score_json(sb, &r->score);
	cp_sbuf_adds(sb, ",\n\"previous\":");
	totals(sb, &r->previous);
	cp_sbuf_adds(sb, ",\n\"cases\":");
	cases(sb, r);
	cp_sbuf_adds(sb, ",\n\"departments\":");
	departments(sb, r);
	cp_sbuf_adds(sb, ",\n\"measures\":");
	measures(sb, r);
	cp_sbuf_adds(sb, ",\n\"compensation\":");
	compensation(sb, r);
	cp_sbuf_addf(sb, ",\n\"unreadable_files\":%zu}\n", r->bad_files);
}
