/*
 * verify.c - `complaint verify`: history straight from git objects, oldest
 * commit first, each judged against its parent (SPEC section 12).
 *
 * Per commit: its signature (an SSH signature of the commit's bytes in
 * namespace "git", by a key the parent's roster gives the person its
 * Actor: trailer names; checked in the process, and by ssh-keygen before
 * anything is called bad), its time against its parents' and the server's
 * clock, what it changes (one case, or policy and roster by an admin of
 * the parent's roster) and each case it changes (verify_case.c).  Only
 * the trees that differ from the parent's are read, and a policy or
 * roster is parsed once per version, so a commit costs about what its
 * change costs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/error.h"
#include "complaint/lifecycle.h"
#include "complaint/sign.h"
#include "complaint/sshsig.h"
#include "priv.h"
#include "verify_priv.h"
#include "complaint/i18n.h"

/* ---- policies and rosters, parsed once per version ---- */

#define CACHE 8

struct parsed {
	git_oid id;
	bool used, bad;
	void *obj;	/* struct cp_policy * or struct cp_org * */
};

struct cache {
	struct parsed pol[CACHE], org[CACHE];
	size_t npol, norg;	/* the next slot to reuse */
};

static void cache_free(struct cache *c)
{
	size_t i;

	for (i = 0; i < CACHE; i++) {
		if (c->pol[i].used && c->pol[i].obj)
			cp_policy_free(c->pol[i].obj);
		if (c->org[i].used && c->org[i].obj)
			cp_org_free(c->org[i].obj);
	}
}

/*
 * The policy (is_org false) or roster of tree, or NULL when it is missing
 * or does not parse; *fresh set when this version was parsed now (and so
 * *err holds its error, if any).
 */
static void *config(struct verifier *v, struct cache *c, git_tree *tree, bool is_org,
		    bool *fresh)
{
	const char *name = is_org ? "org.yaml" : "policy.yaml";
	const git_tree_entry *te = tree ? git_tree_entry_byname(tree, name) : NULL;
	struct parsed *slots = is_org ? c->org : c->pol, *s;
	size_t *next = is_org ? &c->norg : &c->npol, i;
	git_blob *b = NULL;
	void *obj = NULL;
	int r;

	*fresh = false;
	if (!te)
		return NULL;
	for (i = 0; i < CACHE; i++)
		if (slots[i].used && git_oid_equal(&slots[i].id, git_tree_entry_id(te)))
			return slots[i].obj;
	s = &slots[*next];
	*next = (*next + 1) % CACHE;
	if (s->used && s->obj)
		is_org ? cp_org_free(s->obj) : cp_policy_free(s->obj);
	memset(s, 0, sizeof(*s));
	s->used = true;
	git_oid_cpy(&s->id, git_tree_entry_id(te));
	*fresh = true;
	if (git_blob_lookup(&b, v->repo, &s->id) < 0) {
		cp_error(CP_EDATA, "%s: %s", name, git_error_last()->message);
		git_error_clear();
		s->bad = true;
		return NULL;
	}
	if (is_org)
		r = cp_org_parse((struct cp_org **)&obj, name, git_blob_rawcontent(b),
				 (size_t)git_blob_rawsize(b));
	else
		r = cp_policy_parse((struct cp_policy **)&obj, name, git_blob_rawcontent(b),
				    (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	s->bad = r < 0;
	s->obj = r < 0 ? NULL : obj;
	return s->obj;
}

/* ---- the commit's signature ---- */

/*
 * Check the commit's signature against roster o: the name of the person
 * whose key made a good one into signer (NULL when unsigned, bad, or by
 * a key the roster does not know).  Returns whether it is signed at all.
 */
static bool signature(struct verifier *v, const git_oid *id, const struct cp_org *o,
		      const char *where, const char **signer)
{
	git_buf sig = { 0 }, data = { 0 };
	struct cp_sshsig s;
	struct cp_sbuf key = CP_SBUF_INIT, fp = CP_SBUF_INIT;
	const struct cp_person *who;
	int rc, good;

	git_oid oid;

	*signer = NULL;
	git_oid_cpy(&oid, id);
	rc = git_commit_extract_signature(&sig, &data, v->repo, &oid, NULL);
	git_error_clear();
	if (rc < 0)
		return false;
	if (cp_sshsig_parse(&s, sig.ptr, sig.size) < 0) {
		cp_verify_find(v, where, "carries a signature that is not an SSH signature (gpg.format=ssh); it cannot be checked against the roster's keys");
		goto out;
	}
	if (strcmp(s.ns, "git")) {
		cp_verify_find(v, where, "is signed for namespace \"%s\", not \"git\"", s.ns);
		goto out_sig;
	}
	good = cp_sshsig_check(&s, "git", data.ptr, data.size) == CP_SIG_GOOD;
	if (!good) {
		/* never call a signature bad unless OpenSSH agrees */
		rc = cp_ssh_keygen_check(sig.ptr, sig.size, "git", data.ptr, data.size);
		if (rc < 0) {
			cp_verify_find(v, where, "its signature cannot be checked: %s", cp_errmsg());
			goto out_sig;
		}
		good = rc == 1;
	}
	cp_sshkey_line(&key, s.pubkey, s.pubkey_len);
	cp_sshkey_fingerprint(&fp, s.pubkey, s.pubkey_len);
	if (!good) {
		cp_verify_find(v, where, "its signature (key %s) does not match its contents: the commit was changed after it was signed",
		      fp.buf);
		goto out_sig;
	}
	who = o ? cp_org_key_owner(o, key.buf) : NULL;
	if (!who) {
		cp_verify_find(v, where, "is signed by key %s, which the roster gives no one", fp.buf);
		goto out_sig;
	}
	*signer = who->name;
	if (*v->actor && strcmp(who->name, v->actor) &&
	    strcmp(who->name, cp_actor_person(v->actor)))
		cp_verify_find(v, where, "is signed by %s, but its Actor is %s", who->name, v->actor);
out_sig:
	cp_sshsig_release(&s);
out:
	cp_sbuf_release(&key);
	cp_sbuf_release(&fp);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return true;
}

/* ---- one commit ---- */

struct walk {
	struct verifier v;
	struct cache cache;
	struct cp_tz *tz;	/* the last policy's zone (the policies are freed), or NULL: UTC */
	bool seen_signed;
	size_t unsigned_n;
	char first_unsigned[GIT_OID_HEXSZ + 1], last_unsigned[GIT_OID_HEXSZ + 1];
};

/* The value of trailer key in msg (into buf), "" when absent. */
static const char *trailer(const char *msg, const char *key, char *buf, size_t size)
{
	size_t k = strlen(key);
	const char *p = msg, *e;

	buf[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, key, k) && p[k] == ':' && p[k + 1] == ' ') {
			p += k + 2;
			e = strchr(p, '\n');
			snprintf(buf, size, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return buf;
}

static void admins(const struct cp_org *o, struct cp_sbuf *out)
{
	size_t i;

	for (i = 0; i < o->nadmins; i++)
		cp_sbuf_addf(out, "%s%s", i ? ", " : "", o->admins[i]);
}

static void config_change(struct verifier *v, const char *name, const struct cp_org *po,
			  const char *signer)
{
	struct cp_sbuf a = CP_SBUF_INIT;

	if (!po || !po->nadmins || (signer && cp_org_is_admin(po, signer)))
		return;
	admins(po, &a);
	if (signer)
		cp_verify_find(v, name, "changed by %s, who is not an admin of the roster (admins: %s)",
		      signer, a.buf);
	else
		cp_verify_find(v, name, "changed without the signature of an admin of the roster (admins: %s)",
		      a.buf);
	cp_sbuf_release(&a);
}

static void verify_commit(struct walk *w, git_commit *c)
{
	struct verifier *v = &w->v;
	size_t np = git_commit_parentcount(c), i, k, ncases = 0, nadded = 0;
	git_commit **parents = cp_xcalloc(np + 1, sizeof(*parents));
	git_tree **ptrees = cp_xcalloc(np + 1, sizeof(*ptrees)), *tree = NULL;
	const git_oid **before = cp_xcalloc(np + 1, sizeof(*before));
	git_oid *slots = cp_xcalloc(np + 1, sizeof(*slots)), now_slot;
	const struct cp_policy *p, *pp;
	const struct cp_org *o, *po;
	const struct cp_tz *zone;
	struct paths paths = { 0 };
	char action[64], actor[256], id[CP_ID_MAX + 16], t1[CP_TIME_BUF], t2[CP_TIME_BUF];
	const char *signer, *where;
	bool fresh, signed_, pol_changed = false, org_changed = false;
	cp_time latest = CP_TIME_NONE;
	int64_t tol;

	git_oid_tostr(v->hex, sizeof(v->hex), git_commit_id(c));
	v->action = trailer(git_commit_message(c), "Action", action, sizeof(action));
	v->actor = trailer(git_commit_message(c), "Actor", actor, sizeof(actor));
	v->when = (cp_time)git_commit_time(c);
	v->st->commits++;
	git_commit_tree(&tree, c);
	for (i = 0; i < np; i++) {
		if (git_commit_parent(&parents[i], c, (unsigned)i) == 0)
			git_commit_tree(&ptrees[i], parents[i]);
		if (parents[i] && (latest == CP_TIME_NONE ||
				   (cp_time)git_commit_time(parents[i]) > latest))
			latest = (cp_time)git_commit_time(parents[i]);
	}
	git_error_clear();
	p = config(v, &w->cache, tree, false, &fresh);
	if (fresh && !p)
		cp_verify_find(v, "policy.yaml", "%s", cp_errmsg());
	o = config(v, &w->cache, tree, true, &fresh);
	if (fresh && !o)
		cp_verify_find(v, "org.yaml", "%s", cp_errmsg());
	cp_error_clear();
	pp = np ? config(v, &w->cache, ptrees[0], false, &fresh) : p;
	po = np ? config(v, &w->cache, ptrees[0], true, &fresh) : o;
	trailer(git_commit_message(c), "Complaint-Id", id, sizeof(id));
	where = *id ? id : NULL;

	/* what it changes */
	for (k = 0; k < (np ? np : 1); k++)
		cp_verify_diff_cases(&paths, v, np ? ptrees[k] : NULL, tree);
	for (k = 0; k < (np ? np : 1); k++) {
		bool pc = cp_verify_entry_differs(np ? ptrees[k] : NULL, tree, "policy.yaml");
		bool oc = cp_verify_entry_differs(np ? ptrees[k] : NULL, tree, "org.yaml");

		/* a merge changes them only when it differs from every side */
		pol_changed = k ? pol_changed && pc : pc;
		org_changed = k ? org_changed && oc : oc;
	}
	if (pol_changed && !git_tree_entry_byname(tree, "policy.yaml"))
		cp_verify_find(v, "policy.yaml", "the commit removes it");
	if (org_changed && !git_tree_entry_byname(tree, "org.yaml"))
		cp_verify_find(v, "org.yaml", "the commit removes it");
	if (!where && paths.n == 1)
		where = cp_verify_case_id(id, sizeof(id), paths.v[0]);
	if (!where)
		where = pol_changed ? "policy.yaml" : org_changed ? "org.yaml" : NULL;

	/* who signed it */
	signed_ = signature(v, git_commit_id(c), np ? po : o, where, &signer);
	if (signed_) {
		if (!w->seen_signed && w->unsigned_n) {
			struct cp_verify_finding f = { w->first_unsigned, "-", NULL, true };
			struct cp_sbuf m = CP_SBUF_INIT;

			cp_sbuf_addf(&m, "%zu commit%s before the first signed one (%s) %s not signed, from %s to %s: who made %s is not proven",
				  w->unsigned_n, w->unsigned_n == 1 ? "" : "s", v->hex,
				  w->unsigned_n == 1 ? "is" : "are", w->first_unsigned,
				  w->last_unsigned, w->unsigned_n == 1 ? "it" : "them");
			f.problem = m.buf;
			v->st->notes++;
			v->cb(&f, v->data);
			cp_sbuf_release(&m);
			w->unsigned_n = 0;
		}
		w->seen_signed = true;
	} else if (pp && pp->audit.signatures == CP_SIG_REQUIRED) {
		cp_verify_find(v, where, "is not signed, and the policy requires signatures");
	} else if (!w->seen_signed) {
		if (!w->unsigned_n++)
			memcpy(w->first_unsigned, v->hex, sizeof(v->hex));
		memcpy(w->last_unsigned, v->hex, sizeof(v->hex));
	}

	/* when */
	tol = pp ? pp->audit.clock_tolerance : 600;
	if (p && (!w->tz || strcmp(cp_tz_name(w->tz), p->timezone))) {
		struct cp_tz *z;

		if (cp_tz_load(&z, p->timezone) == 0) {
			cp_tz_free(w->tz);
			w->tz = z;
		} else {
			cp_error_clear();	/* it parsed with this zone: not seen */
		}
	}
	zone = v->tz = w->tz ? w->tz : cp_tz_utc();
	if (latest != CP_TIME_NONE && v->when < latest - tol) {
		cp_time_fmt(t1, zone, v->when);
		cp_time_fmt(t2, zone, latest);
		cp_verify_find(v, where, "is dated %s, before its parent (%s) by more than the clock tolerance",
		      t1, t2);
	}
	if (v->o->clock != CP_TIME_NONE && v->when > v->o->clock + tol) {
		cp_time_fmt(t1, zone, v->when);
		cp_time_fmt(t2, zone, v->o->clock);
		cp_verify_find(v, where, "is dated %s, ahead of the server's clock (%s) by more than the clock tolerance",
		      t1, t2);
	}

	/* what it may change, and who may change policy and roster */
	if (np != 1) {
		if (np > 1 && pol_changed)
			cp_verify_find(v, "policy.yaml", "the merge changes it beyond what either side holds");
		if (np > 1 && org_changed)
			cp_verify_find(v, "org.yaml", "the merge changes it beyond what either side holds");
		if (!np && o && o->nadmins && !(signer && cp_org_is_admin(o, signer)) && signed_)
			config_change(v, "policy.yaml", o, signer);
	} else {
		for (i = 0; i < paths.n; i++) {
			ncases++;
			nadded += git_oid_is_zero(&paths.old[i]);
		}
		if (ncases && (pol_changed || org_changed))
			cp_verify_find(v, where, "changes a case and %s in one commit",
			      pol_changed ? "policy.yaml" : "org.yaml");
		else if (ncases > 1 && !(!strcmp(v->action, "import") && nadded == ncases))
			cp_verify_find(v, where, "changes %zu cases in one commit (one change, one commit)",
			      ncases);
		if (pol_changed)
			config_change(v, "policy.yaml", po, signer);
		if (org_changed)
			config_change(v, "org.yaml", po, signer);
	}

	/* each case it changes */
	for (i = 0; i < paths.n; i++) {
		const git_oid *now;

		if (np == 1) {
			/* the diff against the only parent has them */
			before[0] = git_oid_is_zero(&paths.old[i]) ? NULL : &paths.old[i];
			now = git_oid_is_zero(&paths.new[i]) ? NULL : &paths.new[i];
		} else {
			for (k = 0; k < np; k++)
				before[k] = cp_verify_blob_at(&slots[k], ptrees[k], paths.v[i]);
			now = cp_verify_blob_at(&now_slot, tree, paths.v[i]);
		}
		cp_verify_case(v, paths.v[i], now, before, np, p, pp, po);
	}

	cp_verify_paths_free(&paths);
	for (i = 0; i < np; i++) {
		git_tree_free(ptrees[i]);
		git_commit_free(parents[i]);
	}
	git_tree_free(tree);
	free(parents);
	free(ptrees);
	free(before);
	free(slots);
}

/* ---- the walk ---- */

static int open_repo(git_repository **repo, const char *path, bool from_env)
{
	int rc;

	if (from_env)
		rc = git_repository_open_ext(repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		rc = git_repository_open_ext(repo, path, 0, NULL);
	return rc < 0 ? cp_git_error(rc, "cannot open the repository") : 0;
}

static int push_rev(git_repository *repo, git_revwalk *walk, const char *rev, bool hide)
{
	git_revspec spec;
	int rc;

	if ((rc = git_revparse(&spec, repo, rev)) < 0)
		return cp_git_error(rc, rev);
	if (spec.flags & GIT_REVSPEC_RANGE) {
		if (spec.from && !hide)
			rc = git_revwalk_hide(walk, git_object_id(spec.from));
		if (rc == 0 && spec.to)
			rc = hide ? git_revwalk_hide(walk, git_object_id(spec.to))
				  : git_revwalk_push(walk, git_object_id(spec.to));
	} else {
		rc = hide ? git_revwalk_hide(walk, git_object_id(spec.from))
			  : git_revwalk_push(walk, git_object_id(spec.from));
	}
	git_object_free(spec.from);
	git_object_free(spec.to);
	return rc < 0 ? cp_git_error(rc, rev) : 0;
}

int cp_verify(struct cp_verify_stats *st, const char *path, const struct cp_verify_opts *o, cp_verify_cb cb,
	      void *data)
{
	static const char *const head[] = { "HEAD" };
	struct walk *w = cp_xcalloc(1, sizeof(*w));
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	size_t i;
	int rc, r = 0;

	memset(st, 0, sizeof(*st));
	w->v.o = o;
	w->v.cb = cb;
	w->v.data = data;
	w->v.st = st;
	cp_sbuf_init(&w->v.line);
	cp_git_init();
	/*
	 * Objects are read as git reads them, without hashing each again
	 * (a fifth of the time): that the store holds what the ids name is
	 * git fsck's to check (complaint-verify(1)).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if ((r = open_repo(&w->v.repo, path, o->from_env)) < 0)
		goto out;
	if (!o->nrevs && git_repository_head_unborn(w->v.repo) == 1)
		goto out;	/* nothing yet */
	if ((rc = git_revwalk_new(&walk, w->v.repo)) < 0) {
		r = cp_git_error(rc, "cannot walk the history");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < (o->nrevs ? o->nrevs : 1) && r == 0; i++)
		r = push_rev(w->v.repo, walk, o->nrevs ? o->revs[i] : head[0], false);
	for (i = 0; i < o->nhide && r == 0; i++)
		r = push_rev(w->v.repo, walk, o->hide[i], true);
	if (r == 0 && o->hide_refs && (rc = git_revwalk_hide_glob(walk, "refs/*")) < 0)
		r = cp_git_error(rc, "cannot read the refs");
	while (r == 0 && (rc = git_revwalk_next(&id, walk)) == 0) {
		if ((rc = git_commit_lookup(&c, w->v.repo, &id)) < 0) {
			r = cp_git_error(rc, "cannot read a commit");
			break;
		}
		verify_commit(w, c);
		git_commit_free(c);
	}
	if (r == 0 && rc != GIT_ITEROVER)
		r = cp_git_error(rc, "cannot walk the history");
	if (r == 0 && w->unsigned_n) {
		struct cp_verify_finding f = { w->first_unsigned, "-", NULL, true };
		struct cp_sbuf m = CP_SBUF_INIT;

		cp_sbuf_addf(&m, "%s %zu commit%s %s not signed, from %s to %s: who made %s is not proven",
			  w->unsigned_n == st->commits ? "all" : "the last", w->unsigned_n,
			  w->unsigned_n == 1 ? "" : "s", w->unsigned_n == 1 ? "is" : "are",
			  w->first_unsigned, w->last_unsigned, w->unsigned_n == 1 ? "it" : "them");
		f.problem = m.buf;
		st->notes++;
		cb(&f, data);
		cp_sbuf_release(&m);
	}
out:
	git_revwalk_free(walk);
	cache_free(&w->cache);
	cp_tz_free(w->tz);
	git_repository_free(w->v.repo);
	cp_sbuf_release(&w->v.line);
	free(w);
	cp_git_shutdown();
	return r;
}

/* ---- for the hook and for git ---- */

void cp_verify_allowed_signers(struct cp_sbuf *out, const struct cp_org *o)
{
	size_t i, k;

	for (i = 0; i < o->npeople; i++) {
		const struct cp_person *p = &o->people[i];
		const char *who = p->email ? p->email : p->name;

		if (strpbrk(who, " \t,\""))
			continue;	/* not a principal ssh-keygen can read */
		for (k = 0; k < p->nkeys; k++)
			cp_sbuf_addf(out, "%s namespaces=\"git\" %s\n", who, p->keys[k]);
	}
}

int cp_verify_is_ancestor(const char *ancestor, const char *descendant)
{
	git_repository *repo = NULL;
	git_oid a, d;
	int r;

	cp_git_init();
	if ((r = open_repo(&repo, NULL, true)) == 0) {
		if (git_oid_fromstr(&a, ancestor) < 0 || git_oid_fromstr(&d, descendant) < 0)
			r = cp_error(CP_EUSAGE, _("not a commit id: %s or %s"), ancestor, descendant);
		else if (git_oid_equal(&a, &d))
			r = 1;
		else if ((r = git_graph_descendant_of(repo, &d, &a)) < 0)
			r = cp_git_error(r, "cannot compare the commits");
	}
	git_repository_free(repo);
	cp_git_shutdown();
	return r;
}

int cp_verify_head_branch(struct cp_sbuf *out)
{
	git_repository *repo = NULL;
	git_reference *head = NULL;
	const char *t;
	int r;

	cp_git_init();
	if ((r = open_repo(&repo, NULL, true)) == 0) {
		if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
		    (t = git_reference_symbolic_target(head)))
			cp_sbuf_adds(out, t);
		git_error_clear();
	}
	git_reference_free(head);
	git_repository_free(repo);
	cp_git_shutdown();
	return r;
}
