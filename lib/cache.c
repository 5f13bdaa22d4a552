/*
 * cache.c - the derived cache of parsed cases (see cache.h for the layout).
 *
 * Reading: the file is mapped; an id is found through the fanout and the
 * sorted table (or the small hash of appended records), its checksum is
 * checked and the payload decoded in place: the strings of the case point
 * into the mapping, so a hit costs no copy and no malloc.  Walks meet the
 * records in path order, the order they are stored in, so pages already
 * read are let go as the walk moves on and the resident size stays small.
 *
 * Writing: entries for files parsed in a run are appended to the file in
 * one write each 4 MB; when there is no usable file, a new one is
 * streamed to a temporary file and renamed into place.  When appended
 * entries grow past a quarter of the sorted ones, or a bad entry was met,
 * the file is rewritten sorted (entries nobody read are dropped then).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "complaint/error.h"
#include "fsutil.h"

#ifndef COMPLAINT_VERSION
#define COMPLAINT_VERSION "unknown"
#endif

#define MAGIC "CPCACHE"
#define BOM 0x01020304u
#define REC_MAGIC 0x52435043u	/* "CPCR" */
#define REC_HDR 36		/* magic, length, checksum, id */
#define FANOUT (256 * 4)
#define TENT 24			/* table entry: id, offset / 8 */
#define FLUSH_AT (4u << 20)
#define RELEASE_STEP ((size_t)8 << 20)

struct hdr {
	char magic[8];
	uint32_t bom, format;
	char version[32];
	char zone[64];
	uint64_t n;		/* sorted entries */
	uint64_t table;		/* offset of the fanout, then the table */
	uint64_t main_end;	/* end of the table: appended records follow */
	uint64_t sum;		/* of this header (sum 0), fanout and table */
};

struct tslot {
	unsigned char oid[20];
	bool used;
	uint64_t off;
};

struct cp_cache {
	char dir[PATH_MAX], path[PATH_MAX];
	char zone[64];
	bool write, valid;
	int shared;		/* core.sharedRepository, for the files made */
	/* the mapped file */
	unsigned char *map;
	size_t len;
	dev_t dev;
	ino_t ino;
	const struct hdr *h;
	const uint32_t *fanout;
	const unsigned char *table;
	struct tslot *tail;
	size_t tail_cap, tail_n;
	bool tail_bad;
	size_t released;	/* pages below this offset were let go */
	uint64_t next;		/* the record after the last one read: walks go in order */
	/* new entries */
	struct sbuf fresh;
	unsigned char *met;	/* ids read or written this run, 20 bytes each */
	size_t nmet, amet;
	int fd;			/* append fd, or the temporary file when building */
	char tmp[PATH_MAX];
	bool building;		/* streaming a new file into tmp */
	unsigned char *bids;	/* building: (id, offset / 8) table entries */
	size_t nbids, abids;
	uint64_t bpos;		/* building: bytes written */
	/* the walk */
	int from, to;
	size_t walked;
	/* the case handed out by cp_cache_get */
	struct cp_case view;
	char **vflags;
	size_t avflags;
	struct cp_event *vev;
	size_t avev;
	struct cp_cache_stats st;
};

/* ---- a 64-bit checksum, 8 bytes a step ---- */

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

static uint64_t hash64(const void *data, size_t n)
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

/* ---- the payload ---- */

static void put_varint(struct sbuf *o, uint64_t v)
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
	sbuf_add(o, b, n);
}

static void put_str(struct sbuf *o, const char *s)
{
	size_t n;

	if (!s) {
		put_varint(o, 0);
		return;
	}
	n = strlen(s);
	put_varint(o, n + 1);
	sbuf_add(o, s, n + 1);
}

static void put_i64(struct sbuf *o, int64_t v)
{
	sbuf_add(o, &v, 8);
}

static void put_u8(struct sbuf *o, unsigned v)
{
	unsigned char b = (unsigned char)v;

	sbuf_add(o, &b, 1);
}

void cp_case_encode(struct sbuf *o, const char *path, const struct cp_case *c)
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
	put_str(o, c->stored.status);
	put_str(o, c->stored.severity);
	put_str(o, c->stored.department);
	put_str(o, c->stored.responsible);
	put_str(o, c->stored.head);
	put_str(o, c->stored.leader);
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
static int decode(const unsigned char *buf, size_t len, struct cp_case *c,
		  const char **path, char ***flags, size_t *aflags,
		  struct cp_event **ev, size_t *aev)
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
	c->stored.status = get_str(&r);
	c->stored.severity = get_str(&r);
	c->stored.department = get_str(&r);
	c->stored.responsible = get_str(&r);
	c->stored.head = get_str(&r);
	c->stored.leader = get_str(&r);
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
	return s ? xstrdup(s) : NULL;
}

int cp_case_decode(const char *buf, size_t len, struct cp_case **out, char **path)
{
	struct cp_case v, *c;
	const char *p;
	char **flags = NULL;
	struct cp_event *ev = NULL;
	size_t af = 0, ae = 0, i;

	*out = NULL;
	*path = NULL;
	if (decode((const unsigned char *)buf, len, &v, &p, &flags, &af, &ev, &ae) < 0) {
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
		c->flags = xcalloc(v.nflags + 1, sizeof(char *));
		for (i = 0; i < v.nflags; i++)
			c->flags[i] = xstrdup(v.flags[i]);
	}
	c->nflags = v.nflags;
	c->stored.status = dup_or_null(v.stored.status);
	c->stored.severity = dup_or_null(v.stored.severity);
	c->stored.department = dup_or_null(v.stored.department);
	c->stored.responsible = dup_or_null(v.stored.responsible);
	c->stored.head = dup_or_null(v.stored.head);
	c->stored.leader = dup_or_null(v.stored.leader);
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
	*path = xstrdup(p);
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
	    a->stored.ndeadlines != b->stored.ndeadlines ||
	    a->ndup != b->ndup || a->dup_index != b->dup_index ||
	    a->dup_of != b->dup_of || a->dup_line != b->dup_line ||
	    (a->ndup && (a->dup_at != b->dup_at || a->dup_action != b->dup_action)))
		return false;
	for (i = 0; i < a->nflags; i++)
		if (!same_str(a->flags[i], b->flags[i]))
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

/* ---- records ---- */

static size_t rec_size(uint32_t len)
{
	return (REC_HDR + (size_t)len + 7) & ~(size_t)7;
}

/* Append one record (header, payload, padding) to out. */
static void make_record(struct sbuf *out, const unsigned char oid[20],
			const char *path, const struct cp_case *cs)
{
	size_t start = out->len, plen;
	uint32_t magic = REC_MAGIC, len;
	uint64_t sum = 0;

	sbuf_add(out, &magic, 4);
	sbuf_addchars(out, 0, 4 + 8);
	sbuf_add(out, oid, 20);
	cp_case_encode(out, path, cs);
	plen = out->len - start - REC_HDR;
	len = (uint32_t)plen;
	memcpy(out->buf + start + 4, &len, 4);
	sum = hash64(out->buf + start + 16, 20 + plen);
	memcpy(out->buf + start + 8, &sum, 8);
	sbuf_addchars(out, 0, rec_size(len) - REC_HDR - plen);
}

/*
 * The record at off: its payload and length when its header, id and
 * checksum hold (oid NULL: any id).
 */
static bool record_at(const struct cp_cache *c, uint64_t off, size_t limit,
		      const unsigned char *oid, const unsigned char **payload,
		      uint32_t *len)
{
	const unsigned char *r;
	uint32_t magic, n;
	uint64_t sum;

	if (off % 8 || off + REC_HDR > limit)
		return false;
	r = c->map + off;
	memcpy(&magic, r, 4);
	memcpy(&n, r + 4, 4);
	memcpy(&sum, r + 8, 8);
	if (magic != REC_MAGIC || n > limit - off - REC_HDR)
		return false;
	if (oid && memcmp(r + 16, oid, 20))
		return false;
	if (hash64(r + 16, 20 + (size_t)n) != sum)
		return false;
	*payload = r + REC_HDR;
	*len = n;
	return true;
}

/* ---- the appended records' hash ---- */

static size_t slot_of(const unsigned char *oid, size_t cap)
{
	uint64_t k;

	memcpy(&k, oid, 8);
	return (size_t)k & (cap - 1);
}

static void tail_add(struct cp_cache *c, const unsigned char *oid, uint64_t off)
{
	size_t i;

	if (2 * (c->tail_n + 1) > c->tail_cap) {
		struct tslot *old = c->tail;
		size_t oldcap = c->tail_cap, j;

		c->tail_cap = oldcap ? oldcap * 2 : 64;
		c->tail = xcalloc(c->tail_cap, sizeof(*c->tail));
		c->tail_n = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j].used)
				tail_add(c, old[j].oid, old[j].off);
		free(old);
	}
	for (i = slot_of(oid, c->tail_cap); c->tail[i].used;
	     i = (i + 1) & (c->tail_cap - 1))
		if (!memcmp(c->tail[i].oid, oid, 20))
			return;		/* the same bytes twice: one will do */
	memcpy(c->tail[i].oid, oid, 20);
	c->tail[i].off = off;
	c->tail[i].used = true;
	c->tail_n++;
}

static struct tslot *tail_find(struct cp_cache *c, const unsigned char *oid)
{
	size_t i;

	if (!c->tail_n)
		return NULL;
	for (i = slot_of(oid, c->tail_cap); c->tail[i].used;
	     i = (i + 1) & (c->tail_cap - 1))
		if (!memcmp(c->tail[i].oid, oid, 20))
			return &c->tail[i];
	return NULL;
}

/* ---- opening ---- */

void cp_cache_path(struct sbuf *out, const char *gitdir)
{
	sbuf_addf(out, "%scomplaint/cache", gitdir);
}

static void unmap(struct cp_cache *c)
{
	if (c->map)
		munmap(c->map, c->len);
	c->map = NULL;
	c->len = 0;
	c->h = NULL;
	c->valid = false;
	free(c->tail);
	c->tail = NULL;
	c->tail_cap = c->tail_n = 0;
	c->tail_bad = false;
}

static void fill_hdr(struct hdr *h, const char *zone)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, MAGIC, sizeof(MAGIC));
	h->bom = BOM;
	h->format = CP_CACHE_FORMAT;
	snprintf(h->version, sizeof(h->version), "%s", COMPLAINT_VERSION);
	snprintf(h->zone, sizeof(h->zone), "%s", zone);
}

static bool header_ok(struct cp_cache *c)
{
	struct hdr want, h;
	uint64_t tbl_end, sum;
	const uint32_t *fan;
	size_t i;
	uint32_t prev = 0;
	unsigned char *tmp;

	if (c->len < sizeof(struct hdr))
		return false;
	memcpy(&h, c->map, sizeof(h));
	fill_hdr(&want, c->zone);
	if (memcmp(h.magic, want.magic, sizeof(h.magic)) || h.bom != BOM ||
	    h.format != CP_CACHE_FORMAT || memcmp(h.version, want.version, sizeof(h.version)) ||
	    memcmp(h.zone, want.zone, sizeof(h.zone)))
		return false;
	if (h.n > c->len / TENT || h.table % 8 || h.table < sizeof(h) || h.table > c->len)
		return false;
	tbl_end = h.table + FANOUT + h.n * TENT;
	if (tbl_end > c->len || h.main_end != ((tbl_end + 7) & ~(uint64_t)7) ||
	    h.main_end > c->len)
		return false;
	/* the checksum covers the header (with sum 0), fanout and table */
	tmp = xmalloc(sizeof(h) + FANOUT + h.n * TENT);
	memcpy(tmp, &h, sizeof(h));
	memset(tmp + offsetof(struct hdr, sum), 0, 8);
	memcpy(tmp + sizeof(h), c->map + h.table, FANOUT + h.n * TENT);
	sum = hash64(tmp, sizeof(h) + FANOUT + h.n * TENT);
	free(tmp);
	if (sum != h.sum)
		return false;
	fan = (const uint32_t *)(c->map + h.table);
	for (i = 0; i < 256; i++) {
		if (fan[i] < prev)
			return false;
		prev = fan[i];
	}
	if (prev != h.n)
		return false;
	c->h = (const struct hdr *)c->map;
	c->fanout = fan;
	c->table = c->map + h.table + FANOUT;
	return true;
}

static void scan_tail(struct cp_cache *c)
{
	uint64_t off = c->h->main_end;

	while (off + REC_HDR <= c->len) {
		const unsigned char *r = c->map + off;
		uint32_t magic, n;

		memcpy(&magic, r, 4);
		memcpy(&n, r + 4, 4);
		if (magic != REC_MAGIC || n > c->len - off - REC_HDR)
			break;
		tail_add(c, r + 16, off);
		off += rec_size(n);
	}
	if (off != c->len)
		c->tail_bad = true;	/* a torn append: rewrite */
}

static void map_file(struct cp_cache *c)
{
	struct stat st;
	int fd;

	unmap(c);
	if (cp_open_file(c->path, &fd, &st, 1) != 0) {
		cp_error_clear();	/* missing or not a file: no cache */
		return;
	}
	if ((size_t)st.st_size < sizeof(struct hdr)) {
		close(fd);
		return;
	}
	c->len = (size_t)st.st_size;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->map = mmap(NULL, c->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		c->len = 0;
		return;
	}
	if (!header_ok(c))
		return;
	c->valid = true;
	c->released = 0;
	c->next = 0;
	scan_tail(c);
}

/* Temporary files of writers that died (killed during a first read): gone. */
static void remove_orphans(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];
	long pid;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "cache.tmp-%ld-", &pid) != 1 || pid <= 0 ||
		    (kill((pid_t)pid, 0) < 0 && errno == ESRCH) == false)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

struct cp_cache *cp_cache_open(const char *gitdir, int shared, const char *zone,
			       bool write)
{
	struct cp_cache *c = xcalloc(1, sizeof(*c));
	int r;

	snprintf(c->dir, sizeof(c->dir), "%scomplaint", gitdir);
	snprintf(c->path, sizeof(c->path), "%s/cache", c->dir);
	snprintf(c->zone, sizeof(c->zone), "%s", zone ? zone : "");
	if (zone && strlen(zone) >= sizeof(c->zone))
		write = false;	/* cannot be recorded: never cache (never hits either) */
	c->write = write;
	c->shared = shared;
	cp_umask();	/* read now, before the walk's threads start */
	c->fd = -1;
	c->fresh = (struct sbuf)SBUF_INIT;
	c->from = INT_MIN;
	c->to = INT_MAX;
	/* never through a symlink: neither read from nor written outside .git */
	if ((r = cp_private_dir(c->dir, shared, 0)) < 0) {
		cp_warn("%s", cp_errmsg());
		cp_error_clear();
		c->write = false;
		c->st.valid = false;
		return c;
	}
	if (r == 0)
		map_file(c);
	if (zone && strlen(zone) >= sizeof(c->zone))
		unmap(c);
	if (write)
		remove_orphans(c->dir);
	c->st.valid = c->valid;
	return c;
}

/* ---- lookups ---- */

static void met(struct cp_cache *c, const unsigned char *oid)
{
	if (!c->write)
		return;
	ALLOC_GROW(c->met, (c->nmet + 1) * 20, c->amet);
	memcpy(c->met + c->nmet * 20, oid, 20);
	c->nmet++;
}

static void release_behind(struct cp_cache *c, uint64_t off)
{
	size_t upto = (size_t)off & ~(size_t)4095;

	if (upto > c->released + RELEASE_STEP) {
		madvise(c->map + c->released, upto - c->released, MADV_DONTNEED);
		c->released = upto;
	}
}

static int decode_view(struct cp_cache *c, const unsigned char *payload,
		       uint32_t len, struct cp_case **out)
{
	const char *path;

	if (decode(payload, len, &c->view, &path, &c->vflags, &c->avflags, &c->vev,
		   &c->avev) < 0)
		return -1;
	*out = &c->view;
	return 0;
}

int cp_cache_get(struct cp_cache *c, const unsigned char oid[20],
		 struct cp_case **out)
{
	const unsigned char *payload;
	uint32_t len;
	size_t lo, hi;
	struct tslot *t;

	*out = NULL;
	if (!c->valid)
		goto miss;
	/* the walk reads files in path order, the order of the records */
	if (c->next && c->next + REC_HDR <= c->h->table &&
	    !memcmp(c->map + c->next + 16, oid, 20) &&
	    record_at(c, c->next, c->h->table, oid, &payload, &len) &&
	    decode_view(c, payload, len, out) == 0) {
		met(c, oid);
		release_behind(c, c->next);
		c->next += rec_size(len);
		c->st.hits++;
		return 0;
	}
	lo = oid[0] ? c->fanout[oid[0] - 1] : 0;
	hi = c->fanout[oid[0]];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const unsigned char *e = c->table + mid * TENT;
		int cmp = memcmp(e, oid, 20);

		if (cmp < 0) {
			lo = mid + 1;
		} else if (cmp > 0) {
			hi = mid;
		} else {
			uint32_t off8;

			memcpy(&off8, e + 20, 4);
			if (!record_at(c, (uint64_t)off8 * 8, c->h->table, oid, &payload, &len) ||
			    decode_view(c, payload, len, out) < 0) {
				c->st.corrupt++;
				goto miss;
			}
			met(c, oid);
			release_behind(c, (uint64_t)off8 * 8);
			c->next = (uint64_t)off8 * 8 + rec_size(len);
			c->st.hits++;
			return 0;
		}
	}
	if ((t = tail_find(c, oid))) {
		if (!record_at(c, t->off, c->len, oid, &payload, &len) ||
		    decode_view(c, payload, len, out) < 0) {
			c->st.corrupt++;
			goto miss;
		}
		met(c, oid);
		c->st.hits++;
		return 0;
	}
miss:
	c->st.misses++;
	return 1;
}

/* ---- writing ---- */

static int open_temp(struct cp_cache *c)
{
	int fd;

	if (cp_private_dir(c->dir, c->shared, 1) < 0) {
		cp_warn("%s", cp_errmsg());
		cp_error_clear();
		c->tmp[0] = '\0';
		return -1;
	}
	snprintf(c->tmp, sizeof(c->tmp), "%s/cache.tmp-%ld-XXXXXX", c->dir, (long)getpid());
	fd = mkstemp(c->tmp);
	if (fd < 0) {
		c->tmp[0] = '\0';
		return fd;
	}
	/* mkstemp makes it 0600: the mode git gives a file of the repository */
	fchmod(fd, 0666 & ~cp_umask());
	cp_fadjust_shared(fd, c->shared);
	return fd;
}

static bool write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static void give_up(struct cp_cache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->tmp[0])
		unlink(c->tmp);
	c->tmp[0] = '\0';
	c->building = false;
	c->write = false;
	sbuf_reset(&c->fresh);
}

/* Start streaming a new file: records go right after the header. */
static void start_building(struct cp_cache *c)
{
	struct hdr h;

	if ((c->fd = open_temp(c)) < 0) {
		c->write = false;
		return;
	}
	memset(&h, 0, sizeof(h));
	if (!write_all(c->fd, &h, sizeof(h))) {
		give_up(c);
		return;
	}
	c->building = true;
	c->bpos = sizeof(h);
}

static int tent_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 20);
}

/*
 * Finish a streamed file: fanout and sorted table after the records, the
 * header at the front, then rename it into place.
 */
static void finish_building(struct cp_cache *c, unsigned char *ids, size_t n)
{
	struct hdr h;
	uint32_t fan[256];
	unsigned char *tbl;
	size_t i, k, tlen = FANOUT + n * TENT;
	char pad[8] = { 0 };

	qsort(ids, n, TENT, tent_cmp);
	/* the same bytes twice (two files alike): keep one */
	for (i = k = 0; i < n; i++)
		if (!k || memcmp(ids + (k - 1) * TENT, ids + i * TENT, 20))
			memmove(ids + k++ * TENT, ids + i * TENT, TENT);
	n = k;
	tlen = FANOUT + n * TENT;
	memset(fan, 0, sizeof(fan));
	for (i = 0; i < n; i++)
		fan[ids[i * TENT]]++;
	for (i = 1; i < 256; i++)
		fan[i] += fan[i - 1];
	fill_hdr(&h, c->zone);
	h.n = n;
	h.table = c->bpos;
	h.main_end = (c->bpos + tlen + 7) & ~(uint64_t)7;
	tbl = xmalloc(sizeof(h) + tlen);
	memcpy(tbl, &h, sizeof(h));
	memcpy(tbl + sizeof(h), fan, FANOUT);
	memcpy(tbl + sizeof(h) + FANOUT, ids, n * TENT);
	h.sum = hash64(tbl, sizeof(h) + tlen);
	if (!write_all(c->fd, tbl + sizeof(h), tlen) ||
	    !write_all(c->fd, pad, (size_t)(h.main_end - c->bpos - tlen)) ||
	    pwrite(c->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    close(c->fd) < 0) {
		c->fd = -1;
		free(tbl);
		give_up(c);
		return;
	}
	c->fd = -1;
	free(tbl);
	if (rename(c->tmp, c->path) < 0) {
		give_up(c);
		return;
	}
	c->tmp[0] = '\0';
	c->building = false;
	c->st.rewritten = true;
}

static void add_bid(struct cp_cache *c, const unsigned char *oid, uint64_t off)
{
	uint32_t off8 = (uint32_t)(off / 8);

	ALLOC_GROW(c->bids, (c->nbids + 1) * TENT, c->abids);
	memcpy(c->bids + c->nbids * TENT, oid, 20);
	memcpy(c->bids + c->nbids * TENT + 20, &off8, 4);
	c->nbids++;
}

/* Hand the fresh records to the file: the stream being built, or an append. */
static void flush(struct cp_cache *c)
{
	struct stat st;

	if (!c->fresh.len || !c->write)
		return;
	if (c->building) {
		size_t off = 0;

		/* record where each one lands for the table */
		while (off < c->fresh.len) {
			uint32_t n;

			memcpy(&n, c->fresh.buf + off + 4, 4);
			if (c->bpos + off > (uint64_t)UINT32_MAX * 8) {
				give_up(c);
				return;
			}
			add_bid(c, (const unsigned char *)c->fresh.buf + off + 16, c->bpos + off);
			off += rec_size(n);
		}
		if (!write_all(c->fd, c->fresh.buf, c->fresh.len)) {
			give_up(c);
			return;
		}
		c->bpos += c->fresh.len;
		sbuf_reset(&c->fresh);
		return;
	}
	if (c->fd < 0) {
		c->fd = open(c->path, O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
		/* only to the file we read: another process may have replaced it */
		if (c->fd < 0 || fstat(c->fd, &st) < 0 || st.st_dev != c->dev ||
		    st.st_ino != c->ino || (size_t)st.st_size % 8) {
			give_up(c);
			return;
		}
	}
	/* one write of whole records, so concurrent appends do not interleave */
	if (!write_all(c->fd, c->fresh.buf, c->fresh.len)) {
		give_up(c);
		return;
	}
	c->st.appended = true;
	sbuf_reset(&c->fresh);
}

void cp_cache_put(struct cp_cache *c, const unsigned char oid[20],
		  const char *path, const struct cp_case *cs)
{
	if (!c->write)
		return;
	if (!c->valid && !c->building && c->fd < 0) {
		start_building(c);
		if (!c->write)
			return;
	}
	make_record(&c->fresh, oid, path, cs);
	met(c, oid);
	if (c->fresh.len >= FLUSH_AT)
		flush(c);
}

void cp_cache_walked(struct cp_cache *c, int from, int to, size_t n)
{
	c->from = from;
	c->to = to;
	c->walked = n;
}

static int path_month(const char *path)
{
	int y, m;

	if (strncmp(path, "cases/", 6) || sscanf(path + 6, "%4d/%2d/", &y, &m) != 2)
		return INT_MIN;
	return y * 12 + m - 1;
}

struct keep {
	const char *path;
	const unsigned char *rec;
	size_t size;
};

static int keep_cmp(const void *a, const void *b)
{
	const struct keep *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	return r ? r : memcmp(x->rec + 16, y->rec + 16, 20);
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 20);
}

static void keep_add(struct keep **v, size_t *nv, size_t *av,
		     const unsigned char *payload, uint32_t len)
{
	struct rd r = { payload, payload + len, false };
	const char *path = get_req(&r);

	if (r.bad)
		return;
	ALLOC_GROW(*v, *nv + 1, *av);
	(*v)[*nv].path = path;
	(*v)[*nv].rec = payload - REC_HDR;
	(*v)[*nv].size = rec_size(len);
	(*nv)++;
}

/*
 * Rewrite the file sorted by path from the records of the mapped file
 * whose checksum holds.  Records of the months walked that this run
 * neither read nor wrote are dropped when they outnumber the ones it did
 * (old versions, deleted cases), so the file stays near one entry per case.
 */
static void compact(struct cp_cache *c)
{
	struct keep *v = NULL;
	size_t nv = 0, av = 0, i, seen = 0, unseen = 0;
	const unsigned char *payload;
	unsigned char *flag;
	uint32_t len;

	for (i = 0; i < c->h->n; i++) {
		uint32_t off8;

		memcpy(&off8, c->table + i * TENT + 20, 4);
		if (record_at(c, (uint64_t)off8 * 8, c->h->table, c->table + i * TENT,
			      &payload, &len))
			keep_add(&v, &nv, &av, payload, len);
	}
	for (i = 0; i < c->tail_cap; i++)
		if (c->tail[i].used &&
		    record_at(c, c->tail[i].off, c->len, c->tail[i].oid, &payload, &len))
			keep_add(&v, &nv, &av, payload, len);
	qsort(c->met, c->nmet, 20, id_cmp);
	flag = xcalloc(nv + 1, 1);
	for (i = 0; i < nv; i++) {
		int m = path_month(v[i].path);

		if (bsearch(v[i].rec + 16, c->met, c->nmet, 20, id_cmp))
			flag[i] = 1, seen++;
		else if (m < c->from || m > c->to)
			flag[i] = 2;	/* not walked: not ours to judge */
		else
			unseen++;
	}
	if (unseen > seen)
		for (i = 0; i < nv; i++)
			if (!flag[i])
				v[i].size = 0;
	free(flag);
	qsort(v, nv, sizeof(*v), keep_cmp);
	start_building(c);
	for (i = 0; i < nv && c->building; i++) {
		if (!v[i].size)
			continue;
		sbuf_add(&c->fresh, v[i].rec, v[i].size);
		if (c->fresh.len >= FLUSH_AT) {
			flush(c);
			/* the old file is read in order: let its pages go */
			madvise(c->map, c->len, MADV_DONTNEED);
		}
	}
	if (c->building)
		flush(c);
	if (c->building)
		finish_building(c, c->bids, c->nbids);
	free(v);
}

void cp_cache_close(struct cp_cache *c)
{
	if (!c)
		return;
	if (c->write) {
		if (c->building) {
			flush(c);
			if (c->building)
				finish_building(c, c->bids, c->nbids);
		} else if (c->valid) {
			bool due = c->st.corrupt || c->tail_bad;

			flush(c);
			if (c->fd >= 0) {
				close(c->fd);
				c->fd = -1;
			}
			if (c->st.appended || due) {
				/* what is there now, appends of others included */
				map_file(c);
				due = due || c->tail_bad ||
				      (c->valid && c->tail_n > 1024 && c->tail_n > c->h->n / 4);
				if (c->valid && due && c->write)
					compact(c);
			}
		}
	}
	if (c->fd >= 0)
		close(c->fd);
	if (c->tmp[0])
		unlink(c->tmp);
	unmap(c);
	sbuf_release(&c->fresh);
	free(c->met);
	free(c->bids);
	free(c->vflags);
	free(c->vev);
	free(c);
}

void cp_cache_stats(const struct cp_cache *c, struct cp_cache_stats *st)
{
	*st = c->st;
	st->entries = c->valid ? (size_t)c->h->n : 0;
	st->tail = c->tail_n;
}

long cp_cache_each(struct cp_cache *c, cp_cache_each_cb cb, void *data)
{
	const unsigned char *payload;
	const struct cp_case *cs;
	const char *path;
	uint32_t len;
	long bad = 0;
	size_t i;

	if (!c->valid)
		return -1;
	for (i = 0; i < c->h->n; i++) {
		uint32_t off8;

		memcpy(&off8, c->table + i * TENT + 20, 4);
		if (!record_at(c, (uint64_t)off8 * 8, c->h->table, c->table + i * TENT,
			       &payload, &len)) {
			bad++;
			continue;
		}
		path = (const char *)payload;
		cs = NULL;
		if (decode(payload, len, &c->view, &path, &c->vflags, &c->avflags,
			   &c->vev, &c->avev) == 0)
			cs = &c->view;
		else
			path = "?";
		cb(c->table + i * TENT, path, cs, data);
	}
	for (i = 0; i < c->tail_cap; i++) {
		if (!c->tail[i].used)
			continue;
		if (!record_at(c, c->tail[i].off, c->len, c->tail[i].oid, &payload, &len)) {
			bad++;
			continue;
		}
		cs = NULL;
		path = "?";
		if (decode(payload, len, &c->view, &path, &c->vflags, &c->avflags,
			   &c->vev, &c->avev) == 0)
			cs = &c->view;
		else
			path = "?";
		cb(c->tail[i].oid, path, cs, data);
	}
	return bad;
}
