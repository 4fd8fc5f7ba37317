/* techmatch — solvers for markets with ties (private to the core).
 *
 * tm_solve() (solve.c) dispatches here by the stability of its options; each
 * solver returns a matching on @market itself (ranks with ties) or NULL with
 * @error.  @proposing is the side whose optimum is sought; @ctl carries the
 * progress callback and cancel handle.  None of them takes groups. */
#ifndef TECHMATCH_CORE_TIES_PRIVATE_H
#define TECHMATCH_CORE_TIES_PRIVATE_H

#include "core/internal.h"

/* A strict copy of @market: each list reordered so that ties are broken (by
 * position when @random is FALSE, else by a permutation drawn from @seed),
 * without rank arrays.  Agents, capacities and the acceptable pairs are
 * those of @market.  Time and memory O(L + n).  (ties_break.c) */
G_GNUC_INTERNAL TmMarket *tm_i_market_break_ties(const TmMarket *market, gboolean random,
                                                 uint64_t seed, GError **error);

/* A matching on @market with the pairs of @mt (a matching on another market
 * with the same agents and acceptable pairs), ranks looked up in @market.
 * The proposal count is kept.  (ties_break.c) */
G_GNUC_INTERNAL TmMatching *tm_i_matching_rebase(TmMarket *market, const TmMatching *mt,
                                                 GError **error);

/* Super-stable matching (super.c); TM_ERROR_NO_SUCH_MATCHING when none. */
G_GNUC_INTERNAL TmMatching *tm_i_solve_super(TmMarket *market, TmSide proposing,
                                             const TmControl *ctl, GError **error);

/* Strongly stable matching (strong.c); TM_ERROR_NO_SUCH_MATCHING when none. */
G_GNUC_INTERNAL TmMatching *tm_i_solve_strong(TmMarket *market, TmSide proposing,
                                              const TmControl *ctl, GError **error);

/* Király's 3/2-approximation of a maximum weakly stable matching (kiraly.c). */
G_GNUC_INTERNAL TmMatching *tm_i_solve_kiraly(TmMarket *market, TmSide proposing,
                                              const TmControl *ctl, GError **error);

#endif /* TECHMATCH_CORE_TIES_PRIVATE_H */
