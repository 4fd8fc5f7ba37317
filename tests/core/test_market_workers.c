/* The market build on several workers (src/core/market_build.c, issue 12):
 * for random markets -- strict and with ties, partly mutual lists, empty
 * lists, agents listing nobody, either side the larger, and invalid input of
 * every kind, sometimes several errors at once -- the build forced to 2, 3
 * and 8 workers gives the same arrays as the one-worker build, entry for
 * entry (read from the market's private struct), or the same error (domain,
 * code and message); through tm_market_new_from_ranked_arrays() and
 * tm_market_new_take_arrays() alike.  A few markets above the size from
 * which the build uses its workers by itself are compared the same way.
 * Registered as core.market_workers and run by scripts/test.sh under
 * ThreadSanitizer as well (label threads). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "core/market_private.h"

/* ---- instances ------------------------------------------------------------ */

typedef struct {
    int32_t n[2];
    int32_t *cap[2]; /* NULL or n */
    int32_t *off[2]; /* n + 1 */
    int32_t *ids[2]; /* len[side] (at least 1 allocated) */
    int32_t *rank[2]; /* NULL or len */
    int64_t len[2];
} Inst;

static void inst_free(Inst *x)
{
    for (int s = 0; s < 2; s++) {
        g_free(x->cap[s]);
        g_free(x->off[s]);
        g_free(x->ids[s]);
        g_free(x->rank[s]);
    }
    memset(x, 0, sizeof *x);
}

/* Side 0's lists are random subsets of side 1 (length up to @k0) in random
 * order; side 1's lists hold each agent that listed it with probability
 * @back, plus up to @extra others at random, shuffled.  Ties (ranks that
 * repeat) on each side with probability @tie_side. */
static void inst_random(Inst *x, GRand *r, int32_t n0, int32_t n1, int32_t k0, double back,
                        int32_t extra, double tie_side)
{
    memset(x, 0, sizeof *x);
    x->n[0] = n0;
    x->n[1] = n1;
    /* side 0: partial Fisher-Yates over a persistent permutation of side 1 */
    int32_t *perm = g_new(int32_t, MAX(n1, 1));
    for (int32_t i = 0; i < n1; i++)
        perm[i] = i;
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int32_t));
    x->off[0] = g_new0(int32_t, n0 + 1);
    for (int32_t a = 0; a < n0; a++) {
        int32_t len = n1 > 0 ? g_rand_int_range(r, 0, MIN(k0, n1) + 1) : 0;
        for (int32_t i = 0; i < len; i++) {
            int32_t j = g_rand_int_range(r, i, n1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        g_array_append_vals(ids, perm, (guint)len);
        x->off[0][a + 1] = (int32_t)ids->len;
    }
    x->len[0] = ids->len;
    g_array_append_val(ids, (int32_t){0});
    x->ids[0] = (int32_t *)(void *)g_array_free(ids, FALSE);
    g_free(perm);

    /* side 1: who listed me (the reverse of side 0), thinned, plus extras */
    int32_t *roff = g_new0(int32_t, n1 + 1);
    for (int64_t e = 0; e < x->len[0]; e++)
        roff[x->ids[0][e] + 1]++;
    for (int32_t b = 0; b < n1; b++)
        roff[b + 1] += roff[b];
    int32_t *rev = g_new(int32_t, MAX(x->len[0], 1));
    int32_t *cur = g_memdup2(roff, (gsize)(n1 + 1) * sizeof(int32_t));
    for (int32_t a = 0; a < n0; a++)
        for (int32_t e = x->off[0][a]; e < x->off[0][a + 1]; e++)
            rev[cur[x->ids[0][e]]++] = a;
    g_free(cur);
    int32_t *stamp = g_new(int32_t, MAX(n0, 1));
    for (int32_t a = 0; a < n0; a++)
        stamp[a] = -1;
    ids = g_array_new(FALSE, FALSE, sizeof(int32_t));
    x->off[1] = g_new0(int32_t, n1 + 1);
    for (int32_t b = 0; b < n1; b++) {
        guint first = ids->len;
        for (int32_t f = roff[b]; f < roff[b + 1]; f++)
            if (g_rand_double(r) < back) {
                g_array_append_val(ids, rev[f]);
                stamp[rev[f]] = b;
            }
        int32_t more = n0 > 0 ? g_rand_int_range(r, 0, extra + 1) : 0;
        for (int32_t i = 0; i < more; i++) {
            int32_t a = g_rand_int_range(r, 0, n0);
            if (stamp[a] != b) {
                g_array_append_val(ids, a);
                stamp[a] = b;
            }
        }
        int32_t *l = &g_array_index(ids, int32_t, first);
        for (int32_t i = (int32_t)(ids->len - first) - 1; i > 0; i--) {
            int32_t j = g_rand_int_range(r, 0, i + 1), t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        x->off[1][b + 1] = (int32_t)ids->len;
    }
    x->len[1] = ids->len;
    g_array_append_val(ids, (int32_t){0});
    x->ids[1] = (int32_t *)(void *)g_array_free(ids, FALSE);
    g_free(stamp);
    g_free(rev);
    g_free(roff);

    for (int s = 0; s < 2; s++) {
        if (g_rand_boolean(r)) {
            x->cap[s] = g_new(int32_t, MAX(x->n[s], 1));
            for (int32_t a = 0; a < x->n[s]; a++)
                x->cap[s][a] = g_rand_int_range(r, 0, 4);
        }
        if (g_rand_double(r) < tie_side) {
            x->rank[s] = g_new(int32_t, MAX(x->len[s], 1));
            for (int32_t a = 0; a < x->n[s]; a++) {
                int32_t rk = g_rand_int_range(r, 0, 3);
                for (int32_t e = x->off[s][a]; e < x->off[s][a + 1]; e++) {
                    if (e > x->off[s][a])
                        rk += g_rand_int_range(r, 0, 3) == 0 ? 0 : g_rand_int_range(r, 1, 3);
                    x->rank[s][e] = rk;
                }
            }
        }
    }
}

/* Side @s's offsets are still valid (an earlier break may have spoilt them). */
static gboolean offsets_ok(const Inst *x, int s)
{
    if (x->off[s][0] != 0)
        return FALSE;
    for (int32_t a = 0; a < x->n[s]; a++)
        if (x->off[s][a + 1] < x->off[s][a])
            return FALSE;
    return x->off[s][x->n[s]] <= x->len[s];
}

/* Breaks the instance at a random place, in one of the ways the build
 * reports (offsets only ever lowered: never beyond the arrays). */
static void inst_break(Inst *x, GRand *r)
{
    int s = g_rand_int_range(r, 0, 2);
    int32_t n = x->n[s], no = x->n[1 - s];
    int kind = g_rand_int_range(r, 0, 7);
    if (n == 0)
        kind = 0;
    else if (!offsets_ok(x, s))
        kind = 2; /* only the capacities are still safe to break */
    int32_t a = n > 0 ? g_rand_int_range(r, 0, n) : 0;
    int32_t len = kind != 2 && n > 0 ? x->off[s][a + 1] - x->off[s][a] : 0;
    int32_t *l = kind != 2 && n > 0 ? x->ids[s] + x->off[s][a] : NULL;
    switch (kind) {
    case 0: /* the first offset */
        if (x->off[s][n] > 0)
            x->off[s][0] = 1;
        else
            x->off[s][0] = -1;
        break;
    case 1: /* decreasing offsets */
        if (x->off[s][a + 1] > 0)
            x->off[s][a + 1] = x->off[s][a] - 1;
        else
            x->off[s][0] = -1;
        break;
    case 2: /* negative capacity */
        if (x->cap[s] == NULL) {
            x->cap[s] = g_new(int32_t, n);
            for (int32_t i = 0; i < n; i++)
                x->cap[s][i] = 1;
        }
        x->cap[s][a] = -1 - g_rand_int_range(r, 0, 3);
        break;
    case 3: /* out of range */
    case 4:
        if (len > 0)
            l[g_rand_int_range(r, 0, len)] = kind == 3 ? no + g_rand_int_range(r, 0, 3) : -1;
        break;
    case 5: /* a duplicate */
        if (len > 1) {
            int32_t i = g_rand_int_range(r, 1, len);
            l[i] = l[g_rand_int_range(r, 0, i)];
        }
        break;
    default: /* a bad rank */
        if (len > 0 && x->rank[s] != NULL) {
            int32_t i = g_rand_int_range(r, 0, len);
            if (i > 0 && g_rand_boolean(r))
                x->rank[s][x->off[s][a] + i] = x->rank[s][x->off[s][a] + i - 1] - 1;
            else
                x->rank[s][x->off[s][a] + i] = -1;
        }
        break;
    }
}

/* ---- building and comparing ------------------------------------------------ */

static TmMarket *build_borrowed(const Inst *x, int workers, GError **err)
{
    tm_i_market_set_build_workers(workers);
    TmMarket *m = tm_market_new_from_ranked_arrays(
        x->n[0], x->n[1], x->cap[0], x->cap[1], x->off[0], x->ids[0], x->rank[0], x->len[0],
        x->off[1], x->ids[1], x->rank[1], x->len[1], err);
    tm_i_market_set_build_workers(0);
    return m;
}

static int32_t *dup_or_null(const int32_t *p, int64_t n)
{
    return p ? g_memdup2(p, (gsize)MAX(n, 1) * sizeof(int32_t)) : NULL;
}

static TmMarket *build_taken(const Inst *x, int workers, GError **err)
{
    tm_i_market_set_build_workers(workers);
    TmMarket *m = tm_market_new_take_arrays(
        x->n[0], x->n[1], dup_or_null(x->cap[0], x->n[0]), dup_or_null(x->cap[1], x->n[1]),
        dup_or_null(x->off[0], (int64_t)x->n[0] + 1), dup_or_null(x->ids[0], x->len[0]),
        dup_or_null(x->rank[0], x->len[0]), dup_or_null(x->off[1], (int64_t)x->n[1] + 1),
        dup_or_null(x->ids[1], x->len[1]), dup_or_null(x->rank[1], x->len[1]), err);
    tm_i_market_set_build_workers(0);
    return m;
}

static void same_array(const int32_t *a, const int32_t *b, int64_t n, const char *what)
{
    if ((a == NULL) != (b == NULL))
        fail_msg("%s: NULL on one build only", what);
    if (a != NULL && n > 0 && memcmp(a, b, (size_t)n * sizeof(int32_t)) != 0) {
        for (int64_t i = 0; i < n; i++)
            if (a[i] != b[i])
                fail_msg("%s[%" G_GINT64_FORMAT "]: %d vs %d", what, i, a[i], b[i]);
    }
}

/* The two markets are the same, array for array. */
static void same_market(const TmMarket *m1, const TmMarket *m2)
{
    assert_int_equal(m1->n_pairs, m2->n_pairs);
    for (int s = 0; s < 2; s++) {
        const TmSideData *a = &m1->side[s], *b = &m2->side[s];
        assert_int_equal(a->n, b->n);
        assert_int_equal(a->dropped, b->dropped);
        const int64_t L = a->off[a->n];
        assert_int_equal(L, m1->n_pairs);
        same_array(a->cap, b->cap, a->n, "cap");
        same_array(a->off, b->off, (int64_t)a->n + 1, "off");
        same_array(a->ids, b->ids, L, "ids");
        same_array(a->rpos, b->rpos, L, "rpos");
        same_array(a->rank, b->rank, L, "rank");
        same_array(a->rrank, b->rrank, L, "rrank");
    }
}

/* @m2 / @e2 (one build) equals @m1 / @e1 (the reference): both markets
 * alike, or both errors alike. */
static void same_result(TmMarket *m1, GError *e1, TmMarket *m2, GError *e2, const char *what)
{
    if ((m1 == NULL) != (m2 == NULL))
        fail_msg("%s: %s vs %s", what, m1 ? "a market" : e1->message,
                 m2 ? "a market" : e2->message);
    if (m1 != NULL) {
        assert_null(e1);
        assert_null(e2);
        same_market(m1, m2);
    } else {
        assert_non_null(e1);
        assert_non_null(e2);
        assert_true(e1->domain == e2->domain);
        assert_int_equal(e1->code, e2->code);
        if (strcmp(e1->message, e2->message) != 0)
            fail_msg("%s: \"%s\" vs \"%s\"", what, e1->message, e2->message);
    }
}

/* Every worker count and both constructors against the one-worker build of
 * borrowed arrays; returns whether that built a market. */
static gboolean check_instance(const Inst *x, const int *workers, int n_workers)
{
    GError *e1 = NULL;
    TmMarket *m1 = build_borrowed(x, 1, &e1);
    for (int i = 0; i < n_workers; i++) {
        GError *e2 = NULL;
        TmMarket *m2 = build_borrowed(x, workers[i], &e2);
        same_result(m1, e1, m2, e2, "from arrays");
        tm_market_free(m2);
        g_clear_error(&e2);
        /* the owning constructor has no lengths: only offsets the arrays
         * hold are given to it (a reference of its own: its length checks
         * differ) */
        if (x->off[0] && x->off[1] && x->off[0][x->n[0]] <= x->len[0] &&
            x->off[1][x->n[1]] <= x->len[1]) {
            GError *e3 = NULL, *e4 = NULL;
            TmMarket *m3 = build_taken(x, 1, &e3);
            TmMarket *m4 = build_taken(x, workers[i], &e4);
            same_result(m3, e3, m4, e4, "take arrays");
            if (m1 != NULL && m3 != NULL)
                same_market(m1, m3);
            tm_market_free(m3);
            tm_market_free(m4);
            g_clear_error(&e3);
            g_clear_error(&e4);
        }
    }
    gboolean ok = m1 != NULL;
    tm_market_free(m1);
    g_clear_error(&e1);
    return ok;
}

/* ---- tests ------------------------------------------------------------------ */

/* Worker counts compared with one worker (8 on every eighth instance only:
 * thread creation dominates these tiny builds) */
static const int WORKERS[] = { 2, 3 }, WORKERS_8[] = { 2, 8 };

/* Small random markets, valid and not, every shape. */
static void test_small_random(void **state)
{
    (void)state;
    static const int32_t sizes[] = { 0, 1, 2, 3, 5, 8, 13, 40, 100, 300 };
    GRand *r = g_rand_new_with_seed(20261203);
    int built = 0, failed = 0;
    for (int it = 0; it < 1500; it++) {
        Inst x;
        int32_t n0 = sizes[g_rand_int_range(r, 0, G_N_ELEMENTS(sizes))];
        int32_t n1 = sizes[g_rand_int_range(r, 0, G_N_ELEMENTS(sizes))];
        int32_t k = g_rand_int_range(r, 0, 3) == 0 ? n1 : g_rand_int_range(r, 0, 12);
        double back = g_rand_int_range(r, 0, 4) == 0 ? 1.0 : g_rand_double(r);
        inst_random(&x, r, n0, n1, k, back, g_rand_int_range(r, 0, 4), 0.3);
        int n_err = g_rand_int_range(r, 0, 4) == 0 ? g_rand_int_range(r, 1, 4) : 0;
        for (int i = 0; i < n_err; i++)
            inst_break(&x, r);
        if (check_instance(&x, it % 8 ? WORKERS : WORKERS_8, 2))
            built++;
        else
            failed++;
        inst_free(&x);
    }
    g_rand_free(r);
    /* both outcomes were exercised */
    assert_true(built > 500);
    assert_true(failed > 100);
}

/* Errors in two places at once: the lowest agent's is reported, as one
 * worker reports it (errors in each half of a side, on both sides). */
static void test_first_error_wins(void **state)
{
    (void)state;
    GRand *r = g_rand_new_with_seed(7);
    for (int it = 0; it < 200; it++) {
        Inst x;
        inst_random(&x, r, 200, 60, 10, 0.7, 2, 0.0);
        for (int s = 0; s < 2; s++) {
            /* a duplicate near the end and one of another kind near the start */
            const int32_t n = x.n[s];
            int32_t hi = g_rand_int_range(r, n / 2, n), lo = g_rand_int_range(r, 0, n / 2);
            int32_t *l = x.ids[s] + x.off[s][hi];
            if (x.off[s][hi + 1] - x.off[s][hi] > 1 && g_rand_boolean(r))
                l[1] = l[0];
            l = x.ids[s] + x.off[s][lo];
            if (x.off[s][lo + 1] > x.off[s][lo] && g_rand_boolean(r))
                l[0] = g_rand_boolean(r) ? -1 : x.n[1 - s];
        }
        check_instance(&x, WORKERS, G_N_ELEMENTS(WORKERS));
        inst_free(&x);
    }
    g_rand_free(r);
}

/* Markets above the size from which the build uses its workers by itself
 * (0: by size) and forced to 2, against one worker; valid, with an error in
 * the second half of a side, and with ties. */
static void test_large(void **state)
{
    (void)state;
    static const int by_size[] = { 0, 2 };
    GRand *r = g_rand_new_with_seed(99);
    for (int it = 0; it < 4; it++) {
        Inst x;
        /* ~7e5 entries on side 0, ~5.5e5 (it even: more agents) on side 1 */
        if (it % 2 == 0)
            inst_random(&x, r, 70000, 7000, 20, 0.8, 10, it == 2 ? 1.0 : 0.0);
        else
            inst_random(&x, r, 3000, 60000, 470, 0.75, 10, 0.0);
        if (it == 3) { /* a duplicate late on each side, an out-of-range id after it */
            for (int s = 0; s < 2; s++) {
                int32_t a = x.n[s] - 10;
                while (x.off[s][a + 1] - x.off[s][a] < 2)
                    a--;
                x.ids[s][x.off[s][a] + 1] = x.ids[s][x.off[s][a]];
                x.ids[s][x.off[s][x.n[s]] - 1] = x.n[1 - s];
            }
        }
        assert_true(x.len[0] >= 524288);
        assert_true(x.len[1] >= 524288);
        gboolean ok = check_instance(&x, by_size, G_N_ELEMENTS(by_size));
        assert_int_equal(ok, it != 3);
        inst_free(&x);
    }
    g_rand_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_random),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
