/*
 * note.c - complaint note: add a note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/event.h"

int cmd_note(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint note ID TEXT [--at TIME] [-q]", NULL };
	struct cp_event ev = blank_event(EV_NOTE);
	const char *at = NULL;
	struct opt opts[] = { EVENT_OPTS, OPT_END_ };
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 2, &done);

	if (code || done)
		return code;
	ev.text = argv[2];
	return run_event(c, argv[1], &ev, at, ev.text);
}
