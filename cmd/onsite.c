/*
 * onsite.c - complaint onsite: the head met the customer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_onsite(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_ONSITE, "complaint onsite ID [--text TEXT] [--at TIME] [-q]");
}
