/*
 * log.c - complaint log ID: when, who, what changed, from git.
 */
#include <string.h>

#include "cmd.h"

static const char *const usage[] = { "complaint log ID [--format human|json]", NULL };

struct state {
	struct cp_sbuf out;
	const struct cp_tz *tz;
	bool json;
	size_t n;
};

#include "json.h"

static int one(const struct cp_log_entry *e, void *data)
{
	struct state *st = data;
	const char *p, *nl;

	if (st->json) {
		bool first = true;

		cp_sbuf_adds(&st->out, st->n++ ? ",\n" : "[\n");
		cp_sbuf_addch(&st->out, '{');
		cp_json_key(&st->out, &first, "commit");
		cp_json_str(&st->out, e->commit);
		cp_json_key(&st->out, &first, "at");
		cp_json_time(&st->out, st->tz, e->when);
		cp_json_key(&st->out, &first, "author");
		cp_json_str(&st->out, e->author);
		cp_json_key(&st->out, &first, "subject");
		cp_json_str(&st->out, e->subject);
		cp_json_key(&st->out, &first, "diff");
		cp_json_str(&st->out, e->diff);
		cp_sbuf_addch(&st->out, '}');
		return 0;
	}
	st->n++;
	cp_sbuf_addf(&st->out, "%.12s  ", e->commit);
	out_time(&st->out, st->tz, e->when);
	cp_sbuf_adds(&st->out, "  ");
	out_safe(&st->out, e->author);
	cp_sbuf_adds(&st->out, "\n    ");
	out_safe(&st->out, e->subject);
	cp_sbuf_addch(&st->out, '\n');
	for (p = e->diff; *p; p = nl + 1) {
		struct cp_sbuf line = CP_SBUF_INIT;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		cp_sbuf_add(&line, p, (size_t)(nl - p + (*nl == '\n' ? 0 : 1)));
		cp_sbuf_adds(&st->out, "    ");
		out_safe(&st->out, line.buf);
		cp_sbuf_addch(&st->out, '\n');
		cp_sbuf_release(&line);
	}
	cp_sbuf_addch(&st->out, '\n');
	if (st->out.len > 65536)
		out_flush(&st->out);
	return 0;
}

int cmd_log(int argc, char **argv, struct ctx *c)
{
	const char *format = "human";
	struct opt opts[] = {
		OPT_STRC_("format", "FMT", "human (default) or json", &format, "=human|json"),
		OPT_END_
	};
	struct cp_sbuf path = CP_SBUF_INIT;
	struct cp_case *cs = NULL;
	struct state st;
	int nargs, code;
	bool done;

	memset(&st, 0, sizeof(st));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs != 1)
		return usage_error(c, _("needs exactly one case ID"));
	if (strcmp(format, "human") && strcmp(format, "json"))
		return usage_error(c, _("unknown format '%s' (human or json)"), format);
	st.json = !strcmp(format, "json");
	if ((code = ctx_open(c)))
		return code;
	st.tz = ctx_tz(c);
	/* a file that no longer parses still has a history worth reading */
	if (cp_store_read_case(&cs, &path, NULL, c->store, argv[1]) < 0 &&
	    (cp_errkind() == CP_EUSAGE || !path.len)) {
		code = lib_error("log %s", argv[1]);
		goto out;
	}
	cp_error_clear();
	if (cp_store_file_log(c->store, path.buf, one, &st) < 0) {
		code = lib_error("log %s", argv[1]);
		goto out;
	}
	if (st.json)
		cp_sbuf_adds(&st.out, st.n ? "\n]\n" : "[]\n");
	out_flush(&st.out);
out:
	cp_case_free(cs);
	cp_sbuf_release(&path);
	cp_sbuf_release(&st.out);
	return code;
}
