/*
 * plan.c - complaint plan: record a solution plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_plan(int argc, char **argv, struct ctx *c)
{
	return event_one(c, argc, argv, EV_PLAN, "complaint plan ID --text TEXT [--at TIME] [-q]",
			 "text", N_("the solution plan"));
}
