/* TmSweep (sweep.h): the grid file — both kinds of axis, escapes, the order
 * of the axes, every refusal with its SOURCE:LINE and group/key — the job
 * numbering against an independent nested-loop enumeration on random grids,
 * and the jobs' configurations and options on the seed folder, each
 * compared with the base configuration changed through the public setters. */
#include <math.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "testutil.h"

#define SEED_DIR TM_SOURCE_DIR "/seeds/jinshui-2011"

static TmSweep *load_ok(const char *text)
{
    GError *err = NULL;
    TmSweep *sw = tm_sweep_load_data(text, -1, "grid.ini", &err);
    assert_no_error(err);
    assert_non_null(sw);
    return sw;
}

/* Loading @text fails with @code and a message containing each fragment. */
static void load_fails(const char *text, int code, const char *f1, const char *f2)
{
    GError *err = NULL;
    TmSweep *sw = tm_sweep_load_data(text, -1, "grid.ini", &err);
    if (sw != NULL)
        fail_msg("expected a refusal of:\n%s", text);
    assert_non_null(err);
    if (f2 != NULL && strstr(err->message, f2) == NULL)
        fail_msg("expected \"%s\" in: %s", f2, err->message);
    tt_expect_error(&err, code, f1);
}

/* ---- grid parsing ------------------------------------------------------------- */

static void test_setting_axis(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("# a comment\n"
                          "[axis.quota]\n"
                          "setting = quota/total \n"
                          "values= 20 ; 30;none;\n");
    assert_string_equal(tm_sweep_source(sw), "grid.ini");
    assert_int_equal(tm_sweep_n_axes(sw), 1);
    assert_string_equal(tm_sweep_axis_name(sw, 0), "quota");
    assert_string_equal(tm_sweep_axis_setting(sw, 0), "quota/total");
    assert_int_equal(tm_sweep_axis_n_values(sw, 0), 3); /* a final ';' ends the list */
    assert_string_equal(tm_sweep_axis_value(sw, 0, 0), "20"); /* trimmed */
    assert_string_equal(tm_sweep_axis_value(sw, 0, 1), "30");
    assert_string_equal(tm_sweep_axis_value(sw, 0, 2), "none");
    assert_int_equal(tm_sweep_n_jobs(sw), 3);
    for (int j = 0; j < 3; j++)
        assert_int_equal(tm_sweep_job_value(sw, j, 0), j);
    /* out of range, as documented */
    assert_null(tm_sweep_axis_name(sw, 1));
    assert_null(tm_sweep_axis_name(sw, -1));
    assert_null(tm_sweep_axis_setting(sw, 1));
    assert_int_equal(tm_sweep_axis_n_values(sw, 1), 0);
    assert_int_equal(tm_sweep_axis_n_values(sw, -1), 0);
    assert_null(tm_sweep_axis_value(sw, 0, 3));
    assert_null(tm_sweep_axis_value(sw, 0, -1));
    assert_null(tm_sweep_axis_value(sw, 1, 0));
    assert_int_equal(tm_sweep_job_value(sw, 3, 0), -1);
    assert_int_equal(tm_sweep_job_value(sw, -1, 0), -1);
    assert_int_equal(tm_sweep_job_value(sw, 0, 1), -1);
    assert_int_equal(tm_sweep_job_value(sw, 0, -1), -1);
    tm_sweep_free(sw);
    /* NULL sweeps */
    assert_null(tm_sweep_source(NULL));
    assert_int_equal(tm_sweep_n_axes(NULL), 0);
    assert_int_equal(tm_sweep_n_jobs(NULL), 0);
    assert_null(tm_sweep_axis_name(NULL, 0));
    assert_int_equal(tm_sweep_job_value(NULL, 0, 0), -1);
    tm_sweep_free(NULL);
    /* the default source name; a length that cuts the text */
    GError *err = NULL;
    const char *t = "[axis.a]\nsetting=quota/total\nvalues=1;2\n[axis.b]\nsetting=x/y\nvalues=1\n";
    sw = tm_sweep_load_data(t, (gssize)(strstr(t, "[axis.b]") - t), NULL, &err);
    assert_no_error(err);
    assert_string_equal(tm_sweep_source(sw), "<data>");
    assert_int_equal(tm_sweep_n_axes(sw), 1);
    tm_sweep_free(sw);
    assert_null(tm_sweep_load_data(NULL, -1, "x", &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
}

/* `\;` is a ';' inside a value; every other escape reaches programme.ini as
 * written, and programme.ini's reader unescapes it once. */
static void test_escapes(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("[axis.lead]\n"
                          "setting=rules/S_SECTOR.leading\n"
                          "values=eit\\;food;eit;a\\\\;b\\nc\n");
    assert_int_equal(tm_sweep_axis_n_values(sw, 0), 4);
    assert_string_equal(tm_sweep_axis_value(sw, 0, 0), "eit;food");
    assert_string_equal(tm_sweep_axis_value(sw, 0, 1), "eit");
    assert_string_equal(tm_sweep_axis_value(sw, 0, 2), "a\\\\"); /* `\\` then a ';' */
    assert_string_equal(tm_sweep_axis_value(sw, 0, 3), "b\\nc"); /* one line, as written */
    GError *err = NULL;
    for (int j = 0; j < 4; j++) {
        char *text = tm_sweep_job_config_text(sw, j, NULL, -1, &err);
        assert_no_error(err);
        GKeyFile *kf = g_key_file_new();
        assert_true(g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
        char *v = g_key_file_get_value(kf, "rules", "S_SECTOR.leading", NULL);
        assert_string_equal(v, tm_sweep_axis_value(sw, 0, j));
        /* nothing else: the value did not break out of its line */
        gsize n_groups = 0, n_keys = 0;
        g_strfreev(g_key_file_get_groups(kf, &n_groups));
        g_strfreev(g_key_file_get_keys(kf, "rules", &n_keys, NULL));
        assert_int_equal(n_groups, 1);
        assert_int_equal(n_keys, 1);
        g_free(v);
        g_key_file_free(kf);
        g_free(text);
    }
    /* the two-value job runs on the seed: both sectors leading */
    TmConfig *cfg = tm_sweep_job_config(sw, 0, SEED_DIR, &err);
    assert_no_error(err);
    assert_string_equal(tm_rules_leading_sectors(tm_config_rules(cfg)), "eit;food");
    tm_config_free(cfg);
    tm_sweep_free(sw);
}

static void test_variant_axis(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("[axis.weighting.merit]\n" /* before its axis: fine */
                          "weights.site/merit = 3\n"
                          "weights.site/sector=1\n"
                          "[axis.weighting]\n"
                          "variants=balanced;merit;fit\n"
                          "[axis.weighting.fit]\n"
                          "weights.commissioner/tags=2.5\n"
                          "select/objective=egalitarian\n");
    assert_int_equal(tm_sweep_n_axes(sw), 1);
    assert_string_equal(tm_sweep_axis_name(sw, 0), "weighting");
    assert_null(tm_sweep_axis_setting(sw, 0));
    assert_int_equal(tm_sweep_axis_n_values(sw, 0), 3);
    assert_string_equal(tm_sweep_axis_value(sw, 0, 0), "balanced");
    assert_string_equal(tm_sweep_axis_value(sw, 0, 1), "merit");
    assert_string_equal(tm_sweep_axis_value(sw, 0, 2), "fit");
    GError *err = NULL;
    /* balanced: no group, changes nothing */
    char *text = tm_sweep_job_config_text(sw, 0, "[quota]\ntotal=7\n", -1, &err);
    assert_no_error(err);
    GKeyFile *kf = g_key_file_new();
    assert_true(g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
    gsize n = 0;
    g_strfreev(g_key_file_get_groups(kf, &n));
    assert_int_equal(n, 1);
    g_key_file_free(kf);
    g_free(text);
    /* merit: both lines, values trimmed */
    text = tm_sweep_job_config_text(sw, 1, "", -1, &err);
    assert_no_error(err);
    kf = g_key_file_new();
    assert_true(g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
    char *v = g_key_file_get_value(kf, "weights.site", "merit", NULL);
    assert_string_equal(v, "3");
    g_free(v);
    v = g_key_file_get_value(kf, "weights.site", "sector", NULL);
    assert_string_equal(v, "1");
    g_free(v);
    g_key_file_free(kf);
    g_free(text);
    /* fit: the select/ line is an option, not a line of programme.ini */
    text = tm_sweep_job_config_text(sw, 2, NULL, 0, &err);
    assert_no_error(err);
    assert_null(strstr(text, "select"));
    assert_non_null(strstr(text, "tags=2.5"));
    g_free(text);
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_sweep_job_options(sw, 1, o, &err));
    assert_int_equal(tm_select_options_get_objective(o), TM_OBJECTIVE_SUPPLY_OPTIMAL);
    assert_true(tm_sweep_job_options(sw, 2, o, &err));
    assert_int_equal(tm_select_options_get_objective(o), TM_OBJECTIVE_EGALITARIAN);
    tm_select_options_free(o);
    tm_sweep_free(sw);
}

/* The axes are in the order of the file; variant groups may sit anywhere. */
static void test_axis_order(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("[axis.zeta]\nsetting=quota/total\nvalues=1;2\n"
                          "[axis.mid.x]\nquota/counts=assignments\n"
                          "[axis.alpha]\nvariants=x;y;z\n"
                          "[axis.mid]\nvariants=w;x\n"
                          "[axis.alpha.z]\nquota/counts=people\n");
    assert_int_equal(tm_sweep_n_axes(sw), 3);
    assert_string_equal(tm_sweep_axis_name(sw, 0), "zeta");
    assert_string_equal(tm_sweep_axis_name(sw, 1), "alpha");
    assert_string_equal(tm_sweep_axis_name(sw, 2), "mid");
    assert_int_equal(tm_sweep_n_jobs(sw), 12);
    /* the last axis fastest */
    assert_int_equal(tm_sweep_job_value(sw, 1, 2), 1);
    assert_int_equal(tm_sweep_job_value(sw, 1, 1), 0);
    assert_int_equal(tm_sweep_job_value(sw, 2, 1), 1);
    assert_int_equal(tm_sweep_job_value(sw, 6, 0), 1);
    assert_int_equal(tm_sweep_job_value(sw, 11, 0), 1);
    assert_int_equal(tm_sweep_job_value(sw, 11, 1), 2);
    assert_int_equal(tm_sweep_job_value(sw, 11, 2), 1);
    /* later axes' settings are written after earlier ones': job 5 is
     * alpha=z (people) then mid=x (assignments) */
    GError *err = NULL;
    char *text = tm_sweep_job_config_text(sw, 5, NULL, -1, &err);
    assert_no_error(err);
    assert_non_null(strstr(text, "counts=assignments"));
    assert_null(strstr(text, "counts=people"));
    g_free(text);
    tm_sweep_free(sw);
}

/* Random grids of 1-4 axes with 1-5 values: the jobs are the nested loops,
 * last axis innermost, and each job's text holds exactly its values. */
static void test_numbering_random(void **state)
{
    (void)state;
    GRand *rng = g_rand_new_with_seed(20261203);
    GError *err = NULL;
    for (int round = 0; round < 200; round++) {
        int n_axes = g_rand_int_range(rng, 1, 5);
        int size[4] = {1, 1, 1, 1};
        gboolean variants[4] = {FALSE, FALSE, FALSE, FALSE};
        GString *g = g_string_new(NULL);
        for (int a = 0; a < n_axes; a++) {
            size[a] = g_rand_int_range(rng, 1, 6);
            variants[a] = g_rand_boolean(rng);
            g_string_append_printf(g, "[axis.a%d]\n", a);
            if (variants[a]) {
                g_string_append(g, "variants=");
                for (int v = 0; v < size[a]; v++)
                    g_string_append_printf(g, "%sv%d", v ? ";" : "", v);
                g_string_append_c(g, '\n');
                for (int v = 0; v < size[a]; v++)
                    g_string_append_printf(g, "[axis.a%d.v%d]\ng%d/k=var%d_%d\n", a, v, a, a, v);
            } else {
                g_string_append_printf(g, "setting=g%d/k\nvalues=", a);
                for (int v = 0; v < size[a]; v++)
                    g_string_append_printf(g, "%sval%d_%d", v ? ";" : "", a, v);
                g_string_append_c(g, '\n');
            }
        }
        TmSweep *sw = load_ok(g->str);
        assert_int_equal(tm_sweep_n_axes(sw), n_axes);
        assert_int_equal(tm_sweep_n_jobs(sw), size[0] * size[1] * size[2] * size[3]);
        int64_t job = 0;
        for (int i0 = 0; i0 < size[0]; i0++)
            for (int i1 = 0; i1 < size[1]; i1++)
                for (int i2 = 0; i2 < size[2]; i2++)
                    for (int i3 = 0; i3 < size[3]; i3++, job++) {
                        const int idx[4] = {i0, i1, i2, i3};
                        char *text = tm_sweep_job_config_text(sw, job, NULL, -1, &err);
                        assert_no_error(err);
                        GKeyFile *kf = g_key_file_new();
                        assert_true(g_key_file_load_from_data(kf, text, (gsize)-1,
                                                              G_KEY_FILE_NONE, NULL));
                        for (int a = 0; a < n_axes; a++) {
                            assert_int_equal(tm_sweep_job_value(sw, job, a), idx[a]);
                            char group[8], want[32];
                            g_snprintf(group, sizeof group, "g%d", a);
                            g_snprintf(want, sizeof want, "%s%d_%d", variants[a] ? "var" : "val",
                                       a, idx[a]);
                            char *v = g_key_file_get_value(kf, group, "k", NULL);
                            assert_non_null(v);
                            assert_string_equal(v, want);
                            g_free(v);
                            char label[16];
                            if (variants[a])
                                g_snprintf(label, sizeof label, "v%d", idx[a]);
                            else
                                g_snprintf(label, sizeof label, "val%d_%d", a, idx[a]);
                            assert_string_equal(tm_sweep_axis_value(sw, a, idx[a]), label);
                        }
                        g_key_file_free(kf);
                        g_free(text);
                    }
        assert_int_equal(job, tm_sweep_n_jobs(sw));
        assert_int_equal(tm_sweep_job_value(sw, job, 0), -1);
        assert_null(tm_sweep_job_config_text(sw, job, NULL, -1, &err));
        tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
        tm_sweep_free(sw);
        g_string_free(g, TRUE);
    }
    g_rand_free(rng);
}

/* Every refusal: TM_ERROR_PARSE with SOURCE:LINE and the group and key. */
static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *where, *why;
    } cases[] = {
        {"[axis.q]\nsetting=quota/total\nvalues=1\n[quota]\ntotal=3\n", "grid.ini:4: [quota]:",
         "unknown group"},
        {"[axis.q]\nsetting=quota/total\nvalues=1\nvalue=2\n", "grid.ini:4: [axis.q] value:",
         "unknown key"},
        {"[axis.q]\nsetting=quota/total\nvalues=1\nvariants=a\n",
         "grid.ini:4: [axis.q] variants:", "not both"},
        {"[axis.q]\nvariants=a\nvalues=1\n", "grid.ini:2: [axis.q] variants:", "not both"},
        {"[axis.q]\n", "grid.ini:1: [axis.q]:", "needs setting and values"},
        {"[axis.q]\nsetting=quota/total\n", "grid.ini:2: [axis.q] setting:", "needs setting"},
        {"[axis.q]\nvalues=1;2\n", "grid.ini:2: [axis.q] values:", "needs setting"},
        {"[axis.q]\nsetting=quota/total\nvalues=\n", "grid.ini:3: [axis.q] values:", "no value"},
        {"[axis.q]\nvariants=\n", "grid.ini:2: [axis.q] variants:", "no value"},
        {"[axis.q]\nsetting=quota/total\nvalues=1;;2\n", "grid.ini:3: [axis.q] values:",
         "an empty value"},
        {"[axis.q]\nsetting=quota/total\nvalues=1; ;2\n", "grid.ini:3: [axis.q] values:",
         "an empty value"},
        {"[axis.q]\nsetting=quota/total\nvalues=;\n", "grid.ini:3: [axis.q] values:",
         "an empty value"},
        {"[axis.q]\nsetting=quota/total\nvalues=1;2; 1\n", "grid.ini:3: [axis.q] values:",
         "'1' is given twice"},
        {"[axis.q]\nvariants=a;b;a\n", "grid.ini:2: [axis.q] variants:", "'a' is given twice"},
        {"[axis.q]\nvariants=a;B\n", "grid.ini:2: [axis.q] variants:", "variant 'B'"},
        {"[axis.q]\nvariants=a.b\n", "grid.ini:2: [axis.q] variants:", "[a-z0-9_-]+"},
        {"[axis.Q]\nsetting=quota/total\nvalues=1\n", "grid.ini:1: [axis.Q]:", "[a-z0-9_-]+"},
        {"[axis.]\nsetting=quota/total\nvalues=1\n", "grid.ini:1: [axis.]:", "[a-z0-9_-]+"},
        {"[axis.q r]\nsetting=quota/total\nvalues=1\n", "grid.ini:1: [axis.q r]:", "[a-z0-9_-]+"},
        {"[axisq]\nsetting=quota/total\nvalues=1\n", "grid.ini:1: [axisq]:", "unknown group"},
        {"[axis.q]\nsetting=quota\nvalues=1\n", "grid.ini:2: [axis.q] setting:", "GROUP/KEY"},
        {"[axis.q]\nsetting=/total\nvalues=1\n", "grid.ini:2: [axis.q] setting:", "GROUP/KEY"},
        {"[axis.q]\nsetting=quota/\nvalues=1\n", "grid.ini:2: [axis.q] setting:", "GROUP/KEY"},
        {"[axis.q]\nsetting=a/b/c\nvalues=1\n", "grid.ini:2: [axis.q] setting:", "GROUP/KEY"},
        {"[axis.q]\nsetting=quota/to tal\nvalues=1\n", "grid.ini:2: [axis.q] setting:",
         "letters, digits"},
        {"[axis.q]\nsetting=quota/#total\nvalues=1\n", "grid.ini:2: [axis.q] setting:", "letters, digits"},
        {"[axis.q]\nsetting=qu\x7fota/total\nvalues=1\n", "grid.ini:2: [axis.q] setting:",
         "letters, digits"},
        {"[axis.q]\nvariants=a\n[axis.q.a]\nquota/to\x01tal=3\n", "grid.ini:4: [axis.q.a] quota/to",
         "letters, digits"},
        {"[axis.q]\nsetting=select/quota\nvalues=1\n", "grid.ini:2: [axis.q] setting:",
         "objective or stability"},
        {"[axis.q]\nvariants=a\n[axis.q.a]\nselect/k=3\n", "grid.ini:4: [axis.q.a] select/k:",
         "objective or stability"},
        {"[axis.q]\nvariants=a\n[axis.q.a]\nquota=3\n", "grid.ini:4: [axis.q.a] quota:",
         "GROUP/KEY"},
        {"[axis.q]\nvariants=a\n[axis.q.a]\nquota/#total=3\n",
         "grid.ini:4: [axis.q.a] quota/#total:", "letters, digits"},
        {"[axis.q]\nvariants=a\n[axis.r.a]\nquota/total=3\n", "grid.ini:3: [axis.r.a]:",
         "no [axis.NAME] group"},
        {"[axis.q]\nvariants=a\n[axis.q.b]\nquota/total=3\n", "grid.ini:3: [axis.q.b]:",
         "'b' is not in the axis's variants"},
        {"[axis.q]\nsetting=quota/total\nvalues=1\n[axis.q.a]\nquota/total=3\n",
         "grid.ini:4: [axis.q.a]:", "has a setting"},
        {"[axis.q]\nsetting=quota/total\nvalues=1\n[axis.q]\nvalues=2\n", "grid.ini:4: [axis.q]:",
         "given twice"},
        {"# nothing\n", "grid.ini:", "no [axis.NAME] group"},
        {"", "grid.ini:", "nothing to sweep"},
        {"[axis.q\nsetting=x\n", "grid.ini:1: ", ""}, /* GKeyFile's own refusal */
        {"[axis.q]\nsetting=quota/total\nvalues=1\nnot a key line\n", "grid.ini:4: ", ""},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        load_fails(cases[i].text, TM_ERROR_PARSE, cases[i].where, cases[i].why);
}

static void test_limits(void **state)
{
    (void)state;
    GString *g = g_string_new(NULL);
    for (int a = 0; a < TM_SWEEP_MAX_AXES; a++)
        g_string_append_printf(g, "[axis.a%d]\nvariants=x;y\n", a);
    TmSweep *sw = load_ok(g->str);
    assert_int_equal(tm_sweep_n_axes(sw), 16);
    assert_int_equal(tm_sweep_n_jobs(sw), 65536);
    /* job 65535: every axis at y; job 1 only the last */
    for (int a = 0; a < 16; a++) {
        assert_int_equal(tm_sweep_job_value(sw, 65535, a), 1);
        assert_int_equal(tm_sweep_job_value(sw, 1, a), a == 15 ? 1 : 0);
        assert_int_equal(tm_sweep_job_value(sw, 32768, a), a == 0 ? 1 : 0);
    }
    tm_sweep_free(sw);
    g_string_append(g, "[axis.seventeen]\nvariants=x\n");
    load_fails(g->str, TM_ERROR_PARSE, "grid.ini:33: [axis.seventeen]:", "more than 16 axes");
    /* 1000 x 1000 is the most; 1000 x 1001 too many */
    g_string_truncate(g, 0);
    for (int a = 0; a < 2; a++) {
        g_string_append_printf(g, "[axis.a%d]\nsetting=quota/total\nvalues=", a);
        for (int v = 0; v < 1000; v++)
            g_string_append_printf(g, "%d;", v);
        g_string_append_c(g, '\n');
    }
    sw = load_ok(g->str);
    assert_int_equal(tm_sweep_n_jobs(sw), TM_SWEEP_MAX_JOBS);
    assert_int_equal(tm_sweep_job_value(sw, TM_SWEEP_MAX_JOBS - 1, 0), 999);
    assert_int_equal(tm_sweep_job_value(sw, TM_SWEEP_MAX_JOBS - 1, 1), 999);
    assert_int_equal(tm_sweep_job_value(sw, 1001, 0), 1);
    assert_int_equal(tm_sweep_job_value(sw, 1001, 1), 1);
    tm_sweep_free(sw);
    g_string_append(g, "[axis.more]\nvariants=x;y\n");
    load_fails(g->str, TM_ERROR_OVERFLOW, "grid.ini: more than 1000000 jobs", NULL);
    g_string_free(g, TRUE);
}

static char *tmp_file(const char *name, const char *text)
{
    char *dir = g_dir_make_tmp("tm-sweep-XXXXXX", NULL);
    assert_non_null(dir);
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(dir);
    return path;
}

static void remove_file_and_dir(char *path)
{
    char *dir = g_path_get_dirname(path);
    g_remove(path);
    g_rmdir(dir);
    g_free(dir);
    g_free(path);
}

static void test_load_file(void **state)
{
    (void)state;
    char *path = tmp_file("grid.ini", "[axis.q]\nsetting=quota/total\nvalues=1;2\n");
    GError *err = NULL;
    TmSweep *sw = tm_sweep_load_file(path, &err);
    assert_no_error(err);
    assert_string_equal(tm_sweep_source(sw), path);
    assert_int_equal(tm_sweep_n_jobs(sw), 2);
    tm_sweep_free(sw);
    assert_true(g_file_set_contents(path, "[axis.q]\nsetting=quota/total\nvalues=1;1\n", -1,
                                    NULL));
    assert_null(tm_sweep_load_file(path, &err));
    char *want = g_strdup_printf("%s:3: [axis.q] values:", path);
    tt_expect_error(&err, TM_ERROR_PARSE, want);
    g_free(want);
    char *missing = g_strconcat(path, ".missing", NULL);
    assert_null(tm_sweep_load_file(missing, &err));
    tt_expect_error(&err, TM_ERROR_IO, missing);
    g_free(missing);
    assert_null(tm_sweep_load_file(NULL, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    remove_file_and_dir(path);
}

/* ---- job configurations --------------------------------------------------------- */

static const char SEED_GRID[] = "[axis.quota]\n"
                                "setting=quota/total\n"
                                "values=20;40\n"
                                "[axis.food]\n"
                                "setting=sector.food/cap\n"
                                "values=5;none;8\n"
                                "[axis.weighting]\n"
                                "variants=base;merit\n"
                                "[axis.weighting.merit]\n"
                                "weights.site/merit=3\n"
                                "weights.commissioner/distance=0.5\n";

/* The base configuration with job @j's settings made through the setters. */
static TmConfig *expected_config(const char *dir, int quota, int food_cap, gboolean merit)
{
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_for_dir(dir, &err);
    assert_no_error(err);
    assert_true(tm_config_set_quota_total(cfg, quota, &err));
    int32_t cap = -1, floor = 0;
    tm_quota_sector(tm_config_quota(cfg), "food", &cap, &floor); /* keep the floor */
    assert_true(tm_config_set_sector(cfg, "food", food_cap, floor, &err));
    if (merit) {
        TmRules *r = tm_config_rules_mutable(cfg);
        assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT, 3, &err));
        assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE, 0.5, &err));
    }
    assert_no_error(err);
    return cfg;
}

static void assert_same_config(const TmConfig *got, const TmConfig *want)
{
    char *a = tm_rules_to_data(tm_config_rules(got), NULL);
    char *b = tm_rules_to_data(tm_config_rules(want), NULL);
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
    const TmQuota *qa = tm_config_quota(got), *qb = tm_config_quota(want);
    assert_int_equal(tm_quota_total(qa), tm_quota_total(qb));
    assert_int_equal(tm_quota_unit(qa), tm_quota_unit(qb));
    const TmTaxonomy *t = tm_config_taxonomy(want);
    assert_int_equal(tm_taxonomy_n_sectors(tm_config_taxonomy(got)), tm_taxonomy_n_sectors(t));
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(t); k++) {
        const char *code = tm_taxonomy_code(t, k);
        assert_string_equal(tm_taxonomy_code(tm_config_taxonomy(got), k), code);
        int32_t ca = -7, fa = -7, cb = -7, fb = -7;
        tm_quota_sector(qa, code, &ca, &fa);
        tm_quota_sector(qb, code, &cb, &fb);
        assert_int_equal(ca, cb);
        assert_int_equal(fa, fb);
    }
}

static void test_job_config_seed(void **state)
{
    (void)state;
    TmSweep *sw = load_ok(SEED_GRID);
    assert_int_equal(tm_sweep_n_jobs(sw), 12);
    static const int quotas[] = {20, 40}, caps[] = {5, -1, 8};
    GError *err = NULL;
    int64_t job = 0;
    for (int q = 0; q < 2; q++)
        for (int c = 0; c < 3; c++)
            for (int w = 0; w < 2; w++, job++) {
                TmConfig *cfg = tm_sweep_job_config(sw, job, SEED_DIR, &err);
                assert_no_error(err);
                const TmQuota *quota = tm_config_quota(cfg);
                assert_int_equal(tm_quota_total(quota), quotas[q]);
                int32_t cap = -7, floor = -7;
                assert_true(tm_quota_sector(quota, "food", &cap, &floor));
                assert_int_equal(cap, caps[c]);
                assert_int_equal(floor, 4); /* programme.ini's floor kept */
                const TmRules *r = tm_config_rules(cfg);
                if (w) {
                    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT) == 3);
                    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE) == 0.5);
                }
                /* programme.ini's other settings: S_SECTOR.leading, agri cap */
                assert_string_equal(tm_rules_leading_sectors(r), "eit;culture;food;materials");
                assert_true(tm_quota_sector(quota, "agri", &cap, &floor));
                assert_int_equal(cap, 10);
                TmConfig *want = expected_config(SEED_DIR, quotas[q], caps[c], w);
                assert_same_config(cfg, want);
                tm_config_free(want);
                char *src = g_strdup_printf("(sweep job %d)", (int)job);
                assert_non_null(strstr(tm_config_source(cfg), src));
                assert_non_null(strstr(tm_config_source(cfg), "programme.ini"));
                g_free(src);
                tm_config_free(cfg);
            }
    assert_true(tm_sweep_check(sw, SEED_DIR, &err));
    assert_no_error(err);
    /* out of range, NULLs */
    assert_null(tm_sweep_job_config(sw, 12, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
    assert_null(tm_sweep_job_config(sw, -1, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
    assert_null(tm_sweep_job_config(NULL, 0, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
    assert_null(tm_sweep_job_config(sw, 0, NULL, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    assert_false(tm_sweep_check(NULL, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    tm_sweep_free(sw);
}

/* The base text: comments kept, its settings kept, the job's over them. */
static void test_job_config_text(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("[axis.q]\nsetting=quota/total\nvalues=5;6\n");
    GError *err = NULL;
    static const char base[] = "# top comment\n[quota]\n# the quota\ntotal=30\ncounts=people\n"
                               "[rules]\nC_TITLE=false\n";
    char *text = tm_sweep_job_config_text(sw, 1, base, -1, &err);
    assert_no_error(err);
    assert_non_null(strstr(text, "# top comment"));
    assert_non_null(strstr(text, "# the quota"));
    assert_non_null(strstr(text, "total=6"));
    assert_null(strstr(text, "total=30"));
    assert_non_null(strstr(text, "counts=people"));
    assert_non_null(strstr(text, "C_TITLE=false"));
    TmConfig *cfg = tm_config_load_data(text, -1, NULL, &err);
    assert_no_error(err);
    assert_int_equal(tm_quota_total(tm_config_quota(cfg)), 6);
    assert_false(tm_rules_is_enabled(tm_config_rules(cfg), "C_TITLE"));
    tm_config_free(cfg);
    g_free(text);
    /* a length: only the first group of the base */
    text = tm_sweep_job_config_text(sw, 0, base, (gssize)(strstr(base, "[rules]") - base), &err);
    assert_no_error(err);
    assert_null(strstr(text, "C_TITLE"));
    assert_non_null(strstr(text, "total=5"));
    g_free(text);
    /* a base that is not GKeyFile text */
    assert_null(tm_sweep_job_config_text(sw, 0, "no group here\n", -1, &err));
    tt_expect_error(&err, TM_ERROR_PARSE, "base configuration");
    assert_null(tm_sweep_job_config_text(NULL, 0, NULL, -1, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
    tm_sweep_free(sw);
}

/* A bad value is TM_ERROR_PARSE naming the job, its axes, the setting and
 * programme.ini's own message; tm_sweep_check stops at the first such job. */
static void test_job_config_errors(void **state)
{
    (void)state;
    static const struct {
        const char *grid;
        int64_t bad_job;
        const char *label, *setting, *message;
    } cases[] = {
        {"[axis.q]\nsetting=quota/total\nvalues=20;abc\n[axis.w]\nvariants=a;b\n", 2,
         "grid.ini: job 2 (q=abc, w=a): ", "[quota] total=abc: ", "is not an integer"},
        {"[axis.cap]\nsetting=sector.food/cap\nvalues=6;-1\n", 1, "grid.ini: job 1 (cap=-1): ",
         "[sector.food] cap=-1: ", "[sector.food] cap: \"-1\""},
        {"[axis.w]\nvariants=ok;bad\n[axis.w.bad]\nweights.site/nonsense=1\n", 1,
         "grid.ini: job 1 (w=bad): ", "[weights.site] nonsense=1: ", "nonsense"},
        {"[axis.g]\nsetting=foo/bar\nvalues=1\n", 0, "grid.ini: job 0 (g=1): ",
         "[foo] bar=1: ", "unknown group"},
        {"[axis.s]\nsetting=sector.nowhere/cap\nvalues=1\n", 0, "grid.ini: job 0 (s=1): ",
         "[sector.nowhere] cap=1: ", "unknown sector code"},
    };
    GError *err = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TmSweep *sw = load_ok(cases[i].grid);
        for (int64_t j = 0; j < cases[i].bad_job; j++) {
            TmConfig *cfg = tm_sweep_job_config(sw, j, SEED_DIR, &err);
            assert_no_error(err);
            tm_config_free(cfg);
        }
        assert_null(tm_sweep_job_config(sw, cases[i].bad_job, SEED_DIR, &err));
        assert_non_null(err);
        if (!g_str_has_prefix(err->message, cases[i].label) ||
            strncmp(err->message + strlen(cases[i].label), cases[i].setting,
                    strlen(cases[i].setting)) != 0 ||
            strstr(err->message, "programme.ini (sweep job") == NULL)
            fail_msg("case %zu: %s", i, err->message);
        tt_expect_error(&err, TM_ERROR_PARSE, cases[i].message);
        assert_false(tm_sweep_check(sw, SEED_DIR, &err));
        tt_expect_error(&err, TM_ERROR_PARSE, cases[i].label);
        tm_sweep_free(sw);
    }
    /* bytes that are not UTF-8 in the grid: the messages are UTF-8 all the
     * same (tt_expect_error checks) */
    TmSweep *sw = load_ok("[axis.q]\nsetting=quota/total\nvalues=\xff\xfe\n"
                          "[axis.o]\nsetting=select/objective\nvalues=b\xe9st\n");
    assert_null(tm_sweep_job_config(sw, 0, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_PARSE, "grid.ini: job 0 (q=");
    TmSelectOptions *o = tm_select_options_new();
    assert_false(tm_sweep_job_options(sw, 0, o, &err));
    tt_expect_error(&err, TM_ERROR_PARSE, "unknown objective");
    tm_select_options_free(o);
    tm_sweep_free(sw);
}

/* A folder without programme.ini: the defaults under the job's settings; a
 * folder whose programme.ini is bad: its own message, its own line. */
static void test_job_config_defaults(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("tm-sweep-XXXXXX", NULL);
    TmSweep *sw = load_ok("[axis.q]\nsetting=quota/total\nvalues=7;none\n");
    GError *err = NULL;
    TmConfig *def = tm_config_new_default();
    for (int j = 0; j < 2; j++) {
        TmConfig *cfg = tm_sweep_job_config(sw, j, dir, &err);
        assert_no_error(err);
        assert_int_equal(tm_quota_total(tm_config_quota(cfg)), j == 0 ? 7 : -1);
        assert_int_equal(tm_quota_n_sectors(tm_config_quota(cfg)), 0);
        TmConfig *want = tm_config_new_default();
        assert_true(tm_config_set_quota_total(want, j == 0 ? 7 : -1, &err));
        assert_same_config(cfg, want);
        tm_config_free(want);
        tm_config_free(cfg);
    }
    assert_true(tm_sweep_check(sw, dir, &err));
    char *ini = g_build_filename(dir, "programme.ini", NULL);
    assert_true(g_file_set_contents(ini, "[quota]\ntotal=3\n\n[rules]\nC_NOPE=true\n", -1, NULL));
    assert_null(tm_sweep_job_config(sw, 0, dir, &err));
    char *want = g_strdup_printf("%s:5: [rules] C_NOPE", ini);
    tt_expect_error(&err, TM_ERROR_PARSE, want);
    g_free(want);
    g_remove(ini);
    g_free(ini);
    tm_config_free(def);
    tm_sweep_free(sw);
    g_rmdir(dir);
    g_free(dir);
}

static void test_job_options(void **state)
{
    (void)state;
    TmSweep *sw = load_ok("[axis.obj]\nsetting=select/objective\n"
                          "values=supply-optimal;Demand_Optimal;egalitarian;min-regret;"
                          "max-weight;balanced\n"
                          "[axis.st]\nsetting=select/stability\nvalues=weak;strong;super\n");
    assert_int_equal(tm_sweep_n_jobs(sw), 18);
    static const TmObjective objectives[] = {
        TM_OBJECTIVE_SUPPLY_OPTIMAL, TM_OBJECTIVE_DEMAND_OPTIMAL, TM_OBJECTIVE_EGALITARIAN,
        TM_OBJECTIVE_MIN_REGRET,     TM_OBJECTIVE_MAX_WEIGHT,     TM_OBJECTIVE_BALANCED};
    static const TmStability stabilities[] = {TM_STABILITY_WEAK, TM_STABILITY_STRONG,
                                              TM_STABILITY_SUPER};
    GError *err = NULL;
    for (int64_t j = 0; j < 18; j++) {
        TmSelectOptions *o = tm_select_options_new();
        assert_true(tm_select_options_set_k(o, 5, &err));
        assert_true(tm_sweep_job_options(sw, j, o, &err));
        assert_no_error(err);
        assert_int_equal(tm_select_options_get_objective(o), objectives[j / 3]);
        assert_int_equal(tm_select_options_get_stability(o), stabilities[j % 3]);
        assert_int_equal(tm_select_options_get_k(o), 5); /* the rest left alone */
        tm_select_options_free(o);
        /* select/ settings are not lines of programme.ini */
        TmConfig *cfg = tm_sweep_job_config(sw, j, SEED_DIR, &err);
        assert_no_error(err);
        tm_config_free(cfg);
    }
    assert_true(tm_sweep_check(sw, SEED_DIR, &err));
    TmSelectOptions *o = tm_select_options_new();
    assert_false(tm_sweep_job_options(sw, 18, o, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "out of range");
    assert_false(tm_sweep_job_options(sw, 0, NULL, &err));
    tt_expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "NULL");
    tm_sweep_free(sw);
    /* a job without select/ settings leaves the options as they are */
    sw = load_ok("[axis.q]\nsetting=quota/total\nvalues=1\n");
    assert_true(tm_select_options_set_objective(o, TM_OBJECTIVE_EGALITARIAN, &err));
    assert_true(tm_select_options_set_stability(o, TM_STABILITY_SUPER, &err));
    assert_true(tm_sweep_job_options(sw, 0, o, &err));
    assert_int_equal(tm_select_options_get_objective(o), TM_OBJECTIVE_EGALITARIAN);
    assert_int_equal(tm_select_options_get_stability(o), TM_STABILITY_SUPER);
    tm_sweep_free(sw);
    /* unknown choices: named like a bad value, and tm_sweep_check finds them */
    sw = load_ok("[axis.obj]\nsetting=select/objective\nvalues=egalitarian;best\n");
    assert_true(tm_sweep_job_options(sw, 0, o, &err));
    assert_false(tm_sweep_job_options(sw, 1, o, &err));
    tt_expect_error(&err, TM_ERROR_PARSE,
                    "grid.ini: job 1 (obj=best): [select] objective=best: unknown objective");
    assert_false(tm_sweep_check(sw, SEED_DIR, &err));
    tt_expect_error(&err, TM_ERROR_PARSE, "job 1 (obj=best)");
    tm_sweep_free(sw);
    sw = load_ok("[axis.v]\nvariants=a;b\n[axis.v.b]\nselect/stability=Strong\n");
    assert_false(tm_sweep_job_options(sw, 1, o, &err));
    tt_expect_error(&err, TM_ERROR_PARSE,
                    "job 1 (v=b): [select] stability=Strong: unknown stability");
    tm_sweep_free(sw);
    tm_select_options_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setting_axis),      cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_variant_axis),      cmocka_unit_test(test_axis_order),
        cmocka_unit_test(test_numbering_random),  cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_limits),            cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_job_config_seed),   cmocka_unit_test(test_job_config_text),
        cmocka_unit_test(test_job_config_errors), cmocka_unit_test(test_job_config_defaults),
        cmocka_unit_test(test_job_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
