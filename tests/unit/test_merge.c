/*
 * test_merge.c - the union merge of two versions of one case
 * (lib/case_merge.h).
 *
 * Versions are built as sites build them: a base case, then events
 * appended on each side, each written as the canonical file.  The merge
 * must hold every event of both once, in time order with each side's own
 * order kept among equal times, the `new` event first; be the same
 * whichever side is ours; recompute the derived fields; and refuse what
 * is not one case, or facts both sides changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_merge.h"
#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/timeutil.h"

/* The default policy's levels, with a short calendar. */
static const char policy_text[] =
	"name: merge-test\n"
	"currency: CNY\n"
	"point_value: 10\n"
	"timezone: Asia/Shanghai\n"
	"calendar:\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-10-01]\n"
	"  extra_workdays: []\n"
	"channels: [phone, online]\n"
	"kinds:\n"
	"  - {id: complaint, name: 投诉}\n"
	"categories: [product, service]\n"
	"scopes: [single, several, public, media]\n"
	"flags: [safety]\n"
	"levels:\n"
	"  - id: minor\n"
	"    name: 轻微投诉\n"
	"    min_amount: 0\n"
	"    min_scope: single\n"
	"    deadlines: {notify: 10m, onsite: {within: 10m, from: notify}, resolve: 2h}\n"
	"    approvals: []\n"
	"    penalties: {department: 5}\n"
	"  - id: general\n"
	"    name: 一般投诉\n"
	"    min_amount: 1000\n"
	"    min_scope: several\n"
	"    deadlines: {notify: 10m, resolve: 12h}\n"
	"    approvals: [leader]\n"
	"    penalties: {department: 10}\n"
	"  - id: major\n"
	"    name: 特大投诉\n"
	"    min_amount: 10000\n"
	"    min_scope: public\n"
	"    deadlines: {notify: 10m, plan: 24h, resolve: 2wd}\n"
	"    approvals: [leader, director]\n"
	"    penalties: {department: 10}\n"
	"late: {department: 10}\n"
	"unsatisfied: {department: 10}\n"
	"close_requires_callback: false\n"
	"report: {recurring_at: 3}\n";

static struct cp_policy *P;

/* One event of a version: when, who, what. */
struct ev {
	const char *at;
	const char *by;
	enum cp_evt action;
	const char *text;	/* note, plan, resolve; assign: the department */
	const char *role;	/* approve */
};

#define END { NULL, NULL, EV_NEW, NULL, NULL }

static cp_time T(const char *s)
{
	cp_time t;

	assert_int_equal(cp_time_parse(&t, P->tz, s), 0);
	return t;
}

/*
 * The canonical file of case id received at 10:00 with amount, holding
 * base's events and then more's (either may be NULL).
 */
static char *version(const char *id, double amount, const char *summary,
		     const struct ev *base, const struct ev *more)
{
	struct cp_case *c = cp_case_new();
	struct cp_event e;
	struct cp_sbuf sb = CP_SBUF_INIT;
	const struct ev *lists[2] = { base, more };
	int k;

	snprintf(c->id, sizeof(c->id), "%s", id);
	c->received = T("2026-11-02T10:00");
	c->channel = cp_xstrdup("phone");
	c->kind = cp_xstrdup("complaint");
	c->category = cp_xstrdup("service");
	c->customer = cp_xstrdup("王先生");
	c->summary = cp_xstrdup(summary);
	c->has_amount = true;
	c->amount = (cp_money)(amount * 100);
	memset(&e, 0, sizeof(e));
	cp_event_clear(&e);
	e.at = c->received;
	e.by = "客服/赵六";
	e.action = EV_NEW;
	cp_case_add_event(c, &e);
	for (k = 0; k < 2; k++) {
		const struct ev *v = lists[k];

		for (; v && v->at; v++) {
			memset(&e, 0, sizeof(e));
			cp_event_clear(&e);
			e.at = T(v->at);
			e.by = (char *)v->by;
			e.action = v->action;
			e.role = (char *)v->role;
			if (v->action == EV_ASSIGN)
				e.department = (char *)v->text;
			else
				e.text = (char *)v->text;
			cp_case_add_event(c, &e);
		}
	}
	assert_int_equal(cp_case_derive(c, P), 0);
	cp_case_format(&sb, c, P);
	cp_case_free(c);
	return cp_sbuf_detach(&sb, NULL);
}

static int merge(const char *b, const char *o, const char *t, struct cp_sbuf *out)
{
	return cp_case_merge(out, P, b, b ? strlen(b) : 0, o, strlen(o), t,
			     strlen(t), "cases/2026/11/C-20261102-AAAAAAAA.yaml");
}

/* Merge both ways round; both must succeed with the same bytes. */
static char *merge_both(const char *b, const char *o, const char *t)
{
	struct cp_sbuf x = CP_SBUF_INIT, y = CP_SBUF_INIT;

	if (merge(b, o, t, &x) < 0)
		fail_msg("merge: %s", cp_errmsg());
	if (merge(b, t, o, &y) < 0)
		fail_msg("merge (swapped): %s", cp_errmsg());
	assert_string_equal(x.buf, y.buf);
	cp_sbuf_release(&y);
	return cp_sbuf_detach(&x, NULL);
}

static struct cp_case *parse(const char *text)
{
	struct cp_case *c;
	struct cp_sbuf diff = CP_SBUF_INIT;

	if (cp_case_parse(&c, P->tz, "merged", text, strlen(text)) < 0)
		fail_msg("parse: %s", cp_errmsg());
	assert_int_equal(cp_case_derive(c, P), 0);
	/* the file's derived fields are what its events say */
	assert_int_equal(cp_case_check_derived(&diff, c, P), 0);
	cp_sbuf_release(&diff);
	return c;
}

/* "action by" of every event, one per line */
static char *event_lines(const struct cp_case *c)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		char t[CP_TIME_BUF];

		cp_time_fmt(t, P->tz, c->events[i].at);
		cp_sbuf_addf(&sb, "%.16s %s %s%s%s\n", t, cp_evt_name(c->events[i].action),
			  c->events[i].by, c->events[i].text ? " " : "",
			  c->events[i].text ? c->events[i].text : "");
	}
	return cp_sbuf_detach(&sb, NULL);
}

#define ID "C-20261102-AAAAAAAA"

static const struct ev assigned[] = {
	{ "2026-11-02T10:05", "客服/赵六", EV_ASSIGN, "餐饮部", NULL }, END
};

static void test_disjoint_appends(void **state)
{
	static const struct ev bj[] = {
		{ "2026-11-02T10:20", "北京/甲", EV_NOTIFY, NULL, NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:07", "上海/乙", EV_NOTE, "called again", NULL },
		{ "2026-11-02T10:30", "上海/乙", EV_NOTE, "still waiting", NULL }, END };
	char *b = version(ID, 0, "上菜慢", assigned, NULL);
	char *o = version(ID, 0, "上菜慢", assigned, bj);
	char *t = version(ID, 0, "上菜慢", assigned, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);
	char *lines = event_lines(c);

	(void)state;
	assert_string_equal(lines,
		"2026-11-02T10:00 new 客服/赵六\n"
		"2026-11-02T10:05 assign 客服/赵六\n"
		"2026-11-02T10:07 note 上海/乙 called again\n"
		"2026-11-02T10:20 notify 北京/甲\n"
		"2026-11-02T10:30 note 上海/乙 still waiting\n");
	assert_int_equal(c->d.status, ST_ASSIGNED);
	assert_string_equal(c->d.department, "餐饮部");
	free(lines);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_identical_events_once(void **state)
{
	static const struct ev bj[] = {
		{ "2026-11-02T10:08", "餐饮部/李四", EV_NOTIFY, NULL, NULL },
		{ "2026-11-02T10:09", "北京/甲", EV_NOTE, "a", NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:08", "餐饮部/李四", EV_NOTIFY, NULL, NULL },
		{ "2026-11-02T10:09", "上海/乙", EV_NOTE, "b", NULL }, END };
	char *b = version(ID, 0, "x", assigned, NULL);
	char *o = version(ID, 0, "x", assigned, bj);
	char *t = version(ID, 0, "x", assigned, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);

	(void)state;
	assert_int_equal(c->nevents, 5);
	assert_int_equal(c->events[2].action, EV_NOTIFY);
	cp_case_free(c);
	free(m);
	/* and the same with no base at all (git's add/add) */
	m = merge_both(NULL, o, t);
	c = parse(m);
	assert_int_equal(c->nevents, 5);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_multiset(void **state)
{
	/*
	 * one side holds the same note twice (same second, actor and text: a
	 * copy made by hand): an exact copy is one fact, counted and kept once
	 */
	static const struct ev twice[] = {
		{ "2026-11-02T10:09", "北京/甲", EV_NOTE, "ok", NULL },
		{ "2026-11-02T10:09", "北京/甲", EV_NOTE, "ok", NULL }, END };
	static const struct ev once[] = {
		{ "2026-11-02T10:09", "北京/甲", EV_NOTE, "ok", NULL }, END };
	char *b = version(ID, 0, "x", assigned, NULL);
	char *o = version(ID, 0, "x", assigned, twice);
	char *t = version(ID, 0, "x", assigned, once);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);

	(void)state;
	assert_int_equal(c->nevents, 3);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_same_second_keeps_each_sides_order(void **state)
{
	/* plan then approve in one second at one site; notes at the other */
	static const struct ev bj[] = {
		{ "2026-11-02T11:00", "客服/赵六", EV_PLAN, "换一瓶", NULL },
		{ "2026-11-02T11:00", "王五", EV_APPROVE, NULL, "leader" }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T11:00", "上海/乙", EV_NOTE, "zzz", NULL },
		{ "2026-11-02T11:00", "上海/乙", EV_NOTE, "aaa", NULL }, END };
	char *b = version(ID, 2000, "x", assigned, NULL);
	char *o = version(ID, 2000, "x", assigned, bj);
	char *t = version(ID, 2000, "x", assigned, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);
	size_t i, plan = 0, approve = 0, zzz = 0, aaa = 0;

	(void)state;
	assert_int_equal(c->nevents, 6);
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == EV_PLAN)
			plan = i;
		else if (e->action == EV_APPROVE)
			approve = i;
		else if (e->text && !strcmp(e->text, "zzz"))
			zzz = i;
		else if (e->text && !strcmp(e->text, "aaa"))
			aaa = i;
	}
	assert_true(plan < approve);
	assert_true(zzz < aaa);
	assert_int_equal(c->d.level, 1);
	assert_int_equal(c->d.status, ST_APPROVED);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_new_first(void **state)
{
	/* an event at the very second the case was received */
	static const struct ev early[] = {
		{ "2026-11-02T10:00", "上海/乙", EV_NOTE, "0", NULL }, END };
	static const struct ev other[] = {
		{ "2026-11-02T10:01", "北京/甲", EV_NOTE, "1", NULL }, END };
	char *b = version(ID, 0, "x", NULL, NULL);
	char *o = version(ID, 0, "x", NULL, early);
	char *t = version(ID, 0, "x", NULL, other);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);

	(void)state;
	assert_int_equal(c->events[0].action, EV_NEW);
	assert_string_equal(c->events[1].text, "0");
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_late_event_by_time(void **state)
{
	/*
	 * recorded after 10:30 at one site but it happened at 10:06: read in
	 * time order the union is a valid life, so that is its order
	 */
	static const struct ev bj[] = {
		{ "2026-11-02T10:30", "北京/甲", EV_NOTE, "later", NULL },
		{ "2026-11-02T10:06", "北京/甲", EV_NOTIFY, NULL, NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:10", "上海/乙", EV_NOTE, "mid", NULL }, END };
	char *b = version(ID, 0, "x", assigned, NULL);
	char *o = version(ID, 0, "x", assigned, bj);
	char *t = version(ID, 0, "x", assigned, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);
	char *lines = event_lines(c);

	(void)state;
	assert_string_equal(lines,
		"2026-11-02T10:00 new 客服/赵六\n"
		"2026-11-02T10:05 assign 客服/赵六\n"
		"2026-11-02T10:06 notify 北京/甲\n"
		"2026-11-02T10:10 note 上海/乙 mid\n"
		"2026-11-02T10:30 note 北京/甲 later\n");
	free(lines);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_clock_skew_keeps_status(void **state)
{
	/*
	 * general (leader): one site approved, then resolved, its clock
	 * saying 10:20 then 10:15 (a file written before time order was
	 * kept, or by hand); the other site noted at 10:17.  Sorting by `at`
	 * would put the approval after the resolve and bring the case back to
	 * approved; each side's order is kept instead.
	 */
	static const struct ev planned[] = {
		{ "2026-11-02T10:05", "客服/赵六", EV_ASSIGN, "餐饮部", NULL },
		{ "2026-11-02T10:08", "李四", EV_PLAN, "plan", NULL }, END };
	static const struct ev bj[] = {
		{ "2026-11-02T10:20", "王五", EV_APPROVE, NULL, "leader" },
		{ "2026-11-02T10:15", "李四", EV_RESOLVE, "done", NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:17", "上海/乙", EV_NOTE, "called", NULL }, END };
	char *b = version(ID, 2000, "x", planned, NULL);
	char *o = version(ID, 2000, "x", planned, bj);
	char *t = version(ID, 2000, "x", planned, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);
	char *lines = event_lines(c);

	(void)state;
	assert_int_equal(c->d.status, ST_RESOLVED);
	assert_string_equal(lines,
		"2026-11-02T10:00 new 客服/赵六\n"
		"2026-11-02T10:05 assign 客服/赵六\n"
		"2026-11-02T10:08 plan 李四 plan\n"
		"2026-11-02T10:17 note 上海/乙 called\n"
		"2026-11-02T10:20 approve 王五\n"
		"2026-11-02T10:15 resolve 李四 done\n");
	free(lines);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_shared_events_once_in_each_sides_order(void **state)
{
	/*
	 * both sites hold the same history, which is no valid life in time
	 * order (approved at 10:20 by a clock ahead, resolved at 10:15); each
	 * then noted something: the shared events once, in their order
	 */
	static const struct ev common[] = {
		{ "2026-11-02T10:05", "客服/赵六", EV_ASSIGN, "餐饮部", NULL },
		{ "2026-11-02T10:08", "李四", EV_PLAN, "plan", NULL },
		{ "2026-11-02T10:20", "王五", EV_APPROVE, NULL, "leader" },
		{ "2026-11-02T10:15", "李四", EV_RESOLVE, "done", NULL }, END };
	static const struct ev bj[] = {
		{ "2026-11-02T10:16", "北京/甲", EV_NOTE, "b", NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:07", "上海/乙", EV_NOTE, "s", NULL }, END };
	char *b = version(ID, 2000, "x", common, NULL);
	char *o = version(ID, 2000, "x", common, bj);
	char *t = version(ID, 2000, "x", common, sh);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);
	char *lines = event_lines(c);

	(void)state;
	assert_int_equal(c->d.status, ST_RESOLVED);
	assert_string_equal(lines,
		"2026-11-02T10:00 new 客服/赵六\n"
		"2026-11-02T10:05 assign 客服/赵六\n"
		"2026-11-02T10:08 plan 李四 plan\n"
		"2026-11-02T10:20 approve 王五\n"
		"2026-11-02T10:15 resolve 李四 done\n"
		"2026-11-02T10:07 note 上海/乙 s\n"
		"2026-11-02T10:16 note 北京/甲 b\n");
	free(lines);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(m);
}

static void test_idempotent(void **state)
{
	static const struct ev bj[] = {
		{ "2026-11-02T10:20", "北京/甲", EV_NOTE, "x", NULL }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T10:21", "上海/乙", EV_NOTE, "y", NULL }, END };
	char *b = version(ID, 0, "x", assigned, NULL);
	char *o = version(ID, 0, "x", assigned, bj);
	char *t = version(ID, 0, "x", assigned, sh);
	char *m = merge_both(b, o, t);
	char *m2, *m3;

	(void)state;
	/* merging the result with either side again changes nothing */
	m2 = merge_both(o, m, t);
	assert_string_equal(m, m2);
	m3 = merge_both(NULL, m, m);
	assert_string_equal(m, m3);
	/* a version merged with itself is itself */
	free(m3);
	m3 = merge_both(NULL, o, o);
	assert_string_equal(o, m3);
	free(b);
	free(o);
	free(t);
	free(m);
	free(m2);
	free(m3);
}

static void test_one_approval_twice_counts_once(void **state)
{
	static const struct ev planned[] = {
		{ "2026-11-02T10:05", "客服/赵六", EV_ASSIGN, "餐饮部", NULL },
		{ "2026-11-02T10:10", "客服/赵六", EV_PLAN, "全额退款", NULL }, END };
	static const struct ev bj[] = {
		{ "2026-11-02T11:00", "王五", EV_APPROVE, NULL, "leader" }, END };
	static const struct ev sh[] = {
		{ "2026-11-02T11:02", "王五", EV_APPROVE, NULL, "leader" }, END };
	static const struct ev director[] = {
		{ "2026-11-02T11:03", "王五", EV_APPROVE, NULL, "leader" },
		{ "2026-11-02T11:04", "陈总", EV_APPROVE, NULL, "director" }, END };
	char *b = version(ID, 20000, "x", planned, NULL);
	char *o = version(ID, 20000, "x", planned, bj);
	char *t = version(ID, 20000, "x", planned, sh);
	char *t2 = version(ID, 20000, "x", planned, director);
	char *m = merge_both(b, o, t);
	struct cp_case *c = parse(m);

	(void)state;
	assert_int_equal(c->d.level, 2);
	assert_int_equal(c->nevents, 5);
	assert_int_equal(c->d.napproved, 1);
	assert_int_equal(c->d.status, ST_PLANNED);
	cp_case_free(c);
	free(m);
	/* the director's approval at the other site completes the chain */
	m = merge_both(b, o, t2);
	c = parse(m);
	assert_int_equal(c->d.napproved, 2);
	assert_int_equal(c->d.status, ST_APPROVED);
	cp_case_free(c);
	free(b);
	free(o);
	free(t);
	free(t2);
	free(m);
}

static void test_not_the_same_case(void **state)
{
	char *o = version(ID, 0, "x", assigned, NULL);
	char *t = version("C-20261102-BBBBBBBB", 0, "x", assigned, NULL);
	struct cp_sbuf out = CP_SBUF_INIT;

	(void)state;
	cp_sbuf_adds(&out, "untouched");
	assert_int_equal(merge(NULL, o, t, &out), -CP_EBUSY);
	assert_non_null(strstr(cp_errmsg(), "different cases"));
	assert_string_equal(out.buf, "untouched");
	free(t);
	/* same id, another `new`: two cases that collided */
	t = version(ID, 0, "x", assigned, NULL);
	{
		char *p = strstr(t, "action: new");
		char *by = strstr(t, "by: 客服/赵六, action: new");

		assert_non_null(p);
		assert_non_null(by);
		memcpy(by + 4, "客服/钱七", strlen("客服/钱七"));
	}
	assert_int_equal(merge(NULL, o, t, &out), -CP_EBUSY);
	assert_non_null(strstr(cp_errmsg(), "different 'new' events"));
	assert_string_equal(out.buf, "untouched");
	cp_sbuf_release(&out);
	free(o);
	free(t);
}

static void test_unreadable(void **state)
{
	char *o = version(ID, 0, "x", assigned, NULL);
	struct cp_sbuf out = CP_SBUF_INIT;
	static const char broken[] = "id: [\n";

	(void)state;
	assert_int_equal(merge(NULL, o, broken, &out), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "(theirs)"));
	assert_int_equal(out.len, 0);
	/* an unreadable base is no base */
	assert_int_equal(merge(broken, o, o, &out), 0);
	assert_string_equal(out.buf, o);
	cp_sbuf_release(&out);
	free(o);
}

static void test_facts(void **state)
{
	static const struct ev bj[] = {
		{ "2026-11-02T10:20", "北京/甲", EV_NOTE, "x", NULL }, END };
	char *b = version(ID, 0, "上菜慢", assigned, NULL);
	char *o = version(ID, 0, "上菜慢", assigned, bj);
	char *t = version(ID, 0, "上菜慢了一小时", assigned, NULL);
	char *t2 = version(ID, 0, "上菜慢了两小时", assigned, NULL);
	char *o2 = version(ID, 0, "上菜慢了一小时", assigned, bj);
	char *m;
	struct cp_case *c;
	struct cp_sbuf out = CP_SBUF_INIT;

	(void)state;
	/* theirs corrected the summary, ours added an event: both kept */
	m = merge_both(b, o, t);
	c = parse(m);
	assert_string_equal(c->summary, "上菜慢了一小时");
	assert_int_equal(c->nevents, 3);
	cp_case_free(c);
	free(m);
	/* both changed it, differently: a conflict naming the field */
	assert_int_equal(merge(b, o2, t2, &out), -CP_EBUSY);
	assert_non_null(strstr(cp_errmsg(), "summary"));
	assert_non_null(strstr(cp_errmsg(), "both sides changed it"));
	/* both changed it the same way: fine */
	m = merge_both(b, o2, t);
	c = parse(m);
	assert_string_equal(c->summary, "上菜慢了一小时");
	cp_case_free(c);
	free(m);
	/* no base: a difference cannot be told apart */
	assert_int_equal(merge(NULL, o, t, &out), -CP_EBUSY);
	assert_non_null(strstr(cp_errmsg(), "no common version"));
	/* the amount decides the level: a changed amount reclassifies */
	free(t2);
	t2 = version(ID, 20000, "上菜慢", assigned, NULL);
	m = merge_both(b, o, t2);
	c = parse(m);
	assert_int_equal(c->d.level, 2);
	cp_case_free(c);
	free(m);
	cp_sbuf_release(&out);
	free(b);
	free(o);
	free(t);
	free(t2);
	free(o2);
}

static void test_merged_case_must_derive(void **state)
{
	char *b = version(ID, 0, "x", assigned, NULL);
	char *t = version(ID, 0, "x", assigned, NULL);
	char *o = cp_xstrdup(b);
	char *p = strstr(o, "channel: phone");
	struct cp_sbuf out = CP_SBUF_INIT;

	(void)state;
	/* ours says email, a channel the policy does not know */
	assert_non_null(p);
	memcpy(p + 9, "email", 5);
	assert_int_equal(merge(b, o, t, &out), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "email"));
	cp_sbuf_release(&out);
	free(b);
	free(o);
	free(t);
}

static int setup(void **state)
{
	(void)state;
	if (cp_policy_parse(&P, "policy.yaml", policy_text, strlen(policy_text)) < 0) {
		fprintf(stderr, "setup: %s\n", cp_errmsg());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_policy_free(P);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disjoint_appends),
		cmocka_unit_test(test_identical_events_once),
		cmocka_unit_test(test_multiset),
		cmocka_unit_test(test_same_second_keeps_each_sides_order),
		cmocka_unit_test(test_new_first),
		cmocka_unit_test(test_late_event_by_time),
		cmocka_unit_test(test_clock_skew_keeps_status),
		cmocka_unit_test(test_shared_events_once_in_each_sides_order),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_one_approval_twice_counts_once),
		cmocka_unit_test(test_not_the_same_case),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_merged_case_must_derive),
	};

	return cmocka_run_group_tests_name("case merge", tests, setup, teardown);
}
