/*
 * floor.c - the floor for reading every case: libyaml's event parser run
 * over each case file of a store, nothing else (no tree, no checks, no
 * case).  bench/floor DIR [FROM-MONTH TO-MONTH] prints files, bytes, events.
 *
 * Files are read in the same order as `complaint` reads them (years,
 * months, then names, sorted), one read() each into a reused buffer.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **names(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t k = 0, alloc = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (k == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			v = realloc(v, alloc * sizeof(*v));
		}
		v[k++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(v, k, sizeof(*v), cmp);
	*n = k;
	return v;
}

int main(int argc, char **argv)
{
	static char buf[8 << 20];
	char path[4096];
	char **ys, **ms, **fs;
	size_t ny, nm, nf, i, j, k;
	unsigned long files = 0, bytes = 0, events = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: floor DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/cases", argv[1]);
	ys = names(path, &ny);
	for (i = 0; i < ny; i++) {
		snprintf(path, sizeof(path), "%s/cases/%s", argv[1], ys[i]);
		ms = names(path, &nm);
		for (j = 0; j < nm; j++) {
			snprintf(path, sizeof(path), "%s/cases/%s/%s", argv[1], ys[i], ms[j]);
			fs = names(path, &nf);
			for (k = 0; k < nf; k++) {
				yaml_parser_t p;
				yaml_event_t ev;
				ssize_t len;
				int fd, done = 0;

				snprintf(path, sizeof(path), "%s/cases/%s/%s/%s", argv[1], ys[i],
					 ms[j], fs[k]);
				fd = open(path, O_RDONLY);
				if (fd < 0)
					continue;
				len = read(fd, buf, sizeof(buf));
				close(fd);
				if (len < 0)
					continue;
				files++;
				bytes += (unsigned long)len;
				yaml_parser_initialize(&p);
				yaml_parser_set_input_string(&p, (unsigned char *)buf, (size_t)len);
				while (!done) {
					if (!yaml_parser_parse(&p, &ev)) {
						fprintf(stderr, "%s: parse error\n", path);
						break;
					}
					done = ev.type == YAML_STREAM_END_EVENT;
					events++;
					yaml_event_delete(&ev);
				}
				yaml_parser_delete(&p);
				free(fs[k]);
			}
			free(fs);
			free(ms[j]);
		}
		free(ms);
		free(ys[i]);
	}
	free(ys);
	printf("%lu files, %lu bytes, %lu events\n", files, bytes, events);
	return 0;
}
