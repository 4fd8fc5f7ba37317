/* Which stable matching a selection returns (selection.h, TmObjective), and
 * with tied wishes which stability, against the brute-force oracle of
 * tests/core/ties_oracle.h on 10,000 random small programmes: one-to-one and
 * many-to-one with capacities on either side, many-to-many, strict and tied
 * wishes, with and without a quota.  Every objective's value is recomputed
 * from the oracle's matchings by its definition; strong, super and
 * max-cardinality are checked from both sides, their absence too. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <techmatch/techmatch.h>

#include "objectives_util.h"
#include "ties_oracle.h"

/* ---- random programmes --------------------------------------------------------- */

typedef struct {
    int nc, ns;
    int cap_mode; /* 0 one-to-one, 1 commissioners up to 2, 2 sites up to 2, 3 both */
    double p_tie; /* a wish ties with the one before it */
    gboolean cyclic; /* opposed tastes: agent i lists i, i+1, ... (commissioners) or
                        i+1, i+2, ..., i (sites), which gives many stable matchings */
} Shape;

static const char *const TAGS[] = {"rd", "training", "iot", "food", "health"};

/* The profiles of a random programme, without wishes: every agent eligible
 * under the default rules (sites in sector 0; commissioners with a level
 * there, or now and then none, which P_SECTOR makes unacceptable), random
 * capacities by @sh->cap_mode, locations, tags and merits. */
static TmProgramme *make(const Shape *sh, uint64_t *rng)
{
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    char cname[TO_MAXN][8], sname[TO_MAXN][8];
    for (int i = 0; i < TO_MAXN; i++) {
        g_snprintf(cname[i], sizeof cname[i], "c%d", i);
        g_snprintf(sname[i], sizeof sname[i], "s%d", i);
    }
    for (int s = 0; s < sh->ns; s++) {
        TmSite si;
        memset(&si, 0, sizeof si);
        si.name = sname[s];
        si.kind = TM_SITE_HIGH_TECH;
        si.years = 1;
        si.capacity = sh->cap_mode >= 2 ? 1 + (int)(to_rng(rng) % 2) : 1;
        if (to_rng(rng) % 12 == 0)
            si.capacity = 0;
        const char *need[1] = {TAGS[to_rng(rng) % 5]};
        si.needs = need;
        si.n_needs = 1;
        si.x = (double)(to_rng(rng) % 20);
        si.y = (double)(to_rng(rng) % 20);
        assert_int_equal(tm_programme_add_site(p, &si, &err), s);
    }
    for (int c = 0; c < sh->nc; c++) {
        TmCommissioner ci;
        memset(&ci, 0, sizeof ci);
        ci.name = cname[c];
        ci.team_size = 1;
        ci.title = TM_TITLE_SENIOR;
        ci.unit_kind = TM_UNIT_UNIVERSITY;
        ci.unit_support = TRUE;
        ci.years = 1;
        ci.capacity = sh->cap_mode == 1 || sh->cap_mode == 3 ? 1 + (int)(to_rng(rng) % 2) : 1;
        if (to_rng(rng) % 12 == 0)
            ci.capacity = 0;
        TmExpertise ex = {0, (int32_t)(to_rng(rng) % 8 == 0 ? 0 : 1 + to_rng(rng) % 3)};
        ci.expertise = &ex;
        ci.n_expertise = 1;
        const char *skill[1] = {TAGS[to_rng(rng) % 5]};
        ci.skills = skill;
        ci.n_skills = 1;
        ci.x = (double)(to_rng(rng) % 20);
        ci.y = (double)(to_rng(rng) % 20);
        ci.merit = (double)(to_rng(rng) % 100);
        assert_int_equal(tm_programme_add_commissioner(p, &ci, &err), c);
    }
    no_error(err);
    return p;
}

/* Draws wishes for each of the @n agents of @side among the @n_other of the
 * other side (a shuffled prefix, or the cyclic order of Shape) and their
 * ranks. */
static void draw_wishes(int side, int n, int n_other, const Shape *sh, uint64_t *rng,
                        int len[TO_MAXN], int who[TO_MAXN][TO_MAXN],
                        int32_t rank[TO_MAXN][TO_MAXN])
{
    for (int a = 0; a < n; a++) {
        int perm[TO_MAXN];
        for (int i = 0; i < n_other; i++)
            perm[i] = sh->cyclic ? (a + i + side) % n_other : i;
        for (int i = n_other - 1; !sh->cyclic && i > 0; i--) {
            int j = (int)(to_rng(rng) % (uint64_t)(i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        /* mostly complete lists: opposed tastes give several stable matchings */
        uint64_t pick = to_rng(rng) % 10;
        len[a] = sh->cyclic || (pick > 0 && pick < 7)
                     ? n_other
                     : pick == 0 ? 0 : (int)(to_rng(rng) % (uint64_t)(n_other + 1));
        int32_t r = 0;
        for (int i = 0; i < len[a]; i++) {
            if (i > 0 && (double)(to_rng(rng) >> 11) * 0x1.0p-53 >= sh->p_tie)
                r++;
            who[a][i] = perm[i];
            rank[a][i] = r;
        }
    }
}

/* The programme of @sh with random wishes (ties when @sh->p_tie > 0). */
static TmProgramme *make_programme(const Shape *sh, uint64_t *rng)
{
    int clen[TO_MAXN], slen[TO_MAXN], cw[TO_MAXN][TO_MAXN], sw[TO_MAXN][TO_MAXN];
    int32_t cr[TO_MAXN][TO_MAXN], sr[TO_MAXN][TO_MAXN];
    draw_wishes(0, sh->nc, sh->ns, sh, rng, clen, cw, cr);
    draw_wishes(1, sh->ns, sh->nc, sh, rng, slen, sw, sr);
    /* the profiles with their wish names, then the ranks */
    TmProgramme *base = make(sh, rng);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    char cname[TO_MAXN][8], sname[TO_MAXN][8];
    for (int i = 0; i < TO_MAXN; i++) {
        g_snprintf(cname[i], sizeof cname[i], "c%d", i);
        g_snprintf(sname[i], sizeof sname[i], "s%d", i);
    }
    for (int s = 0; s < sh->ns; s++) {
        TmSite si = *tm_programme_site(base, s);
        const char *names[TO_MAXN];
        for (int i = 0; i < slen[s]; i++)
            names[i] = cname[sw[s][i]];
        si.ranked_commissioners = names;
        si.n_ranked_commissioners = slen[s];
        assert_int_equal(tm_programme_add_site(p, &si, &err), s);
        assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_DEMAND, s, sr[s], slen[s], &err));
    }
    for (int c = 0; c < sh->nc; c++) {
        TmCommissioner ci = *tm_programme_commissioner(base, c);
        const char *names[TO_MAXN];
        for (int i = 0; i < clen[c]; i++)
            names[i] = sname[cw[c][i]];
        ci.ranked_sites = names;
        ci.n_ranked_sites = clen[c];
        assert_int_equal(tm_programme_add_commissioner(p, &ci, &err), c);
        assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, c, cr[c], clen[c], &err));
    }
    no_error(err);
    tm_programme_free(base);
    return p;
}

/* The selection's market as an oracle instance (its lists and ranks). */
static void to_oracle(const TmMarket *m, ToMarket *o)
{
    memset(o, 0, sizeof *o);
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(m, (TmSide)side);
        o->n[side] = n;
        for (int32_t a = 0; a < n; a++) {
            o->cap[side][a] = tm_market_capacity(m, (TmSide)side, a);
            int32_t len = 0;
            const int32_t *l = tm_market_prefs(m, (TmSide)side, a, &len);
            o->len[side][a] = len;
            for (int32_t k = 0; k < len; k++) {
                o->list[side][a][k] = l[k];
                o->lrank[side][a][k] = tm_market_rank(m, (TmSide)side, a, l[k]);
            }
        }
    }
    assert_int_equal(to_prepare(o), 0);
}

/* ---- objective values of a set of pairs, by their definitions ------------------- */

typedef struct {
    int64_t side_total[2]; /* total rank each side gives its partners */
    int32_t worst;         /* largest rank on either side, -1 when empty */
    double weight;         /* total two-way score */
} Values;

static Values values_of(const ToMarket *o, ToMask M, const TmSelection *sel)
{
    Values v = {{0, 0}, -1, 0.0};
    for (int i = 0; i < o->n_pairs; i++) {
        if (!(M >> i & 1))
            continue;
        int s = o->ps[i], d = o->pd[i];
        int rs = o->r[0][s][d], rd = o->r[1][d][s];
        v.side_total[0] += rs;
        v.side_total[1] += rd;
        v.worst = MAX(v.worst, MAX(rs, rd));
        v.weight += tm_selection_score(sel, TM_SIDE_SUPPLY, s, d)
                    + tm_selection_score(sel, TM_SIDE_DEMAND, s, d);
    }
    return v;
}

static double objective_of(TmObjective obj, const Values *v)
{
    switch (obj) {
    case TM_OBJECTIVE_SUPPLY_OPTIMAL: return (double)v->side_total[0];
    case TM_OBJECTIVE_DEMAND_OPTIMAL: return (double)v->side_total[1];
    case TM_OBJECTIVE_EGALITARIAN: return (double)(v->side_total[0] + v->side_total[1]);
    case TM_OBJECTIVE_MIN_REGRET: return v->worst;
    case TM_OBJECTIVE_MAX_WEIGHT: return v->weight;
    default: return (double)llabs(v->side_total[0] - v->side_total[1]);
    }
}

typedef struct {
    int64_t instances, stable_sets, several, lattice_checked, tie_checked, skipped_unimplemented;
    int64_t no_such, many_to_many, quota_runs, refused_shape;
} Counts;

/* A strict market the lattice takes: every objective against the oracle's
 * set of stable matchings. */
static void check_strict(TmProgramme *p, const TmRules *rules, const ToMarket *o,
                         const ToMask *all, size_t n_all, Counts *k)
{
    ToMask stable[16384];
    size_t n_st = 0;
    for (size_t i = 0; i < n_all; i++)
        if (to_is_stable(o, all[i], TM_STABILITY_WEAK)) {
            assert_true(n_st < G_N_ELEMENTS(stable));
            stable[n_st++] = all[i];
        }
    assert_true(n_st >= 1); /* Gale and Shapley */
    k->stable_sets++;
    k->several += n_st > 1;
    for (int obj = 0; obj <= TM_OBJECTIVE_BALANCED; obj++) {
        GError *err = NULL;
        TmSelection *sel = select_with(p, rules, NULL, (TmObjective)obj, TM_STABILITY_WEAK,
                                       FALSE, FALSE, &err);
        no_error(err);
        int ok = 0;
        ToMask M = to_from_matching(o, tm_selection_matching(sel), &ok);
        assert_true(ok);
        assert_true(to_is_stable(o, M, TM_STABILITY_WEAK));
        assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
        assert_int_equal(tm_selection_objective(sel), obj);
        assert_true(tm_selection_objective_requested(sel));
        Values v = values_of(o, M, sel);
        double got = tm_selection_objective_value(sel);
        assert_true(fabs(objective_of((TmObjective)obj, &v) - got) < 1e-9);
        /* the optimum over the oracle's stable set */
        double best = objective_of((TmObjective)obj, &(Values){{0, 0}, -1, 0});
        for (size_t i = 0; i < n_st; i++) {
            Values w = values_of(o, stable[i], sel);
            double x = objective_of((TmObjective)obj, &w);
            if (i == 0 || (obj == TM_OBJECTIVE_MAX_WEIGHT ? x > best : x < best))
                best = x;
        }
        if (obj == TM_OBJECTIVE_BALANCED)
            assert_true(got >= best - 1e-9); /* a heuristic: never below the optimum */
        else if (fabs(got - best) > 1e-9) {
            print_error("objective %s: %g, the oracle's optimum %g\n",
                        tm_objective_code((TmObjective)obj), got, best);
            fail();
        }
        /* the side-optimal ones: every agent of that side weakly prefers the
         * result to every stable matching */
        if (obj == TM_OBJECTIVE_SUPPLY_OPTIMAL || obj == TM_OBJECTIVE_DEMAND_OPTIMAL) {
            int side = obj == TM_OBJECTIVE_SUPPLY_OPTIMAL ? 0 : 1;
            for (size_t i = 0; i < n_st; i++)
                for (int a = 0; a < o->n[side]; a++)
                    assert_true(to_weakly_prefers(o, side, a, M, stable[i]));
        }
        k->lattice_checked++;
        tm_selection_free(sel);
    }
}

/* Capacities above 1 on both sides: the lattice refuses, deferred acceptance
 * does not. */
static void check_many_to_many(TmProgramme *p, const TmRules *rules, const ToMarket *o,
                               Counts *k)
{
    GError *err = NULL;
    TmSelection *sel = select_with(p, rules, NULL, TM_OBJECTIVE_EGALITARIAN, TM_STABILITY_WEAK,
                                   FALSE, FALSE, &err);
    assert_null(sel);
    assert_non_null(err);
    assert_int_equal(err->code, TM_ERROR_UNSUPPORTED);
    assert_true(g_str_has_prefix(err->message, "objective egalitarian: "));
    g_clear_error(&err);
    sel = select_with(p, rules, NULL, TM_OBJECTIVE_DEMAND_OPTIMAL, TM_STABILITY_WEAK, FALSE,
                      FALSE, &err);
    no_error(err);
    int ok = 0;
    ToMask M = to_from_matching(o, tm_selection_matching(sel), &ok);
    assert_true(ok && to_is_stable(o, M, TM_STABILITY_WEAK));
    tm_selection_free(sel);
    k->many_to_many++;
}

/* Lists with ties: weak stability by tie breaking (by position, and seeded),
 * strong and super-stability or their absence, max-cardinality; the lattice
 * refuses. */
static void check_ties(TmProgramme *p, const TmRules *rules, const ToMarket *o,
                       const ToMask *all, size_t n_all, Counts *k)
{
    GError *err = NULL;
    for (int seeded = 0; seeded < 2; seeded++) {
        TmSelection *sel = select_with(p, rules, NULL, TM_OBJECTIVE_SUPPLY_OPTIMAL,
                                       TM_STABILITY_WEAK, FALSE, seeded, &err);
        no_error(err);
        int ok = 0;
        ToMask M = to_from_matching(o, tm_selection_matching(sel), &ok);
        assert_true(ok && to_is_stable(o, M, TM_STABILITY_WEAK));
        assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
        Values v = values_of(o, M, sel);
        assert_true(fabs((double)v.side_total[0] - tm_selection_objective_value(sel)) < 1e-9);
        tm_selection_free(sel);
        k->tie_checked++;
    }
    TmSelection *sel = select_with(p, rules, NULL, TM_OBJECTIVE_MIN_REGRET, TM_STABILITY_WEAK,
                                   FALSE, FALSE, &err);
    assert_null(sel);
    assert_int_equal(err->code, TM_ERROR_UNSUPPORTED);
    assert_true(g_str_has_prefix(err->message, "objective min-regret: "));
    g_clear_error(&err);
    static const TmStability notions[] = {TM_STABILITY_STRONG, TM_STABILITY_SUPER};
    for (size_t q = 0; q < 2 * G_N_ELEMENTS(notions) + 1; q++) {
        gboolean max_card = q == 2 * G_N_ELEMENTS(notions);
        TmStability st = max_card ? TM_STABILITY_WEAK : notions[q % 2];
        TmObjective obj = q < 2 ? TM_OBJECTIVE_SUPPLY_OPTIMAL : q < 4 ? TM_OBJECTIVE_DEMAND_OPTIMAL
                                                                    : TM_OBJECTIVE_SUPPLY_OPTIMAL;
        int side = obj == TM_OBJECTIVE_SUPPLY_OPTIMAL ? 0 : 1;
        sel = select_with(p, rules, NULL, obj, st, max_card, FALSE, &err);
        if (sel == NULL && err->code == TM_ERROR_UNSUPPORTED
            && strstr(err->message, "not implemented") != NULL) {
            k->skipped_unimplemented++; /* the solver is not on this branch yet */
            g_clear_error(&err);
            continue;
        }
        if (sel == NULL && err->code == TM_ERROR_UNSUPPORTED) {
            /* solve.h: strong and super propose from a side of capacities
             * at most 1, never many-to-many */
            gboolean many[2] = {FALSE, FALSE};
            for (int sd = 0; sd < 2; sd++)
                for (int a = 0; a < o->n[sd]; a++)
                    many[sd] |= o->cap[sd][a] > 1;
            if (!many[side] && !(many[0] && many[1])) {
                print_error("refused: %s\n", err->message);
                fail();
            }
            assert_true(g_str_has_prefix(err->message, "objective "));
            k->refused_shape++;
            g_clear_error(&err);
            continue;
        }
        gboolean exists = FALSE;
        for (size_t i = 0; i < n_all && !exists; i++)
            exists = to_is_stable(o, all[i], st);
        if (sel == NULL) {
            if (err->code != TM_ERROR_NO_SUCH_MATCHING)
                print_error("%s\n", err->message);
            assert_int_equal(err->code, TM_ERROR_NO_SUCH_MATCHING);
            assert_false(exists);
            k->no_such++;
            g_clear_error(&err);
            continue;
        }
        int ok = 0;
        ToMask M = to_from_matching(o, tm_selection_matching(sel), &ok);
        assert_true(ok && to_is_stable(o, M, st));
        assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
        assert_int_equal(tm_selection_stability(sel), st);
        Values v = values_of(o, M, sel);
        assert_true(fabs((double)v.side_total[side] - tm_selection_objective_value(sel)) < 1e-9);
        if (max_card) { /* Király: at least 2/3 of the largest weakly stable matching */
            int largest = 0;
            for (size_t i = 0; i < n_all; i++)
                if (to_is_stable(o, all[i], TM_STABILITY_WEAK))
                    largest = MAX(largest, to_size(all[i]));
            assert_true(3 * to_size(M) >= 2 * largest);
        }
        k->tie_checked++;
        tm_selection_free(sel);
    }
}

/* With a quota: only supply-optimal, refused before anything is built for
 * the others; the result stays within the quota and, with ties too, its
 * certificate is stable. */
static void check_quota(TmProgramme *p, const TmRules *rules, const ToMarket *o, Counts *k)
{
    TmQuota *q = tm_quota_new();
    int32_t total = 1 + (int32_t)(o->n[0] % 3);
    assert_true(tm_quota_set_total(q, total, NULL));
    GError *err = NULL;
    TmSelection *sel = select_with(p, rules, q, TM_OBJECTIVE_SUPPLY_OPTIMAL, TM_STABILITY_WEAK,
                                   FALSE, TRUE, &err);
    no_error(err);
    assert_true(tm_selection_quota_used(sel) <= total);
    if (!tm_verdict_is_stable(tm_selection_verdict(sel))) {
        const TmVerdict *v = tm_selection_verdict(sel);
        print_error("quota %d, ties %d: %ld blocking, %ld violations\n", total,
                    tm_market_has_ties(tm_selection_market(sel)),
                    (long)tm_verdict_n_blocking_pairs(v), (long)tm_verdict_n_violations(v));
        for (int64_t i = 0; i < tm_verdict_n_violations(v); i++)
            print_error("  violation kind %d\n", (int)tm_verdict_violation(v, i)->kind);
        char *md = tm_selection_report_markdown(sel, NULL);
        print_error("%s\n", md);
        g_free(md);
        fail();
    }
    tm_selection_free(sel);
    for (int obj = TM_OBJECTIVE_DEMAND_OPTIMAL; obj <= TM_OBJECTIVE_BALANCED; obj++) {
        sel = select_with(p, rules, q, (TmObjective)obj, TM_STABILITY_WEAK, FALSE, FALSE, &err);
        assert_null(sel);
        assert_int_equal(err->code, TM_ERROR_UNSUPPORTED);
        assert_non_null(strstr(err->message, "not available with a quota"));
        g_clear_error(&err);
    }
    tm_quota_free(q);
    k->quota_runs++;
}

static void test_against_oracle(void **state)
{
    (void)state;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    Counts k = {0};
    TmRules *rules = tm_rules_new_default();
    const int n_instances = 10000;
    for (int it = 0; it < n_instances; it++) {
        Shape sh = {2 + (int)(to_rng(&rng) % 4), 2 + (int)(to_rng(&rng) % 4),
                    it % 10 == 9 ? 3 : (int)(to_rng(&rng) % 3), it % 3 == 2 ? 0.5 : 0.0,
                    it % 4 == 1};
        if (sh.cyclic)
            sh.ns = sh.nc; /* square: n stable matchings before capacities and rules */
        TmProgramme *p = make_programme(&sh, &rng);
        GError *err = NULL;
        TmSelection *plain = select_with(p, rules, NULL, TM_OBJECTIVE_SUPPLY_OPTIMAL,
                                         TM_STABILITY_WEAK, FALSE, FALSE, &err);
        no_error(err);
        ToMarket o;
        to_oracle(tm_selection_market(plain), &o);
        gboolean ties = tm_market_has_ties(tm_selection_market(plain));
        tm_selection_free(plain);
        ToMask *all = NULL;
        size_t n_all = to_matchings(&o, &all);
        gboolean m2m = FALSE, many[2] = {FALSE, FALSE};
        for (int side = 0; side < 2; side++)
            for (int a = 0; a < o.n[side]; a++)
                many[side] |= MIN(o.cap[side][a], o.len[side][a]) > 1;
        m2m = many[0] && many[1];
        if (ties)
            check_ties(p, rules, &o, all, n_all, &k);
        else if (m2m)
            check_many_to_many(p, rules, &o, &k);
        else
            check_strict(p, rules, &o, all, n_all, &k);
        if (it % 4 == 0)
            check_quota(p, rules, &o, &k);
        free(all);
        tm_programme_free(p);
        k.instances++;
    }
    tm_rules_free(rules);
    print_message("%" G_GINT64_FORMAT " programmes: %" G_GINT64_FORMAT " strict ones (%"
                  G_GINT64_FORMAT " with several stable matchings, %" G_GINT64_FORMAT
                  " objective runs), %" G_GINT64_FORMAT " many-to-many, %" G_GINT64_FORMAT
                  " tie runs checked (%" G_GINT64_FORMAT " without such a matching, %"
                  G_GINT64_FORMAT " refused for their shape, %" G_GINT64_FORMAT
                  " solvers not implemented yet), %" G_GINT64_FORMAT " quota runs\n",
                  k.instances, k.stable_sets, k.several, k.lattice_checked, k.many_to_many,
                  k.tie_checked, k.no_such, k.refused_shape, k.skipped_unimplemented,
                  k.quota_runs);
    assert_true(k.several > 500);
    assert_true(k.tie_checked > 2000);
    assert_true(k.many_to_many > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_oracle),
    };
    return cmocka_run_group_tests_name("selection.objectives_oracle", tests, NULL, NULL);
}
