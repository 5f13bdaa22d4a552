/*
 * fsutil.h - careful file I/O: bounded reads, atomic durable writes,
 * directories created without following symlinks.
 */
#ifndef COMPLAINT_FSUTIL_H
#define COMPLAINT_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "complaint/sbuf.h"

struct stat;

/* What a file's mode says it is, for messages: "a FIFO (named pipe)"... */
const char *cp_file_kind(unsigned int mode);

/*
 * Open a regular file for reading, the one way every file is opened:
 * never through a symlink, and never anything else (a FIFO would block
 * the open, a device would act on it): it is looked at first, opened
 * with O_NONBLOCK, and looked at again.  Returns 0 with *fd open and *st
 * filled, 1 when the file does not exist and missing_ok is set, or a
 * negative error naming what the path is.
 */
int cp_open_file(int *fd, struct stat *st, const char *path, int missing_ok);

/*
 * For a file another library opens itself (libgit2: .git/index, config,
 * .gitattributes...): 0 when path is absent or a regular file (follow:
 * through symlinks), else an error naming what it is.
 */
int cp_check_file(const char *path, int follow);

/*
 * The folders between root and rel's file are real folders (or not there
 * yet): never a symlink, which git would record as a link while we read
 * and write the files behind it.
 */
int cp_check_dirs(const char *root, const char *rel);

/*
 * Read a whole regular file (cp_open_file) into sb.  Files
 * larger than limit are refused with -CP_EDATA.  Returns 0, or 1 when the
 * file does not exist and missing_ok is set, or a negative error.
 */
int cp_read_file(struct cp_sbuf *sb, const char *path, size_t limit,
		 int missing_ok);

/*
 * Write data to root/relpath atomically: a temporary file in the
 * same directory, fsync, rename over path, fsync the directory.  Parent
 * directories below root are created; none of them may be a symlink.
 */
int cp_write_atomic(const char *root, const char *relpath, const char *data,
		    size_t len);

/*
 * The same, for a file under .git: the file and the folders made get the
 * repository's shared permissions (cp_adjust_shared).
 */
int cp_write_atomic_shared(const char *root, const char *relpath, const char *data,
			   size_t len, int shared);

/*
 * core.sharedRepository, read the way git reads it, in git's encoding:
 * 0 (umask: nothing to adjust), 0660 (group), 0664 (all), or -MODE for
 * an exact mode (0640...).  A value git refuses is an error.
 */
int cp_shared_parse(int *shared, const char *value);

/*
 * Give a file or folder we made under .git the permissions git would
 * (adjust_shared_perm): group (and others) get what the owner has, or
 * the exact mode; folders also get x where r and set-group-id.  Nothing
 * when shared is 0.  -1 when it cannot be done (not an error to stop for).
 */
int cp_adjust_shared(const char *path, int shared);
int cp_fadjust_shared(int fd, int shared);

/*
 * Set the process's umask so that what libgit2 makes (objects, refs, the
 * index) and what complaint makes (the work tree's files and folders
 * too) has at least the permissions git would give it in a repository
 * shared that way; nothing when shared is 0.
 */
void cp_shared_umask(int shared);

/* The process's umask (read once, the first time: call it before threads start). */
mode_t cp_umask(void);

/*
 * A folder of complaint's own under .git (.git/complaint...): 0 when it
 * is a real folder, made (with create; shared permissions) when missing,
 * 1 when missing without create; an error when it is a symlink or
 * anything else, which is never followed.
 */
int cp_private_dir(const char *dir, int shared, int create);

/* Write all of buf to fd, retrying short writes; -CP_ESYS on error. */
int cp_write_all(int fd, const char *buf, size_t len, const char *what);

/* fsync a directory, so that the names created in it are on disk. */
int cp_fsync_dir(const char *path);

/* Remove the temporary files cp_write_atomic() has not renamed yet. */
void cp_tempfiles_cleanup(void);

#endif
