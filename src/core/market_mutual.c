/* techmatch — markets from lists already known to be mutual (mutual.h). */
#include "core/internal.h"
#include "core/mutual.h"

static const char *side_label(int s)
{
    return s == TM_SIDE_SUPPLY ? "supply" : "demand";
}

/* Checks one side against the other: offsets, ranges, capacities, and that
 * every entry's partner entry names it back at its own position. */
static gboolean verify_side(int s, const TmSideData *A, const TmSideData *B, GError **error)
{
    if (A->off[0] != 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "mutual lists: %s offsets must start at 0", side_label(s));
        return FALSE;
    }
    for (int32_t a = 0; a < A->n; a++) {
        if (A->off[a + 1] < A->off[a] || A->cap[a] < 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "mutual lists: %s agent %" G_GINT32_FORMAT
                        ": decreasing offsets or negative capacity", side_label(s), a);
            return FALSE;
        }
    }
    if (A->off[A->n] != B->off[B->n]) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "mutual lists: %" G_GINT32_FORMAT " supply entries but %" G_GINT32_FORMAT
                    " demand entries", s == 0 ? A->off[A->n] : B->off[B->n],
                    s == 0 ? B->off[B->n] : A->off[A->n]);
        return FALSE;
    }
    for (int32_t a = 0; a < A->n; a++) {
        for (int32_t e = A->off[a]; e < A->off[a + 1]; e++) {
            int32_t b = A->ids[e], j = A->rpos[e];
            gboolean ok = b >= 0 && b < B->n && j >= 0 && j < B->off[b + 1] - B->off[b];
            if (ok) {
                int32_t f = B->off[b] + j;
                ok = B->ids[f] == a && B->rpos[f] == e - A->off[a];
            }
            if (!ok) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "mutual lists: %s agent %" G_GINT32_FORMAT ": entry %" G_GINT32_FORMAT
                            " (partner %" G_GINT32_FORMAT ", position %" G_GINT32_FORMAT
                            ") has no matching entry on the other side", side_label(s), a,
                            e - A->off[a], b, j);
                return FALSE;
            }
        }
    }
    return TRUE;
}

static int32_t *ones(int32_t n, GError **error)
{
    int32_t *c = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "capacities", error);
    for (int32_t a = 0; c && a < n; a++)
        c[a] = 1;
    return c;
}

TmMarket *tm_i_market_new_mutual(int32_t n_supply, int32_t n_demand, int32_t *supply_cap,
                                 int32_t *demand_cap, int32_t *supply_off, int32_t *supply_ids,
                                 int32_t *supply_rpos, int32_t *demand_off, int32_t *demand_ids,
                                 int32_t *demand_rpos, gboolean verify, GError **error)
{
    TmMarket *m = g_new0(TmMarket, 1);
    m->refcount = 1;
    TmSideData *S = &m->side[TM_SIDE_SUPPLY], *D = &m->side[TM_SIDE_DEMAND];
    S->n = n_supply;
    D->n = n_demand;
    S->cap = supply_cap;
    S->off = supply_off;
    S->ids = supply_ids;
    S->rpos = supply_rpos;
    D->cap = demand_cap;
    D->off = demand_off;
    D->ids = demand_ids;
    D->rpos = demand_rpos;
    if (n_supply < 0 || n_demand < 0 || !supply_off || !demand_off ||
        (supply_off[n_supply] > 0 && (!supply_ids || !supply_rpos)) ||
        (demand_off[n_demand] > 0 && (!demand_ids || !demand_rpos))) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "mutual lists: negative size or missing array");
        goto fail;
    }
    if ((!S->cap && !(S->cap = ones(n_supply, error))) ||
        (!D->cap && !(D->cap = ones(n_demand, error))))
        goto fail;
    if (verify && (!verify_side(TM_SIDE_SUPPLY, S, D, error) ||
                   !verify_side(TM_SIDE_DEMAND, D, S, error)))
        goto fail;
    m->n_pairs = supply_off[n_supply];
    return m;
fail:
    tm_i_side_data_clear(S);
    tm_i_side_data_clear(D);
    g_free(m);
    return NULL;
}
