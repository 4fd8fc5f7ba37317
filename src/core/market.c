/* techmatch — the market object: references, accessors, bulk copies. */
#include "core/market_private.h"

#include <string.h>

void tm_i_side_data_clear(TmSideData *sd)
{
    g_free(sd->cap);
    g_free(sd->off);
    g_free(sd->ids);
    g_free(sd->rpos);
    g_free(sd->rank);
    g_free(sd->rrank);
    memset(sd, 0, sizeof *sd);
}

/* Validates one side's raw arrays.  @stamp has n_other entries, all -1.
 * When @count is not NULL (n_other + 1 zeros), count[b + 1] receives the
 * number of entries that name b. */
TmMarket *tm_market_ref(TmMarket *market)
{
    if (market)
        g_atomic_int_inc(&market->refcount);
    return market;
}

void tm_market_free(TmMarket *market)
{
    if (market == NULL)
        return;
    if (!g_atomic_int_dec_and_test(&market->refcount))
        return;
    tm_i_side_data_clear(&market->side[0]);
    tm_i_side_data_clear(&market->side[1]);
    g_free(market);
}

int32_t tm_market_size(const TmMarket *market, TmSide side)
{
    if (market == NULL || !tm_i_side_ok(side))
        return 0;
    return market->side[side].n;
}

int32_t tm_market_capacity(const TmMarket *market, TmSide side, int32_t agent)
{
    if (market == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= market->side[side].n)
        return -1;
    return market->side[side].cap[agent];
}

int64_t tm_market_n_pairs(const TmMarket *market)
{
    return market ? market->n_pairs : 0;
}

int64_t tm_market_n_dropped(const TmMarket *market, TmSide side)
{
    if (market == NULL || !tm_i_side_ok(side))
        return 0;
    return market->side[side].dropped;
}

int64_t tm_market_bytes(const TmMarket *market)
{
    if (market == NULL)
        return 0;
    int64_t bytes = (int64_t)sizeof *market;
    for (int s = 0; s < 2; s++) {
        const TmSideData *sd = &market->side[s];
        int64_t per_entry = (int64_t)4 * (2 + (sd->rank != NULL) + (sd->rrank != NULL));
        bytes += 4 * ((int64_t)sd->n + 1) + 4 * (int64_t)sd->n + per_entry * market->n_pairs;
    }
    return bytes;
}

const int32_t *tm_market_prefs(const TmMarket *market, TmSide side, int32_t agent,
                               int32_t *len)
{
    if (len)
        *len = 0;
    if (market == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= market->side[side].n)
        return NULL;
    const TmSideData *sd = &market->side[side];
    if (len)
        *len = sd->off[agent + 1] - sd->off[agent];
    return sd->ids + sd->off[agent];
}

gboolean tm_market_has_ties(const TmMarket *market)
{
    return market != NULL && tm_i_market_has_ties(market);
}

int32_t tm_market_position(const TmMarket *market, TmSide side, int32_t agent,
                           int32_t partner)
{
    if (market == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= market->side[side].n)
        return -1;
    const TmSideData *sd = &market->side[side];
    for (int32_t e = sd->off[agent]; e < sd->off[agent + 1]; e++)
        if (sd->ids[e] == partner)
            return e - sd->off[agent];
    return -1;
}

int32_t tm_market_rank(const TmMarket *market, TmSide side, int32_t agent, int32_t partner)
{
    int32_t pos = tm_market_position(market, side, agent, partner);
    if (pos < 0)
        return -1;
    const TmSideData *sd = &market->side[side];
    return tm_i_rank(sd, agent, (int64_t)sd->off[agent] + pos);
}

static gboolean buffer_ok(const char *what, int64_t need, int64_t capacity, GError **error)
{
    if (capacity < need) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: buffer of %" G_GINT64_FORMAT " entries is too small (%" G_GINT64_FORMAT
                    " needed)", what, capacity, need);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_market_get_lists(const TmMarket *market, TmSide side, int32_t *offsets,
                             int64_t offsets_capacity, int32_t *ids, int32_t *ranks,
                             int32_t *reverse_ranks, int64_t entries_capacity, GError **error)
{
    if (market == NULL || !tm_i_side_ok(side)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            market ? "tm_market_get_lists: invalid side"
                                   : "tm_market_get_lists: market must not be NULL");
        return FALSE;
    }
    const TmSideData *sd = &market->side[side];
    const int64_t L = market->n_pairs;
    if ((offsets && !buffer_ok("tm_market_get_lists offsets", (int64_t)sd->n + 1,
                               offsets_capacity, error)) ||
        ((ids || ranks || reverse_ranks) &&
         !buffer_ok("tm_market_get_lists entries", L, entries_capacity, error)))
        return FALSE;
    if (offsets)
        memcpy(offsets, sd->off, ((size_t)sd->n + 1) * sizeof(int32_t));
    if (ids && L > 0)
        memcpy(ids, sd->ids, (size_t)L * sizeof(int32_t));
    if (ranks) {
        for (int32_t a = 0; a < sd->n; a++)
            for (int32_t e = sd->off[a]; e < sd->off[a + 1]; e++)
                ranks[e] = tm_i_rank(sd, a, e);
    }
    if (reverse_ranks) {
        for (int64_t e = 0; e < L; e++)
            reverse_ranks[e] = tm_i_rrank(sd, e);
    }
    return TRUE;
}

gboolean tm_market_get_capacities(const TmMarket *market, TmSide side, int32_t *capacities,
                                  int64_t capacity, GError **error)
{
    if (market == NULL || !tm_i_side_ok(side) || capacities == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_market_get_capacities: NULL market or buffer, or invalid side");
        return FALSE;
    }
    const TmSideData *sd = &market->side[side];
    if (!buffer_ok("tm_market_get_capacities", sd->n, capacity, error))
        return FALSE;
    if (sd->n > 0)
        memcpy(capacities, sd->cap, (size_t)sd->n * sizeof(int32_t));
    return TRUE;
}

