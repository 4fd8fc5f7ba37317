/* techmatch — the assignments of a selection as CSV (report.h). */
#include <string.h>

#include <glib.h>

#include <techmatch/matching.h>
#include <techmatch/report.h>

#include "io/report_internal.h"

/* One RFC 4180 text field: quoted when it holds a comma, quote or line
 * break.  A text a spreadsheet would execute as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as
 * OWASP's "CSV injection" advice recommends. */
static void csv_field(GString *out, const char *text)
{
    if (text == NULL)
        text = "";
    gboolean formula = text[0] != '\0' && strchr("=+-@\t\r", text[0]) != NULL;
    if (strpbrk(text, ",\"\r\n") == NULL) {
        if (formula)
            g_string_append_c(out, '\'');
        g_string_append(out, text);
        return;
    }
    g_string_append_c(out, '"');
    if (formula)
        g_string_append_c(out, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

static const char *sector_code(const TmSelection *sel, int32_t s)
{
    const TmProgramme *p = tm_selection_programme(sel);
    return tm_taxonomy_code(tm_programme_taxonomy(p), tm_programme_site(p, s)->sector);
}

char *tm_selection_assignments_csv(const TmSelection *sel, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    gboolean objective = tm_selection_objective_requested(sel);
    char value[G_ASCII_DTOSTR_BUF_SIZE];
    tm_i_sel_objective_value(sel, value, sizeof value);
    GString *out = g_string_new("commissioner,site,sector,site_kind,commissioner_rank,site_rank,"
                                "commissioner_score,site_score");
    /* a requested objective: its name and value on every row */
    g_string_append(out, objective ? ",objective,objective_value\n" : "\n");
    const TmProgramme *p = tm_selection_programme(sel);
    int32_t nc = tm_selection_n_agents(sel, TM_SIDE_SUPPLY);
    for (int32_t c = 0; c < nc; c++) {
        int32_t k;
        const int32_t *sites =
            tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            char num[G_ASCII_DTOSTR_BUF_SIZE];
            csv_field(out, tm_i_sel_cname(sel, c));
            g_string_append_c(out, ',');
            csv_field(out, tm_i_sel_sname(sel, s));
            g_string_append_c(out, ',');
            csv_field(out, sector_code(sel, s)); /* codes are data too (configurable) */
            g_string_append_printf(out, ",%s,%" G_GINT32_FORMAT ",%" G_GINT32_FORMAT ",",
                                   tm_site_kind_code(tm_programme_site(p, s)->kind),
                                   tm_selection_rank(sel, TM_SIDE_SUPPLY, c, s) + 1,
                                   tm_selection_rank(sel, TM_SIDE_DEMAND, s, c) + 1);
            g_string_append(out, g_ascii_formatd(num, sizeof num, "%.4f",
                                                 tm_selection_score(sel, TM_SIDE_SUPPLY, c, s)));
            g_string_append_c(out, ',');
            g_string_append(out, g_ascii_formatd(num, sizeof num, "%.4f",
                                                 tm_selection_score(sel, TM_SIDE_DEMAND, c, s)));
            if (objective)
                g_string_append_printf(out, ",%s,%s",
                                       tm_objective_code(tm_selection_objective(sel)), value);
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

