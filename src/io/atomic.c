/* techmatch — whole-or-nothing file writes.
 *
 * tm_file_write_atomic() writes to PATH.XXXXXX beside the target (same
 * directory, hence same file system), fsyncs it, closes it and renames it
 * over PATH; then it fsyncs the directory so the rename itself survives a
 * crash (best effort).  On any failure the temporary file is unlinked and
 * PATH is untouched.  The new file gets mode 0666 minus the umask, like a
 * file created by open(2).  An existing PATH must be a regular file: a
 * symbolic link (not followed), a FIFO, a device, a socket or a folder is
 * refused untouched (io/output_set.h), so `--out /dev/null` or a link to
 * stdout is never replaced by a regular file.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/instance.h>

#include "io/output_set.h"

const char *tm_i_file_type_name(unsigned int mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a folder";
    case S_IFLNK: return "a symbolic link";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    default: return "not a regular file";
    }
}

gboolean tm_i_check_replaceable_file(const char *path, GError **error)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return TRUE;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot examine: %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    if (S_ISREG(st.st_mode))
        return TRUE;
    g_set_error(error, TM_ERROR, TM_ERROR_IO,
                "%s: is %s; only a regular file is replaced (nothing written)", path,
                tm_i_file_type_name(st.st_mode));
    return FALSE;
}

static gboolean
fail(GError **error, const char *path, const char *what, int err, char *tmp, int fd)
{
    if (fd >= 0)
        close(fd);
    if (tmp != NULL) {
        unlink(tmp);
        g_free(tmp);
    }
    g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: %s: %s", path, what, g_strerror(err));
    return FALSE;
}

static void
sync_parent_dir(const char *path)
{
    char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: some file systems refuse */
        close(fd);
    }
    g_free(dir);
}

int
tm_i_atomic_open(const char *path, char **tmp_out, GError **error)
{
    char *tmp = g_strconcat(path, ".XXXXXX", NULL);
    int fd = g_mkstemp_full(tmp, O_RDWR, 0666);
    if (fd < 0) {
        int e = errno;
        g_free(tmp);
        *tmp_out = NULL;
        fail(error, path, "cannot create a temporary file beside it", e, NULL, -1);
        return -1;
    }
    *tmp_out = tmp;
    return fd;
}

gboolean
tm_i_atomic_finish(const char *path, char *tmp, int fd, gboolean ok, int write_errno,
                   GError **error)
{
    if (!ok) {
        close(fd);
        unlink(tmp);
        g_free(tmp);
        return FALSE;
    }
    if (write_errno != 0)
        return fail(error, path, "cannot write", write_errno, tmp, fd);
    if (fsync(fd) != 0)
        return fail(error, path, "cannot flush to disk", errno, tmp, fd);
    if (close(fd) != 0)
        return fail(error, path, "cannot close", errno, tmp, -1);
    if (rename(tmp, path) != 0)
        return fail(error, path, "cannot replace", errno, tmp, -1);
    g_free(tmp);
    sync_parent_dir(path);
    return TRUE;
}

gboolean
tm_file_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
    if (path == NULL || (data == NULL && len > 0)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "tm_file_write_atomic: %s is NULL",
                    path == NULL ? "path" : "data");
        return FALSE;
    }
    if (path[0] == '\0') {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_IO, "tm_file_write_atomic: empty path");
        return FALSE;
    }
    if (!tm_i_check_replaceable_file(path, error))
        return FALSE;
    char *tmp;
    int fd = tm_i_atomic_open(path, &tmp, error);
    if (fd < 0)
        return FALSE;
    gsize done = 0;
    int werr = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            werr = errno;
            break;
        }
        done += (gsize)w;
    }
    return tm_i_atomic_finish(path, tmp, fd, TRUE, werr, error);
}
