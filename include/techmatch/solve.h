/* techmatch — solvers.
 *
 * Deferred acceptance (Gale & Shapley 1962; Roth 1984 for many-to-many with
 * responsive preferences): the proposing side's optimal stable matching.
 */
#ifndef TECHMATCH_SOLVE_H
#define TECHMATCH_SOLVE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>

G_BEGIN_DECLS

/**
 * TmProgressFunc:
 * Called now and then during a long operation with the fraction done in
 * [0, 1] (an estimate) and the caller's @user_data.  It runs on the calling
 * thread and must not call back into the same market's solver.
 */
typedef void (*TmProgressFunc)(double fraction, gpointer user_data);

/** Options for a solve; initialise with tm_solve_options_init(). */
typedef struct {
    TmProgressFunc progress;   /**< optional progress callback, NULL for none */
    gpointer progress_data;    /**< passed to @progress */
    const volatile gint *cancel; /**< optional flag; when another thread sets it
                                   non-zero the solve stops with TM_ERROR_CANCELLED */
} TmSolveOptions;

/** Fills @options with defaults (no progress, no cancel flag). */
TM_API void tm_solve_options_init(TmSolveOptions *options);

/**
 * tm_solve_deferred_acceptance:
 * Runs deferred acceptance with @proposing proposing.  The result is the
 * @proposing side's optimal (pairwise) stable matching: every agent on that
 * side weakly prefers it to every other stable matching.
 *
 * @market: borrowed; the matching takes its own reference.
 * @options: may be NULL for defaults.
 *
 * Returns: a new matching (free with tm_matching_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED.
 *
 * Time O(L log c) where L is the number of acceptable pairs and c the largest
 * capacity on the receiving side; memory O(L + n).  Reentrant.
 */
TM_API TmMatching *tm_solve_deferred_acceptance(TmMarket *market, TmSide proposing,
                                                const TmSolveOptions *options,
                                                GError **error);

G_END_DECLS

#endif /* TECHMATCH_SOLVE_H */
