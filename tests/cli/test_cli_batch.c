/* CLI tests of `techmatch run-many DIR...` and `techmatch sweep [DIR] --grid
 * FILE`: run the built binary, parse the summary CSV it writes and compare
 * every cell with what the library's tm_job_run() gives for the same
 * folder, configuration and options (linked from the static library); a
 * failing folder among good ones, --jobs 1 against --jobs 2, --outputs, a
 * bad grid that writes nothing, usage errors, --help.
 *
 *   test_cli_batch TECHMATCH_BINARY TEST_NAME
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#define SEED_DIR TM_SOURCE_DIR "/seeds/jinshui-2011"
#define BOM "\xEF\xBB\xBF"

static const char *g_tm;
static char *g_out, *g_err, *g_tmp;
static int g_status;

#include "cli_run_argv.h"
#include "testutil.h" /* tests/common */

static char *path(const char *a, const char *b)
{
    return b ? g_build_filename(g_tmp, a, b, NULL) : g_build_filename(g_tmp, a, NULL);
}

static char *read_text(const char *file)
{
    char *text = NULL;
    if (!g_file_get_contents(file, &text, NULL, NULL))
        fail_msg("cannot read %s", file);
    return text;
}

static void write_text(const char *file, const char *text)
{
    assert_true(g_file_set_contents(file, text, -1, NULL));
}

/* A copy of the seed's forms in folder @name with @ini as its programme.ini
 * (NULL: none). */
static char *seed_copy(const char *name, const char *ini)
{
    char *dir = path(name, NULL);
    g_mkdir(dir, 0755);
    static const char *const forms[] = {"sites.csv", "commissioners.csv"};
    for (size_t i = 0; i < 2; i++) {
        char *from = g_build_filename(SEED_DIR, forms[i], NULL);
        char *to = g_build_filename(dir, forms[i], NULL);
        char *text = read_text(from);
        write_text(to, text);
        g_free(text);
        g_free(from);
        g_free(to);
    }
    if (ini != NULL) {
        char *p = g_build_filename(dir, "programme.ini", NULL);
        write_text(p, ini);
        g_free(p);
    }
    return dir;
}

/* ---- the summary CSV ------------------------------------------------------------ */

typedef struct {
    GPtrArray *header; /* char * */
    GPtrArray *rows;   /* GPtrArray of char * */
} Csv;

/* Parses RFC 4180 CSV with CRLF line ends (quotes doubled inside quotes). */
static Csv csv_parse(const char *text)
{
    Csv c = {g_ptr_array_new_with_free_func(g_free),
             g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref)};
    GPtrArray *row = g_ptr_array_new_with_free_func(g_free);
    GString *cell = g_string_new(NULL);
    gboolean quoted = FALSE, first = TRUE;
    for (const char *p = text; *p;) {
        if (quoted) {
            if (*p == '"' && p[1] == '"') {
                g_string_append_c(cell, '"');
                p += 2;
            } else if (*p == '"') {
                quoted = FALSE;
                p++;
            } else {
                g_string_append_c(cell, *p++);
            }
            continue;
        }
        if (*p == '"' && cell->len == 0) {
            quoted = TRUE;
            p++;
        } else if (*p == ',') {
            g_ptr_array_add(row, g_string_free(cell, FALSE));
            cell = g_string_new(NULL);
            p++;
        } else if (*p == '\r' && p[1] == '\n') {
            g_ptr_array_add(row, g_string_free(cell, FALSE));
            cell = g_string_new(NULL);
            if (first) {
                g_ptr_array_extend_and_steal(c.header, row);
                first = FALSE;
            } else {
                g_ptr_array_add(c.rows, row);
            }
            row = g_ptr_array_new_with_free_func(g_free);
            p += 2;
        } else {
            assert_true(*p != '\n' && *p != '\r'); /* bare line ends: not our CSV */
            g_string_append_c(cell, *p++);
        }
    }
    assert_false(quoted);
    assert_int_equal(cell->len, 0); /* the last line ends with CRLF */
    assert_int_equal(row->len, 0);
    g_string_free(cell, TRUE);
    g_ptr_array_unref(row);
    for (guint r = 0; r < c.rows->len; r++)
        assert_int_equal(((GPtrArray *)g_ptr_array_index(c.rows, r))->len, c.header->len);
    return c;
}

static void csv_clear(Csv *c)
{
    g_ptr_array_unref(c->header);
    g_ptr_array_unref(c->rows);
}

static int col(const Csv *c, const char *name)
{
    for (guint i = 0; i < c->header->len; i++)
        if (strcmp(g_ptr_array_index(c->header, i), name) == 0)
            return (int)i;
    fail_msg("no column %s", name);
    return -1;
}

static const char *cell(const Csv *c, guint row, const char *name)
{
    return g_ptr_array_index((GPtrArray *)g_ptr_array_index(c->rows, row), (guint)col(c, name));
}

/* The columns start with @lead (NULL-terminated), then status, error, then
 * exactly the fields of @s in its order. */
static void expect_header(const Csv *c, const char *const *lead, const TmSummary *s)
{
    guint i = 0;
    for (; lead[i] != NULL; i++)
        assert_string_equal(g_ptr_array_index(c->header, i), lead[i]);
    assert_string_equal(g_ptr_array_index(c->header, i++), "status");
    assert_string_equal(g_ptr_array_index(c->header, i++), "error");
    assert_int_equal(c->header->len, i + (guint)tm_summary_n_fields(s));
    for (int32_t f = 0; f < tm_summary_n_fields(s); f++)
        assert_string_equal(g_ptr_array_index(c->header, i + (guint)f), tm_summary_name(s, f));
}

/* Row @r is ok and every cell but `seconds` is tm_summary_format() of @s. */
static void expect_row(const Csv *c, guint r, const TmSummary *s)
{
    assert_string_equal(cell(c, r, "status"), "ok");
    assert_string_equal(cell(c, r, "error"), "");
    for (int32_t f = 0; f < tm_summary_n_fields(s); f++) {
        const char *name = tm_summary_name(s, f);
        if (strcmp(name, "seconds") == 0) {
            char *end = NULL;
            double sec = g_ascii_strtod(cell(c, r, name), &end);
            assert_true(*end == '\0' && sec >= 0);
            continue;
        }
        char *want = tm_summary_format(s, f);
        if (strcmp(cell(c, r, name), want) != 0)
            fail_msg("row %u, %s: \"%s\", want \"%s\"", r, name, cell(c, r, name), want);
        g_free(want);
    }
}

static TmSummary *job_of(const char *dir, const TmConfig *cfg, const TmSelectOptions *o)
{
    GError *err = NULL;
    TmSummary *s = tm_job_run(dir, cfg, o, NULL, &err);
    if (s == NULL)
        fail_msg("tm_job_run %s: %s", dir, err->message);
    return s;
}

/* ---- run-many ------------------------------------------------------------------- */

static void test_run_many(void **state)
{
    (void)state;
    char *a = seed_copy("a", "[quota]\ntotal=20\n");
    char *b = seed_copy("b", NULL); /* the defaults */
    RUN("run-many", SEED_DIR, a, b, "--quiet");
    expect_status(0);
    assert_string_equal(g_err, "");
    assert_true(g_str_has_prefix(g_out, BOM));
    Csv c = csv_parse(g_out + strlen(BOM));
    const char *dirs[] = {SEED_DIR, a, b};
    TmSummary *want[3];
    for (int j = 0; j < 3; j++)
        want[j] = job_of(dirs[j], NULL, NULL);
    static const char *const lead[] = {"job", "dir", NULL};
    expect_header(&c, lead, want[0]);
    assert_int_equal(c.rows->len, 3);
    for (guint j = 0; j < 3; j++) {
        char num[8];
        g_snprintf(num, sizeof num, "%u", j);
        assert_string_equal(cell(&c, j, "job"), num);
        assert_string_equal(cell(&c, j, "dir"), dirs[j]);
        expect_row(&c, j, want[j]);
    }
    assert_string_equal(cell(&c, 1, "quota"), "20");
    assert_string_equal(cell(&c, 2, "quota"), "30");
    csv_clear(&c);
    /* --quota and --objective for every job; --out and --plain-csv */
    char *out = path("summary.csv", NULL);
    RUN("run-many", a, b, "--quota", "none", "--objective", "supply-optimal", "--plain-csv",
        "--out", out);
    expect_status(0);
    assert_string_equal(g_out, "");
    expect_contains(g_err, "2 jobs, 0 failed; summary in");
    char *text = read_text(out);
    assert_false(g_str_has_prefix(text, BOM));
    c = csv_parse(text);
    GError *err = NULL;
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_objective(o, TM_OBJECTIVE_SUPPLY_OPTIMAL, &err));
    for (guint j = 0; j < 2; j++) {
        TmConfig *cfg = tm_config_load_for_dir(j ? b : a, &err);
        assert_true(tm_config_set_quota_total(cfg, -1, &err));
        TmSummary *s = job_of(j ? b : a, cfg, o);
        expect_row(&c, j, s);
        assert_string_equal(cell(&c, j, "quota"), "");
        assert_string_equal(cell(&c, j, "objective"), "supply-optimal");
        assert_true(cell(&c, j, "objective_value")[0] != '\0');
        tm_summary_free(s);
        tm_config_free(cfg);
    }
    tm_select_options_free(o);
    csv_clear(&c);
    g_free(text);
    for (int j = 0; j < 3; j++)
        tm_summary_free(want[j]);
    g_free(out);
    g_free(a);
    g_free(b);
}

/* A folder that fails gets a row with status "error" and its message; the
 * others run; exit 2. */
static void test_run_many_failing(void **state)
{
    (void)state;
    char *empty = path("empty", NULL);
    g_mkdir(empty, 0755);
    char *bad = seed_copy("bad", "[quota]\ntotal=many\n");
    char *outputs = path("outputs", NULL);
    RUN("run-many", SEED_DIR, empty, bad, SEED_DIR, "--plain-csv", "--quiet", "--jobs", "2",
        "--outputs", outputs);
    expect_status(2);
    /* the documents of the jobs that ran, nothing for those that failed */
    for (int j = 0; j < 4; j++) {
        char name[16];
        g_snprintf(name, sizeof name, "job-%04d", j);
        char *report = g_build_filename(outputs, name, "report.md", NULL);
        char *folder = g_build_filename(outputs, name, NULL);
        assert_true(g_file_test(report, G_FILE_TEST_IS_REGULAR) == (j == 0 || j == 3));
        if (j == 1 || j == 2)
            assert_false(g_file_test(folder, G_FILE_TEST_EXISTS));
        g_free(folder);
        g_free(report);
    }
    g_free(outputs);
    Csv c = csv_parse(g_out);
    assert_int_equal(c.rows->len, 4);
    TmSummary *seed = job_of(SEED_DIR, NULL, NULL);
    static const char *const lead[] = {"job", "dir", NULL};
    expect_header(&c, lead, seed);
    expect_row(&c, 0, seed);
    expect_row(&c, 3, seed);
    for (guint j = 1; j <= 2; j++) {
        assert_string_equal(cell(&c, j, "status"), "error");
        assert_true(cell(&c, j, "error")[0] != '\0');
        assert_string_equal(cell(&c, j, "commissioners"), "");
        assert_string_equal(cell(&c, j, "seconds"), "");
    }
    expect_contains(cell(&c, 1, "error"), "sites");
    expect_contains(cell(&c, 2, "error"), "programme.ini:2: [quota] total");
    /* stderr names both, with their folders */
    expect_contains(g_err, "run-many: job 1 ");
    expect_contains(g_err, empty);
    expect_contains(g_err, "run-many: job 2 ");
    assert_null(strstr(g_err, "job 0"));
    tm_summary_free(seed);
    csv_clear(&c);
    g_free(empty);
    g_free(bad);
}

/* The same CSV from one thread and from two, but for `seconds`. */
static void remove_column(Csv *c, const char *name)
{
    int i = col(c, name);
    g_ptr_array_remove_index(c->header, (guint)i);
    for (guint r = 0; r < c->rows->len; r++)
        g_ptr_array_remove_index(g_ptr_array_index(c->rows, r), (guint)i);
}

static void assert_same_csv(Csv *x, Csv *y)
{
    remove_column(x, "seconds");
    remove_column(y, "seconds");
    assert_int_equal(x->header->len, y->header->len);
    for (guint i = 0; i < x->header->len; i++)
        assert_string_equal(g_ptr_array_index(x->header, i), g_ptr_array_index(y->header, i));
    assert_int_equal(x->rows->len, y->rows->len);
    for (guint r = 0; r < x->rows->len; r++)
        for (guint i = 0; i < x->header->len; i++)
            assert_string_equal(g_ptr_array_index((GPtrArray *)g_ptr_array_index(x->rows, r), i),
                                g_ptr_array_index((GPtrArray *)g_ptr_array_index(y->rows, r), i));
}

static void test_jobs_same(void **state)
{
    (void)state;
    char *grid = path("grid.ini", NULL);
    write_text(grid, "[axis.quota]\nsetting=quota/total\nvalues=18;24;30;36;none\n"
                     "[axis.cap]\nsetting=sector.agri/cap\nvalues=2;none\n");
    RUN("sweep", SEED_DIR, "--grid", grid, "--jobs", "1", "--plain-csv");
    expect_status(0);
    Csv one = csv_parse(g_out);
    RUN("sweep", SEED_DIR, "--grid", grid, "--jobs", "2", "--plain-csv");
    expect_status(0);
    Csv two = csv_parse(g_out);
    assert_int_equal(one.rows->len, 10);
    assert_same_csv(&one, &two);
    csv_clear(&one);
    csv_clear(&two);
    /* run-many likewise, with a failing folder among them */
    char *empty = path("empty", NULL);
    g_mkdir(empty, 0755);
    RUN("run-many", SEED_DIR, empty, SEED_DIR, SEED_DIR, "-j", "1", "--plain-csv");
    expect_status(2);
    one = csv_parse(g_out);
    RUN("run-many", SEED_DIR, empty, SEED_DIR, SEED_DIR, "-j", "2", "--plain-csv");
    expect_status(2);
    two = csv_parse(g_out);
    assert_same_csv(&one, &two);
    csv_clear(&one);
    csv_clear(&two);
    g_free(empty);
    g_free(grid);
}

/* ---- sweep ---------------------------------------------------------------------- */

static const char GRID[] = "# quota x weighting x stability\n"
                           "[axis.quota]\n"
                           "setting=quota/total\n"
                           "values=20;30\n"
                           "[axis.weighting]\n"
                           "variants=base;merit\n"
                           "[axis.weighting.merit]\n"
                           "weights.site/merit=3\n"
                           "weights.site/sector=0.5\n"
                           "[axis.stability]\n"
                           "setting=select/stability\n"
                           "values=weak;strong\n";

static void test_sweep(void **state)
{
    (void)state;
    char *grid = path("grid.ini", NULL);
    write_text(grid, GRID);
    char *out = path("sweep.csv", NULL);
    char *outputs = path("outputs", NULL);
    RUN("sweep", SEED_DIR, "--grid", grid, "--out", out, "--outputs", outputs, "--jobs", "2");
    expect_status(0);
    assert_string_equal(g_out, "");
    expect_contains(g_err, "sweep: 8 jobs, 0 failed; summary in");
    char *text = read_text(out);
    assert_true(g_str_has_prefix(text, BOM));
    Csv c = csv_parse(text + strlen(BOM));
    GError *err = NULL;
    TmSweep *sw = tm_sweep_load_file(grid, &err);
    assert_non_null(sw);
    assert_int_equal(c.rows->len, 8);
    for (int64_t j = 0; j < 8; j++) {
        TmConfig *cfg = tm_sweep_job_config(sw, j, SEED_DIR, &err);
        assert_non_null(cfg);
        TmSelectOptions *o = tm_select_options_new();
        assert_true(tm_sweep_job_options(sw, j, o, &err));
        TmSummary *s = job_of(SEED_DIR, cfg, o);
        if (j == 0) {
            static const char *const lead[] = {"job", "axis.quota", "axis.weighting",
                                               "axis.stability", NULL};
            expect_header(&c, lead, s);
        }
        char num[8];
        g_snprintf(num, sizeof num, "%d", (int)j);
        assert_string_equal(cell(&c, (guint)j, "job"), num);
        /* the last axis fastest */
        assert_string_equal(cell(&c, (guint)j, "axis.quota"), j < 4 ? "20" : "30");
        assert_string_equal(cell(&c, (guint)j, "axis.weighting"), (j / 2) % 2 ? "merit" : "base");
        assert_string_equal(cell(&c, (guint)j, "axis.stability"), j % 2 ? "strong" : "weak");
        assert_string_equal(cell(&c, (guint)j, "quota"), cell(&c, (guint)j, "axis.quota"));
        expect_row(&c, (guint)j, s);
        /* --outputs: the documents of the job, as `techmatch run -o` writes */
        char name[16];
        g_snprintf(name, sizeof name, "job-%04d", (int)j);
        char *csv_path = g_build_filename(outputs, name, "assignments.csv", NULL);
        char *report = g_build_filename(outputs, name, "report.md", NULL);
        assert_true(g_file_test(report, G_FILE_TEST_IS_REGULAR));
        char *assignments = read_text(csv_path);
        int lines = 0;
        for (const char *p = assignments; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, tm_summary_int(s, tm_summary_find(s, "assignments")) + 1);
        g_free(assignments);
        g_free(report);
        g_free(csv_path);
        tm_summary_free(s);
        tm_select_options_free(o);
        tm_config_free(cfg);
    }
    /* no more job folders than jobs */
    char *extra = g_build_filename(outputs, "job-0008", NULL);
    assert_false(g_file_test(extra, G_FILE_TEST_EXISTS));
    g_free(extra);
    /* `techmatch run` on job 0's configuration (written as the folder's
     * programme.ini) writes the same assignments */
    char *dir = seed_copy("job0", NULL);
    char *ini_file = g_build_filename(dir, "programme.ini", NULL);
    char *base = read_text(SEED_DIR "/programme.ini");
    char *job0 = tm_sweep_job_config_text(sw, 0, base, -1, &err);
    write_text(ini_file, job0);
    char *run_out = path("run-out", NULL);
    RUN("run", dir, "-o", run_out, "--quiet");
    expect_status(0);
    char *p1 = g_build_filename(run_out, "assignments.csv", NULL);
    char *p2 = g_build_filename(outputs, "job-0000", "assignments.csv", NULL);
    char *t1 = read_text(p1), *t2 = read_text(p2);
    assert_string_equal(t1, t2);
    g_free(t1);
    g_free(t2);
    g_free(p1);
    g_free(p2);
    g_free(run_out);
    g_free(job0);
    g_free(base);
    g_free(ini_file);
    g_free(dir);
    csv_clear(&c);
    tm_sweep_free(sw);
    g_free(text);
    g_free(outputs);
    g_free(out);
    g_free(grid);
}

/* A grid that does not load, or a value programme.ini refuses: exit 2, one
 * message, nothing run and nothing written. */
static void test_sweep_refused(void **state)
{
    (void)state;
    char *grid = path("grid.ini", NULL);
    char *out = path("never.csv", NULL);
    char *outputs = path("never", NULL);
    static const struct {
        const char *grid, *message;
    } cases[] = {
        {"[axis.q]\nsetting=quota/total\nvalues=1;1\n", "grid.ini:3: [axis.q] values:"},
        {"[axis.q]\nsetting=quota\nvalues=1\n", "grid.ini:2: [axis.q] setting:"},
        {"[quota]\ntotal=3\n", "grid.ini:1: [quota]:"},
        {"[axis.q]\nsetting=quota/total\nvalues=20;abc\n",
         "job 1 (q=abc): [quota] total=abc: "},
        {"[axis.o]\nsetting=select/objective\nvalues=best\n", "job 0 (o=best): [select] objective"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        write_text(grid, cases[i].grid);
        RUN("sweep", SEED_DIR, "--grid", grid, "--out", out, "--outputs", outputs);
        expect_status(2);
        assert_string_equal(g_out, "");
        assert_true(g_str_has_prefix(g_err, "techmatch: "));
        expect_contains(g_err, cases[i].message);
        assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
        assert_false(g_file_test(outputs, G_FILE_TEST_EXISTS));
    }
    /* a missing grid file */
    char *missing = path("missing.ini", NULL);
    RUN("sweep", SEED_DIR, "--grid", missing, "--out", out);
    expect_status(2);
    expect_contains(g_err, "missing.ini");
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    /* a job that fails at selection (floors above the quota) is a row */
    write_text(grid, "[axis.q]\nsetting=quota/total\nvalues=10;30\n");
    RUN("sweep", SEED_DIR, "--grid", grid, "--out", out, "--quiet");
    expect_status(2);
    char *text = read_text(out);
    Csv c = csv_parse(text + strlen(BOM));
    assert_int_equal(c.rows->len, 2);
    assert_string_equal(cell(&c, 0, "status"), "error");
    expect_contains(cell(&c, 0, "error"), "floors");
    assert_string_equal(cell(&c, 1, "status"), "ok");
    expect_contains(g_err, "sweep: job 0: ");
    csv_clear(&c);
    g_free(text);
    g_free(missing);
    g_free(outputs);
    g_free(out);
    g_free(grid);
}

static void test_usage(void **state)
{
    (void)state;
    char *grid = path("grid.ini", NULL);
    write_text(grid, "[axis.q]\nsetting=quota/total\nvalues=20\n");
    static const struct {
        const char *args[8];
        const char *message;
    } cases[] = {
        {{"sweep", SEED_DIR, NULL}, "--grid FILE is required"},
        {{"sweep", SEED_DIR, "extra", "--grid", "G", NULL}, "too many arguments"},
        {{"sweep", SEED_DIR, "--grid", "G", "--jobs", "0", NULL}, "--jobs"},
        {{"sweep", SEED_DIR, "--grid", "G", "--jobs", "65", NULL}, "--jobs"},
        {{"sweep", SEED_DIR, "--grid", "G", "--jobs", "two", NULL}, "--jobs"},
        {{"sweep", SEED_DIR, "--grid", "G", "--bogus", NULL}, "--bogus"},
        {{"run-many", NULL}, "at least one programme folder"},
        {{"run-many", SEED_DIR, "--jobs", "0", NULL}, "--jobs"},
        {{"run-many", SEED_DIR, "--quota", "-3", NULL}, "--quota"},
        {{"run-many", SEED_DIR, "--objective", "best", NULL}, "best"},
        {{"sweep", "/nonexistent/programme", "--grid", "G", NULL}, "/nonexistent/programme"},
    };
    char *out = path("never.csv", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *argv[12];
        size_t n = 0;
        for (; cases[i].args[n] != NULL; n++)
            argv[n] = strcmp(cases[i].args[n], "G") == 0 ? grid : cases[i].args[n];
        argv[n++] = "--out";
        argv[n++] = out;
        argv[n] = NULL;
        run_argv(argv);
        expect_status(2);
        assert_string_equal(g_out, "");
        assert_true(g_str_has_prefix(g_err, "techmatch: "));
        expect_contains(g_err, cases[i].message);
        assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    }
    /* --out -: standard output */
    RUN("run-many", SEED_DIR, "--out", "-", "--plain-csv", "--quiet");
    expect_status(0);
    assert_true(g_str_has_prefix(g_out, "job,dir,status,error,commissioners,"));
    char *dash = path("-", NULL);
    assert_false(g_file_test(dash, G_FILE_TEST_EXISTS));
    assert_false(g_file_test("-", G_FILE_TEST_EXISTS));
    g_free(dash);
    g_free(out);
    g_free(grid);
}

static void test_help(void **state)
{
    (void)state;
    RUN("--help");
    expect_status(0);
    expect_contains(g_out, "techmatch run-many [OPTION...] DIR...");
    expect_contains(g_out, "techmatch sweep [OPTION...] [DIR] --grid FILE");
    expect_contains(g_out, "  run-many ");
    expect_contains(g_out, "  sweep ");
    RUN("sweep", "--help");
    expect_status(0);
    static const char *const sweep_words[] = {"--grid", "--jobs", "--out", "--outputs",
                                              "--plain-csv", "--quiet", "docs/sweep.md",
                                              "Exit status"};
    for (size_t i = 0; i < G_N_ELEMENTS(sweep_words); i++)
        expect_contains(g_out, sweep_words[i]);
    RUN("run-many", "--help");
    expect_status(0);
    static const char *const many_words[] = {"--jobs", "--out", "--outputs", "--quota",
                                             "--objective", "--plain-csv", "status \"error\""};
    for (size_t i = 0; i < G_N_ELEMENTS(many_words); i++)
        expect_contains(g_out, many_words[i]);
    RUN("help", "sweep");
    expect_status(0);
    expect_contains(g_out, "--grid");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s TECHMATCH TEST\n", argv[0]);
        return 2;
    }
    g_tm = argv[1];
    static const struct {
        const char *name;
        CMUnitTestFunction fn;
    } table[] = {
        {"batch_run_many", test_run_many},
        {"batch_run_many_failing", test_run_many_failing},
        {"batch_jobs_same", test_jobs_same},
        {"batch_sweep", test_sweep},
        {"batch_sweep_refused", test_sweep_refused},
        {"batch_usage", test_usage},
        {"batch_help", test_help},
    };
    int rc = 2;
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (strcmp(argv[2], table[i].name) == 0) {
            g_tmp = g_dir_make_tmp("techmatch-cli-batch-XXXXXX", NULL);
            const struct CMUnitTest one[] = {{table[i].name, table[i].fn, NULL, NULL, NULL}};
            rc = cmocka_run_group_tests(one, NULL, NULL);
            tt_remove_tree(g_tmp);
            g_free(g_tmp);
        }
    g_free(g_out);
    g_free(g_err);
    if (rc == 2)
        fprintf(stderr, "no test named %s\n", argv[2]);
    return rc;
}
