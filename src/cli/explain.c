/* techmatch — the `explain` command (cli.h): for one commissioner or site of
 * a programme, its list with every candidate's score in parts, which rule
 * removed whom, and why it ended where it did (explain.h).
 *
 *   techmatch explain [DIR] NAME [--side commissioner|site] [--json] [--all]
 *                     [--quota N|none] [--quota-counts people|assignments]
 *                     [--config FILE|none] [--lenient] [--k K]
 *                     [--objective OBJ] [--stability KIND] [--max-cardinality]
 *                     [--seed N] [--review FILE]
 *
 * The selection is made as `techmatch run` makes it (the same options, read
 * by run.c's helpers); nothing is written but the explanation on standard
 * output.  Exit status: 0 success; 2 bad input or usage, a name that is no
 * agent's, or one that is both a commissioner's and a site's without --side;
 * 3 no strongly / super-stable matching exists.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include <glib.h>

#include <techmatch/techmatch.h>

#include "cli.h"


const char cli_explain_description[] =
    "Explains where one commissioner or site of the programme in DIR ended and\n"
    "why: its preference list with each candidate's ranks both ways and both\n"
    "scores broken into their weighted parts (sector, tags, title, years,\n"
    "distance, merit), which rule removed each candidate that is not in the list\n"
    "(with the value at fault), and for every candidate it ranked above where it\n"
    "ended, why not: that candidate holds partners it prefers (named, with their\n"
    "ranks), its places were closed by a sector cap or the quota, or the\n"
    "commissioner was cut by the quota at the merit cutoff.\n"
    "\n"
    "The selection is made exactly as 'techmatch run' makes it, with the same\n"
    "--config, --quota, --quota-counts, --k, --lenient, --objective, --stability,\n"
    "--max-cardinality, --seed and --review (the leading group's decisions,\n"
    "docs/review.md); DIR defaults to the Jinshui 2011 example.\n"
    "NAME is a commissioner's or a site's name as in the forms; a name that is\n"
    "both needs --side commissioner or --side site.  --json prints the\n"
    "explanation as JSON (every candidate); the text shows the first "
    G_STRINGIFY(TM_EXPLAIN_MAX_UNLISTED) "\n"
    "candidates outside the list unless --all is given.\n"
    "\n"
    "Exit status: 0 success; 2 bad input or usage, an unknown name, or an\n"
    "ambiguous one without --side; 3 no strongly / super-stable matching exists.";

static gboolean parse_line(GOptionEntry *entries, int argc, char **argv, int *argc_out,
                           char ***argv_out)
{
    GOptionContext *ctx = g_option_context_new("[DIR] NAME");
    g_option_context_set_summary(ctx, cli_explain_description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    char **args = g_new0(char *, (gsize)argc + 1);
    args[0] = g_strdup("techmatch explain");
    for (int i = 1; i < argc; i++)
        args[i] = g_strdup(argv[i]);
    char **strv = args;
    GError *error = NULL;
    gboolean ok = g_option_context_parse_strv(ctx, &strv, &error);
    g_option_context_free(ctx);
    if (!ok) {
        message("explain: %s (try 'techmatch explain --help')", error->message);
        g_error_free(error);
        g_strfreev(strv);
        return FALSE;
    }
    cli_drop_end_of_options(strv);
    int n = (int)g_strv_length(strv);
    if (n < 2 || n > 3) {
        message("explain: %s arguments: expected [DIR] NAME (try 'techmatch explain --help')",
                n < 2 ? "missing" : "too many");
        g_strfreev(strv);
        return FALSE;
    }
    *argc_out = n;
    *argv_out = strv;
    return TRUE;
}

/* --side: -1 when not given; FALSE with a message for a bad value. */
static gboolean parse_side(const char *text, int *side)
{
    *side = -1;
    if (text == NULL)
        return TRUE;
    if (g_ascii_strcasecmp(text, "commissioner") == 0 || g_ascii_strcasecmp(text, "supply") == 0
        || strcmp(text, "特派员") == 0)
        *side = TM_SIDE_SUPPLY;
    else if (g_ascii_strcasecmp(text, "site") == 0 || g_ascii_strcasecmp(text, "demand") == 0
             || strcmp(text, "派驻点") == 0)
        *side = TM_SIDE_DEMAND;
    else {
        message("explain: bad value \"%s\" for --side: expected commissioner or site", text);
        return FALSE;
    }
    return TRUE;
}

/* The review CSV at @path (docs/review.md) set on @options; FALSE after a
 * message. */
static gboolean set_review(const char *path, TmSelectOptions *options)
{
    TmReview *review = tm_review_new();
    GError *error = NULL;
    gboolean ok = tm_review_load_file(review, path, &error)
                  && tm_select_options_set_review(options, review, &error);
    if (!ok) {
        message("explain: --review: %s", error->message);
        g_error_free(error);
    }
    tm_review_free(review);
    return ok;
}

/* The selection as `run` makes it; NULL with *@status set after a message. */
static TmSelection *select_as_run(const char *dir, const char *config, gint64 quota_total,
                                  const char *counts, gboolean lenient,
                                  TmSelectOptions *options, TmProgramme **programme,
                                  int *status)
{
    GError *error = NULL;
    TmConfig *cfg = cli_load_config("explain", config, dir, quota_total, counts);
    if (cfg == NULL)
        return NULL;
    *programme = tm_programme_new(tm_config_taxonomy(cfg));
    /* the long steps as `run` shows them, on a terminal's stderr only */
    CliProgress *progress = cli_progress_new(isatty(STDERR_FILENO) == 1, stderr);
    TmFormDiagnostics *diagnostics = tm_form_diagnostics_new();
    cli_progress_step(progress, cli_step_label(CLI_STEP_READ));
    gboolean ok = tm_forms_read_dir(*programme, dir, lenient ? TM_FORMS_LENIENT : TM_FORMS_STRICT,
                                    diagnostics, &error);
    cli_progress_done(progress);
    cli_print_diagnostics(diagnostics, lenient);
    tm_form_diagnostics_free(diagnostics);
    TmSelection *sel = NULL;
    if (ok) {
        tm_select_options_set_progress(options, cli_progress_func, progress, NULL);
        cli_progress_step(progress, cli_step_label(CLI_STEP_SELECT));
        sel = tm_programme_select(*programme, tm_config_rules(cfg), tm_config_quota(cfg), options,
                                  &error);
        cli_progress_done(progress);
        tm_select_options_set_progress(options, NULL, NULL, NULL);
    }
    cli_progress_free(progress);
    tm_config_free(cfg);
    if (sel == NULL) {
        gboolean none = error != NULL && error->domain == TM_ERROR
                        && error->code == TM_ERROR_NO_SUCH_MATCHING;
        *status = fail_with(error);
        if (none)
            *status = EXIT_NO_SUCH_MATCHING;
    }
    return sel;
}

int cli_explain(int argc, char **argv)
{
    char *quota_text = NULL, *config = NULL, *k_text = NULL, *side_text = NULL, *counts = NULL;
    char *objective = NULL, *stability = NULL, *seed = NULL, *review = NULL, *lang_text = NULL;
    gboolean lenient = FALSE, json = FALSE, all = FALSE, max_cardinality = FALSE;
    GOptionEntry entries[] = {
        {"side", 0, 0, G_OPTION_ARG_STRING, &side_text,
         "Look NAME up among the commissioners or the sites only (needed when both have it)",
         "commissioner|site"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the explanation as JSON", NULL},
        {"all", 0, 0, G_OPTION_ARG_NONE, &all,
         "Show every candidate outside the list (text; JSON always has them all)", NULL},
        {"quota", 'q', 0, G_OPTION_ARG_STRING, &quota_text,
         "As for run: the quota (default: the config's, else "
         G_STRINGIFY(TM_CONFIG_DEFAULT_QUOTA) "); 'none' for no quota", "N"},
        {"quota-counts", 0, 0, G_OPTION_ARG_STRING, &counts,
         "As for run: what the quota and the sector limits count, people (default) or "
         "assignments", "UNIT"},
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
         "As for run: rules, weights, quota, sector limits (default: DIR/"
         TM_CONFIG_FILE_NAME " when present; 'none' for the built-in defaults)", "FILE"},
        {"lenient", 0, 0, G_OPTION_ARG_NONE, &lenient,
         "Skip bad rows of the forms (each reported as a warning)", NULL},
        {"k", 'k', 0, G_OPTION_ARG_STRING, &k_text,
         "As for run: candidates ranked per agent (0 = all)", "K"},
        {"objective", 0, 0, G_OPTION_ARG_STRING, &objective,
         "As for run: which stable matching", "OBJ"},
        {"stability", 0, 0, G_OPTION_ARG_STRING, &stability,
         "As for run: with tied wishes, weak (default), strong or super", "KIND"},
        {"max-cardinality", 0, 0, G_OPTION_ARG_NONE, &max_cardinality,
         "As for run: with tied wishes, a large weakly stable matching", NULL},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed,
         "As for run: with tied wishes, break ties at random from seed N", "N"},
        {"review", 0, 0, G_OPTION_ARG_FILENAME, &review,
         "As for run: apply the leading group's decisions (CSV: pin, veto, exclude, admit; "
         "docs/review.md)", "FILE"},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &lang_text,
         "As for run: the language of the texts, zh, en or auto (default: Chinese when the "
         "forms have Chinese headers; JSON keys and codes stay English)",
         "LANG"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n, side = -1, status = EXIT_BAD;
    char **args = NULL;
    char *dir = NULL, *doc = NULL;
    TmSelectOptions *options = tm_select_options_new();
    TmProgramme *programme = NULL;
    TmSelection *sel = NULL;
    TmExplanation *expl = NULL;
    GError *error = NULL;
    gint64 quota_total = -2, k = -1;
    TmLang lang = TM_LANG_AUTO;

    if (!parse_line(entries, argc, argv, &n, &args) || !parse_side(side_text, &side))
        goto out;
    if (lang_text != NULL && !tm_lang_parse(lang_text, &lang, &error)) {
        message("explain: --lang: %s", error->message);
        g_clear_error(&error);
        goto out;
    }
    if (quota_text != NULL) {
        if (strcmp(quota_text, "none") == 0)
            quota_total = -1;
        else if (!cli_parse_int_option("explain", "--quota", quota_text, 0, G_MAXINT32,
                                       &quota_total))
            goto out;
    }
    if ((k_text != NULL && !cli_parse_int_option("explain", "--k", k_text, 0, G_MAXINT32, &k))
        || !cli_apply_choice("explain", objective, stability, seed, max_cardinality, options)
        || !tm_select_options_set_k(options, (int32_t)k, NULL)
        || (review != NULL && !set_review(review, options)))
        goto out;
    const char *name = args[n - 1];
    dir = cli_programme_dir("explain", n == 3 ? args[1] : NULL);
    if (dir == NULL)
        goto out;
    sel = select_as_run(dir, config, quota_total, counts, lenient, options, &programme, &status);
    if (sel == NULL)
        goto out;
    TmSide found;
    int32_t id;
    if (!tm_selection_find_agent(sel, name, side, &found, &id, &error)) {
        char *text = g_strdup_printf("explain: %s: %s", dir, error->message);
        g_clear_error(&error);
        message("%s", text);
        g_free(text);
        status = EXIT_BAD;
        goto out;
    }
    expl = tm_selection_explain_agent_lang(sel, found, id, lang, &error);
    doc = expl == NULL ? NULL
          : json       ? tm_explanation_to_json(expl, &error)
                       : tm_explanation_to_text(expl, all ? -1 : TM_EXPLAIN_MAX_UNLISTED, &error);
    if (doc == NULL) {
        status = fail_with(error);
        goto out;
    }
    size_t len = strlen(doc);
    if (fwrite(doc, 1, len, stdout) != len || fflush(stdout) != 0) {
        message("<stdout>: write error: %s", g_strerror(errno));
        status = EXIT_BAD;
        goto out;
    }
    status = EXIT_OK;

out:
    g_free(doc);
    tm_explanation_free(expl);
    tm_selection_free(sel);
    tm_programme_free(programme);
    tm_select_options_free(options);
    g_free(dir);
    g_strfreev(args);
    g_free(quota_text);
    g_free(counts);
    g_free(config);
    g_free(k_text);
    g_free(side_text);
    g_free(objective);
    g_free(stability);
    g_free(seed);
    g_free(review);
    g_free(lang_text);
    return status;
}
