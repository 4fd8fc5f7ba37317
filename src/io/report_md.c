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

static char *reason_text(const TmSelection *sel, TmSide side, int32_t id)
{
    return tm_selection_reason(sel, side, id, TM_LANG_EN);
}

/* The method and the objective's value, when one was requested. */
static void md_objective(GString *out, const TmSelection *sel)
{
    static const char *const method[] = {
        "admission in merit order, each applicant placed by commissioner-proposing deferred "
        "acceptance among those admitted: the commissioner-optimal stable matching of the "
        "admitted",
        "site-proposing deferred acceptance: the site-optimal stable matching",
        "the egalitarian stable matching (least total rank over both sides), from the lattice "
        "of stable matchings",
        "the minimum-regret stable matching (least worst rank), from the lattice of stable "
        "matchings",
        "the stable matching of greatest total two-way score (each pair weighs the "
        "commissioner's score of the site plus the site's score of the commissioner), from "
        "the lattice of stable matchings",
        "a balanced stable matching (heuristic: small gap between the two sides' total "
        "ranks), from the lattice of stable matchings",
    };
    static const char *const value[] = {
        "commissioners' total rank", "sites' total rank", "total rank of both sides",
        "worst rank", "total two-way score", "gap between the sides' total ranks",
    };
    int o = tm_selection_objective(sel);
    if (o < 0 || o >= (int)G_N_ELEMENTS(method))
        return;
    char v[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out, "- Method: %s\n- Objective: %s; %s%s: %s\n", method[o],
                           tm_objective_code(o), value[o],
                           o == TM_OBJECTIVE_MAX_WEIGHT ? "" : " (ranks from 0 = first choice)",
                           tm_i_sel_objective_value(sel, v, sizeof v));
}

/* Ties in the lists (tied wishes): how they were treated. */
static void md_ties(GString *out, const TmSelection *sel)
{
    if (!tm_market_has_ties(tm_selection_market(sel)))
        return;
    const TmProgramme *p = tm_selection_programme(sel);
    TmStability st = tm_selection_stability(sel);
    g_string_append_printf(out, "- Ties: the wishes of %" G_GINT32_FORMAT " commissioners and %"
                                G_GINT32_FORMAT " sites have ties; %s\n",
                           tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY),
                           tm_programme_n_wish_ties(p, TM_SIDE_DEMAND),
                           st == TM_STABILITY_SUPER
                               ? "the matching is super-stable (no pair would both be at least "
                                 "as well off together)"
                           : st == TM_STABILITY_STRONG
                               ? "the matching is strongly stable (no pair where one would be "
                                 "better off and the other no worse together)"
                               : "the matching is weakly stable (no pair would both be better "
                                 "off together; ties broken before deferred acceptance)");
}

/* The quota, what it counts, and where merit cut. */
static void md_quota(GString *out, const TmSelection *sel)
{
    int32_t quota = tm_selection_quota_total(sel);
    gboolean people = tm_selection_quota_unit(sel) == TM_QUOTA_PEOPLE;
    if (quota < 0) {
        g_string_append(out, "- Quota: none\n");
        return;
    }
    g_string_append_printf(out, "- Quota (择优选派): %" G_GINT32_FORMAT " %s; used %" G_GINT64_FORMAT
                                "\n",
                           quota,
                           people ? "commissioners or teams (a team counts as one, whatever the "
                                    "number of sites it serves)"
                                  : "assignments (commissioner-site pairs; a team serving three "
                                    "sites uses three)",
                           tm_selection_quota_used(sel));
    int32_t at;
    double merit;
    char m[G_ASCII_DTOSTR_BUF_SIZE];
    if (tm_selection_merit_cutoff(sel, &at, &merit)) {
        g_string_append_printf(out, "- Merit cutoff: %s — ",
                               g_ascii_formatd(m, sizeof m, "%.1f", merit));
        md_text(out, tm_i_sel_cname(sel, at));
        g_string_append(out, " is the first applicant the quota cuts, and nobody after him in "
                             "merit order is sent; before him, every eligible applicant not "
                             "sent was outranked at a site by a named person, cut by a sector "
                             "cap, or — once the open places were used up — found no reserved "
                             "place in a sector below its floor (table below)\n");
    } else {
        g_string_append(out, "- Merit cutoff: none — the quota did not cut any applicant\n");
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
        g_string_append(out, "- Sector floors reserve places inside the quota: when the open "
                             "places are used up, an applicant may still take a place in a sector "
                             "below its floor\n");
    if (caps)
        g_string_append(out, "- Sector caps: once a sector reaches its cap it is closed to the "
                             "applicants that come after in merit order\n");
}

static void md_summary(GString *out, const TmSelection *sel)
{
    const TmScreening *scr = tm_selection_screening(sel);
    g_string_append_printf(out,
                           "- Applicants (commissioners and teams): %" G_GINT32_FORMAT
                           ", eligible %" G_GINT32_FORMAT "\n"
                           "- Sites registered: %" G_GINT32_FORMAT ", eligible %" G_GINT32_FORMAT "\n"
                           "- Assignments: %" G_GINT64_FORMAT ", commissioners or teams sent: %"
                           G_GINT32_FORMAT "\n",
                           tm_selection_n_agents(sel, TM_SIDE_SUPPLY),
                           tm_screening_n_eligible(scr, TM_SIDE_SUPPLY),
                           tm_selection_n_agents(sel, TM_SIDE_DEMAND),
                           tm_screening_n_eligible(scr, TM_SIDE_DEMAND),
                           tm_matching_n_pairs(tm_selection_matching(sel)),
                           tm_selection_n_selected(sel));
    md_quota(out, sel);
    if (!tm_selection_objective_requested(sel))
        g_string_append(out, "- Method: admission in merit order (择优): applicants are taken "
                             "from the highest merit down, each placed by commissioner-proposing "
                             "deferred acceptance among those admitted so far (two-way choice "
                             "decides where), until the next one would exceed the quota\n");
    else
        md_objective(out, sel);
    md_ties(out, sel);
}

/* who serves where */
static void md_assignments(GString *out, const TmSelection *sel)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, "\n## Assignments\n\n| commissioner | team | site | sector | kind | "
                         "commissioner's rank | site's rank | commissioner's score | site's score |\n"
                         "|---|---:|---|---|---|---:|---:|---:|---:|\n");
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
            md_cell(out, tm_taxonomy_name_en(tax, site->sector));
            md_cell(out, tm_site_kind_code(site->kind));
            g_string_append_printf(
                out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %s | %s |\n",
                tm_selection_rank(sel, TM_SIDE_SUPPLY, c, s) + 1,
                tm_selection_rank(sel, TM_SIDE_DEMAND, s, c) + 1,
                g_ascii_formatd(a, sizeof a, "%.3f", tm_selection_score(sel, TM_SIDE_SUPPLY, c, s)),
                g_ascii_formatd(b, sizeof b, "%.3f", tm_selection_score(sel, TM_SIDE_DEMAND, c, s)));
        }
    }
}

static void md_coverage(GString *out, const TmSelection *sel)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    char a[G_ASCII_DTOSTR_BUF_SIZE];
    const char *counted = tm_selection_quota_unit(sel) == TM_QUOTA_PEOPLE
                              ? "commissioners or teams"
                              : "counted (assignments)";
    g_string_append_printf(out, "\n## Coverage per sector\n\nCaps and floors count %s.\n\n"
                                "| sector | 行业 | sites registered | eligible | served | coverage | "
                                "assignments | %s | cap | floor |\n"
                                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
                           tm_selection_quota_unit(sel) == TM_QUOTA_PEOPLE
                               ? "commissioners or teams (a team serving several sites of a "
                                 "sector counts once there)"
                               : "assignments",
                           counted);
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
        md_cell(out, tm_taxonomy_name_en(tax, k));
        md_cell(out, tm_taxonomy_name_zh(tax, k));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT
                                    " | %s%% | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT
                                    " | %s | %s |\n",
                               reg, elig, served,
                               g_ascii_formatd(a, sizeof a, "%.0f", reg ? 100.0 * served / reg : 0.0),
                               assigned, tm_selection_sector_used(sel, k), cap, floor);
    }
}

/* the plan's six task types (主要任务, tasks.h): who asks, who offers, who
 * is served */
static void md_tasks(GString *out, const TmSelection *sel)
{
    g_string_append(out, "\n## Tasks (主要任务)\n\n| task | 任务 | name | sites asking | served | "
                         "served by a commissioner offering it | commissioners offering | "
                         "selected |\n|---|---|---|---:|---:|---:|---:|---:|\n");
    int64_t any = 0;
    for (int t = 0; t < TM_N_TASKS; t++) {
        int32_t asking, served, covered, offering, selected;
        tm_selection_task_counts(sel, (TmTask)t, &asking, &served, &covered, &offering,
                                 &selected);
        any += asking + offering;
        g_string_append_printf(out, "| %s |", tm_task_code((TmTask)t));
        md_cell(out, tm_task_name_zh((TmTask)t));
        md_cell(out, tm_task_name_en((TmTask)t));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %"
                                    G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %"
                                    G_GINT32_FORMAT " |\n",
                               asking, served, covered, offering, selected);
    }
    if (any == 0)
        g_string_append(out, "\nNo site asked for and no commissioner offered a task type "
                             "(the forms' task column is empty).\n");
}

/* unfilled sites, each with its reason */
static void md_free_sites(GString *out, const TmSelection *sel)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    g_string_append(out, "\n## Sites with free places\n\n| site | sector | kind | free places | reason |\n"
                         "|---|---|---|---:|---|\n");
    int32_t n_unfilled = 0;
    for (int32_t s = 0; s < tm_selection_n_agents(sel, TM_SIDE_DEMAND); s++) {
        const TmSite *site = tm_programme_site(p, s);
        int32_t held = tm_matching_n_partners(tm_selection_matching(sel), TM_SIDE_DEMAND, s);
        if (held >= site->capacity)
            continue;
        n_unfilled++;
        char *why = reason_text(sel, TM_SIDE_DEMAND, s);
        g_string_append(out, "|");
        md_cell(out, site->name);
        md_cell(out, tm_taxonomy_name_en(tax, site->sector));
        md_cell(out, tm_site_kind_code(site->kind));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " |", site->capacity - held);
        md_cell(out, why);
        g_string_append_c(out, '\n');
        g_free(why);
    }
    if (n_unfilled == 0)
        g_string_append(out, "| (none) | | | | |\n");
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
static void md_unmatched(GString *out, const TmSelection *sel)
{
    const TmProgramme *p = tm_selection_programme(sel);
    char a[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, "\n## Commissioners not (fully) matched\n\nHighest merit first.\n\n"
                         "| commissioner | team | merit | places left | reason |\n"
                         "|---|---:|---:|---:|---|\n");
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
        char *why = reason_text(sel, TM_SIDE_SUPPLY, c);
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
        g_string_append(out, "| (none) | | | | |\n");
}

/* The explicit wishes that are not in the market's lists, each with why:
 * the rule (and the value at fault) or the partner's consent. */
static void md_dropped_wishes(GString *out, const TmSelection *sel)
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
    g_string_append_printf(
        out,
        "\n## Explicit wishes not in the lists\n\nConsent (双向选择): by default commissioners "
        "accept %s and sites accept %s; accepting only the partners they named (只接受所列意向): "
        "%" G_GINT32_FORMAT " commissioners, %" G_GINT32_FORMAT " sites. %" G_GINT64_FORMAT " of %"
        G_GINT64_FORMAT " explicit wishes are not in the preference lists:\n\n"
        "| side | agent | wished | reason |\n|---|---|---|---|\n",
        tm_rules_consent(rules, TM_SIDE_SUPPLY) == TM_CONSENT_NAMED_ONLY ? "only the sites they "
                                                                           "named"
                                                                         : "any site",
        tm_rules_consent(rules, TM_SIDE_DEMAND) == TM_CONSENT_NAMED_ONLY ? "only the "
                                                                           "commissioners they "
                                                                           "named"
                                                                         : "any commissioner",
        n_named[0], n_named[1], tm_selection_n_dropped_wishes(sel), n_wishes);
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
                char *why = tm_selection_wish_reason(sel, (TmSide)side, a, q);
                g_string_append_printf(out, "| %s |", side == 0 ? "commissioner" : "site");
                md_cell(out, side == 0 ? tm_i_sel_cname(sel, a) : tm_i_sel_sname(sel, a));
                md_cell(out, o < 0 ? "?" : side == 0 ? tm_i_sel_sname(sel, o)
                                                     : tm_i_sel_cname(sel, o));
                md_cell(out, why ? why : "(no reason found)");
                g_string_append_c(out, '\n');
                g_free(why);
                listed++;
            }
        }
    if (listed == 0)
        g_string_append(out, "| (none) | | | |\n");
}

/* Every pair where each is the other's first choice, and why it was broken
 * when it was. */
static void md_mutual_firsts(GString *out, const TmSelection *sel)
{
    g_string_append(out, "\n## Mutual first choices\n\nPairs where each is the other's first "
                         "choice (rank 1 both ways). Such a pair is kept unless the quota, a "
                         "sector cap or the review keeps one of the two out.\n\n"
                         "| commissioner | site | assigned | why not |\n|---|---|---|---|\n");
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
            g_string_append_printf(out, " %s |", kept ? "yes" : "no");
            if (kept) {
                g_string_append(out, " |\n");
                continue;
            }
            int oc = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL);
            char *why = reason_text(sel, TM_SIDE_SUPPLY, c);
            if (oc == TM_OUTCOME_MATCHED || oc == TM_OUTCOME_PARTLY) { /* the site's side */
                char *ws = reason_text(sel, TM_SIDE_DEMAND, s);
                char *both = g_strdup_printf("commissioner %s; site %s", why, ws);
                g_free(why);
                g_free(ws);
                why = both;
            }
            md_cell(out, why);
            g_string_append_c(out, '\n');
            g_free(why);
        }
    if (n == 0)
        g_string_append(out, "| (none) | | | |\n");
}

static gboolean md_rank_table(GString *out, const TmSelection *sel, TmSide side,
                              const char *who, GError **error)
{
    const TmMarket *m = tm_selection_market(sel);
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t n = tm_market_size(m, side), mx = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t len;
        tm_market_prefs(m, side, i, &len);
        mx = MAX(mx, len);
    }
    int64_t *h = tm_i_try_alloc(MAX(mx, 1), sizeof(int64_t), TRUE, "rank histogram", error);
    if (h == NULL)
        return FALSE;
    tm_matching_rank_histogram(mt, side, h, mx, NULL);
    TmMatchingStats st;
    tm_matching_get_stats(mt, &st, NULL);
    const TmSideStats *ss = &st.side[side];
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out, "\n**%s** (rank 1 = first choice among acceptable partners): "
                                "mean %s, median %s, worst %" G_GINT32_FORMAT "\n\n",
                           who, g_ascii_formatd(a, sizeof a, "%.2f", ss->rank_mean + 1),
                           g_ascii_formatd(b, sizeof b, "%.1f", ss->rank_median + 1),
                           ss->rank_max + 1);
    g_string_append(out, "| rank | assignments |\n|---:|---:|\n");
    for (int32_t r = 0; r < mx; r++)
        if (h[r] > 0)
            g_string_append_printf(out, "| %" G_GINT32_FORMAT " | %" G_GINT64_FORMAT " |\n", r + 1,
                                   h[r]);
    g_free(h);
    return TRUE;
}

static void md_rules(GString *out, const TmSelection *sel)
{
    g_string_append(out, "\n## Rules applied\n\n| rule | on | explanation | agents excluded |\n"
                         "|---|---|---|---:|\n");
    for (int32_t r = 0; r < tm_rules_n_rules(); r++) {
        const char *code = tm_rule_code(r);
        gboolean on = tm_rules_is_enabled(tm_selection_rules(sel), code);
        char n_ex[32] = "-";
        if (tm_rule_scope(r) != TM_RULE_SCOPE_PAIR)
            g_snprintf(n_ex, sizeof n_ex, "%" G_GINT32_FORMAT,
                       tm_screening_n_first_failing(tm_selection_screening(sel), code));
        g_string_append_printf(out, "| %s | %s |", code, on ? "yes" : "no");
        md_cell(out, tm_rule_summary(r));
        g_string_append_printf(out, " %s |\n", n_ex);
    }
}

static void md_certificate(GString *out, const TmSelection *sel)
{
    const TmVerdict *v = tm_selection_verdict(sel);
    g_string_append(out, "\n## Stability certificate\n\n");
    int64_t nb = tm_verdict_n_blocking_pairs(v);
    int64_t nv = tm_verdict_n_violations(v);
    if (nb == 0 && nv == 0) {
        g_string_append(out, "Stable among the admitted: no admitted commissioner and site "
                             "would both rather be together (each applicant with the sectors "
                             "open to it at its turn in merit order; pinned pairs fixed) — 0 "
                             "blocking pairs; every capacity, the quota and every cap are "
                             "respected, and every assignment is acceptable to both sides.\n");
        return;
    }
    g_string_append_printf(out, "NOT stable: %" G_GINT64_FORMAT " blocking pairs, %"
                                G_GINT64_FORMAT " violations.\n\n",
                           nb, nv);
    for (int64_t i = 0; i < nb; i++) {
        int32_t c, s;
        tm_verdict_blocking_pair(v, i, &c, &s);
        g_string_append(out, "- blocking pair: ");
        md_text(out, tm_i_sel_cname(sel, c));
        g_string_append(out, " — ");
        md_text(out, tm_i_sel_sname(sel, s));
        g_string_append_c(out, '\n');
    }
}

char *tm_selection_report_markdown(const TmSelection *sel, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    GString *out = g_string_new("# Science-and-technology commissioner selection (科技特派员选派)\n\n");
    md_summary(out, sel);
    md_assignments(out, sel);
    md_coverage(out, sel);
    md_tasks(out, sel);
    md_free_sites(out, sel);
    md_unmatched(out, sel);
    md_dropped_wishes(out, sel);
    md_mutual_firsts(out, sel);
    g_string_append(out, "\n## Rank distributions\n");
    if (!md_rank_table(out, sel, TM_SIDE_SUPPLY, "Commissioners' ranks of their sites", error)
        || !md_rank_table(out, sel, TM_SIDE_DEMAND, "Sites' ranks of their commissioners",
                          error)) {
        g_string_free(out, TRUE);
        return NULL;
    }
    md_rules(out, sel);
    md_certificate(out, sel);
    return g_string_free(out, FALSE);
}

/* md_text() for the other writers of the report (report_internal.h). */
void tm_i_md_text(GString *out, const char *text)
{
    md_text(out, text);
}
