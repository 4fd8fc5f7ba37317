/* Ties in the forms' ranked lists (docs/forms.md, "Ties"): `A=B` (or `A＝B`)
 * in one item of a wish list (申请表 `wishes`) or ranked list (需求登记表
 * `ranked`) gives the names one rank; each bad notation is refused at its
 * file:line:column with the header; the ties reach the programme
 * (tm_programme_wish_rank) and the market's lists (equal ranks), also after
 * a lenient read drops a tied name that names nobody; the seed has none. */
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

static const char SITES_CSV[] = "name,kind,sector\n"
                                "S1,high_tech,eit\n"
                                "S2,high_tech,eit\n"
                                "S3,high_tech,eit\n"
                                "S4,high_tech,eit\n";

/* Commissioners with expertise in eit so that every pair is acceptable under
 * the default rules. */
static char *comms(const char *wishes_of_c1, const char *wishes_of_c2)
{
    return g_strdup_printf("name,title,unit_kind,unit_support,expertise,wishes\n"
                           "C1,senior,university,yes,eit:3,\"%s\"\n"
                           "C2,senior,university,yes,eit:2,\"%s\"\n",
                           wishes_of_c1, wishes_of_c2);
}

static void assert_ranks(const TmProgramme *p, TmSide side, int32_t id, const char *const *names,
                         const int32_t *ranks, int32_t n)
{
    const char *const *got;
    int32_t len;
    if (side == TM_SIDE_SUPPLY) {
        got = tm_programme_commissioner(p, id)->ranked_sites;
        len = tm_programme_commissioner(p, id)->n_ranked_sites;
    } else {
        got = tm_programme_site(p, id)->ranked_commissioners;
        len = tm_programme_site(p, id)->n_ranked_commissioners;
    }
    assert_int_equal(len, n);
    for (int32_t i = 0; i < n; i++) {
        assert_string_equal(got[i], names[i]);
        assert_int_equal(tm_programme_wish_rank(p, side, id, i), ranks[i]);
    }
    assert_int_equal(tm_programme_wish_rank(p, side, id, n), -1);
}

static void test_parse(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    assert_true(tm_forms_read_sites_data(p, SITES_CSV, -1, "sites.csv", TM_FORMS_STRICT, NULL,
                                         &err));
    /* ASCII and full-width '=', blanks around names, a tie of three, a tie
     * inside a quoted cell with a line break as the list separator */
    char *c = comms("S2 = S1；S3", "S4＝S3＝S1\nS2");
    assert_true(tm_forms_read_commissioners_data(p, c, -1, "commissioners.csv",
                                                 TM_FORMS_STRICT, NULL, &err));
    g_free(c);
    assert_null(err);
    static const char *const n1[] = {"S2", "S1", "S3"};
    static const int32_t r1[] = {0, 0, 1};
    assert_ranks(p, TM_SIDE_SUPPLY, 0, n1, r1, 3);
    static const char *const n2[] = {"S4", "S3", "S1", "S2"};
    static const int32_t r2[] = {0, 0, 0, 1};
    assert_ranks(p, TM_SIDE_SUPPLY, 1, n2, r2, 4);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 2);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_DEMAND), 0);
    tm_programme_free(p);

    /* the sites' ranked list (意向特派员) takes the same notation */
    p = tm_programme_new(NULL);
    c = comms("", "");
    assert_true(tm_forms_read_commissioners_data(p, c, -1, "c.csv", TM_FORMS_STRICT, NULL, &err));
    g_free(c);
    assert_true(tm_forms_read_sites_data(p,
                                         "名称,类型,行业,意向特派员\n"
                                         "S1,high_tech,eit,C2=C1\n"
                                         "S2,high_tech,eit,C1、C2\n",
                                         -1, "s.csv", TM_FORMS_STRICT, NULL, &err));
    assert_null(err);
    static const char *const s1[] = {"C2", "C1"};
    static const int32_t t1[] = {0, 0};
    assert_ranks(p, TM_SIDE_DEMAND, 0, s1, t1, 2);
    static const char *const s2[] = {"C1", "C2"};
    static const int32_t t2[] = {0, 1};
    assert_ranks(p, TM_SIDE_DEMAND, 1, s2, t2, 2);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_DEMAND), 1);
    tm_programme_free(p);
}

/* Each bad tie is a row error at the wish column: strict fails with the
 * position and nothing is added, lenient skips the row with the same
 * diagnostic. */
static void test_bad_notation(void **state)
{
    (void)state;
    static const struct {
        const char *cell, *message;
    } cases[] = {
        {"S1=", "commissioners.csv:3:6: wishes: the wish list has a tie 'S1=' with an empty name"},
        {"=S1", "commissioners.csv:3:6: wishes: the wish list has a tie '=S1' with an empty name"},
        {"S1==S2;S3",
         "commissioners.csv:3:6: wishes: the wish list has a tie 'S1==S2' with an empty name"},
        {"S3;S1＝ ＝S2",
         "commissioners.csv:3:6: wishes: the wish list has a tie 'S1＝ ＝S2' with an empty name"},
        {"=", "commissioners.csv:3:6: wishes: the wish list has a tie '=' with an empty name"},
        {"S1=S2=S1", "commissioners.csv:3:6: wishes: the wish list names 'S1' twice"},
        {"S1=S2;S2", "commissioners.csv:3:6: wishes: the wish list names 'S2' twice"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TmProgramme *p = tm_programme_new(NULL);
        GError *err = NULL;
        assert_true(tm_forms_read_sites_data(p, SITES_CSV, -1, "sites.csv", TM_FORMS_STRICT,
                                             NULL, &err));
        char *c = comms("S1", cases[i].cell);
        assert_false(tm_forms_read_commissioners_data(p, c, -1, "commissioners.csv",
                                                      TM_FORMS_STRICT, NULL, &err));
        assert_non_null(err);
        assert_int_equal(err->code, TM_ERROR_PARSE);
        if (strncmp(err->message, cases[i].message, strlen(cases[i].message)) != 0) {
            print_error("case %zu: got '%s', want '%s...'\n", i, err->message, cases[i].message);
            fail();
        }
        g_clear_error(&err);
        assert_int_equal(tm_programme_n_commissioners(p), 0);

        TmFormDiagnostics *d = tm_form_diagnostics_new();
        assert_true(tm_forms_read_commissioners_data(p, c, -1, "commissioners.csv",
                                                     TM_FORMS_LENIENT, d, &err));
        assert_null(err);
        assert_int_equal(tm_programme_n_commissioners(p), 1); /* C1 kept, C2 skipped */
        assert_int_equal(tm_form_diagnostics_count(d), 1);
        char *text = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 0));
        assert_true(strncmp(text, cases[i].message, strlen(cases[i].message)) == 0);
        g_free(text);
        assert_int_equal(tm_form_diagnostic_line(tm_form_diagnostics_get(d, 0)), 3);
        assert_int_equal(tm_form_diagnostic_column(tm_form_diagnostics_get(d, 0)), 6);
        tm_form_diagnostics_free(d);
        g_free(c);
        tm_programme_free(p);
    }
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void remove_dir(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(dir, name, NULL);
        g_remove(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

/* The ties reach the market: tied wishes share a rank, the scored part
 * follows with ranks of its own; an unknown name dropped from a tie by a
 * lenient tm_forms_read_dir leaves the rest tied; strict fails there. */
static void test_lists_and_dir(void **state)
{
    (void)state;
    GError *err = NULL;
    char *dir = g_dir_make_tmp("tm-forms-ties-XXXXXX", &err);
    assert_non_null(dir);
    g_free(write_file(dir, "sites.csv",
                      "name,kind,sector,ranked\n"
                      "S1,high_tech,eit,C2=C1\n"
                      "S2,high_tech,eit,\n"
                      "S3,high_tech,eit,\n"));
    g_free(write_file(dir, "commissioners.csv",
                      "name,title,unit_kind,unit_support,expertise,wishes\n"
                      "C1,senior,university,yes,eit:3,S3=Nobody=S2\n"
                      "C2,senior,university,yes,eit:3,S1\n"));
    TmProgramme *p = tm_programme_new(NULL);
    assert_false(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "commissioners.csv:2:6: wishes: the wish list names "
                                         "'Nobody', which is not a site of the programme"));
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    assert_int_equal(tm_programme_n_sites(p), 0);

    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_dir(p, dir, TM_FORMS_LENIENT, d, &err));
    assert_null(err);
    tm_form_diagnostics_free(d);
    static const char *const w1[] = {"S3", "S2"};
    static const int32_t r1[] = {0, 0};
    assert_ranks(p, TM_SIDE_SUPPLY, 0, w1, r1, 2);

    TmRules *rules = tm_rules_new_default();
    TmPrefsOptions *o = tm_prefs_options_new();
    assert_true(tm_prefs_options_set_k(o, 0, &err));
    TmMarket *m = tm_programme_build_market(p, rules, NULL, o, NULL, &err);
    assert_non_null(m);
    assert_true(tm_market_has_ties(m));
    /* C1: S3 = S2 (wishes), then S1 (scored) */
    int32_t len;
    const int32_t *l = tm_market_prefs(m, TM_SIDE_SUPPLY, 0, &len);
    assert_int_equal(len, 3);
    assert_int_equal(l[0], 2);
    assert_int_equal(l[1], 1);
    assert_int_equal(l[2], 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 2), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, 0), 1);
    /* C2: S1 (wish) then S2, S3 by score, all strict */
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, 0), 0);
    l = tm_market_prefs(m, TM_SIDE_SUPPLY, 1, &len);
    assert_int_equal(len, 3);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, l[1]), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 1, l[2]), 2);
    /* S1: C2 = C1 */
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, 0), 0);
    tm_market_free(m);
    tm_prefs_options_free(o);
    tm_rules_free(rules);
    tm_programme_free(p);
    remove_dir(dir);
    g_free(dir);
}

/* tm_programme_set_wish_ranks and friends: checks, density, clearing, and
 * a rollback dropping the ties with the agents. */
static void test_api(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    assert_true(tm_forms_read_sites_data(p, SITES_CSV, -1, "s.csv", TM_FORMS_STRICT, NULL, &err));
    char *c = comms("S1;S2;S3", "");
    assert_true(tm_forms_read_commissioners_data(p, c, -1, "c.csv", TM_FORMS_STRICT, NULL, &err));
    g_free(c);
    int32_t ranks[] = {5, 5, 9};
    assert_false(tm_programme_set_wish_ranks(NULL, TM_SIDE_SUPPLY, 0, ranks, 3, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_programme_set_wish_ranks(p, (TmSide)2, 0, ranks, 3, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 2, ranks, 3, &err));
    assert_int_equal(err->code, TM_ERROR_OUT_OF_RANGE);
    g_clear_error(&err);
    assert_false(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, ranks, 2, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    assert_non_null(strstr(err->message, "'C1' has 3 wishes, but 2 ranks"));
    g_clear_error(&err);
    assert_false(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, NULL, 3, &err));
    g_clear_error(&err);
    int32_t down[] = {0, 2, 1};
    assert_false(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, down, 3, &err));
    assert_non_null(strstr(err->message, "wish 3: rank 1 is below the rank of the wish before"));
    g_clear_error(&err);
    int32_t neg[] = {-1, 0, 0};
    assert_false(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, neg, 3, &err));
    assert_non_null(strstr(err->message, "wish 1: rank -1 is negative"));
    g_clear_error(&err);
    /* the failures changed nothing */
    for (int32_t i = 0; i < 3; i++)
        assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, i), i);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 0);

    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, ranks, 3, &err));
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, 0), 0);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, 1), 0);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, 2), 1);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, -1), -1);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 1, 0), -1); /* no wishes */
    assert_int_equal(tm_programme_wish_rank(NULL, TM_SIDE_SUPPLY, 0, 0), -1);
    assert_int_equal(tm_programme_n_wish_ties(NULL, TM_SIDE_SUPPLY), 0);
    /* strictly increasing ranks are strict: nothing stored */
    int32_t strict[] = {1, 4, 7};
    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, strict, 3, &err));
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, 2), 2);
    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, ranks, 3, &err));
    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, NULL, 0, &err));
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 0);
    /* empty wish lists take an empty rank list */
    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 1, ranks, 0, &err));
    assert_null(err);

    /* a rollback drops the agents with their ties; new agents are strict */
    assert_true(tm_programme_set_wish_ranks(p, TM_SIDE_SUPPLY, 0, ranks, 3, &err));
    assert_true(tm_programme_truncate(p, 0, 4, &err));
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 0);
    c = comms("S1;S2;S3", "");
    assert_true(tm_forms_read_commissioners_data(p, c, -1, "c.csv", TM_FORMS_STRICT, NULL, &err));
    g_free(c);
    assert_int_equal(tm_programme_wish_rank(p, TM_SIDE_SUPPLY, 0, 1), 1);
    tm_programme_free(p);
}

/* The bundled seed has no tie: its market is strict, as it always was. */
static void test_seed_strict(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    assert_true(tm_forms_read_dir(p, TM_SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_programme_n_wish_ties(p, TM_SIDE_DEMAND), 0);
    TmRules *rules = tm_rules_new_default();
    TmMarket *m = tm_programme_build_market(p, rules, NULL, NULL, NULL, &err);
    assert_non_null(m);
    assert_false(tm_market_has_ties(m));
    tm_market_free(m);
    tm_rules_free(rules);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),      cmocka_unit_test(test_bad_notation),
        cmocka_unit_test(test_lists_and_dir), cmocka_unit_test(test_api),
        cmocka_unit_test(test_seed_strict),
    };
    return cmocka_run_group_tests_name("forms.ties", tests, NULL, NULL);
}
