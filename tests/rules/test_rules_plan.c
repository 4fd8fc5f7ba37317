/* issue 10, the plan's own rules read right (rules.h, preferences.h,
 * selection.h): C_YEARS off by default and the `term` score component,
 * the `tasks` component, S_SECTOR (enterprise hosts in a leading industry)
 * and its taxonomy check, C_DIRECTION as the service direction (and the
 * optional target), the configuration keys and their errors, the fault
 * text of every rule, and the selection per task type (accessor and the
 * report's section).  Every expected number is worked out by hand in the
 * comments. */
#include "rules_testutil.h"

#include <math.h>

#include <techmatch/report.h>
#include <techmatch/selection.h>
#include <techmatch/tasks.h>

#define EPS 1e-12
#define T(x) (1u << (TM_TASK_##x))

/* the default taxonomy's sector indices */
enum { EIT = 0, CULTURE = 1, FOOD = 2, MATERIALS = 3, AGRI = 4, HEALTH = 5 };

static const TmExpertise EXP_EIT3[] = { { EIT, 3 } };
static const TmExpertise EXP_FOOD2[] = { { FOOD, 2 } };
static const TmExpertise EXP_EIT0[] = { { EIT, 0 } };

static TmCommissioner expert(const char *name, const TmExpertise *ex)
{
    TmCommissioner c = tr_comm(name);
    c.expertise = ex;
    c.n_expertise = 1;
    return c;
}

/* Asserts @err has @code and its message contains @needle; clears it. */
static void expect_error(GError **err, int code, const char *needle)
{
    assert_non_null(*err);
    if (strstr((*err)->message, needle) == NULL) {
        print_error("message '%s' lacks '%s'\n", (*err)->message, needle);
        fail();
    }
    assert_tm_error(*err, code);
}

static void expect_text(char *got, const char *want)
{
    if (want == NULL) {
        if (got != NULL) {
            print_error("expected no text, got '%s'\n", got);
            g_free(got);
            fail();
        }
        return;
    }
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        print_error("got  '%s'\nwant '%s'\n", got, want);
        g_free(got);
        fail();
    }
    assert_true(g_utf8_validate(got, -1, NULL));
    g_free(got);
}

static const char *c_reason(const TmProgramme *p, const TmRules *r, int32_t c)
{
    GError *err = NULL;
    TmScreening *scr = tm_programme_screen(p, r, &err);
    assert_no_error(err);
    const char *why = tm_screening_reason(scr, TM_SIDE_SUPPLY, c);
    tm_screening_free(scr);
    return why; /* static string */
}

static void assert_reason(const char *got, const char *want)
{
    if (want == NULL ? got != NULL : (got == NULL || strcmp(got, want) != 0)) {
        print_error("reason %s, want %s\n", got ? got : "(eligible)", want ? want : "(eligible)");
        fail();
    }
}

/* ---- catalogue and defaults ---------------------------------------------------- */

static void test_catalogue_and_defaults(void **state)
{
    (void)state;
    assert_int_equal(tm_rules_n_rules(), 12);
    int32_t i = tm_rule_find("s_sector");
    assert_int_equal(i, 11); /* appended: the older indices are unchanged */
    assert_string_equal(tm_rule_code(i), "S_SECTOR");
    assert_int_equal(tm_rule_scope(i), TM_RULE_SCOPE_SITE);
    assert_non_null(strstr(tm_rule_summary(i), "leading industries"));
    assert_non_null(strstr(tm_rule_summary_zh(i), "主导产业"));
    assert_int_equal(tm_rule_find("P_DISTANCE"), 10);
    assert_non_null(strstr(tm_rule_summary(tm_rule_find("C_YEARS")), "off by default"));
    assert_non_null(strstr(tm_rule_summary_zh(tm_rule_find("C_DIRECTION")), "服务方向"));
    char *codes = tm_rules_mask_codes(1u << 11);
    assert_string_equal(codes, "S_SECTOR");
    g_free(codes);

    TmRules *r = tm_rules_new_default();
    assert_false(tm_rules_is_enabled(r, "C_YEARS"));
    assert_true(tm_rules_is_enabled(r, "S_SECTOR"));
    assert_true(tm_rules_is_enabled(r, "C_DIRECTION"));
    assert_false(tm_rules_direction_target(r));
    assert_string_equal(tm_rules_leading_sectors(r), "eit;culture;food;materials");
    int32_t lo, hi;
    tm_rules_years_range(r, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 2);
    /* the new components and their default weights (preferences.h table) */
    assert_string_equal(tm_score_component_name(TM_SCORE_TERM), "term");
    assert_string_equal(tm_score_component_name(TM_SCORE_TASKS), "tasks");
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TERM) == 0);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TASKS) == 1);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TERM) == 1);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TASKS) == 1);
    assert_null(tm_rules_leading_sectors(NULL));
    assert_false(tm_rules_direction_target(NULL));
    tm_rules_free(r);
}

/* ---- the term: a soft preference ---------------------------------------------------- */

/* One site (high_tech, eit, no needs, min none, wants 1 year, no location,
 * asks training + key_rd) and four senior eit-3 experts of equal merit, no
 * skills, no location.  For every pair: sector 1, tags 0 (no needs), title
 * (3-0)/3 = 1, years 1 (offered >= 1), distance 0.5, merit 1 (one merit),
 * so with the default weights
 *   site score         = (3 + 0 + 1 + 1 + 0.5 + 2 + term + tasks) / 12
 *   commissioner score = (3 + 0 + 0 + 1 + 1 + 0 + 0 * term + tasks) / 9
 *   a: 2 years, training           term 1, tasks 1/2  site 9/12   comm 5.5/9
 *   b: 3 years, training+rd+health term 0, tasks 1    site 8.5/12 comm 6/9
 *   c: 2 years, none named         term 1, tasks 0.5  site 9/12   comm 5.5/9
 *   d: 1 year,  health             term 1, tasks 0    site 8.5/12 comm 5/9
 * The site's list is a, c (9/12, ids 0 < 2), b, d (8.5/12, ids 1 < 3). */
typedef struct {
    TmProgramme *p;
    int32_t a, b, c, d, site, bare;
} TermFx;

static void term_fx(TermFx *f)
{
    f->p = tm_programme_new(NULL);
    TmCommissioner c = expert("a", EXP_EIT3);
    c.merit = 5;
    c.years = 2;
    c.tasks = T(TRAINING);
    f->a = tr_add_c(f->p, &c);
    c = expert("b", EXP_EIT3);
    c.merit = 5;
    c.years = 3;
    c.tasks = T(TRAINING) | T(KEY_RD) | T(HEALTH);
    f->b = tr_add_c(f->p, &c);
    c = expert("c", EXP_EIT3);
    c.merit = 5;
    c.years = 2;
    f->c = tr_add_c(f->p, &c);
    c = expert("d", EXP_EIT3);
    c.merit = 5;
    c.years = 1;
    c.tasks = T(HEALTH);
    f->d = tr_add_c(f->p, &c);
    TmSite s = tr_site("site");
    s.tasks = T(TRAINING) | T(KEY_RD);
    f->site = tr_add_s(f->p, &s);
    s = tr_site("bare"); /* asks no task type */
    f->bare = tr_add_s(f->p, &s);
}

static void test_term_and_tasks_components(void **state)
{
    (void)state;
    GError *err = NULL;
    TermFx f;
    term_fx(&f);
    TmRules *r = tm_rules_new_default();
    const double term[4] = { 1, 0, 1, 1 }, tasks[4] = { 0.5, 1, 0.5, 0 };
    const int32_t ids[4] = { f.a, f.b, f.c, f.d };
    for (int i = 0; i < 4; i++) {
        TmScoreDetail d;
        assert_true(tm_preferences_explain(f.p, r, ids[i], f.site, &d, &err));
        assert_no_error(err);
        assert_true(d.component[TM_SCORE_TERM] == term[i]);
        assert_true(d.component[TM_SCORE_TASKS] == tasks[i]);
        assert_true(fabs(d.score[TM_SIDE_DEMAND] - (7.5 + term[i] + tasks[i]) / 12.0) < EPS);
        assert_true(fabs(d.score[TM_SIDE_SUPPLY] - (5.0 + tasks[i]) / 9.0) < EPS);
        assert_null(d.pair_reason);
        /* a site that asks for no task type: unknown, 0.5 for everyone */
        assert_true(tm_preferences_explain(f.p, r, ids[i], f.bare, &d, &err));
        assert_true(d.component[TM_SCORE_TASKS] == 0.5);
    }
    /* everyone is eligible: the 3-year offer is not refused ... */
    assert_reason(c_reason(f.p, r, f.b), NULL);
    TmMarket *m = tm_programme_build_market(f.p, r, NULL, NULL, NULL, &err);
    assert_no_error(err);
    /* ... but ranked below the offers within 1-2 years that score alike */
    const int32_t want[4] = { f.a, f.c, f.b, f.d };
    tr_expect_list(m, TM_SIDE_DEMAND, f.site, want, 4);
    tm_market_free(m);

    /* the range moves the term: 2..3 makes d's 1 year the outsider */
    assert_true(tm_rules_set_years_range(r, 2, 3, &err));
    TmScoreDetail d;
    assert_true(tm_preferences_explain(f.p, r, f.b, f.site, &d, &err));
    assert_true(d.component[TM_SCORE_TERM] == 1);
    assert_true(tm_preferences_explain(f.p, r, f.d, f.site, &d, &err));
    assert_true(d.component[TM_SCORE_TERM] == 0);
    assert_true(tm_rules_set_years_range(r, 1, 2, &err));

    /* the hard limit stays available */
    assert_true(tm_rules_set_enabled(r, "C_YEARS", TRUE, &err));
    assert_reason(c_reason(f.p, r, f.b), "C_YEARS");
    m = tm_programme_build_market(f.p, r, NULL, NULL, NULL, &err);
    assert_no_error(err);
    const int32_t hard[3] = { f.a, f.c, f.d };
    tr_expect_list(m, TM_SIDE_DEMAND, f.site, hard, 3);
    tm_market_free(m);
    assert_true(tm_rules_set_enabled(r, "C_YEARS", FALSE, &err));

    /* weights: the term alone orders the site's list; the tasks alone too */
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, (TmScoreComponent)k, 0, &err));
    assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_TASKS, 2, &err));
    assert_true(tm_preferences_score(f.p, r, TM_SIDE_DEMAND, f.a, f.site) == 0.5);
    assert_true(tm_preferences_score(f.p, r, TM_SIDE_DEMAND, f.b, f.site) == 1.0);
    assert_true(tm_preferences_score(f.p, r, TM_SIDE_DEMAND, f.d, f.site) == 0.0);
    m = tm_programme_build_market(f.p, r, NULL, NULL, NULL, &err);
    assert_no_error(err);
    const int32_t by_tasks[4] = { f.b, f.a, f.c, f.d }; /* 1, 0.5, 0.5, 0 */
    tr_expect_list(m, TM_SIDE_DEMAND, f.site, by_tasks, 4);
    tm_market_free(m);
    tm_rules_free(r);
    tm_programme_free(f.p);
}

static void test_weights_keys(void **state)
{
    (void)state;
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_load_data(r,
                                   "[weights.commissioner]\nterm=2.5\ntasks=0\n"
                                   "[weights.site]\nterm=4\ntasks=0.75\n",
                                   -1, "w.ini", &err));
    assert_no_error(err);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TERM) == 2.5);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TASKS) == 0);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TERM) == 4);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TASKS) == 0.75);
    char *text = tm_rules_to_data(r, NULL);
    assert_non_null(strstr(text, "term=2.5"));
    assert_non_null(strstr(text, "tasks=0.75"));
    g_free(text);
    assert_false(tm_rules_load_data(r, "[weights.site]\n\nterm=-1\n", -1, "w.ini", &err));
    expect_error(&err, TM_ERROR_PARSE,
                 "w.ini:3: [weights.site] term: expected a finite number >= 0, got '-1'");
    assert_false(tm_rules_load_data(r, "[weights.commissioner]\nluck=1\n", -1, "w.ini", &err));
    expect_error(&err, TM_ERROR_PARSE,
                 "w.ini:2: [weights.commissioner] luck: unknown score component (expected "
                 "sector, tags, title, years, distance, merit, term or tasks)");
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TERM) == 4); /* unchanged */
    tm_rules_free(r);
}

/* ---- S_SECTOR ------------------------------------------------------------------------- */

typedef struct {
    TmProgramme *p;
    int32_t id[8];
} SectorFx;

/* s0 high_tech eit, s1 innovative agri, s2 rd_enterprise health, s3 park
 * agri, s4 village agri, s5 community health (clinic), s6 high_tech food,
 * s7 other agri. */
static void sector_fx(SectorFx *f)
{
    static const struct { TmSiteKind kind; int32_t sector; } S[8] = {
        { TM_SITE_HIGH_TECH, EIT },      { TM_SITE_INNOVATIVE, AGRI },
        { TM_SITE_RD_ENTERPRISE, HEALTH }, { TM_SITE_PARK, AGRI },
        { TM_SITE_VILLAGE, AGRI },        { TM_SITE_COMMUNITY, HEALTH },
        { TM_SITE_HIGH_TECH, FOOD },      { TM_SITE_OTHER, AGRI },
    };
    f->p = tm_programme_new(NULL);
    for (int i = 0; i < 8; i++) {
        char name[8];
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.kind = S[i].kind;
        s.sector = S[i].sector;
        s.has_clinic = TRUE;
        f->id[i] = tr_add_s(f->p, &s);
    }
}

static void expect_sites(const TmProgramme *p, const TmRules *r, const char *const want[8])
{
    GError *err = NULL;
    TmScreening *scr = tm_programme_screen(p, r, &err);
    assert_no_error(err);
    for (int i = 0; i < 8; i++) {
        const char *why = tm_screening_site_reason(scr, i);
        if (want[i] == NULL ? why != NULL : (why == NULL || strcmp(why, want[i]) != 0)) {
            print_error("site s%d: reason %s, want %s\n", i, why ? why : "-",
                        want[i] ? want[i] : "-");
            fail();
        }
    }
    tm_screening_free(scr);
}

static void test_s_sector(void **state)
{
    (void)state;
    GError *err = NULL;
    SectorFx f;
    sector_fx(&f);
    TmRules *r = tm_rules_new_default();
    const char *def[8] = { NULL, "S_SECTOR", "S_SECTOR", NULL, NULL, NULL, NULL, "S_KIND" };
    expect_sites(f.p, r, def);
    TmScreening *scr = tm_programme_screen(f.p, r, &err);
    assert_int_equal(tm_screening_failures(scr, TM_SIDE_DEMAND, 1), 1u << 11);
    /* the rule looks at enterprise kinds only: s7 (other) fails S_KIND alone */
    assert_int_equal(tm_screening_failures(scr, TM_SIDE_DEMAND, 7), 1u << 5);
    assert_int_equal(tm_screening_n_failing(scr, "S_SECTOR"), 2);
    assert_int_equal(tm_screening_n_first_failing(scr, "S_SECTOR"), 2);
    assert_int_equal(tm_screening_n_eligible(scr, TM_SIDE_DEMAND), 5);
    tm_screening_free(scr);

    /* another list, by Chinese and English names as well as codes */
    assert_true(tm_rules_set_leading_sectors(r, " 农业农村 , Community Health", &err));
    assert_no_error(err);
    assert_string_equal(tm_rules_leading_sectors(r), "农业农村;Community Health");
    const char *agri[8] = { "S_SECTOR", NULL, NULL, NULL, NULL, NULL, "S_SECTOR", "S_KIND" };
    expect_sites(f.p, r, agri);
    const TmTaxonomy *tax = tm_programme_taxonomy(f.p);
    assert_true(tm_rules_sector_leading(r, tax, AGRI));
    assert_true(tm_rules_sector_leading(r, tax, HEALTH));
    assert_false(tm_rules_sector_leading(r, tax, EIT));
    assert_false(tm_rules_sector_leading(r, tax, 6));
    assert_false(tm_rules_sector_leading(NULL, tax, AGRI));
    /* repeats and empty items are dropped */
    assert_true(tm_rules_set_leading_sectors(r, "eit; EIT ;food,,food;", &err));
    assert_string_equal(tm_rules_leading_sectors(r), "eit;food");
    /* the empty list: no leading industry, every enterprise host fails */
    assert_true(tm_rules_set_leading_sectors(r, "", &err));
    assert_string_equal(tm_rules_leading_sectors(r), "");
    const char *none[8] = { "S_SECTOR", "S_SECTOR", "S_SECTOR", NULL, NULL, NULL, "S_SECTOR",
                            "S_KIND" };
    expect_sites(f.p, r, none);
    /* off: every enterprise host passes */
    assert_true(tm_rules_set_enabled(r, "S_SECTOR", FALSE, &err));
    const char *off[8] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, "S_KIND" };
    expect_sites(f.p, r, off);

    /* setter errors leave the list as it was */
    assert_true(tm_rules_set_leading_sectors(r, "food", &err));
    GString *big = g_string_new(NULL);
    for (int i = 0; big->len < 600; i++) /* distinct items: repeats would be dropped */
        g_string_append_printf(big, "materials%03d;", i);
    assert_false(tm_rules_set_leading_sectors(r, big->str, &err));
    expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "at most 511 are allowed");
    g_string_free(big, TRUE);
    assert_false(tm_rules_set_leading_sectors(r, "food;\xff", &err));
    expect_error(&err, TM_ERROR_INVALID_ARGUMENT, "not valid UTF-8");
    assert_false(tm_rules_set_leading_sectors(r, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_leading_sectors(NULL, "food", &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_string_equal(tm_rules_leading_sectors(r), "food");
    tm_rules_free(r);
    tm_programme_free(f.p);
}

/* A name that is no sector of the programme is an error of the screening
 * (and so of every market build and selection) while S_SECTOR is on. */
static void test_s_sector_taxonomy(void **state)
{
    (void)state;
    GError *err = NULL;
    SectorFx f;
    sector_fx(&f);
    TmCommissioner c = expert("e", EXP_EIT3);
    tr_add_c(f.p, &c);
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_set_leading_sectors(r, "eit;helth", &err));
    const char *msg = "S_SECTOR.leading: 'helth' is not a sector of the programme's taxonomy "
                      "(eit, culture, food, materials, agri, health)";
    assert_null(tm_programme_screen(f.p, r, &err));
    expect_error(&err, TM_ERROR_UNKNOWN_NAME, msg);
    assert_false(tm_rules_check_taxonomy(r, tm_programme_taxonomy(f.p), &err));
    expect_error(&err, TM_ERROR_UNKNOWN_NAME, msg);
    assert_null(tm_programme_build_market(f.p, r, NULL, NULL, NULL, &err));
    expect_error(&err, TM_ERROR_UNKNOWN_NAME, "'helth'");
    assert_null(tm_programme_select(f.p, r, NULL, NULL, &err));
    expect_error(&err, TM_ERROR_UNKNOWN_NAME, "'helth'");
    assert_false(tm_rules_check_taxonomy(NULL, tm_programme_taxonomy(f.p), &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_check_taxonomy(r, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* off: the list is not looked at */
    assert_true(tm_rules_set_enabled(r, "S_SECTOR", FALSE, &err));
    TmScreening *scr = tm_programme_screen(f.p, r, &err);
    assert_no_error(err);
    assert_non_null(scr);
    tm_screening_free(scr);
    assert_true(tm_rules_check_taxonomy(r, tm_programme_taxonomy(f.p), &err));
    tm_rules_free(r);
    tm_programme_free(f.p);

    /* a programme with its own taxonomy must list its own leading industries */
    TmTaxonomy *t = tm_taxonomy_new();
    assert_true(tm_taxonomy_add_sector(t, "water", "水利", "water works", &err) == 0);
    assert_true(tm_taxonomy_add_sector(t, "eit", NULL, NULL, &err) == 1);
    TmProgramme *p = tm_programme_new(t);
    r = tm_rules_new_default();
    assert_false(tm_rules_check_taxonomy(r, t, &err));
    expect_error(&err, TM_ERROR_UNKNOWN_NAME, "'culture' is not a sector of the programme's "
                                              "taxonomy (water, eit)");
    assert_true(tm_rules_set(r, "S_SECTOR.leading", "水利", &err));
    assert_true(tm_rules_check_taxonomy(r, t, &err));
    TmSite s = tr_site("w");
    s.sector = 0;
    tr_add_s(p, &s);
    s = tr_site("e");
    s.sector = 1;
    tr_add_s(p, &s);
    scr = tm_programme_screen(p, r, &err);
    assert_no_error(err);
    assert_null(tm_screening_site_reason(scr, 0));
    assert_string_equal(tm_screening_site_reason(scr, 1), "S_SECTOR");
    tm_screening_free(scr);
    /* a name equal to its code is shown once in the fault text */
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, 1, "S_SECTOR"),
                "sector (行业): eit — an enterprise host (high-tech enterprise) must be in a "
                "leading industry: water works");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_DEMAND, 1, "S_SECTOR", TM_LANG_ZH),
                "行业：eit，企业类派驻点（高新技术企业）须属于主导产业：水利");
    tm_rules_free(r);
    tm_programme_free(p);
    tm_taxonomy_free(t);
}

/* ---- C_DIRECTION ------------------------------------------------------------------------ */

static void test_c_direction(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmSite s = tr_site("s0");
    tr_add_s(p, &s);
    const char *wish[] = { "s0" };
    TmCommissioner c = tr_comm("none");
    int32_t none = tr_add_c(p, &c);
    c = tr_comm("wish only");
    c.ranked_sites = wish;
    c.n_ranked_sites = 1;
    int32_t wo = tr_add_c(p, &c);
    c = tr_comm("tasks only");
    c.tasks = T(TRAINING);
    int32_t to = tr_add_c(p, &c);
    c = expert("level 0", EXP_EIT0);
    int32_t l0 = tr_add_c(p, &c);
    c = expert("expert", EXP_FOOD2);
    int32_t ex = tr_add_c(p, &c);
    c = expert("expert+wish", EXP_FOOD2);
    c.ranked_sites = wish;
    c.n_ranked_sites = 1;
    int32_t ew = tr_add_c(p, &c);
    c = expert("expert+tasks", EXP_FOOD2);
    c.tasks = T(STRATEGY) | T(DEMONSTRATION);
    int32_t et = tr_add_c(p, &c);
    TmRules *r = tm_rules_new_default();
    /* the direction: expertise of level >= 1 in a sector; a wish or a task
     * type alone is no direction */
    assert_reason(c_reason(p, r, none), "C_DIRECTION");
    assert_reason(c_reason(p, r, wo), "C_DIRECTION");
    assert_reason(c_reason(p, r, to), "C_DIRECTION");
    assert_reason(c_reason(p, r, l0), "C_DIRECTION");
    assert_reason(c_reason(p, r, ex), NULL);
    assert_reason(c_reason(p, r, ew), NULL);
    assert_reason(c_reason(p, r, et), NULL);
    /* with the target: also a wished site or a task type */
    assert_true(tm_rules_set_direction_target(r, TRUE, &err));
    assert_true(tm_rules_direction_target(r));
    assert_reason(c_reason(p, r, ex), "C_DIRECTION");
    assert_reason(c_reason(p, r, ew), NULL);
    assert_reason(c_reason(p, r, et), NULL);
    assert_reason(c_reason(p, r, to), "C_DIRECTION");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ex, "C_DIRECTION"),
                "service target (服务对象): no wished site and no task type — "
                "C_DIRECTION.target asks for one of them");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, ex, "C_DIRECTION", TM_LANG_ZH),
                "服务对象：既无意向派驻点也无任务类型，C_DIRECTION.target 要求至少具备其一");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, to, "C_DIRECTION"),
                "expertise (专长): no sector at level 1 or more — needs a service direction "
                "(服务方向) in one of the district's sectors");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, to, "C_DIRECTION",
                                          TM_LANG_ZH),
                "专长：没有 1 级及以上的行业，须在本区行业中有服务方向");
    assert_false(tm_rules_set_direction_target(NULL, TRUE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* off: nothing is asked */
    assert_true(tm_rules_set_enabled(r, "C_DIRECTION", FALSE, &err));
    assert_reason(c_reason(p, r, none), NULL);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- configuration keys --------------------------------------------------------------- */

static void test_config_keys(void **state)
{
    (void)state;
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_load_data(r,
                                   "[rules]\nC_DIRECTION.target=yes\nC_YEARS=on\n"
                                   "S_SECTOR=false\nS_SECTOR.leading= food , agri ;\n",
                                   -1, "k.ini", &err));
    assert_no_error(err);
    assert_true(tm_rules_direction_target(r));
    assert_true(tm_rules_is_enabled(r, "C_YEARS"));
    assert_false(tm_rules_is_enabled(r, "S_SECTOR"));
    assert_string_equal(tm_rules_leading_sectors(r), "food;agri");
    /* the text reads back to the same rules */
    char *text = tm_rules_to_data(r, NULL);
    assert_non_null(strstr(text, "C_DIRECTION.target=true"));
    assert_non_null(strstr(text, "S_SECTOR.leading=food;agri"));
    assert_non_null(strstr(text, "S_SECTOR=false"));
    TmRules *back = tm_rules_new_default();
    assert_true(tm_rules_load_data(back, text, -1, "back", &err));
    char *again = tm_rules_to_data(back, NULL);
    assert_string_equal(again, text);
    g_free(again);
    tm_rules_free(back);
    /* tm_rules_set takes the same keys */
    assert_true(tm_rules_set(r, "C_DIRECTION.target", "off", &err));
    assert_false(tm_rules_direction_target(r));
    assert_true(tm_rules_set(r, "S_SECTOR.leading", "eit", &err));
    assert_string_equal(tm_rules_leading_sectors(r), "eit");

    /* errors: FILE:LINE: [group] key: ..., and nothing changes */
    g_free(text);
    text = tm_rules_to_data(r, NULL);
    static const struct {
        const char *data, *needle;
    } BAD[] = {
        { "[rules]\nC_DIRECTION.target=maybe\n",
          "e.ini:2: [rules] C_DIRECTION.target: expected true or false, got 'maybe'" },
        { "[rules]\nS_SECTOR=sometimes\n",
          "e.ini:2: [rules] S_SECTOR: expected true or false, got 'sometimes'" },
        { "[rules]\nS_SECTOR.leading=food\n\nS_SECTOR.codes=eit\n",
          "e.ini:4: [rules] S_SECTOR.codes: rule S_SECTOR has no parameter 'codes'" },
        { "[rules]\nC_DIRECTION.sites=1\n",
          "e.ini:2: [rules] C_DIRECTION.sites: rule C_DIRECTION has no parameter 'sites'" },
        { "[rules]\nS_SECTORS=true\n", "e.ini:2: [rules] S_SECTORS: unknown rule code" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(BAD); i++) {
        assert_false(tm_rules_load_data(r, BAD[i].data, -1, "e.ini", &err));
        expect_error(&err, TM_ERROR_PARSE, BAD[i].needle);
    }
    GString *big = g_string_new("[rules]\nS_SECTOR=true\nS_SECTOR.leading=");
    for (int i = 0; i < 60; i++)
        g_string_append_printf(big, "sector%02d;", i);
    g_string_append_c(big, '\n');
    assert_false(tm_rules_load_data(r, big->str, -1, "e.ini", &err));
    expect_error(&err, TM_ERROR_PARSE,
                 "e.ini:3: [rules] S_SECTOR.leading: the list is 539 bytes long, at most 511 "
                 "are allowed");
    g_string_free(big, TRUE);
    assert_false(tm_rules_set(r, "C_DIRECTION.target", "2", &err));
    expect_error(&err, TM_ERROR_PARSE, "[rules] C_DIRECTION.target: expected true or false");
    char *after = tm_rules_to_data(r, NULL);
    assert_string_equal(after, text);
    g_free(after);
    g_free(text);
    tm_rules_free(r);
}

/* ---- fault texts ------------------------------------------------------------------------ */

static void test_fault_commissioner_rules(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = expert("junior", EXP_EIT3);
    c.title = TM_TITLE_JUNIOR;
    int32_t jr = tr_add_c(p, &c);
    c = expert("mid", EXP_EIT3);
    c.title = TM_TITLE_INTERMEDIATE;
    int32_t mid = tr_add_c(p, &c);
    c = expert("firm", EXP_EIT3);
    c.unit = "郑州华创电子有限公司";
    c.unit_kind = TM_UNIT_ENTERPRISE;
    int32_t firm = tr_add_c(p, &c);
    c = expert("nameless firm", EXP_EIT3);
    c.unit_kind = TM_UNIT_OTHER;
    int32_t other = tr_add_c(p, &c);
    c = expert("unbacked", EXP_EIT3);
    c.unit = "河南工业大学";
    c.unit_support = FALSE;
    int32_t unbacked = tr_add_c(p, &c);
    c = tr_comm("adrift");
    int32_t adrift = tr_add_c(p, &c);
    c = expert("three", EXP_EIT3);
    c.years = 3;
    int32_t three = tr_add_c(p, &c);
    c = expert("one", EXP_EIT3);
    c.years = 1;
    int32_t one = tr_add_c(p, &c);
    TmRules *r = tm_rules_new_default();

    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, jr, "C_TITLE"),
                "title (职称): junior title — needs intermediate title or above");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, jr, "C_TITLE", TM_LANG_ZH),
                "职称：初级，须为中级及以上");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, mid, "C_TITLE"), NULL);
    assert_true(tm_rules_set_min_title(r, TM_TITLE_SENIOR, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, mid, "c_title"),
                "title (职称): intermediate title — needs senior title (associate professor or above)");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, mid, "C_TITLE", TM_LANG_ZH),
                "职称：中级，须为高级");
    assert_true(tm_rules_set_min_title(r, TM_TITLE_INTERMEDIATE, &err));

    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, firm, "C_UNIT"),
                "unit kind (单位类型): enterprise, 郑州华创电子有限公司 — allowed: university, "
                "research institute, public institution");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, firm, "C_UNIT", TM_LANG_ZH),
                "单位类型：企业（郑州华创电子有限公司），限于：高校、科研院所、事业单位");
    for (int k = 0; k < TM_N_UNIT_KINDS; k++)
        assert_true(tm_rules_set_unit_allowed(r, (TmUnitKind)k, FALSE, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, other, "C_UNIT"),
                "unit kind (单位类型): other unit — allowed: none");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, other, "C_UNIT", TM_LANG_ZH),
                "单位类型：其他，限于：无");
    assert_true(tm_rules_set(r, "C_UNIT.allowed", "university;institute;public", &err));

    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, unbacked, "C_SUPPORT"),
                "unit support (单位支持): no (河南工业大学) — the dispatching unit must support the "
                "secondment");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, unbacked, "C_SUPPORT",
                                          TM_LANG_ZH),
                "单位支持：否（河南工业大学），派出单位须同意选派");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, adrift, "C_DIRECTION"),
                "expertise (专长): no sector at level 1 or more — needs a service direction "
                "(服务方向) in one of the district's sectors");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, adrift, "C_DIRECTION",
                                          TM_LANG_ZH),
                "专长：没有 1 级及以上的行业，须在本区行业中有服务方向");

    /* C_YEARS is off by default: no fault; on, the value and the range */
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, three, "C_YEARS"), NULL);
    assert_true(tm_rules_set_enabled(r, "C_YEARS", TRUE, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, three, "C_YEARS"),
                "years (服务年限): offers 3 years — the term is 1 to 2 years");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_SUPPLY, three, "C_YEARS", TM_LANG_ZH),
                "服务年限：3 年，服务期限为 1 至 2 年");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, one, "C_YEARS"), NULL);
    assert_true(tm_rules_set_years_range(r, 2, 2, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, one, "C_YEARS"),
                "years (服务年限): offers 1 year — the term is 2 years");
    tm_rules_free(r);
    tm_programme_free(p);
}

static void test_fault_site_and_pair_rules(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmSite s = tr_site("茶艺馆");
    s.kind = TM_SITE_OTHER;
    int32_t tea = tr_add_s(p, &s);
    s = tr_site("金水路社区");
    s.kind = TM_SITE_COMMUNITY;
    s.sector = HEALTH;
    int32_t noclinic = tr_add_s(p, &s);
    s = tr_site("花卉公司");
    s.kind = TM_SITE_INNOVATIVE;
    s.sector = AGRI;
    int32_t flowers = tr_add_s(p, &s);
    s = tr_site("郑州百味坊");
    s.sector = FOOD;
    s.years = 2;
    s.min_title = TM_TITLE_SENIOR;
    s.x = 15;
    s.y = 16.5;
    int32_t food = tr_add_s(p, &s);
    s = tr_site("edge");
    s.x = 12.03;
    s.y = 16;
    int32_t edge = tr_add_s(p, &s);

    TmCommissioner c = expert("eit", EXP_EIT3);
    c.title = TM_TITLE_INTERMEDIATE;
    c.years = 1;
    c.x = 0.5;
    c.y = 1;
    int32_t ce = tr_add_c(p, &c);
    c = expert("origin", EXP_EIT3);
    c.x = 0;
    c.y = 0;
    int32_t co = tr_add_c(p, &c);
    TmRules *r = tm_rules_new_default();

    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, tea, "S_KIND"),
                "kind (类型): other site — eligible: high-tech enterprise, innovative enterprise, "
                "R&D enterprise (an R&D centre or S&T projects), science park, agricultural "
                "demonstration base, demonstration village, community");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, noclinic, "S_CLINIC"),
                "clinic (卫生服务站): none — a community site must run a community health "
                "clinic");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_DEMAND, noclinic, "S_CLINIC",
                                          TM_LANG_ZH),
                "卫生服务站：无，社区派驻点须设有社区卫生服务站");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, flowers, "S_SECTOR"),
                "sector (行业): rural & agriculture — an enterprise host (innovative enterprise) "
                "must be in a leading industry: electronic information, cultural & creative, "
                "food processing, new materials");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_DEMAND, flowers, "S_SECTOR",
                                          TM_LANG_ZH),
                "行业：农业农村，企业类派驻点（创新型企业）须属于主导产业：电子信息、文化创意、"
                "食品加工、新材料");
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, food, "S_SECTOR"), NULL);
    assert_true(tm_rules_set_leading_sectors(r, "", &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, food, "S_SECTOR"),
                "sector (行业): food processing — an enterprise host (high-tech enterprise) "
                "must be in a leading industry: none is set");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_DEMAND, food, "S_SECTOR", TM_LANG_ZH),
                "行业：食品加工，企业类派驻点（高新技术企业）须属于主导产业：未设定");
    assert_true(tm_rules_set_leading_sectors(r, "eit;culture;food;materials", &err));
    for (int k = 0; k < TM_N_SITE_KINDS; k++)
        assert_true(tm_rules_set_site_kind_eligible(r, (TmSiteKind)k, FALSE, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, tea, "S_KIND"),
                "kind (类型): other site — eligible: none");
    expect_text(tm_rules_agent_fault_lang(p, r, TM_SIDE_DEMAND, tea, "S_KIND", TM_LANG_ZH),
                "类型：其他，符合条件的类型：无");
    assert_true(tm_rules_set(r, "S_KIND.eligible",
                             "high_tech;innovative;rd_enterprise;park;agri_base;village;"
                             "community", &err));

    expect_text(tm_rules_pair_fault(p, r, ce, food, "P_SECTOR"),
                "expertise (专长) in food processing: level 0 — 郑州百味坊 needs level 1 or more");
    expect_text(tm_rules_pair_fault_lang(p, r, ce, food, "P_SECTOR", TM_LANG_ZH),
                "食品加工专长：0 级，郑州百味坊要求 1 级及以上");
    expect_text(tm_rules_pair_fault(p, r, ce, food, "P_YEARS"),
                "years (服务年限): offers 1 year; 郑州百味坊 wants 2");
    expect_text(tm_rules_pair_fault_lang(p, r, ce, food, "P_YEARS", TM_LANG_ZH),
                "服务年限：1 年，郑州百味坊要求 2 年");
    expect_text(tm_rules_pair_fault(p, r, ce, food, "P_TITLE"),
                "title (职称): intermediate title — 郑州百味坊 requires senior title (associate "
                "professor or above)");
    expect_text(tm_rules_pair_fault_lang(p, r, ce, food, "P_TITLE", TM_LANG_ZH),
                "职称：中级，郑州百味坊要求高级");
    /* P_DISTANCE is off by default; on: hypot(14.5, 15.5) = 21.2 km */
    expect_text(tm_rules_pair_fault(p, r, ce, food, "P_DISTANCE"), NULL);
    assert_true(tm_rules_set_enabled(r, "P_DISTANCE", TRUE, &err));
    expect_text(tm_rules_pair_fault(p, r, ce, food, "P_DISTANCE"),
                "distance (距离): 21.2 km from 郑州百味坊 (limit 20 km)");
    expect_text(tm_rules_pair_fault_lang(p, r, ce, food, "P_DISTANCE", TM_LANG_ZH),
                "距离：距郑州百味坊 21.2 公里（上限 20 公里）");
    /* AUTO: the programme's language (English for a programme built in code) */
    expect_text(tm_rules_pair_fault_lang(p, r, ce, food, "P_DISTANCE", TM_LANG_AUTO),
                "distance (距离): 21.2 km from 郑州百味坊 (limit 20 km)");
    /* hypot(12.03, 16) = 20.018 km: one decimal would read 20.0, so two */
    expect_text(tm_rules_pair_fault(p, r, co, edge, "P_DISTANCE"),
                "distance (距离): 20.02 km from edge (limit 20 km)");
    assert_true(tm_rules_set_max_km(r, 7.5, &err));
    expect_text(tm_rules_pair_fault(p, r, co, edge, "P_DISTANCE"),
                "distance (距离): 20.0 km from edge (limit 7.5 km)");
    expect_text(tm_rules_pair_fault(p, r, co, edge, "P_SECTOR"), NULL); /* eit site */
    tm_rules_free(r);
    tm_programme_free(p);
}

/* NULL whenever there is no fault to state. */
static void test_fault_null_cases(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = tr_comm("adrift");
    c.title = TM_TITLE_NONE;
    int32_t ci = tr_add_c(p, &c);
    TmSite s = tr_site("tea");
    s.kind = TM_SITE_OTHER;
    s.sector = FOOD;
    int32_t si = tr_add_s(p, &s);
    TmRules *r = tm_rules_new_default();
    GError *err = NULL;
    /* the baseline: both fail */
    char *t = tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, "C_TITLE");
    assert_non_null(t);
    g_free(t);
    t = tm_rules_pair_fault(p, r, ci, si, "P_SECTOR");
    assert_non_null(t);
    g_free(t);
    /* a rule that passes, a rule that is off */
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, "C_SUPPORT"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, si, "S_SECTOR"), NULL);
    assert_true(tm_rules_set_enabled(r, "C_TITLE", FALSE, &err));
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, "C_TITLE"), NULL);
    assert_true(tm_rules_set_enabled(r, "C_TITLE", TRUE, &err));
    /* a rule of the other side or scope, an unknown code */
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, ci, "C_TITLE"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, si, "S_KIND"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, "P_SECTOR"), NULL);
    expect_text(tm_rules_pair_fault(p, r, ci, si, "C_TITLE"), NULL);
    expect_text(tm_rules_pair_fault(p, r, ci, si, "S_KIND"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, "NOPE"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, ci, NULL), NULL);
    expect_text(tm_rules_pair_fault(p, r, ci, si, NULL), NULL);
    expect_text(tm_rules_agent_fault(p, r, (TmSide)2, ci, "C_TITLE"), NULL);
    /* ids out of range, NULL objects */
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, 1, "C_TITLE"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_SUPPLY, -1, "C_TITLE"), NULL);
    expect_text(tm_rules_agent_fault(p, r, TM_SIDE_DEMAND, 5, "S_KIND"), NULL);
    expect_text(tm_rules_pair_fault(p, r, ci, 1, "P_SECTOR"), NULL);
    expect_text(tm_rules_pair_fault(p, r, -1, si, "P_SECTOR"), NULL);
    expect_text(tm_rules_agent_fault(NULL, r, TM_SIDE_SUPPLY, ci, "C_TITLE"), NULL);
    expect_text(tm_rules_agent_fault(p, NULL, TM_SIDE_SUPPLY, ci, "C_TITLE"), NULL);
    expect_text(tm_rules_pair_fault(NULL, r, ci, si, "P_SECTOR"), NULL);
    expect_text(tm_rules_pair_fault(p, NULL, ci, si, "P_SECTOR"), NULL);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* Every failing agent rule of a screening has a text, and none of the
 * passing ones: the texts and the masks agree. */
static void test_fault_agrees_with_masks(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    for (int i = 0; i < 64; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "c%d", i);
        TmCommissioner c = (i & 1) ? tr_comm(name) : expert(name, EXP_FOOD2);
        c.title = (TmTitle)((i >> 1) & 3);
        c.unit_kind = (TmUnitKind)((i >> 3) % TM_N_UNIT_KINDS);
        c.unit_support = (i >> 4) & 1;
        c.years = (i * 7) % 5;
        tr_add_c(p, &c);
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.kind = (TmSiteKind)(i % TM_N_SITE_KINDS);
        s.sector = (i / TM_N_SITE_KINDS) % 6;
        s.has_clinic = (i >> 2) & 1;
        s.years = i % 4;
        s.min_title = (TmTitle)(i % 4);
        tr_add_s(p, &s);
    }
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_set_enabled(r, "C_YEARS", TRUE, &err));
    assert_true(tm_rules_set_direction_target(r, TRUE, &err));
    TmScreening *scr = tm_programme_screen(p, r, &err);
    assert_no_error(err);
    int64_t texts = 0;
    for (int side = 0; side < 2; side++) {
        for (int32_t a = 0; a < 64; a++) {
            uint32_t m = tm_screening_failures(scr, (TmSide)side, a);
            for (int32_t k = 0; k < tm_rules_n_rules(); k++) {
                char *t = tm_rules_agent_fault(p, r, (TmSide)side, a, tm_rule_code(k));
                gboolean want = (m >> k) & 1;
                if (want != (t != NULL)) {
                    print_error("side %d agent %d rule %s: mask %d, text %s\n", side, a,
                                tm_rule_code(k), want, t ? t : "(none)");
                    fail();
                }
                texts += t != NULL;
                g_free(t);
            }
        }
    }
    for (int32_t c = 0; c < 64; c++)
        for (int32_t s = 0; s < 64; s++) {
            uint32_t m = tm_rules_pair_failures(p, r, c, s);
            for (int32_t k = 0; k < tm_rules_n_rules(); k++) {
                char *t = tm_rules_pair_fault(p, r, c, s, tm_rule_code(k));
                assert_int_equal((m >> k) & 1, t != NULL);
                texts += t != NULL;
                g_free(t);
            }
        }
    assert_true(texts > 1000);
    tm_screening_free(scr);
    tm_rules_free(r);
    tm_programme_free(p);
}

/* ---- the selection per task type -------------------------------------------------------- */

/* Sites (eit, capacity 1): s0 asks training + key_rd, s1 training, s2
 * health, s3 nothing.  Commissioners (eit 3, capacity 1): c0 offers
 * training, c1 key_rd + health, c2 training.  Mutual first wishes c0-s1,
 * c1-s0, c2-s3 make the matching: s2 stays empty.
 *   task      asking served covered offering selected
 *   training    2      2      1       2        2     (s0 is served by c1)
 *   key_rd      1      1      1       1        1
 *   health      1      0      0       1        1     (c1 serves s0)
 *   others      0      0      0       0        0 */
static void test_task_counts_and_report(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    const uint32_t st[4] = { T(TRAINING) | T(KEY_RD), T(TRAINING), T(HEALTH), 0 };
    const char *sw[4] = { "c1", "c0", NULL, "c2" };
    for (int i = 0; i < 4; i++) {
        char name[4];
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.tasks = st[i];
        s.ranked_commissioners = &sw[i];
        s.n_ranked_commissioners = sw[i] ? 1 : 0;
        tr_add_s(p, &s);
    }
    const uint32_t ct[3] = { T(TRAINING), T(KEY_RD) | T(HEALTH), T(TRAINING) };
    const char *cw[3] = { "s1", "s0", "s3" };
    for (int i = 0; i < 3; i++) {
        char name[4];
        g_snprintf(name, sizeof name, "c%d", i);
        TmCommissioner c = expert(name, EXP_EIT3);
        c.tasks = ct[i];
        c.ranked_sites = &cw[i];
        c.n_ranked_sites = 1;
        tr_add_c(p, &c);
    }
    TmRules *r = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    assert_no_error(err);
    const TmMatching *m = tm_selection_matching(sel);
    assert_int_equal(tm_matching_n_pairs(m), 3);
    int32_t n = 0;
    assert_int_equal(tm_matching_partners(m, TM_SIDE_SUPPLY, 0, &n)[0], 1);
    assert_int_equal(tm_matching_partners(m, TM_SIDE_SUPPLY, 1, &n)[0], 0);
    assert_int_equal(tm_matching_partners(m, TM_SIDE_SUPPLY, 2, &n)[0], 3);
    static const int32_t want[TM_N_TASKS][5] = {
        [TM_TASK_TRAINING] = { 2, 2, 1, 2, 2 },
        [TM_TASK_KEY_RD] = { 1, 1, 1, 1, 1 },
        [TM_TASK_HEALTH] = { 1, 0, 0, 1, 1 },
    };
    for (int t = 0; t < TM_N_TASKS; t++) {
        int32_t v[5] = { -1, -1, -1, -1, -1 };
        assert_true(tm_selection_task_counts(sel, (TmTask)t, &v[0], &v[1], &v[2], &v[3],
                                             &v[4]));
        for (int k = 0; k < 5; k++)
            if (v[k] != want[t][k]) {
                print_error("task %s count %d: %d, want %d\n", tm_task_code((TmTask)t), k,
                            v[k], want[t][k]);
                fail();
            }
    }
    int32_t one = -1;
    assert_true(tm_selection_task_counts(sel, TM_TASK_TRAINING, NULL, NULL, &one, NULL, NULL));
    assert_int_equal(one, 1);
    assert_false(tm_selection_task_counts(sel, (TmTask)TM_N_TASKS, &one, NULL, NULL, NULL, NULL));
    assert_int_equal(one, 0);
    one = -1;
    assert_false(tm_selection_task_counts(sel, (TmTask)-1, NULL, NULL, NULL, NULL, &one));
    assert_int_equal(one, 0);
    assert_false(tm_selection_task_counts(NULL, TM_TASK_TRAINING, &one, NULL, NULL, NULL,
                                          NULL));

    char *md = tm_selection_report_markdown(sel, &err);
    assert_no_error(err);
    assert_non_null(strstr(md, "\n## Tasks (主要任务)\n"));
    assert_non_null(strstr(md, "\n| training | 人才培养 | talent training | 2 | 2 | 1 | 2 | 2 |\n"));
    assert_non_null(strstr(md, "\n| health | 社区卫生服务 | community health services | 1 | 0 | 0 | "
                               "1 | 1 |\n"));
    assert_non_null(strstr(md, "\n| strategy | 创新战略与管理 | innovation strategy and management "
                               "| 0 | 0 | 0 | 0 | 0 |\n"));
    assert_null(strstr(md, "No site asked for"));
    g_free(md);
    tm_selection_free(sel);

    /* without any task bits: the table of zeros and a line saying why */
    TmProgramme *q = tm_programme_new(NULL);
    TmSite s = tr_site("s");
    tr_add_s(q, &s);
    TmCommissioner c = expert("c", EXP_EIT3);
    tr_add_c(q, &c);
    sel = tm_programme_select(q, r, NULL, NULL, &err);
    assert_no_error(err);
    md = tm_selection_report_markdown(sel, &err);
    assert_non_null(strstr(md, "| key_rd | 关键技术研发 | joint R&amp;D on key technologies | 0 | 0 "
                               "| 0 | 0 | 0 |"));
    assert_non_null(strstr(md, "No site asked for and no commissioner offered a task type"));
    g_free(md);
    tm_selection_free(sel);
    tm_programme_free(q);
    tm_rules_free(r);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_and_defaults),
        cmocka_unit_test(test_term_and_tasks_components),
        cmocka_unit_test(test_weights_keys),
        cmocka_unit_test(test_s_sector),
        cmocka_unit_test(test_s_sector_taxonomy),
        cmocka_unit_test(test_c_direction),
        cmocka_unit_test(test_config_keys),
        cmocka_unit_test(test_fault_commissioner_rules),
        cmocka_unit_test(test_fault_site_and_pair_rules),
        cmocka_unit_test(test_fault_null_cases),
        cmocka_unit_test(test_fault_agrees_with_masks),
        cmocka_unit_test(test_task_counts_and_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
