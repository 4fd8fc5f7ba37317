/* techmatch — caps and floors over laminar groups of demand agents, the
 * deferred acceptance that respects them, and the matching audit under them.
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
 * circuit's worst contract.
 */
#include "core/internal.h"

#include <string.h>

struct TmGroups {
    int32_t n_supply, n_demand;
    GArray *cap, *floor;      /* int32_t per group */
    GPtrArray *members;       /* int32_t arrays */
    GArray *n_members;        /* int32_t per group */
    int32_t *priority;        /* n_supply or NULL */
};

/* The laminar forest derived from a TmGroups. */
typedef struct {
    int32_t n_groups, n_demand;
    int32_t *parent;          /* per group, -1 for roots */
    int32_t *chain_off;       /* n_demand + 1: groups containing each site, */
    int32_t *chain;           /*   smallest first */
    int32_t *child_off;       /* n_groups + 1: child groups of each group */
    int32_t *child;
    int32_t *order;           /* groups, children before parents */
} Forest;

static void forest_clear(Forest *f)
{
    g_free(f->parent);
    g_free(f->chain_off);
    g_free(f->chain);
    g_free(f->child_off);
    g_free(f->child);
    g_free(f->order);
    memset(f, 0, sizeof *f);
}

static const int32_t *group_members(const TmGroups *gr, int32_t g, int32_t *n)
{
    *n = g_array_index(gr->n_members, int32_t, g);
    return g_ptr_array_index(gr->members, g);
}

/* Order of groups in a site's chain: by size, then index. */
static int cmp_group_size(const void *a, const void *b, void *data)
{
    const TmGroups *gr = data;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int32_t sx = g_array_index(gr->n_members, int32_t, x);
    int32_t sy = g_array_index(gr->n_members, int32_t, y);
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return (x > y) - (x < y);
}

static gboolean forest_build(const TmGroups *gr, Forest *f, GError **error)
{
    memset(f, 0, sizeof *f);
    int32_t G = (int32_t)gr->members->len, nd = gr->n_demand;
    f->n_groups = G;
    f->n_demand = nd;
    int64_t total = 0;
    for (int32_t g = 0; g < G; g++)
        total += g_array_index(gr->n_members, int32_t, g);
    if (total > G_MAXINT32) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many group memberships");
        return FALSE;
    }
    if (!(f->parent = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(f->chain_off = tm_i_try_alloc((int64_t)nd + 1, sizeof(int32_t), TRUE, "groups", error)) ||
        !(f->chain = tm_i_try_alloc(total, sizeof(int32_t), FALSE, "groups", error)) ||
        !(f->child_off = tm_i_try_alloc((int64_t)G + 1, sizeof(int32_t), TRUE, "groups", error)) ||
        !(f->child = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(f->order = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)))
        goto fail;
    for (int32_t g = 0; g < G; g++) {
        int32_t n;
        const int32_t *m = group_members(gr, g, &n);
        for (int32_t i = 0; i < n; i++)
            f->chain_off[m[i] + 1]++;
    }
    for (int32_t d = 0; d < nd; d++)
        f->chain_off[d + 1] += f->chain_off[d];
    {
        int32_t *cursor = tm_i_try_alloc(nd, sizeof(int32_t), FALSE, "groups", error);
        if (cursor == NULL)
            goto fail;
        memcpy(cursor, f->chain_off, (size_t)nd * sizeof(int32_t));
        for (int32_t g = 0; g < G; g++) {
            int32_t n;
            const int32_t *m = group_members(gr, g, &n);
            for (int32_t i = 0; i < n; i++)
                f->chain[cursor[m[i]]++] = g;
        }
        g_free(cursor);
    }
    for (int32_t d = 0; d < nd; d++) {
        int32_t len = f->chain_off[d + 1] - f->chain_off[d];
        if (len > 1)
            g_qsort_with_data(f->chain + f->chain_off[d], len, sizeof(int32_t),
                              cmp_group_size, (gpointer)gr);
    }
    /* parent of g: the next group in the chain of its first member */
    for (int32_t g = 0; g < G; g++) {
        int32_t n;
        const int32_t *m = group_members(gr, g, &n);
        f->parent[g] = -1;
        if (n == 0)
            continue;
        for (int32_t j = f->chain_off[m[0]]; j < f->chain_off[m[0] + 1]; j++)
            if (f->chain[j] == g) {
                f->parent[g] = j + 1 < f->chain_off[m[0] + 1] ? f->chain[j + 1] : -1;
                break;
            }
    }
    /* laminar iff every site's chain follows the parent links */
    for (int32_t d = 0; d < nd; d++) {
        for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
            int32_t want = j + 1 < f->chain_off[d + 1] ? f->chain[j + 1] : -1;
            if (f->parent[f->chain[j]] != want) {
                int32_t a = f->chain[j], b = want >= 0 ? want : f->parent[a];
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "groups %" G_GINT32_FORMAT " and %" G_GINT32_FORMAT
                            " overlap at demand agent %" G_GINT32_FORMAT
                            " without one containing the other (groups must be laminar)",
                            a, b, d);
                goto fail;
            }
        }
    }
    for (int32_t g = 0; g < G; g++)
        if (f->parent[g] >= 0)
            f->child_off[f->parent[g] + 1]++;
    for (int32_t g = 0; g < G; g++)
        f->child_off[g + 1] += f->child_off[g];
    {
        int32_t *cursor = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error);
        if (cursor == NULL)
            goto fail;
        memcpy(cursor, f->child_off, (size_t)G * sizeof(int32_t));
        for (int32_t g = 0; g < G; g++)
            if (f->parent[g] >= 0)
                f->child[cursor[f->parent[g]]++] = g;
        g_free(cursor);
    }
    for (int32_t g = 0; g < G; g++)
        f->order[g] = g;
    if (G > 1)
        g_qsort_with_data(f->order, G, sizeof(int32_t), cmp_group_size, (gpointer)gr);
    return TRUE;
fail:
    forest_clear(f);
    return FALSE;
}

TmGroups *tm_groups_new(int32_t n_supply, int32_t n_demand, GError **error)
{
    if (n_supply < 0 || n_demand < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "group sizes must be >= 0 (got %" G_GINT32_FORMAT ", %" G_GINT32_FORMAT ")",
                    n_supply, n_demand);
        return NULL;
    }
    TmGroups *gr = g_try_new0(TmGroups, 1);
    if (gr == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate groups");
        return NULL;
    }
    gr->n_supply = n_supply;
    gr->n_demand = n_demand;
    gr->cap = g_array_new(FALSE, FALSE, sizeof(int32_t));
    gr->floor = g_array_new(FALSE, FALSE, sizeof(int32_t));
    gr->n_members = g_array_new(FALSE, FALSE, sizeof(int32_t));
    gr->members = g_ptr_array_new_with_free_func(g_free);
    return gr;
}

void tm_groups_free(TmGroups *gr)
{
    if (gr == NULL)
        return;
    g_array_unref(gr->cap);
    g_array_unref(gr->floor);
    g_array_unref(gr->n_members);
    g_ptr_array_unref(gr->members);
    g_free(gr->priority);
    g_free(gr);
}

static void groups_pop(TmGroups *gr)
{
    g_array_set_size(gr->cap, gr->cap->len - 1);
    g_array_set_size(gr->floor, gr->floor->len - 1);
    g_array_set_size(gr->n_members, gr->n_members->len - 1);
    g_ptr_array_set_size(gr->members, gr->members->len - 1);
}

int32_t tm_groups_add(TmGroups *gr, const int32_t *members, int32_t n_members, int32_t cap,
                      int32_t floor, GError **error)
{
    if (gr == NULL || n_members < 0 || (n_members > 0 && members == NULL)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            gr ? "group members must not be NULL" : "groups must not be NULL");
        return -1;
    }
    if (cap < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "group %u: cap %" G_GINT32_FORMAT " is negative", gr->members->len, cap);
        return -1;
    }
    if (floor < 0 || floor > cap) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "group %u: floor %" G_GINT32_FORMAT " must be within [0, cap = %"
                    G_GINT32_FORMAT "]", gr->members->len, floor, cap);
        return -1;
    }
    if (gr->members->len >= (guint)G_MAXINT32 - 1) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many groups");
        return -1;
    }
    int32_t *copy = tm_i_try_alloc(n_members, sizeof(int32_t), FALSE, "group members", error);
    if (copy == NULL)
        return -1;
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (int32_t i = 0; i < n_members; i++) {
        int32_t d = members[i];
        const char *bad = NULL;
        int code = 0;
        if (d < 0 || d >= gr->n_demand) {
            bad = "is outside the demand side";
            code = TM_ERROR_OUT_OF_RANGE;
        } else if (!g_hash_table_add(seen, GINT_TO_POINTER(d))) {
            bad = "appears twice";
            code = TM_ERROR_DUPLICATE;
        }
        if (bad) {
            g_set_error(error, TM_ERROR, code,
                        "group %u: member %" G_GINT32_FORMAT " (demand agent %" G_GINT32_FORMAT
                        ") %s", gr->members->len, i, d, bad);
            g_hash_table_unref(seen);
            g_free(copy);
            return -1;
        }
        copy[i] = d;
    }
    g_hash_table_unref(seen);
    int32_t g = (int32_t)gr->members->len;
    g_array_append_val(gr->cap, cap);
    g_array_append_val(gr->floor, floor);
    g_array_append_val(gr->n_members, n_members);
    g_ptr_array_add(gr->members, copy);

    Forest f;
    if (!forest_build(gr, &f, error)) {
        groups_pop(gr);
        return -1;
    }
    for (int32_t p = 0; p <= g; p++) {
        int64_t sum = 0;
        for (int32_t j = f.child_off[p]; j < f.child_off[p + 1]; j++)
            sum += g_array_index(gr->floor, int32_t, f.child[j]);
        if (sum > g_array_index(gr->cap, int32_t, p)) {
            g_set_error(error, TM_ERROR, TM_ERROR_INFEASIBLE,
                        "group %" G_GINT32_FORMAT ": the floors of its sub-groups add up to %"
                        G_GINT64_FORMAT ", more than its cap %" G_GINT32_FORMAT,
                        p, sum, g_array_index(gr->cap, int32_t, p));
            forest_clear(&f);
            groups_pop(gr);
            return -1;
        }
    }
    forest_clear(&f);
    return g;
}

gboolean tm_groups_set_priority(TmGroups *gr, const int32_t *priority, GError **error)
{
    if (gr == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "groups must not be NULL");
        return FALSE;
    }
    int32_t *copy = NULL;
    if (priority) {
        copy = tm_i_try_alloc(gr->n_supply, sizeof(int32_t), FALSE, "priority", error);
        if (copy == NULL)
            return FALSE;
        memcpy(copy, priority, (size_t)gr->n_supply * sizeof(int32_t));
    }
    g_free(gr->priority);
    gr->priority = copy;
    return TRUE;
}

int32_t tm_groups_n(const TmGroups *gr)
{
    return gr ? (int32_t)gr->members->len : 0;
}

int32_t tm_groups_cap(const TmGroups *gr, int32_t g)
{
    if (gr == NULL || g < 0 || g >= (int32_t)gr->members->len)
        return -1;
    return g_array_index(gr->cap, int32_t, g);
}

int32_t tm_groups_floor(const TmGroups *gr, int32_t g)
{
    if (gr == NULL || g < 0 || g >= (int32_t)gr->members->len)
        return -1;
    return g_array_index(gr->floor, int32_t, g);
}

const int32_t *tm_groups_members(const TmGroups *gr, int32_t g, int32_t *n)
{
    if (n)
        *n = 0;
    if (gr == NULL || g < 0 || g >= (int32_t)gr->members->len)
        return NULL;
    int32_t k;
    const int32_t *m = group_members(gr, g, &k);
    if (n)
        *n = k;
    return m;
}

int64_t tm_groups_count(const TmGroups *gr, int32_t g, const TmMatching *mt)
{
    if (gr == NULL || mt == NULL || g < 0 || g >= (int32_t)gr->members->len ||
        mt->market->side[TM_SIDE_DEMAND].n != gr->n_demand)
        return -1;
    int32_t n;
    const int32_t *m = group_members(gr, g, &n);
    int64_t c = 0;
    for (int32_t i = 0; i < n; i++)
        c += tm_matching_n_partners(mt, TM_SIDE_DEMAND, m[i]);
    return c;
}

/* ---- shared solver/audit context ---------------------------------------- */

typedef struct {
    const TmMarket *market;
    const TmGroups *gr;
    Forest f;
    int32_t *eff;     /* L: best priority at or below each contract's site rank */
    int32_t *feff;    /* per group: effective floor f' (0 for roots) */
    int32_t *pool;    /* per group: R = cap - sum of children's f' */
} Ctx;

static void ctx_clear(Ctx *c)
{
    forest_clear(&c->f);
    g_free(c->eff);
    g_free(c->feff);
    g_free(c->pool);
}

/* Contract order key: (eff, site rank, site); smaller = better. */
typedef struct {
    int32_t e, r, d;
} Key;

static inline int key_cmp(Key a, Key b)
{
    if (a.e != b.e)
        return a.e < b.e ? -1 : 1;
    if (a.r != b.r)
        return a.r < b.r ? -1 : 1;
    return (a.d > b.d) - (a.d < b.d);
}

static inline Key contract_key(const Ctx *c, int32_t pos, int32_t d)
{
    const TmSideData *D = &c->market->side[TM_SIDE_DEMAND];
    Key k = {c->eff[pos], pos - D->off[d], d};
    return k;
}

static gboolean ctx_init(Ctx *c, const TmMarket *market, const TmGroups *gr, GError **error)
{
    memset(c, 0, sizeof *c);
    c->market = market;
    c->gr = gr;
    if (market->side[TM_SIDE_SUPPLY].n != gr->n_supply ||
        market->side[TM_SIDE_DEMAND].n != gr->n_demand) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "groups are sized for %" G_GINT32_FORMAT " x %" G_GINT32_FORMAT
                    " agents but the market has %" G_GINT32_FORMAT " x %" G_GINT32_FORMAT,
                    gr->n_supply, gr->n_demand, market->side[0].n, market->side[1].n);
        return FALSE;
    }
    if (!forest_build(gr, &c->f, error))
        return FALSE;
    const TmSideData *D = &market->side[TM_SIDE_DEMAND];
    int32_t G = c->f.n_groups;
    int64_t *reach = NULL;
    if (!(c->eff = tm_i_try_alloc(market->n_pairs, sizeof(int32_t), FALSE, "contract order", error)) ||
        !(c->feff = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(c->pool = tm_i_try_alloc(G, sizeof(int32_t), FALSE, "groups", error)) ||
        !(reach = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups", error))) {
        ctx_clear(c);
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
        int32_t cap = g_array_index(gr->cap, int32_t, g);
        reach[g] = MIN(reach[g], (int64_t)cap);
        if (c->f.parent[g] >= 0)
            reach[c->f.parent[g]] += reach[g];
    }
    for (int32_t g = 0; g < G; g++) {
        int32_t fl = g_array_index(gr->floor, int32_t, g);
        c->feff[g] = c->f.parent[g] >= 0 ? (int32_t)MIN((int64_t)fl, reach[g]) : 0;
    }
    for (int32_t g = 0; g < G; g++) {
        int64_t r = g_array_index(gr->cap, int32_t, g);
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

typedef struct {
    GArray *a; /* Entry */
} Heap;

static inline gboolean entry_worse(const Ctx *c, Entry x, Entry y)
{
    return key_cmp(contract_key(c, x.pos, x.d), contract_key(c, y.pos, y.d)) > 0;
}

static void heap_push(const Ctx *c, Heap *h, Entry x)
{
    g_array_append_val(h->a, x);
    Entry *v = (Entry *)h->a->data;
    guint i = h->a->len - 1;
    while (i > 0) {
        guint p = (i - 1) / 2;
        if (!entry_worse(c, x, v[p]))
            break;
        v[i] = v[p];
        i = p;
    }
    v[i] = x;
}

static void heap_pop(const Ctx *c, Heap *h)
{
    Entry *v = (Entry *)h->a->data;
    guint n = h->a->len - 1;
    Entry x = v[n];
    g_array_set_size(h->a, n);
    if (n == 0)
        return;
    guint i = 0;
    for (;;) {
        guint ch = 2 * i + 1;
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

/* Top alive entry, or pos = -1. */
static Entry heap_top(const Ctx *c, Heap *h, const uint8_t *alive)
{
    while (h->a->len > 0) {
        Entry t = g_array_index(h->a, Entry, 0);
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

typedef struct {
    Ctx c;
    int32_t *hoff, *hcnt, *heap;  /* site heaps of ranks */
    int32_t *count, *usage;       /* per group */
    Heap *all, *direct;           /* per group */
    uint8_t *alive;               /* L */
} Solver;

static void solver_clear(Solver *s)
{
    for (int32_t g = 0; g < s->c.f.n_groups; g++) {
        if (s->all && s->all[g].a)
            g_array_unref(s->all[g].a);
        if (s->direct && s->direct[g].a)
            g_array_unref(s->direct[g].a);
    }
    g_free(s->all);
    g_free(s->direct);
    g_free(s->hoff);
    g_free(s->hcnt);
    g_free(s->heap);
    g_free(s->count);
    g_free(s->usage);
    g_free(s->alive);
    ctx_clear(&s->c);
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
        if (j == f->chain_off[d])
            heap_push(&s->c, &s->direct[g], x);
        heap_push(&s->c, &s->all[g], x);
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
static int32_t solver_offer(Solver *s, int32_t pos, int32_t d)
{
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
        return loser;
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
        return -1;
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
    return w.pos;
}

TmMatching *tm_i_solve_groups(TmMarket *market, const TmGroups *groups, const TmControl *opt,
                              GError **error)
{

    Solver sv;
    memset(&sv, 0, sizeof sv);
    if (!ctx_init(&sv.c, market, groups, error))
        return NULL;
    const TmSideData *S = &market->side[TM_SIDE_SUPPLY];
    const TmSideData *D = &market->side[TM_SIDE_DEMAND];
    int32_t G = sv.c.f.n_groups, ns = S->n, nd = D->n;
    int32_t *next = NULL, *held = NULL, *stack = NULL;
    uint8_t *queued = NULL;
    int32_t *ps = NULL, *pr = NULL, *rs = NULL, *rr = NULL;
    TmMatching *result = NULL;

    if (!(sv.hoff = tm_i_try_alloc((int64_t)nd + 1, sizeof(int32_t), FALSE, "solver heaps", error)) ||
        !(sv.hcnt = tm_i_try_alloc(nd, sizeof(int32_t), TRUE, "solver heaps", error)) ||
        !(sv.count = tm_i_try_alloc(G, sizeof(int32_t), TRUE, "solver groups", error)) ||
        !(sv.usage = tm_i_try_alloc(G, sizeof(int32_t), TRUE, "solver groups", error)) ||
        !(sv.all = tm_i_try_alloc(G, sizeof(Heap), TRUE, "solver groups", error)) ||
        !(sv.direct = tm_i_try_alloc(G, sizeof(Heap), TRUE, "solver groups", error)) ||
        !(sv.alive = tm_i_try_alloc(market->n_pairs, 1, TRUE, "solver state", error)) ||
        !(next = tm_i_try_alloc(ns, sizeof(int32_t), FALSE, "solver state", error)) ||
        !(held = tm_i_try_alloc(ns, sizeof(int32_t), TRUE, "solver state", error)) ||
        !(stack = tm_i_try_alloc(ns, sizeof(int32_t), FALSE, "solver stack", error)) ||
        !(queued = tm_i_try_alloc(ns, 1, FALSE, "solver state", error)))
        goto out;
    for (int32_t g = 0; g < G; g++) {
        sv.all[g].a = g_array_new(FALSE, FALSE, sizeof(Entry));
        sv.direct[g].a = g_array_new(FALSE, FALSE, sizeof(Entry));
    }
    sv.hoff[0] = 0;
    for (int32_t d = 0; d < nd; d++)
        sv.hoff[d + 1] = sv.hoff[d] + MIN(D->cap[d], D->off[d + 1] - D->off[d]);
    if (!(sv.heap = tm_i_try_alloc(sv.hoff[nd], sizeof(int32_t), FALSE, "solver heaps", error)))
        goto out;

    int32_t sp = 0;
    for (int32_t p = ns - 1; p >= 0; p--) {
        next[p] = S->off[p];
        queued[p] = S->cap[p] > 0 && S->off[p] < S->off[p + 1];
        if (queued[p])
            stack[sp++] = p;
    }
    int64_t proposals = 0, next_check = 1 << 14;
    const double total = market->n_pairs > 0 ? (double)market->n_pairs : 1.0;
    while (sp > 0) {
        int32_t p = stack[--sp];
        queued[p] = 0;
        while (held[p] < S->cap[p] && next[p] < S->off[p + 1]) {
            int32_t e = next[p]++;
            int32_t d = S->ids[e];
            int32_t pos = D->off[d] + S->rrank[e];
            proposals++;
            held[p]++;
            int32_t lost = solver_offer(&sv, pos, d);
            if (lost < 0)
                continue;
            int32_t loser = D->ids[lost];
            held[loser]--;
            if (loser != p && !queued[loser]) {
                queued[loser] = 1;
                stack[sp++] = loser;
            }
        }
        if (proposals >= next_check) {
            next_check = proposals + (1 << 14);
            if (tm_cancel_is_triggered(opt->cancel)) {
                g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                            "deferred acceptance with groups cancelled after %" G_GINT64_FORMAT
                            " proposals", proposals);
                goto out;
            }
            if (opt->progress)
                opt->progress(MIN(1.0, (double)proposals / total), opt->progress_data);
        }
    }
    if (tm_cancel_is_triggered(opt->cancel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                    "deferred acceptance with groups cancelled after %" G_GINT64_FORMAT
                    " proposals", proposals);
        goto out;
    }

    int64_t n_pairs = 0;
    for (int32_t d = 0; d < nd; d++)
        n_pairs += sv.hcnt[d];
    if (!(ps = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(pr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rs = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)) ||
        !(rr = tm_i_try_alloc(n_pairs, sizeof(int32_t), FALSE, "solver result", error)))
        goto out;
    int64_t k = 0;
    for (int32_t d = 0; d < nd; d++) {
        int32_t *hp = sv.heap + sv.hoff[d];
        for (int32_t i = 0; i < sv.hcnt[d]; i++) {
            int32_t pos = D->off[d] + hp[i];
            rs[k] = d;
            rr[k] = hp[i];
            ps[k] = D->ids[pos];
            pr[k] = D->rrank[pos];
            k++;
        }
    }
    if (opt->progress)
        opt->progress(1.0, opt->progress_data);
    result = tm_i_matching_build(market, ps, rs, pr, rr, n_pairs, proposals, error);

out:
    g_free(next);
    g_free(held);
    g_free(stack);
    g_free(queued);
    g_free(ps);
    g_free(pr);
    g_free(rs);
    g_free(rr);
    solver_clear(&sv);
    return result;
}

/* ---- audit --------------------------------------------------------------- */

TmVerdict *tm_matching_check_groups(const TmMatching *mt, const TmGroups *groups,
                                    GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (mt == NULL || groups == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "matching and groups must not be NULL");
        return NULL;
    }
    const TmMarket *m = mt->market;
    Ctx c;
    if (!ctx_init(&c, m, groups, error))
        return NULL;
    TmVerdict *v = tm_matching_check(mt, error);
    if (v == NULL) {
        ctx_clear(&c);
        return NULL;
    }
    const TmSideData *S = &m->side[TM_SIDE_SUPPLY];
    const TmSideData *D = &m->side[TM_SIDE_DEMAND];
    const TmMatchSide *MS = &mt->side[TM_SIDE_SUPPLY];
    const TmMatchSide *MD = &mt->side[TM_SIDE_DEMAND];
    const Forest *f = &c.f;
    int32_t G = f->n_groups;
    int64_t *count = g_new0(int64_t, MAX(G, 1));
    int64_t *usage = g_new0(int64_t, MAX(G, 1));
    Key *site_worst = g_new(Key, MAX(D->n, 1));
    Key *all_worst = g_new(Key, MAX(G, 1));
    Key *direct_worst = g_new(Key, MAX(G, 1));
    Key *base = g_new(Key, MAX(G, 1));
    int32_t *thr_s = g_new(int32_t, MAX(S->n, 1));
    int32_t *mark = g_new(int32_t, MAX(D->n, 1));
    const Key none = {G_MININT32, G_MININT32, G_MININT32};
    GArray *bs = g_array_new(FALSE, FALSE, sizeof(int32_t));
    GArray *bd = g_array_new(FALSE, FALSE, sizeof(int32_t));

    for (int32_t g = 0; g < G; g++)
        all_worst[g] = direct_worst[g] = base[g] = none;
    /* per-site worst contract and group counts */
    for (int32_t d = 0; d < D->n; d++) {
        site_worst[d] = none;
        int32_t k = MD->off[d + 1] - MD->off[d];
        for (int32_t j = MD->off[d]; j < MD->off[d + 1]; j++) {
            Key key;
            if (MD->prank[j] >= 0)
                key = contract_key(&c, D->off[d] + MD->prank[j], d);
            else
                key = (Key){G_MAXINT32, G_MAXINT32, d};
            if (key_cmp(key, site_worst[d]) > 0 || site_worst[d].d == G_MININT32)
                site_worst[d] = key;
        }
        gboolean first = TRUE;
        for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
            int32_t g = f->chain[j];
            count[g] += k;
            if (k > 0) {
                if (first && (direct_worst[g].d == G_MININT32 ||
                              key_cmp(site_worst[d], direct_worst[g]) > 0))
                    direct_worst[g] = site_worst[d];
                if (all_worst[g].d == G_MININT32 || key_cmp(site_worst[d], all_worst[g]) > 0)
                    all_worst[g] = site_worst[d];
            }
            if (first)
                usage[g] += k;
            first = FALSE;
        }
    }
    for (int32_t g = 0; g < G; g++) {
        base[g] = direct_worst[g];
        for (int32_t j = f->child_off[g]; j < f->child_off[g + 1]; j++) {
            int32_t ch = f->child[j];
            int64_t over = count[ch] - c.feff[ch];
            if (over > 0) {
                usage[g] += over;
                if (all_worst[ch].d != G_MININT32 &&
                    (base[g].d == G_MININT32 || key_cmp(all_worst[ch], base[g]) > 0))
                    base[g] = all_worst[ch];
            }
        }
        if (count[g] > g_array_index(groups->cap, int32_t, g) || usage[g] > c.pool[g]) {
            TmViolation x = {TM_VIOLATION_GROUP_OVER_CAP, TM_SIDE_DEMAND, g,
                             (int32_t)MIN(count[g], G_MAXINT32),
                             g_array_index(groups->cap, int32_t, g), -1, -1};
            g_array_append_val(v->violations, x);
        }
    }
    /* supply thresholds, as in the plain audit */
    for (int32_t s = 0; s < S->n; s++) {
        int32_t k = MS->off[s + 1] - MS->off[s];
        if (k < S->cap[s]) {
            thr_s[s] = G_MAXINT32;
            continue;
        }
        int32_t worst = -1;
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            worst = MS->prank[j] < 0 ? G_MAXINT32 : MAX(worst, MS->prank[j]);
        thr_s[s] = worst;
    }
    memset(mark, 0xff, (size_t)MAX(D->n, 1) * sizeof(int32_t));
    for (int32_t s = 0; s < S->n; s++) {
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            mark[MS->ids[j]] = s;
        for (int32_t e = S->off[s]; e < S->off[s + 1]; e++) {
            if (e - S->off[s] >= thr_s[s])
                break;
            int32_t d = S->ids[e];
            if (mark[d] == s)
                continue;
            int32_t pos = D->off[d] + S->rrank[e];
            Key x = contract_key(&c, pos, d);
            int32_t kd = MD->off[d + 1] - MD->off[d];
            gboolean kept;
            if (kd >= D->cap[d]) {
                kept = D->cap[d] > 0 && kd > 0 && key_cmp(x, site_worst[d]) < 0;
            } else {
                int32_t bad = -1, child_on_chain = -1;
                gboolean uses_pool = TRUE;
                for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
                    int32_t g = f->chain[j];
                    if (uses_pool && usage[g] >= c.pool[g]) {
                        bad = g;
                        child_on_chain = j > f->chain_off[d] ? f->chain[j - 1] : -1;
                        break;
                    }
                    uses_pool = count[g] >= c.feff[g];
                }
                if (bad < 0) {
                    kept = TRUE;
                } else {
                    Key w = x;
                    if (base[bad].d != G_MININT32 && key_cmp(base[bad], w) > 0)
                        w = base[bad];
                    if (child_on_chain >= 0 && count[child_on_chain] == c.feff[child_on_chain] &&
                        all_worst[child_on_chain].d != G_MININT32 &&
                        key_cmp(all_worst[child_on_chain], w) > 0)
                        w = all_worst[child_on_chain];
                    kept = key_cmp(w, x) != 0;
                }
            }
            if (kept) {
                g_array_append_val(bs, s);
                g_array_append_val(bd, d);
            }
        }
    }
    g_free(v->bs);
    g_free(v->bd);
    v->n_blocking = bs->len;
    v->bs = (int32_t *)g_array_free(bs, FALSE);
    v->bd = (int32_t *)g_array_free(bd, FALSE);
    g_free(count);
    g_free(usage);
    g_free(site_worst);
    g_free(all_worst);
    g_free(direct_worst);
    g_free(base);
    g_free(thr_s);
    g_free(mark);
    ctx_clear(&c);
    return v;
}
