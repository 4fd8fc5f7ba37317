/* techmatch — the Markdown report of a selection (report.h): one function
 * per section, every figure from the selection's public accessors. */
#include <string.h>

#include <glib.h>

#include <techmatch/matching.h>
#include <techmatch/preferences.h>
#include <techmatch/report.h>
#include <techmatch/rules.h>
#include <techmatch/tasks.h>

#include "io/report_internal.h"
#include "util/messages.h"

static gboolean ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Text from the data (names, reasons, sector names) as inert Markdown:
 * `<` and `>` become entities (no HTML), so does `&` where it could start
 * an entity (`&lt;`, `&#60;`; "cultural & creative" stays as it is), the Markdown specials
 * | * ` [ ] \ ~ and a leading # are backslash-escaped, line breaks become
 * spaces.  `_` is escaped unless it sits between two ASCII letters or
 * digits, where CommonMark never reads it as emphasis (so codes such as
 * high_tech or C_TITLE stay as they are). */
static void md_text(GString *out, const char *text)
{
    const char *t = text ? text : "";
    for (const char *p = t; *p; p++) {
        switch (*p) {
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '&': /* only where it could start an entity such as &lt; or &#60; */
            g_string_append(out, ascii_alnum(p[1]) || p[1] == '#' ? "&amp;" : "&");
            break;
        case '\n':
        case '\r': g_string_append_c(out, ' '); break;
        case '|': case '*': case '`': case '[': case ']': case '\\': case '~':
            g_string_append_c(out, '\\');
            g_string_append_c(out, *p);
            break;
        case '#':
            if (p == t)
                g_string_append_c(out, '\\');
            g_string_append_c(out, *p);
            break;
        case '_':
            if (p == t || !ascii_alnum(p[-1]) || !ascii_alnum(p[1]))
                g_string_append_c(out, '\\');
            g_string_append_c(out, *p);
            break;
        default: g_string_append_c(out, *p);
        }
    }
}

/* Markdown table cell (md_text) */
static void md_cell(GString *out, const char *text)
{
    g_string_append(out, " ");
    md_text(out, text);
    g_string_append(out, " |");
}

#define M(id) tm_i_msg(lang, TM_M_##id)

static char *reason_text(const TmSelection *sel, TmSide side, int32_t id, TmLang lang)
{
    return tm_selection_reason(sel, side, id, lang);
}

/* "## @heading\n\n" after a blank line */
static void md_heading(GString *out, const char *heading)
{
    g_string_append_printf(out, "\n## %s\n\n", heading);
}

/* A table's header row (a message) and its alignment row. */
static void md_table_head(GString *out, const char *header, const char *align)
{
    g_string_append_printf(out, "%s\n%s\n", header, align);
}

/* A legend under a table (a message ending in a line break). */
static void md_legend(GString *out, const char *legend)
{
    g_string_append_printf(out, "\n%s", legend);
}

/* The name of sector @k in @lang. */
static const char *sector_name(const TmTaxonomy *tax, int32_t k, TmLang lang)
{
    return lang == TM_LANG_ZH ? tm_taxonomy_name_zh(tax, k) : tm_taxonomy_name_en(tax, k);
}

/* A site kind in words (profile.h; the code only for a kind outside the
 * enum). */
static const char *site_kind_words(TmSiteKind kind, TmLang lang)
{
    const char *label = tm_site_kind_label(kind, lang);
    return label != NULL ? label : tm_site_kind_code(kind);
}

/* The method and the objective's value, when one was requested. */
static void md_objective(GString *out, const TmSelection *sel, TmLang lang)
{
    static const TmMsgId method[] = {
        TM_M_REPORT_METHOD_0, TM_M_REPORT_METHOD_1, TM_M_REPORT_METHOD_2,
        TM_M_REPORT_METHOD_3, TM_M_REPORT_METHOD_4, TM_M_REPORT_METHOD_5,
    };
    static const TmMsgId value[] = {
        TM_M_REPORT_VALUE_0, TM_M_REPORT_VALUE_1, TM_M_REPORT_VALUE_2,
        TM_M_REPORT_VALUE_3, TM_M_REPORT_VALUE_4, TM_M_REPORT_VALUE_5,
    };
    int o = tm_selection_objective(sel);
    if (o < 0 || o >= (int)G_N_ELEMENTS(method))
        return;
    char v[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out, M(REPORT_METHOD_OBJECTIVE), tm_i_msg(lang, method[o]),
                           tm_objective_code(o), tm_i_msg(lang, value[o]),
                           o == TM_OBJECTIVE_MAX_WEIGHT ? "" : M(REPORT_RANKS_FROM_0),
                           tm_i_sel_objective_value(sel, v, sizeof v));
}

/* Ties in the lists (tied wishes): how they were treated. */
static void md_ties(GString *out, const TmSelection *sel, TmLang lang)
{
    if (!tm_market_has_ties(tm_selection_market(sel)))
        return;
    const TmProgramme *p = tm_selection_programme(sel);
    TmStability st = tm_selection_stability(sel);
    g_string_append_printf(out, M(REPORT_TIES), (int)tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY),
                           (int)tm_programme_n_wish_ties(p, TM_SIDE_DEMAND),
                           st == TM_STABILITY_SUPER    ? M(REPORT_TIES_SUPER)
                           : st == TM_STABILITY_STRONG ? M(REPORT_TIES_STRONG)
                                                       : M(REPORT_TIES_WEAK));
}

/* The quota, what it counts, and where merit cut. */
static void md_quota(GString *out, const TmSelection *sel, TmLang lang)
{
    int32_t quota = tm_selection_quota_total(sel);
    gboolean people = tm_selection_quota_unit(sel) == TM_QUOTA_PEOPLE;
    if (quota < 0) {
        g_string_append(out, M(REPORT_QUOTA_NONE));
        return;
    }
    g_string_append_printf(out, M(REPORT_QUOTA), (int)quota,
                           people ? M(REPORT_QUOTA_PEOPLE) : M(REPORT_QUOTA_PAIRS),
                           (long long)tm_selection_quota_used(sel));
    int32_t at;
    double merit;
    char m[G_ASCII_DTOSTR_BUF_SIZE];
    if (tm_selection_merit_cutoff(sel, &at, &merit)) {
        g_string_append_printf(out, M(REPORT_CUTOFF), g_ascii_formatd(m, sizeof m, "%.1f", merit));
        md_text(out, tm_i_sel_cname(sel, at));
        g_string_append(out, M(REPORT_CUTOFF_WHO));
    } else {
        g_string_append(out, M(REPORT_CUTOFF_NONE));
    }
    gboolean floors = FALSE, caps = FALSE;
    const TmProgramme *p = tm_selection_programme(sel);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tm_programme_taxonomy(p)); k++) {
        int32_t cap, floor;
        if (tm_selection_sector_limits(sel, k, &cap, &floor)) {
            floors = floors || floor > 0;
            caps = caps || cap >= 0;
        }
    }
    if (floors)
        g_string_append(out, M(REPORT_FLOORS));
    if (caps)
        g_string_append(out, M(REPORT_CAPS));
}

static void md_summary(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmScreening *scr = tm_selection_screening(sel);
    g_string_append_printf(out, M(REPORT_APPLICANTS), (int)tm_selection_n_agents(sel, TM_SIDE_SUPPLY),
                           (int)tm_screening_n_eligible(scr, TM_SIDE_SUPPLY));
    g_string_append_printf(out, M(REPORT_SITES), (int)tm_selection_n_agents(sel, TM_SIDE_DEMAND),
                           (int)tm_screening_n_eligible(scr, TM_SIDE_DEMAND));
    g_string_append_printf(out, M(REPORT_PAIRS),
                           (long long)tm_matching_n_pairs(tm_selection_matching(sel)),
                           (int)tm_selection_n_selected(sel));
    md_quota(out, sel, lang);
    if (!tm_selection_objective_requested(sel))
        g_string_append(out, M(REPORT_METHOD_MERIT));
    else
        md_objective(out, sel, lang);
    md_ties(out, sel, lang);
}

/* who serves where */
static void md_assignments(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    md_heading(out, M(REPORT_H_ASSIGNMENTS));
    md_table_head(out, M(REPORT_ASSIGNMENTS_HEAD), "|---|---:|---|---|---|---:|---:|---:|---:|");
    for (int32_t c = 0; c < tm_selection_n_agents(sel, TM_SIDE_SUPPLY); c++) {
        int32_t k;
        const int32_t *sites =
            tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            const TmSite *site = tm_programme_site(p, s);
            g_string_append(out, "|");
            md_cell(out, tm_i_sel_cname(sel, c));
            g_string_append_printf(out, " %" G_GINT32_FORMAT " |",
                                   tm_programme_commissioner(p, c)->team_size);
            md_cell(out, site->name);
            md_cell(out, sector_name(tax, site->sector, lang));
            md_cell(out, site_kind_words(site->kind, lang));
            g_string_append_printf(
                out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %s | %s |\n",
                tm_selection_rank(sel, TM_SIDE_SUPPLY, c, s) + 1,
                tm_selection_rank(sel, TM_SIDE_DEMAND, s, c) + 1,
                g_ascii_formatd(a, sizeof a, "%.3f", tm_selection_score(sel, TM_SIDE_SUPPLY, c, s)),
                g_ascii_formatd(b, sizeof b, "%.3f", tm_selection_score(sel, TM_SIDE_DEMAND, c, s)));
        }
    }
    md_legend(out, M(REPORT_ASSIGNMENTS_LEGEND));
}

static void md_coverage(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    char a[G_ASCII_DTOSTR_BUF_SIZE];
    gboolean people = tm_selection_quota_unit(sel) == TM_QUOTA_PEOPLE;
    md_heading(out, M(REPORT_H_COVERAGE));
    g_string_append_printf(out, M(REPORT_COVERAGE_COUNT),
                           people ? M(REPORT_COVERAGE_COUNT_PEOPLE) : M(REPORT_COVERAGE_COUNT_PAIRS));
    g_string_append_c(out, '\n');
    g_string_append_printf(out, M(REPORT_COVERAGE_HEAD),
                           people ? M(REPORT_COVERAGE_PEOPLE) : M(REPORT_COVERAGE_PAIRS));
    /* English shows both names of a sector, Chinese its Chinese name */
    g_string_append(out, lang == TM_LANG_ZH ? "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                                            : "\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++) {
        int32_t reg, elig, served, cap_v, floor_v;
        int64_t assigned;
        tm_selection_sector_counts(sel, k, &reg, &elig, &served, &assigned);
        tm_selection_sector_limits(sel, k, &cap_v, &floor_v);
        char cap[32] = "-", floor[32] = "-";
        if (cap_v >= 0)
            g_snprintf(cap, sizeof cap, "%" G_GINT32_FORMAT, cap_v);
        if (floor_v > 0)
            g_snprintf(floor, sizeof floor, "%" G_GINT32_FORMAT, floor_v);
        g_string_append(out, "|");
        if (lang != TM_LANG_ZH)
            md_cell(out, tm_taxonomy_name_en(tax, k));
        md_cell(out, tm_taxonomy_name_zh(tax, k));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT
                                    " | %s%% | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT
                                    " | %s | %s |\n",
                               reg, elig, served,
                               g_ascii_formatd(a, sizeof a, "%.0f", reg ? 100.0 * served / reg : 0.0),
                               assigned, tm_selection_sector_used(sel, k), cap, floor);
    }
    md_legend(out, M(REPORT_COVERAGE_LEGEND));
}

/* the plan's six task types (主要任务, tasks.h): who asks, who offers, who
 * is served */
static void md_tasks(GString *out, const TmSelection *sel, TmLang lang)
{
    md_heading(out, M(REPORT_H_TASKS));
    md_table_head(out, M(REPORT_TASKS_HEAD),
                  lang == TM_LANG_ZH ? "|---|---|---:|---:|---:|---:|---:|"
                                     : "|---|---|---|---:|---:|---:|---:|---:|");
    int64_t any = 0;
    for (int t = 0; t < TM_N_TASKS; t++) {
        int32_t asking, served, covered, offering, selected;
        tm_selection_task_counts(sel, (TmTask)t, &asking, &served, &covered, &offering,
                                 &selected);
        any += asking + offering;
        g_string_append_printf(out, "| %s |", tm_task_code((TmTask)t));
        md_cell(out, tm_task_name_zh((TmTask)t));
        if (lang != TM_LANG_ZH)
            md_cell(out, tm_task_name_en((TmTask)t));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %"
                                    G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %"
                                    G_GINT32_FORMAT " |\n",
                               asking, served, covered, offering, selected);
    }
    md_legend(out, M(REPORT_TASKS_LEGEND));
    if (any == 0)
        g_string_append_printf(out, "\n%s", M(REPORT_TASKS_EMPTY));
}

/* unfilled sites, each with its reason */
static void md_free_sites(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    md_heading(out, M(REPORT_H_FREE_SITES));
    md_table_head(out, M(REPORT_FREE_SITES_HEAD), "|---|---|---|---:|---|");
    int32_t n_unfilled = 0;
    for (int32_t s = 0; s < tm_selection_n_agents(sel, TM_SIDE_DEMAND); s++) {
        const TmSite *site = tm_programme_site(p, s);
        int32_t held = tm_matching_n_partners(tm_selection_matching(sel), TM_SIDE_DEMAND, s);
        if (held >= site->capacity)
            continue;
        n_unfilled++;
        char *why = reason_text(sel, TM_SIDE_DEMAND, s, lang);
        g_string_append(out, "|");
        md_cell(out, site->name);
        md_cell(out, sector_name(tax, site->sector, lang));
        md_cell(out, site_kind_words(site->kind, lang));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " |", site->capacity - held);
        md_cell(out, why);
        g_string_append_c(out, '\n');
        g_free(why);
    }
    if (n_unfilled == 0)
        g_string_append_printf(out, "| %s | | | | |\n", M(REPORT_NONE_ROW));
    md_legend(out, M(REPORT_FREE_SITES_LEGEND));
}

/* commissioners with places left, each with its reason */
static int by_merit_desc(const void *a, const void *b, void *data)
{
    const TmProgramme *p = data;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    double mx = tm_programme_commissioner(p, x)->merit, my = tm_programme_commissioner(p, y)->merit;
    if (mx != my)
        return mx > my ? -1 : 1;
    return (x > y) - (x < y);
}

/* Commissioners without all their places, highest merit first (the order
 * of the admission: the cutoff reads off the table). */
static void md_unmatched(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmProgramme *p = tm_selection_programme(sel);
    char a[G_ASCII_DTOSTR_BUF_SIZE];
    md_heading(out, M(REPORT_H_UNMATCHED));
    g_string_append_printf(out, "%s\n\n", M(REPORT_UNMATCHED_ORDER));
    md_table_head(out, M(REPORT_UNMATCHED_HEAD), "|---|---:|---:|---:|---|");
    int32_t nc = tm_selection_n_agents(sel, TM_SIDE_SUPPLY), n_unmatched = 0;
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int32_t c = 0; c < nc; c++) {
        int32_t held = tm_matching_n_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c);
        if (!(held >= tm_programme_commissioner(p, c)->capacity && held > 0))
            g_array_append_val(ids, c);
    }
    if (ids->len > 1)
        g_qsort_with_data(ids->data, (gint)ids->len, sizeof(int32_t), by_merit_desc, (gpointer)p);
    for (guint i = 0; i < ids->len; i++) {
        int32_t c = g_array_index(ids, int32_t, i);
        const TmCommissioner *cm = tm_programme_commissioner(p, c);
        int32_t held = tm_matching_n_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c);
        n_unmatched++;
        char *why = reason_text(sel, TM_SIDE_SUPPLY, c, lang);
        g_string_append(out, "|");
        md_cell(out, cm->name);
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %s | %" G_GINT32_FORMAT " |",
                               cm->team_size, g_ascii_formatd(a, sizeof a, "%.1f", cm->merit),
                               MAX(cm->capacity - held, 0));
        md_cell(out, why);
        g_string_append_c(out, '\n');
        g_free(why);
    }
    g_array_free(ids, TRUE);
    if (n_unmatched == 0)
        g_string_append_printf(out, "| %s | | | | |\n", M(REPORT_NONE_ROW));
    md_legend(out, M(REPORT_UNMATCHED_LEGEND));
}

/* The explicit wishes that are not in the market's lists, each with why:
 * the rule (and the value at fault) or the partner's consent. */
static void md_dropped_wishes(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmRules *rules = tm_selection_rules(sel);
    int32_t n_named[2] = {0, 0};
    int64_t n_wishes = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < tm_selection_n_agents(sel, (TmSide)side); a++) {
            n_named[side] += tm_programme_consent(p, rules, (TmSide)side, a)
                             == TM_CONSENT_NAMED_ONLY;
            n_wishes += side == 0 ? tm_programme_commissioner(p, a)->n_ranked_sites
                                  : tm_programme_site(p, a)->n_ranked_commissioners;
        }
    md_heading(out, M(REPORT_H_WISHES));
    g_string_append_printf(
        out, M(REPORT_WISHES_INTRO),
        tm_rules_consent(rules, TM_SIDE_SUPPLY) == TM_CONSENT_NAMED_ONLY
            ? M(REPORT_WISHES_NAMED_SITES)
            : M(REPORT_WISHES_ANY_SITE),
        tm_rules_consent(rules, TM_SIDE_DEMAND) == TM_CONSENT_NAMED_ONLY
            ? M(REPORT_WISHES_NAMED_COMMISSIONERS)
            : M(REPORT_WISHES_ANY_COMMISSIONER),
        (int)n_named[0], (int)n_named[1], (long long)tm_selection_n_dropped_wishes(sel),
        (long long)n_wishes);
    g_string_append(out, "\n\n");
    md_table_head(out, M(REPORT_WISHES_HEAD), "|---|---|---|---|");
    int64_t listed = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < tm_selection_n_agents(sel, (TmSide)side); a++) {
            int32_t nw = side == 0 ? tm_programme_commissioner(p, a)->n_ranked_sites
                                   : tm_programme_site(p, a)->n_ranked_commissioners;
            for (int32_t q = 0; q < nw; q++) {
                int fate = tm_selection_wish_fate(sel, (TmSide)side, a, q);
                if (fate == TM_WISH_KEPT)
                    continue;
                int32_t o = tm_selection_wish_partner(sel, (TmSide)side, a, q);
                char *why = tm_selection_wish_reason_lang(sel, (TmSide)side, a, q, lang);
                g_string_append_printf(out, "| %s |", side == 0 ? M(REPORT_SIDE_COMMISSIONER)
                                                                : M(REPORT_SIDE_SITE));
                md_cell(out, side == 0 ? tm_i_sel_cname(sel, a) : tm_i_sel_sname(sel, a));
                md_cell(out, o < 0 ? "?" : side == 0 ? tm_i_sel_sname(sel, o)
                                                     : tm_i_sel_cname(sel, o));
                md_cell(out, why ? why : M(REPORT_WISHES_NO_REASON));
                g_string_append_c(out, '\n');
                g_free(why);
                listed++;
            }
        }
    if (listed == 0)
        g_string_append_printf(out, "| %s | | | |\n", M(REPORT_NONE_ROW));
}

/* Every pair where each is the other's first choice, and why it was broken
 * when it was. */
static void md_mutual_firsts(GString *out, const TmSelection *sel, TmLang lang)
{
    md_heading(out, M(REPORT_H_MUTUAL));
    g_string_append_printf(out, "%s\n\n", M(REPORT_MUTUAL_INTRO));
    md_table_head(out, M(REPORT_MUTUAL_HEAD), "|---|---|---|---|");
    int32_t n = 0;
    for (int32_t c = 0; c < tm_selection_n_agents(sel, TM_SIDE_SUPPLY); c++)
        for (int32_t j = 0;; j++) {
            int32_t s = tm_selection_mutual_first(sel, c, j);
            if (s < 0)
                break;
            n++;
            gboolean kept = tm_selection_is_assigned(sel, c, s);
            g_string_append(out, "|");
            md_cell(out, tm_i_sel_cname(sel, c));
            md_cell(out, tm_i_sel_sname(sel, s));
            g_string_append_printf(out, " %s |", kept ? M(REPORT_YES) : M(REPORT_NO));
            if (kept) {
                g_string_append(out, " |\n");
                continue;
            }
            int oc = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL);
            char *why = reason_text(sel, TM_SIDE_SUPPLY, c, lang);
            if (oc == TM_OUTCOME_MATCHED || oc == TM_OUTCOME_PARTLY) { /* the site's side */
                char *ws = reason_text(sel, TM_SIDE_DEMAND, s, lang);
                char *both = g_strdup_printf(M(REPORT_MUTUAL_BOTH), why, ws);
                g_free(why);
                g_free(ws);
                why = both;
            }
            md_cell(out, why);
            g_string_append_c(out, '\n');
            g_free(why);
        }
    if (n == 0)
        g_string_append_printf(out, "| %s | | | |\n", M(REPORT_NONE_ROW));
}

int64_t *tm_i_rank_histogram(const TmSelection *sel, TmSide side, int32_t *len,
                             GError **error)
{
    const TmMarket *m = tm_selection_market(sel);
    int32_t n = tm_market_size(m, side), mx = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t k;
        tm_market_prefs(m, side, i, &k);
        mx = MAX(mx, k);
    }
    int64_t *h = tm_i_try_alloc(MAX(mx, 1), sizeof(int64_t), TRUE, "rank histogram", error);
    if (h != NULL)
        tm_matching_rank_histogram(tm_selection_matching(sel), side, h, mx, NULL);
    *len = mx;
    return h;
}

static gboolean md_rank_table(GString *out, const TmSelection *sel, TmSide side,
                              const char *who, TmLang lang, GError **error)
{
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t mx;
    int64_t *h = tm_i_rank_histogram(sel, side, &mx, error);
    if (h == NULL)
        return FALSE;
    TmMatchingStats st;
    tm_matching_get_stats(mt, &st, NULL);
    const TmSideStats *ss = &st.side[side];
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out, M(REPORT_RANKS_LINE), who,
                           g_ascii_formatd(a, sizeof a, "%.2f", ss->rank_mean + 1),
                           g_ascii_formatd(b, sizeof b, "%.1f", ss->rank_median + 1),
                           (int)ss->rank_max + 1);
    md_table_head(out, M(REPORT_RANKS_HEAD), "|---:|---:|");
    for (int32_t r = 0; r < mx; r++)
        if (h[r] > 0)
            g_string_append_printf(out, "| %" G_GINT32_FORMAT " | %" G_GINT64_FORMAT " |\n", r + 1,
                                   h[r]);
    g_free(h);
    return TRUE;
}

static void md_rules(GString *out, const TmSelection *sel, TmLang lang)
{
    md_heading(out, M(REPORT_H_RULES));
    md_table_head(out, M(REPORT_RULES_HEAD), "|---|---|---|---:|");
    for (int32_t r = 0; r < tm_rules_n_rules(); r++) {
        const char *code = tm_rule_code(r);
        gboolean on = tm_rules_is_enabled(tm_selection_rules(sel), code);
        char n_ex[32] = "-";
        if (tm_rule_scope(r) != TM_RULE_SCOPE_PAIR)
            g_snprintf(n_ex, sizeof n_ex, "%" G_GINT32_FORMAT,
                       tm_screening_n_first_failing(tm_selection_screening(sel), code));
        g_string_append_printf(out, "| %s | %s |", code, on ? M(REPORT_YES) : M(REPORT_NO));
        md_cell(out, lang == TM_LANG_ZH ? tm_rule_summary_zh(r) : tm_rule_summary(r));
        g_string_append_printf(out, " %s |\n", n_ex);
    }
    md_legend(out, M(REPORT_RULES_LEGEND));
}

static void md_certificate(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmVerdict *v = tm_selection_verdict(sel);
    md_heading(out, M(REPORT_H_CERTIFICATE));
    int64_t nb = tm_verdict_n_blocking_pairs(v);
    int64_t nv = tm_verdict_n_violations(v);
    if (nb == 0 && nv == 0) {
        g_string_append(out, M(REPORT_STABLE));
        return;
    }
    g_string_append_printf(out, M(REPORT_NOT_STABLE), (long long)nb, (long long)nv);
    for (int64_t i = 0; i < nb; i++) {
        int32_t c, s;
        tm_verdict_blocking_pair(v, i, &c, &s);
        g_string_append(out, M(REPORT_BLOCKING_PAIR));
        md_text(out, tm_i_sel_cname(sel, c));
        g_string_append(out, " — ");
        md_text(out, tm_i_sel_sname(sel, s));
        g_string_append_c(out, '\n');
    }
}

char *tm_i_report_markdown(const TmSelection *sel, TmLang lang, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    lang = lang == TM_LANG_ZH ? TM_LANG_ZH : TM_LANG_EN;
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "# %s\n\n", M(REPORT_TITLE));
    md_summary(out, sel, lang);
    md_assignments(out, sel, lang);
    md_coverage(out, sel, lang);
    md_tasks(out, sel, lang);
    md_free_sites(out, sel, lang);
    md_unmatched(out, sel, lang);
    md_dropped_wishes(out, sel, lang);
    md_mutual_firsts(out, sel, lang);
    md_heading(out, M(REPORT_H_RANKS));
    g_string_truncate(out, out->len - 1); /* the first table's line opens with its own break */
    if (!md_rank_table(out, sel, TM_SIDE_SUPPLY, M(REPORT_RANKS_SUPPLY), lang, error)
        || !md_rank_table(out, sel, TM_SIDE_DEMAND, M(REPORT_RANKS_DEMAND), lang, error)) {
        g_string_free(out, TRUE);
        return NULL;
    }
    md_rules(out, sel, lang);
    md_certificate(out, sel, lang);
    return g_string_free(out, FALSE);
}

char *tm_selection_report_markdown(const TmSelection *sel, GError **error)
{
    return tm_i_report_markdown(sel, TM_LANG_EN, error);
}

/* md_text() for the other writers of the report (report_internal.h). */
void tm_i_md_text(GString *out, const char *text)
{
    md_text(out, text);
}
