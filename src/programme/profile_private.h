/* techmatch — internals of the programme's world (programme layer, not
 * installed; the API is profile.h).
 *
 * It is spread over:
 *   taxonomy.c          the sectors (TmTaxonomy)
 *   vocabulary.c        the fixed vocabularies: titles, unit kinds, site kinds
 *   programme.c         the TmProgramme store: life cycle, adding profiles,
 *                       truncating (rollback)
 *   programme_checks.c  the validation of a profile before it is added
 *   programme_tags.c    interned skill and need tags
 *   programme_read.c    the reading accessors
 *   programme_wishes.c  ties among the explicit wishes (preferences.h)
 * Every string a programme keeps lives in its string chunk, so the pointers
 * handed out stay valid until the programme is freed (truncation included). */
#ifndef TECHMATCH_PROGRAMME_PROFILE_PRIVATE_H
#define TECHMATCH_PROGRAMME_PROFILE_PRIVATE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/profile.h>

#include "util/text.h"

/* ---- text ---------------------------------------------------------------- */

/* Trimmed, ASCII-lower-cased copy (caller frees): the key of sector names,
 * vocabulary texts and tags. */
static inline char *tm_i_profile_key(const char *text)
{
    gsize n;
    const char *p = tm_i_trim(text, &n);
    char *out = g_strndup(p, n);
    for (gsize i = 0; i < n; i++)
        out[i] = g_ascii_tolower(out[i]);
    return out;
}

/* NULL or valid UTF-8. */
static inline gboolean tm_i_profile_utf8_ok(const char *s)
{
    return s == NULL || g_utf8_validate(s, -1, NULL);
}

/* ---- the store ------------------------------------------------------------ */

typedef struct {
    TmCommissioner pub;     /* strings in the programme's chunk; arrays below */
    TmExpertise *expertise;
    const char **skills;
    const char **ranked;
    int32_t *wish_rank;     /* dense rank of each wish; NULL: strict (rank = position) */
    int32_t *skill_ids;
    int32_t n_skill_ids;
} CommRec;

typedef struct {
    TmSite pub;
    const char **needs;
    const char **ranked;
    int32_t *wish_rank;     /* as CommRec's */
    int32_t *need_ids;
    int32_t n_need_ids;
} SiteRec;

struct TmProgramme {
    gint refcount;
    TmTaxonomy *taxonomy;
    GStringChunk *strings;  /* every stored string; never moves */
    GPtrArray *comms;       /* CommRec* */
    GPtrArray *sites;       /* SiteRec* */
    GHashTable *comm_by_name;  /* stored name -> id + 1 */
    GHashTable *site_by_name;
    GPtrArray *tags;        /* const char* (in chunk), by id */
    GHashTable *tag_by_key; /* normalized tag (in chunk) -> id + 1 */
    TmLang lang;            /* TM_LANG_EN until a Chinese form is read */
};

/* The dense wish ranks of agent @id of @side (NULL when its wishes are
 * strict or @id is out of range), their number in *@n (may be NULL). */
G_GNUC_INTERNAL const int32_t *tm_i_programme_wish_ranks(const TmProgramme *programme,
                                                         int side, int32_t id, int32_t *n);

/* ---- validation (programme_checks.c) --------------------------------------
 * Each check sets @error (naming the profile) and returns FALSE when @info
 * cannot be added to @programme as it is; nothing is changed.  Neither
 * argument may be NULL. */

G_GNUC_INTERNAL gboolean tm_i_programme_check_commissioner(const TmProgramme *programme,
                                                           const TmCommissioner *info,
                                                           GError **error);
G_GNUC_INTERNAL gboolean tm_i_programme_check_site(const TmProgramme *programme,
                                                   const TmSite *info, GError **error);

/* ---- tags (programme_tags.c) ----------------------------------------------- */

/* The sorted, distinct tag ids of the @n strings @items into @ids (n
 * entries; new tags are interned); their number in *@n_out. */
G_GNUC_INTERNAL int32_t *tm_i_programme_intern_tags(TmProgramme *p, int32_t *ids,
                                                    const char *const *items, int32_t n,
                                                    int32_t *n_out);
/* Drops the tags no remaining agent uses at the end of the id range (after a
 * truncation). */
G_GNUC_INTERNAL void tm_i_programme_drop_unused_tags(TmProgramme *p);

#endif /* TECHMATCH_PROGRAMME_PROFILE_PRIVATE_H */
