/* techmatch — minimum regret and the balanced heuristic (lattice.h).
 *
 * Both walk down from the supply-optimal matching eliminating rotations in a
 * sequence that respects precedence, and keep the best prefix.
 *
 * Minimum regret (Gusfield 1987).  Supply agents only get worse and demand
 * agents only better as rotations are eliminated.  If the worst rank in the
 * current matching is given by a supply agent, every stable matching at or
 * below it is at least as bad, and the ones not below it do not contain the
 * rotations eliminated so far — which were all forced (below).  Otherwise a
 * demand copy w holds the worst rank; any better matching must move w away
 * from her partner m, i.e. eliminate m's next rotation and its
 * predecessors, which we do.  So the best matching seen is optimal.
 * Supply ranks: a running maximum; demand ranks: counts per rank and lazy
 * per-rank lists of demand copies, so the whole walk is O(L' + n' + R + E)
 * (plus a sort of each closure).
 */
#include "core/lattice_private.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

typedef struct {
    const TmLattice *lat;
    int32_t *wpart, *wrank;   /* demand copy: supply copy held, rank given */
    int64_t *cnt;             /* demand ranks: copies at each rank */
    int32_t *head, *evnext, *evw; /* lazy lists per rank of demand copies */
    int32_t nev, max_m, max_w;
    guint8 *done;             /* rotations eliminated */
    int32_t *seq, nseq;       /* the elimination sequence */
} Regret;

static void note_woman(Regret *G, int32_t w, int32_t rank)
{
    G->wrank[w] = rank;
    G->cnt[rank]++;
    G->evw[G->nev] = w;
    G->evnext[G->nev] = G->head[rank];
    G->head[rank] = G->nev++;
}

static void regret_apply(Regret *G, int32_t r)
{
    const TmLattice *lat = G->lat;
    const TmSideData *S = &lat->market->side[0];
    for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
        int32_t m = lat->rm[i], e = lat->re_new[i];
        int32_t w = tm_i_lat_woman(lat, e, lat->rk_new[i]);
        G->max_m = MAX(G->max_m, e - S->off[lat->corig[0][m]]);
        G->cnt[G->wrank[w]]--;
        G->wpart[w] = m;
        note_woman(G, w, S->rpos[e]);
    }
    G->done[r] = 1;
    G->seq[G->nseq++] = r;
}

/* Eliminates @r with every predecessor not yet eliminated, in topological
 * (ascending) order; @stack and @buf hold R entries. */
static void regret_close(Regret *G, int32_t r, int32_t *stack, int32_t *buf)
{
    const TmLattice *lat = G->lat;
    int32_t sp = 0, nb = 0;
    stack[sp++] = r;
    G->done[r] = 2; /* 2: collected, not applied yet */
    while (sp > 0) {
        int32_t x = stack[--sp];
        buf[nb++] = x;
        for (int32_t i = lat->poff[x]; i < lat->poff[x + 1]; i++)
            if (!G->done[lat->pred[i]]) {
                G->done[lat->pred[i]] = 2;
                stack[sp++] = lat->pred[i];
            }
    }
    qsort(buf, (size_t)nb, sizeof(int32_t), cmp_i32);
    for (int32_t i = 0; i < nb; i++)
        regret_apply(G, buf[i]);
}

/* The demand copy at the worst demand rank (max_w moved down past empty
 * ranks), or -1. */
static int32_t worst_woman(Regret *G)
{
    while (G->max_w >= 0 && G->cnt[G->max_w] == 0)
        G->max_w--;
    if (G->max_w < 0)
        return -1;
    int32_t *h = &G->head[G->max_w];
    while (G->wrank[G->evw[*h]] != G->max_w)
        *h = G->evnext[*h];
    return G->evw[*h];
}

TmMatching *tm_lattice_min_regret(TmLattice *lattice, int32_t *value, GError **error)
{
    if (lattice == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_lattice_min_regret: lattice must not be NULL");
        return NULL;
    }
    const TmLattice *lat = lattice;
    const TmSideData *S = &lat->market->side[0];
    const int32_t nm = lat->nc[0], nw = lat->nc[1], R = lat->R, P = lat->roff[R];
    const int32_t nrank = MAX(1, lat->market->side[0].n); /* demand ranks < n_supply */
    Regret G = { .lat = lat, .max_m = -1, .max_w = nrank - 1 };
    int32_t *mnext = NULL, *moff = NULL, *mrot = NULL, *stack = NULL, *buf = NULL;
    TmMatching *mt = NULL;
    if (!(G.wpart = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(G.wrank = tm_i_try_alloc(nw, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(G.cnt = tm_i_try_alloc(nrank, sizeof(int64_t), TRUE, "min regret", error)) ||
        !(G.head = tm_i_try_alloc(nrank, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(G.evnext = tm_i_try_alloc((int64_t)nw + P, sizeof(int32_t), FALSE, "min regret",
                                    error)) ||
        !(G.evw = tm_i_try_alloc((int64_t)nw + P, sizeof(int32_t), FALSE, "min regret",
                                 error)) ||
        !(G.done = tm_i_try_alloc(R, 1, TRUE, "min regret", error)) ||
        !(G.seq = tm_i_try_alloc(R, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(stack = tm_i_try_alloc(R, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(buf = tm_i_try_alloc(R, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(moff = tm_i_try_alloc((int64_t)nm + 1, sizeof(int32_t), TRUE, "min regret", error)) ||
        !(mrot = tm_i_try_alloc(P, sizeof(int32_t), FALSE, "min regret", error)) ||
        !(mnext = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "min regret", error)))
        goto out;
    /* each supply copy's rotations, in order (its chain) */
    for (int32_t i = 0; i < P; i++)
        moff[lat->rm[i] + 1]++;
    for (int32_t m = 0; m < nm; m++) {
        moff[m + 1] += moff[m];
        mnext[m] = moff[m];
    }
    for (int32_t r = 0; r < R; r++)
        for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++)
            mrot[mnext[lat->rm[i]]++] = r;
    for (int32_t m = 0; m < nm; m++)
        mnext[m] = moff[m];
    for (int32_t x = 0; x < nrank; x++)
        G.head[x] = -1;
    for (int32_t m = 0; m < nm; m++) {
        int32_t e = lat->top_e[m];
        if (e < 0)
            continue;
        int32_t w = tm_i_lat_woman(lat, e, lat->top_k[m]);
        G.max_m = MAX(G.max_m, e - S->off[lat->corig[0][m]]);
        G.wpart[w] = m;
        note_woman(&G, w, S->rpos[e]);
    }
    int32_t best = INT32_MAX, best_len = 0;
    for (;;) {
        int32_t w = worst_woman(&G), now = MAX(G.max_m, G.max_w);
        if (now < best) {
            best = now;
            best_len = G.nseq;
        }
        if (w < 0 || G.max_m >= G.max_w)
            break;
        int32_t m = G.wpart[w];
        while (mnext[m] < moff[m + 1] && G.done[mrot[mnext[m]]])
            mnext[m]++;
        if (mnext[m] == moff[m + 1])
            break; /* w can do no better */
        regret_close(&G, mrot[mnext[m]], stack, buf);
    }
    int32_t *pe, *pk;
    if (tm_i_lat_top(lat, &pe, &pk, error)) {
        for (int32_t i = 0; i < best_len; i++)
            tm_i_lat_apply(lat, G.seq[i], pe, pk);
        mt = tm_i_lat_matching(lat, pe, error);
        g_free(pe);
        g_free(pk);
    }
    if (mt != NULL && value != NULL)
        *value = lat->n_pairs > 0 ? best : -1;
out:
    g_free(G.wpart);
    g_free(G.wrank);
    g_free(G.cnt);
    g_free(G.head);
    g_free(G.evnext);
    g_free(G.evw);
    g_free(G.done);
    g_free(G.seq);
    g_free(stack);
    g_free(buf);
    g_free(moff);
    g_free(mrot);
    g_free(mnext);
    return mt;
}

/* ---- balanced heuristic ------------------------------------------------ */

TmMatching *tm_lattice_balanced(TmLattice *lattice, int64_t *value, GError **error)
{
    if (lattice == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_lattice_balanced: lattice must not be NULL");
        return NULL;
    }
    const TmLattice *lat = lattice;
    const TmSideData *S = &lat->market->side[0];
    const int32_t R = lat->R, nm = lat->nc[0];
    int64_t *delta = tm_i_try_alloc(R, sizeof(int64_t), FALSE, "balanced", error);
    int32_t *indeg = delta ? tm_i_try_alloc(R, sizeof(int32_t), FALSE, "balanced", error) : NULL;
    int32_t *seq = indeg ? tm_i_try_alloc(R, sizeof(int32_t), FALSE, "balanced", error) : NULL;
    TmMatching *mt = NULL;
    if (seq == NULL)
        goto out;
    int64_t gap = 0; /* total supply rank - total demand rank */
    for (int32_t m = 0; m < nm; m++)
        if (lat->top_e[m] >= 0)
            gap += (lat->top_e[m] - S->off[lat->corig[0][m]]) - S->rpos[lat->top_e[m]];
    for (int32_t r = 0; r < R; r++) {
        int64_t d = 0;
        for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
            int32_t base = S->off[lat->corig[0][lat->rm[i]]];
            d += (int64_t)(lat->re_new[i] - base) - S->rpos[lat->re_new[i]];
            d -= (int64_t)(lat->re_old[i] - base) - S->rpos[lat->re_old[i]];
        }
        delta[r] = d;
        indeg[r] = lat->poff[r + 1] - lat->poff[r];
    }
    int64_t best = gap < 0 ? -gap : gap;
    int32_t best_len = 0;
    for (int32_t n = 0; n < R; n++) {
        int32_t pick = -1;
        int64_t pick_abs = 0;
        for (int32_t r = 0; r < R; r++) { /* exposed: indeg 0; eliminated: -1 */
            if (indeg[r] != 0)
                continue;
            int64_t a = gap + delta[r] < 0 ? -(gap + delta[r]) : gap + delta[r];
            if (pick < 0 || a < pick_abs) {
                pick = r;
                pick_abs = a;
            }
        }
        indeg[pick] = -1;
        for (int32_t i = lat->soff[pick]; i < lat->soff[pick + 1]; i++)
            indeg[lat->succ[i]]--;
        gap += delta[pick];
        seq[n] = pick;
        if (pick_abs < best) {
            best = pick_abs;
            best_len = n + 1;
        }
    }
    int32_t *pe, *pk;
    if (tm_i_lat_top(lat, &pe, &pk, error)) {
        for (int32_t i = 0; i < best_len; i++)
            tm_i_lat_apply(lat, seq[i], pe, pk);
        mt = tm_i_lat_matching(lat, pe, error);
        g_free(pe);
        g_free(pk);
    }
    if (mt != NULL && value != NULL)
        *value = best;
out:
    g_free(delta);
    g_free(indeg);
    g_free(seq);
    return mt;
}
