/*
 * event.c - the shared body of the commands that record one event
 * (assign.c ... penalize.c): load the case, apply the action, write,
 * commit, report.
 */
#include <stdlib.h>
#include <string.h>

#include "../cmd.h"
#include "complaint/intake.h"
#include "complaint/lifecycle.h"
#include "event.h"
#include "complaint/i18n.h"

/*
 * The confirmation line: what was recorded, on which case, in which
 * commit.  Each is one whole sentence with placeholders (a translator
 * sees the sentence, never pieces glued together); the commit's short id
 * in brackets follows.  The man page of each command quotes its line.
 */
static void confirm(const struct cp_event *ev, const char *id, const char *commit)
{
	struct cp_sbuf line = CP_SBUF_INIT, safe = CP_SBUF_INIT;

	switch (ev->action) {
	case EV_ASSIGN: {
		struct cp_sbuf dept = CP_SBUF_INIT, resp = CP_SBUF_INIT;

		cp_sbuf_adds(&dept, ev->department);
		if (ev->with) {
			cp_sbuf_adds(&dept, " with ");
			cp_names_join(&dept, ev->with, ", ");
		}
		if (ev->responsible) {
			cp_names_join(&resp, ev->responsible, ", ");
			cp_sbuf_addf(&line, _("assigned %s to %s, %s responsible"), id, dept.buf, resp.buf);
		} else {
			cp_sbuf_addf(&line, _("assigned %s to %s"), id, dept.buf);
		}
		cp_sbuf_release(&dept);
		cp_sbuf_release(&resp);
		break;
	}
	case EV_NOTIFY:
		if (ev->party)
			cp_sbuf_addf(&line, _("notified %s of %s"), ev->party, id);
		else
			cp_sbuf_addf(&line, _("notified the department head of %s"), id);
		break;
	case EV_ONSITE:
		if (ev->party)
			cp_sbuf_addf(&line, _("recorded the on-site meeting for %s by %s"), id, ev->party);
		else
			cp_sbuf_addf(&line, _("recorded the on-site meeting for %s"), id);
		break;
	case EV_PLAN:
		cp_sbuf_addf(&line, _("recorded the plan for %s"), id);
		break;
	case EV_APPROVE:
		if (ev->ref && ev->ref[0] == 'M')
			cp_sbuf_addf(&line, _("signed off measure %s of %s as %s"), ev->ref, id,
				  ev->role ? ev->role : "?");
		else if (ev->ref)
			cp_sbuf_addf(&line, _("approved penalty proposal %s on %s as %s"), ev->ref, id,
				  ev->role ? ev->role : "?");
		else
			cp_sbuf_addf(&line, _("approved the plan for %s"), id);
		break;
	case EV_WITHDRAW:
		cp_sbuf_addf(&line, _("withdrew penalty proposal %s on %s"), ev->ref, id);
		break;
	case EV_RESOLVE:
		cp_sbuf_addf(&line, _("resolved %s"), id);
		break;
	case EV_CALLBACK:
		if (ev->satisfied)
			cp_sbuf_addf(&line, _("recorded the callback for %s: the customer is satisfied"), id);
		else
			cp_sbuf_addf(&line, _("recorded the callback for %s: the customer is not satisfied"), id);
		break;
	case EV_CLOSE:
		cp_sbuf_addf(&line, _("closed %s"), id);
		break;
	case EV_REOPEN:
		cp_sbuf_addf(&line, _("reopened %s"), id);
		break;
	case EV_NOTE:
		cp_sbuf_addf(&line, _("added a note to %s"), id);
		break;
	case EV_LETTER:
		cp_sbuf_addf(&line, _("recorded that the letter %s went out for %s"), ev->template, id);
		break;
	case EV_RECLASSIFY:
		cp_sbuf_addf(&line, _("reclassified %s as %s"), id, ev->severity);
		break;
	case EV_SET:
		cp_sbuf_addf(&line, _("set %s of %s to %s"), ev->field, id, ev->value);
		break;
	case EV_ANALYZE:
		cp_sbuf_addf(&line, _("recorded the analysis of %s"), id);
		break;
	case EV_MEASURE:
		cp_sbuf_addf(&line, _("added measure %s to %s, %s due %s"), ev->ref, id, ev->owner,
			  ev->due);
		break;
	case EV_MEASURE_DONE:
		cp_sbuf_addf(&line, _("recorded measure %s of %s done"), ev->ref, id);
		break;
	case EV_HOLD:
		cp_sbuf_addf(&line, _("put %s on hold"), id);
		break;
	case EV_RESUME:
		cp_sbuf_addf(&line, _("resumed %s"), id);
		break;
	case EV_PENALIZE:
		if (ev->ref)
			cp_sbuf_addf(&line, _("proposed %ld penalty points for %s on %s as %s (it counts once approved)"),
				  ev->points, ev->person, id, ev->ref);
		else if (ev->points == 1)
			cp_sbuf_addf(&line, _("recorded 1 penalty point for %s on %s"), ev->person, id);
		else
			cp_sbuf_addf(&line, _("recorded %ld penalty points for %s on %s"), ev->points,
				  ev->person, id);
		break;
	default:
		cp_sbuf_addf(&line, _("recorded %s on %s"), cp_evt_name(ev->action), id);
		break;
	}
	out_safe(&safe, line.buf);
	printf("%s [%.7s]\n", safe.buf, commit);
	cp_sbuf_release(&line);
	cp_sbuf_release(&safe);
}

/*
 * SPEC section 9: close still closes a case with a missed or pending
 * deadline, but says so (the department will be charged for it, or a
 * deadline will never be met).
 */
static void warn_open_deadlines(const struct cp_case *cs, const struct cp_tz *z, cp_time now)
{
	struct cp_sbuf t = CP_SBUF_INIT;
	size_t i;

	for (i = 0; i < cs->d.ninst; i++) {
		const struct cp_deadline *d = &cs->d.inst[i];
		enum cp_dl_state st = cp_case_deadline_state(cs, d, now);

		if (st == DL_MET || d->event == EV_CLOSE || d->event == EV_ANALYZE)
			continue;
		cp_sbuf_reset(&t);
		out_time(&t, z, d->at);
		if (st == DL_MISSED)
			warning(_("%s: closed with the %s deadline of %s missed"), cs->id,
			     cp_dl_name(d->event), t.buf);
		else
			warning(_("%s: closed with the %s deadline of %s still pending (it will be missed)"),
			     cs->id, cp_dl_name(d->event), t.buf);
	}
	cp_sbuf_release(&t);
}

int run_event(struct ctx *c, const char *id, struct cp_event *ev,
	      const char *at, const char *subject)
{
	return run_events(c, id, ev, 1, at, subject);
}

int run_events(struct ctx *c, const char *id, struct cp_event *evs, size_t nev,
	       const char *at, const char *subject)
{
	struct cp_event *ev = evs;
	size_t k;
	struct cp_sbuf path = CP_SBUF_INIT;
	struct cp_case *cs = NULL;
	const struct cp_policy *p;
	struct cp_commit_info ci;
	char commit[41] = "";
	int code, year;

	/* the ID and the event's own fields first: a usage error before the store is opened */
	if (cp_id_check(id) < 0)
		return lib_error("%s", c->cmdname);
	for (k = 0; k < nev; k++)
		if (cp_event_check(&evs[k]) < 0)
			return lib_error("%s %s", c->cmdname, id);
	if ((code = ctx_open(c)))
		return code;
	p = cp_store_policy(c->store);
	evs[0].at = c->now;
	if (at && (code = ctx_time(c, "--at", at, &evs[0].at)))
		return code;
	if (cp_store_load_case(&cs, &path, c->store, id) < 0) {
		code = lib_error("%s %s", c->cmdname, id);
		goto out;
	}
	/* several events (a set of several fields): one commit, all or none */
	for (k = 0; k < nev; k++) {
		ev = &evs[k];
		ev->at = evs[0].at;
		ev->by = c->actor;
		if (cp_lifecycle_apply(cs, p, cp_store_org(c->store), ev, c->now) < 0) {
			code = lib_error("%s %s", c->cmdname, id);
			goto out;
		}
	}
	memset(&ci, 0, sizeof(ci));
	ci.action = c->cmdname;
	ci.summary = subject;
	ci.actor = c->actor;
	ci.email = c->email;
	ci.now = c->now;
	ci.commit_out = commit;
	if (cp_store_save_case(c->store, cs, path.buf, &ci) < 0) {
		code = lib_error("%s %s", c->cmdname, id);
		goto out;
	}
	if (ev->action == EV_RECLASSIFY && (year = cp_case_uncovered_year(cs, p)))
		warning(_("%s: the policy's calendar does not cover %d; deadlines there count weekdays only"),
		     cs->id, year);
	if (ev->action == EV_CLOSE)
		warn_open_deadlines(cs, ctx_tz(c), c->now);
	/* the event as recorded (names in their normal form) is the last */
	if (!c->quiet)
		confirm(&cs->events[cs->nevents - 1], cs->id, commit);
out:
	for (k = 0; k < nev; k++)
		evs[k].by = NULL;
	cp_case_free(cs);
	cp_sbuf_release(&path);
	return code;
}

struct cp_event blank_event(enum cp_evt a)
{
	struct cp_event e;

	memset(&e, 0, sizeof(e));
	e.action = a;
	e.compensation = CP_MONEY_NONE;
	e.points = CP_NONE;
	e.satisfied = -1;
	return e;
}

/* Parse options, require exactly `need` positional arguments. */
int event_parse(struct ctx *c, int argc, char **argv, const struct opt *opts,
		const char *const *usage, int need, bool *done)
{
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, done)) || *done)
		return code;
	if (nargs != need)
		return usage_error(c, Q_("expects %d argument (see 'complaint %s --help'): %s",
					 "expects %d arguments (see 'complaint %s --help'): %s",
					 (unsigned long)need), need, c->cmdname, usage[0]);
	return 0;
}

int event_one(struct ctx *c, int argc, char **argv, enum cp_evt a, const char *usage0,
	      const char *opt, const char *help)
{
	const char *usage[] = { usage0, NULL };
	struct cp_event ev = blank_event(a);
	char **field = !strcmp(opt, "reason") ? &ev.reason : &ev.text;
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_(opt, "TEXT", help, field),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, *field);
}

int event_simple(struct ctx *c, int argc, char **argv, enum cp_evt a,
		 const char *usage0)
{
	return event_one(c, argc, argv, a, usage0, "text", N_("a remark"));
}

int event_party(struct ctx *c, int argc, char **argv, enum cp_evt a,
		const char *usage0)
{
	const char *usage[] = { usage0, NULL };
	struct cp_event ev = blank_event(a);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STRC_("party", "NAME", "who: a department, or the intake department (default: the lead department)", &ev.party, "departments"),
		OPT_STR_("text", "TEXT", "a remark", &ev.text),
		EVENT_OPTS, OPT_END_
	};
	bool done;
	int code = event_parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.text);
}
