/*
 * csv.c - CSV (RFC 4180) fields for spreadsheets, and a reader.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "complaint/error.h"
#include "utf8.h"
#include "complaint/i18n.h"

bool cp_csv_formula(const char *s)
{
	if (!s || !s[0])
		return false;
	if (strchr("=+-@\t\r", s[0]))
		return true;
	/* '=1 is written ''=1, so that reading takes one ' away */
	return s[0] == '\'' && cp_csv_formula(s + 1);
}

void cp_csv_field(struct cp_sbuf *sb, const char *s)
{
	const char *p;

	if (!s || !*s)
		return;
	if (!strpbrk(s, ",\"\r\n") && !cp_csv_formula(s)) {
		cp_sbuf_adds(sb, s);
		return;
	}
	cp_sbuf_addch(sb, '"');
	if (cp_csv_formula(s))
		cp_sbuf_addch(sb, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			cp_sbuf_addch(sb, '"');
		cp_sbuf_addch(sb, *p);
	}
	cp_sbuf_addch(sb, '"');
}

static void add_field(struct cp_csv_record *r, struct cp_sbuf *f, bool quoted)
{
	char *s = cp_sbuf_detach(f, NULL);

	/* cp_csv_field() put a ' before a formula: take it away again */
	if (quoted && s[0] == '\'' && cp_csv_formula(s + 1))
		memmove(s, s + 1, strlen(s));
	r->fields = cp_xrealloc(r->fields, (r->n + 1) * sizeof(char *));
	r->fields[r->n++] = s;
}

static void free_record(struct cp_csv_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	memset(r, 0, sizeof(*r));
}

int cp_csv_read(struct cp_csv_file *out, const char *file, const char *buf, size_t len)
{
	struct cp_csv_record rec;
	struct cp_sbuf f = CP_SBUF_INIT;
	size_t i = 0, bad, k;
	int line = 1, r = 0;
	bool quoted = false, started = false;

	memset(out, 0, sizeof(*out));
	memset(&rec, 0, sizeof(rec));
	if ((bad = cp_utf8_invalid_at(buf, len)) < len) {
		for (k = 0; k < bad; k++)
			line += buf[k] == '\n';
		return cp_error(CP_EDATA, _("%s:%d: not UTF-8 text (save the file as UTF-8 CSV)"),
				file, line);
	}
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i <= len) {
		char ch = i < len ? buf[i] : '\n';

		if (i < len && !ch) {
			r = cp_error(CP_EDATA, _("%s:%d: a NUL byte"), file, line);
			goto out;
		}
		if (!started) {
			started = true;
			rec.line = line;
		}
		if (ch == '"') {
			if (f.len || quoted) {
				r = cp_error(CP_EDATA,
					     _("%s:%d: a quote inside a field that does not start with one (write \"\" inside a quoted field)"),
					     file, line);
				goto out;
			}
			quoted = true;
			for (i++;; i++) {
				if (i >= len) {
					r = cp_error(CP_EDATA,
						     _("%s:%d: a quoted field is never closed"),
						     file, rec.line);
					goto out;
				}
				if (buf[i] == '"') {
					if (i + 1 < len && buf[i + 1] == '"') {
						cp_sbuf_addch(&f, '"');
						i++;
						continue;
					}
					break;
				}
				if (!buf[i]) {
					r = cp_error(CP_EDATA, _("%s:%d: a NUL byte"), file, line);
					goto out;
				}
				line += buf[i] == '\n';
				cp_sbuf_addch(&f, buf[i]);
			}
			i++;
			/* after the closing quote: a comma or the end of the record */
			if (i < len && buf[i] != ',' && buf[i] != '\n' &&
			    !(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') &&
			    !(buf[i] == '\r' && i + 1 == len)) {
				r = cp_error(CP_EDATA,
					     _("%s:%d: text after a closing quote (write \"\" for a quote inside a quoted field)"),
					     file, line);
				goto out;
			}
			continue;
		}
		if (ch == ',') {
			add_field(&rec, &f, quoted);
			quoted = false;
			i++;
			continue;
		}
		if (ch == '\n' || (ch == '\r' && (i + 1 == len || buf[i + 1] == '\n'))) {
			/* an empty line is no record */
			bool empty = !rec.n && !f.len && !quoted;

			add_field(&rec, &f, quoted);
			quoted = false;
			if (empty)
				free_record(&rec);
			else {
				ALLOC_GROW(out->rec, out->n + 1, out->alloc);
				out->rec[out->n++] = rec;
				memset(&rec, 0, sizeof(rec));
			}
			if (ch == '\r')
				i++;
			i++;
			line++;
			started = false;
			continue;
		}
		cp_sbuf_addch(&f, ch);
		i++;
	}
out:
	free_record(&rec);
	cp_sbuf_release(&f);
	if (r < 0)
		cp_csv_file_release(out);
	return r;
}

void cp_csv_file_release(struct cp_csv_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free_record(&f->rec[i]);
	free(f->rec);
	memset(f, 0, sizeof(*f));
}
