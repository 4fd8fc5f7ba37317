/* techmatch — building a market from lists already known to be mutual.
 *
 * The library-internal interface of the core for producers that generate
 * both sides' lists together (the programme layer's candidate generation):
 * every entry (a, b) has its partner entry (b, a), and each side knows the
 * position of every entry in the partner's list.  Such lists skip the
 * validate-and-join pass of tm_market_new_from_arrays().  Not installed; not
 * for users (whose lists are validated).
 */
#ifndef TECHMATCH_CORE_MUTUAL_H
#define TECHMATCH_CORE_MUTUAL_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/market.h>

/**
 * tm_i_market_new_mutual:
 * A strict market from mutual CSR lists.  Entry e of supply agent s names
 * demand agent supply_ids[e], and supply_rpos[e] is s's position in that
 * agent's list (so demand_ids[demand_off[d] + supply_rpos[e]] == s); likewise
 * for the demand side.  Capacities may be NULL (all 1).
 *
 * Takes ownership of every array, on success and on failure alike (they are
 * freed with g_free()).  With @verify, the lists are checked in O(L + n) —
 * offsets, ranges, capacities and that every entry's partner entry points
 * back — and an inconsistency fails with TM_ERROR_INVALID_ARGUMENT naming the
 * entry; without, they are trusted (the producer's contract).
 *
 * Returns a new market (tm_market_free()) or NULL with @error
 * (TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY).  Time O(n) (+ O(L) to
 * verify), no copy of the lists.
 */
G_GNUC_INTERNAL TmMarket *tm_i_market_new_mutual(int32_t n_supply, int32_t n_demand,
                                                 int32_t *supply_cap, int32_t *demand_cap,
                                                 int32_t *supply_off, int32_t *supply_ids,
                                                 int32_t *supply_rpos, int32_t *demand_off,
                                                 int32_t *demand_ids, int32_t *demand_rpos,
                                                 gboolean verify, GError **error);

#endif /* TECHMATCH_CORE_MUTUAL_H */
