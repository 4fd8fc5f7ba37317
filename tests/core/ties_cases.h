/* Helpers for tests on markets with ties, over the oracle's ToMarket
 * (ties_oracle.h): markets written by hand as text, lists made strict,
 * random markets whose tastes conflict (many stable matchings); and for
 * markets of thousands of agents, a random tied many-to-one market and a
 * comparison of two matchings agent by agent.  Test code only; cmocka
 * assertions. */
#ifndef TM_TEST_TIES_CASES_H
#define TM_TEST_TIES_CASES_H

#include "testutil.h"
#include "ties_oracle.h"

#include <stdlib.h>
#include <string.h>

/* Makes the lists of @side strict (rank = position) and re-prepares. */
static inline void tc_make_strict(ToMarket *m, int side)
{
    for (int a = 0; a < m->n[side]; a++)
        for (int k = 0; k < m->len[side][a]; k++)
            m->lrank[side][a][k] = k;
    assert_int_equal(to_prepare(m), 0);
}

/* Fills @side's lists from @spec: agents separated by ';', ids separated by
 * blanks, a tie in parentheses, e.g. "1 (0 2); ; 2 0".  0-based ids. */
static inline void tc_parse_lists(ToMarket *m, int side, const char *spec)
{
    int a = 0, rank = 0, in_tie = 0;
    for (const char *p = spec; *p; p++) {
        if (*p == ';') {
            a++, rank = 0;
        } else if (*p == '(') {
            in_tie = 1;
        } else if (*p == ')') {
            in_tie = 0;
            rank++;
        } else if (*p >= '0' && *p <= '9') {
            m->list[side][a][m->len[side][a]] = *p - '0';
            m->lrank[side][a][m->len[side][a]++] = rank;
            if (!in_tie)
                rank++;
        }
    }
    assert_int_equal(a + 1, m->n[side]);
}

/* A prepared market of @ns supply and @nd demand agents, capacities from
 * @scap / @dcap (NULL: all 1), lists written as tc_parse_lists() reads. */
static inline void tc_hand_market(ToMarket *m, int ns, int nd, const int *scap, const int *dcap,
                                  const char *slists, const char *dlists)
{
    memset(m, 0, sizeof *m);
    m->n[0] = ns;
    m->n[1] = nd;
    for (int a = 0; a < ns; a++)
        m->cap[0][a] = scap ? scap[a] : 1;
    for (int a = 0; a < nd; a++)
        m->cap[1][a] = dcap ? dcap[a] : 1;
    tc_parse_lists(m, 0, slists);
    tc_parse_lists(m, 1, dlists);
    assert_int_equal(to_prepare(m), 0);
}

/* The mask of the pairs (s[i], d[i]). */
static inline ToMask tc_mask_of(const ToMarket *m, const int *s, const int *d, int n)
{
    ToMask M = 0;
    for (int i = 0; i < n; i++) {
        assert_true(m->pix[s[i]][d[i]] >= 0);
        M |= (ToMask)1 << m->pix[s[i]][d[i]];
    }
    return M;
}

/* Uniform in [0, 1). */
static inline double tc_unit(uint64_t *rng)
{
    return (double)(to_rng(rng) >> 11) * 0x1.0p-53;
}

/* Sizes and capacities as to_random(), lists of its own: each pair gets a
 * score that the supply agent likes and the demand agent dislikes, plus
 * noise, so that tastes conflict and stable matchings are many; an entry is
 * listed with p_list and ties with the one before it with p_tie. */
static inline void tc_opposed_random(ToMarket *m, uint64_t *rng, const ToParams *p)
{
    to_random(m, rng, p); /* the lists are replaced below */
    int score[TO_MAXN][TO_MAXN];
    for (int s = 0; s < m->n[0]; s++)
        for (int d = 0; d < m->n[1]; d++)
            score[s][d] = (int)(to_rng(rng) % 1000);
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++) {
            int key[TO_MAXN], k = 0; /* (taste << 3) | id, best (largest) first */
            for (int b = 0; b < m->n[!side]; b++) {
                if (tc_unit(rng) >= p->p_list)
                    continue;
                int taste =
                    (side == 0 ? score[a][b] : 999 - score[b][a]) + (int)(to_rng(rng) % 150);
                key[k++] = taste << 3 | b;
            }
            for (int i = 1; i < k; i++)
                for (int j = i, t; j > 0 && key[j - 1] < key[j]; j--)
                    t = key[j], key[j] = key[j - 1], key[j - 1] = t;
            for (int i = 0, rank = 0; i < k; i++) {
                rank += i > 0 && tc_unit(rng) >= p->p_tie;
                m->list[side][a][i] = key[i] & 7;
                m->lrank[side][a][i] = rank;
            }
            m->len[side][a] = k;
        }
    assert_int_equal(to_prepare(m), 0);
}

typedef struct {
    int32_t key, id;
} TcKeyed;

static inline int tc_by_key_desc(const void *a, const void *b)
{
    const TcKeyed *x = a, *y = b;
    return x->key != y->key ? (x->key < y->key ? 1 : -1) : (x->id > y->id) - (x->id < y->id);
}

/* @nr residents (capacity 1) list 1..20 of @nh >= 20 hospitals (capacities
 * 1..12) in random strict order; each hospital lists those who list it by a
 * master score, tied when two scores fall in the same of @levels levels.
 * One tie at least.  Residents are the supply side, or the demand side
 * when @swap. */
static inline TmMarket *tc_large_market(uint64_t *rng, int32_t nr, int32_t nh, int32_t levels,
                                        int swap)
{
    int32_t *roff = g_new(int32_t, nr + 1), *rids = g_new(int32_t, (gsize)nr * 20);
    int32_t *score = g_new(int32_t, nr), *hcap = g_new(int32_t, nh);
    int32_t *hoff = g_new0(int32_t, nh + 1), *stamp = g_new(int32_t, nh);
    memset(stamp, 0xff, (size_t)nh * sizeof(int32_t));
    roff[0] = 0;
    for (int32_t r = 0; r < nr; r++) {
        score[r] = (int32_t)(to_rng(rng) % 1000000);
        int32_t k = 1 + (int32_t)(to_rng(rng) % 20);
        roff[r + 1] = roff[r] + k;
        for (int32_t i = roff[r]; i < roff[r + 1];) {
            int32_t h = (int32_t)(to_rng(rng) % (uint64_t)nh);
            if (stamp[h] != r) {
                stamp[h] = r;
                rids[i++] = h;
                hoff[h + 1]++;
            }
        }
    }
    for (int32_t h = 0; h < nh; h++) {
        hcap[h] = 1 + (int32_t)(to_rng(rng) % 12);
        hoff[h + 1] += hoff[h];
    }
    const int32_t L = roff[nr];
    TcKeyed *kd = g_new(TcKeyed, L);
    int32_t *fill = g_memdup2(hoff, (gsize)nh * sizeof(int32_t));
    for (int32_t r = 0; r < nr; r++)
        for (int32_t i = roff[r]; i < roff[r + 1]; i++)
            kd[fill[rids[i]]++] = (TcKeyed){score[r], r};
    int32_t *hids = g_new(int32_t, L), *hrk = g_new(int32_t, L);
    for (int32_t h = 0; h < nh; h++) {
        qsort(kd + hoff[h], (size_t)(hoff[h + 1] - hoff[h]), sizeof(TcKeyed), tc_by_key_desc);
        for (int32_t i = hoff[h]; i < hoff[h + 1]; i++) {
            hids[i] = kd[i].id;
            hrk[i] = levels - 1 - (int32_t)((int64_t)kd[i].key * levels / 1000000);
        }
    }
    for (int32_t h = 0; h < nh; h++) /* one tie at least: the first two of a list */
        if (hoff[h + 1] - hoff[h] >= 2) {
            hrk[hoff[h] + 1] = hrk[hoff[h]];
            break;
        }
    GError *err = NULL;
    TmMarket *mk = swap ? tm_market_new_from_ranked_arrays(nh, nr, hcap, NULL, hoff, hids, hrk, L,
                                                           roff, rids, NULL, L, &err)
                        : tm_market_new_from_ranked_arrays(nr, nh, NULL, hcap, roff, rids, NULL, L,
                                                           hoff, hids, hrk, L, &err);
    assert_no_error(err);
    g_free(roff), g_free(rids), g_free(score), g_free(hcap), g_free(hoff), g_free(stamp);
    g_free(kd), g_free(fill), g_free(hids), g_free(hrk);
    return mk;
}

/* Every agent of @side has as many partners in @a as in @b, each of the
 * first ranked at least as well as the matching one of the second (both best
 * first) when @better, else equally many. */
static inline void tc_compare_sides(const TmMatching *a, const TmMatching *b, TmSide side,
                                    int better)
{
    const int32_t n = tm_market_size(tm_matching_market(a), side);
    const int64_t np = tm_matching_n_pairs(a);
    assert_int_equal(np, tm_matching_n_pairs(b));
    int32_t *off[2], *rk[2];
    for (int i = 0; i < 2; i++) {
        off[i] = g_new(int32_t, n + 1);
        rk[i] = g_new(int32_t, np + 1);
        assert_true(
            tm_matching_get_partners(i ? b : a, side, off[i], n + 1, NULL, rk[i], np, NULL));
    }
    for (int32_t x = 0; x < n; x++) {
        assert_int_equal(off[0][x + 1] - off[0][x], off[1][x + 1] - off[1][x]);
        for (int32_t j = off[0][x]; better && j < off[0][x + 1]; j++)
            assert_true(rk[0][j] <= rk[1][off[1][x] + j - off[0][x]]);
    }
    for (int i = 0; i < 2; i++)
        g_free(off[i]), g_free(rk[i]);
}

#endif /* TM_TEST_TIES_CASES_H */
