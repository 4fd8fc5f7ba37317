/* techmatch — the quota: a global cap on assignments and per-sector caps and
 * floors (selection.h), and reading them from a configuration's [quota] and
 * [sector.CODE] groups (the parser shared with TmConfig, config_internal.h). */
#include <string.h>

#include <glib.h>

#include <techmatch/selection.h>

#include "programme/config_internal.h"

typedef struct {
    char *code;
    int32_t cap, floor;
} SectorQuota;

struct TmQuota {
    int32_t total;
    TmQuotaUnit unit;
    GArray *sectors; /* SectorQuota, in the order first set */
};

static void sector_quota_clear(gpointer p)
{
    g_free(((SectorQuota *)p)->code);
}

TmQuota *tm_quota_new(void)
{
    TmQuota *q = g_new0(TmQuota, 1);
    q->total = -1;
    q->sectors = g_array_new(FALSE, FALSE, sizeof(SectorQuota));
    g_array_set_clear_func(q->sectors, sector_quota_clear);
    return q;
}

TmQuota *tm_quota_copy(const TmQuota *quota)
{
    if (quota == NULL)
        return NULL;
    TmQuota *q = tm_quota_new();
    q->total = quota->total;
    q->unit = quota->unit;
    for (guint i = 0; i < quota->sectors->len; i++) {
        SectorQuota sq = g_array_index(quota->sectors, SectorQuota, i);
        sq.code = g_strdup(sq.code);
        g_array_append_val(q->sectors, sq);
    }
    return q;
}

void tm_quota_free(TmQuota *q)
{
    if (q == NULL)
        return;
    g_array_unref(q->sectors);
    g_free(q);
}

gboolean tm_quota_set_total(TmQuota *q, int32_t total, GError **error)
{
    if (q == NULL || total < -1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "quota total must be >= 0 or -1 for none (got %" G_GINT32_FORMAT ")", total);
        return FALSE;
    }
    q->total = total;
    return TRUE;
}

int32_t tm_quota_total(const TmQuota *q)
{
    return q ? q->total : -1;
}

const char *tm_quota_unit_code(TmQuotaUnit unit)
{
    static const char *const codes[] = {"people", "assignments"};
    return (unsigned)unit < G_N_ELEMENTS(codes) ? codes[unit] : NULL;
}

int tm_quota_unit_from_string(const char *text)
{
    static const struct {
        const char *text;
        TmQuotaUnit unit;
    } names[] = {
        {"people", TM_QUOTA_PEOPLE},      {"commissioners", TM_QUOTA_PEOPLE},
        {"teams", TM_QUOTA_PEOPLE},       {"persons", TM_QUOTA_PEOPLE},
        {"人", TM_QUOTA_PEOPLE},          {"人数", TM_QUOTA_PEOPLE},
        {"assignments", TM_QUOTA_ASSIGNMENTS}, {"pairs", TM_QUOTA_ASSIGNMENTS},
        {"派驻点次", TM_QUOTA_ASSIGNMENTS},
    };
    if (text == NULL)
        return -1;
    char *key = g_strstrip(g_strdup(text));
    int found = -1;
    for (gsize i = 0; i < G_N_ELEMENTS(names) && found < 0; i++)
        if (g_ascii_strcasecmp(key, names[i].text) == 0)
            found = (int)names[i].unit;
    g_free(key);
    return found;
}

gboolean tm_quota_set_unit(TmQuota *q, TmQuotaUnit unit, GError **error)
{
    if (q == NULL || tm_quota_unit_code(unit) == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    q ? "quota unit %d is neither people (0) nor assignments (1)"
                      : "quota must not be NULL",
                    (int)unit);
        return FALSE;
    }
    q->unit = unit;
    return TRUE;
}

TmQuotaUnit tm_quota_unit(const TmQuota *q)
{
    return q ? q->unit : TM_QUOTA_PEOPLE;
}

static SectorQuota *find_sector(const TmQuota *q, const char *code)
{
    for (guint i = 0; q && code && i < q->sectors->len; i++) {
        SectorQuota *sq = &g_array_index(q->sectors, SectorQuota, i);
        if (strcmp(sq->code, code) == 0)
            return sq;
    }
    return NULL;
}

gboolean tm_quota_set_sector(TmQuota *q, const char *code, int32_t cap, int32_t floor,
                             GError **error)
{
    if (q == NULL || code == NULL || cap < -1 || floor < 0 || (cap >= 0 && floor > cap)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector %s: cap %" G_GINT32_FORMAT " / floor %" G_GINT32_FORMAT
                    " invalid (cap >= 0 or -1 for none, 0 <= floor <= cap)",
                    code ? code : "(null)", cap, floor);
        return FALSE;
    }
    SectorQuota *sq = find_sector(q, code);
    if (sq == NULL) {
        SectorQuota fresh = {g_strdup(code), cap, floor};
        g_array_append_val(q->sectors, fresh);
        return TRUE;
    }
    sq->cap = cap;
    sq->floor = floor;
    return TRUE;
}

gboolean tm_quota_sector(const TmQuota *q, const char *code, int32_t *cap, int32_t *floor)
{
    const SectorQuota *sq = find_sector(q, code);
    if (cap)
        *cap = sq ? sq->cap : -1;
    if (floor)
        *floor = sq ? sq->floor : 0;
    return sq != NULL;
}

int32_t tm_quota_n_sectors(const TmQuota *q)
{
    return q ? (int32_t)q->sectors->len : 0;
}

const char *tm_quota_sector_code(const TmQuota *q, int32_t i)
{
    if (q == NULL || i < 0 || (guint)i >= q->sectors->len)
        return NULL;
    return g_array_index(q->sectors, SectorQuota, i).code;
}

/* ---- the configuration's [quota] and [sector.CODE] groups ---------------- */

/* Reads the integer @key of @group (>= 0; `none` = -1 when @none_ok) into
 * *@out; absent: *@out unchanged. */
static gboolean quota_int(const TmConfigSource *src, const char *group, const char *key,
                          gboolean none_ok, int32_t *out, GError **error)
{
    char *text = g_key_file_get_value(src->kf, group, key, NULL);
    if (text == NULL)
        return TRUE;
    g_strstrip(text);
    int64_t v = 0;
    gboolean ok = TRUE;
    if (none_ok && g_ascii_strcasecmp(text, "none") == 0)
        v = -1;
    else if (!tm_i_parse_int64(text, 0, G_MAXINT32, &v))
        ok = FALSE;
    if (ok)
        *out = (int32_t)v;
    else
        tm_i_config_error(error, src, group, key, "\"%s\" is not an integer >= 0%s", text,
                          none_ok ? " or none" : "");
    g_free(text);
    return ok;
}

/* [quota] counts = people | assignments; absent: *@out unchanged. */
static gboolean quota_unit(const TmConfigSource *src, TmQuotaUnit *out, GError **error)
{
    char *text = g_key_file_get_value(src->kf, "quota", "counts", NULL);
    if (text == NULL)
        return TRUE;
    int unit = tm_quota_unit_from_string(text);
    if (unit >= 0)
        *out = (TmQuotaUnit)unit;
    else
        tm_i_config_error(error, src, "quota", "counts",
                          "\"%s\" is neither people (commissioners or teams sent) nor "
                          "assignments (commissioner-site pairs)",
                          g_strstrip(text));
    g_free(text);
    return unit >= 0;
}

/* Checks that every key of @group is one of @allowed (NULL-terminated). */
static gboolean known_keys(const TmConfigSource *src, const char *group,
                           const char *const *allowed, const char *expected, GError **error)
{
    char **keys = g_key_file_get_keys(src->kf, group, NULL, NULL);
    gboolean ok = TRUE;
    for (gsize k = 0; ok && keys && keys[k]; k++) {
        ok = g_strv_contains(allowed, keys[k]);
        if (!ok)
            tm_i_config_error(error, src, group, keys[k], "unknown key (expected: %s)",
                              expected);
    }
    g_strfreev(keys);
    return ok;
}

static gboolean apply_sector(TmQuota *q, const TmConfigSource *src, const char *group,
                             GError **error)
{
    static const char *const allowed[] = {"cap", "floor", "zh", "en", NULL};
    if (!known_keys(src, group, allowed, "cap, floor, zh, en", error))
        return FALSE;
    const char *code = group + strlen(TM_I_SECTOR_PREFIX);
    int32_t cap = -1, floor = 0;
    tm_quota_sector(q, code, &cap, &floor);
    if (!quota_int(src, group, "cap", TRUE, &cap, error)
        || !quota_int(src, group, "floor", FALSE, &floor, error))
        return FALSE;
    if (cap >= 0 && floor > cap) {
        tm_i_config_error(error, src, group, "floor",
                          "floor %" G_GINT32_FORMAT " exceeds cap %" G_GINT32_FORMAT, floor,
                          cap);
        return FALSE;
    }
    return tm_quota_set_sector(q, code, cap, floor, error);
}

gboolean tm_i_quota_apply(TmQuota *quota, const TmConfigSource *src, GError **error)
{
    TmQuota *tmp = tm_quota_copy(quota);
    gboolean ok = TRUE;
    if (g_key_file_has_group(src->kf, "quota")) {
        static const char *const allowed[] = {"total", "counts", NULL};
        ok = known_keys(src, "quota", allowed, "total, counts", error)
             && quota_int(src, "quota", "total", TRUE, &tmp->total, error)
             && quota_unit(src, &tmp->unit, error);
    }
    char **groups = g_key_file_get_groups(src->kf, NULL);
    for (gsize i = 0; ok && groups[i]; i++)
        if (g_str_has_prefix(groups[i], TM_I_SECTOR_PREFIX))
            ok = apply_sector(tmp, src, groups[i], error);
    g_strfreev(groups);
    if (ok) {
        TmQuota swap = *quota;
        *quota = *tmp;
        *tmp = swap;
    }
    tm_quota_free(tmp);
    return ok;
}

gboolean tm_quota_load_data(TmQuota *q, const char *data, gssize len, const char *source_name,
                            GError **error)
{
    if (q == NULL || data == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "quota and data must not be NULL");
        return FALSE;
    }
    TmConfigSource *src = tm_i_config_source_new(data, len, source_name, error);
    if (src == NULL)
        return FALSE;
    gboolean ok = tm_i_quota_apply(q, src, error);
    tm_i_config_source_free(src);
    return ok;
}

gboolean tm_quota_load_file(TmQuota *q, const char *path, GError **error)
{
    if (q == NULL || path == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "quota and path must not be NULL");
        return FALSE;
    }
    TmConfigSource *src = tm_i_config_source_new_file(path, error);
    if (src == NULL)
        return FALSE;
    gboolean ok = tm_i_quota_apply(q, src, error);
    tm_i_config_source_free(src);
    return ok;
}
