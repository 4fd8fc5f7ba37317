/* techmatch — breaking ties: a strict copy of a market with ties, and moving
 * a matching back onto the original market (ties_private.h). */
#include "core/ties_private.h"
#include "util/rng.h"

/* Reorders each tie of one side in @ids (a copy of the side's ids): kept in
 * place (position order) or shuffled by Fisher–Yates from a stream that
 * depends only on (@seed, side, agent). */
static void break_side(const TmSideData *sd, int side, gboolean random, uint64_t seed,
                       int32_t *ids)
{
    if (!random || sd->rank == NULL)
        return;
    for (int32_t a = 0; a < sd->n; a++) {
        uint64_t st = tm_i_mix3(seed, (uint64_t)side, (uint64_t)a);
        for (int64_t b = sd->off[a]; b < sd->off[a + 1];) {
            int64_t e = b + 1;
            while (e < sd->off[a + 1] && sd->rank[e] == sd->rank[b])
                e++;
            for (int64_t i = e - 1; i > b; i--) { /* shuffle [b, e) */
                int64_t j = b + (int64_t)(tm_i_splitmix64(&st) % (uint64_t)(i - b + 1));
                int32_t t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
            b = e;
        }
    }
}

TmMarket *tm_i_market_break_ties(const TmMarket *market, gboolean random, uint64_t seed,
                                 GError **error)
{
    const TmSideData *S = &market->side[TM_SIDE_SUPPLY], *D = &market->side[TM_SIDE_DEMAND];
    const int64_t L = market->n_pairs;
    int32_t *sids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "tie breaking", error);
    int32_t *dids = sids ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "tie breaking", error)
                         : NULL;
    TmMarket *strict = NULL;
    if (dids != NULL) {
        memcpy(sids, S->ids, (size_t)L * sizeof(int32_t));
        memcpy(dids, D->ids, (size_t)L * sizeof(int32_t));
        break_side(S, TM_SIDE_SUPPLY, random, seed, sids);
        break_side(D, TM_SIDE_DEMAND, random, seed, dids);
        strict = tm_market_new_from_arrays(S->n, D->n, S->cap, D->cap, S->off, sids, D->off,
                                           dids, error);
    }
    g_free(sids);
    g_free(dids);
    return strict;
}

TmMatching *tm_i_matching_rebase(TmMarket *market, const TmMatching *mt, GError **error)
{
    const int64_t n = mt->n_pairs;
    int32_t *s = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error);
    int32_t *d = s ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error) : NULL;
    TmMatching *out = NULL;
    if (d != NULL && tm_matching_get_pairs(mt, s, d, n, error))
        out = tm_i_matching_build(market, s, d, NULL, NULL, n, mt->proposals, error);
    g_free(s);
    g_free(d);
    return out;
}
