/*
 * hook.c - `complaint hook install`: the pre-receive hook of a shared
 * bare repository that runs `complaint hook pre-receive` (SPEC section 12).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "complaint/hook.h"
#include "priv.h"
#include "complaint/input.h"
#include "complaint/i18n.h"

#define MARK "Installed by 'complaint hook install'"

/* sh's single quotes around s */
static void quote(struct cp_sbuf *sb, const char *s)
{
	cp_sbuf_addch(sb, '\'');
	for (; *s; s++)
		if (*s == '\'')
			cp_sbuf_adds(sb, "'\\''");
		else
			cp_sbuf_addch(sb, *s);
	cp_sbuf_addch(sb, '\'');
}

int cp_hook_install(struct cp_sbuf *path_out, const char *gitdir, const char *exe, bool force)
{
	git_repository *repo = NULL;
	struct cp_sbuf path = CP_SBUF_INIT, tmp = CP_SBUF_INIT, text = CP_SBUF_INIT, old = CP_SBUF_INIT;
	int rc, fd = -1, r = 0;

	cp_git_init();
	if ((rc = git_repository_open_bare(&repo, gitdir)) < 0) {
		r = cp_git_error(rc, gitdir);
		goto out;
	}
	cp_sbuf_addf(&path, "%shooks", git_repository_path(repo));
	if (mkdir(path.buf, 0777) < 0 && errno != EEXIST) {
		r = cp_error(CP_ESYS, _("cannot make %s: %s"), path.buf, strerror(errno));
		goto out;
	}
	cp_sbuf_adds(&path, "/pre-receive");
	if ((rc = cp_read_file(&old, path.buf, 1 << 20, 1)) < 0) {
		r = rc;
		goto out;
	}
	if (rc == 0 && !strstr(old.buf, MARK) && !force) {
		r = cp_error(CP_ERULE, _("%s is already there and does not run complaint; %s replaces it"),
			     path.buf, cp_input_name(CP_INPUT_FORCE));
		goto out;
	}
	cp_sbuf_adds(&text, "#!/bin/sh\n"
			 "# Installed by 'complaint hook install': every push is verified\n"
			 "# (complaint-verify(1)); what it names is refused.\n"
			 "exec ");
	quote(&text, exe);
	cp_sbuf_adds(&text, " hook pre-receive\n");
	cp_sbuf_addf(&tmp, "%s.tmp%ld", path.buf, (long)getpid());
	if ((fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755)) < 0) {
		r = cp_error(CP_ESYS, _("cannot write %s: %s"), tmp.buf, strerror(errno));
		goto out;
	}
	if ((r = cp_write_all(fd, text.buf, text.len, tmp.buf)) == 0 &&
	    (fchmod(fd, 0755) < 0 || fsync(fd) < 0))
		r = cp_error(CP_ESYS, _("cannot write %s: %s"), tmp.buf, strerror(errno));
	if (close(fd) < 0 && r == 0)
		r = cp_error(CP_ESYS, _("cannot write %s: %s"), tmp.buf, strerror(errno));
	if (r == 0 && rename(tmp.buf, path.buf) < 0)
		r = cp_error(CP_ESYS, _("cannot put %s in place: %s"), path.buf, strerror(errno));
	if (r < 0)
		unlink(tmp.buf);
	else if (path_out)
		cp_sbuf_adds(path_out, path.buf);
out:
	git_repository_free(repo);
	cp_git_shutdown();
	cp_sbuf_release(&path);
	cp_sbuf_release(&tmp);
	cp_sbuf_release(&text);
	cp_sbuf_release(&old);
	return r;
}
