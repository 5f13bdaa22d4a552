/*
 * index_ways.c - what it costs to point one entry of a large .git/index
 * at a new blob, every way we know: bench/index_ways STORE [RUNS]
 *
 * Works on a copy of STORE's index in a temporary directory, so the store
 * is not touched.  Prints the median of RUNS for each way, in ms:
 *   libgit2        git_index_read + git_index_add + git_index_write
 *   upsert         lib/git_index.c as `new` runs it: verify the SHA-1,
 *                  copy around the entry, new SHA-1, fsync, rename
 *   upsert parts   its pieces: mapping and verifying the trailing SHA-1;
 *                  writing the copy with its SHA-1; the fsync alone
 *   no fsync       upsert without the fsync (what git does by default:
 *                  core.fsync leaves the index out)
 *   no verify      upsert without checking the old SHA-1 first
 * and, for comparison, git's own `git update-index --cacheinfo` on a
 * plain index and on a split index (core.splitIndex: the small index
 * holds the changes, a shared one the rest; libgit2 1.5 cannot read it).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>
#include <openssl/evp.h>

#include "../lib/store/index_file.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char dir[4096], idx[4096], src[4096];

static void fresh_copy(void)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, idx);
	if (system(cmd) != 0) {
		perror("cp");
		exit(1);
	}
}

static void entry(struct cp_index_entry *e, int i)
{
	static char path[64];

	memset(e, 0, sizeof(*e));
	snprintf(path, sizeof(path), "cases/2026/11/C-20261101-BENCH%03d.yaml", i % 1000);
	e->path = path;
	e->mode = 0100644;
	e->size = 1700;
	e->mtime_s = e->ctime_s = (uint32_t)time(NULL);
	memset(e->oid, 0x11 + i % 200, 20);
}

/* The upsert's pieces, done by hand on the copy. */
static double verify_only(void)
{
	double t = now_ms();
	int fd = open(idx, O_RDONLY);
	struct stat st;
	unsigned char sum[20];
	unsigned int n;
	void *map;

	fstat(fd, &st);
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	EVP_Digest(map, (size_t)st.st_size - 20, sum, &n, EVP_sha1(), NULL);
	munmap(map, (size_t)st.st_size);
	close(fd);
	return now_ms() - t;
}

static double write_copy(int do_fsync, double *fsync_ms)
{
	char lock[4200];
	int fd = open(idx, O_RDONLY), lfd;
	struct stat st;
	unsigned char sum[20];
	unsigned int n;
	void *map;
	double t = now_ms(), f;

	snprintf(lock, sizeof(lock), "%s.lock", idx);
	fstat(fd, &st);
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	EVP_Digest(map, (size_t)st.st_size - 20, sum, &n, EVP_sha1(), NULL);
	lfd = open(lock, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (write(lfd, map, (size_t)st.st_size - 20) < 0 || write(lfd, sum, 20) < 0)
		perror("write");
	f = now_ms();
	if (do_fsync)
		fsync(lfd);
	*fsync_ms = now_ms() - f;
	close(lfd);
	rename(lock, idx);
	munmap(map, (size_t)st.st_size);
	close(fd);
	return now_ms() - t;
}

/* What `new` does with the index: lock, plan the entry, write, rename. */
static int upsert(const char *gitdir, const struct cp_index_entry *e)
{
	struct cp_index_lock l;
	int r;

	if ((r = cp_index_lock(&l, gitdir, dir, 1000)) < 0)
		return r;
	if ((r = cp_index_plan(&l, e->path)) == 0)
		r = cp_index_commit_entry(&l, e);
	cp_index_unlock(&l);
	return r;
}

static double run_git(const char *gitdir, const char *what)
{
	char cmd[8192];
	double t;

	snprintf(cmd, sizeof(cmd),
		 "GIT_DIR='%s' GIT_INDEX_FILE='%s' git update-index --add --cacheinfo 100644,%s,%s",
		 gitdir, idx, "1111111111111111111111111111111111111111", what);
	t = now_ms();
	if (system(cmd) != 0)
		fprintf(stderr, "git update-index failed\n");
	return now_ms() - t;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 15, i;
	double *v = calloc((size_t)runs, sizeof(double)), *f = calloc((size_t)runs, sizeof(double));
	char gitdir[4200], cmd[8192], path[64];
	struct cp_index_entry e;
	struct stat st;

	if (argc < 2) {
		fprintf(stderr, "usage: index_ways STORE [RUNS]\n");
		return 2;
	}
	snprintf(src, sizeof(src), "%s/.git/index", argv[1]);
	snprintf(gitdir, sizeof(gitdir), "%s/.git", argv[1]);
	if (stat(src, &st) < 0) {
		perror(src);
		return 1;
	}
	snprintf(dir, sizeof(dir), "/tmp/index-ways-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(idx, sizeof(idx), "%s/index", dir);
	printf("index of %s: %lld bytes\n", argv[1], (long long)st.st_size);
	git_libgit2_init();

	fresh_copy();
	for (i = 0; i < runs; i++) {
		git_index *ix;
		git_index_entry ge;
		double t = now_ms();

		memset(&ge, 0, sizeof(ge));
		snprintf(path, sizeof(path), "cases/2026/11/C-20261101-LG%03d.yaml", i);
		ge.path = path;
		ge.mode = GIT_FILEMODE_BLOB;
		memset(ge.id.id, 0x22, 20);
		if (git_index_open(&ix, idx) < 0 || git_index_read(ix, 1) < 0 ||
		    git_index_add(ix, &ge) < 0 || git_index_write(ix) < 0)
			fprintf(stderr, "libgit2: %s\n", git_error_last() ? git_error_last()->message : "?");
		git_index_free(ix);
		v[i] = now_ms() - t;
	}
	printf("libgit2 read + add + write          %8.1f ms\n", median(v, runs));

	fresh_copy();
	for (i = 0; i < runs; i++) {
		char gd[4200];
		double t;

		snprintf(gd, sizeof(gd), "%s/", dir);
		entry(&e, i);
		t = now_ms();
		if (upsert(gd, &e) != 0)
			fprintf(stderr, "upsert refused\n");
		v[i] = now_ms() - t;
	}
	printf("upsert (lib/git_index.c, as new)    %8.1f ms\n", median(v, runs));

	fresh_copy();
	for (i = 0; i < runs; i++)
		v[i] = verify_only();
	printf("  map + verify the SHA-1            %8.1f ms\n", median(v, runs));
	for (i = 0; i < runs; i++)
		v[i] = write_copy(1, &f[i]);
	printf("  copy + SHA-1 + fsync + rename     %8.1f ms\n", median(v, runs));
	printf("    of which fsync                  %8.1f ms\n", median(f, runs));
	for (i = 0; i < runs; i++)
		v[i] = write_copy(0, &f[i]) + verify_only();
	printf("upsert without fsync (est.)         %8.1f ms\n", median(v, runs));
	for (i = 0; i < runs; i++)
		v[i] = write_copy(1, &f[i]);
	printf("upsert without verifying (est.)     %8.1f ms\n", median(v, runs));

	fresh_copy();
	for (i = 0; i < runs; i++) {
		snprintf(path, sizeof(path), "cases/2026/11/C-20261101-GI%03d.yaml", i);
		v[i] = run_git(gitdir, path);
	}
	printf("git update-index (plain index)      %8.1f ms\n", median(v, runs));

	fresh_copy();
	snprintf(cmd, sizeof(cmd), "GIT_DIR='%s' GIT_INDEX_FILE='%s' git update-index --split-index",
		 gitdir, idx);
	if (system(cmd) == 0) {
		for (i = 0; i < runs; i++) {
			snprintf(path, sizeof(path), "cases/2026/11/C-20261101-SP%03d.yaml", i);
			v[i] = run_git(gitdir, path);
		}
		stat(idx, &st);
		printf("git update-index (split index)      %8.1f ms  (index file %lld bytes)\n",
		       median(v, runs), (long long)st.st_size);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'; rm -f '%s'/sharedindex.* 2>/dev/null", dir, gitdir);
	if (system(cmd) != 0)
		return 1;
	git_libgit2_shutdown();
	return 0;
}
