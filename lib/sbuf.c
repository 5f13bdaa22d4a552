#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/sbuf.h"

char cp_sbuf_empty[1];

void *cp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *cp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *cp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *cp_xstrdup(const char *s)
{
	return cp_xstrndup(s, strlen(s));
}

char *cp_xstrndup(const char *s, size_t n)
{
	char *p = cp_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *cp_xgrow(void *arr, size_t need, size_t *alloc, size_t sz)
{
	size_t n;

	if (need <= *alloc)
		return arr;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > ((size_t)-1) / 4 / sz)
			abort();
		n = n * 3 / 2 + 8;
	}
	arr = cp_xrealloc(arr, n * sz);
	*alloc = n;
	return arr;
}

void cp_sbuf_init(struct cp_sbuf *sb)
{
	sb->buf = cp_sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void cp_sbuf_release(struct cp_sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	cp_sbuf_init(sb);
}

char *cp_sbuf_detach(struct cp_sbuf *sb, size_t *len)
{
	char *r;

	if (len)
		*len = sb->len;
	r = sb->alloc ? sb->buf : cp_xstrdup("");
	cp_sbuf_init(sb);
	return r;
}

void cp_sbuf_reset(struct cp_sbuf *sb)
{
	cp_sbuf_setlen(sb, 0);
}

void cp_sbuf_grow(struct cp_sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	int fresh = !sb->alloc;

	if (need < sb->len)
		abort();
	if (need <= sb->alloc)
		return;
	if (fresh)
		sb->buf = NULL;
	sb->buf = cp_xgrow(sb->buf, need, &sb->alloc, 1);
	if (fresh)
		sb->buf[0] = '\0';
}

void cp_sbuf_setlen(struct cp_sbuf *sb, size_t len)
{
	if (!sb->alloc) {
		if (len)
			abort();
		return;
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void cp_sbuf_add(struct cp_sbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	cp_sbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void cp_sbuf_adds(struct cp_sbuf *sb, const char *s)
{
	cp_sbuf_add(sb, s, strlen(s));
}

void cp_sbuf_addch(struct cp_sbuf *sb, int c)
{
	cp_sbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void cp_sbuf_addchars(struct cp_sbuf *sb, int c, size_t n)
{
	cp_sbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void cp_sbuf_addf(struct cp_sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	cp_sbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}
