/* techmatch — Király's large weakly stable matchings for markets with ties
 * (ties_private.h).
 *
 * The variant: Algorithm "New" of Z. Király, "Linear time local
 * approximation algorithm for maximum stable marriage", Algorithms 6 (2013)
 * 471–484, Section 3 — ties on both sides, incomplete lists.  Its guarantee:
 * the result is weakly stable and has at least 2/3 as many pairs as a
 * largest weakly stable matching (a 3/2-approximation of MAX-SMTI).  Time
 * and memory O(L + n) one-to-one.  The proposing side of the options plays
 * the men, the other side the women.  The rules, in the paper's terms:
 *
 * - A man walks his list tie by tie, in up to two laps.  In his first lap he
 *   is a *lad*; when every woman of his list has rejected him he is
 *   *promoted* to *bachelor* and walks his whole list once more; rejected
 *   again by all, he is an *old bachelor* and stops.
 * - A woman who has had no proposal yet is a *maiden*.  Within a tie a man
 *   prefers maidens: he first offers himself to the maidens of the tie
 *   (pass 1), then to the tie's other women who have not rejected him in
 *   this lap (pass 2).
 * - An engaged man is *uncertain* while his current tie still holds a maiden
 *   he has not proposed to: he would be as happy with her.  A woman engaged
 *   to an uncertain man is flighty: she accepts the next proposal, whoever
 *   makes it, and the uncertain man keeps her on his list (he is not
 *   rejected for good: he goes on to the maiden and may come back to her in
 *   pass 2).  Each of these rules is needed: without it the tests find
 *   instances below 2/3 of the maximum, or (striking her off his list)
 *   blocking pairs.
 * - Otherwise a woman compares by her ranks; between men she ranks equally
 *   she prefers a bachelor to a lad, and keeps her fiancé when both are of
 *   the same kind.  The man she refuses (the proposer or her fiancé) is
 *   rejected for the rest of his lap.
 *
 * Why it is linear and correct (our reading of the paper's proof): a man is
 * uncertain only toward a woman who was a maiden when he proposed, so a
 * woman is fickle at most once (toward her first proposer) and from then on
 * her fiancés only improve in her order (ranks, bachelors first); each man
 * visits each entry at most twice per lap (once per pass).  A man passes a
 * woman only after she rejected him for good while holding someone she
 * ranks at least as well — so no pair blocks — and a final old bachelor m1
 * whose OPT partner w1 holds m2 whose OPT partner w2 is still a maiden
 * cannot exist: either m2 ranks w1 above w2, and then w1 would have kept the
 * bachelor m1 rather than the lad m2 (OPT's stability makes her rank m1 at
 * least as well as m2), or m2 ranks them equally, and then m2 was uncertain
 * when the bachelor m1 proposed to w1, who would have taken m1.  So M ∪ OPT
 * has no augmenting path of length 1 or 3, which gives |M| >= 2/3 |OPT|.
 *
 * Capacities.  A side with capacities above 1 is cloned: an agent of
 * capacity c becomes min(c, its list length) unit copies sharing its list;
 * the other side lists the copies consecutively where it listed the
 * original, all at the original's rank (tied with each other and with
 * whatever was tied with the original).  Keeping the copies tied, rather
 * than ordering them strictly, is what preserves both weak stability (every
 * strict preference of the original survives, none is added) and the size
 * of the largest weakly stable matching (any weakly stable matching of the
 * original spreads onto the copies in any order and stays weakly stable),
 * so the 2/3 guarantee holds for the original market; a strict order among
 * the copies adds strict preferences against the original's ties and can
 * make the largest weakly stable matching of the clone smaller (the tests
 * show one).  The copies are merged back at the end.  Many-to-many (both
 * sides above 1) is refused: copies of one pair could then be matched
 * twice.  Time and memory O(L·c), c the largest capacity (clamped to the
 * list length).
 */
#include "core/ties_private.h"

#include <string.h>

/* The one-to-one market of unit copies, men = the proposing side. */
typedef struct {
    int64_t nm, nw, L;
    int64_t *off;   /* nm + 1: entries of man copy m */
    int32_t *w;     /* L: woman copy */
    int32_t *mr;    /* L: the man's rank of her */
    int32_t *wr;    /* L: her rank of him */
    int32_t *morig; /* nm: the original agent of each copy */
    int32_t *worig; /* nw */
} Clone;

/* A man: his current tie [ts, te), the pass-1 cursor p1 (next entry to check
 * for a maiden), the pass-2 cursor p2, the entry of his fiancée (-1 when
 * free) and his lap (0 lad, 1 bachelor, 2 old bachelor: done). */
typedef struct {
    int64_t ts, te, p1, p2, fe;
    int32_t lap;
} Man;

typedef struct {
    const Clone *c;
    Man *men;
    int32_t *fiance; /* nw: man copy engaged to each woman copy, -1 = maiden */
    uint8_t *rej;    /* L: lap + 1 when that entry rejected him for good in that lap */
    int32_t *stack;  /* free men still to walk */
    int64_t sp;
    int64_t proposals;
} Run;

#define KIRALY_CHECK_EVERY 4096

static void clone_clear(Clone *c)
{
    g_free(c->off);
    g_free(c->w);
    g_free(c->mr);
    g_free(c->wr);
    g_free(c->morig);
    g_free(c->worig);
    memset(c, 0, sizeof *c);
}

/* Number of unit copies of @a on side @sd. */
static int64_t n_copies(const TmSideData *sd, int32_t a)
{
    int64_t len = sd->off[a + 1] - sd->off[a];
    return MIN((int64_t)sd->cap[a], len);
}

/* Fills @orig (when not NULL) with the original of each copy; returns the
 * number of copies of side @sd, and each agent's first copy in @base. */
static int64_t side_copies(const TmSideData *sd, int64_t *base, int32_t *orig)
{
    int64_t k = 0;
    for (int32_t a = 0; a < sd->n; a++) {
        base[a] = k;
        for (int64_t j = n_copies(sd, a); j > 0; j--) {
            if (orig)
                orig[k] = a;
            k++;
        }
    }
    return k;
}

static gboolean clone_build(const TmMarket *market, TmSide proposing, Clone *c,
                            GError **error)
{
    const TmSideData *P = &market->side[proposing];
    const TmSideData *R = &market->side[TM_SIDE_OTHER(proposing)];
    memset(c, 0, sizeof *c);
    int64_t *pbase = tm_i_try_alloc((int64_t)P->n + 1, sizeof(int64_t), FALSE,
                                    "Király's algorithm", error);
    int64_t *rbase = pbase ? tm_i_try_alloc((int64_t)R->n + 1, sizeof(int64_t), FALSE,
                                            "Király's algorithm", error)
                           : NULL;
    if (rbase == NULL) {
        g_free(pbase);
        return FALSE;
    }
    c->nm = side_copies(P, pbase, NULL);
    c->nw = side_copies(R, rbase, NULL);
    /* entries of one copy of each proposer: its list with every receiver
     * widened to that receiver's copies */
    int64_t L = 0;
    for (int32_t a = 0; a < P->n; a++) {
        int64_t len = 0;
        for (int64_t e = P->off[a]; e < P->off[a + 1]; e++)
            len += n_copies(R, P->ids[e]);
        L += len * n_copies(P, a);
    }
    c->L = L;
    gboolean ok = TRUE;
    if (c->nm >= G_MAXINT32 || c->nw >= G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "Király's algorithm: %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                    " unit copies are too many",
                    c->nm, c->nw);
        ok = FALSE;
    }
    ok = ok &&
         (c->off = tm_i_try_alloc(c->nm + 1, sizeof(int64_t), FALSE, "Király's copies",
                                  error)) &&
         (c->w = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "Király's copies", error)) &&
         (c->mr = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "Király's copies", error)) &&
         (c->wr = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "Király's copies", error)) &&
         (c->morig = tm_i_try_alloc(c->nm, sizeof(int32_t), FALSE, "Király's copies",
                                    error)) &&
         (c->worig = tm_i_try_alloc(c->nw, sizeof(int32_t), FALSE, "Király's copies", error));
    if (ok) {
        side_copies(P, pbase, c->morig);
        side_copies(R, rbase, c->worig);
        int64_t m = 0, k = 0;
        c->off[0] = 0;
        for (int32_t a = 0; a < P->n; a++) {
            for (int64_t j = n_copies(P, a); j > 0; j--) {
                for (int64_t e = P->off[a]; e < P->off[a + 1]; e++) {
                    int32_t b = P->ids[e], mr = tm_i_rank(P, a, e), wr = tm_i_rrank(P, e);
                    for (int64_t t = 0; t < n_copies(R, b); t++) {
                        c->w[k] = (int32_t)(rbase[b] + t);
                        c->mr[k] = mr;
                        c->wr[k] = wr;
                        k++;
                    }
                }
                c->off[++m] = k;
            }
        }
    }
    g_free(pbase);
    g_free(rbase);
    if (!ok)
        clone_clear(c);
    return ok;
}

/* Man @m is engaged and uncertain: a maiden remains among his current tie's
 * entries not yet checked in pass 1.  Moves his pass-1 cursor past the women
 * who are no longer maidens (they would be skipped by pass 1 anyway), so the
 * question costs O(1) amortized. */
static gboolean uncertain(Run *r, int32_t m)
{
    Man *x = &r->men[m];
    while (x->p1 < x->te && r->fiance[r->c->w[x->p1]] >= 0)
        x->p1++;
    return x->p1 < x->te;
}

static void engage(Run *r, int32_t m, int64_t e)
{
    r->men[m].fe = e;
    r->fiance[r->c->w[e]] = m;
}

/* Frees the fiancé of a woman who has just taken another man; @for_good:
 * the entry is struck off his list for the rest of his lap. */
static void drop(Run *r, int32_t f, gboolean for_good)
{
    Man *x = &r->men[f];
    if (for_good)
        r->rej[x->fe] = (uint8_t)(x->lap + 1);
    x->fe = -1;
    r->stack[r->sp++] = f;
}

/* Man @m proposes along entry @e; TRUE when she accepts him. */
static gboolean propose(Run *r, int32_t m, int64_t e)
{
    const Clone *c = r->c;
    int32_t w = c->w[e], f = r->fiance[w];
    r->proposals++;
    if (f < 0) { /* a maiden takes anyone */
        engage(r, m, e);
        return TRUE;
    }
    if (uncertain(r, f)) { /* fickle toward an uncertain fiancé */
        drop(r, f, FALSE);
        engage(r, m, e);
        return TRUE;
    }
    int32_t rm = c->wr[e], rf = c->wr[r->men[f].fe];
    if (rm < rf || (rm == rf && r->men[m].lap > r->men[f].lap)) {
        drop(r, f, TRUE);
        engage(r, m, e);
        return TRUE;
    }
    return FALSE;
}

/* Walks free man @m until he is engaged or an old bachelor. */
static void walk(Run *r, int32_t m)
{
    const Clone *c = r->c;
    Man *x = &r->men[m];
    const int64_t start = c->off[m], end = c->off[m + 1];
    while (x->lap < 2) {
        if (x->p1 < x->te) { /* pass 1: the maidens of the tie */
            int64_t e = x->p1++;
            if (r->fiance[c->w[e]] < 0 && propose(r, m, e))
                return;
            continue;
        }
        if (x->p2 < x->te) { /* pass 2: everyone of the tie not lost for good */
            int64_t e = x->p2++;
            if (r->rej[e] == (uint8_t)(x->lap + 1))
                continue;
            if (propose(r, m, e))
                return;
            r->rej[e] = (uint8_t)(x->lap + 1);
            continue;
        }
        if (x->te == end) { /* list done: promotion, or the end */
            if (++x->lap == 2 || start == end) {
                x->lap = 2;
                return;
            }
            x->te = start;
        }
        x->ts = x->te;
        int64_t te = x->ts + 1;
        while (te < end && c->mr[te] == c->mr[x->ts])
            te++;
        x->te = te;
        x->p1 = x->p2 = x->ts;
    }
}

static gboolean cancelled(const Run *r, const TmControl *ctl, GError **error)
{
    if (!tm_cancel_is_triggered(ctl->cancel))
        return FALSE;
    g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                "Király's algorithm cancelled after %" G_GINT64_FORMAT " proposals",
                r->proposals);
    return TRUE;
}

/* Runs the men of @c to the end; FALSE with @error when cancelled. */
static gboolean run(Run *r, const TmControl *ctl, GError **error)
{
    const Clone *c = r->c;
    for (int64_t m = c->nm - 1; m >= 0; m--) {
        r->men[m] = (Man){ c->off[m], c->off[m], c->off[m], c->off[m], -1, 0 };
        r->stack[r->sp++] = (int32_t)m;
    }
    memset(r->fiance, 0xff, (size_t)c->nw * sizeof(int32_t));
    /* at most two proposals per entry and lap */
    const double total = c->L > 0 ? 4.0 * (double)c->L : 1.0;
    int64_t next_check = 0;
    while (r->sp > 0) {
        if (r->proposals >= next_check) {
            next_check = r->proposals + KIRALY_CHECK_EVERY;
            if (cancelled(r, ctl, error))
                return FALSE;
            tm_i_control_progress(ctl, MIN(1.0, (double)r->proposals / total));
        }
        walk(r, r->stack[--r->sp]);
    }
    if (cancelled(r, ctl, error))
        return FALSE;
    tm_i_control_progress(ctl, 1.0);
    return TRUE;
}

/* The matching of the copies, merged back onto @market. */
static TmMatching *collect(TmMarket *market, TmSide proposing, const Run *r, GError **error)
{
    const Clone *c = r->c;
    int64_t n = 0;
    for (int64_t m = 0; m < c->nm; m++)
        n += r->men[m].fe >= 0;
    int32_t *buf = tm_i_try_alloc(4 * n, sizeof(int32_t), FALSE, "matching pairs", error);
    if (buf == NULL)
        return NULL;
    int32_t *pa = buf, *ra = buf + n, *prk = buf + 2 * n, *rrk = buf + 3 * n;
    int64_t i = 0;
    for (int64_t m = 0; m < c->nm; m++) {
        int64_t e = r->men[m].fe;
        if (e < 0)
            continue;
        pa[i] = c->morig[m];
        ra[i] = c->worig[c->w[e]];
        prk[i] = c->mr[e];
        rrk[i] = c->wr[e];
        i++;
    }
    const gboolean sup = proposing == TM_SIDE_SUPPLY;
    TmMatching *mt = tm_i_matching_build(market, sup ? pa : ra, sup ? ra : pa, sup ? prk : rrk,
                                         sup ? rrk : prk, n, r->proposals, error);
    g_free(buf);
    return mt;
}

static gboolean has_cap_above_one(const TmSideData *sd)
{
    for (int32_t a = 0; a < sd->n; a++)
        if (sd->cap[a] > 1)
            return TRUE;
    return FALSE;
}

TmMatching *tm_i_solve_kiraly(TmMarket *market, TmSide proposing, const TmControl *ctl,
                              GError **error)
{
    if (has_cap_above_one(&market->side[TM_SIDE_SUPPLY]) &&
        has_cap_above_one(&market->side[TM_SIDE_DEMAND])) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "Király's algorithm supports one-to-one and many-to-one markets "
                            "only (both sides have capacities above 1)");
        return NULL;
    }
    Clone c;
    if (!clone_build(market, proposing, &c, error))
        return NULL;
    Run r = { &c, NULL, NULL, NULL, NULL, 0, 0 };
    TmMatching *mt = NULL;
    if ((r.men = tm_i_try_alloc(c.nm, sizeof(Man), FALSE, "Király's algorithm", error)) &&
        (r.fiance = tm_i_try_alloc(c.nw, sizeof(int32_t), FALSE, "Király's algorithm",
                                   error)) &&
        (r.rej = tm_i_try_alloc(c.L, sizeof(uint8_t), TRUE, "Király's algorithm", error)) &&
        (r.stack = tm_i_try_alloc(c.nm, sizeof(int32_t), FALSE, "Király's algorithm",
                                  error)) &&
        run(&r, ctl, error))
        mt = collect(market, proposing, &r, error);
    g_free(r.men);
    g_free(r.fiance);
    g_free(r.rej);
    g_free(r.stack);
    clone_clear(&c);
    return mt;
}
