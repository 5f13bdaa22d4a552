/*
 * json.h - writing JSON (we never read it).  Strings are escaped so the
 * output is valid for jq whatever the text holds.
 */
#ifndef COMPLAINT_JSON_H
#define COMPLAINT_JSON_H

#include <stdbool.h>

#include "complaint/sbuf.h"
#include "complaint/timeutil.h"

void cp_json_str(struct cp_sbuf *sb, const char *s);	/* NULL gives null */
void cp_json_num(struct cp_sbuf *sb, double v);	/* shortest round-trip form */
void cp_json_time(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t);	/* CP_TIME_NONE gives null */
/* "key": — with a leading comma unless *first; clears *first. */
void cp_json_key(struct cp_sbuf *sb, bool *first, const char *key);
/* A name list (cp_names_*: names joined by '\n') as an array; NULL gives []. (case_json.c) */
void cp_json_names(struct cp_sbuf *sb, const char *list);

#endif
