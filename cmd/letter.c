/*
 * letter.c - complaint letter ID [--template NAME] [-o FILE]: a letter to
 * the customer from a template; --sent records that it went out.
 */
#include <string.h>

#include "fsutil.h"
#include "complaint/letter.h"
#include "shared/event.h"
#include "shared/paths.h"
#include "shared/period.h"
#include "complaint/i18n.h"

#define TEMPLATE_MAX (1024 * 1024)

/*
 * The template called name: the store's templates/NAME.md (the
 * organisation's own), else the shipped one in the share folder.  0, or
 * an exit code after the error is reported.
 */
static int load_template(struct ctx *c, const char *id, const char *name, struct cp_sbuf *text)
{
	struct cp_sbuf path = CP_SBUF_INIT;
	const char *share = share_dir();
	int r;

	cp_sbuf_addf(&path, "%s/templates/%s.md", cp_store_root(c->store), name);
	r = cp_read_file(text, path.buf, TEMPLATE_MAX, 1);
	if (r == 1 && share) {
		cp_sbuf_reset(&path);
		cp_sbuf_addf(&path, "%s/templates/%s.md", share, name);
		r = cp_read_file(text, path.buf, TEMPLATE_MAX, 1);
	}
	cp_sbuf_release(&path);
	if (r == 1)
		r = cp_error(CP_EUSAGE, _("no template '%s' (templates/%s.md in the store, or shipped)"),
			     name, name);
	return r < 0 ? lib_error("letter %s", id) : 0;
}

int cmd_letter(int argc, char **argv, struct ctx *c)
{
	static const char *const usage[] = {
		"complaint letter ID [--template NAME] [-o FILE]",
		"complaint letter ID --sent [--template NAME] [--at TIME] [-q]", NULL };
	const char *name = "apology", *file = NULL, *at = NULL;
	bool sent = false;
	struct opt opts[] = {
		OPT_STR_("template", "NAME", "the template: templates/NAME.md (default: apology)", &name),
		OPT_STRC_("o", "FILE", "write to FILE instead of standard output", &file, "files"),
		OPT_BOOL_("sent", "record that the letter went out (an event; a level's letter deadline)", &sent),
		EVENT_OPTS, OPT_END_
	};
	struct cp_sbuf text = CP_SBUF_INIT, out = CP_SBUF_INIT, path = CP_SBUF_INIT, raw = CP_SBUF_INIT;
	struct cp_event ev = blank_event(EV_LETTER);
	struct cp_case *cs = NULL;
	int nargs, code;
	bool done;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs != 1)
		return usage_error(c, _("needs exactly one case ID"));
	if (!cp_letter_name_valid(name))
		return usage_error(c, _("--template: '%s' is not a template name (letters, digits, '-' and '_')"),
				   name);
	if (sent ? file != NULL : at != NULL)
		return usage_error(c, sent ? _("-o makes a letter; --sent records one") :
				   _("--at goes with --sent"));
	if (sent)
		c->flags |= WRITES;	/* an event: the actor, the lock */
	if ((code = ctx_open(c)) || (code = load_template(c, argv[1], name, &text)))
		goto out;
	if (sent) {
		ev.template = (char *)name;
		code = run_event(c, argv[1], &ev, at, NULL);
		goto out;
	}
	if (!cp_id_valid(argv[1])) {
		cp_error(CP_EUSAGE, _("not a valid case ID (letters, digits and '-', 3 to 32 characters)"));
		code = lib_error("letter %s", argv[1]);
		goto out;
	}
	if (cp_store_read_case(&cs, &path, &raw, c->store, argv[1]) < 0 ||
	    cp_letter_fill(&out, name, text.buf, text.len, cs, cp_store_policy(c->store),
			   c->now) < 0) {
		code = lib_error("letter %s", argv[1]);
		goto out;
	}
	code = period_output(c, file, &out);
out:
	cp_case_free(cs);
	cp_sbuf_release(&text);
	cp_sbuf_release(&out);
	cp_sbuf_release(&path);
	cp_sbuf_release(&raw);
	return code;
}
