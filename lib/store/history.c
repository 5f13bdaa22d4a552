/*
 * history.c - which commit was current at a given time (--as-of, and the
 * policy in force at the end of a period).
 *
 * The answer is the newest commit on HEAD's first-parent line whose whole
 * first-parent history is at or before t: a commit stamped earlier than its
 * parent (a clock behind, an old --now) must not pull what came after it
 * into the past.  Finding it means looking at every commit on the line, so
 * the line's (id, time) pairs are kept in .git/complaint/first-parent,
 * oldest first, with the running maximum of the times.  Commit ids name
 * their parents for good, so the file can only go wrong by damage: it ends
 * with a SHA-1 of its contents and is rebuilt from git whenever that, its
 * header or its tip does not check out.  Writing it is best effort.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <git2.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "complaint/timeutil.h"
#include "fsutil.h"
#include "priv.h"
#include "complaint/i18n.h"

#define MAGIC "CPFP\001\0\0\0"
#define REC 36		/* oid 20, time 8, running max 8 */
#define MAX_STEPS 100000	/* commits to walk back before rebuilding */

struct line {
	unsigned char *rec;	/* n records, oldest first */
	size_t n, alloc;
};

static void put64(unsigned char *p, int64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

static int64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return (int64_t)v;
}

static int sha1(const void *p, size_t n, unsigned char out[20])
{
	unsigned int len = 0;

	return EVP_Digest(p, n, out, &len, EVP_sha1(), NULL) && len == 20 ? 0 : -1;
}

static void path_of(struct cp_store *s, char *out, size_t n)
{
	snprintf(out, n, "%scomplaint/first-parent", git_repository_path(s->repo));
}

/* Load the file; an empty line when it is missing or damaged. */
static void load(struct cp_store *s, struct line *l)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char path[4096];
	unsigned char sum[20];
	size_t body;
	int r;

	snprintf(path, sizeof(path), "%scomplaint", git_repository_path(s->repo));
	if ((r = cp_private_dir(path, s->shared, 0)) != 0) {
		if (r < 0)
			cp_warn("%s", cp_errmsg());
		goto out;
	}
	path_of(s, path, sizeof(path));
	if (cp_read_file(&buf, path, (size_t)1 << 30, 1) != 0)
		goto out;
	if (buf.len < 8 + 20 || memcmp(buf.buf, MAGIC, 8))
		goto out;
	body = buf.len - 20;
	if ((body - 8) % REC || sha1(buf.buf, body, sum) < 0 ||
	    memcmp(sum, buf.buf + body, 20))
		goto out;
	l->n = (body - 8) / REC;
	l->alloc = l->n;
	l->rec = cp_xmalloc(l->n * REC + 1);
	memcpy(l->rec, buf.buf + 8, l->n * REC);
out:
	cp_sbuf_release(&buf);
	cp_error_clear();
}

static void save(struct cp_store *s, const struct line *l)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char dir[4096];
	unsigned char sum[20];

	snprintf(dir, sizeof(dir), "%scomplaint", git_repository_path(s->repo));
	if (cp_private_dir(dir, s->shared, 1) < 0) {
		cp_error_clear();	/* load() said why */
		return;
	}
	cp_sbuf_add(&buf, MAGIC, 8);
	cp_sbuf_add(&buf, l->rec, l->n * REC);
	if (sha1(buf.buf, buf.len, sum) == 0) {
		cp_sbuf_add(&buf, sum, 20);
		cp_write_atomic_shared(dir, "first-parent", buf.buf, buf.len, s->shared);
	}
	cp_sbuf_release(&buf);
	cp_error_clear();
}

static void append(struct line *l, const git_oid *id, int64_t t)
{
	unsigned char *r;
	int64_t max = t;

	if (l->n) {
		int64_t prev = get64(l->rec + (l->n - 1) * REC + 28);

		if (prev > max)
			max = prev;
	}
	ALLOC_GROW(l->rec, (l->n + 1) * REC, l->alloc);
	r = l->rec + l->n * REC;
	memcpy(r, id->id, 20);
	put64(r + 20, t);
	put64(r + 28, max);
	l->n++;
}

/* Is id in the line?  Its index, or -1. */
static long find(const struct line *l, const git_oid *id)
{
	size_t i = l->n;

	while (i-- > 0)
		if (!memcmp(l->rec + i * REC, id->id, 20))
			return (long)i;
	return -1;
}

/* ---- a shallow clone: the commits git cut the history at ---- */

static int oid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 20);
}

int cp_shallow_load(struct cp_shallow *sh, git_repository *repo)
{
	struct cp_sbuf buf = CP_SBUF_INIT;
	char path[4096];
	const char *p;
	size_t alloc = 0;
	int r;

	memset(sh, 0, sizeof(*sh));
	snprintf(path, sizeof(path), "%sshallow", git_repository_commondir(repo));
	if ((r = cp_read_file(&buf, path, (size_t)1 << 26, 1)) != 0) {
		cp_sbuf_release(&buf);
		return r < 0 ? r : 0;
	}
	for (p = buf.buf; *p; ) {
		size_t n = strcspn(p, "\n");
		git_oid id;

		if (n >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, p, GIT_OID_HEXSZ) == 0) {
			ALLOC_GROW(sh->ids, sh->n + 1, alloc);
			sh->ids[sh->n++] = id;
		}
		p += n;
		if (*p)
			p++;
	}
	git_error_clear();
	cp_sbuf_release(&buf);
	if (sh->n)
		qsort(sh->ids, sh->n, sizeof(*sh->ids), oid_cmp);
	return 0;
}

bool cp_shallow_has(const struct cp_shallow *sh, const git_oid *id)
{
	return sh->n && bsearch(id, sh->ids, sh->n, sizeof(*sh->ids), oid_cmp);
}

void cp_shallow_free(struct cp_shallow *sh)
{
	free(sh->ids);
	memset(sh, 0, sizeof(*sh));
}

void cp_shallow_describe(char *buf, size_t n, git_repository *repo,
			 const struct cp_tz *z, const git_oid *cut)
{
	git_commit *c = NULL;
	char hex[12], when[CP_TIME_BUF] = "";

	git_oid_tostr(hex, sizeof(hex), cut);
	if (git_commit_lookup(&c, repo, cut) == 0) {
		cp_time_fmt(when, z, (cp_time)git_commit_time(c));
		git_commit_free(c);
	}
	git_error_clear();
	snprintf(buf, n,
		 "this is a shallow clone: its history stops at commit %s%s%s%s ('git fetch --unshallow' fetches the rest)",
		 hex, *when ? " (" : "", when, *when ? ")" : "");
}

/* Bring the line up to HEAD; a commit where a shallow clone is cut is a root. */
static int refresh(struct cp_store *s, struct line *l, const git_oid *head,
		   const struct cp_shallow *sh)
{
	git_oid *stack = NULL, id = *head;
	size_t n = 0, alloc = 0;
	int64_t *times = NULL;
	size_t talloc = 0;
	long at;
	int rc = 0, changed = 0;

	/* usually HEAD is the tip, or a few commits past it */
	if ((at = find(l, head)) >= 0) {
		if ((size_t)at + 1 != l->n) {
			l->n = (size_t)at + 1;	/* history went back (reset) */
			changed = 1;
		}
		goto done;
	}
	for (;;) {
		git_commit *c;

		if (l->n && !memcmp(l->rec + (l->n - 1) * REC, id.id, 20))
			break;		/* reached the known tip */
		if (n >= MAX_STEPS && l->n) {
			l->n = 0;	/* far off: start over from HEAD */
			n = 0;
			id = *head;
			continue;
		}
		if ((rc = git_commit_lookup(&c, s->repo, &id)) < 0)
			goto out;
		ALLOC_GROW(stack, n + 1, alloc);
		ALLOC_GROW(times, n + 1, talloc);
		stack[n] = id;
		times[n++] = (int64_t)git_commit_time(c);
		if (!git_commit_parentcount(c) || cp_shallow_has(sh, &id)) {
			git_commit_free(c);
			if (l->n)
				l->n = 0;	/* the tip is not on this line */
			break;
		}
		id = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
	while (n-- > 0)
		append(l, &stack[n], times[n]);
	changed = 1;
done:
	if (changed)
		save(s, l);
out:
	free(stack);
	free(times);
	return rc;
}

int cp_git_commit_at(git_commit **out, struct cp_store *s, cp_time t)
{
	git_reference *head = NULL;
	struct line l = { NULL, 0, 0 };
	struct cp_shallow sh;
	size_t lo = 0, hi;
	git_oid id, oldest;
	int rc;

	*out = NULL;
	rc = git_repository_head(&head, s->repo);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 1;
	}
	if (rc < 0)
		return cp_git_error(rc, "cannot read the store's history");
	id = *git_reference_target(head);
	git_reference_free(head);
	if ((rc = cp_shallow_load(&sh, s->repo)) < 0)
		return rc;
	load(s, &l);
	if (l.n) {
		/*
		 * The line starts at a root, or where a shallow clone was cut;
		 * a start that has parents now (the clone was deepened, or the
		 * file was copied) means the line is short: rebuilt.
		 */
		git_commit *first = NULL;

		memcpy(oldest.id, l.rec, 20);
		if (git_commit_lookup(&first, s->repo, &oldest) < 0 ||
		    (git_commit_parentcount(first) && !cp_shallow_has(&sh, &oldest)))
			l.n = 0;
		git_commit_free(first);
		git_error_clear();
	}
	if ((rc = refresh(s, &l, &id, &sh)) < 0) {
		char why[512];

		free(l.rec);
		if (sh.n) {
			cp_shallow_describe(why, sizeof(why), s->repo, cp_store_tz(s), &sh.ids[0]);
			cp_shallow_free(&sh);
			return cp_error(CP_ESYS, _("cannot read the store's history: a commit is missing, and %s"),
					why);
		}
		return cp_git_error(rc, "cannot read the store's history");
	}
	/* the running maximum only grows: the last record whose max <= t */
	hi = l.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (get64(l.rec + mid * REC + 28) <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		char why[512], tb[CP_TIME_BUF];

		memcpy(oldest.id, l.rec, 20);
		if (l.n && cp_shallow_has(&sh, &oldest)) {
			/* not "nothing that old": git has not got it here */
			cp_shallow_describe(why, sizeof(why), s->repo, cp_store_tz(s), &oldest);
			cp_time_fmt(tb, cp_store_tz(s), t);
			free(l.rec);
			cp_shallow_free(&sh);
			return cp_error(CP_ESYS,
					_("the store's history as of %s is not here: %s"),
					tb, why);
		}
		free(l.rec);
		cp_shallow_free(&sh);
		return 1;	/* nothing that old */
	}
	cp_shallow_free(&sh);
	memcpy(id.id, l.rec + (lo - 1) * REC, 20);
	free(l.rec);
	if ((rc = git_commit_lookup(out, s->repo, &id)) < 0)
		return cp_git_error(rc, "cannot read a past commit");
	return 0;
}
