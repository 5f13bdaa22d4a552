/*
 * render_md.c - the report as Markdown: readable in a terminal and in a
 * git diff (one fact per line, stable order, no timestamps of its own).
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "complaint/report.h"
#include "json.h"
#include "utf8.h"
#include "complaint/i18n.h"

/* the language of the report being written (cp_report_md) */
static int lang;

/* "| a | b | c |" and a line break: a table's header in the report's language */
static void head(struct cp_sbuf *sb, const char *const *cols)
{
	size_t i;

	for (i = 0; cols[i]; i++)
		if (*cols[i])
			cp_sbuf_addf(sb, "| %s ", T_(lang, cols[i]));
		else
			cp_sbuf_adds(sb, "| ");
	cp_sbuf_adds(sb, "|\n");
}

/*
 * Text a user or a policy wrote, for a table cell or a list item: nothing
 * in it may become markup.  The rules hold for CommonMark, GitHub's
 * Markdown (tables, autolinks, strikethrough) and Python-Markdown, so
 * only escapes all three read as the plain character are used: a
 * backslash before \ ` * _ [ ] { } and, at the start, # + - and the dot
 * or parenthesis of "1."; a character reference for < > & (raw HTML,
 * autolinks, entities) and ~ (strikethrough); \| for a pipe (a table
 * cell break).  Bare links that linkifying renderers (GitHub's autolink
 * extension) would make are broken with an invisible U+2060 WORD JOINER
 * after the colon of "x://" and the @ of "a@b", and before the dot of
 * "www.": such renderers look at the text after references are decoded,
 * so no escape can stop them.  Line breaks and tabs become spaces, other
 * control characters are dropped, leading white space is dropped (it
 * could start a code block in a list item).
 */
/* U+2060, invisible: it keeps "x://", "www." and "a@b" from being links */
#define WORD_JOINER "\xe2\x81\xa0"

static bool md_word_char(unsigned char ch)
{
	return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '-' || ch == '_' ||
	       ch == '+';
}

static void cell(struct cp_sbuf *sb, const char *s)
{
	const char *start, *p;
	size_t digits = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	start = s;
	if (*s == '#' || *s == '+' || *s == '-' || *s == '=')
		cp_sbuf_addch(sb, '\\');
	while (s[digits] >= '0' && s[digits] <= '9')
		digits++;
	for (p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		switch (ch) {
		case '\n': case '\r': case '\t':
			cp_sbuf_addch(sb, ' ');
			continue;
		case '|':
			cp_sbuf_adds(sb, "\\|");
			continue;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '{': case '}':
			cp_sbuf_addch(sb, '\\');
			cp_sbuf_addch(sb, (char)ch);
			continue;
		case '<':
			cp_sbuf_adds(sb, "&lt;");
			continue;
		case '>':
			cp_sbuf_adds(sb, "&gt;");
			continue;
		case '&':
			cp_sbuf_adds(sb, "&amp;");
			continue;
		case '~':
			cp_sbuf_adds(sb, "&#126;");
			continue;
		case ':':
			cp_sbuf_addch(sb, ':');
			if (p[1] == '/' && p[2] == '/')
				cp_sbuf_adds(sb, WORD_JOINER);
			continue;
		case '@':
			cp_sbuf_addch(sb, '@');
			if (p > start && md_word_char((unsigned char)p[-1]) &&
			    md_word_char((unsigned char)p[1]))
				cp_sbuf_adds(sb, WORD_JOINER);
			continue;
		case '.':
			if (p - start >= 3 && !strncasecmp(p - 3, "www", 3))
				cp_sbuf_adds(sb, WORD_JOINER);
			/* fall through */
		case ')':
			if (digits && p == start + digits) {
				cp_sbuf_addch(sb, '\\');
				cp_sbuf_addch(sb, (char)ch);
				continue;
			}
			break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				continue;
		}
		cp_sbuf_addch(sb, (char)ch);
	}
}

static void delta(struct cp_sbuf *sb, size_t now, size_t before)
{
	long d = (long)now - (long)before;

	if (d > 0)
		cp_sbuf_addf(sb, "+%ld", d);
	else
		cp_sbuf_addf(sb, "%ld", d);
}

static void pct(struct cp_sbuf *sb, size_t part, size_t whole)
{
	if (!whole)
		cp_sbuf_adds(sb, "-");
	else
		cp_sbuf_addf(sb, "%.1f%%", 100.0 * (double)part / (double)whole);
}

static void counts(struct cp_sbuf *sb, const char *title, const char *col,
		   const struct cp_counts *c, size_t total, bool labels)
{
	size_t i;

	cp_sbuf_addf(sb, "\n### %s\n\n| %s | %s | %s |\n|---|---:|---:|\n", T_(lang, title), T_(lang, col),
		  T_(lang, "Cases"), T_(lang, "Share"));
	for (i = 0; i < c->n; i++) {
		cp_sbuf_adds(sb, "| ");
		cell(sb, c->v[i].key);
		if (labels && strcmp(c->v[i].key, c->v[i].label)) {
			cp_sbuf_adds(sb, " (");
			cell(sb, c->v[i].label);
			cp_sbuf_adds(sb, ")");
		}
		cp_sbuf_addf(sb, " | %zu | ", c->v[i].n);
		pct(sb, c->v[i].n, total);
		cp_sbuf_adds(sb, " |\n");
	}
	if (!c->n)
		cp_sbuf_addf(sb, "| %s | 0 | - |\n", T_(lang, "(none)"));
}

/* A cell, or a plain "-" when there is no value. */
static void opt_cell(struct cp_sbuf *sb, const char *s)
{
	if (s)
		cell(sb, s);
	else
		cp_sbuf_addch(sb, '-');
}

static void money_cell(struct cp_sbuf *sb, cp_money m)
{
	if (m == CP_MONEY_NONE)
		cp_sbuf_adds(sb, "-");
	else
		cp_money_fmt(sb, m);
}

/* 75.0% (was 50.0%): a rate with the month before's. */
static void rate_vs(struct cp_sbuf *sb, size_t part, size_t whole, size_t ppart, size_t pwhole)
{
	pct(sb, part, whole);
	cp_sbuf_adds(sb, " | ");
	pct(sb, ppart, pwhole);
}

static void departments(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	static const char *const cols[] = { N_("Department"), N_("Received"), N_("Resolved"),
		N_("Due"), N_("Met"), N_("On time"), N_("Last month"), N_("Callbacks"),
		N_("Satisfied"), N_("Satisfaction"), N_("Last month"), N_("Points"), NULL };

	cp_sbuf_addf(sb, "\n## %s\n\n%s\n\n", T_(lang, "Departments"),
		  T_(lang, "Each lead department: cases received this month, resolves and callbacks while it held the case, deadlines of its cases received this month, and the month's points; rates against the month before."));
	head(sb, cols);
	cp_sbuf_adds(sb, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < r->ndepartments; i++) {
		const struct cp_report_dept *d = &r->departments[i];

		cp_sbuf_adds(sb, "| ");
		cell(sb, d->name);
		cp_sbuf_addf(sb, " | %zu | %zu | %zu | %zu | ", d->cur.received, d->cur.resolved,
			  d->cur.due, d->cur.met);
		rate_vs(sb, d->cur.met, d->cur.due, d->prev.met, d->prev.due);
		cp_sbuf_addf(sb, " | %zu | %zu | ", d->cur.callbacks, d->cur.satisfied);
		rate_vs(sb, d->cur.satisfied, d->cur.callbacks, d->prev.satisfied,
			d->prev.callbacks);
		cp_sbuf_addf(sb, " | %ld |\n", d->points);
	}
	if (!r->ndepartments)
		cp_sbuf_addf(sb, "| %s | 0 | 0 | 0 | 0 | - | - | 0 | 0 | - | - | 0 |\n", T_(lang, "(none)"));
}

static void cases(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i, k;

	static const char *const cols[] = { N_("Case"), N_("Level"), N_("Kind"), N_("Category"),
		N_("Department"), N_("Summary"), N_("Cause"), N_("Measure"), N_("Compensation"),
		N_("Status"), N_("Missed"), N_("Satisfied"), NULL };

	cp_sbuf_addf(sb, "\n## %s\n\n%s\n\n", T_(lang, "Cases"),
		  T_(lang, "Every case received, resolved or closed this month, oldest first: its cause, the measure and compensation of its resolve, its status at the month's end, the deadlines it missed and the last callback."));
	head(sb, cols);
	cp_sbuf_adds(sb, "|---|---|---|---|---|---|---|---|---:|---|---|---|\n");
	for (i = 0; i < r->ncases; i++) {
		const struct cp_report_case *c = &r->cases[i];

		cp_sbuf_adds(sb, "| ");
		cell(sb, c->id);
		cp_sbuf_adds(sb, " | ");
		cell(sb, c->severity);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, c->kind);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, c->category);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, c->department);
		if (c->with) {
			struct cp_sbuf w = CP_SBUF_INIT;

			cp_names_join(&w, c->with, ", ");
			cp_sbuf_adds(sb, " (+ ");
			cell(sb, w.buf);
			cp_sbuf_adds(sb, ")");
			cp_sbuf_release(&w);
		}
		cp_sbuf_adds(sb, " | ");
		cell(sb, c->summary ? c->summary : "");
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, c->cause);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, c->measure);
		cp_sbuf_adds(sb, " | ");
		money_cell(sb, c->compensation);
		cp_sbuf_addf(sb, " | %s | ", cp_status_name(c->status));
		for (k = 0; k < c->nmissed; k++)
			cp_sbuf_addf(sb, "%s%s", k ? ", " : "", cp_dl_name(c->missed[k]));
		if (!c->nmissed)
			cp_sbuf_adds(sb, "-");
		cp_sbuf_addf(sb, " | %s |\n", c->satisfied < 0 ? "-" : c->satisfied ? T_(lang, "yes") : T_(lang, "no"));
	}
	if (!r->ncases)
		cp_sbuf_addf(sb, "| %s | | | | | | | | | | | |\n", T_(lang, "(none)"));
}

static void compensation(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	static const char *const cols[] = { N_("Level"), N_("Resolves"), N_("Compensation"), NULL };

	cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Compensation"));
	cp_sbuf_addf(sb, cp_trn(lang, "Given by the resolves of this month: %zu resolve, ",
			     "Given by the resolves of this month: %zu resolves, ", r->ncompensation),
		  r->ncompensation);
	cp_money_fmt(sb, r->compensation);
	cp_sbuf_addch(sb, ' ');
	cell(sb, r->currency);
	cp_sbuf_adds(sb, T_(lang, ".\n\n"));
	head(sb, cols);
	cp_sbuf_adds(sb, "|---|---:|---:|\n");
	for (i = 0; i < r->ncompensation_by; i++) {
		const struct cp_report_money *m = &r->compensation_by[i];

		cp_sbuf_adds(sb, "| ");
		cell(sb, m->level);
		if (strcmp(m->level, m->label)) {
			cp_sbuf_adds(sb, " (");
			cell(sb, m->label);
			cp_sbuf_adds(sb, ")");
		}
		cp_sbuf_addf(sb, " | %zu | ", m->n);
		cp_money_fmt(sb, m->total);
		cp_sbuf_adds(sb, " |\n");
	}
}

static void measures(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_report_measures *m = &r->measures;
	size_t i;

	static const char *const cols[] = { N_("Case"), N_("Measure"), N_("Text"), N_("Owner"),
		N_("Due"), NULL };

	cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Measures"));
	cp_sbuf_addf(sb, T_(lang, "At the month's end: %zu open, %zu done and awaiting sign-off, %zu signed off; %zu open past their due day.\n\n"),
		  m->open, m->done, m->signed_off, m->overdue);
	head(sb, cols);
	cp_sbuf_adds(sb, "|---|---|---|---|---|\n");
	for (i = 0; i < m->nrows; i++) {
		cp_sbuf_adds(sb, "| ");
		cell(sb, m->rows[i].id);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, m->rows[i].ref);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, m->rows[i].text);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, m->rows[i].owner);
		cp_sbuf_adds(sb, " | ");
		opt_cell(sb, m->rows[i].due);
		cp_sbuf_adds(sb, " |\n");
	}
	if (!m->nrows)
		cp_sbuf_addf(sb, "| %s | | | | |\n", T_(lang, "(none)"));
}

void cp_report_md(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_totals *t = &r->totals, *p = &r->previous;
	const struct cp_score *sc = &r->score;
	char asof[CP_TIME_BUF];
	size_t i;

	lang = r->lang;
	cp_time_fmt(asof, r->tz, r->as_of);
	cp_sbuf_adds(sb, "# ");
	cell(sb, T_(lang, r->title));
	cp_sbuf_addf(sb, " %04d-%02d\n\n", r->year, r->month);
	cp_sbuf_addf(sb, "%s: ", T_(lang, "Policy"));
	cell(sb, r->policy_name);
	cp_sbuf_adds(sb, "  \n");
	cp_sbuf_addf(sb, T_(lang, "Figures as of %s.\n"), asof);
	if (r->bad_files) {
		cp_sbuf_adds(sb, "\n");
		cp_sbuf_addf(sb, cp_trn(lang, "**%zu case file could not be read and is not counted** (run `complaint check`).\n",
				     "**%zu case files could not be read and are not counted** (run `complaint check`).\n",
				     r->bad_files), r->bad_files);
	}
	{
		static const char *const cols[] = { "", N_("This month"), N_("Previous month"),
			N_("Change"), NULL };

		cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Summary"));
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---:|---:|---:|\n");
	}
#define ROW(label, f) \
	cp_sbuf_addf(sb, "| %s | %zu | %zu | ", T_(lang, label), t->f, p->f); \
	delta(sb, t->f, p->f); \
	cp_sbuf_adds(sb, " |\n");
	ROW(N_("Received"), received)
	ROW(N_("Resolved"), resolved)
	ROW(N_("Closed"), closed)
	ROW(N_("Open at month end"), open)
	ROW(N_("Overdue at month end"), overdue)
#undef ROW

	cp_sbuf_addf(sb, "\n## %s\n", T_(lang, "Cases received"));
	counts(sb, N_("By level"), N_("Level"), &r->by_severity, t->received, true);
	counts(sb, N_("By kind"), N_("Kind"), &r->by_kind, t->received, true);
	counts(sb, N_("By category"), N_("Category"), &r->by_category, t->received, false);
	counts(sb, N_("By channel"), N_("Channel"), &r->by_channel, t->received, false);
	counts(sb, N_("By department"), N_("Department"), &r->by_department, t->received, false);

	{
		static const char *const cols[] = { N_("Deadline"), N_("Due"), N_("Met"), N_("Rate"), NULL };

		cp_sbuf_addf(sb, "\n## %s\n\n%s\n\n", T_(lang, "Deadlines met"),
			  T_(lang, "Cases received this month whose deadline has come."));
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---:|---:|---:|\n");
	}
	for (i = 0; i < r->ndeadlines; i++) {
		cp_sbuf_addf(sb, "| %s | %zu | %zu | ", cp_dl_name(r->deadlines[i].event),
			  r->deadlines[i].due, r->deadlines[i].met);
		pct(sb, r->deadlines[i].met, r->deadlines[i].due);
		cp_sbuf_adds(sb, " |\n");
	}

	{
		static const char *const cols[] = { N_("Level"), N_("Cases"), N_("Median h"), N_("Max h"), NULL };

		cp_sbuf_addf(sb, "\n## %s\n\n%s\n\n", T_(lang, "Time to resolve"),
			  T_(lang, "Cases first resolved this month, hours from receipt."));
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---:|---:|---:|\n");
	}
	for (i = 0; i < r->nresolution; i++) {
		const struct cp_resolution *rs = &r->resolution[i];

		cp_sbuf_adds(sb, "| ");
		cell(sb, rs->level);
		cp_sbuf_adds(sb, " (");
		cell(sb, rs->label);
		if (rs->n)
			cp_sbuf_addf(sb, ") | %zu | %.2f | %.2f |\n", rs->n, rs->median, rs->max);
		else
			cp_sbuf_adds(sb, ") | 0 | - | - |\n");
	}

	cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Customer callbacks"));
	cp_sbuf_addf(sb, cp_trn(lang, "%zu callback, %zu satisfied: ", "%zu callbacks, %zu satisfied: ",
			     r->callbacks), r->callbacks, r->satisfied);
	pct(sb, r->satisfied, r->callbacks);
	cp_sbuf_adds(sb, T_(lang, " satisfaction.\n"));

	cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Recurring categories"));
	cp_sbuf_addf(sb, T_(lang, "Categories with %ld or more cases this month need a prevention measure.\n\n"),
		  r->recurring_at);
	if (!r->recurring.n)
		cp_sbuf_adds(sb, T_(lang, "None.\n"));
	for (i = 0; i < r->recurring.n; i++) {
		cp_sbuf_adds(sb, "- ");
		cell(sb, r->recurring.v[i].key);
		cp_sbuf_addf(sb, cp_trn(lang, ": %zu case\n", ": %zu cases\n", r->recurring.v[i].n),
			  r->recurring.v[i].n);
	}

	departments(sb, r);
	cases(sb, r);
	compensation(sb, r);
	measures(sb, r);

	cp_sbuf_addf(sb, "\n## %s\n\n", T_(lang, "Penalty score"));
	cp_money_fmt(sb, sc->point_value);
	cp_sbuf_addch(sb, ' ');
	cell(sb, sc->currency);
	{
		static const char *const cols[] = { N_("Department"), N_("Points"), N_("Money"), NULL };

		cp_sbuf_adds(sb, T_(lang, " per point.\n\n"));
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---:|---:|\n");
	}
	for (i = 0; i < sc->ndepartments; i++) {
		cp_sbuf_adds(sb, "| ");
		cell(sb, sc->departments[i].name);
		cp_sbuf_addf(sb, " | %ld | ", sc->departments[i].points);
		cp_score_money(sb, sc, sc->departments[i].points);
		cp_sbuf_adds(sb, " |\n");
	}
	if (!sc->ndepartments)
		cp_sbuf_addf(sb, "| %s | 0 | 0.00 |\n", T_(lang, "(none)"));
	{
		static const char *const cols[] = { N_("Person"), N_("Role"), N_("Department"),
			N_("Points"), N_("Money"), NULL };

		cp_sbuf_adds(sb, "\n");
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---|---|---:|---:|\n");
	}
	for (i = 0; i < sc->npeople; i++) {
		cp_sbuf_adds(sb, "| ");
		cell(sb, sc->people[i].name);
		cp_sbuf_addf(sb, " | %s | ", cp_role_name(sc->people[i].role));
		cell(sb, sc->people[i].department ? sc->people[i].department : "-");
		cp_sbuf_addf(sb, " | %ld | ", sc->people[i].points);
		cp_score_money(sb, sc, sc->people[i].points);
		cp_sbuf_adds(sb, " |\n");
	}
	if (!sc->npeople)
		cp_sbuf_addf(sb, "| %s | | | 0 | 0.00 |\n", T_(lang, "(none)"));
	{
		static const char *const cols[] = { N_("Date"), N_("Case"), N_("Target"), N_("Role"),
			N_("Points"), N_("Rule"), NULL };

		cp_sbuf_addf(sb, "\n### %s\n\n", T_(lang, "Line items"));
		head(sb, cols);
		cp_sbuf_adds(sb, "|---|---|---|---|---:|---|\n");
	}
	for (i = 0; i < sc->nitems; i++) {
		char d[CP_TIME_BUF];

		cp_day_fmt(d, cp_local_day(sc->tz, sc->items[i].at));
		cp_sbuf_addf(sb, "| %s | %s | ", d, sc->items[i].case_id);
		cell(sb, sc->items[i].target);
		cp_sbuf_addf(sb, " | %s | %ld | ", cp_role_name(sc->items[i].role),
			  sc->items[i].points);
		cell(sb, sc->items[i].rule);
		if (sc->items[i].detail) {
			cp_sbuf_adds(sb, ": ");
			cell(sb, sc->items[i].detail);
		}
		cp_sbuf_adds(sb, " |\n");
	}
	if (sc->nwarnings) {
		cp_sbuf_addf(sb, "\n### %s\n\n", T_(lang, "Not counted"));
		for (i = 0; i < sc->nwarnings; i++) {
			cp_sbuf_addf(sb, "- %s: ", sc->warnings[i].case_id);
			cell(sb, sc->warnings[i].message);
			cp_sbuf_addch(sb, '\n');
		}
	}
}
