/*
 * check.c - complaint check [--repair] [--quiet]
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint check [--repair] [--quiet]", NULL };

static void print(enum cp_check_level level, const char *msg, void *data)
{
	bool quiet = *(bool *)data;
	struct sbuf sb = SBUF_INIT;

	if (quiet && level == CP_CHECK_WARNING)
		return;
	out_safe(&sb, msg);
	switch (level) {
	case CP_CHECK_PROBLEM:
		printf("problem: %s\n", sb.buf);
		break;
	case CP_CHECK_WARNING:
		printf("warning: %s\n", sb.buf);
		break;
	case CP_CHECK_REPAIRED:
		printf("repaired: %s\n", sb.buf);
		break;
	}
	sbuf_release(&sb);
}

int cmd_check(int argc, char **argv, struct ctx *c)
{
	bool repair = false, quiet = false, done;
	struct opt opts[] = {
		OPT_BOOL_("repair", "put back what an interrupted change left behind", &repair),
		OPT_BOOL_("quiet", "print problems only, not warnings", &quiet),
		OPT_END_
	};
	struct cp_check_stats st;
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	char *root = NULL;
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("unexpected argument '%s'"), argv[1]);
	if (cp_store_discover(&root, dir && *dir ? dir : NULL) < 0)
		return lib_error("check");
	if (cp_store_check(root, repair, print, &quiet, &st) < 0) {
		free(root);
		return lib_error("check");
	}
	free(root);
	printf("%zu case%s checked, %zu unreadable; %zu problem%s, %zu warning%s%s",
	       st.cases, st.cases == 1 ? "" : "s", st.bad_cases, st.problems,
	       st.problems == 1 ? "" : "s", st.warnings, st.warnings == 1 ? "" : "s",
	       repair ? "" : "\n");
	if (repair)
		printf(", %zu repaired\n", st.repaired);
	return st.problems ? CP_ERULE : 0;
}
