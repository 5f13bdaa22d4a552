/*
 * render_html.c - the report as one self-contained HTML5 page: inline CSS,
 * charts drawn here as inline SVG, no script, no fetch, no clock of its
 * own (the same report renders to the same bytes).
 *
 * Every text from the store goes through esc(): & < > " ' become
 * references, control characters and invalid UTF-8 are replaced.  The
 * markup is also well-formed XML (every element closed, no named
 * entities, no `<` or `&` in the style sheet), so tests can parse it
 * strictly.
 *
 * Colours are fixed (see the palette below) so that a screenshot can be
 * checked for them; levels get a green-to-red ramp in policy order.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/report.h"
#include "json.h"
#include "utf8.h"

/* ---- palette ---- */

#define C_BLUE "#2f6fb3"	/* cases by department, the report's month */
#define C_LIGHT "#a9c7e8"	/* earlier months */
#define C_GREEN "#2e9e6b"	/* met, satisfied; the lowest level */
#define C_RED "#cc3333"		/* missed, unsatisfied; the highest level */
#define C_ORANGE "#e8772e"	/* recurring categories */
#define C_GREY "#9aa5b1"	/* unassigned, nothing due */
#define C_TRACK "#e4e7eb"	/* grid lines, empty tracks */
#define C_TEXT "#334e68"
#define C_MUTED "#627d98"

/* The level ramp: green, amber, orange, red, interpolated for n levels. */
static const unsigned char ramp[][3] = {
	{ 0x2e, 0x9e, 0x6b }, { 0xe0, 0xb0, 0x20 }, { 0xe8, 0x77, 0x2e }, { 0xcc, 0x33, 0x33 },
};

static void level_color(size_t i, size_t n, char out[8])
{
	double t = n > 1 ? (double)i * 3.0 / (double)(n - 1) : 0.0;
	size_t k = t >= 3.0 ? 2 : (size_t)t;
	double f = t - (double)k;
	int c[3], j;

	for (j = 0; j < 3; j++)
		c[j] = (int)lround(ramp[k][j] + (ramp[k + 1][j] - ramp[k][j]) * f);
	snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* ---- text ---- */

/* Escaped text; NULL is nothing.  At most max bytes of s (SIZE_MAX: all). */
static void esc_n(struct sbuf *sb, const char *s, size_t max)
{
	size_t n, i = 0, k;
	uint32_t cp;

	if (!s)
		return;
	n = strlen(s);
	if (n > max)
		n = max;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '&': sbuf_adds(sb, "&amp;"); i++; continue;
		case '<': sbuf_adds(sb, "&lt;"); i++; continue;
		case '>': sbuf_adds(sb, "&gt;"); i++; continue;
		case '"': sbuf_adds(sb, "&quot;"); i++; continue;
		case '\'': sbuf_adds(sb, "&#39;"); i++; continue;
		default: break;
		}
		if (ch < 0x20 || ch == 0x7f) {
			sbuf_addch(sb, ' ');	/* line breaks and tabs too: one line */
			i++;
			continue;
		}
		if (ch < 0x80) {
			sbuf_addch(sb, ch);
			i++;
			continue;
		}
		k = cp_utf8_decode(s + i, n - i, &cp);
		if (!k || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff) {
			sbuf_adds(sb, "\xef\xbf\xbd");	/* U+FFFD */
			i += k ? k : 1;
			continue;
		}
		sbuf_add(sb, s + i, k);
		i += k;
	}
}

static void esc(struct sbuf *sb, const char *s)
{
	esc_n(sb, s, SIZE_MAX);
}

/* Escaped, cut with an ellipsis to fit cols display columns. */
static void esc_fit(struct sbuf *sb, const char *s, size_t cols)
{
	size_t n = strlen(s);

	if (cols < 2)
		cols = 2;
	if (cp_utf8_width(s, n) <= cols) {
		esc(sb, s);
		return;
	}
	esc_n(sb, s, cp_utf8_fit(s, n, cols - 1));
	sbuf_adds(sb, "\xe2\x80\xa6");
}

static void num(struct sbuf *sb, double v)
{
	cp_json_num(sb, v);
}

/* 42.9% (one decimal), or a dash for a share of nothing. */
static void pct(struct sbuf *sb, size_t part, size_t whole)
{
	if (!whole)
		sbuf_adds(sb, "\xe2\x80\x93");
	else
		sbuf_addf(sb, "%.1f%%", 100.0 * (double)part / (double)whole);
}

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static void day(struct sbuf *sb, cp_time t)
{
	char b[CP_TIME_BUF];

	cp_day_fmt(cp_local_day(t), b);
	sbuf_adds(sb, b);
}

/* ---- charts ---- */

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

static void svg_open(struct sbuf *sb, int w, int h, const char *title)
{
	sbuf_addf(sb, "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"", w, h);
	esc(sb, title);
	sbuf_adds(sb, "\"><title>");
	esc(sb, title);
	sbuf_adds(sb, "</title>\n");
}

static void text(struct sbuf *sb, double x, double y, const char *anchor,
		 const char *cls, const char *s)
{
	sbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor,
		  cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	esc(sb, s);
	sbuf_adds(sb, "</text>\n");
}

static void rect(struct sbuf *sb, double x, double y, double w, double h,
		 const char *fill)
{
	sbuf_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
		  x, y, w, h, fill);
}

/* Horizontal grid lines and their values for a vertical axis. */
static void y_axis(struct sbuf *sb, double x0, double x1, double top_y, double base_y,
		   size_t top, size_t step)
{
	char b[32];
	size_t v;

	for (v = 0; v <= top; v += step) {
		double y = base_y - (base_y - top_y) * (double)v / (double)top;

		sbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
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
static void vbars(struct sbuf *sb, const char *title, const struct bar *b, size_t n,
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
		sbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"lab\">",
			  x + bw / 2, base_y + 18);
		esc_fit(sb, b[i].label, cols);
		sbuf_adds(sb, "</text>\n");
		if (two_lines && b[i].sub) {
			sbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"ax\">",
				  x + bw / 2, base_y + 34);
			esc_fit(sb, b[i].sub, cols);
			sbuf_adds(sb, "</text>\n");
		}
	}
	sbuf_adds(sb, "</svg>\n");
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
static void hbars(struct sbuf *sb, const char *title, const struct bar *b, size_t n,
		  size_t total)
{
	const int w = 500, row = 30, label_w = 150, x0 = 156;
	struct sbuf *v = xcalloc(n + 1, sizeof(*v));
	int bar_w, value_w = 60;
	size_t max = 0, i;
	int h = (int)n * row + 8;

	for (i = 0; i < n; i++) {
		if (b[i].n > max)
			max = b[i].n;
		sbuf_init(&v[i]);
		sbuf_addf(&v[i], "%zu", b[i].n);
		if (total) {
			sbuf_adds(&v[i], " (");
			pct(&v[i], b[i].n, total);
			sbuf_adds(&v[i], ")");
		}
		if (label_room(v[i].buf) > value_w)
			value_w = label_room(v[i].buf);
	}
	bar_w = w - x0 - value_w;
	svg_open(sb, w, h, title);
	for (i = 0; i < n; i++) {
		double y = 4 + (double)i * row;
		double len = max ? (double)bar_w * (double)b[i].n / (double)max : 0;

		sbuf_addf(sb, "<text x=\"0\" y=\"%.1f\" class=\"lab\"><title>", y + 19);
		esc(sb, b[i].label);
		sbuf_adds(sb, "</title>");
		esc_fit(sb, b[i].label, label_w / 7);
		sbuf_adds(sb, "</text>\n");
		rect(sb, x0, y + 5, bar_w, 20, C_TRACK);
		if (b[i].n)
			rect(sb, x0, y + 5, len < 2 ? 2 : len, 20, b[i].color);
		text(sb, x0 + bar_w + 6, y + 19, "start", "val", v[i].buf);
		sbuf_release(&v[i]);
	}
	free(v);
	sbuf_adds(sb, "</svg>\n");
}

static void chart_levels(struct sbuf *sb, const struct cp_report *r)
{
	const struct cp_counts *c = &r->by_severity;
	struct bar *b = xcalloc(c->n + 1, sizeof(*b));
	size_t i;

	for (i = 0; i < c->n; i++) {
		b[i].label = c->v[i].label;
		b[i].sub = strcmp(c->v[i].key, c->v[i].label) ? c->v[i].key : NULL;
		b[i].n = c->v[i].n;
		level_color(i, c->n, b[i].color);
	}
	vbars(sb, "Cases received by level", b, c->n, 500, true);
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
static void chart_counts(struct sbuf *sb, const struct cp_report *r, const char *title,
			 const struct cp_counts *c, bool labels, bool categories)
{
	struct bar *b;
	size_t i;

	if (!c->n) {
		sbuf_adds(sb, "<p class=\"none\">No cases received this month.</p>\n");
		return;
	}
	b = xcalloc(c->n, sizeof(*b));
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

static void chart_months(struct sbuf *sb, const struct cp_report *r)
{
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
	vbars(sb, "Cases received in the last twelve months", b, 12, 1000, false);
}

static void chart_deadlines(struct sbuf *sb, const struct cp_report *r)
{
	const int w = 500, row = 34, x0 = 80, top = 22;
	int h = (int)r->ndeadlines * row + top + 6, k, bar_w, value_w = 80;
	struct sbuf *v;
	size_t i;

	if (!r->ndeadlines) {
		sbuf_adds(sb, "<p class=\"none\">The policy sets no deadlines.</p>\n");
		return;
	}
	v = xcalloc(r->ndeadlines, sizeof(*v));
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];

		sbuf_init(&v[i]);
		if (d->due) {
			pct(&v[i], d->met, d->due);
			sbuf_addf(&v[i], " (%zu of %zu)", d->met, d->due);
		} else {
			sbuf_adds(&v[i], "none due");
		}
		if (label_room(v[i].buf) > value_w)
			value_w = label_room(v[i].buf);
	}
	bar_w = w - x0 - value_w;
	svg_open(sb, w, h, "Share of each deadline met");
	for (k = 0; k <= 4; k++) {
		char b[8];
		double x = x0 + bar_w * k / 4.0;

		sbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n",
			  x, top - 4, x, h - 4, C_TRACK);
		snprintf(b, sizeof(b), "%d%%", k * 25);
		text(sb, x, top - 8, "middle", "ax", b);
	}
	for (i = 0; i < r->ndeadlines; i++) {
		const struct cp_deadline_stat *d = &r->deadlines[i];
		double y = top + (double)i * row;

		text(sb, 0, y + 20, "start", "lab", cp_evt_name(d->event));
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
		sbuf_release(&v[i]);
	}
	free(v);
	sbuf_adds(sb, "</svg>\n");
}

static void chart_satisfaction(struct sbuf *sb, const struct cp_report *r)
{
	const double cx = 90, cy = 90, rad = 62, circ = 2 * M_PI * rad;
	size_t bad = r->callbacks - r->satisfied;
	struct sbuf v = SBUF_INIT;

	svg_open(sb, 500, 180, "Callback satisfaction");
	if (!r->callbacks) {
		sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\"/>\n",
			  cx, cy, rad, C_TRACK);
		text(sb, cx, cy + 5, "middle", "lab", "no callbacks");
	} else {
		sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\"/>\n",
			  cx, cy, rad, bad ? C_RED : C_GREEN);
		if (r->satisfied && bad) {
			double arc = circ * (double)r->satisfied / (double)r->callbacks;

			/* the satisfied share, clockwise from twelve o'clock */
			sbuf_addf(sb, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"%s\" stroke-width=\"24\" stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 %g %g)\"/>\n",
				  cx, cy, rad, C_GREEN, arc, circ, cx, cy);
		}
		pct(&v, r->satisfied, r->callbacks);
		sbuf_addf(sb, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" class=\"big\">", cx, cy + 8);
		esc(sb, v.buf);
		sbuf_adds(sb, "</text>\n");
	}
	rect(sb, 200, 52, 16, 16, C_GREEN);
	sbuf_reset(&v);
	sbuf_addf(&v, "satisfied: %zu", r->satisfied);
	text(sb, 224, 65, "start", "lab", v.buf);
	rect(sb, 200, 82, 16, 16, C_RED);
	sbuf_reset(&v);
	sbuf_addf(&v, "not satisfied: %zu", bad);
	text(sb, 224, 95, "start", "lab", v.buf);
	sbuf_reset(&v);
	sbuf_addf(&v, "%zu callback%s this month", r->callbacks, r->callbacks == 1 ? "" : "s");
	text(sb, 200, 128, "start", "ax", v.buf);
	sbuf_release(&v);
	sbuf_adds(sb, "</svg>\n");
}

/* ---- the page ---- */

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
	"td.txt{min-width:9em;white-space:normal;overflow-wrap:anywhere}\n"
	"td .sub{display:block;color:" C_MUTED ";font-size:11px;font-family:inherit}\n"
	".miss{display:inline-block;border-radius:10px;padding:0 7px;margin:0 3px 2px 0;font-size:11px;background:#fde8e8;color:#b42318;white-space:nowrap}\n"
	"td.up{background:#e6f4ec}td.down{background:#fdeaea}\n"
	"td .was{display:block;font-size:11px;color:" C_MUTED ";font-weight:400}\n"
	".chip{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n"
	".total{font-size:26px;font-weight:600;color:#102a43;margin:0 0 8px}\n"
	"@media (max-width:800px){.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.grid{grid-template-columns:1fr}}\n"
	/* a phone: a table's rows become blocks, each value under its column's name */
	"@media screen and (max-width:640px){main{padding:0 10px 24px}.card{padding:12px 10px}"
	"table.stack thead{display:none}"
	"table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}"
	"table.stack tr{border-bottom:2px solid #d9e2ec;padding:6px 0}"
	"table.stack td{border:0;padding:2px 0;text-align:left;white-space:normal;overflow-wrap:anywhere}"
	"table.stack td::before{content:attr(data-label);display:block;font-size:11px;font-weight:600;color:" C_MUTED "}}\n"
	"@page{size:A4;margin:12mm}\n"
	"@media print{body{background:#fff;font-size:10pt}"
	"header.top{background:#fff;color:#000;border-bottom:2px solid #102a43;padding:0 0 8px}"
	"header.top p{color:#333}main,header.top div,footer{padding-left:0;padding-right:0;max-width:none}"
	".kpi,.card{border-color:#bcccdc}h2,h3{break-after:avoid;page-break-after:avoid}"
	"table{font-size:9pt}td.txt{min-width:6em}"
	"thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}}\n";

/* A summary card: this month, the month before, and the change. */
static void kpi(struct sbuf *sb, const char *name, size_t now, size_t before,
		bool up_is_good)
{
	long d = (long)now - (long)before;

	sbuf_adds(sb, "<div class=\"kpi\"><div class=\"name\">");
	esc(sb, name);
	sbuf_addf(sb, "</div><div class=\"n\">%zu</div><div class=\"was\">", now);
	if (!d)
		sbuf_adds(sb, "<span class=\"same\">\xc2\xb1" "0</span>");
	else
		sbuf_addf(sb, "<span class=\"%s\">%s %+ld</span>",
			  (d > 0) == up_is_good ? "good" : "bad",
			  d > 0 ? "\xe2\x96\xb2" : "\xe2\x96\xbc", d);
	sbuf_addf(sb, " from %zu</div></div>\n", before);
}

static void kpis(struct sbuf *sb, const struct cp_report *r)
{
	const struct cp_score *sc = &r->score;
	long points = 0;
	size_t i;

	for (i = 0; i < sc->nitems; i++)
		points += sc->items[i].points;
	sbuf_adds(sb, "<section class=\"kpis\">\n");
	kpi(sb, "Received", r->totals.received, r->previous.received, false);
	kpi(sb, "Resolved", r->totals.resolved, r->previous.resolved, true);
	kpi(sb, "Closed", r->totals.closed, r->previous.closed, true);
	kpi(sb, "Open at month end", r->totals.open, r->previous.open, false);
	kpi(sb, "Overdue at month end", r->totals.overdue, r->previous.overdue, false);
	sbuf_addf(sb, "<div class=\"kpi\"><div class=\"name\">Penalty points</div><div class=\"n\">%ld</div><div class=\"was\">",
		  points);
	cp_score_money(sb, sc, points);
	sbuf_adds(sb, " ");
	esc(sb, sc->currency);
	sbuf_adds(sb, "</div></div>\n</section>\n");
}

static void card_open(struct sbuf *sb, const char *title, const char *note, bool wide)
{
	sbuf_addf(sb, "<div class=\"card%s\"><h3>", wide ? " wide" : "");
	esc(sb, title);
	sbuf_adds(sb, "</h3>\n");
	if (note) {
		sbuf_adds(sb, "<p class=\"note\">");
		esc(sb, note);
		sbuf_adds(sb, "</p>\n");
	}
}

static void card_close(struct sbuf *sb)
{
	sbuf_adds(sb, "</div>\n");
}

static void td(struct sbuf *sb, const char *cls, const char *s)
{
	sbuf_addf(sb, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	esc(sb, s);
	sbuf_adds(sb, "</td>");
}

/* A cell that names its column (data-label), for a phone's stacked rows. */
static void tdl(struct sbuf *sb, const char *label, const char *cls, const char *s)
{
	sbuf_adds(sb, "<td");
	if (cls)
		sbuf_addf(sb, " class=\"%s\"", cls);
	sbuf_adds(sb, " data-label=\"");
	esc(sb, label);
	sbuf_adds(sb, "\">");
	esc(sb, s);
	sbuf_adds(sb, "</td>");
}

/* The opening tag of such a cell, for content of its own. */
static void tdl_open(struct sbuf *sb, const char *label, const char *cls)
{
	sbuf_adds(sb, "<td");
	if (cls)
		sbuf_addf(sb, " class=\"%s\"", cls);
	sbuf_adds(sb, " data-label=\"");
	esc(sb, label);
	sbuf_adds(sb, "\">");
}

static void td_num(struct sbuf *sb, double v)
{
	sbuf_adds(sb, "<td class=\"n\">");
	num(sb, v);
	sbuf_adds(sb, "</td>");
}

/* A money cell: points at the score's point value, two decimals. */
static void td_money(struct sbuf *sb, const struct cp_score *sc, long points)
{
	sbuf_adds(sb, "<td class=\"n\">");
	cp_score_money(sb, sc, points);
	sbuf_adds(sb, "</td>");
}

static void resolution_table(struct sbuf *sb, const struct cp_report *r)
{
	size_t i;

	sbuf_adds(sb, "<table><thead><tr><th>Level</th><th class=\"n\">Cases</th><th class=\"n\">Median h</th><th class=\"n\">Max h</th></tr></thead><tbody>\n");
	for (i = 0; i < r->nresolution; i++) {
		const struct cp_resolution *rs = &r->resolution[i];
		char color[8];

		level_color(i, r->nresolution, color);
		sbuf_addf(sb, "<tr><td><svg viewBox=\"0 0 10 10\" width=\"10\" height=\"10\" style=\"display:inline;margin-right:6px\"><rect width=\"10\" height=\"10\" fill=\"%s\"/></svg>",
			  color);
		esc(sb, rs->label);
		if (strcmp(rs->label, rs->level)) {
			sbuf_adds(sb, " <span class=\"same\">");
			esc(sb, rs->level);
			sbuf_adds(sb, "</span>");
		}
		sbuf_addf(sb, "</td><td class=\"n\">%zu</td>", rs->n);
		if (rs->n)
			sbuf_addf(sb, "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
				  rs->median, rs->max);
		else
			sbuf_adds(sb, "<td class=\"n\">\xe2\x80\x93</td><td class=\"n\">\xe2\x80\x93</td></tr>\n");
	}
	sbuf_adds(sb, "</tbody></table>\n");
}

static void recurring_list(struct sbuf *sb, const struct cp_report *r)
{
	size_t i;

	if (!r->recurring.n) {
		sbuf_adds(sb, "<p class=\"none\">None this month.</p>\n");
		return;
	}
	sbuf_adds(sb, "<ul class=\"rec\">\n");
	for (i = 0; i < r->recurring.n; i++) {
		sbuf_adds(sb, "<li><strong>");
		esc(sb, r->recurring.v[i].key);
		sbuf_addf(sb, "</strong>: %zu cases <span class=\"tag\">needs a prevention measure</span></li>\n",
			  r->recurring.v[i].n);
	}
	sbuf_adds(sb, "</ul>\n");
}

static void score_tables(struct sbuf *sb, const struct cp_score *sc)
{
	size_t i;

	sbuf_adds(sb, "<div class=\"grid\">\n");
	card_open(sb, "Departments", NULL, false);
	sbuf_adds(sb, "<table><thead><tr><th>Department</th><th class=\"n\">Points</th><th class=\"n\">Money</th></tr></thead><tbody>\n");
	for (i = 0; i < sc->ndepartments; i++) {
		sbuf_adds(sb, "<tr>");
		td(sb, NULL, sc->departments[i].name);
		td_num(sb, (double)sc->departments[i].points);
		td_money(sb, sc, sc->departments[i].points);
		sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->ndepartments)
		sbuf_adds(sb, "<tr><td colspan=\"3\" class=\"none\">No points this month.</td></tr>\n");
	sbuf_adds(sb, "</tbody></table>\n");
	card_close(sb);

	card_open(sb, "People", NULL, false);
	sbuf_adds(sb, "<table><thead><tr><th>Person</th><th>Role</th><th>Department</th><th class=\"n\">Points</th><th class=\"n\">Money</th></tr></thead><tbody>\n");
	for (i = 0; i < sc->npeople; i++) {
		sbuf_adds(sb, "<tr>");
		td(sb, NULL, sc->people[i].name);
		td(sb, NULL, cp_role_name(sc->people[i].role));
		td(sb, NULL, sc->people[i].department ? sc->people[i].department : "\xe2\x80\x93");
		td_num(sb, (double)sc->people[i].points);
		td_money(sb, sc, sc->people[i].points);
		sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->npeople)
		sbuf_adds(sb, "<tr><td colspan=\"5\" class=\"none\">No points this month.</td></tr>\n");
	sbuf_adds(sb, "</tbody></table>\n");
	card_close(sb);

	card_open(sb, "Line items", "Every penalty dated in the month, with the case and the rule it comes from.", true);
	sbuf_adds(sb, "<table class=\"stack\"><thead><tr><th>Date</th><th>Case</th><th>Target</th><th>Role</th><th class=\"n\">Points</th><th class=\"n\">Money</th><th>Rule</th><th>Detail</th></tr></thead><tbody>\n");
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];
		struct sbuf v = SBUF_INIT;

		sbuf_adds(sb, "<tr>");
		tdl_open(sb, "Date", "id");
		day(sb, it->at);
		sbuf_adds(sb, "</td>");
		tdl(sb, "Case", "id", it->case_id);
		tdl(sb, "Target", NULL, it->target);
		tdl(sb, "Role", NULL, cp_role_name(it->role));
		sbuf_addf(&v, "%ld", it->points);
		tdl(sb, "Points", "n", v.buf);
		sbuf_reset(&v);
		cp_score_money(&v, sc, it->points);
		tdl(sb, "Money", "n", v.buf);
		sbuf_release(&v);
		tdl(sb, "Rule", NULL, it->rule);
		tdl(sb, "Detail", "txt", it->detail);
		sbuf_adds(sb, "</tr>\n");
	}
	if (!sc->nitems)
		sbuf_adds(sb, "<tr><td colspan=\"8\" class=\"none\">No line items this month.</td></tr>\n");
	sbuf_adds(sb, "</tbody></table>\n");
	if (sc->nwarnings) {
		sbuf_adds(sb, "<h3 style=\"margin-top:14px\">Not counted</h3>\n<p class=\"note\">Items whose target is not known; assign the case to count them.</p>\n<table><thead><tr><th>Case</th><th>Why</th></tr></thead><tbody>\n");
		for (i = 0; i < sc->nwarnings; i++) {
			sbuf_adds(sb, "<tr>");
			td(sb, "id", sc->warnings[i].case_id);
			td(sb, NULL, sc->warnings[i].message);
			sbuf_adds(sb, "</tr>\n");
		}
		sbuf_adds(sb, "</tbody></table>\n");
	}
	card_close(sb);
	sbuf_adds(sb, "</div>\n");
}

/* ---- the month's departments and cases (SPEC section 11) ---- */

/*
 * A rate against the month before: green and up when better, red and
 * down when worse, grey when the same or nothing to compare.
 */
static void td_rate(struct sbuf *sb, const char *label, size_t part, size_t whole,
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
		sbuf_addf(sb, "<span class=\"%s\">", !strcmp(cls, "n up") ? "good" :
			  !strcmp(cls, "n down") ? "bad" : "same");
		pct(sb, part, whole);
		sbuf_addf(sb, "%s</span> <span class=\"same\">%zu of %zu</span>", mark, part, whole);
	} else {
		sbuf_adds(sb, "<span class=\"same\">\xe2\x80\x93</span>");
	}
	sbuf_adds(sb, "<span class=\"was\">");
	if (pwhole) {
		pct(sb, ppart, pwhole);
		sbuf_addf(sb, " in %s", prev);
	} else {
		sbuf_addf(sb, "none in %s", prev);
	}
	sbuf_adds(sb, "</span></td>");
}

static void departments_table(struct sbuf *sb, const struct cp_report *r, const char *prev)
{
	size_t i;

	if (!r->ndepartments) {
		sbuf_adds(sb, "<p class=\"none\">No department had a case this month.</p>\n");
		return;
	}
	sbuf_adds(sb, "<table class=\"stack\"><thead><tr><th>Department</th><th class=\"n\">Received</th><th class=\"n\">Resolved</th>"
		  "<th class=\"n\">Deadlines met</th><th class=\"n\">Callbacks satisfied</th><th class=\"n\">Points</th></tr></thead><tbody>\n");
	for (i = 0; i < r->ndepartments; i++) {
		const struct cp_report_dept *d = &r->departments[i];
		char v[32];

		sbuf_adds(sb, "<tr>");
		tdl(sb, "Department", NULL, d->name);
		snprintf(v, sizeof(v), "%zu", d->cur.received);
		tdl(sb, "Received", "n", v);
		snprintf(v, sizeof(v), "%zu", d->cur.resolved);
		tdl(sb, "Resolved", "n", v);
		td_rate(sb, "Deadlines met", d->cur.met, d->cur.due, d->prev.met, d->prev.due, prev);
		td_rate(sb, "Callbacks satisfied", d->cur.satisfied, d->cur.callbacks,
			d->prev.satisfied, d->prev.callbacks, prev);
		snprintf(v, sizeof(v), "%ld", d->points);
		tdl(sb, "Points", "n", v);
		sbuf_adds(sb, "</tr>\n");
	}
	sbuf_adds(sb, "</tbody></table>\n");
}

/* The level's display name and its place on the colour ramp. */
static const char *level_label(const struct cp_report *r, const char *id, char color[8])
{
	size_t i;

	for (i = 0; i < r->by_severity.n; i++)
		if (!strcmp(r->by_severity.v[i].key, id)) {
			level_color(i, r->by_severity.n, color);
			return r->by_severity.v[i].label;
		}
	strcpy(color, C_GREY);
	return id;
}

static void cases_table(struct sbuf *sb, const struct cp_report *r)
{
	size_t i, k;

	if (!r->ncases) {
		sbuf_adds(sb, "<p class=\"none\">No case was received, resolved or closed this month.</p>\n");
		return;
	}
	sbuf_adds(sb, "<table class=\"stack cases\"><thead><tr><th>Case</th><th>Level</th><th>Department</th>"
		  "<th>Summary</th><th>Cause</th><th>Measure</th><th class=\"n\">Compensation</th>"
		  "<th>Status</th><th>Missed</th><th>Callback</th></tr></thead><tbody>\n");
	for (i = 0; i < r->ncases; i++) {
		const struct cp_report_case *c = &r->cases[i];
		char color[8];
		const char *label = level_label(r, c->severity, color);

		sbuf_adds(sb, "<tr>");
		tdl_open(sb, "Case", "id");
		esc(sb, c->id);
		sbuf_adds(sb, "<span class=\"sub\">");
		day(sb, c->received);
		sbuf_adds(sb, "</span></td>");
		tdl_open(sb, "Level", NULL);
		sbuf_addf(sb, "<span class=\"chip\" style=\"background:%s\"></span>", color);
		esc(sb, label);
		sbuf_adds(sb, "<span class=\"sub\">");
		esc(sb, c->kind);
		if (c->kind && c->category)
			sbuf_adds(sb, " \xc2\xb7 ");
		esc(sb, c->category);
		sbuf_adds(sb, "</span></td>");
		tdl(sb, "Department", NULL, c->department ? c->department : "\xe2\x80\x93");
		tdl(sb, "Summary", "txt", c->summary);
		tdl(sb, "Cause", "txt", c->cause ? c->cause : "\xe2\x80\x93");
		tdl(sb, "Measure", "txt", c->measure ? c->measure : "\xe2\x80\x93");
		tdl_open(sb, "Compensation", "n");
		if (c->compensation == CP_MONEY_NONE)
			sbuf_adds(sb, "\xe2\x80\x93");
		else
			cp_money_fmt(sb, c->compensation);
		sbuf_adds(sb, "</td>");
		tdl(sb, "Status", NULL, cp_status_name(c->status));
		tdl_open(sb, "Missed", NULL);
		for (k = 0; k < c->nmissed; k++)
			sbuf_addf(sb, "<span class=\"miss\">%s</span>", cp_evt_name(c->missed[k]));
		if (!c->nmissed)
			sbuf_adds(sb, "<span class=\"same\">none</span>");
		sbuf_adds(sb, "</td>");
		tdl_open(sb, "Callback", NULL);
		if (c->satisfied < 0)
			sbuf_adds(sb, "<span class=\"same\">none</span>");
		else if (c->satisfied)
			sbuf_adds(sb, "<span class=\"good\">\xe2\x9c\x93 satisfied</span>");
		else
			sbuf_adds(sb, "<span class=\"bad\">\xe2\x9c\x97 not satisfied</span>");
		sbuf_adds(sb, "</td></tr>\n");
	}
	sbuf_adds(sb, "</tbody></table>\n");
}

static void compensation_card(struct sbuf *sb, const struct cp_report *r)
{
	size_t i;

	sbuf_adds(sb, "<p class=\"total\">");
	cp_money_fmt(sb, r->compensation);
	sbuf_adds(sb, " ");
	esc(sb, r->currency);
	sbuf_addf(sb, "</p>\n<table><thead><tr><th>Level</th><th class=\"n\">Resolves</th><th class=\"n\">Compensation</th></tr></thead><tbody>\n");
	for (i = 0; i < r->ncompensation_by; i++) {
		const struct cp_report_money *m = &r->compensation_by[i];
		char color[8];

		level_color(i, r->ncompensation_by, color);
		sbuf_addf(sb, "<tr><td><span class=\"chip\" style=\"background:%s\"></span>", color);
		esc(sb, m->label);
		sbuf_addf(sb, "</td><td class=\"n\">%zu</td><td class=\"n\">", m->n);
		cp_money_fmt(sb, m->total);
		sbuf_adds(sb, "</td></tr>\n");
	}
	sbuf_adds(sb, "</tbody></table>\n");
}

void cp_report_html(const struct cp_report *r, struct sbuf *sb)
{
	const struct cp_score *sc = &r->score;
	char month[16], prev[16], asof[CP_TIME_BUF];
	struct sbuf note = SBUF_INIT;

	snprintf(month, sizeof(month), "%04d-%02d", r->year, r->month);
	snprintf(prev, sizeof(prev), "%04d-%02d", r->month == 1 ? r->year - 1 : r->year,
		 r->month == 1 ? 12 : r->month - 1);
	cp_time_fmt(r->as_of, asof);

	sbuf_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		  "<meta name=\"generator\" content=\"complaint report\"/>\n<title>");
	esc(sb, r->title);
	sbuf_adds(sb, " ");
	sbuf_adds(sb, month);
	sbuf_adds(sb, " \xe2\x80\x93 ");
	esc(sb, r->policy_name);
	sbuf_adds(sb, "</title>\n<style>\n");
	sbuf_adds(sb, style);
	sbuf_adds(sb, "</style>\n</head>\n<body>\n");

	sbuf_adds(sb, "<header class=\"top\"><div>\n<h1>");
	esc(sb, r->title);
	sbuf_addf(sb, ": %s %d</h1>\n<p>", month_names[(r->month - 1) % 12], r->year);
	day(sb, r->from);
	sbuf_adds(sb, " to ");
	day(sb, r->to);
	sbuf_adds(sb, " \xc2\xb7 policy <strong>");
	esc(sb, r->policy_name);
	sbuf_adds(sb, "</strong> \xc2\xb7 figures as of ");
	esc(sb, asof);
	sbuf_adds(sb, "</p>\n</div></header>\n<main>\n");

	if (r->bad_files)
		sbuf_addf(sb, "<p class=\"warn\"><strong>%zu case file%s could not be read and %s not counted.</strong> Run <code>complaint check</code>.</p>\n",
			  r->bad_files, r->bad_files == 1 ? "" : "s", r->bad_files == 1 ? "is" : "are");
	if (r->uncovered_year)
		sbuf_addf(sb, "<p class=\"warn\">The policy's calendar does not cover %d: deadlines there count weekdays only.</p>\n",
			  r->uncovered_year);

	sbuf_addf(sb, "<h2>Summary</h2>\n<p class=\"note\">Change against %s.</p>\n", prev);
	kpis(sb, r);

	sbuf_adds(sb, "<h2>Cases received</h2>\n<div class=\"grid\">\n");
	card_open(sb, "By level", "Each case at its level as of the report's time.", false);
	chart_levels(sb, r);
	card_close(sb);
	card_open(sb, "By department", NULL, false);
	chart_counts(sb, r, "Cases received by department", &r->by_department, false, false);
	card_close(sb);
	card_open(sb, "Last twelve months", NULL, true);
	chart_months(sb, r);
	card_close(sb);
	sbuf_addf(&note, "Orange: %ld or more cases, a recurring category.", r->recurring_at);
	card_open(sb, "By category", note.buf, false);
	chart_counts(sb, r, "Cases received by category", &r->by_category, false, true);
	card_close(sb);
	card_open(sb, "By channel", NULL, false);
	chart_counts(sb, r, "Cases received by channel", &r->by_channel, false, false);
	card_close(sb);
	card_open(sb, "By kind", NULL, false);
	chart_counts(sb, r, "Cases received by kind", &r->by_kind, true, false);
	card_close(sb);
	sbuf_reset(&note);
	sbuf_addf(&note, "Categories with %ld or more cases this month.", r->recurring_at);
	card_open(sb, "Recurring: prevention needed", note.buf, false);
	recurring_list(sb, r);
	card_close(sb);
	sbuf_adds(sb, "</div>\n");

	sbuf_adds(sb, "<h2>Service</h2>\n<div class=\"grid\">\n");
	card_open(sb, "Deadlines met", "Cases received this month whose deadline has come: green met, red missed.", false);
	chart_deadlines(sb, r);
	card_close(sb);
	card_open(sb, "Callback satisfaction", "Customer callbacks made this month.", false);
	chart_satisfaction(sb, r);
	card_close(sb);
	card_open(sb, "Time to resolve", "Cases first resolved this month, hours from receipt.", true);
	resolution_table(sb, r);
	card_close(sb);
	sbuf_adds(sb, "</div>\n");

	sbuf_adds(sb, "<h2>Departments</h2>\n");
	sbuf_reset(&note);
	sbuf_addf(&note, "Each lead department: cases received this month, resolves and callbacks while it held the case, deadlines of its cases received this month (as above), the month's points. Green and \xe2\x96\xb2: better than %s; red and \xe2\x96\xbc: worse.", prev);
	card_open(sb, "Timeliness and satisfaction by department", note.buf, true);
	departments_table(sb, r, prev);
	card_close(sb);

	sbuf_adds(sb, "<h2>Cases of the month</h2>\n<div class=\"card flow\">\n<p class=\"note\">Every case received, resolved or closed this month, oldest first: its cause, the measure and compensation of its resolve, its status at the month's end, every deadline it missed and the last callback.</p>\n");
	cases_table(sb, r);
	card_close(sb);

	sbuf_adds(sb, "<h2>Compensation</h2>\n<div class=\"grid\">\n");
	sbuf_reset(&note);
	sbuf_addf(&note, "Given by the %zu resolve%s of this month that named a compensation.",
		  r->ncompensation, r->ncompensation == 1 ? "" : "s");
	card_open(sb, "Compensation given", note.buf, false);
	compensation_card(sb, r);
	card_close(sb);
	sbuf_adds(sb, "</div>\n");

	sbuf_adds(sb, "<h2>Penalty score</h2>\n<p class=\"note\">");
	cp_money_fmt(sb, sc->point_value);
	sbuf_adds(sb, " ");
	esc(sb, sc->currency);
	sbuf_adds(sb, " per point.</p>\n");
	score_tables(sb, sc);

	sbuf_adds(sb, "</main>\n<footer><p>complaint report --month ");
	sbuf_adds(sb, month);
	sbuf_adds(sb, " \xc2\xb7 figures as of ");
	esc(sb, asof);
	sbuf_adds(sb, " \xc2\xb7 definitions in complaint-report(1)</p></footer>\n</body>\n</html>\n");
	sbuf_release(&note);
}
