/* Király's large weakly stable matchings (tm_solve with max-cardinality on a
 * market with ties; src/core/kiraly.c) against the brute-force oracle
 * (ties_oracle.h).
 *
 * - Random one-to-one and many-to-one markets (complete and incomplete
 *   lists; ties on both sides, on the supply side only, on the demand side
 *   only; either side proposing): the result is weakly stable by the
 *   oracle's reading and by tm_matching_check(), respects every capacity,
 *   carries the market's ranks, makes at most four proposals per entry of
 *   the unit-copy market (the linear bound), and has at least 2/3 as many
 *   pairs as the oracle's largest weakly stable matching.  Against plain tie
 *   breaking (tm_solve without max-cardinality) it is at least as large in
 *   aggregate; the test prints how often each reaches the maximum.
 * - Markets without ties (which tm_solve never sends here; called directly):
 *   the result is the proposing side's optimal stable matching.
 * - Larger markets (up to 200 agents a side): weakly stable by the library's
 *   audit, proposals within the linear bound.
 * Worked instances, errors, cancel and progress: test_kiraly_cases.c. */
#include "testutil.h"
#include "ties_oracle.h"
#include "core/ties_private.h"

#include <stdlib.h>
#include <string.h>

static TmSolveOptions *options(int side, gboolean max_card)
{
    GError *err = NULL;
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_proposing(o, (TmSide)side, &err));
    tm_solve_options_set_max_cardinality(o, max_card);
    return o;
}

static TmMatching *solve(TmMarket *mk, int side, gboolean max_card)
{
    GError *err = NULL;
    TmSolveOptions *o = options(side, max_card);
    TmMatching *mt = tm_solve(mk, NULL, o, &err);
    assert_no_error(err);
    assert_non_null(mt);
    tm_solve_options_free(o);
    return mt;
}

/* Király's algorithm on any market: through tm_solve() when it has ties,
 * directly otherwise (tm_solve() runs deferred acceptance then). */
static TmMatching *kiraly(TmMarket *mk, int side)
{
    if (tm_market_has_ties(mk))
        return solve(mk, side, TRUE);
    static const TmControl none = { NULL, NULL, NULL, NULL };
    GError *err = NULL;
    TmMatching *mt = tm_i_solve_kiraly(mk, (TmSide)side, &none, &err);
    assert_no_error(err);
    assert_non_null(mt);
    return mt;
}

/* Size of the largest weakly stable matching among the oracle's @all. */
static int max_weak(const ToMarket *m, const ToMask *all, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        int sz = to_size(all[i]);
        if (sz > best && to_is_stable(m, all[i], TM_STABILITY_WEAK))
            best = sz;
    }
    return best;
}

/* Asserts everything a result must be; returns its pairs as a mask. */
static ToMask check_result(const ToMarket *m, TmMatching *mt, TmMarket *mk)
{
    GError *err = NULL;
    int ok;
    ToMask got = to_from_matching(m, mt, &ok);
    assert_true(ok); /* only mutually acceptable pairs */
    assert_true(tm_matching_market(mt) == mk);
    assert_true(to_is_stable(m, got, TM_STABILITY_WEAK));
    TmVerdict *v = tm_matching_check(mt, &err);
    assert_no_error(err);
    assert_true(tm_verdict_is_stable(v)); /* no blocking pair, no violation */
    assert_int_equal(tm_verdict_n_violations(v), 0);
    tm_verdict_free(v);
    /* capacities, by the oracle's own count */
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++) {
            int k = 0;
            for (int p = 0; p < m->n_pairs; p++)
                k += (got >> p & 1) && (side ? m->pd[p] : m->ps[p]) == a;
            assert_true(k <= m->cap[side][a]);
        }
    /* the market's ranks on every pair */
    int32_t ps[TO_MAXP], pd[TO_MAXP], rs[TO_MAXP], rd[TO_MAXP];
    int64_t np = tm_matching_n_pairs(mt);
    assert_true(tm_matching_get_pairs(mt, ps, pd, TO_MAXP, &err));
    assert_true(tm_matching_get_pair_ranks(mt, rs, rd, TO_MAXP, &err));
    for (int64_t i = 0; i < np; i++) {
        assert_int_equal(rs[i], m->r[0][ps[i]][pd[i]]);
        assert_int_equal(rd[i], m->r[1][pd[i]][ps[i]]);
    }
    return got;
}

/* Ties on one side only: the other side's lists made strict (rank =
 * position).  mode 0 = both sides keep their ties, 1 = supply only,
 * 2 = demand only. */
static void keep_ties(ToMarket *m, int mode)
{
    if (mode == 0)
        return;
    int strict = mode == 1 ? 1 : 0;
    for (int a = 0; a < m->n[strict]; a++)
        for (int k = 0; k < m->len[strict][a]; k++)
            m->lrank[strict][a][k] = k;
    assert_int_equal(to_prepare(m), 0);
}

/* Whether some agent of @side ties two of its (mutually acceptable)
 * partners. */
static int side_has_tie(const ToMarket *m, int side)
{
    for (int a = 0; a < m->n[side]; a++)
        for (int b = 0; b < m->n[!side]; b++)
            for (int c = b + 1; c < m->n[!side]; c++)
                if (m->r[side][a][b] >= 0 && m->r[side][a][b] == m->r[side][a][c])
                    return 1;
    return 0;
}

/* The ties of mode @mode (keep_ties) are there. */
static int ties_as(const ToMarket *m, int mode)
{
    int s = side_has_tie(m, 0), d = side_has_tie(m, 1);
    return mode == 0 ? s && d : mode == 1 ? s && !d : d && !s;
}

typedef struct {
    long instances, runs, tied, multi, at_max, tb_at_max, better, worse;
    long sum_k, sum_tb, sum_max;
} Stats;

static void against_oracle(const ToParams *shapes, size_t n_shapes, int per_shape,
                           uint64_t seed, Stats *st, gboolean want_multi)
{
    uint64_t rng = seed;
    for (size_t sh = 0; sh < n_shapes; sh++) {
        for (int it = 0; it < per_shape; it++) {
            ToMarket m;
            do { /* an instance with the ties its mode asks for */
                to_random(&m, &rng, &shapes[sh]);
                keep_ties(&m, it % 3);
            } while (!ties_as(&m, it % 3));
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            st->tied += tm_market_has_ties(mk);
            int multi = 0;
            for (int side = 0; side < 2; side++)
                for (int a = 0; a < m.n[side]; a++)
                    multi |= m.cap[side][a] > 1;
            assert_true(!multi || want_multi);
            st->multi += multi;
            ToMask *all;
            size_t n = to_matchings(&m, &all);
            int best = max_weak(&m, all, n);
            assert_true(best >= 0);
            /* entries of the unit-copy market: at most two proposals per
             * entry and lap, four in all (the linear bound) */
            int mlen[2][TO_MAXN] = {{0}};
            for (int p = 0; p < m.n_pairs; p++) {
                mlen[0][m.ps[p]]++;
                mlen[1][m.pd[p]]++;
            }
            long copies_L = 0;
            for (int p = 0; p < m.n_pairs; p++)
                copies_L += (long)MIN(m.cap[0][m.ps[p]], mlen[0][m.ps[p]]) *
                            MIN(m.cap[1][m.pd[p]], mlen[1][m.pd[p]]);
            for (int side = 0; side < 2; side++) {
                TmMatching *mt = kiraly(mk, side);
                ToMask got = check_result(&m, mt, mk);
                int size = to_size(got);
                assert_true(tm_matching_n_proposals(mt) <= 4 * copies_L);
                assert_true(3 * size >= 2 * best); /* the 3/2 guarantee */
                assert_true(size <= best);
                TmMatching *tb = solve(mk, side, FALSE);
                int tbs = (int)tm_matching_n_pairs(tb);
                st->runs++;
                st->sum_k += size;
                st->sum_tb += tbs;
                st->sum_max += best;
                st->at_max += size == best;
                st->tb_at_max += tbs == best;
                st->better += size > tbs;
                st->worse += size < tbs;
                tm_matching_free(tb);
                tm_matching_free(mt);
            }
            free(all);
            tm_market_free(mk);
            st->instances++;
        }
    }
}

static void report(const char *what, const Stats *st)
{
    print_message("%s: %ld instances (%ld with ties, %ld many-to-one), %ld runs: Király at the "
                  "maximum in %ld runs, tie breaking in %ld; Király larger in %ld runs, smaller "
                  "in %ld; pairs: Király %ld, tie breaking %ld, maximum %ld\n",
                  what, st->instances, st->tied, st->multi, st->runs, st->at_max,
                  st->tb_at_max, st->better, st->worse, st->sum_k, st->sum_tb, st->sum_max);
}

static void test_one_to_one_against_oracle(void **state)
{
    (void)state;
    static const ToParams shapes[] = {
        {{5, 5}, {1, 1}, 1.0, 0.4}, /* complete */
        {{6, 6}, {1, 1}, 1.0, 0.7}, /* complete, long ties */
        {{5, 5}, {1, 1}, 0.6, 0.5}, /* incomplete */
        {{6, 6}, {1, 1}, 0.5, 0.8}, /* sparse, long ties */
        {{6, 4}, {1, 1}, 0.7, 0.6}, /* unbalanced */
    };
    Stats st = {0};
    against_oracle(shapes, G_N_ELEMENTS(shapes), 2100, 20261207, &st, FALSE);
    report("one-to-one", &st);
    assert_int_equal(st.instances, 10500);
    assert_int_equal(st.tied, st.instances);
    assert_true(st.sum_k >= st.sum_tb); /* at least tie breaking, in aggregate */
    assert_true(st.better > 0);
}

static void test_many_to_one_against_oracle(void **state)
{
    (void)state;
    static const ToParams shapes[] = {
        {{6, 3}, {1, 3}, 1.0, 0.4}, /* capacities on the demand side, complete */
        {{6, 3}, {1, 2}, 0.6, 0.6}, /* incomplete */
        {{3, 6}, {3, 1}, 1.0, 0.5}, /* capacities on the supply side */
        {{3, 6}, {2, 1}, 0.7, 0.7},
        {{5, 2}, {1, 4}, 0.8, 0.5}, /* few, large receivers */
    };
    Stats st = {0};
    against_oracle(shapes, G_N_ELEMENTS(shapes), 2100, 777, &st, TRUE);
    report("many-to-one", &st);
    assert_int_equal(st.instances, 10500);
    assert_int_equal(st.tied, st.instances);
    assert_true(st.multi > st.instances * 2 / 3);
    assert_true(st.sum_k >= st.sum_tb);
    assert_true(st.better > 0);
}

/* Without ties the rules of the second lap never fire (no tie to favour a
 * bachelor in, no maiden left in a tie of one): the result is deferred
 * acceptance's, the proposing side's optimal stable matching. */
static void test_without_ties_is_deferred_acceptance(void **state)
{
    (void)state;
    static const ToParams shapes[] = {
        {{6, 6}, {1, 1}, 0.7, 0.0},
        {{6, 3}, {1, 3}, 0.8, 0.0},
        {{3, 6}, {3, 1}, 0.8, 0.0},
    };
    uint64_t rng = 99;
    for (size_t sh = 0; sh < G_N_ELEMENTS(shapes); sh++)
        for (int it = 0; it < 1000; it++) {
            ToMarket m;
            to_random(&m, &rng, &shapes[sh]);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            assert_false(tm_market_has_ties(mk));
            for (int side = 0; side < 2; side++) {
                TmMatching *k = kiraly(mk, side), *da = solve(mk, side, FALSE);
                int ok;
                assert_true(to_from_matching(&m, k, &ok) == to_from_matching(&m, da, &ok));
                check_result(&m, k, mk);
                tm_matching_free(k);
                tm_matching_free(da);
            }
            tm_market_free(mk);
        }
}

/* min(capacity, list length): the unit copies of an agent. */
static int64_t copies(const TmMarket *mk, TmSide side, int32_t a)
{
    int32_t len;
    (void)tm_market_prefs(mk, side, a, &len);
    return MIN(tm_market_capacity(mk, side, a), len);
}

/* Larger markets than the oracle can enumerate (60 to 200 supply agents,
 * one-to-one and many-to-one with demand capacities up to 12; random
 * incomplete lists with ties of random length): weakly stable by the
 * library's audit, within the linear proposal bound, and at least as large
 * as tie breaking in aggregate. */
static void test_larger_markets(void **state)
{
    (void)state;
    uint64_t rng = 4711;
    long sum_k = 0, sum_tb = 0;
    for (int it = 0; it < 24; it++) {
        const int32_t ns = 60 + (int32_t)(to_rng(&rng) % 140);
        const int32_t nd = it % 3 == 0 ? ns : 5 + (int32_t)(to_rng(&rng) % 40);
        const int32_t dmax = it % 3 == 0 ? 1 : 1 + (int32_t)(to_rng(&rng) % 12);
        GError *err = NULL;
        TmMarketBuilder *b = tm_market_builder_new(ns, nd, &err);
        assert_no_error(err);
        int32_t ids[256], rk[256];
        for (int side = 0; side < 2; side++) {
            const int32_t n = side ? nd : ns, other = side ? ns : nd;
            for (int32_t a = 0; a < n; a++) {
                int32_t len = 0, rank = 0;
                for (int32_t x = 0; x < other; x++) {
                    if (to_rng(&rng) % 100 >= 40)
                        continue;
                    if (len > 0 && to_rng(&rng) % 100 >= 55)
                        rank++;
                    ids[len] = x;
                    rk[len++] = rank;
                }
                /* shuffle who stands where, the ranks staying in order */
                for (int32_t i = len - 1; i > 0; i--) {
                    int32_t j = (int32_t)(to_rng(&rng) % (uint64_t)(i + 1)), t = ids[i];
                    ids[i] = ids[j];
                    ids[j] = t;
                }
                assert_true(tm_market_builder_set_ranked_prefs(b, (TmSide)side, a, ids, rk, len,
                                                               &err));
                if (side == 1)
                    assert_true(tm_market_builder_set_capacity(
                        b, TM_SIDE_DEMAND, a, 1 + (int32_t)(to_rng(&rng) % (uint64_t)dmax),
                        &err));
            }
        }
        TmMarket *mk = tm_market_builder_build(b, &err);
        assert_no_error(err);
        tm_market_builder_free(b);
        assert_true(tm_market_has_ties(mk));
        int64_t copies_L = 0;
        for (int32_t s = 0; s < ns; s++) {
            int32_t len;
            const int32_t *l = tm_market_prefs(mk, TM_SIDE_SUPPLY, s, &len);
            for (int32_t k = 0; k < len; k++)
                copies_L += copies(mk, TM_SIDE_SUPPLY, s) * copies(mk, TM_SIDE_DEMAND, l[k]);
        }
        for (int side = 0; side < 2; side++) {
            TmMatching *mt = solve(mk, side, TRUE), *tb = solve(mk, side, FALSE);
            TmVerdict *v = tm_matching_check(mt, &err);
            assert_no_error(err);
            assert_true(tm_verdict_is_stable(v));
            tm_verdict_free(v);
            assert_true(tm_matching_n_proposals(mt) <= 4 * copies_L);
            sum_k += (long)tm_matching_n_pairs(mt);
            sum_tb += (long)tm_matching_n_pairs(tb);
            tm_matching_free(mt);
            tm_matching_free(tb);
        }
        tm_market_free(mk);
    }
    print_message("larger markets: Király %ld pairs, tie breaking %ld\n", sum_k, sum_tb);
    assert_true(sum_k >= sum_tb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_one_against_oracle),
        cmocka_unit_test(test_many_to_one_against_oracle),
        cmocka_unit_test(test_without_ties_is_deferred_acceptance),
        cmocka_unit_test(test_larger_markets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
