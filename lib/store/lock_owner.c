/*
 * lock_owner.c - is a lock file still held?
 *
 * A lock file (git's index.lock, a ref's .lock, libgit2's temporary
 * object) is removed by `complaint check --repair` only when its owner is
 * gone, never because it is old: a `git commit -a` waiting for its editor
 * holds index.lock for as long as the editor is open.  The owner is found
 * in /proc: a process with the file open (libgit2 keeps its lock files
 * open until it renames them; so do we), or a git process whose working
 * directory is in the repository (git closes index.lock while its editor
 * runs: git 2.39 keeps no descriptor of it, only the file).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock_owner.h"

bool cp_pid_alive(long pid)
{
	if (pid <= 0 || pid > INT_MAX)
		return false;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* The bytes of a small /proc file, NULs turned to spaces; "" on failure. */
static void read_proc(const char *pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\0' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
}

/* Does process pid have the file (dev, ino) open?  -1: we may not look. */
static int has_open(const char *pid, dev_t dev, ino_t ino)
{
	char path[64];
	struct dirent *d;
	struct stat st;
	DIR *fds;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	if (!(fds = opendir(path)))
		return errno == EACCES || errno == EPERM ? -1 : 0;
	while ((d = readdir(fds)))
		if (d->d_name[0] != '.' &&
		    fstatat(dirfd(fds), d->d_name, &st, 0) == 0 &&
		    st.st_dev == dev && st.st_ino == ino) {
			found = 1;
			break;
		}
	closedir(fds);
	return found;
}

static bool is_git(const char *pid)
{
	char comm[64];

	read_proc(pid, "comm", comm, sizeof(comm));
	return !strcmp(comm, "git") || !strncmp(comm, "git-", 4);
}

static bool under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	return n && !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* dir made absolute and without symlinks or a trailing slash, or "". */
static void canon(const char *dir, char *out)
{
	size_t n;

	out[0] = '\0';
	if (dir && realpath(dir, out)) {
		n = strlen(out);
		while (n > 1 && out[n - 1] == '/')
			out[--n] = '\0';
	}
}

/*
 * Is git process pid working in the repository?  1 yes, 0 no, -1 we may
 * not look at its working directory.
 */
static int git_here(const char *pid, const char *work, const char *git)
{
	char path[64], cwd[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	if (n < 0)
		return errno == EACCES || errno == EPERM ? -1 : 0;
	cwd[n] = '\0';
	return under(cwd, work) || under(cwd, git);
}

static void describe(struct cp_lock_owner *o, const char *pid, bool by_fd)
{
	o->pid = strtol(pid, NULL, 10);
	o->by_fd = by_fd;
	read_proc(pid, "cmdline", o->what, sizeof(o->what));
	if (!o->what[0])
		read_proc(pid, "comm", o->what, sizeof(o->what));
}

/* One look through /proc for the holder of (dev, ino). */
static int scan(const struct stat *st, const char *work, const char *git,
		struct cp_lock_owner *o)
{
	char self[32], maybe_pid[32] = "";
	struct dirent *d;
	DIR *proc;
	bool maybe = false;
	int r;

	snprintf(self, sizeof(self), "%ld", (long)getpid());
	if (!(proc = opendir("/proc")))
		return 1;	/* cannot tell: never call it stale */
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    strspn(d->d_name, "0123456789") != strlen(d->d_name) ||
		    !strcmp(d->d_name, self))
			continue;
		if (has_open(d->d_name, st->st_dev, st->st_ino) > 0) {
			describe(o, d->d_name, true);
			closedir(proc);
			return 1;
		}
		if (!is_git(d->d_name))
			continue;
		r = git_here(d->d_name, work, git);
		if (r > 0) {
			describe(o, d->d_name, false);
			closedir(proc);
			return 1;
		}
		if (r < 0 && !maybe) {
			maybe = true;
			snprintf(maybe_pid, sizeof(maybe_pid), "%s", d->d_name);
		}
	}
	closedir(proc);
	if (maybe) {
		describe(o, maybe_pid, false);
		o->unsure = true;
		return 1;
	}
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int cp_lock_owner(struct cp_lock_owner *o, const char *path, const char *workdir,
		  const char *gitdir)
{
	char work[PATH_MAX], git[PATH_MAX];
	struct stat before, after;
	int tries;

	memset(o, 0, sizeof(*o));
	canon(workdir, work);
	canon(gitdir, git);
	for (tries = 0; tries < 5; tries++) {
		if (lstat(path, &before) < 0)
			return CP_LOCK_GONE;
		if (scan(&before, work, git, o))
			return CP_LOCK_HELD;
		/*
		 * Nobody: unless the lock went away, or went and was taken
		 * again, while we looked (its holder gone, the next one not
		 * yet seen).
		 */
		if (lstat(path, &after) < 0)
			return CP_LOCK_GONE;
		if (same_file(&before, &after))
			return CP_LOCK_STALE;
	}
	return CP_LOCK_HELD;	/* changing hands all the time */
}

const char *cp_lock_owner_str(char *buf, size_t size, const struct cp_lock_owner *o)
{
	if (!o->pid)
		snprintf(buf, size, "%s", "");
	else if (o->by_fd)
		snprintf(buf, size, " (held by pid %ld: %.150s)", o->pid, o->what);
	else if (o->unsure)
		snprintf(buf, size, " (pid %ld, a git command of another user, may hold it: %.150s)",
			 o->pid, o->what);
	else
		snprintf(buf, size, " (pid %ld, a git command running in this store, holds it: %.150s)",
			 o->pid, o->what);
	return buf;
}
