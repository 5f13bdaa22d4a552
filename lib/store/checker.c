/*
 * checker.c - how a finding of check is told: counted by level and
 * handed to the caller's callback.
 */
#include <stdarg.h>
#include <stdio.h>

#include "checker.h"

static void say(struct cp_checker *k, enum cp_check_level lvl, enum cp_hint hint,
		const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (lvl == CP_CHECK_PROBLEM)
		k->st->problems++;
	else if (lvl == CP_CHECK_WARNING)
		k->st->warnings++;
	else
		k->st->repaired++;
	k->cb(lvl, buf, hint, k->data);
}

void cp_check_say(struct cp_checker *k, enum cp_check_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(k, lvl, CP_HINT_NONE, fmt, ap);
	va_end(ap);
}

void cp_check_say_hint(struct cp_checker *k, enum cp_check_level lvl, enum cp_hint hint,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(k, lvl, hint, fmt, ap);
	va_end(ap);
}
