/* The explanation of every agent of random programmes (explain.h): 2,000
 * small programmes with quotas (people or assignments), sector caps and
 * floors, and the leading group's review (pins, vetoes, exclusions,
 * admissions) one time in three.  For each agent of both sides: one row per
 * agent of the other side, the list first in the market's order, the
 * partners marked, a why-not text exactly when there is a why-not, no
 * unexplained row (the selection is stable among the admitted; a place held
 * by a pinned pair is said to be), the site and the person of tm_selection_outranked_at()
 * named by that site's row, and every kind of why-not met.  With
 * TM_EXPLAIN_DEBUG set, an unexplained row prints both explanations and the
 * report. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include <techmatch/techmatch.h>

#include "selection_random.h"

/* Every row of every agent's explanation against the selection: one row per
 * agent of the other side, the list in the market's order, the partners
 * marked, no unexplained why-not in a selection that is stable among the
 * admitted, and the site and person of tm_selection_outranked_at() named by
 * the row of that site. */
static void check_explanations(const TmSelection *sel, int64_t *n_why, const gboolean *pin_c,
                               const gboolean *pin_s)
{
    TmMarket *m = tm_selection_market(sel);
    const TmMatching *mt = tm_selection_matching(sel);
    for (int side = 0; side < 2; side++)
        for (int32_t id = 0; id < tm_selection_n_agents(sel, (TmSide)side); id++) {
            GError *err = NULL;
            TmExplanation *e = tm_selection_explain_agent(sel, (TmSide)side, id, &err);
            assert_non_null(e);
            assert_int_equal(tm_explanation_n_rows(e),
                             tm_selection_n_agents(sel, (TmSide)(1 - side)));
            int32_t len = 0, partners = 0;
            const int32_t *list = tm_market_prefs(m, (TmSide)side, id, &len);
            for (int32_t i = 0; i < tm_explanation_n_rows(e); i++) {
                int status = tm_explanation_row_status(e, i);
                assert_true(i < len ? status == TM_EXPLAIN_LISTED : status != TM_EXPLAIN_LISTED);
                if (i < len)
                    assert_int_equal(tm_explanation_row_candidate(e, i), list[i]);
                partners += tm_explanation_row_is_partner(e, i);
                int why = tm_explanation_row_why(e, i);
                int32_t cand = tm_explanation_row_candidate(e, i);
                int32_t c = side == TM_SIDE_SUPPLY ? id : cand, s = side == TM_SIDE_SUPPLY ? cand : id;
                /* a pinned pair holds its places whatever the lists say: said so */
                if (why == TM_WHY_PINNED)
                    assert_true(pin_c[c] || pin_s[s]);
                if (why == TM_WHY_UNEXPLAINED && getenv("TM_EXPLAIN_DEBUG")) {
                    char *t = tm_explanation_to_text(e, -1, NULL);
                    fprintf(stderr, "%s\n", t);
                    g_free(t);
                    TmExplanation *o = tm_selection_explain_agent(
                        sel, (TmSide)(1 - side), tm_explanation_row_candidate(e, i), NULL);
                    t = tm_explanation_to_text(o, -1, NULL);
                    fprintf(stderr, "%s\n", t);
                    g_free(t);
                    tm_explanation_free(o);
                    char *md = tm_selection_report_markdown(sel, NULL);
                    fprintf(stderr, "%s\n", md);
                    g_free(md);
                }
                if (why == TM_WHY_UNEXPLAINED)
                    fail_msg("%s %d, row %d: %s", side ? "site" : "commissioner", id, i,
                             tm_explanation_row_why_text(e, i));
                n_why[why]++;
                assert_true((why == TM_WHY_NONE) == (tm_explanation_row_why_text(e, i) == NULL));
            }
            assert_int_equal(partners, tm_matching_n_partners(mt, (TmSide)side, id));
            int32_t site, by;
            if (side == TM_SIDE_SUPPLY && tm_selection_outranked_at(sel, id, &site, &by)) {
                int32_t i = 0;
                while (tm_explanation_row_candidate(e, i) != site)
                    i++;
                if (tm_explanation_row_why(e, i) == TM_WHY_PINNED) {
                    assert_true(pin_s[site]);
                    tm_explanation_free(e);
                    continue;
                }
                if (tm_explanation_row_why(e, i) != TM_WHY_HOLDS_PREFERRED)
                    fail_msg("commissioner %d outranked at site %d by %d: %s", id, site, by,
                             tm_explanation_row_why_text(e, i));
                gboolean named = FALSE;
                for (int32_t j = 0; j < tm_explanation_row_n_holders(e, i); j++)
                    named = named || tm_explanation_row_holder(e, i, j, NULL) == by;
                assert_true(named);
            }
            tm_explanation_free(e);
        }
}

static void test_random_programmes(void **state)
{
    (void)state;
    TmRules *rules = tm_rules_new_default();
    int64_t n_why[7] = {0};
    int refused = 0;
    for (int round = 0; round < 2000; round++) {
        TmProgramme *p = random_programme(2 + (int)rnd(12), 2 + (int)rnd(10));
        TmQuota *q = tm_quota_new();
        assert_true(tm_quota_set_unit(q, rnd(3) == 0 ? TM_QUOTA_ASSIGNMENTS : TM_QUOTA_PEOPLE,
                                      NULL));
        int total = rnd(4) == 0 ? -1 : (int)rnd(7);
        assert_true(tm_quota_set_total(q, total, NULL));
        int floors = 0;
        for (int k = 0; rnd(2) && k < 3; k++) {
            int cap = rnd(3) == 0 ? -1 : (int)rnd(4);
            int fl = (int)rnd(3);
            if (cap >= 0)
                fl = MIN(fl, cap);
            if (total >= 0 && floors + fl > total)
                fl = 0;
            floors += fl;
            assert_true(tm_quota_set_sector(q, tm_taxonomy_code(tm_programme_taxonomy(p), k), cap,
                                            fl, NULL));
        }
        /* the leading group's review, one round in three */
        TmSelectOptions *o = tm_select_options_new();
        gboolean pin_c[16] = {0}, pin_s[16] = {0};
        if (rnd(3) == 0) {
            TmReview *rv = tm_review_new();
            int nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
            int npc[16] = {0}, nps[16] = {0}, pins = 0;
            gboolean excl_c[16] = {0}, excl_s[16] = {0}, adm[16] = {0};
            gboolean pinned[16][16] = {{0}}, vetoed[16][16] = {{0}};
            for (int i = 1 + (int)rnd(4); i > 0; i--) {
                int c = (int)rnd((uint32_t)nc), s = (int)rnd((uint32_t)ns), kind = (int)rnd(4);
                const char *cn = tm_programme_commissioner(p, c)->name;
                const char *sn = tm_programme_site(p, s)->name;
                if (kind == TM_DECISION_PIN && !pinned[c][s] && !vetoed[c][s] && !excl_c[c]
                    && !excl_s[s] && npc[c] < tm_programme_commissioner(p, c)->capacity
                    && nps[s] < tm_programme_site(p, s)->capacity
                    && (total < 0 || pins + 1 + floors <= total)) {
                    pinned[c][s] = pin_c[c] = pin_s[s] = TRUE;
                    npc[c]++, nps[s]++, pins++;
                    assert_true(tm_review_add(rv, TM_DECISION_PIN, cn, sn, NULL, NULL, NULL) >= 0);
                } else if (kind == TM_DECISION_VETO && !pinned[c][s]) {
                    vetoed[c][s] = TRUE;
                    assert_true(tm_review_add(rv, TM_DECISION_VETO, cn, sn, NULL, NULL, NULL) >= 0);
                } else if (kind == TM_DECISION_EXCLUDE && rnd(2) && npc[c] == 0 && !adm[c]) {
                    excl_c[c] = TRUE;
                    assert_true(tm_review_add(rv, TM_DECISION_EXCLUDE, cn, NULL, "no", NULL, NULL)
                                >= 0);
                } else if (kind == TM_DECISION_EXCLUDE && nps[s] == 0) {
                    excl_s[s] = TRUE;
                    assert_true(tm_review_add(rv, TM_DECISION_EXCLUDE, NULL, sn, NULL, NULL, NULL)
                                >= 0);
                } else if (kind == TM_DECISION_ADMIT && !excl_c[c]) {
                    adm[c] = TRUE;
                    assert_true(tm_review_add(rv, TM_DECISION_ADMIT, cn, NULL, NULL, NULL, NULL)
                                >= 0);
                }
            }
            if (getenv("TM_EXPLAIN_DEBUG"))
                for (int32_t i = 0; i < tm_review_n_decisions(rv); i++) {
                    const char *cn, *sn;
                    int kind = tm_review_decision(rv, i, &cn, &sn, NULL, NULL);
                    fprintf(stderr, "  review: %s %s %s\n", tm_decision_kind_code(kind),
                            cn ? cn : "-", sn ? sn : "-");
                }
            assert_true(tm_select_options_set_review(o, rv, NULL));
            tm_review_free(rv);
        }
        GError *err = NULL;
        gboolean reviewed = tm_select_options_get_review(o) != NULL;
        TmSelection *sel = tm_programme_select(p, rules, q, o, &err);
        tm_select_options_free(o);
        if (sel == NULL && reviewed && g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT)) {
            /* pins the caps or the quota cannot take: the review is refused */
            g_clear_error(&err);
            refused++;
            tm_quota_free(q);
            tm_programme_free(p);
            continue;
        }
        if (sel == NULL)
            fail_msg("round %d: %s", round, err->message);
        if (getenv("TM_EXPLAIN_DEBUG"))
            for (int32_t k = 0; k < tm_quota_n_sectors(q); k++) {
                int32_t qc, qf;
                tm_quota_sector(q, tm_quota_sector_code(q, k), &qc, &qf);
                fprintf(stderr, "round %d: quota %d, sector %s cap %d floor %d\n", round, total,
                        tm_quota_sector_code(q, k), qc, qf);
            }
        check_explanations(sel, n_why, pin_c, pin_s);
        tm_selection_free(sel);
        tm_quota_free(q);
        tm_programme_free(p);
    }
    if (getenv("TM_EXPLAIN_DEBUG"))
        fprintf(stderr, "why-nots: holds %" G_GINT64_FORMAT ", sector cap %" G_GINT64_FORMAT
                ", quota %" G_GINT64_FORMAT ", merit cutoff %" G_GINT64_FORMAT
                ", pinned %" G_GINT64_FORMAT "; %d reviews refused\n",
                n_why[1], n_why[2], n_why[3], n_why[4], n_why[6], refused);
    assert_int_equal(n_why[TM_WHY_UNEXPLAINED], 0);
    assert_true(n_why[TM_WHY_PINNED] > 0);
    assert_true(refused < 200);
    /* every kind of why-not was met */
    for (int w = TM_WHY_HOLDS_PREFERRED; w <= TM_WHY_MERIT_CUTOFF; w++)
        if (n_why[w] == 0)
            fail_msg("no why-not %s in the random programmes", tm_explain_why_code((TmExplainWhy)w));
    tm_rules_free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_programmes),
    };
    return cmocka_run_group_tests_name("selection.explain_random", tests, NULL, NULL);
}
