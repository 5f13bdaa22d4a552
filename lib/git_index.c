/*
 * git_index.c - point one entry of .git/index at a new blob, fast.
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
#include <unistd.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "complaint/fsutil.h"
#include "git_index.h"

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

int cp_index_upsert(const char *gitdir, const struct cp_index_entry *e)
{
	char path[4096], lock[4096];
	unsigned char *map = MAP_FAILED, hdr[HDR], sum[SHA];
	struct sbuf entry = SBUF_INIT, tail = SBUF_INIT;
	size_t len = 0, off, body_end, start = 0, end = 0, plen = strlen(e->path);
	uint32_t version, count, i;
	struct stat st;
	struct verify vf;
	pthread_t verifier;
	int fd = -1, lfd = -1, r = 1, found = 0, verifying = 0;

	snprintf(path, sizeof(path), "%sindex", gitdir);
	snprintf(lock, sizeof(lock), "%sindex.lock", gitdir);
	if ((r = cp_open_file(path, &fd, &st, 1)) != 0)
		return r;	/* 1: no index yet, let libgit2 make one */
	r = 1;
	if (st.st_size < HDR + SHA)
		goto out;
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
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
	/* walk the entries to the place of e->path */
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
		if (!found) {
			int c = path_cmp(p, n, e->path, plen);

			if (c == 0 && (flags & 0x3000))
				goto out;	/* a conflicted path: leave it to libgit2 */
			if (c >= 0) {
				found = 1;
				start = off;
				end = off;
				if (c == 0)
					end = off + entry_size(fixed, n);
			}
		}
		off += entry_size(fixed, n);
	}
	if (!found)
		start = end = off;
	body_end = off;
	/* extensions: keep the resolve-undo record, drop the caches */
	while (off + 8 <= len - SHA) {
		const unsigned char *sig = map + off;
		uint32_t size = get32(map + off + 4);

		if (off + 8 + size > len - SHA)
			goto out;
		if (sig[0] < 'A' || sig[0] > 'Z')
			goto out;	/* mandatory extension (link, sdir...) */
		if (!memcmp(sig, "REUC", 4))
			sbuf_add(&tail, sig, 8 + size);
		off += 8 + size;
	}
	if (off != len - SHA)
		goto out;
	make_entry(&entry, e);
	memcpy(hdr, map, HDR);
	put32(hdr + 8, count + (end == start ? 1 : 0));
	/* header, entries before, ours, entries after, extensions, checksum */
	{
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		unsigned int n = 0;

		if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
		    !EVP_DigestUpdate(ctx, hdr, HDR) ||
		    !EVP_DigestUpdate(ctx, map + HDR, start - HDR) ||
		    !EVP_DigestUpdate(ctx, entry.buf, entry.len) ||
		    !EVP_DigestUpdate(ctx, map + end, body_end - end) ||
		    !EVP_DigestUpdate(ctx, tail.buf, tail.len) ||
		    !EVP_DigestFinal_ex(ctx, sum, &n)) {
			EVP_MD_CTX_free(ctx);
			r = cp_error(CP_ESYS, "cannot compute the index checksum");
			goto out;
		}
		EVP_MD_CTX_free(ctx);
	}
	if (verifying) {
		pthread_join(verifier, NULL);
		verifying = 0;
	}
	if (!vf.ok)
		goto out;	/* corrupt or written with skipHash: not ours to judge */
	lfd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (lfd < 0) {
		r = cp_error(errno == EEXIST ? CP_EBUSY : CP_ESYS,
			     "cannot lock the index ('%s'): %s", lock, strerror(errno));
		goto out;
	}
	if ((r = cp_write_all(lfd, (const char *)hdr, HDR, lock)) < 0 ||
	    (r = cp_write_all(lfd, (const char *)map + HDR, start - HDR, lock)) < 0 ||
	    (r = cp_write_all(lfd, entry.buf, entry.len, lock)) < 0 ||
	    (r = cp_write_all(lfd, (const char *)map + end, body_end - end, lock)) < 0 ||
	    (r = cp_write_all(lfd, tail.buf, tail.len, lock)) < 0 ||
	    (r = cp_write_all(lfd, (const char *)sum, SHA, lock)) < 0)
		goto fail;
	/*
	 * No fsync: like git, the index is not made durable; the commit is.
	 * An index lost in a crash is put back by `complaint check --repair`.
	 */
	if (close(lfd) < 0) {
		lfd = -1;
		r = cp_error(CP_ESYS, "cannot write '%s': %s", lock, strerror(errno));
		goto fail;
	}
	lfd = -1;
	if (rename(lock, path) < 0) {
		r = cp_error(CP_ESYS, "cannot rename '%s': %s", lock, strerror(errno));
		goto fail;
	}
	r = 0;
	goto out;
fail:
	if (lfd >= 0)
		close(lfd);
	unlink(lock);
out:
	if (verifying)
		pthread_join(verifier, NULL);
	if (map != MAP_FAILED)
		munmap(map, len);
	if (fd >= 0)
		close(fd);
	sbuf_release(&entry);
	sbuf_release(&tail);
	return r;
}
