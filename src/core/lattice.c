/* techmatch — the rotations of a market and their precedence (lattice.h).
 *
 * Everything runs on the copies of lattice_private.h without storing their
 * lists.  Deferred acceptance on the copies from each side gives the
 * supply-optimal matching M0 and the demand-optimal Mz.  Then one walk
 * (Gusfield & Irving 1989, 3.2): a supply copy m is *active* while its
 * partner differs from its partner in Mz; s(m) is the first demand copy after
 * m's partner, in m's expanded list, that prefers m to her own partner, and
 * next(m) is her partner.  The next of an active copy is active, so
 * following next from an active copy on a stack must close a cycle: the
 * cycle is a rotation exposed in the current matching, which is eliminated
 * (each m_i moves to s(m_i)); the stack below it stays valid.  Each copy's
 * scanning place only moves forward (the demand side only improves), so the
 * walk is O(L' + n').
 *
 * Precedence (Gusfield & Irving 3.3).  Type 1: the rotation that moved m to
 * the partner it leaves in rho precedes rho.  Type 2: when m passes over a
 * demand copy w on its way in rho, the rotation after which w first holds a
 * partner she prefers to m precedes rho (none when she already did in M0);
 * it is found by binary search in w's chain of partners, so this pass is
 * O(L' log n').
 */
#include "core/lattice_private.h"

#include <string.h>

static inline int32_t ccap(const TmLattice *lat, int side, int32_t a)
{
    return lat->coff[side][a + 1] - lat->coff[side][a];
}

/* Moves the slot (e, k) of an agent's list forward to the first real copy
 * (past entries whose agent has no copy); returns FALSE at the end. */
static inline gboolean norm_slot(const TmLattice *lat, int side, int32_t end, int32_t *e,
                                 int32_t *k)
{
    const int32_t *ids = lat->market->side[side].ids;
    while (*e < end && *k >= ccap(lat, 1 - side, ids[*e])) {
        (*e)++;
        *k = 0;
    }
    return *e < end;
}

/* The position that the receiving copy at slot (e, k) of a proposer on
 * @side gives the proposer's copy index @j. */
static inline int32_t back_pos(const TmLattice *lat, int side, int32_t e, int32_t j)
{
    const TmSideData *S = &lat->market->side[side], *T = &lat->market->side[1 - side];
    return lat->ccum[1 - side][T->off[S->ids[e]] + S->rpos[e]] + j;
}

static gboolean make_copies(TmLattice *lat, GError **error)
{
    gboolean multi[2] = { FALSE, FALSE };
    for (int side = 0; side < 2; side++) {
        const TmSideData *sd = &lat->market->side[side];
        if (!(lat->coff[side] = tm_i_try_alloc((int64_t)sd->n + 1, sizeof(int32_t), FALSE,
                                               "lattice copies", error)))
            return FALSE;
        int32_t total = 0; /* <= L <= INT32_MAX */
        for (int32_t a = 0; a < sd->n; a++) {
            int32_t c = MIN(sd->cap[a], sd->off[a + 1] - sd->off[a]);
            lat->coff[side][a] = total;
            total += c;
            multi[side] |= c > 1;
        }
        lat->coff[side][sd->n] = total;
        lat->nc[side] = total;
    }
    if (multi[0] && multi[1]) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "the lattice of stable matchings needs capacities above 1 on one "
                            "side only: this market is many-to-many (some supply and some "
                            "demand agent can each take several partners)");
        return FALSE;
    }
    for (int side = 0; side < 2; side++) {
        const TmSideData *sd = &lat->market->side[side];
        if (!(lat->corig[side] = tm_i_try_alloc(lat->nc[side], sizeof(int32_t), FALSE,
                                                "lattice copies", error)) ||
            !(lat->ccum[side] = tm_i_try_alloc(lat->market->n_pairs, sizeof(int32_t), FALSE,
                                               "lattice copies", error)))
            return FALSE;
        for (int32_t a = 0; a < sd->n; a++) {
            for (int32_t c = lat->coff[side][a]; c < lat->coff[side][a + 1]; c++)
                lat->corig[side][c] = a;
            int32_t acc = 0;
            for (int32_t e = sd->off[a]; e < sd->off[a + 1]; e++) {
                lat->ccum[side][e] = acc;
                acc += ccap(lat, 1 - side, sd->ids[e]);
            }
        }
    }
    return TRUE;
}

/* Deferred acceptance on the copies, side @P proposing.  Out: @held[w] the
 * proposer copy that receiver copy w holds (-1), @hpos[w] the position she
 * gives it (INT32_MAX), and (pe, pk) the slot each proposer holds (-1). */
static gboolean copies_da(const TmLattice *lat, int P, int32_t *held, int32_t *hpos,
                          int32_t *pe, int32_t *pk, GError **error)
{
    const TmSideData *S = &lat->market->side[P];
    const int32_t np = lat->nc[P], nq = lat->nc[1 - P];
    int32_t *stack = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "lattice solver", error);
    if (stack == NULL)
        return FALSE;
    for (int32_t w = 0; w < nq; w++) {
        held[w] = -1;
        hpos[w] = INT32_MAX;
    }
    int32_t sp = 0;
    for (int32_t p = np - 1; p >= 0; p--) {
        pe[p] = S->off[lat->corig[P][p]];
        pk[p] = 0;
        stack[sp++] = p;
    }
    while (sp > 0) {
        int32_t p = stack[--sp], a = lat->corig[P][p], j = p - lat->coff[P][a];
        int32_t e = pe[p], k = pk[p], end = S->off[a + 1];
        pe[p] = pk[p] = -1;
        while (norm_slot(lat, P, end, &e, &k)) {
            int32_t w = lat->coff[1 - P][S->ids[e]] + k, pos = back_pos(lat, P, e, j);
            if (pos < hpos[w]) {
                int32_t loser = held[w];
                held[w] = p;
                hpos[w] = pos;
                pe[p] = e;
                pk[p] = k;
                if (loser >= 0) {
                    pk[loser]++; /* resumes after the slot it lost */
                    stack[sp++] = loser;
                }
                break;
            }
            k++;
        }
    }
    g_free(stack);
    return TRUE;
}

/* State of the walk. */
typedef struct {
    TmLattice *lat;
    int32_t *ce, *ck;   /* supply copy: slot held */
    int32_t *se, *sk;   /* supply copy: next slot to scan */
    int32_t *mz;        /* supply copy: demand copy in Mz (-1) */
    int32_t *wpart;     /* demand copy: supply copy held */
    int32_t *wpos;      /* demand copy: position of it */
    int32_t *made;      /* supply copy: rotation that gave it its partner (-1) */
    TmIBuf rot[5];      /* rm, re_old, rk_old, re_new, rk_new */
    TmIBuf roff;
    TmIBuf edges;       /* (from, to) pairs */
} Walk;

static inline gboolean active(const Walk *W, int32_t m)
{
    return W->ce[m] >= 0 && tm_i_lat_woman(W->lat, W->ce[m], W->ck[m]) != W->mz[m];
}

/* s(m): the demand copy it would move to, its scanning slot left on her;
 * -1 if none (cannot happen for an active copy). */
static int32_t find_s(Walk *W, int32_t m)
{
    const TmLattice *lat = W->lat;
    int32_t a = lat->corig[0][m], j = m - lat->coff[0][a];
    int32_t e = W->se[m], k = W->sk[m], end = lat->market->side[0].off[a + 1];
    int32_t w = -1;
    while (norm_slot(lat, 0, end, &e, &k)) {
        int32_t x = tm_i_lat_woman(lat, e, k);
        if (back_pos(lat, 0, e, j) < W->wpos[x]) {
            w = x;
            break;
        }
        k++;
    }
    W->se[m] = e;
    W->sk[m] = k;
    return w;
}

static gboolean push_edge(Walk *W, int32_t from, int32_t to, GError **error)
{
    int32_t pair[2] = { from, to };
    return tm_i_buf_push(&W->edges, pair, "rotation precedence", error);
}

/* Eliminates the rotation stack[lo..top]. */
static gboolean eliminate(Walk *W, const int32_t *stack, int32_t lo, int32_t top,
                          GError **error)
{
    const TmLattice *lat = W->lat;
    int32_t r = (int32_t)W->roff.n - 1;
    for (int32_t i = lo; i <= top; i++) {
        int32_t m = stack[i];
        int32_t v[5] = { m, W->ce[m], W->ck[m], W->se[m], W->sk[m] };
        for (int t = 0; t < 5; t++)
            if (!tm_i_buf_push(&W->rot[t], &v[t], "rotations", error))
                return FALSE;
        if (W->made[m] >= 0 && !push_edge(W, W->made[m], r, error))
            return FALSE;
        W->made[m] = r;
    }
    for (int32_t i = lo; i <= top; i++) {
        int32_t m = stack[i], a = lat->corig[0][m];
        int32_t w = tm_i_lat_woman(lat, W->se[m], W->sk[m]);
        W->wpart[w] = m;
        W->wpos[w] = back_pos(lat, 0, W->se[m], m - lat->coff[0][a]);
        W->ce[m] = W->se[m];
        W->ck[m] = W->sk[m];
        W->sk[m]++;
    }
    int32_t next = (int32_t)W->rot[0].n;
    return tm_i_buf_push(&W->roff, &next, "rotations", error);
}

static gboolean walk(Walk *W, GError **error)
{
    const int32_t nm = W->lat->nc[0];
    int32_t *stack = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "rotation walk", error);
    int32_t *at = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "rotation walk", error);
    int32_t zero = 0, sp = 0;
    gboolean ok = stack && at && tm_i_buf_push(&W->roff, &zero, "rotations", error);
    for (int32_t m = 0; ok && m < nm; m++)
        at[m] = -1;
    for (int32_t m0 = 0; ok && m0 < nm; m0++) {
        while (ok && (sp > 0 || active(W, m0))) {
            if (sp == 0) {
                at[m0] = sp;
                stack[sp++] = m0;
            }
            int32_t m = stack[sp - 1], w = find_s(W, m);
            if (w < 0) { /* not reached: the next of an active copy is active */
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "internal error: rotation walk stuck at supply copy %d", m);
                ok = FALSE;
                break;
            }
            int32_t nx = W->wpart[w];
            if (at[nx] >= 0) {
                int32_t lo = at[nx];
                ok = eliminate(W, stack, lo, sp - 1, error);
                for (int32_t i = lo; i < sp; i++)
                    at[stack[i]] = -1;
                sp = lo;
            } else {
                at[nx] = sp;
                stack[sp++] = nx;
            }
        }
    }
    g_free(stack);
    g_free(at);
    return ok;
}

/* Type 2 edges, from each demand copy's chain of partners. */
static gboolean type2(Walk *W, const int32_t *wpos0, GError **error)
{
    TmLattice *lat = W->lat;
    const int32_t nw = lat->nc[1], P = (int32_t)W->rot[0].n;
    const int32_t *S_off = lat->market->side[0].off;
    int32_t *choff = tm_i_try_alloc((int64_t)nw + 1, sizeof(int32_t), TRUE, "rotation chains",
                                    error);
    int32_t *chrot = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "rotation chains", error);
    int32_t *chpos = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "rotation chains", error);
    gboolean ok = choff && chrot && chpos;
    for (int32_t i = 0; ok && i < P; i++)
        choff[tm_i_lat_woman(lat, lat->re_new[i], lat->rk_new[i]) + 1]++;
    for (int32_t w = 0; ok && w < nw; w++)
        choff[w + 1] += choff[w];
    for (int32_t r = 0; ok && r < lat->R; r++) {
        for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
            int32_t m = lat->rm[i], j = m - lat->coff[0][lat->corig[0][m]];
            int32_t w = tm_i_lat_woman(lat, lat->re_new[i], lat->rk_new[i]);
            int32_t t = choff[w]++;
            chrot[t] = r;
            chpos[t] = back_pos(lat, 0, lat->re_new[i], j);
        }
    }
    for (int32_t w = nw; ok && w > 0; w--)
        choff[w] = choff[w - 1];
    if (ok)
        choff[0] = 0;
    for (int32_t r = 0; ok && r < lat->R; r++) {
        for (int32_t i = lat->roff[r]; ok && i < lat->roff[r + 1]; i++) {
            int32_t m = lat->rm[i], a = lat->corig[0][m], j = m - lat->coff[0][a];
            int32_t e = lat->re_old[i], k = lat->rk_old[i] + 1, end = S_off[a + 1];
            while (ok && norm_slot(lat, 0, end, &e, &k) &&
                   !(e == lat->re_new[i] && k == lat->rk_new[i])) {
                int32_t w = tm_i_lat_woman(lat, e, k), pm = back_pos(lat, 0, e, j);
                if (wpos0[w] > pm) { /* she took someone better than m later on */
                    int32_t lo = choff[w], hi = choff[w + 1]; /* first chpos < pm */
                    while (lo < hi) {
                        int32_t mid = lo + (hi - lo) / 2;
                        if (chpos[mid] < pm)
                            hi = mid;
                        else
                            lo = mid + 1;
                    }
                    if (lo < choff[w + 1])
                        ok = push_edge(W, chrot[lo], r, error);
                }
                k++;
            }
        }
    }
    g_free(choff);
    g_free(chrot);
    g_free(chpos);
    return ok;
}

/* Deduplicated CSR of the edges, by target (pred) and by source (succ). */
static gboolean edges_csr(TmLattice *lat, const TmIBuf *edges, GError **error)
{
    const int32_t R = lat->R;
    const int32_t(*ed)[2] = edges->v;
    int32_t *mark = tm_i_try_alloc(R, sizeof(int32_t), FALSE, "rotation precedence", error);
    lat->poff = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), TRUE, "rotation precedence",
                               error);
    lat->soff = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), TRUE, "rotation precedence",
                               error);
    int32_t *tmp = tm_i_try_alloc(edges->n, sizeof(int32_t), FALSE, "rotation precedence",
                                  error);
    int32_t *toff = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), TRUE,
                                   "rotation precedence", error);
    gboolean ok = mark && lat->poff && lat->soff && tmp && toff;
    if (ok) {
        for (int64_t i = 0; i < edges->n; i++)
            toff[ed[i][1] + 1]++;
        for (int32_t r = 0; r < R; r++)
            toff[r + 1] += toff[r];
        for (int64_t i = 0; i < edges->n; i++)
            tmp[toff[ed[i][1]]++] = ed[i][0];
        for (int32_t r = R; r > 0; r--)
            toff[r] = toff[r - 1];
        toff[0] = 0;
        for (int32_t r = 0; r < R; r++)
            mark[r] = -1;
        int32_t n = 0; /* compact in place, rows ascending after a sort */
        for (int32_t r = 0; r < R; r++) {
            int32_t start = n;
            for (int32_t i = toff[r]; i < toff[r + 1]; i++)
                if (mark[tmp[i]] != r) {
                    mark[tmp[i]] = r;
                    tmp[n++] = tmp[i];
                }
            for (int32_t i = start + 1; i < n; i++) { /* rows are short: insertion */
                int32_t x = tmp[i], q = i - 1;
                while (q >= start && tmp[q] > x) {
                    tmp[q + 1] = tmp[q];
                    q--;
                }
                tmp[q + 1] = x;
            }
            lat->poff[r + 1] = n;
        }
        lat->pred = tmp;
        tmp = NULL;
        ok = (lat->succ = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "rotation precedence",
                                         error)) != NULL;
    }
    if (ok) {
        for (int32_t i = 0; i < lat->poff[R]; i++)
            lat->soff[lat->pred[i] + 1]++;
        for (int32_t r = 0; r < R; r++)
            lat->soff[r + 1] += lat->soff[r];
        memcpy(toff, lat->soff, (size_t)R * sizeof(int32_t));
        for (int32_t r = 0; r < R; r++) /* ascending r keeps each row sorted */
            for (int32_t i = lat->poff[r]; i < lat->poff[r + 1]; i++)
                lat->succ[toff[lat->pred[i]]++] = r;
    }
    g_free(mark);
    g_free(tmp);
    g_free(toff);
    return ok;
}

static gboolean build(TmLattice *lat, GError **error)
{
    const int32_t nm = lat->nc[0], nw = lat->nc[1];
    Walk W = { .lat = lat };
    for (int t = 0; t < 5; t++)
        W.rot[t] = (TmIBuf)TM_I_BUF_INIT(int32_t);
    W.roff = (TmIBuf)TM_I_BUF_INIT(int32_t);
    W.edges = (TmIBuf)TM_I_BUF_INIT(int32_t[2]);
    int32_t *ze = NULL, *zk = NULL, *zpos = NULL, *wpos0 = NULL;
    gboolean ok =
        (W.ce = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.ck = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (lat->top_e = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (lat->top_k = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.se = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.sk = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.mz = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.made = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.wpart = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.wpos = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        (wpos0 = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        (ze = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        (zk = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        (zpos = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        copies_da(lat, 0, W.wpart, W.wpos, W.ce, W.ck, error) &&
        copies_da(lat, 1, W.mz, zpos, ze, zk, error);
    if (ok) {
        /* the walk starts from M0 and moves ce/ck: M0 is kept in top_e/top_k */
        memcpy(wpos0, W.wpos, (size_t)nw * sizeof(int32_t));
        for (int32_t m = 0; m < nm; m++) {
            lat->n_pairs += W.ce[m] >= 0;
            W.se[m] = W.ce[m];
            W.sk[m] = W.ck[m] + 1;
            W.made[m] = -1;
        }
        memcpy(lat->top_e, W.ce, (size_t)nm * sizeof(int32_t));
        memcpy(lat->top_k, W.ck, (size_t)nm * sizeof(int32_t));
        ok = walk(&W, error);
    }
    if (ok) {
        lat->R = (int32_t)W.roff.n - 1;
        lat->roff = W.roff.v;
        W.roff.v = NULL;
        int32_t **dst[5] = { &lat->rm, &lat->re_old, &lat->rk_old, &lat->re_new, &lat->rk_new };
        for (int t = 0; t < 5; t++) {
            *dst[t] = W.rot[t].v ? W.rot[t].v : g_new0(int32_t, 1);
            W.rot[t].v = NULL;
        }
        ok = type2(&W, wpos0, error) && edges_csr(lat, &W.edges, error);
    }
    g_free(W.ce);
    g_free(W.ck);
    g_free(W.se);
    g_free(W.sk);
    g_free(W.mz);
    g_free(W.made);
    g_free(W.wpart);
    g_free(W.wpos);
    g_free(wpos0);
    g_free(ze);
    g_free(zk);
    g_free(zpos);
    for (int t = 0; t < 5; t++)
        g_free(W.rot[t].v);
    g_free(W.roff.v);
    g_free(W.edges.v);
    return ok;
}

TmLattice *tm_lattice_new(TmMarket *market, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (market == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "market must not be NULL");
        return NULL;
    }
    if (tm_i_market_has_ties(market)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "the market has ties (equally ranked partners): the lattice of "
                            "stable matchings needs strict preference lists");
        return NULL;
    }
    TmLattice *lat = g_new0(TmLattice, 1);
    lat->refcount = 1;
    lat->market = tm_market_ref(market);
    if (!make_copies(lat, error) || !build(lat, error)) {
        tm_lattice_free(lat);
        return NULL;
    }
    return lat;
}

TmLattice *tm_lattice_ref(TmLattice *lattice)
{
    if (lattice)
        g_atomic_int_inc(&lattice->refcount);
    return lattice;
}

void tm_lattice_free(TmLattice *lattice)
{
    if (lattice == NULL || !g_atomic_int_dec_and_test(&lattice->refcount))
        return;
    for (int side = 0; side < 2; side++) {
        g_free(lattice->coff[side]);
        g_free(lattice->corig[side]);
        g_free(lattice->ccum[side]);
    }
    g_free(lattice->top_e);
    g_free(lattice->top_k);
    g_free(lattice->roff);
    g_free(lattice->rm);
    g_free(lattice->re_old);
    g_free(lattice->rk_old);
    g_free(lattice->re_new);
    g_free(lattice->rk_new);
    g_free(lattice->poff);
    g_free(lattice->pred);
    g_free(lattice->soff);
    g_free(lattice->succ);
    tm_market_free(lattice->market);
    g_free(lattice);
}
