/*
 * sign.c - who signs a write, and signing through ssh-keygen (sign.h).
 *
 * ssh-keygen is run the way git runs it for gpg.format=ssh: the bytes in
 * a temporary file, `ssh-keygen -Y sign -n git -f KEY FILE` writes
 * FILE.sig (-U when the key is given as text: it is in the agent).
 * When standard input is not a terminal, ssh-keygen runs in a session of
 * its own (no controlling terminal to prompt on), with /dev/null as
 * input and SSH_ASKPASS_REQUIRE=never, so a key that needs a passphrase
 * fails at once instead of waiting for one; the failure is told as such.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "complaint/lifecycle.h"
#include "complaint/sign.h"
#include "complaint/sshsig.h"
#include "complaint/i18n.h"

void cp_signer_release(struct cp_signer *sg)
{
	free(sg->keyfile);
	free(sg->literal);
	free(sg->pubkey);
	free(sg->email);
	memset(sg, 0, sizeof(*sg));
}

/* ---- running ssh-keygen ---- */

/*
 * Run ssh-keygen with argv (argv[0] "ssh-keygen"); input from the file
 * in_path (NULL: /dev/null, or the terminal when stdin is one and
 * may_prompt), standard output into out (may be NULL), standard error
 * into err.  Returns the exit status (0-255), or an error when it could
 * not be run.
 */
static int run_keygen(char *const argv[], const char *in_path, bool may_prompt,
		      struct cp_sbuf *out, struct cp_sbuf *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, tty = may_prompt && isatty(0);
	char buf[4096];
	ssize_t k;
	pid_t pid;
	bool oe = true, ee = true;

	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		int e = errno;

		if (po[0] >= 0) {
			close(po[0]);
			close(po[1]);
		}
		return cp_error(CP_ESYS, _("cannot run ssh-keygen: %s"), strerror(e));
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return cp_error(CP_ESYS, _("cannot run ssh-keygen: %s"), strerror(e));
	}
	if (pid == 0) {
		sigset_t none;
		int in;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (!tty) {
			setsid();	/* no terminal to ask on */
			setenv("SSH_ASKPASS_REQUIRE", "never", 1);
			in = open(in_path ? in_path : "/dev/null", O_RDONLY);
			if (in < 0 || dup2(in, 0) < 0)
				_exit(127);
		} else if (in_path) {
			in = open(in_path, O_RDONLY);
			if (in < 0 || dup2(in, 0) < 0)
				_exit(127);
		}
		if (dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* both pipes, a little at a time, so that neither fills */
	while (oe || ee) {
		fd_set rs;

		FD_ZERO(&rs);
		if (oe)
			FD_SET(po[0], &rs);
		if (ee)
			FD_SET(pe[0], &rs);
		if (select((po[0] > pe[0] ? po[0] : pe[0]) + 1, &rs, NULL, NULL, NULL) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (oe && FD_ISSET(po[0], &rs)) {
			k = read(po[0], buf, sizeof(buf));
			if (k <= 0)
				oe = false;
			else if (out && out->len < (1 << 20))
				cp_sbuf_add(out, buf, (size_t)k);
		}
		if (ee && FD_ISSET(pe[0], &rs)) {
			k = read(pe[0], buf, sizeof(buf));
			if (k <= 0)
				ee = false;
			else if (err->len < (1 << 16))
				cp_sbuf_add(err, buf, (size_t)k);
		}
	}
	close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cp_error(CP_ESYS, _("cannot wait for ssh-keygen: %s"), strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && strstr(err->buf, "cannot run"))
		return cp_error(CP_ESYS, _("cannot run ssh-keygen (OpenSSH's, from PATH): is openssh-client installed?"));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

/* The last non-empty line ssh-keygen said, for a message. */
static void last_line(struct cp_sbuf *err, char *out, size_t size)
{
	char *p, *line = NULL, *save = NULL;

	out[0] = '\0';
	for (p = strtok_r(err->buf, "\r\n", &save); p; p = strtok_r(NULL, "\r\n", &save))
		if (*p && strncmp(p, "Signing file", 12) && strncmp(p, "Write signature", 15))
			line = p;
	if (line)
		snprintf(out, size, "%s", line);
}

/* A private folder for the files ssh-keygen reads and writes. */
static int temp_dir(char *dir, size_t size)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, size, "%s/complaint-sign-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return cp_error(CP_ESYS, _("cannot make a temporary folder for ssh-keygen (%s): %s"),
				dir, strerror(errno));
	return 0;
}

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), r;

	if (fd < 0)
		return cp_error(CP_ESYS, _("cannot write '%s': %s"), path, strerror(errno));
	r = cp_write_all(fd, buf, len, path);
	if (close(fd) < 0 && r == 0)
		r = cp_error(CP_ESYS, _("cannot write '%s': %s"), path, strerror(errno));
	return r;
}

static void remove_dir(const char *dir, const char *const *names, size_t n)
{
	char p[4200];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int cp_ssh_sign(struct cp_sbuf *sig, const struct cp_signer *sg, const char *buf, size_t len)
{
	static const char *const names[] = { "commit", "commit.sig", "key.pub" };
	char dir[4096], msg[4200], sigf[4200], key[4200], why[1024];
	struct cp_sbuf err = CP_SBUF_INIT;
	char *argv[10];
	int n = 0, st, r;

	if ((r = temp_dir(dir, sizeof(dir))) < 0)
		return r;
	snprintf(msg, sizeof(msg), "%s/commit", dir);
	snprintf(sigf, sizeof(sigf), "%s/commit.sig", dir);
	snprintf(key, sizeof(key), "%s/key.pub", dir);
	if ((r = write_file(msg, buf, len)) < 0)
		goto out;
	if (sg->literal) {
		struct cp_sbuf line = CP_SBUF_INIT;

		cp_sbuf_addf(&line, "%s\n", sg->literal);
		r = write_file(key, line.buf, line.len);
		cp_sbuf_release(&line);
		if (r < 0)
			goto out;
	}
	argv[n++] = "ssh-keygen";
	argv[n++] = "-Y";
	argv[n++] = "sign";
	argv[n++] = "-n";
	argv[n++] = "git";
	argv[n++] = "-f";
	argv[n++] = sg->literal ? key : sg->keyfile;
	if (sg->literal)
		argv[n++] = "-U";
	argv[n++] = msg;
	argv[n] = NULL;
	if ((st = run_keygen(argv, NULL, true, NULL, &err)) < 0) {
		r = st;
		goto out;
	}
	if (st != 0) {
		last_line(&err, why, sizeof(why));
		if (strstr(why, "passphrase") && !isatty(0))
			r = cp_error(CP_EUSAGE,
				     _("cannot sign with %s: the key needs a passphrase and standard input is not a terminal, so none is asked for; load the key into ssh-agent (ssh-add %s) and try again"),
				     sg->literal ? "the configured key" : sg->keyfile,
				     sg->keyfile ? sg->keyfile : "KEYFILE");
		else if (sg->literal || strstr(why, "agent"))
			r = cp_error(CP_EUSAGE,
				     _("cannot sign with %s: %s (is the key loaded into ssh-agent, and SSH_AUTH_SOCK set?)"),
				     sg->literal ? "the configured key" : sg->keyfile,
				     *why ? why : "ssh-keygen failed");
		else
			r = cp_error(CP_EUSAGE, _("cannot sign with %s: %s"), sg->keyfile,
				     *why ? why : "ssh-keygen failed");
		goto out;
	}
	if ((r = cp_read_file(sig, sigf, 1 << 20, 0)) < 0)
		goto out;
	while (sig->len && (sig->buf[sig->len - 1] == '\n' || sig->buf[sig->len - 1] == '\r'))
		cp_sbuf_setlen(sig, sig->len - 1);
	if (strncmp(sig->buf, "-----BEGIN SSH SIGNATURE-----", 29))
		r = cp_error(CP_ESYS, _("ssh-keygen wrote no SSH signature"));
out:
	remove_dir(dir, names, 3);
	cp_sbuf_release(&err);
	return r;
}

int cp_ssh_keygen_check(const char *armored, size_t alen, const char *ns, const char *msg,
			size_t len)
{
	static const char *const names[] = { "commit", "commit.sig" };
	char dir[4096], mf[4200], sf[4200];
	struct cp_sbuf err = CP_SBUF_INIT, sig = CP_SBUF_INIT;
	char *argv[] = { "ssh-keygen", "-Y", "check-novalidate", "-n", (char *)ns, "-s", sf, NULL };
	int r, st;

	if ((r = temp_dir(dir, sizeof(dir))) < 0)
		return r;
	snprintf(mf, sizeof(mf), "%s/commit", dir);
	snprintf(sf, sizeof(sf), "%s/commit.sig", dir);
	cp_sbuf_add(&sig, armored, alen);
	cp_sbuf_addch(&sig, '\n');
	if ((r = write_file(mf, msg, len)) == 0 && (r = write_file(sf, sig.buf, sig.len)) == 0) {
		st = run_keygen(argv, mf, false, NULL, &err);
		r = st < 0 ? st : st == 0;
	}
	remove_dir(dir, names, 2);
	cp_sbuf_release(&err);
	cp_sbuf_release(&sig);
	return r;
}

/* ---- the configured key ---- */

static bool looks_literal(const char *s)
{
	return (!strncmp(s, "ssh-", 4) || !strncmp(s, "ecdsa-", 6) || !strncmp(s, "sk-", 3)) &&
	       strchr(s, ' ');
}

/* "TYPE BASE64" of a key line, or -CP_EUSAGE naming what. */
static int key_line(const char *text, const char *what, char **out)
{
	struct cp_sshkey k;
	struct cp_sbuf line = CP_SBUF_INIT;

	if (cp_sshkey_parse(&k, text) < 0)
		return cp_error(CP_EUSAGE, "%s: %s", what, cp_errmsg());
	cp_sshkey_line(&line, k.blob, k.len);
	cp_sshkey_release(&k);
	*out = cp_sbuf_detach(&line, NULL);
	return 0;
}

/*
 * The key setting as git reads user.signingkey for gpg.format=ssh: the
 * key as text, or a path ("~/" is the home folder) to a public key (its
 * private half in the agent) or to a private key (its public half from
 * KEY.pub, else from ssh-keygen -y, which never prompts here).
 */
static int resolve_key(struct cp_signer *sg, const char *configured)
{
	struct cp_sbuf path = CP_SBUF_INIT, buf = CP_SBUF_INIT, err = CP_SBUF_INIT, pub = CP_SBUF_INIT;
	char *argv[] = { "ssh-keygen", "-y", "-f", NULL, NULL };
	const char *home = getenv("HOME");
	int r = 0, st;

	if (!strncmp(configured, "key::", 5) || looks_literal(configured)) {
		const char *text = !strncmp(configured, "key::", 5) ? configured + 5 : configured;

		if ((r = key_line(text, "the signing key", &sg->pubkey)) < 0)
			return r;
		sg->literal = cp_xstrdup(sg->pubkey);
		return 0;
	}
	if (!strncmp(configured, "~/", 2) && home)
		cp_sbuf_addf(&path, "%s/%s", home, configured + 2);
	else
		cp_sbuf_adds(&path, configured);
	if (cp_read_file(&buf, path.buf, 1 << 20, 0) < 0) {
		r = cp_error(CP_EUSAGE, _("the signing key '%s' cannot be read: %s"), path.buf,
			     cp_errmsg());
		goto out;
	}
	sg->keyfile = cp_xstrdup(path.buf);
	if (looks_literal(buf.buf)) {		/* a public key: the agent signs */
		r = key_line(buf.buf, path.buf, &sg->pubkey);
		goto out;
	}
	cp_sbuf_addf(&pub, "%s.pub", path.buf);
	cp_sbuf_reset(&buf);
	if (cp_read_file(&buf, pub.buf, 1 << 20, 0) == 0 && looks_literal(buf.buf)) {
		r = key_line(buf.buf, pub.buf, &sg->pubkey);
		goto out;
	}
	cp_error_clear();
	cp_sbuf_reset(&buf);
	argv[3] = path.buf;
	st = run_keygen(argv, NULL, false, &buf, &err);
	if (st < 0) {
		r = st;
	} else if (st != 0 || !looks_literal(buf.buf)) {
		r = cp_error(CP_EUSAGE,
			     _("cannot tell the public key of the signing key '%s' (no %s.pub beside it, and ssh-keygen -y cannot read it without a passphrase): put the .pub file beside it, or name the .pub file and load the key into ssh-agent"),
			     path.buf, path.buf);
	} else {
		r = key_line(buf.buf, path.buf, &sg->pubkey);
	}
out:
	cp_sbuf_release(&path);
	cp_sbuf_release(&buf);
	cp_sbuf_release(&err);
	cp_sbuf_release(&pub);
	return r;
}

static bool has_key(const struct cp_person *p, const char *key)
{
	size_t i;

	for (i = 0; p && i < p->nkeys; i++)
		if (!strcmp(p->keys[i], key))
			return true;
	return false;
}

int cp_signer_setup(struct cp_signer *sg, const struct cp_policy *p, const struct cp_org *o,
		    const char *actor, const char *configured)
{
	const char *name = cp_actor_person(actor);
	const struct cp_person *who = cp_org_person(o, name);
	enum cp_sig_mode mode = p->audit.signatures;
	struct cp_sbuf fp = CP_SBUF_INIT;
	struct cp_sshkey k;
	int r;

	memset(sg, 0, sizeof(*sg));
	if (who && who->email)
		sg->email = cp_xstrdup(who->email);
	if (mode == CP_SIG_OFF)
		return 0;
	if (mode == CP_SIG_REQUIRED && (!who || !who->nkeys))
		return cp_error(CP_ERULE,
				_("%s has no key in the roster (people in org.yaml), and the policy requires signed writes (audit: signatures: required)"),
				name);
	if (!configured || !*configured) {
		if (mode == CP_SIG_REQUIRED)
			return cp_error(CP_ERULE,
					_("the policy requires signed writes (audit: signatures: required), and no signing key is set here: set git's user.signingkey to %s's SSH key (git config user.signingkey ~/.ssh/id_ed25519) or COMPLAINT_SIGNING_KEY"),
					name);
		return 0;
	}
	if ((r = resolve_key(sg, configured)) < 0) {
		if (mode == CP_SIG_REQUIRED)
			return r;
		cp_warn(_("not signing: %s"), cp_errmsg());
		cp_signer_release(sg);
		if (who && who->email)
			sg->email = cp_xstrdup(who->email);
		return 0;
	}
	if (!has_key(who, sg->pubkey)) {
		if (cp_sshkey_parse(&k, sg->pubkey) == 0) {
			cp_sshkey_fingerprint(&fp, k.blob, k.len);
			cp_sshkey_release(&k);
		}
		if (mode == CP_SIG_REQUIRED) {
			r = cp_error(CP_ERULE,
				     _("the signing key set here (%s) is not one of %s's keys in the roster (org.yaml); the policy requires writes signed by the actor"),
				     fp.buf, name);
			cp_sbuf_release(&fp);
			return r;
		}
		cp_warn(_("not signing: the signing key set here (%s) is not one of %s's keys in the roster (org.yaml)"),
			fp.buf, name);
		cp_sbuf_release(&fp);
		free(sg->keyfile);
		free(sg->literal);
		free(sg->pubkey);
		sg->keyfile = sg->literal = sg->pubkey = NULL;
		return 0;
	}
	sg->sign = true;
	return 0;
}
