/* techmatch — the TmProgramme store (see profile.h and profile_private.h):
 * its life cycle, adding commissioner and site profiles (checked in
 * programme_checks.c, their strings kept in the programme's chunk and their
 * tags interned), and truncating it back (the rollback of a failed read). */
#include <string.h>

#include "programme/profile_private.h"
#include "util/alloc.h"

static void comm_free(gpointer p)
{
    CommRec *r = p;
    g_free(r->expertise);
    g_free(r->skills);
    g_free(r->ranked);
    g_free(r->wish_rank);
    g_free(r->skill_ids);
    g_free(r);
}

static void site_free(gpointer p)
{
    SiteRec *r = p;
    g_free(r->needs);
    g_free(r->ranked);
    g_free(r->wish_rank);
    g_free(r->need_ids);
    g_free(r);
}

TmProgramme *tm_programme_new(const TmTaxonomy *taxonomy)
{
    TmProgramme *p = g_new0(TmProgramme, 1);
    p->refcount = 1;
    p->taxonomy = taxonomy != NULL ? tm_taxonomy_copy(taxonomy) : tm_taxonomy_new_default();
    p->strings = g_string_chunk_new(4096);
    p->comms = g_ptr_array_new_with_free_func(comm_free);
    p->sites = g_ptr_array_new_with_free_func(site_free);
    p->comm_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->site_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->tags = g_ptr_array_new();
    p->tag_by_key = g_hash_table_new(g_str_hash, g_str_equal);
    return p;
}

TmProgramme *tm_programme_ref(TmProgramme *programme)
{
    if (programme)
        g_atomic_int_inc(&programme->refcount);
    return programme;
}

void tm_programme_free(TmProgramme *programme)
{
    if (programme == NULL || !g_atomic_int_dec_and_test(&programme->refcount))
        return;
    tm_taxonomy_free(programme->taxonomy);
    g_ptr_array_unref(programme->comms);
    g_ptr_array_unref(programme->sites);
    g_hash_table_destroy(programme->comm_by_name);
    g_hash_table_destroy(programme->site_by_name);
    g_ptr_array_unref(programme->tags);
    g_hash_table_destroy(programme->tag_by_key);
    g_string_chunk_free(programme->strings);
    g_free(programme);
}

const TmTaxonomy *tm_programme_taxonomy(const TmProgramme *programme)
{
    return programme == NULL ? NULL : programme->taxonomy;
}

TmLang tm_programme_language(const TmProgramme *programme)
{
    return programme != NULL && programme->lang == TM_LANG_ZH ? TM_LANG_ZH : TM_LANG_EN;
}

void tm_programme_set_language(TmProgramme *programme, TmLang lang)
{
    if (programme != NULL && (lang == TM_LANG_EN || lang == TM_LANG_ZH))
        programme->lang = lang;
}

/* ---- adding ------------------------------------------------------------- */

static const char *store(TmProgramme *p, const char *s)
{
    return s == NULL ? NULL : g_string_chunk_insert_const(p->strings, s);
}

/* Stores the @n strings @items into @out (n entries). */
static const char **store_list(TmProgramme *p, const char **out, const char *const *items,
                               int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        out[i] = store(p, items[i]);
    return out;
}

int32_t tm_programme_add_commissioner(TmProgramme *programme, const TmCommissioner *info,
                                      GError **error)
{
    if (programme == NULL || info == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "add_commissioner: %s is NULL", programme == NULL ? "programme" : "info");
        return -1;
    }
    if (!tm_i_programme_check_commissioner(programme, info, error))
        return -1;

    CommRec *r = g_new0(CommRec, 1);
    if (!(r->expertise = tm_i_try_alloc(info->n_expertise, sizeof(TmExpertise), FALSE,
                                        "commissioner expertise", error))
        || !(r->skills = tm_i_try_alloc(info->n_skills, sizeof(char *), FALSE,
                                        "commissioner skills", error))
        || !(r->skill_ids = tm_i_try_alloc(info->n_skills, sizeof(int32_t), FALSE,
                                           "commissioner skills", error))
        || !(r->ranked = tm_i_try_alloc(info->n_ranked_sites, sizeof(char *), FALSE,
                                        "commissioner wishes", error))) {
        comm_free(r); /* nothing stored yet */
        return -1;
    }
    r->pub = *info;
    r->pub.name = store(programme, info->name);
    r->pub.unit = store(programme, info->unit);
    r->pub.location = store(programme, info->location);
    r->pub.unit_support = info->unit_support ? TRUE : FALSE;
    if (info->n_expertise > 0)
        memcpy(r->expertise, info->expertise, sizeof(TmExpertise) * (size_t)info->n_expertise);
    r->pub.expertise = r->expertise;
    store_list(programme, r->skills, info->skills, info->n_skills);
    r->pub.skills = r->skills;
    store_list(programme, r->ranked, info->ranked_sites, info->n_ranked_sites);
    r->pub.ranked_sites = r->ranked;
    tm_i_programme_intern_tags(programme, r->skill_ids, info->skills, info->n_skills,
                               &r->n_skill_ids);
    int32_t id = (int32_t)programme->comms->len;
    g_ptr_array_add(programme->comms, r);
    g_hash_table_insert(programme->comm_by_name, (gpointer)r->pub.name, GINT_TO_POINTER(id + 1));
    return id;
}

int32_t tm_programme_add_site(TmProgramme *programme, const TmSite *info, GError **error)
{
    if (programme == NULL || info == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "add_site: %s is NULL", programme == NULL ? "programme" : "info");
        return -1;
    }
    if (!tm_i_programme_check_site(programme, info, error))
        return -1;

    SiteRec *r = g_new0(SiteRec, 1);
    if (!(r->needs = tm_i_try_alloc(info->n_needs, sizeof(char *), FALSE, "site needs", error))
        || !(r->need_ids = tm_i_try_alloc(info->n_needs, sizeof(int32_t), FALSE, "site needs",
                                          error))
        || !(r->ranked = tm_i_try_alloc(info->n_ranked_commissioners, sizeof(char *), FALSE,
                                        "site wishes", error))) {
        site_free(r); /* nothing stored yet */
        return -1;
    }
    r->pub = *info;
    r->pub.name = store(programme, info->name);
    r->pub.location = store(programme, info->location);
    r->pub.has_clinic = info->has_clinic ? TRUE : FALSE;
    store_list(programme, r->needs, info->needs, info->n_needs);
    r->pub.needs = r->needs;
    store_list(programme, r->ranked, info->ranked_commissioners, info->n_ranked_commissioners);
    r->pub.ranked_commissioners = r->ranked;
    tm_i_programme_intern_tags(programme, r->need_ids, info->needs, info->n_needs, &r->n_need_ids);
    int32_t id = (int32_t)programme->sites->len;
    g_ptr_array_add(programme->sites, r);
    g_hash_table_insert(programme->site_by_name, (gpointer)r->pub.name, GINT_TO_POINTER(id + 1));
    return id;
}

/* ---- rollback ----------------------------------------------------------- */

gboolean tm_programme_truncate(TmProgramme *p, int32_t n_commissioners, int32_t n_sites,
                               GError **error)
{
    if (p == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "truncate: programme is NULL");
        return FALSE;
    }
    if (n_commissioners < 0 || n_commissioners > (int32_t)p->comms->len || n_sites < 0
        || n_sites > (int32_t)p->sites->len) {
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "truncate: %" G_GINT32_FORMAT " commissioners and %" G_GINT32_FORMAT
                    " sites requested, the programme has %u and %u",
                    n_commissioners, n_sites, p->comms->len, p->sites->len);
        return FALSE;
    }
    while ((int32_t)p->comms->len > n_commissioners) {
        const CommRec *r = g_ptr_array_index(p->comms, p->comms->len - 1);
        g_hash_table_remove(p->comm_by_name, r->pub.name);
        g_ptr_array_set_size(p->comms, p->comms->len - 1);
    }
    while ((int32_t)p->sites->len > n_sites) {
        const SiteRec *r = g_ptr_array_index(p->sites, p->sites->len - 1);
        g_hash_table_remove(p->site_by_name, r->pub.name);
        g_ptr_array_set_size(p->sites, p->sites->len - 1);
    }
    tm_i_programme_drop_unused_tags(p);
    /* strings stay in the chunk (unreachable, freed with the programme) */
    return TRUE;
}
