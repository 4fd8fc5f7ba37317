/* techmatch — super-stable matchings for markets with ties (ties_private.h).
 *
 * The proposal–deletion scheme of Irving ("Stable marriage and indifference",
 * 1994, algorithm SUPER) as extended to hospitals/residents by Irving,
 * Manlove & Scott ("The hospitals/residents problem with ties", SWAT 2000:
 * HRT-super-res with the residents proposing and its hospital-oriented
 * counterpart), written here once for a proposing side P and a receiving
 * side R.  Pairs are deleted only when they belong to no super-stable
 * matching:
 *
 * - A proposer p that holds fewer assignments than its capacity offers to
 *   the whole next tie of its list (all of it, even beyond its capacity).
 *   Every non-deleted entry above that tie is then held, so in a
 *   super-stable M, p cannot be full with partners all strictly better than
 *   the tie: if (p, q) is not in M, p gains weakly from q.  (With unit
 *   proposers this is "a free resident applies to the head of its list".)
 * - So for every assignee a of a receiver q, (a, q) is in M or q is full in
 *   M with partners strictly better than a.  When q holds more than its
 *   capacity, with worst level w, M gives q its full capacity strictly above
 *   w: every entry of q at level >= w is deleted.  When q holds exactly its
 *   capacity, M gives q its capacity at levels <= w: entries strictly below
 *   w are deleted.  Deleting an entry breaks its assignment, if any.
 *
 * All deletions are made by receivers from the end of their own lists, so
 * each receiver's surviving list is a prefix (its "tail" index) and a
 * proposer's entry is deleted when it lies beyond the receiver's tail.
 *
 * At the end each proposer is at or above its capacity or has offered all of
 * its surviving list.  Counting assignments against any super-stable M shows
 * that one exists only if no proposer holds more than its capacity and no
 * receiver that was ever full is now below its capacity; then the
 * assignments are super-stable (a deleted pair's receiver is full with
 * partners strictly better; a pair never offered has a full proposer with
 * strictly better partners) and give every proposer the best min(capacity,
 * surviving list) entries of its surviving list, which contains every
 * partner it has in any super-stable matching: the proposing side's optimum.
 * This argument does not use unit capacities; the contract of tm_solve()
 * still limits super-stability to one-to-one and many-to-one markets.
 *
 * Capacity-0 agents never gain from a pair, so their pairs never block and
 * are deleted (receivers) or never offered (proposers) from the start.
 *
 * Time O(L + n): each entry is offered at most once, each receiver entry is
 * passed at most twice by the backward search for the worst assignee (an
 * entry passed and kept by a "full" step is deleted by the next step on that
 * receiver, which is an over-subscription).  Memory O(L + n).
 */
#include "core/ties_private.h"

#include <string.h>

#define TM_SUPER_CHECK_EVERY (1 << 16)

typedef struct {
    const TmSideData *P, *R;
    int32_t *pnext;  /* P: next entry to look at (entries before: offered or deleted) */
    int32_t *pcnt;   /* P: assignments held */
    int32_t *stack;  /* P: proposers that may have to offer */
    uint8_t *queued; /* P: on the stack */
    int32_t *tail;   /* R: end of the surviving prefix of the list */
    int32_t *rcnt;   /* R: assignments held */
    uint8_t *full;   /* R: has been full at some point */
    uint8_t *asg;    /* L, by receiver entry: the pair is assigned */
    int32_t sp;
    int64_t offers;
} Super;

static void super_clear(Super *s)
{
    g_free(s->pnext);
    g_free(s->pcnt);
    g_free(s->stack);
    g_free(s->queued);
    g_free(s->tail);
    g_free(s->rcnt);
    g_free(s->full);
    g_free(s->asg);
}

static gboolean super_init(Super *s, const TmMarket *m, TmSide proposing, GError **error)
{
    memset(s, 0, sizeof *s);
    s->P = &m->side[proposing];
    s->R = &m->side[TM_SIDE_OTHER(proposing)];
    const int32_t np = s->P->n, nr = s->R->n;
    const char *what = "super-stable matching";
    if (!(s->pnext = tm_i_try_alloc(np, sizeof(int32_t), FALSE, what, error)) ||
        !(s->pcnt = tm_i_try_alloc(np, sizeof(int32_t), TRUE, what, error)) ||
        !(s->stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, what, error)) ||
        !(s->queued = tm_i_try_alloc(np, sizeof(uint8_t), TRUE, what, error)) ||
        !(s->tail = tm_i_try_alloc(nr, sizeof(int32_t), FALSE, what, error)) ||
        !(s->rcnt = tm_i_try_alloc(nr, sizeof(int32_t), TRUE, what, error)) ||
        !(s->full = tm_i_try_alloc(nr, sizeof(uint8_t), TRUE, what, error)) ||
        !(s->asg = tm_i_try_alloc(m->n_pairs, sizeof(uint8_t), TRUE, what, error))) {
        super_clear(s);
        return FALSE;
    }
    for (int32_t q = 0; q < nr; q++) /* a capacity-0 receiver keeps nothing */
        s->tail[q] = s->R->cap[q] > 0 ? s->R->off[q + 1] : s->R->off[q];
    for (int32_t p = np - 1; p >= 0; p--) {
        s->pnext[p] = s->P->off[p];
        if (s->P->cap[p] > 0 && s->P->off[p] < s->P->off[p + 1]) {
            s->queued[p] = 1;
            s->stack[s->sp++] = p;
        }
    }
    return TRUE;
}

/* The receiver entry of proposer entry @e (of a proposer whose list holds
 * it), and whether that pair has been deleted. */
static inline int32_t recv_entry(const Super *s, int32_t e)
{
    return s->R->off[s->P->ids[e]] + s->P->rpos[e];
}

static inline gboolean deleted(const Super *s, int32_t e)
{
    return recv_entry(s, e) >= s->tail[s->P->ids[e]];
}

/* The level of the worst assignee of @q, which holds at least one. */
static int32_t worst_level(const Super *s, int32_t q)
{
    for (int32_t f = s->tail[q] - 1; f >= s->R->off[q]; f--)
        if (s->asg[f])
            return tm_i_rank(s->R, q, f);
    g_assert_not_reached();
    return -1;
}

/* Deletes the entries of @q from the end of its list while their level is
 * above @keep (worse than @keep), breaking the assignments among them. */
static void delete_below(Super *s, int32_t q, int32_t keep)
{
    const TmSideData *R = s->R;
    int32_t f = s->tail[q];
    while (f > R->off[q] && tm_i_rank(R, q, f - 1) > keep) {
        f--;
        if (!s->asg[f])
            continue;
        s->asg[f] = 0;
        s->rcnt[q]--;
        int32_t p = R->ids[f];
        if (--s->pcnt[p] < s->P->cap[p] && !s->queued[p]) {
            s->queued[p] = 1;
            s->stack[s->sp++] = p;
        }
    }
    s->tail[q] = f;
}

/* Proposer @p offers itself to the receiver of its entry @e (not deleted). */
static void offer(Super *s, int32_t p, int32_t e)
{
    const int32_t q = s->P->ids[e], cap = s->R->cap[q];
    s->offers++;
    s->asg[recv_entry(s, e)] = 1;
    s->pcnt[p]++;
    if (++s->rcnt[q] > cap) /* over-subscribed: nobody at the worst level stays */
        delete_below(s, q, worst_level(s, q) - 1);
    if (s->rcnt[q] == cap) { /* full: nobody strictly below the worst level */
        s->full[q] = 1;
        delete_below(s, q, worst_level(s, q));
    }
}

static gboolean cancelled(const Super *s, const TmControl *ctl, GError **error)
{
    if (!tm_cancel_is_triggered(ctl->cancel))
        return FALSE;
    g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                "super-stable matching cancelled after %" G_GINT64_FORMAT " proposals", s->offers);
    return TRUE;
}

/* Offers until no proposer below its capacity has a tie left to offer. */
static gboolean run(Super *s, const TmControl *ctl, double total, GError **error)
{
    const TmSideData *P = s->P;
    int64_t next_check = TM_SUPER_CHECK_EVERY;
    while (s->sp > 0) {
        const int32_t p = s->stack[--s->sp];
        s->queued[p] = 0;
        const int32_t end = P->off[p + 1];
        int32_t e = s->pnext[p];
        while (s->pcnt[p] < P->cap[p]) {
            while (e < end && deleted(s, e))
                e++;
            if (e == end)
                break;
            const int32_t level = tm_i_rank(P, p, e);
            for (; e < end && tm_i_rank(P, p, e) == level; e++)
                if (!deleted(s, e))
                    offer(s, p, e);
        }
        s->pnext[p] = e;
        if (s->offers >= next_check) {
            next_check = s->offers + TM_SUPER_CHECK_EVERY;
            if (cancelled(s, ctl, error))
                return FALSE;
            tm_i_control_progress(ctl, MIN(1.0, (double)s->offers / total));
        }
    }
    return !cancelled(s, ctl, error);
}

/* TRUE when the assignments are a super-stable matching, else FALSE with
 * TM_ERROR_NO_SUCH_MATCHING naming the first witness that none exists. */
static gboolean exists(const Super *s, TmSide proposing, GError **error)
{
    static const char *const names[2] = {"supply", "demand"};
    const TmSide rside = TM_SIDE_OTHER(proposing);
    for (int32_t p = 0; p < s->P->n; p++) {
        if (s->pcnt[p] > s->P->cap[p]) {
            g_set_error(error, TM_ERROR, TM_ERROR_NO_SUCH_MATCHING,
                        "no super-stable matching exists: %s agent %d is left holding %d "
                        "partners for a capacity of %d (a tie it cannot split)",
                        names[proposing], p, s->pcnt[p], s->P->cap[p]);
            return FALSE;
        }
    }
    for (int32_t q = 0; q < s->R->n; q++) {
        if (s->full[q] && s->rcnt[q] < s->R->cap[q]) {
            g_set_error(error, TM_ERROR, TM_ERROR_NO_SUCH_MATCHING,
                        "no super-stable matching exists: %s agent %d was full and is left "
                        "with %d of %d seats filled (tied candidates exclude each other)",
                        names[rside], q, s->rcnt[q], s->R->cap[q]);
            return FALSE;
        }
    }
    return TRUE;
}

static TmMatching *collect(TmMarket *market, const Super *s, TmSide proposing, GError **error)
{
    int64_t n = 0;
    for (int32_t q = 0; q < s->R->n; q++)
        n += s->rcnt[q];
    int32_t *ps = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error);
    int32_t *rs = ps ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error) : NULL;
    TmMatching *mt = NULL;
    if (rs != NULL) {
        int64_t k = 0;
        for (int32_t q = 0; q < s->R->n; q++)
            for (int32_t f = s->R->off[q]; f < s->tail[q]; f++)
                if (s->asg[f]) {
                    ps[k] = s->R->ids[f];
                    rs[k++] = q;
                }
        g_assert(k == n);
        mt = proposing == TM_SIDE_SUPPLY
                 ? tm_i_matching_build(market, ps, rs, NULL, NULL, n, s->offers, error)
                 : tm_i_matching_build(market, rs, ps, NULL, NULL, n, s->offers, error);
    }
    g_free(ps);
    g_free(rs);
    return mt;
}

static gboolean many_to_many(const TmMarket *m)
{
    gboolean multi[2] = {FALSE, FALSE};
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < m->side[side].n && !multi[side]; a++)
            multi[side] = m->side[side].cap[a] > 1;
    return multi[0] && multi[1];
}

TmMatching *tm_i_solve_super(TmMarket *market, TmSide proposing, const TmControl *ctl,
                             GError **error)
{
    if (many_to_many(market)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "super-stable matchings need one side with capacities of at most 1 "
                            "(one-to-one or many-to-one); this market is many-to-many");
        return NULL;
    }
    Super s;
    if (!super_init(&s, market, proposing, error))
        return NULL;
    const double total = market->n_pairs > 0 ? (double)market->n_pairs : 1.0;
    TmMatching *mt = NULL;
    if (run(&s, ctl, total, error) && exists(&s, proposing, error))
        mt = collect(market, &s, proposing, error);
    if (mt != NULL)
        tm_i_control_progress(ctl, 1.0);
    super_clear(&s);
    return mt;
}
