/*
 * index_file.c - git's index file read and written without libgit2:
 * one parser of .git/index (cp_index_parse), used by the reader (which
 * work-tree files the index vouches for, by their stat data) and by the
 * writer (point one entry at a new blob, fast), so the two accept the
 * same files.
 *
 * libgit2 reads and writes the whole index through its own structures:
 * about 120 ms per commit at 100,000 files.  A change here touches one
 * entry, so we copy the file's bytes around that entry instead, under
 * git's own lock (index.lock, O_EXCL), write the new index beside it and
 * rename it into place, and recompute the trailing SHA-1.  Only the plain formats are handled (versions 2 and 3);
 * caches that name offsets or tree ids (TREE, UNTR, FSMN, EOIE, IEOT) are
 * dropped, as git allows, and git rebuilds them when it wants them.
 * Anything else (version 4, a split or sparse index, an unknown mandatory
 * extension, a checksum mismatch) returns 1 and the caller falls back to
 * libgit2.
 *
 * The lock is taken before HEAD is read and released after the branch
 * has moved; the new index is put in place before the branch moves (see
 * index_file.h: a `git commit` reads HEAD, then the index without the
 * lock, so the index must never be older than the branch it sees).
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "index_file.h"
#include "lock_owner.h"
#include "complaint/i18n.h"

#define HDR 12
#define FIXED 62	/* bytes of an entry before its path (v2) */
#define SHA 20

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int sha1(const void *a, size_t alen, const void *b, size_t blen,
		const void *c, size_t clen, unsigned char out[SHA])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	     EVP_DigestUpdate(ctx, a, alen) && EVP_DigestUpdate(ctx, b, blen) &&
	     EVP_DigestUpdate(ctx, c, clen) && EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	return ok && n == SHA ? 0 : -1;
}

/* Checking the old file's SHA-1 runs beside the rest of the work. */
struct verify {
	const unsigned char *map;
	size_t len;
	int ok;
};

static void *verify_run(void *arg)
{
	struct verify *v = arg;
	unsigned char sum[SHA];

	v->ok = sha1(v->map, v->len - SHA, "", 0, "", 0, sum) == 0 &&
		!memcmp(sum, v->map + v->len - SHA, SHA);
	return NULL;
}

/* Bytes an entry takes: fixed part, path, NUL padding to a multiple of 8. */
static size_t entry_size(size_t fixed, size_t pathlen)
{
	return (fixed + pathlen + 8) & ~(size_t)7;
}

static void make_entry(struct cp_sbuf *sb, const struct cp_index_entry *e)
{
	unsigned char fixed[FIXED];
	size_t plen = strlen(e->path), size = entry_size(FIXED, plen);
	uint16_t flags = (uint16_t)(plen < 0xfff ? plen : 0xfff);

	put32(fixed + 0, e->ctime_s);
	put32(fixed + 4, e->ctime_ns);
	put32(fixed + 8, e->mtime_s);
	put32(fixed + 12, e->mtime_ns);
	put32(fixed + 16, e->dev);
	put32(fixed + 20, e->ino);
	put32(fixed + 24, e->mode);
	put32(fixed + 28, e->uid);
	put32(fixed + 32, e->gid);
	put32(fixed + 36, e->size);
	memcpy(fixed + 40, e->oid, SHA);
	fixed[60] = (unsigned char)(flags >> 8);
	fixed[61] = (unsigned char)flags;
	cp_sbuf_add(sb, fixed, FIXED);
	cp_sbuf_add(sb, e->path, plen);
	cp_sbuf_addchars(sb, '\0', size - FIXED - plen);
}

/* git orders entries by path bytes, then stage. */
static int path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* ---- the parser ---- */

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t cp_index_entry(const char **path, size_t *plen, const unsigned char *map,
		      size_t off, size_t limit)
{
	size_t fixed = FIXED, n;
	const char *p;

	if (off + FIXED + 2 > limit)
		return 0;
	if (get16(map + off + 60) & 0x4000)
		fixed += 2;
	p = (const char *)map + off + fixed;
	n = strnlen(p, limit - (off + fixed));
	if (off + fixed + n >= limit)
		return 0;
	*path = p;
	*plen = n;
	return entry_size(fixed, n);
}

int cp_index_parse(struct cp_index_layout *out, const unsigned char *map, size_t len)
{
	size_t off = HDR, k, plen;
	const char *p;
	uint32_t i;

	if (len < HDR + SHA)
		return 1;
	out->version = get32(map + 4);
	out->count = get32(map + 8);
	if (memcmp(map, "DIRC", 4) || (out->version != 2 && out->version != 3))
		return 1;
	for (i = 0; i < out->count; i++) {
		if (!(k = cp_index_entry(&p, &plen, map, off, len - SHA)))
			return 1;
		if ((get16(map + off + 60) & 0x4000) && out->version < 3)
			return 1;	/* extended flags are version 3's */
		off += k;
	}
	out->body_end = off;
	while (off + 8 <= len - SHA) {
		const unsigned char *sig = map + off;
		uint32_t size = get32(sig + 4);

		if (off + 8 + size > len - SHA)
			return 1;
		/* a lowercase (mandatory) extension: "link" split index, "sdir" ... */
		if (sig[0] < 'A' || sig[0] > 'Z')
			return 1;
		off += 8 + size;
	}
	return off == len - SHA ? 0 : 1;
}

/* ---- the reader ---- */

bool cp_index_read_open(struct cp_index_reader *ix, const char *gitdir)
{
	static const unsigned char zero[SHA];
	struct cp_index_layout lay;
	char path[PATH_MAX];
	unsigned char sum[SHA];
	unsigned int n = 0;
	struct stat st;
	int fd;

	memset(ix, 0, sizeof(*ix));
	snprintf(path, sizeof(path), "%sindex", gitdir);
	if (cp_open_file(&fd, &st, path, 1) != 0) {
		cp_error_clear();
		return false;	/* missing, or not a file: hash instead */
	}
	if (st.st_size < HDR + SHA) {
		close(fd);
		return false;
	}
	ix->len = (size_t)st.st_size;
	ix->mtime = st.st_mtim;
	ix->map = mmap(NULL, ix->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		return false;
	}
	if (cp_index_parse(&lay, ix->map, ix->len) != 0)
		goto bad;
	/* git checks the trailing SHA-1 on every read (zero: index.skipHash) */
	if (memcmp(ix->map + ix->len - SHA, zero, SHA) &&
	    (!EVP_Digest(ix->map, ix->len - SHA, sum, &n, EVP_sha1(), NULL) ||
	     n != SHA || memcmp(sum, ix->map + ix->len - SHA, SHA)))
		goto bad;
	ix->end = lay.body_end;
	ix->off = HDR;
	ix->left = lay.count;
	madvise(ix->map, ix->len, MADV_SEQUENTIAL);
	return true;
bad:
	cp_index_read_close(ix);
	return false;
}

void cp_index_read_close(struct cp_index_reader *ix)
{
	if (ix->map)
		munmap(ix->map, ix->len);
	memset(ix, 0, sizeof(*ix));
}

const unsigned char *cp_index_read_find(struct cp_index_reader *ix, const char *path)
{
	size_t plen = strlen(path), k, n;
	const char *p;
	int c;

	while (ix->left) {
		k = cp_index_entry(&p, &n, ix->map, ix->off, ix->end);
		c = path_cmp(p, n, path, plen);
		if (c > 0)
			return NULL;
		if (c == 0)
			return ix->map + ix->off;
		ix->off += k;
		ix->left--;
	}
	return NULL;
}

bool cp_index_vouches(const struct cp_index_reader *ix, const unsigned char *e,
		      const struct stat *st)
{
	uint16_t flags = get16(e + 60);
	uint32_t ms = get32(e + 8), mns = get32(e + 12);

	if (flags & 0xb000)		/* assume-valid, or a conflict stage */
		return false;
	if ((flags & 0x4000) && (get16(e + 62) & 0x6000))
		return false;		/* skip-worktree, intent-to-add */
	if ((get32(e + 24) & 0170000) != 0100000 || !S_ISREG(st->st_mode))
		return false;
	if (ms != (uint32_t)st->st_mtim.tv_sec || mns != (uint32_t)st->st_mtim.tv_nsec ||
	    get32(e + 0) != (uint32_t)st->st_ctim.tv_sec ||
	    get32(e + 4) != (uint32_t)st->st_ctim.tv_nsec ||
	    get32(e + 20) != (uint32_t)st->st_ino ||
	    get32(e + 28) != (uint32_t)st->st_uid ||
	    get32(e + 32) != (uint32_t)st->st_gid ||
	    get32(e + 36) != (uint32_t)st->st_size)
		return false;
	/* racy: the file may have changed in the instant the index was written */
	if ((uint32_t)ix->mtime.tv_sec < ms ||
	    ((uint32_t)ix->mtime.tv_sec == ms && (uint32_t)ix->mtime.tv_nsec <= mns))
		return false;
	return true;
}

/* ---- the writer ---- */

int cp_index_lock(struct cp_index_lock *l, const char *gitdir, const char *workdir,
		  int timeout_ms)
{
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };
	struct cp_lock_owner o;
	char who[256];
	long waited;
	int held;

	memset(l, 0, sizeof(*l));
	cp_sbuf_init(&l->tail);
	l->fd = -1;
	l->map = MAP_FAILED;
	snprintf(l->index, sizeof(l->index), "%sindex", gitdir);
	snprintf(l->lock, sizeof(l->lock), "%sindex.lock", gitdir);
	snprintf(l->fresh, sizeof(l->fresh), "%sindex.complaint-new", gitdir);
	snprintf(l->old, sizeof(l->old), "%sindex.complaint-old", gitdir);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		l->fd = open(l->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (l->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return cp_error(CP_ESYS, _("cannot create '%s': %s"), l->lock, strerror(errno));
		held = cp_lock_owner(&o, l->lock, workdir, gitdir);
		if (held == CP_LOCK_GONE)
			continue;	/* released meanwhile: try again */
		if (held == CP_LOCK_STALE) {
			return cp_error_hint(CP_EBUSY, CP_HINT_OR_REPAIR,
					_("'%s' exists: a git process was killed while changing the index (no process holds it); remove it (rm '%s')"),
					l->lock, l->lock);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			return cp_error_hint(CP_EBUSY, CP_HINT_LOCK_WAIT,
					_("'%s' exists: another git process is changing the index%s (waited %.1f s); try again when it is done"),
					l->lock, cp_lock_owner_str(who, sizeof(who), &o),
					timeout_ms / 1000.0);
		nanosleep(&nap, NULL);
	}
}

static void unplan(struct cp_index_lock *l)
{
	if (l->map != MAP_FAILED)
		munmap(l->map, l->len);
	l->map = MAP_FAILED;
	cp_sbuf_release(&l->tail);
	l->planned = false;
}

int cp_index_unlock(struct cp_index_lock *l)
{
	struct stat a, b;
	int r = 0;

	unplan(l);
	if (l->fd < 0)
		return 0;
	if (l->had_old)
		unlink(l->old);
	l->had_old = l->replaced = false;
	/* remove the lock only while it is still our file */
	if (fstat(l->fd, &a) == 0 && lstat(l->lock, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino && unlink(l->lock) < 0)
		r = cp_error(CP_ESYS, _("cannot remove '%s': %s"), l->lock, strerror(errno));
	close(l->fd);
	l->fd = -1;
	return r;
}

/*
 * Put the file at from in place of the index, the lock still held.  The
 * first time, the index it replaces is kept (a hard link) for
 * cp_index_put_back().
 */
static int replace_index(struct cp_index_lock *l, const char *from)
{
	if (l->fd < 0)
		return cp_error(CP_ESYS, _("the index is not locked"));
	if (!l->replaced) {
		unlink(l->old);		/* a killed run's: nobody else's under the lock */
		if (link(l->index, l->old) == 0)
			l->had_old = true;
		else if (errno != ENOENT)
			return cp_error(CP_ESYS, _("cannot keep '%s' as '%s': %s"), l->index,
					l->old, strerror(errno));
	}
	if (rename(from, l->index) < 0)
		return cp_error(CP_ESYS, _("cannot rename '%s' to '%s': %s"), from, l->index,
				strerror(errno));
	l->replaced = true;
	return 0;
}

int cp_index_put_back(struct cp_index_lock *l)
{
	int r = 0;

	if (!l->replaced || l->fd < 0)
		return 0;
	if (l->had_old ? rename(l->old, l->index) < 0 : unlink(l->index) < 0)
		r = cp_error(CP_ESYS, _("cannot put the old index back in '%s': %s"), l->index,
			     strerror(errno));
	else
		l->had_old = l->replaced = false;
	return r;
}

int cp_index_plan(struct cp_index_lock *l, const char *epath)
{
	struct cp_index_layout lay;
	unsigned char *map;
	size_t len, off, plen = strlen(epath);
	uint32_t i;
	struct stat st;
	struct verify vf;
	pthread_t verifier;
	int fd, r = 1, found = 0, verifying = 0;

	unplan(l);
	if ((r = cp_open_file(&fd, &st, l->index, 1)) != 0)
		return r;	/* 1: no index yet, let libgit2 make one */
	r = 1;
	if (st.st_size < HDR + SHA) {
		close(fd);
		return 1;
	}
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 1;
	l->map = map;
	l->len = len;
	/* a damaged index must not be re-signed as good: check it meanwhile */
	vf.map = map;
	vf.len = len;
	vf.ok = 0;
	if (pthread_create(&verifier, NULL, verify_run, &vf) == 0)
		verifying = 1;
	else
		verify_run(&vf);
	if (cp_index_parse(&lay, map, len) != 0)
		goto out;
	/* the entries (the parser found them well formed): conflicts, and the path's place */
	off = HDR;
	for (i = 0; i < lay.count; i++) {
		const char *p;
		size_t n, k = cp_index_entry(&p, &n, map, off, lay.body_end);

		if (get16(map + off + 60) & 0x3000) {
			r = cp_error(CP_EBUSY,
				     _("the index has unmerged paths ('%.*s'...: a merge, rebase, cherry-pick or stash stopped at a conflict); resolve them (git add) or abort, then try again"),
				     (int)n, p);
			goto out;
		}
		if (!found) {
			int c = path_cmp(p, n, epath, plen);

			if (c >= 0) {
				found = 1;
				l->start = off;
				l->end = c == 0 ? off + k : off;
			}
		}
		off += k;
	}
	if (!found)
		l->start = l->end = off;
	l->body_end = off;
	l->count = lay.count;
	/* extensions: keep the resolve-undo record, drop the caches */
	while (off + 8 <= len - SHA) {
		uint32_t size = get32(map + off + 4);

		if (!memcmp(map + off, "REUC", 4))
			cp_sbuf_add(&l->tail, map + off, 8 + size);
		off += 8 + size;
	}
	if (verifying) {
		pthread_join(verifier, NULL);
		verifying = 0;
	}
	if (!vf.ok)
		goto out;	/* corrupt or written with skipHash: not ours to judge */
	l->planned = true;
	r = 0;
out:
	if (verifying)
		pthread_join(verifier, NULL);
	if (r != 0)
		unplan(l);
	return r;
}

int cp_index_commit_entry(struct cp_index_lock *l, const struct cp_index_entry *e)
{
	struct cp_sbuf entry = CP_SBUF_INIT;
	unsigned char hdr[HDR], sum[SHA];
	const unsigned char *map = l->map;
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	int fd, r;

	if (!l->planned || l->fd < 0)
		return cp_error(CP_ESYS, _("the index update was not prepared"));
	make_entry(&entry, e);
	memcpy(hdr, map, HDR);
	put32(hdr + 8, l->count + (l->end == l->start ? 1 : 0));
	/* header, entries before, ours, entries after, extensions, checksum */
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, hdr, HDR) ||
	    !EVP_DigestUpdate(ctx, map + HDR, l->start - HDR) ||
	    !EVP_DigestUpdate(ctx, entry.buf, entry.len) ||
	    !EVP_DigestUpdate(ctx, map + l->end, l->body_end - l->end) ||
	    !EVP_DigestUpdate(ctx, l->tail.buf, l->tail.len) ||
	    !EVP_DigestFinal_ex(ctx, sum, &n)) {
		EVP_MD_CTX_free(ctx);
		cp_sbuf_release(&entry);
		return cp_error(CP_ESYS, _("cannot compute the index checksum"));
	}
	EVP_MD_CTX_free(ctx);
	unlink(l->fresh);	/* a killed run's: nobody else's under the lock */
	fd = open(l->fresh, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0) {
		cp_sbuf_release(&entry);
		return cp_error(CP_ESYS, _("cannot create '%s': %s"), l->fresh, strerror(errno));
	}
	if ((r = cp_write_all(fd, (const char *)hdr, HDR, l->fresh)) < 0 ||
	    (r = cp_write_all(fd, (const char *)map + HDR, l->start - HDR, l->fresh)) < 0 ||
	    (r = cp_write_all(fd, entry.buf, entry.len, l->fresh)) < 0 ||
	    (r = cp_write_all(fd, (const char *)map + l->end, l->body_end - l->end, l->fresh)) < 0 ||
	    (r = cp_write_all(fd, l->tail.buf, l->tail.len, l->fresh)) < 0 ||
	    (r = cp_write_all(fd, (const char *)sum, SHA, l->fresh)) < 0) {
		cp_sbuf_release(&entry);
		close(fd);
		unlink(l->fresh);
		return r;
	}
	cp_sbuf_release(&entry);
	/* No fsync: like git, the index is not made durable; the commit is. */
	if (close(fd) < 0) {
		r = cp_error(CP_ESYS, _("cannot write '%s': %s"), l->fresh, strerror(errno));
		unlink(l->fresh);
		return r;
	}
	if ((r = replace_index(l, l->fresh)) < 0)
		unlink(l->fresh);
	unplan(l);
	return r;
}

int cp_index_commit_file(struct cp_index_lock *l, const char *from)
{
	return replace_index(l, from);
}
