/*
 * remote.c - talking to a remote (libgit2): the ssh credentials offered,
 * the callbacks that are signs of life for the deadline (netjob.h), the
 * errors with a hint, and what is a remote on this machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/sync.h"
#include "fsutil.h"
#include "netjob.h"
#include "priv.h"
#include "remote.h"

static const char *local_user(void)
{
	const char *u = getenv("USER");

	return u && *u ? u : "git";
}

/*
 * ssh: the agent (when SSH_AUTH_SOCK is set), then ~/.ssh/id_ed25519,
 * id_ecdsa and id_rsa, each once per connection.  Other schemes get no
 * credentials from us (a URL may carry them).
 */
static int credentials_cb(git_credential **out, const char *url,
			  const char *user_from_url, unsigned int allowed,
			  void *payload)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	struct cp_net *n = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : local_user();
	const char *home = getenv("HOME");

	(void)url;
	cp_netjob_alive(n->alive_fd);
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY))
		return GIT_PASSTHROUGH;
	while (n->ssh_try < 4) {
		int k = n->ssh_try++;
		char key[PATH_MAX], pub[PATH_MAX];
		struct stat st;

		if (k == 0) {
			if (getenv("SSH_AUTH_SOCK") && *getenv("SSH_AUTH_SOCK"))
				return git_credential_ssh_key_from_agent(out, user);
			continue;
		}
		if (!home)
			break;
		snprintf(key, sizeof(key), "%s/.ssh/%s", home, keys[k - 1]);
		if (stat(key, &st) < 0)
			continue;
		snprintf(pub, sizeof(pub), "%s.pub", key);
		return git_credential_ssh_key_new(out, user,
						  stat(pub, &st) == 0 ? pub : NULL, key, NULL);
	}
	git_error_set_str(GIT_ERROR_SSH,
			  "ssh authentication failed (tried the ssh agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa)");
	return GIT_EAUTH;
}

static int push_ref_cb(const char *ref, const char *status, void *payload)
{
	struct cp_net *n = payload;

	(void)ref;
	if (status && !n->rejected)
		n->rejected = cp_xstrdup(status);
	return 0;
}

/* Every callback is a sign of life for the deadline (netjob.h). */
static int cert_cb(git_cert *cert, int valid, const char *host, void *payload)
{
	(void)cert;
	(void)valid;
	(void)host;
	cp_netjob_alive(((struct cp_net *)payload)->alive_fd);
	return GIT_PASSTHROUGH;		/* libgit2's own check decides */
}

static int sideband_cb(const char *str, int len, void *payload)
{
	struct cp_net *n = payload;
	size_t have = n->said ? strlen(n->said) : 0;

	cp_netjob_alive(n->alive_fd);
	if (len > 0 && have < 8192) {
		n->said = cp_xrealloc(n->said, have + (size_t)len + 1);
		memcpy(n->said + have, str, (size_t)len);
		n->said[have + (size_t)len] = '\0';
	}
	return 0;
}

static int transfer_cb(const git_indexer_progress *stats, void *payload)
{
	(void)stats;
	cp_netjob_alive(((struct cp_net *)payload)->alive_fd);
	return 0;
}

static int pack_cb(int stage, uint32_t current, uint32_t total, void *payload)
{
	(void)stage;
	(void)current;
	(void)total;
	cp_netjob_alive(((struct cp_net *)payload)->alive_fd);
	return 0;
}

static int push_progress_cb(unsigned int current, unsigned int total, size_t bytes,
			    void *payload)
{
	(void)current;
	(void)total;
	(void)bytes;
	cp_netjob_alive(((struct cp_net *)payload)->alive_fd);
	return 0;
}

void cp_net_callbacks(git_remote_callbacks *cb, struct cp_net *n)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials_cb;
	cb->push_update_reference = push_ref_cb;
	cb->certificate_check = cert_cb;
	cb->sideband_progress = sideband_cb;
	cb->transfer_progress = transfer_cb;
	cb->pack_progress = pack_cb;
	cb->push_transfer_progress = push_progress_cb;
	cb->payload = n;
	n->ssh_try = 0;
}

/* An error from talking to the remote, with a hint where one helps. */
int cp_net_error(int rc, const char *what, const char *name, const char *url)
{
	const char *hint = "";

	if (rc == GIT_ECERTIFICATE)
		hint = " (the host's ssh key is not in ~/.ssh/known_hosts, or it changed: check it, then add it, e.g. with ssh-keyscan)";
	else if (rc == GIT_EAUTH)
		hint = " (load a key into ssh-agent, or put one in ~/.ssh)";
	if (!strcmp(name, url))
		return cp_error(CP_ESYS, "%s '%s': %s%s", what, url, cp_git_msg(), hint);
	return cp_error(CP_ESYS, "%s '%s' (%s): %s%s", what, name, url, cp_git_msg(), hint);
}

/* file:///x, file://localhost/x or an existing directory: a local remote. */
bool cp_remote_local_path(struct cp_sbuf *path, const char *url)
{
	struct stat st;
	const char *p;

	cp_sbuf_reset(path);
	if (!strncmp(url, "file://", 7)) {
		p = url + 7;
		if (!strncmp(p, "localhost/", 10))
			p += 9;
		if (*p != '/')
			return false;
		for (; *p; p++) {
			unsigned int c;

			if (*p == '%' && sscanf(p + 1, "%2x", &c) == 1 &&
			    p[1] && p[2]) {
				cp_sbuf_addch(path, (int)c);
				p += 2;
			} else {
				cp_sbuf_addch(path, *p);
			}
		}
		return true;
	}
	if (strstr(url, "://"))
		return false;
	if (stat(url, &st) == 0 && S_ISDIR(st.st_mode)) {
		cp_sbuf_adds(path, url);
		return true;
	}
	return false;
}

/*
 * A remote without the url.<base>.insteadOf rewriting: libgit2 1.5.1
 * scans the whole configuration for it with a regular expression and
 * leaks a little on every entry that does not match (fixed in 1.6).
 */
int cp_remote_new(git_remote **out, git_repository *repo, const char *name,
		      const char *url)
{
	git_remote_create_options ro;

	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.name = name;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	if (!name)
		ro.flags |= GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(out, url, &ro);
}
