/* Draft cooperation agreements (agreement.h): the built-in template filled
 * for every assignment of the seed, placeholders one by one on a template of
 * our own, template errors at line:column, unsafe file names, and the
 * agreements/ folder replaced with the set (an earlier run's drafts go, a
 * foreign file in it is refused untouched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

#define SEED TM_SOURCE_DIR "/seeds/jinshui-2011"

static TmSelection *seed_selection(TmProgramme **p_out, TmConfig **cfg_out)
{
    return tt_run_selection(SEED, p_out, cfg_out);
}

static void test_seed_default(void **state)
{
    (void)state;
    TmProgramme *p;
    TmConfig *cfg;
    TmSelection *sel = seed_selection(&p, &cfg);
    char **names = NULL, **texts = NULL;
    GError *err = NULL;
    assert_true(tm_selection_agreements(sel, NULL, NULL, &names, &texts, &err));
    int64_t n = tm_matching_n_pairs(tm_selection_matching(sel));
    assert_int_equal(g_strv_length(names), n);
    assert_int_equal(g_strv_length(texts), n);
    /* every draft names its pair and leaves no placeholder */
    int i = 0;
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c,
                                                    &k);
        for (int32_t j = 0; j < k; j++, i++) {
            const char *cn = tm_programme_commissioner(p, c)->name;
            const char *sn = tm_programme_site(p, sites[j])->name;
            char *want = g_strdup_printf("%03d-%s-%s.md", i + 1, cn, sn);
            assert_string_equal(names[i], want);
            g_free(want);
            assert_non_null(strstr(texts[i], cn));
            assert_non_null(strstr(texts[i], sn));
            assert_null(strstr(texts[i], "{{"));
            assert_non_null(strstr(texts[i], "合作协议"));
        }
    }
    /* the team line of a team */
    gboolean team_seen = FALSE;
    for (i = 0; texts[i]; i++)
        team_seen = team_seen || strstr(texts[i], "（团队，6人）") != NULL;
    assert_true(team_seen);
    g_strfreev(names);
    g_strfreev(texts);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

/* A two-by-two programme built by hand: every placeholder's value. */
static void test_placeholders(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmExpertise ex = {0, 3};
    const char *wish[] = {"甲/公司"};
    TmCommissioner c = {0};
    c.name = "张三";
    c.team_size = 4;
    c.title = TM_TITLE_SENIOR;
    c.unit = "郑州大学";
    c.unit_kind = TM_UNIT_UNIVERSITY;
    c.unit_support = TRUE;
    c.expertise = &ex;
    c.n_expertise = 1;
    c.years = 2;
    c.capacity = 1;
    c.x = c.y = TM_NO_LOCATION;
    c.merit = 88.5;
    c.ranked_sites = wish;
    c.n_ranked_sites = 1;
    c.tasks = (1u << TM_TASK_KEY_RD) | (1u << TM_TASK_TRAINING);
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    TmSite s = {0};
    s.name = "甲/公司"; /* '/' is not safe in a file name */
    s.kind = TM_SITE_HIGH_TECH;
    s.sector = 0;
    s.years = 1;
    s.capacity = 1;
    s.x = s.y = TM_NO_LOCATION;
    s.location = "花园路";
    s.tasks = (1u << TM_TASK_KEY_RD) | (1u << TM_TASK_STRATEGY);
    assert_int_equal(tm_programme_add_site(p, &s, &err), 0);
    TmRules *rules = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, rules, NULL, NULL, &err);
    assert_non_null(sel);
    assert_int_equal(tm_matching_n_pairs(tm_selection_matching(sel)), 1);
    const char *tmpl = "{{number}}|{{commissioner}}|{{team}}|{{title}}|{{unit}}|{{unit_kind}}|\n"
                       "{{site}}|{{site_kind}}|{{sector}}|{{sector_en}}|{{location}}|\n"
                       "{{tasks}}|{{years}}|{{ merit }}|{{{{}}x}}\n";
    char **names = NULL, **texts = NULL;
    assert_true(tm_selection_agreements(sel, tmpl, "t.md", &names, &texts, &err));
    assert_string_equal(names[0], "001-张三-甲_公司.md");
    assert_string_equal(texts[0], "001|张三|（团队，4人）|高级|郑州大学|高校|\n"
                                  "甲/公司|高新技术企业|电子信息|electronic information|花园路|\n"
                                  "关键技术研发|2|88.5|{{x}}\n");
    g_strfreev(names);
    g_strfreev(texts);
    /* in English: every word of the placeholders; names and codes as given */
    assert_true(tm_selection_agreements_lang(sel, tmpl, "t.md", TM_LANG_EN, &names, &texts,
                                             &err));
    assert_string_equal(names[0], "001-张三-甲_公司.md");
    char *want = g_strdup_printf("001|张三| (a team of 4)|%s|郑州大学|%s|\n"
                                 "甲/公司|%s|electronic information|electronic information|"
                                 "花园路|\njoint R&D on key technologies|2|88.5|{{x}}\n",
                                 tm_title_label(TM_TITLE_SENIOR, TM_LANG_EN),
                                 tm_unit_kind_label(TM_UNIT_UNIVERSITY, TM_LANG_EN),
                                 tm_site_kind_label(TM_SITE_HIGH_TECH, TM_LANG_EN));
    assert_string_equal(texts[0], want);
    g_free(want);
    g_strfreev(names);
    g_strfreev(texts);
    /* AUTO: this programme was built in code, so English; Chinese once set */
    assert_true(tm_selection_agreements_lang(sel, NULL, NULL, TM_LANG_AUTO, &names, &texts,
                                             &err));
    assert_true(g_str_has_prefix(texts[0], "# Cooperation agreement"));
    assert_non_null(strstr(texts[0], "Party B (commissioner): 张三 (a team of 4)"));
    g_strfreev(names);
    g_strfreev(texts);
    tm_programme_set_language(p, TM_LANG_ZH);
    assert_true(tm_selection_agreements_lang(sel, NULL, NULL, TM_LANG_AUTO, &names, &texts,
                                             &err));
    assert_string_equal(tm_agreement_default_template_lang(TM_LANG_ZH),
                        tm_agreement_default_template());
    assert_true(g_str_has_prefix(texts[0], "# 科技特派员合作协议（草案）"));
    g_strfreev(names);
    g_strfreev(texts);
    tm_selection_free(sel);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static void test_template_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"ok\n{{site}} {{sitee}}\n", "t.md:2:10: unknown placeholder {{sitee}}"},
        {"{{site\n}}", "t.md:1:1: '{{' without a closing '}}' on the same line"},
        {"abc {{", "t.md:1:5: '{{' without"},
        {"\xff", "t.md: the template is not valid UTF-8"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        assert_false(tm_agreement_check_template(bad[i].text, "t.md", &err));
        assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_PARSE));
        if (!g_str_has_prefix(err->message, bad[i].want))
            fail_msg("case %zu: '%s' does not start with '%s'", i, err->message, bad[i].want);
        g_error_free(err);
    }
    GError *err = NULL;
    assert_true(tm_agreement_check_template(tm_agreement_default_template(), NULL, &err));
    assert_false(tm_agreement_check_template(NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    /* a bad template writes nothing */
    TmProgramme *p;
    TmConfig *cfg;
    TmSelection *sel = seed_selection(&p, &cfg);
    char *tmp = g_dir_make_tmp("tm-agr-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    assert_false(tm_selection_write_with_agreements(sel, out, "{{nope}}", "mine.md", &err));
    assert_true(g_str_has_prefix(err->message, "mine.md:1:1: unknown placeholder"));
    g_clear_error(&err);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    g_rmdir(tmp);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

static int count_files(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;
    if (d == NULL)
        return -1;
    while (g_dir_read_name(d) != NULL)
        n++;
    g_dir_close(d);
    return n;
}

static void test_folder_replaced(void **state)
{
    (void)state;
    TmProgramme *p;
    TmConfig *cfg;
    TmSelection *sel = seed_selection(&p, &cfg);
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-agr-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    char *agr = g_build_filename(out, "agreements", NULL);
    assert_true(tm_selection_write(sel, out, &err));
    int n = (int)tm_matching_n_pairs(tm_selection_matching(sel));
    assert_int_equal(count_files(agr), n);
    /* an earlier run's extra draft goes with the old set */
    char *stale = g_build_filename(agr, "999-old-old.md", NULL);
    assert_true(g_file_set_contents(stale, "old", -1, NULL));
    assert_true(tm_selection_write_with_agreements(sel, out, "{{number}}\n", NULL, &err));
    assert_int_equal(count_files(agr), n);
    assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));
    char *text = NULL, *first = g_build_filename(agr, "001-王建华-河南智行交通科技有限公司.md", NULL);
    assert_true(g_file_get_contents(first, &text, NULL, NULL));
    assert_string_equal(text, "001\n");
    g_free(text);
    /* a foreign file in agreements/: refused, nothing touched */
    char *foreign = g_build_filename(agr, "notes.txt", NULL);
    assert_true(g_file_set_contents(foreign, "mine", -1, NULL));
    assert_false(tm_selection_write(sel, out, &err));
    assert_non_null(strstr(err->message, "notes.txt"));
    g_clear_error(&err);
    assert_true(g_file_test(foreign, G_FILE_TEST_EXISTS));
    assert_true(g_file_get_contents(first, &text, NULL, NULL));
    assert_string_equal(text, "001\n");
    g_free(text);
    /* clean up */
    g_unlink(foreign);
    GDir *d = g_dir_open(agr, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        char *f = g_build_filename(agr, name, NULL);
        g_unlink(f);
        g_free(f);
    }
    g_dir_close(d);
    g_rmdir(agr);
    static const char *const docs[] = {"assignments.csv", "assignments.json", "report.md"};
    for (size_t i = 0; i < 3; i++) {
        char *f = g_build_filename(out, docs[i], NULL);
        g_unlink(f);
        g_free(f);
    }
    g_rmdir(out);
    g_rmdir(tmp);
    g_free(first);
    g_free(foreign);
    g_free(stale);
    g_free(agr);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

static void record_fraction(double fraction, gpointer data)
{
    g_array_append_val((GArray *)data, fraction);
}

/* Removes the set written into @out (three documents, agreements/). */
static void remove_set(const char *out)
{
    char *agr = g_build_filename(out, "agreements", NULL);
    GDir *d = g_dir_open(agr, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        char *f = g_build_filename(agr, name, NULL);
        g_unlink(f);
        g_free(f);
    }
    if (d != NULL)
        g_dir_close(d);
    g_rmdir(agr);
    g_free(agr);
    static const char *const docs[] = {"assignments.csv", "assignments.json", "report.md",
                                       "report.html", "assignments.xlsx"};
    for (size_t i = 0; i < G_N_ELEMENTS(docs); i++) {
        char *f = g_build_filename(out, docs[i], NULL);
        g_unlink(f);
        g_free(f);
    }
    g_rmdir(out);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

/* tm_output_options_set_progress: tm_selection_write_with() reports the
 * fraction written, non-decreasing in [0, 1], ending at 1 (only once the set
 * is flushed), more than once for the seed's 45 documents but never more
 * than once per document plus the flush; the drafts from the options'
 * template; a failure to write (a file where the folder's parent should be)
 * writes nothing and never reports 1. */
static void test_write_progress(void **state)
{
    (void)state;
    TmProgramme *p;
    TmConfig *cfg;
    TmSelection *sel = seed_selection(&p, &cfg);
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-agr-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    GArray *seen = g_array_new(FALSE, FALSE, sizeof(double));
    TmOutputOptions *opts = tm_output_options_new();
    assert_true(tm_output_options_set_agreement_template(opts, "{{site}}\n", "t.md", &err));
    tm_output_options_set_progress(opts, record_fraction, seen);
    assert_true(tm_selection_write_with(sel, out, opts, &err));
    char *path = g_build_filename(out, "agreements", "001-王建华-河南智行交通科技有限公司.md", NULL);
    char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "河南智行交通科技有限公司\n");
    g_free(text);
    g_free(path);
    guint n_docs = 4 + (guint)tm_matching_n_pairs(tm_selection_matching(sel));
    assert_true(seen->len > 2 && seen->len <= n_docs + 1);
    for (guint i = 0; i < seen->len; i++) {
        double f = g_array_index(seen, double, i);
        assert_true(f >= 0.0 && f <= 1.0);
        assert_true(i == 0 || f >= g_array_index(seen, double, i - 1));
    }
    assert_true(g_array_index(seen, double, seen->len - 1) == 1.0);
    assert_true(g_array_index(seen, double, seen->len - 2) < 1.0); /* 1 only once flushed */
    remove_set(out);
    /* cleared: no calls */
    g_array_set_size(seen, 0);
    tm_output_options_set_progress(opts, NULL, seen);
    assert_true(tm_selection_write_with(sel, out, opts, &err));
    assert_int_equal(seen->len, 0);
    remove_set(out);
    /* a failure: nothing written, no 1 */
    tm_output_options_set_progress(opts, record_fraction, seen);
    char *blocker = g_build_filename(tmp, "file", NULL);
    assert_true(g_file_set_contents(blocker, "x", -1, NULL));
    char *under = g_build_filename(blocker, "out", NULL);
    assert_false(tm_selection_write_with(sel, under, opts, &err));
    g_clear_error(&err);
    for (guint i = 0; i < seen->len; i++)
        assert_true(g_array_index(seen, double, i) < 1.0);
    assert_false(g_file_test(under, G_FILE_TEST_EXISTS));
    g_unlink(blocker);
    g_free(blocker);
    g_free(under);
    tm_output_options_free(opts);
    g_array_free(seen, TRUE);
    g_rmdir(tmp);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_default),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_template_errors),
        cmocka_unit_test(test_folder_replaced),
        cmocka_unit_test(test_write_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
