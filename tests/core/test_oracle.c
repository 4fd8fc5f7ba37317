/* Randomised differential test: the library against the brute-force oracle.
 *
 * For every random small market (fixed seeds) it checks
 *   - the built market (reduced lists, ranks, pair and drop counts) against
 *     the oracle's own reduction of the raw lists;
 *   - deferred acceptance from both sides: stable, no verdict entries, and
 *     exactly the oracle's proposer-optimal stable matching; the proposal
 *     count; pair and partner ordering; statistics; rank histograms;
 *   - the rural-hospitals theorem on many-to-one markets;
 *   - the audit (blocking pairs, verdict, violations, stats) of random
 *     hand-built matchings, stable and not, with unacceptable pairs and
 *     over-capacity agents, against the oracle's own audit.
 */
#include "testutil.h"
#include "oracle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deterministic PRNG (xorshift64*) ----------------------------------- */

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}

/* uniform in [lo, hi] */
static int rng_int(Rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_chance(Rng *r, double p)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

static void rng_shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, 0, i);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ---- failure reporting ---------------------------------------------------- */

static const OrMarket *g_cur; /* the instance under test, dumped on failure */
static const char *g_cur_what = "";

static void dump_current(void)
{
    const OrMarket *m = g_cur;
    if (!m)
        return;
    print_error("---- failing instance (%s): n_supply=%d n_demand=%d\n", g_cur_what, m->n[0],
                m->n[1]);
    for (int side = 0; side < 2; side++) {
        for (int a = 0; a < m->n[side]; a++) {
            char buf[256];
            int o = snprintf(buf, sizeof buf, "%s %d cap %d:", side ? "demand" : "supply", a,
                             m->cap[side][a]);
            for (int i = 0; i < m->len[side][a] && o < (int)sizeof buf - 8; i++)
                o += snprintf(buf + o, sizeof buf - (size_t)o, " %d", m->list[side][a][i]);
            print_error("  %s\n", buf);
        }
    }
}

#define EXPECT(cond, ...)                                                       \
    do {                                                                        \
        if (!(cond)) {                                                          \
            dump_current();                                                     \
            print_error(__VA_ARGS__);                                           \
            print_error("\n");                                                  \
            fail();                                                             \
        }                                                                       \
    } while (0)

#define EXPECT_OK(err)                                                          \
    do {                                                                        \
        if ((err) != NULL) {                                                    \
            dump_current();                                                     \
            print_error("unexpected error %d: %s\n", (err)->code, (err)->message); \
            g_clear_error(&(err));                                              \
            fail();                                                             \
        }                                                                       \
    } while (0)

/* ---- statistics of the run ------------------------------------------------ */

typedef struct {
    long instances;
    long via_builder;
    long with_dropped;
    long with_cap0;
    long multi_stable;      /* instances with more than one stable matching */
    long max_stable;
    uint64_t max_nodes;
    long hand_built;
    long hand_built_unstable;
    long hand_built_violating;
    long rural_checked;
    long progress_calls;
} Counters;

static Counters g_count;

/* ---- random markets ------------------------------------------------------- */

typedef enum { KIND_ONE_ONE = 0, KIND_MANY_ONE = 1, KIND_MANY_MANY = 2 } Kind;

static void random_list(Rng *r, int *out, int *len, const int *allowed, int n_allowed)
{
    int tmp[OR_MAXN];
    for (int i = 0; i < n_allowed; i++)
        tmp[i] = allowed[i];
    rng_shuffle(r, tmp, n_allowed);
    for (int i = 0; i < n_allowed; i++)
        out[i] = tmp[i];
    *len = n_allowed;
}

static void gen_market(Rng *r, Kind kind, OrMarket *m)
{
    memset(m, 0, sizeof *m);
    /* List modes: 0 complete; 1 independent random subsets (one-sided
     * entries arise naturally); 2 a mutual acceptable set listed by both
     * sides (incomplete, no one-sided entries); 3 a mutual set plus extra
     * one-sided entries; 4 and 5 conflicting tastes in a balanced market
     * (the demand side ranks roughly in reverse of how it is ranked), which
     * gives several stable matchings, with complete (4) or mutual
     * incomplete (5) lists. */
    int mode = rng_int(r, 0, 5);
    int balanced = mode >= 4;
    switch (kind) {
    case KIND_ONE_ONE:
        if (balanced) {
            m->n[0] = m->n[1] = rng_int(r, 3, 6);
        } else {
            m->n[0] = rng_chance(r, 0.04) ? 0 : rng_int(r, 1, 7);
            m->n[1] = rng_chance(r, 0.04) ? 0 : rng_int(r, 1, 7);
        }
        for (int side = 0; side < 2; side++)
            for (int a = 0; a < m->n[side]; a++)
                m->cap[side][a] = !balanced && rng_chance(r, 0.06) ? 0 : 1;
        break;
    case KIND_MANY_ONE:
        m->n[1] = rng_int(r, balanced ? 2 : 1, balanced ? 4 : 5);
        for (int a = 0; a < m->n[1]; a++)
            m->cap[1][a] = !balanced && rng_chance(r, 0.08) ? 0 : rng_int(r, 1, 3);
        if (balanced) {
            int seats = 0;
            for (int a = 0; a < m->n[1]; a++)
                seats += m->cap[1][a];
            m->n[0] = seats < OR_MAXN ? seats : OR_MAXN;
        } else {
            m->n[0] = rng_int(r, 1, 8);
        }
        for (int a = 0; a < m->n[0]; a++)
            m->cap[0][a] = 1;
        break;
    case KIND_MANY_MANY:
        if (balanced) {
            /* equal sizes and one capacity for everybody */
            m->n[0] = m->n[1] = rng_int(r, 3, 5);
            int c = m->n[0] == 5 ? 2 : rng_int(r, 2, 3);
            for (int side = 0; side < 2; side++)
                for (int a = 0; a < m->n[side]; a++)
                    m->cap[side][a] = c;
            break;
        }
        m->n[0] = rng_int(r, 1, 5);
        m->n[1] = rng_int(r, 1, 5);
        for (int side = 0; side < 2; side++)
            for (int a = 0; a < m->n[side]; a++)
                m->cap[side][a] = rng_chance(r, 0.08) ? 0 : rng_int(r, 1, 3);
        break;
    }

    if (mode >= 4) {
        int score[OR_MAXN][OR_MAXN];
        for (int s = 0; s < m->n[0]; s++)
            for (int d = 0; d < m->n[1]; d++)
                score[s][d] = rng_int(r, 0, 999);
        double q = mode == 4 ? 1.0 : 0.5 + 0.5 * (double)rng_int(r, 0, 100) / 100.0;
        int acc[OR_MAXN][OR_MAXN];
        for (int s = 0; s < m->n[0]; s++)
            for (int d = 0; d < m->n[1]; d++)
                acc[s][d] = rng_chance(r, q);
        for (int side = 0; side < 2; side++) {
            int other = 1 - side;
            for (int a = 0; a < m->n[side]; a++) {
                int key[OR_MAXN], k = 0;
                for (int b = 0; b < m->n[other]; b++) {
                    int s = side == 0 ? a : b, d = side == 0 ? b : a;
                    if (!acc[s][d])
                        continue;
                    /* supply prefers high scores, demand low ones (noisy) */
                    key[k] = side == 0 ? -score[s][d] : score[s][d] + rng_int(r, -150, 150);
                    m->list[side][a][k++] = b;
                }
                for (int i = 1; i < k; i++) {
                    int kx = key[i], bx = m->list[side][a][i], j = i;
                    while (j > 0 && key[j - 1] > kx) {
                        key[j] = key[j - 1];
                        m->list[side][a][j] = m->list[side][a][j - 1];
                        j--;
                    }
                    key[j] = kx;
                    m->list[side][a][j] = bx;
                }
                m->len[side][a] = k;
            }
        }
        assert_int_equal(or_market_prepare(m), 0);
        return;
    }
    double p = 0.3 + 0.7 * (double)rng_int(r, 0, 100) / 100.0;
    int mutual[OR_MAXN][OR_MAXN];
    for (int s = 0; s < m->n[0]; s++)
        for (int d = 0; d < m->n[1]; d++)
            mutual[s][d] = mode == 0 ? 1 : rng_chance(r, p);
    for (int side = 0; side < 2; side++) {
        int other = 1 - side;
        for (int a = 0; a < m->n[side]; a++) {
            int allowed[OR_MAXN], k = 0;
            for (int b = 0; b < m->n[other]; b++) {
                int mu = side == 0 ? mutual[a][b] : mutual[b][a];
                int take;
                switch (mode) {
                case 0: take = 1; break;
                case 1: take = rng_chance(r, p); break;
                case 2: take = mu; break;
                default: take = mu || rng_chance(r, 0.25); break;
                }
                if (take)
                    allowed[k++] = b;
            }
            random_list(r, m->list[side][a], &m->len[side][a], allowed, k);
        }
    }
    int rc = or_market_prepare(m);
    assert_int_equal(rc, 0);
}

/* ---- library <-> oracle ---------------------------------------------------- */

static TmMarket *build_market(Rng *r, const OrMarket *m, int use_builder)
{
    GError *err = NULL;
    TmMarket *mk;
    if (!use_builder) {
        int32_t cap[2][OR_MAXN];
        int all_one[2] = { 1, 1 };
        int32_t off[2][OR_MAXN + 1];
        int32_t prefs[2][OR_MAXP + 1];
        for (int side = 0; side < 2; side++) {
            int t = 0;
            off[side][0] = 0;
            for (int a = 0; a < m->n[side]; a++) {
                cap[side][a] = m->cap[side][a];
                if (cap[side][a] != 1)
                    all_one[side] = 0;
                for (int i = 0; i < m->len[side][a]; i++)
                    prefs[side][t++] = m->list[side][a][i];
                off[side][a + 1] = t;
            }
        }
        /* When every capacity is 1, sometimes pass NULL (documented: all 1). */
        int null_s = all_one[0] && rng_chance(r, 0.5);
        int null_d = all_one[1] && rng_chance(r, 0.5);
        mk = tm_market_new_from_arrays(m->n[0], m->n[1], null_s ? NULL : cap[0],
                                       null_d ? NULL : cap[1], off[0], prefs[0], off[1],
                                       prefs[1], &err);
        EXPECT_OK(err);
        EXPECT(mk != NULL, "tm_market_new_from_arrays returned NULL");
    } else {
        g_count.via_builder++;
        TmMarketBuilder *b = tm_market_builder_new(m->n[0], m->n[1], &err);
        EXPECT_OK(err);
        EXPECT(b != NULL, "builder_new returned NULL");
        for (int side = 0; side < 2; side++) {
            int other = 1 - side;
            for (int a = 0; a < m->n[side]; a++) {
                if (m->cap[side][a] != 1 || rng_chance(r, 0.3)) {
                    /* sometimes set a wrong capacity first: it must be replaced */
                    if (rng_chance(r, 0.2)) {
                        EXPECT(tm_market_builder_set_capacity(b, (TmSide)side, a, 7, &err),
                               "set_capacity");
                        EXPECT_OK(err);
                    }
                    EXPECT(tm_market_builder_set_capacity(b, (TmSide)side, a,
                                                          m->cap[side][a], &err),
                           "set_capacity");
                    EXPECT_OK(err);
                }
                if (m->n[other] > 0 && rng_chance(r, 0.2)) {
                    /* a decoy list, replaced below */
                    int32_t decoy[OR_MAXN];
                    int k = 0;
                    for (int x = m->n[other] - 1; x >= 0; x--)
                        decoy[k++] = x;
                    EXPECT(tm_market_builder_set_prefs(b, (TmSide)side, a, decoy, k, &err),
                           "set_prefs decoy");
                    EXPECT_OK(err);
                    if (m->len[side][a] == 0) {
                        /* replace by an empty list (len 0, non-NULL pointer) */
                        EXPECT(tm_market_builder_set_prefs(b, (TmSide)side, a, decoy, 0, &err),
                               "set_prefs empty");
                        EXPECT_OK(err);
                    }
                }
                if (m->len[side][a] > 0) {
                    int32_t l[OR_MAXN];
                    for (int i = 0; i < m->len[side][a]; i++)
                        l[i] = m->list[side][a][i];
                    EXPECT(tm_market_builder_set_prefs(b, (TmSide)side, a, l,
                                                       m->len[side][a], &err),
                           "set_prefs");
                    EXPECT_OK(err);
                }
            }
        }
        mk = tm_market_builder_build(b, &err);
        EXPECT_OK(err);
        EXPECT(mk != NULL, "builder_build returned NULL");
        tm_market_builder_free(b);
    }
    return mk;
}

static void check_market(const OrMarket *m, const TmMarket *mk)
{
    EXPECT(tm_market_size(mk, TM_SIDE_SUPPLY) == m->n[0], "size supply");
    EXPECT(tm_market_size(mk, TM_SIDE_DEMAND) == m->n[1], "size demand");
    EXPECT(tm_market_n_pairs(mk) == m->n_pairs, "n_pairs %lld != %d",
           (long long)tm_market_n_pairs(mk), m->n_pairs);
    for (int side = 0; side < 2; side++) {
        int other = 1 - side;
        EXPECT(tm_market_n_dropped(mk, (TmSide)side) == m->dropped[side],
               "n_dropped side %d: %lld != %ld", side,
               (long long)tm_market_n_dropped(mk, (TmSide)side), m->dropped[side]);
        for (int a = 0; a < m->n[side]; a++) {
            EXPECT(tm_market_capacity(mk, (TmSide)side, a) == m->cap[side][a], "capacity");
            int32_t len = -5;
            const int32_t *l = tm_market_prefs(mk, (TmSide)side, a, &len);
            EXPECT(len == m->rlen[side][a], "prefs len side %d agent %d: %d != %d", side, a,
                   len, m->rlen[side][a]);
            for (int i = 0; i < len; i++)
                EXPECT(l[i] == m->rlist[side][a][i], "prefs side %d agent %d pos %d", side, a,
                       i);
            for (int b = -1; b <= m->n[other]; b++) {
                int want = (b >= 0 && b < m->n[other]) ? m->rank[side][a][b] : -1;
                EXPECT(tm_market_rank(mk, (TmSide)side, a, b) == want,
                       "rank side %d agent %d partner %d: %d != %d", side, a, b,
                       tm_market_rank(mk, (TmSide)side, a, b), want);
            }
        }
        EXPECT(tm_market_capacity(mk, (TmSide)side, m->n[side]) == -1, "capacity oob");
        EXPECT(tm_market_capacity(mk, (TmSide)side, -1) == -1, "capacity -1");
    }
}

/* Sort key of partner b in agent a's ordering: acceptable by rank, then
 * unacceptable by id. */
static int order_key(const OrMarket *m, int side, int a, int b)
{
    int r = m->rank[side][a][b];
    return r >= 0 ? r : 1000 + b;
}

/* Full audit of matching @M whose pairs should be exactly (ps[i], pd[i]). */
static void audit_matching(const OrMarket *m, const TmMatching *M, const int *ps,
                           const int *pd, int np, int64_t proposals)
{
    GError *err = NULL;
    EXPECT(tm_matching_n_pairs(M) == np, "n_pairs %lld != %d", (long long)tm_matching_n_pairs(M),
           np);
    EXPECT(tm_matching_n_proposals(M) == proposals, "n_proposals %lld != %lld",
           (long long)tm_matching_n_proposals(M), (long long)proposals);

    /* expected pair order */
    int es[OR_MAXP], ed[OR_MAXP];
    for (int i = 0; i < np; i++) {
        es[i] = ps[i];
        ed[i] = pd[i];
    }
    for (int i = 1; i < np; i++) { /* insertion sort by (s, key) */
        int s = es[i], d = ed[i], j = i;
        while (j > 0 && (es[j - 1] > s ||
                         (es[j - 1] == s && order_key(m, 0, s, ed[j - 1]) > order_key(m, 0, s, d)))) {
            es[j] = es[j - 1];
            ed[j] = ed[j - 1];
            j--;
        }
        es[j] = s;
        ed[j] = d;
    }
    int32_t gs[OR_MAXP + 1], gd[OR_MAXP + 1];
    gs[np] = gd[np] = 12345; /* sentinel: must not be written */
    EXPECT(tm_matching_get_pairs(M, gs, gd, tm_matching_n_pairs(M), &err), "get_pairs");
    EXPECT_OK(err);
    EXPECT(gs[np] == 12345 && gd[np] == 12345, "get_pairs wrote past n_pairs");
    for (int i = 0; i < np; i++)
        EXPECT(gs[i] == es[i] && gd[i] == ed[i], "get_pairs[%d] = (%d,%d), expected (%d,%d)", i,
               gs[i], gd[i], es[i], ed[i]);

    /* partners per agent */
    int cnt[2][OR_MAXN];
    memset(cnt, 0, sizeof cnt);
    for (int i = 0; i < np; i++) {
        cnt[0][ps[i]]++;
        cnt[1][pd[i]]++;
    }
    for (int side = 0; side < 2; side++) {
        for (int a = 0; a < m->n[side]; a++) {
            int want[OR_MAXN], k = 0;
            for (int i = 0; i < np; i++) {
                int self = side == 0 ? ps[i] : pd[i];
                if (self == a)
                    want[k++] = side == 0 ? pd[i] : ps[i];
            }
            for (int i = 1; i < k; i++) {
                int x = want[i], j = i;
                while (j > 0 && order_key(m, side, a, want[j - 1]) > order_key(m, side, a, x)) {
                    want[j] = want[j - 1];
                    j--;
                }
                want[j] = x;
            }
            int32_t n = -5;
            const int32_t *got = tm_matching_partners(M, (TmSide)side, a, &n);
            EXPECT(n == k, "partners count side %d agent %d: %d != %d", side, a, n, k);
            EXPECT(tm_matching_n_partners(M, (TmSide)side, a) == k, "n_partners");
            if (k == 0)
                EXPECT(got == NULL, "partners of unmatched agent not NULL");
            for (int i = 0; i < k; i++)
                EXPECT(got[i] == want[i], "partner %d of side %d agent %d: %d != %d", i, side, a,
                       got[i], want[i]);
        }
        EXPECT(tm_matching_n_partners(M, (TmSide)side, m->n[side]) == -1, "n_partners oob");
        int32_t n = 7;
        EXPECT(tm_matching_partners(M, (TmSide)side, -1, &n) == NULL && n == 0, "partners oob");
    }

    /* statistics */
    TmMatchingStats st;
    memset(&st, 0xab, sizeof st);
    EXPECT(tm_matching_get_stats(M, &st, &err), "get_stats");
    EXPECT_OK(err);
    EXPECT(st.pairs == np, "stats.pairs");
    EXPECT(st.proposals == proposals, "stats.proposals");
    for (int side = 0; side < 2; side++) {
        const TmSideStats *ss = &st.side[side];
        int matched = 0;
        int64_t seats = 0, filled = 0;
        for (int a = 0; a < m->n[side]; a++) {
            matched += cnt[side][a] > 0;
            seats += m->cap[side][a];
            filled += cnt[side][a] < m->cap[side][a] ? cnt[side][a] : m->cap[side][a];
        }
        int ranks[OR_MAXP], nr = 0, rmax = -1;
        double sum = 0;
        for (int i = 0; i < np; i++) {
            int r = side == 0 ? m->rank[0][ps[i]][pd[i]] : m->rank[1][pd[i]][ps[i]];
            if (m->pair_index[ps[i]][pd[i]] < 0)
                continue;
            ranks[nr++] = r;
            sum += r;
            if (r > rmax)
                rmax = r;
        }
        for (int i = 1; i < nr; i++) {
            int x = ranks[i], j = i;
            while (j > 0 && ranks[j - 1] > x) {
                ranks[j] = ranks[j - 1];
                j--;
            }
            ranks[j] = x;
        }
        double mean = nr ? sum / nr : 0.0;
        EXPECT(ss->agents == m->n[side], "stats agents side %d", side);
        EXPECT(ss->matched_agents == matched, "stats matched_agents side %d: %d != %d", side,
               ss->matched_agents, matched);
        EXPECT(ss->seats == seats, "stats seats side %d", side);
        EXPECT(ss->filled_seats == filled, "stats filled_seats side %d: %lld != %lld", side,
               (long long)ss->filled_seats, (long long)filled);
        EXPECT(fabs(ss->rank_mean - mean) < 1e-9, "stats rank_mean side %d: %g != %g", side,
               ss->rank_mean, mean);
        EXPECT(ss->rank_max == rmax, "stats rank_max side %d: %d != %d", side, ss->rank_max,
               rmax);
        if (nr > 0) {
            double med = nr % 2 ? ranks[nr / 2] : (ranks[nr / 2 - 1] + ranks[nr / 2]) / 2.0;
            EXPECT(fabs(ss->rank_median - med) < 1e-9, "stats rank_median side %d: %g != %g",
                   side, ss->rank_median, med);
        }
        EXPECT(ss->dropped_entries == m->dropped[side], "stats dropped side %d", side);

        /* rank histogram with a random-ish cut-off */
        int ncut = (np + side) % (OR_MAXN + 2);
        int64_t counts[OR_MAXN + 3];
        for (int i = 0; i < OR_MAXN + 3; i++)
            counts[i] = -77;
        EXPECT(tm_matching_rank_histogram(M, (TmSide)side, counts, ncut, &err), "histogram");
        EXPECT_OK(err);
        for (int rr = 0; rr < ncut; rr++) {
            int64_t want = 0;
            for (int i = 0; i < nr; i++)
                want += ranks[i] == rr;
            EXPECT(counts[rr] == want, "histogram side %d rank %d: %lld != %lld", side, rr,
                   (long long)counts[rr], (long long)want);
        }
        EXPECT(counts[ncut] == -77, "histogram wrote past n_counts");
    }

    /* blocking pairs and verdict */
    int bs[OR_MAXP], bd[OR_MAXP];
    int nb = or_blocking_pairs(m, ps, pd, np, bs, bd);
    OrViolation ov[2 * OR_MAXN + OR_MAXP];
    int nv = or_violations(m, ps, pd, np, ov);

    int32_t *lbs = NULL, *lbd = NULL;
    int64_t lnb = -1;
    EXPECT(tm_matching_blocking_pairs(M, &lbs, &lbd, &lnb, &err), "blocking_pairs");
    EXPECT_OK(err);
    EXPECT(lnb == nb, "blocking pair count %lld != %d", (long long)lnb, nb);
    if (nb == 0)
        EXPECT(lbs == NULL && lbd == NULL, "blocking arrays not NULL when none");
    for (int i = 0; i < nb; i++)
        EXPECT(lbs[i] == bs[i] && lbd[i] == bd[i], "blocking pair %d = (%d,%d), expected (%d,%d)",
               i, lbs[i], lbd[i], bs[i], bd[i]);
    g_free(lbs);
    g_free(lbd);

    TmVerdict *v = tm_matching_check(M, &err);
    EXPECT_OK(err);
    EXPECT(v != NULL, "check returned NULL");
    EXPECT(tm_verdict_n_blocking_pairs(v) == nb, "verdict blocking count");
    for (int i = 0; i < nb; i++) {
        int32_t s = -9, d = -9;
        EXPECT(tm_verdict_blocking_pair(v, i, &s, &d), "verdict blocking pair %d", i);
        EXPECT(s == bs[i] && d == bd[i], "verdict blocking pair %d = (%d,%d), expected (%d,%d)",
               i, s, d, bs[i], bd[i]);
    }
    {
        int32_t s, d;
        EXPECT(!tm_verdict_blocking_pair(v, nb, &s, &d), "verdict blocking pair oob");
        EXPECT(!tm_verdict_blocking_pair(v, -1, &s, &d), "verdict blocking pair -1");
    }
    EXPECT(tm_verdict_n_violations(v) == nv, "violation count %lld != %d",
           (long long)tm_verdict_n_violations(v), nv);
    int used[2 * OR_MAXN + OR_MAXP];
    memset(used, 0, sizeof used);
    int seen_unacceptable = 0;
    for (int i = 0; i < nv; i++) {
        const TmViolation *lv = tm_verdict_violation(v, i);
        EXPECT(lv != NULL, "violation %d NULL", i);
        EXPECT(lv->kind == TM_VIOLATION_OVER_CAPACITY || lv->kind == TM_VIOLATION_UNACCEPTABLE,
               "violation kind %d", (int)lv->kind);
        if (lv->kind == TM_VIOLATION_UNACCEPTABLE)
            seen_unacceptable = 1;
        else
            EXPECT(!seen_unacceptable, "over-capacity violation after an unacceptable one");
        int found = 0;
        for (int j = 0; j < nv && !found; j++) {
            if (used[j] || (int)lv->kind != ov[j].kind)
                continue;
            if (ov[j].kind == 1) {
                if ((int)lv->side == ov[j].side && lv->agent == ov[j].agent &&
                    lv->count == ov[j].count && lv->capacity == ov[j].capacity &&
                    lv->supply == -1 && lv->demand == -1)
                    found = 1;
            } else {
                /* (the unused side field is checked in test_textbook.c) */
                if (lv->supply == ov[j].supply && lv->demand == ov[j].demand &&
                    lv->agent == -1 && lv->count == -1 && lv->capacity == -1)
                    found = 1;
            }
            if (found)
                used[j] = 1;
        }
        EXPECT(found,
               "unexpected violation %d: kind %d side %d agent %d count %d cap %d pair (%d,%d)", i,
               (int)lv->kind, (int)lv->side, lv->agent, lv->count, lv->capacity, lv->supply,
               lv->demand);
    }
    EXPECT(tm_verdict_violation(v, nv) == NULL, "violation oob");
    EXPECT(tm_verdict_violation(v, -1) == NULL, "violation -1");
    int stable = nb == 0 && nv == 0;
    EXPECT(!!tm_verdict_is_stable(v) == stable, "verdict is_stable");
    tm_verdict_free(v);
    EXPECT(!!tm_matching_is_stable(M, &err) == stable, "is_stable");
    EXPECT_OK(err);
}

/* Pairs of a solver matching as an oracle mask. */
static OrMask matching_mask(const OrMarket *m, const TmMatching *M)
{
    GError *err = NULL;
    int64_t n = tm_matching_n_pairs(M);
    EXPECT(n >= 0 && n <= m->n_pairs, "solver returned %lld pairs", (long long)n);
    int32_t s[OR_MAXP + 1], d[OR_MAXP + 1];
    EXPECT(tm_matching_get_pairs(M, s, d, tm_matching_n_pairs(M), &err), "get_pairs");
    EXPECT_OK(err);
    OrMask mask = 0;
    for (int i = 0; i < n; i++) {
        EXPECT(s[i] >= 0 && s[i] < m->n[0] && d[i] >= 0 && d[i] < m->n[1], "pair out of range");
        int p = m->pair_index[s[i]][d[i]];
        EXPECT(p >= 0, "solver matched unacceptable pair (%d,%d)", s[i], d[i]);
        EXPECT(!(mask & ((OrMask)1 << p)), "pair twice");
        mask |= (OrMask)1 << p;
    }
    return mask;
}

static void describe_mask(const OrMarket *m, OrMask mask, const char *label)
{
    char buf[512];
    int o = snprintf(buf, sizeof buf, "%s:", label);
    for (int p = 0; p < m->n_pairs && o < (int)sizeof buf - 16; p++)
        if (mask & ((OrMask)1 << p))
            o += snprintf(buf + o, sizeof buf - (size_t)o, " (%d,%d)", m->pair_s[p], m->pair_d[p]);
    print_error("%s\n", buf);
}

typedef struct {
    double last;
    long calls;
    int bad;
} Progress;

static void on_progress(double fraction, gpointer data)
{
    Progress *p = data;
    p->calls++;
    if (!(fraction >= 0.0 && fraction <= 1.0))
        p->bad = 1;
    p->last = fraction;
}

static TmMatching *make_matching(TmMarket *mk, Rng *r, const int *ps, const int *pd, int np)
{
    /* hand the pairs over in a random order: the library must sort them */
    int idx[OR_MAXP];
    for (int i = 0; i < np; i++)
        idx[i] = i;
    rng_shuffle(r, idx, np);
    int32_t s[OR_MAXP + 1], d[OR_MAXP + 1];
    for (int i = 0; i < np; i++) {
        s[i] = ps[idx[i]];
        d[i] = pd[idx[i]];
    }
    GError *err = NULL;
    TmMatching *M = tm_matching_new_from_pairs(mk, np ? s : NULL, np ? d : NULL, np, &err);
    EXPECT_OK(err);
    EXPECT(M != NULL, "new_from_pairs returned NULL");
    EXPECT(tm_matching_market(M) == mk, "matching_market");
    return M;
}

static void hand_built(const OrMarket *m, TmMarket *mk, Rng *r, const OrMask *stable,
                       size_t n_stable)
{
    int ps[OR_MAXP], pd[OR_MAXP], np = 0;
    int cat = rng_int(r, 0, 3);
    if (cat == 0) {
        /* capacity-respecting subset of acceptable pairs */
        int order[OR_MAXP], cnt[2][OR_MAXN];
        memset(cnt, 0, sizeof cnt);
        for (int p = 0; p < m->n_pairs; p++)
            order[p] = p;
        rng_shuffle(r, order, m->n_pairs);
        double q = (double)rng_int(r, 20, 100) / 100.0;
        OrMask mask = 0;
        for (int i = 0; i < m->n_pairs; i++) {
            int p = order[i], s = m->pair_s[p], d = m->pair_d[p];
            if (cnt[0][s] < m->cap[0][s] && cnt[1][d] < m->cap[1][d] && rng_chance(r, q)) {
                cnt[0][s]++;
                cnt[1][d]++;
                mask |= (OrMask)1 << p;
            }
        }
        np = or_mask_to_pairs(m, mask, ps, pd);
        /* oracle self-consistency: no blocking pair <=> in the stable set */
        int bs[OR_MAXP], bd[OR_MAXP];
        int nb = or_blocking_pairs(m, ps, pd, np, bs, bd);
        int in_set = 0;
        for (size_t i = 0; i < n_stable; i++)
            in_set |= stable[i] == mask;
        EXPECT((nb == 0) == in_set, "oracle inconsistent: %d blocking pairs, in stable set %d",
               nb, in_set);
    } else if (cat == 1 || cat == 2) {
        /* arbitrary pairs: unacceptable ones, over capacity */
        double q = (double)rng_int(r, 10, 60) / 100.0;
        for (int s = 0; s < m->n[0]; s++)
            for (int d = 0; d < m->n[1]; d++)
                if (rng_chance(r, q)) {
                    ps[np] = s;
                    pd[np] = d;
                    np++;
                }
    } else {
        /* a stable matching, perturbed by removing or adding one pair */
        OrMask mask = stable[rng_int(r, 0, (int)n_stable - 1)];
        np = or_mask_to_pairs(m, mask, ps, pd);
        if (np > 0 && rng_chance(r, 0.5)) {
            int k = rng_int(r, 0, np - 1);
            ps[k] = ps[np - 1];
            pd[k] = pd[np - 1];
            np--;
        } else if (m->n[0] > 0 && m->n[1] > 0) {
            int s = rng_int(r, 0, m->n[0] - 1), d = rng_int(r, 0, m->n[1] - 1);
            int dup = 0;
            for (int i = 0; i < np; i++)
                dup |= ps[i] == s && pd[i] == d;
            if (!dup) {
                ps[np] = s;
                pd[np] = d;
                np++;
            }
        }
    }
    TmMatching *M = make_matching(mk, r, ps, pd, np);
    audit_matching(m, M, ps, pd, np, 0);
    OrViolation ov[2 * OR_MAXN + OR_MAXP];
    int bs[OR_MAXP], bd[OR_MAXP];
    g_count.hand_built++;
    if (or_blocking_pairs(m, ps, pd, np, bs, bd) > 0)
        g_count.hand_built_unstable++;
    if (or_violations(m, ps, pd, np, ov) > 0)
        g_count.hand_built_violating++;
    tm_matching_free(M);
}

static void rural_hospitals(const OrMarket *m, const OrMask *set, size_t n, const OrMask *solved,
                            int n_solved)
{
    int r0[OR_MAXN];
    for (size_t i = 0; i < n; i++) {
        for (int s = 0; s < m->n[0]; s++)
            EXPECT(or_partner_ranks(m, 0, s, set[i], r0) == or_partner_ranks(m, 0, s, set[0], r0),
                   "rural hospitals: supply %d matched in one stable matching, not another", s);
        for (int d = 0; d < m->n[1]; d++) {
            int k0 = or_partner_ranks(m, 1, d, set[0], r0);
            int ri[OR_MAXN];
            int ki = or_partner_ranks(m, 1, d, set[i], ri);
            EXPECT(ki == k0, "rural hospitals: demand %d fill differs", d);
            if (k0 < m->cap[1][d]) /* under-filled: exactly the same partners */
                for (int j = 0; j < k0; j++)
                    EXPECT(ri[j] == r0[j], "rural hospitals: under-filled demand %d differs", d);
        }
    }
    for (int k = 0; k < n_solved; k++) {
        for (int s = 0; s < m->n[0]; s++)
            EXPECT(or_partner_ranks(m, 0, s, solved[k], r0) ==
                       or_partner_ranks(m, 0, s, set[0], r0),
                   "rural hospitals: solver's matched supply set differs");
        for (int d = 0; d < m->n[1]; d++)
            EXPECT(or_partner_ranks(m, 1, d, solved[k], r0) ==
                       or_partner_ranks(m, 1, d, set[0], r0),
                   "rural hospitals: solver's fill of demand %d differs", d);
    }
    g_count.rural_checked++;
}

static void run_instance(const OrMarket *m, Kind kind, Rng *r, int use_builder)
{
    GError *err = NULL;
    g_cur = m;
    g_count.instances++;
    if (m->dropped[0] + m->dropped[1] > 0)
        g_count.with_dropped++;
    int has_cap0 = 0;
    for (int side = 0; side < 2; side++)
        for (int a = 0; a < m->n[side]; a++)
            has_cap0 |= m->cap[side][a] == 0;
    g_count.with_cap0 += has_cap0;

    TmMarket *mk = build_market(r, m, use_builder);
    check_market(m, mk);

    OrMask *set = NULL;
    uint64_t nodes = 0;
    size_t n_stable = or_stable_matchings(m, &set, &nodes);
    EXPECT(n_stable >= 1 && set != NULL, "oracle found no stable matching");
    if (nodes > g_count.max_nodes)
        g_count.max_nodes = nodes;
    if ((long)n_stable > g_count.max_stable)
        g_count.max_stable = (long)n_stable;
    if (n_stable > 1)
        g_count.multi_stable++;
    for (size_t i = 0; i < n_stable; i++) {
        int ps[OR_MAXP], pd[OR_MAXP], bs[OR_MAXP], bd[OR_MAXP];
        OrViolation ov[2 * OR_MAXN + OR_MAXP];
        int np = or_mask_to_pairs(m, set[i], ps, pd);
        EXPECT(or_blocking_pairs(m, ps, pd, np, bs, bd) == 0 && or_violations(m, ps, pd, np, ov) == 0,
               "oracle inconsistent on its own stable matching");
    }

    OrMask opt[2];
    EXPECT(or_side_optimal(m, 0, set, n_stable, &opt[0]), "no supply-optimal stable matching");
    EXPECT(or_side_optimal(m, 1, set, n_stable, &opt[1]), "no demand-optimal stable matching");

    OrMask solved[2];
    for (int side = 0; side < 2; side++) {
        Progress prog = { 0.0, 0, 0 };
        /* variant 0: NULL options when the default side proposes */
        int variant = rng_int(r, 0, 2);
        TmSolveOptions *po = variant == 0 && side == 0 ? NULL : tm_solve_options_new();
        if (po && !tm_solve_options_set_proposing(po, (TmSide)side, &err))
            EXPECT_OK(err);
        if (variant == 2) {
            TmCancel *cancel = tm_cancel_new(); /* never triggered */
            tm_solve_options_set_progress(po, on_progress, &prog, NULL);
            tm_solve_options_set_cancel(po, cancel);
            tm_cancel_unref(cancel);
        }
        g_cur_what = side == 0 ? "supply proposing" : "demand proposing";
        TmMatching *M = tm_solve(mk, NULL, po, &err);
        tm_solve_options_free(po);
        EXPECT_OK(err);
        EXPECT(M != NULL, "solve returned NULL");
        EXPECT(!prog.bad, "progress fraction outside [0,1]");
        g_count.progress_calls += prog.calls;
        OrMask got = matching_mask(m, M);
        if (got != opt[side]) {
            dump_current();
            describe_mask(m, got, "library");
            describe_mask(m, opt[side], "oracle proposer-optimal");
            print_error("%zu stable matchings\n", n_stable);
            fail();
        }
        solved[side] = got;
        EXPECT(tm_matching_is_stable(M, &err), "solver result not stable");
        EXPECT_OK(err);

        int ps[OR_MAXP], pd[OR_MAXP];
        int np = or_mask_to_pairs(m, got, ps, pd);
        long want_props = or_da_proposals(m, side, got);
        audit_matching(m, M, ps, pd, np, want_props);
        tm_matching_free(M);
    }
    g_cur_what = "";

    if (kind == KIND_MANY_ONE)
        rural_hospitals(m, set, n_stable, solved, 2);

    /* a few stable matchings from the oracle, handed over as pairs: stable */
    for (int k = 0; k < 2; k++) {
        OrMask mask = set[rng_int(r, 0, (int)n_stable - 1)];
        int ps[OR_MAXP], pd[OR_MAXP];
        int np = or_mask_to_pairs(m, mask, ps, pd);
        TmMatching *M = make_matching(mk, r, ps, pd, np);
        EXPECT(tm_matching_is_stable(M, &err), "oracle-stable matching judged unstable");
        EXPECT_OK(err);
        tm_matching_free(M);
    }

    /* random hand-built matchings */
    for (int k = 0; k < 3; k++)
        hand_built(m, mk, r, set, n_stable);

    free(set);
    tm_market_free(mk);
    g_cur = NULL;
}

static void run_kind(Kind kind, uint64_t seed, int count)
{
    Rng r = { seed };
    OrMarket *m = g_new(OrMarket, 1);
    long multi0 = g_count.multi_stable;
    gint64 t0 = g_get_monotonic_time();
    for (int i = 0; i < count; i++) {
        gen_market(&r, kind, m);
        run_instance(m, kind, &r, i % 3 == 1);
    }
    print_message("kind %d: %d instances, %ld with several stable matchings, %.2f s\n", (int)kind,
                  count, g_count.multi_stable - multi0,
                  (double)(g_get_monotonic_time() - t0) / 1e6);
    g_free(m);
}

#define N_PER_KIND 4000

static void test_one_to_one(void **state)
{
    (void)state;
    run_kind(KIND_ONE_ONE, UINT64_C(0x9e3779b97f4a7c15), N_PER_KIND);
}

static void test_many_to_one(void **state)
{
    (void)state;
    run_kind(KIND_MANY_ONE, UINT64_C(0xd1b54a32d192ed03), N_PER_KIND);
}

static void test_many_to_many(void **state)
{
    (void)state;
    run_kind(KIND_MANY_MANY, UINT64_C(0x8cb92ba72f3d8dd7), N_PER_KIND);
}

/* The oracle itself, on an instance worked out by hand: the 3x3 cyclic
 * marriage market has exactly three stable matchings. */
static void test_oracle_self(void **state)
{
    (void)state;
    OrMarket *m = g_new0(OrMarket, 1);
    static const int men[3][3] = { { 0, 1, 2 }, { 1, 2, 0 }, { 2, 0, 1 } };
    static const int women[3][3] = { { 1, 2, 0 }, { 2, 0, 1 }, { 0, 1, 2 } };
    m->n[0] = m->n[1] = 3;
    for (int a = 0; a < 3; a++) {
        m->cap[0][a] = m->cap[1][a] = 1;
        m->len[0][a] = m->len[1][a] = 3;
        for (int i = 0; i < 3; i++) {
            m->list[0][a][i] = men[a][i];
            m->list[1][a][i] = women[a][i];
        }
    }
    assert_int_equal(or_market_prepare(m), 0);
    assert_int_equal(m->n_pairs, 9);
    OrMask *set = NULL;
    size_t n = or_stable_matchings(m, &set, NULL);
    assert_int_equal(n, 3);
    OrMask best;
    assert_true(or_side_optimal(m, 0, set, n, &best));
    int ps[OR_MAXP], pd[OR_MAXP];
    assert_int_equal(or_mask_to_pairs(m, best, ps, pd), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ps[i], i);
        assert_int_equal(pd[i], i);
    }
    assert_int_equal(or_da_proposals(m, 0, best), 3);
    assert_true(or_side_optimal(m, 1, set, n, &best));
    assert_int_equal(or_mask_to_pairs(m, best, ps, pd), 3);
    assert_int_equal(pd[0], 2); /* m0-w2, m1-w0, m2-w1 */
    assert_int_equal(pd[1], 0);
    assert_int_equal(pd[2], 1);
    /* identity matching minus one pair: (1,1) removed; blocking pairs are
     * pairs where both would take */
    int s2[2] = { 0, 2 }, d2[2] = { 0, 2 }, bs[OR_MAXP], bd[OR_MAXP];
    /* m1 free, w1 free: m1 lists w1 first, w1 lists m1 last -> (1,1) blocks;
     * m1-w2: w2 holds m2 (rank 2) and ranks m1 1 -> blocks; m1-w0: w0 holds
     * m0 (rank 2), ranks m1 0 -> blocks. Order by m1's ranks: w1, w2, w0. */
    assert_int_equal(or_blocking_pairs(m, s2, d2, 2, bs, bd), 3);
    assert_int_equal(bs[0], 1);
    assert_int_equal(bd[0], 1);
    assert_int_equal(bd[1], 2);
    assert_int_equal(bd[2], 0);
    free(set);
    g_free(m);
}

static int print_counters(void **state)
{
    (void)state;
    print_message("oracle instances: %ld (builder %ld, with dropped entries %ld, with capacity-0 "
                  "agents %ld, >1 stable matching %ld, max stable %ld, max search nodes %llu)\n",
                  g_count.instances, g_count.via_builder, g_count.with_dropped,
                  g_count.with_cap0, g_count.multi_stable, g_count.max_stable,
                  (unsigned long long)g_count.max_nodes);
    print_message("hand-built matchings audited: %ld (%ld with blocking pairs, %ld with "
                  "violations); rural-hospital checks %ld; progress calls %ld\n",
                  g_count.hand_built, g_count.hand_built_unstable, g_count.hand_built_violating,
                  g_count.rural_checked, g_count.progress_calls);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_self),
        cmocka_unit_test(test_one_to_one),
        cmocka_unit_test(test_many_to_one),
        cmocka_unit_test(test_many_to_many),
    };
    return cmocka_run_group_tests(tests, NULL, print_counters);
}
