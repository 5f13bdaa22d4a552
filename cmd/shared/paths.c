/*
 * paths.c - the share folder and the manual, found from the binary's
 * place and the PREFIX it was built for (see paths.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

#ifndef COMPLAINT_SHAREDIR
#define COMPLAINT_SHAREDIR "/usr/local/share/complaint"
#endif
#ifndef COMPLAINT_MANDIR
#define COMPLAINT_MANDIR "/usr/local/share/man"
#endif
#ifndef COMPLAINT_LOCALEDIR
#define COMPLAINT_LOCALEDIR "/usr/local/share/locale"
#endif

static char share[PATH_MAX], man[PATH_MAX], tree[PATH_MAX];
static int looked;

static int is_reg(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_file(const char *dir, const char *rel)
{
	char p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, rel) >= sizeof(p))
		return 0;
	return is_reg(p);
}

static int is_dir(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dst = the real path of dir + tail (tail "" or "/.."...); 0 when none */
static int set(char *dst, const char *dir, const char *tail)
{
	char p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s%s", dir, tail) >= sizeof(p))
		return 0;
	if (!realpath(p, dst))
		return 0;
	return 1;
}

static void look(void)
{
	char exe[PATH_MAX], *slash;
	ssize_t k;

	if (looked)
		return;
	looked = 1;
	exe[0] = '\0';
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k > 0) {
		exe[k] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
	} else {
		exe[0] = '\0';
	}
	/* 1. installed beside the binary, 2. where the build said */
	if (exe[0] && set(share, exe, "/../share/complaint") &&
	    is_file(share, "policy/default.yaml")) {
		if (!set(man, exe, "/../share/man") || !is_dir(man))
			man[0] = '\0';
		return;
	}
	if (set(share, COMPLAINT_SHAREDIR, "") && is_file(share, "policy/default.yaml")) {
		if (!set(man, COMPLAINT_MANDIR, "") || !is_dir(man))
			man[0] = '\0';
		return;
	}
	share[0] = '\0';
	/* 3. a source tree: ./complaint or build/complaint */
	if (exe[0] && ((set(tree, exe, "") && is_file(tree, "policy/default.yaml") &&
			is_file(tree, "man/complaint.1")) ||
		       (set(tree, exe, "/..") && is_file(tree, "policy/default.yaml") &&
			is_file(tree, "man/complaint.1")))) {
		snprintf(share, sizeof(share), "%s", tree);
		return;
	}
	tree[0] = '\0';
}

const char *share_dir(void)
{
	look();
	return share[0] ? share : NULL;
}

const char *man_dir(void)
{
	look();
	return man[0] ? man : NULL;
}

int man_page_file(char *out, size_t n, const char *name, int section)
{
	look();
	if (man[0] && (size_t)snprintf(out, n, "%s/man%d/%s.%d", man, section, name, section) < n &&
	    is_reg(out))
		return 1;
	if (tree[0] && (size_t)snprintf(out, n, "%s/man/%s.%d", tree, name, section) < n &&
	    is_reg(out))
		return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a policy name: letters, digits, '-', '_', not starting with '.' */
static int plain_name(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

size_t shipped_policies(struct cp_sbuf *out, const char *sep)
{
	char dir[PATH_MAX], *names[256];
	size_t k = 0, i, n;
	struct dirent *e;
	DIR *d = NULL;
	int has_default = 0;

	if (share_dir() && (size_t)snprintf(dir, sizeof(dir), "%s/policy", share_dir()) < sizeof(dir))
		d = opendir(dir);
	while (d && (e = readdir(d)) && k < sizeof(names) / sizeof(names[0]) - 1) {
		n = strlen(e->d_name);
		if (n <= 5 || strcmp(e->d_name + n - 5, ".yaml") || !plain_name(e->d_name, n - 5))
			continue;
		names[k++] = cp_xstrndup(e->d_name, n - 5);
		if (!strcmp(names[k - 1], "default"))
			has_default = 1;
	}
	if (d)
		closedir(d);
	if (!has_default)
		names[k++] = cp_xstrdup("default");
	qsort(names, k, sizeof(names[0]), cmp_str);
	for (i = 0; i < k; i++) {
		cp_sbuf_adds(out, names[i]);
		cp_sbuf_adds(out, sep);
		free(names[i]);
	}
	return k;
}

int shipped_policy(const char *name, char *policy, size_t n, char *roster, size_t m)
{
	roster[0] = '\0';
	policy[0] = '\0';
	if (!share_dir() || !plain_name(name, strlen(name)))
		return 0;
	if ((size_t)snprintf(policy, n, "%s/policy/%s.yaml", share_dir(), name) >= n ||
	    !is_reg(policy)) {
		policy[0] = '\0';
		return 0;
	}
	if ((size_t)snprintf(roster, m, "%s/policy/rosters/%s.yaml", share_dir(), name) >= m ||
	    !is_reg(roster))
		roster[0] = '\0';
	return 1;
}

/* does dir hold a catalogue of ours (dir/LANG/LC_MESSAGES/complaint.mo)? */
static int has_catalogue(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char p[PATH_MAX];
	int found = 0;

	while (d && !found && (e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    (size_t)snprintf(p, sizeof(p), "%s/%s/LC_MESSAGES/complaint.mo", dir,
				     e->d_name) < sizeof(p))
			found = is_reg(p);
	if (d)
		closedir(d);
	return found;
}

const char *locale_dir(void)
{
	static char dir[PATH_MAX];
	static int done;
	char exe[PATH_MAX], *slash;
	ssize_t k;

	if (done)
		return dir[0] ? dir : NULL;
	done = 1;
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[k > 0 ? k : 0] = '\0';
	if ((slash = strrchr(exe, '/')))
		*slash = '\0';
	else
		exe[0] = '\0';
	/* installed beside the binary, where the build said, the build tree */
	if (exe[0] && set(dir, exe, "/../share/locale") && has_catalogue(dir))
		return dir;
	if (set(dir, COMPLAINT_LOCALEDIR, "") && has_catalogue(dir))
		return dir;
	if (exe[0] && ((set(dir, exe, "/locale") && has_catalogue(dir)) ||
		       (set(dir, exe, "/build/locale") && has_catalogue(dir))))
		return dir;
	dir[0] = '\0';
	return NULL;
}
