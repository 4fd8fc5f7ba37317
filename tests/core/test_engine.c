/* The deferred acceptance engine's resumable state (src/core/da_private.h),
 * against the brute-force oracle.
 *
 * Resuming.  From the proposing side's optimal matching M0, breaking the pair
 * (p, r) — r drops p but keeps the seat taken at p's rank — and running on
 * must give exactly what deferred acceptance gives from scratch on the
 * instance in which r's list is cut just above p (McVitie–Wilson: every
 * rejection made so far is still valid there).  The oracle enumerates that
 * instance's stable matchings and picks its proposing-side optimum.
 * Receivers have capacity 1 (where the phantom seat equals the cut list);
 * proposers any capacity.  Copies of a state (tm_i_da_copy) must run to the
 * same result as the original. */
#include "testutil.h"
#include "oracle.h"
#include "core/da_private.h"
#include "core/mutual.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static int rng_int(Rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static void shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Random market: sides of 1..5, receivers (side @recv) capacity 1, the
 * others 1..2; each list a random subset in random order. */
static void gen(Rng *r, int recv, OrMarket *m)
{
    memset(m, 0, sizeof *m);
    for (int s = 0; s < 2; s++)
        m->n[s] = rng_int(r, 1, 5);
    for (int s = 0; s < 2; s++) {
        for (int a = 0; a < m->n[s]; a++) {
            m->cap[s][a] = s == recv ? 1 : rng_int(r, 1, 2);
            int all[OR_MAXN];
            for (int b = 0; b < m->n[1 - s]; b++)
                all[b] = b;
            shuffle(r, all, m->n[1 - s]);
            m->len[s][a] = rng_int(r, 0, m->n[1 - s]);
            memcpy(m->list[s][a], all, sizeof(int) * (size_t)m->len[s][a]);
        }
    }
    assert_int_equal(or_market_prepare(m), 0);
}

static TmMarket *to_market(const OrMarket *m)
{
    int32_t off[2][OR_MAXN + 1], ids[2][OR_MAXN * OR_MAXN], cap[2][OR_MAXN];
    for (int s = 0; s < 2; s++) {
        off[s][0] = 0;
        for (int a = 0; a < m->n[s]; a++) {
            cap[s][a] = m->cap[s][a];
            for (int i = 0; i < m->len[s][a]; i++)
                ids[s][off[s][a] + i] = m->list[s][a][i];
            off[s][a + 1] = off[s][a] + m->len[s][a];
        }
    }
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_arrays(m->n[0], m->n[1], cap[0], cap[1], off[0], ids[0],
                                             off[1], ids[1], &err);
    assert_no_error(err);
    return mk;
}

static OrMask mask_of(const OrMarket *m, const TmMatching *M)
{
    OrMask mask = 0;
    int64_t np = tm_matching_n_pairs(M);
    int32_t s[OR_MAXP], d[OR_MAXP];
    assert_true(np <= OR_MAXP);
    assert_true(tm_matching_get_pairs(M, s, d, OR_MAXP, NULL));
    for (int64_t i = 0; i < np; i++) {
        int k = m->pair_index[s[i]][d[i]];
        assert_true(k >= 0);
        mask |= (OrMask)1 << k;
    }
    return mask;
}

/* The oracle's proposing-side optimum of @m. */
static OrMask optimum(const OrMarket *m, int side)
{
    OrMask *set = NULL, best = 0;
    size_t n = or_stable_matchings(m, &set, NULL);
    assert_true(n > 0);
    assert_true(or_side_optimal(m, side, set, n, &best));
    free(set);
    return best;
}

/* Translates a mask of @from into a mask of @to (same agents, @to's pair
 * numbering); every pair must be acceptable in @to. */
static OrMask translate(const OrMarket *from, const OrMarket *to, OrMask mask)
{
    OrMask out = 0;
    for (int k = 0; k < from->n_pairs; k++) {
        if (!(mask >> k & 1))
            continue;
        int j = to->pair_index[from->pair_s[k]][from->pair_d[k]];
        assert_true(j >= 0);
        out |= (OrMask)1 << j;
    }
    return out;
}

static void test_break_resume(void **state)
{
    (void)state;
    Rng r = { 0x9e3779b97f4a7c15ULL };
    TmControl ctl = { NULL, NULL, NULL, NULL };
    long breaks = 0, resumed = 0;
    for (int iter = 0; iter < 3000; iter++) {
        int side = iter % 2, recv = 1 - side;
        OrMarket m;
        gen(&r, recv, &m);
        TmMarket *mk = to_market(&m);
        GError *err = NULL;
        TmDa *da = tm_i_da_new(mk, (TmSide)side, NULL, &err);
        assert_no_error(err);
        tm_i_da_set_pipeline(da, iter % 3 - 1); /* by size, one at a time, pipeline; copies too */
        assert_true(tm_i_da_run(da, &ctl, &err));
        TmMatching *M0 = tm_i_da_collect(da, &err);
        assert_no_error(err);
        assert_true(mask_of(&m, M0) == optimum(&m, side));
        /* break every held pair in turn, each on a copy of the state */
        for (int32_t a = 0; a < m.n[recv]; a++) {
            int32_t n;
            const int32_t *held = tm_matching_partners(M0, (TmSide)recv, a, &n);
            if (n == 0)
                continue;
            int32_t who = held[0];
            TmDa *c = tm_i_da_copy(da, &err);
            assert_no_error(err);
            if (m.n[side] > 1) /* a holds only who: nobody else can be broken off */
                assert_false(tm_i_da_break(c, a, (who + 1) % m.n[side]));
            assert_true(tm_i_da_break(c, a, who));
            assert_true(tm_i_da_run(c, &ctl, &err));
            TmMatching *M1 = tm_i_da_collect(c, &err);
            assert_no_error(err);
            /* the instance with a's list cut just above who */
            OrMarket cut = m;
            int *list = cut.list[recv][a], *len = &cut.len[recv][a];
            for (int i = 0; i < *len; i++)
                if (list[i] == who) {
                    *len = i;
                    break;
                }
            assert_int_equal(or_market_prepare(&cut), 0);
            OrMask want = optimum(&cut, side);
            OrMask got = translate(&m, &cut, mask_of(&m, M1));
            if (got != want) {
                print_error("iteration %d: breaking (%d, %d) with side %d proposing: "
                            "engine %#llx, oracle %#llx\n", iter, a, who, side,
                            (unsigned long long)got, (unsigned long long)want);
                fail();
            }
            assert_true(tm_i_da_proposals(c) >= tm_i_da_proposals(da));
            breaks++;
            resumed += tm_i_da_proposals(c) - tm_i_da_proposals(da);
            tm_matching_free(M1);
            tm_i_da_free(c);
        }
        tm_matching_free(M0);
        tm_i_da_free(da);
        tm_market_free(mk);
    }
    print_message("%ld breaks checked, %ld proposals after resuming\n", breaks, resumed);
    assert_true(breaks > 1000);
}

/* The pipeline (many proposers in flight) and the one-at-a-time loop against
 * the brute-force oracle on small random markets with capacities 1..3 on both
 * sides: the proposing side's optimum and the number of proposals (which
 * does not depend on their order). */
static void test_pipeline_oracle(void **state)
{
    (void)state;
    Rng r = { 0x5eed5eedULL };
    TmControl ctl = { NULL, NULL, NULL, NULL };
    long checked = 0;
    for (int iter = 0; iter < 6000; iter++) {
        OrMarket m;
        gen(&r, iter % 2, &m);
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < m.n[s]; a++)
                m.cap[s][a] = rng_int(&r, 0, 3);
        assert_int_equal(or_market_prepare(&m), 0);
        TmMarket *mk = to_market(&m);
        for (int side = 0; side < 2; side++) {
            OrMask want = optimum(&m, side);
            for (int mode = 0; mode < 2; mode++) {
                GError *err = NULL;
                TmDa *da = tm_i_da_new(mk, (TmSide)side, NULL, &err);
                assert_no_error(err);
                tm_i_da_set_pipeline(da, mode);
                assert_true(tm_i_da_run(da, &ctl, &err));
                TmMatching *M = tm_i_da_collect(da, &err);
                assert_no_error(err);
                OrMask got = mask_of(&m, M);
                if (got != want ||
                    tm_matching_n_proposals(M) != or_da_proposals(&m, side, want)) {
                    print_error("iteration %d, side %d, mode %d: engine %#llx (%ld proposals), "
                                "oracle %#llx (%ld)\n", iter, side, mode,
                                (unsigned long long)got, (long)tm_matching_n_proposals(M),
                                (unsigned long long)want, or_da_proposals(&m, side, want));
                    fail();
                }
                checked++;
                tm_matching_free(M);
                tm_i_da_free(da);
            }
        }
        tm_market_free(mk);
    }
    print_message("%ld runs checked against the oracle\n", checked);
}

/* Many-to-many, lists sharing one order on the demand side (many
 * displacements, proposers displaced while they propose), cancelled every
 * TM_DA_CHECK_EVERY proposals: each cancelled run leaves a state that runs on,
 * and the end result is the uninterrupted one. */
static void test_cancel_often_many_to_many(void **state)
{
    (void)state;
    const int32_t n = 6000, m = 1500, k = 60;
    int32_t *off = g_new(int32_t, n + 1), *sp = g_new(int32_t, n * k);
    int32_t *scap = g_new(int32_t, n), *dcap = g_new(int32_t, m);
    Rng r = { 777 };
    for (int32_t a = 0; a <= n; a++)
        off[a] = a * k;
    int32_t *perm = g_new(int32_t, m);
    for (int32_t a = 0; a < n; a++) {
        scap[a] = 1 + a % 3;
        for (int32_t i = 0; i < m; i++)
            perm[i] = i;
        shuffle(&r, (int *)perm, m);
        memcpy(sp + (int64_t)a * k, perm, (size_t)k * sizeof(int32_t));
        /* popular sites early: sort the first half of the list */
        for (int32_t i = 1; i < k / 2; i++)
            for (int32_t j = i; j > 0 && sp[a * k + j] < sp[a * k + j - 1]; j--) {
                int32_t t = sp[a * k + j];
                sp[a * k + j] = sp[a * k + j - 1];
                sp[a * k + j - 1] = t;
            }
    }
    for (int32_t d = 0; d < m; d++)
        dcap[d] = 1 + d % 5;
    /* demand lists: every supply agent that lists d, in one global order */
    int32_t *doff = g_new0(int32_t, m + 1), *dp = g_new(int32_t, n * k);
    for (int64_t e = 0; e < (int64_t)n * k; e++)
        doff[sp[e] + 1]++;
    for (int32_t d = 0; d < m; d++)
        doff[d + 1] += doff[d];
    int32_t *cur = g_memdup2(doff, (gsize)(m + 1) * sizeof(int32_t));
    for (int32_t a = n - 1; a >= 0; a--) /* global order: supply agents from the last */
        for (int32_t i = 0; i < k; i++)
            dp[cur[sp[a * k + i]]++] = a;
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_arrays(n, m, scap, dcap, off, sp, doff, dp, &err);
    assert_no_error(err);
    for (int side = 0; side < 2; side++) {
        TmSolveOptions *so = tm_solve_options_new();
        tm_solve_options_set_proposing(so, (TmSide)side, NULL);
        TmMatching *want = tm_solve(mk, NULL, so, &err);
        assert_no_error(err);
        tm_solve_options_free(so);
        TmCancel *cancel = tm_cancel_new();
        tm_cancel_trigger(cancel);
        TmControl ctl = { NULL, NULL, NULL, cancel };
        TmDa *da = tm_i_da_new(mk, (TmSide)side, NULL, &err);
        tm_i_da_set_pipeline(da, 1); /* small state: by size it would run one at a time */
        int64_t last = -1;
        int cancels = 0;
        while (!tm_i_da_run(da, &ctl, &err)) {
            assert_tm_error(err, TM_ERROR_CANCELLED);
            g_clear_error(&err);
            if (tm_i_da_proposals(da) == last)
                break; /* no proposer left: cancelled only at the end */
            last = tm_i_da_proposals(da);
            cancels++;
        }
        print_message("side %d: %d cancelled runs, %" G_GINT64_FORMAT " proposals\n", side,
                      cancels, tm_matching_n_proposals(want));
        assert_true(cancels >= 2 && cancels >= tm_matching_n_proposals(want) / 65536);
        tm_cancel_reset(cancel);
        assert_true(tm_i_da_run(da, &ctl, &err));
        TmMatching *got = tm_i_da_collect(da, &err);
        assert_no_error(err);
        assert_int_equal(tm_matching_n_pairs(want), tm_matching_n_pairs(got));
        assert_int_equal(tm_matching_n_proposals(want), tm_matching_n_proposals(got));
        for (int s2 = 0; s2 < 2; s2++)
            for (int32_t a = 0; a < (s2 == 0 ? n : m); a++) {
                int32_t n1, n2;
                const int32_t *p1 = tm_matching_partners(want, (TmSide)s2, a, &n1);
                const int32_t *p2 = tm_matching_partners(got, (TmSide)s2, a, &n2);
                assert_int_equal(n1, n2);
                if (n1 > 0)
                    assert_memory_equal(p1, p2, (size_t)n1 * sizeof(int32_t));
            }
        assert_true(tm_matching_is_stable(got, &err));
        tm_cancel_unref(cancel);
        tm_matching_free(want);
        tm_matching_free(got);
        tm_i_da_free(da);
    }
    tm_market_free(mk);
    g_free(off);
    g_free(sp);
    g_free(doff);
    g_free(dp);
    g_free(cur);
    g_free(perm);
    g_free(scap);
    g_free(dcap);
}

/* A cancelled run leaves a state that runs on to the same result. */
static void test_cancel_then_resume(void **state)
{
    (void)state;
    const int32_t n = 3000, k = 40;
    int32_t *off = g_new(int32_t, n + 1), *sp = g_new(int32_t, n * k), *dp = g_new(int32_t, n * k);
    Rng r = { 12345 };
    for (int32_t a = 0; a <= n; a++)
        off[a] = a * k;
    for (int32_t a = 0; a < n; a++) {
        for (int32_t i = 0; i < k; i++) {
            sp[a * k + i] = (a + i) % n;
            dp[a * k + i] = (a - i + n) % n;
        }
        shuffle(&r, (int *)(sp + a * k), k);
        shuffle(&r, (int *)(dp + a * k), k);
    }
    GError *err = NULL;
    TmMarket *mk = tm_market_new_from_arrays(n, n, NULL, NULL, off, sp, off, dp, &err);
    assert_no_error(err);
    TmMatching *want = tm_solve(mk, NULL, NULL, &err);
    assert_no_error(err);
    TmCancel *cancel = tm_cancel_new();
    tm_cancel_trigger(cancel);
    TmControl ctl = { NULL, NULL, NULL, cancel };
    TmDa *da = tm_i_da_new(mk, TM_SIDE_SUPPLY, NULL, &err);
    assert_false(tm_i_da_run(da, &ctl, &err));
    assert_tm_error(err, TM_ERROR_CANCELLED);
    tm_cancel_reset(cancel);
    assert_true(tm_i_da_run(da, &ctl, &err));
    TmMatching *got = tm_i_da_collect(da, &err);
    assert_no_error(err);
    int64_t np = tm_matching_n_pairs(want);
    assert_int_equal(np, tm_matching_n_pairs(got));
    assert_int_equal(tm_matching_n_proposals(want), tm_matching_n_proposals(got));
    for (int32_t a = 0; a < n; a++) {
        int32_t n1, n2;
        const int32_t *p1 = tm_matching_partners(want, TM_SIDE_SUPPLY, a, &n1);
        const int32_t *p2 = tm_matching_partners(got, TM_SIDE_SUPPLY, a, &n2);
        assert_int_equal(n1, n2);
        if (n1 > 0)
            assert_memory_equal(p1, p2, (size_t)n1 * sizeof(int32_t));
    }
    tm_cancel_unref(cancel);
    tm_matching_free(want);
    tm_matching_free(got);
    tm_i_da_free(da);
    tm_market_free(mk);
    g_free(off);
    g_free(sp);
    g_free(dp);
}

/* Mutual lists taken from a validated market give the same market back
 * through tm_i_market_new_mutual(); a broken back-pointer is refused. */
static void export_side(TmMarket *m, TmSide side, int32_t **off, int32_t **ids, int32_t **rpos,
                        int32_t **cap)
{
    int32_t n = tm_market_size(m, side);
    int64_t L = tm_market_n_pairs(m);
    *off = g_new(int32_t, n + 1);
    *ids = g_new(int32_t, L + 1);
    *rpos = g_new(int32_t, L + 1);
    *cap = g_new(int32_t, n + 1);
    assert_true(tm_market_get_lists(m, side, *off, n + 1, *ids, NULL, NULL, L, NULL));
    assert_true(tm_market_get_capacities(m, side, *cap, n, NULL));
    for (int32_t a = 0; a < n; a++)
        for (int32_t e = (*off)[a]; e < (*off)[a + 1]; e++)
            (*rpos)[e] = tm_market_position(m, TM_SIDE_OTHER(side), (*ids)[e], a);
}

static void test_mutual_constructor(void **state)
{
    (void)state;
    Rng r = { 777 };
    for (int iter = 0; iter < 500; iter++) {
        OrMarket om;
        gen(&r, iter % 2, &om);
        TmMarket *m = to_market(&om);
        int32_t *off[2], *ids[2], *rpos[2], *cap[2];
        for (int s = 0; s < 2; s++)
            export_side(m, (TmSide)s, &off[s], &ids[s], &rpos[s], &cap[s]);
        int broken = iter % 5 == 4 && tm_market_n_pairs(m) > 0;
        if (broken)
            rpos[iter % 2][0] += 1 + (int32_t)(rng_next(&r) % 3);
        GError *err = NULL;
        TmMarket *mm = tm_i_market_new_mutual(om.n[0], om.n[1], cap[0], cap[1], off[0], ids[0],
                                              rpos[0], off[1], ids[1], rpos[1], TRUE, &err);
        if (broken) {
            assert_null(mm);
            assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
            tm_market_free(m);
            continue;
        }
        assert_no_error(err);
        assert_int_equal(tm_market_n_pairs(mm), tm_market_n_pairs(m));
        for (int s = 0; s < 2; s++)
            for (int32_t a = 0; a < om.n[s]; a++) {
                int32_t l1, l2;
                const int32_t *p1 = tm_market_prefs(m, (TmSide)s, a, &l1);
                const int32_t *p2 = tm_market_prefs(mm, (TmSide)s, a, &l2);
                assert_int_equal(l1, l2);
                for (int32_t i = 0; i < l1; i++) {
                    assert_int_equal(p1[i], p2[i]);
                    assert_int_equal(tm_market_rank(mm, (TmSide)s, a, p1[i]), i);
                }
                assert_int_equal(tm_market_capacity(m, (TmSide)s, a),
                                 tm_market_capacity(mm, (TmSide)s, a));
            }
        for (int side = 0; side < 2; side++) {
            TmSolveOptions *o = tm_solve_options_new();
            tm_solve_options_set_proposing(o, (TmSide)side, NULL);
            TmMatching *A = tm_solve(m, NULL, o, &err), *B = tm_solve(mm, NULL, o, &err);
            assert_no_error(err);
            tm_solve_options_free(o);
            assert_true(mask_of(&om, A) == mask_of(&om, B));
            tm_matching_free(A);
            tm_matching_free(B);
        }
        tm_market_free(mm);
        tm_market_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_break_resume),
        cmocka_unit_test(test_cancel_then_resume),
        cmocka_unit_test(test_cancel_often_many_to_many),
        cmocka_unit_test(test_pipeline_oracle),
        cmocka_unit_test(test_mutual_constructor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
