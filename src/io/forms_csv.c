/* techmatch — the CSV reader of one form of the programme (see forms.h,
 * docs/forms.md and forms_csv_private.h): the demand registration form
 * (sites) or the application form (commissioners).  Byte order marks, the
 * header, then every row parsed and checked before any is added, so a strict
 * read is all or nothing and a lenient one skips the bad rows. */
#include <string.h>

#include <techmatch/preferences.h>

#include "io/forms_csv_private.h"
#include "util/text.h"

/* ---- diagnostics --------------------------------------------------------- */

/* The header of 1-based @column, NULL when it has none. */
static const char *column_header(const FormCtx *ctx, int column)
{
    return (column >= 1 && column <= ctx->n_headers && ctx->headers[column - 1][0] != '\0')
               ? ctx->headers[column - 1]
               : NULL;
}

void tm_i_form_diag(FormCtx *ctx, TmFormSeverity sev, int line, int column, const char *message)
{
    tm_i_form_diagnostics_add(ctx->diags, ctx->file, line, column, column_header(ctx, column),
                              message, sev);
}

void tm_i_form_warn(FormCtx *ctx, FormWarning kind, int line, int column, const char *message)
{
    if (ctx->n_warned[kind]++ < FORM_WARN_LIMIT)
        tm_i_form_diag(ctx, TM_FORM_WARNING, line, column, message);
}

void tm_i_form_warn_summary(FormCtx *ctx, FormWarning kind, int line, const char *what)
{
    if (ctx->n_warned[kind] <= FORM_WARN_LIMIT)
        return;
    char *msg = g_strdup_printf("and %d more %s (only the first %d are listed)",
                                ctx->n_warned[kind] - FORM_WARN_LIMIT, what, FORM_WARN_LIMIT);
    tm_i_form_diag(ctx, TM_FORM_WARNING, line, 0, msg);
    g_free(msg);
}

void tm_i_form_fail(FormCtx *ctx, GError **error, int line, int column, const char *message)
{
    tm_i_form_diag(ctx, TM_FORM_ERROR, line, column, message);
    char *full =
        tm_i_form_position(ctx->file, line, column, column_header(ctx, column), message, FALSE);
    g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, full);
    g_free(full);
}

gboolean tm_i_form_record_is_blank(const TmCsvRecord *rec)
{
    for (int i = 0; i < rec->n; i++) {
        gsize len, n;
        const char *f = tm_csv_field(rec, i, &len);
        if (memchr(f, '\0', len) != NULL)
            return FALSE;
        (void)tm_i_trim(f, &n);
        if (n > 0)
            return FALSE;
    }
    return TRUE;
}

/* The counts are the programme's own, so the truncation cannot fail. */
void tm_i_form_rollback(TmProgramme *prog, int32_t n_commissioners, int32_t n_sites)
{
    (void)tm_programme_truncate(prog, n_commissioners, n_sites, NULL);
}

/* ---- the context --------------------------------------------------------- */

static void ctx_init(FormCtx *ctx, TmProgramme *prog, FormKind kind, const char *file,
                     TmFormsMode mode, TmFormDiagnostics *diags)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->prog = prog;
    ctx->tax = tm_programme_taxonomy(prog);
    ctx->file = file;
    ctx->mode = mode;
    ctx->diags = diags;
    ctx->kind = kind;
    tm_i_form_use_columns(ctx);
}

/* What the rows need, once the header is read. */
static void ctx_prepare_rows(FormCtx *ctx)
{
    GString *secs = g_string_new(NULL);
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(ctx->tax); i++)
        g_string_append_printf(secs, "%s%s", i ? ", " : "", tm_taxonomy_code(ctx->tax, i));
    ctx->known_sectors = g_string_free(secs, FALSE);
    ctx->strings = g_string_chunk_new((gsize)64 * 1024);
    ctx->owned = g_ptr_array_new_with_free_func(g_free);
    ctx->names = g_hash_table_new(g_str_hash, g_str_equal);
    ctx->rows =
        g_array_new(FALSE, FALSE, ctx->kind == FORM_SITES ? sizeof(PSite) : sizeof(PComm));
}

static void ctx_clear(FormCtx *ctx)
{
    g_free(ctx->file_owned);
    if (ctx->headers != NULL)
        g_strfreev(ctx->headers);
    if (ctx->strings != NULL)
        g_string_chunk_free(ctx->strings);
    if (ctx->owned != NULL)
        g_ptr_array_unref(ctx->owned);
    if (ctx->names != NULL)
        g_hash_table_destroy(ctx->names);
    if (ctx->rows != NULL)
        g_array_unref(ctx->rows);
    g_free(ctx->known_sectors);
    g_clear_error(&ctx->fatal);
}

/* Refuses UTF-16 and skips a UTF-8 byte order mark. */
static gboolean skip_bom(FormCtx *ctx, const char **data, gsize *len, GError **error)
{
    const guchar *d = (const guchar *)*data;
    if (*len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
        tm_i_form_fail(ctx, error, 1, 0, "the file is UTF-16 encoded; save it as UTF-8");
        return FALSE;
    }
    if (*len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        *data += 3;
        *len -= 3;
    }
    return TRUE;
}

/* ---- the source of the records ---------------------------------------------- */

gboolean tm_i_form_source_next(FormSource *src, TmCsvRecord *rec)
{
    if (src->sheet == NULL)
        return tm_csv_next(&src->csv, rec);
    return src->error == NULL && tm_xlsx_sheet_next(src->sheet, rec, &src->error);
}

void tm_i_form_source_fail(FormCtx *ctx, FormSource *src, GError **error)
{
    int row = src->sheet != NULL ? tm_xlsx_sheet_error_row(src->sheet) : 0;
    tm_i_form_fail(ctx, error, row, 0, src->error ? src->error->message : "cannot read");
}

/* A row of a sheet has no fixed width: the cells it lacks are empty, and a
 * value right of the header's last column is ignored with a warning (once
 * per column), as a column without a header is. */
static void fit_sheet_record(FormCtx *ctx, TmCsvRecord *rec)
{
    for (int i = ctx->n_headers; i < rec->n; i++) {
        gsize len, n;
        const char *f = tm_csv_field(rec, i, &len);
        (void)tm_i_trim(f, &n);
        if ((n == 0 && memchr(f, '\0', len) == NULL) || i < ctx->xlsx_warned_cols)
            continue;
        char col[8], last[8];
        tm_xlsx_column_name(i + 1, col);
        tm_xlsx_column_name(ctx->n_headers, last);
        char *msg = g_strdup_printf("column %s has a value but no header (the header ends at "
                                    "column %s); ignored",
                                    col, ctx->n_headers > 0 ? last : "-");
        tm_i_form_warn(ctx, FORM_WARN_NO_HEADER, rec->line, i + 1, msg);
        g_free(msg);
        ctx->xlsx_warned_cols = i + 1;
    }
    if (rec->n > ctx->n_headers)
        rec->n = ctx->n_headers;
    while (rec->n < ctx->n_headers)
        tm_csv_record_add(rec, "", 0);
}

/* ---- the rows ------------------------------------------------------------ */

/* The record as a whole: no syntax error, as many fields as the header, valid
 * UTF-8 in the columns in use. */
static gboolean check_record(FormCtx *ctx, TmCsvRecord *rec, RowError *e)
{
    if (ctx->xlsx)
        fit_sheet_record(ctx, rec);
    if (rec->error != NULL)
        return tm_i_form_row_fail(e, rec->error_field + 1, g_strdup(rec->error));
    if (rec->n != ctx->n_headers)
        /* column: the first extra field, or the first missing one */
        return tm_i_form_row_fail(e, rec->n > ctx->n_headers ? ctx->n_headers + 1 : rec->n + 1,
                                  g_strdup_printf("wrong number of fields: the row has %d, the "
                                                  "header has %d",
                                                  rec->n, ctx->n_headers));
    for (int f = 0; f < ctx->n_spec; f++) {
        int col = ctx->col_of[f];
        if (col < 0 || col >= rec->n)
            continue;
        gsize flen;
        const char *fv = tm_csv_field(rec, col, &flen);
        if (!g_utf8_validate_len(fv, flen, NULL))
            return tm_i_form_row_fail(e, col + 1, tm_i_form_bad_utf8(fv, flen));
    }
    return TRUE;
}

/* Parses the row of @rec and keeps it in ctx->rows. */
static gboolean parse_row(FormCtx *ctx, TmCsvRecord *rec, RowError *e)
{
    const char *name;
    if (ctx->kind == FORM_SITES) {
        PSite ps;
        ps.line = rec->line;
        if (!tm_i_form_site_row(ctx, rec, &ps, e))
            return FALSE;
        g_array_append_val(ctx->rows, ps);
        name = ps.s.name;
    } else {
        PComm pc;
        pc.line = rec->line;
        if (!tm_i_form_comm_row(ctx, rec, &pc, e))
            return FALSE;
        g_array_append_val(ctx->rows, pc);
        name = pc.c.name;
    }
    g_hash_table_insert(ctx->names, (gpointer)name, GINT_TO_POINTER(rec->line));
    return TRUE;
}

/* Reports a refused row: an error ending a strict read (FALSE), a diagnostic
 * in a lenient one.  Frees the message of @e. */
static gboolean refuse_row(FormCtx *ctx, int line, RowError *e, GError **error)
{
    gboolean go_on = TRUE;
    ctx->n_bad_rows++;
    if (ctx->mode == TM_FORMS_STRICT) {
        tm_i_form_fail(ctx, error, line, e->column, e->message);
        go_on = FALSE;
    } else {
        tm_i_form_diag(ctx, TM_FORM_ERROR, line, e->column, e->message);
    }
    g_free(e->message);
    return go_on;
}

/* Reads the rows after the header (blank ones skipped); FALSE when a strict
 * read refused one. */
static gboolean read_rows(FormCtx *ctx, FormSource *src, TmCsvRecord *rec, GError **error)
{
    int header_line = rec->line;
    int n_rows = 0;
    while (tm_i_form_source_next(src, rec)) {
        if (rec->error == NULL && tm_i_form_record_is_blank(rec))
            continue;
        n_rows++;
        RowError e = {0, NULL};
        gboolean row_ok = check_record(ctx, rec, &e) && parse_row(ctx, rec, &e);
        if (!row_ok && ctx->fatal != NULL) {
            g_free(e.message);
            g_propagate_error(error, g_steal_pointer(&ctx->fatal));
            return FALSE;
        }
        if (!row_ok && !refuse_row(ctx, rec->line, &e, error))
            return FALSE;
    }
    if (src->error != NULL) { /* a damaged sheet: not a row's fault */
        tm_i_form_source_fail(ctx, src, error);
        return FALSE;
    }
    if (n_rows == 0)
        tm_i_form_diag(ctx, TM_FORM_WARNING, header_line, 0,
                       "the form has a header but no data rows");
    return TRUE;
}

/* Adds the parsed rows to the programme.  The checks above make failures here
 * unexpected, but a strict read stays all-or-nothing anyway. */
gboolean tm_i_form_add(FormCtx *ctx, GError **error)
{
    TmProgramme *prog = ctx->prog;
    int32_t n_c = tm_programme_n_commissioners(prog), n_s = tm_programme_n_sites(prog);
    for (guint i = 0; i < ctx->rows->len; i++) {
        GError *add_err = NULL;
        int line;
        int32_t id, n_wishes;
        const int32_t *ranks;
        TmSide side;
        if (ctx->kind == FORM_SITES) {
            const PSite *ps = &g_array_index(ctx->rows, PSite, i);
            line = ps->line;
            id = tm_programme_add_site(prog, &ps->s, &add_err);
            side = TM_SIDE_DEMAND;
            ranks = ps->wish_rank;
            n_wishes = ps->s.n_ranked_commissioners;
        } else {
            const PComm *pc = &g_array_index(ctx->rows, PComm, i);
            line = pc->line;
            id = tm_programme_add_commissioner(prog, &pc->c, &add_err);
            side = TM_SIDE_SUPPLY;
            ranks = pc->wish_rank;
            n_wishes = pc->c.n_ranked_sites;
        }
        if (id >= 0 && ranks != NULL
            && !tm_programme_set_wish_ranks(prog, side, id, ranks, n_wishes, &add_err)) {
            /* out of memory, not the row's fault: the read fails in both modes */
            tm_i_form_fail(ctx, error, line, 0, add_err->message);
            g_error_free(add_err);
            tm_i_form_rollback(prog, n_c, n_s);
            return FALSE;
        }
        if (id >= 0)
            continue;
        gboolean strict = ctx->mode == TM_FORMS_STRICT;
        if (strict) {
            tm_i_form_fail(ctx, error, line, 0, add_err->message);
            tm_i_form_rollback(prog, n_c, n_s);
        } else {
            tm_i_form_diag(ctx, TM_FORM_ERROR, line, 0, add_err->message);
        }
        g_error_free(add_err);
        if (strict)
            return FALSE;
    }
    if (ctx->n_zh_headers > ctx->n_en_headers)
        tm_programme_set_language(prog, TM_LANG_ZH);
    return TRUE;
}

/* ---- one form ------------------------------------------------------------ */

/* The header, then the rows, of @src; frees @ctx and returns NULL when the
 * read fails. */
static FormCtx *parse_source(FormCtx *ctx, FormSource *src, GError **error)
{
    TmCsvRecord rec;
    tm_csv_record_init(&rec);
    gboolean ok = tm_i_form_read_header(ctx, src, &rec, error);
    if (ok) {
        ctx_prepare_rows(ctx);
        ok = read_rows(ctx, src, &rec, error);
    }
    tm_csv_record_clear(&rec);
    g_clear_error(&src->error);
    if (!ok) {
        tm_i_form_free(ctx);
        return NULL;
    }
    return ctx;
}

FormCtx *tm_i_form_parse(TmProgramme *prog, FormKind kind, const char *data, gsize len,
                         const char *file, TmFormsMode mode, TmFormDiagnostics *diags,
                         GError **error)
{
    FormCtx *ctx = g_new(FormCtx, 1);
    ctx_init(ctx, prog, kind, file, mode, diags);
    if (!skip_bom(ctx, &data, &len, error)) {
        tm_i_form_free(ctx);
        return NULL;
    }
    FormSource src = {.sheet = NULL, .error = NULL};
    tm_csv_init(&src.csv, data, len);
    return parse_source(ctx, &src, error);
}

/* A workbook-level failure: `PATH: reason`, also listed as an error. */
static void workbook_fail(const char *path, TmFormDiagnostics *diags, GError *why,
                          GError **error)
{
    tm_i_form_diagnostics_add(diags, path, 0, 0, NULL, why->message, TM_FORM_ERROR);
    g_set_error(error, TM_ERROR, why->code, "%s: %s", path, why->message);
    g_error_free(why);
}

FormCtx *tm_i_form_parse_xlsx(TmProgramme *prog, FormKind kind, const char *data, gsize len,
                              const char *path, const char *sheet, TmFormsMode mode,
                              TmFormDiagnostics *diags, GError **error)
{
    GError *why = NULL;
    TmXlsx *book = tm_xlsx_open(data, len, &why);
    int n_visible = 0;
    TmXlsxSheet *sh = book ? tm_xlsx_sheet_open(book, sheet, &n_visible, &why) : NULL;
    if (sh == NULL) {
        workbook_fail(path, diags, why, error);
        tm_xlsx_free(book);
        return NULL;
    }
    FormCtx *ctx = g_new(FormCtx, 1);
    char *file = g_strdup_printf("%s:%s", path, tm_xlsx_sheet_name(sh));
    ctx_init(ctx, prog, kind, file, mode, diags);
    ctx->file_owned = file;
    ctx->xlsx = TRUE;
    if (sheet == NULL && n_visible > 1) {
        char *msg = g_strdup_printf("the workbook has %d sheets; reading the first, '%s' "
                                    "(name another as %s:SHEET)",
                                    n_visible, tm_xlsx_sheet_name(sh), path);
        tm_i_form_diag(ctx, TM_FORM_WARNING, 0, 0, msg);
        g_free(msg);
    }
    FormSource src = {.sheet = sh, .error = NULL};
    ctx = parse_source(ctx, &src, error);
    tm_xlsx_sheet_free(sh);
    tm_xlsx_free(book);
    return ctx;
}

void tm_i_form_free(FormCtx *ctx)
{
    if (ctx == NULL)
        return;
    ctx_clear(ctx);
    g_free(ctx);
}

gboolean tm_i_form_read(TmProgramme *prog, FormKind kind, const char *data, gsize len,
                        const char *file, TmFormsMode mode, TmFormDiagnostics *diags,
                        GError **error)
{
    FormCtx *ctx = tm_i_form_parse(prog, kind, data, len, file, mode, diags, error);
    gboolean ok = ctx != NULL && tm_i_form_add(ctx, error);
    tm_i_form_free(ctx);
    return ok;
}
