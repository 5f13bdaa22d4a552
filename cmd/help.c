/*
 * help.c - complaint help [COMMAND]: the command's manual page, as
 * 'git help' shows it; without a command, the list of commands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "shared/paths.h"
#include "complaint/i18n.h"

static const char *const usage[] = { "complaint help [COMMAND]", NULL };

/* The pages that are not a command's: complaint(5) topics. */
static const char *const topics[] = { "case", NULL };

/*
 * Run man with args; MANPATH, when set, is put first on man's path.
 * Returns man's exit status, or -1 when man could not be run at all.
 */
static int run_man(const char *manpath, const char *a1, const char *a2, bool quiet)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (manpath) {
			const char *old = getenv("MANPATH");
			size_t n = strlen(manpath) + (old ? strlen(old) : 0) + 2;
			char *v = malloc(n);

			/* a trailing ':' keeps man's own path after ours */
			if (v) {
				snprintf(v, n, "%s:%s", manpath, old ? old : "");
				setenv("MANPATH", v, 1);
			}
		}
		if (quiet && !freopen("/dev/null", "w", stderr))
			_exit(126);
		execlp("man", "man", a1, a2, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st))
		return -1;
	if (WEXITSTATUS(st) == 127 || WEXITSTATUS(st) == 126)
		return -1;
	return WEXITSTATUS(st);
}

int cmd_help(int argc, char **argv, struct ctx *c)
{
	struct opt opts[] = { OPT_END_ };
	const struct command *cmd = NULL;
	const char *name;
	char page[128], file[4096];
	int nargs, code, section = 1, i, r;
	bool done, have_file;

	if ((code = opt_parse(argc, argv, opts, usage, &nargs, &done)) || done)
		return code;
	if (nargs > 1)
		return usage_error(c, _("expects one command: %s"), usage[0]);
	if (nargs == 0) {
		commands_usage(stdout);
		return 0;
	}
	name = argv[1];
	if (!strcmp(name, "complaint")) {
		snprintf(page, sizeof(page), "complaint");
	} else if ((cmd = command_find(name))) {
		snprintf(page, sizeof(page), "complaint-%s", name);
	} else {
		for (i = 0; topics[i] && strcmp(topics[i], name); i++)
			;
		if (!topics[i])
			return usage_error(c, _("'%s' is not a complaint command (see 'complaint help')"),
					   name);
		snprintf(page, sizeof(page), "complaint-%s", name);
		section = 5;
	}
	/*
	 * The installed manual, by name; then the page's file; then, where
	 * there is no man at all, the command's --help.
	 */
	have_file = man_page_file(file, sizeof(file), page, section);
	r = 0;
	if (man_dir()) {
		char sec[4];

		snprintf(sec, sizeof(sec), "%d", section);
		/* its "no manual entry" is noise when a fallback follows */
		if ((r = run_man(man_dir(), sec, page, have_file)) == 0)
			return 0;
	}
	if (have_file && r >= 0) {
		if ((r = run_man(NULL, "-l", file, false)) == 0)
			return 0;
		if (r > 0) {
			cp_error(CP_ESYS, _("man -l %s exited with %d"), file, r);
			return lib_error("help %s", name);
		}
	}
	if (cmd) {
		char *args[] = { (char *)cmd->name, (char *)"--help", NULL };
		struct ctx sub = *c;

		sub.cmdname = cmd->name;
		sub.flags = cmd->flags;
		return cmd->fn(2, args, &sub);
	}
	if (!strcmp(name, "complaint")) {
		commands_usage(stdout);
		return 0;
	}
	return usage_error(c, _("no manual page for '%s' here (man is missing or the page is not installed)"),
			   name);
}
