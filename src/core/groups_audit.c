/* techmatch — the audit of a matching under groups (caps and floors). */
#include "core/groups_private.h"

#include <string.h>

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
    if (!tm_i_groups_ctx_init(&c, m, groups, error))
        return NULL;
    TmVerdict *v = tm_matching_check(mt, error);
    if (v == NULL) {
        tm_i_groups_ctx_clear(&c);
        return NULL;
    }
    const TmSideData *S = &m->side[TM_SIDE_SUPPLY];
    const TmSideData *D = &m->side[TM_SIDE_DEMAND];
    const TmMatchSide *MS = &mt->side[TM_SIDE_SUPPLY];
    const TmMatchSide *MD = &mt->side[TM_SIDE_DEMAND];
    const Forest *f = &c.f;
    int32_t G = f->n_groups;
    int64_t *count = NULL, *usage = NULL;
    Key *site_worst = NULL, *all_worst = NULL, *direct_worst = NULL, *base = NULL;
    int32_t *thr_s = NULL, *mark = NULL;
    int64_t bcap = 0;
    if (!(count = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups audit", error)) ||
        !(usage = tm_i_try_alloc(G, sizeof(int64_t), TRUE, "groups audit", error)) ||
        !(site_worst = tm_i_try_alloc(D->n, sizeof(Key), FALSE, "groups audit", error)) ||
        !(all_worst = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)) ||
        !(direct_worst = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)) ||
        !(base = tm_i_try_alloc(G, sizeof(Key), FALSE, "groups audit", error)) ||
        !(thr_s = tm_i_try_alloc(S->n, sizeof(int32_t), FALSE, "groups audit", error)) ||
        !(mark = tm_i_try_alloc(D->n, sizeof(int32_t), FALSE, "groups audit", error))) {
        tm_verdict_free(v);
        v = NULL;
        goto out;
    }
    const Key none = {G_MININT32, G_MININT32, G_MININT32};
    /* the blocking pairs under the groups replace the plain audit's */
    g_clear_pointer(&v->bs, g_free);
    g_clear_pointer(&v->bd, g_free);
    v->n_blocking = 0;

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
            if (!tm_i_buf_push(&v->violations, &x, "audit violations", error))
                goto fail;
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
    memset(mark, 0xff, (size_t)D->n * sizeof(int32_t));
    for (int32_t s = 0; s < S->n; s++) {
        for (int32_t j = MS->off[s]; j < MS->off[s + 1]; j++)
            mark[MS->ids[j]] = s;
        for (int32_t e = S->off[s]; e < S->off[s + 1]; e++) {
            if (e - S->off[s] >= thr_s[s])
                break;
            int32_t d = S->ids[e];
            if (mark[d] == s)
                continue;
            int32_t pos = D->off[d] + S->rpos[e];
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
                if (!tm_i_verdict_add_blocking(v, &bcap, s, d, error))
                    goto fail;
            }
        }
    }
    goto out;
fail:
    tm_verdict_free(v);
    v = NULL;
out:
    g_free(count);
    g_free(usage);
    g_free(site_worst);
    g_free(all_worst);
    g_free(direct_worst);
    g_free(base);
    g_free(thr_s);
    g_free(mark);
    tm_i_groups_ctx_clear(&c);
    return v;
}
