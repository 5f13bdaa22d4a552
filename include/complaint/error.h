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

/* Record a message and return -kind, so a failure path is one line. */
int cp_error(int kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepend "<prefix>: " to the last message (kind unchanged); returns -kind. */
int cp_error_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message ("" when none). */
const char *cp_errmsg(void);

/* The last kind (0 when none). */
int cp_errkind(void);

void cp_error_clear(void);

/*
 * Warnings the library has for the user (a case counted once that is
 * in two files, an event copied by hand...): kept, each message once,
 * for the command layer to print.  Safe from any thread.
 */
void cp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Call fn for each warning kept, oldest first, and forget them. */
void cp_warnings_flush(void (*fn)(const char *msg));

#endif
