/*
 * case_codec.c - a parsed case in the cache's compact binary form: the
 * encoder, the decoder (in place: strings point into the bytes), the
 * comparison that proves a round trip, and the checksum of a record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case_codec.h"
#include "complaint/error.h"

#define P1 0x9E3779B185EBCA87ULL

#define P2 0xC2B2AE3D27D4EB4FULL

#define P3 0x165667B19E3779F9ULL

static uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static uint64_t mix(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

uint64_t cp_hash64(const void *data, size_t n)
{
	const unsigned char *p = data, *end = p + n;
	uint64_t a = P1 + P2, b = P2, c = 0, d = (uint64_t)0 - P1, h, w;

	while (end - p >= 32) {
		memcpy(&w, p, 8); a = mix(a, w);
		memcpy(&w, p + 8, 8); b = mix(b, w);
		memcpy(&w, p + 16, 8); c = mix(c, w);
		memcpy(&w, p + 24, 8); d = mix(d, w);
		p += 32;
	}
	h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + (uint64_t)n;
	while (end - p >= 8) {
		memcpy(&w, p, 8);
		h ^= mix(0, w);
		h = rotl(h, 27) * P1 + P3;
		p += 8;
	}
	while (p < end) {
		h ^= (uint64_t)*p++ * P3;
		h = rotl(h, 11) * P1;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

static void put_varint(struct cp_sbuf *o, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	cp_sbuf_add(o, b, n);
}

static void put_str(struct cp_sbuf *o, const char *s)
{
	size_t n;

	if (!s) {
		put_varint(o, 0);
		return;
	}
	n = strlen(s);
	put_varint(o, n + 1);
	cp_sbuf_add(o, s, n + 1);
}

static void put_i64(struct cp_sbuf *o, int64_t v)
{
	cp_sbuf_add(o, &v, 8);
}

static void put_u8(struct cp_sbuf *o, unsigned v)
{
	unsigned char b = (unsigned char)v;

	cp_sbuf_add(o, &b, 1);
}

void cp_case_encode(struct cp_sbuf *o, const char *path, const struct cp_case *c)
{
	size_t i;

	put_str(o, path);
	put_str(o, c->id);
	put_i64(o, c->received);
	put_str(o, c->channel);
	put_str(o, c->kind);
	put_str(o, c->category);
	put_str(o, c->customer);
	put_str(o, c->contact);
	put_str(o, c->summary);
	put_str(o, c->description);
	put_str(o, c->scope);
	put_u8(o, c->has_amount);
	put_i64(o, c->amount);
	put_varint(o, c->nflags);
	for (i = 0; i < c->nflags; i++)
		put_str(o, c->flags[i]);
	put_varint(o, c->nrefs);
	for (i = 0; i < c->nrefs; i++)
		put_str(o, c->refs[i]);
	put_varint(o, c->nfields);
	for (i = 0; i < c->nfields; i++) {
		put_str(o, c->field_ids[i]);
		put_str(o, c->field_vals[i]);
	}
	put_str(o, c->stored.status);
	put_str(o, c->stored.severity);
	put_str(o, c->stored.department);
	put_str(o, c->stored.responsible);
	put_str(o, c->stored.head);
	put_str(o, c->stored.leader);
	put_str(o, c->stored.with);
	put_varint(o, c->stored.ndeadlines);
	for (i = 0; i < c->stored.ndeadlines; i++) {
		put_u8(o, c->stored.deadlines[i].event);
		put_i64(o, c->stored.deadlines[i].at);
	}
	put_varint(o, c->nevents);
	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		put_i64(o, e->at);
		put_u8(o, e->action);
		put_str(o, e->by);
		put_str(o, e->department);
		put_str(o, e->responsible);
		put_str(o, e->head);
		put_str(o, e->leader);
		put_str(o, e->role);
		put_str(o, e->severity);
		put_str(o, e->person);
		put_str(o, e->text);
		put_str(o, e->cause);
		put_str(o, e->measure);
		put_str(o, e->reason);
		put_str(o, e->template);
		put_str(o, e->with);
		put_str(o, e->party);
		put_str(o, e->ref);
		put_str(o, e->field);
		put_str(o, e->old);
		put_str(o, e->value);
		put_str(o, e->owner);
		put_str(o, e->due);
		put_i64(o, e->compensation);
		put_i64(o, e->points);
		put_u8(o, (unsigned)(e->satisfied + 1));
	}
	/* exact copies of events the parser dropped (case.h) */
	put_varint(o, c->ndup);
	if (c->ndup) {
		put_varint(o, c->dup_index);
		put_varint(o, c->dup_of);
		put_varint(o, (uint64_t)(c->dup_line > 0 ? c->dup_line : 0));
		put_i64(o, c->dup_at);
		put_u8(o, c->dup_action);
	}
}

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t get_varint(struct rd *r)
{
	uint64_t v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 63) {
		unsigned char b = *r->p++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
	r->bad = true;
	return 0;
}

static char *get_str(struct rd *r)
{
	uint64_t v = get_varint(r);
	const unsigned char *s = r->p;

	if (!v || r->bad)
		return NULL;
	if (v > (uint64_t)(r->end - r->p) || s[v - 1] != '\0') {
		r->bad = true;
		return NULL;
	}
	r->p += v;
	return (char *)s;
}

/* A string the parser always gives. */
static char *get_req(struct rd *r)
{
	char *s = get_str(r);

	if (!s)
		r->bad = true;
	return s;
}

static int64_t get_i64(struct rd *r)
{
	int64_t v = 0;

	if (r->end - r->p < 8) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, 8);
	r->p += 8;
	return v;
}

static unsigned get_u8(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

/*
 * Decode a payload in place: strings point into buf; flags and events go
 * to the growable arrays given.
 */
int cp_case_decode_into(struct cp_case *c, const char **path, char ***flags,
		  size_t *aflags, struct cp_event **ev, size_t *aev,
		  struct cp_p2bufs *b, const unsigned char *buf, size_t len)
{
	struct rd r = { buf, buf + len, false };
	const char *id;
	uint64_t n, i;

	memset(c, 0, sizeof(*c));
	*path = get_req(&r);
	id = get_req(&r);
	if (r.bad || strlen(id) > CP_ID_MAX)
		return -1;
	strcpy(c->id, id);
	c->received = get_i64(&r);
	c->channel = get_req(&r);
	c->kind = get_str(&r);
	c->category = get_req(&r);
	c->customer = get_req(&r);
	c->contact = get_str(&r);
	c->summary = get_req(&r);
	c->description = get_str(&r);
	c->scope = get_str(&r);
	c->has_amount = get_u8(&r) != 0;
	c->amount = get_i64(&r);
	n = get_varint(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p))
		return -1;
	if (n) {
		ALLOC_GROW(*flags, n + 1, *aflags);
		for (i = 0; i < n; i++)
			(*flags)[i] = get_req(&r);
		(*flags)[n] = NULL;
		c->flags = *flags;
	}
	c->nflags = n;
	/* refs and fields: pointers into buf, in the caller's growable arrays */
	n = get_varint(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p))
		return -1;
	ALLOC_GROW(b->refs, n + 1, b->arefs);
	c->refs = b->refs;
	for (i = 0; i < n; i++)
		c->refs[i] = get_req(&r);
	c->nrefs = n;
	n = get_varint(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p) / 2)
		return -1;
	ALLOC_GROW(b->ids, n + 1, b->aids);
	ALLOC_GROW(b->vals, n + 1, b->avals);
	c->field_ids = b->ids;
	c->field_vals = b->vals;
	for (i = 0; i < n; i++) {
		c->field_ids[i] = get_req(&r);
		c->field_vals[i] = get_req(&r);
	}
	c->nfields = n;
	c->stored.status = get_str(&r);
	c->stored.severity = get_str(&r);
	c->stored.department = get_str(&r);
	c->stored.responsible = get_str(&r);
	c->stored.head = get_str(&r);
	c->stored.leader = get_str(&r);
	c->stored.with = get_str(&r);
	n = get_varint(&r);
	if (r.bad || n > EV__COUNT)
		return -1;
	c->stored.ndeadlines = n;
	for (i = 0; i < n; i++) {
		unsigned e = get_u8(&r);

		if (e >= EV__COUNT)
			return -1;
		c->stored.deadlines[i].event = (enum cp_evt)e;
		c->stored.deadlines[i].at = get_i64(&r);
	}
	n = get_varint(&r);
	if (r.bad || !n || n > CP_MAX_EVENTS || n > (uint64_t)(r.end - r.p) / 29)
		return -1;
	ALLOC_GROW(*ev, n, *aev);
	c->events = *ev;
	c->nevents = c->alloc = n;
	for (i = 0; i < n; i++) {
		struct cp_event *e = &c->events[i];
		unsigned a, sat;

		e->at = get_i64(&r);
		a = get_u8(&r);
		if (a >= EV__COUNT)
			return -1;
		e->action = (enum cp_evt)a;
		e->by = get_req(&r);
		e->department = get_str(&r);
		e->responsible = get_str(&r);
		e->head = get_str(&r);
		e->leader = get_str(&r);
		e->role = get_str(&r);
		e->severity = get_str(&r);
		e->person = get_str(&r);
		e->text = get_str(&r);
		e->cause = get_str(&r);
		e->measure = get_str(&r);
		e->reason = get_str(&r);
		e->template = get_str(&r);
		e->with = get_str(&r);
		e->party = get_str(&r);
		e->ref = get_str(&r);
		e->field = get_str(&r);
		e->old = get_str(&r);
		e->value = get_str(&r);
		e->owner = get_str(&r);
		e->due = get_str(&r);
		e->compensation = get_i64(&r);
		e->points = get_i64(&r);
		sat = get_u8(&r);
		if (sat > 2)
			return -1;
		e->satisfied = (int)sat - 1;
		if (r.bad)
			return -1;
	}
	c->ndup = get_varint(&r);
	if (c->ndup) {
		unsigned a;

		c->dup_index = get_varint(&r);
		c->dup_of = get_varint(&r);
		c->dup_line = (int)(get_varint(&r) & 0x7fffffff);
		c->dup_at = get_i64(&r);
		a = get_u8(&r);
		if (a >= EV__COUNT || c->ndup > CP_MAX_EVENTS)
			return -1;
		c->dup_action = (enum cp_evt)a;
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? cp_xstrdup(s) : NULL;
}

int cp_case_decode(struct cp_case **out, char **path, const char *buf, size_t len)
{
	struct cp_case v, *c;
	const char *p;
	char **flags = NULL;
	struct cp_event *ev = NULL;
	size_t af = 0, ae = 0, i;
	struct cp_p2bufs b;

	*out = NULL;
	*path = NULL;
	memset(&b, 0, sizeof(b));
	if (cp_case_decode_into(&v, &p, &flags, &af, &ev, &ae, &b, (const unsigned char *)buf,
				len) < 0) {
		free(b.refs);
		free(b.ids);
		free(b.vals);
		free(flags);
		free(ev);
		return -1;
	}
	c = cp_case_new();
	strcpy(c->id, v.id);
	c->received = v.received;
	c->channel = dup_or_null(v.channel);
	c->kind = dup_or_null(v.kind);
	c->category = dup_or_null(v.category);
	c->customer = dup_or_null(v.customer);
	c->contact = dup_or_null(v.contact);
	c->summary = dup_or_null(v.summary);
	c->description = dup_or_null(v.description);
	c->scope = dup_or_null(v.scope);
	c->has_amount = v.has_amount;
	c->amount = v.amount;
	if (v.nflags) {
		c->flags = cp_xcalloc(v.nflags + 1, sizeof(char *));
		for (i = 0; i < v.nflags; i++)
			c->flags[i] = cp_xstrdup(v.flags[i]);
	}
	c->nflags = v.nflags;
	c->refs = cp_xcalloc(v.nrefs + 1, sizeof(char *));
	for (i = 0; i < v.nrefs; i++)
		c->refs[i] = cp_xstrdup(v.refs[i]);
	c->nrefs = v.nrefs;
	c->field_ids = cp_xcalloc(v.nfields + 1, sizeof(char *));
	c->field_vals = cp_xcalloc(v.nfields + 1, sizeof(char *));
	for (i = 0; i < v.nfields; i++) {
		c->field_ids[i] = cp_xstrdup(v.field_ids[i]);
		c->field_vals[i] = cp_xstrdup(v.field_vals[i]);
	}
	c->nfields = v.nfields;
	free(b.refs);
	free(b.ids);
	free(b.vals);
	c->stored.status = dup_or_null(v.stored.status);
	c->stored.severity = dup_or_null(v.stored.severity);
	c->stored.department = dup_or_null(v.stored.department);
	c->stored.responsible = dup_or_null(v.stored.responsible);
	c->stored.head = dup_or_null(v.stored.head);
	c->stored.leader = dup_or_null(v.stored.leader);
	c->stored.with = dup_or_null(v.stored.with);
	c->stored.ndeadlines = v.stored.ndeadlines;
	memcpy(c->stored.deadlines, v.stored.deadlines, sizeof(v.stored.deadlines));
	for (i = 0; i < v.nevents; i++)
		cp_case_add_event(c, &v.events[i]);
	c->ndup = v.ndup;
	c->dup_index = v.dup_index;
	c->dup_of = v.dup_of;
	c->dup_line = v.dup_line;
	c->dup_at = v.dup_at;
	c->dup_action = v.dup_action;
	*path = cp_xstrdup(p);
	*out = c;
	free(flags);
	free(ev);
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool cp_case_same(const struct cp_case *a, const struct cp_case *b)
{
	size_t i;

	if (strcmp(a->id, b->id) || a->received != b->received ||
	    !same_str(a->channel, b->channel) || !same_str(a->kind, b->kind) ||
	    !same_str(a->category, b->category) || !same_str(a->customer, b->customer) ||
	    !same_str(a->contact, b->contact) || !same_str(a->summary, b->summary) ||
	    !same_str(a->description, b->description) || !same_str(a->scope, b->scope) ||
	    a->has_amount != b->has_amount || a->amount != b->amount ||
	    a->nflags != b->nflags || a->nevents != b->nevents ||
	    !same_str(a->stored.status, b->stored.status) ||
	    !same_str(a->stored.severity, b->stored.severity) ||
	    !same_str(a->stored.department, b->stored.department) ||
	    !same_str(a->stored.responsible, b->stored.responsible) ||
	    !same_str(a->stored.head, b->stored.head) ||
	    !same_str(a->stored.leader, b->stored.leader) ||
	    !same_str(a->stored.with, b->stored.with) ||
	    a->stored.ndeadlines != b->stored.ndeadlines ||
	    a->ndup != b->ndup || a->dup_index != b->dup_index ||
	    a->dup_of != b->dup_of || a->dup_line != b->dup_line ||
	    (a->ndup && (a->dup_at != b->dup_at || a->dup_action != b->dup_action)))
		return false;
	for (i = 0; i < a->nflags; i++)
		if (!same_str(a->flags[i], b->flags[i]))
			return false;
	if (a->nrefs != b->nrefs || a->nfields != b->nfields)
		return false;
	for (i = 0; i < a->nrefs; i++)
		if (!same_str(a->refs[i], b->refs[i]))
			return false;
	for (i = 0; i < a->nfields; i++)
		if (!same_str(a->field_ids[i], b->field_ids[i]) ||
		    !same_str(a->field_vals[i], b->field_vals[i]))
			return false;
	for (i = 0; i < a->stored.ndeadlines; i++)
		if (a->stored.deadlines[i].event != b->stored.deadlines[i].event ||
		    a->stored.deadlines[i].at != b->stored.deadlines[i].at)
			return false;
	for (i = 0; i < a->nevents; i++)
		if (!cp_event_same(&a->events[i], &b->events[i]))
			return false;
	return true;
}

const char *cp_case_payload_path(const unsigned char *buf, size_t len)
{
	struct rd r = { buf, buf + len, false };
	const char *path = get_req(&r);

	return r.bad ? NULL : path;
}
