#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/sbuf.h"

/* per thread: query.c parses in a second thread */
static _Thread_local struct cp_err last;

static int record(int kind, enum cp_hint hint, const char *fmt, va_list ap)
{
	vsnprintf(last.msg, sizeof(last.msg), fmt, ap);
	last.kind = kind;
	last.hint = hint;
	return -kind;
}

int cp_error(int kind, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = record(kind, CP_HINT_NONE, fmt, ap);
	va_end(ap);
	return r;
}

int cp_error_hint(int kind, enum cp_hint hint, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = record(kind, hint, fmt, ap);
	va_end(ap);
	return r;
}

int cp_error_set_hint(enum cp_hint hint)
{
	last.hint = hint;
	if (!last.kind)
		last.kind = CP_ESYS;
	return -last.kind;
}

int cp_error_wrap(const char *fmt, ...)
{
	char prefix[1024], old[sizeof(last.msg)];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last.msg, sizeof(old));
	n = strlen(prefix);
	memcpy(last.msg, prefix, n);
	last.msg[n++] = ':';
	last.msg[n++] = ' ';
	memcpy(last.msg + n, old, sizeof(last.msg) - n - 1);
	last.msg[sizeof(last.msg) - 1] = '\0';
	if (!last.kind)
		last.kind = CP_ESYS;
	return -last.kind;
}

const char *cp_errmsg(void)
{
	return last.msg;
}

int cp_errkind(void)
{
	return last.kind;
}

enum cp_hint cp_errhint(void)
{
	return last.hint;
}

const struct cp_err *cp_err_last(void)
{
	return &last;
}

void cp_error_clear(void)
{
	last.msg[0] = '\0';
	last.kind = 0;
	last.hint = CP_HINT_NONE;
}

static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kept {
	char *msg;
	enum cp_hint hint;
} *warnings;
static size_t nwarnings, awarnings;

static void keep(enum cp_hint hint, const char *fmt, va_list ap)
{
	char buf[2048];
	size_t i;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	pthread_mutex_lock(&warn_mu);
	for (i = 0; i < nwarnings; i++)
		if (!strcmp(warnings[i].msg, buf) && warnings[i].hint == hint)
			break;
	if (i == nwarnings) {
		ALLOC_GROW(warnings, nwarnings + 1, awarnings);
		warnings[nwarnings].msg = cp_xstrdup(buf);
		warnings[nwarnings++].hint = hint;
	}
	pthread_mutex_unlock(&warn_mu);
}

void cp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(CP_HINT_NONE, fmt, ap);
	va_end(ap);
}

void cp_warn_hint(enum cp_hint hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(hint, fmt, ap);
	va_end(ap);
}

void cp_warnings_flush(void (*fn)(const char *msg, enum cp_hint hint))
{
	size_t i;

	pthread_mutex_lock(&warn_mu);
	for (i = 0; i < nwarnings; i++) {
		if (fn)
			fn(warnings[i].msg, warnings[i].hint);
		free(warnings[i].msg);
	}
	free(warnings);
	warnings = NULL;
	nwarnings = awarnings = 0;
	pthread_mutex_unlock(&warn_mu);
}
