/* cli.lenient_* — `techmatch run --lenient` never fails on what it skipped
 * (issue 11, item 8): on forms with a bad row and a good row naming it, the
 * run succeeds, the warning names the naming row's own file:line:column,
 * and report.md (and the report on stdout) ends with the section "Rows
 * skipped (lenient mode)" listing each skipped row and warning with its
 * line and reason; the same forms in strict mode fail naming the bad row's
 * file:line:column and write nothing. */
#include "cli_fixture.h"

/* sites.csv: line 2 (S1) has a bad capacity (column 4) */
static const char SITES[] = "name,kind,sector,capacity,ranked\n"
                            "S1,high_tech,eit,two,C1\n"
                            "S2,high_tech,eit,1,C1;C2\n";
/* commissioners.csv: C1 (line 2) wishes the skipped S1 (wishes: column 7);
 * C2 (line 3) has a blank merit (column 6) */
static const char COMMS[] = "name,title,unit_kind,unit_support,expertise,merit,wishes\n"
                            "C1,senior,university,yes,eit:3,80,S1;S2\n"
                            "C2,senior,university,yes,eit:3,,S2\n";

static const char *make_forms(Fx *fx, const char *sites, const char *comms)
{
    const char *dir = T(fx, "forms");
    g_mkdir(dir, 0755);
    write_text(keep(fx, g_build_filename(dir, "sites.csv", NULL)), sites);
    write_text(keep(fx, g_build_filename(dir, "commissioners.csv", NULL)), comms);
    return dir;
}

static void test_lenient_report(void **state)
{
    Fx *fx = *state;
    const char *dir = make_forms(fx, SITES, COMMS);
    const char *out = T(fx, "out");
    RUN(fx, "run", "--print", dir, "--out", out, "--lenient", "--quota", "none");
    assert_status(fx, 0);
    const char *sites = keep(fx, g_build_filename(dir, "sites.csv", NULL));
    const char *comms = keep(fx, g_build_filename(dir, "commissioners.csv", NULL));
    /* stderr: the skipped row, then the warnings at their own rows */
    char *want = g_strdup_printf(
        "%s:2:4: warning: row skipped: capacity: capacity 'two' is not a whole number\n"
        "%s:3:6: warning: merit: the merit is empty; the row is kept with merit 0\n"
        "%s:2:7: warning: wishes: the wish list names 'S1', which is not a site of the "
        "programme (not in %s); wish dropped\n",
        sites, comms, comms, sites);
    assert_string_equal(fx->err, want);
    g_free(want);
    /* report.md ends with the section, and so does the report on stdout */
    char *report = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    char *section = g_strdup_printf(
        "\n## Rows skipped (lenient mode)\n\n"
        "The forms reader skipped 1 row and gave 2 warnings (a wish naming a skipped or unknown "
        "agent is dropped; the rest of its row is kept).\n\n"
        "| file:line | column | field | outcome | reason |\n"
        "|---|---:|---|---|---|\n"
        "| %s:2 | 4 | capacity | row skipped | capacity 'two' is not a whole number |\n"
        "| %s:3 | 6 | merit | warning | the merit is empty; the row is kept with merit 0 |\n"
        "| %s:2 | 7 | wishes | warning | the wish list names 'S1', which is not a site of the "
        "programme (not in %s); wish dropped |\n",
        sites, comms, comms, sites);
    if (!g_str_has_suffix(report, section)) {
        fprintf(stderr, "report.md does not end with:\n%s\nit is:\n%s\n", section, report);
        fail();
    }
    assert_true(g_str_has_suffix(fx->out, section));
    assert_string_equal(fx->out, report);
    /* the rest of the report is the selection's: one site, two applicants */
    assert_contains(report, "Sites registered: 1");
    assert_contains(report, "Applicants (commissioners and teams): 2");
    g_free(section);
    g_free(report);
}

static void test_lenient_strict(void **state)
{
    Fx *fx = *state;
    const char *dir = make_forms(fx, SITES, COMMS);
    const char *out = T(fx, "out");
    const char *sites = keep(fx, g_build_filename(dir, "sites.csv", NULL));
    RUN(fx, "run", "--print", dir, "--out", out, "--quota", "none");
    assert_error(fx, keep(fx, g_strdup_printf("%s:2:4: capacity: capacity 'two' is not a whole "
                                              "number",
                                              sites)));
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    /* the bad row fixed: the blank merit is the next error, at its own cell */
    const char *fixed = "name,kind,sector,capacity,ranked\nS1,high_tech,eit,1,C1\n";
    write_text(sites, fixed);
    RUN(fx, "run", "--print", dir, "--out", out, "--quota", "none");
    const char *comms = keep(fx, g_build_filename(dir, "commissioners.csv", NULL));
    assert_error(fx, keep(fx, g_strdup_printf("%s:3:6: merit: the merit is empty (give a number "
                                              "0..100)",
                                              comms)));
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

/* Nothing skipped, nothing warned: no section. */
static void test_lenient_clean(void **state)
{
    Fx *fx = *state;
    const char *dir = make_forms(fx, "name,kind,sector,capacity\nS2,high_tech,eit,1\n",
                                 "name,title,unit_kind,unit_support,expertise,merit,wishes\n"
                                 "C1,senior,university,yes,eit:3,80,S2\n");
    const char *out = T(fx, "out");
    RUN(fx, "run", "--print", dir, "--out", out, "--lenient", "--quota", "none");
    assert_status(fx, 0);
    assert_string_equal(fx->err, "");
    assert_null(strstr(fx->out, "Rows skipped"));
    char *report = read_text(keep(fx, g_build_filename(out, "report.md", NULL)));
    assert_string_equal(report, fx->out);
    g_free(report);
}

static const NamedTest named_tests[] = {
    {"lenient_report", test_lenient_report},
    {"lenient_strict", test_lenient_strict},
    {"lenient_clean", test_lenient_clean},
};

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s TECHMATCH_BINARY DATA_DIR [TEST_NAME]\n", argv[0]);
        return 2;
    }
    return run_named_tests("cli_lenient", named_tests, G_N_ELEMENTS(named_tests), argv[1],
                           argv[2], argc == 4 ? argv[3] : NULL);
}
