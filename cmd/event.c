/*
 * event.c - the shared body of the commands that record one event:
 * load the case, apply the action, write, commit, report.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/intake.h"
#include "complaint/lifecycle.h"
#include "complaint/yaml.h"

static int check_text(struct ctx *c, const char *id, const char *what,
		      const char *s)
{
	if (s && yaml_text_check(s, strlen(s), what) < 0)
		return report("%s %s", c->cmdname, id);
	if (s && strlen(s) > YAML_MAX_SCALAR) {
		cp_error(CP_EUSAGE, "%s is too long (limit %d bytes)", what, YAML_MAX_SCALAR);
		return report("%s %s", c->cmdname, id);
	}
	return 0;
}

int run_event(struct ctx *c, const char *id, struct cp_event *ev,
	      const char *at, const char *subject)
{
	struct sbuf path = SBUF_INIT, out = SBUF_INIT;
	struct cp_case *cs = NULL;
	const struct cp_policy *p;
	struct cp_commit_info ci;
	int code, year;

	if (!cp_id_valid(id)) {
		cp_error(CP_EUSAGE,
			 "not a valid case ID (letters, digits and '-', 3 to 32 characters)");
		return report("%s %s", c->cmdname, id);
	}
	if ((code = check_text(c, id, "the text", ev->text)) ||
	    (code = check_text(c, id, "the reason", ev->reason)) ||
	    (code = check_text(c, id, "the cause", ev->cause)) ||
	    (code = check_text(c, id, "the measure", ev->measure)) ||
	    (code = check_text(c, id, "the department", ev->department)) ||
	    (code = check_text(c, id, "the responsible person", ev->responsible)) ||
	    (code = check_text(c, id, "the person", ev->person)) ||
	    (code = check_text(c, id, "the level", ev->severity)))
		return code;
	if ((code = ctx_open(c)))
		return code;
	p = cp_store_policy(c->store);
	ev->at = c->now;
	if (at && (code = ctx_time(c, "--at", at, &ev->at)))
		return code;
	ev->by = c->actor;
	if (cp_store_load_case(c->store, id, &cs, &path) < 0) {
		code = report("%s %s", c->cmdname, id);
		goto out;
	}
	if (cp_lifecycle_apply(cs, p, cp_store_org(c->store), ev, c->now) < 0) {
		code = report("%s %s", c->cmdname, id);
		goto out;
	}
	cp_case_format(cs, p, &out);
	memset(&ci, 0, sizeof(ci));
	ci.action = c->cmdname;
	ci.id = cs->id;
	ci.summary = subject && *subject ? subject : cs->summary;
	ci.actor = c->actor;
	ci.email = c->email;
	ci.now = c->now;
	if (cp_store_commit_file(c->store, path.buf, out.buf, out.len, &ci) < 0) {
		code = report("%s %s", c->cmdname, id);
		goto out;
	}
	if (ev->action == EV_RECLASSIFY && (year = cp_case_uncovered_year(cs, p)))
		warn("%s: the policy's calendar does not cover %d; deadlines there count weekdays only",
		     cs->id, year);
out:
	ev->by = NULL;
	cp_case_free(cs);
	sbuf_release(&path);
	sbuf_release(&out);
	return code;
}

static struct cp_event blank_event(enum cp_evt a)
{
	struct cp_event e;

	memset(&e, 0, sizeof(e));
	e.action = a;
	e.compensation = -1;
	e.points = CP_NONE;
	e.satisfied = -1;
	return e;
}

/* Parse options, require exactly `need` positional arguments. */
static int parse(struct ctx *c, int argc, char **argv, const struct opt *opts,
		 const char *const *usage, int need, bool *done)
{
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, done)) || *done)
		return code;
	if (nargs != need)
		return usage_error(c, "expects %d argument%s (see 'complaint %s --help'): %s",
				   need, need == 1 ? "" : "s", c->cmdname, usage[0]);
	return 0;
}

#define AT_OPT OPT_STR_("at", "TIME", "when it happened (default: now)", &at)

int cmd_assign(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint assign ID --department D [--responsible P] [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_ASSIGN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("department", "D", "the department (from org.yaml)", &ev.department),
		OPT_STR_("responsible", "P", "the person responsible", &ev.responsible),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);
	char subject[512];

	if (code || done)
		return code;
	if (!ev.department)
		return usage_error(c, "--department is required");
	snprintf(subject, sizeof(subject), "to %s", ev.department);
	return run_event(c, argv[1], &ev, at, subject);
}

static int simple(struct ctx *c, int argc, char **argv, enum cp_evt a,
		  const char *usage0)
{
	const char *usage[] = { usage0, NULL };
	struct cp_event ev = blank_event(a);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "a remark", &ev.text),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	return run_event(c, argv[1], &ev, at, ev.text);
}

int cmd_notify(int argc, char **argv, struct ctx *c)
{
	return simple(c, argc, argv, EV_NOTIFY, "complaint notify ID [--text TEXT] [--at TIME]");
}

int cmd_onsite(int argc, char **argv, struct ctx *c)
{
	return simple(c, argc, argv, EV_ONSITE, "complaint onsite ID [--text TEXT] [--at TIME]");
}

int cmd_approve(int argc, char **argv, struct ctx *c)
{
	return simple(c, argc, argv, EV_APPROVE, "complaint approve ID [--text TEXT] [--at TIME]");
}

int cmd_close(int argc, char **argv, struct ctx *c)
{
	return simple(c, argc, argv, EV_CLOSE, "complaint close ID [--text TEXT] [--at TIME]");
}

int cmd_plan(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint plan ID --text TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_PLAN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "the solution plan", &ev.text),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (!ev.text)
		return usage_error(c, "--text is required (the plan)");
	return run_event(c, argv[1], &ev, at, ev.text);
}

int cmd_resolve(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint resolve ID --text TEXT [--cause TEXT] [--action TEXT] [--compensation N] [--at TIME]",
		NULL };
	struct cp_event ev = blank_event(EV_RESOLVE);
	const char *at = NULL, *comp = NULL;
	struct opt opts[] = {
		OPT_STR_("text", "TEXT", "how it was handled", &ev.text),
		OPT_STR_("cause", "TEXT", "the cause found", &ev.cause),
		OPT_STR_("action", "TEXT", "the corrective measure taken (recorded as `measure`)", &ev.measure),
		OPT_STR_("compensation", "N", "money paid to the customer", &comp),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (!ev.text)
		return usage_error(c, "--text is required (how it was handled)");
	if (comp && cp_amount_parse(comp, &ev.compensation) < 0)
		return report("resolve %s: --compensation", argv[1]);
	return run_event(c, argv[1], &ev, at, ev.text);
}

int cmd_callback(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint callback ID --satisfied|--unsatisfied [--text TEXT] [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_CALLBACK);
	const char *at = NULL;
	bool sat = false, unsat = false;
	struct opt opts[] = {
		OPT_BOOL_("satisfied", "the customer is satisfied", &sat),
		OPT_BOOL_("unsatisfied", "the customer is not satisfied", &unsat),
		OPT_STR_("text", "TEXT", "what the customer said", &ev.text),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (sat == unsat)
		return usage_error(c, "give exactly one of --satisfied and --unsatisfied");
	ev.satisfied = sat;
	return run_event(c, argv[1], &ev, at, sat ? "satisfied" : "unsatisfied");
}

int cmd_reopen(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint reopen ID --reason TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_REOPEN);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why it is reopened", &ev.reason),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 1, &done);

	if (code || done)
		return code;
	if (!ev.reason)
		return usage_error(c, "--reason is required");
	return run_event(c, argv[1], &ev, at, ev.reason);
}

int cmd_note(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint note ID TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_NOTE);
	const char *at = NULL;
	struct opt opts[] = { AT_OPT, OPT_END_ };
	bool done;
	int code = parse(c, argc, argv, opts, usage, 2, &done);

	if (code || done)
		return code;
	ev.text = argv[2];
	return run_event(c, argv[1], &ev, at, ev.text);
}

int cmd_reclassify(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint reclassify ID LEVEL --reason TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_RECLASSIFY);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why the level changes", &ev.reason),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 2, &done);
	char subject[512];

	if (code || done)
		return code;
	if (!ev.reason)
		return usage_error(c, "--reason is required");
	ev.severity = argv[2];
	snprintf(subject, sizeof(subject), "to %s", argv[2]);
	return run_event(c, argv[1], &ev, at, subject);
}

int cmd_penalize(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint penalize ID PERSON POINTS --reason TEXT [--at TIME]", NULL };
	struct cp_event ev = blank_event(EV_PENALIZE);
	const char *at = NULL;
	struct opt opts[] = {
		OPT_STR_("reason", "TEXT", "why", &ev.reason),
		AT_OPT, OPT_END_
	};
	bool done;
	int code = parse(c, argc, argv, opts, usage, 3, &done);
	char subject[512], *end;

	if (code || done)
		return code;
	ev.points = strtol(argv[3], &end, 10);
	if (*end || end == argv[3] || ev.points < 1 || ev.points > 1000000 ||
	    argv[3][0] == '+' || argv[3][0] == ' ')
		return usage_error(c, "POINTS must be a whole number from 1 to 1000000, not '%s'",
				   argv[3]);
	if (!ev.reason)
		return usage_error(c, "--reason is required");
	ev.person = argv[2];
	snprintf(subject, sizeof(subject), "%s %ld points", argv[2], ev.points);
	return run_event(c, argv[1], &ev, at, subject);
}
