/* rules.consent_random — real two-way consent against a brute force on
 * 2,400 small random programmes (public C API only): each agent open,
 * named-only or on the [consent] default (itself random per side), random
 * wishes, eligibility and pair rules, exact and top-k lists, with and
 * without a quota.  Checked for every programme:
 *   - every pair of the selection's market is acceptable to both sides
 *     (eligible, passes the pair rules, each accepts the other under its
 *     consent); with exact lists (k = 0) the market holds every such pair;
 *   - every explicit wish's fate is its true reason, checked in the
 *     builder's order (kept iff the pair is listed; else the wisher
 *     ineligible, the partner ineligible, a pair rule, the partner named
 *     only and did not name it), with the rule's code, then the review (a
 *     third of the programmes have random exclusions and vetoes);
 *   - the mutual first choices are exactly the pairs ranked 0 both ways, and
 *     without a quota each is assigned; under a quota one that is not has a
 *     commissioner cut by the quota or a sector cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rules_testutil.h"

#include <techmatch/review.h>
#include <techmatch/selection.h>

#define N_PROGRAMMES 2400

typedef struct {
    TmProgramme *p;
    TmRules *r;
    TmConsent consent[2][10]; /* as given to the profiles */
    gboolean named_default[2];
    int32_t nc, ns;
    TmReview *review;          /* NULL, or random exclusions and vetoes */
    gboolean excluded[2][10];
    gboolean vetoed[10][10];
} Case;

static void make_case(Case *k, guint32 seed)
{
    GRand *g = g_rand_new_with_seed(seed);
    k->p = tm_programme_new(NULL);
    k->r = tm_rules_new_default();
    k->nc = g_rand_int_range(g, 1, 9);
    k->ns = g_rand_int_range(g, 1, 9);
    for (int side = 0; side < 2; side++) {
        k->named_default[side] = g_rand_int_range(g, 0, 4) == 0;
        assert_true(tm_rules_set_consent(k->r, (TmSide)side,
                                         k->named_default[side] ? TM_CONSENT_NAMED_ONLY
                                                                : TM_CONSENT_OPEN,
                                         NULL));
    }
    if (g_rand_boolean(g))
        assert_true(tm_rules_set_enabled(k->r, "P_DISTANCE", TRUE, NULL));
    char name[16], wn[4][16];
    const char *w[4];
    for (int32_t i = 0; i < k->nc; i++) {
        g_snprintf(name, sizeof name, "c%d", i);
        TmCommissioner c = tr_comm(name);
        TmExpertise ex[1] = {{g_rand_int_range(g, 0, 3), g_rand_int_range(g, 0, 4)}};
        c.expertise = ex;
        c.n_expertise = g_rand_int_range(g, 0, 5) ? 1 : 0;
        c.title = (TmTitle)g_rand_int_range(g, 1, 4);
        c.unit_support = g_rand_int_range(g, 0, 10) > 0;
        c.years = g_rand_int_range(g, 0, 4);
        c.capacity = g_rand_int_range(g, 0, 3);
        c.merit = g_rand_int_range(g, 0, 6);
        if (g_rand_boolean(g)) {
            c.x = g_rand_double_range(g, 0, 40);
            c.y = g_rand_double_range(g, 0, 40);
        }
        int32_t nw = 0, want = g_rand_int_range(g, 0, 4);
        for (int32_t q = 0; q < want; q++) {
            g_snprintf(wn[nw], sizeof wn[nw], "s%d", g_rand_int_range(g, 0, k->ns));
            gboolean dup = FALSE;
            for (int32_t z = 0; z < nw; z++)
                dup |= strcmp(wn[z], wn[nw]) == 0;
            if (!dup) {
                w[nw] = wn[nw];
                nw++;
            }
        }
        c.ranked_sites = w;
        c.n_ranked_sites = nw;
        c.consent = k->consent[0][i] = (TmConsent)g_rand_int_range(g, 0, 3);
        tr_add_c(k->p, &c);
    }
    for (int32_t i = 0; i < k->ns; i++) {
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.sector = g_rand_int_range(g, 0, 3);
        s.kind = g_rand_int_range(g, 0, 8) == 0 ? TM_SITE_OTHER : TM_SITE_HIGH_TECH;
        s.min_title = (TmTitle)g_rand_int_range(g, 0, 4);
        s.years = g_rand_int_range(g, 0, 3);
        s.capacity = g_rand_int_range(g, 0, 3);
        if (g_rand_boolean(g)) {
            s.x = g_rand_double_range(g, 0, 40);
            s.y = g_rand_double_range(g, 0, 40);
        }
        int32_t nw = 0, want = g_rand_int_range(g, 0, 4);
        for (int32_t q = 0; q < want; q++) {
            g_snprintf(wn[nw], sizeof wn[nw], "c%d", g_rand_int_range(g, 0, k->nc));
            gboolean dup = FALSE;
            for (int32_t z = 0; z < nw; z++)
                dup |= strcmp(wn[z], wn[nw]) == 0;
            if (!dup) {
                w[nw] = wn[nw];
                nw++;
            }
        }
        s.ranked_commissioners = w;
        s.n_ranked_commissioners = nw;
        s.consent = k->consent[1][i] = (TmConsent)g_rand_int_range(g, 0, 3);
        tr_add_s(k->p, &s);
    }
    k->review = NULL;
    memset(k->excluded, 0, sizeof k->excluded);
    memset(k->vetoed, 0, sizeof k->vetoed);
    if (seed % 3 == 1) {
        k->review = tm_review_new();
        for (int32_t d = g_rand_int_range(g, 1, 6); d > 0; d--) {
            int32_t c = g_rand_int_range(g, 0, k->nc), s = g_rand_int_range(g, 0, k->ns);
            const TmCommissioner *ci = tm_programme_commissioner(k->p, c);
            if (ci->n_ranked_sites > 0) /* mostly about a wish */
                s = atoi(ci->ranked_sites[g_rand_int_range(g, 0, ci->n_ranked_sites)] + 1);
            char cn[16], sn[16];
            g_snprintf(cn, sizeof cn, "c%d", c);
            g_snprintf(sn, sizeof sn, "s%d", s);
            int what = g_rand_int_range(g, 0, 3);
            if (what == 0 && !k->excluded[0][c])
                k->excluded[0][c] = tm_review_add(k->review, TM_DECISION_EXCLUDE, cn, NULL,
                                                  NULL, NULL, NULL) >= 0;
            else if (what == 1 && !k->excluded[1][s])
                k->excluded[1][s] = tm_review_add(k->review, TM_DECISION_EXCLUDE, NULL, sn,
                                                  NULL, NULL, NULL) >= 0;
            else if (!k->vetoed[c][s])
                k->vetoed[c][s] = tm_review_add(k->review, TM_DECISION_VETO, cn, sn, NULL,
                                                NULL, NULL) >= 0;
        }
    }
    g_rand_free(g);
}

static gboolean by_review(const Case *k, int32_t c, int32_t s)
{
    return k->excluded[0][c] || k->excluded[1][s] || k->vetoed[c][s];
}

/* The oracle's view of agent @a of @side: does it name @o? */
static gboolean names(const Case *k, int side, int32_t a, int32_t o)
{
    char want[16];
    g_snprintf(want, sizeof want, side == 0 ? "s%d" : "c%d", o);
    const char *const *v = side == 0 ? tm_programme_commissioner(k->p, a)->ranked_sites
                                     : tm_programme_site(k->p, a)->ranked_commissioners;
    int32_t n = side == 0 ? tm_programme_commissioner(k->p, a)->n_ranked_sites
                          : tm_programme_site(k->p, a)->n_ranked_commissioners;
    for (int32_t q = 0; q < n; q++)
        if (strcmp(v[q], want) == 0)
            return TRUE;
    return FALSE;
}

static gboolean accepts(const Case *k, int side, int32_t a, int32_t o)
{
    TmConsent own = k->consent[side][a];
    gboolean named = own == TM_CONSENT_NAMED_ONLY
                     || (own == TM_CONSENT_DEFAULT && k->named_default[side]);
    return !named || names(k, side, a, o);
}

static gboolean acceptable(const Case *k, const TmScreening *scr, int32_t c, int32_t s)
{
    return tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)
           && tm_screening_is_eligible(scr, TM_SIDE_DEMAND, s)
           && tm_rules_pair_reason(k->p, k->r, c, s) == NULL && accepts(k, 0, c, s)
           && accepts(k, 1, s, c);
}

#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            print_error("programme %u: ", seed);                                             \
            print_error(__VA_ARGS__);                                                        \
            print_error("\n");                                                               \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

static void check_pairs(const Case *k, const TmSelection *sel, gboolean exact, guint32 seed)
{
    const TmScreening *scr = tm_selection_screening(sel);
    TmMarket *m = tm_selection_market(sel);
    for (int32_t c = 0; c < k->nc; c++)
        for (int32_t s = 0; s < k->ns; s++) {
            gboolean in = tm_market_rank(m, TM_SIDE_SUPPLY, c, s) >= 0;
            gboolean ok = acceptable(k, scr, c, s);
            CHECK(!in || ok, "pair c%d-s%d listed but not acceptable to both", c, s);
            CHECK(!in || !by_review(k, c, s), "pair c%d-s%d listed against the review", c, s);
            CHECK(!exact || in == (ok && !by_review(k, c, s)),
                  "exact lists: pair c%d-s%d acceptable %d, listed %d", c, s, ok, in);
            CHECK(in == (tm_market_rank(m, TM_SIDE_DEMAND, s, c) >= 0), "lists not mutual");
        }
}

static void check_wishes(const Case *k, const TmSelection *sel, guint32 seed)
{
    const TmScreening *scr = tm_selection_screening(sel);
    TmMarket *m = tm_selection_market(sel);
    int64_t dropped = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < (side == 0 ? k->nc : k->ns); a++) {
            int32_t nw = side == 0 ? tm_programme_commissioner(k->p, a)->n_ranked_sites
                                   : tm_programme_site(k->p, a)->n_ranked_commissioners;
            for (int32_t q = 0; q < nw; q++) {
                const char *nm = side == 0 ? tm_programme_commissioner(k->p, a)->ranked_sites[q]
                                           : tm_programme_site(k->p, a)->ranked_commissioners[q];
                int32_t o = atoi(nm + 1);
                int32_t c = side == 0 ? a : o, s = side == 0 ? o : a;
                int want;
                const char *rule = NULL;
                if (tm_market_rank(m, TM_SIDE_SUPPLY, c, s) >= 0) {
                    want = TM_WISH_KEPT;
                } else if (!tm_screening_is_eligible(scr, (TmSide)side, a)) {
                    want = TM_WISH_INELIGIBLE;
                    rule = tm_screening_reason(scr, (TmSide)side, a);
                } else if (!tm_screening_is_eligible(scr, (TmSide)(1 - side), o)) {
                    want = TM_WISH_PARTNER_INELIGIBLE;
                    rule = tm_screening_reason(scr, (TmSide)(1 - side), o);
                } else if ((rule = tm_rules_pair_reason(k->p, k->r, c, s)) != NULL) {
                    want = TM_WISH_PAIR_RULE;
                } else if (!accepts(k, 1 - side, o, a)) {
                    want = TM_WISH_NOT_NAMED;
                } else {
                    /* the only reason left: the review (and it must hold) */
                    CHECK(by_review(k, c, s), "wish %s of %s%d dropped without reason", nm,
                          side == 0 ? "c" : "s", a);
                    want = TM_WISH_REVIEW;
                }
                /* a wish the rules, the partner and the review accept is always listed */
                CHECK((want == TM_WISH_KEPT) == (acceptable(k, scr, c, s) && !by_review(k, c, s)),
                      "wish %s of %s%d: listed %d, acceptable %d", nm, side == 0 ? "c" : "s",
                      a, want == TM_WISH_KEPT, acceptable(k, scr, c, s));
                int got = tm_selection_wish_fate(sel, (TmSide)side, a, q);
                CHECK(got == want, "wish %s of %s%d: fate %d, want %d", nm,
                      side == 0 ? "c" : "s", a, got, want);
                CHECK(tm_selection_wish_partner(sel, (TmSide)side, a, q) == o, "partner");
                const char *gr = tm_selection_wish_rule(sel, (TmSide)side, a, q);
                CHECK((gr == NULL && rule == NULL) || (gr && rule && strcmp(gr, rule) == 0),
                      "wish %s of %s%d: rule %s, want %s", nm, side == 0 ? "c" : "s", a,
                      gr ? gr : "-", rule ? rule : "-");
                char *why = tm_selection_wish_reason(sel, (TmSide)side, a, q);
                CHECK((why == NULL) == (want == TM_WISH_KEPT), "reason text");
                CHECK(rule == NULL || strstr(why, rule) != NULL, "reason '%s' lacks %s", why,
                      rule);
                g_free(why);
                dropped += want != TM_WISH_KEPT;
            }
        }
    CHECK(tm_selection_n_dropped_wishes(sel) == dropped, "n_dropped %" G_GINT64_FORMAT
          ", want %" G_GINT64_FORMAT, tm_selection_n_dropped_wishes(sel), dropped);
}

static void check_mutual(const Case *k, const TmSelection *sel, gboolean quota, guint32 seed)
{
    TmMarket *m = tm_selection_market(sel);
    int32_t n = 0;
    for (int32_t c = 0; c < k->nc; c++) {
        int32_t j = 0;
        for (int32_t s = 0; s < k->ns; s++) {
            if (tm_market_rank(m, TM_SIDE_SUPPLY, c, s) != 0
                || tm_market_rank(m, TM_SIDE_DEMAND, s, c) != 0)
                continue;
            n++;
            /* the accessor lists them in c's list order, which is by rank then
             * by position: with one rank-0 entry per agent (no ties) it is s */
            CHECK(tm_selection_mutual_first(sel, c, j++) == s, "mutual first of c%d", c);
            gboolean both = tm_market_capacity(m, TM_SIDE_SUPPLY, c) > 0
                            && tm_market_capacity(m, TM_SIDE_DEMAND, s) > 0;
            if (!both || tm_selection_is_assigned(sel, c, s))
                continue;
            int oc = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL);
            /* a commissioner of capacity 2 may hold another site and be kept
             * from its first by a full quota (counting assignments) */
            int32_t total = tm_selection_quota_total(sel);
            gboolean full = total >= 0
                            && (tm_matching_n_pairs(tm_selection_matching(sel)) >= total
                                || tm_selection_n_selected(sel) >= total);
            CHECK(quota && (oc == TM_OUTCOME_QUOTA || oc == TM_OUTCOME_SECTOR_CAP
                            || (oc == TM_OUTCOME_PARTLY && full)),
                  "mutual first c%d-s%d broken (commissioner outcome %s)", c, s,
                  tm_outcome_code((TmOutcome)oc));
        }
        CHECK(tm_selection_mutual_first(sel, c, j) == -1, "extra mutual first of c%d", c);
    }
    CHECK(tm_selection_n_mutual_firsts(sel) == n, "n_mutual_firsts");
}

static void test_random(void **state)
{
    (void)state;
    int64_t n_named = 0, n_not_named = 0, n_review = 0;
    for (guint32 seed = 1; seed <= N_PROGRAMMES; seed++) {
        Case k;
        make_case(&k, seed);
        TmSelectOptions *o = tm_select_options_new();
        gboolean exact = seed % 2 == 0;
        assert_true(tm_select_options_set_k(o, exact ? 0 : 1 + (int32_t)(seed % 3), NULL));
        if (k.review != NULL)
            assert_true(tm_select_options_set_review(o, k.review, NULL));
        TmQuota *q = NULL;
        if (seed % 4 == 0) {
            q = tm_quota_new();
            assert_true(tm_quota_set_total(q, (int32_t)((seed / 4) % 5), NULL));
        }
        GError *err = NULL;
        TmSelection *sel = tm_programme_select(k.p, k.r, q, o, &err);
        assert_no_error(err);
        check_pairs(&k, sel, exact, seed);
        check_wishes(&k, sel, seed);
        check_mutual(&k, sel, q != NULL, seed);
        for (int32_t c = 0; c < k.nc; c++)
            n_named += tm_programme_consent(k.p, k.r, TM_SIDE_SUPPLY, c)
                       == TM_CONSENT_NAMED_ONLY;
        for (int side = 0; side < 2; side++)
            for (int32_t a = 0; a < (side == 0 ? k.nc : k.ns); a++) {
                int32_t nw = side == 0 ? tm_programme_commissioner(k.p, a)->n_ranked_sites
                                       : tm_programme_site(k.p, a)->n_ranked_commissioners;
                for (int32_t w = 0; w < nw; w++)
                {
                    int f = tm_selection_wish_fate(sel, (TmSide)side, a, w);
                    n_not_named += f == TM_WISH_NOT_NAMED;
                    n_review += f == TM_WISH_REVIEW;
                }
            }
        tm_selection_free(sel);
        tm_quota_free(q);
        tm_select_options_free(o);
        tm_review_free(k.review);
        tm_rules_free(k.r);
        tm_programme_free(k.p);
    }
    /* the programmes exercise what they claim to */
    assert_true(n_named > N_PROGRAMMES);
    assert_true(n_not_named > N_PROGRAMMES / 10);
    print_message("named-only agents %" G_GINT64_FORMAT ", wishes not named %" G_GINT64_FORMAT
                  ", wishes removed by the review %" G_GINT64_FORMAT "\n", n_named, n_not_named,
                  n_review);
    assert_true(n_review > N_PROGRAMMES / 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
