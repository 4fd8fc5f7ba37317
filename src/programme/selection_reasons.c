/* techmatch — the outcome of every agent of a selection and the reason for
 * every unmatched one: excluded by the review, ineligible, no acceptable
 * partner, outranked (at which site, by whom), or cut by the quota (the merit
 * cutoff) or a sector cap. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/groups.h>
#include <techmatch/matching.h>
#include <techmatch/rules.h>

#include "programme/selection_internal.h"
#include "util/messages.h"

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

static const char *sector_code(const TmSelection *sel, int32_t k)
{
    return tm_taxonomy_code(tm_programme_taxonomy(sel->prog), k);
}

static char *review_detail(const TmSelection *sel, TmSide side, int32_t id)
{
    const char *name = side == TM_SIDE_SUPPLY ? cname(sel, id) : sname(sel, id);
    for (int32_t i = 0; i < tm_review_n_decisions(sel->review); i++) {
        const char *c, *s, *note, *src;
        if (tm_review_decision(sel->review, i, &c, &s, &note, &src) != TM_DECISION_EXCLUDE)
            continue;
        const char *who = side == TM_SIDE_SUPPLY ? c : s;
        if (who && strcmp(who, name) == 0)
            return g_strdup_printf("excluded by the leading group's review%s%s%s%s%s",
                                   src ? " (" : "", src ? src : "", src ? ")" : "",
                                   note ? ": " : "", note ? note : "");
    }
    return g_strdup("excluded by the leading group's review");
}

static char *quota_detail(const TmSelection *sel)
{
    double merit = NAN;
    int32_t at = -1;
    tm_selection_merit_cutoff(sel, &at, &merit);
    const char *unit = sel->unit == TM_QUOTA_PEOPLE ? "commissioners or teams" : "assignments";
    if (at < 0)
        return g_strdup_printf("the quota of %" G_GINT32_FORMAT " %s is full", sel->quota_total,
                               unit);
    return g_strdup_printf("the quota of %" G_GINT32_FORMAT " %s was full when the admission in "
                           "merit order reached %s (merit %.1f, the cutoff)",
                           sel->quota_total, unit, cname(sel, at), merit);
}

static char *cap_detail(const TmSelection *sel, int32_t k)
{
    return g_strdup_printf("%s cap %" G_GINT32_FORMAT, sector_code(sel, k), sel->sector_cap[k]);
}

static gboolean holds(const TmMatching *mt, TmSide side, int32_t id, int32_t other)
{
    int32_t n;
    const int32_t *ps = tm_matching_partners(mt, side, id, &n);
    for (int32_t j = 0; j < n; j++)
        if (ps[j] == other)
            return TRUE;
    return FALSE;
}

/* Why admitted commissioner c could not propose to sector k: its cap was
 * reached, or the open places were gone (the quota). */
static TmOutcome closed_why(const TmSelection *sel, int32_t k, char **detail)
{
    if (sel->adm.closed ? sel->adm.closed[k] != 0
                        : sel->sector_cap[k] >= 0
                              && tm_selection_sector_used(sel, k) >= sel->sector_cap[k]) {
        *detail = cap_detail(sel, k);
        return TM_OUTCOME_SECTOR_CAP;
    }
    if (sel->adm.status != NULL && sel->quota_total >= 0) {
        *detail = g_strdup_printf("the open places were used up before his turn; only the "
                                  "reserved places of sectors below their floor remained, and "
                                  "he accepts none that is free");
        return TM_OUTCOME_QUOTA;
    }
    *detail = quota_detail(sel);
    return TM_OUTCOME_QUOTA;
}

static gboolean allowed(const TmSelection *sel, int32_t c, int32_t k)
{
    return sel->adm.status == NULL || tm_i_admission_allowed(&sel->adm, c, k);
}

static TmOutcome commissioner_why(const TmSelection *sel, int32_t c, char **detail)
{
    const TmMatching *mt = sel->matching;
    if (sel->adm.status != NULL && sel->adm.status[c] == TM_ADM_CUT_QUOTA) {
        *detail = quota_detail(sel);
        return TM_OUTCOME_QUOTA;
    }
    if (sel->adm.status != NULL && sel->adm.status[c] == TM_ADM_CUT_CAP) {
        *detail = cap_detail(sel, sel->adm.cut_sector[c]);
        return TM_OUTCOME_SECTOR_CAP;
    }
    int32_t site = -1, by = -1;
    if (tm_selection_outranked_at(sel, c, &site, &by)) {
        *detail = g_strdup_printf("%s took the place at %s", cname(sel, by), sname(sel, site));
        return TM_OUTCOME_OUTRANKED;
    }
    /* no admission run, or nothing it was allowed: the sites it lists */
    int32_t len, empty = -1;
    const int32_t *list = tm_market_prefs(sel->market, TM_SIDE_SUPPLY, c, &len);
    for (int32_t i = 0; i < len; i++) {
        int32_t s = list[i], k = tm_programme_site(sel->prog, s)->sector;
        if (holds(mt, TM_SIDE_SUPPLY, c, s))
            continue;
        if (!allowed(sel, c, k))
            return closed_why(sel, k, detail);
        int32_t n;
        const int32_t *holders = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &n);
        if (n > 0) {
            *detail = g_strdup_printf("%s took the place at %s", cname(sel, holders[n - 1]),
                                      sname(sel, s));
            return TM_OUTCOME_OUTRANKED;
        }
        if (empty < 0)
            empty = s;
    }
    *detail = empty >= 0 ? g_strdup_printf("%s has no place", sname(sel, empty)) : NULL;
    return TM_OUTCOME_OUTRANKED;
}

/* A site with free seats: the first commissioner of its list who would come,
 * and why he did not. */
static TmOutcome site_why(const TmSelection *sel, int32_t s, char **detail)
{
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    int32_t len, k = tm_programme_site(sel->prog, s)->sector;
    const int32_t *list = tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
    for (int32_t i = 0; i < len; i++) {
        int32_t c = list[i], n;
        if (holds(mt, TM_SIDE_SUPPLY, c, s) || tm_market_capacity(m, TM_SIDE_SUPPLY, c) == 0)
            continue;
        const int32_t *theirs = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n);
        gboolean would = n < tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        if (!would) {
            int32_t mine = tm_market_rank(m, TM_SIDE_SUPPLY, c, s);
            int32_t worst = tm_market_rank(m, TM_SIDE_SUPPLY, c, theirs[n - 1]);
            would = mine >= 0 && (worst < 0 || mine < worst);
        }
        if (!would)
            continue;
        TmOutcome o;
        char *d = NULL;
        int st = sel->adm.status ? sel->adm.status[c] : TM_ADM_ADMITTED;
        if (st == TM_ADM_NONE)
            continue; /* not in the admission (its places are all pinned, or no list) */
        if (st != TM_ADM_ADMITTED)
            o = commissioner_why(sel, c, &d);
        else if (!allowed(sel, c, k))
            o = closed_why(sel, k, &d);
        else
            continue; /* it proposed here and was refused: not a free seat for it */
        *detail = g_strdup_printf("%s (e.g. %s would come)", d ? d : "", cname(sel, c));
        g_free(d);
        return o;
    }
    /* name the site's favourite that went elsewhere */
    for (int32_t i = 0; i < len; i++) {
        int32_t n;
        const int32_t *t = tm_matching_partners(mt, TM_SIDE_SUPPLY, list[i], &n);
        if (n > 0 && !holds(mt, TM_SIDE_SUPPLY, list[i], s)) {
            *detail = g_strdup_printf("its %" G_GINT32_FORMAT " acceptable commissioners prefer "
                                      "their assignments (e.g. %s went to %s)",
                                      len, cname(sel, list[i]), sname(sel, t[0]));
            return TM_OUTCOME_OUTRANKED;
        }
    }
    *detail = g_strdup_printf("its %" G_GINT32_FORMAT " acceptable commissioners are not available",
                              len);
    return TM_OUTCOME_OUTRANKED;
}

static void finish(TmSelection *sel, TmSide side, int32_t id, int32_t held, TmOutcome o,
                   char *detail)
{
    if (held > 0) {
        char *d = g_strdup_printf("%s: %s", tm_outcome_code(o), detail ? detail : "");
        g_free(detail);
        set_outcome(sel, side, id, TM_OUTCOME_PARTLY, d);
    } else {
        set_outcome(sel, side, id, o, detail);
    }
}

gboolean tm_i_selection_explain(TmSelection *sel, GError **error)
{
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    for (int side = 0; side < 2; side++)
        if (!(sel->outcome[side] = tm_i_try_alloc(sel->n[side], sizeof(int), TRUE,
                                                  "selection outcomes", error))
            || !(sel->detail[side] = tm_i_try_alloc(sel->n[side], sizeof(char *), TRUE,
                                                    "selection details", error)))
            return FALSE;
    for (int side = 0; side < 2; side++) {
        for (int32_t id = 0; id < sel->n[side]; id++) {
            int32_t held = tm_matching_n_partners(mt, side, id);
            int32_t cap = side == TM_SIDE_SUPPLY ? tm_programme_commissioner(sel->prog, id)->capacity
                                                 : tm_programme_site(sel->prog, id)->capacity;
            int32_t len;
            tm_market_prefs(m, side, id, &len);
            if (side == TM_SIDE_SUPPLY && held > 0)
                sel->n_selected++;
            gboolean eligible = tm_screening_is_eligible(sel->screening, side, id);
            if (tm_i_review_plan_is_excluded(&sel->plan, side, id)) {
                set_outcome(sel, side, id, TM_OUTCOME_REVIEW, review_detail(sel, side, id));
            } else if (!eligible && held == 0) {
                set_outcome(sel, side, id, TM_OUTCOME_INELIGIBLE,
                            g_strdup(tm_screening_reason(sel->screening, side, id)));
            } else if (cap == 0) {
                set_outcome(sel, side, id, TM_OUTCOME_NO_CAPACITY, NULL);
            } else if (held >= cap) {
                set_outcome(sel, side, id, TM_OUTCOME_MATCHED, NULL);
            } else if (!eligible) { /* pinned by the review, ineligible otherwise */
                finish(sel, side, id, held, TM_OUTCOME_INELIGIBLE,
                       g_strdup(tm_screening_reason(sel->screening, side, id)));
            } else if (len == 0) {
                finish(sel, side, id, held, TM_OUTCOME_NO_PARTNER,
                       no_partner_detail(sel, side, id));
            } else {
                char *d = NULL;
                TmOutcome o = side == TM_SIDE_SUPPLY ? commissioner_why(sel, id, &d)
                                                     : site_why(sel, id, &d);
                finish(sel, side, id, held, o, d);
            }
        }
    }
    return TRUE;
}

char *tm_selection_reason(const TmSelection *sel, TmSide side, int32_t id, TmLang lang)
{
    const char *detail;
    int o = tm_selection_outcome(sel, side, id, &detail);
    if (o < 0)
        return NULL;
    lang = tm_i_lang_pick(lang, tm_programme_language(sel->prog));
    const char *label = tm_outcome_label((TmOutcome)o, lang);
    if (o == TM_OUTCOME_INELIGIBLE && detail) {
        /* the value at fault (职称: 助教 — needs ...), else the rule's summary */
        char *fault = tm_rules_agent_fault(sel->prog, sel->rules, side, id, detail);
        int32_t r = tm_rule_find(detail);
        const char *summary = r < 0 ? "" : lang == TM_LANG_ZH ? tm_rule_summary_zh(r)
                                                              : tm_rule_summary(r);
        char *out = g_strdup_printf(tm_i_msg(lang, TM_M_REASON_INELIGIBLE_BY_RULE), detail,
                                    fault ? fault : summary);
        g_free(fault);
        return out;
    }
    if (detail)
        return g_strdup_printf(tm_i_msg(lang, TM_M_REASON_LABEL_DETAIL), label, detail);
    return g_strdup(label);
}
