/* market.h and error.h: construction from arrays and by builder, accessors,
 * reference counting, and every documented error. */
#include "testutil.h"

#include <string.h>

/* A 3 x 2 market used throughout:
 *   s0 (cap 2): d1 d0        d0 (cap 1): s2 s0
 *   s1 (cap 1): d0           d1 (cap 3): s0 s1 s2
 *   s2 (cap 0): d1 d0
 * Acceptable: s0-d1, s0-d0, s2-d1, s2-d0 (s1 lists d0 but d0 does not list
 * s1: dropped from s1's list; d1 lists s1 but s1 does not list d1: dropped).
 */
static const int32_t S_CAP[] = { 2, 1, 0 };
static const int32_t D_CAP[] = { 1, 3 };
static const int32_t S_OFF[] = { 0, 2, 3, 5 };
static const int32_t S_PREFS[] = { 1, 0, 0, 1, 0 };
static const int32_t D_OFF[] = { 0, 2, 5 };
static const int32_t D_PREFS[] = { 2, 0, 0, 1, 2 };

static TmMarket *sample(void)
{
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, D_PREFS,
                                            &err);
    assert_no_error(err);
    assert_non_null(m);
    return m;
}

static void expect_list(const TmMarket *m, TmSide side, int32_t agent, const int32_t *want,
                        int32_t n)
{
    int32_t len = -1;
    const int32_t *l = tm_market_prefs(m, side, agent, &len);
    assert_int_equal(len, n);
    for (int32_t i = 0; i < n; i++)
        assert_int_equal(l[i], want[i]);
}

static void check_sample(const TmMarket *m)
{
    assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), 3);
    assert_int_equal(tm_market_size(m, TM_SIDE_DEMAND), 2);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 2);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 1), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 2), 0);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 0), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 1), 3);
    assert_int_equal(tm_market_n_pairs(m), 4);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_DEMAND), 1);

    static const int32_t s0[] = { 1, 0 }, s2[] = { 1, 0 }, d0[] = { 2, 0 }, d1[] = { 0, 2 };
    expect_list(m, TM_SIDE_SUPPLY, 0, s0, 2);
    expect_list(m, TM_SIDE_SUPPLY, 1, NULL, 0);
    expect_list(m, TM_SIDE_SUPPLY, 2, s2, 2);
    expect_list(m, TM_SIDE_DEMAND, 0, d0, 2);
    expect_list(m, TM_SIDE_DEMAND, 1, d1, 2);

    /* ranks are positions in the reduced lists */
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 0), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 0), -1); /* one-sided */
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 1), -1); /* one-sided */
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 2, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 2, 0), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 2), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 0), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 1), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 0), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 1), -1); /* s1 dropped: d1's s2 is rank 1 */
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 2), 1);
}

/* ---- construction from arrays -------------------------------------------- */

static void test_from_arrays(void **state)
{
    (void)state;
    TmMarket *m = sample();
    check_sample(m);
    /* strict: 16 bytes per pair and 8 per agent beside the header */
    int64_t L = tm_market_n_pairs(m), n = 3 + 2;
    assert_true(L > 0);
    int64_t header = tm_market_bytes(m) - 16 * L - 8 * n - 8;
    assert_true(header > 0 && header < 256);
    assert_int_equal(tm_market_bytes(NULL), 0);
    tm_market_free(m);
    /* with ties on the supply side: its ranks and the demand side's reverse ranks */
    const int32_t off[] = { 0, 2 }, ids[] = { 0, 1 }, rk[] = { 0, 0 };
    const int32_t doff[] = { 0, 1, 2 }, dids[] = { 0, 0 }, drk[] = { 0, 0 };
    GError *err = NULL;
    TmMarket *t = tm_market_new_from_ranked_arrays(1, 2, NULL, NULL, off, ids, rk, 2, doff, dids,
                                                   drk, 2, &err);
    assert_non_null(t);
    assert_true(tm_market_has_ties(t));
    /* L = 2: 16 per pair + 8 per agent + 8, and 4 + 4 per pair for the tie */
    assert_int_equal(tm_market_bytes(t) - header, 16 * 2 + 8 * 3 + 8 + 8 * 2);
    tm_market_free(t);
}

/* tm_market_new_take_arrays() builds the same market as the borrowing
 * constructor (random markets with one-sided entries, ties on either side,
 * capacities 0..3, empty sides) and frees what it took on failure too (ASan
 * and valgrind see the leaks). */
static uint64_t take_rng(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void random_side(uint64_t *x, int32_t n, int32_t m, int32_t **off, int32_t **ids,
                        int32_t **ranks, gboolean ties)
{
    *off = g_new(int32_t, n + 1);
    *ids = g_new(int32_t, (gsize)n * (gsize)m + 1);
    *ranks = ties ? g_new(int32_t, (gsize)n * (gsize)m + 1) : NULL;
    int32_t k = 0;
    (*off)[0] = 0;
    for (int32_t a = 0; a < n; a++) {
        int32_t rank = 0;
        for (int32_t b = 0; b < m; b++) {
            if (take_rng(x) % 3 == 0)
                continue;
            /* a random order: insert at a random place */
            int32_t at = (*off)[a] + (int32_t)(take_rng(x) % (uint64_t)(k - (*off)[a] + 1));
            memmove(*ids + at + 1, *ids + at, (size_t)(k - at) * sizeof(int32_t));
            (*ids)[at] = b;
            k++;
        }
        for (int32_t e = (*off)[a]; ties && e < k; e++) {
            rank += take_rng(x) % 2;
            (*ranks)[e] = rank;
        }
        (*off)[a + 1] = k;
    }
}

static void test_take_arrays(void **state)
{
    (void)state;
    uint64_t x = 0x1234567ULL;
    int64_t dropped = 0, tied = 0;
    for (int iter = 0; iter < 3000; iter++) {
        int32_t n[2] = { (int32_t)(take_rng(&x) % 12), (int32_t)(take_rng(&x) % 12) };
        int32_t *off[2], *ids[2], *rk[2], *cap[2];
        for (int s = 0; s < 2; s++) {
            random_side(&x, n[s], n[1 - s], &off[s], &ids[s], &rk[s], take_rng(&x) % 4 == 0);
            cap[s] = NULL;
            if (take_rng(&x) % 2) {
                cap[s] = g_new(int32_t, n[s] + 1);
                for (int32_t a = 0; a < n[s]; a++)
                    cap[s][a] = (int32_t)(take_rng(&x) % 4);
            }
        }
        const gboolean bad = iter % 10 == 9 && off[0][n[0]] >= 2;
        if (bad) /* a duplicate in a list (or an id of the wrong list): an error */
            ids[0][1] = ids[0][0];
        GError *e1 = NULL, *e2 = NULL;
        TmMarket *want = tm_market_new_from_ranked_arrays(n[0], n[1], cap[0], cap[1], off[0],
                                                          ids[0], rk[0], -1, off[1], ids[1],
                                                          rk[1], -1, &e1);
        int32_t *c[2][4];
        for (int s = 0; s < 2; s++) {
            c[s][0] = cap[s] ? g_memdup2(cap[s], (gsize)(n[s] + 1) * sizeof(int32_t)) : NULL;
            c[s][1] = g_memdup2(off[s], (gsize)(n[s] + 1) * sizeof(int32_t));
            c[s][2] = g_memdup2(ids[s], (gsize)(off[s][n[s]] + 1) * sizeof(int32_t));
            c[s][3] = rk[s] ? g_memdup2(rk[s], (gsize)(off[s][n[s]] + 1) * sizeof(int32_t))
                            : NULL;
        }
        TmMarket *got = tm_market_new_take_arrays(n[0], n[1], c[0][0], c[1][0], c[0][1],
                                                  c[0][2], c[0][3], c[1][1], c[1][2], c[1][3],
                                                  &e2);
        if (want == NULL) {
            assert_null(got);
            assert_non_null(e1);
            assert_non_null(e2);
            assert_int_equal(e1->code, e2->code);
            assert_string_equal(e1->message, e2->message);
            g_error_free(e1);
            g_error_free(e2);
        } else {
            assert_no_error(e2);
            assert_non_null(got);
            assert_int_equal(tm_market_n_pairs(got), tm_market_n_pairs(want));
            assert_int_equal(tm_market_has_ties(got), tm_market_has_ties(want));
            assert_int_equal(tm_market_bytes(got), tm_market_bytes(want));
            int64_t L = tm_market_n_pairs(want);
            tied += tm_market_has_ties(want);
            for (int s = 0; s < 2; s++) {
                dropped += tm_market_n_dropped(want, (TmSide)s);
                assert_int_equal(tm_market_n_dropped(got, (TmSide)s),
                                 tm_market_n_dropped(want, (TmSide)s));
                int32_t *buf[2][4];
                for (int v = 0; v < 2; v++) {
                    TmMarket *mk = v ? got : want;
                    buf[v][0] = g_new(int32_t, n[s] + 1);
                    for (int j = 1; j < 4; j++)
                        buf[v][j] = g_new(int32_t, L + 1);
                    assert_true(tm_market_get_lists(mk, (TmSide)s, buf[v][0], n[s] + 1,
                                                    buf[v][1], buf[v][2], buf[v][3], L + 1,
                                                    NULL));
                }
                assert_memory_equal(buf[0][0], buf[1][0], (size_t)(n[s] + 1) * sizeof(int32_t));
                for (int j = 1; j < 4; j++)
                    assert_memory_equal(buf[0][j], buf[1][j], (size_t)L * sizeof(int32_t));
                for (int32_t a = 0; a < n[s]; a++)
                    assert_int_equal(tm_market_capacity(got, (TmSide)s, a),
                                     tm_market_capacity(want, (TmSide)s, a));
                for (int v = 0; v < 2; v++)
                    for (int j = 0; j < 4; j++)
                        g_free(buf[v][j]);
            }
        }
        tm_market_free(want);
        tm_market_free(got);
        for (int s = 0; s < 2; s++) {
            g_free(off[s]);
            g_free(ids[s]);
            g_free(rk[s]);
            g_free(cap[s]);
        }
    }
    assert_true(dropped > 1000 && tied > 100);
}

static void test_default_capacity(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(3, 2, NULL, D_CAP, S_OFF, S_PREFS, D_OFF, D_PREFS,
                                            &err);
    assert_no_error(err);
    for (int32_t a = 0; a < 3; a++)
        assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, a), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 1), 3);
    tm_market_free(m);
    m = tm_market_new_from_arrays(3, 2, S_CAP, NULL, S_OFF, S_PREFS, D_OFF, D_PREFS, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 2);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 0), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 1), 1);
    tm_market_free(m);
}

static void test_inputs_are_copied(void **state)
{
    (void)state;
    GError *err = NULL;
    int32_t scap[3], dcap[2], soff[4], sp[5], doff[3], dp[5];
    memcpy(scap, S_CAP, sizeof scap);
    memcpy(dcap, D_CAP, sizeof dcap);
    memcpy(soff, S_OFF, sizeof soff);
    memcpy(sp, S_PREFS, sizeof sp);
    memcpy(doff, D_OFF, sizeof doff);
    memcpy(dp, D_PREFS, sizeof dp);
    TmMarket *m = tm_market_new_from_arrays(3, 2, scap, dcap, soff, sp, doff, dp, &err);
    assert_no_error(err);
    /* scribble over the inputs: the market must not notice */
    memset(scap, 0x55, sizeof scap);
    memset(dcap, 0x55, sizeof dcap);
    memset(soff, 0x55, sizeof soff);
    memset(sp, 0x55, sizeof sp);
    memset(doff, 0x55, sizeof doff);
    memset(dp, 0x55, sizeof dp);
    check_sample(m);
    tm_market_free(m);
}

typedef struct {
    int32_t ns, nd;
    const int32_t *scap, *dcap, *soff, *sp, *doff, *dp;
    int code;
    const char *what;
} BadCase;

static void test_from_arrays_errors(void **state)
{
    (void)state;
    static const int32_t off_bad_start[] = { 1, 2, 3, 5 };
    static const int32_t off_decreasing[] = { 0, 3, 2, 5 };
    static const int32_t sp_oob[] = { 1, 0, 0, 2, 0 };   /* demand id 2 of 2 */
    static const int32_t sp_neg[] = { 1, 0, -1, 1, 0 };
    static const int32_t dp_oob[] = { 2, 0, 0, 1, 3 };   /* supply id 3 of 3 */
    static const int32_t sp_dup[] = { 1, 1, 0, 1, 0 };   /* s0 lists d1 twice */
    static const int32_t dp_dup[] = { 2, 0, 0, 1, 0 };   /* d1 lists s0 twice */
    static const int32_t scap_neg[] = { 2, -1, 0 };
    static const int32_t dcap_neg[] = { 1, -3 };
    static const int32_t doff_bad_start[] = { 2, 2, 5 };
    static const int32_t doff_decreasing[] = { 0, 3, 2 };
    const BadCase cases[] = {
        { -1, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "n_supply < 0" },
        { 3, -2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "n_demand < 0" },
        { 3, 2, S_CAP, D_CAP, NULL, S_PREFS, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "NULL supply offsets" },
        { 3, 2, S_CAP, D_CAP, S_OFF, NULL, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "NULL supply prefs" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, NULL, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "NULL demand offsets" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, NULL, TM_ERROR_INVALID_ARGUMENT, "NULL demand prefs" },
        { 3, 2, S_CAP, D_CAP, off_bad_start, S_PREFS, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "offsets not from 0" },
        { 3, 2, S_CAP, D_CAP, off_decreasing, S_PREFS, D_OFF, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "decreasing offsets" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, doff_bad_start, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "demand offsets not from 0" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, doff_decreasing, D_PREFS, TM_ERROR_INVALID_ARGUMENT, "decreasing demand offsets" },
        { 3, 2, S_CAP, D_CAP, S_OFF, sp_oob, D_OFF, D_PREFS, TM_ERROR_OUT_OF_RANGE, "supply lists demand 2" },
        { 3, 2, S_CAP, D_CAP, S_OFF, sp_neg, D_OFF, D_PREFS, TM_ERROR_OUT_OF_RANGE, "supply lists -1" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, dp_oob, TM_ERROR_OUT_OF_RANGE, "demand lists supply 3" },
        { 3, 2, S_CAP, D_CAP, S_OFF, sp_dup, D_OFF, D_PREFS, TM_ERROR_DUPLICATE, "supply duplicate" },
        { 3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, dp_dup, TM_ERROR_DUPLICATE, "demand duplicate" },
        { 3, 2, scap_neg, D_CAP, S_OFF, S_PREFS, D_OFF, D_PREFS, TM_ERROR_NEGATIVE_CAPACITY, "supply capacity -1" },
        { 3, 2, S_CAP, dcap_neg, S_OFF, S_PREFS, D_OFF, D_PREFS, TM_ERROR_NEGATIVE_CAPACITY, "demand capacity -3" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const BadCase *c = &cases[i];
        GError *err = NULL;
        TmMarket *m = tm_market_new_from_arrays(c->ns, c->nd, c->scap, c->dcap, c->soff, c->sp,
                                                c->doff, c->dp, &err);
        if (m != NULL || err == NULL || err->domain != TM_ERROR || err->code != c->code) {
            print_error("case '%s': market %p, error %s\n", c->what, (void *)m,
                        err ? err->message : "(none)");
            tm_market_free(m);
            g_clear_error(&err);
            fail();
        }
        assert_tm_error(err, c->code);
        /* the same with a NULL GError**: still refused, no crash */
        m = tm_market_new_from_arrays(c->ns, c->nd, c->scap, c->dcap, c->soff, c->sp, c->doff,
                                      c->dp, NULL);
        assert_null(m);
    }
}

/* Messages name the side and the agent at fault. */
static void test_error_messages(void **state)
{
    (void)state;
    static const int32_t sp_oob[] = { 1, 0, 0, 2, 0 }; /* supply agent 2, position 0 */
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(3, 2, S_CAP, D_CAP, S_OFF, sp_oob, D_OFF, D_PREFS,
                                            &err);
    assert_null(m);
    assert_non_null(err);
    char *lower = g_ascii_strdown(err->message, -1);
    if (!strstr(lower, "supply") || !strchr(lower, '2')) {
        print_error("message does not name side and agent: %s\n", err->message);
        g_free(lower);
        g_clear_error(&err);
        fail();
    }
    g_free(lower);
    g_clear_error(&err);

    static const int32_t dp_dup[] = { 2, 0, 0, 1, 0 }; /* demand agent 1 */
    m = tm_market_new_from_arrays(3, 2, S_CAP, D_CAP, S_OFF, S_PREFS, D_OFF, dp_dup, &err);
    assert_null(m);
    assert_non_null(err);
    lower = g_ascii_strdown(err->message, -1);
    if (!strstr(lower, "demand")) {
        print_error("message does not name the side: %s\n", err->message);
        g_free(lower);
        g_clear_error(&err);
        fail();
    }
    g_free(lower);
    g_clear_error(&err);
}

static void test_error_quark(void **state)
{
    (void)state;
    GQuark q = tm_error_quark();
    assert_true(q != 0);
    assert_int_equal(q, tm_error_quark());
    assert_int_equal(TM_ERROR, q);
    /* codes are stable numbers */
    assert_int_equal(TM_ERROR_INVALID_ARGUMENT, 1);
    assert_int_equal(TM_ERROR_OUT_OF_RANGE, 2);
    assert_int_equal(TM_ERROR_DUPLICATE, 3);
    assert_int_equal(TM_ERROR_NEGATIVE_CAPACITY, 4);
    assert_int_equal(TM_ERROR_OVERFLOW, 5);
    assert_int_equal(TM_ERROR_NO_MEMORY, 6);
    assert_int_equal(TM_ERROR_CANCELLED, 7);
    assert_int_equal(TM_ERROR_PARSE, 8);
    assert_int_equal(TM_ERROR_IO, 9);
    assert_int_equal(TM_ERROR_UNSUPPORTED, 10);
    assert_int_equal(TM_ERROR_UNKNOWN_NAME, 11);
    assert_int_equal(TM_ERROR_INFEASIBLE, 12);
    assert_int_equal(TM_SIDE_OTHER(TM_SIDE_SUPPLY), TM_SIDE_DEMAND);
    assert_int_equal(TM_SIDE_OTHER(TM_SIDE_DEMAND), TM_SIDE_SUPPLY);
}

/* ---- accessors out of range ------------------------------------------------ */

static void test_accessors_out_of_range(void **state)
{
    (void)state;
    TmMarket *m = sample();
    const TmSide bad = (TmSide)2;
    assert_int_equal(tm_market_size(NULL, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_market_size(m, bad), 0);
    assert_int_equal(tm_market_size(m, (TmSide)-1), 0);

    assert_int_equal(tm_market_capacity(NULL, TM_SIDE_SUPPLY, 0), -1);
    assert_int_equal(tm_market_capacity(m, bad, 0), -1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 3), -1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, -1), -1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 2), -1);

    int32_t len = 99;
    assert_null(tm_market_prefs(m, TM_SIDE_SUPPLY, 3, &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(tm_market_prefs(m, TM_SIDE_DEMAND, -1, &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(tm_market_prefs(m, bad, 0, &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(tm_market_prefs(NULL, TM_SIDE_SUPPLY, 0, &len));
    assert_int_equal(len, 0);

    assert_int_equal(tm_market_rank(NULL, TM_SIDE_SUPPLY, 0, 1), -1);
    assert_int_equal(tm_market_rank(m, bad, 0, 1), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 3, 1), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, -1, 1), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 2), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, -1), -1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 3), -1);
    tm_market_free(m);
}

/* ---- reference counting ---------------------------------------------------- */

static void test_ref_free(void **state)
{
    (void)state;
    TmMarket *m = sample();
    assert_ptr_equal(tm_market_ref(m), m);
    assert_ptr_equal(tm_market_ref(m), m);
    tm_market_free(m);
    tm_market_free(m);
    check_sample(m); /* one reference left: still alive (ASan checks) */
    tm_market_free(m);
    assert_null(tm_market_ref(NULL));
    tm_market_free(NULL);
}

/* ---- builder ---------------------------------------------------------------- */

static TmMarketBuilder *sample_builder(void)
{
    GError *err = NULL;
    TmMarketBuilder *b = tm_market_builder_new(3, 2, &err);
    assert_no_error(err);
    assert_non_null(b);
    for (int32_t a = 0; a < 3; a++) {
        assert_true(tm_market_builder_set_capacity(b, TM_SIDE_SUPPLY, a, S_CAP[a], &err));
        assert_no_error(err);
        assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, a, S_PREFS + S_OFF[a],
                                                S_OFF[a + 1] - S_OFF[a], &err));
        assert_no_error(err);
    }
    for (int32_t a = 0; a < 2; a++) {
        assert_true(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, a, D_CAP[a], &err));
        assert_no_error(err);
        assert_true(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, a, D_PREFS + D_OFF[a],
                                                D_OFF[a + 1] - D_OFF[a], &err));
        assert_no_error(err);
    }
    return b;
}

static void test_builder(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarketBuilder *b = sample_builder();
    TmMarket *m = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_non_null(m);
    check_sample(m);

    /* the builder is unchanged and reusable; the built market is immutable */
    TmMarket *m2 = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_true(m2 != m);
    check_sample(m2);
    static const int32_t s1_new[] = { 1, 0 };
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 1, s1_new, 2, &err));
    assert_no_error(err);
    assert_true(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, 0, 4, &err));
    assert_no_error(err);
    TmMarket *m3 = tm_market_builder_build(b, &err);
    assert_no_error(err);
    check_sample(m);
    check_sample(m2);
    /* in m3, s1 lists d1 (which lists s1) then d0 (which does not) */
    assert_int_equal(tm_market_n_pairs(m3), 5);
    assert_int_equal(tm_market_n_dropped(m3, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_market_n_dropped(m3, TM_SIDE_DEMAND), 0);
    assert_int_equal(tm_market_rank(m3, TM_SIDE_SUPPLY, 1, 1), 0);
    assert_int_equal(tm_market_rank(m3, TM_SIDE_DEMAND, 1, 1), 1);
    assert_int_equal(tm_market_rank(m3, TM_SIDE_DEMAND, 1, 2), 2);
    assert_int_equal(tm_market_capacity(m3, TM_SIDE_DEMAND, 0), 4);
    tm_market_free(m3);
    tm_market_free(m2);
    tm_market_free(m);
    tm_market_builder_free(b);
    tm_market_builder_free(NULL);
}

static void test_builder_defaults_and_replace(void **state)
{
    (void)state;
    GError *err = NULL;
    TmMarketBuilder *b = tm_market_builder_new(2, 2, &err);
    assert_no_error(err);
    TmMarket *m = tm_market_builder_build(b, &err);
    assert_no_error(err);
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < 2; a++) {
            assert_int_equal(tm_market_capacity(m, (TmSide)side, a), 1);
            int32_t len = -1;
            tm_market_prefs(m, (TmSide)side, a, &len);
            assert_int_equal(len, 0);
        }
    assert_int_equal(tm_market_n_pairs(m), 0);
    tm_market_free(m);

    /* set_prefs replaces; the input array is copied */
    int32_t l[2] = { 0, 1 };
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, l, 2, &err));
    assert_no_error(err);
    l[0] = 1;
    l[1] = 0;
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 1, l, 2, &err));
    assert_no_error(err);
    l[0] = 99; /* scribble: already copied */
    int32_t one[1] = { 1 };
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, one, 1, &err)); /* replace */
    assert_no_error(err);
    static const int32_t both[] = { 0, 1 };
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, 0, both, 2, &err));
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, 1, both, 2, &err));
    assert_no_error(err);
    m = tm_market_builder_build(b, &err);
    assert_no_error(err);
    int32_t len = 0;
    const int32_t *p = tm_market_prefs(m, TM_SIDE_SUPPLY, 0, &len);
    assert_int_equal(len, 1);
    assert_int_equal(p[0], 1);
    p = tm_market_prefs(m, TM_SIDE_SUPPLY, 1, &len);
    assert_int_equal(len, 2);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[1], 0);
    assert_int_equal(tm_market_n_pairs(m), 3);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_DEMAND), 1); /* d0's s0 */
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 1), 0);
    tm_market_free(m);
    tm_market_builder_free(b);
}

static void test_builder_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    assert_null(tm_market_builder_new(-1, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_market_builder_new(2, -1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_market_builder_new(-5, -5, NULL));

    TmMarketBuilder *b = tm_market_builder_new(3, 2, &err);
    assert_no_error(err);

    /* set_capacity */
    assert_false(tm_market_builder_set_capacity(NULL, TM_SIDE_SUPPLY, 0, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_capacity(b, (TmSide)2, 0, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_capacity(b, TM_SIDE_SUPPLY, 3, 1, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, 2, 1, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, -1, 1, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, 0, -1, &err));
    assert_tm_error(err, TM_ERROR_NEGATIVE_CAPACITY);
    assert_false(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, 0, -1, NULL));
    assert_true(tm_market_builder_set_capacity(b, TM_SIDE_DEMAND, 0, 0, &err));
    assert_no_error(err);

    /* set_prefs */
    static const int32_t ok[] = { 1, 0 };
    static const int32_t oob[] = { 0, 2 };
    static const int32_t neg[] = { -1 };
    static const int32_t dup[] = { 1, 0, 1 };
    static const int32_t s_oob[] = { 0, 3 };
    assert_false(tm_market_builder_set_prefs(NULL, TM_SIDE_SUPPLY, 0, ok, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_prefs(b, (TmSide)7, 0, ok, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, NULL, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, ok, -1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 3, ok, 2, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, -1, ok, 2, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, oob, 2, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, neg, 1, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_DEMAND, 1, s_oob, 2, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, dup, 3, &err));
    assert_tm_error(err, TM_ERROR_DUPLICATE);
    assert_false(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, dup, 3, NULL));

    /* build */
    assert_null(tm_market_builder_build(NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);

    /* after all these refusals the builder still works */
    assert_true(tm_market_builder_set_prefs(b, TM_SIDE_SUPPLY, 0, ok, 2, &err));
    assert_no_error(err);
    TmMarket *m = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_non_null(m);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 0), 0);
    int32_t len = 0;
    tm_market_prefs(m, TM_SIDE_SUPPLY, 0, &len);
    assert_int_equal(len, 0); /* nobody lists s0 back */
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), 2);
    tm_market_free(m);
    tm_market_builder_free(b);
}

/* The builder and the array constructor agree on a random larger market. */
static void test_builder_matches_arrays(void **state)
{
    (void)state;
    GError *err = NULL;
    const int32_t ns = 60, nd = 45;
    GRand *rand = g_rand_new_with_seed(4242);
    int32_t *scap = g_new(int32_t, ns), *dcap = g_new(int32_t, nd);
    int32_t *soff = g_new(int32_t, ns + 1), *doff = g_new(int32_t, nd + 1);
    int32_t *sp = g_new(int32_t, ns * nd), *dp = g_new(int32_t, ns * nd);
    TmMarketBuilder *b = tm_market_builder_new(ns, nd, &err);
    assert_no_error(err);
    int32_t perm[64];
    for (int side = 0; side < 2; side++) {
        int32_t n = side ? nd : ns, other = side ? ns : nd;
        int32_t *cap = side ? dcap : scap, *off = side ? doff : soff, *pr = side ? dp : sp;
        off[0] = 0;
        for (int32_t a = 0; a < n; a++) {
            cap[a] = g_rand_int_range(rand, 0, 4);
            for (int32_t i = 0; i < other; i++)
                perm[i] = i;
            for (int32_t i = other - 1; i > 0; i--) {
                int32_t j = g_rand_int_range(rand, 0, i + 1), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int32_t len = g_rand_int_range(rand, 0, other + 1);
            memcpy(pr + off[a], perm, (size_t)len * sizeof(int32_t));
            off[a + 1] = off[a] + len;
            assert_true(tm_market_builder_set_capacity(b, (TmSide)side, a, cap[a], &err));
            assert_true(tm_market_builder_set_prefs(b, (TmSide)side, a, perm, len, &err));
            assert_no_error(err);
        }
    }
    TmMarket *m1 = tm_market_new_from_arrays(ns, nd, scap, dcap, soff, sp, doff, dp, &err);
    assert_no_error(err);
    TmMarket *m2 = tm_market_builder_build(b, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_n_pairs(m1), tm_market_n_pairs(m2));
    int64_t pairs = 0, dropped[2] = { 0, 0 };
    for (int side = 0; side < 2; side++) {
        int32_t n = side ? nd : ns;
        const int32_t *off = side ? doff : soff, *pr = side ? dp : sp;
        const int32_t *ooff = side ? soff : doff, *opr = side ? sp : dp;
        assert_int_equal(tm_market_n_dropped(m1, (TmSide)side),
                         tm_market_n_dropped(m2, (TmSide)side));
        for (int32_t a = 0; a < n; a++) {
            assert_int_equal(tm_market_capacity(m1, (TmSide)side, a),
                             tm_market_capacity(m2, (TmSide)side, a));
            int32_t l1 = 0, l2 = 0;
            const int32_t *p1 = tm_market_prefs(m1, (TmSide)side, a, &l1);
            const int32_t *p2 = tm_market_prefs(m2, (TmSide)side, a, &l2);
            assert_int_equal(l1, l2);
            if (l1)
                assert_memory_equal(p1, p2, (size_t)l1 * sizeof(int32_t));
            /* reduced list = raw list filtered to entries listed back */
            int32_t k = 0;
            for (int32_t i = off[a]; i < off[a + 1]; i++) {
                int32_t x = pr[i], back = 0;
                for (int32_t j = ooff[x]; j < ooff[x + 1]; j++)
                    back |= opr[j] == a;
                if (back) {
                    assert_true(k < l1);
                    assert_int_equal(p1[k], x);
                    assert_int_equal(tm_market_rank(m1, (TmSide)side, a, x), k);
                    k++;
                } else {
                    dropped[side]++;
                    assert_int_equal(tm_market_rank(m1, (TmSide)side, a, x), -1);
                }
            }
            assert_int_equal(k, l1);
            if (side == 0)
                pairs += k;
        }
    }
    assert_int_equal(tm_market_n_pairs(m1), pairs);
    assert_int_equal(tm_market_n_dropped(m1, TM_SIDE_SUPPLY), dropped[0]);
    assert_int_equal(tm_market_n_dropped(m1, TM_SIDE_DEMAND), dropped[1]);
    tm_market_free(m1);
    tm_market_free(m2);
    tm_market_builder_free(b);
    g_free(scap);
    g_free(dcap);
    g_free(soff);
    g_free(doff);
    g_free(sp);
    g_free(dp);
    g_rand_free(rand);
}

/* A large market: memory O(L), built quickly; sanity of the counts. */
static void test_large_market(void **state)
{
    (void)state;
    GError *err = NULL;
    const int32_t n = 20000, k = 8;
    int32_t *off = g_new(int32_t, n + 1);
    int32_t *pr = g_new(int32_t, (gsize)n * k);
    for (int32_t a = 0; a <= n; a++)
        off[a] = a * k;
    /* agent a lists a, a+1, ..., a+k-1 (mod n) on both sides: pair (s, d)
     * acceptable iff d - s mod n < k and s - d mod n < k, i.e. only d == s
     * ... plus nothing else when k < n/2 */
    for (int32_t a = 0; a < n; a++)
        for (int32_t i = 0; i < k; i++)
            pr[a * k + i] = (a + i) % n;
    TmMarket *m = tm_market_new_from_arrays(n, n, NULL, NULL, off, pr, off, pr, &err);
    assert_no_error(err);
    assert_int_equal(tm_market_n_pairs(m), n);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), (int64_t)n * (k - 1));
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_DEMAND), (int64_t)n * (k - 1));
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 777, 777), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 777, 778), -1);
    tm_market_free(m);
    g_free(off);
    g_free(pr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_quark),
        cmocka_unit_test(test_from_arrays),
        cmocka_unit_test(test_take_arrays),
        cmocka_unit_test(test_default_capacity),
        cmocka_unit_test(test_inputs_are_copied),
        cmocka_unit_test(test_from_arrays_errors),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_accessors_out_of_range),
        cmocka_unit_test(test_ref_free),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_builder_defaults_and_replace),
        cmocka_unit_test(test_builder_errors),
        cmocka_unit_test(test_builder_matches_arrays),
        cmocka_unit_test(test_large_market),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
