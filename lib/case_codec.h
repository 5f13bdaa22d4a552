/*
 * case_codec.h - a parsed case as the cache stores it (case_codec.c).
 */
#ifndef COMPLAINT_CASE_CODEC_H
#define COMPLAINT_CASE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "complaint/case.h"
#include "complaint/sbuf.h"

/* Append the payload for path and cs to out. */
void cp_case_encode(struct cp_sbuf *out, const char *path, const struct cp_case *cs);
/*
 * Decode a payload into a freshly allocated case (cp_case_free() it) and
 * its path (free() it); -1 when the bytes are not a valid payload.
 */
int cp_case_decode(struct cp_case **out, char **path, const char *buf, size_t len);
/* Are two cases the same, field by field (derived fields aside)? */
bool cp_case_same(const struct cp_case *a, const struct cp_case *b);
/*
 * Decode a payload in place: strings point into buf; flags and events go
 * to the growable arrays given.  -1 when the bytes are not a valid payload.
 */
/* Growable arrays behind a decoded case's refs and fields (pointers into the payload). */
struct cp_p2bufs {
	char **refs;
	size_t arefs;
	char **ids, **vals;
	size_t aids, avals;
};
int cp_case_decode_into(struct cp_case *c, const char **path, char ***flags,
			size_t *aflags, struct cp_event **ev, size_t *aev,
			struct cp_p2bufs *b, const unsigned char *buf, size_t len);
/* The path a payload is for (pointing into buf), or NULL when it is not valid. */
const char *cp_case_payload_path(const unsigned char *buf, size_t len);
/* A 64-bit checksum of n bytes, 8 bytes a step (each record carries one). */
uint64_t cp_hash64(const void *p, size_t n);

#endif
