/* techmatch — deferred acceptance, either side proposing, any capacities.
 *
 * Proposers walk their reduced lists in order; each receiver keeps the ranks
 * of the proposers it holds in a max-heap (worst on top) of size
 * min(capacity, list length), all heaps in one flat array.  A proposal costs
 * one read of the reverse rank stored beside the proposer's entry and a
 * compare with the heap top; a displacement costs O(log c).  Free proposers
 * wait on a stack.  Time O(L log c), memory O(L + n).
 */
#include "core/internal.h"

#include <string.h>

void tm_solve_options_init(TmSolveOptions *options)
{
    if (options)
        memset(options, 0, sizeof *options);
}

/* Restores the max-heap property below the root after h[0] was replaced. */
static inline void sift_down(int32_t *h, int32_t n)
{
    int32_t i = 0, x = h[0];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] > h[c])
            c++;
        if (h[c] <= x)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static inline void sift_up(int32_t *h, int32_t i)
{
    int32_t x = h[i];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (h[p] >= x)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

#define TM_DA_CHECK_EVERY (1 << 16)

TmMatching *tm_solve_deferred_acceptance(TmMarket *market, TmSide proposing,
                                         const TmSolveOptions *options, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (market == NULL || !tm_i_side_ok(proposing)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            market ? "proposing side must be TM_SIDE_SUPPLY or TM_SIDE_DEMAND"
                                   : "market must not be NULL");
        return NULL;
    }
    TmSolveOptions defaults;
    tm_solve_options_init(&defaults);
    const TmSolveOptions *opt = options ? options : &defaults;

    const TmSideData *P = &market->side[proposing];
    const TmSideData *R = &market->side[TM_SIDE_OTHER(proposing)];
    const int32_t np = P->n, nr = R->n;

    int32_t *next = NULL, *held = NULL, *stack = NULL, *hoff = NULL, *hcnt = NULL, *heap = NULL;
    uint8_t *queued = NULL;
    int32_t *ps = NULL, *pr = NULL, *rs = NULL, *rr = NULL;
    TmMatching *result = NULL;

    if (!(next = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "solver state", error)) ||
        !(held = tm_i_try_alloc(np, sizeof(int32_t), TRUE, "solver state", error)) ||
        !(stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "solver stack", error)) ||
        !(queued = tm_i_try_alloc(np, 1, FALSE, "solver state", error)) ||
        !(hoff = tm_i_try_alloc((int64_t)nr + 1, sizeof(int32_t), FALSE, "solver heaps", error)) ||
        !(hcnt = tm_i_try_alloc(nr, sizeof(int32_t), TRUE, "solver heaps", error)))
        goto out;
    hoff[0] = 0;
    for (int32_t r = 0; r < nr; r++)
        hoff[r + 1] = hoff[r] + MIN(R->cap[r], R->off[r + 1] - R->off[r]);
    if (!(heap = tm_i_try_alloc(hoff[nr], sizeof(int32_t), FALSE, "solver heaps", error)))
        goto out;

    int32_t sp = 0;
    for (int32_t p = np - 1; p >= 0; p--) {
        next[p] = P->off[p];
        queued[p] = P->cap[p] > 0 && P->off[p] < P->off[p + 1];
        if (queued[p])
            stack[sp++] = p;
    }

    const int32_t *pids = P->ids, *prr = P->rrank, *poff = P->off, *pcap = P->cap;
    const int32_t *rids = R->ids, *roff = R->off;
    int64_t proposals = 0, next_check = TM_DA_CHECK_EVERY;
    const double total = market->n_pairs > 0 ? (double)market->n_pairs : 1.0;

    while (sp > 0) {
        int32_t p = stack[--sp];
        queued[p] = 0;
        int32_t e = next[p], end = poff[p + 1], h = held[p], c = pcap[p];
        while (h < c && e < end) {
            int32_t r = pids[e], rk = prr[e];
            e++;
            proposals++;
            int32_t *hp = heap + hoff[r];
            int32_t size = hcnt[r], room = hoff[r + 1] - hoff[r];
            if (size < room) {
                hp[size] = rk;
                sift_up(hp, size);
                hcnt[r] = size + 1;
                h++;
            } else if (room > 0 && rk < hp[0]) {
                int32_t loser = rids[roff[r] + hp[0]];
                hp[0] = rk;
                sift_down(hp, size);
                h++;
                held[loser]--;
                if (!queued[loser]) {
                    queued[loser] = 1;
                    stack[sp++] = loser;
                }
            }
        }
        next[p] = e;
        held[p] = h;
        if (proposals >= next_check) {
            next_check = proposals + TM_DA_CHECK_EVERY;
            if (opt->cancel && g_atomic_int_get(opt->cancel)) {
                g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                            "deferred acceptance cancelled after %" G_GINT64_FORMAT " proposals",
                            proposals);
                goto out;
            }
            if (opt->progress && (proposals & ((TM_DA_CHECK_EVERY << 4) - 1)) < TM_DA_CHECK_EVERY)
                opt->progress(MIN(1.0, (double)proposals / total), opt->progress_data);
        }
    }
    if (opt->cancel && g_atomic_int_get(opt->cancel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                    "deferred acceptance cancelled after %" G_GINT64_FORMAT " proposals",
                    proposals);
        goto out;
    }

    /* Collect pairs receiver by receiver, each in the receiver's rank order. */
    int64_t n_pairs = 0;
    for (int32_t r = 0; r < nr; r++)
        n_pairs += hcnt[r];
    if (!(ps = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(pr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rs = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)))
        goto out;
    int64_t k = 0;
    for (int32_t r = 0; r < nr; r++) {
        int32_t *hp = heap + hoff[r];
        if (hcnt[r] > 1)
            qsort(hp, (size_t)hcnt[r], sizeof(int32_t), cmp_int32);
        for (int32_t i = 0; i < hcnt[r]; i++) {
            int32_t pos = roff[r] + hp[i];
            rs[k] = r;
            rr[k] = hp[i];
            ps[k] = rids[pos];
            pr[k] = R->rrank[pos];
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
    g_free(next);
    g_free(held);
    g_free(stack);
    g_free(queued);
    g_free(hoff);
    g_free(hcnt);
    g_free(heap);
    g_free(ps);
    g_free(pr);
    g_free(rs);
    g_free(rr);
    return result;
}
