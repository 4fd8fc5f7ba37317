/* Which stable matching a selection returns (selection.h, TmObjective): the
 * cyclic 3 x 3 programme worked by hand (its stable matchings enumerated
 * through the lattice and each objective computed from them), the options
 * and every refusal, and the documents (report.h) stating a requested
 * objective.  The random programmes are in test_objectives_oracle.c. */
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
    assert_non_null(strstr(json, "\"ranks\" : \"1 = first choice\",\n"
                                 "  \"objective\" : {\n    \"name\" : \"egalitarian\",\n"
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
    };
    return cmocka_run_group_tests_name("selection.objectives", tests, NULL, NULL);
}
