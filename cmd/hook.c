/*
 * hook.c - complaint hook install GIT_DIR [--force]
 *          complaint hook pre-receive     (run by git, in the bare repository)
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "complaint/hook.h"
#include "complaint/verify.h"
#include "complaint/i18n.h"

static const char *const usage[] = {
	"complaint hook install GIT_DIR [--force]",
	"complaint hook pre-receive",
	NULL
};

static int install(struct ctx *c, const char *gitdir, bool force)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct cp_sbuf path = CP_SBUF_INIT;

	(void)c;
	if (n <= 0)
		return lib_error("hook install: cannot tell where complaint itself is");
	exe[n] = '\0';
	if (cp_hook_install(&path, gitdir, exe, force) < 0)
		return lib_error("hook install");
	printf("installed %s: pushes are verified by %s\n", path.buf, exe);
	cp_sbuf_release(&path);
	return 0;
}

struct refusal {
	size_t n;
};

static void print(const struct cp_verify_finding *f, void *data)
{
	struct refusal *r = data;
	struct cp_sbuf sb = CP_SBUF_INIT;

	if (f->note)
		return;
	r->n++;
	cp_sbuf_addf(&sb, "%.12s %s: ", f->commit, f->where);
	out_safe(&sb, f->problem);
	fprintf(stderr, "%s\n", sb.buf);
	cp_sbuf_release(&sb);
}

static bool zero(const char *id)
{
	return strspn(id, "0") == strlen(id);
}

static char *rev(const char *id)
{
	char *s = cp_xmalloc(strlen(id) + 10);

	sprintf(s, "%s^{commit}", id);
	return s;
}

static int pre_receive(void)
{
	struct cp_sbuf head = CP_SBUF_INIT;
	char line[4096], old[128], new[128], ref[2048];
	char **revs = NULL, **hide = NULL;
	size_t nrevs = 0, arevs = 0, nhide = 0, ahide = 0, i;
	struct refusal refused = { 0 };
	struct cp_verify_opts vo = { 0 };
	struct cp_verify_stats st;
	int r, code = 0;

	if (cp_verify_head_branch(&head) < 0)
		return lib_error("hook pre-receive");
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%127s %127s %2047s", old, new, ref) != 3)
			continue;
		if (!strcmp(ref, head.buf)) {
			if (zero(new)) {
				fprintf(stderr, _("%s: refused: the shared store's branch may not be deleted\n"),
					ref);
				refused.n++;
				continue;
			}
			if (!zero(old) && (r = cp_verify_is_ancestor(old, new)) <= 0) {
				if (r < 0)
					return lib_error("hook pre-receive");
				fprintf(stderr, _("%s: refused: not a fast-forward: history already shared may not be rewritten; fetch, merge and push again (complaint sync)\n"),
					ref);
				refused.n++;
				continue;
			}
		}
		if (zero(new))
			continue;
		ALLOC_GROW(revs, nrevs + 1, arevs);
		revs[nrevs++] = rev(new);
		if (!zero(old)) {
			ALLOC_GROW(hide, nhide + 1, ahide);
			hide[nhide++] = rev(old);
		}
	}
	if (nrevs) {
		vo.revs = (const char *const *)revs;
		vo.nrevs = nrevs;
		vo.hide = (const char *const *)hide;
		vo.nhide = nhide;
		vo.hide_refs = true;
		vo.from_env = true;
		vo.clock = (cp_time)time(NULL);
		if (cp_verify(&st, NULL, &vo, print, &refused) < 0)
			code = lib_error("hook pre-receive");
	}
	if (!code && refused.n) {
		fprintf(stderr, Q_("complaint: push refused: %zu problem (complaint-verify(1))\n",
				   "complaint: push refused: %zu problems (complaint-verify(1))\n",
				   refused.n), refused.n);
		code = CP_ERULE;
	}
	for (i = 0; i < nrevs; i++)
		free(revs[i]);
	for (i = 0; i < nhide; i++)
		free(hide[i]);
	free(revs);
	free(hide);
	cp_sbuf_release(&head);
	return code;
}

int cmd_hook(int argc, char **argv, struct ctx *c)
{
	bool force = false, done;
	struct opt opts[] = {
		OPT_BOOL_("force", "install: replace a pre-receive hook that does not run complaint",
			  &force),
		OPT_END_
	};
	int nargs, code;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs >= 1 && !strcmp(argv[1], "install")) {
		if (nargs != 2)
			return usage_error(c, _("hook install takes the bare repository's directory"));
		return install(c, argv[2], force);
	}
	if (nargs == 1 && !strcmp(argv[1], "pre-receive")) {
		if (force)
			return usage_error(c, _("--force is for hook install"));
		return pre_receive();
	}
	return usage_error(c, _("hook takes install GIT_DIR or pre-receive"));
}
