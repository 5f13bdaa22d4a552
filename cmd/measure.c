/*
 * measure.c - complaint measure: add a corrective or preventive measure
 * (M1, M2...), or record one done (--done M1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_measure(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint measure ID --text TEXT --owner NAME --due YYYY-MM-DD [--at TIME] [-q]",
		"complaint measure ID --done REF --text TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_MEASURE);
	const char *at = NULL, *done_ref = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "what is to be done (with --done: what was done)", &ev.text),
		OPT_STRC_("owner", "NAME", "who does it", &ev.owner, "people"),
		OPT_STR_("due", "DATE", "by when (YYYY-MM-DD)", &ev.due),
		OPT_STR_("done", "REF", "record measure REF (M1, M2...) done", &done_ref),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (done_ref) {
		if (ev.owner || ev.due)
			return usage_error(c, _("--done takes no --owner or --due"));
		ev.action = EV_MEASURE_DONE;
		ev.ref = (char *)done_ref;
	}
	return run_event(c, argv[1], &ev, at, ev.text);
}
