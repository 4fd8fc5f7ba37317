/* The programme's selection: the quota configuration, outcomes and reasons,
 * the output documents, and the golden report of the bundled Jinshui
 * example.  The selection rule itself (admission in merit order under the
 * quota and sector limits) is checked against a brute-force oracle in
 * test_admission.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/forms.h>
#include <techmatch/selection.h>

#include "selection_random.h"

static void test_quota_config(void **state)
{
    (void)state;
    GError *err = NULL;
    TmQuota *q = tm_quota_new();
    assert_int_equal(tm_quota_total(q), -1);
    const char *good = "[quota]\ntotal=30\n[sector.food]\ncap=5\nfloor=2\n[rules]\nC_TITLE=true\n";
    assert_true(tm_quota_load_data(q, good, -1, "cfg.ini", &err));
    assert_int_equal(tm_quota_total(q), 30);
    int32_t cap, floor;
    assert_true(tm_quota_sector(q, "food", &cap, &floor));
    assert_int_equal(cap, 5);
    assert_int_equal(floor, 2);
    assert_false(tm_quota_sector(q, "eit", &cap, &floor));
    assert_int_equal(cap, -1);
    /* sectors in the order first set; setting again replaces in place */
    assert_true(tm_quota_set_sector(q, "eit", 4, 1, &err));
    assert_true(tm_quota_set_sector(q, "food", -1, 1, &err));
    assert_int_equal(tm_quota_n_sectors(q), 2);
    assert_string_equal(tm_quota_sector_code(q, 0), "food");
    assert_string_equal(tm_quota_sector_code(q, 1), "eit");
    assert_null(tm_quota_sector_code(q, 2));
    assert_null(tm_quota_sector_code(q, -1));
    TmQuota *copy = tm_quota_copy(q);
    assert_true(tm_quota_set_total(q, 5, &err));
    assert_int_equal(tm_quota_total(copy), 30);
    assert_true(tm_quota_sector(copy, "food", &cap, &floor));
    assert_int_equal(cap, -1);
    assert_int_equal(floor, 1);
    assert_int_equal(tm_quota_n_sectors(copy), 2);
    tm_quota_free(copy);
    assert_null(tm_quota_copy(NULL));
    assert_int_equal(tm_quota_n_sectors(NULL), 0);
    assert_true(tm_quota_set_sector(q, "food", 5, 2, &err));
    struct {
        const char *text, *needle;
    } bad[] = {
        {"[quota]\ntotal=abc\n", "cfg.ini:2: [quota] total"},
        {"[quota]\ntotal=-3\n", "[quota] total"},
        {"[quota]\nmax=3\n", "[quota] max: unknown key"},
        {"[sector.food]\ncap=2\nfloor=3\n", "floor 3 exceeds cap 2"},
        {"[sector.food]\nlimit=2\n", "[sector.food] limit: unknown key"},
        {"not a key file", "cfg.ini"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_false(tm_quota_load_data(q, bad[i].text, -1, "cfg.ini", &err));
        assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_PARSE));
        if (strstr(err->message, bad[i].needle) == NULL)
            fail_msg("'%s' lacks '%s'", err->message, bad[i].needle);
        g_clear_error(&err);
    }
    assert_false(tm_quota_set_total(q, -2, &err));
    g_clear_error(&err);
    assert_false(tm_quota_set_sector(q, "food", 2, 3, &err));
    g_clear_error(&err);
    assert_false(tm_quota_load_file(q, "/nonexistent/cfg.ini", &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_IO));
    g_clear_error(&err);
    tm_quota_free(q);
    tm_quota_free(NULL);
}

static void test_floors_above_quota(void **state)
{
    (void)state;
    TmProgramme *p = random_programme(6, 6);
    TmRules *rules = tm_rules_new_default();
    TmQuota *q = tm_quota_new();
    tm_quota_set_total(q, 2, NULL);
    tm_quota_set_sector(q, "eit", -1, 2, NULL);
    tm_quota_set_sector(q, "culture", -1, 1, NULL);
    GError *err = NULL;
    assert_null(tm_programme_select(p, rules, q, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INFEASIBLE));
    assert_non_null(strstr(err->message, "floors"));
    g_clear_error(&err);
    assert_null(tm_programme_select(NULL, rules, q, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    tm_quota_free(q);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static char *seed_dir(void)
{
    return g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL);
}

static TmSelection *seed_selection(TmProgramme **p, TmRules **rules, TmQuota **q)
{
    GError *err = NULL;
    char *dir = seed_dir();
    /* the folder's own settings, as `techmatch run` uses them (TmConfig):
     * quota 30, floors for the priority sectors, a cap on agriculture */
    TmConfig *cfg = tm_config_load_for_dir(dir, &err);
    if (cfg == NULL)
        fail_msg("%s", err->message);
    *p = tm_programme_new(tm_config_taxonomy(cfg));
    if (!tm_forms_read_dir(*p, dir, TM_FORMS_STRICT, NULL, &err))
        fail_msg("%s", err->message);
    g_free(dir);
    *rules = tm_rules_copy(tm_config_rules(cfg));
    *q = tm_quota_copy(tm_config_quota(cfg));
    tm_config_free(cfg);
    assert_int_equal(tm_quota_total(*q), 30);
    TmSelection *sel = tm_programme_select(*p, *rules, *q, NULL, &err);
    if (sel == NULL)
        fail_msg("%s", err->message);
    return sel;
}

/* The example: at most 30 selected, every unmatched agent has a reason, and
 * the report equals the reviewed golden copy byte for byte.  To accept a
 * deliberate change, regenerate with TM_UPDATE_GOLDEN=1. */
static void test_seed_golden_report(void **state)
{
    (void)state;
    TmProgramme *p;
    TmRules *rules;
    TmQuota *q;
    TmSelection *sel = seed_selection(&p, &rules, &q);
    assert_true(tm_selection_n_selected(sel) <= 30);
    /* accessors and codes */
    assert_ptr_equal(tm_selection_programme(sel), p);
    assert_int_equal(tm_screening_n_agents(tm_selection_screening(sel), TM_SIDE_SUPPLY),
                     tm_programme_n_commissioners(p));
    assert_int_equal(tm_market_size(tm_selection_market(sel), TM_SIDE_DEMAND),
                     tm_programme_n_sites(p));
    assert_string_equal(tm_outcome_code(TM_OUTCOME_QUOTA), "quota");
    assert_string_equal(tm_outcome_code(TM_OUTCOME_SECTOR_CAP), "sector_cap");
    assert_null(tm_outcome_code((TmOutcome)99));
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, -1, NULL), -1);
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_DEMAND, tm_programme_n_sites(p), NULL), -1);
    assert_null(tm_selection_matching(NULL));
    assert_int_equal(tm_selection_n_selected(NULL), 0);
    TmSelectOptions *so = tm_select_options_new();
    assert_int_equal(tm_select_options_get_k(so), -1);
    assert_null(tm_select_options_get_cancel(so));
    tm_select_options_free(so);
    /* the quota binds on the example: someone is cut by it */
    int n_quota = 0;
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++)
        n_quota += tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL) == TM_OUTCOME_QUOTA;
    assert_true(n_quota > 0);
    assert_true(tm_selection_quota_used(sel) <= 30);
    assert_int_equal(tm_selection_n_selected(sel), tm_selection_quota_used(sel));
    assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++) {
        const char *detail;
        int o = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, &detail);
        if (o != TM_OUTCOME_MATCHED)
            assert_non_null(detail);
    }
    GError *err = NULL;
    char *md = tm_selection_report_markdown(sel, &err);
    assert_non_null(md);
    char *golden_path = g_build_filename(TM_SOURCE_DIR, "tests", "selection", "data",
                                         "jinshui-2011-report.md", NULL);
    if (g_getenv("TM_UPDATE_GOLDEN")) {
        assert_true(g_file_set_contents(golden_path, md, -1, NULL));
    }
    char *golden = NULL;
    if (!g_file_get_contents(golden_path, &golden, NULL, &err))
        fail_msg("%s", err->message);
    if (strcmp(md, golden) != 0) {
        print_error("report differs from %s; got:\n%s\n", golden_path, md);
        fail();
    }
    g_free(golden);
    g_free(golden_path);
    g_free(md);

    /* documents: CSV rows = pairs, JSON parses, write is whole */
    char *csv = tm_selection_assignments_csv(sel, &err);
    int lines = 0;
    for (char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + tm_matching_n_pairs(tm_selection_matching(sel)));
    g_free(csv);
    char *json = tm_selection_assignments_json(sel, &err);
    assert_non_null(strstr(json, "\"outcomes\""));
    g_free(json);
    char *tmp = g_dir_make_tmp("tmselXXXXXX", &err);
    char *out = g_build_filename(tmp, "out", NULL);
    assert_true(tm_selection_write(sel, out, &err));
    const char *names[] = {"assignments.csv", "assignments.json", "report.md"};
    for (int i = 0; i < 3; i++) {
        char *f = g_build_filename(out, names[i], NULL);
        assert_true(g_file_test(f, G_FILE_TEST_IS_REGULAR));
        g_unlink(f);
        g_free(f);
    }
    /* a file where the directory should be: clean error */
    char *blocker = g_build_filename(tmp, "file", NULL);
    g_file_set_contents(blocker, "x", 1, NULL);
    assert_false(tm_selection_write(sel, blocker, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_IO));
    g_clear_error(&err);
    g_unlink(blocker);
    g_rmdir(out);
    g_rmdir(tmp);
    g_free(blocker);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_quota_free(q);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static int progress_calls;
static int destroyed;
static void count_progress(double fraction, gpointer data)
{
    (void)fraction;
    (*(int *)data)++;
}
static void count_destroy(gpointer data)
{
    (void)data;
    destroyed++;
}

/* The fractions a selection reports, in order. */
static void record_progress(double fraction, gpointer data)
{
    g_array_append_val((GArray *)data, fraction);
}

/* Progress: 0 first, 1 last, never decreasing, with the preference build's
 * own steps between 0.02 and 0.95 (not only the three fixed points), on a
 * programme large enough for the parallel build; the same with a quota and
 * with top-k lists. */
static void test_select_progress(void **state)
{
    (void)state;
    TmRules *rules = tm_rules_new_default();
    TmProgramme *p = random_programme(3000, 300);
    for (int round = 0; round < 3; round++) {
        GArray *seen = g_array_new(FALSE, FALSE, sizeof(double));
        TmSelectOptions *o = tm_select_options_new();
        tm_select_options_set_progress(o, record_progress, seen, NULL);
        TmQuota *q = tm_quota_new();
        if (round == 1)
            assert_true(tm_quota_set_total(q, 50, NULL));
        if (round == 2)
            assert_true(tm_select_options_set_k(o, 5, NULL));
        GError *err = NULL;
        TmSelection *sel = tm_programme_select(p, rules, q, o, &err);
        assert_non_null(sel);
        assert_true(seen->len >= 5);
        assert_true(g_array_index(seen, double, 0) == 0.0);
        assert_true(g_array_index(seen, double, seen->len - 1) == 1.0);
        guint inside = 0;
        for (guint i = 0; i < seen->len; i++) {
            double f = g_array_index(seen, double, i);
            assert_true(f >= 0.0 && f <= 1.0);
            if (i > 0 && f < g_array_index(seen, double, i - 1)) {
                fprintf(stderr, "fraction %u went back: %g after %g\n", i, f,
                        g_array_index(seen, double, i - 1));
                fail();
            }
            inside += f > 0.02 && f < 0.95;
        }
        assert_true(inside >= 2);
        tm_selection_free(sel);
        tm_quota_free(q);
        tm_select_options_free(o);
        g_array_free(seen, TRUE);
    }
    tm_programme_free(p);
    tm_rules_free(rules);
}

/* Options: k, progress with its destroy notify, a cancel handle the options
 * hold a reference to. */
static void test_select_options(void **state)
{
    (void)state;
    GError *err = NULL;
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_k(o, 0, &err));
    assert_int_equal(tm_select_options_get_k(o), 0);
    assert_false(tm_select_options_set_k(o, -2, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_int_equal(tm_select_options_get_k(o), 0);
    assert_false(tm_select_options_set_k(NULL, 1, &err));
    g_clear_error(&err);
    assert_int_equal(tm_select_options_get_k(NULL), -1);

    progress_calls = 0;
    destroyed = 0;
    tm_select_options_set_progress(o, count_progress, &progress_calls, count_destroy);
    TmProgramme *p = random_programme(5, 5);
    TmRules *rules = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, rules, NULL, o, &err);
    assert_non_null(sel);
    assert_true(progress_calls >= 5); /* 0, the build's part, 1 */
    tm_selection_free(sel);
    /* a copy shares the data without owning it */
    TmSelectOptions *copy = tm_select_options_copy(o);
    tm_select_options_free(copy);
    assert_int_equal(destroyed, 0);
    tm_select_options_set_progress(o, NULL, NULL, NULL); /* replaced: destroyed */
    assert_int_equal(destroyed, 1);

    /* the options keep the handle alive after the caller drops it */
    TmCancel *cancel = tm_cancel_new();
    tm_select_options_set_cancel(o, cancel);
    tm_cancel_unref(cancel);
    assert_non_null(tm_select_options_get_cancel(o));
    tm_cancel_trigger(tm_select_options_get_cancel(o));
    assert_null(tm_programme_select(p, rules, NULL, o, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_CANCELLED));
    g_clear_error(&err);
    copy = tm_select_options_copy(o);
    tm_select_options_free(o);
    assert_true(tm_cancel_is_triggered(tm_select_options_get_cancel(copy)));
    tm_select_options_set_cancel(copy, NULL);
    assert_null(tm_select_options_get_cancel(copy));
    tm_select_options_free(copy);
    tm_select_options_free(NULL);
    assert_null(tm_select_options_copy(NULL));
    tm_rules_free(rules);
    tm_programme_free(p);
}

/* A selection holds what it uses: the caller frees the programme, rules and
 * quota right after the call, and every accessor and writer still works
 * (run under ASan by scripts/test.sh).  Agents added to the programme later
 * are not part of the selection. */
static void test_selection_owns_inputs(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p;
    TmRules *rules;
    TmQuota *q;
    TmSelection *ref = seed_selection(&p, &rules, &q);
    char *md_ref = tm_selection_report_markdown(ref, &err);
    char *csv_ref = tm_selection_assignments_csv(ref, &err);
    char *json_ref = tm_selection_assignments_json(ref, &err);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    tm_selection_free(ref);

    /* the caller changes its rules and quota after the call: no effect */
    TmSelection *sel = tm_programme_select(p, rules, q, NULL, &err);
    assert_non_null(sel);
    assert_true(tm_rules_set_enabled(rules, "C_TITLE", FALSE, NULL));
    assert_true(tm_quota_set_total(q, 1, NULL));
    assert_true(tm_rules_is_enabled(tm_selection_rules(sel), "C_TITLE"));
    assert_int_equal(tm_quota_total(tm_selection_quota(sel)), 30);
    /* ... adds agents: not part of the selection */
    TmSite extra = {0};
    extra.name = "late site";
    extra.kind = TM_SITE_PARK;
    extra.capacity = 1;
    extra.x = extra.y = TM_NO_LOCATION;
    assert_int_equal(tm_programme_add_site(p, &extra, &err), ns);
    /* ... and frees everything */
    tm_programme_free(p);
    tm_rules_free(rules);
    tm_quota_free(q);

    assert_int_equal(tm_selection_n_agents(sel, TM_SIDE_SUPPLY), nc);
    assert_int_equal(tm_selection_n_agents(sel, TM_SIDE_DEMAND), ns);
    assert_int_equal(tm_selection_n_agents(sel, (TmSide)5), 0);
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_DEMAND, ns, NULL), -1);
    const TmProgramme *held = tm_selection_programme(sel);
    assert_int_equal(tm_programme_n_sites(held), ns + 1); /* alive, with the late site */
    assert_int_equal(tm_selection_quota_total(sel), 30);
    int32_t cap, floor;
    int32_t agri = tm_taxonomy_find(tm_programme_taxonomy(held), "agri");
    assert_true(tm_selection_sector_limits(sel, agri, &cap, &floor));
    assert_int_equal(cap, 10);
    assert_int_equal(floor, 0);
    assert_false(tm_selection_sector_limits(sel, 99, &cap, &floor));
    assert_int_equal(cap, -1);
    int64_t total = 0;
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tm_programme_taxonomy(held)); k++) {
        int64_t a;
        assert_true(tm_selection_sector_counts(sel, k, NULL, NULL, NULL, &a));
        total += a;
    }
    assert_int_equal(total, tm_matching_n_pairs(tm_selection_matching(sel)));
    assert_false(tm_selection_sector_counts(sel, -1, NULL, NULL, NULL, NULL));
    int32_t k;
    for (int32_t c = 0; c < nc; c++) {
        const int32_t *mine = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY,
                                                   c, &k);
        for (int32_t j = 0; j < k; j++) {
            assert_true(tm_selection_rank(sel, TM_SIDE_SUPPLY, c, mine[j]) >= 0);
            assert_true(tm_selection_rank(sel, TM_SIDE_DEMAND, mine[j], c) >= 0);
            double sc = tm_selection_score(sel, TM_SIDE_SUPPLY, c, mine[j]);
            assert_true(sc >= 0 && sc <= 1);
        }
    }
    assert_true(isnan(tm_selection_score(sel, TM_SIDE_SUPPLY, nc, 0)));
    assert_int_equal(tm_selection_rank(NULL, TM_SIDE_SUPPLY, 0, 0), -1);

    /* the documents are the same bytes as before */
    char *md = tm_selection_report_markdown(sel, &err);
    char *csv = tm_selection_assignments_csv(sel, &err);
    char *json = tm_selection_assignments_json(sel, &err);
    assert_string_equal(md, md_ref);
    assert_string_equal(csv, csv_ref);
    assert_string_equal(json, json_ref);
    char *tmp = g_dir_make_tmp("tmownXXXXXX", &err);
    assert_true(tm_selection_write(sel, tmp, &err));
    static const char *const names[] = {"assignments.csv", "assignments.json", "report.md"};
    for (int i = 0; i < 3; i++) {
        char *f = g_build_filename(tmp, names[i], NULL);
        g_unlink(f);
        g_free(f);
    }
    g_rmdir(tmp);
    g_free(tmp);
    g_free(md);
    g_free(csv);
    g_free(json);
    g_free(md_ref);
    g_free(csv_ref);
    g_free(json_ref);
    tm_selection_free(sel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_config),
        cmocka_unit_test(test_floors_above_quota),
        cmocka_unit_test(test_seed_golden_report),
        cmocka_unit_test(test_select_options),
        cmocka_unit_test(test_select_progress),
        cmocka_unit_test(test_selection_owns_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
