/* Forms under adversarial input (issue 7): one huge cell, a header of many
 * unknown columns, and ranked lists naming nobody, read through
 * tm_forms_read_dir() with file:line:column positions. */
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

static void assert_contains(const char *hay, const char *needle)
{
    if (hay == NULL || strstr(hay, needle) == NULL) {
        print_error("expected '%s' to contain '%s'\n", hay ? hay : "(null)", needle);
        fail();
    }
}

/* A cell of @n distinct names, then the first again: the repeat check must
 * be linear (a pairwise check took 11 s for 60,000 names, ~20 min for
 * these 400,000; the ctest timeout is 60 s) and name the repeated item. */
static void test_huge_wish_cell(void **state)
{
    (void)state;
    const int n = 400000;
    GString *csv = g_string_new("name,title,unit_kind,unit_support,wishes\nc1,senior,university,yes,");
    for (int i = 0; i < n; i++)
        g_string_append_printf(csv, "s%d;", i);
    g_string_append(csv, "s0\n");
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    assert_false(tm_forms_read_commissioners_data(p, csv->str, (gssize)csv->len, "c.csv",
                                                  TM_FORMS_STRICT, NULL, &err));
    print_message("%d names checked in %.2f s\n", n, (g_get_monotonic_time() - t0) / 1e6);
    assert_non_null(err);
    assert_string_equal(err->message, "c.csv:2:5: wishes: the wish list names 's0' twice");
    g_clear_error(&err);
    /* the sites' ranked lists: the same check */
    GString *sites = g_string_new("name,kind,sector,ranked\ns1,park,eit,");
    for (int i = 0; i < n; i++)
        g_string_append_printf(sites, "c%d、", i);
    g_string_append(sites, "c7\n");
    assert_false(tm_forms_read_sites_data(p, sites->str, (gssize)sites->len, "s.csv",
                                          TM_FORMS_STRICT, NULL, &err));
    assert_string_equal(err->message, "s.csv:2:4: ranked: the ranked list names 'c7' twice");
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    g_string_free(csv, TRUE);
    g_string_free(sites, TRUE);
    tm_programme_free(p);
}

/* 200,000 unknown columns: ten warnings listed, one summary, not 200,000. */
static void test_many_unknown_columns(void **state)
{
    (void)state;
    const int n = 200000;
    GString *csv = g_string_new("name,kind,sector");
    for (int i = 0; i < n; i++)
        g_string_append_printf(csv, ",x%d", i);
    g_string_append(csv, ",\ns1,park,eit");
    for (int i = 0; i <= n; i++)
        g_string_append(csv, ",");
    g_string_append_c(csv, '\n');
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    assert_true(tm_forms_read_sites_data(p, csv->str, (gssize)csv->len, "s.csv",
                                         TM_FORMS_LENIENT, d, &err));
    assert_null(err);
    assert_int_equal(tm_programme_n_sites(p), 1);
    /* 10 + summary for unknown columns, 1 for the column without a header */
    assert_int_equal(tm_form_diagnostics_count(d), 12);
    char *first = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 0));
    assert_string_equal(first, "s.csv:1:4: warning: x0: unknown column 'x0' ignored");
    g_free(first);
    char *tenth = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 9));
    assert_string_equal(tenth, "s.csv:1:13: warning: x9: unknown column 'x9' ignored");
    g_free(tenth);
    char *sum = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 11));
    assert_string_equal(sum, "s.csv:1:0: warning: and 199990 more unknown columns ignored "
                             "(only the first 10 are listed)");
    g_free(sum);
    tm_form_diagnostics_free(d);
    g_string_free(csv, TRUE);
    tm_programme_free(p);
}

static char *write_forms(const char *sites, const char *comms)
{
    char *dir = g_dir_make_tmp("tm-forms-XXXXXX", NULL);
    assert_non_null(dir);
    char *ps = g_build_filename(dir, "sites.csv", NULL);
    char *pc = g_build_filename(dir, "commissioners.csv", NULL);
    assert_true(g_file_set_contents(ps, sites, -1, NULL));
    assert_true(g_file_set_contents(pc, comms, -1, NULL));
    g_free(ps);
    g_free(pc);
    return dir;
}

static void remove_forms(char *dir)
{
    char *ps = g_build_filename(dir, "sites.csv", NULL);
    char *pc = g_build_filename(dir, "commissioners.csv", NULL);
    g_unlink(ps);
    g_unlink(pc);
    g_rmdir(dir);
    g_free(ps);
    g_free(pc);
    g_free(dir);
}

/* A wish naming nobody: strict fails at its FILE:LINE:COLUMN: HEADER and
 * adds nothing; lenient warns there, drops that wish, keeps the row. */
static void test_unknown_wishes(void **state)
{
    (void)state;
    char *dir = write_forms("name,kind,sector,意向特派员\nS1,park,eit,C1；Nobody\nS2,park,eit,\n",
                            "name,title,unit_kind,unit_support,wishes\n"
                            "C1,senior,university,yes,S2;S9;S1\n");
    char *sites = g_build_filename(dir, "sites.csv", NULL);
    char *comms = g_build_filename(dir, "commissioners.csv", NULL);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_false(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, d, &err));
    assert_non_null(err);
    assert_int_equal(err->code, TM_ERROR_PARSE);
    char *want = g_strdup_printf("%s:2:4: 意向特派员: the ranked list names 'Nobody', which is not "
                                 "a commissioner of the programme (not in %s)",
                                 sites, comms);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    tm_form_diagnostics_free(d);

    d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_dir(p, dir, TM_FORMS_LENIENT, d, &err));
    assert_null(err);
    assert_int_equal(tm_programme_n_sites(p), 2);
    assert_int_equal(tm_programme_n_commissioners(p), 1);
    const TmSite *s1 = tm_programme_site(p, tm_programme_find_site(p, "S1"));
    assert_int_equal(s1->n_ranked_commissioners, 1);
    assert_string_equal(s1->ranked_commissioners[0], "C1");
    const TmCommissioner *c1 = tm_programme_commissioner(p, 0);
    assert_int_equal(c1->n_ranked_sites, 2);
    assert_string_equal(c1->ranked_sites[0], "S2");
    assert_string_equal(c1->ranked_sites[1], "S1");
    assert_int_equal(tm_form_diagnostics_count(d), 2);
    for (guint i = 0; i < 2; i++)
        assert_int_equal(tm_form_diagnostic_severity(tm_form_diagnostics_get(d, i)),
                         TM_FORM_WARNING);
    char *w = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 1));
    assert_contains(w, "commissioners.csv:2:5: warning: wishes: the wish list names 'S9', "
                       "which is not a site of the programme");
    assert_contains(w, "; wish dropped");
    g_free(w);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_free(sites);
    g_free(comms);
    remove_forms(dir);
}

/* Names already in the programme count: a form read into a programme that
 * holds the other side resolves against it. */
static void test_wishes_against_programme(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_sites_data(p, "name,kind,sector\nOld,park,eit\n", -1, "old.csv",
                                         TM_FORMS_STRICT, NULL, &err));
    char *dir = write_forms("name,kind,sector\nS1,park,eit\n",
                            "name,title,unit_kind,unit_support,wishes\n"
                            "C1,senior,university,yes,Old;S1\n");
    assert_true(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err));
    assert_null(err);
    assert_int_equal(tm_programme_commissioner(p, 0)->n_ranked_sites, 2);
    tm_programme_free(p);
    remove_forms(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_wish_cell),
        cmocka_unit_test(test_many_unknown_columns),
        cmocka_unit_test(test_unknown_wishes),
        cmocka_unit_test(test_wishes_against_programme),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
