/* Brute-force stable-matching oracle for small markets.
 *
 * Independent of the library: it shares no code or data structure with
 * src/core.  It works on tiny markets only (at most OR_MAXN agents a side),
 * enumerates every capacity-respecting set of acceptable pairs that has no
 * blocking pair, and derives from that set the side-optimal stable matchings
 * by direct comparison.  It also audits arbitrary hand-made pair sets (with
 * unacceptable pairs and over-capacity agents) following the semantics
 * written in include/techmatch/matching.h.
 *
 * Sides are 0 = supply, 1 = demand (the same numbering as TmSide).
 */
#ifndef TM_TEST_ORACLE_H
#define TM_TEST_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#define OR_MAXN 8
#define OR_MAXP (OR_MAXN * OR_MAXN)

typedef struct {
    /* ---- input, filled by the caller ---- */
    int n[2];                          /* agents on each side */
    int cap[2][OR_MAXN];               /* capacities (>= 0) */
    int len[2][OR_MAXN];               /* raw list lengths */
    int list[2][OR_MAXN][OR_MAXN];     /* raw lists (may hold one-sided entries) */

    /* ---- derived by or_market_prepare() ---- */
    int rank[2][OR_MAXN][OR_MAXN];     /* rank[side][a][b]: 0-based rank in the
                                          reduced list, -1 when not acceptable */
    int rlen[2][OR_MAXN];              /* reduced list lengths */
    int rlist[2][OR_MAXN][OR_MAXN];    /* reduced lists */
    long dropped[2];                   /* one-sided entries per side */
    int n_pairs;                       /* acceptable pairs */
    int pair_s[OR_MAXP], pair_d[OR_MAXP]; /* acceptable pairs ordered by supply id,
                                             then supply's rank */
    int pair_index[OR_MAXN][OR_MAXN];  /* [s][d] -> index into pair_*, or -1 */
} OrMarket;

/* Computes the derived fields.  Returns 0, or -1 if the input is malformed
 * (sizes beyond OR_MAXN, ids out of range, duplicates) -- callers never
 * feed malformed input, so -1 is a test bug. */
int or_market_prepare(OrMarket *m);

/* A matching made of acceptable pairs is a bit mask over pair indices. */
typedef uint64_t OrMask;

/* Partners of @agent on @side in @mask, as reduced ranks sorted ascending.
 * Returns the count. */
int or_partner_ranks(const OrMarket *m, int side, int agent, OrMask mask, int *ranks);

/* Enumerates every stable matching (capacity-respecting sets of acceptable
 * pairs with no blocking pair).  *out is malloc'd (free with free()); returns
 * the number of matchings.  *nodes (may be NULL) receives the number of
 * search nodes visited, for keeping the test fast. */
size_t or_stable_matchings(const OrMarket *m, OrMask **out, uint64_t *nodes);

/* TRUE (1) when @agent on @side weakly prefers its partners in @a to its
 * partners in @b in the strong (pointwise) sense: at least as many partners
 * and, partners sorted best first, the i-th of @a is at least as good as the
 * i-th of @b for every i that @b has. */
int or_weakly_prefers(const OrMarket *m, int side, int agent, OrMask a, OrMask b);

/* Finds the stable matching that every agent of @side weakly prefers
 * (pointwise) to every stable matching in @set.  Returns 1 and stores it in
 * *best, or 0 if no such matching exists (which would refute the theory). */
int or_side_optimal(const OrMarket *m, int side, const OrMask *set, size_t n, OrMask *best);

/* Number of deferred-acceptance proposals when @side proposes and the
 * result is @mask (order independent): for each proposer with capacity c > 0,
 * rank of its worst partner + 1 if it holds c partners, else the length of
 * its reduced list. */
long or_da_proposals(const OrMarket *m, int side, OrMask mask);

/* ---- audit of arbitrary pair sets ---------------------------------------- */

/* Blocking pairs of the matching made of the @np pairs (ps[i], pd[i]) (no
 * duplicates; pairs may be unacceptable; agents may be over capacity), by
 * the rule of matching.h.  Written to bs/bd (room for OR_MAXP), ordered by
 * supply id then supply's rank.  Returns the count. */
int or_blocking_pairs(const OrMarket *m, const int *ps, const int *pd, int np,
                      int *bs, int *bd);

typedef struct {
    int kind;      /* 1 over capacity, 2 unacceptable (TmViolationKind values) */
    int side, agent, count, capacity;   /* over capacity; else -1 */
    int supply, demand;                 /* unacceptable; else -1 */
} OrViolation;

/* Violations: over-capacity agents (supply side first, by id), then
 * unacceptable pairs in input order.  Room for 2*OR_MAXN + OR_MAXP.  Returns
 * the count. */
int or_violations(const OrMarket *m, const int *ps, const int *pd, int np, OrViolation *out);

/* Converts a mask to pair arrays (ordered by pair index); returns count. */
int or_mask_to_pairs(const OrMarket *m, OrMask mask, int *ps, int *pd);

#endif /* TM_TEST_ORACLE_H */
