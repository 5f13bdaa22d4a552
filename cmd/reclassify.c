/*
 * reclassify.c - complaint reclassify: change the level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_reclassify(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint reclassify ID LEVEL --reason TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_RECLASSIFY);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why the level changes", &ev.reason),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 2, &done);
	char subject[512];

	if (code || done)
		return code;
	ev.severity = argv[2];
	snprintf(subject, sizeof(subject), "to %s", argv[2]);
	return run_event(c, argv[1], &ev, at, subject);
}
