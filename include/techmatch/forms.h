/* techmatch — reading the programme's two forms (CSV) into a TmProgramme.
 *
 *   需求登记表 (demand registration form)  one row per service site
 *   申请表     (application form)          one row per commissioner or team
 *
 * The columns, the accepted header names (English and Chinese) and the cell
 * syntax are specified in docs/forms.md.  In short: UTF-8 (optional BOM),
 * LF or CRLF, RFC 4180 quoting (commas, doubled quotes, line breaks inside
 * quotes), a header row naming the columns in any order, unknown columns
 * ignored with a warning, list cells separated by `;`, `；`, `、` or a line
 * break.  A file with a header but no data rows is valid (0 agents, a
 * warning); an empty file is an error.
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

/** One problem found in a form.  All strings owned by the diagnostic. */
typedef struct TmFormDiagnostic {
    char *file;           /* source name (path or the name given to _data) */
    int line;             /* physical line where the record starts, 1-based */
    int column;           /* 1-based column; 0 = the whole row / file */
    char *field;          /* the column's header as written, or NULL */
    char *message;        /* the reason, without the position */
    TmFormSeverity severity;
} TmFormDiagnostic;

/** A new, empty diagnostics array (GPtrArray of TmFormDiagnostic*, owning
 * them); free with g_ptr_array_unref(). */
TM_API GPtrArray *tm_form_diagnostics_new(void);
/** NULL-safe. */
TM_API void tm_form_diagnostic_free(TmFormDiagnostic *diagnostic);
/** Number of diagnostics in @diagnostics (0 for NULL) and the @i-th one
 * (borrowed; NULL when out of range) — for bindings. */
TM_API guint tm_form_diagnostics_count(const GPtrArray *diagnostics);
TM_API const TmFormDiagnostic *tm_form_diagnostics_get(const GPtrArray *diagnostics, guint i);
/** `FILE:LINE:COLUMN: [warning: ]HEADER: message` (caller g_free()s). */
TM_API char *tm_form_diagnostic_to_string(const TmFormDiagnostic *diagnostic);

/**
 * tm_forms_read_sites / tm_forms_read_commissioners:
 * Reads the demand registration form (sites) or the application form
 * (commissioners) at @path and adds its rows to @programme, in file order
 * (ids follow on from those already present).  @diagnostics_out, when not
 * NULL, must be an array made by tm_form_diagnostics_new(); warnings and
 * errors are appended to it in both modes (in strict mode including the
 * error that failed the read).  Returns TRUE on success.
 */
TM_API gboolean tm_forms_read_sites(TmProgramme *programme, const char *path, TmFormsMode mode,
                                    GPtrArray *diagnostics_out, GError **error);
TM_API gboolean tm_forms_read_commissioners(TmProgramme *programme, const char *path,
                                            TmFormsMode mode, GPtrArray *diagnostics_out,
                                            GError **error);

/** As above, from memory: @data of @length bytes (-1: NUL-terminated);
 * @source_name is used in messages (NULL: "<data>"). */
TM_API gboolean tm_forms_read_sites_data(TmProgramme *programme, const char *data,
                                         gssize length, const char *source_name,
                                         TmFormsMode mode, GPtrArray *diagnostics_out,
                                         GError **error);
TM_API gboolean tm_forms_read_commissioners_data(TmProgramme *programme, const char *data,
                                                 gssize length, const char *source_name,
                                                 TmFormsMode mode,
                                                 GPtrArray *diagnostics_out, GError **error);

/**
 * tm_forms_read_dir:
 * Reads both forms from directory @dir: the sites from `sites.csv` (or
 * `需求登记表.csv`), then the commissioners from `commissioners.csv` (or
 * `申请表.csv`).  Both files are required (TM_ERROR_IO naming the expected
 * names when one is missing); when both spellings exist the English one is
 * read and a warning is given.  When the read fails (in either mode, e.g.
 * a missing required column in the second file) @programme is left
 * unchanged: nothing from either file is kept.
 */
TM_API gboolean tm_forms_read_dir(TmProgramme *programme, const char *dir, TmFormsMode mode,
                                  GPtrArray *diagnostics_out, GError **error);

G_END_DECLS

#endif /* TECHMATCH_FORMS_H */
