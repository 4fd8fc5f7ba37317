/* Super-stable matchings (tm_solve with TM_STABILITY_SUPER on markets with
 * ties; src/core/super.c) and the audit of the three stability notions.
 *
 * - Against the brute-force oracle (ties_oracle.h) on 10,000 one-to-one and
 *   10,000 many-to-one random markets (capacities above 1 on the demand side
 *   and on the supply side; complete and incomplete lists; ties on both
 *   sides and on one side only), each solved from both sides: a matching is
 *   returned iff the oracle finds a super-stable one among all matchings
 *   (else TM_ERROR_NO_SUCH_MATCHING); it is super-stable for the oracle and
 *   for tm_matching_check_stability(); it lives on the given market with its
 *   ranks; every proposer weakly prefers it to every super-stable matching;
 *   every agent has as many partners as in every super-stable matching.
 * - Worked instances from the literature and by hand, with their answers.
 * - Refusals and control: many-to-many, cancel (before and during a run),
 *   progress.
 * - The audit itself: for random tied markets and random capacity-respecting
 *   pair sets (unacceptable pairs among them), the blocking pairs of WEAK,
 *   STRONG and SUPER equal those of a direct reading of matching.h written
 *   here from the raw lists. */
#include "testutil.h"
#include "ties_oracle.h"
#include "ties_cases.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

static TmMatching *solve_super(TmMarket *mk, int side, TmCancel *cancel, GError **err)
{
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_proposing(o, (TmSide)side, NULL));
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_SUPER, NULL));
    tm_solve_options_set_cancel(o, cancel);
    TmMatching *mt = tm_solve(mk, NULL, o, err);
    tm_solve_options_free(o);
    return mt;
}

/* Solves @m from @side.  Returns 1 with the result in *got, or 0 after
 * checking that the error says no super-stable matching exists. */
static int solve_mask(const ToMarket *m, TmMarket *mk, int side, ToMask *got)
{
    GError *err = NULL;
    TmMatching *mt = solve_super(mk, side, NULL, &err);
    if (mt == NULL) {
        assert_non_null(err);
        assert_true(g_str_has_prefix(err->message, "no super-stable matching exists: "));
        assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
        return 0;
    }
    assert_no_error(err);
    int ok;
    *got = to_from_matching(m, mt, &ok);
    assert_true(ok);
    assert_true(tm_matching_market(mt) == mk);
    /* the library's own audit of super-stability passes */
    TmVerdict *v = tm_matching_check_stability(mt, TM_STABILITY_SUPER, &err);
    assert_no_error(err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    /* the pairs carry the market's ranks */
    int32_t ps[TO_MAXP], pd[TO_MAXP], rs[TO_MAXP], rd[TO_MAXP];
    int64_t np = tm_matching_n_pairs(mt);
    assert_true(tm_matching_get_pairs(mt, ps, pd, TO_MAXP, &err));
    assert_true(tm_matching_get_pair_ranks(mt, rs, rd, TO_MAXP, &err));
    for (int64_t i = 0; i < np; i++) {
        assert_int_equal(rs[i], m->r[0][ps[i]][pd[i]]);
        assert_int_equal(rd[i], m->r[1][pd[i]][ps[i]]);
    }
    tm_matching_free(mt);
    return 1;
}

static int partners(const ToMarket *m, ToMask M, int side, int a)
{
    int n = 0;
    for (int p = 0; p < m->n_pairs; p++)
        n += (M >> p & 1) && (side == 0 ? m->ps[p] : m->pd[p]) == a;
    return n;
}

/* ---- against the oracle ----------------------------------------------------- */

typedef struct {
    ToParams p;
    int strict_side; /* -1: ties on both sides; else this side's lists are strict */
    int opposed;     /* tastes in conflict (many stable matchings), else to_random() */
    int count;       /* instances with at least one tie */
} Shape;

typedef struct {
    long instances, found, none, several;
} Tally;

/* Checks one instance; returns 0 (and checks nothing) when it has no tie,
 * since tm_solve() then runs plain deferred acceptance. */
static int check_instance(const ToMarket *m, Tally *t)
{
    GError *err = NULL;
    TmMarket *mk = to_build(m, &err);
    assert_no_error(err);
    assert_non_null(mk);
    if (!tm_market_has_ties(mk)) {
        tm_market_free(mk);
        return 0;
    }
    ToMask *all;
    size_t n = to_matchings(m, &all), n_super = 0;
    for (size_t i = 0; i < n; i++)
        if (to_is_stable(m, all[i], TM_STABILITY_SUPER))
            all[n_super++] = all[i]; /* keep only the super-stable ones */
    for (int side = 0; side < 2; side++) {
        ToMask got = 0;
        int have = solve_mask(m, mk, side, &got);
        assert_int_equal(have, n_super > 0);
        if (!have)
            continue;
        assert_true(to_is_stable(m, got, TM_STABILITY_SUPER));
        for (size_t i = 0; i < n_super; i++) {
            for (int a = 0; a < m->n[side]; a++)
                assert_true(to_weakly_prefers(m, side, a, got, all[i]));
            for (int s2 = 0; s2 < 2; s2++)
                for (int a = 0; a < m->n[s2]; a++)
                    assert_int_equal(partners(m, got, s2, a), partners(m, all[i], s2, a));
        }
    }
    t->instances++;
    t->found += n_super > 0;
    t->none += n_super == 0;
    t->several += n_super > 1;
    free(all);
    tm_market_free(mk);
    return 1;
}

static void run_shapes(const Shape *shapes, size_t n_shapes, uint64_t seed, Tally *t)
{
    uint64_t rng = seed;
    for (size_t sh = 0; sh < n_shapes; sh++)
        for (int done = 0; done < shapes[sh].count;) {
            ToMarket m;
            if (shapes[sh].opposed)
                tc_opposed_random(&m, &rng, &shapes[sh].p);
            else
                to_random(&m, &rng, &shapes[sh].p);
            if (shapes[sh].strict_side >= 0)
                tc_make_strict(&m, shapes[sh].strict_side);
            done += check_instance(&m, t);
        }
}

static void test_one_to_one_against_oracle(void **state)
{
    (void)state;
    static const Shape shapes[] = {
        {{{5, 5}, {1, 1}, 1.0, 0.25}, -1, 0, 2000}, /* complete, ties on both sides */
        {{{5, 5}, {1, 1}, 0.6, 0.5}, -1, 0, 1500},  /* incomplete, both sides */
        {{{5, 5}, {1, 1}, 1.0, 0.5}, 1, 0, 1500},   /* complete, ties on the supply side only */
        {{{5, 5}, {1, 1}, 0.7, 0.6}, 0, 0, 1500},   /* incomplete, ties on the demand side only */
        {{{4, 6}, {1, 1}, 0.8, 0.8}, -1, 0, 500},   /* unequal sides, many ties */
        /* conflicting tastes, few ties: several super-stable matchings */
        {{{6, 6}, {1, 1}, 1.0, 0.1}, -1, 1, 1500},
        {{{6, 6}, {1, 1}, 0.8, 0.15}, 1, 1, 1500},
    };
    Tally t = {0, 0, 0, 0};
    run_shapes(shapes, G_N_ELEMENTS(shapes), 19940101, &t);
    print_message("one-to-one: %ld instances, %ld with a super-stable matching (%ld with "
                  "several), %ld without\n",
                  t.instances, t.found, t.several, t.none);
    assert_int_equal(t.instances, 10000);
    assert_true(t.found > 1000 && t.none > 1000 && t.several > 100);
}

static void test_many_to_one_against_oracle(void **state)
{
    (void)state;
    static const Shape shapes[] = {
        /* capacities on the demand side (supply = residents) */
        {{{5, 3}, {1, 3}, 1.0, 0.3}, -1, 0, 1500},
        {{{6, 3}, {1, 2}, 0.7, 0.5}, 0, 0, 1000},  /* ties in the hospitals' lists only */
        {{{5, 4}, {1, 2}, 0.8, 0.3}, 1, 0, 1000},  /* ties in the residents' lists only */
        {{{6, 3}, {1, 2}, 1.0, 0.1}, -1, 1, 1000}, /* conflicting tastes */
        /* capacities on the supply side */
        {{{3, 5}, {3, 1}, 1.0, 0.3}, -1, 0, 1500},
        {{{3, 6}, {2, 1}, 0.7, 0.5}, 1, 0, 1000},
        {{{4, 5}, {2, 1}, 0.8, 0.3}, 0, 0, 1000},
        {{{3, 6}, {2, 1}, 1.0, 0.1}, -1, 1, 1000},
        /* small and sparse: empty lists and capacity 0 are common */
        {{{4, 4}, {1, 3}, 0.4, 0.5}, -1, 0, 500},
        {{{4, 4}, {3, 1}, 0.4, 0.5}, -1, 0, 500},
    };
    Tally t = {0, 0, 0, 0};
    run_shapes(shapes, G_N_ELEMENTS(shapes), 20000705, &t);
    print_message("many-to-one: %ld instances, %ld with a super-stable matching (%ld with "
                  "several), %ld without\n",
                  t.instances, t.found, t.several, t.none);
    assert_int_equal(t.instances, 10000);
    assert_true(t.found > 1000 && t.none > 1000 && t.several > 100);
}

/* ---- worked instances ---------------------------------------------------- */

/* Checks both proposing sides of a hand instance: @want[side] the expected
 * pairs (NULL: no super-stable matching), cross-checked with the oracle. */
static void check_hand(const ToMarket *m, const ToMask *want)
{
    GError *err = NULL;
    TmMarket *mk = to_build(m, &err);
    assert_no_error(err);
    assert_true(tm_market_has_ties(mk));
    ToMask *all;
    size_t n = to_matchings(m, &all), n_super = 0;
    for (size_t i = 0; i < n; i++)
        n_super += to_is_stable(m, all[i], TM_STABILITY_SUPER);
    free(all);
    for (int side = 0; side < 2; side++) {
        ToMask got = 0;
        int have = solve_mask(m, mk, side, &got);
        assert_int_equal(have, want != NULL);
        assert_int_equal(have, n_super > 0);
        if (have)
            assert_true(got == want[side]);
    }
    tm_market_free(mk);
}

/* The instance of the Wikipedia article "Stable marriage with indifference"
 * (which presents Irving 1994's algorithms on it); men = supply, women =
 * demand, 0-based:
 *   m0: w1 w0 w2         w0: m2 m1 m0
 *   m1: (w2 w0) w1       w1: (m0 m1) m2
 *   m2: w0 w1 w2         w2: m1 m2 m0
 * Worked by hand with Irving's algorithm SUPER: m0 is accepted by w1 (who
 * deletes m2), m1 by w2 (deleting m2, m0) and w0 (deleting m0); m2's list is
 * down to w0, who then prefers m2 to m1 and drops m1, who keeps w2.  Result
 * {m0w1, m1w2, m2w0}; women proposing reach the same matching, which is
 * thus the only super-stable one. */
static void test_wikipedia_indifference(void **state)
{
    (void)state;
    ToMarket m;
    tc_hand_market(&m, 3, 3, NULL, NULL, "1 0 2; (2 0) 1; 0 1 2", "2 1 0; (0 1) 2; 1 2 0");
    static const int s[] = {0, 1, 2}, d[] = {1, 2, 0};
    ToMask M = tc_mask_of(&m, s, d, 3), want[2] = {M, M};
    check_hand(&m, want);
}

/* The two-by-two market that shows super-stable (and strongly stable)
 * matchings need not exist (the kind of example Irving 1994 gives): both men
 * are indifferent between the women, both women prefer m0.  In either
 * perfect matching the woman with m1 and m0 block; a smaller one leaves a
 * free pair. */
static void test_no_super_two_by_two(void **state)
{
    (void)state;
    ToMarket m;
    tc_hand_market(&m, 2, 2, NULL, NULL, "(0 1); (0 1)", "0 1; 0 1");
    check_hand(&m, NULL);
}

/* The instance of HRT in Irving, Manlove & Scott, "Strong stability in the
 * hospitals/residents problem" (STACS 2003, talk slides), residents = supply
 * r1..r6 -> 0..5, hospitals = demand h1..h3 -> 0..2 with 3, 2, 1 posts:
 *   r1: (h2 h3) h1   r2: h2 h1   r3: h3 h2 h1   r4: h2 h3   r5: h2 (h1 h3)
 *   r6: h3
 *   h1: r2 (r1 r3) r5    h2: r3 r2 (r1 r4 r5)    h3: (r4 r5) (r1 r3) r6
 * It has no super-stable matching (worked by hand): h3 must be full (else r6
 * and h3 block); whichever of r4, r5 h3 does not take must be at h2; then r2
 * and r3 must be at h2 or better, which puts r3 at h3 and leaves the other
 * of r4, r5 weakly preferring h3, which strictly prefers it to r3.  The
 * resident-oriented run ends with h3 empty after being full. */
static void test_no_super_hrt_irving_manlove_scott(void **state)
{
    (void)state;
    static const int hcap[] = {3, 2, 1};
    ToMarket m;
    tc_hand_market(&m, 6, 3, NULL, hcap, "(1 2) 0; 1 0; 2 1 0; 1 2; 1 (0 2); 2",
                   "1 (0 2) 4; 2 1 (0 3 4); (3 4) (0 2) 5");
    check_hand(&m, NULL);
    /* the same with the hospitals on the supply side */
    ToMarket t;
    tc_hand_market(&t, 3, 6, hcap, NULL, "1 (0 2) 4; 2 1 (0 3 4); (3 4) (0 2) 5",
                   "(1 2) 0; 1 0; 2 1 0; 1 2; 1 (0 2); 2");
    check_hand(&t, NULL);
}

/* By hand, many-to-one with two super-stable matchings: residents r0..r3
 * (supply), hospitals h0, h1 (1 post), h2 (2 posts, indifferent between r2
 * and r3, who list only h2):
 *   r0: h0 h1   r1: h1 h0   r2: h2   r3: h2
 *   h0: r1 r0   h1: r0 r1   h2: (r2 r3)
 * Residents proposing: {r0h0, r1h1, r2h2, r3h2}; hospitals proposing:
 * {r0h1, r1h0, r2h2, r3h2}.  Then the same with the sides swapped. */
static void test_many_to_one_two_optima(void **state)
{
    (void)state;
    static const int hcap[] = {1, 1, 2};
    ToMarket m, t;
    tc_hand_market(&m, 4, 3, NULL, hcap, "0 1; 1 0; 2; 2", "1 0; 0 1; (2 3)");
    static const int rs[] = {0, 1, 2, 3}, ho[] = {0, 1, 2, 2}, hp[] = {1, 0, 2, 2};
    ToMask want[2] = {tc_mask_of(&m, rs, ho, 4), tc_mask_of(&m, rs, hp, 4)};
    check_hand(&m, want);
    tc_hand_market(&t, 3, 4, hcap, NULL, "1 0; 0 1; (2 3)", "0 1; 1 0; 2; 2");
    ToMask want_t[2] = {tc_mask_of(&t, hp, rs, 4), tc_mask_of(&t, ho, rs, 4)};
    check_hand(&t, want_t);
}

/* Capacity 0 and empty lists, by hand: s0 is indifferent between d0 and d1;
 * s1 (capacity 0) is d0's tied first choice; s2 lists nobody.  With d1 at
 * capacity 1 there is none (whichever of d0, d1 s0 leaves blocks with it:
 * free seat, indifferent s0); with d1 at capacity 0 it is {s0d0}. */
static void test_capacity_zero_and_empty_lists(void **state)
{
    (void)state;
    static const int scap[] = {1, 0, 1}, dcap1[] = {1, 1}, dcap0[] = {1, 0};
    ToMarket m;
    tc_hand_market(&m, 3, 2, scap, dcap1, "(0 1); 0; ", "(1 0); 0");
    check_hand(&m, NULL);
    tc_hand_market(&m, 3, 2, scap, dcap0, "(0 1); 0; ", "(1 0); 0");
    static const int s[] = {0}, d[] = {0};
    ToMask M = tc_mask_of(&m, s, d, 1), want[2] = {M, M};
    check_hand(&m, want);
}

/* ---- refusals, cancel, progress -------------------------------------------- */

static void test_many_to_many_refused(void **state)
{
    (void)state;
    static const int cap[] = {2, 1};
    ToMarket m;
    tc_hand_market(&m, 2, 2, cap, cap, "(0 1); 0 1", "0 1; (0 1)");
    GError *err = NULL;
    TmMarket *mk = to_build(&m, &err);
    assert_no_error(err);
    for (int side = 0; side < 2; side++) {
        assert_null(solve_super(mk, side, NULL, &err));
        assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    }
    tm_market_free(mk);
}

/* n x n, every list complete: supply agents all rank d0 first, d1 next, ...;
 * demand agents all rank s(n-1) first, ..., s0 last, d0's last two tied.
 * The supply side proposing in id order makes about n^2 / 2 proposals (each
 * newcomer displaces a chain); the only super-stable matching is
 * s(k) - d(n-1-k). */
static TmMarket *chain_market(int32_t n)
{
    int32_t *off = g_new(int32_t, (gsize)n + 1), *sids = g_new(int32_t, (gsize)n * n);
    int32_t *dids = g_new(int32_t, (gsize)n * n), *drk = g_new(int32_t, (gsize)n * n);
    for (int32_t a = 0; a <= n; a++)
        off[a] = a * n;
    for (int32_t a = 0; a < n; a++)
        for (int32_t k = 0; k < n; k++) {
            sids[a * n + k] = k;
            dids[a * n + k] = n - 1 - k;
            drk[a * n + k] = (a == 0 && k == n - 1) ? n - 2 : k;
        }
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_ranked_arrays(
        n, n, NULL, NULL, off, sids, NULL, (int64_t)n * n, off, dids, drk, (int64_t)n * n, &err);
    assert_no_error(err);
    g_free(off);
    g_free(sids);
    g_free(dids);
    g_free(drk);
    return mk;
}

typedef struct {
    int calls;
    double last;
    TmCancel *trigger; /* triggered at the first call, if set */
} Progress;

static void on_progress(double fraction, gpointer data)
{
    Progress *p = data;
    assert_true(fraction >= p->last && fraction <= 1.0);
    p->last = fraction;
    p->calls++;
    if (p->trigger)
        tm_cancel_trigger(p->trigger);
}

static void test_cancel_and_progress(void **state)
{
    (void)state;
    const int32_t n = 400;
    TmMarket *mk = chain_market(n);
    GError *err = NULL;

    /* uncancelled: the chain's answer, progress up to 1 */
    Progress pr = {0, 0.0, NULL};
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_SUPER, &err));
    tm_solve_options_set_progress(o, on_progress, &pr, NULL);
    TmMatching *mt = tm_solve(mk, NULL, o, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(mt), n);
    for (int32_t s = 0; s < n; s++)
        assert_int_equal(tm_matching_partners(mt, TM_SIDE_SUPPLY, s, NULL)[0], n - 1 - s);
    assert_true(tm_matching_n_proposals(mt) > (1 << 16)); /* past one cancel check */
    TmVerdict *v = tm_matching_check_stability(mt, TM_STABILITY_SUPER, &err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    tm_matching_free(mt);
    assert_true(pr.calls >= 2);
    assert_true(pr.last == 1.0);

    /* cancelled from the progress callback part way through */
    TmCancel *c = tm_cancel_new();
    Progress pc = {0, 0.0, c};
    tm_solve_options_set_progress(o, on_progress, &pc, NULL);
    tm_solve_options_set_cancel(o, c);
    assert_null(tm_solve(mk, NULL, o, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    assert_int_equal(pc.calls, 1);
    assert_true(pc.last < 1.0);
    tm_solve_options_free(o);

    /* cancelled before the call, through a child handle too */
    ToMarket small;
    tc_hand_market(&small, 2, 2, NULL, NULL, "(0 1); 1 0", "0 1; 1 0");
    TmMarket *sm = to_build(&small, &err);
    assert_no_error(err);
    assert_null(solve_super(sm, 0, c, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    tm_cancel_reset(c);
    TmCancel *child = tm_cancel_new_child(c);
    assert_non_null(mt = solve_super(sm, 1, child, &err));
    tm_matching_free(mt);
    tm_cancel_trigger(c);
    assert_null(solve_super(sm, 1, child, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    tm_cancel_unref(child);
    tm_cancel_unref(c);
    tm_market_free(sm);
    tm_market_free(mk);
}

/* ---- larger markets: the two sides' results agree ---------------------------- */

/* Thousands of agents: a super-stable matching exists from one side iff from
 * the other; both pass the audit, match every agent equally often, and each
 * proposing side weakly prefers its own result to the other's. */
static void test_large_markets_agree(void **state)
{
    (void)state;
    uint64_t rng = 2000;
    long found = 0, none = 0;
    for (int it = 0; it < 12; it++) {
        static const int32_t levels[] = {1000000, 100000, 2000, 50};
        TmMarket *mk = tc_large_market(&rng, 3000, 300, levels[it % 4], it >= 6);
        assert_true(tm_market_has_ties(mk));
        GError *err = NULL;
        TmMatching *res[2];
        for (int side = 0; side < 2; side++) {
            res[side] = solve_super(mk, side, NULL, &err);
            if (res[side] == NULL)
                assert_tm_error(err, TM_ERROR_NO_SUCH_MATCHING);
        }
        assert_int_equal(res[0] != NULL, res[1] != NULL);
        if (res[0] != NULL) {
            for (int side = 0; side < 2; side++) {
                TmVerdict *v = tm_matching_check_stability(res[side], TM_STABILITY_SUPER, &err);
                assert_true(tm_verdict_is_stable(v));
                tm_verdict_free(v);
                tc_compare_sides(res[side], res[!side], (TmSide)side, 1);
                tc_compare_sides(res[side], res[!side], (TmSide)!side, 0);
            }
        }
        found += res[0] != NULL;
        none += res[0] == NULL;
        tm_matching_free(res[0]);
        tm_matching_free(res[1]);
        tm_market_free(mk);
    }
    print_message("large markets: %ld with a super-stable matching, %ld without\n", found, none);
    assert_true(found > 0 && none > 0);
}

/* ---- the audit against a direct reading of matching.h ------------------------ */

/* The rank @a of @side gives @b in its raw list when the pair is acceptable
 * (both list each other), else -1.  Raw ranks order a list as its dense
 * renumbering does, which is all the definitions use. */
static int raw_rank(const ToMarket *m, int side, int a, int b)
{
    int mine = -1, back = 0;
    for (int k = 0; k < m->len[side][a]; k++)
        if (m->list[side][a][k] == b)
            mine = m->lrank[side][a][k];
    for (int k = 0; k < m->len[!side][b]; k++)
        back |= m->list[!side][b][k] == a;
    return back ? mine : -1;
}

/* matching.h: an agent gains strictly from b with a free seat or when it
 * ranks b strictly better than its worst partner (an unacceptable partner is
 * worse than every acceptable one); weakly when b ties with that worst
 * partner.  2 = strictly, 1 = weakly only, 0 = not at all. */
static int direct_gain(const ToMarket *m, int in[TO_MAXN][TO_MAXN], int side, int a, int b)
{
    int count = 0, worst = -1;
    for (int c = 0; c < m->n[!side]; c++) {
        if (!(side == 0 ? in[a][c] : in[c][a]))
            continue;
        count++;
        int r = raw_rank(m, side, a, c);
        worst = r < 0 ? G_MAXINT : MAX(worst, r);
    }
    if (count < m->cap[side][a])
        return 2;
    if (count == 0)
        return 0; /* capacity 0: no seat, no partner to replace */
    int r = raw_rank(m, side, a, b);
    return r < worst ? 2 : r == worst ? 1 : 0;
}

static void test_audit_against_direct_reading(void **state)
{
    (void)state;
    static const ToParams shapes[] = {
        {{5, 5}, {1, 1}, 1.0, 0.4}, {{5, 5}, {1, 1}, 0.6, 0.6}, {{5, 3}, {1, 3}, 0.8, 0.5},
        {{3, 5}, {3, 1}, 0.8, 0.5}, {{4, 4}, {2, 3}, 0.7, 0.5},
    };
    uint64_t rng = 31337;
    long checked = 0, blocking[3] = {0, 0, 0}, with_unacceptable = 0;
    for (size_t sh = 0; sh < G_N_ELEMENTS(shapes); sh++) {
        for (int it = 0; it < 2000; it++) {
            ToMarket m;
            to_random(&m, &rng, &shapes[sh]);
            GError *err = NULL;
            TmMarket *mk = to_build(&m, &err);
            assert_no_error(err);
            /* a random capacity-respecting set of pairs, acceptable or not */
            int in[TO_MAXN][TO_MAXN], used[2][TO_MAXN], np = 0;
            int32_t ps[TO_MAXP], pd[TO_MAXP];
            memset(in, 0, sizeof in);
            memset(used, 0, sizeof used);
            const uint64_t keep = 1 + to_rng(&rng) % 4; /* out of 4 */
            for (int s = 0; s < m.n[0]; s++)
                for (int d = 0; d < m.n[1]; d++) {
                    int acceptable = raw_rank(&m, 0, s, d) >= 0;
                    if (to_rng(&rng) % 4 >= keep || (!acceptable && to_rng(&rng) % 4 != 0) ||
                        used[0][s] >= m.cap[0][s] || used[1][d] >= m.cap[1][d])
                        continue;
                    in[s][d] = 1;
                    used[0][s]++;
                    used[1][d]++;
                    ps[np] = s;
                    pd[np++] = d;
                    with_unacceptable += !acceptable;
                }
            TmMatching *mt = tm_matching_new_from_pairs(mk, ps, pd, np, &err);
            assert_no_error(err);
            for (int st = TM_STABILITY_WEAK; st <= TM_STABILITY_SUPER; st++) {
                int want[TO_MAXN][TO_MAXN], got[TO_MAXN][TO_MAXN];
                memset(want, 0, sizeof want);
                memset(got, 0, sizeof got);
                long n_want = 0;
                for (int s = 0; s < m.n[0]; s++)
                    for (int d = 0; d < m.n[1]; d++) {
                        if (in[s][d] || raw_rank(&m, 0, s, d) < 0)
                            continue;
                        int gs = direct_gain(&m, in, 0, s, d);
                        int gd = direct_gain(&m, in, 1, d, s);
                        int b = st == TM_STABILITY_WEAK     ? gs == 2 && gd == 2
                                : st == TM_STABILITY_STRONG ? gs && gd && (gs == 2 || gd == 2)
                                                            : gs && gd;
                        want[s][d] = b;
                        n_want += b;
                    }
                TmVerdict *v = tm_matching_check_stability(mt, (TmStability)st, &err);
                assert_no_error(err);
                int64_t nb = tm_verdict_n_blocking_pairs(v);
                assert_int_equal(nb, n_want);
                for (int64_t i = 0; i < nb; i++) {
                    int32_t s, d;
                    assert_true(tm_verdict_blocking_pair(v, i, &s, &d));
                    assert_true(s >= 0 && s < m.n[0] && d >= 0 && d < m.n[1]);
                    assert_false(got[s][d]);
                    got[s][d] = 1;
                }
                assert_memory_equal(got, want, sizeof got);
                blocking[st] += n_want > 0;
                tm_verdict_free(v);
            }
            tm_matching_free(mt);
            tm_market_free(mk);
            checked++;
        }
    }
    print_message("audit: %ld pair sets; with blocking pairs: weak %ld, strong %ld, super %ld; "
                  "%ld unacceptable pairs\n",
                  checked, blocking[0], blocking[1], blocking[2], with_unacceptable);
    assert_int_equal(checked, 10000);
    assert_true(blocking[0] > 1000 && blocking[1] > blocking[0] && blocking[2] > blocking[1]);
    assert_true(with_unacceptable > 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_one_against_oracle),
        cmocka_unit_test(test_many_to_one_against_oracle),
        cmocka_unit_test(test_wikipedia_indifference),
        cmocka_unit_test(test_no_super_two_by_two),
        cmocka_unit_test(test_no_super_hrt_irving_manlove_scott),
        cmocka_unit_test(test_many_to_one_two_optima),
        cmocka_unit_test(test_capacity_zero_and_empty_lists),
        cmocka_unit_test(test_many_to_many_refused),
        cmocka_unit_test(test_cancel_and_progress),
        cmocka_unit_test(test_large_markets_agree),
        cmocka_unit_test(test_audit_against_direct_reading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
