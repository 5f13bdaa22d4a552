/*
 * paths.h - where the binary finds what `make install` put beside it:
 * the share folder (shipped policies, rosters, templates) and the manual.
 */
#ifndef COMPLAINT_CMD_PATHS_H
#define COMPLAINT_CMD_PATHS_H

#include <stddef.h>

#include "complaint/sbuf.h"

/*
 * The share folder: the one holding policy/default.yaml, looked for
 *   1. beside the binary as installed: <bindir>/../share/complaint
 *      (so a copy installed under a DESTDIR, or moved whole, finds its own),
 *   2. where the build put it: $(PREFIX)/share/complaint, compiled in,
 *   3. in the source tree the binary was built in: the binary's folder
 *      (./complaint) or its parent (build/complaint).
 * NULL when none holds it.  The string is static.
 */
const char *share_dir(void);

/*
 * The file of manual page name(section), e.g. ("complaint-new", 1): under
 * the installed manual (man_dir()/man1/complaint-new.1) or, in a source
 * tree, man/complaint-new.1.  False when there is none.
 */
int man_page_file(char *out, size_t n, const char *name, int section);

/* The installed manual folder (holding man1/), found as share_dir(), or NULL. */
const char *man_dir(void);

/*
 * The names of the shipped policies (share_dir()/policy/NAME.yaml, and
 * "default", built in), sorted, each followed by sep.  Returns how many.
 */
size_t shipped_policies(struct cp_sbuf *out, const char *sep);

/*
 * The shipped policy called name: its file in share_dir()/policy/, and
 * the roster of the same name in policy/rosters/ when there is one
 * (roster[0] = '\0' when not).  False when there is no such policy.
 */
int shipped_policy(const char *name, char *policy, size_t n, char *roster, size_t m);

/*
 * The folder of the message catalogues (LANG/LC_MESSAGES/complaint.mo):
 * <bindir>/../share/locale, the build's $(datadir)/locale, or the build
 * tree's locale folder (build/locale); NULL when none holds one.
 */
const char *locale_dir(void);

#endif
