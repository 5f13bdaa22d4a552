/*
 * cache.h - a derived cache of parsed cases, keyed by git blob id.
 *
 * Reading 100,000 case files through libyaml costs seconds; the cache
 * keeps each parsed case in a compact binary form that decodes without
 * copying, in .git/complaint/cache.  An entry is keyed by the blob id of
 * the bytes it was parsed from (and the file holds the timezone those
 * bytes were read in, since a time written without an offset is local), so
 * it can never be stale: a hand edit, a pull or a checkout changes the
 * id, and the file is parsed again.
 *
 * The file is never needed for correctness: it is rebuilt when missing,
 * corrupt (every entry carries a checksum), or written by another version
 * (format and tool version in the header); every write is a new file
 * renamed into place, or one append of whole entries, and a write that
 * cannot be made (read-only .git, a full disk) is skipped.
 *
 * Layout (native byte order, recorded in the header):
 *   header   magic, byte-order mark, format, tool version, timezone,
 *            entry count, offsets, checksum of header and tables
 *   fanout   256 cumulative counts by the id's first byte
 *   table    (id, record offset / 8), sorted by id
 *   records  sorted by path: magic, length, id, checksum, payload
 *   tail     records appended since, found by scanning
 * A payload is the path, then the case: strings as a varint length + 1
 * (0 = absent), bytes and a NUL; times as 64-bit integers.
 */
#ifndef COMPLAINT_CACHE_H
#define COMPLAINT_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/case.h"
#include "complaint/sbuf.h"
#include "case_codec.h"

#define CP_CACHE_FORMAT 7	/* 2: amounts in cents; 3: names normalised; 4: copies of events dropped; 5: letter events; 6: with, party, ref; 7: fields, refs, set/measure keys */

struct cp_cache;

/*
 * Open the cache of the repository whose common git directory is gitdir
 * (".../.git/") for cases read in timezone zone.  Never fails: a missing,
 * corrupt or foreign file gives an empty cache that is rebuilt when
 * closed.  write false: only read (the file is left as it is).  The files
 * written get the repository's shared permissions (cp_shared_parse).  A
 * .git/complaint that is a symlink (or not a folder) is never followed:
 * no cache, and a warning (cp_warn).
 */
struct cp_cache *cp_cache_open(const char *gitdir, int shared, const char *zone,
			       bool write);

/*
 * Look up the case parsed from blob oid.  Returns 0 with *out set to a
 * case that lives in the cache until the next cp_cache_get: it may be
 * derived (c->d), but its strings and arrays point into the cache (the
 * strings into the read-only mapping): never free, grow or change them.
 * Returns 1 when the cache has no good entry for it.
 */
int cp_cache_get(struct cp_case **out, struct cp_cache *c,
		 const unsigned char oid[20]);

/* Remember the case parsed from blob oid at path (written when closed). */
void cp_cache_put(struct cp_cache *c, const unsigned char oid[20],
		  const char *path, const struct cp_case *cs);

/*
 * The walk that used the cache covered months [from, to] and met n case
 * files: lets the cache drop entries nobody reads any more when it
 * rewrites itself.
 */
void cp_cache_walked(struct cp_cache *c, int from, int to, size_t n);

/* Write what is new (an append, or a rewrite when due) and free. */
void cp_cache_close(struct cp_cache *c);

struct cp_cache_stats {
	size_t hits, misses, corrupt, entries, tail;
	bool valid;		/* the file existed and its header was good */
	bool rewritten, appended;
};
void cp_cache_stats(struct cp_cache_stats *st, const struct cp_cache *c);

/* Every entry of the file: for `complaint check`. */
typedef void (*cp_cache_each_cb)(const unsigned char oid[20], const char *path,
				 const struct cp_case *cs, void *data);
/*
 * Call cb for each entry whose checksum holds (cs NULL when it does not
 * decode); returns the number of entries whose checksum fails, or -1 when
 * the file is absent or its header is not ours (nothing to verify).
 */
long cp_cache_each(struct cp_cache *c, cp_cache_each_cb cb, void *data);

/* The path of the cache file under gitdir. */
void cp_cache_path(struct cp_sbuf *out, const char *gitdir);

/* ---- the serialisation, on its own (tests) ---- */

#endif
