/*
 * cache_write.c - the cache's writing side (see cache.c): entries for
 * files parsed in a run appended in one write each 4 MB; a new file
 * streamed to a temporary file and renamed into place when there is no
 * usable one; the file rewritten sorted when appended entries grow past
 * a quarter of the sorted ones, or a bad entry was met.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cache_file.h"
#include "complaint/error.h"
#include "fsutil.h"

/* Append one record (header, payload, padding) to out. */
static void make_record(struct cp_sbuf *out, const unsigned char oid[20],
			const char *path, const struct cp_case *cs)
{
	size_t start = out->len, plen;
	uint32_t magic = REC_MAGIC, len;
	uint64_t sum = 0;

	cp_sbuf_add(out, &magic, 4);
	cp_sbuf_addchars(out, 0, 4 + 8);
	cp_sbuf_add(out, oid, 20);
	cp_case_encode(out, path, cs);
	plen = out->len - start - REC_HDR;
	len = (uint32_t)plen;
	memcpy(out->buf + start + 4, &len, 4);
	sum = cp_hash64(out->buf + start + 16, 20 + plen);
	memcpy(out->buf + start + 8, &sum, 8);
	cp_sbuf_addchars(out, 0, cp_cache_rec_size(len) - REC_HDR - plen);
}

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
	cp_sbuf_reset(&c->fresh);
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
	cp_cache_fill_hdr(&h, c->zone);
	h.n = n;
	h.table = c->bpos;
	h.main_end = (c->bpos + tlen + 7) & ~(uint64_t)7;
	tbl = cp_xmalloc(sizeof(h) + tlen);
	memcpy(tbl, &h, sizeof(h));
	memcpy(tbl + sizeof(h), fan, FANOUT);
	memcpy(tbl + sizeof(h) + FANOUT, ids, n * TENT);
	h.sum = cp_hash64(tbl, sizeof(h) + tlen);
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
			off += cp_cache_rec_size(n);
		}
		if (!write_all(c->fd, c->fresh.buf, c->fresh.len)) {
			give_up(c);
			return;
		}
		c->bpos += c->fresh.len;
		cp_sbuf_reset(&c->fresh);
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
	cp_sbuf_reset(&c->fresh);
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
	cp_cache_met(c, oid);
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
	const char *path = cp_case_payload_path(payload, len);

	if (!path)
		return;
	ALLOC_GROW(*v, *nv + 1, *av);
	(*v)[*nv].path = path;
	(*v)[*nv].rec = payload - REC_HDR;
	(*v)[*nv].size = cp_cache_rec_size(len);
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
		if (cp_cache_record_at(&payload, &len, c, (uint64_t)off8 * 8,
			      c->h->table, c->table + i * TENT))
			keep_add(&v, &nv, &av, payload, len);
	}
	for (i = 0; i < c->tail_cap; i++)
		if (c->tail[i].used &&
		    cp_cache_record_at(&payload, &len, c, c->tail[i].off, c->len, c->tail[i].oid))
			keep_add(&v, &nv, &av, payload, len);
	qsort(c->met, c->nmet, 20, id_cmp);
	flag = cp_xcalloc(nv + 1, 1);
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
		cp_sbuf_add(&c->fresh, v[i].rec, v[i].size);
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
				cp_cache_map_file(c);
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
	cp_cache_unmap(c);
	cp_sbuf_release(&c->fresh);
	free(c->met);
	free(c->bids);
	free(c->vflags);
	free(c->vp2.refs);
	free(c->vp2.ids);
	free(c->vp2.vals);
	free(c->vev);
	free(c->view.d.inst);
	free(c);
}
