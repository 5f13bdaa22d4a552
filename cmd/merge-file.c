/*
 * merge-file.c - complaint merge-file BASE OURS THEIRS PATH: the merge
 * driver git runs for case files (merge.complaint-case.driver).
 */
#include <stdlib.h>

#include "cmd.h"
#include "complaint/sync.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint merge-file BASE OURS THEIRS PATH", NULL };

int cmd_merge_file(int argc, char **argv, struct ctx *c)
{
	struct opt opts[] = { OPT_END_ };
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	char *root = NULL;
	int nargs, code;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs != 4)
		return usage_error(c, _("expects 4 arguments: %s"), usage[0]);
	/* git runs the driver at the top of the work tree */
	if (cp_store_discover(&root, dir && *dir ? dir : NULL) < 0)
		cp_error_clear();
	if (cp_merge_file(root, argv[1], argv[2], argv[3], argv[4]) < 0) {
		lib_error("merge-file %s", argv[4]);
		code = 1;	/* to git: a conflict, the file holds markers */
	}
	free(root);
	return code;
}
