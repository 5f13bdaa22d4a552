/*
 * sync.c - complaint sync [REMOTE] [--quiet]: fetch, merge, push.
 */
#include <stdio.h>

#include "cmd.h"
#include "complaint/sync.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint sync [REMOTE] [--quiet] [--timeout SECONDS]", NULL };

static void note(const char *msg, void *data)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	(void)data;
	out_safe(&sb, msg);
	fprintf(stderr, _("complaint: sync: %s\n"), sb.buf);
	cp_sbuf_release(&sb);
}

int cmd_sync(int argc, char **argv, struct ctx *c)
{
	bool quiet = false, done;
	const char *timeout = NULL;
	struct opt opts[] = {
		OPT_BOOL_("quiet", "print nothing when all went well (for cron)", &quiet),
		OPT_STR_("timeout", "SECONDS",
			 N_("give up when the remote shows no sign of life this long (default 30)"),
			 &timeout),
		OPT_END_
	};
	struct cp_sync_opts so = { 0 };
	struct cp_sync_result res;
	struct cp_sbuf sb = CP_SBUF_INIT, p1 = CP_SBUF_INIT, p2 = CP_SBUF_INIT;
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs > 1)
		return usage_error(c, _("too many arguments (one remote): %s"), usage[0]);
	so.timeout = CP_NET_TIMEOUT;
	if ((code = ctx_timeout(c, timeout, &so.timeout)))
		return code;
	if ((code = ctx_open(c)))
		return code;
	so.lock_timeout_ms = c->lock_timeout_ms;
	so.remote = nargs ? argv[1] : "origin";
	so.actor = c->actor;
	so.email = c->email;
	so.now = c->now;
	so.note = note;
	if (cp_sync(&res, c->store, &so) < 0)
		return lib_error("sync");
	if (quiet)
		return 0;
	out_safe(&sb, res.remote_branch);
	switch (res.how) {
	case CP_SYNC_UP_TO_DATE:
		printf(_("Already up to date with %s\n"), sb.buf);
		break;
	case CP_SYNC_PUSHED:
		printf(_("Pushed to %s (%.12s)\n"), sb.buf, res.head);
		break;
	case CP_SYNC_FAST_FORWARD:
		printf(Q_("Fast-forwarded to %s (%.12s): %zu file updated\n",
			  "Fast-forwarded to %s (%.12s): %zu files updated\n", res.files_changed),
		       sb.buf, res.head, res.files_changed);
		break;
	case CP_SYNC_MERGED:
		cp_sbuf_addf(&p1, Q_("%zu case merged by their events", "%zu cases merged by their events",
				  res.cases_merged), res.cases_merged);
		cp_sbuf_addf(&p2, Q_("%zu file updated", "%zu files updated", res.files_changed),
			  res.files_changed);
		/* TRANSLATORS: "Merged origin/main and pushed (abc): 2 cases merged by their events, 3 files updated" */
		printf(_("Merged %s and pushed (%.12s): %s, %s\n"), sb.buf, res.head, p1.buf, p2.buf);
		cp_sbuf_release(&p1);
		cp_sbuf_release(&p2);
		break;
	}
	cp_sbuf_release(&sb);
	return 0;
}
