/*
 * notify.c - complaint notify: the department head was told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_notify(int argc, char **argv, struct ctx *c)
{
	return event_party(c, argc, argv, EV_NOTIFY, "complaint notify ID [--party NAME] [--text TEXT] [--at TIME] [-q]");
}
