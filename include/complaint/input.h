/*
 * input.h - what a request's values are called in messages.
 *
 * The library names a value a person gave (the time of an event, a
 * reason, a department...) by its input, never by a command-line option:
 * a caller without a command line words it its own way.  Messages get
 * the word from cp_input_name(); the command installs a namer that
 * gives its options ("--at", "--reason"), and without one the input's
 * own name is used ("at", "reason").
 */
#ifndef COMPLAINT_INPUT_H
#define COMPLAINT_INPUT_H

enum cp_input {
	CP_INPUT_CUSTOMER,
	CP_INPUT_CHANNEL,
	CP_INPUT_CATEGORY,
	CP_INPUT_SUMMARY,
	CP_INPUT_CONTACT,
	CP_INPUT_DESCRIPTION,
	CP_INPUT_KIND,
	CP_INPUT_SCOPE,
	CP_INPUT_FLAG,
	CP_INPUT_REF,
	CP_INPUT_AMOUNT,
	CP_INPUT_RECEIVED,
	CP_INPUT_SEVERITY,
	CP_INPUT_REASON,
	CP_INPUT_AT,		/* when an event happened */
	CP_INPUT_NOW,		/* the time taken as now */
	CP_INPUT_WITH,
	CP_INPUT_PARTY,
	CP_INPUT_DEPARTMENT,
	CP_INPUT_RESPONSIBLE,
	CP_INPUT_TEXT,
	CP_INPUT_FIELD,		/* a form field and its value, ID=VALUE */
	CP_INPUT_SATISFIED,
	CP_INPUT_UNSATISFIED,
	CP_INPUT_OWNER,
	CP_INPUT_DUE,
	CP_INPUT_DONE,		/* the measure an event marks done */
	CP_INPUT_CAUSE,
	CP_INPUT_ACTION,	/* the corrective action of a resolve */
	CP_INPUT_COMPENSATION,
	CP_INPUT_FORCE,		/* replace what is there */
	CP_INPUT_COUNT
};

/* The input's own name ("at", "reason", "field ID=VALUE"), whatever the namer says. */
const char *cp_input_own_name(enum cp_input f);

/* What f is called in messages: the installed namer's word, else its own name. */
const char *cp_input_name(enum cp_input f);

/*
 * Install the namer (NULL: the inputs' own names).  It returns the word
 * for an input, or NULL to keep its own name.
 */
void cp_input_namer(const char *(*namer)(enum cp_input f));

#endif
