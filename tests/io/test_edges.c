/* Edge-list files (include/techmatch/edges.h, docs/edges.md), through the
 * public API.
 *
 *   io.edges_good       hand-written files: separators, CRLF, no final
 *                       newline, comments, BOM, directives, ties, ranks not
 *                       consecutive, lines in any order, one-sided entries
 *   io.edges_errors     every refusal, with its code, line and field
 *   io.edges_roundtrip  random markets (ties, one-sided entries, capacities):
 *                       the market built from arrays == its file written by
 *                       the test in shuffled order, read with 1, 2, 3
 *                       threads == write_edges -> read_edges
 *   io.edges_json       examples/market.json and random strict markets: the
 *                       edge file solves to the same matching as the JSON
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

static char *tmpdir;

static char *
put_file(const char *name, const char *text, gssize len)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    assert_true(g_file_set_contents(path, text, len, NULL));
    return path;
}

/* Reads @text as file @name with @threads threads. */
static TmMarket *
read_text(const char *name, const char *text, int threads, GError **error)
{
    char *path = put_file(name, text, -1);
    TmEdgesOptions opt = {0};
    opt.threads = threads;
    TmMarket *m = tm_market_read_edges(path, &opt, error);
    g_unlink(path);
    g_free(path);
    return m;
}

/* Asserts @agent's reduced list on @side is @ids (n entries) with @ranks. */
static void
assert_list(const TmMarket *m, TmSide side, int32_t agent, int32_t n, const int32_t *ids,
            const int32_t *ranks)
{
    int32_t len = -1;
    const int32_t *p = tm_market_prefs(m, side, agent, &len);
    assert_int_equal(len, n);
    for (int32_t i = 0; i < n; i++) {
        assert_int_equal(p[i], ids[i]);
        assert_int_equal(tm_market_rank(m, side, agent, ids[i]), ranks[i]);
    }
}

/* Both markets have the same sizes, capacities and, per agent, the same
 * partners with the same ranks (order inside a tie is free). */
static void
assert_same_market(const TmMarket *a, const TmMarket *b)
{
    assert_int_equal(tm_market_n_pairs(a), tm_market_n_pairs(b));
    assert_int_equal(tm_market_has_ties(a), tm_market_has_ties(b));
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(a, (TmSide)side);
        assert_int_equal(n, tm_market_size(b, (TmSide)side));
        int64_t L = tm_market_n_pairs(a);
        int32_t *off[2], *ids[2], *rk[2], *rev[2];
        for (int k = 0; k < 2; k++) {
            const TmMarket *m = k == 0 ? a : b;
            off[k] = g_new(int32_t, n + 1);
            ids[k] = g_new(int32_t, L + 1);
            rk[k] = g_new(int32_t, L + 1);
            rev[k] = g_new(int32_t, L + 1);
            assert_true(tm_market_get_lists(m, (TmSide)side, off[k], n + 1, ids[k], rk[k],
                                            rev[k], L + 1, NULL));
        }
        for (int32_t x = 0; x < n; x++) {
            assert_int_equal(tm_market_capacity(a, (TmSide)side, x),
                             tm_market_capacity(b, (TmSide)side, x));
            assert_int_equal(off[0][x + 1], off[1][x + 1]);
            /* rank (and reverse rank) per partner, as keys sorted */
            int32_t lo = off[0][x], hi = off[0][x + 1];
            for (int32_t k = lo; k < hi; k++) {
                int64_t ka = ((int64_t)rk[0][k] << 32) | ids[0][k];
                gboolean found = FALSE;
                for (int32_t j = lo; j < hi && !found; j++)
                    if ((((int64_t)rk[1][j] << 32) | ids[1][j]) == ka && rev[1][j] == rev[0][k])
                        found = TRUE;
                if (!found) {
                    print_error("side %d agent %d: partner %d (rank %d) differs\n", side, x,
                                ids[0][k], rk[0][k]);
                    fail();
                }
                if (k > lo && rk[1][k] < rk[1][k - 1])
                    fail_msg("side %d agent %d: ranks not in order", side, x);
            }
        }
        for (int k = 0; k < 2; k++) {
            g_free(off[k]);
            g_free(ids[k]);
            g_free(rk[k]);
            g_free(rev[k]);
        }
    }
}

/* ---- good files ---------------------------------------------------------- */

static void
test_good_basic(void **state)
{
    (void)state;
    GError *err = NULL;
    /* CSV, CRLF, comments, blank lines, no final newline, ranks not
     * consecutive, lines not in order, a tie on the demand side */
    const char *text = "\xEF\xBB\xBF# a comment\r\n#! techmatch-edges 1\r\n\r\n"
                       "supply,demand,supply_rank,demand_rank\r\n"
                       "1,0,5,7\r\n"
                       "# inside\r\n"
                       "0,1,30,2\r\n"
                       "\r\n"
                       "0,0,10,7\r\n"
                       "1,1,2,0";
    for (int threads = 1; threads <= 2; threads++) {
        TmMarket *m = read_text("basic.csv", text, threads, &err);
        assert_null(err);
        assert_non_null(m);
        assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), 2);
        assert_int_equal(tm_market_size(m, TM_SIDE_DEMAND), 2);
        assert_int_equal(tm_market_n_pairs(m), 4);
        assert_list(m, TM_SIDE_SUPPLY, 0, 2, (int32_t[]){0, 1}, (int32_t[]){0, 1});
        assert_list(m, TM_SIDE_SUPPLY, 1, 2, (int32_t[]){1, 0}, (int32_t[]){0, 1});
        /* demand 0 ranks supply 1 and 0 equally (7, 7): a tie, file order */
        assert_list(m, TM_SIDE_DEMAND, 0, 2, (int32_t[]){1, 0}, (int32_t[]){0, 0});
        assert_list(m, TM_SIDE_DEMAND, 1, 2, (int32_t[]){1, 0}, (int32_t[]){0, 1});
        assert_true(tm_market_has_ties(m));
        tm_market_free(m);
    }
}

static void
test_good_directives(void **state)
{
    (void)state;
    GError *err = NULL;
    /* sizes beyond the ids, capacities (default and per agent), TSV, a
     * one-sided entry each way */
    const char *text = "#! techmatch-edges 1\n#! supply 4\n#! demand 3\n"
                       "#! capacity supply 2\n#! capacity supply 3 0\n"
                       "#! capacity demand 1 5\n"
                       "supply\tdemand\tsupply_rank\tdemand_rank\n"
                       "0\t0\t0\t0\n"
                       "0\t1\t1\t-\n"
                       "1\t1\t-\t0\n"
                       "1\t0\t0\t1\n";
    TmMarket *m = read_text("dir.tsv", text, 0, &err);
    assert_null(err);
    assert_non_null(m);
    assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), 4);
    assert_int_equal(tm_market_size(m, TM_SIDE_DEMAND), 3);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 2);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 3), 0);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 0), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 1), 5);
    assert_int_equal(tm_market_n_pairs(m), 2);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_DEMAND), 1);
    assert_list(m, TM_SIDE_SUPPLY, 0, 1, (int32_t[]){0}, (int32_t[]){0});
    assert_list(m, TM_SIDE_DEMAND, 0, 2, (int32_t[]){0, 1}, (int32_t[]){0, 1});
    assert_false(tm_market_has_ties(m));
    tm_market_free(m);

    /* header only: an empty market; the option's default capacity */
    TmEdgesOptions opt = {0};
    opt.demand_capacity = 3;
    char *path = put_file("empty.txt", "#! supply 2\n#! demand 1\nsupply\tdemand\tsupply_rank\t"
                          "demand_rank\n", -1);
    m = tm_market_read_edges(path, &opt, &err);
    assert_null(err);
    assert_int_equal(tm_market_n_pairs(m), 0);
    assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), 2);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 0), 3);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 1);
    tm_market_free(m);
    /* an explicit separator overrides the extension */
    g_unlink(path);
    g_free(path);
    path = put_file("comma.dat", "supply,demand,supply_rank,demand_rank\n0,0,0,0\n", -1);
    opt.separator = ',';
    m = tm_market_read_edges(path, &opt, &err);
    assert_null(err);
    assert_int_equal(tm_market_n_pairs(m), 1);
    tm_market_free(m);
    opt.separator = 0;
    assert_null(tm_market_read_edges(path, &opt, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, ".tsv");
    g_unlink(path);
    g_free(path);
}

/* A supply list in reverse order with big, sparse ranks and ties: sorted
 * (stable), ranks dense after. */
static void
test_good_unsorted(void **state)
{
    (void)state;
    GError *err = NULL;
    const char *text = "supply,demand,supply_rank,demand_rank\n"
                       "0,4,900,3\n0,3,900,2\n0,2,17,1\n0,1,17,0\n0,0,2000000000,0\n";
    TmMarket *m = read_text("u.csv", text, 1, &err);
    assert_null(err);
    assert_list(m, TM_SIDE_SUPPLY, 0, 5, (int32_t[]){2, 1, 4, 3, 0}, (int32_t[]){0, 0, 1, 1, 2});
    tm_market_free(m);
    /* demand ranks whose largest is k - 1 but that are not 0..k-1 (a tie and
     * a gap): the direct placement finds out and places again */
    const char *gap = "supply,demand,supply_rank,demand_rank\n"
                      "0,0,0,2\n1,0,0,0\n2,0,0,2\n0,1,1,1\n1,1,1,0\n";
    for (int threads = 1; threads <= 2; threads++) {
        m = read_text("gap.csv", gap, threads, &err);
        assert_null(err);
        assert_list(m, TM_SIDE_DEMAND, 0, 3, (int32_t[]){1, 0, 2}, (int32_t[]){0, 1, 1});
        assert_list(m, TM_SIDE_DEMAND, 1, 2, (int32_t[]){1, 0}, (int32_t[]){0, 1});
        tm_market_free(m);
    }
}

/* ---- errors -------------------------------------------------------------- */

typedef struct {
    const char *name, *text;
    int code;
    const char *fragment;
} BadCase;

static void
test_errors(void **state)
{
    (void)state;
    const char *H = "supply,demand,supply_rank,demand_rank\n";
    char *cases_text[64];
    int nc = 0;
    BadCase cases[] = {
        {"e1.csv", "", TM_ERROR_PARSE, "e1.csv:1: no header line"},
        {"e2.csv", "# only a comment\n", TM_ERROR_PARSE, "e2.csv:2: no header line"},
        {"e3.csv", "supply,demand,rank,demand_rank\n", TM_ERROR_PARSE, "e3.csv:1: header"},
        {"e4.csv", "supply\tdemand\tsupply_rank\tdemand_rank\n", TM_ERROR_PARSE, "name the file .tsv"},
        {"e5.csv", "%s0,0,0,0\n0,1,x,0\n", TM_ERROR_PARSE, "e5.csv:3: field supply_rank: 'x'"},
        {"e6.csv", "%s0,0,0\n", TM_ERROR_PARSE, "e6.csv:2: field demand_rank: missing"},
        {"e7.csv", "%s0,0,0,0,0\n", TM_ERROR_PARSE, "e7.csv:2: a field after demand_rank"},
        {"e8.csv", "%s0,,0,0\n", TM_ERROR_PARSE, "e8.csv:2: field demand: missing"},
        {"e9.csv", "%s0,0,-1,0\n", TM_ERROR_PARSE, "e9.csv:2: field supply_rank: '-1'"},
        {"e10.csv", "%s-1,0,1,0\n", TM_ERROR_PARSE, "field supply: '-1' is not an agent id"},
        {"e11.csv", "%s0,0,0,2147483648\n", TM_ERROR_PARSE, "e11.csv:2: field demand_rank: "
                                                            "'2147483648' is beyond"},
        {"e12.csv", "%s0,0,0,2147483647\n0,1,0,99999999999999999999\n", TM_ERROR_PARSE,
         "e12.csv:3: field demand_rank"},
        {"e13.csv", "%s0,0,1.5,0\n", TM_ERROR_PARSE, "field supply_rank: '1.5'"},
        {"e14.csv", "%s0,0,-,-\n", TM_ERROR_PARSE, "both are '-'"},
        {"e15.csv", "%s0,0,0,0\n1,1,0,0\n0,0,1,1\n", TM_ERROR_DUPLICATE,
         "e15.csv:4: fields supply, demand: the pair (supply 0, demand 0) is also on line 2"},
        {"e16.csv", "%s0,0,0,-\n0,0,-,1\n", TM_ERROR_DUPLICATE, "e16.csv:3:"},
        {"e17.csv", "#! supply 2\n%s2,0,0,0\n", TM_ERROR_OUT_OF_RANGE,
         "e17.csv:3: field supply: id out of range: the file declares 2 supply agents"},
        {"e18.csv", "#! demand 1\n%s0,0,0,0\n0,1,1,0\n", TM_ERROR_OUT_OF_RANGE,
         "e18.csv:4: field demand"},
        {"e19.csv", "#! supply 3000000000\n%s", TM_ERROR_OVERFLOW, "e19.csv:1: directive"},
        {"e20.csv", "#! supply x\n%s", TM_ERROR_PARSE, "e20.csv:1: directive: supply: 'x'"},
        {"e21.csv", "#! frobnicate\n%s", TM_ERROR_PARSE, "e21.csv:1: directive: not one of"},
        {"e22.csv", "#! techmatch-edges 2\n%s", TM_ERROR_UNSUPPORTED, "version '2'"},
        {"e23.csv", "%s#! supply 3\n", TM_ERROR_PARSE, "e23.csv:2: directive '#! supply 3' after"},
        {"e24.csv", "#! supply 1\n#! capacity supply 1 2\n%s", TM_ERROR_OUT_OF_RANGE,
         "e24.csv:2: directive: capacity supply 1: no such agent"},
        {"e25.csv", "#! supply 1\n#! supply 1\n%s", TM_ERROR_PARSE, "given twice"},
        {"e26.csv", "%s0, 0,0,0\n", TM_ERROR_PARSE, "field demand: ' 0'"},
        {"e27.csv", "%s0,0,0,0\r\r\n", TM_ERROR_PARSE, "e27.csv:2: field demand_rank"},
        {"e28.csv", "%s0,0,0,0\n0,1,0", TM_ERROR_PARSE, "e28.csv:3: field demand_rank: missing"},
        {"e29.csv", "%s0,0,0,0\n1,1,0,0,", TM_ERROR_PARSE, "e29.csv:3: a field after"},
        {"e30.csv", "%s0,0,0,0\n0,1,0,00000000001\n", TM_ERROR_PARSE, "e30.csv:3: field "
                                                                     "demand_rank"},
        {"e31.csv", "%s1\n", TM_ERROR_PARSE, "e31.csv:2: field demand: missing"},
    };
    nc = (int)G_N_ELEMENTS(cases);
    for (int i = 0; i < nc; i++) {
        cases_text[i] = strstr(cases[i].text, "%s") != NULL
                            ? g_strdup_printf(cases[i].text, H)
                            : g_strdup(cases[i].text);
        for (int threads = 1; threads <= 2; threads++) {
            GError *err = NULL;
            char *path = put_file(cases[i].name, cases_text[i], -1);
            TmEdgesOptions opt = {0};
            opt.threads = threads;
            TmMarket *m = tm_market_read_edges(path, &opt, &err);
            if (m != NULL)
                fail_msg("%s: read without error", cases[i].name);
            tt_expect_error(&err, cases[i].code, cases[i].fragment);
            g_unlink(path);
            g_free(path);
        }
        g_free(cases_text[i]);
    }
    /* a NUL byte inside a line (the text above stops at it: write it) */
    {
        static const char nul[] = "supply,demand,supply_rank,demand_rank\n0,0\0,0,0\n";
        char *path = put_file("nul.csv", nul, (gssize)sizeof nul - 1);
        GError *err = NULL;
        assert_null(tm_market_read_edges(path, NULL, &err));
        tt_expect_error(&err, TM_ERROR_PARSE, "nul.csv:2: field demand");
        g_unlink(path);
        g_free(path);
    }
    /* the agent limit, from an id and from a directive */
    {
        GError *err = NULL;
        TmEdgesOptions opt = {0};
        opt.max_agents = 1000;
        char *path = put_file("big.csv", "supply,demand,supply_rank,demand_rank\n"
                                         "0,2000000000,0,0\n", -1);
        assert_null(tm_market_read_edges(path, &opt, &err));
        tt_expect_error(&err, TM_ERROR_OUT_OF_RANGE, "big.csv:2: field demand: id beyond the limit");
        g_unlink(path);
        g_free(path);
        path = put_file("big2.csv", "#! demand 2000000000\nsupply,demand,supply_rank,demand_rank\n",
                        -1);
        assert_null(tm_market_read_edges(path, &opt, &err));
        tt_expect_error(&err, TM_ERROR_OUT_OF_RANGE, "big2.csv:1: directive: demand 2000000000");
        g_unlink(path);
        g_free(path);
    }
    /* bad arguments and files */
    {
        GError *err = NULL;
        assert_null(tm_market_read_edges(NULL, NULL, &err));
        tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
        assert_null(tm_market_read_edges("/nonexistent/x.tsv", NULL, &err));
        tt_expect_error(&err, TM_ERROR_IO, "/nonexistent/x.tsv: cannot open");
        assert_null(tm_market_read_edges(tmpdir, NULL, &err));
        tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, ".tsv");
        TmEdgesOptions opt = {0};
        opt.separator = '\t';
        assert_null(tm_market_read_edges(tmpdir, &opt, &err));
        tt_expect_error(&err, TM_ERROR_IO, "not a regular file");
        opt.threads = -1;
        assert_null(tm_market_read_edges("x.tsv", &opt, &err));
        tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "threads");
        opt.threads = 0;
        opt.supply_capacity = -2;
        assert_null(tm_market_read_edges("x.tsv", &opt, &err));
        tt_expect_error(&err, TM_ERROR_NEGATIVE_CAPACITY, "-2");
        assert_false(tm_market_write_edges(NULL, "x.tsv", &err));
        tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    }
}

/* The first error in file order, whatever the number of threads: a file of
 * several MiB with a bad line at the end of each half. */
static void
test_errors_first(void **state)
{
    (void)state;
    GString *t = g_string_new("supply\tdemand\tsupply_rank\tdemand_rank\n");
    int32_t n = 200000;
    for (int32_t s = 0; s < n; s++)
        g_string_append_printf(t, "%d\t%d\t0\t%d\n", s, s % 100, s / 100);
    GString *u = g_string_new(t->str);
    /* bad lines near 40% and near 90% */
    char *p40 = strstr(u->str + u->len * 2 / 5, "\n") + 1;
    p40[0] = 'x';
    char *p90 = strstr(u->str + u->len * 9 / 10, "\n") + 1;
    p90[0] = 'y';
    int64_t line40 = 1;
    for (const char *q = u->str; q < p40; q++)
        line40 += *q == '\n';
    char *want = g_strdup_printf("bad.tsv:%" G_GINT64_FORMAT ": field supply: 'x", line40);
    char *path = put_file("bad.tsv", u->str, (gssize)u->len);
    for (int threads = 1; threads <= 4; threads++) {
        GError *err = NULL;
        TmEdgesOptions opt = {0};
        opt.threads = threads;
        assert_null(tm_market_read_edges(path, &opt, &err));
        tt_expect_error(&err, TM_ERROR_PARSE, want);
    }
    /* a repeated pair in the second half, the first in the first */
    g_unlink(path);
    g_free(path);
    g_string_append(t, "150000\t0\t5\t5\n");
    path = put_file("dup.tsv", t->str, (gssize)t->len);
    for (int threads = 1; threads <= 3; threads++) {
        GError *err = NULL;
        TmEdgesOptions opt = {0};
        opt.threads = threads;
        assert_null(tm_market_read_edges(path, &opt, &err));
        tt_expect_error(&err, TM_ERROR_DUPLICATE, "dup.tsv:200002: fields supply, demand: the pair "
                                               "(supply 150000, demand 0) is also on line 150002");
    }
    g_unlink(path);
    g_free(path);
    g_free(want);
    g_string_free(t, TRUE);
    g_string_free(u, TRUE);
}

/* ---- random markets --------------------------------------------------------- */

typedef struct {
    int32_t ns, nd;
    int32_t *cap[2];
    /* all listed pairs: s, d, supply rank or -1, demand rank or -1 */
    GArray *pairs;
} RandomMarket;

typedef struct {
    int32_t s, d, rs, rd;
} Pair;

static int
cmp_pair_side(const void *a, const void *b, void *side_p)
{
    const Pair *x = a, *y = b;
    int side = *(int *)side_p;
    int32_t ax = side == 0 ? x->s : x->d, ay = side == 0 ? y->s : y->d;
    if (ax != ay)
        return ax < ay ? -1 : 1;
    int32_t rx = side == 0 ? x->rs : x->rd, ry = side == 0 ? y->rs : y->rd;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    int32_t bx = side == 0 ? x->d : x->s, by = side == 0 ? y->d : y->s;
    return bx < by ? -1 : bx > by;
}

static RandomMarket
random_market(GRand *rng, int32_t ns, int32_t nd, int32_t list_len, gboolean ties,
              gboolean onesided)
{
    RandomMarket rm = {ns, nd, {NULL, NULL}, g_array_new(FALSE, FALSE, sizeof(Pair))};
    for (int side = 0; side < 2; side++) {
        int32_t n = side == 0 ? ns : nd;
        rm.cap[side] = g_new(int32_t, MAX(n, 1));
        for (int32_t a = 0; a < n; a++)
            rm.cap[side][a] = g_rand_int_range(rng, 0, 10) == 0 ? 0 : g_rand_int_range(rng, 1, 4);
    }
    GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
    int64_t *keys = g_new(int64_t, (gsize)ns * list_len + 1);
    int64_t nk = 0;
    for (int32_t s = 0; s < ns; s++) {
        int32_t k = g_rand_int_range(rng, 0, list_len + 1);
        for (int32_t i = 0; i < k; i++) {
            int32_t d = g_rand_int_range(rng, 0, nd);
            keys[nk] = (int64_t)s * nd + d;
            if (g_hash_table_contains(seen, &keys[nk]))
                continue;
            g_hash_table_add(seen, &keys[nk]);
            nk++;
            int32_t span = ties ? 4 : 1000000;
            Pair p = {s, d, g_rand_int_range(rng, 0, span), g_rand_int_range(rng, 0, span)};
            if (onesided && g_rand_int_range(rng, 0, 10) == 0) {
                if (g_rand_boolean(rng))
                    p.rs = -1;
                else
                    p.rd = -1;
            }
            g_array_append_val(rm.pairs, p);
        }
    }
    g_hash_table_destroy(seen);
    g_free(keys);
    if (!ties) { /* distinct ranks per list: make them positions after sorting */
        for (int side = 0; side < 2; side++) {
            g_array_sort_with_data(rm.pairs, cmp_pair_side, &side);
            Pair *p = (Pair *)(void *)rm.pairs->data;
            for (guint i = 0, run = 0; i < rm.pairs->len; i++) {
                int32_t a = side == 0 ? p[i].s : p[i].d;
                if (i == 0 || a != (side == 0 ? p[i - 1].s : p[i - 1].d))
                    run = 0;
                int32_t *r = side == 0 ? &p[i].rs : &p[i].rd;
                if (*r >= 0)
                    *r = (int32_t)(run++) * 3 + 1; /* sparse, still strict */
            }
        }
    }
    return rm;
}

static void
random_market_clear(RandomMarket *rm)
{
    g_free(rm->cap[0]);
    g_free(rm->cap[1]);
    g_array_free(rm->pairs, TRUE);
}

/* The market of @rm through tm_market_new_from_ranked_arrays() (an
 * oracle independent of the reader). */
static TmMarket *
random_market_build(RandomMarket *rm)
{
    int32_t *off[2], *ids[2], *rk[2];
    for (int side = 0; side < 2; side++) {
        int32_t n = side == 0 ? rm->ns : rm->nd;
        g_array_sort_with_data(rm->pairs, cmp_pair_side, &side);
        off[side] = g_new0(int32_t, n + 1);
        ids[side] = g_new(int32_t, rm->pairs->len + 1);
        rk[side] = g_new(int32_t, rm->pairs->len + 1);
        int32_t k = 0;
        const Pair *p = (const Pair *)(void *)rm->pairs->data;
        for (guint i = 0; i < rm->pairs->len; i++) {
            int32_t r = side == 0 ? p[i].rs : p[i].rd;
            if (r < 0)
                continue;
            int32_t a = side == 0 ? p[i].s : p[i].d;
            off[side][a + 1]++;
            ids[side][k] = side == 0 ? p[i].d : p[i].s;
            rk[side][k] = r;
            k++;
        }
        for (int32_t a = 0; a < n; a++)
            off[side][a + 1] += off[side][a];
    }
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_ranked_arrays(rm->ns, rm->nd, rm->cap[0], rm->cap[1], off[0],
                                                   ids[0], rk[0], -1, off[1], ids[1], rk[1], -1,
                                                   &err);
    assert_null(err);
    for (int side = 0; side < 2; side++) {
        g_free(off[side]);
        g_free(ids[side]);
        g_free(rk[side]);
    }
    return m;
}

/* @rm as an edge file, lines shuffled, with directives for sizes and every
 * capacity (or, when @sizes is FALSE, none: the ids give the sizes). */
static char *
random_market_file(RandomMarket *rm, GRand *rng, const char *name, char sep, gboolean sizes)
{
    GString *t = g_string_new("#! techmatch-edges 1\n");
    if (sizes) {
        g_string_append_printf(t, "#! supply %d\n#! demand %d\n", rm->ns, rm->nd);
        for (int side = 0; side < 2; side++)
            for (int32_t a = 0; a < (side == 0 ? rm->ns : rm->nd); a++)
                if (rm->cap[side][a] != 1)
                    g_string_append_printf(t, "#! capacity %s %d %d\n",
                                           side == 0 ? "supply" : "demand", a, rm->cap[side][a]);
    }
    g_string_append_printf(t, "supply%cdemand%csupply_rank%cdemand_rank\n", sep, sep, sep);
    Pair *p = (Pair *)(void *)rm->pairs->data;
    for (guint i = rm->pairs->len; i > 1; i--) {
        guint j = (guint)g_rand_int_range(rng, 0, (gint32)i);
        Pair x = p[i - 1];
        p[i - 1] = p[j];
        p[j] = x;
    }
    for (guint i = 0; i < rm->pairs->len; i++) {
        g_string_append_printf(t, "%d%c%d%c", p[i].s, sep, p[i].d, sep);
        if (p[i].rs >= 0)
            g_string_append_printf(t, "%d", p[i].rs);
        else
            g_string_append_c(t, '-');
        g_string_append_c(t, sep);
        if (p[i].rd >= 0)
            g_string_append_printf(t, "%d\n", p[i].rd);
        else
            g_string_append(t, "-\n");
    }
    char *path = put_file(name, t->str, (gssize)t->len);
    g_string_free(t, TRUE);
    return path;
}

static TmMarket *
read_path(const char *path, int threads)
{
    GError *err = NULL;
    TmEdgesOptions opt = {0};
    opt.threads = threads;
    TmMarket *m = tm_market_read_edges(path, &opt, &err);
    if (err != NULL)
        fail_msg("%s: %s", path, err->message);
    assert_non_null(m);
    return m;
}

static void
test_roundtrip(void **state)
{
    (void)state;
    GRand *rng = g_rand_new_with_seed(20261202);
    struct {
        int32_t ns, nd, len;
        gboolean ties, onesided;
    } shapes[] = {
        {1, 1, 1, FALSE, FALSE},   {3, 5, 4, TRUE, TRUE},       {40, 30, 8, FALSE, TRUE},
        {60, 20, 10, TRUE, FALSE}, {30000, 3000, 8, FALSE, FALSE}, {20000, 5000, 12, TRUE, TRUE},
    };
    for (guint c = 0; c < G_N_ELEMENTS(shapes); c++) {
        RandomMarket rm = random_market(rng, shapes[c].ns, shapes[c].nd, shapes[c].len,
                                        shapes[c].ties, shapes[c].onesided);
        TmMarket *oracle = random_market_build(&rm);
        char *path = random_market_file(&rm, rng, c % 2 ? "r.csv" : "r.tsv", c % 2 ? ',' : '\t',
                                        TRUE);
        for (int threads = 1; threads <= 3; threads++) {
            TmMarket *m = read_path(path, threads);
            assert_same_market(oracle, m);
            assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY),
                             tm_market_n_dropped(oracle, TM_SIDE_SUPPLY));
            assert_int_equal(tm_market_n_dropped(m, TM_SIDE_DEMAND),
                             tm_market_n_dropped(oracle, TM_SIDE_DEMAND));
            tm_market_free(m);
        }
        /* write -> read: the same market, on the fast path and off it */
        char *out = g_build_filename(tmpdir, c % 2 ? "w.tsv" : "w.csv", NULL);
        GError *err = NULL;
        assert_true(tm_market_write_edges(oracle, out, &err));
        assert_null(err);
        TmMarket *m1 = read_path(out, 1), *m2 = read_path(out, 2);
        assert_same_market(oracle, m1);
        assert_same_market(oracle, m2);
        /* strict lists keep their exact order, and 1 and 2 threads agree
         * exactly (ties included) */
        for (int side = 0; side < 2; side++) {
            for (int32_t a = 0; a < tm_market_size(m1, (TmSide)side); a++) {
                int32_t l1, l2, l0;
                const int32_t *p1 = tm_market_prefs(m1, (TmSide)side, a, &l1);
                const int32_t *p2 = tm_market_prefs(m2, (TmSide)side, a, &l2);
                const int32_t *p0 = tm_market_prefs(oracle, (TmSide)side, a, &l0);
                assert_int_equal(l1, l2);
                if (l1 > 0)
                    assert_memory_equal(p1, p2, (size_t)l1 * sizeof(int32_t));
                if (!shapes[c].ties && l0 > 0)
                    assert_memory_equal(p0, p1, (size_t)l0 * sizeof(int32_t));
            }
        }
        tm_market_free(m1);
        tm_market_free(m2);
        /* without size directives the sizes come from the ids (only when the
         * last agents list something; then the capacities are 1) */
        g_unlink(path);
        g_free(path);
        g_unlink(out);
        g_free(out);
        tm_market_free(oracle);
        random_market_clear(&rm);
    }
    /* sizes from the ids */
    {
        RandomMarket rm = random_market(rng, 50, 40, 10, FALSE, FALSE);
        char *path = random_market_file(&rm, rng, "nosize.tsv", '\t', FALSE);
        TmMarket *m = read_path(path, 2);
        int32_t maxs = -1, maxd = -1;
        for (guint i = 0; i < rm.pairs->len; i++) {
            const Pair *p = &g_array_index(rm.pairs, Pair, i);
            maxs = MAX(maxs, p->s);
            maxd = MAX(maxd, p->d);
        }
        assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), maxs + 1);
        assert_int_equal(tm_market_size(m, TM_SIDE_DEMAND), maxd + 1);
        assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 1);
        assert_int_equal(tm_market_n_pairs(m), rm.pairs->len);
        tm_market_free(m);
        g_unlink(path);
        g_free(path);
        random_market_clear(&rm);
    }
    g_rand_free(rng);
}

/* ---- against the JSON reader ---------------------------------------------------- */

static void
assert_same_matching(TmMarket *a, TmMarket *b)
{
    GError *err = NULL;
    TmMatching *ma = tm_solve(a, NULL, NULL, &err);
    assert_null(err);
    TmMatching *mb = tm_solve(b, NULL, NULL, &err);
    assert_null(err);
    int64_t n = tm_matching_n_pairs(ma);
    assert_int_equal(n, tm_matching_n_pairs(mb));
    int32_t *s[2] = {g_new(int32_t, n + 1), g_new(int32_t, n + 1)};
    int32_t *d[2] = {g_new(int32_t, n + 1), g_new(int32_t, n + 1)};
    assert_true(tm_matching_get_pairs(ma, s[0], d[0], n + 1, NULL));
    assert_true(tm_matching_get_pairs(mb, s[1], d[1], n + 1, NULL));
    if (n > 0) {
        assert_memory_equal(s[0], s[1], (size_t)n * sizeof(int32_t));
        assert_memory_equal(d[0], d[1], (size_t)n * sizeof(int32_t));
    }
    for (int k = 0; k < 2; k++) {
        g_free(s[k]);
        g_free(d[k]);
    }
    tm_matching_free(ma);
    tm_matching_free(mb);
}

static void
test_json(void **state)
{
    (void)state;
    GError *err = NULL;
    TmInstance *inst = tm_instance_load_json_file(TM_EXAMPLES_DIR "/market.json", &err);
    assert_null(err);
    TmMarket *jm = tm_instance_market(inst);
    char *path = g_build_filename(tmpdir, "market.tsv", NULL);
    assert_true(tm_market_write_edges(jm, path, &err));
    TmMarket *em = read_path(path, 2);
    assert_same_market(jm, em);
    assert_same_matching(jm, em);
    /* as an instance: names are the ids */
    TmInstance *ei = tm_instance_load_edges_file(path, NULL, &err);
    assert_null(err);
    assert_string_equal(tm_instance_name(ei, TM_SIDE_SUPPLY, 8), "8");
    assert_int_equal(tm_instance_lookup(ei, TM_SIDE_DEMAND, "7"), 7);
    assert_int_equal(tm_instance_lookup(ei, TM_SIDE_DEMAND, "8"), -1);
    assert_int_equal(tm_instance_lookup(ei, TM_SIDE_DEMAND, "07"), -1);
    assert_int_equal(tm_instance_lookup(ei, TM_SIDE_DEMAND, "x"), -1);
    assert_null(tm_instance_name(ei, TM_SIDE_DEMAND, 8));
    assert_null(tm_instance_groups(ei));
    tm_market_free(em);
    tm_instance_free(ei);
    tm_instance_free(inst);
    g_unlink(path);

    /* random strict markets: the JSON text and the edge file of the same
     * instance solve alike */
    GRand *rng = g_rand_new_with_seed(7);
    for (int round = 0; round < 4; round++) {
        RandomMarket rm = random_market(rng, 300 + round * 100, 200, 12, FALSE, round % 2 == 1);
        TmMarket *oracle = random_market_build(&rm);
        GString *js = g_string_new("{\"supply\": [");
        for (int side = 0; side < 2; side++) {
            if (side == 1)
                g_string_append(js, "], \"demand\": [");
            for (int32_t a = 0; a < tm_market_size(oracle, (TmSide)side); a++) {
                int32_t len;
                const int32_t *p = tm_market_prefs(oracle, (TmSide)side, a, &len);
                g_string_append_printf(js, "%s{\"name\": \"%c%d\", \"capacity\": %d, \"prefs\": [",
                                       a ? ", " : "", side ? 'd' : 's', a,
                                       tm_market_capacity(oracle, (TmSide)side, a));
                for (int32_t i = 0; i < len; i++)
                    g_string_append_printf(js, "%s\"%c%d\"", i ? ", " : "", side ? 's' : 'd',
                                           p[i]);
                g_string_append(js, "]}");
            }
        }
        g_string_append(js, "]}");
        TmInstance *ji = tm_instance_load_json_data(js->str, (gssize)js->len, "r.json", &err);
        assert_null(err);
        char *ep = random_market_file(&rm, rng, "r.txt", '\t', TRUE);
        TmMarket *e = read_path(ep, 2);
        assert_same_market(tm_instance_market(ji), e);
        assert_same_matching(tm_instance_market(ji), e);
        g_unlink(ep);
        g_free(ep);
        tm_market_free(e);
        tm_instance_free(ji);
        g_string_free(js, TRUE);
        tm_market_free(oracle);
        random_market_clear(&rm);
    }
    g_rand_free(rng);
    g_free(path);
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest good[] = {
        cmocka_unit_test(test_good_basic),
        cmocka_unit_test(test_good_directives),
        cmocka_unit_test(test_good_unsorted),
    };
    const struct CMUnitTest errors[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_errors_first),
    };
    const struct CMUnitTest roundtrip[] = {
        cmocka_unit_test(test_roundtrip),
    };
    const struct CMUnitTest json[] = {
        cmocka_unit_test(test_json),
    };
    const char *group = argc > 1 ? argv[1] : NULL;
    tmpdir = g_dir_make_tmp("tm-edges-XXXXXX", NULL);
    int failed = 0;
    if (group == NULL || strcmp(group, "good") == 0)
        failed += cmocka_run_group_tests_name("edges_good", good, NULL, NULL);
    if (group == NULL || strcmp(group, "errors") == 0)
        failed += cmocka_run_group_tests_name("edges_errors", errors, NULL, NULL);
    if (group == NULL || strcmp(group, "roundtrip") == 0)
        failed += cmocka_run_group_tests_name("edges_roundtrip", roundtrip, NULL, NULL);
    if (group == NULL || strcmp(group, "json") == 0)
        failed += cmocka_run_group_tests_name("edges_json", json, NULL, NULL);
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return failed != 0;
}
