/* rules.h: catalogue, every rule (enabled / disabled / parameters), first
 * failing code and masks, screening counts, pair rules, configuration files
 * and every parse error path, setters, round trip. */
#include "rules_testutil.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

/* ---- catalogue --------------------------------------------------------- */

static void test_catalogue(void **state)
{
    (void)state;
    static const char *const codes[] = { "C_TITLE", "C_UNIT", "C_SUPPORT", "C_DIRECTION",
                                         "C_YEARS", "S_KIND", "S_CLINIC", "P_SECTOR",
                                         "P_YEARS", "P_TITLE", "P_DISTANCE", "S_SECTOR" };
    assert_int_equal(tm_rules_n_rules(), 12);
    for (int32_t i = 0; i < 12; i++) {
        assert_string_equal(tm_rule_code(i), codes[i]);
        assert_non_null(tm_rule_summary(i));
        assert_true(strlen(tm_rule_summary(i)) > 20);
        assert_null(strchr(tm_rule_summary(i), '\n'));
        assert_non_null(tm_rule_summary_zh(i));
        assert_true(g_utf8_validate(tm_rule_summary_zh(i), -1, NULL));
        assert_true(strlen(tm_rule_summary_zh(i)) > 6);
        assert_int_equal(tm_rule_find(codes[i]), i);
        int scope = codes[i][0] == 'C' ? TM_RULE_SCOPE_COMMISSIONER
                    : codes[i][0] == 'S' ? TM_RULE_SCOPE_SITE : TM_RULE_SCOPE_PAIR;
        assert_int_equal(tm_rule_scope(i), scope);
    }
    assert_int_equal(tm_rule_find("p_distance"), 10);
    assert_int_equal(tm_rule_find("NOPE"), -1);
    assert_int_equal(tm_rule_find(NULL), -1);
    assert_null(tm_rule_code(-1));
    assert_null(tm_rule_code(12));
    assert_null(tm_rule_summary(12));
    assert_null(tm_rule_summary_zh(-1));
    assert_int_equal(tm_rule_scope(12), -1);
    char *s = tm_rules_mask_codes((1u << 0) | (1u << 4) | (1u << 10));
    assert_string_equal(s, "C_TITLE;C_YEARS;P_DISTANCE");
    g_free(s);
    s = tm_rules_mask_codes(0);
    assert_string_equal(s, "");
    g_free(s);
}

static void test_defaults(void **state)
{
    (void)state;
    TmRules *r = tm_rules_new_default();
    for (int32_t i = 0; i < tm_rules_n_rules(); i++)
        assert_int_equal(tm_rules_is_enabled(r, tm_rule_code(i)),
                         strcmp(tm_rule_code(i), "P_DISTANCE") != 0
                             && strcmp(tm_rule_code(i), "C_YEARS") != 0);
    assert_false(tm_rules_is_enabled(r, "NOPE"));
    assert_false(tm_rules_is_enabled(NULL, "C_TITLE"));
    assert_int_equal(tm_rules_min_title(r), TM_TITLE_INTERMEDIATE);
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_UNIVERSITY));
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_INSTITUTE));
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_PUBLIC));
    assert_false(tm_rules_unit_allowed(r, TM_UNIT_ENTERPRISE));
    assert_false(tm_rules_unit_allowed(r, TM_UNIT_OTHER));
    int32_t lo, hi;
    tm_rules_years_range(r, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 2);
    for (int k = 0; k < TM_N_SITE_KINDS; k++)
        assert_int_equal(tm_rules_site_kind_eligible(r, (TmSiteKind)k), k != TM_SITE_OTHER);
    assert_int_equal(tm_rules_min_level(r), 1);
    assert_true(tm_rules_max_km(r) == 20.0);
    assert_true(tm_rules_distance_scale(r) == 20.0);
    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    assert_int_equal(cp.k, -1);
    assert_int_equal(cp.site_k, -1);
    assert_true(cp.exact_limit == 10000000);
    assert_int_equal(cp.auto_k, 50);
    TmRules *c = tm_rules_copy(r);
    assert_non_null(c);
    char *a = tm_rules_to_data(r, NULL), *b = tm_rules_to_data(c, NULL);
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
    tm_rules_free(c);
    tm_rules_free(r);
    tm_rules_free(NULL);
    assert_null(tm_rules_copy(NULL));
}

/* ---- commissioner and site rules -------------------------------------- */

typedef struct {
    TmProgramme *p;
    TmRules *r;
} Fx;

static TmExpertise EXP_FOOD2[] = { { 2, 2 } };

static int setup(void **state)
{
    Fx *f = g_new0(Fx, 1);
    f->p = tm_programme_new(NULL);
    f->r = tm_rules_new_default();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    tm_programme_free(f->p);
    tm_rules_free(f->r);
    g_free(f);
    return 0;
}

static TmCommissioner good_comm(const char *name)
{
    TmCommissioner c = tr_comm(name);
    c.expertise = EXP_FOOD2;
    c.n_expertise = 1;
    return c;
}

/* screens and returns the commissioner reason of @id (NULL eligible) */
static const char *c_reason(Fx *f, int32_t id, uint32_t *mask)
{
    GError *err = NULL;
    TmScreening *s = tm_programme_screen(f->p, f->r, &err);
    assert_no_error(err);
    const char *why = tm_screening_commissioner_reason(s, id);
    assert_int_equal(tm_screening_is_eligible(s, TM_SIDE_SUPPLY, id), why == NULL);
    if (mask)
        *mask = tm_screening_failures(s, TM_SIDE_SUPPLY, id);
    tm_screening_free(s);
    return why;
}

static const char *s_reason(Fx *f, int32_t id)
{
    GError *err = NULL;
    TmScreening *s = tm_programme_screen(f->p, f->r, &err);
    assert_no_error(err);
    const char *why = tm_screening_site_reason(s, id);
    assert_int_equal(tm_screening_is_eligible(s, TM_SIDE_DEMAND, id), why == NULL);
    tm_screening_free(s);
    return why;
}

#define assert_reason(got, want)                                                     \
    do {                                                                             \
        const char *g_ = (got), *w_ = (want);                                        \
        if (w_ == NULL)                                                              \
            assert_null(g_);                                                         \
        else {                                                                       \
            assert_non_null(g_);                                                     \
            assert_string_equal(g_, w_);                                             \
        }                                                                            \
    } while (0)

static void test_c_title(void **state)
{
    Fx *f = *state;
    TmCommissioner c = good_comm("a");
    c.title = TM_TITLE_JUNIOR;
    int32_t junior = tr_add_c(f->p, &c);
    c = good_comm("b");
    c.title = TM_TITLE_INTERMEDIATE;
    int32_t mid = tr_add_c(f->p, &c);
    c = good_comm("c");
    int32_t senior = tr_add_c(f->p, &c);
    assert_reason(c_reason(f, junior, NULL), "C_TITLE");
    assert_reason(c_reason(f, mid, NULL), NULL);
    assert_reason(c_reason(f, senior, NULL), NULL);
    GError *err = NULL;
    assert_true(tm_rules_set_min_title(f->r, TM_TITLE_SENIOR, &err));
    assert_reason(c_reason(f, mid, NULL), "C_TITLE");
    assert_reason(c_reason(f, senior, NULL), NULL);
    assert_true(tm_rules_set_enabled(f->r, "C_TITLE", FALSE, &err));
    assert_reason(c_reason(f, junior, NULL), NULL);
    assert_false(tm_rules_set_min_title(f->r, (TmTitle)7, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_min_title(NULL, TM_TITLE_NONE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
}

static void test_c_unit(void **state)
{
    Fx *f = *state;
    int32_t ids[TM_N_UNIT_KINDS];
    for (int k = 0; k < TM_N_UNIT_KINDS; k++) {
        char name[8];
        g_snprintf(name, sizeof name, "u%d", k);
        TmCommissioner c = good_comm(name);
        c.unit_kind = (TmUnitKind)k;
        ids[k] = tr_add_c(f->p, &c);
    }
    for (int k = 0; k < TM_N_UNIT_KINDS; k++)
        assert_reason(c_reason(f, ids[k], NULL), k <= TM_UNIT_PUBLIC ? NULL : "C_UNIT");
    GError *err = NULL;
    assert_true(tm_rules_set_unit_allowed(f->r, TM_UNIT_ENTERPRISE, TRUE, &err));
    assert_true(tm_rules_set_unit_allowed(f->r, TM_UNIT_PUBLIC, FALSE, &err));
    assert_reason(c_reason(f, ids[TM_UNIT_ENTERPRISE], NULL), NULL);
    assert_reason(c_reason(f, ids[TM_UNIT_PUBLIC], NULL), "C_UNIT");
    assert_true(tm_rules_set(f->r, "C_UNIT.allowed", "other", &err));
    assert_no_error(err);
    assert_reason(c_reason(f, ids[TM_UNIT_OTHER], NULL), NULL);
    assert_reason(c_reason(f, ids[TM_UNIT_UNIVERSITY], NULL), "C_UNIT");
    assert_true(tm_rules_set(f->r, "C_UNIT", "off", &err));
    assert_reason(c_reason(f, ids[TM_UNIT_UNIVERSITY], NULL), NULL);
    assert_false(tm_rules_set_unit_allowed(f->r, (TmUnitKind)9, TRUE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_unit_allowed(f->r, (TmUnitKind)9));
}

static void test_c_support(void **state)
{
    Fx *f = *state;
    TmCommissioner c = good_comm("a");
    c.unit_support = FALSE;
    int32_t a = tr_add_c(f->p, &c);
    assert_reason(c_reason(f, a, NULL), "C_SUPPORT");
    GError *err = NULL;
    assert_true(tm_rules_set_enabled(f->r, "c_support", FALSE, &err));
    assert_reason(c_reason(f, a, NULL), NULL);
}

static void test_c_direction(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    TmCommissioner c = tr_comm("none"); /* no expertise, no wish */
    int32_t none = tr_add_c(f->p, &c);
    TmExpertise zero[] = { { 1, 0 } };
    c = tr_comm("zero");
    c.expertise = zero;
    c.n_expertise = 1;
    int32_t z = tr_add_c(f->p, &c);
    const char *wish[] = { "s0" };
    c = tr_comm("wisher");
    c.ranked_sites = wish;
    c.n_ranked_sites = 1;
    int32_t w = tr_add_c(f->p, &c);
    c = good_comm("expert");
    int32_t e = tr_add_c(f->p, &c);
    assert_reason(c_reason(f, none, NULL), "C_DIRECTION");
    assert_reason(c_reason(f, z, NULL), "C_DIRECTION");
    assert_reason(c_reason(f, w, NULL), "C_DIRECTION"); /* a wish is no direction */
    assert_reason(c_reason(f, e, NULL), NULL);
    assert_true(tm_rules_set_enabled(f->r, "C_DIRECTION", FALSE, &err));
    assert_reason(c_reason(f, none, NULL), NULL);
}

static void test_c_years(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    int32_t ids[5];
    for (int y = 0; y < 5; y++) {
        char name[8];
        g_snprintf(name, sizeof name, "y%d", y);
        TmCommissioner c = good_comm(name);
        c.years = y;
        ids[y] = tr_add_c(f->p, &c);
    }
    for (int y = 0; y < 5; y++) /* off by default (issue 10) */
        assert_reason(c_reason(f, ids[y], NULL), NULL);
    assert_true(tm_rules_set_enabled(f->r, "C_YEARS", TRUE, &err));
    for (int y = 0; y < 5; y++)
        assert_reason(c_reason(f, ids[y], NULL), y >= 1 && y <= 2 ? NULL : "C_YEARS");
    assert_true(tm_rules_set_years_range(f->r, 2, 4, &err));
    for (int y = 0; y < 5; y++)
        assert_reason(c_reason(f, ids[y], NULL), y >= 2 ? NULL : "C_YEARS");
    assert_false(tm_rules_set_years_range(f->r, 3, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_years_range(f->r, -1, 2, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_years_range(f->r, 0, 11, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    int32_t lo, hi;
    tm_rules_years_range(f->r, &lo, &hi);
    assert_int_equal(lo, 2);
    assert_int_equal(hi, 4);
    assert_true(tm_rules_set_enabled(f->r, "C_YEARS", FALSE, &err));
    assert_reason(c_reason(f, ids[0], NULL), NULL);
}

static void test_first_failing_and_counts(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    TmCommissioner c = good_comm("bad2");
    c.unit_kind = TM_UNIT_ENTERPRISE;
    c.years = 5;
    int32_t a = tr_add_c(f->p, &c);
    c = good_comm("bad3");
    c.title = TM_TITLE_NONE;
    c.unit_support = FALSE;
    c.years = 0;
    int32_t b = tr_add_c(f->p, &c);
    c = good_comm("ok");
    int32_t ok = tr_add_c(f->p, &c);
    TmSite s = tr_site("other");
    s.kind = TM_SITE_OTHER;
    int32_t so = tr_add_s(f->p, &s);
    s = tr_site("good");
    int32_t sg = tr_add_s(f->p, &s);
    uint32_t mask = 0;
    assert_true(tm_rules_set_enabled(f->r, "C_YEARS", TRUE, &err)); /* off by default */
    assert_reason(c_reason(f, a, &mask), "C_UNIT");
    assert_int_equal(mask, (1u << 1) | (1u << 4));
    assert_reason(c_reason(f, b, &mask), "C_TITLE");
    assert_int_equal(mask, (1u << 0) | (1u << 2) | (1u << 4));
    char *codes = tm_rules_mask_codes(mask);
    assert_string_equal(codes, "C_TITLE;C_SUPPORT;C_YEARS");
    g_free(codes);
    assert_reason(c_reason(f, ok, &mask), NULL);
    assert_int_equal(mask, 0);

    TmScreening *scr = tm_programme_screen(f->p, f->r, &err);
    assert_no_error(err);
    assert_int_equal(tm_screening_n_agents(scr, TM_SIDE_SUPPLY), 3);
    assert_int_equal(tm_screening_n_agents(scr, TM_SIDE_DEMAND), 2);
    assert_int_equal(tm_screening_n_eligible(scr, TM_SIDE_SUPPLY), 1);
    assert_int_equal(tm_screening_n_eligible(scr, TM_SIDE_DEMAND), 1);
    assert_int_equal(tm_screening_n_failing(scr, "C_YEARS"), 2);
    assert_int_equal(tm_screening_n_first_failing(scr, "C_YEARS"), 0);
    assert_int_equal(tm_screening_n_first_failing(scr, "C_UNIT"), 1);
    assert_int_equal(tm_screening_n_first_failing(scr, "C_TITLE"), 1);
    assert_int_equal(tm_screening_n_failing(scr, "C_SUPPORT"), 1);
    assert_int_equal(tm_screening_n_failing(scr, "S_KIND"), 1);
    assert_int_equal(tm_screening_n_first_failing(scr, "s_kind"), 1);
    assert_int_equal(tm_screening_n_failing(scr, "P_TITLE"), 0);
    assert_int_equal(tm_screening_n_failing(scr, "NOPE"), -1);
    assert_int_equal(tm_screening_n_first_failing(NULL, "C_TITLE"), -1);
    assert_reason(tm_screening_site_reason(scr, so), "S_KIND");
    assert_reason(tm_screening_site_reason(scr, sg), NULL);
    assert_int_equal(tm_screening_failures(scr, TM_SIDE_DEMAND, so), 1u << 5);
    /* out of range */
    assert_null(tm_screening_reason(scr, TM_SIDE_SUPPLY, 3));
    assert_null(tm_screening_reason(scr, TM_SIDE_SUPPLY, -1));
    assert_null(tm_screening_reason(scr, (TmSide)5, 0));
    assert_false(tm_screening_is_eligible(scr, TM_SIDE_DEMAND, 2));
    assert_int_equal(tm_screening_failures(scr, TM_SIDE_DEMAND, 9), 0);
    assert_int_equal(tm_screening_n_agents(NULL, TM_SIDE_SUPPLY), 0);
    assert_int_equal(tm_screening_n_eligible(scr, (TmSide)3), 0);
    tm_screening_free(scr);
    tm_screening_free(NULL);

    assert_null(tm_programme_screen(NULL, f->r, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_null(tm_programme_screen(f->p, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
}

static void test_s_kind_and_clinic(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    int32_t ids[TM_N_SITE_KINDS];
    for (int k = 0; k < TM_N_SITE_KINDS; k++) {
        char name[8];
        g_snprintf(name, sizeof name, "k%d", k);
        TmSite s = tr_site(name);
        s.kind = (TmSiteKind)k;
        s.has_clinic = FALSE;
        ids[k] = tr_add_s(f->p, &s);
    }
    TmSite s = tr_site("clinic");
    s.kind = TM_SITE_COMMUNITY;
    s.has_clinic = TRUE;
    int32_t clinic = tr_add_s(f->p, &s);
    for (int k = 0; k < TM_N_SITE_KINDS; k++)
        assert_reason(s_reason(f, ids[k]), k == TM_SITE_OTHER       ? "S_KIND"
                                            : k == TM_SITE_COMMUNITY ? "S_CLINIC"
                                                                     : NULL);
    assert_reason(s_reason(f, clinic), NULL);
    /* S_KIND is checked before S_CLINIC */
    assert_true(tm_rules_set_site_kind_eligible(f->r, TM_SITE_COMMUNITY, FALSE, &err));
    assert_reason(s_reason(f, ids[TM_SITE_COMMUNITY]), "S_KIND");
    assert_reason(s_reason(f, clinic), "S_KIND");
    assert_true(tm_rules_set_site_kind_eligible(f->r, TM_SITE_OTHER, TRUE, &err));
    assert_reason(s_reason(f, ids[TM_SITE_OTHER]), NULL);
    assert_true(tm_rules_set(f->r, "S_KIND.eligible", "park; village", &err));
    assert_no_error(err);
    assert_reason(s_reason(f, ids[TM_SITE_PARK]), NULL);
    assert_reason(s_reason(f, ids[TM_SITE_HIGH_TECH]), "S_KIND");
    assert_true(tm_rules_set_enabled(f->r, "S_KIND", FALSE, &err));
    assert_reason(s_reason(f, ids[TM_SITE_HIGH_TECH]), NULL);
    assert_reason(s_reason(f, ids[TM_SITE_COMMUNITY]), "S_CLINIC");
    assert_true(tm_rules_set_enabled(f->r, "S_CLINIC", FALSE, &err));
    assert_reason(s_reason(f, ids[TM_SITE_COMMUNITY]), NULL);
    assert_false(tm_rules_set_site_kind_eligible(f->r, (TmSiteKind)8, TRUE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_site_kind_eligible(f->r, (TmSiteKind)-1));
}

/* ---- pair rules ----------------------------------------------------------- */

static void test_pair_rules(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    TmExpertise e[] = { { 0, 1 }, { 3, 3 } };
    TmCommissioner c = tr_comm("c");
    c.expertise = e;
    c.n_expertise = 2;
    c.title = TM_TITLE_INTERMEDIATE;
    c.years = 1;
    c.x = 0;
    c.y = 0;
    int32_t ci = tr_add_c(f->p, &c);
    c = tr_comm("nowhere");
    c.expertise = e;
    c.n_expertise = 2;
    int32_t cn = tr_add_c(f->p, &c);

    TmSite s = tr_site("ok"); /* sector 0, level 1 */
    s.x = 3;
    s.y = 4; /* 5 km */
    int32_t ok = tr_add_s(f->p, &s);
    s = tr_site("sector");
    s.sector = 1; /* level 0 */
    int32_t sec = tr_add_s(f->p, &s);
    s = tr_site("years");
    s.years = 2;
    int32_t yrs = tr_add_s(f->p, &s);
    s = tr_site("title");
    s.min_title = TM_TITLE_SENIOR;
    int32_t tit = tr_add_s(f->p, &s);
    s = tr_site("far");
    s.x = 30;
    s.y = 40; /* 50 km */
    s.sector = 3;
    int32_t far = tr_add_s(f->p, &s);
    s = tr_site("all"); /* fails every pair rule */
    s.sector = 1;
    s.years = 3;
    s.min_title = TM_TITLE_SENIOR;
    s.x = 100;
    s.y = 0;
    int32_t all = tr_add_s(f->p, &s);

    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, ok), NULL);
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, sec), "P_SECTOR");
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, yrs), "P_YEARS");
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, tit), "P_TITLE");
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, far), NULL); /* P_DISTANCE off */
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, all), "P_SECTOR");
    assert_int_equal(tm_rules_pair_failures(f->p, f->r, ci, all),
                     (1u << 7) | (1u << 8) | (1u << 9));
    assert_true(tm_rules_set_enabled(f->r, "P_DISTANCE", TRUE, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, far), "P_DISTANCE");
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, ok), NULL);
    assert_reason(tm_rules_pair_reason(f->p, f->r, cn, far), NULL); /* no location: passes */
    assert_int_equal(tm_rules_pair_failures(f->p, f->r, ci, all), 0xFu << 7);
    assert_true(tm_rules_set_max_km(f->r, 4.5, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, ok), "P_DISTANCE");
    assert_true(tm_rules_set(f->r, "P_DISTANCE.max_km", "50", &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, far), NULL); /* exactly 50 */
    assert_false(tm_rules_set_max_km(f->r, -1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_max_km(f->r, INFINITY, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);

    /* P_SECTOR.min_level */
    assert_true(tm_rules_set_min_level(f->r, 2, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, ok), "P_SECTOR");
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, far), NULL); /* level 3 */
    assert_true(tm_rules_set_min_level(f->r, 0, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, sec), NULL);
    assert_false(tm_rules_set_min_level(f->r, 4, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_rules_min_level(f->r), 0);

    /* switching each off */
    assert_true(tm_rules_set_min_level(f->r, 1, &err));
    assert_true(tm_rules_set_enabled(f->r, "P_SECTOR", FALSE, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, sec), NULL);
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, all), "P_YEARS");
    assert_true(tm_rules_set_enabled(f->r, "P_YEARS", FALSE, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, yrs), NULL);
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, all), "P_TITLE");
    assert_true(tm_rules_set_enabled(f->r, "P_TITLE", FALSE, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, tit), NULL);
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, all), "P_DISTANCE");
    assert_true(tm_rules_set_enabled(f->r, "P_DISTANCE", FALSE, &err));
    assert_reason(tm_rules_pair_reason(f->p, f->r, ci, all), NULL);

    /* bad arguments */
    assert_string_equal(tm_rules_pair_reason(f->p, f->r, 9, ok), "INVALID");
    assert_string_equal(tm_rules_pair_reason(f->p, f->r, ci, -1), "INVALID");
    assert_string_equal(tm_rules_pair_reason(NULL, f->r, ci, ok), "INVALID");
    assert_string_equal(tm_rules_pair_reason(f->p, NULL, ci, ok), "INVALID");
    assert_int_equal(tm_rules_pair_failures(f->p, f->r, 9, 0), 0);
}

static void test_set_enabled_errors(void **state)
{
    Fx *f = *state;
    GError *err = NULL;
    assert_false(tm_rules_set_enabled(f->r, "C_NOPE", TRUE, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "C_NOPE"));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_enabled(f->r, NULL, TRUE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_enabled(NULL, "C_TITLE", TRUE, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    /* NULL error pointer is fine */
    assert_false(tm_rules_set_enabled(f->r, "C_NOPE", TRUE, NULL));
    assert_false(tm_rules_set(f->r, NULL, "x", &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set(f->r, "C_TITLE", NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set(f->r, "C_YEARS.min", "3", &err)); /* would exceed max 2 */
    assert_tm_error(err, TM_ERROR_PARSE);
    int32_t lo, hi;
    tm_rules_years_range(f->r, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_true(tm_rules_set(f->r, "C_YEARS.max", "4", &err));
    assert_true(tm_rules_set(f->r, "C_YEARS.min", "3", &err));
    tm_rules_years_range(f->r, &lo, &hi);
    assert_int_equal(lo, 3);
    assert_int_equal(hi, 4);
}

/* ---- configuration files -------------------------------------------------- */

static const char *FULL_CONFIG =
    "# a complete configuration\n"
    "[rules]\n"
    "C_TITLE=true\n"
    "C_TITLE.min_title=高级\n"
    "C_UNIT.allowed=university;institute\n"
    "C_SUPPORT=false\n"
    "C_DIRECTION=1\n"
    "C_YEARS.min=2\n"
    "C_YEARS.max=3\n"
    "S_KIND.eligible=high_tech;community;other\n"
    "S_CLINIC=no\n"
    "P_SECTOR.min_level=2\n"
    "P_DISTANCE=true\n"
    "P_DISTANCE.max_km=15.5\n"
    "\n"
    "[weights.commissioner]\n"
    "sector=1\n"
    "tags=0.5\n"
    "merit=2\n"
    "[weights.site]\n"
    "title=4\n"
    "distance=0\n"
    "[scoring]\n"
    "distance_scale_km=7.5\n"
    "[candidates]\n"
    "k=25\n"
    "site_k=0\n"
    "exact_limit=1000\n"
    "auto_k=7\n"
    "budget=3\n"
    "site_budget=4\n"
    "seed=18446744073709551615\n"
    "[quota]\n"
    "total=30\n"
    "[sector.food]\n"
    "cap=5\n"
    "whatever=ignored\n";

static void check_full(const TmRules *r)
{
    assert_int_equal(tm_rules_min_title(r), TM_TITLE_SENIOR);
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_UNIVERSITY));
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_INSTITUTE));
    assert_false(tm_rules_unit_allowed(r, TM_UNIT_PUBLIC));
    assert_false(tm_rules_is_enabled(r, "C_SUPPORT"));
    assert_true(tm_rules_is_enabled(r, "C_DIRECTION"));
    int32_t lo, hi;
    tm_rules_years_range(r, &lo, &hi);
    assert_int_equal(lo, 2);
    assert_int_equal(hi, 3);
    assert_true(tm_rules_site_kind_eligible(r, TM_SITE_OTHER));
    assert_true(tm_rules_site_kind_eligible(r, TM_SITE_COMMUNITY));
    assert_false(tm_rules_site_kind_eligible(r, TM_SITE_PARK));
    assert_false(tm_rules_is_enabled(r, "S_CLINIC"));
    assert_int_equal(tm_rules_min_level(r), 2);
    assert_true(tm_rules_is_enabled(r, "P_DISTANCE"));
    assert_true(tm_rules_max_km(r) == 15.5);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_SECTOR) == 1);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_TAGS) == 0.5);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_MERIT) == 2);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, TM_SCORE_DISTANCE) == 2); /* default kept */
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TITLE) == 4);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_DISTANCE) == 0);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_SECTOR) == 3);
    assert_true(tm_rules_distance_scale(r) == 7.5);
    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    assert_int_equal(cp.k, 25);
    assert_int_equal(cp.site_k, 0);
    assert_true(cp.exact_limit == 1000);
    assert_int_equal(cp.auto_k, 7);
    assert_int_equal(cp.budget, 3);
    assert_int_equal(cp.site_budget, 4);
    assert_true(cp.seed == G_MAXUINT64);
}

static void test_config_full(void **state)
{
    (void)state;
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_load_data(r, FULL_CONFIG, -1, "full.ini", &err));
    assert_no_error(err);
    check_full(r);
    /* round trip */
    gsize len = 0;
    char *text = tm_rules_to_data(r, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    TmRules *r2 = tm_rules_new_default();
    assert_true(tm_rules_load_data(r2, text, (gssize)len, NULL, &err));
    assert_no_error(err);
    check_full(r2);
    char *text2 = tm_rules_to_data(r2, NULL);
    assert_string_equal(text, text2);
    g_free(text);
    g_free(text2);
    /* defaults round trip too (k=auto, site_k=same) */
    TmRules *d = tm_rules_new_default();
    text = tm_rules_to_data(d, NULL);
    assert_non_null(strstr(text, "k=auto"));
    assert_non_null(strstr(text, "site_k=same"));
    assert_true(tm_rules_load_data(r2, text, -1, NULL, &err));
    assert_no_error(err);
    text2 = tm_rules_to_data(r2, NULL);
    assert_string_equal(text, text2);
    g_free(text);
    g_free(text2);
    assert_null(tm_rules_to_data(NULL, &len));
    assert_int_equal(len, 0);
    tm_rules_free(d);
    tm_rules_free(r2);
    tm_rules_free(r);
}

static void test_config_file(void **state)
{
    (void)state;
    GError *err = NULL;
    char *dir = g_dir_make_tmp("tm_rules_XXXXXX", NULL);
    assert_non_null(dir);
    char *path = g_build_filename(dir, "rules.ini", NULL);
    assert_true(g_file_set_contents(path, FULL_CONFIG, -1, NULL));
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_load_file(r, path, &err));
    assert_no_error(err);
    check_full(r);
    /* an error message names the file */
    assert_true(g_file_set_contents(path, "[rules]\nC_TITLE=maybe\n", -1, NULL));
    assert_false(tm_rules_load_file(r, path, &err));
    assert_non_null(err);
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_non_null(strstr(err->message, "rules.ini"));
    assert_non_null(strstr(err->message, "[rules]"));
    assert_non_null(strstr(err->message, "C_TITLE"));
    g_clear_error(&err);
    check_full(r); /* unchanged */
    g_unlink(path);
    assert_false(tm_rules_load_file(r, path, &err));
    assert_tm_error(err, TM_ERROR_IO);
    assert_false(tm_rules_load_file(r, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_load_file(NULL, path, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_load_data(r, NULL, -1, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    tm_rules_free(r);
}

typedef struct {
    const char *text;
    const char *group;  /* expected in the message (NULL: not checked) */
    const char *key;
} BadCase;

static const BadCase BAD[] = {
    { "not a key file\n", NULL, NULL },
    { "[rules\nC_TITLE=true\n", NULL, NULL },
    { "[rules]\nC_NOPE=true\n", "[rules]", "C_NOPE" },
    { "[rules]\nc_title=true\n", "[rules]", "c_title" },   /* codes are exact in files */
    { "[rules]\nC_TITLE=maybe\n", "[rules]", "C_TITLE" },
    { "[rules]\nC_TITLE=\n", "[rules]", "C_TITLE" },
    { "[rules]\nC_TITLE.min=senior\n", "[rules]", "C_TITLE.min" },
    { "[rules]\nC_TITLE.min_title=wizard\n", "[rules]", "C_TITLE.min_title" },
    { "[rules]\nC_UNIT.allowed=university;factory\n", "[rules]", "C_UNIT.allowed" },
    { "[rules]\nC_UNIT.denied=university\n", "[rules]", "C_UNIT.denied" },
    { "[rules]\nC_SUPPORT.level=1\n", "[rules]", "C_SUPPORT.level" },
    { "[rules]\nC_YEARS.min=one\n", "[rules]", "C_YEARS.min" },
    { "[rules]\nC_YEARS.max=11\n", "[rules]", "C_YEARS.max" },
    { "[rules]\nC_YEARS.min=-1\n", "[rules]", "C_YEARS.min" },
    { "[rules]\nC_YEARS.min=1.5\n", "[rules]", "C_YEARS.min" },
    { "[rules]\nC_YEARS.min=3\nC_YEARS.max=2\n", "[rules]", "C_YEARS" },
    { "[rules]\nS_KIND.eligible=castle\n", "[rules]", "S_KIND.eligible" },
    { "[rules]\nP_SECTOR.min_level=4\n", "[rules]", "P_SECTOR.min_level" },
    { "[rules]\nP_SECTOR.min_level=x\n", "[rules]", "P_SECTOR.min_level" },
    { "[rules]\nP_DISTANCE.max_km=-3\n", "[rules]", "P_DISTANCE.max_km" },
    { "[rules]\nP_DISTANCE.max_km=far\n", "[rules]", "P_DISTANCE.max_km" },
    { "[rules]\nP_DISTANCE.max_km=inf\n", "[rules]", "P_DISTANCE.max_km" },
    { "[rules]\nP_DISTANCE.max_km=nan\n", "[rules]", "P_DISTANCE.max_km" },
    { "[rules]\n.max_km=3\n", "[rules]", ".max_km" },
    { "[weights.commissioner]\nluck=1\n", "[weights.commissioner]", "luck" },
    { "[weights.site]\nsector=-1\n", "[weights.site]", "sector" },
    { "[weights.site]\ntags=lots\n", "[weights.site]", "tags" },
    { "[scoring]\ndistance_scale_km=0\n", "[scoring]", "distance_scale_km" },
    { "[scoring]\nscale=3\n", "[scoring]", "scale" },
    { "[candidates]\nk=-2\n", "[candidates]", "k" },
    { "[candidates]\nk=many\n", "[candidates]", "k" },
    { "[candidates]\nsite_k=auto\n", "[candidates]", "site_k" },
    { "[candidates]\nexact_limit=-1\n", "[candidates]", "exact_limit" },
    { "[candidates]\nauto_k=0\n", "[candidates]", "auto_k" },
    { "[candidates]\nbudget=-1\n", "[candidates]", "budget" },
    { "[candidates]\nsite_budget=1e3\n", "[candidates]", "site_budget" },
    { "[candidates]\nbudget=99999999999\n", "[candidates]", "budget" },
    { "[candidates]\nseed=-5\n", "[candidates]", "seed" },
    { "[candidates]\nseed=\n", "[candidates]", "seed" },
    { "[candidates]\nbeam=3\n", "[candidates]", "beam" },
};

static void test_config_errors(void **state)
{
    (void)state;
    TmRules *r = tm_rules_new_default();
    char *before = tm_rules_to_data(r, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(BAD); i++) {
        GError *err = NULL;
        /* a valid change first, to check all-or-nothing */
        char *text = g_strconcat("[rules]\nP_DISTANCE=true\n", BAD[i].text, NULL);
        gboolean ok = tm_rules_load_data(r, text, -1, "bad.ini", &err);
        if (ok || err == NULL || err->domain != TM_ERROR || err->code != TM_ERROR_PARSE) {
            print_error("case %zu (%s): expected a parse error, got %s\n", i, BAD[i].text,
                        err ? err->message : "success");
            fail();
        }
        assert_non_null(strstr(err->message, "bad.ini"));
        if (BAD[i].group && (!strstr(err->message, BAD[i].group)
                             || !strstr(err->message, BAD[i].key))) {
            print_error("case %zu: message '%s' lacks group %s or key %s\n", i, err->message,
                        BAD[i].group, BAD[i].key);
            fail();
        }
        g_clear_error(&err);
        g_free(text);
        char *after = tm_rules_to_data(r, NULL);
        assert_string_equal(before, after); /* unchanged */
        g_free(after);
    }
    /* default source name */
    GError *err = NULL;
    assert_false(tm_rules_load_data(r, "[rules]\nX=1\n", -1, NULL, &err));
    assert_non_null(err);
    assert_non_null(strstr(err->message, "<data>"));
    g_clear_error(&err);
    /* explicit length: the rest of the buffer is not read */
    assert_true(tm_rules_load_data(r, "[rules]\nP_YEARS=false\nGARBAGE", 22, NULL, &err));
    assert_no_error(err);
    assert_false(tm_rules_is_enabled(r, "P_YEARS"));
    /* foreign groups only: nothing changes, no error */
    assert_true(tm_rules_load_data(r, "[quota]\ntotal=3\n[sector.eit]\nfloor=1\n", -1, NULL,
                                   &err));
    assert_no_error(err);
    /* empty data is fine */
    assert_true(tm_rules_load_data(r, "", 0, NULL, &err));
    assert_no_error(err);
    g_free(before);
    tm_rules_free(r);
}

static void test_weight_and_candidate_setters(void **state)
{
    (void)state;
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT, 0.25, &err));
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT) == 0.25);
    assert_false(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT, -1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_weight(r, TM_SIDE_DEMAND, TM_SCORE_MERIT, NAN, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_weight(r, (TmSide)2, TM_SCORE_MERIT, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_rules_set_weight(r, TM_SIDE_SUPPLY, (TmScoreComponent)8, 1, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, (TmScoreComponent)8) == -1);
    assert_true(tm_rules_weight(NULL, TM_SIDE_SUPPLY, TM_SCORE_SECTOR) == -1);
    assert_true(tm_rules_set_distance_scale(r, 3, &err));
    assert_true(tm_rules_distance_scale(r) == 3);
    assert_false(tm_rules_set_distance_scale(r, 0, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    for (int i = 0; i < TM_N_SCORE_COMPONENTS; i++)
        assert_non_null(tm_score_component_name((TmScoreComponent)i));
    assert_string_equal(tm_score_component_name(TM_SCORE_DISTANCE), "distance");
    assert_null(tm_score_component_name((TmScoreComponent)8));

    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    cp.k = 10;
    cp.seed = 99;
    assert_true(tm_rules_set_candidates(r, &cp, &err));
    TmCandidateParams back;
    tm_rules_get_candidates(r, &back);
    assert_int_equal(back.k, 10);
    assert_true(back.seed == 99);
    TmCandidateParams bad[7];
    for (int i = 0; i < 7; i++)
        bad[i] = cp;
    bad[0].k = -2;
    bad[1].site_k = -5;
    bad[2].exact_limit = -1;
    bad[3].auto_k = 0;
    bad[4].budget = -1;
    bad[5].site_budget = -1;
    bad[6].auto_k = -3;
    for (int i = 0; i < 7; i++) {
        assert_false(tm_rules_set_candidates(r, &bad[i], &err));
        assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    }
    tm_rules_get_candidates(r, &back);
    assert_int_equal(back.k, 10);
    assert_false(tm_rules_set_candidates(r, NULL, &err));
    assert_tm_error(err, TM_ERROR_INVALID_ARGUMENT);
    tm_rules_get_candidates(NULL, &back); /* defaults */
    assert_int_equal(back.k, -1);
    tm_rules_get_candidates(r, NULL); /* no crash */
    tm_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test_setup_teardown(test_c_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c_support, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c_years, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_failing_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s_kind_and_clinic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pair_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_enabled_errors, setup, teardown),
        cmocka_unit_test(test_config_full),
        cmocka_unit_test(test_config_file),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_weight_and_candidate_setters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
