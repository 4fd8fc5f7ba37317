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

/* How many workers the market build uses (market_build.c): 0 (the default)
 * by size (TM_MARKET_BUILD_WORKERS workers for a side of at least
 * TM_MARKET_BUILD_PARALLEL_MIN entries, else one); n >= 1 forces n (at most
 * 8) for every build, whatever its size.  Every choice builds the same
 * arrays and reports the same errors; tests and benchmarks force each.
 * Process-wide; safe to call from any thread, meant to be set while no
 * build runs. */
G_GNUC_INTERNAL void tm_i_market_set_build_workers(int n_workers);

#endif /* TECHMATCH_CORE_MARKET_PRIVATE_H */
