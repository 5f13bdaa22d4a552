/*
 * dirs.c - the store's folders as sorted lists of names (cases/YYYY/MM),
 * opened without following a symlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "priv.h"
#include "complaint/i18n.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool cp_all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool cp_case_file_name(const char *s)
{
	size_t n = strlen(s);

	return n > 5 && s[0] != '.' && !strcmp(s + n - 5, ".yaml");
}

/*
 * Open a folder of the store, never through a symlink: 0 and *fd, 1 when
 * it is not there, or an error naming what it is instead.
 */
int cp_not_dir(const char *rel, unsigned int mode)
{
	if (S_ISLNK(mode))
		return cp_error(CP_EDATA,
				_("%s: is a symbolic link; the store's folders must be real ones (git records a link, not the files behind it), and complaint never reads or writes through one"),
				rel);
	return cp_error(CP_EDATA, _("%s: is %s, not a folder"), rel, cp_file_kind(mode));
}

int cp_open_dir(int *fd, const char *dir, const char *rel)
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
		return cp_not_dir(rel, st.st_mode);
	return cp_error(CP_ESYS, _("cannot read the folder %s: %s"), rel, strerror(e));
}

/* Sorted names in dir that pass keep(); NULL-terminated. */
char **cp_list_dir(size_t *count, const char *dir,
		       bool (*keep)(const char *, size_t), size_t arg)
{
	int fd;
	char **v;

	*count = 0;
	if (cp_open_dir(&fd, dir, dir) != 0) {
		cp_error_clear();
		return NULL;
	}
	v = cp_list_fd(count, fd, keep, arg);
	close(fd);
	return v;
}

bool cp_keep_digits(const char *s, size_t n)
{
	return cp_all_digits(s, n);
}

bool cp_keep_case(const char *s, size_t n)
{
	(void)n;
	return cp_case_file_name(s);
}

void cp_names_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Sorted names in the directory open at dfd that pass keep(); NULL-terminated. */
char **cp_list_fd(size_t *count, int dfd, bool (*keep)(const char *, size_t),
		      size_t arg)
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
		v[n++] = cp_xstrdup(de->d_name);
	}
	closedir(d);
	if (v) {
		qsort(v, n, sizeof(*v), cmp_str);
		v[n] = NULL;
	}
	*count = n;
	return v;
}
