/*
 * init.c - complaint init [DIR] [--policy FILE] [--org FILE]
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "cmd.h"
#include "complaint/audit.h"
#include "fsutil.h"
#include "shared/paths.h"
#include "yaml_subset.h"

extern const char cp_default_policy[], cp_default_policy_end[];
extern const char cp_default_org[], cp_default_org_end[];
extern const char cp_template_apology[], cp_template_apology_end[];
extern const char cp_template_reply[], cp_template_reply_end[];

static const char *const usage[] = {
	"complaint init [DIR] [--policy NAME|FILE] [--org FILE]", NULL
};

/*
 * --policy: a file when one is there; else the name of a shipped policy,
 * with the roster of the same name unless --org is given.  Fills pol
 * (and org, from a shipped roster) and says where it read them.
 */
static int find_policy(struct ctx *c, const char *arg, bool want_org, struct cp_sbuf *pol,
		       struct cp_sbuf *org, const char **pol_from, const char **org_from)
{
	static char policy[4096], roster[4096];
	struct cp_sbuf names = CP_SBUF_INIT;
	struct stat st;

	if (stat(arg, &st) == 0 || strchr(arg, '/')) {
		if (cp_read_file(pol, arg, CP_YAML_MAX_FILE, 0) < 0)
			return lib_error("init: --policy");
		*pol_from = arg;
		return 0;
	}
	if (shipped_policy(arg, policy, sizeof(policy), roster, sizeof(roster))) {
		if (cp_read_file(pol, policy, CP_YAML_MAX_FILE, 0) < 0)
			return lib_error("init: --policy %s", arg);
		*pol_from = policy;
		if (want_org && roster[0]) {
			if (cp_read_file(org, roster, CP_YAML_MAX_FILE, 0) < 0)
				return lib_error("init: the roster of policy %s", arg);
			*org_from = roster;
		}
		return 0;
	}
	if (!strcmp(arg, "default")) {
		/* built in, for a binary without its share folder */
		cp_sbuf_add(pol, cp_default_policy, (size_t)(cp_default_policy_end - cp_default_policy));
		return 0;
	}
	shipped_policies(&names, ", ");
	cp_sbuf_setlen(&names, names.len - 2);
	usage_error(c, _("--policy: no file and no shipped policy named '%s' (shipped: %s)"),
		    arg, names.buf);
	cp_sbuf_release(&names);
	return CP_EUSAGE;
}

int cmd_init(int argc, char **argv, struct ctx *c)
{
	const char *policy_file = NULL, *org_file = NULL, *dir = ".";
	const char *pol_from = "policy.yaml", *org_from = NULL;
	struct opt opts[] = {
		OPT_STRC_("policy", "NAME|FILE", "the policy to start with: a shipped one by name, or a file (default: default, seed 000)", &policy_file, "policies"),
		OPT_STRC_("org", "FILE", "the roster to start with (default: the policy's shipped roster, else a sample)", &org_file, "files"),
		OPT_END_
	};
	/* SPEC section 11: the letters of seed 003 and seed 001, the store's own to edit */
	const struct cp_init_file templates[] = {
		{ "templates/apology.md", cp_template_apology,
		  (size_t)(cp_template_apology_end - cp_template_apology) },
		{ "templates/reply.md", cp_template_reply,
		  (size_t)(cp_template_reply_end - cp_template_reply) },
	};
	struct cp_sbuf pol = CP_SBUF_INIT, org = CP_SBUF_INIT;
	struct cp_policy *p = NULL;
	struct cp_org *o = NULL;
	struct cp_commit_info ci;
	const char *now;
	char subject[256];
	int nargs, code = 0;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs > 1)
		return usage_error(c, _("too many arguments (one directory)"));
	if (nargs == 1)
		dir = argv[1];
	if (policy_file) {
		if ((code = find_policy(c, policy_file, !org_file, &pol, &org, &pol_from, &org_from)))
			goto out;
	} else {
		cp_sbuf_add(&pol, cp_default_policy, (size_t)(cp_default_policy_end - cp_default_policy));
	}
	if (org_file) {
		if (cp_read_file(&org, org_file, CP_YAML_MAX_FILE, 0) < 0) {
			code = lib_error("init: --org");
			goto out;
		}
	} else if (!org_from) {
		cp_sbuf_add(&org, cp_default_org, (size_t)(cp_default_org_end - cp_default_org));
	}
	if (cp_policy_parse(&p, pol_from, pol.buf, pol.len) < 0 ||
	    cp_org_parse(&o, org_file ? org_file : org_from ? org_from : "org.yaml", org.buf, org.len) < 0) {
		code = lib_error("init");
		goto out;
	}
	c->tz = p->tz;	/* --now is read in the policy's zone */
	if (cp_org_check_policy(o, p) < 0) {
		code = lib_error("init");
		goto out;
	}
	now = c->now_opt ? c->now_opt : getenv("COMPLAINT_NOW");
	memset(&ci, 0, sizeof(ci));
	c->now = ci.now = (cp_time)time(NULL);
	if (now && *now && (code = ctx_time(c, "--now", now, &ci.now)))
		goto out;
	if ((code = ctx_actor(c)))
		goto out;
	if (now && *now && cp_audit_check_now(p, ci.now, c->now) < 0) {
		code = lib_error("init: --now");
		goto out;
	}
	if ((code = ctx_signer(c, NULL, p, o)))
		goto out;
	ci.signer = &c->signer;
	snprintf(subject, sizeof(subject), "policy %s", p->name);
	ci.action = "init";
	ci.summary = subject;
	ci.actor = c->actor;
	ci.email = c->email;
	if (cp_store_init(dir, pol.buf, pol.len, org.buf, org.len, templates, 2, &ci) < 0) {
		code = lib_error("init %s", dir);
		goto out;
	}
	printf(_("Initialised a complaint store in %s (policy %s)\n"), dir, p->name);
out:
	c->tz = NULL;
	cp_policy_free(p);
	cp_org_free(o);
	cp_sbuf_release(&pol);
	cp_sbuf_release(&org);
	return code;
}
