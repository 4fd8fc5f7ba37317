/* Caps and floors over groups: API and error paths, plus a brute-force
 * oracle on thousands of small random instances.  The oracle implements the
 * definitions of groups.h directly (feasibility formula, greedy choice by the
 * contract order, stability = no pair the supply agent wants and the demand
 * side's choice would keep) and enumerates every feasible assignment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <techmatch/techmatch.h>

/* ---- small random instances --------------------------------------------- */

#define MAXN 5
#define MAXL 16
#define MAXG 4

typedef struct {
    int ns, nd;
    int scap[MAXN], dcap[MAXN];
    int slen[MAXN], sl[MAXN][MAXN];
    int dlen[MAXN], dl[MAXN][MAXN];
    int ng;
    int gmem[MAXG][MAXN], gsize[MAXG], gcap[MAXG], gfloor[MAXG], gparent[MAXG];
    int prio[MAXN];
    gboolean with_prio;
} Inst;

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static void shuffle(int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rnd((uint32_t)i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static void random_list(int n_other, int *out, int *len, gboolean complete)
{
    int all[MAXN];
    for (int i = 0; i < n_other; i++)
        all[i] = i;
    shuffle(all, n_other);
    *len = complete ? n_other : (int)rnd((uint32_t)n_other + 1);
    memcpy(out, all, sizeof(int) * (size_t)*len);
}

/* Random laminar family: optionally a root over all sites, and disjoint
 * children (random subsets of a shuffled site order). */
static void random_groups(Inst *in)
{
    in->ng = 0;
    int order[MAXN];
    for (int i = 0; i < in->nd; i++)
        order[i] = i;
    shuffle(order, in->nd);
    gboolean root = rnd(3) != 0;
    int root_id = -1;
    if (root) {
        root_id = in->ng++;
        in->gsize[root_id] = in->nd;
        for (int i = 0; i < in->nd; i++)
            in->gmem[root_id][i] = i;
        in->gparent[root_id] = -1;
    }
    int pos = 0;
    while (pos < in->nd && in->ng < MAXG && rnd(4) != 0) {
        int size = 1 + (int)rnd((uint32_t)(in->nd - pos));
        int g = in->ng++;
        in->gsize[g] = size;
        for (int i = 0; i < size; i++)
            in->gmem[g][i] = order[pos + i];
        in->gparent[g] = root_id;
        pos += size;
    }
    for (int g = 0; g < in->ng; g++) {
        in->gcap[g] = (int)rnd(4);
        in->gfloor[g] = 0;
    }
    /* floors on children, keeping sum of floors <= root cap */
    if (root) {
        int left = in->gcap[root_id];
        for (int g = 0; g < in->ng; g++) {
            if (in->gparent[g] != root_id)
                continue;
            int fl = (int)rnd(3);
            fl = MIN(fl, in->gcap[g]);
            fl = MIN(fl, left);
            in->gfloor[g] = fl;
            left -= fl;
        }
    }
}

static void random_inst(Inst *in, int shape)
{
    memset(in, 0, sizeof *in);
    in->ns = 1 + (int)rnd(4);
    in->nd = 1 + (int)rnd(4);
    gboolean complete = rnd(2) == 0;
    for (int s = 0; s < in->ns; s++) {
        in->scap[s] = shape == 0 ? 1 : (int)rnd(3);
        random_list(in->nd, in->sl[s], &in->slen[s], complete);
    }
    for (int d = 0; d < in->nd; d++) {
        in->dcap[d] = (int)rnd(3);
        random_list(in->ns, in->dl[d], &in->dlen[d], complete);
    }
    random_groups(in);
    in->with_prio = rnd(4) != 0;
    for (int s = 0; s < in->ns; s++)
        in->prio[s] = (int)rnd(4);
}

/* ---- oracle ---------------------------------------------------------------- */

typedef struct {
    int n;
    int s[MAXL], d[MAXL];
    int srank[MAXL], drank[MAXL];
} Pairs;

static int list_pos(const int *l, int len, int x)
{
    for (int i = 0; i < len; i++)
        if (l[i] == x)
            return i;
    return -1;
}

/* acceptable pairs, with the reduced ranks (positions among mutual entries) */
static void acceptable_pairs(const Inst *in, Pairs *p)
{
    p->n = 0;
    for (int s = 0; s < in->ns; s++)
        for (int i = 0; i < in->slen[s]; i++) {
            int d = in->sl[s][i];
            if (list_pos(in->dl[d], in->dlen[d], s) < 0)
                continue;
            p->s[p->n] = s;
            p->d[p->n] = d;
            p->n++;
        }
    for (int k = 0; k < p->n; k++) {
        int s = p->s[k], d = p->d[k], r = 0;
        for (int i = 0; i < in->slen[s] && in->sl[s][i] != d; i++)
            if (list_pos(in->dl[in->sl[s][i]], in->dlen[in->sl[s][i]], s) >= 0)
                r++;
        p->srank[k] = r;
        r = 0;
        for (int i = 0; i < in->dlen[d] && in->dl[d][i] != s; i++)
            if (list_pos(in->sl[in->dl[d][i]], in->slen[in->dl[d][i]], d) >= 0)
                r++;
        p->drank[k] = r;
    }
}

static gboolean in_group(const Inst *in, int g, int d)
{
    for (int i = 0; i < in->gsize[g]; i++)
        if (in->gmem[g][i] == d)
            return TRUE;
    return FALSE;
}

static int reduced_len(const Pairs *p, int d)
{
    int n = 0;
    for (int k = 0; k < p->n; k++)
        n += p->d[k] == d;
    return n;
}

/* reach and effective floors, by definition */
static void effective_floors(const Inst *in, const Pairs *p, int *feff, int *pool)
{
    int reach[MAXG];
    /* children (non-root) first: sum of member sites' reach */
    for (int g = 0; g < in->ng; g++) {
        if (in->gparent[g] < 0)
            continue;
        int r = 0;
        for (int i = 0; i < in->gsize[g]; i++) {
            int d = in->gmem[g][i];
            r += MIN(in->dcap[d], reduced_len(p, d));
        }
        reach[g] = MIN(r, in->gcap[g]);
    }
    for (int g = 0; g < in->ng; g++)
        feff[g] = in->gparent[g] >= 0 ? MIN(in->gfloor[g], reach[g]) : 0;
    for (int g = 0; g < in->ng; g++) {
        pool[g] = in->gcap[g];
        for (int c = 0; c < in->ng; c++)
            if (in->gparent[c] == g)
                pool[g] -= feff[c];
    }
}

/* Demand-side feasibility of a set (bitmask over pairs): site capacities and
 * every group's pool. */
static gboolean demand_feasible(const Inst *in, const Pairs *p, unsigned set, const int *feff,
                                const int *pool)
{
    int dc[MAXN] = {0};
    for (int k = 0; k < p->n; k++)
        if (set >> k & 1)
            dc[p->d[k]]++;
    for (int d = 0; d < in->nd; d++)
        if (dc[d] > in->dcap[d])
            return FALSE;
    int gc[MAXG] = {0};
    for (int g = 0; g < in->ng; g++)
        for (int d = 0; d < in->nd; d++)
            if (in_group(in, g, d))
                gc[g] += dc[d];
    for (int g = 0; g < in->ng; g++) {
        int usage = 0;
        for (int d = 0; d < in->nd; d++) {
            if (!in_group(in, g, d))
                continue;
            gboolean in_child = FALSE;
            for (int c = 0; c < in->ng; c++)
                if (in->gparent[c] == g && in_group(in, c, d))
                    in_child = TRUE;
            if (!in_child)
                usage += dc[d];
        }
        for (int c = 0; c < in->ng; c++)
            if (in->gparent[c] == g)
                usage += MAX(0, gc[c] - feff[c]);
        if (usage > pool[g] || gc[g] > in->gcap[g])
            return FALSE;
    }
    return TRUE;
}

static gboolean supply_feasible(const Inst *in, const Pairs *p, unsigned set)
{
    int sc[MAXN] = {0};
    for (int k = 0; k < p->n; k++)
        if (set >> k & 1)
            sc[p->s[k]]++;
    for (int s = 0; s < in->ns; s++)
        if (sc[s] > in->scap[s])
            return FALSE;
    return TRUE;
}

/* contract order: (eff, site rank, site) */
static void contract_keys(const Inst *in, const Pairs *p, long *key)
{
    for (int k = 0; k < p->n; k++) {
        int d = p->d[k], best = 1 << 20;
        for (int j = 0; j < p->n; j++)
            if (p->d[j] == d && p->drank[j] >= p->drank[k])
                best = MIN(best, in->with_prio ? in->prio[p->s[j]] : 0);
        key[k] = ((long)best * 64 + p->drank[k]) * 64 + d;
    }
}

static unsigned choose(const Inst *in, const Pairs *p, unsigned set, const long *key,
                       const int *feff, const int *pool)
{
    int idx[MAXL], n = 0;
    for (int k = 0; k < p->n; k++)
        if (set >> k & 1)
            idx[n++] = k;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && key[idx[j]] < key[idx[j - 1]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    unsigned acc = 0;
    for (int i = 0; i < n; i++)
        if (demand_feasible(in, p, acc | 1u << idx[i], feff, pool))
            acc |= 1u << idx[i];
    return acc;
}

/* does s want pair k given set (free seat or better than its worst)? */
static gboolean supply_wants(const Inst *in, const Pairs *p, unsigned set, int k)
{
    int s = p->s[k], n = 0, worst = -1;
    for (int j = 0; j < p->n; j++)
        if ((set >> j & 1) && p->s[j] == s) {
            n++;
            worst = MAX(worst, p->srank[j]);
        }
    if (n < in->scap[s])
        return TRUE;
    return n > 0 && p->srank[k] < worst;
}

static unsigned blocking_set(const Inst *in, const Pairs *p, unsigned set, const long *key,
                             const int *feff, const int *pool)
{
    unsigned b = 0;
    for (int k = 0; k < p->n; k++) {
        if (set >> k & 1)
            continue;
        if (!supply_wants(in, p, set, k))
            continue;
        unsigned ch = choose(in, p, set | 1u << k, key, feff, pool);
        if (ch >> k & 1)
            b |= 1u << k;
    }
    return b;
}

/* ---- bridge to the library ----------------------------------------------- */

static TmMarket *build_market(const Inst *in)
{
    int32_t soff[MAXN + 1], doff[MAXN + 1], sp[MAXN * MAXN], dp[MAXN * MAXN];
    int32_t scap[MAXN], dcap[MAXN];
    int k = 0;
    for (int s = 0; s < in->ns; s++) {
        soff[s] = k;
        scap[s] = in->scap[s];
        for (int i = 0; i < in->slen[s]; i++)
            sp[k++] = in->sl[s][i];
    }
    soff[in->ns] = k;
    k = 0;
    for (int d = 0; d < in->nd; d++) {
        doff[d] = k;
        dcap[d] = in->dcap[d];
        for (int i = 0; i < in->dlen[d]; i++)
            dp[k++] = in->dl[d][i];
    }
    doff[in->nd] = k;
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(in->ns, in->nd, scap, dcap, soff, sp, doff, dp, &err);
    assert_null(err);
    return m;
}

static TmGroups *build_groups(const Inst *in)
{
    GError *err = NULL;
    TmGroups *gr = tm_groups_new(in->ns, in->nd, &err);
    assert_non_null(gr);
    for (int g = 0; g < in->ng; g++) {
        int32_t mem[MAXN];
        for (int i = 0; i < in->gsize[g]; i++)
            mem[i] = in->gmem[g][i];
        assert_int_equal(tm_groups_add(gr, mem, in->gsize[g], in->gcap[g], in->gfloor[g], &err), g);
        assert_null(err);
    }
    if (in->with_prio) {
        int32_t pr[MAXN];
        for (int s = 0; s < in->ns; s++)
            pr[s] = in->prio[s];
        assert_true(tm_groups_set_priority(gr, pr, &err));
    }
    return gr;
}

static unsigned matching_to_set(const Pairs *p, const TmMatching *mt)
{
    int64_t n = tm_matching_n_pairs(mt);
    int32_t s[MAXL], d[MAXL];
    assert_true(n <= MAXL);
    assert_true(tm_matching_get_pairs(mt, s, d, tm_matching_n_pairs(mt), NULL));
    unsigned set = 0;
    for (int64_t i = 0; i < n; i++) {
        int found = -1;
        for (int k = 0; k < p->n; k++)
            if (p->s[k] == s[i] && p->d[k] == d[i])
                found = k;
        assert_true(found >= 0); /* the solver only makes acceptable pairs */
        set |= 1u << found;
    }
    return set;
}

static TmMatching *set_to_matching(TmMarket *m, const Pairs *p, unsigned set)
{
    int32_t s[MAXL], d[MAXL];
    int n = 0;
    for (int k = 0; k < p->n; k++)
        if (set >> k & 1) {
            s[n] = p->s[k];
            d[n] = p->d[k];
            n++;
        }
    TmMatching *mt = tm_matching_new_from_pairs(m, s, d, n, NULL);
    assert_non_null(mt);
    return mt;
}

static unsigned verdict_to_set(const Pairs *p, const TmVerdict *v)
{
    unsigned set = 0;
    for (int64_t i = 0; i < tm_verdict_n_blocking_pairs(v); i++) {
        int32_t s, d;
        assert_true(tm_verdict_blocking_pair(v, i, &s, &d));
        for (int k = 0; k < p->n; k++)
            if (p->s[k] == s && p->d[k] == d)
                set |= 1u << k;
    }
    return set;
}

/* supply agent s weakly prefers set a to set b (responsive, pointwise on
 * sorted ranks; a missing partner counts as worst) */
static gboolean supply_weakly_prefers(const Inst *in, const Pairs *p, int s, unsigned a,
                                      unsigned b)
{
    int ra[MAXN], rb[MAXN], na = 0, nb = 0;
    for (int k = 0; k < p->n; k++) {
        if (p->s[k] != s)
            continue;
        if (a >> k & 1)
            ra[na++] = p->srank[k];
        if (b >> k & 1)
            rb[nb++] = p->srank[k];
    }
    for (int i = 1; i < na; i++)
        for (int j = i; j > 0 && ra[j] < ra[j - 1]; j--) {
            int t = ra[j]; ra[j] = ra[j - 1]; ra[j - 1] = t;
        }
    for (int i = 1; i < nb; i++)
        for (int j = i; j > 0 && rb[j] < rb[j - 1]; j--) {
            int t = rb[j]; rb[j] = rb[j - 1]; rb[j - 1] = t;
        }
    for (int i = 0; i < in->scap[s]; i++) {
        int x = i < na ? ra[i] : 1000, y = i < nb ? rb[i] : 1000;
        if (x > y)
            return FALSE;
    }
    return TRUE;
}

static int n_checked, n_unit_demand, n_infeasible_audits;

static void check_instance(const Inst *in)
{
    Pairs p;
    acceptable_pairs(in, &p);
    assert_true(p.n <= MAXL);
    int feff[MAXG], pool[MAXG];
    effective_floors(in, &p, feff, pool);
    long key[MAXL];
    contract_keys(in, &p, key);

    TmMarket *m = build_market(in);
    TmGroups *gr = build_groups(in);
    GError *err = NULL;
    TmMatching *mt = tm_solve(m, gr, NULL, &err);
    assert_null(err);
    assert_non_null(mt);
    unsigned got = matching_to_set(&p, mt);
    assert_true(supply_feasible(in, &p, got));
    assert_true(demand_feasible(in, &p, got, feff, pool));
    assert_int_equal(blocking_set(in, &p, got, key, feff, pool), 0);

    TmVerdict *v = tm_matching_check_groups(mt, gr, &err);
    assert_non_null(v);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);

    /* every feasible assignment: stable ones, and the audit on all of them */
    unsigned stable[1 << 12];
    int n_stable = 0;
    for (unsigned set = 0; set < (1u << p.n); set++) {
        if (!supply_feasible(in, &p, set) || !demand_feasible(in, &p, set, feff, pool)) {
            /* a matching that already breaks a capacity, cap or reservation:
             * the audit still finds exactly the blocking pairs of the
             * definition (the choice from the current contracts plus the
             * pair keeps the pair) */
            if (rnd(64) == 0) {
                TmMatching *h = set_to_matching(m, &p, set);
                TmVerdict *hv = tm_matching_check_groups(h, gr, &err);
                assert_non_null(hv);
                if (verdict_to_set(&p, hv) != blocking_set(in, &p, set, key, feff, pool)) {
                    print_error("infeasible set %#x: audit %#x, definition %#x\n", set,
                                verdict_to_set(&p, hv), blocking_set(in, &p, set, key, feff, pool));
                    fail();
                }
                assert_true(tm_verdict_n_violations(hv) > 0);
                n_infeasible_audits++;
                tm_verdict_free(hv);
                tm_matching_free(h);
            }
            continue;
        }
        unsigned b = blocking_set(in, &p, set, key, feff, pool);
        if (b == 0 && n_stable < (int)G_N_ELEMENTS(stable))
            stable[n_stable++] = set;
        if (rnd(4) == 0) {
            TmMatching *h = set_to_matching(m, &p, set);
            TmVerdict *hv = tm_matching_check_groups(h, gr, &err);
            assert_non_null(hv);
            assert_int_equal(verdict_to_set(&p, hv), b);
            assert_int_equal(tm_verdict_n_violations(hv), 0);
            tm_verdict_free(hv);
            tm_matching_free(h);
        }
    }
    assert_true(n_stable >= 1);
    /* with unit-demand supply the outcome is the supply-optimal stable one */
    gboolean unit = TRUE;
    for (int s = 0; s < in->ns; s++)
        unit = unit && in->scap[s] <= 1;
    if (unit) {
        n_unit_demand++;
        for (int i = 0; i < n_stable; i++)
            for (int s = 0; s < in->ns; s++)
                assert_true(supply_weakly_prefers(in, &p, s, got, stable[i]));
    }
    n_checked++;
    tm_matching_free(mt);
    tm_groups_free(gr);
    tm_market_free(m);
}

static void test_oracle_random(void **state)
{
    (void)state;
    rng_state = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 6000; i++) {
        Inst in;
        random_inst(&in, i % 3 == 0 ? 1 : 0);
        check_instance(&in);
    }
    assert_int_equal(n_checked, 6000);
    assert_true(n_unit_demand > 3000);
    print_message("%d audits of infeasible matchings\n", n_infeasible_audits);
    assert_true(n_infeasible_audits > 20000);
}

/* A global cap of 1 over two sites: the higher-priority applicant wins even
 * though each site would take either. */
static void test_global_cap_by_priority(void **state)
{
    (void)state;
    int32_t soff[] = {0, 1, 2}, sp[] = {0, 1};
    int32_t doff[] = {0, 1, 2}, dp[] = {0, 1};
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(2, 2, NULL, NULL, soff, sp, doff, dp, &err);
    assert_non_null(m);
    TmGroups *gr = tm_groups_new(2, 2, &err);
    int32_t all[] = {0, 1};
    assert_int_equal(tm_groups_add(gr, all, 2, 1, 0, &err), 0);
    int32_t prio[] = {5, 1}; /* supply 1 has the better merit */
    assert_true(tm_groups_set_priority(gr, prio, &err));
    TmMatching *mt = tm_solve(m, gr, NULL, &err);
    assert_non_null(mt);
    assert_int_equal(tm_matching_n_pairs(mt), 1);
    assert_int_equal(tm_matching_n_partners(mt, TM_SIDE_SUPPLY, 1), 1);
    assert_int_equal(tm_matching_n_partners(mt, TM_SIDE_SUPPLY, 0), 0);
    assert_int_equal(tm_groups_count(gr, 0, mt), 1);
    tm_matching_free(mt);
    /* the plain solver ignores the cap and matches both */
    mt = tm_solve(m, NULL, NULL, &err);
    assert_int_equal(tm_matching_n_pairs(mt), 2);
    /* ... which the audit under groups reports as a violation */
    TmVerdict *v = tm_matching_check_groups(mt, gr, &err);
    assert_false(tm_verdict_is_stable(v));
    assert_int_equal(tm_verdict_n_violations(v), 1);
    assert_int_equal(tm_verdict_violation(v, 0)->kind, TM_VIOLATION_GROUP_OVER_CAP);
    assert_int_equal(tm_verdict_violation(v, 0)->agent, 0);
    assert_int_equal(tm_verdict_violation(v, 0)->count, 2);
    tm_verdict_free(v);
    tm_matching_free(mt);
    tm_groups_free(gr);
    tm_market_free(m);
}

/* A floor reserves seats of the parent cap for a sector. */
static void test_floor_reserves_seat(void **state)
{
    (void)state;
    /* supply 0,1 list site 0 (sector A); supply 2 lists site 1 (sector B).
     * Global cap 2, B has floor 1: supply 2 keeps a seat although supply 0
     * and 1 have better priority. */
    int32_t soff[] = {0, 1, 2, 3}, sp[] = {0, 0, 1};
    int32_t doff[] = {0, 2, 3}, dp[] = {0, 1, 2};
    int32_t dcap[] = {2, 1};
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(3, 2, NULL, dcap, soff, sp, doff, dp, &err);
    TmGroups *gr = tm_groups_new(3, 2, &err);
    int32_t all[] = {0, 1}, a[] = {0}, b[] = {1};
    assert_int_equal(tm_groups_add(gr, all, 2, 2, 0, &err), 0);
    assert_int_equal(tm_groups_add(gr, a, 1, 2, 0, &err), 1);
    assert_int_equal(tm_groups_add(gr, b, 1, 1, 1, &err), 2);
    int32_t prio[] = {0, 1, 2};
    tm_groups_set_priority(gr, prio, &err);
    TmMatching *mt = tm_solve(m, gr, NULL, &err);
    assert_non_null(mt);
    assert_int_equal(tm_matching_n_partners(mt, TM_SIDE_SUPPLY, 0), 1);
    assert_int_equal(tm_matching_n_partners(mt, TM_SIDE_SUPPLY, 1), 0);
    assert_int_equal(tm_matching_n_partners(mt, TM_SIDE_SUPPLY, 2), 1);
    TmVerdict *v = tm_matching_check_groups(mt, gr, &err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    tm_matching_free(mt);
    tm_groups_free(gr);
    tm_market_free(m);
}

/* Whether a family is accepted does not depend on the order its groups are
 * added in (issue 7: floors were checked against the forest built so far).
 * P = {0..4} cap 2 > M = {0..3} cap 4 floor 1 > C1 = {0,1}, C2 = {2,3}, floors
 * 2: feasible (M reserves 1 of P's 2 seats; C1 and C2 fill M's 4).  Added as
 * P, C1, C2, M the prefix P, C1, C2 looked infeasible (4 > 2). */
static void test_order_independent(void **state)
{
    (void)state;
    int32_t P[] = {0, 1, 2, 3, 4}, M[] = {0, 1, 2, 3}, C1[] = {0, 1}, C2[] = {2, 3};
    const int32_t *mem[] = {P, M, C1, C2};
    const int32_t len[] = {5, 4, 2, 2}, cap[] = {2, 4, 2, 2}, floor[] = {0, 1, 2, 2};
    static const int orders[][4] = {{0, 2, 3, 1}, {0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}};
    for (size_t o = 0; o < G_N_ELEMENTS(orders); o++) {
        GError *err = NULL;
        TmGroups *gr = tm_groups_new(1, 5, &err);
        for (int i = 0; i < 4; i++) {
            int g = orders[o][i];
            assert_int_equal(tm_groups_add(gr, mem[g], len[g], cap[g], floor[g], &err), i);
        }
        assert_true(tm_groups_validate(gr, NULL, &err));
        assert_null(err);
        tm_groups_free(gr);
    }
    /* the same family with M's cap 3 (< 2 + 2) is refused in every order */
    for (size_t o = 0; o < G_N_ELEMENTS(orders); o++) {
        GError *err = NULL;
        TmGroups *gr = tm_groups_new(1, 5, &err);
        for (int i = 0; i < 4; i++) {
            int g = orders[o][i];
            assert_true(tm_groups_add(gr, mem[g], len[g], g == 1 ? 3 : cap[g], floor[g], &err) >= 0);
        }
        int32_t culprit = -1;
        assert_false(tm_groups_validate(gr, &culprit, &err));
        assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INFEASIBLE));
        g_clear_error(&err);
        /* the culprit is M, wherever it was added */
        int32_t m_index = -1;
        for (int i = 0; i < 4; i++)
            if (orders[o][i] == 1)
                m_index = i;
        assert_int_equal(culprit, m_index);
        tm_groups_free(gr);
    }
}

/* Adding many groups is linear (issue 7: each add rebuilt the forest, so
 * 2,000 nested groups took a minute).  Not timed: 2,000 nested groups and
 * 20,000 disjoint ones must simply finish and validate (bench/ has the
 * scaling). */
static void test_many_groups(void **state)
{
    (void)state;
    const int32_t n = 20000, nest = 2000, nested_size = 4000;
    GError *err = NULL;
    TmGroups *nested = tm_groups_new(1, n, &err);
    int32_t *m = g_new(int32_t, n);
    for (int32_t i = 0; i < n; i++)
        m[i] = i;
    for (int32_t g = 0; g < nest; g++) /* sizes 4000, 3999, ...: a chain */
        assert_int_equal(tm_groups_add(nested, m, nested_size - g, n, 0, &err), g);
    assert_true(tm_groups_validate(nested, NULL, &err));
    tm_groups_free(nested);
    TmGroups *flat = tm_groups_new(1, n, &err);
    for (int32_t g = 0; g < n; g++)
        assert_int_equal(tm_groups_add(flat, m + g, 1, 1, 0, &err), g);
    assert_true(tm_groups_validate(flat, NULL, &err));
    tm_groups_free(flat);
    g_free(m);
}

static void test_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    assert_null(tm_groups_new(-1, 2, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    TmGroups *gr = tm_groups_new(2, 4, &err);
    int32_t a[] = {0, 1}, b[] = {1, 2}, c[] = {0, 0}, d[] = {0, 9}, all[] = {0, 1, 2, 3};
    assert_int_equal(tm_groups_add(gr, NULL, 2, 1, 0, &err), -1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_int_equal(tm_groups_add(gr, a, 2, -1, 0, &err), -1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY));
    g_clear_error(&err);
    assert_int_equal(tm_groups_add(gr, a, 2, 1, 2, &err), -1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_int_equal(tm_groups_add(gr, c, 2, 1, 0, &err), -1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_DUPLICATE));
    g_clear_error(&err);
    assert_int_equal(tm_groups_add(gr, d, 2, 1, 0, &err), -1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_OUT_OF_RANGE));
    g_clear_error(&err);
    assert_int_equal(tm_groups_add(gr, a, 2, 3, 2, &err), 0);
    /* the family is checked as a whole: a crossing group is added, and
     * tm_groups_validate() names it */
    TmGroups *cross = tm_groups_new(2, 4, &err);
    int32_t culprit = 7;
    assert_int_equal(tm_groups_add(cross, a, 2, 3, 2, &err), 0);
    assert_int_equal(tm_groups_add(cross, all, 4, 5, 0, &err), 1);
    assert_true(tm_groups_validate(cross, &culprit, &err));
    assert_int_equal(tm_groups_add(cross, b, 2, 1, 0, &err), 2); /* crosses {0,1} */
    assert_false(tm_groups_validate(cross, &culprit, &err));
    assert_int_equal(culprit, 2);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    assert_non_null(strstr(err->message, "laminar"));
    assert_non_null(strstr(err->message, "group 2: "));
    g_clear_error(&err);
    tm_groups_free(cross);
    /* floors 2 > cap 1: found by validate, not by add */
    TmGroups *tight = tm_groups_new(2, 4, &err);
    assert_int_equal(tm_groups_add(tight, a, 2, 3, 2, &err), 0);
    assert_int_equal(tm_groups_add(tight, all, 4, 1, 0, &err), 1);
    assert_false(tm_groups_validate(tight, &culprit, &err));
    assert_int_equal(culprit, 1);
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INFEASIBLE));
    g_clear_error(&err);
    tm_groups_free(tight);
    assert_false(tm_groups_validate(NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_int_equal(tm_groups_n(gr), 1);
    assert_int_equal(tm_groups_add(gr, all, 4, 5, 0, &err), 1);
    assert_true(tm_groups_validate(gr, NULL, &err));
    assert_int_equal(tm_groups_n(gr), 2);
    assert_int_equal(tm_groups_cap(gr, 1), 5);
    assert_int_equal(tm_groups_floor(gr, 0), 2);
    assert_int_equal(tm_groups_cap(gr, 7), -1);
    int32_t n;
    const int32_t *mem = tm_groups_members(gr, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(mem[1], 1);
    assert_null(tm_groups_members(gr, -1, &n));
    assert_int_equal(n, 0);
    /* size mismatch with the market */
    int32_t off[] = {0, 0, 0, 0}, dummy[] = {0};
    TmMarket *m = tm_market_new_from_arrays(3, 0, NULL, NULL, off, dummy, off, dummy, &err);
    assert_non_null(m);
    assert_null(tm_solve(m, gr, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_null(tm_solve(NULL, gr, NULL, &err));
    g_clear_error(&err);
    assert_null(tm_matching_check_groups(NULL, gr, &err));
    g_clear_error(&err);
    assert_false(tm_groups_set_priority(NULL, NULL, &err));
    g_clear_error(&err);
    tm_market_free(m);
    tm_groups_free(gr);
    tm_groups_free(NULL);
}

/* tm_groups_has_priority / tm_groups_get_priority: the copy, and every error */
static void test_priority_getter(void **state)
{
    (void)state;
    GError *err = NULL;
    TmGroups *gr = tm_groups_new(3, 2, &err);
    assert_non_null(gr);
    int32_t out[4] = {-7, -7, -7, -7};
    assert_false(tm_groups_has_priority(gr));
    assert_false(tm_groups_has_priority(NULL));
    assert_false(tm_groups_get_priority(gr, out, 4, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    assert_string_equal(err->message, "the groups have no priority");
    g_clear_error(&err);
    int32_t prio[3] = {2, 0, 1};
    assert_true(tm_groups_set_priority(gr, prio, &err));
    assert_true(tm_groups_has_priority(gr));
    assert_false(tm_groups_get_priority(gr, out, 2, &err));
    assert_string_equal(err->message, "priority buffer too small: 2 entries, 3 needed");
    g_clear_error(&err);
    assert_int_equal(out[0], -7); /* nothing written on failure */
    assert_false(tm_groups_get_priority(NULL, out, 4, &err));
    g_clear_error(&err);
    assert_false(tm_groups_get_priority(gr, NULL, 4, &err));
    g_clear_error(&err);
    assert_true(tm_groups_get_priority(gr, out, 4, &err));
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 1);
    assert_int_equal(out[3], -7);
    assert_true(tm_groups_set_priority(gr, NULL, &err));
    assert_false(tm_groups_has_priority(gr));
    tm_groups_free(gr);
}

static void test_cancel(void **state)
{
    (void)state;
    enum { N = 3000, K = 30 };
    int32_t *soff = g_new(int32_t, N + 1), *sp = g_new(int32_t, N * K);
    int32_t *doff = g_new(int32_t, N + 1), *dp = g_new(int32_t, N * K);
    for (int s = 0; s <= N; s++)
        soff[s] = doff[s] = s * K;
    for (int s = 0; s < N; s++)
        for (int j = 0; j < K; j++) {
            sp[s * K + j] = (s + j * 7) % N;  /* each site is listed by K agents */
            dp[s * K + j] = (s + N - (j * 7) % N) % N;
        }
    GError *err = NULL;
    TmMarket *m = tm_market_new_from_arrays(N, N, NULL, NULL, soff, sp, doff, dp, &err);
    assert_non_null(m);
    TmGroups *gr = tm_groups_new(N, N, &err);
    int32_t *all = g_new(int32_t, N);
    for (int i = 0; i < N; i++)
        all[i] = i;
    tm_groups_add(gr, all, N, N / 2, 0, &err);
    TmCancel *cancel = tm_cancel_new();
    tm_cancel_trigger(cancel);
    TmSolveOptions *o = tm_solve_options_new();
    tm_solve_options_set_cancel(o, cancel);
    assert_null(tm_solve(m, gr, o, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_CANCELLED));
    g_clear_error(&err);
    tm_cancel_reset(cancel);
    tm_cancel_unref(cancel);
    TmMatching *mt = tm_solve(m, gr, o, &err);
    tm_solve_options_free(o);
    assert_non_null(mt);
    assert_true(tm_groups_count(gr, 0, mt) <= N / 2);
    TmVerdict *v = tm_matching_check_groups(mt, gr, &err);
    assert_true(tm_verdict_is_stable(v));
    tm_verdict_free(v);
    tm_matching_free(mt);
    tm_groups_free(gr);
    tm_market_free(m);
    g_free(all);
    g_free(soff);
    g_free(sp);
    g_free(doff);
    g_free(dp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_global_cap_by_priority),
        cmocka_unit_test(test_floor_reserves_seat),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_priority_getter),
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_many_groups),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_oracle_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
