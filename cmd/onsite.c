/*
 * onsite.c - complaint onsite: the head met the customer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_onsite(int argc, char **argv, struct ctx *c)
{
	return event_party(c, argc, argv, EV_ONSITE, "complaint onsite ID [--party NAME] [--text TEXT] [--at TIME] [-q]");
}
