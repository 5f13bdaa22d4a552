/*
 * render_chart.c - the HTML report's charts, drawn as inline SVG: bars
 * by level, department, category and month, deadlines met and missed,
 * satisfaction.  Fixed colours (html.h), fixed geometry: the same report
 * draws the same bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "render_chart.h"
#include "utf8.h"
#include "complaint/i18n.h"

/* the language of the report being written (cp_report_html) */
static int lang;

/* The top of a value axis: steps of 1, 2 or 5 times a power of ten, <= 5 of them. */
static size_t axis_top(size_t max, size_t *step)
{
	static const size_t mult[] = { 1, 2, 5 };
	size_t pow10 = 1, s;
	int i = 0;

	for (;;) {
		s = mult[i] * pow10;
		if (s * 5 >= max)
			break;
		if (++i == 3) {
			i = 0;
			pow10 *= 10;
		}
	}
	*step = s;
	return max ? (max + s - 1) / s * s : s;
}

static void svg_open(struct cp_sbuf *sb, int w, int h, const char *title)
{
	cp_sbuf_addf(sb, "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"", w, h);
	cp_html_esc(sb, T_(lang, title));
	cp_sbuf_adds(sb, "\"><title>");
	cp_html_esc(sb, T_(lang, title));
	cp_sbuf_adds(sb, "</title>\n");
}

static void text(struct cp_sbuf *sb, double x, double y, const char *anchor,
		 const char *cls, const char *s)
{
	cp_sbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor,
		  cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	cp_html_esc(sb, T_(lang, s));
	cp_sbuf_adds(sb, "</text>\n");
}

static void rect(struct cp_sbuf *sb, double x, double y, double w, double h,
		 const char *fill)
{
	cp_sbuf_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
		  x, y, w, h, fill);
}

/* Horizontal grid lines and their values for a vertical axis. */
static void y_axis(struct cp_sbuf *sb, double x0, double x1, double top_y, double base_y,
		   size_t top, size_t step)
{
	char b[32];
	size_t v;

	for (v = 0; v <= top; v += step) {
		double y = base_y - (base_y - top_y) * (double)v / (double)top;

		cp_sbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
			  x0, y, x1, y, v ? C_TRACK : C_GREY);
		snprintf(b, sizeof(b), "%zu", v);
		text(sb, x0 - 6, y + 4, "end", "ax", b);
	}
}

struct bar {
	const char *label, *sub;	/* sub: a second, smaller line (vertical bars) */
	size_t n;
	char color[8];
};

/* Columns: one per bar, value above, label (and sub) below. */
static void vbars(struct cp_sbuf *sb, const char *title, const struct bar *b, size_t n,
		  int w, bool two_lines)
{
	const int h = 240, left = 40, right = 10, top_y = 24, base_y = two_lines ? 190 : 200;
	size_t max = 0, top, step, i, cols;
	double slot, bw;
	char v[32];

	for (i = 0; i < n; i++)
		if (b[i].n > max)
			max = b[i].n;
	top = axis_top(max, &step);
	slot = (double)(w - left - right) / (double)(n ? n : 1);
	bw = slot * 0.62 > 72 ? 72 : slot * 0.62;
	cols = (size_t)(slot / 7.0);
	svg_open(sb, w, h, title);
	y_axis(sb, left, w - right, top_y, base_y, top, step);
	for (i = 0; i < n; i++) {
		double x = left + slot * (double)i + (slot - bw) / 2;
		double bh = (base_y - top_y) * (double)b[i].n / (double)top;

		if (b[i].n)
			rect(sb, x, base_y - bh, bw, bh, b[i].color);
		snprintf(v, sizeof(v), "%zu", b[i].n);
		text(sb, x + bw / 2, base_y - bh - 6, "middle", "val", v);
		cp_sbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"lab\">",
			  x + bw / 2, base_y + 18);
		cp_html_esc_fit(sb, b[i].label, cols);
		cp_sbuf_adds(sb, "</text>\n");
		if (two_lines && b[i].sub) {
			cp_sbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"ax\">",
				  x + bw / 2, base_y + 34);
			cp_html_esc_fit(sb, b[i].sub, cols);
			cp_sbuf_adds(sb, "</text>\n");
		}
	}
	cp_sbuf_adds(sb, "</svg>\n");
}

/*
 * The width a value label needs, in viewBox units: its characters at
 * 8 units each (a digit of the 12px bold face is under 7.5, a percent
 * sign under 11), plus a margin, so that the longest one ends inside
 * the chart instead of being cut at the card's edge.
 */
static int label_room(const char *s)
{
	return (int)cp_utf8_width(s, strlen(s)) * 8 + 14;
}

/* Rows: label, bar, value; the bars scaled to the largest. */
static void hbars(struct cp_sbuf *sb, const char *title, const struct bar *b, size_t n,
		  size_t total)
{
	const int w = 500, row = 30, label_w = 150, x0 = 156;
	struct cp_sbuf *v = cp_xcalloc(n + 1, sizeof(*v));
	int bar_w, value_w = 60;
	size_t max = 0, i;
	int h = (int)n * row + 8;

	for (i = 0; i < n; i++) {
		if (b[i].n > max)
			max = b[i].n;
		cp_sbuf_init(&v[i]);
		cp_sbuf_addf(&v[i], "%zu", b[i].n);
		if (total) {
			cp_sbuf_adds(&v[i], " (");
			cp_html_pct(&v[i], b[i].n, total);
			cp_sbuf_adds(&v[i], ")");
		}
		if (label_room(v[i].buf) > value_w)
			value_w = label_room(v[i].buf);
	}
	bar_w = w - x0 - value_w;
	svg_open(sb, w, h, title);
	for (i = 0; i < n; i++) {
		double y = 4 + (double)i * row;
		double len = max ? (double)bar_w * (double)b[i].n / (double)max : 0;

		cp_sbuf_addf(sb, "<text x=\"0\" y=\"%.1f\" class=\"lab\"><title>", y + 19);
		cp_html_esc(sb, b[i].label);
		cp_sbuf_adds(sb, "</title>");
		cp_html_esc_fit(sb, b[i].label, label_w / 7);
		cp_sbuf_adds(sb, "</text>\n");
		rect(sb, x0, y + 5, bar_w, 20, C_TRACK);
		if (b[i].n)
			rect(sb, x0, y + 5, len < 2 ? 2 : len, 20, b[i].color);
		text(sb, x0 + bar_w + 6, y + 19, "start", "val", v[i].buf);
		cp_sbuf_release(&v[i]);
	}
	free(v);
	cp_sbuf_adds(sb, "</svg>\n");
}

void cp_chart_levels(struct cp_sbuf *sb, const struct cp_report *r)
{
	lang = r->lang;
	const struct cp_counts *c = &r->by_severity;
	struct bar *b = cp_xcalloc(c->n + 1, sizeof(*b));
	size_t i;

	for (i = 0; i < c->n; i++) {
		b[i].label = c->v[i].label;
		b[i].sub = strcmp(c->v[i].key, c->v[i].label) ? c->v[i].key : NULL;
		b[i].n = c->v[i].n;
		cp_html_level_color(b[i].color, i, c->n);
	}
	vbars(sb, N_("Cases received by level"), b, c->n, 500, true);
	free(b);
}

static bool recurring(const struct cp_report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->recurring.n; i++)
		if (!strcmp(r->recurring.v[i].key, key))
			return true;
	return false;
}

/*
 * A count table as bars: blue; recurring categories orange, the
 * unassigned grey.  labels: show the display names (kinds).
 */
void cp_chart_counts(struct cp_sbuf *sb, const struct cp_report *r, const char *title,
			 const struct cp_counts *c, bool labels, bool categories)
{
	lang = r->lang;
	struct bar *b;
	size_t i;

	if (!c->n) {
		cp_sbuf_addf(sb, "<p class=\"none\">%s</p>\n", T_(lang, "No cases received this month."));
		return;
	}
	b = cp_xcalloc(c->n, sizeof(*b));
	for (i = 0; i < c->n; i++) {
		b[i].label = labels ? c->v[i].label : c->v[i].key;
		b[i].n = c->v[i].n;
		if (categories && recurring(r, c->v[i].key))
			strcpy(b[i].color, C_ORANGE);
		else if (!strcmp(c->v[i].key, "(unassigned)") && !categories)
			strcpy(b[i].color, C_GREY);
		else
			strcpy(b[i].color, C_BLUE);
	}
	hbars(sb, title, b, c->n, r->totals.received);
	free(b);
}

void cp_chart_months(struct cp_sbuf *sb, const struct cp_report *r)
{
	lang = r->lang;
	struct bar b[12];
	char names[12][16];
	size_t i;

	memset(b, 0, sizeof(b));
	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "%04d-%02d", r->months[i].year,
			 r->months[i].month);
		b[i].label = names[i];
		b[i].n = r->months[i].received;
		strcpy(b[i].color, i == 11 ? C_BLUE : C_LIGHT);
	}
	vbars(sb, N_("Cases received in the last twelve months"), b, 12, 1000, false);
}

void cp_chart_deadlines(struct cp_sbuf *sb, const struct cp_report *r)
{
	lang = r->lang;
	const int w = 500, row = 34, x0 = 80, top = 22;
	int h = (int)r->ndeadlines * row + top + 6, k, bar_w, value_w = 80;
	struct cp_sbuf *v;
	size_t i;

	if (!r->ndeadlines) {
		cp_sbuf_addf(sb, "<p class=\"none\">%s</p>\n", T_(lang, "The policy sets no deadlines."));
		return;
	}
	v = cp_xcalloc(r->ndeadlines, sizeof(*v));
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];

		cp_sbuf_init(&v[i]);
		if (d->due) {
			cp_html_pct(&v[i], d->met, d->due);
			cp_sbuf_addf(&v[i], T_(lang, " (%zu of %zu)"), d->met, d->due);
		} else {
			cp_sbuf_adds(&v[i], T_(lang, "none due"));
		}
		if (label_room(v[i].buf) > value_w)
			value_w = label_room(v[i].buf);
	}
	bar_w = w - x0 - value_w;
	svg_open(sb, w, h, N_("Share of each deadline met"));
	for (k = 0; k <= 4; k++) {
		char b[8];
		double x = x0 + bar_w * k / 4.0;

		cp_sbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n",
			  x, top - 4, x, h - 4, C_TRACK);
		snprintf(b, sizeof(b), "%d%%", k * 25);
		text(sb, x, top - 8, "middle", "ax", b);
	}
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];
		double y = top + (double)i * row;

		text(sb, 0, y + 20, "start", "lab", cp_dl_name(d->event));
		if (!d->due) {
			rect(sb, x0, y + 6, bar_w, 20, C_TRACK);
			text(sb, x0 + bar_w + 8, y + 20, "start", "ax", v[i].buf);
		} else {
			double met = (double)bar_w * (double)d->met / (double)d->due;

			if (d->met)
				rect(sb, x0, y + 6, met, 20, C_GREEN);
			if (d->met < d->due)
				rect(sb, x0 + met, y + 6, bar_w - met, 20, C_RED);
			text(sb, x0 + bar_w + 8, y + 20, "start", "val", v[i].buf);
		}
		cp_sbuf_release(&v[i]);
	}
	free(v);
	cp_sbuf_adds(sb, "</svg>\n");
}

void cp_chart_satisfaction(struct cp_sbuf *sb, const struct cp_report *r)
{
	lang = r->lang;
	const double cx = 90, cy = 90, rad = 62, circ = 2 * M_PI * rad;
	size_t bad = r->callbacks - r->satisfied;
	struct cp_sbuf v = CP_SBUF_INIT;

	svg_open(sb, 500, 180, N_("Callback satisfaction"));
	if (!r->callbacks) {
		cp_sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\"/>\n",
			  cx, cy, rad, C_TRACK);
		text(sb, cx, cy + 5, "middle", "lab", N_("no callbacks"));
	} else {
		cp_sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\"/>\n",
			  cx, cy, rad, bad ? C_RED : C_GREEN);
		if (r->satisfied && bad) {
			double arc = circ * (double)r->satisfied / (double)r->callbacks;

			/* the satisfied share, clockwise from twelve o'clock */
			cp_sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\" stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 %g %g)\"/>\n",
				  cx, cy, rad, C_GREEN, arc, circ, cx, cy);
		}
		cp_html_pct(&v, r->satisfied, r->callbacks);
		cp_sbuf_addf(sb, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" class=\"big\">", cx, cy + 8);
		cp_html_esc(sb, v.buf);
		cp_sbuf_adds(sb, "</text>\n");
	}
	rect(sb, 200, 52, 16, 16, C_GREEN);
	cp_sbuf_reset(&v);
	cp_sbuf_addf(&v, T_(lang, "satisfied: %zu"), r->satisfied);
	text(sb, 224, 65, "start", "lab", v.buf);
	rect(sb, 200, 82, 16, 16, C_RED);
	cp_sbuf_reset(&v);
	cp_sbuf_addf(&v, T_(lang, "not satisfied: %zu"), bad);
	text(sb, 224, 95, "start", "lab", v.buf);
	cp_sbuf_reset(&v);
	cp_sbuf_addf(&v, cp_trn(lang, "%zu callback this month", "%zu callbacks this month", r->callbacks),
		  r->callbacks);
	text(sb, 200, 128, "start", "ax", v.buf);
	cp_sbuf_release(&v);
	cp_sbuf_adds(sb, "</svg>\n");
}
