/*
 * roster.c - the roster's people (name, email, SSH public keys) and its
 * admins, who may change policy.yaml and org.yaml (SPEC section 12).
 *
 *   people:
 *     - {name: 王五, email: wangwu@example.com, keys: ["ssh-ed25519 AAAA… wangwu"]}
 *   admins: [陈总]
 *
 * Names are people (normal form, as every name of the roster).  A key
 * is kept as "TYPE BASE64" without its comment, so that one key is one
 * string whatever comment a .pub file gave it; a key may belong to one
 * person only, and an admin must be one of the people.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/sshsig.h"
#include "roster.h"
#include "complaint/i18n.h"

void cp_roster_free(struct cp_org *o)
{
	size_t i, j;

	for (i = 0; i < o->npeople; i++) {
		struct cp_person *p = &o->people[i];

		free(p->name);
		free(p->email);
		for (j = 0; j < p->nkeys; j++)
			free(p->keys[j]);
		free(p->keys);
	}
	free(o->people);
	for (i = 0; i < o->nadmins; i++)
		free(o->admins[i]);
	free(o->admins);
	o->people = NULL;
	o->admins = NULL;
	o->npeople = o->nadmins = 0;
}

/* An email as git writes it in a commit: no angle brackets, white space or controls. */
static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' || *s == 0x7f)
			return false;
	return true;
}

static int load_keys(const struct cp_ydoc *doc, const struct cp_ynode *n, struct cp_person *p)
{
	size_t i;
	int r;

	if (n->type != CP_Y_SEQ)
		return cp_yerr(doc, n, _("keys must be a list of SSH public keys (\"ssh-ed25519 AAAA... comment\")"));
	p->keys = cp_xcalloc(n->n + 1, sizeof(char *));
	for (i = 0; i < n->n; i++) {
		const char *s;
		struct cp_sshkey k;
		struct cp_sbuf line = CP_SBUF_INIT;

		if ((r = cp_ynode_str(&s, doc, n->kids[i], "a key")) < 0)
			return r;
		if (cp_sshkey_parse(&k, s) < 0)
			return cp_yerr(doc, n->kids[i], _("a key of %s: %s"), p->name, cp_errmsg());
		cp_sshkey_line(&line, k.blob, k.len);
		cp_sshkey_release(&k);
		p->keys[p->nkeys++] = cp_sbuf_detach(&line, NULL);
	}
	return 0;
}

static int load_person(const struct cp_ydoc *doc, const struct cp_ynode *n, struct cp_person *p)
{
	static const char *const keys[] = { "name", "email", "keys", NULL };
	const struct cp_ynode *f;
	const char *s;
	int r;

	if ((r = cp_ymap_check_keys(doc, n, _("a person"), keys)) < 0)
		return r;
	if (!(f = cp_ymap_get(n, "name")))
		return cp_yerr(doc, n, _("a person has no 'name'"));
	if ((r = cp_ynode_name(&p->name, NULL, doc, f, "a person's name")) < 0)
		return r;
	if ((f = cp_ymap_get(n, "email"))) {
		if ((r = cp_ynode_str(&s, doc, f, "email")) < 0)
			return r;
		if (!email_ok(s))
			return cp_yerr(doc, f, _("the email of %s is not an email address (name@domain, no spaces or <>)"),
				    p->name);
		p->email = cp_xstrdup(s);
	}
	if ((f = cp_ymap_get(n, "keys")) && (r = load_keys(doc, f, p)) < 0)
		return r;
	return 0;
}

static int load_people(const struct cp_ydoc *doc, const struct cp_ynode *v, struct cp_org *o)
{
	size_t i, j, k, l;
	int r;

	if (v->type != CP_Y_SEQ)
		return cp_yerr(doc, v, _("people must be a list of {name, email, keys}"));
	o->people = cp_xcalloc(v->n + 1, sizeof(*o->people));
	for (i = 0; i < v->n; i++) {
		struct cp_person *p = &o->people[i];

		o->npeople = i + 1;
		if ((r = load_person(doc, v->kids[i], p)) < 0)
			return r;
		for (j = 0; j < i; j++) {
			const struct cp_person *q = &o->people[j];

			if (!strcmp(q->name, p->name))
				return cp_yerr(doc, v->kids[i], _("person '%s' is listed twice"), p->name);
			if (q->email && p->email && !strcmp(q->email, p->email))
				return cp_yerr(doc, v->kids[i], _("%s and %s have the same email %s"),
					    q->name, p->name, p->email);
			for (k = 0; k < p->nkeys; k++)
				for (l = 0; l < q->nkeys; l++)
					if (!strcmp(p->keys[k], q->keys[l]))
						return cp_yerr(doc, v->kids[i],
							    _("%s and %s have the same key (a key names one person)"),
							    q->name, p->name);
		}
	}
	return 0;
}

int cp_roster_load(struct cp_org *o, const struct cp_ydoc *doc, const struct cp_ynode *root)
{
	const struct cp_ynode *v;
	size_t i, j;
	int r;

	if ((v = cp_ymap_get(root, "people")) && (r = load_people(doc, v, o)) < 0)
		return r;
	if (!(v = cp_ymap_get(root, "admins")))
		return 0;
	if (v->type != CP_Y_SEQ)
		return cp_yerr(doc, v, _("admins must be a list of names of people"));
	o->admins = cp_xcalloc(v->n + 1, sizeof(char *));
	for (i = 0; i < v->n; i++) {
		if ((r = cp_ynode_name(&o->admins[i], NULL, doc, v->kids[i], "an admin")) < 0)
			return r;
		o->nadmins = i + 1;
		if (!cp_org_person(o, o->admins[i]))
			return cp_yerr(doc, v->kids[i],
				    _("admin '%s' is not in people (an admin signs with a key listed there)"),
				    o->admins[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(o->admins[j], o->admins[i]))
				return cp_yerr(doc, v->kids[i], _("admin '%s' is listed twice"), o->admins[i]);
	}
	return 0;
}

const struct cp_person *cp_org_person(const struct cp_org *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->npeople; i++)
		if (!strcmp(o->people[i].name, name))
			return &o->people[i];
	return NULL;
}

const struct cp_person *cp_org_person_by_email(const struct cp_org *o, const char *email)
{
	size_t i;

	for (i = 0; i < o->npeople; i++)
		if (o->people[i].email && !strcmp(o->people[i].email, email))
			return &o->people[i];
	return NULL;
}

const struct cp_person *cp_org_key_owner(const struct cp_org *o, const char *key)
{
	size_t i, k;

	for (i = 0; i < o->npeople; i++)
		for (k = 0; k < o->people[i].nkeys; k++)
			if (!strcmp(o->people[i].keys[k], key))
				return &o->people[i];
	return NULL;
}

bool cp_org_is_admin(const struct cp_org *o, const char *person)
{
	size_t i;

	for (i = 0; i < o->nadmins; i++)
		if (!strcmp(o->admins[i], person))
			return true;
	return false;
}
