/*
 * penalize.c - complaint penalize: a discretionary penalty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_penalize(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint penalize ID PERSON POINTS --reason TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_PENALIZE);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why", &ev.reason),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 3, &done);
	char subject[512], *end;

	if (code || done)
		return code;
	ev.points = strtol(argv[3], &end, 10);
	if (*end || end == argv[3] || ev.points < 1 || ev.points > 1000000 ||
	    argv[3][0] == '+' || argv[3][0] == ' ')
		return usage_error(c, "POINTS must be a whole number from 1 to 1000000, not '%s'",
				   argv[3]);
	if (!ev.reason)
		return usage_error(c, "--reason is required");
	ev.person = argv[2];
	snprintf(subject, sizeof(subject), "%s %ld points", argv[2], ev.points);
	return run_event(c, argv[1], &ev, at, subject);
}
