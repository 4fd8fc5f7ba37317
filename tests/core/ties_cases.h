/* Helpers for tests on markets with ties, over the oracle's ToMarket
 * (ties_oracle.h): markets written by hand as text, lists made strict, and
 * random markets whose tastes conflict (many stable matchings).  Test code
 * only; cmocka assertions. */
#ifndef TM_TEST_TIES_CASES_H
#define TM_TEST_TIES_CASES_H

#include "testutil.h"
#include "ties_oracle.h"

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
static inline void tc_hand_market(ToMarket *m, int ns, int nd, const int *scap,
                                  const int *dcap, const char *slists, const char *dlists)
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
            for (int b = 0; b < m->n[!side]; b++)
                if (tc_unit(rng) < p->p_list)
                    key[k++] = ((side == 0 ? score[a][b] : 999 - score[b][a]) +
                                (int)(to_rng(rng) % 150)) << 3 | b;
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

#endif /* TM_TEST_TIES_CASES_H */
