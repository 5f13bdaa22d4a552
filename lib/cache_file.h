/*
 * cache_file.h - the cache file's layout and the handle, shared by its
 * reading side (cache.c) and its writing side (cache_write.c).
 */
#ifndef COMPLAINT_CACHE_FILE_H
#define COMPLAINT_CACHE_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cache.h"

#ifndef COMPLAINT_VERSION
#define COMPLAINT_VERSION "unknown"
#endif

#define MAGIC "CPCACHE"
#define BOM 0x01020304u
#define REC_MAGIC 0x52435043u	/* "CPCR" */
#define REC_HDR 36		/* magic, length, checksum, id */
#define FANOUT (256 * 4)
#define TENT 24			/* table entry: id, offset / 8 */
#define FLUSH_AT (4u << 20)
#define RELEASE_STEP ((size_t)8 << 20)

struct hdr {
	char magic[8];
	uint32_t bom, format;
	char version[32];
	char zone[64];
	uint64_t n;		/* sorted entries */
	uint64_t table;		/* offset of the fanout, then the table */
	uint64_t main_end;	/* end of the table: appended records follow */
	uint64_t sum;		/* of this header (sum 0), fanout and table */
};

struct tslot {
	unsigned char oid[20];
	bool used;
	uint64_t off;
};

struct cp_cache {
	char dir[PATH_MAX], path[PATH_MAX];
	char zone[64];
	bool write, valid;
	int shared;		/* core.sharedRepository, for the files made */
	/* the mapped file */
	unsigned char *map;
	size_t len;
	dev_t dev;
	ino_t ino;
	const struct hdr *h;
	const uint32_t *fanout;
	const unsigned char *table;
	struct tslot *tail;
	size_t tail_cap, tail_n;
	bool tail_bad;
	size_t released;	/* pages below this offset were let go */
	uint64_t next;		/* the record after the last one read: walks go in order */
	/* new entries */
	struct cp_sbuf fresh;
	unsigned char *met;	/* ids read or written this run, 20 bytes each */
	size_t nmet, amet;
	int fd;			/* append fd, or the temporary file when building */
	char tmp[PATH_MAX];
	bool building;		/* streaming a new file into tmp */
	unsigned char *bids;	/* building: (id, offset / 8) table entries */
	size_t nbids, abids;
	uint64_t bpos;		/* building: bytes written */
	/* the walk */
	int from, to;
	size_t walked;
	/* the case handed out by cp_cache_get */
	struct cp_case view;
	char **vflags;
	size_t avflags;
	struct cp_p2bufs vp2;	/* the view's refs and fields */
	struct cp_event *vev;
	size_t avev;
	struct cp_cache_stats st;
};

size_t cp_cache_rec_size(uint32_t len);
/*
 * The record at off: its payload and length when its header, id and
 * checksum hold (oid NULL: any id).
 */
bool cp_cache_record_at(const unsigned char **payload, uint32_t *len, const struct cp_cache *c,
		      uint64_t off, size_t limit,
		      const unsigned char *oid);
void cp_cache_tail_add(struct cp_cache *c, const unsigned char *oid, uint64_t off);
void cp_cache_unmap(struct cp_cache *c);
void cp_cache_fill_hdr(struct hdr *h, const char *zone);
void cp_cache_map_file(struct cp_cache *c);
void cp_cache_met(struct cp_cache *c, const unsigned char oid[20]);

#endif
