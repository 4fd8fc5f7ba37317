/* techmatch — solving a market: one entry point, one options object.
 *
 * tm_solve() runs deferred acceptance (Gale & Shapley 1962; Roth 1984 for
 * many-to-many with responsive preferences) on a market, optionally under
 * the caps and floors of a TmGroups (groups.h).  Which side proposes, the
 * progress callback and the cancel handle are set on an opaque
 * TmSolveOptions, so new settings can be added without breaking the ABI.
 */
#ifndef TECHMATCH_SOLVE_H
#define TECHMATCH_SOLVE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/cancel.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>

G_BEGIN_DECLS

typedef struct TmGroups TmGroups;
typedef struct TmSolveOptions TmSolveOptions;

/**
 * tm_solve_options_new:
 * New options with the defaults: the supply side proposes, no progress
 * callback, no cancel handle.  Free with tm_solve_options_free().  Never
 * fails (fixed-size allocation).  Options are plain values: not thread-safe
 * to modify, but any number of concurrent solves may read one options object.
 */
TM_API TmSolveOptions *tm_solve_options_new(void);

/** A copy of @options (with its own references to the cancel handle and
 * progress data); NULL for NULL.  Free with tm_solve_options_free(). */
TM_API TmSolveOptions *tm_solve_options_copy(const TmSolveOptions *options);

/** Frees @options, dropping its cancel reference and calling the progress
 * data's destroy notify, if any.  NULL-safe. */
TM_API void tm_solve_options_free(TmSolveOptions *options);

/**
 * tm_solve_options_set_proposing:
 * Which side proposes (TM_SIDE_SUPPLY, the default, or TM_SIDE_DEMAND); the
 * result is that side's optimal stable matching.  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT for a NULL @options or another value.
 */
TM_API gboolean tm_solve_options_set_proposing(TmSolveOptions *options, TmSide side,
                                               GError **error);

/** The proposing side (TM_SIDE_SUPPLY for NULL). */
TM_API TmSide tm_solve_options_get_proposing(const TmSolveOptions *options);

/**
 * tm_solve_options_set_progress:
 * Sets (or, with a NULL @func, clears) the progress callback.  @destroy, if
 * not NULL, is called on @user_data when the callback is replaced or the
 * options are freed; copies made with tm_solve_options_copy() share
 * @user_data without calling @destroy.  NULL-safe on @options.
 */
TM_API void tm_solve_options_set_progress(TmSolveOptions *options, TmProgressFunc func,
                                          gpointer user_data, GDestroyNotify destroy);

/** Sets (or, with NULL, clears) the cancel handle; the options take their
 * own reference.  NULL-safe on @options. */
TM_API void tm_solve_options_set_cancel(TmSolveOptions *options, TmCancel *cancel);

/** The cancel handle (borrowed; NULL when none). */
TM_API TmCancel *tm_solve_options_get_cancel(const TmSolveOptions *options);

/**
 * tm_solve_options_set_stability:
 * The stability asked for when the market has ties (TmStability in
 * matching.h): TM_STABILITY_WEAK (the default), TM_STABILITY_STRONG or
 * TM_STABILITY_SUPER.  Without ties the three coincide and tm_solve() runs
 * deferred acceptance whatever is set.  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT for a NULL @options or another value.
 */
TM_API gboolean tm_solve_options_set_stability(TmSolveOptions *options, TmStability stability,
                                               GError **error);

/** The stability asked for (TM_STABILITY_WEAK for NULL). */
TM_API TmStability tm_solve_options_get_stability(const TmSolveOptions *options);

/**
 * tm_solve_options_set_max_cardinality:
 * With ties, ask for a large weakly stable matching (Király's
 * 3/2-approximation of the maximum; see tm_solve()) instead of plain tie
 * breaking.  Default FALSE.  Only meaningful with TM_STABILITY_WEAK (every
 * strongly or super-stable matching of a market has the same size).
 * NULL-safe on @options.
 */
TM_API void tm_solve_options_set_max_cardinality(TmSolveOptions *options, gboolean max_cardinality);

/** Whether a large weakly stable matching is asked for (FALSE for NULL). */
TM_API gboolean tm_solve_options_get_max_cardinality(const TmSolveOptions *options);

/**
 * tm_solve_options_set_tie_seed:
 * Breaks ties at random, reproducibly from @seed, when a weakly stable
 * matching is found by tie breaking.  By default (and after
 * tm_solve_options_clear_tie_seed()) ties are broken by list position: the
 * partner listed first within a tie counts as preferred.  The same seed on
 * the same market gives the same matching on every platform and thread
 * count.  NULL-safe on @options.
 */
TM_API void tm_solve_options_set_tie_seed(TmSolveOptions *options, uint64_t seed);

/** Back to deterministic tie breaking by list position.  NULL-safe. */
TM_API void tm_solve_options_clear_tie_seed(TmSolveOptions *options);

/** TRUE and the seed in @seed (may be NULL) when ties are broken at random;
 * FALSE for position order or NULL @options. */
TM_API gboolean tm_solve_options_get_tie_seed(const TmSolveOptions *options, uint64_t *seed);

/**
 * tm_solve:
 * Deferred acceptance on @market with the proposing side of @options.
 *
 * Without @groups the result is the proposing side's optimal (pairwise)
 * stable matching: every agent of that side weakly prefers it to every other
 * stable matching.  With @groups (sized for @market) the supply side must
 * propose; the result respects every capacity, cap and floor reservation and
 * is stable with respect to them, as groups.h states precisely.
 *
 * Markets with ties (tm_market_has_ties()), by the stability of @options:
 * - TM_STABILITY_WEAK: ties are broken (by list position, or at random from
 *   the tie seed) on both sides and deferred acceptance runs on the strict
 *   lists; the result is weakly stable, optimal for the proposing side among
 *   the stable matchings of the broken lists.  Groups are allowed.  With
 *   max-cardinality set: Király's algorithm ("Linear time local
 *   approximation algorithm for maximum stable marriage", 2013) with ties
 *   on both sides, a weakly stable matching at least 2/3 the size of the
 *   largest one; the proposing side proposes; a side with capacities above 1
 *   is handled by cloning each of its agents into unit-capacity copies that
 *   the other side ranks as it ranked the original (the copies tie with each
 *   other: a strict order among them could shrink the largest weakly stable
 *   matching), so one-to-one and many-to-one markets are supported
 *   (many-to-many and groups: TM_ERROR_UNSUPPORTED).  Király's paper gives
 *   the rules only in part where we could read it; the two we reconstructed
 *   are stated in src/core/kiraly.c, and the guarantee is checked against a
 *   brute force (tests/core/test_kiraly.c).
 * - TM_STABILITY_SUPER: a super-stable matching (Irving 1994; Irving,
 *   Manlove & Scott 2000 for many-to-one), optimal for the proposing side
 *   among super-stable matchings.
 *   Either side may propose (resident- or hospital-oriented).
 * - TM_STABILITY_STRONG: a strongly stable matching (Irving 1994; Irving,
 *   Manlove & Scott 2003 for many-to-one), optimal for the proposing side
 *   among strongly stable matchings.  In a many-to-one market the side with
 *   capacities of at most 1 must propose (the hospital-oriented version is
 *   not implemented: TM_ERROR_UNSUPPORTED names the side to propose from).
 * Strong and super need one side with capacities of at most 1 (one-to-one
 * or many-to-one) and no groups (else TM_ERROR_UNSUPPORTED); when the market
 * has no such matching the result is NULL with TM_ERROR_NO_SUCH_MATCHING.
 *
 * @market: borrowed; the matching takes its own reference.
 * @groups: borrowed, may be NULL; only read during the call.
 * @options: may be NULL for the defaults; only read during the call.
 *
 * Returns: a new matching (free with tm_matching_free()) or NULL with
 * @error: TM_ERROR_INVALID_ARGUMENT (NULL market, groups sized for another
 * market, groups that are not laminar — see tm_groups_validate()),
 * TM_ERROR_INFEASIBLE (floors of sub-groups above a cap),
 * TM_ERROR_UNSUPPORTED (groups with the demand side proposing; the cases of
 * ties above), TM_ERROR_NO_SUCH_MATCHING (no strongly / super-stable
 * matching exists), TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED.  Nothing is
 * returned half-built.
 *
 * Time O(L log c) without groups, where L is the number of acceptable pairs
 * and c the largest capacity on the receiving side; with groups
 * O(L log L · depth) in the worst case (depth = nesting of the groups).
 * Memory O(L + n).  With ties: tie breaking adds O(L) time and memory;
 * super-stable O(L + n); strongly stable O(L · (L + n)) in the worst case; Király
 * O(L) (O(L · c) with cloning, c the largest capacity).  Reentrant: no global state; a market may be solved by
 * several threads at once.
 */
TM_API TmMatching *tm_solve(TmMarket *market, const TmGroups *groups,
                            const TmSolveOptions *options, GError **error);

G_END_DECLS

#endif /* TECHMATCH_SOLVE_H */
