/*
 * set.c - complaint set: change fields of the policy's form, one `set`
 * event per field, one commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/intake.h"
#include "shared/event.h"
#include "complaint/i18n.h"

int cmd_set(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint set ID --field ID=VALUE... --reason TEXT [--at TIME] [-q]", NULL };
	const char *args[CP_MAX_FIELDS], *ids[CP_MAX_FIELDS], *vals[CP_MAX_FIELDS];
	char *store[CP_MAX_FIELDS] = { NULL };
	struct cp_event ev[CP_MAX_FIELDS];
	const char *at = NULL, *reason = NULL;
	size_t n = 0, i, j;
	struct opt opts[] = {
		OPT_LISTC_("field", "ID=VALUE", "the field and its new value (repeatable)", args, &n, CP_MAX_FIELDS, "fields"),
		OPT_STR_("reason", "TEXT", "why it changes", &reason),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (!n)
		return usage_error(c, _("--field ID=VALUE is required"));
	if ((code = split_fields(c, args, n, ids, vals, store)))
		goto out;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(ids[i], ids[j])) {
				code = usage_error(c, _("--field %s is given twice"), ids[i]);
				goto out;
			}
	for (i = 0; i < n; i++) {
		ev[i] = blank_event(EV_SET);
		ev[i].field = (char *)ids[i];
		ev[i].value = (char *)vals[i];
		ev[i].reason = (char *)reason;
	}
	code = run_events(c, argv[1], ev, n, at, reason);
out:
	for (i = 0; i < n; i++)
		free(store[i]);
	return code;
}
