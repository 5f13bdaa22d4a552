/*
 * complete.c - complaint __complete WHAT [PREFIX]: the values the shell's
 * completion offers, one a line, those starting with PREFIX.  Hidden
 * (not in the list of commands); never fails loudly: without a store, or
 * with a broken one, it prints nothing and exits 0.
 *
 * WHAT: commands, topics (for help), policies (shipped), statuses, and
 * from the store found as every command finds it (-C, $COMPLAINT_DIR,
 * the current folder): cases, departments, people, levels, categories,
 * channels, kinds, scopes, flags.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "shared/paths.h"

struct out {
	const char *prefix;
	size_t n;
};

static void put(const struct out *o, const char *v)
{
	if (v && *v && !strncmp(v, o->prefix, o->n) && !strchr(v, '\n'))
		printf("%s\n", v);
}

static void put_list(const struct out *o, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put(o, v[i]);
}

/* a case file's name is its ID: cases/YYYY/MM/<ID>.yaml */
static int put_case(struct cp_walk_file *f, void *data)
{
	const char *b = strrchr(f->path, '/');
	size_t n;
	char id[CP_ID_MAX + 1];

	b = b ? b + 1 : f->path;
	n = strlen(b);
	if (n > 5 && n - 5 <= CP_ID_MAX && !strcmp(b + n - 5, ".yaml")) {
		memcpy(id, b, n - 5);
		id[n - 5] = '\0';
		if (cp_id_valid(id))
			put(data, id);
	}
	return 0;
}

/* heads, leaders and directors, each once */
static void put_people(const struct out *o, const struct cp_org *org)
{
	const char **seen = cp_xcalloc(org->ndepts * 2 + org->ndirectors + 1, sizeof(*seen));
	size_t n = 0, i, j;
	const char *v;

	for (i = 0; i < org->ndepts * 2 + org->ndirectors; i++) {
		v = i < org->ndepts ? org->depts[i].head
		    : i < 2 * org->ndepts ? org->depts[i - org->ndepts].leader
		    : org->directors[i - 2 * org->ndepts];
		if (!v)
			continue;
		for (j = 0; j < n && strcmp(seen[j], v); j++)
			;
		if (j == n) {
			seen[n++] = v;
			put(o, v);
		}
	}
	free(seen);
}

static int from_store(struct ctx *c, const char *what, const struct out *o)
{
	const struct cp_policy *p;
	const struct cp_org *org;
	char *root = NULL;
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	size_t i;

	if (dir && !*dir)
		dir = NULL;
	if (cp_store_discover(&root, dir) < 0 || cp_store_open(&c->store, root) < 0) {
		free(root);
		return 0;
	}
	free(root);
	p = cp_store_policy(c->store);
	org = cp_store_org(c->store);
	if (!strcmp(what, "cases"))
		cp_store_walk_files(c->store, INT32_MIN, INT32_MAX, true, put_case, (void *)o);
	else if (!strcmp(what, "departments") && org)
		for (i = 0; i < org->ndepts; i++)
			put(o, org->depts[i].name);
	else if (!strcmp(what, "people") && org)
		put_people(o, org);
	else if (!strcmp(what, "levels") && p)
		for (i = 0; i < p->nlevels; i++)
			put(o, p->levels[i].id);
	else if (!strcmp(what, "kinds") && p)
		for (i = 0; i < p->nkinds; i++)
			put(o, p->kinds[i].id);
	else if (!strcmp(what, "categories") && p)
		put_list(o, p->categories, p->ncategories);
	else if (!strcmp(what, "channels") && p)
		put_list(o, p->channels, p->nchannels);
	else if (!strcmp(what, "scopes") && p)
		put_list(o, p->scopes, p->nscopes);
	else if (!strcmp(what, "flags") && p)
		put_list(o, p->flags, p->nflags);
	else if (!strcmp(what, "fields") && p)
		for (i = 0; i < p->nfields; i++) {
			char buf[80];

			snprintf(buf, sizeof(buf), "%s=", p->fields[i].id);
			put(o, buf);
		}
	return 0;
}

int cmd_complete(int argc, char **argv, struct ctx *c)
{
	struct out o = { "", 0 };
	const struct command *cmd;
	const char *what;
	int i;

	if (argc < 2)
		return 0;
	what = argv[1];
	if (argc > 2) {
		o.prefix = argv[2];
		o.n = strlen(argv[2]);
	}
	if (!strcmp(what, "commands") || !strcmp(what, "topics")) {
		for (cmd = commands; cmd->name; cmd++)
			if (cmd->help)
				put(&o, cmd->name);
		if (!strcmp(what, "topics")) {
			put(&o, "complaint");
			put(&o, "case");
		}
	} else if (!strcmp(what, "command-args")) {
		/* for tools/completion.sh: NAME TAB ARGS, every visible command */
		for (cmd = commands; cmd->name; cmd++)
			if (cmd->help)
				printf("%s\t%s\n", cmd->name, cmd->args ? cmd->args : "");
	} else if (!strcmp(what, "policies")) {
		struct cp_sbuf names = CP_SBUF_INIT;
		char *line, *nl;

		shipped_policies(&names, "\n");
		for (line = names.buf; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			put(&o, line);
		}
		cp_sbuf_release(&names);
	} else if (!strcmp(what, "statuses")) {
		for (i = 0; i < ST__COUNT; i++)
			put(&o, cp_status_name((enum cp_status)i));
	} else {
		from_store(c, what, &o);
	}
	return 0;
}
