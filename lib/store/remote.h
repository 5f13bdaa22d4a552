/*
 * remote.h - talking to a remote (remote.c): for a sync (transfer.c) and
 * a clone (clone.c).
 */
#ifndef COMPLAINT_STORE_REMOTE_H
#define COMPLAINT_STORE_REMOTE_H

#include <stdbool.h>
#include <git2.h>

#include "complaint/sbuf.h"

/* What the callbacks of one connection keep. */
struct cp_net {
	int ssh_try;		/* the next ssh credential to offer */
	char *rejected;		/* a ref the remote refused, and why */
	char *said;		/* what the remote said (its hooks' output), or NULL */
	int alive_fd;		/* cp_netjob_alive(): the remote showed a sign of life */
};

/* Our callbacks (ssh credentials, signs of life, a refused ref) for n. */
void cp_net_callbacks(git_remote_callbacks *cb, struct cp_net *n);
/* An error from talking to the remote, with a hint where one helps. */
int cp_net_error(int rc, const char *what, const char *name, const char *url);
/* file:///x, file://localhost/x or an existing directory: a local remote. */
bool cp_remote_local_path(struct cp_sbuf *path, const char *url);
/*
 * A remote without the url.<base>.insteadOf rewriting: libgit2 1.5.1
 * scans the whole configuration for it with a regular expression and
 * leaks a little on every entry that does not match (fixed in 1.6).
 */
int cp_remote_new(git_remote **out, git_repository *repo, const char *name,
		      const char *url);

#endif
