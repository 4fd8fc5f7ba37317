/* CLI tests of `techmatch solve --objective / --all / --count / --limit`
 * (the lattice of stable matchings): run the built binary on instances
 * whose stable matchings are known by hand and check the documents.
 *
 *   test_cli_lattice TECHMATCH_BINARY DATA_DIR TEST_NAME
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static const char *g_tm, *g_data;
static char *g_out, *g_err, *g_tmp;
static int g_status;

#include "cli_run_argv.h"

/* Compact JSON of member @name of the object in g_out ("" if absent). */
static char *member(const char *name)
{
    JsonParser *p = json_parser_new();
    assert_true(json_parser_load_from_data(p, g_out, -1, NULL));
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    JsonNode *n = json_object_get_member(o, name);
    char *text = g_strdup("");
    if (n != NULL) {
        JsonGenerator *gen = json_generator_new();
        json_generator_set_root(gen, n);
        g_free(text);
        text = json_generator_to_data(gen, NULL);
        g_object_unref(gen);
    }
    g_object_unref(p);
    return text;
}

static void expect_member(const char *name, const char *want)
{
    char *got = member(name);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "member %s: got %s, want %s\n", name, got, want);
    assert_string_equal(got, want);
    g_free(got);
}

static char *data(const char *name)
{
    return g_build_filename(g_data, name, NULL);
}

/* good.json is the 3x3 cyclic market (plus c4 with capacity 0): three
 * stable matchings in a chain, every supply agent at its first, second and
 * third choice; every one costs 6 in total, only the middle one has worst
 * rank 1 and gap 0. */
static const char TOP[] = "[[\"c1\",\"s1\"],[\"c2\",\"s2\"],[\"c3\",\"s3\"]]";
static const char MID[] = "[[\"c1\",\"s2\"],[\"c2\",\"s3\"],[\"c3\",\"s1\"]]";
static const char BOT[] = "[[\"c1\",\"s3\"],[\"c2\",\"s1\"],[\"c3\",\"s2\"]]";

/* Residents r0: h1 h0, r1: h0 h1, r2: h0 h1; h0 (2 seats): r0 r2 r1, h1: r1
 * r2 r0.  Stable: r0-h1 r1-h0 r2-h0 (total ranks 0 + 5, worst 2) and r0-h0
 * r1-h1 r2-h0 (2 + 1, worst 1). */
static const char HR[] =
    "{\"supply\": [{\"name\": \"r0\", \"prefs\": [\"h1\", \"h0\"]},"
    " {\"name\": \"r1\", \"prefs\": [\"h0\", \"h1\"]}, {\"name\": \"r\\\"2\\\\\", \"prefs\": "
    "[\"h0\", \"h1\"]}],"
    " \"demand\": [{\"name\": \"h0\", \"capacity\": 2, \"prefs\": [\"r0\", \"r\\\"2\\\\\", \"r1\"]},"
    " {\"name\": \"h1\", \"prefs\": [\"r1\", \"r\\\"2\\\\\", \"r0\"]}]}";

static void test_objective(void **state)
{
    (void)state;
    char *good = data("good.json");
    static const char *const cases[][3] = {
        { "egalitarian", TOP, "6" },   { "min-regret", MID, "1" }, { "balanced", MID, "0" },
        { "supply-optimal", TOP, "0" }, { "demand-optimal", BOT, "0" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        RUN("solve", good, "--objective", cases[i][0]);
        expect_status(0);
        assert_string_equal(g_err, "");
        char *want = g_strdup_printf("{\"name\":\"%s\",\"value\":%s}", cases[i][0], cases[i][2]);
        expect_member("objective", want);
        g_free(want);
        expect_member("pairs", cases[i][1]);
        expect_member("stable", "true");
        assert_true(g_str_has_prefix(g_out, "{\n  \"objective\""));
    }
    g_free(good);
    /* many-to-one */
    char *hr = g_build_filename(g_tmp, "hr.json", NULL);
    assert_true(g_file_set_contents(hr, HR, -1, NULL));
    static const char HR_BOTTOM[] = "[[\"r0\",\"h0\"],[\"r1\",\"h1\"],[\"r\\\"2\\\\\",\"h0\"]]";
    RUN("solve", hr, "--objective", "egalitarian");
    expect_status(0);
    expect_member("objective", "{\"name\":\"egalitarian\",\"value\":3}");
    expect_member("pairs", HR_BOTTOM);
    RUN("solve", hr, "--objective", "min-regret");
    expect_member("objective", "{\"name\":\"min-regret\",\"value\":1}");
    RUN("solve", hr, "--objective", "balanced");
    expect_member("objective", "{\"name\":\"balanced\",\"value\":1}");
    g_free(hr);
}

static void test_all(void **state)
{
    (void)state;
    char *good = data("good.json");
    RUN("solve", good, "--all");
    expect_status(0);
    char *want = g_strdup_printf("[{\"pairs\":%s},{\"pairs\":%s},{\"pairs\":%s}]", TOP, MID, BOT);
    expect_member("matchings", want);
    g_free(want);
    expect_member("count", "3");
    expect_member("complete", "true");
    RUN("solve", good, "--all", "--limit", "2");
    expect_status(0);
    want = g_strdup_printf("[{\"pairs\":%s},{\"pairs\":%s}]", TOP, MID);
    expect_member("matchings", want);
    g_free(want);
    expect_member("count", "2");
    expect_member("complete", "false");
    RUN("solve", good, "--all", "--limit", "3");
    expect_member("complete", "true");
    char *out = g_build_filename(g_tmp, "all.json", NULL);
    RUN("solve", good, "--all", "--out", out);
    expect_status(0);
    assert_string_equal(g_out, "");
    g_free(out);
    g_free(good);
    /* names that need escaping come back intact */
    char *hr = g_build_filename(g_tmp, "hr.json", NULL);
    assert_true(g_file_set_contents(hr, HR, -1, NULL));
    RUN("solve", hr, "--all");
    expect_status(0);
    expect_member("matchings",
                  "[{\"pairs\":[[\"r0\",\"h1\"],[\"r1\",\"h0\"],[\"r\\\"2\\\\\",\"h0\"]]},"
                  "{\"pairs\":[[\"r0\",\"h0\"],[\"r1\",\"h1\"],[\"r\\\"2\\\\\",\"h0\"]]}]");
    g_free(hr);
}

static void test_count(void **state)
{
    (void)state;
    char *good = data("good.json");
    RUN("solve", good, "--count");
    expect_status(0);
    expect_member("count", "3");
    expect_member("complete", "true");
    RUN("solve", good, "--count", "--limit", "1");
    expect_member("count", "1");
    expect_member("complete", "false");
    g_free(good);
}

static void expect_error(const char *fragment)
{
    expect_status(2);
    assert_string_equal(g_out, "");
    assert_true(g_str_has_prefix(g_err, "techmatch: "));
    if (strstr(g_err, fragment) == NULL)
        fprintf(stderr, "expected [%s] in %s", fragment, g_err);
    assert_non_null(strstr(g_err, fragment));
}

/* "weights": the cyclic market (plus c4, whose one entry s1 does not list
 * back) with 2.5 on (c1, s2) and -1 on (c2, s1): the middle matching
 * (c1-s2 c2-s3 c3-s1) weighs 2.5, the others 0 and -1; with 4 on (c2, s1)
 * and 0.001 on (c3, s1) the demand-optimal one (c1-s3 c2-s1 c3-s2) wins. */
static const char CYC[] =
    "{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\", \"s2\", \"s3\"]},"
    " {\"name\": \"c2\", \"prefs\": [\"s2\", \"s3\", \"s1\"]},"
    " {\"name\": \"c3\", \"prefs\": [\"s3\", \"s1\", \"s2\"]},"
    " {\"name\": \"c4\", \"prefs\": [\"s1\"]}],"
    " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c2\", \"c3\", \"c1\"]},"
    " {\"name\": \"s2\", \"prefs\": [\"c3\", \"c1\", \"c2\"]},"
    " {\"name\": \"s3\", \"prefs\": [\"c1\", \"c2\", \"c3\"]}],"
    " \"weights\": %s}";

static char *cyc(const char *weights)
{
    char *path = g_build_filename(g_tmp, "hr.json", NULL);
    char *text = g_strdup_printf(CYC, weights);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(text);
    return path;
}

static void test_weights(void **state)
{
    (void)state;
    char *p = cyc("[[\"c1\", \"s2\", 2.5], [\"c2\", \"s1\", -1]]");
    RUN("solve", p, "--objective", "max-weight");
    expect_status(0);
    expect_member("objective", "{\"name\":\"max-weight\",\"value\":2.5}");
    expect_member("pairs", MID);
    g_free(p);
    p = cyc("[[\"c2\", \"s1\", 4], [\"c3\", \"s1\", 1e-3]]");
    RUN("solve", p, "--objective", "max-weight");
    expect_status(0);
    expect_member("objective", "{\"name\":\"max-weight\",\"value\":4}");
    expect_member("pairs", BOT);
    g_free(p);
    /* "weights" does not change the other documents */
    p = cyc("[]");
    RUN("solve", p, "--objective", "max-weight");
    expect_status(0);
    expect_member("objective", "{\"name\":\"max-weight\",\"value\":0}");
    expect_member("pairs", TOP);
    g_free(p);
    static const char *const bad[][2] = {
        { "[[\"c1\", \"s9\", 1]]", "weights[0]: unknown demand agent \"s9\"" },
        { "[[\"s1\", \"c1\", 1]]", "weights[0]: unknown supply agent \"s1\"" },
        { "[[\"c4\", \"s1\", 1]]", "not an acceptable pair" }, /* s1 does not list c4 */
        { "[[\"c1\", \"s1\", 1], [\"c1\", \"s1\", 2]]", "weights[1]: the pair (\"c1\", \"s1\") is given a weight twice" },
        { "[[\"c1\", \"s1\"]]", "weights[0] must be a list [supply name, demand name, weight], got 2 elements" },
        { "[[\"c1\", \"s1\", 1, 2]]", "weights[0][3] must be absent" },
        { "[[\"c1\", \"s1\", \"x\"]]", "weights[0][2] must be a number, got a string" },
        { "[[1, \"s1\", 2]]", "weights[0][0] must be a supply agent's name" },
        { "[[\"c1\", \"s1\", [1]]]", "got a list inside" },
        { "[{\"a\": 1}]", "weights[0] must be a list" },
        { "7", "member \"weights\" must be a list of [supply name, demand name, weight]" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        p = cyc(bad[i][0]);
        RUN("solve", p, "--objective", "max-weight");
        expect_error(bad[i][1]);
        RUN("solve", p); /* a bad "weights" fails every command that reads the instance */
        expect_error(bad[i][1]);
        g_free(p);
    }
    char *good = data("good.json");
    RUN("solve", good, "--objective", "max-weight");
    expect_error("no \"weights\" member");
    g_free(good);
}

static void test_errors(void **state)
{
    (void)state;
    char *good = data("good.json"), *tie = data("tie.json"), *groups = data("groups_cap.json");
    RUN("solve", good, "--objective", "bogus");
    expect_error("bad value \"bogus\" for --objective");
    RUN("solve", good, "--all", "--count");
    expect_error("exclude each other");
    RUN("solve", good, "--all", "--objective", "egalitarian");
    expect_error("takes no --optimal or --objective");
    RUN("solve", good, "--limit", "2");
    expect_error("--limit needs --all or --count");
    RUN("solve", good, "--count", "--limit", "0");
    expect_error("at least 1");
    RUN("solve", good, "--optimal", "supply", "--objective", "egalitarian");
    expect_error("not both");
    RUN("solve", tie, "--objective", "egalitarian");
    expect_error("ties");
    RUN("solve", groups, "--all");
    expect_error("\"groups\"");
    RUN("solve", groups, "--objective", "min-regret");
    expect_error("\"groups\"");
    g_free(good);
    g_free(tie);
    g_free(groups);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s TECHMATCH DATA_DIR TEST\n", argv[0]);
        return 2;
    }
    g_tm = argv[1];
    g_data = argv[2];
    g_tmp = g_dir_make_tmp("techmatch-cli-lattice-XXXXXX", NULL);
    static const struct {
        const char *name;
        CMUnitTestFunction fn;
    } table[] = {
        { "lattice_objective", test_objective },
        { "lattice_all", test_all },
        { "lattice_count", test_count },
        { "lattice_errors", test_errors },
        { "lattice_weights", test_weights },
    };
    int rc = 2;
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (strcmp(argv[3], table[i].name) == 0) {
            const struct CMUnitTest one[] = { { table[i].name, table[i].fn, NULL, NULL, NULL } };
            rc = cmocka_run_group_tests(one, NULL, NULL);
        }
    char *names[] = { "hr.json", "all.json" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *p = g_build_filename(g_tmp, names[i], NULL);
        g_remove(p);
        g_free(p);
    }
    g_rmdir(g_tmp);
    g_free(g_tmp);
    g_free(g_out);
    g_free(g_err);
    if (rc == 2)
        fprintf(stderr, "no test named %s\n", argv[3]);
    return rc;
}
