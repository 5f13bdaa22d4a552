/* render_csv.c - placeholder until the CSV tables land. */
#include "complaint/report.h"

void cp_report_csv(const struct cp_report *r, struct sbuf *sb)
{
	(void)r;
	(void)sb;
}
