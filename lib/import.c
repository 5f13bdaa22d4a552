/*
 * import.c - complaints from a CSV file: each row becomes a case as
 * `complaint new` makes one (cp_case_create), and every row is checked
 * before the caller records any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "complaint/error.h"
#include "complaint/import.h"
#include "complaint/intake.h"
#include "complaint/lifecycle.h"
#include "complaint/i18n.h"

enum col {
	C_CUSTOMER, C_CONTACT, C_CHANNEL, C_KIND, C_CATEGORY, C_SUMMARY,
	C_DESCRIPTION, C_AMOUNT, C_SCOPE, C_FLAG, C_RECEIVED, C_SEVERITY,
	C_REASON, C_ID, C_STATUS, C_DEPARTMENT, C_RESPONSIBLE, C_IGNORED,
	C__COUNT
};

static const struct {
	const char *name;
	enum col col;
} names[] = {
	{ "customer", C_CUSTOMER }, { "contact", C_CONTACT },
	{ "channel", C_CHANNEL }, { "kind", C_KIND }, { "category", C_CATEGORY },
	{ "summary", C_SUMMARY }, { "description", C_DESCRIPTION },
	{ "amount", C_AMOUNT }, { "scope", C_SCOPE }, { "flag", C_FLAG },
	{ "flags", C_FLAG }, { "received", C_RECEIVED },
	{ "received_at", C_RECEIVED }, { "severity", C_SEVERITY },
	{ "reason", C_REASON }, { "id", C_ID }, { "status", C_STATUS },
	{ "department", C_DEPARTMENT }, { "responsible", C_RESPONSIBLE },
	{ "next_deadline_event", C_IGNORED }, { "next_deadline_at", C_IGNORED },
	{ "overdue", C_IGNORED },
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Where each column is: at[C_...] (-1 when absent), and the field.ID columns. */
struct cols {
	int at[C__COUNT];
	int fcol[CP_MAX_FIELDS];
	const char *fid[CP_MAX_FIELDS];
	size_t nf;
};

static int header(const struct cp_csv_record *h, const char *file, struct cols *cl)
{
	int *at = cl->at;
	size_t i, k;
	struct cp_sbuf all = CP_SBUF_INIT;
	int r;

	for (k = 0; k < C__COUNT; k++)
		at[k] = -1;
	cl->nf = 0;
	for (i = 0; i < h->n; i++) {
		const char *n = h->fields[i];

		if (!strncmp(n, "field.", 6)) {
			/* a field of the policy's form, as new --field ID=VALUE (checked there) */
			for (k = 0; k < cl->nf; k++)
				if (!strcmp(cl->fid[k], n + 6))
					return cp_error(CP_EDATA, _("%s:%d: column '%s' given twice"),
							file, h->line, n);
			if (!n[6] || cl->nf == CP_MAX_FIELDS)
				return cp_error(CP_EDATA, _("%s:%d: column '%s': a field column is field.ID, at most %d of them"),
						file, h->line, n, CP_MAX_FIELDS);
			cl->fid[cl->nf] = n + 6;
			cl->fcol[cl->nf++] = (int)i;
			continue;
		}
		for (k = 0; k < NNAMES && strcmp(names[k].name, n); k++)
			;
		if (k == NNAMES) {
			for (k = 0; k < NNAMES; k++)
				cp_sbuf_addf(&all, "%s%s", k ? ", " : "", names[k].name);
			r = cp_error(CP_EDATA, _("%s:%d: unknown column '%s' (the columns are: %s, field.ID)"),
				     file, h->line, n, all.buf);
			cp_sbuf_release(&all);
			return r;
		}
		if (names[k].col == C_IGNORED)
			continue;
		if (at[names[k].col] >= 0)
			return cp_error(CP_EDATA, _("%s:%d: column '%s' given twice"),
					file, h->line, n);
		at[names[k].col] = (int)i;
	}
	{
		static const enum col need[] = { C_CUSTOMER, C_CHANNEL, C_CATEGORY, C_SUMMARY };
		static const char *const need_name[] = { "customer", "channel", "category", "summary" };

		for (k = 0; k < 4; k++)
			if (at[need[k]] < 0)
				return cp_error(CP_EDATA,
						_("%s:%d: no column '%s' (every complaint needs customer, channel, category and summary)"),
						file, h->line, need_name[k]);
	}
	return 0;
}

/* The value of column c in the row, NULL when absent or empty. */
static const char *val(const struct cp_csv_record *row, const int *at, enum col c)
{
	if (at[c] < 0 || (size_t)at[c] >= row->n || !row->fields[at[c]][0])
		return NULL;
	return row->fields[at[c]];
}

struct ids {
	char **v;
	size_t n, alloc;
};

static bool seen(const struct ids *ids, const char *id)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], id))
			return true;
	return false;
}

/*
 * An assigned row: the assign event (at received: the department held
 * the case from the start as far as the CSV tells), its responsible
 * people separated by ';' as list writes them (a name never holds ';').
 */
static int assign(struct cp_case *cs, const struct cp_policy *p, const struct cp_org *o,
		  const char *dept, const char *resp, const char *actor, cp_time now)
{
	struct cp_event ev;
	struct cp_sbuf list = CP_SBUF_INIT;
	const char *q = resp;
	int r;

	memset(&ev, 0, sizeof(ev));
	ev.action = EV_ASSIGN;
	ev.compensation = CP_MONEY_NONE;
	ev.points = CP_NONE;
	ev.satisfied = -1;
	ev.at = cs->received;
	ev.by = (char *)actor;
	ev.department = (char *)dept;
	while (q && *q) {
		const char *end = strchr(q, ';');
		size_t len = end ? (size_t)(end - q) : strlen(q);

		while (len && *q == ' ')
			q++, len--;
		while (len && q[len - 1] == ' ')
			len--;
		if (len) {
			if (list.len)
				cp_sbuf_addch(&list, '\n');
			cp_sbuf_add(&list, q, len);
		}
		q = end ? end + 1 : q + strlen(q);
	}
	ev.responsible = list.len ? list.buf : NULL;
	r = cp_lifecycle_apply(cs, p, o, &ev, now);
	cp_sbuf_release(&list);
	return r;
}

/* One row: 0 and *out, or an error (the caller keeps the message). */
static int one_row(const struct cp_csv_record *row, const struct cols *cl, size_t ncols,
		   const struct cp_policy *p, const struct cp_org *o,
		   const char *actor, cp_time now,
		   bool (*taken)(const char *, void *), void *data, struct ids *ids,
		   struct cp_case **out)
{
	const int *at = cl->at;
	struct cp_new_req req;
	struct cp_case *cs = NULL;
	size_t k;
	char *flags = NULL, *tok, *save = NULL;
	const char *sev = val(row, at, C_SEVERITY), *id = val(row, at, C_ID), *s;
	const char *status = val(row, at, C_STATUS), *dept = val(row, at, C_DEPARTMENT);
	int r, tries;

	*out = NULL;
	if (row->n != ncols)
		return cp_error(CP_EDATA, _("%zu fields where the header has %zu"), row->n, ncols);
	if ((s = val(row, at, C_STATUS)) && strcmp(s, "new") && strcmp(s, "assigned"))
		return cp_error(CP_EDATA,
				_("status is '%s': import records new and assigned complaints, and a case's later events are not in a CSV (copy a whole store with complaint clone)"),
				s);
	if (!dept && (s = val(row, at, C_RESPONSIBLE)))
		return cp_error(CP_EDATA,
				_("responsible '%s' without a department: the department column says who the case is assigned to"),
				s);
	if (status && !strcmp(status, "new") && dept)
		return cp_error(CP_EDATA, _("status is new but the case names department '%s' (status assigned, or no department)"),
				dept);
	if (status && !strcmp(status, "assigned") && !dept)
		return cp_error(CP_EDATA, _("status is assigned but the department column is empty"));
	if (id) {
		if (!cp_id_valid(id))
			return cp_error(CP_EDATA, _("id '%s' is not a case ID (letters, digits and -, 3 to 32)"), id);
		if (seen(ids, id))
			return cp_error(CP_EDATA, _("id %s is on an earlier line too"), id);
		if (taken(id, data))
			return cp_error(CP_EDATA, _("the store has a case %s already"), id);
	}
	memset(&req, 0, sizeof(req));
	req.customer = val(row, at, C_CUSTOMER);
	req.contact = val(row, at, C_CONTACT);
	req.channel = val(row, at, C_CHANNEL);
	req.kind = val(row, at, C_KIND);
	req.category = val(row, at, C_CATEGORY);
	req.summary = val(row, at, C_SUMMARY);
	req.description = val(row, at, C_DESCRIPTION);
	req.amount = val(row, at, C_AMOUNT);
	req.scope = val(row, at, C_SCOPE);
	req.received = val(row, at, C_RECEIVED);
	req.reason = val(row, at, C_REASON);
	for (k = 0; k < cl->nf; k++)
		if ((size_t)cl->fcol[k] < row->n && row->fields[cl->fcol[k]][0]) {
			req.field_ids[req.nfields] = cl->fid[k];
			req.field_vals[req.nfields++] = row->fields[cl->fcol[k]];
		}
	if ((s = val(row, at, C_FLAG))) {
		flags = cp_xstrdup(s);
		for (tok = strtok_r(flags, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			if (req.nflags == CP_MAX_FLAGS) {
				free(flags);
				return cp_error(CP_EDATA, _("more than %d flags"), CP_MAX_FLAGS);
			}
			req.flags[req.nflags++] = tok;
		}
	}
	/*
	 * A severity is an override only when it differs from what the
	 * facts give (list writes every case's level); then it needs a reason.
	 */
	if (sev && req.reason)
		req.severity = sev;
	r = cp_case_create(&cs, p, &req, actor, now);
	if (r == 0 && sev && !req.reason) {
		if (cp_policy_level(p, sev) < 0) {
			req.severity = sev;
			req.reason = "-";
			cp_case_free(cs);
			r = cp_case_create(&cs, p, &req, actor, now);	/* names the levels */
		} else if (strcmp(p->levels[cs->d.level].id, sev)) {
			r = cp_error(CP_EDATA,
				     _("severity %s is not the level the facts give (%s): a reason column says why it differs"),
				     sev, p->levels[cs->d.level].id);
		}
	}
	free(flags);
	if (r < 0) {
		cp_case_free(cs);
		return r;
	}
	if (id) {
		snprintf(cs->id, sizeof(cs->id), "%s", id);
	} else {
		for (tries = 0; tries < 8; tries++) {
			if ((r = cp_id_generate(cs->id, p->tz, cs->received)) < 0) {
				cp_case_free(cs);
				return r;
			}
			if (!taken(cs->id, data) && !seen(ids, cs->id))
				break;
		}
	}
	if (dept && (r = assign(cs, p, o, dept, val(row, at, C_RESPONSIBLE), actor, now)) < 0) {
		cp_case_free(cs);
		return r;
	}
	ALLOC_GROW(ids->v, ids->n + 1, ids->alloc);
	ids->v[ids->n++] = cp_xstrdup(cs->id);
	*out = cs;
	return 0;
}

int cp_import_read(struct cp_import *im, const struct cp_policy *p,
		   const struct cp_org *o, const char *file, const char *buf, size_t len,
		   const char *actor, cp_time now,
		   bool (*taken)(const char *id, void *data), void *data)
{
	struct cp_csv_file f;
	struct ids ids = { NULL, 0, 0 };
	struct cols cl;
	int r;
	size_t i;

	memset(im, 0, sizeof(*im));
	if ((r = cp_csv_read(&f, file, buf, len)) < 0)
		return r;
	if (!f.n) {
		cp_csv_file_release(&f);
		return cp_error(CP_EDATA, _("%s: no header line (the first line names the columns)"), file);
	}
	if ((r = header(&f.rec[0], file, &cl)) < 0) {
		cp_csv_file_release(&f);
		return r;
	}
	im->rows = cp_xcalloc(f.n, sizeof(*im->rows));
	for (i = 1; i < f.n; i++) {
		struct cp_import_row *row = &im->rows[im->n++];

		row->line = f.rec[i].line;
		if (one_row(&f.rec[i], &cl, f.rec[0].n, p, o, actor, now, taken, data, &ids,
			    &row->cs) < 0) {
			row->error = cp_xstrdup(cp_errmsg());
			im->nbad++;
		}
	}
	cp_error_clear();
	for (i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	cp_csv_file_release(&f);
	return 0;
}

void cp_import_release(struct cp_import *im)
{
	size_t i;

	for (i = 0; i < im->n; i++) {
		cp_case_free(im->rows[i].cs);
		free(im->rows[i].error);
	}
	free(im->rows);
	memset(im, 0, sizeof(*im));
}
