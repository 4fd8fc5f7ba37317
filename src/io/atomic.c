/* techmatch — whole-or-nothing file writes.
 *
 * tm_file_write_atomic() writes to PATH.XXXXXX beside the target (same
 * directory, hence same file system), fsyncs it, closes it and renames it
 * over PATH; then it fsyncs the directory so the rename itself survives a
 * crash (best effort).  On any failure the temporary file is unlinked and
 * PATH is untouched.  The new file gets mode 0666 minus the umask, like a
 * file created by open(2); if PATH is a symbolic link, the link itself is
 * replaced by a regular file (rename(2) semantics).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/instance.h>

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
    char *tmp = g_strconcat(path, ".XXXXXX", NULL);
    int fd = g_mkstemp_full(tmp, O_RDWR, 0666);
    if (fd < 0) {
        int e = errno;
        g_free(tmp);
        return fail(error, path, "cannot create a temporary file beside it", e, NULL, -1);
    }
    gsize done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fail(error, path, "cannot write", errno, tmp, fd);
        }
        done += (gsize)w;
    }
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
