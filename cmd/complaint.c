/*
 * complaint.c - the command table, global options, exit codes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "cmd.h"
#include "complaint/fsutil.h"
#include "complaint/number.h"


const struct command commands[] = {
	{ "init", cmd_init, 0, "make a store: git repository, policy, roster" },
	{ "new", cmd_new, NEED_STORE | WRITES, "record a complaint" },
	{ "assign", cmd_assign, NEED_STORE | WRITES, "route a case to a department" },
	{ "notify", cmd_notify, NEED_STORE | WRITES, "the department head was told" },
	{ "onsite", cmd_onsite, NEED_STORE | WRITES, "the head met the customer" },
	{ "plan", cmd_plan, NEED_STORE | WRITES, "record a solution plan" },
	{ "approve", cmd_approve, NEED_STORE | WRITES, "approve the plan" },
	{ "resolve", cmd_resolve, NEED_STORE | WRITES, "the case was handled" },
	{ "callback", cmd_callback, NEED_STORE | WRITES, "the customer's callback result" },
	{ "close", cmd_close, NEED_STORE | WRITES, "close a resolved case" },
	{ "reopen", cmd_reopen, NEED_STORE | WRITES, "reopen a resolved or closed case" },
	{ "note", cmd_note, NEED_STORE | WRITES, "add a note" },
	{ "reclassify", cmd_reclassify, NEED_STORE | WRITES, "change a case's level" },
	{ "penalize", cmd_penalize, NEED_STORE | WRITES, "a discretionary penalty" },
	{ "show", cmd_show, NEED_STORE, "show one case" },
	{ "list", cmd_list, NEED_STORE, "list cases" },
	{ "log", cmd_log, NEED_STORE, "a case's history from git" },
	{ "score", cmd_score, NEED_STORE, "penalty points for a period" },
	{ "report", cmd_report, NEED_STORE, "the monthly analysis report" },
	{ "check", cmd_check, 0, "validate policy, roster, cases and git state" },
	{ "policy", cmd_policy, 0, "check or show a policy" },
	{ "clone", cmd_clone, 0, "clone a shared store" },
	{ "sync", cmd_sync, NEED_STORE | WRITES | OWN_LOCK, "fetch, merge and push" },
	{ "setup", cmd_setup, NEED_STORE, "set a plain git clone up for git pull" },
	{ "merge-file", cmd_merge_file, 0, "the case merge driver (used by git)" },
	{ "help", cmd_help, 0, "show a command's manual page" },
	{ NULL, NULL, 0, NULL }
};

const struct command *command_find(const char *name)
{
	const struct command *cmd;

	for (cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

void commands_usage(FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: complaint [-C DIR] [--actor NAME] [--now TIME] [--lock-timeout SECONDS]\n"
		   "                 [--no-cache] <command> [<args>]\n\n"
		   "Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "   %-11s %s\n", c->name, c->help);
	fprintf(f, "\nSee 'complaint help <command>', 'complaint <command> --help' and complaint(1).\n");
}

static void on_signal(int sig)
{
	cp_tempfiles_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Flush standard output and fail on a write error (a full disk, a closed
 * pipe).  wrote: the command changed the store and succeeded, so the
 * message says the change itself is in (new's ID is in 'git log -1').
 */
static int finish_output(int code, bool wrote)
{
	int e;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		e = errno ? errno : EIO;
		fprintf(stderr, "complaint: cannot write the output: %s%s\n", strerror(e),
			wrote ? " (the change is committed: see 'git log -1')" : "");
		return code ? code : CP_ESYS;
	}
	return code;
}

static void print_warning(const char *msg)
{
	warn("%s", msg);
}

int main(int argc, char **argv)
{
	struct ctx c;
	const struct command *cmd;
	int i, code;

	memset(&c, 0, sizeof(c));
	c.lock_timeout_ms = CP_LOCK_TIMEOUT_MS;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		const char *val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			commands_usage(stdout);
			return finish_output(0, false);
		}
		if (!strcmp(a, "--version")) {
			printf("complaint %s\n", COMPLAINT_VERSION);
			return finish_output(0, false);
		}
		if (!strcmp(a, "--no-cache")) {
			c.no_cache = true;
			continue;
		}
		if (!strcmp(a, "-C"))
			dst = &c.dir;
		else if (!strcmp(a, "--actor") || !strncmp(a, "--actor=", 8))
			dst = &c.actor_opt;
		else if (!strcmp(a, "--now") || !strncmp(a, "--now=", 6))
			dst = &c.now_opt;
		else if (!strcmp(a, "--lock-timeout") || !strncmp(a, "--lock-timeout=", 15))
			dst = &val;
		else {
			fprintf(stderr, "complaint: unknown option '%s' (see 'complaint --help')\n", a);
			return CP_EUSAGE;
		}
		if (strchr(a, '=') && a[1] == '-') {
			*dst = strchr(a, '=') + 1;
		} else if (i + 1 < argc) {
			*dst = argv[++i];
		} else {
			fprintf(stderr, "complaint: option '%s' needs a value\n", a);
			return CP_EUSAGE;
		}
		if (dst == &val) {
			int64_t ms;

			/* seconds, to the millisecond: 0, 5, 0.25, at most a day */
			if (cp_parse_fixed(val, strlen(val), 3, 86400000, &ms) < 0) {
				fprintf(stderr, "complaint: --lock-timeout: %s (seconds from 0 to 86400, e.g. 5 or 0.5)\n",
					cp_errmsg());
				return CP_EUSAGE;
			}
			c.lock_timeout_ms = (int)ms;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "complaint: no command given (see 'complaint --help')\n");
		return CP_EUSAGE;
	}
	if (!(cmd = command_find(argv[i]))) {
		fprintf(stderr, "complaint: '%s' is not a complaint command; see 'complaint --help'\n",
			argv[i]);
		return CP_EUSAGE;
	}
	cp_store_set_lock_timeout(c.lock_timeout_ms);
	c.cmdname = cmd->name;
	c.flags = cmd->flags;
	code = cmd->fn(argc - i, argv + i, &c);
	cp_warnings_flush(print_warning);
	if (c.store)
		cp_store_close(c.store);
	free(c.actor);
	free(c.email);
	return finish_output(code, code == 0 && (cmd->flags & WRITES));
}
