/*
 * walk.c - every case file, in order of month and ID, from the work tree
 * (the next month's folder listed and stat'ed ahead, git's index asked
 * which files it vouches for) or from a commit's tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <openssl/evp.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "index_file.h"
#include "priv.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

/* What a walk keeps between files; f->priv points here. */
struct walker {
	struct cp_store *s;
	bool ids, tree;
	struct cp_index_reader ix;
	bool have_ix;
	struct cp_sbuf buf;
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
	return ok && k == 20 ? 0 : cp_error(CP_ESYS, _("cannot compute a blob id"));
}

int cp_store_blob_id(unsigned char out[20], struct cp_store *s, const char *path, const char *buf,
		     size_t len)
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
	cp_sbuf_reset(&w->buf);
	if (w->tree) {
		git_blob *b;
		git_oid id;
		int rc;

		memcpy(id.id, f->oid, 20);
		if ((rc = git_blob_lookup(&b, w->s->repo, &id)) < 0)
			return cp_git_error(rc, f->path);
		if (git_blob_rawsize(b) > CP_YAML_MAX_FILE) {
			git_blob_free(b);
			return cp_error(CP_EDATA, _("%s: file is too large"), f->path);
		}
		cp_sbuf_add(&w->buf, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	} else {
		r = cp_read_file(&w->buf, w->full, CP_YAML_MAX_FILE, 0);
		if (r < 0)
			return r;
		/* the bytes read name themselves: never trust an id for other bytes */
		if (w->ids) {
			if ((r = cp_store_blob_id(w->oid, w->s, f->path, w->buf.buf,
						  w->buf.len)) < 0)
				return r;
			f->oid = w->oid;
			w->hashed++;
		}
	}
	f->buf = w->buf.buf;
	f->len = w->buf.len;
	return 0;
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
		if (!serr && (e = cp_index_read_find(&w->ix, rel)) && cp_index_vouches(&w->ix, e, st)) {
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
	mo->files = cp_list_fd(&mo->nf, mo->dfd, cp_keep_case, 0);
	if (stat_them && mo->nf) {
		struct stat_job j;

		mo->st = cp_xmalloc(mo->nf * sizeof(*mo->st));
		mo->err = cp_xmalloc(mo->nf * sizeof(*mo->err));
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
	cp_names_free(mo->files, mo->nf);
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
		w->have_ix = cp_index_read_open(&w->ix, git_repository_path(s->repo));
	ids = w->ids && w->have_ix;
	/* the month folders in range, in order; never through a symlink */
	snprintf(dir, sizeof(dir), "%s/cases", s->root);
	if ((r = cp_open_dir(&fd, dir, "cases")) < 0) {
		cp_index_read_close(&w->ix);
		return r;
	}
	years = r ? NULL : cp_list_fd(&ny, fd, cp_keep_digits, 4);
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
		if (cp_open_dir(&fd, dir, rel) != 0) {
			/* a symlink or a file: named, in its place */
			ALLOC_GROW(v, n + 1, alloc);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].dfd = -1;
			snprintf(v[n].rel, sizeof(v[n].rel), "%s", rel);
			v[n].why = cp_xstrdup(cp_errmsg());
			cp_error_clear();
			n++;
			continue;
		}
		months = cp_list_fd(&nm, fd, cp_keep_digits, 2);
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
				cp_not_dir(v[n].rel, st.st_mode);
				v[n].why = cp_xstrdup(cp_errmsg());
				cp_error_clear();
			}
			n++;
		}
		close(fd);
		cp_names_free(months, nm);
	}
	cp_names_free(years, ny);
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
				mo->st = cp_xmalloc(mo->nf * sizeof(*mo->st));
				mo->err = cp_xmalloc(mo->nf * sizeof(*mo->err));
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
	cp_index_read_close(&w->ix);
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
		    !cp_all_digits(git_tree_entry_name(ye), 4))
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
			    !cp_all_digits(git_tree_entry_name(me), 2))
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
				    !cp_case_file_name(git_tree_entry_name(fe)))
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

int cp_store_walk_files(struct cp_store *s, int from, int to, bool ids,
			cp_walk_cb cb, void *data)
{
	struct walker w;
	int r;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.ids = ids;
	w.buf = (struct cp_sbuf)CP_SBUF_INIT;
	w.tree = s->asof_tree != NULL;
	r = w.tree ? walk_tree(&w, from, to, cb, data)
		   : walk_worktree(&w, from, to, cb, data);
	cp_sbuf_release(&w.buf);
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
