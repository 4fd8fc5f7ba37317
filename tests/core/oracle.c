/* Brute-force stable-matching oracle; see oracle.h.  Deliberately simple. */
#include "oracle.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int or_market_prepare(OrMarket *m)
{
    int listed[2][OR_MAXN][OR_MAXN];
    memset(listed, 0, sizeof listed);
    for (int side = 0; side < 2; side++) {
        if (m->n[side] < 0 || m->n[side] > OR_MAXN)
            return -1;
    }
    for (int side = 0; side < 2; side++) {
        int other = 1 - side;
        for (int a = 0; a < m->n[side]; a++) {
            if (m->cap[side][a] < 0 || m->len[side][a] < 0 || m->len[side][a] > m->n[other])
                return -1;
            for (int i = 0; i < m->len[side][a]; i++) {
                int b = m->list[side][a][i];
                if (b < 0 || b >= m->n[other] || listed[side][a][b])
                    return -1;
                listed[side][a][b] = 1;
            }
        }
    }
    m->dropped[0] = m->dropped[1] = 0;
    for (int side = 0; side < 2; side++) {
        int other = 1 - side;
        for (int a = 0; a < OR_MAXN; a++)
            for (int b = 0; b < OR_MAXN; b++)
                m->rank[side][a][b] = -1;
        for (int a = 0; a < m->n[side]; a++) {
            int k = 0;
            for (int i = 0; i < m->len[side][a]; i++) {
                int b = m->list[side][a][i];
                if (listed[other][b][a]) {
                    m->rank[side][a][b] = k;
                    m->rlist[side][a][k++] = b;
                } else {
                    m->dropped[side]++;
                }
            }
            m->rlen[side][a] = k;
        }
    }
    for (int s = 0; s < OR_MAXN; s++)
        for (int d = 0; d < OR_MAXN; d++)
            m->pair_index[s][d] = -1;
    m->n_pairs = 0;
    for (int s = 0; s < m->n[0]; s++) {
        for (int r = 0; r < m->rlen[0][s]; r++) {
            int d = m->rlist[0][s][r];
            m->pair_index[s][d] = m->n_pairs;
            m->pair_s[m->n_pairs] = s;
            m->pair_d[m->n_pairs] = d;
            m->n_pairs++;
        }
    }
    return 0;
}

static int pair_of(const OrMarket *m, int side, int agent, int partner)
{
    return side == 0 ? m->pair_index[agent][partner] : m->pair_index[partner][agent];
}

int or_partner_ranks(const OrMarket *m, int side, int agent, OrMask mask, int *ranks)
{
    int k = 0;
    for (int r = 0; r < m->rlen[side][agent]; r++) {
        int p = pair_of(m, side, agent, m->rlist[side][agent][r]);
        if (mask & ((OrMask)1 << p))
            ranks[k++] = r;
    }
    return k;
}

/* ---- enumeration --------------------------------------------------------- */

typedef struct {
    const OrMarket *m;
    int order[OR_MAXP];       /* pair indices in search order */
    int check_start[OR_MAXP + 1];
    int check[OR_MAXP];       /* pairs to test for blocking after step k:
                                 check[check_start[k] .. check_start[k+1]) */
    int cnt[2][OR_MAXN];
    OrMask mask;
    OrMask *out;
    size_t n_out, cap_out;
    uint64_t nodes;
    int oom;
} Search;

static int worst_rank(const Search *S, int side, int agent)
{
    const OrMarket *m = S->m;
    int worst = -1;
    for (int r = 0; r < m->rlen[side][agent]; r++) {
        int p = pair_of(m, side, agent, m->rlist[side][agent][r]);
        if (S->mask & ((OrMask)1 << p))
            worst = r;
    }
    return worst;
}

static int blocks(const Search *S, int p)
{
    const OrMarket *m = S->m;
    if (S->mask & ((OrMask)1 << p))
        return 0;
    int s = m->pair_s[p], d = m->pair_d[p];
    int s_takes = S->cnt[0][s] < m->cap[0][s] || m->rank[0][s][d] < worst_rank(S, 0, s);
    if (!s_takes)
        return 0;
    int d_takes = S->cnt[1][d] < m->cap[1][d] || m->rank[1][d][s] < worst_rank(S, 1, d);
    return d_takes;
}

static int checks_pass(const Search *S, int k)
{
    for (int i = S->check_start[k]; i < S->check_start[k + 1]; i++)
        if (blocks(S, S->check[i]))
            return 0;
    return 1;
}

static void dfs(Search *S, int k)
{
    const OrMarket *m = S->m;
    S->nodes++;
    if (k == m->n_pairs) {
        if (S->n_out == S->cap_out) {
            size_t nc = S->cap_out ? 2 * S->cap_out : 16;
            OrMask *n = realloc(S->out, nc * sizeof *n);
            if (!n) {
                S->oom = 1;
                return;
            }
            S->out = n;
            S->cap_out = nc;
        }
        S->out[S->n_out++] = S->mask;
        return;
    }
    int p = S->order[k];
    int s = m->pair_s[p], d = m->pair_d[p];
    if (S->cnt[0][s] < m->cap[0][s] && S->cnt[1][d] < m->cap[1][d]) {
        S->mask |= (OrMask)1 << p;
        S->cnt[0][s]++;
        S->cnt[1][d]++;
        if (checks_pass(S, k))
            dfs(S, k + 1);
        S->mask &= ~((OrMask)1 << p);
        S->cnt[0][s]--;
        S->cnt[1][d]--;
    }
    if (checks_pass(S, k))
        dfs(S, k + 1);
}

size_t or_stable_matchings(const OrMarket *m, OrMask **out, uint64_t *nodes)
{
    Search *S = calloc(1, sizeof *S);
    if (!S) {
        *out = NULL;
        return 0;
    }
    S->m = m;
    int P = m->n_pairs;
    /* Search order: by max(s, d), so that agents get complete early and
     * blocking pairs can be tested (and branches cut) early. */
    for (int i = 0; i < P; i++)
        S->order[i] = i;
    for (int i = 1; i < P; i++) {
        int x = S->order[i], j = i;
        int kx = (m->pair_s[x] > m->pair_d[x] ? m->pair_s[x] : m->pair_d[x]) * 1000 +
                 m->pair_s[x] * 10 + m->pair_d[x];
        while (j > 0) {
            int y = S->order[j - 1];
            int ky = (m->pair_s[y] > m->pair_d[y] ? m->pair_s[y] : m->pair_d[y]) * 1000 +
                     m->pair_s[y] * 10 + m->pair_d[y];
            if (ky <= kx)
                break;
            S->order[j] = y;
            j--;
        }
        S->order[j] = x;
    }
    int pos[OR_MAXP];
    for (int k = 0; k < P; k++)
        pos[S->order[k]] = k;
    int last[2][OR_MAXN];
    for (int a = 0; a < OR_MAXN; a++)
        last[0][a] = last[1][a] = -1;
    for (int p = 0; p < P; p++) {
        int s = m->pair_s[p], d = m->pair_d[p];
        if (pos[p] > last[0][s])
            last[0][s] = pos[p];
        if (pos[p] > last[1][d])
            last[1][d] = pos[p];
    }
    int at[OR_MAXP];
    int count[OR_MAXP + 1];
    memset(count, 0, sizeof count);
    for (int p = 0; p < P; p++) {
        int s = m->pair_s[p], d = m->pair_d[p];
        at[p] = last[0][s] > last[1][d] ? last[0][s] : last[1][d];
        count[at[p]]++;
    }
    S->check_start[0] = 0;
    for (int k = 0; k < P; k++)
        S->check_start[k + 1] = S->check_start[k] + count[k];
    int fill[OR_MAXP];
    for (int k = 0; k < P; k++)
        fill[k] = S->check_start[k];
    for (int p = 0; p < P; p++)
        S->check[fill[at[p]]++] = p;

    dfs(S, 0);

    size_t n = S->n_out;
    if (S->oom) {
        free(S->out);
        S->out = NULL;
        n = 0;
    }
    *out = S->out;
    if (nodes)
        *nodes = S->nodes;
    free(S);
    return n;
}

int or_weakly_prefers(const OrMarket *m, int side, int agent, OrMask a, OrMask b)
{
    int ra[OR_MAXN], rb[OR_MAXN];
    int ka = or_partner_ranks(m, side, agent, a, ra);
    int kb = or_partner_ranks(m, side, agent, b, rb);
    if (ka < kb)
        return 0;
    for (int i = 0; i < kb; i++)
        if (ra[i] > rb[i])
            return 0;
    return 1;
}

static int side_prefers_all(const OrMarket *m, int side, OrMask a, OrMask b)
{
    for (int x = 0; x < m->n[side]; x++)
        if (!or_weakly_prefers(m, side, x, a, b))
            return 0;
    return 1;
}

int or_side_optimal(const OrMarket *m, int side, const OrMask *set, size_t n, OrMask *best)
{
    if (n == 0)
        return 0;
    OrMask cand = set[0];
    for (size_t i = 1; i < n; i++)
        if (side_prefers_all(m, side, set[i], cand))
            cand = set[i];
    for (size_t i = 0; i < n; i++)
        if (!side_prefers_all(m, side, cand, set[i]))
            return 0;
    *best = cand;
    return 1;
}

long or_da_proposals(const OrMarket *m, int side, OrMask mask)
{
    long total = 0;
    for (int a = 0; a < m->n[side]; a++) {
        int c = m->cap[side][a];
        if (c <= 0)
            continue;
        int r[OR_MAXN];
        int k = or_partner_ranks(m, side, a, mask, r);
        if (k >= c)
            total += r[k - 1] + 1;
        else
            total += m->rlen[side][a];
    }
    return total;
}

/* ---- audit --------------------------------------------------------------- */

int or_blocking_pairs(const OrMarket *m, const int *ps, const int *pd, int np,
                      int *bs, int *bd)
{
    int cnt[2][OR_MAXN], worst[2][OR_MAXN];
    int matched[OR_MAXN][OR_MAXN];
    memset(cnt, 0, sizeof cnt);
    memset(matched, 0, sizeof matched);
    for (int a = 0; a < OR_MAXN; a++)
        worst[0][a] = worst[1][a] = -1;
    for (int i = 0; i < np; i++) {
        int s = ps[i], d = pd[i];
        matched[s][d] = 1;
        cnt[0][s]++;
        cnt[1][d]++;
        int acc = m->pair_index[s][d] >= 0;
        int rs = acc ? m->rank[0][s][d] : INT_MAX; /* unacceptable: worse than all */
        int rd = acc ? m->rank[1][d][s] : INT_MAX;
        if (rs > worst[0][s])
            worst[0][s] = rs;
        if (rd > worst[1][d])
            worst[1][d] = rd;
    }
    int k = 0;
    for (int s = 0; s < m->n[0]; s++) {
        for (int r = 0; r < m->rlen[0][s]; r++) {
            int d = m->rlist[0][s][r];
            if (matched[s][d])
                continue;
            int s_takes = cnt[0][s] < m->cap[0][s] || r < worst[0][s];
            int d_takes = cnt[1][d] < m->cap[1][d] || m->rank[1][d][s] < worst[1][d];
            if (s_takes && d_takes) {
                bs[k] = s;
                bd[k] = d;
                k++;
            }
        }
    }
    return k;
}

int or_violations(const OrMarket *m, const int *ps, const int *pd, int np, OrViolation *out)
{
    int cnt[2][OR_MAXN];
    memset(cnt, 0, sizeof cnt);
    for (int i = 0; i < np; i++) {
        cnt[0][ps[i]]++;
        cnt[1][pd[i]]++;
    }
    int k = 0;
    for (int side = 0; side < 2; side++) {
        for (int a = 0; a < m->n[side]; a++) {
            if (cnt[side][a] > m->cap[side][a]) {
                OrViolation v = { 1, side, a, cnt[side][a], m->cap[side][a], -1, -1 };
                out[k++] = v;
            }
        }
    }
    for (int i = 0; i < np; i++) {
        if (m->pair_index[ps[i]][pd[i]] < 0) {
            OrViolation v = { 2, -1, -1, -1, -1, ps[i], pd[i] };
            out[k++] = v;
        }
    }
    return k;
}

int or_mask_to_pairs(const OrMarket *m, OrMask mask, int *ps, int *pd)
{
    int k = 0;
    for (int p = 0; p < m->n_pairs; p++) {
        if (mask & ((OrMask)1 << p)) {
            ps[k] = m->pair_s[p];
            pd[k] = m->pair_d[p];
            k++;
        }
    }
    return k;
}
