/*
 * fuzz_case.c - the case reader (cp_case_parse) on any bytes.
 *
 * Promises: no crash, no sanitizer report, no unbounded time; a refusal
 * names the file; a case that is read and derived under the default
 * policy is written (cp_case_format), read back, and written again the
 * same, with no derived field disagreeing.
 */
#include <string.h>

#include "fuzz.h"
#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"

static struct cp_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cp_policy_parse(&policy, "policy.yaml", cp_default_policy,
			    (size_t)(cp_default_policy_end - cp_default_policy)) < 0)
		fuzz_fail("the default policy: %s", cp_errmsg());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_case *c = NULL, *again = NULL;
	struct cp_sbuf out = CP_SBUF_INIT, out2 = CP_SBUF_INIT, diff = CP_SBUF_INIT;

	if (!policy)
		LLVMFuzzerInitialize(NULL, NULL);
	if (cp_case_parse(&c, policy->tz, "fuzz.yaml", (const char *)data, size) < 0) {
		if (strncmp(cp_errmsg(), "fuzz.yaml", 9))
			fuzz_fail("a refusal that does not name the file: %s", cp_errmsg());
		return 0;
	}
	if (cp_case_derive(c, policy) == 0) {
		cp_case_format(&out, c, policy);
		if (cp_case_parse(&again, policy->tz, "again.yaml", out.buf, out.len) < 0)
			fuzz_fail("cannot read back what was written: %s\n%s", cp_errmsg(),
				  out.buf);
		if (cp_case_derive(again, policy) < 0)
			fuzz_fail("what was written does not derive: %s\n%s", cp_errmsg(),
				  out.buf);
		cp_case_format(&out2, again, policy);
		if (out.len != out2.len || memcmp(out.buf, out2.buf, out.len))
			fuzz_fail("written twice, two different files:\n%s\n----\n%s",
				  out.buf, out2.buf);
		if (cp_case_check_derived(&diff, again, policy))
			fuzz_fail("derived fields disagree in what was written: %s", diff.buf);
	}
	cp_case_free(c);
	cp_case_free(again);
	cp_sbuf_release(&out);
	cp_sbuf_release(&out2);
	cp_sbuf_release(&diff);
	return 0;
}
