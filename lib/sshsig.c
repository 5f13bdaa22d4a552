/*
 * sshsig.c - SSH public keys and SSHSIG signatures, read and checked with
 * libcrypto (see sshsig.h for why signing stays with ssh-keygen).
 *
 * Wire forms (RFC 4251 §5): a string is a 32-bit big-endian length and
 * its bytes; an mpint is a string holding a two's complement integer.
 * An SSHSIG blob is "SSHSIG", uint32 version 1, string public key,
 * string namespace, string reserved, string hash algorithm, string
 * signature; what is signed is "SSHSIG", string namespace, string
 * reserved, string hash algorithm, string H(message).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "complaint/error.h"
#include "complaint/sshsig.h"
#include "complaint/i18n.h"

/* ---- reading wire forms ---- */

struct rd {
	const unsigned char *p;
	size_t n;
	bool bad;
};

static bool rd_u32(struct rd *r, uint32_t *v)
{
	if (r->bad || r->n < 4) {
		r->bad = true;
		return false;
	}
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->n -= 4;
	return true;
}

static bool rd_str(struct rd *r, const unsigned char **s, size_t *len)
{
	uint32_t l;

	if (!rd_u32(r, &l))
		return false;
	if (l > r->n) {
		r->bad = true;
		return false;
	}
	*s = r->p;
	*len = l;
	r->p += l;
	r->n -= l;
	return true;
}

/* A string that must be short text: copied NUL-terminated into out. */
static bool rd_text(struct rd *r, char *out, size_t size)
{
	const unsigned char *s;
	size_t len;

	if (!rd_str(r, &s, &len))
		return false;
	if (len >= size || memchr(s, '\0', len)) {
		r->bad = true;
		return false;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

static void put_str(struct cp_sbuf *sb, const void *s, size_t len)
{
	unsigned char l[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16),
			       (unsigned char)(len >> 8), (unsigned char)len };

	cp_sbuf_add(sb, l, 4);
	cp_sbuf_add(sb, s, len);
}

/* ---- base64 ---- */

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 (white space between characters allowed); -1 when malformed. */
static int b64_decode(const char *s, size_t n, struct cp_sbuf *out)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0, v;
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64val(c)) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			cp_sbuf_addch(out, (int)((acc >> bits) & 0xff));
		}
	}
	if (pad > 2 || bits >= 6)
		return -1;
	return 0;
}

static void b64_encode(const unsigned char *p, size_t n, bool padding, struct cp_sbuf *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		cp_sbuf_addch(out, tab[v >> 18]);
		cp_sbuf_addch(out, tab[(v >> 12) & 63]);
		cp_sbuf_addch(out, tab[(v >> 6) & 63]);
		cp_sbuf_addch(out, tab[v & 63]);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		cp_sbuf_addch(out, tab[v >> 18]);
		cp_sbuf_addch(out, tab[(v >> 12) & 63]);
		if (padding)
			cp_sbuf_adds(out, "==");
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		cp_sbuf_addch(out, tab[v >> 18]);
		cp_sbuf_addch(out, tab[(v >> 12) & 63]);
		cp_sbuf_addch(out, tab[(v >> 6) & 63]);
		if (padding)
			cp_sbuf_addch(out, '=');
	}
}

/* ---- public keys ---- */

int cp_sshkey_parse(struct cp_sshkey *out, const char *line)
{
	const char *p = line, *t, *b;
	struct cp_sbuf blob = CP_SBUF_INIT;
	struct rd r;
	char inner[64];
	size_t tn, bn;

	memset(out, 0, sizeof(*out));
	while (*p == ' ' || *p == '\t')
		p++;
	t = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	tn = (size_t)(p - t);
	while (*p == ' ' || *p == '\t')
		p++;
	b = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	bn = (size_t)(p - b);
	if (!tn || !bn || tn >= sizeof(out->type))
		return cp_error(CP_EDATA,
				_("not an SSH public key (expected 'TYPE BASE64 [COMMENT]', as in a .pub file)"));
	if (b64_decode(b, bn, &blob) < 0 || !blob.len) {
		cp_sbuf_release(&blob);
		return cp_error(CP_EDATA, _("not an SSH public key: the key's base64 is malformed"));
	}
	r.p = (const unsigned char *)blob.buf;
	r.n = blob.len;
	r.bad = false;
	if (!rd_text(&r, inner, sizeof(inner)) || strlen(inner) != tn || memcmp(inner, t, tn)) {
		cp_sbuf_release(&blob);
		return cp_error(CP_EDATA, _("not an SSH public key: the key is not of type '%.*s'"),
				(int)tn, t);
	}
	memcpy(out->type, t, tn);
	out->type[tn] = '\0';
	out->blob = (unsigned char *)cp_sbuf_detach(&blob, &out->len);
	return 0;
}

void cp_sshkey_release(struct cp_sshkey *k)
{
	free(k->blob);
	k->blob = NULL;
	k->len = 0;
}

void cp_sshkey_line(struct cp_sbuf *out, const unsigned char *blob, size_t len)
{
	struct rd r = { blob, len, false };
	char type[64];

	if (rd_text(&r, type, sizeof(type)))
		cp_sbuf_adds(out, type);
	else
		cp_sbuf_adds(out, "unknown");
	cp_sbuf_addch(out, ' ');
	b64_encode(blob, len, true, out);
}

void cp_sshkey_fingerprint(struct cp_sbuf *out, const unsigned char *blob, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	cp_sbuf_adds(out, "SHA256:");
	if (EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL))
		b64_encode(md, mdlen, false, out);
}

/* ---- signatures ---- */

void cp_sshsig_release(struct cp_sshsig *s)
{
	free(s->raw);
	memset(s, 0, sizeof(*s));
}

int cp_sshsig_parse(struct cp_sshsig *out, const char *armored, size_t len)
{
	static const char begin[] = "-----BEGIN SSH SIGNATURE-----";
	static const char end[] = "-----END SSH SIGNATURE-----";
	struct cp_sbuf raw = CP_SBUF_INIT;
	const char *b, *e;
	struct rd r;
	uint32_t version;
	char *hay;

	memset(out, 0, sizeof(*out));
	hay = cp_xstrndup(armored, len);
	b = strstr(hay, begin);
	e = b ? strstr(b, end) : NULL;
	if (!b || !e) {
		free(hay);
		return cp_error(CP_EDATA, _("not an SSH signature (no BEGIN/END SSH SIGNATURE lines)"));
	}
	b += sizeof(begin) - 1;
	if (b64_decode(b, (size_t)(e - b), &raw) < 0) {
		free(hay);
		cp_sbuf_release(&raw);
		return cp_error(CP_EDATA, _("the SSH signature's base64 is malformed"));
	}
	free(hay);
	out->raw = (unsigned char *)cp_sbuf_detach(&raw, &out->raw_len);
	r.p = out->raw;
	r.n = out->raw_len;
	r.bad = false;
	if (r.n < 6 || memcmp(r.p, "SSHSIG", 6)) {
		cp_sshsig_release(out);
		return cp_error(CP_EDATA, _("not an SSH signature (no SSHSIG preamble)"));
	}
	r.p += 6;
	r.n -= 6;
	if (!rd_u32(&r, &version) || version != 1) {
		cp_sshsig_release(out);
		return cp_error(CP_EDATA, _("an SSH signature of an unknown version"));
	}
	rd_str(&r, &out->pubkey, &out->pubkey_len);
	rd_text(&r, out->ns, sizeof(out->ns));
	rd_str(&r, &out->reserved, &out->reserved_len);
	rd_text(&r, out->hash, sizeof(out->hash));
	rd_str(&r, &out->sig, &out->sig_len);
	if (r.bad || r.n) {
		cp_sshsig_release(out);
		return cp_error(CP_EDATA, _("the SSH signature is truncated or malformed"));
	}
	return 0;
}

static const EVP_MD *md_named(const char *name)
{
	if (!strcmp(name, "sha512"))
		return EVP_sha512();
	if (!strcmp(name, "sha256"))
		return EVP_sha256();
	return NULL;
}

/* An EVP key from an RSA or EC wire key (OpenSSL 3 params). */
static EVP_PKEY *key_from_params(const char *alg, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *k = NULL;

	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return k;
}

static EVP_PKEY *rsa_key(struct rd *r)
{
	const unsigned char *e, *n;
	size_t el, nl;
	BIGNUM *be = NULL, *bn = NULL;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *k = NULL;

	if (!rd_str(r, &e, &el) || !rd_str(r, &n, &nl) || r->n)
		return NULL;
	be = BN_bin2bn(e, (int)el, NULL);
	bn = BN_bin2bn(n, (int)nl, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (be && bn && bld && BN_num_bits(bn) >= 1024 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
		k = key_from_params("RSA", bld);
	OSSL_PARAM_BLD_free(bld);
	BN_free(be);
	BN_free(bn);
	return k;
}

static EVP_PKEY *ec_key(struct rd *r, const char *curve)
{
	static const struct { const char *ssh, *ossl; } curves[] = {
		{ "nistp256", "prime256v1" }, { "nistp384", "secp384r1" },
		{ "nistp521", "secp521r1" },
	};
	const unsigned char *q;
	size_t ql, i;
	char name[32];
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *k = NULL;

	if (!rd_text(r, name, sizeof(name)) || strcmp(name, curve) ||
	    !rd_str(r, &q, &ql) || r->n)
		return NULL;
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (!strcmp(curves[i].ssh, curve))
			break;
	if (i == sizeof(curves) / sizeof(curves[0]))
		return NULL;
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    curves[i].ossl, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q, ql))
		k = key_from_params("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	return k;
}

/* An ECDSA signature (mpint r, mpint s) as the DER libcrypto checks. */
static bool ecdsa_der(const unsigned char *s, size_t n, struct cp_sbuf *der)
{
	struct rd r = { s, n, false };
	const unsigned char *rp, *sp;
	size_t rl, sl;
	BIGNUM *br, *bs;
	ECDSA_SIG *sig;
	unsigned char *out = NULL;
	int len;

	if (!rd_str(&r, &rp, &rl) || !rd_str(&r, &sp, &sl) || r.n)
		return false;
	br = BN_bin2bn(rp, (int)rl, NULL);
	bs = BN_bin2bn(sp, (int)sl, NULL);
	sig = ECDSA_SIG_new();
	if (!br || !bs || !sig || !ECDSA_SIG_set0(sig, br, bs)) {
		BN_free(br);
		BN_free(bs);
		ECDSA_SIG_free(sig);
		return false;
	}
	len = i2d_ECDSA_SIG(sig, &out);
	ECDSA_SIG_free(sig);
	if (len <= 0)
		return false;
	cp_sbuf_add(der, out, (size_t)len);
	OPENSSL_free(out);
	return true;
}

enum cp_sig_verdict cp_sshsig_check(const struct cp_sshsig *s, const char *ns,
				    const void *msg, size_t len)
{
	const EVP_MD *hmd = md_named(s->hash), *vmd = NULL;
	struct rd kr = { s->pubkey, s->pubkey_len, false };
	struct rd sr = { s->sig, s->sig_len, false };
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	const unsigned char *sigbytes;
	size_t sigbytes_len;
	char ktype[64], stype[64];
	struct cp_sbuf data = CP_SBUF_INIT, der = CP_SBUF_INIT;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	enum cp_sig_verdict v = CP_SIG_UNKNOWN;

	if (strcmp(s->ns, ns) || !hmd)
		return CP_SIG_BAD;	/* another namespace, an unknown hash */
	if (!rd_text(&kr, ktype, sizeof(ktype)) || !rd_text(&sr, stype, sizeof(stype)) ||
	    !rd_str(&sr, &sigbytes, &sigbytes_len) || sr.n)
		return CP_SIG_BAD;
	if (!strcmp(ktype, "ssh-ed25519")) {
		const unsigned char *pk;
		size_t pkl;

		if (strcmp(stype, "ssh-ed25519") || !rd_str(&kr, &pk, &pkl) || kr.n || pkl != 32 ||
		    sigbytes_len != 64)
			return CP_SIG_BAD;
		key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, pkl);
	} else if (!strcmp(ktype, "ssh-rsa")) {
		if (!strcmp(stype, "rsa-sha2-512"))
			vmd = EVP_sha512();
		else if (!strcmp(stype, "rsa-sha2-256"))
			vmd = EVP_sha256();
		else
			return CP_SIG_UNKNOWN;	/* SHA-1: OpenSSH decides */
		key = rsa_key(&kr);
	} else if (!strncmp(ktype, "ecdsa-sha2-", 11)) {
		if (strcmp(stype, ktype) || !ecdsa_der(sigbytes, sigbytes_len, &der))
			return CP_SIG_BAD;
		vmd = !strcmp(ktype + 11, "nistp256") ? EVP_sha256()
		      : !strcmp(ktype + 11, "nistp384") ? EVP_sha384() : EVP_sha512();
		key = ec_key(&kr, ktype + 11);
		sigbytes = (const unsigned char *)der.buf;
		sigbytes_len = der.len;
	} else {
		return CP_SIG_UNKNOWN;		/* security keys and others */
	}
	if (!key)
		goto out;
	if (!EVP_Digest(msg, len, h, &hl, hmd, NULL))
		goto out;
	cp_sbuf_add(&data, "SSHSIG", 6);
	put_str(&data, s->ns, strlen(s->ns));
	put_str(&data, s->reserved, s->reserved_len);
	put_str(&data, s->hash, strlen(s->hash));
	put_str(&data, h, hl);
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestVerifyInit(ctx, NULL, vmd, NULL, key) <= 0)
		goto out;
	v = EVP_DigestVerify(ctx, sigbytes, sigbytes_len, (const unsigned char *)data.buf,
			     data.len) == 1 ? CP_SIG_GOOD : CP_SIG_BAD;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	cp_sbuf_release(&data);
	cp_sbuf_release(&der);
	return v;
}
