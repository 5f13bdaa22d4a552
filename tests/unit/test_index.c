/*
 * test_index.c - the one parser of .git/index (lib/store/index_file.c):
 * its reader (which files the index vouches for) and its writer (the
 * fast path that points one entry at a new blob) accept the same files.
 * The indexes are real git's: version 2, 3 (skip-worktree) and 4, a
 * split index, and damaged copies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint/error.h"
#include "fsutil.h"
#include "store/index_file.h"

static char dir[PATH_MAX], gitdir[PATH_MAX + 8];

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* A repository with three committed files in two folders. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cp-test-index-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(gitdir, sizeof(gitdir), "%s/.git/", dir);
	sh("cd %s && git init -q . && mkdir -p cases/2026/11 && echo a >policy.yaml && "
	   "echo b >cases/2026/11/A.yaml && echo c >cases/2026/11/B.yaml && "
	   "git add . && git -c user.name=t -c user.email=t@t commit -qm init", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

/* What the parser, the reader and the writer say of the index as it is. */
static int parsed(struct cp_index_layout *lay)
{
	char path[PATH_MAX + 16];
	struct cp_sbuf b = CP_SBUF_INIT;
	int r;

	snprintf(path, sizeof(path), "%sindex", gitdir);
	assert_int_equal(cp_read_file(&b, path, 1 << 20, 0), 0);
	r = cp_index_parse(lay, (const unsigned char *)b.buf, b.len);
	cp_sbuf_release(&b);
	return r;
}

static bool reader_takes(void)
{
	struct cp_index_reader ix;
	bool ok = cp_index_read_open(&ix, gitdir);

	cp_index_read_close(&ix);
	return ok;
}

static int writer_plan(void)
{
	struct cp_index_lock l;
	int r;

	assert_int_equal(cp_index_lock(&l, gitdir, dir, 1000), 0);
	r = cp_index_plan(&l, "cases/2026/11/A.yaml");
	cp_index_unlock(&l);
	cp_error_clear();
	return r;
}

static void test_plain_index(void **state)
{
	struct cp_index_layout lay;
	struct cp_index_reader ix;
	struct stat st;
	char path[PATH_MAX + 32];
	const unsigned char *e;

	(void)state;
	sh("cd %s && git update-index --index-version 2", dir);
	assert_int_equal(parsed(&lay), 0);
	assert_int_equal(lay.version, 2);
	assert_int_equal(lay.count, 3);
	assert_true(reader_takes());
	assert_int_equal(writer_plan(), 0);
	/* the reader finds the entries in git's order and vouches for clean files */
	assert_true(cp_index_read_open(&ix, gitdir));
	assert_non_null(e = cp_index_read_find(&ix, "cases/2026/11/A.yaml"));
	snprintf(path, sizeof(path), "%s/cases/2026/11/A.yaml", dir);
	assert_int_equal(stat(path, &st), 0);
	/* racy until the index is newer than the file: git's own rule */
	(void)cp_index_vouches(&ix, e, &st);
	assert_non_null(cp_index_read_find(&ix, "cases/2026/11/B.yaml"));
	assert_null(cp_index_read_find(&ix, "cases/2026/11/A.yaml"));	/* the cursor moved on */
	assert_non_null(cp_index_read_find(&ix, "policy.yaml"));
	cp_index_read_close(&ix);
}

static void test_version3_skip_worktree(void **state)
{
	struct cp_index_layout lay;
	struct cp_index_reader ix;
	struct stat st;
	char path[PATH_MAX + 32];
	const unsigned char *e;

	(void)state;
	sh("cd %s && git update-index --skip-worktree cases/2026/11/A.yaml", dir);
	assert_int_equal(parsed(&lay), 0);
	assert_int_equal(lay.version, 3);
	assert_true(reader_takes());
	assert_int_equal(writer_plan(), 0);
	assert_true(cp_index_read_open(&ix, gitdir));
	assert_non_null(e = cp_index_read_find(&ix, "cases/2026/11/A.yaml"));
	snprintf(path, sizeof(path), "%s/cases/2026/11/A.yaml", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_false(cp_index_vouches(&ix, e, &st));	/* skip-worktree: never */
	cp_index_read_close(&ix);
	sh("cd %s && git update-index --no-skip-worktree cases/2026/11/A.yaml && "
	   "git update-index --index-version 2", dir);
}

static void test_version4_refused_by_both(void **state)
{
	struct cp_index_layout lay;

	(void)state;
	sh("cd %s && git update-index --index-version 4", dir);
	assert_int_equal(parsed(&lay), 1);
	assert_false(reader_takes());
	assert_int_equal(writer_plan(), 1);	/* 1: libgit2 does it */
	sh("cd %s && git update-index --index-version 2", dir);
}

static void test_split_index_refused_by_both(void **state)
{
	struct cp_index_layout lay;

	(void)state;
	sh("cd %s && git update-index --split-index", dir);
	assert_int_equal(parsed(&lay), 1);	/* "link": a mandatory extension */
	assert_false(reader_takes());
	assert_int_equal(writer_plan(), 1);
	sh("cd %s && git update-index --no-split-index && rm -f .git/sharedindex.*", dir);
	assert_int_equal(parsed(&lay), 0);
}

/* Every damaged copy: the reader takes it exactly when the writer does. */
static void test_damaged_agree(void **state)
{
	char path[PATH_MAX + 16], keep[PATH_MAX + 16];
	struct cp_index_layout lay;
	struct cp_sbuf good = CP_SBUF_INIT;
	size_t off;
	int refused = 0;

	(void)state;
	sh("cd %s && git update-index --index-version 2", dir);
	snprintf(path, sizeof(path), "%sindex", gitdir);
	snprintf(keep, sizeof(keep), "%sindex.good", gitdir);
	assert_int_equal(cp_read_file(&good, path, 1 << 20, 0), 0);
	for (off = 0; off < good.len; off += 3) {
		FILE *f;
		bool rd;
		int wr;

		good.buf[off] ^= 0x41;
		assert_non_null(f = fopen(path, "wb"));
		assert_int_equal(fwrite(good.buf, 1, good.len, f), good.len);
		fclose(f);
		good.buf[off] ^= 0x41;
		rd = reader_takes();
		wr = writer_plan();
		/* wr < 0: a flipped stage bit reads as a conflict (-CP_EBUSY) */
		assert_int_equal(rd, wr == 0);	/* the checksum catches every flip */
		assert_false(rd);
		if (parsed(&lay) != 0)
			refused++;
	}
	assert_true(refused > 0);	/* and the parser itself refused some */
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(good.buf, 1, good.len, f), good.len);
		fclose(f);
	}
	assert_true(reader_takes());
	cp_sbuf_release(&good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_index),
		cmocka_unit_test(test_version3_skip_worktree),
		cmocka_unit_test(test_version4_refused_by_both),
		cmocka_unit_test(test_split_index_refused_by_both),
		cmocka_unit_test(test_damaged_agree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
