/*
 * read.c - reading the store: one case for a change, every case for
 * a listing or a report, from the work tree or from a past commit.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "fsutil.h"
#include "priv.h"
#include "yaml_subset.h"

int cp_git_read_blob(git_repository *repo, git_tree *tree, const char *path,
		     struct sbuf *out, int missing_ok)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc;

	if (!tree && missing_ok)
		return 1;
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND) {
		if (missing_ok) {
			git_error_clear();
			return 1;
		}
		return cp_error(CP_EDATA, "'%s' is not in the store's history at that time",
				path);
	}
	if (rc < 0)
		return cp_git_error(rc, path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return cp_error(CP_EDATA, "'%s' is not a file", path);
	}
	rc = git_blob_lookup(&b, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (rc < 0)
		return cp_git_error(rc, path);
	if (git_blob_rawsize(b) > YAML_MAX_FILE) {
		git_blob_free(b);
		return cp_error(CP_EDATA, "%s: file is too large", path);
	}
	sbuf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return 0;
}

int cp_store_read(struct cp_store *s, const char *path, struct sbuf *out)
{
	char full[PATH_MAX];
	int r;

	if (s->asof_tree)
		return cp_git_read_blob(s->repo, s->asof_tree, path, out, 0);
	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	r = cp_read_file(out, full, YAML_MAX_FILE, 1);
	if (r == 1)
		return cp_error(CP_EDATA, "the store has no %s", path);
	return r;
}

int cp_store_use_time(struct cp_store *s, cp_time t)
{
	git_commit *c;
	git_tree *tree;
	char buf[CP_TIME_BUF];
	int r, rc;

	if ((r = cp_git_commit_at(s, t, &c)) < 0)
		return r;
	if (r == 1) {
		cp_time_fmt(t, buf);
		return cp_error(CP_EUSAGE, "the store has no commit at or before %s", buf);
	}
	rc = git_commit_tree(&tree, c);
	git_commit_free(c);
	if (rc < 0)
		return cp_git_error(rc, "cannot read a past commit");
	git_tree_free(s->asof_tree);
	s->asof_tree = tree;
	{
		/* reload the rules as they stood then */
		struct sbuf buf2 = SBUF_INIT;
		struct cp_policy *p = NULL;
		struct cp_org *o = NULL;

		if ((r = cp_store_read(s, "policy.yaml", &buf2)) < 0 ||
		    (r = cp_policy_parse(&p, "policy.yaml", buf2.buf, buf2.len)) < 0) {
			sbuf_release(&buf2);
			return r;
		}
		sbuf_reset(&buf2);
		if ((r = cp_store_read(s, "org.yaml", &buf2)) < 0 ||
		    (r = cp_org_parse(&o, "org.yaml", buf2.buf, buf2.len)) < 0) {
			cp_policy_free(p);
			sbuf_release(&buf2);
			return r;
		}
		sbuf_release(&buf2);
		cp_policy_free(s->policy);
		cp_org_free(s->org);
		s->policy = p;
		s->org = o;
		return cp_policy_use(p);
	}
}

int cp_store_policy_at(struct cp_store *s, cp_time t, struct cp_policy **out)
{
	git_commit *c;
	git_tree *tree;
	struct sbuf buf = SBUF_INIT;
	int r, rc;

	*out = NULL;
	if ((r = cp_git_commit_at(s, t, &c)) < 0)
		return r;
	if (r == 1)
		return 1;
	rc = git_commit_tree(&tree, c);
	git_commit_free(c);
	if (rc < 0)
		return cp_git_error(rc, "cannot read a past commit");
	r = cp_git_read_blob(s->repo, tree, "policy.yaml", &buf, 1);
	git_tree_free(tree);
	if (r == 0) {
		char name[64];
		char tb[CP_TIME_BUF];

		cp_time_fmt(t, tb);
		snprintf(name, sizeof(name), "policy.yaml@%s", tb);
		r = cp_policy_parse(out, name, buf.buf, buf.len);
	}
	sbuf_release(&buf);
	return r;
}

/* ---- walking ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool case_name(const char *s)
{
	size_t n = strlen(s);

	return n > 5 && s[0] != '.' && !strcmp(s + n - 5, ".yaml");
}

static char **list_fd(int dfd, bool (*keep)(const char *, size_t), size_t arg,
		      size_t *count);

/*
 * Open a folder of the store, never through a symlink: 0 and *fd, 1 when
 * it is not there, or an error naming what it is instead.
 */
static int not_dir(const char *rel, unsigned int mode)
{
	if (S_ISLNK(mode))
		return cp_error(CP_EDATA,
				"%s: is a symbolic link; the store's folders must be real ones (git records a link, not the files behind it), and complaint never reads or writes through one",
				rel);
	return cp_error(CP_EDATA, "%s: is %s, not a folder", rel, cp_file_kind(mode));
}

static int open_dir(const char *dir, const char *rel, int *fd)
{
	struct stat st;
	int e;

	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	e = errno;
	if (e == ENOENT)
		return 1;
	if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return not_dir(rel, st.st_mode);
	return cp_error(CP_ESYS, "cannot read the folder %s: %s", rel, strerror(e));
}

/* Sorted names in dir that pass keep(); NULL-terminated. */
static char **list_dir(const char *dir, bool (*keep)(const char *, size_t),
		       size_t arg, size_t *count)
{
	int fd;
	char **v;

	*count = 0;
	if (open_dir(dir, dir, &fd) != 0) {
		cp_error_clear();
		return NULL;
	}
	v = list_fd(fd, keep, arg, count);
	close(fd);
	return v;
}

static bool keep_digits(const char *s, size_t n)
{
	return all_digits(s, n);
}

static bool keep_case(const char *s, size_t n)
{
	(void)n;
	return case_name(s);
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * git's index, read for the blob ids of work-tree files whose stat data
 * it vouches for: exactly git's rule (mtime, ctime, inode, owner, size,
 * a regular file, no assume-valid, skip-worktree, intent-to-add or
 * conflict flag), including the racy-timestamp rule (an entry whose mtime
 * is not older than the index file's is not trusted).  Only versions 2
 * and 3 without a split or sparse index are read; otherwise every file
 * is hashed.
 */
struct gindex {
	unsigned char *map;
	size_t len;
	size_t off, end;	/* cursor: the next entry; the end of the entries */
	uint32_t left;		/* entries from the cursor on */
	struct timespec mtime;	/* of the index file */
};

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

#define IX_FIXED 62
#define IX_SHA 20

/* Bytes of the entry at off, or 0 when it runs past limit. */
static size_t ix_entry(const unsigned char *map, size_t off, size_t limit,
		       const char **path, size_t *plen)
{
	size_t fixed = IX_FIXED, n;
	const char *p;

	if (off + IX_FIXED + 2 > limit)
		return 0;
	if (get16(map + off + 60) & 0x4000)
		fixed += 2;
	p = (const char *)map + off + fixed;
	n = strnlen(p, limit - (off + fixed));
	if (off + fixed + n >= limit)
		return 0;
	*path = p;
	*plen = n;
	return (fixed + n + 8) & ~(size_t)7;
}

static void index_close(struct gindex *ix)
{
	if (ix->map)
		munmap(ix->map, ix->len);
	memset(ix, 0, sizeof(*ix));
}

/* Map and validate .git/index; false when it cannot be used (hash instead). */
static bool index_open(struct gindex *ix, const char *gitdir)
{
	static const unsigned char zero[IX_SHA];
	char path[PATH_MAX];
	unsigned char sum[IX_SHA];
	unsigned int n = 0;
	struct stat st;
	uint32_t count, version, i;
	size_t off = 12, k, plen;
	const char *p;
	int fd;

	memset(ix, 0, sizeof(*ix));
	snprintf(path, sizeof(path), "%sindex", gitdir);
	if (cp_open_file(path, &fd, &st, 1) != 0) {
		cp_error_clear();
		return false;	/* missing, or not a file: hash instead */
	}
	if (st.st_size < 12 + IX_SHA) {
		close(fd);
		return false;
	}
	ix->len = (size_t)st.st_size;
	ix->mtime = st.st_mtim;
	ix->map = mmap(NULL, ix->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		return false;
	}
	version = get32(ix->map + 4);
	count = get32(ix->map + 8);
	if (memcmp(ix->map, "DIRC", 4) || (version != 2 && version != 3))
		goto bad;
	/* git checks the trailing SHA-1 on every read (zero: index.skipHash) */
	if (memcmp(ix->map + ix->len - IX_SHA, zero, IX_SHA) &&
	    (!EVP_Digest(ix->map, ix->len - IX_SHA, sum, &n, EVP_sha1(), NULL) ||
	     n != IX_SHA || memcmp(sum, ix->map + ix->len - IX_SHA, IX_SHA)))
		goto bad;
	for (i = 0; i < count; i++) {
		if (!(k = ix_entry(ix->map, off, ix->len - IX_SHA, &p, &plen)))
			goto bad;
		if ((get16(ix->map + off + 60) & 0x4000) && version < 3)
			goto bad;
		off += k;
	}
	ix->end = off;
	while (off + 8 <= ix->len - IX_SHA) {
		const unsigned char *sig = ix->map + off;

		/* a lowercase (mandatory) extension: "link" split index, "sdir" ... */
		if (sig[0] < 'A' || sig[0] > 'Z')
			goto bad;
		off += 8 + (size_t)get32(sig + 4);
	}
	if (off != ix->len - IX_SHA)
		goto bad;
	ix->off = 12;
	ix->left = count;
	madvise(ix->map, ix->len, MADV_SEQUENTIAL);
	return true;
bad:
	index_close(ix);
	return false;
}

static int path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The entry for path: paths must come in git's order (the cursor only moves on). */
static const unsigned char *index_find(struct gindex *ix, const char *path)
{
	size_t plen = strlen(path), k, n;
	const char *p;
	int c;

	while (ix->left) {
		k = ix_entry(ix->map, ix->off, ix->end, &p, &n);
		c = path_cmp(p, n, path, plen);
		if (c > 0)
			return NULL;
		if (c == 0)
			return ix->map + ix->off;
		ix->off += k;
		ix->left--;
	}
	return NULL;
}

static bool index_vouches(const struct gindex *ix, const unsigned char *e,
			  const struct stat *st)
{
	uint16_t flags = get16(e + 60);
	uint32_t ms = get32(e + 8), mns = get32(e + 12);

	if (flags & 0xb000)		/* assume-valid, or a conflict stage */
		return false;
	if ((flags & 0x4000) && (get16(e + 62) & 0x6000))
		return false;		/* skip-worktree, intent-to-add */
	if ((get32(e + 24) & 0170000) != 0100000 || !S_ISREG(st->st_mode))
		return false;
	if (ms != (uint32_t)st->st_mtim.tv_sec || mns != (uint32_t)st->st_mtim.tv_nsec ||
	    get32(e + 0) != (uint32_t)st->st_ctim.tv_sec ||
	    get32(e + 4) != (uint32_t)st->st_ctim.tv_nsec ||
	    get32(e + 20) != (uint32_t)st->st_ino ||
	    get32(e + 28) != (uint32_t)st->st_uid ||
	    get32(e + 32) != (uint32_t)st->st_gid ||
	    get32(e + 36) != (uint32_t)st->st_size)
		return false;
	/* racy: the file may have changed in the instant the index was written */
	if ((uint32_t)ix->mtime.tv_sec < ms ||
	    ((uint32_t)ix->mtime.tv_sec == ms && (uint32_t)ix->mtime.tv_nsec <= mns))
		return false;
	return true;
}

/* What a walk keeps between files; f->priv points here. */
struct walker {
	struct cp_store *s;
	bool ids, tree;
	struct gindex ix;
	bool have_ix;
	struct sbuf buf;
	unsigned char oid[20];
	char full[PATH_MAX];
	size_t hashed, vouched;
};

static int hash_blob(const char *buf, size_t len, unsigned char out[20])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char hdr[32];
	int n = snprintf(hdr, sizeof(hdr), "blob %zu", len) + 1;
	unsigned int k = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	     EVP_DigestUpdate(ctx, hdr, (size_t)n) &&
	     EVP_DigestUpdate(ctx, buf, len) && EVP_DigestFinal_ex(ctx, out, &k);
	EVP_MD_CTX_free(ctx);
	return ok && k == 20 ? 0 : cp_error(CP_ESYS, "cannot compute a blob id");
}

int cp_store_blob_id(struct cp_store *s, const char *path, const char *buf, size_t len,
		     unsigned char out[20])
{
	git_filter_list *fl = NULL;
	git_buf conv = { 0 };
	int rc, r;

	if ((r = hash_blob(buf, len, out)) < 0 || !memchr(buf, '\r', len))
		return r;
	/*
	 * Line ends git converts on the way in (core.autocrlf, the text and
	 * eol attributes): git stores, and names, the converted bytes.
	 */
	if ((r = cp_store_preflight_path(s->root, path)) < 0)
		return r;
	rc = git_filter_list_load(&fl, s->repo, NULL, path, GIT_FILTER_TO_ODB,
				  GIT_FILTER_DEFAULT);
	if (rc < 0)
		return cp_git_error(rc, path);
	if (!fl)
		return 0;
	rc = git_filter_list_apply_to_buffer(&conv, fl, buf, len);
	git_filter_list_free(fl);
	if (rc < 0)
		r = cp_git_error(rc, path);
	else
		r = hash_blob(conv.ptr, conv.size, out);
	git_buf_dispose(&conv);
	return r;
}

int cp_walk_file_read(struct cp_walk_file *f)
{
	struct walker *w = f->priv;
	int r;

	if (f->buf)
		return 0;
	sbuf_reset(&w->buf);
	if (w->tree) {
		git_blob *b;
		git_oid id;
		int rc;

		memcpy(id.id, f->oid, 20);
		if ((rc = git_blob_lookup(&b, w->s->repo, &id)) < 0)
			return cp_git_error(rc, f->path);
		if (git_blob_rawsize(b) > YAML_MAX_FILE) {
			git_blob_free(b);
			return cp_error(CP_EDATA, "%s: file is too large", f->path);
		}
		sbuf_add(&w->buf, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	} else {
		r = cp_read_file(&w->buf, w->full, YAML_MAX_FILE, 0);
		if (r < 0)
			return r;
		/* the bytes read name themselves: never trust an id for other bytes */
		if (w->ids) {
			if ((r = cp_store_blob_id(w->s, f->path, w->buf.buf, w->buf.len,
						  w->oid)) < 0)
				return r;
			f->oid = w->oid;
			w->hashed++;
		}
	}
	f->buf = w->buf.buf;
	f->len = w->buf.len;
	return 0;
}

/* Sorted names in the directory open at dfd that pass keep(); NULL-terminated. */
static char **list_fd(int dfd, bool (*keep)(const char *, size_t), size_t arg,
		      size_t *count)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	int fd = dup(dfd);

	*count = 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!keep(de->d_name, arg))
			continue;
		ALLOC_GROW(v, n + 2, alloc);
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (v) {
		qsort(v, n, sizeof(*v), cmp_str);
		v[n] = NULL;
	}
	*count = n;
	return v;
}

/* Stat data of a month's files, taken by two threads (lstat is most of a warm walk). */
struct stat_job {
	int dfd;
	char **names;
	size_t from, to;
	struct stat *st;
	int *err;
};

static void *stat_range(void *arg)
{
	struct stat_job *j = arg;
	size_t i;

	for (i = j->from; i < j->to; i++)
		j->err[i] = fstatat(j->dfd, j->names[i], &j->st[i], AT_SYMLINK_NOFOLLOW) < 0
			    ? errno : 0;
	return NULL;
}

static void stat_all(int dfd, char **names, size_t n, struct stat *st, int *err)
{
	struct stat_job a = { dfd, names, 0, n / 2, st, err }, b = a;
	pthread_t t;
	bool two;

	b.from = n / 2;
	b.to = n;
	two = n >= 256 && pthread_create(&t, NULL, stat_range, &b) == 0;
	if (!two)
		a.to = n;
	stat_range(&a);
	if (two)
		pthread_join(t, NULL);
}

/* One work-tree file; st/serr: its stat data taken beforehand, when ids are wanted. */
static int one_worktree_file(struct walker *w, const char *rel, const struct stat *st,
			     int serr, cp_walk_cb cb, void *data)
{
	struct cp_walk_file f;
	const unsigned char *e;

	memset(&f, 0, sizeof(f));
	f.path = rel;
	f.priv = w;
	snprintf(w->full, sizeof(w->full), "%s/%s", w->s->root, rel);
	if (st) {
		if (serr == ENOENT)
			return 0;	/* vanished meanwhile */
		if (!serr && (e = index_find(&w->ix, rel)) && index_vouches(&w->ix, e, st)) {
			f.oid = e + 40;
			w->vouched++;
			return cb(&f, data);
		}
	}
	if ((f.err = cp_walk_file_read(&f)) < 0) {
		struct stat lst;

		if (lstat(w->full, &lst) < 0 && errno == ENOENT)
			return 0;	/* vanished meanwhile */
		f.oid = NULL;
	}
	return cb(&f, data);
}

/* A month folder of the work tree: its files, and (ids) their stat data. */
struct month {
	char rel[32];		/* cases/YYYY/MM */
	char **files;
	size_t nf;
	struct stat *st;
	int *err;
	int dfd;
	bool ready;
	char *why;		/* not a real folder: why it is skipped */
};

/*
 * With ids, a second thread lists and stats the months ahead of the one
 * being read (at most AHEAD of them), so that the stat calls, most of a
 * warm walk, overlap with decoding and deriving.
 */
#define AHEAD 2

struct ahead {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct month *v;
	size_t n, ready, used;
	bool stop;
	const char *root;
};

static void month_load(const char *root, struct month *mo, bool stat_them)
{
	char dir[PATH_MAX];

	if (mo->why)
		return;
	snprintf(dir, sizeof(dir), "%s/%s", root, mo->rel);
	mo->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (mo->dfd < 0)
		return;
	mo->files = list_fd(mo->dfd, keep_case, 0, &mo->nf);
	if (stat_them && mo->nf) {
		struct stat_job j;

		mo->st = xmalloc(mo->nf * sizeof(*mo->st));
		mo->err = xmalloc(mo->nf * sizeof(*mo->err));
		j.dfd = mo->dfd;
		j.names = mo->files;
		j.from = 0;
		j.to = mo->nf;
		j.st = mo->st;
		j.err = mo->err;
		stat_range(&j);
	}
}

static void month_free(struct month *mo)
{
	if (mo->dfd >= 0)
		close(mo->dfd);
	free_list(mo->files, mo->nf);
	free(mo->st);
	free(mo->err);
	free(mo->why);
	memset(mo, 0, sizeof(*mo));
	mo->dfd = -1;
}

static void *load_ahead(void *d)
{
	struct ahead *a = d;
	size_t i;

	for (i = 0; i < a->n; i++) {
		pthread_mutex_lock(&a->mu);
		while (!a->stop && i >= a->used + AHEAD)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		pthread_mutex_unlock(&a->mu);
		month_load(a->root, &a->v[i], true);
		pthread_mutex_lock(&a->mu);
		a->v[i].ready = true;
		a->ready = i + 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

static int walk_worktree(struct walker *w, int from, int to, cp_walk_cb cb,
			 void *data)
{
	struct cp_store *s = w->s;
	char dir[PATH_MAX], rel[PATH_MAX];
	char **years, **months;
	size_t ny, nm, i, j, k, n = 0, alloc = 0;
	struct month *v = NULL;
	struct ahead a;
	pthread_t t;
	bool threaded = false, ids;
	int r = 0, fd;

	if (w->ids)
		w->have_ix = index_open(&w->ix, git_repository_path(s->repo));
	ids = w->ids && w->have_ix;
	/* the month folders in range, in order; never through a symlink */
	snprintf(dir, sizeof(dir), "%s/cases", s->root);
	if ((r = open_dir(dir, "cases", &fd)) < 0) {
		index_close(&w->ix);
		return r;
	}
	years = r ? NULL : list_fd(fd, keep_digits, 4, &ny);
	if (!r)
		close(fd);
	else
		ny = 0;
	r = 0;
	for (i = 0; i < ny; i++) {
		int y = atoi(years[i]);

		if (y * 12 + 11 < from || y * 12 > to)
			continue;
		snprintf(dir, sizeof(dir), "%s/cases/%s", s->root, years[i]);
		snprintf(rel, sizeof(rel), "cases/%s", years[i]);
		if (open_dir(dir, rel, &fd) != 0) {
			/* a symlink or a file: named, in its place */
			ALLOC_GROW(v, n + 1, alloc);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].dfd = -1;
			snprintf(v[n].rel, sizeof(v[n].rel), "%s", rel);
			v[n].why = xstrdup(cp_errmsg());
			cp_error_clear();
			n++;
			continue;
		}
		months = list_fd(fd, keep_digits, 2, &nm);
		for (j = 0; j < nm; j++) {
			int m = y * 12 + atoi(months[j]) - 1;
			struct stat st;

			if (m < from || m > to)
				continue;
			ALLOC_GROW(v, n + 1, alloc);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].dfd = -1;
			snprintf(v[n].rel, sizeof(v[n].rel), "cases/%s/%s", years[i], months[j]);
			if (fstatat(fd, months[j], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISDIR(st.st_mode)) {
				not_dir(v[n].rel, st.st_mode);
				v[n].why = xstrdup(cp_errmsg());
				cp_error_clear();
			}
			n++;
		}
		close(fd);
		free_list(months, nm);
	}
	free_list(years, ny);
	memset(&a, 0, sizeof(a));
	if (ids && n) {
		pthread_mutex_init(&a.mu, NULL);
		pthread_cond_init(&a.cv, NULL);
		a.v = v;
		a.n = n;
		a.root = s->root;
		threaded = pthread_create(&t, NULL, load_ahead, &a) == 0;
		if (!threaded) {
			pthread_cond_destroy(&a.cv);
			pthread_mutex_destroy(&a.mu);
		}
	}
	for (i = 0; i < n && r >= 0; i++) {
		struct month *mo = &v[i];

		if (threaded) {
			pthread_mutex_lock(&a.mu);
			while (!mo->ready)
				pthread_cond_wait(&a.cv, &a.mu);
			pthread_mutex_unlock(&a.mu);
		} else {
			month_load(s->root, mo, false);
			if (ids && mo->nf) {
				mo->st = xmalloc(mo->nf * sizeof(*mo->st));
				mo->err = xmalloc(mo->nf * sizeof(*mo->err));
				stat_all(mo->dfd, mo->files, mo->nf, mo->st, mo->err);
			}
		}
		if (mo->why) {
			struct cp_walk_file f;

			memset(&f, 0, sizeof(f));
			f.path = mo->rel;
			f.priv = w;
			f.err = cp_error(CP_EDATA, "%s", mo->why);
			r = cb(&f, data);
		}
		for (k = 0; k < mo->nf && r >= 0; k++) {
			snprintf(rel, sizeof(rel), "%s/%s", mo->rel, mo->files[k]);
			r = one_worktree_file(w, rel, ids && mo->st ? &mo->st[k] : NULL,
					      ids && mo->err ? mo->err[k] : 0, cb, data);
		}
		if (threaded) {
			pthread_mutex_lock(&a.mu);
			month_free(mo);
			a.used = i + 1;
			pthread_cond_broadcast(&a.cv);
			pthread_mutex_unlock(&a.mu);
		} else {
			month_free(mo);
		}
	}
	if (threaded) {
		pthread_mutex_lock(&a.mu);
		a.stop = true;
		pthread_cond_broadcast(&a.cv);
		pthread_mutex_unlock(&a.mu);
		pthread_join(t, NULL);
		pthread_cond_destroy(&a.cv);
		pthread_mutex_destroy(&a.mu);
	}
	for (i = 0; i < n; i++)
		if (v[i].files || v[i].dfd >= 0)
			month_free(&v[i]);
	free(v);
	index_close(&w->ix);
	return r < 0 ? r : 0;
}

static int walk_tree(struct walker *w, int from, int to, cp_walk_cb cb,
		     void *data)
{
	struct cp_store *s = w->s;
	git_tree_entry *ce = NULL;
	git_tree *cases = NULL;
	size_t i, j, k;
	int rc, r = 0;

	rc = git_tree_entry_bypath(&ce, s->asof_tree, "cases");
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || (rc = git_tree_lookup(&cases, s->repo, git_tree_entry_id(ce))) < 0) {
		git_tree_entry_free(ce);
		return cp_git_error(rc, "cannot read cases from history");
	}
	git_tree_entry_free(ce);
	for (i = 0; i < git_tree_entrycount(cases) && r >= 0; i++) {
		const git_tree_entry *ye = git_tree_entry_byindex(cases, i);
		git_tree *yt;
		int y;

		if (git_tree_entry_type(ye) != GIT_OBJECT_TREE ||
		    !all_digits(git_tree_entry_name(ye), 4))
			continue;
		y = atoi(git_tree_entry_name(ye));
		if (y * 12 + 11 < from || y * 12 > to)
			continue;
		if (git_tree_lookup(&yt, s->repo, git_tree_entry_id(ye)) < 0)
			continue;
		for (j = 0; j < git_tree_entrycount(yt) && r >= 0; j++) {
			const git_tree_entry *me = git_tree_entry_byindex(yt, j);
			git_tree *mt;
			int m;

			if (git_tree_entry_type(me) != GIT_OBJECT_TREE ||
			    !all_digits(git_tree_entry_name(me), 2))
				continue;
			m = y * 12 + atoi(git_tree_entry_name(me)) - 1;
			if (m < from || m > to)
				continue;
			if (git_tree_lookup(&mt, s->repo, git_tree_entry_id(me)) < 0)
				continue;
			for (k = 0; k < git_tree_entrycount(mt) && r >= 0; k++) {
				const git_tree_entry *fe = git_tree_entry_byindex(mt, k);
				struct cp_walk_file f;
				char rel[PATH_MAX];

				if (git_tree_entry_type(fe) != GIT_OBJECT_BLOB ||
				    !case_name(git_tree_entry_name(fe)))
					continue;
				snprintf(rel, sizeof(rel), "cases/%s/%s/%s",
					 git_tree_entry_name(ye), git_tree_entry_name(me),
					 git_tree_entry_name(fe));
				memset(&f, 0, sizeof(f));
				f.path = rel;
				f.oid = git_tree_entry_id(fe)->id;	/* free with the tree */
				f.priv = w;
				if (!w->ids && (f.err = cp_walk_file_read(&f)) < 0)
					f.oid = NULL;
				r = cb(&f, data);
			}
			git_tree_free(mt);
		}
		git_tree_free(yt);
	}
	git_tree_free(cases);
	return r < 0 ? r : 0;
}

bool cp_store_cache_on(const struct cp_store *s)
{
	return s->cache;
}

const char *cp_store_gitdir(const struct cp_store *s)
{
	return git_repository_path(s->repo);
}

const char *cp_store_commondir(const struct cp_store *s)
{
	return git_repository_commondir(s->repo);
}

int cp_store_shared(const struct cp_store *s)
{
	return s->shared;
}

int cp_store_walk_files(struct cp_store *s, int from, int to, bool ids,
			cp_walk_cb cb, void *data)
{
	struct walker w;
	int r;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.ids = ids;
	w.buf = (struct sbuf)SBUF_INIT;
	w.tree = s->asof_tree != NULL;
	r = w.tree ? walk_tree(&w, from, to, cb, data)
		   : walk_worktree(&w, from, to, cb, data);
	sbuf_release(&w.buf);
	return r;
}

struct plain_walk {
	cp_file_cb cb;
	void *data;
};

static int plain_one(struct cp_walk_file *f, void *data)
{
	struct plain_walk *pw = data;

	if (f->err < 0 || cp_walk_file_read(f) < 0)
		return pw->cb(f->path, NULL, 0, pw->data);
	return pw->cb(f->path, f->buf, f->len, pw->data);
}

int cp_store_walk(struct cp_store *s, int from, int to, cp_file_cb cb,
		  void *data)
{
	struct plain_walk pw = { cb, data };

	return cp_store_walk_files(s, from, to, false, plain_one, &pw);
}

/* ---- one case ---- */

/*
 * Every file of case id in a month folder (the work tree, or the commit
 * chosen with cp_store_use_time()), sorted by path.
 */
static void tree_case_files(struct cp_store *s, const char *id, struct cp_paths *out)
{
	git_tree_entry *ce = NULL;
	git_tree *cases = NULL;
	size_t i, j;
	char rel[PATH_MAX];

	if (git_tree_entry_bypath(&ce, s->asof_tree, "cases") < 0 ||
	    git_tree_lookup(&cases, s->repo, git_tree_entry_id(ce)) < 0) {
		git_tree_entry_free(ce);
		git_error_clear();
		return;
	}
	git_tree_entry_free(ce);
	for (i = 0; i < git_tree_entrycount(cases); i++) {
		const git_tree_entry *ye = git_tree_entry_byindex(cases, i);
		git_tree *yt;

		if (git_tree_entry_type(ye) != GIT_OBJECT_TREE ||
		    !all_digits(git_tree_entry_name(ye), 4) ||
		    git_tree_lookup(&yt, s->repo, git_tree_entry_id(ye)) < 0)
			continue;
		for (j = 0; j < git_tree_entrycount(yt); j++) {
			const git_tree_entry *me = git_tree_entry_byindex(yt, j);
			git_tree_entry *fe = NULL;

			if (git_tree_entry_type(me) != GIT_OBJECT_TREE ||
			    !all_digits(git_tree_entry_name(me), 2))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s.yaml", git_tree_entry_name(me), id);
			if (git_tree_entry_bypath(&fe, yt, rel) == 0 &&
			    git_tree_entry_type(fe) == GIT_OBJECT_BLOB) {
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				snprintf(rel, sizeof(rel), "cases/%s/%s/%s.yaml",
					 git_tree_entry_name(ye), git_tree_entry_name(me), id);
				out->v[out->n++] = xstrdup(rel);
			}
			git_tree_entry_free(fe);
		}
		git_tree_free(yt);
	}
	git_tree_free(cases);
	git_error_clear();
}

void cp_store_case_files(struct cp_store *s, const char *id, struct cp_paths *out)
{
	char full[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	char **years, **months;
	size_t ny, nm, i, j;

	memset(out, 0, sizeof(*out));
	if (!cp_id_valid(id))
		return;
	if (s->asof_tree) {
		tree_case_files(s, id, out);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/cases", s->root);
	years = list_dir(dir, keep_digits, 4, &ny);
	for (i = 0; i < ny; i++) {
		snprintf(dir, sizeof(dir), "%s/cases/%s", s->root, years[i]);
		months = list_dir(dir, keep_digits, 2, &nm);
		for (j = 0; j < nm; j++) {
			snprintf(full, sizeof(full), "%s/cases/%s/%s/%s.yaml", s->root,
				 years[i], months[j], id);
			if (!lstat(full, &st)) {
				ALLOC_GROW(out->v, out->n + 1, out->alloc);
				out->v[out->n++] = xstrdup(full + strlen(s->root) + 1);
			}
		}
		free_list(months, nm);
	}
	free_list(years, ny);
}

void cp_paths_release(struct cp_paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * How well a file holds its case, lower is better: 0 in the folder its
 * received month names and the one its ID's date names; 1 in the first
 * only; 2 in the second only; 3 in neither; 4 unreadable or another case.
 */
static int copy_rank(struct cp_store *s, const char *id, const char *path)
{
	struct sbuf buf = SBUF_INIT, home = SBUF_INIT;
	struct cp_case *c = NULL;
	int rank = 4, y, m;
	char want[16];

	if (cp_store_read(s, path, &buf) == 0 &&
	    cp_case_parse(&c, path, buf.buf, buf.len) == 0 && !strcmp(c->id, id)) {
		cp_case_path(&home, c->id, c->received);
		rank = strcmp(home.buf, path) ? 2 : 0;
		if (cp_id_month(id, &y, &m) < 0)
			rank += 1;
		else {
			snprintf(want, sizeof(want), "cases/%04d/%02d/", y, m);
			rank += strncmp(path, want, strlen(want)) != 0;
		}
	}
	cp_error_clear();
	cp_case_free(c);
	sbuf_release(&buf);
	sbuf_release(&home);
	return rank;
}

size_t cp_store_pick_copy(struct cp_store *s, const char *id, const struct cp_paths *files)
{
	size_t i, best = 0;
	int r, best_rank = 5;

	for (i = 0; i < files->n; i++) {
		r = copy_rank(s, id, files->v[i]);
		/* files are sorted: on a tie the first path wins */
		if (r < best_rank) {
			best_rank = r;
			best = i;
		}
	}
	return best;
}

void cp_store_copies_message(const char *id, const struct cp_paths *files,
			     size_t winner, struct sbuf *out)
{
	size_t i;

	sbuf_addf(out, "case %s is in %zu files (", id, files->n);
	for (i = 0; i < files->n; i++)
		sbuf_addf(out, "%s%s", i ? (i + 1 == files->n ? " and " : ", ") : "",
			  files->v[i]);
	sbuf_addf(out, "); %s is the one counted", files->v[winner]);
}

/* Find the file of a case; several files of one case are named. */
static int find_case(struct cp_store *s, const char *id, struct sbuf *path,
		     bool for_change)
{
	struct cp_paths files;
	struct sbuf msg = SBUF_INIT;
	size_t w;

	if (!cp_id_valid(id))
		return cp_error(CP_EUSAGE,
				"'%s' is not a valid case ID (letters, digits and '-', 3 to 32 characters)",
				id);
	cp_store_case_files(s, id, &files);
	if (!files.n) {
		int y, m, r;

		/* not found, or behind a folder that is a symlink: say which */
		if (!s->asof_tree && cp_id_month(id, &y, &m) == 0) {
			sbuf_reset(path);
			sbuf_addf(path, "cases/%04d/%02d/%s.yaml", y, m, id);
			if ((r = cp_check_dirs(s->root, path->buf)) < 0)
				return r;
		}
		return cp_error(CP_EUSAGE, "no case '%s' in this store", id);
	}
	w = files.n > 1 ? cp_store_pick_copy(s, id, &files) : 0;
	sbuf_reset(path);
	sbuf_adds(path, files.v[w]);
	if (files.n > 1) {
		cp_store_copies_message(id, &files, w, &msg);
		if (for_change) {
			cp_error(CP_EDATA, "%s; remove the copy that is wrong (with git rm, then git commit), then try again",
				 msg.buf);
			sbuf_release(&msg);
			cp_paths_release(&files);
			return -CP_EDATA;
		}
		cp_warn("%s (run 'complaint check')", msg.buf);
	}
	sbuf_release(&msg);
	cp_paths_release(&files);
	return 0;
}

bool cp_store_has_case(struct cp_store *s, const char *id)
{
	struct sbuf path = SBUF_INIT;
	struct cp_paths files;
	bool found;

	cp_store_case_files(s, id, &files);
	found = files.n > 0;
	cp_paths_release(&files);

	sbuf_release(&path);
	cp_error_clear();
	return found;
}

/* Is the work-tree file the committed one? */
static int check_committed(struct cp_store *s, const char *path,
			   const struct sbuf *buf)
{
	git_reference *head = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_oid oid;
	int rc, r = 0;

	if ((rc = git_repository_head(&head, s->repo)) < 0 ||
	    (rc = git_commit_lookup(&c, s->repo, git_reference_target(head))) < 0 ||
	    (rc = git_commit_tree(&tree, c)) < 0) {
		r = cp_git_error(rc, "cannot read HEAD");
		goto out;
	}
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND) {
		r = cp_error(CP_EBUSY,
			     "%s is not committed (written by hand, or by a change that was interrupted); run 'complaint check'",
			     path);
		goto out;
	}
	if (rc < 0) {
		r = cp_git_error(rc, path);
		goto out;
	}
	if ((r = cp_store_blob_id(s, path, buf->buf, buf->len, oid.id)) < 0)
		goto out;
	if (!git_oid_equal(&oid, git_tree_entry_id(e))) {
		r = cp_error(CP_EBUSY,
			     "%s has changes that are not committed; commit them with git, or run 'complaint check --repair' to restore the committed version",
			     path);
		goto out;
	}
	snprintf(s->base_path, sizeof(s->base_path), "%s", path);
	s->base_blob = *git_tree_entry_id(e);
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(head);
	return r;
}

static int load_case(struct cp_store *s, const char *id, struct cp_case **out,
		     struct sbuf *path, struct sbuf *raw, bool for_change)
{
	struct sbuf own = SBUF_INIT, *buf = raw ? raw : &own;
	char full[PATH_MAX];
	int r;

	*out = NULL;
	if ((r = find_case(s, id, path, for_change)) < 0 ||
	    (r = cp_check_dirs(s->root, path->buf)) < 0)
		return r;
	snprintf(full, sizeof(full), "%s/%s", s->root, path->buf);
	if ((r = cp_read_file(buf, full, YAML_MAX_FILE, 0)) < 0)
		goto out;
	if (for_change && (r = check_committed(s, path->buf, buf)) < 0)
		goto out;
	if ((r = cp_case_parse(out, path->buf, buf->buf, buf->len)) < 0)
		goto out;
	if (strcmp((*out)->id, id)) {
		r = cp_error(CP_EDATA, "%s: the file names case '%s', not '%s'",
			     path->buf, (*out)->id, id);
		goto out;
	}
	if ((*out)->ndup) {
		struct sbuf sb = SBUF_INIT;

		cp_case_describe_copy(*out, &sb);
		cp_warn("%s: %s; %s", path->buf, sb.buf,
			for_change ? "this change writes the file without the copy"
				   : "it counts once (run 'complaint check')");
		sbuf_release(&sb);
	}
	if ((r = cp_case_derive(*out, s->policy)) < 0)
		r = cp_error_wrap("%s", path->buf);
out:
	if (r < 0) {
		cp_case_free(*out);
		*out = NULL;
	}
	sbuf_release(&own);
	return r;
}

int cp_store_load_case(struct cp_store *s, const char *id, struct cp_case **out,
		       struct sbuf *path)
{
	return load_case(s, id, out, path, NULL, true);
}

int cp_store_read_case(struct cp_store *s, const char *id, struct cp_case **out,
		       struct sbuf *path, struct sbuf *raw)
{
	return load_case(s, id, out, path, raw, false);
}

int cp_merge_driver_register(struct cp_store *s)
{
	git_config *cfg = NULL;
	int rc;

	if ((rc = git_repository_config(&cfg, s->repo)) < 0)
		return cp_git_error(rc, "cannot open the repository's config");
	rc = git_config_set_string(cfg, "merge.complaint-case.name",
				   "complaint case files: union of events");
	if (rc == 0)
		rc = git_config_set_string(cfg, "merge.complaint-case.driver",
					   "complaint merge-file %O %A %B %P");
	git_config_free(cfg);
	if (rc < 0)
		return cp_git_error(rc, "cannot register the merge driver");
	return 0;
}

static char *config_string(git_config *cfg, const char *key)
{
	git_buf b = { 0 };
	char *r = NULL;

	if (git_config_get_string_buf(&b, cfg, key) == 0 && b.ptr && *b.ptr)
		r = xstrdup(b.ptr);
	git_buf_dispose(&b);
	return r;
}

void cp_store_identity(struct cp_store *s, char **name, char **email)
{
	git_config *cfg = NULL, *snap = NULL;

	*name = *email = NULL;
	cp_git_init();
	if (s ? git_repository_config(&cfg, s->repo) < 0
	      : git_config_open_default(&cfg) < 0) {
		git_error_clear();
		cp_git_shutdown();
		return;
	}
	if (git_config_snapshot(&snap, cfg) == 0) {
		*name = config_string(snap, "user.name");
		*email = config_string(snap, "user.email");
		git_config_free(snap);
	}
	git_config_free(cfg);
	git_error_clear();
	cp_git_shutdown();
}
