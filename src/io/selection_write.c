/* techmatch — writing a selection's three documents into a folder, each
 * file atomically (report.h). */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/instance.h>
#include <techmatch/report.h>

gboolean tm_selection_write(const TmSelection *sel, const char *dir, GError **error)
{
    if (sel == NULL || dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "selection and directory must not be NULL");
        return FALSE;
    }
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        int e = errno;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot create directory: %s", dir,
                    g_strerror(e));
        return FALSE;
    }
    char *docs[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"assignments.csv", "assignments.json", "report.md"};
    gboolean ok = (docs[0] = tm_selection_assignments_csv(sel, error)) &&
                  (docs[1] = tm_selection_assignments_json(sel, error)) &&
                  (docs[2] = tm_selection_report_markdown(sel, error));
    for (int i = 0; ok && i < 3; i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        ok = tm_file_write_atomic(path, docs[i], strlen(docs[i]), error);
        g_free(path);
    }
    for (int i = 0; i < 3; i++)
        g_free(docs[i]);
    return ok;
}
