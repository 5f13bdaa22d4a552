/*
 * fuzz_roundtrip.c - any valid text, written with cp_yw_scalar(), reads back
 * byte for byte with cp_ydoc_parse().
 *
 * Each input that cp_yaml_text_check() accepts (valid UTF-8, no NUL, no
 * surrogates, nothing above U+10FFFF) and that fits a scalar is written
 * as a block mapping value (top level and nested, where literal blocks
 * are used), a flow mapping value and a flow sequence item, as the case
 * writer does, and must come back the same.  A value written plain must
 * resolve to a string (not a bool, null, number or date) in YAML 1.1.
 */
#include <string.h>

#include "complaint/error.h"
#include "complaint/sbuf.h"
#include "fuzz.h"
#include "yaml_subset.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void roundtrip(const char *s, size_t n, const char *before,
		      enum cp_yw_ctx ctx, int indent, const char *after,
		      const char *const *path)
{
	struct cp_sbuf doc = CP_SBUF_INIT;
	struct cp_ydoc *d = NULL;
	const struct cp_ynode *v;

	cp_sbuf_adds(&doc, before);
	cp_yw_scalar(&doc, s, n, ctx, indent);
	cp_sbuf_adds(&doc, after);
	if (cp_ydoc_parse(&d, "rt.yaml", doc.buf, doc.len) < 0)
		fuzz_fail("what cp_yw_scalar wrote does not parse: %s\n%s", cp_errmsg(),
			  doc.buf);
	v = d->root;
	for (; *path; path++)
		v = **path == '[' ? (v && v->type == CP_Y_SEQ && v->n ? v->kids[0] : NULL)
				  : cp_ymap_get(v, *path);
	if (!v || v->type != CP_Y_SCALAR)
		fuzz_fail("the value is not where it was written:\n%s", doc.buf);
	if (v->len != n || memcmp(v->str, s, n))
		fuzz_fail("read back %zu bytes, wrote %zu:\n%s", v->len, n, doc.buf);
	if (v->plain && cp_yaml_resolve_plain(v->str, v->len) != CP_YP_STR)
		fuzz_fail("written plain, but not a string to YAML 1.1:\n%s", doc.buf);
	cp_ydoc_free(d);
	cp_sbuf_release(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const top[] = { "k", NULL };
	static const char *const nested[] = { "a", "k", NULL };
	static const char *const seq[] = { "[", NULL };
	static const char *const flowseq[] = { "a", "[", "k", NULL };
	const char *s = (const char *)data;

	if (size > CP_YAML_MAX_SCALAR || cp_yaml_text_check(s, size, "text") < 0)
		return 0;
	roundtrip(s, size, "k: ", CP_YW_BLOCK, 0, "\n", top);
	roundtrip(s, size, "a:\n  k: ", CP_YW_BLOCK, 2, "\n  z: 1\n", nested);
	roundtrip(s, size, "{k: ", CP_YW_FLOW, 0, "}\n", top);
	roundtrip(s, size, "[", CP_YW_FLOW, 0, "]\n", seq);
	roundtrip(s, size, "a:\n  - {k: ", CP_YW_FLOW, 4, ", z: 1}\n", flowseq);
	return 0;
}
