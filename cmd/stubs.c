/* Commands not written yet. */
#include "cmd.h"

#define STUB(n) int cmd_##n(int argc, char **argv, struct ctx *c) \
{ (void)argc; (void)argv; (void)c; return 2; }


