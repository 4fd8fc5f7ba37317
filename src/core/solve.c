/* techmatch — the solve entry point and its options (solve.h). */
#include "core/da_private.h"
#include "core/ties_private.h"

struct TmSolveOptions {
    TmSide proposing;
    TmStability stability;
    gboolean max_cardinality;
    gboolean random_ties;
    uint64_t tie_seed;
    TmControl ctl;
};

TmSolveOptions *tm_solve_options_new(void)
{
    TmSolveOptions *o = g_new0(TmSolveOptions, 1);
    o->proposing = TM_SIDE_SUPPLY;
    return o;
}

TmSolveOptions *tm_solve_options_copy(const TmSolveOptions *options)
{
    if (options == NULL)
        return NULL;
    TmSolveOptions *o = g_new(TmSolveOptions, 1);
    *o = *options;
    tm_i_control_copy(&o->ctl, &options->ctl);
    return o;
}

void tm_solve_options_free(TmSolveOptions *options)
{
    if (options == NULL)
        return;
    tm_i_control_clear(&options->ctl);
    g_free(options);
}

gboolean tm_solve_options_set_proposing(TmSolveOptions *options, TmSide side, GError **error)
{
    if (options == NULL || !tm_i_side_ok(side)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            options ? "proposing side must be TM_SIDE_SUPPLY or TM_SIDE_DEMAND"
                                    : "options must not be NULL");
        return FALSE;
    }
    options->proposing = side;
    return TRUE;
}

TmSide tm_solve_options_get_proposing(const TmSolveOptions *options)
{
    return options ? options->proposing : TM_SIDE_SUPPLY;
}

gboolean tm_solve_options_set_stability(TmSolveOptions *options, TmStability stability,
                                        GError **error)
{
    if (options == NULL || (stability != TM_STABILITY_WEAK && stability != TM_STABILITY_STRONG &&
                            stability != TM_STABILITY_SUPER)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            options ? "stability must be TM_STABILITY_WEAK, _STRONG or _SUPER"
                                    : "options must not be NULL");
        return FALSE;
    }
    options->stability = stability;
    return TRUE;
}

TmStability tm_solve_options_get_stability(const TmSolveOptions *options)
{
    return options ? options->stability : TM_STABILITY_WEAK;
}

void tm_solve_options_set_max_cardinality(TmSolveOptions *options, gboolean max_cardinality)
{
    if (options)
        options->max_cardinality = max_cardinality != FALSE;
}

gboolean tm_solve_options_get_max_cardinality(const TmSolveOptions *options)
{
    return options ? options->max_cardinality : FALSE;
}

void tm_solve_options_set_tie_seed(TmSolveOptions *options, uint64_t seed)
{
    if (options) {
        options->random_ties = TRUE;
        options->tie_seed = seed;
    }
}

void tm_solve_options_clear_tie_seed(TmSolveOptions *options)
{
    if (options) {
        options->random_ties = FALSE;
        options->tie_seed = 0;
    }
}

gboolean tm_solve_options_get_tie_seed(const TmSolveOptions *options, uint64_t *seed)
{
    if (options == NULL || !options->random_ties)
        return FALSE;
    if (seed)
        *seed = options->tie_seed;
    return TRUE;
}

void tm_solve_options_set_progress(TmSolveOptions *options, TmProgressFunc func,
                                   gpointer user_data, GDestroyNotify destroy)
{
    if (options)
        tm_i_control_set_progress(&options->ctl, func, user_data, destroy);
}

void tm_solve_options_set_cancel(TmSolveOptions *options, TmCancel *cancel)
{
    if (options)
        tm_i_control_set_cancel(&options->ctl, cancel);
}

TmCancel *tm_solve_options_get_cancel(const TmSolveOptions *options)
{
    return options ? options->ctl.cancel : NULL;
}

const TmControl *tm_i_solve_options_control(const TmSolveOptions *options)
{
    static const TmControl none = { NULL, NULL, NULL, NULL };
    return options ? &options->ctl : &none;
}

static TmMatching *deferred_acceptance(TmMarket *market, TmSide proposing,
                                       const TmGroups *groups, const TmControl *ctl,
                                       GError **error)
{
    TmDa *da = tm_i_da_new(market, proposing, groups, error);
    if (da == NULL)
        return NULL;
    TmMatching *result = tm_i_da_run(da, ctl, error) ? tm_i_da_collect(da, error) : NULL;
    tm_i_da_free(da);
    return result;
}

TmMatching *tm_solve(TmMarket *market, const TmGroups *groups, const TmSolveOptions *options,
                     GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (market == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "market must not be NULL");
        return NULL;
    }
    const TmSide proposing = tm_solve_options_get_proposing(options);
    const TmControl *ctl = tm_i_solve_options_control(options);
    if (!tm_i_market_has_ties(market))
        return deferred_acceptance(market, proposing, groups, ctl, error);
    const TmStability stability = tm_solve_options_get_stability(options);
    const gboolean max_card = tm_solve_options_get_max_cardinality(options);
    if (max_card && stability != TM_STABILITY_WEAK) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "max-cardinality applies to weak stability only (every strongly or "
                            "super-stable matching has the same size)");
        return NULL;
    }
    if (groups != NULL && (max_card || stability != TM_STABILITY_WEAK)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "with groups (caps and floors) and ties only a weakly stable matching "
                            "by tie breaking is supported");
        return NULL;
    }
    if (max_card)
        return tm_i_solve_kiraly(market, proposing, ctl, error);
    if (stability == TM_STABILITY_SUPER)
        return tm_i_solve_super(market, proposing, ctl, error);
    if (stability == TM_STABILITY_STRONG)
        return tm_i_solve_strong(market, proposing, ctl, error);

    /* weak: break the ties, solve the strict copy, move the result back */
    TmMarket *strict = tm_i_market_break_ties(market, options && options->random_ties,
                                              options ? options->tie_seed : 0, error);
    if (strict == NULL)
        return NULL;
    TmMatching *on_strict = deferred_acceptance(strict, proposing, groups, ctl, error);
    TmMatching *result = on_strict ? tm_i_matching_rebase(market, on_strict, error) : NULL;
    tm_matching_free(on_strict);
    tm_market_free(strict);
    return result;
}
