/*
 * list.c - complaint list [filters] [--format table|tsv|csv|json]
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complaint/case_json.h"
#include "complaint/name.h"
#include "complaint/query.h"
#include "json.h"
#include "utf8.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint list [--status S] [--severity L] [--department D] [--category C] [--kind K]\n"
	"                      [--responsible P] [--month YYYY-MM | --since TIME --until TIME]\n"
	"                      [--resolved-in YYYY-MM] [--closed-in YYYY-MM] [--callback-due]\n"
	"                      [--open] [--overdue] [--missed] [--due-within DUR]\n"
	"                      [--field ID=VALUE] [--measures] [--held]\n"
	"                      [--sort received|deadline|id] [--format table|tsv|csv|json]",
	NULL
};

enum fmt { TABLE, TSV, CSV, JSON };
enum sort_by { BY_RECEIVED, BY_DEADLINE, BY_ID };

#define NCSV 20	/* columns of tsv and csv */

#define NCOLS 7
static const char *const headers[NCOLS] = {
	N_("ID"), N_("STATUS"), N_("LEVEL"), N_("RECEIVED"), N_("DEPARTMENT"),
	N_("NEXT DEADLINE"), N_("SUMMARY")
};

/*
 * A listed case, held until its place in the order is known: the sort
 * keys, and either the table's cells or the formatted line (tsv, csv,
 * json).
 */
struct row {
	cp_time key;		/* received, or the next deadline (CP_TIME_NONE: none) */
	cp_time received;
	int month;		/* of received */
	char id[CP_ID_MAX + 1];
	char *line;
	char *cells[NCOLS];
};

struct state {
	struct ctx *c;
	struct cp_filter f;
	enum fmt fmt;
	enum sort_by sort;
	struct cp_sbuf out;
	struct row *rows;
	size_t nrows, alloc;
	size_t count, bad, emitted;
	int folder;		/* the month folder the walk is in (year*12 + month-1) */
};

static void next_cell(struct cp_sbuf *sb, const struct cp_tz *z, const struct cp_case *cs,
		      cp_time now)
{
	const struct cp_deadline *d = cp_case_next_deadline(cs);

	if (!d) {
		cp_sbuf_adds(sb, "-");
		return;
	}
	cp_sbuf_addf(sb, "%s ", cp_dl_name(d->event));
	out_time(sb, z, d->at);
	if (d->at < now)
		cp_sbuf_adds(sb, " !");
}

static void format_line(struct state *st, const struct cp_case *cs, struct cp_sbuf *sb)
{
	const struct cp_policy *p = cp_store_policy(st->c->store);
	const struct cp_deadline *d;
	char tb[CP_TIME_BUF];
	int i;

	switch (st->fmt) {
	case JSON:
		cp_case_json_brief(sb, cs, p, st->f.now);
		break;
	case TSV:
	case CSV: {
		const char *v[NCSV];
		char nd[CP_TIME_BUF] = "";
		const struct cp_event *first = cs->nevents ? &cs->events[0] : NULL;
		struct cp_sbuf amount = CP_SBUF_INIT, flags = CP_SBUF_INIT;
		size_t k;
		struct cp_sbuf resp = CP_SBUF_INIT;

		d = cp_case_next_deadline(cs);
		if (d)
			cp_time_fmt(nd, p->tz, d->at);
		cp_time_fmt(tb, p->tz, cs->received);
		v[0] = cs->id; v[1] = cp_status_name(cs->d.status);
		v[2] = p->levels[cs->d.level].id; v[3] = tb; v[4] = cs->channel;
		v[5] = cs->kind; v[6] = cs->category; v[7] = cs->d.department;
		/* several people: ';' as flags (import splits there; a name never holds one) */
		cp_names_join(&resp, cs->d.responsible, ";");
		v[8] = resp.buf; v[9] = cs->summary;
		v[10] = d ? cp_dl_name(d->event) : ""; v[11] = nd;
		v[12] = cp_case_overdue(cs, st->f.now) ? "true" : "false";
		/* what complaint import needs to record the case again */
		if (cs->has_amount)
			cp_money_fmt(&amount, cs->amount);
		for (k = 0; k < cs->nflags; k++)
			cp_sbuf_addf(&flags, "%s%s", k ? ";" : "", cs->flags[k]);
		v[13] = cs->customer; v[14] = cs->contact; v[15] = amount.buf;
		v[16] = cs->scope; v[17] = flags.buf; v[18] = cs->description;
		v[19] = first && first->action == EV_NEW && first->severity ? first->reason : NULL;
		for (i = 0; i < NCSV + (int)p->nfields; i++) {
			/* then field.ID, one column per field of the policy's form */
			const char *x = i < NCSV ? v[i] : cp_case_field(cs, p->fields[i - NCSV].id);

			if (i)
				cp_sbuf_addch(sb, st->fmt == TSV ? '\t' : ',');
			if (st->fmt == TSV)
				out_tsv(sb, x ? x : "");
			else
				out_csv(sb, x ? x : "");
		}
		cp_sbuf_adds(sb, st->fmt == CSV ? "\r\n" : "\n");
		cp_sbuf_release(&amount);
		cp_sbuf_release(&flags);
		cp_sbuf_release(&resp);
		break;
	}
	case TABLE:
		break;
	}
}

static void table_cells(struct state *st, const struct cp_case *cs, struct row *r)
{
	const struct cp_policy *p = cp_store_policy(st->c->store);
	struct cp_sbuf t = CP_SBUF_INIT;

	r->cells[0] = cp_xstrdup(cs->id);
	cp_sbuf_adds(&t, cp_status_name(cs->d.status));
	if (cp_case_overdue(cs, st->f.now))
		cp_sbuf_addch(&t, '!');
	r->cells[1] = cp_sbuf_detach(&t, NULL);
	r->cells[2] = cp_xstrdup(p->levels[cs->d.level].id);
	out_time(&t, p->tz, cs->received);
	r->cells[3] = cp_sbuf_detach(&t, NULL);
	r->cells[4] = cp_xstrdup(cs->d.department ? cs->d.department : "-");
	next_cell(&t, p->tz, cs, st->f.now);
	r->cells[5] = cp_sbuf_detach(&t, NULL);
	r->cells[6] = cp_xstrdup(cs->summary);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->key != y->key) {
		if (x->key == CP_TIME_NONE)	/* nothing due: after every deadline */
			return 1;
		if (y->key == CP_TIME_NONE)
			return -1;
		return x->key < y->key ? -1 : 1;
	}
	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Sort what is held and write out the first n rows (tsv, csv, json). */
static void emit(struct state *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (st->fmt == JSON && st->emitted++)
			cp_sbuf_adds(&st->out, ",\n");
		cp_sbuf_adds(&st->out, st->rows[i].line);
		free(st->rows[i].line);
		if (st->out.len > 65536)
			out_flush(&st->out);
	}
	if (st->nrows > n)	/* rows is NULL while nothing was held */
		memmove(st->rows, st->rows + n, (st->nrows - n) * sizeof(*st->rows));
	st->nrows -= n;
}

/*
 * Sorted by received, a month folder's cases come after every earlier
 * folder's (a case is filed by the month it was received), so the rows
 * of the months before the folder the walk enters can go out: what is
 * held stays one month's worth.  A file outside its month folder (check
 * names it) is held until the walk passes its month.
 */
static void enter_folder(struct state *st, const char *path)
{
	int y, m, folder, n;
	size_t k;

	if (sscanf(path, "cases/%4d/%2d/%n", &y, &m, &n) != 2 || n != 14)
		return;
	folder = y * 12 + m - 1;
	if (folder == st->folder)
		return;
	st->folder = folder;
	if (st->fmt == TABLE || st->sort != BY_RECEIVED || !st->nrows)
		return;
	qsort(st->rows, st->nrows, sizeof(*st->rows), row_cmp);
	for (k = 0; k < st->nrows && st->rows[k].month < folder; k++)
		;
	emit(st, k);
}

static int one(struct cp_case *cs, const char *path, void *data)
{
	struct state *st = data;
	const struct cp_policy *p = cp_store_policy(st->c->store);
	const struct cp_deadline *d;
	struct cp_sbuf line = CP_SBUF_INIT;
	struct row *r;

	enter_folder(st, path);
	warning_impossible(path, cs, p->tz);
	if (!cp_filter_match(&st->f, cs, p))
		return 0;
	st->count++;
	ALLOC_GROW(st->rows, st->nrows + 1, st->alloc);
	r = &st->rows[st->nrows++];
	memset(r, 0, sizeof(*r));
	r->received = cs->received;
	r->month = cp_month_of(p->tz, cs->received);
	snprintf(r->id, sizeof(r->id), "%s", cs->id);
	switch (st->sort) {
	case BY_RECEIVED:
		r->key = cs->received;
		break;
	case BY_DEADLINE:
		d = cp_case_next_deadline(cs);
		r->key = d ? d->at : CP_TIME_NONE;
		break;
	case BY_ID:
		r->key = 0;	/* the id decides (after received, equal for all) */
		r->received = 0;
		break;
	}
	if (st->fmt == TABLE) {
		table_cells(st, cs, r);
	} else {
		format_line(st, cs, &line);
		r->line = cp_sbuf_detach(&line, NULL);
	}
	return 0;
}

static void bad_file(const char *path, const char *msg, void *data)
{
	struct state *st = data;

	(void)path;
	st->bad++;
	warning(_("skipping %s"), msg);
}

static void print_table(struct state *st)
{
	size_t w[NCOLS], i, k;
	struct cp_sbuf t = CP_SBUF_INIT;

	if (st->nrows)
		qsort(st->rows, st->nrows, sizeof(*st->rows), row_cmp);
	for (k = 0; k < NCOLS; k++)
		w[k] = cp_utf8_width(_(headers[k]), strlen(_(headers[k])));
	for (i = 0; i < st->nrows; i++)
		for (k = 0; k + 1 < NCOLS; k++) {
			size_t cw;

			cp_sbuf_reset(&t);
			out_safe(&t, st->rows[i].cells[k]);
			cw = cp_utf8_width(t.buf, t.len);
			if (k == 4 && cw > 24)
				cw = 24;
			if (cw > w[k])
				w[k] = cw;
		}
	cp_sbuf_release(&t);
	for (k = 0; k < NCOLS; k++) {
		out_cell(&st->out, _(headers[k]), w[k], k + 1 == NCOLS);
		if (k + 1 < NCOLS)
			cp_sbuf_adds(&st->out, "  ");
	}
	cp_sbuf_addch(&st->out, '\n');
	for (i = 0; i < st->nrows; i++) {
		for (k = 0; k < NCOLS; k++) {
			out_cell(&st->out, st->rows[i].cells[k], k + 1 == NCOLS ? 60 : w[k],
				 k + 1 == NCOLS);
			if (k + 1 < NCOLS)
				cp_sbuf_adds(&st->out, "  ");
			free(st->rows[i].cells[k]);
		}
		cp_sbuf_addch(&st->out, '\n');
		if (st->out.len > 65536)
			out_flush(&st->out);
	}
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
}

/* --resolved-in and --closed-in: a month, as its first and last instant. */
static int month_option(struct ctx *c, const char *opt, const char *val,
			cp_time *from, cp_time *to)
{
	int32_t first, last;

	if (!val)
		return 0;
	if (cp_month_parse(&first, &last, val) < 0)
		return lib_error("list: %s", opt);
	*from = cp_local_time(ctx_tz(c), first, 0, 0, 0);
	*to = cp_local_time(ctx_tz(c), last + 1, 0, 0, 0) - 1;
	return 0;
}

/* "a,b" and repeated options both add to the list. */
static int split_list(struct ctx *c, const char *opt, const char **in, size_t nin,
		      const char **out, size_t *nout, char **keep)
{
	size_t i;
	char *p, *tok, *save;

	for (i = 0; i < nin; i++) {
		p = cp_xstrdup(in[i]);
		keep[i] = p;
		for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (*nout >= CP_MAX_MATCH)
				return usage_error(c, _("too many values for --%s"), opt);
			out[(*nout)++] = tok;
		}
	}
	return 0;
}

int cmd_list(int argc, char **argv, struct ctx *c)
{
	const char *statuses[CP_MAX_MATCH], *sev[CP_MAX_MATCH], *dept[CP_MAX_MATCH],
		*cat[CP_MAX_MATCH], *kind[CP_MAX_MATCH], *resp[CP_MAX_MATCH];
	size_t nstat = 0, nsev = 0, ndept = 0, ncat = 0, nkind = 0, nresp = 0;
	const char *month = NULL, *since = NULL, *until = NULL, *due = NULL,
		*format = "table", *resolved_in = NULL, *closed_in = NULL,
		*sort = "received";
	bool open = false, overdue = false, callback_due = false, missed = false, done;
	bool measures = false, held = false;
	const char *fieldargs[CP_MAX_MATCH];
	char *fieldstore[CP_MAX_MATCH] = { NULL };
	size_t nfieldargs = 0;
	struct opt opts[] = {
		OPT_LISTC_("status", "S", "new, assigned, planned, approved, resolved, closed (a,b or repeated)", statuses, &nstat, CP_MAX_MATCH, "statuses"),
		OPT_LISTC_("severity", "L", "level id", sev, &nsev, CP_MAX_MATCH, "levels"),
		OPT_LISTC_("department", "D", "department", dept, &ndept, CP_MAX_MATCH, "departments"),
		OPT_LISTC_("category", "C", "category", cat, &ncat, CP_MAX_MATCH, "categories"),
		OPT_LISTC_("kind", "K", "kind", kind, &nkind, CP_MAX_MATCH, "kinds"),
		OPT_LISTC_("responsible", "P", "the person responsible", resp, &nresp, CP_MAX_MATCH, "people"),
		OPT_STR_("month", "YYYY-MM", "received in this month", &month),
		OPT_STR_("since", "TIME", "received at or after (a date means its start)", &since),
		OPT_STR_("until", "TIME", "received at or before (a date means its end)", &until),
		OPT_STR_("resolved-in", "YYYY-MM", "resolved in this month", &resolved_in),
		OPT_STR_("closed-in", "YYYY-MM", "closed in this month", &closed_in),
		OPT_BOOL_("callback-due", "resolved or closed, and no callback since the last resolve", &callback_due),
		OPT_BOOL_("open", "not resolved and not closed", &open),
		OPT_BOOL_("overdue", "a deadline was missed and the case is not resolved or closed", &overdue),
		OPT_BOOL_("missed", "a deadline was missed, whether the case is open or not", &missed),
		OPT_STR_("due-within", "DUR", "a deadline falls within DUR from now (10m, 2h, 1d, 1wd)", &due),
		OPT_LISTC_("field", "ID=VALUE", "a field of the policy's form has this value (repeatable: all of them)", fieldargs, &nfieldargs, CP_MAX_MATCH, "fields"),
		OPT_BOOL_("measures", "the case has open measures (not yet done)", &measures),
		OPT_BOOL_("held", "the case is on hold", &held),
		OPT_STRC_("sort", "KEY", "received (default: oldest first), deadline (the next one first) or id", &sort, "=received|deadline|id"),
		OPT_STRC_("format", "FMT", "table (default), tsv, csv or json", &format, "=table|tsv|csv|json"),
		OPT_END_
	};
	struct state st;
	char *keep[7][CP_MAX_MATCH] = { { 0 } };
	int nargs, code, from, to;
	size_t i, k;

	memset(&st, 0, sizeof(st));
	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs)
		return usage_error(c, _("unexpected argument '%s'"), argv[1]);
	if (!strcmp(format, "table"))
		st.fmt = TABLE;
	else if (!strcmp(format, "tsv"))
		st.fmt = TSV;
	else if (!strcmp(format, "csv"))
		st.fmt = CSV;
	else if (!strcmp(format, "json"))
		st.fmt = JSON;
	else
		return usage_error(c, _("unknown format '%s' (table, tsv, csv or json)"), format);
	if (!strcmp(sort, "received"))
		st.sort = BY_RECEIVED;
	else if (!strcmp(sort, "deadline"))
		st.sort = BY_DEADLINE;
	else if (!strcmp(sort, "id"))
		st.sort = BY_ID;
	else
		return usage_error(c, _("unknown sort key '%s' (received, deadline or id)"), sort);
	if (month && (since || until))
		return usage_error(c, _("--month cannot be combined with --since or --until"));
	if ((code = ctx_open(c)))
		goto out;
	st.c = c;
	cp_filter_init(&st.f, c->now);
	st.f.open = open;
	st.f.overdue = overdue;
	st.f.callback_due = callback_due;
	st.f.missed = missed;
	st.folder = INT_MIN;
	st.f.measures = measures;
	st.f.held = held;
	if ((code = split_fields(c, fieldargs, nfieldargs, st.f.field_ids, st.f.field_vals,
				 fieldstore)))
		goto out;
	st.f.nfields = nfieldargs;
	for (i = 0; i < nstat; i++) {
		char *p = cp_xstrdup(statuses[i]), *tok, *save;

		for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int s = cp_status_parse(tok);

			if (s < 0) {
				code = usage_error(c, _("unknown status '%s' (new, assigned, planned, approved, resolved, closed)"), tok);
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
	    (code = split_list(c, "kind", kind, nkind, st.f.kind, &st.f.nkind, keep[3])) ||
	    (code = split_list(c, "responsible", resp, nresp, st.f.responsible, &st.f.nresponsible, keep[5])))
		goto out;
	/* a person is a name too */
	for (i = 0; i < st.f.nresponsible; i++) {
		const char *r = st.f.responsible[i];

		if (cp_name_norm(&keep[6][i], NULL, r, strlen(r)) < 0) {
			code = lib_error("list: --responsible");
			goto out;
		}
		st.f.responsible[i] = keep[6][i];
	}
	/* a department is a name: in the normal form the cases hold it in */
	for (i = 0; i < st.f.ndepartment; i++) {
		const char *d = st.f.department[i];

		if (cp_name_norm(&keep[4][i], NULL, d, strlen(d)) < 0) {
			code = lib_error("list: --department");
			goto out;
		}
		st.f.department[i] = keep[4][i];
	}
	if (month) {
		int32_t first, last;

		if (cp_month_parse(&first, &last, month) < 0) {
			code = lib_error("list: --month");
			goto out;
		}
		st.f.since = cp_local_time(ctx_tz(c), first, 0, 0, 0);
		st.f.until = cp_local_time(ctx_tz(c), last + 1, 0, 0, 0) - 1;
	}
	if ((code = month_option(c, "--resolved-in", resolved_in, &st.f.resolved_from,
				 &st.f.resolved_to)) ||
	    (code = month_option(c, "--closed-in", closed_in, &st.f.closed_from,
				 &st.f.closed_to)))
		goto out;
	if (since) {
		if ((code = ctx_time(c, "--since", since, &st.f.since)))
			goto out;
	}
	if (until) {
		int32_t day;

		if (cp_date_parse(&day, until) == 0)
			st.f.until = cp_local_time(ctx_tz(c), day + 1, 0, 0, 0) - 1;
		else if ((code = ctx_time(c, "--until", until, &st.f.until)))
			goto out;
	}
	cp_error_clear();
	if (due) {
		struct cp_duration dur;

		if (cp_duration_parse(&dur, due) < 0) {
			code = lib_error("list: --due-within");
			goto out;
		}
		st.f.due_by = cp_time_add(ctx_tz(c), &cp_store_policy(c->store)->cal, c->now, &dur);
	}
	cp_filter_months(&from, &to, &st.f, ctx_tz(c));
	if (st.fmt == JSON)
		cp_sbuf_adds(&st.out, "[\n");
	if (st.fmt == TSV || st.fmt == CSV) {
		static const char *const cols[] = { "id", "status", "severity",
			"received_at", "channel", "kind", "category", "department",
			"responsible", "summary", "next_deadline_event",
			"next_deadline_at", "overdue", "customer", "contact", "amount",
			"scope", "flags", "description", "reason" };

		const struct cp_policy *pol = cp_store_policy(c->store);

		for (k = 0; k < NCSV; k++)
			cp_sbuf_addf(&st.out, "%s%s", k ? (st.fmt == TSV ? "\t" : ",") : "", cols[k]);
		for (k = 0; k < pol->nfields; k++)
			cp_sbuf_addf(&st.out, "%sfield.%s", st.fmt == TSV ? "\t" : ",", pol->fields[k].id);
		cp_sbuf_adds(&st.out, st.fmt == CSV ? "\r\n" : "\n");
	}
	if (cp_each_case(c->store, NULL, from, to, one, bad_file, &st) < 0) {
		code = lib_error("list");
		goto out;
	}
	if (st.fmt != TABLE) {
		if (st.nrows)
			qsort(st.rows, st.nrows, sizeof(*st.rows), row_cmp);
		emit(&st, st.nrows);
	}
	if (st.fmt == JSON)
		cp_sbuf_adds(&st.out, st.count ? "\n]\n" : "]\n");
	if (st.fmt == TABLE)
		print_table(&st);
	out_flush(&st.out);
	if (st.bad)
		warning(Q_("%zu case file could not be read (run 'complaint check')",
			   "%zu case files could not be read (run 'complaint check')", st.bad), st.bad);
out:
	for (i = 0; i < nfieldargs; i++)
		free(fieldstore[i]);
	for (i = 0; i < st.nrows; i++) {	/* left by an error */
		free(st.rows[i].line);
		for (k = 0; k < NCOLS; k++)
			free(st.rows[i].cells[k]);
	}
	free(st.rows);
	for (k = 0; k < 7; k++)
		for (i = 0; i < CP_MAX_MATCH; i++)
			free(keep[k][i]);
	cp_sbuf_release(&st.out);
	return code;
}
