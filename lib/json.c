#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "utf8.h"

void cp_json_str(struct cp_sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;

	if (!s) {
		cp_sbuf_adds(sb, "null");
		return;
	}
	cp_sbuf_addch(sb, '"');
	for (run = p; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
			continue;
		cp_sbuf_add(sb, run, (size_t)(p - run));	/* the plain run before */
		run = p + 1;
		switch (*p) {
		case '"': cp_sbuf_adds(sb, "\\\""); break;
		case '\\': cp_sbuf_adds(sb, "\\\\"); break;
		case '\n': cp_sbuf_adds(sb, "\\n"); break;
		case '\r': cp_sbuf_adds(sb, "\\r"); break;
		case '\t': cp_sbuf_adds(sb, "\\t"); break;
		default: cp_sbuf_addf(sb, "\\u%04x", *p);
		}
	}
	cp_sbuf_add(sb, run, (size_t)(p - run));
	cp_sbuf_addch(sb, '"');
}

void cp_json_num(struct cp_sbuf *sb, double v)
{
	char buf[64];
	int prec;

	if (!isfinite(v)) {
		cp_sbuf_adds(sb, "null");
		return;
	}
	if (v == (double)(long long)v && fabs(v) < 1e15) {
		cp_sbuf_addf(sb, "%lld", (long long)v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	cp_sbuf_adds(sb, buf);
}

void cp_json_time(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t)
{
	char buf[CP_TIME_BUF];

	if (t == CP_TIME_NONE) {
		cp_sbuf_adds(sb, "null");
		return;
	}
	cp_time_fmt(buf, z, t);
	cp_json_str(sb, buf);
}

void cp_json_key(struct cp_sbuf *sb, bool *first, const char *key)
{
	if (!*first)
		cp_sbuf_addch(sb, ',');
	*first = false;
	cp_json_str(sb, key);
	cp_sbuf_addch(sb, ':');
}
