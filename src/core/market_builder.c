/* techmatch — building a market agent by agent (TmMarketBuilder). */
#include "core/market_private.h"

#include <string.h>

/* ---- builder ------------------------------------------------------------ */

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

struct TmMarketBuilder {
    int32_t n[2];
    int32_t *cap[2];
    int32_t **list[2];
    int32_t **rank[2]; /* per agent, NULL = strict list */
    int32_t *len[2];
    int64_t total[2];
};

void tm_market_builder_free(TmMarketBuilder *b)
{
    if (b == NULL)
        return;
    for (int s = 0; s < 2; s++) {
        for (int32_t a = 0; a < b->n[s]; a++) {
            if (b->list[s])
                g_free(b->list[s][a]);
            if (b->rank[s])
                g_free(b->rank[s][a]);
        }
        g_free(b->list[s]);
        g_free(b->rank[s]);
        g_free(b->len[s]);
        g_free(b->cap[s]);
    }
    g_free(b);
}

TmMarketBuilder *tm_market_builder_new(int32_t n_supply, int32_t n_demand, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (n_supply < 0 || n_demand < 0 || n_supply == G_MAXINT32 || n_demand == G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "market sizes must be in [0, %" G_GINT32_FORMAT ") (got %" G_GINT32_FORMAT
                    " supply, %" G_GINT32_FORMAT " demand)", G_MAXINT32, n_supply, n_demand);
        return NULL;
    }
    TmMarketBuilder *b = g_try_new0(TmMarketBuilder, 1);
    if (b == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate builder");
        return NULL;
    }
    b->n[0] = n_supply;
    b->n[1] = n_demand;
    for (int s = 0; s < 2; s++) {
        if (!(b->cap[s] = tm_i_try_alloc(b->n[s], sizeof(int32_t), FALSE, "capacities", error)) ||
            !(b->list[s] = tm_i_try_alloc(b->n[s], sizeof(int32_t *), TRUE, "lists", error)) ||
            !(b->rank[s] = tm_i_try_alloc(b->n[s], sizeof(int32_t *), TRUE, "lists", error)) ||
            !(b->len[s] = tm_i_try_alloc(b->n[s], sizeof(int32_t), TRUE, "list lengths", error))) {
            tm_market_builder_free(b);
            return NULL;
        }
        for (int32_t a = 0; a < b->n[s]; a++)
            b->cap[s][a] = 1;
    }
    return b;
}

static gboolean builder_check_agent(const TmMarketBuilder *b, TmSide side, int32_t agent,
                                    GError **error)
{
    if (b == NULL || !tm_i_side_ok(side)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            b ? "invalid side" : "builder must not be NULL");
        return FALSE;
    }
    if (agent < 0 || agent >= b->n[side]) {
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "%s agent %" G_GINT32_FORMAT " is outside [0, %" G_GINT32_FORMAT ")",
                    tm_i_side_name(side), agent, b->n[side]);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_market_builder_set_capacity(TmMarketBuilder *b, TmSide side, int32_t agent,
                                        int32_t capacity, GError **error)
{
    if (!builder_check_agent(b, side, agent, error))
        return FALSE;
    if (capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "%s agent %" G_GINT32_FORMAT ": capacity %" G_GINT32_FORMAT " is negative",
                    tm_i_side_name(side), agent, capacity);
        return FALSE;
    }
    b->cap[side][agent] = capacity;
    return TRUE;
}

gboolean tm_market_builder_set_prefs(TmMarketBuilder *b, TmSide side, int32_t agent,
                                     const int32_t *prefs, int32_t len, GError **error)
{
    return tm_market_builder_set_ranked_prefs(b, side, agent, prefs, NULL, len, error);
}

gboolean tm_market_builder_set_ranked_prefs(TmMarketBuilder *b, TmSide side, int32_t agent,
                                            const int32_t *prefs, const int32_t *ranks,
                                            int32_t len, GError **error)
{
    if (!builder_check_agent(b, side, agent, error))
        return FALSE;
    if (ranks != NULL && len > 0) {
        const int32_t one_list[2] = {0, len};
        if (!tm_i_market_validate_ranks(side, 1, one_list, ranks, agent, error))
            return FALSE;
    }
    if (len < 0 || (len > 0 && prefs == NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s agent %" G_GINT32_FORMAT ": bad list (length %" G_GINT32_FORMAT
                    ", prefs %s)", tm_i_side_name(side), agent, len, prefs ? "set" : "NULL");
        return FALSE;
    }
    int64_t total = b->total[side] - b->len[side][agent] + len;
    if (total > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s agent %" G_GINT32_FORMAT ": total list length %" G_GINT64_FORMAT
                    " would exceed %" G_GINT32_FORMAT, tm_i_side_name(side), agent, total, G_MAXINT32);
        return FALSE;
    }
    int32_t n_other = b->n[TM_SIDE_OTHER(side)];
    /* duplicates: sort a copy (lists are short relative to n_other) */
    int32_t *copy = tm_i_try_alloc(len, sizeof(int32_t), FALSE, "preference list", error);
    if (copy == NULL)
        return FALSE;
    for (int32_t i = 0; i < len; i++) {
        if (prefs[i] < 0 || prefs[i] >= n_other) {
            g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                        "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                        " names %s agent %" G_GINT32_FORMAT ", outside [0, %" G_GINT32_FORMAT ")",
                        tm_i_side_name(side), agent, i, tm_i_side_name(TM_SIDE_OTHER(side)), prefs[i],
                        n_other);
            g_free(copy);
            return FALSE;
        }
        copy[i] = prefs[i];
    }
    int32_t *sorted = tm_i_try_alloc(len, sizeof(int32_t), FALSE, "preference list", error);
    if (sorted == NULL) {
        g_free(copy);
        return FALSE;
    }
    memcpy(sorted, copy, (size_t)len * sizeof(int32_t));
    qsort(sorted, (size_t)len, sizeof(int32_t), cmp_int32);
    for (int32_t i = 1; i < len; i++) {
        if (sorted[i] == sorted[i - 1]) {
            int32_t dup = sorted[i], second = -1, seen = 0;
            for (int32_t j = 0; j < len && second < 0; j++)
                if (copy[j] == dup && ++seen == 2)
                    second = j;
            g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                        "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                        " names %s agent %" G_GINT32_FORMAT " a second time",
                        tm_i_side_name(side), agent, second, tm_i_side_name(TM_SIDE_OTHER(side)), dup);
            g_free(sorted);
            g_free(copy);
            return FALSE;
        }
    }
    g_free(sorted);
    int32_t *rcopy = NULL;
    if (ranks != NULL && len > 0) {
        if (!(rcopy = tm_i_try_alloc(len, sizeof(int32_t), FALSE, "preference ranks", error))) {
            g_free(copy);
            return FALSE;
        }
        memcpy(rcopy, ranks, (size_t)len * sizeof(int32_t));
    }
    g_free(b->rank[side][agent]);
    b->rank[side][agent] = rcopy;
    g_free(b->list[side][agent]);
    b->list[side][agent] = copy;
    b->len[side][agent] = len;
    b->total[side] = total;
    return TRUE;
}

TmMarket *tm_market_builder_build(const TmMarketBuilder *b, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (b == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "builder must not be NULL");
        return NULL;
    }
    int32_t *off[2] = {NULL, NULL}, *ids[2] = {NULL, NULL}, *rk[2] = {NULL, NULL};
    TmMarket *m = NULL;
    for (int s = 0; s < 2; s++) {
        gboolean ranked = FALSE;
        for (int32_t a = 0; a < b->n[s] && !ranked; a++)
            ranked = b->rank[s][a] != NULL;
        if (ranked && !(rk[s] = tm_i_try_alloc(b->total[s], sizeof(int32_t), FALSE, "ranks",
                                               error)))
            goto out;
        if (!(off[s] = tm_i_try_alloc((int64_t)b->n[s] + 1, sizeof(int32_t), FALSE,
                                      "offsets", error)) ||
            !(ids[s] = tm_i_try_alloc(b->total[s], sizeof(int32_t), FALSE, "lists", error)))
            goto out;
        int32_t k = 0;
        for (int32_t a = 0; a < b->n[s]; a++) {
            off[s][a] = k;
            if (b->len[s][a] > 0)
                memcpy(ids[s] + k, b->list[s][a], (size_t)b->len[s][a] * sizeof(int32_t));
            for (int32_t i = 0; rk[s] && i < b->len[s][a]; i++)
                rk[s][k + i] = b->rank[s][a] ? b->rank[s][a][i] : i;
            k += b->len[s][a];
        }
        off[s][b->n[s]] = k;
    }
    m = tm_market_new_from_ranked_arrays(b->n[0], b->n[1], b->cap[0], b->cap[1], off[0],
                                         ids[0], rk[0], b->total[0], off[1], ids[1], rk[1],
                                         b->total[1], error);
out:
    for (int s = 0; s < 2; s++) {
        g_free(off[s]);
        g_free(ids[s]);
        g_free(rk[s]);
    }
    return m;
}

