/* Shared by the selection.objectives tests (test_objectives.c,
 * test_objectives_oracle.c): a selection with the objective and stability
 * options, and an assertion that no error was set. */
#ifndef TM_TEST_OBJECTIVES_UTIL_H
#define TM_TEST_OBJECTIVES_UTIL_H

#include <glib.h>
#include <techmatch/techmatch.h>

static inline void no_error(GError *err)
{
    if (err != NULL) {
        print_error("unexpected error: %s\n", err->message);
        fail();
    }
}

/* The selection of @p under @rules and @quota (may be NULL) with exact lists
 * (k = 0), objective @obj (requested), stability @st, max-cardinality and a
 * fixed tie seed when @seeded; NULL with @err on failure. */
static inline TmSelection *select_with(TmProgramme *p, const TmRules *rules, const TmQuota *quota,
                                TmObjective obj, TmStability st, gboolean max_card,
                                gboolean seeded, GError **err)
{
    TmSelectOptions *o = tm_select_options_new();
    assert_true(tm_select_options_set_k(o, 0, NULL));
    assert_true(tm_select_options_set_objective(o, obj, NULL));
    assert_true(tm_select_options_set_stability(o, st, NULL));
    tm_select_options_set_max_cardinality(o, max_card);
    if (seeded)
        tm_select_options_set_tie_seed(o, 12345);
    TmSelection *sel = tm_programme_select(p, rules, quota, o, err);
    tm_select_options_free(o);
    return sel;
}

#endif /* TM_TEST_OBJECTIVES_UTIL_H */
