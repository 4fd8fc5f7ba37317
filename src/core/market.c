/* techmatch — market construction: validation, mutual-acceptability
 * reduction and the reverse ranks beside each CSR entry.
 *
 * Build without hashing or dense matrices (DESIGN §4), in O(L_raw + n) time
 * and memory.  The work is a join: each entry (a, b) of one side's lists must
 * meet the entry (b, a) of the other side's, if any.  Done naively (scatter
 * every entry to its partner's list) that is one cache miss per entry and per
 * array written; at L = 5e7 those misses were most of the build time.  Here
 * every pass over the entries either streams or works inside a small window:
 *   1. validate both sides (ranges, duplicates, capacities, offsets); the
 *      pass over side A's lists also counts the entries naming each B agent.
 *      B is the side with fewer agents (demand on ties).
 *   2. cut B's agents into groups of 2^shift consecutive agents, about
 *      TM_GROUP_ENTRIES entries per group (a group's scratch fits in L2),
 *      and partition A's entries by group, keeping A's order in each group;
 *   3. group by group: counting-sort the entries by B agent (for each b, the
 *      A agents that list it, increasing), keep in b's list only those
 *      agents, and note for each entry its position in the reduced B lists;
 *   4. walk A's lists in order, reading each entry's position back through
 *      one cursor per group: the reduced A lists and their reverse ranks;
 *   5. group by group: the reduced B lists' reverse ranks.
 * Besides the caller's arrays and O(n) scratch, the build holds the market's
 * four arrays (two of them sized L_A and min(L_A, L_B) until the end) and one
 * scratch array of L_A entries.
 */
#include "core/internal.h"

#include <string.h>

/* Average number of A entries per group of B agents (see reduce()). */
#define TM_GROUP_ENTRIES 32768
/* How far ahead (entries) the group cursors prefetch. */
#define TM_PREFETCH 16
#if defined(__GNUC__) || defined(__clang__)
#define TM_PREFETCH_R(p) __builtin_prefetch((p), 0)
#define TM_PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define TM_PREFETCH_R(p) ((void)0)
#define TM_PREFETCH_W(p) ((void)0)
#endif

static const char *side_name(TmSide side)
{
    return side == TM_SIDE_SUPPLY ? "supply" : "demand";
}

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
static gboolean validate_side(TmSide side, int32_t n, int32_t n_other, const int32_t *cap,
                              const int32_t *off, const int32_t *prefs, int32_t *stamp,
                              int32_t *count, GError **error)
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
            if (count)
                count[b + 1]++;
        }
    }
    return TRUE;
}

/* Gives back the unused tail of an array that held @had entries and now
 * holds @len.  Keeps the array when realloc fails. */
static void shrink(int32_t **p, int64_t had, int64_t len)
{
    if (len < had) {
        int32_t *q = g_try_realloc(*p, (gsize)MAX(len, 1) * sizeof(int32_t));
        if (q)
            *p = q;
    }
}

typedef struct {
    int32_t n;
    const int32_t *off, *prefs;
} RawSide;

/* Reduces validated lists to the acceptable pairs and fills SA and SB (all
 * but cap).  @toff: n_B + 1 entries, toff[b + 1] = number of A entries that
 * name b (step 1); turned into offsets here.
 *
 * Two arrays hold one value per A entry, in group order (X, and Y, which
 * lives in SB->rpos until step 5 overwrites it):
 *   2. X = the entry's A agent, Y = its B agent;
 *   3. per group g (entries [g0, g1)): the A agents are counting-sorted by B
 *      agent into tloc, Y becoming each entry's slot there; each b marks its
 *      slots' agents (mark[a] = global slot: slots only grow, so a mark
 *      below b's first slot is stale) and walks its own list: a marked agent
 *      is kept, its slot receiving its position in the reduced B lists,
 *      other slots -1; X and Y become that position;
 *   4. A's entries in order, each reading Y through its group's cursor: a
 *      kept entry gives the reduced A list and its reverse rank, and Y
 *      becomes its rank in the reduced A list (in place: the pass touches
 *      one scratch cache line per 16 entries, not two);
 *   5. per group: SB->rpos[X] = Y.  The positions of group g lie below g1
 *      (no B agent keeps more entries than name it), so the writes spare the
 *      later groups' Y; g's own Y is copied aside first. */
static gboolean reduce(const RawSide *A, const RawSide *B, int32_t *toff, TmSideData *SA,
                       TmSideData *SB, int64_t *n_pairs, GError **error)
{
    const int32_t na = A->n, nb = B->n;
    const int32_t *aoff = A->off, *aprefs = A->prefs, *boff = B->off, *bprefs = B->prefs;
    const int32_t la = aoff[na], lb = boff[nb], lm = MIN(la, lb);
    int32_t *goff = NULL, *X = NULL, *tloc = NULL, *mark = NULL;
    gboolean ok = FALSE;

    int shift = 0;
    while (shift < 30 && ((int64_t)la << (shift + 1)) <= (int64_t)TM_GROUP_ENTRIES * nb)
        shift++;
    const int32_t ng = nb > 0 ? (int32_t)((((int64_t)nb - 1) >> shift) + 1) : 0;

    for (int32_t b = 0; b < nb; b++)
        toff[b + 1] += toff[b];
    if (!(goff = tm_i_try_alloc((int64_t)ng + 1, sizeof(int32_t), FALSE,
                                "market build offsets", error)))
        goto out;
    int32_t gmax = 0;
    for (int32_t g = 0; g < ng; g++) {
        goff[g] = toff[(int64_t)g << shift];
        gmax = MAX(gmax, toff[MIN((int64_t)(g + 1) << shift, nb)] - goff[g]);
    }
    goff[ng] = la;

    if (!(mark = tm_i_try_alloc(na, sizeof(int32_t), FALSE, "market build scratch", error)) ||
        !(tloc = tm_i_try_alloc(gmax, sizeof(int32_t), FALSE, "market build scratch", error)) ||
        !(X = tm_i_try_alloc(la, sizeof(int32_t), FALSE, "market build scratch", error)) ||
        !(SA->off = tm_i_try_alloc((int64_t)na + 1, sizeof(int32_t), FALSE,
                                   "offsets", error)) ||
        !(SB->off = tm_i_try_alloc((int64_t)nb + 1, sizeof(int32_t), FALSE,
                                   "offsets", error)) ||
        !(SB->rpos = tm_i_try_alloc(la, sizeof(int32_t), FALSE, "reverse ranks", error)) ||
        !(SB->ids = tm_i_try_alloc(lm, sizeof(int32_t), FALSE, "preference lists", error)))
        goto out;
    int32_t *Y = SB->rpos;

    /* 2. partition; goff[g] serves as g's cursor, then shifts back */
    for (int32_t a = 0; a < na; a++) {
        for (int32_t e = aoff[a]; e < aoff[a + 1]; e++) {
            int32_t b = aprefs[e];
            int32_t t = goff[b >> shift]++;
            TM_PREFETCH_W(X + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            TM_PREFETCH_W(Y + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            X[t] = a;
            Y[t] = b;
        }
    }
    for (int32_t g = ng; g > 0; g--)
        goff[g] = goff[g - 1];
    if (ng > 0)
        goff[0] = 0;

    /* 3. per group: transpose into tloc, reduce the B lists */
    for (int32_t a = 0; a < na; a++)
        mark[a] = -1;
    int32_t k = 0;
    for (int32_t g = 0; g < ng; g++) {
        const int32_t g0 = goff[g], g1 = goff[g + 1];
        const int32_t b0 = (int32_t)((int64_t)g << shift);
        const int32_t b1 = (int32_t)MIN((int64_t)(g + 1) << shift, nb);
        int32_t *cur = SB->off; /* SB->off[b0..b1) are the transpose's cursors */
        for (int32_t b = b0; b < b1; b++)
            cur[b] = toff[b] - g0;
        for (int32_t t = g0; t < g1; t++) {
            int32_t j = cur[Y[t]]++;
            tloc[j] = X[t];
            Y[t] = j;
        }
        for (int32_t b = b0; b < b1; b++) {
            const int32_t j0 = toff[b] - g0, j1 = toff[b + 1] - g0;
            for (int32_t j = j0; j < j1; j++) {
                mark[tloc[j]] = g0 + j;
                tloc[j] = -1;
            }
            SB->off[b] = k;
            for (int32_t f = boff[b]; f < boff[b + 1]; f++) {
                int32_t a = bprefs[f];
                int32_t j = mark[a] - g0;
                if (j >= j0) {
                    tloc[j] = k;
                    SB->ids[k] = a;
                    k++;
                }
            }
        }
        for (int32_t t = g0; t < g1; t++) {
            int32_t pos = tloc[Y[t]];
            X[t] = pos;
            Y[t] = pos;
        }
    }
    SB->off[nb] = k;
    const int32_t L = k;

    /* 4. reduce A's lists; goff[g] serves as g's cursor again */
    if (!(SA->ids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "preference lists", error)) ||
        !(SA->rpos = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "reverse ranks", error)))
        goto out;
    k = 0;
    for (int32_t a = 0; a < na; a++) {
        const int32_t first = k;
        SA->off[a] = k;
        for (int32_t e = aoff[a]; e < aoff[a + 1]; e++) {
            int32_t b = aprefs[e];
            int32_t t = goff[b >> shift]++;
            TM_PREFETCH_W(Y + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            int32_t pos = Y[t];
            if (pos >= 0) {
                SA->ids[k] = b;
                SA->rpos[k] = pos - SB->off[b];
                Y[t] = k - first;
                k++;
            }
        }
    }
    SA->off[na] = k;
    g_assert(k == L);
    for (int32_t g = ng; g > 0; g--)
        goff[g] = goff[g - 1];
    if (ng > 0)
        goff[0] = 0;

    /* 5. B's reverse ranks */
    for (int32_t g = 0; g < ng; g++) {
        const int32_t g0 = goff[g], n = goff[g + 1] - g0;
        memcpy(tloc, Y + g0, (size_t)n * sizeof(int32_t));
        for (int32_t i = 0; i < n; i++)
            if (X[g0 + i] >= 0)
                SB->rpos[X[g0 + i]] = tloc[i];
    }

    shrink(&SB->rpos, la, L);
    shrink(&SB->ids, lm, L);
    SA->dropped = (int64_t)la - L;
    SB->dropped = (int64_t)lb - L;
    *n_pairs = L;
    ok = TRUE;
out:
    g_free(goff);
    g_free(mark);
    g_free(tloc);
    g_free(X);
    return ok;
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

/* Ranks given by the caller must be >= 0 and non-decreasing along each list
 * (the list is best first; equal ranks are a tie). */
static gboolean validate_ranks(TmSide side, int32_t n, const int32_t *off, const int32_t *ranks,
                               int32_t agent0, GError **error)
{
    for (int32_t a = 0; a < n; a++) {
        for (int32_t e = off[a]; e < off[a + 1]; e++) {
            if (ranks[e] < 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has a negative rank (%" G_GINT32_FORMAT ")",
                            side_name(side), agent0 + a, e - off[a], ranks[e]);
                return FALSE;
            }
            if (e > off[a] && ranks[e] < ranks[e - 1]) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has rank %" G_GINT32_FORMAT " after rank %" G_GINT32_FORMAT
                            " (lists are best first: ranks must not decrease)",
                            side_name(side), agent0 + a, e - off[a], ranks[e], ranks[e - 1]);
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* The reduced lists are subsequences of the raw ones (same order, no
 * duplicates), so one walk over both finds each kept entry's raw rank; kept
 * entries get dense ranks 0, 1, ... per list (equal raw ranks stay equal).
 * Sets sd->rank, or leaves it NULL when no reduced list has a tie. */
static gboolean dense_ranks(TmSideData *sd, const int32_t *roff, const int32_t *rids,
                            const int32_t *rranks, GError **error)
{
    const int64_t L = sd->off[sd->n];
    int32_t *rank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "ranks", error);
    if (rank == NULL)
        return FALSE;
    gboolean tie = FALSE;
    for (int32_t a = 0; a < sd->n; a++) {
        int32_t e = roff[a], dense = -1, prev = -1;
        for (int32_t k = sd->off[a]; k < sd->off[a + 1]; k++) {
            while (rids[e] != sd->ids[k])
                e++;
            if (dense < 0 || rranks[e] != prev)
                dense++;
            else
                tie = TRUE;
            prev = rranks[e];
            rank[k] = dense;
            e++;
        }
    }
    if (tie)
        sd->rank = rank;
    else
        g_free(rank);
    return TRUE;
}

/* rrank[e] of @sd = the rank @other gives back, when @other has ties. */
static gboolean reverse_ranks(TmSideData *sd, const TmSideData *other, GError **error)
{
    if (other->rank == NULL)
        return TRUE;
    const int64_t L = sd->off[sd->n];
    if (!(sd->rrank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "reverse ranks", error)))
        return FALSE;
    for (int64_t e = 0; e < L; e++)
        sd->rrank[e] = other->rank[other->off[sd->ids[e]] + sd->rpos[e]];
    return TRUE;
}

static gboolean check_len(TmSide side, int32_t n, const int32_t *off, int64_t len,
                          GError **error)
{
    if (off == NULL || len < 0)
        return TRUE; /* NULL offsets are reported by validate_side() */
    if (len != off[n]) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: %" G_GINT64_FORMAT " entries given but the offsets end at %"
                    G_GINT32_FORMAT, side_name(side), len, off[n]);
        return FALSE;
    }
    return TRUE;
}

TmMarket *tm_market_new_from_arrays(int32_t n_supply, int32_t n_demand,
                                    const int32_t *supply_capacity,
                                    const int32_t *demand_capacity,
                                    const int32_t *supply_offsets, const int32_t *supply_prefs,
                                    const int32_t *demand_offsets, const int32_t *demand_prefs,
                                    GError **error)
{
    return tm_market_new_from_ranked_arrays(n_supply, n_demand, supply_capacity,
                                            demand_capacity, supply_offsets, supply_prefs,
                                            NULL, -1, demand_offsets, demand_prefs, NULL, -1,
                                            error);
}

TmMarket *tm_market_new_from_ranked_arrays(int32_t n_supply, int32_t n_demand,
                                           const int32_t *supply_capacity,
                                           const int32_t *demand_capacity,
                                           const int32_t *supply_offsets,
                                           const int32_t *supply_ids,
                                           const int32_t *supply_ranks, int64_t supply_len,
                                           const int32_t *demand_offsets,
                                           const int32_t *demand_ids,
                                           const int32_t *demand_ranks, int64_t demand_len,
                                           GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    const int32_t *supply_prefs = supply_ids, *demand_prefs = demand_ids;
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

    /* A is transposed into B's order: B is the side with fewer agents */
    const gboolean a_is_supply = n_demand <= n_supply;
    const int32_t nb = a_is_supply ? n_demand : n_supply;
    TmMarket *m = NULL;
    int32_t n_max = MAX(n_supply, n_demand);
    int32_t *stamp = tm_i_try_alloc(n_max, sizeof(int32_t), FALSE, "market build scratch", error);
    int32_t *toff = stamp ? tm_i_try_alloc((int64_t)nb + 1, sizeof(int32_t), TRUE,
                                           "market build offsets", error) : NULL;
    if (!toff)
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    if (!validate_side(TM_SIDE_SUPPLY, n_supply, n_demand, supply_capacity, supply_offsets,
                       supply_prefs, stamp, a_is_supply ? toff : NULL, error))
        goto fail;
    memset(stamp, 0xff, (size_t)n_max * sizeof(int32_t));
    if (!validate_side(TM_SIDE_DEMAND, n_demand, n_supply, demand_capacity, demand_offsets,
                       demand_prefs, stamp, a_is_supply ? NULL : toff, error))
        goto fail;
    g_clear_pointer(&stamp, g_free);
    if (!check_len(TM_SIDE_SUPPLY, n_supply, supply_offsets, supply_len, error) ||
        !check_len(TM_SIDE_DEMAND, n_demand, demand_offsets, demand_len, error) ||
        (supply_ranks && !validate_ranks(TM_SIDE_SUPPLY, n_supply, supply_offsets,
                                         supply_ranks, 0, error)) ||
        (demand_ranks && !validate_ranks(TM_SIDE_DEMAND, n_demand, demand_offsets,
                                         demand_ranks, 0, error)))
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
    if (!(S->cap = copy_caps(supply_capacity, n_supply, error)) ||
        !(D->cap = copy_caps(demand_capacity, n_demand, error)))
        goto fail;

    RawSide rs = {n_supply, supply_offsets, supply_prefs};
    RawSide rd = {n_demand, demand_offsets, demand_prefs};
    if (!(a_is_supply ? reduce(&rs, &rd, toff, S, D, &m->n_pairs, error)
                      : reduce(&rd, &rs, toff, D, S, &m->n_pairs, error)))
        goto fail;
    g_clear_pointer(&toff, g_free);
    if ((supply_ranks && !dense_ranks(S, supply_offsets, supply_prefs, supply_ranks, error)) ||
        (demand_ranks && !dense_ranks(D, demand_offsets, demand_prefs, demand_ranks, error)) ||
        !reverse_ranks(S, D, error) || !reverse_ranks(D, S, error))
        goto fail;
    return m;

fail:
    g_free(stamp);
    g_free(toff);
    if (m) {
        tm_i_side_data_clear(&m->side[0]);
        tm_i_side_data_clear(&m->side[1]);
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
        if (!validate_ranks(side, 1, one_list, ranks, agent, error))
            return FALSE;
    }
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
