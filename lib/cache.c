/*
 * cache.c - the derived cache of parsed cases (see cache.h for the layout):
 * opening and reading; cache_write.c writes, case_codec.c encodes.
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
#include "cache_file.h"
#include "complaint/error.h"
#include "fsutil.h"

/* ---- records ---- */

size_t cp_cache_rec_size(uint32_t len)
{
	return (REC_HDR + (size_t)len + 7) & ~(size_t)7;
}

/*
 * The record at off: its payload and length when its header, id and
 * checksum hold (oid NULL: any id).
 */
bool cp_cache_record_at(const unsigned char **payload, uint32_t *len, const struct cp_cache *c,
		      uint64_t off, size_t limit,
		      const unsigned char *oid)
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
	if (cp_hash64(r + 16, 20 + (size_t)n) != sum)
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

void cp_cache_tail_add(struct cp_cache *c, const unsigned char *oid, uint64_t off)
{
	size_t i;

	if (2 * (c->tail_n + 1) > c->tail_cap) {
		struct tslot *old = c->tail;
		size_t oldcap = c->tail_cap, j;

		c->tail_cap = oldcap ? oldcap * 2 : 64;
		c->tail = cp_xcalloc(c->tail_cap, sizeof(*c->tail));
		c->tail_n = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j].used)
				cp_cache_tail_add(c, old[j].oid, old[j].off);
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

void cp_cache_path(struct cp_sbuf *out, const char *gitdir)
{
	cp_sbuf_addf(out, "%scomplaint/cache", gitdir);
}

void cp_cache_unmap(struct cp_cache *c)
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

void cp_cache_fill_hdr(struct hdr *h, const char *zone)
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
	cp_cache_fill_hdr(&want, c->zone);
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
	tmp = cp_xmalloc(sizeof(h) + FANOUT + h.n * TENT);
	memcpy(tmp, &h, sizeof(h));
	memset(tmp + offsetof(struct hdr, sum), 0, 8);
	memcpy(tmp + sizeof(h), c->map + h.table, FANOUT + h.n * TENT);
	sum = cp_hash64(tmp, sizeof(h) + FANOUT + h.n * TENT);
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
		cp_cache_tail_add(c, r + 16, off);
		off += cp_cache_rec_size(n);
	}
	if (off != c->len)
		c->tail_bad = true;	/* a torn append: rewrite */
}

void cp_cache_map_file(struct cp_cache *c)
{
	struct stat st;
	int fd;

	cp_cache_unmap(c);
	if (cp_open_file(&fd, &st, c->path, 1) != 0) {
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
	struct cp_cache *c = cp_xcalloc(1, sizeof(*c));
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
	c->fresh = (struct cp_sbuf)CP_SBUF_INIT;
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
		cp_cache_map_file(c);
	if (zone && strlen(zone) >= sizeof(c->zone))
		cp_cache_unmap(c);
	if (write)
		remove_orphans(c->dir);
	c->st.valid = c->valid;
	return c;
}

/* ---- lookups ---- */

void cp_cache_met(struct cp_cache *c, const unsigned char oid[20])
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

	free(c->view.d.inst);	/* the last view's deadline instances (derive's) */
	if (cp_case_decode_into(&c->view, &path, &c->vflags, &c->avflags, &c->vev, &c->avev, &c->vp2,
		   payload, len) < 0)
		return -1;
	*out = &c->view;
	return 0;
}

int cp_cache_get(struct cp_case **out, struct cp_cache *c,
		 const unsigned char oid[20])
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
	    cp_cache_record_at(&payload, &len, c, c->next, c->h->table, oid) &&
	    decode_view(c, payload, len, out) == 0) {
		cp_cache_met(c, oid);
		release_behind(c, c->next);
		c->next += cp_cache_rec_size(len);
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
			if (!cp_cache_record_at(&payload, &len, c, (uint64_t)off8 * 8, c->h->table, oid) ||
			    decode_view(c, payload, len, out) < 0) {
				c->st.corrupt++;
				goto miss;
			}
			cp_cache_met(c, oid);
			release_behind(c, (uint64_t)off8 * 8);
			c->next = (uint64_t)off8 * 8 + cp_cache_rec_size(len);
			c->st.hits++;
			return 0;
		}
	}
	if ((t = tail_find(c, oid))) {
		if (!cp_cache_record_at(&payload, &len, c, t->off, c->len, oid) ||
		    decode_view(c, payload, len, out) < 0) {
			c->st.corrupt++;
			goto miss;
		}
		cp_cache_met(c, oid);
		c->st.hits++;
		return 0;
	}
miss:
	c->st.misses++;
	return 1;
}

void cp_cache_stats(struct cp_cache_stats *st, const struct cp_cache *c)
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
		if (!cp_cache_record_at(&payload, &len, c, (uint64_t)off8 * 8,
			       c->h->table, c->table + i * TENT)) {
			bad++;
			continue;
		}
		path = (const char *)payload;
		cs = NULL;
		free(c->view.d.inst);
		if (cp_case_decode_into(&c->view, &path, &c->vflags, &c->avflags, &c->vev, &c->avev,
			   &c->vp2, payload, len) == 0)
			cs = &c->view;
		else
			path = "?";
		cb(c->table + i * TENT, path, cs, data);
	}
	for (i = 0; i < c->tail_cap; i++) {
		if (!c->tail[i].used)
			continue;
		if (!cp_cache_record_at(&payload, &len, c, c->tail[i].off, c->len, c->tail[i].oid)) {
			bad++;
			continue;
		}
		cs = NULL;
		path = "?";
		free(c->view.d.inst);
		if (cp_case_decode_into(&c->view, &path, &c->vflags, &c->avflags, &c->vev, &c->avev,
			   &c->vp2, payload, len) == 0)
			cs = &c->view;
		else
			path = "?";
		cb(c->tail[i].oid, path, cs, data);
	}
	return bad;
}
