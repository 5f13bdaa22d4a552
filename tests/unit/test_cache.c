/*
 * test_cache.c - the cache's serialisation (lib/cache.h):
 * a parsed case survives encode/decode field by field, every truncation
 * or bad byte of a payload is refused without reading past it; and the
 * memoised local-time conversions of timeutil.c agree with libc's own in
 * zones with daylight saving time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/timeutil.h"
#include "complaint/tz.h"

/* the zone the cases are read in */
static struct cp_tz *Z;

static const char full_case[] =
	"id: C-20261102-ABCDEFGH\n"
	"status: resolved\n"
	"severity: major\n"
	"received_at: 2026-11-02T10:00:00+08:00\n"
	"channel: phone\n"
	"kind: complaint\n"
	"category: product\n"
	"customer: {name: 王先生, contact: \"13800000000\"}\n"
	"summary: 酒有异味\n"
	"description: |\n"
	"  第一行\n"
	"  second line\n"
	"amount: 12000.50\n"
	"scope: public\n"
	"flags: [safety, regulator]\n"
	"department: 餐饮部\n"
	"responsible: 张三\n"
	"head: 李四\n"
	"leader: 王五\n"
	"deadlines:\n"
	"  notify: 2026-11-02T10:10:00+08:00\n"
	"  resolve: 2026-11-04T23:59:59+08:00\n"
	"events:\n"
	"  - {at: 2026-11-02T10:00:00+08:00, by: 客服, action: new, severity: major}\n"
	"  - {at: 2026-11-02T10:05:00+08:00, by: 客服, action: assign, department: 餐饮部, responsible: 张三, head: 李四, leader: 王五}\n"
	"  - {at: 2026-11-02T11:00:00+08:00, by: 李四, action: approve, role: leader}\n"
	"  - {at: 2026-11-02T12:00:00+08:00, by: 张三, action: resolve, text: 已退款, cause: 储存, measure: 培训, compensation: 300}\n"
	"  - {at: 2026-11-03T12:00:00+08:00, by: 客服, action: callback, satisfied: false, text: 不满意}\n"
	"  - {at: 2026-11-03T13:00:00+08:00, by: 经理, action: penalize, person: 张三, points: 5, reason: 拖延}\n";

static const char small_case[] =
	"id: C-20261102-SMALL001\n"
	"received_at: 2026-11-02T10:00:00Z\n"
	"channel: email\n"
	"category: other\n"
	"customer: {name: A}\n"
	"summary: s\n"
	"events:\n"
	"  - {at: 2026-11-02T10:00:00Z, by: x, action: new}\n";

/* an event copied by hand, twice: the parser keeps one (case.h, ndup) */
static const char copied_case[] =
	"id: C-20261102-COPY0001\n"
	"received_at: 2026-11-02T10:00:00Z\n"
	"channel: email\n"
	"category: other\n"
	"customer: {name: A}\n"
	"summary: s\n"
	"events:\n"
	"  - {at: 2026-11-02T10:00:00Z, by: x, action: new}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: note, text: a}\n"
	"  - {at: 2026-11-02T12:00:00Z, by: x, action: note, text: b}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: note, text: a}\n"
	"  - {at: 2026-11-02T12:00:00Z, by: x, action: note, text: b}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: note, text: a}\n";

/* the same approval again after a new plan, in the same second: new facts */
static const char repeated_case[] =
	"id: C-20261102-RPT00001\n"
	"received_at: 2026-11-02T10:00:00Z\n"
	"channel: email\n"
	"category: other\n"
	"customer: {name: A}\n"
	"summary: s\n"
	"events:\n"
	"  - {at: 2026-11-02T10:00:00Z, by: x, action: new}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: plan, text: p}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: w, action: approve, role: leader}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: note, text: memo}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: plan, text: p}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: w, action: approve, role: leader}\n"
	"  - {at: 2026-11-02T11:00:00Z, by: x, action: note, text: memo}\n";

static struct cp_case *parse(const char *text)
{
	struct cp_case *c = NULL;

	assert_int_equal(cp_case_parse(&c, Z, "t.yaml", text, strlen(text)), 0);
	return c;
}

static void roundtrip(const char *text)
{
	struct cp_case *c = parse(text), *d = NULL;
	struct cp_sbuf buf = CP_SBUF_INIT;
	char *path = NULL;

	cp_case_encode(&buf, "cases/2026/11/x.yaml", c);
	assert_int_equal(cp_case_decode(&d, &path, buf.buf, buf.len), 0);
	assert_string_equal(path, "cases/2026/11/x.yaml");
	assert_true(cp_case_same(c, d));
	assert_true(cp_case_same(d, c));
	cp_case_free(c);
	cp_case_free(d);
	free(path);
	cp_sbuf_release(&buf);
}

static void test_roundtrip_full(void **state)
{
	(void)state;
	roundtrip(full_case);
}

static void test_roundtrip_small(void **state)
{
	(void)state;
	roundtrip(small_case);
}

static void test_roundtrip_copies(void **state)
{
	struct cp_case *c = parse(copied_case);

	(void)state;
	/* kept: new, a, b (the first of each); dropped: events 4, 5 and 6 */
	assert_int_equal(c->nevents, 3);
	assert_string_equal(c->events[1].text, "a");
	assert_string_equal(c->events[2].text, "b");
	assert_int_equal(c->ndup, 3);
	assert_int_equal(c->dup_index, 4);
	assert_int_equal(c->dup_of, 2);
	assert_int_equal(c->dup_line, 11);
	assert_int_equal(c->dup_action, EV_NOTE);
	cp_case_free(c);
	roundtrip(copied_case);
	c = parse(repeated_case);
	assert_int_equal(c->nevents, 7);
	assert_int_equal(c->ndup, 0);
	cp_case_free(c);
}

static void test_same_sees_differences(void **state)
{
	struct cp_case *a = parse(full_case), *b = parse(full_case);

	(void)state;
	assert_true(cp_case_same(a, b));
	b->events[3].compensation = 301;
	assert_false(cp_case_same(a, b));
	b->events[3].compensation = a->events[3].compensation;
	free(b->contact);
	b->contact = NULL;
	assert_false(cp_case_same(a, b));
	cp_case_free(a);
	cp_case_free(b);
}

/* Every strict prefix of a payload is refused; so is a byte more. */
static void test_truncations_refused(void **state)
{
	struct cp_case *c = parse(full_case), *d;
	struct cp_sbuf buf = CP_SBUF_INIT;
	char *path;
	size_t n;

	(void)state;
	cp_case_encode(&buf, "p", c);
	for (n = 0; n < buf.len; n++) {
		char *copy = malloc(n ? n : 1);	/* exact size: ASan sees overreads */

		memcpy(copy, buf.buf, n);
		assert_int_equal(cp_case_decode(&d, &path, copy, n), -1);
		free(copy);
	}
	cp_sbuf_addch(&buf, 0);
	assert_int_equal(cp_case_decode(&d, &path, buf.buf, buf.len), -1);
	cp_case_free(c);
	cp_sbuf_release(&buf);
}

/* Flipping any byte either is refused or decodes to some case, never crashes. */
static void test_flipped_bytes(void **state)
{
	struct cp_case *c = parse(full_case), *d;
	struct cp_sbuf buf = CP_SBUF_INIT;
	char *path;
	size_t i;
	int bit;

	(void)state;
	cp_case_encode(&buf, "p", c);
	for (i = 0; i < buf.len; i++)
		for (bit = 0; bit < 8; bit += 3) {
			char *copy = malloc(buf.len);

			memcpy(copy, buf.buf, buf.len);
			copy[i] ^= (char)(1 << bit);
			if (cp_case_decode(&d, &path, copy, buf.len) == 0) {
				assert_non_null(d->channel);
				assert_non_null(d->events);
				cp_case_free(d);
				free(path);
			}
			free(copy);
		}
	cp_case_free(c);
	cp_sbuf_release(&buf);
}

static unsigned long long rng = 88172645463325252ULL;

static long long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (long long)(rng >> 1);
}

/* same local clock (y, m, d, h, m, s) at both instants: an hour that repeats */
static bool same_clock(time_t a, time_t b)
{
	struct tm x, y;

	localtime_r(&a, &x);
	localtime_r(&b, &y);
	return x.tm_year == y.tm_year && x.tm_mon == y.tm_mon && x.tm_mday == y.tm_mday &&
	       x.tm_hour == y.tm_hour && x.tm_min == y.tm_min && x.tm_sec == y.tm_sec;
}

/*
 * Local dates and times through a zone handle (timeutil.c over tz.c) give
 * what localtime_r and mktime give with TZ set to the zone (set here, by
 * the test: the library never reads it).  In an hour that repeats, mktime
 * in one process answers from its memory of the previous call, the
 * library as a fresh process does (tests/unit/test_tz.c): either of the
 * two instants of that clock time is then mktime's.
 */
static void test_local_time_matches_libc(void **state)
{
	static const char *const zones[] = { "Asia/Shanghai", "America/New_York",
		"Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo", "UTC" };
	size_t z;
	int i;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(*zones); z++) {
		struct cp_tz *zh = NULL;

		if (cp_tz_load(&zh, zones[z]) < 0) {
			cp_error_clear();
			continue;	/* tzdata without this zone */
		}
		setenv("TZ", zones[z], 1);
		tzset();
		for (i = 0; i < 20000; i++) {
			cp_time t = 1500000000LL + rnd() % (86400LL * 4000), got, want;
			time_t tt = (time_t)t;
			struct tm tm, t2;
			struct cp_duration du = { rnd() % 30, CP_DAYS };
			struct cp_calendar cal;
			int h = (int)(rnd() % 24), mi = (int)(rnd() % 60), s = (int)(rnd() % 60);
			int32_t day;

			memset(&cal, 0, sizeof(cal));
			localtime_r(&tt, &tm);
			day = cp_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			assert_int_equal(cp_local_day(zh, t), day);
			memset(&t2, 0, sizeof(t2));
			t2.tm_year = tm.tm_year;
			t2.tm_mon = tm.tm_mon;
			t2.tm_mday = tm.tm_mday;
			t2.tm_hour = h;
			t2.tm_min = mi;
			t2.tm_sec = s;
			t2.tm_isdst = -1;
			got = cp_local_time(zh, day, h, mi, s);
			want = (cp_time)mktime(&t2);
			if (got != want && !same_clock((time_t)got, (time_t)want))
				fail_msg("%s: %d %02d:%02d:%02d is %lld, mktime says %lld", zones[z],
					 (int)day, h, mi, s, (long long)got, (long long)want);
			tm.tm_mday += (int)du.n;
			tm.tm_isdst = -1;
			got = cp_time_add(zh, &cal, t, &du);
			want = (cp_time)mktime(&tm);
			if (got != want && !same_clock((time_t)got, (time_t)want))
				fail_msg("%s: %lld + %ldd is %lld, mktime says %lld", zones[z],
					 (long long)t, du.n, (long long)got, (long long)want);
		}
		cp_tz_free(zh);
	}
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_full),
		cmocka_unit_test(test_roundtrip_small),
		cmocka_unit_test(test_roundtrip_copies),
		cmocka_unit_test(test_same_sees_differences),
		cmocka_unit_test(test_truncations_refused),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_local_time_matches_libc),
	};

	if (cp_tz_load(&Z, "Asia/Shanghai") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
