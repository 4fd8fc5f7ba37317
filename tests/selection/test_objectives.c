/* Which stable matching a selection returns (selection.h, TmObjective), and
 * with tied wishes which stability: checked against the brute-force oracle
 * of tests/core/ties_oracle.h on 10,000 random small programmes (one-to-one
 * and many-to-one with capacities on either side, many-to-many, strict and
 * tied wishes), on the cyclic 3 x 3 programme worked by hand, through the
 * errors, and in the documents (report.h). */
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

#include "ties_oracle.h"

static void no_error(GError *err)
{
    if (err != NULL) {
        print_error("unexpected error: %s\n", err->message);
        fail();
    }
}

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

static TmSelection *select_with(TmProgramme *p, const TmRules *rules, const TmQuota *quota,
                                TmObjective obj, TmStability st, gboolean max_card,
                                gboolean seeded, GError **err)
{
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_k(o, 0, NULL));
    assert_true(tm_select_options_set_objective(o, obj, NULL));
    assert_true(tm_select_options_set_stability(o, st, NULL));
    tm_select_options_set_max_cardinality(o, max_card);
    if (seeded)
        tm_select_options_set_tie_seed(o, 12345);
    TmSelection *sel = tm_programme_select(p, rules, quota, o, err);
    tm_select_options_free(o);
    return sel;
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
    assert_true(tm_matching_n_pairs(tm_selection_matching(sel)) <= total);
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

/* ---- the cyclic 3 x 3 programme, by hand -------------------------------------------- */

/* Three commissioners and three sites whose wishes are the cyclic market
 * (c1: s1 s2 s3, c2: s2 s3 s1, c3: s3 s1 s2; s1: c2 c3 c1, s2: c3 c1 c2,
 * s3: c1 c2 c3): three stable matchings, each commissioner at its first,
 * second and third choice, every one of total rank 6 over both sides; the
 * middle one alone has worst rank 1 and gap 0. */
static TmProgramme *cyclic(void)
{
    static const char *const cw[3][3] = {{"s1", "s2", "s3"}, {"s2", "s3", "s1"},
                                         {"s3", "s1", "s2"}};
    static const char *const sw[3][3] = {{"c2", "c3", "c1"}, {"c3", "c1", "c2"},
                                         {"c1", "c2", "c3"}};
    static const char *const cn[3] = {"c1", "c2", "c3"}, *const sn[3] = {"s1", "s2", "s3"};
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    for (int i = 0; i < 3; i++) {
        TmSite s;
        memset(&s, 0, sizeof s);
        s.name = sn[i];
        s.kind = TM_SITE_HIGH_TECH;
        s.years = 1;
        s.capacity = 1;
        s.x = 5.0 * i;
        s.y = 0;
        s.ranked_commissioners = sw[i];
        s.n_ranked_commissioners = 3;
        assert_int_equal(tm_programme_add_site(p, &s, &err), i);
    }
    for (int i = 0; i < 3; i++) {
        TmCommissioner c;
        memset(&c, 0, sizeof c);
        c.name = cn[i];
        c.team_size = 1;
        c.title = TM_TITLE_SENIOR;
        c.unit_kind = TM_UNIT_UNIVERSITY;
        c.unit_support = TRUE;
        c.years = 1;
        c.capacity = 1;
        TmExpertise ex = {0, 3 - i};
        c.expertise = &ex;
        c.n_expertise = 1;
        c.x = 5.0 * i;
        c.y = 1;
        c.merit = 90 - 10 * i;
        c.ranked_sites = cw[i];
        c.n_ranked_sites = 3;
        assert_int_equal(tm_programme_add_commissioner(p, &c, &err), i);
    }
    no_error(err);
    return p;
}

static void test_cyclic_by_hand(void **state)
{
    (void)state;
    TmProgramme *p = cyclic();
    TmRules *rules = tm_rules_new_default();
    GError *err = NULL;
    /* the three stable matchings, enumerated through the lattice, and each
     * objective computed here from their pairs */
    TmSelection *first = select_with(p, rules, NULL, TM_OBJECTIVE_SUPPLY_OPTIMAL,
                                     TM_STABILITY_WEAK, FALSE, FALSE, &err);
    no_error(err);
    TmMarket *m = tm_selection_market(first);
    TmLattice *lat = tm_lattice_new(m, &err);
    no_error(err);
    assert_int_equal(tm_lattice_count(lat, 0, NULL), 3);
    TmStableIter *iter = tm_lattice_enumerate(lat, 0, &err);
    int32_t s[3], d[3];
    double best_egal = 1e300, best_regret = 1e300, best_weight = -1e300, best_gap = 1e300;
    while (tm_stable_iter_next(iter, s, d, 3, &err)) {
        int64_t ts = 0, td = 0;
        int32_t worst = -1;
        double w = 0;
        for (int i = 0; i < 3; i++) {
            int32_t rs = tm_market_rank(m, TM_SIDE_SUPPLY, s[i], d[i]);
            int32_t rd = tm_market_rank(m, TM_SIDE_DEMAND, d[i], s[i]);
            ts += rs;
            td += rd;
            worst = MAX(worst, MAX(rs, rd));
            w += tm_selection_score(first, TM_SIDE_SUPPLY, s[i], d[i])
                 + tm_selection_score(first, TM_SIDE_DEMAND, s[i], d[i]);
        }
        assert_int_equal(ts + td, 6);
        best_egal = MIN(best_egal, (double)(ts + td));
        best_regret = MIN(best_regret, worst);
        best_weight = MAX(best_weight, w);
        best_gap = MIN(best_gap, (double)llabs(ts - td));
    }
    no_error(err);
    tm_stable_iter_free(iter);
    tm_lattice_free(lat);
    assert_true(best_egal == 6 && best_regret == 1 && best_gap == 0);
    tm_selection_free(first);

    static const struct {
        TmObjective obj;
        const char *pairs; /* c1's, c2's, c3's site */
    } cases[] = {
        {TM_OBJECTIVE_SUPPLY_OPTIMAL, "012"}, {TM_OBJECTIVE_DEMAND_OPTIMAL, "201"},
        {TM_OBJECTIVE_EGALITARIAN, NULL},     {TM_OBJECTIVE_MIN_REGRET, "120"},
        {TM_OBJECTIVE_MAX_WEIGHT, NULL},      {TM_OBJECTIVE_BALANCED, "120"},
    };
    const double want[] = {0, 0, best_egal, best_regret, best_weight, best_gap};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TmSelection *sel = select_with(p, rules, NULL, cases[i].obj, TM_STABILITY_WEAK, FALSE,
                                       FALSE, &err);
        no_error(err);
        assert_true(fabs(tm_selection_objective_value(sel) - want[i]) < 1e-12);
        for (int c = 0; cases[i].pairs && c < 3; c++) {
            int32_t n = 0;
            const int32_t *to = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY,
                                                     c, &n);
            assert_int_equal(n, 1);
            assert_int_equal(to[0], cases[i].pairs[c] - '0');
        }
        tm_selection_free(sel);
    }
    tm_rules_free(rules);
    tm_programme_free(p);
}

/* ---- errors and options ---------------------------------------------------------------- */

static void test_errors_and_options(void **state)
{
    (void)state;
    GError *err = NULL;
    assert_string_equal(tm_objective_code(TM_OBJECTIVE_MAX_WEIGHT), "max-weight");
    assert_null(tm_objective_code((TmObjective)6));
    assert_int_equal(tm_objective_from_string("Min_Regret"), TM_OBJECTIVE_MIN_REGRET);
    assert_int_equal(tm_objective_from_string("egalitarian"), TM_OBJECTIVE_EGALITARIAN);
    assert_int_equal(tm_objective_from_string("best"), -1);
    assert_int_equal(tm_objective_from_string(NULL), -1);

    TmSelectOptions *o = tm_select_options_new();
    assert_int_equal(tm_select_options_get_objective(o), TM_OBJECTIVE_SUPPLY_OPTIMAL);
    assert_false(tm_select_options_set_objective(o, (TmObjective)9, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_select_options_set_objective(NULL, TM_OBJECTIVE_EGALITARIAN, &err));
    g_clear_error(&err);
    assert_false(tm_select_options_set_stability(o, (TmStability)7, &err));
    g_clear_error(&err);
    assert_true(tm_select_options_set_objective(o, TM_OBJECTIVE_BALANCED, &err));
    assert_true(tm_select_options_set_stability(o, TM_STABILITY_SUPER, &err));
    tm_select_options_set_max_cardinality(o, TRUE);
    tm_select_options_set_tie_seed(o, 99);
    TmSelectOptions *copy = tm_select_options_copy(o);
    uint64_t seed = 0;
    assert_int_equal(tm_select_options_get_objective(copy), TM_OBJECTIVE_BALANCED);
    assert_int_equal(tm_select_options_get_stability(copy), TM_STABILITY_SUPER);
    assert_true(tm_select_options_get_max_cardinality(copy));
    assert_true(tm_select_options_get_tie_seed(copy, &seed) && seed == 99);
    tm_select_options_clear_tie_seed(o);
    assert_false(tm_select_options_get_tie_seed(o, &seed));
    assert_int_equal(tm_select_options_get_stability(NULL), TM_STABILITY_WEAK);
    assert_false(tm_select_options_get_max_cardinality(NULL));
    tm_select_options_free(copy);
    tm_select_options_free(o);
    assert_int_equal(tm_selection_objective(NULL), -1);
    assert_true(isnan(tm_selection_objective_value(NULL)));
    assert_false(tm_selection_objective_requested(NULL));

    /* a quota or a sector limit: refused before anything is built */
    TmProgramme *p = cyclic();
    TmRules *rules = tm_rules_new_default();
    TmQuota *q = tm_quota_new();
    assert_true(tm_quota_set_sector(q, "eit", 2, 0, &err));
    TmSelection *sel = select_with(p, rules, q, TM_OBJECTIVE_DEMAND_OPTIMAL, TM_STABILITY_WEAK,
                                   FALSE, FALSE, &err);
    assert_null(sel);
    assert_int_equal(err->code, TM_ERROR_UNSUPPORTED);
    assert_string_equal(err->message,
                        "objective demand-optimal: not available with a quota or sector "
                        "caps/floors (the programme has sector limits): the quota and the "
                        "sector limits are met by commissioner-proposing deferred acceptance "
                        "only; lift them (no [quota] total or total=none, e.g. --quota none, "
                        "and no [sector.CODE] cap or floor) or use supply-optimal");
    g_clear_error(&err);
    tm_quota_free(q);
    q = tm_quota_new();
    assert_true(tm_quota_set_total(q, 2, &err));
    sel = select_with(p, rules, q, TM_OBJECTIVE_EGALITARIAN, TM_STABILITY_WEAK, FALSE, FALSE,
                      &err);
    assert_null(sel);
    assert_non_null(strstr(err->message, "(the programme has a quota): the lattice of stable "
                                         "matchings does not take caps and floors"));
    g_clear_error(&err);
    /* the default is unchanged: not requested, documents as before */
    TmSelectOptions *plain = tm_select_options_new();
    sel = tm_programme_select(p, rules, q, plain, &err);
    no_error(err);
    assert_false(tm_selection_objective_requested(sel));
    assert_int_equal(tm_selection_objective(sel), TM_OBJECTIVE_SUPPLY_OPTIMAL);
    char *json = tm_selection_assignments_json(sel, &err);
    char *csv = tm_selection_assignments_csv(sel, &err);
    char *md = tm_selection_report_markdown(sel, &err);
    assert_null(strstr(json, "\"objective\""));
    assert_null(strstr(csv, "objective"));
    assert_null(strstr(md, "Objective"));
    g_free(json);
    g_free(csv);
    g_free(md);
    tm_selection_free(sel);
    tm_select_options_free(plain);
    tm_quota_free(q);
    tm_rules_free(rules);
    tm_programme_free(p);
}

/* The documents state a requested objective and its value. */
static void test_documents(void **state)
{
    (void)state;
    TmProgramme *p = cyclic();
    TmRules *rules = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = select_with(p, rules, NULL, TM_OBJECTIVE_EGALITARIAN, TM_STABILITY_WEAK,
                                   FALSE, FALSE, &err);
    no_error(err);
    char *json = tm_selection_assignments_json(sel, &err);
    assert_true(g_str_has_prefix(json, "{\n  \"objective\" : {\n    \"name\" : \"egalitarian\",\n"
                                       "    \"value\" : 6,\n    \"stability\" : \"weak\"\n  },\n"
                                       "  \"pairs\""));
    char *csv = tm_selection_assignments_csv(sel, &err);
    assert_true(g_str_has_prefix(csv, "commissioner,site,sector,site_kind,commissioner_rank,"
                                      "site_rank,commissioner_score,site_score,objective,"
                                      "objective_value\nc1,s1,eit,high_tech,1,3,"));
    assert_non_null(strstr(csv, ",egalitarian,6\nc2,"));
    char *md = tm_selection_report_markdown(sel, &err);
    assert_non_null(strstr(md, "- Method: the egalitarian stable matching (least total rank over "
                               "both sides), from the lattice of stable matchings\n"
                               "- Objective: egalitarian; total rank of both sides (ranks from "
                               "0 = first choice): 6\n"));
    g_free(json);
    g_free(csv);
    g_free(md);
    tm_selection_free(sel);

    sel = select_with(p, rules, NULL, TM_OBJECTIVE_MAX_WEIGHT, TM_STABILITY_WEAK, FALSE, FALSE,
                      &err);
    no_error(err);
    char value[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_dtostr(value, sizeof value, tm_selection_objective_value(sel));
    csv = tm_selection_assignments_csv(sel, &err);
    char *tail = g_strdup_printf(",max-weight,%s\n", value);
    assert_non_null(strstr(csv, tail));
    md = tm_selection_report_markdown(sel, &err);
    char *line = g_strdup_printf("- Objective: max-weight; total two-way score: %s\n", value);
    assert_non_null(strstr(md, line));
    json = tm_selection_assignments_json(sel, &err);
    assert_non_null(strstr(json, "\"name\" : \"max-weight\""));
    g_free(tail);
    g_free(line);
    g_free(json);
    g_free(csv);
    g_free(md);
    tm_selection_free(sel);
    tm_rules_free(rules);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyclic_by_hand),
        cmocka_unit_test(test_errors_and_options),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_against_oracle),
    };
    return cmocka_run_group_tests_name("selection.objectives", tests, NULL, NULL);
}
