/* techmatch — reading a programme (see profile.h): its sizes, the profiles by
 * id or name, expertise levels and the tag ids of each agent. */
#include "programme/profile_private.h"

int32_t tm_programme_n_commissioners(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->comms->len;
}

int32_t tm_programme_n_sites(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->sites->len;
}

static const CommRec *comm_at(const TmProgramme *p, int32_t id)
{
    if (p == NULL || id < 0 || (guint)id >= p->comms->len)
        return NULL;
    return g_ptr_array_index(p->comms, id);
}

static const SiteRec *site_at(const TmProgramme *p, int32_t id)
{
    if (p == NULL || id < 0 || (guint)id >= p->sites->len)
        return NULL;
    return g_ptr_array_index(p->sites, id);
}

const TmCommissioner *tm_programme_commissioner(const TmProgramme *programme, int32_t id)
{
    const CommRec *r = comm_at(programme, id);
    return r ? &r->pub : NULL;
}

const TmSite *tm_programme_site(const TmProgramme *programme, int32_t id)
{
    const SiteRec *r = site_at(programme, id);
    return r ? &r->pub : NULL;
}

int32_t tm_programme_find_commissioner(const TmProgramme *programme, const char *name)
{
    if (programme == NULL || name == NULL)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(programme->comm_by_name, name)) - 1;
}

int32_t tm_programme_find_site(const TmProgramme *programme, const char *name)
{
    if (programme == NULL || name == NULL)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(programme->site_by_name, name)) - 1;
}

int32_t tm_programme_expertise(const TmProgramme *programme, int32_t c, int32_t sector)
{
    const CommRec *r = comm_at(programme, c);
    if (r == NULL)
        return 0;
    for (int32_t i = 0; i < r->pub.n_expertise; i++)
        if (r->expertise[i].sector == sector)
            return r->expertise[i].level;
    return 0;
}

const int32_t *tm_programme_skill_ids(const TmProgramme *programme, int32_t c, int32_t *n)
{
    const CommRec *r = comm_at(programme, c);
    if (n != NULL)
        *n = r ? r->n_skill_ids : 0;
    return r ? r->skill_ids : NULL;
}

const int32_t *tm_programme_need_ids(const TmProgramme *programme, int32_t s, int32_t *n)
{
    const SiteRec *r = site_at(programme, s);
    if (n != NULL)
        *n = r ? r->n_need_ids : 0;
    return r ? r->need_ids : NULL;
}
