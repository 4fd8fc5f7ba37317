/* techmatch — the rotations of a market and their precedence (lattice.h).
 *
 * Everything runs on the copies of lattice_private.h without storing their
 * lists.  The supply-optimal matching M0 and the demand-optimal Mz are the
 * library's deferred acceptance on the market itself (da.c), each turned
 * into a matching of the copies: in every stable matching of the copies the
 * copies of an agent hold its partners in its order of preference, filled
 * copies first (else a partner and a better copy would block), so the
 * copies' matching is determined by the market's.  Then one walk (Gusfield
 * & Irving 1989, 3.2): a supply copy m is *active* while its partner differs
 * from its partner in Mz; s(m) is the first demand copy after m's partner,
 * in m's expanded list, that prefers m to her own partner, and next(m) is
 * her partner.  The next of an active copy is active, so following next from
 * an active copy on a stack must close a cycle: the cycle is a rotation
 * exposed in the current matching, which is eliminated (each m_i moves to
 * s(m_i)); the stack below it stays valid.  Each copy's scanning place only
 * moves forward (the demand side only improves), so the walk is O(L' + n').
 * The copies of one demand agent hold partners she ranks in the order of the
 * copies, so an entry none of whose copies takes m is passed over after one
 * test of its last copy (and of her copies' M0 partners, for the notes
 * below): in practice O(L + n') plus the notes.  With one copy per supply
 * agent the position a demand copy gives m is the market's rpos, so nothing
 * of size L is built; otherwise one array (bpos) is.  A supply copy's walk
 * state is one aligned record; a demand copy's, what the scan reads of her.
 *
 * Precedence (Gusfield & Irving 3.3).  Type 1: the rotation that moved m to
 * the partner it leaves in rho precedes rho.  Type 2: when m passes over a
 * demand copy w on its way in rho, the rotation after which w first holds a
 * partner she prefers to m precedes rho (none when she already did in M0).
 * The walk notes each such (w, m's position) as it passes w — she already
 * holds someone better then — and, once every rotation is known, each note
 * is resolved by binary search in w's chain of partners: O(notes · log n').
 */
#include "core/lattice_private.h"
#include "core/control.h"
#include "core/da_private.h"

#include <string.h>

static inline int32_t ccap(const TmLattice *lat, int side, int32_t a)
{
    return lat->coff[side][a + 1] - lat->coff[side][a];
}

/* tm_i_buf_push() of @n int32 with the common case (room left) inline. */
static inline gboolean push_i32(TmIBuf *b, const int32_t *x, int n, const char *what,
                                GError **error)
{
    if (G_LIKELY(b->n < b->cap)) {
        int32_t *dst = (int32_t *)b->v + b->n * n;
        for (int i = 0; i < n; i++)
            dst[i] = x[i];
        b->n++;
        return TRUE;
    }
    return tm_i_buf_push(b, x, what, error);
}

static gboolean make_copies(TmLattice *lat, GError **error)
{
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
            lat->multi[side] |= c > 1;
        }
        lat->coff[side][sd->n] = total;
        lat->nc[side] = total;
    }
    if (lat->multi[0] && lat->multi[1]) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "the lattice of stable matchings needs capacities above 1 on one "
                            "side only: this market is many-to-many (some supply and some "
                            "demand agent can each take several partners)");
        return FALSE;
    }
    for (int side = 0; side < 2; side++) {
        const TmSideData *sd = &lat->market->side[side];
        if (!(lat->corig[side] = tm_i_try_alloc(lat->nc[side], sizeof(int32_t), FALSE,
                                                "lattice copies", error)))
            return FALSE;
        for (int32_t a = 0; a < sd->n; a++)
            for (int32_t c = lat->coff[side][a]; c < lat->coff[side][a + 1]; c++)
                lat->corig[side][c] = a;
    }
    if (lat->multi[0]) { /* bpos[e]: supply copies before e's owner in the demand list */
        const TmSideData *S = &lat->market->side[0], *D = &lat->market->side[1];
        if (!(lat->bpos = tm_i_try_alloc(lat->market->n_pairs, sizeof(int32_t), FALSE,
                                         "lattice copies", error)))
            return FALSE;
        for (int32_t d = 0; d < D->n; d++) {
            int32_t acc = 0;
            for (int32_t f = D->off[d]; f < D->off[d + 1]; f++) {
                int32_t s = D->ids[f];
                lat->bpos[S->off[s] + D->rpos[f]] = acc;
                acc += ccap(lat, 0, s);
            }
        }
    }
    return TRUE;
}

/* The matching of @side proposing, by deferred acceptance on the market,
 * as the copies' matching: (pe, pk) for each supply copy (-1, -1 when
 * unmatched). */
static gboolean optimal_copies(TmLattice *lat, TmSide side, int32_t *pe, int32_t *pk,
                               GError **error)
{
    const TmControl ctl = { 0 };
    TmDa *da = tm_i_da_new(lat->market, side, NULL, error);
    TmMatching *mt = da && tm_i_da_run(da, &ctl, error) ? tm_i_da_collect(da, error) : NULL;
    tm_i_da_free(da);
    if (mt == NULL)
        return FALSE;
    const TmSideData *S = &lat->market->side[0];
    const TmMatchSide *ms = &mt->side[0], *md = &mt->side[1];
    for (int32_t m = 0; m < lat->nc[0]; m++)
        pe[m] = pk[m] = -1;
    for (int32_t s = 0; s < S->n; s++) /* partners best first: copy i, i-th partner */
        for (int32_t i = ms->off[s]; i < ms->off[s + 1]; i++) {
            int32_t m = lat->coff[0][s] + (i - ms->off[s]);
            pe[m] = S->off[s] + ms->prank[i]; /* strict lists: rank = position */
            pk[m] = 0;
        }
    if (lat->multi[1]) /* one copy per supply agent; demand copies in her order */
        for (int32_t d = 0; d < lat->market->side[1].n; d++)
            for (int32_t i = md->off[d]; i < md->off[d + 1]; i++)
                pk[lat->coff[0][md->ids[i]]] = i - md->off[d];
    tm_matching_free(mt);
    return TRUE;
}

/* What the walk records per rotation pair, one record each: the five fields
 * the lattice keeps (copied out when the walk is done), then the type 1
 * predecessor (-1) and the pair's first type 2 note (-1). */
enum { F_M, F_E_OLD, F_K_OLD, F_E_NEW, F_K_NEW, F_TYPE1, F_NOTE, NROT };

/* A supply copy during the walk: 32 bytes, aligned, so one visit touches
 * one cache line. */
typedef struct {
    int32_t ce, ck; /* slot held */
    int32_t se, sk; /* next slot to scan */
    int32_t made;   /* rotation that gave it its partner (-1) */
    int32_t pend;   /* its latest type 2 note since it last moved (-1) */
    int32_t at;     /* its place on the walk's stack (-1) */
    int32_t end;    /* the end of its agent's list */
} Man;

/* A demand copy during the walk: what the scan reads of her at every slot,
 * 8 bytes (her partner, read once per move, is apart: with 5,000 demand
 * copies these fit L1). */
typedef struct {
    int32_t pos;  /* the position of her partner (INT32_MAX) */
    int32_t pos0; /* the position of her partner in M0 (INT32_MAX) */
} Woman;

/* State of the walk. */
typedef struct {
    TmLattice *lat;
    Man *man;           /* nc[0] */
    Woman *wm;          /* nc[1] */
    int32_t *wpart;     /* demand copy: supply copy held (-1) */
    int32_t *mz;        /* supply copy: demand copy in Mz (-1) */
    TmIBuf rot;         /* int32_t[NROT] per rotation pair, see F_M... */
    TmIBuf roff;
    TmIBuf notes;       /* type 2: (demand copy, position, the copy's previous note) */
} Walk;

/* An array of @n records of @size bytes aligned on @size (a power of two <=
 * 64), or NULL with @error; *@raw gets the pointer to free. */
static void *alloc_aligned(int64_t n, size_t size, void **raw, GError **error)
{
    *raw = tm_i_try_alloc(n + 1, size, FALSE, "rotation walk", error);
    if (*raw == NULL)
        return NULL;
    const size_t mis = (size_t)((uintptr_t)*raw & (uintptr_t)(size - 1));
    return (char *)*raw + (mis ? size - mis : 0); /* pointer arithmetic, no int-to-pointer */
}

static inline int32_t copy_index(const TmLattice *lat, int32_t m)
{
    return lat->multi[0] ? m - lat->coff[0][lat->corig[0][m]] : 0;
}

static inline gboolean active(const Walk *W, int32_t m)
{
    const Man *x = &W->man[m];
    return x->ce >= 0 && tm_i_lat_woman(W->lat, x->ce, x->ck) != W->mz[m];
}

/* Notes that supply copy @x passes over demand copy @w at position @pm while
 * she holds someone better (only a copy whose M0 partner was worse gives an
 * edge); the notes of one move are chained from x->pend. */
static inline gboolean note(Walk *W, Man *x, int32_t w, int32_t pm, GError **error)
{
    int32_t v[3] = { w, pm, x->pend };
    x->pend = (int32_t)W->notes.n;
    return push_i32(&W->notes, v, 3, "rotation precedence", error);
}

/* s(m): the demand copy supply copy @m would move to, from its scanning slot,
 * which is left on her; -1 if none (cannot happen for an active copy), -2
 * when out of memory.  @unit: every demand agent has exactly one copy (copy
 * = agent, one slot per entry); @copies: the supply side has copies (bpos);
 * both constants at each call site. */
static inline int32_t scan(Walk *W, int32_t m, const gboolean unit, const gboolean copies,
                           GError **error)
{
    const TmLattice *lat = W->lat;
    const int32_t *ids = lat->market->side[0].ids, *rpos = lat->market->side[0].rpos;
    const int32_t *bpos = lat->bpos, *coff = lat->coff[1];
    Woman *wm = W->wm;
    Man *x = &W->man[m];
    const int32_t j = copy_index(lat, m), end = x->end;
    int32_t e = x->se, k = x->sk;
    if (unit && k > 0) { /* the slot after the partner's is the next entry's */
        e++;
        k = 0;
    }
    for (; e < end; e++, k = 0) {
        const int32_t pm = copies ? bpos[e] + j : rpos[e];
        if (unit) {
            const int32_t w = ids[e];
            if (pm < wm[w].pos) {
                x->se = e;
                x->sk = 0;
                return w;
            }
            if (wm[w].pos0 > pm && !note(W, x, w, pm, error))
                return -2;
            continue;
        }
        const int32_t base = coff[ids[e]], c = coff[ids[e] + 1] - base;
        if (k >= c)
            continue;
        /* her copies' partners are in her order: if the last copy keeps
         * hers, all do */
        int32_t hit = pm < wm[base + c - 1].pos ? k : c;
        while (hit < c && pm > wm[base + hit].pos)
            hit++;
        if (wm[base + c - 1].pos0 > pm) /* notes only if some M0 partner was worse */
            for (int32_t q = k; q < hit; q++)
                if (wm[base + q].pos0 > pm && !note(W, x, base + q, pm, error))
                    return -2;
        if (hit < c) {
            x->se = e;
            x->sk = hit;
            return base + hit;
        }
    }
    x->se = e;
    x->sk = 0;
    return -1;
}

/* Eliminates the rotation stack[lo..top]. */
static gboolean eliminate(Walk *W, const int32_t *stack, int32_t lo, int32_t top,
                          GError **error)
{
    const TmLattice *lat = W->lat;
    int32_t r = (int32_t)W->roff.n - 1;
    for (int32_t i = lo; i <= top; i++) {
        Man *x = &W->man[stack[i]];
        int32_t v[NROT] = { stack[i], x->ce, x->ck, x->se, x->sk, x->made, x->pend };
        if (!push_i32(&W->rot, v, NROT, "rotations", error))
            return FALSE;
        x->made = r;
        x->pend = -1;
    }
    for (int32_t i = lo; i <= top; i++) {
        int32_t m = stack[i];
        Man *x = &W->man[m];
        const int32_t w = tm_i_lat_woman(lat, x->se, x->sk);
        Woman *y = &W->wm[w];
        W->wpart[w] = m;
        y->pos = tm_i_lat_pos(lat, x->se, copy_index(lat, m));
        x->ce = x->se;
        x->ck = x->sk;
        x->sk++;
        x->at = -1;
    }
    int32_t next = (int32_t)W->rot.n;
    return tm_i_buf_push(&W->roff, &next, "rotations", error);
}

static gboolean walk(Walk *W, GError **error)
{
    const TmLattice *lat = W->lat;
    const gboolean unit = lat->nc[1] == lat->market->side[1].n && !lat->multi[1];
    const int32_t nm = lat->nc[0];
    Man *man = W->man;
    int32_t *stack = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "rotation walk", error);
    int32_t zero = 0, sp = 0;
    gboolean ok = stack && tm_i_buf_push(&W->roff, &zero, "rotations", error);
    for (int32_t m0 = 0; ok && m0 < nm; m0++) {
        while (ok && (sp > 0 || active(W, m0))) {
            if (sp == 0) {
                man[m0].at = sp;
                stack[sp++] = m0;
            }
            int32_t m = stack[sp - 1];
            int32_t w = unit ? (lat->bpos ? scan(W, m, TRUE, TRUE, error)
                                          : scan(W, m, TRUE, FALSE, error))
                             : (lat->bpos ? scan(W, m, FALSE, TRUE, error)
                                          : scan(W, m, FALSE, FALSE, error));
            if (w < 0) { /* -1 not reached: the next of an active copy is active */
                if (w == -1)
                    g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                                "internal error: rotation walk stuck at supply copy %d", m);
                ok = FALSE;
                break;
            }
            int32_t nx = W->wpart[w];
            if (man[nx].at >= 0) {
                int32_t lo = man[nx].at;
                ok = eliminate(W, stack, lo, sp - 1, error);
                sp = lo;
            } else {
                man[nx].at = sp;
                stack[sp++] = nx;
            }
        }
    }
    g_free(stack);
    return ok;
}

/* The precedence: for each rotation rho, in order, its type 1 predecessors
 * and the rotations its notes name — a note (w, pm) names the first rotation
 * of w's chain of partners that gives her one better than pm (binary search)
 * — each once (a mark per rotation).  Then the rows are put in order by two
 * counting passes: by source (succ), which leaves each row sorted, and back
 * by target (pred).  O(P + notes · log n' + R + E). */
static gboolean precedence(Walk *W, GError **error)
{
    TmLattice *lat = W->lat;
    const int32_t nw = lat->nc[1], R = lat->R, P = (int32_t)W->rot.n;
    const int32_t(*rec)[NROT] = W->rot.v;
    const int32_t(*notes)[3] = W->notes.v;
    int32_t *choff = tm_i_try_alloc((int64_t)nw + 1, sizeof(int32_t), TRUE, "rotation chains",
                                    error);
    int32_t *chrot = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "rotation chains", error);
    int32_t *chpos = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "rotation chains", error);
    int32_t *mark = tm_i_try_alloc(R, sizeof(int32_t), FALSE, "rotation precedence", error);
    int32_t *rows = tm_i_try_alloc((int64_t)P + W->notes.n, sizeof(int32_t), FALSE,
                                   "rotation precedence", error);
    int32_t *fill = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), FALSE,
                                   "rotation precedence", error);
    gboolean ok = choff && chrot && chpos && mark && rows && fill &&
                  (lat->poff = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), TRUE,
                                              "rotation precedence", error)) &&
                  (lat->soff = tm_i_try_alloc((int64_t)R + 1, sizeof(int32_t), TRUE,
                                              "rotation precedence", error));
    if (!ok)
        goto out;
    /* each demand copy's chain: the rotations that give her a partner, in
     * order, with the position of the partner */
    for (int32_t i = 0; i < P; i++)
        choff[tm_i_lat_woman(lat, lat->re_new[i], lat->rk_new[i]) + 1]++;
    for (int32_t w = 0; w < nw; w++)
        choff[w + 1] += choff[w];
    for (int32_t r = 0; r < R; r++) {
        for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
            int32_t m = lat->rm[i], j = m - lat->coff[0][lat->corig[0][m]];
            int32_t w = tm_i_lat_woman(lat, lat->re_new[i], lat->rk_new[i]);
            int32_t t = choff[w]++;
            chrot[t] = r;
            chpos[t] = tm_i_lat_pos(lat, lat->re_new[i], j);
        }
    }
    for (int32_t w = nw; w > 0; w--)
        choff[w] = choff[w - 1];
    choff[0] = 0;
    /* rows by target, each source once */
    int32_t n = 0;
    for (int32_t r = 0; r < R; r++)
        mark[r] = -1;
    for (int32_t r = 0; r < R; r++) {
        for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
            int32_t t1 = rec[i][F_TYPE1];
            if (t1 >= 0 && mark[t1] != r) {
                mark[t1] = r;
                rows[n++] = t1;
            }
            for (int32_t x = rec[i][F_NOTE]; x >= 0; x = notes[x][2]) {
                int32_t w = notes[x][0], pm = notes[x][1], len = choff[w + 1] - choff[w];
                if (len == 0)
                    continue;
                /* first chpos < pm (chpos decreases along the chain), without
                 * branches on the data */
                const int32_t *at = chpos + choff[w];
                while (len > 1) {
                    int32_t half = len / 2;
                    at = at[half] >= pm ? at + half : at;
                    len -= half;
                }
                int32_t lo = (int32_t)(at - chpos) + (*at >= pm);
                if (lo < choff[w + 1] && mark[chrot[lo]] != r) {
                    mark[chrot[lo]] = r;
                    rows[n++] = chrot[lo];
                }
            }
        }
        lat->poff[r + 1] = n;
    }
    /* succ by counting (targets ascending: rows sorted), pred back from it */
    ok = (lat->succ = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "rotation precedence",
                                     error)) != NULL;
    if (!ok)
        goto out;
    for (int32_t i = 0; i < n; i++)
        lat->soff[rows[i] + 1]++;
    for (int32_t r = 0; r < R; r++)
        lat->soff[r + 1] += lat->soff[r];
    memcpy(fill, lat->soff, (size_t)R * sizeof(int32_t));
    for (int32_t r = 0; r < R; r++)
        for (int32_t i = lat->poff[r]; i < lat->poff[r + 1]; i++)
            lat->succ[fill[rows[i]]++] = r;
    memcpy(fill, lat->poff, (size_t)R * sizeof(int32_t));
    for (int32_t q = 0; q < R; q++)
        for (int32_t i = lat->soff[q]; i < lat->soff[q + 1]; i++)
            rows[fill[lat->succ[i]]++] = q;
    lat->pred = rows;
    rows = NULL;
out:
    g_free(choff);
    g_free(chrot);
    g_free(chpos);
    g_free(mark);
    g_free(rows);
    g_free(fill);
    return ok;
}

static gboolean build(TmLattice *lat, GError **error)
{
    const int32_t nm = lat->nc[0], nw = lat->nc[1];
    const TmSideData *S = &lat->market->side[0];
    Walk W = { .lat = lat };
    W.rot = (TmIBuf)TM_I_BUF_INIT(int32_t[NROT]);
    W.roff = (TmIBuf)TM_I_BUF_INIT(int32_t);
    W.notes = (TmIBuf)TM_I_BUF_INIT(int32_t[3]);
    void *raw_man = NULL, *raw_wm = NULL;
    int32_t *ze = NULL, *zk = NULL;
    gboolean ok =
        (lat->top_e = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (lat->top_k = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.mz = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (ze = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (zk = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "lattice", error)) &&
        (W.man = alloc_aligned(nm, sizeof(Man), &raw_man, error)) &&
        (W.wm = alloc_aligned(nw, sizeof(Woman), &raw_wm, error)) &&
        (W.wpart = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "lattice", error)) &&
        optimal_copies(lat, TM_SIDE_SUPPLY, lat->top_e, lat->top_k, error) &&
        optimal_copies(lat, TM_SIDE_DEMAND, ze, zk, error) &&
        /* room for two rotation pairs per supply copy to start with (the
         * bench's markets have 2.4-4): little copying as the record grows */
        tm_i_reserve(&W.rot.v, &W.rot.cap, 2 * (int64_t)nm, W.rot.elem, "rotations", error);
    if (ok) {
        /* the walk starts from M0 (kept in top_e/top_k) */
        for (int32_t w = 0; w < nw; w++) {
            W.wm[w] = (Woman){ .pos = INT32_MAX, .pos0 = INT32_MAX };
            W.wpart[w] = -1;
        }
        for (int32_t m = 0; m < nm; m++) {
            int32_t e = lat->top_e[m], k = lat->top_k[m];
            W.mz[m] = ze[m] >= 0 ? tm_i_lat_woman(lat, ze[m], zk[m]) : -1;
            W.man[m] = (Man){ .ce = e, .ck = k, .se = e, .sk = k + 1, .made = -1, .pend = -1,
                              .at = -1, .end = S->off[lat->corig[0][m] + 1] };
            if (e < 0)
                continue;
            const int32_t w = tm_i_lat_woman(lat, e, k);
            Woman *y = &W.wm[w];
            W.wpart[w] = m;
            y->pos = y->pos0 = tm_i_lat_pos(lat, e, copy_index(lat, m));
            lat->n_pairs++;
        }
        ok = walk(&W, error);
    }
    if (ok) {
        lat->R = (int32_t)W.roff.n - 1;
        lat->roff = W.roff.v;
        W.roff.v = NULL;
        const int64_t P = W.rot.n;
        const int32_t(*rec)[NROT] = W.rot.v;
        int32_t **dst[5] = { &lat->rm, &lat->re_old, &lat->rk_old, &lat->re_new, &lat->rk_new };
        for (int t = 0; ok && t < 5; t++) {
            ok = (*dst[t] = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "rotations", error)) != NULL;
            for (int64_t i = 0; ok && i < P; i++)
                (*dst[t])[i] = rec[i][t];
        }
        ok = ok && precedence(&W, error);
    }
    g_free(raw_man);
    g_free(raw_wm);
    g_free(W.mz);
    g_free(W.wpart);
    g_free(ze);
    g_free(zk);
    g_free(W.rot.v);
    g_free(W.roff.v);
    g_free(W.notes.v);
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
    }
    g_free(lattice->bpos);
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
