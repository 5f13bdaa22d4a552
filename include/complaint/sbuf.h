/*
 * sbuf.h - a growable byte string.
 *
 * Invariants: buf is never NULL and always NUL-terminated at buf[len]
 * (an unused sbuf points at a shared empty string); len < alloc or
 * alloc == 0.  Memory exhaustion aborts (there is no sensible recovery
 * for a command-line tool that is short of a few kilobytes).
 */
#ifndef COMPLAINT_SBUF_H
#define COMPLAINT_SBUF_H

#include <stddef.h>

struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
/* Hand the buffer to the caller (free() it); sb is reset. */
char *sbuf_detach(struct sbuf *sb, size_t *len);
void sbuf_reset(struct sbuf *sb);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_setlen(struct sbuf *sb, size_t len);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append n copies of c. */
void sbuf_addchars(struct sbuf *sb, int c, size_t n);

/* Allocation helpers that abort on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *arr (element size sz) so that it holds at least need elements. */
void *xgrow(void *arr, size_t need, size_t *alloc, size_t sz);
#define ALLOC_GROW(arr, need, alloc) \
	((arr) = xgrow((arr), (need), &(alloc), sizeof(*(arr))))

#endif
