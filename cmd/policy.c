/*
 * policy.c - complaint policy check [FILE], complaint policy show
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fsutil.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint policy check [FILE]",
	"complaint policy show [--format human|yaml]",
	NULL
};

static void dur(struct cp_sbuf *sb, const struct cp_deadline_rule *d)
{
	char b[CP_TIME_BUF];

	cp_duration_fmt(b, &d->within);
	/* TRANSLATORS: a deadline rule: "respond 2h from received" (the event names stay) */
	cp_sbuf_addf(sb, _("%s %s from %s"), cp_dl_name(d->event), b,
		  d->from == EV_NEW ? _("received") : cp_dl_name(d->from));
}

static void penalties(struct cp_sbuf *sb, const struct cp_penalties *pen)
{
	int r, n = 0;

	for (r = ROLE_DEPARTMENT; r <= ROLE_RESPONSIBLE; r++)
		if (pen->points[r] != CP_NONE)
			cp_sbuf_addf(sb, "%s%s %ld", n++ ? ", " : "", cp_role_name(r),
				  pen->points[r]);
	if (pen->responsible_max != CP_NONE) {
		cp_sbuf_adds(sb, n++ ? ", " : "");
		cp_sbuf_addf(sb, _("responsible up to %ld (penalize)"), pen->responsible_max);
	}
	if (!n)
		cp_sbuf_adds(sb, _("none"));
}

/* Roles by name, ", " between: the bits (1 << ROLE_...) of mask, or the array. */
static void roles(struct cp_sbuf *sb, unsigned mask, const enum cp_role *v, size_t n)
{
	size_t i, k = 0;

	if (v) {
		for (i = 0; i < n; i++)
			cp_sbuf_addf(sb, "%s%s", i ? ", " : "", cp_role_name(v[i]));
		k = n;
	} else {
		for (i = 0; i < ROLE__COUNT; i++)
			if (mask & (1u << i))
				cp_sbuf_addf(sb, "%s%s", k++ ? ", " : "", cp_role_name((enum cp_role)i));
	}
	if (!k)
		cp_sbuf_adds(sb, _("none"));
}

static void list(struct cp_sbuf *sb, const char *label, char **v, size_t n)
{
	size_t i;

	out_label(sb, label, 12);
	for (i = 0; i < n; i++) {
		if (i)
			cp_sbuf_adds(sb, ", ");
		out_safe(sb, v[i]);
	}
	cp_sbuf_adds(sb, n ? "" : _("none"));
	cp_sbuf_addch(sb, '\n');
}

/*
 * The store's policy against the store's roster (its intake department
 * must be a roster department); a roster that does not read is check's
 * to report, not this command's.
 */
static int store_roster(const char *root, const struct cp_policy *p)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	struct cp_org *o = NULL;
	char full[4096];
	int code = 0;

	snprintf(full, sizeof(full), "%s/org.yaml", root);
	if (cp_read_file(&buf, full, CP_YAML_MAX_FILE, 0) == 0 &&
	    cp_org_parse(&o, "org.yaml", buf.buf, buf.len) == 0 &&
	    cp_org_check_policy(o, p) < 0) {
		lib_error("policy check");
		code = CP_ERULE;
	}
	cp_error_clear();
	cp_org_free(o);
	cp_sbuf_release(&buf);
	return code;
}

static void show(struct cp_sbuf *sb, const struct cp_policy *p)
{
	static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	struct cp_sbuf t = CP_SBUF_INIT;
	size_t i, j;

	out_label(sb, _("Policy"), 12);
	out_safe(sb, p->name);
	cp_money_fmt(&t, p->point_value);
	cp_sbuf_adds(sb, " (");
	/* TRANSLATORS: policy show: currency, the money a point is worth, the time zone */
	cp_sbuf_addf(sb, _("%s, %s per point, %s"), p->currency, t.buf, p->timezone);
	cp_sbuf_adds(sb, ")\n");
	list(sb, _("Channels"), p->channels, p->nchannels);
	out_label(sb, _("Kinds"), 12);
	for (i = 0; i < p->nkinds; i++) {
		cp_sbuf_addf(sb, "%s%s (", i ? ", " : "", p->kinds[i].id);
		out_safe(sb, p->kinds[i].name);
		if (!p->kinds[i].scored)
			cp_sbuf_addf(sb, ", %s", _("not scored"));
		cp_sbuf_adds(sb, ")");
	}
	cp_sbuf_addch(sb, '\n');
	list(sb, _("Categories"), p->categories, p->ncategories);
	list(sb, _("Scopes"), p->scopes, p->nscopes);
	list(sb, _("Flags"), p->flags, p->nflags);
	out_label(sb, _("Calendar"), 12);
	for (i = 0; i < 7; i++)
		if (p->cal.workdays & (1u << ((i + 1) % 7)))
			cp_sbuf_addf(sb, "%s ", days[(i + 1) % 7]);
	cp_sbuf_adds(sb, "; ");
	cp_sbuf_addf(sb, Q_("%zu holiday", "%zu holidays", p->cal.nholidays), p->cal.nholidays);
	cp_sbuf_adds(sb, ", ");
	cp_sbuf_addf(sb, Q_("%zu extra working day", "%zu extra working days", p->cal.nextra),
		  p->cal.nextra);
	cp_sbuf_addf(sb, "; %s", _("years"));
	for (i = 0; i < p->cal.nyears; i++)
		cp_sbuf_addf(sb, " %d", p->cal.years[i]);
	if (!p->cal.nyears)
		cp_sbuf_addf(sb, " %s", _("none"));
	cp_sbuf_addch(sb, '\n');
	if (p->intake) {
		out_label(sb, _("Intake"), 12);
		out_safe(sb, p->intake);
		cp_sbuf_addch(sb, '\n');
	}
	cp_sbuf_addf(sb, "\n%s\n", _("Levels (ascending)"));
	for (i = 0; i < p->nlevels; i++) {
		const struct cp_level *l = &p->levels[i];

		cp_sbuf_addf(sb, "  %s  ", l->id);
		out_safe(sb, l->name);
		cp_sbuf_adds(sb, "\n    ");
		out_label(sb, _("when"), 10);
		j = 0;
		if (l->min_amount >= 0) {
			cp_sbuf_reset(&t);
			cp_money_fmt(&t, l->min_amount);
			cp_sbuf_adds(sb, j++ ? _(" or ") : "");
			cp_sbuf_addf(sb, _("amount >= %s"), t.buf);
		}
		if (l->min_scope >= 0) {
			cp_sbuf_adds(sb, j++ ? _(" or ") : "");
			cp_sbuf_addf(sb, _("scope >= %s"), p->scopes[l->min_scope]);
		}
		for (size_t f = 0; f < l->nflags; f++) {
			cp_sbuf_adds(sb, j++ ? _(" or ") : "");
			cp_sbuf_addf(sb, _("flag %s"), p->flags[l->flags[f]]);
		}
		for (size_t f = 0; f < l->nkinds; f++) {
			cp_sbuf_adds(sb, j++ ? _(" or ") : "");
			cp_sbuf_addf(sb, _("kind %s"), p->kinds[l->kinds[f]].id);
		}
		if (!j)
			cp_sbuf_adds(sb, _("(only by --severity or reclassify)"));
		cp_sbuf_adds(sb, "\n    ");
		out_label(sb, _("deadlines"), 10);
		for (j = 0; j < l->ndeadlines; j++) {
			if (j)
				cp_sbuf_adds(sb, "; ");
			dur(sb, &l->deadlines[j]);
		}
		cp_sbuf_adds(sb, l->ndeadlines ? "" : _("none"));
		cp_sbuf_adds(sb, "\n    ");
		out_label(sb, _("approvals"), 10);
		for (j = 0; j < l->napprovals; j++)
			cp_sbuf_addf(sb, "%s%s", j ? _(" then ") : "", cp_role_name(l->approvals[j]));
		cp_sbuf_adds(sb, l->napprovals ? "" : _("none"));
		cp_sbuf_adds(sb, "\n    ");
		out_label(sb, _("penalties"), 10);
		penalties(sb, &l->penalties);
		cp_sbuf_addch(sb, '\n');
		if (l->has_penalize) {
			cp_sbuf_adds(sb, "    ");
			out_label(sb, _("penalize"), 10);
			cp_sbuf_adds(sb, _("by "));
			roles(sb, l->penalize_by, NULL, 0);
			cp_sbuf_adds(sb, _("; approvals "));
			roles(sb, 0, l->penalize_approvals, l->npenalize_approvals);
			cp_sbuf_addch(sb, '\n');
		}
		if (l->parties) {
			cp_sbuf_adds(sb, "    ");
			out_label(sb, _("parties"), 10);
			if (l->parties & CP_PARTY_LEAD)
				cp_sbuf_adds(sb, _("the lead department"));
			if (l->parties & CP_PARTY_INTAKE)
				cp_sbuf_addf(sb, "%s%s", l->parties & CP_PARTY_LEAD ? ", " : "",
					  _("the intake department"));
			cp_sbuf_addch(sb, '\n');
		}
		if (l->hold) {
			cp_sbuf_adds(sb, "    ");
			out_label(sb, _("hold"), 10);
			cp_sbuf_adds(sb, _("allowed (hold and resume)"));
			cp_sbuf_addch(sb, '\n');
		}
	}
	cp_sbuf_addch(sb, '\n');
	out_label(sb, _("Late"), 12);
	penalties(sb, &p->late);
	cp_sbuf_addf(sb, " (%s)\n", p->late_per == CP_LATE_PER_DEADLINE ? _("per missed deadline")
				 : _("once per case that misses a deadline"));
	out_label(sb, _("Unsatisfied"), 12);
	penalties(sb, &p->unsatisfied);
	cp_sbuf_addf(sb, " (%s)\n", _("per unsatisfied callback"));
	cp_sbuf_addf(sb, _("Close needs a callback: %s"), p->close_requires_callback ? _("yes") : _("no"));
	cp_sbuf_addch(sb, '\n');
	out_label(sb, _("Recurring"), 12);
	cp_sbuf_addf(sb, Q_("%ld case of one category in a month", "%ld cases of one category in a month",
			 p->recurring_at), p->recurring_at);
	cp_sbuf_addch(sb, '\n');
	cp_sbuf_release(&t);
}

int cmd_policy(int argc, char **argv, struct ctx *c)
{
	const char *format = "human";
	struct opt opts[] = {
		OPT_STRC_("format", "FMT", "show: human (default) or yaml (the file)", &format, "=human|yaml"),
		OPT_END_
	};
	struct cp_sbuf buf = CP_SBUF_INIT, out = CP_SBUF_INIT;
	struct cp_policy *p = NULL;
	char *root = NULL;
	int nargs, code;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs < 1)
		return usage_error(c, _("needs a subcommand: check or show"));
	if (!strcmp(argv[1], "check")) {
		const char *file = nargs > 1 ? argv[2] : NULL;

		if (nargs > 2)
			return usage_error(c, _("policy check takes one file"));
		if (file) {
			if (cp_read_file(&buf, file, CP_YAML_MAX_FILE, 0) < 0) {
				code = lib_error("policy check");
				goto out;
			}
		} else {
			/* the store's own policy, even when it (or the roster) is broken */
			const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
			char full[4096];

			if (cp_store_discover(&root, dir && *dir ? dir : NULL) < 0) {
				code = lib_error("policy check");
				goto out;
			}
			snprintf(full, sizeof(full), "%s/policy.yaml", root);
			file = "policy.yaml";
			if (cp_read_file(&buf, full, CP_YAML_MAX_FILE, 0) < 0) {
				code = lib_error("policy check");
				goto out;
			}
		}
		if (cp_policy_parse(&p, file, buf.buf, buf.len) < 0) {
			lib_error("policy check");
			code = CP_ERULE;
			goto out;
		}
		if (root && (code = store_roster(root, p)))
			goto out;
		printf("%s: ok (%s: %zu levels, %zu kinds, %zu channels)\n", file, p->name,
		       p->nlevels, p->nkinds, p->nchannels);
	} else if (!strcmp(argv[1], "show")) {
		if (nargs > 1)
			return usage_error(c, _("policy show takes no file"));
		if (strcmp(format, "human") && strcmp(format, "yaml"))
			return usage_error(c, _("unknown format '%s' (human or yaml)"), format);
		if ((code = ctx_open(c)))
			goto out;
		if (!strcmp(format, "yaml")) {
			if (cp_store_read(&out, c->store, "policy.yaml") < 0) {
				code = lib_error("policy show");
				goto out;
			}
		} else {
			show(&out, cp_store_policy(c->store));
		}
		out_flush(&out);
	} else {
		return usage_error(c, _("unknown subcommand '%s' (check or show)"), argv[1]);
	}
out:
	free(root);
	cp_policy_free(p);
	cp_sbuf_release(&buf);
	cp_sbuf_release(&out);
	return code;
}
