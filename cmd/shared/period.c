/*
 * period.c - what score and report share: the period and --as-of, and
 * writing the result to stdout or a file.
 */
#include <stdlib.h>
#include <string.h>

#include "../cmd.h"
#include "fsutil.h"
#include "period.h"

int period_open(struct ctx *c, const char *as_of, cp_time *now)
{
	int code;

	if ((code = ctx_open(c)))
		return code;
	*now = c->now;
	if (as_of) {
		if ((code = ctx_time(c, "--as-of", as_of, now)))
			return code;
		if (cp_store_use_time(c->store, *now) < 0)
			return lib_error("%s --as-of", c->cmdname);
	}
	return 0;
}

int period_output(struct ctx *c, const char *file, struct cp_sbuf *out)
{
	char dir[4096];
	const char *slash;

	if (!file || !strcmp(file, "-")) {
		out_flush(out);
		return 0;
	}
	slash = strrchr(file, '/');
	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
		if (!dir[0])
			snprintf(dir, sizeof(dir), "/");
		file = slash + 1;
	}
	if (cp_write_atomic(dir, file, out->buf, out->len) < 0)
		return lib_error("%s -o", c->cmdname);
	return 0;
}
