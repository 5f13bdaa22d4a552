/*
 * close.c - complaint close: close a resolved case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_close(int argc, char **argv, struct ctx *c)
{
	return event_simple(c, argc, argv, EV_CLOSE, "complaint close ID [--text TEXT] [--at TIME] [-q]");
}
