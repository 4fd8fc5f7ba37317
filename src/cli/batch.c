/* techmatch — `run-many` and `sweep`: many programme runs at once, one
 * summary CSV (cli.h).
 *
 *   techmatch run-many DIR... [--jobs N] [--out FILE] [--outputs DIR]
 *                      [--objective OBJ] [--quota N|none] [--plain-csv] [--quiet]
 *   techmatch sweep [DIR] --grid FILE [--jobs N] [--out FILE] [--outputs DIR]
 *                   [--plain-csv] [--quiet]
 *
 * Each job is tm_job_run() (job.h) — the same library call the Python
 * techmatch.parallel module makes in its Dask workers — and its figures are
 * a TmSummary.  The jobs run on a pool of threads in this process, not of
 * processes: the library is reentrant (no global state; the threads test
 * runs it under ThreadSanitizer), a bad form or value is a GError and not a
 * crash, so a job cannot take the others down, and threads need no
 * serialising of inputs or results.  Python is not needed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/techmatch.h>

#include "cli.h"

#define MAX_JOBS_THREADS 64

const char cli_run_many_description[] =
    "Runs every programme folder DIR as `techmatch run DIR` would (its forms,\n"
    "its programme.ini or the built-in defaults) and writes one summary CSV:\n"
    "one row per folder with its figures — applicants and sites, eligible,\n"
    "selected against the quota, assignments, sites served, the merit cutoff,\n"
    "stable or not, the mean ranks, per sector the sites served, the coverage\n"
    "and the assignments, and the seconds taken (columns: docs/sweep.md).  A\n"
    "folder that fails (a bad form, no forms) gets a row with status \"error\"\n"
    "and the message, and the others still run.\n"
    "\n"
    "--jobs N runs N at once (default: the number of processors), on threads of\n"
    "this process (the library is reentrant).  --out FILE writes the summary\n"
    "atomically (default: standard output); --outputs DIR writes each job's\n"
    "documents (what `techmatch run -o` writes) to DIR/job-NNNN.  --quota and\n"
    "--objective apply to every job.  The CSV starts with a byte order mark so\n"
    "that Excel reads its UTF-8; --plain-csv leaves it out.\n"
    "Exit status: 0 every job ran, 2 bad usage, or a job failed (its row says\n"
    "why), or the summary could not be written.";

const char cli_sweep_description[] =
    "Runs the programme in DIR once per point of the grid FILE — every\n"
    "combination of one value per axis, each axis a setting of programme.ini\n"
    "(quota, sector caps and floors, weights, rules) or of the selection\n"
    "(objective, stability), or named variants changing several settings\n"
    "together (format: docs/sweep.md, include/techmatch/sweep.h) — and writes\n"
    "the summary CSV of `techmatch run-many` with one column per axis.  Every\n"
    "job's configuration is checked before the first runs: a bad value is an\n"
    "error naming the job, the axis and the setting, and nothing runs.\n"
    "DIR defaults to the bundled example.  --jobs, --out, --outputs and\n"
    "--plain-csv as for run-many.\n"
    "Exit status: 0 every job ran, 2 bad usage or input, or a job failed.";

typedef struct {
    /* the jobs */
    int64_t n;
    char **dirs;        /* run-many: one folder per job; sweep: NULL */
    const char *dir;    /* sweep: the folder */
    const TmSweep *sweep;
    gint64 quota;       /* run-many --quota: -2 not given, -1 none */
    const TmSelectOptions *options;
    const char *outputs;
    int width;          /* digits of job numbers */
    /* the results, one slot per job */
    TmSummary **rows;
    char **errors;
    CliProgress *progress;
    gint done;
} Batch;

static char *job_out_dir(const Batch *b, int64_t j)
{
    if (b->outputs == NULL)
        return NULL;
    char *name = g_strdup_printf("job-%0*" G_GINT64_FORMAT, b->width, j);
    char *path = g_build_filename(b->outputs, name, NULL);
    g_free(name);
    return path;
}

/* Runs job @j into its slot. */
static void run_job(Batch *b, int64_t j)
{
    GError *error = NULL;
    TmConfig *cfg = NULL;
    TmSelectOptions *opts = tm_select_options_copy(b->options);
    const char *dir = b->dirs ? b->dirs[j] : b->dir;
    if (b->sweep != NULL) {
        cfg = tm_sweep_job_config(b->sweep, j, dir, &error);
        if (cfg != NULL && !tm_sweep_job_options(b->sweep, j, opts, &error))
            g_clear_pointer(&cfg, tm_config_free);
    } else {
        cfg = tm_config_load_for_dir(dir, &error);
        if (cfg != NULL && b->quota != -2
            && !tm_config_set_quota_total(cfg, (int32_t)b->quota, &error))
            g_clear_pointer(&cfg, tm_config_free);
    }
    if (cfg != NULL) {
        char *out = job_out_dir(b, j);
        b->rows[j] = tm_job_run(dir, cfg, opts, out, &error);
        g_free(out);
    }
    if (b->rows[j] == NULL)
        b->errors[j] = g_strdup(error ? error->message : "failed (no reason given)");
    g_clear_error(&error);
    tm_config_free(cfg);
    tm_select_options_free(opts);
    int done = g_atomic_int_add(&b->done, 1) + 1;
    cli_progress_func((double)done / (double)b->n, b->progress);
}

static void pool_func(gpointer data, gpointer user)
{
    run_job(user, (int64_t)GPOINTER_TO_SIZE(data) - 1);
}

static void run_all(Batch *b, int threads)
{
    b->rows = g_new0(TmSummary *, b->n);
    b->errors = g_new0(char *, b->n);
    if (threads > b->n)
        threads = (int)b->n;
    GThreadPool *pool = threads > 1 ? g_thread_pool_new(pool_func, b, threads, TRUE, NULL)
                                    : NULL;
    for (int64_t j = 0; j < b->n; j++) {
        if (pool == NULL || !g_thread_pool_push(pool, GSIZE_TO_POINTER((gsize)j + 1), NULL))
            run_job(b, j); /* no pool (or it refused): run it here */
    }
    if (pool != NULL)
        g_thread_pool_free(pool, FALSE, TRUE); /* waits for every job */
}

/* Whether a spreadsheet would run @text as a formula: it starts with =, +,
 * -, @, tab or CR and is not simply a number (OWASP's CSV injection rule, as
 * in run's assignments.csv). */
static gboolean formula_like(const char *text)
{
    if (strchr("=+-@\t\r", text[0]) == NULL || text[0] == '\0')
        return FALSE;
    char *end = NULL;
    g_ascii_strtod(text, &end);
    return end == text || *end != '\0';
}

/* One CSV cell, quoted when it has to be; a formula-like text gets a
 * leading '. */
static void csv_cell(GString *s, const char *text, gboolean first)
{
    if (!first)
        g_string_append_c(s, ',');
    if (text == NULL)
        return;
    char *guarded = NULL;
    if (formula_like(text))
        text = guarded = g_strconcat("'", text, NULL);
    if (strpbrk(text, ",\"\r\n") == NULL) {
        g_string_append(s, text);
        g_free(guarded);
        return;
    }
    g_string_append_c(s, '"');
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            g_string_append_c(s, '"');
        g_string_append_c(s, *c);
    }
    g_string_append_c(s, '"');
    g_free(guarded);
}

/* The summary CSV: job, the job's parameters, status, error, then every
 * field of the rows in the order they first appear. */
static char *summary_csv(const Batch *b, gboolean bom)
{
    GPtrArray *fields = g_ptr_array_new();
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (int64_t j = 0; j < b->n; j++)
        for (int32_t i = 0; i < tm_summary_n_fields(b->rows[j]); i++) {
            const char *name = tm_summary_name(b->rows[j], i);
            if (g_hash_table_add(seen, (gpointer)name))
                g_ptr_array_add(fields, (gpointer)name);
        }
    GString *s = g_string_new(bom ? "\xEF\xBB\xBF" : "");
    csv_cell(s, "job", TRUE);
    int32_t n_axes = tm_sweep_n_axes(b->sweep);
    if (b->sweep == NULL)
        csv_cell(s, "dir", FALSE);
    for (int32_t a = 0; a < n_axes; a++) { /* "axis.NAME": the summary has a quota too */
        char *col = g_strconcat("axis.", tm_sweep_axis_name(b->sweep, a), NULL);
        csv_cell(s, col, FALSE);
        g_free(col);
    }
    csv_cell(s, "status", FALSE);
    csv_cell(s, "error", FALSE);
    for (guint f = 0; f < fields->len; f++)
        csv_cell(s, g_ptr_array_index(fields, f), FALSE);
    g_string_append(s, "\r\n");
    for (int64_t j = 0; j < b->n; j++) {
        char num[32];
        g_snprintf(num, sizeof num, "%" G_GINT64_FORMAT, j);
        csv_cell(s, num, TRUE);
        if (b->sweep == NULL)
            csv_cell(s, b->dirs[j], FALSE);
        for (int32_t a = 0; a < n_axes; a++)
            csv_cell(s, tm_sweep_axis_value(b->sweep, a, tm_sweep_job_value(b->sweep, j, a)),
                     FALSE);
        csv_cell(s, b->rows[j] ? "ok" : "error", FALSE);
        csv_cell(s, b->errors[j], FALSE);
        for (guint f = 0; f < fields->len; f++) {
            char *cell = tm_summary_format(b->rows[j],
                                           tm_summary_find(b->rows[j],
                                                           g_ptr_array_index(fields, f)));
            csv_cell(s, cell, FALSE);
            g_free(cell);
        }
        g_string_append(s, "\r\n");
    }
    g_hash_table_destroy(seen);
    g_ptr_array_free(fields, TRUE);
    return g_string_free(s, FALSE);
}

static void batch_clear(Batch *b)
{
    for (int64_t j = 0; b->rows && j < b->n; j++) {
        tm_summary_free(b->rows[j]);
        g_free(b->errors[j]);
    }
    g_free(b->rows);
    g_free(b->errors);
}

typedef struct {
    char *jobs, *out, *outputs, *objective, *quota, *grid;
    gboolean plain_csv, quiet;
} BatchArgs;

/* Parses the options of @command; the positional parameters stay in
 * *@args (g_strfreev()).  FALSE after a message. */
static gboolean parse_line(const char *command, const char *params, const char *description,
                           GOptionEntry *entries, int argc, char **argv, char ***args)
{
    GOptionContext *ctx = g_option_context_new(params);
    g_option_context_set_summary(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    char **strv = g_new0(char *, (gsize)argc + 1);
    strv[0] = g_strdup_printf("techmatch %s", command);
    for (int i = 1; i < argc; i++)
        strv[i] = g_strdup(argv[i]);
    GError *error = NULL;
    gboolean ok = g_option_context_parse_strv(ctx, &strv, &error);
    g_option_context_free(ctx);
    if (!ok) {
        message("%s: %s (try 'techmatch %s --help')", command, error->message, command);
        g_error_free(error);
        g_strfreev(strv);
        return FALSE;
    }
    cli_drop_end_of_options(strv);
    *args = strv;
    return TRUE;
}

/* The shared tail: run, write the summary, report failures. */
static int finish(const char *command, Batch *b, const BatchArgs *a)
{
    gint64 threads = (gint64)g_get_num_processors();
    if (a->jobs != NULL
        && !cli_parse_int_option(command, "--jobs", a->jobs, 1, MAX_JOBS_THREADS, &threads))
        return EXIT_BAD;
    if (a->outputs != NULL && g_mkdir_with_parents(a->outputs, 0777) != 0) {
        message("%s: --outputs %s: %s", command, a->outputs, g_strerror(errno));
        return EXIT_BAD;
    }
    b->width = 4;
    for (int64_t n = b->n - 1; n >= 10000; n /= 10)
        b->width++;
    b->progress = cli_progress_new(!a->quiet && isatty(STDERR_FILENO) == 1, stderr);
    char *label = g_strdup_printf("%" G_GINT64_FORMAT " jobs", b->n);
    cli_progress_step(b->progress, label);
    run_all(b, (int)MIN(threads, MAX_JOBS_THREADS));
    cli_progress_done(b->progress);
    cli_progress_free(b->progress);
    g_free(label);
    int64_t failed = 0;
    for (int64_t j = 0; j < b->n; j++)
        if (b->rows[j] == NULL) {
            failed++;
            message("%s: job %" G_GINT64_FORMAT "%s%s: %s", command, j, b->dirs ? " " : "",
                    b->dirs ? b->dirs[j] : "", b->errors[j]);
        }
    char *csv = summary_csv(b, !a->plain_csv);
    gboolean ok;
    if (a->out != NULL) {
        GError *error = NULL;
        ok = tm_file_write_atomic(a->out, csv, strlen(csv), &error);
        if (!ok)
            fail_with(error);
    } else {
        size_t len = strlen(csv);
        ok = fwrite(csv, 1, len, stdout) == len && fflush(stdout) == 0;
        if (!ok)
            message("<stdout>: write error: %s", g_strerror(errno));
    }
    g_free(csv);
    if (ok && a->out != NULL && !a->quiet)
        fprintf(stderr, "techmatch: %s: %" G_GINT64_FORMAT " jobs, %" G_GINT64_FORMAT
                " failed; summary in %s\n", command, b->n, failed, a->out);
    return ok && failed == 0 ? EXIT_OK : EXIT_BAD;
}

static void args_clear(BatchArgs *a)
{
    g_free(a->jobs);
    g_free(a->out);
    g_free(a->outputs);
    g_free(a->objective);
    g_free(a->quota);
    g_free(a->grid);
}

#define COMMON_ENTRIES(a)                                                                    \
    {"jobs", 'j', 0, G_OPTION_ARG_STRING, &(a).jobs,                                         \
     "Jobs run at once (default: the number of processors)", "N"},                           \
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &(a).out,                                         \
     "Write the summary CSV here, atomically (default: standard output)", "FILE"},          \
    {"outputs", 0, 0, G_OPTION_ARG_FILENAME, &(a).outputs,                                   \
     "Write each job's documents to DIR/job-NNNN (as techmatch run -o)", "DIR"},            \
    {"plain-csv", 0, 0, G_OPTION_ARG_NONE, &(a).plain_csv,                                   \
     "No byte order mark at the start of the CSV", NULL},                                    \
    {"quiet", 0, 0, G_OPTION_ARG_NONE, &(a).quiet, "No progress and no closing line", NULL}

int cli_run_many(int argc, char **argv)
{
    BatchArgs a = {0};
    GOptionEntry entries[] = {
        COMMON_ENTRIES(a),
        {"quota", 'q', 0, G_OPTION_ARG_STRING, &a.quota,
         "The quota of every job ('none': no quota; default: each folder's)", "N"},
        {"objective", 0, 0, G_OPTION_ARG_STRING, &a.objective,
         "Which stable matching, for every job (as techmatch run --objective)", "OBJ"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    char **args = NULL;
    int status = EXIT_BAD;
    TmSelectOptions *options = tm_select_options_new();
    Batch b = {0};
    if (!parse_line("run-many", "DIR...", cli_run_many_description, entries, argc, argv, &args))
        goto out;
    b.n = (int64_t)g_strv_length(args) - 1;
    if (b.n < 1) {
        message("run-many: expected at least one programme folder (try 'techmatch run-many "
                "--help')");
        goto out;
    }
    b.dirs = args + 1;
    b.quota = -2;
    if (a.quota != NULL) {
        if (strcmp(a.quota, "none") == 0)
            b.quota = -1;
        else if (!cli_parse_int_option("run-many", "--quota", a.quota, 0, G_MAXINT32, &b.quota))
            goto out;
    }
    if (!cli_apply_choice("run-many", a.objective, NULL, NULL, FALSE, options))
        goto out;
    b.options = options;
    status = finish("run-many", &b, &a);
out:
    batch_clear(&b);
    tm_select_options_free(options);
    g_strfreev(args);
    args_clear(&a);
    return status;
}

int cli_sweep(int argc, char **argv)
{
    BatchArgs a = {0};
    GOptionEntry entries[] = {
        {"grid", 'g', 0, G_OPTION_ARG_FILENAME, &a.grid,
         "The grid: axes of settings or variants (docs/sweep.md); required", "FILE"},
        COMMON_ENTRIES(a),
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    char **args = NULL;
    char *dir = NULL;
    int status = EXIT_BAD;
    TmSweep *sweep = NULL;
    TmSelectOptions *options = tm_select_options_new();
    GError *error = NULL;
    Batch b = {0};
    if (!parse_line("sweep", "[DIR]", cli_sweep_description, entries, argc, argv, &args))
        goto out;
    if (g_strv_length(args) > 2) {
        message("sweep: too many arguments: expected [DIR] (try 'techmatch sweep --help')");
        goto out;
    }
    if (a.grid == NULL) {
        message("sweep: --grid FILE is required (try 'techmatch sweep --help')");
        goto out;
    }
    if ((dir = cli_programme_dir("sweep", args[1])) == NULL)
        goto out;
    if ((sweep = tm_sweep_load_file(a.grid, &error)) == NULL
        || !tm_sweep_check(sweep, dir, &error)) {
        status = fail_with(error);
        goto out;
    }
    b.n = tm_sweep_n_jobs(sweep);
    b.dir = dir;
    b.sweep = sweep;
    b.quota = -2;
    b.options = options;
    status = finish("sweep", &b, &a);
out:
    batch_clear(&b);
    tm_sweep_free(sweep);
    tm_select_options_free(options);
    g_free(dir);
    g_strfreev(args);
    args_clear(&a);
    return status;
}
