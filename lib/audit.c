/*
 * audit.c - `audit: {signatures, clock_tolerance, max_backdate}` in the
 * policy, and the checks it asks of a write (SPEC section 12).
 */
#include <stdio.h>
#include <string.h>

#include "complaint/audit.h"
#include "complaint/error.h"
#include "audit.h"
#include "complaint/input.h"
#include "complaint/i18n.h"

static const char *const modes[] = { "off", "optional", "required" };

const char *cp_sig_mode_name(enum cp_sig_mode m)
{
	return modes[m];
}

/* Nm, Nh or Nd (working days make no sense for a clock) into seconds. */
static int span(const struct cp_ydoc *doc, const struct cp_ynode *n, const char *what, int64_t *out)
{
	struct cp_duration d;

	if (n->type != CP_Y_SCALAR || cp_duration_parse(&d, n->str) < 0 || d.unit == CP_WORKDAYS)
		return cp_yerr(doc, n, _("audit.%s must be a span of time: Nm, Nh or Nd (as 10m, 2h, 7d)"),
			    what);
	switch (d.unit) {
	case CP_MINUTES: *out = (int64_t)d.n * 60; break;
	case CP_HOURS: *out = (int64_t)d.n * 3600; break;
	default: *out = (int64_t)d.n * 86400; break;
	}
	return 0;
}

int cp_audit_load(struct cp_audit *a, const struct cp_ydoc *doc, const struct cp_ynode *n)
{
	static const char *const keys[] = { "signatures", "clock_tolerance", "max_backdate", NULL };
	const struct cp_ynode *v;
	size_t i;
	int r;

	a->signatures = CP_SIG_OFF;
	a->clock_tolerance = 600;
	a->max_backdate = CP_NONE;
	if (!n)
		return 0;
	if ((r = cp_ymap_check_keys(doc, n, "audit", keys)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "signatures"))) {
		/* a plain off is a boolean to YAML 1.1 readers: read the text */
		for (i = 0; v->type == CP_Y_SCALAR && i < 3; i++)
			if (!strcmp(v->str, modes[i]))
				break;
		if (v->type != CP_Y_SCALAR || i == 3)
			return cp_yerr(doc, v, _("audit.signatures must be off, optional or required"));
		a->signatures = (enum cp_sig_mode)i;
	}
	if ((v = cp_ymap_get(n, "clock_tolerance")) &&
	    (r = span(doc, v, "clock_tolerance", &a->clock_tolerance)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "max_backdate")) &&
	    (r = span(doc, v, "max_backdate", &a->max_backdate)) < 0)
		return r;
	return 0;
}

void cp_audit_span(char out[CP_TIME_BUF], int64_t s)
{
	if (s % 86400 == 0 && s)
		snprintf(out, CP_TIME_BUF, "%lldd", (long long)(s / 86400));
	else if (s % 3600 == 0 && s)
		snprintf(out, CP_TIME_BUF, "%lldh", (long long)(s / 3600));
	else
		snprintf(out, CP_TIME_BUF, "%lldm", (long long)(s / 60));
}

int cp_audit_check_now(const struct cp_policy *p, cp_time now, cp_time clock)
{
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF], tol[CP_TIME_BUF];
	int64_t d = now > clock ? now - clock : clock - now;

	if (p->audit.signatures != CP_SIG_REQUIRED || d <= p->audit.clock_tolerance)
		return 0;
	cp_time_fmt(t1, p->tz, now);
	cp_time_fmt(t2, p->tz, clock);
	cp_audit_span(tol, p->audit.clock_tolerance);
	return cp_error(CP_ERULE,
			_("%s %s is more than %s from the clock (%s), and the policy requires signed, timely writes (audit: clock_tolerance %s)"),
			cp_input_name(CP_INPUT_NOW), t1, tol, t2, tol);
}

int cp_audit_check_at(const struct cp_policy *p, cp_time at, cp_time now, const char *opt)
{
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF], b[CP_TIME_BUF];

	if (p->audit.signatures != CP_SIG_REQUIRED || p->audit.max_backdate == CP_NONE ||
	    at >= now - p->audit.max_backdate)
		return 0;
	cp_time_fmt(t1, p->tz, at);
	cp_time_fmt(t2, p->tz, now);
	cp_audit_span(b, p->audit.max_backdate);
	return cp_error(CP_ERULE, _("%s %s is more than %s before now (%s); the policy allows no earlier time (audit: max_backdate %s)"),
			opt, t1, b, t2, b);
}
