/*
 * verify.c - complaint verify [RANGE...] [--format human|json]
 *            complaint verify --allowed-signers
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "complaint/verify.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint verify [RANGE...] [--format human|json]",
	"complaint verify --allowed-signers",
	NULL
};

struct out {
	bool json;
	bool first_f, first_n;
	struct cp_sbuf f, n;	/* JSON: the findings and the notes */
};

static void print(const struct cp_verify_finding *f, void *data)
{
	struct out *o = data;
	struct cp_sbuf sb = CP_SBUF_INIT;
	struct cp_sbuf *j = f->note ? &o->n : &o->f;
	bool first = true;

	if (o->json) {
		if (!(f->note ? o->first_n : o->first_f))
			cp_sbuf_addch(j, ',');
		*(f->note ? &o->first_n : &o->first_f) = false;
		cp_sbuf_addch(j, '{');
		cp_json_key(j, &first, "commit");
		cp_json_str(j, f->commit);
		cp_json_key(j, &first, "where");
		cp_json_str(j, f->where);
		cp_json_key(j, &first, "problem");
		cp_json_str(j, f->problem);
		cp_sbuf_addch(j, '}');
		return;
	}
	cp_sbuf_addf(&sb, "%.12s %s: %s", f->commit, f->where, f->note ? "note: " : "");
	out_safe(&sb, f->problem);
	cp_sbuf_addch(&sb, '\n');
	out_flush(&sb);
	cp_sbuf_release(&sb);
}

/* The roster of the store here (its work tree), as an allowed-signers file. */
static int allowed_signers(struct ctx *c)
{
	struct cp_store *s = NULL;
	struct cp_sbuf sb = CP_SBUF_INIT;
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	char *root = NULL;

	if (cp_store_discover(&root, dir && *dir ? dir : NULL) < 0 ||
	    cp_store_open(&s, root) < 0) {
		free(root);
		return lib_error("verify");
	}
	free(root);
	cp_verify_allowed_signers(&sb, cp_store_org(s));
	cp_store_close(s);
	out_flush(&sb);
	cp_sbuf_release(&sb);
	return 0;
}

int cmd_verify(int argc, char **argv, struct ctx *c)
{
	const char *format = NULL;
	bool signers = false, done;
	struct opt opts[] = {
		OPT_STRC_("format", "FMT", "human (default) or json", &format, "=human|json"),
		OPT_BOOL_("allowed-signers", "print the roster's keys as git's gpg.ssh.allowedSignersFile",
			  &signers),
		OPT_END_
	};
	struct cp_verify_opts vo = { 0 };
	struct cp_verify_stats st;
	struct out o = { false, true, true, CP_SBUF_INIT, CP_SBUF_INIT };
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (format && strcmp(format, "human") && strcmp(format, "json"))
		return usage_error(c, _("--format must be human or json, not '%s'"), format);
	if (signers) {
		if (nargs || format)
			return usage_error(c, _("--allowed-signers takes no other argument"));
		return allowed_signers(c);
	}
	o.json = format && !strcmp(format, "json");
	vo.revs = (const char *const *)argv + 1;
	vo.nrevs = (size_t)nargs;
	vo.clock = CP_TIME_NONE;
	if (cp_verify(&st, dir && *dir ? dir : ".", &vo, print, &o) < 0) {
		cp_sbuf_release(&o.f);
		cp_sbuf_release(&o.n);
		return lib_error("verify");
	}
	if (o.json) {
		struct cp_sbuf sb = CP_SBUF_INIT;

		cp_sbuf_addf(&sb, "{\"commits\":%zu,\"findings\":[%s],\"notes\":[%s]}\n", st.commits,
			  o.f.buf, o.n.buf);
		out_flush(&sb);
		cp_sbuf_release(&sb);
	} else {
		struct cp_sbuf a = CP_SBUF_INIT, b = CP_SBUF_INIT;

		cp_sbuf_addf(&a, Q_("%zu commit verified", "%zu commits verified", st.commits), st.commits);
		cp_sbuf_addf(&b, Q_("%zu finding", "%zu findings", st.findings), st.findings);
		/* TRANSLATORS: verify's summary: "3 commits verified: 0 findings" */
		fprintf(stderr, _("%s: %s\n"), a.buf, b.buf);
		cp_sbuf_release(&a);
		cp_sbuf_release(&b);
	}
	cp_sbuf_release(&o.f);
	cp_sbuf_release(&o.n);
	return st.findings ? CP_ERULE : 0;
}
