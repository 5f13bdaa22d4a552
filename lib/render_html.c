/* render_html.c - placeholder until the HTML report lands. */
#include "complaint/report.h"

void cp_report_html(const struct cp_report *r, struct sbuf *sb)
{
	(void)r;
	(void)sb;
}
