/* techmatch — the selection as a workbook, assignments.xlsx (output.h):
 * the assignments, every agent's outcome and reason, and the coverage per
 * sector, written with libxlsxwriter.
 *
 * libxlsxwriter 1.1 writes to a named file only (no memory output), so the
 * workbook goes into a private temporary folder (also libxlsxwriter's own
 * folder for its scratch files), is read back and the folder removed.  The
 * rows are written in order in libxlsxwriter's constant-memory mode (each
 * row goes to a scratch file as the next one starts; text cells are inline
 * strings), so memory does not grow with the programme.  The
 * workbook's creation time is fixed (TM_I_XLSX_CREATED) and libxlsxwriter
 * dates the zip entries 1980-01-01, so the same selection gives the same
 * bytes. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include <techmatch/matching.h>
#include <techmatch/output.h>
#include <techmatch/report.h>

#include "io/report_internal.h"
#include "io/sheets_private.h"

/* 2000-01-01T00:00:00Z: the document's "created" property (0 would mean
 * "now" to libxlsxwriter, and different bytes on every run). */
#define TM_I_XLSX_CREATED ((time_t)946684800)

/* Column widths (Excel's units: about one Latin digit; a CJK character
 * counts two) are fitted to the longest cell, within these bounds. */
#define WIDTH_MIN 6.0
#define WIDTH_MAX 50.0
#define WIDTH_MAX_WRAPPED 80.0

#define MAX_COLS 12

typedef struct {
    lxw_workbook *wb;
    lxw_format *bold, *wrap, *score, *percent;
    GError **error;
    gboolean ok; /* FALSE after the first failure (then *error is set) */
} Book;

typedef struct {
    Book *book;
    lxw_worksheet *ws;
    const char *name;
    int ncols;
    lxw_row_t row; /* the next row to write */
    double width[MAX_COLS];
    gboolean wrapped[MAX_COLS]; /* long text, wrapped in a wider column */
} Sheet;

/* "sheet 'Assignments', cell B7" */
static void fail(Sheet *sh, lxw_row_t row, int col, const char *what)
{
    if (!sh->book->ok)
        return;
    sh->book->ok = FALSE;
    char cell[16];
    lxw_rowcol_to_cell(cell, row, (lxw_col_t)col);
    g_set_error(sh->book->error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                "assignments.xlsx: sheet '%s', cell %s: %s", sh->name, cell, what);
}

static void check(Sheet *sh, lxw_row_t row, int col, lxw_error err)
{
    if (err != LXW_NO_ERROR)
        fail(sh, row, col, lxw_strerror(err));
}

/* The display width of @text: CJK (wide) characters count two. */
static double text_width(const char *text)
{
    double w = 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar u = g_utf8_get_char(p);
        w += g_unichar_iswide(u) ? 2.0 : g_unichar_iszerowidth(u) ? 0.0 : 1.0;
    }
    return w;
}

static void fit(Sheet *sh, int col, double w)
{
    if (col < sh->ncols && w > sh->width[col])
        sh->width[col] = w;
}

/* XML 1.0 has no C0 control characters but tab, line feed and carriage
 * return: any other becomes U+FFFD.  Returns @text itself when it has none,
 * else a new string in *@copy (g_free()). */
static const char *xml_safe(const char *text, char **copy)
{
    *copy = NULL;
    const unsigned char *p = (const unsigned char *)text;
    for (; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            break;
    if (*p == '\0')
        return text;
    GString *s = g_string_new(NULL);
    for (p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            g_string_append(s, "\xEF\xBF\xBD");
        else
            g_string_append_c(s, (char)*p);
    }
    *copy = g_string_free(s, FALSE);
    return *copy;
}

/* A text cell: always a string, never a formula (a name starting with `=`
 * stays that text).  NULL or empty: no cell. */
static void put_text(Sheet *sh, lxw_row_t row, int col, const char *text, lxw_format *fmt)
{
    if (!sh->book->ok || text == NULL || text[0] == '\0')
        return;
    if (!g_utf8_validate(text, -1, NULL)) {
        fail(sh, row, col, "the text is not valid UTF-8");
        return;
    }
    char *copy;
    const char *safe = xml_safe(text, &copy);
    check(sh, row, col, worksheet_write_string(sh->ws, row, (lxw_col_t)col, safe, fmt));
    fit(sh, col, text_width(safe));
    g_free(copy);
}

/* A number cell; its width as printed with @decimals decimals. */
static void put_number(Sheet *sh, lxw_row_t row, int col, double v, int decimals, lxw_format *fmt)
{
    if (!sh->book->ok || !isfinite(v)) /* no number: no cell */
        return;
    check(sh, row, col, worksheet_write_number(sh->ws, row, (lxw_col_t)col, v, fmt));
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_snprintf(buf, sizeof buf, "%.*f", decimals, v);
    fit(sh, col, (double)strlen(buf));
}

/* FALSE with an error when @rows rows (the header's included) do not fit
 * in a sheet. */
static gboolean rows_fit(Book *b, const char *name, int64_t rows)
{
    if (rows <= (int64_t)LXW_ROW_MAX)
        return TRUE;
    if (b->ok)
        g_set_error(b->error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "assignments.xlsx: sheet '%s' would need %" G_GINT64_FORMAT
                    " rows; a sheet holds %d (use assignments.csv or assignments.json)",
                    name, rows, (int)LXW_ROW_MAX);
    b->ok = FALSE;
    return FALSE;
}

static gboolean sheet_open(Book *b, Sheet *sh, const char *name, int ncols)
{
    memset(sh, 0, sizeof *sh);
    sh->book = b;
    sh->name = name;
    sh->ncols = ncols;
    if (!b->ok)
        return FALSE;
    sh->ws = workbook_add_worksheet(b->wb, name);
    if (sh->ws == NULL) {
        b->ok = FALSE;
        g_set_error(b->error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "assignments.xlsx: cannot add the sheet '%s'", name);
        return FALSE;
    }
    return TRUE;
}

/* The header row (bold, frozen), from @headers. */
static void sheet_header(Sheet *sh, const char *const *headers)
{
    for (int col = 0; col < sh->ncols; col++) {
        put_text(sh, 0, col, headers[col], sh->book->bold);
        fit(sh, col, text_width(headers[col]) + 1.0); /* bold and the filter's button */
    }
    sh->row = 1;
}

/* The widths, the frozen header and the filter over the rows written. */
static void sheet_close(Sheet *sh)
{
    if (!sh->book->ok)
        return;
    for (int col = 0; col < sh->ncols; col++) {
        double max = sh->wrapped[col] ? WIDTH_MAX_WRAPPED : WIDTH_MAX;
        double w = sh->width[col] + 2.0;
        w = w < WIDTH_MIN ? WIDTH_MIN : w > max ? max : w;
        check(sh, 0, col,
              worksheet_set_column(sh->ws, (lxw_col_t)col, (lxw_col_t)col, w,
                                   sh->wrapped[col] ? sh->book->wrap : NULL));
    }
    worksheet_freeze_panes(sh->ws, 1, 0);
    lxw_row_t last = sh->row > 1 ? sh->row - 1 : 1; /* a filter needs a row under the header */
    check(sh, 0, 0, worksheet_autofilter(sh->ws, 0, 0, last, (lxw_col_t)(sh->ncols - 1)));
}

/* 1. the assignments, as the CSV of tm_selection_assignments_csv_with() */
static void sheet_assignments(Book *b, const TmSelection *sel, TmLang lang)
{
    gboolean objective = tm_selection_objective_requested(sel);
    int ncols = objective ? TM_I_N_ACOLS : TM_I_ACOL_OBJECTIVE;
    const char *headers[TM_I_N_ACOLS];
    for (int col = 0; col < ncols; col++)
        headers[col] = tm_i_assignments_header(col, lang);
    Sheet sh;
    const char *name = tm_i_msg(lang, TM_M_SHEET_ASSIGNMENTS);
    if (!rows_fit(b, name, tm_matching_n_pairs(tm_selection_matching(sel)) + 1) ||
        !sheet_open(b, &sh, name, ncols))
        return;
    sheet_header(&sh, headers);
    const char *objective_code = tm_objective_code(tm_selection_objective(sel));
    double objective_value = tm_selection_objective_value(sel);
    int32_t nc = tm_selection_n_agents(sel, TM_SIDE_SUPPLY);
    for (int32_t c = 0; c < nc && b->ok; c++) {
        int32_t k;
        const int32_t *sites =
            tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++, sh.row++) {
            int32_t s = sites[j];
            lxw_row_t r = sh.row;
            put_text(&sh, r, TM_I_ACOL_COMMISSIONER, tm_i_sel_cname(sel, c), NULL);
            put_text(&sh, r, TM_I_ACOL_SITE, tm_i_sel_sname(sel, s), NULL);
            put_text(&sh, r, TM_I_ACOL_SECTOR, tm_i_sheet_sector(sel, s, lang), NULL);
            put_text(&sh, r, TM_I_ACOL_SITE_KIND, tm_i_sheet_site_kind(sel, s, lang), NULL);
            put_number(&sh, r, TM_I_ACOL_COMMISSIONER_RANK,
                       tm_selection_rank(sel, TM_SIDE_SUPPLY, c, s) + 1, 0, NULL);
            put_number(&sh, r, TM_I_ACOL_SITE_RANK,
                       tm_selection_rank(sel, TM_SIDE_DEMAND, s, c) + 1, 0, NULL);
            put_number(&sh, r, TM_I_ACOL_COMMISSIONER_SCORE,
                       tm_selection_score(sel, TM_SIDE_SUPPLY, c, s), 4, b->score);
            put_number(&sh, r, TM_I_ACOL_SITE_SCORE, tm_selection_score(sel, TM_SIDE_DEMAND, c, s),
                       4, b->score);
            if (objective) {
                put_text(&sh, r, TM_I_ACOL_OBJECTIVE, objective_code, NULL);
                put_number(&sh, r, TM_I_ACOL_OBJECTIVE_VALUE, objective_value, 4, NULL);
            }
        }
    }
    sheet_close(&sh);
}

/* 2. every agent, commissioners then sites in form order: outcome, places
 * held of its capacity, merit (commissioners), the reason */
enum {
    OCOL_SIDE,
    OCOL_NAME,
    OCOL_OUTCOME,
    OCOL_HELD,
    OCOL_CAPACITY,
    OCOL_MERIT,
    OCOL_REASON,
    N_OCOLS
};

static void sheet_outcomes(Book *b, const TmSelection *sel, TmLang lang)
{
    static const TmMsgId ids[N_OCOLS] = {
        TM_M_SHEET_COL_SIDE,     TM_M_SHEET_COL_NAME,  TM_M_SHEET_COL_OUTCOME, TM_M_SHEET_COL_HELD,
        TM_M_SHEET_COL_CAPACITY, TM_M_SHEET_COL_MERIT, TM_M_SHEET_COL_REASON};
    const char *headers[N_OCOLS];
    for (int col = 0; col < N_OCOLS; col++)
        headers[col] = tm_i_msg(lang, ids[col]);
    Sheet sh;
    const char *name = tm_i_msg(lang, TM_M_SHEET_OUTCOMES);
    if (!rows_fit(b, name,
                  (int64_t)tm_selection_n_agents(sel, TM_SIDE_SUPPLY) +
                      tm_selection_n_agents(sel, TM_SIDE_DEMAND) + 1) ||
        !sheet_open(b, &sh, name, N_OCOLS))
        return;
    sh.wrapped[OCOL_REASON] = TRUE;
    sheet_header(&sh, headers);
    const TmProgramme *p = tm_selection_programme(sel);
    const TmMatching *m = tm_selection_matching(sel);
    for (int side = TM_SIDE_SUPPLY; side <= TM_SIDE_DEMAND && b->ok; side++) {
        const char *side_word = tm_i_msg(lang, side == TM_SIDE_SUPPLY ? TM_M_SHEET_SIDE_COMMISSIONER
                                                                      : TM_M_SHEET_SIDE_SITE);
        int32_t n = tm_selection_n_agents(sel, (TmSide)side);
        for (int32_t i = 0; i < n && b->ok; i++, sh.row++) {
            lxw_row_t r = sh.row;
            int32_t held;
            (void)tm_matching_partners(m, (TmSide)side, i, &held);
            int outcome = tm_selection_outcome(sel, (TmSide)side, i, NULL);
            char *reason = tm_selection_reason(sel, (TmSide)side, i, lang);
            put_text(&sh, r, OCOL_SIDE, side_word, NULL);
            if (side == TM_SIDE_SUPPLY) {
                const TmCommissioner *c = tm_programme_commissioner(p, i);
                put_text(&sh, r, OCOL_NAME, c->name, NULL);
                put_number(&sh, r, OCOL_CAPACITY, c->capacity, 0, NULL);
                put_number(&sh, r, OCOL_MERIT, c->merit, 1, NULL);
            } else {
                const TmSite *s = tm_programme_site(p, i);
                put_text(&sh, r, OCOL_NAME, s->name, NULL);
                put_number(&sh, r, OCOL_CAPACITY, s->capacity, 0, NULL);
            }
            put_text(&sh, r, OCOL_OUTCOME, tm_outcome_label((TmOutcome)outcome, lang), NULL);
            put_number(&sh, r, OCOL_HELD, held, 0, NULL);
            put_text(&sh, r, OCOL_REASON, reason, NULL);
            g_free(reason);
        }
    }
    sheet_close(&sh);
}

/* 3. per sector of the taxonomy (the report's coverage table) */
enum {
    VCOL_SECTOR,
    VCOL_REGISTERED,
    VCOL_ELIGIBLE,
    VCOL_SERVED,
    VCOL_COVERAGE,
    VCOL_ASSIGNMENTS,
    VCOL_USED,
    VCOL_CAP,
    VCOL_FLOOR,
    N_VCOLS
};

static void sheet_coverage(Book *b, const TmSelection *sel, TmLang lang)
{
    static const TmMsgId ids[N_VCOLS] = {
        TM_M_SHEET_COL_SECTOR,      TM_M_SHEET_COL_REGISTERED, TM_M_SHEET_COL_ELIGIBLE,
        TM_M_SHEET_COL_SERVED,      TM_M_SHEET_COL_COVERAGE,   TM_M_SHEET_COL_ASSIGNMENTS,
        TM_M_SHEET_COL_USED_PEOPLE, TM_M_SHEET_COL_CAP,        TM_M_SHEET_COL_FLOOR};
    const char *headers[N_VCOLS];
    for (int col = 0; col < N_VCOLS; col++)
        headers[col] = tm_i_msg(lang, ids[col]);
    if (tm_selection_quota_unit(sel) == TM_QUOTA_ASSIGNMENTS)
        headers[VCOL_USED] = tm_i_msg(lang, TM_M_SHEET_COL_USED_ASSIGNMENTS);
    Sheet sh;
    if (!sheet_open(b, &sh, tm_i_msg(lang, TM_M_SHEET_COVERAGE), N_VCOLS))
        return;
    sheet_header(&sh, headers);
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax) && b->ok; k++, sh.row++) {
        lxw_row_t r = sh.row;
        int32_t reg, elig, served, cap, floor;
        int64_t assigned;
        tm_selection_sector_counts(sel, k, &reg, &elig, &served, &assigned);
        tm_selection_sector_limits(sel, k, &cap, &floor);
        put_text(&sh, r, VCOL_SECTOR, tm_i_sheet_sector_name(sel, k, lang), NULL);
        put_number(&sh, r, VCOL_REGISTERED, reg, 0, NULL);
        put_number(&sh, r, VCOL_ELIGIBLE, elig, 0, NULL);
        put_number(&sh, r, VCOL_SERVED, served, 0, NULL);
        /* as the report: 0 when the sector has no sites */
        put_number(&sh, r, VCOL_COVERAGE, reg > 0 ? (double)served / reg : 0.0, 2, b->percent);
        put_number(&sh, r, VCOL_ASSIGNMENTS, (double)assigned, 0, NULL);
        put_number(&sh, r, VCOL_USED, (double)tm_selection_sector_used(sel, k), 0, NULL);
        if (cap >= 0) /* none: an empty cell, as the report's "-" */
            put_number(&sh, r, VCOL_CAP, cap, 0, NULL);
        if (floor > 0)
            put_number(&sh, r, VCOL_FLOOR, floor, 0, NULL);
    }
    sheet_close(&sh);
}

static lxw_format *format_new(Book *b)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (f == NULL && b->ok) {
        b->ok = FALSE;
        g_set_error_literal(b->error, TM_ERROR, TM_ERROR_NO_MEMORY,
                            "assignments.xlsx: cannot add a cell format");
    }
    return f;
}

/* Removes the scratch folder @dir and whatever libxlsxwriter left in it. */
static void remove_scratch(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d != NULL) {
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL) {
            char *path = g_build_filename(dir, name, NULL);
            (void)g_unlink(path);
            g_free(path);
        }
        g_dir_close(d);
    }
    (void)g_rmdir(dir);
}

GBytes *tm_selection_assignments_xlsx(const TmSelection *sel, const TmOutputOptions *options,
                                      GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    TmLang lang = tm_output_options_resolve_language(options, sel);
    GError *local = NULL;
    char *dir = g_dir_make_tmp("techmatch-xlsx-XXXXXX", &local);
    if (dir == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "assignments.xlsx: cannot make a temporary folder: %s", local->message);
        g_error_free(local);
        return NULL;
    }
    char *path = g_build_filename(dir, "assignments.xlsx", NULL);
    lxw_workbook_options wopts = {
        .constant_memory = LXW_TRUE, .tmpdir = dir, .use_zip64 = LXW_FALSE};
    Book b = {.wb = workbook_new_opt(path, &wopts), .error = error, .ok = TRUE};
    GBytes *bytes = NULL;
    if (b.wb == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "assignments.xlsx: cannot start the workbook");
        goto out;
    }
    lxw_doc_properties props = {.created = TM_I_XLSX_CREATED};
    if (workbook_set_properties(b.wb, &props) != LXW_NO_ERROR) {
        b.ok = FALSE;
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                            "assignments.xlsx: cannot set the document properties");
    }
    if ((b.bold = format_new(&b)) != NULL)
        format_set_bold(b.bold);
    if ((b.wrap = format_new(&b)) != NULL) {
        format_set_text_wrap(b.wrap);
        format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((b.score = format_new(&b)) != NULL)
        format_set_num_format(b.score, "0.0000");
    if ((b.percent = format_new(&b)) != NULL)
        format_set_num_format(b.percent, "0%");
    sheet_assignments(&b, sel, lang);
    sheet_outcomes(&b, sel, lang);
    sheet_coverage(&b, sel, lang);
    /* workbook_close() writes the file and frees the workbook, in any case;
     * one at a time: libxlsxwriter dates the document with gmtime(), whose
     * result is shared by the process */
    static GMutex packaging;
    g_mutex_lock(&packaging);
    lxw_error err = workbook_close(b.wb);
    g_mutex_unlock(&packaging);
    if (b.ok && err != LXW_NO_ERROR) {
        b.ok = FALSE;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "assignments.xlsx: cannot write %s: %s", path,
                    lxw_strerror(err));
    }
    if (b.ok) {
        char *data = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &data, &len, &local)) {
            bytes = g_bytes_new_take(data, len);
        } else {
            g_set_error(error, TM_ERROR, TM_ERROR_IO, "assignments.xlsx: cannot read back: %s",
                        local->message);
            g_clear_error(&local);
        }
    }
out:
    remove_scratch(dir);
    g_free(path);
    g_free(dir);
    return bytes;
}
