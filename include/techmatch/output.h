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
 *                     (tm_selection_assignments_xlsx())
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
 * tm_selection_report_html:
 * The printable page (report.html): the Markdown report of
 * tm_selection_report_markdown_with() (same options, same content) rendered
 * as HTML by cmark-gfm (GFM tables; safe mode: no raw HTML passes), in a
 * complete, self-contained HTML5 document: `<html lang="zh-CN">` or
 * `lang="en"` by the options' language, UTF-8, one inline style sheet (A4
 * pages with 15 mm margins, table headers repeated and rows kept whole on
 * each printed page, charts never split, the page footer with the page
 * number; fonts "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
 * "Microsoft YaHei", ..., "SimSun", sans-serif), a Content-Security-Policy
 * that forbids loading anything, and no external resource (no script, font,
 * image, link or style sheet).  A "Charts" section before the report's
 * first section holds three inline SVG charts (each with role="img", a
 * <title>, a <desc> and text labels; ids `chart-coverage`,
 * `chart-ranks-supply`, `chart-ranks-demand`; each bar a `rect` of class
 * `bar` with its own <title>): the coverage per sector (one horizontal bar
 * per sector of the taxonomy: sites served of sites registered, labelled
 * with the percentage and the counts, as the report's table), and the rank
 * distributions of the commissioners and of the sites (one bar per rank
 * from 1 to the worst rank given, counting assignments, then one bar
 * "unmatched" counting that side's agents without a partner).  Every
 * string from the data is escaped for XML.  Deterministic: the same
 * selection and options give the same bytes.  @options may be NULL (the
 * defaults).  Returns a new string (g_free()) or NULL with
 * TM_ERROR_INVALID_ARGUMENT (NULL selection) or TM_ERROR_NO_MEMORY (cmark-gfm
 * itself aborts when memory runs out).  Thread-safe for distinct or
 * read-only selections.  Time as tm_selection_report_markdown(), plus
 * O(report length) for the rendering.
 */
TM_API char *tm_selection_report_html(const TmSelection *selection,
                                      const TmOutputOptions *options, GError **error);

/**
 * tm_selection_assignments_csv_with:
 * The assignments CSV (report.h) as the options say: by default a UTF-8
 * byte order mark (so Excel reads it as UTF-8), the headers in the
 * language (English: "Commissioner", "Site", "Sector", "Site kind",
 * "Commissioner's rank", ...; Chinese: 科技特派员, 派驻点, 行业,
 * 派驻点类型, 特派员志愿序号, 派驻点志愿序号, 特派员评分, 派驻点评分, and
 * 优化目标, 目标值 when the objective was requested), and the sector and the
 * site kind as names in the language (the sector's taxonomy name; the
 * kind's Chinese label, or its code in English) — the same rows, columns,
 * quoting and numbers otherwise; plain: exactly
 * tm_selection_assignments_csv() (codes, English code headers, no byte
 * order mark).  Returns a new string (g_free()) or NULL
 * with TM_ERROR_INVALID_ARGUMENT (NULL selection).  Time O(pairs x list).
 */
TM_API char *tm_selection_assignments_csv_with(const TmSelection *selection,
                                               const TmOutputOptions *options, GError **error);

/**
 * tm_selection_assignments_xlsx:
 * The workbook assignments.xlsx (Office Open XML, written with
 * libxlsxwriter), every word in the options' language (the plain-CSV
 * option does not apply).  Three sheets, each with a bold header row that
 * stays in view (frozen), an autofilter, and columns as wide as their
 * longest cell (a CJK character counting two; long reasons wrap):
 *   1. "Assignments" / "派驻名单": the rows and columns of
 *      tm_selection_assignments_csv_with() — names, sector and site kind as
 *      text, ranks (1 = first choice) and scores as numbers (scores shown
 *      with 4 decimals, stored in full), and the objective's code and value
 *      when the selection's objective was requested;
 *   2. "Outcomes and reasons" / "选派结果及原因": every commissioner, then
 *      every site, in form order: side, name, outcome
 *      (tm_outcome_label()), places held, capacity, merit (commissioners
 *      only) and the reason (tm_selection_reason());
 *   3. "Sector coverage" / "行业覆盖": per sector of the taxonomy, as the
 *      report's coverage table: its name, sites registered, eligible,
 *      served, coverage (served / registered, a fraction shown as a
 *      percentage; 0 for a sector without sites), assignments, what the
 *      quota unit counts there (tm_selection_sector_used()), cap and floor
 *      (empty cells when none).
 * Text cells are always strings, never formulas: a name such as
 * `=HYPERLINK(...)` stays that text.  C0 control characters other than
 * tab and line breaks (which XML cannot hold) are written as U+FFFD.  The
 * bytes are deterministic: the same selection and options give the same
 * workbook (its creation time is fixed at 2000-01-01T00:00:00Z).
 *
 * libxlsxwriter writes only to files, so the workbook is written into a
 * private folder under g_get_tmp_dir(), read back and removed.
 *
 * @options may be NULL (the defaults: the programme's language).  Returns
 * the workbook's bytes (g_bytes_unref()) or NULL with
 * TM_ERROR_INVALID_ARGUMENT (NULL selection; a text not UTF-8 or longer
 * than a cell holds, 32767 characters — the message names the sheet and
 * cell; more assignments, or more commissioners and sites together, than
 * a sheet's 1,048,575 rows), TM_ERROR_IO (the temporary folder cannot be
 * made, written or read) or TM_ERROR_NO_MEMORY.  Time O(agents + pairs x
 * list); the rows are streamed to scratch files as they are written, so
 * memory stays O(1) beyond the returned bytes.  Safe to
 * call from several threads at once on the same or different selections
 * (the last step, packaging the zip file, runs one call at a time).
 */
TM_API GBytes *tm_selection_assignments_xlsx(const TmSelection *selection,
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
