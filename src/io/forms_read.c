/* techmatch — the public entry points of the form readers (see forms.h):
 * a form from a file or from a buffer (CSV, or a sheet of an .xlsx
 * workbook), and both forms from a folder, which puts the programme back as
 * it was when either form fails. */
#include <string.h>

#include "io/forms_csv_private.h"
#include "io/xlsx_read.h"

/* A failure of the whole source @name: `NAME: message`, also listed. */
static void source_fail(const char *name, TmFormDiagnostics *diags, int code,
                        const char *message, GError **error)
{
    g_set_error(error, TM_ERROR, code, "%s: %s", name, message);
    tm_i_form_diagnostics_add(diags, name, 0, 0, NULL, message, TM_FORM_ERROR);
}

#define XLS_MESSAGE                                                                           \
    "an Excel 97-2003 workbook (.xls) or a password-protected one, which cannot be read: "  \
    "save it as .xlsx (without a password) or as CSV UTF-8"

/* Parses @len bytes of @data named @name: an .xlsx workbook (a zip, or a
 * name ending in .xlsx/.xlsm) at sheet @sheet (NULL: the first), else CSV. */
static FormCtx *parse_buffer(TmProgramme *prog, FormKind kind, const char *data, gsize len,
                             const char *name, gboolean xlsx_name, const char *sheet,
                             TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    if (tm_xlsx_is_zip(data, len) || xlsx_name)
        return tm_i_form_parse_xlsx(prog, kind, data, len, name, sheet, mode, diags, error);
    if (tm_xlsx_is_ole2(data, len)) {
        source_fail(name, diags, TM_ERROR_PARSE, XLS_MESSAGE, error);
        return NULL;
    }
    if (sheet != NULL) {
        char *msg = g_strdup_printf("a sheet ('%s') can only be named for an .xlsx workbook; "
                                    "this file is not one", sheet);
        source_fail(name, diags, TM_ERROR_INVALID_ARGUMENT, msg, error);
        g_free(msg);
        return NULL;
    }
    return tm_i_form_parse(prog, kind, data, len, name, mode, diags, error);
}

static gboolean has_xlsx_name(const char *path)
{
    char *low = g_ascii_strdown(path, -1);
    gboolean yes = g_str_has_suffix(low, ".xlsx") || g_str_has_suffix(low, ".xlsm");
    g_free(low);
    return yes;
}

/* Splits `PATH:SHEET` (docs/forms.md, "Excel workbooks"): a @path that
 * exists is a file; else, when the text before its last ':' is a regular
 * file, that is the file and the rest the sheet.  *@file_out and
 * *@sheet_out (NULL when none) are new strings. */
static void split_sheet(const char *path, char **file_out, char **sheet_out)
{
    const char *colon = strrchr(path, ':');
    *sheet_out = NULL;
    if (colon != NULL && colon > path && colon[1] != '\0'
        && !g_file_test(path, G_FILE_TEST_EXISTS)) {
        char *file = g_strndup(path, (gsize)(colon - path));
        if (g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
            *file_out = file;
            *sheet_out = g_strdup(colon + 1);
            return;
        }
        g_free(file);
    }
    *file_out = g_strdup(path);
}

static gboolean check_args(TmProgramme *prog, const void *src, GError **error)
{
    if (prog == NULL || src == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: %s is NULL",
                    prog == NULL ? "programme" : "the source");
        return FALSE;
    }
    return TRUE;
}

static gboolean read_data(TmProgramme *prog, FormKind kind, const char *data, gssize length,
                          const char *source, TmFormsMode mode, TmFormDiagnostics *diags,
                          GError **error)
{
    if (!check_args(prog, data, error))
        return FALSE;
    if (mode != TM_FORMS_STRICT && mode != TM_FORMS_LENIENT) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: unknown mode %d",
                    (int)mode);
        return FALSE;
    }
    gsize len = length < 0 ? strlen(data) : (gsize)length;
    const char *name = source ? source : "<data>";
    if (!tm_xlsx_is_zip(data, len) && !tm_xlsx_is_ole2(data, len))
        return tm_i_form_read(prog, kind, data, len, name, mode, diags, error);
    FormCtx *ctx = parse_buffer(prog, kind, data, len, name, FALSE, NULL, mode, diags, error);
    gboolean ok = ctx != NULL && tm_i_form_add(ctx, error);
    tm_i_form_free(ctx);
    return ok;
}

/* Parses the form at @path (nothing added); NULL with @error. */
static FormCtx *parse_path(TmProgramme *prog, FormKind kind, const char *path,
                           TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    if (!check_args(prog, path, error))
        return NULL;
    char *file, *sheet;
    split_sheet(path, &file, &sheet);
    char *buf = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(file, &buf, &len, &io)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read the form: %s", file,
                    io->message);
        char *msg = g_strdup_printf("cannot read the form: %s", io->message);
        tm_i_form_diagnostics_add(diags, file, 0, 0, NULL, msg, TM_FORM_ERROR);
        g_free(msg);
        g_error_free(io);
        g_free(file);
        g_free(sheet);
        return NULL;
    }
    FormCtx *ctx = NULL;
    if (mode != TM_FORMS_STRICT && mode != TM_FORMS_LENIENT)
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: unknown mode %d",
                    (int)mode);
    else
        ctx = parse_buffer(prog, kind, buf, len, file, has_xlsx_name(file), sheet, mode, diags,
                           error);
    if (ctx != NULL && ctx->file == file) { /* a CSV context names its file: it keeps it */
        ctx->file_owned = file;
        file = NULL;
    }
    g_free(buf);
    g_free(file);
    g_free(sheet);
    return ctx;
}

static gboolean read_path(TmProgramme *prog, FormKind kind, const char *path,
                          TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    FormCtx *ctx = parse_path(prog, kind, path, mode, diags, error);
    gboolean ok = ctx != NULL && tm_i_form_add(ctx, error);
    tm_i_form_free(ctx);
    return ok;
}

gboolean tm_forms_read_sites(TmProgramme *programme, const char *path, TmFormsMode mode,
                             TmFormDiagnostics *diagnostics_out, GError **error)
{
    return read_path(programme, FORM_SITES, path, mode, diagnostics_out, error);
}

gboolean tm_forms_read_commissioners(TmProgramme *programme, const char *path,
                                     TmFormsMode mode, TmFormDiagnostics *diagnostics_out,
                                     GError **error)
{
    return read_path(programme, FORM_COMMISSIONERS, path, mode, diagnostics_out, error);
}

gboolean tm_forms_read_sites_data(TmProgramme *programme, const char *data, gssize length,
                                  const char *source_name, TmFormsMode mode,
                                  TmFormDiagnostics *diagnostics_out, GError **error)
{
    return read_data(programme, FORM_SITES, data, length, source_name, mode, diagnostics_out,
                     error);
}

gboolean tm_forms_read_commissioners_data(TmProgramme *programme, const char *data,
                                          gssize length, const char *source_name,
                                          TmFormsMode mode, TmFormDiagnostics *diagnostics_out,
                                          GError **error)
{
    return read_data(programme, FORM_COMMISSIONERS, data, length, source_name, mode,
                     diagnostics_out, error);
}

/* Picks the English or the Chinese file name in @dir; NULL when neither. */
static char *pick_form(const char *dir, const char *en, const char *zh, TmFormDiagnostics *diags)
{
    char *pen = g_build_filename(dir, en, NULL);
    char *pzh = g_build_filename(dir, zh, NULL);
    gboolean hen = g_file_test(pen, G_FILE_TEST_EXISTS);
    gboolean hzh = g_file_test(pzh, G_FILE_TEST_EXISTS);
    char *out = NULL;
    if (hen) {
        out = pen;
        pen = NULL;
        if (hzh) {
            char *msg = g_strdup_printf("both %s and %s exist; reading %s, ignoring this one",
                                        en, zh, en);
            tm_i_form_diagnostics_add(diags, pzh, 0, 0, NULL, msg, TM_FORM_WARNING);
            g_free(msg);
        }
    } else if (hzh) {
        out = pzh;
        pzh = NULL;
    }
    g_free(pen);
    g_free(pzh);
    return out;
}

/* The form @en/@zh (base names) in @dir as CSV or .xlsx.  Both a CSV and
 * a workbook of one form is an error naming both (either could be the one
 * the office last edited).  NULL with @error, or NULL when neither exists
 * (@error not set). */
static char *pick_form_any(const char *dir, const char *en, const char *zh,
                           TmFormDiagnostics *diags, GError **error)
{
    char *en_csv = g_strconcat(en, ".csv", NULL), *zh_csv = g_strconcat(zh, ".csv", NULL);
    char *en_x = g_strconcat(en, ".xlsx", NULL), *zh_x = g_strconcat(zh, ".xlsx", NULL);
    char *csv = pick_form(dir, en_csv, zh_csv, diags);
    char *xlsx = pick_form(dir, en_x, zh_x, diags);
    char *out = csv != NULL ? csv : xlsx;
    if (csv != NULL && xlsx != NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: both %s and %s exist: keep one of them (which form is the "
                    "current one cannot be guessed)",
                    dir, csv, xlsx);
        tm_i_form_diagnostics_add(diags, xlsx, 0, 0, NULL,
                                  "a CSV copy of this form exists too: keep one of them",
                                  TM_FORM_ERROR);
        g_free(csv);
        out = NULL;
    }
    if (out != xlsx)
        g_free(xlsx);
    g_free(en_csv);
    g_free(zh_csv);
    g_free(en_x);
    g_free(zh_x);
    return out;
}

gboolean tm_forms_read_dir(TmProgramme *programme, const char *dir, TmFormsMode mode,
                           TmFormDiagnostics *diagnostics_out, GError **error)
{
    if (!check_args(programme, dir, error))
        return FALSE;
    GError *both = NULL;
    char *sites = pick_form_any(dir, "sites", "需求登记表", diagnostics_out, &both);
    char *comms =
        both ? NULL : pick_form_any(dir, "commissioners", "申请表", diagnostics_out, &both);
    if (both != NULL) {
        g_propagate_error(error, both);
        g_free(sites);
        g_free(comms);
        return FALSE;
    }
    if (sites == NULL || comms == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: missing form%s: %s%s%s (or the same name%s in .xlsx)", dir,
                    sites == NULL && comms == NULL ? "s" : "",
                    sites == NULL ? "sites.csv (需求登记表.csv)" : "",
                    sites == NULL && comms == NULL ? " and " : "",
                    comms == NULL ? "commissioners.csv (申请表.csv)" : "",
                    sites == NULL && comms == NULL ? "s" : "");
        g_free(sites);
        g_free(comms);
        return FALSE;
    }
    gboolean ok = tm_forms_read_pair(programme, sites, comms, mode, diagnostics_out, error);
    g_free(sites);
    g_free(comms);
    return ok;
}

gboolean tm_forms_read_pair(TmProgramme *programme, const char *sites_path,
                            const char *commissioners_path, TmFormsMode mode,
                            TmFormDiagnostics *diagnostics_out, GError **error)
{
    if (!check_args(programme, sites_path, error)
        || !check_args(programme, commissioners_path, error))
        return FALSE;
    /* both forms parsed, then the ranked lists checked across them, then
     * both added: all or nothing */
    int32_t n_c = tm_programme_n_commissioners(programme), n_s = tm_programme_n_sites(programme);
    FormCtx *cs = NULL, *cc = NULL;
    gboolean ok =
        (cs = parse_path(programme, FORM_SITES, sites_path, mode, diagnostics_out, error)) !=
            NULL &&
        (cc = parse_path(programme, FORM_COMMISSIONERS, commissioners_path, mode,
                         diagnostics_out, error)) != NULL &&
        tm_i_form_check_wishes(cs, cc, error) && tm_i_form_check_wishes(cc, cs, error) &&
        tm_i_form_add(cs, error) && tm_i_form_add(cc, error);
    if (!ok)
        tm_i_form_rollback(programme, n_c, n_s);
    tm_i_form_free(cs);
    tm_i_form_free(cc);
    return ok;
}
