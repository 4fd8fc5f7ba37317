/* Király's large weakly stable matchings (tm_solve with max-cardinality on a
 * market with ties; src/core/kiraly.c) against the brute-force oracle
 * (ties_oracle.h), on worked instances, and on its error paths.
 *
 * - Random one-to-one and many-to-one markets (complete and incomplete
 *   lists; ties on both sides, on the supply side only, on the demand side
 *   only; either side proposing): the result is weakly stable by the
 *   oracle's reading and by tm_matching_check(), respects every capacity,
 *   carries the market's ranks, and has at least 2/3 as many pairs as the
 *   oracle's largest weakly stable matching.  Against plain tie breaking
 *   (tm_solve without max-cardinality) it is at least as large in aggregate;
 *   the test prints how often each reaches the maximum.
 * - Markets without ties (which tm_solve never sends here; called directly):
 *   the result is the proposing side's optimal stable matching.
 * - Worked instances, each answer derived by hand in its comment. */
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
            for (int side = 0; side < 2; side++) {
                TmMatching *mt = kiraly(mk, side);
                ToMask got = check_result(&m, mt, mk);
                int size = to_size(got);
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

/* ---- worked instances -------------------------------------------------- */

/* A ToMarket from lists written as {agent, rank} pairs per agent, -1 ended. */
static void hand(ToMarket *m, int ns, int nd, const int *cap_s, const int *cap_d,
                 const int *lists_s, const int *lists_d)
{
    memset(m, 0, sizeof *m);
    m->n[0] = ns;
    m->n[1] = nd;
    const int *lists[2] = {lists_s, lists_d}, *caps[2] = {cap_s, cap_d};
    for (int side = 0; side < 2; side++) {
        const int *p = lists[side];
        for (int a = 0; a < m->n[side]; a++) {
            m->cap[side][a] = caps[side] ? caps[side][a] : 1;
            for (; *p != -1; p += 2) {
                m->list[side][a][m->len[side][a]] = p[0];
                m->lrank[side][a][m->len[side][a]++] = p[1];
            }
            p++;
        }
    }
    assert_int_equal(to_prepare(m), 0);
}

/* Solves @m from @side both ways and checks: Király gives exactly @want (a
 * list of supply, demand pairs, -1 ended), tie breaking by position gives
 * @tb_size pairs, and the oracle's maximum is @max. */
static void worked(const ToMarket *m, int side, const int *want, int tb_size, int max)
{
    GError *err = NULL;
    TmMarket *mk = to_build(m, &err);
    assert_no_error(err);
    assert_true(tm_market_has_ties(mk));
    TmMatching *mt = solve(mk, side, TRUE);
    ToMask got = check_result(m, mt, mk), w = 0;
    for (; *want != -1; want += 2)
        w |= (ToMask)1 << m->pix[want[0]][want[1]];
    assert_true(got == w);
    TmMatching *tb = solve(mk, side, FALSE);
    assert_int_equal(tm_matching_n_pairs(tb), tb_size);
    ToMask *all;
    size_t n = to_matchings(m, &all);
    assert_int_equal(max_weak(m, all, n), max);
    free(all);
    tm_matching_free(tb);
    tm_matching_free(mt);
    tm_market_free(mk);
}

/* Ties on the proposers' side only (Király 2013, the situation the maidens
 * rule is for).  s0: d0 ~ d1; s1: d0.  d0: s0, s1 (strict); d1: s0.
 * Tie breaking: s0 takes d0, d0 refuses s1 (she prefers s0): 1 pair.
 * Király: s0 proposes to the maiden d0 and stays uncertain (d1 is a maiden
 * of his tie); s1 proposes to d0, who leaves the uncertain s0 for s1 even
 * though she ranks s0 higher; s0 goes on to the maiden d1: {s0-d1, s1-d0},
 * weakly stable (s0 is indifferent between d0 and d1) and the maximum, 2.
 * Mirrored (the sides swapped, demand proposing): the same answer. */
static void test_worked_uncertain_man(void **state)
{
    (void)state;
    static const int ls[] = {0, 0, 1, 0, -1, 0, 0, -1};
    static const int ld[] = {0, 0, 1, 1, -1, 0, 0, -1};
    static const int want[] = {0, 1, 1, 0, -1};
    ToMarket m;
    hand(&m, 2, 2, NULL, NULL, ls, ld);
    worked(&m, 0, want, 1, 2);
    static const int mirrored_want[] = {1, 0, 0, 1, -1};
    hand(&m, 2, 2, NULL, NULL, ld, ls);
    worked(&m, 1, mirrored_want, 1, 2);
}

/* Ties on the receivers' side only (the promotion of Section 2).
 * s0: d0, d1; s1: d0.  d0: s0 ~ s1; d1: s0.
 * Tie breaking: d0 keeps s0 (listed first), s1 is left out: 1 pair.
 * Király: s0 takes d0; s1 is refused (a lad against a lad of the same rank,
 * d0 keeps her fiancé), exhausts his list and is promoted; as a bachelor he
 * wins d0 from the lad s0, who goes on to the maiden d1: {s0-d1, s1-d0}, 2,
 * the maximum. */
static void test_worked_promotion(void **state)
{
    (void)state;
    static const int ls[] = {0, 0, 1, 1, -1, 0, 0, -1};
    static const int ld[] = {0, 0, 1, 0, -1, 0, 0, -1};
    static const int want[] = {0, 1, 1, 0, -1};
    ToMarket m;
    hand(&m, 2, 2, NULL, NULL, ls, ld);
    worked(&m, 0, want, 1, 2);
    static const int mirrored_want[] = {1, 0, 0, 1, -1};
    hand(&m, 2, 2, NULL, NULL, ld, ls);
    worked(&m, 1, mirrored_want, 1, 2);
}

/* The bound is tight for this order of proposals: s0: d0; s1: d1, d2;
 * s2: d0, d1 (strict); d0: s0 ~ s2; d1: s2 ~ s1; d2: s1.
 * The largest weakly stable matching is {s0-d0, s1-d2, s2-d1} (3): s2
 * prefers d0 but d0 is indifferent, s1 prefers d1 but d1 is indifferent.
 * Király, men taken in id order: s0 takes d0, s1 takes d1; s2 is refused by
 * both (lads of equal rank: each keeps her fiancé), is promoted and as a
 * bachelor wins d0 from the lad s0; s0, refused by his only woman, is
 * promoted, but d0 keeps the bachelor s2 against the bachelor s0.  Result
 * {s1-d1, s2-d0}: 2 = 2/3 of 3.  Tie breaking by position happens to reach
 * 3 here (d1 then prefers s2, listed first, and s1 moves on to d2). */
static void test_worked_tight(void **state)
{
    (void)state;
    static const int ls[] = {0, 0, -1, 1, 0, 2, 1, -1, 0, 0, 1, 1, -1};
    static const int ld[] = {0, 0, 2, 0, -1, 2, 0, 1, 0, -1, 1, 0, -1};
    static const int want[] = {1, 1, 2, 0, -1};
    ToMarket m;
    hand(&m, 3, 3, NULL, NULL, ls, ld);
    worked(&m, 0, want, 3, 3);
}

/* Many-to-one: why the copies are tied.  Hospitals d0 (capacity 2) and d1;
 * residents s0: d0; s1: d0 ~ d1; s2: d0.  d0: s1, then s0 ~ s2; d1: s1.
 * The maximum is 3, {s0-d0, s2-d0, s1-d1}: s1 is indifferent between d0 and
 * d1.  Király with d0's copies a, b tied: s0 takes a (uncertain: b is a
 * maiden), s1 takes b (uncertain: d1 is a maiden), s2 is refused by a (s0
 * has become certain; equal lads) and taken by b, fickle toward the
 * uncertain s1, who goes on to the maiden d1: all three matched.  Tie
 * breaking by position: s1 takes d0 and stays (d0 prefers him): 2 pairs.
 * With the hospitals proposing (copies a, b of d0 as men, listed tied by the
 * residents): a takes s1; b is refused by s1 (equal lads) and takes s0,
 * uncertain (s2 is a maiden); d1 is refused by s1, promoted, and as a
 * bachelor wins s1 from the lad a; a goes on to the maiden s2: again
 * {s0-d0, s2-d0, s1-d1}.  Tie breaking by position: d0 proposes to s1 first
 * and keeps him: 2 pairs.
 * Copies in a strict order (a before b, d1 tied with a or with b) would not
 * do: s1 would prefer a strictly to d1, and a, holding s0 or s2 whom d0
 * ranks below s1, would block any matching that gives s1 to d1 -- the
 * oracle finds the clone's largest weakly stable matching to be 2. */
static void test_worked_many_to_one(void **state)
{
    (void)state;
    static const int cap_d[] = {2, 1};
    static const int ls[] = {0, 0, -1, 0, 0, 1, 0, -1, 0, 0, -1};
    static const int ld[] = {1, 0, 0, 1, 2, 1, -1, 1, 0, -1};
    static const int want[] = {0, 0, 1, 1, 2, 0, -1};
    ToMarket m;
    hand(&m, 3, 2, NULL, cap_d, ls, ld);
    worked(&m, 0, want, 2, 3);
    worked(&m, 1, want, 2, 3);

    /* the strictly ordered clone, one-to-one: demand 0 = a, 1 = b, 2 = d1,
     * with s1 listing d1 tied with b, then strictly after b */
    for (int variant = 0; variant < 2; variant++) {
        const int ls_strict[] = {0, 0, 1, 1, -1, 0, 0, 1, 1, 2, 1 + variant, -1,
                                 0, 0, 1, 1, -1};
        static const int ld_strict[] = {1, 0, 0, 1, 2, 1, -1, 1, 0, 0, 1, 2, 1, -1,
                                        1, 0, -1};
        ToMarket c;
        hand(&c, 3, 3, NULL, NULL, ls_strict, ld_strict);
        ToMask *all;
        size_t n = to_matchings(&c, &all);
        assert_int_equal(max_weak(&c, all, n), 2);
        free(all);
    }
}

/* Capacities far above the list lengths are clamped (no copies wasted):
 * d0 of capacity 10^9 and three residents who all tie her with d1. */
static void test_huge_capacity(void **state)
{
    (void)state;
    static const int32_t dcap[] = {1000000000, 1};
    static const int32_t soff[] = {0, 2, 4, 6}, sids[] = {0, 1, 0, 1, 0, 1};
    static const int32_t srk[] = {0, 0, 0, 0, 0, 0};
    static const int32_t doff[] = {0, 3, 6}, dids[] = {0, 1, 2, 0, 1, 2};
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_ranked_arrays(3, 2, NULL, dcap, soff, sids, srk, 6, doff,
                                                    dids, NULL, 6, &err);
    assert_no_error(err);
    for (int side = 0; side < 2; side++) {
        TmMatching *mt = solve(mk, side, TRUE);
        assert_int_equal(tm_matching_n_pairs(mt), 3);
        assert_true(tm_matching_is_stable(mt, &err));
        tm_matching_free(mt);
    }
    tm_market_free(mk);
}

/* ---- errors, cancel, progress ----------------------------------------- */

static TmMarket *tied_square(int32_t n, int32_t cap_s, int32_t cap_d)
{
    /* complete lists, the same for everyone: the other side by id, in ties
     * of three (so proposals pile up: Theta(n^2) of them) */
    int32_t *off = g_new(int32_t, (gsize)n + 1), *ids = g_new(int32_t, (gsize)n * n);
    int32_t *rk = g_new(int32_t, (gsize)n * n), *cs = g_new(int32_t, (gsize)n);
    int32_t *cd = g_new(int32_t, (gsize)n);
    for (int32_t a = 0; a <= n; a++)
        off[a] = a * n;
    for (int32_t a = 0; a < n; a++) {
        cs[a] = cap_s;
        cd[a] = cap_d;
        for (int32_t k = 0; k < n; k++) {
            ids[a * n + k] = k;
            rk[a * n + k] = k / 3;
        }
    }
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_ranked_arrays(n, n, cs, cd, off, ids, rk, (int64_t)n * n,
                                                    off, ids, rk, (int64_t)n * n, &err);
    assert_no_error(err);
    g_free(off);
    g_free(ids);
    g_free(rk);
    g_free(cs);
    g_free(cd);
    return mk;
}

static void test_many_to_many_refused(void **state)
{
    (void)state;
    TmMarket *mk = tied_square(4, 2, 2);
    GError *err = NULL;
    TmSolveOptions *o = options(0, TRUE);
    assert_null(tm_solve(mk, NULL, o, &err));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    /* one side above 1 is fine */
    tm_market_free(mk);
    mk = tied_square(4, 1, 2);
    TmMatching *mt = tm_solve(mk, NULL, o, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(mt), 4);
    tm_matching_free(mt);
    tm_solve_options_free(o);
    tm_market_free(mk);
}

typedef struct {
    TmCancel *cancel;
    int calls, cancel_at;
    double last;
    gboolean monotone;
} Progress;

static void on_progress(double fraction, gpointer data)
{
    Progress *p = data;
    if (fraction < p->last || fraction < 0.0 || fraction > 1.0)
        p->monotone = FALSE;
    p->last = fraction;
    if (++p->calls == p->cancel_at)
        tm_cancel_trigger(p->cancel);
}

static void test_cancel_and_progress(void **state)
{
    (void)state;
    TmMarket *mk = tied_square(300, 1, 1);
    GError *err = NULL;
    for (int side = 0; side < 2; side++) {
        /* a handle triggered before the call */
        TmCancel *cancel = tm_cancel_new();
        tm_cancel_trigger(cancel);
        TmSolveOptions *o = options(side, TRUE);
        tm_solve_options_set_cancel(o, cancel);
        assert_null(tm_solve(mk, NULL, o, &err));
        assert_tm_error(err, TM_ERROR_CANCELLED);

        /* no cancel: progress runs from 0 to 1 */
        tm_cancel_reset(cancel);
        Progress p = { cancel, 0, -1, 0.0, TRUE };
        tm_solve_options_set_progress(o, on_progress, &p, NULL);
        TmMatching *mt = tm_solve(mk, NULL, o, &err);
        assert_no_error(err);
        assert_int_equal(tm_matching_n_pairs(mt), 300);
        assert_true(p.monotone);
        assert_true(p.calls >= 3);
        assert_true(p.last == 1.0);
        tm_matching_free(mt);

        /* cancelled part way, from the second progress call */
        p = (Progress){ cancel, 0, 2, 0.0, TRUE };
        assert_null(tm_solve(mk, NULL, o, &err));
        assert_tm_error(err, TM_ERROR_CANCELLED);
        assert_int_equal(p.calls, 2);
        tm_solve_options_free(o);
        tm_cancel_unref(cancel);
    }
    tm_market_free(mk);
}

/* The dispatch around it (solve.c): max-cardinality is a weak-stability
 * setting, and groups are not supported with it. */
static void test_option_errors(void **state)
{
    (void)state;
    TmMarket *mk = tied_square(3, 1, 1);
    GError *err = NULL;
    TmSolveOptions *o = options(0, TRUE);
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_STRONG, &err));
    assert_null(tm_solve(mk, NULL, o, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_WEAK, &err));
    TmGroups *g = tm_groups_new(3, 3, &err);
    assert_no_error(err);
    assert_null(tm_solve(mk, g, o, &err));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    tm_groups_free(g);
    tm_solve_options_free(o);
    tm_market_free(mk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_one_against_oracle),
        cmocka_unit_test(test_many_to_one_against_oracle),
        cmocka_unit_test(test_without_ties_is_deferred_acceptance),
        cmocka_unit_test(test_worked_uncertain_man),
        cmocka_unit_test(test_worked_promotion),
        cmocka_unit_test(test_worked_tight),
        cmocka_unit_test(test_worked_many_to_one),
        cmocka_unit_test(test_huge_capacity),
        cmocka_unit_test(test_many_to_many_refused),
        cmocka_unit_test(test_cancel_and_progress),
        cmocka_unit_test(test_option_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
