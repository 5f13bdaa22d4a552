/*
 * approve.c - complaint approve: the actor approves the plan, or a
 * penalty proposal (--penalty P1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_approve(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint approve ID [--penalty P1] [--text TEXT] [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_APPROVE);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("penalty", "P1", "approve this penalty proposal instead of the plan", &ev.ref),
		OPT_STR_("text", "TEXT", "a remark", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);
	char subject[512];

	if (code || done)
		return code;
	if (ev.ref && (ev.ref[0] != 'P' || !ev.ref[1] || strspn(ev.ref + 1, "0123456789") != strlen(ev.ref + 1)))
		return usage_error(c, "--penalty: a proposal is P1, P2...: %s", ev.ref);
	if (ev.ref)
		snprintf(subject, sizeof(subject), "penalty %s", ev.ref);
	return run_event(c, argv[1], &ev, at, ev.ref ? subject : ev.text);
}
