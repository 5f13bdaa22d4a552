/*
 * fuzz_policy.c - the policy reader (cp_policy_parse) on any bytes.
 *
 * Promises: no crash, no sanitizer report; a refusal names the file; a
 * policy that is accepted can be used (its timezone set) and classifies
 * and computes deadlines without crashing.
 */
#include <string.h>

#include "fuzz.h"
#include "complaint/error.h"
#include "complaint/policy.h"
#include "complaint/timeutil.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_policy *p = NULL;
	struct cp_facts f;
	struct cp_duration d = { 3, CP_WORKDAYS };
	size_t i;

	if (cp_policy_parse(&p, "fuzz-policy.yaml", (const char *)data, size) < 0) {
		if (strncmp(cp_errmsg(), "fuzz-policy.yaml", 16))
			fuzz_fail("a refusal that does not name the file: %s", cp_errmsg());
		return 0;
	}
	memset(&f, 0, sizeof(f));
	for (i = 0; i < p->nscopes; i++) {
		int level;

		f.has_amount = true;
		f.amount = (double)i * 1000;
		f.scope = p->scopes[i];
		level = cp_classify(p, &f);
		if (level < 0 || (size_t)level >= p->nlevels)
			fuzz_fail("classified to level %d of %zu", level, p->nlevels);
	}
	(void)cp_time_add(p->tz, &p->cal, 1795600000, &d);
	cp_policy_free(p);
	return 0;
}
