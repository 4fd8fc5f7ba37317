/* Király's large weakly stable matchings (tm_solve with max-cardinality;
 * src/core/kiraly.c) on worked instances -- each answer derived by hand in
 * its comment, the maximum confirmed by the brute-force oracle
 * (ties_oracle.h) -- and on its error paths, cancel handle and progress.
 * The randomised comparison with the oracle is test_kiraly.c. */
#include "testutil.h"
#include "ties_oracle.h"

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

/* Size of the largest weakly stable matching of @m, by enumeration. */
static int max_weak(const ToMarket *m)
{
    ToMask *all;
    size_t n = to_matchings(m, &all);
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        int sz = to_size(all[i]);
        if (sz > best && to_is_stable(m, all[i], TM_STABILITY_WEAK))
            best = sz;
    }
    free(all);
    return best;
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
    int ok;
    ToMask got = to_from_matching(m, mt, &ok), w = 0;
    assert_true(ok);
    assert_true(to_is_stable(m, got, TM_STABILITY_WEAK));
    assert_true(tm_matching_is_stable(mt, &err));
    for (; *want != -1; want += 2)
        w |= (ToMask)1 << m->pix[want[0]][want[1]];
    assert_true(got == w);
    TmMatching *tb = solve(mk, side, FALSE);
    assert_int_equal(tm_matching_n_pairs(tb), tb_size);
    assert_int_equal(max_weak(m), max);
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
 * Copies in a strict order, a before b, with d1 kept at the original's
 * rank of the last copy (tied with b) or after the copies, would not do:
 * s1 would prefer a strictly to d1, and a, holding s0 or s2 whom d0 ranks
 * below s1, would block any matching that gives s1 to d1 -- the oracle
 * finds that clone's largest weakly stable matching to be 2. */
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
        assert_int_equal(max_weak(&c), 2);
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
        assert_true(tm_matching_n_proposals(mt) <= 4 * 300 * 300);
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
