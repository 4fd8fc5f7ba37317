/* techmatch — the reasons of a selection in English and in Chinese (issue 11):
 * on the bundled example (seeds/jinshui-2011, its own settings) every
 * agent's reason
 *   - in Chinese has no English word but the data's own names and codes
 *     (agents, units, sector codes) and rule codes;
 *   - in English has no Chinese but the data's names and the form headers
 *     kept in brackets ("title (职称): ...");
 *   - names the same agents, units, sectors, rule codes and numbers in both
 *     (each extracted from both texts and compared as multisets): the
 *     translation lost no fact;
 * and the English reason is the outcome's label and tm_selection_outcome()'s
 * detail (that detail stays English, whatever the language asked).
 * A few texts are checked word for word.  TM_REASONS_PRINT=1 prints them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>
#include <techmatch/config.h>
#include <techmatch/explain.h>
#include <techmatch/forms.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/selection.h>

typedef struct {
    char *text; /* the token as it appears */
    char *key;  /* the fact it stands for ("c:3", "sector:2", "rule:C_TITLE") */
    gboolean zh_ok, en_ok; /* may appear in a Chinese / English text */
    gboolean explain_ok;   /* may appear in English explain texts (sector names) */
} Token;

typedef struct {
    TmProgramme *p;
    TmRules *rules;
    TmQuota *q;
    TmSelection *sel;
    GPtrArray *tokens; /* Token *, longest text first */
} Fixture;

static void token_free(gpointer data)
{
    Token *t = data;
    g_free(t->text);
    g_free(t->key);
    g_free(t);
}

static void add_token(GPtrArray *a, const char *text, const char *key, gboolean zh_ok,
                      gboolean en_ok)
{
    if (text == NULL || text[0] == '\0')
        return;
    Token *t = g_new0(Token, 1);
    t->text = g_strdup(text);
    t->key = g_strdup(key);
    t->zh_ok = zh_ok;
    t->en_ok = en_ok;
    g_ptr_array_add(a, t);
}

static gint longest_first(gconstpointer a, gconstpointer b)
{
    const Token *x = *(Token *const *)a, *y = *(Token *const *)b;
    size_t lx = strlen(x->text), ly = strlen(y->text);
    return lx != ly ? (lx < ly ? 1 : -1) : strcmp(x->text, y->text);
}

/* The form headers English keeps in brackets. */
static const char *const FORM_LABELS[] = {"(职称)",   "(单位类型)", "(单位支持)",   "(专长)",
                                          "(服务方向)", "(服务对象)", "(服务年限)", "(类型)",
                                          "(卫生服务站)", "(行业)",   "(距离)",
                                          "(科技特派员)", "(派驻点)"};

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    GError *err = NULL;
    char *dir = g_build_filename(TM_SOURCE_DIR, "seeds", "jinshui-2011", NULL);
    TmConfig *cfg = tm_config_load_for_dir(dir, &err);
    if (cfg == NULL)
        fail_msg("%s", err->message);
    f->p = tm_programme_new(tm_config_taxonomy(cfg));
    if (!tm_forms_read_dir(f->p, dir, TM_FORMS_STRICT, NULL, &err))
        fail_msg("%s", err->message);
    g_free(dir);
    f->rules = tm_rules_copy(tm_config_rules(cfg));
    f->q = tm_quota_copy(tm_config_quota(cfg));
    tm_config_free(cfg);
    f->sel = tm_programme_select(f->p, f->rules, f->q, NULL, &err);
    if (f->sel == NULL)
        fail_msg("%s", err->message);

    f->tokens = g_ptr_array_new_with_free_func(token_free);
    char key[64];
    for (int32_t c = 0; c < tm_programme_n_commissioners(f->p); c++) {
        const TmCommissioner *ci = tm_programme_commissioner(f->p, c);
        g_snprintf(key, sizeof key, "c:%d", (int)c);
        add_token(f->tokens, ci->name, key, TRUE, TRUE);
        g_snprintf(key, sizeof key, "unit:%s", ci->unit ? ci->unit : "");
        add_token(f->tokens, ci->unit, key, TRUE, TRUE);
    }
    for (int32_t s = 0; s < tm_programme_n_sites(f->p); s++) {
        g_snprintf(key, sizeof key, "s:%d", (int)s);
        add_token(f->tokens, tm_programme_site(f->p, s)->name, key, TRUE, TRUE);
    }
    const TmTaxonomy *tax = tm_programme_taxonomy(f->p);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++) {
        g_snprintf(key, sizeof key, "sector:%d", (int)k);
        add_token(f->tokens, tm_taxonomy_code(tax, k), key, TRUE, TRUE);
        add_token(f->tokens, tm_taxonomy_name_zh(tax, k), key, TRUE, FALSE);
        ((Token *)g_ptr_array_index(f->tokens, f->tokens->len - 1))->explain_ok = TRUE;
        add_token(f->tokens, tm_taxonomy_name_en(tax, k), key, FALSE, TRUE);
    }
    for (int32_t r = 0; r < tm_rules_n_rules(); r++) {
        g_snprintf(key, sizeof key, "rule:%s", tm_rule_code(r));
        add_token(f->tokens, tm_rule_code(r), key, TRUE, TRUE);
    }
    add_token(f->tokens, "C_DIRECTION.target", "rule:C_DIRECTION.target", TRUE, TRUE);
    for (size_t i = 0; i < G_N_ELEMENTS(FORM_LABELS); i++)
        add_token(f->tokens, FORM_LABELS[i], "", FALSE, TRUE);
    g_ptr_array_sort(f->tokens, longest_first);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    g_ptr_array_unref(f->tokens);
    tm_selection_free(f->sel);
    tm_quota_free(f->q);
    tm_rules_free(f->rules);
    tm_programme_free(f->p);
    g_free(f);
    return 0;
}

static gboolean word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_';
}

/* Replaces every occurrence of @needle in @s by one blank; an ASCII end of
 * @needle must be a word's end in @s ("agri" is not in "agricultural"). */
static int cut(GString *s, const char *needle)
{
    int n = 0;
    size_t len = strlen(needle);
    gboolean w0 = word_char(needle[0]), w1 = word_char(needle[len - 1]);
    size_t from = 0;
    char *at;
    while ((at = strstr(s->str + from, needle)) != NULL) {
        gssize pos = at - s->str;
        if ((w0 && pos > 0 && word_char(s->str[pos - 1])) || (w1 && word_char(at[len]))) {
            from = (size_t)pos + 1;
            continue;
        }
        g_string_erase(s, pos, (gssize)len);
        g_string_insert_c(s, pos, ' ');
        from = (size_t)pos;
        n++;
    }
    return n;
}

static gint by_text(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The facts of @text in @lang: the keys of the tokens it holds (longest
 * first, each cut out before the shorter ones are looked for) and its
 * numbers, sorted; *@rest receives what is left (g_free()). */
static char *facts_in(const Fixture *f, const char *text, TmLang lang, gboolean explain,
                      char **rest)
{
    GString *s = g_string_new(text);
    GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < f->tokens->len; i++) {
        const Token *t = g_ptr_array_index(f->tokens, i);
        if (!(lang == TM_LANG_ZH ? t->zh_ok : t->en_ok || (explain && t->explain_ok)))
            continue;
        int n = cut(s, t->text);
        for (int j = 0; j < n && t->key[0] != '\0'; j++)
            g_ptr_array_add(found, g_strdup(t->key));
    }
    /* numbers: digits with an optional decimal part */
    for (const char *c = s->str; *c;) {
        if (g_ascii_isdigit(*c)) {
            const char *b = c;
            while (g_ascii_isdigit(*c) || (*c == '.' && g_ascii_isdigit(c[1])))
                c++;
            g_ptr_array_add(found, g_strdup_printf("n:%.*s", (int)(c - b), b));
        } else {
            c++;
        }
    }
    g_ptr_array_sort(found, by_text);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < found->len; i++)
        g_string_append_printf(out, "%s%s", i ? " " : "", (char *)g_ptr_array_index(found, i));
    g_ptr_array_unref(found);
    *rest = g_string_free(s, FALSE);
    return g_string_free(out, FALSE);
}

static char *facts(const Fixture *f, const char *text, TmLang lang, char **rest)
{
    return facts_in(f, text, lang, FALSE, rest);
}

static gboolean has_ascii_word(const char *s)
{
    for (; *s; s++)
        if (g_ascii_isalpha(*s))
            return TRUE;
    return FALSE;
}

static gboolean has_cjk(const char *s)
{
    for (const char *c = s; *c; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        if ((u >= 0x3000 && u <= 0x9FFF) || (u >= 0xFF00 && u <= 0xFFEF))
            return TRUE;
    }
    return FALSE;
}

static void test_both_languages(void **state)
{
    Fixture *f = *state;
    gboolean print = g_getenv("TM_REASONS_PRINT") != NULL;
    int n_facts = 0, n_reasons = 0;
    for (int side = 0; side < 2; side++) {
        for (int32_t id = 0; id < tm_selection_n_agents(f->sel, (TmSide)side); id++) {
            char *en = tm_selection_reason(f->sel, (TmSide)side, id, TM_LANG_EN);
            char *zh = tm_selection_reason(f->sel, (TmSide)side, id, TM_LANG_ZH);
            assert_non_null(en);
            assert_non_null(zh);
            assert_true(g_utf8_validate(en, -1, NULL));
            assert_true(g_utf8_validate(zh, -1, NULL));
            if (print)
                printf("%s\n%s\n\n", en, zh);
            char *en_rest, *zh_rest;
            char *en_facts = facts(f, en, TM_LANG_EN, &en_rest);
            char *zh_facts = facts(f, zh, TM_LANG_ZH, &zh_rest);
            if (has_ascii_word(zh_rest))
                fail_msg("English in the Chinese reason: %s (left: %s)", zh, zh_rest);
            if (has_cjk(en_rest))
                fail_msg("Chinese in the English reason: %s (left: %s)", en, en_rest);
            if (strcmp(en_facts, zh_facts) != 0)
                fail_msg("the reasons differ in their facts:\n  %s\n  [%s]\n  %s\n  [%s]", en,
                         en_facts, zh, zh_facts);
            n_facts += en_facts[0] != '\0';
            n_reasons++;
            /* the English reason: label and the outcome's (English) detail */
            const char *detail = NULL;
            int o = tm_selection_outcome(f->sel, (TmSide)side, id, &detail);
            if (o != TM_OUTCOME_INELIGIBLE) {
                char *want = detail ? g_strdup_printf("%s: %s", tm_outcome_label(o, TM_LANG_EN),
                                                      detail)
                                    : g_strdup(tm_outcome_label(o, TM_LANG_EN));
                assert_string_equal(en, want);
                g_free(want);
            }
            /* AUTO: the forms' headers are Chinese on the example */
            char *au = tm_selection_reason(f->sel, (TmSide)side, id, TM_LANG_AUTO);
            assert_string_equal(au, tm_programme_language(f->p) == TM_LANG_ZH ? zh : en);
            g_free(au);
            g_free(en_facts);
            g_free(zh_facts);
            g_free(en_rest);
            g_free(zh_rest);
            g_free(en);
            g_free(zh);
        }
    }
    /* not vacuous: most reasons name someone or something */
    assert_int_equal(n_reasons, tm_programme_n_commissioners(f->p) + tm_programme_n_sites(f->p));
    assert_true(n_facts > n_reasons / 3);
}

static char *reason_of(const Fixture *f, TmSide side, const char *name, TmLang lang)
{
    int32_t id = side == TM_SIDE_SUPPLY ? tm_programme_find_commissioner(f->p, name)
                                        : tm_programme_find_site(f->p, name);
    assert_true(id >= 0);
    return tm_selection_reason(f->sel, side, id, lang);
}

static void expect_reason(const Fixture *f, TmSide side, const char *name, TmLang lang,
                          const char *want)
{
    char *got = reason_of(f, side, name, lang);
    assert_string_equal(got, want);
    g_free(got);
}

static void test_known_texts(void **state)
{
    Fixture *f = *state;
    expect_reason(f, TM_SIDE_SUPPLY, "罗敏", TM_LANG_ZH,
                  "因选派名额已满未选派：选派名额（30 名特派员或团队）在按评分择优录取至罗敏"
                  "（评分 71.0，分数线）时已满");
    expect_reason(f, TM_SIDE_SUPPLY, "罗敏", TM_LANG_EN,
                  "cut by the quota: the quota of 30 commissioners or teams was full when the "
                  "admission in merit order reached 罗敏 (merit 71.0, the cutoff)");
    expect_reason(f, TM_SIDE_SUPPLY, "孙浩", TM_LANG_ZH,
                  "不符合条件（规则 C_TITLE）：职称：初级，须为中级及以上");
    expect_reason(f, TM_SIDE_SUPPLY, "孙浩", TM_LANG_EN,
                  "ineligible by rule C_TITLE: title (职称): junior title — needs intermediate "
                  "title or above");
    expect_reason(f, TM_SIDE_SUPPLY, "周晓燕", TM_LANG_ZH,
                  "不符合条件（规则 C_SUPPORT）：单位支持：否（河南工业大学），派出单位须同意选派");
    expect_reason(f, TM_SIDE_DEMAND, "杜岭街道金水路社区", TM_LANG_ZH,
                  "不符合条件（规则 S_CLINIC）：卫生服务站：无，社区派驻点须设有社区卫生服务站");
    /* every "X took the place at Y": "X已占Y的名额", the same two named */
    int n_outranked = 0;
    for (int32_t c = 0; c < tm_programme_n_commissioners(f->p); c++) {
        const char *detail = NULL;
        tm_selection_outcome(f->sel, TM_SIDE_SUPPLY, c, &detail);
        const char *took = detail ? strstr(detail, " took the place at ") : NULL;
        if (took == NULL)
            continue;
        const char *who = g_strrstr_len(detail, took - detail, ": ");
        who = who ? who + 2 : detail;
        char *by = g_strndup(who, (gsize)(took - who));
        char *want = g_strdup_printf("%s已占%s的名额", by, took + strlen(" took the place at "));
        char *got = tm_selection_reason(f->sel, TM_SIDE_SUPPLY, c, TM_LANG_ZH);
        assert_true(g_str_has_suffix(got, want));
        assert_non_null(strstr(got, "被排名更靠前者占先"));
        g_free(got);
        g_free(want);
        g_free(by);
        n_outranked++;
    }
    assert_true(n_outranked > 0);
}

/* The vocabularies' words: Chinese as tm_*_label_zh(), English without
 * Chinese, AUTO as English, NULL out of range. */
static void test_vocabulary_labels(void **state)
{
    (void)state;
    for (int t = 0; t < TM_N_TITLES; t++) {
        assert_string_equal(tm_title_label((TmTitle)t, TM_LANG_ZH), tm_title_label_zh((TmTitle)t));
        assert_false(has_cjk(tm_title_label((TmTitle)t, TM_LANG_EN)));
        assert_string_equal(tm_title_label((TmTitle)t, TM_LANG_AUTO),
                            tm_title_label((TmTitle)t, TM_LANG_EN));
    }
    for (int k = 0; k < TM_N_UNIT_KINDS; k++) {
        assert_string_equal(tm_unit_kind_label((TmUnitKind)k, TM_LANG_ZH),
                            tm_unit_kind_label_zh((TmUnitKind)k));
        assert_false(has_cjk(tm_unit_kind_label((TmUnitKind)k, TM_LANG_EN)));
    }
    for (int k = 0; k < TM_N_SITE_KINDS; k++) {
        assert_string_equal(tm_site_kind_label((TmSiteKind)k, TM_LANG_ZH),
                            tm_site_kind_label_zh((TmSiteKind)k));
        assert_false(has_cjk(tm_site_kind_label((TmSiteKind)k, TM_LANG_EN)));
    }
    assert_string_equal(tm_site_kind_label(TM_SITE_HIGH_TECH, TM_LANG_EN), "high-tech enterprise");
    assert_string_equal(tm_unit_kind_label(TM_UNIT_INSTITUTE, TM_LANG_EN), "research institute");
    assert_non_null(strstr(tm_title_label(TM_TITLE_SENIOR, TM_LANG_EN), "associate professor"));
    assert_null(tm_title_label((TmTitle)TM_N_TITLES, TM_LANG_EN));
    assert_null(tm_unit_kind_label((TmUnitKind)-1, TM_LANG_ZH));
    assert_null(tm_site_kind_label((TmSiteKind)TM_N_SITE_KINDS, TM_LANG_ZH));
    for (int32_t r = 0; r < tm_rules_n_rules(); r++) {
        assert_string_equal(tm_rule_summary_lang(r, TM_LANG_ZH), tm_rule_summary_zh(r));
        assert_string_equal(tm_rule_summary_lang(r, TM_LANG_EN), tm_rule_summary(r));
        assert_string_equal(tm_rule_summary_lang(r, TM_LANG_AUTO), tm_rule_summary(r));
    }
    assert_null(tm_rule_summary_lang(-1, TM_LANG_ZH));
}


/* @en and @zh (either may be NULL: both must be) say the same facts, the
 * Chinese without English and the English without Chinese. */
static void same_facts(const Fixture *f, const char *en, const char *zh, const char *what)
{
    if (en == NULL || zh == NULL) {
        if (en != zh)
            fail_msg("%s: one language has no text: %s / %s", what, en ? en : "NULL",
                     zh ? zh : "NULL");
        return;
    }
    char *en_rest, *zh_rest;
    char *ef = facts_in(f, en, TM_LANG_EN, TRUE, &en_rest);
    char *zf = facts_in(f, zh, TM_LANG_ZH, TRUE, &zh_rest);
    if (has_ascii_word(zh_rest))
        fail_msg("%s: English in the Chinese: %s (left: %s)", what, zh, zh_rest);
    if (has_cjk(en_rest))
        fail_msg("%s: Chinese in the English: %s (left: %s)", what, en, en_rest);
    if (strcmp(ef, zf) != 0)
        fail_msg("%s: the texts differ in their facts:\n  %s\n  [%s]\n  %s\n  [%s]", what, en,
                 ef, zh, zf);
    g_free(ef);
    g_free(zf);
    g_free(en_rest);
    g_free(zh_rest);
}

/* Every agent's explanation in both languages: the outcome sentence and
 * detail, every row's value at fault and why-not state the same facts; the
 * Chinese text output has no English but names and codes (and the English
 * one stays as tm_selection_explain_agent() writes it). */
static void test_explain_both_languages(void **state)
{
    Fixture *f = *state;
    GError *err = NULL;
    int n_why = 0, n_fault = 0;
    for (int side = 0; side < 2; side++) {
        for (int32_t id = 0; id < tm_selection_n_agents(f->sel, (TmSide)side); id++) {
            TmExplanation *en = tm_selection_explain_agent_lang(f->sel, (TmSide)side, id,
                                                                TM_LANG_EN, &err);
            TmExplanation *zh = tm_selection_explain_agent_lang(f->sel, (TmSide)side, id,
                                                                TM_LANG_ZH, &err);
            TmExplanation *old = tm_selection_explain_agent(f->sel, (TmSide)side, id, &err);
            assert_non_null(en);
            assert_non_null(zh);
            assert_non_null(old);
            assert_int_equal(tm_explanation_language(en), TM_LANG_EN);
            assert_int_equal(tm_explanation_language(zh), TM_LANG_ZH);
            same_facts(f, tm_explanation_outcome_text(en), tm_explanation_outcome_text(zh),
                       "outcome");
            const char *de, *dz, *dsel;
            tm_explanation_outcome(en, &de);
            tm_explanation_outcome(zh, &dz);
            tm_selection_outcome(f->sel, (TmSide)side, id, &dsel);
            same_facts(f, de, dz, "detail");
            if (dsel)
                assert_string_equal(de, dsel); /* English: the selection's detail */
            assert_int_equal(tm_explanation_n_rows(en), tm_explanation_n_rows(zh));
            for (int32_t i = 0; i < tm_explanation_n_rows(en); i++) {
                same_facts(f, tm_explanation_row_why_text(en, i),
                           tm_explanation_row_why_text(zh, i), "why");
                same_facts(f, tm_explanation_row_fault(en, i), tm_explanation_row_fault(zh, i),
                           "fault");
                n_why += tm_explanation_row_why_text(en, i) != NULL;
                n_fault += tm_explanation_row_fault(en, i) != NULL;
                assert_int_equal(tm_explanation_row_why(en, i), tm_explanation_row_why(zh, i));
            }
            char *te = tm_explanation_to_text(en, -1, &err);
            char *tz = tm_explanation_to_text(zh, -1, &err);
            char *to = tm_explanation_to_text(old, -1, &err);
            assert_string_equal(te, to); /* English is the default */
            char *rest;
            g_free(facts_in(f, tz, TM_LANG_ZH, TRUE, &rest));
            if (has_ascii_word(rest))
                fail_msg("English in the Chinese explanation:\n%s\nleft:\n%s", tz, rest);
            g_free(rest);
            g_free(facts_in(f, te, TM_LANG_EN, TRUE, &rest));
            if (has_cjk(rest))
                fail_msg("Chinese in the English explanation:\n%s\nleft:\n%s", te, rest);
            g_free(rest);
            /* the JSON: the same keys and codes, the texts in the language */
            char *je = tm_explanation_to_json(en, &err), *jz = tm_explanation_to_json(zh, &err);
            assert_non_null(strstr(je, "\"outcome\""));
            assert_non_null(strstr(jz, "\"outcome\""));
            g_free(je);
            g_free(jz);
            g_free(te);
            g_free(tz);
            g_free(to);
            tm_explanation_free(en);
            tm_explanation_free(zh);
            tm_explanation_free(old);
        }
    }
    assert_true(n_why > 0);
    assert_true(n_fault > 0);
    /* AUTO: the programme's language */
    TmExplanation *au = tm_selection_explain_agent_lang(f->sel, TM_SIDE_SUPPLY, 0, TM_LANG_AUTO,
                                                        &err);
    assert_int_equal(tm_explanation_language(au), tm_programme_language(f->p) == TM_LANG_ZH
                                                      ? TM_LANG_ZH
                                                      : TM_LANG_EN);
    tm_explanation_free(au);
    assert_int_equal(tm_explanation_language(NULL), TM_LANG_EN);
}

/* The dropped wishes' reasons: English as tm_selection_wish_reason(), the
 * Chinese with the same facts and no English. */
static void test_wish_reasons(void **state)
{
    Fixture *f = *state;
    int n = 0;
    for (int side = 0; side < 2; side++) {
        for (int32_t id = 0; id < tm_selection_n_agents(f->sel, (TmSide)side); id++) {
            for (int32_t i = 0;; i++) {
                int fate = tm_selection_wish_fate(f->sel, (TmSide)side, id, i);
                if (fate < 0)
                    break;
                char *old = tm_selection_wish_reason(f->sel, (TmSide)side, id, i);
                char *en = tm_selection_wish_reason_lang(f->sel, (TmSide)side, id, i,
                                                         TM_LANG_EN);
                char *zh = tm_selection_wish_reason_lang(f->sel, (TmSide)side, id, i,
                                                         TM_LANG_ZH);
                if (fate == TM_WISH_KEPT) {
                    assert_null(en);
                    assert_null(zh);
                } else {
                    assert_string_equal(en, old);
                    /* English keeps "(只接受所列意向)" as it always did */
                    GString *e2 = g_string_new(en);
                    cut(e2, "(只接受所列意向)");
                    cut(e2, "(领导小组审核)");
                    same_facts(f, e2->str, zh, "wish");
                    g_string_free(e2, TRUE);
                    n++;
                }
                g_free(old);
                g_free(en);
                g_free(zh);
            }
        }
    }
    assert_true(n > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_languages),
        cmocka_unit_test(test_known_texts),
        cmocka_unit_test(test_vocabulary_labels),
        cmocka_unit_test(test_explain_both_languages),
        cmocka_unit_test(test_wish_reasons),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
