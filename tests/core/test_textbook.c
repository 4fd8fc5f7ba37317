/* Textbook instances whose answers were worked out by hand.
 *
 * Proposal counts: in deferred acceptance a proposer is never re-accepted
 * by an agent that rejected it, and holds each final partner from its
 * proposal on, so the set of proposals does not depend on the order: a
 * proposer with capacity c proposes down its (reduced) list until its worst
 * final partner if it ends with c partners, else through the whole list.
 */
#include "testutil.h"

#include <math.h>
#include <string.h>

/* pairs: interleaved s0,d0,s1,d1,... in the exact order of get_pairs() */
static void expect_pairs(const TmMatching *M, const int32_t *pairs, int64_t n)
{
    GError *err = NULL;
    assert_int_equal(tm_matching_n_pairs(M), n);
    int32_t s[64], d[64];
    assert_true(n <= 64);
    assert_true(tm_matching_get_pairs(M, s, d, tm_matching_n_pairs(M), &err));
    assert_no_error(err);
    for (int64_t i = 0; i < n; i++) {
        if (s[i] != pairs[2 * i] || d[i] != pairs[2 * i + 1]) {
            print_error("pair %d: got (%d,%d), expected (%d,%d)\n", (int)i, s[i], d[i],
                        pairs[2 * i], pairs[2 * i + 1]);
            fail();
        }
    }
}

static TmMatching *solve(TmMarket *mk, TmSide side)
{
    GError *err = NULL;
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_proposing(o, side, &err));
    TmMatching *M = tm_solve(mk, NULL, o, &err);
    tm_solve_options_free(o);
    assert_no_error(err);
    assert_non_null(M);
    assert_true(tm_matching_is_stable(M, &err));
    assert_no_error(err);
    return M;
}

static void expect_solution(TmMarket *mk, TmSide side, const int32_t *pairs, int64_t n,
                            int64_t proposals)
{
    TmMatching *M = solve(mk, side);
    expect_pairs(M, pairs, n);
    assert_int_equal(tm_matching_n_proposals(M), proposals);
    tm_matching_free(M);
}

static TmMatching *hand(TmMarket *mk, const int32_t *pairs, int64_t n)
{
    GError *err = NULL;
    int32_t s[64], d[64];
    for (int64_t i = 0; i < n; i++) {
        s[i] = pairs[2 * i];
        d[i] = pairs[2 * i + 1];
    }
    TmMatching *M = tm_matching_new_from_pairs(mk, s, d, n, &err);
    assert_no_error(err);
    assert_non_null(M);
    return M;
}

static void expect_blocking(const TmMatching *M, const int32_t *pairs, int64_t n)
{
    GError *err = NULL;
    int32_t *s = NULL, *d = NULL;
    int64_t nb = -1;
    assert_true(tm_matching_blocking_pairs(M, &s, &d, &nb, &err));
    assert_no_error(err);
    assert_int_equal(nb, n);
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(s[i], pairs[2 * i]);
        assert_int_equal(d[i], pairs[2 * i + 1]);
    }
    g_free(s);
    g_free(d);
    assert_int_equal(!!tm_matching_is_stable(M, &err), n == 0);
    assert_no_error(err);
}

/* ---- one-to-one ---------------------------------------------------------- */

/* The 3x3 cyclic marriage market: every man's first choice is a different
 * woman, every woman's first choice a different man, and the two are
 * crossed, so man-optimal, woman-optimal and a third (everyone's second
 * choice) matching are all stable. */
static const int32_t cyc_men[] = { 0, 1, 2, -1, 1, 2, 0, -1, 2, 0, 1, -1 };
static const int32_t cyc_women[] = { 1, 2, 0, -1, 2, 0, 1, -1, 0, 1, 2, -1 };

static void test_cyclic_3x3(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 3, NULL, NULL, cyc_men, cyc_women, &err);
    assert_no_error(err);
    assert_non_null(mk);
    assert_int_equal(tm_market_n_pairs(mk), 9);

    static const int32_t man_opt[] = { 0, 0, 1, 1, 2, 2 };
    static const int32_t woman_opt[] = { 0, 2, 1, 0, 2, 1 };
    expect_solution(mk, TM_SIDE_SUPPLY, man_opt, 3, 3);
    expect_solution(mk, TM_SIDE_DEMAND, woman_opt, 3, 3);

    /* the middle stable matching */
    static const int32_t middle[] = { 0, 1, 1, 2, 2, 0 };
    TmMatching *M = hand(mk, middle, 3);
    expect_blocking(M, NULL, 0);
    tm_matching_free(M);

    /* m0-w0, m1-w2, m2-w1: only (m2, w0) blocks (w0 holds her last choice
     * m0 and ranks m2 second; m2 holds his last choice w1) */
    static const int32_t bad[] = { 0, 0, 1, 2, 2, 1 };
    static const int32_t bad_blocking[] = { 2, 0 };
    M = hand(mk, bad, 3);
    expect_blocking(M, bad_blocking, 1);
    TmVerdict *v = tm_matching_check(M, &err);
    assert_no_error(err);
    assert_false(tm_verdict_is_stable(v));
    assert_int_equal(tm_verdict_n_violations(v), 0);
    tm_verdict_free(v);
    tm_matching_free(M);

    /* empty matching: every acceptable pair blocks, ordered by supply id then
     * supply rank */
    static const int32_t all[] = { 0, 0, 0, 1, 0, 2, 1, 1, 1, 2, 1, 0, 2, 2, 2, 0, 2, 1 };
    M = tm_matching_new_from_pairs(mk, NULL, NULL, 0, &err);
    assert_no_error(err);
    assert_non_null(M);
    expect_blocking(M, all, 9);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* A 4x4 instance with rejections on both sides.
 *   m0: w0 w1 w2 w3     w0: m3 m2 m1 m0
 *   m1: w0 w2 w1 w3     w1: m0 m1 m3 m2
 *   m2: w1 w0 w3 w2     w2: m0 m2 m1 m3
 *   m3: w1 w3 w0 w2     w3: m2 m1 m0 m3
 * Men propose: round 1 w0 keeps m1 over m0, w1 keeps m3 over m2; m0 -> w1
 * (displaces m3), m2 -> w0 (displaces m1); m3 -> w3, m1 -> w2.  Every man
 * ends at his second choice: 8 proposals.
 * Women propose: w1 and w2 both ask m0 (keeps w1); w2 -> m2 (keeps w3);
 * w2 -> m1.  6 proposals. */
static const int32_t g4_men[] = { 0, 1, 2, 3, -1, 0, 2, 1, 3, -1, 1, 0, 3, 2, -1, 1, 3, 0, 2, -1 };
static const int32_t g4_women[] = { 3, 2, 1, 0, -1, 0, 1, 3, 2, -1, 0, 2, 1, 3, -1, 2, 1, 0, 3, -1 };

static void test_gale_shapley_4x4(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *mk = tt_market(4, 4, NULL, NULL, g4_men, g4_women, &err);
    assert_no_error(err);
    assert_non_null(mk);

    static const int32_t man_opt[] = { 0, 1, 1, 2, 2, 0, 3, 3 };
    static const int32_t woman_opt[] = { 0, 1, 1, 2, 2, 3, 3, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, man_opt, 4, 8);
    expect_solution(mk, TM_SIDE_DEMAND, woman_opt, 4, 6);

    /* identity matching: (m1,w0), (m2,w0), (m2,w3) block */
    static const int32_t ident[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
    static const int32_t ident_blocking[] = { 1, 0, 2, 0, 2, 3 };
    TmMatching *M = hand(mk, ident, 4);
    expect_blocking(M, ident_blocking, 3);
    tm_matching_free(M);

    /* stats of the man-optimal matching: men all at rank 1; women:
     * w0 gets m2 (rank 1), w1 m0 (0), w2 m1 (2), w3 m3 (3) */
    M = solve(mk, TM_SIDE_SUPPLY);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_int_equal(st.pairs, 4);
    assert_int_equal(st.proposals, 8);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_mean, 1.0, 1e-12);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_median, 1.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].rank_max, 1);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_mean, 1.5, 1e-12);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_median, 1.5, 1e-12);
    assert_int_equal(st.side[TM_SIDE_DEMAND].rank_max, 3);
    int64_t h[4];
    assert_true(tm_matching_rank_histogram(M, TM_SIDE_DEMAND, h, 4, &err));
    assert_no_error(err);
    assert_int_equal(h[0], 1);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 1);
    assert_int_equal(h[3], 1);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* Identical preferences on both sides: a unique stable matching m_i-w_i,
 * reached after the worst case of 1+2+3+4 = 10 proposals from either side. */
static void test_identical_preferences(void **state)
{
    (void)state;
    static const int32_t lists[] = { 0, 1, 2, 3, -1, 0, 1, 2, 3, -1,
                                     0, 1, 2, 3, -1, 0, 1, 2, 3, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(4, 4, NULL, NULL, lists, lists, &err);
    assert_no_error(err);
    static const int32_t want[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
    expect_solution(mk, TM_SIDE_SUPPLY, want, 4, 10);
    expect_solution(mk, TM_SIDE_DEMAND, want, 4, 10);
    tm_market_free(mk);
}

/* Incomplete lists, unequal sides: 3 men, 2 women.
 *   m0: w0          w0: m2 m1 m0
 *   m1: w0 w1       w1: m1 m2
 *   m2: w0 w1
 * Men: all ask w0, she keeps m2; m0 is out of options, m1 gets w1:
 * 1 + 2 + 1 = 4 proposals.  Women: w0 -> m2, w1 -> m1: 2 proposals. */
static void test_incomplete_unequal(void **state)
{
    (void)state;
    static const int32_t men[] = { 0, -1, 0, 1, -1, 0, 1, -1 };
    static const int32_t women[] = { 2, 1, 0, -1, 1, 2, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 2, NULL, NULL, men, women, &err);
    assert_no_error(err);
    static const int32_t want[] = { 1, 1, 2, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, want, 2, 4);
    expect_solution(mk, TM_SIDE_DEMAND, want, 2, 2);
    TmMatching *M = solve(mk, TM_SIDE_SUPPLY);
    int32_t n = -1;
    assert_null(tm_matching_partners(M, TM_SIDE_SUPPLY, 0, &n));
    assert_int_equal(n, 0);
    assert_int_equal(tm_matching_n_partners(M, TM_SIDE_SUPPLY, 0), 0);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].matched_agents, 2);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].seats, 3);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].filled_seats, 2);
    assert_int_equal(st.side[TM_SIDE_DEMAND].matched_agents, 2);
    assert_int_equal(st.side[TM_SIDE_DEMAND].filled_seats, 2);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* ---- many-to-one: college admissions -------------------------------------- */

/* Students s0..s4 (capacity 1), colleges c0 (2), c1 (2), c2 (1).
 *   s0: c0 c1 c2    c0: s3 s4 s0 s1 s2
 *   s1: c0 c2 c1    c1: s2 s0 s1 s3 s4   (s4 does not list c1: dropped)
 *   s2: c0 c1       c2: s1 s4 s3 s0
 *   s3: c1 c0 c2
 *   s4: c0 c2
 * Students propose: c0 gets s0 s1 s2 s4, keeps s4 s0; s1 -> c2, s2 -> c1
 * (with s3).  1+2+2+1+1 = 7 proposals.
 * Colleges propose: c0 -> s3 s4, c1 -> s2 s0, c2 -> s1; nobody rejects: 5. */
static const int32_t ca_students[] = { 0, 1, 2, -1, 0, 2, 1, -1, 0, 1, -1, 1, 0, 2, -1, 0, 2, -1 };
static const int32_t ca_colleges[] = { 3, 4, 0, 1, 2, -1, 2, 0, 1, 3, 4, -1, 1, 4, 3, 0, -1 };
static const int32_t ca_cap[] = { 2, 2, 1 };

static void test_college_admissions(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *mk = tt_market(5, 3, NULL, ca_cap, ca_students, ca_colleges, &err);
    assert_no_error(err);
    assert_non_null(mk);
    assert_int_equal(tm_market_n_pairs(mk), 13);
    assert_int_equal(tm_market_n_dropped(mk, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_market_n_dropped(mk, TM_SIDE_DEMAND), 1);
    assert_int_equal(tm_market_rank(mk, TM_SIDE_DEMAND, 1, 3), 3);
    assert_int_equal(tm_market_rank(mk, TM_SIDE_DEMAND, 1, 4), -1);

    static const int32_t student_opt[] = { 0, 0, 1, 2, 2, 1, 3, 1, 4, 0 };
    static const int32_t college_opt[] = { 0, 1, 1, 2, 2, 1, 3, 0, 4, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, student_opt, 5, 7);
    expect_solution(mk, TM_SIDE_DEMAND, college_opt, 5, 5);

    TmMatching *M = solve(mk, TM_SIDE_SUPPLY);
    int32_t n = 0;
    const int32_t *p = tm_matching_partners(M, TM_SIDE_DEMAND, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0], 4); /* c0 ranks s4 above s0 */
    assert_int_equal(p[1], 0);
    p = tm_matching_partners(M, TM_SIDE_DEMAND, 1, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0], 2);
    assert_int_equal(p[1], 3);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    /* supply ranks 0,1,1,0,0; demand ranks c0:s0 2, c0:s4 1, c1:s2 0,
     * c1:s3 3, c2:s1 0 */
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_mean, 0.4, 1e-12);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_median, 0.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].rank_max, 1);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_mean, 1.2, 1e-12);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_median, 1.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_DEMAND].rank_max, 3);
    assert_int_equal(st.side[TM_SIDE_DEMAND].seats, 5);
    assert_int_equal(st.side[TM_SIDE_DEMAND].filled_seats, 5);
    assert_int_equal(st.side[TM_SIDE_DEMAND].matched_agents, 3);
    assert_int_equal(st.side[TM_SIDE_DEMAND].dropped_entries, 1);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].dropped_entries, 0);
    int64_t h[5];
    assert_true(tm_matching_rank_histogram(M, TM_SIDE_DEMAND, h, 5, &err));
    assert_no_error(err);
    assert_int_equal(h[0], 2);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 1);
    assert_int_equal(h[3], 1);
    assert_int_equal(h[4], 0);
    tm_matching_free(M);

    M = solve(mk, TM_SIDE_DEMAND);
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_mean, 0.8, 1e-12);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_median, 1.0, 1e-12);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_mean, 0.4, 1e-12);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_median, 0.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_DEMAND].rank_max, 1);
    tm_matching_free(M);

    /* s1 placed at c0 instead of s0: c0 = {s1, s4}; s0 goes to c2 (cap 1,
     * displacing s1's place) -> matching s0-c2, s1-c0, s2-c1, s3-c1, s4-c0.
     * Blocking: s0 would take c0 (rank 0 < 2), c0 holds s1 (rank 3) and
     * ranks s0 2 -> blocks; s0-c1: c1 full with s2 (0), s3 (3), ranks s0 1
     * -> blocks.  s1 holds its first choice.  s3-c0: c0 ranks s3 0 < 3,
     * s3 prefers c1 (holds it) -> no.  Blocking: (0,0), (0,1). */
    static const int32_t swapped[] = { 0, 2, 1, 0, 2, 1, 3, 1, 4, 0 };
    static const int32_t swapped_blocking[] = { 0, 0, 0, 1 };
    M = hand(mk, swapped, 5);
    expect_blocking(M, swapped_blocking, 2);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* ---- many-to-many ---------------------------------------------------------- */

/* The cyclic 3x3 market with capacity 2 everywhere: each agent's top two
 * on the proposing side, no rejection, 6 proposals either way, and the two
 * side-optimal matchings are disjoint. */
static void test_many_to_many_cyclic(void **state)
{
    (void)state;
    static const int32_t cap[] = { 2, 2, 2 };
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 3, cap, cap, cyc_men, cyc_women, &err);
    assert_no_error(err);
    assert_non_null(mk);
    static const int32_t supply_opt[] = { 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0 };
    static const int32_t demand_opt[] = { 0, 1, 0, 2, 1, 2, 1, 0, 2, 0, 2, 1 };
    expect_solution(mk, TM_SIDE_SUPPLY, supply_opt, 6, 6);
    expect_solution(mk, TM_SIDE_DEMAND, demand_opt, 6, 6);

    TmMatching *M = solve(mk, TM_SIDE_DEMAND);
    int32_t n = 0;
    /* d0 holds s1 (rank 0) and s2 (rank 1) */
    const int32_t *p = tm_matching_partners(M, TM_SIDE_DEMAND, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[1], 2);
    /* s1 holds d2 (its rank 1) before d0 (its rank 2) */
    p = tm_matching_partners(M, TM_SIDE_SUPPLY, 1, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0], 2);
    assert_int_equal(p[1], 0);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* Many-to-many with rejections and an unfilled agent.
 *   s0, s1, s2 (cap 2 each): d0 d1 d2
 *   d0 (cap 2): s2 s1 s0;  d1 (cap 1): s0 s1 s2;  d2 (cap 2): s0 s1 s2
 * Supply proposes: all ask d0 and d1; d0 keeps s2 s1, d1 keeps s0; then all
 * three ask d2, which keeps s0 s1; s2 has run out: 3 + 3 + 3 = 9 proposals.
 * Demand proposes: d0 -> s2 s1, d1 -> s0, d2 -> s0 s1, no rejection: 5.
 * Both give s0:{d1,d2}, s1:{d0,d2}, s2:{d0}: the only stable matching. */
static void test_many_to_many_rejections(void **state)
{
    (void)state;
    static const int32_t scap[] = { 2, 2, 2 };
    static const int32_t dcap[] = { 2, 1, 2 };
    static const int32_t sl[] = { 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2, -1 };
    static const int32_t dl[] = { 2, 1, 0, -1, 0, 1, 2, -1, 0, 1, 2, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 3, scap, dcap, sl, dl, &err);
    assert_no_error(err);
    static const int32_t want[] = { 0, 1, 0, 2, 1, 0, 1, 2, 2, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, want, 5, 9);
    expect_solution(mk, TM_SIDE_DEMAND, want, 5, 5);

    TmMatching *M = solve(mk, TM_SIDE_SUPPLY);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].seats, 6);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].filled_seats, 5);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].matched_agents, 3);
    assert_int_equal(st.side[TM_SIDE_DEMAND].seats, 5);
    assert_int_equal(st.side[TM_SIDE_DEMAND].filled_seats, 5);
    /* supply ranks: s0 1,2  s1 0,2  s2 0 -> mean 1, median 1, max 2 */
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_mean, 1.0, 1e-12);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_median, 1.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].rank_max, 2);
    /* demand ranks: d0 s2 0, s1 1;  d1 s0 0;  d2 s0 0, s1 1 -> 2/5 */
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_mean, 0.4, 1e-12);
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_median, 0.0, 1e-12);
    assert_int_equal(st.side[TM_SIDE_DEMAND].rank_max, 1);
    tm_matching_free(M);

    /* Moving s1 from d2 to d1 (d1 now over capacity):
     * s0:{d1,d2} s1:{d0,d1} s2:{d0}.  Violation: d1 holds 2 > 1.
     * Blocking: (s1,d2)? s1 full, worst is d1 (rank 1) and d2 is rank 2:
     * no.  (s2,d1): s2 has a free seat; d1 is over capacity with worst s1
     * (rank 1) and ranks s2 2: no.  (s2,d2): s2 free seat, d2 has a free
     * seat: blocks.  (s0,d0): s0 full with worst d2 (2), d0 rank 0; d0 full
     * with worst s1 (rank 1), ranks s0 2: no. */
    static const int32_t moved[] = { 0, 1, 0, 2, 1, 0, 1, 1, 2, 0 };
    static const int32_t moved_blocking[] = { 2, 2 };
    M = hand(mk, moved, 5);
    expect_blocking(M, moved_blocking, 1);
    TmVerdict *v = tm_matching_check(M, &err);
    assert_no_error(err);
    assert_int_equal(tm_verdict_n_violations(v), 1);
    const TmViolation *viol = tm_verdict_violation(v, 0);
    assert_non_null(viol);
    assert_int_equal(viol->kind, TM_VIOLATION_OVER_CAPACITY);
    assert_int_equal(viol->side, TM_SIDE_DEMAND);
    assert_int_equal(viol->agent, 1);
    assert_int_equal(viol->count, 2);
    assert_int_equal(viol->capacity, 1);
    assert_int_equal(viol->supply, -1);
    assert_int_equal(viol->demand, -1);
    assert_false(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* ---- degenerate markets ---------------------------------------------------- */

static void expect_empty_solution(TmMarket *mk)
{
    GError *err = NULL;
    for (int side = 0; side < 2; side++) {
        TmMatching *M = solve(mk, (TmSide)side);
        assert_int_equal(tm_matching_n_pairs(M), 0);
        assert_int_equal(tm_matching_n_proposals(M), 0);
        TmMatchingStats st;
        assert_true(tm_matching_get_stats(M, &st, &err));
        assert_no_error(err);
        assert_int_equal(st.pairs, 0);
        assert_int_equal(st.proposals, 0);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(st.side[k].agents, tm_market_size(mk, (TmSide)k));
            assert_int_equal(st.side[k].matched_agents, 0);
            assert_int_equal(st.side[k].filled_seats, 0);
            assert_float_equal(st.side[k].rank_mean, 0.0, 0.0);
            assert_int_equal(st.side[k].rank_max, -1);
        }
        int32_t *bs = (int32_t *)&err, *bd = (int32_t *)&err; /* must be reset to NULL */
        int64_t nb = -1;
        assert_true(tm_matching_blocking_pairs(M, &bs, &bd, &nb, &err));
        assert_no_error(err);
        assert_int_equal(nb, 0);
        assert_null(bs);
        assert_null(bd);
        tm_matching_free(M);
    }
}

static void test_empty_market(void **state)
{
    (void)state;
    GError *err = NULL;
    int32_t off[1] = { 0 }, dummy = 0;
    TmMarket *mk = tm_market_new_from_arrays(0, 0, NULL, NULL, off, &dummy, off, &dummy, &err);
    assert_no_error(err);
    assert_non_null(mk);
    assert_int_equal(tm_market_size(mk, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_market_size(mk, TM_SIDE_DEMAND), 0);
    assert_int_equal(tm_market_n_pairs(mk), 0);
    expect_empty_solution(mk);
    tm_market_free(mk);

    /* one side empty */
    int32_t doff[4] = { 0, 0, 0, 0 };
    mk = tm_market_new_from_arrays(0, 3, NULL, NULL, off, &dummy, doff, &dummy, &err);
    assert_no_error(err);
    assert_non_null(mk);
    assert_int_equal(tm_market_size(mk, TM_SIDE_DEMAND), 3);
    expect_empty_solution(mk);
    tm_market_free(mk);

    /* builder with no agents */
    TmMarketBuilder *b = tm_market_builder_new(0, 0, &err);
    assert_no_error(err);
    assert_non_null(b);
    mk = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_non_null(mk);
    expect_empty_solution(mk);
    tm_market_free(mk);
    tm_market_builder_free(b);
}

static void test_all_lists_empty(void **state)
{
    (void)state;
    static const int32_t none[] = { -1, -1, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(3, 3, NULL, NULL, none, none, &err);
    assert_no_error(err);
    assert_non_null(mk);
    assert_int_equal(tm_market_n_pairs(mk), 0);
    assert_int_equal(tm_market_n_dropped(mk, TM_SIDE_SUPPLY), 0);
    expect_empty_solution(mk);
    tm_market_free(mk);

    /* lists only on one side: everything dropped, nothing acceptable */
    static const int32_t full[] = { 0, 1, 2, -1, 2, 1, 0, -1, 1, -1 };
    mk = tt_market(3, 3, NULL, NULL, full, none, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_n_pairs(mk), 0);
    assert_int_equal(tm_market_n_dropped(mk, TM_SIDE_SUPPLY), 7);
    assert_int_equal(tm_market_n_dropped(mk, TM_SIDE_DEMAND), 0);
    int32_t len = -1;
    tm_market_prefs(mk, TM_SIDE_SUPPLY, 0, &len);
    assert_int_equal(len, 0);
    expect_empty_solution(mk);
    tm_market_free(mk);
}

/* Capacity 0 takes part in nothing.
 *   s0 (cap 0): d0 d1     d0: s0 s1
 *   s1:         d0 d1     d1: s0 s1
 * Supply proposes: s0 makes none, s1 gets d0 (1 proposal).
 * Demand proposes: both are refused by s0; s1 keeps d0.  Result (s1, d0).
 * d0 and s0 prefer each other but s0 has no seat: not blocking. */
static void test_capacity_zero(void **state)
{
    (void)state;
    static const int32_t scap[] = { 0, 1 };
    static const int32_t l[] = { 0, 1, -1, 0, 1, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(2, 2, scap, NULL, l, l, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_capacity(mk, TM_SIDE_SUPPLY, 0), 0);
    static const int32_t want[] = { 1, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, want, 1, 1);
    TmMatching *M = solve(mk, TM_SIDE_DEMAND);
    expect_pairs(M, want, 1);
    tm_matching_free(M);

    /* hand-built: s0 given d1 anyway -> over capacity (1 > 0) */
    static const int32_t forced[] = { 0, 1, 1, 0 };
    M = hand(mk, forced, 2);
    TmVerdict *v = tm_matching_check(M, &err);
    assert_no_error(err);
    assert_false(tm_verdict_is_stable(v));
    assert_int_equal(tm_verdict_n_violations(v), 1);
    const TmViolation *viol = tm_verdict_violation(v, 0);
    assert_int_equal(viol->kind, TM_VIOLATION_OVER_CAPACITY);
    assert_int_equal(viol->side, TM_SIDE_SUPPLY);
    assert_int_equal(viol->agent, 0);
    assert_int_equal(viol->count, 1);
    assert_int_equal(viol->capacity, 0);
    /* s0 over capacity holds d1 (rank 1) and would take d0 (rank 0); d0
     * holds s1 (rank 1) and ranks s0 0: (s0, d0) blocks */
    assert_int_equal(tm_verdict_n_blocking_pairs(v), 1);
    int32_t s = -1, d = -1;
    assert_true(tm_verdict_blocking_pair(v, 0, &s, &d));
    assert_int_equal(s, 0);
    assert_int_equal(d, 0);
    tm_verdict_free(v);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].seats, 1);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].filled_seats, 1); /* min(1,0) + min(1,1) */
    assert_int_equal(st.side[TM_SIDE_SUPPLY].matched_agents, 2);
    tm_matching_free(M);
    tm_market_free(mk);

    /* every demand agent closed: nobody is matched */
    static const int32_t zero[] = { 0, 0 };
    mk = tt_market(2, 2, NULL, zero, l, l, &err);
    assert_no_error(err);
    for (int side = 0; side < 2; side++) {
        M = solve(mk, (TmSide)side);
        assert_int_equal(tm_matching_n_pairs(M), 0);
        tm_matching_free(M);
    }
    M = solve(mk, TM_SIDE_SUPPLY);
    /* each supply agent proposes down its whole list: 2 + 2 */
    assert_int_equal(tm_matching_n_proposals(M), 4);
    tm_matching_free(M);
    tm_market_free(mk);
}

/* Unacceptable pairs in a hand-built matching: an unacceptable partner is
 * worse than any acceptable one.
 *   s0: d0 d1      d0: s1 s0
 *   s1: d0         d1: s0
 * (s1 lists only d0; d1 lists only s0.)  Matching {(s0,d0), (s1,d1)}: the
 * pair (s1,d1) is unacceptable.  s1's partner d1 is unacceptable, so s1
 * would take d0; d0 holds s0 (rank 1) and ranks s1 0: (s1,d0) blocks.  d1's
 * partner s1 is unacceptable, so d1 would take s0; s0 holds d0 (rank 0) and
 * ranks d1 1: no. */
static void test_unacceptable_pair(void **state)
{
    (void)state;
    static const int32_t sl[] = { 0, 1, -1, 0, -1 };
    static const int32_t dl[] = { 1, 0, -1, 0, -1 };
    GError *err = NULL;
    TmMarket *mk = tt_market(2, 2, NULL, NULL, sl, dl, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_n_pairs(mk), 3);
    static const int32_t pairs[] = { 1, 1, 0, 0 };
    TmMatching *M = hand(mk, pairs, 2);
    static const int32_t ordered[] = { 0, 0, 1, 1 };
    expect_pairs(M, ordered, 2);
    static const int32_t blocking[] = { 1, 0 };
    expect_blocking(M, blocking, 1);
    TmVerdict *v = tm_matching_check(M, &err);
    assert_no_error(err);
    assert_int_equal(tm_verdict_n_violations(v), 1);
    const TmViolation *viol = tm_verdict_violation(v, 0);
    assert_int_equal(viol->kind, TM_VIOLATION_UNACCEPTABLE);
    assert_int_equal(viol->supply, 1);
    assert_int_equal(viol->demand, 1);
    assert_int_equal(viol->agent, -1);
    /* matching.h: "side/agent/count/capacity are unused (-1)" */
    assert_int_equal((int)viol->side, -1);
    assert_int_equal(viol->count, -1);
    assert_int_equal(viol->capacity, -1);
    tm_verdict_free(v);
    /* unacceptable pairs are left out of rank statistics */
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(M, &st, &err));
    assert_no_error(err);
    assert_int_equal(st.pairs, 2);
    assert_int_equal(st.side[TM_SIDE_SUPPLY].matched_agents, 2);
    assert_float_equal(st.side[TM_SIDE_SUPPLY].rank_mean, 0.0, 1e-12); /* s0-d0 rank 0 only */
    assert_float_equal(st.side[TM_SIDE_DEMAND].rank_mean, 1.0, 1e-12); /* d0-s0 rank 1 only */
    assert_int_equal(st.side[TM_SIDE_DEMAND].rank_max, 1);
    int64_t h[3] = { -1, -1, -1 };
    assert_true(tm_matching_rank_histogram(M, TM_SIDE_DEMAND, h, 3, &err));
    assert_no_error(err);
    assert_int_equal(h[0], 0);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 0);
    tm_matching_free(M);

    /* the solver: s0-d0 is mutual first choice? no: d0 prefers s1, who
     * lists only d0.  Supply proposes: s0 -> d0, s1 -> d0, d0 keeps s1;
     * s0 -> d1: {(s0,d1), (s1,d0)}, 3 proposals. */
    static const int32_t want[] = { 0, 1, 1, 0 };
    expect_solution(mk, TM_SIDE_SUPPLY, want, 2, 3);
    expect_solution(mk, TM_SIDE_DEMAND, want, 2, 2);
    tm_market_free(mk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyclic_3x3),
        cmocka_unit_test(test_gale_shapley_4x4),
        cmocka_unit_test(test_identical_preferences),
        cmocka_unit_test(test_incomplete_unequal),
        cmocka_unit_test(test_college_admissions),
        cmocka_unit_test(test_many_to_many_cyclic),
        cmocka_unit_test(test_many_to_many_rejections),
        cmocka_unit_test(test_empty_market),
        cmocka_unit_test(test_all_lists_empty),
        cmocka_unit_test(test_capacity_zero),
        cmocka_unit_test(test_unacceptable_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
