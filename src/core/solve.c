/* techmatch — the solve entry point and its options (solve.h). */
#include "core/da_private.h"

struct TmSolveOptions {
    TmSide proposing;
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
    o->proposing = options->proposing;
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

TmMatching *tm_solve(TmMarket *market, const TmGroups *groups, const TmSolveOptions *options,
                     GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (market == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "market must not be NULL");
        return NULL;
    }
    TmDa *da = tm_i_da_new(market, tm_solve_options_get_proposing(options), groups, error);
    if (da == NULL)
        return NULL;
    TmMatching *result = tm_i_da_run(da, tm_i_solve_options_control(options), error) ? tm_i_da_collect(da, error) : NULL;
    tm_i_da_free(da);
    return result;
}
