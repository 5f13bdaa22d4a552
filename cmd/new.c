/*
 * new.c - complaint new: record a complaint, print its ID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "complaint/intake.h"
#include "fsutil.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint new --customer NAME --channel CH --category CAT --summary TEXT [options]",
	"complaint new --from FILE|-",
	NULL
};

static int read_stdin(struct cp_sbuf *sb, size_t limit)
{
	char buf[65536];
	size_t k;

	while ((k = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		cp_sbuf_add(sb, buf, k);
		if (sb->len > limit)
			return cp_error(CP_EUSAGE, _("standard input is too large (limit %zu bytes)"),
					limit);
	}
	if (ferror(stdin))
		return cp_error(CP_ESYS, _("cannot read standard input"));
	return 0;
}

/* --field ID=VALUE into the request's ids and values. */
int split_fields(struct ctx *c, const char **args, size_t n, const char **ids,
		 const char **vals, char **store)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');

		if (!eq || eq == args[i])
			return usage_error(c, _("--field takes ID=VALUE, not '%s'"), args[i]);
		store[i] = cp_xstrdup(args[i]);
		store[i][eq - args[i]] = '\0';
		ids[i] = store[i];
		vals[i] = store[i] + (eq - args[i]) + 1;
	}
	return 0;
}

int cmd_new(int argc, char **argv, struct ctx *c)
{
	struct cp_new_req req;
	const char *from = NULL;
	const char *fieldargs[CP_MAX_FIELDS];
	char *fieldstore[CP_MAX_FIELDS] = { NULL };
	size_t nfieldargs = 0, i;
	struct opt opts[] = {
		OPT_STR_("customer", "NAME", "the customer's name", &req.customer),
		OPT_STR_("contact", "TEXT", "how to reach the customer", &req.contact),
		OPT_STRC_("channel", "CH", "how the complaint came in (policy channels)", &req.channel, "channels"),
		OPT_STRC_("kind", "KIND", "what sort of request (policy kinds; default: the first)", &req.kind, "kinds"),
		OPT_STRC_("category", "CAT", "what it is about (policy categories)", &req.category, "categories"),
		OPT_STR_("summary", "TEXT", "one line", &req.summary),
		OPT_STR_("description", "TEXT|-", "free text; - reads standard input", &req.description),
		OPT_STR_("amount", "N", "money involved, in the policy's currency", &req.amount),
		OPT_STRC_("scope", "S", "scope of impact (policy scopes)", &req.scope, "scopes"),
		OPT_LISTC_("flag", "F", "a policy flag (repeatable)", req.flags, &req.nflags, CP_MAX_FLAGS, "flags"),
		OPT_STR_("received", "TIME", "when it was received (default: now; 14:00, -2h, ISO 8601)", &req.received),
		OPT_STRC_("severity", "LEVEL", "override classification (needs --reason)", &req.severity, "levels"),
		OPT_STR_("reason", "TEXT", "why the level is overridden", &req.reason),
		OPT_LISTC_("field", "ID=VALUE", "a field of the policy's form (repeatable)", fieldargs, &nfieldargs, CP_MAX_FIELDS, "fields"),
		OPT_LISTC_("ref", "ID", "a case this one answers (a prevention case; repeatable)", req.refs, &req.nrefs, CP_MAX_REFS, "cases"),
		OPT_STRC_("from", "FILE|-", "read the fields from a YAML form", &from, "files"),
		OPT_END_
	};
	struct cp_sbuf form = CP_SBUF_INIT, desc = CP_SBUF_INIT;
	struct cp_case *cs = NULL;
	const struct cp_policy *p;
	struct cp_commit_info ci;
	int nargs, code, tries;
	bool done;

	memset(&req, 0, sizeof(req));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("unexpected argument '%s' (options take values: --summary TEXT)"),
				   argv[1]);
	if ((code = split_fields(c, fieldargs, nfieldargs, req.field_ids, req.field_vals,
				 fieldstore)))
		goto out;
	req.nfields = nfieldargs;
	if (from && req.description && !strcmp(req.description, "-") && !strcmp(from, "-"))
		return usage_error(c, _("--from - and --description - cannot both read standard input"));
	if (from) {
		int r = !strcmp(from, "-") ? read_stdin(&form, CP_YAML_MAX_FILE)
					   : cp_read_file(&form, from, CP_YAML_MAX_FILE, 0);

		if (r < 0 ||
		    cp_new_req_from_yaml(&req, !strcmp(from, "-") ? "<stdin>" : from,
					 form.buf, form.len) < 0) {
			code = lib_error("new --from");
			goto out;
		}
	}
	if (req.description && !strcmp(req.description, "-")) {
		if (read_stdin(&desc, CP_YAML_MAX_SCALAR) < 0) {
			code = lib_error("new --description");
			goto out;
		}
		req.description = desc.buf;
	}
	if ((code = ctx_open(c)))
		goto out;
	p = cp_store_policy(c->store);
	if (cp_case_create(&cs, p, &req, c->actor, c->now) < 0) {
		code = lib_error("new");
		goto out;
	}
	for (i = 0; i < cs->nrefs; i++)
		if (!cp_store_has_case(c->store, cs->refs[i])) {
			cp_error(CP_EUSAGE, _("--ref %s: no such case in the store"), cs->refs[i]);
			code = lib_error("new");
			goto out;
		}
	for (tries = 0; tries < 8; tries++) {
		if (cp_id_generate(cs->id, p->tz, cs->received) < 0) {
			code = lib_error("new");
			goto out;
		}
		if (!cp_store_has_case(c->store, cs->id))
			break;
	}
	memset(&ci, 0, sizeof(ci));
	ci.action = "new";
	ci.actor = c->actor;
	ci.email = c->email;
	ci.now = c->now;
	if (cp_store_save_case(c->store, cs, NULL, &ci) < 0) {
		code = lib_error("new %s", cs->id);
		goto out;
	}
	if ((tries = cp_case_uncovered_year(cs, p)))
		warning(_("%s: the policy's calendar does not cover %d; deadlines there count weekdays only"),
		     cs->id, tries);
	printf("%s\n", cs->id);
out:
	for (i = 0; i < nfieldargs; i++)
		free(fieldstore[i]);
	cp_case_free(cs);
	cp_new_req_release(&req);
	cp_sbuf_release(&form);
	cp_sbuf_release(&desc);
	return code;
}
