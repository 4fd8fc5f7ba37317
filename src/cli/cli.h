/* techmatch — what the command-line tool's files share (cli only). */
#ifndef TECHMATCH_CLI_CLI_H
#define TECHMATCH_CLI_CLI_H

#include <stdio.h>

#include <glib.h>
#include <techmatch/techmatch.h>

enum { EXIT_OK = 0, EXIT_UNSTABLE = 1, EXIT_BAD = 2, EXIT_NO_SUCH_MATCHING = 3 };

/* "techmatch: TEXT" on stderr, as raw UTF-8. */
G_GNUC_PRINTF(1, 2) void message(const char *fmt, ...);

/* Reports @error (consumed) and returns EXIT_BAD. */
int fail_with(GError *error);

/* Writes @text plus a newline to @path (atomically) or stdout when NULL;
 * FALSE (with a message) on failure. */
gboolean write_output(const char *path, const char *text);

/* Removes the "--" that ends the options, which GOption leaves among the
 * arguments it did not parse (so "techmatch solve -- -file.json" works). */
void cli_drop_end_of_options(char **strv);

/* The combination of solve's options --optimal, --objective, --all, --count
 * and --limit (-1: not given): sets *@side (the proposing side) and
 * *@lattice (the lattice is needed); prints a message and returns FALSE for
 * a bad one. */
gboolean cli_solve_mode(const char *optimal, const char *objective, gboolean all,
                        gboolean count, gint64 limit, TmSide *side, gboolean *lattice);

/* The side-optimal objectives' value as JSON text (g_free()): the total rank
 * @side gives its partners in @matching. */
char *cli_side_total(const TmMatching *matching, TmSide side);

/* A new copy of the solution document @doc (a JSON object) with the member
 * "objective": {"name": NAME, "value": VALUE} first; @value is JSON text. */
char *cli_with_objective(const char *doc, const char *name, const char *value);

/* `solve` through the lattice of stable matchings (lattice.h): with @all,
 * the list {"matchings": [{"pairs": ...}, ...], "count": n, "complete": b}
 * (at most @limit, <= 0: no limit); with @count, {"count": n, "complete": b};
 * else the solution document of @objective (egalitarian, min-regret or
 * balanced) with its value.  Returns the exit status. */
int cli_solve_lattice(const TmInstance *inst, const char *objective, gboolean all,
                      gboolean count, gint64 limit, const char *out);

/* ---- ties (solve_ties.c) ---------------------------------------------- */

/* solve's options for markets with ties. */
typedef struct {
    TmStability stability;    /* --stability (default weak) */
    gboolean max_cardinality; /* --max-cardinality */
    gboolean seeded;          /* --seed given */
    guint64 seed;             /* its value */
} CliTies;

/* "weak", "strong" or "super". */
const char *cli_stability_name(TmStability stability);

/* Parses --stability of @command (NULL: weak); prints a message and returns
 * FALSE for a bad value. */
gboolean cli_parse_stability(const char *command, const char *text, TmStability *out);

/* Checks --stability, --max-cardinality and --seed and their combinations
 * (@lattice_what names the lattice option in use, e.g. "--all", or NULL);
 * fills *@out.  Prints a message and returns FALSE for a bad one. */
gboolean cli_ties_mode(const char *stability, gboolean max_cardinality, const char *seed,
                       const char *lattice_what, CliTies *out);

/* FALSE (with a message naming @command and @path) when the instance has
 * ties and @lattice_what is set (the lattice needs strict lists) or it has
 * groups (their audit needs strict lists). */
gboolean cli_ties_instance_ok(const char *command, const TmInstance *inst, const char *path,
                              const char *lattice_what);

/* A new copy of the solution document @doc with "stability": NAME before
 * "stable" and, when @verdict (a verdict document) is given, its members in
 * place of the audit of @doc. */
char *cli_with_stability(const char *doc, TmStability stability, const char *verdict,
                         GError **error);

/* The solution document of @matching stating @stability, with the audit of
 * that notion (under the groups when the instance has any). */
char *cli_solution_document(const TmInstance *inst, const TmMatching *matching,
                            TmStability stability, GError **error);

/* check's document {"stability", "stable", "blocking_pairs", "violations"};
 * *@stable tells whether the audit found it stable. */
char *cli_verdict_document(const TmInstance *inst, const TmMatching *matching,
                           TmStability stability, gboolean *stable, GError **error);

/* `solve` by tm_solve() with @ties: writes the document (with the objective
 * value when @objective is given) to @out or stdout.  Returns the exit
 * status: EXIT_NO_SUCH_MATCHING (with a message) when no matching of the
 * asked-for stability exists. */
int cli_solve_ties(const TmInstance *inst, const char *path, TmSide side, const CliTies *ties,
                   const char *objective, const char *out);

/* `run` (run.c): its description for `techmatch run --help` and the command
 * itself on argv[0] = "run", argv[1..] its options and DIR; returns the exit
 * status (0, 2, or 3 when no strongly / super-stable matching exists). */
extern const char cli_run_description[];
int cli_run(int argc, char **argv);

/* `run-many` and `sweep` (batch.c): descriptions and the commands on
 * argv[0] = their name; return the exit status (0, or 2 when a job failed or
 * on bad usage). */
extern const char cli_run_many_description[];
extern const char cli_sweep_description[];
int cli_run_many(int argc, char **argv);
int cli_sweep(int argc, char **argv);

/* ---- run's loading, shared with `explain` (run.c) --------------------- */

/* run's helpers, with messages naming @command: an integer option in
 * [@min, @max]; --objective, --stability, --seed and --max-cardinality
 * applied to @options; the programme folder (@given, or the default seed);
 * the configuration (--config FILE|none or DIR's, with --quota, -2: not
 * given, and --quota-counts, NULL: not given; NULL after a message); the
 * forms reader's warnings on stderr. */
gboolean cli_parse_int_option(const char *command, const char *option, const char *text,
                              gint64 min, gint64 max, gint64 *out);
gboolean cli_apply_choice(const char *command, const char *objective, const char *stability,
                          const char *seed, gboolean max_cardinality, TmSelectOptions *options);
char *cli_programme_dir(const char *command, const char *given);
TmConfig *cli_load_config(const char *command, const char *config, const char *dir,
                          gint64 quota_total, const char *counts);
void cli_print_diagnostics(const TmFormDiagnostics *diagnostics, gboolean lenient);

/* `explain` (explain.c): its description and the command on argv[0] =
 * "explain"; returns the exit status (0, 2, or 3). */
extern const char cli_explain_description[];
int cli_explain(int argc, char **argv);
/* ---- run --review (run_review.c) --------------------------------------- */

/* The review CSV at @path (docs/review.md), or NULL with a message naming
 * @option ("--review", "--previous-review"). */
TmReview *cli_review_load(const char *option, const char *path);

/* The comparison `run --review` reports (review_effects.h): the previous
 * run (@options with @previous_review read from @previous_path, NULL: none;
 * shown as a step of @progress) against @current (made with @review).  The
 * comparison borrows the previous run, which the caller frees after it
 * (tm_review_effects_previous()).  NULL after a message, with the exit
 * status in *@status (EXIT_OK otherwise). */
typedef struct CliProgress CliProgress;
TmReviewEffects *cli_review_effects(TmProgramme *programme, const TmConfig *cfg,
                                    const TmSelectOptions *options, const TmSelection *current,
                                    const TmReview *review, const TmReview *previous_review,
                                    const char *previous_path, CliProgress *progress,
                                    int *status);

/* ---- output of run (progress.c, run_summary.c) ------------------------ */

/* A progress line on @stream for the long steps (progress.c): nothing at
 * all unless @enabled (the caller passes isatty(2) && !--quiet).  A step
 * (cli_progress_step(), a label such as "reading the forms") shows, after
 * its first second, `LABEL: 42% ETA 0:12` from the fractions given to
 * cli_progress_func() (a TmProgressFunc, callable from any thread; the
 * fraction never goes back within a step), or `LABEL: 0:03` (time so far)
 * when none was given; cli_progress_done() erases it.  All NULL-safe. */
CliProgress *cli_progress_new(gboolean enabled, FILE *stream);
void cli_progress_step(CliProgress *progress, const char *label);
void cli_progress_func(double fraction, gpointer progress);
void cli_progress_done(CliProgress *progress);
void cli_progress_free(CliProgress *progress);
/* The text of the line (g_free()): @fraction < 0 for none, @elapsed_us
 * the step's time so far. */
char *cli_progress_line(const char *label, double fraction, gint64 elapsed_us);

/* The labels of run's steps (kept with the summary's words, run_summary.c). */
const char *cli_step_label(int step);
enum { CLI_STEP_READ, CLI_STEP_SELECT, CLI_STEP_REPORT, CLI_STEP_WRITE };

/* What `run` prints on standard output (run_summary.c): the whole report
 * with --print, nothing with --quiet, else the report when standard output
 * is a terminal and the report is small (CLI_REPORT_SMALL_LINES lines and
 * CLI_REPORT_SMALL_BYTES bytes at most; docs/techmatch.1), else the
 * summary. */
#define CLI_REPORT_SMALL_LINES 200
#define CLI_REPORT_SMALL_BYTES ((size_t)32 * 1024)
gboolean cli_report_is_small(const char *report);

/* The summary `run` prints (g_free()): the applicants and sites (eligible),
 * the assignments, those sent against the quota, the merit cutoff, the
 * certificate's verdict, the rows a lenient read skipped (@skipped, with
 * @warnings), the review's decisions (@n_decisions, < 0: no review), and
 * the files written into @out_dir (shown as an absolute path). */
char *cli_run_summary(const TmSelection *selection, const char *out_dir, guint skipped,
                      guint warnings, int n_decisions);

/* The bundled example when no DIR is given (src/cli/data_dir.c): @relative
 * (seeds/jinshui-2011) in the current directory, then -- the build-tree
 * binary -- in the source tree, or -- the installed binary -- in the
 * installed share/techmatch/examples (beside the executable, then the
 * compiled-in data dir).  Returns a new path or NULL; *@tried (g_free(), may
 * be NULL) lists the places looked in. */
char *cli_default_programme_dir(const char *relative, char **tried);

#endif /* TECHMATCH_CLI_CLI_H */
