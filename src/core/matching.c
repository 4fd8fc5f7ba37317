/* techmatch — matchings: construction, accessors, statistics and the audit
 * (blocking pairs and rule violations) for any matching. */
#include "core/internal.h"

#include <string.h>

void tm_matching_free(TmMatching *mt)
{
    if (mt == NULL)
        return;
    for (int s = 0; s < 2; s++) {
        g_free(mt->side[s].off);
        g_free(mt->side[s].ids);
        g_free(mt->side[s].prank);
    }
    tm_market_free(mt->market);
    g_free(mt);
}

/* Sort key of a partner: acceptable ones by rank, then unacceptable by id. */
static inline int64_t partner_key(int32_t rank, int32_t id)
{
    return rank >= 0 ? (int64_t)rank : (int64_t)G_MAXINT32 + id;
}

static gboolean sort_partners(int32_t *ids, int32_t *prank, int32_t n, GError **error)
{
    /* insertion sort: lists are at most the agent's capacity, usually tiny */
    if (n <= 32) {
        for (int32_t i = 1; i < n; i++) {
            int32_t id = ids[i], rk = prank[i];
            int64_t key = partner_key(rk, id);
            int32_t j = i - 1;
            while (j >= 0 && partner_key(prank[j], ids[j]) > key) {
                ids[j + 1] = ids[j];
                prank[j + 1] = prank[j];
                j--;
            }
            ids[j + 1] = id;
            prank[j + 1] = rk;
        }
        return TRUE;
    }
    /* larger lists: sort packed (key, id) pairs */
    int64_t *keys = tm_i_try_alloc(n, sizeof(int64_t), FALSE, "matching scratch", error);
    if (keys == NULL)
        return FALSE;
    for (int32_t i = 0; i < n; i++)
        keys[i] = partner_key(prank[i], ids[i]);
    /* shell sort keeps this allocation-light and is fine for one agent's list */
    for (int32_t gap = n / 2; gap > 0; gap /= 2) {
        for (int32_t i = gap; i < n; i++) {
            int64_t k = keys[i];
            int32_t id = ids[i], rk = prank[i];
            int32_t j = i;
            while (j >= gap && keys[j - gap] > k) {
                keys[j] = keys[j - gap];
                ids[j] = ids[j - gap];
                prank[j] = prank[j - gap];
                j -= gap;
            }
            keys[j] = k;
            ids[j] = id;
            prank[j] = rk;
        }
    }
    g_free(keys);
    return TRUE;
}

/* Fills one side of @mt from pairs: owner[i] holds partner other[i] with rank
 * rank[i] (or, when @rank is NULL, the rank is looked up in the market). */
static gboolean fill_side(TmMatching *mt, TmSide side, const int32_t *owner,
                          const int32_t *other, const int32_t *rank, int64_t n_pairs,
                          GError **error)
{
    const TmSideData *sd = &mt->market->side[side];
    TmMatchSide *ms = &mt->side[side];
    int32_t n = sd->n;
    if (!(ms->off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), TRUE, "matching offsets", error)) ||
        !(ms->ids = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "matching partners", error)) ||
        !(ms->prank = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "matching ranks", error)))
        return FALSE;
    for (int64_t i = 0; i < n_pairs; i++)
        ms->off[owner[i] + 1]++;
    for (int32_t a = 0; a < n; a++)
        ms->off[a + 1] += ms->off[a];
    for (int64_t i = 0; i < n_pairs; i++) {
        int32_t slot = ms->off[owner[i]]++;
        ms->ids[slot] = other[i];
        ms->prank[slot] = rank ? rank[i] : -1;
    }
    for (int32_t a = n; a > 0; a--)
        ms->off[a] = ms->off[a - 1];
    ms->off[0] = 0;

    if (rank == NULL) {
        /* look ranks up: stamp each agent's partners, walk its list once */
        int32_t n_other = mt->market->side[TM_SIDE_OTHER(side)].n;
        int32_t *where = tm_i_try_alloc(n_other, sizeof(int32_t), FALSE, "matching scratch", error);
        if (where == NULL)
            return FALSE;
        memset(where, 0xff, (size_t)n_other * sizeof(int32_t));
        for (int32_t a = 0; a < n; a++) {
            if (ms->off[a] == ms->off[a + 1])
                continue;
            for (int32_t j = ms->off[a]; j < ms->off[a + 1]; j++)
                where[ms->ids[j]] = j;
            for (int32_t e = sd->off[a]; e < sd->off[a + 1]; e++) {
                int32_t j = where[sd->ids[e]];
                if (j >= ms->off[a] && j < ms->off[a + 1] && ms->ids[j] == sd->ids[e])
                    ms->prank[j] = tm_i_rank(sd, a, e);
            }
            for (int32_t j = ms->off[a]; j < ms->off[a + 1]; j++)
                where[ms->ids[j]] = -1;
        }
        g_free(where);
    }
    for (int32_t a = 0; a < n; a++)
        if (!sort_partners(ms->ids + ms->off[a], ms->prank + ms->off[a],
                           ms->off[a + 1] - ms->off[a], error))
            return FALSE;
    return TRUE;
}

TmMatching *tm_i_matching_build(TmMarket *market, const int32_t *supply, const int32_t *demand,
                                const int32_t *supply_rank, const int32_t *demand_rank,
                                int64_t n_pairs, int64_t proposals, GError **error)
{
    TmMatching *mt = g_try_new0(TmMatching, 1);
    if (mt == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate matching");
        return NULL;
    }
    mt->market = tm_market_ref(market);
    mt->n_pairs = n_pairs;
    mt->proposals = proposals;
    if (!fill_side(mt, TM_SIDE_SUPPLY, supply, demand, supply_rank, n_pairs, error) ||
        !fill_side(mt, TM_SIDE_DEMAND, demand, supply, demand_rank, n_pairs, error)) {
        tm_matching_free(mt);
        return NULL;
    }
    return mt;
}

/* Refuses a pair given twice, wherever the copies are: the pairs bucketed by
 * supply agent, each bucket's demand ids stamped with that agent.  O(pairs + n). */
static gboolean no_duplicate_pairs(const TmMarket *market, const int32_t *supply,
                                   const int32_t *demand, int64_t n_pairs, GError **error)
{
    const int32_t ns = market->side[TM_SIDE_SUPPLY].n, nd = market->side[TM_SIDE_DEMAND].n;
    int32_t *off = tm_i_try_alloc((int64_t)ns + 1, sizeof(int32_t), TRUE, "pair check", error);
    int32_t *idx = off ? tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "pair check", error)
                       : NULL;
    int32_t *stamp = idx ? tm_i_try_alloc(nd, sizeof(int32_t), FALSE, "pair check", error)
                         : NULL;
    gboolean ok = stamp != NULL;
    if (ok) {
        for (int64_t i = 0; i < n_pairs; i++)
            off[supply[i] + 1]++;
        for (int32_t a = 0; a < ns; a++)
            off[a + 1] += off[a];
        for (int64_t i = 0; i < n_pairs; i++)
            idx[off[supply[i]]++] = (int32_t)i; /* pair order kept in each bucket */
        memset(stamp, 0xff, (size_t)nd * sizeof(int32_t));
    }
    for (int32_t a = 0, lo = 0; ok && a < ns; lo = off[a], a++) {
        for (int32_t j = lo; ok && j < off[a]; j++) {
            int32_t d = demand[idx[j]];
            if (stamp[d] == a) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "pair %d (supply %" G_GINT32_FORMAT ", demand %" G_GINT32_FORMAT
                            ") appears more than once", idx[j], a, d);
                ok = FALSE;
            }
            stamp[d] = a;
        }
    }
    g_free(off);
    g_free(idx);
    g_free(stamp);
    return ok;
}

TmMatching *tm_matching_new_from_pairs(TmMarket *market, const int32_t *supply,
                                       const int32_t *demand, int64_t n_pairs, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (market == NULL || n_pairs < 0 || (n_pairs > 0 && (supply == NULL || demand == NULL))) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_matching_new_from_pairs: %s",
                    market == NULL ? "market must not be NULL"
                    : n_pairs < 0  ? "pair count must be >= 0"
                                   : "pair arrays must not be NULL");
        return NULL;
    }
    if (n_pairs > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%" G_GINT64_FORMAT " pairs exceed the limit of %" G_GINT32_FORMAT,
                    n_pairs, G_MAXINT32);
        return NULL;
    }
    int32_t ns = market->side[TM_SIDE_SUPPLY].n, nd = market->side[TM_SIDE_DEMAND].n;
    for (int64_t i = 0; i < n_pairs; i++) {
        if (supply[i] < 0 || supply[i] >= ns || demand[i] < 0 || demand[i] >= nd) {
            gboolean bad_s = supply[i] < 0 || supply[i] >= ns;
            g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                        "pair %" G_GINT64_FORMAT ": %s agent %" G_GINT32_FORMAT
                        " is outside [0, %" G_GINT32_FORMAT ")", i, bad_s ? "supply" : "demand",
                        bad_s ? supply[i] : demand[i], bad_s ? ns : nd);
            return NULL;
        }
    }
    if (!no_duplicate_pairs(market, supply, demand, n_pairs, error))
        return NULL;
    return tm_i_matching_build(market, supply, demand, NULL, NULL, n_pairs, 0, error);
}

TmMarket *tm_matching_market(const TmMatching *mt)
{
    return mt ? mt->market : NULL;
}

int64_t tm_matching_n_pairs(const TmMatching *mt)
{
    return mt ? mt->n_pairs : 0;
}

int64_t tm_matching_n_proposals(const TmMatching *mt)
{
    return mt ? mt->proposals : 0;
}

static gboolean pairs_buffer_ok(const TmMatching *mt, const char *fn, gboolean have_buffers,
                                int64_t capacity, GError **error)
{
    if (mt == NULL || (mt->n_pairs > 0 && !have_buffers)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: NULL argument", fn);
        return FALSE;
    }
    if (capacity < mt->n_pairs) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: buffers of %" G_GINT64_FORMAT " entries are too small (%" G_GINT64_FORMAT
                    " pairs)", fn, capacity, mt->n_pairs);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_matching_get_pair_ranks(const TmMatching *mt, int32_t *supply_rank_out,
                                    int32_t *demand_rank_out, int64_t capacity, GError **error)
{
    if (!pairs_buffer_ok(mt, "tm_matching_get_pair_ranks",
                         supply_rank_out != NULL && demand_rank_out != NULL, capacity, error))
        return FALSE;
    if (supply_rank_out == NULL || demand_rank_out == NULL)
        return TRUE; /* allowed only when there are no pairs */
    const TmMatchSide *ms = &mt->side[TM_SIDE_SUPPLY], *md = &mt->side[TM_SIDE_DEMAND];
    int32_t ns = mt->market->side[TM_SIDE_SUPPLY].n;
    for (int32_t s = 0; s < ns; s++) {
        for (int32_t j = ms->off[s]; j < ms->off[s + 1]; j++) {
            supply_rank_out[j] = ms->prank[j];
            /* the demand agent's rank of s: look s up among d's partners */
            int32_t d = ms->ids[j], r = -1;
            for (int32_t k = md->off[d]; k < md->off[d + 1]; k++)
                if (md->ids[k] == s) {
                    r = md->prank[k];
                    break;
                }
            demand_rank_out[j] = r;
        }
    }
    return TRUE;
}

gboolean tm_matching_get_partners(const TmMatching *mt, TmSide side, int32_t *offsets,
                                  int64_t offsets_capacity, int32_t *partners, int32_t *ranks,
                                  int64_t capacity, GError **error)
{
    if (mt == NULL || !tm_i_side_ok(side)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_matching_get_partners: NULL matching or invalid side");
        return FALSE;
    }
    int32_t n = mt->market->side[side].n;
    if (offsets && offsets_capacity < (int64_t)n + 1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_matching_get_partners: offsets buffer of %" G_GINT64_FORMAT
                    " entries is too small (%" G_GINT64_FORMAT " needed)", offsets_capacity,
                    (int64_t)n + 1);
        return FALSE;
    }
    if ((partners || ranks) && !pairs_buffer_ok(mt, "tm_matching_get_partners", TRUE, capacity,
                                                error))
        return FALSE;
    const TmMatchSide *ms = &mt->side[side];
    if (offsets)
        memcpy(offsets, ms->off, ((size_t)n + 1) * sizeof(int32_t));
    if (partners && mt->n_pairs > 0)
        memcpy(partners, ms->ids, (size_t)mt->n_pairs * sizeof(int32_t));
    if (ranks && mt->n_pairs > 0)
        memcpy(ranks, ms->prank, (size_t)mt->n_pairs * sizeof(int32_t));
    return TRUE;
}

gboolean tm_matching_get_pairs(const TmMatching *mt, int32_t *supply_out, int32_t *demand_out,
                               int64_t capacity, GError **error)
{
    if (!pairs_buffer_ok(mt, "tm_matching_get_pairs", supply_out != NULL && demand_out != NULL,
                         capacity, error))
        return FALSE;
    if (supply_out == NULL || demand_out == NULL)
        return TRUE; /* allowed only when there are no pairs */
    const TmMatchSide *ms = &mt->side[TM_SIDE_SUPPLY];
    int32_t ns = mt->market->side[TM_SIDE_SUPPLY].n;
    for (int32_t s = 0; s < ns; s++) {
        for (int32_t j = ms->off[s]; j < ms->off[s + 1]; j++) {
            supply_out[j] = s;
            demand_out[j] = ms->ids[j];
        }
    }
    return TRUE;
}

const int32_t *tm_matching_partners(const TmMatching *mt, TmSide side, int32_t agent,
                                    int32_t *n)
{
    if (n)
        *n = 0;
    if (mt == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= mt->market->side[side].n)
        return NULL;
    const TmMatchSide *ms = &mt->side[side];
    int32_t k = ms->off[agent + 1] - ms->off[agent];
    if (n)
        *n = k;
    return k > 0 ? ms->ids + ms->off[agent] : NULL;
}

int32_t tm_matching_n_partners(const TmMatching *mt, TmSide side, int32_t agent)
{
    if (mt == NULL || !tm_i_side_ok(side) || agent < 0 || agent >= mt->market->side[side].n)
        return -1;
    return mt->side[side].off[agent + 1] - mt->side[side].off[agent];
}

/* ---- statistics -------------------------------------------------------- */

static int32_t max_list_len(const TmSideData *sd)
{
    int32_t mx = 0;
    for (int32_t a = 0; a < sd->n; a++)
        mx = MAX(mx, sd->off[a + 1] - sd->off[a]);
    return mx;
}

gboolean tm_matching_rank_histogram(const TmMatching *mt, TmSide side, int64_t *counts,
                                    int32_t n_counts, GError **error)
{
    if (mt == NULL || !tm_i_side_ok(side) || n_counts < 0 || (n_counts > 0 && counts == NULL)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_matching_rank_histogram: bad argument");
        return FALSE;
    }
    if (n_counts > 0)
        memset(counts, 0, (size_t)n_counts * sizeof(int64_t));
    const TmMatchSide *ms = &mt->side[side];
    for (int64_t j = 0; j < mt->n_pairs; j++)
        if (ms->prank[j] >= 0 && ms->prank[j] < n_counts)
            counts[ms->prank[j]]++;
    return TRUE;
}

gboolean tm_matching_get_stats(const TmMatching *mt, TmMatchingStats *stats, GError **error)
{
    if (mt == NULL || stats == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_matching_get_stats: NULL argument");
        return FALSE;
    }
    memset(stats, 0, sizeof *stats);
    stats->pairs = mt->n_pairs;
    stats->proposals = mt->proposals;
    for (int s = 0; s < 2; s++) {
        const TmSideData *sd = &mt->market->side[s];
        const TmMatchSide *ms = &mt->side[s];
        TmSideStats *st = &stats->side[s];
        st->agents = sd->n;
        st->dropped_entries = sd->dropped;
        for (int32_t a = 0; a < sd->n; a++) {
            int32_t k = ms->off[a + 1] - ms->off[a];
            st->seats += sd->cap[a];
            st->filled_seats += MIN(k, sd->cap[a]);
            if (k > 0)
                st->matched_agents++;
        }
        int32_t n_ranks = max_list_len(sd);
        int64_t *hist = tm_i_try_alloc(n_ranks, sizeof(int64_t), TRUE, "rank histogram", error);
        if (hist == NULL)
            return FALSE;
        int64_t total = 0;
        double sum = 0;
        st->rank_max = -1;
        for (int64_t j = 0; j < mt->n_pairs; j++) {
            int32_t r = ms->prank[j];
            if (r < 0)
                continue;
            hist[r]++;
            total++;
            sum += r;
            st->rank_max = MAX(st->rank_max, r);
        }
        if (total > 0) {
            st->rank_mean = sum / (double)total;
            /* median: element(s) at 0-based positions (total-1)/2 and total/2 */
            int64_t lo = (total - 1) / 2, hi = total / 2, seen = 0;
            int32_t rlo = -1, rhi = -1;
            for (int32_t r = 0; r < n_ranks && rhi < 0; r++) {
                seen += hist[r];
                if (rlo < 0 && seen > lo)
                    rlo = r;
                if (seen > hi)
                    rhi = r;
            }
            st->rank_median = (rlo + rhi) / 2.0;
        }
        g_free(hist);
    }
    return TRUE;
}

/* ---- audit -------------------------------------------------------------- */

gboolean tm_i_verdict_add_blocking(TmVerdict *v, int64_t cap[2], int32_t s, int32_t d,
                                   GError **error)
{
    const int64_t need = v->n_blocking + 1;
    if (!tm_i_reserve((void **)&v->bs, &cap[0], need, sizeof(int32_t), "blocking pairs", error) ||
        !tm_i_reserve((void **)&v->bd, &cap[1], need, sizeof(int32_t), "blocking pairs", error))
        return FALSE;
    v->bs[v->n_blocking] = s;
    v->bd[v->n_blocking] = d;
    v->n_blocking++;
    return TRUE;
}

void tm_verdict_free(TmVerdict *v)
{
    if (v == NULL)
        return;
    g_free(v->bs);
    g_free(v->bd);
    g_free(v->violations.v);
    g_free(v);
}

/* Threshold rank for each agent of @side: the agent would take any acceptable
 * partner it ranks strictly below this value (see matching.h). */
static int32_t *thresholds(const TmMatching *mt, TmSide side, GError **error)
{
    const TmSideData *sd = &mt->market->side[side];
    const TmMatchSide *ms = &mt->side[side];
    int32_t *thr = tm_i_try_alloc(sd->n, sizeof(int32_t), FALSE, "audit thresholds", error);
    if (thr == NULL)
        return NULL;
    for (int32_t a = 0; a < sd->n; a++) {
        int32_t k = ms->off[a + 1] - ms->off[a];
        if (k < sd->cap[a]) {
            thr[a] = G_MAXINT32;
            continue;
        }
        int32_t worst = -1;
        for (int32_t j = ms->off[a]; j < ms->off[a + 1]; j++)
            worst = ms->prank[j] < 0 ? G_MAXINT32 : MAX(worst, ms->prank[j]);
        thr[a] = worst;
    }
    return thr;
}

/* How much an agent with threshold @thr gains from a partner it ranks @rank:
 * 2 strictly, 1 weakly (a tie with its worst partner), 0 not at all. */
static inline int gain(int32_t rank, int32_t thr)
{
    return rank < thr ? 2 : rank == thr ? 1 : 0;
}

/* Whether gains @gs and @gd make a blocking pair under @stability. */
static inline gboolean blocks(TmStability stability, int gs, int gd)
{
    switch (stability) {
    case TM_STABILITY_WEAK:
        return gs == 2 && gd == 2;
    case TM_STABILITY_STRONG:
        return gs >= 1 && gd >= 1 && (gs == 2 || gd == 2);
    default:
        return gs >= 1 && gd >= 1;
    }
}

TmVerdict *tm_matching_check(const TmMatching *mt, GError **error)
{
    return tm_matching_check_stability(mt, TM_STABILITY_WEAK, error);
}

TmVerdict *tm_matching_check_stability(const TmMatching *mt, TmStability stability,
                                       GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (mt == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_matching_check: matching must not be NULL");
        return NULL;
    }
    if (stability != TM_STABILITY_WEAK && stability != TM_STABILITY_STRONG &&
        stability != TM_STABILITY_SUPER) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_matching_check_stability: unknown stability %d", (int)stability);
        return NULL;
    }
    const TmMarket *m = mt->market;
    const TmSideData *S = &m->side[TM_SIDE_SUPPLY];
    const TmSideData *D = &m->side[TM_SIDE_DEMAND];
    const TmMatchSide *MS = &mt->side[TM_SIDE_SUPPLY];
    TmVerdict *v = g_try_new0(TmVerdict, 1);
    int32_t *thr_s = NULL, *thr_d = NULL, *mark = NULL;
    int64_t bcap[2] = {0, 0};
    if (v == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate verdict");
        return NULL;
    }
    v->violations = (TmIBuf)TM_I_BUF_INIT(TmViolation);

    /* violations: over capacity (supply then demand), then unacceptable pairs */
    for (int s = 0; s < 2; s++) {
        const TmSideData *sd = &m->side[s];
        for (int32_t a = 0; a < sd->n; a++) {
            int32_t k = mt->side[s].off[a + 1] - mt->side[s].off[a];
            if (k > sd->cap[a]) {
                TmViolation x = {TM_VIOLATION_OVER_CAPACITY, (TmSide)s, a, k, sd->cap[a], -1, -1};
                if (!tm_i_buf_push(&v->violations, &x, "audit violations", error))
                    goto fail;
            }
        }
    }
    for (int32_t s = 0; s < S->n; s++) {
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++) {
            if (MS->prank[j] < 0) {
                TmViolation x = {TM_VIOLATION_UNACCEPTABLE, (TmSide)-1, -1, -1, -1, s,
                                 MS->ids[j]};
                if (!tm_i_buf_push(&v->violations, &x, "audit violations", error))
                    goto fail;
            }
        }
    }

    if (!(thr_s = thresholds(mt, TM_SIDE_SUPPLY, error)) ||
        !(thr_d = thresholds(mt, TM_SIDE_DEMAND, error)) ||
        !(mark = tm_i_try_alloc(D->n, sizeof(int32_t), FALSE, "audit scratch", error)))
        goto fail;
    memset(mark, 0xff, (size_t)D->n * sizeof(int32_t));
    for (int32_t s = 0; s < S->n; s++) {
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            mark[MS->ids[j]] = s;
        for (int32_t e = S->off[s]; e < S->off[s + 1]; e++) {
            const int gs = gain(tm_i_rank(S, s, e), thr_s[s]);
            if (gs == 0 || (gs == 1 && stability == TM_STABILITY_WEAK))
                break; /* entries are in rank order: the rest gain s no more */
            int32_t d = S->ids[e];
            if (mark[d] == s || !blocks(stability, gs, gain(tm_i_rrank(S, e), thr_d[d])))
                continue;
            if (!tm_i_verdict_add_blocking(v, bcap, s, d, error))
                goto fail;
        }
    }
    g_free(thr_s);
    g_free(thr_d);
    g_free(mark);
    return v;

fail:
    g_free(thr_s);
    g_free(thr_d);
    g_free(mark);
    tm_verdict_free(v);
    return NULL;
}

gboolean tm_verdict_is_stable(const TmVerdict *v)
{
    return v != NULL && v->n_blocking == 0 && v->violations.n == 0;
}

int64_t tm_verdict_n_blocking_pairs(const TmVerdict *v)
{
    return v ? v->n_blocking : 0;
}

gboolean tm_verdict_blocking_pair(const TmVerdict *v, int64_t i, int32_t *supply,
                                  int32_t *demand)
{
    if (v == NULL || i < 0 || i >= v->n_blocking)
        return FALSE;
    if (supply)
        *supply = v->bs[i];
    if (demand)
        *demand = v->bd[i];
    return TRUE;
}

gboolean tm_verdict_get_blocking_pairs(const TmVerdict *v, int32_t *supply_out,
                                       int32_t *demand_out, int64_t capacity, GError **error)
{
    if (v == NULL || (v->n_blocking > 0 && (supply_out == NULL || demand_out == NULL)) ||
        capacity < v->n_blocking) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_verdict_get_blocking_pairs: %s",
                    v == NULL ? "verdict must not be NULL"
                    : capacity < v->n_blocking ? "buffers too small"
                                               : "buffers must not be NULL");
        return FALSE;
    }
    if (v->n_blocking > 0) {
        memcpy(supply_out, v->bs, (size_t)v->n_blocking * sizeof(int32_t));
        memcpy(demand_out, v->bd, (size_t)v->n_blocking * sizeof(int32_t));
    }
    return TRUE;
}

int64_t tm_verdict_n_violations(const TmVerdict *v)
{
    return v ? (int64_t)v->violations.n : 0;
}

const TmViolation *tm_verdict_violation(const TmVerdict *v, int64_t i)
{
    if (v == NULL || i < 0 || i >= (int64_t)v->violations.n)
        return NULL;
    return &tm_i_buf_at(&v->violations, TmViolation, i);
}

gboolean tm_matching_blocking_pairs(const TmMatching *mt, int32_t **supply, int32_t **demand,
                                    int64_t *n, GError **error)
{
    if (supply == NULL || demand == NULL || n == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_matching_blocking_pairs: NULL output argument");
        return FALSE;
    }
    *supply = *demand = NULL;
    *n = 0;
    TmVerdict *v = tm_matching_check(mt, error);
    if (v == NULL)
        return FALSE;
    *n = v->n_blocking;
    if (v->n_blocking > 0) {
        *supply = g_steal_pointer(&v->bs);
        *demand = g_steal_pointer(&v->bd);
    }
    tm_verdict_free(v);
    return TRUE;
}

gboolean tm_matching_is_stable(const TmMatching *mt, GError **error)
{
    TmVerdict *v = tm_matching_check(mt, error);
    gboolean ok = tm_verdict_is_stable(v);
    tm_verdict_free(v);
    return ok;
}
