/*
 * clone.c - complaint clone URL [DIR]: a site's copy of a shared store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/sync.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint clone URL [DIR] [--timeout SECONDS]", NULL };

/* What git names the directory: the URL's last part without ".git". */
static char *default_dir(const char *url)
{
	size_t n = strlen(url);
	const char *b;
	char *d;

	while (n > 1 && url[n - 1] == '/')
		n--;
	if (n >= 4 && !strncmp(url + n - 4, ".git", 4))
		n -= 4;
	for (b = url + n; b > url && b[-1] != '/' && b[-1] != ':'; b--)
		;
	d = cp_xstrndup(b, (size_t)(url + n - b));
	if (!*d || !strcmp(d, ".") || !strcmp(d, "..")) {
		free(d);
		return NULL;
	}
	return d;
}

int cmd_clone(int argc, char **argv, struct ctx *c)
{
	const char *timeout = NULL;
	int secs = CP_NET_TIMEOUT;
	struct opt opts[] = {
		OPT_STR_("timeout", "SECONDS",
			 N_("give up when the remote shows no sign of life this long (default 30)"),
			 &timeout),
		OPT_END_
	};
	struct cp_clone_result res;
	struct cp_sbuf a = CP_SBUF_INIT, b = CP_SBUF_INIT;
	char *dir = NULL;
	int nargs, code;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs < 1 || nargs > 2)
		return usage_error(c, _("expects a URL and a directory: %s"), usage[0]);
	if ((code = ctx_timeout(c, timeout, &secs)))
		return code;
	dir = nargs == 2 ? cp_xstrdup(argv[2]) : default_dir(argv[1]);
	if (!dir)
		return usage_error(c, _("cannot tell a directory name from '%s'; give one"), argv[1]);
	if (cp_clone(&res, argv[1], dir, secs) < 0) {
		code = lib_error("clone");
		goto out;
	}
	out_safe(&a, argv[1]);
	out_safe(&b, dir);
	printf(Q_("Cloned %s into %s: branch %s, %zu case; the case merge driver is registered\n",
		  "Cloned %s into %s: branch %s, %zu cases; the case merge driver is registered\n",
		  res.cases), a.buf, b.buf, res.branch, res.cases);
out:
	cp_sbuf_release(&a);
	cp_sbuf_release(&b);
	free(dir);
	return code;
}
