/* techmatch — the command-line tool.
 *
 *   techmatch solve INSTANCE.json [--optimal supply|demand] [--out FILE]
 *   techmatch check INSTANCE.json MATCHING.json
 *   techmatch --help | --version
 *
 * Thin by design: parse options, call the public API, print.  Exit status:
 * 0 success, 1 `check` found the matching unstable, 2 bad input, bad usage or
 * a failure to write the output.  Every message on stderr starts with
 * "techmatch: " and carries the library's message, which names the file and
 * the agent and field at fault.  Output is written as raw UTF-8 bytes
 * whatever the locale.
 *
 * Subcommands live in one table (commands[] below): to add one, write a
 * `static int cmd_NAME(const TmCommand *cmd, int argc, char **argv)` and add
 * a row.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <techmatch/techmatch.h>

enum { EXIT_OK = 0, EXIT_UNSTABLE = 1, EXIT_BAD = 2 };

typedef struct TmCommand TmCommand;
struct TmCommand {
    const char *name;
    const char *params;  /* positional parameters, for usage lines */
    const char *summary; /* one line for `techmatch --help` */
    const char *description; /* shown by `techmatch NAME --help` */
    int n_params;        /* exact number of positional parameters */
    int (*run)(const TmCommand *cmd, int argc, char **argv);
};

static int cmd_solve(const TmCommand *cmd, int argc, char **argv);
static int cmd_check(const TmCommand *cmd, int argc, char **argv);

static const TmCommand commands[] = {
    {"solve", "INSTANCE.json", "compute a side-optimal stable matching",
     "Reads an instance (the neutral JSON format), runs deferred acceptance with\n"
     "the chosen side proposing and writes the solution JSON (pairs, unmatched\n"
     "agents, stability audit, statistics) to standard output or, atomically, to\n"
     "--out FILE.",
     1, cmd_solve},
    {"check", "INSTANCE.json MATCHING.json", "audit a matching for stability",
     "Reads an instance and a matching {\"pairs\": [[supply, demand], ...]} (a solution\n"
     "file works too) and prints the verdict: stable, blocking pairs, violations.\n"
     "Exit status 0 if the matching is stable, 1 if not.",
     2, cmd_check},
};

/* ---- output helpers ---------------------------------------------------- */

/* Messages go out as raw UTF-8 (not through g_printerr, which would
 * transliterate names in a non-UTF-8 locale). */
G_GNUC_PRINTF(1, 2)
static void
message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "techmatch: %s\n", text);
    g_free(text);
}

static int
fail_with(GError *error)
{
    message("%s", error->message);
    g_error_free(error);
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
static gboolean
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

static void
usage(FILE *out)
{
    fprintf(out, "Usage:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  techmatch %s [OPTION...] %s\n", commands[i].name, commands[i].params);
    fprintf(out, "  techmatch --help | --version\n\nCommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'techmatch COMMAND --help' for a command's options.\n"
                 "Exit status: 0 success, 1 check found the matching unstable, "
                 "2 bad input or usage.\n");
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
    int n = (int)g_strv_length(strv);
    if (n - 1 != cmd->n_params) {
        message("%s: %s arguments: expected %s (try 'techmatch %s --help')", cmd->name,
                n - 1 < cmd->n_params ? "missing" : "too many", cmd->params, cmd->name);
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
    char *optimal = NULL, *out = NULL;
    GOptionEntry entries[] = {
        {"optimal", 0, 0, G_OPTION_ARG_STRING, &optimal,
         "Which side's optimal stable matching: supply (default) or demand", "SIDE"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
         "Write the solution to FILE (atomically) instead of standard output", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n;
    char **args = NULL;
    int status = EXIT_BAD;
    TmInstance *inst = NULL;
    TmMatching *matching = NULL;
    char *text = NULL;
    GError *error = NULL;

    if (!parse_command_line(cmd, entries, argc, argv, &n, &args))
        goto out;
    TmSide side = TM_SIDE_SUPPLY;
    if (optimal != NULL && strcmp(optimal, "demand") == 0) {
        side = TM_SIDE_DEMAND;
    } else if (optimal != NULL && strcmp(optimal, "supply") != 0) {
        message("solve: bad value \"%s\" for --optimal: expected supply or demand", optimal);
        goto out;
    }
    inst = tm_instance_load_json_file(args[1], &error);
    if (inst == NULL) {
        status = fail_with(error);
        goto out;
    }
    matching = tm_solve_deferred_acceptance(tm_instance_market(inst), side, NULL, &error);
    if (matching == NULL) {
        status = fail_with(error);
        goto out;
    }
    text = tm_instance_matching_to_json(inst, matching, &error);
    if (text == NULL) {
        status = fail_with(error);
        goto out;
    }
    if (write_output(out, text))
        status = EXIT_OK;

out:
    g_free(text);
    tm_matching_free(matching);
    tm_instance_free(inst);
    g_strfreev(args);
    g_free(optimal);
    g_free(out);
    return status;
}

/* ---- check ------------------------------------------------------------- */

static int
cmd_check(const TmCommand *cmd, int argc, char **argv)
{
    GOptionEntry entries[] = {
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int n;
    char **args = NULL;
    int status = EXIT_BAD;
    TmInstance *inst = NULL;
    TmMatching *matching = NULL;
    TmVerdict *verdict = NULL;
    char *text = NULL;
    GError *error = NULL;

    if (!parse_command_line(cmd, entries, argc, argv, &n, &args))
        goto out;
    inst = tm_instance_load_json_file(args[1], &error);
    if (inst == NULL) {
        status = fail_with(error);
        goto out;
    }
    matching = tm_instance_load_matching_json_file(inst, args[2], &error);
    if (matching == NULL) {
        status = fail_with(error);
        goto out;
    }
    verdict = tm_matching_check(matching, &error);
    if (verdict == NULL) {
        status = fail_with(error);
        goto out;
    }
    text = tm_instance_verdict_to_json(inst, verdict, &error);
    if (text == NULL) {
        status = fail_with(error);
        goto out;
    }
    if (write_stdout(text))
        status = tm_verdict_is_stable(verdict) ? EXIT_OK : EXIT_UNSTABLE;

out:
    g_free(text);
    tm_verdict_free(verdict);
    tm_matching_free(matching);
    tm_instance_free(inst);
    g_strfreev(args);
    return status;
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
