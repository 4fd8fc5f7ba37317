/* techmatch — where `techmatch run` and `explain` find the bundled example
 * when no DIR is given (cli only).
 *
 * Lookup order (first existing folder wins):
 *   1. DEFAULT in the current directory (seeds/jinshui-2011);
 *   2. the build-tree binary only: DEFAULT in the source tree it was built
 *      from (TM_SOURCE_DIR), so a fresh build runs without installing;
 *   3. the installed binary only: the installed example beside it, i.e.
 *      BINDIR/../share/techmatch/examples/jinshui-2011 resolved from the
 *      running executable (TM_DATA_REL), so `cmake --install --prefix P`
 *      works from any P;
 *   4. the installed binary only: the data dir compiled in from
 *      CMAKE_INSTALL_FULL_DATADIR (TM_DATA_DIR).
 * "Build-tree binary" means the running executable is the very file CMake
 * built (same device and inode as TM_BUILD_EXE); the installed copy is
 * another file, so it never reads the source tree. */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli.h"

#define EXAMPLE_NAME "jinshui-2011"

/* TRUE when the running executable is the one in the build tree. */
static gboolean running_from_build_tree(void)
{
#ifdef TM_BUILD_EXE
    GStatBuf self, built;
    if (g_stat("/proc/self/exe", &self) != 0 || g_stat(TM_BUILD_EXE, &built) != 0)
        return FALSE;
    return self.st_dev == built.st_dev && self.st_ino == built.st_ino;
#else
    return FALSE;
#endif
}

/* Appends @dir to @tried ("A, B") and returns @dir if it is a folder. */
static gboolean try_dir(const char *dir, GString *tried)
{
    if (tried->len > 0)
        g_string_append(tried, ", ");
    g_string_append(tried, dir);
    return g_file_test(dir, G_FILE_TEST_IS_DIR);
}

char *cli_default_programme_dir(const char *relative, char **tried_out)
{
    GString *tried = g_string_new(NULL);
    char *found = NULL;

    if (try_dir(relative, tried))
        found = g_strdup(relative);
    if (found == NULL && running_from_build_tree()) {
#ifdef TM_SOURCE_DIR
        char *dir = g_build_filename(TM_SOURCE_DIR, relative, NULL);
        if (try_dir(dir, tried))
            found = dir;
        else
            g_free(dir);
#endif
    } else if (found == NULL) {
#ifdef TM_DATA_REL
        char *exe = g_file_read_link("/proc/self/exe", NULL);
        if (exe != NULL) {
            char *bindir = g_path_get_dirname(exe);
            char *dir = g_build_filename(bindir, TM_DATA_REL, EXAMPLE_NAME, NULL);
            char *canon = g_canonicalize_filename(dir, NULL);
            if (try_dir(canon, tried))
                found = g_steal_pointer(&canon);
            g_free(canon);
            g_free(dir);
            g_free(bindir);
            g_free(exe);
        }
#endif
#ifdef TM_DATA_DIR
        if (found == NULL) {
            char *dir = g_build_filename(TM_DATA_DIR, EXAMPLE_NAME, NULL);
            if (try_dir(dir, tried))
                found = dir;
            else
                g_free(dir);
        }
#endif
    }
    if (tried_out != NULL)
        *tried_out = g_string_free(tried, FALSE);
    else
        g_string_free(tried, TRUE);
    return found;
}
