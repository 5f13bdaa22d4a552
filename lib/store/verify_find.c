/*
 * verify_find.c - one finding of `complaint verify`, handed to the
 * caller's callback.  verify.c (commits) and verify_case.c (case files)
 * both report through it, so that neither calls the other back.
 */
#include <stdarg.h>
#include <stdio.h>

#include <git2.h>

#include "complaint/sbuf.h"
#include "complaint/verify.h"
#include "verify_priv.h"

void cp_verify_find(struct verifier *v, const char *where, const char *fmt, ...)
{
	struct cp_verify_finding f;
	va_list ap;

	cp_sbuf_reset(&v->line);
	va_start(ap, fmt);
	{
		char buf[2048];

		vsnprintf(buf, sizeof(buf), fmt, ap);
		cp_sbuf_adds(&v->line, buf);
	}
	va_end(ap);
	f.commit = v->hex;
	f.where = where && *where ? where : "-";
	f.problem = v->line.buf;
	f.note = false;
	v->st->findings++;
	v->cb(&f, v->data);
}
