/* techmatch — the validation of a profile before it joins a programme (see
 * profile.h and profile_private.h): every field in range, every text valid
 * UTF-8, lists without holes (and, for the wishes, without repeats), names
 * not yet used.  Each message names the profile. */
#include <math.h>

#include <techmatch/tasks.h>

#include "programme/profile_private.h"

static gboolean check_name(const char *what, const char *name, GError **error)
{
    if (name == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: name is NULL", what);
        return FALSE;
    }
    if (!g_utf8_validate(name, -1, NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: name is not valid UTF-8", what);
        return FALSE;
    }
    gsize n;
    (void)tm_i_trim(name, &n);
    if (n == 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: name is empty", what);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_text(const char *who, const char *field, const char *s, GError **error)
{
    if (!tm_i_profile_utf8_ok(s)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s is not valid UTF-8", who, field);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_list(const char *who, const char *field, const char *const *items,
                           int32_t n, gboolean no_repeats, GError **error)
{
    if (n < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s count %d is negative", who, field, (int)n);
        return FALSE;
    }
    if (n > 0 && items == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s is NULL but its count is %d", who, field, (int)n);
        return FALSE;
    }
    for (int32_t i = 0; i < n; i++) {
        if (items[i] == NULL || !g_utf8_validate(items[i], -1, NULL)) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': %s entry %d is %s", who, field, (int)i + 1,
                        items[i] == NULL ? "NULL" : "not valid UTF-8");
            return FALSE;
        }
        gsize len;
        (void)tm_i_trim(items[i], &len);
        if (len == 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': %s entry %d is empty", who, field, (int)i + 1);
            return FALSE;
        }
    }
    if (no_repeats && n > 1) {
        GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
        gboolean ok = TRUE;
        for (int32_t i = 0; i < n && ok; i++) {
            if (!g_hash_table_add(seen, (gpointer)items[i])) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "'%s': %s names '%s' twice", who, field, items[i]);
                ok = FALSE;
            }
        }
        g_hash_table_destroy(seen);
        return ok;
    }
    return TRUE;
}

static gboolean check_location(const char *who, double x, double y, GError **error)
{
    if (!isfinite(x) || !isfinite(y)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': coordinates must be finite", who);
        return FALSE;
    }
    if ((x == TM_NO_LOCATION) != (y == TM_NO_LOCATION)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': give both coordinates x and y or neither", who);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_int_range(const char *who, const char *field, int32_t v, int32_t lo,
                                int32_t hi, GError **error)
{
    if (v < lo || v > hi) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s %d is outside %d..%d", who, field, (int)v, (int)lo, (int)hi);
        return FALSE;
    }
    return TRUE;
}

/* The consent (TmConsent) and the task bits (tasks.h) of a profile. */
static gboolean check_consent_tasks(const char *who, int32_t consent, uint32_t tasks,
                                    GError **error)
{
    if (!check_int_range(who, "consent", consent, TM_CONSENT_DEFAULT, TM_CONSENT_NAMED_ONLY,
                         error))
        return FALSE;
    if ((tasks & ~TM_TASKS_ALL) != 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': task bits 0x%x name no task (the %d task types are bits 0..%d)",
                    who, (unsigned)tasks, TM_N_TASKS, TM_N_TASKS - 1);
        return FALSE;
    }
    return TRUE;
}

/* ---- commissioners ------------------------------------------------------- */

/* The expertise array: sectors of the taxonomy, each at most once, levels
 * 0..3. */
static gboolean check_expertise(const TmProgramme *programme, const TmCommissioner *info,
                                GError **error)
{
    const char *who = info->name;
    int32_t n_sectors = tm_taxonomy_n_sectors(programme->taxonomy);
    if (info->n_expertise < 0 || (info->n_expertise > 0 && info->expertise == NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': bad expertise array (count %d)", who, (int)info->n_expertise);
        return FALSE;
    }
    for (int32_t i = 0; i < info->n_expertise; i++) {
        const TmExpertise *e = &info->expertise[i];
        if (e->sector < 0 || e->sector >= n_sectors) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': expertise sector %d is outside 0..%d", who, (int)e->sector,
                        (int)n_sectors - 1);
            return FALSE;
        }
        if (!check_int_range(who, "expertise level", e->level, 0, 3, error))
            return FALSE;
        for (int32_t j = 0; j < i; j++) {
            if (info->expertise[j].sector == e->sector) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "'%s': sector '%s' appears twice in expertise", who,
                            tm_taxonomy_code(programme->taxonomy, e->sector));
                return FALSE;
            }
        }
    }
    return TRUE;
}

gboolean tm_i_programme_check_commissioner(const TmProgramme *programme,
                                           const TmCommissioner *info, GError **error)
{
    if (!check_name("commissioner", info->name, error))
        return FALSE;
    const char *who = info->name;
    if (!check_int_range(who, "team size", info->team_size, 1, G_MAXINT32, error) ||
        !check_int_range(who, "title", (int32_t)info->title, 0, TM_N_TITLES - 1, error) ||
        !check_int_range(who, "unit kind", (int32_t)info->unit_kind, 0, TM_N_UNIT_KINDS - 1,
                         error) ||
        !check_int_range(who, "service years", info->years, 0, 10, error) ||
        !check_text(who, "unit", info->unit, error) ||
        !check_text(who, "location", info->location, error) ||
        !check_location(who, info->x, info->y, error) ||
        !check_list(who, "skills", info->skills, info->n_skills, FALSE, error) ||
        !check_list(who, "ranked sites", info->ranked_sites, info->n_ranked_sites, TRUE,
                    error) ||
        !check_consent_tasks(who, (int32_t)info->consent, info->tasks, error))
        return FALSE;
    if (!isfinite(info->merit)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "'%s': merit must be finite",
                    who);
        return FALSE;
    }
    if (info->capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "commissioner '%s': capacity %d is negative", who, (int)info->capacity);
        return FALSE;
    }
    if (!check_expertise(programme, info, error))
        return FALSE;
    if (g_hash_table_contains(programme->comm_by_name, info->name)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                    "a commissioner named '%s' already exists", who);
        return FALSE;
    }
    if (programme->comms->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many commissioners");
        return FALSE;
    }
    return TRUE;
}

/* ---- sites --------------------------------------------------------------- */

gboolean tm_i_programme_check_site(const TmProgramme *programme, const TmSite *info,
                                   GError **error)
{
    if (!check_name("site", info->name, error))
        return FALSE;
    const char *who = info->name;
    int32_t n_sectors = tm_taxonomy_n_sectors(programme->taxonomy);
    if (info->sector < 0 || info->sector >= n_sectors) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': sector %d is outside 0..%d", who, (int)info->sector,
                    (int)n_sectors - 1);
        return FALSE;
    }
    if (!check_int_range(who, "site kind", (int32_t)info->kind, 0, TM_N_SITE_KINDS - 1, error) ||
        !check_int_range(who, "minimum title", (int32_t)info->min_title, 0, TM_N_TITLES - 1,
                         error) ||
        !check_int_range(who, "service years", info->years, 0, 10, error) ||
        !check_text(who, "location", info->location, error) ||
        !check_location(who, info->x, info->y, error) ||
        !check_list(who, "needs", info->needs, info->n_needs, FALSE, error) ||
        !check_list(who, "ranked commissioners", info->ranked_commissioners,
                    info->n_ranked_commissioners, TRUE, error) ||
        !check_consent_tasks(who, (int32_t)info->consent, info->tasks, error))
        return FALSE;
    if (info->capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "site '%s': capacity %d is negative", who, (int)info->capacity);
        return FALSE;
    }
    if (g_hash_table_contains(programme->site_by_name, info->name)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE, "a site named '%s' already exists",
                    who);
        return FALSE;
    }
    if (programme->sites->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many sites");
        return FALSE;
    }
    return TRUE;
}
