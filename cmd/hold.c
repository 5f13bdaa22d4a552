/*
 * hold.c - complaint hold and resume: waiting for the customer stops
 * every pending deadline; resume starts them again, moved by the time
 * held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_hold(int argc, char **argv, struct ctx *c)
{
	return event_one(c, argc, argv, EV_HOLD, "complaint hold ID --reason TEXT [--at TIME] [-q]",
			 "reason", N_("what the case waits for"));
}

int cmd_resume(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_RESUME, "complaint resume ID [--text TEXT] [--at TIME] [-q]");
}
