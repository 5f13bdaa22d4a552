/*
 * input.c - the words messages use for the values of a request (input.h).
 */
#include <stddef.h>

#include "complaint/input.h"

static const char *const own[CP_INPUT_COUNT] = {
	[CP_INPUT_CUSTOMER] = "customer",
	[CP_INPUT_CHANNEL] = "channel",
	[CP_INPUT_CATEGORY] = "category",
	[CP_INPUT_SUMMARY] = "summary",
	[CP_INPUT_CONTACT] = "contact",
	[CP_INPUT_DESCRIPTION] = "description",
	[CP_INPUT_KIND] = "kind",
	[CP_INPUT_SCOPE] = "scope",
	[CP_INPUT_FLAG] = "flag",
	[CP_INPUT_REF] = "ref",
	[CP_INPUT_AMOUNT] = "amount",
	[CP_INPUT_RECEIVED] = "received",
	[CP_INPUT_SEVERITY] = "severity",
	[CP_INPUT_REASON] = "reason",
	[CP_INPUT_AT] = "at",
	[CP_INPUT_NOW] = "now",
	[CP_INPUT_WITH] = "with",
	[CP_INPUT_PARTY] = "party",
	[CP_INPUT_DEPARTMENT] = "department",
	[CP_INPUT_RESPONSIBLE] = "responsible",
	[CP_INPUT_TEXT] = "text",
	[CP_INPUT_FIELD] = "field ID=VALUE",
	[CP_INPUT_SATISFIED] = "satisfied",
	[CP_INPUT_UNSATISFIED] = "unsatisfied",
	[CP_INPUT_OWNER] = "owner",
	[CP_INPUT_DUE] = "due",
	[CP_INPUT_DONE] = "done",
	[CP_INPUT_CAUSE] = "cause",
	[CP_INPUT_ACTION] = "action",
	[CP_INPUT_COMPENSATION] = "compensation",
	[CP_INPUT_FORCE] = "force",
};

static const char *(*namer)(enum cp_input f);

void cp_input_namer(const char *(*fn)(enum cp_input f))
{
	namer = fn;
}

const char *cp_input_own_name(enum cp_input f)
{
	return (unsigned)f < CP_INPUT_COUNT ? own[f] : "?";
}

const char *cp_input_name(enum cp_input f)
{
	const char *s;

	if ((unsigned)f >= CP_INPUT_COUNT)
		return "?";
	if (namer && (s = namer(f)) != NULL)
		return s;
	return own[f];
}
