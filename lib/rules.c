/*
 * rules.c - what a case file may hold, checked before anything is
 * written, whoever writes it (the commands, intake, cp_lifecycle_apply):
 * the reader (case_read.c) refuses the rest, so these are its limits.
 */
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/money.h"
#include "yaml_subset.h"
#include "complaint/input.h"
#include "complaint/i18n.h"

_Static_assert(CP_TEXT_MAX == CP_YAML_MAX_SCALAR, "a text is one scalar");

int cp_text_check(const char *s, const char *what)
{
	int r;

	if (!s)
		return 0;
	if ((r = cp_yaml_text_check(s, strlen(s), what)) < 0)
		return r;
	if (strlen(s) > CP_TEXT_MAX)
		return cp_error(CP_EUSAGE, _("%s is too long (%zu bytes, limit %d)"), what,
				strlen(s), CP_TEXT_MAX);
	return 0;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int need_text(const char *s, const char *what, const char *action)
{
	if (blank(s))
		return cp_error(CP_EUSAGE, _("%s needs %s"), action, what);
	return 0;
}

int cp_event_check(const struct cp_event *ev)
{
	static const struct {
		const char *what;
		size_t off;
	} texts[] = {
		{ N_("the text"), offsetof(struct cp_event, text) },
		{ N_("the reason"), offsetof(struct cp_event, reason) },
		{ N_("the cause"), offsetof(struct cp_event, cause) },
		{ N_("the measure"), offsetof(struct cp_event, measure) },
		{ N_("the department"), offsetof(struct cp_event, department) },
		{ N_("the responsible person"), offsetof(struct cp_event, responsible) },
		{ N_("the person"), offsetof(struct cp_event, person) },
		{ N_("the level"), offsetof(struct cp_event, severity) },
		{ N_("the head"), offsetof(struct cp_event, head) },
		{ N_("the leader"), offsetof(struct cp_event, leader) },
		{ N_("the role"), offsetof(struct cp_event, role) },
		{ N_("the actor"), offsetof(struct cp_event, by) },
		{ N_("the template"), offsetof(struct cp_event, template) },
		{ N_("the field"), offsetof(struct cp_event, field) },
		{ N_("the old value"), offsetof(struct cp_event, old) },
		{ N_("the value"), offsetof(struct cp_event, value) },
		{ N_("the owner"), offsetof(struct cp_event, owner) },
		{ N_("the due date"), offsetof(struct cp_event, due) },
		{ N_("the reference"), offsetof(struct cp_event, ref) },
	};
	size_t i;
	int r;

	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if ((r = cp_text_check(*(char *const *)((const char *)ev + texts[i].off),
				       _(texts[i].what))) < 0)
			return r;
	if (ev->compensation != CP_MONEY_NONE &&
	    (ev->compensation < 0 || ev->compensation > CP_MONEY_MAX))
		return cp_error(CP_EUSAGE, _("the compensation is out of range (0 to %lld.%02lld)"),
				(long long)(CP_MONEY_MAX / 100), (long long)(CP_MONEY_MAX % 100));
	if (ev->points != CP_NONE && (ev->points < CP_POINTS_MIN || ev->points > CP_POINTS_MAX))
		return cp_error(CP_EUSAGE, _("points must be a whole number from %d to %d"),
				CP_POINTS_MIN, CP_POINTS_MAX);
	switch (ev->action) {
	case EV_ASSIGN:
		return need_text(ev->department, cp_input_name(CP_INPUT_DEPARTMENT), "assign");
	case EV_PLAN:
		return need_text(ev->text, cp_input_name(CP_INPUT_TEXT), "plan");
	case EV_RESOLVE:
		return need_text(ev->text, cp_input_name(CP_INPUT_TEXT), "resolve");
	case EV_CALLBACK:
		if (ev->satisfied < 0)
			return cp_error(CP_EUSAGE, _("callback needs %s or %s"), cp_input_name(CP_INPUT_SATISFIED),
					cp_input_name(CP_INPUT_UNSATISFIED));
		return 0;
	case EV_REOPEN:
		return need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "reopen");
	case EV_NOTE:
		return need_text(ev->text, "a text", "note");
	case EV_RECLASSIFY:
		if ((r = need_text(ev->severity, "a level", "reclassify")) < 0)
			return r;
		return need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "reclassify");
	case EV_PENALIZE:
		if ((r = need_text(ev->person, "a person", "penalize")) < 0)
			return r;
		if (ev->points == CP_NONE)
			return cp_error(CP_EUSAGE, _("points must be a whole number from %d to %d"),
					CP_POINTS_MIN, CP_POINTS_MAX);
		return need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "penalize");
	case EV_LETTER:
		return need_text(ev->template, "a template", "letter");
	case EV_SET:
		if ((r = need_text(ev->field, cp_input_name(CP_INPUT_FIELD), "set")) < 0 ||
		    (blank(ev->value) &&
		     (r = cp_error(CP_EUSAGE, _("set needs a value (%s)"),
				   cp_input_name(CP_INPUT_FIELD))) < 0))
			return r;
		return need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "set");
	case EV_ANALYZE:
		return need_text(ev->text, cp_input_name(CP_INPUT_TEXT), "analyze");
	case EV_MEASURE:
		if ((r = need_text(ev->text, cp_input_name(CP_INPUT_TEXT), "measure")) < 0 ||
		    (r = need_text(ev->owner, cp_input_name(CP_INPUT_OWNER), "measure")) < 0)
			return r;
		return need_text(ev->due, cp_input_name(CP_INPUT_DUE), "measure");
	case EV_MEASURE_DONE:
		if (blank(ev->ref))
			return cp_error(CP_EUSAGE, _("measure %s needs a measure (M1, M2...)"),
					cp_input_name(CP_INPUT_DONE));
		if (blank(ev->text))
			return cp_error(CP_EUSAGE, _("measure %s needs %s"), cp_input_name(CP_INPUT_DONE),
					cp_input_name(CP_INPUT_TEXT));
		return 0;
	case EV_HOLD:
		return need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "hold");
	default:
		return 0;
	}
}
