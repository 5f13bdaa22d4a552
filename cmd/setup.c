/*
 * setup.c - complaint setup: make a clone's own git config fit for plain
 * git (the case merge driver, pull.rebase false).
 */
#include <stdio.h>

#include "cmd.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint setup [-q]", NULL };

int cmd_setup(int argc, char **argv, struct ctx *c)
{
	struct opt opts[] = {
		OPT_BOOLS_('q', "quiet", "print nothing when all went well", &c->quiet),
		OPT_END_
	};
	struct cp_sbuf what = CP_SBUF_INIT, root = CP_SBUF_INIT;
	int nargs, code, missing;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("takes no arguments: %s"), usage[0]);
	if ((code = ctx_open(c)))
		return code;
	missing = cp_store_setup_missing(&what, c->store);
	if (cp_store_setup(c->store) < 0) {
		code = lib_error("setup");
		goto out;
	}
	out_safe(&root, cp_store_root(c->store));
	if (c->quiet)
		;
	else if (missing)
		printf(_("set up %s for plain git: the case merge driver is registered, pull.rebase is false\n"),
		       root.buf);
	else
		printf(_("%s was already set up for plain git\n"), root.buf);
out:
	cp_sbuf_release(&what);
	cp_sbuf_release(&root);
	return code;
}
