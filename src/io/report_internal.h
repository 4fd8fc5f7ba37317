/* techmatch — helpers shared by the selection's writers in io (private, not
 * installed).  Public API only: the writers format what the selection
 * computed. */
#ifndef TECHMATCH_IO_REPORT_INTERNAL_H
#define TECHMATCH_IO_REPORT_INTERNAL_H

#include <glib.h>
#include <techmatch/error.h>
#include <techmatch/lang.h>
#include <techmatch/profile.h>
#include <techmatch/selection.h>

static inline const char *tm_i_sel_cname(const TmSelection *sel, int32_t c)
{
    return tm_programme_commissioner(tm_selection_programme(sel), c)->name;
}

static inline const char *tm_i_sel_sname(const TmSelection *sel, int32_t s)
{
    return tm_programme_site(tm_selection_programme(sel), s)->name;
}

/* FALSE with TM_ERROR_INVALID_ARGUMENT when @sel is NULL. */
static inline gboolean tm_i_sel_check(const TmSelection *sel, GError **error)
{
    if (sel == NULL)
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "selection is NULL");
    return sel != NULL;
}

/* The objective's value as text into @buf: a whole number, or for
 * max-weight the shortest decimal that reads back the same double. */
static inline const char *tm_i_sel_objective_value(const TmSelection *sel, char *buf,
                                                   gsize size)
{
    double v = tm_selection_objective_value(sel);
    if (tm_selection_objective(sel) == TM_OBJECTIVE_MAX_WEIGHT)
        return g_ascii_dtostr(buf, (gint)size, v);
    g_snprintf(buf, size, "%" G_GINT64_FORMAT, (gint64)v);
    return buf;
}

/* "weak", "strong" or "super". */
static inline const char *tm_i_stability_code(TmStability st)
{
    return st == TM_STABILITY_SUPER ? "super" : st == TM_STABILITY_STRONG ? "strong" : "weak";
}

/* The Markdown report of tm_selection_report_markdown() in @lang
 * (TM_LANG_ZH: Chinese; anything else: English).  report_md.c. */
G_GNUC_INTERNAL char *tm_i_report_markdown(const TmSelection *sel, TmLang lang, GError **error);

/* The rank histogram of @side's assignments in the selection (entry r: the
 * pairs at rank r, 0-based) in a new array of *@len entries (the longest
 * list of the side, at least 1; g_free()), or NULL with TM_ERROR_NO_MEMORY.
 * Shared by the report's rank tables and the page's charts (report_md.c). */
G_GNUC_INTERNAL int64_t *tm_i_rank_histogram(const TmSelection *sel, TmSide side, int32_t *len,
                                             GError **error);

/* Appends @text as inert Markdown (report_md.c's escaping; report.h). */
G_GNUC_INTERNAL void tm_i_md_text(GString *out, const char *text);

/* tm_i_try_alloc(): the non-aborting allocator (error.h's policy) */
#include "util/alloc.h"

#endif /* TECHMATCH_IO_REPORT_INTERNAL_H */
