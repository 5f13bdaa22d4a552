/*
 * error.h - error kinds and the last error's message.
 *
 * Library functions return 0 on success or a negative error kind
 * (-CP_ERULE ... -CP_ESYS).  The message describing the last failure is
 * kept aside and read with cp_errmsg().  The command layer turns the kind
 * into the process exit code (see complaint(1), EXIT STATUS).
 */
#ifndef COMPLAINT_ERROR_H
#define COMPLAINT_ERROR_H

enum cp_errkind {
	CP_OK = 0,
	CP_ERULE = 1,	/* the rules refuse the request, or a check found problems */
	CP_EUSAGE = 2,	/* bad option, malformed ID or time */
	CP_EDATA = 3,	/* bad case, policy or roster data */
	CP_EBUSY = 4,	/* store busy, locked or in conflict */
	CP_ESYS = 5	/* the system failed: I/O error, disk full, git failure */
};

/*
 * What a user can do about an error, for the command to word: the
 * library names no command and no option (a caller without a command
 * line words it its own way).  The command that prints the error adds
 * the words (cmd/util.c, hint_text()).
 */
enum cp_hint {
	CP_HINT_NONE = 0,
	CP_HINT_CHECK,		/* the store check names what is wrong */
	CP_HINT_REPAIR,		/* the store check's repair fixes it */
	CP_HINT_OR_REPAIR,	/* ... as an alternative to what the message says */
	CP_HINT_LOCK_WAIT,	/* busy: how long commands wait for a lock is an option */
	CP_HINT_REPAIR_ASIDE,	/* ... which moves uncommitted files aside */
	CP_HINT_REPAIR_RESTORE,	/* ... which restores the committed version */
	CP_HINT_REPAIR_REMOVES,	/* ... which removes it */
	CP_HINT_REPAIR_CACHE,	/* ... which removes the cache (rebuilt on the next read) */
	CP_HINT_REPAIR_INDEX,	/* ... which rebuilds the index from HEAD */
	CP_HINT_REPAIR_LOST,	/* ... which moves the file to .git/complaint-lost/ */
	CP_HINT_REPAIR_RESETS,	/* ... which resets the index entry */
	CP_HINT_SETUP,		/* the clone's setup sets it */
	CP_HINT_INIT,		/* this folder is no store: create one */
	CP_HINT_NO_STORE,	/* no store found: name one, or create one */
	CP_HINT_EMPTY_REMOTE,	/* a clone of a remote without commits: how to start */
	CP_HINT_SYNC_AGAIN,	/* sync once more */
	CP_HINT_NET_TIMEOUT,	/* the remote went quiet: the wait is an option */
	CP_HINT_PLAN,		/* record a plan first ("one": none yet) */
	CP_HINT_PLAN_THE,	/* ... ("the plan": one is needed before an approval) */
	CP_HINT_PLAN_IT,	/* ... ("it": the level needs one) */
	CP_HINT_CALLBACK,	/* record the callback first */
	CP_HINT_HOLD,		/* put the case on hold first */
	CP_HINT_FIELD_NEW,	/* a required field: give it with the new case */
	CP_HINT_FIELD_SET,	/* a required field: set it before the action */
};

/* The last error, as kept per thread. */
struct cp_err {
	int kind;		/* enum cp_errkind, 0 when none */
	enum cp_hint hint;	/* CP_HINT_NONE when the message says it all */
	char msg[2048];
};

/* Record a message and return -kind, so a failure path is one line. */
int cp_error(int kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same with a hint (cp_error() records none; cp_error_wrap() keeps it). */
int cp_error_hint(int kind, enum cp_hint hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Give the last error a hint; returns -kind. */
int cp_error_set_hint(enum cp_hint hint);

/* Prepend "<prefix>: " to the last message (kind unchanged); returns -kind. */
int cp_error_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message ("" when none). */
const char *cp_errmsg(void);

/* The last kind (0 when none). */
int cp_errkind(void);

/* The last hint (CP_HINT_NONE when none), and the whole last error. */
enum cp_hint cp_errhint(void);
const struct cp_err *cp_err_last(void);

void cp_error_clear(void);

/*
 * Warnings the library has for the user (a case counted once that is
 * in two files, an event copied by hand...): kept, each message once,
 * for the command layer to print.  Safe from any thread.
 */
void cp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a hint for the command to word. */
void cp_warn_hint(enum cp_hint hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Call fn for each warning kept, oldest first, and forget them. */
void cp_warnings_flush(void (*fn)(const char *msg, enum cp_hint hint));

#endif
