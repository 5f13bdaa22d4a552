/*
 * sign.h - signing commits the way git does with gpg.format=ssh, through
 * OpenSSH's own `ssh-keygen -Y sign -n git`, and who signs a write
 * (SPEC section 12).
 *
 * The key is git's user.signingkey or $COMPLAINT_SIGNING_KEY, in git's
 * forms: a path to a private key, a path to a public key whose private
 * half is in ssh-agent, or the key itself ("key::ssh-ed25519 AAAA...",
 * held by ssh-agent).  A key in ssh-agent is used through the agent.
 * ssh-keygen never asks for a passphrase unless standard input is a
 * terminal: a key that needs one is refused with what to do instead.
 */
#ifndef COMPLAINT_SIGN_H
#define COMPLAINT_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/policy.h"
#include "complaint/sbuf.h"

struct cp_store;

/* How a write is signed, and as whom. */
struct cp_signer {
	char *keyfile;		/* what ssh-keygen -f gets (NULL: a key given as text) */
	char *literal;		/* a key given as text: "TYPE BASE64" (signed through the agent) */
	char *pubkey;		/* "TYPE BASE64" of the key used */
	char *email;		/* the person's email in the roster, or NULL */
	bool sign;		/* sign the commits */
};

/*
 * Decide how a write by actor is signed under policy p and roster o;
 * configured is the key setting (NULL or "" when none).  The email is
 * the person's whenever the roster's people give one.  With signatures
 * off nothing is signed.  With `required` the write is refused
 * (-CP_ERULE) when the actor has no key in the roster, when no key is
 * configured here, or when the configured one is not one of the actor's;
 * a key that cannot be read is -CP_EUSAGE.  With `optional` such a write
 * goes unsigned, with a warning when a key is configured but cannot be
 * used for this actor.
 */
int cp_signer_setup(struct cp_signer *sg, const struct cp_policy *p, const struct cp_org *o,
		    const char *actor, const char *configured);
void cp_signer_release(struct cp_signer *sg);

/*
 * Sign len bytes of buf in namespace "git" with ssh-keygen; the armoured
 * signature (without its last newline, as git stores it) into sig.
 */
int cp_ssh_sign(struct cp_sbuf *sig, const struct cp_signer *sg, const char *buf, size_t len);

/*
 * Ask ssh-keygen whether armored is a good signature of msg in namespace
 * ns (ssh-keygen -Y check-novalidate): 1 good, 0 bad, or an error when
 * ssh-keygen cannot be run.
 */
int cp_ssh_keygen_check(const char *armored, size_t alen, const char *ns, const char *msg,
			size_t len);

/*
 * The key setting for a store (NULL: no store yet, the user's git config):
 * $COMPLAINT_SIGNING_KEY, else git's user.signingkey; NULL when unset.
 */
char *cp_store_signing_key(struct cp_store *s);
/* Sign every commit made through s with sg (NULL: none); sg must outlive the store's use. */
void cp_store_set_signer(struct cp_store *s, const struct cp_signer *sg);

#endif
