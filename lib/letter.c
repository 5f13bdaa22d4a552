/*
 * letter.c - fill a letter template: {{name}} and {{name|filter}}
 * placeholders replaced by the case's facts (complaint-letter(1)).
 */
#include <stdio.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/letter.h"
#include "complaint/money.h"
#include "complaint/input.h"
#include "complaint/i18n.h"

bool cp_letter_name_valid(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
		      (name[n] >= '0' && name[n] <= '9') || name[n] == '_' || name[n] == '-'))
			return false;
	return n >= 1 && n <= 64;
}

/* The last resolve (by time; the file's last among equal times), or NULL. */
static const struct cp_event *last_resolve(const struct cp_case *c)
{
	const struct cp_event *best = NULL;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == EV_RESOLVE && !cp_event_impossible(c, e) &&
		    (!best || e->at >= best->at))
			best = e;
	}
	return best;
}

struct fill {
	const char *name;
	const struct cp_case *c;
	const struct cp_policy *p;
	cp_time now;
	int line;
};

/* A time value: "" (the time), "date" or "date_zh". */
static int put_time(struct cp_sbuf *out, const struct cp_tz *z, cp_time t, const char *filter)
{
	char b[CP_TIME_BUF];
	int y, m, d;

	if (!*filter) {
		cp_time_fmt(b, z, t);
		cp_sbuf_adds(out, b);
		return 0;
	}
	cp_civil_from_days(&y, &m, &d, cp_local_day(z, t));
	if (!strcmp(filter, "date"))
		cp_sbuf_addf(out, "%04d-%02d-%02d", y, m, d);
	else if (!strcmp(filter, "date_zh"))
		cp_sbuf_addf(out, "%d\xe5\xb9\xb4%d\xe6\x9c\x88%d\xe6\x97\xa5", y, m, d);	/* 年 月 日 */
	else
		return 1;
	return 0;
}

/* What a case lacks for a placeholder, and the event (and its field) that gives it. */
struct gap {
	const char *what, *event;
	int field;		/* enum cp_input, or -1 */
};

/*
 * Put the value of key (with filter, "" for none).  0 done, 1 unknown
 * key or filter, 2 known but the case has no value for it (what is
 * missing in *missing).
 */
static int value(const struct fill *f, const char *key, const char *filter,
		 struct cp_sbuf *out, struct gap *missing)
{
	const struct cp_case *c = f->c;
	const struct cp_event *res = last_resolve(c);
	const char *s = NULL;
	size_t i;
	static const struct {
		const char *key, *what;
		size_t off;
	} facts[] = {
		{ "summary", N_("summary"), offsetof(struct cp_case, summary) },
		{ "description", N_("description"), offsetof(struct cp_case, description) },
		{ "customer.name", N_("customer name"), offsetof(struct cp_case, customer) },
		{ "customer.contact", N_("customer contact"), offsetof(struct cp_case, contact) },
		{ "channel", N_("channel"), offsetof(struct cp_case, channel) },
		{ "category", N_("category"), offsetof(struct cp_case, category) },
		{ "kind", N_("kind"), offsetof(struct cp_case, kind) },
	};

	if (!strcmp(key, "received_at"))
		return put_time(out, f->p->tz, c->received, filter);
	if (!strcmp(key, "today"))
		return put_time(out, f->p->tz, f->now, filter);
	if (*filter)
		return 1;
	*missing = (struct gap){ key, NULL, -1 };
	if (!strcmp(key, "id")) {
		s = c->id;
	} else if (!strcmp(key, "severity")) {
		s = f->p->levels[c->d.level].name ? f->p->levels[c->d.level].name
						   : f->p->levels[c->d.level].id;
	} else if (!strcmp(key, "department")) {
		s = c->d.department;
		*missing = (struct gap){ N_("department"), "assign", -1 };
	} else if (!strcmp(key, "responsible")) {
		*missing = (struct gap){ N_("responsible person"), "assign", CP_INPUT_RESPONSIBLE };
		if (!c->d.responsible || !*c->d.responsible)
			return 2;
		cp_names_join(out, c->d.responsible, "\xe3\x80\x81");	/* 、 */
		return 0;
	} else if (!strncmp(key, "fields.", 7)) {
		/* a field of the policy's form, or one the case still holds */
		if (!cp_policy_field(f->p, key + 7) && !cp_case_field(c, key + 7))
			return 1;
		s = cp_case_field(c, key + 7);
		*missing = (struct gap){ N_("value in that field"), "set", CP_INPUT_FIELD };
	} else if (!strcmp(key, "amount")) {
		if (!c->has_amount) {
			*missing = (struct gap){ N_("amount"), "new", CP_INPUT_AMOUNT };
			return 2;
		}
		cp_money_fmt(out, c->amount);
		return 0;
	} else if (!strcmp(key, "resolve.text") || !strcmp(key, "resolve.cause") ||
		   !strcmp(key, "resolve.measure")) {
		*missing = !strcmp(key, "resolve.text") ? (struct gap){ N_("resolve"), NULL, -1 } :
			   !strcmp(key, "resolve.cause") ? (struct gap){ N_("cause"), "resolve", CP_INPUT_CAUSE } :
							   (struct gap){ N_("measure"), "resolve", CP_INPUT_ACTION };
		if (res)
			s = key[8] == 't' ? res->text : key[8] == 'c' ? res->cause : res->measure;
	} else if (!strcmp(key, "compensation")) {
		cp_money total = 0;
		bool any = false;

		for (i = 0; i < c->nevents; i++)
			if (c->events[i].action == EV_RESOLVE && c->events[i].compensation >= 0 &&
			    !cp_event_impossible(c, &c->events[i])) {
				total += c->events[i].compensation;
				any = true;
			}
		if (!any) {
			*missing = (struct gap){ N_("compensation"), "resolve", CP_INPUT_COMPENSATION };
			return 2;
		}
		cp_money_fmt(out, total);
		return 0;
	} else {
		for (i = 0; i < sizeof(facts) / sizeof(*facts); i++)
			if (!strcmp(key, facts[i].key))
				break;
		if (i == sizeof(facts) / sizeof(*facts))
			return 1;
		s = *(char *const *)((const char *)c + facts[i].off);
		*missing = (struct gap){ facts[i].what, NULL, -1 };
	}
	if (!s || !*s)
		return 2;
	cp_sbuf_adds(out, s);
	return 0;
}

static void trim(const char **a, const char **b)
{
	while (*a < *b && (**a == ' ' || **a == '\t'))
		(*a)++;
	while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t'))
		(*b)--;
}

static int placeholder(struct fill *f, const char *a, const char *b, struct cp_sbuf *out)
{
	char key[128], filter[32] = "";
	const char *bar = memchr(a, '|', (size_t)(b - a)), *ke = bar ? bar : b;
	struct gap missing = { NULL, NULL, -1 };
	char lack[256];
	int r;

	trim(&a, &ke);
	if (ke - a <= 0 || (size_t)(ke - a) >= sizeof(key))
		return cp_error(CP_EDATA, _("template %s, line %d: empty or overlong placeholder"),
				f->name, f->line);
	memcpy(key, a, (size_t)(ke - a));
	key[ke - a] = 0;
	if (bar) {
		const char *fa = bar + 1, *fb = b;

		trim(&fa, &fb);
		if (fb - fa <= 0 || (size_t)(fb - fa) >= sizeof(filter))
			return cp_error(CP_EDATA, _("template %s, line %d: {{%s|}} names no filter"),
					f->name, f->line, key);
		memcpy(filter, fa, (size_t)(fb - fa));
		filter[fb - fa] = 0;
	}
	r = value(f, key, filter, out, &missing);
	if (r == 1)
		return cp_error(CP_EDATA, _("template %s, line %d: unknown placeholder {{%s%s%s}}"),
				f->name, f->line, key, *filter ? "|" : "", filter);
	if (r == 2) {
		/* "responsible person (assign --responsible)": the event, and its field */
		if (missing.event)
			snprintf(lack, sizeof(lack), "%s (%s%s%s)", _(missing.what), missing.event,
				 missing.field >= 0 ? " " : "",
				 missing.field >= 0 ? cp_input_name((enum cp_input)missing.field) : "");
		else
			snprintf(lack, sizeof(lack), "%s", missing.what ? _(missing.what) : key);
		return cp_error(CP_ERULE, _("template %s, line %d: {{%s}}: case %s has no %s yet"),
				f->name, f->line, key, f->c->id, lack);
	}
	return 0;
}

int cp_letter_fill(struct cp_sbuf *out, const char *name, const char *text,
		   size_t len, const struct cp_case *c, const struct cp_policy *p,
		   cp_time now)
{
	struct fill f = { name, c, p, now, 1 };
	const char *s = text, *end = text + len, *open, *close;
	size_t start = out->len;
	int r;

	if (len >= 4 && !memcmp(s, "<!--", 4) && (close = strstr(s, "-->")) && close < end) {
		for (; s < close + 3; s++)
			if (*s == '\n')
				f.line++;
		while (s < end && (*s == '\n' || *s == '\r')) {
			if (*s == '\n')
				f.line++;
			s++;
		}
	}
	while (s < end) {
		open = strstr(s, "{{");
		if (!open || open >= end) {
			cp_sbuf_add(out, s, (size_t)(end - s));
			break;
		}
		for (; s < open; s++) {
			if (*s == '\n')
				f.line++;
			cp_sbuf_addch(out, *s);
		}
		close = strstr(open + 2, "}}");
		if (!close || close >= end || memchr(open + 2, '\n', (size_t)(close - open - 2))) {
			r = cp_error(CP_EDATA, _("template %s, line %d: '{{' without '}}' on its line"),
				     name, f.line);
			goto fail;
		}
		if ((r = placeholder(&f, open + 2, close, out)) < 0)
			goto fail;
		s = close + 2;
	}
	return 0;
fail:
	cp_sbuf_setlen(out, start);
	return r;
}
