/* techmatch — market construction: validation, mutual-acceptability
 * reduction, the reverse positions beside each CSR entry, and ranks for
 * markets with ties.
 *
 * Build without hashing or dense matrices (DESIGN §4), in O(L_raw + n) time
 * and memory.  The work is a join: each entry (a, b) of one side's lists must
 * meet the entry (b, a) of the other side's, if any.  Done naively (scatter
 * every entry to its partner's list) that is one cache miss per entry and per
 * array written; at L = 5e7 those misses were most of the build time.  Here
 * every pass over the entries either streams or works inside a small window:
 *   1. validate both sides (ranges, duplicates, capacities, offsets); the
 *      pass over side A's lists also counts the entries naming each B agent.
 *      B is the side with fewer agents (demand on ties).
 *   2. cut B's agents into groups of 2^shift consecutive agents, about
 *      TM_GROUP_ENTRIES entries per group (a group's scratch fits in L2),
 *      and partition A's entries by group, keeping A's order in each group;
 *   3. group by group: counting-sort the entries by B agent (for each b, the
 *      A agents that list it, increasing), keep in b's list only those
 *      agents, and note for each entry its position in the reduced B lists;
 *   4. walk A's lists in order, reading each entry's position back through
 *      one cursor per group: the reduced A lists and their reverse ranks;
 *   5. group by group: the reduced B lists' reverse ranks.
 * Besides the caller's arrays and O(n) scratch, the build holds the market's
 * four arrays (two of them sized L_A and min(L_A, L_B) until the end) and one
 * scratch array of L_A entries.
 *
 * Workers.  A side with at least TM_MARKET_BUILD_PARALLEL_MIN entries is
 * validated by TM_MARKET_BUILD_WORKERS workers (util/threadpool.h), each a
 * range of agents holding about as many entries; when that side is A, steps
 * 2-5 use the same workers:
 *   1. worker w checks its agents with its own duplicate stamps and counts
 *      into its own array; the error reported is the one of the lowest
 *      worker that found one: the first agent's, as one pass would report;
 *   2. and 4. worker w walks its A agents with its own group cursors, which
 *      start in each group after the entries of the workers below it: each
 *      group holds worker 0's entries, then worker 1's..., so A's order;
 *   3. and 5. worker w takes a range of whole groups (about equal in A plus B
 *      entries).  The reduced B positions of a range are not known before
 *      the ranges below it are done, so each range numbers its positions
 *      from an upper bound of that number (its first entry in group order;
 *      for the ids also the first B entry of its range): the same bounds
 *      that keep step 5 in place hold per range.  The ranges are moved down
 *      into place after step 3 (ids) and step 5 (reverse ranks), and their B
 *      offsets lowered after step 4, which reads them relative to its
 *      positions.  Step 3 also counts each range's kept entries by A worker,
 *      so step 4's workers know where their reduced lists start (an owned A
 *      array reduced in place is written at its own offsets, then moved).
 * Each worker is the first to write most of the pages of the arrays it fills
 * (they are allocated unzeroed), so the page faults are spread as well.  The
 * arrays equal the one-worker build's entry for entry; so do the errors.
 * Smaller sides take the one-worker path: no thread, no extra pass.
 */
#include "core/market_private.h"

#include <stdio.h>
#include <string.h>

#include "util/threadpool.h"

/* Average number of A entries per group of B agents (see reduce()). */
#define TM_GROUP_ENTRIES 32768
/* How far ahead (entries) the group cursors prefetch. */
#define TM_PREFETCH 16
#if defined(__GNUC__) || defined(__clang__)
#define TM_PREFETCH_R(p) __builtin_prefetch((p), 0)
#define TM_PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define TM_PREFETCH_R(p) ((void)0)
#define TM_PREFETCH_W(p) ((void)0)
#endif

/* Workers of a large build (1: the calling thread only), at most the
 * number of processors. */
#ifndef TM_MARKET_BUILD_WORKERS
#define TM_MARKET_BUILD_WORKERS 2
#endif
/* Entries of a side from which its validation (and the reduction, for side
 * A) uses the workers. */
#ifndef TM_MARKET_BUILD_PARALLEL_MIN
#define TM_MARKET_BUILD_PARALLEL_MIN 524288
#endif
/* The most workers tm_i_market_set_build_workers() forces. */
#define TM_BUILD_MAX_T 8

static gint forced_workers; /* 0: by size */

/* -DTM_MARKET_BUILD_TRACE: each phase's wall time on stderr (benchmarks of
 * one build at a time only; not thread-safe). */
#ifdef TM_MARKET_BUILD_TRACE
static gint64 trace_t0;
/* a worker's own time in a phase, printed by the next trace() */
static gint64 trace_w[TM_BUILD_MAX_T];

static void trace(const char *phase)
{
    gint64 t = g_get_monotonic_time();
    if (phase)
        fprintf(stderr, "market build: %-28s %8.1f ms", phase, (double)(t - trace_t0) / 1e3);
    for (int w = 0; phase && w < TM_BUILD_MAX_T && trace_w[w]; w++)
        fprintf(stderr, "%s%.1f", w ? " " : "  (workers ", (double)trace_w[w] / 1e3);
    if (phase)
        fprintf(stderr, "%s\n", trace_w[0] ? ")" : "");
    memset(trace_w, 0, sizeof trace_w);
    trace_t0 = t;
}
#define TRACE_W0() gint64 trace_w0_ = g_get_monotonic_time()
#define TRACE_W1(w) (trace_w[(w)] = g_get_monotonic_time() - trace_w0_)
#else
#define trace(phase) ((void)0)
#define TRACE_W0() ((void)0)
#define TRACE_W1(w) ((void)0)
#endif

void tm_i_market_set_build_workers(int n_workers)
{
    g_atomic_int_set(&forced_workers, CLAMP(n_workers, 0, TM_BUILD_MAX_T));
}

/* Workers for a side of @entries entries. */
static int build_workers(int64_t entries)
{
    int forced = g_atomic_int_get(&forced_workers);
    if (forced > 0)
        return forced;
    if (entries < TM_MARKET_BUILD_PARALLEL_MIN)
        return 1;
    int t = MIN(CLAMP(TM_MARKET_BUILD_WORKERS, 1, TM_BUILD_MAX_T), (int)g_get_num_processors());
    return MAX(t, 1);
}

/* cut[0..T]: T ranges of agents [cut[w], cut[w + 1]) holding about
 * off[n] / T entries each (@off validated: non-decreasing). */
static void split_agents(const int32_t *off, int32_t n, int T, int32_t *cut)
{
    cut[0] = 0;
    for (int w = 1; w < T; w++) {
        const int64_t target = (int64_t)off[n] * w / T;
        int32_t lo = cut[w - 1], hi = n; /* the first agent with off[a] >= target */
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            if (off[mid] < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        cut[w] = lo;
    }
    cut[T] = n;
}

/* The offsets of one side (and that its ids are given when it has entries). */
static gboolean check_offsets(TmSide side, int32_t n, const int32_t *off, const int32_t *prefs,
                              GError **error)
{
    const char *name = tm_i_side_name(side);
    if (off == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s offsets must not be NULL", name);
        return FALSE;
    }
    if (off[0] != 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s offsets must start at 0 (got %" G_GINT32_FORMAT ")", name, off[0]);
        return FALSE;
    }
    for (int32_t a = 0; a < n; a++) {
        if (off[a + 1] < off[a]) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "%s offsets decrease at agent %" G_GINT32_FORMAT
                        " (%" G_GINT32_FORMAT " then %" G_GINT32_FORMAT ")",
                        name, a, off[a], off[a + 1]);
            return FALSE;
        }
    }
    if (off[n] > 0 && prefs == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s preference array must not be NULL (%" G_GINT32_FORMAT " entries)",
                    name, off[n]);
        return FALSE;
    }
    return TRUE;
}

/* Agents [a0, a1): capacities, ids in range, no duplicate; @stamp (n_other,
 * all < a0 on entry) marks the ids of the current list; @count (or NULL):
 * count[b + 1] += the entries naming b. */
static gboolean check_lists(TmSide side, int32_t a0, int32_t a1, int32_t n_other,
                            const int32_t *cap, const int32_t *off, const int32_t *prefs,
                            int32_t *stamp, int32_t *count, GError **error)
{
    const char *name = tm_i_side_name(side);
    for (int32_t a = a0; a < a1; a++) {
        if (cap != NULL && cap[a] < 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                        "%s agent %" G_GINT32_FORMAT ": capacity %" G_GINT32_FORMAT
                        " is negative", name, a, cap[a]);
            return FALSE;
        }
        for (int32_t e = off[a]; e < off[a + 1]; e++) {
            int32_t b = prefs[e];
            if (b < 0 || b >= n_other) {
                g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " names %s agent %" G_GINT32_FORMAT ", outside [0, %" G_GINT32_FORMAT ")",
                            name, a, e - off[a], tm_i_side_name(TM_SIDE_OTHER(side)), b, n_other);
                return FALSE;
            }
            if (stamp[b] == a) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " names %s agent %" G_GINT32_FORMAT " a second time",
                            name, a, e - off[a], tm_i_side_name(TM_SIDE_OTHER(side)), b);
                return FALSE;
            }
            stamp[b] = a;
            if (count)
                count[b + 1]++;
        }
    }
    return TRUE;
}

/* How a side's agents are shared among workers: T ranges cut[w]..cut[w+1],
 * and when the side is A, the entries each range has naming each B agent
 * (count[w]: n_B + 1 entries, count[w][b + 1]; count[0] is the caller's
 * toff, the others owned). */
typedef struct {
    int T;
    int32_t cut[TM_BUILD_MAX_T + 1];
    int32_t *count[TM_BUILD_MAX_T];
} Split;

static void split_clear(Split *sp)
{
    for (int w = 1; w < TM_BUILD_MAX_T; w++)
        g_clear_pointer(&sp->count[w], g_free);
}

typedef struct {
    TmSide side;
    int32_t n_other;
    const int32_t *cap, *off, *prefs;
    const Split *sp;
    int32_t *stamp[TM_BUILD_MAX_T];
    GError *err[TM_BUILD_MAX_T];
} CheckJob;

static void check_worker(gpointer data, int w)
{
    TRACE_W0();
    CheckJob *j = data;
    memset(j->stamp[w], 0xff, (size_t)j->n_other * sizeof(int32_t));
    (void)check_lists(j->side, j->sp->cut[w], j->sp->cut[w + 1], j->n_other, j->cap, j->off,
                      j->prefs, j->stamp[w], j->sp->count[w], &j->err[w]);
    TRACE_W1(w);
}

/* Validates one side and fills @sp (its workers and their agents).  With
 * @toff (n_other + 1 zeros), also counts the entries naming each agent of
 * the other side: into toff for worker 0, into sp->count[w] for the others. */
static gboolean validate_side(TmSide side, int32_t n, int32_t n_other, const int32_t *cap,
                              const int32_t *off, const int32_t *prefs, int32_t *toff,
                              Split *sp, GError **error)
{
    if (!check_offsets(side, n, off, prefs, error))
        return FALSE;
    sp->T = build_workers(off[n]);
    split_agents(off, n, sp->T, sp->cut);
    CheckJob j = {side, n_other, cap, off, prefs, sp, {NULL}, {NULL}};
    gboolean ok = TRUE;
    sp->count[0] = toff;
    for (int w = 0; w < sp->T && ok; w++) {
        if (!(j.stamp[w] = tm_i_try_alloc(n_other, sizeof(int32_t), FALSE,
                                          "market build scratch", error)) ||
            (toff && w > 0 &&
             !(sp->count[w] = tm_i_try_alloc((int64_t)n_other + 1, sizeof(int32_t), TRUE,
                                             "market build offsets", error))))
            ok = FALSE;
    }
    if (ok) {
        tm_i_run_workers(sp->T, check_worker, &j);
        /* the lowest range's error is the one the serial pass reports */
        GError *first = NULL;
        for (int w = 0; w < sp->T; w++) {
            if (j.err[w] != NULL && first == NULL)
                first = j.err[w];
            else if (j.err[w] != NULL)
                g_error_free(j.err[w]);
        }
        if (first != NULL) {
            g_propagate_error(error, first);
            ok = FALSE;
        }
    }
    for (int w = 0; w < sp->T; w++)
        g_free(j.stamp[w]);
    return ok;
}

/* Gives back the unused tail of an array that held @had entries and now
 * holds @len.  Keeps the array when realloc fails. */
static void shrink(int32_t **p, int64_t had, int64_t len)
{
    if (len < had) {
        int32_t *q = g_try_realloc(*p, (gsize)MAX(len, 1) * sizeof(int32_t));
        if (q)
            *p = q;
    }
}

typedef struct {
    int32_t n;
    const int32_t *off, *prefs;
    /* When the build owns the prefs array (tm_market_new_take_arrays(), a
     * side without ranks): the caller's pointer to it, which reduce() sets to
     * NULL once it has freed the array or made it the market's own; else NULL. */
    int32_t **take;
} RawSide;

/* The state of reduce() that its workers share.  Worker w of steps 2 and 4
 * owns A's agents acut[w]..acut[w+1] and, in each group g, the entries
 * [start[w][g], start[w + 1][g]) (start[T][g] = goff[g + 1]); worker w of
 * steps 3 and 5 owns the groups gcut[w]..gcut[w+1] (B agents
 * bcut[w]..bcut[w+1]).  Per-worker arrays: mark (n_A), tloc (the largest
 * group), cursor (the groups). */
typedef struct {
    int T, shift;
    int32_t na, nb, ng, la;
    const int32_t *aoff, *aprefs, *boff, *bprefs, *toff, *goff;
    int32_t *start; /* T x (ng + 1): start[w * (ng + 1) + g] */
    int32_t acut[TM_BUILD_MAX_T + 1], gcut[TM_BUILD_MAX_T + 1], bcut[TM_BUILD_MAX_T + 1];
    int32_t *mark[TM_BUILD_MAX_T], *tloc[TM_BUILD_MAX_T], *cursor[TM_BUILD_MAX_T];
    int32_t *X, *Y;
    TmSideData *SA, *SB;
    int32_t *aids; /* SA->ids, or A's own array being reduced in place */
    gboolean adopted;
    /* step 3, per group range w: where its B positions are numbered from
     * (goff[gcut[w]]) and where its ids are written (idb[w] <= that); the
     * entries it kept, in all and by the A worker owning them */
    int32_t idb[TM_BUILD_MAX_T], kept[TM_BUILD_MAX_T];
    int32_t kept_by_a[TM_BUILD_MAX_T][TM_BUILD_MAX_T];
    /* after step 3: final first B position of group range w; first reduced
     * A entry of A worker w and its count */
    int32_t bpre[TM_BUILD_MAX_T], apre[TM_BUILD_MAX_T + 1];
} Build;

/* 2. partition A's entries by group: X = A agent, Y = B agent */
static void step_partition(gpointer data, int w)
{
    TRACE_W0();
    Build *c = data;
    const int32_t shift = c->shift, la = c->la;
    const int32_t *aoff = c->aoff, *aprefs = c->aprefs;
    int32_t *X = c->X, *Y = c->Y, *cur = c->cursor[w];
    memcpy(cur, c->start + (int64_t)w * (c->ng + 1), (size_t)c->ng * sizeof(int32_t));
    for (int32_t a = c->acut[w]; a < c->acut[w + 1]; a++) {
        for (int32_t e = aoff[a]; e < aoff[a + 1]; e++) {
            int32_t b = aprefs[e];
            int32_t t = cur[b >> shift]++;
            TM_PREFETCH_W(X + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            TM_PREFETCH_W(Y + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            X[t] = a;
            Y[t] = b;
        }
    }
    TRACE_W1(w);
}

/* 3. per group: transpose into tloc, reduce the B lists (positions numbered
 * from goff[gcut[w]], ids written from idb[w]) */
static void step_reduce_b(gpointer data, int w)
{
    TRACE_W0();
    Build *c = data;
    const int32_t shift = c->shift, nb = c->nb, T = c->T;
    const int32_t *toff = c->toff, *goff = c->goff, *boff = c->boff, *bprefs = c->bprefs;
    const int32_t *acut = c->acut;
    int32_t *X = c->X, *Y = c->Y, *mark = c->mark[w], *tloc = c->tloc[w];
    int32_t *boffs = c->SB->off, *bids = c->SB->ids;
    int32_t kept_by_a[TM_BUILD_MAX_T] = {0};
    for (int32_t a = 0; a < c->na; a++)
        mark[a] = -1;
    const int32_t k0 = goff[c->gcut[w]];
    const int32_t d = k0 - c->idb[w]; /* entry at position k: ids[k - d] */
    int32_t k = k0;
    for (int32_t g = c->gcut[w]; g < c->gcut[w + 1]; g++) {
        const int32_t g0 = goff[g], g1 = goff[g + 1];
        const int32_t b0 = (int32_t)((int64_t)g << shift);
        const int32_t b1 = (int32_t)MIN((int64_t)(g + 1) << shift, nb);
        int32_t *cur = boffs; /* SB->off[b0..b1) are the transpose's cursors */
        for (int32_t b = b0; b < b1; b++)
            cur[b] = toff[b] - g0;
        for (int32_t t = g0; t < g1; t++) {
            int32_t j = cur[Y[t]]++;
            tloc[j] = X[t];
            Y[t] = j;
        }
        for (int32_t b = b0; b < b1; b++) {
            const int32_t j0 = toff[b] - g0, j1 = toff[b + 1] - g0;
            for (int32_t j = j0; j < j1; j++) {
                mark[tloc[j]] = g0 + j;
                tloc[j] = -1;
            }
            boffs[b] = k;
            for (int32_t f = boff[b]; f < boff[b + 1]; f++) {
                int32_t a = bprefs[f];
                int32_t j = mark[a] - g0;
                if (j >= j0) {
                    tloc[j] = k;
                    bids[k - d] = a;
                    k++;
                    if (T > 1) {
                        int v = 0;
                        while (a >= acut[v + 1])
                            v++;
                        kept_by_a[v]++;
                    }
                }
            }
        }
        for (int32_t t = g0; t < g1; t++) {
            int32_t pos = tloc[Y[t]];
            X[t] = pos;
            Y[t] = pos;
        }
    }
    c->kept[w] = k - k0;
    for (int v = 0; v < T; v++)
        c->kept_by_a[w][v] = kept_by_a[v];
    TRACE_W1(w);
}

/* 4. reduce A's lists, reading each entry's B position through the group
 * cursors; an adopted array is written from aoff[acut[w]] (in place: entry
 * e is read before any write at or above it) */
static void step_reduce_a(gpointer data, int w)
{
    TRACE_W0();
    Build *c = data;
    const int32_t shift = c->shift, la = c->la;
    const int32_t *aoff = c->aoff, *aprefs = c->aprefs, *sboff = c->SB->off;
    int32_t *Y = c->Y, *cur = c->cursor[w], *aoffs = c->SA->off, *arpos = c->SA->rpos;
    memcpy(cur, c->start + (int64_t)w * (c->ng + 1), (size_t)c->ng * sizeof(int32_t));
    int32_t k = c->apre[w];
    const int32_t d = c->adopted ? c->apre[w] - aoff[c->acut[w]] : 0; /* ids[k - d] */
    int32_t *ids = c->aids;
    for (int32_t a = c->acut[w]; a < c->acut[w + 1]; a++) {
        const int32_t first = k;
        aoffs[a] = k;
        for (int32_t e = aoff[a]; e < aoff[a + 1]; e++) {
            int32_t b = aprefs[e];
            int32_t t = cur[b >> shift]++;
            TM_PREFETCH_W(Y + MIN((int64_t)t + TM_PREFETCH, (int64_t)la - 1));
            int32_t pos = Y[t];
            if (pos >= 0) {
                ids[k - d] = b;
                arpos[k] = pos - sboff[b];
                Y[t] = k - first;
                k++;
            }
        }
    }
    g_assert(k == c->apre[w + 1]);
    TRACE_W1(w);
}

/* 5. B's reverse ranks, at the positions of step 3; then the B offsets of
 * the range lowered to their final values */
static void step_rpos_b(gpointer data, int w)
{
    TRACE_W0();
    Build *c = data;
    const int32_t *X = c->X, *Y = c->Y, *goff = c->goff;
    int32_t *tloc = c->tloc[w], *rpos = c->SB->rpos;
    for (int32_t g = c->gcut[w]; g < c->gcut[w + 1]; g++) {
        const int32_t g0 = goff[g], n = goff[g + 1] - g0;
        memcpy(tloc, Y + g0, (size_t)n * sizeof(int32_t));
        for (int32_t i = 0; i < n; i++)
            if (X[g0 + i] >= 0)
                rpos[X[g0 + i]] = tloc[i];
    }
    const int32_t k0 = goff[c->gcut[w]];
    const int32_t gap = k0 - c->bpre[w];
    if (gap != 0)
        for (int32_t b = c->bcut[w]; b < c->bcut[w + 1]; b++)
            c->SB->off[b] -= gap;
    TRACE_W1(w);
}

/* The first group at or above @w / T of the steps 3 and 5 work (A plus B
 * entries), for w in [1, T). */
static int32_t split_groups(const Build *c, int w, int32_t lo)
{
    const int64_t lb = c->boff[c->nb];
    const int64_t target = ((int64_t)c->la + lb) * w / c->T;
    int32_t hi = c->ng;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int64_t cost = (int64_t)c->goff[mid] + c->boff[MIN((int64_t)mid << c->shift, c->nb)];
        if (cost < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Reduces validated lists to the acceptable pairs and fills SA and SB (all
 * but cap).  @toff: n_B + 1 entries, toff[b + 1] = number of A entries that
 * name b, counted by @sp's worker 0 (its other workers' counts in
 * sp->count[w], merged and freed here); turned into offsets here.
 *
 * Two arrays hold one value per A entry, in group order (X, and Y, which
 * lives in SB->rpos until step 5 overwrites it):
 *   2. X = the entry's A agent, Y = its B agent;
 *   3. per group g (entries [g0, g1)): the A agents are counting-sorted by B
 *      agent into tloc, Y becoming each entry's slot there; each b marks its
 *      slots' agents (mark[a] = global slot: slots only grow, so a mark
 *      below b's first slot is stale) and walks its own list: a marked agent
 *      is kept, its slot receiving its position in the reduced B lists,
 *      other slots -1; X and Y become that position;
 *   4. A's entries in order, each reading Y through its group's cursor: a
 *      kept entry gives the reduced A list and its reverse rank, and Y
 *      becomes its rank in the reduced A list (in place: the pass touches
 *      one scratch cache line per 16 entries, not two);
 *   5. per group: SB->rpos[X] = Y.  The positions of group g lie below g1
 *      (no B agent keeps more entries than name it), so the writes spare the
 *      later groups' Y; g's own Y is copied aside first.
 * With several workers (the header), positions of a group range are
 * numbered from its first entry: that bound still holds. */
static gboolean reduce(const RawSide *A, const RawSide *B, int32_t *toff, Split *sp,
                       TmSideData *SA, TmSideData *SB, int64_t *n_pairs, GError **error)
{
    const int32_t na = A->n, nb = B->n;
    const int32_t *aoff = A->off, *aprefs = A->prefs, *boff = B->off, *bprefs = B->prefs;
    const int32_t la = aoff[na], lb = boff[nb], lm = MIN(la, lb);
    const int T = sp->T;
    int32_t *goff = NULL, *X = NULL;
    gboolean ok = FALSE;
    Build c = {0};
    c.T = T;
    c.na = na;
    c.nb = nb;
    c.la = la;
    c.aoff = aoff;
    c.aprefs = aprefs;
    c.boff = boff;
    c.bprefs = bprefs;
    c.toff = toff;
    c.SA = SA;
    c.SB = SB;
    memcpy(c.acut, sp->cut, sizeof c.acut);

    int shift = 0;
    while (shift < 30 && ((int64_t)la << (shift + 1)) <= (int64_t)TM_GROUP_ENTRIES * nb)
        shift++;
    const int32_t ng = nb > 0 ? (int32_t)((((int64_t)nb - 1) >> shift) + 1) : 0;
    c.shift = shift;
    c.ng = ng;

    /* each worker's entries per group, then the totals per b */
    if (!(goff = tm_i_try_alloc((int64_t)ng + 1, sizeof(int32_t), FALSE,
                                "market build offsets", error)) ||
        !(c.start = tm_i_try_alloc((int64_t)T * (ng + 1), sizeof(int32_t), FALSE,
                                   "market build offsets", error)))
        goto out;
    c.goff = goff;
    for (int32_t g = 0; g < ng; g++) {
        const int32_t b0 = (int32_t)((int64_t)g << shift);
        const int32_t b1 = (int32_t)MIN((int64_t)(g + 1) << shift, nb);
        for (int w = 0; w < T; w++) {
            const int32_t *cnt = sp->count[w];
            int32_t s = 0;
            for (int32_t b = b0; b < b1; b++)
                s += cnt[b + 1];
            c.start[(int64_t)w * (ng + 1) + g] = s;
            if (w > 0)
                for (int32_t b = b0; b < b1; b++)
                    toff[b + 1] += cnt[b + 1];
        }
    }
    split_clear(sp);
    for (int32_t b = 0; b < nb; b++)
        toff[b + 1] += toff[b];
    int32_t gmax = 0;
    for (int32_t g = 0; g < ng; g++) {
        goff[g] = toff[(int64_t)g << shift];
        gmax = MAX(gmax, toff[MIN((int64_t)(g + 1) << shift, nb)] - goff[g]);
        int32_t s = goff[g];
        for (int w = 0; w < T; w++) {
            int32_t *p = &c.start[(int64_t)w * (ng + 1) + g];
            const int32_t cw = *p;
            *p = s;
            s += cw;
        }
    }
    goff[ng] = la;
    trace("counts merged, group offsets");

    c.gcut[0] = 0;
    for (int w = 1; w < T; w++)
        c.gcut[w] = split_groups(&c, w, c.gcut[w - 1]);
    c.gcut[T] = ng;
    for (int w = 0; w <= T; w++)
        c.bcut[w] = (int32_t)MIN((int64_t)c.gcut[w] << shift, nb);
    for (int w = 0; w < T; w++) {
        const int32_t k0 = goff[c.gcut[w]];
        c.idb[w] = MIN(k0, boff[c.bcut[w]]);
    }

    for (int w = 0; w < T; w++)
        if (!(c.mark[w] = tm_i_try_alloc(na, sizeof(int32_t), FALSE, "market build scratch",
                                         error)) ||
            !(c.tloc[w] = tm_i_try_alloc(gmax, sizeof(int32_t), FALSE, "market build scratch",
                                         error)) ||
            !(c.cursor[w] = tm_i_try_alloc(ng, sizeof(int32_t), FALSE, "market build scratch",
                                           error)))
            goto out;
    if (!(X = tm_i_try_alloc(la, sizeof(int32_t), FALSE, "market build scratch", error)) ||
        !(SA->off = tm_i_try_alloc((int64_t)na + 1, sizeof(int32_t), FALSE,
                                   "offsets", error)) ||
        !(SB->off = tm_i_try_alloc((int64_t)nb + 1, sizeof(int32_t), FALSE,
                                   "offsets", error)) ||
        !(SB->rpos = tm_i_try_alloc(la, sizeof(int32_t), FALSE, "reverse ranks", error)) ||
        !(SB->ids = tm_i_try_alloc(lm, sizeof(int32_t), FALSE, "preference lists", error)))
        goto out;
    c.X = X;
    c.Y = SB->rpos;
    trace("scratch allocated");

    tm_i_run_workers(T, step_partition, &c);
    trace("2. partition");
    tm_i_run_workers(T, step_reduce_b, &c);
    trace("3. reduce B");

    /* the ranges' ids into place; where each range's positions and each A
     * worker's reduced entries start */
    int32_t L = 0;
    for (int w = 0; w < T; w++) {
        c.bpre[w] = L;
        if (w > 0 && c.kept[w] > 0 && c.idb[w] != L)
            memmove(SB->ids + L, SB->ids + c.idb[w], (size_t)c.kept[w] * sizeof(int32_t));
        L += c.kept[w];
    }
    c.apre[0] = 0;
    for (int v = 0; v < T; v++) {
        int32_t s = 0;
        for (int w = 0; w < T; w++)
            s += c.kept_by_a[w][v];
        c.apre[v + 1] = T > 1 ? c.apre[v] + s : L;
    }
    SB->off[nb] = L;
    if (B->take && *B->take) { /* B's raw lists are done with */
        g_free(*B->take);
        *B->take = NULL;
    }
    trace("3. ids moved, B raw freed");

    /* 4. reduce A's lists.  An owned A array becomes SA->ids in place. */
    if (A->take && *A->take) {
        SA->ids = *A->take;
        *A->take = NULL;
        c.adopted = TRUE;
    } else if (!(SA->ids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "preference lists", error)))
        goto out;
    c.aids = SA->ids;
    if (!(SA->rpos = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "reverse ranks", error)))
        goto out;
    tm_i_run_workers(T, step_reduce_a, &c);
    trace("4. reduce A");
    SA->off[na] = L;
    if (c.adopted)
        for (int w = 1; w < T; w++) {
            const int32_t from = aoff[c.acut[w]], n = c.apre[w + 1] - c.apre[w];
            if (n > 0 && from != c.apre[w])
                memmove(SA->ids + c.apre[w], SA->ids + from, (size_t)n * sizeof(int32_t));
        }

    /* 5. B's reverse ranks, then the ranges into place */
    tm_i_run_workers(T, step_rpos_b, &c);
    trace("5. B reverse ranks");
    for (int w = 1; w < T; w++) {
        const int32_t from = goff[c.gcut[w]];
        if (c.kept[w] > 0 && from != c.bpre[w])
            memmove(SB->rpos + c.bpre[w], SB->rpos + from, (size_t)c.kept[w] * sizeof(int32_t));
    }

    trace("A ids and B rpos moved");
    shrink(&SB->rpos, la, L);
    shrink(&SB->ids, lm, L);
    if (c.adopted)
        shrink(&SA->ids, la, L);
    trace("shrink");
    SA->dropped = (int64_t)la - L;
    SB->dropped = (int64_t)lb - L;
    *n_pairs = L;
    ok = TRUE;
out:
    g_free(goff);
    g_free(c.start);
    for (int w = 0; w < T; w++) {
        g_free(c.mark[w]);
        g_free(c.tloc[w]);
        g_free(c.cursor[w]);
    }
    g_free(X);
    return ok;
}

static int32_t *copy_caps(const int32_t *cap, int32_t n, GError **error)
{
    int32_t *c = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "capacities", error);
    if (c == NULL)
        return NULL;
    for (int32_t a = 0; a < n; a++)
        c[a] = cap ? cap[a] : 1;
    return c;
}

/* Ranks given by the caller must be >= 0 and non-decreasing along each list
 * (the list is best first; equal ranks are a tie). */
gboolean tm_i_market_validate_ranks(TmSide side, int32_t n, const int32_t *off, const int32_t *ranks,
                               int32_t agent0, GError **error)
{
    for (int32_t a = 0; a < n; a++) {
        for (int32_t e = off[a]; e < off[a + 1]; e++) {
            if (ranks[e] < 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has a negative rank (%" G_GINT32_FORMAT ")",
                            tm_i_side_name(side), agent0 + a, e - off[a], ranks[e]);
                return FALSE;
            }
            if (e > off[a] && ranks[e] < ranks[e - 1]) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "%s agent %" G_GINT32_FORMAT ": preference %" G_GINT32_FORMAT
                            " has rank %" G_GINT32_FORMAT " after rank %" G_GINT32_FORMAT
                            " (lists are best first: ranks must not decrease)",
                            tm_i_side_name(side), agent0 + a, e - off[a], ranks[e], ranks[e - 1]);
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* The reduced lists are subsequences of the raw ones (same order, no
 * duplicates), so one walk over both finds each kept entry's raw rank; kept
 * entries get dense ranks 0, 1, ... per list (equal raw ranks stay equal).
 * Sets sd->rank, or leaves it NULL when no reduced list has a tie. */
static gboolean dense_ranks(TmSideData *sd, const int32_t *roff, const int32_t *rids,
                            const int32_t *rranks, GError **error)
{
    const int64_t L = sd->off[sd->n];
    int32_t *rank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "ranks", error);
    if (rank == NULL)
        return FALSE;
    gboolean tie = FALSE;
    for (int32_t a = 0; a < sd->n; a++) {
        int32_t e = roff[a], dense = -1, prev = -1;
        for (int32_t k = sd->off[a]; k < sd->off[a + 1]; k++) {
            while (rids[e] != sd->ids[k])
                e++;
            if (dense < 0 || rranks[e] != prev)
                dense++;
            else
                tie = TRUE;
            prev = rranks[e];
            rank[k] = dense;
            e++;
        }
    }
    if (tie)
        sd->rank = rank;
    else
        g_free(rank);
    return TRUE;
}

/* rrank[e] of @sd = the rank @other gives back, when @other has ties. */
static gboolean reverse_ranks(TmSideData *sd, const TmSideData *other, GError **error)
{
    if (other->rank == NULL)
        return TRUE;
    const int64_t L = sd->off[sd->n];
    if (!(sd->rrank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "reverse ranks", error)))
        return FALSE;
    for (int64_t e = 0; e < L; e++)
        sd->rrank[e] = other->rank[other->off[sd->ids[e]] + sd->rpos[e]];
    return TRUE;
}

static gboolean check_len(TmSide side, int32_t n, const int32_t *off, int64_t len,
                          GError **error)
{
    if (off == NULL || len < 0)
        return TRUE; /* NULL offsets are reported by validate_side() */
    if (len != off[n]) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: %" G_GINT64_FORMAT " entries given but the offsets end at %"
                    G_GINT32_FORMAT, tm_i_side_name(side), len, off[n]);
        return FALSE;
    }
    return TRUE;
}

TmMarket *tm_market_new_from_arrays(int32_t n_supply, int32_t n_demand,
                                    const int32_t *supply_capacity,
                                    const int32_t *demand_capacity,
                                    const int32_t *supply_offsets, const int32_t *supply_prefs,
                                    const int32_t *demand_offsets, const int32_t *demand_prefs,
                                    GError **error)
{
    return tm_market_new_from_ranked_arrays(n_supply, n_demand, supply_capacity,
                                            demand_capacity, supply_offsets, supply_prefs,
                                            NULL, -1, demand_offsets, demand_prefs, NULL, -1,
                                            error);
}

static TmMarket *build(int32_t n_supply, int32_t n_demand, const int32_t *supply_capacity,
                       const int32_t *demand_capacity, const int32_t *supply_offsets,
                       const int32_t *supply_ids, const int32_t *supply_ranks,
                       int64_t supply_len, const int32_t *demand_offsets,
                       const int32_t *demand_ids, const int32_t *demand_ranks,
                       int64_t demand_len, int32_t **take_supply, int32_t **take_demand,
                       GError **error);

TmMarket *tm_market_new_from_ranked_arrays(int32_t n_supply, int32_t n_demand,
                                           const int32_t *supply_capacity,
                                           const int32_t *demand_capacity,
                                           const int32_t *supply_offsets,
                                           const int32_t *supply_ids,
                                           const int32_t *supply_ranks, int64_t supply_len,
                                           const int32_t *demand_offsets,
                                           const int32_t *demand_ids,
                                           const int32_t *demand_ranks, int64_t demand_len,
                                           GError **error)
{
    return build(n_supply, n_demand, supply_capacity, demand_capacity, supply_offsets,
                 supply_ids, supply_ranks, supply_len, demand_offsets, demand_ids, demand_ranks,
                 demand_len, NULL, NULL, error);
}

static TmMarket *build(int32_t n_supply, int32_t n_demand, const int32_t *supply_capacity,
                       const int32_t *demand_capacity, const int32_t *supply_offsets,
                       const int32_t *supply_ids, const int32_t *supply_ranks,
                       int64_t supply_len, const int32_t *demand_offsets,
                       const int32_t *demand_ids, const int32_t *demand_ranks,
                       int64_t demand_len, int32_t **take_supply, int32_t **take_demand,
                       GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    const int32_t *supply_prefs = supply_ids, *demand_prefs = demand_ids;
    if (n_supply < 0 || n_demand < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "market sizes must be >= 0 (got %" G_GINT32_FORMAT " supply, %"
                    G_GINT32_FORMAT " demand)", n_supply, n_demand);
        return NULL;
    }
    if (n_supply == G_MAXINT32 || n_demand == G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "market sizes must be below %" G_GINT32_FORMAT, G_MAXINT32);
        return NULL;
    }

    /* A is transposed into B's order: B is the side with fewer agents */
    const gboolean a_is_supply = n_demand <= n_supply;
    const int32_t nb = a_is_supply ? n_demand : n_supply;
    TmMarket *m = NULL;
    Split split_s = {0}, split_d = {0};
    trace(NULL);
    int32_t *toff = tm_i_try_alloc((int64_t)nb + 1, sizeof(int32_t), TRUE,
                                   "market build offsets", error);
    if (!toff)
        goto fail;
    /* the lengths first: entries beyond them must not be read */
    if (!check_len(TM_SIDE_SUPPLY, n_supply, supply_offsets, supply_len, error) ||
        !check_len(TM_SIDE_DEMAND, n_demand, demand_offsets, demand_len, error))
        goto fail;
    if (!validate_side(TM_SIDE_SUPPLY, n_supply, n_demand, supply_capacity, supply_offsets,
                       supply_prefs, a_is_supply ? toff : NULL, &split_s, error))
        goto fail;
    trace("1. validate supply");
    if (!validate_side(TM_SIDE_DEMAND, n_demand, n_supply, demand_capacity, demand_offsets,
                       demand_prefs, a_is_supply ? NULL : toff, &split_d, error))
        goto fail;
    trace("1. validate demand");
    if ((supply_ranks && !tm_i_market_validate_ranks(TM_SIDE_SUPPLY, n_supply, supply_offsets,
                                         supply_ranks, 0, error)) ||
        (demand_ranks && !tm_i_market_validate_ranks(TM_SIDE_DEMAND, n_demand, demand_offsets,
                                         demand_ranks, 0, error)))
        goto fail;

    m = g_try_new0(TmMarket, 1);
    if (!m) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate market");
        goto fail;
    }
    m->refcount = 1;
    TmSideData *S = &m->side[TM_SIDE_SUPPLY];
    TmSideData *D = &m->side[TM_SIDE_DEMAND];
    S->n = n_supply;
    D->n = n_demand;
    if (!(S->cap = copy_caps(supply_capacity, n_supply, error)) ||
        !(D->cap = copy_caps(demand_capacity, n_demand, error)))
        goto fail;
    trace("capacities");

    /* an owned side without ranks: its raw lists are not read after reduce() */
    RawSide rs = {n_supply, supply_offsets, supply_prefs, supply_ranks ? NULL : take_supply};
    RawSide rd = {n_demand, demand_offsets, demand_prefs, demand_ranks ? NULL : take_demand};
    if (!(a_is_supply ? reduce(&rs, &rd, toff, &split_s, S, D, &m->n_pairs, error)
                      : reduce(&rd, &rs, toff, &split_d, D, S, &m->n_pairs, error)))
        goto fail;
    g_clear_pointer(&toff, g_free);
    if ((supply_ranks && !dense_ranks(S, supply_offsets, supply_prefs, supply_ranks, error)) ||
        (demand_ranks && !dense_ranks(D, demand_offsets, demand_prefs, demand_ranks, error)) ||
        !reverse_ranks(S, D, error) || !reverse_ranks(D, S, error))
        goto fail;
    trace("ranks");
    return m;

fail:
    split_clear(&split_s);
    split_clear(&split_d);
    g_free(toff);
    if (m) {
        tm_i_side_data_clear(&m->side[0]);
        tm_i_side_data_clear(&m->side[1]);
        g_free(m);
    }
    return NULL;
}


TmMarket *tm_market_new_take_arrays(int32_t n_supply, int32_t n_demand, int32_t *supply_capacity,
                                    int32_t *demand_capacity, int32_t *supply_offsets,
                                    int32_t *supply_ids, int32_t *supply_ranks,
                                    int32_t *demand_offsets, int32_t *demand_ids,
                                    int32_t *demand_ranks, GError **error)
{
    TmMarket *m = build(n_supply, n_demand, supply_capacity, demand_capacity, supply_offsets,
                        supply_ids, supply_ranks, -1, demand_offsets, demand_ids, demand_ranks,
                        -1, &supply_ids, &demand_ids, error);
    g_free(supply_capacity);
    g_free(demand_capacity);
    g_free(supply_offsets);
    g_free(supply_ids);
    g_free(supply_ranks);
    g_free(demand_offsets);
    g_free(demand_ids);
    g_free(demand_ranks);
    return m;
}
