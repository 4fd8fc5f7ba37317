/* The programme's selection: quota and sector caps on random programmes
 * checked by brute force over every commissioner-site pair, outcomes and
 * reasons, the quota configuration, the output documents, and the golden
 * report of the bundled Jinshui example. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/forms.h>
#include <techmatch/selection.h>

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const TAGS[] = {"示范园区建设", "技术引进推广", "创新战略管理",
                                   "关键技术研发", "人才培训", "社区卫生服务"};

static TmProgramme *random_programme(int nc, int ns)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    for (int s = 0; s < ns; s++) {
        char name[32];
        g_snprintf(name, sizeof name, "site%d", s);
        const char *needs[2] = {TAGS[rnd(6)], TAGS[rnd(6)]};
        TmSite site = {0};
        site.name = name;
        site.kind = (TmSiteKind)rnd(7);
        site.sector = (int32_t)rnd(3);
        site.has_clinic = TRUE;
        site.needs = needs;
        site.n_needs = needs[0] == needs[1] ? 1 : 2;
        site.min_title = (TmTitle)rnd(3);
        site.years = 1 + (int32_t)rnd(2);
        site.capacity = (int32_t)rnd(3);
        site.x = rnd(20);
        site.y = rnd(20);
        assert_int_equal(tm_programme_add_site(p, &site, &err), s);
    }
    for (int c = 0; c < nc; c++) {
        char name[32];
        g_snprintf(name, sizeof name, "comm%d", c);
        TmExpertise ex[2] = {{(int32_t)rnd(3), 1 + (int32_t)rnd(3)}, {0, 0}};
        int n_ex = 1;
        int32_t other = (ex[0].sector + 1 + (int32_t)rnd(2)) % 3;
        if (rnd(2)) {
            ex[1].sector = other;
            ex[1].level = 1 + (int32_t)rnd(3);
            n_ex = 2;
        }
        const char *skills[2] = {TAGS[rnd(6)], TAGS[rnd(6)]};
        TmCommissioner cm = {0};
        cm.name = name;
        cm.team_size = 1;
        cm.title = (TmTitle)(1 + rnd(3));
        cm.unit = "unit";
        cm.unit_kind = TM_UNIT_UNIVERSITY;
        cm.unit_support = TRUE;
        cm.expertise = ex;
        cm.n_expertise = n_ex;
        cm.skills = skills;
        cm.n_skills = skills[0] == skills[1] ? 1 : 2;
        cm.years = 1 + (int32_t)rnd(2);
        cm.capacity = rnd(4) == 0 ? 2 : 1;
        cm.x = rnd(20);
        cm.y = rnd(20);
        cm.merit = rnd(100);
        assert_int_equal(tm_programme_add_commissioner(p, &cm, &err), c);
    }
    assert_null(err);
    return p;
}

/* Brute-force check of stability with respect to the caps, from the market's
 * lists and the matching alone: no acceptable pair (c, s), not matched, such
 * that c would take s, s would take c, and adding the pair (s dropping its
 * worst commissioner if full) respects the quota, every sector cap and the
 * sector floors' reservations.  The commissioner's current places count as
 * kept: a commissioner who would *move* inside the quota is not covered, as
 * such a "move-stable" outcome need not exist (see groups.h). */
typedef struct {
    int32_t total;              /* -1 none */
    int32_t cap[3], floor[3];   /* -1 cap = none */
} Caps;

static gboolean feasible(const TmProgramme *p, const Caps *caps, const TmMarket *m,
                         const int64_t *sector_count, int64_t total_count)
{
    int32_t ns = tm_programme_n_sites(p);
    if (caps->total >= 0) {
        /* reservation: f' = min(floor, reach) seats per sector, others share the rest */
        int64_t reserved = 0, excess = 0;
        for (int k = 0; k < 3; k++) {
            if (caps->cap[k] < 0 && caps->floor[k] == 0)
                continue;
            int64_t reach = 0;
            for (int32_t s = 0; s < ns; s++) {
                if (tm_programme_site(p, s)->sector != k)
                    continue;
                int32_t len;
                tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
                reach += MIN(tm_market_capacity(m, TM_SIDE_DEMAND, s), len);
            }
            int64_t cap = caps->cap[k] >= 0 ? caps->cap[k] : G_MAXINT32;
            int64_t f = MIN((int64_t)caps->floor[k], MIN(reach, cap));
            reserved += f;
            excess += MAX(0, sector_count[k] - f);
        }
        int64_t others = total_count;
        for (int k = 0; k < 3; k++)
            if (caps->cap[k] >= 0 || caps->floor[k] > 0)
                others -= sector_count[k];
        if (others + excess > caps->total - reserved)
            return FALSE;
    }
    for (int k = 0; k < 3; k++)
        if (caps->cap[k] >= 0 && sector_count[k] > caps->cap[k])
            return FALSE;
    return TRUE;
}

static int32_t worst_rank(const TmMarket *m, const TmMatching *mt, TmSide side, int32_t a,
                          int32_t *worst_partner)
{
    int32_t k, worst = -1;
    const int32_t *ps = tm_matching_partners(mt, side, a, &k);
    *worst_partner = -1;
    for (int32_t j = 0; j < k; j++) {
        int32_t r = tm_market_rank(m, side, a, ps[j]);
        if (r > worst) {
            worst = r;
            *worst_partner = ps[j];
        }
    }
    return worst;
}

static void check_caps_stable(const TmProgramme *p, const Caps *caps, const TmSelection *sel)
{
    TmMarket *m = tm_selection_market(sel);
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    int64_t sc[3] = {0, 0, 0}, total = tm_matching_n_pairs(mt);
    for (int32_t s = 0; s < ns; s++)
        sc[tm_programme_site(p, s)->sector] += tm_matching_n_partners(mt, TM_SIDE_DEMAND, s);
    assert_true(feasible(p, caps, m, sc, total));
    for (int32_t c = 0; c < nc; c++) {
        int32_t len;
        const int32_t *list = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
        int32_t wc, cworst = worst_rank(m, mt, TM_SIDE_SUPPLY, c, &wc);
        (void)wc;
        gboolean c_full = tm_matching_n_partners(mt, TM_SIDE_SUPPLY, c) >=
                          tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        for (int32_t i = 0; i < len; i++) {
            int32_t s = list[i];
            if (tm_market_rank(m, TM_SIDE_SUPPLY, c, s) < 0)
                fail();
            int32_t k;
            const int32_t *ps = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
            gboolean matched = FALSE;
            for (int32_t j = 0; j < k; j++)
                matched = matched || ps[j] == s;
            if (matched)
                continue;
            if (c_full && i >= cworst)
                continue; /* c does not want s */
            int32_t ws, sworst = worst_rank(m, mt, TM_SIDE_DEMAND, s, &ws);
            gboolean s_full = tm_matching_n_partners(mt, TM_SIDE_DEMAND, s) >=
                              tm_market_capacity(m, TM_SIDE_DEMAND, s);
            int32_t rs = tm_market_rank(m, TM_SIDE_DEMAND, s, c);
            if (s_full && rs >= sworst)
                continue; /* s does not want c */
            /* counts after the move */
            int64_t sc2[3] = {sc[0], sc[1], sc[2]}, total2 = total;
            int32_t ks = tm_programme_site(p, s)->sector;
            sc2[ks]++;
            total2++;
            if (s_full) {
                sc2[ks]--;
                total2--;
            }
            if (feasible(p, caps, m, sc2, total2)) {
                print_error("blocking pair comm%d - site%d\n", c, s);
                fail();
            }
        }
    }
}

static void test_random_programmes(void **state)
{
    (void)state;
    TmRules *rules = tm_rules_new_default();
    int checked = 0, quota_binding = 0;
    for (int round = 0; round < 400; round++) {
        int nc = 2 + (int)rnd(12), ns = 2 + (int)rnd(10);
        TmProgramme *p = random_programme(nc, ns);
        Caps caps;
        caps.total = rnd(4) == 0 ? -1 : (int32_t)rnd(8);
        TmQuota *q = tm_quota_new();
        assert_true(tm_quota_set_total(q, caps.total, NULL));
        int32_t floors = 0;
        for (int k = 0; k < 3; k++) {
            caps.cap[k] = -1;
            caps.floor[k] = 0;
            if (rnd(2)) {
                caps.cap[k] = rnd(3) == 0 ? -1 : (int32_t)rnd(5);
                int32_t fl = (int32_t)rnd(3);
                if (caps.cap[k] >= 0)
                    fl = MIN(fl, caps.cap[k]);
                if (caps.total >= 0 && floors + fl > caps.total)
                    fl = 0;
                floors += fl;
                caps.floor[k] = fl;
                const char *code = tm_taxonomy_code(tm_programme_taxonomy(p), k);
                assert_true(tm_quota_set_sector(q, code, caps.cap[k], fl, NULL));
            }
        }
        if (caps.total < 0)
            for (int k = 0; k < 3; k++)
                caps.floor[k] = 0; /* no parent: floors reserve nothing */
        GError *err = NULL;
        TmSelection *sel = tm_programme_select(p, rules, q, NULL, &err);
        if (sel == NULL)
            fail_msg("select: %s", err->message);
        assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
        check_caps_stable(p, &caps, sel);
        if (caps.total >= 0 && tm_matching_n_pairs(tm_selection_matching(sel)) == caps.total)
            quota_binding++;
        /* every agent has an outcome; unmatched eligible ones a reason */
        for (int side = 0; side < 2; side++) {
            int32_t n = side == 0 ? nc : ns;
            for (int32_t i = 0; i < n; i++) {
                const char *detail;
                int o = tm_selection_outcome(sel, side, i, &detail);
                assert_true(o >= TM_OUTCOME_MATCHED && o <= TM_OUTCOME_SECTOR_CAP);
                int32_t held = tm_matching_n_partners(tm_selection_matching(sel), side, i);
                int32_t cap = tm_market_capacity(tm_selection_market(sel), side, i);
                if (o == TM_OUTCOME_MATCHED)
                    assert_true(held >= cap);
                else if (o == TM_OUTCOME_PARTLY)
                    assert_true(held > 0 && held < cap);
                else if (o != TM_OUTCOME_NO_CAPACITY && o != TM_OUTCOME_INELIGIBLE)
                    assert_int_equal(held, 0);
                if (o == TM_OUTCOME_INELIGIBLE || o == TM_OUTCOME_OUTRANKED ||
                    o == TM_OUTCOME_QUOTA || o == TM_OUTCOME_SECTOR_CAP)
                    assert_non_null(detail);
                if (o == TM_OUTCOME_QUOTA)
                    assert_true(caps.total >= 0);
            }
        }
        tm_selection_free(sel);
        tm_quota_free(q);
        tm_programme_free(p);
        checked++;
    }
    assert_int_equal(checked, 400);
    assert_true(quota_binding > 50);
    tm_rules_free(rules);
}

static void test_quota_config(void **state)
{
    (void)state;
    GError *err = NULL;
    TmQuota *q = tm_quota_new();
    assert_int_equal(tm_quota_total(q), -1);
    const char *good = "[quota]\ntotal=30\n[sector.food]\ncap=5\nfloor=2\n[rules]\nC_TITLE=true\n";
    assert_true(tm_quota_load_data(q, good, -1, "cfg.ini", &err));
    assert_int_equal(tm_quota_total(q), 30);
    int32_t cap, floor;
    assert_true(tm_quota_sector(q, "food", &cap, &floor));
    assert_int_equal(cap, 5);
    assert_int_equal(floor, 2);
    assert_false(tm_quota_sector(q, "eit", &cap, &floor));
    assert_int_equal(cap, -1);
    /* sectors in the order first set; setting again replaces in place */
    assert_true(tm_quota_set_sector(q, "eit", 4, 1, &err));
    assert_true(tm_quota_set_sector(q, "food", -1, 1, &err));
    assert_int_equal(tm_quota_n_sectors(q), 2);
    assert_string_equal(tm_quota_sector_code(q, 0), "food");
    assert_string_equal(tm_quota_sector_code(q, 1), "eit");
    assert_null(tm_quota_sector_code(q, 2));
    assert_null(tm_quota_sector_code(q, -1));
    TmQuota *copy = tm_quota_copy(q);
    assert_true(tm_quota_set_total(q, 5, &err));
    assert_int_equal(tm_quota_total(copy), 30);
    assert_true(tm_quota_sector(copy, "food", &cap, &floor));
    assert_int_equal(cap, -1);
    assert_int_equal(floor, 1);
    assert_int_equal(tm_quota_n_sectors(copy), 2);
    tm_quota_free(copy);
    assert_null(tm_quota_copy(NULL));
    assert_int_equal(tm_quota_n_sectors(NULL), 0);
    assert_true(tm_quota_set_sector(q, "food", 5, 2, &err));
    struct {
        const char *text, *needle;
    } bad[] = {
        {"[quota]\ntotal=abc\n", "cfg.ini:2: [quota] total"},
        {"[quota]\ntotal=-3\n", "[quota] total"},
        {"[quota]\nmax=3\n", "[quota] max: unknown key"},
        {"[sector.food]\ncap=2\nfloor=3\n", "floor 3 exceeds cap 2"},
        {"[sector.food]\nlimit=2\n", "[sector.food] limit: unknown key"},
        {"not a key file", "cfg.ini"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_false(tm_quota_load_data(q, bad[i].text, -1, "cfg.ini", &err));
        assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_PARSE));
        if (strstr(err->message, bad[i].needle) == NULL)
            fail_msg("'%s' lacks '%s'", err->message, bad[i].needle);
        g_clear_error(&err);
    }
    assert_false(tm_quota_set_total(q, -2, &err));
    g_clear_error(&err);
    assert_false(tm_quota_set_sector(q, "food", 2, 3, &err));
    g_clear_error(&err);
    assert_false(tm_quota_load_file(q, "/nonexistent/cfg.ini", &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_IO));
    g_clear_error(&err);
    tm_quota_free(q);
    tm_quota_free(NULL);
}

static void test_floors_above_quota(void **state)
{
    (void)state;
    TmProgramme *p = random_programme(6, 6);
    TmRules *rules = tm_rules_new_default();
    TmQuota *q = tm_quota_new();
    tm_quota_set_total(q, 2, NULL);
    tm_quota_set_sector(q, "eit", -1, 2, NULL);
    tm_quota_set_sector(q, "culture", -1, 1, NULL);
    GError *err = NULL;
    assert_null(tm_programme_select(p, rules, q, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INFEASIBLE));
    assert_non_null(strstr(err->message, "floors"));
    g_clear_error(&err);
    assert_null(tm_programme_select(NULL, rules, q, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    tm_quota_free(q);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static char *seed_dir(void)
{
    return g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL);
}

static TmSelection *seed_selection(TmProgramme **p, TmRules **rules, TmQuota **q)
{
    GError *err = NULL;
    char *dir = seed_dir();
    /* the folder's own settings, as `techmatch run` uses them (TmConfig):
     * quota 30, floors for the priority sectors, a cap on agriculture */
    TmConfig *cfg = tm_config_load_for_dir(dir, &err);
    if (cfg == NULL)
        fail_msg("%s", err->message);
    *p = tm_programme_new(tm_config_taxonomy(cfg));
    if (!tm_forms_read_dir(*p, dir, TM_FORMS_STRICT, NULL, &err))
        fail_msg("%s", err->message);
    g_free(dir);
    *rules = tm_rules_copy(tm_config_rules(cfg));
    *q = tm_quota_copy(tm_config_quota(cfg));
    tm_config_free(cfg);
    assert_int_equal(tm_quota_total(*q), 30);
    TmSelection *sel = tm_programme_select(*p, *rules, *q, NULL, &err);
    if (sel == NULL)
        fail_msg("%s", err->message);
    return sel;
}

/* The example: at most 30 selected, every unmatched agent has a reason, and
 * the report equals the reviewed golden copy byte for byte.  To accept a
 * deliberate change, regenerate with TM_UPDATE_GOLDEN=1. */
static void test_seed_golden_report(void **state)
{
    (void)state;
    TmProgramme *p;
    TmRules *rules;
    TmQuota *q;
    TmSelection *sel = seed_selection(&p, &rules, &q);
    assert_true(tm_selection_n_selected(sel) <= 30);
    /* accessors and codes */
    assert_ptr_equal(tm_selection_programme(sel), p);
    assert_int_equal(tm_screening_n_agents(tm_selection_screening(sel), TM_SIDE_SUPPLY),
                     tm_programme_n_commissioners(p));
    assert_int_equal(tm_market_size(tm_selection_market(sel), TM_SIDE_DEMAND),
                     tm_programme_n_sites(p));
    assert_string_equal(tm_outcome_code(TM_OUTCOME_QUOTA), "quota");
    assert_string_equal(tm_outcome_code(TM_OUTCOME_SECTOR_CAP), "sector_cap");
    assert_null(tm_outcome_code((TmOutcome)99));
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, -1, NULL), -1);
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_DEMAND, tm_programme_n_sites(p), NULL), -1);
    assert_null(tm_selection_matching(NULL));
    assert_int_equal(tm_selection_n_selected(NULL), 0);
    TmSelectOptions *so = tm_select_options_new();
    assert_int_equal(tm_select_options_get_k(so), -1);
    assert_null(tm_select_options_get_cancel(so));
    tm_select_options_free(so);
    /* the quota binds on the example: someone is cut by it */
    int n_quota = 0;
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++)
        n_quota += tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL) == TM_OUTCOME_QUOTA;
    assert_true(n_quota > 0);
    assert_true(tm_matching_n_pairs(tm_selection_matching(sel)) <= 30);
    assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++) {
        const char *detail;
        int o = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, &detail);
        if (o != TM_OUTCOME_MATCHED)
            assert_non_null(detail);
    }
    GError *err = NULL;
    char *md = tm_selection_report_markdown(sel, &err);
    assert_non_null(md);
    char *golden_path = g_build_filename(TM_SOURCE_DIR, "tests", "selection", "data",
                                         "jinshui-2011-report.md", NULL);
    if (g_getenv("TM_UPDATE_GOLDEN")) {
        assert_true(g_file_set_contents(golden_path, md, -1, NULL));
    }
    char *golden = NULL;
    if (!g_file_get_contents(golden_path, &golden, NULL, &err))
        fail_msg("%s", err->message);
    if (strcmp(md, golden) != 0) {
        print_error("report differs from %s; got:\n%s\n", golden_path, md);
        fail();
    }
    g_free(golden);
    g_free(golden_path);
    g_free(md);

    /* documents: CSV rows = pairs, JSON parses, write is whole */
    char *csv = tm_selection_assignments_csv(sel, &err);
    int lines = 0;
    for (char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + tm_matching_n_pairs(tm_selection_matching(sel)));
    g_free(csv);
    char *json = tm_selection_assignments_json(sel, &err);
    assert_non_null(strstr(json, "\"outcomes\""));
    g_free(json);
    char *tmp = g_dir_make_tmp("tmselXXXXXX", &err);
    char *out = g_build_filename(tmp, "out", NULL);
    assert_true(tm_selection_write(sel, out, &err));
    const char *names[] = {"assignments.csv", "assignments.json", "report.md"};
    for (int i = 0; i < 3; i++) {
        char *f = g_build_filename(out, names[i], NULL);
        assert_true(g_file_test(f, G_FILE_TEST_IS_REGULAR));
        g_unlink(f);
        g_free(f);
    }
    /* a file where the directory should be: clean error */
    char *blocker = g_build_filename(tmp, "file", NULL);
    g_file_set_contents(blocker, "x", 1, NULL);
    assert_false(tm_selection_write(sel, blocker, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_IO));
    g_clear_error(&err);
    g_unlink(blocker);
    g_rmdir(out);
    g_rmdir(tmp);
    g_free(blocker);
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_quota_free(q);
    tm_rules_free(rules);
    tm_programme_free(p);
}

static int progress_calls;
static int destroyed;
static void count_progress(double fraction, gpointer data)
{
    (void)fraction;
    (*(int *)data)++;
}
static void count_destroy(gpointer data)
{
    (void)data;
    destroyed++;
}

/* Options: k, progress with its destroy notify, a cancel handle the options
 * hold a reference to. */
static void test_select_options(void **state)
{
    (void)state;
    GError *err = NULL;
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_k(o, 0, &err));
    assert_int_equal(tm_select_options_get_k(o), 0);
    assert_false(tm_select_options_set_k(o, -2, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    assert_int_equal(tm_select_options_get_k(o), 0);
    assert_false(tm_select_options_set_k(NULL, 1, &err));
    g_clear_error(&err);
    assert_int_equal(tm_select_options_get_k(NULL), -1);

    progress_calls = 0;
    destroyed = 0;
    tm_select_options_set_progress(o, count_progress, &progress_calls, count_destroy);
    TmProgramme *p = random_programme(5, 5);
    TmRules *rules = tm_rules_new_default();
    TmSelection *sel = tm_programme_select(p, rules, NULL, o, &err);
    assert_non_null(sel);
    assert_int_equal(progress_calls, 3); /* 0, 0.5, 1 */
    tm_selection_free(sel);
    /* a copy shares the data without owning it */
    TmSelectOptions *copy = tm_select_options_copy(o);
    tm_select_options_free(copy);
    assert_int_equal(destroyed, 0);
    tm_select_options_set_progress(o, NULL, NULL, NULL); /* replaced: destroyed */
    assert_int_equal(destroyed, 1);

    /* the options keep the handle alive after the caller drops it */
    TmCancel *cancel = tm_cancel_new();
    tm_select_options_set_cancel(o, cancel);
    tm_cancel_unref(cancel);
    assert_non_null(tm_select_options_get_cancel(o));
    tm_cancel_trigger(tm_select_options_get_cancel(o));
    assert_null(tm_programme_select(p, rules, NULL, o, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_CANCELLED));
    g_clear_error(&err);
    copy = tm_select_options_copy(o);
    tm_select_options_free(o);
    assert_true(tm_cancel_is_triggered(tm_select_options_get_cancel(copy)));
    tm_select_options_set_cancel(copy, NULL);
    assert_null(tm_select_options_get_cancel(copy));
    tm_select_options_free(copy);
    tm_select_options_free(NULL);
    assert_null(tm_select_options_copy(NULL));
    tm_rules_free(rules);
    tm_programme_free(p);
}

/* A selection holds what it uses: the caller frees the programme, rules and
 * quota right after the call, and every accessor and writer still works
 * (run under ASan by scripts/test.sh).  Agents added to the programme later
 * are not part of the selection. */
static void test_selection_owns_inputs(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p;
    TmRules *rules;
    TmQuota *q;
    TmSelection *ref = seed_selection(&p, &rules, &q);
    char *md_ref = tm_selection_report_markdown(ref, &err);
    char *csv_ref = tm_selection_assignments_csv(ref, &err);
    char *json_ref = tm_selection_assignments_json(ref, &err);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    tm_selection_free(ref);

    /* the caller changes its rules and quota after the call: no effect */
    TmSelection *sel = tm_programme_select(p, rules, q, NULL, &err);
    assert_non_null(sel);
    assert_true(tm_rules_set_enabled(rules, "C_TITLE", FALSE, NULL));
    assert_true(tm_quota_set_total(q, 1, NULL));
    assert_true(tm_rules_is_enabled(tm_selection_rules(sel), "C_TITLE"));
    assert_int_equal(tm_quota_total(tm_selection_quota(sel)), 30);
    /* ... adds agents: not part of the selection */
    TmSite extra = {0};
    extra.name = "late site";
    extra.kind = TM_SITE_PARK;
    extra.capacity = 1;
    extra.x = extra.y = TM_NO_LOCATION;
    assert_int_equal(tm_programme_add_site(p, &extra, &err), ns);
    /* ... and frees everything */
    tm_programme_free(p);
    tm_rules_free(rules);
    tm_quota_free(q);

    assert_int_equal(tm_selection_n_agents(sel, TM_SIDE_SUPPLY), nc);
    assert_int_equal(tm_selection_n_agents(sel, TM_SIDE_DEMAND), ns);
    assert_int_equal(tm_selection_n_agents(sel, (TmSide)5), 0);
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_DEMAND, ns, NULL), -1);
    const TmProgramme *held = tm_selection_programme(sel);
    assert_int_equal(tm_programme_n_sites(held), ns + 1); /* alive, with the late site */
    assert_int_equal(tm_selection_quota_total(sel), 30);
    int32_t cap, floor;
    int32_t agri = tm_taxonomy_find(tm_programme_taxonomy(held), "agri");
    assert_true(tm_selection_sector_limits(sel, agri, &cap, &floor));
    assert_int_equal(cap, 10);
    assert_int_equal(floor, 0);
    assert_false(tm_selection_sector_limits(sel, 99, &cap, &floor));
    assert_int_equal(cap, -1);
    int64_t total = 0;
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tm_programme_taxonomy(held)); k++) {
        int64_t a;
        assert_true(tm_selection_sector_counts(sel, k, NULL, NULL, NULL, &a));
        total += a;
    }
    assert_int_equal(total, tm_matching_n_pairs(tm_selection_matching(sel)));
    assert_false(tm_selection_sector_counts(sel, -1, NULL, NULL, NULL, NULL));
    int32_t k;
    for (int32_t c = 0; c < nc; c++) {
        const int32_t *mine = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY,
                                                   c, &k);
        for (int32_t j = 0; j < k; j++) {
            assert_true(tm_selection_rank(sel, TM_SIDE_SUPPLY, c, mine[j]) >= 0);
            assert_true(tm_selection_rank(sel, TM_SIDE_DEMAND, mine[j], c) >= 0);
            double sc = tm_selection_score(sel, TM_SIDE_SUPPLY, c, mine[j]);
            assert_true(sc >= 0 && sc <= 1);
        }
    }
    assert_true(isnan(tm_selection_score(sel, TM_SIDE_SUPPLY, nc, 0)));
    assert_int_equal(tm_selection_rank(NULL, TM_SIDE_SUPPLY, 0, 0), -1);

    /* the documents are the same bytes as before */
    char *md = tm_selection_report_markdown(sel, &err);
    char *csv = tm_selection_assignments_csv(sel, &err);
    char *json = tm_selection_assignments_json(sel, &err);
    assert_string_equal(md, md_ref);
    assert_string_equal(csv, csv_ref);
    assert_string_equal(json, json_ref);
    char *tmp = g_dir_make_tmp("tmownXXXXXX", &err);
    assert_true(tm_selection_write(sel, tmp, &err));
    static const char *const names[] = {"assignments.csv", "assignments.json", "report.md"};
    for (int i = 0; i < 3; i++) {
        char *f = g_build_filename(tmp, names[i], NULL);
        g_unlink(f);
        g_free(f);
    }
    g_rmdir(tmp);
    g_free(tmp);
    g_free(md);
    g_free(csv);
    g_free(json);
    g_free(md_ref);
    g_free(csv_ref);
    g_free(json_ref);
    tm_selection_free(sel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_config),
        cmocka_unit_test(test_floors_above_quota),
        cmocka_unit_test(test_random_programmes),
        cmocka_unit_test(test_seed_golden_report),
        cmocka_unit_test(test_select_options),
        cmocka_unit_test(test_selection_owns_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
