/*
 * reopen.c - complaint reopen: reopen a resolved or closed case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_reopen(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint reopen ID --reason TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_REOPEN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why it is reopened", &ev.reason),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.reason);
}
