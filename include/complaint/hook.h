/*
 * hook.h - the shared bare repository's pre-receive hook (SPEC section 12;
 * the checks themselves are verify.h's).
 */
#ifndef COMPLAINT_HOOK_H
#define COMPLAINT_HOOK_H

#include <stdbool.h>

#include "complaint/sbuf.h"

/*
 * Put a pre-receive hook in the bare repository gitdir that runs `exe
 * hook pre-receive`; a hook already there that does not run complaint is
 * refused (-CP_ERULE) unless force.  The hook's path into path_out (may
 * be NULL).
 */
int cp_hook_install(struct cp_sbuf *path_out, const char *gitdir, const char *exe, bool force);

#endif
