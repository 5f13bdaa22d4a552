/*
 * check.c - complaint check [--repair] [--quiet]
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint check [--repair] [--quiet]", NULL };

static void print(enum cp_check_level level, const char *msg, enum cp_hint hint, void *data)
{
	bool quiet = *(bool *)data;
	struct cp_sbuf sb = CP_SBUF_INIT;

	if (quiet && level == CP_CHECK_WARNING)
		return;
	out_safe(&sb, msg);
	out_hint(&sb, hint);
	switch (level) {
	case CP_CHECK_PROBLEM:
		printf(_("problem: %s\n"), sb.buf);
		break;
	case CP_CHECK_WARNING:
		printf(_("warning: %s\n"), sb.buf);
		break;
	case CP_CHECK_REPAIRED:
		printf(_("repaired: %s\n"), sb.buf);
		break;
	}
	cp_sbuf_release(&sb);
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
	if (cp_store_check(&st, root, repair, print, &quiet) < 0) {
		free(root);
		return lib_error("check");
	}
	free(root);
	/* "3 cases checked, 0 unreadable; 1 problem, 2 warnings[, 1 repaired]" */
	printf(Q_("%zu case checked", "%zu cases checked", st.cases), st.cases);
	printf(_(", %zu unreadable; "), st.bad_cases);
	printf(Q_("%zu problem", "%zu problems", st.problems), st.problems);
	fputs(_(", "), stdout);
	printf(Q_("%zu warning", "%zu warnings", st.warnings), st.warnings);
	if (repair)
		printf(_(", %zu repaired"), st.repaired);
	printf("\n");
	return st.problems ? CP_ERULE : 0;
}
