/* techmatch — the documents of a selection (io layer): the assignments as
 * CSV and JSON, the Markdown report, and writing all three into a folder.
 *
 * The writers only format: everything they print comes from the public
 * accessors of the selection (selection.h), the programme (profile.h), the
 * rules (rules.h) and the matching (matching.h).  They are deterministic
 * (the same selection gives the same bytes), use the C number format
 * whatever the locale, and emit UTF-8.
 */
#ifndef TECHMATCH_REPORT_H
#define TECHMATCH_REPORT_H

#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/**
 * tm_selection_assignments_csv:
 * The assignments as CSV: header `commissioner,site,sector,site_kind,
 * commissioner_rank,site_rank,commissioner_score,site_score`, then one row
 * per assignment, commissioners in id order, each one's sites best first;
 * ranks are 1-based, scores have 4 decimals; fields with a comma, quote or
 * line break are quoted (RFC 4180).  A name or code that a spreadsheet
 * would execute (first character `=`, `+`, `-`, `@`, tab or carriage
 * return) is written with a leading `'` (OWASP's advice on CSV injection);
 * numbers are written as they are.  When the selection's objective was
 * requested (tm_selection_objective_requested()) every row ends with two
 * more columns, `objective,objective_value` (e.g. `egalitarian,12`; the
 * value as in TmObjective).  Returns a new string (g_free()) or NULL
 * with TM_ERROR_INVALID_ARGUMENT (NULL selection).  Time O(pairs x list).
 */
TM_API char *tm_selection_assignments_csv(const TmSelection *selection, GError **error);

/**
 * tm_selection_assignments_json:
 * The assignments as JSON (2-space indent, final newline):
 * {"pairs": [[c, s], ...], "unmatched_supply": [...], "unmatched_demand": [...],
 *  "stable": ..., "blocking_pairs": [...],
 *  "outcomes": {"supply": {name: {"outcome": code, "detail": ...}}, "demand": {...}},
 *  "stats": {"pairs", "commissioners_selected", "quota", "proposals",
 *            "supply": {...}, "demand": {...}}},
 * preceded, when the selection's objective was requested, by
 * "objective": {"name": code, "value": number, "stability": "weak"|"strong"|"super"}
 * (as `techmatch solve --objective` begins its document).
 * Returns a new string (g_free()) or NULL with TM_ERROR_INVALID_ARGUMENT
 * (NULL selection) or TM_ERROR_NO_MEMORY.  Time O(agents + pairs).
 */
TM_API char *tm_selection_assignments_json(const TmSelection *selection, GError **error);

/**
 * tm_selection_report_markdown:
 * The Markdown report (see README): summary (with the method, and the
 * objective and its value when it was requested; how ties were treated when
 * the lists have tied wishes), assignments, coverage per
 * sector, sites with free places and commissioners not (fully) matched with
 * their reasons, rank distributions, the rules applied and the stability
 * certificate.  Text from the data (names, reasons, sector names) is
 * escaped: `<` and `>` as entities (and `&` where it could start one), the
 * Markdown specials | * ` [ ] \ ~, a leading # and `_` (unless between two
 * ASCII letters or digits) with a backslash, so no name can inject markup.
 * Returns a new string (g_free()) or NULL with
 * TM_ERROR_INVALID_ARGUMENT (NULL selection) or TM_ERROR_NO_MEMORY.  Time
 * O(agents x sectors + pairs x list).
 */
TM_API char *tm_selection_report_markdown(const TmSelection *selection, GError **error);

/**
 * tm_selection_write:
 * Writes assignments.csv (plain: English code headers, no byte order mark),
 * assignments.json, assignments.xlsx (in English; output.h,
 * tm_selection_assignments_xlsx()), report.md (English), report.html (the
 * printable page, output.h tm_selection_report_html()) and the draft
 * agreements of the built-in English template in agreements/ (agreement.h) into @dir
 * (its parents created if missing), atomically **as a set**: every document is
 * produced in memory, written into a fresh sibling folder DIR.tmp-XXXXXX,
 * and that folder then takes @dir's place (an atomic exchange where the
 * file system has one, else two renames through DIR.old-XXXXXX, undone on
 * failure); the old set is then removed.  A failure at any point leaves
 * either the complete old set or the complete new set, never a mix, and no
 * temporary folder.  An existing @dir must be a real folder (a symbolic link
 * is not followed) holding only regular files named like the documents
 * and an agreements/ folder of regular .md files; anything else (a FIFO, a device, a link, another file) is
 * refused untouched with TM_ERROR_IO naming the path and what it is.
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL), TM_ERROR_IO, TM_ERROR_NO_MEMORY.
 */
TM_API gboolean tm_selection_write(const TmSelection *selection, const char *dir,
                                   GError **error);

G_END_DECLS

#endif /* TECHMATCH_REPORT_H */
