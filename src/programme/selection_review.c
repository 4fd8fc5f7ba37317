/* techmatch — applying the leading group's review (review.h) in a selection:
 * names resolved, contradictions refused, admissions written into the
 * screening, exclusions and vetoes taken out of the preference market, pins
 * handed to the admission (selection_admission.c). */
#include <string.h>

#include <glib.h>

#include <techmatch/review.h>

#include "programme/rules_internal.h"
#include "programme/selection_internal.h"

void tm_i_review_plan_clear(TmReviewPlan *plan)
{
    g_free(plan->pin_c);
    g_free(plan->pin_s);
    g_free(plan->pin_decision);
    for (int side = 0; side < 2; side++) {
        g_free(plan->excluded[side]);
        g_free(plan->admitted[side]);
    }
    if (plan->veto)
        g_hash_table_unref(plan->veto);
    if (plan->pinned)
        g_hash_table_unref(plan->pinned);
    memset(plan, 0, sizeof *plan);
}

static gpointer pair_key(int32_t c, int32_t s)
{
    return GSIZE_TO_POINTER(((gsize)(uint32_t)c << 32) | (uint32_t)s);
}

gboolean tm_i_review_plan_is_pinned(const TmReviewPlan *plan, int32_t c, int32_t s)
{
    return plan->pinned && g_hash_table_contains(plan->pinned, pair_key(c, s));
}

gboolean tm_i_review_plan_is_vetoed(const TmReviewPlan *plan, int32_t c, int32_t s)
{
    return plan->veto && g_hash_table_contains(plan->veto, pair_key(c, s));
}

/* "review.csv:4: " or "decision 3: " */
static char *where(const TmReview *r, int32_t i)
{
    const char *source = NULL;
    tm_review_decision(r, i, NULL, NULL, NULL, &source);
    return source ? g_strdup_printf("%s: ", source)
                  : g_strdup_printf("review decision %" G_GINT32_FORMAT ": ", i + 1);
}

static gboolean fail(GError **error, int code, const TmReview *r, int32_t i, const char *fmt,
                     const char *a, const char *b)
{
    char *at = where(r, i);
    char *msg = g_strdup_printf(fmt, a ? a : "", b ? b : "");
    g_set_error(error, TM_ERROR, code, "%s%s", at, msg);
    g_free(msg);
    g_free(at);
    return FALSE;
}

static gboolean resolve(const TmSelection *sel, const TmReview *r, int32_t i, const char *cn,
                        const char *sn, int32_t *c, int32_t *s, GError **error)
{
    *c = cn ? tm_programme_find_commissioner(sel->prog, cn) : -1;
    *s = sn ? tm_programme_find_site(sel->prog, sn) : -1;
    if (cn && (*c < 0 || *c >= sel->n[TM_SIDE_SUPPLY]))
        return fail(error, TM_ERROR_UNKNOWN_NAME, r, i,
                    "the review names commissioner '%s', who is not in the application form%s",
                    cn, NULL);
    if (sn && (*s < 0 || *s >= sel->n[TM_SIDE_DEMAND]))
        return fail(error, TM_ERROR_UNKNOWN_NAME, r, i,
                    "the review names site '%s', which is not in the demand form%s", sn, NULL);
    return TRUE;
}

gboolean tm_i_review_plan_build(TmSelection *sel, const TmReview *r, GError **error)
{
    TmReviewPlan *plan = &sel->plan;
    int32_t nd = tm_review_n_decisions(r);
    if (nd == 0)
        return TRUE;
    for (int side = 0; side < 2; side++)
        if (!(plan->excluded[side] = tm_i_try_alloc(sel->n[side], 1, TRUE, "review", error))
            || !(plan->admitted[side] = tm_i_try_alloc(sel->n[side], 1, TRUE, "review", error)))
            return FALSE;
    if (!(plan->pin_c = tm_i_try_alloc(nd, sizeof(int32_t), FALSE, "review pins", error))
        || !(plan->pin_s = tm_i_try_alloc(nd, sizeof(int32_t), FALSE, "review pins", error))
        || !(plan->pin_decision = tm_i_try_alloc(nd, sizeof(int32_t), FALSE, "review pins",
                                                 error)))
        return FALSE;
    plan->veto = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *pinned = plan->pinned = g_hash_table_new(g_direct_hash, g_direct_equal);
    gboolean ok = TRUE;
    for (int32_t i = 0; ok && i < nd; i++) {
        const char *cn, *sn;
        int kind = tm_review_decision(r, i, &cn, &sn, NULL, NULL);
        int32_t c, s;
        if (!(ok = resolve(sel, r, i, cn, sn, &c, &s, error)))
            break;
        switch (kind) {
        case TM_DECISION_PIN:
            if (g_hash_table_contains(pinned, pair_key(c, s)))
                ok = fail(error, TM_ERROR_INVALID_ARGUMENT, r, i,
                          "the pair %s – %s is pinned twice", cn, sn);
            g_hash_table_add(pinned, pair_key(c, s));
            plan->pin_c[plan->n_pins] = c;
            plan->pin_s[plan->n_pins] = s;
            plan->pin_decision[plan->n_pins++] = i;
            break;
        case TM_DECISION_VETO:
            g_hash_table_add(plan->veto, pair_key(c, s));
            break;
        default: {
            int side = c >= 0 ? TM_SIDE_SUPPLY : TM_SIDE_DEMAND;
            int32_t id = c >= 0 ? c : s;
            uint8_t *mine = kind == TM_DECISION_EXCLUDE ? plan->excluded[side] : plan->admitted[side];
            uint8_t *other = kind == TM_DECISION_EXCLUDE ? plan->admitted[side] : plan->excluded[side];
            if (other[id])
                ok = fail(error, TM_ERROR_INVALID_ARGUMENT, r, i, "%s is both excluded and admitted%s",
                          c >= 0 ? cn : sn, NULL);
            mine[id] = 1;
            break;
        }
        }
    }
    /* contradictions and capacities */
    for (int32_t i = 0; ok && i < plan->n_pins; i++) {
        int32_t c = plan->pin_c[i], s = plan->pin_s[i], d = plan->pin_decision[i];
        const char *cn = tm_programme_commissioner(sel->prog, c)->name;
        const char *sn = tm_programme_site(sel->prog, s)->name;
        if (g_hash_table_contains(plan->veto, pair_key(c, s)))
            ok = fail(error, TM_ERROR_INVALID_ARGUMENT, r, d,
                      "the pair %s – %s is both pinned and vetoed", cn, sn);
        else if (plan->excluded[TM_SIDE_SUPPLY][c] || plan->excluded[TM_SIDE_DEMAND][s])
            ok = fail(error, TM_ERROR_INVALID_ARGUMENT, r, d,
                      "the pair %s – %s is pinned but one of them is excluded", cn, sn);
    }
    if (ok) {
        /* pins within the capacities (counted per agent) */
        GHashTable *count[2] = {g_hash_table_new(g_direct_hash, g_direct_equal),
                                g_hash_table_new(g_direct_hash, g_direct_equal)};
        for (int32_t i = 0; ok && i < plan->n_pins; i++) {
            for (int side = 0; ok && side < 2; side++) {
                int32_t id = side == TM_SIDE_SUPPLY ? plan->pin_c[i] : plan->pin_s[i];
                int n = GPOINTER_TO_INT(g_hash_table_lookup(count[side], GINT_TO_POINTER(id))) + 1;
                g_hash_table_insert(count[side], GINT_TO_POINTER(id), GINT_TO_POINTER(n));
                int32_t cap = side == TM_SIDE_SUPPLY
                                  ? tm_programme_commissioner(sel->prog, id)->capacity
                                  : tm_programme_site(sel->prog, id)->capacity;
                if (n > cap)
                    ok = fail(error, TM_ERROR_INVALID_ARGUMENT, r, plan->pin_decision[i],
                              "%s has more pinned pairs than its capacity%s",
                              side == TM_SIDE_SUPPLY
                                  ? tm_programme_commissioner(sel->prog, id)->name
                                  : tm_programme_site(sel->prog, id)->name,
                              NULL);
            }
        }
        g_hash_table_unref(count[0]);
        g_hash_table_unref(count[1]);
    }
    return ok;
}

void tm_i_review_plan_screen(TmSelection *sel)
{
    TmScreening *scr = sel->screening;
    for (int side = 0; sel->plan.admitted[0] && side < 2; side++)
        for (int32_t id = 0; id < sel->n[side]; id++)
            if (sel->plan.admitted[side][id] && scr->first[side][id] >= 0) {
                scr->first[side][id] = -1;
                scr->n_eligible[side]++;
            }
}

gboolean tm_i_review_plan_is_excluded(const TmReviewPlan *plan, TmSide side, int32_t id)
{
    return plan->excluded[side] && plan->excluded[side][id];
}

/* The market without excluded agents (capacity 0, no lists) and vetoed pairs. */
gboolean tm_i_review_plan_market(TmSelection *sel, GError **error)
{
    const TmReviewPlan *plan = &sel->plan;
    if (plan->excluded[0] == NULL)
        return TRUE;
    TmMarket *m = sel->market;
    int32_t n[2] = {tm_market_size(m, TM_SIDE_SUPPLY), tm_market_size(m, TM_SIDE_DEMAND)};
    int64_t L = tm_market_n_pairs(m);
    int32_t *off[2] = {NULL, NULL}, *ids[2] = {NULL, NULL}, *rk[2] = {NULL, NULL};
    int32_t *cap[2] = {NULL, NULL};
    gboolean ok = TRUE;
    for (int side = 0; ok && side < 2; side++)
        ok = (off[side] = tm_i_try_alloc((int64_t)n[side] + 1, sizeof(int32_t), FALSE, "review",
                                         error))
             && (ids[side] = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "review", error))
             && (rk[side] = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "review", error))
             && (cap[side] = tm_i_try_alloc(n[side], sizeof(int32_t), FALSE, "review", error))
             && tm_market_get_lists(m, side, off[side], (int64_t)n[side] + 1, ids[side], rk[side],
                                    NULL, L, error)
             && tm_market_get_capacities(m, side, cap[side], n[side], error);
    for (int side = 0; ok && side < 2; side++) {
        int64_t w = 0;
        for (int32_t a = 0; a < n[side]; a++) {
            int32_t from = off[side][a], to = off[side][a + 1];
            off[side][a] = (int32_t)w;
            if (plan->excluded[side][a]) {
                cap[side][a] = 0;
                continue;
            }
            for (int32_t e = from; e < to; e++) {
                int32_t b = ids[side][e];
                int32_t c = side == TM_SIDE_SUPPLY ? a : b, s = side == TM_SIDE_SUPPLY ? b : a;
                if (plan->excluded[TM_SIDE_OTHER(side)][b] || tm_i_review_plan_is_vetoed(plan, c, s))
                    continue;
                ids[side][w] = b;
                rk[side][w++] = rk[side][e];
            }
        }
        off[side][n[side]] = (int32_t)w;
    }
    TmMarket *fresh = ok ? tm_market_new_from_ranked_arrays(
                               n[0], n[1], cap[0], cap[1], off[0], ids[0], rk[0], off[0][n[0]],
                               off[1], ids[1], rk[1], off[1][n[1]], error)
                         : NULL;
    for (int side = 0; side < 2; side++) {
        g_free(off[side]);
        g_free(ids[side]);
        g_free(rk[side]);
        g_free(cap[side]);
    }
    if (fresh == NULL)
        return FALSE;
    tm_market_free(sel->market);
    sel->market = fresh;
    return TRUE;
}
