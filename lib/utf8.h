/*
 * utf8.h - UTF-8 validation, decoding and terminal display width.
 */
#ifndef COMPLAINT_UTF8_H
#define COMPLAINT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point from s (at most n bytes).  Returns the number of
 * bytes used, or 0 when the sequence is not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF are invalid).
 */
size_t cp_utf8_decode(uint32_t *cp, const char *s, size_t n);

/* Offset of the first invalid byte, or n when all of s is valid UTF-8. */
size_t cp_utf8_invalid_at(const char *s, size_t n);

/* Columns a code point takes on a terminal: 0, 1 or 2. */
int cp_utf8_cp_width(uint32_t cp);

/* Columns the string takes (invalid bytes count one column each). */
size_t cp_utf8_width(const char *s, size_t n);

/* Bytes of s that fit in cols columns, without splitting a character. */
size_t cp_utf8_fit(const char *s, size_t n, size_t cols);

#endif
