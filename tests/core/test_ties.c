/* Markets with ties: ranks beside positions, the ranked constructor and
 * builder, bulk accessors of markets and matchings, capacities of output
 * buffers, solvers refusing ties, and the audit's weak stability against a
 * naive, independent implementation of the rule in matching.h. */
#include "testutil.h"

#include <string.h>

/* supply 0: d1, {d0, d2}, d3      ranks 4, 7, 7, 9 (renumbered 0, 1, 1, 2)
 * supply 1: {d0, d1}               ranks 0, 0
 * demand lists: everyone lists everyone, strict, except d3 lists nobody. */
static TmMarket *tied_market(GError **err)
{
    static const int32_t soff[] = { 0, 4, 6 };
    static const int32_t sids[] = { 1, 0, 2, 3, 0, 1 };
    static const int32_t srk[] = { 4, 7, 7, 9, 0, 0 };
    static const int32_t doff[] = { 0, 2, 4, 5, 5 };
    static const int32_t dids[] = { 1, 0, 0, 1, 0 };
    return tm_market_new_from_ranked_arrays(2, 4, NULL, NULL, soff, sids, srk, 6, doff, dids, NULL,
                                            5, err);
}

static void test_ranks_and_positions(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *m = tied_market(&err);
    assert_no_error(err);
    assert_true(tm_market_has_ties(m));
    /* d3 lists nobody: (s0, d3) dropped; s0's ranks 0, 1, 1 */
    assert_int_equal(tm_market_n_pairs(m), 5);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 0), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 2), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 3), -1);
    assert_int_equal(tm_market_position(m, TM_SIDE_SUPPLY, 0, 0), 1);
    assert_int_equal(tm_market_position(m, TM_SIDE_SUPPLY, 0, 2), 2);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 0), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 1), 0);
    assert_int_equal(tm_market_position(m, TM_SIDE_SUPPLY, 1, 1), 1);
    /* the strict side: rank = position */
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 0), 1);
    assert_int_equal(tm_market_position(m, TM_SIDE_DEMAND, 0, 0), 1);

    /* bulk copy of each side */
    int32_t off[5], ids[5], rk[5], rr[5];
    assert_true(tm_market_get_lists(m, TM_SIDE_SUPPLY, off, 5, ids, rk, rr, 5, &err));
    static const int32_t w_off[] = { 0, 3, 5 }, w_ids[] = { 1, 0, 2, 0, 1 };
    static const int32_t w_rk[] = { 0, 1, 1, 0, 0 };
    assert_memory_equal(off, w_off, sizeof w_off);
    assert_memory_equal(ids, w_ids, sizeof w_ids);
    assert_memory_equal(rk, w_rk, sizeof w_rk);
    for (int32_t s = 0; s < 2; s++)
        for (int32_t e = off[s]; e < off[s + 1]; e++)
            assert_int_equal(rr[e], tm_market_rank(m, TM_SIDE_DEMAND, ids[e], s));
    assert_true(tm_market_get_lists(m, TM_SIDE_DEMAND, off, 5, ids, rk, rr, 5, &err));
    for (int32_t d = 0; d < 4; d++)
        for (int32_t e = off[d]; e < off[d + 1]; e++) {
            assert_int_equal(rk[e], e - off[d]);
            assert_int_equal(rr[e], tm_market_rank(m, TM_SIDE_SUPPLY, ids[e], d));
        }
    /* any buffer may be left out; too small ones are refused, untouched */
    assert_true(tm_market_get_lists(m, TM_SIDE_DEMAND, NULL, 0, NULL, rk, NULL, 5, &err));
    memset(off, 0x77, sizeof off);
    assert_false(tm_market_get_lists(m, TM_SIDE_DEMAND, off, 4, NULL, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(off[0], 0x77777777);
    assert_false(tm_market_get_lists(m, TM_SIDE_SUPPLY, NULL, 0, ids, NULL, NULL, 4, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_get_lists(NULL, TM_SIDE_SUPPLY, off, 5, NULL, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_get_lists(m, (TmSide)5, off, 5, NULL, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    int32_t caps[4];
    assert_true(tm_market_get_capacities(m, TM_SIDE_DEMAND, caps, 4, &err));
    assert_int_equal(caps[3], 1);
    assert_false(tm_market_get_capacities(m, TM_SIDE_DEMAND, caps, 3, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);

    /* weak stability by tie breaking (position order): s0 takes d1, its first
     * entry; s1 is indifferent between d0 and d1 and gets d0; the result is on
     * the tied market, with its ranks */
    TmMatching *mt = tm_solve(m, NULL, NULL, &err);
    assert_no_error(err);
    assert_true(tm_matching_market(mt) == m);
    int32_t ps[4], pd[4], pr[4], dr[4];
    assert_int_equal(tm_matching_n_pairs(mt), 2);
    assert_true(tm_matching_get_pairs(mt, ps, pd, 4, &err));
    assert_true(tm_matching_get_pair_ranks(mt, pr, dr, 4, &err));
    assert_int_equal(ps[0], 0);
    assert_int_equal(pd[0], 1);
    assert_int_equal(ps[1], 1);
    assert_int_equal(pd[1], 0);
    assert_int_equal(pr[1], 0);
    assert_true(tm_matching_is_stable(mt, &err));
    tm_matching_free(mt);
    /* with groups: tie breaking too; strong and super with groups refused */
    TmGroups *g = tm_groups_new(2, 4, &err);
    static const int32_t members[] = { 0, 1 };
    assert_int_equal(tm_groups_add(g, members, 2, 1, 0, &err), 0);
    mt = tm_solve(m, g, NULL, &err);
    assert_no_error(err);
    /* s1 gets d0 (d0 ranks s1 first), s0 then d2: the cap holds */
    assert_int_equal(tm_matching_n_pairs(mt), 2);
    assert_int_equal(tm_matching_partners(mt, TM_SIDE_SUPPLY, 0, NULL)[0], 2);
    assert_int_equal(tm_matching_partners(mt, TM_SIDE_SUPPLY, 1, NULL)[0], 0);
    tm_matching_free(mt);
    TmSolveOptions *o = tm_solve_options_new();
    assert_true(tm_solve_options_set_stability(o, TM_STABILITY_SUPER, &err));
    assert_null(tm_solve(m, g, o, &err));
    assert_tm_error(err, TM_ERROR_UNSUPPORTED);
    assert_false(tm_solve_options_set_stability(o, (TmStability)7, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_solve_options_set_max_cardinality(o, TRUE);
    assert_null(tm_solve(m, NULL, o, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_solve_options_free(o);
    tm_groups_free(g);
    tm_market_free(m);
}

static void test_ranked_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    static const int32_t off[] = { 0, 2 }, ids[] = { 0, 1 }, doff[] = { 0, 1, 2 };
    static const int32_t dids[] = { 0, 0 };
    static const int32_t neg[] = { -1, 0 }, dec[] = { 3, 2 }, tie[] = { 5, 5 };
    assert_null(tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, neg, 2, doff, dids,
                                                 NULL, 2, &err));
    assert_non_null(strstr(err->message, "negative rank"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, dec, 2, doff, dids,
                                                 NULL, 2, &err));
    assert_non_null(strstr(err->message, "supply agent 0: preference 1"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, tie, 3, doff, dids,
                                                 NULL, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, tie, 2, doff, dids,
                                                 NULL, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* a tie that disappears when an entry is dropped: no ties left */
    static const int32_t dids2[] = { 0 }, doff2[] = { 0, 1, 1 };
    TmMarket *m = tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, tie, 2, doff2,
                                                   dids2, NULL, 1, &err);
    assert_no_error(err);
    assert_false(tm_market_has_ties(m));
    tm_market_free(m);
    /* distinct ranks with gaps are not ties: rank = position */
    static const int32_t gaps[] = { 10, 20 };
    m = tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, gaps, 2, doff, dids, NULL, 2,
                                         &err);
    assert_no_error(err);
    assert_false(tm_market_has_ties(m));
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1), 1);
    TmMatching *M = tm_solve(m, NULL, NULL, &err);
    assert_no_error(err);
    tm_matching_free(M);
    tm_market_free(m);

    /* the builder */
    TmMarketBuilder *b = tm_market_builder_new(1, 2, &err);
    assert_false(tm_market_builder_set_ranked_prefs(b, TM_SIDE_SUPPLY, 0, ids, dec, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_market_builder_set_ranked_prefs(b, TM_SIDE_SUPPLY, 0, ids, tie, 2, &err));
    static const int32_t zero[] = { 0 };
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, 0, zero, 1, &err));
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, 1, zero, 1, &err));
    m = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_true(tm_market_has_ties(m));
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1), 0);
    tm_market_free(m);
    /* replacing the list by a strict one removes the tie */
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, ids, 2, &err));
    m = tm_market_builder_build(b, &err);
    assert_false(tm_market_has_ties(m));
    tm_market_free(m);
    tm_market_builder_free(b);
}

/* ---- the audit with ties, against a naive reading of matching.h ---------- */

typedef struct {
    uint64_t s;
} Rng;

static int rng_int(Rng *r, int lo, int hi)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return lo + (int)(r->s % (uint64_t)(hi - lo + 1));
}

#define NMAX 5

typedef struct {
    int n[2], cap[2][NMAX];
    int rank[2][NMAX][NMAX]; /* raw rank (>= 0) or -1 when not listed */
} Inst;

/* Does agent a (side s) holding partners @held (n of them) take b? */
static int would_take(const Inst *I, int s, int a, const int *held, int n, int b, int mrank[2])
{
    (void)mrank;
    int rb = I->rank[s][a][b];
    if (rb < 0 || I->rank[1 - s][b][a] < 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (held[i] == b)
            return 0;
    if (n < I->cap[s][a])
        return 1;
    /* worst current partner; unacceptable counts as worse than any */
    int worst = -1;
    for (int i = 0; i < n; i++) {
        int c = held[i];
        int r = I->rank[s][a][c] >= 0 && I->rank[1 - s][c][a] >= 0 ? I->rank[s][a][c] : 1 << 30;
        if (r > worst)
            worst = r;
    }
    return rb < worst;
}

/* Regression (fuzz_market, issue 7): the lengths are checked before any id
 * is read.  The ids arrays are exactly @len long, shorter than the offsets
 * claim; the ids beyond were read (a heap overflow under ASan) and the
 * error was whatever they held (here: a duplicate). */
static void test_ranked_length_before_ids(void **state)
{
    (void)state;
    GError *err = NULL;
    static const int32_t off[] = { 0, 3 }, doff[] = { 0, 1, 1, 1 }, dids[] = { 0 };
    int32_t *ids = g_new(int32_t, 1); /* the offsets claim 3 */
    ids[0] = 0;
    assert_null(tm_market_new_from_ranked_arrays(1, 3, NULL, NULL, off, ids, NULL, 1, doff, dids,
                                                 NULL, 1, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "1 entries given but the offsets end at 3"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    g_free(ids);
    /* entries beyond the length that would be refused for themselves */
    static const int32_t dup[] = { 0, 0, 0 };
    assert_null(tm_market_new_from_ranked_arrays(1, 3, NULL, NULL, off, dup, NULL, 1, doff, dids,
                                                 NULL, 1, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "entries given"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
}

static void test_weak_stability_audit(void **state)
{
    (void)state;
    Rng r = { 0xdecafbadULL };
    long blocking_seen = 0;
    for (int iter = 0; iter < 4000; iter++) {
        Inst I;
        memset(&I, 0, sizeof I);
        for (int s = 0; s < 2; s++)
            I.n[s] = rng_int(&r, 1, NMAX);
        int32_t off[2][NMAX + 1], ids[2][NMAX * NMAX], rk[2][NMAX * NMAX];
        for (int s = 0; s < 2; s++) {
            off[s][0] = 0;
            for (int a = 0; a < I.n[s]; a++) {
                I.cap[s][a] = rng_int(&r, 0, 2);
                int k = off[s][a], level = 0;
                for (int b = 0; b < I.n[1 - s]; b++)
                    I.rank[s][a][b] = -1;
                /* a random order of a random subset, with random ties */
                int perm[NMAX];
                for (int b = 0; b < I.n[1 - s]; b++)
                    perm[b] = b;
                for (int i = I.n[1 - s] - 1; i > 0; i--) {
                    int j = rng_int(&r, 0, i), t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                int len = rng_int(&r, 0, I.n[1 - s]);
                for (int i = 0; i < len; i++) {
                    if (i > 0 && rng_int(&r, 0, 2) > 0)
                        level += rng_int(&r, 1, 3);
                    ids[s][k] = perm[i];
                    rk[s][k] = level;
                    I.rank[s][a][perm[i]] = level;
                    k++;
                }
                off[s][a + 1] = k;
            }
        }
        GError *err = NULL;
        int32_t cap[2][NMAX];
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < I.n[s]; a++)
                cap[s][a] = I.cap[s][a];
        TmMarket *m = tm_market_new_from_ranked_arrays(
            I.n[0], I.n[1], cap[0], cap[1], off[0], ids[0], rk[0], off[0][I.n[0]], off[1], ids[1],
            rk[1], off[1][I.n[1]], &err);
        assert_no_error(err);
        /* raw ranks vs the market's dense ranks: the same order */
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < I.n[s]; a++)
                for (int b = 0; b < I.n[1 - s]; b++)
                    for (int c = 0; c < I.n[1 - s]; c++) {
                        int x = tm_market_rank(m, (TmSide)s, a, b);
                        int y = tm_market_rank(m, (TmSide)s, a, c);
                        if (x < 0 || y < 0)
                            continue;
                        assert_int_equal(x < y, I.rank[s][a][b] < I.rank[s][a][c]);
                        assert_int_equal(x == y, I.rank[s][a][b] == I.rank[s][a][c]);
                    }
        /* a random set of pairs, acceptable or not, capacities ignored */
        int32_t ps[NMAX * NMAX], pd[NMAX * NMAX];
        int np = 0;
        for (int s = 0; s < I.n[0]; s++)
            for (int d = 0; d < I.n[1]; d++)
                if (rng_int(&r, 0, 3) == 0) {
                    ps[np] = s;
                    pd[np] = d;
                    np++;
                }
        TmMatching *M = tm_matching_new_from_pairs(m, ps, pd, np, &err);
        assert_no_error(err);
        int32_t *bs = NULL, *bd = NULL;
        int64_t nb = 0;
        assert_true(tm_matching_blocking_pairs(M, &bs, &bd, &nb, &err));
        /* naive: every pair by the definition */
        int want[NMAX][NMAX] = { { 0 } }, got[NMAX][NMAX] = { { 0 } }, n_want = 0;
        for (int s = 0; s < I.n[0]; s++)
            for (int d = 0; d < I.n[1]; d++) {
                int hs[NMAX], nhs = 0, hd[NMAX], nhd = 0;
                for (int i = 0; i < np; i++) {
                    if (ps[i] == s)
                        hs[nhs++] = pd[i];
                    if (pd[i] == d)
                        hd[nhd++] = ps[i];
                }
                if (would_take(&I, 0, s, hs, nhs, d, NULL) && would_take(&I, 1, d, hd, nhd, s, NULL)) {
                    want[s][d] = 1;
                    n_want++;
                }
            }
        for (int64_t i = 0; i < nb; i++)
            got[bs[i]][bd[i]]++;
        if (memcmp(want, got, sizeof want) != 0 || n_want != nb) {
            print_error("iteration %d: blocking pairs differ (%d expected, %lld found)\n", iter,
                        n_want, (long long)nb);
            fail();
        }
        blocking_seen += nb;
        /* partners come best first by rank */
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < I.n[s]; a++) {
                int32_t n;
                const int32_t *p = tm_matching_partners(M, (TmSide)s, a, &n);
                for (int i = 1; i < n; i++) {
                    int x = tm_market_rank(m, (TmSide)s, a, p[i - 1]);
                    int y = tm_market_rank(m, (TmSide)s, a, p[i]);
                    if (x >= 0 && y >= 0)
                        assert_true(x < y || (x == y && p[i - 1] < p[i]));
                    if (x < 0)
                        assert_true(y < 0);
                }
            }
        g_free(bs);
        g_free(bd);
        tm_matching_free(M);
        tm_market_free(m);
    }
    assert_true(blocking_seen > 1000);
}

/* ---- matchings: bulk accessors and buffer capacities --------------------- */

static void test_matching_bulk(void **state)
{
    (void)state;
    GError *err = NULL;
    /* s0: d0 d1; s1: d0; d0: s1 s0; d1: s0;  supply-optimal {s0-d1, s1-d0} */
    static const int32_t soff[] = { 0, 2, 3 }, sids[] = { 0, 1, 0 };
    static const int32_t doff[] = { 0, 2, 3 }, dids[] = { 1, 0, 0 };
    TmMarket *m = tm_market_new_from_arrays(2, 2, NULL, NULL, soff, sids, doff, dids, &err);
    assert_no_error(err);
    TmMatching *M = tm_solve(m, NULL, NULL, &err);
    assert_no_error(err);
    assert_int_equal(tm_matching_n_pairs(M), 2);
    int32_t s[2], d[2], sr[2], dr[2];
    assert_false(tm_matching_get_pairs(M, s, d, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_matching_get_pairs(M, s, d, 2, &err));
    assert_true(tm_matching_get_pair_ranks(M, sr, dr, 2, &err));
    assert_int_equal(s[0], 0);
    assert_int_equal(d[0], 1);
    assert_int_equal(sr[0], 1); /* s0 got its second choice */
    assert_int_equal(dr[0], 0);
    assert_int_equal(d[1], 0);
    assert_int_equal(sr[1], 0);
    assert_int_equal(dr[1], 0); /* d0 ranks s1 first */
    assert_false(tm_matching_get_pair_ranks(M, sr, NULL, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    int32_t off[3], partners[2], ranks[2];
    assert_true(tm_matching_get_partners(M, TM_SIDE_DEMAND, off, 3, partners, ranks, 2, &err));
    assert_int_equal(off[1], 1);
    assert_int_equal(partners[0], 1);
    assert_int_equal(partners[1], 0);
    assert_int_equal(ranks[1], 0);
    assert_false(tm_matching_get_partners(M, TM_SIDE_DEMAND, off, 2, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_matching_get_partners(M, TM_SIDE_DEMAND, NULL, 0, partners, NULL, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_matching_get_partners(NULL, TM_SIDE_DEMAND, off, 3, NULL, NULL, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* blocking pairs into caller buffers: the empty matching is blocked by
     * every acceptable pair (s0-d0, s0-d1, s1-d0) */
    TmMatching *E = tm_matching_new_from_pairs(m, NULL, NULL, 0, &err);
    TmVerdict *v = tm_matching_check(E, &err);
    assert_int_equal(tm_verdict_n_blocking_pairs(v), 3);
    int32_t bs[3], bd[3];
    assert_false(tm_verdict_get_blocking_pairs(v, bs, bd, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_verdict_get_blocking_pairs(v, bs, bd, 3, &err));
    assert_int_equal(bs[0], 0);
    assert_int_equal(bd[0], 0);
    assert_int_equal(bd[1], 1);
    assert_int_equal(bs[2], 1);
    assert_false(tm_verdict_get_blocking_pairs(NULL, bs, bd, 3, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_verdict_free(v);
    tm_matching_free(E);
    /* a pair given twice is refused wherever the copies are (issue 7: copies
     * that are not neighbours after sorting were accepted, and the audit then
     * called the acceptable pair unacceptable) */
    static const int32_t ds[] = { 0, 0, 0 }, dd[] = { 0, 1, 0 };
    assert_null(tm_matching_new_from_pairs(m, ds, dd, 3, &err));
    assert_non_null(strstr(err->message, "pair 2 (supply 0, demand 0)"));
    assert_tm_error(err, TM_ERROR_DUPLICATE);
    static const int32_t us[] = { 1, 0, 1 }, ud[] = { 1, 0, 1 }; /* (1, 1) unacceptable */
    assert_null(tm_matching_new_from_pairs(m, us, ud, 3, &err));
    assert_tm_error(err, TM_ERROR_DUPLICATE);
    /* a hand-built pair the demand side does not list: rank -1 */
    static const int32_t hs[] = { 1 }, hd[] = { 1 };
    TmMatching *H = tm_matching_new_from_pairs(m, hs, hd, 1, &err);
    assert_true(tm_matching_get_pair_ranks(H, sr, dr, 1, &err));
    assert_int_equal(sr[0], -1);
    assert_int_equal(dr[0], -1);
    tm_matching_free(H);
    tm_matching_free(M);
    tm_market_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranks_and_positions),
        cmocka_unit_test(test_ranked_errors),
        cmocka_unit_test(test_ranked_length_before_ids),
        cmocka_unit_test(test_weak_stability_audit),
        cmocka_unit_test(test_matching_bulk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
