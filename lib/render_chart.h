/*
 * render_chart.h - the HTML report's charts as inline SVG (render_chart.c).
 */
#ifndef COMPLAINT_RENDER_CHART_H
#define COMPLAINT_RENDER_CHART_H

#include "complaint/report.h"
#include "complaint/sbuf.h"

void cp_chart_levels(struct cp_sbuf *sb, const struct cp_report *r);
/*
 * A count table as bars: blue; recurring categories orange, the
 * unassigned grey.  labels: show the display names (kinds).
 */
void cp_chart_counts(struct cp_sbuf *sb, const struct cp_report *r, const char *title,
			 const struct cp_counts *c, bool labels, bool categories);
void cp_chart_months(struct cp_sbuf *sb, const struct cp_report *r);
void cp_chart_deadlines(struct cp_sbuf *sb, const struct cp_report *r);
void cp_chart_satisfaction(struct cp_sbuf *sb, const struct cp_report *r);

#endif
