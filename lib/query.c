/*
 * query.c - walking every case, and the listing filters.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "cache.h"
#include "complaint/error.h"
#include "complaint/procedure.h"
#include "complaint/query.h"
#include "complaint/tz.h"
#include "complaint/i18n.h"

struct walk {
	struct cp_store *s;
	const struct cp_policy *p;	/* the one each case is derived under */
	cp_case_cb cb;
	cp_bad_cb bad;
	void *data;
	struct cp_cache *cache;
	size_t n;
};

static void bad_file(struct walk *w, const char *path, const char *why)
{
	if (w->bad)
		w->bad(path, why, w->data);
}

/*
 * Is this file the one of its case that counts?  A file in the folder
 * both its received month and its ID's date name is (no other file can
 * beat it, and this costs no I/O); any other one is compared with every
 * file of the case (store.h, cp_store_pick_copy).
 */
static bool counted_copy(struct walk *w, const struct cp_case *c, const char *path)
{
	struct cp_sbuf home = CP_SBUF_INIT, msg = CP_SBUF_INIT;
	struct cp_paths files;
	char want[16];
	size_t i, win;
	int y, m;
	bool fast, counted;

	cp_case_path(&home, c->id, w->p->tz, c->received);
	fast = !strcmp(home.buf, path) && cp_id_month(&y, &m, c->id) == 0;
	if (fast) {
		snprintf(want, sizeof(want), "cases/%04d/%02d/", y, m);
		fast = !strncmp(path, want, strlen(want));
	}
	cp_sbuf_release(&home);
	if (fast)
		return true;
	cp_store_case_files(&files, w->s, c->id);
	for (i = 0; i < files.n && strcmp(files.v[i], path); i++)
		;
	if (i == files.n) {	/* named for another case than it holds */
		ALLOC_GROW(files.v, files.n + 1, files.alloc);
		files.v[files.n++] = cp_xstrdup(path);
	}
	if (files.n < 2) {
		cp_paths_release(&files);
		return true;
	}
	win = cp_store_pick_copy(w->s, c->id, &files);
	counted = !strcmp(files.v[win], path);
	cp_store_copies_message(&msg, c->id, &files, win);
	cp_warn_hint(CP_HINT_CHECK, "%s", msg.buf);
	cp_sbuf_release(&msg);
	cp_paths_release(&files);
	return counted;
}

/*
 * Derive c (once, under the walk's policy) and hand it to the callback;
 * owned cases are freed after.
 */
static int deliver(struct walk *w, struct cp_case *c, const char *path, bool owned)
{
	int r = 0;

	if (c->ndup) {
		struct cp_sbuf sb = CP_SBUF_INIT;

		cp_case_describe_copy(&sb, c, w->p->tz);
		cp_warn_hint(CP_HINT_CHECK, _("%s: %s; it counts once"), path, sb.buf);
		cp_sbuf_release(&sb);
	}
	if (!counted_copy(w, c, path)) {
		/* another file of this case is counted instead */
	} else if (cp_case_derive(c, w->p) < 0) {
		cp_error_wrap("%s", path);
		bad_file(w, path, cp_errmsg());
	} else {
		r = w->cb(c, path, w->data);
	}
	if (owned)
		cp_case_free(c);
	return r;
}

static int one_file(struct cp_walk_file *f, void *d)
{
	struct walk *w = d;
	struct cp_case *c = NULL;

	w->n++;
	if (f->err < 0) {
		bad_file(w, f->path, cp_errmsg()[0] ? cp_errmsg() : "cannot read the file");
		return 0;
	}
	/* a hit: the case parsed from these very bytes before, no YAML */
	if (w->cache && f->oid && cp_cache_get(&c, w->cache, f->oid) == 0)
		return deliver(w, c, f->path, false);
	if (cp_walk_file_read(f) < 0) {
		bad_file(w, f->path, cp_errmsg()[0] ? cp_errmsg() : "cannot read the file");
		return 0;
	}
	if (cp_case_parse(&c, w->p->tz, f->path, f->buf, f->len) < 0) {
		bad_file(w, f->path, cp_errmsg());
		return 0;
	}
	if (w->cache && f->oid)
		cp_cache_put(w->cache, f->oid, f->path, c);
	return deliver(w, c, f->path, true);
}

/*
 * Without the cache, parsing is most of the work: one thread reads the
 * files (in order) and hands them by turns to two parsing threads, while
 * this one takes the parsed cases by the same turns (so in order),
 * derives them and calls back.
 */
#define RING 64
#define PARSERS 2

struct item {
	char *path;
	char *buf;		/* "blob N\0" and the bytes, for a parser */
	size_t hdr, len;
	struct cp_case *c;	/* parsed */
	char *bad;		/* or why not */
	bool has_oid;		/* oid: the blob id of the bytes (for the cache) */
	unsigned char oid[20];
};

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct item v[RING];
	size_t head, n;
	bool closed, stop, want_more, want_room;
};

static void ring_init(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->more, NULL);
	pthread_cond_init(&r->room, NULL);
}

static void item_free(struct item *it)
{
	free(it->path);
	free(it->buf);
	free(it->bad);
	cp_case_free(it->c);
	memset(it, 0, sizeof(*it));
}

static void ring_destroy(struct ring *r)
{
	while (r->n) {
		item_free(&r->v[r->head]);
		r->head = (r->head + 1) % RING;
		r->n--;
	}
	pthread_cond_destroy(&r->more);
	pthread_cond_destroy(&r->room);
	pthread_mutex_destroy(&r->mu);
}

/* Add it (taken over); false when the consumer stopped (it is freed). */
static bool ring_push(struct ring *r, struct item *it)
{
	pthread_mutex_lock(&r->mu);
	while (r->n == RING && !r->stop) {
		r->want_room = true;
		pthread_cond_wait(&r->room, &r->mu);
	}
	r->want_room = false;
	if (r->stop) {
		pthread_mutex_unlock(&r->mu);
		item_free(it);
		return false;
	}
	r->v[(r->head + r->n) % RING] = *it;
	r->n++;
	if (r->want_more && r->n >= RING / 4)
		pthread_cond_signal(&r->more);
	pthread_mutex_unlock(&r->mu);
	return true;
}

/* The next item; false when the ring is closed and empty, or stopped. */
static bool ring_pop(struct ring *r, struct item *it)
{
	pthread_mutex_lock(&r->mu);
	while (!r->n && !r->closed && !r->stop) {
		r->want_more = true;
		pthread_cond_wait(&r->more, &r->mu);
	}
	r->want_more = false;
	if (!r->n || r->stop) {
		pthread_mutex_unlock(&r->mu);
		return false;
	}
	*it = r->v[r->head];
	r->head = (r->head + 1) % RING;
	r->n--;
	if (r->want_room && r->n <= RING / 2)
		pthread_cond_signal(&r->room);
	pthread_mutex_unlock(&r->mu);
	return true;
}

static void ring_close(struct ring *r, bool stop)
{
	pthread_mutex_lock(&r->mu);
	if (stop)
		r->stop = true;
	r->closed = true;
	pthread_cond_broadcast(&r->more);
	pthread_cond_broadcast(&r->room);
	pthread_mutex_unlock(&r->mu);
}

struct pipe {
	struct ring in[PARSERS], out[PARSERS];
	struct cp_store *s;
	const struct cp_tz *tz;	/* times without an offset are read in it */
	int from, to;
	size_t k;		/* files handed out */
	bool ids;		/* the parsers name the bytes by blob id too */
	int rc;			/* the walk's */
	char msg[2048];
	int kind;
};

struct parser {
	struct pipe *p;
	int i;
};

static int hand_out(struct cp_walk_file *f, void *d)
{
	struct pipe *p = d;
	struct item it;

	memset(&it, 0, sizeof(it));
	it.path = cp_xstrdup(f->path);
	if (f->err < 0 || cp_walk_file_read(f) < 0) {
		it.bad = cp_xstrdup(cp_errmsg()[0] ? cp_errmsg() : "cannot read the file");
	} else {
		char hdr[32];

		it.hdr = (size_t)snprintf(hdr, sizeof(hdr), "blob %zu", f->len) + 1;
		it.buf = cp_xmalloc(it.hdr + f->len + 1);
		memcpy(it.buf, hdr, it.hdr);
		memcpy(it.buf + it.hdr, f->buf, f->len);
		it.len = f->len;
		if (f->oid) {	/* from the commit's tree */
			memcpy(it.oid, f->oid, 20);
			it.has_oid = true;
		}
	}
	return ring_push(&p->in[p->k++ % PARSERS], &it) ? 0 : -1;
}

static void *reader(void *d)
{
	struct pipe *p = d;
	int i, r = cp_store_walk_files(p->s, p->from, p->to, false, hand_out, p);

	if (r < 0) {
		p->rc = r;
		snprintf(p->msg, sizeof(p->msg), "%s", cp_errmsg());
		p->kind = cp_errkind();
	}
	for (i = 0; i < PARSERS; i++)
		ring_close(&p->in[i], false);
	return NULL;
}

static void *parse_files(void *d)
{
	struct parser *ps = d;
	struct pipe *p = ps->p;
	struct item it;

	while (ring_pop(&p->in[ps->i], &it)) {
		if (it.buf && cp_case_parse(&it.c, p->tz, it.path, it.buf + it.hdr, it.len) < 0)
			it.bad = cp_xstrdup(cp_errmsg());
		/* bytes git converts (CRLF) are named in the walk's thread */
		if (it.c && p->ids && !it.has_oid && !memchr(it.buf + it.hdr, '\r', it.len)) {
			unsigned int n = 0;

			it.has_oid = EVP_Digest(it.buf, it.hdr + it.len, it.oid, &n,
						EVP_sha1(), NULL) && n == 20;
		}
		if (it.has_oid || !it.c || !p->ids) {
			free(it.buf);
			it.buf = NULL;
		}
		if (!ring_push(&p->out[ps->i], &it))
			break;
	}
	ring_close(&p->out[ps->i], false);
	return NULL;
}

static int each_piped(struct walk *w, int from, int to, bool *ran)
{
	struct pipe *p = cp_xcalloc(1, sizeof(*p));
	struct parser ps[PARSERS];
	pthread_t rt, pt[PARSERS];
	bool started[PARSERS] = { false };
	char msg[2048] = "";
	size_t k = 0;
	int r = 0, kind = 0, i;

	p->s = w->s;
	p->tz = w->p->tz;
	p->from = from;
	p->to = to;
	p->ids = w->cache != NULL;
	for (i = 0; i < PARSERS; i++) {
		ring_init(&p->in[i]);
		ring_init(&p->out[i]);
	}
	*ran = false;
	for (i = 0; i < PARSERS; i++) {
		ps[i].p = p;
		ps[i].i = i;
		started[i] = pthread_create(&pt[i], NULL, parse_files, &ps[i]) == 0;
		if (!started[i])
			goto stop;
	}
	if (pthread_create(&rt, NULL, reader, p) != 0)
		goto stop;
	*ran = true;
	for (;;) {
		struct item it;

		/* by turns, as handed out: the walk's order */
		if (!ring_pop(&p->out[k++ % PARSERS], &it))
			break;
		w->n++;
		if (it.c) {
			if (w->cache && !it.has_oid && it.buf &&
			    cp_store_blob_id(it.oid, w->s, it.path, it.buf + it.hdr, it.len) == 0)
				it.has_oid = true;
			cp_error_clear();
			if (w->cache && it.has_oid)
				cp_cache_put(w->cache, it.oid, it.path, it.c);
			r = deliver(w, it.c, it.path, true);
			it.c = NULL;
		} else {
			cp_error(CP_EDATA, "%s", it.bad);
			bad_file(w, it.path, it.bad);
		}
		item_free(&it);
		if (r < 0) {
			/* the callback stopped the walk: its error is this thread's */
			snprintf(msg, sizeof(msg), "%s", cp_errmsg());
			kind = cp_errkind();
			break;
		}
	}
	for (i = 0; i < PARSERS; i++) {
		ring_close(&p->in[i], true);
		ring_close(&p->out[i], true);
	}
	pthread_join(rt, NULL);
stop:
	for (i = 0; i < PARSERS; i++) {
		if (!started[i])
			continue;
		ring_close(&p->in[i], true);
		ring_close(&p->out[i], true);
		pthread_join(pt[i], NULL);
	}
	if (r < 0)
		cp_error(kind ? kind : CP_ESYS, "%s", msg);
	else if (*ran && p->rc < 0)
		r = cp_error(p->kind ? p->kind : CP_ESYS, "%s", p->msg);
	for (i = 0; i < PARSERS; i++) {
		ring_destroy(&p->in[i]);
		ring_destroy(&p->out[i]);
	}
	free(p);
	return r;
}

int cp_each_case(struct cp_store *s, const struct cp_policy *p, int from, int to,
		 cp_case_cb cb, cp_bad_cb bad, void *data)
{
	struct walk w = { s, p ? p : cp_store_policy(s), cb, bad, data, NULL, 0 };
	struct cp_cache_stats st;
	bool ran;
	int r;

	if (!cp_store_cache_on(s)) {
		r = each_piped(&w, from, to, &ran);
		if (ran)
			return r;
		return cp_store_walk_files(s, from, to, false, one_file, &w);
	}
	/* times without an offset are read in the policy's zone: part of the key */
	w.cache = cp_cache_open(cp_store_commondir(s), cp_store_shared(s),
				cp_tz_name(w.p->tz), true);
	cp_cache_stats(&st, w.cache);
	if (st.valid) {
		r = cp_store_walk_files(s, from, to, true, one_file, &w);
	} else {
		/* no cache yet: every file is parsed, in two threads, and added */
		r = each_piped(&w, from, to, &ran);
		if (!ran)
			r = cp_store_walk_files(s, from, to, true, one_file, &w);
	}
	cp_cache_stats(&st, w.cache);
	{
		struct cp_walk_stats ws = {
			true, w.n, st.hits, st.misses, st.corrupt, st.entries, st.tail,
			st.valid, !st.valid, st.appended, st.rewritten
		};

		cp_store_set_walk_stats(s, &ws);
	}
	cp_cache_walked(w.cache, from, to, w.n);
	cp_cache_close(w.cache);
	return r;
}

void cp_filter_init(struct cp_filter *f, cp_time now)
{
	memset(f, 0, sizeof(*f));
	f->since = f->until = f->due_by = CP_TIME_NONE;
	f->resolved_from = f->resolved_to = CP_TIME_NONE;
	f->closed_from = f->closed_to = CP_TIME_NONE;
	f->now = now;
}

int cp_month_of(const struct cp_tz *z, cp_time t)
{
	int y, m, d;

	cp_civil_from_days(&y, &m, &d, cp_local_day(z, t));
	return y * 12 + m - 1;
}

void cp_filter_months(int *from, int *to, const struct cp_filter *f, const struct cp_tz *z)
{
	*from = INT_MIN;
	*to = INT_MAX;
	if (f->since != CP_TIME_NONE)
		*from = cp_month_of(z, f->since) - 1;	/* a case folder follows its */
	if (f->until != CP_TIME_NONE)		/* received month; one month */
		*to = cp_month_of(z, f->until) + 1;	/* of slack for zone edits */
	/* a case is received before it is resolved or closed */
	if (f->resolved_to != CP_TIME_NONE && cp_month_of(z, f->resolved_to) + 1 < *to)
		*to = cp_month_of(z, f->resolved_to) + 1;
	if (f->closed_to != CP_TIME_NONE && cp_month_of(z, f->closed_to) + 1 < *to)
		*to = cp_month_of(z, f->closed_to) + 1;
}

static bool in(const char *const *v, size_t n, const char *s)
{
	size_t i;

	if (!n)
		return true;
	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool due_by(const struct cp_case *c, cp_time now, cp_time by)
{
	const struct cp_deadline *d;
	size_t i;

	for (i = 0; i < c->d.ndeadlines; i++) {
		d = &c->d.deadlines[i];
		if (c->d.status == ST_CLOSED || d->event == EV_ANALYZE)
			continue;	/* the analysis is alerted once missed (overdue()) */
		if (c->d.status == ST_RESOLVED && d->event != EV_CALLBACK &&
		    d->event != EV_CLOSE)
			continue;
		if (cp_case_first(c, d->event))
			continue;
		if (d->at >= now && d->at <= by)
			return true;
	}
	return false;
}

/* Is there an event of action a dated in [from, to] (impossible ones skipped)? */
static bool event_in(const struct cp_case *c, enum cp_evt a, cp_time from, cp_time to)
{
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct cp_event *e = &c->events[i];

		if (e->action == a && e->at >= from && e->at <= to &&
		    !cp_event_impossible(c, e))
			return true;
	}
	return false;
}

bool cp_case_callback_due(const struct cp_case *c)
{
	const struct cp_event *last = NULL;
	size_t i;

	if (c->d.status != ST_RESOLVED && c->d.status != ST_CLOSED)
		return false;
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == EV_RESOLVE && !cp_event_impossible(c, &c->events[i]) &&
		    (!last || c->events[i].at >= last->at))
			last = &c->events[i];
	if (!last)
		return false;
	for (i = 0; i < c->nevents; i++)
		if (c->events[i].action == EV_CALLBACK && c->events[i].at >= last->at &&
		    !cp_event_impossible(c, &c->events[i]))
			return false;
	return true;
}

bool cp_case_missed(const struct cp_case *c, cp_time now)
{
	size_t i;

	for (i = 0; i < c->d.ndeadlines; i++)
		if (cp_case_deadline_state(c, &c->d.deadlines[i], now) == DL_MISSED)
			return true;
	return false;
}

/*
 * What the alert of list --overdue is for: a missed deadline of an open
 * case (cp_case_overdue), the analysis still to do past its deadline
 * after the resolve, or an open measure past its due day.
 */
static bool overdue(const struct cp_case *c, const struct cp_policy *p, cp_time now)
{
	size_t open, late, i;

	if (cp_case_overdue(c, now))
		return true;
	if (!cp_case_first(c, EV_ANALYZE))
		for (i = 0; i < c->d.ndeadlines; i++)
			if (c->d.deadlines[i].event == EV_ANALYZE &&
			    cp_case_deadline_state(c, &c->d.deadlines[i], now) == DL_MISSED)
				return true;
	cp_case_measure_counts(&open, &late, c, p, now);
	return late > 0;
}

/* Every field given matches (a field given twice: any of its values). */
static bool fields_match(const struct cp_filter *f, const struct cp_case *c)
{
	size_t i, j;

	for (i = 0; i < f->nfields; i++) {
		bool ok = false;

		for (j = 0; j < f->nfields && !ok; j++) {
			const char *v;

			if (strcmp(f->field_ids[i], f->field_ids[j]))
				continue;
			v = cp_case_field(c, f->field_ids[j]);
			ok = v && !strcmp(v, f->field_vals[j]);
		}
		if (!ok)
			return false;
	}
	return true;
}

bool cp_filter_match(const struct cp_filter *f, const struct cp_case *c,
		     const struct cp_policy *p)
{
	if (f->status_mask && !(f->status_mask & (1u << c->d.status)))
		return false;
	if (!in(f->severity, f->nseverity, p->levels[c->d.level].id) ||
	    !in(f->department, f->ndepartment, c->d.department) ||
	    !in(f->category, f->ncategory, c->category) ||
	    !in(f->kind, f->nkind, c->kind))
		return false;
	if (f->since != CP_TIME_NONE && c->received < f->since)
		return false;
	if (f->until != CP_TIME_NONE && c->received > f->until)
		return false;
	if (f->open && (c->d.status == ST_RESOLVED || c->d.status == ST_CLOSED))
		return false;
	if (!in(f->responsible, f->nresponsible, c->d.responsible))
		return false;
	if (f->resolved_from != CP_TIME_NONE &&
	    !event_in(c, EV_RESOLVE, f->resolved_from, f->resolved_to))
		return false;
	if (f->closed_from != CP_TIME_NONE &&
	    !event_in(c, EV_CLOSE, f->closed_from, f->closed_to))
		return false;
	if (f->callback_due && !cp_case_callback_due(c))
		return false;
	if (f->missed && !cp_case_missed(c, f->now))
		return false;
	if (f->nfields && !fields_match(f, c))
		return false;
	if (f->held && !cp_case_held(c))
		return false;
	if (f->measures) {
		size_t open, overdue;

		cp_case_measure_counts(&open, &overdue, c, p, f->now);
		if (!open)
			return false;
	}
	/* --overdue with --due-within: either (one cron line alerts on both) */
	if (f->overdue && f->due_by != CP_TIME_NONE)
		return overdue(c, p, f->now) || due_by(c, f->now, f->due_by);
	if (f->overdue && !overdue(c, p, f->now))
		return false;
	if (f->due_by != CP_TIME_NONE && !due_by(c, f->now, f->due_by))
		return false;
	return true;
}
