/* The small programme the review tests share (tests/review), worked out by
 * hand.  Header-only.
 *
 *   sites (capacity 1):   s1 eit (15,0)  wishes c1 c2 c3
 *                         s2 eit (0,0)   wishes c1 c2 c3
 *                         s3 eit (0,0)   wishes c1 c2 c3
 *                         s4 agri (0,0)  min title junior, wishes c4
 *   commissioners (capacity 1, all at (0,0) but c1 at (-10,0)):
 *     c1 senior  eit:2   merit 90  wishes s1 s2 s3
 *     c2 senior  eit:2   merit 80  wishes s1 s2 s3
 *     c3 senior  eit:2   merit 70  wishes s2 s1 s3
 *     c4 junior  agri:2  merit 95  wishes s4     (fails C_TITLE by default)
 *     c5 senior  eit:2   merit 60  wishes s2
 *
 * Commissioner-proposing deferred acceptance with the default rules and no
 * quota: c1 -> s1; c2 -> s1 (refused), s2; c3 -> s2 (refused: s2 prefers
 * c2), s1 (refused), s3; c5 -> s2, s1, s3 refused (each holds one it names);
 * c4 ineligible.  So the baseline is c1-s1, c2-s2, c3-s3, with s4 empty and
 * c5 outranked.  Variants (same agents):
 *   - P_DISTANCE on at 20 km: c1-s1 (25 km) unacceptable: c1-s2, c2-s1, c3-s3;
 *   - a quota of 2 (people or assignments): c3 and c5 cut: c1-s1, c2-s2;
 *   - C_TITLE off: c4-s4 added to the baseline.
 */
#ifndef TECHMATCH_TESTS_REVIEW_FIXTURE_H
#define TECHMATCH_TESTS_REVIEW_FIXTURE_H

#include <glib.h>
#include <techmatch/techmatch.h>

static const char REVIEW_SITES[] =
    "name,kind,sector,needs,min_title,years,capacity,x,y,ranked\n"
    "s1,high_tech,eit,rd,intermediate,1,1,15,0,c1;c2;c3\n"
    "s2,high_tech,eit,rd,intermediate,1,1,0,0,c1;c2;c3\n"
    "s3,high_tech,eit,rd,intermediate,1,1,0,0,c1;c2;c3\n"
    "s4,agri_base,agri,rd,junior,1,1,0,0,c4\n";
static const char REVIEW_COMMS[] =
    "name,title,unit_kind,unit_support,expertise,skills,years,capacity,x,y,merit,wishes\n"
    "c1,senior,university,yes,eit:2,rd,1,1,-10,0,90,s1;s2;s3\n"
    "c2,senior,university,yes,eit:2,rd,1,1,0,0,80,s1;s2;s3\n"
    "c3,senior,university,yes,eit:2,rd,1,1,0,0,70,s2;s1;s3\n"
    "c4,junior,university,yes,agri:2,rd,1,1,0,0,95,s4\n"
    "c5,senior,university,yes,eit:2,rd,1,1,0,0,60,s2\n";

G_GNUC_UNUSED static TmProgramme *review_programme(void)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    if (!tm_forms_read_sites_data(p, REVIEW_SITES, -1, "sites.csv", TM_FORMS_STRICT, NULL, &err)
        || !tm_forms_read_commissioners_data(p, REVIEW_COMMS, -1, "commissioners.csv",
                                             TM_FORMS_STRICT, NULL, &err))
        g_error("review fixture: %s", err->message);
    return p;
}

/* The selection of @p under the default rules changed by @rules_text (a
 * [rules] group, may be NULL), a quota of @quota (-1: none) and @review
 * (may be NULL); NULL with *@err when the selection refuses. */
G_GNUC_UNUSED static TmSelection *review_select(TmProgramme *p, const char *rules_text,
                                                int32_t quota, const TmReview *review,
                                                GError **err)
{
    TmRules *rules = tm_rules_new_default();
    if (rules_text != NULL && !tm_rules_load_data(rules, rules_text, -1, "rules.ini", err))
        g_error("review fixture rules: %s", (*err)->message);
    TmQuota *q = tm_quota_new();
    tm_quota_set_total(q, quota, NULL);
    TmSelectOptions *o = tm_select_options_new();
    tm_select_options_set_k(o, 0, NULL);
    if (review != NULL)
        tm_select_options_set_review(o, review, NULL);
    TmSelection *sel = tm_programme_select(p, rules, q, o, err);
    tm_select_options_free(o);
    tm_quota_free(q);
    tm_rules_free(rules);
    return sel;
}

#define RULES_DISTANCE "[rules]\nP_DISTANCE=true\nP_DISTANCE.max_km=20\n"
#define RULES_NO_TITLE "[rules]\nC_TITLE=false\n"

/* "c1-s1 c2-s2 ..." : the pairs of @sel in commissioner order. */
G_GNUC_UNUSED static char *review_pairs(const TmSelection *sel)
{
    const TmProgramme *p = tm_selection_programme(sel);
    GString *out = g_string_new(NULL);
    for (int32_t c = 0; c < tm_selection_n_agents(sel, TM_SIDE_SUPPLY); c++) {
        int32_t n = 0;
        const int32_t *s = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &n);
        for (int32_t k = 0; s != NULL && k < n; k++)
            g_string_append_printf(out, "%s%s-%s", out->len ? " " : "",
                                   tm_programme_commissioner(p, c)->name,
                                   tm_programme_site(p, s[k])->name);
    }
    return g_string_free(out, FALSE);
}

#endif /* TECHMATCH_TESTS_REVIEW_FIXTURE_H */
