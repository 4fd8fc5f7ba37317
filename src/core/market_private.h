/* techmatch — market internals shared by the build, the builder and the
 * accessors (private to the core). */
#ifndef TECHMATCH_CORE_MARKET_PRIVATE_H
#define TECHMATCH_CORE_MARKET_PRIVATE_H

#include "core/internal.h"

static inline const char *tm_i_side_name(TmSide side)
{
    return side == TM_SIDE_SUPPLY ? "supply" : "demand";
}

/* Ranks given by the caller must be >= 0 and non-decreasing along each of
 * the @n lists (@off: n + 1 offsets); messages number agents from @agent0. */
G_GNUC_INTERNAL gboolean tm_i_market_validate_ranks(TmSide side, int32_t n, const int32_t *off,
                                                    const int32_t *ranks, int32_t agent0,
                                                    GError **error);

#endif /* TECHMATCH_CORE_MARKET_PRIVATE_H */
