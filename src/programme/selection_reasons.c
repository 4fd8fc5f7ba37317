/* techmatch — the outcome of every agent of a selection and the reason for
 * every unmatched one: ineligible, no acceptable partner, outranked, or cut
 * by the quota or a sector cap (with who or what took the place). */
#include <string.h>

#include <glib.h>

#include <techmatch/groups.h>
#include <techmatch/matching.h>
#include <techmatch/rules.h>

#include "programme/selection_internal.h"

/* the group on site s's chain (sector, then global) that is at its cap */
static int32_t binding_group(const TmSelection *sel, int32_t s, const int64_t *count)
{
    const TmSite *site = tm_programme_site(sel->prog, s);
    int32_t g = site->sector >= 0 && site->sector < tm_taxonomy_n_sectors(tm_programme_taxonomy(sel->prog))
                    ? sel->sector_group[site->sector] : -1;
    if (g >= 0 && count[g] >= tm_groups_cap(sel->groups, g))
        return g;
    if (sel->global_group >= 0)
        return sel->global_group; /* at cap, or its free places are reserved by floors */
    return -1;
}

static void set_outcome(TmSelection *sel, TmSide side, int32_t id, TmOutcome o, char *detail)
{
    sel->outcome[side][id] = o;
    g_free(sel->detail[side][id]);
    sel->detail[side][id] = detail;
}

/* The most frequent first-failing pair rule of @agent against the eligible
 * agents of the other side, when the programme is small enough to look. */
static char *no_partner_detail(const TmSelection *sel, TmSide side, int32_t id)
{
    int32_t nc = sel->n[TM_SIDE_SUPPLY], ns = sel->n[TM_SIDE_DEMAND];
    int32_t n_other = side == TM_SIDE_SUPPLY ? ns : nc;
    if ((int64_t)nc * ns > 20000000)
        return NULL;
    GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);
    int32_t eligible = 0;
    for (int32_t j = 0; j < n_other; j++) {
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_OTHER(side), j))
            continue;
        eligible++;
        int32_t c = side == TM_SIDE_SUPPLY ? id : j, s = side == TM_SIDE_SUPPLY ? j : id;
        const char *why = tm_rules_pair_reason(sel->prog, sel->rules, c, s);
        if (why == NULL)
            why = "no mutual listing";
        g_hash_table_insert(counts, (gpointer)why,
                            GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(counts, why)) + 1));
    }
    char *out;
    if (eligible == 0) {
        out = g_strdup(side == TM_SIDE_SUPPLY ? "no eligible site" : "no eligible commissioner");
    } else {
        const char *best = NULL;
        int best_n = 0;
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, counts);
        while (g_hash_table_iter_next(&it, &k, &v))
            if (GPOINTER_TO_INT(v) > best_n ||
                (GPOINTER_TO_INT(v) == best_n && best && strcmp(k, best) < 0)) {
                best = k;
                best_n = GPOINTER_TO_INT(v);
            }
        out = g_strdup_printf("%s (%d of %" G_GINT32_FORMAT " eligible %s)", best, best_n,
                              eligible, side == TM_SIDE_SUPPLY ? "sites" : "commissioners");
    }
    g_hash_table_unref(counts);
    return out;
}

static const char *cname(const TmSelection *sel, int32_t c)
{
    return tm_programme_commissioner(sel->prog, c)->name;
}

static const char *sname(const TmSelection *sel, int32_t s)
{
    return tm_programme_site(sel->prog, s)->name;
}

static char *group_detail(const TmSelection *sel, int32_t g, TmOutcome *o)
{
    if (g == sel->global_group) {
        *o = TM_OUTCOME_QUOTA;
        return g_strdup_printf("the quota of %" G_GINT32_FORMAT " is full with pairs ranked "
                               "ahead (sites' own rankings first, then merit)",
                               sel->quota_total);
    }
    *o = TM_OUTCOME_SECTOR_CAP;
    int32_t k = sel->group_sector[g];
    return g_strdup_printf("%s cap %" G_GINT32_FORMAT,
                           tm_taxonomy_code(tm_programme_taxonomy(sel->prog), k),
                           tm_groups_cap(sel->groups, g));
}

gboolean tm_i_selection_explain(TmSelection *sel, GError **error)
{
    const TmProgramme *p = sel->prog;
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    int32_t nc = sel->n[TM_SIDE_SUPPLY], ns = sel->n[TM_SIDE_DEMAND];
    int32_t G = tm_groups_n(sel->groups);
    int64_t *count = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "group counts", error);
    if (count == NULL)
        return FALSE;
    for (int32_t g = 0; g < G; g++)
        count[g] = tm_groups_count(sel->groups, g, mt);
    for (int side = 0; side < 2; side++) {
        if (!(sel->outcome[side] = tm_i_try_alloc(sel->n[side], sizeof(int), TRUE,
                                                  "selection outcomes", error))
            || !(sel->detail[side] = tm_i_try_alloc(sel->n[side], sizeof(char *), TRUE,
                                                    "selection details", error))) {
            g_free(count);
            return FALSE;
        }
    }

    for (int32_t c = 0; c < nc; c++) {
        int32_t cap = tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        int32_t held = tm_matching_n_partners(mt, TM_SIDE_SUPPLY, c);
        int32_t len;
        const int32_t *list = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
        if (held > 0)
            sel->n_selected++;
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_SUPPLY, c)) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_INELIGIBLE,
                        g_strdup(tm_screening_reason(sel->screening, TM_SIDE_SUPPLY, c)));
            continue;
        }
        if (tm_programme_commissioner(p, c)->capacity == 0) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_NO_CAPACITY, NULL);
            continue;
        }
        if (held >= cap) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_MATCHED, NULL);
            continue;
        }
        if (len == 0) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_NO_PARTNER,
                        no_partner_detail(sel, TM_SIDE_SUPPLY, c));
            continue;
        }
        /* capacity left: look at the sites it listed and did not get */
        int32_t n_mine;
        const int32_t *mine = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n_mine);
        TmOutcome o = TM_OUTCOME_OUTRANKED;
        char *detail = NULL;
        for (int32_t i = 0; i < len; i++) {
            int32_t s = list[i];
            gboolean have = FALSE;
            for (int32_t j = 0; j < n_mine; j++)
                have = have || mine[j] == s;
            if (have)
                continue;
            int32_t k;
            const int32_t *holders = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &k);
            if (k >= tm_market_capacity(m, TM_SIDE_DEMAND, s)) {
                if (detail == NULL && k > 0)
                    detail = g_strdup_printf("%s took the place at %s", cname(sel, holders[k - 1]),
                                             sname(sel, s));
                else if (detail == NULL)
                    detail = g_strdup_printf("%s has no place", sname(sel, s));
                continue;
            }
            int32_t g = binding_group(sel, s, count);
            if (g >= 0) {
                g_free(detail);
                detail = group_detail(sel, g, &o);
                break;
            }
        }
        if (held > 0) {
            char *d = g_strdup_printf("%s: %s", tm_outcome_code(o), detail ? detail : "");
            g_free(detail);
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_PARTLY, d);
        } else {
            set_outcome(sel, TM_SIDE_SUPPLY, c, o, detail);
        }
    }

    for (int32_t s = 0; s < ns; s++) {
        int32_t cap = tm_market_capacity(m, TM_SIDE_DEMAND, s);
        int32_t held = tm_matching_n_partners(mt, TM_SIDE_DEMAND, s);
        int32_t len;
        const int32_t *list = tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_DEMAND, s)) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_INELIGIBLE,
                        g_strdup(tm_screening_reason(sel->screening, TM_SIDE_DEMAND, s)));
            continue;
        }
        if (tm_programme_site(p, s)->capacity == 0) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_NO_CAPACITY, NULL);
            continue;
        }
        if (held >= cap) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_MATCHED, NULL);
            continue;
        }
        if (len == 0) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_NO_PARTNER,
                        no_partner_detail(sel, TM_SIDE_DEMAND, s));
            continue;
        }
        /* seats free: would any listed commissioner rather be here? */
        int32_t wanting = -1;
        for (int32_t i = 0; i < len && wanting < 0; i++) {
            int32_t c = list[i];
            int32_t k;
            const int32_t *theirs = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
            gboolean here = FALSE;
            for (int32_t j = 0; j < k; j++)
                here = here || theirs[j] == s;
            if (here)
                continue;
            if (k < tm_market_capacity(m, TM_SIDE_SUPPLY, c)) {
                wanting = c;
                break;
            }
            if (k == 0)
                continue; /* capacity 0: they cannot come, and hold no worst partner */
            int32_t my_rank = tm_market_rank(m, TM_SIDE_SUPPLY, c, s);
            int32_t worst = tm_market_rank(m, TM_SIDE_SUPPLY, c, theirs[k - 1]);
            if (my_rank >= 0 && (worst < 0 || my_rank < worst))
                wanting = c;
        }
        TmOutcome o;
        char *detail;
        int32_t g = wanting >= 0 ? binding_group(sel, s, count) : -1;
        if (g >= 0) {
            detail = group_detail(sel, g, &o);
            char *d2 = g_strdup_printf("%s (e.g. %s would come)", detail, cname(sel, wanting));
            g_free(detail);
            detail = d2;
        } else {
            o = TM_OUTCOME_OUTRANKED;
            /* name the site's favourite that went elsewhere */
            int32_t c = list[0], k = 0;
            const int32_t *theirs = NULL;
            for (int32_t i = 0; i < len; i++) {
                int32_t kk;
                const int32_t *t = tm_matching_partners(mt, TM_SIDE_SUPPLY, list[i], &kk);
                gboolean here = FALSE;
                for (int32_t j = 0; j < kk; j++)
                    here = here || t[j] == s;
                if (!here && kk > 0) {
                    c = list[i];
                    theirs = t;
                    k = kk;
                    break;
                }
            }
            detail = k > 0 ? g_strdup_printf("its %" G_GINT32_FORMAT " acceptable commissioners "
                                             "prefer their assignments (e.g. %s went to %s)",
                                             len, cname(sel, c), sname(sel, theirs[0]))
                           : g_strdup_printf("its %" G_GINT32_FORMAT
                                             " acceptable commissioners are not available",
                                             len);
        }
        if (held > 0) {
            char *d = g_strdup_printf("%s: %s", tm_outcome_code(o), detail);
            g_free(detail);
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_PARTLY, d);
        } else {
            set_outcome(sel, TM_SIDE_DEMAND, s, o, detail);
        }
    }
    g_free(count);
    return TRUE;
}

