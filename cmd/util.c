/*
 * util.c - setup, error reporting and careful output for the commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "complaint/audit.h"
#include "complaint/name.h"
#include "csv.h"
#include "utf8.h"
#include "yaml_subset.h"
#include "complaint/i18n.h"

static int exit_code(void)
{
	int k = cp_errkind();

	return k ? k : CP_ESYS;
}

const char *out_input_option(enum cp_input f)
{
	/* each input's option is its own name with two dashes: --at, --field ID=VALUE */
	static char opt[CP_INPUT_COUNT][48];

	if ((unsigned)f >= CP_INPUT_COUNT)
		return NULL;
	if (!opt[f][0])
		snprintf(opt[f], sizeof(opt[f]), "--%s", cp_input_own_name(f));
	return opt[f];
}

void out_hint(struct cp_sbuf *sb, enum cp_hint hint)
{
	const char *t = NULL;

	/* each with its own punctuation: it follows the library's message */
	switch (hint) {
	case CP_HINT_NONE:
		return;
	case CP_HINT_CHECK:
		t = _("; run 'complaint check'");
		break;
	case CP_HINT_REPAIR:
		t = _("; run 'complaint check --repair'");
		break;
	case CP_HINT_OR_REPAIR:
		t = _(" or run 'complaint check --repair'");
		break;
	case CP_HINT_REPAIR_ASIDE:
		t = _("; 'complaint check --repair' moves it aside");
		break;
	case CP_HINT_REPAIR_RESTORE:
		t = _("; 'complaint check --repair' restores the committed version");
		break;
	case CP_HINT_REPAIR_REMOVES:
		t = _(" ('complaint check --repair' removes it)");
		break;
	case CP_HINT_REPAIR_CACHE:
		t = _(" ('complaint check --repair' removes the cache; it is rebuilt on the next read)");
		break;
	case CP_HINT_REPAIR_INDEX:
		t = _(" ('complaint check --repair' rebuilds it from HEAD)");
		break;
	case CP_HINT_REPAIR_LOST:
		t = _("; 'complaint check --repair' moves it to .git/complaint-lost/");
		break;
	case CP_HINT_REPAIR_RESETS:
		t = _("; 'complaint check --repair' resets it");
		break;
	case CP_HINT_SETUP:
		t = _(" ('complaint setup' sets it)");
		break;
	case CP_HINT_LOCK_WAIT:
		t = _("; see --lock-timeout");
		break;
	case CP_HINT_INIT:
		t = _("; create one with 'complaint init'");
		break;
	case CP_HINT_NO_STORE:
		t = _("; use -C DIR or COMPLAINT_DIR, or create one with 'complaint init'");
		break;
	case CP_HINT_EMPTY_REMOTE:
		t = _(": make the store at one site (complaint init), add this remote there (git remote add origin URL), run 'complaint sync', then clone");
		break;
	case CP_HINT_SYNC_AGAIN:
		t = _(", run 'complaint sync' again");
		break;
	case CP_HINT_NET_TIMEOUT:
		t = _("; see --timeout");
		break;
	case CP_HINT_PLAN:
		t = _(" (record one with 'complaint plan')");
		break;
	case CP_HINT_PLAN_THE:
		t = _(" (record the plan with 'complaint plan')");
		break;
	case CP_HINT_PLAN_IT:
		t = _(" (record it with 'complaint plan')");
		break;
	case CP_HINT_CALLBACK:
		t = _(" (record it with 'complaint callback')");
		break;
	case CP_HINT_HOLD:
		t = _(" (hold it first with 'complaint hold')");
		break;
	case CP_HINT_FIELD_NEW:
		t = _(" (give new --field ID=VALUE)");
		break;
	case CP_HINT_FIELD_SET:
		t = _(" (set it first with 'complaint set ID --field ID=VALUE --reason TEXT')");
		break;
	}
	if (t)
		cp_sbuf_adds(sb, t);
}

int lib_error(const char *fmt, ...)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cp_sbuf_adds(&sb, "complaint: ");
	out_safe(&sb, what);
	cp_sbuf_adds(&sb, ": ");
	out_safe(&sb, cp_errmsg());
	out_hint(&sb, cp_errhint());
	fprintf(stderr, "%s\n", sb.buf);
	cp_sbuf_release(&sb);
	return exit_code();
}

int usage_error(const struct ctx *c, const char *fmt, ...)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	out_safe(&sb, what);
	fprintf(stderr, _("complaint: %s: %s\n"), c->cmdname, sb.buf);
	cp_sbuf_release(&sb);
	return CP_EUSAGE;
}

void warning(const char *fmt, ...)
{
	struct cp_sbuf sb = CP_SBUF_INIT;
	char what[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	out_safe(&sb, what);
	fprintf(stderr, _("complaint: warning: %s\n"), sb.buf);
	cp_sbuf_release(&sb);
}

static int resolve_actor(struct ctx *c)
{
	char *gname = NULL, *gemail = NULL;
	const char *a = NULL, *source = NULL, *e;
	const char *email = getenv("COMPLAINT_EMAIL");
	int r = 0;

	if (c->actor_opt) {
		a = c->actor_opt;
		source = "--actor";
	} else if ((e = getenv("COMPLAINT_ACTOR")) && *e) {
		a = e;
		source = "COMPLAINT_ACTOR";
	} else {
		cp_store_identity(&gname, &gemail, c->store);
		if (gname) {
			a = gname;
			source = "git config user.name";
			if (!email)
				email = gemail;
		} else if ((e = getenv("USER")) && *e) {
			a = e;
			source = "USER";
		}
	}
	if (!a) {
		cp_error(CP_EUSAGE,
			 _("nobody to record as the actor: use --actor NAME or set COMPLAINT_ACTOR (or git's user.name)"));
		r = lib_error("%s", c->cmdname);
	} else if (cp_actor_norm(&c->actor, NULL, a, strlen(a)) < 0) {
		cp_error_wrap(_("the actor (%s)"), source);
		r = lib_error("%s", c->cmdname);
	} else {
		c->email = cp_xstrdup(email && *email && !strpbrk(email, "<>\n") ? email : "unknown@complaint.invalid");
	}
	free(gname);
	free(gemail);
	return r;
}

void warning_impossible(const char *path, const struct cp_case *cs, const struct cp_tz *z)
{
	struct cp_sbuf msg = CP_SBUF_INIT;
	char *line, *nl;

	if (!cp_case_impossible(&msg, cs, z)) {
		cp_sbuf_release(&msg);
		return;
	}
	for (line = msg.buf; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		warning(_("%s: %s (run 'complaint check')"), path, line);
	}
	cp_sbuf_release(&msg);
}

/* A clone made with plain 'git clone' lacks what plain 'git pull' needs. */
static void warn_setup(const struct ctx *c)
{
	struct cp_sbuf what = CP_SBUF_INIT;

	if (cp_store_setup_missing(&what, c->store))
		warning(_("%s in .git/config, so a plain 'git pull' does not merge cases: run 'complaint setup'"),
		     what.buf);
	cp_sbuf_release(&what);
}

const struct cp_tz *ctx_tz(const struct ctx *c)
{
	if (c->store)
		return cp_store_policy(c->store)->tz;
	return c->tz ? c->tz : cp_tz_utc();
}

int ctx_time(const struct ctx *c, const char *opt, const char *val, cp_time *out)
{
	if (cp_time_parse_at(out, ctx_tz(c), val, c->now) < 0)
		return lib_error("%s: %s", c->cmdname, opt);
	return 0;
}

int ctx_actor(struct ctx *c)
{
	return resolve_actor(c);
}

int ctx_signer(struct ctx *c, struct cp_store *s, const struct cp_policy *p,
	       const struct cp_org *o)
{
	char *key = cp_store_signing_key(s);
	int r = cp_signer_setup(&c->signer, p, o, c->actor, key);

	free(key);
	if (r < 0)
		return lib_error("%s", c->cmdname);
	if (c->signer.email) {
		free(c->email);
		c->email = cp_xstrdup(c->signer.email);
	}
	if (s)
		cp_store_set_signer(s, &c->signer);
	return 0;
}

int ctx_open(struct ctx *c)
{
	char *root = NULL;
	const char *dir = c->dir ? c->dir : getenv("COMPLAINT_DIR");
	const char *now = c->now_opt ? c->now_opt : getenv("COMPLAINT_NOW");
	int r;

	if (c->store)
		return 0;	/* opened (and locked, for a writer) already */
	if (dir && !*dir)
		dir = NULL;
	if (cp_store_discover(&root, dir) < 0)
		return lib_error("%s", c->cmdname);
	r = cp_store_open(&c->store, root);
	free(root);
	if (r < 0)
		return lib_error("%s", c->cmdname);
	cp_store_set_cache(c->store, !c->no_cache);
	if (now && *now) {
		if (cp_time_parse_at(&c->now, ctx_tz(c), now, (cp_time)time(NULL)) < 0)
			return lib_error("%s: --now", c->cmdname);
	} else {
		c->now = (cp_time)time(NULL);
	}
	if (c->flags & WRITES) {
		if ((r = resolve_actor(c)))
			return r;
		/* audit: a write's --now keeps to the clock, and is signed */
		if (now && *now &&
		    cp_audit_check_now(cp_store_policy(c->store), c->now, (cp_time)time(NULL)) < 0)
			return lib_error("%s", c->cmdname);
		if ((r = ctx_signer(c, c->store, cp_store_policy(c->store), cp_store_org(c->store))))
			return r;
		if (getenv("GIT_INDEX_FILE")) {
			cp_error(CP_EBUSY,
				 _("GIT_INDEX_FILE is set (running inside a git hook?); refusing to change the store from here"));
			return lib_error("%s", c->cmdname);
		}
		if (!(c->flags & OWN_LOCK) &&
		    cp_store_lock(c->store, c->lock_timeout_ms) < 0)
			return lib_error("%s", c->cmdname);
		warn_setup(c);
	}
	return 0;
}

int ctx_timeout(const struct ctx *c, const char *val, int *out)
{
	long v = 0;
	const char *p;

	if (!val)
		return 0;
	for (p = val; *p >= '0' && *p <= '9' && v <= 86400; p++)
		v = v * 10 + (*p - '0');
	if (p == val || *p || v < 1 || v > 86400)
		return usage_error(c, _("--timeout '%s' is not a whole number of seconds from 1 to 86400"),
				   val);
	*out = (int)v;
	return 0;
}

/* ---- output ---- */

void out_safe(struct cp_sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = cp_utf8_decode(&cp, s + i, n - i);
		if (!k) {
			cp_sbuf_addf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (cp == '\n' || cp == '\t')
			cp_sbuf_addch(sb, ' ');
		else if (cp < 0x20 || cp == 0x7f)
			cp_sbuf_addf(sb, "^%c", (int)(cp ^ 0x40));
		else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
			 (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			cp_sbuf_addf(sb, "<U+%04X>", (unsigned)cp);
		else
			cp_sbuf_add(sb, s + i, k);
		i += k;
	}
}

void out_cell(struct cp_sbuf *sb, const char *s, size_t cols, bool last)
{
	struct cp_sbuf t = CP_SBUF_INIT;
	size_t w, fit;

	out_safe(&t, s ? s : "");
	w = cp_utf8_width(t.buf, t.len);
	if (w > cols) {
		fit = cp_utf8_fit(t.buf, t.len, cols > 0 ? cols - 1 : 0);
		cp_sbuf_add(sb, t.buf, fit);
		cp_sbuf_adds(sb, "…");
		w = cp_utf8_width(t.buf, fit) + 1;
	} else {
		cp_sbuf_add(sb, t.buf, t.len);
	}
	if (!last)
		cp_sbuf_addchars(sb, ' ', cols - w);
	cp_sbuf_release(&t);
}

void out_label(struct cp_sbuf *sb, const char *s, size_t cols)
{
	size_t w = cp_utf8_width(s, strlen(s));

	cp_sbuf_adds(sb, s);
	cp_sbuf_addchars(sb, ' ', w < cols ? cols - w : 1);
}

void out_csv(struct cp_sbuf *sb, const char *s)
{
	cp_csv_field(sb, s);
}

void out_tsv(struct cp_sbuf *sb, const char *s)
{
	if (!s)
		return;
	/* TSV is for spreadsheets too: defuse formulas as CSV does */
	if (cp_csv_formula(s))
		cp_sbuf_addch(sb, '\'');
	for (; *s; s++) {
		switch (*s) {
		case '\t': cp_sbuf_adds(sb, "\\t"); break;
		case '\n': cp_sbuf_adds(sb, "\\n"); break;
		case '\r': cp_sbuf_adds(sb, "\\r"); break;
		case '\\': cp_sbuf_adds(sb, "\\\\"); break;
		default:
			/* other controls (ESC...) escaped: TSV lands in terminals */
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				cp_sbuf_addf(sb, "\\x%02x", (unsigned char)*s);
			else
				cp_sbuf_addch(sb, *s);
		}
	}
}

void out_time(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t)
{
	char buf[CP_TIME_BUF];

	if (t == CP_TIME_NONE) {
		cp_sbuf_adds(sb, "-");
		return;
	}
	/* 2026-11-22T14:05:00+08:00 -> 2026-11-22 14:05 +08:00 */
	cp_time_fmt(buf, z, t);
	cp_sbuf_addf(sb, "%.10s %.5s %s", buf, buf + 11, buf + 19);
}

void out_flush(struct cp_sbuf *sb)
{
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, stdout);
	cp_sbuf_reset(sb);
}
