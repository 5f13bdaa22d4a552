/*
 * hold.c - complaint hold and resume: waiting for the customer stops
 * every pending deadline; resume starts them again, moved by the time
 * held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_hold(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint hold ID --reason TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_HOLD);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "what the case waits for", &ev.reason),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.reason);
}

int cmd_resume(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_RESUME, "complaint resume ID [--text TEXT] [--at TIME] [-q]");
}
