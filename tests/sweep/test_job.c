/* One programme run as a job (job.h): the fields of tm_selection_summary()
 * against the selection's own accessors (and the mean ranks recomputed from
 * the pairs and the market), their order, NONE where documented; TmSummary's
 * setters and accessors; tm_summary_format()'s shortest round-trip doubles;
 * tm_job_run() against tm_programme_select() on the same folder and
 * configuration, its documents, its errors, and two threads at once. */
#include <math.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "testutil.h"

#define SEED_DIR TM_SOURCE_DIR "/seeds/jinshui-2011"

static const char *const FIXED_FIELDS[] = {
    "commissioners",  "sites",          "eligible_commissioners", "eligible_sites",
    "selected",       "assignments",    "sites_served",           "quota",
    "quota_counts",   "quota_used",     "stable",                 "objective",
    "objective_value", "merit_cutoff",  "cutoff_commissioner",    "mean_rank_commissioner",
    "mean_rank_site",
};

static int32_t field(const TmSummary *s, const char *name)
{
    int32_t i = tm_summary_find(s, name);
    if (i < 0)
        fail_msg("no field %s", name);
    return i;
}

static void expect_int(const TmSummary *s, const char *name, int64_t want)
{
    int32_t i = field(s, name);
    if (tm_summary_type(s, i) != TM_SUMMARY_INT || tm_summary_int(s, i) != want)
        fail_msg("%s: type %d value %lld, want int %lld", name, (int)tm_summary_type(s, i),
                 (long long)tm_summary_int(s, i), (long long)want);
}

static void expect_double(const TmSummary *s, const char *name, double want)
{
    int32_t i = field(s, name);
    if (tm_summary_type(s, i) != TM_SUMMARY_DOUBLE || fabs(tm_summary_double(s, i) - want) > 1e-12)
        fail_msg("%s: type %d value %.17g, want double %.17g", name, (int)tm_summary_type(s, i),
                 tm_summary_double(s, i), want);
}

static void expect_none(const TmSummary *s, const char *name)
{
    int32_t i = field(s, name);
    if (tm_summary_type(s, i) != TM_SUMMARY_NONE)
        fail_msg("%s: type %d, want NONE", name, (int)tm_summary_type(s, i));
    char *cell = tm_summary_format(s, i);
    assert_string_equal(cell, "");
    g_free(cell);
}

static void expect_text(const TmSummary *s, const char *name, const char *want)
{
    int32_t i = field(s, name);
    assert_int_equal(tm_summary_type(s, i), TM_SUMMARY_TEXT);
    assert_string_equal(tm_summary_text(s, i), want);
}

/* The mean 1-based rank each side gives its partners in the pairs, from the
 * market's ranks; NAN without pairs. */
static void mean_ranks(const TmSelection *sel, double *supply, double *demand)
{
    const TmMatching *m = tm_selection_matching(sel);
    const TmMarket *market = tm_selection_market(sel);
    int64_t n = tm_matching_n_pairs(m);
    int32_t *ps = g_new(int32_t, n + 1), *pd = g_new(int32_t, n + 1);
    GError *err = NULL;
    assert_true(tm_matching_get_pairs(m, ps, pd, n, &err));
    double ts = 0, td = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t rs = tm_market_rank(market, TM_SIDE_SUPPLY, ps[i], pd[i]);
        int32_t rd = tm_market_rank(market, TM_SIDE_DEMAND, pd[i], ps[i]);
        assert_true(rs >= 0 && rd >= 0);
        ts += rs + 1;
        td += rd + 1;
    }
    *supply = n > 0 ? ts / (double)n : NAN;
    *demand = n > 0 ? td / (double)n : NAN;
    g_free(ps);
    g_free(pd);
}

/* Every field of @s against @sel's accessors, in the documented order. */
static void check_summary(const TmSummary *s, const TmSelection *sel)
{
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    int32_t n_sectors = tm_taxonomy_n_sectors(tax);
    size_t n_fixed = G_N_ELEMENTS(FIXED_FIELDS);
    assert_int_equal(tm_summary_n_fields(s), (int32_t)n_fixed + 3 * n_sectors);
    for (size_t i = 0; i < n_fixed; i++)
        assert_string_equal(tm_summary_name(s, (int32_t)i), FIXED_FIELDS[i]);
    for (int32_t k = 0; k < n_sectors; k++) {
        static const char *const kinds[] = {"served.", "coverage.", "assignments."};
        for (int q = 0; q < 3; q++) {
            char *want = g_strconcat(kinds[q], tm_taxonomy_code(tax, k), NULL);
            assert_string_equal(tm_summary_name(s, (int32_t)n_fixed + 3 * k + q), want);
            g_free(want);
        }
    }
    const TmScreening *scr = tm_selection_screening(sel);
    const TmMatching *m = tm_selection_matching(sel);
    expect_int(s, "commissioners", tm_selection_n_agents(sel, TM_SIDE_SUPPLY));
    expect_int(s, "sites", tm_selection_n_agents(sel, TM_SIDE_DEMAND));
    expect_int(s, "eligible_commissioners", tm_screening_n_eligible(scr, TM_SIDE_SUPPLY));
    expect_int(s, "eligible_sites", tm_screening_n_eligible(scr, TM_SIDE_DEMAND));
    expect_int(s, "selected", tm_selection_n_selected(sel));
    expect_int(s, "assignments", tm_matching_n_pairs(m));
    int64_t served = 0, served_by_sector = 0;
    for (int32_t d = 0; d < tm_selection_n_agents(sel, TM_SIDE_DEMAND); d++)
        served += tm_matching_n_partners(m, TM_SIDE_DEMAND, d) > 0;
    for (int32_t k = 0; k < n_sectors; k++) {
        int32_t reg = -1, served_k = -1;
        int64_t pairs = -1;
        assert_true(tm_selection_sector_counts(sel, k, &reg, NULL, &served_k, &pairs));
        served_by_sector += served_k;
        const char *code = tm_taxonomy_code(tax, k);
        char *name = g_strconcat("served.", code, NULL);
        expect_int(s, name, served_k);
        g_free(name);
        name = g_strconcat("coverage.", code, NULL);
        if (reg > 0)
            expect_double(s, name, (double)served_k / reg);
        else
            expect_none(s, name);
        g_free(name);
        name = g_strconcat("assignments.", code, NULL);
        expect_int(s, name, pairs);
        g_free(name);
    }
    assert_int_equal(served, served_by_sector); /* every site in one sector */
    expect_int(s, "sites_served", served);
    if (tm_selection_quota_total(sel) >= 0)
        expect_int(s, "quota", tm_selection_quota_total(sel));
    else
        expect_none(s, "quota");
    expect_text(s, "quota_counts", tm_quota_unit_code(tm_selection_quota_unit(sel)));
    expect_int(s, "quota_used", tm_selection_quota_used(sel));
    expect_int(s, "stable", tm_verdict_is_stable(tm_selection_verdict(sel)) ? 1 : 0);
    expect_text(s, "objective", tm_objective_code(tm_selection_objective(sel)));
    if (tm_selection_objective_requested(sel))
        expect_double(s, "objective_value", tm_selection_objective_value(sel));
    else
        expect_none(s, "objective_value");
    int32_t cut = -1;
    double merit = NAN;
    if (tm_selection_merit_cutoff(sel, &cut, &merit)) {
        expect_double(s, "merit_cutoff", merit);
        expect_text(s, "cutoff_commissioner", tm_programme_commissioner(p, cut)->name);
    } else {
        expect_none(s, "merit_cutoff");
        expect_none(s, "cutoff_commissioner");
    }
    double rs, rd;
    mean_ranks(sel, &rs, &rd);
    if (isnan(rs)) {
        expect_none(s, "mean_rank_commissioner");
        expect_none(s, "mean_rank_site");
    } else {
        expect_double(s, "mean_rank_commissioner", rs);
        expect_double(s, "mean_rank_site", rd);
    }
}

/* The selection of the seed under quota @quota (-1 none; -2 the file's),
 * with @options. */
static TmSelection *seed_selection(int32_t quota, const TmSelectOptions *options,
                                   TmConfig **config_out)
{
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_for_dir(SEED_DIR, &err);
    assert_no_error(err);
    if (quota != -2)
        assert_true(tm_config_set_quota_total(cfg, quota, &err));
    TmProgramme *p = tm_programme_new(tm_config_taxonomy(cfg));
    assert_true(tm_forms_read_dir(p, SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    TmSelection *sel =
        tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), options, &err);
    assert_no_error(err);
    tm_programme_free(p);
    if (config_out)
        *config_out = cfg;
    else
        tm_config_free(cfg);
    return sel;
}

static void test_summary_fields(void **state)
{
    (void)state;
    static const int32_t quotas[] = {-2, 17, 20, 25, 30, 36, 50, 1000, -1};
    gboolean saw_cutoff = FALSE, saw_no_cutoff = FALSE, saw_no_quota = FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(quotas); i++) {
        TmSelection *sel = seed_selection(quotas[i], NULL, NULL);
        TmSummary *s = tm_selection_summary(sel);
        check_summary(s, sel);
        saw_cutoff |= tm_selection_merit_cutoff(sel, NULL, NULL);
        saw_no_cutoff |= !tm_selection_merit_cutoff(sel, NULL, NULL);
        saw_no_quota |= tm_selection_quota_total(sel) < 0;
        if (quotas[i] == -2)
            expect_int(s, "quota", 30);
        expect_none(s, "objective_value"); /* not requested */
        tm_summary_free(s);
        tm_selection_free(sel);
    }
    assert_true(saw_cutoff && saw_no_cutoff && saw_no_quota);
    /* an objective asked for: its value */
    TmSelectOptions *o = tm_select_options_new();
    GError *err = NULL;
    assert_true(tm_select_options_set_objective(o, TM_OBJECTIVE_SUPPLY_OPTIMAL, &err));
    TmSelection *sel = seed_selection(30, o, NULL);
    assert_true(tm_selection_objective_requested(sel));
    TmSummary *s = tm_selection_summary(sel);
    check_summary(s, sel);
    assert_int_equal(tm_summary_type(s, field(s, "objective_value")), TM_SUMMARY_DOUBLE);
    tm_summary_free(s);
    tm_selection_free(sel);
    tm_select_options_free(o);
    assert_null(tm_selection_summary(NULL));
}

/* A programme nobody is eligible in: no pairs, so the mean ranks are NONE. */
static void test_summary_no_pairs(void **state)
{
    (void)state;
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data("[rules]\nC_YEARS=true\nC_YEARS.min=9\nC_YEARS.max=9\n"
                                        "[quota]\ntotal=none\n",
                                        -1, "none.ini", &err);
    assert_no_error(err);
    TmProgramme *p = tm_programme_new(tm_config_taxonomy(cfg));
    assert_true(tm_forms_read_dir(p, SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    TmSelection *sel =
        tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL, &err);
    assert_no_error(err);
    TmSummary *s = tm_selection_summary(sel);
    check_summary(s, sel);
    expect_int(s, "assignments", 0);
    expect_none(s, "mean_rank_commissioner");
    expect_none(s, "mean_rank_site");
    expect_none(s, "quota");
    expect_none(s, "merit_cutoff");
    tm_summary_free(s);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

static void test_summary_setters(void **state)
{
    (void)state;
    TmSummary *s = tm_summary_new();
    assert_int_equal(tm_summary_n_fields(s), 0);
    tm_summary_set_int(s, "a", 7);
    tm_summary_set_double(s, "b", 2.75);
    tm_summary_set_text(s, "c", "héllo, \"world\"");
    tm_summary_set_none(s, "d");
    assert_int_equal(tm_summary_n_fields(s), 4);
    assert_int_equal(tm_summary_find(s, "c"), 2);
    assert_int_equal(tm_summary_find(s, "z"), -1);
    assert_int_equal(tm_summary_find(s, NULL), -1);
    assert_int_equal(tm_summary_type(s, 0), TM_SUMMARY_INT);
    assert_int_equal(tm_summary_type(s, 1), TM_SUMMARY_DOUBLE);
    assert_int_equal(tm_summary_type(s, 2), TM_SUMMARY_TEXT);
    assert_int_equal(tm_summary_type(s, 3), TM_SUMMARY_NONE);
    /* conversions */
    assert_int_equal(tm_summary_int(s, 0), 7);
    assert_true(tm_summary_double(s, 0) == 7.0);
    assert_int_equal(tm_summary_int(s, 1), 2); /* truncated */
    assert_true(tm_summary_double(s, 1) == 2.75);
    assert_int_equal(tm_summary_int(s, 2), 0);
    assert_true(isnan(tm_summary_double(s, 2)));
    assert_true(isnan(tm_summary_double(s, 3)));
    assert_null(tm_summary_text(s, 0));
    assert_string_equal(tm_summary_text(s, 2), "héllo, \"world\"");
    char *cell = tm_summary_format(s, 2);
    assert_string_equal(cell, "héllo, \"world\""); /* quoting is the CSV writer's */
    g_free(cell);
    /* out of range */
    assert_null(tm_summary_name(s, 4));
    assert_null(tm_summary_name(s, -1));
    assert_int_equal(tm_summary_type(s, 4), TM_SUMMARY_NONE);
    assert_int_equal(tm_summary_int(s, -1), 0);
    assert_true(isnan(tm_summary_double(s, 9)));
    assert_null(tm_summary_text(s, 9));
    assert_null(tm_summary_format(s, 4));
    assert_null(tm_summary_format(s, -1));
    /* replacing keeps the place and changes the type; new names go last */
    tm_summary_set_text(s, "a", "now text");
    assert_int_equal(tm_summary_find(s, "a"), 0);
    assert_int_equal(tm_summary_type(s, 0), TM_SUMMARY_TEXT);
    assert_string_equal(tm_summary_text(s, 0), "now text");
    tm_summary_set_int(s, "a", -3);
    assert_int_equal(tm_summary_type(s, 0), TM_SUMMARY_INT);
    assert_null(tm_summary_text(s, 0));
    assert_int_equal(tm_summary_int(s, 0), -3);
    tm_summary_set_text(s, "c", NULL); /* NULL text: NONE */
    assert_int_equal(tm_summary_type(s, 2), TM_SUMMARY_NONE);
    assert_null(tm_summary_text(s, 2));
    tm_summary_set_double(s, "e", 1.0 / 3.0);
    assert_int_equal(tm_summary_n_fields(s), 5);
    assert_string_equal(tm_summary_name(s, 4), "e");
    /* the text is copied */
    char *t = g_strdup("copied");
    tm_summary_set_text(s, "f", t);
    t[0] = 'X';
    assert_string_equal(tm_summary_text(s, 5), "copied");
    g_free(t);
    /* no-ops */
    tm_summary_set_int(s, NULL, 1);
    tm_summary_set_none(s, NULL);
    tm_summary_set_text(s, NULL, "x");
    tm_summary_set_double(s, NULL, 1);
    assert_int_equal(tm_summary_n_fields(s), 6);
    tm_summary_set_int(NULL, "a", 1);
    tm_summary_set_double(NULL, "a", 1);
    tm_summary_set_text(NULL, "a", "x");
    tm_summary_set_none(NULL, "a");
    assert_int_equal(tm_summary_n_fields(NULL), 0);
    assert_null(tm_summary_name(NULL, 0));
    assert_int_equal(tm_summary_find(NULL, "a"), -1);
    assert_null(tm_summary_format(NULL, 0));
    /* large integers exactly; huge doubles not truncated into nonsense */
    tm_summary_set_int(s, "big", INT64_MIN);
    cell = tm_summary_format(s, tm_summary_find(s, "big"));
    assert_string_equal(cell, "-9223372036854775808");
    g_free(cell);
    tm_summary_set_double(s, "huge", 1e300);
    assert_int_equal(tm_summary_int(s, tm_summary_find(s, "huge")), 0);
    tm_summary_free(s);
    tm_summary_free(NULL);
}

/* The significant digits of a "%g" text (leading zeros not counted). */
static int significant_digits(const char *text)
{
    int digits = 0;
    gboolean started = FALSE;
    for (const char *c = text; *c && *c != 'e' && *c != 'E'; c++) {
        if (!g_ascii_isdigit(*c))
            continue;
        started = started || *c != '0';
        digits += started;
    }
    return digits;
}

static void test_summary_format(void **state)
{
    (void)state;
    TmSummary *s = tm_summary_new();
    static const struct {
        double x;
        const char *want;
    } fixed[] = {
        {0.1, "0.1"},        {0.5, "0.5"},       {1.0, "1"},       {-2.5, "-2.5"},
        {1e300, "1e+300"},   {123456789.0, "123456789"},           {0.0, "0"},
        {1.0 / 3.0, "0.3333333333333333"},       {2.0 / 3.0, "0.6666666666666666"},
        {5e-324, "5e-324"},    {0.1 + 0.2, "0.30000000000000004"},    {1e21, "1e+21"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++) {
        tm_summary_set_double(s, "x", fixed[i].x);
        char *cell = tm_summary_format(s, 0);
        if (strcmp(cell, fixed[i].want) != 0)
            fail_msg("%.17g: \"%s\", want \"%s\"", fixed[i].x, cell, fixed[i].want);
        g_free(cell);
    }
    static const struct {
        double x;
        const char *want;
    } special[] = {{INFINITY, "inf"}, {-INFINITY, "-inf"}, {NAN, "nan"}};
    for (size_t i = 0; i < G_N_ELEMENTS(special); i++) {
        tm_summary_set_double(s, "x", special[i].x);
        char *cell = tm_summary_format(s, 0);
        assert_string_equal(cell, special[i].want);
        g_free(cell);
    }
    /* random doubles: exact round trip through g_ascii_strtod, and no
     * shorter precision would do */
    GRand *rng = g_rand_new_with_seed(42);
    for (int i = 0; i < 20000; i++) {
        double x;
        if (i % 2 == 0) {
            guint64 bits = ((guint64)g_rand_int(rng) << 32) | g_rand_int(rng);
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x))
                continue;
        } else {
            x = g_rand_double_range(rng, -1000, 1000) / (double)g_rand_int_range(rng, 1, 1000);
        }
        tm_summary_set_double(s, "x", x);
        char *cell = tm_summary_format(s, 0);
        char *end = NULL;
        double back = g_ascii_strtod(cell, &end);
        if (back != x || *end != '\0')
            fail_msg("%.17g formatted as \"%s\" reads back as %.17g", x, cell, back);
        int p = significant_digits(cell);
        if (p > 1) {
            char shorter[40];
            g_snprintf(shorter, sizeof shorter, "%.*g", p - 1, x);
            if (g_ascii_strtod(shorter, NULL) == x)
                fail_msg("%.17g: \"%s\" but \"%s\" reads back too", x, cell, shorter);
        }
        g_free(cell);
    }
    g_rand_free(rng);
    tm_summary_free(s);
}

/* ---- tm_job_run ------------------------------------------------------------------ */

/* Equal field by field, names and types; `seconds` only in @job, last. */
static void assert_same_summary(const TmSummary *job, const TmSummary *plain)
{
    assert_int_equal(tm_summary_n_fields(job), tm_summary_n_fields(plain) + 1);
    for (int32_t i = 0; i < tm_summary_n_fields(plain); i++) {
        assert_string_equal(tm_summary_name(job, i), tm_summary_name(plain, i));
        assert_int_equal(tm_summary_type(job, i), tm_summary_type(plain, i));
        char *a = tm_summary_format(job, i), *b = tm_summary_format(plain, i);
        if (strcmp(a, b) != 0)
            fail_msg("%s: %s vs %s", tm_summary_name(job, i), a, b);
        g_free(a);
        g_free(b);
    }
    int32_t sec = tm_summary_n_fields(plain);
    assert_string_equal(tm_summary_name(job, sec), "seconds");
    assert_int_equal(tm_summary_type(job, sec), TM_SUMMARY_DOUBLE);
    assert_true(tm_summary_double(job, sec) >= 0);
}

static void test_job_run_equal(void **state)
{
    (void)state;
    GError *err = NULL;
    /* the folder's own programme.ini (config NULL) */
    TmSummary *job = tm_job_run(SEED_DIR, NULL, NULL, NULL, &err);
    assert_no_error(err);
    TmSelection *sel = seed_selection(-2, NULL, NULL);
    TmSummary *plain = tm_selection_summary(sel);
    assert_same_summary(job, plain);
    tm_summary_free(plain);
    tm_summary_free(job);
    tm_selection_free(sel);
    /* a given configuration and options */
    static const int32_t quotas[] = {18, 24, 33, -1};
    for (size_t i = 0; i < G_N_ELEMENTS(quotas); i++) {
        TmSelectOptions *o = tm_select_options_new();
        assert_true(tm_select_options_set_objective(o, TM_OBJECTIVE_SUPPLY_OPTIMAL, &err));
        assert_true(tm_select_options_set_k(o, 4, &err));
        TmConfig *cfg = NULL;
        sel = seed_selection(quotas[i], o, &cfg);
        plain = tm_selection_summary(sel);
        job = tm_job_run(SEED_DIR, cfg, o, NULL, &err);
        assert_no_error(err);
        assert_same_summary(job, plain);
        tm_summary_free(plain);
        tm_summary_free(job);
        tm_selection_free(sel);
        tm_config_free(cfg);
        tm_select_options_free(o);
    }
}

static void test_job_run_outputs(void **state)
{
    (void)state;
    char *tmp = g_dir_make_tmp("tm-job-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    GError *err = NULL;
    TmSummary *job = tm_job_run(SEED_DIR, NULL, NULL, out, &err);
    assert_no_error(err);
    static const char *const files[] = {"assignments.csv", "assignments.json", "report.md"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *f = g_build_filename(out, files[i], NULL);
        if (!g_file_test(f, G_FILE_TEST_IS_REGULAR))
            fail_msg("no %s", f);
        g_free(f);
    }
    /* the CSV has one line per assignment (and a header) */
    char *csv_path = g_build_filename(out, "assignments.csv", NULL), *csv = NULL;
    assert_true(g_file_get_contents(csv_path, &csv, NULL, NULL));
    int lines = 0;
    for (const char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, tm_summary_int(job, tm_summary_find(job, "assignments")) + 1);
    g_free(csv);
    g_free(csv_path);
    tm_summary_free(job);
    /* an out_dir that cannot be made: the write's error, no summary */
    char *blocker = g_build_filename(tmp, "file", NULL);
    assert_true(g_file_set_contents(blocker, "x", -1, NULL));
    char *under = g_build_filename(blocker, "out", NULL);
    assert_null(tm_job_run(SEED_DIR, NULL, NULL, under, &err));
    assert_non_null(err);
    g_clear_error(&err);
    g_free(under);
    g_free(blocker);
    tt_remove_tree(tmp);
    g_free(out);
    g_free(tmp);
}

static void test_job_run_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-job-XXXXXX", NULL);
    /* a missing folder; a folder without forms */
    char *missing = g_build_filename(tmp, "missing", NULL);
    assert_null(tm_job_run(missing, NULL, NULL, NULL, &err));
    tt_expect_error(&err, TM_ERROR_IO, "");
    assert_null(tm_job_run(tmp, NULL, NULL, NULL, &err));
    tt_expect_error(&err, TM_ERROR_IO, "sites");
    /* a bad form: the file and its line */
    char *sites = NULL, *comms = NULL;
    assert_true(g_file_get_contents(SEED_DIR "/sites.csv", &sites, NULL, NULL));
    assert_true(g_file_get_contents(SEED_DIR "/commissioners.csv", &comms, NULL, NULL));
    char *bad = g_build_filename(tmp, "bad", NULL);
    g_mkdir(bad, 0755);
    char *sp = g_build_filename(bad, "sites.csv", NULL);
    char *cp = g_build_filename(bad, "commissioners.csv", NULL);
    assert_true(g_file_set_contents(sp, sites, -1, NULL));
    /* line 3 of the application form: the second row, its title broken */
    GString *c = g_string_new(NULL);
    char **rows = g_strsplit(comms, "\n", -1);
    for (int i = 0; rows[i] != NULL; i++) {
        if (i == 2) {
            /* 序号,姓名,职称,...: the third cell, the title */
            char *comma = strchr(rows[i], ',');
            char *comma2 = comma ? strchr(comma + 1, ',') : NULL;
            char *comma3 = comma2 ? strchr(comma2 + 1, ',') : NULL;
            assert_non_null(comma3);
            g_string_append_len(c, rows[i], comma2 - rows[i] + 1);
            g_string_append(c, "grand-master");
            g_string_append(c, comma3);
        } else {
            g_string_append(c, rows[i]);
        }
        if (rows[i + 1] != NULL)
            g_string_append_c(c, '\n');
    }
    g_strfreev(rows);
    assert_true(g_file_set_contents(cp, c->str, -1, NULL));
    g_string_free(c, TRUE);
    assert_null(tm_job_run(bad, NULL, NULL, NULL, &err));
    assert_non_null(err);
    if (strstr(err->message, "commissioners.csv:3") == NULL)
        fail_msg("expected commissioners.csv:3 in: %s", err->message);
    g_clear_error(&err);
    /* a bad programme.ini */
    g_remove(cp);
    assert_true(g_file_set_contents(cp, comms, -1, NULL));
    char *ini = g_build_filename(bad, "programme.ini", NULL);
    assert_true(g_file_set_contents(ini, "[quota]\ntotal=lots\n", -1, NULL));
    assert_null(tm_job_run(bad, NULL, NULL, NULL, &err));
    char *want = g_strdup_printf("%s:2: [quota] total", ini);
    tt_expect_error(&err, TM_ERROR_PARSE, want);
    g_free(want);
    assert_null(tm_job_run(NULL, NULL, NULL, NULL, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    g_free(ini);
    g_free(sp);
    g_free(cp);
    g_free(bad);
    g_free(sites);
    g_free(comms);
    g_free(missing);
    tt_remove_tree(tmp);
    g_free(tmp);
}

/* ---- two threads at once ---------------------------------------------------------- */

#define N_THREAD_JOBS 8

typedef struct {
    TmConfig *configs[N_THREAD_JOBS];
    TmSummary *rows[N_THREAD_JOBS];
    gint next;
} Shared;

static gpointer worker(gpointer data)
{
    Shared *sh = data;
    for (;;) {
        int j = g_atomic_int_add(&sh->next, 1);
        if (j >= N_THREAD_JOBS)
            return NULL;
        GError *err = NULL;
        sh->rows[j] = tm_job_run(SEED_DIR, sh->configs[j], NULL, NULL, &err);
        if (err != NULL)
            g_error_free(err);
    }
}

static void test_job_run_threads(void **state)
{
    (void)state;
    GError *err = NULL;
    Shared sh = {{NULL}, {NULL}, 0};
    TmSummary *serial[N_THREAD_JOBS];
    for (int j = 0; j < N_THREAD_JOBS; j++) {
        sh.configs[j] = tm_config_load_for_dir(SEED_DIR, &err);
        assert_no_error(err);
        assert_true(tm_config_set_quota_total(sh.configs[j], 17 + 3 * j, &err));
        serial[j] = tm_job_run(SEED_DIR, sh.configs[j], NULL, NULL, &err);
        assert_no_error(err);
    }
    GThread *t1 = g_thread_new("job1", worker, &sh);
    GThread *t2 = g_thread_new("job2", worker, &sh);
    g_thread_join(t1);
    g_thread_join(t2);
    for (int j = 0; j < N_THREAD_JOBS; j++) {
        assert_non_null(sh.rows[j]);
        int32_t n = tm_summary_n_fields(serial[j]);
        assert_int_equal(tm_summary_n_fields(sh.rows[j]), n);
        for (int32_t i = 0; i < n; i++) {
            assert_string_equal(tm_summary_name(sh.rows[j], i), tm_summary_name(serial[j], i));
            if (strcmp(tm_summary_name(serial[j], i), "seconds") == 0)
                continue;
            char *a = tm_summary_format(sh.rows[j], i), *b = tm_summary_format(serial[j], i);
            assert_string_equal(a, b);
            g_free(a);
            g_free(b);
        }
        tm_summary_free(sh.rows[j]);
        tm_summary_free(serial[j]);
        tm_config_free(sh.configs[j]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_fields),  cmocka_unit_test(test_summary_no_pairs),
        cmocka_unit_test(test_summary_setters), cmocka_unit_test(test_summary_format),
        cmocka_unit_test(test_job_run_equal),   cmocka_unit_test(test_job_run_outputs),
        cmocka_unit_test(test_job_run_errors),  cmocka_unit_test(test_job_run_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
