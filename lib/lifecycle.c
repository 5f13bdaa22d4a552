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
#include "complaint/i18n.h"

const char *cp_actor_person(const char *actor)
{
	const char *slash = strrchr(actor, '/');

	return slash && slash[1] ? slash + 1 : actor;
}

static bool same_person(const char *actor, const char *person)
{
	return person && *person &&
	       (!strcmp(actor, person) || !strcmp(cp_actor_person(actor), person));
}

/* Index of the last event that starts a plan round (plan or reopen). */
static size_t round_start(const struct cp_case *c)
{
	size_t i = c->nevents;

	while (i-- > 0)
		if ((c->events[i].action == EV_PLAN || c->events[i].action == EV_REOPEN ||
		     c->events[i].action == EV_ASSIGN) &&
		    !cp_event_impossible(c, &c->events[i]))
			return i;
	return 0;
}

void cp_lifecycle_approvals(const struct cp_case *c, struct sbuf *out)
{
	size_t i, start = round_start(c), n = 0;

	if (start < c->nevents && c->events[start].action == EV_PLAN)
		for (i = start + 1; i < c->nevents; i++) {
			const struct cp_event *e = &c->events[i];

			if (e->action != EV_APPROVE || cp_event_impossible(c, e))
				continue;
			sbuf_addf(out, "%s%s %s", n++ ? ", " : "",
				  e->role ? e->role : "?", cp_actor_person(e->by));
		}
	if (!n)
		sbuf_adds(out, "none");
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
	struct sbuf so_far = SBUF_INIT;
	int r = 0;

	if (!l->napprovals)
		return cp_error(CP_ERULE, _("level %s needs no approvals"), l->id);
	if (c->d.status == ST_APPROVED)
		return cp_error(CP_ERULE, _("the plan already has every approval level %s needs"),
				l->id);
	if ((r = need_status(c, cp_life_allowed_in(EV_APPROVE), "approve")) < 0)
		return c->d.status == ST_ASSIGNED || c->d.status == ST_NEW
			       ? cp_error(CP_ERULE, _("there is no plan to approve (record one with 'complaint plan')"))
			       : r;
	next = l->approvals[c->d.napproved];
	cp_lifecycle_approvals(c, &so_far);
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
		else if (!same_person(ev->by, holder))
			r = cp_error(CP_ERULE,
				     _("needs approval by %s %s next; %s cannot give it (approved so far: %s)"),
				     cp_role_name(next), holder, ev->by, so_far.buf);
	}
	sbuf_release(&so_far);
	if (r < 0)
		return r;
	free(ev->role);
	ev->role = xstrdup(cp_role_name(next));
	return 0;
}

static int check_resolve(const struct cp_case *c, const struct cp_policy *p)
{
	const struct cp_level *l = &p->levels[c->d.level];
	struct sbuf so_far = SBUF_INIT;
	int r;

	if (c->d.status == ST_RESOLVED || c->d.status == ST_CLOSED || c->d.status == ST_NEW)
		return need_status(c, cp_life_allowed_in(EV_RESOLVE), "resolve");
	if (l->napprovals) {
		if (c->d.status == ST_APPROVED)
			return 0;
		if (!c->d.planned)
			return cp_error(CP_ERULE,
					_("level %s needs a plan and its approval by %s first (record the plan with 'complaint plan')"),
					l->id, cp_role_name(l->approvals[0]));
		cp_lifecycle_approvals(c, &so_far);
		r = cp_error(CP_ERULE, _("needs approval by %s (approved so far: %s)"),
			     cp_role_name(l->approvals[c->d.napproved]), so_far.buf);
		sbuf_release(&so_far);
		return r;
	}
	if (l->needs_plan && !c->d.planned)
		return cp_error(CP_ERULE,
				_("level %s needs a plan first (record it with 'complaint plan')"),
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
	return cp_error(CP_ERULE,
			_("the policy requires a customer callback before close (record it with 'complaint callback')"));
}

static int check_penalize(const struct cp_case *c, const struct cp_policy *p,
			  const struct cp_event *ev)
{
	const struct cp_level *l = &p->levels[c->d.level];
	long total = ev->points;
	size_t i;

	if (l->penalties.responsible_max == CP_NONE)
		return 0;
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == EV_PENALIZE && c->events[i].person &&
		    !cp_event_impossible(c, &c->events[i]) &&
		    !strcmp(c->events[i].person, ev->person))
			total += c->events[i].points;
	if (total > l->penalties.responsible_max)
		return cp_error(CP_ERULE,
				_("level %s allows at most %ld points for the responsible person per case; %s would have %ld"),
				l->id, l->penalties.responsible_max, ev->person, total);
	return 0;
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
	r = actor ? cp_actor_norm(*f, strlen(*f), &n, NULL)
		  : cp_name_norm(*f, strlen(*f), &n, NULL);
	if (r < 0)
		return cp_error_wrap("%s", what);
	free(*f);
	*f = n;
	return 0;
}

static int check(struct cp_case *c, const struct cp_policy *p,
		 const struct cp_org *o, struct cp_event *ev, cp_time now)
{
	const struct cp_dept *dept;
	char t1[CP_TIME_BUF], t2[CP_TIME_BUF];
	int r;

	if ((r = norm_name(&ev->by, "the actor", true)) < 0 ||
	    (r = norm_name(&ev->department, "the department", false)) < 0 ||
	    (r = norm_name(&ev->responsible, "the responsible person", false)) < 0 ||
	    (r = norm_name(&ev->person, "the person", false)) < 0)
		return r;
	if (ev->at < c->received) {
		cp_time_fmt(ev->at, t1);
		cp_time_fmt(c->received, t2);
		return cp_error(CP_ERULE, _("--at %s is before the case was received (%s)"),
				t1, t2);
	}
	if (ev->at > now) {
		cp_time_fmt(ev->at, t1);
		cp_time_fmt(now, t2);
		return cp_error(CP_ERULE, _("--at %s is in the future (now is %s)"), t1, t2);
	}
	if ((r = cp_audit_check_at(p, ev->at, now, "--at")) < 0)
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
		ev->head = dept->head ? xstrdup(dept->head) : NULL;
		ev->leader = dept->leader ? xstrdup(dept->leader) : NULL;
		return 0;
	case EV_NOTIFY:
		return need_status(c, cp_life_allowed_in(EV_NOTIFY), "notify");
	case EV_ONSITE:
		return need_status(c, cp_life_allowed_in(EV_ONSITE), "onsite");
	case EV_PLAN:
		return need_status(c, cp_life_allowed_in(EV_PLAN), "plan");
	case EV_APPROVE:
		return check_approve(c, p, o, ev);
	case EV_RESOLVE:
		return check_resolve(c, p);
	case EV_CALLBACK:
		return need_status(c, cp_life_allowed_in(EV_CALLBACK), "callback");
	case EV_CLOSE:
		return check_close(c, p);
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
		return check_penalize(c, p, ev);
	case EV_LETTER:
		return 0;
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
static int check_not_copy(const struct cp_case *c, const struct cp_event *ev)
{
	char t[CP_TIME_BUF];
	size_t i = cp_case_would_copy(c, ev);

	if (!i)
		return 0;
	cp_time_fmt(ev->at, t);
	return cp_error(CP_ERULE,
			_("the case already holds this very event (event %zu: %s at %s by %s), and nothing happened since; give another --at to record it again"),
			i, cp_evt_name(ev->action), t, ev->by);
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
		r = check_not_copy(c, &ev);
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
		r = cp_case_check_range(c);
	if (r < 0) {
		cp_event_clear(&c->events[--c->nevents]);
		cp_case_derive(c, p);
	}
	return r;
}
