/*
 * policy_fields.c - the policy's own form (`fields:`), the sign-off of
 * measures (`measures: {approvals}`), and checking a field's value
 * (SPEC section 10, complaint-policy(5)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/number.h"
#include "complaint/policy.h"
#include "yaml_subset.h"
#include "policy_priv.h"
#include "complaint/i18n.h"

static const char *const type_names[] = { "text", "number", "date", "choice" };

const char *cp_ftype_name(enum cp_ftype t)
{
	return (unsigned)t < 4 ? type_names[t] : "?";
}

const struct cp_field *cp_policy_field(const struct cp_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nfields; i++)
		if (!strcmp(p->fields[i].id, id))
			return &p->fields[i];
	return NULL;
}

int cp_field_check(const struct cp_field *f, const char *v)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	int32_t day;
	int64_t x;
	size_t i, n = strlen(v);
	int r;

	if (!n)
		return cp_error(CP_EUSAGE, _("field '%s' (%s): the value is empty"), f->id,
				f->name);
	switch (f->type) {
	case FT_TEXT:
		return cp_yaml_text_check(v, n, f->id);
	case FT_NUMBER:
		if (v[0] == '-')
			v++, n--;
		if (cp_parse_fixed(&x, v, n, 6, INT64_MAX / 2) < 0) {
			cp_error_clear();
			return cp_error(CP_EUSAGE,
					_("field '%s' (%s) is a number: '%s' is not one (digits, a point and at most 6 decimals)"),
					f->id, f->name, v);
		}
		return 0;
	case FT_DATE:
		if (cp_date_parse(&day, v) < 0) {
			cp_error_clear();
			return cp_error(CP_EUSAGE,
					_("field '%s' (%s) is a date: '%s' is not one (YYYY-MM-DD)"),
					f->id, f->name, v);
		}
		return 0;
	case FT_CHOICE:
		for (i = 0; i < f->nchoices; i++)
			if (!strcmp(f->choices[i], v))
				return 0;
		for (i = 0; i < f->nchoices; i++)
			cp_sbuf_addf(&sb, "%s%s", i ? ", " : "", f->choices[i]);
		r = cp_error(CP_EUSAGE, _("field '%s' (%s): '%s' is not one of its choices (%s)"),
			     f->id, f->name, v, sb.buf);
		cp_sbuf_release(&sb);
		return r;
	}
	return 0;
}

static int load_field(const struct cp_ydoc *doc, const struct cp_ynode *n,
		      struct cp_field *f)
{
	static const char *const keys[] = { "id", "name", "type", "choices",
		"required_at", NULL };
	const struct cp_ynode *v;
	const char *s, **ch;
	size_t i, k;
	int r;

	f->required_at = CP_NONE;
	if ((r = cp_ymap_check_keys(doc, n, "a field", keys)) < 0)
		return r;
	if (!(v = cp_ymap_get(n, "id")))
		return cp_yerr(doc, n, _("field: missing required key 'id'"));
	if ((r = cp_ynode_str(&s, doc, v, "field id")) < 0)
		return r;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			break;
	if (!*s || s[i] || i > 64)
		return cp_yerr(doc, v, _("field id '%s' must be letters, digits, '_' or '-' (at most 64)"),
			    s);
	f->id = cp_xstrdup(s);
	if ((v = cp_ymap_get(n, "name"))) {
		if ((r = cp_ynode_str(&s, doc, v, "field name")) < 0)
			return r;
		if (!*s)
			return cp_yerr(doc, v, _("field '%s': name must not be empty"), f->id);
		f->name = cp_xstrdup(s);
	} else {
		f->name = cp_xstrdup(f->id);
	}
	f->type = FT_TEXT;
	if ((v = cp_ymap_get(n, "type"))) {
		if ((r = cp_ynode_str(&s, doc, v, "field type")) < 0)
			return r;
		for (i = 0; i < 4; i++)
			if (!strcmp(s, type_names[i]))
				break;
		if (i == 4)
			return cp_yerr(doc, v, _("field '%s': unknown type '%s' (text, number, date or choice)"),
				    f->id, s);
		f->type = (enum cp_ftype)i;
	}
	if ((v = cp_ymap_get(n, "choices"))) {
		if (f->type != FT_CHOICE)
			return cp_yerr(doc, v, _("field '%s': choices are only for type choice"), f->id);
		if ((r = cp_ynode_strlist(&ch, &k, doc, v, "field choices")) < 0)
			return r;
		f->choices = cp_xcalloc(k + 1, sizeof(char *));
		for (i = 0; i < k; i++) {
			size_t j;

			for (j = 0; j < i; j++)
				if (!strcmp(ch[i], ch[j])) {
					free(ch);
					return cp_yerr(doc, v->kids[i], _("field '%s': choice '%s' is listed twice"),
						    f->id, v->kids[i]->str);
				}
			if (!*ch[i]) {
				free(ch);
				return cp_yerr(doc, v->kids[i], _("field '%s': a choice must not be empty"),
					    f->id);
			}
			f->choices[f->nchoices++] = cp_xstrdup(ch[i]);
		}
		free(ch);
	}
	if (f->type == FT_CHOICE && !f->nchoices)
		return cp_yerr(doc, n, _("field '%s': type choice needs a non-empty 'choices' list"),
			    f->id);
	if ((v = cp_ymap_get(n, "required_at"))) {
		if ((r = cp_ynode_str(&s, doc, v, "field required_at")) < 0)
			return r;
		if (!strcmp(s, "new"))
			f->required_at = EV_NEW;
		else if (!strcmp(s, "resolve"))
			f->required_at = EV_RESOLVE;
		else if (!strcmp(s, "close"))
			f->required_at = EV_CLOSE;
		else
			return cp_yerr(doc, v, _("field '%s': required_at must be new, resolve or close, not '%s'"),
				    f->id, s);
	}
	return 0;
}

int cp_policy_load_fields(struct cp_policy *p, const struct cp_ydoc *doc,
			  const struct cp_ynode *n)
{
	size_t i, j;
	int r;

	if (!n)
		return 0;
	if (n->type != CP_Y_SEQ)
		return cp_yerr(doc, n, _("fields must be a list of {id, name, type, choices, required_at}"));
	p->fields = cp_xcalloc(n->n + 1, sizeof(*p->fields));
	for (i = 0; i < n->n; i++) {
		p->nfields = i + 1;
		if ((r = load_field(doc, n->kids[i], &p->fields[i])) < 0)
			return r;
		for (j = 0; j < i; j++)
			if (!strcmp(p->fields[j].id, p->fields[i].id))
				return cp_yerr(doc, n->kids[i], _("field '%s' is listed twice"),
					    p->fields[i].id);
	}
	return 0;
}

int cp_policy_load_roles(enum cp_role **out, size_t *count,
			 const struct cp_ydoc *doc, const struct cp_ynode *n, const char *what)
{
	const char **names;
	size_t i, j, k;
	int r;

	if ((r = cp_ynode_strlist(&names, &k, doc, n, what)) < 0)
		return r;
	*out = cp_xcalloc(k + 1, sizeof(**out));
	*count = 0;
	for (i = 0; i < k; i++) {
		enum cp_role role;

		if (!strcmp(names[i], "leader"))
			role = ROLE_LEADER;
		else if (!strcmp(names[i], "director"))
			role = ROLE_DIRECTOR;
		else if (!strcmp(names[i], "head"))
			role = ROLE_HEAD;
		else {
			free(names);
			return cp_yerr(doc, n->kids[i], _("%s: unknown role '%s' (leader, director or head)"),
				    what, n->kids[i]->str);
		}
		for (j = 0; j < *count; j++)
			if ((*out)[j] == role) {
				free(names);
				return cp_yerr(doc, n->kids[i], _("%s: role '%s' is listed twice"), what,
					    n->kids[i]->str);
			}
		(*out)[(*count)++] = role;
	}
	free(names);
	return 0;
}

int cp_policy_load_measures(struct cp_policy *p, const struct cp_ydoc *doc,
			    const struct cp_ynode *n)
{
	static const char *const keys[] = { "approvals", NULL };
	const struct cp_ynode *v;
	int r;

	if (!n)
		return 0;
	if ((r = cp_ymap_check_keys(doc, n, "measures", keys)) < 0)
		return r;
	if ((v = cp_ymap_get(n, "approvals")))
		return cp_policy_load_roles(&p->measure_approvals, &p->nmeasure_approvals, doc,
					    v, "measures.approvals");
	return 0;
}

void cp_policy_free_fields(struct cp_policy *p)
{
	size_t i, j;

	for (i = 0; i < p->nfields; i++) {
		free(p->fields[i].id);
		free(p->fields[i].name);
		for (j = 0; j < p->fields[i].nchoices; j++)
			free(p->fields[i].choices[j]);
		free(p->fields[i].choices);
	}
	free(p->fields);
	free(p->measure_approvals);
}
