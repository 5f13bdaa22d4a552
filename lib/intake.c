/*
 * intake.c - turning what a clerk typed (or a form) into a new case.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/audit.h"
#include "complaint/error.h"
#include "complaint/intake.h"
#include "complaint/name.h"
#include "yaml_subset.h"
#include "complaint/input.h"
#include "complaint/i18n.h"

struct form {
	struct cp_ydoc *doc;
};

void cp_new_req_release(struct cp_new_req *req)
{
	struct form *f = req->owned;

	if (f) {
		cp_ydoc_free(f->doc);
		free(f);
	}
	req->owned = NULL;
}

static int form_str(const struct cp_ydoc *doc, const struct cp_ynode *root,
		    const char *key, const char **dst)
{
	const struct cp_ynode *v = cp_ymap_get(root, key);

	if (!v || *dst)
		return 0;
	return cp_ynode_str(dst, doc, v, key);
}

int cp_new_req_from_yaml(struct cp_new_req *req, const char *file,
			 const char *buf, size_t len)
{
	static const char *const keys[] = { "customer", "contact", "channel",
		"kind", "category", "summary", "description", "amount", "scope",
		"flags", "received", "received_at", "severity", "reason", "fields",
		"refs", NULL };
	static const char *const ckeys[] = { "name", "contact", NULL };
	struct form *f = cp_xcalloc(1, sizeof(*f));
	const struct cp_ynode *root, *v;
	int r;

	req->owned = f;
	if ((r = cp_ydoc_parse(&f->doc, file, buf, len)) < 0)
		return r;
	root = f->doc->root;
	if (!root || root->type != CP_Y_MAP)
		return cp_yerr(f->doc, root, _("a complaint form must be a mapping of fields"));
	if ((r = cp_ymap_check_keys(f->doc, root, "the form", keys)) < 0)
		return r;
	v = cp_ymap_get(root, "customer");
	if (v && v->type == CP_Y_MAP) {
		const struct cp_ynode *n;

		if ((r = cp_ymap_check_keys(f->doc, v, "customer", ckeys)) < 0)
			return r;
		if ((n = cp_ymap_get(v, "name")) && !req->customer &&
		    (r = cp_ynode_str(&req->customer, f->doc, n, "customer name")) < 0)
			return r;
		if ((n = cp_ymap_get(v, "contact")) && !req->contact &&
		    (r = cp_ynode_str(&req->contact, f->doc, n, "customer contact")) < 0)
			return r;
	} else if ((r = form_str(f->doc, root, "customer", &req->customer)) < 0) {
		return r;
	}
	if ((r = form_str(f->doc, root, "contact", &req->contact)) < 0 ||
	    (r = form_str(f->doc, root, "channel", &req->channel)) < 0 ||
	    (r = form_str(f->doc, root, "kind", &req->kind)) < 0 ||
	    (r = form_str(f->doc, root, "category", &req->category)) < 0 ||
	    (r = form_str(f->doc, root, "summary", &req->summary)) < 0 ||
	    (r = form_str(f->doc, root, "description", &req->description)) < 0 ||
	    (r = form_str(f->doc, root, "scope", &req->scope)) < 0 ||
	    (r = form_str(f->doc, root, "severity", &req->severity)) < 0 ||
	    (r = form_str(f->doc, root, "reason", &req->reason)) < 0)
		return r;
	if ((v = cp_ymap_get(root, "received")) || (v = cp_ymap_get(root, "received_at"))) {
		if (!req->received) {
			if (v->type != CP_Y_SCALAR)
				return cp_yerr(f->doc, v, _("received must be a time"));
			req->received = v->str;
		}
	}
	if ((v = cp_ymap_get(root, "amount")) && !req->amount) {
		cp_money m;

		/* plain 1200.00, or quoted "1200.00": the same strict form */
		if (v->type != CP_Y_SCALAR)
			return cp_yerr(f->doc, v, _("amount must be an amount, not a %s"),
				    v->type == CP_Y_MAP ? "mapping" : "list");
		if (cp_money_parse(&m, v->str, v->len) < 0)
			return cp_yerr(f->doc, v, _("amount: %s"), cp_errmsg());
		req->amount = v->str;
	}
	if ((v = cp_ymap_get(root, "fields"))) {
		size_t i, j;

		if (v->type != CP_Y_MAP)
			return cp_yerr(f->doc, v, _("fields must be a mapping of field: value"));
		for (i = 0; i + 1 < v->n; i += 2) {
			const struct cp_ynode *x = v->kids[i + 1];

			for (j = 0; j < req->nfields; j++)
				if (!strcmp(req->field_ids[j], v->kids[i]->str))
					break;
			if (j < req->nfields)
				continue;	/* --field wins */
			if (req->nfields >= CP_MAX_FIELDS)
				return cp_yerr(f->doc, v, _("too many fields"));
			if (x->type != CP_Y_SCALAR)
				return cp_yerr(f->doc, x, _("field '%s' must be a single value"),
					    v->kids[i]->str);
			req->field_ids[req->nfields] = v->kids[i]->str;
			req->field_vals[req->nfields++] = x->str;
		}
	}
	if ((v = cp_ymap_get(root, "refs")) && !req->nrefs) {
		size_t i;

		if (v->type != CP_Y_SEQ)
			return cp_yerr(f->doc, v, _("refs must be a list of case IDs"));
		if (v->n > CP_MAX_REFS)
			return cp_yerr(f->doc, v, _("too many refs"));
		for (i = 0; i < v->n; i++)
			if ((r = cp_ynode_str(&req->refs[req->nrefs++], f->doc, v->kids[i],
					   "a ref")) < 0)
				return r;
	}
	if ((v = cp_ymap_get(root, "flags")) && !req->nflags) {
		size_t i;

		if (v->type != CP_Y_SEQ)
			return cp_yerr(f->doc, v, _("flags must be a list"));
		if (v->n > CP_MAX_FLAGS)
			return cp_yerr(f->doc, v, _("too many flags"));
		for (i = 0; i < v->n; i++)
			if ((r = cp_ynode_str(&req->flags[req->nflags++], f->doc, v->kids[i],
					   "a flag")) < 0)
				return r;
	}
	return 0;
}

static int text(const char *s, enum cp_input f, bool required, char **dst)
{
	const char *what = cp_input_name(f);
	int r;

	if (!s) {
		if (required)
			return cp_error(CP_EUSAGE, _("%s is required"), what);
		return 0;
	}
	if ((r = cp_text_check(s, what)) < 0)
		return r;
	if (required && !*s)
		return cp_error(CP_EUSAGE, _("%s must not be empty"), what);
	*dst = cp_xstrdup(s);
	return 0;
}

static int known(bool ok, const char *what, const char *val, char *const *list,
		 size_t n)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i;
	int r;

	if (ok)
		return 0;
	for (i = 0; i < n; i++)
		cp_sbuf_addf(&sb, "%s%s", i ? ", " : "", list[i]);
	r = cp_error(CP_EUSAGE, _("unknown %s '%s' (the policy has: %s)"), what, val,
		     n ? sb.buf : "none");
	cp_sbuf_release(&sb);
	return r;
}

static int build(struct cp_case *c, const struct cp_policy *p,
		 const struct cp_new_req *req, const char *actor, cp_time now)
{
	struct cp_event ev;
	char *by = NULL;
	size_t i, j;
	int r, lvl;

	if ((r = text(req->customer, CP_INPUT_CUSTOMER, true, &c->customer)) < 0 ||
	    (r = text(req->channel, CP_INPUT_CHANNEL, true, &c->channel)) < 0 ||
	    (r = text(req->category, CP_INPUT_CATEGORY, true, &c->category)) < 0 ||
	    (r = text(req->summary, CP_INPUT_SUMMARY, true, &c->summary)) < 0 ||
	    (r = text(req->contact, CP_INPUT_CONTACT, false, &c->contact)) < 0 ||
	    (r = text(req->description, CP_INPUT_DESCRIPTION, false, &c->description)) < 0 ||
	    (r = text(req->kind, CP_INPUT_KIND, false, &c->kind)) < 0 ||
	    (r = text(req->scope, CP_INPUT_SCOPE, false, &c->scope)) < 0)
		return r;
	if ((r = known(cp_policy_has_channel(p, c->channel), _("channel"), c->channel,
		       p->channels, p->nchannels)) < 0 ||
	    (r = known(cp_policy_has_category(p, c->category), _("category"),
		       c->category, p->categories, p->ncategories)) < 0)
		return r;
	if (!c->kind)
		c->kind = cp_xstrdup(p->kinds[0].id);
	if (cp_policy_kind(p, c->kind) < 0) {
		char **ids = cp_xcalloc(p->nkinds + 1, sizeof(char *));

		for (i = 0; i < p->nkinds; i++)
			ids[i] = p->kinds[i].id;
		r = known(false, _("kind"), c->kind, ids, p->nkinds);
		free(ids);
		return r;
	}
	if (c->scope && (r = known(cp_policy_scope(p, c->scope) >= 0, _("scope"),
				   c->scope, p->scopes, p->nscopes)) < 0)
		return r;
	c->flags = cp_xcalloc(req->nflags + 1, sizeof(char *));
	for (i = 0; i < req->nflags; i++) {
		if ((r = text(req->flags[i], CP_INPUT_FLAG, true, &c->flags[c->nflags])) < 0)
			return r;
		c->nflags++;
		if ((r = known(cp_policy_flag(p, req->flags[i]) >= 0, _("flag"),
			       req->flags[i], p->flags, p->nflags)) < 0)
			return r;
		for (j = 0; j + 1 < c->nflags; j++)
			if (!strcmp(c->flags[j], req->flags[i])) {
				free(c->flags[--c->nflags]);
				break;
			}
	}
	for (i = 0; i < req->nfields; i++) {
		const struct cp_field *f = cp_policy_field(p, req->field_ids[i]);

		if (!f) {
			char **ids = cp_xcalloc(p->nfields + 1, sizeof(char *));

			for (j = 0; j < p->nfields; j++)
				ids[j] = p->fields[j].id;
			r = known(false, "field", req->field_ids[i], ids, p->nfields);
			free(ids);
			return r;
		}
		if ((r = cp_field_check(f, req->field_vals[i])) < 0)
			return r;
		if (strlen(req->field_vals[i]) > CP_YAML_MAX_SCALAR)
			return cp_error(CP_EUSAGE, _("field '%s' is too long (limit %d bytes)"), f->id,
					CP_YAML_MAX_SCALAR);
		cp_case_put_field(c, p, f->id, req->field_vals[i]);
	}
	if ((r = cp_case_required_fields(c, p, EV_NEW)) < 0)
		return r;
	c->refs = cp_xcalloc(req->nrefs + 1, sizeof(char *));
	for (i = 0; i < req->nrefs; i++) {
		if (!cp_id_valid(req->refs[i]))
			return cp_error(CP_EUSAGE, _("%s '%s' is not a valid case ID"), cp_input_name(CP_INPUT_REF), req->refs[i]);
		for (j = 0; j < c->nrefs; j++)
			if (!strcmp(c->refs[j], req->refs[i]))
				break;
		if (j == c->nrefs)
			c->refs[c->nrefs++] = cp_xstrdup(req->refs[i]);
	}
	if (req->amount) {
		if ((r = cp_money_parse(&c->amount, req->amount, strlen(req->amount))) < 0)
			return cp_error_wrap("%s", cp_input_name(CP_INPUT_AMOUNT));
		c->has_amount = true;
	}
	c->received = now;
	if (req->received) {
		char t1[CP_TIME_BUF], t2[CP_TIME_BUF];

		if (cp_time_parse_at(&c->received, p->tz, req->received, now) < 0)
			return cp_error_wrap("%s", cp_input_name(CP_INPUT_RECEIVED));
		if (c->received > now) {
			cp_time_fmt(t1, p->tz, c->received);
			cp_time_fmt(t2, p->tz, now);
			return cp_error(CP_ERULE,
					_("%s %s is in the future (now is %s)"), cp_input_name(CP_INPUT_RECEIVED), t1, t2);
		}
		if ((r = cp_audit_check_at(p, c->received, now, cp_input_name(CP_INPUT_RECEIVED))) < 0)
			return r;
	}
	memset(&ev, 0, sizeof(ev));
	ev.compensation = CP_MONEY_NONE;
	ev.points = CP_NONE;
	ev.satisfied = -1;
	ev.at = c->received;
	if (cp_actor_norm(&by, NULL, actor, strlen(actor)) < 0)
		return cp_error_wrap(_("the actor"));
	ev.by = by;
	ev.action = EV_NEW;
	if (req->severity) {
		lvl = cp_policy_level(p, req->severity);
		if (lvl < 0) {
			char **ids = cp_xcalloc(p->nlevels + 1, sizeof(char *));

			for (i = 0; i < p->nlevels; i++)
				ids[i] = p->levels[i].id;
			r = known(false, _("level"), req->severity, ids, p->nlevels);
			free(ids);
			free(by);
			return r;
		}
		if (!req->reason || !*req->reason) {
			free(by);
			return cp_error(CP_EUSAGE,
					_("%s needs %s (why the level differs from classification)"),
					cp_input_name(CP_INPUT_SEVERITY), cp_input_name(CP_INPUT_REASON));
		}
		if ((r = cp_text_check(req->reason, cp_input_name(CP_INPUT_REASON))) < 0) {
			free(by);
			return r;
		}
		ev.severity = (char *)req->severity;
		ev.reason = (char *)req->reason;
	} else if (req->reason) {
		free(by);
		return cp_error(CP_EUSAGE, _("%s is only for %s"), cp_input_name(CP_INPUT_REASON),
				cp_input_name(CP_INPUT_SEVERITY));
	}
	cp_case_add_event(c, &ev);
	free(by);
	if ((r = cp_case_derive(c, p)) < 0)
		return r;
	return cp_case_check_range(c, p->tz);
}

int cp_case_create(struct cp_case **out, const struct cp_policy *p,
		   const struct cp_new_req *req, const char *actor, cp_time now)
{
	struct cp_case *c = cp_case_new();
	int r = build(c, p, req, actor, now);

	if (r < 0) {
		cp_case_free(c);
		*out = NULL;
		return r;
	}
	*out = c;
	return 0;
}
