/*
 * verify_tree.c - which case files a commit changes: the trees of a
 * commit and its parent compared entry by entry in git's order, only
 * where their ids differ, so a commit costs what its change costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_priv.h"

static void add_path(struct paths *p, const char *dir, const git_tree_entry *a,
		     const git_tree_entry *b)
{
	const char *name = git_tree_entry_name(a ? a : b);
	size_t i;
	char *full = cp_xmalloc(strlen(dir) + strlen(name) + 2);

	sprintf(full, "%s/%s", dir, name);
	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i], full)) {
			free(full);
			return;
		}
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	ALLOC_GROW(p->old, p->n + 1, p->aold);
	ALLOC_GROW(p->new, p->n + 1, p->anew);
	memset(&p->old[p->n], 0, sizeof(git_oid));
	memset(&p->new[p->n], 0, sizeof(git_oid));
	if (a && git_tree_entry_type(a) == GIT_OBJECT_BLOB)
		git_oid_cpy(&p->old[p->n], git_tree_entry_id(a));
	if (b && git_tree_entry_type(b) == GIT_OBJECT_BLOB)
		git_oid_cpy(&p->new[p->n], git_tree_entry_id(b));
	p->v[p->n++] = full;
}

/* git's order of tree entries: a tree's name compares as if it ended in '/'. */
static int ent_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const unsigned char *na = (const unsigned char *)git_tree_entry_name(a);
	const unsigned char *nb = (const unsigned char *)git_tree_entry_name(b);
	int ca, cb;

	while (*na && *na == *nb)
		na++, nb++;
	ca = *na ? *na : git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cb = *nb ? *nb : git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return ca - cb;
}

static void diff_dir(struct verifier *v, git_tree *a, git_tree *b, const char *dir,
		     struct paths *out);

/* One entry of a side, the other side lacking it or holding something else. */
static void diff_entry(struct verifier *v, const git_tree_entry *a, const git_tree_entry *b,
		       const char *dir, struct paths *out)
{
	const git_tree_entry *e = a ? a : b;
	git_tree *ta = NULL, *tb = NULL;
	char *sub;

	if (a && b && git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)))
		return;
	if (a && b && git_tree_entry_type(a) != git_tree_entry_type(b)) {
		diff_entry(v, a, NULL, dir, out);
		diff_entry(v, NULL, b, dir, out);
		return;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		add_path(out, dir, a, b);
		return;
	}
	sub = cp_xmalloc(strlen(dir) + strlen(git_tree_entry_name(e)) + 2);
	sprintf(sub, "%s/%s", dir, git_tree_entry_name(e));
	if ((!a || git_tree_lookup(&ta, v->repo, git_tree_entry_id(a)) == 0) &&
	    (!b || git_tree_lookup(&tb, v->repo, git_tree_entry_id(b)) == 0))
		diff_dir(v, ta, tb, sub, out);
	git_error_clear();
	git_tree_free(ta);
	git_tree_free(tb);
	free(sub);
}

static void diff_dir(struct verifier *v, git_tree *a, git_tree *b, const char *dir,
		     struct paths *out)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0,
	       nb = b ? git_tree_entrycount(b) : 0;
	const git_tree_entry *ea, *eb;
	int d;

	while (i < na || j < nb) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		d = !ea ? 1 : !eb ? -1 : ent_cmp(ea, eb);
		if (d < 0) {
			diff_entry(v, ea, NULL, dir, out);
			i++;
		} else if (d > 0) {
			diff_entry(v, NULL, eb, dir, out);
			j++;
		} else {
			diff_entry(v, ea, eb, dir, out);
			i++, j++;
		}
	}
}

void cp_verify_diff_cases(struct paths *out, struct verifier *v, git_tree *a, git_tree *b)
{
	const git_tree_entry *ea = a ? git_tree_entry_byname(a, "cases") : NULL;
	const git_tree_entry *eb = b ? git_tree_entry_byname(b, "cases") : NULL;
	git_tree *ta = NULL, *tb = NULL;

	if (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)))
		return;
	if (ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE)
		git_tree_lookup(&ta, v->repo, git_tree_entry_id(ea));
	if (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE)
		git_tree_lookup(&tb, v->repo, git_tree_entry_id(eb));
	git_error_clear();
	if (ta || tb)
		diff_dir(v, ta, tb, "cases", out);
	git_tree_free(ta);
	git_tree_free(tb);
}

bool cp_verify_entry_differs(git_tree *a, git_tree *b, const char *name)
{
	const git_tree_entry *ea = a ? git_tree_entry_byname(a, name) : NULL;
	const git_tree_entry *eb = b ? git_tree_entry_byname(b, name) : NULL;

	if (!ea || !eb)
		return ea != eb;
	return !git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb));
}

const git_oid *cp_verify_blob_at(git_oid *slot, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;

	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return NULL;
	}
	git_oid_cpy(slot, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return slot;
}

void cp_verify_paths_free(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->old);
	free(p->new);
}
