/*
 * cmd.h - what the commands share: the context set up by the dispatcher,
 * option parsing, and careful output.
 */
#ifndef COMPLAINT_CMD_H
#define COMPLAINT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/input.h"
#include "complaint/i18n.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"
#include "complaint/sign.h"
#include "complaint/store.h"
#include "complaint/timeutil.h"

struct ctx {
	/* global options, as given */
	const char *dir;
	const char *actor_opt;
	const char *now_opt;
	int lock_timeout_ms;
	bool no_cache;
	bool quiet;		/* -q of the event commands: no confirmation line */
	/* set up for the command */
	const char *cmdname;
	int flags;		/* WRITES, OWN_LOCK from the command table */
	struct cp_store *store;
	char *actor, *email;
	cp_time now;
	const struct cp_tz *tz;	/* before a store is open (init): the policy's zone */
	struct cp_signer signer;	/* how this write is signed (audit: in the policy) */
};

/* ---- options ---- */

enum opt_type { OPT_END, OPT_BOOL, OPT_STR, OPT_LIST, OPT_GROUP };

struct opt {
	enum opt_type type;
	const char *name;	/* long name without "--" (one letter: -o) */
	const char *argh;	/* argument name in help, e.g. "TEXT" */
	const char *help;
	void *value;		/* bool *, const char **, or const char *[max] */
	size_t *count;		/* OPT_LIST: number of values stored */
	size_t max;		/* OPT_LIST: capacity */
	char short_name;	/* a one-letter alias (-q for --quiet), or 0 */
	/*
	 * What the value completes from: a word 'complaint __complete'
	 * knows (departments, people, levels...), or NULL for none.
	 */
	const char *complete;
};

#define OPT_BOOL_(n, h, v) { OPT_BOOL, n, NULL, h, v, NULL, 0, 0, NULL }
#define OPT_STR_(n, a, h, v) { OPT_STR, n, a, h, v, NULL, 0, 0, NULL }
#define OPT_LIST_(n, a, h, v, c, m) { OPT_LIST, n, a, h, v, c, m, 0, NULL }
/* the same, with a one-letter alias or a completion */
#define OPT_BOOLS_(s, n, h, v) { OPT_BOOL, n, NULL, h, v, NULL, 0, s, NULL }
#define OPT_STRC_(n, a, h, v, w) { OPT_STR, n, a, h, v, NULL, 0, 0, w }
#define OPT_LISTC_(n, a, h, v, c, m, w) { OPT_LIST, n, a, h, v, c, m, 0, w }
#define OPT_END_ { OPT_END, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }

/*
 * Parse argv (argv[0] is the command name) against opts.  Positional
 * arguments are moved to the front of argv+1 and counted in *nargs.
 * Returns 0, or the exit code to leave with: 0 after --help, 2 after a
 * usage error (already reported).
 */
int opt_parse(int argc, char **argv, const struct opt *opts,
	      const char *const *usage, int *nargs, bool *done);
void opt_usage(FILE *f, const struct opt *opts, const char *const *usage);

/*
 * The hidden option every command (and complaint itself) takes, as git's
 * --git-completion-helper: print the options, one a line, for the
 * completion scripts tools/completion.sh generates.  A line is "-q",
 * "--quiet", or "--department=" TAB "departments" for an option that
 * takes a value, followed by what the value completes from.
 */
#define OPT_COMPLETION_HELPER "--complaint-completion-helper"
void opt_completion(FILE *f, const struct opt *opts);

/* ---- setup and errors ---- */

/*
 * Print the last library error as "complaint: <what>: <why><hint>",
 * the hint in the command's words (out_hint); returns its exit code.
 */
int lib_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What the library's hint says to do, in commands and options ("; run 'complaint check --repair'"). */
void out_hint(struct cp_sbuf *sb, enum cp_hint hint);
/* The option that gives a field of the library's requests ("--at"): cp_input_namer(). */
const char *out_input_option(enum cp_input f);
/* Report a usage error; returns 2. */
int usage_error(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a warning line on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warn about each impossible event of a case read from path (skipped). */
void warning_impossible(const char *path, const struct cp_case *cs, const struct cp_tz *z);

/*
 * A command opens the store itself (ctx_open), once its arguments are
 * parsed, so that a usage error is told before a missing store.  What
 * ctx_open then does follows these flags of the command table.
 */
#define WRITES 1	/* the command changes the store: actor, lock */
#define OWN_LOCK 2	/* ... but takes the lock itself, when it needs it (sync) */

/*
 * Open the store and resolve now; for a command that WRITES, resolve the
 * actor and take the lock.  Returns 0 or an exit code.
 */
int ctx_open(struct ctx *c);
/* The actor alone (for init, which has no store yet). */
int ctx_actor(struct ctx *c);
/*
 * After the actor: how the write is signed under policy p and roster o
 * (the person's email from the roster too), with the key set for store s
 * (NULL: the user's git config).  Returns 0 or an exit code.
 */
int ctx_signer(struct ctx *c, struct cp_store *s, const struct cp_policy *p,
	       const struct cp_org *o);
/*
 * --timeout SECONDS (sync, clone): a whole number from 1 to 86400 into
 * *out; NULL leaves the default.  Exit code on error.
 */
int ctx_timeout(const struct ctx *c, const char *val, int *out);
/* Parse a time option in the store's timezone; exit code on error. */
int ctx_time(const struct ctx *c, const char *opt, const char *val, cp_time *out);
/* The zone local times are in: the store's policy's (as of --as-of), else c->tz, else UTC. */
const struct cp_tz *ctx_tz(const struct ctx *c);

/* ---- output ---- */

/* Text with control characters (ANSI escapes, CR...) made visible. */
void out_safe(struct cp_sbuf *sb, const char *s);
/* Pad (or cut) s to exactly cols display columns. */
void out_cell(struct cp_sbuf *sb, const char *s, size_t cols, bool last);
/* A label (translated: Chinese is two columns a character) padded to cols display columns, at least one space. */
void out_label(struct cp_sbuf *sb, const char *s, size_t cols);
/* A CSV field (RFC 4180, spreadsheet formula prefixes neutralised). */
void out_csv(struct cp_sbuf *sb, const char *s);
/* A TSV field: tab, newline, CR and backslash escaped, formulas neutralised as in CSV. */
void out_tsv(struct cp_sbuf *sb, const char *s);
/* A time for a person: 2026-11-22 14:05 +08:00 (local, with its offset) */
void out_time(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t);
/* Write sb to stdout; false on error. */
void out_flush(struct cp_sbuf *sb);

/* ---- commands ---- */

#define CMD(n) int cmd_##n(int argc, char **argv, struct ctx *c)
CMD(init); CMD(new); CMD(show); CMD(list); CMD(log); CMD(check);
CMD(policy); CMD(assign); CMD(notify); CMD(onsite); CMD(plan);
CMD(approve); CMD(resolve); CMD(callback); CMD(close); CMD(reopen);
CMD(note); CMD(reclassify); CMD(penalize); CMD(score); CMD(report);
CMD(clone); CMD(sync); CMD(merge_file); CMD(help); CMD(setup); CMD(complete);
CMD(import); CMD(letter); CMD(verify); CMD(hook);
CMD(set); CMD(analyze); CMD(measure); CMD(hold); CMD(resume);

/* The command table (cmd/complaint.c), ended by a NULL name. */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct ctx *c);
	int flags;
	const char *help;	/* NULL: hidden from the list */
	/*
	 * What each argument completes from, space-separated in order: a
	 * word of 'complaint __complete' (cases, levels...), "=a|b" for a
	 * fixed list, "-" for nothing; the last one repeats.  NULL: none.
	 */
	const char *args;
};
extern const struct command commands[];
/* The command of that exact name, or NULL. */
const struct command *command_find(const char *name);
/* The global usage and the list of commands. */
void commands_usage(FILE *f);

/* The shared body of the event commands (assign, notify, ... penalize). */
int run_event(struct ctx *c, const char *id, struct cp_event *ev,
	      const char *at, const char *subject);
/* The same for several events of one command (one commit for all). */
int run_events(struct ctx *c, const char *id, struct cp_event *evs, size_t nev,
	       const char *at, const char *subject);
/* --field ID=VALUE arguments split into ids and values (store: n copies to free). */
int split_fields(struct ctx *c, const char **args, size_t n, const char **ids,
		 const char **vals, char **store);

#endif
