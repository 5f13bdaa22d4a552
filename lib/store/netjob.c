/*
 * netjob.c - a remote exchange in a child process, killed when it goes
 * quiet (see netjob.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "complaint/error.h"
#include "netjob.h"
#include "complaint/i18n.h"

/* What the child leaves in the shared page, before out. */
struct verdict {
	int done;		/* 1 once the rest is written */
	int r, kind;
	char msg[2048];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cp_netjob_alive(int fd)
{
	static long long last;
	long long t;
	ssize_t n;

	if (fd < 0)
		return;
	t = now_ms();
	if (last && t - last < 200)
		return;
	last = t;
	/* non-blocking: a full pipe already says the child is alive */
	do
		n = write(fd, "p", 1);
	while (n < 0 && errno == EINTR);
}

static void child(int fd, pid_t parent, struct verdict *v, void *out,
		  int (*fn)(void *arg, void *out, int fd), void *arg)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	sigset_t none;
	size_t i;

	/* die with the parent; a signal meant for the command ends it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	for (i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	cp_netjob_alive(fd);
	cp_error_clear();
	v->r = fn(arg, out, fd);
	v->kind = cp_errkind();
	snprintf(v->msg, sizeof(v->msg), "%s", cp_errmsg());
	__atomic_store_n(&v->done, 1, __ATOMIC_RELEASE);
	_exit(0);
}

int cp_netjob_run(void *out, size_t size,
	       const char *what, int timeout_s,
	       int (*fn)(void *arg, void *out, int fd), void *arg)
{
	size_t total = sizeof(struct verdict) + size;
	struct verdict *v;
	pid_t pid, parent = getpid();
	int fds[2], status = 0, r;
	long long deadline;
	bool eof = false, quiet = false;
	char buf[256];

	v = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED)
		return cp_error(CP_ESYS, _("cannot %s: %s"), what, strerror(errno));
	memset(v, 0, total);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = cp_error(CP_ESYS, _("cannot %s: %s"), what, strerror(errno));
		munmap(v, total);
		return r;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		r = cp_error(CP_ESYS, _("cannot %s: %s"), what, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		munmap(v, total);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
		child(fds[1], parent, v, (char *)v + sizeof(*v), fn, arg);
	}
	close(fds[1]);
	deadline = now_ms() + (long long)timeout_s * 1000;
	while (!eof) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		long long left = deadline - now_ms();
		int n;
		ssize_t got;

		if (timeout_s > 0 && left <= 0) {
			quiet = true;
			break;
		}
		n = poll(&p, 1, timeout_s > 0 ? (int)(left > 60000 ? 60000 : left) : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		got = read(fds[0], buf, sizeof(buf));
		if (got > 0)
			deadline = now_ms() + (long long)timeout_s * 1000;
		else if (got == 0 || errno != EINTR)
			eof = true;
	}
	close(fds[0]);
	if (!eof)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (quiet)
		r = cp_error_hint(CP_ESYS, CP_HINT_NET_TIMEOUT,
				  _("cannot %s: no answer for %d s (the remote accepted the connection and went quiet, or cannot be reached)"),
				  what, timeout_s);
	else if (!__atomic_load_n(&v->done, __ATOMIC_ACQUIRE))
		r = cp_error(CP_ESYS, _("cannot %s: the process talking to the remote %s %d"),
			     what, WIFSIGNALED(status) ? "died of signal" : "exited with",
			     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	else {
		r = v->r;
		if (r < 0)
			cp_error(v->kind ? v->kind : -r, "%s", v->msg);
		if (size)
			memcpy(out, (char *)v + sizeof(*v), size);
	}
	munmap(v, total);
	return r;
}
