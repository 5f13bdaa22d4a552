/*
 * init.c - complaint init [DIR] [--policy FILE] [--org FILE]
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "complaint/fsutil.h"
#include "complaint/yaml.h"

extern const char cp_default_policy[], cp_default_policy_end[];
extern const char cp_default_org[], cp_default_org_end[];

static const char *const usage[] = {
	"complaint init [DIR] [--policy FILE] [--org FILE]", NULL
};

int cmd_init(int argc, char **argv, struct ctx *c)
{
	const char *policy_file = NULL, *org_file = NULL, *dir = ".";
	struct opt opts[] = {
		OPT_STR_("policy", "FILE", "the policy to start with (default: the bundled seed 000 policy)", &policy_file),
		OPT_STR_("org", "FILE", "the roster to start with (default: a sample roster)", &org_file),
		OPT_END_
	};
	struct sbuf pol = SBUF_INIT, org = SBUF_INIT;
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
		return usage_error(c, "too many arguments (one directory)");
	if (nargs == 1)
		dir = argv[1];
	if (policy_file) {
		if (cp_read_file(&pol, policy_file, YAML_MAX_FILE, 0) < 0) {
			code = report("init: --policy");
			goto out;
		}
	} else {
		sbuf_add(&pol, cp_default_policy, (size_t)(cp_default_policy_end - cp_default_policy));
	}
	if (org_file) {
		if (cp_read_file(&org, org_file, YAML_MAX_FILE, 0) < 0) {
			code = report("init: --org");
			goto out;
		}
	} else {
		sbuf_add(&org, cp_default_org, (size_t)(cp_default_org_end - cp_default_org));
	}
	if (cp_policy_parse(&p, policy_file ? policy_file : "policy.yaml", pol.buf, pol.len) < 0 ||
	    cp_org_parse(&o, org_file ? org_file : "org.yaml", org.buf, org.len) < 0) {
		code = report("init");
		goto out;
	}
	if (cp_policy_use(p) < 0) {
		code = report("init");
		goto out;
	}
	now = c->now_opt ? c->now_opt : getenv("COMPLAINT_NOW");
	memset(&ci, 0, sizeof(ci));
	ci.now = (cp_time)time(NULL);
	if (now && *now && (code = ctx_time(c, "--now", now, &ci.now)))
		goto out;
	if ((code = ctx_actor(c)))
		goto out;
	snprintf(subject, sizeof(subject), "policy %s", p->name);
	ci.action = "init";
	ci.summary = subject;
	ci.actor = c->actor;
	ci.email = c->email;
	if (cp_store_init(dir, pol.buf, pol.len, org.buf, org.len, &ci) < 0) {
		code = report("init %s", dir);
		goto out;
	}
	printf("Initialised a complaint store in %s (policy %s)\n", dir, p->name);
out:
	cp_policy_free(p);
	cp_org_free(o);
	sbuf_release(&pol);
	sbuf_release(&org);
	return code;
}
