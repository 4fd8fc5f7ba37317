/* techmatch — groups (caps and floors): definitions shared by the groups
 * object, the demand side's choice under them and the audit (private to the
 * core). */
#ifndef TECHMATCH_CORE_GROUPS_PRIVATE_H
#define TECHMATCH_CORE_GROUPS_PRIVATE_H

#include "core/internal.h"

/* One group: its cap, floor and members (n of them, owned). */
typedef struct {
    int32_t cap, floor, n;
    int32_t *members;
} TmGroupRec;

struct TmGroups {
    int32_t n_supply, n_demand;
    TmIBuf groups;            /* TmGroupRec, in the order added */
    int32_t *priority;        /* n_supply or NULL */
    int32_t *stamp;           /* n_demand: the last group listing each site (add's check) */
    int64_t memberships;      /* sum of group sizes */
};

#define TM_I_GROUP(gr, g) tm_i_buf_at(&(gr)->groups, TmGroupRec, (g))

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

G_GNUC_INTERNAL void tm_i_forest_clear(Forest *f);
/* The forest of the first @n_groups groups; TM_ERROR_INVALID_ARGUMENT when
 * they are not laminar.  O(M log M) for M memberships. */
G_GNUC_INTERNAL gboolean tm_i_forest_build(const TmGroups *gr, int32_t n_groups, Forest *f,
                                           GError **error);
/* The whole family's checks (laminar, floors within caps) and its forest
 * (*f, to clear with tm_i_forest_clear()); see tm_groups_validate(). */
G_GNUC_INTERNAL gboolean tm_i_groups_check(const TmGroups *gr, Forest *f, int32_t *culprit,
                                           GError **error);

/* ---- context shared by the choice and the audit --------------------------- */

typedef struct {
    const TmMarket *market;
    const TmGroups *gr;
    Forest f;
    int32_t *eff;     /* L: best priority at or below each contract's site rank */
    int32_t *feff;    /* per group: effective floor f' (0 for roots) */
    int32_t *pool;    /* per group: R = cap - sum of children's f' */
} Ctx;

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

/* Fills @c for @market under @gr: the forest, the contract order and the
 * effective floors and pools.  Refuses markets with ties
 * (TM_ERROR_UNSUPPORTED) and groups sized for another market. */
G_GNUC_INTERNAL gboolean tm_i_groups_ctx_init(Ctx *c, const TmMarket *market, const TmGroups *gr,
                                              GError **error);
G_GNUC_INTERNAL void tm_i_groups_ctx_clear(Ctx *c);

/* ---- the demand side's choice (groups_choice.c) ---------------------------- */

/* The held set of the demand side under the groups, and its greedy choice.
 * Contracts are named by their entry in the demand side's CSR (pos); the
 * held contracts of site d are positions relative to d's list. */
typedef struct TmGroupChoice TmGroupChoice;

G_GNUC_INTERNAL TmGroupChoice *tm_i_choice_new(const TmMarket *market, const TmGroups *gr,
                                               GError **error);
G_GNUC_INTERNAL void tm_i_choice_free(TmGroupChoice *choice);
/* Offers contract @pos (at site @d).  Returns the contract rejected as a
 * result (@pos itself, a held one), -1 when every contract is kept, or
 * TM_I_CHOICE_NO_MEMORY when the choice's heaps could not grow (the choice
 * is then spoilt: every later offer returns the same). */
#define TM_I_CHOICE_NO_MEMORY (-2)
G_GNUC_INTERNAL int32_t tm_i_choice_offer(TmGroupChoice *choice, int32_t pos, int32_t d);
/* Held contracts of site @d (borrowed, unordered positions in d's list). */
G_GNUC_INTERNAL const int32_t *tm_i_choice_held(const TmGroupChoice *choice, int32_t d,
                                                int32_t *n);

#endif /* TECHMATCH_CORE_GROUPS_PRIVATE_H */
