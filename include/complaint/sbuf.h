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

struct cp_sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char cp_sbuf_empty[];
#define CP_SBUF_INIT { cp_sbuf_empty, 0, 0 }

void cp_sbuf_init(struct cp_sbuf *sb);
void cp_sbuf_release(struct cp_sbuf *sb);
/* Hand the buffer to the caller (free() it); sb is reset. */
char *cp_sbuf_detach(struct cp_sbuf *sb, size_t *len);
void cp_sbuf_reset(struct cp_sbuf *sb);
void cp_sbuf_grow(struct cp_sbuf *sb, size_t extra);
void cp_sbuf_setlen(struct cp_sbuf *sb, size_t len);
void cp_sbuf_add(struct cp_sbuf *sb, const void *data, size_t len);
void cp_sbuf_adds(struct cp_sbuf *sb, const char *s);
void cp_sbuf_addch(struct cp_sbuf *sb, int c);
void cp_sbuf_addf(struct cp_sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append n copies of c. */
void cp_sbuf_addchars(struct cp_sbuf *sb, int c, size_t n);

/* Allocation helpers that abort on exhaustion. */
void *cp_xmalloc(size_t n);
void *cp_xcalloc(size_t n, size_t size);
void *cp_xrealloc(void *p, size_t n);
char *cp_xstrdup(const char *s);
char *cp_xstrndup(const char *s, size_t n);
/* Grow *arr (element size sz) so that it holds at least need elements. */
void *cp_xgrow(void *arr, size_t need, size_t *alloc, size_t sz);
#define ALLOC_GROW(arr, need, alloc) \
	((arr) = cp_xgrow((arr), (need), &(alloc), sizeof(*(arr))))

#endif
