/* The report in the reader's language (issue 11): the Chinese report of the
 * bundled Jinshui example equals its reviewed golden copy; it has no English
 * word left but the codes and the data's own Latin text, and every heading
 * is Chinese; the English report names site kinds in words, never by code;
 * the options' language (AUTO: the forms') picks the report's; the lenient
 * rows' and the review's sections follow the language. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

#include "selection_random.h"

static TmSelection *seed_selection(TmProgramme **p)
{
    return tt_run_selection(TM_SOURCE_DIR "/seeds/jinshui-2011", p, NULL);
}

static char *report_in(const TmSelection *sel, TmLang lang)
{
    TmOutputOptions *o = tm_output_options_new();
    tm_output_options_set_language(o, lang);
    GError *err = NULL;
    char *md = tm_selection_report_markdown_with(sel, o, &err);
    if (md == NULL)
        fail_msg("%s", err->message);
    tm_output_options_free(o);
    return md;
}

static void golden(const char *md, const char *name)
{
    char *path = g_build_filename(TM_SOURCE_DIR, "tests", "selection", "data", name, NULL);
    if (g_getenv("TM_UPDATE_GOLDEN"))
        assert_true(g_file_set_contents(path, md, -1, NULL));
    char *want = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &want, NULL, &err))
        fail_msg("%s", err->message);
    if (strcmp(md, want) != 0) {
        print_error("report differs from %s; got:\n%s\n", path, md);
        fail();
    }
    g_free(want);
    g_free(path);
}

static gboolean has_cjk(const char *s)
{
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
            return TRUE;
    }
    return FALSE;
}

/* The ASCII words (letters, digits, `_`) that may appear in the Chinese
 * report: rule, task and sector codes, and every Latin word of the data's
 * own text (names, units). */
static GHashTable *allowed_words(const TmProgramme *p)
{
    GHashTable *ok = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GString *text = g_string_new(NULL);
    for (int32_t r = 0; r < tm_rules_n_rules(); r++)
        g_string_append_printf(text, " %s", tm_rule_code(r));
    for (int t = 0; t < TM_N_TASKS; t++)
        g_string_append_printf(text, " %s", tm_task_code((TmTask)t));
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++)
        g_string_append_printf(text, " %s", tm_taxonomy_code(tax, k));
    for (int32_t c = 0; c < tm_programme_n_commissioners(p); c++)
        g_string_append_printf(text, " %s %s", tm_programme_commissioner(p, c)->name,
                               tm_programme_commissioner(p, c)->unit
                                   ? tm_programme_commissioner(p, c)->unit : "");
    for (int32_t s = 0; s < tm_programme_n_sites(p); s++)
        g_string_append_printf(text, " %s", tm_programme_site(p, s)->name);
    char **words = g_regex_split_simple("[^A-Za-z0-9_]+", text->str, 0, 0);
    for (char **w = words; *w; w++)
        if (**w)
            g_hash_table_add(ok, g_strdup(*w));
    g_strfreev(words);
    g_string_free(text, TRUE);
    return ok;
}

static void test_chinese_report(void **state)
{
    (void)state;
    TmProgramme *p;
    TmSelection *sel = seed_selection(&p);
    char *md = report_in(sel, TM_LANG_ZH);
    golden(md, "jinshui-2011-report.zh.md");
    /* no English word but the codes and the data's own, the reasons
     * (tm_selection_reason(), tm_selection_wish_reason_lang()) included */
    char *prose = g_strdup(md);
    GHashTable *ok = allowed_words(p);
    /* a word, or a rule's option (C_DIRECTION.target) */
    GRegex *word = g_regex_new("[A-Za-z][A-Za-z0-9_]{2,}(\\.[a-z_]+)?", 0, 0, NULL);
    GMatchInfo *mi;
    GString *left = g_string_new(NULL);
    g_regex_match(word, prose, 0, &mi);
    while (g_match_info_matches(mi)) {
        char *w = g_match_info_fetch(mi, 0);
        /* entities of the escaping (&amp;) are no words */
        gint start;
        g_match_info_fetch_pos(mi, 0, &start, NULL);
        gboolean entity = start > 0 && prose[start - 1] == '&';
        char *dot = strchr(w, '.');
        if (dot != NULL) /* a rule's option: the rule's code before the dot */
            *dot = '\0';
        if (!entity && !g_hash_table_contains(ok, w))
            g_string_append_printf(left, " %s", w);
        g_free(w);
        g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    g_regex_unref(word);
    if (left->len > 0)
        fail_msg("English words left in the Chinese report:%s", left->str);
    g_string_free(left, TRUE);
    g_hash_table_unref(ok);
    g_free(prose);
    /* every heading and every table header is Chinese */
    char **lines = g_strsplit(md, "\n", -1);
    int n_headings = 0;
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "#")) {
            n_headings++;
            if (!has_cjk(*l))
                fail_msg("heading not in Chinese: %s", *l);
        }
        if (l[1] != NULL && g_str_has_prefix(l[1], "|---") && !has_cjk(*l))
            fail_msg("table header not in Chinese: %s", *l);
    }
    assert_true(n_headings >= 10);
    g_strfreev(lines);
    assert_non_null(strstr(md, "# 科技特派员选派结果报告\n"));
    assert_non_null(strstr(md, "\n## 选派结果\n"));
    assert_non_null(strstr(md, "\n## 各行业覆盖情况\n"));
    assert_non_null(strstr(md, "\n## 稳定性证明\n"));
    /* numbers in the C locale whatever the language */
    assert_non_null(strstr(md, "71.0"));
    g_free(md);
    tm_selection_free(sel);
    tm_programme_free(p);
}

/* The English report: site kinds in words (the kind columns hold no code);
 * tm_selection_report_markdown() is English whatever the forms' language;
 * AUTO follows the programme's language. */
static void test_english_report_and_auto(void **state)
{
    (void)state;
    TmProgramme *p;
    TmSelection *sel = seed_selection(&p);
    GError *err = NULL;
    char *plain = tm_selection_report_markdown(sel, &err);
    char *en = report_in(sel, TM_LANG_EN);
    assert_string_equal(plain, en);
    /* the kind column of the assignments (5th) and the free sites (3rd) */
    char **lines = g_strsplit(en, "\n", -1);
    int section = 0, n_cells = 0;
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "## "))
            section = strcmp(*l, "## Assignments") == 0             ? 1
                      : strcmp(*l, "## Sites with free places") == 0 ? 2
                                                                     : 0;
        if (section == 0 || !g_str_has_prefix(*l, "| ") || g_str_has_prefix(*l, "|---"))
            continue;
        char **cells = g_strsplit(*l, " | ", -1);
        int col = section == 1 ? 4 : 2;
        if (g_strv_length(cells) > (guint)col && strcmp(cells[col], "kind") != 0) {
            n_cells++;
            for (int k = 0; k <= TM_SITE_OTHER; k++)
                if (k != TM_SITE_COMMUNITY && k != TM_SITE_OTHER && /* words and codes alike */
                    strcmp(cells[col], tm_site_kind_code((TmSiteKind)k)) == 0)
                    fail_msg("site kind code in prose: %s", *l);
        }
        g_strfreev(cells);
    }
    g_strfreev(lines);
    assert_true(n_cells > 40);
    assert_non_null(strstr(en, "| high-tech enterprise |"));
    assert_non_null(strstr(en, "| R&amp;D enterprise (an R&amp;D centre or S&amp;T projects) |"));
    /* AUTO: the seed's forms have Chinese headers, so Chinese */
    char *auto_md = report_in(sel, TM_LANG_AUTO);
    char *zh = report_in(sel, TM_LANG_ZH);
    assert_string_equal(auto_md, tm_programme_language(p) == TM_LANG_ZH ? zh : en);
    tm_programme_set_language(p, TM_LANG_EN);
    char *auto_en = report_in(sel, TM_LANG_AUTO);
    assert_string_equal(auto_en, en);
    /* NULL options: the defaults (AUTO) */
    char *none = tm_selection_report_markdown_with(sel, NULL, &err);
    assert_string_equal(none, en);
    assert_null(tm_selection_report_markdown_with(NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
    g_free(none);
    g_free(auto_en);
    g_free(auto_md);
    g_free(zh);
    g_free(plain);
    g_free(en);
    tm_selection_free(sel);
    tm_programme_free(p);
}

/* The lenient rows' section: its own words follow the language, the
 * readers' messages and the data stay as they are (escaped). */
static void test_diagnostics_section(void **state)
{
    (void)state;
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    GError *err = NULL;
    const char *csv = "name,kind,sector,capacity\n"
                      "a<b>,high_tech,eit,two\n"
                      "ok,high_tech,eit,1\n";
    assert_true(tm_forms_read_sites_data(p, csv, -1, "s|.csv", TM_FORMS_LENIENT, d, &err));
    assert_true(tm_form_diagnostics_count(d) >= 1);
    char *en = tm_form_diagnostics_markdown(d);
    char *en2 = tm_form_diagnostics_markdown_in(d, TM_LANG_EN);
    char *zh = tm_form_diagnostics_markdown_in(d, TM_LANG_ZH);
    assert_string_equal(en, en2);
    assert_true(g_str_has_prefix(en, "\n## Rows skipped (lenient mode)\n"));
    assert_true(g_str_has_prefix(zh, "\n## 跳过的行（宽松模式）\n\n读取登记表时跳过 "));
    assert_non_null(strstr(zh, "| 文件:行 | 列 | 字段 | 处理 | 原因 |\n"));
    assert_null(strstr(zh, "row skipped"));
    assert_non_null(strstr(zh, "s\\|.csv:2"));
    assert_null(strstr(zh, "s|.csv"));
    char *empty = tm_form_diagnostics_markdown_in(NULL, TM_LANG_ZH);
    assert_string_equal(empty, "");
    g_free(empty);
    g_free(en);
    g_free(en2);
    g_free(zh);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

/* Every objective's method and value stated in Chinese (the summary has no
 * English word but the objective's code). */
static void test_objectives_in_chinese(void **state)
{
    (void)state;
    TmRules *rules = tm_rules_new_default();
    TmQuota *q = tm_quota_new();
    GRegex *word = g_regex_new("[A-Za-z][A-Za-z_-]{2,}", 0, 0, NULL);
    for (int o = TM_OBJECTIVE_SUPPLY_OPTIMAL; o <= TM_OBJECTIVE_BALANCED; o++) {
        TmSelectOptions *so = tm_select_options_new();
        GError *err = NULL;
        assert_true(tm_select_options_set_objective(so, (TmObjective)o, &err));
        /* a random programme the lattice takes (capacities above 1 on one
         * side only) */
        TmProgramme *p = NULL;
        TmSelection *sel = NULL;
        for (int tries = 0; sel == NULL && tries < 200; tries++) {
            tm_programme_free(p);
            p = random_programme(6, 6);
            sel = tm_programme_select(p, rules, q, so, NULL);
        }
        if (sel == NULL)
            fail_msg("no random programme for objective %s", tm_objective_code(o));
        char *md = report_in(sel, TM_LANG_ZH);
        char *summary = g_strndup(md, (gsize)(strstr(md, "\n## ") - md));
        assert_non_null(strstr(summary, "- 选派名额：不限\n"));
        assert_non_null(strstr(summary, "- 目标："));
        GMatchInfo *mi;
        g_regex_match(word, summary, 0, &mi);
        while (g_match_info_matches(mi)) {
            char *w = g_match_info_fetch(mi, 0);
            if (strcmp(w, tm_objective_code(o)) != 0)
                fail_msg("objective %s: English word '%s' in:\n%s", tm_objective_code(o), w,
                         summary);
            g_free(w);
            g_match_info_next(mi, NULL);
        }
        g_match_info_free(mi);
        g_free(summary);
        g_free(md);
        tm_selection_free(sel);
        tm_programme_free(p);
        tm_select_options_free(so);
    }
    g_regex_unref(word);
    tm_quota_free(q);
    tm_rules_free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese_report),
        cmocka_unit_test(test_english_report_and_auto),
        cmocka_unit_test(test_diagnostics_section),
        cmocka_unit_test(test_objectives_in_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
