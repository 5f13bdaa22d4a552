/*
 * verify_gen.c - a signed history of N commits for timing `complaint
 * verify`: bench/verify_gen DIR N POLICY
 *
 * DIR becomes a bare repository whose main branch is N commits: `init`
 * (policy with `audit: {signatures: required}`, a roster of four people
 * with keys, 陈总 its admin), then one commit per change, as the tool
 * makes them: a case received, or the next step of an open one (assign,
 * notify, onsite, plan, approvals, resolve, callback, close, notes), by
 * the person the step needs, every step walked through the library's
 * lifecycle, ten minutes apart (about 23 months for 100,000 commits,
 * some 400 cases a month).  Every commit carries an SSH signature of its
 * bytes (PROTOCOL.sshsig, namespace "git", Ed25519) by the actor's key.
 *
 * The keys are made here and the signatures are made here with libcrypto
 * (ssh-keygen would cost an exec per commit, 100,000 in a row); `complaint
 * verify` checks them the way it checks ssh-keygen's, and the first run
 * of verify over the result is expected to report nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <openssl/evp.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/intake.h"
#include "complaint/lifecycle.h"
#include "complaint/policy.h"

static unsigned long long rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void die(const char *what)
{
	const git_error *e = git_error_last();

	fprintf(stderr, "verify_gen: %s: %s\n", what, e && e->message ? e->message : cp_errmsg());
	exit(1);
}

/* ---- keys and signatures ---- */

struct person {
	const char *name, *email;
	EVP_PKEY *key;
	struct cp_sbuf blob, line;	/* the public key's wire form, "ssh-ed25519 BASE64" */
};

static void put_str(struct cp_sbuf *sb, const void *s, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
				 (unsigned char)(n >> 8), (unsigned char)n };

	cp_sbuf_add(sb, len, 4);
	cp_sbuf_add(sb, s, n);
}

static void b64(const struct cp_sbuf *in, struct cp_sbuf *out)
{
	size_t n = 4 * ((in->len + 2) / 3) + 1;

	cp_sbuf_grow(out, n);
	EVP_EncodeBlock((unsigned char *)out->buf + out->len, (const unsigned char *)in->buf,
			(int)in->len);
	cp_sbuf_setlen(out, out->len + n - 1);
}

static void make_key(struct person *p)
{
	unsigned char pub[32];
	size_t n = sizeof(pub);

	if (!(p->key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) ||
	    EVP_PKEY_get_raw_public_key(p->key, pub, &n) != 1)
		die("keygen");
	cp_sbuf_init(&p->blob);
	cp_sbuf_init(&p->line);
	put_str(&p->blob, "ssh-ed25519", 11);
	put_str(&p->blob, pub, n);
	cp_sbuf_adds(&p->line, "ssh-ed25519 ");
	b64(&p->blob, &p->line);
}

static void sign(const struct person *p, const char *msg, size_t len, struct cp_sbuf *armored)
{
	unsigned char h[64], sig[64];
	unsigned int hl = 0;
	size_t sl = sizeof(sig), i;
	struct cp_sbuf tosign = CP_SBUF_INIT, sigblob = CP_SBUF_INIT, blob = CP_SBUF_INIT, text = CP_SBUF_INIT;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	EVP_Digest(msg, len, h, &hl, EVP_sha512(), NULL);
	cp_sbuf_add(&tosign, "SSHSIG", 6);
	put_str(&tosign, "git", 3);
	put_str(&tosign, "", 0);
	put_str(&tosign, "sha512", 6);
	put_str(&tosign, h, hl);
	if (!md || EVP_DigestSignInit(md, NULL, NULL, NULL, p->key) != 1 ||
	    EVP_DigestSign(md, sig, &sl, (const unsigned char *)tosign.buf, tosign.len) != 1)
		die("sign");
	EVP_MD_CTX_free(md);
	put_str(&sigblob, "ssh-ed25519", 11);
	put_str(&sigblob, sig, sl);
	cp_sbuf_add(&blob, "SSHSIG", 6);
	cp_sbuf_add(&blob, "\0\0\0\1", 4);
	put_str(&blob, p->blob.buf, p->blob.len);
	put_str(&blob, "git", 3);
	put_str(&blob, "", 0);
	put_str(&blob, "sha512", 6);
	put_str(&blob, sigblob.buf, sigblob.len);
	b64(&blob, &text);
	cp_sbuf_reset(armored);
	cp_sbuf_adds(armored, "-----BEGIN SSH SIGNATURE-----\n");
	for (i = 0; i < text.len; i += 70) {
		cp_sbuf_add(armored, text.buf + i, text.len - i < 70 ? text.len - i : 70);
		cp_sbuf_addch(armored, '\n');
	}
	cp_sbuf_adds(armored, "-----END SSH SIGNATURE-----");
	cp_sbuf_release(&tosign);
	cp_sbuf_release(&sigblob);
	cp_sbuf_release(&blob);
	cp_sbuf_release(&text);
}

/* ---- commits ---- */

static git_repository *repo;
static git_oid head;
static bool has_head;

static void commit(const struct person *by, const char *action, const char *id,
		   const char *summary, cp_time when, const char *const *paths,
		   const struct cp_sbuf *const *data, size_t n)
{
	git_tree_update upd[2];
	git_oid blobs[2], tree_oid, out;
	git_tree *base = NULL, *tree = NULL;
	git_commit *parent = NULL;
	git_signature *sig = NULL;
	git_buf buf = { 0 };
	struct cp_sbuf msg = CP_SBUF_INIT, armored = CP_SBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (git_blob_create_from_buffer(&blobs[i], repo, data[i]->buf, data[i]->len) < 0)
			die("blob");
		memset(&upd[i], 0, sizeof(upd[i]));
		upd[i].action = GIT_TREE_UPDATE_UPSERT;
		upd[i].id = blobs[i];
		upd[i].filemode = GIT_FILEMODE_BLOB;
		upd[i].path = paths[i];
	}
	if (has_head) {
		if (git_commit_lookup(&parent, repo, &head) < 0 || git_commit_tree(&base, parent) < 0)
			die("parent");
	}
	if (has_head) {
		if (git_tree_create_updated(&tree_oid, repo, base, n, upd) < 0)
			die("tree");
	} else {
		git_treebuilder *tb = NULL;
		git_oid sub;
		/* the root commit: policy.yaml and org.yaml at the top */
		if (git_treebuilder_new(&tb, repo, NULL) < 0)
			die("treebuilder");
		for (i = 0; i < n; i++)
			if (git_treebuilder_insert(NULL, tb, paths[i], &blobs[i],
						   GIT_FILEMODE_BLOB) < 0)
				die("insert");
		if (git_treebuilder_write(&sub, tb) < 0)
			die("tree");
		tree_oid = sub;
		git_treebuilder_free(tb);
	}
	if (git_tree_lookup(&tree, repo, &tree_oid) < 0 ||
	    git_signature_new(&sig, by->name, by->email, (git_time_t)when, 480) < 0)
		die("tree");
	cp_sbuf_addf(&msg, "%s%s%s: %s\n\n", action, id ? " " : "", id ? id : "", summary);
	if (id)
		cp_sbuf_addf(&msg, "Complaint-Id: %s\n", id);
	cp_sbuf_addf(&msg, "Action: %s\nActor: %s\n", action, by->name);
	if (git_commit_create_buffer(&buf, repo, sig, sig, NULL, msg.buf, tree, has_head ? 1 : 0,
				     (const git_commit **)(has_head ? &parent : NULL)) < 0)
		die("commit");
	sign(by, buf.ptr, buf.size, &armored);
	if (git_commit_create_with_signature(&out, repo, buf.ptr, armored.buf, "gpgsig") < 0)
		die("signed commit");
	head = out;
	has_head = true;
	git_buf_dispose(&buf);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	cp_sbuf_release(&msg);
	cp_sbuf_release(&armored);
}

/* ---- the work ---- */

enum { CLERK, HEAD, LEADER, DIRECTOR, NPEOPLE };

static struct person people[NPEOPLE] = {
	{ "赵六", "zhaoliu@example.com", NULL, CP_SBUF_INIT, CP_SBUF_INIT },
	{ "李四", "lisi@example.com", NULL, CP_SBUF_INIT, CP_SBUF_INIT },
	{ "王五", "wangwu@example.com", NULL, CP_SBUF_INIT, CP_SBUF_INIT },
	{ "陈总", "chen@example.com", NULL, CP_SBUF_INIT, CP_SBUF_INIT },
};

static const char *const summaries[] = {
	"上菜延迟一小时，客人多次催促无人理会",
	"Room not cleaned on arrival; towels missing and the shower drain blocked",
	"酒的口感与宣传不符，要求退货退款",
	"Invoice amount differs from the quoted price by 300 yuan",
	"快递送达时外包装破损，两瓶酒碎裂",
};

struct open_case {
	struct cp_case *c;
	unsigned step;
};

static const struct person *by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NPEOPLE; i++)
		if (!strcmp(people[i].name, name))
			return &people[i];
	return &people[CLERK];
}

int main(int argc, char **argv)
{
	static const enum cp_evt order[] = { EV_ASSIGN, EV_NOTIFY, EV_ONSITE, EV_PLAN,
		EV_APPROVE, EV_APPROVE, EV_RESOLVE, EV_CALLBACK, EV_CLOSE };
	struct cp_sbuf pol = CP_SBUF_INIT, org = CP_SBUF_INIT, file = CP_SBUF_INIT, path = CP_SBUF_INIT;
	struct open_case open[64];
	size_t nopen = 0, i;
	struct cp_policy *p;
	struct cp_org *o;
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	long n, made = 0;
	cp_time t = 1730390400;	/* 2024-11-01 */
	FILE *f;
	char buf[65536];
	size_t got;

	if (argc != 4) {
		fprintf(stderr, "usage: verify_gen DIR N POLICY\n");
		return 2;
	}
	n = atol(argv[2]);
	if (!(f = fopen(argv[3], "r")))
		die(argv[3]);
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		cp_sbuf_add(&pol, buf, got);
	fclose(f);
	cp_sbuf_adds(&pol, "audit: {signatures: required}\n");
	for (i = 0; i < NPEOPLE; i++)
		make_key(&people[i]);
	cp_sbuf_adds(&org, "directors: [陈总]\ndepartments:\n"
			"  - {name: 餐饮部, head: 李四, leader: 王五}\n"
			"  - {name: 客房部, head: 李四, leader: 王五}\npeople:\n");
	for (i = 0; i < NPEOPLE; i++)
		cp_sbuf_addf(&org, "  - {name: %s, email: %s, keys: [\"%s\"]}\n", people[i].name,
			  people[i].email, people[i].line.buf);
	cp_sbuf_adds(&org, "admins: [陈总]\n");
	if (cp_policy_parse(&p, "policy.yaml", pol.buf, pol.len) < 0 ||
	    cp_org_parse(&o, "org.yaml", org.buf, org.len) < 0)
		die("policy");
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	if (git_repository_init(&repo, argv[1], 1) < 0 || git_repository_odb(&odb, repo) < 0 ||
	    git_mempack_new(&mem) < 0 || git_odb_add_backend(odb, mem, 1000) < 0)
		die(argv[1]);
	{
		const char *paths[] = { "policy.yaml", "org.yaml" };
		const struct cp_sbuf *data[] = { &pol, &org };

		commit(&people[DIRECTOR], "init", NULL, "policy", t, paths, data, 2);
		made++;
	}
	while (made < n) {
		struct cp_event ev;
		struct open_case *oc;
		const struct cp_level *l;
		const char *action;
		const char *paths[1];
		const struct cp_sbuf *data[] = { &file };

		t += 600;
		if (nopen < 64 && (nopen < 16 || rnd(4) == 0)) {
			struct cp_new_req req;
			char amount[32];

			memset(&req, 0, sizeof(req));
			req.customer = rnd(2) ? "王先生" : "Ms. Li";
			req.channel = p->channels[rnd((unsigned)p->nchannels)];
			req.category = p->categories[rnd((unsigned)p->ncategories)];
			req.summary = summaries[rnd(sizeof(summaries) / sizeof(*summaries))];
			snprintf(amount, sizeof(amount), "%u.%02u",
				 rnd(10) < 7 ? rnd(1000) : rnd(60000), rnd(100));
			req.amount = amount;
			oc = &open[nopen++];
			if (cp_case_create(&oc->c, p, &req, people[CLERK].name, t) < 0 ||
			    cp_id_generate(oc->c->id, p->tz, t) < 0)
				die("new");
			oc->step = 0;
			action = "new";
		} else {
			oc = &open[rnd((unsigned)nopen)];
			l = &p->levels[oc->c->d.level];
			memset(&ev, 0, sizeof(ev));
			ev.compensation = CP_MONEY_NONE;
			ev.points = CP_NONE;
			ev.satisfied = -1;
			ev.at = t;
			ev.by = (char *)people[CLERK].name;
			if (rnd(5) == 0) {
				ev.action = EV_NOTE;
				ev.text = "已致电客户说明处理进度";
			} else {
				while (oc->step < 9 &&
				       ((order[oc->step] == EV_PLAN && !l->needs_plan) ||
					(order[oc->step] == EV_APPROVE &&
					 oc->c->d.napproved >= l->napprovals)))
					oc->step++;
				if (oc->step >= 9) {
					cp_case_free(oc->c);
					*oc = open[--nopen];
					t -= 600;
					continue;
				}
				ev.action = order[oc->step++];
			}
			switch (ev.action) {
			case EV_ASSIGN:
				ev.department = rnd(2) ? "餐饮部" : "客房部";
				ev.responsible = "张三";
				break;
			case EV_NOTIFY:
			case EV_ONSITE:
				ev.by = (char *)people[HEAD].name;
				break;
			case EV_PLAN:
				ev.text = "致歉并赔偿，安排专人跟进";
				ev.by = (char *)people[HEAD].name;
				break;
			case EV_APPROVE:
				ev.by = (char *)people[l->approvals[oc->c->d.napproved] == ROLE_DIRECTOR
							       ? DIRECTOR : LEADER].name;
				break;
			case EV_RESOLVE:
				ev.text = "已与客户沟通并完成赔偿";
				ev.cause = "人手不足";
				break;
			case EV_CALLBACK:
				ev.satisfied = rnd(5) != 0;
				break;
			default:
				break;
			}
			if (cp_lifecycle_apply(oc->c, p, o, &ev, t) < 0) {
				fprintf(stderr, "verify_gen: %s %s: %s\n", oc->c->id,
					cp_evt_name(ev.action), cp_errmsg());
				return 1;
			}
			action = cp_evt_name(ev.action);
		}
		cp_sbuf_reset(&file);
		cp_sbuf_reset(&path);
		cp_case_format(&file, oc->c, p);
		cp_case_path(&path, oc->c->id, p->tz, oc->c->received);
		paths[0] = path.buf;
		commit(by_name(oc->c->events[oc->c->nevents - 1].by), action, oc->c->id,
		       oc->c->summary, t, paths, data, 1);
		made++;
	}
	/* the objects, held in memory, written as one pack */
	{
		git_buf pack = { 0 };
		git_odb_writepack *wp = NULL;
		git_indexer_progress prog;

		memset(&prog, 0, sizeof(prog));
		if (git_mempack_dump(&pack, repo, mem) < 0 ||
		    git_odb_write_pack(&wp, odb, NULL, NULL) < 0 ||
		    wp->append(wp, pack.ptr, pack.size, &prog) < 0 || wp->commit(wp, &prog) < 0)
			die("pack");
		wp->free(wp);
		git_buf_dispose(&pack);
		git_mempack_reset(mem);
	}
	if (git_reference_create(NULL, repo, "refs/heads/main", &head, 1, NULL) < 0 ||
	    git_repository_set_head(repo, "refs/heads/main") < 0)
		die("main");
	for (i = 0; i < nopen; i++)
		cp_case_free(open[i].c);
	printf("%ld commits in %s, the last dated %lld\n", made, argv[1], (long long)t);
	git_odb_free(odb);
	git_repository_free(repo);
	return 0;
}
