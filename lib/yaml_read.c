/*
 * yaml_read.c - libyaml's event API in, a checked tree out.
 *
 * The only file besides the fuzz targets that includes <yaml.h>.  libyaml
 * 0.2.5 has no nesting limit, accepts duplicate keys and resolves aliases
 * for its document loader; we refuse all of that here, before anyone
 * looks at the values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <yaml.h>

#include "complaint/error.h"
#include "complaint/money.h"
#include "complaint/name.h"
#include "complaint/number.h"
#include "utf8.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct arena {
	struct chunk *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t size = n > 32768 ? n : 32768;

		c = cp_xmalloc(sizeof(*c) + size);
		c->next = a->head;
		c->used = 0;
		c->size = size;
		a->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void arena_free(struct arena *a)
{
	struct chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

int cp_yerr(const struct cp_ydoc *doc, const struct cp_ynode *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at)
		return cp_error(CP_EDATA, "%s:%d:%d: %s", doc->file, at->line,
				at->col, msg);
	return cp_error(CP_EDATA, "%s: %s", doc->file, msg);
}

/* Line and column (1-based, in characters) of byte offset off. */
static void position(const char *buf, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* A growable list of node pointers used while a collection is open. */
struct frame {
	struct cp_ynode *node;
	struct cp_ynode **items;
	size_t n, alloc;
};

struct builder {
	struct cp_ydoc *doc;
	const char *buf;	/* the input, for positions of reader errors */
	size_t len;
	struct arena *arena;
	struct frame stack[CP_YAML_MAX_DEPTH + 1];
	int depth;
	size_t nodes;
};

static struct cp_ynode *new_node(struct builder *b, enum cp_ytype t,
			      const yaml_mark_t *m)
{
	struct cp_ynode *n = arena_alloc(b->arena, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

static void push_item(struct frame *f, struct cp_ynode *n)
{
	ALLOC_GROW(f->items, f->n + 1, f->alloc);
	f->items[f->n++] = n;
}

static int key_cmp(const void *a, const void *b)
{
	const struct cp_ynode *x = *(const struct cp_ynode *const *)a;
	const struct cp_ynode *y = *(const struct cp_ynode *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->str, y->str, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->line != y->line ? (x->line < y->line ? -1 : 1)
				  : (x->col < y->col ? -1 : x->col > y->col);
}

static int same_key(const struct cp_ynode *a, const struct cp_ynode *b)
{
	return a->len == b->len && !memcmp(a->str, b->str, a->len);
}

static int check_dup_keys(struct builder *b, struct frame *f)
{
	size_t i, j, nk = f->n / 2;
	struct cp_ynode **keys;
	int r = 0;

	if (nk <= 32) {
		for (i = 0; i < f->n; i += 2)
			for (j = 0; j < i; j += 2)
				if (same_key(f->items[i], f->items[j]))
					return cp_yerr(b->doc, f->items[i],
						    _("duplicate key '%s' (first at line %d)"),
						    f->items[i]->str, f->items[j]->line);
		return 0;
	}
	/* many keys: sort a copy so a hostile file cannot make this quadratic */
	keys = cp_xmalloc(nk * sizeof(*keys));
	for (i = 0; i < nk; i++)
		keys[i] = f->items[2 * i];
	qsort(keys, nk, sizeof(*keys), key_cmp);
	for (i = 1; i < nk; i++)
		if (same_key(keys[i], keys[i - 1])) {
			r = cp_yerr(b->doc, keys[i], _("duplicate key '%s' (first at line %d)"),
				 keys[i]->str, keys[i - 1]->line);
			break;
		}
	free(keys);
	return r;
}

static int close_frame(struct builder *b)
{
	struct frame *f = &b->stack[b->depth];
	struct cp_ynode *n = f->node;

	if (n->type == CP_Y_MAP) {
		int r = check_dup_keys(b, f);

		if (r < 0)
			return r;
	}
	n->n = f->n;
	n->kids = arena_alloc(b->arena, (f->n ? f->n : 1) * sizeof(*n->kids));
	if (f->n)
		memcpy(n->kids, f->items, f->n * sizeof(*n->kids));
	free(f->items);
	f->items = NULL;
	f->n = f->alloc = 0;
	b->depth--;
	return 0;
}

/* Attach a finished node to the open collection, or make it the root. */
static int attach(struct builder *b, struct cp_ynode *n)
{
	struct frame *f;

	if (b->depth < 0) {
		b->doc->root = n;
		return 0;
	}
	f = &b->stack[b->depth];
	if (f->node->type == CP_Y_MAP && f->n % 2 == 0 && n->type != CP_Y_SCALAR)
		return cp_yerr(b->doc, n, _("a mapping key must be a plain string"));
	push_item(f, n);
	return 0;
}

static int parser_error(struct cp_ydoc *doc, yaml_parser_t *p, const char *buf,
			size_t len)
{
	const yaml_mark_t *m = p->context ? &p->context_mark : &p->problem_mark;
	int line, col;

	if (p->error == YAML_MEMORY_ERROR)
		return cp_error(CP_ESYS, _("%s: out of memory"), doc->file);
	if (p->error == YAML_READER_ERROR) {
		/* the reader gives a byte offset, not a mark */
		position(buf, p->problem_offset < len ? p->problem_offset : len, &line, &col);
		if (p->problem_value >= 0)
			return cp_error(CP_EDATA, "%s:%d:%d: %s (U+%04X)", doc->file, line,
					col, p->problem ? p->problem : "cannot read the file",
					(unsigned)p->problem_value);
		return cp_error(CP_EDATA, "%s:%d:%d: %s", doc->file, line, col,
				p->problem ? p->problem : "cannot read the file");
	}
	if (p->problem_mark.line || p->problem_mark.column)
		m = &p->problem_mark;
	return cp_error(CP_EDATA, "%s:%zu:%zu: %s%s%s", doc->file,
			m->line + 1, m->column + 1,
			p->problem ? p->problem : "syntax error",
			p->context ? " " : "", p->context ? p->context : "");
}

static int has_tag(const yaml_char_t *tag)
{
	return tag != NULL;
}

static int build(struct builder *b, yaml_parser_t *p)
{
	yaml_event_t ev;
	int docs = 0, r = 0, done = 0;
	struct cp_ynode *n;

	while (!done) {
		if (!yaml_parser_parse(p, &ev))
			return parser_error(b->doc, p, b->buf, b->len);
		if (++b->nodes > CP_YAML_MAX_NODES) {
			struct cp_ynode at = { .line = (int)ev.start_mark.line + 1,
					    .col = (int)ev.start_mark.column + 1 };
			yaml_event_delete(&ev);
			return cp_yerr(b->doc, &at, _("too many values (more than %d)"),
				    CP_YAML_MAX_NODES);
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				struct cp_ynode at = { .line = (int)ev.start_mark.line + 1,
						    .col = (int)ev.start_mark.column + 1 };
				r = cp_yerr(b->doc, &at, _("more than one YAML document in the file"));
			}
			break;
		case YAML_ALIAS_EVENT: {
			struct cp_ynode at = { .line = (int)ev.start_mark.line + 1,
					    .col = (int)ev.start_mark.column + 1 };
			r = cp_yerr(b->doc, &at, _("aliases (*%s) are not allowed"),
				 (const char *)ev.data.alias.anchor);
			break;
		}
		case YAML_SCALAR_EVENT:
			n = new_node(b, CP_Y_SCALAR, &ev.start_mark);
			if (ev.data.scalar.anchor) {
				r = cp_yerr(b->doc, n, _("anchors (&%s) are not allowed"),
					 (const char *)ev.data.scalar.anchor);
				break;
			}
			if (has_tag(ev.data.scalar.tag)) {
				r = cp_yerr(b->doc, n, _("tags (%s) are not allowed"),
					 (const char *)ev.data.scalar.tag);
				break;
			}
			if (ev.data.scalar.length > CP_YAML_MAX_SCALAR) {
				r = cp_yerr(b->doc, n, _("value is too long (%zu bytes, limit %d)"),
					 ev.data.scalar.length, CP_YAML_MAX_SCALAR);
				break;
			}
			if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				r = cp_yerr(b->doc, n, _("value contains a NUL character"));
				break;
			}
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			n->len = ev.data.scalar.length;
			{
				char *s = arena_alloc(b->arena, n->len + 1);

				memcpy(s, ev.data.scalar.value, n->len);
				s[n->len] = '\0';
				n->str = s;
			}
			r = attach(b, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			int is_map = ev.type == YAML_MAPPING_START_EVENT;
			const yaml_char_t *anchor = is_map ? ev.data.mapping_start.anchor
							   : ev.data.sequence_start.anchor;
			const yaml_char_t *tag = is_map ? ev.data.mapping_start.tag
							: ev.data.sequence_start.tag;

			n = new_node(b, is_map ? CP_Y_MAP : CP_Y_SEQ, &ev.start_mark);
			if (anchor) {
				r = cp_yerr(b->doc, n, _("anchors (&%s) are not allowed"),
					 (const char *)anchor);
				break;
			}
			if (tag) {
				r = cp_yerr(b->doc, n, _("tags (%s) are not allowed"),
					 (const char *)tag);
				break;
			}
			if (b->depth + 1 >= CP_YAML_MAX_DEPTH) {
				r = cp_yerr(b->doc, n, _("nesting is deeper than %d levels"),
					 CP_YAML_MAX_DEPTH);
				break;
			}
			r = attach(b, n);
			if (r < 0)
				break;
			b->depth++;
			b->stack[b->depth].node = n;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			r = close_frame(b);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (r < 0)
			return r;
	}
	return 0;
}

int cp_ydoc_parse(struct cp_ydoc **out, const char *file, const char *buf,
	       size_t len)
{
	struct cp_ydoc *doc = cp_xcalloc(1, sizeof(*doc));
	struct arena *arena = cp_xcalloc(1, sizeof(*arena));
	struct builder b;
	yaml_parser_t parser;
	const char *nul;
	size_t bad;
	int r, line, col;

	*out = NULL;
	doc->file = cp_xstrdup(file);
	doc->arena = arena;
	if (len > CP_YAML_MAX_FILE) {
		r = cp_error(CP_EDATA, _("%s: file is too large (%zu bytes, limit %d)"),
			     file, len, CP_YAML_MAX_FILE);
		goto fail;
	}
	nul = memchr(buf, '\0', len);
	if (nul) {
		position(buf, (size_t)(nul - buf), &line, &col);
		r = cp_error(CP_EDATA, _("%s:%d:%d: NUL byte in file"), file, line, col);
		goto fail;
	}
	bad = cp_utf8_invalid_at(buf, len);
	if (bad < len) {
		position(buf, bad, &line, &col);
		r = cp_error(CP_EDATA, _("%s:%d:%d: invalid UTF-8 (byte 0x%02x)"),
			     file, line, col, (unsigned char)buf[bad]);
		goto fail;
	}
	if (!yaml_parser_initialize(&parser)) {
		r = cp_error(CP_ESYS, _("cannot initialise the YAML parser"));
		goto fail;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.buf = buf;
	b.len = len;
	b.arena = arena;
	b.depth = -1;
	r = build(&b, &parser);
	while (b.depth >= 0) {
		free(b.stack[b.depth].items);
		b.depth--;
	}
	yaml_parser_delete(&parser);
	if (r < 0)
		goto fail;
	*out = doc;
	return 0;
fail:
	cp_ydoc_free(doc);
	return r;
}

void cp_ydoc_free(struct cp_ydoc *doc)
{
	if (!doc)
		return;
	arena_free(doc->arena);
	free(doc->arena);
	free(doc->file);
	free(doc);
}

const struct cp_ynode *cp_ymap_get(const struct cp_ynode *map, const char *key)
{
	size_t i, kl = strlen(key);

	if (!map || map->type != CP_Y_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->len == kl && !memcmp(map->kids[i]->str, key, kl))
			return map->kids[i + 1];
	return NULL;
}

static const char *type_name(const struct cp_ynode *n)
{
	static const char *const plain_names[] = {
		"a string", "null", "a boolean", "an integer", "a number",
		"a date", "a special key"
	};

	if (n->type == CP_Y_MAP)
		return "a mapping";
	if (n->type == CP_Y_SEQ)
		return "a list";
	if (!n->plain)
		return "a quoted string";
	return plain_names[cp_yaml_resolve_plain(n->str, n->len)];
}

int cp_ynode_str(const char **out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	      const char *what)
{
	if (n->type != CP_Y_SCALAR)
		return cp_yerr(doc, n, _("%s must be a string, not %s"), what, type_name(n));
	if (n->plain && cp_yaml_resolve_plain(n->str, n->len) != CP_YP_STR)
		return cp_yerr(doc, n, _("%s must be a string, not %s (quote it: \"%s\")"),
			    what, type_name(n), n->str);
	*out = n->str;
	return 0;
}

int cp_ynode_money(cp_money *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
		const char *what)
{
	if (n->type != CP_Y_SCALAR || !n->plain)
		return cp_yerr(doc, n, _("%s must be a number (an amount), not %s"), what, type_name(n));
	if (cp_money_parse(out, n->str, n->len) < 0)
		return cp_yerr(doc, n, "%s: %s", what, cp_errmsg());
	return 0;
}

int cp_ynode_int(long *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	      const char *what, long min, long max)
{
	int64_t v;

	if (n->type != CP_Y_SCALAR || !n->plain)
		return cp_yerr(doc, n, _("%s must be a whole number, not %s"), what,
			    type_name(n));
	if (cp_parse_int(&v, n->str, n->len, min, max) < 0)
		return cp_yerr(doc, n, "%s: %s", what, cp_errmsg());
	*out = (long)v;
	return 0;
}

static int name_or_actor(const struct cp_ydoc *doc, const struct cp_ynode *n,
			 const char *what, bool actor, char **out, bool *changed)
{
	const char *s;
	int r;

	if ((r = cp_ynode_str(&s, doc, n, what)) < 0)
		return r;
	if ((actor ? cp_actor_norm(out, changed, s, n->len)
		   : cp_name_norm(out, changed, s, n->len)) < 0)
		return cp_yerr(doc, n, "%s: %s", what, cp_errmsg());
	return 0;
}

int cp_ynode_name(char **out, bool *changed, const struct cp_ydoc *doc,
	       const struct cp_ynode *n, const char *what)
{
	return name_or_actor(doc, n, what, false, out, changed);
}

int cp_ynode_actor(char **out, bool *changed, const struct cp_ydoc *doc,
		const struct cp_ynode *n, const char *what)
{
	return name_or_actor(doc, n, what, true, out, changed);
}

int cp_ynode_bool(bool *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	       const char *what)
{
	if (n->type == CP_Y_SCALAR && n->plain) {
		if (!strcmp(n->str, "true")) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->str, "false")) {
			*out = false;
			return 0;
		}
	}
	return cp_yerr(doc, n, _("%s must be true or false"), what);
}

int cp_ynode_strlist(const char ***out, size_t *count,
		  const struct cp_ydoc *doc, const struct cp_ynode *n, const char *what)
{
	const char **v;
	size_t i;
	int r;

	if (n->type != CP_Y_SEQ)
		return cp_yerr(doc, n, _("%s must be a list, not %s"), what, type_name(n));
	v = cp_xcalloc(n->n + 1, sizeof(*v));
	for (i = 0; i < n->n; i++) {
		r = cp_ynode_str(&v[i], doc, n->kids[i], what);
		if (r < 0) {
			free(v);
			return r;
		}
	}
	*out = v;
	*count = n->n;
	return 0;
}

int cp_ymap_check_keys(const struct cp_ydoc *doc, const struct cp_ynode *n,
		    const char *what, const char *const *allowed)
{
	size_t i;
	int j;

	if (n->type != CP_Y_MAP)
		return cp_yerr(doc, n, _("%s must be a mapping, not %s"), what, type_name(n));
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct cp_ynode *k = n->kids[i];

		if (k->n || k->type != CP_Y_SCALAR)
			return cp_yerr(doc, k, _("%s: keys must be strings"), what);
		for (j = 0; allowed[j]; j++)
			if (!strcmp(allowed[j], k->str))
				break;
		if (!allowed[j])
			return cp_yerr(doc, k, _("unknown field '%s' in %s"), k->str, what);
	}
	return 0;
}
