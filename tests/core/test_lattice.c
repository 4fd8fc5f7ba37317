/* The lattice of stable matchings (lattice.h) against the brute-force oracle
 * (oracle.h), plus hand-checked and textbook instances.
 *
 * On random small markets — one-to-one and many-to-one with the capacities
 * on either side; complete lists, incomplete ones with one-sided entries,
 * and conflicting tastes that give many stable matchings — every instance
 * checks every feature:
 *   - the enumerated set equals the oracle's set (no repeats), its first
 *     element is the supply-optimal matching, every one passes
 *     tm_matching_check(); the iterator's and tm_lattice_count()'s limits;
 *   - the rotations: at least two pairs each, predecessors smaller and
 *     sorted, R + 1 <= number of stable matchings;
 *   - egalitarian, maximum weight (integer and fractional weights, negative
 *     too) and minimum regret: value equal to the oracle's optimum over its
 *     set, the matching returned in the set and with that value;
 *   - balanced: the matching in the set, its value its own gap, never below
 *     the optimum gap.
 */
#include "testutil.h"
#include "oracle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}

static int rng_int(Rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_chance(Rng *r, double p)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

static void rng_shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static const OrMarket *g_cur;

static void dump_current(void)
{
    const OrMarket *m = g_cur;
    if (m == NULL)
        return;
    print_error("---- failing instance: n_supply=%d n_demand=%d\n", m->n[0], m->n[1]);
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++) {
            char buf[256];
            int o = snprintf(buf, sizeof buf, "%s %d cap %d:", side ? "demand" : "supply", a,
                             m->cap[side][a]);
            for (int i = 0; i < m->len[side][a]; i++)
                o += snprintf(buf + o, sizeof buf - (size_t)o, " %d", m->list[side][a][i]);
            print_error("  %s\n", buf);
        }
}

#define EXPECT(cond, ...)                                                       \
    do {                                                                        \
        if (!(cond)) {                                                          \
            dump_current();                                                     \
            print_error(__VA_ARGS__);                                           \
            print_error("\n");                                                  \
            fail();                                                             \
        }                                                                       \
    } while (0)

#define EXPECT_OK(err)                                                          \
    do {                                                                        \
        if ((err) != NULL) {                                                    \
            dump_current();                                                     \
            print_error("unexpected error %d: %s\n", (err)->code, (err)->message); \
            g_clear_error(&(err));                                              \
            fail();                                                             \
        }                                                                       \
    } while (0)

/* ---- random markets ------------------------------------------------------ */

/* @capside: -1 one-to-one, else the side whose capacities may exceed 1. */
static void gen_market(Rng *r, int capside, OrMarket *m)
{
    memset(m, 0, sizeof *m);
    int mode = rng_int(r, 0, 4); /* 0 complete, 1 incomplete, 2-4 conflicting tastes */
    if (capside < 0) {
        m->n[0] = m->n[1] = mode >= 2 ? rng_int(r, 4, 7) : rng_int(r, 1, 6);
        if (rng_chance(r, 0.3))
            m->n[rng_int(r, 0, 1)] = rng_int(r, 0, 7);
    } else {
        int few = rng_int(r, mode >= 2 ? 2 : 1, 4), seats = 0;
        m->n[capside] = few;
        for (int a = 0; a < few; a++) {
            m->cap[capside][a] = rng_chance(r, 0.06) ? 0 : rng_int(r, 1, 3);
            seats += m->cap[capside][a];
        }
        int other = seats + rng_int(r, -1, 1);
        m->n[1 - capside] = MIN(OR_MAXN, MAX(1, other));
    }
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++)
            if (side != capside)
                m->cap[side][a] = rng_chance(r, 0.05) ? 0 : 1;
    int score[OR_MAXN][OR_MAXN];
    for (int s = 0; s < m->n[0]; s++)
        for (int d = 0; d < m->n[1]; d++)
            score[s][d] = rng_int(r, 0, 999);
    double keep = mode == 1 ? 0.55 + 0.4 * (double)rng_int(r, 0, 100) / 100.0
                            : (mode >= 3 ? 0.85 : 1.0);
    for (int side = 0; side < 2; side++) {
        int other = 1 - side;
        for (int a = 0; a < m->n[side]; a++) {
            int ids[OR_MAXN], key[OR_MAXN], k = 0;
            for (int b = 0; b < m->n[other]; b++)
                if (rng_chance(r, keep))
                    ids[k++] = b;
            rng_shuffle(r, ids, k);
            if (mode >= 2) { /* supply by score, demand against it, with noise */
                for (int i = 0; i < k; i++) {
                    int sc = side == 0 ? score[a][ids[i]] : 999 - score[ids[i]][a];
                    key[i] = sc + rng_int(r, 0, mode == 4 ? 30 : 200);
                }
                for (int i = 1; i < k; i++)
                    for (int j = i; j > 0 && key[j - 1] < key[j]; j--) {
                        int t = key[j];
                        key[j] = key[j - 1];
                        key[j - 1] = t;
                        t = ids[j];
                        ids[j] = ids[j - 1];
                        ids[j - 1] = t;
                    }
            }
            m->len[side][a] = k;
            memcpy(m->list[side][a], ids, (size_t)k * sizeof(int));
        }
    }
    assert_int_equal(or_market_prepare(m), 0);
}

static TmMarket *to_market(const OrMarket *m)
{
    int32_t off[2][OR_MAXN + 1], ids[2][OR_MAXP], cap[2][OR_MAXN];
    for (int side = 0; side < 2; side++) {
        off[side][0] = 0;
        for (int a = 0; a < m->n[side]; a++) {
            cap[side][a] = m->cap[side][a];
            for (int i = 0; i < m->len[side][a]; i++)
                ids[side][off[side][a] + i] = m->list[side][a][i];
            off[side][a + 1] = off[side][a] + m->len[side][a];
        }
    }
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_arrays(m->n[0], m->n[1], cap[0], cap[1], off[0], ids[0],
                                             off[1], ids[1], &err);
    EXPECT_OK(err);
    return mk;
}

/* ---- objectives by brute force over a mask ------------------------------- */

static long mask_cost(const OrMarket *m, OrMask x, long *srank, long *drank, int *regret)
{
    long a = 0, b = 0;
    int worst = -1;
    for (int p = 0; p < m->n_pairs; p++)
        if (x & ((OrMask)1 << p)) {
            int s = m->pair_s[p], d = m->pair_d[p];
            a += m->rank[0][s][d];
            b += m->rank[1][d][s];
            worst = MAX(worst, MAX(m->rank[0][s][d], m->rank[1][d][s]));
        }
    if (srank)
        *srank = a;
    if (drank)
        *drank = b;
    if (regret)
        *regret = worst;
    return a + b;
}

static double mask_weight(const OrMarket *m, OrMask x, const double *w)
{
    double t = 0;
    for (int p = 0; p < m->n_pairs; p++)
        if (x & ((OrMask)1 << p))
            t += w[p]; /* pair index order = the supply side's reduced lists */
    return t;
}

static OrMask pairs_mask(const OrMarket *m, const int32_t *s, const int32_t *d, int64_t n)
{
    OrMask x = 0;
    for (int64_t i = 0; i < n; i++) {
        int p = m->pair_index[s[i]][d[i]];
        EXPECT(p >= 0, "pair (%d, %d) is not acceptable", s[i], d[i]);
        EXPECT(!(x & ((OrMask)1 << p)), "pair (%d, %d) twice", s[i], d[i]);
        x |= (OrMask)1 << p;
    }
    return x;
}

static OrMask matching_mask(const OrMarket *m, const TmMatching *mt)
{
    int64_t n = tm_matching_n_pairs(mt);
    int32_t s[OR_MAXP], d[OR_MAXP];
    GError *err = NULL;
    EXPECT(tm_matching_get_pairs(mt, s, d, OR_MAXP, &err), "get_pairs");
    EXPECT_OK(err);
    EXPECT(tm_matching_is_stable(mt, &err), "a returned matching is not stable");
    EXPECT_OK(err);
    return pairs_mask(m, s, d, n);
}

static int in_set(const OrMask *set, size_t n, OrMask x)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == x)
            return 1;
    return 0;
}

static int cmp_mask(const void *a, const void *b)
{
    OrMask x = *(const OrMask *)a, y = *(const OrMask *)b;
    return (x > y) - (x < y);
}

typedef struct {
    long instances, multi, max_stable, rotations, incomplete, cap_supply, cap_demand;
} Counters;

static Counters g_n;

/* ---- the check of one instance ------------------------------------------- */

static void check_rotations(const TmLattice *lat, size_t n_stable)
{
    GError *err = NULL;
    int32_t R = tm_lattice_n_rotations(lat);
    EXPECT(R >= 0 && (size_t)R + 1 <= n_stable, "%d rotations, %zu stable matchings", R,
           n_stable);
    for (int32_t r = 0; r < R; r++) {
        int32_t len, s[OR_MAXP], d[OR_MAXP], pred[OR_MAXP], np;
        EXPECT(tm_lattice_rotation(lat, r, s, d, OR_MAXP, &len, &err), "rotation %d", r);
        EXPECT_OK(err);
        EXPECT(len >= 2, "rotation %d has %d pairs", r, len);
        EXPECT(tm_lattice_rotation_predecessors(lat, r, pred, OR_MAXP, &np, &err), "preds");
        EXPECT_OK(err);
        for (int32_t i = 0; i < np; i++)
            EXPECT(pred[i] < r && (i == 0 || pred[i - 1] < pred[i]), "predecessors of %d", r);
    }
    g_n.rotations += R;
}

static void check_enumeration(const OrMarket *m, TmMarket *mk, TmLattice *lat, Rng *rng,
                              OrMask *set, size_t n)
{
    GError *err = NULL;
    OrMask top;
    assert_true(or_side_optimal(m, 0, set, n, &top));
    TmStableIter *it = tm_lattice_enumerate(lat, 0, &err);
    EXPECT_OK(err);
    OrMask *got = g_new(OrMask, n + 1);
    size_t k = 0;
    int64_t np = tm_lattice_n_pairs(lat);
    int32_t s[OR_MAXP], d[OR_MAXP];
    while (tm_stable_iter_next(it, s, d, OR_MAXP, &err)) {
        EXPECT(k < n, "more stable matchings than the oracle's %zu", n);
        for (int64_t i = 1; i < np; i++)
            EXPECT(s[i - 1] < s[i] || (s[i - 1] == s[i] && m->rank[0][s[i]][d[i - 1]] <
                                                                m->rank[0][s[i]][d[i]]),
                   "pairs out of order");
        got[k] = pairs_mask(m, s, d, np);
        EXPECT(k > 0 || got[0] == top, "the first matching is not supply-optimal");
        TmMatching *mt = tm_matching_new_from_pairs(mk, s, d, np, &err);
        EXPECT_OK(err);
        TmVerdict *v = tm_matching_check(mt, &err);
        EXPECT_OK(err);
        EXPECT(tm_verdict_is_stable(v), "enumerated matching %zu is not stable", k);
        tm_verdict_free(v);
        tm_matching_free(mt);
        k++;
    }
    EXPECT_OK(err);
    EXPECT(k == n, "enumerated %zu stable matchings, the oracle %zu", k, n);
    EXPECT(tm_stable_iter_count(it) == (int64_t)n, "iterator count");
    EXPECT(!tm_stable_iter_next(it, s, d, OR_MAXP, &err), "next after the end");
    EXPECT_OK(err);
    tm_stable_iter_free(it);
    qsort(got, k, sizeof *got, cmp_mask);
    for (size_t i = 0; i < n; i++)
        EXPECT(got[i] == set[i], "enumerated set differs from the oracle's at %zu", i);
    g_free(got);

    gboolean complete = FALSE;
    EXPECT(tm_lattice_count(lat, 0, &complete) == (int64_t)n && complete, "count");
    int64_t lim = rng_int(rng, 1, (int)n + 1);
    int64_t c = tm_lattice_count(lat, lim, &complete);
    EXPECT(c == MIN(lim, (int64_t)n) && complete == (lim >= (int64_t)n),
           "count with limit %ld: %ld, complete %d (of %zu)", (long)lim, (long)c, complete, n);
    it = tm_lattice_enumerate(lat, lim, &err);
    EXPECT_OK(err);
    int64_t seen = 0;
    while (tm_stable_iter_next(it, s, d, OR_MAXP, &err))
        seen++;
    EXPECT_OK(err);
    EXPECT(seen == MIN(lim, (int64_t)n), "iterator with limit %ld gave %ld", (long)lim,
           (long)seen);
    tm_stable_iter_free(it);
}

/* The closures (egalitarian, maximum weight) are the smallest optimal ones
 * (the minimum cut's source side with the fewest rotations, which the
 * reductions before the flow keep): of the optimal stable matchings, the one
 * every supply agent weakly prefers to all the others.  @opt[i]: set[i] is
 * optimal. */
static void expect_supply_best(const OrMarket *m, const OrMask *set, const int *opt, size_t n,
                               OrMask got, const char *what)
{
    OrMask *best_set = g_new(OrMask, n), best = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (opt[i])
            best_set[k++] = set[i];
    EXPECT(k > 0 && or_side_optimal(m, 0, best_set, k, &best) && best == got,
           "%s: not the supply-best of the %zu optimal stable matchings", what, k);
    g_free(best_set);
}

static void check_objectives(const OrMarket *m, TmLattice *lat, Rng *rng, const OrMask *set,
                             size_t n)
{
    int *opt = g_new(int, n);
    GError *err = NULL;
    long best_cost = -1, best_gap = -1;
    int best_regret = 1 << 30;
    for (size_t i = 0; i < n; i++) {
        long a, b;
        int rg;
        long cost = mask_cost(m, set[i], &a, &b, &rg);
        if (best_cost < 0 || cost < best_cost)
            best_cost = cost;
        best_regret = MIN(best_regret, rg);
        long gap = labs(a - b);
        if (best_gap < 0 || gap < best_gap)
            best_gap = gap;
    }

    int64_t egal = -1;
    TmMatching *mt = tm_lattice_egalitarian(lat, &egal, &err);
    EXPECT_OK(err);
    OrMask x = matching_mask(m, mt);
    EXPECT(in_set(set, n, x), "egalitarian matching not in the oracle's set");
    EXPECT(egal == best_cost && mask_cost(m, x, NULL, NULL, NULL) == best_cost,
           "egalitarian %ld, oracle %ld", (long)egal, best_cost);
    for (size_t i = 0; i < n; i++)
        opt[i] = mask_cost(m, set[i], NULL, NULL, NULL) == best_cost;
    expect_supply_best(m, set, opt, n, x, "egalitarian");
    tm_matching_free(mt);

    int32_t regret = -2;
    mt = tm_lattice_min_regret(lat, &regret, &err);
    EXPECT_OK(err);
    x = matching_mask(m, mt);
    int rg;
    mask_cost(m, x, NULL, NULL, &rg);
    EXPECT(in_set(set, n, x) && regret == best_regret && rg == best_regret,
           "min regret %d (matching's %d), oracle %d", regret, rg, best_regret);
    tm_matching_free(mt);

    int64_t gap = -1;
    mt = tm_lattice_balanced(lat, &gap, &err);
    EXPECT_OK(err);
    x = matching_mask(m, mt);
    long a, b;
    mask_cost(m, x, &a, &b, NULL);
    EXPECT(in_set(set, n, x) && gap == labs(a - b) && gap >= best_gap,
           "balanced gap %ld (matching's %ld), optimum %ld", (long)gap, labs(a - b), best_gap);
    tm_matching_free(mt);

    for (int round = 0; round < 2; round++) {
        double w[OR_MAXP + 1];
        for (int p = 0; p < m->n_pairs; p++)
            w[p] = round == 0 ? rng_int(rng, -20, 20) : rng_int(rng, -40, 40) / 4.0;
        double best_w = -INFINITY;
        for (size_t i = 0; i < n; i++)
            best_w = MAX(best_w, mask_weight(m, set[i], w));
        double got = NAN;
        mt = tm_lattice_max_weight(lat, w, m->n_pairs, &got, &err);
        EXPECT_OK(err);
        x = matching_mask(m, mt);
        EXPECT(in_set(set, n, x) && got == best_w && mask_weight(m, x, w) == best_w,
               "max weight %g, oracle %g", got, best_w);
        for (size_t i = 0; i < n; i++) /* sums of integers and quarters: exact */
            opt[i] = mask_weight(m, set[i], w) == best_w;
        expect_supply_best(m, set, opt, n, x, "max weight");
        tm_matching_free(mt);
    }
    g_free(opt);
}

static void check_instance(const OrMarket *m, Rng *rng)
{
    GError *err = NULL;
    g_cur = m;
    OrMask *set = NULL;
    size_t n = or_stable_matchings(m, &set, NULL);
    assert_true(n >= 1);
    qsort(set, n, sizeof *set, cmp_mask);
    TmMarket *mk = to_market(m);
    TmLattice *lat = tm_lattice_new(mk, &err);
    EXPECT_OK(err);
    EXPECT(tm_lattice_market(lat) == mk, "market");
    EXPECT(tm_lattice_n_pairs(lat) == __builtin_popcountll(set[0]), "n_pairs");
    check_rotations(lat, n);
    check_enumeration(m, mk, lat, rng, set, n);
    check_objectives(m, lat, rng, set, n);
    tm_lattice_free(lat);
    tm_market_free(mk);
    free(set);
    g_n.instances++;
    g_n.multi += n > 1;
    g_n.max_stable = MAX(g_n.max_stable, (long)n);
    g_cur = NULL;
}

static void run_random(int capside, long count, uint64_t seed)
{
    Rng rng = { seed };
    for (long i = 0; i < count; i++) {
        OrMarket m;
        gen_market(&rng, capside, &m);
        int incomplete = 0;
        for (int side = 0; side < 2; side++)
            for (int a = 0; a < m.n[side]; a++)
                incomplete |= m.rlen[side][a] < m.n[1 - side];
        g_n.incomplete += incomplete;
        check_instance(&m, &rng);
    }
}

static void test_random_one_to_one(void **state)
{
    (void)state;
    Counters before = g_n;
    run_random(-1, 12000, UINT64_C(0x9e3779b97f4a7c15));
    long inst = g_n.instances - before.instances, multi = g_n.multi - before.multi;
    print_message("one-to-one: %ld instances, %ld with several stable matchings (max %ld), "
                  "%ld rotations, %ld with incomplete lists\n",
                  inst, multi, g_n.max_stable, g_n.rotations - before.rotations,
                  g_n.incomplete - before.incomplete);
    assert_true(inst >= 10000 && multi >= 3000 && g_n.incomplete - before.incomplete >= 3000);
}

static void test_random_many_to_one(void **state)
{
    (void)state;
    Counters before = g_n;
    run_random(TM_SIDE_DEMAND, 10000, UINT64_C(0x1234567887654321));
    run_random(TM_SIDE_SUPPLY, 10000, UINT64_C(0x0fedcba987654321));
    long inst = g_n.instances - before.instances, multi = g_n.multi - before.multi;
    print_message("many-to-one: %ld instances, %ld with several stable matchings, "
                  "%ld rotations, %ld with incomplete lists\n",
                  inst, multi, g_n.rotations - before.rotations,
                  g_n.incomplete - before.incomplete);
    assert_true(inst >= 20000 && multi >= 2500 && g_n.incomplete - before.incomplete >= 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_one_to_one),
        cmocka_unit_test(test_random_many_to_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
