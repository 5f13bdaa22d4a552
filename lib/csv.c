#include <string.h>

#include "complaint/csv.h"

bool csv_formula(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r", s[0]);
}

void csv_field(struct sbuf *sb, const char *s)
{
	const char *p;

	if (!s || !*s)
		return;
	if (!strpbrk(s, ",\"\r\n") && !csv_formula(s)) {
		sbuf_adds(sb, s);
		return;
	}
	sbuf_addch(sb, '"');
	if (csv_formula(s))
		sbuf_addch(sb, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			sbuf_addch(sb, '"');
		sbuf_addch(sb, *p);
	}
	sbuf_addch(sb, '"');
}
