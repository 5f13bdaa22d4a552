/*
 * render_html.c - the report as one self-contained HTML5 page: inline CSS,
 * charts as inline SVG (render_chart.c), no script, no fetch, no clock of
 * its own (the same report renders to the same bytes).
 *
 * Every text from the store goes through cp_html_esc(): & < > " ' become
 * references, control characters and invalid UTF-8 are replaced.  The
 * markup is also well-formed XML (every element closed, no named
 * entities, no `<` or `&` in the style sheet), so tests can parse it
 * strictly.
 *
 * Colours are fixed (the palette in html.h) so that a screenshot can be
 * checked for them; levels get a green-to-red ramp in policy order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/report.h"
#include "html.h"
#include "json.h"
#include "render_chart.h"
#include "utf8.h"
#include "complaint/i18n.h"

/* the language of the report being written (cp_report_html) */
static int lang;

/* ---- palette ---- */

/* ---- text ---- */

static void num(struct cp_sbuf *sb, double v)
{
	cp_json_num(sb, v);
}

static const char *const month_names[] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
	N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
	N_("December"),
};

static void day(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t)
{
	char b[CP_TIME_BUF];

	cp_day_fmt(b, cp_local_day(z, t));
	cp_sbuf_adds(sb, b);
}

/* ---- charts ---- */

/* ---- the page ---- */

/* The rules that make the rows of table SEL blocks, each value under its column's name. */
#define STACK(SEL) \
	SEL " thead," SEL " colgroup{display:none}" \
	SEL "," SEL " tbody," SEL " tr," SEL " td{display:block;width:100%}" \
	SEL " tr{border-bottom:2px solid #d9e2ec;padding:6px 0}" \
	SEL " td{border:0;padding:2px 0;text-align:left;white-space:normal;overflow-wrap:anywhere}" \
	SEL " td::before{content:attr(data-label);display:block;font-size:11px;font-weight:600;color:" C_MUTED "}"

static const char style[] =
	"*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{margin:0;background:#f0f4f8;color:" C_TEXT ";font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans CJK SC\",\"Noto Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",\"DejaVu Sans\",sans-serif}\n"
	"main{max-width:1100px;margin:0 auto;padding:0 20px 32px}\n"
	"header.top{background:#1f3a5f;color:#fff;padding:22px 0 18px;margin-bottom:20px}\n"
	"header.top div{max-width:1100px;margin:0 auto;padding:0 20px}\n"
	"h1{margin:0;font-size:26px;font-weight:600}\n"
	"header.top p{margin:6px 0 0;color:#d9e2ec}\n"
	"h2{font-size:18px;margin:28px 0 10px;color:#102a43}\n"
	"h3{font-size:15px;margin:0 0 8px;color:#102a43}\n"
	".warn{background:#fff3c4;border:1px solid #f0b429;border-radius:6px;padding:10px 14px;margin:0 0 16px}\n"
	".kpis{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:12px}\n"
	".kpi{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px 14px}\n"
	".kpi .name{color:" C_MUTED ";font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
	".kpi .n{font-size:30px;font-weight:600;color:#102a43;line-height:1.2}\n"
	".kpi .was{font-size:12px;color:" C_MUTED "}\n"
	".good{color:#1f7a4d;font-weight:600}.bad{color:#b42318;font-weight:600}.same{color:" C_MUTED "}\n"
	".grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}\n"
	".card{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:14px 16px;break-inside:avoid;page-break-inside:avoid}\n"
	".wide{grid-column:1/-1}\n"
	".note{color:" C_MUTED ";font-size:12px;margin:0 0 8px}\n"
	".none{color:" C_MUTED ";font-style:italic}\n"
	"svg{display:block;max-width:100%;height:auto}\n"
	"svg text{fill:" C_TEXT ";font-size:12px}\n"
	"svg .ax{fill:" C_MUTED ";font-size:11px}\n"
	"svg .val{font-weight:600}\n"
	"svg .big{font-size:22px;font-weight:600;fill:#102a43}\n"
	"table{border-collapse:collapse;width:100%;background:#fff}\n"
	"th,td{border-bottom:1px solid #e4e7eb;padding:5px 8px;text-align:left;vertical-align:baseline}\n"
	"th{background:#f0f4f8;color:#243b53;font-weight:600;font-size:12px}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.id{font-family:\"DejaVu Sans Mono\",monospace;font-size:12px;white-space:nowrap}\n"
	".tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#ffe8d9;color:#9c4221}\n"
	"ul.rec{margin:0;padding-left:18px}\n"
	"footer{max-width:1100px;margin:0 auto;padding:0 20px 24px;color:" C_MUTED ";font-size:12px}\n"
	/* the month's cases and departments: long text wraps, nothing is cut */
	".card.flow{break-inside:auto;page-break-inside:auto;margin-top:16px}\n"
	"td.txt{white-space:normal;overflow-wrap:anywhere}\n"
	"table.cases{table-layout:fixed}table.cases td{overflow-wrap:anywhere}\n"
	"table.cases td.id{white-space:normal;font-size:11px}table.cases td.n,table.cases th{white-space:normal}\n"
	"td .sub{display:block;color:" C_MUTED ";font-size:11px;font-family:inherit}\n"
	".miss{display:inline-block;border-radius:10px;padding:0 7px;margin:0 3px 2px 0;font-size:11px;background:#fde8e8;color:#b42318;white-space:nowrap}\n"
	"td.up{background:#e6f4ec}td.down{background:#fdeaea}\n"
	"td .was{display:block;font-size:11px;color:" C_MUTED ";font-weight:400}\n"
	".chip{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n"
	".total{font-size:26px;font-weight:600;color:#102a43;margin:0 0 8px}\n"
	"@media (max-width:800px){.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.grid{grid-template-columns:1fr}}\n"
	/* a phone: a table's rows become blocks, each value under its column's name */
	"@media screen and (max-width:640px){main{padding:0 10px 24px}.card{padding:12px 10px}" STACK("table.stack") "}\n"
	/* the cases' seven columns need more room than the others' */
	"@media screen and (max-width:860px){" STACK("table.cases") "}\n"
	"@page{size:A4;margin:12mm}\n"
	"@media print{body{background:#fff;font-size:10pt}"
	"header.top{background:#fff;color:#000;border-bottom:2px solid #102a43;padding:0 0 8px}"
	"header.top p{color:#333}main,header.top div,footer{padding-left:0;padding-right:0;max-width:none}"
	".kpi,.card{border-color:#bcccdc}h2,h3{break-after:avoid;page-break-after:avoid}"
	"table{font-size:9pt}"
	"thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}}\n";

/* A summary card: this month, the month before, and the change. */
static void kpi(struct cp_sbuf *sb, const char *name, size_t now, size_t before,
		bool up_is_good)
{
	long d = (long)now - (long)before;

	cp_sbuf_adds(sb, "<div class=\"kpi\"><div class=\"name\">");
	cp_html_esc(sb, T_(lang, name));
	cp_sbuf_addf(sb, "</div><div class=\"n\">%zu</div><div class=\"was\">", now);
	if (!d)
		cp_sbuf_adds(sb, "<span class=\"same\">\xc2\xb1" "0</span>");
	else
		cp_sbuf_addf(sb, "<span class=\"%s\">%s %+ld</span>",
			  (d > 0) == up_is_good ? "good" : "bad",
			  d > 0 ? "\xe2\x96\xb2" : "\xe2\x96\xbc", d);
	cp_sbuf_addf(sb, T_(lang, " from %zu"), before);
	cp_sbuf_adds(sb, "</div></div>\n");
}

static void kpis(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_score *sc = &r->score;
	long points = 0;
	size_t i;

	for (i = 0; i < sc->nitems; i++)
		points += sc->items[i].points;
	cp_sbuf_adds(sb, "<section class=\"kpis\">\n");
	kpi(sb, N_("Received"), r->totals.received, r->previous.received, false);
	kpi(sb, N_("Resolved"), r->totals.resolved, r->previous.resolved, true);
	kpi(sb, N_("Closed"), r->totals.closed, r->previous.closed, true);
	kpi(sb, N_("Open at month end"), r->totals.open, r->previous.open, false);
	kpi(sb, N_("Overdue at month end"), r->totals.overdue, r->previous.overdue, false);
	cp_sbuf_addf(sb, "<div class=\"kpi\"><div class=\"name\">%s</div><div class=\"n\">%ld</div><div class=\"was\">", T_(lang, "Penalty points"), points);
	cp_score_money(sb, sc, points);
	cp_sbuf_adds(sb, " ");
	cp_html_esc(sb, sc->currency);
	cp_sbuf_adds(sb, "</div></div>\n</section>\n");
}

static void card_open(struct cp_sbuf *sb, const char *title, const char *note, bool wide)
{
	cp_sbuf_addf(sb, "<div class=\"card%s\"><h3>", wide ? " wide" : "");
	cp_html_esc(sb, T_(lang, title));
	cp_sbuf_adds(sb, "</h3>\n");
	if (note) {
		cp_sbuf_adds(sb, "<p class=\"note\">");
		cp_html_esc(sb, T_(lang, note));
		cp_sbuf_adds(sb, "</p>\n");
	}
}

static void card_close(struct cp_sbuf *sb)
{
	cp_sbuf_adds(sb, "</div>\n");
}

static void td(struct cp_sbuf *sb, const char *cls, const char *s)
{
	cp_sbuf_addf(sb, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	cp_html_esc(sb, s);
	cp_sbuf_adds(sb, "</td>");
}

/* A cell that names its column (data-label), for a phone's stacked rows. */
static void tdl(struct cp_sbuf *sb, const char *label, const char *cls, const char *s)
{
	cp_sbuf_adds(sb, "<td");
	if (cls)
		cp_sbuf_addf(sb, " class=\"%s\"", cls);
	cp_sbuf_adds(sb, " data-label=\"");
	cp_html_esc(sb, T_(lang, label));
	cp_sbuf_adds(sb, "\">");
	cp_html_esc(sb, s);
	cp_sbuf_adds(sb, "</td>");
}

/* The opening tag of such a cell, for content of its own. */
static void tdl_open(struct cp_sbuf *sb, const char *label, const char *cls)
{
	cp_sbuf_adds(sb, "<td");
	if (cls)
		cp_sbuf_addf(sb, " class=\"%s\"", cls);
	cp_sbuf_adds(sb, " data-label=\"");
	cp_html_esc(sb, T_(lang, label));
	cp_sbuf_adds(sb, "\">");
}

static void td_num(struct cp_sbuf *sb, double v)
{
	cp_sbuf_adds(sb, "<td class=\"n\">");
	num(sb, v);
	cp_sbuf_adds(sb, "</td>");
}

/* A money cell: points at the score's point value, two decimals. */
static void td_money(struct cp_sbuf *sb, const struct cp_score *sc, long points)
{
	cp_sbuf_adds(sb, "<td class=\"n\">");
	cp_score_money(sb, sc, points);
	cp_sbuf_adds(sb, "</td>");
}

static void resolution_table(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	cp_sbuf_addf(sb, "<table><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>\n", T_(lang, "Level"), T_(lang, "Cases"), T_(lang, "Median h"), T_(lang, "Max h"));
	for (i = 0; i < r->nresolution; i++) {
		const struct cp_resolution *rs = &r->resolution[i];
		char color[8];

		cp_html_level_color(color, i, r->nresolution);
		cp_sbuf_addf(sb, "<tr><td><svg viewBox=\"0 0 10 10\" width=\"10\" height=\"10\" style=\"display:inline;margin-right:6px\"><rect width=\"10\" height=\"10\" fill=\"%s\"/></svg>",
			  color);
		cp_html_esc(sb, rs->label);
		if (strcmp(rs->label, rs->level)) {
			cp_sbuf_adds(sb, " <span class=\"same\">");
			cp_html_esc(sb, rs->level);
			cp_sbuf_adds(sb, "</span>");
		}
		cp_sbuf_addf(sb, "</td><td class=\"n\">%zu</td>", rs->n);
		if (rs->n)
			cp_sbuf_addf(sb, "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
				  rs->median, rs->max);
		else
			cp_sbuf_adds(sb, "<td class=\"n\">\xe2\x80\x93</td><td class=\"n\">\xe2\x80\x93</td></tr>\n");
	}
	cp_sbuf_adds(sb, "</tbody></table>\n");
}

static void recurring_list(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	if (!r->recurring.n) {
		cp_sbuf_addf(sb, "<p class=\"none\">%s</p>\n", T_(lang, "None this month."));
		return;
	}
	cp_sbuf_adds(sb, "<ul class=\"rec\">\n");
	for (i = 0; i < r->recurring.n; i++) {
		cp_sbuf_adds(sb, "<li><strong>");
		cp_html_esc(sb, r->recurring.v[i].key);
		cp_sbuf_adds(sb, "</strong>: ");
		cp_sbuf_addf(sb, cp_trn(lang, "%zu case", "%zu cases", r->recurring.v[i].n), r->recurring.v[i].n);
		cp_sbuf_addf(sb, " <span class=\"tag\">%s</span></li>\n", T_(lang, "needs a prevention measure"));
	}
	cp_sbuf_adds(sb, "</ul>\n");
}

static void score_tables(struct cp_sbuf *sb, const struct cp_score *sc)
{
	size_t i;

	cp_sbuf_adds(sb, "<div class=\"grid\">\n");
	card_open(sb, N_("Departments"), NULL, false);
	cp_sbuf_addf(sb, "<table><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>\n", T_(lang, "Department"), T_(lang, "Points"), T_(lang, "Money"));
	for (i = 0; i < sc->ndepartments; i++) {
		cp_sbuf_adds(sb, "<tr>");
		td(sb, NULL, sc->departments[i].name);
		td_num(sb, (double)sc->departments[i].points);
		td_money(sb, sc, sc->departments[i].points);
		cp_sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->ndepartments)
		cp_sbuf_addf(sb, "<tr><td colspan=\"3\" class=\"none\">%s</td></tr>\n", T_(lang, "No points this month."));
	cp_sbuf_adds(sb, "</tbody></table>\n");
	card_close(sb);

	card_open(sb, N_("People"), NULL, false);
	cp_sbuf_addf(sb, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>\n", T_(lang, "Person"), T_(lang, "Role"), T_(lang, "Department"), T_(lang, "Points"), T_(lang, "Money"));
	for (i = 0; i < sc->npeople; i++) {
		cp_sbuf_adds(sb, "<tr>");
		td(sb, NULL, sc->people[i].name);
		td(sb, NULL, cp_role_name(sc->people[i].role));
		td(sb, NULL, sc->people[i].department ? sc->people[i].department : "\xe2\x80\x93");
		td_num(sb, (double)sc->people[i].points);
		td_money(sb, sc, sc->people[i].points);
		cp_sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->npeople)
		cp_sbuf_addf(sb, "<tr><td colspan=\"5\" class=\"none\">%s</td></tr>\n", T_(lang, "No points this month."));
	cp_sbuf_adds(sb, "</tbody></table>\n");
	card_close(sb);

	card_open(sb, N_("Line items"), N_("Every penalty dated in the month, with the case and the rule it comes from."), true);
	cp_sbuf_addf(sb, "<table class=\"stack\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n", T_(lang, "Date"), T_(lang, "Case"), T_(lang, "Target"), T_(lang, "Role"), T_(lang, "Points"), T_(lang, "Money"), T_(lang, "Rule"), T_(lang, "Detail"));
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];
		struct cp_sbuf v = CP_SBUF_INIT;

		cp_sbuf_adds(sb, "<tr>");
		tdl_open(sb, N_("Date"), "id");
		day(sb, sc->tz, it->at);
		cp_sbuf_adds(sb, "</td>");
		tdl(sb, N_("Case"), "id", it->case_id);
		tdl(sb, N_("Target"), NULL, it->target);
		tdl(sb, N_("Role"), NULL, cp_role_name(it->role));
		cp_sbuf_addf(&v, "%ld", it->points);
		tdl(sb, N_("Points"), "n", v.buf);
		cp_sbuf_reset(&v);
		cp_score_money(&v, sc, it->points);
		tdl(sb, N_("Money"), "n", v.buf);
		cp_sbuf_release(&v);
		tdl(sb, N_("Rule"), NULL, it->rule);
		tdl(sb, N_("Detail"), "txt", it->detail);
		cp_sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->nitems)
		cp_sbuf_addf(sb, "<tr><td colspan=\"8\" class=\"none\">%s</td></tr>\n", T_(lang, "No line items this month."));
	cp_sbuf_adds(sb, "</tbody></table>\n");
	if (sc->nwarnings) {
		cp_sbuf_addf(sb, "<h3 style=\"margin-top:14px\">%s</h3>\n<p class=\"note\">%s</p>\n<table><thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>\n", T_(lang, "Not counted"), T_(lang, "Items whose target is not known; assign the case to count them."), T_(lang, "Case"), T_(lang, "Why"));
		for (i = 0; i < sc->nwarnings; i++) {
			cp_sbuf_adds(sb, "<tr>");
			td(sb, "id", sc->warnings[i].case_id);
			td(sb, NULL, sc->warnings[i].message);
			cp_sbuf_adds(sb, "</tr>\n");
		}
		cp_sbuf_adds(sb, "</tbody></table>\n");
	}
	card_close(sb);
	cp_sbuf_adds(sb, "</div>\n");
}

/* ---- the month's departments and cases (SPEC section 11) ---- */

/*
 * A rate against the month before: green and up when better, red and
 * down when worse, grey when the same or nothing to compare.
 */
static void td_rate(struct cp_sbuf *sb, const char *label, size_t part, size_t whole,
		    size_t ppart, size_t pwhole, const char *prev)
{
	const char *cls = "n", *mark = "";

	if (whole && pwhole) {
		/* part/whole against ppart/pwhole, exactly */
		unsigned long long a = (unsigned long long)part * pwhole,
			b = (unsigned long long)ppart * whole;

		if (a > b) {
			cls = "n up";
			mark = " \xe2\x96\xb2";
		} else if (a < b) {
			cls = "n down";
			mark = " \xe2\x96\xbc";
		}
	}
	tdl_open(sb, label, cls);
	if (whole) {
		cp_sbuf_addf(sb, "<span class=\"%s\">", !strcmp(cls, "n up") ? "good" :
			  !strcmp(cls, "n down") ? "bad" : "same");
		cp_html_pct(sb, part, whole);
		cp_sbuf_addf(sb, "%s</span> <span class=\"same\">", mark);
		cp_sbuf_addf(sb, T_(lang, "%zu of %zu"), part, whole);
		cp_sbuf_adds(sb, "</span>");
	} else {
		cp_sbuf_adds(sb, "<span class=\"same\">\xe2\x80\x93</span>");
	}
	cp_sbuf_adds(sb, "<span class=\"was\">");
	if (pwhole) {
		cp_html_pct(sb, ppart, pwhole);
		cp_sbuf_addf(sb, T_(lang, " in %s"), prev);
	} else {
		cp_sbuf_addf(sb, T_(lang, "none in %s"), prev);
	}
	cp_sbuf_adds(sb, "</span></td>");
}

static void departments_table(struct cp_sbuf *sb, const struct cp_report *r, const char *prev)
{
	size_t i;

	if (!r->ndepartments) {
		cp_sbuf_addf(sb, "<p class=\"none\">%s</p>\n", T_(lang, "No department had a case this month."));
		return;
	}
	cp_sbuf_addf(sb, "<table class=\"stack\"><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>\n", T_(lang, "Department"), T_(lang, "Received"), T_(lang, "Resolved"), T_(lang, "Deadlines met"), T_(lang, "Callbacks satisfied"), T_(lang, "Points"));
	for (i = 0; i < r->ndepartments; i++) {
		const struct cp_report_dept *d = &r->departments[i];
		char v[32];

		cp_sbuf_adds(sb, "<tr>");
		tdl(sb, N_("Department"), NULL, d->name);
		snprintf(v, sizeof(v), "%zu", d->cur.received);
		tdl(sb, N_("Received"), "n", v);
		snprintf(v, sizeof(v), "%zu", d->cur.resolved);
		tdl(sb, N_("Resolved"), "n", v);
		td_rate(sb, N_("Deadlines met"), d->cur.met, d->cur.due, d->prev.met, d->prev.due, prev);
		td_rate(sb, N_("Callbacks satisfied"), d->cur.satisfied, d->cur.callbacks,
			d->prev.satisfied, d->prev.callbacks, prev);
		snprintf(v, sizeof(v), "%ld", d->points);
		tdl(sb, N_("Points"), "n", v);
		cp_sbuf_adds(sb, "</tr>\n");
	}
	cp_sbuf_adds(sb, "</tbody></table>\n");
}

/* The level's display name and its place on the colour ramp. */
static const char *level_label(const struct cp_report *r, const char *id, char color[8])
{
	size_t i;

	for (i = 0; i < r->by_severity.n; i++)
		if (!strcmp(r->by_severity.v[i].key, id)) {
			cp_html_level_color(color, i, r->by_severity.n);
			return r->by_severity.v[i].label;
		}
	strcpy(color, C_GREY);
	return id;
}

/*
 * The month's cases: seven columns of fixed shares of the width, so the
 * table fits the card at any width and long text wraps inside its cell
 * instead of pushing the table wider or being cut.
 */
static void cases_table(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i, k;

	if (!r->ncases) {
		cp_sbuf_addf(sb, "<p class=\"none\">%s</p>\n", T_(lang, "No case was received, resolved or closed this month."));
		return;
	}
	cp_sbuf_addf(sb, "<table class=\"stack cases\"><colgroup><col style=\"width:17%%\"/><col style=\"width:21%%\"/><col style=\"width:17%%\"/><col style=\"width:17%%\"/><col style=\"width:9%%\"/><col style=\"width:11%%\"/><col style=\"width:8%%\"/></colgroup>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n", T_(lang, "Case"), T_(lang, "Summary"), T_(lang, "Cause"), T_(lang, "Measure"), cp_lang_tag(lang)[0] == 'e' ? "Compen\xc2\xadsation" : T_(lang, "Compensation"), T_(lang, "Status, missed"), T_(lang, "Callback"));
	for (i = 0; i < r->ncases; i++) {
		const struct cp_report_case *c = &r->cases[i];
		char color[8];
		const char *label = level_label(r, c->severity, color);

		cp_sbuf_adds(sb, "<tr>");
		tdl_open(sb, N_("Case"), "id");
		cp_html_esc(sb, c->id);
		cp_sbuf_adds(sb, "<span class=\"sub\">");
		day(sb, r->tz, c->received);
		cp_sbuf_adds(sb, " \xc2\xb7 ");
		cp_html_esc(sb, c->department ? c->department : "(unassigned)");
		if (c->with) {
			struct cp_sbuf w = CP_SBUF_INIT;

			cp_names_join(&w, c->with, ", ");
			cp_sbuf_adds(sb, " + ");
			cp_html_esc(sb, w.buf);
			cp_sbuf_release(&w);
		}
		cp_sbuf_addf(sb, "</span><span class=\"sub\"><span class=\"chip\" style=\"background:%s\"></span>",
			  color);
		cp_html_esc(sb, label);
		if (c->kind || c->category)
			cp_sbuf_adds(sb, " \xc2\xb7 ");
		cp_html_esc(sb, c->kind);
		if (c->kind && c->category)
			cp_sbuf_adds(sb, " \xc2\xb7 ");
		cp_html_esc(sb, c->category);
		cp_sbuf_adds(sb, "</span></td>");
		tdl(sb, N_("Summary"), "txt", c->summary);
		tdl(sb, N_("Cause"), "txt", c->cause ? c->cause : "\xe2\x80\x93");
		tdl(sb, N_("Measure"), "txt", c->measure ? c->measure : "\xe2\x80\x93");
		tdl_open(sb, N_("Compensation"), "n");
		if (c->compensation == CP_MONEY_NONE)
			cp_sbuf_adds(sb, "\xe2\x80\x93");
		else
			cp_money_fmt(sb, c->compensation);
		cp_sbuf_adds(sb, "</td>");
		tdl_open(sb, N_("Status, missed"), NULL);
		cp_html_esc(sb, cp_status_name(c->status));
		for (k = 0; k < c->nmissed; k++)
			cp_sbuf_addf(sb, "%s<span class=\"miss\">%s</span>", k ? "" : "<br/>",
				  cp_dl_name(c->missed[k]));
		cp_sbuf_adds(sb, "</td>");
		tdl_open(sb, N_("Callback"), NULL);
		if (c->satisfied < 0)
			cp_sbuf_addf(sb, "<span class=\"same\">%s</span>", T_(lang, "none"));
		else if (c->satisfied)
			cp_sbuf_addf(sb, "<span class=\"good\">\xe2\x9c\x93 %s</span>", T_(lang, "satisfied"));
		else
			cp_sbuf_addf(sb, "<span class=\"bad\">\xe2\x9c\x97 %s</span>", T_(lang, "not satisfied"));
		cp_sbuf_adds(sb, "</td></tr>\n");
	}
	cp_sbuf_adds(sb, "</tbody></table>\n");
}

static void compensation_card(struct cp_sbuf *sb, const struct cp_report *r)
{
	size_t i;

	cp_sbuf_adds(sb, "<p class=\"total\">");
	cp_money_fmt(sb, r->compensation);
	cp_sbuf_adds(sb, " ");
	cp_html_esc(sb, r->currency);
	cp_sbuf_addf(sb, "</p>\n<table><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>\n", T_(lang, "Level"), T_(lang, "Resolves"), T_(lang, "Compensation"));
	for (i = 0; i < r->ncompensation_by; i++) {
		const struct cp_report_money *m = &r->compensation_by[i];
		char color[8];

		cp_html_level_color(color, i, r->ncompensation_by);
		cp_sbuf_addf(sb, "<tr><td><span class=\"chip\" style=\"background:%s\"></span>", color);
		cp_html_esc(sb, m->label);
		cp_sbuf_addf(sb, "</td><td class=\"n\">%zu</td><td class=\"n\">", m->n);
		cp_money_fmt(sb, m->total);
		cp_sbuf_adds(sb, "</td></tr>\n");
	}
	cp_sbuf_adds(sb, "</tbody></table>\n");
}

static void measures_card(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_report_measures *m = &r->measures;
	size_t i;

	cp_sbuf_addf(sb, "<table><tbody><tr><td>%s</td><td class=\"n\">%zu</td></tr>\n<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n</tbody></table>\n",
		  T_(lang, "Open"), m->open, T_(lang, "Done, awaiting sign-off"), m->done,
		  T_(lang, "Signed off"), m->signed_off, T_(lang, "Open past their due day"), m->overdue);
	if (!m->nrows)
		return;
	cp_sbuf_addf(sb, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		  T_(lang, "Case"), T_(lang, "Measure"), T_(lang, "Owner"), T_(lang, "Due"));
	for (i = 0; i < m->nrows; i++) {
		cp_sbuf_adds(sb, "<tr><td>");
		cp_html_esc(sb, m->rows[i].id);
		cp_sbuf_adds(sb, " ");
		cp_html_esc(sb, m->rows[i].ref);
		cp_sbuf_adds(sb, "</td><td>");
		cp_html_esc(sb, m->rows[i].text);
		cp_sbuf_adds(sb, "</td><td>");
		cp_html_esc(sb, m->rows[i].owner);
		cp_sbuf_adds(sb, "</td><td class=\"bad\">");
		cp_html_esc(sb, m->rows[i].due);
		cp_sbuf_adds(sb, "</td></tr>\n");
	}
	cp_sbuf_adds(sb, "</tbody></table>\n");
}

void cp_report_html(struct cp_sbuf *sb, const struct cp_report *r)
{
	const struct cp_score *sc = &r->score;
	char month[16], prev[16], asof[CP_TIME_BUF];
	struct cp_sbuf note = CP_SBUF_INIT;

	snprintf(month, sizeof(month), "%04d-%02d", r->year, r->month);
	snprintf(prev, sizeof(prev), "%04d-%02d", r->month == 1 ? r->year - 1 : r->year,
		 r->month == 1 ? 12 : r->month - 1);
	cp_time_fmt(asof, r->tz, r->as_of);

	lang = r->lang;
	cp_sbuf_addf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n", cp_lang_tag(lang));
	cp_sbuf_adds(sb, "<head>\n<meta charset=\"utf-8\"/>\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		  "<meta name=\"generator\" content=\"complaint report\"/>\n<title>");
	cp_html_esc(sb, T_(lang, r->title));
	cp_sbuf_adds(sb, " ");
	cp_sbuf_adds(sb, month);
	cp_sbuf_adds(sb, " \xe2\x80\x93 ");
	cp_html_esc(sb, r->policy_name);
	cp_sbuf_adds(sb, "</title>\n<style>\n");
	cp_sbuf_adds(sb, style);
	cp_sbuf_adds(sb, "</style>\n</head>\n<body>\n");

	cp_sbuf_adds(sb, "<header class=\"top\"><div>\n<h1>");
	cp_html_esc(sb, T_(lang, r->title));
	cp_sbuf_adds(sb, T_(lang, ": "));
	/* TRANSLATORS: the month of the report's heading: "November 2026" */
	cp_sbuf_addf(sb, T_(lang, "%s %d"), T_(lang, month_names[(r->month - 1) % 12]), r->year);
	cp_sbuf_adds(sb, "</h1>\n<p>");
	day(sb, r->tz, r->from);
	cp_sbuf_adds(sb, T_(lang, " to "));
	day(sb, r->tz, r->to);
	cp_sbuf_addf(sb, " \xc2\xb7 %s <strong>", T_(lang, "policy"));
	cp_html_esc(sb, r->policy_name);
	cp_sbuf_addf(sb, "</strong> \xc2\xb7 %s ", T_(lang, "figures as of"));
	cp_html_esc(sb, asof);
	cp_sbuf_adds(sb, "</p>\n</div></header>\n<main>\n");

	if (r->bad_files) {
		cp_sbuf_adds(sb, "<p class=\"warn\"><strong>");
		cp_sbuf_addf(sb, cp_trn(lang, "%zu case file could not be read and is not counted.",
				     "%zu case files could not be read and are not counted.", r->bad_files),
			  r->bad_files);
		cp_sbuf_addf(sb, "</strong> %s <code>%s</code>.</p>\n", T_(lang, "Run"), T_(lang, "complaint check"));
	}
	if (r->uncovered_year)
		cp_sbuf_addf(sb, "<p class=\"warn\">The policy's calendar does not cover %d: deadlines there count weekdays only.</p>\n",
			  r->uncovered_year);

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<p class=\"note\">Change against %s.</p>\n", T_(lang, "Summary"), prev);
	kpis(sb, r);

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<div class=\"grid\">\n", T_(lang, "Cases received"));
	card_open(sb, N_("By level"), N_("Each case at its level as of the report's time."), false);
	cp_chart_levels(sb, r);
	card_close(sb);
	card_open(sb, N_("By department"), NULL, false);
	cp_chart_counts(sb, r, N_("Cases received by department"), &r->by_department, false, false);
	card_close(sb);
	card_open(sb, N_("Last twelve months"), NULL, true);
	cp_chart_months(sb, r);
	card_close(sb);
	cp_sbuf_addf(&note, T_(lang, "Orange: %ld or more cases, a recurring category."), r->recurring_at);
	card_open(sb, N_("By category"), note.buf, false);
	cp_chart_counts(sb, r, N_("Cases received by category"), &r->by_category, false, true);
	card_close(sb);
	card_open(sb, N_("By channel"), NULL, false);
	cp_chart_counts(sb, r, N_("Cases received by channel"), &r->by_channel, false, false);
	card_close(sb);
	card_open(sb, N_("By kind"), NULL, false);
	cp_chart_counts(sb, r, N_("Cases received by kind"), &r->by_kind, true, false);
	card_close(sb);
	cp_sbuf_reset(&note);
	cp_sbuf_addf(&note, T_(lang, "Categories with %ld or more cases this month."), r->recurring_at);
	card_open(sb, N_("Recurring: prevention needed"), note.buf, false);
	recurring_list(sb, r);
	card_close(sb);
	cp_sbuf_adds(sb, "</div>\n");

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<div class=\"grid\">\n", T_(lang, "Service"));
	card_open(sb, N_("Deadlines met"), N_("Cases received this month whose deadline has come: green met, red missed."), false);
	cp_chart_deadlines(sb, r);
	card_close(sb);
	card_open(sb, N_("Callback satisfaction"), N_("Customer callbacks made this month."), false);
	cp_chart_satisfaction(sb, r);
	card_close(sb);
	card_open(sb, N_("Time to resolve"), N_("Cases first resolved this month, hours from receipt."), true);
	resolution_table(sb, r);
	card_close(sb);
	cp_sbuf_adds(sb, "</div>\n");

	cp_sbuf_addf(sb, "<h2>%s</h2>\n", T_(lang, "Departments"));
	cp_sbuf_reset(&note);
	cp_sbuf_addf(&note, T_(lang, "Each lead department: cases received this month, resolves and callbacks while it held the case, deadlines of its cases received this month (as above), the month's points. Green and \xe2\x96\xb2: better than %s; red and \xe2\x96\xbc: worse."), prev);
	card_open(sb, N_("Timeliness and satisfaction by department"), note.buf, true);
	departments_table(sb, r, prev);
	card_close(sb);

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<div class=\"card flow\">\n<p class=\"note\">%s</p>\n", T_(lang, "Cases of the month"), T_(lang, "Every case received, resolved or closed this month, oldest first: its cause, the measure and compensation of its resolve, its status at the month's end, every deadline it missed and the last callback."));
	cases_table(sb, r);
	card_close(sb);

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<div class=\"grid\">\n", T_(lang, "Compensation"));
	cp_sbuf_reset(&note);
	cp_sbuf_addf(&note, cp_trn(lang, "Given by the %zu resolve of this month that named a compensation.",
				"Given by the %zu resolves of this month that named a compensation.",
				r->ncompensation), r->ncompensation);
	card_open(sb, N_("Compensation given"), note.buf, false);
	compensation_card(sb, r);
	card_close(sb);
	card_open(sb, N_("Measures"), N_("Corrective and preventive measures of every case at the month's end; the open ones past their due day are listed."), false);
	measures_card(sb, r);
	card_close(sb);
	cp_sbuf_adds(sb, "</div>\n");

	cp_sbuf_addf(sb, "<h2>%s</h2>\n<p class=\"note\">", T_(lang, "Penalty score"));
	cp_money_fmt(sb, sc->point_value);
	cp_sbuf_adds(sb, " ");
	cp_html_esc(sb, sc->currency);
	cp_sbuf_addf(sb, "%s</p>\n", T_(lang, " per point."));
	score_tables(sb, sc);

	cp_sbuf_adds(sb, "</main>\n<footer><p>complaint report --month ");
	cp_sbuf_adds(sb, month);
	cp_sbuf_addf(sb, " \xc2\xb7 %s ", T_(lang, "figures as of"));
	cp_html_esc(sb, asof);
	cp_sbuf_addf(sb, " \xc2\xb7 %s</p></footer>\n</body>\n</html>\n", T_(lang, "definitions in complaint-report(1)"));
	cp_sbuf_release(&note);
}
