/*
 * assign.c - complaint assign: route a case to a department.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_assign(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint assign ID --department D [--responsible P] [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_ASSIGN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STRC_("department", "D", "the department (from org.yaml)", &ev.department, "departments"),
		OPT_STRC_("responsible", "P", "the person responsible", &ev.responsible, "people"),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);
	char subject[512];

	if (code || done)
		return code;
	snprintf(subject, sizeof(subject), "to %s", ev.department ? ev.department : "");
	return run_event(c, argv[1], &ev, at, subject);
}
