/*
 * complaint.c - the command table, global options, exit codes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <locale.h>

#include "cmd.h"
#include "shared/paths.h"
#include "complaint/number.h"
#include "fsutil.h"
#include "complaint/i18n.h"

/* the catalogue reports are written with (cmd/catalog.S) */
extern const char cp_catalog_zh_CN[], cp_catalog_zh_CN_end[];


const struct command commands[] = {
	{ "init", cmd_init, 0, N_("make a store: git repository, policy, roster"), "dirs" },
	{ "new", cmd_new, WRITES, N_("record a complaint"), NULL },
	{ "import", cmd_import, WRITES, N_("record complaints from a CSV file"), "files" },
	{ "assign", cmd_assign, WRITES, N_("route a case to a department"), "cases" },
	{ "notify", cmd_notify, WRITES, N_("the department head was told"), "cases" },
	{ "onsite", cmd_onsite, WRITES, N_("the head met the customer"), "cases" },
	{ "plan", cmd_plan, WRITES, N_("record a solution plan"), "cases" },
	{ "approve", cmd_approve, WRITES, N_("approve the plan"), "cases" },
	{ "resolve", cmd_resolve, WRITES, N_("the case was handled"), "cases" },
	{ "callback", cmd_callback, WRITES, N_("the customer's callback result"), "cases" },
	{ "close", cmd_close, WRITES, N_("close a resolved case"), "cases" },
	{ "reopen", cmd_reopen, WRITES, N_("reopen a resolved or closed case"), "cases" },
	{ "note", cmd_note, WRITES, N_("add a note"), "cases" },
	{ "reclassify", cmd_reclassify, WRITES, N_("change a case's level"), "cases levels" },
	{ "penalize", cmd_penalize, WRITES, N_("a discretionary penalty"), "cases people" },
	{ "set", cmd_set, WRITES, N_("change fields of the policy's form"), "cases" },
	{ "analyze", cmd_analyze, WRITES, N_("record the after-event analysis"), "cases" },
	{ "measure", cmd_measure, WRITES, N_("add a measure, or record one done"), "cases" },
	{ "hold", cmd_hold, WRITES, N_("stop the deadlines: waiting for the customer"), "cases" },
	{ "resume", cmd_resume, WRITES, N_("start the deadlines again after a hold"), "cases" },
	{ "letter", cmd_letter, 0, N_("a letter to the customer; --sent records it"), "cases" },
	{ "show", cmd_show, 0, N_("show one case"), "cases" },
	{ "list", cmd_list, 0, N_("list cases"), NULL },
	{ "log", cmd_log, 0, N_("a case's history from git"), "cases" },
	{ "score", cmd_score, 0, N_("penalty points for a period"), NULL },
	{ "report", cmd_report, 0, N_("the monthly analysis report"), NULL },
	{ "check", cmd_check, 0, N_("validate policy, roster, cases and git state"), NULL },
	{ "policy", cmd_policy, 0, N_("check or show a policy"), "=check|show files" },
	{ "clone", cmd_clone, 0, N_("clone a shared store"), "- dirs" },
	{ "sync", cmd_sync, WRITES | OWN_LOCK, N_("fetch, merge and push"), NULL },
	{ "verify", cmd_verify, 0, N_("check history: signatures, rules, rewrites"), "-" },
	{ "hook", cmd_hook, 0, N_("guard a shared bare repository (install, pre-receive)"), "=install|pre-receive dirs" },
	{ "setup", cmd_setup, 0, N_("set a plain git clone up for git pull"), NULL },
	{ "merge-file", cmd_merge_file, 0, N_("the case merge driver (used by git)"), "files" },
	{ "help", cmd_help, 0, N_("show a command's manual page"), "topics" },
	{ "__complete", cmd_complete, 0, NULL, NULL },	/* hidden: for the shell's completion */
	{ NULL, NULL, 0, NULL, NULL }
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

	fprintf(f, "%s complaint [-C DIR] [--actor NAME] [--now TIME] [--lock-timeout SECONDS]\n"
		   "                 [--no-cache] <command> [<args>]\n\n%s\n", _("usage:"),
		_("Commands:"));
	for (c = commands; c->name; c++)
		if (c->help)
			fprintf(f, "   %-11s %s\n", c->name, _(c->help));
	fprintf(f, "\n%s\n", _("See 'complaint help <command>', 'complaint <command> --help' and complaint(1)."));
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
		fprintf(stderr, _("complaint: cannot write the output: %s%s\n"), strerror(e),
			wrote ? _(" (the change is committed: see 'git log -1')") : "");
		return code ? code : CP_ESYS;
	}
	return code;
}

static void drop_warning(const char *msg, enum cp_hint hint)
{
	(void)msg;
	(void)hint;
}

/* COMPLAINT_CACHE_STATS=1: what the command's walk met of the cache. */
static void print_cache_stats(const struct cp_store *s)
{
	struct cp_walk_stats st;

	cp_store_walk_stats(&st, s);
	if (!st.cached)
		return;
	fprintf(stderr, _("cache: %zu files, %zu hits, %zu misses, %zu corrupt, "
		"%zu entries + %zu appended%s%s%s\n"), st.files, st.hits, st.misses,
		st.corrupt, st.entries, st.tail, st.rebuilt ? ", rebuilt" : "",
		st.appended ? ", appended" : "", st.rewritten ? ", rewritten" : "");
}

static void print_warning(const char *msg, enum cp_hint hint)
{
	struct cp_sbuf sb = CP_SBUF_INIT;

	cp_sbuf_adds(&sb, msg);
	out_hint(&sb, hint);
	warning("%s", sb.buf);
	cp_sbuf_release(&sb);
}

int main(int argc, char **argv)
{
	struct ctx c;
	const char *lock_timeout = NULL;
	/* the global options: parsing, and completion (--help, --version above) */
	const struct opt global_opts[] = {
		OPT_STRC_("C", "DIR", "work in the store at DIR", &c.dir, "dirs"),
		OPT_STRC_("actor", "NAME", "who is acting", &c.actor_opt, "people"),
		OPT_STR_("now", "TIME", "take TIME as now", &c.now_opt),
		OPT_STR_("lock-timeout", "SECONDS", "wait this long for the store's lock", &lock_timeout),
		OPT_BOOL_("no-cache", "read every case file", &c.no_cache),
		OPT_BOOL_("help", "the commands", NULL),
		OPT_BOOL_("version", "the version", NULL),
		OPT_END_
	};
	const struct command *cmd;
	int i, code;

	memset(&c, 0, sizeof(c));
	c.lock_timeout_ms = CP_LOCK_TIMEOUT_MS;
	/*
	 * Messages in the person's language (LANGUAGE, LC_ALL, LC_MESSAGES);
	 * nothing else of the locale is taken.  Reports use the built-in
	 * catalogue, by the policy's language.
	 */
	cp_input_namer(out_input_option);	/* the library's fields are our options */
	setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "");
	if (locale_dir())
		bindtextdomain(CP_TEXTDOMAIN, locale_dir());
	bind_textdomain_codeset(CP_TEXTDOMAIN, "UTF-8");
	cp_tr_catalog(CP_LANG_ZH_CN, cp_catalog_zh_CN,
		      (size_t)(cp_catalog_zh_CN_end - cp_catalog_zh_CN));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *eq = NULL;
		const struct opt *o;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			commands_usage(stdout);
			return finish_output(0, false);
		}
		if (!strcmp(a, "--version")) {
			printf("complaint %s\n", COMPLAINT_VERSION);
			return finish_output(0, false);
		}
		if (!strcmp(a, OPT_COMPLETION_HELPER)) {
			opt_completion(stdout, global_opts);
			return finish_output(0, false);
		}
		/* -C DIR, or --name / --name=VALUE from the table */
		for (o = global_opts; o->type != OPT_END; o++) {
			size_t n = strlen(o->name);

			if (!o->name[1] ? !strcmp(a + 1, o->name)
					: a[1] == '-' && !strncmp(a + 2, o->name, n) &&
					  (!a[2 + n] || a[2 + n] == '='))
				break;
		}
		if (o->type == OPT_END) {
			fprintf(stderr, _("complaint: unknown option '%s' (see 'complaint --help')\n"), a);
			return CP_EUSAGE;
		}
		if (o->name[1])
			eq = strchr(a, '=');
		if (o->type == OPT_BOOL) {
			if (eq) {
				fprintf(stderr, _("complaint: option '--%s' takes no value\n"), o->name);
				return CP_EUSAGE;
			}
			*(bool *)o->value = true;
			continue;
		}
		if (eq) {
			*(const char **)o->value = eq + 1;
		} else if (i + 1 < argc) {
			*(const char **)o->value = argv[++i];
		} else {
			fprintf(stderr, _("complaint: option '%s' needs a value\n"), a);
			return CP_EUSAGE;
		}
	}
	if (lock_timeout) {
		int64_t ms;

		/* seconds, to the millisecond: 0, 5, 0.25, at most a day */
		if (cp_parse_fixed(&ms, lock_timeout, strlen(lock_timeout), 3, 86400000) < 0) {
			fprintf(stderr, _("complaint: --lock-timeout: %s (seconds from 0 to 86400, e.g. 5 or 0.5)\n"),
				cp_errmsg());
			return CP_EUSAGE;
		}
		c.lock_timeout_ms = (int)ms;
	}
	if (i >= argc) {
		fprintf(stderr, _("complaint: no command given (see 'complaint --help')\n"));
		return CP_EUSAGE;
	}
	if (!(cmd = command_find(argv[i]))) {
		fprintf(stderr, _("complaint: '%s' is not a complaint command; see 'complaint --help'\n"),
			argv[i]);
		return CP_EUSAGE;
	}
	cp_store_set_lock_timeout(c.lock_timeout_ms);
	c.cmdname = cmd->name;
	c.flags = cmd->flags;
	code = cmd->fn(argc - i, argv + i, &c);
	if (c.store && getenv("COMPLAINT_CACHE_STATS"))
		print_cache_stats(c.store);
	/* __complete never speaks on stderr: the shell would show it mid-line */
	cp_warnings_flush(cmd->help ? print_warning : drop_warning);
	if (c.store)
		cp_store_close(c.store);
	free(c.actor);
	free(c.email);
	cp_signer_release(&c.signer);
	return finish_output(code, code == 0 && (c.flags & WRITES));
}
