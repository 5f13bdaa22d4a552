/*
 * fsutil.c - bounded reads and atomic, durable writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "complaint/fsutil.h"

int cp_read_file(struct sbuf *sb, const char *path, size_t limit,
		 int missing_ok)
{
	struct stat st;
	int fd;
	ssize_t k;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return 1;
		if (errno == ELOOP)
			return cp_error(CP_EDATA, "%s: is a symbolic link; refusing to follow it",
					path);
		return cp_error(errno == ENOENT ? CP_EUSAGE : CP_ESYS,
				"cannot read '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cp_error(CP_EDATA, "%s: not a regular file", path);
	}
	if ((size_t)st.st_size > limit) {
		close(fd);
		return cp_error(CP_EDATA, "%s: file is too large (%lld bytes, limit %zu)",
				path, (long long)st.st_size, limit);
	}
	sbuf_grow(sb, (size_t)st.st_size + 1);
	for (;;) {
		sbuf_grow(sb, 8192);
		k = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return cp_error(CP_ESYS, "cannot read '%s': %s", path,
					strerror(errno));
		}
		if (!k)
			break;
		sb->len += (size_t)k;
		sb->buf[sb->len] = '\0';
		if (sb->len > limit) {
			close(fd);
			return cp_error(CP_EDATA, "%s: file is too large (limit %zu bytes)",
					path, limit);
		}
	}
	close(fd);
	return 0;
}

int cp_write_all(int fd, const char *buf, size_t len, const char *what)
{
	while (len) {
		ssize_t k = write(fd, buf, len);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return cp_error(CP_ESYS, "cannot write %s: %s", what,
					strerror(errno));
		}
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Temporary files in flight, removed on failure and by the signal handler. */
#define MAX_TEMPS 4
static char temp_paths[MAX_TEMPS][4096];

static int temp_register(const char *path)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (!temp_paths[i][0]) {
			snprintf(temp_paths[i], sizeof(temp_paths[i]), "%s", path);
			return i;
		}
	return -1;
}

static void temp_forget(int slot)
{
	if (slot >= 0)
		temp_paths[slot][0] = '\0';
}

void cp_tempfiles_cleanup(void)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (temp_paths[i][0]) {
			unlink(temp_paths[i]);	/* async-signal-safe */
			temp_paths[i][0] = '\0';
		}
}

int cp_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return cp_error(CP_ESYS, "cannot open '%s': %s", path, strerror(errno));
	if (fsync(fd) < 0 && errno != EINVAL)
		r = cp_error(CP_ESYS, "cannot sync '%s': %s", path, strerror(errno));
	close(fd);
	return r;
}

/* Create root/rel's parent directories; refuse symlinks on the way. */
static int make_parents(const char *root, const char *rel, char *dir, size_t dirsz)
{
	const char *p = rel;
	struct stat st;

	snprintf(dir, dirsz, "%s", root);
	while ((p = strchr(p, '/'))) {
		size_t used = strlen(root) + 1 + (size_t)(p - rel);

		if (used >= dirsz)
			return cp_error(CP_EUSAGE, "path too long");
		snprintf(dir, dirsz, "%s/%.*s", root, (int)(p - rel), rel);
		if (lstat(dir, &st) == 0) {
			if (S_ISLNK(st.st_mode))
				return cp_error(CP_EDATA,
						"'%s' is a symbolic link; refusing to write through it",
						dir);
			if (!S_ISDIR(st.st_mode))
				return cp_error(CP_EDATA, "'%s' is not a directory", dir);
		} else if (errno == ENOENT) {
			char parent[4096];
			char *slash;
			int r;

			if (mkdir(dir, 0777) < 0 && errno != EEXIST)
				return cp_error(CP_ESYS, "cannot create '%s': %s", dir,
						strerror(errno));
			/* the new directory's name is on disk before anything in it */
			snprintf(parent, sizeof(parent), "%s", dir);
			slash = strrchr(parent, '/');
			if (slash) {
				*slash = '\0';
				if ((r = cp_fsync_dir(parent)) < 0)
					return r;
			}
		} else {
			return cp_error(CP_ESYS, "cannot examine '%s': %s", dir,
					strerror(errno));
		}
		p++;
	}
	snprintf(dir, dirsz, "%s/%.*s", root,
		 (int)(strrchr(rel, '/') ? strrchr(rel, '/') - rel : 0), rel);
	if (!strchr(rel, '/'))
		snprintf(dir, dirsz, "%s", root);
	return 0;
}

int cp_write_atomic(const char *root, const char *rel, const char *data,
		    size_t len)
{
	char dir[4096], tmp[4096], final[4096];
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	struct stat st;
	int fd, r, slot;

	if ((r = make_parents(root, rel, dir, sizeof(dir))) < 0)
		return r;
	snprintf(final, sizeof(final), "%s/%s", root, rel);
	if (lstat(final, &st) == 0 && !S_ISREG(st.st_mode))
		return cp_error(CP_EDATA, "'%s' is not a regular file (a symbolic link?); refusing to replace it",
				final);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-%ld", dir, base, (long)getpid());
	slot = temp_register(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		unlink(tmp);	/* ours, from a killed run with our pid */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		temp_forget(slot);
		return cp_error(CP_ESYS, "cannot create '%s': %s", tmp, strerror(errno));
	}
	r = cp_write_all(fd, data, len, tmp);
	if (!r && fsync(fd) < 0)
		r = cp_error(CP_ESYS, "cannot sync '%s': %s", tmp, strerror(errno));
	if (close(fd) < 0 && !r)
		r = cp_error(CP_ESYS, "cannot write '%s': %s", tmp, strerror(errno));
	if (!r && rename(tmp, final) < 0)
		r = cp_error(CP_ESYS, "cannot rename '%s' to '%s': %s", tmp, final,
			     strerror(errno));
	if (r < 0) {
		unlink(tmp);
		temp_forget(slot);
		return r;
	}
	temp_forget(slot);
	return cp_fsync_dir(dir);
}
