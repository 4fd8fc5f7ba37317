/* techmatch — the taxonomy of sectors (TmTaxonomy, see profile.h): codes,
 * Chinese and English names, and finding a sector by any of them. */
#include <string.h>

#include "programme/profile_private.h"

typedef struct {
    char *code;
    char *name_zh;
    char *name_en;
} Sector;

struct TmTaxonomy {
    GPtrArray *sectors;     /* Sector*, owned */
    GHashTable *by_code;    /* normalized code -> index + 1 (keys owned) */
    GHashTable *by_name;    /* normalized zh/en name -> index + 1 (first wins) */
};

static void sector_free(gpointer p)
{
    Sector *s = p;
    g_free(s->code);
    g_free(s->name_zh);
    g_free(s->name_en);
    g_free(s);
}

TmTaxonomy *tm_taxonomy_new(void)
{
    TmTaxonomy *t = g_new0(TmTaxonomy, 1);
    t->sectors = g_ptr_array_new_with_free_func(sector_free);
    t->by_code = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return t;
}

static const struct {
    const char *code, *zh, *en;
} default_sectors[] = {
    {"eit", "电子信息", "electronic information"},
    {"culture", "文化创意", "cultural & creative"},
    {"food", "食品加工", "food processing"},
    {"materials", "新材料", "new materials"},
    {"agri", "农业农村", "rural & agriculture"},
    {"health", "社区卫生", "community health"},
};

TmTaxonomy *tm_taxonomy_new_default(void)
{
    TmTaxonomy *t = tm_taxonomy_new();
    for (gsize i = 0; i < G_N_ELEMENTS(default_sectors); i++)
        (void)tm_taxonomy_add_sector(t, default_sectors[i].code, default_sectors[i].zh,
                                     default_sectors[i].en, NULL);
    return t;
}

TmTaxonomy *tm_taxonomy_copy(const TmTaxonomy *taxonomy)
{
    if (taxonomy == NULL)
        return NULL;
    TmTaxonomy *t = tm_taxonomy_new();
    for (guint i = 0; i < taxonomy->sectors->len; i++) {
        const Sector *s = g_ptr_array_index(taxonomy->sectors, i);
        (void)tm_taxonomy_add_sector(t, s->code, s->name_zh, s->name_en, NULL);
    }
    return t;
}

void tm_taxonomy_free(TmTaxonomy *taxonomy)
{
    if (taxonomy == NULL)
        return;
    g_ptr_array_unref(taxonomy->sectors);
    g_hash_table_destroy(taxonomy->by_code);
    g_hash_table_destroy(taxonomy->by_name);
    g_free(taxonomy);
}

static gboolean sector_code_ok(const char *code)
{
    if (code == NULL || *code == '\0')
        return FALSE;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return FALSE;
    }
    return TRUE;
}

int32_t tm_taxonomy_add_sector(TmTaxonomy *taxonomy, const char *code, const char *name_zh,
                               const char *name_en, GError **error)
{
    if (taxonomy == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "taxonomy is NULL");
        return -1;
    }
    if (!sector_code_ok(code)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector code '%s' is not of the form [a-z0-9_-]+",
                    code != NULL && g_utf8_validate(code, -1, NULL) ? code : "(invalid)");
        return -1;
    }
    if (!tm_i_profile_utf8_ok(name_zh) || !tm_i_profile_utf8_ok(name_en)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector '%s': name is not valid UTF-8", code);
        return -1;
    }
    if (g_hash_table_contains(taxonomy->by_code, code)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE, "sector code '%s' is already used",
                    code);
        return -1;
    }
    if (taxonomy->sectors->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many sectors");
        return -1;
    }
    Sector *s = g_new0(Sector, 1);
    s->code = g_strdup(code);
    s->name_zh = g_strdup(name_zh != NULL && *name_zh ? name_zh : code);
    s->name_en = g_strdup(name_en != NULL && *name_en ? name_en : code);
    int32_t idx = (int32_t)taxonomy->sectors->len;
    g_ptr_array_add(taxonomy->sectors, s);
    g_hash_table_insert(taxonomy->by_code, g_strdup(code), GINT_TO_POINTER(idx + 1));
    const char *names[2] = {s->name_zh, s->name_en};
    for (int k = 0; k < 2; k++) {
        char *key = tm_i_profile_key(names[k]);
        if (*key == '\0' || g_hash_table_contains(taxonomy->by_name, key))
            g_free(key);
        else
            g_hash_table_insert(taxonomy->by_name, key, GINT_TO_POINTER(idx + 1));
    }
    return idx;
}

int32_t tm_taxonomy_n_sectors(const TmTaxonomy *taxonomy)
{
    return taxonomy == NULL ? 0 : (int32_t)taxonomy->sectors->len;
}

static const Sector *sector_at(const TmTaxonomy *t, int32_t i)
{
    if (t == NULL || i < 0 || (guint)i >= t->sectors->len)
        return NULL;
    return g_ptr_array_index(t->sectors, i);
}

const char *tm_taxonomy_code(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->code : NULL;
}

const char *tm_taxonomy_name_zh(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->name_zh : NULL;
}

const char *tm_taxonomy_name_en(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->name_en : NULL;
}

int32_t tm_taxonomy_find(const TmTaxonomy *taxonomy, const char *text)
{
    if (taxonomy == NULL || text == NULL)
        return -1;
    char *key = tm_i_profile_key(text);
    gpointer v = NULL;
    if (*key != '\0' && !g_hash_table_lookup_extended(taxonomy->by_code, key, NULL, &v))
        (void)g_hash_table_lookup_extended(taxonomy->by_name, key, NULL, &v);
    g_free(key);
    return v == NULL ? -1 : GPOINTER_TO_INT(v) - 1;
}
