/* techmatch — the `run` command (cli.h): a programme from its two forms,
 * screened, ranked, selected under the quota and sector limits (or by
 * another objective), written as assignments.csv, assignments.json and
 * report.md.
 *
 *   techmatch run [DIR] [--quota N|none] [--config FILE|none] [--out DIR]
 *                 [--lenient] [--k K] [--objective OBJ]
 *                 [--stability weak|strong|super] [--max-cardinality] [--seed N]
 *                 [--review FILE [--previous-review FILE]]
 *
 * Exit status: 0 success, 2 bad input, bad usage, an objective or stability
 * that cannot be met on this programme, or a failure to write the outputs;
 * 3 no strongly / super-stable matching exists.  Nothing is written unless
 * everything was computed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include <techmatch/techmatch.h>

#include "cli.h"

/* The programme directory `run` reads when none is given: relative to the
 * current directory first, then the installed example (the build-tree binary:
 * the source tree); see src/cli/data_dir.c. */
#define DEFAULT_PROGRAMME_DIR "seeds/jinshui-2011"
#define DEFAULT_OUT_DIR "techmatch-out"

/* No strongly / super-stable matching exists (TM_ERROR_NO_SUCH_MATCHING). */
#define RUN_EXIT_NO_MATCHING 3

/* The command the helpers below speak for in their messages ("run", or
 * "explain" through the shared helpers at the end of this file). */
static const char *command_name = "run";

const char cli_run_description[] =
    "Reads the programme's two forms from DIR (sites.csv or 需求登记表.csv, and\n"
    "commissioners.csv or 申请表.csv, or the same names in .xlsx: Excel\n"
    "workbooks; see docs/forms.md), screens both sides with\n"
    "the eligibility rules, ranks the candidates, applies the quota and the\n"
    "sector caps and floors, and selects on merit with two-way choice.\n"
    "Writes assignments.csv, assignments.json, report.md and a draft cooperation\n"
    "agreement per assignment (agreements/NNN-COMMISSIONER-SITE.md) to --out DIR and\n"
    "prints a summary on standard output (applicants, sites, assignments, sent\n"
    "against the quota, the merit cutoff, stable or not, the files written and\n"
    "where).  --print prints the whole report (Markdown) instead, as does a\n"
    "terminal when the report is small (at most "
    G_STRINGIFY(CLI_REPORT_SMALL_LINES) " lines and 32 KiB); --quiet\n"
    "prints nothing on success.  On a terminal, a step that takes more than a\n"
    "second shows its progress on standard error (STEP: 42% ETA 0:12).\n"
    "\n"
    "The --out DIR is replaced as a set: the documents go into a new folder\n"
    "beside it that then takes its place, so a failure leaves the old set or\n"
    "the new one, never a mix.  An existing DIR must be a real folder (not a\n"
    "link) holding only those files (and agreements/ of .md drafts); anything\n"
    "else is refused and left untouched.\n"
    "\n"
    "DIR defaults to " DEFAULT_PROGRAMME_DIR " (the Jinshui 2011 example), looked\n"
    "up in the current directory, then in the installed share/techmatch/examples\n"
    "(a binary run from its build tree: in its source tree instead).\n"
    "\n"
    "The quota (commissioners or teams sent, a team counting once; with\n"
    "--quota-counts assignments, commissioner-site pairs) is --quota N if given,\n"
    "else the [quota] total of the configuration if it sets one, else "
    G_STRINGIFY(TM_CONFIG_DEFAULT_QUOTA) "\n(the plan's \"select 30 commissioners or teams\").  --quota none removes\n"
    "it.  Applicants are admitted in merit order, each placed by deferred\n"
    "acceptance, until the next one would exceed the quota (the merit cutoff,\n"
    "stated in the report; include/techmatch/selection.h).  The rules, the\n"
    "scoring weights, the sector caps and floors and the sectors themselves\n"
    "come from --config FILE (GKeyFile: [rules], [weights.*], [scoring],\n"
    "[candidates], [quota], [taxonomy], [sector.CODE]; docs/config.md),\n"
    "by default DIR/" TM_CONFIG_FILE_NAME " when it exists; with --config none (or\n"
    "no such file) the built-in defaults apply and no sector has a cap or floor.\n"
    "\n"
    "--objective picks the stable matching (as `techmatch solve --objective`):\n"
    "supply-optimal (the default, commissioners proposing; value: their total\n"
    "rank), demand-optimal (sites proposing), egalitarian (least total rank\n"
    "of both sides), min-regret (least worst rank), max-weight (greatest total\n"
    "two-way score: each pair weighs the commissioner's score of the site plus\n"
    "the site's score of the commissioner) or balanced (a heuristic for the\n"
    "least gap between the sides' totals).  All but supply-optimal need no\n"
    "quota and no sector limits (--quota none, no [sector.*] cap or floor); the\n"
    "last four also need strict lists (no tied wishes) and capacities above 1\n"
    "on one side only.  The outputs then state the objective and its value.\n"
    "Wishes may be tied (A=B in a list cell, docs/forms.md): the matching is\n"
    "then weakly stable (ties broken by list position, or at random from\n"
    "--seed N), or strongly or super-stable with --stability, or a large\n"
    "weakly stable one with --max-cardinality (both without quota or sector\n"
    "limits).  An objective or stability that cannot be met is an error\n"
    "before anything is written.\n"
    "\n"
    "--review FILE applies the leading group's decisions (领导小组审核: pin, veto,\n"
    "exclude, admit; CSV, docs/review.md) and appends to the report what each\n"
    "changed against the previous run: the same forms and configuration\n"
    "without the review, or with the earlier review --previous-review FILE.\n"
    "\n"
    "A bad row in a form is an error (FILE:LINE:COLUMN: ...) and nothing is\n"
    "written; with --lenient bad rows are skipped, each reported on standard\n"
    "error as a warning.  Exit status: 0 success, 2 bad input, bad usage, an\n"
    "objective or stability this programme does not allow, or a failure to\n"
    "write the outputs; 3 no strongly / super-stable matching exists (nothing\n"
    "is written).";

/* ---- options ----------------------------------------------------------- */

/* Parses run's options from argv[1..] (argv[0] is "run"), leaving the
 * positional parameters in *@argv_out[1..] (g_strfreev()).  On a usage error
 * prints a message and returns FALSE. */
static gboolean parse_run_line(GOptionEntry *entries, int argc, char **argv, int *argc_out,
                               char ***argv_out)
{
    GOptionContext *ctx = g_option_context_new("[DIR]");
    g_option_context_set_summary(ctx, cli_run_description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    char **args = g_new0(char *, (gsize)argc + 1);
    args[0] = g_strdup("techmatch run"); /* GOption names the program after argv[0] */
    for (int i = 1; i < argc; i++)
        args[i] = g_strdup(argv[i]);
    char **strv = args; /* g_option_context_parse_strv may rearrange it */
    GError *error = NULL;
    gboolean ok = g_option_context_parse_strv(ctx, &strv, &error);
    g_option_context_free(ctx);
    if (!ok) {
        message("run: %s (try 'techmatch run --help')", error->message);
        g_error_free(error);
        g_strfreev(strv);
        return FALSE;
    }
    cli_drop_end_of_options(strv);
    int n = (int)g_strv_length(strv);
    if (n - 1 > 1) {
        message("run: too many arguments: expected [DIR] (try 'techmatch run --help')");
        g_strfreev(strv);
        return FALSE;
    }
    *argc_out = n;
    *argv_out = strv;
    return TRUE;
}

/* Parses @text as an integer in [@min, @max] into *@out; FALSE with a message
 * naming @option otherwise. */
static gboolean parse_int_option(const char *option, const char *text, gint64 min, gint64 max,
                                 gint64 *out)
{
    GError *error = NULL;
    if (!g_ascii_string_to_signed(text, 10, min, max, out, &error)) {
        message("%s: bad value \"%s\" for %s: expected a whole number from %" G_GINT64_FORMAT
                " to %" G_GINT64_FORMAT,
                command_name, text, option, min, max);
        g_error_free(error);
        return FALSE;
    }
    return TRUE;
}

/* What --objective, --stability, --max-cardinality and --seed ask for. */
typedef struct {
    char *objective, *stability, *seed;
    gboolean max_cardinality;
} Choice;

/* Applies @choice to @options; FALSE with a message for a bad value.  Any
 * of them makes the outputs state the objective (supply-optimal unless
 * --objective names another). */
static gboolean apply_choice(const Choice *choice, TmSelectOptions *options)
{
    int objective = TM_OBJECTIVE_SUPPLY_OPTIMAL;
    if (choice->objective != NULL
        && (objective = tm_objective_from_string(choice->objective)) < 0) {
        message("%s: bad value \"%s\" for --objective: expected supply-optimal, "
                "demand-optimal, egalitarian, min-regret, max-weight or balanced",
                command_name, choice->objective);
        return FALSE;
    }
    TmStability stability = TM_STABILITY_WEAK;
    if (choice->stability != NULL) {
        if (strcmp(choice->stability, "strong") == 0)
            stability = TM_STABILITY_STRONG;
        else if (strcmp(choice->stability, "super") == 0)
            stability = TM_STABILITY_SUPER;
        else if (strcmp(choice->stability, "weak") != 0) {
            message("%s: bad value \"%s\" for --stability: expected weak, strong or super",
                    command_name, choice->stability);
            return FALSE;
        }
    }
    if (choice->seed != NULL) {
        guint64 seed = 0;
        if (!g_ascii_string_to_unsigned(choice->seed, 10, 0, G_MAXUINT64, &seed, NULL)) {
            message("%s: bad value \"%s\" for --seed: expected a whole number from 0 to "
                    "%" G_GUINT64_FORMAT,
                    command_name, choice->seed, G_MAXUINT64);
            return FALSE;
        }
        tm_select_options_set_tie_seed(options, seed);
    }
    if (choice->max_cardinality && stability != TM_STABILITY_WEAK) {
        message("%s: --max-cardinality goes with --stability weak only (every strongly or "
                "super-stable matching has the same size)", command_name);
        return FALSE;
    }
    if (choice->objective || choice->stability || choice->seed || choice->max_cardinality)
        tm_select_options_set_objective(options, (TmObjective)objective, NULL);
    tm_select_options_set_stability(options, stability, NULL);
    tm_select_options_set_max_cardinality(options, choice->max_cardinality);
    return TRUE;
}

/* ---- inputs ------------------------------------------------------------ */

/* Prints the diagnostics of the forms reader on stderr as
 * `FILE:LINE:COLUMN: warning: ...`: its warnings, and in lenient mode the
 * rows it skipped.  In strict mode the error that failed the read is left to
 * the caller. */
static void print_diagnostics(const TmFormDiagnostics *diagnostics, gboolean lenient)
{
    for (guint i = 0; i < tm_form_diagnostics_count(diagnostics); i++) {
        const TmFormDiagnostic *d = tm_form_diagnostics_get(diagnostics, i);
        gboolean error = tm_form_diagnostic_severity(d) == TM_FORM_ERROR;
        if (error && !lenient)
            continue;
        GString *line = g_string_new(NULL);
        g_string_append_printf(line, "%s:%d:%d: warning: ", tm_form_diagnostic_file(d),
                               tm_form_diagnostic_line(d), tm_form_diagnostic_column(d));
        if (error)
            g_string_append(line, "row skipped: ");
        if (tm_form_diagnostic_field(d) != NULL)
            g_string_append_printf(line, "%s: ", tm_form_diagnostic_field(d));
        g_string_append(line, tm_form_diagnostic_message(d));
        fprintf(stderr, "%s\n", line->str);
        g_string_free(line, TRUE);
    }
    fflush(stderr);
}

/* The programme directory: @given, or the default looked up in the current
 * directory and then in the installed data (src/cli/data_dir.c).  Returns a
 * new string or NULL with a message. */
static char *programme_dir(const char *given)
{
    if (given != NULL) {
        if (!g_file_test(given, G_FILE_TEST_EXISTS)) {
            message("%s: %s: %s", command_name, given, g_strerror(ENOENT));
            return NULL;
        }
        if (!g_file_test(given, G_FILE_TEST_IS_DIR)) {
            message("%s: %s: not a directory (expected a folder holding the two forms)",
                    command_name, given);
            return NULL;
        }
        return g_strdup(given);
    }
    char *tried = NULL;
    char *found = cli_default_programme_dir(DEFAULT_PROGRAMME_DIR, &tried);
    if (found == NULL)
        message("%s: no DIR given and the example " DEFAULT_PROGRAMME_DIR
                " was not found (looked in: %s)", command_name, tried);
    g_free(tried);
    return found;
}

/* The configuration: --config FILE, --config none, or DIR's; with the
 * quota of --quota (-2: not given).  NULL with a message. */
static TmConfig *load_config(const char *config, const char *dir, gint64 quota_total,
                             const char *counts)
{
    GError *error = NULL;
    TmConfig *cfg;
    /* policy (defaults, DIR/programme.ini, the quota of 30) is the library's */
    if (config != NULL && strcmp(config, "none") == 0)
        cfg = tm_config_new_default();
    else if (config != NULL)
        cfg = tm_config_load_file(config, &error);
    else
        cfg = tm_config_load_for_dir(dir, &error);
    int unit = counts ? tm_quota_unit_from_string(counts) : -1;
    if (counts != NULL && unit < 0) {
        tm_config_free(cfg);
        message("%s: --quota-counts: '%s' is neither people (commissioners or teams sent) nor "
                "assignments (commissioner-site pairs)",
                command_name, counts);
        return NULL;
    }
    if (cfg == NULL
        || (quota_total != -2 && !tm_config_set_quota_total(cfg, (int32_t)quota_total, &error))
        || (unit >= 0 && !tm_config_set_quota_unit(cfg, (TmQuotaUnit)unit, &error))) {
        tm_config_free(cfg);
        fail_with(error);
        return NULL;
    }
    return cfg;
}

/* The exit status for a failed selection: 3 when no such matching exists. */
static int selection_failed(GError *error)
{
    gboolean none = error != NULL && error->domain == TM_ERROR
                    && error->code == TM_ERROR_NO_SUCH_MATCHING;
    if (none) {
        message("run: %s; nothing written", error->message);
        g_error_free(error);
        return RUN_EXIT_NO_MATCHING;
    }
    return fail_with(error);
}

/* ---- the command ------------------------------------------------------- */

int cli_run(int argc, char **argv)
{
    char *quota_text = NULL, *config = NULL, *out = NULL, *k_text = NULL, *counts = NULL;
    char *review_path = NULL, *previous_path = NULL, *template_path = NULL, *template = NULL;
    char *lang_text = NULL;
    TmReview *review = NULL, *previous_review = NULL;
    gboolean lenient = FALSE, plain_csv = FALSE, print = FALSE, quiet = FALSE;
    Choice choice = {NULL, NULL, NULL, FALSE};
    GOptionEntry entries[] = {
        {"quota", 'q', 0, G_OPTION_ARG_STRING, &quota_text,
         "Most commissioners or teams sent (default: the config's [quota] total, else "
         G_STRINGIFY(TM_CONFIG_DEFAULT_QUOTA) ", the plan's number); 'none' for no quota",
         "N"},
        {"quota-counts", 0, 0, G_OPTION_ARG_STRING, &counts,
         "What the quota and the sector limits count: people (default; a team is one) or "
         "assignments (commissioner-site pairs)",
         "UNIT"},
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
         "Rules, weights, quota and sector caps/floors (GKeyFile; default: DIR/"
         TM_CONFIG_FILE_NAME " when present; 'none' for the built-in defaults)", "FILE"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
         "Write assignments.csv, assignments.json and report.md here (default: ./"
         DEFAULT_OUT_DIR ")",
         "DIR"},
        {"lenient", 0, 0, G_OPTION_ARG_NONE, &lenient,
         "Skip bad rows of the forms (each reported as a warning) instead of failing", NULL},
        {"k", 'k', 0, G_OPTION_ARG_STRING, &k_text,
         "Candidates ranked per agent: 0 = all (exact), K > 0 = top K (default: the "
         "config's [candidates] k)",
         "K"},
        {"objective", 0, 0, G_OPTION_ARG_STRING, &choice.objective,
         "Which stable matching: supply-optimal (default), demand-optimal, egalitarian, "
         "min-regret, max-weight (two-way scores) or balanced",
         "OBJ"},
        {"stability", 0, 0, G_OPTION_ARG_STRING, &choice.stability,
         "With tied wishes: weak (default), strong or super", "KIND"},
        {"max-cardinality", 0, 0, G_OPTION_ARG_NONE, &choice.max_cardinality,
         "With tied wishes: a large weakly stable matching", NULL},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &choice.seed,
         "With tied wishes: break ties at random from seed N (default: by list position)",
         "N"},
        {"agreement-template", 0, 0, G_OPTION_ARG_FILENAME, &template_path,
         "The template of the draft cooperation agreements written to DIR/agreements/ "
         "(placeholders {{commissioner}}, {{site}}, ...; docs/agreements.md; default: the "
         "built-in Chinese one)",
         "FILE"},
        {"review", 0, 0, G_OPTION_ARG_FILENAME, &review_path,
         "Apply the leading group's decisions (CSV: pin, veto, exclude, admit; "
         "docs/review.md) and report what they changed against the run without them",
         "FILE"},
        {"previous-review", 0, 0, G_OPTION_ARG_FILENAME, &previous_path,
         "With --review: compare against the run with this earlier review instead", "FILE"},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &lang_text,
         "The language of the report and the other documents: zh, en or auto (default: "
         "Chinese when the forms have Chinese headers, else English)",
         "LANG"},
        {"plain-csv", 0, 0, G_OPTION_ARG_NONE, &plain_csv,
         "Write assignments.csv for programs: no byte order mark, the English code headers",
         NULL},
        {"print", 0, 0, G_OPTION_ARG_NONE, &print,
         "Print the whole report (Markdown) on standard output instead of the summary", NULL},
        {"quiet", 0, 0, G_OPTION_ARG_NONE, &quiet,
         "Print nothing on success (no summary, no progress); errors still go to standard "
         "error",
         NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n;
    char **args = NULL;
    int status = EXIT_BAD;
    char *dir = NULL, *report = NULL, *shown = NULL;
    TmConfig *cfg = NULL;
    TmSelectOptions *options = tm_select_options_new();
    TmProgramme *programme = NULL;
    TmFormDiagnostics *diagnostics = NULL;
    TmSelection *selection = NULL;
    TmOutputOptions *output = tm_output_options_new();
    GError *error = NULL;
    CliProgress *progress = NULL;
    TmReviewEffects *effects = NULL;
    guint skipped = 0, warnings = 0;

    if (!parse_run_line(entries, argc, argv, &n, &args))
        goto out;
    if (print && quiet) {
        message("run: --print and --quiet exclude each other (try 'techmatch run --help')");
        goto out;
    }
    progress = cli_progress_new(!quiet && isatty(STDERR_FILENO) == 1, stderr);
    gint64 quota_total = -2, k = -1;
    if (quota_text != NULL) {
        if (strcmp(quota_text, "none") == 0)
            quota_total = -1;
        else if (!parse_int_option("--quota", quota_text, 0, G_MAXINT32, &quota_total))
            goto out;
    }
    if ((k_text != NULL && !parse_int_option("--k", k_text, 0, G_MAXINT32, &k))
        || !apply_choice(&choice, options))
        goto out;
    if (lang_text != NULL) {
        TmLang lang;
        GError *lerr = NULL;
        if (!tm_lang_parse(lang_text, &lang, &lerr)) {
            message("run: --lang: %s", lerr->message);
            g_error_free(lerr);
            goto out;
        }
        tm_output_options_set_language(output, lang);
    }
    tm_output_options_set_plain_csv(output, plain_csv);
    if (previous_path != NULL && review_path == NULL) {
        message("run: --previous-review goes with --review (try 'techmatch run --help')");
        goto out;
    }
    if ((review_path != NULL && (review = cli_review_load("--review", review_path)) == NULL)
        || (previous_path != NULL
            && (previous_review = cli_review_load("--previous-review", previous_path)) == NULL))
        goto out;
    if (template_path != NULL) { /* read and checked before anything is computed */
        GError *terr = NULL;
        if (!g_file_get_contents(template_path, &template, NULL, &terr)) {
            message("run: --agreement-template: %s", terr->message);
            g_error_free(terr);
            goto out;
        }
        if (!tm_output_options_set_agreement_template(output, template, template_path, &terr)) {
            status = fail_with(terr);
            goto out;
        }
    }
    tm_select_options_set_review(options, review, NULL);
    dir = programme_dir(n > 1 ? args[1] : NULL);
    if (dir == NULL || (cfg = load_config(config, dir, quota_total, counts)) == NULL)
        goto out;

    programme = tm_programme_new(tm_config_taxonomy(cfg));
    diagnostics = tm_form_diagnostics_new();
    cli_progress_step(progress, cli_step_label(CLI_STEP_READ));
    gboolean read_ok = tm_forms_read_dir(programme, dir,
                                         lenient ? TM_FORMS_LENIENT : TM_FORMS_STRICT,
                                         diagnostics, &error);
    cli_progress_done(progress);
    print_diagnostics(diagnostics, lenient);
    if (!read_ok) {
        status = fail_with(error);
        goto out;
    }

    if (!tm_select_options_set_k(options, (int32_t)k, &error)) {
        status = fail_with(error);
        goto out;
    }
    tm_select_options_set_progress(options, cli_progress_func, progress, NULL);
    cli_progress_step(progress, cli_step_label(CLI_STEP_SELECT));
    selection = tm_programme_select(programme, tm_config_rules(cfg), tm_config_quota(cfg),
                                    options, &error);
    cli_progress_done(progress);
    if (selection == NULL) {
        status = selection_failed(error);
        goto out;
    }
    /* with --lenient the report lists every skipped row and warning (forms.h) */
    for (guint i = 0; lenient && i < tm_form_diagnostics_count(diagnostics); i++) {
        if (tm_form_diagnostic_severity(tm_form_diagnostics_get(diagnostics, i)) == TM_FORM_ERROR)
            skipped++;
        else
            warnings++;
    }
    if (lenient)
        tm_output_options_set_diagnostics(output, diagnostics);
    /* --review: the previous run and the comparison (the report's last section) */
    if (review != NULL
        && (effects = cli_review_effects(programme, cfg, options, selection, review,
                                         previous_review, previous_path, progress, &status))
               == NULL)
        goto out;
    /* the report for standard output, when it may be shown: made like the
     * one written (the writers make their own; a failure writes nothing) */
    gboolean may_show = !quiet && (print || isatty(STDOUT_FILENO) == 1);
    if (may_show) {
        char *section = NULL;
        cli_progress_step(progress, cli_step_label(CLI_STEP_REPORT));
        report = tm_selection_report_markdown_with(selection, output, &error);
        if (report != NULL && effects != NULL
            && (section = tm_review_effects_markdown(effects, &error)) == NULL)
            g_clear_pointer(&report, g_free);
        cli_progress_done(progress);
        if (report == NULL) {
            status = fail_with(error);
            goto out;
        }
        if (section != NULL) {
            char *full = g_strconcat(report, section, NULL);
            g_free(report);
            g_free(section);
            report = full;
        }
    }
    const char *out_dir = out != NULL ? out : DEFAULT_OUT_DIR;
    tm_output_options_set_progress(output, cli_progress_func, progress);
    cli_progress_step(progress, cli_step_label(CLI_STEP_WRITE));
    gboolean written = effects != NULL
                           ? tm_review_effects_write_with(effects, out_dir, output, &error)
                           : tm_selection_write_with(selection, out_dir, output, &error);
    cli_progress_done(progress);
    if (!written) {
        status = fail_with(error);
        goto out;
    }
    status = EXIT_OK;
    if (quiet)
        goto out;
    const char *text = report;
    if (!print && !(report != NULL && cli_report_is_small(report)))
        text = shown = cli_run_summary(selection, out_dir, skipped, warnings,
                                       review != NULL ? tm_review_n_decisions(review) : -1);
    size_t len = strlen(text);
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        message("<stdout>: write error: %s", g_strerror(errno));
        status = EXIT_BAD;
    }

out:
    cli_progress_free(progress);
    if (effects != NULL) { /* the comparison borrows the previous run */
        TmSelection *previous = (TmSelection *)tm_review_effects_previous(effects);
        tm_review_effects_free(effects);
        tm_selection_free(previous);
    }
    g_free(shown);
    g_free(report);
    tm_output_options_free(output);
    tm_selection_free(selection);
    tm_form_diagnostics_free(diagnostics);
    tm_select_options_free(options);
    tm_programme_free(programme);
    tm_config_free(cfg);
    g_free(dir);
    g_strfreev(args);
    g_free(quota_text);
    g_free(counts);
    g_free(config);
    g_free(out);
    g_free(k_text);
    g_free(choice.objective);
    g_free(choice.stability);
    g_free(choice.seed);
    g_free(review_path);
    g_free(template_path);
    g_free(lang_text);
    g_free(template);
    g_free(previous_path);
    tm_review_free(review);
    tm_review_free(previous_review);
    return status;
}

/* ---- shared with `explain` (explain.c; cli.h) -------------------------- */

gboolean cli_parse_int_option(const char *command, const char *option, const char *text,
                              gint64 min, gint64 max, gint64 *out)
{
    command_name = command;
    return parse_int_option(option, text, min, max, out);
}

gboolean cli_apply_choice(const char *command, const char *objective, const char *stability,
                          const char *seed, gboolean max_cardinality, TmSelectOptions *options)
{
    command_name = command;
    Choice choice = {(char *)objective, (char *)stability, (char *)seed, max_cardinality};
    return apply_choice(&choice, options);
}

char *cli_programme_dir(const char *command, const char *given)
{
    command_name = command;
    return programme_dir(given);
}

TmConfig *cli_load_config(const char *command, const char *config, const char *dir,
                          gint64 quota_total, const char *counts)
{
    command_name = command;
    return load_config(config, dir, quota_total, counts);
}

void cli_print_diagnostics(const TmFormDiagnostics *diagnostics, gboolean lenient)
{
    print_diagnostics(diagnostics, lenient);
}
