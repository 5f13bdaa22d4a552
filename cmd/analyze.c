/*
 * analyze.c - complaint analyze: the after-event analysis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_analyze(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint analyze ID --text TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_ANALYZE);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "the analysis: causes found, what to change", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.text);
}
