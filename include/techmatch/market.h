/* techmatch — the two-sided market.
 *
 * A market has two sides, SUPPLY (e.g. commissioners) and DEMAND (e.g.
 * service sites).  Agents are numbered 0..n-1 on each side.  Every agent has
 * a capacity >= 0 (0 = takes part in nothing) and a possibly incomplete
 * preference list over agents of the other side, most preferred first, in
 * which several agents may share a rank (a tie: "these are equally good").  One-to-one, many-to-one and many-to-many markets are the same type:
 * only the capacities differ.
 *
 * A pair (s, d) is *acceptable* only if s lists d and d lists s.  Entries that
 * only one side lists are dropped when the market is built and counted
 * (tm_market_n_dropped()); that is not an error.
 *
 * Positions and ranks.  After building, each agent's list holds only its
 * acceptable partners, in the agent's order.  The *position* of an entry is
 * its 0-based place in that reduced list; positions never repeat.  The *rank*
 * is the agent's preference level: 0 for the best, and equal for tied
 * partners; ranks are dense (0, 1, 2, ... with no gaps) in the reduced list.
 * Without ties rank == position, as in every strict market.
 *
 * Storage is CSR per side (offsets + ids, int32_t) with, beside every entry,
 * the position the other side gives back (and, only for markets with ties,
 * the ranks), so memory is O(L) where L is the number of acceptable pairs —
 * never O(n_supply * n_demand).
 *
 * A built TmMarket is immutable and reference counted; it may be shared by
 * any number of threads for reading and solving.  Builders are not thread
 * safe.  There is no global state.
 */
#ifndef TECHMATCH_MARKET_H
#define TECHMATCH_MARKET_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>

G_BEGIN_DECLS

/** The two sides of a market. */
typedef enum {
    TM_SIDE_SUPPLY = 0,
    TM_SIDE_DEMAND = 1,
} TmSide;

/** The other side. */
#define TM_SIDE_OTHER(side) ((TmSide)(1 - (int)(side)))

typedef struct TmMarket TmMarket;
typedef struct TmMarketBuilder TmMarketBuilder;

/**
 * tm_market_new_from_arrays:
 * Builds a market from flat CSR arrays, the way numpy hands them over.
 *
 * @n_supply, @n_demand: number of agents on each side, >= 0.
 * @supply_capacity, @demand_capacity: n entries each, >= 0; NULL means every
 *     agent of that side has capacity 1.
 * @supply_offsets: n_supply + 1 non-decreasing entries, first 0; agent s's
 *     list is supply_prefs[supply_offsets[s] .. supply_offsets[s+1]).
 * @supply_prefs: demand ids, most preferred first.
 * @demand_offsets, @demand_prefs: likewise for the demand side.
 *
 * All input arrays are borrowed and only read during the call.
 *
 * Returns: a new market (caller frees with tm_market_free()), or NULL with
 * @error set: TM_ERROR_INVALID_ARGUMENT (NULL array, bad offsets),
 * TM_ERROR_OUT_OF_RANGE (id outside the other side), TM_ERROR_DUPLICATE (id
 * twice in one list), TM_ERROR_NEGATIVE_CAPACITY, TM_ERROR_OVERFLOW,
 * TM_ERROR_NO_MEMORY.  Messages name the side, agent and list position.
 *
 * Time O(L + n_supply + n_demand), memory O(L + n_supply + n_demand).
 */
TM_API TmMarket *tm_market_new_from_arrays(int32_t n_supply, int32_t n_demand,
                                           const int32_t *supply_capacity,
                                           const int32_t *demand_capacity,
                                           const int32_t *supply_offsets,
                                           const int32_t *supply_prefs,
                                           const int32_t *demand_offsets,
                                           const int32_t *demand_prefs,
                                           GError **error);

/**
 * tm_market_new_from_ranked_arrays:
 * As tm_market_new_from_arrays(), with ranks, so lists may contain ties.
 *
 * @supply_ids, @demand_ids: the lists (as @supply_prefs / @demand_prefs
 *     above), each best first.
 * @supply_ranks, @demand_ranks: one rank per entry, or NULL for strict lists
 *     (rank = position).  Within each list ranks must be >= 0 and
 *     non-decreasing; equal ranks form a tie.  Any values may be used (e.g.
 *     scores turned into levels); after one-sided entries are dropped they
 *     are renumbered densely (0, 1, ...) per list.
 * @supply_len, @demand_len: the number of entries in the ids (and ranks)
 *     arrays, which must equal the last offset (a check that the arrays a
 *     binding hands over are as long as the offsets claim); -1 = not checked.
 *
 * All arrays are borrowed and only read during the call.
 *
 * Returns: a new market (tm_market_free()) or NULL with @error: as
 * tm_market_new_from_arrays(), plus TM_ERROR_INVALID_ARGUMENT for a negative
 * or decreasing rank (naming side, agent and position) or a length that
 * differs from the offsets.
 *
 * Time O(L + n) (plus O(L) for each side with ties), memory O(L + n).
 */
TM_API TmMarket *tm_market_new_from_ranked_arrays(int32_t n_supply, int32_t n_demand,
                                                  const int32_t *supply_capacity,
                                                  const int32_t *demand_capacity,
                                                  const int32_t *supply_offsets,
                                                  const int32_t *supply_ids,
                                                  const int32_t *supply_ranks,
                                                  int64_t supply_len,
                                                  const int32_t *demand_offsets,
                                                  const int32_t *demand_ids,
                                                  const int32_t *demand_ranks,
                                                  int64_t demand_len, GError **error);

/**
 * tm_market_new_take_arrays:
 * As tm_market_new_from_ranked_arrays(), but the market takes ownership of
 * the arrays, so that building from a file or a generator never holds the
 * lists twice: where the build can, it reuses them as the market's own
 * (e.g. the partner ids when every listed pair is acceptable) and it frees
 * the rest as soon as it is done with each.
 *
 * Every non-NULL array must come from g_malloc()/g_try_malloc() (or be
 * compatible with g_free()); all of them are freed or kept by the market, on
 * success and on failure alike: the caller must not use them afterwards.
 * @supply_ranks / @demand_ranks may be NULL (strict lists); capacities NULL
 * mean 1.  The lengths are the last offsets (there is no separate length).
 *
 * Returns: a new market, or NULL with @error as
 * tm_market_new_from_ranked_arrays().
 *
 * Memory: for a side without ranks the build frees the ids array of the
 * side with fewer agents as soon as its lists are reduced and makes the
 * other side's ids array the market's own (compacted in place), so a strict
 * market peaks at about 20 bytes per pair (the market's 16 and 4 of scratch;
 * measured 20.5 at 5e7 pairs, against 28 when building from borrowed arrays
 * and freeing them after) plus O(n).  Time O(L + n).
 */
TM_API TmMarket *tm_market_new_take_arrays(int32_t n_supply, int32_t n_demand,
                                           int32_t *supply_capacity, int32_t *demand_capacity,
                                           int32_t *supply_offsets, int32_t *supply_ids,
                                           int32_t *supply_ranks, int32_t *demand_offsets,
                                           int32_t *demand_ids, int32_t *demand_ranks,
                                           GError **error);

/** Takes another reference; returns @market.  NULL-safe. */
TM_API TmMarket *tm_market_ref(TmMarket *market);

/** Drops a reference; the market is freed with the last one.  NULL-safe. */
TM_API void tm_market_free(TmMarket *market);

/** Number of agents on @side (0 for a NULL market or bad side). */
TM_API int32_t tm_market_size(const TmMarket *market, TmSide side);

/** Capacity of @agent on @side, or -1 if the arguments are out of range. */
TM_API int32_t tm_market_capacity(const TmMarket *market, TmSide side, int32_t agent);

/** Number of acceptable pairs L (equal on both sides). */
TM_API int64_t tm_market_n_pairs(const TmMarket *market);

/** Number of entries dropped from @side's lists because the other agent did
 * not list back. */
TM_API int64_t tm_market_n_dropped(const TmMarket *market, TmSide side);

/**
 * tm_market_bytes:
 * Bytes the built market holds on the heap (its arrays and its header; 0 for
 * NULL).  A strict market holds, per side, offsets (4 (n + 1)), capacities
 * (4 n), partner ids and the reverse positions (4 + 4 bytes per entry): 16
 * bytes per acceptable pair in all, plus 8 per agent.  A market with ties adds
 * the ranks of the sides that have ties and the reverse ranks of their
 * partners' entries (up to 16 more bytes per pair).  O(1).
 */
TM_API int64_t tm_market_bytes(const TmMarket *market);

/**
 * tm_market_prefs:
 * The reduced preference list of @agent (acceptable partners only, most
 * preferred first).  Returns a borrowed pointer valid while the market lives
 * and stores the length in @len; NULL (len 0) if out of range.
 */
TM_API const int32_t *tm_market_prefs(const TmMarket *market, TmSide side,
                                      int32_t agent, int32_t *len);

/**
 * tm_market_rank:
 * The rank (0 = best; equal for tied partners) that @agent on @side gives
 * @partner on the other side, or -1 if the pair is not acceptable or an
 * argument is out of range.  Time O(length of agent's list).
 */
TM_API int32_t tm_market_rank(const TmMarket *market, TmSide side,
                              int32_t agent, int32_t partner);

/**
 * tm_market_position:
 * The position (0-based place in @agent's reduced list; never shared) of
 * @partner, or -1 if the pair is not acceptable or an argument is out of
 * range.  Equals tm_market_rank() in a market without ties.
 * Time O(length of agent's list).
 */
TM_API int32_t tm_market_position(const TmMarket *market, TmSide side,
                                  int32_t agent, int32_t partner);

/** TRUE when some agent's reduced list has a tie (FALSE for NULL).  O(1). */
TM_API gboolean tm_market_has_ties(const TmMarket *market);

/**
 * tm_market_get_lists:
 * Copies a whole side's reduced lists in CSR form into caller-owned buffers
 * (for bindings and bulk analysis): @offsets gets n + 1 entries (n =
 * tm_market_size()); @ids the partners, @ranks the rank the owner gives each
 * partner, @reverse_ranks the rank each partner gives the owner back — L =
 * tm_market_n_pairs() entries each.  Any buffer may be NULL (not wanted).
 *
 * @offsets_capacity: entries @offsets can hold (>= n + 1 when not NULL).
 * @entries_capacity: entries each of @ids, @ranks, @reverse_ranks can hold
 *     (>= L when any is not NULL).
 *
 * Returns FALSE with TM_ERROR_INVALID_ARGUMENT (NULL market, bad side, a
 * buffer too small — the message says how many entries are needed); nothing
 * is written then.  Time O(L + n).
 */
TM_API gboolean tm_market_get_lists(const TmMarket *market, TmSide side, int32_t *offsets,
                                    int64_t offsets_capacity, int32_t *ids, int32_t *ranks,
                                    int32_t *reverse_ranks, int64_t entries_capacity,
                                    GError **error);

/**
 * tm_market_get_capacities:
 * Copies the n capacities of @side into @capacities, which holds @capacity
 * entries (>= n).  Returns FALSE with TM_ERROR_INVALID_ARGUMENT (NULL
 * argument, bad side, buffer too small).  Time O(n).
 */
TM_API gboolean tm_market_get_capacities(const TmMarket *market, TmSide side,
                                         int32_t *capacities, int64_t capacity,
                                         GError **error);

/* ---- agent-by-agent construction ------------------------------------- */

/**
 * tm_market_builder_new:
 * Starts a market with @n_supply and @n_demand agents, all with capacity 1
 * and empty lists.  Returns a builder (free with tm_market_builder_free()), or
 * NULL with TM_ERROR_INVALID_ARGUMENT for negative sizes, TM_ERROR_NO_MEMORY.
 */
TM_API TmMarketBuilder *tm_market_builder_new(int32_t n_supply, int32_t n_demand,
                                              GError **error);

/** Sets the capacity of one agent.  Errors: TM_ERROR_INVALID_ARGUMENT,
 * TM_ERROR_OUT_OF_RANGE, TM_ERROR_NEGATIVE_CAPACITY. */
TM_API gboolean tm_market_builder_set_capacity(TmMarketBuilder *builder, TmSide side,
                                               int32_t agent, int32_t capacity,
                                               GError **error);

/**
 * tm_market_builder_set_prefs:
 * Sets (replaces) @agent's preference list: @len ids of the other side, most
 * preferred first; @prefs is copied.  Validation of ids and duplicates happens
 * here, so the error names the list at fault.  Errors:
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_OUT_OF_RANGE, TM_ERROR_DUPLICATE,
 * TM_ERROR_OVERFLOW (total length beyond INT32_MAX), TM_ERROR_NO_MEMORY.
 */
TM_API gboolean tm_market_builder_set_prefs(TmMarketBuilder *builder, TmSide side,
                                            int32_t agent, const int32_t *prefs,
                                            int32_t len, GError **error);

/**
 * tm_market_builder_set_ranked_prefs:
 * As tm_market_builder_set_prefs() with a rank per entry (@ranks, copied;
 * NULL = strict): >= 0 and non-decreasing, equal ranks form a tie (see
 * tm_market_new_from_ranked_arrays()).  Errors: those of
 * tm_market_builder_set_prefs(), plus TM_ERROR_INVALID_ARGUMENT for a
 * negative or decreasing rank.
 */
TM_API gboolean tm_market_builder_set_ranked_prefs(TmMarketBuilder *builder, TmSide side,
                                                   int32_t agent, const int32_t *prefs,
                                                   const int32_t *ranks, int32_t len,
                                                   GError **error);

/**
 * tm_market_builder_build:
 * Builds a market from the builder's current state.  The builder is left
 * unchanged and may be reused or freed.  Returns a new market (free with
 * tm_market_free()) or NULL with @error set (as tm_market_new_from_arrays()).
 */
TM_API TmMarket *tm_market_builder_build(const TmMarketBuilder *builder, GError **error);

/** Frees a builder.  NULL-safe. */
TM_API void tm_market_builder_free(TmMarketBuilder *builder);

G_END_DECLS

#endif /* TECHMATCH_MARKET_H */
