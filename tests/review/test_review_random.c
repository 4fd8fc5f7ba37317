/* review.random: the comparison of review_effects.h against its definition,
 * computed here from the two matchings' pairs, on 3,000 random small
 * programmes (tests/rules/random_programme.h; fixed seeds) with random
 * reviews (pins, vetoes, exclusions, admissions) applied by the selection:
 *
 *   - the pairs added and removed are the two symmetric differences of the
 *     runs' pair sets, in (commissioner, site) order; the commissioners newly
 *     selected / no longer selected are those with sites in one run only;
 *   - each decision's effect is what its definition says from the two runs
 *     (kept/added, removed/none, placed/not_placed), never `not_applied` —
 *     so the selection applied every decision it accepted;
 *   - the rules a pin or an admission overrides are the failing rules of a
 *     fresh screening (and, for a pin, the pair rules) — 0 otherwise;
 *   - the agents moved are its own agents first, then exactly the partners
 *     of those in either run whose partners differ between the runs, each
 *     once, commissioners before sites, each side in id order;
 *   - the Markdown section is UTF-8 and numbers every decision.
 * One review in ten may pin more than a capacity or the quota allows: the
 * selection may refuse only those (TM_ERROR_INVALID_ARGUMENT); the test
 * counts them and asserts that most reviews were compared. */
#include "../rules/random_programme.h"

#include <techmatch/techmatch.h>

#define N_PROGRAMMES 3000

typedef struct {
    int32_t nc, ns;
    gboolean *held[2]; /* [run][c * ns + s] */
} Pairs;

static void pairs_load(Pairs *p, int run, const TmSelection *sel)
{
    const TmMatching *m = tm_selection_matching(sel);
    int64_t n = tm_matching_n_pairs(m);
    int32_t *c = g_new(int32_t, n + 1), *s = g_new(int32_t, n + 1);
    assert_true(tm_matching_get_pairs(m, c, s, n, NULL));
    p->held[run] = g_new0(gboolean, (gsize)p->nc * (gsize)p->ns + 1);
    for (int64_t k = 0; k < n; k++)
        p->held[run][(gsize)c[k] * (gsize)p->ns + (gsize)s[k]] = TRUE;
    g_free(c);
    g_free(s);
}

static gboolean held(const Pairs *p, int run, int32_t c, int32_t s)
{
    return p->held[run][(gsize)c * (gsize)p->ns + (gsize)s];
}

/* Agent @id of @side has partners in run @run. */
static int32_t n_held(const Pairs *p, int run, int side, int32_t id)
{
    int32_t n = 0;
    for (int32_t o = 0; o < (side == 0 ? p->ns : p->nc); o++)
        n += side == 0 ? held(p, run, id, o) : held(p, run, o, id);
    return n;
}

static gboolean partners_differ(const Pairs *p, int side, int32_t id)
{
    for (int32_t o = 0; o < (side == 0 ? p->ns : p->nc); o++) {
        int32_t c = side == 0 ? id : o, s = side == 0 ? o : id;
        if (held(p, 0, c, s) != held(p, 1, c, s))
            return TRUE;
    }
    return FALSE;
}

static void check_overall(const TmReviewEffects *e, const Pairs *p)
{
    for (int change = 0; change < 2; change++) {
        int run = change == TM_CHANGE_ADDED ? 1 : 0;
        int64_t k = 0;
        for (int32_t c = 0; c < p->nc; c++)
            for (int32_t s = 0; s < p->ns; s++)
                if (held(p, run, c, s) && !held(p, 1 - run, c, s)) {
                    int32_t gc, gs;
                    assert_true(tm_review_effects_pair(e, (TmChange)change, k, &gc, &gs));
                    assert_int_equal(gc, c);
                    assert_int_equal(gs, s);
                    k++;
                }
        assert_int_equal(tm_review_effects_n_pairs(e, (TmChange)change), k);
        int32_t j = 0;
        for (int32_t c = 0; c < p->nc; c++)
            if (n_held(p, run, 0, c) > 0 && n_held(p, 1 - run, 0, c) == 0)
                assert_int_equal(tm_review_effects_commissioner(e, (TmChange)change, j++), c);
        assert_int_equal(tm_review_effects_n_commissioners(e, (TmChange)change), j);
    }
}

static void check_moved(const TmReviewEffects *e, int32_t i, const Pairs *p, int32_t c,
                        int32_t s)
{
    int32_t n = tm_review_effects_n_moved(e, i), j = 0;
    int own[2] = {c, s};
    for (int side = 0; side < 2; side++)
        if (own[side] >= 0) {
            int gs;
            int32_t ga;
            assert_true(tm_review_effects_moved(e, i, j++, &gs, &ga));
            assert_int_equal(gs, side);
            assert_int_equal(ga, own[side]);
        }
    /* the expected others, commissioners then sites, in id order */
    for (int side = 0; side < 2; side++) {
        int other = 1 - side; /* the own agent's side whose partners these are */
        for (int32_t a = 0; a < (side == 0 ? p->nc : p->ns); a++) {
            if (own[side] == a || own[other] < 0)
                continue;
            int32_t cc = side == 0 ? a : own[other], ss = side == 0 ? own[other] : a;
            gboolean partner = held(p, 0, cc, ss) || held(p, 1, cc, ss);
            if (!partner || !partners_differ(p, side, a))
                continue;
            int gs;
            int32_t ga;
            assert_true(tm_review_effects_moved(e, i, j++, &gs, &ga));
            assert_int_equal(gs, side);
            assert_int_equal(ga, a);
        }
    }
    assert_int_equal(n, j);
}

/* A random review that the reader would accept: no subject twice, no pin of
 * an excluded agent; pins within capacity and the quota most of the time. */
static TmReview *random_review(GRand *g, const TmProgramme *prog, int32_t quota,
                               gboolean reckless, gboolean *over)
{
    *over = FALSE;
    int32_t nc = tm_programme_n_commissioners(prog), ns = tm_programme_n_sites(prog);
    TmReview *r = tm_review_new();
    GHashTable *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int32_t *pins_c = g_new0(int32_t, nc + 1), *pins_s = g_new0(int32_t, ns + 1);
    gboolean *excl_c = g_new0(gboolean, nc + 1), *excl_s = g_new0(gboolean, ns + 1);
    int32_t n_pins = 0;
    int32_t want = g_rand_int_range(g, 0, 6);
    for (int32_t k = 0; k < want && nc > 0 && ns > 0; k++) {
        int kind = g_rand_int_range(g, 0, TM_N_DECISION_KINDS);
        int32_t c = g_rand_int_range(g, 0, nc), s = g_rand_int_range(g, 0, ns);
        gboolean on_site = g_rand_boolean(g);
        const char *cn = tm_programme_commissioner(prog, c)->name;
        const char *sn = tm_programme_site(prog, s)->name;
        char *key;
        if (kind == TM_DECISION_PIN || kind == TM_DECISION_VETO)
            key = g_strdup_printf("P%s/%s", cn, sn);
        else
            key = on_site ? g_strdup_printf("S%s", sn) : g_strdup_printf("C%s", cn);
        if (g_hash_table_contains(used, key)) {
            g_free(key);
            continue;
        }
        if (kind == TM_DECISION_PIN) {
            gboolean beyond = pins_c[c] >= tm_programme_commissioner(prog, c)->capacity
                              || pins_s[s] >= tm_programme_site(prog, s)->capacity
                              || (quota >= 0 && n_pins >= quota);
            if (excl_c[c] || excl_s[s] || (beyond && !reckless)) {
                g_free(key);
                continue;
            }
            *over = *over || beyond;
            pins_c[c]++;
            pins_s[s]++;
            n_pins++;
        }
        if (kind == TM_DECISION_EXCLUDE && (on_site ? pins_s[s] > 0 : pins_c[c] > 0)) {
            g_free(key);
            continue;
        }
        if (kind == TM_DECISION_EXCLUDE) {
            if (on_site)
                excl_s[s] = TRUE;
            else
                excl_c[c] = TRUE;
        }
        g_hash_table_add(used, key);
        gboolean pair = kind == TM_DECISION_PIN || kind == TM_DECISION_VETO;
        assert_true(tm_review_add(r, (TmDecisionKind)kind, pair || !on_site ? cn : NULL,
                                  pair || on_site ? sn : NULL, NULL, NULL, NULL) >= 0);
    }
    g_free(pins_c);
    g_free(pins_s);
    g_free(excl_c);
    g_free(excl_s);
    g_hash_table_destroy(used);
    return r;
}

static void test_random(void **state)
{
    (void)state;
    int n_checked = 0, n_refused = 0, n_decisions = 0, n_effect[TM_N_EFFECTS] = {0};
    for (guint32 seed = 1; seed <= N_PROGRAMMES; seed++) {
        GRand *g = g_rand_new_with_seed(seed * 2654435761u);
        RandSpec sp = {g_rand_int_range(g, 1, 9), g_rand_int_range(g, 1, 9), 6, 0.5, 0.6, 30.0,
                       seed % 3 != 0};
        TmProgramme *prog = rp_make(&sp, seed);
        int32_t quota = g_rand_boolean(g) ? -1 : g_rand_int_range(g, 1, sp.nc + 1);
        TmRules *rules = tm_rules_new_default();
        TmQuota *q = tm_quota_new();
        tm_quota_set_total(q, quota, NULL);
        if (g_rand_boolean(g))
            tm_quota_set_unit(q, TM_QUOTA_ASSIGNMENTS, NULL);
        TmSelectOptions *o = tm_select_options_new();
        GError *err = NULL;
        TmSelection *base = tm_programme_select(prog, rules, q, o, &err);
        assert_non_null(base);
        gboolean over = FALSE;
        TmReview *r = random_review(g, prog, quota, g_rand_int_range(g, 0, 10) == 0, &over);
        tm_select_options_set_review(o, r, NULL);
        TmSelection *cur = tm_programme_select(prog, rules, q, o, &err);
        if (cur == NULL) {
            if (!over)
                fprintf(stderr, "seed %u: a valid review refused: %s\n", seed, err->message);
            assert_true(over);
            assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
            g_clear_error(&err);
            n_refused++;
        } else {
            TmReviewEffects *e = tm_review_effects_new(base, cur, r, &err);
            assert_non_null(e);
            Pairs p = {sp.nc, sp.ns, {NULL, NULL}};
            pairs_load(&p, 0, base);
            pairs_load(&p, 1, cur);
            check_overall(e, &p);
            TmScreening *raw = tm_programme_screen(prog, rules, NULL);
            for (int32_t i = 0; i < tm_review_n_decisions(r); i++) {
                const char *cn, *sn;
                int kind = tm_review_decision(r, i, &cn, &sn, NULL, NULL);
                int32_t c = cn ? tm_programme_find_commissioner(prog, cn) : -1;
                int32_t s = sn ? tm_programme_find_site(prog, sn) : -1;
                int32_t gc, gs;
                uint32_t mask;
                int eff = tm_review_effects_decision(e, i, &gc, &gs, &mask);
                assert_int_equal(gc, c);
                assert_int_equal(gs, s);
                int side = c >= 0 ? 0 : 1;
                int32_t id = c >= 0 ? c : s;
                int want = -1;
                uint32_t want_mask = 0;
                switch (kind) {
                case TM_DECISION_PIN:
                    want = held(&p, 0, c, s) ? TM_EFFECT_KEPT : TM_EFFECT_ADDED;
                    want_mask = tm_screening_failures(raw, TM_SIDE_SUPPLY, c) |
                                tm_screening_failures(raw, TM_SIDE_DEMAND, s) |
                                tm_rules_pair_failures(prog, rules, c, s);
                    break;
                case TM_DECISION_VETO:
                    want = held(&p, 0, c, s) ? TM_EFFECT_REMOVED : TM_EFFECT_NONE;
                    break;
                case TM_DECISION_EXCLUDE:
                    want = n_held(&p, 0, side, id) > 0 ? TM_EFFECT_REMOVED : TM_EFFECT_NONE;
                    break;
                default:
                    want = n_held(&p, 1, side, id) > 0 ? TM_EFFECT_PLACED : TM_EFFECT_NOT_PLACED;
                    want_mask = tm_screening_failures(raw, (TmSide)side, id);
                }
                if (eff != want)
                    fprintf(stderr, "seed %u decision %d (%s): %s, want %s\n", seed, i,
                            tm_decision_kind_code((TmDecisionKind)kind),
                            tm_effect_code((TmEffect)eff), tm_effect_code((TmEffect)want));
                assert_int_equal(eff, want);
                assert_int_equal(mask, want_mask);
                check_moved(e, i, &p, c, s);
                n_effect[eff]++;
                n_decisions++;
            }
            char *md = tm_review_effects_markdown(e, NULL);
            assert_non_null(md);
            assert_true(g_utf8_validate(md, -1, NULL));
            for (int32_t i = 0; i < tm_review_n_decisions(r); i++) {
                char *num = g_strdup_printf("\n%d. **", (int)i + 1);
                assert_non_null(strstr(md, num));
                g_free(num);
            }
            g_free(md);
            tm_screening_free(raw);
            g_free(p.held[0]);
            g_free(p.held[1]);
            tm_review_effects_free(e);
            tm_selection_free(cur);
            n_checked++;
        }
        tm_review_free(r);
        tm_selection_free(base);
        tm_select_options_free(o);
        tm_quota_free(q);
        tm_rules_free(rules);
        tm_programme_free(prog);
        g_rand_free(g);
    }
    printf("review.random: %d programmes compared, %d reviews refused, %d decisions:", n_checked,
           n_refused, n_decisions);
    for (int k = 0; k < TM_N_EFFECTS; k++)
        printf(" %s %d", tm_effect_code((TmEffect)k), n_effect[k]);
    printf("\n");
    assert_true(n_checked >= N_PROGRAMMES * 8 / 10);
    assert_true(n_refused > 0);
    /* every effect but not_applied is exercised */
    for (int k = 0; k < TM_N_EFFECTS; k++)
        if (k != TM_EFFECT_NOT_APPLIED)
            assert_true(n_effect[k] > 0);
    assert_int_equal(n_effect[TM_EFFECT_NOT_APPLIED], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_random)};
    return cmocka_run_group_tests_name("review_random", tests, NULL, NULL);
}
