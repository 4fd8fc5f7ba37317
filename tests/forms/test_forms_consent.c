/* forms.consent — the `tasks` (任务类型) and `consent` (只接受所列意向)
 * columns of both forms (docs/forms.md): every accepted spelling, each bad
 * cell at its file:line:column with the header as written, strict and
 * lenient, the consent reaching the market through a directory read, and the
 * seed's values. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/forms.h>
#include <techmatch/preferences.h>
#include <techmatch/rules.h>
#include <techmatch/tasks.h>

#define T(x) (1u << (x))

static TmProgramme *read_sites(const char *csv, TmFormsMode mode, TmFormDiagnostics *d,
                               GError **err)
{
    TmProgramme *p = tm_programme_new(NULL);
    if (!tm_forms_read_sites_data(p, csv, -1, "sites.csv", mode, d, err)) {
        tm_programme_free(p);
        return NULL;
    }
    return p;
}

static void test_tasks_good(void **state)
{
    (void)state;
    /* codes, Chinese names, English names, synonyms, every separator, a task
     * under two spellings, an empty cell */
    const char *csv = "名称,类型,行业,任务类型\n"
                      "A,high_tech,eit,示范园区和企业建设；技术引进与推广\n"
                      "B,high_tech,eit,key_rd;Training\n"
                      "C,high_tech,eit,\"Talent Training、community health services\"\n"
                      "D,high_tech,eit,研发，社区卫生\n"
                      "E,high_tech,eit,培训；人才培养；创新战略管理\n"
                      "F,high_tech,eit,\n"
                      "G,high_tech,eit,\"strategy\ndemonstration\"\n";
    GError *err = NULL;
    TmProgramme *p = read_sites(csv, TM_FORMS_STRICT, NULL, &err);
    assert_null(err);
    const uint32_t want[] = {
        T(TM_TASK_DEMONSTRATION) | T(TM_TASK_TECH_TRANSFER), T(TM_TASK_KEY_RD) | T(TM_TASK_TRAINING),
        T(TM_TASK_TRAINING) | T(TM_TASK_HEALTH),             T(TM_TASK_KEY_RD) | T(TM_TASK_HEALTH),
        T(TM_TASK_TRAINING) | T(TM_TASK_STRATEGY),           0,
        T(TM_TASK_STRATEGY) | T(TM_TASK_DEMONSTRATION),
    };
    assert_int_equal(tm_programme_n_sites(p), 7);
    for (int32_t s = 0; s < 7; s++)
        assert_int_equal(tm_programme_site(p, s)->tasks, want[s]);
    tm_programme_free(p);

    /* the application form, English header and an alias */
    p = tm_programme_new(NULL);
    const char *comms = "name,title,unit_kind,unit_support,服务任务\n"
                        "X,senior,university,yes,health\n"
                        "Y,senior,university,yes,关键技术研发；创新战略与管理\n";
    assert_true(tm_forms_read_commissioners_data(p, comms, -1, "c.csv", TM_FORMS_STRICT, NULL,
                                                 &err));
    assert_int_equal(tm_programme_commissioner(p, 0)->tasks, T(TM_TASK_HEALTH));
    assert_int_equal(tm_programme_commissioner(p, 1)->tasks,
                     T(TM_TASK_KEY_RD) | T(TM_TASK_STRATEGY));
    tm_programme_free(p);
}

static const char KNOWN[] =
    "(the plan's six: demonstration 示范园区和企业建设, tech_transfer 技术引进与推广, strategy "
    "创新战略与管理, key_rd 关键技术研发, training 人才培养, health 社区卫生服务; or a synonym "
    "listed in docs/forms.md)";

static void test_tasks_bad(void **state)
{
    (void)state;
    const char *csv = "名称,类型,行业,任务类型\n"
                      "A,high_tech,eit,示范\n"
                      "B,high_tech,eit,示范；炼钢；培训\n";
    GError *err = NULL;
    TmProgramme *p = read_sites(csv, TM_FORMS_STRICT, NULL, &err);
    assert_null(p);
    assert_non_null(err);
    char *want = g_strdup_printf("sites.csv:3:4: 任务类型: unknown task type '炼钢' %s", KNOWN);
    assert_string_equal(err->message, want);
    assert_int_equal(err->code, TM_ERROR_PARSE);
    g_free(want);
    g_clear_error(&err);

    /* lenient: the row is skipped with the same error as a diagnostic */
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    p = read_sites(csv, TM_FORMS_LENIENT, d, &err);
    assert_null(err);
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    const TmFormDiagnostic *x = tm_form_diagnostics_get(d, 0);
    assert_int_equal(tm_form_diagnostic_line(x), 3);
    assert_int_equal(tm_form_diagnostic_column(x), 4);
    assert_string_equal(tm_form_diagnostic_field(x), "任务类型");
    assert_int_equal(tm_form_diagnostic_severity(x), TM_FORM_ERROR);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);

    /* the application form, English header in column 2 */
    p = tm_programme_new(NULL);
    const char *comms = "name,tasks,title,unit_kind,unit_support\n"
                        "X,demo,senior,university,yes\n"
                        "\n"
                        "Y,steel making,senior,university,yes\n";
    assert_false(tm_forms_read_commissioners_data(p, comms, -1, "commissioners.csv",
                                                  TM_FORMS_STRICT, NULL, &err));
    want = g_strdup_printf("commissioners.csv:4:2: tasks: unknown task type 'steel making' %s",
                           KNOWN);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_commissioners(p), 0); /* strict: all or nothing */
    tm_programme_free(p);
}

static void test_consent_good(void **state)
{
    (void)state;
    const char *csv = "名称,类型,行业,只接受所列意向\n"
                      "A,high_tech,eit,是\n"
                      "B,high_tech,eit,否\n"
                      "C,high_tech,eit,named\n"
                      "D,high_tech,eit,OPEN\n"
                      "E,high_tech,eit,仅意向\n"
                      "F,high_tech,eit,不限\n"
                      "G,high_tech,eit,\n"
                      "H,high_tech,eit,默认\n"
                      "I,high_tech,eit,yes\n"
                      "J,high_tech,eit,不服从调剂\n";
    const TmConsent want[] = {TM_CONSENT_NAMED_ONLY, TM_CONSENT_OPEN,    TM_CONSENT_NAMED_ONLY,
                              TM_CONSENT_OPEN,       TM_CONSENT_NAMED_ONLY, TM_CONSENT_OPEN,
                              TM_CONSENT_DEFAULT,    TM_CONSENT_DEFAULT, TM_CONSENT_NAMED_ONLY,
                              TM_CONSENT_NAMED_ONLY};
    GError *err = NULL;
    TmProgramme *p = read_sites(csv, TM_FORMS_STRICT, NULL, &err);
    assert_null(err);
    assert_int_equal(tm_programme_n_sites(p), 10);
    for (int32_t s = 0; s < 10; s++)
        assert_int_equal(tm_programme_site(p, s)->consent, want[s]);
    tm_programme_free(p);

    /* the application form with the alias 双向选择方式 */
    p = tm_programme_new(NULL);
    const char *comms = "姓名,职称,单位类型,单位支持,双向选择方式\n"
                        "X,教授,高校,是,仅意向\n"
                        "Y,教授,高校,是,\n";
    assert_true(tm_forms_read_commissioners_data(p, comms, -1, "c.csv", TM_FORMS_STRICT, NULL,
                                                 &err));
    assert_int_equal(tm_programme_commissioner(p, 0)->consent, TM_CONSENT_NAMED_ONLY);
    assert_int_equal(tm_programme_commissioner(p, 1)->consent, TM_CONSENT_DEFAULT);
    tm_programme_free(p);
}

static void test_consent_bad(void **state)
{
    (void)state;
    const char *comms = "姓名,职称,单位类型,单位支持,意向派驻点,只接受所列意向\n"
                        "X,教授,高校,是,S1,是\n"
                        "Y,教授,高校,是,S1,也许\n";
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_false(tm_forms_read_commissioners_data(p, comms, -1, "commissioners.csv",
                                                  TM_FORMS_STRICT, NULL, &err));
    assert_string_equal(err->message,
                        "commissioners.csv:3:6: 只接受所列意向: consent '也许' is neither named "
                        "nor open (give 是/yes/named/仅意向 for only the partners named in the "
                        "wishes, 否/no/open/不限 for any partner the rules allow, or leave it "
                        "empty for the configuration's default)");
    g_clear_error(&err);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_commissioners_data(p, comms, -1, "commissioners.csv",
                                                 TM_FORMS_LENIENT, d, &err));
    assert_int_equal(tm_programme_n_commissioners(p), 1);
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    char *s = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 0));
    assert_true(g_str_has_prefix(s, "commissioners.csv:3:6: 只接受所列意向: consent '也许'"));
    g_free(s);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

/* Both forms in a directory: the consent reaches the market. */
static void test_consent_dir(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("tm-consent-XXXXXX", NULL);
    assert_non_null(dir);
    char *sp = g_build_filename(dir, "sites.csv", NULL);
    char *cp = g_build_filename(dir, "commissioners.csv", NULL);
    const char *sites = "名称,类型,行业,意向特派员,只接受所列意向,任务类型\n"
                        "S1,high_tech,eit,C2,是,关键技术研发\n"
                        "S2,high_tech,eit,,,技术引进与推广\n";
    const char *comms = "姓名,职称,单位类型,单位支持,专长,意向派驻点,只接受所列意向,任务类型\n"
                        "C1,教授,高校,是,eit:3,S1,否,关键技术研发\n"
                        "C2,教授,高校,是,eit:3,,,技术引进与推广\n"
                        "C3,教授,高校,是,eit:3,S2,是,人才培养\n";
    assert_true(g_file_set_contents(sp, sites, -1, NULL));
    assert_true(g_file_set_contents(cp, comms, -1, NULL));
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err));
    assert_null(err);
    TmRules *r = tm_rules_new_default();
    TmPrefsOptions *o = tm_prefs_options_new();
    assert_true(tm_prefs_options_set_k(o, 0, NULL));
    TmMarket *m = tm_programme_build_market(p, r, NULL, o, NULL, &err);
    assert_non_null(m);
    /* S1 accepts only C2; C3 accepts only S2 */
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 0), -1);
    assert_true(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 0) >= 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 2, 0), -1);
    assert_true(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1) >= 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 2, 1), 0);
    assert_int_equal(tm_market_n_pairs(m), 4); /* C1-S2, C2-S1, C2-S2, C3-S2 */
    tm_market_free(m);
    tm_prefs_options_free(o);
    tm_rules_free(r);
    tm_programme_free(p);
    g_unlink(sp);
    g_unlink(cp);
    g_rmdir(dir);
    g_free(sp);
    g_free(cp);
    g_free(dir);
}

/* The seed: every agent says its tasks; two of each side accept only whom
 * they named, and each of them named someone. */
static void test_seed(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_dir(p, TM_SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    int named[2] = {0, 0}, open[2] = {0, 0};
    uint32_t all = 0;
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++) {
        const TmCommissioner *x = tm_programme_commissioner(p, c);
        assert_true(x->tasks != 0);
        all |= x->tasks;
        named[0] += x->consent == TM_CONSENT_NAMED_ONLY;
        open[0] += x->consent == TM_CONSENT_OPEN;
        assert_true(x->consent != TM_CONSENT_NAMED_ONLY || x->n_ranked_sites > 0);
    }
    for (int32_t s = 0; s < tm_programme_n_sites(p); s++) {
        const TmSite *x = tm_programme_site(p, s);
        assert_true(x->tasks != 0);
        all |= x->tasks;
        named[1] += x->consent == TM_CONSENT_NAMED_ONLY;
        open[1] += x->consent == TM_CONSENT_OPEN;
        assert_true(x->consent != TM_CONSENT_NAMED_ONLY || x->n_ranked_commissioners > 0);
    }
    assert_int_equal(all, TM_TASKS_ALL); /* the six task types all occur */
    assert_int_equal(named[0], 2);
    assert_int_equal(named[1], 2);
    assert_int_equal(open[0], 2);
    assert_int_equal(open[1], 2);
    assert_int_equal(tm_programme_site(p, tm_programme_find_site(p, "金水文化创意产业园"))->consent,
                     TM_CONSENT_NAMED_ONLY);
    assert_int_equal(
        tm_programme_commissioner(p, tm_programme_find_commissioner(p, "李文静"))->consent,
        TM_CONSENT_NAMED_ONLY);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tasks_good),  cmocka_unit_test(test_tasks_bad),
        cmocka_unit_test(test_consent_good), cmocka_unit_test(test_consent_bad),
        cmocka_unit_test(test_consent_dir), cmocka_unit_test(test_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
