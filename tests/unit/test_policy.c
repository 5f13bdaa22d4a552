/*
 * test_policy.c - loading and validating policy.yaml and org.yaml, and
 * classifying cases (include/complaint/policy.h).
 *
 * The default policy is embedded below exactly as policy/default.yaml
 * ships it, so the line numbers in messages are those of that file.
 * Each refusal test edits one spot of it and checks that the message
 * names the right line ("policy.yaml:N:") and says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/tz.h"

/* policy/default.yaml */
static const char default_policy[] =
	"# The default policy: seed 000, a winery's complaint procedure (2022).\n"
	"# Table 1 of the seed (amount and scope thresholds) is not in the document:\n"
	"# the thresholds below are examples to edit.  See complaint-policy(5).\n"
	"name: winery-2022\n"
	"currency: CNY\n"
	"point_value: 10                  # money per penalty point (seed 000: 1 point = 10 yuan)\n"
	"timezone: Asia/Shanghai          # IANA name; times without an offset are read in it\n"
	"calendar:                        # China 2026, State Council notice of 2025-11-04\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-01-01, 2026-01-02, 2026-01-03,      # dates that are not working days\n"
	"             2026-02-15, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19,\n"
	"             2026-02-20, 2026-02-21, 2026-02-22, 2026-02-23,\n"
	"             2026-04-04, 2026-04-05, 2026-04-06,\n"
	"             2026-05-01, 2026-05-02, 2026-05-03, 2026-05-04, 2026-05-05,\n"
	"             2026-06-19, 2026-06-20, 2026-06-21,\n"
	"             2026-09-25, 2026-09-26, 2026-09-27,\n"
	"             2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05,\n"
	"             2026-10-06, 2026-10-07]\n"
	"  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28,  # weekend dates that are\n"
	"                   2026-05-09, 2026-09-20, 2026-10-10]  # working days (make-up days)\n"
	"channels: [phone, online, email, onsite, letter]\n"
	"kinds:                            # what sort of request; scored: false drops it from score\n"
	"  - {id: complaint, name: 投诉}\n"
	"  - {id: unfounded, name: 非本公司责任, scored: false}\n"
	"categories: [product, service, finance, transport, other]\n"
	"scopes: [single, several, public, media]   # scope of impact, ascending\n"
	"flags: [safety, regulator]\n"
	"levels:                           # ascending; a case gets the highest level whose\n"
	"  - id: minor                     # min_amount, min_scope or flags it meets\n"
	"    name: 轻微投诉\n"
	"    min_amount: 0\n"
	"    min_scope: single\n"
	"    deadlines:\n"
	"      notify: 10m                 # from received, unless `from` says otherwise\n"
	"      onsite: {within: 10m, from: notify}\n"
	"      resolve: 2h\n"
	"    approvals: []\n"
	"    penalties: {department: 5, responsible: {max: 5}}\n"
	"  - id: general\n"
	"    name: 一般投诉\n"
	"    min_amount: 1000\n"
	"    min_scope: several\n"
	"    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, resolve: 12h}\n"
	"    approvals: [leader]\n"
	"    penalties: {department: 10}\n"
	"  - id: major\n"
	"    name: 特大投诉\n"
	"    min_amount: 10000\n"
	"    min_scope: public\n"
	"    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, plan: 24h, resolve: 2wd}\n"
	"    approvals: [leader, director]\n"
	"    penalties: {department: 10, head: 10, responsible: 50}\n"
	"  - id: critical\n"
	"    name: 重大投诉\n"
	"    min_amount: 50000\n"
	"    min_scope: media\n"
	"    flags: [safety, regulator]\n"
	"    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, plan: 48h, resolve: 7wd}\n"
	"    approvals: [leader, director]\n"
	"    penalties: {department: 20, head: 15, leader: 20, responsible: 100}\n"
	"late: {department: 10}            # once per case that misses any deadline\n"
	"unsatisfied: {department: 10}     # per unsatisfied callback\n"
	"close_requires_callback: false\n"
	"report: {recurring_at: 3}         # this many cases of one category in a month = recurring\n";

/* policy/rosters/winery.yaml */
static const char default_org[] =
	"# A sample roster: departments with their head and unit leader, and the\n"
	"# directors who approve major and critical cases.  See complaint-policy(5).\n"
	"directors: [陈总]\n"
	"departments:\n"
	"  - {name: 餐饮部, head: 李四, leader: 王五}\n"
	"  - {name: 客房部, head: 孙七, leader: 王五}\n";

/* ---- helpers ---- */

static struct cp_policy *load(const char *text)
{
	struct cp_policy *p = NULL;

	if (cp_policy_parse(&p, "policy.yaml", text, strlen(text)) < 0)
		fail_msg("policy refused: %s", cp_errmsg());
	assert_non_null(p);
	return p;
}

/* Line (1-based) of the first occurrence of marker in text. */
static int line_of(const char *text, const char *marker)
{
	const char *at = strstr(text, marker), *p;
	int line = 1;

	if (!at)
		fail_msg("marker '%s' not in the text", marker);
	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/*
 * Edited texts belong to the test and are freed by its teardown, so a
 * failing check (which leaves the test at once) leaks nothing.
 */
static char *owned[16];
static size_t nowned;

static char *keep(char *s)
{
	assert_true(nowned < sizeof(owned) / sizeof(owned[0]));
	owned[nowned++] = s;
	return s;
}

static int free_owned(void **state)
{
	(void)state;
	while (nowned)
		free(owned[--nowned]);
	return 0;
}

/* base with its one occurrence of old replaced by new_text. */
static char *replace_in(const char *base, const char *old, const char *new_text)
{
	const char *at = strstr(base, old);
	struct cp_sbuf sb = CP_SBUF_INIT;

	if (!at)
		fail_msg("'%s' is not in the text", old);
	if (strstr(at + 1, old))
		fail_msg("'%s' occurs more than once in the text", old);
	cp_sbuf_add(&sb, base, (size_t)(at - base));
	cp_sbuf_adds(&sb, new_text);
	cp_sbuf_adds(&sb, at + strlen(old));
	return keep(cp_sbuf_detach(&sb, NULL));
}

/* The default policy with the one occurrence of old replaced by new_text. */
static char *edited(const char *old, const char *new_text)
{
	return replace_in(default_policy, old, new_text);
}

/*
 * text must be refused with "policy.yaml:<line of marker>:<col>: ..." and
 * the message must contain why.
 */
static void expect_refused_line(const char *text, int line, const char *why)
{
	struct cp_policy *p = (struct cp_policy *)1;
	char prefix[64];
	int r = cp_policy_parse(&p, "policy.yaml", text, strlen(text));

	if (r != -CP_EDATA) {
		if (r == 0)
			cp_policy_free(p);
		fail_msg("policy accepted (r=%d), should be refused for: %s", r, why);
	}
	assert_null(p);
	snprintf(prefix, sizeof(prefix), "policy.yaml:%d:", line);
	if (strncmp(cp_errmsg(), prefix, strlen(prefix)))
		fail_msg("message '%s' does not start with '%s'", cp_errmsg(), prefix);
	if (!strstr(cp_errmsg(), why))
		fail_msg("message '%s' does not say '%s'", cp_errmsg(), why);
}

static void expect_refused_text(const char *text, const char *marker,
				const char *why)
{
	expect_refused_line(text, line_of(text, marker), why);
}

/*
 * Replace old with new_text in the default policy; the result must be
 * refused at the line of marker (its first occurrence in the edited text),
 * or with marker NULL at the line where the edit was made.
 */
static void refuse(const char *old, const char *new_text, const char *marker,
		   const char *why)
{
	char *text = edited(old, new_text);

	if (marker)
		expect_refused_text(text, marker, why);
	else
		expect_refused_line(text, line_of(default_policy, old), why);
}

/* The default policy with the lines from `from` up to `to` cut out. */
static char *cut(const char *from, const char *to)
{
	const char *a = strstr(default_policy, from), *b;
	struct cp_sbuf sb = CP_SBUF_INIT;

	assert_non_null(a);
	b = strstr(a, to);
	assert_non_null(b);
	cp_sbuf_add(&sb, default_policy, (size_t)(a - default_policy));
	cp_sbuf_adds(&sb, b);
	return keep(cp_sbuf_detach(&sb, NULL));
}

static int classify(const struct cp_policy *p, const char *amount,
		    const char *scope, const char *flag, const char *kind)
{
	const char *flags[1] = { flag };
	struct cp_facts f;

	memset(&f, 0, sizeof(f));
	f.has_amount = amount != NULL;
	f.amount = 0;
	if (amount && cp_money_parse(&f.amount, amount, strlen(amount)) < 0)
		fail_msg("amount %s: %s", amount, cp_errmsg());
	f.scope = scope;
	f.flags = flags;
	f.nflags = flag ? 1 : 0;
	f.kind = kind;
	return cp_classify(p, &f);
}

static void expect_level(const struct cp_policy *p, const char *amount,
			 const char *scope, const char *flag, const char *kind,
			 const char *want)
{
	int got = classify(p, amount, scope, flag, kind);

	assert_in_range(got, 0, p->nlevels - 1);
	if (strcmp(p->levels[got].id, want))
		fail_msg("amount %s scope %s flag %s kind %s: level %s, want %s",
			 amount ? amount : "-", scope ? scope : "-", flag ? flag : "-",
			 kind ? kind : "-", p->levels[got].id, want);
}

/* ---- the default policy loads ---- */

static void test_default_loads(void **state)
{
	struct cp_policy *p = load(default_policy);
	const struct cp_level *minor, *major, *critical;

	(void)state;
	assert_string_equal(p->name, "winery-2022");
	assert_string_equal(p->currency, "CNY");
	assert_string_equal(p->timezone, "Asia/Shanghai");
	assert_int_equal(p->point_value, 1000);	/* cents */
	assert_int_equal(p->cal.workdays, 0x3e);	/* mon..fri */
	assert_int_equal(p->cal.nholidays, 33);
	assert_int_equal(p->cal.nextra, 6);
	assert_int_equal(p->cal.nyears, 1);
	assert_int_equal(p->cal.years[0], 2026);
	assert_int_equal(p->nchannels, 5);
	assert_true(cp_policy_has_channel(p, "letter"));
	assert_false(cp_policy_has_channel(p, "fax"));
	assert_int_equal(p->nkinds, 2);
	assert_true(p->kinds[0].scored);
	assert_false(p->kinds[1].scored);
	assert_string_equal(p->kinds[1].name, "非本公司责任");
	assert_int_equal(cp_policy_kind(p, "unfounded"), 1);
	assert_true(cp_policy_has_category(p, "transport"));
	assert_int_equal(cp_policy_scope(p, "media"), 3);
	assert_int_equal(cp_policy_flag(p, "regulator"), 1);
	assert_int_equal(cp_policy_flag(p, "fire"), -1);

	assert_int_equal(p->nlevels, 4);
	assert_int_equal(cp_policy_level(p, "minor"), 0);
	assert_int_equal(cp_policy_level(p, "critical"), 3);
	assert_int_equal(cp_policy_level(p, "huge"), -1);

	minor = &p->levels[0];
	assert_string_equal(minor->name, "轻微投诉");
	assert_int_equal(minor->ndeadlines, 3);
	assert_int_equal(minor->deadlines[0].event, EV_NOTIFY);
	assert_int_equal(minor->deadlines[0].from, EV_NEW);
	assert_int_equal(minor->deadlines[0].within.n, 10);
	assert_int_equal(minor->deadlines[0].within.unit, CP_MINUTES);
	assert_int_equal(minor->deadlines[1].event, EV_ONSITE);
	assert_int_equal(minor->deadlines[1].from, EV_NOTIFY);
	assert_int_equal(minor->deadlines[2].event, EV_RESOLVE);
	assert_int_equal(minor->deadlines[2].within.unit, CP_HOURS);
	assert_int_equal(minor->napprovals, 0);
	assert_false(minor->needs_plan);
	assert_int_equal(minor->penalties.points[ROLE_DEPARTMENT], 5);
	assert_int_equal(minor->penalties.points[ROLE_RESPONSIBLE], CP_NONE);
	assert_int_equal(minor->penalties.responsible_max, 5);

	assert_true(p->levels[1].needs_plan);	/* general: approvals [leader] */
	assert_int_equal(p->levels[1].napprovals, 1);
	assert_int_equal(p->levels[1].approvals[0], ROLE_LEADER);
	assert_int_equal(p->levels[1].penalties.responsible_max, CP_NONE);

	major = &p->levels[2];
	assert_int_equal(major->napprovals, 2);
	assert_int_equal(major->approvals[1], ROLE_DIRECTOR);
	assert_int_equal(major->deadlines[2].event, EV_PLAN);
	assert_int_equal(major->deadlines[3].within.n, 2);
	assert_int_equal(major->deadlines[3].within.unit, CP_WORKDAYS);
	assert_int_equal(major->penalties.points[ROLE_RESPONSIBLE], 50);
	assert_int_equal(major->penalties.points[ROLE_HEAD], 10);
	assert_int_equal(major->penalties.points[ROLE_LEADER], CP_NONE);
	assert_int_equal(major->min_amount, 1000000);	/* cents */
	assert_int_equal(major->min_scope, 2);

	critical = &p->levels[3];
	assert_int_equal(critical->nflags, 2);
	assert_int_equal(critical->penalties.points[ROLE_LEADER], 20);

	assert_int_equal(p->late.points[ROLE_DEPARTMENT], 10);
	assert_int_equal(p->unsatisfied.points[ROLE_DEPARTMENT], 10);
	assert_false(p->close_requires_callback);
	assert_int_equal(p->recurring_at, 3);
	cp_policy_free(p);
}

/*
 * A policy's zone is a value it carries (p->tz): two policies with
 * different zones are used side by side in one process, each time
 * function answering in the zone it is given, and nothing touches the
 * process's TZ (issue 12).
 */
static void test_two_zones(void **state)
{
	char *berlin_text = replace_in(default_policy, "timezone: Asia/Shanghai",
				       "timezone: Europe/Berlin");
	struct cp_policy *sh = load(default_policy), *be = load(berlin_text);
	const char *env = getenv("TZ");
	char *env_before = env ? strdup(env) : NULL;
	char buf[CP_TIME_BUF];
	cp_time t, a, b;
	int round;

	(void)state;
	assert_string_equal(cp_tz_name(sh->tz), "Asia/Shanghai");
	assert_string_equal(cp_tz_name(be->tz), "Europe/Berlin");
	/* 2026-07-01T20:30:00Z: 04:30 on 2 July in Shanghai, 22:30 on 1 July in Berlin (CEST) */
	t = (cp_time)cp_days_from_civil(2026, 7, 1) * 86400 + 20 * 3600 + 30 * 60;
	for (round = 0; round < 3; round++) {	/* by turns: neither leaves a trace */
		cp_time_fmt(buf, sh->tz, t);
		assert_string_equal(buf, "2026-07-02T04:30:00+08:00");
		cp_time_fmt(buf, be->tz, t);
		assert_string_equal(buf, "2026-07-01T22:30:00+02:00");
		assert_int_equal(cp_local_day(sh->tz, t), cp_days_from_civil(2026, 7, 2));
		assert_int_equal(cp_local_day(be->tz, t), cp_days_from_civil(2026, 7, 1));
		/* the same words, two instants seven hours apart */
		assert_int_equal(cp_time_parse(&a, sh->tz, "2026-12-01T09:00"), 0);
		assert_int_equal(cp_time_parse(&b, be->tz, "2026-12-01T09:00"), 0);
		assert_int_equal(b - a, 7 * 3600);	/* CET is +01:00 in December */
		assert_int_equal(cp_local_time(be->tz, cp_days_from_civil(2026, 12, 1), 9, 0, 0), b);
	}
	/* the process's TZ is as it was */
	env = getenv("TZ");
	if (env_before)
		assert_string_equal(env, env_before);
	else
		assert_null(env);
	free(env_before);
	cp_policy_free(sh);
	cp_policy_free(be);
}

/* ---- classification ---- */

static void test_classify_amount(void **state)
{
	struct cp_policy *p = load(default_policy);

	(void)state;
	expect_level(p, NULL, NULL, NULL, NULL, "minor");
	expect_level(p, "0", NULL, NULL, NULL, "minor");
	expect_level(p, "999.99", NULL, NULL, NULL, "minor");
	expect_level(p, "1000", NULL, NULL, NULL, "general");
	expect_level(p, "9999", NULL, NULL, NULL, "general");
	expect_level(p, "9999.99", NULL, NULL, NULL, "general");
	expect_level(p, "10000", NULL, NULL, NULL, "major");
	expect_level(p, "49999.99", NULL, NULL, NULL, "major");
	expect_level(p, "50000", NULL, NULL, NULL, "critical");
	expect_level(p, "1000000000", NULL, NULL, NULL, "critical");
	cp_policy_free(p);
}

static void test_classify_scope(void **state)
{
	struct cp_policy *p = load(default_policy);

	(void)state;
	expect_level(p, NULL, "single", NULL, NULL, "minor");
	expect_level(p, NULL, "several", NULL, NULL, "general");
	expect_level(p, NULL, "public", NULL, NULL, "major");
	expect_level(p, NULL, "media", NULL, NULL, "critical");
	/* the highest level met wins, whichever fact meets it */
	expect_level(p, "0", "public", NULL, NULL, "major");
	expect_level(p, "20000", "several", NULL, NULL, "major");
	expect_level(p, "60000", "single", NULL, NULL, "critical");
	cp_policy_free(p);
}

static void test_classify_flags(void **state)
{
	struct cp_policy *p = load(default_policy);

	(void)state;
	expect_level(p, NULL, NULL, "safety", NULL, "critical");
	expect_level(p, "0", "single", "safety", NULL, "critical");
	expect_level(p, "5", NULL, "regulator", NULL, "critical");
	/* a flag no level names raises nothing */
	expect_level(p, "5", NULL, "other", NULL, "minor");
	cp_policy_free(p);
}

static void test_classify_kinds(void **state)
{
	/* a kind `claim`, and a level it forces: claims are at least general */
	char *text = replace_in(
		edited("  - {id: unfounded, name: 非本公司责任, scored: false}\n",
		       "  - {id: unfounded, name: 非本公司责任, scored: false}\n"
		       "  - {id: claim, name: 索赔}\n"),
		"    approvals: [leader]\n", "    kinds: [claim]\n    approvals: [leader]\n");
	struct cp_policy *p = load(text);

	(void)state;
	assert_int_equal(p->levels[1].nkinds, 1);
	expect_level(p, "0", NULL, NULL, "claim", "general");
	expect_level(p, "0", NULL, NULL, "complaint", "minor");
	expect_level(p, "0", NULL, NULL, NULL, "minor");
	expect_level(p, "20000", NULL, NULL, "claim", "major");
	cp_policy_free(p);

	/* a level naming an unknown kind is refused at that item */
	expect_refused_text(replace_in(text, "kinds: [claim]", "kinds: [clam]"),
			    "kinds: [clam]", "unknown kind 'clam'");
}

/* ---- refusals, one per validation rule ---- */

static void test_refuse_levels_out_of_order(void **state)
{
	(void)state;
	/* major below general by amount */
	refuse("    min_amount: 10000\n", "    min_amount: 500\n", NULL, "out of order");
	/* major below general by scope */
	refuse("    min_scope: public\n", "    min_scope: single\n", NULL, "out of order");
	/* critical below major by amount */
	refuse("    min_amount: 50000\n", "    min_amount: 9999.5\n", NULL, "out of order");
}

/* The default policy with two edits (each old text must occur once). */
static char *edited2(const char *old1, const char *new1, const char *old2,
		     const char *new2)
{
	return replace_in(edited(old1, new1), old2, new2);
}

/*
 * Levels must ascend among those that give the threshold, not only next
 * to each other: with major's min_amount gone, critical's 500 is below
 * general's 1000 (and a case of 600 would be classified critical while
 * general, which it does not reach, sits below).  LIBRARY BUG: accepted.
 */
static void test_refuse_out_of_order_across_gap_amount(void **state)
{
	char *text = edited2("    min_amount: 10000\n", "",
			     "    min_amount: 50000\n", "    min_amount: 500\n");

	(void)state;
	expect_refused_text(text, "    min_amount: 500\n", "out of order");
}

/* The same for scopes: critical `single` below general `several`.  LIBRARY BUG: accepted. */
static void test_refuse_out_of_order_across_gap_scope(void **state)
{
	char *text = edited2("    min_scope: public\n", "",
			     "    min_scope: media\n", "    min_scope: single\n");

	(void)state;
	expect_refused_text(text, "    min_scope: single\n    flags", "out of order");
}

static void test_refuse_negative_points(void **state)
{
	(void)state;
	refuse("penalties: {department: 10}\n", "penalties: {department: -10}\n",
	       NULL, "negative");
	refuse("responsible: {max: 5}", "responsible: {max: -5}", NULL, "negative");
	refuse("head: 15,", "head: -1,", NULL, "negative");
	refuse("late: {department: 10}", "late: {department: -10}", NULL, "negative");
	refuse("point_value: 10 ", "point_value: -10 ", NULL, "negative");
	refuse("    min_amount: 0\n", "    min_amount: -1\n", NULL, "negative");
	/* points are whole numbers */
	refuse("penalties: {department: 10}\n", "penalties: {department: 2.5}\n",
	       NULL, "whole number");
}

static void test_refuse_unknown_role(void **state)
{
	(void)state;
	refuse("    approvals: [leader]\n", "    approvals: [leader, boss]\n", NULL,
	       "unknown role 'boss'");
	refuse("    approvals: []\n", "    approvals: [responsible]\n", NULL,
	       "unknown role 'responsible'");
	refuse("    approvals: [leader]\n", "    approvals: [leader, leader]\n", NULL,
	       "twice");
	refuse("penalties: {department: 10}\n", "penalties: {department: 10, boss: 3}\n",
	       NULL, "unknown field 'boss'");
}

static void test_refuse_unknown_deadline_event(void **state)
{
	(void)state;
	refuse("      resolve: 2h\n", "      fix: 2h\n", NULL, "unknown event 'fix'");
	/* `new` and `note` are events but cannot have deadlines */
	refuse("      resolve: 2h\n", "      note: 2h\n", NULL, "unknown event 'note'");
	refuse("plan: 24h,", "new: 24h,", NULL, "unknown event 'new'");
}

static void test_refuse_unknown_from(void **state)
{
	(void)state;
	refuse("    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, resolve: 12h}\n",
	       "    deadlines: {notify: 10m, onsite: {within: 10m, from: lunch}, resolve: 12h}\n",
	       NULL, "unknown event 'lunch'");
	refuse("      onsite: {within: 10m, from: notify}\n",
	       "      onsite: {within: 10m, from: penalize}\n", NULL,
	       "unknown event 'penalize'");
	refuse("      onsite: {within: 10m, from: notify}\n",
	       "      onsite: {within: 10m, from: onsite}\n", NULL, "itself");
	refuse("      onsite: {within: 10m, from: notify}\n",
	       "      onsite: {from: notify}\n", NULL, "'within'");
	refuse("      onsite: {within: 10m, from: notify}\n",
	       "      onsite: {within: 10m, from: notify, after: x}\n", NULL,
	       "unknown field 'after'");
}

static void test_refuse_from_cycle(void **state)
{
	(void)state;
	/* minor: notify from onsite, onsite from notify (block mapping) */
	refuse("      notify: 10m                 # from received, unless `from` says otherwise\n",
	       "      notify: {within: 10m, from: onsite}\n", NULL, "cycle");
	/* general: the same in a flow mapping */
	refuse("    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, resolve: 12h}\n",
	       "    deadlines: {notify: {within: 10m, from: onsite}, onsite: {within: 10m, from: notify}, resolve: 12h}\n",
	       NULL, "cycle");
	/* major: three steps, notify <- resolve <- plan <- notify */
	refuse("    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, plan: 24h, resolve: 2wd}\n",
	       "    deadlines: {notify: {within: 10m, from: resolve}, onsite: {within: 10m, from: notify}, "
	       "plan: {within: 24h, from: notify}, resolve: {within: 2wd, from: plan}}\n",
	       NULL, "cycle");
}

static void test_chain_from_event_without_deadline(void **state)
{
	/* resolve 2h from assign: assign has no deadline, that is fine */
	char *text = edited("      resolve: 2h\n", "      resolve: {within: 2h, from: assign}\n");
	struct cp_policy *p = load(text);

	(void)state;
	assert_int_equal(p->levels[0].deadlines[2].from, EV_ASSIGN);
	cp_policy_free(p);
}

static void test_refuse_unknown_scope_flag(void **state)
{
	(void)state;
	refuse("    min_scope: several\n", "    min_scope: country\n", NULL,
	       "unknown scope 'country'");
	refuse("    flags: [safety, regulator]\n", "    flags: [safety, fire]\n",
	       "fire", "unknown flag 'fire'");
}

static void test_refuse_missing_keys(void **state)
{
	char *text;

	(void)state;
	/* the root mapping starts at its first key, line 4 (or 5 once `name` is gone) */
	refuse("name: winery-2022\n", "", "currency: CNY", "missing required key 'name'");
	refuse("timezone: Asia/Shanghai", "#imezone: Asia/Shanghai", "name: winery-2022",
	       "missing required key 'timezone'");
	refuse("currency: CNY\n", "", "name: winery", "missing required key 'currency'");
	refuse("channels: [phone, online, email, onsite, letter]\n", "", "name: winery",
	       "missing required key 'channels'");
	/* a level without an id: the level's mapping is named */
	refuse("  - id: general\n    name: 一般投诉\n", "  - name: 一般投诉\n", NULL,
	       "missing required key 'id'");

	text = cut("levels:", "late:");
	expect_refused_text(text, "name: winery", "missing required key 'levels'");
}

static void test_refuse_unknown_keys(void **state)
{
	char *text = keep(cp_xmalloc(sizeof(default_policy) + 64));

	(void)state;
	snprintf(text, sizeof(default_policy) + 64, "%scolour: red\n", default_policy);
	expect_refused_text(text, "colour: red", "unknown field 'colour'");
	refuse("    min_scope: several\n", "    min_scope: several\n    deadline: {}\n",
	       "    deadline: {}", "unknown field 'deadline'");
	refuse("  workdays:", "  weekdays:", NULL, "unknown field 'weekdays'");
	refuse("report: {recurring_at: 3}", "report: {recuring_at: 3}", NULL,
	       "unknown field 'recuring_at'");
	refuse("  - {id: complaint, name: 投诉}", "  - {id: complaint, nom: 投诉}", NULL,
	       "unknown field 'nom'");
}

static void test_refuse_timezone(void **state)
{
	(void)state;
	refuse("timezone: Asia/Shanghai", "timezone: Mars/Olympus", NULL,
	       "unknown timezone 'Mars/Olympus'");
	refuse("timezone: Asia/Shanghai", "timezone: ../../etc/passwd", NULL,
	       "not an IANA timezone name");
	refuse("timezone: Asia/Shanghai", "timezone: right/UTC", NULL, "leap seconds");
	refuse("timezone: Asia/Shanghai", "timezone: posix/Asia/Shanghai", NULL,
	       "use 'Asia/Shanghai'");
	refuse("timezone: Asia/Shanghai", "timezone: \"\"", NULL, "empty");
}

static void test_refuse_bad_duration(void **state)
{
	(void)state;
	refuse("      resolve: 2h\n", "      resolve: 2 hours\n", NULL, "malformed duration");
	refuse("plan: 24h,", "plan: 24x,", NULL, "malformed duration");
	refuse("resolve: 7wd}", "resolve: 1w}", NULL, "malformed duration");
	refuse("      resolve: 2h\n", "      resolve: -2h\n", NULL, "malformed duration");
	refuse("      onsite: {within: 10m, from: notify}\n",
	       "      onsite: {within: 10, from: notify}\n", NULL, "malformed duration");
}

static void test_refuse_calendar(void **state)
{
	(void)state;
	/* a date that does not exist, on the line that has it */
	refuse("2026-02-19,", "2026-02-30,", NULL, "not a date");
	refuse("2026-06-20,", "June 20,", NULL, "not a date");
	refuse("2026-05-09,", "2026-5-9,", NULL, "not a date");
	/* no working weekday at all */
	refuse("  workdays: [mon, tue, wed, thu, fri]\n", "  workdays: []\n", NULL,
	       "at least one weekday");
	refuse("  workdays: [mon, tue, wed, thu, fri]\n",
	       "  workdays: [mon, tue, wed, thu, fry]\n", NULL, "'fry' is not a weekday");
	/* the same date a holiday and a make-up day: the make-up list is named */
	refuse("2026-10-10]", "2026-10-07]", "  extra_workdays:",
	       "2026-10-07 is both a holiday and an extra working day");
	/* a holiday listed twice */
	refuse("2026-02-19,", "2026-02-18,", "  holidays:", "twice");
}

static void test_refuse_duplicates(void **state)
{
	(void)state;
	refuse("  - id: major\n", "  - id: general\n", NULL, "level 'general' is listed twice");
	refuse("channels: [phone, online, email, onsite, letter]",
	       "channels: [phone, online, email, phone, letter]", NULL, "'phone' is listed twice");
	refuse("  - {id: unfounded,", "  - {id: complaint,", NULL, "kind 'complaint' is listed twice");
	refuse("point_value: 10 ", "point_value: 10\nname: again\n", "name: again", "duplicate key 'name'");
}

/*
 * Names in channels, categories, scopes and flags: empty, too long or
 * repeated are refused, and the message quotes the name.  The repeat
 * sits at index 1 and the empty name at index 0 on purpose: LIBRARY BUG,
 * get_ids() in lib/policy.c frees the list and then reads v[i] for the
 * message (use after free).  glibc reuses the first slots of the freed
 * block, so depending on the heap this crashes (SIGSEGV, also in
 * `complaint policy check`) or garbles the name; valgrind always sees it.
 */
static void test_refuse_repeated_name(void **state)
{
	(void)state;
	refuse("channels: [phone, online, email, onsite, letter]",
	       "channels: [phone, phone, email, onsite, letter]", NULL,
	       "channels: 'phone' is listed twice");
}

static void test_refuse_empty_name(void **state)
{
	(void)state;
	refuse("categories: [product, service, finance, transport, other]",
	       "categories: [\"\", service, finance, transport, other]", NULL,
	       "categories: '' is not a valid name");
}

static void test_refuse_long_name(void **state)
{
	(void)state;
	/* 65 characters; 64 is the limit */
	refuse("channels: [phone, online, email, onsite, letter]",
	       "channels: [phone, online, email, onsite, "
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]",
	       NULL, "channels: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
	       "is not a valid name");
}

static void test_refuse_types(void **state)
{
	(void)state;
	refuse("close_requires_callback: false", "close_requires_callback: yes", NULL,
	       "true or false");
	refuse("point_value: 10 ", "point_value: \"10\" ", NULL, "number");
	refuse("report: {recurring_at: 3}", "report: {recurring_at: 0}", NULL, "between");
	refuse("name: winery-2022", "name: [winery]", NULL, "string");
	refuse("name: winery-2022", "name: null", NULL, "string");
	{
		char *text = cut("levels:", "late:"), *t2 = keep(cp_xmalloc(strlen(text) + 16));

		sprintf(t2, "%slevels: []\n", text);
		expect_refused_text(t2, "levels: []", "non-empty");
	}
	refuse("categories: [product, service, finance, transport, other]",
	       "categories: []", NULL, "not be empty");
	refuse("scopes: [single, several, public, media]", "scopes: [single, 2]", NULL,
	       "string");
}

static void test_refuse_not_a_policy(void **state)
{
	struct cp_policy *p = (struct cp_policy *)1;

	(void)state;
	assert_int_equal(cp_policy_parse(&p, "policy.yaml", "", 0), -CP_EDATA);
	assert_null(p);
	assert_non_null(strstr(cp_errmsg(), "policy.yaml"));
	assert_int_equal(cp_policy_parse(&p, "policy.yaml", "- a\n- b\n", 8), -CP_EDATA);
	assert_true(!strncmp(cp_errmsg(), "policy.yaml:1:", 14));
	assert_int_equal(cp_policy_parse(&p, "policy.yaml", "name: [\n", 8), -CP_EDATA);
	assert_true(!strncmp(cp_errmsg(), "policy.yaml:", 12));
}

/* ---- the roster ---- */

static struct cp_org *org_load(const char *text)
{
	struct cp_org *o = NULL;

	if (cp_org_parse(&o, "org.yaml", text, strlen(text)) < 0)
		fail_msg("roster refused: %s", cp_errmsg());
	return o;
}

static void org_refused(const char *text, int line, const char *why)
{
	struct cp_org *o = (struct cp_org *)1;
	char prefix[32];

	assert_int_equal(cp_org_parse(&o, "org.yaml", text, strlen(text)), -CP_EDATA);
	assert_null(o);
	snprintf(prefix, sizeof(prefix), "org.yaml:%d:", line);
	if (strncmp(cp_errmsg(), prefix, strlen(prefix)) || !strstr(cp_errmsg(), why))
		fail_msg("message '%s': want '%s...%s'", cp_errmsg(), prefix, why);
}

static void test_org_good(void **state)
{
	struct cp_org *o = org_load(default_org);
	const struct cp_dept *d;

	(void)state;
	assert_int_equal(o->ndirectors, 1);
	assert_string_equal(o->directors[0], "陈总");
	assert_int_equal(o->ndepts, 2);
	d = cp_org_dept(o, "餐饮部");
	assert_non_null(d);
	assert_string_equal(d->head, "李四");
	assert_string_equal(d->leader, "王五");
	d = cp_org_dept(o, "客房部");
	assert_non_null(d);
	assert_string_equal(d->head, "孙七");
	assert_null(cp_org_dept(o, "财务部"));
	assert_true(cp_org_is_director(o, "陈总"));
	assert_false(cp_org_is_director(o, "王五"));
	cp_org_free(o);

	/* no directors, a department without head or leader */
	o = org_load("departments:\n  - {name: 前台}\n");
	assert_int_equal(o->ndirectors, 0);
	assert_null(cp_org_dept(o, "前台")->head);
	assert_false(cp_org_is_director(o, "陈总"));
	cp_org_free(o);
}

static void test_org_refused(void **state)
{
	(void)state;
	org_refused("directors: [陈总]\ndepartments:\n"
		    "  - {name: 餐饮部, head: 李四, leader: 王五}\n"
		    "  - {name: 客房部, head: 孙七, leader: 王五}\n"
		    "  - {name: 餐饮部, head: 赵六}\n",
		    5, "department '餐饮部' is listed twice");
	org_refused("directors: [陈总]\nmanagers: [王五]\ndepartments: []\n", 2,
		    "unknown field 'managers'");
	org_refused("departments:\n  - {name: 餐饮部, boss: 李四}\n", 2,
		    "unknown field 'boss'");
	org_refused("directors: [陈总]\n", 1, "departments");
	org_refused("departments:\n  - {head: 李四}\n", 2, "no 'name'");
	org_refused("departments:\n  - {name: yes}\n", 2, "string");
	org_refused("directors: 陈总\ndepartments: []\n", 1, "list");
	org_refused("directors: [\"\"]\ndepartments: []\n", 1, "empty");
	org_refused("departments:\n  - {name: a}\n  - {name: b, name: c}\n", 3, "duplicate key");
}

#define TEST(f) cmocka_unit_test_teardown(f, free_owned)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_default_loads),
		TEST(test_two_zones),
		TEST(test_classify_amount),
		TEST(test_classify_scope),
		TEST(test_classify_flags),
		TEST(test_classify_kinds),
		TEST(test_refuse_levels_out_of_order),
		TEST(test_refuse_out_of_order_across_gap_amount),
		TEST(test_refuse_out_of_order_across_gap_scope),
		TEST(test_refuse_negative_points),
		TEST(test_refuse_unknown_role),
		TEST(test_refuse_unknown_deadline_event),
		TEST(test_refuse_unknown_from),
		TEST(test_refuse_from_cycle),
		TEST(test_chain_from_event_without_deadline),
		TEST(test_refuse_unknown_scope_flag),
		TEST(test_refuse_missing_keys),
		TEST(test_refuse_unknown_keys),
		TEST(test_refuse_timezone),
		TEST(test_refuse_bad_duration),
		TEST(test_refuse_calendar),
		TEST(test_refuse_duplicates),
		TEST(test_refuse_repeated_name),
		TEST(test_refuse_empty_name),
		TEST(test_refuse_long_name),
		TEST(test_refuse_types),
		TEST(test_refuse_not_a_policy),
		TEST(test_org_good),
		TEST(test_org_refused),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
