/*
 * import.c - complaint import FILE.csv [--dry-run]: complaints from a
 * spreadsheet, all of them or none, in one commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fsutil.h"
#include "complaint/import.h"
#include "complaint/i18n.h"

#define IMPORT_MAX_FILE (64 * 1024 * 1024)

static const char *const usage[] = {
	"complaint import FILE.csv|- [--dry-run]",
	NULL
};

static bool taken(const char *id, void *data)
{
	return cp_store_has_case(data, id);
}

static int read_all(struct cp_sbuf *sb, const char *file)
{
	char buf[65536];
	size_t k;

	if (strcmp(file, "-"))
		return cp_read_file(sb, file, IMPORT_MAX_FILE, 0);
	while ((k = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		cp_sbuf_add(sb, buf, k);
		if (sb->len > IMPORT_MAX_FILE)
			return cp_error(CP_EDATA, _("standard input is too large (limit %d bytes)"),
					IMPORT_MAX_FILE);
	}
	if (ferror(stdin))
		return cp_error(CP_ESYS, _("cannot read standard input"));
	return 0;
}

static int record(struct ctx *c, struct cp_import *im)
{
	const struct cp_policy *p = cp_store_policy(c->store);
	const char **paths = cp_xcalloc(im->n + 1, sizeof(char *));
	const char **data = cp_xcalloc(im->n + 1, sizeof(char *));
	size_t *lens = cp_xcalloc(im->n + 1, sizeof(size_t)), i;
	struct cp_sbuf *files = cp_xcalloc(2 * im->n + 1, sizeof(struct cp_sbuf));
	struct cp_sbuf trailers = CP_SBUF_INIT, subject = CP_SBUF_INIT;
	struct cp_commit_info ci;
	int code = 0;

	for (i = 0; i < im->n; i++) {
		struct cp_case *cs = im->rows[i].cs;

		cp_sbuf_init(&files[2 * i]);
		cp_sbuf_init(&files[2 * i + 1]);
		cp_case_path(&files[2 * i], cs->id, p->tz, cs->received);
		cp_case_format(&files[2 * i + 1], cs, p);
		paths[i] = files[2 * i].buf;
		data[i] = files[2 * i + 1].buf;
		lens[i] = files[2 * i + 1].len;
		cp_sbuf_addf(&trailers, "Complaint-Id: %s\n", cs->id);
	}
	cp_sbuf_addf(&subject, "%zu complaint%s", im->n, im->n == 1 ? "" : "s");
	memset(&ci, 0, sizeof(ci));
	ci.action = "import";
	ci.summary = subject.buf;
	ci.actor = c->actor;
	ci.email = c->email;
	ci.now = c->now;
	ci.extra_trailers = trailers.buf;
	if (cp_store_commit_new_files(c->store, paths, data, lens, im->n, &ci) < 0)
		code = lib_error("import");
	else
		for (i = 0; i < im->n; i++)
			printf("%s\n", im->rows[i].cs->id);
	for (i = 0; i < 2 * im->n; i++)
		cp_sbuf_release(&files[i]);
	free(files);
	free(paths);
	free(data);
	free(lens);
	cp_sbuf_release(&trailers);
	cp_sbuf_release(&subject);
	return code;
}

int cmd_import(int argc, char **argv, struct ctx *c)
{
	bool dry_run = false, done;
	struct opt opts[] = {
		OPT_BOOL_("dry-run", "check every row, write nothing", &dry_run),
		OPT_END_
	};
	struct cp_sbuf buf = CP_SBUF_INIT;
	struct cp_import im;
	const char *file, *name;
	int nargs, code;
	size_t i;

	memset(&im, 0, sizeof(im));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs != 1)
		return usage_error(c, "%s", nargs ? _("one file at a time") : _("which file? (import FILE.csv)"));
	file = argv[1];
	name = strcmp(file, "-") ? file : "<stdin>";
	if (read_all(&buf, file) < 0) {
		code = lib_error("import %s", name);
		goto out;
	}
	if ((code = ctx_open(c)))
		goto out;
	if (cp_import_read(&im, cp_store_policy(c->store), cp_store_org(c->store), name, buf.buf, buf.len,
			   c->actor, c->now, taken, c->store) < 0) {
		code = lib_error("import");
		goto out;
	}
	if (im.nbad) {
		for (i = 0; i < im.n; i++)
			if (im.rows[i].error) {
				cp_error(CP_EDATA, "%s", im.rows[i].error);
				lib_error(_("import %s: line %d"), name, im.rows[i].line);
			}
		cp_error(CP_EDATA, _("%zu of %zu rows cannot be imported; nothing was imported"),
			 im.nbad, im.n);
		code = lib_error("import %s", name);
		goto out;
	}
	if (!im.n) {
		cp_error(CP_EDATA, _("no complaints in the file (only a header line)"));
		code = lib_error("import %s", name);
		goto out;
	}
	if (dry_run)
		printf(Q_("%zu complaint can be imported; nothing was written (--dry-run)\n",
			  "%zu complaints can be imported; nothing was written (--dry-run)\n", im.n),
		       im.n);
	else
		code = record(c, &im);
out:
	cp_import_release(&im);
	cp_sbuf_release(&buf);
	return code;
}
