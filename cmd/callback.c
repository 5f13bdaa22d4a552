/*
 * callback.c - complaint callback: the customer callback result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_callback(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint callback ID --satisfied|--unsatisfied [--text TEXT] [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_CALLBACK);
	const char *at = NULL;
	bool sat = false, unsat = false;
	struct opt opts[] = {
		OPT_BOOL_("satisfied", "the customer is satisfied", &sat),
		OPT_BOOL_("unsatisfied", "the customer is not satisfied", &unsat),
		OPT_STR_("text", "TEXT", "what the customer said", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (sat == unsat)
		return usage_error(c, _("give exactly one of --satisfied and --unsatisfied"));
	ev.satisfied = sat;
	return run_event(c, argv[1], &ev, at, sat ? "satisfied" : "unsatisfied");
}
