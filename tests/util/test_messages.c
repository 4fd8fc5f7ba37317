/* util.catalogue, util.parse: the message catalogue (util/messages.h) and
 * the language names (lang.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include <techmatch/techmatch.h>

#include "util/messages.h"

/* The conversions of a printf format, one string per conversion without its
 * position ("s", ".1f", "d", "" G_GINT32_FORMAT ...), ordered by argument:
 * numbered conversions (%2$s) at their number, the others in order.  A
 * format that mixes the two, skips a number or uses one twice is refused
 * (NULL), as printf would misbehave on it. */
static GPtrArray *conversions(const char *fmt, char **why)
{
    GPtrArray *byarg = g_ptr_array_new_with_free_func(g_free);
    int numbered = -1; /* unknown, 0 no, 1 yes */
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        if (*p == '\0') {
            *why = g_strdup("a lone % at the end");
            goto bad;
        }
        const char *q = p;
        int pos = 0;
        while (*q >= '0' && *q <= '9')
            pos = pos * 10 + (*q++ - '0');
        gboolean has_pos = *q == '$' && q > p;
        if (has_pos)
            p = q + 1;
        else
            pos = 0;
        if (numbered >= 0 && numbered != (has_pos ? 1 : 0)) {
            *why = g_strdup("numbered and plain conversions mixed");
            goto bad;
        }
        numbered = has_pos ? 1 : 0;
        const char *start = p;
        while (*p && strchr("-+ #0123456789.'", *p))
            p++;
        if (*p == '*') {
            *why = g_strdup("a * width");
            goto bad;
        }
        while (*p && strchr("hlLqjzt", *p))
            p++;
        if (*p == '\0' || !strchr("diouxXeEfgGcsp", *p)) {
            *why = g_strdup_printf("an unknown conversion at '%s'", start);
            goto bad;
        }
        char *conv = g_strndup(start, (gsize)(p - start + 1));
        int index = has_pos ? pos - 1 : (int)byarg->len;
        if (index < 0 || index > 64) {
            g_free(conv);
            *why = g_strdup("a conversion number out of range");
            goto bad;
        }
        if ((guint)index >= byarg->len)
            g_ptr_array_set_size(byarg, (guint)index + 1);
        if (byarg->pdata[index] != NULL) {
            g_free(conv);
            *why = g_strdup_printf("argument %d used twice", index + 1);
            goto bad;
        }
        byarg->pdata[index] = conv;
    }
    for (guint i = 0; i < byarg->len; i++)
        if (byarg->pdata[i] == NULL) {
            *why = g_strdup_printf("argument %u is never used", i + 1);
            goto bad;
        }
    return byarg;
bad:
    g_ptr_array_unref(byarg);
    return NULL;
}

static gboolean has_cjk(const char *s)
{
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x303F) ||
            (c >= 0xFF00 && c <= 0xFFEF))
            return TRUE;
    }
    return FALSE;
}

/* Texts that are the same in both languages on purpose (symbols, codes):
 * none has letters to translate. */
static gboolean has_ascii_letter(const char *s)
{
    for (const char *p = s; *p; p++)
        if (*p == '%') {
            p++;
            while (*p && !strchr("diouxXeEfgGcsp%", *p))
                p++;
            if (!*p)
                break;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            return TRUE;
        }
    return FALSE;
}

static void test_catalogue(void **state)
{
    (void)state;
    assert_true(TM_M_N_MESSAGES > 0);
    GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
    int failures = 0;
    for (int i = 0; i < (int)TM_M_N_MESSAGES; i++) {
        const char *name = tm_i_msg_name((TmMsgId)i);
        const char *en = tm_i_msg(TM_LANG_EN, (TmMsgId)i);
        const char *zh = tm_i_msg(TM_LANG_ZH, (TmMsgId)i);
        assert_non_null(name);
        assert_false(g_hash_table_contains(names, name));
        g_hash_table_add(names, (gpointer)name);
        /* AUTO and out-of-range languages read as English */
        assert_ptr_equal(tm_i_msg(TM_LANG_AUTO, (TmMsgId)i), en);
        assert_ptr_equal(tm_i_msg((TmLang)7, (TmMsgId)i), en);
        if (en[0] == '\0' || zh[0] == '\0') {
            print_error("%s: an empty text\n", name);
            failures++;
            continue;
        }
        if (!g_utf8_validate(en, -1, NULL) || !g_utf8_validate(zh, -1, NULL)) {
            print_error("%s: not UTF-8\n", name);
            failures++;
            continue;
        }
        /* a Chinese text is Chinese, unless the message has no words at all */
        if (has_ascii_letter(en) && !has_cjk(zh) && strcmp(en, zh) == 0) {
            print_error("%s: the Chinese text is the English one: \"%s\"\n", name, zh);
            failures++;
        }
        char *why = NULL;
        GPtrArray *ce = conversions(en, &why);
        if (ce == NULL) {
            print_error("%s (en): %s: \"%s\"\n", name, why, en);
            g_free(why);
            failures++;
            continue;
        }
        GPtrArray *cz = conversions(zh, &why);
        if (cz == NULL) {
            print_error("%s (zh): %s: \"%s\"\n", name, why, zh);
            g_free(why);
            g_ptr_array_unref(ce);
            failures++;
            continue;
        }
        gboolean same = ce->len == cz->len;
        for (guint k = 0; same && k < ce->len; k++)
            same = strcmp(ce->pdata[k], cz->pdata[k]) == 0;
        if (!same) {
            print_error("%s: the conversions differ: \"%s\" / \"%s\"\n", name, en, zh);
            failures++;
        }
        g_ptr_array_unref(ce);
        g_ptr_array_unref(cz);
    }
    g_hash_table_unref(names);
    assert_int_equal(failures, 0);
    /* out of range */
    assert_string_equal(tm_i_msg(TM_LANG_EN, TM_M_N_MESSAGES), "");
    assert_null(tm_i_msg_name(TM_M_N_MESSAGES));
    assert_int_equal(tm_i_lang_pick(TM_LANG_AUTO, TM_LANG_ZH), TM_LANG_ZH);
    assert_int_equal(tm_i_lang_pick(TM_LANG_AUTO, TM_LANG_AUTO), TM_LANG_EN);
    assert_int_equal(tm_i_lang_pick(TM_LANG_EN, TM_LANG_ZH), TM_LANG_EN);
}

/* The checker itself: formats that must be refused or must differ. */
static void test_checker(void)
{
    char *why = NULL;
    GPtrArray *a = conversions("%2$s 的 %1$d", &why);
    assert_non_null(a);
    assert_int_equal(a->len, 2);
    assert_string_equal(a->pdata[0], "d");
    assert_string_equal(a->pdata[1], "s");
    g_ptr_array_unref(a);
    a = conversions("%d of %s, 100%%", &why);
    assert_non_null(a);
    assert_int_equal(a->len, 2);
    g_ptr_array_unref(a);
    const char *bad[] = {"%1$s %s", "%2$s", "%1$s %1$s", "%*d", "100%", "%y"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        why = NULL;
        assert_null(conversions(bad[i], &why));
        assert_non_null(why);
        g_free(why);
    }
}

static void test_parse(void **state)
{
    (void)state;
    test_checker();
    static const struct {
        const char *text;
        TmLang lang;
    } good[] = {
        {"auto", TM_LANG_AUTO}, {"AUTO", TM_LANG_AUTO},   {"en", TM_LANG_EN},
        {"EN", TM_LANG_EN},     {"en_GB.UTF-8", TM_LANG_EN}, {"en-US", TM_LANG_EN},
        {"english", TM_LANG_EN}, {"C", TM_LANG_EN},        {"zh", TM_LANG_ZH},
        {"zh_CN.UTF-8", TM_LANG_ZH}, {"zh-Hans", TM_LANG_ZH}, {"中文", TM_LANG_ZH},
        {"Chinese", TM_LANG_ZH},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        TmLang l = (TmLang)99;
        GError *err = NULL;
        assert_true(tm_lang_parse(good[i].text, &l, &err));
        assert_null(err);
        assert_int_equal(l, good[i].lang);
    }
    const char *bad[] = {"", "fr", "zhx", "e", "english2", "chinese-ish"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        TmLang l = TM_LANG_EN;
        GError *err = NULL;
        assert_false(tm_lang_parse(bad[i], &l, &err));
        assert_non_null(err);
        assert_true(err->domain == TM_ERROR && err->code == TM_ERROR_INVALID_ARGUMENT);
        assert_int_equal(l, TM_LANG_EN);
        g_error_free(err);
    }
    GError *err = NULL;
    TmLang l;
    assert_false(tm_lang_parse(NULL, &l, &err));
    g_clear_error(&err);
    assert_string_equal(tm_lang_code(TM_LANG_AUTO), "auto");
    assert_string_equal(tm_lang_code(TM_LANG_EN), "en");
    assert_string_equal(tm_lang_code(TM_LANG_ZH), "zh");
    assert_string_equal(tm_lang_code((TmLang)9), "?");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest catalogue[] = {cmocka_unit_test(test_catalogue)};
    const struct CMUnitTest parse[] = {cmocka_unit_test(test_parse)};
    const char *group = argc > 1 ? argv[1] : "";
    if (strcmp(group, "catalogue") == 0)
        return cmocka_run_group_tests(catalogue, NULL, NULL);
    if (strcmp(group, "parse") == 0)
        return cmocka_run_group_tests(parse, NULL, NULL);
    return 2;
}
