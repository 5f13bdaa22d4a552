/*
 * index_file.c - point one entry of .git/index at a new blob, fast.
 *
 * libgit2 reads and writes the whole index through its own structures:
 * about 120 ms per commit at 100,000 files.  A change here touches one
 * entry, so we copy the file's bytes around that entry instead, under
 * git's own lock protocol (index.lock, O_EXCL, rename), and recompute the
 * trailing SHA-1.  Only the plain formats are handled (versions 2 and 3);
 * caches that name offsets or tree ids (TREE, UNTR, FSMN, EOIE, IEOT) are
 * dropped, as git allows, and git rebuilds them when it wants them.
 * Anything else (version 4, a split or sparse index, an unknown mandatory
 * extension, a checksum mismatch) returns 1 and the caller falls back to
 * libgit2.
 *
 * The lock is taken before the branch moves and released when the new
 * index is in place (git's own order for a commit): in between, a
 * `git commit` cannot take it, so it cannot record the old index on top
 * of our commit and revert it.
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
#include <openssl/evp.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "index_file.h"
#include "lock_owner.h"

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

static void make_entry(struct sbuf *sb, const struct cp_index_entry *e)
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
	sbuf_add(sb, fixed, FIXED);
	sbuf_add(sb, e->path, plen);
	sbuf_addchars(sb, '\0', size - FIXED - plen);
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

int cp_index_lock(struct cp_index_lock *l, const char *gitdir, const char *workdir,
		  int timeout_ms)
{
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };
	struct cp_lock_owner o;
	char who[256];
	long waited;
	int held;

	memset(l, 0, sizeof(*l));
	sbuf_init(&l->tail);
	l->fd = -1;
	l->map = MAP_FAILED;
	snprintf(l->index, sizeof(l->index), "%sindex", gitdir);
	snprintf(l->lock, sizeof(l->lock), "%sindex.lock", gitdir);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		l->fd = open(l->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (l->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return cp_error(CP_ESYS, "cannot create '%s': %s", l->lock, strerror(errno));
		held = cp_lock_owner(l->lock, workdir, gitdir, &o);
		if (held == CP_LOCK_GONE)
			continue;	/* released meanwhile: try again */
		if (held == CP_LOCK_STALE) {
			return cp_error(CP_EBUSY,
					"'%s' exists: a git process was killed while changing the index (no process holds it); remove it (rm '%s') or run 'complaint check --repair'",
					l->lock, l->lock);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 +
			 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			return cp_error(CP_EBUSY,
					"'%s' exists: another git process is changing the index%s (waited %.1f s; see --lock-timeout); try again when it is done",
					l->lock, cp_lock_owner_str(&o, who, sizeof(who)),
					timeout_ms / 1000.0);
		nanosleep(&nap, NULL);
	}
}

static void unplan(struct cp_index_lock *l)
{
	if (l->map != MAP_FAILED)
		munmap(l->map, l->len);
	l->map = MAP_FAILED;
	sbuf_release(&l->tail);
	l->planned = false;
}

void cp_index_unlock(struct cp_index_lock *l)
{
	struct stat a, b;

	unplan(l);
	if (l->fd < 0)
		return;
	/* remove the lock only while it is still our file */
	if (fstat(l->fd, &a) == 0 && lstat(l->lock, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		unlink(l->lock);
	close(l->fd);
	l->fd = -1;
}

int cp_index_plan(struct cp_index_lock *l, const char *epath)
{
	unsigned char *map;
	size_t len, off, plen = strlen(epath);
	uint32_t version, count, i;
	struct stat st;
	struct verify vf;
	pthread_t verifier;
	int fd, r = 1, found = 0, verifying = 0;

	unplan(l);
	if ((r = cp_open_file(l->index, &fd, &st, 1)) != 0)
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
	version = get32(map + 4);
	count = get32(map + 8);
	if (memcmp(map, "DIRC", 4) || (version != 2 && version != 3))
		goto out;
	/* a damaged index must not be re-signed as good: check it meanwhile */
	vf.map = map;
	vf.len = len;
	vf.ok = 0;
	if (pthread_create(&verifier, NULL, verify_run, &vf) == 0)
		verifying = 1;
	else
		verify_run(&vf);
	/* walk the entries to the place of the path */
	off = HDR;
	for (i = 0; i < count; i++) {
		size_t fixed = FIXED, n;
		uint16_t flags;
		const char *p;

		if (off + FIXED > len - SHA)
			goto out;
		flags = (uint16_t)(map[off + 60] << 8 | map[off + 61]);
		if (flags & 0x4000) {
			if (version < 3)
				goto out;
			fixed += 2;
		}
		p = (const char *)map + off + fixed;
		n = strnlen(p, len - SHA - (off + fixed));
		if (off + fixed + n >= len - SHA)
			goto out;
		if (flags & 0x3000) {
			r = cp_error(CP_EBUSY,
				     "the index has unmerged paths ('%.*s'...: a merge, rebase, cherry-pick or stash stopped at a conflict); resolve them (git add) or abort, then try again",
				     (int)n, p);
			goto out;
		}
		if (!found) {
			int c = path_cmp(p, n, epath, plen);

			if (c >= 0) {
				found = 1;
				l->start = off;
				l->end = off;
				if (c == 0)
					l->end = off + entry_size(fixed, n);
			}
		}
		off += entry_size(fixed, n);
	}
	if (!found)
		l->start = l->end = off;
	l->body_end = off;
	l->count = count;
	/* extensions: keep the resolve-undo record, drop the caches */
	while (off + 8 <= len - SHA) {
		const unsigned char *sig = map + off;
		uint32_t size = get32(map + off + 4);

		if (off + 8 + size > len - SHA)
			goto out;
		if (sig[0] < 'A' || sig[0] > 'Z')
			goto out;	/* mandatory extension (link, sdir...) */
		if (!memcmp(sig, "REUC", 4))
			sbuf_add(&l->tail, sig, 8 + size);
		off += 8 + size;
	}
	if (off != len - SHA)
		goto out;
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
	struct sbuf entry = SBUF_INIT;
	unsigned char hdr[HDR], sum[SHA];
	const unsigned char *map = l->map;
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	int r;

	if (!l->planned || l->fd < 0)
		return cp_error(CP_ESYS, "the index update was not prepared");
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
		sbuf_release(&entry);
		return cp_error(CP_ESYS, "cannot compute the index checksum");
	}
	EVP_MD_CTX_free(ctx);
	if ((r = cp_write_all(l->fd, (const char *)hdr, HDR, l->lock)) < 0 ||
	    (r = cp_write_all(l->fd, (const char *)map + HDR, l->start - HDR, l->lock)) < 0 ||
	    (r = cp_write_all(l->fd, entry.buf, entry.len, l->lock)) < 0 ||
	    (r = cp_write_all(l->fd, (const char *)map + l->end, l->body_end - l->end, l->lock)) < 0 ||
	    (r = cp_write_all(l->fd, l->tail.buf, l->tail.len, l->lock)) < 0 ||
	    (r = cp_write_all(l->fd, (const char *)sum, SHA, l->lock)) < 0) {
		sbuf_release(&entry);
		return r;
	}
	sbuf_release(&entry);
	/*
	 * No fsync: like git, the index is not made durable; the commit is.
	 * An index lost in a crash is put back by `complaint check --repair`.
	 * Renamed while still open, so that the lock has a holder to the end.
	 */
	if (rename(l->lock, l->index) < 0)
		return cp_error(CP_ESYS, "cannot rename '%s': %s", l->lock, strerror(errno));
	r = close(l->fd) < 0 ? cp_error(CP_ESYS, "cannot write '%s': %s", l->index, strerror(errno)) : 0;
	l->fd = -1;
	unplan(l);
	return r;
}

int cp_index_commit_file(struct cp_index_lock *l, const char *from)
{
	if (l->fd < 0)
		return cp_error(CP_ESYS, "the index is not locked");
	if (rename(from, l->index) < 0)
		return cp_error(CP_ESYS, "cannot rename '%s' to '%s': %s", from, l->index,
				strerror(errno));
	cp_index_unlock(l);
	return 0;
}
