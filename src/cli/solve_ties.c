/* techmatch — `solve` and `check` on markets with ties (cli.h): the options
 * --stability, --max-cardinality and --seed, the combinations they refuse,
 * and the documents that state the stability notion with its audit.
 *
 * The documents are the library's (tm_instance_matching_to_json(),
 * tm_instance_verdict_to_json()) with the member "stability" added before
 * "stable" and, for strong and super stability, the audit of that notion in
 * place of the weak one.  Both are pretty-printed by the same writer, whose
 * top-level members are the only lines that start with exactly two spaces
 * and a quote (names are escaped, so a name never holds a newline), which is
 * what the splicing below looks for. */
#include "cli.h"

#include <string.h>

const char *cli_stability_name(TmStability stability)
{
    switch (stability) {
    case TM_STABILITY_STRONG: return "strong";
    case TM_STABILITY_SUPER: return "super";
    default: return "weak";
    }
}

/* "strongly stable", "super-stable", "weakly stable": for messages. */
static const char *stability_phrase(TmStability stability)
{
    switch (stability) {
    case TM_STABILITY_STRONG: return "strongly stable";
    case TM_STABILITY_SUPER: return "super-stable";
    default: return "weakly stable";
    }
}

gboolean cli_parse_stability(const char *command, const char *text, TmStability *out)
{
    *out = TM_STABILITY_WEAK;
    if (text == NULL || strcmp(text, "weak") == 0)
        return TRUE;
    if (strcmp(text, "strong") == 0) {
        *out = TM_STABILITY_STRONG;
        return TRUE;
    }
    if (strcmp(text, "super") == 0) {
        *out = TM_STABILITY_SUPER;
        return TRUE;
    }
    message("%s: bad value \"%s\" for --stability: expected weak, strong or super", command, text);
    return FALSE;
}

gboolean cli_ties_mode(const char *stability, gboolean max_cardinality, const char *seed,
                       const char *lattice_what, CliTies *out)
{
    memset(out, 0, sizeof *out);
    if (!cli_parse_stability("solve", stability, &out->stability))
        return FALSE;
    out->max_cardinality = max_cardinality;
    if (seed != NULL) {
        GError *error = NULL;
        guint64 value = 0;
        if (!g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT64, &value, &error)) {
            message("solve: bad value \"%s\" for --seed: expected a whole number from 0 to "
                    "%" G_GUINT64_FORMAT,
                    seed, G_MAXUINT64);
            g_error_free(error);
            return FALSE;
        }
        out->seeded = TRUE;
        out->seed = value;
    }
    const char *name = cli_stability_name(out->stability);
    if (max_cardinality && out->stability != TM_STABILITY_WEAK) {
        message("solve: --max-cardinality asks for a large weakly stable matching: it does not "
                "go with --stability %s (every %s matching of a market has the same size)",
                name, stability_phrase(out->stability));
        return FALSE;
    }
    if (out->seeded && out->stability != TM_STABILITY_WEAK) {
        message("solve: --seed breaks ties at random for a weakly stable matching: it does not "
                "go with --stability %s (that matching is found without breaking ties)",
                name);
        return FALSE;
    }
    if (out->seeded && max_cardinality) {
        message("solve: --seed and --max-cardinality exclude each other: the large weakly "
                "stable matching is found without breaking ties at random");
        return FALSE;
    }
    if (lattice_what != NULL &&
        (out->seeded || max_cardinality || out->stability != TM_STABILITY_WEAK)) {
        message("solve: %s goes through the lattice of stable matchings, which needs strict "
                "lists: it takes no %s",
                lattice_what,
                out->seeded                             ? "--seed"
                : max_cardinality                       ? "--max-cardinality"
                : out->stability == TM_STABILITY_STRONG ? "--stability strong"
                                                        : "--stability super");
        return FALSE;
    }
    return TRUE;
}

gboolean cli_ties_instance_ok(const char *command, const TmInstance *inst, const char *path,
                              const char *lattice_what)
{
    if (!tm_market_has_ties(tm_instance_market(inst)))
        return TRUE;
    if (lattice_what != NULL) {
        message("solve: %s: %s needs strict preference lists and the instance has ties "
                "(equally ranked partners): the lattice of stable matchings is built for "
                "strict lists (use --optimal supply|demand with --stability weak, strong or "
                "super)",
                path, lattice_what);
        return FALSE;
    }
    if (tm_instance_groups(inst) != NULL) {
        message("%s: %s: an instance with \"groups\" needs strict preference lists and this "
                "one has ties (equally ranked partners): the audit under caps and floors is "
                "defined for strict lists only, and one without the groups would name pairs "
                "the caps forbid (write the ties in a strict order, or drop \"groups\")",
                command, path);
        return FALSE;
    }
    return TRUE;
}

/* The part of the verdict document @verdict between its braces, from the
 * newline before its first member to the end of its last. */
static gboolean verdict_members(const char *verdict, const char **begin, const char **end)
{
    const char *open = strchr(verdict, '{');
    const char *close = strrchr(verdict, '}');
    if (open == NULL || close == NULL || close <= open)
        return FALSE;
    while (close > open + 1 && (close[-1] == '\n' || close[-1] == ' '))
        close--;
    *begin = open + 1;
    *end = close;
    return *end > *begin;
}

char *cli_with_stability(const char *doc, TmStability stability, const char *verdict,
                         GError **error)
{
    static const char stable_key[] = ",\n  \"stable\" : ";
    static const char stats_key[] = ",\n  \"stats\" : ";
    const char *at = strstr(doc, stable_key);
    const char *stats = at != NULL ? strstr(at, stats_key) : NULL;
    const char *vb = NULL, *ve = NULL;
    if (at == NULL || stats == NULL || (verdict != NULL && !verdict_members(verdict, &vb, &ve))) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "solve: unexpected layout of the solution document (no \"stable\" "
                            "or \"stats\" member)");
        return NULL;
    }
    GString *out = g_string_new_len(doc, at - doc);
    g_string_append_printf(out, ",\n  \"stability\" : \"%s\"", cli_stability_name(stability));
    if (verdict != NULL) {
        g_string_append_c(out, ',');
        g_string_append_len(out, vb, ve - vb);
        g_string_append(out, stats);
    } else {
        g_string_append(out, at);
    }
    return g_string_free(out, FALSE);
}

/* The audit of @matching: under the instance's groups when it has any (then
 * the lists are strict and the notions coincide), else of @stability. */
static TmVerdict *audit(const TmInstance *inst, const TmMatching *matching, TmStability stability,
                        GError **error)
{
    const TmGroups *groups = tm_instance_groups(inst);
    if (groups != NULL)
        return tm_matching_check_groups(matching, groups, error);
    return tm_matching_check_stability(matching, stability, error);
}

char *cli_solution_document(const TmInstance *inst, const TmMatching *matching,
                            TmStability stability, GError **error)
{
    char *doc = tm_instance_matching_to_json(inst, matching, error);
    if (doc == NULL)
        return NULL;
    char *vtext = NULL, *text = NULL;
    gboolean ok = TRUE;
    if (tm_instance_groups(inst) == NULL && stability != TM_STABILITY_WEAK) {
        TmVerdict *verdict = audit(inst, matching, stability, error);
        vtext = verdict != NULL ? tm_instance_verdict_to_json(inst, verdict, error) : NULL;
        tm_verdict_free(verdict);
        ok = vtext != NULL;
    }
    if (ok)
        text = cli_with_stability(doc, stability, vtext, error);
    g_free(vtext);
    g_free(doc);
    return text;
}

char *cli_verdict_document(const TmInstance *inst, const TmMatching *matching,
                           TmStability stability, gboolean *stable, GError **error)
{
    TmVerdict *verdict = audit(inst, matching, stability, error);
    if (verdict == NULL)
        return NULL;
    *stable = tm_verdict_is_stable(verdict);
    char *vtext = tm_instance_verdict_to_json(inst, verdict, error);
    tm_verdict_free(verdict);
    const char *vb = NULL, *ve = NULL;
    if (vtext == NULL)
        return NULL;
    if (!verdict_members(vtext, &vb, &ve)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "check: unexpected layout of the verdict document");
        g_free(vtext);
        return NULL;
    }
    char *text = g_strdup_printf("%.*s{\n  \"stability\" : \"%s\",%s", (int)(vb - 1 - vtext), vtext,
                                 cli_stability_name(stability), vb);
    g_free(vtext);
    return text;
}

int cli_solve_ties(const TmInstance *inst, const char *path, TmSide side, const CliTies *ties,
                   const char *objective, const char *out)
{
    GError *error = NULL;
    TmSolveOptions *options = tm_solve_options_new();
    tm_solve_options_set_proposing(options, side, NULL);
    tm_solve_options_set_stability(options, ties->stability, NULL);
    tm_solve_options_set_max_cardinality(options, ties->max_cardinality);
    if (ties->seeded)
        tm_solve_options_set_tie_seed(options, ties->seed);
    TmMatching *matching =
        tm_solve(tm_instance_market(inst), tm_instance_groups(inst), options, &error);
    tm_solve_options_free(options);
    if (matching == NULL) {
        if (g_error_matches(error, TM_ERROR, TM_ERROR_NO_SUCH_MATCHING)) {
            message("solve: %s: the instance has no %s matching (a weakly stable one always "
                    "exists: --stability weak)",
                    path, stability_phrase(ties->stability));
            g_clear_error(&error);
            return EXIT_NO_SUCH_MATCHING;
        }
        return fail_with(error);
    }
    char *text = cli_solution_document(inst, matching, ties->stability, &error);
    if (text != NULL && objective != NULL) {
        char *value = cli_side_total(matching, side);
        char *with = cli_with_objective(text, objective, value);
        g_free(value);
        g_free(text);
        text = with;
    }
    tm_matching_free(matching);
    if (text == NULL)
        return fail_with(error);
    int status = write_output(out, text) ? EXIT_OK : EXIT_BAD;
    g_free(text);
    return status;
}
