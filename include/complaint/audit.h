/*
 * audit.h - the policy's `audit:` rules for writes (SPEC section 12).
 *
 * With `signatures: required` a write's --now may be at most
 * clock_tolerance from the machine's clock, and a time it records (an
 * event's --at, a case's --received) at most max_backdate before now.
 * Under `off` and `optional` both are allowed, as before.
 */
#ifndef COMPLAINT_AUDIT_H
#define COMPLAINT_AUDIT_H

#include "complaint/policy.h"
#include "complaint/timeutil.h"

/* "off", "optional" or "required". */
const char *cp_sig_mode_name(enum cp_sig_mode m);

/* 0, or -CP_ERULE when now is further than clock_tolerance from clock. */
int cp_audit_check_now(const struct cp_policy *p, cp_time now, cp_time clock);

/*
 * 0, or -CP_ERULE when at lies more than max_backdate before now; opt
 * names the option in the message ("--at", "--received").
 */
int cp_audit_check_at(const struct cp_policy *p, cp_time at, cp_time now, const char *opt);

/* "10m", "2h", "7d": a span of seconds as the policy writes it. */
void cp_audit_span(char out[CP_TIME_BUF], int64_t seconds);

#endif
