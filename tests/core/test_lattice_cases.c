/* The lattice of stable matchings (lattice.h) on instances whose rotations
 * and optima are known, the error paths, and the core's max-flow.
 *
 * Supply agents are written m_i, demand agents w_j (or r_i and h_j). */
#include "testutil.h"

#include "core/mincut_private.h"

#include <math.h>
#include <string.h>

static TmLattice *lattice_of(TmMarket *mk)
{
    GError *err = NULL;
    TmLattice *lat = tm_lattice_new(mk, &err);
    assert_no_error(err);
    assert_non_null(lat);
    return lat;
}

/* partner[i] = the demand agent of supply agent i (one-to-one, all matched) */
static void expect_partners(const TmMatching *mt, const int32_t *partner, int32_t n)
{
    assert_int_equal(tm_matching_n_pairs(mt), n);
    for (int32_t i = 0; i < n; i++) {
        int32_t k;
        const int32_t *p = tm_matching_partners(mt, TM_SIDE_SUPPLY, i, &k);
        assert_int_equal(k, 1);
        assert_int_equal(p[0], partner[i]);
    }
}

/* Knuth's 4x4 instance with 10 stable matchings, the most for n = 4
 * (D. E. Knuth, "Mariages stables", 1976; also Gusfield & Irving 1989,
 * 1.3): m_i ranks w_j at place i XOR j, w_j ranks m_i at place 3 - (i XOR j).
 * By hand: the supply-optimal matching is m_i-w_i; rotations
 *   A = (m0,w0)(m1,w1)  B = (m2,w2)(m3,w3)            (exposed at the top)
 *   C = (m0,w1)(m3,w2)  D = (m1,w0)(m2,w3)            (each after A and B)
 *   E = (m0,w2)(m1,w3)  F = (m2,w0)(m3,w1)            (each after C and D)
 * so the closed sets are {}, A, B, AB, ABC, ABD, ABCD, ABCDE, ABCDF, all:
 * 10.  Every pair costs 3 (ranks add up to 3), so every matching is
 * egalitarian (12); the worst rank is 3 at the two ends and 2 in the four
 * matchings from AB to ABCD; ABC and ABD have supply and demand totals 6
 * and 6 (gap 0). */
static const int32_t kn_men[] = { 0, 1, 2, 3, -1, 1, 0, 3, 2, -1, 2, 3, 0, 1, -1,
                                  3, 2, 1, 0, -1 };
static const int32_t kn_women[] = { 3, 2, 1, 0, -1, 2, 3, 0, 1, -1, 1, 0, 3, 2, -1,
                                    0, 1, 2, 3, -1 };

/* The rotation of @lat whose first pair is (s, d) (rotations are cycles:
 * any pair may come first), or -1. */
static int32_t find_rotation(const TmLattice *lat, const int32_t *pairs, int32_t len)
{
    GError *err = NULL;
    for (int32_t r = 0; r < tm_lattice_n_rotations(lat); r++) {
        int32_t s[8], d[8], n;
        assert_true(tm_lattice_rotation(lat, r, s, d, 8, &n, &err));
        assert_no_error(err);
        if (n != len)
            continue;
        for (int32_t shift = 0; shift < n; shift++) {
            int ok = 1;
            for (int32_t i = 0; ok && i < n; i++)
                ok = s[(i + shift) % n] == pairs[2 * i] && d[(i + shift) % n] == pairs[2 * i + 1];
            if (ok)
                return r;
        }
    }
    return -1;
}

static void expect_preds(const TmLattice *lat, int32_t r, const int32_t *want, int32_t n)
{
    GError *err = NULL;
    int32_t got[8], k;
    assert_true(tm_lattice_rotation_predecessors(lat, r, got, 8, &k, &err));
    assert_no_error(err);
    /* the edges may hold more than the Hasse diagram; here they do not */
    assert_int_equal(k, n);
    for (int32_t i = 0; i < n; i++) {
        int found = 0;
        for (int32_t j = 0; j < k; j++)
            found |= got[j] == want[i];
        assert_true(found);
    }
}

static void test_knuth_4x4(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *mk = tt_market(4, 4, NULL, NULL, kn_men, kn_women, &err);
    assert_no_error(err);
    TmLattice *lat = lattice_of(mk);
    assert_int_equal(tm_lattice_n_rotations(lat), 6);
    static const int32_t A[] = { 0, 0, 1, 1 }, B[] = { 2, 2, 3, 3 }, C[] = { 0, 1, 3, 2 },
                         D[] = { 1, 0, 2, 3 }, E[] = { 0, 2, 1, 3 }, F[] = { 2, 0, 3, 1 };
    int32_t a = find_rotation(lat, A, 2), b = find_rotation(lat, B, 2);
    int32_t c = find_rotation(lat, C, 2), d = find_rotation(lat, D, 2);
    int32_t e = find_rotation(lat, E, 2), f = find_rotation(lat, F, 2);
    assert_true(a >= 0 && b >= 0 && c >= 0 && d >= 0 && e >= 0 && f >= 0);
    expect_preds(lat, a, NULL, 0);
    expect_preds(lat, b, NULL, 0);
    int32_t ab[] = { a, b }, cd[] = { c, d };
    expect_preds(lat, c, ab, 2);
    expect_preds(lat, d, ab, 2);
    expect_preds(lat, e, cd, 2);
    expect_preds(lat, f, cd, 2);

    gboolean complete = FALSE;
    assert_int_equal(tm_lattice_count(lat, 0, &complete), 10);
    assert_true(complete);
    assert_int_equal(tm_lattice_count(lat, 4, &complete), 4);
    assert_false(complete);
    assert_int_equal(tm_lattice_count(lat, 10, &complete), 10);
    assert_true(complete);

    /* the iterator: 10 distinct matchings, the first supply-optimal; a
     * too-small buffer is refused without moving on */
    TmStableIter *it = tm_lattice_enumerate(lat, 0, &err);
    assert_no_error(err);
    int32_t s[4], dd[4];
    assert_false(tm_stable_iter_next(it, s, dd, 3, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_stable_iter_next(it, s, dd, 4, &err));
    for (int32_t i = 0; i < 4; i++)
        assert_true(s[i] == i && dd[i] == i);
    int n = 1;
    while (tm_stable_iter_next(it, s, dd, 4, &err))
        n++;
    assert_no_error(err);
    assert_int_equal(n, 10);
    assert_int_equal(tm_stable_iter_count(it), 10);
    tm_stable_iter_free(it);

    int64_t v = -1;
    TmMatching *mt = tm_lattice_egalitarian(lat, &v, &err);
    assert_no_error(err);
    assert_int_equal(v, 12);
    tm_matching_free(mt);
    int32_t regret = -1;
    mt = tm_lattice_min_regret(lat, &regret, &err);
    assert_no_error(err);
    assert_int_equal(regret, 2);
    tm_matching_free(mt);
    mt = tm_lattice_balanced(lat, &v, &err);
    assert_no_error(err);
    assert_int_equal(v, 0);
    tm_matching_free(mt);

    /* weight 5 on (m0,w2) and (m1,w0): only ABC = m0-w2 m1-w0 m2-w3 m3-w1
     * holds both (supply entries: m0's list is w0 w1 w2 w3, m1's w1 w0 w3 w2) */
    double w[16] = { 0 };
    w[0 * 4 + 2] = 5;
    w[1 * 4 + 1] = 5;
    double got = 0;
    mt = tm_lattice_max_weight(lat, w, 16, &got, &err);
    assert_no_error(err);
    assert_true(got == 10.0);
    static const int32_t abc[] = { 2, 0, 3, 1 };
    expect_partners(mt, abc, 4);
    tm_matching_free(mt);
    assert_null(tm_lattice_max_weight(lat, w, 15, &got, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    w[3] = NAN;
    assert_null(tm_lattice_max_weight(lat, w, 16, &got, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_lattice_free(lat);
    tm_market_free(mk);
}

/* The 3x3 cyclic market (also in test_textbook.c): m_i: w_i w_{i+1} w_{i+2},
 * w_j: m_{j+1} m_{j+2} m_j.  Three stable matchings in a chain: everybody's
 * first / second / third choice on the supply side.  Two rotations,
 * (m0,w0)(m1,w1)(m2,w2) then (m0,w1)(m1,w2)(m2,w0).  Every matching costs 6
 * in total; only the middle one has worst rank 1 and gap 0. */
static const int32_t cyc_men[] = { 0, 1, 2, -1, 1, 2, 0, -1, 2, 0, 1, -1 };
static const int32_t cyc_women[] = { 1, 2, 0, -1, 2, 0, 1, -1, 0, 1, 2, -1 };

static void test_cyclic_3x3(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 3, NULL, NULL, cyc_men, cyc_women, &err);
    assert_no_error(err);
    TmLattice *lat = lattice_of(mk);
    assert_int_equal(tm_lattice_n_rotations(lat), 2);
    static const int32_t r0[] = { 0, 0, 1, 1, 2, 2 }, r1[] = { 0, 1, 1, 2, 2, 0 };
    assert_int_equal(find_rotation(lat, r0, 3), 0);
    assert_int_equal(find_rotation(lat, r1, 3), 1);
    int32_t zero = 0;
    expect_preds(lat, 1, &zero, 1);
    assert_int_equal(tm_lattice_count(lat, 0, NULL), 3);
    static const int32_t middle[] = { 1, 2, 0 };
    int32_t regret = -1;
    TmMatching *mt = tm_lattice_min_regret(lat, &regret, &err);
    assert_no_error(err);
    assert_int_equal(regret, 1);
    expect_partners(mt, middle, 3);
    tm_matching_free(mt);
    int64_t v = -1;
    mt = tm_lattice_balanced(lat, &v, &err);
    assert_no_error(err);
    assert_int_equal(v, 0);
    expect_partners(mt, middle, 3);
    tm_matching_free(mt);
    mt = tm_lattice_egalitarian(lat, &v, &err);
    assert_no_error(err);
    assert_int_equal(v, 6);
    tm_matching_free(mt);
    tm_lattice_free(lat);
    tm_market_free(mk);
}

/* Many-to-one by hand: residents r0: h1 h0, r1: h0 h1, r2: h0 h1; h0
 * (capacity 2): r0 r2 r1, h1: r1 r2 r0.  Residents proposing: r0-h1,
 * r1-h0, r2-h0.  Hospitals proposing: h0 asks r0 and r2, h1 asks r1, all
 * accept: r0-h0, r2-h0, r1-h1.  One rotation (r0 and r1 trade places,
 * through h0's second seat), two stable matchings. */
static void test_many_to_one(void **state)
{
    (void)state;
    GError *err = NULL;
    static const int32_t res[] = { 1, 0, -1, 0, 1, -1, 0, 1, -1 };
    static const int32_t hos[] = { 0, 2, 1, -1, 1, 2, 0, -1 };
    static const int32_t hcap[] = { 2, 1 };
    TmMarket *mk = tt_market(3, 2, NULL, hcap, res, hos, &err);
    assert_no_error(err);
    TmLattice *lat = lattice_of(mk);
    assert_int_equal(tm_lattice_n_rotations(lat), 1);
    assert_int_equal(tm_lattice_n_pairs(lat), 3);
    TmStableIter *it = tm_lattice_enumerate(lat, 0, &err);
    assert_no_error(err);
    int32_t s[3], d[3];
    assert_true(tm_stable_iter_next(it, s, d, 3, &err));
    assert_true(s[0] == 0 && d[0] == 1 && s[1] == 1 && d[1] == 0 && s[2] == 2 && d[2] == 0);
    assert_true(tm_stable_iter_next(it, s, d, 3, &err));
    assert_true(s[0] == 0 && d[0] == 0 && s[1] == 1 && d[1] == 1 && s[2] == 2 && d[2] == 0);
    assert_false(tm_stable_iter_next(it, s, d, 3, &err));
    assert_no_error(err);
    tm_stable_iter_free(it);
    tm_lattice_free(lat);
    tm_market_free(mk);

    /* the same with the sides exchanged: capacities on the supply side */
    static const int32_t scap[] = { 2, 1 };
    mk = tt_market(2, 3, scap, NULL, hos, res, &err);
    assert_no_error(err);
    lat = lattice_of(mk);
    assert_int_equal(tm_lattice_count(lat, 0, NULL), 2);
    tm_lattice_free(lat);
    tm_market_free(mk);
}

static void test_refused(void **state)
{
    (void)state;
    GError *err = NULL;
    assert_null(tm_lattice_new(NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* many-to-many: capacity 2 on both sides (lists long enough) */
    static const int32_t cap2[] = { 2, 2 };
    static const int32_t l[] = { 0, 1, -1, 1, 0, -1 };
    TmMarket *mk = tt_market(2, 2, cap2, cap2, l, l, &err);
    assert_no_error(err);
    assert_null(tm_lattice_new(mk, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "many-to-many"));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    tm_market_free(mk);
    /* ties */
    int32_t off[] = { 0, 2, 4 }, ids[] = { 0, 1, 1, 0 }, ranks[] = { 0, 0, 0, 1 };
    mk = tm_market_new_from_ranked_arrays(2, 2, NULL, NULL, off, ids, ranks, 4, off, ids, NULL,
                                          4, &err);
    assert_no_error(err);
    assert_null(tm_lattice_new(mk, &err));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    tm_market_free(mk);
    /* NULL lattice everywhere */
    assert_int_equal(tm_lattice_n_rotations(NULL), -1);
    assert_int_equal(tm_lattice_n_pairs(NULL), -1);
    assert_int_equal(tm_lattice_count(NULL, 0, NULL), -1);
    assert_null(tm_lattice_market(NULL));
    assert_null(tm_lattice_enumerate(NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_lattice_egalitarian(NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_lattice_min_regret(NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_lattice_balanced(NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_lattice_max_weight(NULL, NULL, 0, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    int32_t n;
    assert_false(tm_lattice_rotation(NULL, 0, NULL, NULL, 0, &n, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_stable_iter_next(NULL, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_stable_iter_free(NULL);
    tm_lattice_free(NULL);
    assert_null(tm_lattice_ref(NULL));

    /* an empty market: one stable matching (empty), no rotation */
    mk = tm_market_new_from_arrays(0, 0, NULL, NULL, off, NULL, off, NULL, &err);
    assert_no_error(err);
    TmLattice *lat = lattice_of(mk);
    assert_int_equal(tm_lattice_n_rotations(lat), 0);
    assert_int_equal(tm_lattice_count(lat, 0, NULL), 1);
    assert_false(tm_lattice_rotation(lat, 0, NULL, NULL, 0, &n, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    int32_t regret = 7;
    TmMatching *mt = tm_lattice_min_regret(lat, &regret, &err);
    assert_no_error(err);
    assert_int_equal(regret, -1);
    assert_int_equal(tm_matching_n_pairs(mt), 0);
    tm_matching_free(mt);
    TmStableIter *it = tm_lattice_enumerate(tm_lattice_ref(lat), 0, &err);
    tm_lattice_free(lat); /* the iterator and the extra reference keep it */
    assert_true(tm_stable_iter_next(it, NULL, NULL, 0, &err));
    assert_false(tm_stable_iter_next(it, NULL, NULL, 0, &err));
    assert_no_error(err);
    tm_stable_iter_free(it);
    tm_lattice_free(lat);
    tm_market_free(mk);
}

/* ---- the max-flow ----------------------------------------------------------- */

/* CLRS's flow network (Cormen et al., Introduction to Algorithms, Fig. 26.1:
 * s=0, v1..v4 = 1..4, t=5), maximum flow 23. */
static void test_flow_clrs(void **state)
{
    (void)state;
    GError *err = NULL;
    static const int32_t arcs[][3] = { { 0, 1, 16 }, { 0, 2, 13 }, { 2, 1, 4 }, { 1, 3, 12 },
                                       { 3, 2, 9 },  { 2, 4, 14 }, { 4, 3, 7 }, { 3, 5, 20 },
                                       { 4, 5, 4 } };
    TmFlow *f = tm_i_flow_new(6, &err);
    assert_no_error(err);
    for (size_t i = 0; i < G_N_ELEMENTS(arcs); i++)
        assert_true(tm_i_flow_add(f, arcs[i][0], arcs[i][1], arcs[i][2], &err));
    double v = 0;
    guint8 side[6];
    assert_true(tm_i_flow_max(f, 0, 5, 1e-9, &v, side, &err));
    assert_no_error(err);
    assert_true(fabs(v - 23.0) < 1e-9);
    /* the minimum cut {s, v1, v2, v4} | {v3, t}: 12 + 7 + 4 = 23 */
    static const guint8 want[] = { 1, 1, 1, 0, 1, 0 };
    assert_memory_equal(side, want, 6);
    tm_i_flow_free(f);
}

/* Random small networks: the flow equals the minimum over all s-t cuts by
 * brute force, and the reported source side is a minimum cut. */
static void test_flow_random(void **state)
{
    (void)state;
    GError *err = NULL;
    GRand *rand = g_rand_new_with_seed(20261201);
    for (int round = 0; round < 3000; round++) {
        int n = g_rand_int_range(rand, 2, 8), m = g_rand_int_range(rand, 0, 20);
        int32_t u[20], w[20];
        double c[20];
        TmFlow *f = tm_i_flow_new(n, &err);
        for (int i = 0; i < m; i++) {
            u[i] = g_rand_int_range(rand, 0, n);
            w[i] = g_rand_int_range(rand, 0, n);
            c[i] = g_rand_int_range(rand, 0, 10) * (round % 2 ? 0.25 : 1.0);
            assert_true(tm_i_flow_add(f, u[i], w[i], c[i], &err));
        }
        /* the same network with its arcs reserved first (a fast path) */
        TmFlow *g = tm_i_flow_new(n, &err);
        assert_true(tm_i_flow_reserve(g, round % 3 ? m : m / 2, &err));
        for (int i = 0; i < m; i++)
            assert_true(tm_i_flow_add(g, u[i], w[i], c[i], &err));
        double v = -1, vg = -2, best = INFINITY;
        guint8 side[8], sideg[8];
        assert_true(tm_i_flow_max(f, 0, n - 1, 1e-9, &v, side, &err));
        assert_true(tm_i_flow_max(g, 0, n - 1, 1e-9, &vg, sideg, &err));
        assert_true(v == vg);
        assert_memory_equal(side, sideg, (size_t)n);
        tm_i_flow_free(g);
        for (int mask = 0; mask < 1 << n; mask++) {
            if (!(mask & 1) || (mask >> (n - 1) & 1))
                continue;
            double cut = 0;
            for (int i = 0; i < m; i++)
                if ((mask >> u[i] & 1) && !(mask >> w[i] & 1))
                    cut += c[i];
            best = MIN(best, cut);
        }
        assert_true(fabs(v - best) < 1e-9);
        double cut = 0;
        for (int i = 0; i < m; i++)
            if (side[u[i]] && !side[w[i]])
                cut += c[i];
        assert_true(side[0] && !side[n - 1] && fabs(cut - best) < 1e-9);
        tm_i_flow_free(f);
    }
    g_rand_free(rand);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knuth_4x4),     cmocka_unit_test(test_cyclic_3x3),
        cmocka_unit_test(test_many_to_one),   cmocka_unit_test(test_refused),
        cmocka_unit_test(test_flow_clrs),     cmocka_unit_test(test_flow_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
