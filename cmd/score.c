/*
 * score.c - complaint score (--month M | --since D --until D) [--as-of T]
 */
#include <string.h>

#include "cmd.h"
#include "complaint/report.h"
#include "json.h"
#include "shared/period.h"
#include "utf8.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint score (--month YYYY-MM | --since DATE --until DATE) [--as-of TIME] [--format table|csv|json] [--lang zh-CN|en] [-o FILE]",
	NULL
};

static void pad(struct cp_sbuf *sb, const char *s, size_t w)
{
	out_cell(sb, s, w, false);
	cp_sbuf_adds(sb, "  ");
}

static void table(struct cp_sbuf *sb, const struct cp_score *sc)
{
	char from[CP_TIME_BUF], to[CP_TIME_BUF], num[64];
	enum cp_lang l = (enum cp_lang)sc->lang;
	size_t i;

	cp_day_fmt(from, cp_local_day(sc->tz, sc->from));
	cp_day_fmt(to, cp_local_day(sc->tz, sc->to));
	cp_sbuf_addf(sb, T_(l, "Score %s .. %s  (policy "), from, to);
	out_safe(sb, sc->policy);
	cp_sbuf_adds(sb, ", ");
	cp_money_fmt(sb, sc->point_value);
	cp_sbuf_addf(sb, T_(l, " %s per point)\n\n"), sc->currency);
	pad(sb, T_(l, "DEPARTMENT"), 24);
	pad(sb, T_(l, "POINTS"), 8);
	cp_sbuf_addf(sb, "%s\n", T_(l, "MONEY"));
	for (i = 0; i < sc->ndepartments; i++) {
		pad(sb, sc->departments[i].name, 24);
		snprintf(num, sizeof(num), "%ld", sc->departments[i].points);
		pad(sb, num, 8);
		cp_score_money(sb, sc, sc->departments[i].points);
		cp_sbuf_addch(sb, '\n');
	}
	cp_sbuf_adds(sb, "\n");
	pad(sb, T_(l, "PERSON"), 16);
	pad(sb, T_(l, "ROLE"), 12);
	pad(sb, T_(l, "DEPARTMENT"), 24);
	/* with a cap (score.cap_per_person): earned, carried in and out, dropped */
	if (sc->cap != CP_NONE)
		cp_sbuf_adds(sb, "EARNED  IN      OUT     DROPPED ");
	pad(sb, T_(l, "POINTS"), 8);
	cp_sbuf_addf(sb, "%s\n", T_(l, "MONEY"));
	for (i = 0; i < sc->npeople; i++) {
		pad(sb, sc->people[i].name, 16);
		pad(sb, cp_role_name(sc->people[i].role), 12);
		pad(sb, sc->people[i].department ? sc->people[i].department : "-", 24);
		if (sc->cap != CP_NONE) {
			snprintf(num, sizeof(num), "%ld", sc->people[i].earned);
			pad(sb, num, 8);
			snprintf(num, sizeof(num), "%ld", sc->people[i].carried_in);
			pad(sb, num, 8);
			snprintf(num, sizeof(num), "%ld", sc->people[i].carried_out);
			pad(sb, num, 8);
			snprintf(num, sizeof(num), "%ld", sc->people[i].dropped);
			pad(sb, num, 8);
		}
		snprintf(num, sizeof(num), "%ld", sc->people[i].points);
		pad(sb, num, 8);
		cp_score_money(sb, sc, sc->people[i].points);
		cp_sbuf_addch(sb, '\n');
	}
	cp_sbuf_adds(sb, "\n");
	pad(sb, T_(l, "DATE"), 10);
	pad(sb, T_(l, "CASE"), 20);
	pad(sb, T_(l, "TARGET"), 16);
	pad(sb, T_(l, "ROLE"), 12);
	pad(sb, T_(l, "POINTS"), 6);
	cp_sbuf_addf(sb, "%s\n", T_(l, "RULE"));
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];
		char d[CP_TIME_BUF];

		cp_day_fmt(d, cp_local_day(sc->tz, it->at));
		pad(sb, d, 10);
		pad(sb, it->case_id, 20);
		pad(sb, it->target, 16);
		pad(sb, cp_role_name(it->role), 12);
		snprintf(num, sizeof(num), "%ld", it->points);
		pad(sb, num, 6);
		out_safe(sb, it->rule);
		if (it->detail) {
			cp_sbuf_adds(sb, " (");
			out_safe(sb, it->detail);
			cp_sbuf_adds(sb, ")");
		}
		cp_sbuf_addch(sb, '\n');
	}
	for (i = 0; i < sc->nwarnings; i++) {
		cp_sbuf_addf(sb, "%s%s: %s: ", i ? "" : "\n", T_(l, "warning"), sc->warnings[i].case_id);
		out_safe(sb, sc->warnings[i].message);
		cp_sbuf_addch(sb, '\n');
	}
}

int cmd_score(int argc, char **argv, struct ctx *c)
{
	const char *month = NULL, *since = NULL, *until = NULL, *as_of = NULL,
		*format = "table", *file = NULL, *lang = NULL;
	enum cp_lang l = CP_LANG_ZH_CN;
	struct opt opts[] = {
		OPT_STR_("month", "YYYY-MM", "the month", &month),
		OPT_STR_("since", "DATE", "first day of the period", &since),
		OPT_STR_("until", "DATE", "last day of the period", &until),
		OPT_STR_("as-of", "TIME", "compute from the store as it was then", &as_of),
		OPT_STRC_("format", "FMT", "table (default), csv (line items) or json", &format, "=table|csv|json"),
		OPT_STRC_("lang", "LANG", "the language of headings and labels: zh-CN or en (default: the policy's language)", &lang, "=zh-CN|en"),
		OPT_STRC_("o", "FILE", "write to FILE instead of standard output", &file, "files"),
		OPT_END_
	};
	struct cp_score sc;
	struct cp_sbuf out = CP_SBUF_INIT;
	int32_t from, to;
	cp_time now;
	size_t bad = 0;
	int nargs, code;
	bool done;

	memset(&sc, 0, sizeof(sc));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("unexpected argument '%s'"), argv[1]);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return usage_error(c, _("unknown format '%s' (table, csv or json)"), format);
	if (month ? (since || until) : !(since && until))
		return usage_error(c, _("give --month YYYY-MM, or both --since DATE and --until DATE"));
	if (month ? cp_month_parse(&from, &to, month) < 0
		  : (cp_date_parse(&from, since) < 0 || cp_date_parse(&to, until) < 0))
		return lib_error("score");
	if (to < from)
		return usage_error(c, _("--until is before --since"));
	if (lang && cp_lang_parse(&l, lang) < 0)
		return lib_error("score: --lang");
	if ((code = period_open(c, as_of, &now)))
		return code;
	if (cp_score_compute(&sc, &bad, c->store, from, to, now) < 0) {
		code = lib_error("score");
		goto out;
	}
	if (lang)
		sc.lang = l;
	if (!strcmp(format, "json")) {
		cp_score_json(&out, &sc);
		cp_sbuf_addch(&out, '\n');
	} else if (!strcmp(format, "csv")) {
		cp_score_csv(&out, &sc);
	} else {
		table(&out, &sc);
	}
	code = period_output(c, file, &out);
	if (sc.skipped)
		warning(Q_("%zu event dated before its case was received is skipped and not counted (see the warnings; run 'complaint check')",
			   "%zu events dated before their case was received are skipped and not counted (see the warnings; run 'complaint check')",
			   sc.skipped), sc.skipped);
	if (bad)
		warning(Q_("%zu case file could not be read and is not counted (run 'complaint check')",
			   "%zu case files could not be read and are not counted (run 'complaint check')",
			   bad), bad);
out:
	cp_score_release(&sc);
	cp_sbuf_release(&out);
	return code;
}
