/* techmatch — the public entry points of the form readers (see forms.h):
 * a form from a file or from a buffer, and both forms from a folder, which
 * puts the programme back as it was when either form fails. */
#include <string.h>

#include "io/forms_csv_private.h"

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
    return tm_i_form_read(prog, kind, data, len, source ? source : "<data>", mode, diags, error);
}

/* Parses the form at @path (nothing added); NULL with @error. */
static FormCtx *parse_path(TmProgramme *prog, FormKind kind, const char *path,
                           TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    if (!check_args(prog, path, error))
        return NULL;
    char *buf = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &buf, &len, &io)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read the form: %s", path,
                    io->message);
        char *msg = g_strdup_printf("cannot read the form: %s", io->message);
        tm_i_form_diagnostics_add(diags, path, 0, 0, NULL, msg, TM_FORM_ERROR);
        g_free(msg);
        g_error_free(io);
        return NULL;
    }
    FormCtx *ctx = NULL;
    if (mode != TM_FORMS_STRICT && mode != TM_FORMS_LENIENT)
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: unknown mode %d",
                    (int)mode);
    else
        ctx = tm_i_form_parse(prog, kind, buf, len, path, mode, diags, error);
    g_free(buf);
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

gboolean tm_forms_read_dir(TmProgramme *programme, const char *dir, TmFormsMode mode,
                           TmFormDiagnostics *diagnostics_out, GError **error)
{
    if (!check_args(programme, dir, error))
        return FALSE;
    char *sites = pick_form(dir, "sites.csv", "需求登记表.csv", diagnostics_out);
    char *comms = pick_form(dir, "commissioners.csv", "申请表.csv", diagnostics_out);
    if (sites == NULL || comms == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: missing form%s: %s%s%s", dir, sites == NULL && comms == NULL ? "s" : "",
                    sites == NULL ? "sites.csv (需求登记表.csv)" : "",
                    sites == NULL && comms == NULL ? " and " : "",
                    comms == NULL ? "commissioners.csv (申请表.csv)" : "");
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
