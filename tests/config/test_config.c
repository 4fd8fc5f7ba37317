/* TmConfig: one parse of one file into rules, quota, sector limits and
 * taxonomy; FILE:LINE messages; defaults; a 7th sector end to end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#define assert_no_error(err)                                                              \
    do {                                                                                  \
        if ((err) != NULL)                                                                \
            fail_msg("unexpected error: %s", (err)->message);                             \
    } while (0)

/* Every group and key the format accepts, each set away from its default. */
static const char FULL[] =
    "# every group and key\n"                         /* 1 */
    "[rules]\n"                                       /* 2 */
    "C_TITLE=true\n"
    "S_SECTOR.leading=eit;water\n" /* the file's own taxonomy below */
    "C_TITLE.min_title=senior\n"
    "C_UNIT=true\n"
    "C_UNIT.allowed=university;enterprise\n"
    "C_SUPPORT=false\n"
    "C_DIRECTION=false\n"
    "C_YEARS=true\n"
    "C_YEARS.min=2\n"
    "C_YEARS.max=3\n"
    "S_KIND=true\n"
    "S_KIND.eligible=park;village\n"
    "S_CLINIC=false\n"
    "P_SECTOR=true\n"
    "P_SECTOR.min_level=2\n"
    "P_YEARS=false\n"
    "P_TITLE=false\n"
    "P_DISTANCE=true\n"
    "P_DISTANCE.max_km=7.5\n"
    "[weights.commissioner]\n"
    "sector=1\ntags=2\ntitle=3\nyears=4\ndistance=5\nmerit=6\nterm=7\ntasks=8\n"
    "[weights.site]\n"
    "sector=6\ntags=5\ntitle=4\nyears=3\ndistance=2\nmerit=1\nterm=0.5\ntasks=0.25\n"
    "[scoring]\n"
    "distance_scale_km=12\n"
    "[candidates]\n"
    "k=9\nsite_k=4\nexact_limit=77\nauto_k=8\nbudget=100\nsite_budget=200\nseed=42\n"
    "[quota]\n"
    "total=12\n"
    "[taxonomy]\n"
    "sectors=eit;food;water\n"
    "[sector.water]\n"
    "zh=水利\n"
    "en=water works\n"
    "cap=3\n"
    "floor=1\n"
    "[sector.eit]\n"
    "cap=none\n"
    "floor=2\n"
    "[sector.food]\n"
    "en=food industry\n";

static void test_full(void **state)
{
    (void)state;
    GError *err = NULL;
    TmConfig *c = tm_config_load_data(FULL, -1, "full.ini", &err);
    assert_no_error(err);
    assert_string_equal(tm_config_source(c), "full.ini");
    const TmRules *r = tm_config_rules(c);
    assert_int_equal(tm_rules_min_title(r), TM_TITLE_SENIOR);
    assert_true(tm_rules_unit_allowed(r, TM_UNIT_ENTERPRISE));
    assert_false(tm_rules_unit_allowed(r, TM_UNIT_INSTITUTE));
    assert_false(tm_rules_is_enabled(r, "C_SUPPORT"));
    assert_false(tm_rules_is_enabled(r, "C_DIRECTION"));
    int32_t lo, hi;
    tm_rules_years_range(r, &lo, &hi);
    assert_int_equal(lo, 2);
    assert_int_equal(hi, 3);
    assert_true(tm_rules_site_kind_eligible(r, TM_SITE_PARK));
    assert_false(tm_rules_site_kind_eligible(r, TM_SITE_HIGH_TECH));
    assert_false(tm_rules_is_enabled(r, "S_CLINIC"));
    assert_int_equal(tm_rules_min_level(r), 2);
    assert_false(tm_rules_is_enabled(r, "P_YEARS"));
    assert_false(tm_rules_is_enabled(r, "P_TITLE"));
    assert_true(tm_rules_is_enabled(r, "P_DISTANCE"));
    assert_true(tm_rules_max_km(r) == 7.5);
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        assert_true(tm_rules_weight(r, TM_SIDE_SUPPLY, k) == k + 1);
    for (int k = 0; k < 6; k++)
        assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, k) == 6 - k);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TERM) == 0.5);
    assert_true(tm_rules_weight(r, TM_SIDE_DEMAND, TM_SCORE_TASKS) == 0.25);
    assert_true(tm_rules_distance_scale(r) == 12);
    TmCandidateParams cp;
    tm_rules_get_candidates(r, &cp);
    assert_int_equal(cp.k, 9);
    assert_int_equal(cp.site_k, 4);
    assert_true(cp.exact_limit == 77);
    assert_int_equal(cp.auto_k, 8);
    assert_int_equal(cp.budget, 100);
    assert_int_equal(cp.site_budget, 200);
    assert_true(cp.seed == 42);

    const TmQuota *q = tm_config_quota(c);
    assert_int_equal(tm_quota_total(q), 12);
    int32_t cap, floor;
    assert_true(tm_quota_sector(q, "water", &cap, &floor));
    assert_int_equal(cap, 3);
    assert_int_equal(floor, 1);
    assert_true(tm_quota_sector(q, "eit", &cap, &floor));
    assert_int_equal(cap, -1);
    assert_int_equal(floor, 2);
    /* [sector.food] sets names only: an entry without limits */
    assert_true(tm_quota_sector(q, "food", &cap, &floor));
    assert_int_equal(cap, -1);
    assert_int_equal(floor, 0);
    assert_int_equal(tm_quota_n_sectors(q), 3);

    const TmTaxonomy *t = tm_config_taxonomy(c);
    assert_int_equal(tm_taxonomy_n_sectors(t), 3);
    assert_string_equal(tm_taxonomy_code(t, 0), "eit");
    assert_string_equal(tm_taxonomy_name_zh(t, 0), "电子信息"); /* the seed's names */
    assert_string_equal(tm_taxonomy_name_en(t, 1), "food industry");
    assert_string_equal(tm_taxonomy_name_zh(t, 1), "食品加工");
    assert_string_equal(tm_taxonomy_code(t, 2), "water");
    assert_string_equal(tm_taxonomy_name_zh(t, 2), "水利");
    assert_string_equal(tm_taxonomy_name_en(t, 2), "water works");

    /* the rules part equals what the rules' own loader reads from the text */
    TmRules *r2 = tm_rules_new_default();
    assert_true(tm_rules_load_data(r2, FULL, -1, "full.ini", &err));
    char *a = tm_rules_to_data(r, NULL), *b = tm_rules_to_data(r2, NULL);
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
    tm_rules_free(r2);
    /* ... and the quota what the quota's loader reads */
    TmQuota *q2 = tm_quota_new();
    assert_true(tm_quota_load_data(q2, FULL, -1, "full.ini", &err));
    assert_int_equal(tm_quota_total(q2), 12);
    assert_int_equal(tm_quota_n_sectors(q2), 3);
    for (int32_t i = 0; i < 3; i++)
        assert_string_equal(tm_quota_sector_code(q2, i), tm_quota_sector_code(q, i));
    tm_quota_free(q2);

    /* refcounting and the override */
    TmConfig *again = tm_config_ref(c);
    assert_ptr_equal(again, c);
    tm_config_free(again);
    assert_true(tm_config_set_quota_total(c, -1, &err));
    assert_int_equal(tm_quota_total(tm_config_quota(c)), -1);
    assert_false(tm_config_set_quota_total(c, -2, &err));
    g_clear_error(&err);
    assert_false(tm_config_set_quota_total(NULL, 3, &err));
    g_clear_error(&err);
    tm_config_free(c);
    tm_config_free(NULL);
}

/* The defaults are what `techmatch run` used without a configuration: the
 * default rules, a quota of 30, no sector limits, the seed's six sectors. */
static void test_defaults(void **state)
{
    (void)state;
    TmConfig *c = tm_config_new_default();
    assert_null(tm_config_source(c));
    TmRules *d = tm_rules_new_default();
    char *a = tm_rules_to_data(tm_config_rules(c), NULL), *b = tm_rules_to_data(d, NULL);
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
    assert_int_equal(TM_CONFIG_DEFAULT_QUOTA, 30);
    assert_int_equal(tm_quota_total(tm_config_quota(c)), 30);
    assert_int_equal(tm_quota_n_sectors(tm_config_quota(c)), 0);
    TmTaxonomy *seed = tm_taxonomy_new_default();
    const TmTaxonomy *t = tm_config_taxonomy(c);
    assert_int_equal(tm_taxonomy_n_sectors(t), tm_taxonomy_n_sectors(seed));
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(seed); k++) {
        assert_string_equal(tm_taxonomy_code(t, k), tm_taxonomy_code(seed, k));
        assert_string_equal(tm_taxonomy_name_zh(t, k), tm_taxonomy_name_zh(seed, k));
        assert_string_equal(tm_taxonomy_name_en(t, k), tm_taxonomy_name_en(seed, k));
    }
    tm_config_free(c);
    /* an empty file gives the defaults too; a file without [quota] keeps 30 */
    GError *err = NULL;
    c = tm_config_load_data("", 0, "empty.ini", &err);
    assert_no_error(err);
    assert_int_equal(tm_quota_total(tm_config_quota(c)), 30);
    tm_config_free(c);
    c = tm_config_load_data("[quota]\ntotal=none\n", -1, NULL, &err);
    assert_no_error(err);
    assert_int_equal(tm_quota_total(tm_config_quota(c)), -1);
    assert_string_equal(tm_config_source(c), "<data>");
    tm_config_free(c);
    tm_taxonomy_free(seed);
    tm_rules_free(d);
    assert_null(tm_config_rules(NULL));
    assert_null(tm_config_quota(NULL));
    assert_null(tm_config_taxonomy(NULL));
}

typedef struct {
    const char *text;
    int line;
    const char *needle; /* after "bad.ini:LINE: " */
} Bad;

static const Bad BAD[] = {
    /* syntax (GKeyFile), at the first line it refuses */
    {"[rules]\nC_TITLE=true\nnot a pair\n", 3, ""},
    {"key=before any group\n", 1, ""},
    {"[rules]\n# fine\n\n[unclosed\n", 4, ""},
    {"[quota]\ntotal=1\n\xff\xfe=1\n", 3, ""},
    /* unknown groups and sector codes: the group header's line */
    {"[rules]\nC_TITLE=true\n[rulez]\nC_TITLE=true\n", 3, "[rulez]: unknown group"},
    {"[quota]\ntotal=3\n\n[sector.helth]\nfloor=1\n", 4, "[sector.helth]: unknown sector code 'helth'"},
    {"[taxonomy]\nsectors=eit;water\n[sector.food]\ncap=1\n", 3, "[sector.food]: unknown sector code"},
    {"[weights]\nsector=1\n", 1, "[weights]: unknown group"},
    {"[sector.]\ncap=1\n", 1, "[sector.]: unknown sector code ''"},
    /* unknown keys: the key's line */
    {"[quota]\ntotal=3\nmax=4\n", 3, "[quota] max: unknown key"},
    {"[sector.eit]\ncap=3\nlimit=4\n", 3, "[sector.eit] limit: unknown key"},
    {"[taxonomy]\nsectors=eit\ncodes=x\n", 3, "[taxonomy] codes: unknown key"},
    {"[rules]\nC_NOPE=true\n", 2, "[rules] C_NOPE: unknown rule code"},
    {"[scoring]\n\n\nscale=3\n", 4, "[scoring] scale: unknown key"},
    {"[candidates]\nk=3\nbeam=2\n", 3, "[candidates] beam: unknown key"},
    {"[weights.site]\nluck=1\n", 2, "[weights.site] luck: unknown score component"},
    /* bad values */
    {"[quota]\ntotal=-3\n", 2, "[quota] total: \"-3\" is not an integer"},
    {"[quota]\n  total = many\n", 2, "[quota] total: \"many\""},
    {"[sector.food]\ncap=2\nfloor=3\n", 3, "[sector.food] floor: floor 3 exceeds cap 2"},
    {"[sector.food]\nfloor=x\n", 2, "[sector.food] floor"},
    {"[sector.food]\nzh=\n", 2, "[sector.food] zh: expected a non-empty name"},
    {"[taxonomy]\nsectors=eit;Bad Code\n", 2, "[taxonomy] sectors"},
    {"[taxonomy]\nsectors=eit;eit\n", 2, "[taxonomy] sectors"},
    {"[taxonomy]\nsectors= ; \n", 2, "[taxonomy] sectors: expected at least one sector code"},
    {"[rules]\nC_TITLE=maybe\n", 2, "[rules] C_TITLE: expected true or false"},
    {"[rules]\nC_YEARS.min=3\nP_YEARS=true\nC_YEARS.max=2\n", 4, "[rules] C_YEARS.max: C_YEARS.min (3) exceeds"},
    {"[rules]\nC_YEARS.max=1\n\nC_YEARS.min=2\n", 4, "[rules] C_YEARS.min: C_YEARS.min (2) exceeds"},
    /* issue 10: the leading industries against the taxonomy; the quota's unit */
    {"[rules]\nS_SECTOR.leading=eit;nope\n", 2,
     "[rules] S_SECTOR.leading: 'nope' is not a sector of the programme's taxonomy"},
    {"[taxonomy]\nsectors=a;b\n", 2, "[taxonomy] sectors: S_SECTOR.leading: 'eit' is not a sector"},
    {"[quota]\ntotal=3\ncounts=heads\n", 3, "[quota] counts: \"heads\" is neither people"},
    /* a duplicate key: the last one counts, and is the one reported */
    {"[rules]\nP_SECTOR.min_level=1\nP_SECTOR.min_level=9\n", 3, "[rules] P_SECTOR.min_level"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(BAD); i++) {
        GError *err = NULL;
        TmConfig *c = tm_config_load_data(BAD[i].text, -1, "bad.ini", &err);
        if (c != NULL || err == NULL || !g_error_matches(err, TM_ERROR, TM_ERROR_PARSE))
            fail_msg("case %zu: expected a parse error, got %s", i,
                     err ? err->message : "success");
        char *want = g_strdup_printf("bad.ini:%d: %s", BAD[i].line, BAD[i].needle);
        if (!g_str_has_prefix(err->message, want))
            fail_msg("case %zu: '%s' does not start with '%s'", i, err->message, want);
        g_free(want);
        g_error_free(err);
    }
    /* [quota] counts: both units, read back */
    GError *e2 = NULL;
    TmConfig *cc = tm_config_load_data("[quota]\ncounts=assignments\n", -1, NULL, &e2);
    assert_non_null(cc);
    assert_int_equal(tm_quota_unit(tm_config_quota(cc)), TM_QUOTA_ASSIGNMENTS);
    assert_true(tm_config_set_quota_unit(cc, TM_QUOTA_PEOPLE, &e2));
    assert_int_equal(tm_quota_unit(tm_config_quota(cc)), TM_QUOTA_PEOPLE);
    assert_false(tm_config_set_quota_unit(cc, (TmQuotaUnit)7, &e2));
    assert_true(g_error_matches(e2, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&e2);
    tm_config_free(cc);
    cc = tm_config_load_data("[taxonomy]\nsectors=a;b\n[rules]\nS_SECTOR=false\n", -1, NULL, &e2);
    assert_non_null(cc); /* S_SECTOR off: the default list need not fit */
    tm_config_free(cc);
    assert_int_equal(tm_quota_unit_from_string(" 人数 "), TM_QUOTA_PEOPLE);
    assert_int_equal(tm_quota_unit_from_string("PAIRS"), TM_QUOTA_ASSIGNMENTS);
    assert_int_equal(tm_quota_unit_from_string("x"), -1);
    assert_string_equal(tm_quota_unit_code(TM_QUOTA_ASSIGNMENTS), "assignments");
    assert_null(tm_quota_unit_code((TmQuotaUnit)2));
    /* the message lists the known codes */
    GError *err = NULL;
    assert_null(tm_config_load_data("[sector.helth]\ncap=1\n", -1, NULL, &err));
    assert_non_null(strstr(err->message, "eit, culture, food, materials, agri, health"));
    g_clear_error(&err);
    assert_null(tm_config_load_data(NULL, -1, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
}

/* Regression (fuzz_config, issue 7): a message quotes bad bytes of the file
 * only as valid UTF-8 (GKeyFile's own messages quoted them raw).  Each text
 * is refused with TM_ERROR_PARSE at its line. */
static void test_messages_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
    } CASES[] = {
        { "[quota]\ntotal=1\n[candidat\xff\xfftotal=-5\n", 3 }, /* the fuzzer's input, cut */
        { "[a\xff\n", 1 },
        { "\xff\xfe\n", 1 },
        { "[rules]\n\xc3=1\n", 2 },
        { "[\xff]\nk=1\n", 1 },
        { "[rules]\nC_TITLE=\xff\n", 2 },
        { "[rules]\nC_TITLE.min_title=\xe4\xb8\n", 2 },
        { "[quota]\ntotal=\xff\n", 2 },
        { "[taxonomy]\nsectors=eit;\xff\n", 2 },
        { "[sector.\xff]\ncap=1\n", 1 },
        { "[sector.eit]\nzh=\xff\n", 2 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(CASES); i++) {
        GError *err = NULL;
        TmConfig *c = tm_config_load_data(CASES[i].text, -1, "u.ini", &err);
        if (c != NULL || err == NULL || !g_error_matches(err, TM_ERROR, TM_ERROR_PARSE))
            fail_msg("case %zu: expected a parse error, got %s", i, err ? err->message : "success");
        if (!g_utf8_validate(err->message, -1, NULL))
            fail_msg("case %zu: the message is not UTF-8: %s", i, err->message);
        char *want = g_strdup_printf("u.ini:%d: ", CASES[i].line);
        if (!g_str_has_prefix(err->message, want))
            fail_msg("case %zu: '%s' does not start with '%s'", i, err->message, want);
        g_free(want);
        g_error_free(err);
    }
}

/* Regression (fuzz_config, issue 7): GKeyFile hands back a value AND an
 * error for a bad escape; the value was used (silently, `x\\q` read as
 * "x\\q") and the error leaked.  Now each is refused at its line. */
static void test_bad_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want;
    } CASES[] = {
        { "[sector.eit]\nzh=x\\q\n", "e.ini:2: [sector.eit] zh: " },
        { "[sector.eit]\nen=water\\\n", "e.ini:2: [sector.eit] en: " },
        { "[rules]\nC_UNIT.allowed=university\\q\n", "e.ini:2: [rules] C_UNIT.allowed: " },
        { "[scoring]\n\ndistance_scale_km=1\\x\n", "e.ini:3: [scoring] distance_scale_km: " },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(CASES); i++) {
        GError *err = NULL;
        TmConfig *c = tm_config_load_data(CASES[i].text, -1, "e.ini", &err);
        if (c != NULL || err == NULL || !g_error_matches(err, TM_ERROR, TM_ERROR_PARSE))
            fail_msg("case %zu: expected a parse error, got %s", i, err ? err->message : "success");
        if (!g_str_has_prefix(err->message, CASES[i].want))
            fail_msg("case %zu: '%s' does not start with '%s'", i, err->message, CASES[i].want);
        g_error_free(err);
    }
    /* the rules alone read the same way */
    GError *err = NULL;
    TmRules *r = tm_rules_new_default();
    assert_false(tm_rules_load_data(r, CASES[2].text, -1, "e.ini", &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_PARSE));
    g_clear_error(&err);
    tm_rules_free(r);
}

static char *write_tmp(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void test_files(void **state)
{
    (void)state;
    GError *err = NULL;
    char *dir = g_dir_make_tmp("tm_config_XXXXXX", &err);
    assert_no_error(err);
    /* no programme.ini: the defaults */
    TmConfig *c = tm_config_load_for_dir(dir, &err);
    assert_no_error(err);
    assert_null(tm_config_source(c));
    assert_int_equal(tm_quota_total(tm_config_quota(c)), 30);
    tm_config_free(c);
    /* with one: read, messages name the file */
    char *ini = write_tmp(dir, TM_CONFIG_FILE_NAME, "[quota]\ntotal=7\n");
    c = tm_config_load_for_dir(dir, &err);
    assert_no_error(err);
    assert_string_equal(tm_config_source(c), ini);
    assert_int_equal(tm_quota_total(tm_config_quota(c)), 7);
    tm_config_free(c);
    assert_true(g_file_set_contents(ini, "[quota]\n\ntotal=x\n", -1, NULL));
    assert_null(tm_config_load_for_dir(dir, &err));
    char *want = g_strdup_printf("%s:3: [quota] total", ini);
    assert_true(g_str_has_prefix(err->message, want));
    g_free(want);
    g_clear_error(&err);
    g_unlink(ini);
    assert_null(tm_config_load_file(ini, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_IO));
    g_clear_error(&err);
    assert_null(tm_config_load_file(NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_null(tm_config_load_for_dir(NULL, &err));
    g_clear_error(&err);
    g_free(ini);
    g_rmdir(dir);
    g_free(dir);

    /* the seed's file: what `techmatch run` reads for the example */
    char *seed = g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL);
    c = tm_config_load_for_dir(seed, &err);
    assert_no_error(err);
    assert_int_equal(tm_quota_total(tm_config_quota(c)), 30);
    int32_t cap, floor;
    assert_true(tm_quota_sector(tm_config_quota(c), "agri", &cap, &floor));
    assert_int_equal(cap, 10);
    assert_true(tm_quota_sector(tm_config_quota(c), "eit", &cap, &floor));
    assert_int_equal(floor, 4);
    tm_config_free(c);
    g_free(seed);
}

/* A 7th sector defined in the file: sites in it are read, selected and
 * capped, and the report lists it. */
static void test_seventh_sector(void **state)
{
    (void)state;
    static const char ini[] = "[taxonomy]\n"
                              "sectors=eit;culture;food;materials;agri;health;water\n"
                              "[sector.water]\nzh=水利\nen=water works\ncap=1\n"
                              "[quota]\ntotal=none\n";
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data(ini, -1, "water.ini", &err);
    assert_no_error(err);
    TmProgramme *p = tm_programme_new(tm_config_taxonomy(cfg));
    int32_t water = tm_taxonomy_find(tm_programme_taxonomy(p), "水利");
    assert_int_equal(water, 6);
    for (int i = 0; i < 3; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "dam%d", i);
        TmSite s = {0};
        s.name = name;
        s.kind = TM_SITE_VILLAGE;
        s.sector = water;
        s.years = 1;
        s.capacity = 1;
        s.x = s.y = TM_NO_LOCATION;
        assert_true(tm_programme_add_site(p, &s, &err) >= 0);
    }
    for (int i = 0; i < 3; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "eng%d", i);
        TmExpertise ex = {water, 3};
        TmCommissioner c = {0};
        c.name = name;
        c.team_size = 1;
        c.title = TM_TITLE_SENIOR;
        c.unit_kind = TM_UNIT_UNIVERSITY;
        c.unit_support = TRUE;
        c.expertise = &ex;
        c.n_expertise = 1;
        c.years = 2;
        c.capacity = 1;
        c.x = c.y = TM_NO_LOCATION;
        c.merit = 10 - i;
        assert_true(tm_programme_add_commissioner(p, &c, &err) >= 0);
    }
    assert_no_error(err);
    TmSelection *sel =
        tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL, &err);
    assert_no_error(err);
    /* three acceptable pairs each way, but the sector cap admits one */
    assert_int_equal(tm_matching_n_pairs(tm_selection_matching(sel)), 1);
    int32_t cap, floor, reg, elig, served;
    int64_t assigned;
    assert_true(tm_selection_sector_limits(sel, water, &cap, &floor));
    assert_int_equal(cap, 1);
    assert_true(tm_selection_sector_counts(sel, water, &reg, &elig, &served, &assigned));
    assert_int_equal(reg, 3);
    assert_int_equal(served, 1);
    assert_int_equal(assigned, 1);
    int n_cut = 0;
    for (int32_t c = 0; c < 3; c++)
        n_cut += tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL) == TM_OUTCOME_SECTOR_CAP;
    assert_int_equal(n_cut, 2);
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, 0, NULL), TM_OUTCOME_MATCHED);
    char *md = tm_selection_report_markdown(sel, &err);
    assert_no_error(err);
    assert_non_null(strstr(md, "| water works | 水利 | 3 | 3 | 1 | 33% | 1 | 1 | 1 | - |"));
    assert_non_null(strstr(md, "cut by a sector cap: water cap 1"));
    g_free(md);
    tm_selection_free(sel);

    /* a quota naming a sector the programme's taxonomy lacks is refused */
    TmProgramme *six = tm_programme_new(NULL);
    assert_null(tm_programme_select(six, tm_config_rules(cfg), tm_config_quota(cfg), NULL,
                                    &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_UNKNOWN_NAME));
    assert_non_null(strstr(err->message, "water"));
    g_clear_error(&err);
    tm_programme_free(six);
    tm_programme_free(p);
    tm_config_free(cfg);
}

/* Changing a configuration in place: the rules through
 * tm_config_rules_mutable() (checked setters, the same object as
 * tm_config_rules()), sector limits by code or name through
 * tm_config_set_sector(); bad values change nothing. */
static void test_setters(void **state)
{
    (void)state;
    GError *err = NULL;
    TmConfig *cfg = tm_config_new_default();
    TmRules *r = tm_config_rules_mutable(cfg);
    assert_true(r == tm_config_rules(cfg));
    assert_null(tm_config_rules_mutable(NULL));
    assert_true(tm_rules_set_weight(r, TM_SIDE_SUPPLY, TM_SCORE_MERIT, 4.5, &err));
    assert_true(tm_rules_weight(tm_config_rules(cfg), TM_SIDE_SUPPLY, TM_SCORE_MERIT) == 4.5);
    assert_true(tm_rules_set_enabled(r, "P_DISTANCE", TRUE, &err));
    assert_true(tm_rules_is_enabled(tm_config_rules(cfg), "P_DISTANCE"));

    assert_true(tm_config_set_sector(cfg, "food", 5, 2, &err));
    assert_no_error(err);
    int32_t cap = 0, floor = 0;
    assert_true(tm_quota_sector(tm_config_quota(cfg), "food", &cap, &floor));
    assert_int_equal(cap, 5);
    assert_int_equal(floor, 2);
    /* by a name: stored under the code */
    const TmTaxonomy *t = tm_config_taxonomy(cfg);
    const char *zh = tm_taxonomy_name_zh(t, 0);
    assert_true(tm_config_set_sector(cfg, zh, -1, 1, &err));
    assert_true(tm_quota_sector(tm_config_quota(cfg), tm_taxonomy_code(t, 0), &cap, &floor));
    assert_int_equal(cap, -1);
    assert_int_equal(floor, 1);
    assert_int_equal(tm_quota_n_sectors(tm_config_quota(cfg)), 2);

    assert_false(tm_config_set_sector(cfg, "helth", 1, 0, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_UNKNOWN_NAME));
    assert_non_null(strstr(err->message, "helth"));
    g_clear_error(&err);
    assert_false(tm_config_set_sector(cfg, "food", 1, 2, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_false(tm_config_set_sector(cfg, "food", -2, 0, &err));
    g_clear_error(&err);
    assert_false(tm_config_set_sector(NULL, "food", 1, 0, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_false(tm_config_set_sector(cfg, NULL, 1, 0, &err));
    g_clear_error(&err);
    assert_true(tm_quota_sector(tm_config_quota(cfg), "food", &cap, &floor));
    assert_int_equal(cap, 5); /* unchanged */
    assert_int_equal(floor, 2);
    tm_config_free(cfg);
}

/* tm_config_to_data(): the text reads back to an equal configuration (the
 * same text again, the same selection) for FULL, the defaults, the 7-sector
 * file and the seed, each also after random changes through the setters. */
static char *roundtrip(const TmConfig *cfg)
{
    GError *err = NULL;
    gsize len = 0;
    char *text = tm_config_to_data(cfg, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    TmConfig *back = tm_config_load_data(text, -1, "to_data.ini", &err);
    assert_no_error(err);
    char *again = tm_config_to_data(back, NULL);
    assert_string_equal(text, again);
    assert_int_equal(tm_quota_total(tm_config_quota(back)), tm_quota_total(tm_config_quota(cfg)));
    const TmTaxonomy *a = tm_config_taxonomy(cfg), *b = tm_config_taxonomy(back);
    assert_int_equal(tm_taxonomy_n_sectors(a), tm_taxonomy_n_sectors(b));
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(a); k++) {
        int32_t ca = -2, fa = -2, cb = -2, fb = -2;
        const char *code = tm_taxonomy_code(a, k);
        assert_string_equal(code, tm_taxonomy_code(b, k));
        assert_string_equal(tm_taxonomy_name_zh(a, k), tm_taxonomy_name_zh(b, k));
        assert_string_equal(tm_taxonomy_name_en(a, k), tm_taxonomy_name_en(b, k));
        gboolean ha = tm_quota_sector(tm_config_quota(cfg), code, &ca, &fa);
        gboolean hb = tm_quota_sector(tm_config_quota(back), code, &cb, &fb);
        /* a sector set to "no cap, no floor" need not be written */
        if (ha && (ca >= 0 || fa > 0)) {
            assert_true(hb);
            assert_int_equal(ca, cb);
            assert_int_equal(fa, fb);
        }
    }
    char *r1 = tm_rules_to_data(tm_config_rules(cfg), NULL);
    char *r2 = tm_rules_to_data(tm_config_rules(back), NULL);
    assert_string_equal(r1, r2);
    g_free(r1);
    g_free(r2);
    g_free(again);
    tm_config_free(back);
    return text;
}

static void test_to_data(void **state)
{
    (void)state;
    GError *err = NULL;
    char *seed = g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL);
    TmConfig *cfgs[4];
    cfgs[0] = tm_config_load_data(FULL, -1, "full.ini", &err);
    assert_no_error(err);
    cfgs[1] = tm_config_new_default();
    cfgs[2] = tm_config_load_data("[rules]\nS_SECTOR.leading=eit;water\n"
                                  "[taxonomy]\nsectors=eit;water\n[sector.water]\nzh=水利\n"
                                  "en=water; works\ncap=1\n[quota]\ntotal=none\n",
                                  -1, "water.ini", &err);
    assert_no_error(err);
    cfgs[3] = tm_config_load_for_dir(seed, &err);
    assert_no_error(err);
    GRand *rng = g_rand_new_with_seed(20110101);
    for (int c = 0; c < 4; c++) {
        for (int round = 0; round < 50; round++) {
            g_free(roundtrip(cfgs[c]));
            /* change something: the quota, a sector's limits, a weight, a rule */
            TmConfig *cfg = cfgs[c];
            const TmTaxonomy *tax = tm_config_taxonomy(cfg);
            const char *code = tm_taxonomy_code(
                tax, (int32_t)g_rand_int_range(rng, 0, tm_taxonomy_n_sectors(tax)));
            switch (g_rand_int_range(rng, 0, 4)) {
            case 0:
                assert_true(tm_config_set_quota_total(cfg, g_rand_int_range(rng, -1, 60), &err));
                break;
            case 1: {
                int32_t cap = g_rand_int_range(rng, -1, 12);
                int32_t floor = cap < 0 ? g_rand_int_range(rng, 0, 3)
                                        : g_rand_int_range(rng, 0, cap + 1);
                assert_true(tm_config_set_sector(cfg, code, cap, floor, &err));
                break;
            }
            case 2:
                assert_true(tm_rules_set_weight(tm_config_rules_mutable(cfg),
                                                (TmSide)g_rand_int_range(rng, 0, 2),
                                                (TmScoreComponent)g_rand_int_range(
                                                    rng, 0, TM_N_SCORE_COMPONENTS),
                                                g_rand_double_range(rng, 0, 10), &err));
                break;
            default:
                assert_true(tm_rules_set(tm_config_rules_mutable(cfg), "P_DISTANCE",
                                         g_rand_boolean(rng) ? "true" : "false", &err));
                break;
            }
            assert_no_error(err);
        }
    }
    /* the seed's selection is the same from the text */
    char *text = roundtrip(cfgs[3]);
    TmConfig *back = tm_config_load_data(text, -1, "to_data.ini", &err);
    assert_no_error(err);
    TmSummary *sum[2];
    for (int i = 0; i < 2; i++) {
        sum[i] = tm_job_run(seed, i ? back : cfgs[3], NULL, NULL, &err);
        assert_no_error(err);
    }
    for (int32_t f = 0; f < tm_summary_n_fields(sum[0]); f++) {
        if (strcmp(tm_summary_name(sum[0], f), "seconds") == 0)
            continue;
        char *x = tm_summary_format(sum[0], f), *y = tm_summary_format(sum[1], f);
        assert_string_equal(x, y);
        g_free(x);
        g_free(y);
    }
    assert_null(tm_config_to_data(NULL, NULL));
    for (int i = 0; i < 2; i++)
        tm_summary_free(sum[i]);
    tm_config_free(back);
    g_free(text);
    for (int c = 0; c < 4; c++)
        tm_config_free(cfgs[c]);
    g_rand_free(rng);
    g_free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_messages_utf8),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_seventh_sector),
        cmocka_unit_test(test_setters),
        cmocka_unit_test(test_to_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
