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
 * off[a+1]) names partner b = ids[e].  Its *position* in a's list is
 * e - off[a] (positions never repeat); rpos[e] is a's position in b's list,
 * so b's entry for a is other->off[b] + rpos[e].
 * Ranks may repeat (ties).  rank[e] is the rank a gives b, rrank[e] the rank
 * b gives a.  A side without ties stores no rank array (rank == NULL: rank =
 * position); rrank is NULL when the other side has no ties (rrank = rpos).
 * Use tm_i_rank() / tm_i_rrank(). */
typedef struct {
    int32_t n;
    int32_t *cap;    /* n */
    int32_t *off;    /* n + 1 */
    int32_t *ids;    /* L */
    int32_t *rpos;   /* L */
    int32_t *rank;   /* L, or NULL when this side has no tie */
    int32_t *rrank;  /* L, or NULL when the other side has no tie */
    int64_t dropped;
} TmSideData;

static inline int32_t tm_i_rank(const TmSideData *sd, int32_t agent, int64_t e)
{
    return sd->rank ? sd->rank[e] : (int32_t)(e - sd->off[agent]);
}

static inline int32_t tm_i_rrank(const TmSideData *sd, int64_t e)
{
    return sd->rrank ? sd->rrank[e] : sd->rpos[e];
}

struct TmMarket {
    gint refcount;
    int64_t n_pairs;       /* L */
    TmSideData side[2];
};

/* TRUE when either side has a tie. */
static inline gboolean tm_i_market_has_ties(const TmMarket *m)
{
    return m->side[0].rank != NULL || m->side[1].rank != NULL;
}

G_GNUC_INTERNAL void tm_i_side_data_clear(TmSideData *sd);

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

/* A growable array whose growth never aborts (the allocation policy of
 * error.h): elements of @elem bytes, @n used of @cap. */
typedef struct {
    void *v;
    int64_t n, cap;
    size_t elem;
} TmIBuf;

#define TM_I_BUF_INIT(type) { NULL, 0, 0, sizeof(type) }

/* Appends the element at @x; FALSE with TM_ERROR_NO_MEMORY naming @what. */
G_GNUC_INTERNAL gboolean tm_i_buf_push(TmIBuf *b, const void *x, const char *what,
                                       GError **error);
#define tm_i_buf_at(b, type, i) (((type *)(b)->v)[i])

/* An audit result. */
struct TmVerdict {
    int64_t n_blocking;
    int32_t *bs, *bd;      /* blocking pairs */
    TmIBuf violations;     /* TmViolation */
};

/* Appends a blocking pair to the verdict's two growing arrays (@cap: their
 * capacities, zero at first).  FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_verdict_add_blocking(TmVerdict *v, int64_t cap[2], int32_t s,
                                                   int32_t d, GError **error);

/* Allocation of sizes derived from input: tm_i_try_alloc() (util layer). */
#include "util/alloc.h"
#include "util/vec.h"

G_GNUC_INTERNAL gboolean tm_i_side_ok(TmSide side);

/* What a long operation watches: progress callback and cancel handle. */
#include "core/control.h"

/* The control settings of @options (a zero control for NULL); borrowed. */
G_GNUC_INTERNAL const TmControl *tm_i_solve_options_control(const TmSolveOptions *options);



/* Builds a matching from pairs whose ids are in range.  When the rank arrays
 * are given (solvers know them) they are trusted; when NULL, ranks are looked
 * up in the market (-1 for unacceptable pairs).  Copies; owns nothing. */
G_GNUC_INTERNAL TmMatching *tm_i_matching_build(TmMarket *market, const int32_t *supply,
                                                const int32_t *demand,
                                                const int32_t *supply_rank,
                                                const int32_t *demand_rank, int64_t n_pairs,
                                                int64_t proposals, GError **error);

#endif /* TECHMATCH_CORE_INTERNAL_H */
