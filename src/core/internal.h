/* techmatch — private definitions shared by the core (not installed). */
#ifndef TECHMATCH_CORE_INTERNAL_H
#define TECHMATCH_CORE_INTERNAL_H

#include <stdint.h>
#include <glib.h>
/* the core sees only core headers: it knows nothing of the domain layer */
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/cancel.h>
#include <techmatch/solve.h>
#include <techmatch/groups.h>

/* One side of a market in CSR form.  Entry e of agent a (off[a] <= e <
 * off[a+1]) names partner ids[e]; its rank for a is e - off[a]; rrank[e] is
 * the rank that ids[e] gives a back. */
typedef struct {
    int32_t n;
    int32_t *cap;    /* n */
    int32_t *off;    /* n + 1 */
    int32_t *ids;    /* L */
    int32_t *rrank;  /* L */
    int64_t dropped;
} TmSideData;

struct TmMarket {
    gint refcount;
    int64_t n_pairs;       /* L */
    TmSideData side[2];
};

/* A matching: for each side, partners in CSR form, each list best first by
 * the owner's preference (unacceptable partners last, by id).  prank holds
 * the owner's rank of each partner, or -1 when unacceptable. */
typedef struct {
    int32_t *off;    /* n + 1 */
    int32_t *ids;    /* n_pairs */
    int32_t *prank;  /* n_pairs */
} TmMatchSide;

struct TmMatching {
    TmMarket *market;
    int64_t n_pairs;
    int64_t proposals;
    TmMatchSide side[2];
};

/* An audit result. */
struct TmVerdict {
    int64_t n_blocking;
    int32_t *bs, *bd;      /* blocking pairs */
    GArray *violations;    /* TmViolation */
};

/* Allocation of sizes derived from input: never aborts.  Returns NULL and
 * sets TM_ERROR_NO_MEMORY (naming @what) when the allocation fails or the
 * byte size overflows. */
G_GNUC_INTERNAL void *tm_i_try_alloc(int64_t count, size_t elem, gboolean zero,
                                     const char *what, GError **error);

G_GNUC_INTERNAL gboolean tm_i_side_ok(TmSide side);

/* What a long operation watches: progress callback and cancel handle. */
typedef struct {
    TmProgressFunc progress;
    gpointer progress_data;
    TmCancel *cancel;
} TmControl;

G_GNUC_INTERNAL void tm_i_control_from_options(TmControl *ctl, const TmSolveOptions *options);

/* The solvers behind tm_solve(); @ctl is never NULL. */
G_GNUC_INTERNAL TmMatching *tm_i_solve_plain(TmMarket *market, TmSide proposing,
                                             const TmControl *ctl, GError **error);
G_GNUC_INTERNAL TmMatching *tm_i_solve_groups(TmMarket *market, const TmGroups *groups,
                                              const TmControl *ctl, GError **error);

/* Builds a matching from pairs whose ids are in range.  When the rank arrays
 * are given (solvers know them) they are trusted; when NULL, ranks are looked
 * up in the market (-1 for unacceptable pairs).  Copies; owns nothing. */
G_GNUC_INTERNAL TmMatching *tm_i_matching_build(TmMarket *market, const int32_t *supply,
                                                const int32_t *demand,
                                                const int32_t *supply_rank,
                                                const int32_t *demand_rank, int64_t n_pairs,
                                                int64_t proposals, GError **error);

#endif /* TECHMATCH_CORE_INTERNAL_H */
