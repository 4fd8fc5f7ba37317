/* Numbers at the edges (issue 7): weight sets whose sums overflow are
 * refused where they are set (API and configuration, with FILE:LINE), a
 * subnormal is "a finite number >= 0", and k / site_k are clamped to the
 * other side's size instead of sizing allocations. */
#include <math.h>
#include <string.h>

#include "rules_testutil.h"
#include <techmatch/config.h>
#include <techmatch/forms.h>
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

static void test_weight_sum_overflow_api(void **state)
{
    (void)state;
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    /* each finite, the first few fit; the side's sum would overflow */
    assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_SECTOR, 1e308, &err));
    assert_no_error(err);
    assert_false(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS, 1e308, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "largest finite number"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS) < 1e308); /* unchanged */
    /* the other side is independent */
    assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_TAGS, 1e308, &err));
    /* a subnormal weight is finite and >= 0 */
    assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT, 1e-320, &err));
    assert_no_error(err);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT) > 0);
    tm_rules_free(r);
}

static void assert_config_error(const char *text, const char *want)
{
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data(text, -1, "p.ini", &err);
    assert_null(cfg);
    assert_non_null(err);
    if (strstr(err->message, want) == NULL) {
        print_error("expected '%s' in '%s'\n", want, err->message);
        fail();
    }
    assert_tm_error(err, TM_ERROR_PARSE);
}

static void test_weight_sum_overflow_config(void **state)
{
    (void)state;
    assert_config_error("[weights.commissioner]\nsector=1e308\ntags=1e308\ntitle=1e308\n",
                        "p.ini:3: [weights.commissioner] tags: 1e308: the weights of "
                        "[weights.commissioner] would add up to more than the largest finite "
                        "number");
    assert_config_error("[weights.site]\n\nmerit=1.7e308\ndistance=1e308\n",
                        "p.ini:4: [weights.site] distance:");
    /* the legacy loader reads the same way */
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    assert_false(tm_rules_load_data(r, "[weights.site]\nsector=1e308\ntags=1e308\n", -1,
                                    "r.ini", &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "r.ini:3:"));
    assert_tm_error(err, TM_ERROR_PARSE);
    tm_rules_free(r);
}

/* 1e-320 wherever "a finite number >= 0" (or > 0) is asked. */
static void test_subnormal_accepted(void **state)
{
    (void)state;
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data("[weights.commissioner]\nsector=1e-320\n"
                                        "[rules]\nP_DISTANCE.max_km=1e-320\n"
                                        "[scoring]\ndistance_scale_km=1e-320\n",
                                        -1, "p.ini", &err);
    assert_no_error(err);
    assert_non_null(cfg);
    const TmRules *r = tm_config_rules(cfg);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_SECTOR) > 0);
    assert_true(tm_rules_max_km(r) > 0 && tm_rules_max_km(r) < 1e-300);
    assert_true(tm_rules_distance_scale(r) > 0);
    tm_config_free(cfg);
    /* a number too large is still refused */
    assert_config_error("[weights.site]\nsector=1e400\n", "p.ini:2:");
}

static TmProgramme *seed(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_dir(p, TM_SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    assert_no_error(err);
    return p;
}

/* k = INT32_MAX is inside the documented range: it means "everyone", is
 * clamped to the other side's size, and gives the lists k = |sites| gives. */
static void test_k_clamped(void **state)
{
    (void)state;
    TmProgramme *p = seed();
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    TmMarket *m[2] = {NULL, NULL};
    const int32_t ks[2] = {G_MAXINT32, ns};
    for (int i = 0; i < 2; i++) {
        TmPrefsOptions *o = tm_prefs_options_new();
        assert_true(tm_prefs_options_set_k(o, ks[i], &err));
        TmCandidateParams cp;
        tm_rules_get_candidates(r, &cp);
        cp.site_k = i == 0 ? G_MAXINT32 : nc;
        assert_true(tm_rules_set_candidates(r, &cp, &err));
        TmPrefsStats *st = tm_prefs_stats_new();
        m[i] = tm_programme_build_market(p, r, NULL, o, st, &err);
        assert_no_error(err);
        assert_non_null(m[i]);
        assert_int_equal(tm_prefs_stats_get(st, TM_PREFS_STAT_K), ns);
        assert_int_equal(tm_prefs_stats_get(st, TM_PREFS_STAT_SITE_K), nc);
        tm_prefs_stats_free(st);
        tm_prefs_options_free(o);
    }
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < tm_market_size(m[0], side); a++) {
            int32_t l0, l1;
            const int32_t *p0 = tm_market_prefs(m[0], side, a, &l0);
            const int32_t *p1 = tm_market_prefs(m[1], side, a, &l1);
            assert_int_equal(l0, l1);
            assert_memory_equal(p0, p1, (size_t)l0 * sizeof(int32_t));
        }
    tm_market_free(m[0]);
    tm_market_free(m[1]);

    /* the programme's selection with --k 2147483647 works too */
    TmSelectOptions *so = tm_select_options_new();
    assert_true(tm_select_options_set_k(so, G_MAXINT32, &err));
    TmSelection *sel = tm_programme_select(p, r, NULL, so, &err);
    assert_no_error(err);
    assert_non_null(sel);
    tm_selection_free(sel);
    tm_select_options_free(so);
    tm_rules_free(r);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weight_sum_overflow_api),
        cmocka_unit_test(test_weight_sum_overflow_config),
        cmocka_unit_test(test_subnormal_accepted),
        cmocka_unit_test(test_k_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
