/* Brute-force oracle for small markets with ties.
 *
 * Independent of the library's algorithms: it enumerates every
 * capacity-respecting set of mutually acceptable pairs of a tiny market and
 * judges weak, strong and super-stability by its own reading of the
 * definitions in include/techmatch/matching.h (TmStability).  The only
 * library calls are to_build() (the same market as a TmMarket) and
 * to_from_matching() (reading a result's pairs), which translate, never
 * judge.
 *
 * Sides are 0 = supply, 1 = demand, as TmSide.
 */
#ifndef TM_TEST_TIES_ORACLE_H
#define TM_TEST_TIES_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <techmatch/techmatch.h>

#define TO_MAXN 6
#define TO_MAXP (TO_MAXN * TO_MAXN)

/* A set of acceptable pairs: bit i = pair i (ps[i], pd[i]). */
typedef uint64_t ToMask;

typedef struct {
    /* ---- input ---- */
    int n[2];
    int cap[2][TO_MAXN];
    int len[2][TO_MAXN];              /* list lengths */
    int list[2][TO_MAXN][TO_MAXN];    /* list[side][a][k]: k-th entry, best first */
    int lrank[2][TO_MAXN][TO_MAXN];   /* its rank, non-decreasing; equal = tie */
    /* ---- derived by to_prepare() ---- */
    int r[2][TO_MAXN][TO_MAXN];       /* dense rank a gives b among mutual entries, or -1 */
    int n_pairs, ps[TO_MAXP], pd[TO_MAXP];
    int pix[TO_MAXN][TO_MAXN];        /* [s][d] -> pair index or -1 */
} ToMarket;

typedef struct {
    int max_n[2];     /* agents per side: 1 .. max_n */
    int max_cap[2];   /* capacities 1 .. max_cap (now and then 0) */
    double p_list;    /* probability that an agent lists a given other agent */
    double p_tie;     /* probability that an entry ties with the one before it */
} ToParams;

/* Derives r, the pairs and pix from the input.  Returns 0, or -1 for input
 * beyond the limits (a test bug). */
int to_prepare(ToMarket *m);

/* SplitMix64. */
uint64_t to_rng(uint64_t *state);

/* A random prepared instance drawn with @p. */
void to_random(ToMarket *m, uint64_t *rng, const ToParams *p);

/* The same market in the library (raw lists with their ranks); NULL with
 * @error on failure. */
TmMarket *to_build(const ToMarket *m, GError **error);

/* The pairs of @mt as a mask; *ok = 0 when a pair is not mutually
 * acceptable (it is then left out of the mask). */
ToMask to_from_matching(const ToMarket *m, const TmMatching *mt, int *ok);

/* Every capacity-respecting matching, the empty one included (malloc'd
 * array in *out, free with free()); returns the count. */
size_t to_matchings(const ToMarket *m, ToMask **out);

/* 1 when @M has no blocking pair of notion @st. */
int to_is_stable(const ToMarket *m, ToMask M, TmStability st);

/* Blocking pairs of notion @st as a mask over pair indices. */
ToMask to_blocking(const ToMarket *m, ToMask M, TmStability st);

/* Number of pairs in @M. */
int to_size(ToMask M);

/* 1 when @agent's partners in @a are at least as many as in @b and,
 * both sorted best first, the i-th of @a is ranked at least as well as the
 * i-th of @b for every i that @b has. */
int to_weakly_prefers(const ToMarket *m, int side, int agent, ToMask a, ToMask b);

#endif /* TM_TEST_TIES_ORACLE_H */
