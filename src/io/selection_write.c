/* techmatch — writing a selection's three documents into a folder as one set
 * (report.h, io/output_set.h): a fresh sibling folder is written and then
 * swapped in, so a failure never leaves the new run's files mixed with an
 * old run's. */
#define _GNU_SOURCE /* renameat2 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/instance.h>
#include <techmatch/report.h>

#include <techmatch/agreement.h>
#include <techmatch/output.h>

#include "io/output_set.h"
#include "io/report_html.h"

static gboolean io_error(GError **error, const char *path, const char *what, int err)
{
    g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: %s: %s", path, what, g_strerror(err));
    return FALSE;
}

static gboolean is_listed(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return TRUE;
    return FALSE;
}

/* The one subfolder a set may have: the draft agreements (agreement.h). */
#define AGREEMENTS_DIR "agreements"

/* An earlier run's agreements folder: a real folder of regular `.md` files. */
static gboolean check_old_agreements(const char *path, GError **error)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return io_error(error, path, "cannot examine", errno);
    if (!S_ISDIR(st.st_mode))
        return tm_i_check_replaceable_file(path, error);
    GDir *d = g_dir_open(path, 0, NULL);
    if (d == NULL)
        return io_error(error, path, "cannot read the folder", errno);
    gboolean ok = TRUE;
    const char *name;
    while (ok && (name = g_dir_read_name(d)) != NULL) {
        char *file = g_build_filename(path, name, NULL);
        if (!g_str_has_suffix(name, ".md")) {
            g_set_error(error, TM_ERROR, TM_ERROR_IO,
                        "%s: holds '%s', which is not a draft agreement of a run (the output "
                        "folder is replaced as a whole; choose another --out folder; nothing "
                        "written)",
                        path, name);
            ok = FALSE;
        } else {
            ok = tm_i_check_replaceable_file(file, error);
        }
        g_free(file);
    }
    g_dir_close(d);
    return ok;
}

/* Removes the agreements folder of a set (its `.md` files, then itself). */
static void remove_agreements(const char *dir)
{
    char *path = g_build_filename(dir, AGREEMENTS_DIR, NULL);
    GDir *d = g_dir_open(path, 0, NULL);
    if (d != NULL) {
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL)
            if (g_str_has_suffix(name, ".md")) {
                char *file = g_build_filename(path, name, NULL);
                (void)g_unlink(file);
                g_free(file);
            }
        g_dir_close(d);
    }
    (void)g_rmdir(path);
    g_free(path);
}

/* An existing output folder may be replaced only when it is a real folder
 * holding regular files named in @names and nothing else.  *@exists tells
 * whether it exists. */
static gboolean check_old_set(const char *dir, const char *const *names, int n,
                              gboolean *exists, GError **error)
{
    struct stat st;
    *exists = FALSE;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return TRUE;
        return io_error(error, dir, "cannot examine the output folder", errno);
    }
    if (!S_ISDIR(st.st_mode)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: is %s; the output folder must be a real folder (a symbolic link is "
                    "not followed; nothing written)",
                    dir, tm_i_file_type_name(st.st_mode));
        return FALSE;
    }
    *exists = TRUE;
    DIR *d = opendir(dir);
    if (d == NULL)
        return io_error(error, dir, "cannot read the output folder", errno);
    gboolean ok = TRUE;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = g_build_filename(dir, e->d_name, NULL);
        if (strcmp(e->d_name, AGREEMENTS_DIR) == 0) {
            ok = check_old_agreements(path, error);
        } else if (!is_listed(e->d_name, names, n)) {
            g_set_error(error, TM_ERROR, TM_ERROR_IO,
                        "%s: the output folder holds '%s', which is not an output of a run "
                        "(the folder is replaced as a whole; choose another --out folder; "
                        "nothing written)",
                        dir, e->d_name);
            ok = FALSE;
        } else {
            ok = tm_i_check_replaceable_file(path, error);
        }
        g_free(path);
    }
    closedir(d);
    return ok;
}

/* Removes the documents @names from @dir, then @dir (best effort: what
 * cannot be removed stays). */
static void remove_set(const char *dir, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        (void)g_unlink(path);
        g_free(path);
    }
    remove_agreements(dir);
    (void)g_rmdir(dir);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort */
        close(fd);
    }
}

/* Puts the complete new set @tmp in the place of the old set @dir; on
 * failure @dir is as it was and @tmp still exists. */
static gboolean swap_in(const char *dir, const char *tmp, gboolean exists,
                        const char *const *names, int n, GError **error)
{
    if (!exists) {
        if (rename(tmp, dir) != 0)
            return io_error(error, dir, "cannot move the new outputs into place", errno);
        return TRUE;
    }
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        remove_set(tmp, names, n); /* tmp now holds the old set */
        return TRUE;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return io_error(error, dir, "cannot exchange the old outputs for the new", errno);
#endif
    /* no atomic exchange here: old -> DIR.old-XXXXXX, new -> DIR, undone on
     * failure */
    char *old = g_strconcat(dir, ".old-XXXXXX", NULL);
    gboolean ok = FALSE;
    if (g_mkdtemp_full(old, 0700) == NULL) {
        io_error(error, dir, "cannot make a folder to move the old outputs to", errno);
    } else if (rename(dir, old) != 0) { /* onto the empty folder just made */
        io_error(error, dir, "cannot move the old outputs aside", errno);
        (void)g_rmdir(old);
    } else if (rename(tmp, dir) != 0) {
        io_error(error, dir, "cannot move the new outputs into place", errno);
        if (rename(old, dir) != 0) /* put the old set back */
            g_prefix_error(error, "(the old outputs are in %s) ", old);
    } else {
        remove_set(old, names, n);
        ok = TRUE;
    }
    g_free(old);
    return ok;
}

gboolean tm_i_write_document_set(const char *dir_in, const char *const *names,
                                 const char *const *docs, const gssize *lens, int n,
                                 GError **error)
{
    if (dir_in == NULL || dir_in[0] == '\0') {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "the output folder is NULL or empty");
        return FALSE;
    }
    /* "out/" is "out"; "/" stays itself (and is refused below) */
    char *dir = g_strdup(dir_in);
    for (gsize len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
        dir[len - 1] = '\0';
    char *base = g_path_get_basename(dir);
    gboolean ok = strcmp(base, ".") != 0 && strcmp(base, "..") != 0 && strcmp(base, "/") != 0;
    if (!ok)
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: cannot replace this folder by name; give the output folder a name of "
                    "its own",
                    dir);
    g_free(base);
    gboolean exists = FALSE;
    char *parent = g_path_get_dirname(dir);
    if (ok)
        ok = check_old_set(dir, names, n, &exists, error);
    if (ok && g_mkdir_with_parents(parent, 0755) != 0)
        ok = io_error(error, parent, "cannot create directory", errno);
    char *tmp = g_strconcat(dir, ".tmp-XXXXXX", NULL);
    if (ok && g_mkdtemp_full(tmp, 0755) == NULL) {
        ok = io_error(error, dir, "cannot create a new folder beside it", errno);
        g_free(tmp);
        tmp = NULL;
    }
    for (int i = 0; ok && i < n; i++) {
        char *path = g_build_filename(tmp, names[i], NULL);
        if (strchr(names[i], '/') != NULL) { /* agreements/NAME.md */
            char *sub = g_path_get_dirname(path);
            if (g_mkdir_with_parents(sub, 0755) != 0)
                ok = io_error(error, sub, "cannot create directory", errno);
            g_free(sub);
        }
        gsize len = lens != NULL && lens[i] >= 0 ? (gsize)lens[i] : strlen(docs[i]);
        ok = ok && tm_file_write_atomic(path, docs[i], len, error);
        g_free(path);
    }
    if (ok) {
        sync_dir(tmp);
        ok = swap_in(dir, tmp, exists, names, n, error);
        sync_dir(parent);
    }
    if (!ok && tmp != NULL)
        remove_set(tmp, names, n);
    g_free(tmp);
    g_free(parent);
    g_free(dir);
    return ok;
}

gboolean tm_selection_write_with_agreements(const TmSelection *sel, const char *dir,
                                            const char *template_text, const char *source_name,
                                            GError **error)
{
    TmOutputOptions *opts = tm_output_options_new();
    /* the old entry point: English, plain CSV, as before the options */
    tm_output_options_set_language(opts, TM_LANG_EN);
    tm_output_options_set_plain_csv(opts, TRUE);
    gboolean ok = tm_output_options_set_agreement_template(opts, template_text, source_name,
                                                           error) &&
                  tm_i_write_selection_set(sel, dir, NULL, opts, error);
    tm_output_options_free(opts);
    return ok;
}

gboolean tm_i_write_selection_set(const TmSelection *sel, const char *dir, const char *report,
                                  const TmOutputOptions *options, GError **error)
{
    if (sel == NULL || dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "selection and directory must not be NULL");
        return FALSE;
    }
    char **anames = NULL, **atexts = NULL;
    if (!tm_selection_agreements(sel, tm_output_options_get_agreement_template(options),
                                 tm_i_output_template_name(options), &anames, &atexts, error))
        return FALSE;
    /* names and documents, owned by the two arrays */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *docs = g_ptr_array_new_with_free_func(g_free);
    char *csv = NULL, *json = NULL, *md = NULL;
    GBytes *xlsx = NULL;
    gboolean ok = (csv = tm_selection_assignments_csv_with(sel, options, error)) &&
                  (json = tm_selection_assignments_json(sel, error)) &&
                  (xlsx = tm_selection_assignments_xlsx(sel, options, error)) &&
                  (md = report ? g_strdup(report)
                               : tm_selection_report_markdown_with(sel, options, error));
    g_ptr_array_add(names, g_strdup("assignments.csv"));
    g_ptr_array_add(docs, csv);
    g_ptr_array_add(names, g_strdup("assignments.json"));
    g_ptr_array_add(docs, json);
    /* the one binary document: its length apart (lens below) */
    gsize xlsx_len = 0;
    guint xlsx_at = names->len;
    g_ptr_array_add(names, g_strdup("assignments.xlsx"));
    g_ptr_array_add(docs, xlsx ? g_bytes_unref_to_data(xlsx, &xlsx_len) : NULL);
    g_ptr_array_add(names, g_strdup("report.md"));
    g_ptr_array_add(docs, md);
    char *html = ok ? tm_i_report_html_from_markdown(sel, md, options, error) : NULL;
    ok = ok && html != NULL;
    g_ptr_array_add(names, g_strdup("report.html"));
    g_ptr_array_add(docs, html);
    for (int i = 0; anames[i] != NULL; i++) {
        g_ptr_array_add(names, g_build_filename(AGREEMENTS_DIR, anames[i], NULL));
        g_ptr_array_add(docs, g_strdup(atexts[i]));
    }
    g_strfreev(anames);
    g_strfreev(atexts);
    gssize *lens = g_new(gssize, names->len);
    for (guint i = 0; i < names->len; i++)
        lens[i] = i == xlsx_at ? (gssize)xlsx_len : -1;
    ok = ok && tm_i_write_document_set(dir, (const char *const *)names->pdata,
                                       (const char *const *)docs->pdata, lens, (int)names->len,
                                       error);
    g_free(lens);
    g_ptr_array_unref(names);
    g_ptr_array_unref(docs);
    return ok;
}

gboolean tm_selection_write(const TmSelection *sel, const char *dir, GError **error)
{
    return tm_selection_write_with_agreements(sel, dir, NULL, NULL, error);
}
