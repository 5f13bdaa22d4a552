/*
 * merge_file.c - the merge driver git runs for a case file changed on
 * both sides ('git merge', 'git pull'): the union of the events, or
 * git's conflict markers when the case cannot be merged.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "case_merge.h"
#include "priv.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static int write_over(const char *file, const char *buf, size_t len)
{
	int r = cp_check_file(file, 0);	/* git's own temporary file: never a FIFO */
	int fd;

	if (r < 0)
		return r;
	fd = open(file, O_WRONLY | O_TRUNC | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return cp_error(CP_ESYS, _("cannot write '%s': %s"), file, strerror(errno));
	r = cp_write_all(fd, buf, len, file);
	if (close(fd) < 0 && r == 0)
		r = cp_error(CP_ESYS, _("cannot write '%s': %s"), file, strerror(errno));
	return r;
}

/* git's own line merge with conflict markers, written into ours. */
static void conflict_markers(const struct cp_sbuf *b, const struct cp_sbuf *o,
			     const struct cp_sbuf *t, const char *path,
			     const char *ours_file)
{
	git_merge_file_input bi, oi, ti;
	git_merge_file_options mo;
	git_merge_file_result mr;

	memset(&mr, 0, sizeof(mr));
	git_merge_file_input_init(&bi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&oi, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&ti, GIT_MERGE_FILE_INPUT_VERSION);
	bi.ptr = b->buf;
	bi.size = b->len;
	bi.path = path;
	oi.ptr = o->buf;
	oi.size = o->len;
	oi.path = path;
	ti.ptr = t->buf;
	ti.size = t->len;
	ti.path = path;
	git_merge_file_options_init(&mo, GIT_MERGE_FILE_OPTIONS_VERSION);
	mo.ancestor_label = "base";
	mo.our_label = "ours";
	mo.their_label = "theirs";
	if (git_merge_file(&mr, &bi, &oi, &ti, &mo) == 0 && mr.ptr)
		write_over(ours_file, mr.ptr, mr.len);
	git_merge_file_result_free(&mr);
	git_error_clear();
}

int cp_merge_file(const char *root, const char *base, const char *ours,
		  const char *theirs, const char *path)
{
	struct cp_sbuf b = CP_SBUF_INIT, o = CP_SBUF_INIT, t = CP_SBUF_INIT, out = CP_SBUF_INIT;
	struct cp_sbuf pol = CP_SBUF_INIT, pfile = CP_SBUF_INIT;
	struct cp_policy *p = NULL;
	char why[2048];
	int r, kind;

	if ((r = cp_read_file(&b, base, CP_YAML_MAX_FILE, 0)) < 0 ||
	    (r = cp_read_file(&o, ours, CP_YAML_MAX_FILE, 0)) < 0 ||
	    (r = cp_read_file(&t, theirs, CP_YAML_MAX_FILE, 0)) < 0)
		goto out;
	if (!root) {
		r = cp_error(CP_EDATA, _("no store found to read the policy from"));
	} else {
		cp_sbuf_addf(&pfile, "%s/policy.yaml", root);
		if ((r = cp_read_file(&pol, pfile.buf, CP_YAML_MAX_FILE, 0)) == 0)
			r = cp_policy_parse(&p, "policy.yaml", pol.buf, pol.len);
	}
	if (r == 0)
		r = cp_case_merge(&out, p, b.buf, b.len, o.buf, o.len, t.buf, t.len, path);
	if (r == 0) {
		r = write_over(ours, out.buf, out.len);
		goto out;
	}
	/* leave what git would have left: the line merge with markers */
	kind = cp_errkind() == CP_EDATA || cp_errkind() == CP_EBUSY ? CP_EBUSY : cp_errkind();
	snprintf(why, sizeof(why), "%s", cp_errmsg());
	cp_git_init();
	conflict_markers(&b, &o, &t, path, ours);
	cp_git_shutdown();
	r = cp_error(kind ? kind : CP_EBUSY, "%s", why);
out:
	cp_policy_free(p);
	cp_sbuf_release(&b);
	cp_sbuf_release(&o);
	cp_sbuf_release(&t);
	cp_sbuf_release(&out);
	cp_sbuf_release(&pol);
	cp_sbuf_release(&pfile);
	return r;
}
