/*
 * analyze.c - complaint analyze: the after-event analysis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_analyze(int argc, char **argv, struct ctx *c)
{
	return event_one(c, argc, argv, EV_ANALYZE, "complaint analyze ID --text TEXT [--at TIME] [-q]",
			 "text", N_("the analysis: causes found, what to change"));
}
