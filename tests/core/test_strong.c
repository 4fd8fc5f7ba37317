/* Strongly stable matchings (tm_solve with TM_STABILITY_STRONG, strong.c)
 * against the brute-force oracle (ties_oracle.h), on transcribed and
 * hand-worked instances, and on the error paths.
 *
 * - Oracle: on random small one-to-one and many-to-one markets (complete and
 *   incomplete lists, ties on one side or both, capacity-0 agents now and
 *   then), tm_solve() returns a matching exactly when the oracle finds a
 *   strongly stable one among all matchings; the matching is strongly stable
 *   by the oracle and by tm_matching_check_stability(); and every agent of
 *   the proposing side weakly prefers it to every strongly stable matching
 *   (the resident-oriented algorithm gives each resident its best partner
 *   in any strongly stable matching).  Otherwise the error is
 *   TM_ERROR_NO_SUCH_MATCHING.  A many-to-one market solved from its
 *   many-capacity side is refused with TM_ERROR_UNSUPPORTED.
 * - Larger markets (beyond the oracle): the library's audit finds the
 *   result strongly stable, and both sides of a one-to-one market agree on
 *   existence and on the size (all strongly stable matchings of a market
 *   have the same size). */
#include "testutil.h"
#include "ties_oracle.h"

#include <stdlib.h>
#include <string.h>

static TmSolveOptions *strong_options(int side)
{
    GError *err = NULL;
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_proposing(o, (TmSide)side, &err));
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_STRONG, &err));
    assert_no_error(err);
    return o;
}

static TmMatching *solve_strong(TmMarket *mk, int side, GError **err)
{
    TmSolveOptions *o = strong_options(side);
    TmMatching *mt = tm_solve(mk, NULL, o, err);
    tm_solve_options_free(o);
    return mt;
}

/* Makes @side's lists strict (rank = position), so that only the other side
 * has ties. */
static void strictify(ToMarket *m, int side)
{
    for (int a = 0; a < m->n[side]; a++)
        for (int k = 0; k < m->len[side][a]; k++)
            m->lrank[side][a][k] = k;
    assert_int_equal(to_prepare(m), 0);
}

static int max_cap(const ToMarket *m, int side)
{
    int c = 0;
    for (int a = 0; a < m->n[side]; a++)
        c = MAX(c, m->cap[side][a]);
    return c;
}

typedef struct {
    long solved, exists, none, unsupported, untied;
} Tally;

/* Solves @m (library market @mk) from @side and checks the answer against
 * every matching of the oracle (@all, @n). */
static void check_side(const ToMarket *m, TmMarket *mk, const ToMask *all, size_t n, int side,
                       Tally *t)
{
    GError *err = NULL;
    TmMatching *mt = solve_strong(mk, side, &err);
    if (max_cap(m, side) > 1) {
        /* the many-capacity side of a many-to-one market: refused */
        assert_null(mt);
        assert_tm_error(err, TM_ERROR_UNSUPPORTED);
        t->unsupported++;
        return;
    }
    int exists = 0;
    for (size_t i = 0; i < n && !exists; i++)
        exists = to_is_stable(m, all[i], TM_STABILITY_STRONG);
    t->solved++;
    if (!exists) {
        assert_null(mt);
        assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
        t->none++;
        return;
    }
    assert_no_error(err);
    assert_non_null(mt);
    t->exists++;
    int ok;
    ToMask got = to_from_matching(m, mt, &ok);
    assert_true(ok);
    assert_true(to_is_stable(m, got, TM_STABILITY_STRONG));
    TmVerdict *v = tm_matching_check_stability(mt, TM_STABILITY_STRONG, &err);
    assert_no_error(err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    assert_true(tm_matching_market(mt) == mk);
    for (size_t i = 0; i < n; i++) {
        if (!to_is_stable(m, all[i], TM_STABILITY_STRONG))
            continue;
        assert_int_equal(to_size(all[i]), to_size(got)); /* one size for all */
        for (int a = 0; a < m->n[side]; a++)
            assert_true(to_weakly_prefers(m, side, a, got, all[i]));
    }
    /* the ranks carried by the matching are those of the tied market */
    int32_t ps[TO_MAXP], pd[TO_MAXP], rs[TO_MAXP], rd[TO_MAXP];
    int64_t np = tm_matching_n_pairs(mt);
    assert_true(tm_matching_get_pairs(mt, ps, pd, TO_MAXP, &err));
    assert_true(tm_matching_get_pair_ranks(mt, rs, rd, TO_MAXP, &err));
    for (int64_t i = 0; i < np; i++) {
        assert_int_equal(rs[i], m->r[0][ps[i]][pd[i]]);
        assert_int_equal(rd[i], m->r[1][pd[i]][ps[i]]);
    }
    tm_matching_free(mt);
}

typedef struct {
    ToParams p;
    int strict_side; /* -1: ties on both sides; else this side is made strict */
} Shape;

static void run_shapes(const Shape *shapes, size_t n_shapes, int per_shape, uint64_t seed, Tally *t)
{
    uint64_t rng = seed;
    for (size_t sh = 0; sh < n_shapes; sh++) {
        for (int it = 0; it < per_shape;) {
            ToMarket m;
            to_random(&m, &rng, &shapes[sh].p);
            if (shapes[sh].strict_side >= 0)
                strictify(&m, shapes[sh].strict_side);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            if (!tm_market_has_ties(mk)) {
                /* without ties tm_solve() runs deferred acceptance: not ours */
                t->untied++;
                tm_market_free(mk);
                continue;
            }
            it++;
            ToMask *all;
            size_t n = to_matchings(&m, &all);
            for (int side = 0; side < 2; side++)
                check_side(&m, mk, all, n, side, t);
            free(all);
            tm_market_free(mk);
        }
    }
}

static void test_one_to_one_against_oracle(void **state)
{
    (void)state;
    static const Shape shapes[] = {
        {{{5, 5}, {1, 1}, 1.0, 0.4}, -1}, /* complete, ties on both sides */
        {{{5, 5}, {1, 1}, 0.6, 0.5}, -1}, /* incomplete, both sides */
        {{{5, 5}, {1, 1}, 1.0, 0.5}, 1},  /* complete, ties on the supply side only */
        {{{5, 5}, {1, 1}, 0.7, 0.5}, 0},  /* incomplete, demand side only */
        {{{4, 5}, {1, 1}, 0.8, 0.7}, -1}, /* unequal sides, heavy ties */
        {{{5, 4}, {1, 1}, 0.5, 0.6}, 1},  /* sparse, supply side only */
    };
    Tally t = {0};
    run_shapes(shapes, G_N_ELEMENTS(shapes), 2000, 31337, &t);
    print_message("one-to-one: %ld solved, %ld exist, %ld none (%ld untied skipped)\n", t.solved,
                  t.exists, t.none, t.untied);
    /* 12,000 markets with ties, each solved from both sides */
    assert_int_equal(t.solved, 2 * 12000);
    assert_int_equal(t.unsupported, 0);
    assert_true(t.exists > 3000 && t.none > 3000); /* both answers are common */
}

static void test_many_to_one_against_oracle(void **state)
{
    (void)state;
    static const Shape shapes[] = {
        /* supply side of capacity <= 1 ("residents"), demand up to 3 */
        {{{6, 3}, {1, 3}, 1.0, 0.4}, -1},
        {{{6, 3}, {1, 3}, 0.6, 0.5}, -1},
        {{{5, 3}, {1, 2}, 1.0, 0.5}, 0}, /* ties only on the hospitals' side */
        {{{5, 3}, {1, 3}, 0.7, 0.5}, 1}, /* ties only on the residents' side */
        /* the demand side is the unit side */
        {{{3, 6}, {3, 1}, 1.0, 0.4}, -1},
        {{{3, 5}, {2, 1}, 0.6, 0.6}, 1},
    };
    Tally t = {0};
    run_shapes(shapes, G_N_ELEMENTS(shapes), 2000, 4711, &t);
    print_message(
        "many-to-one: %ld solved, %ld exist, %ld none, %ld refused (%ld untied skipped)\n",
        t.solved, t.exists, t.none, t.unsupported, t.untied);
    /* 12,000 markets with ties, each solved from its unit side; the other
     * side is refused unless its capacities happened to be at most 1 too */
    assert_int_equal(t.solved + t.unsupported, 2 * 12000);
    assert_true(t.solved >= 12000 && t.unsupported > 8000);
    assert_true(t.exists > 2000 && t.none > 2000);
}

/* A random market of @ns x @nd agents (beyond the oracle), ranks in 0..levels-1. */
static TmMarket *random_market(uint64_t *rng, int32_t ns, int32_t nd, int32_t dcapmax,
                               double p_list, int levels, GError **err)
{
    int32_t *soff = g_new0(int32_t, ns + 1), *doff = g_new0(int32_t, nd + 1);
    int32_t *sids = g_new(int32_t, ns * nd), *dids = g_new(int32_t, ns * nd);
    int32_t *srk = g_new(int32_t, ns * nd), *drk = g_new(int32_t, ns * nd);
    int32_t *dcap = g_new(int32_t, nd);
    int32_t *perm = g_new(int32_t, MAX(ns, nd));
    for (int side = 0; side < 2; side++) {
        int32_t n = side ? nd : ns, other = side ? ns : nd, k = 0;
        int32_t *off = side ? doff : soff, *ids = side ? dids : sids, *rk = side ? drk : srk;
        for (int32_t a = 0; a < n; a++) {
            for (int32_t i = 0; i < other; i++)
                perm[i] = i;
            for (int32_t i = other - 1; i > 0; i--) {
                int32_t j = (int32_t)(to_rng(rng) % (uint64_t)(i + 1)), x = perm[i];
                perm[i] = perm[j];
                perm[j] = x;
            }
            int32_t r = 0;
            for (int32_t i = 0; i < other; i++) {
                if ((double)(to_rng(rng) >> 11) * 0x1.0p-53 >= p_list)
                    continue;
                ids[k] = perm[i];
                rk[k++] = r;
                if (to_rng(rng) % (uint64_t)levels != 0)
                    r++; /* else a tie with the next one */
            }
            off[a + 1] = k;
        }
    }
    for (int32_t d = 0; d < nd; d++)
        dcap[d] = 1 + (int32_t)(to_rng(rng) % (uint64_t)dcapmax);
    TmMarket *mk = tm_market_new_from_ranked_arrays(ns, nd, NULL, dcap, soff, sids, srk, -1, doff,
                                                    dids, drk, -1, err);
    void *arrays[] = {soff, doff, sids, dids, srk, drk, dcap, perm};
    for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++)
        g_free(arrays[i]);
    return mk;
}

static void test_larger_markets(void **state)
{
    (void)state;
    uint64_t rng = 99;
    long exists = 0, none = 0;
    for (int it = 0; it < 600; it++) {
        const int32_t ns = 10 + (int32_t)(to_rng(&rng) % 40),
                      nd = 10 + (int32_t)(to_rng(&rng) % 40);
        const int32_t cap = it % 2 ? 1 : 4; /* one-to-one, many-to-one */
        GError *err = NULL;
        TmMarket *mk = random_market(&rng, ns, nd, cap, 0.15 + 0.1 * (it % 5), 2 + it % 3, &err);
        assert_no_error(err);
        int64_t size[2] = {-1, -1};
        for (int side = 0; side < (cap == 1 ? 2 : 1); side++) {
            TmMatching *mt = solve_strong(mk, side, &err);
            if (mt == NULL) {
                assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
                continue;
            }
            TmVerdict *v = tm_matching_check_stability(mt, TM_STABILITY_STRONG, &err);
            assert_no_error(err);
            assert_true(tm_verdict_is_stable(v));
            tm_verdict_free(v);
            size[side] = tm_matching_n_pairs(mt);
            tm_matching_free(mt);
        }
        if (cap == 1)
            assert_true(size[0] == size[1]); /* same existence, same size */
        exists += size[0] >= 0;
        none += size[0] < 0;
        tm_market_free(mk);
    }
    assert_true(exists > 60 && none > 60);
}

/* A market for the oracle from lists with ranks: per agent, its list's
 * (id, rank) pairs in @lists (supply agents first, then demand); NULL
 * capacities are 1.  to_build() makes the same market in the library. */
static void to_market(ToMarket *m, int32_t ns, int32_t nd, const int32_t *scap, const int32_t *dcap,
                      const int32_t *slen, const int32_t *dlen, const int32_t *lists)
{
    memset(m, 0, sizeof *m);
    m->n[0] = ns;
    m->n[1] = nd;
    int32_t k = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < m->n[side]; a++) {
            const int32_t *cap = side ? dcap : scap;
            m->cap[side][a] = cap ? cap[a] : 1;
            m->len[side][a] = side ? dlen[a] : slen[a];
            for (int32_t i = 0; i < m->len[side][a]; i++, k++) {
                m->list[side][a][i] = lists[2 * k];
                m->lrank[side][a][i] = lists[2 * k + 1];
            }
        }
    assert_int_equal(to_prepare(m), 0);
}

static TmMarket *both_markets(ToMarket *m, int32_t ns, int32_t nd, const int32_t *scap,
                              const int32_t *dcap, const int32_t *slen, const int32_t *dlen,
                              const int32_t *lists)
{
    to_market(m, ns, nd, scap, dcap, slen, dlen, lists);
    GError *err = NULL;
    TmMarket *mk = to_build(m, &err);
    assert_no_error(err);
    assert_non_null(mk);
    return mk;
}

static void assert_pairs(const TmMatching *mt, int64_t n, const int32_t *ws, const int32_t *wd)
{
    GError *err = NULL;
    int32_t s[16], d[16];
    assert_int_equal(tm_matching_n_pairs(mt), n);
    assert_true(tm_matching_get_pairs(mt, s, d, 16, &err));
    assert_no_error(err);
    for (int64_t i = 0; i < n; i++) { /* pairs come ordered by supply agent */
        assert_int_equal(s[i], ws[i]);
        assert_int_equal(d[i], wd[i]);
    }
}

/* The instance of Irving, Manlove & Scott, "Strong stability in the
 * hospitals/residents problem" (STACS 2003; the running example of the
 * talk), transcribed with r1..r6 = supply 0..5 and h1..h3 = demand 0..2:
 *   r1: (h2 h3) h1     h1 (3 posts): r2 (r1 r3) r5
 *   r2: h2 h1          h2 (2 posts): r3 r2 (r1 r4 r5)
 *   r3: h3 h2 h1       h3 (1 post):  (r4 r5) (r1 r3) r6
 *   r4: h2 h3
 *   r5: h2 (h1 h3)
 *   r6: h3
 * Worked by hand through the algorithm: r1 -> h2, h3; h3 full deletes r6;
 * r2 -> h2; r3 -> h3; r4, r5 -> h2.  h2 (4 assignees, r2 bound, quota 1)
 * and h3 (2 assignees, quota 1) are over-subscribed with tails (r1 r4 r5)
 * and (r1 r3); G_R = {r1, r3, r4, r5} of deficiency 2 is the critical set,
 * so both tails are deleted.  Then r1 -> h1, r3 -> h2, r4 -> h3 and
 * r5 -> h1, h3; only r4 is unbound, matched to h3.  The strongly stable
 * matching, optimal for the residents: {r1-h1, r2-h2, r3-h2, r4-h3, r5-h1},
 * r6 unassigned. */
static const int32_t ims_scap[] = {1, 1, 1, 1, 1, 1}, ims_dcap[] = {3, 2, 1};
static const int32_t ims_slen[] = {3, 2, 3, 2, 3, 1}, ims_dlen[] = {4, 5, 5};
static const int32_t ims_lists[] = {
    1, 0, 2, 0, 0, 1,             /* r1 */
    1, 0, 0, 1,                   /* r2 */
    2, 0, 1, 1, 0, 2,             /* r3 */
    1, 0, 2, 1,                   /* r4 */
    1, 0, 0, 1, 2, 1,             /* r5 */
    2, 0,                         /* r6 */
    1, 0, 0, 1, 2, 1, 4, 2,       /* h1 */
    2, 0, 1, 1, 0, 2, 3, 2, 4, 2, /* h2 */
    3, 0, 4, 0, 0, 1, 2, 1, 5, 2, /* h3 */
};

static void test_ims_2003_instance(void **state)
{
    (void)state;
    ToMarket m;
    TmMarket *mk = both_markets(&m, 6, 3, ims_scap, ims_dcap, ims_slen, ims_dlen, ims_lists);
    GError *err = NULL;
    TmMatching *mt = solve_strong(mk, TM_SIDE_SUPPLY, &err);
    assert_no_error(err);
    static const int32_t ws[] = {0, 1, 2, 3, 4}, wd[] = {0, 1, 1, 2, 0};
    assert_pairs(mt, 5, ws, wd);
    TmVerdict *v = tm_matching_check_stability(mt, TM_STABILITY_STRONG, &err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    /* the oracle agrees: strongly stable, and no resident does better in
     * another strongly stable matching */
    ToMask *all;
    size_t n = to_matchings(&m, &all);
    int ok;
    ToMask got = to_from_matching(&m, mt, &ok);
    assert_true(ok && to_is_stable(&m, got, TM_STABILITY_STRONG));
    for (size_t i = 0; i < n; i++)
        if (to_is_stable(&m, all[i], TM_STABILITY_STRONG))
            for (int a = 0; a < 6; a++)
                assert_true(to_weakly_prefers(&m, 0, a, got, all[i]));
    free(all);
    tm_matching_free(mt);
    /* the hospitals (capacities 3, 2) proposing: refused, naming the side */
    assert_null(solve_strong(mk, TM_SIDE_DEMAND, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "propose from the supply side"));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    tm_market_free(mk);
}

/* The classic instance without a strongly stable matching (cf. Irving 1994,
 * and Manlove, "Algorithmics of Matching Under Preferences", 2013, ch. 3):
 *   m1: w1 w2     w1: (m1 m2)
 *   m2: w1 w2     w2: m1 m2
 * w1 must be matched (else the man who does not have her and w1 block,
 * w1 having a free seat); whichever man does not get her prefers her
 * strictly, and she is indifferent: a blocking pair.  From either side;
 * a weakly stable matching (tie breaking) exists all the same. */
static void test_no_strongly_stable_matching(void **state)
{
    (void)state;
    static const int32_t len[] = {2, 2};
    static const int32_t lists[] = {0, 0, 1, 1, 0, 0, 1, 1, /* m1, m2 */
                                    0, 0, 1, 0, 0, 0, 1, 1 /* w1 tie, w2 */};
    ToMarket m;
    TmMarket *mk = both_markets(&m, 2, 2, NULL, NULL, len, len, lists);
    ToMask *all;
    size_t n = to_matchings(&m, &all);
    for (size_t i = 0; i < n; i++)
        assert_false(to_is_stable(&m, all[i], TM_STABILITY_STRONG));
    free(all);
    for (int side = 0; side < 2; side++) {
        GError *err = NULL;
        assert_null(solve_strong(mk, side, &err));
        assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
    }
    /* weak stability by tie breaking */
    GError *err = NULL;
    TmSolveOptions *o = tm_solve_options_new();
    TmMatching *weak = tm_solve(mk, NULL, o, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(weak), 2);
    tm_matching_free(weak);
    tm_solve_options_free(o);
    tm_market_free(mk);
}

/* Hand-worked.  s0: (d0 d1), s1: d0 d1; d0: s1 s0, d1: s0 s1.  The only
 * strongly stable matching is {s0-d1, s1-d0} ({s0-d0, s1-d1} is blocked by
 * (s1, d0): both strictly better off; a smaller matching leaves a free pair
 * that blocks), found from either side. */
static void test_hand_worked(void **state)
{
    (void)state;
    static const int32_t len[] = {2, 2};
    static const int32_t lists1[] = {0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1};
    ToMarket m;
    TmMarket *mk = both_markets(&m, 2, 2, NULL, NULL, len, len, lists1);
    static const int32_t ws[] = {0, 1}, wd[] = {1, 0};
    for (int side = 0; side < 2; side++) {
        GError *err = NULL;
        TmMatching *mt = solve_strong(mk, side, &err);
        assert_no_error(err);
        assert_pairs(mt, 2, ws, wd);
        tm_matching_free(mt);
    }
    tm_market_free(mk);
}

/* Capacity 0 and empty lists: s0 (capacity 0) lists d0; s1 lists nothing;
 * s2: (d0 d1); s3: d1.  d0: (s0 s2), d1 (capacity 2): s3 s2, d2 (capacity
 * 0) lists nobody.  s0 can never gain, so (s0, d0) never blocks; s2 must
 * take d0 (d0 has a free seat otherwise), and then d1 with a free seat and
 * s2 indifferent would block — unless s2 is at d1: then d0 is free and
 * s2 indifferent: blocks too.  So no strongly stable matching; with d0 at
 * capacity 0 as well, {s2-d1, s3-d1} is the answer. */
static void test_capacity_zero_and_empty_lists(void **state)
{
    (void)state;
    static const int32_t slen[] = {1, 0, 2, 1}, dlen[] = {2, 2, 0};
    static const int32_t lists[] = {0, 0, 0, 0, 1, 0, 1, 0, /* s0, s2, s3 */
                                    0, 0, 2, 0, 3, 0, 2, 1 /* d0, d1 */};
    static const int32_t scap[] = {0, 1, 1, 1};
    int32_t dcap[] = {1, 2, 0};
    for (int variant = 0; variant < 2; variant++) {
        dcap[0] = variant ? 0 : 1;
        ToMarket m;
        TmMarket *mk = both_markets(&m, 4, 3, scap, dcap, slen, dlen, lists);
        ToMask *all;
        size_t n = to_matchings(&m, &all);
        GError *err = NULL;
        TmMatching *mt = solve_strong(mk, TM_SIDE_SUPPLY, &err);
        if (variant == 0) {
            for (size_t i = 0; i < n; i++)
                assert_false(to_is_stable(&m, all[i], TM_STABILITY_STRONG));
            assert_null(mt);
            assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
        } else {
            assert_no_error(err);
            static const int32_t ws[] = {2, 3}, wd[] = {1, 1};
            assert_pairs(mt, 2, ws, wd);
            int ok;
            assert_true(to_is_stable(&m, to_from_matching(&m, mt, &ok), TM_STABILITY_STRONG));
            tm_matching_free(mt);
        }
        free(all);
        tm_market_free(mk);
    }
}

/* Solving @mk from @side fails with @code, its message containing @text. */
static void expect_refused(TmMarket *mk, int side, int code, const char *text)
{
    GError *err = NULL;
    assert_null(solve_strong(mk, side, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, text));
    assert_tm_error(err, code);
}

static void test_unsupported_shapes(void **state)
{
    (void)state;
    static const int32_t len[] = {2, 2};
    /* s0: d0 d1, s1: d0 d1; d0: (s0 s1), d1: s0 s1 */
    static const int32_t lists[] = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1};
    static const int32_t cap2[] = {2, 2}, cap1[] = {1, 1};
    /* many-to-many with a tie: refused from both sides */
    ToMarket m;
    TmMarket *mk = both_markets(&m, 2, 2, cap2, cap2, len, len, lists);
    for (int side = 0; side < 2; side++)
        expect_refused(mk, side, TM_ERROR_UNSUPPORTED, "many-to-many");
    tm_market_free(mk);
    /* many-to-one: the demand side (capacities 2) proposing is refused and
     * told to propose from the supply side, which is solved; and mirrored */
    mk = both_markets(&m, 2, 2, cap1, cap2, len, len, lists);
    expect_refused(mk, TM_SIDE_DEMAND, TM_ERROR_UNSUPPORTED, "propose from the supply side");
    GError *err = NULL;
    TmMatching *mt = solve_strong(mk, TM_SIDE_SUPPLY, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(mt), 2);
    tm_matching_free(mt);
    /* groups are refused before the solver (solve.c) */
    TmGroups *g = tm_groups_new(2, 2, &err);
    assert_no_error(err);
    TmSolveOptions *o = strong_options(TM_SIDE_SUPPLY);
    assert_null(tm_solve(mk, g, o, &err));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    tm_solve_options_free(o);
    tm_groups_free(g);
    tm_market_free(mk);
    mk = both_markets(&m, 2, 2, cap2, cap1, len, len, lists);
    expect_refused(mk, TM_SIDE_SUPPLY, TM_ERROR_UNSUPPORTED, "propose from the demand side");
    tm_market_free(mk);
}

static void trigger_on_progress(double fraction, gpointer data)
{
    (void)fraction;
    tm_cancel_trigger(data);
}

/* Solves @mk with cancel handle @c, which the first progress report
 * triggers when @on_progress. */
static TmMatching *solve_cancellable(TmMarket *mk, TmCancel *c, gboolean on_progress, GError **err)
{
    TmSolveOptions *o = strong_options(TM_SIDE_SUPPLY);
    tm_solve_options_set_cancel(o, c);
    if (on_progress)
        tm_solve_options_set_progress(o, trigger_on_progress, c, NULL);
    TmMatching *mt = tm_solve(mk, NULL, o, err);
    tm_solve_options_free(o);
    return mt;
}

static void test_cancel(void **state)
{
    (void)state;
    ToMarket m;
    TmMarket *mk = both_markets(&m, 6, 3, ims_scap, ims_dcap, ims_slen, ims_dlen, ims_lists);
    GError *err = NULL;
    /* triggered before the call */
    TmCancel *c = tm_cancel_new();
    tm_cancel_trigger(c);
    assert_null(solve_cancellable(mk, c, FALSE, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    tm_cancel_unref(c);
    /* triggered during the solve: the instance takes two rounds, and the
     * progress report after the first one triggers the cancel */
    c = tm_cancel_new();
    assert_null(solve_cancellable(mk, c, TRUE, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    assert_true(tm_cancel_is_triggered(c));
    tm_cancel_unref(c);
    /* an untriggered handle changes nothing */
    c = tm_cancel_new();
    TmMatching *mt = solve_cancellable(mk, c, FALSE, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(mt), 5);
    tm_matching_free(mt);
    tm_cancel_unref(c);
    tm_market_free(mk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_one_against_oracle),
        cmocka_unit_test(test_many_to_one_against_oracle),
        cmocka_unit_test(test_larger_markets),
        cmocka_unit_test(test_ims_2003_instance),
        cmocka_unit_test(test_no_strongly_stable_matching),
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_capacity_zero_and_empty_lists),
        cmocka_unit_test(test_unsupported_shapes),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
