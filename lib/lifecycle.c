/*
 * lifecycle.c - the procedure: which action is allowed in which status,
 * who may approve, and what each action needs (SPEC section 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/audit.h"
#include "complaint/error.h"
#include "complaint/lifecycle.h"
#include "complaint/name.h"
#include "life.h"
#include "complaint/input.h"
#include "complaint/i18n.h"
#include "complaint/proposal.h"
#include "complaint/procedure.h"

/* Index of the last event that starts a plan round (plan or reopen). */
static size_t round_start(const struct cp_case *c)
{
	size_t i = c->nevents;

	while (i-- > 0)
		if ((c->events[i].action == EV_PLAN || c->events[i].action == EV_REOPEN ||
		     c->events[i].action == EV_ASSIGN) && !c->events[i].ref &&
		    !cp_event_impossible(c, &c->events[i]))
			return i;
	return 0;
}

void cp_lifecycle_approvals(struct cp_sbuf *out, const struct cp_case *c)
{
	size_t i, start = round_start(c), n = 0;

	if (start < c->nevents && c->events[start].action == EV_PLAN)
		for (i = start + 1; i < c->nevents; i++) {
			const struct cp_event *e = &c->events[i];

			if (e->action != EV_APPROVE || e->ref || cp_event_impossible(c, e))
				continue;
			cp_sbuf_addf(out, "%s%s %s", n++ ? ", " : "",
				  e->role ? e->role : "?", cp_actor_person(e->by));
		}
	if (!n)
		cp_sbuf_adds(out, "none");
}

static const char *status_list(unsigned mask)
{
	static char buf[128];
	int s;

	buf[0] = '\0';
	for (s = 0; s < ST__COUNT; s++)
		if (mask & (1u << s)) {
			if (buf[0])
				strcat(buf, " or ");
			strcat(buf, cp_status_name((enum cp_status)s));
		}
	return buf;
}

#define BIT(s) (1u << (s))

static int need_status(const struct cp_case *c, unsigned allowed,
		       const char *what)
{
	if (allowed & BIT(c->d.status))
		return 0;
	return cp_error(CP_ERULE, _("the case is %s; %s needs it %s"),
			cp_status_name(c->d.status), what, status_list(allowed));
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static const char *role_holder(const struct cp_case *c, enum cp_role role)
{
	switch (role) {
	case ROLE_LEADER: return c->d.leader;
	case ROLE_HEAD: return c->d.head;
	default: return NULL;
	}
}

static int check_approve(const struct cp_case *c, const struct cp_policy *p,
			 const struct cp_org *o, struct cp_event *ev)
{
	const struct cp_level *l = &p->levels[c->d.level];
	enum cp_role next;
	const char *holder;
	struct cp_sbuf so_far = CP_SBUF_INIT;
	int r = 0;

	if (!l->napprovals)
		return cp_error(CP_ERULE, _("level %s needs no approvals"), l->id);
	if (c->d.status == ST_APPROVED)
		return cp_error(CP_ERULE, _("the plan already has every approval level %s needs"),
				l->id);
	if ((r = need_status(c, cp_life_allowed_in(EV_APPROVE), "approve")) < 0)
		return c->d.status == ST_ASSIGNED || c->d.status == ST_NEW
			       ? cp_error_hint(CP_ERULE, CP_HINT_PLAN, _("there is no plan to approve"))
			       : r;
	next = l->approvals[c->d.napproved];
	cp_lifecycle_approvals(&so_far, c);
	if (next == ROLE_DIRECTOR) {
		if (!cp_org_is_director(o, ev->by) &&
		    !cp_org_is_director(o, cp_actor_person(ev->by)))
			r = cp_error(CP_ERULE,
				     _("needs approval by director next (one of the roster's directors); %s is not a director (approved so far: %s)"),
				     ev->by, so_far.buf);
	} else {
		holder = role_holder(c, next);
		if (!holder || !*holder)
			r = cp_error(CP_ERULE,
				     _("needs approval by %s next, but the case has no %s (assign it to a department whose roster entry names one)"),
				     cp_role_name(next), cp_role_name(next));
		else if (!cp_same_person(ev->by, holder))
			r = cp_error(CP_ERULE,
				     _("needs approval by %s %s next; %s cannot give it (approved so far: %s)"),
				     cp_role_name(next), holder, ev->by, so_far.buf);
	}
	cp_sbuf_release(&so_far);
	if (r < 0)
		return r;
	free(ev->role);
	ev->role = cp_xstrdup(cp_role_name(next));
	return 0;
}

static int check_resolve(const struct cp_case *c, const struct cp_policy *p)
{
	const struct cp_level *l = &p->levels[c->d.level];
	struct cp_sbuf so_far = CP_SBUF_INIT;
	int r;

	if (c->d.status == ST_RESOLVED || c->d.status == ST_CLOSED || c->d.status == ST_NEW)
		return need_status(c, cp_life_allowed_in(EV_RESOLVE), "resolve");
	if (l->napprovals) {
		if (c->d.status == ST_APPROVED)
			return 0;
		if (!c->d.planned)
			return cp_error_hint(CP_ERULE, CP_HINT_PLAN_THE,
					_("level %s needs a plan and its approval by %s first"),
					l->id, cp_role_name(l->approvals[0]));
		cp_lifecycle_approvals(&so_far, c);
		r = cp_error(CP_ERULE, _("needs approval by %s (approved so far: %s)"),
			     cp_role_name(l->approvals[c->d.napproved]), so_far.buf);
		cp_sbuf_release(&so_far);
		return r;
	}
	if (l->needs_plan && !c->d.planned)
		return cp_error_hint(CP_ERULE, CP_HINT_PLAN_IT, _("level %s needs a plan first"),
				l->id);
	return 0;
}

static int check_close(const struct cp_case *c, const struct cp_policy *p)
{
	size_t i, last_resolve = 0;
	int r;

	if ((r = need_status(c, cp_life_allowed_in(EV_CLOSE), "close")) < 0)
		return r;
	if (!p->close_requires_callback)
		return 0;
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == EV_RESOLVE && !cp_event_impossible(c, &c->events[i]))
			last_resolve = i;
	for (i = last_resolve; i < c->nevents; i++)
		if (c->events[i].action == EV_CALLBACK && !cp_event_impossible(c, &c->events[i]))
			return 0;
	return cp_error_hint(CP_ERULE, CP_HINT_CALLBACK,
			     _("the policy requires a customer callback before close"));
}

/* A required text of the event (the part-two actions' own). */
static int need_text(const char *s, const char *opt, const char *action)
{
	if (!s || !*s || strspn(s, " \t\r\n") == strlen(s))
		return cp_error(CP_EUSAGE, _("%s needs %s"), action, opt);
	return 0;
}

/* The penalize roles the actor holds (bits 1 << ROLE_...). */
static unsigned roles_held(const struct cp_case *c, const struct cp_policy *p,
			   const struct cp_org *o, const char *actor)
{
	static const enum cp_role all[] = { ROLE_HEAD, ROLE_LEADER, ROLE_DIRECTOR, ROLE_INTAKE };
	unsigned m = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		if (cp_role_held(c, p, o, actor, all[i]))
			m |= 1u << all[i];
	return m;
}

/* SPEC section 9: penalize only by the level's penalize.by. */
static int check_penaliser(const struct cp_case *c, const struct cp_policy *p,
			   const struct cp_org *o, const char *actor, const char *what)
{
	const struct cp_level *l = &p->levels[c->d.level];
	char who[96];

	if (!l->has_penalize || (roles_held(c, p, o, actor) & l->penalize_by))
		return 0;
	cp_policy_roles_text(who, sizeof(who), l->penalize_by);
	return cp_error(CP_ERULE, _("level %s: %s is for the %s (policy penalize.by); %s is not"),
			l->id, what, who, actor);
}

/* The penalty points of person on c that count or may count (not withdrawn). */
static long points_of(const struct cp_case *c, const struct cp_policy *p, const char *person)
{
	struct cp_proposal pr;
	long total = 0;
	size_t i;


	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action != EV_PENALIZE || !e->person || cp_event_impossible(c, e) ||
		    strcmp(e->person, person))
			continue;
		if (e->ref && cp_proposal_find(&pr, c, p, e->ref) == 0 &&
		    pr.withdrawn_at != CP_TIME_NONE)
			continue;
		cp_error_clear();
		total += e->points;
	}
	return total;
}

static int check_penalize(const struct cp_case *c, const struct cp_policy *p,
			  const struct cp_org *o, struct cp_event *ev)
{
	const struct cp_level *l = &p->levels[c->d.level];
	char ref[32];
	long total;
	int r;

	if ((r = need_text(ev->person, _("a person"), "penalize")) < 0)
		return r;
	if (ev->points == CP_NONE || ev->points < 1)
		return cp_error(CP_EUSAGE, _("points must be a whole number of at least 1"));
	if ((r = check_penaliser(c, p, o, ev->by, "penalize")) < 0)
		return r;
	free(ev->ref);
	ev->ref = NULL;
	if (l->npenalize_approvals) {
		cp_proposal_next_ref(ref, sizeof(ref), c);
		ev->ref = cp_xstrdup(ref);
	}
	if (l->penalties.responsible_max == CP_NONE)
		return 0;
	total = ev->points + points_of(c, p, ev->person);
	if (total > l->penalties.responsible_max)
		return cp_error(CP_ERULE,
				_("level %s allows at most %ld points for the responsible person per case; %s would have %ld"),
				l->id, l->penalties.responsible_max, ev->person, total);
	return 0;
}

/* approve --penalty P1: the next role of the level's penalize.approvals. */
static int check_approve_penalty(const struct cp_case *c, const struct cp_policy *p,
				 const struct cp_org *o, struct cp_event *ev)
{
	const struct cp_level *l = &p->levels[c->d.level];
	struct cp_proposal pr;
	enum cp_role next;
	int r;

	if ((r = cp_proposal_find(&pr, c, p, ev->ref)) < 0)
		return r;
	if (pr.withdrawn_at != CP_TIME_NONE)
		return cp_error(CP_ERULE, _("penalty proposal %s was withdrawn"), ev->ref);
	if (!pr.needed)
		return cp_error(CP_ERULE, _("level %s: penalties need no approval"), l->id);
	if (pr.napproved >= pr.needed)
		return cp_error(CP_ERULE, _("penalty proposal %s has every approval already"), ev->ref);
	if (ev->at < pr.pen->at)
		return cp_error(CP_ERULE, _("the approval would come before proposal %s was made"), ev->ref);
	next = l->penalize_approvals[pr.napproved];
	if (!cp_role_held(c, p, o, ev->by, next))
		return cp_error(CP_ERULE, _("penalty proposal %s needs approval by the %s next; %s is not"),
				ev->ref, cp_role_name(next), ev->by);
	free(ev->role);
	ev->role = cp_xstrdup(cp_role_name(next));
	return 0;
}

/* penalize --withdraw P1: a proposal not yet counted. */
static int check_withdraw(const struct cp_case *c, const struct cp_policy *p,
			  const struct cp_org *o, const struct cp_event *ev)
{
	struct cp_proposal pr;
	int r;

	if ((r = need_text(ev->ref, _("a proposal"), "withdraw")) < 0 ||
	    (r = need_text(ev->reason, cp_input_name(CP_INPUT_REASON), "withdraw")) < 0)
		return r;
	if ((r = cp_proposal_find(&pr, c, p, ev->ref)) < 0)
		return r;
	if (pr.withdrawn_at != CP_TIME_NONE)
		return cp_error(CP_ERULE, _("penalty proposal %s was withdrawn already"), ev->ref);
	if (pr.napproved >= pr.needed)
		return cp_error(CP_ERULE, _("penalty proposal %s has every approval: it counts"), ev->ref);
	if (ev->at < pr.pen->at)
		return cp_error(CP_ERULE, _("the withdrawal would come before proposal %s was made"), ev->ref);
	return check_penaliser(c, p, o, ev->by, "withdrawing a penalty");
}

/*
 * Put a name of the event in normal form (SPEC section 9: names are
 * people), so that the roster, the ceiling of penalize and the score see
 * one person however it was typed.  A blank one is refused by cp_event_check() before.
 */
static int norm_name(char **f, const char *what, bool actor)
{
	char *n;
	int r;

	if (!*f || blank(*f))
		return 0;
	r = actor ? cp_actor_norm(&n, NULL, *f, strlen(*f))
		  : cp_name_norm(&n, NULL, *f, strlen(*f));
	if (r < 0)
		return cp_error_wrap("%s", what);
	free(*f);
	*f = n;
	return 0;
}

/*
 * A name list (cp_names_*: several --responsible, --with): each name in
 * normal form, none blank, none twice.  A name that holds a list
 * separator (',', '，', '、', ';', '；') is refused rather than guessed
 * at: '张三,李五' is two people or a typo, and only the user knows
 * which (give each with its own option).
 */
static int norm_list(char **f, const char *what)
{
	static const char *const seps[] = { ",", "，", "、", ";", "；", NULL };
	struct cp_sbuf sb = CP_SBUF_INIT;
	const char *pos = *f, *s;
	size_t len, i;
	char *n;
	int r = 0;

	if (!*f)
		return 0;
	len = strlen(*f);
	if (!len || (*f)[0] == '\n' || (*f)[len - 1] == '\n' || strstr(*f, "\n\n"))
		return cp_error(CP_EUSAGE, _("%s: an empty name"), what);
	while ((s = cp_names_next(&pos, &len))) {
		for (i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				break;
		if (i < len) {
			r = cp_error(CP_EUSAGE, _("%s: a name holding an invisible or control character"), what);
			break;
		}
		if (cp_name_norm(&n, NULL, s, len) < 0) {
			r = cp_error_wrap("%s", what);
			break;
		}
		if (!*n)
			r = cp_error(CP_EUSAGE, _("%s: an empty name"), what);
		for (i = 0; !r && seps[i]; i++)
			if (strstr(n, seps[i]))
				r = cp_error(CP_EUSAGE,
					     _("%s '%s' holds '%s': give each person or department with its own option"),
					     what, n, seps[i]);
		if (!r && cp_names_has(sb.buf, n))
			r = cp_error(CP_EUSAGE, _("%s names %s twice"), what, n);
		if (!r) {
			if (sb.len)
				cp_sbuf_addch(&sb, '\n');
			cp_sbuf_adds(&sb, n);
		}
		free(n);
		if (r)
			break;
	}
	if (r == 0 && !sb.len)
		r = cp_error(CP_EUSAGE, _("%s: an empty name"), what);
	if (r == 0) {
		free(*f);
		*f = cp_sbuf_detach(&sb, NULL);
	}
	cp_sbuf_release(&sb);
	return r;
}

/* The joint departments of an assign: in the roster, none the lead. */
static int check_with(const struct cp_org *o, const struct cp_event *ev)
{
	const char *pos = ev->with, *s;
	size_t len;
	int r = 0;

	while (r == 0 && (s = cp_names_next(&pos, &len))) {
		char *d = cp_xstrndup(s, len);

		if (!cp_org_dept(o, d))
			r = cp_error(CP_ERULE, _("%s: department '%s' is not in org.yaml"),
				     cp_input_name(CP_INPUT_WITH), d);
		else if (ev->department && !strcmp(d, ev->department))
			r = cp_error(CP_EUSAGE, _("%s: %s is the lead department already"),
				     cp_input_name(CP_INPUT_WITH), d);
		free(d);
	}
	return r;
}

/* --party of notify and onsite: a roster department or the intake department. */
static int check_party(const struct cp_policy *p, const struct cp_org *o,
		       const struct cp_event *ev)
{
	if (!ev->party)
		return 0;
	if (blank(ev->party))
		return cp_error(CP_EUSAGE, _("%s: an empty name"), cp_input_name(CP_INPUT_PARTY));
	if (cp_org_dept(o, ev->party) || (p->intake && !strcmp(p->intake, ev->party)))
		return 0;
	return cp_error(CP_ERULE, _("%s: '%s' is neither a department in org.yaml nor the policy's intake department%s%s"),
			cp_input_name(CP_INPUT_PARTY),
			ev->party, p->intake ? " " : "", p->intake ? p->intake : "");
}

static int check(struct cp_case *c, const struct cp_policy *p,
		 const struct cp_org *o, struct cp_event *ev, cp_time now)
{
	const struct cp_dept *dept;
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF];
	int r;

	if ((r = norm_name(&ev->by, _("the actor"), true)) < 0 ||
	    (r = norm_name(&ev->department, _("the department"), false)) < 0 ||
	    (r = norm_list(&ev->responsible, _("the responsible person"))) < 0 ||
	    (r = norm_list(&ev->with, cp_input_name(CP_INPUT_WITH))) < 0 ||
	    (r = norm_name(&ev->party, cp_input_name(CP_INPUT_PARTY), false)) < 0 ||
	    (r = norm_name(&ev->person, "the person", false)) < 0)
		return r;
	if (ev->at < c->received) {
		cp_time_fmt(t1, p->tz, ev->at);
		cp_time_fmt(t2, p->tz, c->received);
		return cp_error(CP_ERULE, _("%s %s is before the case was received (%s)"), cp_input_name(CP_INPUT_AT),
				t1, t2);
	}
	if (ev->at > now) {
		cp_time_fmt(t1, p->tz, ev->at);
		cp_time_fmt(t2, p->tz, now);
		return cp_error(CP_ERULE, _("%s %s is in the future (now is %s)"), cp_input_name(CP_INPUT_AT), t1, t2);
	}
	if ((r = cp_audit_check_at(p, ev->at, now, cp_input_name(CP_INPUT_AT))) < 0)
		return r;
	if (c->nevents >= CP_MAX_EVENTS)
		return cp_error(CP_ERULE, _("the case has %d events, the most one case may hold"),
				CP_MAX_EVENTS);
	switch (ev->action) {
	case EV_ASSIGN:
		/* re-routing is allowed until resolved; it clears plan and approvals */
		if ((r = need_status(c, cp_life_allowed_in(EV_ASSIGN), "assign")) < 0)
			return r;
		if (!(dept = cp_org_dept(o, ev->department)))
			return cp_error(CP_ERULE, _("department '%s' is not in org.yaml"),
					ev->department);
		free(ev->head);
		free(ev->leader);
		ev->head = dept->head ? cp_xstrdup(dept->head) : NULL;
		ev->leader = dept->leader ? cp_xstrdup(dept->leader) : NULL;
		return check_with(o, ev);
	case EV_NOTIFY:
		if ((r = need_status(c, cp_life_allowed_in(EV_NOTIFY), "notify")) < 0)
			return r;
		return check_party(p, o, ev);
	case EV_ONSITE:
		if ((r = need_status(c, cp_life_allowed_in(EV_ONSITE), "onsite")) < 0)
			return r;
		return check_party(p, o, ev);
	case EV_PLAN:
		return need_status(c, cp_life_allowed_in(EV_PLAN), "plan");
	case EV_APPROVE:
		if (ev->ref && ev->ref[0] == 'P')
			return check_approve_penalty(c, p, o, ev);
		if (ev->ref)
			return cp_procedure_check(c, p, o, ev);	/* a measure's sign-off */
		return check_approve(c, p, o, ev);
	case EV_RESOLVE:
		if ((r = check_resolve(c, p)) < 0)
			return r;
		return cp_case_required_fields(c, p, EV_RESOLVE);
	case EV_CALLBACK:
		return need_status(c, cp_life_allowed_in(EV_CALLBACK), "callback");
	case EV_CLOSE:
		if ((r = check_close(c, p)) < 0)
			return r;
		return cp_case_required_fields(c, p, EV_CLOSE);
	case EV_REOPEN:
		return need_status(c, cp_life_allowed_in(EV_REOPEN), "reopen");
	case EV_NOTE:
		return 0;
	case EV_RECLASSIFY:
		if (c->d.status == ST_CLOSED)
			return cp_error(CP_ERULE, _("the case is closed; reopen it before reclassifying"));
		if (cp_policy_level(p, ev->severity) < 0)
			return cp_error(CP_EUSAGE, _("level '%s' is not in the policy"),
					ev->severity);
		if (cp_policy_level(p, ev->severity) == c->d.level)
			return cp_error(CP_ERULE, _("the case is already at level %s"),
					ev->severity);
		return 0;
	case EV_PENALIZE:
		return check_penalize(c, p, o, ev);
	case EV_LETTER:
		return 0;
	case EV_WITHDRAW:
		return check_withdraw(c, p, o, ev);
	case EV_SET: case EV_ANALYZE: case EV_MEASURE: case EV_MEASURE_DONE:
	case EV_HOLD: case EV_RESUME:
		return cp_procedure_check(c, p, o, ev);
	default:
		return cp_error(CP_EUSAGE, _("'%s' cannot be recorded this way"),
				cp_evt_name(ev->action));
	}
}

/*
 * An event exactly like one the case holds (same time, actor and fields)
 * with no change of state between would be one fact twice: readers count
 * it once (cp_case_drop_copies), so it is refused.
 */
static int check_not_copy(const struct cp_case *c, const struct cp_tz *z,
			  const struct cp_event *ev)
{
	char t[CP_TIME_BUF];
	size_t i = cp_case_would_copy(c, ev);

	if (!i)
		return 0;
	cp_time_fmt(t, z, ev->at);
	return cp_error(CP_ERULE,
			_("the case already holds this very event (event %zu: %s at %s by %s), and nothing happened since; give another %s to record it again"),
			i, cp_evt_name(ev->action), t, ev->by, cp_input_name(CP_INPUT_AT));
}

/*
 * The lifecycle table once more, as life.c keeps it (the same walk that
 * derives the status: never looser than check() above), then time order:
 * the event may not be dated before an event it depends on (SPEC section
 * 9, "Time order is the truth").
 */
static int check_life(const struct cp_case *c, const struct cp_policy *p,
		      const struct cp_event *ev)
{
	struct cp_life l;
	size_t i;
	int r = 0;

	cp_life_init(&l, c, p);
	for (i = 0; i < c->nevents && r == 0; i++)
		if (!cp_event_impossible(c, &c->events[i]))
			r = cp_life_step(&l, &c->events[i]);
	if (r == 0)
		r = cp_life_allows(&l, ev);
	cp_life_release(&l);
	if (r < 0)
		return r;
	return cp_life_time_order(c, p, ev);
}

int cp_lifecycle_apply(struct cp_case *c, const struct cp_policy *p,
		       const struct cp_org *o, const struct cp_event *in,
		       cp_time now)
{
	struct cp_event ev = *in;
	int r;

	if ((r = cp_event_check(in)) < 0)
		return r;
	/* work on a copy whose strings we own, so refusals change nothing */
	cp_case_add_event(c, &ev);
	ev = c->events[--c->nevents];
	r = check(c, p, o, &ev, now);
	if (r == 0)
		r = check_not_copy(c, p->tz, &ev);
	if (r == 0)
		r = check_life(c, p, &ev);
	if (r < 0) {
		cp_event_clear(&ev);
		return r;
	}
	ALLOC_GROW(c->events, c->nevents + 1, c->alloc);
	c->events[c->nevents++] = ev;
	r = cp_case_derive(c, p);
	if (r == 0)
		r = cp_case_check_range(c, p->tz);
	if (r < 0) {
		cp_event_clear(&c->events[--c->nevents]);
		cp_case_derive(c, p);
		return r;
	}
	cp_procedure_apply(c, p, &c->events[c->nevents - 1]);
	return 0;
}
