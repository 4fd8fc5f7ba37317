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
 * tm_solve:
 * Deferred acceptance on @market with the proposing side of @options.
 *
 * Without @groups the result is the proposing side's optimal (pairwise)
 * stable matching: every agent of that side weakly prefers it to every other
 * stable matching.  With @groups (sized for @market) the supply side must
 * propose; the result respects every capacity, cap and floor reservation and
 * is stable with respect to them, as groups.h states precisely.
 *
 * @market: borrowed; the matching takes its own reference.
 * @groups: borrowed, may be NULL; only read during the call.
 * @options: may be NULL for the defaults; only read during the call.
 *
 * Returns: a new matching (free with tm_matching_free()) or NULL with
 * @error: TM_ERROR_INVALID_ARGUMENT (NULL market, groups sized for another
 * market, groups that are not laminar — see tm_groups_validate()),
 * TM_ERROR_INFEASIBLE (floors of sub-groups above a cap),
 * TM_ERROR_UNSUPPORTED (a market with ties — tm_market_has_ties(); groups
 * with the demand side proposing), TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED.  Nothing is returned half-built.
 *
 * Time O(L log c) without groups, where L is the number of acceptable pairs
 * and c the largest capacity on the receiving side; with groups
 * O(L log L · depth) in the worst case (depth = nesting of the groups).
 * Memory O(L + n).  Reentrant: no global state; a market may be solved by
 * several threads at once.
 */
TM_API TmMatching *tm_solve(TmMarket *market, const TmGroups *groups,
                            const TmSolveOptions *options, GError **error);

G_END_DECLS

#endif /* TECHMATCH_SOLVE_H */
