/* techmatch — `solve`'s choice of stable matching (cli.h): the options
 * --objective, --all, --count and --limit, and the lattice of stable
 * matchings behind egalitarian | min-regret | balanced, --all and --count. */
#include "cli.h"

#include <math.h>
#include <string.h>

char *cli_with_objective(const char *doc, const char *name, const char *value)
{
    const char *brace = strchr(doc, '{');
    if (brace == NULL)
        return g_strdup(doc);
    return g_strdup_printf("%.*s{\n  \"objective\" : {\"name\" : \"%s\", \"value\" : %s},%s",
                           (int)(brace - doc), doc, name, value, brace + 1);
}

/* The side-optimal objectives' value: the proposing side's total rank. */
char *cli_side_total(const TmMatching *matching, TmSide side)
{
    int64_t n = tm_matching_n_pairs(matching), total = 0;
    int32_t *sr = g_new0(int32_t, n + 1), *dr = g_new0(int32_t, n + 1);
    if (tm_matching_get_pair_ranks(matching, sr, dr, n, NULL))
        for (int64_t i = 0; i < n; i++)
            total += side == TM_SIDE_SUPPLY ? sr[i] : dr[i];
    g_free(sr);
    g_free(dr);
    return g_strdup_printf("%" G_GINT64_FORMAT, total);
}

/* Checks the combination of solve's options; sets *side and *lattice (the
 * lattice is needed).  Prints a message and returns FALSE on a bad one. */
gboolean cli_solve_mode(const char *optimal, const char *objective, gboolean all, gboolean count,
           gint64 limit, TmSide *side, gboolean *lattice)
{
    static const char *const lattice_objectives[] = {"egalitarian", "min-regret", "balanced",
                                                     "max-weight"};
    *side = TM_SIDE_SUPPLY;
    *lattice = all || count;
    if (all && count) {
        message("solve: --all and --count exclude each other");
        return FALSE;
    }
    if ((all || count) && (optimal || objective)) {
        message("solve: --%s lists the stable matchings: it takes no --optimal or --objective",
                all ? "all" : "count");
        return FALSE;
    }
    if (limit != -1 && !(all || count)) {
        message("solve: --limit needs --all or --count");
        return FALSE;
    }
    if (limit != -1 && limit < 1) {
        message("solve: --limit must be at least 1, not %" G_GINT64_FORMAT, limit);
        return FALSE;
    }
    if (optimal != NULL && objective != NULL) {
        message("solve: give --optimal or --objective, not both");
        return FALSE;
    }
    if (optimal != NULL && strcmp(optimal, "demand") == 0) {
        *side = TM_SIDE_DEMAND;
    } else if (optimal != NULL && strcmp(optimal, "supply") != 0) {
        message("solve: bad value \"%s\" for --optimal: expected supply or demand", optimal);
        return FALSE;
    }
    if (objective == NULL || strcmp(objective, "supply-optimal") == 0)
        return TRUE;
    if (strcmp(objective, "demand-optimal") == 0) {
        *side = TM_SIDE_DEMAND;
        return TRUE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(lattice_objectives); i++)
        if (strcmp(objective, lattice_objectives[i]) == 0) {
            *lattice = TRUE;
            return TRUE;
        }
    message("solve: bad value \"%s\" for --objective: expected supply-optimal, "
            "demand-optimal, egalitarian, min-regret, max-weight or balanced",
            objective);
    return FALSE;
}

/* Appends @s as a JSON string. */
static void append_json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(out, "\\u%04x", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
}

static char *list_all(const TmInstance *inst, TmLattice *lat, gint64 limit, GError **error)
{
    int64_t n = tm_lattice_n_pairs(lat);
    int32_t *s = g_new(int32_t, n + 1), *d = g_new(int32_t, n + 1);
    TmStableIter *it = tm_lattice_enumerate(lat, 0, error);
    GString *out = g_string_new("{\n  \"matchings\" : [");
    int64_t count = 0;
    gboolean complete = TRUE, ok = it != NULL;
    while (ok && tm_stable_iter_next(it, s, d, n + 1, error)) {
        if (limit > 0 && count == limit) {
            complete = FALSE; /* one more exists */
            break;
        }
        g_string_append(out, count ? ",\n    {\"pairs\" : [" : "\n    {\"pairs\" : [");
        for (int64_t i = 0; i < n; i++) {
            g_string_append(out, i ? ", [" : "[");
            append_json_string(out, tm_instance_name(inst, TM_SIDE_SUPPLY, s[i]));
            g_string_append(out, ", ");
            append_json_string(out, tm_instance_name(inst, TM_SIDE_DEMAND, d[i]));
            g_string_append(out, "]");
        }
        g_string_append(out, "]}");
        count++;
    }
    ok = ok && (error == NULL || *error == NULL);
    g_string_append_printf(out, "\n  ],\n  \"count\" : %" G_GINT64_FORMAT ",\n"
                                "  \"complete\" : %s\n}",
                           count, complete ? "true" : "false");
    tm_stable_iter_free(it);
    g_free(s);
    g_free(d);
    return g_string_free(out, !ok);
}

static char *optimum(const TmInstance *inst, TmLattice *lat, const char *objective,
                     GError **error)
{
    TmMatching *mt = NULL;
    char value[G_ASCII_DTOSTR_BUF_SIZE];
    if (strcmp(objective, "max-weight") == 0) {
        TmMarket *market = tm_instance_market(inst);
        int64_t L = tm_market_n_pairs(market);
        if (!tm_instance_has_weights(inst)) {
            g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                                "solve: --objective max-weight needs pair weights: the "
                                "instance has no \"weights\" member ([[supply, demand, "
                                "weight], ...])");
            return NULL;
        }
        double *w = g_new0(double, L + 1), v = 0.0;
        if (tm_instance_get_weights(inst, w, L, error))
            mt = tm_lattice_max_weight(lat, w, L, &v, error);
        g_free(w);
        if (isfinite(v))
            g_ascii_dtostr(value, sizeof value, v);
        else
            g_strlcpy(value, "null", sizeof value);
    } else if (strcmp(objective, "min-regret") == 0) {
        int32_t v = 0;
        mt = tm_lattice_min_regret(lat, &v, error);
        g_snprintf(value, sizeof value, "%d", v);
    } else {
        int64_t v = 0;
        mt = strcmp(objective, "balanced") == 0 ? tm_lattice_balanced(lat, &v, error)
                                                 : tm_lattice_egalitarian(lat, &v, error);
        g_snprintf(value, sizeof value, "%" G_GINT64_FORMAT, v);
    }
    if (mt == NULL)
        return NULL;
    /* the lattice is of strict lists, where the three notions coincide */
    char *doc = cli_solution_document(inst, mt, TM_STABILITY_WEAK, error);
    tm_matching_free(mt);
    if (doc == NULL)
        return NULL;
    char *with = cli_with_objective(doc, objective, value);
    g_free(doc);
    return with;
}

int cli_solve_lattice(const TmInstance *inst, const char *objective, gboolean all,
                      gboolean count, gint64 limit, const char *out)
{
    GError *error = NULL;
    TmLattice *lat = tm_lattice_new(tm_instance_market(inst), &error);
    if (lat == NULL)
        return fail_with(error);
    char *text = NULL;
    if (all) {
        text = list_all(inst, lat, limit, &error);
    } else if (count) {
        gboolean complete = FALSE;
        int64_t n = tm_lattice_count(lat, limit, &complete);
        if (n >= 0)
            text = g_strdup_printf("{\n  \"count\" : %" G_GINT64_FORMAT ",\n  \"complete\" : %s\n}",
                                   n, complete ? "true" : "false");
        else
            g_set_error_literal(&error, TM_ERROR, TM_ERROR_NO_MEMORY,
                                "cannot count the stable matchings: out of memory");
    } else {
        text = optimum(inst, lat, objective, &error);
    }
    tm_lattice_free(lat);
    if (text == NULL)
        return fail_with(error);
    int status = write_output(out, text) ? EXIT_OK : EXIT_BAD;
    g_free(text);
    return status;
}
