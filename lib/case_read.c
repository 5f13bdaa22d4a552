/*
 * case_read.c - a case file in, a checked struct cp_case out.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static int get_text(const struct cp_ydoc *doc, const struct cp_ynode *n,
		    const char *what, char **out)
{
	const char *s;
	int r = cp_ynode_str(&s, doc, n, what);

	if (r < 0)
		return r;
	free(*out);
	*out = cp_xstrdup(s);
	return 0;
}

/*
 * A name (or with actor, the `by` of an event), normalised; a name the
 * file holds in another form is counted for check (see cp_case).
 */
static int get_name(const struct cp_ydoc *doc, const struct cp_ynode *n,
		    const char *what, bool actor, struct cp_case *c, char **out)
{
	bool changed = false;
	char *s;
	int r = actor ? cp_ynode_actor(&s, &changed, doc, n, what)
		      : cp_ynode_name(&s, &changed, doc, n, what);

	if (r < 0)
		return r;
	free(*out);
	*out = s;
	if (changed && !c->unnormal_names++) {
		c->unnormal_line = n->line;
		c->unnormal_col = n->col;
	}
	return 0;
}

/*
 * A name or a list of names (`responsible`, `with`): each normalised,
 * kept joined by '\n' (cp_names_*).  A list must not be empty nor name
 * one twice.
 */
static int get_names(const struct cp_ydoc *doc, const struct cp_ynode *n,
		     const char *what, struct cp_case *c, char **out)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	char *one = NULL;
	size_t i;
	int r;

	if (n->type != CP_Y_SEQ)
		return get_name(doc, n, what, false, c, out);
	if (!n->n)
		return cp_yerr(doc, n, _("%s must name at least one"), what);
	for (i = 0; i < n->n; i++) {
		if ((r = get_name(doc, n->kids[i], what, false, c, &one)) < 0)
			goto out;
		if (!*one) {
			r = cp_yerr(doc, n->kids[i], _("%s: an empty name"), what);
			goto out;
		}
		if (cp_names_has(sb.buf, one)) {
			r = cp_yerr(doc, n->kids[i], _("%s names %s twice"), what, one);
			goto out;
		}
		if (i)
			cp_sbuf_addch(&sb, '\n');
		cp_sbuf_adds(&sb, one);
	}
	free(*out);
	*out = cp_sbuf_detach(&sb, NULL);
	r = 0;
out:
	free(one);
	cp_sbuf_release(&sb);
	return r;
}

static int get_time(const struct cp_ydoc *doc, const struct cp_tz *z, const struct cp_ynode *n,
		    const char *what, cp_time *out)
{
	if (n->type != CP_Y_SCALAR || cp_time_parse(out, z, n->str) < 0)
		return cp_yerr(doc, n, _("%s must be a time (e.g. 2026-11-22T14:05:00+08:00)"),
			    what);
	return 0;
}

static int read_event(const struct cp_ydoc *doc, const struct cp_tz *z, const struct cp_ynode *n,
		      struct cp_case *c, struct cp_event *e)
{
	static const char *const keys[] = { "at", "by", "action", "department",
		"responsible", "head", "leader", "role", "severity", "person",
		"text", "cause", "measure", "reason", "compensation", "points",
		"satisfied", "template", "with", "party", "ref", "field", "old", "value",
		"owner", "due", NULL };
	static const struct {
		const char *key;
		size_t off;
	} names[] = {
		{ "department", offsetof(struct cp_event, department) },
		{ "head", offsetof(struct cp_event, head) },
		{ "leader", offsetof(struct cp_event, leader) },
		{ "person", offsetof(struct cp_event, person) },
		{ "party", offsetof(struct cp_event, party) },
	}, lists[] = {
		{ "responsible", offsetof(struct cp_event, responsible) },
		{ "with", offsetof(struct cp_event, with) },
	}, texts[] = {
		{ "role", offsetof(struct cp_event, role) },
		{ "severity", offsetof(struct cp_event, severity) },
		{ "text", offsetof(struct cp_event, text) },
		{ "cause", offsetof(struct cp_event, cause) },
		{ "measure", offsetof(struct cp_event, measure) },
		{ "reason", offsetof(struct cp_event, reason) },
		{ "template", offsetof(struct cp_event, template) },
		{ "ref", offsetof(struct cp_event, ref) },
		{ "field", offsetof(struct cp_event, field) },
		{ "old", offsetof(struct cp_event, old) },
		{ "value", offsetof(struct cp_event, value) },
		{ "owner", offsetof(struct cp_event, owner) },
		{ "due", offsetof(struct cp_event, due) },
	};
	const struct cp_ynode *v;
	const char *s;
	size_t i;
	int r, a;

	if ((r = cp_ymap_check_keys(doc, n, "an event", keys)) < 0)
		return r;
	if (!(v = cp_ymap_get(n, "at")))
		return cp_yerr(doc, n, _("event has no 'at'"));
	if ((r = get_time(doc, z, v, "event 'at'", &e->at)) < 0)
		return r;
	if (!(v = cp_ymap_get(n, "by")))
		return cp_yerr(doc, n, _("event has no 'by'"));
	if ((r = get_name(doc, v, "event 'by'", true, c, &e->by)) < 0)
		return r;
	if (!(v = cp_ymap_get(n, "action")))
		return cp_yerr(doc, n, _("event has no 'action'"));
	if ((r = cp_ynode_str(&s, doc, v, "event 'action'")) < 0)
		return r;
	if ((a = cp_evt_parse(s)) < 0)
		return cp_yerr(doc, v, _("unknown action '%s'"), s);
	e->action = (enum cp_evt)a;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char **dst = (char **)((char *)e + names[i].off);

		if ((v = cp_ymap_get(n, names[i].key)) &&
		    (r = get_name(doc, v, names[i].key, false, c, dst)) < 0)
			return r;
	}
	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		char **dst = (char **)((char *)e + lists[i].off);

		if ((v = cp_ymap_get(n, lists[i].key)) &&
		    (r = get_names(doc, v, lists[i].key, c, dst)) < 0)
			return r;
	}
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char **dst = (char **)((char *)e + texts[i].off);

		if ((v = cp_ymap_get(n, texts[i].key)) &&
		    (r = get_text(doc, v, texts[i].key, dst)) < 0)
			return r;
	}
	if ((v = cp_ymap_get(n, "compensation"))) {
		if ((r = cp_ynode_money(&e->compensation, doc, v, "compensation")) < 0)
			return r;
	}
	if ((v = cp_ymap_get(n, "points")) &&
	    (r = cp_ynode_int(&e->points, doc, v, "points", CP_POINTS_MIN, CP_POINTS_MAX)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "satisfied"))) {
		bool b;

		if ((r = cp_ynode_bool(&b, doc, v, "satisfied")) < 0)
			return r;
		e->satisfied = b;
	}
	return 0;
}

static int read_deadlines(const struct cp_ydoc *doc, const struct cp_tz *z, const struct cp_ynode *n,
			  struct cp_case *c)
{
	size_t i;
	int r, ev;

	if (n->type != CP_Y_MAP)
		return cp_yerr(doc, n, _("deadlines must be a mapping of event: time"));
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct cp_ynode *k = n->kids[i];
		struct cp_deadline *d;

		ev = cp_dl_parse(k->str);
		if (ev < 0)
			return cp_yerr(doc, k, _("unknown deadline '%s'"), k->str);
		if (c->stored.ndeadlines >= EV__COUNT)
			return cp_yerr(doc, k, _("too many deadlines"));
		d = &c->stored.deadlines[c->stored.ndeadlines++];
		d->event = (enum cp_evt)ev;
		if ((r = get_time(doc, z, n->kids[i + 1], "a deadline", &d->at)) < 0)
			return r;
	}
	return 0;
}

static int read_refs(const struct cp_ydoc *doc, const struct cp_ynode *v,
		     struct cp_case *c)
{
	const char **f;
	size_t i, k;
	int r;

	if ((r = cp_ynode_strlist(&f, &k, doc, v, "refs")) < 0)
		return r;
	c->refs = cp_xcalloc(k + 1, sizeof(char *));
	for (i = 0; i < k; i++) {
		if (!cp_id_valid(f[i])) {
			free(f);
			return cp_yerr(doc, v->kids[i], _("refs: '%s' is not a valid case ID"),
				    v->kids[i]->str);
		}
		c->refs[c->nrefs++] = cp_xstrdup(f[i]);
	}
	free(f);
	return 0;
}

/*
 * fields: {id: value, ...}.  A value is text as written: a plain 12 or
 * 2026-11-01 (a hand edit; we write them quoted) reads as its text.
 */
static int read_fields(const struct cp_ydoc *doc, const struct cp_ynode *v,
		       struct cp_case *c)
{
	size_t i, n;
	int r;

	if (v->type != CP_Y_MAP)
		return cp_yerr(doc, v, _("fields must be a mapping of field: value"));
	n = v->n / 2;
	c->field_ids = cp_xcalloc(n + 1, sizeof(char *));
	c->field_vals = cp_xcalloc(n + 1, sizeof(char *));
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct cp_ynode *k = v->kids[i], *x = v->kids[i + 1];

		if (x->type != CP_Y_SCALAR)
			return cp_yerr(doc, x, _("field '%s' must be a single value"), k->str);
		if (x->plain && cp_yaml_resolve_plain(x->str, x->len) == CP_YP_NULL)
			return cp_yerr(doc, x, _("field '%s' has no value (leave it out instead)"),
				    k->str);
		if (x->plain && cp_yaml_resolve_plain(x->str, x->len) == CP_YP_BOOL)
			return cp_yerr(doc, x, _("field '%s': a plain %s reads as true or false; quote it"),
				    k->str, x->str);
		if ((r = cp_yaml_text_check(x->str, x->len, k->str)) < 0)
			return cp_yerr(doc, x, "%s", cp_errmsg());
		c->field_ids[c->nfields] = cp_xstrdup(k->str);
		c->field_vals[c->nfields++] = cp_xstrdup(x->str);
	}
	return 0;
}

static int read_case(const struct cp_ydoc *doc, const struct cp_tz *z, const struct cp_ynode *root,
		     struct cp_case *c)
{
	static const char *const keys[] = { "id", "status", "severity",
		"received_at", "channel", "kind", "category", "customer",
		"summary", "description", "amount", "scope", "flags", "refs",
		"fields", 		"department", "with", "responsible", "head", "leader",
		"deadlines", "events", NULL };
	static const char *const required[] = { "id", "received_at", "channel",
		"category", "customer", "summary", "events", NULL };
	static const char *const cust_keys[] = { "name", "contact", NULL };
	const struct cp_ynode *v, *w;
	const char *s;
	size_t i;
	int r;

	if (!root || root->type != CP_Y_MAP)
		return cp_yerr(doc, root, _("a case file must be a mapping of fields"));
	if ((r = cp_ymap_check_keys(doc, root, "the case", keys)) < 0)
		return r;
	for (i = 0; required[i]; i++)
		if (!cp_ymap_get(root, required[i]))
			return cp_yerr(doc, root, _("missing required field '%s'"), required[i]);
	v = cp_ymap_get(root, "id");
	if ((r = cp_ynode_str(&s, doc, v, "id")) < 0)
		return r;
	if (!cp_id_valid(s))
		return cp_yerr(doc, v, _("'%s' is not a valid case ID"), s);
	strcpy(c->id, s);
	if ((r = get_time(doc, z, cp_ymap_get(root, "received_at"), "received_at",
			  &c->received)) < 0)
		return r;
	if ((r = get_text(doc, cp_ymap_get(root, "channel"), "channel", &c->channel)) < 0 ||
	    (r = get_text(doc, cp_ymap_get(root, "category"), "category", &c->category)) < 0 ||
	    (r = get_text(doc, cp_ymap_get(root, "summary"), "summary", &c->summary)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "kind")) &&
	    (r = get_text(doc, v, "kind", &c->kind)) < 0)
		return r;
	v = cp_ymap_get(root, "customer");
	if ((r = cp_ymap_check_keys(doc, v, "customer", cust_keys)) < 0)
		return r;
	if (!(w = cp_ymap_get(v, "name")))
		return cp_yerr(doc, v, _("customer has no 'name'"));
	if ((r = get_text(doc, w, "customer name", &c->customer)) < 0)
		return r;
	if ((w = cp_ymap_get(v, "contact")) &&
	    (r = get_text(doc, w, "customer contact", &c->contact)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "description")) &&
	    (r = get_text(doc, v, "description", &c->description)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "amount"))) {
		if ((r = cp_ynode_money(&c->amount, doc, v, "amount")) < 0)
			return r;
		c->has_amount = true;
	}
	if ((v = cp_ymap_get(root, "scope")) &&
	    (r = get_text(doc, v, "scope", &c->scope)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "flags"))) {
		const char **f;
		size_t k;

		if ((r = cp_ynode_strlist(&f, &k, doc, v, "flags")) < 0)
			return r;
		c->flags = cp_xcalloc(k + 1, sizeof(char *));
		for (i = 0; i < k; i++)
			c->flags[i] = cp_xstrdup(f[i]);
		c->nflags = k;
		free(f);
	}
	if ((v = cp_ymap_get(root, "refs")) && (r = read_refs(doc, v, c)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "fields")) && (r = read_fields(doc, v, c)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "status")) &&
	    (r = get_text(doc, v, "status", &c->stored.status)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "severity")) &&
	    (r = get_text(doc, v, "severity", &c->stored.severity)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "department")) &&
	    (r = get_name(doc, v, "department", false, c, &c->stored.department)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "with")) &&
	    (r = get_names(doc, v, "with", c, &c->stored.with)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "responsible")) &&
	    (r = get_names(doc, v, "responsible", c, &c->stored.responsible)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "head")) &&
	    (r = get_name(doc, v, "head", false, c, &c->stored.head)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "leader")) &&
	    (r = get_name(doc, v, "leader", false, c, &c->stored.leader)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "deadlines")) && (r = read_deadlines(doc, z, v, c)) < 0)
		return r;
	v = cp_ymap_get(root, "events");
	if (v->type != CP_Y_SEQ || !v->n)
		return cp_yerr(doc, v, _("events must be a non-empty list"));
	if (v->n > CP_MAX_EVENTS)
		return cp_yerr(doc, v, _("too many events (%zu, limit %d)"), v->n,
			    CP_MAX_EVENTS);
	c->events = cp_xcalloc(v->n, sizeof(*c->events));
	c->alloc = v->n;
	for (i = 0; i < v->n; i++) {
		struct cp_event *e = &c->events[i];

		memset(e, 0, sizeof(*e));
		e->compensation = CP_MONEY_NONE;
		e->points = CP_NONE;
		e->satisfied = -1;
		c->nevents = i + 1;
		if ((r = read_event(doc, z, v->kids[i], c, e)) < 0)
			return r;
	}
	if (c->events[0].action != EV_NEW)
		return cp_yerr(doc, v->kids[0], _("the first event must be 'new'"));
	for (i = 1; i < c->nevents; i++)
		if (c->events[i].action == EV_NEW)
			return cp_yerr(doc, v->kids[i], _("only the first event may be 'new'"));
	/* an exact copy of an event (a hand edit) is the same fact: once */
	if (c->nevents > 1) {
		int *lines = cp_xmalloc(c->nevents * sizeof(*lines));

		for (i = 0; i < c->nevents; i++)
			lines[i] = v->kids[i]->line;
		cp_case_drop_copies(c, lines);
		free(lines);
	}
	return 0;
}

int cp_case_parse(struct cp_case **out, const struct cp_tz *z, const char *file,
		  const char *buf, size_t len)
{
	struct cp_ydoc *doc;
	struct cp_case *c;
	int r;

	*out = NULL;
	if ((r = cp_ydoc_parse(&doc, file, buf, len)) < 0)
		return r;
	c = cp_case_new();
	r = read_case(doc, z, doc->root, c);
	cp_ydoc_free(doc);
	if (r < 0) {
		cp_case_free(c);
		return r;
	}
	*out = c;
	return 0;
}
