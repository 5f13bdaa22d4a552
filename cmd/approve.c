/*
 * approve.c - complaint approve: the actor approves the plan, a penalty
 * proposal (--penalty P1), or signs off a measure (--measure M1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

/* P1, M2...: the letter, then digits, no leading zero */
static bool numbered(const char *ref, char letter)
{
	return ref[0] == letter && ref[1] >= '1' && ref[1] <= '9' &&
	       strspn(ref + 1, "0123456789") == strlen(ref + 1);
}

int cmd_approve(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint approve ID [--penalty P1 | --measure M1] [--text TEXT] [--at TIME] [-q]",
		NULL };
	struct cp_event ev = blank_event(EV_APPROVE);
	const char *at = NULL, *penalty = NULL, *measure = NULL;
	struct opt opts[] = {
		OPT_STR_("penalty", "P1", "approve this penalty proposal instead of the plan", &penalty),
		OPT_STR_("measure", "M1", "sign off this measure instead of the plan", &measure),
		OPT_STR_("text", "TEXT", "a remark", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);
	char subject[512];

	if (code || done)
		return code;
	if (penalty && measure)
		return usage_error(c, _("--penalty and --measure cannot be used together"));
	if (penalty && !numbered(penalty, 'P'))
		return usage_error(c, _("--penalty: a proposal is P1, P2...: %s"), penalty);
	if (measure && !numbered(measure, 'M'))
		return usage_error(c, _("--measure: a measure is M1, M2...: %s"), measure);
	ev.ref = (char *)(penalty ? penalty : measure);
	if (ev.ref)
		snprintf(subject, sizeof(subject), "%s %s", penalty ? "penalty" : "measure", ev.ref);
	return run_event(c, argv[1], &ev, at, ev.ref ? subject : ev.text);
}
