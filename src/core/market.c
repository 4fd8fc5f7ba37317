/* techmatch — market construction: validation, mutual-acceptability
 * reduction and the reverse ranks beside each CSR entry.
 *
 * Build without hashing or dense matrices (DESIGN §4):
 *   1. validate both sides (ranges, duplicates, capacities, offsets);
 *   2. transpose the supply lists by demand agent (counting sort) and keep in
 *      each demand list only the supply agents that list it back;
 *   3. transpose the reduced demand lists by supply agent, remembering each
 *      entry's position, and walk each supply list once: an entry is kept if
 *      the demand agent listed it back, and the two reverse ranks are written
 *      in the same step.
 * Time O(L_raw + n), memory O(L_raw + n).
 */
#include "core/internal.h"

#include <string.h>

static const char *side_name(TmSide side)
{
    return side == TM_SIDE_SUPPLY ? "supply" : "demand";
}

static void side_data_clear(TmSideData *sd)
{
    g_free(sd->cap);
    g_free(sd->off);
    g_free(sd->ids);
    g_free(sd->rrank);
    memset(sd, 0, sizeof *sd);
}

/* Validates one side's raw arrays.  @stamp has n_other entries, all -1. */
static gboolean validate_side(TmSide side, int32_t n, int32_t n_other, const int32_t *cap,
                              const int32_t *off, const int32_t *prefs, int32_t *stamp,
                              GError **error)
{
    const char *name = side_name(side);
    if (off == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s offsets must not be NULL", name);
        return FALSE;
    }
    if (off[0] != 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s offsets must start at 0 (got %" G_GINT32_FORMAT ")", name, off[0]);
        return FALSE;
    }
    for (int32_t a = 0; a < n; a++) {
        if (off[a + 1] < off[a]) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "%s offsets decrease at agent %" G_GINT32_FORMAT
                        " (%" G_GINT32_FORMAT " then %" G_GINT32_FORMAT ")",
                        name, a, off[a], off[a + 1]);
            return FALSE;
        }
    }
    if (off[n] > 0 && prefs == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s preference array must not be NULL (%" G_GINT32_FORMAT " entries)",
                    name, off[n]);
        return FALSE;
    }
    for (int32_t a = 0; a < n; a++) {
        if (cap != NULL && cap[a] < 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                        "%s agent %" G_GINT32_FORMAT ": capacity %" G_GINT32_FORMAT
                        " is negative", name, a, cap[a]);
            return FALSE;
        }
        for (int32_t e = off[a]; e < off[a + 1]; e++) {
            int32_t b = prefs[e];
            if (b < 0 || b >= n_other) {
                g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " names %s agent %" G_GINT32_FORMAT ", outside [0, %" G_GINT32_FORMAT ")",
                            name, a, e - off[a], side_name(TM_SIDE_OTHER(side)), b, n_other);
                return FALSE;
            }
            if (stamp[b] == a) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " names %s agent %" G_GINT32_FORMAT " a second time",
                            name, a, e - off[a], side_name(TM_SIDE_OTHER(side)), b);
                return FALSE;
            }
            stamp[b] = a;
        }
    }
    return TRUE;
}

/* Counting-sort transpose of CSR lists (rows 0..n_rows-1 over columns
 * 0..n_cols-1): out_off[c] .. out_off[c+1] lists the rows that name c, in
 * increasing row order; when @out_pos is non-NULL it receives the entry index
 * in the source. */
static gboolean transpose(int32_t n_rows, int32_t n_cols, const int32_t *off,
                          const int32_t *ids, int32_t **out_off, int32_t **out_rows,
                          int32_t **out_pos, GError **error)
{
    int32_t total = off[n_rows];
    int32_t *toff = tm_i_try_alloc((int64_t)n_cols + 1, sizeof(int32_t), TRUE,
                                   "transpose offsets", error);
    int32_t *trows = toff ? tm_i_try_alloc(total, sizeof(int32_t), FALSE,
                                           "transpose rows", error) : NULL;
    int32_t *tpos = (trows && out_pos) ? tm_i_try_alloc(total, sizeof(int32_t), FALSE,
                                                        "transpose positions", error) : NULL;
    if (!toff || !trows || (out_pos && !tpos)) {
        g_free(toff);
        g_free(trows);
        g_free(tpos);
        return FALSE;
    }
    for (int32_t e = 0; e < total; e++)
        toff[ids[e] + 1]++;
    for (int32_t c = 0; c < n_cols; c++)
        toff[c + 1] += toff[c];
    /* fill using toff[c] as a cursor, then shift back */
    for (int32_t r = 0; r < n_rows; r++) {
        for (int32_t e = off[r]; e < off[r + 1]; e++) {
            int32_t slot = toff[ids[e]]++;
            trows[slot] = r;
            if (tpos)
                tpos[slot] = e;
        }
    }
    for (int32_t c = n_cols; c > 0; c--)
        toff[c] = toff[c - 1];
    toff[0] = 0;
    *out_off = toff;
    *out_rows = trows;
    if (out_pos)
        *out_pos = tpos;
    return TRUE;
}

static int32_t *copy_caps(const int32_t *cap, int32_t n, GError **error)
{
    int32_t *c = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "capacities", error);
    if (c == NULL)
        return NULL;
    for (int32_t a = 0; a < n; a++)
        c[a] = cap ? cap[a] : 1;
    return c;
}

TmMarket *tm_market_new_from_arrays(int32_t n_supply, int32_t n_demand,
                                    const int32_t *supply_capacity,
                                    const int32_t *demand_capacity,
                                    const int32_t *supply_offsets, const int32_t *supply_prefs,
                                    const int32_t *demand_offsets, const int32_t *demand_prefs,
                                    GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (n_supply < 0 || n_demand < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "market sizes must be >= 0 (got %" G_GINT32_FORMAT " supply, %"
                    G_GINT32_FORMAT " demand)", n_supply, n_demand);
        return NULL;
    }
    if (n_supply == G_MAXINT32 || n_demand == G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "market sizes must be below %" G_GINT32_FORMAT, G_MAXINT32);
        return NULL;
    }

    TmMarket *m = NULL;
    int32_t *stamp = NULL, *val = NULL;
    int32_t *toff = NULL, *trows = NULL, *tpos = NULL;
    int32_t *dcols = NULL; /* for the second transpose: demand agent of each reduced entry */

    int32_t n_max = MAX(n_supply, n_demand);
    stamp = tm_i_try_alloc(n_max, sizeof(int32_t), FALSE, "market build scratch", error);
    if (!stamp)
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    if (!validate_side(TM_SIDE_SUPPLY, n_supply, n_demand, supply_capacity, supply_offsets,
                       supply_prefs, stamp, error))
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    if (!validate_side(TM_SIDE_DEMAND, n_demand, n_supply, demand_capacity, demand_offsets,
                       demand_prefs, stamp, error))
        goto fail;

    m = g_try_new0(TmMarket, 1);
    if (!m) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate market");
        goto fail;
    }
    m->refcount = 1;
    TmSideData *S = &m->side[TM_SIDE_SUPPLY];
    TmSideData *D = &m->side[TM_SIDE_DEMAND];
    S->n = n_supply;
    D->n = n_demand;
    int32_t Ls_raw = supply_offsets[n_supply];
    int32_t Ld_raw = demand_offsets[n_demand];
    int32_t L_max = MIN(Ls_raw, Ld_raw);

    if (!(S->cap = copy_caps(supply_capacity, n_supply, error)) ||
        !(D->cap = copy_caps(demand_capacity, n_demand, error)))
        goto fail;
    if (!(S->off = tm_i_try_alloc((int64_t)n_supply + 1, sizeof(int32_t), FALSE,
                                  "supply offsets", error)) ||
        !(D->off = tm_i_try_alloc((int64_t)n_demand + 1, sizeof(int32_t), FALSE,
                                  "demand offsets", error)) ||
        !(D->ids = tm_i_try_alloc(L_max, sizeof(int32_t), FALSE, "demand lists", error)))
        goto fail;

    /* Step 2: reduce the demand lists to supply agents that list back. */
    if (!transpose(n_supply, n_demand, supply_offsets, supply_prefs, &toff, &trows, NULL, error))
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    int32_t k = 0;
    for (int32_t d = 0; d < n_demand; d++) {
        for (int32_t j = toff[d]; j < toff[d + 1]; j++)
            stamp[trows[j]] = d;
        D->off[d] = k;
        for (int32_t e = demand_offsets[d]; e < demand_offsets[d + 1]; e++) {
            int32_t s = demand_prefs[e];
            if (stamp[s] == d)
                D->ids[k++] = s;
        }
    }
    D->off[n_demand] = k;
    int32_t L = k;
    g_clear_pointer(&toff, g_free);
    g_clear_pointer(&trows, g_free);

    /* Step 3: transpose the reduced demand lists by supply agent. */
    if (!transpose(n_demand, n_supply, D->off, D->ids, &toff, &dcols, &tpos, error))
        goto fail;
    if (!(S->ids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "supply lists", error)) ||
        !(S->rrank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "supply reverse ranks", error)) ||
        !(D->rrank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "demand reverse ranks", error)) ||
        !(val = tm_i_try_alloc(n_max, sizeof(int32_t), FALSE, "market build scratch", error)))
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    k = 0;
    for (int32_t s = 0; s < n_supply; s++) {
        for (int32_t j = toff[s]; j < toff[s + 1]; j++) {
            stamp[dcols[j]] = s;
            val[dcols[j]] = tpos[j];
        }
        S->off[s] = k;
        for (int32_t e = supply_offsets[s]; e < supply_offsets[s + 1]; e++) {
            int32_t d = supply_prefs[e];
            if (stamp[d] == s) {
                int32_t pos = val[d];
                S->ids[k] = d;
                S->rrank[k] = pos - D->off[d];
                D->rrank[pos] = k - S->off[s];
                k++;
            }
        }
    }
    S->off[n_supply] = k;
    g_assert(k == L);

    m->n_pairs = L;
    S->dropped = (int64_t)Ls_raw - L;
    D->dropped = (int64_t)Ld_raw - L;
    if (L < L_max) { /* shrink the demand list to its reduced size */
        int32_t *shrunk = g_try_realloc(D->ids, (gsize)MAX(L, 1) * sizeof(int32_t));
        if (shrunk)
            D->ids = shrunk;
    }
    g_free(toff);
    g_free(dcols);
    g_free(tpos);
    g_free(stamp);
    g_free(val);
    return m;

fail:
    g_free(toff);
    g_free(trows);
    g_free(dcols);
    g_free(tpos);
    g_free(stamp);
    g_free(val);
    if (m) {
        side_data_clear(&m->side[0]);
        side_data_clear(&m->side[1]);
        g_free(m);
    }
    return NULL;
}

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
    side_data_clear(&market->side[0]);
    side_data_clear(&market->side[1]);
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

int32_t tm_market_rank(const TmMarket *market, TmSide side, int32_t agent, int32_t partner)
{
    if (market == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= market->side[side].n)
        return -1;
    const TmSideData *sd = &market->side[side];
    for (int32_t e = sd->off[agent]; e < sd->off[agent + 1]; e++)
        if (sd->ids[e] == partner)
            return e - sd->off[agent];
    return -1;
}

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
    int32_t *len[2];
    int64_t total[2];
};

void tm_market_builder_free(TmMarketBuilder *b)
{
    if (b == NULL)
        return;
    for (int s = 0; s < 2; s++) {
        if (b->list[s])
            for (int32_t a = 0; a < b->n[s]; a++)
                g_free(b->list[s][a]);
        g_free(b->list[s]);
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
                    side_name(side), agent, b->n[side]);
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
                    side_name(side), agent, capacity);
        return FALSE;
    }
    b->cap[side][agent] = capacity;
    return TRUE;
}

gboolean tm_market_builder_set_prefs(TmMarketBuilder *b, TmSide side, int32_t agent,
                                     const int32_t *prefs, int32_t len, GError **error)
{
    if (!builder_check_agent(b, side, agent, error))
        return FALSE;
    if (len < 0 || (len > 0 && prefs == NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s agent %" G_GINT32_FORMAT ": bad list (length %" G_GINT32_FORMAT
                    ", prefs %s)", side_name(side), agent, len, prefs ? "set" : "NULL");
        return FALSE;
    }
    int64_t total = b->total[side] - b->len[side][agent] + len;
    if (total > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s agent %" G_GINT32_FORMAT ": total list length %" G_GINT64_FORMAT
                    " would exceed %" G_GINT32_FORMAT, side_name(side), agent, total, G_MAXINT32);
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
                        side_name(side), agent, i, side_name(TM_SIDE_OTHER(side)), prefs[i],
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
                        side_name(side), agent, second, side_name(TM_SIDE_OTHER(side)), dup);
            g_free(sorted);
            g_free(copy);
            return FALSE;
        }
    }
    g_free(sorted);
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
    int32_t *off[2] = {NULL, NULL}, *ids[2] = {NULL, NULL};
    TmMarket *m = NULL;
    for (int s = 0; s < 2; s++) {
        if (!(off[s] = tm_i_try_alloc((int64_t)b->n[s] + 1, sizeof(int32_t), FALSE,
                                      "offsets", error)) ||
            !(ids[s] = tm_i_try_alloc(b->total[s], sizeof(int32_t), FALSE, "lists", error)))
            goto out;
        int32_t k = 0;
        for (int32_t a = 0; a < b->n[s]; a++) {
            off[s][a] = k;
            if (b->len[s][a] > 0)
                memcpy(ids[s] + k, b->list[s][a], (size_t)b->len[s][a] * sizeof(int32_t));
            k += b->len[s][a];
        }
        off[s][b->n[s]] = k;
    }
    m = tm_market_new_from_arrays(b->n[0], b->n[1], b->cap[0], b->cap[1], off[0], ids[0],
                                  off[1], ids[1], error);
out:
    for (int s = 0; s < 2; s++) {
        g_free(off[s]);
        g_free(ids[s]);
    }
    return m;
}
