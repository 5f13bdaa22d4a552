/*
 * yaml_subset.h - the safe YAML subset we read and write.
 *
 * Reading builds a small tree from libyaml's event API and refuses what a
 * case, policy or roster file never needs: anchors, aliases, tags, several
 * documents, duplicate keys, non-scalar keys, nesting deeper than
 * CP_YAML_MAX_DEPTH, NUL bytes, invalid UTF-8 and oversized input.  Every
 * refusal names file:line:column (1-based).
 *
 * Writing decides quoting itself: a string is written plain only when every
 * YAML 1.1 and 1.2 reader reads it back as the same string; otherwise it is
 * a literal block (multi-line text) or a double-quoted scalar.
 */
#ifndef COMPLAINT_YAML_SUBSET_H
#define COMPLAINT_YAML_SUBSET_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/money.h"
#include "complaint/sbuf.h"

#define CP_YAML_MAX_DEPTH 16
#define CP_YAML_MAX_SCALAR (64 * 1024)	/* bytes in one scalar */
#define CP_YAML_MAX_FILE (8 * 1024 * 1024)	/* bytes in one file */
#define CP_YAML_MAX_NODES 200000		/* nodes in one document */

enum cp_ytype { CP_Y_SCALAR, CP_Y_SEQ, CP_Y_MAP };

/* What a plain (unquoted) scalar resolves to under YAML 1.1 or 1.2. */
enum cp_yplain {
	CP_YP_STR = 0,
	CP_YP_NULL,
	CP_YP_BOOL,
	CP_YP_INT,
	CP_YP_FLOAT,
	CP_YP_TIMESTAMP,
	CP_YP_SPECIAL	/* YAML 1.1 merge "<<" or value "=" keys */
};

struct cp_ynode {
	enum cp_ytype type;
	bool plain;		/* scalar written without quotes or block style */
	int line, col;		/* 1-based position of the node's start */
	const char *str;	/* scalar text, NUL-terminated */
	size_t len;		/* scalar length in bytes */
	struct cp_ynode **kids;	/* seq: items; map: key, value, key, value ... */
	size_t n;		/* number of entries in kids */
};

struct cp_ydoc {
	char *file;		/* name used in messages */
	struct cp_ynode *root;	/* NULL for an empty document */
	void *arena;
};

/*
 * Parse buf (len bytes) into *out.  On failure returns -CP_EDATA with
 * "file:line:col: reason" as the message and *out is NULL.
 */
int cp_ydoc_parse(struct cp_ydoc **out, const char *file, const char *buf,
	       size_t len);
void cp_ydoc_free(struct cp_ydoc *doc);

/* The value for key in a map node, or NULL. */
const struct cp_ynode *cp_ymap_get(const struct cp_ynode *map, const char *key);

/* Record "file:line:col: <message>" with kind CP_EDATA; returns -CP_EDATA. */
int cp_yerr(const struct cp_ydoc *doc, const struct cp_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Typed readers: each accepts only the right node type and, for plain
 * scalars, the right resolved type (a plain `yes` is a boolean, not a
 * string), and reports the position otherwise.
 */
int cp_ynode_str(const char **out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	      const char *what);
/* An amount of money as we write it (complaint/money.h), exact in cents. */
int cp_ynode_money(cp_money *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
		const char *what);
int cp_ynode_int(long *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	      const char *what, long min, long max);
/*
 * A person's or department's name (complaint/name.h): in normal form in
 * *out (allocated); a name holding an invisible character is refused
 * with file:line:col.  *changed (may be NULL): the file's text was not
 * in normal form (white space around it, not NFC).
 */
int cp_ynode_name(char **out, bool *changed, const struct cp_ydoc *doc,
	       const struct cp_ynode *n, const char *what);
/* The actor (`by`): a name or Unit/Name, likewise. */
int cp_ynode_actor(char **out, bool *changed, const struct cp_ydoc *doc,
		const struct cp_ynode *n, const char *what);
int cp_ynode_bool(bool *out, const struct cp_ydoc *doc, const struct cp_ynode *n,
	       const char *what);
/* A sequence of strings (flow or block); items point into the document. */
int cp_ynode_strlist(const char ***out, size_t *count,
		  const struct cp_ydoc *doc, const struct cp_ynode *n, const char *what);
/* Checks that n is a map whose keys are all in allowed (NULL-terminated). */
int cp_ymap_check_keys(const struct cp_ydoc *doc, const struct cp_ynode *n,
		    const char *what, const char *const *allowed);

/* Resolve a plain scalar as the strictest common YAML reader would. */
enum cp_yplain cp_yaml_resolve_plain(const char *s, size_t n);

/*
 * Check that text can be written and read back: valid UTF-8, no NUL, no
 * surrogates or code points above U+10FFFF.  Returns 0 or -CP_EUSAGE with
 * a message naming what (e.g. "summary") and the byte offset.
 */
int cp_yaml_text_check(const char *s, size_t n, const char *what);

enum cp_yw_ctx {
	CP_YW_BLOCK,	/* value of a block mapping: may use a literal block */
	CP_YW_FLOW		/* inside a flow collection { } or [ ] */
};

/*
 * Append s as a YAML scalar: plain when safe, a literal block for
 * multi-line text in block context (content indented by indent + 2
 * spaces), double-quoted otherwise.  s must have passed cp_yaml_text_check().
 */
void cp_yw_scalar(struct cp_sbuf *sb, const char *s, size_t n, enum cp_yw_ctx ctx,
	       int indent);
void cp_yw_str(struct cp_sbuf *sb, const char *s, enum cp_yw_ctx ctx, int indent);

#endif
