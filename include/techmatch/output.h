/* techmatch — how a selection's documents are written for people (io layer):
 * the language, the CSV flavour, the agreement template, the form
 * diagnostics to list; and the entry points that take these options.
 *
 * The output set of a run (tm_selection_write_with()) is:
 *   report.md         the report (Markdown) in the options' language
 *   report.html       the same content as a printable, self-contained page
 *                     with SVG charts (A4; Chinese fonts with fallbacks)
 *   assignments.csv   the assignments; UTF-8 with a byte order mark and
 *                     headers in the report's language, or (plain) without
 *                     BOM and with the English code headers of report.h
 *   assignments.xlsx  sheets: assignments, every agent's outcome and
 *                     reason, sector coverage; headers in the language
 *   assignments.json  for programs: English codes, 1-based ranks
 *                     (docs/schema/assignments.schema.json)
 *   agreements/       a draft cooperation agreement per assignment
 *                     (agreement.h)
 * written as one set (report.h, tm_selection_write()).
 */
#ifndef TECHMATCH_OUTPUT_H
#define TECHMATCH_OUTPUT_H

#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/forms.h>
#include <techmatch/lang.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

typedef struct TmOutputOptions TmOutputOptions;

/**
 * tm_output_options_new:
 * New options: TM_LANG_AUTO (the programme's language,
 * tm_programme_language()), BOM'd CSV with headers in that language, the
 * built-in agreement template, no form diagnostics.  Never fails.  Free with
 * tm_output_options_free().  O(1).
 */
TM_API TmOutputOptions *tm_output_options_new(void);
/** Frees @options (NULL-safe); what it borrowed is untouched. */
TM_API void tm_output_options_free(TmOutputOptions *options);

/** The language of every word written for people (lang.h).  A value
 * outside TmLang is ignored.  NULL-safe. */
TM_API void tm_output_options_set_language(TmOutputOptions *options, TmLang lang);
/** As set (TM_LANG_AUTO by default); TM_LANG_AUTO for NULL. */
TM_API TmLang tm_output_options_get_language(const TmOutputOptions *options);

/**
 * tm_output_options_resolve_language:
 * TM_LANG_EN or TM_LANG_ZH: the options' language, TM_LANG_AUTO read as the
 * language of @selection's programme.  NULL @options reads as AUTO; NULL
 * @selection as English.  O(1).
 */
TM_API TmLang tm_output_options_resolve_language(const TmOutputOptions *options,
                                                 const TmSelection *selection);

/** Plain CSV for programs (TRUE): no byte order mark and the English code
 * headers of tm_selection_assignments_csv() whatever the language.  FALSE
 * by default.  NULL-safe. */
TM_API void tm_output_options_set_plain_csv(TmOutputOptions *options, gboolean plain);
/** As set (FALSE by default and for NULL). */
TM_API gboolean tm_output_options_get_plain_csv(const TmOutputOptions *options);

/**
 * tm_output_options_set_agreement_template:
 * The agreement template's text (copied; NULL: the built-in one) and the
 * name to give it in messages (copied; may be NULL).  Returns FALSE with
 * the error of tm_agreement_check_template() when the text is not a valid
 * template (the options unchanged then).  NULL @options:
 * TM_ERROR_INVALID_ARGUMENT.  Time O(length).
 */
TM_API gboolean tm_output_options_set_agreement_template(TmOutputOptions *options,
                                                         const char *text,
                                                         const char *source_name,
                                                         GError **error);
/** The template set (borrowed; NULL: the built-in one). */
TM_API const char *tm_output_options_get_agreement_template(const TmOutputOptions *options);

/** The forms' diagnostics (borrowed: it must outlive every use of
 * @options; NULL: none), listed at the end of the report as the section
 * "Rows skipped (lenient mode)" when it has any (forms.h). */
TM_API void tm_output_options_set_diagnostics(TmOutputOptions *options,
                                              const TmFormDiagnostics *diagnostics);

/**
 * tm_selection_report_markdown_with:
 * The Markdown report of tm_selection_report_markdown() in the options'
 * language, followed by the form diagnostics' section when the options
 * carry any.  @options may be NULL (the defaults).  Returns a new string
 * (g_free()) or NULL with TM_ERROR_INVALID_ARGUMENT (NULL selection) or
 * TM_ERROR_NO_MEMORY.  Time as tm_selection_report_markdown().
 */
TM_API char *tm_selection_report_markdown_with(const TmSelection *selection,
                                               const TmOutputOptions *options, GError **error);

/**
 * tm_selection_assignments_csv_with:
 * The assignments CSV (report.h) as the options say: by default a UTF-8
 * byte order mark and the headers in the language; plain: exactly
 * tm_selection_assignments_csv().  Returns a new string (g_free()) or NULL
 * with TM_ERROR_INVALID_ARGUMENT (NULL selection).  Time O(pairs x list).
 */
TM_API char *tm_selection_assignments_csv_with(const TmSelection *selection,
                                               const TmOutputOptions *options, GError **error);

/**
 * tm_selection_write_with:
 * Writes the output set (above) of @selection into @dir as one set, as
 * tm_selection_write() does (report.h: the same refusals and guarantees).
 * @options may be NULL (the defaults).  Errors: those of the writers and of
 * the set.
 */
TM_API gboolean tm_selection_write_with(const TmSelection *selection, const char *dir,
                                        const TmOutputOptions *options, GError **error);

G_END_DECLS

#endif /* TECHMATCH_OUTPUT_H */
