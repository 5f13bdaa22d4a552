/*
 * log.c - the history of one case file, read from git.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "complaint/error.h"
#include "complaint/store.h"
#include "priv.h"
#include "complaint/i18n.h"

/* The blob id of path in commit c; false when the file is not there. */
static bool blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool found = false;

	if (git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		*out = *git_tree_entry_id(e);
		found = true;
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	git_error_clear();
	return found;
}

static int line_cb(const git_diff_delta *d, const git_diff_hunk *h,
		   const git_diff_line *l, void *payload)
{
	struct cp_sbuf *sb = payload;

	(void)d;
	(void)h;
	if (l->origin != GIT_DIFF_LINE_ADDITION && l->origin != GIT_DIFF_LINE_DELETION)
		return 0;
	cp_sbuf_addch(sb, l->origin);
	cp_sbuf_add(sb, l->content, l->content_len);
	if (!l->content_len || l->content[l->content_len - 1] != '\n')
		cp_sbuf_addch(sb, '\n');
	return 0;
}

static int diff_blobs(git_repository *repo, const git_oid *a, const git_oid *b,
		      struct cp_sbuf *out)
{
	git_blob *ba = NULL, *bb = NULL;
	git_diff_options o;
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	if (a && (rc = git_blob_lookup(&ba, repo, a)) < 0)
		return cp_git_error(rc, "cannot read a past version");
	if ((rc = git_blob_lookup(&bb, repo, b)) < 0) {
		git_blob_free(ba);
		return cp_git_error(rc, "cannot read a past version");
	}
	rc = git_diff_blobs(ba, NULL, bb, NULL, &o, NULL, NULL, NULL, line_cb, out);
	git_blob_free(ba);
	git_blob_free(bb);
	if (rc < 0)
		return cp_git_error(rc, "cannot compare versions");
	return 0;
}

/*
 * The commits of a shallow clone reachable from HEAD, children before
 * parents and newest first among those ready (git's topological order):
 * libgit2 knows nothing of the cut and fails on the parents git has not
 * fetched, so the walk is done here, each cut commit taken as a root.
 */
struct node {
	git_oid id;
	int64_t time;
	size_t children;	/* not yet given out */
	size_t *parents, np;
};

struct graph {
	struct node *v;
	size_t n, alloc;
	size_t *slot;		/* open addressing: index + 1, 0 free */
	size_t cap;
};

static size_t slot_of(const struct graph *g, const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (g->cap - 1);
}

static void graph_grow(struct graph *g)
{
	size_t i, cap = g->cap ? g->cap * 2 : 1024;

	free(g->slot);
	g->cap = cap;
	g->slot = cp_xcalloc(cap, sizeof(*g->slot));
	for (i = 0; i < g->n; i++) {
		size_t k = slot_of(g, &g->v[i].id);

		while (g->slot[k])
			k = (k + 1) & (cap - 1);
		g->slot[k] = i + 1;
	}
}

/* The node of id: its index; *added when it is new. */
static size_t graph_node(struct graph *g, const git_oid *id, bool *added)
{
	size_t k;

	*added = false;
	if ((g->n + 1) * 2 > g->cap)
		graph_grow(g);
	for (k = slot_of(g, id); g->slot[k]; k = (k + 1) & (g->cap - 1))
		if (git_oid_equal(&g->v[g->slot[k] - 1].id, id))
			return g->slot[k] - 1;
	ALLOC_GROW(g->v, g->n + 1, g->alloc);
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	g->v[g->n].id = *id;
	g->slot[k] = g->n + 1;
	*added = true;
	return g->n++;
}

static void graph_free(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->v[i].parents);
	free(g->v);
	free(g->slot);
}

/* A max-heap of node indexes by time. */
static void heap_push(size_t *h, size_t *n, const struct node *v, size_t x)
{
	size_t i = (*n)++;

	while (i && v[h[(i - 1) / 2]].time < v[x].time) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static size_t heap_pop(size_t *h, size_t *n, const struct node *v)
{
	size_t top = h[0], x = h[--*n], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && v[h[c + 1]].time > v[h[c]].time)
			c++;
		if (v[h[c]].time <= v[x].time)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

static int shallow_order(struct cp_store *s, const struct cp_shallow *sh,
			 const git_oid *head, git_oid **out, size_t *nout)
{
	struct graph g = { NULL, 0, 0, NULL, 0 };
	size_t *todo = NULL, ntodo = 0, atodo = 0, *heap, nheap = 0, i, k;
	bool added;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	graph_node(&g, head, &added);
	ALLOC_GROW(todo, 1, atodo);
	todo[ntodo++] = 0;
	while (ntodo) {
		size_t x = todo[--ntodo];
		git_commit *c = NULL;
		git_oid id = g.v[x].id;

		if ((rc = git_commit_lookup(&c, s->repo, &id)) < 0)
			goto out;
		g.v[x].time = (int64_t)git_commit_time(c);
		if (!cp_shallow_has(sh, &id)) {
			unsigned np = git_commit_parentcount(c);

			g.v[x].parents = cp_xcalloc(np + 1, sizeof(size_t));
			for (i = 0; i < np; i++) {
				size_t p = graph_node(&g, git_commit_parent_id(c, (unsigned)i), &added);

				g.v[x].parents[g.v[x].np++] = p;
				if (added) {
					ALLOC_GROW(todo, ntodo + 1, atodo);
					todo[ntodo++] = p;
				}
			}
		}
		git_commit_free(c);
	}
	for (i = 0; i < g.n; i++)
		for (k = 0; k < g.v[i].np; k++)
			g.v[g.v[i].parents[k]].children++;
	heap = cp_xmalloc(g.n * sizeof(*heap));
	*out = cp_xmalloc(g.n * sizeof(**out));
	heap_push(heap, &nheap, g.v, 0);
	while (nheap) {
		size_t x = heap_pop(heap, &nheap, g.v);

		(*out)[(*nout)++] = g.v[x].id;
		for (k = 0; k < g.v[x].np; k++)
			if (!--g.v[g.v[x].parents[k]].children)
				heap_push(heap, &nheap, g.v, g.v[x].parents[k]);
	}
	free(heap);
out:
	free(todo);
	graph_free(&g);
	return rc;
}

int cp_store_file_log(struct cp_store *s, const char *path, cp_log_cb cb,
		      void *data)
{
	git_revwalk *walk = NULL;
	git_oid oid, mine, theirs, *order = NULL;
	struct cp_shallow sh;
	struct cp_sbuf diff = CP_SBUF_INIT;
	size_t norder = 0, next = 0;
	bool created = false, cut = false;
	git_oid cut_at;
	int rc, r = 0;

	if ((r = cp_shallow_load(&sh, s->repo)) < 0)
		return r;
	if (sh.n) {
		git_reference *head = NULL;

		if ((rc = git_repository_head(&head, s->repo)) == 0)
			rc = shallow_order(s, &sh, git_reference_target(head), &order, &norder);
		git_reference_free(head);
		if (rc < 0) {
			cp_shallow_free(&sh);
			return cp_git_error(rc, "cannot read the store's history");
		}
	} else if ((rc = git_revwalk_new(&walk, s->repo)) < 0 ||
		   (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME)) < 0 ||
		   (rc = git_revwalk_push_head(walk)) < 0) {
		git_revwalk_free(walk);
		return cp_git_error(rc, "cannot read the store's history");
	}
	while (r >= 0) {
		git_commit *c = NULL;
		unsigned i, np;
		bool changed = true, have_parent_blob = false;
		git_oid parent_blob;
		struct cp_log_entry e;

		if (walk) {
			if ((rc = git_revwalk_next(&oid, walk)) != 0)
				break;
		} else {
			rc = GIT_ITEROVER;
			if (next >= norder)
				break;
			oid = order[next++];
		}
		if ((rc = git_commit_lookup(&c, s->repo, &oid)) < 0)
			break;
		if (!blob_at(c, path, &mine)) {
			git_commit_free(c);
			continue;
		}
		np = git_commit_parentcount(c);
		created = true;
		if (cp_shallow_has(&sh, &oid)) {
			/* its parents are not here: it need not have made the file */
			np = 0;
			created = false;
			cut = true;
			cut_at = oid;
		}
		for (i = 0; i < np; i++) {
			git_commit *p = NULL;

			if (git_commit_parent(&p, c, i) < 0)
				continue;
			if (blob_at(p, path, &theirs)) {
				created = false;
				if (!have_parent_blob) {
					parent_blob = theirs;
					have_parent_blob = true;
				}
				if (git_oid_equal(&theirs, &mine))
					changed = false;
			}
			git_commit_free(p);
		}
		if (changed) {
			cp_sbuf_reset(&diff);
			/* at the cut, what the file was before is not known: no diff */
			if (!cut || !git_oid_equal(&cut_at, &oid))
				r = diff_blobs(s->repo, have_parent_blob ? &parent_blob : NULL,
					       &mine, &diff);
			if (r >= 0) {
				const git_signature *a = git_commit_author(c);

				git_oid_tostr(e.commit, sizeof(e.commit), &oid);
				e.author = a->name;
				e.when = (cp_time)a->when.time;
				e.subject = git_commit_summary(c);
				e.message = git_commit_message(c);
				e.diff = diff.buf;
				r = cb(&e, data);
			}
		}
		git_commit_free(c);
		if (created)
			break;
	}
	if (rc < 0 && rc != GIT_ITEROVER && r >= 0)
		r = cp_git_error(rc, "cannot read the store's history");
	if (r >= 0 && cut && !created) {
		char why[512];

		cp_shallow_describe(why, sizeof(why), s->repo, cp_store_tz(s), &cut_at);
		cp_warn(_("%s: older changes are not shown: %s"), path, why);
	}
	git_revwalk_free(walk);
	free(order);
	cp_shallow_free(&sh);
	cp_sbuf_release(&diff);
	return r;
}
