/*
 * case_fields.c - a case's fields of the policy's own form (SPEC section
 * 10): their order, what is required when, and what the policy no longer
 * names.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/i18n.h"

const char *cp_case_field(const struct cp_case *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		if (!strcmp(c->field_ids[i], id))
			return c->field_vals[i];
	return NULL;
}

/* Where a field goes: its place in the policy, the unknown ones after. */
static size_t rank(const struct cp_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nfields; i++)
		if (!strcmp(p->fields[i].id, id))
			return i;
	return p->nfields;
}

void cp_case_put_field(struct cp_case *c, const struct cp_policy *p,
		       const char *id, const char *value)
{
	size_t i, at, r;

	for (i = 0; i < c->nfields; i++)
		if (!strcmp(c->field_ids[i], id))
			break;
	if (i < c->nfields) {
		if (value) {
			free(c->field_vals[i]);
			c->field_vals[i] = cp_xstrdup(value);
			return;
		}
		free(c->field_ids[i]);
		free(c->field_vals[i]);
		memmove(c->field_ids + i, c->field_ids + i + 1,
			(c->nfields - i - 1) * sizeof(char *));
		memmove(c->field_vals + i, c->field_vals + i + 1,
			(c->nfields - i - 1) * sizeof(char *));
		c->nfields--;
		return;
	}
	if (!value)
		return;
	r = rank(p, id);
	for (at = 0; at < c->nfields && rank(p, c->field_ids[at]) <= r; at++)
		;
	c->field_ids = cp_xrealloc(c->field_ids, (c->nfields + 1) * sizeof(char *));
	c->field_vals = cp_xrealloc(c->field_vals, (c->nfields + 1) * sizeof(char *));
	memmove(c->field_ids + at + 1, c->field_ids + at, (c->nfields - at) * sizeof(char *));
	memmove(c->field_vals + at + 1, c->field_vals + at, (c->nfields - at) * sizeof(char *));
	c->field_ids[at] = cp_xstrdup(id);
	c->field_vals[at] = cp_xstrdup(value);
	c->nfields++;
}

int cp_case_required_fields(const struct cp_case *c, const struct cp_policy *p,
			    enum cp_evt action)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	size_t i, n = 0;
	int r;

	for (i = 0; i < p->nfields; i++) {
		const struct cp_field *f = &p->fields[i];

		if (f->required_at != (int)action || cp_case_field(c, f->id))
			continue;
		cp_sbuf_addf(&sb, "%s%s (%s)", n++ ? ", " : "", f->id, f->name);
	}
	if (!n)
		return 0;
	r = cp_error_hint(CP_ERULE, action == EV_NEW ? CP_HINT_FIELD_NEW : CP_HINT_FIELD_SET,
			  _("the policy requires %s %s before %s"),
			  n == 1 ? "the field" : "the fields", sb.buf, cp_evt_name(action));
	cp_sbuf_release(&sb);
	return r;
}

size_t cp_case_unknown_fields(struct cp_sbuf *out, const struct cp_case *c,
			      const struct cp_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < c->nfields; i++) {
		if (cp_policy_field(p, c->field_ids[i]))
			continue;
		n++;
		if (out)
			cp_sbuf_addf(out, "field '%s' is not in the policy's fields (kept as it is)\n",
				  c->field_ids[i]);
	}
	return n;
}

size_t cp_case_check_fields(struct cp_sbuf *out, const struct cp_case *c)
{
	size_t i, j, n = 0;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i], *last = e;
		const char *have;

		if (e->action != EV_SET || !e->field || cp_event_impossible(c, e))
			continue;
		/* the last set of this field, in time order: once per field */
		for (j = 0; j < c->nevents; j++) {
			const struct cp_event *x = &c->events[j];

			if (x->action != EV_SET || !x->field || strcmp(x->field, e->field) ||
			    cp_event_impossible(c, x))
				continue;
			if (j < i)
				break;
			if (x->at >= last->at)
				last = x;
		}
		if (j < i)
			continue;
		have = cp_case_field(c, e->field);
		if (last->value && have && !strcmp(have, last->value))
			continue;
		cp_sbuf_addf(out, "field %s: file says '%s', its last set event says '%s'\n", e->field,
			  have ? have : "(none)", last->value ? last->value : "(none)");
		n++;
	}
	return n;
}
