/* techmatch — the configuration object (config.h): one parse of one file
 * into the rules, the quota and sector limits, and the sector taxonomy. */
#include <string.h>

#include <glib.h>

#include <techmatch/config.h>

#include "programme/config_internal.h"

struct TmConfig {
    gint refcount;
    char *source;          /* NULL for the defaults */
    TmRules *rules;
    TmQuota *quota;
    TmTaxonomy *taxonomy;
};

static TmConfig *config_alloc(void)
{
    TmConfig *c = g_new0(TmConfig, 1);
    c->refcount = 1;
    c->rules = tm_rules_new_default();
    c->quota = tm_quota_new();
    tm_quota_set_total(c->quota, TM_CONFIG_DEFAULT_QUOTA, NULL);
    return c;
}

TmConfig *tm_config_new_default(void)
{
    TmConfig *c = config_alloc();
    c->taxonomy = tm_taxonomy_new_default();
    return c;
}

TmConfig *tm_config_ref(TmConfig *config)
{
    if (config)
        g_atomic_int_inc(&config->refcount);
    return config;
}

void tm_config_free(TmConfig *config)
{
    if (config == NULL || !g_atomic_int_dec_and_test(&config->refcount))
        return;
    tm_rules_free(config->rules);
    tm_quota_free(config->quota);
    tm_taxonomy_free(config->taxonomy);
    g_free(config->source);
    g_free(config);
}

/* ---- the taxonomy: [taxonomy] sectors, names in [sector.CODE] ---------------- */

/* The sector codes: [taxonomy] sectors, or the default taxonomy's. */
static char **sector_codes(const TmConfigSource *src, const TmTaxonomy *defaults,
                           GError **error)
{
    if (!g_key_file_has_key(src->kf, "taxonomy", "sectors", NULL)) {
        int32_t n = tm_taxonomy_n_sectors(defaults);
        char **codes = g_new0(char *, (gsize)n + 1);
        for (int32_t k = 0; k < n; k++)
            codes[k] = g_strdup(tm_taxonomy_code(defaults, k));
        return codes;
    }
    char *text = g_key_file_get_string(src->kf, "taxonomy", "sectors", NULL);
    char **codes = tm_i_split_list(text ? text : "");
    g_free(text);
    if (codes[0] == NULL) {
        tm_i_config_error(error, src, "taxonomy", "sectors",
                          "expected at least one sector code");
        g_strfreev(codes);
        return NULL;
    }
    return codes;
}

/* Name @key ("zh"/"en") of sector @code: from [sector.CODE], else the
 * default taxonomy's when @code is one of its codes, else NULL (the code).
 * Sets *@ok to FALSE with @error for an empty or unreadable name. */
static char *sector_name(const TmConfigSource *src, const TmTaxonomy *defaults,
                         const char *code, const char *key, gboolean *ok, GError **error)
{
    char *group = g_strconcat(TM_I_SECTOR_PREFIX, code, NULL);
    char *name = NULL;
    if (g_key_file_has_key(src->kf, group, key, NULL)) {
        GError *e = NULL;
        name = g_key_file_get_string(src->kf, group, key, &e);
        if (name != NULL)
            g_strstrip(name);
        /* GKeyFile returns a value *and* an error for a bad escape (`x\q`) */
        if (name == NULL || name[0] == '\0' || e != NULL) {
            tm_i_config_error(error, src, group, key, "%s",
                              e ? e->message : "expected a non-empty name");
            g_clear_error(&e);
            g_clear_pointer(&name, g_free);
            *ok = FALSE;
        }
    } else {
        for (int32_t k = 0; k < tm_taxonomy_n_sectors(defaults); k++)
            if (strcmp(tm_taxonomy_code(defaults, k), code) == 0)
                name = g_strdup(key[0] == 'z' ? tm_taxonomy_name_zh(defaults, k)
                                              : tm_taxonomy_name_en(defaults, k));
    }
    g_free(group);
    return name;
}

static TmTaxonomy *read_taxonomy(const TmConfigSource *src, GError **error)
{
    static const char *const allowed[] = {"sectors", NULL};
    char **keys = g_key_file_get_keys(src->kf, "taxonomy", NULL, NULL);
    for (gsize i = 0; keys && keys[i]; i++)
        if (!g_strv_contains(allowed, keys[i])) {
            tm_i_config_error(error, src, "taxonomy", keys[i], "unknown key (expected: sectors)");
            g_strfreev(keys);
            return NULL;
        }
    g_strfreev(keys);
    TmTaxonomy *defaults = tm_taxonomy_new_default();
    TmTaxonomy *tax = NULL;
    char **codes = sector_codes(src, defaults, error);
    if (codes != NULL)
        tax = tm_taxonomy_new();
    gboolean ok = codes != NULL;
    for (gsize i = 0; ok && codes[i]; i++) {
        char *zh = sector_name(src, defaults, codes[i], "zh", &ok, error);
        char *en = ok ? sector_name(src, defaults, codes[i], "en", &ok, error) : NULL;
        GError *e = NULL;
        if (ok && tm_taxonomy_add_sector(tax, codes[i], zh, en, &e) < 0) {
            tm_i_config_error(error, src, "taxonomy", "sectors", "%s", e->message);
            g_error_free(e);
            ok = FALSE;
        }
        g_free(zh);
        g_free(en);
    }
    g_strfreev(codes); /* frees codes: the analyser does not model g_strfreev() */
    // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
    tm_taxonomy_free(defaults);
    if (!ok)
        g_clear_pointer(&tax, tm_taxonomy_free);
    return tax;
}

/* ---- groups ---------------------------------------------------------------- */

static char *known_codes(const TmTaxonomy *tax)
{
    GString *s = g_string_new(NULL);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++)
        g_string_append_printf(s, "%s%s", k ? ", " : "", tm_taxonomy_code(tax, k));
    return g_string_free(s, FALSE);
}

/* Every group is known, every [sector.CODE] names a sector of @tax. */
static gboolean check_groups(const TmConfigSource *src, const TmTaxonomy *tax, GError **error)
{
    char **groups = g_key_file_get_groups(src->kf, NULL);
    gboolean ok = TRUE;
    for (gsize i = 0; ok && groups[i]; i++) {
        const char *g = groups[i];
        if (tm_i_rules_owns_group(g) || strcmp(g, "quota") == 0 || strcmp(g, "taxonomy") == 0)
            continue;
        if (g_str_has_prefix(g, TM_I_SECTOR_PREFIX)) {
            const char *code = g + strlen(TM_I_SECTOR_PREFIX);
            for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++)
                if (strcmp(tm_taxonomy_code(tax, k), code) == 0)
                    goto next;
            char *known = known_codes(tax);
            tm_i_config_error(error, src, g, NULL,
                              "unknown sector code '%s' (the sectors are %s; new sectors "
                              "are listed in [taxonomy] sectors)",
                              code, known);
            g_free(known);
            ok = FALSE;
            continue;
        }
        tm_i_config_error(error, src, g, NULL,
                          "unknown group (expected rules, weights.commissioner, weights.site, "
                          "scoring, candidates, consent, quota, taxonomy or sector.CODE)");
        ok = FALSE;
    next:;
    }
    g_strfreev(groups);
    return ok;
}

static TmConfig *config_from_source(const TmConfigSource *src, GError **error)
{
    TmTaxonomy *tax = read_taxonomy(src, error);
    if (tax == NULL)
        return NULL;
    TmConfig *c = config_alloc();
    c->taxonomy = tax;
    c->source = g_strdup(src->source);
    if (!check_groups(src, tax, error) || !tm_i_rules_apply(c->rules, src, error)
        || !tm_i_rules_check_taxonomy_at(c->rules, tax, src, error)
        || !tm_i_quota_apply(c->quota, src, error)) {
        tm_config_free(c);
        return NULL;
    }
    return c;
}

TmConfig *tm_config_load_data(const char *data, gssize len, const char *source_name,
                              GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    TmConfigSource *src = tm_i_config_source_new(data, len, source_name, error);
    if (src == NULL)
        return NULL;
    TmConfig *c = config_from_source(src, error);
    tm_i_config_source_free(src);
    return c;
}

TmConfig *tm_config_load_file(const char *path, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    TmConfigSource *src = tm_i_config_source_new_file(path, error);
    if (src == NULL)
        return NULL;
    TmConfig *c = config_from_source(src, error);
    tm_i_config_source_free(src);
    return c;
}

TmConfig *tm_config_load_for_dir(const char *dir, GError **error)
{
    if (dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "directory must not be NULL");
        return NULL;
    }
    char *path = g_build_filename(dir, TM_CONFIG_FILE_NAME, NULL);
    TmConfig *c = g_file_test(path, G_FILE_TEST_IS_REGULAR) ? tm_config_load_file(path, error)
                                                             : tm_config_new_default();
    g_free(path);
    return c;
}

const char *tm_config_source(const TmConfig *config)
{
    return config ? config->source : NULL;
}

const TmRules *tm_config_rules(const TmConfig *config)
{
    return config ? config->rules : NULL;
}

const TmQuota *tm_config_quota(const TmConfig *config)
{
    return config ? config->quota : NULL;
}

const TmTaxonomy *tm_config_taxonomy(const TmConfig *config)
{
    return config ? config->taxonomy : NULL;
}

gboolean tm_config_set_quota_total(TmConfig *config, int32_t total, GError **error)
{
    if (config == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "config must not be NULL");
        return FALSE;
    }
    return tm_quota_set_total(config->quota, total, error);
}

gboolean tm_config_set_quota_unit(TmConfig *config, TmQuotaUnit unit, GError **error)
{
    if (config == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "config must not be NULL");
        return FALSE;
    }
    return tm_quota_set_unit(config->quota, unit, error);
}

TmRules *tm_config_rules_mutable(TmConfig *config)
{
    return config ? config->rules : NULL;
}

gboolean tm_config_set_sector(TmConfig *config, const char *sector, int32_t cap,
                              int32_t floor, GError **error)
{
    if (config == NULL || sector == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "config and sector must not be NULL");
        return FALSE;
    }
    int32_t i = tm_taxonomy_find(config->taxonomy, sector);
    if (i < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                    "sector '%s' is not a sector of the taxonomy", sector);
        return FALSE;
    }
    return tm_quota_set_sector(config->quota, tm_taxonomy_code(config->taxonomy, i), cap,
                               floor, error);
}

char *tm_config_to_data(const TmConfig *config, gsize *len)
{
    if (len)
        *len = 0;
    if (config == NULL)
        return NULL;
    char *rules = tm_rules_to_data(config->rules, NULL);
    GKeyFile *kf = g_key_file_new();
    /* our own text: it always parses */
    gboolean ok = g_key_file_load_from_data(kf, rules, (gsize)-1, G_KEY_FILE_NONE, NULL);
    g_free(rules);
    if (!ok) {
        g_key_file_free(kf);
        return NULL;
    }
    int32_t total = tm_quota_total(config->quota);
    if (total < 0)
        g_key_file_set_value(kf, "quota", "total", "none");
    else
        g_key_file_set_integer(kf, "quota", "total", total);
    g_key_file_set_value(kf, "quota", "counts",
                         tm_quota_unit_code(tm_quota_unit(config->quota)));
    const TmTaxonomy *tax = config->taxonomy;
    GString *codes = g_string_new(NULL);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++)
        g_string_append_printf(codes, "%s%s", k ? ";" : "", tm_taxonomy_code(tax, k));
    g_key_file_set_value(kf, "taxonomy", "sectors", codes->str);
    g_string_free(codes, TRUE);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++) {
        const char *code = tm_taxonomy_code(tax, k);
        char *group = g_strconcat(TM_I_SECTOR_PREFIX, code, NULL);
        g_key_file_set_string(kf, group, "zh", tm_taxonomy_name_zh(tax, k));
        g_key_file_set_string(kf, group, "en", tm_taxonomy_name_en(tax, k));
        int32_t cap = -1, floor = 0;
        if (tm_quota_sector(config->quota, code, &cap, &floor)) {
            if (cap >= 0)
                g_key_file_set_integer(kf, group, "cap", cap);
            if (floor > 0)
                g_key_file_set_integer(kf, group, "floor", floor);
        }
        g_free(group);
    }
    char *out = g_key_file_to_data(kf, len, NULL);
    g_key_file_free(kf);
    return out;
}
