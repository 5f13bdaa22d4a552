#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/sbuf.h"

/* per thread: query.c parses in a second thread */
static _Thread_local char last_msg[2048];
static _Thread_local int last_kind;

int cp_error(int kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_kind = kind;
	return -kind;
}

int cp_error_wrap(const char *fmt, ...)
{
	char prefix[1024], old[sizeof(last_msg)];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_msg, sizeof(old));
	n = strlen(prefix);
	memcpy(last_msg, prefix, n);
	last_msg[n++] = ':';
	last_msg[n++] = ' ';
	memcpy(last_msg + n, old, sizeof(last_msg) - n - 1);
	last_msg[sizeof(last_msg) - 1] = '\0';
	if (!last_kind)
		last_kind = CP_ESYS;
	return -last_kind;
}

const char *cp_errmsg(void)
{
	return last_msg;
}

int cp_errkind(void)
{
	return last_kind;
}

void cp_error_clear(void)
{
	last_msg[0] = '\0';
	last_kind = 0;
}

static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static char **warnings;
static size_t nwarnings, awarnings;

void cp_warn(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&warn_mu);
	for (i = 0; i < nwarnings; i++)
		if (!strcmp(warnings[i], buf))
			break;
	if (i == nwarnings) {
		ALLOC_GROW(warnings, nwarnings + 1, awarnings);
		warnings[nwarnings++] = xstrdup(buf);
	}
	pthread_mutex_unlock(&warn_mu);
}

void cp_warnings_flush(void (*fn)(const char *msg))
{
	size_t i;

	pthread_mutex_lock(&warn_mu);
	for (i = 0; i < nwarnings; i++) {
		if (fn)
			fn(warnings[i]);
		free(warnings[i]);
	}
	free(warnings);
	warnings = NULL;
	nwarnings = awarnings = 0;
	pthread_mutex_unlock(&warn_mu);
}
