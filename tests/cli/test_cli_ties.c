/* CLI tests of ties: `techmatch solve --stability weak|strong|super
 * --max-cardinality --seed N` and `techmatch check --stability`, on the
 * small instances of tests/cli/data/ties whose answers are worked out by hand
 * below (each against the definitions of TmStability in matching.h).
 *
 *   test_cli_ties TECHMATCH_BINARY DATA_DIR TEST_NAME
 *
 * The strong, super and max-cardinality cases assert the right answers; they
 * fail until those solvers are in the library (they refuse with "not
 * implemented yet" before).
 */
#define _POSIX_C_SOURCE 200809L

#include "cli_fixture.h"

/* A file of tests/cli/data/ties. */
static const char *
TD(Fx *fx, const char *name)
{
    return keep(fx, g_build_filename(fx->ctx->data_dir, "ties", name, NULL));
}

/* The members of the document in fx->out, in order, joined by ",". */
static const char *
member_names(Fx *fx, JsonObject *doc)
{
    GList *names = json_object_get_members(doc);
    GString *keys = g_string_new(NULL);
    for (GList *l = names; l != NULL; l = l->next)
        g_string_append_printf(keys, "%s%s", keys->len ? "," : "", (const char *)l->data);
    g_list_free(names);
    return keep(fx, g_string_free(keys, FALSE));
}

/* Member @name of the document in fx->out, as compact JSON. */
static const char *
out_member(Fx *fx, const char *name)
{
    JsonObject *doc = parse_object(fx->out);
    const char *text = member(fx, doc, name);
    json_object_unref(doc);
    return text;
}

/* @text with its first @from replaced by @to (kept by the fixture). */
static const char *
replace_first(Fx *fx, const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    return keep(fx, g_strdup_printf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from)));
}

static const char SOLUTION_MEMBERS[] =
    "pairs,unmatched_supply,unmatched_demand,stability,stable,blocking_pairs,violations,stats";

/* The last run succeeded with a solution document stating @stability, audited
 * stable, with exactly @pairs (compact JSON).  Returns the document (unref). */
static JsonObject *
expect_solution(Fx *fx, const char *stability, const char *pairs)
{
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    char *want = g_strdup_printf("\"%s\"", stability);
    assert_string_equal(member(fx, doc, "stability"), want);
    g_free(want);
    if (strcmp(member(fx, doc, "pairs"), pairs) != 0) {
        show(fx);
        assert_string_equal(member(fx, doc, "pairs"), pairs);
    }
    assert_string_equal(member(fx, doc, "stable"), "true");
    assert_string_equal(member(fx, doc, "blocking_pairs"), "[]");
    assert_string_equal(member(fx, doc, "violations"), "[]");
    return doc;
}

#define SOLVED(fx, stability, pairs, ...)                                                    \
    do {                                                                                     \
        RUN(fx, __VA_ARGS__);                                                                \
        json_object_unref(expect_solution((fx), (stability), (pairs)));                      \
    } while (0)

/* The last run was refused as @status says: nothing on stdout, one line on
 * stderr starting "techmatch: " holding each fragment. */
static void
expect_refusal_v(Fx *fx, int status, const char *const *fragments)
{
    assert_status(fx, status);
    assert_string_equal(fx->out, "");
    if (!g_str_has_prefix(fx->err, "techmatch: ") ||
        strchr(fx->err, '\n') != fx->err + strlen(fx->err) - 1) {
        show(fx);
        fail();
    }
    for (size_t i = 0; fragments[i] != NULL; i++)
        assert_contains(fx->err, fragments[i]);
}

#define REFUSED(fx, status, fragments, ...)                                                  \
    do {                                                                                     \
        RUN(fx, __VA_ARGS__);                                                                \
        expect_refusal_v((fx), (status), (const char *const[]){fragments, NULL});            \
    } while (0)

/* ---- the instances (worked out by hand) -----------------------------------
 *
 * super.json: m1 ties w1 and w2; m2: w2 > w1; w1: m1 > m2; w2: m2 > m1.
 *   M = {m1w1, m2w2} is super-stable: (m1, w2) does not block (w2 holds her
 *   first choice), nor (m2, w1) (m2 does).  The other perfect matching is
 *   blocked by (m2, w2), both strictly; a smaller one by a free pair.  So M
 *   is the only super-stable, strongly stable and (with list-order tie
 *   breaking, m1 taking w1 first) the default weakly stable matching.
 * super_hr.json (many-to-one): r1 ties h1, h2; r2: h1; r3: h2 > h1;
 *   h1 (2 seats) ties r1 and r2, then r3; h2: r3 > r1.  r2 must sit at h1
 *   (else (r2, h1) blocks: h1 ranks r2 first), r1 at h1 (else r1 at h2 or
 *   unmatched and (r1, h1) blocks, or r3 and h2 block each other), so h1 is
 *   full and r3 at h2: the only super-stable matching.
 * strong_only.json: m1 ties w1, w2; m2: w1 > w2; w1 ties m1, m2; w2: m1 > m2.
 *   {m1w1, m2w2} is weakly stable (the default result: m1 takes w1 first,
 *   w1 keeps m1 who comes first in her tie) but (m1, w2) and (m2, w1) block
 *   it strongly.  {m1w2, m2w1} is strongly stable, not super-stable:
 *   (m1, w1) is a pair of indifferent agents.  Partial matchings leave a
 *   free pair.  So: unique strongly stable matching, no super-stable one.
 * no_strong.json (the classic example, cf. Irving 1994): m1 and m2 tie w1
 *   and w2; both women rank m1 > m2.  Whoever m1 is not matched to prefers
 *   m1 strictly and m1 is indifferent: no strongly (so no super-) stable
 *   matching.  Weak default: {m1w1, m2w2}.
 * maxcard.json: m1 ties w1, w2; m2: w1; w1: m1 > m2; w2: m1.  List-order tie
 *   breaking gives {m1w1} (either side proposing); {m1w2, m2w1} is weakly
 *   stable ((m1, w1): m1 is indifferent) and the largest.  2/3 of 2 is above
 *   1, so Király's algorithm must find it.
 * maxcard_hr.json: r1 ties h2, h1; r2: h2; h1 (2 seats): r1; h2: r1 > r2.
 *   Tie breaking: {r1h2}; the largest weakly stable: {r1h1, r2h2}; forced as
 *   above.
 * many_to_many.json: capacities above 1 on both sides, which only tie
 *   breaking takes.
 */

static const char SUPER_PAIRS[] = "[[\"m1\",\"w1\"],[\"m2\",\"w2\"]]";
static const char SUPER_HR_PAIRS[] = "[[\"r1\",\"h1\"],[\"r2\",\"h1\"],[\"r3\",\"h2\"]]";
static const char CROSS_PAIRS[] = "[[\"m1\",\"w2\"],[\"m2\",\"w1\"]]";
static const char STRAIGHT_PAIRS[] = "[[\"m1\",\"w1\"],[\"m2\",\"w2\"]]";

/* ---- solve ---------------------------------------------------------------- */

static void
test_ties_weak(void **state)
{
    Fx *fx = *state;
    SOLVED(fx, "weak", STRAIGHT_PAIRS, "solve", TD(fx, "strong_only.json"));
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member_names(fx, doc), SOLUTION_MEMBERS);
    json_object_unref(doc);
    char *first = g_strdup(fx->out);
    RUN(fx, "solve", TD(fx, "strong_only.json"), "--stability", "weak");
    assert_status(fx, 0);
    assert_string_equal(fx->out, first);
    RUN(fx, "solve", "--stability=weak", TD(fx, "strong_only.json"));
    assert_string_equal(fx->out, first);
    g_free(first);
    SOLVED(fx, "weak", STRAIGHT_PAIRS, "solve", TD(fx, "no_strong.json"));
    SOLVED(fx, "weak", SUPER_PAIRS, "solve", TD(fx, "super.json"));
    SOLVED(fx, "weak", "[[\"m1\",\"w1\"]]", "solve", TD(fx, "maxcard.json"));
    SOLVED(fx, "weak", "[[\"m1\",\"w1\"]]", "solve", TD(fx, "maxcard.json"), "--optimal",
           "demand");
    SOLVED(fx, "weak", "[[\"r1\",\"h2\"]]", "solve", TD(fx, "maxcard_hr.json"));

    /* the objective value is the proposing side's total rank of this
     * matching: m1 w1 (0) and m2 w2 (1) */
    RUN(fx, "solve", TD(fx, "strong_only.json"), "--objective", "supply-optimal");
    doc = expect_solution(fx, "weak", STRAIGHT_PAIRS);
    assert_string_equal(member(fx, doc, "objective"),
                        "{\"name\":\"supply-optimal\",\"value\":1}");
    assert_true(g_str_has_prefix(fx->out, "{\n  \"objective\""));
    json_object_unref(doc);

    /* a strict market: the notions coincide, the flags change nothing */
    RUN(fx, "solve", D(fx, "good.json"));
    first = g_strdup(fx->out);
    static const char *const same[][4] = {
        {"--stability", "strong", NULL}, {"--stability", "super", NULL},
        {"--max-cardinality", NULL}, {"--seed", "7", NULL},
        {"--max-cardinality", "--stability", "weak", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
        RUN(fx, "solve", D(fx, "good.json"), same[i][0], same[i][1], same[i][2]);
        assert_status(fx, 0);
        const char *name = strcmp(same[i][0], "--stability") == 0 ? same[i][1] : "weak";
        char *want = g_strdup_printf("\"stability\" : \"%s\"", name);
        assert_string_equal(replace_first(fx, fx->out, want, "\"stability\" : \"weak\""),
                            first);
        g_free(want);
    }
    g_free(first);
}

static void
test_ties_super(void **state)
{
    Fx *fx = *state;
    SOLVED(fx, "super", SUPER_PAIRS, "solve", TD(fx, "super.json"), "--stability", "super");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member_names(fx, doc), SOLUTION_MEMBERS);
    json_object_unref(doc);
    SOLVED(fx, "super", SUPER_PAIRS, "solve", TD(fx, "super.json"), "--stability", "super",
           "--optimal", "demand");
    SOLVED(fx, "super", SUPER_HR_PAIRS, "solve", TD(fx, "super_hr.json"), "--stability",
           "super");
    SOLVED(fx, "super", SUPER_HR_PAIRS, "solve", TD(fx, "super_hr.json"), "--stability",
           "super", "--objective", "demand-optimal");
    assert_contains(fx->out, "\"objective\" : {\"name\" : \"demand-optimal\", \"value\" : 0}");
    /* written with --out, it checks as super-stable */
    RUN(fx, "solve", TD(fx, "super_hr.json"), "--stability", "super", "--out",
        T(fx, "sol.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->out, "");
    RUN(fx, "check", TD(fx, "super_hr.json"), T(fx, "sol.json"), "--stability", "super");
    assert_status(fx, 0);
    assert_contains(fx->out, "\"stability\" : \"super\"");
}

static void
test_ties_strong(void **state)
{
    Fx *fx = *state;
    SOLVED(fx, "strong", CROSS_PAIRS, "solve", TD(fx, "strong_only.json"), "--stability",
           "strong");
    SOLVED(fx, "strong", CROSS_PAIRS, "solve", TD(fx, "strong_only.json"), "--stability",
           "strong", "--optimal", "demand");
    /* the objective stays stated: m1 w2 and m2 w1 are both rank 0 */
    RUN(fx, "solve", TD(fx, "strong_only.json"), "--stability", "strong", "--objective",
        "supply-optimal");
    JsonObject *doc = expect_solution(fx, "strong", CROSS_PAIRS);
    assert_string_equal(member(fx, doc, "objective"),
                        "{\"name\":\"supply-optimal\",\"value\":0}");
    json_object_unref(doc);
    /* super-stable implies strongly stable, and it is the only one here */
    SOLVED(fx, "strong", SUPER_PAIRS, "solve", TD(fx, "super.json"), "--stability", "strong");
    SOLVED(fx, "strong", SUPER_HR_PAIRS, "solve", TD(fx, "super_hr.json"), "--stability",
           "strong");
    /* many-to-one: strong stability from the side with capacities above 1
     * is not implemented (solve.h); the library's message, nothing written */
    REFUSED(fx, 2, "supply side", "solve", TD(fx, "super_hr.json"), "--stability", "strong",
            "--optimal", "demand", "--out", T(fx, "hr.json"));
    assert_string_equal(listing(fx), "");
}

/* No such matching: exit 3, one line naming the notion and the file, nothing
 * on stdout, no file written, an existing one untouched. */
static void
test_ties_no_such(void **state)
{
    Fx *fx = *state;
    static const char *const cases[][3] = {
        {"no_strong.json", "strong", "no strongly stable matching"},
        {"no_strong.json", "super", "no super-stable matching"},
        {"strong_only.json", "super", "no super-stable matching"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *inst = TD(fx, cases[i][0]);
        REFUSED(fx, 3, cases[i][2], "solve", inst, "--stability", cases[i][1]);
        assert_contains(fx->err, inst);
        REFUSED(fx, 3, cases[i][2], "solve", inst, "--stability", cases[i][1], "--optimal",
                "demand");
        REFUSED(fx, 3, cases[i][2], "solve", inst, "--stability", cases[i][1], "--objective",
                "supply-optimal");
        REFUSED(fx, 3, cases[i][2], "solve", inst, "--stability", cases[i][1], "--out",
                T(fx, "new.json"));
        assert_string_equal(listing(fx), "");
        write_text(T(fx, "old.json"), "KEEP\n");
        REFUSED(fx, 3, cases[i][2], "solve", inst, "--stability", cases[i][1], "-o",
                T(fx, "old.json"));
        assert_string_equal(listing(fx), "old.json");
        char *text = read_text(T(fx, "old.json"));
        assert_string_equal(text, "KEEP\n");
        g_free(text);
        g_remove(T(fx, "old.json"));
    }
    /* a weakly stable matching always exists */
    SOLVED(fx, "weak", STRAIGHT_PAIRS, "solve", TD(fx, "no_strong.json"), "--stability",
           "weak");
}

static void
test_ties_max_cardinality(void **state)
{
    Fx *fx = *state;
    SOLVED(fx, "weak", CROSS_PAIRS, "solve", TD(fx, "maxcard.json"), "--max-cardinality");
    SOLVED(fx, "weak", CROSS_PAIRS, "solve", TD(fx, "maxcard.json"), "--max-cardinality",
           "--optimal", "demand");
    SOLVED(fx, "weak", CROSS_PAIRS, "solve", TD(fx, "maxcard.json"), "--max-cardinality",
           "--stability", "weak");
    SOLVED(fx, "weak", "[[\"r1\",\"h1\"],[\"r2\",\"h2\"]]", "solve", TD(fx, "maxcard_hr.json"),
           "--max-cardinality");
    assert_contains(fx->out, "\"stability\" : \"weak\"");
    /* every weakly stable matching of no_strong.json is perfect */
    RUN(fx, "solve", TD(fx, "no_strong.json"), "--max-cardinality");
    JsonObject *doc = parse_object(fx->out);
    assert_status(fx, 0);
    assert_contains(member(fx, doc, "stats"), "\"pairs\":2,");
    assert_string_equal(member(fx, doc, "stable"), "true");
    json_object_unref(doc);
}

/* --seed: the same seed gives the same document; over seeds, different
 * weakly stable matchings of an instance where everyone is indifferent (24
 * perfect matchings, all weakly stable). */
static void
test_ties_seed(void **state)
{
    Fx *fx = *state;
    const char *inst = TD(fx, "many_ties.json");
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int seed = 1; seed <= 10; seed++) {
        char text[24];
        g_snprintf(text, sizeof text, "%d", seed);
        RUN(fx, "solve", inst, "--seed", text);
        JsonObject *doc = expect_solution(fx, "weak", out_member(fx, "pairs"));
        assert_contains(member(fx, doc, "stats"), "\"pairs\":4,");
        char *first = g_strdup(fx->out);
        RUN(fx, "solve", inst, "--seed", text);
        assert_status(fx, 0);
        assert_string_equal(fx->out, first);
        RUN(fx, "solve", inst, "--seed", text, "--stability", "weak", "--out",
            T(fx, "seeded.json"));
        assert_status(fx, 0);
        char *written = read_text(T(fx, "seeded.json"));
        assert_string_equal(written, first);
        g_free(written);
        g_hash_table_add(seen, g_strdup(member(fx, doc, "pairs")));
        json_object_unref(doc);
        g_free(first);
    }
    if (g_hash_table_size(seen) < 2)
        fprintf(stderr, "10 seeds gave %u matching(s)\n", g_hash_table_size(seen));
    assert_true(g_hash_table_size(seen) >= 2);
    g_hash_table_unref(seen);
    /* without --seed: list order, a1-b1 ... a4-b4 */
    SOLVED(fx, "weak",
           "[[\"a1\",\"b1\"],[\"a2\",\"b2\"],[\"a3\",\"b3\"],[\"a4\",\"b4\"]]", "solve", inst);
    /* the whole range of seeds */
    RUN(fx, "solve", inst, "--seed", "0");
    assert_status(fx, 0);
    RUN(fx, "solve", inst, "--seed", "18446744073709551615", "--optimal", "demand");
    assert_status(fx, 0);
}

static void
test_ties_bad_values(void **state)
{
    Fx *fx = *state;
    const char *inst = TD(fx, "super.json");
    static const char *const bad_stability[] = {"bogus", "", "STRONG", "weakly", "1"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad_stability); i++) {
        char *want = g_strdup_printf("bad value \"%s\" for --stability: expected weak, strong "
                                     "or super", bad_stability[i]);
        REFUSED(fx, 2, want, "solve", inst, "--stability", bad_stability[i]);
        REFUSED(fx, 2, want, "check", inst, TD(fx, "no_strong_matching.json"), "--stability",
                bad_stability[i]);
        g_free(want);
    }
    static const char *const bad_seed[] = {"abc", "-1", "1.5", "", "18446744073709551616",
                                           "0x10", " 5"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad_seed); i++) {
        char *want = g_strdup_printf("bad value \"%s\" for --seed", bad_seed[i]);
        REFUSED(fx, 2, want, "solve", inst, "--seed", bad_seed[i]);
        g_free(want);
    }
    REFUSED(fx, 2, "--stability", "solve", inst, "--stability");
    REFUSED(fx, 2, "--seed", "solve", inst, "--seed");
    /* check takes --stability only */
    REFUSED(fx, 2, "--seed", "check", inst, TD(fx, "no_strong_matching.json"), "--seed", "1");
    REFUSED(fx, 2, "--max-cardinality", "check", inst, TD(fx, "no_strong_matching.json"),
            "--max-cardinality");
    /* a bad flag is reported before the instance is read */
    REFUSED(fx, 2, "--stability", "solve", TD(fx, "missing.json"), "--stability", "x");
}

static void
test_ties_combinations(void **state)
{
    Fx *fx = *state;
    const char *inst = TD(fx, "strong_only.json");
    const char *strict = D(fx, "good.json");
    /* options that exclude each other, whatever the instance */
    REFUSED(fx, 2, "--max-cardinality", "solve", inst, "--max-cardinality", "--stability",
            "strong");
    assert_contains(fx->err, "--stability strong");
    REFUSED(fx, 2, "--max-cardinality", "solve", strict, "--stability", "super",
            "--max-cardinality");
    assert_contains(fx->err, "--stability super");
    REFUSED(fx, 2, "--seed", "solve", inst, "--seed", "3", "--stability", "strong");
    REFUSED(fx, 2, "--seed", "solve", strict, "--seed", "3", "--stability", "super");
    REFUSED(fx, 2, "--seed and --max-cardinality exclude each other", "solve", inst, "--seed",
            "3", "--max-cardinality");
    /* each lattice option as one argument, and as messages name it */
    static const char *const lattice[][2] = {
        {"--objective=egalitarian", "--objective egalitarian"},
        {"--objective=min-regret", "--objective min-regret"},
        {"--objective=balanced", "--objective balanced"},
        {"--all", "--all"},
        {"--count", "--count"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(lattice); i++) {
        const char *opt = lattice[i][0], *what = lattice[i][1];
        REFUSED(fx, 2, "lattice", "solve", strict, opt, "--seed", "1");
        assert_contains(fx->err, what);
        assert_contains(fx->err, "--seed");
        REFUSED(fx, 2, "--max-cardinality", "solve", strict, "--max-cardinality", opt);
        assert_contains(fx->err, what);
        REFUSED(fx, 2, "--stability strong", "solve", strict, opt, "--stability", "strong");
        REFUSED(fx, 2, "--stability super", "solve", strict, "--stability", "super", opt);
        /* the lattice needs strict lists */
        REFUSED(fx, 2, "needs strict preference lists", "solve", inst, opt);
        assert_contains(fx->err, what);
        assert_contains(fx->err, inst);
        /* with weak stability stated, a strict instance is fine */
        RUN(fx, "solve", strict, opt, "--stability", "weak");
        assert_status(fx, 0);
    }
    /* the lattice's optimum states the notion too */
    RUN(fx, "solve", strict, "--objective", "egalitarian");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member_names(fx, doc), keep(fx, g_strconcat("objective,",
                                                                    SOLUTION_MEMBERS, NULL)));
    json_object_unref(doc);
    REFUSED(fx, 2, "needs strict preference lists", "solve", D(fx, "tie.json"), "--count",
            "--limit", "2");

    /* groups with ties: refused by solve and check, nothing written */
    const char *groups = TD(fx, "groups_tie.json");
    REFUSED(fx, 2, "\"groups\" needs strict preference lists", "solve", groups);
    assert_contains(fx->err, groups);
    REFUSED(fx, 2, "\"groups\" needs strict preference lists", "solve", groups, "--seed", "4",
            "--out", T(fx, "g.json"));
    assert_string_equal(listing(fx), "");
    REFUSED(fx, 2, "\"groups\" needs strict preference lists", "check", groups,
            TD(fx, "groups_tie_matching.json"));
    REFUSED(fx, 2, "\"groups\" needs strict preference lists", "check", groups,
            TD(fx, "groups_tie_matching.json"), "--stability", "strong");
    /* groups with strict lists: the notions coincide, the groups' audit */
    RUN(fx, "solve", D(fx, "groups_cap.json"), "--stability", "strong");
    assert_status(fx, 0);
    assert_contains(fx->out, "\"stability\" : \"strong\",\n  \"stable\" : true");
    RUN(fx, "solve", D(fx, "groups_cap.json"), "--stability", "super", "--out",
        T(fx, "gs.json"));
    assert_status(fx, 0);
    RUN(fx, "check", D(fx, "groups_cap.json"), T(fx, "gs.json"), "--stability", "super");
    assert_status(fx, 0);
    assert_contains(fx->out, "\"stability\" : \"super\"");
    /* capacities above 1 on both sides: tie breaking only (the library's
     * message, exit 2, nothing written) */
    const char *mm = TD(fx, "many_to_many.json");
    RUN(fx, "solve", mm);
    assert_status(fx, 0);
    static const char *const mm_refused[][2] = {
        {"--max-cardinality", NULL}, {"--stability", "strong"}, {"--stability", "super"}};
    for (size_t i = 0; i < G_N_ELEMENTS(mm_refused); i++) {
        REFUSED(fx, 2, "", "solve", mm, "--out", T(fx, "mm.json"), mm_refused[i][0],
                mm_refused[i][1]);
        assert_string_equal(listing(fx), "gs.json"); /* no mm.json */
    }
    /* groups refuse the demand side proposing, whatever the notion */
    REFUSED(fx, 2, "groups", "solve", D(fx, "groups_cap.json"), "--stability", "strong",
            "--optimal", "demand");
}

/* Runs check with @stability (NULL: none given) and asserts its status, the
 * verdict document (members in order) and its blocking pairs. */
static void
assert_verdict(Fx *fx, const char *instance, const char *matching, const char *stability,
             int status, const char *blocking_pairs)
{
    if (stability != NULL)
        RUN(fx, "check", instance, matching, "--stability", stability);
    else
        RUN(fx, "check", instance, matching);
    assert_status(fx, status);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member_names(fx, doc), "stability,stable,blocking_pairs,violations");
    char *want = g_strdup_printf("\"%s\"", stability ? stability : "weak");
    assert_string_equal(member(fx, doc, "stability"), want);
    g_free(want);
    assert_string_equal(member(fx, doc, "stable"), status == 0 ? "true" : "false");
    assert_string_equal(member(fx, doc, "blocking_pairs"), blocking_pairs);
    assert_string_equal(member(fx, doc, "violations"), "[]");
    json_object_unref(doc);
}

static void
test_ties_check(void **state)
{
    Fx *fx = *state;
    /* strong_only.json (see above): {m1w1, m2w2} is weakly stable only;
     * {m1w2, m2w1} strongly stable, and (m1, w1) blocks it in the super
     * sense (both indifferent) */
    const char *so = TD(fx, "strong_only.json");
    const char *weak = TD(fx, "strong_only_weak.json"), *strong = TD(fx, "strong_only_strong.json");
    assert_verdict(fx, so, weak, NULL, 0, "[]");
    assert_verdict(fx, so, weak, "weak", 0, "[]");
    assert_verdict(fx, so, weak, "strong", 1, CROSS_PAIRS);
    assert_verdict(fx, so, weak, "super", 1, CROSS_PAIRS);
    assert_verdict(fx, so, strong, "weak", 0, "[]");
    assert_verdict(fx, so, strong, "strong", 0, "[]");
    assert_verdict(fx, so, strong, "super", 1, "[[\"m1\",\"w1\"]]");
    /* no_strong.json: (m1, w2) blocks {m1w1, m2w2} strongly: m1 is
     * indifferent, w2 strictly better off */
    const char *ns = TD(fx, "no_strong.json"), *nsm = TD(fx, "no_strong_matching.json");
    assert_verdict(fx, ns, nsm, "weak", 0, "[]");
    assert_verdict(fx, ns, nsm, "strong", 1, "[[\"m1\",\"w2\"]]");
    assert_verdict(fx, ns, nsm, "super", 1, "[[\"m1\",\"w2\"]]");
    /* tie.json with c1 at s3: c1 is indifferent to s1, which is free */
    assert_verdict(fx, D(fx, "tie.json"), D(fx, "matching_tie_weak.json"), "weak", 0, "[]");
    assert_verdict(fx, D(fx, "tie.json"), D(fx, "matching_tie_weak.json"), "strong", 1,
                 "[[\"c1\",\"s1\"]]");
    assert_verdict(fx, D(fx, "tie.json"), D(fx, "matching_tie_weak.json"), "super", 1,
                 "[[\"c1\",\"s1\"]]");
    /* strict lists: the three agree */
    static const char *const notions[] = {"weak", "strong", "super"};
    for (size_t i = 0; i < G_N_ELEMENTS(notions); i++) {
        assert_verdict(fx, D(fx, "good.json"), D(fx, "matching_stable.json"), notions[i], 0,
                     "[]");
        RUN(fx, "check", D(fx, "good.json"), D(fx, "matching_unstable.json"), "--stability",
            notions[i]);
        assert_status(fx, 1);
        const char *bp = out_member(fx, "blocking_pairs");
        assert_string_not_equal(bp, "[]");
        RUN(fx, "check", D(fx, "good.json"), D(fx, "matching_unstable.json"));
        assert_string_equal(out_member(fx, "blocking_pairs"), bp);
    }
    /* violations are the same under every notion */
    RUN(fx, "check", D(fx, "good.json"), D(fx, "matching_violations.json"), "--stability",
        "super");
    assert_status(fx, 1);
    const char *v = out_member(fx, "violations");
    RUN(fx, "check", D(fx, "good.json"), D(fx, "matching_violations.json"));
    assert_string_equal(out_member(fx, "violations"), v);
    assert_string_not_equal(v, "[]");
}

static void
test_ties_help(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", "--help");
    assert_status(fx, 0);
    static const char *const solve_words[] = {
        "--stability=NOTION", "--max-cardinality", "--seed=N", "weak", "strong", "super",
        "exits with status 3", "2/3",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(solve_words); i++)
        assert_contains(fx->out, solve_words[i]);
    RUN(fx, "check", "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "--stability=NOTION");
    assert_contains(fx->out, "\"stability\"");
    RUN(fx, "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "3 solve found no matching of the asked-for stability");
}

/* ---- main ----------------------------------------------------------------- */

static const NamedTest named_tests[] = {
    {"ties_weak", test_ties_weak},
    {"ties_super", test_ties_super},
    {"ties_strong", test_ties_strong},
    {"ties_no_such", test_ties_no_such},
    {"ties_max_cardinality", test_ties_max_cardinality},
    {"ties_seed", test_ties_seed},
    {"ties_bad_values", test_ties_bad_values},
    {"ties_combinations", test_ties_combinations},
    {"ties_check", test_ties_check},
    {"ties_help", test_ties_help},
};

int
main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s TECHMATCH_BINARY DATA_DIR [TEST_NAME]\n", argv[0]);
        return 2;
    }
    return run_named_tests("cli_ties", named_tests, G_N_ELEMENTS(named_tests), argv[1], argv[2],
                           argc == 4 ? argv[3] : NULL);
}
