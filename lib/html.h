/*
 * html.h - what the HTML report (render_html.c) and its charts
 * (render_chart.c) share: the palette, escaping, shares, level colours.
 */
#ifndef COMPLAINT_HTML_H
#define COMPLAINT_HTML_H

#include <stddef.h>

#include "complaint/sbuf.h"

/*
 * Colours are fixed so that a screenshot can be checked for them;
 * levels get a green-to-red ramp in policy order.
 */
#define C_BLUE "#2f6fb3"	/* cases by department, the report's month */
#define C_LIGHT "#a9c7e8"	/* earlier months */
#define C_GREEN "#2e9e6b"	/* met, satisfied; the lowest level */
#define C_RED "#cc3333"		/* missed, unsatisfied; the highest level */
#define C_ORANGE "#e8772e"	/* recurring categories */
#define C_GREY "#9aa5b1"	/* unassigned, nothing due */
#define C_TRACK "#e4e7eb"	/* grid lines, empty tracks */
#define C_TEXT "#334e68"
#define C_MUTED "#627d98"

void cp_html_level_color(char out[8], size_t i, size_t n);
/* Escaped text; NULL is nothing.  At most max bytes of s (SIZE_MAX: all). */
void cp_html_esc_n(struct cp_sbuf *sb, const char *s, size_t max);
void cp_html_esc(struct cp_sbuf *sb, const char *s);
/* Escaped, cut with an ellipsis to fit cols display columns. */
void cp_html_esc_fit(struct cp_sbuf *sb, const char *s, size_t cols);
/* 42.9% (one decimal), or a dash for a share of nothing. */
void cp_html_pct(struct cp_sbuf *sb, size_t part, size_t whole);

#endif
