/* Fuzz harness: the configuration reader (tm_config_load_data).
 * Properties:
 *   - a failed load returns NULL with TM_ERROR_PARSE whose UTF-8 message
 *     starts `fuzz.ini:LINE: `; the same text fails the same way again;
 *   - a loaded configuration is consistent: sector codes [a-z0-9_-]+,
 *     unique, names UTF-8; every quota sector is a taxonomy code, with
 *     floor <= cap (when a cap is set); the quota total >= -1;
 *   - what was read reloads to the same thing: the configuration written
 *     back (tm_rules_to_data() plus [quota], [taxonomy] and [sector.CODE]
 *     groups, written with GKeyFile so values are escaped) loads to equal
 *     rules (the same tm_rules_to_data() text), quota and taxonomy;
 *   - the rules part agrees with tm_rules_load_data() of the same text
 *     (which ignores the non-rules groups): it loads, to the same rules. */
#include "fuzz_common.h"

static void check_failure(const GError *err, const char *data, size_t size)
{
    fz_check_error(err, "tm_config_load_data");
    FZ_CHECK(err->code == TM_ERROR_PARSE, "config: code %d: %s", err->code, err->message);
    const char *m = err->message;
    FZ_CHECK(g_str_has_prefix(m, "fuzz.ini:"), "config message without the source: %s", m);
    const char *q = m + strlen("fuzz.ini:");
    FZ_CHECK(g_ascii_isdigit(*q), "config message without a line: %s", m);
    while (g_ascii_isdigit(*q))
        q++;
    FZ_CHECK(q[0] == ':' && q[1] == ' ', "config message: %s", m);
    GError *e2 = NULL;
    TmConfig *c2 = tm_config_load_data(data, (gssize)size, "fuzz.ini", &e2);
    FZ_CHECK(c2 == NULL && e2 && strcmp(e2->message, m) == 0, "a second load differs");
    g_error_free(e2);
}

static void check_consistent(const TmConfig *cfg)
{
    const TmTaxonomy *t = tm_config_taxonomy(cfg);
    const TmQuota *q = tm_config_quota(cfg);
    FZ_CHECK(t && q && tm_config_rules(cfg), "config parts missing");
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(t); i++) {
        const char *code = tm_taxonomy_code(t, i);
        fz_check_text(code, "sector code");
        FZ_CHECK(code[0] != '\0' && strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") ==
                                        strlen(code),
                 "sector code '%s'", code);
        fz_check_text(tm_taxonomy_name_zh(t, i), "sector zh");
        fz_check_text(tm_taxonomy_name_en(t, i), "sector en");
        for (int32_t j = 0; j < i; j++)
            FZ_CHECK(strcmp(code, tm_taxonomy_code(t, j)) != 0, "sector '%s' twice", code);
    }
    FZ_CHECK(tm_quota_total(q) >= -1, "quota total %d", tm_quota_total(q));
    for (int32_t i = 0; i < tm_quota_n_sectors(q); i++) {
        const char *code = tm_quota_sector_code(q, i);
        int32_t cap = -2, floor = -2;
        FZ_CHECK(code && tm_quota_sector(q, code, &cap, &floor), "quota sector %d", i);
        gboolean known = FALSE;
        for (int32_t j = 0; j < tm_taxonomy_n_sectors(t); j++)
            known = known || strcmp(code, tm_taxonomy_code(t, j)) == 0;
        FZ_CHECK(known, "quota sector '%s' is not in the taxonomy", code);
        FZ_CHECK(cap >= -1 && floor >= 0 && (cap < 0 || floor <= cap),
                 "sector '%s': cap %d floor %d", code, cap, floor);
    }
}

static char *write_config(const TmConfig *cfg)
{
    gsize len = 0;
    char *rules = tm_rules_to_data(tm_config_rules(cfg), &len);
    FZ_CHECK(rules != NULL, "tm_rules_to_data");
    GKeyFile *kf = g_key_file_new();
    GError *err = NULL;
    FZ_CHECK(g_key_file_load_from_data(kf, rules, len, G_KEY_FILE_NONE, &err),
             "tm_rules_to_data is not a key file: %s", err ? err->message : "?");
    g_free(rules);
    const TmQuota *q = tm_config_quota(cfg);
    const TmTaxonomy *t = tm_config_taxonomy(cfg);
    if (tm_quota_total(q) < 0)
        g_key_file_set_string(kf, "quota", "total", "none");
    else
        g_key_file_set_integer(kf, "quota", "total", tm_quota_total(q));
    GString *codes = g_string_new(NULL);
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(t); i++)
        g_string_append_printf(codes, "%s%s", i ? ";" : "", tm_taxonomy_code(t, i));
    g_key_file_set_string(kf, "taxonomy", "sectors", codes->str);
    g_string_free(codes, TRUE);
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(t); i++) {
        char *group = g_strdup_printf("sector.%s", tm_taxonomy_code(t, i));
        g_key_file_set_string(kf, group, "zh", tm_taxonomy_name_zh(t, i));
        g_key_file_set_string(kf, group, "en", tm_taxonomy_name_en(t, i));
        int32_t cap = -1, floor = 0;
        if (tm_quota_sector(q, tm_taxonomy_code(t, i), &cap, &floor)) {
            if (cap < 0)
                g_key_file_set_string(kf, group, "cap", "none");
            else
                g_key_file_set_integer(kf, group, "cap", cap);
            g_key_file_set_integer(kf, group, "floor", floor);
        }
        g_free(group);
    }
    char *text = g_key_file_to_data(kf, NULL, NULL);
    g_key_file_free(kf);
    return text;
}

static void check_equal(const TmConfig *a, const TmConfig *b, const char *text)
{
    char *ra = tm_rules_to_data(tm_config_rules(a), NULL);
    char *rb = tm_rules_to_data(tm_config_rules(b), NULL);
    FZ_CHECK(strcmp(ra, rb) == 0, "rules differ after reload:\n%s\n---\n%s", ra, rb);
    g_free(ra);
    g_free(rb);
    const TmQuota *qa = tm_config_quota(a), *qb = tm_config_quota(b);
    FZ_CHECK(tm_quota_total(qa) == tm_quota_total(qb), "quota total differs after reload");
    const TmTaxonomy *ta = tm_config_taxonomy(a), *tb = tm_config_taxonomy(b);
    FZ_CHECK(tm_taxonomy_n_sectors(ta) == tm_taxonomy_n_sectors(tb), "sector count differs");
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(ta); i++) {
        const char *code = tm_taxonomy_code(ta, i);
        FZ_CHECK(strcmp(code, tm_taxonomy_code(tb, i)) == 0 &&
                     strcmp(tm_taxonomy_name_zh(ta, i), tm_taxonomy_name_zh(tb, i)) == 0 &&
                     strcmp(tm_taxonomy_name_en(ta, i), tm_taxonomy_name_en(tb, i)) == 0,
                 "sector %d differs after reload ('%s' / '%s', en '%s' / '%s'):\n%s", i, code,
                 tm_taxonomy_code(tb, i), tm_taxonomy_name_en(ta, i), tm_taxonomy_name_en(tb, i),
                 text);
        int32_t ca = -1, fa = 0, cb = -1, fb = 0;
        gboolean ha = tm_quota_sector(qa, code, &ca, &fa);
        gboolean hb = tm_quota_sector(qb, code, &cb, &fb);
        /* limits written as cap=none floor=0 may read back as "no limits" */
        FZ_CHECK(ca == cb && fa == fb && (ha == hb || (ca < 0 && fa == 0)),
                 "limits of '%s' differ after reload: %d/%d vs %d/%d", code, ca, fa, cb, fb);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_data((const char *)data, (gssize)size, "fuzz.ini", &err);
    if (cfg == NULL) {
        check_failure(err, (const char *)data, size);
        g_error_free(err);
        return 0;
    }
    FZ_CHECK(err == NULL, "a loaded configuration with an error set");
    FZ_CHECK(g_strcmp0(tm_config_source(cfg), "fuzz.ini") == 0, "config source");
    check_consistent(cfg);

    char *text = write_config(cfg);
    TmConfig *again = tm_config_load_data(text, -1, "rewritten.ini", &err);
    FZ_CHECK(again != NULL, "the configuration written back does not load: %s\n%s",
             err ? err->message : "?", text);
    check_equal(cfg, again, text);
    tm_config_free(again);
    g_free(text);

    TmRules *rules = tm_rules_new_default();
    gboolean ok = tm_rules_load_data(rules, (const char *)data, (gssize)size, "fuzz.ini", &err);
    FZ_CHECK(ok, "tm_rules_load_data refuses what tm_config_load_data read: %s",
             err ? err->message : "?");
    char *r1 = tm_rules_to_data(rules, NULL), *r2 = tm_rules_to_data(tm_config_rules(cfg), NULL);
    FZ_CHECK(strcmp(r1, r2) == 0, "tm_rules_load_data and tm_config_load_data read other rules");
    g_free(r1);
    g_free(r2);
    tm_rules_free(rules);
    tm_config_free(cfg);
    return 0;
}
