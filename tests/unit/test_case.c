/*
 * test_case.c - cases: intake, the canonical file and reading it back,
 * derived fields, deadlines, the lifecycle and IDs (include/complaint/
 * case.h, intake.h, lifecycle.h).
 *
 * The default policy and the sample roster are embedded as shipped
 * (policy/default.yaml, policy/rosters/winery.yaml); the policy's zone,
 * Asia/Shanghai, is made the process zone in the group setup.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/input.h"
#include "complaint/intake.h"
#include "complaint/name.h"
#include "complaint/lifecycle.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/timeutil.h"

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
	"directors: [陈总]\n"
	"departments:\n"
	"  - {name: 餐饮部, head: 李四, leader: 王五}\n"
	"  - {name: 客房部, head: 孙七, leader: 王五}\n";

static struct cp_policy *P;
static struct cp_org *O;

#define CLERK "客服中心/赵六"

static int setup(void **state)
{
	(void)state;
	if (cp_policy_parse(&P, "policy.yaml", default_policy, strlen(default_policy)) < 0 ||
	    cp_org_parse(&O, "org.yaml", default_org, strlen(default_org)) < 0) {
		fprintf(stderr, "setup: %s\n", cp_errmsg());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_policy_free(P);
	cp_org_free(O);
	return 0;
}

/* ---- helpers ---- */

static cp_time T(const char *s)
{
	cp_time t = 0;

	if (cp_time_parse(&t, P->tz, s) < 0)
		fail_msg("bad time in test: %s", s);
	return t;
}

/* The clock for every test: well after all the events below. */
#define NOW T("2026-12-31T00:00:00+08:00")

static void expect_at(cp_time t, const char *want)
{
	char buf[CP_TIME_BUF];

	if (t == CP_TIME_NONE)
		fail_msg("no time, want %s", want);
	cp_time_fmt(buf, P->tz, t);
	assert_string_equal(buf, want);
}

static void expect_deadline(const struct cp_case *c, enum cp_evt e, const char *want)
{
	char buf[CP_TIME_BUF];
	cp_time t = cp_case_deadline(c, e);

	if (t == CP_TIME_NONE)
		fail_msg("no %s deadline, want %s", cp_evt_name(e), want);
	cp_time_fmt(buf, P->tz, t);
	if (strcmp(buf, want))
		fail_msg("%s deadline %s, want %s", cp_evt_name(e), buf, want);
}

static struct cp_new_req request(const char *received, const char *amount)
{
	struct cp_new_req r;

	memset(&r, 0, sizeof(r));
	r.customer = "王先生";
	r.contact = "13800000000";
	r.channel = "phone";
	r.category = "service";
	r.summary = "上菜延迟一小时";
	r.description = "客人说: 等了一小时\n# 不是注释\n  - 也不是列表\n";
	r.received = received;
	r.amount = amount;
	return r;
}

/* Create a case from req, with a generated ID. */
static struct cp_case *create(const struct cp_new_req *req)
{
	struct cp_case *c = NULL;

	if (cp_case_create(&c, P, req, CLERK, NOW) < 0)
		fail_msg("cp_case_create: %s", cp_errmsg());
	assert_int_equal(cp_id_generate(c->id, P->tz, c->received), 0);
	return c;
}

static struct cp_case *new_case(const char *received, const char *amount)
{
	struct cp_new_req r = request(received, amount);

	return create(&r);
}

static const char *level(const struct cp_case *c)
{
	return P->levels[c->d.level].id;
}

static char *format(const struct cp_case *c)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	cp_case_format(&sb, c, P);
	return cp_sbuf_detach(&sb, NULL);
}

static struct cp_event mk(enum cp_evt action, cp_time at, const char *by)
{
	struct cp_event e;

	memset(&e, 0, sizeof(e));
	e.action = action;
	e.at = at;
	e.by = (char *)by;
	e.compensation = -1;
	e.points = CP_NONE;
	e.satisfied = -1;
	return e;
}

/* One minute after the case's last event. */
static cp_time next_at(const struct cp_case *c)
{
	return c->events[c->nevents - 1].at + 60;
}

/* A valid event of each action, by someone allowed to record it. */
static struct cp_event typical(const struct cp_case *c, enum cp_evt a)
{
	struct cp_event e = mk(a, next_at(c), CLERK);

	switch (a) {
	case EV_ASSIGN:
		e.department = "餐饮部";
		e.responsible = "张三";
		break;
	case EV_PLAN:
		e.text = "退一道菜的钱, 道歉";
		break;
	case EV_APPROVE:	/* the general level's leader */
		e.by = "餐饮部/王五";
		break;
	case EV_RESOLVE:
		e.text = "已退款";
		e.cause = "厨房人手不足";
		e.measure = "高峰加人";
		e.compensation = 8850;
		break;
	case EV_CALLBACK:
		e.satisfied = 1;
		e.text = "满意";
		break;
	case EV_REOPEN:
		e.reason = "客人又来电";
		break;
	case EV_NOTE:
		e.text = "客人要求回电: 下午";
		break;
	case EV_PENALIZE:
		e.person = "张三";
		e.points = 1;
		e.reason = "服务慢";
		break;
	case EV_RECLASSIFY:
		e.severity = "major";
		e.reason = "客人投诉到媒体之前升级";
		break;
	default:
		break;
	}
	return e;
}

static void apply_ok(struct cp_case *c, const struct cp_event *e)
{
	if (cp_lifecycle_apply(c, P, O, e, NOW) < 0)
		fail_msg("%s refused in status %s: %s", cp_evt_name(e->action),
			 cp_status_name(c->d.status), cp_errmsg());
}

static void step(struct cp_case *c, enum cp_evt a)
{
	struct cp_event e = typical(c, a);

	apply_ok(c, &e);
}

/*
 * e must be refused with -kind and a message containing why (if given),
 * and the case must be exactly as before.
 */
static void apply_refused(struct cp_case *c, const struct cp_event *e, cp_time now,
			  int kind, const char *why)
{
	char *before = format(c), *after;
	size_t nevents = c->nevents;
	enum cp_status st = c->d.status;
	int r = cp_lifecycle_apply(c, P, O, e, now);

	if (r != -kind)
		fail_msg("%s in status %s: returned %d, want %d (%s)",
			 cp_evt_name(e->action), cp_status_name(st), r, -kind, cp_errmsg());
	if (!*cp_errmsg())
		fail_msg("%s refused without a message", cp_evt_name(e->action));
	if (why && !strstr(cp_errmsg(), why))
		fail_msg("%s refused with '%s', which does not say '%s'",
			 cp_evt_name(e->action), cp_errmsg(), why);
	after = format(c);
	assert_int_equal(c->nevents, nevents);
	assert_int_equal(c->d.status, st);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

static void refused(struct cp_case *c, const struct cp_event *e, int kind,
		    const char *why)
{
	apply_refused(c, e, NOW, kind, why);
}

/*
 * Write c, read it back, derive: no mismatches, and writing the read case
 * gives the same bytes.  Returns the text (caller frees).
 */
static char *roundtrip(const struct cp_case *c)
{
	char *text = format(c), *again;
	struct cp_case *back = NULL;
	struct cp_sbuf mism = CP_SBUF_INIT;

	if (cp_case_parse(&back, P->tz, "case.yaml", text, strlen(text)) < 0)
		fail_msg("the written case does not read back: %s\n%s", cp_errmsg(), text);
	if (cp_case_derive(back, P) < 0)
		fail_msg("derive: %s", cp_errmsg());
	if (cp_case_check_derived(&mism, back, P) != 0)
		fail_msg("mismatches after a round trip:\n%s\n%s", mism.buf, text);
	again = format(back);
	if (strcmp(text, again))
		fail_msg("written twice, differs:\n--- first\n%s--- second\n%s", text, again);
	assert_string_equal(back->id, c->id);
	assert_int_equal(back->received, c->received);
	assert_int_equal(back->nevents, c->nevents);
	assert_int_equal(back->d.status, c->d.status);
	assert_int_equal(back->d.level, c->d.level);
	assert_string_equal(back->summary, c->summary);
	free(again);
	cp_sbuf_release(&mism);
	cp_case_free(back);
	return text;
}

static void roundtrip_ok(const struct cp_case *c)
{
	free(roundtrip(c));
}

/* The case text with one edit, read back and derived. */
static struct cp_case *tampered(const char *text, const char *old, const char *new_text)
{
	const char *at = strstr(text, old);
	struct cp_sbuf sb = CP_SBUF_INIT;
	struct cp_case *c = NULL;

	if (!at)
		fail_msg("'%s' is not in the case:\n%s", old, text);
	cp_sbuf_add(&sb, text, (size_t)(at - text));
	cp_sbuf_adds(&sb, new_text);
	cp_sbuf_adds(&sb, at + strlen(old));
	if (cp_case_parse(&c, P->tz, "case.yaml", sb.buf, sb.len) < 0)
		fail_msg("tampered case refused: %s\n%s", cp_errmsg(), sb.buf);
	cp_sbuf_release(&sb);
	assert_int_equal(cp_case_derive(c, P), 0);
	return c;
}

static void expect_mismatch(const char *text, const char *old, const char *new_text,
			    int n, const char *says)
{
	struct cp_case *c = tampered(text, old, new_text);
	struct cp_sbuf out = CP_SBUF_INIT;
	int got = cp_case_check_derived(&out, c, P);

	if (got != n || !strstr(out.buf, says))
		fail_msg("'%s' -> '%s': %d mismatches, want %d saying '%s':\n%s", old,
			 new_text, got, n, says, out.buf);
	cp_sbuf_release(&out);
	cp_case_free(c);
}

/* ---- write, read back, derive ---- */

static void test_roundtrip_new(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	char *text;

	(void)state;
	assert_string_equal(level(c), "general");
	assert_int_equal(c->d.status, ST_NEW);
	assert_int_equal(c->nevents, 1);
	assert_int_equal(c->events[0].action, EV_NEW);
	assert_string_equal(c->events[0].by, CLERK);
	text = roundtrip(c);
	assert_non_null(strstr(text, "status: new\n"));
	assert_non_null(strstr(text, "severity: general\n"));
	assert_non_null(strstr(text, "received_at: 2026-11-22T14:05:00+08:00\n"));
	assert_non_null(strstr(text, "amount: 1200.00\n"));
	assert_non_null(strstr(text, "summary: 上菜延迟一小时\n"));
	free(text);
	cp_case_free(c);
}

/* Whatever a clerk types survives the case file byte for byte. */
static void test_roundtrip_hostile_text(void **state)
{
	static const char *const texts[] = {
		"yes", "no", "null", "~", "0123", "1e3", "2026-11-22", "- x",
		"key: v", "# x", "a #b", "'x", "\"x", " lead", "trail ", "a\tb",
		"a\r\nb", "line one\nline two\n", "\nfirst empty", "a\n\n\n",
		"😀 上菜延迟", "{a: [b]}", ",", "\\", "\xe2\x80\xa8", "\xef\xbb\xbf" "x",
		"a\x7f" "b",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct cp_new_req r = request("2026-11-22T14:05+08:00", NULL);
		struct cp_case *c, *back = NULL;
		struct cp_event e;
		char *text, *name = NULL;

		r.customer = texts[i];
		r.contact = texts[i];
		r.summary = texts[i];
		r.description = texts[i];
		if (!strcmp(texts[i], "~") || !strcmp(texts[i], ","))
			r.summary = "x";	/* keep one ordinary field */
		c = create(&r);
		e = typical(c, EV_NOTE);
		e.text = (char *)texts[i];
		apply_ok(c, &e);
		/*
		 * a responsible person is a name, not text: normal form or
		 * refused; the field is a name list (a line a name), and a
		 * name holding a list separator is refused (SPEC section 9)
		 */
		e = typical(c, EV_ASSIGN);
		e.responsible = (char *)texts[i];
		if (strpbrk(texts[i], "\n,;")) {
			apply_refused(c, &e, NOW, CP_EUSAGE, NULL);
			e.responsible = name = cp_xstrdup("张三");
		} else if (cp_name_norm(&name, NULL, texts[i], strlen(texts[i])) < 0) {
			apply_refused(c, &e, NOW, CP_EUSAGE, "invisible");
			e.responsible = name = cp_xstrdup("张三");
		}
		apply_ok(c, &e);
		text = roundtrip(c);
		assert_int_equal(cp_case_parse(&back, P->tz, "case.yaml", text, strlen(text)), 0);
		assert_string_equal(back->customer, texts[i]);
		assert_string_equal(back->contact, texts[i]);
		assert_string_equal(back->description, texts[i]);
		assert_string_equal(back->events[1].text, texts[i]);
		assert_string_equal(back->events[2].responsible, name);
		free(name);
		cp_case_free(back);
		free(text);
		cp_case_free(c);
	}
}

static void test_roundtrip_lifecycle(void **state)
{
	static const enum cp_evt steps[] = {
		EV_ASSIGN, EV_NOTIFY, EV_ONSITE, EV_NOTE, EV_PLAN, EV_APPROVE,
		EV_RESOLVE, EV_CALLBACK, EV_CLOSE, EV_REOPEN, EV_PENALIZE,
		EV_RECLASSIFY, EV_PLAN,
	};
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	struct cp_new_req r = request("2026-11-22T15:00+08:00", NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step(c, steps[i]);
		roundtrip_ok(c);
	}
	assert_string_equal(level(c), "major");
	assert_int_equal(c->d.status, ST_PLANNED);
	assert_string_equal(c->d.department, "餐饮部");
	assert_string_equal(c->d.responsible, "张三");
	assert_string_equal(c->d.head, "李四");
	assert_string_equal(c->d.leader, "王五");
	cp_case_free(c);

	/* an explicit severity with its reason, and flags */
	r.severity = "critical";
	r.reason = "VIP 客人";
	r.flags[0] = "regulator";
	r.nflags = 1;
	c = create(&r);
	assert_string_equal(level(c), "critical");
	assert_string_equal(c->events[0].severity, "critical");
	roundtrip_ok(c);
	cp_case_free(c);
}

/* The stored derived fields that disagree with the events are reported. */
static void test_tampered_derived_fields(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	char *text;

	(void)state;
	step(c, EV_ASSIGN);
	text = roundtrip(c);
	expect_mismatch(text, "status: assigned\n", "status: closed\n", 1, "status");
	expect_mismatch(text, "status: assigned\n", "status: new\n", 1, "events say 'assigned'");
	expect_mismatch(text, "severity: general\n", "severity: minor\n", 1, "severity");
	expect_mismatch(text, "severity: general\n", "severity: critical\n", 1,
			"file says 'critical'");
	expect_mismatch(text, "  resolve: 2026-11-23T02:05:00+08:00\n",
			"  resolve: 2026-11-24T02:05:00+08:00\n", 1, "deadline resolve");
	expect_mismatch(text, "  notify: 2026-11-22T14:15:00+08:00\n", "", 1,
			"deadline notify");
	expect_mismatch(text, "  resolve: 2026-11-23T02:05:00+08:00\n",
			"  resolve: 2026-11-23T02:05:00+08:00\n  plan: 2026-11-23T02:05:00+08:00\n",
			1, "deadline plan");
	expect_mismatch(text, "department: 餐饮部\n", "department: 客房部\n", 1, "department");
	expect_mismatch(text, "head: 李四\n", "", 1, "head");
	expect_mismatch(text, "status: assigned\nseverity: general\n",
			"status: resolved\nseverity: major\n", 2, "severity");
	/* the same instant written in another offset is not a mismatch */
	expect_mismatch(text, "  resolve: 2026-11-23T02:05:00+08:00\n",
			"  resolve: 2026-11-22T18:05:00Z\n", 0, "");
	free(text);
	cp_case_free(c);
}

/* ---- deadlines ---- */

static void test_deadlines_general(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	struct cp_event e;

	(void)state;
	/*
	 * notify 10m after received; onsite 10m from notify, which has not
	 * happened, so from notify's own deadline (14:15 + 10m); resolve 12h.
	 */
	expect_deadline(c, EV_NOTIFY, "2026-11-22T14:15:00+08:00");
	expect_deadline(c, EV_ONSITE, "2026-11-22T14:25:00+08:00");
	expect_deadline(c, EV_RESOLVE, "2026-11-23T02:05:00+08:00");
	assert_int_equal(cp_case_deadline(c, EV_PLAN), CP_TIME_NONE);
	assert_int_equal(cp_case_next_deadline(c)->event, EV_NOTIFY);
	assert_false(cp_case_overdue(c, T("2026-11-22T14:15:00+08:00")));
	assert_true(cp_case_overdue(c, T("2026-11-22T14:15:01+08:00")));

	e = mk(EV_ASSIGN, T("2026-11-22T14:09+08:00"), CLERK);
	e.department = "餐饮部";
	apply_ok(c, &e);
	/* the head is told at 14:20, 5 minutes late: onsite now runs from 14:20 */
	e = mk(EV_NOTIFY, T("2026-11-22T14:20+08:00"), CLERK);
	apply_ok(c, &e);
	expect_deadline(c, EV_NOTIFY, "2026-11-22T14:15:00+08:00");
	expect_deadline(c, EV_ONSITE, "2026-11-22T14:30:00+08:00");
	expect_deadline(c, EV_RESOLVE, "2026-11-23T02:05:00+08:00");
	expect_at(cp_case_first_miss(c, NOW), "2026-11-22T14:15:00+08:00");
	assert_int_equal(cp_case_next_deadline(c)->event, EV_ONSITE);
	roundtrip_ok(c);
	cp_case_free(c);
}

static void test_deadlines_major_make_up_day(void **state)
{
	struct cp_case *c = new_case("2026-10-09T10:00+08:00", "20000");

	(void)state;
	assert_string_equal(level(c), "major");
	expect_deadline(c, EV_NOTIFY, "2026-10-09T10:10:00+08:00");
	expect_deadline(c, EV_ONSITE, "2026-10-09T10:20:00+08:00");
	expect_deadline(c, EV_PLAN, "2026-10-10T10:00:00+08:00");
	/*
	 * 2wd from Friday 10-09: the start day is not counted; Saturday 10-10
	 * is a make-up working day (1st); Sunday 10-11 is not; Monday 10-12
	 * is the 2nd.  The deadline is the end of that day.
	 */
	expect_deadline(c, EV_RESOLVE, "2026-10-12T23:59:59+08:00");
	assert_int_equal(cp_case_uncovered_year(c, P), 0);
	roundtrip_ok(c);
	cp_case_free(c);

	/*
	 * critical, 7wd from Friday 10-09: Sat 10-10 (1), Mon 12 (2), 13 (3),
	 * 14 (4), 15 (5), 16 (6), Mon 19 (7); plan 48h.
	 */
	c = new_case("2026-10-09T10:00+08:00", "50000");
	assert_string_equal(level(c), "critical");
	expect_deadline(c, EV_PLAN, "2026-10-11T10:00:00+08:00");
	expect_deadline(c, EV_RESOLVE, "2026-10-19T23:59:59+08:00");
	cp_case_free(c);

	/* 2wd from Thu 2026-12-31 lands in 2027, which the calendar does not cover */
	{
		struct cp_new_req r = request("2026-12-31T10:00+08:00", "20000");

		c = NULL;
		assert_int_equal(cp_case_create(&c, P, &r, CLERK, T("2027-01-05T00:00+08:00")), 0);
		/* Fri 2027-01-01 (1), Mon 01-04 (2): weekdays only */
		expect_deadline(c, EV_RESOLVE, "2027-01-04T23:59:59+08:00");
		assert_int_equal(cp_case_uncovered_year(c, P), 2027);
		cp_case_free(c);
	}
}

static void test_deadlines_reclassify(void **state)
{
	struct cp_case *c = new_case("2026-10-09T10:00+08:00", "500");
	struct cp_event e;

	(void)state;
	assert_string_equal(level(c), "minor");
	expect_deadline(c, EV_RESOLVE, "2026-10-09T12:00:00+08:00");
	assert_int_equal(cp_case_deadline(c, EV_PLAN), CP_TIME_NONE);
	e = typical(c, EV_RECLASSIFY);
	apply_ok(c, &e);
	assert_string_equal(level(c), "major");
	expect_deadline(c, EV_PLAN, "2026-10-10T10:00:00+08:00");
	expect_deadline(c, EV_RESOLVE, "2026-10-12T23:59:59+08:00");
	/* back to the level it already has: refused */
	e = typical(c, EV_RECLASSIFY);
	refused(c, &e, CP_ERULE, "already");
	e.severity = "huge";
	refused(c, &e, CP_EUSAGE, "huge");
	e.severity = "minor";
	e.reason = NULL;
	refused(c, &e, CP_EUSAGE, "reclassify needs reason");
	roundtrip_ok(c);
	cp_case_free(c);
}

/* ---- the lifecycle table of SPEC section 5 ---- */

/* A general case (approval by the leader) brought to status st. */
static struct cp_case *general_in(enum cp_status st)
{
	static const enum cp_evt path[] = { EV_ASSIGN, EV_PLAN, EV_APPROVE,
					    EV_RESOLVE, EV_CLOSE };
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	int i;

	for (i = 0; i < (int)st; i++)
		step(c, path[i]);
	assert_int_equal(c->d.status, st);
	return c;
}

/*
 * For each action, what it does in status new, assigned, planned,
 * approved, resolved, closed: the status after (N A P V R C), or '-'
 * when it is refused.
 */
static const struct {
	enum cp_evt action;
	const char *after;
} table[] = {
	{ EV_ASSIGN,     "AAAA--" },	/* re-routing until resolved (issue 3); clears plan and approvals */
	{ EV_NOTIFY,     "NAPVR-" },	/* SPEC section 9: before assign too, any status but closed */
	{ EV_ONSITE,     "NAPVR-" },
	{ EV_PLAN,       "-PP---" },	/* a new plan clears approvals */
	{ EV_APPROVE,    "--V---" },	/* general needs the leader only */
	{ EV_RESOLVE,    "---R--" },	/* general needs its approval */
	{ EV_CALLBACK,   "----RC" },
	{ EV_CLOSE,      "----C-" },
	{ EV_REOPEN,     "----AA" },
	{ EV_NOTE,       "NAPVRC" },
	{ EV_PENALIZE,   "NAPVRC" },
	/*
	 * reclassify general -> major: allowed but when closed.  An approved
	 * general case becomes a major one with 1 of its 2 approvals, so it
	 * is planned again (the director's approval is still missing).
	 */
	{ EV_RECLASSIFY, "NAPPR-" },
};

static enum cp_status status_of(char ch)
{
	const char *all = "NAPVRC";

	return (enum cp_status)(strchr(all, ch) - all);
}

static void test_lifecycle_table(void **state)
{
	size_t i;
	int st;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		for (st = ST_NEW; st < ST__COUNT; st++) {
			struct cp_case *c = general_in((enum cp_status)st);
			struct cp_event e = typical(c, table[i].action);
			char want = table[i].after[st];

			if (want == '-') {
				refused(c, &e, CP_ERULE, NULL);
			} else {
				apply_ok(c, &e);
				if (c->d.status != status_of(want))
					fail_msg("%s in status %s: status %s, want %s",
						 cp_evt_name(table[i].action),
						 cp_status_name((enum cp_status)st),
						 cp_status_name(c->d.status),
						 cp_status_name(status_of(want)));
				assert_int_equal(c->events[c->nevents - 1].action,
						 table[i].action);
				roundtrip_ok(c);
			}
			cp_case_free(c);
		}
}

static void test_resolve_without_approvals(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "100");
	struct cp_event e;

	(void)state;
	/* minor needs no approvals: resolve straight from assigned */
	assert_string_equal(level(c), "minor");
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "new");
	step(c, EV_ASSIGN);
	step(c, EV_RESOLVE);
	assert_int_equal(c->d.status, ST_RESOLVED);
	/* and minor has nothing to approve */
	cp_case_free(c);
	c = new_case("2026-11-22T14:05+08:00", "100");
	step(c, EV_ASSIGN);
	step(c, EV_PLAN);
	e = typical(c, EV_APPROVE);
	refused(c, &e, CP_ERULE, "no approvals");
	cp_case_free(c);

	/* general: resolve from assigned is refused, naming the plan and the leader */
	c = general_in(ST_ASSIGNED);
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "plan");
	step(c, EV_PLAN);
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "leader");
	cp_case_free(c);
}

static void test_missing_arguments(void **state)
{
	struct cp_case *c = general_in(ST_ASSIGNED);
	struct cp_case *r = general_in(ST_RESOLVED);
	struct cp_event e;

	(void)state;
	e = typical(c, EV_PLAN);
	e.text = NULL;
	refused(c, &e, CP_EUSAGE, "plan needs text");
	e.text = "  \n\t";
	refused(c, &e, CP_EUSAGE, "plan needs text");
	e = typical(c, EV_ASSIGN);
	e.department = NULL;
	refused(c, &e, CP_EUSAGE, "assign needs department");
	e.department = "财务部";	/* not in the roster */
	refused(c, &e, CP_ERULE, "财务部");
	e = typical(c, EV_NOTE);
	e.text = "";
	refused(c, &e, CP_EUSAGE, "note");
	e = typical(c, EV_PENALIZE);
	e.person = NULL;
	refused(c, &e, CP_EUSAGE, "person");
	e = typical(c, EV_PENALIZE);
	e.points = CP_NONE;
	refused(c, &e, CP_EUSAGE, "points");
	e.points = 0;
	refused(c, &e, CP_EUSAGE, "points");
	e = typical(c, EV_PENALIZE);
	e.reason = NULL;
	refused(c, &e, CP_EUSAGE, "penalize needs reason");
	e = typical(c, EV_RECLASSIFY);
	e.reason = NULL;
	refused(c, &e, CP_EUSAGE, "reclassify needs reason");
	e = typical(c, EV_NEW);
	refused(c, &e, CP_EUSAGE, "new");

	e = typical(r, EV_CALLBACK);
	e.satisfied = -1;
	refused(r, &e, CP_EUSAGE, "callback needs satisfied or unsatisfied");
	e = typical(r, EV_REOPEN);
	e.reason = NULL;
	refused(r, &e, CP_EUSAGE, "reopen needs reason");
	cp_case_free(c);
	c = general_in(ST_APPROVED);
	e = typical(c, EV_RESOLVE);
	e.text = NULL;
	refused(c, &e, CP_EUSAGE, "resolve needs text");
	cp_case_free(c);
	cp_case_free(r);
}

/*
 * What the reader refuses, the lifecycle refuses to write (issue 12):
 * texts that are not valid UTF-8 or longer than a scalar may be, points
 * and compensation outside the file's range, whichever field holds them.
 * At the limits it writes a file that reads back.
 */
static void test_event_fields_the_reader_takes(void **state)
{
	struct cp_case *c = general_in(ST_ASSIGNED);
	struct cp_case *a = general_in(ST_APPROVED);
	char *big = cp_xmalloc(CP_TEXT_MAX + 2);
	struct cp_event e;

	(void)state;
	memset(big, 'x', CP_TEXT_MAX + 1);
	big[CP_TEXT_MAX + 1] = '\0';
	e = typical(c, EV_PLAN);
	e.text = "\xff\xfe";
	refused(c, &e, CP_EUSAGE, "the text is not valid UTF-8");
	e.text = big;
	refused(c, &e, CP_EUSAGE, "the text is too long");
	e = typical(c, EV_NOTE);
	e.text = "ok";
	e.reason = "\xed\xa0\x80";	/* a surrogate */
	refused(c, &e, CP_EUSAGE, "the reason is not valid UTF-8");
	e = typical(c, EV_ASSIGN);
	e.responsible = big;
	refused(c, &e, CP_EUSAGE, "the responsible person is too long");
	e = typical(c, EV_PENALIZE);
	e.points = CP_POINTS_MAX + 1;
	refused(c, &e, CP_EUSAGE, "points");
	e = typical(a, EV_RESOLVE);
	e.compensation = CP_MONEY_MAX + 1;
	refused(a, &e, CP_EUSAGE, "compensation");
	e.compensation = -5;
	refused(a, &e, CP_EUSAGE, "compensation");
	e.cause = big;
	e.compensation = CP_MONEY_NONE;
	refused(a, &e, CP_EUSAGE, "the cause is too long");

	/* at the limits: written and read back */
	big[CP_TEXT_MAX] = '\0';
	e = typical(c, EV_PENALIZE);
	e.points = CP_POINTS_MAX;
	e.reason = big;
	apply_ok(c, &e);
	roundtrip_ok(c);
	e = typical(a, EV_RESOLVE);
	e.compensation = CP_MONEY_MAX;
	apply_ok(a, &e);
	roundtrip_ok(a);
	free(big);
	cp_case_free(c);
	cp_case_free(a);
}

static void test_assign_copies_roster(void **state)
{
	struct cp_case *c = general_in(ST_NEW);
	struct cp_event e;

	(void)state;
	e = typical(c, EV_ASSIGN);
	e.head = "冒名";	/* the caller cannot choose the head */
	apply_ok(c, &e);
	assert_string_equal(c->d.head, "李四");
	assert_string_equal(c->d.leader, "王五");
	assert_string_equal(c->events[1].head, "李四");
	/* re-routing to another department takes its head */
	e = typical(c, EV_ASSIGN);
	e.department = "客房部";
	e.responsible = NULL;
	apply_ok(c, &e);
	assert_string_equal(c->d.department, "客房部");
	assert_string_equal(c->d.head, "孙七");
	assert_null(c->d.responsible);
	roundtrip_ok(c);
	cp_case_free(c);
}

/* ---- approvals ---- */

static void approve_ok(struct cp_case *c, const char *by, const char *role)
{
	struct cp_event e = mk(EV_APPROVE, next_at(c), by);

	apply_ok(c, &e);
	assert_string_equal(c->events[c->nevents - 1].role, role);
}

static void approve_refused(struct cp_case *c, const char *by, const char *why)
{
	struct cp_event e = mk(EV_APPROVE, next_at(c), by);

	refused(c, &e, CP_ERULE, why);
}

static void expect_approvals(const struct cp_case *c, const char *want)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	cp_lifecycle_approvals(&sb, c);
	assert_string_equal(sb.buf, want);
	cp_sbuf_release(&sb);
}

static void test_approvals_in_order(void **state)
{
	struct cp_case *c = new_case("2026-10-09T10:00+08:00", "20000");
	struct cp_event e;

	(void)state;
	assert_string_equal(level(c), "major");
	step(c, EV_ASSIGN);
	approve_refused(c, "餐饮部/王五", "no plan");
	step(c, EV_PLAN);
	expect_approvals(c, "none");
	/* major: leader, then director */
	approve_refused(c, "陈总", "leader 王五");
	approve_refused(c, "餐饮部/李四", "leader 王五");
	approve_refused(c, "赵六", "leader");
	approve_ok(c, "餐饮部/王五", "leader");
	assert_int_equal(c->d.status, ST_PLANNED);
	assert_int_equal(c->d.napproved, 1);
	expect_approvals(c, "leader 王五");
	approve_refused(c, "王五", "director");
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "director");
	roundtrip_ok(c);

	/* a new plan clears the leader's approval */
	step(c, EV_PLAN);
	assert_int_equal(c->d.napproved, 0);
	expect_approvals(c, "none");
	approve_refused(c, "陈总", "leader");
	approve_ok(c, "王五", "leader");
	approve_ok(c, "总经办/陈总", "director");
	assert_int_equal(c->d.status, ST_APPROVED);
	expect_approvals(c, "leader 王五, director 陈总");
	approve_refused(c, "陈总", "already");
	e = typical(c, EV_PLAN);
	refused(c, &e, CP_ERULE, "approved");
	roundtrip_ok(c);
	step(c, EV_RESOLVE);
	assert_int_equal(c->d.status, ST_RESOLVED);
	roundtrip_ok(c);
	cp_case_free(c);
}

static void test_reopen_needs_new_approvals(void **state)
{
	struct cp_case *c = general_in(ST_RESOLVED);
	struct cp_event e;

	(void)state;
	step(c, EV_REOPEN);
	assert_int_equal(c->d.status, ST_ASSIGNED);
	assert_false(c->d.planned);
	assert_int_equal(c->d.napproved, 0);
	expect_approvals(c, "none");
	/* the old plan and approval do not count any more */
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "plan");
	step(c, EV_PLAN);
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "leader");
	step(c, EV_APPROVE);
	step(c, EV_RESOLVE);
	assert_int_equal(c->d.status, ST_RESOLVED);
	roundtrip_ok(c);
	/* from closed too */
	step(c, EV_CLOSE);
	step(c, EV_REOPEN);
	assert_int_equal(c->d.status, ST_ASSIGNED);
	e = typical(c, EV_RESOLVE);
	refused(c, &e, CP_ERULE, "plan");
	roundtrip_ok(c);
	cp_case_free(c);

	/* a minor case needs no plan: it is resolved again at once */
	c = new_case("2026-11-22T14:05+08:00", NULL);
	step(c, EV_ASSIGN);
	step(c, EV_RESOLVE);
	step(c, EV_REOPEN);
	step(c, EV_RESOLVE);
	assert_int_equal(c->d.status, ST_RESOLVED);
	cp_case_free(c);
}

/* ---- penalties ---- */

static void penalize(struct cp_case *c, const char *person, long points, int kind)
{
	struct cp_event e = typical(c, EV_PENALIZE);

	e.person = (char *)person;
	e.points = points;
	if (kind)
		refused(c, &e, kind, kind == CP_ERULE ? "at most 5" : NULL);
	else
		apply_ok(c, &e);
}

static void test_penalize_ceiling(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", NULL);

	(void)state;
	/* minor: responsible {max: 5} per person per case */
	assert_string_equal(level(c), "minor");
	penalize(c, "张三", 6, CP_ERULE);		/* over at once */
	penalize(c, "张三", 5, 0);			/* at the ceiling */
	penalize(c, "张三", 1, CP_ERULE);		/* 5 + 1 > 5 */
	penalize(c, "李四", 2, 0);			/* another person */
	penalize(c, "李四", 3, 0);			/* 2 + 3 = 5 */
	penalize(c, "李四", 1, CP_ERULE);
	penalize(c, "王五", 0, CP_EUSAGE);
	penalize(c, "王五", -3, CP_EUSAGE);
	roundtrip_ok(c);
	cp_case_free(c);

	/* major: responsible is fixed (50), no ceiling for penalize */
	c = new_case("2026-11-22T14:05+08:00", "20000");
	penalize(c, "张三", 60, 0);
	penalize(c, "张三", 60, 0);
	cp_case_free(c);
}

/* ---- --at ---- */

static void test_at_bounds(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	struct cp_event e = typical(c, EV_NOTE);

	(void)state;
	e.at = c->received - 1;
	apply_refused(c, &e, NOW, CP_ERULE, "before");
	e.at = T("2026-11-22T14:00:00+08:00");
	apply_refused(c, &e, NOW, CP_ERULE, "before");
	e.at = T("2026-11-22T14:30:00+08:00");
	apply_refused(c, &e, T("2026-11-22T14:29:59+08:00"), CP_ERULE, "future");
	e.at = NOW + 1;
	apply_refused(c, &e, NOW, CP_ERULE, "future");
	/* the bounds themselves are fine */
	e.at = c->received;
	assert_int_equal(cp_lifecycle_apply(c, P, O, &e, NOW), 0);
	e.at = T("2026-11-22T14:30:00+08:00");
	assert_int_equal(cp_lifecycle_apply(c, P, O, &e, e.at), 0);
	cp_case_free(c);
}

/* ---- intake refusals ---- */

static void create_refused(struct cp_new_req *r, int kind, const char *why)
{
	struct cp_case *c = (struct cp_case *)1;

	assert_int_equal(cp_case_create(&c, P, r, CLERK, NOW), -kind);
	assert_null(c);
	if (!strstr(cp_errmsg(), why))
		fail_msg("'%s' does not say '%s'", cp_errmsg(), why);
}

static void test_create_refused(void **state)
{
	struct cp_new_req r;

	(void)state;
	r = request("2027-01-01T00:00+08:00", NULL);
	create_refused(&r, CP_ERULE, "future");
	r = request(NULL, NULL);
	r.channel = "fax";
	create_refused(&r, CP_EUSAGE, "fax");
	r = request(NULL, NULL);
	r.summary = NULL;
	create_refused(&r, CP_EUSAGE, "summary is required");
	r = request(NULL, NULL);
	r.summary = "bad \xff";
	create_refused(&r, CP_EUSAGE, "UTF-8");
	r = request(NULL, "-5");
	create_refused(&r, CP_EUSAGE, "negative");
	r = request(NULL, "12.345");
	create_refused(&r, CP_EUSAGE, "12.345");
	r = request("yesterday", NULL);
	create_refused(&r, CP_EUSAGE, "yesterday");
	r = request(NULL, NULL);
	r.severity = "major";
	create_refused(&r, CP_EUSAGE, "severity needs reason");
	r = request(NULL, NULL);
	r.scope = "planet";
	create_refused(&r, CP_EUSAGE, "planet");
	r = request(NULL, NULL);
	r.flags[0] = "fire";
	r.nflags = 1;
	create_refused(&r, CP_EUSAGE, "fire");
}

/* ---- reading case files ---- */

/* A case with most fields and events, as the canonical text. */
static char *sample_text(void)
{
	struct cp_new_req r = request("2026-11-22T14:05+08:00", "1200");
	struct cp_case *c;
	char *text;

	r.scope = "several";
	r.flags[0] = "safety";
	r.nflags = 1;
	c = create(&r);
	step(c, EV_ASSIGN);
	step(c, EV_NOTIFY);
	step(c, EV_PLAN);
	step(c, EV_APPROVE);			/* the flag makes it critical: */
	approve_ok(c, "陈总", "director");	/* leader, then director */
	step(c, EV_RESOLVE);
	step(c, EV_CALLBACK);
	step(c, EV_PENALIZE);
	text = format(c);
	cp_case_free(c);
	return text;
}

static int line_of(const char *text, const char *marker)
{
	const char *at = strstr(text, marker), *p;
	int line = 1;

	if (!at)
		fail_msg("'%s' is not in the case", marker);
	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/*
 * The sample with old replaced must be refused at the line of the edit
 * (plus `below` lines, for an edit that adds lines).
 */
static void parse_refused_below(const char *text, const char *old,
				const char *new_text, int below, const char *why)
{
	const char *at = strstr(text, old);
	struct cp_sbuf sb = CP_SBUF_INIT;
	struct cp_case *c = (struct cp_case *)1;
	char prefix[64];
	int r;

	if (!at)
		fail_msg("'%s' is not in the case:\n%s", old, text);
	cp_sbuf_add(&sb, text, (size_t)(at - text));
	cp_sbuf_adds(&sb, new_text);
	cp_sbuf_adds(&sb, at + strlen(old));
	r = cp_case_parse(&c, P->tz, "case.yaml", sb.buf, sb.len);
	if (r != -CP_EDATA) {
		if (!r)
			cp_case_free(c);
		fail_msg("accepted (%d), should be refused for %s:\n%s", r, why, sb.buf);
	}
	assert_null(c);
	snprintf(prefix, sizeof(prefix), "case.yaml:%d:", line_of(text, old) + below);
	if (strncmp(cp_errmsg(), prefix, strlen(prefix)) || !strstr(cp_errmsg(), why))
		fail_msg("message '%s', want '%s ... %s'", cp_errmsg(), prefix, why);
	cp_sbuf_release(&sb);
}

static void parse_refused(const char *text, const char *old, const char *new_text,
			  const char *why)
{
	parse_refused_below(text, old, new_text, 0, why);
}

static void test_parse_refused(void **state)
{
	char *text = sample_text();

	(void)state;
	parse_refused_below(text, "channel: phone\n", "channel: phone\ncolour: red\n", 1,
			    "unknown field 'colour'");
	parse_refused(text, "amount: 1200.00\n", "amount: \"1200.00\"\n", "amount");
	parse_refused(text, "amount: 1200.00\n", "amount: -1200.00\n", "negative");
	parse_refused(text, "amount: 1200.00\n", "amount: 0x4B0\n", "amount");
	parse_refused(text, "category: service\n", "category: yes\n", "category");
	parse_refused(text, "category: service\n", "category: [service]\n", "category");
	parse_refused(text, "received_at: 2026-11-22T14:05:00+08:00\n",
		      "received_at: yesterday\n", "received_at");
	parse_refused_below(text, "scope: several\n", "scope: several\nscope: public\n", 1,
			    "duplicate key 'scope'");
	parse_refused(text, "summary: ", "summary: &a ", "anchor");
	parse_refused(text, "  notify: ", "  lunch: ", "unknown deadline 'lunch'");
	parse_refused(text, "action: new", "action: assign", "first event must be 'new'");
	parse_refused(text, "action: notify", "action: new", "only the first");
	parse_refused(text, "action: notify", "action: shout", "unknown action 'shout'");
	parse_refused(text, "points: 1", "points: 0", "points");
	parse_refused(text, "satisfied: true", "satisfied: yes", "satisfied");
	parse_refused(text, "compensation: 88.50", "compensation: -1", "negative");
	parse_refused(text, "action: notify", "action: notify, colour: red",
		      "unknown field 'colour'");
	parse_refused(text, "customer: {name: ", "customer: {nom: ", "unknown field 'nom'");
	{
		/* the id: the first line */
		const char *nl = strchr(text, '\n');
		struct cp_sbuf sb = CP_SBUF_INIT;

		cp_sbuf_add(&sb, text, (size_t)(nl - text + 1));
		parse_refused(text, sb.buf, "id: -bad\n", "not a valid case ID");
		parse_refused(text, sb.buf, "id: C-20261122-0123456789ABCDEFGHJKMNPQ\n",
			      "not a valid case ID");
		parse_refused(text, sb.buf, "id: C_1\n", "not a valid case ID");
		cp_sbuf_release(&sb);
	}
	free(text);
}

/*
 * A bad file never crashes the reader: every prefix of a real case file,
 * and the file with one byte replaced by something YAML cares about, is
 * either read (and then derived, checked and written) or refused with a
 * position.  Run under valgrind this also checks for memory errors.
 */
static void try_parse(const char *buf, size_t len)
{
	struct cp_case *c = NULL;
	struct cp_sbuf sb = CP_SBUF_INIT;
	int r = cp_case_parse(&c, P->tz, "case.yaml", buf, len);

	if (r < 0) {
		assert_int_equal(r, -CP_EDATA);
		assert_null(c);
		assert_true(!strncmp(cp_errmsg(), "case.yaml", 9));
		return;
	}
	if (cp_case_derive(c, P) == 0) {
		cp_case_check_derived(&sb, c, P);
		cp_case_format(&sb, c, P);
	}
	cp_sbuf_release(&sb);
	cp_case_free(c);
}

static void test_parse_mutations(void **state)
{
	static const char subst[] = { ':', '\n', '"', '\'', '[', '{', '-', ' ',
				      '#', '&', '*', '!', '|', '\t', '\0', '\xff' };
	char *text = sample_text(), *buf;
	size_t n = strlen(text), i, k;

	(void)state;
	for (i = 0; i <= n; i++)
		try_parse(text, i);
	buf = cp_xmalloc(n);
	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof(subst); k++) {
			memcpy(buf, text, n);
			buf[i] = subst[k];
			try_parse(buf, n);
		}
	free(buf);
	free(text);
}

/* ---- deadline states, callbacks, roster gaps ---- */

static void test_deadline_states(void **state)
{
	struct cp_case *c = new_case("2026-11-22T14:05+08:00", "1200");
	struct cp_event e;
	size_t i;
	enum cp_dl_state st[EV__COUNT] = { 0 };
	cp_time at = T("2026-11-22T14:31:00+08:00");

	(void)state;
	e = mk(EV_ASSIGN, T("2026-11-22T14:09+08:00"), CLERK);
	e.department = "餐饮部";
	apply_ok(c, &e);
	/* notify 5 minutes late (deadline 14:15); onsite exactly at its new deadline */
	e = mk(EV_NOTIFY, T("2026-11-22T14:20+08:00"), CLERK);
	apply_ok(c, &e);
	e = mk(EV_ONSITE, T("2026-11-22T14:30+08:00"), CLERK);
	apply_ok(c, &e);
	/* recording notify again later does not change which was first */
	e = mk(EV_NOTIFY, T("2026-11-22T14:31+08:00"), CLERK);
	apply_ok(c, &e);
	for (i = 0; i < c->d.ndeadlines; i++)
		st[c->d.deadlines[i].event] = cp_case_deadline_state(c, &c->d.deadlines[i], at);
	assert_int_equal(st[EV_NOTIFY], DL_MISSED);	/* missed though it came later */
	assert_int_equal(st[EV_ONSITE], DL_MET);	/* at the deadline is in time */
	assert_int_equal(st[EV_RESOLVE], DL_PENDING);
	expect_deadline(c, EV_ONSITE, "2026-11-22T14:30:00+08:00");
	assert_true(cp_case_overdue(c, at));
	/* once resolved, a case is not overdue any more */
	step(c, EV_PLAN);
	step(c, EV_APPROVE);
	step(c, EV_RESOLVE);
	assert_false(cp_case_overdue(c, NOW));
	expect_at(cp_case_first_miss(c, NOW), "2026-11-22T14:15:00+08:00");
	cp_case_free(c);
}

static void test_close_requires_callback(void **state)
{
	const char *old = "close_requires_callback: false";
	char *text = cp_xstrdup(default_policy), *at = strstr(text, old);
	struct cp_policy *saved = P;
	struct cp_case *c;
	struct cp_event e;

	(void)state;
	assert_non_null(at);
	memcpy(at, "close_requires_callback: true ", strlen(old));
	assert_int_equal(cp_policy_parse(&P, "policy.yaml", text, strlen(text)), 0);
	c = general_in(ST_RESOLVED);
	e = typical(c, EV_CLOSE);
	refused(c, &e, CP_ERULE, "callback");
	step(c, EV_CALLBACK);
	/* a callback before a reopen does not count for the next close */
	step(c, EV_REOPEN);
	step(c, EV_PLAN);
	step(c, EV_APPROVE);
	step(c, EV_RESOLVE);
	e = typical(c, EV_CLOSE);
	refused(c, &e, CP_ERULE, "callback");
	step(c, EV_CALLBACK);
	step(c, EV_CLOSE);
	assert_int_equal(c->d.status, ST_CLOSED);
	cp_case_free(c);
	cp_policy_free(P);
	P = saved;
	free(text);
}

static void test_approver_missing_in_roster(void **state)
{
	static const char roster[] =
		"directors: []\n"
		"departments:\n"
		"  - {name: 前台, head: 周八}\n"
		"  - {name: 餐饮部, head: 李四, leader: 王五}\n";
	struct cp_org *saved = O;
	struct cp_case *c;
	struct cp_event e;

	(void)state;
	assert_int_equal(cp_org_parse(&O, "org.yaml", roster, strlen(roster)), 0);
	/* general needs the leader: 前台 has none */
	c = general_in(ST_NEW);
	e = typical(c, EV_ASSIGN);
	e.department = "前台";
	apply_ok(c, &e);
	assert_null(c->d.leader);
	step(c, EV_PLAN);
	approve_refused(c, "周八", "no leader");
	cp_case_free(c);
	/* major needs a director: the roster has none */
	c = new_case("2026-11-22T14:05+08:00", "20000");
	step(c, EV_ASSIGN);
	step(c, EV_PLAN);
	approve_ok(c, "王五", "leader");
	approve_refused(c, "陈总", "director");
	cp_case_free(c);
	cp_org_free(O);
	O = saved;
}

/* ---- a complaint form (new --from FILE) ---- */

static void test_form(void **state)
{
	static const char form[] =
		"customer: {name: 王先生, contact: \"13800000000\"}\n"
		"channel: online\n"
		"category: product\n"
		"summary: \"yes\"\n"
		"description: |\n  第一行\n  # 第二行\n"
		"amount: \"12000.50\"\n"
		"flags: [regulator]\n"
		"received_at: 2026-11-22T14:05:00+08:00\n";
	struct cp_new_req r;
	struct cp_case *c;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.channel = "phone";	/* options win over the form */
	if (cp_new_req_from_yaml(&r, "form.yaml", form, strlen(form)) < 0)
		fail_msg("form refused: %s", cp_errmsg());
	assert_string_equal(r.customer, "王先生");
	assert_string_equal(r.contact, "13800000000");
	assert_string_equal(r.channel, "phone");
	assert_string_equal(r.summary, "yes");
	assert_string_equal(r.description, "第一行\n# 第二行\n");
	assert_int_equal(r.nflags, 1);
	c = create(&r);
	assert_string_equal(level(c), "critical");	/* the regulator flag */
	assert_int_equal(c->amount, 1200050);
	expect_at(c->received, "2026-11-22T14:05:00+08:00");
	roundtrip_ok(c);
	cp_case_free(c);
	cp_new_req_release(&r);

	/* a form is read as strictly as a case file */
	memset(&r, 0, sizeof(r));
	assert_int_equal(cp_new_req_from_yaml(&r, "form.yaml", "summary: yes\n", 13),
			 -CP_EDATA);
	assert_true(!strncmp(cp_errmsg(), "form.yaml:1:10:", 15));
	cp_new_req_release(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(cp_new_req_from_yaml(&r, "form.yaml", "summry: x\n", 10),
			 -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "summry"));
	cp_new_req_release(&r);
}

/* ---- IDs ---- */

static void test_id_valid(void **state)
{
	static const char *const good[] = {
		"abc", "C-20261122-7F3A", "A-B", "0ab", "a--", "ZZZ",
		"abcdefghijklmnopqrstuvwxyz012345",	/* 32 */
	};
	static const char *const bad[] = {
		"", "a", "ab", "-abc", "a_b", "a b", "abc\n", "a.b", "a/b", "../x",
		"上菜a", "abc ", "abcdefghijklmnopqrstuvwxyz0123456",	/* 33 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!cp_id_valid(good[i]))
			fail_msg("'%s' refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cp_id_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_id_generate(void **state)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char (*ids)[CP_ID_MAX + 1] = cp_xcalloc(1000, sizeof(*ids));
	/* 2026-11-21T16:30Z is already the 22nd in Shanghai */
	cp_time t = T("2026-11-21T16:30:00Z");
	struct cp_sbuf path = CP_SBUF_INIT;
	int i, j, y, m;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(cp_id_generate(ids[i], P->tz, t), 0);
		assert_int_equal(strlen(ids[i]), 19);
		assert_memory_equal(ids[i], "C-20261122-", 11);
		for (j = 11; j < 19; j++)
			if (!strchr(crockford, ids[i][j]))
				fail_msg("'%s': '%c' is not Crockford base32", ids[i], ids[i][j]);
		assert_true(cp_id_valid(ids[i]));
	}
	qsort(ids, 1000, sizeof(*ids), cmp_str);
	for (i = 1; i < 1000; i++)
		if (!strcmp(ids[i], ids[i - 1]))
			fail_msg("duplicate ID %s", ids[i]);
	assert_int_equal(cp_id_month(&y, &m, ids[0]), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 11);
	assert_int_equal(cp_id_month(&y, &m, "abc"), -1);
	cp_case_path(&path, ids[0], P->tz, t);
	assert_memory_equal(path.buf, "cases/2026/11/C-20261122-", 25);
	cp_sbuf_release(&path);
	free(ids);
}

/* A front end's words for the library's inputs (input.h): the command line's here. */
static const char *dashes(enum cp_input f)
{
	return f == CP_INPUT_REASON ? "--reason" : f == CP_INPUT_AT ? "--at" : NULL;
}

static void test_input_names(void **state)
{
	struct cp_case *c = general_in(ST_ASSIGNED);
	struct cp_event e;

	(void)state;
	assert_string_equal(cp_input_name(CP_INPUT_REASON), "reason");
	cp_input_namer(dashes);
	assert_string_equal(cp_input_name(CP_INPUT_REASON), "--reason");
	assert_string_equal(cp_input_name(CP_INPUT_TEXT), "text");	/* the namer's NULL */
	e = typical(c, EV_RECLASSIFY);
	e.severity = "minor";
	e.reason = NULL;
	refused(c, &e, CP_EUSAGE, "reclassify needs --reason");
	cp_input_namer(NULL);
	refused(c, &e, CP_EUSAGE, "reclassify needs reason");
	cp_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_new),
		cmocka_unit_test(test_roundtrip_hostile_text),
		cmocka_unit_test(test_roundtrip_lifecycle),
		cmocka_unit_test(test_tampered_derived_fields),
		cmocka_unit_test(test_deadlines_general),
		cmocka_unit_test(test_deadlines_major_make_up_day),
		cmocka_unit_test(test_deadlines_reclassify),
		cmocka_unit_test(test_lifecycle_table),
		cmocka_unit_test(test_resolve_without_approvals),
		cmocka_unit_test(test_missing_arguments),
		cmocka_unit_test(test_input_names),
		cmocka_unit_test(test_event_fields_the_reader_takes),
		cmocka_unit_test(test_assign_copies_roster),
		cmocka_unit_test(test_approvals_in_order),
		cmocka_unit_test(test_reopen_needs_new_approvals),
		cmocka_unit_test(test_penalize_ceiling),
		cmocka_unit_test(test_at_bounds),
		cmocka_unit_test(test_create_refused),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_parse_mutations),
		cmocka_unit_test(test_deadline_states),
		cmocka_unit_test(test_close_requires_callback),
		cmocka_unit_test(test_approver_missing_in_roster),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_id_generate),
	};

	return cmocka_run_group_tests_name("case", tests, setup, teardown);
}
