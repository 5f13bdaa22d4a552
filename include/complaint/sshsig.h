/*
 * sshsig.h - SSH public keys (as a roster lists them) and the signatures
 * `ssh-keygen -Y sign` makes (OpenSSH's PROTOCOL.sshsig), read and
 * checked in the process.
 *
 * Signing is never done here: ssh-keygen does it (sign.h).  Checking a
 * signature costs an exec of ssh-keygen, and `complaint verify` reads
 * every commit of a history, so the common key types (ssh-ed25519,
 * ecdsa-sha2-nistp256/384/521, ssh-rsa with rsa-sha2-256/512) are checked
 * here with libcrypto; a signature this code cannot call good (another
 * key type, or one it finds bad) is handed to ssh-keygen before anything
 * is said about it (cp_ssh_keygen_check), so no commit is ever named as
 * badly signed unless OpenSSH itself agrees.
 */
#ifndef COMPLAINT_SSHSIG_H
#define COMPLAINT_SSHSIG_H

#include <stdbool.h>
#include <stddef.h>

#include "complaint/sbuf.h"

/* A public key: its type name and its wire form (the base64 of a key line). */
struct cp_sshkey {
	char type[64];
	unsigned char *blob;
	size_t len;
};

/*
 * Parse a key as authorized_keys and allowed-signers files write it:
 * "TYPE BASE64 [COMMENT]" (no options).  -CP_EDATA with the reason when
 * it is not one (unknown form, bad base64, the blob's type not the
 * line's).
 */
int cp_sshkey_parse(struct cp_sshkey *out, const char *line);
void cp_sshkey_release(struct cp_sshkey *k);
/* "TYPE BASE64" of a wire blob (for allowed-signers lines). */
void cp_sshkey_line(struct cp_sbuf *out, const unsigned char *blob, size_t len);
/* "SHA256:..." as ssh-keygen -l prints it. */
void cp_sshkey_fingerprint(struct cp_sbuf *out, const unsigned char *blob, size_t len);

/* A signature in SSHSIG form, decoded from its armour. */
struct cp_sshsig {
	unsigned char *raw;		/* the decoded blob; the fields point into it */
	size_t raw_len;
	const unsigned char *pubkey;	/* the signer's public key (wire form) */
	size_t pubkey_len;
	char ns[64];			/* namespace ("git" for commits) */
	char hash[16];			/* "sha512" or "sha256" */
	const unsigned char *reserved;
	size_t reserved_len;
	const unsigned char *sig;	/* string type, string bytes */
	size_t sig_len;
};

/* Parse "-----BEGIN SSH SIGNATURE-----..." (len bytes); -CP_EDATA when it is not one. */
int cp_sshsig_parse(struct cp_sshsig *out, const char *armored, size_t len);
void cp_sshsig_release(struct cp_sshsig *s);

enum cp_sig_verdict { CP_SIG_BAD = 0, CP_SIG_GOOD = 1, CP_SIG_UNKNOWN = 2 };

/*
 * Is s a signature of msg in namespace ns by the key it carries?
 * CP_SIG_UNKNOWN for a key or signature type this code does not check.
 */
enum cp_sig_verdict cp_sshsig_check(const struct cp_sshsig *s, const char *ns,
				    const void *msg, size_t len);

#endif
