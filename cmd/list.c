/*
 * list.c - complaint list [filters] [--format table|tsv|csv|json]
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/name.h"
#include "complaint/case_json.h"
#include "complaint/json.h"
#include "complaint/query.h"
#include "complaint/utf8.h"

static const char *const usage[] = {
	"complaint list [--status S] [--severity L] [--department D] [--category C] [--kind K]\n"
	"                      [--month YYYY-MM | --since TIME --until TIME] [--open] [--overdue]\n"
	"                      [--due-within DUR] [--format table|tsv|csv|json]",
	NULL
};

enum fmt { TABLE, TSV, CSV, JSON };

#define NCSV 20	/* columns of tsv and csv */

#define NCOLS 7
static const char *const headers[NCOLS] = {
	"ID", "STATUS", "LEVEL", "RECEIVED", "DEPARTMENT", "NEXT DEADLINE", "SUMMARY"
};

struct row {
	char *cells[NCOLS];
};

struct state {
	struct ctx *c;
	struct cp_filter f;
	enum fmt fmt;
	struct sbuf out;
	struct row *rows;
	size_t nrows, alloc;
	size_t count, bad;
};

static void next_cell(struct sbuf *sb, const struct cp_case *cs, cp_time now)
{
	const struct cp_deadline *d = cp_case_next_deadline(cs);

	if (!d) {
		sbuf_adds(sb, "-");
		return;
	}
	sbuf_addf(sb, "%s ", cp_evt_name(d->event));
	out_time(sb, d->at);
	if (d->at < now)
		sbuf_adds(sb, " !");
}

static int one(struct cp_case *cs, const char *path, void *data)
{
	struct state *st = data;
	const struct cp_policy *p = cp_store_policy(st->c->store);
	const struct cp_deadline *d;
	struct sbuf t = SBUF_INIT;
	char tb[CP_TIME_BUF];
	struct row *r;
	int i;

	warn_impossible(path, cs);
	if (!cp_filter_match(&st->f, cs, p))
		return 0;
	st->count++;
	switch (st->fmt) {
	case JSON:
		if (st->count > 1)
			sbuf_adds(&st->out, ",\n");
		cp_case_json_brief(cs, p, st->f.now, &st->out);
		break;
	case TSV:
	case CSV: {
		const char *v[NCSV];
		char nd[CP_TIME_BUF] = "";
		const struct cp_event *first = cs->nevents ? &cs->events[0] : NULL;
		struct sbuf amount = SBUF_INIT, flags = SBUF_INIT;
		size_t k;

		d = cp_case_next_deadline(cs);
		if (d)
			cp_time_fmt(d->at, nd);
		cp_time_fmt(cs->received, tb);
		v[0] = cs->id; v[1] = cp_status_name(cs->d.status);
		v[2] = p->levels[cs->d.level].id; v[3] = tb; v[4] = cs->channel;
		v[5] = cs->kind; v[6] = cs->category; v[7] = cs->d.department;
		v[8] = cs->d.responsible; v[9] = cs->summary;
		v[10] = d ? cp_evt_name(d->event) : ""; v[11] = nd;
		v[12] = cp_case_overdue(cs, st->f.now) ? "true" : "false";
		/* what complaint import needs to record the case again */
		if (cs->has_amount)
			cp_money_fmt(&amount, cs->amount);
		for (k = 0; k < cs->nflags; k++)
			sbuf_addf(&flags, "%s%s", k ? ";" : "", cs->flags[k]);
		v[13] = cs->customer; v[14] = cs->contact; v[15] = amount.buf;
		v[16] = cs->scope; v[17] = flags.buf; v[18] = cs->description;
		v[19] = first && first->action == EV_NEW && first->severity ? first->reason : NULL;
		for (i = 0; i < NCSV; i++) {
			if (i)
				sbuf_addch(&st->out, st->fmt == TSV ? '\t' : ',');
			if (st->fmt == TSV)
				out_tsv(&st->out, v[i] ? v[i] : "");
			else
				out_csv(&st->out, v[i] ? v[i] : "");
		}
		sbuf_adds(&st->out, st->fmt == CSV ? "\r\n" : "\n");
		sbuf_release(&amount);
		sbuf_release(&flags);
		break;
	}
	case TABLE:
		ALLOC_GROW(st->rows, st->nrows + 1, st->alloc);
		r = &st->rows[st->nrows++];
		r->cells[0] = xstrdup(cs->id);
		r->cells[1] = xstrdup(cp_status_name(cs->d.status));
		if (cp_case_overdue(cs, st->f.now)) {
			free(r->cells[1]);
			r->cells[1] = xmalloc(strlen(cp_status_name(cs->d.status)) + 2);
			sprintf(r->cells[1], "%s!", cp_status_name(cs->d.status));
		}
		r->cells[2] = xstrdup(p->levels[cs->d.level].id);
		out_time(&t, cs->received);
		r->cells[3] = sbuf_detach(&t, NULL);
		r->cells[4] = xstrdup(cs->d.department ? cs->d.department : "-");
		next_cell(&t, cs, st->f.now);
		r->cells[5] = sbuf_detach(&t, NULL);
		r->cells[6] = xstrdup(cs->summary);
		break;
	}
	if (st->out.len > 65536)
		out_flush(&st->out);
	return 0;
}

static void bad_file(const char *path, const char *msg, void *data)
{
	struct state *st = data;

	(void)path;
	st->bad++;
	warn("skipping %s", msg);
}

static void print_table(struct state *st)
{
	size_t w[NCOLS], i, k;
	struct sbuf t = SBUF_INIT;

	for (k = 0; k < NCOLS; k++)
		w[k] = strlen(headers[k]);
	for (i = 0; i < st->nrows; i++)
		for (k = 0; k + 1 < NCOLS; k++) {
			size_t cw;

			sbuf_reset(&t);
			out_safe(&t, st->rows[i].cells[k]);
			cw = utf8_width(t.buf, t.len);
			if (k == 4 && cw > 24)
				cw = 24;
			if (cw > w[k])
				w[k] = cw;
		}
	sbuf_release(&t);
	for (k = 0; k < NCOLS; k++) {
		out_cell(&st->out, headers[k], w[k], k + 1 == NCOLS);
		if (k + 1 < NCOLS)
			sbuf_adds(&st->out, "  ");
	}
	sbuf_addch(&st->out, '\n');
	for (i = 0; i < st->nrows; i++) {
		for (k = 0; k < NCOLS; k++) {
			out_cell(&st->out, st->rows[i].cells[k], k + 1 == NCOLS ? 60 : w[k],
				 k + 1 == NCOLS);
			if (k + 1 < NCOLS)
				sbuf_adds(&st->out, "  ");
			free(st->rows[i].cells[k]);
		}
		sbuf_addch(&st->out, '\n');
		if (st->out.len > 65536)
			out_flush(&st->out);
	}
	free(st->rows);
}

/* "a,b" and repeated options both add to the list. */
static int split_list(struct ctx *c, const char *opt, const char **in, size_t nin,
		      const char **out, size_t *nout, char **keep)
{
	size_t i;
	char *p, *tok, *save;

	for (i = 0; i < nin; i++) {
		p = xstrdup(in[i]);
		keep[i] = p;
		for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (*nout >= CP_MAX_MATCH)
				return usage_error(c, "too many values for --%s", opt);
			out[(*nout)++] = tok;
		}
	}
	return 0;
}

int cmd_list(int argc, char **argv, struct ctx *c)
{
	const char *statuses[CP_MAX_MATCH], *sev[CP_MAX_MATCH], *dept[CP_MAX_MATCH],
		*cat[CP_MAX_MATCH], *kind[CP_MAX_MATCH];
	size_t nstat = 0, nsev = 0, ndept = 0, ncat = 0, nkind = 0;
	const char *month = NULL, *since = NULL, *until = NULL, *due = NULL,
		*format = "table";
	bool open = false, overdue = false, done;
	struct opt opts[] = {
		OPT_LISTC_("status", "S", "new, assigned, planned, approved, resolved, closed (a,b or repeated)", statuses, &nstat, CP_MAX_MATCH, "statuses"),
		OPT_LISTC_("severity", "L", "level id", sev, &nsev, CP_MAX_MATCH, "levels"),
		OPT_LISTC_("department", "D", "department", dept, &ndept, CP_MAX_MATCH, "departments"),
		OPT_LISTC_("category", "C", "category", cat, &ncat, CP_MAX_MATCH, "categories"),
		OPT_LISTC_("kind", "K", "kind", kind, &nkind, CP_MAX_MATCH, "kinds"),
		OPT_STR_("month", "YYYY-MM", "received in this month", &month),
		OPT_STR_("since", "TIME", "received at or after (a date means its start)", &since),
		OPT_STR_("until", "TIME", "received at or before (a date means its end)", &until),
		OPT_BOOL_("open", "not resolved and not closed", &open),
		OPT_BOOL_("overdue", "a deadline was missed and the case is not resolved or closed", &overdue),
		OPT_STR_("due-within", "DUR", "a deadline falls within DUR from now (10m, 2h, 1d, 1wd)", &due),
		OPT_STRC_("format", "FMT", "table (default), tsv, csv or json", &format, "=table|tsv|csv|json"),
		OPT_END_
	};
	struct state st;
	char *keep[5][CP_MAX_MATCH] = { { 0 } };
	int nargs, code, from, to;
	size_t i, k;

	memset(&st, 0, sizeof(st));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, "unexpected argument '%s'", argv[1]);
	if (!strcmp(format, "table"))
		st.fmt = TABLE;
	else if (!strcmp(format, "tsv"))
		st.fmt = TSV;
	else if (!strcmp(format, "csv"))
		st.fmt = CSV;
	else if (!strcmp(format, "json"))
		st.fmt = JSON;
	else
		return usage_error(c, "unknown format '%s' (table, tsv, csv or json)", format);
	if (month && (since || until))
		return usage_error(c, "--month cannot be combined with --since or --until");
	if ((code = ctx_open(c)))
		goto out;
	st.c = c;
	cp_filter_init(&st.f, c->now);
	st.f.open = open;
	st.f.overdue = overdue;
	for (i = 0; i < nstat; i++) {
		char *p = xstrdup(statuses[i]), *tok, *save;

		for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int s = cp_status_parse(tok);

			if (s < 0) {
				code = usage_error(c, "unknown status '%s' (new, assigned, planned, approved, resolved, closed)", tok);
				free(p);
				goto out;
			}
			st.f.status_mask |= 1u << s;
		}
		free(p);
	}
	if ((code = split_list(c, "severity", sev, nsev, st.f.severity, &st.f.nseverity, keep[0])) ||
	    (code = split_list(c, "department", dept, ndept, st.f.department, &st.f.ndepartment, keep[1])) ||
	    (code = split_list(c, "category", cat, ncat, st.f.category, &st.f.ncategory, keep[2])) ||
	    (code = split_list(c, "kind", kind, nkind, st.f.kind, &st.f.nkind, keep[3])))
		goto out;
	/* a department is a name: in the normal form the cases hold it in */
	for (i = 0; i < st.f.ndepartment; i++) {
		const char *d = st.f.department[i];

		if (cp_name_norm(d, strlen(d), &keep[4][i], NULL) < 0) {
			code = report("list: --department");
			goto out;
		}
		st.f.department[i] = keep[4][i];
	}
	if (month) {
		int32_t first, last;

		if (cp_month_parse(month, &first, &last) < 0) {
			code = report("list: --month");
			goto out;
		}
		st.f.since = cp_local_time(first, 0, 0, 0);
		st.f.until = cp_local_time(last + 1, 0, 0, 0) - 1;
	}
	if (since) {
		if ((code = ctx_time(c, "--since", since, &st.f.since)))
			goto out;
	}
	if (until) {
		int32_t day;

		if (cp_date_parse(until, &day) == 0)
			st.f.until = cp_local_time(day + 1, 0, 0, 0) - 1;
		else if ((code = ctx_time(c, "--until", until, &st.f.until)))
			goto out;
	}
	cp_error_clear();
	if (due) {
		struct cp_duration dur;

		if (cp_duration_parse(due, &dur) < 0) {
			code = report("list: --due-within");
			goto out;
		}
		st.f.due_by = cp_time_add(&cp_store_policy(c->store)->cal, c->now, &dur);
	}
	cp_filter_months(&st.f, &from, &to);
	if (st.fmt == JSON)
		sbuf_adds(&st.out, "[\n");
	if (st.fmt == TSV || st.fmt == CSV) {
		static const char *const cols[] = { "id", "status", "severity",
			"received_at", "channel", "kind", "category", "department",
			"responsible", "summary", "next_deadline_event",
			"next_deadline_at", "overdue", "customer", "contact", "amount",
			"scope", "flags", "description", "reason" };

		for (k = 0; k < NCSV; k++)
			sbuf_addf(&st.out, "%s%s", k ? (st.fmt == TSV ? "\t" : ",") : "", cols[k]);
		sbuf_adds(&st.out, st.fmt == CSV ? "\r\n" : "\n");
	}
	if (cp_each_case(c->store, NULL, from, to, one, bad_file, &st) < 0) {
		code = report("list");
		goto out;
	}
	if (st.fmt == JSON)
		sbuf_adds(&st.out, st.count ? "\n]\n" : "]\n");
	if (st.fmt == TABLE)
		print_table(&st);
	out_flush(&st.out);
	if (st.bad)
		warn("%zu case file%s could not be read (run 'complaint check')", st.bad,
		     st.bad == 1 ? "" : "s");
out:
	for (k = 0; k < 5; k++)
		for (i = 0; i < CP_MAX_MATCH; i++)
			free(keep[k][i]);
	sbuf_release(&st.out);
	return code;
}
