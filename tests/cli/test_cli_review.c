/* CLI tests of `techmatch run --review FILE [--previous-review FILE]` (the
 * leading group's review, docs/review.md) on the hand-worked programme of
 * tests/review/review_fixture.h, written as forms into the test's folder:
 *
 *   cli.review_help       --help names both options
 *   cli.review_refused    usage errors, an unreadable or bad review file
 *                         (FILE:LINE:COLUMN: field:), unknown names: exit 2,
 *                         nothing on stdout, nothing written
 *   cli.review_run        a veto: the report's section, report.md = stdout,
 *                         the assignments re-matched
 *   cli.review_previous   --previous-review: compared with the earlier review
 *   cli.review_withdrawal pin everyone else, exclude the one who left: the
 *                         vacancy refilled
 *   cli.review_lenient_template  --lenient's skipped rows before the review's
 *                         section, --agreement-template's drafts, the summary
 *
 *   test_cli_review TECHMATCH_BINARY DATA_DIR [TEST_NAME]
 */
#include "cli_fixture.h"

#include "../review/review_fixture.h"

/* The fixture's forms in DIR/prog; returns the folder. */
static const char *programme(Fx *fx)
{
    const char *dir = T(fx, "prog");
    g_mkdir(dir, 0755);
    write_text(keep(fx, g_build_filename(dir, "sites.csv", NULL)), REVIEW_SITES);
    write_text(keep(fx, g_build_filename(dir, "commissioners.csv", NULL)), REVIEW_COMMS);
    return dir;
}

static const char *review_file(Fx *fx, const char *name, const char *rows)
{
    const char *path = T(fx, name);
    write_text(path, keep(fx, g_strconcat("decision,commissioner,site,note\n", rows, NULL)));
    return path;
}

static void test_help(void **state)
{
    Fx *fx = *state;
    RUN(fx, "run", "--help");
    assert_status(fx, 0);
    assert_contains(fx->out, "--review");
    assert_contains(fx->out, "--previous-review");
    assert_contains(fx->out, "docs/review.md");
}

static void test_refused(void **state)
{
    Fx *fx = *state;
    const char *dir = programme(fx), *out = T(fx, "out");
    const char *good = review_file(fx, "good.csv", "veto,c1,s1,\n");
    RUN(fx, "run", "--print", dir, "--previous-review", good, "--out", out);
    assert_error(fx, "--previous-review goes with --review");
    RUN(fx, "run", "--print", dir, "--review", T(fx, "missing.csv"), "--out", out);
    assert_error(fx, "run: --review: ", "missing.csv: cannot read the review");
    const char *bad = review_file(fx, "bad.csv", "veto,c1,s1,\npin,,s2,\n");
    RUN(fx, "run", "--print", dir, "--review", bad, "--out", out);
    assert_error(fx, "bad.csv:3:2: commissioner: a pin (确认) names a commissioner and a site; "
                     "the commissioner is missing");
    RUN(fx, "run", "--print", dir, "--review", good, "--previous-review", bad, "--out", out);
    assert_error(fx, "run: --previous-review: ", "bad.csv:3:2: ");
    const char *dup = review_file(fx, "dup.csv", "exclude,c2,,\n\nexclude,c2,,again\n");
    RUN(fx, "run", "--print", dir, "--review", dup, "--out", out);
    assert_error(fx, "dup.csv:4:1: decision: the same decision is already at ", "dup.csv:2");
    const char *unknown = review_file(fx, "unknown.csv", "pin,c1,s1,\nexclude,nobody,,\n");
    RUN(fx, "run", "--print", dir, "--review", unknown, "--out", out);
    assert_error(fx, "unknown.csv:3", "nobody");
    RUN(fx, "run", "--print", dir, "--review", good, "--previous-review", unknown, "--out", out);
    assert_error(fx, "unknown.csv:3", "nobody");
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

/* The section of the report printed on stdout (from its title on). */
static const char *section(Fx *fx)
{
    const char *s = strstr(fx->out, "\n## Leading group's review (领导小组审核)\n");
    if (s == NULL) {
        show(fx);
        fail();
    }
    return s;
}

static void expect_report_file(Fx *fx, const char *out)
{
    char *md = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    assert_string_equal(md, fx->out);
    g_free(md);
}

static void test_run(void **state)
{
    Fx *fx = *state;
    const char *dir = programme(fx), *out = T(fx, "out");
    const char *r = review_file(fx, "review.csv", "否决,c1,s1,too far\n");
    RUN(fx, "run", "--print", dir, "--review", r, "--out", out);
    assert_status(fx, 0);
    const char *s = section(fx);
    assert_contains(s, "1 decision (0 pin, 1 veto, 0 exclude, 0 admit)");
    assert_contains(s, "compared with the previous run: the same forms and configuration "
                       "without the review.\n");
    assert_contains(s, "1. **veto (否决)** c1 — s1 (");
    assert_contains(s, "review.csv:2)\n   - Note (备注): too far\n");
    /* s1 never takes c1: c1 -> s2, c2 -> s1 (review_fixture.h) */
    assert_contains(s, "   - Effect: removed — the pair was assigned in the previous run and is "
                       "not now\n");
    assert_contains(s, "c1: s1 → s2; s1: c1 → c2; c2: s2 → s1; s2: c2 → c1\n");
    assert_contains(s, "- Pairs added (2):\n  - c1 — s2\n  - c2 — s1\n");
    expect_report_file(fx, out);
    char *csv = read_text(keep(fx, g_build_filename(out, "assignments.csv", NULL)));
    assert_contains(csv, "\nc1,s2,");
    assert_contains(csv, "\nc2,s1,");
    g_free(csv);
    /* the same run without --review has no such section */
    RUN(fx, "run", "--print", dir, "--out", out);
    assert_status(fx, 0);
    assert_null(strstr(fx->out, "Leading group's review"));
}

static void test_previous(void **state)
{
    Fx *fx = *state;
    const char *dir = programme(fx), *out = T(fx, "out");
    const char *first = review_file(fx, "first.csv", "veto,c1,s1,\n");
    const char *second = review_file(fx, "second.csv", "veto,c1,s1,\nexclude,,s3,\n");
    /* first: c1-s2 c2-s1 c3-s3; second: s3 out as well, so c3 is left out
     * (s2 and s1 keep c1 and c2, whom they name first) */
    RUN(fx, "run", "--print", dir, "--review", second, "--previous-review", first, "--out", out);
    assert_status(fx, 0);
    const char *s = section(fx);
    assert_contains(s, "2 decisions (0 pin, 1 veto, 1 exclude, 0 admit)");
    assert_contains(s, "compared with the previous run: the same forms and configuration with "
                       "the earlier review ");
    assert_contains(s, "first.csv.\n");
    /* against the first review the veto changed nothing */
    assert_contains(s, "1. **veto (否决)** c1 — s1 (");
    assert_contains(s, "   - Effect: no change — the pair was not assigned in the previous run "
                       "either\n");
    assert_contains(s, "- Pairs added (0): none\n- Pairs removed (1):\n  - c3 — s3\n");
    assert_contains(s, "- Commissioners no longer selected (1): c3 — now none (");
    expect_report_file(fx, out);
}

static void test_withdrawal(void **state)
{
    Fx *fx = *state;
    const char *dir = programme(fx), *out = T(fx, "out");
    /* the first run: c1-s1 c2-s2 c3-s3; c2 leaves in mid-term */
    RUN(fx, "run", "--print", dir, "--out", out);
    assert_status(fx, 0);
    const char *r = review_file(fx, "withdrawal.csv",
                                "确认,c1,s1,\n确认,c3,s3,\n排除,c2,,withdrew in month 7\n");
    RUN(fx, "run", "--print", dir, "--review", r, "--out", out);
    assert_status(fx, 0);
    const char *s = section(fx);
    assert_contains(s, "1. **pin (确认)** c1 — s1 (");
    assert_contains(s, "   - Effect: kept — the pair was assigned in the previous run too\n");
    assert_contains(s, "3. **exclude (排除)** c2 (");
    assert_contains(s, "   - Effect: removed — assigned in the previous run, it takes no part "
                       "now\n");
    /* the vacancy at s2 goes to c5, its only wish */
    assert_contains(s, "s2: c2 → c5");
    assert_contains(s, "- Commissioners newly selected (1): c5\n");
    assert_contains(s, "- Commissioners no longer selected (1): c2 — now none (review");
    char *csv = read_text(keep(fx, g_build_filename(out, "assignments.csv", NULL)));
    assert_contains(csv, "\nc5,s2,");
    assert_null(strstr(csv, "\nc2,"));
    g_free(csv);
}

/* run --review keeps what plain run does (issue 11): --lenient's section on
 * the rows skipped (before the review's section, the last) in report.md, and
 * --agreement-template for the drafts; the summary names the review. */
static void test_lenient_template(void **state)
{
    Fx *fx = *state;
    const char *dir = programme(fx), *out = T(fx, "out");
    /* a bad row (capacity "many") that only --lenient skips */
    char *sites = g_strconcat(REVIEW_SITES, "s9,high_tech,eit,rd,intermediate,1,many,0,0,\n",
                              NULL);
    write_text(keep(fx, g_build_filename(dir, "sites.csv", NULL)), sites);
    g_free(sites);
    const char *r = review_file(fx, "review.csv", "veto,c1,s1,\n");
    const char *tmpl = T(fx, "tmpl.md");
    write_text(tmpl, "{{number}}: {{commissioner}} @ {{site}}\n");
    RUN(fx, "run", "--print", dir, "--review", r, "--out", out);
    assert_error(fx, "sites.csv:6:7:");
    RUN(fx, "run", "--print", dir, "--review", r, "--lenient", "--agreement-template", tmpl,
        "--out", out);
    assert_status(fx, 0);
    const char *review = section(fx);
    const char *rows = strstr(fx->out, "\n## Rows skipped (lenient mode)\n");
    if (rows == NULL || rows > review) { /* the review's section comes last */
        show(fx);
        fail();
    }
    assert_contains(rows, "sites.csv:6");
    expect_report_file(fx, out);
    /* the drafts come from the template: c1 -> s2, c2 -> s1 (the veto) */
    const char *drafts = keep(fx, g_build_filename(out, "agreements", NULL));
    GDir *d = g_dir_open(drafts, 0, NULL);
    assert_non_null(d);
    int n = 0;
    gboolean c1_s2 = FALSE;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        char *text = read_text(keep(fx, g_build_filename(drafts, name, NULL)));
        assert_true(g_regex_match_simple("^[0-9]+: c[0-9] @ s[0-9]\n$", text, 0, 0));
        c1_s2 |= strstr(text, ": c1 @ s2\n") != NULL;
        g_free(text);
        n++;
    }
    g_dir_close(d);
    char *csv = read_text(keep(fx, g_build_filename(out, "assignments.csv", NULL)));
    int rows_csv = -1; /* less the header */
    for (const char *p = csv; (p = strchr(p, '\n')) != NULL; p++)
        rows_csv++;
    g_free(csv);
    assert_int_equal(n, rows_csv);
    assert_true(c1_s2);
    /* the summary (no --print) states the review and the skipped row */
    RUN(fx, "run", dir, "--review", r, "--lenient", "--out", out);
    assert_status(fx, 0);
    assert_contains(fx->out, "\nReview decisions applied: 1 (their effects in report.md)\n");
    assert_contains(fx->out, "\nRows skipped (lenient): 1; warnings: 0 (listed in report.md)\n");
    assert_null(strstr(fx->out, "## Leading group's review"));
}

static const NamedTest named_tests[] = {
    {"review_help", test_help},
    {"review_refused", test_refused},
    {"review_run", test_run},
    {"review_previous", test_previous},
    {"review_withdrawal", test_withdrawal},
    {"review_lenient_template", test_lenient_template},
};

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s TECHMATCH_BINARY DATA_DIR [TEST_NAME]\n", argv[0]);
        return 2;
    }
    return run_named_tests("cli_review", named_tests, G_N_ELEMENTS(named_tests), argv[1],
                           argv[2], argc == 4 ? argv[3] : NULL);
}
