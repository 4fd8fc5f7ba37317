/* Weak stability by tie breaking, and the audit of the three stability
 * notions, against the brute-force oracle (ties_oracle.h).
 *
 * - Position order: tm_solve() on a tied market must return the proposing
 *   side's optimal stable matching of the lists with ties broken by list
 *   position, which the oracle finds by enumerating every matching of the
 *   strict copy (ranks = positions) -- and that matching is weakly stable on
 *   the tied market.
 * - A seed: reproducible, weakly stable, and different seeds reach different
 *   matchings.
 * - The audit: for random capacity-respecting pair sets, the blocking pairs
 *   tm_matching_check_stability() lists for WEAK, STRONG and SUPER equal the
 *   oracle's. */
#include "testutil.h"
#include "ties_oracle.h"

#include <stdlib.h>
#include <string.h>

static TmMatching *solve(TmMarket *mk, int side, gboolean seeded, uint64_t seed)
{
    GError *err = NULL;
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_proposing(o, (TmSide)side, &err));
    if (seeded)
        tm_solve_options_set_tie_seed(o, seed);
    TmMatching *mt = tm_solve(mk, NULL, o, &err);
    assert_no_error(err);
    assert_non_null(mt);
    tm_solve_options_free(o);
    return mt;
}

/* The strict copy: each list ranked by position. */
static void strict_copy(const ToMarket *m, ToMarket *s)
{
    *s = *m;
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++)
            for (int k = 0; k < m->len[side][a]; k++)
                s->lrank[side][a][k] = k;
    assert_int_equal(to_prepare(s), 0);
}

static const ToParams shapes[] = {
    /* one-to-one, complete and incomplete, light and heavy ties */
    {{5, 5}, {1, 1}, 1.0, 0.3}, {{5, 5}, {1, 1}, 0.6, 0.5}, {{4, 6}, {1, 1}, 0.8, 0.8},
    /* many-to-one both ways, and many-to-many */
    {{5, 3}, {1, 3}, 1.0, 0.4}, {{3, 5}, {2, 1}, 0.7, 0.5}, {{4, 4}, {2, 2}, 0.8, 0.5},
};

static void test_position_order_against_oracle(void **state)
{
    (void)state;
    uint64_t rng = 20261201;
    long instances = 0, tied = 0;
    for (size_t sh = 0; sh < G_N_ELEMENTS(shapes); sh++) {
        for (int it = 0; it < 2000; it++) {
            ToMarket m, s;
            to_random(&m, &rng, &shapes[sh]);
            strict_copy(&m, &s);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            tied += tm_market_has_ties(mk);
            ToMask *all;
            size_t n = to_matchings(&m, &all);
            for (int side = 0; side < 2; side++) {
                TmMatching *mt = solve(mk, side, FALSE, 0);
                int ok;
                ToMask got = to_from_matching(&m, mt, &ok);
                assert_true(ok);
                /* weakly stable on the tied lists, stable on the broken ones */
                assert_true(to_is_stable(&m, got, TM_STABILITY_WEAK));
                assert_true(to_is_stable(&s, got, TM_STABILITY_WEAK));
                /* the proposing side's optimum of the strict copy */
                for (size_t i = 0; i < n; i++) {
                    if (!to_is_stable(&s, all[i], TM_STABILITY_WEAK))
                        continue;
                    for (int a = 0; a < m.n[side]; a++)
                        assert_true(to_weakly_prefers(&s, side, a, got, all[i]));
                }
                /* the matching lives on the tied market and carries its ranks */
                assert_true(tm_matching_market(mt) == mk);
                int32_t ps[TO_MAXP], pd[TO_MAXP], rs[TO_MAXP], rd[TO_MAXP];
                int64_t np = tm_matching_n_pairs(mt);
                assert_true(tm_matching_get_pairs(mt, ps, pd, TO_MAXP, &err));
                assert_true(tm_matching_get_pair_ranks(mt, rs, rd, TO_MAXP, &err));
                for (int64_t i = 0; i < np; i++) {
                    assert_int_equal(rs[i], m.r[0][ps[i]][pd[i]]);
                    assert_int_equal(rd[i], m.r[1][pd[i]][ps[i]]);
                }
                tm_matching_free(mt);
            }
            free(all);
            tm_market_free(mk);
            instances++;
        }
    }
    assert_int_equal(instances, 12000);
    assert_true(tied > instances / 2);
}

static void test_seeded_tie_breaking(void **state)
{
    (void)state;
    uint64_t rng = 77;
    long differs = 0;
    for (size_t sh = 0; sh < G_N_ELEMENTS(shapes); sh++) {
        for (int it = 0; it < 1700; it++) {
            ToMarket m;
            to_random(&m, &rng, &shapes[sh]);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            int side = it & 1, ok;
            ToMask first = 0;
            int distinct = 0;
            for (uint64_t seed = 1; seed <= 6; seed++) {
                TmMatching *a = solve(mk, side, TRUE, seed), *b = solve(mk, side, TRUE, seed);
                ToMask ma = to_from_matching(&m, a, &ok), mb = to_from_matching(&m, b, &ok);
                assert_true(ok);
                assert_true(ma == mb); /* reproducible */
                assert_true(to_is_stable(&m, ma, TM_STABILITY_WEAK));
                if (seed == 1)
                    first = ma;
                else if (ma != first)
                    distinct = 1;
                tm_matching_free(a);
                tm_matching_free(b);
            }
            differs += distinct;
            tm_market_free(mk);
        }
    }
    /* seeds reach matchings that position order does not, on many instances */
    assert_true(differs > 500);
}

static void test_audit_against_oracle(void **state)
{
    (void)state;
    uint64_t rng = 4242;
    long checked = 0, nonempty[3] = {0, 0, 0};
    for (size_t sh = 0; sh < G_N_ELEMENTS(shapes); sh++) {
        for (int it = 0; it < 1700; it++) {
            ToMarket m;
            to_random(&m, &rng, &shapes[sh]);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            ToMask *all;
            size_t n = to_matchings(&m, &all);
            ToMask M = all[to_rng(&rng) % n];
            int32_t ps[TO_MAXP], pd[TO_MAXP];
            int np = 0;
            for (int p = 0; p < m.n_pairs; p++)
                if (M >> p & 1) {
                    ps[np] = m.ps[p];
                    pd[np++] = m.pd[p];
                }
            TmMatching *mt = tm_matching_new_from_pairs(mk, ps, pd, np, &err);
            assert_no_error(err);
            for (int st = TM_STABILITY_WEAK; st <= TM_STABILITY_SUPER; st++) {
                TmVerdict *v = tm_matching_check_stability(mt, (TmStability)st, &err);
                assert_no_error(err);
                ToMask want = to_blocking(&m, M, (TmStability)st), got = 0;
                int64_t nb = tm_verdict_n_blocking_pairs(v);
                for (int64_t i = 0; i < nb; i++) {
                    int32_t s, d;
                    assert_true(tm_verdict_blocking_pair(v, i, &s, &d));
                    int p = m.pix[s][d];
                    assert_true(p >= 0 && !(got >> p & 1));
                    got |= (ToMask)1 << p;
                }
                assert_true(got == want);
                assert_int_equal(tm_verdict_is_stable(v), want == 0);
                nonempty[st] += want != 0;
                tm_verdict_free(v);
            }
            /* notions nest: super-blocking includes strong includes weak */
            assert_true((to_blocking(&m, M, TM_STABILITY_WEAK) &
                         ~to_blocking(&m, M, TM_STABILITY_STRONG)) == 0);
            assert_true((to_blocking(&m, M, TM_STABILITY_STRONG) &
                         ~to_blocking(&m, M, TM_STABILITY_SUPER)) == 0);
            tm_matching_free(mt);
            free(all);
            tm_market_free(mk);
            checked++;
        }
    }
    assert_int_equal(checked, 10200);
    assert_true(nonempty[0] > 0 && nonempty[1] > nonempty[0] / 2 && nonempty[2] > nonempty[1] / 2);
    GError *err = NULL;
    assert_null(tm_matching_check_stability(NULL, TM_STABILITY_WEAK, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
}

/* A hand-worked case of each notion: s0 and s1 both tie d0 and d1; d0 and
 * d1 both rank s0 over s1.  M = {s0-d0, s1-d1}: (s0, d1) -- s0 indifferent,
 * d1 strictly better off -- blocks strongly (and super-wise), not weakly;
 * (s1, d0) -- s1 indifferent, d0 worse off -- blocks under no notion. */
static void test_hand_worked_notions(void **state)
{
    (void)state;
    static const int32_t soff[] = {0, 2, 4}, sids[] = {0, 1, 0, 1}, srk[] = {0, 0, 0, 0};
    static const int32_t doff[] = {0, 2, 4}, dids[] = {0, 1, 0, 1};
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_ranked_arrays(2, 2, NULL, NULL, soff, sids, srk, 4, doff,
                                                    dids, NULL, 4, &err);
    assert_no_error(err);
    static const int32_t ps[] = {0, 1}, pd[] = {0, 1};
    TmMatching *mt = tm_matching_new_from_pairs(mk, ps, pd, 2, &err);
    assert_no_error(err);
    int64_t want[3] = {0, 1, 1};
    for (int st = 0; st < 3; st++) {
        TmVerdict *v = tm_matching_check_stability(mt, (TmStability)st, &err);
        assert_int_equal(tm_verdict_n_blocking_pairs(v), want[st]);
        int32_t s, d;
        if (want[st]) {
            assert_true(tm_verdict_blocking_pair(v, 0, &s, &d));
            assert_int_equal(s, 0);
            assert_int_equal(d, 1);
        }
        tm_verdict_free(v);
    }
    tm_matching_free(mt);
    tm_market_free(mk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_position_order_against_oracle),
        cmocka_unit_test(test_seeded_tie_breaking),
        cmocka_unit_test(test_audit_against_oracle),
        cmocka_unit_test(test_hand_worked_notions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
