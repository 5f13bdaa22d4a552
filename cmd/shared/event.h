/* event.h - helpers shared by the commands that record one event. */
#ifndef COMPLAINT_CMD_EVENT_H
#define COMPLAINT_CMD_EVENT_H

#include "../cmd.h"

#define AT_OPT OPT_STR_("at", "TIME", "when it happened (default: now; 14:00, 'yesterday 14:00', -15m, ISO 8601)", &at)
#define QUIET_OPT OPT_BOOLS_('q', "quiet", "print no confirmation line", &c->quiet)
/* the options every event command ends with */
#define EVENT_OPTS AT_OPT, QUIET_OPT

/* An event with every optional field absent. */
struct cp_event blank_event(enum cp_evt a);
/* Parse options; exactly `need` positional arguments.  Exit code or 0. */
int event_parse(struct ctx *c, int argc, char **argv, const struct opt *opts,
		const char *const *usage, int need, bool *done);
/*
 * ID --OPT TEXT [--at TIME]: one text option, opt "text" or "reason"
 * (help marked N_()), recorded and used as the commit's subject: plan,
 * analyze, reopen, hold.
 */
int event_one(struct ctx *c, int argc, char **argv, enum cp_evt a, const char *usage0,
	      const char *opt, const char *help);
/* ID [--text TEXT] [--at TIME]: close, resume. */
int event_simple(struct ctx *c, int argc, char **argv, enum cp_evt a,
		 const char *usage0);

/* The same with --party NAME: notify, onsite (joint handling, SPEC section 10). */
int event_party(struct ctx *c, int argc, char **argv, enum cp_evt a,
		const char *usage0);

#endif
