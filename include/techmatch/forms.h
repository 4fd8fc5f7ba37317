/* techmatch — reading the programme's two forms (CSV or .xlsx) into a
 * TmProgramme.
 *
 *   需求登记表 (demand registration form)  one row per service site
 *   申请表     (application form)          one row per commissioner or team
 *
 * The columns, the accepted header names (English and Chinese) and the cell
 * syntax are specified in docs/forms.md.  In short: UTF-8 (optional BOM),
 * LF or CRLF, RFC 4180 quoting (commas, doubled quotes, line breaks inside
 * quotes), a header row naming the columns in any order, unknown columns
 * ignored with a warning, list cells separated by `;`, `；`, `、` or a line
 * break.  In the ranked lists (wishes) names joined by `=` or `＝` are tied
 * (`A=B；C`: A and B first, equally, then C); the readers store the ties
 * with tm_programme_set_wish_ranks() (preferences.h), and an empty name in
 * a tie is a bad cell.  A file with a header but no data rows is valid (0
 * agents, a warning); an empty file is an error.
 *
 * Excel workbooks: every reader also takes an .xlsx workbook (a file whose
 * content is a zip, or whose name ends in .xlsx/.xlsm; for the _data
 * readers, content that is a zip), read from its first visible worksheet or
 * from the sheet named as `PATH.xlsx:SHEET` (a path that exists as a file
 * is a file first).  The sheet's rows go through the same columns, cells,
 * modes and messages as CSV; positions are the sheet's row numbers and the
 * file is named `PATH:SHEET` (`sites.xlsx:需求登记表:7:3: 行业: ...`).  A
 * damaged workbook (not a zip, bad XML, a part inflating past 256 MiB, ...)
 * is TM_ERROR_PARSE; an unknown sheet name TM_ERROR_IO; a sheet named for a
 * CSV file TM_ERROR_INVALID_ARGUMENT.  docs/forms.md, "Excel workbooks".
 *
 * Errors and warnings carry a position: the physical line (1-based) where
 * the record starts, the column number (1-based; 0 = the whole row or file)
 * and the column's header as written in the file.  A GError message has the
 * form `FILE:LINE:COLUMN: HEADER: reason` (the `HEADER: ` part only when a
 * column is concerned), in the TM_ERROR domain with code TM_ERROR_PARSE
 * (bad content), TM_ERROR_IO (the file cannot be read) or
 * TM_ERROR_INVALID_ARGUMENT (NULL arguments).
 *
 * Modes:
 *   TM_FORMS_STRICT   the first bad row fails the read; the programme is left
 *                     exactly as it was (nothing from that file is kept).
 *   TM_FORMS_LENIENT  bad rows are skipped, each listed as an error
 *                     diagnostic; the read returns TRUE.  Problems with the
 *                     file as a whole (unreadable, empty, not UTF-8 in the
 *                     header, missing required columns, a column given
 *                     twice) still fail the read, leaving the programme
 *                     unchanged.
 *
 * Names must be unique per side: a name repeated in the file (or already
 * present in the programme) is an error naming the earlier line.
 */
#ifndef TECHMATCH_FORMS_H
#define TECHMATCH_FORMS_H

#include <glib.h>
#include <techmatch/lang.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/profile.h>

G_BEGIN_DECLS

typedef enum {
    TM_FORMS_STRICT = 0,
    TM_FORMS_LENIENT = 1,
} TmFormsMode;

typedef enum {
    TM_FORM_ERROR = 0,    /* a bad row (skipped in lenient mode) or a failed read */
    TM_FORM_WARNING = 1,  /* the read went on: e.g. an unknown column, no data rows */
} TmFormSeverity;

/**
 * TmFormDiagnostics, TmFormDiagnostic:
 * The problems found while reading forms: an opaque, growing collection of
 * opaque diagnostics, each with a position (file, line, column, the column's
 * header), a message and a severity.  The collection owns its diagnostics:
 * a diagnostic (and every string it returns) is borrowed, valid until the
 * collection is freed.  Not thread-safe: one reader at a time appends.
 */
typedef struct TmFormDiagnostics TmFormDiagnostics;
typedef struct TmFormDiagnostic TmFormDiagnostic;

/** A new, empty collection; free with tm_form_diagnostics_free().  Never
 * fails (fixed-size allocation).  O(1). */
TM_API TmFormDiagnostics *tm_form_diagnostics_new(void);

/** Frees @diagnostics and every diagnostic in it.  NULL-safe.  O(count). */
TM_API void tm_form_diagnostics_free(TmFormDiagnostics *diagnostics);

/** Number of diagnostics in @diagnostics (0 for NULL).  O(1). */
TM_API guint tm_form_diagnostics_count(const TmFormDiagnostics *diagnostics);

/** The @i-th diagnostic, in the order they were found (borrowed; NULL for a
 * NULL collection or @i out of range).  O(1). */
TM_API const TmFormDiagnostic *tm_form_diagnostics_get(const TmFormDiagnostics *diagnostics,
                                                       guint i);

/** The source name: the path, or the name given to the _data readers
 * ("<data>" by default).  Borrowed; NULL for NULL. */
TM_API const char *tm_form_diagnostic_file(const TmFormDiagnostic *diagnostic);

/** The physical line (1-based) where the record starts; 0 when the problem
 * concerns the file as a whole (e.g. it cannot be read), or for NULL. */
TM_API int tm_form_diagnostic_line(const TmFormDiagnostic *diagnostic);

/** The column (1-based); 0 = the whole row or file, or for NULL. */
TM_API int tm_form_diagnostic_column(const TmFormDiagnostic *diagnostic);

/** The column's header as written in the file, or NULL when no column is
 * concerned (or for NULL).  Borrowed. */
TM_API const char *tm_form_diagnostic_field(const TmFormDiagnostic *diagnostic);

/** The reason, without the position.  Borrowed; NULL for NULL. */
TM_API const char *tm_form_diagnostic_message(const TmFormDiagnostic *diagnostic);

/** TM_FORM_ERROR or TM_FORM_WARNING (TM_FORM_ERROR for NULL). */
TM_API TmFormSeverity tm_form_diagnostic_severity(const TmFormDiagnostic *diagnostic);

/** `FILE:LINE:COLUMN: [warning: ]HEADER: message` (the `HEADER: ` part only
 * when a column is concerned), as in a GError of the readers; "" for NULL.
 * Caller g_free()s. */
TM_API char *tm_form_diagnostic_to_string(const TmFormDiagnostic *diagnostic);

/**
 * tm_forms_read_sites / tm_forms_read_commissioners:
 * Reads the demand registration form (sites) or the application form
 * (commissioners) at @path and adds its rows to @programme, in file order
 * (ids follow on from those already present).  @diagnostics_out, when not
 * NULL, is a collection from tm_form_diagnostics_new() (borrowed, only
 * appended to during the call); warnings and errors are appended to it in
 * both modes (in strict mode including the error that failed the read).
 * Returns TRUE on success; on failure @programme is left as it was (see the
 * modes above) and @error is set as described at the top of this header.
 * Time and memory O(file size).
 */
TM_API gboolean tm_forms_read_sites(TmProgramme *programme, const char *path, TmFormsMode mode,
                                    TmFormDiagnostics *diagnostics_out, GError **error);
/** As tm_forms_read_sites(), for the application form (commissioners). */
TM_API gboolean tm_forms_read_commissioners(TmProgramme *programme, const char *path,
                                            TmFormsMode mode,
                                            TmFormDiagnostics *diagnostics_out,
                                            GError **error);

/** As above, from memory: @data of @length bytes (-1: NUL-terminated),
 * borrowed; @source_name is used in messages (NULL: "<data>").  Errors as
 * above, without TM_ERROR_IO. */
TM_API gboolean tm_forms_read_sites_data(TmProgramme *programme, const char *data,
                                         gssize length, const char *source_name,
                                         TmFormsMode mode, TmFormDiagnostics *diagnostics_out,
                                         GError **error);
/** As tm_forms_read_sites_data(), for the application form (commissioners). */
TM_API gboolean tm_forms_read_commissioners_data(TmProgramme *programme, const char *data,
                                                 gssize length, const char *source_name,
                                                 TmFormsMode mode,
                                                 TmFormDiagnostics *diagnostics_out,
                                                 GError **error);

/**
 * tm_forms_read_dir:
 * Reads both forms from directory @dir: the sites from `sites.csv` (or
 * `需求登记表.csv`), then the commissioners from `commissioners.csv` (or
 * `申请表.csv`), or from workbooks of the same names in .xlsx.  Both forms
 * are required (TM_ERROR_IO naming the expected names when one is missing);
 * when both spellings exist in one format the English one is read and a
 * warning is given; a CSV and a workbook of the same form is TM_ERROR_IO
 * naming both (nothing is read).  When the read fails (in either mode, e.g.
 * a missing required column in the second file) @programme is left
 * unchanged: nothing from either file is kept (tm_programme_truncate()).
 * Diagnostics and errors as for tm_forms_read_sites().
 */
TM_API gboolean tm_forms_read_dir(TmProgramme *programme, const char *dir, TmFormsMode mode,
                                  TmFormDiagnostics *diagnostics_out, GError **error);

/**
 * tm_forms_read_pair:
 * Reads the demand registration form at @sites_path and the application
 * form at @commissioners_path together, as tm_forms_read_dir() does with the
 * two files of a folder: both are parsed, then every ranked name is checked
 * against the other form (and the agents already in @programme), then both
 * are added.  A ranked name that names nobody — e.g. the site of a row that
 * a lenient read skipped — is an error at the naming row's own
 * FILE:LINE:COLUMN in strict mode (the read fails) and, in lenient mode, a
 * warning there, the wish being dropped before the programme sees it.  All
 * or nothing: on failure @programme is left unchanged.  Diagnostics and
 * errors as for tm_forms_read_sites() (TM_ERROR_INVALID_ARGUMENT for a NULL
 * argument).  Time and memory O(size of both files).
 */
TM_API gboolean tm_forms_read_pair(TmProgramme *programme, const char *sites_path,
                                   const char *commissioners_path, TmFormsMode mode,
                                   TmFormDiagnostics *diagnostics_out, GError **error);

/**
 * tm_form_diagnostics_markdown:
 * The Markdown section that lists, for the report, every problem a
 * (lenient) read of the forms met: a heading "Rows skipped (lenient mode)"
 * and a table with one row per diagnostic — FILE:LINE (and column), the
 * column's header, what was done (row skipped, wish dropped, kept) and the
 * message.  Errors (skipped rows) come first, then warnings, each in the
 * order found.  Returns a new string (g_free()), "" when @diagnostics is
 * NULL or empty.  Never fails; O(total length of the diagnostics).
 */
TM_API char *tm_form_diagnostics_markdown(const TmFormDiagnostics *diagnostics);
/**
 * tm_form_diagnostics_markdown_in:
 * tm_form_diagnostics_markdown() with the section's own words (heading,
 * sentence, table header, what was done) in @lang (lang.h; TM_LANG_ZH:
 * Chinese, else English): "跳过的行（宽松模式）".  The diagnostics' messages
 * are the readers' own text, as they were recorded.  Returns a new string
 * (g_free()), "" when @diagnostics is NULL or empty.  Never fails; O(total
 * length of the diagnostics).
 */
TM_API char *tm_form_diagnostics_markdown_in(const TmFormDiagnostics *diagnostics, TmLang lang);

G_END_DECLS

#endif /* TECHMATCH_FORMS_H */
