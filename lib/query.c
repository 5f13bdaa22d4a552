/*
 * query.c - walking every case, and the listing filters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/cache.h"
#include "complaint/error.h"
#include "complaint/query.h"

struct walk {
	struct cp_store *s;
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

/* Derive c and hand it to the callback; owned cases are freed after. */
static int deliver(struct walk *w, struct cp_case *c, const char *path, bool owned)
{
	int r = 0;

	if (cp_case_derive(c, cp_store_policy(w->s)) < 0) {
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
	if (w->cache && f->oid && cp_cache_get(w->cache, f->oid, &c) == 0)
		return deliver(w, c, f->path, false);
	if (cp_walk_file_read(f) < 0) {
		bad_file(w, f->path, cp_errmsg()[0] ? cp_errmsg() : "cannot read the file");
		return 0;
	}
	if (cp_case_parse(&c, f->path, f->buf, f->len) < 0) {
		bad_file(w, f->path, cp_errmsg());
		return 0;
	}
	if (w->cache && f->oid)
		cp_cache_put(w->cache, f->oid, f->path, c);
	return deliver(w, c, f->path, true);
}

int cp_each_case(struct cp_store *s, int from, int to, cp_case_cb cb,
		 cp_bad_cb bad, void *data)
{
	struct walk w = { s, cb, bad, data, NULL, 0 };
	const char *zone = getenv("TZ");
	int r;

	/* times without an offset were read in the zone in force (the policy's) */
	if (cp_store_cache_on(s))
		w.cache = cp_cache_open(cp_store_gitdir(s), zone ? zone : "", true);
	r = cp_store_walk_files(s, from, to, w.cache != NULL, one_file, &w);
	if (w.cache) {
		if (getenv("COMPLAINT_CACHE_STATS")) {
			struct cp_cache_stats st;

			cp_cache_stats(w.cache, &st);
			fprintf(stderr, "cache: %zu files, %zu hits, %zu misses, %zu corrupt, "
				"%zu entries + %zu appended%s%s%s\n", w.n, st.hits, st.misses,
				st.corrupt, st.entries, st.tail, st.valid ? "" : ", rebuilt",
				st.appended ? ", appended" : "", st.rewritten ? ", rewritten" : "");
		}
		cp_cache_walked(w.cache, from, to, w.n);
		cp_cache_close(w.cache);
	}
	return r;
}

void cp_filter_init(struct cp_filter *f, cp_time now)
{
	memset(f, 0, sizeof(*f));
	f->since = f->until = f->due_by = CP_TIME_NONE;
	f->now = now;
}

int cp_month_of(cp_time t)
{
	int y, m, d;

	cp_civil_from_days(cp_local_day(t), &y, &m, &d);
	return y * 12 + m - 1;
}

void cp_filter_months(const struct cp_filter *f, int *from, int *to)
{
	*from = INT_MIN;
	*to = INT_MAX;
	if (f->since != CP_TIME_NONE)
		*from = cp_month_of(f->since) - 1;	/* a case folder follows its */
	if (f->until != CP_TIME_NONE)		/* received month; one month */
		*to = cp_month_of(f->until) + 1;	/* of slack for zone edits */
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

	if (c->d.status == ST_CLOSED)
		return false;
	for (i = 0; i < c->d.ndeadlines; i++) {
		d = &c->d.deadlines[i];
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
	/* --overdue with --due-within: either (one cron line alerts on both) */
	if (f->overdue && f->due_by != CP_TIME_NONE)
		return cp_case_overdue(c, f->now) || due_by(c, f->now, f->due_by);
	if (f->overdue && !cp_case_overdue(c, f->now))
		return false;
	if (f->due_by != CP_TIME_NONE && !due_by(c, f->now, f->due_by))
		return false;
	return true;
}
