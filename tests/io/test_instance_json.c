/* JSON instance reader tests (cmocka), through the public API:
 * tm_instance_load_json_data() and tm_instance_load_matching_json_data().
 *
 *   io.ties          nested lists in prefs: ranks, refusals, the solver, the audit
 *   io.matching      matching documents: the first pair at fault in file order
 *   io.literals      integer literals outside int64 elsewhere in the document
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

static TmInstance *
load(const char *json, GError **error)
{
    return tm_instance_load_json_data(json, -1, "t.json", error);
}

/* Loads an instance whose only supply agent c1 has the preference list
 * @prefs (JSON text) over demand agents s1..s4, who all list c1. */
static TmInstance *
load_c1(const char *prefs, GError **error)
{
    char *json = g_strdup_printf(
        "{\"supply\": [{\"name\": \"c1\", \"prefs\": %s}],"
        " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"]}, {\"name\": \"s2\", \"prefs\": "
        "[\"c1\"]}, {\"name\": \"s3\", \"prefs\": [\"c1\"]}, {\"name\": \"s4\", \"prefs\": "
        "[\"c1\"]}]}",
        prefs);
    TmInstance *inst = load(json, error);
    g_free(json);
    return inst;
}

/* ---- ties --------------------------------------------------------------- */

static void
test_tie_refusals(void **state)
{
    (void)state;
    GError *err = NULL;
    static const struct {
        const char *prefs;
        int code;
        const char *message;
    } cases[] = {
        {"[\"s2\", [], \"s1\"]", TM_ERROR_PARSE,
         "t.json: supply[0] \"c1\": prefs[1]: an empty tie (a nested list must name at least "
         "one demand agent)"},
        {"[\"s2\", [[\"s1\"]]]", TM_ERROR_PARSE,
         "t.json: supply[0] \"c1\": prefs[1][0]: must be the name of a demand agent (a "
         "string), got a list (a tie is one list of names: ties do not nest)"},
        {"[\"s2\", [\"s1\", [\"s3\", \"s4\"]]]", TM_ERROR_PARSE,
         "supply[0] \"c1\": prefs[1][1]: must be the name of a demand agent (a string), got a "
         "list"},
        {"[[\"s1\", 3]]", TM_ERROR_PARSE,
         "supply[0] \"c1\": prefs[0][1]: must be the name of a demand agent (a string), got an "
         "integer"},
        {"[[\"s1\", null]]", TM_ERROR_PARSE, "prefs[0][1]: must be the name of a demand agent "
                                            "(a string), got null"},
        {"[\"s2\", [\"s1\", \"s9\"]]", TM_ERROR_UNKNOWN_NAME,
         "supply[0] \"c1\": prefs[1][1]: unknown demand agent \"s9\""},
        /* a name twice: within a tie, across a tie and a plain entry, across two ties */
        {"[[\"s1\", \"s2\", \"s1\"]]", TM_ERROR_DUPLICATE,
         "supply[0] \"c1\": prefs[0][2]: \"s1\" is listed twice (also prefs[0][0])"},
        {"[\"s2\", [\"s1\", \"s2\"]]", TM_ERROR_DUPLICATE,
         "prefs[1][1]: \"s2\" is listed twice (also prefs[0])"},
        {"[[\"s1\", \"s3\"], \"s2\", \"s3\"]", TM_ERROR_DUPLICATE,
         "prefs[2]: \"s3\" is listed twice (also prefs[0][1])"},
        {"[[\"s1\", \"s3\"], [\"s4\", \"s3\"]]", TM_ERROR_DUPLICATE,
         "prefs[1][1]: \"s3\" is listed twice (also prefs[0][1])"},
        /* the list itself still has to be a list */
        {"{\"s1\": 1}", TM_ERROR_PARSE, "field \"prefs\": must be a list of demand names"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TmInstance *inst = load_c1(cases[i].prefs, &err);
        assert_null(inst);
        tt_expect_error(&err, cases[i].code, cases[i].message);
    }

    /* on the demand side, messages name the demand agent */
    TmInstance *inst = load("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\"]}],"
                            " \"demand\": [{\"name\": \"s1\", \"prefs\": [[]]}]}",
                            &err);
    assert_null(inst);
    tt_expect_error(&err, TM_ERROR_PARSE,
                 "demand[0] \"s1\": prefs[0]: an empty tie (a nested list must name at least "
                 "one supply agent)");
}

/* "prefs": ["s2", ["s1", "s3"], "s4"]: s2 first, then s1 and s3 equally,
 * then s4.  Ranks are equal for tied partners, positions are not; the other
 * side stays strict; strict instances have no ties. */
static void
test_tie_ranks(void **state)
{
    (void)state;
    GError *err = NULL;
    TmInstance *inst = load_c1("[\"s2\", [\"s1\", \"s3\"], \"s4\"]", &err);
    assert_non_null(inst);
    TmMarket *m = tm_instance_market(inst);
    assert_true(tm_market_has_ties(m));
    static const int32_t rank[4] = {1, 0, 1, 2}; /* s1..s4 */
    for (int32_t d = 0; d < 4; d++) {
        assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, d), rank[d]);
        assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, d, 0), 0);
    }
    /* positions keep the file order: s2, s1, s3, s4 */
    int32_t len = 0;
    const int32_t *list = tm_market_prefs(m, TM_SIDE_SUPPLY, 0, &len);
    assert_int_equal(len, 4);
    static const int32_t order[4] = {1, 0, 2, 3};
    for (int32_t k = 0; k < 4; k++) {
        assert_int_equal(list[k], order[k]);
        assert_int_equal(tm_market_position(m, TM_SIDE_SUPPLY, 0, order[k]), k);
    }
    tm_instance_free(inst);

    /* a tie first and a tie last; dropping a one-sided member renumbers
     * ranks densely: s9 is not listed back, so the tie [s4] stands alone */
    inst = load("{\"supply\": [{\"name\": \"c1\", \"prefs\": [[\"s1\", \"s2\"], [\"s9\"], "
                "\"s3\", [\"s4\", \"s5\"]]}],"
                " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"]}, {\"name\": \"s2\", "
                "\"prefs\": [\"c1\"]}, {\"name\": \"s3\", \"prefs\": [\"c1\"]}, {\"name\": "
                "\"s4\", \"prefs\": [\"c1\"]}, {\"name\": \"s5\", \"prefs\": [\"c1\"]},"
                " {\"name\": \"s9\"}]}",
                &err);
    assert_non_null(inst);
    m = tm_instance_market(inst);
    static const int32_t rank2[6] = {0, 0, 1, 2, 2, -1}; /* s1..s5, s9 */
    for (int32_t d = 0; d < 6; d++)
        assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, 0, d), rank2[d]);
    assert_int_equal(tm_market_n_dropped(m, TM_SIDE_SUPPLY), 1);
    tm_instance_free(inst);

    /* ties on the demand side, first in the second agent's list: the
     * strict list before it keeps rank = position */
    inst = load("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s0\", \"s1\"]},"
                " {\"name\": \"c2\", \"prefs\": [\"s0\", \"s1\"]},"
                " {\"name\": \"c3\", \"prefs\": [\"s0\", \"s1\"]}],"
                " \"demand\": [{\"name\": \"s0\", \"prefs\": [\"c2\", \"c3\", \"c1\"]},"
                " {\"name\": \"s1\", \"capacity\": 2,"
                " \"prefs\": [\"c3\", [\"c2\", \"c1\"]]}]}",
                &err);
    assert_non_null(inst);
    m = tm_instance_market(inst);
    assert_true(tm_market_has_ties(m));
    static const int32_t rank_s0[3] = {2, 0, 1}, rank_s1[3] = {1, 1, 0}; /* c1..c3 */
    for (int32_t c = 0; c < 3; c++) {
        assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 0, c), rank_s0[c]);
        assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, c), rank_s1[c]);
        assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, c, 0), 0);
        assert_int_equal(tm_market_rank(m, TM_SIDE_SUPPLY, c, 1), 1);
    }
    tm_instance_free(inst);

    inst = load_c1("[\"s2\", \"s1\", \"s3\", \"s4\"]", &err);
    assert_non_null(inst);
    assert_false(tm_market_has_ties(tm_instance_market(inst)));
    tm_instance_free(inst);
}

/* The solver refuses a tied instance (the core's TM_ERROR_UNSUPPORTED); the
 * audit takes it and checks weak stability. */
static void
test_tie_solve_and_check(void **state)
{
    (void)state;
    GError *err = NULL;
    /* c1: [s1 s3] then s2; c2: s2; s2 prefers c2 */
    static const char json[] =
        "{\"supply\": [{\"name\": \"c1\", \"prefs\": [[\"s1\", \"s3\"], \"s2\"]},"
        "              {\"name\": \"c2\", \"prefs\": [\"s2\"]}],"
        " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"]},"
        "              {\"name\": \"s2\", \"prefs\": [\"c2\", \"c1\"]},"
        "              {\"name\": \"s3\", \"prefs\": [\"c1\"]}]}";
    TmInstance *inst = load(json, &err);
    assert_non_null(inst);
    TmMarket *m = tm_instance_market(inst);
    /* tie breaking by position: c1 takes s1, the first of its tie */
    TmMatching *solved = tm_solve(m, tm_instance_groups(inst), NULL, &err);
    assert_null(err);
    assert_true(tm_matching_is_stable(solved, &err));
    assert_int_equal(tm_matching_n_pairs(solved), 2);
    assert_int_equal(tm_matching_partners(solved, TM_SIDE_SUPPLY, 0, NULL)[0], 0);
    tm_matching_free(solved);

    /* c1 holds s3, tied with the free s1: no blocking pair */
    TmMatching *mt = tm_instance_load_matching_json_data(
        inst, "{\"pairs\": [[\"c1\", \"s3\"], [\"c2\", \"s2\"]]}", -1, "m.json", &err);
    assert_non_null(mt);
    TmVerdict *v = tm_matching_check(mt, &err);
    assert_non_null(v);
    assert_true(tm_verdict_is_stable(v));
    char *text = tm_instance_verdict_to_json(inst, v, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"stable\" : true"));
    g_free(text);
    tm_verdict_free(v);
    tm_matching_free(mt);

    /* c1 holds s2, below the tie: (c1, s1) and (c1, s3) block, and so does
     * (c2, s2) as s2 prefers c2 */
    mt = tm_instance_load_matching_json_data(inst, "{\"pairs\": [[\"c1\", \"s2\"]]}", -1,
                                             "m.json", &err);
    assert_non_null(mt);
    v = tm_matching_check(mt, &err);
    assert_non_null(v);
    assert_false(tm_verdict_is_stable(v));
    text = tm_instance_verdict_to_json(inst, v, &err);
    assert_non_null(text);
    char **parts = g_strsplit_set(text, " \n", -1);
    char *flat = g_strjoinv("", parts);
    g_strfreev(parts);
    assert_non_null(strstr(flat, "\"blocking_pairs\":[[\"c1\",\"s1\"],[\"c1\",\"s3\"],"
                                 "[\"c2\",\"s2\"]]"));
    g_free(flat);
    g_free(text);
    tm_verdict_free(v);
    tm_matching_free(mt);
    tm_instance_free(inst);
}

/* A nested list of one name is that name: the instance is strict and
 * solves as if the brackets were not there. */
static void
test_tie_of_one(void **state)
{
    (void)state;
    GError *err = NULL;
    TmInstance *a = load_c1("[\"s2\", [\"s1\"], \"s4\"]", &err);
    assert_non_null(a);
    TmInstance *b = load_c1("[\"s2\", \"s1\", \"s4\"]", &err);
    assert_non_null(b);
    TmMarket *ma = tm_instance_market(a), *mb = tm_instance_market(b);
    for (int32_t d = 0; d < 4; d++)
        assert_int_equal(tm_market_rank(ma, TM_SIDE_SUPPLY, 0, d),
                         tm_market_rank(mb, TM_SIDE_SUPPLY, 0, d));
    assert_int_equal(tm_market_rank(ma, TM_SIDE_SUPPLY, 0, 1), 0);
    assert_int_equal(tm_market_rank(ma, TM_SIDE_SUPPLY, 0, 0), 1);
    assert_int_equal(tm_market_rank(ma, TM_SIDE_SUPPLY, 0, 3), 2);
    assert_int_equal(tm_market_rank(ma, TM_SIDE_SUPPLY, 0, 2), -1);
    tm_instance_free(a);
    tm_instance_free(b);
}

/* ---- matching documents ------------------------------------------------- */

static const char TWO_BY_TWO[] =
    "{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\", \"s2\"]},"
    "              {\"name\": \"c2\", \"prefs\": [\"s2\", \"s1\"]}],"
    " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\", \"c2\"]},"
    "              {\"name\": \"s2\", \"prefs\": [\"c2\", \"c1\"]}]}";

static void
test_matching_first_fault(void **state)
{
    (void)state;
    GError *err = NULL;
    TmInstance *inst = load(TWO_BY_TWO, &err);
    assert_non_null(inst);
    static const struct {
        const char *pairs;
        int code;
        const char *message;
    } cases[] = {
        /* a repeat before an unknown name is reported, and the other way round */
        {"[[\"c1\",\"s1\"],[\"c1\",\"s1\"],[\"c9\",\"s1\"]]", TM_ERROR_DUPLICATE,
         "m.json: pairs[1]: pair [\"c1\", \"s1\"] is listed twice (also pairs[0])"},
        {"[[\"c1\",\"s1\"],[\"c9\",\"s1\"],[\"c1\",\"s1\"]]", TM_ERROR_UNKNOWN_NAME,
         "m.json: pairs[1]: unknown supply agent \"c9\""},
        {"[[\"c1\",\"s1\"],[\"c2\",\"s2\"],[\"c1\"],[\"c2\",\"s2\"]]", TM_ERROR_PARSE,
         "m.json: pairs[2]: must be a pair"},
        {"[[\"c1\",\"s1\"],[\"c2\",\"s2\"],[\"c2\",\"s2\"],[\"c1\",\"s1\"]]", TM_ERROR_DUPLICATE,
         "pairs[2]: pair [\"c2\", \"s2\"] is listed twice (also pairs[1])"},
        /* three times: the second is at fault, the first is named */
        {"[[\"c2\",\"s1\"],[\"c1\",\"s2\"],[\"c2\",\"s1\"],[\"c2\",\"s1\"]]", TM_ERROR_DUPLICATE,
         "pairs[2]: pair [\"c2\", \"s1\"] is listed twice (also pairs[0])"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *json = g_strdup_printf("{\"pairs\": %s}", cases[i].pairs);
        TmMatching *m = tm_instance_load_matching_json_data(inst, json, -1, "m.json", &err);
        g_free(json);
        assert_null(m);
        tt_expect_error(&err, cases[i].code, cases[i].message);
    }
    /* the same supply or demand agent in two different pairs is fine here */
    TmMatching *m = tm_instance_load_matching_json_data(
        inst, "{\"pairs\": [[\"c2\",\"s2\"],[\"c1\",\"s1\"]]}", -1, "m.json", &err);
    assert_non_null(m);
    assert_int_equal(tm_matching_n_pairs(m), 2);
    assert_int_equal(tm_matching_n_partners(m, TM_SIDE_SUPPLY, 0), 1);
    tm_matching_free(m);
    tm_instance_free(inst);
}

/* ---- integer literals --------------------------------------------------- */

/* Literals outside int64 are clamped in a copy of the text: an ignored
 * member may hold one, a capacity may not; the rest reads unchanged. */
static void
test_literals(void **state)
{
    (void)state;
    GError *err = NULL;
    TmInstance *inst = load("{\"x\": -99999999999999999999999, \"supply\": [{\"name\": \"c1\","
                            " \"capacity\": 3, \"prefs\": [\"s1\"], \"y\": 99999999999999999999}],"
                            " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"],"
                            " \"capacity\": 2}]}",
                            &err);
    assert_non_null(inst);
    assert_int_equal(tm_market_capacity(tm_instance_market(inst), TM_SIDE_SUPPLY, 0), 3);
    assert_int_equal(tm_market_capacity(tm_instance_market(inst), TM_SIDE_DEMAND, 0), 2);
    assert_string_equal(tm_instance_name(inst, TM_SIDE_DEMAND, 0), "s1");
    tm_instance_free(inst);

    inst = load("{\"supply\": [{\"name\": \"c1\", \"capacity\": -99999999999999999999}],"
                " \"demand\": []}",
                &err);
    assert_null(inst);
    tt_expect_error(&err, TM_ERROR_NEGATIVE_CAPACITY,
                 "supply[0] \"c1\": field \"capacity\": must be an integer >= 0, got a negative "
                 "number");
    inst = load("{\"supply\": [{\"name\": \"c1\", \"capacity\": 9223372036854775808}],"
                " \"demand\": []}",
                &err);
    assert_null(inst);
    tt_expect_error(&err, TM_ERROR_OVERFLOW, "supply[0] \"c1\": field \"capacity\": too large");
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest ties[] = {
        cmocka_unit_test(test_tie_ranks),
        cmocka_unit_test(test_tie_solve_and_check),
        cmocka_unit_test(test_tie_refusals),
        cmocka_unit_test(test_tie_of_one),
    };
    const struct CMUnitTest matching[] = {
        cmocka_unit_test(test_matching_first_fault),
    };
    const struct CMUnitTest literals[] = {
        cmocka_unit_test(test_literals),
    };
    const char *group = argc > 1 ? argv[1] : NULL;
    int failed = 0;
    if (group == NULL || strcmp(group, "ties") == 0)
        failed += cmocka_run_group_tests_name("ties", ties, NULL, NULL);
    if (group == NULL || strcmp(group, "matching") == 0)
        failed += cmocka_run_group_tests_name("matching", matching, NULL, NULL);
    if (group == NULL || strcmp(group, "literals") == 0)
        failed += cmocka_run_group_tests_name("literals", literals, NULL, NULL);
    return failed != 0;
}
