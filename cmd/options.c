/*
 * options.c - one table per command gives parsing and --help.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "complaint/i18n.h"

void opt_usage(FILE *f, const struct opt *opts, const char *const *usage)
{
	const struct opt *o;
	int i;

	for (i = 0; usage[i]; i++)
		/* TRANSLATORS: "usage:" and "   or:" line up: keep them the same width */
		fprintf(f, "%s %s\n", i ? _("   or:") : _("usage:"), usage[i]);
	fputc('\n', f);
	for (o = opts; o->type != OPT_END; o++) {
		char left[64];

		if (o->type == OPT_GROUP) {
			fprintf(f, "%s\n", _(o->help));
			continue;
		}
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->argh ? " " : "", o->argh ? o->argh : "");
		else
			snprintf(left, sizeof(left), "%s%s%s%s", o->name[1] ? "--" : "-", o->name,
				 o->argh ? " " : "", o->argh ? o->argh : "");
		fprintf(f, "    %-26s %s\n", left, _(o->help));
	}
	fprintf(f, "    %-26s %s\n", "-h, --help", _("show this help"));
}

static const struct opt *find_name(const struct opt *opts, const char *name)
{
	for (; opts->type != OPT_END; opts++)
		if (opts->type != OPT_GROUP && !strcmp(opts->name, name))
			return opts;
	return NULL;
}

void opt_completion(FILE *f, const struct opt *opts)
{
	const struct opt *o;

	for (o = opts; o->type != OPT_END; o++) {
		if (o->type == OPT_GROUP)
			continue;
		if (o->short_name)
			fprintf(f, "-%c\n", o->short_name);
		if (o->type == OPT_BOOL)
			fprintf(f, "%s%s\n", o->name[1] ? "--" : "-", o->name);
		else
			fprintf(f, "%s%s=\t%s\n", o->name[1] ? "--" : "-", o->name,
				o->complete ? o->complete : "");
	}
	if (!find_name(opts, "help"))
		fprintf(f, "--help\n");
}

static const struct opt *find(const struct opt *opts, const char *name,
			      size_t len)
{
	const struct opt *o;

	for (o = opts; o->type != OPT_END; o++)
		if (o->type != OPT_GROUP && strlen(o->name) == len &&
		    !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* -x: an option named x, or one whose one-letter alias is x */
static const struct opt *find_short(const struct opt *opts, char x)
{
	const struct opt *o;

	for (o = opts; o->type != OPT_END; o++)
		if (o->type != OPT_GROUP && (o->short_name == x || (o->name[0] == x && !o->name[1])))
			return o;
	return NULL;
}

int opt_parse(int argc, char **argv, const struct opt *opts,
	      const char *const *usage, int *nargs, bool *done)
{
	int i, n = 0;
	bool only_args = false;

	*done = false;
	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct opt *o;
		const char *eq, *val = NULL;

		if (only_args || a[0] != '-' || !a[1]) {
			argv[1 + n++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = true;
			continue;
		}
		if (!strcmp(a, OPT_COMPLETION_HELPER)) {
			opt_completion(stdout, opts);
			*done = true;
			return 0;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			opt_usage(stdout, opts, usage);
			*done = true;
			return 0;
		}
		if (a[1] != '-' && (o = find_short(opts, a[1])) && o->type == OPT_BOOL && !a[2]) {
			*(bool *)o->value = true;
			continue;
		}
		if (a[1] != '-' && (o = find_short(opts, a[1])) && o->type == OPT_STR) {
			/* a one-letter option: -o FILE or -oFILE */
			if (a[2])
				val = a + 2;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				fprintf(stderr, _("complaint: %s: option '-%c' needs a value (%s)\n"),
					argv[0], a[1], o->argh);
				return 2;
			}
			*(const char **)o->value = val;
			continue;
		}
		if (a[1] != '-') {
			fprintf(stderr, _("complaint: %s: unknown option '%s' (see 'complaint %s --help')\n"),
				argv[0], a, argv[0]);
			return 2;
		}
		eq = strchr(a + 2, '=');
		o = find(opts, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!o) {
			fprintf(stderr, _("complaint: %s: unknown option '%.*s' (see 'complaint %s --help')\n"),
				argv[0], eq ? (int)(eq - a) : (int)strlen(a), a, argv[0]);
			return 2;
		}
		if (o->type == OPT_BOOL) {
			if (eq) {
				fprintf(stderr, _("complaint: %s: option '--%s' takes no value\n"),
					argv[0], o->name);
				return 2;
			}
			*(bool *)o->value = true;
			continue;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			fprintf(stderr, _("complaint: %s: option '--%s' needs a value (%s)\n"),
				argv[0], o->name, o->argh);
			return 2;
		}
		if (o->type == OPT_STR) {
			*(const char **)o->value = val;
		} else {
			if (*o->count >= o->max) {
				fprintf(stderr, _("complaint: %s: too many '--%s' options (at most %zu)\n"),
					argv[0], o->name, o->max);
				return 2;
			}
			((const char **)o->value)[(*o->count)++] = val;
		}
	}
	*nargs = n;
	return 0;
}
