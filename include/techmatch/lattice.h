/* techmatch — the lattice of stable matchings: rotations, enumeration and
 * optimal stable matchings.
 *
 * The stable matchings of a market with strict preferences form a
 * distributive lattice, with the supply-optimal matching at the top and the
 * demand-optimal one at the bottom.  Going down from one stable matching to
 * the next means eliminating a *rotation*: a cycle (s_0, d_0), ...,
 * (s_{k-1}, d_{k-1}) of matched pairs in which every s_i leaves d_i for
 * d_{i+1 mod k}, the first agent after d_i on s_i's list who prefers s_i to
 * her partner.  Every stable matching is the supply-optimal one with a
 * *closed* set of rotations eliminated (a set that holds every predecessor
 * of each of its rotations), and every closed set gives one stable matching
 * (Irving & Leather 1986; Gusfield & Irving, "The Stable Marriage Problem",
 * MIT Press 1989, ch. 2-3).  A TmLattice holds the rotations and their
 * precedence; everything else is computed from it.
 *
 * Markets accepted.  Strict lists (no ties: TM_ERROR_UNSUPPORTED otherwise),
 * complete or incomplete, and:
 *   - one-to-one (every capacity 0 or 1);
 *   - many-to-one with capacities above 1 on EITHER side, but on one side
 *     only (the other side's capacities all 0 or 1).  An agent of capacity c
 *     stands for c' = min(c, list length) copies with its list, which the
 *     other side ranks consecutively, best copy first (Gusfield & Irving
 *     1.6.5); stable matchings of the copies and of the market correspond
 *     one to one.
 * Capacities above 1 on both sides (many-to-many) are refused with
 * TM_ERROR_UNSUPPORTED; so are caps and floors over groups (the lattice
 * functions take no TmGroups).
 *
 * Sizes.  Write L' for the number of acceptable pairs of the copies,
 * L' = sum over pairs (s, d) of c'(s)·c'(d) (= L, the market's pairs, when
 * one-to-one; at most L·c for capacities up to c), n' for the agents of the
 * copies, R for the rotations, P for their total size (the pairs they
 * move; P <= L', as a pair is in at most one rotation) and E for the
 * precedence edges (E <= P + L').
 *
 * Rotations as reported.  Rotation pairs are given in the market's ids; with
 * capacities a rotation may name one demand (or supply) agent twice, or move
 * a supply agent from a copy of an agent to another copy of the same agent
 * (the agent's partners then change elsewhere in the rotation).
 *
 * Thread safety: a built lattice is immutable (except its reference count)
 * and may be read by any number of threads; an iterator belongs to one
 * thread at a time.
 */
#ifndef TECHMATCH_LATTICE_H
#define TECHMATCH_LATTICE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>

G_BEGIN_DECLS

typedef struct TmLattice TmLattice;
typedef struct TmStableIter TmStableIter;

/**
 * tm_lattice_new:
 * Computes the rotations of @market and their precedence: the supply- and
 * demand-optimal matchings by deferred acceptance on the copies, then every
 * rotation by one walk from the supply-optimal matching in which each supply
 * copy's place in its list only moves forward (Gusfield & Irving 3.2), then
 * the precedence edges by the two rules of Gusfield & Irving 3.3 ("type 1":
 * the rotation that gives s_i its partner d_i precedes the one that takes
 * it away; "type 2": when s_i passes over d on its way from d_i to d_{i+1},
 * the rotation that moved d from a partner worse than s_i to one better
 * precedes).  The transitive closure of those edges is the rotation poset.
 * Rotations are numbered in the order they were found, which is a
 * topological order (every edge goes from a smaller to a larger number).
 *
 * @market: borrowed; the lattice takes its own reference.
 *
 * Returns: a new lattice (free with tm_lattice_free()), or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL market), TM_ERROR_UNSUPPORTED (ties;
 * capacities above 1 on both sides, counting min(capacity, list length)),
 * TM_ERROR_NO_MEMORY.
 *
 * Time O(L log c + n') for the two matchings (deferred acceptance runs on
 * the market, c the largest capacity), O(L' + n') at worst for the
 * rotations (in practice O(L + n') plus the copies passed over: an entry
 * none of whose copies would take a supply copy costs one test), plus
 * O(N log n') for the type 2 edges, N <= L' being the passed-over pairs that
 * give one (a binary search each); memory O(n' + P + E + N) beside the
 * market, plus L when the supply side has capacities above 1.  The copies'
 * lists are never stored.
 *
 * Measured (bench/RESULTS.md, tm_bench_lattice; ratio to one tm_solve() of
 * the same market, medians on a shared 2-core VM): a many-to-one market of
 * 100,000 agents and 10,000 sites of capacity 10 (50 random sites each):
 * 4.6x; random complete lists, one-to-one, 1,000 per side: 5.0x, 5,000 per
 * side: 11x.  On random complete lists each supply agent passes over about
 * n / ln n others on its way from its best to its worst stable partner, so
 * the walk reads about n² / ln n list entries while deferred acceptance
 * makes about n ln n proposals: the ratio grows like n / ln² n there.
 */
TM_API TmLattice *tm_lattice_new(TmMarket *market, GError **error);

/** Takes another reference and returns @lattice.  NULL-safe. */
TM_API TmLattice *tm_lattice_ref(TmLattice *lattice);

/** Drops a reference; the lattice (and its market reference) is freed with
 * the last one.  NULL-safe. */
TM_API void tm_lattice_free(TmLattice *lattice);

/** The market (borrowed; valid while the lattice lives).  NULL for NULL. */
TM_API TmMarket *tm_lattice_market(const TmLattice *lattice);

/** Number of rotations R (0 when the market has one stable matching; -1 for
 * NULL).  O(1). */
TM_API int32_t tm_lattice_n_rotations(const TmLattice *lattice);

/** Number of pairs in every stable matching (the same in all of them), the
 * buffer size tm_stable_iter_next() needs; -1 for NULL.  O(1). */
TM_API int64_t tm_lattice_n_pairs(const TmLattice *lattice);

/**
 * tm_lattice_rotation:
 * The pairs of rotation @r, (@supply[i], @demand[i]) for i < *@len: supply[i]
 * leaves demand[i] for demand[(i + 1) % len].  Buffers (caller owned, may be
 * NULL to ask only for the length) hold @capacity entries each.  Returns
 * FALSE with TM_ERROR_INVALID_ARGUMENT for a NULL lattice or @len, @r out of
 * range, or buffers too small (the message says the size; *@len is set
 * whenever @r is valid).  Time O(len).
 */
TM_API gboolean tm_lattice_rotation(const TmLattice *lattice, int32_t r, int32_t *supply,
                                    int32_t *demand, int32_t capacity, int32_t *len,
                                    GError **error);

/**
 * tm_lattice_rotation_predecessors:
 * The rotations with an edge into @r (each of them must be eliminated before
 * @r; their transitive closure is all of @r's predecessors), ascending,
 * without repeats, into @out (caller owned, @capacity entries; may be NULL
 * to ask only for the count *@n).  Errors as tm_lattice_rotation().
 * Time O(count).
 */
TM_API gboolean tm_lattice_rotation_predecessors(const TmLattice *lattice, int32_t r,
                                                 int32_t *out, int32_t capacity, int32_t *n,
                                                 GError **error);

/* ---- enumeration --------------------------------------------------------- */

/**
 * tm_lattice_enumerate:
 * An iterator over the stable matchings (at most @limit of them; @limit <= 0
 * for all), by depth-first search over the closed sets of rotations: each
 * rotation in topological order is taken (when all its predecessors are) or
 * left, so every leaf is a different stable matching and nothing exponential
 * is ever stored.  The first matching is the supply-optimal one.  Delay
 * between two matchings O(R + E + n' + P), memory O(R + n').
 *
 * Returns a new iterator holding a reference on @lattice (free with
 * tm_stable_iter_free()), or NULL with TM_ERROR_INVALID_ARGUMENT (NULL
 * lattice) or TM_ERROR_NO_MEMORY.
 */
TM_API TmStableIter *tm_lattice_enumerate(TmLattice *lattice, int64_t limit, GError **error);

/**
 * tm_stable_iter_next:
 * Writes the next stable matching into @supply / @demand (caller owned,
 * @capacity entries each, at least tm_lattice_n_pairs()), in the order of
 * tm_matching_get_pairs() (by supply id, then the supply agent's
 * preference), and returns TRUE.  Returns FALSE with @error unset when there
 * is none left (or @limit were given); FALSE with TM_ERROR_INVALID_ARGUMENT
 * for a NULL iterator or buffers too small (the iterator does not move
 * then).  Time: the delay of tm_lattice_enumerate().
 */
TM_API gboolean tm_stable_iter_next(TmStableIter *iter, int32_t *supply, int32_t *demand,
                                    int64_t capacity, GError **error);

/** Stable matchings returned so far by @iter (0 for NULL).  O(1). */
TM_API int64_t tm_stable_iter_count(const TmStableIter *iter);

/** Frees an iterator and drops its lattice reference.  NULL-safe. */
TM_API void tm_stable_iter_free(TmStableIter *iter);

/**
 * tm_lattice_count:
 * Counts the stable matchings, stopping at @limit (<= 0: no limit).
 * *@complete (may be NULL) is TRUE when the count is the whole number.
 * Returns the count, or -1 for a NULL lattice or when out of memory.
 * Time O(count · (R + E)), memory O(R).
 */
TM_API int64_t tm_lattice_count(const TmLattice *lattice, int64_t limit, gboolean *complete);

/* ---- optimal stable matchings ------------------------------------------- */

/**
 * tm_lattice_egalitarian:
 * A stable matching of least total rank over both sides: the sum, over its
 * pairs (s, d), of the rank s gives d plus the rank d gives s (0-based; an
 * agent with capacity c counts each of its partners).  Found as a maximum
 * weight closed set of rotations (Irving, Leather & Gusfield 1987) by a
 * minimum s-t cut, computed with the library's own Dinic max-flow (Debian
 * has no maintained C min-cut library under an MIT-compatible licence;
 * igraph's is GPL).  Stores the total in *@value (may be NULL).
 *
 * Returns a new matching (tm_matching_free()) or NULL with @error
 * (TM_ERROR_INVALID_ARGUMENT for NULL, TM_ERROR_NO_MEMORY).
 * Time O(n' + P + R + E) plus the flow on R + 2 nodes and R + E arcs,
 * O(R² (R + E)) in the worst case (Dinic).  Before the flow, the rotations of
 * positive gain whose predecessors are all taken are taken and those of
 * non-positive gain whose successors are all left are left; the flow runs
 * on the rest.  Measured (bench/RESULTS.md): with the egalitarian gains
 * this leaves 0 to 77 of 142 to 581 rotations on the benchmark's markets,
 * and the egalitarian matching costs 0.2-0.4x one tm_solve() of the market.
 */
TM_API TmMatching *tm_lattice_egalitarian(TmLattice *lattice, int64_t *value, GError **error);

/**
 * tm_lattice_max_weight:
 * A stable matching of greatest total weight, @weights[e] being the weight
 * of the pair at entry e of the supply side's reduced lists (the order of
 * tm_market_get_lists(market, TM_SIDE_SUPPLY, ...): agent by agent, best
 * first); @n_weights must be L = tm_market_n_pairs().  Weights may be any
 * finite values, negative too; a pair held by a supply agent counts once.
 * Same method and bounds as tm_lattice_egalitarian().  The total is stored
 * in *@value (may be NULL).
 *
 * Returns a new matching or NULL with TM_ERROR_INVALID_ARGUMENT (NULL, wrong
 * @n_weights, a NaN or infinite weight — the message names the entry),
 * TM_ERROR_NO_MEMORY.
 */
TM_API TmMatching *tm_lattice_max_weight(TmLattice *lattice, const double *weights,
                                         int64_t n_weights, double *value, GError **error);

/**
 * tm_lattice_min_regret:
 * A stable matching whose worst rank (the largest rank any agent of either
 * side gives one of its partners) is least (Gusfield 1987): from the
 * supply-optimal matching, while the worst rank is given only by demand
 * agents, eliminate the rotations that move them (with their predecessors);
 * the best matching seen is optimal.  Stores the worst rank in *@value (-1
 * when nobody is matched; may be NULL).  Returns a new matching or NULL with
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.  Time O(n' + P + E + R log R).
 */
TM_API TmMatching *tm_lattice_min_regret(TmLattice *lattice, int32_t *value, GError **error);

/**
 * tm_lattice_balanced:
 * A heuristic for the balanced ("sex-equal") stable matching, which
 * minimises |total supply rank - total demand rank| (NP-hard: Kato 1993):
 * from the supply-optimal matching, repeatedly eliminate the exposed
 * rotation (all predecessors eliminated) that leaves the smallest gap,
 * down to the demand-optimal matching; return the matching with the
 * smallest gap on that path (ties: the first).  Not always optimal.  Stores
 * the gap in *@value (may be NULL).  Returns a new matching or NULL with
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.
 * Time O(n' + P + R² + E).
 */
TM_API TmMatching *tm_lattice_balanced(TmLattice *lattice, int64_t *value, GError **error);

G_END_DECLS

#endif /* TECHMATCH_LATTICE_H */
