/* preferences.h: score components and formula, side-specific orders,
 * explicit wishes, top-k truncation and forced entries, options (k, auto,
 * stats, progress, cancel), errors, and the k = 0 lists against a brute-force
 * all-pairs oracle on random programmes. */
#include "random_programme.h"

#include <math.h>

#define EPS 1e-12

/* ---- components ------------------------------------------------------------ */

static void test_components(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmExpertise ex[] = { { 0, 2 } };
    const char *sk[] = { "a", "b", "c" };
    TmCommissioner c = tr_comm("c");
    c.expertise = ex;
    c.n_expertise = 1;
    c.skills = sk;
    c.n_skills = 3;
    c.x = 0;
    c.y = 0;
    c.merit = 5;
    int32_t ci = tr_add_c(p, &c);
    c = tr_comm("lo");
    c.merit = 1;
    tr_add_c(p, &c);
    c = tr_comm("hi");
    c.merit = 9;
    int32_t hi = tr_add_c(p, &c);
    const char *nd[] = { "B", " c ", "d", "e" }; /* interned case-insensitively */
    TmSite s = tr_site("s");
    s.needs = nd;
    s.n_needs = 4;
    s.min_title = TM_TITLE_INTERMEDIATE;
    s.years = 3;
    s.x = 6;
    s.y = 8;
    int32_t si = tr_add_s(p, &s);
    s = tr_site("bare"); /* no needs, no location, min none, 0 years */
    s.years = 0;
    s.sector = 1;
    int32_t bare = tr_add_s(p, &s);

    TmRules *r = tm_rules_new_default();
    TmScoreDetail d;
    assert_true(tm_preferences_explain(p, r, ci, si, &d, &err));
    assert_no_error(err);
    assert_true(fabs(d.component[TM_SCORE_SECTOR] - 2.0 / 3.0) < EPS);
    assert_true(fabs(d.component[TM_SCORE_TAGS] - 0.5) < EPS);
    assert_true(fabs(d.component[TM_SCORE_TITLE] - 1.0) < EPS);
    assert_true(fabs(d.component[TM_SCORE_YEARS] - 2.0 / 3.0) < EPS);
    assert_true(fabs(d.component[TM_SCORE_DISTANCE] - 0.5) < EPS);
    assert_true(fabs(d.component[TM_SCORE_MERIT] - 0.5) < EPS);
    assert_true(fabs(d.distance_km - 10.0) < EPS);
    /* issue 10: term (2 years, in 1..2) = 1, tasks (none named) = 0.5 */
    assert_true(d.component[TM_SCORE_TERM] == 1.0);
    assert_true(d.component[TM_SCORE_TASKS] == 0.5);
    double want_c = (3 * 2.0 / 3 + 2 * 0.5 + 0 + 1 * 2.0 / 3 + 2 * 0.5 + 0 + 0 * 1.0 + 1 * 0.5)
                    / 9.0;
    double want_s = (3 * 2.0 / 3 + 2 * 0.5 + 1 * 1.0 + 1 * 2.0 / 3 + 1 * 0.5 + 2 * 0.5
                     + 1 * 1.0 + 1 * 0.5)
                    / 12.0;
    assert_true(fabs(d.score[TM_SIDE_SUPPLY] - want_c) < EPS);
    assert_true(fabs(d.score[TM_SIDE_DEMAND] - want_s) < EPS);
    assert_non_null(d.pair_reason); /* offered 2 years < wanted 3 */
    assert_string_equal(d.pair_reason, "P_YEARS");
    assert_int_equal(d.pair_failures, 1u << 8);
    assert_true(tm_preferences_score(p, r, TM_SIDE_SUPPLY, ci, si) == d.score[0]);
    assert_true(tm_preferences_score(p, r, TM_SIDE_DEMAND, ci, si) == d.score[1]);

    /* bare site: tags 0, title (3-0)/3 = 1, years 1, distance 0.5, level 0 */
    assert_true(tm_preferences_explain(p, r, ci, bare, &d, &err));
    assert_true(d.component[TM_SCORE_SECTOR] == 0);
    assert_true(d.component[TM_SCORE_TAGS] == 0);
    assert_true(d.component[TM_SCORE_TITLE] == 1);
    assert_true(d.component[TM_SCORE_YEARS] == 1);
    assert_true(d.component[TM_SCORE_DISTANCE] == 0.5);
    assert_true(d.distance_km == -1);
    assert_non_null(d.pair_reason);
    assert_string_equal(d.pair_reason, "P_SECTOR");
    /* merit of the top commissioner is 1 */
    assert_true(tm_preferences_explain(p, r, hi, bare, &d, &err));
    assert_true(d.component[TM_SCORE_MERIT] == 1);
    /* distance clipped at 0 */
    assert_true(tm_rules_set_distance_scale(r, 5, &err));
    assert_true(tm_preferences_explain(p, r, ci, si, &d, &err));
    assert_true(d.component[TM_SCORE_DISTANCE] == 0);
    /* zero weights: score 0 */
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, (TmScoreComponent)k, 0, &err));
    assert_true(tm_preferences_score(p, r, TM_SIDE_SUPPLY, ci, si) == 0);
    /* a single weight picks its component */
    assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS, 7, &err));
    assert_true(fabs(tm_preferences_score(p, r, TM_SIDE_SUPPLY, ci, si) - 0.5) < EPS);

    /* errors */
    assert_true(tm_preferences_score(NULL, r, TM_SIDE_SUPPLY, 0, 0) == -1);
    assert_true(tm_preferences_score(p, NULL, TM_SIDE_SUPPLY, 0, 0) == -1);
    assert_true(tm_preferences_score(p, r, (TmSide)2, 0, 0) == -1);
    assert_true(tm_preferences_score(p, r, TM_SIDE_SUPPLY, 3, 0) == -1);
    assert_true(tm_preferences_score(p, r, TM_SIDE_SUPPLY, 0, -1) == -1);
    assert_false(tm_preferences_explain(p, r, 0, 5, &d, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_preferences_explain(p, r, 0, 0, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_preferences_explain(NULL, r, 0, 0, &d, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_scorer_new(NULL, r, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    TmScorer *sc = tm_scorer_new(p, r, &err);
    assert_no_error(err);
    assert_true(tm_scorer_score(sc, TM_SIDE_SUPPLY, 0, 9) == -1);
    assert_true(tm_scorer_score(NULL, TM_SIDE_SUPPLY, 0, 0) == -1);
    assert_false(tm_scorer_explain(sc, -1, 0, &d, &err));
    assert_tm_error(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_scorer_explain(NULL, 0, 0, &d, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_scorer_free(sc);
    tm_scorer_free(NULL);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_title_and_years_components(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    int32_t cid[4];
    for (int t = 0; t < 4; t++) {
        char name[8];
        g_snprintf(name, sizeof name, "t%d", t);
        TmCommissioner c = tr_comm(name);
        c.title = (TmTitle)t;
        c.years = t;
        cid[t] = tr_add_c(p, &c);
    }
    int32_t sid[4];
    for (int m = 0; m < 4; m++) {
        char name[8];
        g_snprintf(name, sizeof name, "m%d", m);
        TmSite s = tr_site(name);
        s.min_title = (TmTitle)m;
        s.years = 2;
        sid[m] = tr_add_s(p, &s);
    }
    TmRules *r = tm_rules_new_default();
    TmScorer *sc = tm_scorer_new(p, r, &err);
    for (int t = 0; t < 4; t++) {
        for (int m = 0; m < 4; m++) {
            TmScoreDetail d;
            assert_true(tm_scorer_explain(sc, cid[t], sid[m], &d, &err));
            double span = 3 - m > 1 ? 3 - m : 1;
            double want = (t - m) / span;
            want = want < 0 ? 0 : (want > 1 ? 1 : want);
            assert_true(fabs(d.component[TM_SCORE_TITLE] - want) < EPS);
            double wy = t >= 2 ? 1.0 : t / 2.0;
            assert_true(fabs(d.component[TM_SCORE_YEARS] - wy) < EPS);
            /* all merits 0: merit component 1 */
            assert_true(d.component[TM_SCORE_MERIT] == 1);
        }
    }
    tm_scorer_free(sc);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void progress_cb(double f, gpointer data);

/* A scorer holds a reference to the programme and a copy of the rules: the
 * caller may drop both at once and change its rules; scores stay those of
 * the rules at creation (run under ASan this also proves no dangling read). */
static void test_scorer_owns_its_inputs(void **state)
{
    (void)state;
    GError *err = NULL;
    RandSpec sp = { 12, 9, 6, 0.8, 0.2, 20.0, TRUE };
    TmProgramme *p = rp_make(&sp, 5);
    TmRules *r = tm_rules_new_default();
    double want[12][9][2];
    const char *reason[12][9];
    for (int32_t c = 0; c < 12; c++)
        for (int32_t s = 0; s < 9; s++) {
            want[c][s][0] = tm_preferences_score(p, r, TM_SIDE_SUPPLY, c, s);
            want[c][s][1] = tm_preferences_score(p, r, TM_SIDE_DEMAND, c, s);
            reason[c][s] = tm_rules_pair_reason(p, r, c, s);
        }
    TmScorer *sc = tm_scorer_new(p, r, &err);
    assert_no_error(err);
    /* a change of the caller's rules after creation is not seen */
    assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_SECTOR, 0, &err));
    assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS, 0, &err));
    tm_rules_free(r);
    tm_programme_free(p);
    for (int32_t c = 0; c < 12; c++)
        for (int32_t s = 0; s < 9; s++) {
            assert_true(tm_scorer_score(sc, TM_SIDE_SUPPLY, c, s) == want[c][s][0]);
            assert_true(tm_scorer_score(sc, TM_SIDE_DEMAND, c, s) == want[c][s][1]);
            TmScoreDetail d;
            assert_true(tm_scorer_explain(sc, c, s, &d, &err));
            assert_true(d.score[TM_SIDE_SUPPLY] == want[c][s][0]);
            assert_true(d.score[TM_SIDE_DEMAND] == want[c][s][1]);
            if (reason[c][s] == NULL)
                assert_null(d.pair_reason);
            else
                assert_string_equal(d.pair_reason, reason[c][s]);
        }
    tm_scorer_free(sc); /* frees the programme with the last reference */
}

static void destroy_count(gpointer data)
{
    (*(int *)data)++;
}

static void test_prefs_options_object(void **state)
{
    (void)state;
    GError *err = NULL;
    /* NULL-safe getters give the defaults */
    assert_int_equal(tm_prefs_options_get_k(NULL), -1);
    assert_int_equal(tm_prefs_options_get_n_threads(NULL), 0);
    assert_null(tm_prefs_options_get_cancel(NULL));
    assert_null(tm_prefs_options_copy(NULL));
    tm_prefs_options_free(NULL);
    tm_prefs_options_set_progress(NULL, progress_cb, NULL, NULL);
    tm_prefs_options_set_cancel(NULL, NULL);
    assert_false(tm_prefs_options_set_k(NULL, 3, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_prefs_options_set_n_threads(NULL, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* bad values are refused and leave the options as they were */
    TmPrefsOptions *o = tm_prefs_options_new();
    assert_true(tm_prefs_options_set_k(o, 7, &err));
    assert_false(tm_prefs_options_set_k(o, -2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_prefs_options_get_k(o), 7);
    assert_true(tm_prefs_options_set_n_threads(o, 3, &err));
    assert_false(tm_prefs_options_set_n_threads(o, -1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_prefs_options_get_n_threads(o), 3);
    /* the cancel handle: the options keep their own reference */
    TmCancel *cancel = tm_cancel_new();
    tm_prefs_options_set_cancel(o, cancel);
    tm_cancel_unref(cancel);
    assert_ptr_equal(tm_prefs_options_get_cancel(o), cancel);
    tm_cancel_trigger(tm_prefs_options_get_cancel(o));
    assert_true(tm_cancel_is_triggered(tm_prefs_options_get_cancel(o)));
    /* destroy notify: once on replacement, once on free, never for a copy */
    int destroyed = 0;
    tm_prefs_options_set_progress(o, progress_cb, &destroyed, destroy_count);
    tm_prefs_options_set_progress(o, progress_cb, &destroyed, destroy_count);
    assert_int_equal(destroyed, 1);
    TmPrefsOptions *copy = tm_prefs_options_copy(o);
    assert_int_equal(tm_prefs_options_get_k(copy), 7);
    assert_int_equal(tm_prefs_options_get_n_threads(copy), 3);
    assert_ptr_equal(tm_prefs_options_get_cancel(copy), cancel);
    tm_prefs_options_free(o); /* the copy still holds the cancel handle */
    assert_int_equal(destroyed, 2);
    assert_true(tm_cancel_is_triggered(tm_prefs_options_get_cancel(copy)));
    tm_prefs_options_set_cancel(copy, NULL);
    assert_null(tm_prefs_options_get_cancel(copy));
    tm_prefs_options_free(copy);
    assert_int_equal(destroyed, 2);
    /* statistics: every key named, unknown keys -1, NULL 0 */
    TmPrefsStats *st = tm_prefs_stats_new();
    int n = 0;
    for (int k = 0; tm_prefs_stat_name((TmPrefsStat)k); k++, n++)
        assert_true(tm_prefs_stats_get(st, (TmPrefsStat)k) == 0);
    assert_int_equal(n, TM_PREFS_STAT_THREADS + 1);
    assert_string_equal(tm_prefs_stat_name(TM_PREFS_STAT_CANDIDATES_SCORED),
                        "candidates_scored");
    assert_null(tm_prefs_stat_name((TmPrefsStat)-1));
    assert_true(tm_prefs_stats_get(st, (TmPrefsStat)n) == -1);
    assert_true(tm_prefs_stats_get(NULL, TM_PREFS_STAT_K) == 0);
    /* filled on success only */
    RandSpec sp = { 20, 10, 6, 0.8, 0.1, 20.0, TRUE };
    TmProgramme *p = rp_make(&sp, 3);
    TmRules *r = tm_rules_new_default();
    TmMarket *m = tm_programme_build_market(p, r, NULL, NULL, st, &err);
    assert_no_error(err);
    int64_t entries = tm_prefs_stats_get(st, TM_PREFS_STAT_SUPPLY_ENTRIES);
    assert_true(entries == tm_market_n_pairs(m));
    assert_true(tm_prefs_stats_get(st, TM_PREFS_STAT_THREADS) >= 1);
    tm_market_free(m);
    TmProgramme *other = tm_programme_new(NULL);
    TmScreening *scr = tm_programme_screen(other, r, &err);
    assert_null(tm_programme_build_market(p, r, scr, NULL, st, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_prefs_stats_get(st, TM_PREFS_STAT_SUPPLY_ENTRIES) == entries);
    tm_screening_free(scr);
    tm_programme_free(other);
    tm_prefs_stats_free(st);
    tm_prefs_stats_free(NULL);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- side-specific orders ------------------------------------------------------ */

static TmExpertise EXP0[] = { { 0, 2 } };

static void set_only(TmRules *r, TmSide side, TmScoreComponent comp)
{
    GError *err = NULL;
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        assert_true(tm_rules_set_weight(r, side, (TmScoreComponent)k, k == (int)comp ? 1 : 0,
                                        &err));
}

/* The build statistics as plain fields (read with tm_prefs_stats_get()). */
typedef struct {
    int64_t k, site_k, candidates_scored, candidates_examined, supply_entries, demand_entries;
    int64_t wishes_kept, wishes_dropped, forced_entries, exact_agents, budget_agents, threads;
} St;

static void read_stats(const TmPrefsStats *s, St *st)
{
    st->k = tm_prefs_stats_get(s, TM_PREFS_STAT_K);
    st->site_k = tm_prefs_stats_get(s, TM_PREFS_STAT_SITE_K);
    st->candidates_scored = tm_prefs_stats_get(s, TM_PREFS_STAT_CANDIDATES_SCORED);
    st->candidates_examined = tm_prefs_stats_get(s, TM_PREFS_STAT_CANDIDATES_EXAMINED);
    st->supply_entries = tm_prefs_stats_get(s, TM_PREFS_STAT_SUPPLY_ENTRIES);
    st->demand_entries = tm_prefs_stats_get(s, TM_PREFS_STAT_DEMAND_ENTRIES);
    st->wishes_kept = tm_prefs_stats_get(s, TM_PREFS_STAT_WISHES_KEPT);
    st->wishes_dropped = tm_prefs_stats_get(s, TM_PREFS_STAT_WISHES_DROPPED);
    st->forced_entries = tm_prefs_stats_get(s, TM_PREFS_STAT_FORCED_ENTRIES);
    st->exact_agents = tm_prefs_stats_get(s, TM_PREFS_STAT_EXACT_AGENTS);
    st->budget_agents = tm_prefs_stats_get(s, TM_PREFS_STAT_BUDGET_AGENTS);
    st->threads = tm_prefs_stats_get(s, TM_PREFS_STAT_THREADS);
}

/* Options with list length @k (-1: the rules') and @threads (0: auto). */
static TmPrefsOptions *opts(int32_t k, int32_t threads)
{
    GError *err = NULL;
    TmPrefsOptions *o = tm_prefs_options_new();
    assert_true(tm_prefs_options_set_k(o, k, &err));
    assert_true(tm_prefs_options_set_n_threads(o, threads, &err));
    assert_no_error(err);
    return o;
}

static TmMarket *build_t(const TmProgramme *p, const TmRules *r, int32_t k, St *st,
                         int32_t threads)
{
    GError *err = NULL;
    TmPrefsOptions *o = opts(k, threads);
    TmPrefsStats *ps = tm_prefs_stats_new();
    TmMarket *m = tm_programme_build_market(p, r, NULL, o, ps, &err);
    assert_no_error(err);
    assert_non_null(m);
    if (st)
        read_stats(ps, st);
    tm_prefs_stats_free(ps);
    tm_prefs_options_free(o);
    return m;
}

static TmMarket *build(const TmProgramme *p, const TmRules *r, int32_t k, St *st)
{
    return build_t(p, r, k, st, 0);
}

static void test_side_orders(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    const char *sk[] = { "rd" };
    TmCommissioner c = tr_comm("near_low"); /* id 0 */
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 0;
    c.y = 0;
    c.merit = 1;
    tr_add_c(p, &c);
    c = tr_comm("far_high"); /* id 1 */
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 0;
    c.y = 15;
    c.merit = 10;
    c.skills = sk;
    c.n_skills = 1;
    tr_add_c(p, &c);
    TmSite s = tr_site("tagged_far"); /* id 0 */
    const char *nd[] = { "rd" };
    s.needs = nd;
    s.n_needs = 1;
    s.x = 19;
    s.y = 0;
    s.capacity = 2;
    tr_add_s(p, &s);
    s = tr_site("untagged_near"); /* id 1 */
    s.x = 1;
    s.y = 1;
    s.capacity = 2;
    tr_add_s(p, &s);

    TmRules *r = tm_rules_new_default();
    set_only(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE);
    set_only(r, TM_SIDE_DEMAND, TM_SCORE_MERIT);
    TmMarket *m = build(p, r, 0, NULL);
    int32_t c0[] = { 1, 0 }, c1[] = { 1, 0 }; /* distance: near_low: s1 (1.4) < s0 (19);
                                                  far_high: s1 (~14.0) < s0 (~24.2) */
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, c0, 2);
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, c1, 2);
    int32_t by_merit[] = { 1, 0 };
    tr_expect_list(m, TM_SIDE_DEMAND, 0, by_merit, 2);
    tr_expect_list(m, TM_SIDE_DEMAND, 1, by_merit, 2);
    tm_market_free(m);

    /* swap the criteria: commissioners by tags, sites by distance */
    set_only(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS);
    set_only(r, TM_SIDE_DEMAND, TM_SCORE_DISTANCE);
    m = build(p, r, 0, NULL);
    int32_t ids_order[] = { 0, 1 };      /* near_low: tags 0 for both: tie -> by id */
    int32_t tag_first[] = { 0, 1 };      /* far_high: s0 has its tag */
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, ids_order, 2);
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, tag_first, 2);
    /* s0 at (19,0): near_low 19 km, far_high 24.2 km; s1 at (1,1): 1.4 vs 14.0 */
    int32_t s0[] = { 0, 1 };
    int32_t s1[] = { 0, 1 };
    tr_expect_list(m, TM_SIDE_DEMAND, 0, s0, 2);
    tr_expect_list(m, TM_SIDE_DEMAND, 1, s1, 2);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- wishes -------------------------------------------------------------------- */

static void test_wishes(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    /* sites s0..s3 in sector 0; s3 is of kind other (ineligible) */
    for (int i = 0; i < 4; i++) {
        char name[8];
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.x = 10.0 * i;
        s.y = 0;
        s.capacity = 3;
        if (i == 3)
            s.kind = TM_SITE_OTHER;
        if (i == 0) {
            static const char *sw[] = { "c1", "c0" };
            s.ranked_commissioners = sw;
            s.n_ranked_commissioners = 2;
        }
        tr_add_s(p, &s);
    }
    /* c0 wishes the far s2 then the ineligible s3 */
    const char *w0[] = { "s2", "s3" };
    TmCommissioner c = tr_comm("c0");
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 0;
    c.y = 0;
    c.ranked_sites = w0;
    c.n_ranked_sites = 2;
    tr_add_c(p, &c);
    c = tr_comm("c1");
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 0;
    c.y = 0;
    c.merit = 0;
    tr_add_c(p, &c);
    c = tr_comm("c2"); /* ineligible (junior) but wishes: no list at all */
    c.title = TM_TITLE_JUNIOR;
    c.ranked_sites = w0;
    c.n_ranked_sites = 1;
    tr_add_c(p, &c);

    TmRules *r = tm_rules_new_default();
    St st;
    TmMarket *m = build(p, r, 0, &st);
    int32_t l0[] = { 2, 0, 1 }; /* wish s2 first, then by distance s0 s1 */
    int32_t l1[] = { 0, 1, 2 };
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, l0, 3);
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, l1, 3);
    tr_expect_list(m, TM_SIDE_SUPPLY, 2, NULL, 0);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 2), 0);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_SUPPLY, 0), 1);
    assert_int_equal(tm_market_capacity(m, TM_SIDE_DEMAND, 3), 0);
    tr_expect_list(m, TM_SIDE_DEMAND, 3, NULL, 0);
    int32_t d0[] = { 1, 0 }; /* s0 wishes c1 then c0 */
    tr_expect_list(m, TM_SIDE_DEMAND, 0, d0, 2);
    int32_t d1[] = { 0, 1 }; /* equal scores: by id */
    tr_expect_list(m, TM_SIDE_DEMAND, 1, d1, 2);
    /* c0: s2 kept, s3 dropped (ineligible); s0: c1 c0 kept;
     * c2's wish is not acceptable (c2 ineligible) */
    assert_true(st.wishes_kept == 3);
    assert_true(st.wishes_dropped == 2);
    assert_int_equal(st.k, 0);
    assert_true(st.supply_entries == 6);
    assert_true(st.demand_entries == 6);
    assert_true(tm_market_n_pairs(m) == 6);
    tm_market_free(m);

    /* an unknown wish, on either side */
    TmProgramme *q = tm_programme_new(NULL);
    const char *bad[] = { "s0", "nowhere" };
    c = tr_comm("张三");
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.ranked_sites = bad;
    c.n_ranked_sites = 2;
    tr_add_c(q, &c);
    TmSite s = tr_site("s0");
    tr_add_s(q, &s);
    assert_null(tm_programme_build_market(q, r, NULL, NULL, NULL, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "张三"));
    assert_non_null(strstr(err->message, "nowhere"));
    assert_tm_error(err, TM_ERROR_UNKNOWN_NAME);
    TmProgramme *q2 = tm_programme_new(NULL);
    c = tr_comm("c0");
    c.expertise = EXP0;
    c.n_expertise = 1;
    tr_add_c(q2, &c);
    const char *sbad[] = { "ghost" };
    s = tr_site("site-x");
    s.ranked_commissioners = sbad;
    s.n_ranked_commissioners = 1;
    tr_add_s(q2, &s);
    TmPrefsOptions *o5 = opts(5, 0); /* also in top-k mode */
    assert_null(tm_programme_build_market(q2, r, NULL, o5, NULL, &err));
    tm_prefs_options_free(o5);
    assert_non_null(err);
    assert_non_null(strstr(err->message, "site-x"));
    assert_non_null(strstr(err->message, "ghost"));
    assert_tm_error(err, TM_ERROR_UNKNOWN_NAME);
    tm_programme_free(q);
    tm_programme_free(q2);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- top-k --------------------------------------------------------------------- */

static TmProgramme *line_programme(int32_t n_sites, const char *site_wish_of_last)
{
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = tr_comm("c0");
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 0;
    c.y = 0;
    tr_add_c(p, &c);
    c = tr_comm("c1");
    c.expertise = EXP0;
    c.n_expertise = 1;
    c.x = 100;
    c.y = 0;
    tr_add_c(p, &c);
    for (int32_t i = 0; i < n_sites; i++) {
        char name[8];
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.x = 1.0 + i;
        s.y = 0;
        const char *w[] = { site_wish_of_last };
        if (i == n_sites - 1 && site_wish_of_last) {
            s.ranked_commissioners = w;
            s.n_ranked_commissioners = 1;
        }
        tr_add_s(p, &s);
    }
    return p;
}

static void test_topk(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = line_programme(10, NULL);
    TmRules *r = tm_rules_new_default();
    set_only(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE);
    assert_true(tm_rules_set_distance_scale(r, 1000, &err));
    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    cp.site_k = 0;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    St st;
    TmMarket *m = build(p, r, 3, &st);
    int32_t c0[] = { 0, 1, 2 }, c1[] = { 9, 8, 7 };
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, c0, 3);
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, c1, 3);
    int32_t s0[] = { 0 }, s5[] = { 0 };
    tr_expect_list(m, TM_SIDE_DEMAND, 0, s0, 1);
    tr_expect_list(m, TM_SIDE_DEMAND, 5, s5, 0);
    assert_int_equal(st.k, 3);
    assert_int_equal(st.site_k, 0);
    assert_true(st.supply_entries == 6);
    tm_market_free(m);

    /* k larger than the pool: everything, same as exact */
    m = build(p, r, 50, NULL);
    TmMarket *ex = build(p, r, 0, NULL);
    for (int32_t c = 0; c < 2; c++) {
        int32_t la, lb;
        const int32_t *a = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &la);
        const int32_t *b = tm_market_prefs(ex, TM_SIDE_SUPPLY, c, &lb);
        assert_int_equal(la, 10);
        assert_int_equal(lb, 10);
        assert_memory_equal(a, b, sizeof(int32_t) * 10);
    }
    tm_market_free(m);
    tm_market_free(ex);

    /* site_k = 1: each site forces its best commissioner (site weights: the
     * nearer one) into that commissioner's list */
    set_only(r, TM_SIDE_DEMAND, TM_SCORE_DISTANCE);
    cp.site_k = 1;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    m = build(p, r, 3, &st);
    int32_t f0[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }; /* every site is nearer c0 except */
    /* sites at x = 1..10: c0 at 0, c1 at 100: all are nearer c0 */
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, f0, 10);
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, c1, 3);
    assert_int_equal(st.site_k, 1);
    assert_true(st.forced_entries == 7);
    int32_t s9[] = { 0, 1 };
    tr_expect_list(m, TM_SIDE_DEMAND, 9, s9, 2);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);

    /* a site's explicit wish is kept even when k cuts it */
    p = line_programme(10, "c0");
    r = tm_rules_new_default();
    set_only(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE);
    assert_true(tm_rules_set_distance_scale(r, 1000, &err));
    tm_rules_get_candidates(r, &cp);
    cp.site_k = 0;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    m = build(p, r, 2, &st);
    int32_t w0[] = { 0, 1, 9 };
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, w0, 3);
    int32_t d9[] = { 0, 1 };
    tr_expect_list(m, TM_SIDE_DEMAND, 9, d9, 2);
    assert_true(st.forced_entries == 1);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_auto_k_and_options(void **state)
{
    (void)state;
    GError *err = NULL;
    RandSpec sp = { 40, 30, 6, 0.8, 0.1, 20.0, TRUE };
    TmProgramme *p = rp_make(&sp, 7);
    TmRules *r = tm_rules_new_default();
    TmScreening *scr = tm_programme_screen(p, r, &err);
    int64_t pairs = (int64_t)tm_screening_n_eligible(scr, TM_SIDE_SUPPLY)
                    * tm_screening_n_eligible(scr, TM_SIDE_DEMAND);
    TmPrefsStats *ps = tm_prefs_stats_new();
    St st;
    TmPrefsOptions *o = tm_prefs_options_new();
    assert_int_equal(tm_prefs_options_get_k(o), -1);
    assert_int_equal(tm_prefs_options_get_n_threads(o), 0);
    assert_null(tm_prefs_options_get_cancel(o));
    TmMarket *m = tm_programme_build_market(p, r, scr, o, ps, &err);
    read_stats(ps, &st);
    assert_no_error(err);
    assert_int_equal(st.k, 0); /* small: exact */
    tm_market_free(m);
    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    cp.exact_limit = pairs - 1;
    cp.auto_k = 4;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    m = tm_programme_build_market(p, r, scr, o, ps, &err);
    read_stats(ps, &st);
    assert_no_error(err);
    assert_int_equal(st.k, 4);
    assert_int_equal(st.site_k, 4);
    tm_market_free(m);
    cp.k = 2; /* explicit k in the rules */
    cp.site_k = 3;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    m = tm_programme_build_market(p, r, scr, o, ps, &err);
    read_stats(ps, &st);
    assert_int_equal(st.k, 2);
    assert_int_equal(st.site_k, 3);
    tm_market_free(m);
    assert_true(tm_prefs_options_set_k(o, 0, &err)); /* options override */
    m = tm_programme_build_market(p, r, scr, o, ps, &err);
    read_stats(ps, &st);
    assert_int_equal(st.k, 0);
    assert_int_equal(st.site_k, 0);
    tm_market_free(m);
    tm_prefs_options_free(o);
    tm_prefs_stats_free(ps);
    /* NULL options */
    m = tm_programme_build_market(p, r, scr, NULL, NULL, &err);
    assert_no_error(err);
    tm_market_free(m);
    tm_screening_free(scr);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void progress_cb(double f, gpointer data)
{
    GArray *a = data;
    g_array_append_val(a, f);
}

static void cancel_cb(double f, gpointer data)
{
    (void)f;
    tm_cancel_trigger(data);
}

static void test_progress_cancel_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    RandSpec sp = { 30, 20, 6, 0.8, 0.1, 20.0, TRUE };
    TmProgramme *p = rp_make(&sp, 11);
    TmRules *r = tm_rules_new_default();
    for (int32_t k = 0; k <= 3; k += 3) {
        GArray *a = g_array_new(FALSE, FALSE, sizeof(double));
        TmPrefsOptions *o = opts(k, 0);
        tm_prefs_options_set_progress(o, progress_cb, a, NULL);
        TmMarket *m = tm_programme_build_market(p, r, NULL, o, NULL, &err);
        assert_no_error(err);
        assert_true(a->len >= 2);
        for (guint i = 1; i < a->len; i++)
            assert_true(g_array_index(a, double, i) >= g_array_index(a, double, i - 1));
        assert_true(g_array_index(a, double, 0) >= 0);
        assert_true(g_array_index(a, double, a->len - 1) == 1.0);
        g_array_free(a, TRUE);
        tm_market_free(m);

        tm_prefs_options_free(o);
        o = opts(k, 0);
        TmCancel *flag = tm_cancel_new();
        tm_cancel_trigger(flag);
        tm_prefs_options_set_cancel(o, flag);
        tm_cancel_unref(flag); /* the options hold their own reference */
        assert_null(tm_programme_build_market(p, r, NULL, o, NULL, &err));
        assert_tm_error(err, TM_ERROR_CANCELLED);
        /* raised from the progress callback, mid-way */
        TmCancel *flag2 = tm_cancel_new();
        tm_prefs_options_set_cancel(o, flag2);
        tm_prefs_options_set_progress(o, cancel_cb, flag2, NULL);
        assert_null(tm_programme_build_market(p, r, NULL, o, NULL, &err));
        assert_tm_error(err, TM_ERROR_CANCELLED);
        tm_cancel_unref(flag2);
        tm_prefs_options_free(o);
    }
    /* screening of another programme size */
    TmProgramme *small = tm_programme_new(NULL);
    TmScreening *scr = tm_programme_screen(small, r, &err);
    assert_null(tm_programme_build_market(p, r, scr, NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_programme_build_market(NULL, r, NULL, NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_programme_build_market(p, NULL, NULL, NULL, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* empty programme, both modes */
    for (int32_t k = 0; k <= 5; k += 5) {
        TmPrefsOptions *o = opts(k, 0);
        TmMarket *m = tm_programme_build_market(small, r, scr, o, NULL, &err);
        tm_prefs_options_free(o);
        assert_no_error(err);
        assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), 0);
        assert_true(tm_market_n_pairs(m) == 0);
        tm_market_free(m);
    }
    tm_screening_free(scr);
    tm_programme_free(small);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- oracle comparisons ----------------------------------------------------------- */

/* Rule/weight variants for the random comparisons. */
static void variant(TmRules *r, int v)
{
    GError *err = NULL;
    switch (v % 6) {
    case 0:
        break;
    case 1:
        assert_true(tm_rules_set(r, "P_DISTANCE", "true", &err));
        assert_true(tm_rules_set(r, "P_DISTANCE.max_km", "12", &err));
        break;
    case 2:
        assert_true(tm_rules_set(r, "P_SECTOR", "false", &err));
        break;
    case 3:
        assert_true(tm_rules_set(r, "P_SECTOR.min_level", "0", &err));
        assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_MERIT, 5, &err));
        break;
    case 4:
        assert_true(tm_rules_set(r, "P_SECTOR.min_level", "2", &err));
        assert_true(tm_rules_set(r, "P_TITLE", "false", &err));
        assert_true(tm_rules_set(r, "C_TITLE", "false", &err));
        break;
    case 5:
        for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
            assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, (TmScoreComponent)k, 0, &err));
        assert_true(tm_rules_set(r, "P_YEARS", "false", &err));
        break;
    }
    assert_no_error(err);
}

static void test_exact_equals_bruteforce(void **state)
{
    (void)state;
    int64_t compared = 0;
    for (guint32 seed = 1; seed <= 60; seed++) {
        GRand *g = g_rand_new_with_seed(seed * 7919);
        RandSpec sp = { g_rand_int_range(g, 0, 26), g_rand_int_range(g, 0, 26),
                        seed % 5 == 0 ? 120 : g_rand_int_range(g, 1, 10), 0.75, 0.25, 30.0,
                        seed % 2 == 0 };
        g_rand_free(g);
        TmProgramme *p = rp_make(&sp, seed);
        TmRules *r = tm_rules_new_default();
        variant(r, (int)seed);
        Oracle o;
        rp_oracle(p, r, 0, 0, &o);
        TmMarket *m = build(p, r, 0, NULL);
        char what[64];
        g_snprintf(what, sizeof what, "exact seed %u", seed);
        rp_expect_market(m, &o, what);
        compared += tm_market_n_pairs(m);
        /* auto mode on a small programme is exact too */
        TmMarket *m2 = build(p, r, -1, NULL);
        rp_expect_market(m2, &o, what);
        tm_market_free(m2);
        tm_market_free(m);
        rp_oracle_free(&o);
        tm_rules_free(r);
        tm_programme_free(p);
    }
    print_message("exact: %" G_GINT64_FORMAT " acceptable pairs compared\n", compared);
    assert_true(compared > 1000);
}

/* With budgets at least the size of the other side, every search ends by its
 * bound or by exhaustion: the top-k lists must equal the brute-force top-k.
 * Also with k and site_k small, so that the bound stops searches early. */
static void test_topk_covering_equals_bruteforce(void **state)
{
    (void)state;
    GError *err = NULL;
    int64_t compared = 0, forced = 0, exact = 0;
    for (guint32 seed = 1; seed <= 60; seed++) {
        GRand *g = g_rand_new_with_seed(seed * 104729);
        RandSpec sp = { g_rand_int_range(g, 0, 30), g_rand_int_range(g, 0, 30),
                        g_rand_int_range(g, 1, 10), 0.7, 0.25, 30.0, TRUE };
        int32_t k = g_rand_int_range(g, 1, 6);
        int32_t site_k = g_rand_int_range(g, 0, 4);
        g_rand_free(g);
        TmProgramme *p = rp_make(&sp, seed + 1000);
        TmRules *r = tm_rules_new_default();
        variant(r, (int)seed + 1);
        TmCandidateParams cp;
        tm_rules_get_candidates(r, &cp);
        cp.site_k = site_k;
        cp.budget = 1000;
        cp.site_budget = 1000;
        cp.seed = seed;
        assert_true(tm_rules_set_candidates(r, &cp, &err));
        Oracle o;
        rp_oracle(p, r, k, site_k, &o);
        St st;
        TmMarket *m = build(p, r, k, &st);
        /* k and site_k are clamped to the other side's size (at least 1) */
        assert_int_equal(st.k, MIN(k, MAX(tm_programme_n_sites(p), 1)));
        assert_int_equal(st.site_k, MIN(site_k, MAX(tm_programme_n_commissioners(p), 1)));
        assert_true(st.budget_agents == 0);
        exact += st.exact_agents;
        char what[64];
        g_snprintf(what, sizeof what, "top-%d/%d seed %u", k, site_k, seed);
        rp_expect_market(m, &o, what);
        compared += tm_market_n_pairs(m);
        forced += st.forced_entries;
        tm_market_free(m);
        rp_oracle_free(&o);
        tm_rules_free(r);
        tm_programme_free(p);
    }
    print_message("top-k: %" G_GINT64_FORMAT " pairs compared, %" G_GINT64_FORMAT
                  " forced entries, %" G_GINT64_FORMAT " certified searches\n", compared,
                  forced, exact);
    assert_true(compared > 500);
    assert_true(forced > 20);
}

/* Mid-sized programmes where the bound (not exhaustion) ends the searches:
 * with budgets >= the other side the lists must still equal the brute force,
 * while far fewer pairs than n x m are scored. */
static void test_topk_bound_pruning_exact(void **state)
{
    (void)state;
    GError *err = NULL;
    for (int v = 0; v < 6; v++) {
        /* variant 3 uses 150 tags: ids >= 64 take the merge path, not the mask */
        RandSpec sp = { 500, 400, v == 3 ? 150 : 12, v == 5 ? 0.3 : 0.95, 0.03, 40.0, TRUE };
        TmProgramme *p = rp_make(&sp, 777 + (guint32)v);
        TmRules *r = tm_rules_new_default();
        variant(r, v);
        if (v == 4) /* heavier distance: tighter bounds */
            assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE, 6, &err));
        TmCandidateParams cp;
        tm_rules_get_candidates(r, &cp);
        cp.budget = 1000000;
        cp.site_budget = 1000000;
        cp.site_k = v % 2 ? 0 : 4;
        assert_true(tm_rules_set_candidates(r, &cp, &err));
        const int32_t k = 6;
        Oracle o;
        rp_oracle(p, r, k, cp.site_k, &o);
        St st;
        TmMarket *m = build(p, r, k, &st);
        char what[64];
        g_snprintf(what, sizeof what, "bound variant %d", v);
        rp_expect_market(m, &o, what);
        assert_true(st.budget_agents == 0);
        print_message("variant %d: %" G_GINT64_FORMAT " scored for %" G_GINT64_FORMAT
                      " certified searches (all pairs: %d)\n", v, st.candidates_scored,
                      st.exact_agents, sp.nc * sp.ns);
        if (v < 5)
            assert_true(st.candidates_scored < (int64_t)sp.nc * sp.ns / (v == 2 ? 2 : 4));
        tm_market_free(m);
        rp_oracle_free(&o);
        tm_rules_free(r);
        tm_programme_free(p);
    }
}

/* Small budgets on a bigger programme: every pair acceptable, wishes first,
 * scored parts sorted, lengths bounded, nothing dropped, deterministic and
 * independent of the number of threads; the recall of the exact top-k is
 * reported and must be reasonable. */
static void test_topk_bounded_invariants(void **state)
{
    (void)state;
    GError *err = NULL;
    RandSpec sp = { 600, 400, 12, 0.85, 0.05, 40.0, TRUE };
    TmProgramme *p = rp_make(&sp, 4242);
    for (int v = 0; v < 3; v++) {
        TmRules *r = tm_rules_new_default();
        variant(r, v);
        TmCandidateParams cp;
        tm_rules_get_candidates(r, &cp);
        cp.budget = 12;
        cp.site_budget = 12;
        assert_true(tm_rules_set_candidates(r, &cp, &err));
        const int32_t k = 5;
        St st;
        TmMarket *m = build(p, r, k, &st);
        TmScreening *scr = tm_programme_screen(p, r, &err);
        TmScorer *sc = tm_scorer_new(p, r, &err);
        assert_true(tm_market_n_dropped(m, TM_SIDE_SUPPLY) == 0);
        assert_true(tm_market_n_dropped(m, TM_SIDE_DEMAND) == 0);
        assert_true(st.supply_entries == tm_market_n_pairs(m));
        /* the exact top-k, for recall */
        Oracle ex;
        rp_oracle(p, r, k, 0, &ex);
        int64_t hit = 0, total = 0;
        for (int32_t c = 0; c < sp.nc; c++) {
            int32_t len;
            const int32_t *l = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
            const TmCommissioner *ci = tm_programme_commissioner(p, c);
            int32_t nw = 0;
            /* wishes: a prefix in the commissioner's order */
            for (int32_t q = 0; q < ci->n_ranked_sites && nw < len; q++)
                if (l[nw] == tm_programme_find_site(p, ci->ranked_sites[q]))
                    nw++;
            for (int32_t i = 0; i < len; i++) {
                assert_true(tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c));
                assert_true(tm_screening_is_eligible(scr, TM_SIDE_DEMAND, l[i]));
                assert_null(tm_rules_pair_reason(p, r, c, l[i]));
                if (i > nw) {
                    double a = tm_scorer_score(sc, TM_SIDE_SUPPLY, c, l[i - 1]);
                    double b = tm_scorer_score(sc, TM_SIDE_SUPPLY, c, l[i]);
                    assert_true(a > b || (a == b && l[i - 1] < l[i]));
                }
            }
            /* bounded: wishes + k + forced (at most what sites could force) */
            assert_true(len <= ci->n_ranked_sites + k + tm_programme_n_sites(p));
            /* recall of the exact top-k (scored part only) */
            const GArray *want = ex.clist[c];
            for (guint i = nw; i < want->len && i < (guint)(nw + k); i++) {
                total++;
                int32_t s = g_array_index(want, int32_t, i);
                for (int32_t z = 0; z < len; z++)
                    if (l[z] == s) {
                        hit++;
                        break;
                    }
            }
        }
        for (int32_t s = 0; s < sp.ns; s++) {
            int32_t len;
            const int32_t *l = tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
            for (int32_t i = 0; i < len; i++)
                assert_true(tm_market_rank(m, TM_SIDE_SUPPLY, l[i], s) >= 0);
        }
        double recall = total ? (double)hit / (double)total : 1.0;
        print_message("variant %d: %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT
                      " scored, recall of exact top-%d %.3f\n", v, st.supply_entries,
                      st.candidates_scored, k, recall);
        assert_true(recall > 0.5);
        assert_true(st.budget_agents > 0);
        assert_true(st.exact_agents > 0);
        /* deterministic, whatever the number of threads */
        for (int32_t threads = 1; threads <= 5; threads += 2) {
            TmMarket *m2 = build_t(p, r, k, NULL, threads);
            for (int side = 0; side < 2; side++) {
                for (int32_t a = 0; a < tm_market_size(m, (TmSide)side); a++) {
                    int32_t la, lb;
                    const int32_t *x = tm_market_prefs(m, (TmSide)side, a, &la);
                    const int32_t *y = tm_market_prefs(m2, (TmSide)side, a, &lb);
                    assert_int_equal(la, lb);
                    if (la)
                        assert_memory_equal(x, y, sizeof(int32_t) * (size_t)la);
                }
            }
            tm_market_free(m2);
        }
        rp_oracle_free(&ex);
        tm_scorer_free(sc);
        tm_screening_free(scr);
        tm_market_free(m);
        tm_rules_free(r);
    }
    tm_programme_free(p);
}

/* Solving the built market works end to end. */
static void test_solve(void **state)
{
    (void)state;
    GError *err = NULL;
    RandSpec sp = { 200, 60, 8, 0.8, 0.1, 30.0, TRUE };
    TmProgramme *p = rp_make(&sp, 99);
    TmRules *r = tm_rules_new_default();
    TmMarket *m = build(p, r, 10, NULL);
    TmMatching *mt = tm_solve(m, NULL, NULL, &err);
    assert_no_error(err);
    assert_non_null(mt);
    int64_t n = tm_matching_n_pairs(mt);
    int32_t *sa = g_new(int32_t, n + 1), *da = g_new(int32_t, n + 1);
    assert_true(tm_matching_get_pairs(mt, sa, da, tm_matching_n_pairs(mt), &err));
    for (int64_t i = 0; i < n; i++)
        assert_null(tm_rules_pair_reason(p, r, sa[i], da[i]));
    g_free(sa);
    g_free(da);
    tm_matching_free(mt);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_title_and_years_components),
        cmocka_unit_test(test_scorer_owns_its_inputs),
        cmocka_unit_test(test_prefs_options_object),
        cmocka_unit_test(test_side_orders),
        cmocka_unit_test(test_wishes),
        cmocka_unit_test(test_topk),
        cmocka_unit_test(test_auto_k_and_options),
        cmocka_unit_test(test_progress_cancel_errors),
        cmocka_unit_test(test_exact_equals_bruteforce),
        cmocka_unit_test(test_topk_covering_equals_bruteforce),
        cmocka_unit_test(test_topk_bound_pruning_exact),
        cmocka_unit_test(test_topk_bounded_invariants),
        cmocka_unit_test(test_solve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
