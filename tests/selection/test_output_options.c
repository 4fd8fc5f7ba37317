/* output.h and the programme's language: the options' defaults and setters,
 * what TM_LANG_AUTO resolves to (the forms' headers), the CSV with and
 * without its byte order mark, a bad template leaving the options as they
 * were, and the old entry points unchanged (English, plain CSV). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

#define SEED TM_SOURCE_DIR "/seeds/jinshui-2011"
#define BOM "\xEF\xBB\xBF"

static TmSelection *seed_selection(TmProgramme **p_out, TmConfig **cfg_out)
{
    /* a programme built in code is English until a form says otherwise */
    TmProgramme *empty = tm_programme_new(NULL);
    assert_int_equal(tm_programme_language(empty), TM_LANG_EN);
    tm_programme_free(empty);
    return tt_run_selection(SEED, p_out, cfg_out);
}

static void test_options(void **state)
{
    (void)state;
    TmOutputOptions *o = tm_output_options_new();
    assert_int_equal(tm_output_options_get_language(o), TM_LANG_AUTO);
    assert_false(tm_output_options_get_plain_csv(o));
    assert_null(tm_output_options_get_agreement_template(o));
    tm_output_options_set_language(o, TM_LANG_ZH);
    assert_int_equal(tm_output_options_get_language(o), TM_LANG_ZH);
    tm_output_options_set_language(o, (TmLang)42); /* ignored */
    assert_int_equal(tm_output_options_get_language(o), TM_LANG_ZH);
    tm_output_options_set_plain_csv(o, 7);
    assert_true(tm_output_options_get_plain_csv(o) == TRUE);
    GError *err = NULL;
    assert_true(tm_output_options_set_agreement_template(o, "{{site}}", "mine", &err));
    assert_string_equal(tm_output_options_get_agreement_template(o), "{{site}}");
    /* a bad template: an error, the options as they were */
    assert_false(tm_output_options_set_agreement_template(o, "{{nope}}", "bad.md", &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "bad.md"));
    g_clear_error(&err);
    assert_string_equal(tm_output_options_get_agreement_template(o), "{{site}}");
    assert_true(tm_output_options_set_agreement_template(o, NULL, NULL, &err));
    assert_null(tm_output_options_get_agreement_template(o));
    /* NULL-safe */
    assert_int_equal(tm_output_options_get_language(NULL), TM_LANG_AUTO);
    assert_false(tm_output_options_get_plain_csv(NULL));
    assert_int_equal(tm_output_options_resolve_language(NULL, NULL), TM_LANG_EN);
    assert_false(tm_output_options_set_agreement_template(NULL, NULL, NULL, &err));
    g_clear_error(&err);
    tm_output_options_free(NULL);
    tm_output_options_free(o);
}

static void test_language_and_csv(void **state)
{
    (void)state;
    TmProgramme *p;
    TmConfig *cfg;
    TmSelection *sel = seed_selection(&p, &cfg);
    /* the seed's forms have Chinese headers */
    assert_int_equal(tm_programme_language(p), TM_LANG_ZH);
    TmOutputOptions *o = tm_output_options_new();
    assert_int_equal(tm_output_options_resolve_language(o, sel), TM_LANG_ZH);
    tm_output_options_set_language(o, TM_LANG_EN);
    assert_int_equal(tm_output_options_resolve_language(o, sel), TM_LANG_EN);
    tm_programme_set_language(p, TM_LANG_EN);
    tm_output_options_set_language(o, TM_LANG_AUTO);
    assert_int_equal(tm_output_options_resolve_language(o, sel), TM_LANG_EN);
    tm_programme_set_language(p, TM_LANG_AUTO); /* ignored */
    assert_int_equal(tm_programme_language(p), TM_LANG_EN);
    tm_programme_set_language(p, TM_LANG_ZH);

    GError *err = NULL;
    char *plain = tm_selection_assignments_csv(sel, &err);
    char *bommed = tm_selection_assignments_csv_with(sel, o, &err);
    assert_non_null(plain);
    assert_non_null(bommed);
    assert_true(g_str_has_prefix(bommed, BOM));
    assert_false(g_str_has_prefix(plain, BOM));
    /* as many rows; the sector and kind in words (selection.xlsx checks
     * them cell by cell) */
    int nb = 0, np = 0;
    for (const char *q = bommed; *q; q++)
        nb += *q == '\n';
    for (const char *q = plain; *q; q++)
        np += *q == '\n';
    assert_int_equal(nb, np);
    tm_output_options_set_plain_csv(o, TRUE);
    char *again = tm_selection_assignments_csv_with(sel, o, &err);
    assert_string_equal(again, plain);
    g_free(again);
    g_free(plain);
    g_free(bommed);
    assert_null(tm_selection_assignments_csv_with(NULL, o, &err));
    assert_true(err->domain == TM_ERROR && err->code == TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);

    /* the old writer stays plain; the new one writes the BOM'd CSV */
    char *tmp = g_dir_make_tmp("tm-output-XXXXXX", &err);
    assert_non_null(tmp);
    char *old_dir = g_build_filename(tmp, "old", NULL), *new_dir = g_build_filename(tmp, "new",
                                                                                     NULL);
    assert_true(tm_selection_write(sel, old_dir, &err));
    TmOutputOptions *d = tm_output_options_new();
    assert_true(tm_selection_write_with(sel, new_dir, d, &err));
    char *a, *b;
    char *pa = g_build_filename(old_dir, "assignments.csv", NULL);
    char *pb = g_build_filename(new_dir, "assignments.csv", NULL);
    assert_true(g_file_get_contents(pa, &a, NULL, NULL));
    assert_true(g_file_get_contents(pb, &b, NULL, NULL));
    assert_false(g_str_has_prefix(a, BOM));
    assert_true(g_str_has_prefix(b, BOM));
    g_free(a);
    g_free(b);
    g_free(pa);
    g_free(pb);
    /* clean up: both sets */
    const char *dirs[] = {old_dir, new_dir};
    for (int i = 0; i < 2; i++) {
        char *cmd = g_strdup_printf("rm -rf '%s'", dirs[i]);
        assert_int_equal(system(cmd), 0);
        g_free(cmd);
    }
    g_rmdir(tmp);
    g_free(old_dir);
    g_free(new_dir);
    g_free(tmp);
    tm_output_options_free(d);
    tm_output_options_free(o);
    tm_selection_free(sel);
    tm_programme_free(p);
    tm_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_language_and_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
