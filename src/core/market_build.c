/* techmatch — market construction: validation, mutual-acceptability
 * reduction, the reverse positions beside each CSR entry, and ranks for
 * markets with ties.
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
#include "core/market_private.h"

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
static gboolean validate_side(TmSide side, int32_t n, int32_t n_other, const int32_t *cap,
                              const int32_t *off, const int32_t *prefs, int32_t *stamp,
                              int32_t *count, GError **error)
{
    const char *name = tm_i_side_name(side);
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
                            name, a, e - off[a], tm_i_side_name(TM_SIDE_OTHER(side)), b, n_other);
                return FALSE;
            }
            if (stamp[b] == a) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " names %s agent %" G_GINT32_FORMAT " a second time",
                            name, a, e - off[a], tm_i_side_name(TM_SIDE_OTHER(side)), b);
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
    /* When the build owns the prefs array (tm_market_new_take_arrays(), a
     * side without ranks): the caller's pointer to it, which reduce() sets to
     * NULL once it has freed the array or made it the market's own; else NULL. */
    int32_t **take;
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
    if (B->take && *B->take) { /* B's raw lists are done with */
        g_free(*B->take);
        *B->take = NULL;
    }

    /* 4. reduce A's lists; goff[g] serves as g's cursor again.  An owned
     * A array becomes SA->ids in place: entry k is written after entry
     * e >= k was read. */
    gboolean adopted = FALSE;
    if (A->take && *A->take) {
        SA->ids = *A->take;
        *A->take = NULL;
        adopted = TRUE;
    } else if (!(SA->ids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "preference lists", error)))
        goto out;
    if (!(SA->rpos = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "reverse ranks", error)))
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
    if (adopted)
        shrink(&SA->ids, la, L);
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
gboolean tm_i_market_validate_ranks(TmSide side, int32_t n, const int32_t *off, const int32_t *ranks,
                               int32_t agent0, GError **error)
{
    for (int32_t a = 0; a < n; a++) {
        for (int32_t e = off[a]; e < off[a + 1]; e++) {
            if (ranks[e] < 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has a negative rank (%" G_GINT32_FORMAT ")",
                            tm_i_side_name(side), agent0 + a, e - off[a], ranks[e]);
                return FALSE;
            }
            if (e > off[a] && ranks[e] < ranks[e - 1]) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has rank %" G_GINT32_FORMAT " after rank %" G_GINT32_FORMAT
                            " (lists are best first: ranks must not decrease)",
                            tm_i_side_name(side), agent0 + a, e - off[a], ranks[e], ranks[e - 1]);
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
                    G_GINT32_FORMAT, tm_i_side_name(side), len, off[n]);
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

static TmMarket *build(int32_t n_supply, int32_t n_demand, const int32_t *supply_capacity,
                       const int32_t *demand_capacity, const int32_t *supply_offsets,
                       const int32_t *supply_ids, const int32_t *supply_ranks,
                       int64_t supply_len, const int32_t *demand_offsets,
                       const int32_t *demand_ids, const int32_t *demand_ranks,
                       int64_t demand_len, int32_t **take_supply, int32_t **take_demand,
                       GError **error);

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
    return build(n_supply, n_demand, supply_capacity, demand_capacity, supply_offsets,
                 supply_ids, supply_ranks, supply_len, demand_offsets, demand_ids, demand_ranks,
                 demand_len, NULL, NULL, error);
}

static TmMarket *build(int32_t n_supply, int32_t n_demand, const int32_t *supply_capacity,
                       const int32_t *demand_capacity, const int32_t *supply_offsets,
                       const int32_t *supply_ids, const int32_t *supply_ranks,
                       int64_t supply_len, const int32_t *demand_offsets,
                       const int32_t *demand_ids, const int32_t *demand_ranks,
                       int64_t demand_len, int32_t **take_supply, int32_t **take_demand,
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
    /* the lengths first: entries beyond them must not be read */
    if (!check_len(TM_SIDE_SUPPLY, n_supply, supply_offsets, supply_len, error) ||
        !check_len(TM_SIDE_DEMAND, n_demand, demand_offsets, demand_len, error))
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
    if ((supply_ranks && !tm_i_market_validate_ranks(TM_SIDE_SUPPLY, n_supply, supply_offsets,
                                         supply_ranks, 0, error)) ||
        (demand_ranks && !tm_i_market_validate_ranks(TM_SIDE_DEMAND, n_demand, demand_offsets,
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

    /* an owned side without ranks: its raw lists are not read after reduce() */
    RawSide rs = {n_supply, supply_offsets, supply_prefs, supply_ranks ? NULL : take_supply};
    RawSide rd = {n_demand, demand_offsets, demand_prefs, demand_ranks ? NULL : take_demand};
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


TmMarket *tm_market_new_take_arrays(int32_t n_supply, int32_t n_demand, int32_t *supply_capacity,
                                    int32_t *demand_capacity, int32_t *supply_offsets,
                                    int32_t *supply_ids, int32_t *supply_ranks,
                                    int32_t *demand_offsets, int32_t *demand_ids,
                                    int32_t *demand_ranks, GError **error)
{
    TmMarket *m = build(n_supply, n_demand, supply_capacity, demand_capacity, supply_offsets,
                        supply_ids, supply_ranks, -1, demand_offsets, demand_ids, demand_ranks,
                        -1, &supply_ids, &demand_ids, error);
    g_free(supply_capacity);
    g_free(demand_capacity);
    g_free(supply_offsets);
    g_free(supply_ids);
    g_free(supply_ranks);
    g_free(demand_offsets);
    g_free(demand_ids);
    g_free(demand_ranks);
    return m;
}
