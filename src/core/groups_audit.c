/* techmatch — the audit of a matching under groups (caps and floors).
 *
 * Violations (a group over its cap or using seats reserved for a sub-group)
 * are read off the matching as it is.  Blocking pairs follow the definition
 * of groups.h: (s, d) blocks when s would take d and the demand side's choice
 * from the current contracts plus (s, d) keeps (s, d).  The choice is a
 * matroid's greedy basis, so (s, d) is kept from C + (s, d) exactly when it is
 * kept from G0 + (s, d), where G0 is the greedy choice from C alone — and G0
 * is feasible, which the fast test below needs.  For a feasible matching G0
 * is the matching itself; for one that breaks a cap or a capacity it is the
 * part of it the demand side would keep.
 */
#include "core/groups_private.h"

#include <stdlib.h>
#include <string.h>

/* Counts and worst contracts per site and group, for one held set. */
typedef struct {
    int32_t *site_n;              /* per site: contracts held */
    Key *site_worst;              /* per site */
    int64_t *count, *usage;       /* per group */
    Key *all_worst, *direct_worst, *base;
} Tally;

static const Key none = {G_MININT32, G_MININT32, G_MININT32};

static void tally_clear(Tally *t)
{
    g_free(t->site_n);
    g_free(t->site_worst);
    g_free(t->count);
    g_free(t->usage);
    g_free(t->all_worst);
    g_free(t->direct_worst);
    g_free(t->base);
    memset(t, 0, sizeof *t);
}

static gboolean tally_alloc(Tally *t, int32_t nd, int32_t G, GError **error)
{
    memset(t, 0, sizeof *t);
    if ((t->site_n = tm_i_try_alloc(nd, sizeof(int32_t), TRUE, "groups audit", error)) &&
        (t->site_worst = tm_i_try_alloc(nd, sizeof(Key), FALSE, "groups audit", error)) &&
        (t->count = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups audit", error)) &&
        (t->usage = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups audit", error)) &&
        (t->all_worst = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)) &&
        (t->direct_worst = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)) &&
        (t->base = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)))
        return TRUE;
    tally_clear(t);
    return FALSE;
}

static inline void take_worst(Key *w, Key k)
{
    if (w->d == G_MININT32 || key_cmp(k, *w) > 0)
        *w = k;
}

/* Group counts, usages and worst contracts from t->site_n and
 * t->site_worst (filled by the caller). */
static void tally_groups(const Ctx *c, Tally *t)
{
    const Forest *f = &c->f;
    const int32_t G = f->n_groups;
    for (int32_t g = 0; g < G; g++)
        t->all_worst[g] = t->direct_worst[g] = t->base[g] = none;
    for (int32_t d = 0; d < f->n_demand; d++) {
        int32_t k = t->site_n[d];
        for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
            int32_t g = f->chain[j];
            gboolean direct = j == f->chain_off[d];
            t->count[g] += k;
            if (direct)
                t->usage[g] += k;
            if (k > 0) {
                if (direct)
                    take_worst(&t->direct_worst[g], t->site_worst[d]);
                take_worst(&t->all_worst[g], t->site_worst[d]);
            }
        }
    }
    for (int32_t g = 0; g < G; g++) {
        t->base[g] = t->direct_worst[g];
        for (int32_t j = f->child_off[g]; j < f->child_off[g + 1]; j++) {
            int32_t ch = f->child[j];
            int64_t over = t->count[ch] - c->feff[ch];
            if (over > 0) {
                t->usage[g] += over;
                if (t->all_worst[ch].d != G_MININT32)
                    take_worst(&t->base[g], t->all_worst[ch]);
            }
        }
    }
}

/* The matching as it is (for the violations). */
static void tally_matching(const Ctx *c, const TmMatching *mt, Tally *t)
{
    const TmSideData *D = &mt->market->side[TM_SIDE_DEMAND];
    const TmMatchSide *MD = &mt->side[TM_SIDE_DEMAND];
    for (int32_t d = 0; d < D->n; d++) {
        t->site_worst[d] = none;
        t->site_n[d] = MD->off[d + 1] - MD->off[d];
        for (int32_t j = MD->off[d]; j < MD->off[d + 1]; j++) {
            Key key = MD->prank[j] >= 0 ? contract_key(c, D->off[d] + MD->prank[j], d)
                                        : (Key){G_MAXINT32, G_MAXINT32, d};
            take_worst(&t->site_worst[d], key);
        }
    }
    tally_groups(c, t);
}

typedef struct {
    const Ctx *c;
    int32_t pos, d;
} Contract;

static int cmp_contract(const void *a, const void *b)
{
    const Contract *x = a, *y = b;
    return key_cmp(contract_key(x->c, x->pos, x->d), contract_key(y->c, y->pos, y->d));
}

/* G0: the demand side's greedy choice from the matching's acceptable
 * contracts, offered best first (each offer is then kept or refused
 * itself). */
static gboolean tally_choice(const Ctx *c, const TmMatching *mt, const TmGroups *groups,
                             Tally *t, GError **error)
{
    const TmMarket *m = mt->market;
    const TmSideData *D = &m->side[TM_SIDE_DEMAND];
    const TmMatchSide *MD = &mt->side[TM_SIDE_DEMAND];
    Contract *v = tm_i_try_alloc(mt->n_pairs, sizeof(Contract), FALSE, "groups audit", error);
    TmGroupChoice *choice = v ? tm_i_choice_new(m, groups, error) : NULL;
    if (choice == NULL) {
        g_free(v);
        return FALSE;
    }
    int64_t n = 0;
    for (int32_t d = 0; d < D->n; d++)
        for (int32_t j = MD->off[d]; j < MD->off[d + 1]; j++)
            if (MD->prank[j] >= 0)
                v[n++] = (Contract){c, D->off[d] + MD->prank[j], d};
    qsort(v, (size_t)n, sizeof(Contract), cmp_contract);
    for (int64_t i = 0; i < n; i++) {
        if (tm_i_choice_offer(choice, v[i].pos, v[i].d) == TM_I_CHOICE_NO_MEMORY) {
            g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                                "groups audit: cannot grow the groups' contract heaps");
            tm_i_choice_free(choice);
            g_free(v);
            return FALSE;
        }
    }
    for (int32_t d = 0; d < D->n; d++) {
        int32_t k;
        const int32_t *held = tm_i_choice_held(choice, d, &k);
        t->site_n[d] = k;
        t->site_worst[d] = none;
        for (int32_t i = 0; i < k; i++)
            take_worst(&t->site_worst[d], contract_key(c, D->off[d] + held[i], d));
    }
    tally_groups(c, t);
    tm_i_choice_free(choice);
    g_free(v);
    return TRUE;
}

static gboolean add_group_violations(const Ctx *c, const TmGroups *groups, const Tally *t,
                                     TmVerdict *v, GError **error)
{
    for (int32_t g = 0; g < c->f.n_groups; g++) {
        int32_t cap = TM_I_GROUP(groups, g).cap;
        if (t->count[g] > cap || t->usage[g] > c->pool[g]) {
            TmViolation x = {TM_VIOLATION_GROUP_OVER_CAP, TM_SIDE_DEMAND, g,
                             (int32_t)MIN(t->count[g], G_MAXINT32), cap, -1, -1};
            if (!tm_i_buf_push(&v->violations, &x, "audit violations", error))
                return FALSE;
        }
    }
    return TRUE;
}

/* Would the demand side keep contract @pos (site @d) offered beside the
 * feasible held set tallied in @t? */
static gboolean kept(const Ctx *c, const TmSideData *D, const Tally *t, int32_t pos, int32_t d)
{
    const Forest *f = &c->f;
    Key x = contract_key(c, pos, d);
    int32_t kd = t->site_n[d];
    if (kd >= D->cap[d])
        return D->cap[d] > 0 && kd > 0 && key_cmp(x, t->site_worst[d]) < 0;
    /* the lowest level whose pool x would use while it is full */
    int32_t bad = -1, child_on_chain = -1;
    gboolean uses_pool = TRUE;
    for (int32_t j = f->chain_off[d]; j < f->chain_off[d + 1]; j++) {
        int32_t g = f->chain[j];
        if (uses_pool && t->usage[g] >= c->pool[g]) {
            bad = g;
            child_on_chain = j > f->chain_off[d] ? f->chain[j - 1] : -1;
            break;
        }
        uses_pool = t->count[g] >= c->feff[g];
    }
    if (bad < 0)
        return TRUE;
    Key w = x;
    if (t->base[bad].d != G_MININT32 && key_cmp(t->base[bad], w) > 0)
        w = t->base[bad];
    if (child_on_chain >= 0 && t->count[child_on_chain] == c->feff[child_on_chain] &&
        t->all_worst[child_on_chain].d != G_MININT32 &&
        key_cmp(t->all_worst[child_on_chain], w) > 0)
        w = t->all_worst[child_on_chain];
    return key_cmp(w, x) != 0;
}

/* Supply thresholds as in the plain audit (the rank a partner must beat). */
static void supply_thresholds(const TmMatching *mt, int32_t *thr)
{
    const TmSideData *S = &mt->market->side[TM_SIDE_SUPPLY];
    const TmMatchSide *MS = &mt->side[TM_SIDE_SUPPLY];
    for (int32_t s = 0; s < S->n; s++) {
        int32_t k = MS->off[s + 1] - MS->off[s];
        if (k < S->cap[s]) {
            thr[s] = G_MAXINT32;
            continue;
        }
        int32_t worst = -1;
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            worst = MS->prank[j] < 0 ? G_MAXINT32 : MAX(worst, MS->prank[j]);
        thr[s] = worst;
    }
}

static gboolean find_blocking(const Ctx *c, const TmMatching *mt, const Tally *t, TmVerdict *v,
                              GError **error)
{
    const TmSideData *S = &mt->market->side[TM_SIDE_SUPPLY];
    const TmSideData *D = &mt->market->side[TM_SIDE_DEMAND];
    const TmMatchSide *MS = &mt->side[TM_SIDE_SUPPLY];
    int32_t *thr = tm_i_try_alloc(S->n, sizeof(int32_t), FALSE, "groups audit", error);
    int32_t *mark = thr ? tm_i_try_alloc(D->n, sizeof(int32_t), FALSE, "groups audit", error)
                        : NULL;
    gboolean ok = mark != NULL;
    int64_t bcap[2] = {0, 0};
    if (ok) {
        supply_thresholds(mt, thr);
        memset(mark, 0xff, (size_t)D->n * sizeof(int32_t));
    }
    for (int32_t s = 0; ok && s < S->n; s++) {
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            mark[MS->ids[j]] = s;
        for (int32_t e = S->off[s]; ok && e < S->off[s + 1]; e++) {
            if (e - S->off[s] >= thr[s])
                break;
            int32_t d = S->ids[e];
            if (mark[d] != s && kept(c, D, t, D->off[d] + S->rpos[e], d))
                ok = tm_i_verdict_add_blocking(v, bcap, s, d, error);
        }
    }
    g_free(thr);
    g_free(mark);
    return ok;
}

TmVerdict *tm_matching_check_groups(const TmMatching *mt, const TmGroups *groups,
                                    GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (mt == NULL || groups == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "matching and groups must not be NULL");
        return NULL;
    }
    if (tm_i_market_has_ties(mt->market)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "the audit under groups needs strict preference lists: this market "
                            "has ties (audit it without groups, for weak stability)");
        return NULL;
    }
    Ctx c;
    if (!tm_i_groups_ctx_init(&c, mt->market, groups, error))
        return NULL;
    TmVerdict *v = tm_matching_check(mt, error);
    Tally now, g0;
    memset(&now, 0, sizeof now);
    memset(&g0, 0, sizeof g0);
    const int32_t nd = mt->market->side[TM_SIDE_DEMAND].n, G = c.f.n_groups;
    gboolean ok = v && tally_alloc(&now, nd, G, error) && tally_alloc(&g0, nd, G, error);
    if (ok) {
        tally_matching(&c, mt, &now);
        ok = add_group_violations(&c, groups, &now, v, error) &&
             tally_choice(&c, mt, groups, &g0, error);
    }
    if (ok) {
        /* the blocking pairs under the groups replace the plain audit's */
        g_clear_pointer(&v->bs, g_free);
        g_clear_pointer(&v->bd, g_free);
        v->n_blocking = 0;
        ok = find_blocking(&c, mt, &g0, v, error);
    }
    if (!ok) {
        tm_verdict_free(v);
        v = NULL;
    }
    tally_clear(&now);
    tally_clear(&g0);
    tm_i_groups_ctx_clear(&c);
    return v;
}
