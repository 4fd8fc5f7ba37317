/* techmatch — writing a selection's three documents into a folder as one set
 * (report.h, io/output_set.h): a fresh sibling folder is written and then
 * swapped in, so a failure never leaves the new run's files mixed with an
 * old run's. */
#define _GNU_SOURCE /* renameat2, syncfs */

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
#include <techmatch/cancel.h>
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

/* Writes @len bytes of @data to the new file @path (which must not exist:
 * it is in the fresh folder of the set, so no temporary name and rename are
 * needed; the set's folder swap is what makes the set atomic).  Not synced
 * here: sync_set() makes the whole set durable at once. */
static gboolean write_new_file(const char *path, const char *data, gsize len, GError **error)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return io_error(error, path, "cannot create", errno);
    gsize done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            return io_error(error, path, "cannot write", e);
        }
        done += (gsize)w;
    }
    if (close(fd) != 0)
        return io_error(error, path, "cannot close", errno);
    return TRUE;
}

/* Flushes the new set in @tmp (its @n documents @names and its folders) to
 * disk before it is swapped in.  One syncfs(2) of the file system where the
 * system has it (a set may hold tens of thousands of agreements: one fsync
 * each took most of a large run, bench/RESULTS.md); else, or when syncfs
 * fails, an fsync of every file.  A failure to flush is an error. */
static gboolean sync_set(const char *tmp, const char *const *names, int n, GError **error)
{
    gboolean synced = FALSE;
#ifdef __linux__
    int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        synced = syncfs(dfd) == 0;
        close(dfd);
    }
#endif
    for (int i = 0; !synced && i < n; i++) {
        char *path = g_build_filename(tmp, names[i], NULL);
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        gboolean ok = fd >= 0 && (fsync(fd) == 0 || errno == EINVAL); /* EINVAL: no fsync here */
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (!ok)
            io_error(error, path, "cannot flush to disk", e);
        g_free(path);
        if (!ok)
            return FALSE;
    }
    char *sub = g_build_filename(tmp, AGREEMENTS_DIR, NULL);
    if (!synced && g_file_test(sub, G_FILE_TEST_IS_DIR))
        sync_dir(sub);
    g_free(sub);
    if (!synced)
        sync_dir(tmp);
    return TRUE;
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

/* Reports the fraction of the set's bytes written (the flush at the end
 * counts as the last 5 %), at most once per 0.1 %. */
typedef struct {
    TmProgressFunc func;
    gpointer data;
    double total, done, last;
} WriteProgress;

static void write_progress(WriteProgress *wp, double bytes, gboolean flushed)
{
    if (wp->func == NULL)
        return;
    wp->done += bytes;
    double f = flushed ? 1.0 : 0.95 * (wp->total > 0 ? wp->done / wp->total : 1.0);
    if (flushed || f - wp->last >= 0.001) {
        wp->last = f;
        wp->func(f, wp->data);
    }
}

static gboolean write_document_set(const char *dir_in, const char *const *names,
                                   const char *const *docs, const gssize *lens, int n,
                                   WriteProgress *wp, GError **error);

gboolean tm_i_write_document_set(const char *dir_in, const char *const *names,
                                 const char *const *docs, const gssize *lens, int n,
                                 GError **error)
{
    WriteProgress wp = {NULL, NULL, 0, 0, 0};
    return write_document_set(dir_in, names, docs, lens, n, &wp, error);
}

static gboolean write_document_set(const char *dir_in, const char *const *names,
                                   const char *const *docs, const gssize *lens, int n,
                                   WriteProgress *wp, GError **error)
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
    char *made = NULL; /* the last subfolder made */
    for (int i = 0; ok && i < n; i++) {
        char *path = g_build_filename(tmp, names[i], NULL);
        if (strchr(names[i], '/') != NULL) { /* agreements/NAME.md */
            char *sub = g_path_get_dirname(path);
            if (made != NULL && strcmp(sub, made) == 0)
                g_free(sub);
            else if (g_mkdir_with_parents(sub, 0755) != 0) {
                ok = io_error(error, sub, "cannot create directory", errno);
                g_free(sub);
            } else {
                g_free(made);
                made = sub;
            }
        }
        gsize len = lens != NULL && lens[i] >= 0 ? (gsize)lens[i] : strlen(docs[i]);
        ok = ok && write_new_file(path, docs[i], len, error);
        g_free(path);
        if (ok)
            write_progress(wp, (double)len, FALSE);
    }
    g_free(made);
    if (ok)
        ok = sync_set(tmp, names, n, error);
    if (ok)
        write_progress(wp, 0, TRUE);
    if (ok) {
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
    if (!tm_selection_agreements_lang(sel, tm_output_options_get_agreement_template(options),
                                      tm_i_output_template_name(options),
                                      tm_output_options_resolve_language(options, sel), &anames,
                                      &atexts, error))
        return FALSE;
    /* names and documents, owned by the two arrays */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *docs = g_ptr_array_new_with_free_func(g_free);
    char *csv = NULL, *json = NULL, *md = NULL;
    GBytes *xlsx = NULL;
    gboolean ok = (csv = tm_selection_assignments_csv_with(sel, options, error)) &&
                  (json = tm_selection_assignments_json(sel, error)) &&
                  (xlsx = tm_selection_assignments_xlsx(sel, options, error)) &&
                  (report != NULL
                   || (md = tm_selection_report_markdown_with(sel, options, error)));
    g_ptr_array_add(names, g_strdup("assignments.csv"));
    g_ptr_array_add(docs, csv);
    g_ptr_array_add(names, g_strdup("assignments.json"));
    g_ptr_array_add(docs, json);
    /* the one binary document: its length apart (lens below) */
    gsize xlsx_len = 0;
    guint xlsx_at = names->len;
    g_ptr_array_add(names, g_strdup("assignments.xlsx"));
    g_ptr_array_add(docs, xlsx ? g_bytes_unref_to_data(xlsx, &xlsx_len) : NULL);
    guint md_at = names->len;
    g_ptr_array_add(names, g_strdup("report.md"));
    /* the caller's report is borrowed, not copied (it may be tens of MB):
     * the array's free function skips it */
    g_ptr_array_add(docs, report != NULL ? NULL : md);
    char *html = ok ? tm_i_report_html_from_markdown(sel, report != NULL ? report : md, options,
                                                     error)
                    : NULL;
    ok = ok && html != NULL;
    g_ptr_array_add(names, g_strdup("report.html"));
    g_ptr_array_add(docs, html);
    for (int i = 0; anames[i] != NULL; i++) {
        g_ptr_array_add(names, g_build_filename(AGREEMENTS_DIR, anames[i], NULL));
        g_ptr_array_add(docs, atexts[i]); /* moved, not copied: a large run has many */
    }
    g_strfreev(anames);
    g_free(atexts);
    if (ok && report != NULL)
        docs->pdata[md_at] = (gpointer)report;
    gssize *lens = g_new(gssize, names->len);
    for (guint i = 0; i < names->len; i++)
        lens[i] = i == xlsx_at ? (gssize)xlsx_len : -1;
    WriteProgress wp = {NULL, NULL, 0, 0, 0};
    wp.func = tm_i_output_progress(options, &wp.data);
    for (guint i = 0; ok && wp.func != NULL && i < names->len; i++)
        wp.total += lens[i] >= 0 ? (double)lens[i] : (double)strlen(docs->pdata[i]);
    ok = ok && write_document_set(dir, (const char *const *)names->pdata,
                                  (const char *const *)docs->pdata, lens, (int)names->len, &wp,
                                  error);
    g_free(lens);
    if (report != NULL)
        docs->pdata[md_at] = NULL; /* borrowed */
    g_ptr_array_unref(names);
    g_ptr_array_unref(docs);
    return ok;
}

gboolean tm_selection_write(const TmSelection *sel, const char *dir, GError **error)
{
    return tm_selection_write_with_agreements(sel, dir, NULL, NULL, error);
}
