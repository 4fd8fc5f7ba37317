/* The printable page (output.h tm_selection_report_html(), report.html in
 * the output set; issue 11):
 *   seed_en, seed_zh  the bundled example in each language: a complete,
 *       self-contained HTML5 document (lang, charset, A4 and print rules, the
 *       CJK fonts; no script, link, image, URL or style sheet from outside),
 *       the report's every section heading and table row (against the
 *       Markdown of tm_selection_report_markdown_with() as oracle), three SVG
 *       charts, each well-formed XML (libxml2) with role="img", a title and
 *       the expected bars whose labels add up to the selection's counts, and
 *       the same bytes twice;
 *   hostile  names and sector names with markup, quotes, `]]>` and control
 *       characters stay inert text, the SVG stays well-formed;
 *   write    report.html in the set written by tm_selection_write_with(),
 *       byte-equal to tm_selection_report_html(), and a second write over
 *       the first (the old set with report.html is accepted);
 *   errors   NULL selection.
 * With arguments `write SEED_DIR OUT_DIR en|zh` it writes the output set of
 * the seed (for the headless Chromium check, chromium_check.py). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <techmatch/techmatch.h>

static void assert_contains(const char *hay, const char *needle)
{
    if (hay == NULL || strstr(hay, needle) == NULL) {
        print_error("expected to find '%s'\n", needle);
        fail();
    }
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (hay != NULL && strstr(hay, needle) != NULL) {
        print_error("did not expect '%s' in the page\n", needle);
        fail();
    }
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static TmSelection *seed_selection(TmProgramme **p_out)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_dir(p, TM_SOURCE_DIR "/seeds/jinshui-2011", TM_FORMS_STRICT, NULL,
                                  &err));
    TmConfig *cfg = tm_config_load_for_dir(TM_SOURCE_DIR "/seeds/jinshui-2011", &err);
    assert_non_null(cfg);
    TmSelection *sel = tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL,
                                           &err);
    assert_null(err);
    assert_non_null(sel);
    tm_config_free(cfg);
    *p_out = p;
    return sel;
}

static char *page(const TmSelection *sel, TmLang lang)
{
    TmOutputOptions *o = tm_output_options_new();
    tm_output_options_set_language(o, lang);
    GError *err = NULL;
    char *html = tm_selection_report_html(sel, o, &err);
    if (err)
        print_error("%s\n", err->message);
    assert_null(err);
    assert_non_null(html);
    tm_output_options_free(o);
    return html;
}

/* The inline <svg> elements of @html, each parsed as XML (NULL when one is
 * not well-formed: the test fails). */
static GPtrArray *parse_svgs(const char *html)
{
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)xmlFreeDoc);
    for (const char *p = html; (p = strstr(p, "<svg")) != NULL;) {
        const char *end = strstr(p, "</svg>");
        assert_non_null(end);
        end += strlen("</svg>");
        xmlDocPtr doc = xmlReadMemory(p, (int)(end - p), "chart.svg", "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (doc == NULL) {
            print_error("an <svg> is not well-formed XML:\n%.*s\n", (int)(end - p), p);
            fail();
        }
        g_ptr_array_add(docs, doc);
        p = end;
    }
    return docs;
}

/* The string values of @xpath in @doc, joined by "\n" (caller frees). */
static char *xpath_strings(xmlDocPtr doc, const char *xpath, int *count)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
    assert_non_null(r);
    GString *s = g_string_new(NULL);
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    for (int i = 0; i < n; i++) {
        xmlChar *v = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
        if (i)
            g_string_append_c(s, '\n');
        g_string_append(s, (const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    *count = n;
    return g_string_free(s, FALSE);
}

static const char *svg_id(xmlDocPtr doc)
{
    return (const char *)xmlHasProp(xmlDocGetRootElement(doc), (const xmlChar *)"id")
               ->children->content;
}

/* The page against the Markdown report: every `## ` heading is an <h2>
 * and every table row a <tr>. */
static void check_same_content(const char *html, const char *md)
{
    char **lines = g_strsplit(md, "\n", -1);
    int rows = 0, headings = 0;
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "## ")) {
            GString *want = g_string_new("<h2>");
            for (const char *c = *l + 3; *c; c++)
                if (*c == '&')
                    g_string_append(want, "&amp;");
                else
                    g_string_append_c(want, *c);
            g_string_append(want, "</h2>");
            assert_contains(html, want->str);
            g_string_free(want, TRUE);
            headings++;
        } else if ((*l)[0] == '|' && !g_str_has_prefix(*l, "|---") &&
                   !g_str_has_prefix(*l, "|:--")) {
            rows++;
        }
    }
    g_strfreev(lines);
    assert_true(headings >= 8);
    assert_int_equal(count_of(html, "<h2"), headings + 1); /* + the charts */
    assert_int_equal(count_of(html, "<tr>"), rows);
}

static void check_seed(TmLang lang)
{
    TmProgramme *p;
    TmSelection *sel = seed_selection(&p);
    char *html = page(sel, lang);
    gboolean zh = lang == TM_LANG_ZH;

    /* a complete, self-contained document */
    assert_true(g_str_has_prefix(html, zh ? "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n"
                                          : "<!DOCTYPE html>\n<html lang=\"en\">\n"));
    assert_true(g_str_has_suffix(html, "</body>\n</html>\n"));
    assert_true(g_utf8_validate(html, -1, NULL));
    assert_contains(html, "<meta charset=\"utf-8\">");
    assert_contains(html, "@page { size: A4; margin: 15mm; }");
    assert_contains(html, "font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\"");
    assert_contains(html, "\"Microsoft YaHei\"");
    assert_contains(html, "\"SimSun\", sans-serif;");
    assert_contains(html, "thead { display: table-header-group; }");
    assert_contains(html, "break-inside: avoid");
    assert_contains(html, zh ? "<title>科技特派员选派报告</title>"
                             : "<title>Science-and-technology commissioner selection "
                               "report</title>");
    static const char *const outside[] = {"http://", "https://", "<script", "<link", "<img",
                                          "<iframe", "<object", "src=", "href=", "url(",
                                          "@import", "raw HTML omitted", "//fonts."};
    for (size_t i = 0; i < G_N_ELEMENTS(outside); i++)
        assert_lacks(html, outside[i]);
    assert_int_equal(count_of(html, "<style>"), 1);

    /* the report's content: headings, rows, names, the cutoff */
    TmOutputOptions *o = tm_output_options_new();
    tm_output_options_set_language(o, lang);
    GError *err = NULL;
    char *md = tm_selection_report_markdown_with(sel, o, &err);
    assert_non_null(md);
    check_same_content(html, md);
    g_free(md);
    tm_output_options_free(o);
    assert_contains(html, "罗敏");
    assert_contains(html, "71.0");
    assert_contains(html, "王建华");
    assert_contains(html, "郑州华信物联网科技有限公司");
    /* the charts sit after the summary, before the report's first section */
    const char *charts = strstr(html, "<h2 id=\"charts\">");
    assert_non_null(charts);
    assert_true(strstr(html, "<h2") == charts);
    assert_true(strstr(html, "<ul>") < charts);
    assert_contains(charts, zh ? ">图表</h2>" : ">Charts</h2>");

    /* three charts, well-formed, with the expected bars */
    GPtrArray *svgs = parse_svgs(html);
    assert_int_equal(svgs->len, 3);
    assert_int_equal(count_of(html, "role=\"img\""), 3);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    TmMatchingStats st;
    assert_true(tm_matching_get_stats(tm_selection_matching(sel), &st, NULL));
    int64_t pairs = st.pairs;
    for (guint i = 0; i < svgs->len; i++) {
        xmlDocPtr doc = svgs->pdata[i];
        int n;
        char *title = xpath_strings(doc, "/svg/title", &n);
        assert_int_equal(n, 1);
        assert_true(strlen(title) > 4);
        g_free(title);
        char *bars = xpath_strings(doc, "//rect[contains(@class,'bar')]/title", &n);
        const char *id = svg_id(doc);
        if (i == 0) {
            assert_string_equal(id, "chart-coverage");
            assert_int_equal(n, tm_taxonomy_n_sectors(tax));
            /* every sector: its name, percentage and counts */
            for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++) {
                int32_t reg, elig, served;
                int64_t assigned;
                tm_selection_sector_counts(sel, k, &reg, &elig, &served, &assigned);
                char pct[G_ASCII_DTOSTR_BUF_SIZE]; /* as the report's table */
                g_ascii_formatd(pct, sizeof pct, "%.0f", 100.0 * served / reg);
                char *want = g_strdup_printf(zh ? "%s：覆盖率 %s%%，%d 个服务对象中 %d 个已获服务"
                                                : "%s: %s%% coverage, %d of %d sites served",
                                             zh ? tm_taxonomy_name_zh(tax, k)
                                                : tm_taxonomy_name_en(tax, k),
                                             pct, zh ? reg : served, zh ? served : reg);
                assert_contains(bars, want);
                g_free(want);
                char *value = g_strdup_printf("%% (%d/%d)</text>", served, reg);
                assert_contains(html, value);
                g_free(value);
            }
        } else {
            TmSide side = i == 1 ? TM_SIDE_SUPPLY : TM_SIDE_DEMAND;
            assert_string_equal(id, side == TM_SIDE_SUPPLY ? "chart-ranks-supply"
                                                           : "chart-ranks-demand");
            /* ranks 1 .. the worst given, and unmatched */
            assert_int_equal(n, st.side[side].rank_max + 2);
            char **t = g_strsplit(bars, "\n", -1);
            int64_t sum = 0;
            for (int b = 0; b + 1 < n; b++) {
                char *lead = g_strdup_printf(zh ? "排名第 %d — 匹配数：" : "rank %d — "
                                                                         "assignments: ",
                                             b + 1);
                assert_true(g_str_has_prefix(t[b], lead));
                sum += g_ascii_strtoll(t[b] + strlen(lead), NULL, 10);
                g_free(lead);
            }
            assert_int_equal(sum, pairs);
            int unmatched = st.side[side].agents - st.side[side].matched_agents;
            char *want = g_strdup_printf(side == TM_SIDE_SUPPLY
                                             ? (zh ? "未匹配：%d 名特派员（团队）"
                                                   : "unmatched: %d commissioners or teams")
                                             : (zh ? "未匹配：%d 个服务对象" : "unmatched: %d sites"),
                                         unmatched);
            assert_string_equal(t[n - 1], want);
            g_free(want);
            g_strfreev(t);
        }
        g_free(bars);
    }
    g_ptr_array_unref(svgs);

    /* deterministic */
    char *again = page(sel, lang);
    assert_string_equal(html, again);
    g_free(again);
    g_free(html);
    tm_selection_free(sel);
    tm_programme_free(p);
}

static void test_seed_en(void **state)
{
    (void)state;
    check_seed(TM_LANG_EN);
}

static void test_seed_zh(void **state)
{
    (void)state;
    check_seed(TM_LANG_ZH);
}

static void test_hostile(void **state)
{
    (void)state;
    GError *err = NULL;
    TmTaxonomy *tax = tm_taxonomy_new();
    assert_true(tm_taxonomy_add_sector(tax, "evil", "<b>\"行业'&amp;</b>]]>",
                                       "<svg onload=x>\"'&</svg>", &err) == 0);
    assert_true(tm_taxonomy_add_sector(tax, "long",
                                       "一个非常非常非常非常非常非常非常非常非常非常非常长的行业名称",
                                       "a very very very very very very very very long sector "
                                       "name indeed",
                                       &err) == 1);
    TmProgramme *p = tm_programme_new(tax);
    static const char *const site_names[] = {"<script>alert(1)</script>", "a\x01" "b]]>&lt;"};
    for (int i = 0; i < 2; i++) {
        TmSite s = {0};
        s.name = site_names[i];
        s.kind = TM_SITE_HIGH_TECH;
        s.sector = i;
        s.years = 1;
        s.capacity = 1;
        s.x = s.y = TM_NO_LOCATION;
        assert_true(tm_programme_add_site(p, &s, &err) >= 0);
    }
    static const char *const comm_names[] = {"<img src=x onerror=alert(1)>", "\"'&#60;*_[a](b)"};
    for (int i = 0; i < 2; i++) {
        TmExpertise ex = {i, 3};
        TmCommissioner c = {0};
        c.name = comm_names[i];
        c.team_size = 1;
        c.title = TM_TITLE_SENIOR;
        c.unit_kind = TM_UNIT_UNIVERSITY;
        c.unit_support = TRUE;
        c.expertise = &ex;
        c.n_expertise = 1;
        c.years = 2;
        c.capacity = 1;
        c.x = c.y = TM_NO_LOCATION;
        c.merit = 90 - i;
        assert_true(tm_programme_add_commissioner(p, &c, &err) >= 0);
    }
    TmRules *r = tm_rules_new_default();
    assert_true(tm_rules_set_enabled(r, "S_SECTOR", FALSE, &err)); /* the seed's sectors */
    TmSelection *sel = tm_programme_select(p, r, NULL, NULL, &err);
    if (err)
        print_error("%s\n", err->message);
    assert_null(err);
    assert_non_null(sel);
    for (int l = 0; l < 2; l++) {
        char *html = page(sel, l == 0 ? TM_LANG_EN : TM_LANG_ZH);
        assert_lacks(html, "<script");
        assert_lacks(html, "<img");
        assert_lacks(html, "<b>");
        assert_lacks(html, "<svg onload");
        assert_lacks(html, "\x01");
        assert_true(g_utf8_validate(html, -1, NULL));
        GPtrArray *svgs = parse_svgs(html);
        assert_int_equal(svgs->len, 3);
        int n;
        char *labels = xpath_strings(svgs->pdata[0], "//text[@class='label']", &n);
        assert_int_equal(n, 2);
        /* the XML parser reads back the data's text as it was */
        assert_contains(labels, l == 0 ? "<svg onload=x>\"'&</svg>" : "<b>\"行业'&amp;</b>]]>");
        assert_contains(labels, "…"); /* the long name cut to fit */
        g_free(labels);
        char *tips = xpath_strings(svgs->pdata[0], "//rect[@class='bar']/title", &n);
        assert_contains(tips, l == 0 ? "a very very very very very very very very long sector "
                                       "name indeed"
                                     : "一个非常非常非常非常非常非常非常非常非常非常非常长的行业名称");
        g_free(tips);
        g_ptr_array_unref(svgs);
        g_free(html);
    }
    tm_selection_free(sel);
    tm_rules_free(r);
    tm_programme_free(p);
    tm_taxonomy_free(tax);
}

static void test_write(void **state)
{
    (void)state;
    TmProgramme *p;
    TmSelection *sel = seed_selection(&p);
    char *tmp = g_dir_make_tmp("tm-html-XXXXXX", NULL);
    char *out = g_build_filename(tmp, "out", NULL);
    TmOutputOptions *o = tm_output_options_new();
    tm_output_options_set_language(o, TM_LANG_ZH);
    GError *err = NULL;
    for (int round = 0; round < 2; round++) { /* the second replaces the first */
        assert_true(tm_selection_write_with(sel, out, o, &err));
        assert_null(err);
    }
    char *path = g_build_filename(out, "report.html", NULL);
    char *written = NULL;
    assert_true(g_file_get_contents(path, &written, NULL, NULL));
    char *direct = tm_selection_report_html(sel, o, &err);
    assert_string_equal(written, direct);
    assert_contains(written, "<html lang=\"zh-CN\">");
    g_free(written);
    g_free(direct);
    /* the old entry point writes it too (English) */
    assert_true(tm_selection_write(sel, out, &err));
    assert_true(g_file_get_contents(path, &written, NULL, NULL));
    assert_contains(written, "<html lang=\"en\">");
    g_free(written);
    g_free(path);
    tm_output_options_free(o);
    char *cmd[] = {(char *)"rm", (char *)"-rf", tmp, NULL};
    assert_true(g_spawn_sync(NULL, cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                             NULL));
    g_free(out);
    g_free(tmp);
    tm_selection_free(sel);
    tm_programme_free(p);
}

static void test_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    assert_null(tm_selection_report_html(NULL, NULL, &err));
    assert_true(g_error_matches(err, TM_ERROR, TM_ERROR_INVALID_ARGUMENT));
    g_clear_error(&err);
}

/* `write SEED OUT LANG`: the output set of the seed, for chromium_check.py */
static int write_set(const char *seed, const char *out, const char *lang_name)
{
    GError *err = NULL;
    TmLang lang;
    TmProgramme *p = tm_programme_new(NULL);
    TmConfig *cfg = NULL;
    TmSelection *sel = NULL;
    TmOutputOptions *o = tm_output_options_new();
    gboolean ok = tm_lang_parse(lang_name, &lang, &err) &&
                  tm_forms_read_dir(p, seed, TM_FORMS_STRICT, NULL, &err) &&
                  (cfg = tm_config_load_for_dir(seed, &err)) != NULL &&
                  (sel = tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL,
                                             &err)) != NULL;
    if (ok) {
        tm_output_options_set_language(o, lang);
        ok = tm_selection_write_with(sel, out, o, &err);
    }
    if (!ok)
        fprintf(stderr, "test_report_html write: %s\n", err ? err->message : "failed");
    g_clear_error(&err);
    tm_output_options_free(o);
    tm_selection_free(sel);
    tm_config_free(cfg);
    tm_programme_free(p);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "write") == 0)
        return write_set(argv[2], argv[3], argv[4]);
    const struct CMUnitTest all[] = {
        cmocka_unit_test(test_seed_en), cmocka_unit_test(test_seed_zh),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_write),
        cmocka_unit_test(test_errors),
    };
    static const char *const names[] = {"seed_en", "seed_zh", "hostile", "write", "errors"};
    if (argc == 2)
        for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
            if (strcmp(argv[1], names[i]) == 0)
                return _cmocka_run_group_tests(names[i], &all[i], 1, NULL, NULL);
    if (argc != 1) {
        fprintf(stderr, "usage: test_report_html [GROUP] | write SEED OUT en|zh\n");
        return 2;
    }
    int rc = cmocka_run_group_tests(all, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
