/* techmatch — a matching on a market, its statistics and its audit.
 *
 * A TmMatching is a set of (supply, demand) pairs on a given market.  Solvers
 * produce them; users can also build one by hand from pairs (for instance an
 * assignment made elsewhere) and audit it with tm_matching_check() or
 * tm_matching_blocking_pairs().  A hand-built matching may break the rules
 * (over capacity, unacceptable pairs): that is reported, not refused.
 *
 * Preferences used by the audit.  An agent a *would take* b (of the other
 * side) if the pair is acceptable, they are not already matched to each other,
 * and either a holds fewer partners than its capacity or a ranks b above its
 * worst current partner, where an unacceptable partner counts as worse than
 * any acceptable one.  "Above" is strict: with ties, a partner of equal rank
 * is no improvement, so the audit checks *weak* stability.  (s, d) is a
 * *blocking pair* if s would take d and d would take s.  A matching is *stable* when it has no blocking pair, no agent
 * over capacity and no unacceptable pair.
 */
#ifndef TECHMATCH_MATCHING_H
#define TECHMATCH_MATCHING_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>

G_BEGIN_DECLS

typedef struct TmMatching TmMatching;

/**
 * tm_matching_new_from_pairs:
 * Builds a matching on @market from @n_pairs pairs (supply[i], demand[i]).
 * Arrays are borrowed; the matching takes a reference on @market.
 *
 * Returns a new matching (free with tm_matching_free()), or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL market or arrays with n_pairs > 0, negative
 * count), TM_ERROR_OUT_OF_RANGE (an id outside its side), TM_ERROR_DUPLICATE
 * (the same pair twice), TM_ERROR_OVERFLOW, TM_ERROR_NO_MEMORY.
 */
TM_API TmMatching *tm_matching_new_from_pairs(TmMarket *market, const int32_t *supply,
                                              const int32_t *demand, int64_t n_pairs,
                                              GError **error);

/** Frees a matching and drops its market reference.  NULL-safe. */
TM_API void tm_matching_free(TmMatching *matching);

/** The market (borrowed; valid while the matching lives). */
TM_API TmMarket *tm_matching_market(const TmMatching *matching);

/** Number of pairs. */
TM_API int64_t tm_matching_n_pairs(const TmMatching *matching);

/**
 * tm_matching_get_pairs:
 * Copies the pairs into caller-owned arrays that hold @capacity entries each
 * (at least tm_matching_n_pairs()), ordered by supply id, then by the supply
 * agent's preference (by rank, tied partners by id; unacceptable partners
 * last, by id).  The arrays may be NULL when there are no pairs.  Returns
 * FALSE with TM_ERROR_INVALID_ARGUMENT for a NULL matching, NULL arrays when
 * there are pairs, or a capacity below the number of pairs (nothing is
 * written then).  Time O(pairs + n).
 */
TM_API gboolean tm_matching_get_pairs(const TmMatching *matching, int32_t *supply_out,
                                      int32_t *demand_out, int64_t capacity, GError **error);

/**
 * tm_matching_get_pair_ranks:
 * For the pairs in the order of tm_matching_get_pairs(): the rank the supply
 * agent gives its partner (@supply_rank_out) and the rank the demand agent
 * gives back (@demand_rank_out); -1 for a side that does not list the other
 * (hand-built matchings).  Buffers hold @capacity entries each (>= pairs).
 * Errors as tm_matching_get_pairs().  Time O(pairs · c), c = largest
 * number of partners of a demand agent.
 */
TM_API gboolean tm_matching_get_pair_ranks(const TmMatching *matching, int32_t *supply_rank_out,
                                           int32_t *demand_rank_out, int64_t capacity,
                                           GError **error);

/**
 * tm_matching_get_partners:
 * Copies one side's partner lists in CSR form into caller-owned buffers (for
 * bindings and bulk analysis): @offsets gets n + 1 entries (n agents on
 * @side; capacity @offsets_capacity), @partners the partners of each agent,
 * best first as tm_matching_partners(), and @ranks the rank the agent gives
 * each (-1 when unacceptable) — tm_matching_n_pairs() entries each, within
 * @capacity.  Any buffer may be NULL.  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT (NULL matching, bad side, buffer too small);
 * nothing is written then.  Time O(pairs + n).
 */
TM_API gboolean tm_matching_get_partners(const TmMatching *matching, TmSide side,
                                         int32_t *offsets, int64_t offsets_capacity,
                                         int32_t *partners, int32_t *ranks, int64_t capacity,
                                         GError **error);

/**
 * tm_matching_partners:
 * Partners of @agent on @side, best first by the agent's preference
 * (unacceptable ones last, by id).  Borrowed pointer valid while the matching
 * lives; count in @n.  NULL (n = 0) when out of range or unmatched.
 */
TM_API const int32_t *tm_matching_partners(const TmMatching *matching, TmSide side,
                                           int32_t agent, int32_t *n);

/** Number of partners of @agent on @side (-1 if out of range). */
TM_API int32_t tm_matching_n_partners(const TmMatching *matching, TmSide side,
                                      int32_t agent);

/** Proposals made by the solver that built this matching (0 if hand-built). */
TM_API int64_t tm_matching_n_proposals(const TmMatching *matching);

/* ---- statistics -------------------------------------------------------- */

/** Per-side statistics. Ranks are 0-based (0 = first choice) and cover
 * acceptable pairs only. */
typedef struct {
    int32_t agents;          /**< agents on this side */
    int32_t matched_agents;  /**< agents with at least one partner */
    int64_t seats;           /**< sum of capacities */
    int64_t filled_seats;    /**< sum over agents of min(partners, capacity) */
    double rank_mean;        /**< mean rank over pairs (0 when there are none) */
    double rank_median;      /**< median rank (mean of the middle two when even) */
    int32_t rank_max;        /**< worst rank given (-1 when there are no pairs) */
    int64_t dropped_entries; /**< one-sided list entries dropped at build time */
} TmSideStats;

/** Statistics of a matching. */
typedef struct {
    int64_t pairs;
    int64_t proposals;
    TmSideStats side[2];     /**< indexed by TmSide */
} TmMatchingStats;

/** Fills @stats.  Returns FALSE with TM_ERROR_INVALID_ARGUMENT on NULL,
 * TM_ERROR_NO_MEMORY.  Time O(pairs + n). */
TM_API gboolean tm_matching_get_stats(const TmMatching *matching, TmMatchingStats *stats,
                                      GError **error);

/**
 * tm_matching_rank_histogram:
 * counts[r] = number of pairs in which the @side agent gives its partner rank
 * r, for r < n_counts (ranks >= n_counts are not counted).  Unacceptable pairs
 * are not counted.  @counts is caller owned.  Errors: TM_ERROR_INVALID_ARGUMENT.
 */
TM_API gboolean tm_matching_rank_histogram(const TmMatching *matching, TmSide side,
                                           int64_t *counts, int32_t n_counts,
                                           GError **error);

/* ---- audit ------------------------------------------------------------- */

/** Kinds of rule violation found by tm_matching_check(). */
typedef enum {
    TM_VIOLATION_OVER_CAPACITY = 1, /**< agent holds more partners than its capacity */
    TM_VIOLATION_UNACCEPTABLE = 2,  /**< a pair that one side (or both) did not list */
    TM_VIOLATION_GROUP_OVER_CAP = 3, /**< a group (groups.h) over its cap or using another
                                          group's reserved seats; agent = group index */
} TmViolationKind;

/** One violation.  For OVER_CAPACITY: @side/@agent name the agent, @count its
 * partners and @capacity its capacity; supply/demand are -1.  For
 * UNACCEPTABLE: @supply/@demand name the pair, side/agent/count/capacity are
 * unused (-1). */
typedef struct {
    TmViolationKind kind;
    TmSide side;
    int32_t agent;
    int32_t count;
    int32_t capacity;
    int32_t supply;
    int32_t demand;
} TmViolation;

typedef struct TmVerdict TmVerdict;

/**
 * TmStability:
 * The three classic stability notions for lists with ties (Irving 1994;
 * Irving, Manlove & Scott 2000, 2003).  For a pair (s, d) that is acceptable
 * to both and not in the matching, say an agent *gains strictly* from it when
 * it has a free seat (fewer partners than its capacity) or ranks the other
 * strictly better than its worst partner (an unacceptable partner counts as
 * worse than every acceptable one), and *gains weakly* when it gains strictly
 * or ranks the other equal to its worst partner.  The pair blocks:
 * @TM_STABILITY_WEAK: when both gain strictly (the default notion; in a
 *     market without ties this is ordinary pairwise stability);
 * @TM_STABILITY_STRONG: when both gain weakly and at least one strictly;
 * @TM_STABILITY_SUPER: when both gain weakly.
 * Super-stable implies strongly stable implies weakly stable; without ties
 * the three coincide.
 */
typedef enum {
    TM_STABILITY_WEAK = 0,
    TM_STABILITY_STRONG = 1,
    TM_STABILITY_SUPER = 2,
} TmStability;

/**
 * tm_matching_check:
 * Audits any matching: lists every blocking pair and every violation.
 * Returns a new verdict (free with tm_verdict_free()) or NULL with
 * TM_ERROR_INVALID_ARGUMENT / TM_ERROR_NO_MEMORY.  Time O(L + pairs + n).
 */
TM_API TmVerdict *tm_matching_check(const TmMatching *matching, GError **error);

/**
 * tm_matching_check_stability:
 * As tm_matching_check(), with the blocking pairs of @stability (see
 * TmStability; tm_matching_check() is the TM_STABILITY_WEAK case).  Same
 * violations, same order of blocking pairs.  Returns a new verdict or NULL
 * with TM_ERROR_INVALID_ARGUMENT (NULL matching, unknown @stability) or
 * TM_ERROR_NO_MEMORY.  Time O(L + pairs + n).
 */
TM_API TmVerdict *tm_matching_check_stability(const TmMatching *matching, TmStability stability,
                                              GError **error);

/** TRUE when the verdict has no blocking pair and no violation. */
TM_API gboolean tm_verdict_is_stable(const TmVerdict *verdict);
/** Number of blocking pairs. */
TM_API int64_t tm_verdict_n_blocking_pairs(const TmVerdict *verdict);
/** Blocking pair @i (ordered by supply id, then supply's rank); FALSE if out of range. */
TM_API gboolean tm_verdict_blocking_pair(const TmVerdict *verdict, int64_t i,
                                         int32_t *supply, int32_t *demand);
/**
 * tm_verdict_get_blocking_pairs:
 * Copies every blocking pair (in the order of tm_verdict_blocking_pair())
 * into caller-owned arrays of @capacity entries each (at least
 * tm_verdict_n_blocking_pairs(); NULL arrays allowed when there are none).
 * Returns FALSE with TM_ERROR_INVALID_ARGUMENT for a NULL verdict, NULL
 * arrays or a capacity that is too small (nothing is written then).
 * Time O(blocking pairs).
 */
TM_API gboolean tm_verdict_get_blocking_pairs(const TmVerdict *verdict, int32_t *supply_out,
                                              int32_t *demand_out, int64_t capacity,
                                              GError **error);
/** Number of violations. */
TM_API int64_t tm_verdict_n_violations(const TmVerdict *verdict);
/** Violation @i (over-capacity ones first, then unacceptable pairs); borrowed,
 * NULL if out of range. */
TM_API const TmViolation *tm_verdict_violation(const TmVerdict *verdict, int64_t i);
/** Frees a verdict.  NULL-safe. */
TM_API void tm_verdict_free(TmVerdict *verdict);

/**
 * tm_matching_blocking_pairs:
 * All blocking pairs of @matching as two new arrays (caller frees both with
 * g_free(); NULL when there are none) and their count in @n.  Same order as
 * the verdict.  Errors: TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.
 */
TM_API gboolean tm_matching_blocking_pairs(const TmMatching *matching, int32_t **supply,
                                           int32_t **demand, int64_t *n, GError **error);

/** Convenience: TRUE iff tm_matching_check() finds the matching stable.
 * On error returns FALSE with @error set. */
TM_API gboolean tm_matching_is_stable(const TmMatching *matching, GError **error);

G_END_DECLS

#endif /* TECHMATCH_MATCHING_H */
