/* selection.xlsx (issue 11): the documents for people — the assignments CSV
 * in a language (byte order mark, headers, sector and kind names) against
 * the plain CSV, the workbook of tm_selection_assignments_xlsx()
 * (deterministic bytes, a zip file, refusals, several threads at once), and
 * assignments.xlsx in every output set, old entry points included.
 *
 * With `--write DIR` it writes, for check_xlsx.py (selection.xlsx_openpyxl,
 * which reads the workbooks with openpyxl as an independent oracle), into
 * DIR: seed-en/ and seed-zh/ (tm_selection_write_with() on the seed with its
 * configuration), seed-plain/ (tm_selection_write()), hostile/ (names a spreadsheet would run as formulas, a
 * control character), and per set reasons.tsv: side, name and
 * tm_selection_reason() of every agent in the set's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

#define SEED TM_SOURCE_DIR "/seeds/jinshui-2011"
#define BOM "\xEF\xBB\xBF"

static TmSelection *seed_selection(void)
{
    return tt_run_selection(SEED, NULL, NULL);
}

static TmSelection *hostile_selection(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    static const char *const site_names[] = {"=HYPERLINK(\"http://x\",\"y\")", "+1 site",
                                             "-2 site"};
    for (int i = 0; i < 3; i++) {
        TmSite s = {0};
        s.name = site_names[i];
        s.kind = TM_SITE_HIGH_TECH;
        s.sector = 0;
        s.years = 1;
        s.capacity = 1;
        s.x = s.y = TM_NO_LOCATION;
        assert_true(tm_programme_add_site(p, &s, &err) >= 0);
    }
    static const char *const comm_names[] = {"@SUM(1+1)", "=1+2", "bell\x07here"};
    for (int i = 0; i < 3; i++) {
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
    TmRules *r = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_non_null(sel);
    tm_rules_free(r);
    tm_programme_free(p);
    return sel;
}

static TmOutputOptions *options(TmLang lang, gboolean plain)
{
    TmOutputOptions *o = tm_output_options_new();
    tm_output_options_set_language(o, lang);
    tm_output_options_set_plain_csv(o, plain);
    return o;
}

static char *csv_with(const TmSelection *sel, TmLang lang, gboolean plain)
{
    TmOutputOptions *o = options(lang, plain);
    GError *err = NULL;
    char *csv = tm_selection_assignments_csv_with(sel, o, &err);
    assert_null(err);
    assert_non_null(csv);
    tm_output_options_free(o);
    return csv;
}

static GBytes *xlsx_with(const TmSelection *sel, TmLang lang)
{
    TmOutputOptions *o = options(lang, FALSE);
    GError *err = NULL;
    GBytes *b = tm_selection_assignments_xlsx(sel, o, &err);
    if (err != NULL)
        print_error("%s\n", err->message);
    assert_null(err);
    assert_non_null(b);
    tm_output_options_free(o);
    return b;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* the n-th line of @csv (0 = the header), without its line feed */
static char *line(const char *csv, int n)
{
    char **lines = g_strsplit(csv, "\n", -1);
    char *out = g_strdup(lines[n]);
    g_strfreev(lines);
    return out;
}

static void test_csv_languages(void **state)
{
    (void)state;
    TmSelection *sel = seed_selection();
    GError *err = NULL;
    char *plain = tm_selection_assignments_csv(sel, &err);
    assert_non_null(plain);

    /* plain: exactly the CSV for programs, in either language */
    for (int l = TM_LANG_AUTO; l <= TM_LANG_ZH; l++) {
        char *p = csv_with(sel, (TmLang)l, TRUE);
        assert_string_equal(p, plain);
        g_free(p);
    }
    assert_false(g_str_has_prefix(plain, BOM));
    assert_true(g_str_has_prefix(plain, "commissioner,site,sector,site_kind,commissioner_rank,"
                                        "site_rank,commissioner_score,site_score\n"));

    char *zh = csv_with(sel, TM_LANG_ZH, FALSE);
    char *en = csv_with(sel, TM_LANG_EN, FALSE);
    assert_true(g_str_has_prefix(zh, BOM "科技特派员,服务对象,行业,服务对象类型,特派员志愿序号,"
                                         "服务对象志愿序号,特派员评分,服务对象评分\n"));
    assert_true(g_str_has_prefix(en, BOM "Commissioner,Site,Sector,Site kind,Commissioner's rank,"
                                         "Site's rank,Commissioner's score,Site's score\n"));
    /* the same rows; the sector and kind columns in words, the rest as is */
    assert_int_equal(count_lines(zh), count_lines(plain));
    assert_int_equal(count_lines(en), count_lines(plain));
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    const TmMatching *m = tm_selection_matching(sel);
    int row = 1;
    for (int32_t c = 0; c < tm_selection_n_agents(sel, TM_SIDE_SUPPLY); c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(m, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++, row++) {
            const TmSite *s = tm_programme_site(p, sites[j]);
            char *lp = line(plain, row), *lz = line(zh, row), *le = line(en, row);
            char **fp = g_strsplit(lp, ",", -1), **fz = g_strsplit(lz, ",", -1),
                 **fe = g_strsplit(le, ",", -1);
            assert_int_equal(g_strv_length(fp), 8);
            assert_int_equal(g_strv_length(fz), 8);
            assert_string_equal(fp[2], tm_taxonomy_code(tax, s->sector));
            assert_string_equal(fz[2], tm_taxonomy_name_zh(tax, s->sector));
            assert_string_equal(fe[2], tm_taxonomy_name_en(tax, s->sector));
            assert_string_equal(fp[3], tm_site_kind_code(s->kind));
            assert_string_equal(fz[3], tm_site_kind_label_zh(s->kind));
            assert_string_equal(fe[3], tm_site_kind_label(s->kind, TM_LANG_EN));
            for (int f = 0; f < 8; f++)
                if (f != 2 && f != 3) {
                    assert_string_equal(fz[f], fp[f]);
                    assert_string_equal(fe[f], fp[f]);
                }
            g_strfreev(fp);
            g_strfreev(fz);
            g_strfreev(fe);
            g_free(lp);
            g_free(lz);
            g_free(le);
        }
    }
    assert_true(row > 10);
    /* AUTO: the programme's language (the seed's forms have Chinese headers) */
    assert_int_equal(tm_programme_language(p), TM_LANG_ZH);
    char *aut = csv_with(sel, TM_LANG_AUTO, FALSE);
    assert_string_equal(aut, zh);
    g_free(aut);
    g_free(zh);
    g_free(en);
    g_free(plain);
    /* NULL selection */
    assert_null(tm_selection_assignments_csv_with(NULL, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    tm_selection_free(sel);
}

static void test_xlsx_bytes(void **state)
{
    (void)state;
    TmSelection *sel = seed_selection();
    GBytes *en1 = xlsx_with(sel, TM_LANG_EN), *en2 = xlsx_with(sel, TM_LANG_EN);
    GBytes *zh = xlsx_with(sel, TM_LANG_ZH);
    gsize n;
    const char *data = g_bytes_get_data(en1, &n);
    assert_true(n > 4000);
    assert_memory_equal(data, "PK\x03\x04", 4); /* a zip file */
    assert_true(g_bytes_equal(en1, en2));       /* deterministic */
    assert_false(g_bytes_equal(en1, zh));
    /* NULL options: the programme's language, Chinese here */
    GError *err = NULL;
    GBytes *dflt = tm_selection_assignments_xlsx(sel, NULL, &err);
    assert_non_null(dflt);
    assert_true(g_bytes_equal(zh, dflt));
    g_bytes_unref(dflt);
    assert_null(tm_selection_assignments_xlsx(NULL, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    /* formula-looking names and a control character still make a workbook */
    TmSelection *h = hostile_selection();
    GBytes *hb = xlsx_with(h, TM_LANG_EN);
    assert_memory_equal(g_bytes_get_data(hb, NULL), "PK\x03\x04", 4);
    g_bytes_unref(hb);
    tm_selection_free(h);
    g_bytes_unref(en1);
    g_bytes_unref(en2);
    g_bytes_unref(zh);
    tm_selection_free(sel);
}

typedef struct {
    const TmSelection *sel;
    TmLang lang;
    GBytes *out;
} Job;

static gpointer xlsx_job(gpointer data)
{
    Job *j = data;
    TmOutputOptions *o = options(j->lang, FALSE);
    j->out = tm_selection_assignments_xlsx(j->sel, o, NULL);
    tm_output_options_free(o);
    return NULL;
}

/* Several threads writing workbooks of one selection at once get the bytes
 * of one thread alone. */
static void test_xlsx_threads(void **state)
{
    (void)state;
    TmSelection *sel = seed_selection();
    GBytes *want[2] = {xlsx_with(sel, TM_LANG_EN), xlsx_with(sel, TM_LANG_ZH)};
    enum { N = 6 };
    Job jobs[N];
    GThread *t[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (Job){sel, i % 2 ? TM_LANG_ZH : TM_LANG_EN, NULL};
        t[i] = g_thread_new("xlsx", xlsx_job, &jobs[i]);
    }
    for (int i = 0; i < N; i++) {
        g_thread_join(t[i]);
        assert_non_null(jobs[i].out);
        assert_true(g_bytes_equal(jobs[i].out, want[i % 2]));
        g_bytes_unref(jobs[i].out);
    }
    g_bytes_unref(want[0]);
    g_bytes_unref(want[1]);
    tm_selection_free(sel);
}

static GBytes *slurp(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);
    char *data = NULL;
    gsize len = 0;
    gboolean ok = g_file_get_contents(path, &data, &len, NULL);
    g_free(path);
    return ok ? g_bytes_new_take(data, len) : NULL;
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

/* assignments.xlsx in every set: the bytes of the function, in the
 * options' language; the old entry point writes it too (in English), and
 * each entry point replaces the other's set. */
static void test_set_has_xlsx(void **state)
{
    (void)state;
    TmSelection *sel = seed_selection();
    GError *err = NULL;
    char *tmp = g_dir_make_tmp("tm-xlsx-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    TmOutputOptions *zh = options(TM_LANG_ZH, FALSE);
    assert_true(tm_selection_write_with(sel, out, zh, &err));
    assert_null(err);
    GBytes *want = tm_selection_assignments_xlsx(sel, zh, &err);
    GBytes *got = slurp(out, "assignments.xlsx");
    assert_non_null(got);
    assert_true(g_bytes_equal(want, got));
    g_bytes_unref(got);
    g_bytes_unref(want);
    GBytes *csv = slurp(out, "assignments.csv");
    assert_memory_equal(g_bytes_get_data(csv, NULL), BOM "科技特派员,", strlen(BOM "科技特派员,"));
    g_bytes_unref(csv);

    /* the old entry point over the new set: English, plain CSV, xlsx too */
    assert_true(tm_selection_write(sel, out, &err));
    assert_null(err);
    want = xlsx_with(sel, TM_LANG_EN);
    got = slurp(out, "assignments.xlsx");
    assert_non_null(got);
    assert_true(g_bytes_equal(want, got));
    g_bytes_unref(got);
    g_bytes_unref(want);
    char *plain = tm_selection_assignments_csv(sel, &err);
    csv = slurp(out, "assignments.csv");
    assert_int_equal(g_bytes_get_size(csv), strlen(plain));
    assert_memory_equal(g_bytes_get_data(csv, NULL), plain, strlen(plain));
    g_bytes_unref(csv);
    g_free(plain);
    /* and the new one over the old set */
    assert_true(tm_selection_write_with(sel, out, zh, &err));
    assert_null(err);
    tm_output_options_free(zh);
    rm_tree(tmp);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
}

/* --write DIR: the sets check_xlsx.py reads */
static void write_reasons(const TmSelection *sel, const char *dir, TmLang lang)
{
    GString *t = g_string_new(NULL);
    for (int side = 0; side < 2; side++)
        for (int32_t i = 0; i < tm_selection_n_agents(sel, (TmSide)side); i++) {
            const TmProgramme *p = tm_selection_programme(sel);
            const char *name =
                side == 0 ? tm_programme_commissioner(p, i)->name : tm_programme_site(p, i)->name;
            char *why = tm_selection_reason(sel, (TmSide)side, i, lang);
            g_string_append_printf(t, "%s\t%s\t%s\n", side == 0 ? "supply" : "demand", name, why);
            g_free(why);
        }
    char *path = g_build_filename(dir, "reasons.tsv", NULL);
    if (!g_file_set_contents(path, t->str, (gssize)t->len, NULL)) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    g_free(path);
    g_string_free(t, TRUE);
}

static int write_sets(const char *dir)
{
    struct {
        const char *name;
        TmLang lang;
        gboolean hostile, old; /* old: tm_selection_write() */
    } sets[] = {{"seed-en", TM_LANG_EN, FALSE, FALSE},
                {"seed-zh", TM_LANG_ZH, FALSE, FALSE},
                {"seed-plain", TM_LANG_EN, FALSE, TRUE},
                {"hostile", TM_LANG_EN, TRUE, FALSE}};
    for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
        TmSelection *sel = sets[i].hostile ? hostile_selection() : seed_selection();
        TmOutputOptions *o = options(sets[i].lang, FALSE);
        char *out = g_build_filename(dir, sets[i].name, NULL);
        GError *err = NULL;
        if (!(sets[i].old ? tm_selection_write(sel, out, &err)
                          : tm_selection_write_with(sel, out, o, &err))) {
            fprintf(stderr, "%s\n", err->message);
            return 1;
        }
        /* the reasons beside the set (not one of its documents: written
         * after it) */
        write_reasons(sel, out, sets[i].lang);
        g_free(out);
        tm_output_options_free(o);
        tm_selection_free(sel);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_sets(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_languages),
        cmocka_unit_test(test_xlsx_bytes),
        cmocka_unit_test(test_set_has_xlsx),
        cmocka_unit_test(test_xlsx_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
