/* techmatch — super-stable matchings for markets with ties (ties_private.h).
 * Not written yet: refuses with TM_ERROR_UNSUPPORTED. */
#include "core/ties_private.h"

TmMatching *tm_i_solve_super(TmMarket *market, TmSide proposing, const TmControl *ctl,
                            GError **error)
{
    (void)market;
    (void)proposing;
    (void)ctl;
    g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                        "super-stable matchings are not implemented yet");
    return NULL;
}
