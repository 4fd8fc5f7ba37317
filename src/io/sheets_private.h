/* techmatch — io layer: what the assignments CSV and the workbook share
 * (selection_csv.c, xlsx_write.c; library-internal): the columns of the
 * assignments and the words for a site's sector and kind in a language. */
#ifndef TECHMATCH_IO_SHEETS_PRIVATE_H
#define TECHMATCH_IO_SHEETS_PRIVATE_H

#include <glib.h>
#include <techmatch/lang.h>
#include <techmatch/selection.h>

#include "util/messages.h"

/* The assignments' columns, in order; the last two only when the
 * selection's objective was requested (report.h). */
enum {
    TM_I_ACOL_COMMISSIONER,
    TM_I_ACOL_SITE,
    TM_I_ACOL_SECTOR,
    TM_I_ACOL_SITE_KIND,
    TM_I_ACOL_COMMISSIONER_RANK,
    TM_I_ACOL_SITE_RANK,
    TM_I_ACOL_COMMISSIONER_SCORE,
    TM_I_ACOL_SITE_SCORE,
    TM_I_ACOL_OBJECTIVE,
    TM_I_ACOL_OBJECTIVE_VALUE,
    TM_I_N_ACOLS
};

/* The English code header of column @col (the plain CSV's, report.h). */
G_GNUC_INTERNAL const char *tm_i_assignments_code(int col);
/* The header of column @col for people, in @lang (EN or ZH). */
G_GNUC_INTERNAL const char *tm_i_assignments_header(int col, TmLang lang);

/* The sector of site @s for people: its taxonomy name in @lang (the code
 * when the taxonomy has no name). */
G_GNUC_INTERNAL const char *tm_i_sheet_sector(const TmSelection *sel, int32_t s, TmLang lang);
/* The sector index @k's name in @lang (the code when it has none). */
G_GNUC_INTERNAL const char *tm_i_sheet_sector_name(const TmSelection *sel, int32_t k, TmLang lang);
/* The kind of site @s for people: the Chinese label in Chinese, the code in
 * English (profile.h has no English labels yet). */
G_GNUC_INTERNAL const char *tm_i_sheet_site_kind(const TmSelection *sel, int32_t s, TmLang lang);

/* The assignments CSV (report.h's rows and quoting): with @lang EN or ZH,
 * the headers and the sector and kind cells in that language, after a UTF-8
 * byte order mark when @bom; with TM_LANG_AUTO the plain CSV of
 * tm_selection_assignments_csv() (codes; @bom ignored). */
G_GNUC_INTERNAL char *tm_i_assignments_csv(const TmSelection *sel, TmLang lang, gboolean bom,
                                           GError **error);

#endif /* TECHMATCH_IO_SHEETS_PRIVATE_H */
