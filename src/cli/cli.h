/* techmatch — what the command-line tool's files share (cli only). */
#ifndef TECHMATCH_CLI_CLI_H
#define TECHMATCH_CLI_CLI_H

#include <glib.h>
#include <techmatch/techmatch.h>

enum { EXIT_OK = 0, EXIT_UNSTABLE = 1, EXIT_BAD = 2 };

/* "techmatch: TEXT" on stderr, as raw UTF-8. */
G_GNUC_PRINTF(1, 2) void message(const char *fmt, ...);

/* Reports @error (consumed) and returns EXIT_BAD. */
int fail_with(GError *error);

/* Writes @text plus a newline to @path (atomically) or stdout when NULL;
 * FALSE (with a message) on failure. */
gboolean write_output(const char *path, const char *text);

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

/* `run` (run.c): its description for `techmatch run --help` and the command
 * itself on argv[0] = "run", argv[1..] its options and DIR; returns the exit
 * status (0, 2, or 3 when no strongly / super-stable matching exists). */
extern const char cli_run_description[];
int cli_run(int argc, char **argv);

#endif /* TECHMATCH_CLI_CLI_H */
