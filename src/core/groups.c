/* techmatch — caps and floors over laminar groups of demand agents: the
 * TmGroups object and its laminar forest.  The choice of the demand side under
 * the groups is in groups_choice.c, the audit in groups_audit.c.
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
#include "core/groups_private.h"

#include <string.h>

void tm_i_forest_clear(Forest *f)
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
    *n = TM_I_GROUP(gr, g).n;
    return TM_I_GROUP(gr, g).members;
}

/* Order of groups in a site's chain: by size, then index. */
static int cmp_group_size(const void *a, const void *b, void *data)
{
    const TmGroups *gr = data;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int32_t sx = TM_I_GROUP(gr, x).n;
    int32_t sy = TM_I_GROUP(gr, y).n;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return (x > y) - (x < y);
}

gboolean tm_i_forest_build(const TmGroups *gr, int32_t G, Forest *f, GError **error)
{
    memset(f, 0, sizeof *f);
    const int32_t nd = gr->n_demand;
    f->n_groups = G;
    f->n_demand = nd;
    int64_t total = 0;
    for (int32_t g = 0; g < G; g++)
        total += TM_I_GROUP(gr, g).n;
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
    tm_i_forest_clear(f);
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
    gr->groups = (TmIBuf)TM_I_BUF_INIT(TmGroupRec);
    return gr;
}

void tm_groups_free(TmGroups *gr)
{
    if (gr == NULL)
        return;
    for (int64_t g = 0; g < gr->groups.n; g++)
        g_free(TM_I_GROUP(gr, g).members);
    g_free(gr->groups.v);
    g_free(gr->priority);
    g_free(gr->stamp);
    g_free(gr);
}

/* Checks one group on its own; laminarity and floors are properties of the
 * whole family (tm_groups_validate()).  A member stamp per demand agent makes
 * the duplicate test O(members). */
int32_t tm_groups_add(TmGroups *gr, const int32_t *members, int32_t n_members, int32_t cap,
                      int32_t floor, GError **error)
{
    if (gr == NULL || n_members < 0 || (n_members > 0 && members == NULL)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            gr ? "group members must not be NULL" : "groups must not be NULL");
        return -1;
    }
    const int32_t g = (int32_t)gr->groups.n;
    if (cap < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "group %" G_GINT32_FORMAT ": cap %" G_GINT32_FORMAT " is negative", g, cap);
        return -1;
    }
    if (floor < 0 || floor > cap) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "group %" G_GINT32_FORMAT ": floor %" G_GINT32_FORMAT
                    " must be within [0, cap = %" G_GINT32_FORMAT "]", g, floor, cap);
        return -1;
    }
    if (g >= G_MAXINT32 - 1 || gr->memberships + n_members > G_MAXINT32) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW,
                            "too many groups or group memberships");
        return -1;
    }
    if (gr->stamp == NULL &&
        !(gr->stamp = tm_i_try_alloc(gr->n_demand, sizeof(int32_t), FALSE, "groups", error)))
        return -1;
    if (g == 0)
        memset(gr->stamp, 0xff, (size_t)gr->n_demand * sizeof(int32_t));
    int32_t *copy = tm_i_try_alloc(n_members, sizeof(int32_t), FALSE, "group members", error);
    if (copy == NULL)
        return -1;
    for (int32_t i = 0; i < n_members; i++) {
        int32_t d = members[i];
        const char *bad = NULL;
        int code = 0;
        if (d < 0 || d >= gr->n_demand) {
            bad = "is outside the demand side";
            code = TM_ERROR_OUT_OF_RANGE;
        } else if (gr->stamp[d] == g) {
            bad = "appears twice";
            code = TM_ERROR_DUPLICATE;
        }
        if (bad) {
            g_set_error(error, TM_ERROR, code,
                        "group %" G_GINT32_FORMAT ": member %" G_GINT32_FORMAT
                        " (demand agent %" G_GINT32_FORMAT ") %s", g, i, d, bad);
            g_free(copy);
            return -1;
        }
        gr->stamp[d] = g;
        copy[i] = d;
    }
    TmGroupRec rec = {cap, floor, n_members, copy};
    if (!tm_i_buf_push(&gr->groups, &rec, "groups", error)) {
        g_free(copy);
        return -1;
    }
    gr->memberships += n_members;
    return g;
}

/* Floors inside caps, on a built forest: the floors of each group's
 * sub-groups add up to at most its cap.  Sets *culprit to the group. */
static gboolean floors_fit(const TmGroups *gr, const Forest *f, int32_t *culprit,
                           GError **error)
{
    for (int32_t p = 0; p < f->n_groups; p++) {
        int64_t sum = 0;
        for (int32_t j = f->child_off[p]; j < f->child_off[p + 1]; j++)
            sum += TM_I_GROUP(gr, f->child[j]).floor;
        if (sum > TM_I_GROUP(gr, p).cap) {
            *culprit = p;
            g_set_error(error, TM_ERROR, TM_ERROR_INFEASIBLE,
                        "group %" G_GINT32_FORMAT ": the floors of its sub-groups add up to %"
                        G_GINT64_FORMAT ", more than its cap %" G_GINT32_FORMAT,
                        p, sum, TM_I_GROUP(gr, p).cap);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean tm_i_groups_check(const TmGroups *gr, Forest *f, int32_t *culprit, GError **error)
{
    int32_t dummy;
    if (culprit == NULL)
        culprit = &dummy;
    *culprit = -1;
    GError *e = NULL;
    if (!tm_i_forest_build(gr, (int32_t)gr->groups.n, f, &e)) {
        if (e->code == TM_ERROR_INVALID_ARGUMENT) {
            /* name the first group (in the order added) that crosses an
             * earlier one: the shortest non-laminar prefix, by bisection */
            int32_t lo = 1, hi = (int32_t)gr->groups.n; /* prefix hi fails */
            while (lo < hi) {
                int32_t mid = lo + (hi - lo) / 2;
                Forest t;
                GError *te = NULL;
                if (tm_i_forest_build(gr, mid, &t, &te)) {
                    tm_i_forest_clear(&t);
                    lo = mid + 1;
                } else {
                    gboolean crossing = te->code == TM_ERROR_INVALID_ARGUMENT;
                    g_error_free(te);
                    if (!crossing)
                        break; /* out of memory: keep the whole family's message */
                    hi = mid;
                }
            }
            *culprit = hi - 1;
            g_prefix_error(&e, "group %" G_GINT32_FORMAT ": ", hi - 1);
        }
        g_propagate_error(error, e);
        return FALSE;
    }
    if (!floors_fit(gr, f, culprit, error)) {
        tm_i_forest_clear(f);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_groups_validate(const TmGroups *groups, int32_t *culprit, GError **error)
{
    if (groups == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "groups must not be NULL");
        return FALSE;
    }
    Forest f;
    if (!tm_i_groups_check(groups, &f, culprit, error))
        return FALSE;
    tm_i_forest_clear(&f);
    return TRUE;
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

gboolean tm_groups_has_priority(const TmGroups *gr)
{
    return gr != NULL && gr->priority != NULL;
}

gboolean tm_groups_get_priority(const TmGroups *gr, int32_t *out, int64_t capacity,
                                GError **error)
{
    if (gr == NULL || out == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "groups and the output buffer must not be NULL");
        return FALSE;
    }
    if (gr->priority == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "the groups have no priority");
        return FALSE;
    }
    if (capacity < gr->n_supply) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "priority buffer too small: %" G_GINT64_FORMAT " entries, %" G_GINT32_FORMAT
                    " needed", capacity, gr->n_supply);
        return FALSE;
    }
    memcpy(out, gr->priority, (size_t)gr->n_supply * sizeof(int32_t));
    return TRUE;
}

int32_t tm_groups_n(const TmGroups *gr)
{
    return gr ? (int32_t)gr->groups.n : 0;
}

int32_t tm_groups_cap(const TmGroups *gr, int32_t g)
{
    if (gr == NULL || g < 0 || g >= (int32_t)gr->groups.n)
        return -1;
    return TM_I_GROUP(gr, g).cap;
}

int32_t tm_groups_floor(const TmGroups *gr, int32_t g)
{
    if (gr == NULL || g < 0 || g >= (int32_t)gr->groups.n)
        return -1;
    return TM_I_GROUP(gr, g).floor;
}

const int32_t *tm_groups_members(const TmGroups *gr, int32_t g, int32_t *n)
{
    if (n)
        *n = 0;
    if (gr == NULL || g < 0 || g >= (int32_t)gr->groups.n)
        return NULL;
    int32_t k;
    const int32_t *m = group_members(gr, g, &k);
    if (n)
        *n = k;
    return m;
}

int64_t tm_groups_count(const TmGroups *gr, int32_t g, const TmMatching *mt)
{
    if (gr == NULL || mt == NULL || g < 0 || g >= (int32_t)gr->groups.n ||
        mt->market->side[TM_SIDE_DEMAND].n != gr->n_demand)
        return -1;
    int32_t n;
    const int32_t *m = group_members(gr, g, &n);
    int64_t c = 0;
    for (int32_t i = 0; i < n; i++)
        c += tm_matching_n_partners(mt, TM_SIDE_DEMAND, m[i]);
    return c;
}

