/* The explanation of one agent (explain.h): small programmes built by hand
 * where every row is known — a candidate removed by P_SECTOR, one by
 * P_YEARS, an ineligible one, the partner, a first choice that holds someone
 * it prefers (named, with its rank) — a sector cap and the quota closing the
 * places, the name lookup (unknown, ambiguous, by side), the arguments
 * refused, and the text and JSON writers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include <techmatch/techmatch.h>

static void add_site(TmProgramme *p, const char *name, TmSiteKind kind, int32_t sector,
                     int32_t years, double x, const char *const *wishes, int32_t n_wishes)
{
    static const char *const needs[] = {"关键技术研发"};
    TmSite s = {0};
    s.name = name;
    s.kind = kind;
    s.sector = sector;
    s.needs = needs;
    s.n_needs = 1;
    s.min_title = TM_TITLE_NONE;
    s.years = years;
    s.capacity = 1;
    s.x = x;
    s.y = 0;
    s.ranked_commissioners = wishes;
    s.n_ranked_commissioners = n_wishes;
    GError *err = NULL;
    assert_true(tm_programme_add_site(p, &s, &err) >= 0);
    assert_null(err);
}

static void add_commissioner(TmProgramme *p, const char *name, int32_t sector, int32_t level,
                             double merit, double x, const char *const *wishes,
                             int32_t n_wishes)
{
    static const char *const skills[] = {"关键技术研发"};
    TmExpertise ex = {sector, level};
    TmCommissioner c = {0};
    c.name = name;
    c.team_size = 1;
    c.title = TM_TITLE_SENIOR;
    c.unit = "大学";
    c.unit_kind = TM_UNIT_UNIVERSITY;
    c.unit_support = TRUE;
    c.expertise = &ex;
    c.n_expertise = 1;
    c.skills = skills;
    c.n_skills = 1;
    c.years = 2;
    c.capacity = 1;
    c.x = x;
    c.y = 0;
    c.merit = merit;
    c.ranked_sites = wishes;
    c.n_ranked_sites = n_wishes;
    GError *err = NULL;
    assert_true(tm_programme_add_commissioner(p, &c, &err) >= 0);
    assert_null(err);
}

enum { EIT = 0, FOOD = 2 };

/* Sites: 顶点科技 (wants 丙 then 甲), 中坚电子, 食品厂 (food), 长期项目公司 (wants
 * 3 years), 其他单位 (kind other), 空位软件.  Commissioners 甲 (eit 3, merit 90,
 * wants 顶点科技 then 中坚电子) and 丙 (eit 2, merit 60, wants 顶点科技).
 * Deferred acceptance: 顶点科技 keeps 丙, 甲 goes to 中坚电子. */
static TmProgramme *hand_programme(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    static const char *const top_wishes[] = {"丙", "甲"};
    add_site(p, "顶点科技", TM_SITE_HIGH_TECH, EIT, 1, 1, top_wishes, 2);
    add_site(p, "中坚电子", TM_SITE_HIGH_TECH, EIT, 1, 2, NULL, 0);
    add_site(p, "食品厂", TM_SITE_HIGH_TECH, FOOD, 1, 0, NULL, 0);
    add_site(p, "长期项目公司", TM_SITE_HIGH_TECH, EIT, 3, 0, NULL, 0);
    add_site(p, "其他单位", TM_SITE_OTHER, EIT, 1, 0, NULL, 0);
    add_site(p, "空位软件", TM_SITE_HIGH_TECH, EIT, 1, 15, NULL, 0);
    static const char *const jia[] = {"顶点科技", "中坚电子"};
    static const char *const bing[] = {"顶点科技"};
    add_commissioner(p, "甲", EIT, 3, 90, 0, jia, 2);
    add_commissioner(p, "丙", EIT, 2, 60, 0, bing, 1);
    return p;
}

static TmSelection *select_hand(TmProgramme *p, const TmQuota *q)
{
    TmRules *rules = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, rules, q, NULL, &err);
    if (err)
        fprintf(stderr, "%s\n", err->message);
    assert_non_null(sel);
    tm_rules_free(rules);
    return sel;
}

static int32_t row_of(const TmExplanation *e, const char *name)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int other = 1 - tm_explanation_side(e);
    for (int32_t i = 0; i < tm_explanation_n_rows(e); i++) {
        int32_t c = tm_explanation_row_candidate(e, i);
        const char *n = other == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, c)->name
                                                : tm_programme_site(p, c)->name;
        if (strcmp(n, name) == 0)
            return i;
    }
    fail_msg("no row for %s", name);
    return -1;
}

static TmExplanation *explain_named(const TmSelection *sel, const char *name)
{
    TmSide side;
    int32_t id;
    GError *err = NULL;
    assert_true(tm_selection_find_agent(sel, name, -1, &side, &id, &err));
    TmExplanation *e = tm_selection_explain_agent(sel, side, id, &err);
    assert_null(err);
    assert_non_null(e);
    return e;
}

/* 甲's explanation: every row of the hand programme. */
static void test_commissioner_rows(void **state)
{
    (void)state;
    TmProgramme *p = hand_programme();
    TmSelection *sel = select_hand(p, NULL);
    TmExplanation *e = explain_named(sel, "甲");
    assert_int_equal(tm_explanation_side(e), TM_SIDE_SUPPLY);
    assert_string_equal(tm_explanation_name(e), "甲");
    assert_int_equal(tm_explanation_outcome(e, NULL), TM_OUTCOME_MATCHED);
    assert_int_equal(tm_explanation_n_partners(e), 1);
    assert_int_equal(tm_explanation_partner(e, 0), tm_programme_find_site(p, "中坚电子"));
    assert_non_null(strstr(tm_explanation_outcome_text(e), "中坚电子 (its #2 choice"));
    assert_int_equal(tm_explanation_n_rows(e), 6);

    /* the list: 顶点科技, 中坚电子, 空位软件 */
    int32_t top = row_of(e, "顶点科技"), mid = row_of(e, "中坚电子"), spare = row_of(e, "空位软件");
    assert_int_equal(top, 0);
    assert_int_equal(mid, 1);
    assert_int_equal(spare, 2);
    assert_int_equal(tm_explanation_row_status(e, top), TM_EXPLAIN_LISTED);
    assert_int_equal(tm_explanation_row_rank(e, top), 0);
    assert_int_equal(tm_explanation_row_their_rank(e, top), 1);
    assert_false(tm_explanation_row_is_partner(e, top));
    assert_int_equal(tm_explanation_row_why(e, top), TM_WHY_HOLDS_PREFERRED);
    assert_int_equal(tm_explanation_row_n_holders(e, top), 1);
    int32_t rank = -7;
    assert_int_equal(tm_explanation_row_holder(e, top, 0, &rank),
                     tm_programme_find_commissioner(p, "丙"));
    assert_int_equal(rank, 0);
    assert_string_equal(tm_explanation_row_why_text(e, top),
                        "顶点科技 holds 丙 (its #1), whom it prefers to 甲 (its #2)");
    assert_true(tm_explanation_row_is_partner(e, mid));
    assert_int_equal(tm_explanation_row_why(e, mid), TM_WHY_NONE);
    assert_null(tm_explanation_row_why_text(e, mid));
    assert_int_equal(tm_explanation_row_rank(e, spare), 2);
    assert_int_equal(tm_explanation_row_why(e, spare), TM_WHY_NONE); /* below the partner */

    /* the rest, each with the rule that removed it */
    int32_t food = row_of(e, "食品厂"), years = row_of(e, "长期项目公司"), other = row_of(e, "其他单位");
    assert_int_equal(tm_explanation_row_status(e, food), TM_EXPLAIN_RULE);
    assert_string_equal(tm_explanation_row_rule(e, food), "P_SECTOR");
    assert_int_equal(tm_explanation_row_pair_failures(e, food), 1u << tm_rule_find("P_SECTOR"));
    assert_non_null(tm_explanation_row_fault(e, food));
    assert_int_equal(tm_explanation_row_status(e, years), TM_EXPLAIN_RULE);
    assert_string_equal(tm_explanation_row_rule(e, years), "P_YEARS");
    assert_non_null(tm_explanation_row_fault(e, years));
    assert_int_equal(tm_explanation_row_status(e, other), TM_EXPLAIN_INELIGIBLE);
    assert_string_equal(tm_explanation_row_rule(e, other), "S_KIND");
    assert_int_equal(tm_explanation_row_refuser(e, other), TM_SIDE_DEMAND);
    assert_non_null(tm_explanation_row_fault(e, other));
    for (int32_t i = 3; i < 6; i++) {
        assert_int_equal(tm_explanation_row_rank(e, i), -1);
        assert_int_equal(tm_explanation_row_their_rank(e, i), -1);
        assert_int_equal(tm_explanation_row_why(e, i), TM_WHY_NONE);
        if (i > 3) /* by 甲's own score, best first */
            assert_true(tm_explanation_row_score(e, i - 1, TM_SIDE_SUPPLY)
                        >= tm_explanation_row_score(e, i, TM_SIDE_SUPPLY));
    }

    /* the scores: the library's, in parts that add up */
    TmRules *rules = tm_rules_new_default();
    for (int32_t i = 0; i < 6; i++) {
        TmScoreDetail d;
        int32_t s = tm_explanation_row_candidate(e, i);
        assert_true(tm_preferences_explain(p, rules, 0, s, &d, NULL));
        for (int w = 0; w < 2; w++) {
            assert_true(tm_explanation_row_score(e, i, (TmSide)w) == d.score[w]);
            double sum = 0;
            for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
                assert_true(tm_explanation_row_component(e, i, (TmScoreComponent)k)
                            == d.component[k]);
                sum += tm_explanation_row_contribution(e, i, (TmSide)w, (TmScoreComponent)k);
            }
            assert_true(fabs(sum - d.score[w]) < 1e-12);
        }
        assert_true(tm_explanation_row_distance_km(e, i) == d.distance_km);
    }
    tm_rules_free(rules);
    tm_explanation_free(e);
    tm_selection_free(sel);
    tm_programme_free(p);
}

/* The sites' side: the full first choice explains nothing about 甲 (below
 * its partner); the free site names whom each commissioner holds instead. */
static void test_site_rows(void **state)
{
    (void)state;
    TmProgramme *p = hand_programme();
    TmSelection *sel = select_hand(p, NULL);
    TmExplanation *top = explain_named(sel, "顶点科技");
    assert_int_equal(tm_explanation_side(top), TM_SIDE_DEMAND);
    assert_int_equal(tm_explanation_n_rows(top), 2);
    int32_t bing = row_of(top, "丙"), jia = row_of(top, "甲");
    assert_int_equal(bing, 0);
    assert_true(tm_explanation_row_is_partner(top, bing));
    assert_int_equal(tm_explanation_row_rank(top, jia), 1);
    assert_int_equal(tm_explanation_row_their_rank(top, jia), 0);
    assert_int_equal(tm_explanation_row_why(top, jia), TM_WHY_NONE);
    tm_explanation_free(top);

    TmExplanation *spare = explain_named(sel, "空位软件");
    assert_int_equal(tm_explanation_outcome(spare, NULL), TM_OUTCOME_OUTRANKED);
    assert_int_equal(tm_explanation_n_partners(spare), 0);
    jia = row_of(spare, "甲");
    assert_int_equal(tm_explanation_row_status(spare, jia), TM_EXPLAIN_LISTED);
    assert_int_equal(tm_explanation_row_why(spare, jia), TM_WHY_HOLDS_PREFERRED);
    int32_t rank;
    assert_int_equal(tm_explanation_row_holder(spare, jia, 0, &rank),
                     tm_programme_find_site(p, "中坚电子"));
    assert_int_equal(rank, 1);
    assert_string_equal(tm_explanation_row_why_text(spare, jia),
                        "甲 holds 中坚电子 (its #2), whom it prefers to 空位软件 (its #3)");
    bing = row_of(spare, "丙");
    assert_int_equal(tm_explanation_row_why(spare, bing), TM_WHY_HOLDS_PREFERRED);
    assert_int_equal(tm_explanation_row_holder(spare, bing, 0, &rank),
                     tm_programme_find_site(p, "顶点科技"));
    assert_int_equal(rank, 0);
    tm_explanation_free(spare);

    /* the ineligible site: every row says so, naming the site's own rule */
    TmExplanation *other = explain_named(sel, "其他单位");
    assert_int_equal(tm_explanation_outcome(other, NULL), TM_OUTCOME_INELIGIBLE);
    assert_non_null(strstr(tm_explanation_outcome_text(other), "S_KIND"));
    for (int32_t i = 0; i < tm_explanation_n_rows(other); i++) {
        assert_int_equal(tm_explanation_row_status(other, i), TM_EXPLAIN_INELIGIBLE);
        assert_int_equal(tm_explanation_row_refuser(other, i), TM_SIDE_DEMAND);
        assert_string_equal(tm_explanation_row_rule(other, i), "S_KIND");
    }
    tm_explanation_free(other);
    tm_selection_free(sel);
    tm_programme_free(p);
}

/* Two eit commissioners, two eit sites: a (merit 90) and b (merit 10). */
static TmProgramme *pair_programme(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    add_site(p, "东站", TM_SITE_HIGH_TECH, EIT, 1, 0, NULL, 0);
    add_site(p, "西站", TM_SITE_HIGH_TECH, EIT, 1, 8, NULL, 0);
    add_commissioner(p, "a", EIT, 3, 90, 0, NULL, 0);
    add_commissioner(p, "b", EIT, 3, 10, 0, NULL, 0);
    return p;
}

/* The row of b for the site a did not take. */
static int32_t free_site_row(const TmSelection *sel, const TmExplanation *e)
{
    int32_t a = tm_programme_find_commissioner(tm_selection_programme(sel), "a");
    int32_t n = 0;
    const int32_t *taken = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, a, &n);
    assert_int_equal(n, 1);
    for (int32_t i = 0; i < tm_explanation_n_rows(e); i++)
        if (tm_explanation_row_candidate(e, i) != taken[0])
            return i;
    fail();
    return -1;
}

static void test_sector_cap(void **state)
{
    (void)state;
    TmProgramme *p = pair_programme();
    TmQuota *q = tm_quota_new();
    assert_true(tm_quota_set_sector(q, "eit", 1, 0, NULL));
    TmSelection *sel = select_hand(p, q);
    TmExplanation *e = explain_named(sel, "b");
    assert_int_equal(tm_explanation_n_partners(e), 0);
    int32_t i = free_site_row(sel, e);
    assert_int_equal(tm_explanation_row_status(e, i), TM_EXPLAIN_LISTED);
    assert_int_equal(tm_explanation_row_why(e, i), TM_WHY_SECTOR_CAP);
    assert_string_equal(tm_explanation_row_why_text(e, i),
                        "the eit (电子信息) sector is at its cap: 1 of 1 commissioners or teams");
    tm_explanation_free(e);
    tm_selection_free(sel);
    tm_quota_free(q);
    tm_programme_free(p);
}

static void test_quota(void **state)
{
    (void)state;
    TmProgramme *p = pair_programme();
    TmQuota *q = tm_quota_new();
    assert_true(tm_quota_set_total(q, 1, NULL));
    TmSelection *sel = select_hand(p, q);
    TmExplanation *e = explain_named(sel, "b");
    assert_int_equal(tm_explanation_n_partners(e), 0);
    int64_t used = -1;
    assert_int_equal(tm_explanation_quota(e, NULL, &used), 1);
    assert_int_equal(used, 1);
    int32_t i = free_site_row(sel, e);
    int32_t cut = -1, pos = -1;
    if (tm_explanation_merit_cutoff(e, &cut, NULL, &pos)) {
        /* the merit admission: b is where the quota stopped it */
        assert_int_equal(cut, tm_programme_find_commissioner(p, "b"));
        assert_int_equal(pos, 1);
        for (int32_t r = 0; r < tm_explanation_n_rows(e); r++)
            assert_int_equal(tm_explanation_row_why(e, r), TM_WHY_MERIT_CUTOFF);
        assert_non_null(strstr(tm_explanation_row_why_text(e, i), "b is where the quota stopped"));
    } else {
        assert_int_equal(tm_explanation_row_why(e, i), TM_WHY_QUOTA);
        assert_string_equal(tm_explanation_row_why_text(e, i),
                            "the quota is full: 1 of 1 commissioners or teams");
    }
    tm_explanation_free(e);
    tm_selection_free(sel);
    tm_quota_free(q);
    tm_programme_free(p);
}

/* Lists of one (k = 1, no site-side search): b lists only 东站; 专属 accepts only a, whom it named
 * (b's row: not named, refused by the site); 西站 is acceptable to b but not
 * ranked. */
static void test_consent_and_top_k(void **state)
{
    (void)state;
    TmProgramme *p = pair_programme();
    static const char *const needs[] = {"关键技术研发"};
    static const char *const only_a[] = {"a"};
    TmSite s = {0};
    s.name = "专属";
    s.kind = TM_SITE_HIGH_TECH;
    s.sector = EIT;
    s.needs = needs;
    s.n_needs = 1;
    s.years = 1;
    s.capacity = 1;
    s.x = 20;
    s.y = 0;
    s.ranked_commissioners = only_a;
    s.n_ranked_commissioners = 1;
    s.consent = TM_CONSENT_NAMED_ONLY;
    assert_true(tm_programme_add_site(p, &s, NULL) >= 0);
    TmRules *rules = tm_rules_new_default();
    TmCandidateParams cp;
    tm_rules_get_candidates(rules, &cp);
    cp.k = 1;
    cp.site_k = 0; /* no site-side search: only the sites' wishes are forced */
    assert_true(tm_rules_set_candidates(rules, &cp, NULL));
    TmSelectOptions *o = tm_select_options_new();
    TmSelection *sel = tm_programme_select(p, rules, NULL, o, NULL);
    assert_non_null(sel);
    TmExplanation *e = explain_named(sel, "b");
    assert_int_equal(tm_explanation_n_rows(e), 3);
    assert_int_equal(tm_explanation_row_status(e, 0), TM_EXPLAIN_LISTED);
    assert_int_equal(tm_explanation_row_candidate(e, 0), tm_programme_find_site(p, "东站"));
    int32_t only = row_of(e, "专属"), west = row_of(e, "西站");
    assert_int_equal(tm_explanation_row_status(e, only), TM_EXPLAIN_NOT_NAMED);
    assert_int_equal(tm_explanation_row_refuser(e, only), TM_SIDE_DEMAND);
    assert_null(tm_explanation_row_rule(e, only));
    assert_null(tm_explanation_row_fault(e, only));
    assert_int_equal(tm_explanation_row_status(e, west), TM_EXPLAIN_NOT_RANKED);
    assert_int_equal(tm_explanation_row_refuser(e, west), -1);
    char *text = tm_explanation_to_text(e, -1, NULL);
    assert_non_null(strstr(text, "— not named: 专属 accepts only those it named\n"));
    assert_non_null(strstr(text, "西站 (score "));
    assert_non_null(strstr(text, "— not ranked: acceptable, but not among the candidates listed\n"));
    g_free(text);
    tm_explanation_free(e);
    /* a named by 专属: listed there */
    e = explain_named(sel, "a");
    assert_int_equal(tm_explanation_row_status(e, row_of(e, "专属")), TM_EXPLAIN_LISTED);
    tm_explanation_free(e);
    tm_selection_free(sel);

    /* the [consent] default: every site accepts only whom it named, and only
     * 专属 named anyone (a) */
    assert_true(tm_rules_set_consent(rules, TM_SIDE_DEMAND, TM_CONSENT_NAMED_ONLY, NULL));
    sel = tm_programme_select(p, rules, NULL, NULL, NULL);
    assert_non_null(sel);
    e = explain_named(sel, "b");
    for (int32_t i = 0; i < tm_explanation_n_rows(e); i++) {
        assert_int_equal(tm_explanation_row_status(e, i), TM_EXPLAIN_NOT_NAMED);
        assert_int_equal(tm_explanation_row_refuser(e, i), TM_SIDE_DEMAND);
    }
    assert_int_equal(tm_explanation_outcome(e, NULL), TM_OUTCOME_NO_PARTNER);
    tm_explanation_free(e);
    e = explain_named(sel, "东站");
    for (int32_t i = 0; i < tm_explanation_n_rows(e); i++) {
        assert_int_equal(tm_explanation_row_status(e, i), TM_EXPLAIN_NOT_NAMED);
        assert_int_equal(tm_explanation_row_refuser(e, i), TM_SIDE_DEMAND); /* its own */
    }
    tm_explanation_free(e);
    tm_selection_free(sel);
    tm_select_options_free(o);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static void test_find_agent(void **state)
{
    (void)state;
    TmProgramme *p = hand_programme();
    add_site(p, "丙", TM_SITE_HIGH_TECH, FOOD, 1, 0, NULL, 0); /* 丙 on both sides */
    TmSelection *sel = select_hand(p, NULL);
    GError *err = NULL;
    TmSide side = TM_SIDE_DEMAND;
    int32_t id = -1;
    assert_false(tm_selection_find_agent(sel, "丙", -1, &side, &id, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    assert_non_null(strstr(err->message, "\"丙\" is both a commissioner and a site"));
    g_clear_error(&err);
    assert_true(tm_selection_find_agent(sel, "丙", TM_SIDE_SUPPLY, &side, &id, &err));
    assert_int_equal(side, TM_SIDE_SUPPLY);
    assert_int_equal(id, tm_programme_find_commissioner(p, "丙"));
    assert_true(tm_selection_find_agent(sel, " 丙 ", TM_SIDE_DEMAND, &side, &id, &err));
    assert_int_equal(side, TM_SIDE_DEMAND);
    assert_int_equal(id, tm_programme_find_site(p, "丙"));
    assert_false(tm_selection_find_agent(sel, "无名氏", -1, NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_UNKNOWN_NAME));
    assert_string_equal(err->message, "no commissioner or site is called \"无名氏\"");
    g_clear_error(&err);
    assert_false(tm_selection_find_agent(sel, "甲", TM_SIDE_DEMAND, NULL, NULL, &err));
    assert_string_equal(err->message, "no site is called \"甲\"");
    g_clear_error(&err);
    assert_false(tm_selection_find_agent(sel, "甲", 2, NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_false(tm_selection_find_agent(NULL, "甲", -1, NULL, NULL, &err));
    g_clear_error(&err);
    assert_false(tm_selection_find_agent(sel, NULL, -1, NULL, NULL, &err));
    g_clear_error(&err);

    /* explain: bad arguments */
    assert_null(tm_selection_explain_agent(sel, TM_SIDE_SUPPLY, 2, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_OUT_OF_RANGE));
    g_clear_error(&err);
    assert_null(tm_selection_explain_agent(sel, TM_SIDE_DEMAND, -1, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_OUT_OF_RANGE));
    g_clear_error(&err);
    assert_null(tm_selection_explain_agent(sel, (TmSide)5, 0, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_null(tm_selection_explain_agent(NULL, TM_SIDE_SUPPLY, 0, &err));
    g_clear_error(&err);
    assert_null(tm_explanation_to_text(NULL, -1, &err));
    g_clear_error(&err);
    assert_null(tm_explanation_to_json(NULL, &err));
    g_clear_error(&err);
    /* NULL-safe accessors */
    assert_int_equal(tm_explanation_n_rows(NULL), -1);
    assert_int_equal(tm_explanation_row_status(NULL, 0), -1);
    assert_null(tm_explanation_row_why_text(NULL, 0));
    assert_true(isnan(tm_explanation_row_score(NULL, 0, TM_SIDE_SUPPLY)));
    assert_string_equal(tm_explain_status_code(TM_EXPLAIN_VETOED), "vetoed");
    assert_null(tm_explain_status_code((TmExplainStatus)7));
    assert_string_equal(tm_explain_why_code(TM_WHY_PINNED), "pinned");
    assert_null(tm_explain_why_code((TmExplainWhy)7));
    assert_string_equal(tm_explain_status_code(TM_EXPLAIN_NOT_NAMED), "not_named");
    assert_string_equal(tm_explain_why_code(TM_WHY_MERIT_CUTOFF), "merit_cutoff");
    tm_explanation_free(NULL);

    /* the explanation outlives its selection */
    TmExplanation *e = explain_named(sel, "甲");
    tm_selection_free(sel);
    tm_programme_free(p);
    assert_string_equal(tm_explanation_name(e), "甲");
    char *text = tm_explanation_to_text(e, -1, NULL);
    assert_non_null(strstr(text, "甲 — commissioner"));
    g_free(text);
    tm_explanation_free(e);
}

static void test_writers(void **state)
{
    (void)state;
    TmProgramme *p = hand_programme();
    TmSelection *sel = select_hand(p, NULL);
    TmExplanation *e = explain_named(sel, "甲");
    char *text = tm_explanation_to_text(e, -1, NULL);
    assert_non_null(strstr(text, "甲 — commissioner (科技特派员), merit 90\n"));
    assert_non_null(strstr(text, "Outcome: matched\n"));
    assert_non_null(strstr(text, "List (3 sites, best first):\n"));
    assert_non_null(strstr(text, "  #1   顶点科技 — ranks 甲 #2\n"));
    assert_non_null(strstr(text, "why not: 顶点科技 holds 丙 (its #1), whom it prefers to 甲 (its #2)\n"));
    assert_non_null(strstr(text, "  #2   中坚电子 — ranks 甲 #1  [partner]\n"));
    assert_non_null(strstr(text, "Not in the list (3, by 甲's score):\n"));
    assert_non_null(strstr(text, "食品厂 (score "));
    assert_non_null(strstr(text, "— removed by P_SECTOR"));
    assert_non_null(strstr(text, "— removed by P_YEARS"));
    assert_non_null(strstr(text, "— ineligible: 其他单位 fails S_KIND"));
    g_free(text);
    text = tm_explanation_to_text(e, 1, NULL);
    assert_non_null(strstr(text, "  ... and 2 more not shown\n"));
    g_free(text);

    char *json = tm_explanation_to_json(e, NULL);
    JsonParser *parser = json_parser_new();
    assert_true(json_parser_load_from_data(parser, json, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    JsonObject *agent = json_object_get_object_member(root, "agent");
    assert_string_equal(json_object_get_string_member(agent, "name"), "甲");
    assert_string_equal(json_object_get_string_member(agent, "outcome"), "matched");
    JsonArray *cands = json_object_get_array_member(root, "candidates");
    assert_int_equal(json_array_get_length(cands), 6);
    JsonObject *first = json_array_get_object_element(cands, 0);
    assert_string_equal(json_object_get_string_member(first, "name"), "顶点科技");
    assert_int_equal(json_object_get_int_member(first, "rank"), 1);
    assert_int_equal(json_object_get_int_member(first, "their_rank"), 2);
    assert_string_equal(json_object_get_string_member(first, "why"), "holds_preferred");
    JsonObject *holder = json_array_get_object_element(
        json_object_get_array_member(first, "holders"), 0);
    assert_string_equal(json_object_get_string_member(holder, "name"), "丙");
    assert_int_equal(json_object_get_int_member(holder, "rank"), 1);
    JsonObject *food = json_array_get_object_element(cands, 3 + (guint)(row_of(e, "食品厂") - 3));
    assert_string_equal(json_object_get_string_member(food, "status"), "rule");
    assert_string_equal(json_object_get_string_member(food, "rule"), "P_SECTOR");
    assert_true(json_object_get_null_member(food, "rank"));
    g_object_unref(parser);
    g_free(json);
    tm_explanation_free(e);
    tm_selection_free(sel);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commissioner_rows), cmocka_unit_test(test_site_rows),
        cmocka_unit_test(test_sector_cap),        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_consent_and_top_k), cmocka_unit_test(test_find_agent),
        cmocka_unit_test(test_writers),
    };
    return cmocka_run_group_tests_name("selection.explain", tests, NULL, NULL);
}
