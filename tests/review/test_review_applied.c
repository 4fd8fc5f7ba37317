/* The review applied by the selection (review.h: pins first and counting
 * against the quota, vetoes never assigned, exclusions TM_OUTCOME_REVIEW,
 * admissions overriding the eligibility rules) and compared with the run
 * without it (review_effects.h), on the hand-worked programme of
 * review_fixture.h.  Every expected matching is worked out by hand in the
 * comments from the fixture's lists (commissioner-proposing deferred
 * acceptance, a pinned seat taken before anyone proposes).
 *
 *   review.applied  veto, pin, exclude, admit, a pin no rule allows, pins
 *                   against the quota, the mid-term withdrawal recipe,
 *                   unknown names and contradictions refused
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>

#include "review_fixture.h"

typedef struct {
    TmProgramme *p;
    TmSelection *base;
} Fx;

static int setup(void **state)
{
    Fx *fx = g_new0(Fx, 1);
    fx->p = review_programme();
    fx->base = review_select(fx->p, NULL, -1, NULL, NULL);
    *state = fx;
    return fx->base == NULL;
}

static int teardown(void **state)
{
    Fx *fx = *state;
    tm_selection_free(fx->base);
    tm_programme_free(fx->p);
    g_free(fx);
    return 0;
}

static TmReview *review_of(const char *rows)
{
    char *csv = g_strconcat("decision,commissioner,site,note\n", rows, NULL);
    TmReview *r = tm_review_new();
    GError *err = NULL;
    if (!tm_review_load_data(r, csv, -1, "review.csv", &err))
        fail_msg("%s", err->message);
    g_free(csv);
    return r;
}

/* Selects with @rows as the review (quota @quota) and checks the pairs and,
 * against the baseline, the effect of each decision (@effects, -1 ended). */
static TmSelection *expect_run(const Fx *fx, const char *rows, int32_t quota, const char *pairs,
                               const int *effects)
{
    TmReview *r = review_of(rows);
    GError *err = NULL;
    TmSelection *sel = review_select(fx->p, NULL, quota, r, &err);
    if (sel == NULL)
        fail_msg("the selection refused the review: %s", err->message);
    char *got = review_pairs(sel);
    if (strcmp(got, pairs) != 0)
        fprintf(stderr, "review:\n%spairs: got [%s], want [%s]\n", rows, got, pairs);
    assert_string_equal(got, pairs);
    g_free(got);
    TmReviewEffects *e = tm_review_effects_new(fx->base, sel, r, &err);
    assert_non_null(e);
    for (int32_t i = 0; effects[i] >= 0; i++) {
        int eff = tm_review_effects_decision(e, i, NULL, NULL, NULL);
        if (eff != effects[i])
            fprintf(stderr, "decision %d: %s, want %s\n", i, tm_effect_code((TmEffect)eff),
                    tm_effect_code((TmEffect)effects[i]));
        assert_int_equal(eff, effects[i]);
    }
    tm_review_effects_free(e);
    tm_review_free(r);
    return sel;
}

#define EFFECTS(...) ((const int[]){__VA_ARGS__, -1})

static void test_veto(void **state)
{
    /* s1 never takes c1: c1 -> s2; c2 -> s1; c3 -> s2, s1 refused, s3 */
    TmSelection *sel = expect_run(*state, "veto,c1,s1,\n", -1, "c1-s2 c2-s1 c3-s3",
                                  EFFECTS(TM_EFFECT_REMOVED));
    tm_selection_free(sel);
    /* a veto of a pair nobody wanted changes nothing */
    sel = expect_run(*state, "veto,c3,s1,\n", -1, "c1-s1 c2-s2 c3-s3", EFFECTS(TM_EFFECT_NONE));
    tm_selection_free(sel);
}

static void test_pin(void **state)
{
    /* c3-s1 first; c1 -> s1 (full), s2; c2 -> s1, s2 refused, s3 */
    TmSelection *sel = expect_run(*state, "pin,c3,s1,\n", -1, "c1-s2 c2-s3 c3-s1",
                                  EFFECTS(TM_EFFECT_ADDED));
    tm_selection_free(sel);
    sel = expect_run(*state, "pin,c2,s2,\n", -1, "c1-s1 c2-s2 c3-s3", EFFECTS(TM_EFFECT_KEPT));
    tm_selection_free(sel);
}

static void test_pin_against_rules(void **state)
{
    /* c4 fails C_TITLE, and P_SECTOR and P_TITLE with s1: the group's pin
     * stands.  c1 -> s1 (full), s2; c2 -> s1, s2 refused, s3; c3 -> s2,
     * s1, s3 refused (s3 prefers c2) */
    const Fx *fx = *state;
    TmSelection *sel = expect_run(fx, "pin,c4,s1,\n", -1, "c1-s2 c2-s3 c4-s1",
                                  EFFECTS(TM_EFFECT_ADDED));
    TmReview *r = review_of("pin,c4,s1,\n");
    TmReviewEffects *e = tm_review_effects_new(fx->base, sel, r, NULL);
    uint32_t mask = 0;
    tm_review_effects_decision(e, 0, NULL, NULL, &mask);
    assert_int_equal(mask, (1u << tm_rule_find("C_TITLE")) | (1u << tm_rule_find("P_SECTOR")) |
                               (1u << tm_rule_find("P_TITLE")));
    tm_review_effects_free(e);
    tm_review_free(r);
    tm_selection_free(sel);
}

static void test_exclude(void **state)
{
    /* without c1: c2 -> s1; c3 -> s2; c5 -> s2 refused (s2 names c3, not
     * c5), s1 refused, s3 (nobody it names is left for s3) */
    TmSelection *sel = expect_run(*state, "exclude,c1,,left\n", -1, "c2-s1 c3-s2 c5-s3",
                                  EFFECTS(TM_EFFECT_REMOVED));
    const char *detail = NULL;
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, 0, &detail), TM_OUTCOME_REVIEW);
    tm_selection_free(sel);
    /* without s1: c1 -> s2; c2 -> s2 refused, s3; c3 -> s2, s3 refused */
    sel = expect_run(*state, "exclude,,s1,\n", -1, "c1-s2 c2-s3", EFFECTS(TM_EFFECT_REMOVED));
    assert_int_equal(tm_selection_outcome(sel, TM_SIDE_DEMAND, 0, NULL), TM_OUTCOME_REVIEW);
    tm_selection_free(sel);
}

static void test_admit(void **state)
{
    /* c4 (junior) treated as eligible: c4 -> s4 */
    const Fx *fx = *state;
    TmSelection *sel = expect_run(fx, "admit,c4,,\n", -1, "c1-s1 c2-s2 c3-s3 c4-s4",
                                  EFFECTS(TM_EFFECT_PLACED));
    TmReview *r = review_of("admit,c4,,\n");
    TmReviewEffects *e = tm_review_effects_new(fx->base, sel, r, NULL);
    uint32_t mask = 0;
    tm_review_effects_decision(e, 0, NULL, NULL, &mask);
    assert_int_equal(mask, 1u << tm_rule_find("C_TITLE"));
    assert_int_equal(tm_review_effects_n_commissioners(e, TM_CHANGE_ADDED), 1);
    assert_int_equal(tm_review_effects_commissioner(e, TM_CHANGE_ADDED, 0), 3);
    tm_review_effects_free(e);
    tm_review_free(r);
    tm_selection_free(sel);
}

static void test_quota(void **state)
{
    /* a quota of 2 with c5-s3 pinned: the pin takes one place, c1 (merit
     * 90) the other; c2 (80) would exceed the quota */
    TmSelection *sel = expect_run(*state, "pin,c5,s3,\n", 2, "c1-s1 c5-s3",
                                  EFFECTS(TM_EFFECT_ADDED));
    assert_int_equal(tm_selection_quota_used(sel), 2);
    tm_selection_free(sel);
}

static void test_withdrawal(void **state)
{
    /* c2 leaves mid-term: pin everyone else, exclude c2, re-run: the
     * vacancy at s2 goes to c5 (its only wish) */
    const Fx *fx = *state;
    const char *rows = "pin,c1,s1,\npin,c3,s3,\nexclude,c2,,withdrew in month 7\n";
    TmSelection *sel = expect_run(fx, rows, -1, "c1-s1 c3-s3 c5-s2",
                                  EFFECTS(TM_EFFECT_KEPT, TM_EFFECT_KEPT, TM_EFFECT_REMOVED));
    TmReview *r = review_of(rows);
    TmReviewEffects *e = tm_review_effects_new(fx->base, sel, r, NULL);
    assert_int_equal(tm_review_effects_n_pairs(e, TM_CHANGE_ADDED), 1);
    assert_int_equal(tm_review_effects_n_pairs(e, TM_CHANGE_REMOVED), 1);
    assert_int_equal(tm_review_effects_commissioner(e, TM_CHANGE_ADDED, 0), 4);
    assert_int_equal(tm_review_effects_commissioner(e, TM_CHANGE_REMOVED, 0), 1);
    char *md = tm_review_effects_markdown(e, NULL);
    assert_non_null(strstr(md, "c2: s2 → none (review"));
    assert_non_null(strstr(md, "s2: c2 → c5"));
    g_free(md);
    tm_review_effects_free(e);
    tm_review_free(r);
    tm_selection_free(sel);
}

static void test_refused(void **state)
{
    const Fx *fx = *state;
    GError *err = NULL;
    TmReview *r = review_of("pin,c1,s1,\nveto,c2,nowhere,\n");
    assert_null(review_select(fx->p, NULL, -1, r, &err));
    assert_int_equal(err->code, TM_ERROR_UNKNOWN_NAME);
    assert_non_null(strstr(err->message, "review.csv:3"));
    g_clear_error(&err);
    tm_review_free(r);
    /* contradictions the reader refuses are refused by the selection too
     * when a review is built by hand */
    r = tm_review_new();
    tm_review_add(r, TM_DECISION_PIN, "c1", "s1", NULL, "hand:1", NULL);
    tm_review_add(r, TM_DECISION_VETO, "c1", "s1", NULL, "hand:2", NULL);
    assert_null(review_select(fx->p, NULL, -1, r, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    tm_review_free(r);
    /* more pins on an agent than its capacity */
    r = review_of("pin,c1,s1,\npin,c1,s2,\n");
    assert_null(review_select(fx->p, NULL, -1, r, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    tm_review_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_veto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_against_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exclude, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests_name("applied", tests, NULL, NULL);
}
