/* Commands not written yet. */
#include "cmd.h"

#define STUB(n) int cmd_##n(int argc, char **argv, struct ctx *c) \
{ (void)argc; (void)argv; (void)c; return 2; }
STUB(list) STUB(log) STUB(check) STUB(policy) STUB(assign) STUB(notify)
STUB(onsite) STUB(plan) STUB(approve) STUB(resolve) STUB(callback) STUB(close)
STUB(reopen) STUB(note) STUB(reclassify) STUB(penalize) STUB(score)
STUB(report) STUB(clone) STUB(sync) STUB(merge_file)
