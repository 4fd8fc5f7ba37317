/* CLI tests: run the built `techmatch` binary and check exit status, stdout
 * and stderr.
 *
 *   test_cli TECHMATCH_BINARY DATA_DIR [TEST_NAME]
 *
 * With TEST_NAME runs that one test (ctest registers each as cli.NAME) and
 * fails if no test has that name; without, runs them all.  Every test gets a
 * fresh temporary directory, removed afterwards.  The binary runs with
 * LC_ALL=C to show that its output is raw UTF-8 whatever the locale.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli_fixture.h"

/* ---- solve ------------------------------------------------------------- */

static const char GOOD_SUPPLY_PAIRS[] = "[[\"c1\",\"s1\"],[\"c2\",\"s2\"],[\"c3\",\"s3\"]]";
static const char GOOD_DEMAND_PAIRS[] = "[[\"c1\",\"s3\"],[\"c2\",\"s1\"],[\"c3\",\"s2\"]]";

static void
test_solve_supply(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "good.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), GOOD_SUPPLY_PAIRS);
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[\"c4\"]");
    assert_string_equal(member(fx, doc, "unmatched_demand"), "[]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    assert_string_equal(member(fx, doc, "blocking_pairs"), "[]");
    assert_string_equal(member(fx, doc, "violations"), "[]");
    assert_string_equal(
        member(fx, doc, "stats"),
        "{\"pairs\":3,\"proposals\":3,"
        "\"supply\":{\"agents\":4,\"matched_agents\":3,\"seats\":3,\"filled_seats\":3,"
        "\"rank_mean\":0.0,\"rank_median\":0.0,\"rank_max\":0,\"dropped_entries\":1},"
        "\"demand\":{\"agents\":3,\"matched_agents\":3,\"seats\":3,\"filled_seats\":3,"
        "\"rank_mean\":2.0,\"rank_median\":2.0,\"rank_max\":2,\"dropped_entries\":0}}");
    /* Exactly these members, in this order. */
    GList *names = json_object_get_members(doc);
    GString *keys = g_string_new(NULL);
    for (GList *l = names; l != NULL; l = l->next)
        g_string_append_printf(keys, "%s%s", keys->len ? "," : "", (const char *)l->data);
    g_list_free(names);
    assert_string_equal(keys->str,
                        "pairs,unmatched_supply,unmatched_demand,stability,stable,"
                        "blocking_pairs,violations,stats");
    g_string_free(keys, TRUE);
    json_object_unref(doc);

    /* --optimal supply is the default */
    char *first = g_strdup(fx->out);
    RUN(fx, "solve", "--optimal", "supply", D(fx, "good.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->out, first);
    RUN(fx, "solve", "--optimal=supply", D(fx, "good.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->out, first);
    g_free(first);
}

static void
test_solve_demand(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "good.json"), "--optimal", "demand");
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), GOOD_DEMAND_PAIRS);
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[\"c4\"]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    json_object_unref(doc);
}

static void
test_solve_empty_sides(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "empty_sides.json"));
    assert_status(fx, 0);
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), "[]");
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    json_object_unref(doc);
}

static void
test_chinese_names(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "chinese.json"));
    assert_status(fx, 0);
    /* raw UTF-8 in the output, not \u escapes, even under LC_ALL=C */
    assert_contains(fx->out, "\"张三\"");
    assert_contains(fx->out, "\"金水科技园\"");
    assert_null(strstr(fx->out, "\\u"));
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"),
                        "[[\"张三\",\"金水科技园\"],[\"李四\",\"金水科技园\"],"
                        "[\"王五\",\"惠济农场\"]]");
    json_object_unref(doc);

    /* round trip: the solution file is a matching file for check */
    RUN(fx, "solve", D(fx, "chinese.json"), "--out", T(fx, "sol.json"));
    assert_status(fx, 0);
    RUN(fx, "check", D(fx, "chinese.json"), T(fx, "sol.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "stable"), "true");
    json_object_unref(doc);

    /* an unstable hand-made matching names its blocking pair in Chinese */
    write_text(T(fx, "m.json"),
               "{\"pairs\": [[\"张三\", \"惠济农场\"], [\"王五\", \"金水科技园\"]]}");
    RUN(fx, "check", D(fx, "chinese.json"), T(fx, "m.json"));
    assert_status(fx, 1);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "blocking_pairs"),
                        "[[\"张三\",\"金水科技园\"],[\"李四\",\"金水科技园\"]]");
    json_object_unref(doc);

    /* errors quote Chinese names as they are */
    RUN(fx, "solve", D(fx, "bad_capacity_negative.json"));
    assert_error(fx, "bad_capacity_negative.json", "demand[1] \"张三\": field \"capacity\"");
}

static void
test_solve_out(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "good.json"));
    assert_status(fx, 0);
    char *expected = g_strdup(fx->out);

    RUN(fx, "solve", D(fx, "good.json"), "--out", T(fx, "sol.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->out, "");
    assert_string_equal(fx->err, "");
    assert_string_equal(listing(fx), "sol.json"); /* no temporary left over */
    char *written = read_text(T(fx, "sol.json"));
    assert_string_equal(written, expected);
    g_free(written);

    /* replaces an existing file */
    write_text(T(fx, "sol.json"), "old contents\n");
    RUN(fx, "solve", D(fx, "good.json"), "-o", T(fx, "sol.json"), "--optimal", "demand");
    assert_status(fx, 0);
    assert_string_equal(listing(fx), "sol.json");
    written = read_text(T(fx, "sol.json"));
    JsonObject *doc = parse_object(written);
    assert_string_equal(member(fx, doc, "pairs"), GOOD_DEMAND_PAIRS);
    json_object_unref(doc);
    g_free(written);
    g_free(expected);
}

static void
test_solve_out_unwritable(void **state)
{
    Fx *fx = *state;
    const char *target = T(fx, "no-such-dir/sol.json");
    RUN(fx, "solve", D(fx, "good.json"), "--out", target);
    assert_error(fx, target, "No such file or directory");
    assert_string_equal(listing(fx), "");

    /* a directory in the way: the temporary file must not survive */
    g_mkdir(T(fx, "sol.json"), 0755);
    RUN(fx, "solve", D(fx, "good.json"), "--out", T(fx, "sol.json"));
    assert_error(fx, T(fx, "sol.json"), "is a folder; only a regular file is replaced");
    assert_string_equal(listing(fx), "sol.json");
}

/* --out never replaces what is not a regular file (issue 7): a FIFO stays a
 * FIFO, a symbolic link stays a link and its target is untouched. */
static void
test_solve_out_policy(void **state)
{
    Fx *fx = *state;
    const char *fifo = T(fx, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    RUN(fx, "solve", D(fx, "good.json"), "--out", fifo);
    assert_error(fx, fifo, "is a FIFO (named pipe); only a regular file is replaced");
    GStatBuf st;
    assert_int_equal(g_lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    write_text(T(fx, "target.json"), "KEEP\n");
    assert_int_equal(symlink(T(fx, "target.json"), T(fx, "link.json")), 0);
    RUN(fx, "solve", D(fx, "good.json"), "--out", T(fx, "link.json"));
    assert_error(fx, T(fx, "link.json"), "is a symbolic link");
    assert_int_equal(g_lstat(T(fx, "link.json"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *text = read_text(T(fx, "target.json"));
    assert_string_equal(text, "KEEP\n");
    g_free(text);
    assert_string_equal(listing(fx), "fifo,link.json,target.json");
}

/* ---- check -------------------------------------------------------------- */

/* Runs `check INSTANCE MATCHING` (data files) and asserts the exit status
 * (0 stable, 1 not), no message, and the whole verdict document:
 * "stability" (weak, the default), "stable", "blocking_pairs" and
 * "violations" (as compact JSON), nothing else. */
static void
assert_check(Fx *fx, const char *instance, const char *matching, int status,
             const char *blocking_pairs, const char *violations)
{
    RUN(fx, "check", D(fx, instance), D(fx, matching));
    assert_status(fx, status);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "stability"), "\"weak\"");
    assert_string_equal(member(fx, doc, "stable"), status == 0 ? "true" : "false");
    assert_string_equal(member(fx, doc, "blocking_pairs"), blocking_pairs);
    assert_string_equal(member(fx, doc, "violations"), violations);
    assert_int_equal(json_object_get_size(doc), 4);
    json_object_unref(doc);
}

static void
test_check_stable(void **state)
{
    Fx *fx = *state;
    assert_check(fx, "good.json", "matching_stable.json", 0, "[]", "[]");

    /* the solver's own output checks as stable, for both sides */
    RUN(fx, "solve", D(fx, "good.json"), "--optimal", "demand", "--out", T(fx, "sol.json"));
    assert_status(fx, 0);
    RUN(fx, "check", D(fx, "good.json"), T(fx, "sol.json"));
    assert_status(fx, 0);
}

static void
test_check_unstable(void **state)
{
    Fx *fx = *state;
    assert_check(fx, "good.json", "matching_unstable.json", 1, "[[\"c2\",\"s3\"]]", "[]");
}

static void
test_check_violations(void **state)
{
    Fx *fx = *state;
    /* c4 has capacity 0 and s1 does not list c4 */
    RUN(fx, "check", D(fx, "good.json"), D(fx, "matching_violations.json"));
    assert_status(fx, 1);
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "stable"), "false");
    assert_string_equal(member(fx, doc, "violations"),
                        "[{\"kind\":\"over_capacity\",\"side\":\"supply\",\"agent\":\"c4\","
                        "\"partners\":1,\"capacity\":0},"
                        "{\"kind\":\"unacceptable\",\"supply\":\"c4\",\"demand\":\"s1\"}]");
    /* everyone else is free: every acceptable pair blocks, in supply order */
    assert_string_equal(member(fx, doc, "blocking_pairs"),
                        "[[\"c1\",\"s1\"],[\"c1\",\"s2\"],[\"c1\",\"s3\"],"
                        "[\"c2\",\"s2\"],[\"c2\",\"s3\"],[\"c2\",\"s1\"],"
                        "[\"c3\",\"s3\"],[\"c3\",\"s1\"],[\"c3\",\"s2\"]]");
    json_object_unref(doc);
}

/* ---- groups -------------------------------------------------------------- */

/* groups_cap.json: c_i and s_i only want each other; one group "all" over the
 * three sites with cap 2 and "priority": ["c3"].  The cap binds: c3 is
 * first, c1 comes next (unlisted agents follow in file order), c2 is cut. */
static void
test_groups_cap(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "groups_cap.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), "[[\"c1\",\"s1\"],[\"c3\",\"s3\"]]");
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[\"c2\"]");
    assert_string_equal(member(fx, doc, "unmatched_demand"), "[\"s2\"]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    assert_string_equal(member(fx, doc, "blocking_pairs"), "[]");
    assert_string_equal(member(fx, doc, "violations"), "[]");
    json_object_unref(doc);

    /* the solution checks as stable under the groups */
    RUN(fx, "solve", D(fx, "groups_cap.json"), "--out", T(fx, "sol.json"));
    assert_status(fx, 0);
    RUN(fx, "check", D(fx, "groups_cap.json"), T(fx, "sol.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");

    /* another priority, another winner: c2 first, then c1 by file order */
    char *text = read_text(D(fx, "groups_cap.json"));
    char **parts = g_strsplit(text, "\"priority\": [\"c3\"]", -1);
    assert_int_equal(g_strv_length(parts), 2);
    char *changed = g_strjoinv("\"priority\": [\"c2\"]", parts);
    write_text(T(fx, "prio.json"), changed);
    RUN(fx, "solve", T(fx, "prio.json"));
    assert_status(fx, 0);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), "[[\"c1\",\"s1\"],[\"c2\",\"s2\"]]");
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[\"c3\"]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    json_object_unref(doc);
    g_free(changed);
    g_strfreev(parts);
    g_free(text);

    /* everyone matched: over the cap, the group is named */
    write_text(T(fx, "m.json"),
               "{\"pairs\": [[\"c1\", \"s1\"], [\"c2\", \"s2\"], [\"c3\", \"s3\"]]}");
    RUN(fx, "check", D(fx, "groups_cap.json"), T(fx, "m.json"));
    assert_status(fx, 1);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "stable"), "false");
    assert_string_equal(member(fx, doc, "violations"),
                        "[{\"kind\":\"group_over_cap\",\"group\":\"all\",\"assignments\":3,"
                        "\"cap\":2,\"reason\":\"over_cap\"}]");
    json_object_unref(doc);

    /* the lower-priority pair instead of c3's: c3 blocks */
    write_text(T(fx, "m.json"), "{\"pairs\": [[\"c1\", \"s1\"], [\"c2\", \"s2\"]]}");
    RUN(fx, "check", D(fx, "groups_cap.json"), T(fx, "m.json"));
    assert_status(fx, 1);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "blocking_pairs"), "[[\"c3\",\"s3\"]]");
    assert_string_equal(member(fx, doc, "violations"), "[]");
    json_object_unref(doc);

    /* only supply-proposing deferred acceptance is defined with groups */
    RUN(fx, "solve", D(fx, "groups_cap.json"), "--optimal", "demand", "--out",
        T(fx, "demand.json"));
    assert_error(fx, D(fx, "groups_cap.json"), "--optimal demand", "\"groups\"");
    assert_int_equal(strchr(fx->err, '\n') - fx->err + 1, (long)strlen(fx->err));
    assert_false(g_file_test(T(fx, "demand.json"), G_FILE_TEST_EXISTS));
}

/* groups_floor.json: as groups_cap.json without "priority" (file order) and
 * with a sub-group "health" = {s3}, cap 1, floor 1: one of the two seats of
 * "all" is kept for s3, so c3 gets it and c2 (behind c1) is cut. */
static void
test_groups_floor(void **state)
{
    Fx *fx = *state;
    RUN(fx, "solve", D(fx, "groups_floor.json"));
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    JsonObject *doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), "[[\"c1\",\"s1\"],[\"c3\",\"s3\"]]");
    assert_string_equal(member(fx, doc, "unmatched_supply"), "[\"c2\"]");
    assert_string_equal(member(fx, doc, "stable"), "true");
    assert_string_equal(member(fx, doc, "violations"), "[]");
    json_object_unref(doc);

    /* without the floor, file order decides: c1 and c2 */
    char *text = read_text(D(fx, "groups_floor.json"));
    char **parts = g_strsplit(text, "\"floor\": 1", -1);
    assert_int_equal(g_strv_length(parts), 2);
    char *changed = g_strjoinv("\"floor\": 0", parts);
    write_text(T(fx, "nofloor.json"), changed);
    RUN(fx, "solve", T(fx, "nofloor.json"));
    assert_status(fx, 0);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "pairs"), "[[\"c1\",\"s1\"],[\"c2\",\"s2\"]]");
    json_object_unref(doc);
    g_free(changed);
    g_strfreev(parts);

    /* that matching under the floor: "all" fills the seat kept for
     * "health" (named in Chinese here), and c3 blocks */
    parts = g_strsplit(text, "\"health\"", -1);
    changed = g_strjoinv("\"社区卫生\"", parts);
    write_text(T(fx, "zh.json"), changed);
    write_text(T(fx, "m.json"), "{\"pairs\": [[\"c1\", \"s1\"], [\"c2\", \"s2\"]]}");
    RUN(fx, "check", T(fx, "zh.json"), T(fx, "m.json"));
    assert_status(fx, 1);
    doc = parse_object(fx->out);
    assert_string_equal(member(fx, doc, "blocking_pairs"), "[[\"c3\",\"s3\"]]");
    assert_string_equal(member(fx, doc, "violations"),
                        "[{\"kind\":\"group_over_cap\",\"group\":\"all\",\"assignments\":2,"
                        "\"cap\":2,\"reason\":\"uses_reserved_seats\"}]");
    json_object_unref(doc);
    /* a Chinese group name in an error, as is */
    write_text(T(fx, "m.json"), "{\"pairs\": []}");
    g_free(changed);
    g_strfreev(parts);
    parts = g_strsplit(text, "\"cap\": 1, \"floor\": 1", -1);
    changed = g_strjoinv("\"cap\": 1, \"floor\": 3", parts);
    g_strfreev(parts);
    parts = g_strsplit(changed, "\"health\"", -1);
    g_free(changed);
    changed = g_strjoinv("\"社区卫生\"", parts);
    write_text(T(fx, "zh.json"), changed);
    RUN(fx, "check", T(fx, "zh.json"), T(fx, "m.json"));
    assert_error(fx, T(fx, "zh.json"), "groups[1] \"社区卫生\": field \"floor\"");
    g_free(changed);
    g_strfreev(parts);
    g_free(text);
}

/* ---- run: the programme from its two forms --------------------------------- */

/* The seed programme of the source tree (tests/cli/data/../../../seeds/...). */
static const char *
seed_dir(Fx *fx)
{
    const char *dir = keep(fx, g_build_filename(fx->ctx->data_dir, "..", "..", "..", "seeds",
                                                "jinshui-2011", NULL));
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        fprintf(stderr, "seed directory %s is missing\n", dir);
        fail();
    }
    return dir;
}

/* Data rows of assignments.csv in @dir and the number of distinct
 * commissioners (first column) among them. */
static int
count_assignments(const char *dir, int *commissioners)
{
    char *path = g_build_filename(dir, "assignments.csv", NULL);
    char *text = read_text(path);
    g_free(path);
    /* the run's CSV carries a byte order mark for Excel (output.h) */
    assert_true(g_str_has_prefix(text, "\xEF\xBB\xBF"));
    char **lines = g_strsplit(text + 3, "\n", -1);
    assert_true(g_str_has_prefix(lines[0], "commissioner,site,") || lines[0][0] != '\0');
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    int rows = 0;
    for (size_t i = 1; lines[i] != NULL; i++) {
        char *line = lines[i];
        if (line[0] == '\0')
            continue;
        rows++;
        char *end;
        if (line[0] == '"') { /* a quoted name: up to the closing quote */
            end = line + 1;
            while (*end != '\0' && !(end[0] == '"' && end[1] != '"'))
                end += end[0] == '"' ? 2 : 1;
            assert_int_equal(*end, '"');
            end++;
        } else {
            end = strchr(line, ',');
            assert_non_null(end);
        }
        *end = '\0';
        g_hash_table_add(seen, line);
    }
    *commissioners = (int)g_hash_table_size(seen);
    g_hash_table_destroy(seen);
    g_strfreev(lines);
    g_free(text);
    return rows;
}

static void
assert_outputs(const char *dir)
{
    static const char *const names[] = {"assignments.csv", "assignments.json", "report.md"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *p = g_build_filename(dir, names[i], NULL);
        if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
            fprintf(stderr, "missing output %s\n", p);
            fail();
        }
        g_free(p);
    }
}

static void
test_run_seed(void **state)
{
    Fx *fx = *state;
    const char *out = T(fx, "out");
    RUN(fx, "run", seed_dir(fx), "--out", out);
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    assert_outputs(out);
    int selected = 0;
    int rows = count_assignments(out, &selected);
    assert_true(rows >= 30); /* the default quota counts people: 30 sent, teams serve several */
    assert_int_equal(selected, 30);
    assert_contains(fx->out, "## Stability certificate");
    /* stdout is the report written to report.md */
    char *report = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    assert_string_equal(fx->out, report);
    g_free(report);
    /* assignments.json is the selection's document */
    char *json = read_text(keep(fx, g_build_filename(out, "assignments.json", NULL)));
    JsonObject *doc = parse_object(json);
    assert_true(json_object_has_member(doc, "pairs"));
    assert_true(json_object_has_member(doc, "outcomes"));
    assert_int_equal(json_array_get_length(json_object_get_array_member(doc, "pairs")),
                     (guint)rows);
    json_object_unref(doc);
    g_free(json);

    /* again into the same directory: replaced, same result */
    char *first = g_strdup(fx->out);
    RUN(fx, "run", seed_dir(fx), "-o", out);
    assert_status(fx, 0);
    assert_string_equal(fx->out, first);
    assert_string_equal(listing(fx), "out");
    g_free(first);

    /* the seed's own settings file: rules, quota 30 and sector floors */
    RUN(fx, "run", seed_dir(fx), "--out", out, "--config",
        keep(fx, g_build_filename(seed_dir(fx), "programme.ini", NULL)));
    assert_status(fx, 0);
    count_assignments(out, &selected);
    assert_int_equal(selected, 30);
    assert_contains(fx->out, "## Stability certificate");
}

/* No DIR: the seed is looked up in the current directory, then in the source
 * tree; outputs go to ./techmatch-out. */
static void
test_run_default_dir(void **state)
{
    Fx *fx = *state;
    fx->cwd = fx->tmp;
    RUN(fx, "run");
    assert_status(fx, 0);
    assert_outputs(T(fx, "techmatch-out"));
    assert_string_equal(listing(fx), "techmatch-out");
    assert_contains(fx->out, "## Stability certificate");
    char *from_source = g_strdup(fx->out);

    /* a seeds/jinshui-2011 in the current directory wins */
    g_mkdir_with_parents(T(fx, "seeds/jinshui-2011"), 0755);
    static const char *const forms[] = {"sites.csv", "commissioners.csv"};
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
        char *text = read_text(keep(fx, g_build_filename(seed_dir(fx), forms[i], NULL)));
        write_text(keep(fx, g_build_filename(fx->tmp, "seeds", "jinshui-2011", forms[i], NULL)),
                   text);
        g_free(text);
    }
    RUN(fx, "run", "--quota", "2");
    assert_status(fx, 0);
    int selected;
    count_assignments(T(fx, "techmatch-out"), &selected);
    assert_true(selected <= 2);
    assert_string_not_equal(fx->out, from_source);
    g_free(from_source);

    /* the folder's programme.ini is found and sets the taxonomy's names */
    write_text(T(fx, "seeds/jinshui-2011/programme.ini"),
               "[quota]\ntotal=5\n[sector.eit]\nen=electronics and IT\n");
    RUN(fx, "run");
    assert_status(fx, 0);
    assert_contains(fx->out, "Quota (择优选派): 5 commissioners or teams");
    assert_contains(fx->out, "| electronics and IT | 电子信息 |");
    /* ... and ignored with --config none */
    RUN(fx, "run", "--config", "none");
    assert_status(fx, 0);
    assert_contains(fx->out, "Quota (择优选派): 30 commissioners or teams");
    assert_contains(fx->out, "| electronic information | 电子信息 |");
}

static void
test_run_quota(void **state)
{
    Fx *fx = *state;
    const char *out = T(fx, "out");
    int selected = 0;
    RUN(fx, "run", seed_dir(fx), "--quota", "5", "--out", out, "--config", "none");
    assert_status(fx, 0);
    int rows = count_assignments(out, &selected);
    assert_true(rows >= 5);
    assert_true(selected <= 5);
    assert_contains(fx->out, "Quota (择优选派): 5 commissioners or teams");
    assert_contains(fx->out, "- Merit cutoff: ");
    /* counting assignments instead: at most 5 pairs */
    RUN(fx, "run", seed_dir(fx), "--quota", "5", "--quota-counts", "assignments", "--out", out,
        "--config", "none");
    assert_status(fx, 0);
    assert_true(count_assignments(out, &selected) <= 5);
    assert_contains(fx->out, "Quota (择优选派): 5 assignments");
    RUN(fx, "run", seed_dir(fx), "--quota-counts", "heads", "--out", T(fx, "out4"));
    assert_error(fx, "--quota-counts");
    assert_false(g_file_test(T(fx, "out4"), G_FILE_TEST_EXISTS));

    /* --quota overrides the config's [quota] total (30) */
    const char *ini = keep(fx, g_build_filename(seed_dir(fx), "programme.ini", NULL));
    RUN(fx, "run", seed_dir(fx), "-q", "20", "--out", out, "--config", ini);
    assert_status(fx, 0);
    count_assignments(out, &selected);
    assert_true(selected <= 20);
    assert_contains(fx->out, "Quota (择优选派): 20 commissioners or teams");
    /* ... but not below the sum of the config's sector floors (17): refused */
    RUN(fx, "run", seed_dir(fx), "-q", "3", "--out", T(fx, "out3"), "--config", ini);
    assert_error(fx, "floors");
    assert_false(g_file_test(T(fx, "out3"), G_FILE_TEST_EXISTS));

    /* 0: nobody; none: no quota at all (more than the default 30 here) */
    RUN(fx, "run", seed_dir(fx), "--quota", "0", "--out", out, "--config", "none");
    assert_status(fx, 0);
    assert_int_equal(count_assignments(out, &selected), 0);
    RUN(fx, "run", seed_dir(fx), "--quota", "none", "--out", out);
    assert_status(fx, 0);
    assert_true(count_assignments(out, &selected) > 30);

    /* --k: top-k candidate lists still give a selection */
    RUN(fx, "run", seed_dir(fx), "--k", "3", "--out", out);
    assert_status(fx, 0);
    count_assignments(out, &selected);
    assert_true(selected <= 30);
}

/* A copy of the seed's forms in the temporary directory (subfolder
 * "forms"), with field @column (0-based) of line @line of sites.csv replaced
 * by @value.  Returns the folder. */
static const char *
broken_copy(Fx *fx, int line, int column, const char *value)
{
    const char *dir = T(fx, "forms");
    g_mkdir(dir, 0755);
    static const char *const forms[] = {"sites.csv", "commissioners.csv"};
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
        char *text = read_text(keep(fx, g_build_filename(seed_dir(fx), forms[i], NULL)));
        if (i == 0) {
            char **lines = g_strsplit(text, "\n", -1);
            char **fields = g_strsplit(lines[line - 1], ",", -1);
            assert_true(g_strv_length(fields) > (guint)column);
            g_free(fields[column]);
            fields[column] = g_strdup(value);
            g_free(lines[line - 1]);
            lines[line - 1] = g_strjoinv(",", fields);
            g_strfreev(fields);
            g_free(text);
            text = g_strjoinv("\n", lines);
            g_strfreev(lines);
        }
        write_text(keep(fx, g_build_filename(dir, forms[i], NULL)), text);
        g_free(text);
    }
    return dir;
}

static void
test_run_bad_csv(void **state)
{
    Fx *fx = *state;
    /* line 5 of sites.csv, column 9 (名额, the capacity): not a number */
    const char *dir = broken_copy(fx, 5, 8, "many");
    const char *out = T(fx, "out");
    RUN(fx, "run", dir, "--out", out);
    assert_error(fx, "sites.csv:5:9:", "名额", "many");
    assert_true(g_regex_match_simple("^techmatch: [^\n]*sites\\.csv:5:9: [^\n]*\n$", fx->err, 0,
                                     0));
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS)); /* nothing written */
    assert_string_equal(listing(fx), "forms");

    /* an earlier run's outputs are left alone */
    RUN(fx, "run", seed_dir(fx), "--out", out);
    assert_status(fx, 0);
    char *before = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    RUN(fx, "run", dir, "--out", out, "--quota", "1");
    assert_status(fx, 2);
    char *after = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    assert_string_equal(before, after);
    g_free(before);
    g_free(after);
}

static void
test_run_lenient(void **state)
{
    Fx *fx = *state;
    const char *dir = broken_copy(fx, 5, 8, "many");
    const char *out = T(fx, "out");
    RUN(fx, "run", dir, "--out", out, "--lenient");
    assert_status(fx, 0);
    assert_outputs(out);
    assert_true(g_regex_match_simple("^[^\n]*sites\\.csv:5:9: warning: row skipped: 名额: [^\n]*"
                                     "many[^\n]*\n$",
                                     fx->err, 0, 0));
    /* the skipped site is not in the programme */
    assert_contains(fx->out, "Sites registered: 59");
    assert_contains(fx->out, "## Stability certificate");
}

static void
test_run_errors(void **state)
{
    Fx *fx = *state;
    const char *out = T(fx, "out");
    const char *missing = T(fx, "no-such-programme");
    RUN(fx, "run", missing, "--out", out);
    assert_error(fx, "run: ", missing, "No such file or directory");
    write_text(T(fx, "file"), "x\n");
    RUN(fx, "run", T(fx, "file"), "--out", out);
    assert_error(fx, "run: ", T(fx, "file"), "not a directory");
    /* a folder without the forms */
    g_mkdir(T(fx, "empty"), 0755);
    RUN(fx, "run", T(fx, "empty"), "--out", out);
    assert_error(fx, "sites.csv");

    RUN(fx, "run", seed_dir(fx), "--quota", "many", "--out", out);
    assert_error(fx, "run: bad value \"many\" for --quota");
    RUN(fx, "run", seed_dir(fx), "--quota", "-1", "--out", out);
    assert_error(fx, "--quota");
    RUN(fx, "run", seed_dir(fx), "--k", "-2", "--out", out);
    assert_error(fx, "run: bad value \"-2\" for --k");
    RUN(fx, "run", seed_dir(fx), seed_dir(fx));
    assert_error(fx, "run: too many arguments");
    RUN(fx, "run", seed_dir(fx), "--frobnicate");
    assert_error(fx, "run: ", "--frobnicate");

    /* configuration files */
    RUN(fx, "run", seed_dir(fx), "--config", T(fx, "missing.ini"), "--out", out);
    assert_error(fx, T(fx, "missing.ini"));
    write_text(T(fx, "bad_quota.ini"), "[quota]\ntotal=abc\n");
    RUN(fx, "run", seed_dir(fx), "--config", T(fx, "bad_quota.ini"), "--out", out);
    assert_error(fx, T(fx, "bad_quota.ini"), "total");
    write_text(T(fx, "bad_rules.ini"), "[rules]\nC_NOSUCH=true\n");
    RUN(fx, "run", seed_dir(fx), "--config", T(fx, "bad_rules.ini"), "--out", out);
    assert_error(fx, T(fx, "bad_rules.ini"), "C_NOSUCH");
    /* a typo in a sector code is refused at its line */
    write_text(T(fx, "typo.ini"), "[quota]\ntotal=30\n[sector.helth]\nfloor=3\n");
    RUN(fx, "run", seed_dir(fx), "--config", T(fx, "typo.ini"), "--out", out);
    assert_error(fx, keep(fx, g_strdup_printf("%s:3: [sector.helth]: unknown sector code",
                                              T(fx, "typo.ini"))));

    /* none of these wrote anything */
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));

    /* an output folder that cannot be made */
    RUN(fx, "run", seed_dir(fx), "--out", keep(fx, g_build_filename(T(fx, "file"), "out", NULL)));
    assert_error(fx, T(fx, "file"));
}

/* run --out: the folder and what it holds must be a real folder and regular
 * files; anything else is refused untouched (issue 7). */
static void
test_run_out_policy(void **state)
{
    Fx *fx = *state;
    GStatBuf st;
    const char *fifo = T(fx, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    RUN(fx, "run", seed_dir(fx), "--out", fifo);
    assert_error(fx, fifo, "is a FIFO (named pipe); the output folder must be a real folder");
    assert_int_equal(g_lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    /* a link to a folder is not followed */
    const char *real = T(fx, "real");
    g_mkdir(real, 0755);
    assert_int_equal(symlink(real, T(fx, "link")), 0);
    RUN(fx, "run", seed_dir(fx), "--out", T(fx, "link"));
    assert_error(fx, T(fx, "link"), "is a symbolic link");
    assert_int_equal(g_lstat(T(fx, "link"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    /* a report.md that links elsewhere (e.g. to /dev/stdout) is not replaced */
    const char *out = T(fx, "out");
    RUN(fx, "run", seed_dir(fx), "--out", out);
    assert_status(fx, 0);
    const char *report = keep(fx, g_build_filename(out, "report.md", NULL));
    assert_int_equal(g_unlink(report), 0);
    write_text(T(fx, "elsewhere.md"), "KEEP\n");
    assert_int_equal(symlink(T(fx, "elsewhere.md"), report), 0);
    RUN(fx, "run", seed_dir(fx), "--out", out);
    assert_error(fx, report, "is a symbolic link");
    char *text = read_text(T(fx, "elsewhere.md"));
    assert_string_equal(text, "KEEP\n");
    g_free(text);
    assert_int_equal(g_lstat(report, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(g_unlink(report), 0);

    /* a folder holding anything but a run's outputs is not replaced */
    write_text(keep(fx, g_build_filename(out, "mine.txt", NULL)), "KEEP\n");
    RUN(fx, "run", seed_dir(fx), "--out", out);
    assert_error(fx, out, "holds 'mine.txt'");
    assert_true(g_file_test(keep(fx, g_build_filename(out, "mine.txt", NULL)),
                            G_FILE_TEST_IS_REGULAR));
    assert_int_equal(g_unlink(keep(fx, g_build_filename(out, "mine.txt", NULL))), 0);

    /* the set is replaced as a whole: no temporary folder is left */
    RUN(fx, "run", seed_dir(fx), "--out", keep(fx, g_strconcat(out, "/", NULL)));
    assert_status(fx, 0);
    assert_outputs(out);
    assert_string_equal(listing(fx), "elsewhere.md,fifo,link,out,real");
}

/* --lenient: a wish naming nobody is a warning at its row and column, the
 * wish is dropped and the run goes on; strict: an error there (issue 7). */
static void
test_run_unknown_wish(void **state)
{
    Fx *fx = *state;
    /* line 2 of sites.csv, column 13 (意向特派员): a name in no form */
    const char *dir = broken_copy(fx, 2, 12, "王建华；无名氏");
    const char *out = T(fx, "out");
    RUN(fx, "run", dir, "--out", out);
    assert_error(fx, "sites.csv:2:13: 意向特派员: the ranked list names '无名氏', which is not a "
                     "commissioner of the programme");
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    RUN(fx, "run", dir, "--out", out, "--lenient");
    assert_status(fx, 0);
    assert_outputs(out);
    assert_true(g_regex_match_simple("^[^\n]*sites\\.csv:2:13: warning: 意向特派员: the ranked "
                                     "list names '无名氏', [^\n]*wish dropped\n$",
                                     fx->err, 0, 0));
}

/* A commissioner with capacity 0 whom a site with free places lists: the
 * reasons are still given (this crashed, issue 7). */
static void
test_run_capacity_zero(void **state)
{
    Fx *fx = *state;
    const char *dir = T(fx, "forms");
    g_mkdir(dir, 0755);
    char *sites = read_text(keep(fx, g_build_filename(seed_dir(fx), "sites.csv", NULL)));
    write_text(keep(fx, g_build_filename(dir, "sites.csv", NULL)), sites);
    g_free(sites);
    /* 王建华 (line 2; 服务点数 is column 11) serves no site; 郑州华信 lists him */
    char *text = read_text(keep(fx, g_build_filename(seed_dir(fx), "commissioners.csv", NULL)));
    char **lines = g_strsplit(text, "\n", -1);
    char **fields = g_strsplit(lines[1], ",", -1);
    g_free(fields[10]);
    fields[10] = g_strdup("0");
    g_free(lines[1]);
    lines[1] = g_strjoinv(",", fields);
    g_strfreev(fields);
    g_free(text);
    text = g_strjoinv("\n", lines);
    g_strfreev(lines);
    write_text(keep(fx, g_build_filename(dir, "commissioners.csv", NULL)), text);
    g_free(text);
    RUN(fx, "run", dir, "--out", T(fx, "out"));
    assert_status(fx, 0);
    assert_contains(fx->out, "| 王建华 | 1 | 92.0 | 0 | capacity 0 |");
}

static void
test_run_help(void **state)
{
    Fx *fx = *state;
    RUN(fx, "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "techmatch run [OPTION...] [DIR]");
    RUN(fx, "run", "--help");
    assert_status(fx, 0);
    static const char *const options[] = {"--quota", "--config", "--out", "--lenient", "--k",
                                          "30", "seeds/jinshui-2011", "techmatch-out"};
    for (size_t i = 0; i < G_N_ELEMENTS(options); i++)
        assert_contains(fx->out, options[i]);
}

/* ---- help, version, usage ---------------------------------------------- */

static void
test_help_version(void **state)
{
    Fx *fx = *state;
    RUN(fx, "--version");
    assert_status(fx, 0);
    assert_true(g_regex_match_simple("^techmatch [0-9]+\\.[0-9]+\\.[0-9]+\n$", fx->out, 0, 0));
    RUN(fx, "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "techmatch solve");
    assert_contains(fx->out, "techmatch check");
    RUN(fx, "solve", "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "--optimal");
    assert_contains(fx->out, "--out");
}

static void
test_usage_errors(void **state)
{
    Fx *fx = *state;
    RUN(fx, "frobnicate", D(fx, "good.json"));
    assert_error(fx, "unknown command \"frobnicate\"");
    RUN(fx, "--frobnicate");
    assert_error(fx, "unknown option \"--frobnicate\"");
    run_argv(fx, (const char *const[]){NULL});
    assert_error(fx, "missing command");
    RUN(fx, "solve");
    assert_error(fx, "solve: missing arguments", "INSTANCE.json");
    RUN(fx, "solve", D(fx, "good.json"), D(fx, "good.json"));
    assert_error(fx, "solve: too many arguments");
    RUN(fx, "check", D(fx, "good.json"));
    assert_error(fx, "check: missing arguments", "MATCHING.json");
    RUN(fx, "solve", D(fx, "good.json"), "--optimal", "both");
    assert_error(fx, "bad value \"both\" for --optimal");
    RUN(fx, "solve", D(fx, "good.json"), "--optimal");
    assert_error(fx, "solve: ", "--optimal");
    RUN(fx, "solve", D(fx, "good.json"), "--fast");
    assert_error(fx, "solve: ", "--fast");

    /* usage errors with --out create nothing and touch nothing */
    RUN(fx, "solve", D(fx, "good.json"), "--optimal", "both", "--out", T(fx, "new.json"));
    assert_error(fx, "--optimal");
    assert_string_equal(listing(fx), "");
    write_text(T(fx, "old.json"), "KEEP\n");
    RUN(fx, "solve", D(fx, "good.json"), "--optimal", "both", "--out", T(fx, "old.json"));
    assert_error(fx, "--optimal");
    char *text = read_text(T(fx, "old.json"));
    assert_string_equal(text, "KEEP\n");
    g_free(text);
}

/* A file of a million '[' must be refused, not crash the tool: where the
 * list is an agent, as the first fault in file order; inside an ignored
 * member, by the nesting limit (64); with bad UTF-8 before it, by that. */
static void
test_bad_deep_nesting(void **state)
{
    Fx *fx = *state;
    const size_t depth = 1000000;
    GString *text = g_string_new("{\"supply\": ");
    for (size_t i = 0; i < depth; i++)
        g_string_append_c(text, '[');
    for (size_t i = 0; i < depth; i++)
        g_string_append_c(text, ']');
    g_string_append(text, ", \"demand\": []}\n");
    write_text(T(fx, "deep.json"), text->str);
    RUN(fx, "solve", T(fx, "deep.json"));
    assert_error(fx, T(fx, "deep.json"), "supply[0]: must be an object");

    g_string_overwrite(text, 0, "{\"xxxxxx\": "); /* an ignored member */
    g_string_truncate(text, text->len - strlen(", \"demand\": []}\n"));
    g_string_append(text, ", \"supply\": [], \"demand\": []}\n");
    write_text(T(fx, "deep.json"), text->str);
    RUN(fx, "solve", T(fx, "deep.json"));
    assert_error(fx, T(fx, "deep.json"), ":1:75: lists and objects nested more than 64 deep");
    g_string_overwrite(text, 0, "{\"supply\": ");

    g_string_insert(text, 3, "\xff"); /* inside the "supply" key */
    write_text(T(fx, "deep.json"), text->str);
    RUN(fx, "solve", T(fx, "deep.json"));
    assert_error(fx, T(fx, "deep.json"), "not valid UTF-8");

    write_text(T(fx, "good.json"), "{\"supply\": [], \"demand\": []}");
    g_string_erase(text, 3, 1);
    g_string_prepend(text, "{\"pairs\": [], \"x\": ");
    g_string_append(text, "}");
    write_text(T(fx, "deep.json"), text->str);
    RUN(fx, "check", T(fx, "good.json"), T(fx, "deep.json"));
    assert_error(fx, T(fx, "deep.json"), "nested more than");
    g_string_free(text, TRUE);
}

/* ---- ties ---------------------------------------------------------------- */

/* tie.json: c1 ranks s1 and s3 equally, then s2; c2 lists s2 only; s2
 * prefers c2 to c1.  solve breaks the ties (in list order by default) and
 * solves the strict lists; test_cli_ties.c covers the other notions. */
static void
test_solve_tie(void **state)
{
    Fx *fx = *state;
    /* weak stability by tie breaking: c1 takes s1, listed first in its tie */
    RUN(fx, "solve", D(fx, "tie.json"));
    assert_status(fx, 0);
    assert_contains(fx->out, "\"c1\",\n      \"s1\"");
    assert_contains(fx->out, "\"stable\" : true");
}

/* With ties the audit is weak stability: a pair blocks only when both would
 * be strictly better off. */
static void
test_check_tie(void **state)
{
    Fx *fx = *state;
    /* c1 is indifferent between s3 (held) and s1 (free): (c1, s1) does not
     * block, though s1 comes first in c1's file list */
    assert_check(fx, "tie.json", "matching_tie_weak.json", 0, "[]", "[]");
    /* c1 holds s2, below the tie: both tied sites block, and so does
     * (c2, s2), as s2 prefers c2 */
    assert_check(fx, "tie.json", "matching_tie_blocking.json", 1,
                 "[[\"c1\",\"s1\"],[\"c1\",\"s3\"],[\"c2\",\"s2\"]]", "[]");
}

/* ---- bad input files (table driven) ------------------------------------ */

typedef struct {
    const char *name;      /* test name */
    const char *instance;  /* data file or a missing one */
    const char *matching;  /* NULL: run solve; else run check with this file */
    const char *at_fault;  /* the file the message must name */
    const char *fragments[4]; /* each must appear in the message */
} BadCase;

static const BadCase bad_cases[] = {
    {"bad_not_json", "bad_not_json.json", NULL, "bad_not_json.json",
     {"bad_not_json.json:1:1: not JSON"}},
    {"bad_missing_supply", "bad_missing_supply.json", NULL, "bad_missing_supply.json",
     {"missing member \"supply\""}},
    {"bad_capacity_type", "bad_capacity_type.json", NULL, "bad_capacity_type.json",
     {"supply[1] \"c2\": field \"capacity\": must be an integer >= 0, got a string"}},
    {"bad_capacity_negative", "bad_capacity_negative.json", NULL, "bad_capacity_negative.json",
     {"demand[1] \"张三\": field \"capacity\": must be an integer >= 0, got -2"}},
    {"bad_capacity_huge", "bad_capacity_huge.json", NULL, "bad_capacity_huge.json",
     {"supply[0] \"c1\": field \"capacity\": too large"}},
    {"bad_capacity_int32", "bad_capacity_int32.json", NULL, "bad_capacity_int32.json",
     {"supply[0] \"c1\": field \"capacity\": too large"}},
    {"bad_capacity_wraps", "bad_capacity_wraps.json", NULL, "bad_capacity_wraps.json",
     {"supply[0] \"c1\": field \"capacity\": must be an integer >= 0"}},
    {"bad_capacity_float", "bad_capacity_float.json", NULL, "bad_capacity_float.json",
     {"demand[0] \"s1\": field \"capacity\": must be an integer >= 0, got 2.5"}},
    {"bad_duplicate_name", "bad_duplicate_name.json", NULL, "bad_duplicate_name.json",
     {"supply[2] \"c1\": field \"name\": duplicate name", "supply[0]"}},
    {"bad_missing_name", "bad_missing_name.json", NULL, "bad_missing_name.json",
     {"demand[1]: field \"name\": missing"}},
    {"bad_unknown_pref", "bad_unknown_pref.json", NULL, "bad_unknown_pref.json",
     {"supply[0] \"c1\": prefs[2]: unknown demand agent \"s9\""}},
    {"bad_duplicate_pref", "bad_duplicate_pref.json", NULL, "bad_duplicate_pref.json",
     {"demand[1] \"s2\": prefs[1]: \"c1\" is listed twice"}},
    {"bad_tie_empty", "bad_tie_empty.json", NULL, "bad_tie_empty.json",
     {"supply[0] \"c1\": prefs[1]: an empty tie (a nested list must name at least one demand "
      "agent)"}},
    {"bad_tie_nested", "bad_tie_nested.json", NULL, "bad_tie_nested.json",
     {"demand[0] \"s1\": prefs[0][1]: must be the name of a supply agent (a string), got a list",
      "ties do not nest"}},
    {"bad_tie_type", "bad_tie_type.json", NULL, "bad_tie_type.json",
     {"supply[0] \"c1\": prefs[0][1]: must be the name of a demand agent (a string), got an "
      "integer"}},
    {"bad_tie_duplicate", "bad_tie_duplicate.json", NULL, "bad_tie_duplicate.json",
     {"supply[0] \"c1\": prefs[1][1]: \"s2\" is listed twice (also prefs[0])"}},
    {"bad_utf8", "bad_utf8.json", NULL, "bad_utf8.json",
     {"bad_utf8.json:3:26: supply[1]: field \"name\": not valid UTF-8 (byte 0xFF)"}},
    {"bad_top_level", "bad_top_level.json", NULL, "bad_top_level.json",
     {"top level must be a JSON object"}},
    {"nonexistent", "nonexistent.json", NULL, "nonexistent.json",
     {"nonexistent.json: cannot open: No such file or directory"}},
    {"check_bad_instance", "bad_tie_empty.json", "matching_stable.json", "bad_tie_empty.json",
     {"supply[0] \"c1\": prefs[1]: an empty tie"}},
    {"matching_unknown", "good.json", "matching_bad_unknown.json", "matching_bad_unknown.json",
     {"pairs[1]: unknown demand agent \"s7\""}},
    {"matching_duplicate", "good.json", "matching_bad_duplicate.json",
     "matching_bad_duplicate.json", {"pairs[2]: pair [\"c1\", \"s1\"] is listed twice"}},
    {"matching_shape", "good.json", "matching_bad_shape.json", "matching_bad_shape.json",
     {"pairs[1]: must be a pair"}},
    {"matching_missing_pairs", "good.json", "matching_bad_missing.json",
     "matching_bad_missing.json", {"missing member \"pairs\""}},
    {"matching_not_json", "good.json", "bad_not_json.json", "bad_not_json.json",
     {"bad_not_json.json:1:1: not JSON"}},
    {"matching_nonexistent", "good.json", "nonexistent.json", "nonexistent.json",
     {"cannot open"}},
    /* groups and priority */
    {"bad_group_unknown_member", "bad_group_unknown_member.json", NULL,
     "bad_group_unknown_member.json",
     {"groups[0] \"food\": members[1]: unknown demand agent \"s9\""}},
    {"bad_group_duplicate_name", "bad_group_duplicate_name.json", NULL,
     "bad_group_duplicate_name.json",
     {"groups[1] \"food\": field \"name\": duplicate name, already used by groups[0]"}},
    {"bad_group_member_twice", "bad_group_member_twice.json", NULL,
     "bad_group_member_twice.json",
     {"groups[0] \"food\": members[2]: \"s1\" is listed twice (also members[0])"}},
    {"bad_group_not_laminar", "bad_group_not_laminar.json", NULL, "bad_group_not_laminar.json",
     {"groups[1] \"food\": field \"members\": overlaps groups[0] \"north\"",
      "demand agent \"s2\"", "nested or disjoint"}},
    {"bad_group_floor_above_cap", "bad_group_floor_above_cap.json", NULL,
     "bad_group_floor_above_cap.json",
     {"groups[0] \"food\": field \"floor\": floor 2 must be within [0, cap = 1]"}},
    {"bad_group_floors_exceed_cap", "bad_group_floors_exceed_cap.json", NULL,
     "bad_group_floors_exceed_cap.json",
     /* the family is checked as a whole (issue 7): the group whose cap the
      * floors exceed is named, whatever order the groups come in */
     {"groups[0] \"all\": field \"cap\": the floors of its "
      "sub-groups add up to 3, more than its cap 2"}},
    {"bad_group_cap_below_floors", "bad_group_cap_below_floors.json", NULL,
     "bad_group_cap_below_floors.json",
     {"groups[2] \"all\": field \"cap\": the floors of its sub-groups add up to 3, more "
      "than its cap 2"}},
    {"bad_group_missing_cap", "bad_group_missing_cap.json", NULL, "bad_group_missing_cap.json",
     {"groups[0] \"food\": field \"cap\": missing"}},
    {"bad_group_cap_negative", "bad_group_cap_negative.json", NULL,
     "bad_group_cap_negative.json",
     {"groups[0] \"food\": field \"cap\": must be an integer >= 0, got -1"}},
    {"bad_group_floor_type", "bad_group_floor_type.json", NULL, "bad_group_floor_type.json",
     {"groups[0] \"food\": field \"floor\": must be an integer >= 0, got a string"}},
    {"bad_group_missing_name", "bad_group_missing_name.json", NULL,
     "bad_group_missing_name.json", {"groups[1]: field \"name\": missing"}},
    {"bad_group_members_type", "bad_group_members_type.json", NULL,
     "bad_group_members_type.json",
     {"groups[0] \"food\": field \"members\": must be a list of demand agent names"}},
    {"bad_groups_not_list", "bad_groups_not_list.json", NULL, "bad_groups_not_list.json",
     {"member \"groups\" must be a list", "got an object"}},
    {"bad_group_utf8", "bad_group_utf8.json", NULL, "bad_group_utf8.json",
     {"bad_group_utf8.json:14:16: groups[1]: field \"name\": not valid UTF-8 (byte 0xFF)"}},
    {"bad_priority_unknown", "bad_priority_unknown.json", NULL, "bad_priority_unknown.json",
     {"priority[1]: unknown supply agent \"c7\""}},
    {"bad_priority_duplicate", "bad_priority_duplicate.json", NULL,
     "bad_priority_duplicate.json", {"priority[2]: \"c2\" is listed twice (also priority[0])"}},
    {"bad_priority_type", "bad_priority_type.json", NULL, "bad_priority_type.json",
     {"member \"priority\" must be a list of supply agent names"}},
    {"check_bad_groups", "bad_group_not_laminar.json", "matching_stable.json",
     "bad_group_not_laminar.json", {"groups[1] \"food\"", "overlaps"}},
};

static void
test_bad_case(void **state)
{
    Fx *fx = *state;
    const BadCase *c = fx->ctx->bad;
    const char *inst = D(fx, c->instance);
    const char *at_fault = D(fx, c->at_fault);
    const char *expect[6] = {at_fault, c->fragments[0], c->fragments[1], c->fragments[2],
                             c->fragments[3], NULL};
    if (c->matching != NULL) {
        RUN(fx, "check", inst, D(fx, c->matching));
        assert_error_v(fx, expect);
        return;
    }
    RUN(fx, "solve", inst);
    assert_error_v(fx, expect);
    /* the message is exactly one line */
    assert_int_equal(strchr(fx->err, '\n') - fx->err + 1, (long)strlen(fx->err));

    /* with --out: no file created, an existing one untouched, no leftovers */
    RUN(fx, "solve", inst, "--out", T(fx, "new.json"));
    assert_status(fx, 2);
    assert_string_equal(listing(fx), "");
    write_text(T(fx, "old.json"), "KEEP\n");
    RUN(fx, "solve", inst, "--optimal", "demand", "--out", T(fx, "old.json"));
    assert_status(fx, 2);
    assert_string_equal(listing(fx), "old.json");
    char *text = read_text(T(fx, "old.json"));
    assert_string_equal(text, "KEEP\n");
    g_free(text);
}

/* ---- main --------------------------------------------------------------- */

static const NamedTest named_tests[] = {
    {"solve_supply", test_solve_supply},
    {"solve_demand", test_solve_demand},
    {"solve_empty_sides", test_solve_empty_sides},
    {"chinese_names", test_chinese_names},
    {"solve_out", test_solve_out},
    {"solve_out_unwritable", test_solve_out_unwritable},
    {"check_stable", test_check_stable},
    {"check_unstable", test_check_unstable},
    {"check_violations", test_check_violations},
    {"solve_tie", test_solve_tie},
    {"check_tie", test_check_tie},
    {"help_version", test_help_version},
    {"usage_errors", test_usage_errors},
    {"bad_deep_nesting", test_bad_deep_nesting},
    {"groups_cap", test_groups_cap},
    {"groups_floor", test_groups_floor},
    {"run_seed", test_run_seed},
    {"run_default_dir", test_run_default_dir},
    {"run_quota", test_run_quota},
    {"run_bad_csv", test_run_bad_csv},
    {"run_lenient", test_run_lenient},
    {"run_errors", test_run_errors},
    {"run_help", test_run_help},
    {"solve_out_policy", test_solve_out_policy},
    {"run_out_policy", test_run_out_policy},
    {"run_unknown_wish", test_run_unknown_wish},
    {"run_capacity_zero", test_run_capacity_zero},
};

int
main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s TECHMATCH_BINARY DATA_DIR [TEST_NAME]\n", argv[0]);
        return 2;
    }
    const char *only = argc == 4 ? argv[3] : NULL;
    size_t n_all = G_N_ELEMENTS(named_tests) + G_N_ELEMENTS(bad_cases);
    Ctx *ctx = g_new0(Ctx, n_all);
    struct CMUnitTest *tests = g_new0(struct CMUnitTest, n_all);
    size_t n = 0;
    for (size_t i = 0; i < n_all; i++) {
        gboolean is_bad = i >= G_N_ELEMENTS(named_tests);
        const BadCase *bad = is_bad ? &bad_cases[i - G_N_ELEMENTS(named_tests)] : NULL;
        const char *name = is_bad ? bad->name : named_tests[i].name;
        if (only != NULL && strcmp(only, name) != 0)
            continue;
        ctx[n] = (Ctx){argv[1], argv[2], bad};
        tests[n] = (struct CMUnitTest){name, is_bad ? test_bad_case : named_tests[i].func, setup,
                                       teardown, &ctx[n]};
        n++;
    }
    if (n == 0) {
        fprintf(stderr, "no test named \"%s\"\n", only);
        return 2;
    }
    int failed = _cmocka_run_group_tests("cli", tests, n, NULL, NULL);
    g_free(tests);
    g_free(ctx);
    return failed != 0;
}
