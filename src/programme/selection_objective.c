/* techmatch — which stable matching a selection returns (selection.h,
 * TmObjective): the options that choose it (objective, stability,
 * max-cardinality, tie seed), step 4 of the pipeline for each objective,
 * the objective's value and the audit. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/groups.h>
#include <techmatch/lattice.h>
#include <techmatch/matching.h>
#include <techmatch/preferences.h>
#include <techmatch/solve.h>

#include "programme/selection_internal.h"
#include "util/rng.h"

/* ---- names ------------------------------------------------------------------ */

static const char *const objective_codes[] = {"supply-optimal", "demand-optimal", "egalitarian",
                                              "min-regret",     "max-weight",     "balanced"};

const char *tm_objective_code(TmObjective objective)
{
    return (unsigned)objective < G_N_ELEMENTS(objective_codes) ? objective_codes[objective]
                                                                : NULL;
}

int tm_objective_from_string(const char *text)
{
    if (text == NULL)
        return -1;
    char *key = g_ascii_strdown(text, -1);
    g_strdelimit(key, "_", '-');
    int found = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(objective_codes) && found < 0; i++)
        if (strcmp(key, objective_codes[i]) == 0)
            found = (int)i;
    g_free(key);
    return found;
}

/* ---- options ------------------------------------------------------------------ */

gboolean tm_select_options_set_objective(TmSelectOptions *options, TmObjective objective,
                                         GError **error)
{
    if (options == NULL || tm_objective_code(objective) == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    options ? "objective %d is not a TmObjective" : "options must not be NULL",
                    (int)objective);
        return FALSE;
    }
    options->objective = objective;
    options->objective_set = TRUE;
    return TRUE;
}

TmObjective tm_select_options_get_objective(const TmSelectOptions *options)
{
    return options ? options->objective : TM_OBJECTIVE_SUPPLY_OPTIMAL;
}

gboolean tm_select_options_set_stability(TmSelectOptions *options, TmStability stability,
                                         GError **error)
{
    if (options == NULL || (stability != TM_STABILITY_WEAK && stability != TM_STABILITY_STRONG
                            && stability != TM_STABILITY_SUPER)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            options ? "stability must be TM_STABILITY_WEAK, _STRONG or _SUPER"
                                    : "options must not be NULL");
        return FALSE;
    }
    options->stability = stability;
    return TRUE;
}

TmStability tm_select_options_get_stability(const TmSelectOptions *options)
{
    return options ? options->stability : TM_STABILITY_WEAK;
}

void tm_select_options_set_max_cardinality(TmSelectOptions *options, gboolean max_cardinality)
{
    if (options)
        options->max_cardinality = max_cardinality != FALSE;
}

gboolean tm_select_options_get_max_cardinality(const TmSelectOptions *options)
{
    return options ? options->max_cardinality : FALSE;
}

void tm_select_options_set_tie_seed(TmSelectOptions *options, uint64_t seed)
{
    if (options) {
        options->random_ties = TRUE;
        options->tie_seed = seed;
    }
}

void tm_select_options_clear_tie_seed(TmSelectOptions *options)
{
    if (options) {
        options->random_ties = FALSE;
        options->tie_seed = 0;
    }
}

gboolean tm_select_options_get_tie_seed(const TmSelectOptions *options, uint64_t *seed)
{
    if (options == NULL || !options->random_ties)
        return FALSE;
    if (seed)
        *seed = options->tie_seed;
    return TRUE;
}

/* ---- step 4 ------------------------------------------------------------------- */

/* Whether the quota or a sector limit makes groups (build_groups() in
 * selection.c adds one for a quota and one per sector with limits). */
static gboolean limited(const TmSelection *sel)
{
    return sel->quota_total >= 0 || tm_quota_n_sectors(sel->quota) > 0;
}

/* The admission in merit order makes the matching (the default), or
 * another solver does (selection_admission_run.c). */
static gboolean admission_path(const TmSelection *sel, const TmSelectOptions *opt)
{
    /* without ties the three stabilities coincide, and every stable
     * matching has the same size */
    return sel->objective == TM_OBJECTIVE_SUPPLY_OPTIMAL
           && (!tm_market_has_ties(sel->market)
               || (sel->stability == TM_STABILITY_WEAK
                   && !tm_select_options_get_max_cardinality(opt)));
}

gboolean tm_i_selection_check_objective(TmSelection *sel, const TmSelectOptions *opt,
                                        GError **error)
{
    sel->objective = tm_select_options_get_objective(opt);
    sel->objective_requested = opt != NULL && opt->objective_set;
    sel->stability = tm_select_options_get_stability(opt);
    if (sel->objective == TM_OBJECTIVE_SUPPLY_OPTIMAL || !limited(sel))
        return TRUE;
    g_set_error(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                "objective %s: not available with a quota or sector caps/floors (%s): %s; "
                "lift them (no [quota] total or total=none, e.g. --quota none, and no "
                "[sector.CODE] cap or floor) or use supply-optimal",
                tm_objective_code(sel->objective),
                sel->quota_total >= 0 ? "the programme has a quota" : "the programme has sector limits",
                sel->objective == TM_OBJECTIVE_DEMAND_OPTIMAL
                    ? "the quota and the sector limits are met by commissioner-proposing "
                      "deferred acceptance only"
                    : "the lattice of stable matchings does not take caps and floors");
    return FALSE;
}

/* The total rank @side gives its partners in @mt. */
static gboolean side_total(const TmMatching *mt, TmSide side, double *value, GError **error)
{
    int64_t n = tm_matching_n_pairs(mt), total = 0;
    int32_t *sr = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "objective ranks", error);
    int32_t *dr = sr ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "objective ranks", error) : NULL;
    gboolean ok = dr != NULL && tm_matching_get_pair_ranks(mt, sr, dr, n, error);
    for (int64_t i = 0; ok && i < n; i++)
        total += side == TM_SIDE_SUPPLY ? sr[i] : dr[i];
    g_free(sr);
    g_free(dr);
    *value = (double)total;
    return ok;
}

/* Pair weights for max-weight, in the supply side's list order: the
 * commissioner's score of the site plus the site's score of the
 * commissioner. */
static double *pair_weights(const TmSelection *sel, int64_t *n_out, GError **error)
{
    int32_t nc = tm_market_size(sel->market, TM_SIDE_SUPPLY);
    int64_t L = tm_market_n_pairs(sel->market);
    int32_t *off = tm_i_try_alloc((int64_t)nc + 1, sizeof(int32_t), FALSE, "pair weights",
                                  error);
    int32_t *ids = off ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "pair weights", error) : NULL;
    double *w = ids ? tm_i_try_alloc(L, sizeof(double), FALSE, "pair weights", error) : NULL;
    if (w != NULL
        && !tm_market_get_lists(sel->market, TM_SIDE_SUPPLY, off, (int64_t)nc + 1, ids, NULL,
                                NULL, L, error)) {
        g_free(w);
        w = NULL;
    }
    for (int32_t c = 0; w != NULL && c < nc; c++)
        for (int32_t e = off[c]; e < off[c + 1]; e++)
            w[e] = tm_scorer_score(sel->scorer, TM_SIDE_SUPPLY, c, ids[e])
                   + tm_scorer_score(sel->scorer, TM_SIDE_DEMAND, c, ids[e]);
    g_free(off);
    g_free(ids);
    *n_out = L;
    return w;
}

/* The objectives of the lattice of stable matchings. */
static TmMatching *solve_lattice(TmSelection *sel, GError **error)
{
    TmLattice *lat = tm_lattice_new(sel->market, error);
    TmMatching *mt = NULL;
    if (lat == NULL)
        return NULL;
    switch (sel->objective) {
    case TM_OBJECTIVE_EGALITARIAN:
    case TM_OBJECTIVE_BALANCED: {
        int64_t v = 0;
        mt = sel->objective == TM_OBJECTIVE_BALANCED ? tm_lattice_balanced(lat, &v, error)
                                                     : tm_lattice_egalitarian(lat, &v, error);
        sel->objective_value = (double)v;
        break;
    }
    case TM_OBJECTIVE_MIN_REGRET: {
        int32_t v = 0;
        mt = tm_lattice_min_regret(lat, &v, error);
        sel->objective_value = v;
        break;
    }
    default: { /* max-weight */
        int64_t n = 0;
        double v = 0.0, *w = pair_weights(sel, &n, error);
        if (w != NULL)
            mt = tm_lattice_max_weight(lat, w, n, &v, error);
        g_free(w);
        sel->objective_value = v;
        break;
    }
    }
    tm_lattice_free(lat);
    return mt;
}

/* ---- ties under the quota ---------------------------------------------------- */

/* @side's lists of @m made strict: by rank, within a tie by list position
 * or, with @seeded, in an order drawn from (@seed, side, agent) alone.
 * Writes the lists into *@off / *@ids (g_free()). */
static gboolean strict_side(const TmMarket *m, TmSide side, gboolean seeded, uint64_t seed,
                            int32_t **off_out, int32_t **ids_out, GError **error)
{
    int32_t n = tm_market_size(m, side);
    int64_t L = tm_market_n_pairs(m);
    int32_t *off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, "strict lists", error);
    int32_t *ids = off ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "strict lists", error) : NULL;
    int32_t *rank = ids ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "strict lists", error) : NULL;
    gboolean ok = rank != NULL
                  && tm_market_get_lists(m, side, off, (int64_t)n + 1, ids, rank, NULL, L, error);
    for (int32_t a = 0; ok && seeded && a < n; a++) {
        uint64_t st = tm_i_mix3(seed, (uint64_t)side, (uint64_t)a);
        for (int32_t lo = off[a], hi; lo < off[a + 1]; lo = hi) {
            hi = lo + 1;
            while (hi < off[a + 1] && rank[hi] == rank[lo])
                hi++;
            for (int32_t i = hi - 1; i > lo; i--) { /* Fisher-Yates within the tie */
                int32_t j = lo + (int32_t)(tm_i_splitmix64(&st) % (uint64_t)(i - lo + 1));
                int32_t t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
        }
    }
    g_free(rank);
    if (!ok) {
        g_free(off);
        g_free(ids);
        return FALSE;
    }
    *off_out = off;
    *ids_out = ids;
    return TRUE;
}

/* @m with strict lists (strict_side() on both sides), the same capacities. */
TmMarket *tm_i_selection_strict_copy(const TmMarket *m, gboolean seeded, uint64_t seed,
                                     GError **error)
{
    int32_t nc = tm_market_size(m, TM_SIDE_SUPPLY), ns = tm_market_size(m, TM_SIDE_DEMAND);
    int32_t *so = NULL, *si = NULL, *dof = NULL, *di = NULL, *cc = NULL, *cd = NULL;
    TmMarket *strict = NULL;
    if (strict_side(m, TM_SIDE_SUPPLY, seeded, seed, &so, &si, error)
        && strict_side(m, TM_SIDE_DEMAND, seeded, seed, &dof, &di, error)
        && (cc = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "capacities", error))
        && (cd = tm_i_try_alloc(ns, sizeof(int32_t), FALSE, "capacities", error))
        && tm_market_get_capacities(m, TM_SIDE_SUPPLY, cc, nc, error)
        && tm_market_get_capacities(m, TM_SIDE_DEMAND, cd, ns, error))
        strict = tm_market_new_from_arrays(nc, ns, cc, cd, so, si, dof, di, error);
    g_free(so);
    g_free(si);
    g_free(dof);
    g_free(di);
    g_free(cc);
    g_free(cd);
    return strict;
}

/* Deferred acceptance from @side (the two side-optimal objectives and the
 * stabilities of solve.h). */
static TmMatching *solve_da(TmSelection *sel, const TmSelectOptions *opt, TmSide side,
                            GError **error)
{
    TmSolveOptions *so = tm_solve_options_new();
    tm_solve_options_set_cancel(so, tm_select_options_get_cancel(opt));
    tm_solve_options_set_proposing(so, side, NULL);
    tm_solve_options_set_stability(so, sel->stability, NULL);
    tm_solve_options_set_max_cardinality(so, tm_select_options_get_max_cardinality(opt));
    uint64_t seed = 0;
    gboolean seeded = tm_select_options_get_tie_seed(opt, &seed);
    if (seeded)
        tm_solve_options_set_tie_seed(so, seed);
    TmMatching *mt = tm_solve(sel->market, NULL, so, error);
    tm_solve_options_free(so);
    if (mt != NULL && !side_total(mt, side, &sel->objective_value, error)) {
        tm_matching_free(mt);
        mt = NULL;
    }
    return mt;
}

static const char *stability_name(TmStability st)
{
    return st == TM_STABILITY_SUPER ? "super" : st == TM_STABILITY_STRONG ? "strong" : "weak";
}

gboolean tm_i_selection_solve(TmSelection *sel, const TmSelectOptions *opt, GError **error)
{
    GError *e = NULL;
    if (admission_path(sel, opt))
        return tm_i_selection_admit(sel, opt, error);
    if (sel->plan.n_pins > 0 || limited(sel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                    "objective %s, %s stability%s: with tied wishes, %s need the default "
                    "selection (weak stability, admission in merit order)",
                    tm_objective_code(sel->objective), stability_name(sel->stability),
                    tm_select_options_get_max_cardinality(opt) ? ", max-cardinality" : "",
                    sel->plan.n_pins > 0 ? "pinned pairs of the review"
                                         : "the quota and the sector limits");
        return FALSE;
    }
    switch (sel->objective) {
    case TM_OBJECTIVE_SUPPLY_OPTIMAL:
    case TM_OBJECTIVE_DEMAND_OPTIMAL:
        sel->matching = solve_da(sel, opt,
                                 sel->objective == TM_OBJECTIVE_DEMAND_OPTIMAL ? TM_SIDE_DEMAND
                                                                              : TM_SIDE_SUPPLY,
                                 &e);
        break;
    default:
        sel->matching = solve_lattice(sel, &e);
        break;
    }
    if (sel->matching == NULL) {
        /* name what was asked for: the core's message names the cause */
        if (e != NULL && (e->code == TM_ERROR_UNSUPPORTED || e->code == TM_ERROR_NO_SUCH_MATCHING
                          || e->code == TM_ERROR_INVALID_ARGUMENT)) {
            if (sel->objective == TM_OBJECTIVE_SUPPLY_OPTIMAL
                || sel->objective == TM_OBJECTIVE_DEMAND_OPTIMAL)
                g_prefix_error(&e, "objective %s, %s stability%s: ",
                               tm_objective_code(sel->objective), stability_name(sel->stability),
                               tm_select_options_get_max_cardinality(opt) ? ", max-cardinality"
                                                                          : "");
            else
                g_prefix_error(&e, "objective %s: ", tm_objective_code(sel->objective));
        }
        g_propagate_error(error, e);
        return FALSE;
    }
    /* the audit, under the stability asked for */
    sel->verdict = tm_matching_check_stability(sel->matching, sel->stability, error);
    return sel->verdict != NULL;
}

/* ---- accessors ---------------------------------------------------------------- */

int tm_selection_objective(const TmSelection *sel)
{
    return sel ? (int)sel->objective : -1;
}

double tm_selection_objective_value(const TmSelection *sel)
{
    return sel ? sel->objective_value : NAN;
}

gboolean tm_selection_objective_requested(const TmSelection *sel)
{
    return sel ? sel->objective_requested : FALSE;
}

TmStability tm_selection_stability(const TmSelection *sel)
{
    return sel ? sel->stability : TM_STABILITY_WEAK;
}
