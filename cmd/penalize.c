/*
 * penalize.c - complaint penalize: a discretionary penalty, or a
 * proposal of one where the level needs approvals; --withdraw P1
 * withdraws a proposal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/number.h"
#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_penalize(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint penalize ID PERSON POINTS --reason TEXT [--at TIME] [-q]",
		"complaint penalize ID --withdraw P1 --reason TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_PENALIZE);
	const char *at = NULL, *withdraw = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why", &ev.reason),
		OPT_STR_("withdraw", "P1", "withdraw this penalty proposal", &withdraw),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int nargs, code = opt_parse(argc, argv, opts, usage, &nargs, &done);
	char subject[512];
	int64_t points;

	if (code || done)
		return code;
	if (nargs != (withdraw ? 1 : 3))
		return usage_error(c, _("expects %s (see 'complaint penalize --help')"),
				   withdraw ? "ID with --withdraw" : "ID PERSON POINTS");
	if (!ev.reason)
		return usage_error(c, _("--reason is required"));
	if (withdraw) {
		if (withdraw[0] != 'P' || !withdraw[1] ||
		    strspn(withdraw + 1, "0123456789") != strlen(withdraw + 1))
			return usage_error(c, _("--withdraw: a proposal is P1, P2...: %s"), withdraw);
		ev.action = EV_WITHDRAW;
		ev.ref = (char *)withdraw;
		snprintf(subject, sizeof(subject), "withdraw %s", withdraw);
		return run_event(c, argv[1], &ev, at, subject);
	}
	if (cp_parse_int(&points, argv[3], strlen(argv[3]), 1, 1000000) < 0)
		return usage_error(c, _("POINTS must be a whole number from 1 to 1000000: %s"),
				   cp_errmsg());
	ev.points = (long)points;
	ev.person = argv[2];
	snprintf(subject, sizeof(subject), "%s %ld points", argv[2], ev.points);
	return run_event(c, argv[1], &ev, at, subject);
}
