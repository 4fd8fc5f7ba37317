/* techmatch — the assignments of a selection as CSV: plain for programs
 * (report.h) and for people in a language (output.h). */
#include <string.h>

#include <glib.h>

#include <techmatch/matching.h>
#include <techmatch/report.h>

#include "io/report_internal.h"
#include "io/sheets_private.h"

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

static const char *const acol_codes[TM_I_N_ACOLS] = {"commissioner",
                                                     "site",
                                                     "sector",
                                                     "site_kind",
                                                     "commissioner_rank",
                                                     "site_rank",
                                                     "commissioner_score",
                                                     "site_score",
                                                     "objective",
                                                     "objective_value"};

static const TmMsgId acol_headers[TM_I_N_ACOLS] = {TM_M_SHEET_COL_COMMISSIONER,
                                                   TM_M_SHEET_COL_SITE,
                                                   TM_M_SHEET_COL_SECTOR,
                                                   TM_M_SHEET_COL_SITE_KIND,
                                                   TM_M_SHEET_COL_COMMISSIONER_RANK,
                                                   TM_M_SHEET_COL_SITE_RANK,
                                                   TM_M_SHEET_COL_COMMISSIONER_SCORE,
                                                   TM_M_SHEET_COL_SITE_SCORE,
                                                   TM_M_SHEET_COL_OBJECTIVE,
                                                   TM_M_SHEET_COL_OBJECTIVE_VALUE};

const char *tm_i_assignments_code(int col)
{
    return col >= 0 && col < TM_I_N_ACOLS ? acol_codes[col] : "";
}

const char *tm_i_assignments_header(int col, TmLang lang)
{
    return col >= 0 && col < TM_I_N_ACOLS ? tm_i_msg(lang, acol_headers[col]) : "";
}

const char *tm_i_sheet_sector_name(const TmSelection *sel, int32_t k, TmLang lang)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    const char *name =
        lang == TM_LANG_ZH ? tm_taxonomy_name_zh(tax, k) : tm_taxonomy_name_en(tax, k);
    return name != NULL && name[0] != '\0' ? name : tm_taxonomy_code(tax, k);
}

const char *tm_i_sheet_sector(const TmSelection *sel, int32_t s, TmLang lang)
{
    return tm_i_sheet_sector_name(sel, tm_programme_site(tm_selection_programme(sel), s)->sector,
                                  lang);
}

const char *tm_i_sheet_site_kind(const TmSelection *sel, int32_t s, TmLang lang)
{
    TmSiteKind kind = tm_programme_site(tm_selection_programme(sel), s)->kind;
    const char *label = lang == TM_LANG_ZH ? tm_site_kind_label_zh(kind) : NULL;
    return label != NULL ? label : tm_site_kind_code(kind);
}

char *tm_selection_assignments_csv(const TmSelection *sel, GError **error)
{
    return tm_i_assignments_csv(sel, TM_LANG_AUTO, FALSE, error);
}

char *tm_i_assignments_csv(const TmSelection *sel, TmLang lang, gboolean bom, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    gboolean plain = lang != TM_LANG_EN && lang != TM_LANG_ZH;
    gboolean objective = tm_selection_objective_requested(sel);
    char value[G_ASCII_DTOSTR_BUF_SIZE];
    tm_i_sel_objective_value(sel, value, sizeof value);
    GString *out = g_string_new(!plain && bom ? "\xEF\xBB\xBF" : "");
    /* a requested objective: its name and value on every row */
    int ncols = objective ? TM_I_N_ACOLS : TM_I_ACOL_OBJECTIVE;
    for (int col = 0; col < ncols; col++) {
        if (col > 0)
            g_string_append_c(out, ',');
        if (plain)
            g_string_append(out, acol_codes[col]);
        else
            csv_field(out, tm_i_assignments_header(col, lang));
    }
    g_string_append_c(out, '\n');
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    int32_t nc = tm_selection_n_agents(sel, TM_SIDE_SUPPLY);
    for (int32_t c = 0; c < nc; c++) {
        int32_t k;
        const int32_t *sites =
            tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            const TmSite *site = tm_programme_site(p, s);
            char num[G_ASCII_DTOSTR_BUF_SIZE];
            csv_field(out, tm_i_sel_cname(sel, c));
            g_string_append_c(out, ',');
            csv_field(out, tm_i_sel_sname(sel, s));
            g_string_append_c(out, ',');
            /* codes are data too (configurable) */
            csv_field(out, plain ? tm_taxonomy_code(tax, site->sector)
                                 : tm_i_sheet_sector(sel, s, lang));
            g_string_append_c(out, ',');
            csv_field(out,
                      plain ? tm_site_kind_code(site->kind) : tm_i_sheet_site_kind(sel, s, lang));
            g_string_append_printf(out, ",%" G_GINT32_FORMAT ",%" G_GINT32_FORMAT ",",
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
