/* The review CSV reader (review.h, docs/review.md) through the public API:
 *
 *   io.review_good    English and Chinese headers, aliases, header notes,
 *                     decision synonyms, BOM, CRLF, quoted cells (commas,
 *                     quotes, line breaks), blank rows, informational columns,
 *                     a header without rows, appending to a review
 *   io.review_errors  every refusal with its FILE:LINE:COLUMN: field: and the
 *                     review left unchanged (all or nothing)
 *   io.review_file    tm_review_load_file: a file, a missing file, NULLs
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

/* Loads @text as "r.csv" into a new review; NULL with *@err on failure. */
static TmReview *load(const char *text, gssize len, GError **err)
{
    TmReview *r = tm_review_new();
    if (!tm_review_load_data(r, text, len, "r.csv", err)) {
        tm_review_free(r);
        return NULL;
    }
    return r;
}

static void expect_decision(const TmReview *r, int32_t i, TmDecisionKind kind, const char *c,
                            const char *s, const char *note, const char *source)
{
    const char *gc, *gs, *gn, *gsrc;
    assert_int_equal(tm_review_decision(r, i, &gc, &gs, &gn, &gsrc), (int)kind);
    assert_string_equal(gc ? gc : "(none)", c ? c : "(none)");
    assert_string_equal(gs ? gs : "(none)", s ? s : "(none)");
    assert_string_equal(gn ? gn : "(none)", note ? note : "(none)");
    assert_string_equal(gsrc ? gsrc : "(none)", source ? source : "(none)");
}

static void test_english(void **state)
{
    (void)state;
    GError *err = NULL;
    TmReview *r = load("decision,commissioner,site,note\n"
                       "pin,王建华,金水食品厂,keeps the pilot line\n"
                       "veto,李文静,金水文化创意产业园,\n"
                       "exclude,郑卫国,,withdrew\n"
                       "admit,,祭城社区卫生服务站,clinic opens in May\n"
                       "keep,邓丽,丰产路街道,\n",
                       -1, &err);
    assert_null(err);
    assert_non_null(r);
    assert_int_equal(tm_review_n_decisions(r), 5);
    expect_decision(r, 0, TM_DECISION_PIN, "王建华", "金水食品厂", "keeps the pilot line", "r.csv:2");
    expect_decision(r, 1, TM_DECISION_VETO, "李文静", "金水文化创意产业园", NULL, "r.csv:3");
    expect_decision(r, 2, TM_DECISION_EXCLUDE, "郑卫国", NULL, "withdrew", "r.csv:4");
    expect_decision(r, 3, TM_DECISION_ADMIT, NULL, "祭城社区卫生服务站", "clinic opens in May",
                    "r.csv:5");
    expect_decision(r, 4, TM_DECISION_PIN, "邓丽", "丰产路街道", NULL, "r.csv:6");
    tm_review_free(r);
}

static void test_chinese(void **state)
{
    (void)state;
    GError *err = NULL;
    /* BOM, CRLF, headers with notes and markers, columns in another order,
     * Chinese decision labels and synonyms, an informational column */
    const char text[] = "\xEF\xBB\xBF"
                        "序号,审核意见,派驻点（名称）,特派员（姓名）*,备注\r\n"
                        "1,确认,金水食品厂,王建华,同意\r\n"
                        "2,否决,金水文化创意产业园,李文静,\r\n"
                        "3,剔除,,郑卫国,中途退出\r\n"
                        "4,同意入选,,张敏,\r\n"
                        "5, 不同意 ,丰产路街道,邓丽,\r\n"
                        "6,增补,祭城社区卫生服务站,,\r\n";
    TmReview *r = load(text, -1, &err);
    assert_null(err);
    assert_non_null(r);
    assert_int_equal(tm_review_n_decisions(r), 6);
    expect_decision(r, 0, TM_DECISION_PIN, "王建华", "金水食品厂", "同意", "r.csv:2");
    expect_decision(r, 1, TM_DECISION_VETO, "李文静", "金水文化创意产业园", NULL, "r.csv:3");
    expect_decision(r, 2, TM_DECISION_EXCLUDE, "郑卫国", NULL, "中途退出", "r.csv:4");
    expect_decision(r, 3, TM_DECISION_ADMIT, "张敏", NULL, NULL, "r.csv:5");
    expect_decision(r, 4, TM_DECISION_VETO, "邓丽", "丰产路街道", NULL, "r.csv:6");
    expect_decision(r, 5, TM_DECISION_ADMIT, NULL, "祭城社区卫生服务站", NULL, "r.csv:7");
    tm_review_free(r);

    /* 决定 / 特派员 / 派驻点 spelled as the brief names them */
    r = load("决定,特派员,派驻点\n排除,,金水食品厂\n", -1, &err);
    assert_non_null(r);
    expect_decision(r, 0, TM_DECISION_EXCLUDE, NULL, "金水食品厂", NULL, "r.csv:2");
    tm_review_free(r);
}

static void test_quoted_and_blank(void **state)
{
    (void)state;
    GError *err = NULL;
    /* quoted cells with commas, doubled quotes and a line break (the note);
     * blank rows before the header and between rows; blanks trimmed */
    TmReview *r = load("\n  ,  \n"
                       "Decision, Commissioner ,SITE,Note\n"
                       "\"pin\",\"Wang, Jianhua\",\"Site \"\"A\"\"\",\"line one\nline two\"\n"
                       ",,,\n"
                       "\n"
                       "  VETO  ,  b  ,  c  ,  \n",
                       -1, &err);
    assert_null(err);
    assert_non_null(r);
    assert_int_equal(tm_review_n_decisions(r), 2);
    expect_decision(r, 0, TM_DECISION_PIN, "Wang, Jianhua", "Site \"A\"", "line one\nline two",
                    "r.csv:4");
    /* the quoted line break moved the next rows one line down */
    expect_decision(r, 1, TM_DECISION_VETO, "b", "c", NULL, "r.csv:8");
    tm_review_free(r);
}

static void test_header_only_and_append(void **state)
{
    (void)state;
    GError *err = NULL;
    TmReview *r = load("decision,commissioner,site\n", -1, &err);
    assert_non_null(r);
    assert_int_equal(tm_review_n_decisions(r), 0);
    /* only one of the name columns: fine for exclusions and admissions */
    assert_true(tm_review_load_data(r, "decision,site\nexclude,s1\n", -1, "more.csv", &err));
    assert_true(tm_review_load_data(r, "decision,commissioner\r\nadmit,c1", -1, NULL, &err));
    assert_int_equal(tm_review_n_decisions(r), 2);
    expect_decision(r, 0, TM_DECISION_EXCLUDE, NULL, "s1", NULL, "more.csv:2");
    expect_decision(r, 1, TM_DECISION_ADMIT, "c1", NULL, NULL, "<data>:2");
    /* an explicit length stops before the second row */
    const char text[] = "decision,commissioner,site\npin,a,b\npin,c,d\n";
    assert_true(tm_review_load_data(r, text, (gssize)strlen("decision,commissioner,site\npin,a,b\n"),
                                    "cut.csv", &err));
    assert_int_equal(tm_review_n_decisions(r), 3);
    expect_decision(r, 2, TM_DECISION_PIN, "a", "b", NULL, "cut.csv:2");
    tm_review_free(r);
}

/* ---- errors --------------------------------------------------------------- */

/* @text fails with TM_ERROR_PARSE and exactly @message; a review holding one
 * decision is left with that one. */
static void expect_refused(const char *text, gssize len, const char *message)
{
    TmReview *r = tm_review_new();
    assert_true(tm_review_add(r, TM_DECISION_VETO, "x", "y", NULL, "earlier.csv:2", NULL) == 0);
    GError *err = NULL;
    gboolean ok = tm_review_load_data(r, text, len, "r.csv", &err);
    if (ok || err == NULL || strcmp(err->message, message) != 0)
        fprintf(stderr, "input:\n%s\nexpected: %s\n     got: %s\n", text, message,
                err ? err->message : "(success)");
    assert_false(ok);
    assert_int_equal(err->domain, TM_ERROR);
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_string_equal(err->message, message);
    assert_true(g_utf8_validate(err->message, -1, NULL));
    g_error_free(err);
    assert_int_equal(tm_review_n_decisions(r), 1);
    tm_review_free(r);
}

static void test_errors(void **state)
{
    (void)state;
    const char *H = "decision,commissioner,site,note\n";
    expect_refused("", -1,
                   "r.csv:1:0: empty file: no header row (the first row names the columns: "
                   "decision, commissioner, site, note — or 决定, 特派员, 派驻点, 备注)");
    expect_refused("\xEF\xBB\xBF\n\n", -1,
                   "r.csv:1:0: empty file: no header row (the first row names the columns: "
                   "decision, commissioner, site, note — or 决定, 特派员, 派驻点, 备注)");
    expect_refused("\xFF\xFE" "d\0e\0", 6, "r.csv:1:0: the file is UTF-16 encoded; save it as UTF-8");
    expect_refused("decision,commissioner,site,whatever\npin,a,b,c\n", -1,
                   "r.csv:1:4: unknown column 'whatever' (a review has the columns "
                   "decision/决定, commissioner/特派员, site/派驻点 and note/备注; see "
                   "docs/review.md)");
    expect_refused("decision,特派员,site,commissioner\n", -1,
                   "r.csv:1:4: commissioner: column commissioner (特派员) is given twice: as "
                   "'特派员' in column 2 and again here");
    expect_refused("commissioner,site\na,b\n", -1,
                   "r.csv:1:0: missing required column: decision (决定)");
    expect_refused("decision,note\npin,x\n", -1,
                   "r.csv:1:0: missing required columns: commissioner (特派员) or site (派驻点), "
                   "at least one of them");
    expect_refused("decision,\"commissioner\nsite\n", -1,
                   "r.csv:1:2: header: unterminated quoted field: the quote opened on line 1 is "
                   "never closed");
    expect_refused("decision,comm\xFFissioner\n", -1,
                   "r.csv:1:2: header: invalid UTF-8 (byte 0xFF at byte 5 of the cell); save the "
                   "file as UTF-8 (it may be GBK/GB18030)");

    char *t;
    t = g_strconcat(H, "pin,a,b,c\nfrobnicate,a,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:1: decision: unknown decision 'frobnicate': expected pin (确认), veto "
                   "(否决), exclude (排除) or admit (增补)");
    g_free(t);
    t = g_strconcat(H, ",a,b,c\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:1: decision: empty: expected pin (确认), veto (否决), exclude (排除) "
                   "or admit (增补)");
    g_free(t);
    t = g_strconcat(H, "pin,a,,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:3: site: a pin (确认) names a commissioner and a site; the site is "
                   "missing");
    g_free(t);
    t = g_strconcat(H, "veto, ,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:2: commissioner: a veto (否决) names a commissioner and a site; the "
                   "commissioner is missing");
    g_free(t);
    expect_refused("decision,site\npin,b\n", -1,
                   "r.csv:2:0: commissioner (特派员): a pin (确认) names a commissioner and a site; "
                   "the commissioner is missing");
    t = g_strconcat(H, "exclude,a,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:3: site: an exclude (排除) names one agent, a commissioner or a site, "
                   "not both (write one row for each)");
    g_free(t);
    t = g_strconcat(H, "admit,,,why\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:2: commissioner: an admit (增补) names the commissioner or the site it "
                   "concerns; both cells are empty");
    g_free(t);
    t = g_strconcat(H, "pin,a,b\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:4: wrong number of fields: the row has 3, the header has 4");
    g_free(t);
    t = g_strconcat(H, "pin,a,b,c,d\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:5: wrong number of fields: the row has 5, the header has 4");
    g_free(t);
    t = g_strconcat(H, "pin,a,b,\"open\n", NULL);
    expect_refused(t, -1, "r.csv:2:4: note: unterminated quoted field: the quote opened on line 2 "
                          "is never closed");
    g_free(t);
    t = g_strconcat(H, "pin,\xE7\x8E,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:2:2: commissioner: invalid UTF-8 (byte 0xE7 at byte 1 of the cell); "
                   "save the file as UTF-8 (it may be GBK/GB18030)");
    g_free(t);
    const char nul[] = "decision,commissioner,site,note\npin,a\0b,c,\n";
    expect_refused(nul, (gssize)sizeof nul - 1,
                   "r.csv:2:2: commissioner: the cell contains a NUL byte");

    /* duplicates and contradictions, with the two positions */
    t = g_strconcat(H, "pin,a,b,\n\npin,a,b,again\n", NULL);
    expect_refused(t, -1,
                   "r.csv:4:1: decision: the same decision is already at r.csv:2 (pin 确认): a "
                   "pair or an agent is decided once (remove one of the two rows)");
    g_free(t);
    t = g_strconcat(H, "pin,a,b,\nveto,a,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:1: decision: a contradicting decision is already at r.csv:2 (pin "
                   "确认): a pair or an agent is decided once (remove one of the two rows)");
    g_free(t);
    t = g_strconcat(H, "exclude,a,,\nadmit,a,,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:1: decision: a contradicting decision is already at r.csv:2 (exclude "
                   "排除): a pair or an agent is decided once (remove one of the two rows)");
    g_free(t);
    t = g_strconcat(H, "exclude,,b,\npin,a,b,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:3: site: pins 'b', whom r.csv:2 excludes: an excluded agent cannot "
                   "be pinned");
    g_free(t);
    t = g_strconcat(H, "pin,a,b,\nexclude,a,,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:2: commissioner: excludes 'a', whom r.csv:2 pins: an excluded agent "
                   "cannot be pinned");
    g_free(t);
    /* against a decision already in the review (expect_refused adds veto x-y
     * from earlier.csv:2) */
    t = g_strconcat(H, "pin,a,b,\npin,x,y,\n", NULL);
    expect_refused(t, -1,
                   "r.csv:3:1: decision: a contradicting decision is already at earlier.csv:2 "
                   "(veto 否决): a pair or an agent is decided once (remove one of the two rows)");
    g_free(t);
    /* an exclusion and an admission of the same name on different sides
     * are two agents: fine; so are a veto and a pin of different pairs */
    GError *err = NULL;
    TmReview *r = load("decision,commissioner,site\nexclude,same,\nadmit,,same\nveto,a,b\npin,a,c\n",
                       -1, &err);
    assert_non_null(r);
    assert_int_equal(tm_review_n_decisions(r), 4);
    tm_review_free(r);
}

static void test_file(void **state)
{
    (void)state;
    GError *err = NULL;
    char *dir = g_dir_make_tmp("tm-review-XXXXXX", &err);
    assert_non_null(dir);
    char *path = g_build_filename(dir, "审核.csv", NULL);
    assert_true(g_file_set_contents(path, "决定,特派员,派驻点,备注\n确认,甲,乙,\n", -1, NULL));
    TmReview *r = tm_review_new();
    assert_true(tm_review_load_file(r, path, &err));
    char *src = g_strdup_printf("%s:2", path);
    expect_decision(r, 0, TM_DECISION_PIN, "甲", "乙", NULL, src);
    g_free(src);
    /* a bad file names itself */
    assert_true(g_file_set_contents(path, "决定,特派员,派驻点\n确认,甲\n", -1, NULL));
    assert_false(tm_review_load_file(r, path, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_true(g_str_has_prefix(err->message, path));
    assert_non_null(strstr(err->message, ":2:3: wrong number of fields"));
    g_clear_error(&err);
    g_remove(path);
    assert_false(tm_review_load_file(r, path, &err));
    assert_int_equal(err->code, TM_ERROR_IO);
    assert_true(g_str_has_prefix(err->message, path));
    g_clear_error(&err);
    assert_int_equal(tm_review_n_decisions(r), 1);
    assert_false(tm_review_load_file(NULL, path, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_review_load_file(r, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    assert_false(tm_review_load_data(r, NULL, -1, "x", &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    g_clear_error(&err);
    tm_review_free(r);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest good[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_chinese),
        cmocka_unit_test(test_quoted_and_blank),
        cmocka_unit_test(test_header_only_and_append),
    };
    const struct CMUnitTest errors[] = {cmocka_unit_test(test_errors)};
    const struct CMUnitTest file[] = {cmocka_unit_test(test_file)};
    const char *group = argc > 1 ? argv[1] : NULL;
    int failed = 0;
    if (group == NULL || strcmp(group, "good") == 0)
        failed += cmocka_run_group_tests_name("review_good", good, NULL, NULL);
    if (group == NULL || strcmp(group, "errors") == 0)
        failed += cmocka_run_group_tests_name("review_errors", errors, NULL, NULL);
    if (group == NULL || strcmp(group, "file") == 0)
        failed += cmocka_run_group_tests_name("review_file", file, NULL, NULL);
    return failed != 0;
}
