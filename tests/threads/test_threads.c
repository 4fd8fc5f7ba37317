/* Concurrency (issue 7, item 7): several threads at once
 *   - build and solve markets of their own (each thread different ones),
 *   - solve one shared market from both sides, with and without groups,
 *   - audit shared matchings (plain and under the groups),
 *   - run the programme selection on one shared programme (the Jinshui seed
 *     with its configuration; each thread its own selection),
 * and every result must equal the one computed on one thread beforehand.
 * Run in the normal ctest (threads.concurrent) and, by scripts/test.sh,
 * under ThreadSanitizer (-DTM_SANITIZE_THREAD=ON, G_SLICE=always-malloc),
 * which fails the test on any data race. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>

enum { N_THREADS = 4, N_OWN = 6, ROUNDS = 5 };

/* ---- markets -------------------------------------------------------------- */

typedef struct {
    int32_t n[2];
    int32_t *cap[2], *off[2], *ids[2];
} Arrays;

/* A random many-to-one/many-to-many market: every supply agent lists a
 * random subset of the sites in random order, and the reverse. */
static void arrays_random(Arrays *a, guint32 seed, int32_t ns, int32_t nd, int32_t max_len)
{
    GRand *r = g_rand_new_with_seed(seed);
    a->n[0] = ns;
    a->n[1] = nd;
    for (int side = 0; side < 2; side++) {
        int32_t n = a->n[side], no = a->n[1 - side];
        a->cap[side] = g_new(int32_t, n);
        a->off[side] = g_new0(int32_t, n + 1);
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(int32_t));
        int32_t *perm = g_new(int32_t, no);
        for (int32_t x = 0; x < n; x++) {
            a->cap[side][x] = side == 0 ? g_rand_int_range(r, 1, 3) : g_rand_int_range(r, 1, 5);
            for (int32_t k = 0; k < no; k++)
                perm[k] = k;
            for (int32_t k = no - 1; k > 0; k--) {
                int32_t j = g_rand_int_range(r, 0, k + 1), t = perm[k];
                perm[k] = perm[j];
                perm[j] = t;
            }
            int32_t len = g_rand_int_range(r, 0, MIN(no, max_len) + 1);
            g_array_append_vals(ids, perm, (guint)len);
            a->off[side][x + 1] = (int32_t)ids->len;
        }
        g_array_append_val(ids, (int32_t){0}); /* never an empty array */
        a->ids[side] = (int32_t *)(void *)g_array_free(ids, FALSE);
        g_free(perm);
    }
    g_rand_free(r);
}

static void arrays_clear(Arrays *a)
{
    for (int side = 0; side < 2; side++) {
        g_free(a->cap[side]);
        g_free(a->off[side]);
        g_free(a->ids[side]);
    }
}

static TmMarket *arrays_build(const Arrays *a)
{
    return tm_market_new_from_arrays(a->n[0], a->n[1], a->cap[0], a->cap[1], a->off[0], a->ids[0],
                                     a->off[1], a->ids[1], NULL);
}

/* A matching as text: its pairs, proposal count and the audit. */
static char *matching_text(const TmMatching *mt, const TmGroups *groups)
{
    if (mt == NULL)
        return g_strdup("(no matching)");
    int64_t n = tm_matching_n_pairs(mt);
    int32_t *s = g_new(int32_t, n + 1), *d = g_new(int32_t, n + 1);
    GString *g = g_string_new(NULL);
    if (!tm_matching_get_pairs(mt, s, d, n, NULL))
        g_string_append(g, "(get_pairs failed)");
    g_string_append_printf(g, "%lld proposals:", (long long)tm_matching_n_proposals(mt));
    for (int64_t i = 0; i < n; i++)
        g_string_append_printf(g, " %d-%d", s[i], d[i]);
    TmVerdict *v = groups ? tm_matching_check_groups(mt, groups, NULL) : tm_matching_check(mt, NULL);
    g_string_append_printf(g, " | stable %d, %lld blocking, %lld violations", v && tm_verdict_is_stable(v),
                           v ? (long long)tm_verdict_n_blocking_pairs(v) : -1LL,
                           v ? (long long)tm_verdict_n_violations(v) : -1LL);
    for (int64_t i = 0; v && i < tm_verdict_n_blocking_pairs(v); i++) {
        int32_t bs, bd;
        tm_verdict_blocking_pair(v, i, &bs, &bd);
        g_string_append_printf(g, " b%d-%d", bs, bd);
    }
    tm_verdict_free(v);
    g_free(s);
    g_free(d);
    return g_string_free(g, FALSE);
}

static char *solve_text(TmMarket *m, const TmGroups *groups, TmSide side)
{
    TmSolveOptions *o = tm_solve_options_new();
    tm_solve_options_set_proposing(o, side, NULL);
    TmMatching *mt = tm_solve(m, groups, o, NULL);
    tm_solve_options_free(o);
    char *t = matching_text(mt, groups);
    tm_matching_free(mt);
    return t;
}

/* ---- the shared objects and the reference results --------------------------- */

typedef struct {
    /* shared, read-only while the threads run */
    Arrays own[N_THREADS][N_OWN];
    char *own_ref[N_THREADS][N_OWN][2];
    TmMarket *shared;
    TmGroups *groups;
    TmMatching *hand; /* a hand-built matching on the shared market */
    char *shared_ref[3]; /* supply, demand, supply with groups */
    char *hand_ref[2];   /* plain audit, groups audit */
    TmProgramme *programme;
    TmConfig *config;
    char *select_ref[3]; /* assignments CSV, JSON, report */
    /* results */
    gint failures;
    gpointer first_failure; /* set once, atomically (char *) */
} World;

typedef struct {
    World *w;
    int id;
} Job;

static void fail_job(World *w, const char *what, const char *got, const char *want)
{
    g_atomic_int_inc(&w->failures);
    char *msg = g_strdup_printf("%s:\n  got  %.400s\n  want %.400s", what, got, want);
    if (!g_atomic_pointer_compare_and_exchange(&w->first_failure, NULL, msg))
        g_free(msg);
}

static void expect(World *w, const char *what, char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fail_job(w, what, got, want);
    g_free(got);
}

static void selection_texts(TmProgramme *p, const TmConfig *cfg, char *out[3])
{
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL, &err);
    if (sel == NULL) {
        for (int k = 0; k < 3; k++)
            out[k] = g_strdup_printf("(selection failed: %s)", err ? err->message : "?");
        g_clear_error(&err);
        return;
    }
    out[0] = tm_selection_assignments_csv(sel, NULL);
    out[1] = tm_selection_assignments_json(sel, NULL);
    out[2] = tm_selection_report_markdown(sel, NULL);
    for (int k = 0; k < 3; k++)
        if (out[k] == NULL)
            out[k] = g_strdup("(document failed)");
    tm_selection_free(sel);
}

static gpointer worker(gpointer data)
{
    Job *job = data;
    World *w = job->w;
    for (int round = 0; round < ROUNDS; round++) {
        /* the order of the tasks differs between threads and rounds */
        for (int t = 0; t < 4; t++) {
            switch ((t + job->id + round) % 4) {
            case 0: /* markets of one's own */
                for (int k = 0; k < N_OWN; k++) {
                    TmMarket *m = arrays_build(&w->own[job->id][k]);
                    for (int side = 0; side < 2; side++)
                        expect(w, "own market", solve_text(m, NULL, (TmSide)side),
                               w->own_ref[job->id][k][side]);
                    tm_market_free(m);
                }
                break;
            case 1: { /* the shared market, both sides and with groups */
                TmMarket *m = tm_market_ref(w->shared);
                expect(w, "shared market, supply proposing", solve_text(m, NULL, TM_SIDE_SUPPLY),
                       w->shared_ref[0]);
                expect(w, "shared market, demand proposing", solve_text(m, NULL, TM_SIDE_DEMAND),
                       w->shared_ref[1]);
                expect(w, "shared market with groups", solve_text(m, w->groups, TM_SIDE_SUPPLY),
                       w->shared_ref[2]);
                tm_market_free(m);
                break;
            }
            case 2: /* audits of one shared matching */
                expect(w, "audit", matching_text(w->hand, NULL), w->hand_ref[0]);
                expect(w, "groups audit", matching_text(w->hand, w->groups), w->hand_ref[1]);
                break;
            default: { /* the selection on the shared programme */
                char *got[3];
                selection_texts(w->programme, w->config, got);
                static const char *const what[3] = {"selection CSV", "selection JSON",
                                                    "selection report"};
                for (int k = 0; k < 3; k++)
                    expect(w, what[k], got[k], w->select_ref[k]);
                break;
            }
            }
        }
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    World *w = g_new0(World, 1);
    GError *err = NULL;

    /* the reference results, on this thread */
    for (int t = 0; t < N_THREADS; t++)
        for (int k = 0; k < N_OWN; k++) {
            arrays_random(&w->own[t][k], 1000u + (guint32)(t * N_OWN + k), 30 + 7 * k, 10 + 3 * t, 12);
            TmMarket *m = arrays_build(&w->own[t][k]);
            assert_non_null(m);
            for (int side = 0; side < 2; side++)
                w->own_ref[t][k][side] = solve_text(m, NULL, (TmSide)side);
            tm_market_free(m);
        }
    Arrays big;
    arrays_random(&big, 77, 400, 120, 200);
    w->shared = arrays_build(&big);
    assert_non_null(w->shared);
    arrays_clear(&big);
    w->groups = tm_groups_new(400, 120, &err);
    assert_non_null(w->groups);
    int32_t all[120], low[40], mid[20];
    for (int32_t d = 0; d < 120; d++)
        all[d] = d;
    for (int32_t d = 0; d < 40; d++)
        low[d] = d;
    for (int32_t d = 0; d < 20; d++)
        mid[d] = 50 + d;
    assert_true(tm_groups_add(w->groups, all, 120, 250, 0, &err) >= 0);
    assert_true(tm_groups_add(w->groups, low, 40, 30, 10, &err) >= 0);
    assert_true(tm_groups_add(w->groups, mid, 20, 25, 5, &err) >= 0);
    if (err)
        fail_msg("groups: %s", err->message);
    w->shared_ref[0] = solve_text(w->shared, NULL, TM_SIDE_SUPPLY);
    w->shared_ref[1] = solve_text(w->shared, NULL, TM_SIDE_DEMAND);
    w->shared_ref[2] = solve_text(w->shared, w->groups, TM_SIDE_SUPPLY);
    for (int k = 0; k < 3; k++)
        assert_null(strstr(w->shared_ref[k], "no matching"));
    assert_non_null(strstr(w->shared_ref[0], "stable 1"));
    {
        int32_t hs[300], hd[300];
        GRand *r = g_rand_new_with_seed(5);
        for (int i = 0; i < 300; i++) { /* distinct pairs: supply i % 400 ... */
            hs[i] = i;
            hd[i] = g_rand_int_range(r, 0, 120);
        }
        g_rand_free(r);
        w->hand = tm_matching_new_from_pairs(w->shared, hs, hd, 300, &err);
        assert_non_null(w->hand);
    }
    w->hand_ref[0] = matching_text(w->hand, NULL);
    w->hand_ref[1] = matching_text(w->hand, w->groups);

    w->config = tm_config_load_for_dir(TM_SEED_DIR, &err);
    if (w->config == NULL)
        fail_msg("config: %s", err->message);
    w->programme = tm_programme_new(tm_config_taxonomy(w->config));
    if (!tm_forms_read_dir(w->programme, TM_SEED_DIR, TM_FORMS_STRICT, NULL, &err))
        fail_msg("forms: %s", err->message);
    selection_texts(w->programme, w->config, w->select_ref);
    for (int k = 0; k < 3; k++)
        assert_null(strstr(w->select_ref[k], "failed"));
    assert_true(strlen(w->select_ref[0]) > 1000 && strlen(w->select_ref[2]) > 1000);
    if (strlen(w->shared_ref[0]) < 1000 || strlen(w->hand_ref[0]) < 1000)
        fail_msg("short results: %s / %s", w->shared_ref[0], w->hand_ref[0]);
    assert_non_null(strstr(w->hand_ref[0], "stable 0"));

    /* the same work on several threads at once */
    GThread *th[N_THREADS];
    Job jobs[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        jobs[t] = (Job){w, t};
        th[t] = g_thread_new("tm-test", worker, &jobs[t]);
    }
    for (int t = 0; t < N_THREADS; t++)
        g_thread_join(th[t]);
    if (g_atomic_int_get(&w->failures) != 0)
        fail_msg("%d results differ from the single-threaded ones; first: %s",
                 g_atomic_int_get(&w->failures), (const char *)w->first_failure);

    for (int t = 0; t < N_THREADS; t++)
        for (int k = 0; k < N_OWN; k++) {
            arrays_clear(&w->own[t][k]);
            g_free(w->own_ref[t][k][0]);
            g_free(w->own_ref[t][k][1]);
        }
    for (int k = 0; k < 3; k++) {
        g_free(w->shared_ref[k]);
        g_free(w->select_ref[k]);
    }
    g_free(w->hand_ref[0]);
    g_free(w->hand_ref[1]);
    g_free(w->first_failure);
    tm_matching_free(w->hand);
    tm_groups_free(w->groups);
    tm_market_free(w->shared);
    tm_programme_free(w->programme);
    tm_config_free(w->config);
    g_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
