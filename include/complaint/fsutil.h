/*
 * fsutil.h - careful file I/O: bounded reads, atomic durable writes,
 * directories created without following symlinks.
 */
#ifndef COMPLAINT_FSUTIL_H
#define COMPLAINT_FSUTIL_H

#include <stddef.h>

#include "complaint/sbuf.h"

/*
 * Read a whole regular file (never through a symlink) into sb.  Files
 * larger than limit are refused with -CP_EDATA.  Returns 0, or 1 when the
 * file does not exist and missing_ok is set, or a negative error.
 */
int cp_read_file(struct sbuf *sb, const char *path, size_t limit,
		 int missing_ok);

/*
 * Write data to root/relpath atomically: a temporary file in the
 * same directory, fsync, rename over path, fsync the directory.  Parent
 * directories below root are created; none of them may be a symlink.
 */
int cp_write_atomic(const char *root, const char *relpath, const char *data,
		    size_t len);

/* Write all of buf to fd, retrying short writes; -CP_ESYS on error. */
int cp_write_all(int fd, const char *buf, size_t len, const char *what);

/* fsync a directory, so that the names created in it are on disk. */
int cp_fsync_dir(const char *path);

/* Remove the temporary files cp_write_atomic() has not renamed yet. */
void cp_tempfiles_cleanup(void);

#endif
