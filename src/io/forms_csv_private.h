/* techmatch — internals of the CSV readers of the two forms (io layer, not
 * installed; see forms.h and docs/forms.md).
 *
 * Reading one form is spread over:
 *   forms_columns.c  the columns of each form, mapping the header row to them
 *   forms_cells.c    parsing one cell of each column type (numbers, yes/no,
 *                    lists, names, sectors, coordinates)
 *   forms_rows.c     one row of the demand registration form (a site) and of
 *                    the application form (a commissioner)
 *   forms_csv.c      the reader of one form: byte order marks, the rows,
 *                    strict and lenient handling, adding the rows; the rows
 *                    come from CSV text or a sheet of an .xlsx workbook
 *                    (xlsx_read.c), through one FormSource
 *   forms_read.c     the public entry points: a file, a buffer, a folder
 *                    (with rollback)
 * Every row is parsed and checked before any is added to the programme, so a
 * strict read is all or nothing. */
#ifndef TECHMATCH_IO_FORMS_CSV_PRIVATE_H
#define TECHMATCH_IO_FORMS_CSV_PRIVATE_H

#include <glib.h>
#include <techmatch/forms.h>

#include "io/csv.h"
#include "io/forms_private.h"
#include "io/xlsx_read.h"

/* ---- columns (forms_columns.c) ------------------------------------------- */

typedef struct {
    const char *en;        /* canonical English header (also the code) */
    const char *zh;        /* canonical Chinese header */
    const char *aliases;   /* more accepted headers, '|'-separated, normalized */
    gboolean required;
} ColumnSpec;

/* The columns of the demand registration form (sites). */
enum {
    SF_NAME, SF_KIND, SF_SECTOR, SF_CLINIC, SF_NEEDS, SF_MIN_TITLE, SF_YEARS, SF_CAPACITY,
    SF_X, SF_Y, SF_LOCATION, SF_RANKED, SF_TASKS, SF_CONSENT, SF_N
};

/* The columns of the application form (commissioners). */
enum {
    CF_NAME, CF_TITLE, CF_UNIT, CF_UNIT_KIND, CF_SUPPORT, CF_TEAM, CF_EXPERTISE, CF_SKILLS,
    CF_YEARS, CF_CAPACITY, CF_X, CF_Y, CF_LOCATION, CF_MERIT, CF_WISHES, CF_TASKS, CF_CONSENT,
    CF_N
};

#define MERIT_MAX 100.0
#define COORD_MAX 1e6
#define CAPACITY_MAX 1000000
#define TEAM_MAX 1000
#define YEARS_MAX 10
#define DEFAULT_LEVEL 2

/* ---- the reading context ------------------------------------------------- */

typedef enum { FORM_SITES, FORM_COMMISSIONERS } FormKind;

/* Why a row was refused. */
typedef struct {
    int column;       /* 1-based, 0 = whole row */
    char *message;
} RowError;

typedef struct {
    TmSite s;
    int32_t *wish_rank; /* rank of each ranked name (ties: equal), NULL when strict */
    int line;
} PSite;

typedef struct {
    TmCommissioner c;
    int32_t *wish_rank; /* rank of each wish (ties: equal), NULL when strict */
    int line;
} PComm;

typedef struct {
    TmProgramme *prog;
    const TmTaxonomy *tax;
    const char *file;          /* in messages: the path, or PATH:SHEET for a workbook */
    char *file_owned;          /* what file points to, when the context owns it */
    gboolean xlsx;             /* the rows come from a sheet of an .xlsx workbook */
    int xlsx_warned_cols;      /* columns right of the header already warned about */
    TmFormsMode mode;
    TmFormDiagnostics *diags;  /* may be NULL */
    FormKind kind;
    const ColumnSpec *spec;
    int n_spec;
    int col_of[(int)CF_N > (int)SF_N ? (int)CF_N : (int)SF_N]; /* field -> 0-based column, or -1 */
    char **headers;            /* as written, trimmed */
    int n_headers;
    GStringChunk *strings;     /* parsed values */
    GPtrArray *owned;          /* arrays owned by parsed rows */
    GHashTable *names;         /* name (in strings) -> line */
    GArray *rows;              /* PSite or PComm */
    char *known_sectors;       /* "eit, culture, ..." */
    int n_bad_rows;
    GError *fatal;             /* a failure that is not the row's (no memory): ends the read */
    int n_warned[3];           /* warnings of each FormWarning kind so far */
    int n_zh_headers;          /* known columns headed in Chinese / in English: */
    int n_en_headers;          /* mostly Chinese makes the programme's language zh */
} FormCtx;

/* Warnings that one file can repeat without bound (a header of 10^6 unknown
 * columns): the first FORM_WARN_LIMIT of each kind are listed, the rest
 * counted in one summary warning. */
typedef enum { FORM_WARN_UNKNOWN_COLUMN, FORM_WARN_NO_HEADER, FORM_WARN_UNKNOWN_WISH } FormWarning;
#define FORM_WARN_LIMIT 10

/* The 1-based column of @field in messages (0 when the column is absent). */
static inline int form_col(const FormCtx *ctx, int field)
{
    return ctx->col_of[field] + 1;
}

/* ---- the rows of one form, from CSV or a sheet ----------------------------- */

/* Where the records of a form come from: CSV text or a sheet of a workbook
 * (xlsx_read.h); both feed the same header and row handling. */
typedef struct {
    TmCsv csv;           /* when sheet is NULL */
    TmXlsxSheet *sheet;  /* borrowed */
    GError *error;       /* the sheet is damaged: the read fails (both modes) */
} FormSource;

/* The next record of @src into @rec; FALSE at the end or when the sheet is
 * damaged (src->error set). */
G_GNUC_INTERNAL gboolean tm_i_form_source_next(FormSource *src, TmCsvRecord *rec);
/* Records src->error as the error that fails the read (TM_ERROR_PARSE). */
G_GNUC_INTERNAL void tm_i_form_source_fail(FormCtx *ctx, FormSource *src, GError **error);

/* ---- the reader (forms_csv.c) -------------------------------------------- */

/* Appends a diagnostic, naming the column's header when it has one. */
G_GNUC_INTERNAL void tm_i_form_diag(FormCtx *ctx, TmFormSeverity sev, int line, int column,
                                    const char *message);
/* Records an error diagnostic and sets @error (TM_ERROR_PARSE). */
G_GNUC_INTERNAL void tm_i_form_fail(FormCtx *ctx, GError **error, int line, int column,
                                    const char *message);
/* Whether every field of @rec is blank (a NUL byte is not blank). */
G_GNUC_INTERNAL gboolean tm_i_form_record_is_blank(const TmCsvRecord *rec);
/* A warning of a repeatable @kind: listed while fewer than FORM_WARN_LIMIT
 * were, else only counted. */
G_GNUC_INTERNAL void tm_i_form_warn(FormCtx *ctx, FormWarning kind, int line, int column,
                                    const char *message);
/* One warning at @line:0 for the warnings of @kind that were counted, not
 * listed: "and N more @what". */
G_GNUC_INTERNAL void tm_i_form_warn_summary(FormCtx *ctx, FormWarning kind, int line,
                                            const char *what);
/* Reads one form of @kind from @len bytes of @data into @prog; @file names it
 * in messages.  Same as tm_i_form_parse() + tm_i_form_add() + tm_i_form_free(). */
G_GNUC_INTERNAL gboolean tm_i_form_read(TmProgramme *prog, FormKind kind, const char *data,
                                        gsize len, const char *file, TmFormsMode mode,
                                        TmFormDiagnostics *diags, GError **error);
/* Parses and checks every row of one form without adding any; NULL with
 * @error on a file-level problem or, in strict mode, a bad row.  @file is
 * borrowed for the context's life; @data is not used after the call. */
G_GNUC_INTERNAL FormCtx *tm_i_form_parse(TmProgramme *prog, FormKind kind, const char *data,
                                         gsize len, const char *file, TmFormsMode mode,
                                         TmFormDiagnostics *diags, GError **error);
/* As tm_i_form_parse(), from the .xlsx workbook in @len bytes of @data:
 * sheet @sheet (NULL: the first visible worksheet; a warning when there are
 * several).  @path names the workbook; messages name `PATH:SHEET`.  A
 * workbook that cannot be opened, or has no such sheet, fails with
 * `PATH: reason` (TM_ERROR_PARSE, or TM_ERROR_IO for an unknown sheet). */
G_GNUC_INTERNAL FormCtx *tm_i_form_parse_xlsx(TmProgramme *prog, FormKind kind,
                                              const char *data, gsize len, const char *path,
                                              const char *sheet, TmFormsMode mode,
                                              TmFormDiagnostics *diags, GError **error);
/* Adds the rows parsed by tm_i_form_parse() to the programme (strict: all
 * or none). */
G_GNUC_INTERNAL gboolean tm_i_form_add(FormCtx *ctx, GError **error);
/* NULL-safe. */
G_GNUC_INTERNAL void tm_i_form_free(FormCtx *ctx);

/* ---- wishes across the two forms (forms_wishes.c) ------------------------ */

/* Checks that every name in the ranked lists of @ctx's rows names an agent
 * of the other side: a row of @other (the other form, parsed) or an agent
 * already in the programme.  Strict: the first unknown name fails with
 * `FILE:LINE:COLUMN: HEADER: ...` (TM_ERROR_PARSE).  Lenient: each unknown
 * name is a warning and the wish is dropped from its list. */
G_GNUC_INTERNAL gboolean tm_i_form_check_wishes(FormCtx *ctx, const FormCtx *other,
                                                GError **error);
/* Drops what a failed read added (the counts were recorded before it). */
G_GNUC_INTERNAL void tm_i_form_rollback(TmProgramme *prog, int32_t n_commissioners,
                                        int32_t n_sites);

/* ---- columns (forms_columns.c) ------------------------------------------- */

/* Sets ctx->spec and ctx->n_spec to the columns of ctx->kind. */
G_GNUC_INTERNAL void tm_i_form_use_columns(FormCtx *ctx);
/* Reads the header record into ctx->headers and ctx->col_of; FALSE (with
 * @error) on a file-level problem. */
G_GNUC_INTERNAL gboolean tm_i_form_read_header(FormCtx *ctx, FormSource *src,
                                               TmCsvRecord *rec, GError **error);

/* ---- cells (forms_cells.c) ----------------------------------------------- *
 * Each parser reads the cell of @field (a column of ctx->spec) in @rec; on a
 * bad value it fills @e and returns FALSE.  Strings they return live in
 * ctx->strings, arrays in ctx->owned. */

/* Trimmed cell value of @field (NUL-terminated, inside the record's buffer,
 * which it modifies); "" when the column is absent. */
G_GNUC_INTERNAL const char *tm_i_form_cell(const FormCtx *ctx, TmCsvRecord *rec, int field);
/* Fills @e (taking @message) and returns FALSE. */
G_GNUC_INTERNAL gboolean tm_i_form_row_fail(RowError *e, int column, char *message);
/* Fills @e with the formatted message at the column of @field and returns
 * FALSE. */
G_GNUC_INTERNAL gboolean tm_i_form_bad_cell(const FormCtx *ctx, int field, RowError *e,
                                            const char *format, ...) G_GNUC_PRINTF(4, 5);
/* A whole number in @lo..@hi; @def when the cell is empty. */
G_GNUC_INTERNAL gboolean tm_i_form_int(const FormCtx *ctx, TmCsvRecord *rec, int field,
                                       const char *what, int64_t lo, int64_t hi, int64_t def,
                                       int32_t *out, RowError *e);
/* A number in @lo..@hi; *@given tells whether the cell had one. */
G_GNUC_INTERNAL gboolean tm_i_form_double(const FormCtx *ctx, TmCsvRecord *rec, int field,
                                          const char *what, double lo, double hi, double *out,
                                          gboolean *given, RowError *e);
/* yes/no (是/否, ...); an empty cell is FALSE unless @required. */
G_GNUC_INTERNAL gboolean tm_i_form_bool(const FormCtx *ctx, TmCsvRecord *rec, int field,
                                        const char *what, gboolean required, gboolean *out,
                                        RowError *e);
/* Splits a list cell (separators ; ； 、 ， and line breaks) into trimmed,
 * non-empty items; their number in *@n_out. */
G_GNUC_INTERNAL const char **tm_i_form_list(FormCtx *ctx, const char *s, int32_t *n_out);
/* A ranked list cell of @field (wishes, ranked commissioners): a list
 * (tm_i_form_list()) whose items are names or ties of names joined by `=`
 * or `＝` ("A=B；C": A and B tied first, then C).  The names in order into
 * *@names_out (*@n_out of them); with a tie, the rank of each (its item's
 * index) into *@ranks_out, else NULL there.  An empty name in a tie ("A=",
 * "=A", "A==B") is a bad cell (@what names the list in the message).
 * Arrays are owned by ctx->owned. */
G_GNUC_INTERNAL gboolean tm_i_form_ranked_list(FormCtx *ctx, TmCsvRecord *rec, int field,
                                               const char *what, const char ***names_out,
                                               int32_t *n_out, int32_t **ranks_out,
                                               RowError *e);
/* FALSE when an item of the list of @field appears twice. */
G_GNUC_INTERNAL gboolean tm_i_form_no_repeats(const FormCtx *ctx, int field, const char *what,
                                              const char *const *items, int32_t n,
                                              RowError *e);
/* A non-empty name not given earlier in the form nor already in the
 * programme; @side is "site" or "commissioner". */
G_GNUC_INTERNAL gboolean tm_i_form_name(FormCtx *ctx, TmCsvRecord *rec, int field,
                                        const char *side, const char **out, RowError *e);
/* The sector named by @text (code or name); @context follows the text in the
 * message. */
G_GNUC_INTERNAL gboolean tm_i_form_sector(FormCtx *ctx, const char *text, int field,
                                          const char *context, int32_t *out, RowError *e);
/* Both coordinates of columns @fx and @fy, or neither (TM_NO_LOCATION). */
G_GNUC_INTERNAL gboolean tm_i_form_location(FormCtx *ctx, TmCsvRecord *rec, int fx, int fy,
                                            double *x, double *y, RowError *e);
/* The cell as a stored string, NULL when empty. */
G_GNUC_INTERNAL const char *tm_i_form_opt_string(FormCtx *ctx, TmCsvRecord *rec, int field);
/* Message for the invalid UTF-8 (or NUL byte) in @len bytes of @s.  Caller
 * g_free()s. */
G_GNUC_INTERNAL char *tm_i_form_bad_utf8(const char *s, gsize len);

/* The task types of the list cell of @field (tasks.h: codes, Chinese and
 * English names, synonyms) as bits into *@out (0 when empty); an unknown
 * item is a bad cell listing the six codes.  A task given twice (under two
 * spellings) counts once. */
G_GNUC_INTERNAL gboolean tm_i_form_tasks(FormCtx *ctx, TmCsvRecord *rec, int field,
                                         uint32_t *out, RowError *e);
/* The consent cell of @field (docs/forms.md, "Consent"): yes/是 = named only,
 * no/否 = open, a word of tm_consent_from_string(); empty = TM_CONSENT_DEFAULT. */
G_GNUC_INTERNAL gboolean tm_i_form_consent(const FormCtx *ctx, TmCsvRecord *rec, int field,
                                           TmConsent *out, RowError *e);

/* ---- rows (forms_rows.c) ------------------------------------------------- */

G_GNUC_INTERNAL gboolean tm_i_form_site_row(FormCtx *ctx, TmCsvRecord *rec, PSite *out,
                                            RowError *e);
G_GNUC_INTERNAL gboolean tm_i_form_comm_row(FormCtx *ctx, TmCsvRecord *rec, PComm *out,
                                            RowError *e);

#endif /* TECHMATCH_IO_FORMS_CSV_PRIVATE_H */
