/*
 * reopen.c - complaint reopen: reopen a resolved or closed case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_reopen(int argc, char **argv, struct ctx *c)
{
	return event_one(c, argc, argv, EV_REOPEN, "complaint reopen ID --reason TEXT [--at TIME] [-q]",
			 "reason", N_("why it is reopened"));
}
