/* techmatch — the demand side's choice under groups (caps and floors).
 *
 * The demand side as a whole chooses greedily by a fixed contract order
 * (groups.h) subject to a family of constraints that forms a gammoid: site
 * capacities, group caps, and seats of a parent group reserved for each child
 * (its effective floor).  For a group P with children C and direct member
 * sites, the *pool* of P holds R(P) = cap(P) - sum f'(C) seats and its usage
 * is U(P) = (assignments at direct sites) + sum over children of
 * max(0, count(C) - f'(C)); feasibility is U(P) <= R(P) everywhere plus site
 * capacities.  Adding a contract x to a feasible held set either stays
 * feasible or makes exactly one level overflow (the lowest one on x's chain
 * whose pool x would use while full); the unique circuit is then x plus every
 * held contract whose removal frees that pool, and the greedy choice drops the
 * circuit's worst contract.  The deferred acceptance engine (da.c) offers
 * contracts one by one through tm_i_choice_offer().
 */
#include "core/groups_private.h"

#include <string.h>

void tm_i_groups_ctx_clear(Ctx *c)
{
    tm_i_forest_clear(&c->f);
    g_free(c->eff);
    g_free(c->feff);
    g_free(c->pool);
}

gboolean tm_i_groups_ctx_init(Ctx *c, const TmMarket *market, const TmGroups *gr,
                              GError **error)
{
    memset(c, 0, sizeof *c);
    c->market = market;
    c->gr = gr;
    if (tm_i_market_has_ties(market)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "groups (caps and floors) do not support preference lists with "
                            "ties yet");
        return FALSE;
    }
    if (market->side[TM_SIDE_SUPPLY].n != gr->n_supply ||
        market->side[TM_SIDE_DEMAND].n != gr->n_demand) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "groups are sized for %" G_GINT32_FORMAT " x %" G_GINT32_FORMAT
                    " agents but the market has %" G_GINT32_FORMAT " x %" G_GINT32_FORMAT,
                    gr->n_supply, gr->n_demand, market->side[0].n, market->side[1].n);
        return FALSE;
    }
    if (!tm_i_groups_check(gr, &c->f, NULL, error))
        return FALSE;
    const TmSideData *D = &market->side[TM_SIDE_DEMAND];
    int32_t G = c->f.n_groups;
    int64_t *reach = NULL;
    if (!(c->eff = tm_i_try_alloc(market->n_pairs, sizeof(int32_t), FALSE, "contract order", error)) ||
        !(c->feff = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(c->pool = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(reach = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups", error))) {
        tm_i_groups_ctx_clear(c);
        return FALSE;
    }
    for (int32_t d = 0; d < D->n; d++) {
        int32_t best = G_MAXINT32;
        for (int32_t pos = D->off[d + 1] - 1; pos >= D->off[d]; pos--) {
            int32_t p = gr->priority ? gr->priority[D->ids[pos]] : 0;
            best = MIN(best, p);
            c->eff[pos] = best;
        }
        /* a site's reach counts towards the smallest group containing it */
        if (c->f.chain_off[d] < c->f.chain_off[d + 1])
            reach[c->f.chain[c->f.chain_off[d]]] += MIN(D->cap[d], D->off[d + 1] - D->off[d]);
    }
    for (int32_t i = 0; i < G; i++) {
        int32_t g = c->f.order[i];
        int32_t cap = TM_I_GROUP(gr, g).cap;
        reach[g] = MIN(reach[g], (int64_t)cap);
        if (c->f.parent[g] >= 0)
            reach[c->f.parent[g]] += reach[g];
    }
    for (int32_t g = 0; g < G; g++) {
        int32_t fl = TM_I_GROUP(gr, g).floor;
        c->feff[g] = c->f.parent[g] >= 0 ? (int32_t)MIN((int64_t)fl, reach[g]) : 0;
    }
    for (int32_t g = 0; g < G; g++) {
        int64_t r = TM_I_GROUP(gr, g).cap;
        for (int32_t j = c->f.child_off[g]; j < c->f.child_off[g + 1]; j++)
            r -= c->feff[c->f.child[j]];
        c->pool[g] = (int32_t)r;
    }
    g_free(reach);
    return TRUE;
}

/* ---- lazy max-heaps of contracts (worst on top) -------------------------- */

typedef struct {
    int32_t pos, d;
} Entry;

/* A lazy max-heap of contracts (worst on top): removed contracts stay in
 * until they surface.  It grows through the non-aborting allocator; when a
 * full heap holds more than twice what it held after its last clean-up, the
 * dead (and doubled) entries are dropped first, so its size stays within a
 * constant factor of the live contracts and the clean-ups cost O(1)
 * amortised per push. */
typedef struct {
    Entry *v;
    int32_t n, clean; /* clean: size after the last clean-up */
    int64_t cap;
} Heap;

static inline gboolean entry_worse(const Ctx *c, Entry x, Entry y)
{
    return key_cmp(contract_key(c, x.pos, x.d), contract_key(c, y.pos, y.d)) > 0;
}

static void sift_down_entry(const Ctx *c, Entry *v, int32_t n, int32_t i)
{
    Entry x = v[i];
    for (;;) {
        int32_t ch = 2 * i + 1;
        if (ch >= n)
            break;
        if (ch + 1 < n && entry_worse(c, v[ch + 1], v[ch]))
            ch++;
        if (!entry_worse(c, v[ch], x))
            break;
        v[i] = v[ch];
        i = ch;
    }
    v[i] = x;
}

/* Drops dead entries and second copies of live ones (alive[] is 1 for a
 * live contract; 2 marks "kept" during the pass), then re-heapifies. */
static void heap_clean(const Ctx *c, Heap *h, uint8_t *alive)
{
    int32_t m = 0;
    for (int32_t i = 0; i < h->n; i++)
        if (alive[h->v[i].pos] == 1) {
            alive[h->v[i].pos] = 2;
            h->v[m++] = h->v[i];
        }
    for (int32_t i = 0; i < m; i++)
        alive[h->v[i].pos] = 1;
    h->n = m;
    for (int32_t i = m / 2 - 1; i >= 0; i--)
        sift_down_entry(c, h->v, m, i);
    h->clean = m;
}

static gboolean heap_push(const Ctx *c, Heap *h, Entry x, uint8_t *alive)
{
    if (h->n == h->cap && h->n > 2 * h->clean + 16)
        heap_clean(c, h, alive);
    if (!tm_i_reserve((void **)&h->v, &h->cap, (int64_t)h->n + 1, sizeof(Entry),
                      "groups' contract heaps", NULL))
        return FALSE;
    Entry *v = h->v;
    int32_t i = h->n++;
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (!entry_worse(c, x, v[p]))
            break;
        v[i] = v[p];
        i = p;
    }
    v[i] = x;
    return TRUE;
}

static void heap_pop(const Ctx *c, Heap *h)
{
    h->n--;
    if (h->n > 0) {
        h->v[0] = h->v[h->n];
        sift_down_entry(c, h->v, h->n, 0);
    }
}

/* Top alive entry, or pos = -1. */
static Entry heap_top(const Ctx *c, Heap *h, const uint8_t *alive)
{
    while (h->n > 0) {
        Entry t = h->v[0];
        if (alive[t.pos])
            return t;
        heap_pop(c, h);
    }
    Entry none = {-1, -1};
    return none;
}

static inline Entry entry_worst(const Ctx *c, Entry a, Entry b)
{
    if (a.pos < 0)
        return b;
    if (b.pos < 0)
        return a;
    return entry_worse(c, a, b) ? a : b;
}

/* ---- solver -------------------------------------------------------------- */

static inline void site_sift_down(int32_t *h, int32_t n, int32_t i)
{
    int32_t x = h[i];
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

static inline void site_sift_up(int32_t *h, int32_t i)
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

struct TmGroupChoice {
    Ctx c;
    int32_t *hoff, *hcnt, *heap;  /* site heaps of positions in the site's list */
    int32_t *count, *usage;       /* per group */
    Heap *all, *direct;           /* per group */
    uint8_t *alive;               /* L */
    gboolean nomem;               /* a heap could not grow: the choice is spoilt */
};
typedef struct TmGroupChoice Solver;

static void solver_clear(Solver *s)
{
    for (int32_t g = 0; g < s->c.f.n_groups; g++) {
        if (s->all)
            g_free(s->all[g].v);
        if (s->direct)
            g_free(s->direct[g].v);
    }
    g_free(s->all);
    g_free(s->direct);
    g_free(s->hoff);
    g_free(s->hcnt);
    g_free(s->heap);
    g_free(s->count);
    g_free(s->usage);
    g_free(s->alive);
    tm_i_groups_ctx_clear(&s->c);
}

/* Puts contract (pos at site d) into the held set: site heap, counts, pools. */
static void solver_insert(Solver *s, int32_t pos, int32_t d)
{
    const TmSideData *D = &s->c.market->side[TM_SIDE_DEMAND];
    const Forest *f = &s->c.f;
    int32_t *hp = s->heap + s->hoff[d];
    hp[s->hcnt[d]] = pos - D->off[d];
    site_sift_up(hp, s->hcnt[d]);
    s->hcnt[d]++;
    s->alive[pos] = 1;
    Entry x = {pos, d};
    gboolean uses_pool = TRUE;
    for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
        int32_t g = f->chain[j];
        if ((j == f->chain_off[d] && !heap_push(&s->c, &s->direct[g], x, s->alive)) ||
            !heap_push(&s->c, &s->all[g], x, s->alive))
            s->nomem = TRUE;
        if (uses_pool)
            s->usage[g]++;
        uses_pool = s->count[g] >= s->c.feff[g]; /* before the increment */
        s->count[g]++;
    }
}

/* Takes contract (pos at site d) out of the held set. */
static void solver_remove(Solver *s, int32_t pos, int32_t d)
{
    const TmSideData *D = &s->c.market->side[TM_SIDE_DEMAND];
    const Forest *f = &s->c.f;
    int32_t *hp = s->heap + s->hoff[d];
    int32_t rk = pos - D->off[d], n = s->hcnt[d];
    for (int32_t i = 0; i < n; i++) {
        if (hp[i] == rk) {
            hp[i] = hp[n - 1];
            s->hcnt[d] = --n;
            if (i < n) {
                site_sift_up(hp, i);
                site_sift_down(hp, n, i);
            }
            break;
        }
    }
    s->alive[pos] = 0;
    gboolean frees_pool = TRUE;
    for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
        int32_t g = f->chain[j];
        if (frees_pool)
            s->usage[g]--;
        frees_pool = s->count[g] > s->c.feff[g]; /* before the decrement */
        s->count[g]--;
    }
}

/* Offers contract pos (site d) to the demand side.  Returns the position of
 * the contract that ends up rejected (pos itself, another one) or -1. */
int32_t tm_i_choice_offer(TmGroupChoice *s, int32_t pos, int32_t d)
{
    if (s->nomem)
        return TM_I_CHOICE_NO_MEMORY;
    const TmSideData *D = &s->c.market->side[TM_SIDE_DEMAND];
    const Forest *f = &s->c.f;
    int32_t room = s->hoff[d + 1] - s->hoff[d];
    int32_t *hp = s->heap + s->hoff[d];
    if (room == 0)
        return pos;
    if (s->hcnt[d] == room) {
        /* circuit at the site: its contracts share every group, so counts
         * do not change; the site's order is the contract order */
        int32_t rk = pos - D->off[d];
        if (rk > hp[0])
            return pos;
        int32_t loser = D->off[d] + hp[0];
        solver_remove(s, loser, d);
        solver_insert(s, pos, d);
        return s->nomem ? TM_I_CHOICE_NO_MEMORY : loser;
    }
    /* find the lowest level whose pool x would use while it is full */
    int32_t bad = -1, child_on_chain = -1;
    gboolean uses_pool = TRUE;
    for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
        int32_t g = f->chain[j];
        if (uses_pool && s->usage[g] >= s->c.pool[g]) {
            bad = g;
            child_on_chain = j > f->chain_off[d] ? f->chain[j - 1] : -1;
            break;
        }
        uses_pool = s->count[g] >= s->c.feff[g];
    }
    if (bad < 0) {
        solver_insert(s, pos, d);
        return s->nomem ? TM_I_CHOICE_NO_MEMORY : -1;
    }
    Entry x = {pos, d};
    Entry w = x;
    w = entry_worst(&s->c, w, heap_top(&s->c, &s->direct[bad], s->alive));
    for (int32_t j = f->child_off[bad]; j < f->child_off[bad + 1]; j++) {
        int32_t ch = f->child[j];
        int32_t cnt = s->count[ch] + (ch == child_on_chain);
        if (cnt > s->c.feff[ch])
            w = entry_worst(&s->c, w, heap_top(&s->c, &s->all[ch], s->alive));
    }
    if (w.pos == pos)
        return pos;
    solver_remove(s, w.pos, w.d);
    solver_insert(s, pos, d);
    return s->nomem ? TM_I_CHOICE_NO_MEMORY : w.pos;
}


void tm_i_choice_free(TmGroupChoice *choice)
{
    if (choice == NULL)
        return;
    solver_clear(choice);
    g_free(choice);
}

TmGroupChoice *tm_i_choice_new(const TmMarket *market, const TmGroups *gr, GError **error)
{
    TmGroupChoice *sv = g_new0(TmGroupChoice, 1);
    if (!tm_i_groups_ctx_init(&sv->c, market, gr, error)) {
        g_free(sv);
        return NULL;
    }
    const TmSideData *D = &market->side[TM_SIDE_DEMAND];
    int32_t G = sv->c.f.n_groups, nd = D->n;
    if (!(sv->hoff = tm_i_try_alloc((int64_t)nd + 1, sizeof(int32_t), FALSE, "solver heaps", error)) ||
        !(sv->hcnt = tm_i_try_alloc(nd, sizeof(int32_t), TRUE, "solver heaps", error)) ||
        !(sv->count = tm_i_try_alloc(G, sizeof(int32_t), TRUE, "solver groups", error)) ||
        !(sv->usage = tm_i_try_alloc(G, sizeof(int32_t), TRUE, "solver groups", error)) ||
        !(sv->all = tm_i_try_alloc(G, sizeof(Heap), TRUE, "solver groups", error)) ||
        !(sv->direct = tm_i_try_alloc(G, sizeof(Heap), TRUE, "solver groups", error)) ||
        !(sv->alive = tm_i_try_alloc(market->n_pairs, 1, TRUE, "solver state", error)))
        goto fail;
    sv->hoff[0] = 0;
    for (int32_t d = 0; d < nd; d++)
        sv->hoff[d + 1] = sv->hoff[d] + MIN(D->cap[d], D->off[d + 1] - D->off[d]);
    if (!(sv->heap = tm_i_try_alloc(sv->hoff[nd], sizeof(int32_t), FALSE, "solver heaps", error)))
        goto fail;
    return sv;
fail:
    tm_i_choice_free(sv);
    return NULL;
}

const int32_t *tm_i_choice_held(const TmGroupChoice *choice, int32_t d, int32_t *n)
{
    *n = choice->hcnt[d];
    return choice->heap + choice->hoff[d];
}
