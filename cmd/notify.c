/*
 * notify.c - complaint notify: the department head was told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_notify(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_NOTIFY, "complaint notify ID [--text TEXT] [--at TIME] [-q]");
}
