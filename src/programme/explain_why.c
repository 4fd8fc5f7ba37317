/* techmatch — why an agent did not get a candidate it preferred, and the
 * sentence on where it ended (explain.h).  Read from the selection's public
 * accessors only: the matching, the market's ranks, the sector limits and
 * their use, the quota and the merit order of the admission. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/explain.h>
#include <techmatch/matching.h>
#include <techmatch/rules.h>

#include "programme/explain_internal.h"
#include "util/alloc.h"

static const char *agent_name(const TmProgramme *p, TmSide side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                  : tm_programme_site(p, id)->name;
}

#define MSG(id) tm_i_msg(e->lang, TM_M_##id)

static const char *unit_words(const TmExplanation *e)
{
    return e->unit == TM_QUOTA_ASSIGNMENTS ? MSG(QUOTA_UNIT_ASSIGNMENTS) : MSG(QUOTA_UNIT_PEOPLE);
}

/* Whether commissioner @c serves a site of @sector. */
static gboolean serves_sector(const TmSelection *sel, int32_t c, int32_t sector)
{
    int32_t n = 0;
    const int32_t *ps = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &n);
    for (int32_t i = 0; i < n; i++)
        if (tm_programme_site(tm_selection_programme(sel), ps[i])->sector == sector)
            return TRUE;
    return FALSE;
}

/* The why of @r when the candidate is full: its partners it ranks at least as
 * high as the agent (pinned ones too) become the holders.  Returns the number
 * of such partners (-1 on allocation failure); *@all tells whether every
 * partner is one. */
static int32_t take_holders(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r,
                            gboolean *all, GError **error)
{
    TmMarket *m = tm_selection_market(sel);
    TmSide b = TM_SIDE_OTHER(e->side);
    int32_t nb = 0;
    const int32_t *held = tm_matching_partners(tm_selection_matching(sel), b, r->cand, &nb);
    r->holders = tm_i_try_alloc(nb, sizeof(int32_t), FALSE, "explanation holders", error);
    r->holder_ranks = r->holders ? tm_i_try_alloc(nb, sizeof(int32_t), FALSE,
                                                  "explanation holders", error)
                                 : NULL;
    if (r->holder_ranks == NULL)
        return -1;
    *all = TRUE;
    r->n_holders = 0;
    for (int32_t i = 0; i < nb; i++) {
        int32_t rk = tm_market_rank(m, b, r->cand, held[i]);
        if (rk >= 0 && rk > r->their_rank) {
            *all = FALSE;
            continue;
        }
        r->holders[r->n_holders] = held[i];
        r->holder_ranks[r->n_holders++] = rk;
    }
    return r->n_holders;
}

static void holders_text(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r)
{
    const TmProgramme *p = tm_selection_programme(sel);
    TmSide b = TM_SIDE_OTHER(e->side);
    GString *t = g_string_new(NULL);
    if (r->n_holders == 0) {
        g_string_printf(t, MSG(WHY_HOLDS_NO_PLACE), agent_name(p, b, r->cand));
        r->why_text = g_string_free(t, FALSE);
        return;
    }
    gboolean tie = FALSE;
    g_string_printf(t, MSG(WHY_HOLDS), agent_name(p, b, r->cand));
    for (int32_t j = 0; j < r->n_holders; j++) {
        if (j > 0)
            g_string_append(t, j + 1 == r->n_holders ? MSG(LIST_AND) : MSG(LIST_SEP));
        g_string_append(t, agent_name(p, e->side, r->holders[j]));
        if (r->holder_ranks[j] < 0)
            g_string_append(t, MSG(WHY_HOLDER_PINNED));
        else
            g_string_append_printf(t, MSG(WHY_HOLDER_RANK), r->holder_ranks[j] + 1);
        tie = tie || r->holder_ranks[j] == r->their_rank;
    }
    g_string_append_printf(t, tie ? MSG(WHY_HOLDS_TIE) : MSG(WHY_HOLDS_PREFERS),
                           agent_name(p, e->side, e->id), r->their_rank + 1);
    if (tie)
        g_string_append(t, MSG(WHY_TIE_BROKEN));
    r->why_text = g_string_free(t, FALSE);
}

/* Whether commissioner @c serves a site of @sector other than @except. */
static gboolean serves_sector_but(const TmSelection *sel, int32_t c, int32_t sector,
                                  int32_t except)
{
    int32_t n = 0;
    const int32_t *ps = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &n);
    for (int32_t i = 0; i < n; i++)
        if (ps[i] != except && tm_programme_site(tm_selection_programme(sel), ps[i])->sector == sector)
            return TRUE;
    return FALSE;
}

/* The pair (@c, a site of @sector) would block but for the sector's cap
 * @cap (-1: none): a step of the admission placing @c, or an applicant before
 * it, broke the cap through the moves it set off, and the sector was closed
 * to @c (selection.h, step 3 (b)).  TRUE with why and text set. */
static gboolean cap_closed(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r,
                           int32_t c, int32_t sector, int32_t cap)
{
    if (cap < 0)
        return FALSE;
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tx = tm_programme_taxonomy(p);
    const char *name = tm_programme_commissioner(p, c)->name;
    r->why = TM_WHY_SECTOR_CAP;
    r->why_text = g_strdup_printf(MSG(WHY_CAP_CLOSED), tm_taxonomy_code(tx, sector),
                                  tm_taxonomy_name_zh(tx, sector), name, cap,
                                  tm_selection_sector_used(sel, sector), name);
    return TRUE;
}

/* Sector cap or quota closing the places: TRUE with why and text set.  The
 * pair (@c, @s) would take a seat of @s (its worst holder out when it is
 * full) and of @c (its worst site dropped when it is full): what the quota
 * and the sector of @s count changes by that. */
static gboolean closed(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r,
                       int32_t c, int32_t s)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmMatching *mt = tm_selection_matching(sel);
    TmMarket *m = tm_selection_market(sel);
    int32_t nc = 0, nsh = 0;
    const int32_t *cs = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &nc);
    const int32_t *sh = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &nsh);
    int32_t w = nc > 0 && nc >= tm_market_capacity(m, TM_SIDE_SUPPLY, c) ? cs[nc - 1] : -1;
    int32_t h = nsh > 0 && nsh >= tm_market_capacity(m, TM_SIDE_DEMAND, s) ? sh[nsh - 1] : -1;
    int32_t sector = tm_programme_site(p, s)->sector;
    const TmTaxonomy *tx = tm_programme_taxonomy(p);
    gboolean people = e->unit == TM_QUOTA_PEOPLE;

    int64_t d_sector, d_quota;
    if (people) {
        d_sector = (serves_sector(sel, c, sector) ? 0 : 1)
                   - (h >= 0 && !serves_sector_but(sel, h, sector, s) ? 1 : 0);
        d_quota = (nc == 0 ? 1 : 0) - (h >= 0 && tm_matching_n_partners(mt, TM_SIDE_SUPPLY, h) == 1);
    } else {
        d_sector = 1 - (h >= 0) - (w >= 0 && tm_programme_site(p, w)->sector == sector);
        d_quota = 1 - (h >= 0) - (w >= 0);
    }
    int32_t cap = -1, floor = 0;
    if (tm_selection_sector_limits(sel, sector, &cap, &floor) && cap >= 0) {
        int64_t used = tm_selection_sector_used(sel, sector);
        if (d_sector > 0 && used + d_sector > cap) {
            r->why = TM_WHY_SECTOR_CAP;
            r->why_text = g_strdup_printf(MSG(WHY_AT_CAP), tm_taxonomy_code(tx, sector),
                                          tm_taxonomy_name_zh(tx, sector), used, cap, unit_words(e));
            return TRUE;
        }
    }
    const char *detail = NULL;
    if (nc == 0 && tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, &detail) == TM_OUTCOME_SECTOR_CAP) {
        /* every step placing c broke a cap, through the moves it set off */
        r->why = TM_WHY_SECTOR_CAP;
        char *d = tm_i_selection_detail(sel, TM_SIDE_SUPPLY, c, e->lang);
        if (h >= 0)
            r->why_text = g_strdup_printf(MSG(WHY_CUT_CAP_DISPLACE),
                                          tm_programme_commissioner(p, c)->name, d ? d : "?",
                                          tm_programme_commissioner(p, h)->name);
        else
            r->why_text = g_strdup_printf(MSG(WHY_CUT_CAP_MOVES),
                                          tm_programme_commissioner(p, c)->name, d ? d : "?");
        g_free(d);
        return TRUE;
    }
    if (e->quota_total < 0)
        return cap_closed(sel, e, r, c, sector, cap);
    int o = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, &detail);
    const char *quota_code = tm_outcome_code(TM_OUTCOME_QUOTA);
    size_t qn = strlen(quota_code);
    if (o == TM_OUTCOME_QUOTA
        || (o == TM_OUTCOME_PARTLY && detail && strncmp(detail, quota_code, qn) == 0
            && detail[qn] == ':')) {
        /* the selection cut c (or its remaining places) by the quota before the
         * merit cutoff: with floors, once the open places are used up */
        r->why = TM_WHY_QUOTA;
        char *d = tm_i_selection_detail(sel, TM_SIDE_SUPPLY, c, e->lang);
        r->why_text = g_strdup_printf(o == TM_OUTCOME_PARTLY ? MSG(WHY_CUT_QUOTA_OTHER)
                                                             : MSG(WHY_CUT_QUOTA),
                                      tm_programme_commissioner(p, c)->name, d ? d : "?");
        g_free(d);
        return TRUE;
    }
    if (d_quota > 0 && e->quota_used + d_quota > e->quota_total) {
        r->why = TM_WHY_QUOTA;
        r->why_text = g_strdup_printf(MSG(WHY_QUOTA_FULL), e->quota_used, e->quota_total,
                                      unit_words(e));
        return TRUE;
    }
    /* floors (selection.h, step 3): once what the quota counts plus the places
     * still reserved reach the quota, only sectors below their floor take
     * anyone */
    int64_t reserved = 0;
    gboolean any_floor = FALSE, below = FALSE;
    GString *whom = g_string_new(NULL);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tx); k++) {
        int32_t kcap, kfloor;
        if (!tm_selection_sector_limits(sel, k, &kcap, &kfloor) || kfloor <= 0)
            continue;
        any_floor = TRUE;
        int64_t short_by = kfloor - tm_selection_sector_used(sel, k);
        if (short_by > 0) {
            reserved += short_by;
            below = below || k == sector;
            g_string_append_printf(whom, "%s%s", whom->len ? MSG(LIST_SEP) : "",
                                   tm_taxonomy_code(tx, k));
        }
    }
    gboolean held = any_floor && !below && e->quota_used + reserved >= e->quota_total;
    if (held) {
        r->why = TM_WHY_QUOTA;
        GString *t = g_string_new(NULL);
        g_string_printf(t, MSG(WHY_FLOORS), e->quota_used, e->quota_total, unit_words(e),
                        reserved);
        if (whom->len)
            g_string_append_printf(t, MSG(WHY_FLOORS_LIST), whom->str);
        r->why_text = g_string_free(t, FALSE);
    }
    g_string_free(whom, TRUE);
    return held || cap_closed(sel, e, r, c, sector, cap);
}

static gboolean explain_row(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r,
                            GError **error)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmMatching *mt = tm_selection_matching(sel);
    TmSide b = TM_SIDE_OTHER(e->side);
    int32_t c = e->side == TM_SIDE_SUPPLY ? e->id : r->cand;
    int32_t s = e->side == TM_SIDE_SUPPLY ? r->cand : e->id;

    int32_t pos = tm_selection_merit_position(sel, c);
    if (e->has_cutoff && e->cutoff_pos >= 0 && pos >= e->cutoff_pos
        && tm_matching_n_partners(mt, TM_SIDE_SUPPLY, c) == 0) {
        const TmCommissioner *info = tm_programme_commissioner(p, c);
        r->why = TM_WHY_MERIT_CUTOFF;
        if (c == e->cutoff)
            r->why_text = g_strdup_printf(
                MSG(WHY_CUTOFF_SELF), info->name, info->merit, pos + 1, e->quota_total, unit_words(e));
        else
            r->why_text = g_strdup_printf(
                MSG(WHY_CUTOFF_AFTER), info->name, info->merit, pos + 1, tm_programme_commissioner(p, e->cutoff)->name,
                e->cutoff_merit, e->cutoff_pos + 1, e->quota_total, unit_words(e));
        return TRUE;
    }
    int32_t nb = tm_matching_n_partners(mt, b, r->cand);
    gboolean full = nb >= tm_market_capacity(tm_selection_market(sel), b, r->cand);
    gboolean all = FALSE;
    int32_t n_pref = 0;
    if (full && (n_pref = take_holders(sel, e, r, &all, error)) < 0)
        return FALSE;
    if (full && all) {
        r->why = TM_WHY_HOLDS_PREFERRED;
        holders_text(sel, e, r);
        return TRUE;
    }
    if (closed(sel, e, r, c, s))
        return TRUE;
    if (full && n_pref > 0) {
        r->why = TM_WHY_HOLDS_PREFERRED;
        holders_text(sel, e, r);
        return TRUE;
    }
    /* places held by the review's pins */
    int32_t nh;
    const int32_t *hs = tm_matching_partners(mt, b, r->cand, &nh);
    for (int32_t j = 0; full && j < nh; j++) {
        int32_t hc = b == TM_SIDE_SUPPLY ? r->cand : hs[j], hsite = b == TM_SIDE_SUPPLY ? hs[j] : r->cand;
        if (tm_selection_pair_review(sel, hc, hsite) == TM_DECISION_PIN) {
            r->n_holders = 0;
            r->why = TM_WHY_PINNED;
            r->why_text = g_strdup_printf(MSG(WHY_PINNED),
                                          agent_name(p, b, r->cand),
                                          tm_programme_commissioner(p, hc)->name,
                                          tm_programme_site(p, hsite)->name);
            return TRUE;
        }
    }
    /* the agent's own places, pinned by the review (a pinned commissioner is
     * not in the admission for those places) */
    TmSide a = e->side;
    int32_t na;
    const int32_t *as = tm_matching_partners(mt, a, e->id, &na);
    gboolean a_full = na >= tm_market_capacity(tm_selection_market(sel), a, e->id)
                      || (a == TM_SIDE_SUPPLY
                          && na >= tm_programme_commissioner(p, e->id)->capacity);
    for (int32_t j = 0; a_full && j < na; j++) {
        int32_t pc = a == TM_SIDE_SUPPLY ? e->id : as[j], ps = a == TM_SIDE_SUPPLY ? as[j] : e->id;
        if (tm_selection_pair_review(sel, pc, ps) == TM_DECISION_PIN) {
            r->n_holders = 0;
            r->why = TM_WHY_PINNED;
            r->why_text = g_strdup_printf(MSG(WHY_PINNED),
                                          agent_name(p, a, e->id),
                                          tm_programme_commissioner(p, pc)->name,
                                          tm_programme_site(p, ps)->name);
            return TRUE;
        }
    }
    r->n_holders = 0;
    r->why = TM_WHY_UNEXPLAINED;
    r->why_text = g_strdup_printf(MSG(WHY_UNEXPLAINED),
                                  agent_name(p, b, r->cand), agent_name(p, e->side, e->id));
    return TRUE;
}

gboolean tm_i_explain_why(const TmSelection *sel, TmExplanation *e, GError **error)
{
    TmMarket *m = tm_selection_market(sel);
    int32_t cap = tm_market_capacity(m, e->side, e->id);
    if (cap == 0)
        return TRUE; /* it takes nobody: its outcome says why */
    gboolean room = e->n_partners < cap;
    int32_t worst = e->n_partners > 0
                        ? tm_market_rank(m, e->side, e->id, e->partners[e->n_partners - 1])
                        : -1;
    for (int32_t i = 0; i < e->n_rows; i++) {
        TmExplainRow *r = &e->rows[i];
        r->why = TM_WHY_NONE;
        if (r->status != TM_EXPLAIN_LISTED || r->partner)
            continue;
        if (!room && worst >= 0 && r->rank >= worst)
            continue;
        if (!explain_row(sel, e, r, error))
            return FALSE;
    }
    return TRUE;
}

/* ---- the outcome sentence ----------------------------------------------- */

static void partners_text(const TmSelection *sel, const TmExplanation *e, GString *t)
{
    const TmProgramme *p = tm_selection_programme(sel);
    TmMarket *m = tm_selection_market(sel);
    TmSide b = TM_SIDE_OTHER(e->side);
    for (int32_t j = 0; j < e->n_partners; j++) {
        int32_t q = e->partners[j];
        int32_t mine = tm_market_rank(m, e->side, e->id, q);
        int32_t theirs = tm_market_rank(m, b, q, e->id);
        if (j > 0)
            g_string_append(t, j + 1 == e->n_partners ? MSG(LIST_AND) : MSG(LIST_SEP));
        g_string_append(t, agent_name(p, b, q));
        if (mine < 0)
            g_string_append(t, MSG(WHY_HOLDER_PINNED));
        else
            g_string_append_printf(t, MSG(OUT_PARTNER_RANKS), mine + 1, theirs + 1);
    }
}

gboolean tm_i_explain_outcome_text(const TmSelection *sel, TmExplanation *e, GError **error)
{
    (void)error;
    const TmProgramme *p = tm_selection_programme(sel);
    const char *name = agent_name(p, e->side, e->id);
    const char *d = e->detail;
    GString *t = g_string_new(NULL);
    switch (e->outcome) {
    case TM_OUTCOME_MATCHED:
    case TM_OUTCOME_PARTLY:
        g_string_printf(t, MSG(OUT_PLACED), name);
        partners_text(sel, e, t);
        if (e->outcome == TM_OUTCOME_PARTLY)
            g_string_append_printf(t, MSG(OUT_PLACES_LEFT), d ? d : "");
        break;
    case TM_OUTCOME_INELIGIBLE: {
        const char *code = tm_screening_reason(tm_selection_screening(sel), e->side, e->id);
        if (code == NULL)
            code = d;
        char *f = code ? tm_rules_agent_fault_lang(p, tm_selection_rules(sel), e->side, e->id,
                                                   code, e->lang)
                       : NULL;
        g_string_printf(t, MSG(OUT_INELIGIBLE), name, code ? code : "?",
                        f ? f : code ? tm_i_rule_summary(tm_rule_find(code), e->lang) : "");
        g_free(f);
        break;
    }
    case TM_OUTCOME_NO_CAPACITY:
        g_string_printf(t, MSG(OUT_NO_CAPACITY), name);
        break;
    case TM_OUTCOME_NO_PARTNER:
        g_string_printf(t, MSG(OUT_NO_PARTNER), name, d ? d : "");
        break;
    case TM_OUTCOME_OUTRANKED:
        g_string_printf(t, MSG(OUT_OUTRANKED), name, d ? d : "");
        break;
    case TM_OUTCOME_QUOTA:
        if (e->merit_pos >= 0 && e->has_cutoff && e->id == e->cutoff)
            g_string_printf(t, MSG(OUT_QUOTA_SELF), name, tm_programme_commissioner(p, e->id)->merit,
                            e->merit_pos + 1, e->quota_total, unit_words(e));
        else if (e->merit_pos >= 0 && e->has_cutoff)
            g_string_printf(t, MSG(OUT_QUOTA_AFTER), name, tm_programme_commissioner(p, e->id)->merit,
                            e->merit_pos + 1, e->quota_total, unit_words(e),
                            tm_programme_commissioner(p, e->cutoff)->name, e->cutoff_merit,
                            e->cutoff_pos + 1);
        else
            g_string_printf(t, MSG(WHY_CUT_QUOTA), name, d ? d : "");
        break;
    case TM_OUTCOME_SECTOR_CAP:
        g_string_printf(t, MSG(OUT_SECTOR_CAP), name, d ? d : "");
        break;
    case TM_OUTCOME_REVIEW:
        if (d != NULL) /* the selection's detail says it all: "excluded by ... : note" */
            g_string_printf(t, MSG(REASON_LABEL_DETAIL), name, d);
        else
            g_string_printf(t, MSG(OUT_REVIEW), name);
        break;
    default:
        g_string_printf(t, "%s: %s%s%s", name, tm_outcome_code((TmOutcome)e->outcome)
                                                   ? tm_outcome_code((TmOutcome)e->outcome)
                                                   : "?",
                        d ? " — " : "", d ? d : "");
        break;
    }
    e->text = g_string_free(t, FALSE);
    return TRUE;
}
