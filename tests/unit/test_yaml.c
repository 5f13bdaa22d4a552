/*
 * test_yaml.c - the YAML writer and reader (lib/yaml_subset.h).
 *
 * Every hostile string goes through cp_yw_scalar() and back through
 * cp_ydoc_parse() + cp_ynode_str() in block, nested block, flow-map and
 * flow-sequence position and must come back byte for byte; PyYAML must
 * read the same strings from the same text.  Then the reader's refusals,
 * each naming file:line:col.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complaint/error.h"
#include "complaint/number.h"
#include "complaint/sbuf.h"
#include "utf8.h"
#include "yaml_subset.h"

/* ---- the hostile strings ---- */

struct text {
	const char *s;
	size_t n;
};

#define T(lit) { lit, sizeof(lit) - 1 }

static const struct text hostile[] = {
	/* YAML 1.1 / 1.2 plain scalars that are not strings */
	T("yes"), T("no"), T("on"), T("off"), T("y"), T("n"), T("Y"), T("N"),
	T("Yes"), T("NO"), T("On"), T("OFF"),
	T("true"), T("False"), T("TRUE"), T("null"), T("Null"), T("NULL"),
	T("~"), T("0123"), T("1e3"), T("0x1F"), T("0o17"), T("0b101"),
	T(".inf"), T("-.inf"), T("+.inf"), T(".NaN"), T("2024-01-05"),
	T("2001-12-14t21:59:43.10-05:00"), T("2001-12-14 21:59:43.10 -5"),
	T("1_000"), T("+1"), T("-1"), T("-0"), T(".5"), T("1."), T("12:30"),
	T("190:20:30"), T("<<"), T("="), T("123"), T("1e-3"), T("."), T("._"),
	/* indicators */
	T("- x"), T("-"), T("-x"), T("--- x"), T("---"), T("..."),
	T("key: v"), T("a: b, c"), T("# x"), T("a #b"), T("a#b"),
	T("?x"), T("? x"), T("?"), T(":x"), T(":"), T("x:"), T("x: "),
	T("a:b"), T("a :b"), T("http://example.com/a?b=c#d"),
	T("@x"), T("`x"), T("!x"), T("!!str x"), T("&x"), T("*x"), T("|x"),
	T("|"), T(">x"), T(">"), T("%x"), T("%YAML 1.2"), T("'x"), T("\"x"),
	/* spaces, tabs, CR */
	T(" x"), T("x "), T(" "), T("   "), T(" lead and trail "),
	T("\tx"), T("x\t"), T("a\tb"), T("\t"), T("key:\tvalue"),
	T("a\rb"), T("\r"), T("a\r\nb"), T("a\r\nb\r\n"), T("\r\n"),
	/* Unicode line breaks, BOM, non-characters, DEL, C0 and C1 controls */
	T("a\xe2\x80\xa8" "b"), T("\xe2\x80\xa8"),	/* U+2028 */
	T("a\xe2\x80\xa9" "b"), T("\xe2\x80\xa9"),	/* U+2029 */
	T("a\xc2\x85" "b"), T("\xc2\x85"),		/* U+0085 NEL */
	T("\xef\xbb\xbf" "bom"), T("a\xef\xbb\xbf"),	/* U+FEFF */
	T("a\xef\xbf\xbe" "b"), T("a\xef\xbf\xbf"),	/* U+FFFE, U+FFFF */
	T("a\x7f" "b"), T("\x7f"),			/* DEL */
	T("a\xc2\x80" "b"), T("a\xc2\x9f"), T("\xc2\x9b" "[0m"), /* C1 */
	T("a\x01" "b"), T("\x1b[31mred\x1b[0m"), T("a\x08" "b"),
	T("a\x0b" "b"), T("a\x0c" "b"), T("\x1f"),
	T("\xc2\xa0" "nbsp\xc2\xa0"), T("a\xe3\x80\x80#b"),
	/* multi-line */
	T("line one\nline two\n"), T("line one\nline two"),
	T("line one\nline two\n\n\n"), T("a\n\n\nb"), T("a\n   \nb"),
	T("a\n\t\nb"), T("  leading\nsecond"), T("\nstarts with a newline"),
	T("\n"), T("\n\n"), T("x\n "), T("a \nb "), T("a\n\tb"),
	T("a\n  b\n    c\n"), T("- x\n- y"), T("# not a comment\nx"),
	T("a\n---\nb"), T("a\n...\nb"), T("a\n#b\n"), T("key: v\nk2: v2\n"),
	T("a\r\nb\n"), T("a\n\xc2\x85" "b"), T("x\n\xe2\x80\xa8"),
	T("\xe4\xb8\x8a\xe8\x8f\x9c\n\xe5\xbb\xb6\xe8\xbf\x9f\n"),
	/* Chinese, emoji */
	T("上菜延迟一小时"), T("王先生"), T("客服中心/赵六"),
	T("上菜延迟: 一小时"), T("上菜延迟 #一小时"), T("😀"), T("a😀b 👍🏽 👨‍👩‍👧"),
	T("\xf4\x8f\xbf\xbf"),	/* U+10FFFF */
	/* quotes and backslashes */
	T("it's"), T("say \"hi\""), T("'"), T("\""), T("''"), T("\"\""),
	T("\\"), T("C:\\path\\n"), T("a\\nb"), T("\\x41\\u0041"),
	T("'quoted'"), T("\"quoted\""),
	/* flow indicators */
	T(","), T("["), T("]"), T("{"), T("}"), T("a,b"), T("a, b"),
	T("a[b]"), T("{a}"), T("[x]"), T("x]"), T("x}"), T("{a: b}"),
	T("[a, b]"), T("a,"), T(",a"),
	/* the empty string and plain text */
	T(""), T("hello world"), T("13800000000"), T("C-20261122-7F3A"),
};

#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static char *long_text(size_t n)
{
	static const char words[] = "The dish came an hour late, the soup was cold; ";
	char *s = cp_xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = words[i % (sizeof(words) - 1)];
	s[n] = '\0';
	return s;
}

static char *long_lines(size_t n)
{
	char *s = long_text(n);
	size_t i;

	for (i = 60; i < n; i += 61)
		s[i] = '\n';
	return s;
}

/* ---- helpers ---- */

static void show(struct cp_sbuf *sb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			cp_sbuf_addch(sb, c);
		else
			cp_sbuf_addf(sb, "\\x%02x", c);
	}
}

/* Fail with the string shown escaped, and the YAML text it became. */
static void fail_text(const char *why, const struct text *t, const char *yaml)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	show(&sb, t->s, t->n);
	print_error("%s\n  string: '%s'\n  yaml:\n%s\n  error: %s\n", why, sb.buf,
		    yaml, cp_errmsg());
	cp_sbuf_release(&sb);
	fail();
}

static struct cp_ydoc *parse_or_fail(const struct text *t, const struct cp_sbuf *doc)
{
	struct cp_ydoc *d = NULL;

	if (cp_ydoc_parse(&d, "t.yaml", doc->buf, doc->len) < 0)
		fail_text("the written YAML does not parse", t, doc->buf);
	assert_non_null(d);
	return d;
}

static void check_same(const struct text *t, const struct cp_sbuf *doc,
		       const struct cp_ydoc *d, const struct cp_ynode *n)
{
	const char *got = NULL;

	if (!n)
		fail_text("value not found in the parsed document", t, doc->buf);
	if (cp_ynode_str(&got, d, n, "value") < 0)
		fail_text("cp_ynode_str refuses the written value", t, doc->buf);
	if (n->len != t->n || memcmp(got, t->s, t->n))
		fail_text("the value read back differs", t, doc->buf);
}

/* k: <scalar>   (block context, indent 0) */
static void roundtrip_block(const struct text *t)
{
	struct cp_sbuf doc = CP_SBUF_INIT;
	struct cp_ydoc *d;

	assert_int_equal(cp_yaml_text_check(t->s, t->n, "text"), 0);
	cp_sbuf_adds(&doc, "k: ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_BLOCK, 0);
	cp_sbuf_addch(&doc, '\n');
	d = parse_or_fail(t, &doc);
	check_same(t, &doc, d, cp_ymap_get(d->root, "k"));
	cp_ydoc_free(d);
	cp_sbuf_release(&doc);
}

/* p:\n  k: <scalar>\n  z: end   (block context, indent 2, a key after it) */
static void roundtrip_nested(const struct text *t)
{
	struct cp_sbuf doc = CP_SBUF_INIT;
	struct cp_ydoc *d;
	const struct cp_ynode *z;

	cp_sbuf_adds(&doc, "p:\n  k: ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_BLOCK, 2);
	cp_sbuf_adds(&doc, "\n  z: end\nq: after\n");
	d = parse_or_fail(t, &doc);
	check_same(t, &doc, d, cp_ymap_get(cp_ymap_get(d->root, "p"), "k"));
	z = cp_ymap_get(cp_ymap_get(d->root, "p"), "z");
	if (!z || strcmp(z->str, "end") || !cp_ymap_get(d->root, "q"))
		fail_text("the keys after the value are lost", t, doc.buf);
	cp_ydoc_free(d);
	cp_sbuf_release(&doc);
}

/* {k: <scalar>} and [a, <scalar>, b] */
static void roundtrip_flow(const struct text *t)
{
	struct cp_sbuf doc = CP_SBUF_INIT;
	struct cp_ydoc *d;

	cp_sbuf_adds(&doc, "{k: ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_FLOW, 0);
	cp_sbuf_adds(&doc, "}\n");
	d = parse_or_fail(t, &doc);
	check_same(t, &doc, d, cp_ymap_get(d->root, "k"));
	cp_ydoc_free(d);

	cp_sbuf_reset(&doc);
	cp_sbuf_adds(&doc, "[a, ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_FLOW, 0);
	cp_sbuf_adds(&doc, ", b]\n");
	d = parse_or_fail(t, &doc);
	if (d->root->type != CP_Y_SEQ || d->root->n != 3)
		fail_text("the flow sequence does not have 3 items", t, doc.buf);
	check_same(t, &doc, d, d->root->kids[1]);
	cp_ydoc_free(d);
	cp_sbuf_release(&doc);
}

static void test_roundtrip_block(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NHOSTILE; i++)
		roundtrip_block(&hostile[i]);
}

static void test_roundtrip_nested(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NHOSTILE; i++)
		roundtrip_nested(&hostile[i]);
}

static void test_roundtrip_flow(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NHOSTILE; i++)
		roundtrip_flow(&hostile[i]);
}

static void test_roundtrip_long(void **state)
{
	char *a = long_text(3000), *b = long_lines(3000);
	struct text ta = { a, 3000 }, tb = { b, 3000 };

	(void)state;
	roundtrip_block(&ta);
	roundtrip_nested(&ta);
	roundtrip_flow(&ta);
	roundtrip_block(&tb);
	roundtrip_nested(&tb);
	roundtrip_flow(&tb);
	free(a);
	free(b);
}

/* The writer keeps ordinary text readable and quotes what it must. */
static void expect_written(const char *s, enum cp_yw_ctx ctx, const char *want)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	cp_yw_str(&sb, s, ctx, 0);
	if (strcmp(sb.buf, want))
		fail_msg("cp_yw_str('%s') wrote '%s', want '%s'", s, sb.buf, want);
	cp_sbuf_release(&sb);
}

static void test_writer_styles(void **state)
{
	(void)state;
	expect_written("上菜延迟一小时", CP_YW_BLOCK, "上菜延迟一小时");
	expect_written("hello world", CP_YW_FLOW, "hello world");
	expect_written("yes", CP_YW_BLOCK, "\"yes\"");
	expect_written("", CP_YW_FLOW, "\"\"");
	expect_written("a\nb", CP_YW_BLOCK, "|-\n  a\n  b");
	expect_written("a\nb\n", CP_YW_BLOCK, "|\n  a\n  b");
	expect_written("a\nb", CP_YW_FLOW, "\"a\\nb\"");
	expect_written("a,b", CP_YW_FLOW, "\"a,b\"");
	expect_written("a,b", CP_YW_BLOCK, "a,b");
	/* quotes and backslashes inside plain text are plain */
	expect_written("say \"hi\"\\", CP_YW_FLOW, "say \"hi\"\\");
	expect_written("\"hi\" \\", CP_YW_FLOW, "\"\\\"hi\\\" \\\\\"");
}

/* ---- PyYAML agrees ---- */

/* JSON exactly as Python's json.dumps writes a str (ensure_ascii). */
static void py_json_str(struct cp_sbuf *sb, const char *s, size_t n)
{
	size_t i, k;
	uint32_t c;

	cp_sbuf_addch(sb, '"');
	for (i = 0; i < n; i += k) {
		k = cp_utf8_decode(&c, s + i, n - i);
		assert_true(k > 0);
		switch (c) {
		case '"': cp_sbuf_adds(sb, "\\\""); continue;
		case '\\': cp_sbuf_adds(sb, "\\\\"); continue;
		case '\n': cp_sbuf_adds(sb, "\\n"); continue;
		case '\r': cp_sbuf_adds(sb, "\\r"); continue;
		case '\t': cp_sbuf_adds(sb, "\\t"); continue;
		case '\b': cp_sbuf_adds(sb, "\\b"); continue;
		case '\f': cp_sbuf_adds(sb, "\\f"); continue;
		}
		if (c >= 0x20 && c < 0x7f)
			cp_sbuf_addch(sb, (int)c);
		else if (c < 0x10000)
			cp_sbuf_addf(sb, "\\u%04x", (unsigned)c);
		else
			cp_sbuf_addf(sb, "\\u%04x\\u%04x",
				  (unsigned)(0xd800 + ((c - 0x10000) >> 10)),
				  (unsigned)(0xdc00 + ((c - 0x10000) & 0x3ff)));
	}
	cp_sbuf_addch(sb, '"');
}

static int python_has_yaml(void)
{
	return system("python3 -c 'import yaml' >/dev/null 2>&1") == 0;
}

/* Run PyYAML on path; returns its stdout (caller frees) or NULL. */
static char *pyyaml_json(const char *path)
{
	struct cp_sbuf cmd = CP_SBUF_INIT, out = CP_SBUF_INIT;
	char buf[4096];
	size_t k;
	FILE *f;
	int st;

	cp_sbuf_addf(&cmd, "python3 -c 'import yaml,sys,json; "
		  "print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding=\"utf-8\"))))' '%s'",
		  path);
	f = popen(cmd.buf, "r");
	cp_sbuf_release(&cmd);
	if (!f)
		return NULL;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		cp_sbuf_add(&out, buf, k);
	st = pclose(f);
	if (st != 0) {
		cp_sbuf_release(&out);
		return NULL;
	}
	while (out.len && out.buf[out.len - 1] == '\n')
		cp_sbuf_setlen(&out, out.len - 1);
	return cp_sbuf_detach(&out, NULL);
}

static void write_file(const char *path, const struct cp_sbuf *sb)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(sb->buf, 1, sb->len, f), sb->len);
	assert_int_equal(fclose(f), 0);
}

/*
 * Check one document holding the strings: "bN: <block scalar>" at indent 0
 * and "fN: {k: <flow scalar>}".  Checked one string at a time so a failure
 * names the string.
 */
static void pyyaml_check(const struct text *t)
{
	struct cp_sbuf doc = CP_SBUF_INIT, want = CP_SBUF_INIT;
	char path[] = "/tmp/complaint-test-yaml-XXXXXX";
	char *got;
	int fd;

	cp_sbuf_adds(&doc, "b: ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_BLOCK, 0);
	cp_sbuf_adds(&doc, "\nf: {k: ");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_FLOW, 0);
	cp_sbuf_adds(&doc, "}\nl: [");
	cp_yw_scalar(&doc, t->s, t->n, CP_YW_FLOW, 0);
	cp_sbuf_adds(&doc, "]\n");

	cp_sbuf_adds(&want, "{\"b\": ");
	py_json_str(&want, t->s, t->n);
	cp_sbuf_adds(&want, ", \"f\": {\"k\": ");
	py_json_str(&want, t->s, t->n);
	cp_sbuf_adds(&want, "}, \"l\": [");
	py_json_str(&want, t->s, t->n);
	cp_sbuf_adds(&want, "]}");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, &doc);
	got = pyyaml_json(path);
	unlink(path);
	if (!got || strcmp(got, want.buf)) {
		struct cp_sbuf sb = CP_SBUF_INIT;

		show(&sb, t->s, t->n);
		print_error("PyYAML reads a different value\n  string: '%s'\n"
			    "  yaml:\n%s\n  want: %s\n  got:  %s\n",
			    sb.buf, doc.buf, want.buf, got ? got : "(PyYAML failed)");
		cp_sbuf_release(&sb);
		free(got);
		fail();
	}
	free(got);
	cp_sbuf_release(&doc);
	cp_sbuf_release(&want);
}

/*
 * One python3 run per string is slow (~50 ms each), so all strings go in
 * one document first; only when that disagrees do we look string by string.
 */
static void test_pyyaml_agrees(void **state)
{
	struct cp_sbuf doc = CP_SBUF_INIT, want = CP_SBUF_INIT;
	char path[] = "/tmp/complaint-test-yaml-XXXXXX";
	char *got, *l1 = long_text(3000), *l2 = long_lines(3000);
	struct text extra[2] = { { l1, 3000 }, { l2, 3000 } };
	size_t i, n = NHOSTILE + 2;
	int fd;

	(void)state;
	if (!python_has_yaml()) {
		print_error("python3 with the yaml module (PyYAML) is needed for this test: apt-get install python3-yaml\n");
		fail();
	}
	cp_sbuf_addch(&want, '{');
	for (i = 0; i < n; i++) {
		const struct text *t = i < NHOSTILE ? &hostile[i] : &extra[i - NHOSTILE];

		cp_sbuf_addf(&doc, "b%zu: ", i);
		cp_yw_scalar(&doc, t->s, t->n, CP_YW_BLOCK, 0);
		cp_sbuf_addf(&doc, "\nf%zu: {k: ", i);
		cp_yw_scalar(&doc, t->s, t->n, CP_YW_FLOW, 0);
		cp_sbuf_adds(&doc, "}\n");
		cp_sbuf_addf(&want, "%s\"b%zu\": ", i ? ", " : "", i);
		py_json_str(&want, t->s, t->n);
		cp_sbuf_addf(&want, ", \"f%zu\": {\"k\": ", i);
		py_json_str(&want, t->s, t->n);
		cp_sbuf_addch(&want, '}');
	}
	cp_sbuf_addch(&want, '}');

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, &doc);
	got = pyyaml_json(path);
	unlink(path);
	if (!got || strcmp(got, want.buf)) {
		for (i = 0; i < n; i++)
			pyyaml_check(i < NHOSTILE ? &hostile[i] : &extra[i - NHOSTILE]);
		fail_msg("PyYAML disagrees on the combined document only");
	}
	free(got);
	free(l1);
	free(l2);
	cp_sbuf_release(&doc);
	cp_sbuf_release(&want);
}

/* ---- cp_yaml_text_check ---- */

static void expect_text_refused(const char *s, size_t n, size_t at)
{
	char want[64];
	int r = cp_yaml_text_check(s, n, "summary");

	assert_int_equal(r, -CP_EUSAGE);
	assert_non_null(strstr(cp_errmsg(), "summary"));
	if (at != (size_t)-1) {
		snprintf(want, sizeof(want), "byte %zu", at);
		if (!strstr(cp_errmsg(), want))
			fail_msg("message '%s' does not name %s", cp_errmsg(), want);
	}
}

static void test_text_check(void **state)
{
	(void)state;
	assert_int_equal(cp_yaml_text_check("上菜延迟😀", strlen("上菜延迟😀"), "x"), 0);
	assert_int_equal(cp_yaml_text_check("", 0, "x"), 0);
	assert_int_equal(cp_yaml_text_check("\xf4\x8f\xbf\xbf", 4, "x"), 0);	/* U+10FFFF */
	assert_int_equal(cp_yaml_text_check("\xed\x9f\xbf", 3, "x"), 0);	/* U+D7FF */
	assert_int_equal(cp_yaml_text_check("\xee\x80\x80", 3, "x"), 0);	/* U+E000 */
	assert_int_equal(cp_yaml_text_check("a\x7f\x01\r\t", 5, "x"), 0);

	expect_text_refused("ab\xff", 3, 2);
	expect_text_refused("\xc3", 1, 0);		/* truncated */
	expect_text_refused("a\xc3(", 3, 1);		/* bad continuation */
	expect_text_refused("\xc0\xaf", 2, 0);		/* overlong '/' */
	expect_text_refused("\xe0\x80\xaf", 3, 0);	/* overlong */
	expect_text_refused("x\xed\xa0\x80", 4, 1);	/* surrogate U+D800 */
	expect_text_refused("\xed\xbf\xbf", 3, 0);	/* surrogate U+DFFF */
	expect_text_refused("\xf4\x90\x80\x80", 4, 0);	/* U+110000 */
	expect_text_refused("\xf8\x88\x80\x80\x80", 5, 0);
	expect_text_refused("a\0b", 3, (size_t)-1);	/* NUL */
	assert_non_null(strstr(cp_errmsg(), "NUL"));
}

/* ---- the reader's refusals ---- */

/* The document must be refused with "t.yaml:line:col: ..." naming why. */
static void expect_refused(const char *buf, size_t len, int line, int col,
			   const char *why)
{
	struct cp_ydoc *d = (struct cp_ydoc *)1;
	char prefix[64];
	int r = cp_ydoc_parse(&d, "t.yaml", buf, len);

	if (r != -CP_EDATA)
		fail_msg("accepted (r=%d) but should be refused for %s:\n%.*s", r,
			 why, (int)(len > 300 ? 300 : len), buf);
	assert_null(d);
	if (!line)	/* no position: the whole file */
		snprintf(prefix, sizeof(prefix), "t.yaml: ");
	else if (col)
		snprintf(prefix, sizeof(prefix), "t.yaml:%d:%d: ", line, col);
	else
		snprintf(prefix, sizeof(prefix), "t.yaml:%d:", line);
	if (strncmp(cp_errmsg(), prefix, strlen(prefix)))
		fail_msg("message '%s' does not start with '%s'", cp_errmsg(), prefix);
	if (!strstr(cp_errmsg(), why))
		fail_msg("message '%s' does not say '%s'", cp_errmsg(), why);
}

#define REFUSED(lit, line, col, why) expect_refused(lit, sizeof(lit) - 1, line, col, why)

static void parse_fine(const char *buf, size_t len)
{
	struct cp_ydoc *d = NULL;

	if (cp_ydoc_parse(&d, "t.yaml", buf, len) < 0)
		fail_msg("refused: %s", cp_errmsg());
	cp_ydoc_free(d);
}

static void test_refuse_anchors_aliases(void **state)
{
	(void)state;
	REFUSED("a: &x 1\n", 1, 4, "anchor");
	REFUSED("a: 1\nb: &x [1]\n", 2, 4, "anchor");
	REFUSED("a: 1\nb: &x {c: 1}\n", 2, 4, "anchor");
	REFUSED("a: 1\nb: *x\n", 2, 4, "alias");
	REFUSED("a: 1\nb: [1, *x]\n", 2, 8, "alias");
}

static void test_refuse_tags(void **state)
{
	(void)state;
	REFUSED("a: !!str x\n", 1, 4, "tag");
	REFUSED("a: 1\nb: !foo x\n", 2, 4, "tag");
	REFUSED("a: !!map {b: 1}\n", 1, 4, "tag");
	REFUSED("a: !!seq [1]\n", 1, 4, "tag");
	REFUSED("a: ! x\n", 1, 4, "tag");
}

static void test_refuse_documents(void **state)
{
	(void)state;
	REFUSED("a: 1\n---\nb: 2\n", 2, 1, "more than one");
	REFUSED("--- a\n--- b\n", 2, 1, "more than one");
	parse_fine("---\na: 1\n...\n", 13);
}

static void test_refuse_duplicate_keys(void **state)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	int i;

	(void)state;
	REFUSED("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a'");
	REFUSED("{a: 1, a: 2}\n", 1, 8, "duplicate key");
	REFUSED("x:\n  b: 1\n  b: 1\n", 3, 3, "duplicate key 'b'");
	REFUSED("- {a: 1}\n- {k: 1, \"k\": 2}\n", 2, 10, "duplicate key 'k'");

	/* 100 keys: distinct is fine, one repeated at the end is refused */
	for (i = 0; i < 100; i++)
		cp_sbuf_addf(&sb, "key%03d: %d\n", i, i);
	parse_fine(sb.buf, sb.len);
	cp_sbuf_addf(&sb, "key042: again\n");
	expect_refused(sb.buf, sb.len, 101, 1, "duplicate key 'key042'");
	/* and a repeat among the first keys of a big map */
	cp_sbuf_reset(&sb);
	cp_sbuf_adds(&sb, "zz: 1\n");
	for (i = 0; i < 99; i++)
		cp_sbuf_addf(&sb, "k%03d: %d\n", i, i);
	cp_sbuf_adds(&sb, "zz: 2\n");
	expect_refused(sb.buf, sb.len, 101, 1, "duplicate key 'zz'");
	cp_sbuf_release(&sb);
}

static void nested(struct cp_sbuf *sb, int depth)
{
	int i;

	cp_sbuf_reset(sb);
	for (i = 0; i < depth; i++)
		cp_sbuf_addch(sb, '[');
	cp_sbuf_adds(sb, "x");
	for (i = 0; i < depth; i++)
		cp_sbuf_addch(sb, ']');
	cp_sbuf_addch(sb, '\n');
}

static void test_refuse_depth(void **state)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	int i;

	(void)state;
	nested(&sb, CP_YAML_MAX_DEPTH);
	parse_fine(sb.buf, sb.len);
	nested(&sb, CP_YAML_MAX_DEPTH + 1);
	expect_refused(sb.buf, sb.len, 1, CP_YAML_MAX_DEPTH + 1, "nesting");
	nested(&sb, 10000);
	expect_refused(sb.buf, sb.len, 1, CP_YAML_MAX_DEPTH + 1, "nesting");
	/* block maps too */
	cp_sbuf_reset(&sb);
	for (i = 0; i <= CP_YAML_MAX_DEPTH; i++)
		cp_sbuf_addf(&sb, "%*sk%d:\n", 2 * i, "", i);
	cp_sbuf_addf(&sb, "%*sv: 1\n", 2 * (CP_YAML_MAX_DEPTH + 1), "");
	/* the 17th mapping is the one holding k16, on line 17 */
	expect_refused(sb.buf, sb.len, CP_YAML_MAX_DEPTH + 1, 2 * CP_YAML_MAX_DEPTH + 1,
		       "nesting");
	cp_sbuf_release(&sb);
}

static void test_refuse_bytes(void **state)
{
	(void)state;
	REFUSED("a: b\0c\n", 1, 5, "NUL");
	REFUSED("a: 1\nbb: x\0\n", 2, 6, "NUL");
	REFUSED("a: \xff\n", 1, 4, "UTF-8");
	REFUSED("a: 1\nb: \xc3\x28\n", 2, 4, "UTF-8");
	REFUSED("a: 上菜\xed\xa0\x80\n", 1, 6, "UTF-8");	/* surrogate */
	REFUSED("a: \xf4\x90\x80\x80\n", 1, 4, "UTF-8");	/* > U+10FFFF */
}

static void test_refuse_long_scalar(void **state)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	(void)state;
	cp_sbuf_adds(&sb, "a: 1\nb: ");
	cp_sbuf_addchars(&sb, 'x', CP_YAML_MAX_SCALAR);
	cp_sbuf_addch(&sb, '\n');
	parse_fine(sb.buf, sb.len);
	cp_sbuf_reset(&sb);
	cp_sbuf_adds(&sb, "a: 1\nb: ");
	cp_sbuf_addchars(&sb, 'x', CP_YAML_MAX_SCALAR + 1);
	cp_sbuf_addch(&sb, '\n');
	expect_refused(sb.buf, sb.len, 2, 4, "too long");
	cp_sbuf_reset(&sb);
	cp_sbuf_adds(&sb, "a: \"");
	cp_sbuf_addchars(&sb, 'y', CP_YAML_MAX_SCALAR + 1);
	cp_sbuf_adds(&sb, "\"\n");
	expect_refused(sb.buf, sb.len, 1, 4, "too long");
	cp_sbuf_release(&sb);
}

static void test_refuse_big_input(void **state)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i;

	(void)state;
	/* more bytes than CP_YAML_MAX_FILE: refused before parsing */
	cp_sbuf_adds(&sb, "a: 1\n");
	cp_sbuf_addchars(&sb, '#', CP_YAML_MAX_FILE);
	expect_refused(sb.buf, sb.len, 0, 0, "too large");
	/* more values than CP_YAML_MAX_NODES, in a small file */
	cp_sbuf_reset(&sb);
	cp_sbuf_adds(&sb, "a: [");
	for (i = 0; i < CP_YAML_MAX_NODES; i++)
		cp_sbuf_adds(&sb, "1,");
	cp_sbuf_adds(&sb, "1]\n");
	expect_refused(sb.buf, sb.len, 1, 0, "too many values");
	cp_sbuf_release(&sb);
}

static void test_refuse_syntax(void **state)
{
	(void)state;
	REFUSED("a: [1, 2\n", 2, 0, "");
	REFUSED("a: b: c\n", 1, 0, "");
	REFUSED("a: 1\n b: 2\nc\n", 2, 0, "");
	REFUSED("? [a]\n: 1\n", 1, 3, "key");
}

/* ---- typed readers ---- */

static struct cp_ydoc *doc_of(const char *text)
{
	struct cp_ydoc *d = NULL;

	if (cp_ydoc_parse(&d, "t.yaml", text, strlen(text)) < 0)
		fail_msg("refused: %s", cp_errmsg());
	return d;
}

static void expect_str_refused(const char *text, const char *why)
{
	struct cp_ydoc *d = doc_of(text);
	const char *s = NULL;

	assert_int_equal(cp_ynode_str(&s, d, cp_ymap_get(d->root, "k"), "summary"), -CP_EDATA);
	if (strncmp(cp_errmsg(), "t.yaml:1:4: ", 12) || !strstr(cp_errmsg(), "summary") ||
	    !strstr(cp_errmsg(), why))
		fail_msg("'%s': message '%s'", text, cp_errmsg());
	cp_ydoc_free(d);
}

static void expect_str(const char *text, const char *want)
{
	struct cp_ydoc *d = doc_of(text);
	const char *s = NULL;

	if (cp_ynode_str(&s, d, cp_ymap_get(d->root, "k"), "summary") < 0)
		fail_msg("'%s' refused: %s", text, cp_errmsg());
	assert_string_equal(s, want);
	cp_ydoc_free(d);
}

static void test_ynode_str(void **state)
{
	(void)state;
	expect_str_refused("k: yes\n", "boolean");
	expect_str_refused("k: No\n", "boolean");
	expect_str_refused("k: 123\n", "integer");
	expect_str_refused("k: 1.5\n", "number");
	expect_str_refused("k: null\n", "null");
	expect_str_refused("k: ~\n", "null");
	expect_str_refused("k: 2024-01-05\n", "date");
	expect_str_refused("k: [a]\n", "list");
	expect_str_refused("k: {a: b}\n", "mapping");
	expect_str("k: \"yes\"\n", "yes");
	expect_str("k: '123'\n", "123");
	expect_str("k: \"null\"\n", "null");
	expect_str("k: \"\"\n", "");
	expect_str("k: |-\n  yes\n", "yes");
	expect_str("k: 上菜延迟\n", "上菜延迟");
}

static void expect_money(const char *text, cp_money want)
{
	struct cp_ydoc *d = doc_of(text);
	cp_money v = -1;

	if (cp_ynode_money(&v, d, cp_ymap_get(d->root, "k"), "amount") < 0)
		fail_msg("'%s' refused: %s", text, cp_errmsg());
	assert_int_equal(v, want);
	cp_ydoc_free(d);
}

static void expect_money_refused(const char *text)
{
	struct cp_ydoc *d = doc_of(text);
	cp_money v;

	assert_int_equal(cp_ynode_money(&v, d, cp_ymap_get(d->root, "k"), "amount"), -CP_EDATA);
	if (strncmp(cp_errmsg(), "t.yaml:1:4: ", 12) || !strstr(cp_errmsg(), "amount"))
		fail_msg("'%s': message '%s'", text, cp_errmsg());
	cp_ydoc_free(d);
}

/* Exactly the amounts the writer writes, in cents; the rest names file:line:col. */
static void test_ynode_money(void **state)
{
	(void)state;
	expect_money("k: 1200\n", 120000);
	expect_money("k: 1200.50\n", 120050);
	expect_money("k: 1200.5\n", 120050);
	expect_money("k: 0\n", 0);
	expect_money("k: 0.10\n", 10);
	expect_money("k: 999.99\n", 99999);
	expect_money("k: 999999999999.99\n", 99999999999999);
	expect_money_refused("k: 1000000000000\n");
	expect_money_refused("k: 999.999\n");
	expect_money_refused("k: 999.9999999999\n");
	expect_money_refused("k: 1e3\n");
	expect_money_refused("k: 1E3\n");
	expect_money_refused("k: 00012\n");
	expect_money_refused("k: 012.5\n");
	expect_money_refused("k: -3.25\n");
	expect_money_refused("k: +3\n");
	expect_money_refused("k: .5\n");
	expect_money_refused("k: 5.\n");
	expect_money_refused("k: \"123\"\n");
	expect_money_refused("k: '1.5'\n");
	expect_money_refused("k: 0x10\n");
	expect_money_refused("k: 0o10\n");
	expect_money_refused("k: 1_000\n");
	expect_money_refused("k: 1,000\n");
	expect_money_refused("k: .inf\n");
	expect_money_refused("k: .nan\n");
	expect_money_refused("k: 1e300\n");
	expect_money_refused("k: twelve\n");
	expect_money_refused("k: yes\n");
	expect_money_refused("k: [1]\n");
	expect_money_refused("k: 12:30\n");
}

static void expect_int(const char *text, long want)
{
	struct cp_ydoc *d = doc_of(text);
	long v = -1;

	if (cp_ynode_int(&v, d, cp_ymap_get(d->root, "k"), "points", 0, 1000000) < 0)
		fail_msg("'%s' refused: %s", text, cp_errmsg());
	assert_int_equal(v, want);
	cp_ydoc_free(d);
}

static void expect_int_refused(const char *text)
{
	struct cp_ydoc *d = doc_of(text);
	long v;

	assert_int_equal(cp_ynode_int(&v, d, cp_ymap_get(d->root, "k"), "points", 0, 1000000),
			 -CP_EDATA);
	if (strncmp(cp_errmsg(), "t.yaml:1:4: ", 12) || !strstr(cp_errmsg(), "points"))
		fail_msg("'%s': message '%s'", text, cp_errmsg());
	cp_ydoc_free(d);
}

/* Whole numbers: 010 is octal 8 to PyYAML, so it is refused, not read as 10. */
static void test_ynode_int(void **state)
{
	(void)state;
	expect_int("k: 0\n", 0);
	expect_int("k: 10\n", 10);
	expect_int("k: 1000000\n", 1000000);
	expect_int_refused("k: 010\n");
	expect_int_refused("k: 0x10\n");
	expect_int_refused("k: +5\n");
	expect_int_refused("k: -5\n");
	expect_int_refused("k: 1_0\n");
	expect_int_refused("k: 1e1\n");
	expect_int_refused("k: 5.0\n");
	expect_int_refused("k: 1000001\n");
	expect_int_refused("k: 99999999999999999999999\n");
	expect_int_refused("k: '5'\n");
}

/* The one parser behind options and files. */
static void test_parse_numbers(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(cp_parse_fixed(&v, "0.5", 3, 3, 86400000), 0);
	assert_int_equal(v, 500);
	assert_int_equal(cp_parse_fixed(&v, "16", 2, 3, 86400000), 0);
	assert_int_equal(v, 16000);
	assert_int_equal(cp_parse_fixed(&v, "86400", 5, 3, 86400000), 0);
	assert_int_equal(cp_parse_fixed(&v, "86400.001", 9, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "nan", 3, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "inf", 3, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "0x10", 4, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "1e3", 3, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "-1", 2, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, " 1", 2, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "1 ", 2, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "", 0, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "1.", 2, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "1.0001", 6, 3, 86400000), -CP_EUSAGE);
	assert_int_equal(cp_parse_fixed(&v, "99999999999999999999", 20, 3, 86400000),
			 -CP_EUSAGE);
	assert_int_equal(cp_parse_int(&v, "-7", 2, -10, 10), 0);
	assert_int_equal(v, -7);
	assert_int_equal(cp_parse_int(&v, "-0", 2, -10, 10), -CP_EUSAGE);
	assert_int_equal(cp_parse_int(&v, "-11", 3, -10, 10), -CP_EUSAGE);
	assert_int_equal(cp_parse_int(&v, "-9223372036854775808", 20, INT64_MIN, INT64_MAX), 0);
	assert_int_equal(v == INT64_MIN, 1);
	assert_int_equal(cp_parse_int(&v, "9223372036854775808", 19, INT64_MIN, INT64_MAX),
			 -CP_EUSAGE);
	assert_int_equal(cp_parse_int(&v, "5", 1, 1, 1000000), 0);
	assert_int_equal(cp_parse_int(&v, "0", 1, 1, 1000000), -CP_EUSAGE);
}

static void test_ynode_int_bool(void **state)
{
	struct cp_ydoc *d = doc_of("a: 42\nb: 4.5\nc: \"7\"\nd: true\ne: yes\nf: 99\n");
	long v = 0;
	bool b = false;

	(void)state;
	assert_int_equal(cp_ynode_int(&v, d, cp_ymap_get(d->root, "a"), "n", 0, 100), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cp_ynode_int(&v, d, cp_ymap_get(d->root, "b"), "n", 0, 100), -CP_EDATA);
	assert_int_equal(cp_ynode_int(&v, d, cp_ymap_get(d->root, "c"), "n", 0, 100), -CP_EDATA);
	assert_int_equal(cp_ynode_int(&v, d, cp_ymap_get(d->root, "f"), "n", 0, 50), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "t.yaml:6:4: "));
	assert_int_equal(cp_ynode_bool(&b, d, cp_ymap_get(d->root, "d"), "flag"), 0);
	assert_true(b);
	/* `yes` is YAML 1.1 only: refused rather than guessed */
	assert_int_equal(cp_ynode_bool(&b, d, cp_ymap_get(d->root, "e"), "flag"), -CP_EDATA);
	assert_non_null(strstr(cp_errmsg(), "t.yaml:5:4: "));
	cp_ydoc_free(d);
}

static void test_resolve_plain(void **state)
{
	(void)state;
	assert_int_equal(cp_yaml_resolve_plain("", 0), CP_YP_NULL);
	assert_int_equal(cp_yaml_resolve_plain("~", 1), CP_YP_NULL);
	assert_int_equal(cp_yaml_resolve_plain("NULL", 4), CP_YP_NULL);
	assert_int_equal(cp_yaml_resolve_plain("off", 3), CP_YP_BOOL);
	assert_int_equal(cp_yaml_resolve_plain("Y", 1), CP_YP_BOOL);
	assert_int_equal(cp_yaml_resolve_plain("0x1F", 4), CP_YP_INT);
	assert_int_equal(cp_yaml_resolve_plain("12:30", 5), CP_YP_INT);
	assert_int_equal(cp_yaml_resolve_plain("1_000", 5), CP_YP_INT);
	assert_int_equal(cp_yaml_resolve_plain("1e3", 3), CP_YP_FLOAT);
	assert_int_equal(cp_yaml_resolve_plain("-.inf", 5), CP_YP_FLOAT);
	assert_int_equal(cp_yaml_resolve_plain(".NaN", 4), CP_YP_FLOAT);
	assert_int_equal(cp_yaml_resolve_plain("2024-01-05", 10), CP_YP_TIMESTAMP);
	assert_int_equal(cp_yaml_resolve_plain("<<", 2), CP_YP_SPECIAL);
	assert_int_equal(cp_yaml_resolve_plain("=", 1), CP_YP_SPECIAL);
	assert_int_equal(cp_yaml_resolve_plain("yesterday", 9), CP_YP_STR);
	assert_int_equal(cp_yaml_resolve_plain("C-20261122-7F3A", 15), CP_YP_STR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_block),
		cmocka_unit_test(test_roundtrip_nested),
		cmocka_unit_test(test_roundtrip_flow),
		cmocka_unit_test(test_roundtrip_long),
		cmocka_unit_test(test_writer_styles),
		cmocka_unit_test(test_pyyaml_agrees),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_refuse_anchors_aliases),
		cmocka_unit_test(test_refuse_tags),
		cmocka_unit_test(test_refuse_documents),
		cmocka_unit_test(test_refuse_duplicate_keys),
		cmocka_unit_test(test_refuse_depth),
		cmocka_unit_test(test_refuse_bytes),
		cmocka_unit_test(test_refuse_long_scalar),
		cmocka_unit_test(test_refuse_big_input),
		cmocka_unit_test(test_refuse_syntax),
		cmocka_unit_test(test_ynode_str),
		cmocka_unit_test(test_ynode_money),
		cmocka_unit_test(test_ynode_int),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_ynode_int_bool),
		cmocka_unit_test(test_resolve_plain),
	};

	return cmocka_run_group_tests_name("yaml", tests, NULL, NULL);
}
