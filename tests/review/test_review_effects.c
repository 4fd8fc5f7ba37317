/* The comparison of two selections under a review (review_effects.h) on the
 * hand-worked programme of review_fixture.h:
 *
 *   review.fixture   the fixture's selections are what its comment says
 *                    (the premises of the tests below)
 *   review.effects   each effect, the rules overridden, the agents moved,
 *                    the pairs and commissioners added and removed — on
 *                    selections that differ by their rules or quota, so the
 *                    comparison is tested on its own, whatever the selection
 *                    does with a review
 *   review.refusals  unknown names (with the decision's source), selections
 *                    over other agents, NULLs
 *   review.markdown  the report section and the reviewed document set
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

#include "review_fixture.h"

static void expect_pairs(const TmSelection *sel, const char *want)
{
    char *got = review_pairs(sel);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "pairs: got [%s], want [%s]\n", got, want);
    assert_string_equal(got, want);
    g_free(got);
}

static void expect_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL) {
        fprintf(stderr, "expected to find\n  %s\nin\n%s\n", needle, hay);
        fail();
    }
}

static void test_fixture(void **state)
{
    (void)state;
    TmProgramme *p = review_programme();
    GError *err = NULL;
    TmSelection *base = review_select(p, NULL, -1, NULL, &err);
    assert_non_null(base);
    expect_pairs(base, "c1-s1 c2-s2 c3-s3");
    assert_int_equal(tm_selection_outcome(base, TM_SIDE_SUPPLY, 3, NULL), TM_OUTCOME_INELIGIBLE);
    TmSelection *dist = review_select(p, RULES_DISTANCE, -1, NULL, &err);
    expect_pairs(dist, "c1-s2 c2-s1 c3-s3");
    TmSelection *quota = review_select(p, NULL, 2, NULL, &err);
    expect_pairs(quota, "c1-s1 c2-s2");
    TmSelection *title = review_select(p, RULES_NO_TITLE, -1, NULL, &err);
    expect_pairs(title, "c1-s1 c2-s2 c3-s3 c4-s4");
    tm_selection_free(base);
    tm_selection_free(dist);
    tm_selection_free(quota);
    tm_selection_free(title);
    tm_programme_free(p);
}

/* The agents decision @i moved, "c1 s1 c2". */
static char *moved_text(const TmReviewEffects *e, int32_t i)
{
    const TmProgramme *p = tm_selection_programme(tm_review_effects_current(e));
    GString *out = g_string_new(NULL);
    for (int32_t j = 0; j < tm_review_effects_n_moved(e, i); j++) {
        int side;
        int32_t id;
        assert_true(tm_review_effects_moved(e, i, j, &side, &id));
        g_string_append_printf(out, "%s%s", out->len ? " " : "",
                               side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                                      : tm_programme_site(p, id)->name);
    }
    return g_string_free(out, FALSE);
}

static void expect_decision(const TmReviewEffects *e, int32_t i, TmEffect effect, int32_t c,
                            int32_t s, uint32_t overrides, const char *moved)
{
    int32_t gc = -5, gs = -5;
    uint32_t go = 7;
    int got = tm_review_effects_decision(e, i, &gc, &gs, &go);
    if (got != (int)effect)
        fprintf(stderr, "decision %d: effect %s, want %s\n", i,
                got >= 0 ? tm_effect_code((TmEffect)got) : "-1", tm_effect_code(effect));
    assert_int_equal(got, (int)effect);
    assert_int_equal(gc, c);
    assert_int_equal(gs, s);
    assert_int_equal(go, overrides);
    char *m = moved_text(e, i);
    if (strcmp(m, moved) != 0)
        fprintf(stderr, "decision %d moved: got [%s], want [%s]\n", i, m, moved);
    assert_string_equal(m, moved);
    g_free(m);
}

/* "c1-s2 c2-s1" for the pairs of @change. */
static char *pairs_text(const TmReviewEffects *e, TmChange change)
{
    const TmProgramme *p = tm_selection_programme(tm_review_effects_current(e));
    GString *out = g_string_new(NULL);
    for (int64_t k = 0; k < tm_review_effects_n_pairs(e, change); k++) {
        int32_t c, s;
        assert_true(tm_review_effects_pair(e, change, k, &c, &s));
        g_string_append_printf(out, "%s%s-%s", out->len ? " " : "",
                               tm_programme_commissioner(p, c)->name,
                               tm_programme_site(p, s)->name);
    }
    return g_string_free(out, FALSE);
}

static void expect_changes(const TmReviewEffects *e, const char *added, const char *removed,
                           const char *newly, const char *dropped)
{
    char *a = pairs_text(e, TM_CHANGE_ADDED), *r = pairs_text(e, TM_CHANGE_REMOVED);
    assert_string_equal(a, added);
    assert_string_equal(r, removed);
    g_free(a);
    g_free(r);
    const TmProgramme *p = tm_selection_programme(tm_review_effects_current(e));
    const char *want[2] = {newly, dropped};
    for (int k = 0; k < 2; k++) {
        GString *out = g_string_new(NULL);
        for (int32_t j = 0; j < tm_review_effects_n_commissioners(e, (TmChange)k); j++)
            g_string_append_printf(
                out, "%s%s", out->len ? " " : "",
                tm_programme_commissioner(p, tm_review_effects_commissioner(e, (TmChange)k, j))
                    ->name);
        assert_string_equal(out->str, want[k]);
        g_string_free(out, TRUE);
    }
}

static uint32_t bit(const char *code)
{
    int32_t r = tm_rule_find(code);
    assert_true(r >= 0);
    return 1u << r;
}

static TmReview *review_of(const char *csv)
{
    TmReview *r = tm_review_new();
    GError *err = NULL;
    if (!tm_review_load_data(r, csv, -1, "review.csv", &err))
        fail_msg("%s", err->message);
    return r;
}

static void test_effects(void **state)
{
    (void)state;
    TmProgramme *p = review_programme();
    GError *err = NULL;
    TmSelection *base = review_select(p, NULL, -1, NULL, &err);
    TmSelection *dist = review_select(p, RULES_DISTANCE, -1, NULL, &err);
    TmSelection *quota = review_select(p, NULL, 2, NULL, &err);
    TmSelection *title = review_select(p, RULES_NO_TITLE, -1, NULL, &err);
    assert_true(base && dist && quota && title);

    /* base -> dist: c1-s1 went, c1 to s2, c2 to s1 */
    TmReview *r = review_of("decision,commissioner,site\n"
                            "veto,c1,s1\n"    /* 0: removed */
                            "pin,c2,s1\n"     /* 1: added */
                            "pin,c3,s3\n"     /* 2: kept */
                            "veto,c3,s1\n"    /* 3: none */
                            "pin,c1,s3\n"     /* 4: not applied (c1 is at s2) */
                            "exclude,c5,\n"   /* 5: none (c5 had nothing) */
                            "exclude,,s2\n"); /* 6: not applied (s2 still has c1) */
    TmReviewEffects *e = tm_review_effects_new(base, dist, r, &err);
    assert_non_null(e);
    assert_ptr_equal(tm_review_effects_previous(e), base);
    assert_ptr_equal(tm_review_effects_current(e), dist);
    assert_int_equal(tm_review_n_decisions(tm_review_effects_review(e)), 7);
    expect_decision(e, 0, TM_EFFECT_REMOVED, 0, 0, 0, "c1 s1 c2 s2");
    expect_decision(e, 1, TM_EFFECT_ADDED, 1, 0, 0, "c2 s1 c1 s2");
    expect_decision(e, 2, TM_EFFECT_KEPT, 2, 2, 0, "c3 s3");
    expect_decision(e, 3, TM_EFFECT_NONE, 2, 0, 0, "c3 s1 c1 c2");
    /* c1-s3 is 10 km: no rule fails */
    expect_decision(e, 4, TM_EFFECT_NOT_APPLIED, 0, 2, 0, "c1 s3 s1 s2");
    expect_decision(e, 5, TM_EFFECT_NONE, 4, -1, 0, "c5");
    expect_decision(e, 6, TM_EFFECT_NOT_APPLIED, -1, 1, 0, "s2 c1 c2");
    expect_changes(e, "c1-s2 c2-s1", "c1-s1 c2-s2", "", "");
    assert_int_equal(tm_review_effects_decision(e, 7, NULL, NULL, NULL), -1);
    assert_int_equal(tm_review_effects_n_moved(e, -1), -1);
    int side = 9;
    int32_t id = 9;
    assert_false(tm_review_effects_moved(e, 0, 4, &side, &id));
    assert_int_equal(side, -1);
    assert_int_equal(id, -1);
    tm_review_effects_free(e);
    tm_review_free(r);

    /* a pin of a pair no rule allows: the pair rules it overrides (under
     * the current selection's rules) */
    r = review_of("decision,commissioner,site\npin,c1,s1\npin,c4,s1\n");
    e = tm_review_effects_new(base, dist, r, &err);
    assert_non_null(e);
    expect_decision(e, 0, TM_EFFECT_NOT_APPLIED, 0, 0, bit("P_DISTANCE"), "c1 s1 c2 s2");
    /* c4: junior (C_TITLE), no eit expertise (P_SECTOR), below s1's title
     * (P_TITLE) */
    expect_decision(e, 1, TM_EFFECT_NOT_APPLIED, 3, 0,
                    bit("C_TITLE") | bit("P_SECTOR") | bit("P_TITLE"), "c4 s1 c1 c2");
    tm_review_effects_free(e);
    tm_review_free(r);

    /* base -> quota: c3 dropped */
    r = review_of("decision,commissioner,site\nexclude,c3,\nexclude,,s3\nadmit,c5,\n");
    e = tm_review_effects_new(base, quota, r, &err);
    assert_non_null(e);
    expect_decision(e, 0, TM_EFFECT_REMOVED, 2, -1, 0, "c3 s3");
    expect_decision(e, 1, TM_EFFECT_REMOVED, -1, 2, 0, "s3 c3");
    expect_decision(e, 2, TM_EFFECT_NOT_PLACED, 4, -1, 0, "c5");
    expect_changes(e, "", "c3-s3", "", "c3");
    tm_review_effects_free(e);
    tm_review_free(r);

    /* base -> title: c4 placed; the admission is read under the current
     * rules (C_TITLE off there: nothing to override); against the baseline
     * the other way round it is not applied (c4 ineligible) and overrides
     * C_TITLE */
    r = review_of("decision,commissioner,site\nadmit,c4,\n");
    e = tm_review_effects_new(base, title, r, &err);
    expect_decision(e, 0, TM_EFFECT_PLACED, 3, -1, 0, "c4 s4");
    expect_changes(e, "c4-s4", "", "c4", "");
    tm_review_effects_free(e);
    e = tm_review_effects_new(title, base, r, &err);
    expect_decision(e, 0, TM_EFFECT_NOT_APPLIED, 3, -1, bit("C_TITLE"), "c4 s4");
    expect_changes(e, "", "c4-s4", "", "c4");
    tm_review_effects_free(e);
    tm_review_free(r);

    /* no review: only the overall changes; the same selection: nothing */
    e = tm_review_effects_new(base, base, NULL, &err);
    assert_non_null(e);
    assert_int_equal(tm_review_n_decisions(tm_review_effects_review(e)), 0);
    expect_changes(e, "", "", "", "");
    tm_review_effects_free(e);

    tm_selection_free(base);
    tm_selection_free(dist);
    tm_selection_free(quota);
    tm_selection_free(title);
    tm_programme_free(p);
}

static void test_refusals(void **state)
{
    (void)state;
    TmProgramme *p = review_programme();
    GError *err = NULL;
    TmSelection *base = review_select(p, NULL, -1, NULL, &err);
    TmReview *r = review_of("decision,commissioner,site\npin,c1,s1\nveto,c2,nowhere\n");
    assert_null(tm_review_effects_new(base, base, r, &err));
    assert_int_equal(err->code, TM_ERROR_UNKNOWN_NAME);
    assert_string_equal(err->message,
                        "review.csv:3: veto (否决): no site named 'nowhere' in the programme");
    g_clear_error(&err);
    tm_review_free(r);
    r = tm_review_new();
    tm_review_add(r, TM_DECISION_EXCLUDE, "nobody", NULL, NULL, NULL, NULL);
    assert_null(tm_review_effects_new(base, base, r, &err));
    assert_int_equal(err->code, TM_ERROR_UNKNOWN_NAME);
    assert_string_equal(err->message, "decision 1 of the review: exclude (排除): no commissioner "
                                      "named 'nobody' in the programme");
    g_clear_error(&err);
    tm_review_free(r);

    /* the same forms read twice: the same agents */
    TmProgramme *twin = review_programme();
    TmSelection *twin_sel = review_select(twin, NULL, -1, NULL, &err);
    TmReviewEffects *e = tm_review_effects_new(base, twin_sel, NULL, &err);
    assert_non_null(e);
    assert_int_equal(tm_review_effects_n_pairs(e, TM_CHANGE_ADDED), 0);
    tm_review_effects_free(e);
    tm_selection_free(twin_sel);
    tm_programme_free(twin);

    /* other agents: a commissioner renamed, one more site */
    char *comms = g_strdup(REVIEW_COMMS);
    *strstr(comms, "c5,") = 'x';
    TmProgramme *other = tm_programme_new(NULL);
    assert_true(tm_forms_read_sites_data(other, REVIEW_SITES, -1, "s", TM_FORMS_STRICT, NULL, &err));
    assert_true(tm_forms_read_commissioners_data(other, comms, -1, "c", TM_FORMS_STRICT, NULL, &err));
    TmSelection *other_sel = review_select(other, NULL, -1, NULL, &err);
    assert_null(tm_review_effects_new(base, other_sel, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    assert_string_equal(err->message, "review effects: the selections cover different agents "
                                      "(commissioners 4 is 'c5' in the previous run, 'x5' in the "
                                      "current one)");
    g_clear_error(&err);
    tm_selection_free(other_sel);
    tm_programme_free(other);
    g_free(comms);
    TmProgramme *bigger = review_programme();
    TmSite extra = {0};
    extra.name = "s5";
    extra.kind = TM_SITE_HIGH_TECH;
    extra.capacity = 1;
    extra.x = extra.y = TM_NO_LOCATION;
    assert_true(tm_programme_add_site(bigger, &extra, &err) >= 0);
    TmSelection *bigger_sel = review_select(bigger, NULL, -1, NULL, &err);
    assert_null(tm_review_effects_new(base, bigger_sel, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    assert_string_equal(err->message, "review effects: the selections cover different agents (4 "
                                      "sites in the previous run, 5 in the current one)");
    g_clear_error(&err);
    tm_selection_free(bigger_sel);
    tm_programme_free(bigger);

    assert_null(tm_review_effects_new(NULL, base, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_null(tm_review_effects_markdown(NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_review_effects_write(NULL, "x", &err));
    g_clear_error(&err);
    tm_review_effects_free(NULL);
    assert_int_equal(tm_review_effects_n_pairs(NULL, TM_CHANGE_ADDED), -1);
    assert_int_equal(tm_review_effects_n_commissioners(NULL, TM_CHANGE_ADDED), -1);
    assert_int_equal(tm_review_effects_commissioner(NULL, TM_CHANGE_ADDED, 0), -1);
    assert_null(tm_effect_code((TmEffect)TM_N_EFFECTS));
    assert_string_equal(tm_effect_code(TM_EFFECT_NOT_APPLIED), "not_applied");
    tm_selection_free(base);
    tm_programme_free(p);
}

static void test_markdown(void **state)
{
    (void)state;
    TmProgramme *p = review_programme();
    GError *err = NULL;
    TmSelection *base = review_select(p, NULL, -1, NULL, &err);
    TmSelection *dist = review_select(p, RULES_DISTANCE, -1, NULL, &err);
    TmReview *r = tm_review_new();
    tm_review_add(r, TM_DECISION_VETO, "c1", "s1", "too far *really*", "review.csv:2", NULL);
    tm_review_add(r, TM_DECISION_PIN, "c3", "s3", NULL, "review.csv:3", NULL);
    tm_review_add(r, TM_DECISION_ADMIT, "c5", NULL, NULL, NULL, NULL);
    tm_review_add(r, TM_DECISION_VETO, "c3", "s1", NULL, NULL, NULL);
    TmReviewEffects *e = tm_review_effects_new(base, dist, r, &err);
    assert_non_null(e);
    char *md = tm_review_effects_markdown(e, &err);
    assert_non_null(md);
    expect_contains(md, "\n## Leading group's review (领导小组审核)\n\n4 decisions (1 pin, 2 veto, "
                        "0 exclude, 1 admit)");
    expect_contains(md, "Each decision is compared with the previous run: the same forms and "
                        "configuration without the review.\n\n1. **veto");
    expect_contains(md, "1. **veto (否决)** c1 — s1 (review.csv:2)\n"
                        "   - Note (备注): too far \\*really\\*\n"
                        "   - Effect: removed — the pair was assigned in the previous run and is "
                        "not now\n"
                        "   - Before → now: c1: s1 → s2; s1: c1 → c2; c2: s2 → s1; s2: c2 → c1\n");
    /* a pin that kept what was there: no before -> now line */
    expect_contains(md, "2. **pin (确认)** c3 — s3 (review.csv:3)\n"
                        "   - Effect: kept — the pair was assigned in the previous run too\n"
                        "3. **admit");
    expect_contains(md, "3. **admit (增补)** c5\n"
                        "   - Effect: not placed — treated as eligible, it took part but is not "
                        "assigned\n"
                        "   - Overrides: nothing — no eligibility rule failed for it\n"
                        "   - Before → now: c5: none (outranked");
    /* (the outcome's detail, which names who took the place, changed) */
    expect_contains(md, ") → none (outranked");
    expect_contains(md, ")\n4. **veto");
    /* agents that did not move are marked when others did */
    expect_contains(md, "4. **veto (否决)** c3 — s1\n"
                        "   - Effect: no change — the pair was not assigned in the previous run "
                        "either\n"
                        "   - Before → now: c3: s3 (unchanged); s1: c1 → c2; c1: s1 → s2; c2: s2 "
                        "→ s1\n");
    expect_contains(md, "### Changes against the previous run\n\n"
                        "- Pairs added (2):\n  - c1 — s2\n  - c2 — s1\n"
                        "- Pairs removed (2):\n  - c1 — s1\n  - c2 — s2\n"
                        "- Commissioners newly selected (0): none\n"
                        "- Commissioners no longer selected (0): none\n");
    g_free(md);
    /* the same section in Chinese (issue 11): the words from the catalogue,
     * the data's text escaped alike */
    TmOutputOptions *zh_opts = tm_output_options_new();
    tm_output_options_set_language(zh_opts, TM_LANG_ZH);
    md = tm_review_effects_markdown_with(e, zh_opts, &err);
    assert_non_null(md);
    expect_contains(md, "\n## 领导小组审核\n\n审核决定 4 项（确认 1 项、否决 2 项、排除 0 项、增补 1 项）");
    expect_contains(md, "比较：以同样的登记表和配置、未经审核的选派结果。\n\n1. **");
    expect_contains(md, "1. **否决（veto）** c1 — s1（review.csv:2）\n"
                        "   - 备注：too far \\*really\\*\n"
                        "   - 效果：撤销——上一次选派中已安排该结对，现不再安排\n"
                        "   - 调整前 → 调整后：c1：s1 → s2；s1：c1 → c2；c2：s2 → s1；s2：c2 → c1\n");
    expect_contains(md, "   - 突破的规则：无——该项未违反任何资格规则\n");
    expect_contains(md, "c5：无（被排名更靠前者占先");
    expect_contains(md, "c3：s3（未变）；");
    expect_contains(md, "### 与上一次选派结果相比的变化\n\n"
                        "- 新增结对（2）：\n  - c1 — s2\n  - c2 — s1\n"
                        "- 撤销结对（2）：\n  - c1 — s1\n  - c2 — s2\n"
                        "- 新选派的特派员（0）：无\n"
                        "- 不再选派的特派员（0）：无\n");
    g_free(md);
    /* English options: the English section, byte for byte */
    tm_output_options_set_language(zh_opts, TM_LANG_EN);
    md = tm_review_effects_markdown_with(e, zh_opts, &err);
    char *en = tm_review_effects_markdown(e, &err);
    assert_string_equal(md, en);
    g_free(en);
    g_free(md);
    tm_output_options_free(zh_opts);
    assert_null(tm_review_effects_markdown_with(NULL, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    tm_review_effects_free(e);
    tm_review_free(r);

    /* a pin no rule allows says so; a dropped commissioner says where it is now */
    TmSelection *quota = review_select(p, RULES_DISTANCE, 2, NULL, &err);
    r = tm_review_new();
    tm_review_add(r, TM_DECISION_PIN, "c1", "s1", NULL, NULL, NULL);
    e = tm_review_effects_new(base, quota, r, &err);
    md = tm_review_effects_markdown(e, &err);
    /* with the value at fault (rules.h's fault texts) */
    expect_contains(md, "   - Overrides: P_DISTANCE (distance (距离): 25");
    expect_contains(md, " km from s1 (limit 20 km)). The group's decision stands: the pair is "
                        "assigned all the same.\n");
    expect_contains(md, "- Commissioners no longer selected (1): c3 — now none (quota");
    assert_true(tm_review_effects_set_baseline(e, "the run of *May* (with review-1.csv)", &err));
    assert_string_equal(tm_review_effects_baseline(e), "the run of *May* (with review-1.csv)");
    char *md2 = tm_review_effects_markdown(e, &err);
    expect_contains(md2, "compared with the previous run: the run of \\*May\\* (with "
                         "review-1.csv).\n");
    g_free(md2);
    assert_false(tm_review_effects_set_baseline(e, "\xff", &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_review_effects_set_baseline(NULL, "x", &err));
    g_clear_error(&err);
    assert_null(tm_review_effects_baseline(NULL));
    assert_true(tm_review_effects_set_baseline(e, NULL, &err));
    assert_string_equal(tm_review_effects_baseline(e),
                        "the same forms and configuration without the review");

    /* the document set: report.md is the selection's report + the section */
    char *dir = g_dir_make_tmp("tm-review-md-XXXXXX", &err);
    char *out = g_build_filename(dir, "out", NULL);
    assert_true(tm_review_effects_write(e, out, &err));
    char *path = g_build_filename(out, "report.md", NULL), *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    char *report = tm_selection_report_markdown(quota, &err);
    char *want = g_strconcat(report, md, NULL);
    assert_string_equal(text, want);
    g_free(want);
    g_free(report);
    g_free(text);
    g_remove(path);
    g_free(path);
    for (int i = 0; i < 2; i++) {
        path = g_build_filename(out, i ? "assignments.json" : "assignments.csv", NULL);
        assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
        g_remove(path);
        g_free(path);
    }
    g_rmdir(out);
    g_rmdir(dir);
    g_free(out);
    g_free(dir);
    g_free(md);
    tm_review_effects_free(e);
    tm_review_free(r);
    tm_selection_free(quota);
    tm_selection_free(base);
    tm_selection_free(dist);
    tm_programme_free(p);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest fixture[] = {cmocka_unit_test(test_fixture)};
    const struct CMUnitTest effects[] = {cmocka_unit_test(test_effects)};
    const struct CMUnitTest refusals[] = {cmocka_unit_test(test_refusals)};
    const struct CMUnitTest markdown[] = {cmocka_unit_test(test_markdown)};
    const char *group = argc > 1 ? argv[1] : NULL;
    int failed = 0;
#define GROUP(name)                                                                           \
    if (group == NULL || strcmp(group, #name) == 0)                                           \
        failed += cmocka_run_group_tests_name(#name, name, NULL, NULL);
    GROUP(fixture)
    GROUP(effects)
    GROUP(refusals)
    GROUP(markdown)
#undef GROUP
    return failed != 0;
}
