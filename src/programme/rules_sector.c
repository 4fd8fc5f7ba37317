/* techmatch — S_SECTOR's list of leading industries (rules.h): setting it
 * from text, and resolving it against a programme's taxonomy for the
 * screening, the fault texts and tm_rules_check_taxonomy(). */
#include "programme/rules_internal.h"
#include "programme/config_internal.h"

static gboolean null_arg(const void *p, const char *what, GError **error)
{
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s must not be NULL", what);
        return TRUE;
    }
    return FALSE;
}

gboolean tm_i_leading_set(TmRules *r, const char *list, GError **error)
{
    char **items = tm_i_split_list(list);
    GString *joined = g_string_new(NULL);
    gboolean ok = TRUE;
    for (int i = 0; ok && items[i] != NULL; i++) {
        if (!g_utf8_validate(items[i], -1, NULL)) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "S_SECTOR.leading: item %d is not valid UTF-8", i + 1);
            ok = FALSE;
            break;
        }
        gboolean seen = FALSE;
        for (int j = 0; j < i && !seen; j++)
            seen = g_ascii_strcasecmp(items[i], items[j]) == 0;
        if (seen)
            continue;
        if (joined->len > 0)
            g_string_append_c(joined, ';');
        g_string_append(joined, items[i]);
    }
    if (ok && joined->len >= sizeof r->leading) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "S_SECTOR.leading: the list is %" G_GSIZE_FORMAT
                    " bytes long, at most %d are allowed", joined->len,
                    (int)sizeof r->leading - 1);
        ok = FALSE;
    }
    if (ok)
        g_strlcpy(r->leading, joined->str, sizeof r->leading);
    g_string_free(joined, TRUE);
    g_strfreev(items);
    return ok;
}

gboolean tm_rules_set_leading_sectors(TmRules *rules, const char *list, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(list, "list", error))
        return FALSE;
    return tm_i_leading_set(rules, list, error);
}

const char *tm_rules_leading_sectors(const TmRules *rules)
{
    return rules ? rules->leading : NULL;
}

char **tm_i_leading_items(const TmRules *r)
{
    return tm_i_split_list(r->leading);
}

guint8 *tm_i_leading_resolve(const TmRules *r, const TmTaxonomy *taxonomy, GError **error)
{
    int32_t n = tm_taxonomy_n_sectors(taxonomy);
    guint8 *flags = tm_i_try_alloc(n > 0 ? n : 1, 1, TRUE, "leading sectors", error);
    if (flags == NULL || !r->enabled[TM_R_S_SECTOR])
        return flags;
    char **items = tm_i_leading_items(r);
    for (int i = 0; items[i] != NULL; i++) {
        int32_t k = tm_taxonomy_find(taxonomy, items[i]);
        if (k < 0) {
            GString *codes = g_string_new(NULL);
            for (int32_t j = 0; j < n; j++)
                g_string_append_printf(codes, "%s%s", j ? ", " : "",
                                       tm_taxonomy_code(taxonomy, j));
            g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                        "S_SECTOR.leading: '%s' is not a sector of the programme's taxonomy "
                        "(%s); list leading industries by their codes or names, or turn "
                        "S_SECTOR off",
                        items[i], codes->str);
            g_string_free(codes, TRUE);
            g_strfreev(items);
            g_free(flags);
            return NULL;
        }
        flags[k] = 1;
    }
    g_strfreev(items);
    return flags;
}

gboolean tm_rules_check_taxonomy(const TmRules *rules, const TmTaxonomy *taxonomy,
                                 GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(taxonomy, "taxonomy", error))
        return FALSE;
    guint8 *flags = tm_i_leading_resolve(rules, taxonomy, error);
    g_free(flags);
    return flags != NULL;
}

gboolean tm_rules_sector_leading(const TmRules *rules, const TmTaxonomy *taxonomy,
                                 int32_t sector)
{
    if (rules == NULL || taxonomy == NULL || sector < 0
        || sector >= tm_taxonomy_n_sectors(taxonomy))
        return FALSE;
    char **items = tm_i_leading_items(rules);
    gboolean found = FALSE;
    for (int i = 0; !found && items[i] != NULL; i++)
        found = tm_taxonomy_find(taxonomy, items[i]) == sector;
    g_strfreev(items);
    return found;
}
