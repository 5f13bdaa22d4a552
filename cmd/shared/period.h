/* period.h - shared by score and report. */
#ifndef COMPLAINT_CMD_PERIOD_H
#define COMPLAINT_CMD_PERIOD_H

#include "../cmd.h"

/* Open the store; with as_of, read it as it was then.  *now: the judging instant. */
int period_open(struct ctx *c, const char *as_of, cp_time *now);
/* Write out to file (atomically) or, without one, to stdout. */
int period_output(struct ctx *c, const char *file, struct cp_sbuf *out);

#endif
