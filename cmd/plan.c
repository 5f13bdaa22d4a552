/*
 * plan.c - complaint plan: record a solution plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_plan(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint plan ID --text TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_PLAN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "the solution plan", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.text);
}
