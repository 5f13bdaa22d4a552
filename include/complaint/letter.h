/*
 * letter.h - a letter to the customer from a Markdown template (SPEC
 * section 11): complaint-letter(1).
 */
#ifndef COMPLAINT_LETTER_H
#define COMPLAINT_LETTER_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/case.h"
#include "complaint/policy.h"
#include "complaint/sbuf.h"

/* Is name a template name: [A-Za-z0-9_-]{1,64}? */
bool cp_letter_name_valid(const char *name);

/*
 * Fill the template text (len bytes; a leading HTML comment, the note to
 * whoever edits it, is left out) for case c, derived under p, with today
 * at now; append the letter to out.  An unknown placeholder is an error
 * (CP_EDATA, with its line), and so is a known one the case has no value
 * for yet (CP_ERULE: the letter would say nothing where it must say
 * something).  name is the template's, for messages.
 */
int cp_letter_fill(struct cp_sbuf *out, const char *name, const char *text,
		   size_t len, const struct cp_case *c, const struct cp_policy *p,
		   cp_time now);

#endif
