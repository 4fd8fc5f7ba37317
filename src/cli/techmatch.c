/* techmatch — the command-line tool.
 *
 *   techmatch solve INSTANCE.json|EDGES.tsv [--optimal supply|demand | --objective OBJ]
 *                   [--all | --count] [--limit N] [--out FILE]
 *                   [--stability weak|strong|super] [--max-cardinality] [--seed N]
 *   techmatch check INSTANCE.json MATCHING.json [--stability weak|strong|super]
 *   techmatch run [DIR] [--quota N] [--config FILE] [--out DIR] [--lenient] [--k K]
 *                 [--objective OBJ] [--stability KIND] [--max-cardinality] [--seed N]
 *                 (run.c)
 *   techmatch explain [DIR] NAME [--side commissioner|site] [--json] [--all] and
 *                 run's options (explain.c)
 *   techmatch run-many DIR... [--jobs N] [--out FILE] [--outputs DIR] (batch.c)
 *   techmatch sweep [DIR] --grid FILE [--jobs N] [--out FILE] [--outputs DIR] (batch.c)
 *   techmatch --help | --version
 *
 * Thin by design: parse options, call the public API, print.  Exit status:
 * 0 success, 1 `check` found the matching unstable, 2 bad input, bad usage or
 * a failure to write the output, 3 `solve` or `run` found that no matching of the
 * asked-for stability exists.  Every message on stderr starts with
 * "techmatch: " and carries the library's message, which names the file and
 * the agent and field at fault.  Output is written as raw UTF-8 bytes
 * whatever the locale.
 *
 * Subcommands live in one table (commands[] below): to add one, write a
 * `static int cmd_NAME(const TmCommand *cmd, int argc, char **argv)` and add
 * a row.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include <techmatch/techmatch.h>

#include "cli.h"

typedef struct TmCommand TmCommand;
struct TmCommand {
    const char *name;
    const char *params;  /* positional parameters, for usage lines */
    const char *summary; /* one line for `techmatch --help` */
    const char *description; /* shown by `techmatch NAME --help` */
    int min_params;      /* number of positional parameters: at least */
    int max_params;      /* ... and at most */
    int (*run)(const TmCommand *cmd, int argc, char **argv);
};

static int cmd_solve(const TmCommand *cmd, int argc, char **argv);
static int cmd_check(const TmCommand *cmd, int argc, char **argv);
static int cmd_run(const TmCommand *cmd, int argc, char **argv);
static int cmd_explain(const TmCommand *cmd, int argc, char **argv);
static int cmd_run_many(const TmCommand *cmd, int argc, char **argv);
static int cmd_sweep(const TmCommand *cmd, int argc, char **argv);

static const TmCommand commands[] = {
    {"solve", "INSTANCE.json|EDGES.tsv", "compute a side-optimal stable matching",
     "Reads an instance (the neutral JSON format; or, for a file named .tsv, .txt\n"
     "or .csv, an edge list, docs/edges.md, whose agents are named by their\n"
     "numbers; '-' reads JSON from standard input), runs deferred acceptance with\n"
     "the chosen side proposing and writes the solution JSON (pairs, unmatched\n"
     "agents, stability audit, statistics) to standard output or, atomically, to\n"
     "--out FILE (only a regular file is replaced: a link, FIFO or device is\n"
     "refused; leave --out out to write to standard output).  With \"groups\"\n"
     "(caps and floors) in the instance, the supply-proposing deferred\n"
     "acceptance under the groups is used (--optimal demand is refused) and the\n"
     "audit is made under the groups.\n"
     "--objective picks the stable matching: supply-optimal (as --optimal supply;\n"
     "value: the supply side's total rank), demand-optimal (likewise), egalitarian\n"
     "(least total rank over both sides), min-regret (least worst rank), max-weight\n"
     "(greatest total of the instance's \"weights\": [[supply, demand, w], ...]) or\n"
     "balanced (a heuristic for the least gap between the two sides' totals); the\n"
     "document then begins with \"objective\": {\"name\", \"value\"}.  --all writes\n"
     "{\"matchings\": [{\"pairs\": [...]}, ...], \"count\": N, \"complete\": BOOL},\n"
     "--count {\"count\": N, \"complete\": BOOL}, both up to --limit N.  These need\n"
     "strict lists, capacities above 1 on one side only and no \"groups\".\n"
     "\n"
     "Ties (a nested list in \"prefs\" ranks its names equally).  --stability\n"
     "picks the notion: weak (the default; no pair in which both would be strictly\n"
     "better off; ties are broken in list order, or at random from --seed N, the\n"
     "same N giving the same matching), strong (no pair in which both would be at\n"
     "least as well off and one strictly) or super (no pair in which both would\n"
     "be at least as well off); strong and super need capacities above 1 on one\n"
     "side only.  --max-cardinality asks for a large weakly stable matching\n"
     "(Kiraly's algorithm: at least 2/3 the size of the largest).  The document\n"
     "states \"stability\" and audits that notion.  When the instance has no\n"
     "strongly or super-stable matching, solve says so, writes nothing and\n"
     "exits with status 3.  --max-cardinality and --seed take --stability weak\n"
     "only and exclude each other; neither they nor --stability strong or super\n"
     "go with the lattice options, which refuse an instance with ties.  An\n"
     "instance with \"groups\" must have strict lists (the audit under caps and\n"
     "floors is defined for strict lists only).\n"
     "Exit status: 0 success, 2 bad input or usage, 3 no such matching.",
     1, 1, cmd_solve},
    {"check", "INSTANCE.json MATCHING.json", "audit a matching for stability",
     "Reads an instance and a matching {\"pairs\": [[supply, demand], ...]} (a solution\n"
     "file works too) and prints the verdict: stable, blocking pairs, violations.\n"
     "Exit status 0 if the matching is stable, 1 if not.  An instance with\n"
     "\"groups\" is audited under its caps and floors (it must have strict lists).\n"
     "--stability weak|strong|super (default weak) picks which pairs block when\n"
     "lists have ties (see 'techmatch solve --help'); the verdict states it as\n"
     "\"stability\".  Without ties the three notions coincide.",
     2, 2, cmd_check},
    {"run", "[DIR]", "select commissioners for a programme from its two forms",
     cli_run_description, 0, 1, cmd_run},
    {"explain", "[DIR] NAME", "explain one commissioner's or site's outcome",
     cli_explain_description, 1, 2, cmd_explain},
    {"run-many", "DIR...", "run many programme folders at once; one summary CSV",
     cli_run_many_description, 1, G_MAXINT, cmd_run_many},
    {"sweep", "[DIR] --grid FILE", "run one programme under a grid of settings; one summary CSV",
     cli_sweep_description, 0, 1, cmd_sweep},
};

/* ---- output helpers ---------------------------------------------------- */

/* Messages go out as raw UTF-8 (not through g_printerr, which would
 * transliterate names in a non-UTF-8 locale). */
void
message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "techmatch: %s\n", text);
    g_free(text);
}

int
fail_with(GError *error)
{
    /* every failing call sets its error; a missing one is still reported */
    message("%s", error ? error->message : "failed (no reason given)");
    g_clear_error(&error);
    return EXIT_BAD;
}

/* Writes @text plus a newline to stdout; FALSE (with a message) on failure. */
static gboolean
write_stdout(const char *text)
{
    size_t len = strlen(text);
    if (fwrite(text, 1, len, stdout) != len || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
        message("<stdout>: write error: %s", g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

/* Writes @text plus a newline to @path (atomically) or stdout when NULL. */
gboolean
write_output(const char *path, const char *text)
{
    if (path == NULL)
        return write_stdout(text);
    char *doc = g_strconcat(text, "\n", NULL);
    GError *error = NULL;
    gboolean ok = tm_file_write_atomic(path, doc, strlen(doc), &error);
    g_free(doc);
    if (!ok)
        fail_with(error);
    return ok;
}

void
cli_drop_end_of_options(char **strv)
{
    for (int i = 1; strv && strv[i]; i++)
        if (strcmp(strv[i], "--") == 0) {
            g_free(strv[i]);
            memmove(&strv[i], &strv[i + 1], sizeof(char *) * g_strv_length(strv + i + 1) + sizeof(char *));
            return;
        }
}

/* All of standard input (for a file argument "-"); NULL with a message. */
static char *
read_stdin(gsize *len)
{
    GString *buf = g_string_new(NULL);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        g_string_append_len(buf, chunk, (gssize)got);
    if (ferror(stdin)) {
        message("<stdin>: read error: %s", g_strerror(errno));
        g_string_free(buf, TRUE);
        return NULL;
    }
    *len = buf->len;
    return g_string_free(buf, FALSE);
}

/* The instance at @path, or from standard input when @path is "-". */
static TmInstance *
load_instance(const char *path, GError **error)
{
    if (strcmp(path, "-") != 0) {
        /* the reader by file type: .tsv, .txt, .csv are edge lists (read in
         * parallel, mapped), anything else JSON; standard input is JSON */
        const char *dot = strrchr(path, '.');
        if (dot != NULL && strchr(dot, '/') == NULL
            && (g_ascii_strcasecmp(dot, ".tsv") == 0 || g_ascii_strcasecmp(dot, ".txt") == 0
                || g_ascii_strcasecmp(dot, ".csv") == 0))
            return tm_instance_load_edges_file(path, NULL, error);
        return tm_instance_load_json_file(path, error);
    }
    gsize len = 0;
    char *data = read_stdin(&len);
    if (data == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_IO, "<stdin>: cannot read");
        return NULL;
    }
    TmInstance *inst = tm_instance_load_json_data(data, (gssize)len, "<stdin>", error);
    g_free(data);
    return inst;
}

static void
usage(FILE *out)
{
    fprintf(out, "Usage:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  techmatch %s [OPTION...] %s\n", commands[i].name, commands[i].params);
    fprintf(out, "  techmatch --help | --version\n\nCommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'techmatch help COMMAND' (or 'techmatch COMMAND --help') for a "
                 "command's options.\nA file argument '-' (solve, check) and '--out -' mean "
                 "standard input and output; '--' ends the options.\n"
                 "Exit status: 0 success, 1 check found the matching unstable, "
                 "2 bad input or usage,\n3 solve found no matching of the asked-for "
                 "stability.\n");
}

/* Parses the options of @cmd from argv[1..] (argv[0] is the command name)
 * and checks the number of positional parameters, which are left in
 * *argv_out[1..].  On a usage error prints a message and returns FALSE.
 * The caller frees *argv_out with g_strfreev(). */
static gboolean
parse_command_line(const TmCommand *cmd, GOptionEntry *entries, int argc, char **argv,
                   int *argc_out, char ***argv_out)
{
    GOptionContext *ctx = g_option_context_new(cmd->params);
    g_option_context_set_summary(ctx, cmd->description);
    g_option_context_add_main_entries(ctx, entries, NULL);

    /* GOption names the program after argv[0] in --help. */
    char **args = g_new0(char *, (gsize)argc + 1);
    args[0] = g_strdup_printf("techmatch %s", cmd->name);
    for (int i = 1; i < argc; i++)
        args[i] = g_strdup(argv[i]);
    char **strv = args; /* g_option_context_parse_strv may rearrange it */
    GError *error = NULL;
    gboolean ok = g_option_context_parse_strv(ctx, &strv, &error);
    g_option_context_free(ctx);
    if (!ok) {
        message("%s: %s (try 'techmatch %s --help')", cmd->name, error->message, cmd->name);
        g_error_free(error);
        g_strfreev(strv);
        return FALSE;
    }
    cli_drop_end_of_options(strv);
    int n = (int)g_strv_length(strv);
    if (n - 1 < cmd->min_params || n - 1 > cmd->max_params) {
        message("%s: %s arguments: expected %s (try 'techmatch %s --help')", cmd->name,
                n - 1 < cmd->min_params ? "missing" : "too many", cmd->params, cmd->name);
        g_strfreev(strv);
        return FALSE;
    }
    *argc_out = n;
    *argv_out = strv;
    return TRUE;
}

/* ---- solve ------------------------------------------------------------- */

static int
cmd_solve(const TmCommand *cmd, int argc, char **argv)
{
    char *optimal = NULL, *objective = NULL, *out = NULL, *stability = NULL, *seed = NULL;
    gboolean all = FALSE, count = FALSE, max_cardinality = FALSE;
    gint64 limit = -1;
    GOptionEntry entries[] = {
        {"optimal", 0, 0, G_OPTION_ARG_STRING, &optimal,
         "Which side's optimal stable matching: supply (default) or demand", "SIDE"},
        {"objective", 0, 0, G_OPTION_ARG_STRING, &objective,
         "Which stable matching: supply-optimal (default), demand-optimal, egalitarian, "
         "min-regret, max-weight or balanced", "OBJ"},
        {"all", 0, 0, G_OPTION_ARG_NONE, &all, "List every stable matching", NULL},
        {"count", 0, 0, G_OPTION_ARG_NONE, &count, "Count the stable matchings", NULL},
        {"limit", 0, 0, G_OPTION_ARG_INT64, &limit,
         "With --all or --count: at most N stable matchings", "N"},
        {"stability", 0, 0, G_OPTION_ARG_STRING, &stability,
         "With ties: weak (default; ties broken), strong or super", "NOTION"},
        {"max-cardinality", 0, 0, G_OPTION_ARG_NONE, &max_cardinality,
         "With ties: a large weakly stable matching (at least 2/3 of the largest)", NULL},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed,
         "With ties: break them at random, reproducibly from N (weak stability)", "N"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
         "Write the solution to FILE (atomically) instead of standard output", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n;
    char **args = NULL;
    int status = EXIT_BAD;
    TmInstance *inst = NULL;
    char *lattice_what = NULL;
    GError *error = NULL;
    TmSide side;
    gboolean lattice;
    CliTies ties;

    if (!parse_command_line(cmd, entries, argc, argv, &n, &args) ||
        !cli_solve_mode(optimal, objective, all, count, limit, &side, &lattice))
        goto out;
    if (lattice)
        lattice_what = all     ? g_strdup("--all")
                       : count ? g_strdup("--count")
                               : g_strdup_printf("--objective %s", objective);
    if (!cli_ties_mode(stability, max_cardinality, seed, lattice_what, &ties))
        goto out;
    inst = load_instance(args[1], &error);
    if (inst == NULL) {
        status = fail_with(error);
        goto out;
    }
    if (out != NULL && strcmp(out, "-") == 0) { /* --out -: standard output */
        g_free(out);
        out = NULL;
    }
    const TmGroups *groups = tm_instance_groups(inst);
    if (groups != NULL && lattice) {
        message("solve: %s: %s is not available for an instance with \"groups\": the lattice "
                "of stable matchings does not take caps and floors",
                args[1], all ? "--all" : count ? "--count" : objective);
        goto out;
    }
    if (!cli_ties_instance_ok("solve", inst, args[1], lattice_what))
        goto out;
    if (lattice) {
        status = cli_solve_lattice(inst, objective, all, count, limit, out);
        goto out;
    }
    if (groups != NULL && side == TM_SIDE_DEMAND) {
        message("solve: %s: --%s is not available for an instance with \"groups\": "
                "caps and floors are solved by supply-proposing deferred acceptance only "
                "(use --optimal supply, the default)",
                args[1], objective ? "objective demand-optimal" : "optimal demand");
        goto out;
    }
    status = cli_solve_ties(inst, args[1], side, &ties, objective, out);

out:
    tm_instance_free(inst);
    g_strfreev(args);
    g_free(lattice_what);
    g_free(optimal);
    g_free(objective);
    g_free(stability);
    g_free(seed);
    g_free(out);
    return status;
}

/* ---- check ------------------------------------------------------------- */

static int
cmd_check(const TmCommand *cmd, int argc, char **argv)
{
    char *stability_text = NULL;
    GOptionEntry entries[] = {
        {"stability", 0, 0, G_OPTION_ARG_STRING, &stability_text,
         "Which pairs block when lists have ties: weak (default), strong or super", "NOTION"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n;
    char **args = NULL;
    int status = EXIT_BAD;
    TmInstance *inst = NULL;
    TmMatching *matching = NULL;
    char *text = NULL;
    GError *error = NULL;
    TmStability stability;
    gboolean stable = FALSE;

    if (!parse_command_line(cmd, entries, argc, argv, &n, &args) ||
        !cli_parse_stability("check", stability_text, &stability))
        goto out;
    if (strcmp(args[1], "-") == 0 && strcmp(args[2], "-") == 0) {
        message("check: only one of INSTANCE.json and MATCHING.json can be read from '-' "
                "(standard input)");
        goto out;
    }
    inst = load_instance(args[1], &error);
    if (inst == NULL) {
        status = fail_with(error);
        goto out;
    }
    if (!cli_ties_instance_ok("check", inst, args[1], NULL))
        goto out;
    if (strcmp(args[2], "-") == 0) {
        gsize len = 0;
        char *data = read_stdin(&len);
        if (data == NULL)
            goto out;
        matching = tm_instance_load_matching_json_data(inst, data, (gssize)len, "<stdin>", &error);
        g_free(data);
    } else {
        matching = tm_instance_load_matching_json_file(inst, args[2], &error);
    }
    if (matching == NULL) {
        status = fail_with(error);
        goto out;
    }
    text = cli_verdict_document(inst, matching, stability, &stable, &error);
    if (text == NULL) {
        status = fail_with(error);
        goto out;
    }
    if (write_stdout(text))
        status = stable ? EXIT_OK : EXIT_UNSTABLE;

out:
    g_free(text);
    tm_matching_free(matching);
    tm_instance_free(inst);
    g_strfreev(args);
    g_free(stability_text);
    return status;
}

/* ---- run --------------------------------------------------------------- */

/* `run` lives in run.c. */
static int
cmd_run(const TmCommand *cmd, int argc, char **argv)
{
    (void)cmd;
    return cli_run(argc, argv);
}

/* `explain` lives in explain.c. */
static int
cmd_explain(const TmCommand *cmd, int argc, char **argv)
{
    (void)cmd;
    return cli_explain(argc, argv);
}

/* `run-many` and `sweep` live in batch.c. */
static int
cmd_run_many(const TmCommand *cmd, int argc, char **argv)
{
    (void)cmd;
    return cli_run_many(argc, argv);
}

static int
cmd_sweep(const TmCommand *cmd, int argc, char **argv)
{
    (void)cmd;
    return cli_sweep(argc, argv);
}

/* ---- main -------------------------------------------------------------- */

int
main(int argc, char **argv)
{
    /* User's locale for GOption's help text and strerror(); numbers stay
     * in the C format.  Our own output is raw UTF-8 whatever the locale. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        message("missing command");
        usage(stderr);
        return EXIT_BAD;
    }
    const char *word = argv[1];
    if (strcmp(word, "help") == 0 && argc > 2) { /* techmatch help COMMAND */
        for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *help_argv[] = {(char *)commands[i].name, (char *)"--help", NULL};
                return commands[i].run(&commands[i], 2, help_argv);
            }
        message("help: unknown command \"%s\" (try 'techmatch --help')", argv[2]);
        return EXIT_BAD;
    }
    if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0 || strcmp(word, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(word, "--version") == 0 || strcmp(word, "-V") == 0) {
        printf("techmatch %s\n", tm_version());
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_BAD;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(word, commands[i].name) == 0)
            return commands[i].run(&commands[i], argc - 1, argv + 1);
    if (word[0] == '-')
        message("unknown option \"%s\" (try 'techmatch --help')", word);
    else
        message("unknown command \"%s\" (try 'techmatch --help')", word);
    return EXIT_BAD;
}
