/* techmatch — ties among the explicit wishes of an agent (preferences.h):
 * stored beside the profile as dense ranks, only for agents with a tie. */
#include <techmatch/preferences.h>

#include "programme/profile_private.h"
#include "util/alloc.h"

/* The record's wish count, names and rank slot for agent @id of @side; FALSE
 * when out of range. */
static gboolean wish_slot(const TmProgramme *p, int side, int32_t id, int32_t *n,
                          int32_t ***slot)
{
    if (side == TM_SIDE_SUPPLY) {
        if (id < 0 || (guint)id >= p->comms->len)
            return FALSE;
        CommRec *r = g_ptr_array_index(p->comms, id);
        *n = r->pub.n_ranked_sites;
        *slot = &r->wish_rank;
        return TRUE;
    }
    if (id < 0 || (guint)id >= p->sites->len)
        return FALSE;
    SiteRec *r = g_ptr_array_index(p->sites, id);
    *n = r->pub.n_ranked_commissioners;
    *slot = &r->wish_rank;
    return TRUE;
}

static const char *agent_name(const TmProgramme *p, int side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                  : tm_programme_site(p, id)->name;
}

gboolean tm_programme_set_wish_ranks(TmProgramme *programme, TmSide side, int32_t id,
                                     const int32_t *ranks, int32_t n_ranks, GError **error)
{
    if (programme == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            programme == NULL ? "set_wish_ranks: programme is NULL"
                                              : "set_wish_ranks: side must be TM_SIDE_SUPPLY "
                                                "or TM_SIDE_DEMAND");
        return FALSE;
    }
    int32_t n = 0;
    int32_t **slot = NULL;
    if (!wish_slot(programme, side, id, &n, &slot)) {
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "set_wish_ranks: %s %" G_GINT32_FORMAT " out of range",
                    side == TM_SIDE_SUPPLY ? "commissioner" : "site", id);
        return FALSE;
    }
    const char *who = side == TM_SIDE_SUPPLY ? "commissioner" : "site";
    const char *name = agent_name(programme, side, id);
    if (ranks == NULL && n_ranks == 0) {
        g_free(*slot);
        *slot = NULL;
        return TRUE;
    }
    if (ranks == NULL || n_ranks != n) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "set_wish_ranks: %s '%s' has %" G_GINT32_FORMAT " wishes, but %s%" G_GINT32_FORMAT
                    " ranks were given",
                    who, name, n, ranks == NULL ? "NULL for " : "", n_ranks);
        return FALSE;
    }
    gboolean tie = FALSE;
    for (int32_t i = 0; i < n; i++) {
        if (ranks[i] < 0 || (i > 0 && ranks[i] < ranks[i - 1])) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "set_wish_ranks: %s '%s', wish %" G_GINT32_FORMAT ": rank %" G_GINT32_FORMAT
                        " is %s",
                        who, name, i + 1, ranks[i],
                        ranks[i] < 0 ? "negative" : "below the rank of the wish before it "
                                                    "(ranks must not decrease)");
            return FALSE;
        }
        tie = tie || (i > 0 && ranks[i] == ranks[i - 1]);
    }
    int32_t *dense = NULL;
    if (tie) {
        dense = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "wish ranks", error);
        if (dense == NULL)
            return FALSE;
        dense[0] = 0;
        for (int32_t i = 1; i < n; i++)
            dense[i] = dense[i - 1] + (ranks[i] > ranks[i - 1] ? 1 : 0);
    }
    g_free(*slot);
    *slot = dense; /* strict ranks store nothing */
    return TRUE;
}

const int32_t *tm_i_programme_wish_ranks(const TmProgramme *programme, int side, int32_t id,
                                         int32_t *n)
{
    int32_t len = 0;
    int32_t **slot = NULL;
    gboolean ok = programme != NULL && (side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND)
                  && wish_slot(programme, side, id, &len, &slot);
    if (n != NULL)
        *n = ok ? len : 0;
    return ok ? *slot : NULL;
}

int32_t tm_programme_wish_rank(const TmProgramme *programme, TmSide side, int32_t id, int32_t i)
{
    int32_t n = 0;
    int32_t **slot = NULL;
    if (programme == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND)
        || !wish_slot(programme, side, id, &n, &slot) || i < 0 || i >= n)
        return -1;
    return *slot != NULL ? (*slot)[i] : i;
}

int32_t tm_programme_n_wish_ties(const TmProgramme *programme, TmSide side)
{
    if (programme == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND))
        return 0;
    const GPtrArray *recs = side == TM_SIDE_SUPPLY ? programme->comms : programme->sites;
    int32_t count = 0;
    for (guint i = 0; i < recs->len; i++) {
        const int32_t *r = side == TM_SIDE_SUPPLY
                               ? ((const CommRec *)g_ptr_array_index(recs, i))->wish_rank
                               : ((const SiteRec *)g_ptr_array_index(recs, i))->wish_rank;
        count += r != NULL;
    }
    return count;
}
