/*
 * resolve.c - complaint resolve: the case was handled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/intake.h"
#include "complaint/i18n.h"

int cmd_resolve(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint resolve ID --text TEXT [--cause TEXT] [--action TEXT] [--compensation N] [--at TIME] [-q]",
		NULL };
	struct cp_event ev = blank_event(EV_RESOLVE);
	const char *at = NULL, *comp = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "how it was handled", &ev.text),
		OPT_STR_("cause", "TEXT", "the cause found", &ev.cause),
		OPT_STR_("action", "TEXT", "the corrective measure taken (recorded as `measure`)", &ev.measure),
		OPT_STR_("compensation", "N", "money paid to the customer", &comp),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (comp && cp_money_parse(&ev.compensation, comp, strlen(comp)) < 0)
		return lib_error("resolve %s: --compensation", argv[1]);
	return run_event(c, argv[1], &ev, at, ev.text);
}
