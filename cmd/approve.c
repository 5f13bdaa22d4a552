/*
 * approve.c - complaint approve: the actor approves the plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_approve(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_APPROVE, "complaint approve ID [--text TEXT] [--at TIME] [-q]");
}
