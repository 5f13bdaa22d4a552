/*
 * tz.c - time zones as values (include/complaint/tz.h).
 *
 * A zone is read from its TZif file (RFC 8536, tzfile(5)): the
 * transitions, the local time types they switch to, and the footer's
 * POSIX TZ string for the instants after the last one.  The footer's
 * changes are turned into transitions at load, up to the end of
 * RULE_TABLE_END, so a lookup is one binary search; later instants
 * evaluate the rule.
 *
 * Where the format leaves a choice, glibc's is followed, since that is
 * what the zone's times were computed with until now: before the first
 * transition the first standard-time type is in force (not type 0), at
 * and after the last transition the footer (not the last type), and the
 * footer's changes are placed in the instant's UTC year.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "complaint/tz.h"
#include "tz_rule.h"
#include "complaint/i18n.h"

/* footer changes become table entries up to the start of this UTC year */
#define RULE_TABLE_END 2200
/* local times are taken within 2 billion years; a day more than any UTC offset */
#define LOCAL_RANGE ((int64_t)1 << 56)
#define LOCAL_OFF_MAX (27 * 3600)
/* no real TZif file comes near this (the largest are 4 KB) */
#define TZIF_MAX (1 << 20)

struct tz_type {
	int32_t off;
	bool isdst;
	uint32_t abbr;	/* index in abbrs */
};

struct cp_tz {
	char *name;
	size_t n;		/* transitions */
	int64_t *at;		/* their instants, ascending */
	uint16_t *to;		/* the type each switches to */
	struct tz_type *types;
	size_t ntypes;
	char *abbrs;
	uint16_t before;	/* the type before the first transition */
	bool has_rule;
	struct cp_tz_rule rule;
	int64_t rule_from;	/* from this instant on, evaluate rule */
	uint16_t rule_type[2];	/* the rule's standard and daylight-saving types */
};

/* ---- lookup ---- */

static const struct tz_type *type_at(const struct cp_tz *z, cp_time t)
{
	size_t lo = 0, hi = z->n;

	if (!z->n || t < z->at[0])
		return &z->types[z->before];
	if (z->has_rule && t >= z->rule_from)
		return &z->types[z->rule_type[cp_tz_rule_isdst(&z->rule, t)]];
	/* the last transition at or before t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->to[lo]];
}

const struct cp_tz *cp_tz_utc(void)
{
	static struct tz_type type = { 0, false, 0 };
	static char name[] = "UTC", abbr[] = "UTC";
	static const struct cp_tz utc = { .name = name, .types = &type, .ntypes = 1,
					  .abbrs = abbr };

	return &utc;
}

const char *cp_tz_name(const struct cp_tz *z)
{
	return z->name;
}

long cp_tz_offset(const struct cp_tz *z, cp_time t)
{
	return type_at(z, t)->off;
}

const char *cp_tz_abbr(const struct cp_tz *z, cp_time t)
{
	return z->abbrs + type_at(z, t)->abbr;
}

cp_time cp_tz_from_local_guess(const struct cp_tz *z, int64_t local, long *guess)
{
	/*
	 * glibc's search: guess the offset, look at the local time of the
	 * instant that gives, correct by the difference and look again.  Two
	 * instants in turn, neither right, is a gap: the answer is the one
	 * in daylight saving time (if neither or both are, the one at hand).
	 */
	int64_t t, prev, prev2;
	bool prev_dst = false;
	int probes = 6;

	/* far outside any calendar, or a guess no zone gives: no overflow */
	if (local < -LOCAL_RANGE)
		local = -LOCAL_RANGE;
	if (local > LOCAL_RANGE)
		local = LOCAL_RANGE;
	if (*guess < -LOCAL_OFF_MAX || *guess > LOCAL_OFF_MAX)
		*guess = 0;
	t = prev = prev2 = local - *guess;
	for (;;) {
		const struct tz_type *ty = type_at(z, t);
		int64_t miss = local - (t + ty->off);

		if (!miss)
			break;
		if (t == prev2 && t != prev && (!prev_dst || ty->isdst))
			break;
		if (!--probes)
			return -1;
		prev2 = prev;
		prev = t;
		prev_dst = ty->isdst;
		t += miss;
	}
	*guess = (long)(local - t);
	return t;
}

cp_time cp_tz_from_local(const struct cp_tz *z, int64_t local)
{
	long guess = 0;

	return cp_tz_from_local_guess(z, local, &guess);
}

/* ---- loading ---- */

void cp_tz_free(struct cp_tz *z)
{
	if (!z)
		return;
	free(z->name);
	free(z->at);
	free(z->to);
	free(z->types);
	free(z->abbrs);
	free(z);
}

static int nomem(void)
{
	return cp_error(CP_ESYS, _("out of memory"));
}

static int load_utc(struct cp_tz *z)
{
	z->types = calloc(1, sizeof(*z->types));
	z->abbrs = strdup("UTC");
	z->ntypes = 1;
	return z->types && z->abbrs ? 0 : nomem();
}

/* name as one line of text for a message: no control bytes, not too long */
static const char *shown(const char *name, char out[64])
{
	size_t i;

	for (i = 0; name[i] && i < 60; i++)
		out[i] = name[i] >= ' ' && name[i] <= '~' ? name[i] : '?';
	snprintf(out + i, 64 - i, "%s", name[i] ? "..." : "");
	return out;
}

/*
 * A plain IANA zone name, as cp_tz_check() has it: parts of letters,
 * digits and _-+ joined by /, none empty or starting with - (so no
 * absolute path, no "..", no POSIX TZ string), and not a leap-second
 * (right/) or posix/ copy or the system's posixrules or localtime.
 */
static int check_name(const char *name)
{
	const char *p, *part = name;
	char buf[64];

	if (strlen(name) > 200)
		goto bad;
	for (p = name;; p++) {
		if (*p == '/' || !*p) {
			if (p == part || *part == '-')
				goto bad;
			if (!*p)
				break;
			part = p + 1;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("_-+", *p))) {
			goto bad;
		}
	}
	if (!strncmp(name, "right/", 6))
		return cp_error(CP_EDATA,
				_("timezone '%s' counts leap seconds (a right/ zone): every time would be off by them (27 s today); use '%s'"),
				name, name + 6);
	if (!strncmp(name, "posix/", 6))
		return cp_error(CP_EDATA,
				_("timezone '%s' is a copy of a zone, not a plain IANA zone name; use '%s'"),
				name, name + 6);
	if (!strcmp(name, "posixrules") || !strcmp(name, "localtime"))
		return cp_error(CP_EDATA,
				_("timezone '%s' is the system's alias, not a plain IANA zone name; name the zone (such as Asia/Shanghai)"),
				name);
	return 0;
bad:
	return cp_error(CP_EDATA,
			_("timezone '%s' is not a zone name (an IANA name such as Asia/Shanghai: letters, digits and _-+ joined by /)"),
			shown(name, buf));
}

/* Read dir/name, which must be under dir itself, not a link out of it; real is its path. */
static int read_file(const char *name, const char *dir, char real[PATH_MAX],
		     unsigned char **buf, size_t *len)
{
	char path[PATH_MAX], realdir[PATH_MAX];
	struct stat st;
	size_t n = 0, dlen;
	ssize_t r;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return cp_error(CP_ESYS, _("timezone '%s': the zoneinfo folder's name is too long"),
				name);
	if (!realpath(dir, realdir) || !realpath(path, real) ||
	    strncmp(real, realdir, (dlen = strlen(realdir))) ||
	    (real[dlen] != '/' && strcmp(realdir, "/")))
		return cp_error(CP_EDATA,
				_("unknown timezone '%s' (an IANA name such as Asia/Shanghai under %s; is tzdata installed?)"),
				name, dir);
	/* O_NONBLOCK: a FIFO planted in the zone folder must not hang us */
	fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cp_error(CP_ESYS, _("timezone '%s': cannot open %s: %s"), name, real,
				strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return cp_error(CP_EDATA, _("timezone '%s': %s is not a regular file"), name, real);
	}
	if (st.st_size > TZIF_MAX) {
		close(fd);
		return cp_error(CP_EDATA, _("timezone '%s': %s is not a TZif file (too large)"),
				name, real);
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return nomem();
	}
	while (n <= (size_t)st.st_size &&
	       (r = read(fd, *buf + n, (size_t)st.st_size + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			free(*buf);
			*buf = NULL;
			return cp_error(CP_ESYS, _("timezone '%s': cannot read %s: %s"), name, real,
					strerror(e));
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return 0;
}

struct tzif_hdr {
	char version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

#define HDR_LEN 44

static bool read_hdr(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < HDR_LEN || memcmp(p, "TZif", 4))
		return false;
	h->version = (char)p[4];
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	return true;
}

/* Bytes of the data block after a header; tsize is 4 (v1) or 8. */
static uint64_t block_len(const struct tzif_hdr *h, unsigned tsize)
{
	return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chars +
	       (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* Transitions, types and abbreviations of a block; room for the rule's two types. */
static bool read_block(struct cp_tz *z, const struct tzif_hdr *h, const unsigned char *p,
		       unsigned tsize, const char **why)
{
	const unsigned char *idx = p + (size_t)h->time * tsize;
	const unsigned char *ti = idx + h->time;
	const unsigned char *chars = ti + (size_t)h->type * 6;
	size_t i;

	*why = "not a TZif file";
	if (!h->type || h->type > 256 || !h->chars || (h->isut && h->isut != h->type) ||
	    (h->isstd && h->isstd != h->type))
		return false;
	z->n = h->time;
	z->at = malloc((z->n + 1) * sizeof(*z->at));
	z->to = malloc((z->n + 1) * sizeof(*z->to));
	z->types = malloc((h->type + 2) * sizeof(*z->types));
	z->abbrs = malloc(h->chars + 2 * TZ_ABBR_MAX);
	if (!z->at || !z->to || !z->types || !z->abbrs) {
		*why = NULL;
		return false;
	}
	for (i = 0; i < z->n; i++) {
		z->at[i] = tsize == 8 ? be64(p + 8 * i) : (int32_t)be32(p + 4 * i);
		z->to[i] = idx[i];
		if (idx[i] >= h->type || (i && z->at[i] <= z->at[i - 1]))
			return false;
	}
	memcpy(z->abbrs, chars, h->chars);
	if (chars[h->chars - 1] != '\0')
		return false;
	z->ntypes = h->type;
	for (i = 0; i < h->type; i++) {
		const unsigned char *e = ti + 6 * i;
		int32_t off = (int32_t)be32(e);

		const unsigned char *a;

		/* RFC 8536: -25 h < utoff < 26 h */
		if (off < -89999 || off > 93599 || e[4] > 1 || e[5] >= h->chars)
			return false;
		/* abbreviations are shown: printable ASCII, no spaces */
		for (a = chars + e[5]; *a; a++)
			if (*a <= ' ' || *a > '~')
				return false;
		z->types[i] = (struct tz_type){ off, e[4], e[5] };
	}
	return true;
}

/* Append a type for the rule; returns its index. */
static uint16_t add_type(struct cp_tz *z, size_t *nabbrs, int32_t off, bool isdst,
			 const char *abbr)
{
	size_t len = strlen(abbr) + 1;

	memcpy(z->abbrs + *nabbrs, abbr, len);
	z->types[z->ntypes] = (struct tz_type){ off, isdst, (uint32_t)*nabbrs };
	*nabbrs += len;
	return (uint16_t)z->ntypes++;
}

/* Append a transition to type ty at instant at, unless it changes nothing. */
static void add_change(struct cp_tz *z, int64_t at, uint16_t ty)
{
	if (at > z->at[z->n - 1] && ty != z->to[z->n - 1]) {
		z->at[z->n] = at;
		z->to[z->n++] = ty;
	}
}

/*
 * Take the footer in: its types, and its changes from the last
 * transition to RULE_TABLE_END as transitions.  glibc places the two
 * changes in the UTC year of the instant asked about, so within each UTC
 * year the state changes at most at the year's start and at its two
 * changes (when they fall inside it).
 */
static bool use_rule(struct cp_tz *z, size_t nabbrs)
{
	int64_t end = (int64_t)cp_days_from_civil(RULE_TABLE_END, 1, 1) * 86400;
	int64_t last, *at;
	uint16_t *to;
	size_t cap;
	int y, m, d;

	z->rule_type[0] = add_type(z, &nabbrs, z->rule.std_off, false, z->rule.std_abbr);
	z->rule_type[1] = z->rule_type[0];
	if (z->rule.has_dst)
		z->rule_type[1] = add_type(z, &nabbrs, z->rule.dst_off, true, z->rule.dst_abbr);
	if (!z->n)
		return true;	/* glibc: no transitions, no rule */
	last = z->at[z->n - 1];
	z->rule_from = last;
	if (last >= end)
		return true;
	z->to[z->n - 1] = z->rule_type[cp_tz_rule_isdst(&z->rule, last)];
	if (!z->rule.has_dst)
		return true;
	cp_civil_from_days(&y, &m, &d, (int32_t)(last / 86400 - (last % 86400 < 0)));
	cap = z->n + 3 * (size_t)(RULE_TABLE_END - y);
	at = realloc(z->at, cap * sizeof(*at));
	if (at)
		z->at = at;
	to = realloc(z->to, cap * sizeof(*to));
	if (to)
		z->to = to;
	if (!at || !to)
		return false;
	for (; y < RULE_TABLE_END; y++) {
		int64_t jan1 = (int64_t)cp_days_from_civil(y, 1, 1) * 86400;
		int64_t next = (int64_t)cp_days_from_civil(y + 1, 1, 1) * 86400;
		int64_t c[2], first, second;

		cp_tz_rule_changes(&c[0], &c[1], &z->rule, y);
		first = c[0] < c[1] ? c[0] : c[1];
		second = c[0] < c[1] ? c[1] : c[0];
		add_change(z, jan1, z->rule_type[cp_tz_rule_isdst(&z->rule, jan1)]);
		if (first >= jan1 && first < next)
			add_change(z, first, z->rule_type[cp_tz_rule_isdst(&z->rule, first)]);
		if (second >= jan1 && second < next)
			add_change(z, second, z->rule_type[cp_tz_rule_isdst(&z->rule, second)]);
	}
	z->rule_from = end;
	return true;
}

/* glibc: before the first transition, the first type that is not DST */
static uint16_t type_before(const struct cp_tz *z, size_t nfile)
{
	size_t i;

	for (i = 0; i < nfile; i++)
		if (!z->types[i].isdst)
			return (uint16_t)i;
	return 0;
}

static int parse_tzif(struct cp_tz *z, const char *name, const char *path,
		      const unsigned char *buf, size_t len)
{
	struct tzif_hdr h;
	const unsigned char *p = buf;
	const char *why = "not a TZif file";
	size_t nfile, nabbrs;
	unsigned tsize = 4;
	uint32_t leap;

	if (!read_hdr(p, len, &h) || (h.version && h.version < '2') ||
	    block_len(&h, 4) > len - HDR_LEN)
		goto bad;
	leap = h.leap;
	if (h.version) {
		p += HDR_LEN + block_len(&h, 4);
		if (!read_hdr(p, (size_t)(buf + len - p), &h) ||
		    block_len(&h, 8) > (size_t)(buf + len - p) - HDR_LEN)
			goto bad;
		leap |= h.leap;
		tsize = 8;
	}
	if (leap)
		return cp_error(CP_EDATA,
				_("timezone '%s': %s counts leap seconds, which would shift every time by as many seconds (use the zone without right/)"),
				name, path);
	if (!read_block(z, &h, p + HDR_LEN, tsize, &why)) {
		if (!why)
			return nomem();
		goto bad;
	}
	nfile = h.type;
	nabbrs = h.chars;
	if (h.version) {
		/* the footer: \n, a POSIX TZ string (maybe empty), \n */
		const char *f = (const char *)p + HDR_LEN + block_len(&h, 8);
		const char *fend = (const char *)buf + len;
		const char *nl;
		char tzs[128];

		why = "not a TZif file (no footer)";
		if (f >= fend || *f != '\n')
			goto bad;
		nl = memchr(f + 1, '\n', (size_t)(fend - f - 1));
		if (!nl || (size_t)(nl - f - 1) >= sizeof(tzs))
			goto bad;
		memcpy(tzs, f + 1, (size_t)(nl - f - 1));
		tzs[nl - f - 1] = '\0';
		if (tzs[0]) {
			why = "not a TZif file (bad TZ string in the footer)";
			if (!cp_tz_rule_parse(&z->rule, tzs))
				goto bad;
			z->has_rule = true;
		}
	}
	z->before = type_before(z, nfile);
	if (z->has_rule && !use_rule(z, nabbrs))
		return nomem();
	if (!z->n)
		z->has_rule = false;
	return 0;
bad:
	return cp_error(CP_EDATA, _("timezone '%s': %s is %s"), name, path, why);
}

int cp_tz_load(struct cp_tz **out, const char *name)
{
	const char *dir = getenv("TZDIR");
	unsigned char *buf = NULL;
	char real[PATH_MAX];
	struct cp_tz *z;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (strcmp(name, "UTC") && (rc = check_name(name)))
		return rc;
	z = calloc(1, sizeof(*z));
	if (!z || !(z->name = strdup(name))) {
		free(z);
		return nomem();
	}
	if (!strcmp(name, "UTC")) {
		rc = load_utc(z);
	} else {
		if (!dir || !*dir)
			dir = "/usr/share/zoneinfo";
		rc = read_file(name, dir, real, &buf, &len);
		if (!rc)
			rc = parse_tzif(z, name, real, buf, len);
		free(buf);
	}
	if (rc) {
		cp_tz_free(z);
		return rc;
	}
	*out = z;
	return 0;
}
