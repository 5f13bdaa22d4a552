/*
 * penalize.c - complaint penalize: a discretionary penalty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/number.h"
#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_penalize(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint penalize ID PERSON POINTS --reason TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_PENALIZE);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why", &ev.reason),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 3, &done);
	char subject[512];
	int64_t points;

	if (code || done)
		return code;
	if (cp_parse_int(argv[3], strlen(argv[3]), 1, 1000000, &points) < 0)
		return usage_error(c, _("POINTS must be a whole number from 1 to 1000000: %s"),
				   cp_errmsg());
	ev.points = (long)points;
	ev.person = argv[2];
	snprintf(subject, sizeof(subject), "%s %ld points", argv[2], ev.points);
	return run_event(c, argv[1], &ev, at, subject);
}
