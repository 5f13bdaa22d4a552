/*
 * assign.c - complaint assign: route a case to a department.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

#define MAX_NAMES 32

/* Several values of one option as a name list (complaint/case.h: joined by '\n'). */
static char *join(const char *const *v, size_t n)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i;

	if (!n)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i)
			cp_sbuf_addch(&sb, '\n');
		cp_sbuf_adds(&sb, v[i]);
	}
	return cp_sbuf_detach(&sb, NULL);
}

int cmd_assign(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint assign ID --department D [--with D2]... [--responsible P]... [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_ASSIGN);
	const char *at = NULL, *resp[MAX_NAMES], *with[MAX_NAMES];
	size_t nresp = 0, nwith = 0, i;
	struct opt opts[] = {
		OPT_STRC_("department", "D", "the lead department (from org.yaml)", &ev.department, "departments"),
		OPT_LISTC_("with", "D2", "a department that handles it jointly (repeatable)", with, &nwith, MAX_NAMES, "departments"),
		OPT_LISTC_("responsible", "P", "a person responsible (repeatable)", resp, &nresp, MAX_NAMES, "people"),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);
	char subject[512];

	if (code || done)
		return code;
	if (!ev.department)
		return usage_error(c, _("--department is required"));
	for (i = 0; i < nresp; i++)
		if (strchr(resp[i], '\n'))
			return usage_error(c, _("--responsible: a name on one line"));
	for (i = 0; i < nwith; i++)
		if (strchr(with[i], '\n'))
			return usage_error(c, _("--with: a name on one line"));
	ev.responsible = join(resp, nresp);
	ev.with = join(with, nwith);
	snprintf(subject, sizeof(subject), "to %s", ev.department);
	code = run_event(c, argv[1], &ev, at, subject);
	free(ev.responsible);
	free(ev.with);
	return code;
}
