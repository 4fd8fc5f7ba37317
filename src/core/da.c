/* techmatch — the deferred acceptance engine (da_private.h): either side
 * proposing, any capacities, plain receivers or the demand side's choice
 * under groups.
 *
 * Proposers walk their reduced lists in order.  A plain receiver has one
 * small record (heap offset, room, count, position of the worst held
 * proposer), so the common case — a full receiver refusing a worse proposal
 * — costs the read of the reverse position stored beside the proposer's
 * entry plus one record read and a compare.  Held proposals (position,
 * proposer) sit in a max-heap per receiver of size min(capacity, list
 * length), all heaps in one flat array, so a displacement names the loser
 * without touching the receiver's list.  With groups, each proposal is
 * offered to the demand side's choice instead (groups_choice.c), which names
 * the contract it rejects.  Free proposers wait on a stack.  The proposing
 * side's optimal outcome does not depend on the order of proposals
 * (McVitie & Wilson 1971), which is what lets a state be changed and resumed.
 * Time O(L log c), memory O(L + n).
 */
#include "core/da_private.h"
#include "core/groups_private.h"

#include <string.h>

/* A held proposal: the receiver's position of the proposer (its key: lists
 * are strict here) and the proposer, or -1 for a phantom (tm_i_da_break). */
typedef struct {
    int32_t rank;
    int32_t who;
} Held;

/* Everything a proposal needs to know about a plain receiver, in one slot:
 * where its heap is, its room (min(capacity, list length)), how many it
 * holds, and the key of the worst held proposal (valid when full; -1 when
 * the room is 0, so that every proposal is refused by one compare). */
typedef struct {
    int32_t off, room, cnt, worst;
} Receiver;

/* A proposer's state, likewise in one slot: next entry to propose to, end of
 * its list, capacity left, and whether it waits on the stack. */
typedef struct {
    int32_t next, end, left, queued;
} Proposer;

struct TmDa {
    TmMarket *market;
    TmSide proposing;
    Proposer *prop;        /* n proposers */
    int32_t *stack;        /* n proposers */
    int32_t sp;
    Receiver *recv;        /* plain: n receivers */
    Held *heap;            /* plain: all heaps */
    int32_t seats;         /* plain: heap entries */
    TmGroupChoice *choice; /* with groups, instead of recv/heap */
    int64_t proposals;
    int pipeline;          /* -1 by size, 0 one at a time, 1 the pipeline */
};

#define TM_DA_CHECK_EVERY (1 << 16)

/* Restores the max-heap property (by rank) below the root. */
static inline void sift_down(Held *h, int32_t n)
{
    int32_t i = 0;
    Held x = h[0];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].rank > h[c].rank)
            c++;
        if (h[c].rank <= x.rank)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static inline void sift_up(Held *h, int32_t i)
{
    Held x = h[i];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (h[p].rank >= x.rank)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

/* Applies a wake-up: one more unit of capacity for @loser, onto the stack
 * unless it is queued (on the stack or in a slot). */
static inline void wake(Proposer *prop, int32_t *stack, int32_t *sp, int32_t loser)
{
    Proposer *lp = &prop[loser];
    lp->left++;
    if (!lp->queued) {
        lp->queued = 1;
        stack[(*sp)++] = loser;
    }
}

void tm_i_da_free(TmDa *da)
{
    if (da == NULL)
        return;
    g_free(da->prop);
    g_free(da->stack);
    g_free(da->recv);
    g_free(da->heap);
    tm_i_choice_free(da->choice);
    tm_market_free(da->market);
    g_free(da);
}

static gboolean init_receivers(TmDa *da, GError **error)
{
    const TmSideData *R = &da->market->side[TM_SIDE_OTHER(da->proposing)];
    if (!(da->recv = tm_i_try_alloc(R->n, sizeof(Receiver), FALSE, "solver receivers", error)))
        return FALSE;
    int64_t seats = 0;
    for (int32_t r = 0; r < R->n; r++) {
        int32_t room = MIN(R->cap[r], R->off[r + 1] - R->off[r]);
        da->recv[r].off = (int32_t)seats;
        da->recv[r].room = room;
        da->recv[r].cnt = 0;
        da->recv[r].worst = -1;
        seats += room;
    }
    da->seats = (int32_t)seats; /* <= L <= INT32_MAX */
    return (da->heap = tm_i_try_alloc(seats, sizeof(Held), FALSE, "solver heaps", error)) != NULL;
}

TmDa *tm_i_da_new(TmMarket *market, TmSide proposing, const TmGroups *groups, GError **error)
{
    if (market == NULL || !tm_i_side_ok(proposing)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            market ? "proposing side must be TM_SIDE_SUPPLY or TM_SIDE_DEMAND"
                                   : "market must not be NULL");
        return NULL;
    }
    if (tm_i_market_has_ties(market)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "the market has ties (equally ranked partners): deferred acceptance "
                            "needs strict preference lists in this version");
        return NULL;
    }
    if (groups != NULL && proposing != TM_SIDE_SUPPLY) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "with groups (caps and floors) only the supply side can propose");
        return NULL;
    }
    TmDa *da = g_new0(TmDa, 1);
    da->market = tm_market_ref(market);
    da->proposing = proposing;
    da->pipeline = -1;
    const TmSideData *P = &market->side[proposing];
    if (!(da->prop = tm_i_try_alloc(P->n, sizeof(Proposer), FALSE, "solver state", error)) ||
        !(da->stack = tm_i_try_alloc(P->n, sizeof(int32_t), FALSE, "solver stack", error)))
        goto fail;
    if (groups != NULL ? !(da->choice = tm_i_choice_new(market, groups, error))
                       : !init_receivers(da, error))
        goto fail;
    for (int32_t p = P->n - 1; p >= 0; p--) {
        Proposer *me = &da->prop[p];
        me->next = P->off[p];
        me->end = P->off[p + 1];
        me->left = P->cap[p];
        me->queued = P->cap[p] > 0 && P->off[p] < P->off[p + 1];
        if (me->queued)
            da->stack[da->sp++] = p;
    }
    return da;
fail:
    tm_i_da_free(da);
    return NULL;
}

TmDa *tm_i_da_copy(const TmDa *da, GError **error)
{
    if (da->choice != NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "a solver state with groups cannot be copied");
        return NULL;
    }
    const int32_t np = da->market->side[da->proposing].n;
    const int32_t nr = da->market->side[TM_SIDE_OTHER(da->proposing)].n;
    TmDa *c = g_new0(TmDa, 1);
    *c = *da;
    c->market = tm_market_ref(da->market);
    c->prop = NULL;
    c->stack = NULL;
    c->recv = NULL;
    c->heap = NULL;
    if (!(c->prop = tm_i_try_alloc(np, sizeof(Proposer), FALSE, "solver state", error)) ||
        !(c->stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "solver stack", error)) ||
        !(c->recv = tm_i_try_alloc(nr, sizeof(Receiver), FALSE, "solver receivers", error)) ||
        !(c->heap = tm_i_try_alloc(da->seats, sizeof(Held), FALSE, "solver heaps", error))) {
        tm_i_da_free(c);
        return NULL;
    }
    memcpy(c->prop, da->prop, (size_t)np * sizeof(Proposer));
    memcpy(c->stack, da->stack, (size_t)da->sp * sizeof(int32_t));
    memcpy(c->recv, da->recv, (size_t)nr * sizeof(Receiver));
    memcpy(c->heap, da->heap, (size_t)da->seats * sizeof(Held));
    return c;
}

void tm_i_da_set_pipeline(TmDa *da, int mode)
{
    da->pipeline = mode < 0 ? -1 : mode > 0;
}

int64_t tm_i_da_proposals(const TmDa *da)
{
    return da->proposals;
}

static gboolean cancelled(const TmDa *da, const TmControl *ctl, GError **error)
{
    if (!tm_cancel_is_triggered(ctl->cancel))
        return FALSE;
    g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                "deferred acceptance%s cancelled after %" G_GINT64_FORMAT " proposals",
                da->choice ? " with groups" : "", da->proposals);
    return TRUE;
}

/* The loop, instantiated twice (grouped is a constant at each call site, so
 * the plain loop carries no trace of the grouped one). */
static inline gboolean run_loop(TmDa *da, const TmControl *ctl, GError **error,
                                const gboolean grouped)
{
    const TmSideData *P = &da->market->side[da->proposing];
    const TmSideData *R = &da->market->side[TM_SIDE_OTHER(da->proposing)];
    const int32_t *pids = P->ids, *prp = P->rpos, *rids = R->ids, *roff = R->off;
    Proposer *prop = da->prop;
    Receiver *recv = da->recv;
    Held *heap = da->heap;
    int32_t *stack = da->stack;
    int32_t sp = da->sp;
    int64_t proposals = da->proposals, next_check = proposals + TM_DA_CHECK_EVERY;
    const double total = da->market->n_pairs > 0 ? (double)da->market->n_pairs : 1.0;
    gboolean ok = TRUE;

    while (sp > 0) {
        int32_t p = stack[--sp];
        Proposer *me = &prop[p];
        me->queued = 0;
        int32_t e = me->next, end = me->end, left = me->left;
        while (left > 0 && e < end) {
            int32_t r = pids[e], rk = prp[e];
            e++;
            proposals++;
            if (grouped) {
                int32_t pos = roff[r] + rk;
                int32_t lost = tm_i_choice_offer(da->choice, pos, r);
                if (lost == pos)
                    continue;
                if (G_UNLIKELY(lost == TM_I_CHOICE_NO_MEMORY)) {
                    g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                                        "deferred acceptance with groups: cannot grow the "
                                        "groups' contract heaps");
                    da->sp = sp; /* the choice is spoilt: the state is not resumable */
                    da->proposals = proposals;
                    return FALSE;
                }
                left--;
                if (lost < 0)
                    continue;
                int32_t loser = rids[lost];
                if (loser == p) {
                    left++;
                } else {
                    wake(prop, stack, &sp, loser);
                }
                continue;
            }
            Receiver *rc = &recv[r];
            if (rc->cnt < rc->room) {
                Held *hp = heap + rc->off;
                hp[rc->cnt].rank = rk;
                hp[rc->cnt].who = p;
                sift_up(hp, rc->cnt);
                if (++rc->cnt == rc->room)
                    rc->worst = hp[0].rank;
                left--;
            } else if (rk < rc->worst) {
                Held *hp = heap + rc->off;
                int32_t loser = hp[0].who;
                hp[0].rank = rk;
                hp[0].who = p;
                sift_down(hp, rc->cnt);
                rc->worst = hp[0].rank;
                left--;
                if (loser >= 0) /* not a phantom */
                    wake(prop, stack, &sp, loser);
            }
        }
        me->next = e;
        me->left = left;
        if (proposals >= next_check) {
            next_check = proposals + TM_DA_CHECK_EVERY;
            da->proposals = proposals;
            if (cancelled(da, ctl, error)) {
                /* leave a resumable state: p may still have entries */
                if (left > 0 && e < end && !me->queued) {
                    me->queued = 1;
                    stack[sp++] = p;
                }
                ok = FALSE;
                break;
            }
            if (ctl->progress &&
                (proposals & ((TM_DA_CHECK_EVERY << 4) - 1)) < TM_DA_CHECK_EVERY)
                ctl->progress(MIN(1.0, (double)proposals / total), ctl->progress_data);
        }
    }
    da->sp = sp;
    da->proposals = proposals;
    return ok;
}

/* ---- the plain loop, many proposers at once ------------------------------
 *
 * A proposal costs little work but up to four cache misses, each dependent
 * on the one before: the proposer's record, its next list entry (partner and
 * reverse position, two arrays), the receiver's record, the receiver's heap
 * root; and a displacement adds the loser's record.  One proposer at a time
 * waits for them one by one.  Here TM_DA_WINDOW proposers are active at
 * once, each in a slot that is one step along that chain; visiting the slots
 * in turn, each visit prefetches what the slot's next step will read and
 * does the step whose data was prefetched one round earlier, so up to a
 * window's worth of misses are in flight together.
 *
 * Every step is a whole decision taken on the state as it is at that moment
 * (a prefetch is only a hint), so the run is one sequential execution of
 * proposals in some order; by McVitie & Wilson the result is the same
 * proposer-optimal matching.  A proposer is in at most one slot (queued = 1
 * while it is on the stack or in a slot).  A displaced proposer's record is
 * prefetched and its wake-up (capacity back, onto the stack unless queued)
 * applied a few visits later from a small ring. */
#ifndef TM_DA_WINDOW
#define TM_DA_WINDOW 16
#endif
#define TM_DA_RING 64 /* power of two */
#ifndef TM_DA_AHEAD
#define TM_DA_AHEAD 16 /* entries: one cache line */
#endif
#define TM_DA_WAKE_DELAY 8
#ifndef TM_DA_SCALAR_BELOW
#define TM_DA_SCALAR_BELOW 8 /* free proposers: below this, one at a time */
#endif
#if defined(__GNUC__) || defined(__clang__)
#define TM_DA_PREFETCH(p) __builtin_prefetch((p), 1, 3)
#else
#define TM_DA_PREFETCH(p) ((void)0)
#endif

enum { SLOT_EMPTY, SLOT_LOAD, SLOT_ENTRY, SLOT_RECV, SLOT_HEAP };

typedef struct {
    int32_t p, stage, e, r, rk;
} Slot;

/* The pipeline pays off once the solver's random-access state (proposer and
 * receiver records, heaps) outgrows the L2 cache: measured on the suite's
 * workloads, the one-at-a-time loop is faster on n x n complete lists up to
 * n = 10,000 (state <= 0.4 MiB), the pipeline 2-2.5x faster from 100,000 x
 * 10,000 (2.6 MiB) up. */
#ifndef TM_DA_PIPELINE_BYTES
#define TM_DA_PIPELINE_BYTES ((int64_t)2 << 20)
#endif

static int64_t solver_bytes(const TmDa *da)
{
    const int64_t np = da->market->side[da->proposing].n;
    const int64_t nr = da->market->side[TM_SIDE_OTHER(da->proposing)].n;
    return np * (int64_t)(sizeof(Proposer) + sizeof(int32_t)) + nr * (int64_t)sizeof(Receiver) +
           (int64_t)da->seats * (int64_t)sizeof(Held);
}

static gboolean run_plain(TmDa *da, const TmControl *ctl, GError **error)
{
    const TmSideData *P = &da->market->side[da->proposing];
    const int32_t *pids = P->ids, *prp = P->rpos;
    Proposer *prop = da->prop;
    Receiver *recv = da->recv;
    Held *heap = da->heap;
    int32_t *stack = da->stack;
    int32_t sp = da->sp;
    int64_t proposals = da->proposals, next_check = proposals + TM_DA_CHECK_EVERY;
    const double total = da->market->n_pairs > 0 ? (double)da->market->n_pairs : 1.0;
    Slot slot[TM_DA_WINDOW];
    int32_t ring[TM_DA_RING];
    uint32_t ring_head = 0, ring_tail = 0; /* events ring[head .. tail) */
    int active = 0;
    gboolean ok = TRUE, scalar = FALSE;

    for (int i = 0; i < TM_DA_WINDOW; i++)
        slot[i].stage = SLOT_EMPTY;

    for (;;) {
        for (int i = 0; i < TM_DA_WINDOW; i++) {
            Slot *sl = &slot[i];
            if (ring_tail - ring_head > TM_DA_WAKE_DELAY)
                wake(prop, stack, &sp, ring[ring_head++ % TM_DA_RING]);
            switch (sl->stage) {
            case SLOT_EMPTY:
                if (sp == 0 && ring_tail != ring_head) /* nobody waits: wake now */
                    wake(prop, stack, &sp, ring[ring_head++ % TM_DA_RING]);
                if (sp == 0)
                    continue;
                sl->p = stack[--sp];
                TM_DA_PREFETCH(&prop[sl->p]);
                if (sp > 0)
                    TM_DA_PREFETCH(&prop[stack[sp - 1]]);
                sl->stage = SLOT_LOAD;
                active++;
                continue;
            case SLOT_LOAD: {
                const Proposer *me = &prop[sl->p];
                if (me->left <= 0 || me->next >= me->end) {
                    prop[sl->p].queued = 0;
                    sl->stage = SLOT_EMPTY;
                    active--;
                    continue;
                }
                sl->e = me->next;
                TM_DA_PREFETCH(&pids[sl->e]);
                TM_DA_PREFETCH(&prp[sl->e]);
                sl->stage = SLOT_ENTRY;
                continue;
            }
            case SLOT_ENTRY:
                sl->r = pids[sl->e];
                sl->rk = prp[sl->e];
                TM_DA_PREFETCH(&recv[sl->r]);
                sl->stage = SLOT_RECV;
                continue;
            case SLOT_RECV: {
                const Receiver *rc = &recv[sl->r];
                if (rc->cnt < rc->room) {
                    TM_DA_PREFETCH(heap + rc->off + rc->cnt);
                    sl->stage = SLOT_HEAP;
                    continue;
                }
                if (sl->rk < rc->worst) {
                    TM_DA_PREFETCH(heap + rc->off);
                    sl->stage = SLOT_HEAP;
                    continue;
                }
                /* refused: on to the next entry (usually in the same line) */
                proposals++;
                break;
            }
            case SLOT_HEAP: {
                const int32_t p = sl->p, rk = sl->rk;
                Receiver *rc = &recv[sl->r];
                proposals++;
                if (rc->cnt < rc->room) {
                    Held *hp = heap + rc->off;
                    hp[rc->cnt].rank = rk;
                    hp[rc->cnt].who = p;
                    sift_up(hp, rc->cnt);
                    if (++rc->cnt == rc->room)
                        rc->worst = hp[0].rank;
                    prop[p].left--;
                } else if (rk < rc->worst) {
                    Held *hp = heap + rc->off;
                    int32_t loser = hp[0].who;
                    hp[0].rank = rk;
                    hp[0].who = p;
                    sift_down(hp, rc->cnt);
                    rc->worst = hp[0].rank;
                    prop[p].left--;
                    if (loser >= 0) { /* not a phantom */
                        TM_DA_PREFETCH(&prop[loser]);
                        if (ring_tail - ring_head == TM_DA_RING)
                            wake(prop, stack, &sp, ring[ring_head++ % TM_DA_RING]);
                        ring[ring_tail++ % TM_DA_RING] = loser;
                    }
                }
                break;
            }
            default:
                continue;
            }
            /* after a proposal: the next entry, or the slot is done */
            Proposer *me = &prop[sl->p];
            int32_t e = sl->e + 1;
            if (me->left > 0 && e < me->end) {
                sl->e = e;
                sl->r = pids[e];
                sl->rk = prp[e];
                TM_DA_PREFETCH(&recv[sl->r]);
                /* the list's next line, ahead of the walk (a prefetch past
                 * the end of an array reads nothing and cannot fault) */
                if (TM_DA_AHEAD > 0) {
                    TM_DA_PREFETCH(&pids[e + TM_DA_AHEAD]);
                    TM_DA_PREFETCH(&prp[e + TM_DA_AHEAD]);
                }
                sl->stage = SLOT_RECV;
            } else {
                me->next = e;
                me->queued = 0;
                sl->stage = SLOT_EMPTY;
                active--;
            }
        }
        if (active + sp + (int64_t)(ring_tail - ring_head) < TM_DA_SCALAR_BELOW &&
            da->pipeline < 0) {
            /* Too few free proposers to fill the window, and their number
             * never grows (a proposal frees at most the one it displaces):
             * the rest is a chain of dependent proposals, which the
             * one-at-a-time loop runs with less overhead. */
            scalar = TRUE;
            break;
        }
        if (active == 0 && sp == 0 && ring_tail == ring_head)
            break; /* (forced pipeline: no switch to the loop below) */
        if (proposals >= next_check) {
            next_check = proposals + TM_DA_CHECK_EVERY;
            da->proposals = proposals;
            if (cancelled(da, ctl, error)) {
                ok = FALSE;
                break;
            }
            if (ctl->progress &&
                (proposals & ((TM_DA_CHECK_EVERY << 4) - 1)) < TM_DA_CHECK_EVERY)
                ctl->progress(MIN(1.0, (double)proposals / total), ctl->progress_data);
        }
    }
    if (!ok || scalar) {
        /* leave a resumable state: every active proposer back on the stack
         * at the entry it has not proposed to yet, every wake-up applied */
        for (int i = 0; i < TM_DA_WINDOW; i++) {
            Slot *sl = &slot[i];
            if (sl->stage == SLOT_EMPTY)
                continue;
            if (sl->stage != SLOT_LOAD)
                prop[sl->p].next = sl->e;
            stack[sp++] = sl->p; /* still queued */
        }
        while (ring_tail != ring_head)
            wake(prop, stack, &sp, ring[ring_head++ % TM_DA_RING]);
    }
    da->sp = sp;
    da->proposals = proposals;
    return ok && scalar ? run_loop(da, ctl, error, FALSE) : ok;
}

gboolean tm_i_da_run(TmDa *da, const TmControl *ctl, GError **error)
{
    gboolean ok;
    if (da->choice)
        ok = run_loop(da, ctl, error, TRUE);
    else if (da->pipeline > 0 || (da->pipeline < 0 && solver_bytes(da) >= TM_DA_PIPELINE_BYTES))
        ok = run_plain(da, ctl, error);
    else /* the state stays in cache: nothing for the pipeline to hide */
        ok = run_loop(da, ctl, error, FALSE);
    if (!ok || cancelled(da, ctl, error))
        return FALSE;
    if (ctl->progress)
        ctl->progress(1.0, ctl->progress_data);
    return TRUE;
}

gboolean tm_i_da_break(TmDa *da, int32_t r, int32_t who)
{
    if (da->choice != NULL)
        return FALSE;
    Receiver *rc = &da->recv[r];
    Held *hp = da->heap + rc->off;
    for (int32_t i = 0; i < rc->cnt; i++) {
        if (hp[i].who == who) {
            hp[i].who = -1;
            wake(da->prop, da->stack, &da->sp, who);
            return TRUE;
        }
    }
    return FALSE;
}

/* ---- collecting the matching -------------------------------------------- */

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Number of proposers receiver @r holds (phantoms left out). */
static inline int32_t held_count(const TmDa *da, int32_t r)
{
    if (da->choice) {
        int32_t k;
        tm_i_choice_held(da->choice, r, &k);
        return k;
    }
    const Receiver *rc = &da->recv[r];
    if (rc->cnt == 1)
        return da->heap[rc->off].who >= 0;
    int32_t n = 0;
    for (int32_t i = 0; i < rc->cnt; i++)
        n += da->heap[rc->off + i].who >= 0;
    return n;
}

/* Held positions of receiver @r into @buf (phantoms left out), sorted
 * ascending (= the receiver's preference order); returns how many. */
static inline int32_t held_sorted(const TmDa *da, int32_t r, int32_t *buf)
{
    int32_t n = 0;
    if (da->choice) {
        int32_t k;
        const int32_t *h = tm_i_choice_held(da->choice, r, &k);
        memcpy(buf, h, (size_t)k * sizeof(int32_t));
        n = k;
    } else {
        const Held *hp = da->heap + da->recv[r].off;
        for (int32_t i = 0; i < da->recv[r].cnt; i++)
            if (hp[i].who >= 0)
                buf[n++] = hp[i].rank;
    }
    if (n > 32) {
        qsort(buf, (size_t)n, sizeof(int32_t), cmp_i32);
        return n;
    }
    for (int32_t i = 1; i < n; i++) {
        int32_t x = buf[i], j = i - 1;
        while (j >= 0 && buf[j] > x) {
            buf[j + 1] = buf[j];
            j--;
        }
        buf[j + 1] = x;
    }
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts a long partner list by position (ids ride along). */
static gboolean sort_long_list(int32_t *ids, int32_t *pos, int32_t n, GError **error)
{
    int64_t *key = tm_i_try_alloc(n, sizeof(int64_t), FALSE, "solver result", error);
    if (key == NULL)
        return FALSE;
    for (int32_t i = 0; i < n; i++)
        key[i] = ((int64_t)pos[i] << 32) | (uint32_t)ids[i];
    qsort(key, (size_t)n, sizeof(int64_t), cmp_i64);
    for (int32_t i = 0; i < n; i++) {
        pos[i] = (int32_t)(key[i] >> 32);
        ids[i] = (int32_t)(uint32_t)key[i];
    }
    g_free(key);
    return TRUE;
}

static gboolean alloc_side(TmMatchSide *ms, int32_t n, int64_t n_pairs, GError **error)
{
    return (ms->off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), TRUE, "matching offsets",
                                     error)) &&
           (ms->ids = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "matching partners",
                                     error)) &&
           (ms->prank = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "matching ranks", error));
}

TmMatching *tm_i_da_collect(const TmDa *da, GError **error)
{
    const TmMarket *m = da->market;
    const TmSide ps = da->proposing, rs = TM_SIDE_OTHER(ps);
    const TmSideData *P = &m->side[ps], *R = &m->side[rs];
    int32_t room_max = 0;
    int64_t bound = 0; /* pairs held, phantoms of tm_i_da_break included */
    for (int32_t r = 0; r < R->n; r++) {
        if (da->choice) {
            int32_t k = held_count(da, r);
            room_max = MAX(room_max, k);
            bound += k;
        } else {
            room_max = MAX(room_max, da->recv[r].cnt);
            bound += da->recv[r].cnt;
        }
    }
    TmMatching *mt = g_try_new0(TmMatching, 1);
    int32_t *buf = NULL, *ppos = NULL;
    if (mt == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate matching");
        return NULL;
    }
    mt->market = tm_market_ref(da->market);
    mt->proposals = da->proposals;
    TmMatchSide *MR = &mt->side[rs], *MP = &mt->side[ps];
    if (!(buf = tm_i_try_alloc(room_max, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(MR->off = tm_i_try_alloc((int64_t)R->n + 1, sizeof(int32_t), TRUE, "matching offsets",
                                   error)))
        goto fail;
    /* receivers' side in one pass */
    if (!(MR->ids = tm_i_try_alloc(bound, sizeof(int32_t), FALSE, "matching partners", error)) ||
        !(MR->prank = tm_i_try_alloc(bound, sizeof(int32_t), FALSE, "matching ranks", error)) ||
        !alloc_side(MP, P->n, bound, error) ||
        !(ppos = tm_i_try_alloc(bound, sizeof(int32_t), FALSE, "solver result", error)))
        goto fail;
    int32_t j = 0;
    for (int32_t r = 0; r < R->n; r++) {
        MR->off[r] = j;
        int32_t n;
        if (!da->choice && da->recv[r].cnt <= 1) { /* the common case, no sort */
            const Held *h = da->heap + da->recv[r].off;
            if (da->recv[r].cnt == 0 || h->who < 0)
                continue;
            buf[0] = h->rank;
            n = 1;
        } else {
            n = held_sorted(da, r, buf);
        }
        for (int32_t i = 0; i < n; i++, j++) {
            int32_t e = R->off[r] + buf[i];
            MR->ids[j] = R->ids[e];
            MR->prank[j] = tm_i_rank(R, r, e);
            ppos[j] = R->rpos[e]; /* the proposer's position of r */
            MP->off[R->ids[e] + 1]++;
        }
    }
    MR->off[R->n] = j;
    mt->n_pairs = j;
    /* proposers' side: scatter (positions in prank for now), then sort each
     * (short) list by position and turn positions into ranks */
    for (int32_t p = 0; p < P->n; p++)
        MP->off[p + 1] += MP->off[p];
    for (int32_t r = 0; r < R->n; r++) {
        for (int32_t j = MR->off[r]; j < MR->off[r + 1]; j++) {
            int32_t slot = MP->off[MR->ids[j]]++;
            MP->ids[slot] = r;
            MP->prank[slot] = ppos[j];
        }
    }
    for (int32_t p = P->n; p > 0; p--)
        MP->off[p] = MP->off[p - 1];
    MP->off[0] = 0;
    for (int32_t p = 0; p < P->n; p++) {
        int32_t *ids = MP->ids + MP->off[p], *pos = MP->prank + MP->off[p];
        int32_t n = MP->off[p + 1] - MP->off[p];
        if (n > 32 && !sort_long_list(ids, pos, n, error))
            goto fail;
        for (int32_t i = 1; i < n && n <= 32; i++) {
            int32_t x = pos[i], y = ids[i], j = i - 1;
            while (j >= 0 && pos[j] > x) {
                pos[j + 1] = pos[j];
                ids[j + 1] = ids[j];
                j--;
            }
            pos[j + 1] = x;
            ids[j + 1] = y;
        }
        for (int32_t i = 0; P->rank && i < n; i++) /* strict lists: rank = position */
            pos[i] = P->rank[(int64_t)P->off[p] + pos[i]];
    }
    g_free(buf);
    g_free(ppos);
    return mt;

fail:
    g_free(buf);
    g_free(ppos);
    tm_matching_free(mt);
    return NULL;
}
