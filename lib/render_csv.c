/*
 * render_csv.c - the report as one CSV table in long ("tidy") form: one
 * figure per row, the first column naming the section it comes from, so
 * that a spreadsheet can filter and pivot it and twelve months of files
 * can be concatenated.  RFC 4180 with CRLF line ends; every text field
 * goes through cp_csv_field(), which defuses spreadsheet formulas.
 *
 *	section,key,label,measure,value,role,department,date,rule,detail
 *
 * The columns and the section, key and measure names are a contract
 * (complaint-report(1)): add sections at the end, never rename.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "complaint/report.h"
#include "csv.h"
#include "json.h"

#define NONE (-1.0)	/* a value that is not defined (a rate of nothing) */

struct row {
	const char *section, *key, *label, *measure;
	const char *role, *department, *date, *rule, *detail;
};

/* One row with the value already formatted (NULL: empty). */
static void row_text(struct cp_sbuf *sb, const struct row *r, const char *value)
{
	cp_csv_field(sb, r->section);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->key);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->label);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->measure);
	cp_sbuf_addch(sb, ',');
	if (value)
		cp_sbuf_adds(sb, value);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->role);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->department);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->date);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->rule);
	cp_sbuf_addch(sb, ',');
	cp_csv_field(sb, r->detail);
	cp_sbuf_adds(sb, "\r\n");
}

/* One row; value < 0 leaves the value empty (every figure is >= 0). */
static void row(struct cp_sbuf *sb, const struct row *r, double value)
{
	struct cp_sbuf v = CP_SBUF_INIT;

	if (value >= 0)
		cp_json_num(&v, value);
	row_text(sb, r, value >= 0 ? v.buf : NULL);
	cp_sbuf_release(&v);
}

/* A row of money: points at the score's point value, two decimals. */
static void row_money(struct cp_sbuf *sb, const struct row *r,
		      const struct cp_score *sc, long points)
{
	struct cp_sbuf v = CP_SBUF_INIT;

	cp_score_money(&v, sc, points);
	row_text(sb, r, v.buf);
	cp_sbuf_release(&v);
}

/* A row of the `report` section: text in label, or a number in value. */
static void meta(struct cp_sbuf *sb, const char *key, const char *text,
		 const char *measure, double value)
{
	struct row r = { "report", key, text, measure, 0, 0, 0, 0, 0 };

	row(sb, &r, value);
}

static double rate(size_t part, size_t whole)
{
	if (!whole)
		return NONE;
	return round((double)part / (double)whole * 1000.0) / 1000.0;
}

static void totals(struct cp_sbuf *sb, const char *section, const struct cp_totals *t)
{
	struct row r = { section, 0, 0, "cases", 0, 0, 0, 0, 0 };

#define TOTAL(f, text) \
	r.key = #f; \
	r.label = text; \
	row(sb, &r, (double)t->f);
	TOTAL(received, "Received")
	TOTAL(resolved, "Resolved")
	TOTAL(closed, "Closed")
	TOTAL(open, "Open at month end")
	TOTAL(overdue, "Overdue at month end")
#undef TOTAL
}

/* Every key the struct holds, zeros included, so the rows are stable. */
static void counts(struct cp_sbuf *sb, const char *section, const struct cp_counts *c)
{
	struct row r = { section, 0, 0, "cases", 0, 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < c->n; i++) {
		r.key = c->v[i].key;
		r.label = c->v[i].label;
		row(sb, &r, (double)c->v[i].n);
	}
}

static void score(struct cp_sbuf *sb, const struct cp_score *sc)
{
	struct row r = { 0 };
	char d[CP_TIME_BUF];
	size_t i;

	r.section = "score_departments";
	for (i = 0; i < sc->ndepartments; i++) {
		r.key = r.label = sc->departments[i].name;
		r.measure = "points";
		row(sb, &r, (double)sc->departments[i].points);
		r.measure = "money";
		row_money(sb, &r, sc, sc->departments[i].points);
	}
	r.section = "score_people";
	for (i = 0; i < sc->npeople; i++) {
		r.key = r.label = sc->people[i].name;
		r.role = cp_role_name(sc->people[i].role);
		r.department = sc->people[i].department;
		r.measure = "points";
		row(sb, &r, (double)sc->people[i].points);
		r.measure = "money";
		row_money(sb, &r, sc, sc->people[i].points);
	}
	r.section = "score_items";
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];

		cp_day_fmt(d, cp_local_day(sc->tz, it->at));
		r.key = it->case_id;
		r.label = it->target;
		r.role = cp_role_name(it->role);
		r.department = it->department;
		r.date = d;
		r.rule = it->rule;
		r.detail = it->detail;
		r.measure = "points";
		row(sb, &r, (double)it->points);
		r.measure = "money";
		row_money(sb, &r, sc, it->points);
	}
	memset(&r, 0, sizeof(r));
	r.section = "score_warnings";
	r.measure = "not_counted";
	for (i = 0; i < sc->nwarnings; i++) {
		r.key = sc->warnings[i].case_id;
		r.detail = sc->warnings[i].message;
		row(sb, &r, NONE);
	}
}

/* A row of money, or an empty value for none. */
static void row_amount(struct cp_sbuf *sb, const struct row *r, cp_money m)
{
	struct cp_sbuf v = CP_SBUF_INIT;

	if (m != CP_MONEY_NONE)
		cp_money_fmt(&v, m);
	row_text(sb, r, m != CP_MONEY_NONE ? v.buf : NULL);
	cp_sbuf_release(&v);
}

/* Section cases: the same rows for every case, text in detail. */
static void cases(struct cp_sbuf *sb, const struct cp_report *r)
{
	struct cp_sbuf missed = CP_SBUF_INIT;
	char d[CP_TIME_BUF];
	size_t i, k;

	for (i = 0; i < r->ncases; i++) {
		const struct cp_report_case *c = &r->cases[i];
		struct row w = { "cases", c->id, c->summary, 0, 0, c->department, d, 0, 0 };

		cp_day_fmt(d, cp_local_day(r->tz, c->received));
#define TEXT(m, t) w.measure = m; w.detail = t; row(sb, &w, NONE);
		TEXT("severity", c->severity)
		TEXT("kind", c->kind)
		TEXT("category", c->category)
		TEXT("status", cp_status_name(c->status))
		TEXT("cause", c->cause)
		TEXT("measure", c->measure)
		TEXT("satisfied", c->satisfied < 0 ? NULL : c->satisfied ? "true" : "false")
#undef TEXT
		w.measure = "compensation";
		w.detail = NULL;
		row_amount(sb, &w, c->compensation);
		cp_sbuf_reset(&missed);
		for (k = 0; k < c->nmissed; k++)
			cp_sbuf_addf(&missed, "%s%s", k ? " " : "", cp_dl_name(c->missed[k]));
		w.measure = "missed";
		w.detail = missed.buf;
		row(sb, &w, (double)c->nmissed);
	}
	cp_sbuf_release(&missed);
}

static void figures(struct cp_sbuf *sb, struct row *w, const char *prefix,
		    const struct cp_dept_figures *f)
{
	char m[32];

#define FIG(name, v) snprintf(m, sizeof(m), "%s%s", prefix, name); w->measure = m; row(sb, w, v);
	FIG("received", (double)f->received)
	FIG("resolved", (double)f->resolved)
	FIG("due", (double)f->due)
	FIG("met", (double)f->met)
	FIG("rate", rate(f->met, f->due))
	FIG("callbacks", (double)f->callbacks)
	FIG("satisfied", (double)f->satisfied)
	FIG("satisfaction_rate", rate(f->satisfied, f->callbacks))
#undef FIG
}

static void departments(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	for (i = 0; i < r->ndepartments; i++) {
		const struct cp_report_dept *d = &r->departments[i];
		struct row w = { "departments", d->name, d->name, 0, 0, 0, 0, 0, 0 };

		figures(sb, &w, "", &d->cur);
		w.measure = "points";
		row(sb, &w, (double)d->points);
		figures(sb, &w, "previous_", &d->prev);
	}
}

/* measures at the period's end: the counts, then one row per overdue measure */
static void measures(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_report_measures *m = &r->measures;
	struct row w = { "measures", "all", "Measures", 0, 0, 0, 0, 0, 0 };
	size_t i;

#define FIG(name, v) w.measure = name; row(sb, &w, (double)(v));
	FIG("open", m->open)
	FIG("done", m->done)
	FIG("signed_off", m->signed_off)
	FIG("overdue", m->overdue)
#undef FIG
	w.section = "measures_overdue";
	for (i = 0; i < m->nrows; i++) {
		w.key = m->rows[i].id;
		w.label = m->rows[i].text;
		w.measure = m->rows[i].ref;
		w.role = m->rows[i].owner;
		w.date = m->rows[i].due;
		row(sb, &w, NONE);
	}
}

static void compensation(struct cp_sbuf *sb, const struct cp_report *r)
{
	struct row w = { "compensation", "total", "Total", "money", 0, 0, 0, 0, 0 };
	size_t i;

	row_amount(sb, &w, r->compensation);
	w.measure = "resolves";
	row(sb, &w, (double)r->ncompensation);
	for (i = 0; i < r->ncompensation_by; i++) {
		w.key = r->compensation_by[i].level;
		w.label = r->compensation_by[i].label;
		w.measure = "money";
		row_amount(sb, &w, r->compensation_by[i].total);
		w.measure = "resolves";
		row(sb, &w, (double)r->compensation_by[i].n);
	}
}

void cp_report_csv(struct cp_sbuf *sb, const struct cp_report *r)
{
	char buf[CP_TIME_BUF], month[16];
	struct row w = { 0 };
	size_t i;

	cp_sbuf_adds(sb, "section,key,label,measure,value,role,department,date,rule,detail\r\n");
	snprintf(month, sizeof(month), "%04d-%02d", r->year, r->month);
	meta(sb, "month", month, NULL, NONE);
	cp_day_fmt(buf, cp_local_day(r->tz, r->from));
	meta(sb, "from", buf, NULL, NONE);
	cp_day_fmt(buf, cp_local_day(r->tz, r->to));
	meta(sb, "to", buf, NULL, NONE);
	cp_time_fmt(buf, r->tz, r->as_of);
	meta(sb, "as_of", buf, NULL, NONE);
	meta(sb, "policy", r->policy_name, NULL, NONE);
	meta(sb, "currency", r->currency, NULL, NONE);
	w.section = "report";
	w.key = "point_value";
	w.measure = "money";
	row_money(sb, &w, &r->score, 1);
	memset(&w, 0, sizeof(w));
	meta(sb, "recurring_at", NULL, "cases", (double)r->recurring_at);
	meta(sb, "unreadable_files", NULL, "files", (double)r->bad_files);
	snprintf(month, sizeof(month), "%04d-%02d", r->month == 1 ? r->year - 1 : r->year,
		 r->month == 1 ? 12 : r->month - 1);
	meta(sb, "previous_month", month, NULL, NONE);
	meta(sb, "title", r->title, NULL, NONE);

	totals(sb, "totals", &r->totals);
	totals(sb, "previous", &r->previous);
	counts(sb, "by_severity", &r->by_severity);
	counts(sb, "by_kind", &r->by_kind);
	counts(sb, "by_category", &r->by_category);
	counts(sb, "by_channel", &r->by_channel);
	counts(sb, "by_department", &r->by_department);

	w.section = "deadlines";
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];

		w.key = w.label = cp_dl_name(d->event);
		w.measure = "due";
		row(sb, &w, (double)d->due);
		w.measure = "met";
		row(sb, &w, (double)d->met);
		w.measure = "rate";
		row(sb, &w, rate(d->met, d->due));
	}

	w.section = "resolution_hours";
	for (i = 0; i < r->nresolution; i++) {
		const struct cp_resolution *rs = &r->resolution[i];

		w.key = rs->level;
		w.label = rs->label;
		w.measure = "count";
		row(sb, &w, (double)rs->n);
		w.measure = "median";
		row(sb, &w, rs->n ? round(rs->median * 100.0) / 100.0 : NONE);
		w.measure = "max";
		row(sb, &w, rs->n ? round(rs->max * 100.0) / 100.0 : NONE);
	}

	w.section = "satisfaction";
	w.key = "callbacks";
	w.label = "Customer callbacks";
	w.measure = "callbacks";
	row(sb, &w, (double)r->callbacks);
	w.measure = "satisfied";
	row(sb, &w, (double)r->satisfied);
	w.measure = "rate";
	row(sb, &w, rate(r->satisfied, r->callbacks));

	counts(sb, "recurring", &r->recurring);

	w.section = "months";
	w.measure = "received";
	for (i = 0; i < 12; i++) {
		snprintf(month, sizeof(month), "%04d-%02d", r->months[i].year,
			 r->months[i].month);
		w.key = w.label = month;
		row(sb, &w, (double)r->months[i].received);
	}

	score(sb, &r->score);
	cases(sb, r);
	departments(sb, r);
	compensation(sb, r);
	measures(sb, r);
}
