/*
 * index.c - every change of git's index, under git's index.lock.
 *
 * Whatever moves the branch (a change, init, a sync) or rewrites the
 * index (check --repair) holds .git/index.lock from before it reads the
 * index until the new one is in place, as git does: a git command run
 * meanwhile cannot take the lock and fails, instead of committing an
 * index that does not hold our change yet (and so reverting it).
 *
 * One entry is updated by the fast path (index_file.c).  Anything else is
 * libgit2's work on a copy of the index (.git/index.complaint-tmp) that
 * the repository uses in place of .git/index meanwhile: libgit2 would
 * take index.lock itself to write .git/index, and we hold it.  The copy
 * is renamed over .git/index while the lock is still held.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <git2/sys/repository.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "index_file.h"
#include "priv.h"
#include "complaint/i18n.h"

#define TMP_NAME "index.complaint-tmp"

int cp_git_index_lock(struct cp_store *s, struct cp_index_lock *l)
{
	int r = cp_index_lock(l, git_repository_path(s->repo), s->root,
			      cp_store_lock_timeout());

	/* a git command may have started between our first look and the lock */
	if (r == 0 && (r = cp_store_git_busy(s)) < 0)
		cp_index_unlock(l);
	return r;
}

/* A new index file: the repository's shared permissions, as git gives it. */
static void index_shared(struct cp_store *s)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%sindex", git_repository_path(s->repo));
	cp_adjust_shared(path, s->shared);
}

static void tmp_path(struct cp_store *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s" TMP_NAME, git_repository_path(s->repo));
}

/* Copy the index's bytes to tmp (nothing when there is no index yet). */
static int copy_index(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, r = 0;

	struct stat st;

	if ((r = cp_open_file(&in, &st, from, 1)) != 0)
		return r < 0 ? r : 0;	/* 1: no index yet */
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (out < 0) {
		r = cp_error(CP_ESYS, _("cannot create '%s': %s"), to, strerror(errno));
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = cp_error(CP_ESYS, _("cannot read '%s': %s"), from, strerror(errno));
			break;
		}
		if ((r = cp_write_all(out, buf, (size_t)n, to)) < 0)
			break;
	}
	if (close(out) < 0 && r == 0)
		r = cp_error(CP_ESYS, _("cannot write '%s': %s"), to, strerror(errno));
	close(in);
	return r;
}

int cp_git_index_borrow(git_index **out, struct cp_store *s, struct cp_index_lock *l,
			bool fresh)
{
	char tmp[PATH_MAX], tmplock[PATH_MAX + 8];
	git_index *idx = NULL;
	int rc, r;

	*out = NULL;
	if (l->fd < 0)
		return cp_error(CP_ESYS, _("the index is not locked"));
	tmp_path(s, tmp, sizeof(tmp));
	snprintf(tmplock, sizeof(tmplock), "%s.lock", tmp);
	/* leftovers of a killed run: ours, and nobody else's while we hold the lock */
	unlink(tmp);
	unlink(tmplock);
	if (!fresh && (r = copy_index(l->index, tmp)) < 0)
		goto fail;
	if ((rc = git_index_open(&idx, tmp)) < 0) {
		r = cp_git_error(rc, "cannot read the index (.git/index)");
		goto fail;
	}
	git_repository_set_index(s->repo, idx);
	if ((rc = git_index_set_caps(idx, GIT_INDEX_CAPABILITY_FROM_OWNER)) < 0) {
		r = cp_git_error(rc, "cannot read the index (.git/index)");
		cp_git_index_return(s, idx);
		return r;
	}
	if (git_index_has_conflicts(idx)) {
		cp_git_index_return(s, idx);
		return cp_error(CP_EBUSY,
				_("the index has unmerged paths (a merge, rebase, cherry-pick or stash stopped at a conflict); resolve them (git add) or abort, then try again"));
	}
	*out = idx;
	return 0;
fail:
	git_index_free(idx);
	unlink(tmp);
	return r;
}

void cp_git_index_return(struct cp_store *s, git_index *idx)
{
	char tmp[PATH_MAX];

	if (!idx)
		return;
	git_repository_set_index(s->repo, NULL);	/* reads .git/index again */
	git_index_free(idx);
	tmp_path(s, tmp, sizeof(tmp));
	unlink(tmp);
}

int cp_git_index_install(struct cp_store *s, struct cp_index_lock *l, git_index **idx)
{
	char tmp[PATH_MAX];
	int rc, r;

	tmp_path(s, tmp, sizeof(tmp));
	if ((rc = git_index_write(*idx)) < 0)
		r = cp_git_error(rc, "cannot write the index (.git/index)");
	else if ((r = cp_index_commit_file(l, tmp)) == 0)
		index_shared(s);
	cp_git_index_return(s, *idx);
	*idx = NULL;
	return r;
}

/* The index entry git would make for the file at path. */
static int stat_entry(struct cp_store *s, const char *path, const git_oid *blob,
		      git_index_entry *e)
{
	char full[PATH_MAX];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", s->root, path);
	if (lstat(full, &st) < 0)
		return cp_error(CP_ESYS, _("cannot examine '%s': %s"), full, strerror(errno));
	memset(e, 0, sizeof(*e));
	e->ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e->dev = (uint32_t)st.st_dev;
	e->ino = (uint32_t)st.st_ino;
	e->mode = GIT_FILEMODE_BLOB;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->file_size = (uint32_t)st.st_size;
	e->id = *blob;
	e->path = path;
	return 0;
}

int cp_git_index_update(struct cp_store *s, struct cp_index_lock *l, git_index **idx,
			const char *const *paths, const git_oid *blobs, size_t n)
{
	git_index_entry e;
	size_t i;
	int rc, r;

	if (!*idx) {
		struct cp_index_entry fe;

		if (n != 1 || !l->planned)
			return cp_error(CP_ESYS, _("the index update was not prepared"));
		if ((r = stat_entry(s, paths[0], &blobs[0], &e)) < 0)
			return r;
		fe.ctime_s = (uint32_t)e.ctime.seconds;
		fe.ctime_ns = e.ctime.nanoseconds;
		fe.mtime_s = (uint32_t)e.mtime.seconds;
		fe.mtime_ns = e.mtime.nanoseconds;
		fe.dev = e.dev;
		fe.ino = e.ino;
		fe.mode = e.mode;
		fe.uid = e.uid;
		fe.gid = e.gid;
		fe.size = e.file_size;
		memcpy(fe.oid, blobs[0].id, 20);
		fe.path = paths[0];
		if ((r = cp_index_commit_entry(l, &fe)) == 0)
			index_shared(s);
		return r;
	}
	for (i = 0; i < n; i++) {
		if ((r = stat_entry(s, paths[i], &blobs[i], &e)) < 0)
			return r;
		if ((rc = git_index_add(*idx, &e)) < 0)
			return cp_git_error(rc, "cannot update the index");
	}
	return cp_git_index_install(s, l, idx);
}

void cp_git_index_undo(struct cp_index_lock *l)
{
	char why[2048];
	int kind = cp_errkind();

	snprintf(why, sizeof(why), "%s", cp_errmsg());
	if (cp_index_put_back(l) < 0)
		cp_error_hint(kind ? kind : CP_ESYS, CP_HINT_REPAIR, "%s", why);
	else
		cp_error(kind ? kind : CP_ESYS, "%s", why);
}
