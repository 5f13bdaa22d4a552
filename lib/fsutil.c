/*
 * fsutil.c - bounded reads and atomic, durable writes.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "complaint/i18n.h"

const char *cp_file_kind(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFIFO:
		return "a FIFO (named pipe)";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	}
	return "a special file";
}

static int not_regular(const char *path, unsigned int mode)
{
	if (S_ISLNK(mode))
		return cp_error(CP_EDATA, _("%s: is a symbolic link; refusing to follow it"),
				path);
	return cp_error(CP_EDATA, _("%s: is %s, not a regular file; refusing to read it"),
			path, cp_file_kind(mode));
}

int cp_open_file(int *fdp, struct stat *st, const char *path, int missing_ok)
{
	struct stat lst;
	int fd, fl;

	*fdp = -1;
	/* never open what is not a plain file: a FIFO blocks, a device acts */
	if (lstat(path, &lst) == 0 && !S_ISREG(lst.st_mode))
		return not_regular(path, lst.st_mode);
	/* O_NONBLOCK: what was swapped in meanwhile must not block the open */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT && missing_ok)
			return 1;
		if ((e == ELOOP || e == ENXIO) && lstat(path, &lst) == 0)
			return not_regular(path, lst.st_mode);
		return cp_error(e == ENOENT || e == ENOTDIR ? CP_EUSAGE : CP_ESYS,
				_("cannot read '%s': %s"), path, strerror(e));
	}
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		return cp_error(CP_ESYS, _("cannot examine '%s': %s"), path, strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return not_regular(path, st->st_mode);
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	*fdp = fd;
	return 0;
}

int cp_check_file(const char *path, int follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return cp_error(CP_ESYS, _("cannot examine '%s': %s"), path, strerror(errno));
	}
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISLNK(st.st_mode))
		return cp_error(CP_EDATA, _("%s: is a symbolic link; refusing to follow it"),
				path);
	return cp_error(CP_EDATA,
			_("%s: is %s, not a regular file; git would wait on it or misread it: remove it"),
			path, cp_file_kind(st.st_mode));
}

int cp_check_dirs(const char *root, const char *rel)
{
	char dir[4096];
	const char *p = rel;
	struct stat st;

	while ((p = strchr(p, '/'))) {
		snprintf(dir, sizeof(dir), "%s/%.*s", root, (int)(p - rel), rel);
		if (lstat(dir, &st) < 0) {
			if (errno == ENOENT)
				return 0;	/* made when written */
			return cp_error(CP_ESYS, _("cannot examine '%s': %s"), dir,
					strerror(errno));
		}
		if (S_ISLNK(st.st_mode))
			return cp_error(CP_EDATA,
					_("%s: is a symbolic link; the store's folders must be real ones (git records a link, not the files behind it), and complaint never reads or writes through one"),
					dir);
		if (!S_ISDIR(st.st_mode))
			return cp_error(CP_EDATA, _("%s: is %s, not a folder"), dir,
					cp_file_kind(st.st_mode));
		p++;
	}
	return 0;
}

int cp_read_file(struct cp_sbuf *sb, const char *path, size_t limit,
		 int missing_ok)
{
	struct stat st;
	int fd, r;
	ssize_t k;

	if ((r = cp_open_file(&fd, &st, path, missing_ok)) != 0)
		return r;
	if ((size_t)st.st_size > limit) {
		close(fd);
		return cp_error(CP_EDATA, _("%s: file is too large (%lld bytes, limit %zu)"),
				path, (long long)st.st_size, limit);
	}
	cp_sbuf_grow(sb, (size_t)st.st_size + 1);
	for (;;) {
		cp_sbuf_grow(sb, 8192);
		k = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return cp_error(CP_ESYS, _("cannot read '%s': %s"), path,
					strerror(errno));
		}
		if (!k)
			break;
		sb->len += (size_t)k;
		sb->buf[sb->len] = '\0';
		if (sb->len > limit) {
			close(fd);
			return cp_error(CP_EDATA, _("%s: file is too large (limit %zu bytes)"),
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
			return cp_error(CP_ESYS, _("cannot write %s: %s"), what,
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
		return cp_error(CP_ESYS, _("cannot open '%s': %s"), path, strerror(errno));
	if (fsync(fd) < 0 && errno != EINVAL)
		r = cp_error(CP_ESYS, _("cannot sync '%s': %s"), path, strerror(errno));
	close(fd);
	return r;
}

/* Create root/rel's parent directories; refuse symlinks on the way. */
static int make_parents(const char *root, const char *rel, char *dir, size_t dirsz,
			int shared)
{
	const char *p = rel;
	struct stat st;

	snprintf(dir, dirsz, "%s", root);
	while ((p = strchr(p, '/'))) {
		size_t used = strlen(root) + 1 + (size_t)(p - rel);

		if (used >= dirsz)
			return cp_error(CP_EUSAGE, _("path too long"));
		snprintf(dir, dirsz, "%s/%.*s", root, (int)(p - rel), rel);
		if (lstat(dir, &st) == 0) {
			if (S_ISLNK(st.st_mode))
				return cp_error(CP_EDATA,
						_("'%s' is a symbolic link; refusing to write through it"),
						dir);
			if (!S_ISDIR(st.st_mode))
				return cp_error(CP_EDATA, _("'%s' is not a directory"), dir);
		} else if (errno == ENOENT) {
			char parent[4096];
			char *slash;
			int r;

			if (mkdir(dir, 0777) < 0 && errno != EEXIST)
				return cp_error(CP_ESYS, _("cannot create '%s': %s"), dir,
						strerror(errno));
			cp_adjust_shared(dir, shared);
			/* the new directory's name is on disk before anything in it */
			snprintf(parent, sizeof(parent), "%s", dir);
			slash = strrchr(parent, '/');
			if (slash) {
				*slash = '\0';
				if ((r = cp_fsync_dir(parent)) < 0)
					return r;
			}
		} else {
			return cp_error(CP_ESYS, _("cannot examine '%s': %s"), dir,
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
	return cp_write_atomic_shared(root, rel, data, len, 0);
}

int cp_write_atomic_shared(const char *root, const char *rel, const char *data,
			   size_t len, int shared)
{
	char dir[4096], tmp[4096], final[4096];
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	struct stat st;
	int fd, r, slot;

	if ((r = make_parents(root, rel, dir, sizeof(dir), shared)) < 0)
		return r;
	snprintf(final, sizeof(final), "%s/%s", root, rel);
	if (lstat(final, &st) == 0 && !S_ISREG(st.st_mode))
		return cp_error(CP_EDATA, _("%s: is %s, not a regular file; refusing to replace it"),
				final, cp_file_kind(st.st_mode));
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-%ld", dir, base, (long)getpid());
	slot = temp_register(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		unlink(tmp);	/* ours, from a killed run with our pid */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		temp_forget(slot);
		return cp_error(CP_ESYS, _("cannot create '%s': %s"), tmp, strerror(errno));
	}
	r = cp_write_all(fd, data, len, tmp);
	if (!r && shared)
		cp_fadjust_shared(fd, shared);
	if (!r && fsync(fd) < 0)
		r = cp_error(CP_ESYS, _("cannot sync '%s': %s"), tmp, strerror(errno));
	if (close(fd) < 0 && !r)
		r = cp_error(CP_ESYS, _("cannot write '%s': %s"), tmp, strerror(errno));
	if (!r && rename(tmp, final) < 0)
		r = cp_error(CP_ESYS, _("cannot rename '%s' to '%s': %s"), tmp, final,
			     strerror(errno));
	if (r < 0) {
		unlink(tmp);
		temp_forget(slot);
		return r;
	}
	temp_forget(slot);
	return cp_fsync_dir(dir);
}

/* ---- files of our own under .git ---- */

static mode_t the_umask;

static void read_umask(void)
{
	the_umask = umask(0);	/* the only way to read it: set it back at once */
	umask(the_umask);
}

mode_t cp_umask(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_umask);
	return the_umask;
}

int cp_shared_parse(int *out, const char *value)
{
	char *end;
	long i;

	*out = 0;
	if (!value || !strcmp(value, "group") || !strcasecmp(value, "true") ||
	    !strcasecmp(value, "yes") || !strcasecmp(value, "on")) {
		*out = 0660;
		return 0;
	}
	if (!strcmp(value, "umask") || !*value || !strcasecmp(value, "false") ||
	    !strcasecmp(value, "no") || !strcasecmp(value, "off"))
		return 0;
	if (!strcmp(value, "all") || !strcmp(value, "world") || !strcmp(value, "everybody")) {
		*out = 0664;
		return 0;
	}
	errno = 0;
	i = strtol(value, &end, 8);
	if (*end || errno || i < 0 || i > 07777)
		return cp_error(CP_EDATA,
				_("core.sharedRepository = '%s': not umask, group, all, true, false or an octal mode"),
				value);
	if (i == 0)
		return 0;
	if (i == 1) {
		*out = 0660;
		return 0;
	}
	if (i == 2) {
		*out = 0664;
		return 0;
	}
	if ((i & 0600) != 0600)
		return cp_error(CP_EDATA,
				_("core.sharedRepository = '%s': the owner of files must always have read and write permission"),
				value);
	*out = -(int)(i & 0666);	/* others never get write */
	return 0;
}

/* git's calc_shared_perm(), and for a folder the x bits and set-group-id. */
static mode_t shared_mode(mode_t mode, int shared)
{
	int tweak = shared < 0 ? -shared : shared;
	mode_t m;

	if (!(mode & S_IWUSR))
		tweak &= ~0222;
	if (mode & S_IXUSR)
		tweak |= (tweak & 0444) >> 2;
	m = shared < 0 ? (mode & ~(mode_t)0777) | (mode_t)tweak : mode | (mode_t)tweak;
	if (S_ISDIR(mode)) {
		m |= (m & 0444) >> 2;
		m |= S_ISGID;
	}
	return m;
}

void cp_shared_umask(int shared)
{
	mode_t mask = cp_umask(), open;

	if (!shared)
		return;
	/* what git's adjust_shared_perm gives a folder made 0777 */
	open = shared_mode(S_IFDIR | 0700, shared) & 0777;
	if (shared > 0)
		mask &= ~open;		/* group (and others) get at least that */
	else
		mask = ~open & 0777;	/* exactly that */
	umask(mask);
	the_umask = mask;
}

int cp_adjust_shared(const char *path, int shared)
{
	struct stat st;
	mode_t m;

	if (!shared)
		return 0;
	if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
		return -1;
	m = shared_mode(st.st_mode, shared);
	if (((st.st_mode ^ m) & ~S_IFMT) && chmod(path, m & ~S_IFMT) < 0)
		return -1;
	return 0;
}

int cp_fadjust_shared(int fd, int shared)
{
	struct stat st;
	mode_t m;

	if (!shared)
		return 0;
	if (fstat(fd, &st) < 0)
		return -1;
	m = shared_mode(st.st_mode, shared);
	if (((st.st_mode ^ m) & ~S_IFMT) && fchmod(fd, m & ~S_IFMT) < 0)
		return -1;
	return 0;
}

int cp_private_dir(const char *dir, int shared, int create)
{
	struct stat st;

	if (lstat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		if (S_ISLNK(st.st_mode))
			return cp_error_hint(CP_EDATA, CP_HINT_OR_REPAIR,
					_("%s: is a symbolic link; complaint keeps its own files inside .git and does not follow it: not used; remove it"),
					dir);
		return cp_error_hint(CP_EDATA, CP_HINT_OR_REPAIR, _("%s: is %s, not a folder: not used; remove it"),
				dir, cp_file_kind(st.st_mode));
	}
	if (errno != ENOENT)
		return cp_error(CP_ESYS, _("cannot examine '%s': %s"), dir, strerror(errno));
	if (!create)
		return 1;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return cp_error(CP_ESYS, _("cannot create '%s': %s"), dir, strerror(errno));
	/* made by someone else meanwhile: looked at again */
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return cp_error(CP_EDATA, _("%s: is not a folder"), dir);
	cp_adjust_shared(dir, shared);
	return 0;
}
