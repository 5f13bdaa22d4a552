/*
 * html.c - what the HTML report and its charts write alike: escaped
 * text, shares, and the colour of a level on the green-to-red ramp.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "utf8.h"

/* The level ramp: green, amber, orange, red, interpolated for n levels. */
static const unsigned char ramp[][3] = {
	{ 0x2e, 0x9e, 0x6b }, { 0xe0, 0xb0, 0x20 }, { 0xe8, 0x77, 0x2e }, { 0xcc, 0x33, 0x33 },
};

void cp_html_level_color(char out[8], size_t i, size_t n)
{
	double t = n > 1 ? (double)i * 3.0 / (double)(n - 1) : 0.0;
	size_t k = t >= 3.0 ? 2 : (size_t)t;
	double f = t - (double)k;
	int c[3], j;

	for (j = 0; j < 3; j++)
		c[j] = (int)lround(ramp[k][j] + (ramp[k + 1][j] - ramp[k][j]) * f);
	snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* Escaped text; NULL is nothing.  At most max bytes of s (SIZE_MAX: all). */
void cp_html_esc_n(struct cp_sbuf *sb, const char *s, size_t max)
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
		case '&': cp_sbuf_adds(sb, "&amp;"); i++; continue;
		case '<': cp_sbuf_adds(sb, "&lt;"); i++; continue;
		case '>': cp_sbuf_adds(sb, "&gt;"); i++; continue;
		case '"': cp_sbuf_adds(sb, "&quot;"); i++; continue;
		case '\'': cp_sbuf_adds(sb, "&#39;"); i++; continue;
		default: break;
		}
		if (ch < 0x20 || ch == 0x7f) {
			cp_sbuf_addch(sb, ' ');	/* line breaks and tabs too: one line */
			i++;
			continue;
		}
		if (ch < 0x80) {
			cp_sbuf_addch(sb, ch);
			i++;
			continue;
		}
		k = cp_utf8_decode(&cp, s + i, n - i);
		if (!k || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff) {
			cp_sbuf_adds(sb, "\xef\xbf\xbd");	/* U+FFFD */
			i += k ? k : 1;
			continue;
		}
		cp_sbuf_add(sb, s + i, k);
		i += k;
	}
}

void cp_html_esc(struct cp_sbuf *sb, const char *s)
{
	cp_html_esc_n(sb, s, SIZE_MAX);
}

/* Escaped, cut with an ellipsis to fit cols display columns. */
void cp_html_esc_fit(struct cp_sbuf *sb, const char *s, size_t cols)
{
	size_t n = strlen(s);

	if (cols < 2)
		cols = 2;
	if (cp_utf8_width(s, n) <= cols) {
		cp_html_esc(sb, s);
		return;
	}
	cp_html_esc_n(sb, s, cp_utf8_fit(s, n, cols - 1));
	cp_sbuf_adds(sb, "\xe2\x80\xa6");
}

/* 42.9% (one decimal), or a dash for a share of nothing. */
void cp_html_pct(struct cp_sbuf *sb, size_t part, size_t whole)
{
	if (!whole)
		cp_sbuf_adds(sb, "\xe2\x80\x93");
	else
		cp_sbuf_addf(sb, "%.1f%%", 100.0 * (double)part / (double)whole);
}
