/* Ties among explicit wishes (tm_programme_set_wish_ranks, preferences.h)
 * carried into the preference lists: on 12,000 random programmes with
 * random tied wishes on both sides, the market's lists equal the brute-force
 * oracle of random_programme.h (the order) and every entry's rank equals the
 * rank the contract prescribes — a kept wish its wish rank, every entry of
 * the scored part a rank of its own, renumbered densely per list — computed
 * here from the programme alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "random_programme.h"

/* Random non-decreasing ranks for the wishes of every agent: each wish ties
 * with the one before it with probability @p_tie. */
static int64_t random_ties(TmProgramme *p, GRand *g, double p_tie)
{
    int64_t tied = 0;
    for (int side = 0; side < 2; side++) {
        int32_t n = side == 0 ? tm_programme_n_commissioners(p) : tm_programme_n_sites(p);
        for (int32_t a = 0; a < n; a++) {
            int32_t nw = side == 0 ? tm_programme_commissioner(p, a)->n_ranked_sites
                                   : tm_programme_site(p, a)->n_ranked_commissioners;
            if (nw == 0 || g_rand_double(g) < 0.3)
                continue;
            int32_t ranks[8];
            int32_t r = g_rand_int_range(g, 0, 3); /* any start: stored densely */
            for (int32_t i = 0; i < nw; i++) {
                if (i > 0 && g_rand_double(g) >= p_tie)
                    r += g_rand_int_range(g, 1, 3);
                else if (i > 0)
                    tied++;
                ranks[i] = r;
            }
            GError *err = NULL;
            assert_true(tm_programme_set_wish_ranks(p, (TmSide)side, a, ranks, nw, &err));
            assert_no_error(err);
        }
    }
    return tied;
}

/* Whether agent @o of the other side is an acceptable wish of @a (@side),
 * as the build decides (both eligible, the pair rules pass). */
static gboolean acceptable(const TmProgramme *p, const TmScreening *scr, const TmRules *r,
                           int side, int32_t a, int32_t o)
{
    int32_t c = side == 0 ? a : o, s = side == 0 ? o : a;
    return tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)
           && tm_screening_is_eligible(scr, TM_SIDE_DEMAND, s)
           && tm_rules_pair_reason(p, r, c, s) == NULL;
}

/* The expected dense ranks of @list (agent @a of @side): its first entries
 * are the acceptable wishes, with their wish ranks; the others each one
 * more than the entry before.  Returns whether the list has a tie. */
static gboolean expected_ranks(const TmProgramme *p, const TmScreening *scr, const TmRules *r,
                               int side, int32_t a, const GArray *list, int32_t *dense)
{
    const char *const *names = side == 0 ? tm_programme_commissioner(p, a)->ranked_sites
                                         : tm_programme_site(p, a)->ranked_commissioners;
    int32_t nw = side == 0 ? tm_programme_commissioner(p, a)->n_ranked_sites
                           : tm_programme_site(p, a)->n_ranked_commissioners;
    int32_t raw[64], w = 0, last = -1;
    g_assert(list->len <= G_N_ELEMENTS(raw));
    for (int32_t q = 0; q < nw; q++) {
        int32_t o = side == 0 ? tm_programme_find_site(p, names[q])
                              : tm_programme_find_commissioner(p, names[q]);
        if (!acceptable(p, scr, r, side, a, o))
            continue;
        assert_int_equal(g_array_index(list, int32_t, w), o); /* the oracle's order */
        raw[w++] = last = tm_programme_wish_rank(p, (TmSide)side, a, q);
    }
    for (guint i = (guint)w; i < list->len; i++)
        raw[i] = ++last;
    gboolean tie = FALSE;
    for (guint i = 0; i < list->len; i++) {
        dense[i] = i == 0 ? 0 : dense[i - 1] + (raw[i] > raw[i - 1]);
        tie = tie || (i > 0 && raw[i] == raw[i - 1]);
    }
    return tie;
}

static void test_ties_equal_bruteforce(void **state)
{
    (void)state;
    int64_t entries = 0, tied = 0, tied_markets = 0;
    const guint32 n_instances = 12000;
    for (guint32 seed = 1; seed <= n_instances; seed++) {
        GRand *g = g_rand_new_with_seed(seed * 2654435761u);
        RandSpec sp = {g_rand_int_range(g, 1, 11), g_rand_int_range(g, 1, 11),
                       g_rand_int_range(g, 1, 4), 0.6, 0.9, 30.0, seed % 5 != 0};
        TmProgramme *p = rp_make(&sp, seed);
        tied += random_ties(p, g, 0.6);
        TmRules *r = tm_rules_new_default();
        GError *err = NULL;
        if (seed % 4 == 1)
            assert_true(tm_rules_set(r, "P_DISTANCE", "true", &err));
        if (seed % 2 == 0) /* more acceptable wishes, so more ties that stay */
            assert_true(tm_rules_set(r, "P_SECTOR", "false", &err));
        /* a quarter of the instances with top-k candidate generation whose
         * budgets cover everything (then the oracle's top-k applies) */
        int32_t k = seed % 4 == 3 ? g_rand_int_range(g, 1, 4) : 0;
        int32_t site_k = k > 0 ? g_rand_int_range(g, 0, 3) : 0;
        if (k > 0) {
            TmCandidateParams cp;
            tm_rules_get_candidates(r, &cp);
            cp.site_k = site_k;
            cp.budget = 1000;
            cp.site_budget = 1000;
            assert_true(tm_rules_set_candidates(r, &cp, &err));
        }
        assert_no_error(err);
        g_rand_free(g);

        Oracle o;
        rp_oracle(p, r, k, site_k, &o);
        TmPrefsOptions *po = tm_prefs_options_new();
        assert_true(tm_prefs_options_set_k(po, k, &err));
        TmMarket *m = tm_programme_build_market(p, r, NULL, po, NULL, &err);
        assert_no_error(err);
        char what[48];
        g_snprintf(what, sizeof what, "ties seed %u", seed);
        rp_expect_market(m, &o, what);

        TmScreening *scr = tm_programme_screen(p, r, &err);
        assert_no_error(err);
        gboolean any_tie = FALSE;
        for (int side = 0; side < 2; side++) {
            int32_t n = side == 0 ? o.nc : o.ns;
            for (int32_t a = 0; a < n; a++) {
                const GArray *list = side == 0 ? o.clist[a] : o.slist[a];
                int32_t dense[64];
                any_tie |= expected_ranks(p, scr, r, side, a, list, dense);
                for (guint i = 0; i < list->len; i++) {
                    int32_t b = g_array_index(list, int32_t, i);
                    int32_t got = tm_market_rank(m, (TmSide)side, a, b);
                    if (got != dense[i]) {
                        print_error("%s: side %d agent %d entry %u (%d): rank %d, want %d\n",
                                    what, side, a, i, b, got, dense[i]);
                        fail();
                    }
                }
                entries += list->len;
            }
        }
        assert_int_equal(tm_market_has_ties(m), any_tie);
        tied_markets += any_tie;
        tm_screening_free(scr);
        tm_market_free(m);
        tm_prefs_options_free(po);
        rp_oracle_free(&o);
        tm_rules_free(r);
        tm_programme_free(p);
    }
    print_message("%u programmes, %" G_GINT64_FORMAT " list entries compared, %" G_GINT64_FORMAT
                  " tied wishes declared, %" G_GINT64_FORMAT " markets with ties\n",
                  n_instances, entries, tied, tied_markets);
    assert_true(tied_markets > n_instances / 5);
    assert_true(entries > 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_equal_bruteforce),
    };
    return cmocka_run_group_tests_name("rules.prefs_ties", tests, NULL, NULL);
}
