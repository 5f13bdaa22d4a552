/*
 * netjob.h - talking to a remote with a deadline (private to lib/).
 *
 * libgit2 1.5.1 has no timeouts: a remote that accepts the connection and
 * never answers blocks a fetch, a push or a clone for ever, in a read
 * that no callback interrupts.  So every such exchange runs in a child
 * process that reports each sign of life (a libgit2 callback: progress,
 * credentials, a host certificate) on a pipe; the parent kills it when it
 * stays silent for the timeout, and when the parent dies the child dies
 * too.  What the child found is handed back through shared memory.
 */
#ifndef COMPLAINT_NETJOB_H
#define COMPLAINT_NETJOB_H

#include <stddef.h>

/* Child side: the remote showed a sign of life (at most a few writes a second). */
void cp_netjob_alive(int fd);

/*
 * Run fn(arg, out, fd) in a child process; fd is the pipe for
 * cp_netjob_alive().  The child's out (size bytes, zeroed first) is copied
 * back to out.  what names the exchange in messages ("fetch from 'origin'").
 *
 * Returns fn's result (with its message), or -CP_ESYS when the child
 * showed no sign of life for timeout_s seconds (it is killed), died, or
 * could not be started.
 */
int cp_netjob_run(void *out, size_t size,
	       const char *what, int timeout_s,
	       int (*fn)(void *arg, void *out, int fd), void *arg);

#endif
