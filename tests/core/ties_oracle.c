/* Brute-force oracle for small markets with ties (ties_oracle.h). */
#include "ties_oracle.h"

#include <stdlib.h>
#include <string.h>

uint64_t to_rng(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int lists(const ToMarket *m, int side, int a, int b)
{
    for (int k = 0; k < m->len[side][a]; k++)
        if (m->list[side][a][k] == b)
            return 1;
    return 0;
}

int to_prepare(ToMarket *m)
{
    for (int side = 0; side < 2; side++)
        if (m->n[side] < 0 || m->n[side] > TO_MAXN)
            return -1;
    for (int side = 0; side < 2; side++) {
        for (int a = 0; a < m->n[side]; a++) {
            for (int b = 0; b < TO_MAXN; b++)
                m->r[side][a][b] = -1;
            if (m->len[side][a] < 0 || m->len[side][a] > m->n[!side])
                return -1;
            int dense = -1, last = -1;
            for (int k = 0; k < m->len[side][a]; k++) {
                int b = m->list[side][a][k];
                if (b < 0 || b >= m->n[!side] || (k > 0 && m->lrank[side][a][k] <
                                                               m->lrank[side][a][k - 1]))
                    return -1;
                if (!lists(m, !side, b, a))
                    continue; /* one-sided: dropped */
                if (dense < 0 || m->lrank[side][a][k] != last)
                    dense++;
                last = m->lrank[side][a][k];
                if (m->r[side][a][b] >= 0)
                    return -1; /* duplicate */
                m->r[side][a][b] = dense;
            }
        }
    }
    m->n_pairs = 0;
    for (int s = 0; s < TO_MAXN; s++)
        for (int d = 0; d < TO_MAXN; d++)
            m->pix[s][d] = -1;
    for (int s = 0; s < m->n[0]; s++)
        for (int d = 0; d < m->n[1]; d++)
            if (m->r[0][s][d] >= 0) {
                m->pix[s][d] = m->n_pairs;
                m->ps[m->n_pairs] = s;
                m->pd[m->n_pairs] = d;
                m->n_pairs++;
            }
    return 0;
}

void to_random(ToMarket *m, uint64_t *rng, const ToParams *p)
{
    memset(m, 0, sizeof *m);
    for (int side = 0; side < 2; side++) {
        m->n[side] = 1 + (int)(to_rng(rng) % (uint64_t)p->max_n[side]);
        for (int a = 0; a < m->n[side]; a++)
            m->cap[side][a] = to_rng(rng) % 16 == 0
                                  ? 0
                                  : 1 + (int)(to_rng(rng) % (uint64_t)p->max_cap[side]);
    }
    for (int side = 0; side < 2; side++) {
        const int other = m->n[!side];
        for (int a = 0; a < m->n[side]; a++) {
            int perm[TO_MAXN];
            for (int i = 0; i < other; i++)
                perm[i] = i;
            for (int i = other - 1; i > 0; i--) {
                int j = (int)(to_rng(rng) % (uint64_t)(i + 1)), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int len = 0, rank = (int)(to_rng(rng) % 3);
            for (int i = 0; i < other; i++) {
                if ((double)(to_rng(rng) >> 11) * 0x1.0p-53 >= p->p_list)
                    continue;
                if (len > 0 && (double)(to_rng(rng) >> 11) * 0x1.0p-53 >= p->p_tie)
                    rank += 1 + (int)(to_rng(rng) % 2); /* gaps exercise renumbering */
                m->list[side][a][len] = perm[i];
                m->lrank[side][a][len] = rank;
                len++;
            }
            m->len[side][a] = len;
        }
    }
    (void)to_prepare(m);
}

TmMarket *to_build(const ToMarket *m, GError **error)
{
    int32_t cap[2][TO_MAXN], off[2][TO_MAXN + 1], ids[2][TO_MAXP], rk[2][TO_MAXP];
    for (int side = 0; side < 2; side++) {
        off[side][0] = 0;
        for (int a = 0; a < m->n[side]; a++) {
            cap[side][a] = m->cap[side][a];
            off[side][a + 1] = off[side][a] + m->len[side][a];
            for (int k = 0; k < m->len[side][a]; k++) {
                ids[side][off[side][a] + k] = m->list[side][a][k];
                rk[side][off[side][a] + k] = m->lrank[side][a][k];
            }
        }
    }
    return tm_market_new_from_ranked_arrays(m->n[0], m->n[1], cap[0], cap[1], off[0], ids[0],
                                            rk[0], off[0][m->n[0]], off[1], ids[1], rk[1],
                                            off[1][m->n[1]], error);
}

ToMask to_from_matching(const ToMarket *m, const TmMatching *mt, int *ok)
{
    int32_t s[TO_MAXP], d[TO_MAXP];
    int64_t n = tm_matching_n_pairs(mt);
    *ok = n >= 0 && n <= TO_MAXP && tm_matching_get_pairs(mt, s, d, TO_MAXP, NULL);
    ToMask mask = 0;
    for (int64_t i = 0; *ok && i < n; i++) {
        int p = (s[i] >= 0 && s[i] < m->n[0] && d[i] >= 0 && d[i] < m->n[1])
                    ? m->pix[s[i]][d[i]] : -1;
        if (p < 0 || (mask >> p & 1))
            *ok = 0;
        else
            mask |= (ToMask)1 << p;
    }
    return mask;
}

typedef struct {
    const ToMarket *m;
    int used[2][TO_MAXN];
    ToMask *out;
    size_t n, cap;
} Enum;

static void walk(Enum *e, int i, ToMask mask)
{
    const ToMarket *m = e->m;
    if (i == m->n_pairs) {
        if (e->n == e->cap) {
            e->cap = e->cap ? 2 * e->cap : 64;
            e->out = realloc(e->out, e->cap * sizeof(ToMask));
            if (e->out == NULL)
                abort(); /* a test-only allocation: out of memory ends the test */
        }
        e->out[e->n++] = mask;
        return;
    }
    walk(e, i + 1, mask);
    int s = m->ps[i], d = m->pd[i];
    if (e->used[0][s] < m->cap[0][s] && e->used[1][d] < m->cap[1][d]) {
        e->used[0][s]++;
        e->used[1][d]++;
        walk(e, i + 1, mask | (ToMask)1 << i);
        e->used[0][s]--;
        e->used[1][d]--;
    }
}

size_t to_matchings(const ToMarket *m, ToMask **out)
{
    Enum e;
    memset(&e, 0, sizeof e);
    e.m = m;
    walk(&e, 0, 0);
    *out = e.out;
    return e.n;
}

int to_size(ToMask M)
{
    return __builtin_popcountll(M);
}

/* 2: the agent gains strictly from partner b; 1: weakly (b ties with its
 * worst partner, and it has no free seat); 0: not at all. */
static int gain_of(const ToMarket *m, ToMask M, int side, int a, int b)
{
    int count = 0, worst = -1;
    for (int p = 0; p < m->n_pairs; p++) {
        if (!(M >> p & 1))
            continue;
        int mine = side == 0 ? m->ps[p] : m->pd[p], other = side == 0 ? m->pd[p] : m->ps[p];
        if (mine != a)
            continue;
        count++;
        if (m->r[side][a][other] > worst)
            worst = m->r[side][a][other];
    }
    if (count < m->cap[side][a])
        return 2;
    int rb = m->r[side][a][b];
    return rb < worst ? 2 : rb == worst ? 1 : 0;
}

ToMask to_blocking(const ToMarket *m, ToMask M, TmStability st)
{
    ToMask out = 0;
    for (int p = 0; p < m->n_pairs; p++) {
        if (M >> p & 1)
            continue;
        int gs = gain_of(m, M, 0, m->ps[p], m->pd[p]);
        int gd = gain_of(m, M, 1, m->pd[p], m->ps[p]);
        int b;
        if (st == TM_STABILITY_WEAK)
            b = gs == 2 && gd == 2;
        else if (st == TM_STABILITY_STRONG)
            b = gs >= 1 && gd >= 1 && (gs == 2 || gd == 2);
        else
            b = gs >= 1 && gd >= 1;
        if (b)
            out |= (ToMask)1 << p;
    }
    return out;
}

int to_is_stable(const ToMarket *m, ToMask M, TmStability st)
{
    return to_blocking(m, M, st) == 0;
}

static int sorted_ranks(const ToMarket *m, int side, int a, ToMask M, int *out)
{
    int n = 0;
    for (int p = 0; p < m->n_pairs; p++) {
        if (!(M >> p & 1))
            continue;
        int mine = side == 0 ? m->ps[p] : m->pd[p], other = side == 0 ? m->pd[p] : m->ps[p];
        if (mine == a)
            out[n++] = m->r[side][a][other];
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

int to_weakly_prefers(const ToMarket *m, int side, int agent, ToMask a, ToMask b)
{
    int ra[TO_MAXN], rb[TO_MAXN];
    int na = sorted_ranks(m, side, agent, a, ra), nb = sorted_ranks(m, side, agent, b, rb);
    if (na < nb)
        return 0;
    for (int i = 0; i < nb; i++)
        if (ra[i] > rb[i])
            return 0;
    return 1;
}
