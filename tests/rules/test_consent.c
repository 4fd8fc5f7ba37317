/* rules.consent — real two-way consent on small hand-made programmes: a
 * named-only agent on one side, on both sides, the [consent] default of the
 * configuration (and its parse errors, its round trip), the profile checks,
 * the fate of every explicit wish with each reason, and the mutual first
 * choices of a selection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules_testutil.h"

#include <techmatch/config.h>
#include <techmatch/review.h>
#include <techmatch/selection.h>
#include <techmatch/tasks.h>

static const TmExpertise EXP0[] = {{0, 3}};

/* An eligible commissioner with expertise in sector 0. */
static TmCommissioner comm(const char *name)
{
    TmCommissioner c = tr_comm(name);
    c.expertise = EXP0;
    c.n_expertise = 1;
    return c;
}

static TmMarket *build(const TmProgramme *p, const TmRules *r)
{
    GError *err = NULL;
    TmPrefsOptions *o = tm_prefs_options_new();
    tm_prefs_options_set_k(o, 0, NULL);
    TmMarket *m = tm_programme_build_market(p, r, NULL, o, NULL, &err);
    assert_no_error(err);
    assert_non_null(m);
    tm_prefs_options_free(o);
    return m;
}

static gboolean listed(const TmMarket *m, int32_t c, int32_t s)
{
    gboolean a = tm_market_rank(m, TM_SIDE_SUPPLY, c, s) >= 0;
    assert_int_equal(a, tm_market_rank(m, TM_SIDE_DEMAND, s, c) >= 0); /* mutual */
    return a;
}

/* 3 commissioners x 3 sites, every pair acceptable. */
static TmProgramme *grid(TmConsent cc[3], const char *const *cw[3], const int32_t ncw[3],
                         TmConsent sc[3], const char *const *sw[3], const int32_t nsw[3])
{
    TmProgramme *p = tm_programme_new(NULL);
    static const char *const cn[3] = {"c0", "c1", "c2"}, *const sn[3] = {"s0", "s1", "s2"};
    for (int i = 0; i < 3; i++) {
        TmCommissioner c = comm(cn[i]);
        c.consent = cc[i];
        c.ranked_sites = cw[i];
        c.n_ranked_sites = ncw[i];
        tr_add_c(p, &c);
    }
    for (int i = 0; i < 3; i++) {
        TmSite s = tr_site(sn[i]);
        s.consent = sc[i];
        s.ranked_commissioners = sw[i];
        s.n_ranked_commissioners = nsw[i];
        tr_add_s(p, &s);
    }
    return p;
}

static void test_open_is_all_pairs(void **state)
{
    (void)state;
    TmConsent cc[3] = {TM_CONSENT_DEFAULT, TM_CONSENT_OPEN, TM_CONSENT_DEFAULT};
    TmConsent sc[3] = {TM_CONSENT_OPEN, TM_CONSENT_DEFAULT, TM_CONSENT_DEFAULT};
    const char *const *none[3] = {NULL, NULL, NULL};
    int32_t zero[3] = {0, 0, 0};
    TmProgramme *p = grid(cc, none, zero, sc, none, zero);
    TmRules *r = tm_rules_new_default();
    TmMarket *m = build(p, r);
    assert_int_equal(tm_market_n_pairs(m), 9);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_named_one_side(void **state)
{
    (void)state;
    /* c0 accepts only s1 (it named it); everyone else is open */
    static const char *const w0[] = {"s1"};
    TmConsent cc[3] = {TM_CONSENT_NAMED_ONLY, TM_CONSENT_DEFAULT, TM_CONSENT_DEFAULT};
    TmConsent sc[3] = {0, 0, 0};
    const char *const *cw[3] = {w0, NULL, NULL};
    int32_t ncw[3] = {1, 0, 0};
    const char *const *none[3] = {NULL, NULL, NULL};
    int32_t zero[3] = {0, 0, 0};
    TmProgramme *p = grid(cc, cw, ncw, sc, none, zero);
    TmRules *r = tm_rules_new_default();
    TmMarket *m = build(p, r);
    int32_t want[] = {1};
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, want, 1);
    assert_false(listed(m, 0, 0));
    assert_false(listed(m, 0, 2));
    assert_int_equal(tm_market_n_pairs(m), 7);
    assert_int_equal(tm_programme_consent(p, r, TM_SIDE_SUPPLY, 0), TM_CONSENT_NAMED_ONLY);
    assert_int_equal(tm_programme_consent(p, r, TM_SIDE_SUPPLY, 1), TM_CONSENT_OPEN);
    tm_market_free(m);

    /* the same with top-k lists */
    GError *err = NULL;
    TmPrefsOptions *o = tm_prefs_options_new();
    tm_prefs_options_set_k(o, 1, NULL);
    m = tm_programme_build_market(p, r, NULL, o, NULL, &err);
    assert_no_error(err);
    tr_expect_list(m, TM_SIDE_SUPPLY, 0, want, 1);
    for (int32_t s = 0; s < 3; s++)
        assert_true(s == 1 || !listed(m, 0, s));
    tm_market_free(m);
    tm_prefs_options_free(o);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_named_both_sides(void **state)
{
    (void)state;
    /* s0 accepts only c1 and c2; c1 accepts only s0 and s2; c0, c2, s1, s2 open */
    static const char *const ws0[] = {"c2", "c1"};
    static const char *const wc1[] = {"s0", "s2"};
    TmConsent cc[3] = {TM_CONSENT_OPEN, TM_CONSENT_NAMED_ONLY, TM_CONSENT_OPEN};
    TmConsent sc[3] = {TM_CONSENT_NAMED_ONLY, TM_CONSENT_OPEN, TM_CONSENT_OPEN};
    const char *const *cw[3] = {NULL, wc1, NULL};
    int32_t ncw[3] = {0, 2, 0};
    const char *const *sw[3] = {ws0, NULL, NULL};
    int32_t nsw[3] = {2, 0, 0};
    TmProgramme *p = grid(cc, cw, ncw, sc, sw, nsw);
    TmRules *r = tm_rules_new_default();
    TmMarket *m = build(p, r);
    assert_false(listed(m, 0, 0)); /* s0 did not name c0 */
    assert_true(listed(m, 1, 0));  /* both named each other */
    assert_true(listed(m, 2, 0));  /* s0 named c2, c2 is open */
    assert_false(listed(m, 1, 1)); /* c1 did not name s1 */
    assert_true(listed(m, 1, 2));
    assert_true(listed(m, 0, 1) && listed(m, 0, 2) && listed(m, 2, 1) && listed(m, 2, 2));
    assert_int_equal(tm_market_n_pairs(m), 7);
    int32_t want_s0[] = {2, 1}; /* its wishes, in its order */
    tr_expect_list(m, TM_SIDE_DEMAND, 0, want_s0, 2);
    int32_t want_c1[] = {0, 2};
    tr_expect_list(m, TM_SIDE_SUPPLY, 1, want_c1, 2);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_default_from_config(void **state)
{
    (void)state;
    static const char *const w1[] = {"c1"};
    TmConsent cc[3] = {0, 0, 0};
    /* s2 says open itself: the default does not apply to it */
    TmConsent sc[3] = {TM_CONSENT_DEFAULT, TM_CONSENT_DEFAULT, TM_CONSENT_OPEN};
    const char *const *none[3] = {NULL, NULL, NULL};
    int32_t zero[3] = {0, 0, 0};
    const char *const *sw[3] = {NULL, w1, NULL};
    int32_t nsw[3] = {0, 1, 0};
    TmProgramme *p = grid(cc, none, zero, sc, sw, nsw);
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data("[consent]\nsites=named\ncommissioners = open\n", -1,
                                        "consent.ini", &err);
    assert_no_error(err);
    const TmRules *r = tm_config_rules(cfg);
    assert_int_equal(tm_rules_consent(r, TM_SIDE_DEMAND), TM_CONSENT_NAMED_ONLY);
    assert_int_equal(tm_rules_consent(r, TM_SIDE_SUPPLY), TM_CONSENT_OPEN);
    TmMarket *m = build(p, r);
    for (int32_t c = 0; c < 3; c++) {
        assert_false(listed(m, c, 0));       /* named nobody: accepts nobody */
        assert_int_equal(listed(m, c, 1), c == 1);
        assert_true(listed(m, c, 2));
    }
    tm_market_free(m);

    /* the round trip writes the group, and reads it back */
    char *text = tm_rules_to_data(r, NULL);
    assert_non_null(strstr(text, "[consent]\ncommissioners=open\nsites=named\n"));
    TmRules *back = tm_rules_new_default();
    assert_true(tm_rules_load_data(back, text, -1, "back", &err));
    assert_no_error(err);
    assert_int_equal(tm_rules_consent(back, TM_SIDE_DEMAND), TM_CONSENT_NAMED_ONLY);
    g_free(text);

    /* the setters */
    assert_true(tm_rules_set_consent(back, TM_SIDE_DEMAND, TM_CONSENT_DEFAULT, &err));
    assert_int_equal(tm_rules_consent(back, TM_SIDE_DEMAND), TM_CONSENT_OPEN);
    assert_true(tm_rules_set_consent(back, TM_SIDE_SUPPLY, TM_CONSENT_NAMED_ONLY, &err));
    assert_int_equal(tm_rules_consent(back, TM_SIDE_SUPPLY), TM_CONSENT_NAMED_ONLY);
    assert_false(tm_rules_set_consent(back, (TmSide)2, TM_CONSENT_OPEN, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_consent(back, TM_SIDE_SUPPLY, (TmConsent)3, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_consent(NULL, TM_SIDE_SUPPLY, TM_CONSENT_OPEN, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_rules_consent(back, TM_SIDE_SUPPLY), TM_CONSENT_NAMED_ONLY);
    assert_int_equal(tm_rules_consent(NULL, TM_SIDE_SUPPLY), TM_CONSENT_OPEN);
    tm_rules_free(back);
    tm_config_free(cfg);
    tm_programme_free(p);
}

static void test_config_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[consent]\nsites=maybe\n",
         "bad.ini:2: [consent] sites: expected open or named (whom an agent accepts when its "
         "form leaves the consent empty), got 'maybe'"},
        {"[consent]\nsites=default\n", "bad.ini:2: [consent] sites: expected open or named"},
        {"[rules]\nC_TITLE=true\n[consent]\nexperts=named\n",
         "bad.ini:4: [consent] experts: unknown key (expected commissioners or sites)"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *err = NULL;
        TmRules *r = tm_rules_new_default();
        assert_true(tm_rules_set_consent(r, TM_SIDE_DEMAND, TM_CONSENT_NAMED_ONLY, NULL));
        assert_false(tm_rules_load_data(r, cases[i].text, -1, "bad.ini", &err));
        assert_non_null(err);
        if (strncmp(err->message, cases[i].want, strlen(cases[i].want)) != 0) {
            print_error("case %d: got '%s'\n", (int)i, err->message);
            fail();
        }
        assert_tm_error(err, TM_ERROR_PARSE);
        assert_int_equal(tm_rules_consent(r, TM_SIDE_DEMAND), TM_CONSENT_NAMED_ONLY); /* unchanged */
        TmConfig *cfg = tm_config_load_data(cases[i].text, -1, "bad.ini", &err);
        assert_null(cfg);
        assert_tm_error(err, TM_ERROR_PARSE);
        tm_rules_free(r);
    }
    /* the words of the file: synonyms, case and blanks */
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_load_data(r, "[consent]\ncommissioners = Named_Only \nsites=不限\n", -1,
                                   NULL, &err));
    assert_no_error(err);
    assert_int_equal(tm_rules_consent(r, TM_SIDE_SUPPLY), TM_CONSENT_NAMED_ONLY);
    assert_int_equal(tm_rules_consent(r, TM_SIDE_DEMAND), TM_CONSENT_OPEN);
    tm_rules_free(r);
}

static void test_vocabulary(void **state)
{
    (void)state;
    assert_string_equal(tm_consent_code(TM_CONSENT_DEFAULT), "default");
    assert_string_equal(tm_consent_code(TM_CONSENT_OPEN), "open");
    assert_string_equal(tm_consent_code(TM_CONSENT_NAMED_ONLY), "named");
    assert_null(tm_consent_code((TmConsent)3));
    assert_null(tm_consent_code((TmConsent)-1));
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"named", 2}, {" NAMED ", 2}, {"named-only", 2}, {"named only", 2}, {"仅意向", 2},
        {"只接受所列意向", 2}, {"不服从调剂", 2}, {"open", 1}, {"Any", 1}, {"不限", 1},
        {"服从调剂", 1}, {"default", 0}, {"默认", 0}, {"", -1}, {"yes", -1}, {"namedx", -1},
        {NULL, -1},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
        assert_int_equal(tm_consent_from_string(cases[i].text), cases[i].want);
}

static void test_profile_checks(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmCommissioner c = comm("c");
    c.consent = (TmConsent)3;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_non_null(strstr(err->message, "consent 3 is outside 0..2"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    c.consent = TM_CONSENT_NAMED_ONLY;
    c.tasks = 1u << TM_N_TASKS;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_non_null(strstr(err->message, "task bits 0x40 name no task"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    c.tasks = TM_TASKS_ALL;
    assert_int_equal(tr_add_c(p, &c), 0);
    assert_int_equal(tm_programme_commissioner(p, 0)->tasks, TM_TASKS_ALL);
    assert_int_equal(tm_programme_commissioner(p, 0)->consent, TM_CONSENT_NAMED_ONLY);
    TmSite s = tr_site("s");
    s.consent = (TmConsent)-1;
    assert_int_equal(tm_programme_add_site(p, &s, &err), -1);
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    s.consent = TM_CONSENT_OPEN;
    s.tasks = 0x80000000u;
    assert_int_equal(tm_programme_add_site(p, &s, &err), -1);
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    s.tasks = 1u << TM_TASK_HEALTH;
    assert_int_equal(tr_add_s(p, &s), 0);
    assert_int_equal(tm_programme_site(p, 0)->tasks, 1u << TM_TASK_HEALTH);
    tm_programme_free(p);
}

/* A programme with one dropped wish for each reason. */
static TmProgramme *reasons_programme(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    static const char *const w_unsup[] = {"s_ok"};          /* ineligible itself */
    static const char *const w_kind[] = {"s_other", "s_ok"}; /* partner ineligible, kept */
    static const char *const w_years[] = {"s_long"};         /* P_YEARS */
    static const char *const w_named[] = {"s_named"};        /* s_named did not name it */
    static const char *const w_s_named[] = {"c_kind"};
    TmCommissioner c = comm("c_unsup");
    c.unit_support = FALSE;
    c.ranked_sites = w_unsup;
    c.n_ranked_sites = 1;
    tr_add_c(p, &c);
    c = comm("c_kind");
    c.ranked_sites = w_kind;
    c.n_ranked_sites = 2;
    tr_add_c(p, &c);
    c = comm("c_years");
    c.years = 1;
    c.ranked_sites = w_years;
    c.n_ranked_sites = 1;
    tr_add_c(p, &c);
    c = comm("c_named");
    c.ranked_sites = w_named;
    c.n_ranked_sites = 1;
    tr_add_c(p, &c);
    TmSite s = tr_site("s_ok");
    tr_add_s(p, &s);
    s = tr_site("s_other");
    s.kind = TM_SITE_OTHER;
    tr_add_s(p, &s);
    s = tr_site("s_long");
    s.years = 2;
    tr_add_s(p, &s);
    s = tr_site("s_named");
    s.consent = TM_CONSENT_NAMED_ONLY;
    s.ranked_commissioners = w_s_named;
    s.n_ranked_commissioners = 1;
    s.capacity = 2;
    tr_add_s(p, &s);
    return p;
}

static void expect_wish(const TmSelection *sel, TmSide side, int32_t id, int32_t i, int fate,
                        int32_t partner, const char *rule, const char *reason)
{
    assert_int_equal(tm_selection_wish_fate(sel, side, id, i), fate);
    assert_int_equal(tm_selection_wish_partner(sel, side, id, i), partner);
    const char *got = tm_selection_wish_rule(sel, side, id, i);
    if (rule == NULL)
        assert_null(got);
    else
        assert_string_equal(got, rule);
    char *text = tm_selection_wish_reason(sel, side, id, i);
    if (reason == NULL) {
        assert_null(text);
    } else {
        assert_non_null(text);
        if (strstr(text, reason) == NULL) {
            print_error("wish %d of %d: '%s' lacks '%s'\n", i, id, text, reason);
            fail();
        }
    }
    g_free(text);
}

static void test_dropped_wishes(void **state)
{
    (void)state;
    TmProgramme *p = reasons_programme();
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_no_error(err);
    expect_wish(sel, TM_SIDE_SUPPLY, 0, 0, TM_WISH_INELIGIBLE, 0, "C_SUPPORT",
                "c_unsup is ineligible — C_SUPPORT: ");
    expect_wish(sel, TM_SIDE_SUPPLY, 1, 0, TM_WISH_PARTNER_INELIGIBLE, 1, "S_KIND",
                "s_other is ineligible — S_KIND: ");
    expect_wish(sel, TM_SIDE_SUPPLY, 1, 1, TM_WISH_KEPT, 0, NULL, NULL);
    expect_wish(sel, TM_SIDE_SUPPLY, 2, 0, TM_WISH_PAIR_RULE, 2, "P_YEARS", "P_YEARS: ");
    expect_wish(sel, TM_SIDE_SUPPLY, 3, 0, TM_WISH_NOT_NAMED, 3, NULL,
                "s_named accepts only the commissioners it named (只接受所列意向), not c_named");
    expect_wish(sel, TM_SIDE_DEMAND, 3, 0, TM_WISH_KEPT, 1, NULL, NULL);
    assert_int_equal(tm_selection_n_dropped_wishes(sel), 4);
    /* out of range */
    assert_int_equal(tm_selection_wish_fate(sel, TM_SIDE_SUPPLY, 1, 2), -1);
    assert_int_equal(tm_selection_wish_fate(sel, TM_SIDE_SUPPLY, 4, 0), -1);
    assert_int_equal(tm_selection_wish_fate(sel, TM_SIDE_DEMAND, 0, 0), -1);
    assert_int_equal(tm_selection_wish_fate(sel, (TmSide)2, 0, 0), -1);
    assert_int_equal(tm_selection_wish_fate(NULL, TM_SIDE_SUPPLY, 0, 0), -1);
    assert_int_equal(tm_selection_wish_partner(sel, TM_SIDE_SUPPLY, 0, -1), -1);
    assert_null(tm_selection_wish_reason(sel, TM_SIDE_SUPPLY, 0, 1));
    assert_int_equal(tm_selection_n_dropped_wishes(NULL), 0);
    assert_string_equal(tm_wish_fate_code(TM_WISH_NOT_NAMED), "not_named");
    assert_string_equal(tm_wish_fate_code(TM_WISH_KEPT), "kept");
    assert_null(tm_wish_fate_code((TmWishFate)6));
    /* the report lists them */
    char *md = tm_selection_report_markdown(sel, &err);
    assert_no_error(err);
    assert_non_null(strstr(md, "## Explicit wishes not in the lists"));
    assert_non_null(strstr(md, "4 of 6 explicit wishes are not in the preference lists"));
    assert_non_null(strstr(md, "accepting only the partners they named (只接受所列意向): 0 "
                               "commissioners, 1 sites."));
    assert_non_null(strstr(md, "| commissioner | c_named | s_named | s_named accepts only the "
                               "commissioners it named"));
    g_free(md);
    tm_selection_free(sel);

    /* the review: a veto and an exclusion remove wishes too; a pin keeps one */
    TmReview *rv = tm_review_new();
    assert_true(tm_review_add(rv, TM_DECISION_VETO, "c_kind", "s_ok", NULL, NULL, &err) >= 0);
    assert_true(tm_review_add(rv, TM_DECISION_EXCLUDE, NULL, "s_named", NULL, NULL, &err) >= 0);
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_review(o, rv, &err));
    sel = tm_programme_select(p, r, NULL, o, &err);
    assert_no_error(err);
    expect_wish(sel, TM_SIDE_SUPPLY, 1, 1, TM_WISH_REVIEW, 0, NULL,
                "the review (领导小组审核) vetoed c_kind — s_ok");
    expect_wish(sel, TM_SIDE_DEMAND, 3, 0, TM_WISH_REVIEW, 1, NULL,
                "the review (领导小组审核) excluded s_named");
    /* reasons found before the review stay first */
    expect_wish(sel, TM_SIDE_SUPPLY, 3, 0, TM_WISH_NOT_NAMED, 3, NULL, "not c_named");
    assert_int_equal(tm_selection_n_dropped_wishes(sel), 6);
    assert_string_equal(tm_wish_fate_code(TM_WISH_REVIEW), "review");
    tm_selection_free(sel);
    tm_select_options_free(o);
    tm_review_free(rv);
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_mutual_firsts(void **state)
{
    (void)state;
    /* c0 <-> s0 first both ways; c1 wants s0 first, s1 wants c1 first; a
     * quota of 1 in assignments keeps c1 out */
    static const char *const w0[] = {"s0"};
    static const char *const w1[] = {"s0", "s1"};
    static const char *const ws0[] = {"c0"};
    static const char *const ws1[] = {"c1"};
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = comm("c0");
    c.ranked_sites = w0;
    c.n_ranked_sites = 1;
    c.merit = 90;
    tr_add_c(p, &c);
    c = comm("c1");
    c.ranked_sites = w1;
    c.n_ranked_sites = 2;
    c.merit = 50;
    tr_add_c(p, &c);
    TmSite s = tr_site("s0");
    s.ranked_commissioners = ws0;
    s.n_ranked_commissioners = 1;
    tr_add_s(p, &s);
    s = tr_site("s1");
    s.ranked_commissioners = ws1;
    s.n_ranked_commissioners = 1;
    tr_add_s(p, &s);
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_no_error(err);
    assert_int_equal(tm_selection_mutual_first(sel, 0, 0), 0);
    assert_int_equal(tm_selection_mutual_first(sel, 0, 1), -1);
    assert_int_equal(tm_selection_mutual_first(sel, 1, 0), -1); /* s0 ranks c0 first */
    assert_int_equal(tm_selection_n_mutual_firsts(sel), 1);
    assert_true(tm_selection_is_assigned(sel, 0, 0));
    assert_true(tm_selection_is_assigned(sel, 1, 1));
    assert_false(tm_selection_is_assigned(sel, 1, 0));
    assert_false(tm_selection_is_assigned(sel, 2, 0));
    assert_int_equal(tm_selection_mutual_first(sel, 2, 0), -1);
    assert_int_equal(tm_selection_mutual_first(NULL, 0, 0), -1);
    assert_int_equal(tm_selection_mutual_first(sel, 0, -1), -1);
    char *md = tm_selection_report_markdown(sel, &err);
    assert_no_error(err);
    assert_non_null(strstr(md, "## Mutual first choices"));
    assert_non_null(strstr(md, "| c0 | s0 | yes | |\n"));
    g_free(md);
    tm_selection_free(sel);

    /* a quota of one: the mutual first pair of the higher merit is kept */
    TmQuota *q = tm_quota_new();
    assert_true(tm_quota_set_total(q, 1, NULL));
    sel = tm_programme_select(p, r, q, NULL, &err);
    assert_no_error(err);
    assert_true(tm_selection_is_assigned(sel, 0, 0));
    assert_false(tm_selection_is_assigned(sel, 1, 1));
    tm_selection_free(sel);
    tm_quota_free(q);
    tm_rules_free(r);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_is_all_pairs),
        cmocka_unit_test(test_named_one_side),
        cmocka_unit_test(test_named_both_sides),
        cmocka_unit_test(test_default_from_config),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_profile_checks),
        cmocka_unit_test(test_dropped_wishes),
        cmocka_unit_test(test_mutual_firsts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
