/* `techmatch explain [DIR] NAME` (issue 10 item 7): the seed's commissioner
 * and site explained in text and JSON, the default folder, an unknown name
 * (exit 2, the name in the message), a name on both sides (refused without
 * --side, explained with it), usage errors and --help.  Each case is a ctest
 * cli.<name>; the fixture is tests/cli/cli_fixture.h. */
#include "cli_fixture.h"

static const char *seed(Fx *fx)
{
    return keep(fx, g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL));
}

static void test_commissioner(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华");
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    assert_true(g_str_has_prefix(fx->out, "王建华 — commissioner (科技特派员), merit 92\n"));
    assert_contains(fx->out, "\nOutcome: ");
    assert_contains(fx->out, "\nList (");
    assert_contains(fx->out, "  #1   ");
    assert_contains(fx->out, "      commissioner's score ");
    assert_contains(fx->out, "      site's score ");
    assert_contains(fx->out, "why not: 郑州华信物联网科技有限公司 holds 郑大物联网技术团队 (its #1)");
    assert_contains(fx->out, "\nNot in the list (");
    assert_contains(fx->out, "— removed by P_SECTOR");
    assert_contains(fx->out, "more not shown\n");
    /* by default in the forms' language: the seed's headers are Chinese */
    char *english = g_strdup(fx->out);
    RUN(fx, "explain", seed(fx), "王建华");
    assert_status(fx, 0);
    assert_true(g_str_has_prefix(fx->out, "王建华 — 科技特派员，评分 92\n结果：已匹配\n"));
    assert_null(strstr(fx->out, "Outcome: "));
    RUN(fx, "explain", "--lang", "zh", seed(fx), "王建华");
    assert_status(fx, 0);
    assert_true(g_str_has_prefix(fx->out, "王建华 — 科技特派员，评分 92\n"));
    RUN(fx, "explain", "--lang", "fr", seed(fx), "王建华");
    assert_int_equal(fx->status, 2);
    assert_contains(fx->err, "--lang: unknown language 'fr'");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华");
    assert_string_equal(fx->out, english);
    g_free(english);
    /* --all: every site outside the list, none left out */
    char *shown = g_strdup(fx->out);
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--all");
    assert_status(fx, 0);
    assert_true(strlen(fx->out) > strlen(shown));
    assert_null(strstr(fx->out, "more not shown"));
    g_free(shown);
}

static void test_site(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain", "--lang", "en", seed(fx), "金水文化创意产业园");
    assert_status(fx, 0);
    assert_true(g_str_has_prefix(fx->out, "金水文化创意产业园 — site (派驻点), culture (文化创意)"));
    assert_contains(fx->out, "List (");
    assert_contains(fx->out, "李文静");
    assert_contains(fx->out, "— removed by P_YEARS");
    /* by default DIR is the seed */
    char *with_dir = g_strdup(fx->out);
    RUN(fx, "explain", "--lang", "en", "金水文化创意产业园");
    assert_status(fx, 0);
    assert_string_equal(fx->out, with_dir);
    g_free(with_dir);
}

static void test_json(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--json");
    assert_status(fx, 0);
    JsonObject *root = parse_object(fx->out);
    JsonObject *agent = json_object_get_object_member(root, "agent");
    assert_string_equal(json_object_get_string_member(agent, "side"), "commissioner");
    assert_string_equal(json_object_get_string_member(agent, "name"), "王建华");
    JsonArray *cands = json_object_get_array_member(root, "candidates");
    /* one row per site of the seed's form */
    char *sites = read_text(keep(fx, g_build_filename(seed(fx), "sites.csv", NULL)));
    guint n_lines = 0;
    for (const char *c = sites; *c; c++)
        n_lines += *c == '\n';
    g_free(sites);
    assert_int_equal(json_array_get_length(cands), n_lines - 1);
    JsonObject *first = json_array_get_object_element(cands, 0);
    assert_string_equal(json_object_get_string_member(first, "status"), "listed");
    assert_int_equal(json_object_get_int_member(first, "rank"), 1);
    gboolean rule_seen = FALSE;
    for (guint i = 0; i < json_array_get_length(cands); i++) {
        JsonObject *c = json_array_get_object_element(cands, i);
        if (strcmp(json_object_get_string_member(c, "status"), "rule") == 0) {
            rule_seen = TRUE;
            assert_false(json_object_get_null_member(c, "rule"));
            assert_false(json_object_get_null_member(c, "fault"));
        }
    }
    assert_true(rule_seen);
    json_object_unref(root);
}

static void test_unknown(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain", "--lang", "en", seed(fx), "无此人");
    assert_error(fx, "explain: ", "no commissioner or site is called \"无此人\"");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--side", "site");
    assert_error(fx, "no site is called \"王建华\"");
}

/* The seed with a site named like a commissioner. */
static const char *ambiguous_dir(Fx *fx)
{
    const char *dir = T(fx, "both");
    assert_int_equal(g_mkdir(dir, 0700), 0);
    char *people = read_text(keep(fx, g_build_filename(seed(fx), "commissioners.csv", NULL)));
    write_text(keep(fx, g_build_filename(dir, "commissioners.csv", NULL)), people);
    g_free(people);
    char *sites = read_text(keep(fx, g_build_filename(seed(fx), "sites.csv", NULL)));
    GString *more = g_string_new(sites);
    /* a copy of the first site (an eit enterprise), renamed 王建华 */
    char **lines = g_strsplit(sites, "\n", 3);
    char **fields = g_strsplit(lines[1], ",", -1);
    assert_true(g_strv_length(fields) > 2);
    g_free(fields[0]);
    fields[0] = g_strdup("99");
    g_free(fields[1]);
    fields[1] = g_strdup("王建华");
    char *row = g_strjoinv(",", fields);
    g_string_append_printf(more, "%s\n", row);
    g_free(row);
    g_strfreev(fields);
    g_strfreev(lines);
    g_free(sites);
    write_text(keep(fx, g_build_filename(dir, "sites.csv", NULL)), more->str);
    g_string_free(more, TRUE);
    return dir;
}

static void test_ambiguous(void **state)
{
    Fx *fx = *state;
    const char *dir = ambiguous_dir(fx);
    RUN(fx, "explain", "--lang", "en", dir, "王建华", "--config", "none");
    assert_error(fx, "\"王建华\" is both a commissioner and a site", "commissioner or site");
    RUN(fx, "explain", "--lang", "en", dir, "王建华", "--config", "none", "--side", "commissioner");
    assert_status(fx, 0);
    assert_true(g_str_has_prefix(fx->out, "王建华 — commissioner"));
    RUN(fx, "explain", "--lang", "en", dir, "王建华", "--config", "none", "--side", "site");
    assert_status(fx, 0);
    assert_true(g_str_has_prefix(fx->out, "王建华 — site (派驻点), eit (电子信息)"));
}

static void test_usage(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain");
    assert_error(fx, "explain: missing arguments: expected [DIR] NAME");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "extra");
    assert_error(fx, "explain: too many arguments");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--side", "both");
    assert_error(fx, "explain: bad value \"both\" for --side");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--objective", "best");
    assert_error(fx, "explain: bad value \"best\" for --objective");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--quota", "-3");
    assert_error(fx, "explain: bad value \"-3\" for --quota");
    RUN(fx, "explain", "--lang", "en", T(fx, "nowhere"), "王建华");
    assert_error(fx, "explain: ", "nowhere");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--objective", "egalitarian");
    assert_error(fx, "egalitarian"); /* needs no quota: refused before anything */
    RUN(fx, "explain", "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "techmatch explain [OPTION");
    assert_contains(fx->out, "[DIR] NAME");
    assert_contains(fx->out, "--side");
    RUN(fx, "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "  techmatch explain [OPTION...] [DIR] NAME\n");
}

/* The options change the selection as they do for run: without the quota
 * 王建华 is placed. */
static void test_options(void **state)
{
    Fx *fx = *state;
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--quota", "none", "--json");
    assert_status(fx, 0);
    JsonObject *root = parse_object(fx->out);
    JsonObject *quota = json_object_get_object_member(root, "quota");
    assert_true(json_object_get_null_member(quota, "total"));
    JsonObject *agent = json_object_get_object_member(root, "agent");
    assert_string_equal(json_object_get_string_member(agent, "outcome"), "matched");
    assert_int_equal(json_array_get_length(json_object_get_array_member(agent, "partners")), 1);
    json_object_unref(root);
    /* what the quota counts, as for run */
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--quota-counts", "assignments", "--json");
    assert_status(fx, 0);
    root = parse_object(fx->out);
    quota = json_object_get_object_member(root, "quota");
    assert_string_equal(json_object_get_string_member(quota, "counts"), "assignments");
    assert_int_equal(json_object_get_int_member(quota, "total"), 30);
    json_object_unref(root);
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--quota-counts", "bogus");
    assert_error(fx, "explain: --quota-counts: 'bogus'");
}

/* --review: the leading group's decisions change the selection explained */
static void test_review(void **state)
{
    Fx *fx = *state;
    const char *review = T(fx, "review.csv");
    write_text(review, "决定,特派员,派驻点,备注\n"
                       "排除,,郑州华信物联网科技有限公司,重复申报\n"
                       "否决,王建华,河南智行交通科技有限公司,\n");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--review", review, "--json");
    assert_status(fx, 0);
    JsonObject *root = parse_object(fx->out);
    JsonArray *cands = json_object_get_array_member(root, "candidates");
    gboolean excluded = FALSE, vetoed = FALSE;
    for (guint i = 0; i < json_array_get_length(cands); i++) {
        JsonObject *c = json_array_get_object_element(cands, i);
        const char *name = json_object_get_string_member(c, "name");
        const char *status = json_object_get_string_member(c, "status");
        if (strcmp(name, "郑州华信物联网科技有限公司") == 0) {
            excluded = TRUE;
            assert_string_equal(status, "excluded");
            const char *fault = json_object_get_string_member(c, "fault");
            assert_non_null(strstr(fault, "excluded by the leading group's review"));
            assert_non_null(strstr(fault, "review.csv:2"));
            assert_non_null(strstr(fault, "重复申报"));
            assert_string_equal(json_object_get_string_member(c, "refused_by"), "site");
        }
        if (strcmp(name, "河南智行交通科技有限公司") == 0) {
            vetoed = TRUE;
            assert_string_equal(status, "vetoed"); /* the review took the pair out */
            assert_false(json_object_get_boolean_member(c, "partner"));
        }
    }
    assert_true(excluded && vetoed);
    json_object_unref(root);
    RUN(fx, "explain", "--lang", "en", seed(fx), "郑州华信物联网科技有限公司", "--review", review);
    assert_status(fx, 0);
    assert_contains(fx->out, "Outcome: review\n");
    assert_contains(fx->out, "  郑州华信物联网科技有限公司: excluded by the leading group's review (");
    assert_contains(fx->out, "review.csv:2): 重复申报.\n");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--review", review);
    assert_status(fx, 0);
    assert_contains(fx->out, " — 郑州华信物联网科技有限公司: excluded by the leading group's review (");
    RUN(fx, "explain", "--lang", "en", seed(fx), "王建华", "--review", T(fx, "missing.csv"));
    assert_error(fx, "explain: --review: ", "missing.csv");
}

int main(int argc, char **argv)
{
    static const NamedTest named[] = {
        {"explain_commissioner", test_commissioner}, {"explain_site", test_site},
        {"explain_json", test_json},                 {"explain_unknown", test_unknown},
        {"explain_ambiguous", test_ambiguous},       {"explain_usage", test_usage},
        {"explain_options", test_options},           {"explain_review", test_review},
    };
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s TECHMATCH DATA_DIR [TEST]\n", argv[0]);
        return 2;
    }
    return run_named_tests("cli.explain", named, G_N_ELEMENTS(named), argv[1], argv[2],
                           argc == 4 ? argv[3] : NULL);
}
