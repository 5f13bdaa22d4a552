/*
 * show.c - complaint show ID [--format human|yaml|json]
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/case_json.h"
#include "complaint/lifecycle.h"
#include "complaint/i18n.h"
#include "complaint/proposal.h"
#include "complaint/procedure.h"

static const char *const usage[] = {
	"complaint show ID [--format human|yaml|json]", NULL
};

static void line(struct cp_sbuf *sb, const char *label, const char *value)
{
	if (!value)
		return;
	out_label(sb, label, 12);
	out_safe(sb, value);
	cp_sbuf_addch(sb, '\n');
}

/* A section's heading, after a blank line. */
static void heading(struct cp_sbuf *sb, const char *title)
{
	cp_sbuf_addf(sb, "\n%s\n", title);
}

static void duration(struct cp_sbuf *sb, cp_time secs)
{
	if (secs < 0)
		secs = -secs;
	if (secs >= 86400)
		cp_sbuf_addf(sb, _("%lldd %lldh"), (long long)(secs / 86400),
			  (long long)(secs % 86400 / 3600));
	else if (secs >= 3600)
		cp_sbuf_addf(sb, _("%lldh %02lldm"), (long long)(secs / 3600),
			  (long long)(secs % 3600 / 60));
	else
		cp_sbuf_addf(sb, _("%lldm"), (long long)((secs + 59) / 60));
}

static void event_line(struct cp_sbuf *sb, const struct cp_tz *z, const struct cp_event *e)
{
	cp_sbuf_adds(sb, "  ");
	out_time(sb, z, e->at);
	cp_sbuf_adds(sb, "  ");
	out_cell(sb, e->by, 16, false);
	cp_sbuf_addf(sb, "  %s", cp_evt_name(e->action));
#define PART(label, f) if (e->f) { cp_sbuf_adds(sb, label); out_safe(sb, e->f); }
#define NAMES(label, f) if (e->f) { struct cp_sbuf n_ = CP_SBUF_INIT; cp_sbuf_adds(sb, label); \
	cp_names_join(&n_, e->f, ", "); out_safe(sb, n_.buf); cp_sbuf_release(&n_); }
	PART(" ", field)
	PART(_(" from "), old)
	PART(_(" to "), value)
	PART(" ", department)
	NAMES(_(" with "), with)
	NAMES(_(" responsible "), responsible)
	PART(_(" party "), party)
	PART(" ", ref)
#undef NAMES
	PART(_(" as "), role)
	PART(_(" level "), severity)
	PART(" ", person)
#undef PART
	if (e->points != CP_NONE)
		cp_sbuf_addf(sb, _(" %ld points"), e->points);
	if (e->satisfied >= 0)
		cp_sbuf_adds(sb, e->satisfied ? _(" satisfied") : _(" unsatisfied"));
	if (e->compensation >= 0) {
		cp_sbuf_adds(sb, _(" compensation "));
		cp_money_fmt(sb, e->compensation);
	}
#define PART(label, f) if (e->f) { cp_sbuf_adds(sb, label); out_safe(sb, e->f); }
	PART(": ", text)
	PART(_("; cause: "), cause)
	PART(_("; measure: "), measure)
	PART(_("; reason: "), reason)
	PART(_("; owner: "), owner)
	PART(_("; due: "), due)
#undef PART
	cp_sbuf_addch(sb, '\n');
}

/* The penalty proposals P1... and where each stands (SPEC section 9). */
static void proposals(struct cp_sbuf *sb, const struct cp_case *cs, const struct cp_policy *p)
{
	struct cp_proposal pr;
	struct cp_sbuf t = CP_SBUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < cs->nevents; i++) {
		const struct cp_event *e = &cs->events[i];

		if (e->action != EV_PENALIZE || !e->ref || cp_proposal_find(&pr, cs, p, e->ref) < 0)
			continue;
		if (!n++)
			heading(sb, _("Penalty proposals"));
		cp_sbuf_addf(sb, "  %-4s ", e->ref);
		out_safe(sb, e->person ? e->person : "?");
		cp_sbuf_reset(&t);
		out_safe(&t, e->by);
		cp_sbuf_adds(sb, " ");
		cp_sbuf_addf(sb, _("%ld points by %s"), e->points, t.buf);
		cp_sbuf_reset(&t);
		if (pr.withdrawn_at != CP_TIME_NONE) {
			out_time(&t, p->tz, pr.withdrawn_at);
			cp_sbuf_adds(sb, ": ");
			cp_sbuf_addf(sb, _("withdrawn %s"), t.buf);
		} else if (pr.napproved >= pr.needed) {
			out_time(&t, p->tz, pr.needed ? pr.approved_at : e->at);
			cp_sbuf_adds(sb, ": ");
			cp_sbuf_addf(sb, _("counts from %s"), t.buf);
		} else {
			cp_sbuf_adds(sb, ": ");
			cp_sbuf_addf(sb, _("pending, %zu of %zu approvals, next the %s"), pr.napproved,
				  pr.needed, cp_role_name(p->levels[cs->d.level].penalize_approvals[pr.napproved]));
		}
		cp_sbuf_addch(sb, '\n');
	}
	cp_sbuf_release(&t);
	cp_error_clear();
}

/* A deadline instance's state: met, missed, held or pending. */
static void deadline_state(struct cp_sbuf *sb, const struct cp_case *cs, const struct cp_policy *p,
			   const struct cp_deadline *d, cp_time now)
{
	struct cp_sbuf a = CP_SBUF_INIT, b = CP_SBUF_INIT;

	cp_sbuf_adds(sb, "  ");
	switch (cp_case_deadline_state(cs, d, now)) {
	case DL_MET:
		out_time(&a, p->tz, d->done);
		cp_sbuf_addf(sb, _("met (%s)"), a.buf);
		break;
	case DL_MISSED:
		if (d->done != CP_TIME_NONE) {
			out_time(&a, p->tz, d->done);
			duration(&b, d->done - d->at);
			/* TRANSLATORS: a missed deadline: when it was done, how late */
			cp_sbuf_addf(sb, _("MISSED (done %s, %s late)"), a.buf, b.buf);
		} else {
			duration(&b, now - d->at);
			cp_sbuf_addf(sb, _("MISSED (%s ago)"), b.buf);
		}
		break;
	default:
		if (cp_case_held(cs) && d->at > cs->d.held_since) {
			cp_sbuf_adds(sb, _("held (the clock stopped)"));
			break;
		}
		duration(&b, d->at - now);
		cp_sbuf_addf(sb, _("pending (in %s)"), b.buf);
	}
	cp_sbuf_release(&a);
	cp_sbuf_release(&b);
}

static void human(struct cp_sbuf *sb, const struct cp_case *cs,
		  const struct cp_policy *p, cp_time now)
{
	const struct cp_level *l = &p->levels[cs->d.level];
	struct cp_sbuf t = CP_SBUF_INIT;
	size_t i;

	cp_sbuf_addf(sb, "%s  ", cs->id);
	out_safe(sb, l->id);
	cp_sbuf_adds(sb, " (");
	out_safe(sb, l->name);
	cp_sbuf_addf(sb, ")  %s", cp_status_name(cs->d.status));
	if (cp_case_held(cs))
		cp_sbuf_addf(sb, "  %s", _("ON HOLD"));
	if (cp_case_overdue(cs, now))
		cp_sbuf_addf(sb, "  %s", _("OVERDUE"));
	cp_sbuf_adds(sb, "\n\n");
	{
		struct cp_sbuf at = CP_SBUF_INIT;

		out_time(&at, p->tz, cs->received);
		/* TRANSLATORS: when a case was received, and by which channel (phone...) */
		cp_sbuf_addf(&t, _("%s by %s"), at.buf, cs->channel);
		cp_sbuf_release(&at);
	}
	line(sb, _("Received"), t.buf);
	cp_sbuf_reset(&t);
	cp_sbuf_adds(&t, cs->customer);
	if (cs->contact) {
		cp_sbuf_adds(&t, " (");
		cp_sbuf_adds(&t, cs->contact);
		cp_sbuf_adds(&t, ")");
	}
	line(sb, _("Customer"), t.buf);
	cp_sbuf_reset(&t);
	cp_sbuf_addf(&t, "%s / %s", cs->kind ? cs->kind : "-", cs->category);
	line(sb, _("Kind"), t.buf);
	line(sb, _("Summary"), cs->summary);
	if (cs->has_amount) {
		cp_sbuf_reset(&t);
		cp_money_fmt(&t, cs->amount);
		cp_sbuf_addf(&t, " %s", p->currency);
		line(sb, _("Amount"), t.buf);
	}
	line(sb, _("Scope"), cs->scope);
	if (cs->nflags) {
		cp_sbuf_reset(&t);
		for (i = 0; i < cs->nflags; i++)
			cp_sbuf_addf(&t, "%s%s", i ? ", " : "", cs->flags[i]);
		line(sb, _("Flags"), t.buf);
	}
	if (cs->nrefs) {
		cp_sbuf_reset(&t);
		for (i = 0; i < cs->nrefs; i++)
			cp_sbuf_addf(&t, "%s%s", i ? ", " : "", cs->refs[i]);
		line(sb, _("Answers"), t.buf);
	}
	for (i = 0; i < cs->nfields; i++) {
		const struct cp_field *f = cp_policy_field(p, cs->field_ids[i]);

		cp_sbuf_reset(&t);
		cp_sbuf_addf(&t, "%s: ", f ? f->name : cs->field_ids[i]);
		cp_sbuf_adds(&t, cs->field_vals[i]);
		if (!f)
			cp_sbuf_addf(&t, " (%s)", _("not in the policy"));
		line(sb, i ? "" : _("Fields"), t.buf);
	}
	if (cs->d.department) {
		cp_sbuf_reset(&t);
		cp_sbuf_adds(&t, cs->d.department);
		if (cs->d.head)
			cp_sbuf_addf(&t, _(", head %s"), cs->d.head);
		if (cs->d.leader)
			cp_sbuf_addf(&t, _(", leader %s"), cs->d.leader);
		if (cs->d.responsible) {
			struct cp_sbuf r = CP_SBUF_INIT;

			cp_names_join(&r, cs->d.responsible, ", ");
			cp_sbuf_addf(&t, _(", responsible %s"), r.buf);
			cp_sbuf_release(&r);
		}
		line(sb, _("Department"), t.buf);
		if (cs->d.with) {
			cp_sbuf_reset(&t);
			cp_names_join(&t, cs->d.with, ", ");
			line(sb, _("With"), t.buf);
		}
	}
	if (l->napprovals) {
		cp_sbuf_reset(&t);
		for (i = 0; i < l->napprovals; i++)
			cp_sbuf_addf(&t, "%s%s", i ? _(" then ") : "", cp_role_name(l->approvals[i]));
		cp_sbuf_adds(&t, _("; given: "));
		cp_lifecycle_approvals(&t, cs);
		line(sb, _("Approvals"), t.buf);
	}
	if (cs->d.ndeadlines) {
		heading(sb, _("Deadlines"));
		/* every instance: each round after a reopen, misses kept after a reclassify */
		for (i = 0; i < cs->d.ninst; i++) {
			const struct cp_deadline *d = &cs->d.inst[i];

			cp_sbuf_addf(sb, "  %-9s ", cp_dl_name(d->event));
			out_time(sb, p->tz, d->at);
			deadline_state(sb, cs, p, d, now);
			if (d->round) {
				cp_sbuf_adds(sb, "  ");
				cp_sbuf_addf(sb, _("round %d"), d->round + 1);
			} else if (d->kept) {
				cp_sbuf_adds(sb, "  ");
				cp_sbuf_addf(sb, _("under level %s, kept"), p->levels[d->level].id);
			}
			cp_sbuf_addch(sb, '\n');
		}
	}
	proposals(sb, cs, p);
	{
		struct cp_measure *m;
		size_t n = cp_case_measures(&m, cs, p);

		if (n)
			heading(sb, _("Measures"));
		for (i = 0; i < n; i++) {
			cp_sbuf_addf(sb, "  %-4s ", m[i].ev->ref);
			out_safe(sb, m[i].ev->text);
			cp_sbuf_reset(&t);
			out_safe(&t, m[i].ev->owner ? m[i].ev->owner : "?");
			cp_sbuf_adds(&t, ", ");
			{
				struct cp_sbuf due = CP_SBUF_INIT;

				out_safe(&due, m[i].ev->due ? m[i].ev->due : "?");
				/* TRANSLATORS: a measure's due date: "due 2026-12-31" */
				cp_sbuf_addf(&t, _("due %s"), due.buf);
				cp_sbuf_release(&due);
			}
			cp_sbuf_addf(sb, "  (%s)  %s", t.buf,
				  m[i].state == MS_OPEN ? _("open")
				  : m[i].state == MS_DONE ? _("done") : _("signed off"));
			if (m[i].state == MS_DONE && p->nmeasure_approvals)
				cp_sbuf_addf(sb, _(", sign-off by %s next"),
					  cp_role_name(p->measure_approvals[m[i].napproved]));
			if (cp_measure_overdue(&m[i], p->tz, now))
				cp_sbuf_addf(sb, "  %s", _("OVERDUE"));
			cp_sbuf_addch(sb, '\n');
		}
		free(m);
	}
	{
		struct cp_hold *h;
		size_t n = cp_case_holds(&h, cs);

		if (n)
			heading(sb, _("Held"));
		for (i = 0; i < n; i++) {
			cp_sbuf_adds(sb, "  ");
			out_time(sb, p->tz, h[i].from);
			cp_sbuf_adds(sb, " - ");
			if (h[i].to == CP_TIME_NONE) {
				cp_sbuf_addf(sb, "(%s)", _("still on hold"));
			} else {
				out_time(sb, p->tz, h[i].to);
				cp_sbuf_adds(sb, " (");
				duration(sb, h[i].to - h[i].from);
				cp_sbuf_adds(sb, ")");
			}
			if (h[i].reason) {
				cp_sbuf_adds(sb, ": ");
				out_safe(sb, h[i].reason);
			}
			cp_sbuf_addch(sb, '\n');
		}
		free(h);
	}
	heading(sb, _("Timeline"));
	for (i = 0; i < cs->nevents; i++)
		event_line(sb, p->tz, &cs->events[i]);
	if (cs->description) {
		const char *p2 = cs->description, *nl;

		heading(sb, _("Description"));
		for (;;) {
			nl = strchr(p2, '\n');
			cp_sbuf_adds(sb, "  ");
			cp_sbuf_reset(&t);
			cp_sbuf_add(&t, p2, nl ? (size_t)(nl - p2) : strlen(p2));
			out_safe(sb, t.buf);
			cp_sbuf_addch(sb, '\n');
			if (!nl || !nl[1])
				break;
			p2 = nl + 1;
		}
	}
	cp_sbuf_release(&t);
}

int cmd_show(int argc, char **argv, struct ctx *c)
{
	const char *format = "human";
	struct opt opts[] = {
		OPT_STRC_("format", "FMT", "human (default), yaml (the file) or json", &format, "=human|yaml|json"),
		OPT_END_
	};
	struct cp_sbuf path = CP_SBUF_INIT, raw = CP_SBUF_INIT, out = CP_SBUF_INIT;
	struct cp_case *cs = NULL;
	int nargs, code;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs != 1)
		return usage_error(c, _("needs exactly one case ID"));
	if (strcmp(format, "human") && strcmp(format, "yaml") && strcmp(format, "json"))
		return usage_error(c, _("unknown format '%s' (human, yaml or json)"), format);
	if ((code = ctx_open(c)))
		return code;
	if (cp_store_read_case(&cs, &path, &raw, c->store, argv[1]) < 0) {
		code = lib_error("show %s", argv[1]);
		goto out;
	}
	warning_impossible(path.buf, cs, ctx_tz(c));
	if (!strcmp(format, "yaml")) {
		cp_sbuf_add(&out, raw.buf, raw.len);
	} else if (!strcmp(format, "json")) {
		cp_case_json(&out, cs, cp_store_policy(c->store), c->now);
		cp_sbuf_addch(&out, '\n');
	} else {
		human(&out, cs, cp_store_policy(c->store), c->now);
	}
	out_flush(&out);
out:
	cp_case_free(cs);
	cp_sbuf_release(&path);
	cp_sbuf_release(&raw);
	cp_sbuf_release(&out);
	return code;
}
