/* The selection's documents under hostile data and failures (issue 7): the
 * output folder is replaced as a set (a failure at any point leaves the old
 * set whole), formulas are neutralised in the CSV, names cannot inject
 * Markdown or HTML into the report, and a capacity-0 commissioner whom a
 * site lists does not crash the reasons. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "io/output_set.h" /* the set writer, to inject a failure mid-set */

static void assert_contains(const char *hay, const char *needle)
{
    if (hay == NULL || strstr(hay, needle) == NULL) {
        print_error("expected to find '%s' in:\n%s\n", needle, hay ? hay : "(null)");
        fail();
    }
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (hay != NULL && strstr(hay, needle) != NULL) {
        print_error("did not expect '%s' in:\n%s\n", needle, hay);
        fail();
    }
}

static char *slurp(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        text = NULL;
    g_free(path);
    return text;
}

/* The names in @dir, sorted, joined by ","; caller frees. */
static char *listing(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL)
        g_ptr_array_add(names, g_strdup(n));
    g_dir_close(d);
    for (guint i = 1; i < names->len; i++) /* insertion sort by string (small lists) */
        for (guint j = i; j > 0 && strcmp(names->pdata[j - 1], names->pdata[j]) > 0; j--) {
            gpointer t = names->pdata[j];
            names->pdata[j] = names->pdata[j - 1];
            names->pdata[j - 1] = t;
        }
    g_ptr_array_add(names, NULL);
    char *out = g_strjoinv(",", (char **)names->pdata);
    g_ptr_array_unref(names);
    return out;
}

static void rm_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d != NULL) {
        const char *n;
        while ((n = g_dir_read_name(d)) != NULL) {
            char *p = g_build_filename(path, n, NULL);
            rm_tree(p);
            g_free(p);
        }
        g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

/* A failure after the first documents of a set are written (the third name
 * is too long for the file system) leaves the old set whole and no
 * temporary folder. */
static void test_set_replaced_whole(void **state)
{
    (void)state;
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-out-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    const char *names[3] = {"a.csv", "b.json", "report.md"};
    const char *old[3] = {"old a\n", "old b\n", "old report\n"};
    assert_true(tm_i_write_document_set(out, names, old, NULL, 3, &err));
    assert_null(err);

    char long_name[600];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    const char *bad_names[3] = {"a.csv", "b.json", long_name};
    const char *new_docs[3] = {"new a\n", "new b\n", "new report\n"};
    assert_false(tm_i_write_document_set(out, bad_names, new_docs, NULL, 3, &err));
    assert_non_null(err);
    assert_int_equal(err->code, TM_ERROR_IO);
    g_clear_error(&err);
    for (int i = 0; i < 3; i++) {
        char *t = slurp(out, names[i]);
        assert_string_equal(t, old[i]);
        g_free(t);
    }
    char *ls = listing(tmp);
    assert_string_equal(ls, "out");
    g_free(ls);

    /* a complete new set replaces the old one, nothing left beside it */
    assert_true(tm_i_write_document_set(out, names, new_docs, NULL, 3, &err));
    for (int i = 0; i < 3; i++) {
        char *t = slurp(out, names[i]);
        assert_string_equal(t, new_docs[i]);
        g_free(t);
    }
    ls = listing(tmp);
    assert_string_equal(ls, "out");
    g_free(ls);
    ls = listing(out);
    assert_string_equal(ls, "a.csv,b.json,report.md");
    g_free(ls);
    rm_tree(tmp);
    g_free(out);
    g_free(tmp);
}

static TmProgramme *hostile_programme(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    static const char *const site_names[] = {"=HYPERLINK(\"http://x\",\"y\")",
                                             "<script>alert(1)</script>"};
    for (int i = 0; i < 2; i++) {
        TmSite s = {0};
        s.name = site_names[i];
        s.kind = TM_SITE_HIGH_TECH;
        s.sector = 0;
        s.years = 1;
        s.capacity = 1;
        s.x = s.y = TM_NO_LOCATION;
        assert_true(tm_programme_add_site(p, &s, &err) >= 0);
    }
    static const char *const comm_names[] = {"@SUM(1+1)*[a](b)_x_`c`|#h\\", "# -2+3 &lt;b&gt;"};
    for (int i = 0; i < 2; i++) {
        TmExpertise ex = {0, 3};
        TmCommissioner c = {0};
        c.name = comm_names[i];
        c.team_size = 1;
        c.title = TM_TITLE_SENIOR;
        c.unit_kind = TM_UNIT_UNIVERSITY;
        c.unit_support = TRUE;
        c.expertise = &ex;
        c.n_expertise = 1;
        c.years = 2;
        c.capacity = 1;
        c.x = c.y = TM_NO_LOCATION;
        c.merit = 90 - i;
        assert_true(tm_programme_add_commissioner(p, &c, &err) >= 0);
    }
    assert_null(err);
    return p;
}

static void test_hostile_names(void **state)
{
    (void)state;
    TmProgramme *p = hostile_programme();
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_null(err);
    assert_non_null(sel);
    assert_int_equal(tm_matching_n_pairs(tm_selection_matching(sel)), 2);

    char *csv = tm_selection_assignments_csv(sel, &err);
    /* formulas get a leading ' (inside the quotes when the cell is quoted) */
    assert_contains(csv, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assert_contains(csv, "'@SUM(1+1)");
    assert_contains(csv, "\n'@SUM");
    assert_lacks(csv, "\n@");
    assert_lacks(csv, ",=");
    g_free(csv);

    char *md = tm_selection_report_markdown(sel, &err);
    assert_lacks(md, "<script>");
    assert_contains(md, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_contains(md, "@SUM(1+1)\\*\\[a\\](b)\\_x\\_\\`c\\`\\|#h\\\\");
    assert_contains(md, "| \\# -2+3 &amp;lt;b&amp;gt; |");
    /* codes and the sector name stay as they are */
    assert_contains(md, "| high_tech |");
    g_free(md);
    tm_selection_free(sel);
    tm_rules_free(r);
    tm_programme_free(p);
}

static TmSelection *seed_selection(TmProgramme **p_out)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_dir(p, TM_SOURCE_DIR "/seeds/jinshui-2011", TM_FORMS_STRICT, NULL,
                                  &err));
    TmRules *r = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_null(err);
    tm_rules_free(r);
    *p_out = p;
    return sel;
}

/* tm_selection_write: a target it may not replace is refused before any
 * document is written, and an earlier run's set stays whole. */
static void test_write_refuses(void **state)
{
    (void)state;
    TmProgramme *p;
    TmSelection *sel = seed_selection(&p);
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-out-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    g_mkdir(out, 0755);
    const char *names[3] = {"assignments.csv", "assignments.json", "report.md"};
    for (int i = 0; i < 2; i++) {
        char *path = g_build_filename(out, names[i], NULL);
        assert_true(g_file_set_contents(path, "OLD\n", -1, NULL));
        g_free(path);
    }
    char *rep = g_build_filename(out, "report.md", NULL);
    g_mkdir(rep, 0755); /* report.md in the way: a folder */
    assert_false(tm_selection_write(sel, out, &err));
    assert_non_null(err);
    assert_contains(err->message, "report.md: is a folder");
    g_clear_error(&err);
    for (int i = 0; i < 2; i++) {
        char *t = slurp(out, names[i]);
        assert_string_equal(t, "OLD\n"); /* not a mix of new CSV and old JSON */
        g_free(t);
    }
    g_rmdir(rep);

    /* a symbolic link as the folder is not followed */
    char *link = g_build_filename(tmp, "link", NULL);
    assert_int_equal(symlink(out, link), 0);
    assert_false(tm_selection_write(sel, link, &err));
    assert_contains(err->message, "is a symbolic link");
    g_clear_error(&err);
    char *ls = listing(out);
    assert_string_equal(ls, "assignments.csv,assignments.json");
    g_free(ls);

    /* replaced as a set */
    assert_true(tm_selection_write(sel, out, &err));
    assert_null(err);
    ls = listing(out);
    assert_string_equal(ls, "agreements,assignments.csv,assignments.json,assignments.xlsx,"
                            "report.html,report.md");
    g_free(ls);
    ls = listing(tmp);
    assert_string_equal(ls, "link,out");
    g_free(ls);
    char *t = slurp(out, "assignments.csv");
    assert_contains(t, "commissioner,site,");
    g_free(t);
    rm_tree(tmp);
    g_free(link);
    g_free(rep);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_programme_free(p);
}

/* 王建华 (capacity set to 0) is listed by a site with a free place: the
 * reasons are computed (explain() read theirs[k - 1] with k == 0). */
static void test_capacity_zero_listed(void **state)
{
    (void)state;
    char *text = NULL;
    assert_true(g_file_get_contents(TM_SOURCE_DIR "/seeds/jinshui-2011/commissioners.csv", &text,
                                    NULL, NULL));
    char **lines = g_strsplit(text, "\n", -1);
    char **f = g_strsplit(lines[1], ",", -1);
    assert_string_equal(f[1], "王建华");
    g_free(f[10]);
    f[10] = g_strdup("0");
    g_free(lines[1]);
    lines[1] = g_strjoinv(",", f);
    g_strfreev(f);
    g_free(text);
    text = g_strjoinv("\n", lines);
    g_strfreev(lines);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_sites(p, TM_SOURCE_DIR "/seeds/jinshui-2011/sites.csv",
                                    TM_FORMS_STRICT, NULL, &err));
    assert_true(tm_forms_read_commissioners_data(p, text, -1, "c.csv", TM_FORMS_STRICT, NULL,
                                                 &err));
    TmRules *r = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_null(err);
    assert_non_null(sel);
    int32_t c = tm_programme_find_commissioner(p, "王建华");
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL), TM_OUTCOME_NO_CAPACITY);
    tm_selection_free(sel);
    tm_rules_free(r);
    tm_programme_free(p);
    g_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_replaced_whole),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_write_refuses),
        cmocka_unit_test(test_capacity_zero_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
