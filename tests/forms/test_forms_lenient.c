/* forms.lenient — lenient mode never fails on what it skipped (issue 11,
 * item 8): a good row naming a skipped row gets a warning at its own
 * file:line:column and the wish is dropped before the programme sees it
 * (tm_forms_read_pair(), as tm_forms_read_dir()); strict mode fails at the
 * first bad row; a blank merit is an error in strict mode and a listed
 * warning (row kept, merit 0) in lenient mode; the report section listing
 * the diagnostics (tm_form_diagnostics_markdown()). */
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
#include <techmatch/selection.h>

/* sites: capacity is column 4, the ranked list column 5; line 2 is bad */
static const char SITES[] = "name,kind,sector,capacity,ranked\n"
                            "S1,high_tech,eit,two,C1\n"
                            "S2,high_tech,eit,1,C1;C2;C3\n";
/* commissioners: merit column 5, wishes column 6; line 4 (C3) is bad */
static const char COMMS[] = "name,title,unit_kind,unit_support,merit,wishes\n"
                            "C1,senior,university,yes,80,S1;S2\n"
                            "C2,senior,university,yes,70,S2\n"
                            "C3,senior,university,maybe,60,S2\n";

typedef struct {
    char *dir, *sites, *comms;
} Files;

static void files_make(Files *f, const char *sites, const char *comms)
{
    GError *err = NULL;
    f->dir = g_dir_make_tmp("tm_lenient_XXXXXX", &err);
    assert_non_null(f->dir);
    f->sites = g_build_filename(f->dir, "sites.csv", NULL);
    f->comms = g_build_filename(f->dir, "commissioners.csv", NULL);
    assert_true(g_file_set_contents(f->sites, sites, -1, &err));
    assert_true(g_file_set_contents(f->comms, comms, -1, &err));
}

static void files_free(Files *f)
{
    g_unlink(f->sites);
    g_unlink(f->comms);
    g_rmdir(f->dir);
    g_free(f->sites);
    g_free(f->comms);
    g_free(f->dir);
}

/* Diagnostic @i as `FILE:LINE:COLUMN: ...` with the temporary folder as "D". */
static void assert_diag(const TmFormDiagnostics *d, guint i, const Files *f, const char *want)
{
    char *got = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, i));
    char **parts = g_strsplit(got, f->dir, -1);
    char *norm = g_strjoinv("D", parts);
    assert_string_equal(norm, want);
    g_strfreev(parts);
    g_free(norm);
    g_free(got);
}

/* Whether the selection runs on @p (default rules, no quota). */
static gboolean selects(TmProgramme *p)
{
    TmRules *rules = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, rules, NULL, NULL, &err);
    gboolean ok = sel != NULL;
    if (!ok) {
        assert_int_equal(err->code, TM_ERROR_UNKNOWN_NAME);
        g_error_free(err);
    }
    tm_selection_free(sel);
    tm_rules_free(rules);
    return ok;
}

static void test_pair_lenient(void **state)
{
    (void)state;
    Files f;
    files_make(&f, SITES, COMMS);
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_true(tm_forms_read_pair(p, f.sites, f.comms, TM_FORMS_LENIENT, d, &err));
    assert_null(err);
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_int_equal(tm_programme_n_commissioners(p), 2);
    assert_int_equal(tm_form_diagnostics_count(d), 4);
    assert_diag(d, 0, &f, "D/sites.csv:2:4: capacity: capacity 'two' is not a whole number");
    assert_diag(d, 1, &f,
                "D/commissioners.csv:4:4: unit_support: unit support 'maybe' is not yes/no "
                "(是/否)");
    /* the good site names the skipped commissioner C3: a warning at its own row */
    assert_diag(d, 2, &f,
                "D/sites.csv:3:5: warning: ranked: the ranked list names 'C3', which is not a "
                "commissioner of the programme (not in D/commissioners.csv); wish dropped");
    /* the good commissioner C1 names the skipped site S1 */
    assert_diag(d, 3, &f,
                "D/commissioners.csv:2:6: warning: wishes: the wish list names 'S1', which is "
                "not a site of the programme (not in D/sites.csv); wish dropped");
    const TmFormDiagnostic *w = tm_form_diagnostics_get(d, 3);
    assert_int_equal(tm_form_diagnostic_severity(w), TM_FORM_WARNING);
    assert_int_equal(tm_form_diagnostic_line(w), 2);
    assert_int_equal(tm_form_diagnostic_column(w), 6);
    assert_string_equal(tm_form_diagnostic_field(w), "wishes");
    /* the wishes are gone before the programme sees them */
    const TmSite *s2 = tm_programme_site(p, 0);
    assert_string_equal(s2->name, "S2");
    assert_int_equal(s2->n_ranked_commissioners, 2);
    assert_string_equal(s2->ranked_commissioners[0], "C1");
    assert_string_equal(s2->ranked_commissioners[1], "C2");
    const TmCommissioner *c1 = tm_programme_commissioner(p, 0);
    assert_int_equal(c1->n_ranked_sites, 1);
    assert_string_equal(c1->ranked_sites[0], "S2");
    /* and the selection runs: no unknown name is left */
    assert_true(selects(p));
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    files_free(&f);
}

/* What the pair read fixes: two single-form reads cannot know the other
 * form, so the skipped site's name stays in C1's wishes and the selection
 * fails late with TM_ERROR_UNKNOWN_NAME (docs/forms.md). */
static void test_single_reads_resolve_late(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_sites_data(p, SITES, -1, "sites.csv", TM_FORMS_LENIENT, NULL, &err));
    assert_true(tm_forms_read_commissioners_data(p, COMMS, -1, "commissioners.csv",
                                                 TM_FORMS_LENIENT, NULL, &err));
    assert_int_equal(tm_programme_commissioner(p, 0)->n_ranked_sites, 2);
    assert_false(selects(p));
    tm_programme_free(p);
}

static void test_pair_strict(void **state)
{
    (void)state;
    Files f;
    files_make(&f, SITES, COMMS);
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_false(tm_forms_read_pair(p, f.sites, f.comms, TM_FORMS_STRICT, d, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    char *want = g_strdup_printf("%s:2:4: capacity: capacity 'two' is not a whole number", f.sites);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    tm_form_diagnostics_free(d);
    files_free(&f);

    /* no bad row, a name naming nobody: the naming row's position, nothing added */
    files_make(&f, "name,kind,sector\nS2,high_tech,eit\n",
               "name,title,unit_kind,unit_support,merit,wishes\n"
               "C1,senior,university,yes,80,S2\n"
               "C2,senior,university,yes,70,S2;S9\n");
    assert_false(tm_forms_read_pair(p, f.sites, f.comms, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    want = g_strdup_printf("%s:3:6: wishes: the wish list names 'S9', which is not a site of the "
                           "programme (not in %s)",
                           f.comms, f.sites);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    files_free(&f);
    tm_programme_free(p);
}

static void test_pair_args(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_false(tm_forms_read_pair(NULL, "a", "b", TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_forms_read_pair(p, "a", NULL, TM_FORMS_LENIENT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_forms_read_pair(p, "/nonexistent/s.csv", "/nonexistent/c.csv",
                                    TM_FORMS_LENIENT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_IO);
    g_clear_error(&err);
    tm_programme_free(p);
}

static const char BLANK_MERIT[] = "name,title,unit_kind,unit_support,merit\n"
                                  "C1,senior,university,yes,80\n"
                                  "C2,senior,university,yes,\n"
                                  "C3,senior,university,maybe,\n";

static void test_blank_merit_strict(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_false(tm_forms_read_commissioners_data(p, BLANK_MERIT, -1, "c.csv", TM_FORMS_STRICT,
                                                  d, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_string_equal(err->message,
                        "c.csv:3:5: merit: the merit is empty (give a number 0..100)");
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    /* the Chinese header as written */
    assert_false(tm_forms_read_commissioners_data(
        p, "姓名,职称,单位类型,单位支持,评分\n张三,高级,高校,是,\n", -1, "申请表.csv",
        TM_FORMS_STRICT, NULL, &err));
    assert_string_equal(err->message,
                        "申请表.csv:2:5: 评分: the merit is empty (give a number 0..100)");
    g_clear_error(&err);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

static void test_blank_merit_lenient(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_true(tm_forms_read_commissioners_data(p, BLANK_MERIT, -1, "c.csv", TM_FORMS_LENIENT,
                                                 d, &err));
    assert_int_equal(tm_programme_n_commissioners(p), 2);
    assert_true(tm_programme_commissioner(p, 0)->merit == 80.0);
    assert_string_equal(tm_programme_commissioner(p, 1)->name, "C2");
    assert_true(tm_programme_commissioner(p, 1)->merit == 0.0);
    /* the kept row's warning, then the skipped row's error (no merit warning
     * for a row that is skipped anyway) */
    assert_int_equal(tm_form_diagnostics_count(d), 2);
    const TmFormDiagnostic *w = tm_form_diagnostics_get(d, 0);
    assert_int_equal(tm_form_diagnostic_severity(w), TM_FORM_WARNING);
    assert_int_equal(tm_form_diagnostic_line(w), 3);
    assert_int_equal(tm_form_diagnostic_column(w), 5);
    assert_string_equal(tm_form_diagnostic_field(w), "merit");
    char *s = tm_form_diagnostic_to_string(w);
    assert_string_equal(s, "c.csv:3:5: warning: merit: the merit is empty; the row is kept with "
                           "merit 0");
    g_free(s);
    s = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 1));
    assert_string_equal(s, "c.csv:4:4: unit_support: unit support 'maybe' is not yes/no (是/否)");
    g_free(s);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

/* No merit column at all: every merit is 0, no row is at fault (a file-level
 * choice of the office, documented), no warning per row. */
static void test_no_merit_column(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_true(tm_forms_read_commissioners_data(
        p, "name,title,unit_kind,unit_support\nC1,senior,university,yes\n", -1, "c.csv",
        TM_FORMS_STRICT, d, &err));
    assert_int_equal(tm_form_diagnostics_count(d), 0);
    assert_true(tm_programme_commissioner(p, 0)->merit == 0.0);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

static void test_markdown(void **state)
{
    (void)state;
    char *md = tm_form_diagnostics_markdown(NULL);
    assert_string_equal(md, "");
    g_free(md);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    md = tm_form_diagnostics_markdown(d);
    assert_string_equal(md, "");
    g_free(md);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_commissioners_data(p, BLANK_MERIT, -1, "c|.csv", TM_FORMS_LENIENT,
                                                 d, &err));
    md = tm_form_diagnostics_markdown(d);
    assert_string_equal(md,
                        "\n## Rows skipped (lenient mode)\n\n"
                        "The forms reader skipped 1 row and gave 1 warning (a wish naming a "
                        "skipped or unknown agent is dropped; the rest of its row is kept).\n\n"
                        "| file:line | column | field | outcome | reason |\n"
                        "|---|---:|---|---|---|\n"
                        "| c\\|.csv:4 | 4 | unit_support | row skipped | unit support 'maybe' is "
                        "not yes/no (是/否) |\n"
                        "| c\\|.csv:3 | 5 | merit | warning | the merit is empty; the row is kept "
                        "with merit 0 |\n");
    g_free(md);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

/* The seed forms stay valid in strict mode through the pair read: every
 * applicant has a merit and every ranked name names someone. */
static void test_seed_strict(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    char *sites = g_build_filename(TM_SEED_DIR, "sites.csv", NULL);
    char *comms = g_build_filename(TM_SEED_DIR, "commissioners.csv", NULL);
    gboolean ok = tm_forms_read_pair(p, sites, comms, TM_FORMS_STRICT, d, &err);
    if (!ok)
        fail_msg("%s", err->message);
    assert_int_equal(tm_form_diagnostics_count(d), 0);
    assert_int_equal(tm_programme_n_commissioners(p), 42);
    assert_int_equal(tm_programme_n_sites(p), 60);
    for (int32_t c = 0; c < 42; c++)
        assert_true(tm_programme_commissioner(p, c)->merit > 0.0);
    g_free(sites);
    g_free(comms);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_lenient),
        cmocka_unit_test(test_single_reads_resolve_late),
        cmocka_unit_test(test_pair_strict),
        cmocka_unit_test(test_pair_args),
        cmocka_unit_test(test_blank_merit_strict),
        cmocka_unit_test(test_blank_merit_lenient),
        cmocka_unit_test(test_no_merit_column),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_seed_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
