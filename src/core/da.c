/* techmatch — deferred acceptance, either side proposing, any capacities.
 *
 * Proposers walk their reduced lists in order.  Each receiver has one small
 * record (heap offset, room, count, rank of the worst held proposer), so the
 * common case — a full receiver refusing a worse proposal — costs the read of
 * the reverse rank stored beside the proposer's entry plus one record read and
 * a compare.  Held proposals (rank, proposer) sit in a max-heap per receiver
 * of size min(capacity, list length), all heaps in one flat array, so a
 * displacement names the loser without touching the receiver's list.  Free
 * proposers wait on a stack.  Time O(L log c), memory O(L + n).
 */
#include "core/internal.h"

#include <string.h>

/* A held proposal: the receiver's rank of the proposer, and the proposer. */
typedef struct {
    int32_t rank;
    int32_t who;
} Held;

/* Everything a proposal needs to know about a receiver, in one cache line
 * slot: where its heap is, its room (min(capacity, list length)), how many it
 * holds, and the rank of the worst held proposer (valid when full; -1 when
 * the room is 0, so that every proposal is refused by one compare). */
typedef struct {
    int32_t off, room, cnt, worst;
} Receiver;

/* A proposer's state, likewise in one slot: next entry to propose to, end of
 * its list, capacity left, and whether it waits on the stack. */
typedef struct {
    int32_t next, end, left, queued;
} Proposer;

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

static int cmp_held(const void *a, const void *b)
{
    int32_t x = ((const Held *)a)->rank, y = ((const Held *)b)->rank;
    return (x > y) - (x < y);
}

#define TM_DA_CHECK_EVERY (1 << 16)

TmMatching *tm_i_solve_plain(TmMarket *market, TmSide proposing, const TmControl *opt,
                             GError **error)
{

    const TmSideData *P = &market->side[proposing];
    const TmSideData *R = &market->side[TM_SIDE_OTHER(proposing)];
    const int32_t np = P->n, nr = R->n;

    int32_t *stack = NULL;
    Proposer *prop = NULL;
    Receiver *recv = NULL;
    Held *heap = NULL;
    int32_t *ps = NULL, *pr = NULL, *rs = NULL, *rr = NULL;
    TmMatching *result = NULL;

    if (!(prop = tm_i_try_alloc(np, sizeof(Proposer), FALSE, "solver state", error)) ||
        !(stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "solver stack", error)) ||
        !(recv = tm_i_try_alloc(nr, sizeof(Receiver), FALSE, "solver receivers", error)))
        goto out;
    int32_t seats = 0;
    for (int32_t r = 0; r < nr; r++) {
        int32_t room = MIN(R->cap[r], R->off[r + 1] - R->off[r]);
        recv[r].off = seats;
        recv[r].room = room;
        recv[r].cnt = 0;
        recv[r].worst = -1;
        seats += room;
    }
    if (!(heap = tm_i_try_alloc(seats, sizeof(Held), FALSE, "solver heaps", error)))
        goto out;

    int32_t sp = 0;
    for (int32_t p = np - 1; p >= 0; p--) {
        prop[p].next = P->off[p];
        prop[p].end = P->off[p + 1];
        prop[p].left = P->cap[p];
        prop[p].queued = P->cap[p] > 0 && P->off[p] < P->off[p + 1];
        if (prop[p].queued)
            stack[sp++] = p;
    }

    const int32_t *pids = P->ids, *prr = P->rrank;
    const int32_t *roff = R->off;
    int64_t proposals = 0, next_check = TM_DA_CHECK_EVERY;
    const double total = market->n_pairs > 0 ? (double)market->n_pairs : 1.0;

    while (sp > 0) {
        int32_t p = stack[--sp];
        Proposer *me = &prop[p];
        me->queued = 0;
        int32_t e = me->next, end = me->end, left = me->left;
        while (left > 0 && e < end) {
            int32_t r = pids[e], rk = prr[e];
            e++;
            proposals++;
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
                Proposer *lp = &prop[hp[0].who];
                int32_t loser = hp[0].who;
                hp[0].rank = rk;
                hp[0].who = p;
                sift_down(hp, rc->cnt);
                rc->worst = hp[0].rank;
                left--;
                lp->left++;
                if (!lp->queued) {
                    lp->queued = 1;
                    stack[sp++] = loser;
                }
            }
        }
        me->next = e;
        me->left = left;
        if (proposals >= next_check) {
            next_check = proposals + TM_DA_CHECK_EVERY;
            if (tm_cancel_is_triggered(opt->cancel)) {
                g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                            "deferred acceptance cancelled after %" G_GINT64_FORMAT " proposals",
                            proposals);
                goto out;
            }
            if (opt->progress && (proposals & ((TM_DA_CHECK_EVERY << 4) - 1)) < TM_DA_CHECK_EVERY)
                opt->progress(MIN(1.0, (double)proposals / total), opt->progress_data);
        }
    }
    if (tm_cancel_is_triggered(opt->cancel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                    "deferred acceptance cancelled after %" G_GINT64_FORMAT " proposals",
                    proposals);
        goto out;
    }

    /* Collect pairs receiver by receiver, each in the receiver's rank order. */
    int64_t n_pairs = 0;
    for (int32_t r = 0; r < nr; r++)
        n_pairs += recv[r].cnt;
    if (!(ps = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(pr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rs = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)))
        goto out;
    int64_t k = 0;
    for (int32_t r = 0; r < nr; r++) {
        Held *hp = heap + recv[r].off;
        if (recv[r].cnt > 1)
            qsort(hp, (size_t)recv[r].cnt, sizeof(Held), cmp_held);
        for (int32_t i = 0; i < recv[r].cnt; i++) {
            rs[k] = r;
            rr[k] = hp[i].rank;
            ps[k] = hp[i].who;
            pr[k] = R->rrank[roff[r] + hp[i].rank];
            k++;
        }
    }
    if (opt->progress)
        opt->progress(1.0, opt->progress_data);
    if (proposing == TM_SIDE_SUPPLY)
        result = tm_i_matching_build(market, ps, rs, pr, rr, n_pairs, proposals, error);
    else
        result = tm_i_matching_build(market, rs, ps, rr, pr, n_pairs, proposals, error);

out:
    g_free(prop);
    g_free(stack);
    g_free(recv);
    g_free(heap);
    g_free(ps);
    g_free(pr);
    g_free(rs);
    g_free(rr);
    return result;
}
