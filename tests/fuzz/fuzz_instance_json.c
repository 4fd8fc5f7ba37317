/* Fuzz harness: the JSON instance reader (tm_instance_load_json_data).
 * Properties:
 *   - a failed load returns NULL with a TM_ERROR (known code, non-empty
 *     UTF-8 message);
 *   - a loaded instance is sane: names non-empty UTF-8, unique per side,
 *     found again by tm_instance_lookup(); group names UTF-8;
 *   - what is written reloads to the same thing: the instance written back
 *     as JSON here (names, capacities, the reduced lists with ties as nested
 *     lists, groups, priority omitted) loads to an equal market and groups;
 *     tm_instance_matching_to_json() of the solution reloads (as a matching
 *     document) to the same pairs;
 *   - tm_solve from both sides is stable (library audit, and the brute force
 *     of fuzz_common.h on markets of <= 6 agents a side), or UNSUPPORTED
 *     with ties; with groups, the supply-proposing result passes
 *     tm_matching_check_groups() and the demand side is UNSUPPORTED;
 *   - on small markets, a matching hand-built from a hash of the input is
 *     audited exactly as the brute force says. */
#include <json-glib/json-glib.h>
#include "fuzz_common.h"

enum { SMALL = 6 };

static void check_names(const TmInstance *inst)
{
    const TmMarket *m = tm_instance_market(inst);
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < tm_market_size(m, (TmSide)side); a++) {
            const char *name = tm_instance_name(inst, (TmSide)side, a);
            fz_check_text(name, "agent name");
            FZ_CHECK(name[0] != '\0', "side %d agent %d has an empty name", side, a);
            FZ_CHECK(tm_instance_lookup(inst, (TmSide)side, name) == a,
                     "side %d agent %d (%s) is found as %d", side, a, name,
                     tm_instance_lookup(inst, (TmSide)side, name));
        }
    const TmGroups *g = tm_instance_groups(inst);
    for (int32_t i = 0; g && i < tm_groups_n(g); i++)
        fz_check_text(tm_instance_group_name(inst, i), "group name");
}

/* The instance as a JSON document (what a writer of the format would
 * produce from the loaded data). */
static char *write_instance(const TmInstance *inst)
{
    const TmMarket *m = tm_instance_market(inst);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    static const char *const side_key[2] = {"supply", "demand"};
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side_key[side]);
        json_builder_begin_array(b);
        for (int32_t a = 0; a < tm_market_size(m, (TmSide)side); a++) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, tm_instance_name(inst, (TmSide)side, a));
            json_builder_set_member_name(b, "capacity");
            json_builder_add_int_value(b, tm_market_capacity(m, (TmSide)side, a));
            json_builder_set_member_name(b, "prefs");
            json_builder_begin_array(b);
            int32_t len = 0;
            const int32_t *p = tm_market_prefs(m, (TmSide)side, a, &len);
            for (int32_t k = 0; k < len;) {
                int32_t r = tm_market_rank(m, (TmSide)side, a, p[k]);
                int32_t e = k + 1;
                while (e < len && tm_market_rank(m, (TmSide)side, a, p[e]) == r)
                    e++;
                if (e - k > 1)
                    json_builder_begin_array(b);
                for (int32_t j = k; j < e; j++)
                    json_builder_add_string_value(
                        b, tm_instance_name(inst, TM_SIDE_OTHER((TmSide)side), p[j]));
                if (e - k > 1)
                    json_builder_end_array(b);
                k = e;
            }
            json_builder_end_array(b);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    const TmGroups *g = tm_instance_groups(inst);
    if (g != NULL) {
        json_builder_set_member_name(b, "groups");
        json_builder_begin_array(b);
        for (int32_t i = 0; i < tm_groups_n(g); i++) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, tm_instance_group_name(inst, i));
            json_builder_set_member_name(b, "members");
            json_builder_begin_array(b);
            int32_t n = 0;
            const int32_t *mem = tm_groups_members(g, i, &n);
            for (int32_t k = 0; k < n; k++)
                json_builder_add_string_value(b, tm_instance_name(inst, TM_SIDE_DEMAND, mem[k]));
            json_builder_end_array(b);
            json_builder_set_member_name(b, "cap");
            json_builder_add_int_value(b, tm_groups_cap(g, i));
            json_builder_set_member_name(b, "floor");
            json_builder_add_int_value(b, tm_groups_floor(g, i));
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    json_builder_end_object(b);
    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    char *text = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    return text;
}

static void check_same_instance(const TmInstance *a, const TmInstance *b)
{
    const TmMarket *ma = tm_instance_market(a), *mb = tm_instance_market(b);
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(ma, (TmSide)side);
        FZ_CHECK(tm_market_size(mb, (TmSide)side) == n, "reload: side %d has %d agents, not %d",
                 side, tm_market_size(mb, (TmSide)side), n);
        for (int32_t x = 0; x < n; x++) {
            FZ_CHECK(strcmp(tm_instance_name(a, (TmSide)side, x), tm_instance_name(b, (TmSide)side, x)) == 0,
                     "reload: side %d agent %d name", side, x);
            FZ_CHECK(tm_market_capacity(ma, (TmSide)side, x) == tm_market_capacity(mb, (TmSide)side, x),
                     "reload: side %d agent %d capacity", side, x);
            int32_t la = 0, lb = 0;
            const int32_t *pa = tm_market_prefs(ma, (TmSide)side, x, &la);
            const int32_t *pb = tm_market_prefs(mb, (TmSide)side, x, &lb);
            FZ_CHECK(la == lb, "reload: side %d agent %d list length %d, not %d", side, x, lb, la);
            for (int32_t k = 0; k < la; k++)
                FZ_CHECK(pa[k] == pb[k] && tm_market_rank(ma, (TmSide)side, x, pa[k]) ==
                                               tm_market_rank(mb, (TmSide)side, x, pb[k]),
                         "reload: side %d agent %d entry %d", side, x, k);
        }
    }
    FZ_CHECK(tm_market_n_dropped(mb, TM_SIDE_SUPPLY) == 0 && tm_market_n_dropped(mb, TM_SIDE_DEMAND) == 0,
             "reload of reduced lists dropped entries");
    const TmGroups *ga = tm_instance_groups(a), *gb = tm_instance_groups(b);
    FZ_CHECK((ga == NULL) == (gb == NULL), "reload: groups present %d vs %d", ga != NULL, gb != NULL);
    if (ga == NULL)
        return;
    FZ_CHECK(tm_groups_n(ga) == tm_groups_n(gb), "reload: group count");
    for (int32_t i = 0; i < tm_groups_n(ga); i++) {
        int32_t na = 0, nb = 0;
        const int32_t *xa = tm_groups_members(ga, i, &na), *xb = tm_groups_members(gb, i, &nb);
        FZ_CHECK(tm_groups_cap(ga, i) == tm_groups_cap(gb, i) &&
                     tm_groups_floor(ga, i) == tm_groups_floor(gb, i) && na == nb &&
                     (na == 0 || memcmp(xa, xb, (size_t)na * sizeof(int32_t)) == 0) &&
                     strcmp(tm_instance_group_name(a, i), tm_instance_group_name(b, i)) == 0,
                 "reload: group %d differs", i);
    }
}

/* The solution document of @mt reloads to the same pairs. */
static void check_solution_reload(const TmInstance *inst, const TmMatching *mt)
{
    GError *err = NULL;
    char *doc = tm_instance_matching_to_json(inst, mt, &err);
    FZ_CHECK(doc != NULL, "matching_to_json: %s", err ? err->message : "?");
    fz_check_text(doc, "solution document");
    TmMatching *back = tm_instance_load_matching_json_data(inst, doc, -1, "solution", &err);
    FZ_CHECK(back != NULL, "the solution document does not reload: %s\n%s",
             err ? err->message : "?", doc);
    int32_t *s1, *d1, *s2, *d2;
    int64_t n1 = fz_pairs(mt, &s1, &d1), n2 = fz_pairs(back, &s2, &d2);
    FZ_CHECK(n1 == n2 && (n1 == 0 || (memcmp(s1, s2, (size_t)n1 * 4) == 0 &&
                                      memcmp(d1, d2, (size_t)n1 * 4) == 0)),
             "the solution document reloads to other pairs");
    g_free(s1);
    g_free(d1);
    g_free(s2);
    g_free(d2);
    tm_matching_free(back);
    g_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *err = NULL;
    TmInstance *inst = tm_instance_load_json_data((const char *)data, (gssize)size, "fuzz.json", &err);
    if (inst == NULL) {
        fz_check_error(err, "tm_instance_load_json_data");
        g_error_free(err);
        return 0;
    }
    FZ_CHECK(err == NULL, "a loaded instance with an error set");
    check_names(inst);
    TmMarket *m = tm_instance_market(inst);
    int32_t ns = tm_market_size(m, TM_SIDE_SUPPLY), nd = tm_market_size(m, TM_SIDE_DEMAND);
    const TmGroups *groups = tm_instance_groups(inst);

    /* write, reload, compare */
    char *text = write_instance(inst);
    TmInstance *again = tm_instance_load_json_data(text, -1, "rewritten.json", &err);
    FZ_CHECK(again != NULL, "the instance written back does not load: %s\n%s",
             err ? err->message : "?", text);
    check_same_instance(inst, again);
    tm_instance_free(again);
    g_free(text);

    if ((int64_t)ns * nd > 4096 || tm_market_n_pairs(m) > 4096) {
        tm_instance_free(inst);
        return 0; /* solving big markets is the benchmarks' job */
    }
    FzModel model;
    fz_model_from_market(&model, m);
    gboolean small = ns <= SMALL && nd <= SMALL;
    if (small)
        fz_check_solve(&model, m);

    TmMatching *mt = tm_solve(m, groups, NULL, &err);
    if (tm_market_has_ties(m) && groups != NULL) {
        /* ties are broken; the groups audit reads the tied ranks, so only
         * the solve's success and capacity are checked here */
        FZ_CHECK(mt != NULL, "tm_solve (ties, groups): %s", err ? err->message : "?");
        tm_matching_free(mt);
    } else if (tm_market_has_ties(m)) {
        FZ_CHECK(mt != NULL, "tm_solve (ties): %s", err ? err->message : "?");
        FZ_CHECK(tm_matching_is_stable(mt, &err), "tie breaking gave a weakly unstable matching");
        tm_matching_free(mt);
    } else {
        FZ_CHECK(mt != NULL, "tm_solve: %s", err ? err->message : "?");
        TmVerdict *v = groups ? tm_matching_check_groups(mt, groups, &err) : tm_matching_check(mt, &err);
        FZ_CHECK(v != NULL, "audit: %s", err ? err->message : "?");
        FZ_CHECK(tm_verdict_is_stable(v), "the solved matching is not stable (%lld blocking, %lld violations)",
                 (long long)tm_verdict_n_blocking_pairs(v), (long long)tm_verdict_n_violations(v));
        tm_verdict_free(v);
        check_solution_reload(inst, mt);
        tm_matching_free(mt);
        if (groups != NULL) {
            TmSolveOptions *o = tm_solve_options_new();
            tm_solve_options_set_proposing(o, TM_SIDE_DEMAND, NULL);
            TmMatching *dm = tm_solve(m, groups, o, &err);
            FZ_CHECK(dm == NULL && err && err->code == TM_ERROR_UNSUPPORTED,
                     "groups with the demand side proposing were not refused");
            g_clear_error(&err);
            tm_solve_options_free(o);
        }
    }

    if (small) {
        /* a hand-built matching: each pair with probability 1/3 */
        uint64_t st = fz_hash(data, size);
        int32_t ps[SMALL * SMALL], pd[SMALL * SMALL], np = 0;
        for (int32_t s = 0; s < ns; s++)
            for (int32_t d = 0; d < nd; d++)
                if (fz_next(&st) % 3 == 0) {
                    ps[np] = s;
                    pd[np] = d;
                    np++;
                }
        TmMatching *hand = tm_matching_new_from_pairs(m, ps, pd, np, &err);
        FZ_CHECK(hand != NULL, "new_from_pairs: %s", err ? err->message : "?");
        fz_check_audit(&model, hand);
        check_solution_reload(inst, hand);
        tm_matching_free(hand);
    }
    fz_model_clear(&model);
    tm_instance_free(inst);
    return 0;
}
