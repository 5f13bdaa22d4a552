/*
 * files.c - the files of a store that git (libgit2) opens itself,
 * looked at before it does, and where the git directories are.
 *
 * libgit2 opens .git/index, .git/config, .gitattributes... with a plain
 * open(): a FIFO in the place of one blocks that open for good (with the
 * signals held during a change, only SIGKILL would end it).  Our own
 * reads go through cp_open_file(); for libgit2's, each file it will open
 * is looked at first and must be absent or a regular file.
 *
 * A linked work tree (git worktree add) has a file .git naming its own
 * git directory (index, HEAD), which names the common one (objects,
 * refs, config) in its file "commondir".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "priv.h"
#include "complaint/i18n.h"

/* The first line of a small file of git's ("gitdir: X", "ref: X", a path). */
static int read_line(const char *path, struct cp_sbuf *out, int missing_ok)
{
	struct cp_sbuf b = CP_SBUF_INIT;
	int r = cp_read_file(&b, path, 1 << 16, missing_ok);

	if (r == 0) {
		size_t n = strcspn(b.buf, "\r\n");

		cp_sbuf_add(out, b.buf, n);
	}
	cp_sbuf_release(&b);
	return r;
}

/* base + rel (rel absolute: rel), with one trailing slash. */
static void join_dir(struct cp_sbuf *out, const char *base, const char *rel)
{
	cp_sbuf_reset(out);
	if (rel[0] != '/') {
		cp_sbuf_adds(out, base);
		if (out->len && out->buf[out->len - 1] != '/')
			cp_sbuf_addch(out, '/');
	}
	cp_sbuf_adds(out, rel);
	if (!out->len || out->buf[out->len - 1] != '/')
		cp_sbuf_addch(out, '/');
}

int cp_git_locate(struct cp_sbuf *gitdir, struct cp_sbuf *common, const char *root)
{
	struct cp_sbuf path = CP_SBUF_INIT, line = CP_SBUF_INIT;
	struct stat st;
	int r = 0;

	cp_sbuf_reset(gitdir);
	cp_sbuf_reset(common);
	cp_sbuf_addf(&path, "%s/.git", root);
	if (stat(path.buf, &st) < 0) {
		r = cp_error(CP_EUSAGE, _("'%s' has no .git: %s"), root, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		cp_sbuf_addf(gitdir, "%s/.git/", root);
	} else if (S_ISREG(st.st_mode)) {
		/* a linked work tree, or a submodule: "gitdir: X" */
		if ((r = read_line(path.buf, &line, 0)) < 0)
			goto out;
		if (strncmp(line.buf, "gitdir: ", 8) || !line.buf[8]) {
			r = cp_error(CP_EDATA, _("'%s' is neither a git directory nor a 'gitdir:' file"),
				     path.buf);
			goto out;
		}
		join_dir(gitdir, root, line.buf + 8);
	} else {
		r = cp_error(CP_EDATA, _("'%s' is %s, not a git directory"), path.buf,
			     cp_file_kind(st.st_mode));
		goto out;
	}
	cp_sbuf_reset(&path);
	cp_sbuf_reset(&line);
	cp_sbuf_addf(&path, "%scommondir", gitdir->buf);
	r = read_line(path.buf, &line, 1);
	if (r < 0)
		goto out;
	if (r == 0 && line.len)
		join_dir(common, gitdir->buf, line.buf);
	else
		cp_sbuf_adds(common, gitdir->buf);
	r = 0;
out:
	cp_sbuf_release(&path);
	cp_sbuf_release(&line);
	return r;
}

static int check_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s%s", dir,
		 dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
	return cp_check_file(path, 1);
}

/* What libgit2 reads of the user's own configuration. */
static int check_home(void)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char dir[PATH_MAX];
	int r;

	if (home && *home && (r = check_in(home, ".gitconfig")) < 0)
		return r;
	if (xdg && *xdg)
		snprintf(dir, sizeof(dir), "%s/git", xdg);
	else if (home && *home)
		snprintf(dir, sizeof(dir), "%s/.config/git", home);
	else
		return 0;
	if ((r = check_in(dir, "config")) < 0 || (r = check_in(dir, "attributes")) < 0 ||
	    (r = check_in(dir, "ignore")) < 0)
		return r;
	return 0;
}

int cp_store_preflight(const char *root)
{
	static const char *const own[] = { "HEAD", "index", "config.worktree", NULL };
	static const char *const shared[] = {
		"config", "packed-refs", "info/attributes", "info/exclude",
		"objects/info/alternates", "shallow", NULL
	};
	static const char *const tree[] = {
		".gitattributes", ".gitignore", "cases/.gitattributes", "cases/.gitignore", NULL
	};
	struct cp_sbuf gitdir = CP_SBUF_INIT, common = CP_SBUF_INIT, head = CP_SBUF_INIT;
	char path[PATH_MAX];
	int i, r;

	if ((r = cp_git_locate(&gitdir, &common, root)) < 0)
		goto out;
	for (i = 0; own[i]; i++)
		if ((r = check_in(gitdir.buf, own[i])) < 0)
			goto out;
	for (i = 0; shared[i]; i++)
		if ((r = check_in(common.buf, shared[i])) < 0)
			goto out;
	for (i = 0; tree[i]; i++)
		if ((r = check_in(root, tree[i])) < 0)
			goto out;
	if ((r = cp_check_file("/etc/gitconfig", 1)) < 0 || (r = check_home()) < 0)
		goto out;
	/* the branch HEAD names, when it is a loose ref */
	snprintf(path, sizeof(path), "%sHEAD", gitdir.buf);
	if ((r = read_line(path, &head, 1)) < 0)
		goto out;
	r = 0;
	if (!strncmp(head.buf, "ref: refs/", 10) && !strstr(head.buf, "..")) {
		const char *ref = head.buf + 5;
		bool own_ref = !strncmp(ref, "refs/worktree/", 14) ||
			       !strncmp(ref, "refs/bisect/", 12);

		r = check_in(own_ref ? gitdir.buf : common.buf, ref);
	}
out:
	cp_sbuf_release(&gitdir);
	cp_sbuf_release(&common);
	cp_sbuf_release(&head);
	return r;
}

/* .gitignore and .gitattributes in dfd and every folder below it. */
static int tree_walk(int dfd, const char *rel, int depth)
{
	DIR *d;
	struct dirent *de;
	int fd = dup(dfd), r = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;	/* unreadable folders are git's to report */
	}
	while (r == 0 && (de = readdir(d))) {
		const char *n = de->d_name;
		char sub[PATH_MAX];
		struct stat st;
		int cfd;

		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", n);
		if (!strcmp(n, ".gitignore") || !strcmp(n, ".gitattributes")) {
			if (fstatat(dfd, n, &st, 0) == 0 && !S_ISREG(st.st_mode))
				r = cp_error(CP_EDATA,
					     _("%s: is %s, not a regular file; git would wait on it or misread it: remove it"),
					     sub, cp_file_kind(st.st_mode));
			continue;
		}
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!*rel && !strcmp(n, ".git"))
			continue;
		if (depth > 64)
			continue;
		cfd = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (cfd < 0)
			continue;
		r = tree_walk(cfd, sub, depth + 1);
		close(cfd);
	}
	closedir(d);
	return r;
}

int cp_store_preflight_tree(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return cp_error(CP_ESYS, _("cannot open '%s': %s"), root, strerror(errno));
	r = tree_walk(fd, "", 0);
	close(fd);
	return r;
}

int cp_store_preflight_path(const char *root, const char *rel)
{
	char dir[PATH_MAX];
	const char *p = rel;
	int r;

	if ((r = check_in(root, ".gitattributes")) < 0)
		return r;
	while ((p = strchr(p, '/'))) {
		snprintf(dir, sizeof(dir), "%s/%.*s", root, (int)(p - rel), rel);
		if ((r = check_in(dir, ".gitattributes")) < 0)
			return r;
		p++;
	}
	return 0;
}

/*
 * Anything by that name, a symlink or a FIFO too: the store is found by
 * it, and opening it then says what is wrong with the file.
 */
bool cp_dir_has_entry(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !lstat(path, &st);
}

bool cp_dir_has_git(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.git", dir);
	return !lstat(path, &st);
}
