/* techmatch — strongly stable matchings for markets with ties (ties_private.h).
 *
 * The algorithm is the resident-oriented one of Irving, Manlove & Scott,
 * "Strong stability in the hospitals/residents problem" (STACS 2003), which
 * extends Irving's algorithm STRONG for the stable marriage problem with ties
 * ("Stable marriage and indifference", 1994) to incomplete lists and
 * capacities.  The proposing side must have capacities of at most 1 (the
 * "residents"); the other side (the "hospitals") may have any capacities, so
 * one-to-one markets are solved from either side and many-to-one markets
 * from their unit-capacity side.  Written from the papers' descriptions; the
 * data structures are this file's own.
 *
 * A pair is deleted only when no strongly stable matching contains it:
 *  - residents propose to every hospital of the first tie left on their
 *    lists (they are then provisionally assigned to each: the graph G);
 *  - a hospital with at least as many assignees as its capacity deletes every
 *    resident that it ranks strictly below `capacity' of its assignees
 *    ("dominated"), breaking assignments on the way;
 *  - when nobody is free, the reduced graph G_R is formed: a resident is
 *    bound to a hospital h it is assigned to when h is not over-subscribed
 *    or ranks the resident above its last tie (its "tail"); bound residents
 *    leave, each lowering the quota of every hospital it is bound to by one;
 *    what remains are the tail residents of over-subscribed hospitals.  The
 *    critical set Z of G_R (the residents left unmatched by some maximum
 *    matching under those quotas: the least set of maximum deficiency) is
 *    found from a maximum matching, and every hospital next to Z deletes its
 *    tail.  Residents that became free propose again; the loop ends when Z
 *    is empty.
 * The candidate matching then takes the maximum matching of G_R and gives
 * each bound resident a hospital it is bound to.  It is strongly stable, and
 * every resident has its best partner in any strongly stable matching,
 * unless a hospital that was ever full is not full in it, or a hospital that
 * never was full does not get every resident assigned to it; then no
 * strongly stable matching exists (IMS 2003; Scott's thesis, 2005).
 *
 * The matching of G_R is kept from one round to the next and repaired
 * (augmenting paths by breadth-first search; the vertices of a failed search
 * stay marked until the next augmentation, as in Kuhn's method), so the work
 * of a round is O(L + n) plus its augmentations, each O(L).  Every round
 * but the last deletes a pair, so there are at most L + 1 rounds, and there
 * are O(L + n) augmentations in all (the matching only loses pairs through
 * deletions, quota cuts and residents leaving G_R, each caused by one of at
 * most L deletions or proposals); the proposals and deletions themselves
 * cost O(L + n) in all.  Time O(L (L + n)) in the worst case, as IMS 2003's
 * O(L^2); memory O(L + n).
 *
 * Many-to-one markets with the multi-capacity side proposing (a hospital-
 * oriented algorithm) and many-to-many markets are refused with
 * TM_ERROR_UNSUPPORTED. */
#include "core/ties_private.h"

#include <string.h>

enum { DEAD = 1, ASG = 2 }; /* per pair (resident's entry): deleted, assigned */

#define STRONG_CHECK_EVERY 4096

typedef struct {
    const TmSideData *P, *Q; /* residents (proposing, capacity <= 1), hospitals */
    uint8_t *fl;             /* L: per resident entry */
    /* residents */
    int32_t *hs, *he; /* head tie [hs, he) of the list: alive entries = assigned */
    int32_t *halive;  /* alive entries in the head tie (0: free or done) */
    int32_t *mate;    /* matched entry in G_R, or -1 */
    int32_t *rstamp;
    uint8_t *in_r;          /* in G_R (assigned, bound to no hospital) */
    int32_t *stack, nstack; /* free residents */
    int32_t *queue;         /* BFS over residents */
    /* hospitals */
    int32_t *occ;   /* assignees */
    int32_t *cut;   /* entries at and after cut are deleted */
    int32_t *lst;   /* first entry of the last tie before cut */
    int32_t *nlast; /* assignees in that tie */
    int32_t *quota; /* quota in G_R */
    int32_t *mcnt;  /* residents matched to it in G_R */
    int32_t *hstamp;
    int32_t *par, *parr; /* BFS: entry and resident it was reached by */
    int32_t *hlist;      /* hospitals next to the critical set */
    uint8_t *full;       /* was ever full */
    int32_t stamp;
    int64_t proposals, deleted, steps;
} Strong;

static void strong_clear(Strong *s)
{
    void *p[] = {s->fl,    s->hs,     s->he,  s->halive, s->mate,  s->rstamp, s->in_r,
                 s->stack, s->queue,  s->occ, s->cut,    s->lst,   s->nlast,  s->quota,
                 s->mcnt,  s->hstamp, s->par, s->parr,   s->hlist, s->full};
    for (size_t i = 0; i < G_N_ELEMENTS(p); i++)
        g_free(p[i]);
}

static gboolean strong_alloc(Strong *s, int64_t L, int32_t np, int32_t nq, GError **error)
{
    const char *w = "strongly stable matching";
    return (s->fl = tm_i_try_alloc(L, 1, TRUE, w, error)) &&
           (s->hs = tm_i_try_alloc(np, sizeof(int32_t), FALSE, w, error)) &&
           (s->he = tm_i_try_alloc(np, sizeof(int32_t), FALSE, w, error)) &&
           (s->halive = tm_i_try_alloc(np, sizeof(int32_t), TRUE, w, error)) &&
           (s->mate = tm_i_try_alloc(np, sizeof(int32_t), FALSE, w, error)) &&
           (s->rstamp = tm_i_try_alloc(np, sizeof(int32_t), TRUE, w, error)) &&
           (s->in_r = tm_i_try_alloc(np, 1, TRUE, w, error)) &&
           (s->stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, w, error)) &&
           (s->queue = tm_i_try_alloc(np, sizeof(int32_t), FALSE, w, error)) &&
           (s->occ = tm_i_try_alloc(nq, sizeof(int32_t), TRUE, w, error)) &&
           (s->cut = tm_i_try_alloc(nq, sizeof(int32_t), FALSE, w, error)) &&
           (s->lst = tm_i_try_alloc(nq, sizeof(int32_t), FALSE, w, error)) &&
           (s->nlast = tm_i_try_alloc(nq, sizeof(int32_t), TRUE, w, error)) &&
           (s->quota = tm_i_try_alloc(nq, sizeof(int32_t), TRUE, w, error)) &&
           (s->mcnt = tm_i_try_alloc(nq, sizeof(int32_t), TRUE, w, error)) &&
           (s->hstamp = tm_i_try_alloc(nq, sizeof(int32_t), TRUE, w, error)) &&
           (s->par = tm_i_try_alloc(nq, sizeof(int32_t), FALSE, w, error)) &&
           (s->parr = tm_i_try_alloc(nq, sizeof(int32_t), FALSE, w, error)) &&
           (s->hlist = tm_i_try_alloc(nq, sizeof(int32_t), FALSE, w, error)) &&
           (s->full = tm_i_try_alloc(nq, 1, TRUE, w, error));
}

/* The resident entry of hospital entry @f, and the hospital entry of
 * resident entry @e. */
static inline int32_t r_entry(const Strong *s, int32_t f)
{
    return s->P->off[s->Q->ids[f]] + s->Q->rpos[f];
}

static inline int32_t h_entry(const Strong *s, int32_t e)
{
    return s->Q->off[s->P->ids[e]] + s->P->rpos[e];
}

/* A fresh stamp for the breadth-first searches (wrapping safely). */
static void new_stamp(Strong *s)
{
    if (s->stamp == INT32_MAX) {
        memset(s->rstamp, 0, (size_t)s->P->n * sizeof(int32_t));
        memset(s->hstamp, 0, (size_t)s->Q->n * sizeof(int32_t));
        s->stamp = 0;
    }
    s->stamp++;
}

/* Deletes the pair of resident @r's entry @e, breaking its assignment. */
static void delete_pair(Strong *s, int32_t r, int32_t e)
{
    if (s->fl[e] & DEAD)
        return;
    if (s->fl[e] & ASG) {
        s->occ[s->P->ids[e]]--;
        if (s->mate[r] == e)
            s->mate[r] = -1;
        if (--s->halive[r] == 0)
            s->stack[s->nstack++] = r; /* free again */
    }
    s->fl[e] = DEAD;
    s->deleted++;
}

/* After @h's entries from cut on were deleted: its last tie and the number
 * of its assignees there. */
static void find_last_tie(Strong *s, int32_t h)
{
    const TmSideData *Q = s->Q;
    int32_t k = s->cut[h];
    s->nlast[h] = 0;
    if (k > Q->off[h]) {
        const int32_t rk = tm_i_rank(Q, h, k - 1);
        k--;
        while (k > Q->off[h] && tm_i_rank(Q, h, k - 1) == rk)
            k--;
        for (int32_t f = k; f < s->cut[h]; f++)
            s->nlast[h] += (s->fl[r_entry(s, f)] & ASG) != 0;
    }
    s->lst[h] = k;
}

/* Deletes @h's last tie (dominated residents, or its tail). */
static void drop_last_tie(Strong *s, int32_t h)
{
    for (int32_t f = s->lst[h]; f < s->cut[h]; f++)
        delete_pair(s, s->Q->ids[f], r_entry(s, f));
    s->cut[h] = s->lst[h];
    find_last_tie(s, h);
}

/* Resident @r (free) proposes to every hospital of the first tie left on its
 * list.  FALSE when its list is used up. */
static gboolean propose(Strong *s, int32_t r)
{
    const TmSideData *P = s->P, *Q = s->Q;
    const int32_t end = P->off[r + 1];
    int32_t e = s->he[r];
    while (e < end && (s->fl[e] & DEAD))
        e++;
    if (e == end) {
        s->hs[r] = s->he[r] = end;
        return FALSE;
    }
    const int32_t rk = tm_i_rank(P, r, e);
    int32_t t = e + 1;
    while (t < end && tm_i_rank(P, r, t) == rk)
        t++;
    s->hs[r] = e;
    s->he[r] = t;
    s->halive[r] = 0;
    for (int32_t k = e; k < t; k++)
        s->halive[r] += !(s->fl[k] & DEAD);
    /* a hospital never deletes the resident that just proposed to it (no one
     * left on a list is dominated), so the tie stays whole during the loop */
    for (int32_t k = e; k < t; k++) {
        if (s->fl[k] & DEAD)
            continue;
        const int32_t h = P->ids[k], f = h_entry(s, k), c = Q->cap[h];
        s->fl[k] |= ASG;
        s->occ[h]++;
        s->proposals++;
        if (f >= s->lst[h])
            s->nlast[h]++;
        while (s->occ[h] >= c) {
            s->full[h] = 1;
            if (s->occ[h] - s->nlast[h] < c)
                break;
            drop_last_tie(s, h); /* c assignees rank above all of it */
        }
    }
    return TRUE;
}

static gboolean cancelled(const Strong *s, const TmControl *ctl, GError **error)
{
    if (!tm_cancel_is_triggered(ctl->cancel))
        return FALSE;
    g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                "strongly stable matching cancelled after %" G_GINT64_FORMAT
                " proposals and %" G_GINT64_FORMAT " deletions",
                s->proposals, s->deleted);
    return TRUE;
}

static gboolean propose_all(Strong *s, const TmControl *ctl, GError **error)
{
    while (s->nstack > 0) {
        const int32_t r = s->stack[--s->nstack];
        if (s->halive[r] == 0)
            (void)propose(s, r);
        if (++s->steps % STRONG_CHECK_EVERY == 0 && cancelled(s, ctl, error))
            return FALSE;
    }
    return TRUE;
}

/* Whether the assignment of resident entry @e binds the resident to its
 * hospital: the hospital is not over-subscribed, or ranks it above its tail. */
static inline gboolean binds(const Strong *s, int32_t e)
{
    const int32_t h = s->P->ids[e];
    return s->occ[h] <= s->Q->cap[h] || h_entry(s, e) < s->lst[h];
}

/* Forms G_R (membership of residents, quotas of hospitals) and keeps what
 * is still valid of the previous matching of G_R. */
static void form_reduced(Strong *s)
{
    const TmSideData *P = s->P, *Q = s->Q;
    for (int32_t h = 0; h < Q->n; h++) {
        const int32_t bound = s->occ[h] <= Q->cap[h] ? s->occ[h] : s->occ[h] - s->nlast[h];
        s->quota[h] = Q->cap[h] - bound;
        s->mcnt[h] = 0;
    }
    for (int32_t r = 0; r < P->n; r++) {
        gboolean in = s->halive[r] > 0;
        for (int32_t e = s->hs[r]; in && e < s->he[r]; e++)
            if (!(s->fl[e] & DEAD) && binds(s, e))
                in = FALSE;
        s->in_r[r] = (uint8_t)in;
        const int32_t m = s->mate[r];
        if (!in || m < 0 || (s->fl[m] & DEAD) || s->mcnt[P->ids[m]] >= s->quota[P->ids[m]])
            s->mate[r] = -1;
        else
            s->mcnt[P->ids[m]]++;
    }
}

/* Visits hospital @h from resident @r by entry @e during a search; queues
 * the residents matched to it.  TRUE when @h has room (an augmenting path
 * ends there). */
static gboolean visit(Strong *s, int32_t r, int32_t e, int32_t h, int32_t *qt)
{
    s->hstamp[h] = s->stamp;
    s->par[h] = e;
    s->parr[h] = r;
    if (s->mcnt[h] < s->quota[h])
        return TRUE;
    /* G_R's edges at an over-subscribed hospital are in its tail */
    for (int32_t f = s->lst[h]; f < s->cut[h]; f++) {
        const int32_t r2 = s->Q->ids[f];
        if (s->mate[r2] >= 0 && s->mate[r2] == r_entry(s, f) && s->rstamp[r2] != s->stamp) {
            s->rstamp[r2] = s->stamp;
            s->queue[(*qt)++] = r2;
        }
    }
    return FALSE;
}

/* One augmenting path from unmatched resident @r0 in G_R, by breadth-first
 * search; the marks of a failed search stay (nothing it reached can lead to
 * room until the matching changes). */
static gboolean augment(Strong *s, int32_t r0)
{
    const TmSideData *P = s->P;
    int32_t qh = 0, qt = 0;
    s->rstamp[r0] = s->stamp;
    s->queue[qt++] = r0;
    while (qh < qt) {
        const int32_t r = s->queue[qh++];
        for (int32_t e = s->hs[r]; e < s->he[r]; e++) {
            const int32_t h = P->ids[e];
            if ((s->fl[e] & DEAD) || s->hstamp[h] == s->stamp || !visit(s, r, e, h, &qt))
                continue;
            s->mcnt[h]++; /* flip the path back to r0 */
            for (int32_t x = h;;) {
                const int32_t rr = s->parr[x], prev = s->mate[rr];
                s->mate[rr] = s->par[x];
                if (prev < 0)
                    break;
                x = P->ids[prev];
            }
            new_stamp(s);
            return TRUE;
        }
    }
    return FALSE;
}

/* A maximum matching of G_R, then the hospitals next to its critical set
 * (reached by alternating paths from the unmatched residents) into hlist.
 * Returns their number, or -1 when cancelled. */
static int32_t critical_neighbours(Strong *s, const TmControl *ctl, GError **error)
{
    const TmSideData *P = s->P;
    new_stamp(s);
    for (int32_t r = 0; r < P->n; r++) {
        if (!s->in_r[r] || s->mate[r] >= 0)
            continue;
        (void)augment(s, r);
        if (++s->steps % 64 == 0 && cancelled(s, ctl, error))
            return -1;
    }
    new_stamp(s);
    int32_t qh = 0, qt = 0, nh = 0;
    for (int32_t r = 0; r < P->n; r++)
        if (s->in_r[r] && s->mate[r] < 0) {
            s->rstamp[r] = s->stamp;
            s->queue[qt++] = r;
        }
    while (qh < qt) {
        const int32_t r = s->queue[qh++];
        for (int32_t e = s->hs[r]; e < s->he[r]; e++) {
            const int32_t h = P->ids[e];
            if ((s->fl[e] & DEAD) || s->hstamp[h] == s->stamp)
                continue;
            (void)visit(s, r, e, h, &qt); /* no room: the matching is maximum */
            s->hlist[nh++] = h;
        }
    }
    return nh;
}

/* The candidate matching, checked; NULL with TM_ERROR_NO_SUCH_MATCHING when
 * it fails (then no strongly stable matching exists). */
static TmMatching *collect(Strong *s, TmMarket *market, TmSide proposing, GError **error)
{
    const TmSideData *P = s->P, *Q = s->Q;
    int64_t n = 0;
    for (int32_t r = 0; r < P->n; r++)
        n += s->halive[r] > 0;
    int32_t *pr = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error);
    int32_t *ph = pr ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error) : NULL;
    if (ph == NULL) {
        g_free(pr);
        return NULL;
    }
    memset(s->mcnt, 0, (size_t)Q->n * sizeof(int32_t));
    int64_t k = 0;
    for (int32_t r = 0; r < P->n; r++) {
        if (s->halive[r] == 0)
            continue;
        int32_t e = s->in_r[r] ? s->mate[r] : -1; /* matched: the critical set is empty */
        for (int32_t x = s->hs[r]; e < 0 && x < s->he[r]; x++)
            if (!(s->fl[x] & DEAD) && binds(s, x))
                e = x; /* a bound resident: to one of its hospitals */
        pr[k] = r;
        ph[k++] = P->ids[e];
        s->mcnt[P->ids[e]]++;
    }
    int32_t bad = -1;
    for (int32_t h = 0; h < Q->n && bad < 0; h++)
        if (s->mcnt[h] != (s->full[h] ? Q->cap[h] : s->occ[h]))
            bad = h;
    TmMatching *mt = NULL;
    if (bad >= 0)
        g_set_error(error, TM_ERROR, TM_ERROR_NO_SUCH_MATCHING,
                    "no strongly stable matching exists (%s %" G_GINT32_FORMAT
                    " cannot be given every partner strong stability requires of it)",
                    proposing == TM_SIDE_SUPPLY ? "demand agent" : "supply agent", bad);
    else if (proposing == TM_SIDE_SUPPLY)
        mt = tm_i_matching_build(market, pr, ph, NULL, NULL, n, s->proposals, error);
    else
        mt = tm_i_matching_build(market, ph, pr, NULL, NULL, n, s->proposals, error);
    g_free(pr);
    g_free(ph);
    return mt;
}

static TmMatching *solve_resident_oriented(TmMarket *market, TmSide proposing, const TmControl *ctl,
                                           GError **error)
{
    Strong s;
    memset(&s, 0, sizeof s);
    s.P = &market->side[proposing];
    s.Q = &market->side[!proposing];
    const TmSideData *P = s.P, *Q = s.Q;
    TmMatching *result = NULL;
    if (!strong_alloc(&s, market->n_pairs, P->n, Q->n, error))
        goto out;
    /* capacity 0 makes an agent unable ever to gain: its pairs never block */
    for (int32_t r = P->n - 1; r >= 0; r--) { /* the lowest id proposes first */
        s.hs[r] = s.he[r] = P->off[r];
        s.mate[r] = -1;
        if (P->cap[r] == 0)
            memset(s.fl + P->off[r], DEAD, (size_t)(P->off[r + 1] - P->off[r]));
        else
            s.stack[s.nstack++] = r;
    }
    for (int32_t h = 0; h < Q->n; h++) {
        s.cut[h] = Q->off[h + 1];
        if (Q->cap[h] == 0) {
            for (int32_t f = Q->off[h]; f < Q->off[h + 1]; f++)
                s.fl[r_entry(&s, f)] = DEAD;
            s.cut[h] = Q->off[h];
        }
        find_last_tie(&s, h);
    }
    if (cancelled(&s, ctl, error))
        goto out;
    for (;;) {
        if (!propose_all(&s, ctl, error))
            goto out;
        form_reduced(&s);
        const int32_t nh = critical_neighbours(&s, ctl, error);
        if (nh < 0)
            goto out;
        if (nh == 0)
            break;
        for (int32_t i = 0; i < nh; i++)
            drop_last_tie(&s, s.hlist[i]); /* the tails of N(Z) */
        if (cancelled(&s, ctl, error))
            goto out;
        tm_i_control_progress(
            ctl, market->n_pairs > 0 ? 0.99 * (double)s.deleted / (double)market->n_pairs : 0.0);
    }
    if (!cancelled(&s, ctl, error))
        result = collect(&s, market, proposing, error);
    if (result != NULL)
        tm_i_control_progress(ctl, 1.0);
out:
    strong_clear(&s);
    return result;
}

static gboolean unit_side(const TmSideData *sd)
{
    for (int32_t a = 0; a < sd->n; a++)
        if (sd->cap[a] > 1)
            return FALSE;
    return TRUE;
}

TmMatching *tm_i_solve_strong(TmMarket *market, TmSide proposing, const TmControl *ctl,
                              GError **error)
{
    const TmSide other = proposing == TM_SIDE_SUPPLY ? TM_SIDE_DEMAND : TM_SIDE_SUPPLY;
    if (unit_side(&market->side[proposing]))
        return solve_resident_oriented(market, proposing, ctl, error);
    if (unit_side(&market->side[other]))
        g_set_error(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                    "strongly stable matchings with the %s side proposing are not supported: "
                    "it has capacities above 1; propose from the %s side (capacities of at "
                    "most 1) for its optimal strongly stable matching",
                    proposing == TM_SIDE_SUPPLY ? "supply" : "demand",
                    other == TM_SIDE_SUPPLY ? "supply" : "demand");
    else
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "strongly stable matchings need one side with capacities of at "
                            "most 1 (one-to-one or many-to-one); this market is many-to-many");
    return NULL;
}
