/*
 * report.c - complaint report --month YYYY-MM [--as-of T] [--format md|json|csv|html] [-o FILE]
 */
#include <string.h>

#include "cmd.h"
#include "complaint/report.h"
#include "shared/period.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint report --month YYYY-MM [--as-of TIME] [--format md|json|csv|html] [--lang zh-CN|en] [-o FILE]",
	NULL
};

int cmd_report(int argc, char **argv, struct ctx *c)
{
	const char *month = NULL, *as_of = NULL, *format = "md", *file = NULL, *lang = NULL;
	enum cp_lang l = CP_LANG_ZH_CN;
	struct opt opts[] = {
		OPT_STR_("month", "YYYY-MM", "the month", &month),
		OPT_STR_("as-of", "TIME", "compute from the store as it was then", &as_of),
		OPT_STRC_("format", "FMT", "md (default), json, csv or html", &format, "=md|json|csv|html"),
		OPT_STRC_("lang", "LANG", "the language of headings and labels: zh-CN or en (default: the policy's language)", &lang, "=zh-CN|en"),
		OPT_STRC_("o", "FILE", "write to FILE instead of standard output", &file, "files"),
		OPT_END_
	};
	struct cp_report r;
	struct cp_sbuf out = CP_SBUF_INIT;
	int32_t first, last;
	int y, m, d, nargs, code;
	cp_time now;
	bool done;

	memset(&r, 0, sizeof(r));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("unexpected argument '%s'"), argv[1]);
	if (strcmp(format, "md") && strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "html"))
		return usage_error(c, _("unknown format '%s' (md, json, csv or html)"), format);
	if (!month)
		return usage_error(c, _("--month YYYY-MM is required"));
	if (lang && cp_lang_parse(&l, lang) < 0)
		return lib_error("report: --lang");
	if (cp_month_parse(&first, &last, month) < 0)
		return lib_error("report");
	cp_civil_from_days(&y, &m, &d, first);
	if ((code = period_open(c, as_of, &now)))
		return code;
	if (cp_report_compute(&r, c->store, y, m, now) < 0) {
		code = lib_error("report");
		goto out;
	}
	if (lang)
		r.lang = l;
	if (!strcmp(format, "json"))
		cp_report_json(&out, &r);
	else if (!strcmp(format, "csv"))
		cp_report_csv(&out, &r);
	else if (!strcmp(format, "html"))
		cp_report_html(&out, &r);
	else
		cp_report_md(&out, &r);
	code = period_output(c, file, &out);
	if (r.score.skipped)
		warning(Q_("%zu event dated before its case was received is skipped and not counted (see the warnings; run 'complaint check')",
			   "%zu events dated before their case was received are skipped and not counted (see the warnings; run 'complaint check')",
			   r.score.skipped), r.score.skipped);
	if (r.bad_files)
		warning(Q_("%zu case file could not be read and is not counted (run 'complaint check')",
			   "%zu case files could not be read and are not counted (run 'complaint check')",
			   r.bad_files), r.bad_files);
	if (r.uncovered_year)
		warning(_("the policy's calendar does not cover %d; deadlines there count weekdays only"),
		     r.uncovered_year);
out:
	cp_report_release(&r);
	cp_sbuf_release(&out);
	return code;
}
