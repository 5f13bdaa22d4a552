/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() over files, once.
 *
 *	replay-case tests/fuzz/corpus/case [FILE|DIR]...
 *
 * Without libFuzzer and its instrumentation: for make check (the seed
 * corpus, and any crash a fuzzing run saved, stay fixed) and for running
 * one input under valgrind or gdb.  Exits non-zero if an input could not
 * be read; a broken promise aborts (see fuzz.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int one(const char *path, size_t *count)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, alloc = 0, k;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == alloc) {
			alloc = alloc ? 2 * alloc : 65536;
			buf = realloc(buf, alloc);
			if (!buf)
				abort();
		}
		k = fread(buf + len, 1, alloc - len, f);
		len += k;
	} while (k);
	fclose(f);
	/* a copy of exactly len bytes, so that ASan sees reads past the end */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	(*count)++;
	return 0;
}

static int walk(const char *path, size_t *count)
{
	struct stat st;
	struct dirent **names;
	int n, i, r = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return one(path, count);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			if (walk(sub, count) < 0)
				r = -1;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, r = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (walk(argv[i], &count) < 0)
			r = 1;
	printf("%s: %zu inputs replayed\n", argv[0], count);
	return r;
}
