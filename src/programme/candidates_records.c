/* techmatch — market builder, step 1: flat agent records, the explicit
 * wishes of both sides, and the spatial processing order
 * (candidates_private.h). */
#include "programme/candidates_private.h"
#include "programme/consent_private.h"
#include "programme/profile_private.h"

#include <string.h>

static uint64_t tag_mask(const int32_t *ids, int32_t n, int8_t *ok)
{
    uint64_t m = 0;
    *ok = 1;
    for (int32_t i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= 64) {
            *ok = 0;
            return 0;
        }
        m |= UINT64_C(1) << ids[i];
    }
    return m;
}

void tm_i_build_clear(Build *b)
{
    g_free(b->c);
    g_free(b->s);
    g_free(b->skills);
    g_free(b->needs);
    g_free(b->exps);
    for (int s = 0; s < 2; s++) {
        g_free(b->w_off[s]);
        g_free(b->w_ids[s]);
        g_free(b->w_rank[s]);
        g_free(b->nm_off[s]);
        g_free(b->nm_ids[s]);
    }
    tm_i_index_free(b->six);
    tm_i_index_free(b->cix);
    g_free(b->f_off);
    g_free(b->f_ids);
    g_free(b->sp_len);
    g_free(b->order);
}

static uint32_t spread16(uint32_t v)
{
    v &= 0xFFFF;
    v = (v | (v << 8)) & 0x00FF00FF;
    v = (v | (v << 4)) & 0x0F0F0F0F;
    v = (v | (v << 2)) & 0x33333333;
    v = (v | (v << 1)) & 0x55555555;
    return v;
}

/* Agent @a of @side: eligible?  located at (*@x, *@y)? */
static gboolean agent_point(const Build *b, int side, int32_t a, gboolean *loc, double *x,
                            double *y)
{
    *loc = side == 0 ? b->c[a].located : b->s[a].located;
    *x = side == 0 ? b->c[a].x : b->s[a].x;
    *y = side == 0 ? b->c[a].y : b->s[a].y;
    return side == 0 ? b->c[a].eligible : b->s[a].eligible;
}

/* The number of eligible agents of @side and the bounding box of the
 * located ones (all 0 when none). */
static int32_t eligible_box(const Build *b, int side, double box[4])
{
    int32_t n = side == 0 ? b->nc : b->ns, m = 0, nloc = 0;
    box[0] = box[1] = box[2] = box[3] = 0;
    for (int32_t a = 0; a < n; a++) {
        gboolean loc;
        double x, y;
        if (!agent_point(b, side, a, &loc, &x, &y))
            continue;
        m++;
        if (!loc)
            continue;
        if (nloc++ == 0) {
            box[0] = box[2] = x;
            box[1] = box[3] = y;
        } else {
            box[0] = x < box[0] ? x : box[0];
            box[2] = x > box[2] ? x : box[2];
            box[1] = y < box[1] ? y : box[1];
            box[3] = y > box[3] ? y : box[3];
        }
    }
    return m;
}

/* The eligible agents of @side in Morton (Z) order of their location,
 * unlocated ones last, ties by id: neighbouring searches then read the same
 * parts of the index.  The order does not change any result. */
int32_t *tm_i_build_spatial_order(const Build *b, int side, int32_t *n_out, GError **error)
{
    int32_t n = side == 0 ? b->nc : b->ns;
    double box[4];
    int32_t m = eligible_box(b, side, box);
    double x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
    TmScored *v = tm_i_try_alloc(m, sizeof(TmScored), FALSE, "spatial order", error);
    int32_t *order = v ? tm_i_try_alloc(m, sizeof(int32_t), FALSE, "spatial order", error)
                       : NULL;
    if (order == NULL) {
        g_free(v);
        return NULL;
    }
    double sx = x1 > x0 && isfinite(65535.0 / (x1 - x0)) ? 65535.0 / (x1 - x0) : 0;
    double sy = y1 > y0 && isfinite(65535.0 / (y1 - y0)) ? 65535.0 / (y1 - y0) : 0;
    int32_t q = 0;
    for (int32_t a = 0; a < n; a++) {
        gboolean loc;
        double x, y;
        if (!agent_point(b, side, a, &loc, &x, &y))
            continue;
        double key = 4294967296.0; /* unlocated: last */
        if (loc) {
            double fx = (x - x0) * sx, fy = (y - y0) * sy;
            uint32_t ix = fx <= 0 ? 0 : (fx >= 65535 ? 65535 : (uint32_t)fx);
            uint32_t iy = fy <= 0 ? 0 : (fy >= 65535 ? 65535 : (uint32_t)fy);
            key = (double)(spread16(ix) | (spread16(iy) << 1));
        }
        v[q].score = -key; /* the sort is by descending score, ascending id */
        v[q++].id = a;
    }
    tm_i_scored_sort(v, m);
    for (int32_t i = 0; i < m; i++)
        order[i] = v[i].id;
    g_free(v);
    *n_out = m;
    return order;
}

static gboolean acceptable(const Build *b, int32_t c, int32_t s)
{
    return b->c[c].eligible && b->s[s].eligible
           && tm_i_pair_ok(b, &b->c[c], &b->s[s], tm_i_level_of(b, c, b->s[s].sector));
}

/* Sizes of the flat tag and expertise arrays, then the arrays. */
static gboolean flatten_alloc(Build *b, GError **error)
{
    const TmProgramme *p = b->p;
    int64_t n_sk = 0, n_nd = 0, n_ex = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        int32_t n = 0;
        tm_programme_skill_ids(p, c, &n);
        n_sk += n;
        n_ex += tm_programme_commissioner(p, c)->n_expertise;
    }
    for (int32_t s = 0; s < b->ns; s++) {
        int32_t n = 0;
        tm_programme_need_ids(p, s, &n);
        n_nd += n;
    }
    if (n_sk > G_MAXINT32 || n_nd > G_MAXINT32 || n_ex > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many tags or expertise entries");
        return FALSE;
    }
    return (b->c = tm_i_try_alloc(b->nc, sizeof(CRec), FALSE, "agent records", error))
           && (b->s = tm_i_try_alloc(b->ns, sizeof(SRec), FALSE, "agent records", error))
           && (b->skills = tm_i_try_alloc(n_sk, sizeof(int32_t), FALSE, "agent tags", error))
           && (b->needs = tm_i_try_alloc(n_nd, sizeof(int32_t), FALSE, "agent tags", error))
           && (b->exps = tm_i_try_alloc(n_ex, sizeof(TmExpertise), FALSE, "agent expertise",
                                        error));
}

/* Appends the @n tag ids @ids at *@pos of @dst; returns their offset and
 * sets their mask. */
static int32_t put_tags(int32_t *dst, int32_t *pos, const int32_t *ids, int32_t n,
                        uint64_t *mask, int8_t *mask_ok)
{
    int32_t off = *pos;
    *mask = tag_mask(ids, n, mask_ok);
    if (n > 0)
        memcpy(dst + off, ids, (gsize)n * sizeof(int32_t));
    *pos += n;
    return off;
}

static void flatten_commissioner(Build *b, int32_t c, int32_t *ps, int32_t *pe)
{
    const TmCommissioner *ci = tm_programme_commissioner(b->p, c);
    CRec *r = &b->c[c];
    int32_t n = 0;
    const int32_t *ids = tm_programme_skill_ids(b->p, c, &n);
    r->skill_off = put_tags(b->skills, ps, ids, n, &r->mask, &r->mask_ok);
    r->n_skills = n;
    r->exp_off = *pe;
    r->n_exp = ci->n_expertise;
    for (int32_t e = 0; e < ci->n_expertise; e++)
        b->exps[(*pe)++] = ci->expertise[e];
    r->located = (int8_t)tm_i_located(ci->x, ci->y);
    r->x = r->located ? ci->x : 0;
    r->y = r->located ? ci->y : 0;
    r->merit = tm_i_merit_comp(&b->ctx, ci->merit);
    r->title = (int8_t)ci->title;
    r->years = (int8_t)ci->years;
    r->tasks = (uint8_t)(ci->tasks & TM_TASKS_ALL);
    r->eligible = b->scr->first[0][c] < 0;
    r->named = (int8_t)tm_i_consent_named(b->r, TM_SIDE_SUPPLY, ci->consent);
}

static void flatten_site(Build *b, int32_t s, int32_t *pn)
{
    const TmSite *si = tm_programme_site(b->p, s);
    SRec *r = &b->s[s];
    int32_t n = 0;
    const int32_t *ids = tm_programme_need_ids(b->p, s, &n);
    r->need_off = put_tags(b->needs, pn, ids, n, &r->mask, &r->mask_ok);
    r->n_needs = n;
    r->id = s;
    r->located = (int8_t)tm_i_located(si->x, si->y);
    r->x = r->located ? si->x : 0;
    r->y = r->located ? si->y : 0;
    r->sector = si->sector;
    r->min_title = (int8_t)si->min_title;
    r->years = (int8_t)si->years;
    r->tasks = (uint8_t)(si->tasks & TM_TASKS_ALL);
    r->eligible = b->scr->first[1][s] < 0;
    r->named = (int8_t)tm_i_consent_named(b->r, TM_SIDE_DEMAND, si->consent);
}

gboolean tm_i_build_flatten(Build *b, GError **error)
{
    if (!flatten_alloc(b, error))
        return FALSE;
    int32_t ps = 0, pe = 0, pn = 0;
    for (int32_t c = 0; c < b->nc; c++)
        flatten_commissioner(b, c, &ps, &pe);
    for (int32_t s = 0; s < b->ns; s++)
        flatten_site(b, s, &pn);
    return TRUE;
}

/* Agent @a of @side: its name and its wishes (names of the other side). */
static const char *wish_names(const Build *b, int side, int32_t a, const char *const **names,
                              int32_t *nn)
{
    if (side == 0) {
        const TmCommissioner *ci = tm_programme_commissioner(b->p, a);
        *names = ci->ranked_sites;
        *nn = ci->n_ranked_sites;
        return ci->name;
    }
    const TmSite *si = tm_programme_site(b->p, a);
    *names = si->ranked_commissioners;
    *nn = si->n_ranked_commissioners;
    return si->name;
}

/* The id of wish @q of an agent @me of @side (@names: its wishes), or -1
 * with TM_ERROR_UNKNOWN_NAME. */
static int32_t resolve_wish(const Build *b, int side, const char *me, const char *const *names,
                            int32_t q, GError **error)
{
    int32_t o = side == 0 ? tm_programme_find_site(b->p, names[q])
                          : tm_programme_find_commissioner(b->p, names[q]);
    if (o < 0)
        g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                    "%s '%s' wishes unknown %s '%s' (wish %" G_GINT32_FORMAT ")",
                    side == 0 ? "commissioner" : "site", me,
                    side == 0 ? "site" : "commissioner", names[q] ? names[q] : "(null)", q + 1);
    return o;
}

/* Appends agent @a's acceptable wishes (first occurrence) at *@pos; @stamp
 * (other side) marks the names already seen with @a. */
static gboolean agent_wishes(Build *b, int side, int32_t a, int32_t *stamp, int32_t *pos,
                             GError **error)
{
    const char *const *names;
    int32_t nn;
    const char *me = wish_names(b, side, a, &names, &nn);
    const int32_t *ranks = tm_i_programme_wish_ranks(b->p, side, a, NULL);
    for (int32_t q = 0; q < nn; q++) {
        int32_t o = resolve_wish(b, side, me, names, q, error);
        if (o < 0)
            return FALSE;
        if (stamp[o] == a)
            continue; /* repeated name */
        stamp[o] = a;
        if ((side == 0 ? acceptable(b, a, o) : acceptable(b, o, a))
            && tm_i_accepts(b, 1 - side, o, a)) {
            if (b->w_rank[side] != NULL)
                b->w_rank[side][*pos] = ranks != NULL ? ranks[q] : q;
            b->w_ids[side][(*pos)++] = o;
            b->stats.wishes_kept++;
        } else {
            b->stats.wishes_dropped++;
        }
    }
    return TRUE;
}

static int cmp_i32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, c = *(const int32_t *)y;
    return (a > c) - (a < c);
}

/* b->nm_off/nm_ids[side]: the sorted wish ids of each named-only agent. */
static gboolean build_named_side(Build *b, int side, GError **error)
{
    int32_t n = side == 0 ? b->nc : b->ns;
    int64_t total = 0;
    for (int32_t a = 0; a < n; a++)
        if (side == 0 ? b->c[a].named : b->s[a].named)
            total += side == 0 ? tm_programme_commissioner(b->p, a)->n_ranked_sites
                               : tm_programme_site(b->p, a)->n_ranked_commissioners;
    if (total > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many explicit wishes");
        return FALSE;
    }
    if (!(b->nm_off[side] = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE,
                                           "named wishes", error))
        || !(b->nm_ids[side] = tm_i_try_alloc(total, sizeof(int32_t), FALSE, "named wishes",
                                              error)))
        return FALSE;
    int32_t pos = 0;
    b->nm_off[side][0] = 0;
    for (int32_t a = 0; a < n; a++) {
        if (side == 0 ? b->c[a].named : b->s[a].named) {
            const char *const *names;
            int32_t nn;
            const char *me = wish_names(b, side, a, &names, &nn);
            int32_t start = pos;
            for (int32_t q = 0; q < nn; q++) {
                int32_t o = resolve_wish(b, side, me, names, q, error);
                if (o < 0)
                    return FALSE;
                b->nm_ids[side][pos++] = o;
            }
            qsort(b->nm_ids[side] + start, (size_t)(pos - start), sizeof(int32_t), cmp_i32);
        }
        b->nm_off[side][a + 1] = pos;
    }
    return TRUE;
}

gboolean tm_i_build_named(Build *b, GError **error)
{
    return build_named_side(b, 0, error) && build_named_side(b, 1, error);
}

gboolean tm_i_accepts(const Build *b, int side, int32_t a, int32_t o)
{
    if (!(side == 0 ? b->c[a].named : b->s[a].named))
        return TRUE;
    const int32_t *v = b->nm_ids[side] + b->nm_off[side][a];
    size_t n = (size_t)(b->nm_off[side][a + 1] - b->nm_off[side][a]);
    return n > 0 && bsearch(&o, v, n, sizeof(int32_t), cmp_i32) != NULL;
}

gboolean tm_i_build_wishes(Build *b, int side, GError **error)
{
    int32_t n = side == 0 ? b->nc : b->ns;
    int32_t n_other = side == 0 ? b->ns : b->nc;
    int64_t total = 0;
    for (int32_t a = 0; a < n; a++)
        total += side == 0 ? tm_programme_commissioner(b->p, a)->n_ranked_sites
                           : tm_programme_site(b->p, a)->n_ranked_commissioners;
    if (total > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many explicit wishes");
        return FALSE;
    }
    gboolean ties = FALSE;
    for (int32_t a = 0; a < n && !ties; a++)
        ties = tm_i_programme_wish_ranks(b->p, side, a, NULL) != NULL;
    int32_t *stamp = NULL;
    if (!(b->w_off[side] = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, "wishes",
                                          error))
        || !(b->w_ids[side] = tm_i_try_alloc(total, sizeof(int32_t), FALSE, "wishes", error))
        || (ties && !(b->w_rank[side] = tm_i_try_alloc(total, sizeof(int32_t), FALSE,
                                                       "wish ranks", error)))
        || !(stamp = tm_i_try_alloc(n_other, sizeof(int32_t), FALSE, "wishes", error)))
        return FALSE;
    for (int32_t i = 0; i < n_other; i++)
        stamp[i] = -1;
    int32_t pos = 0;
    gboolean ok = TRUE;
    b->w_off[side][0] = 0;
    for (int32_t a = 0; ok && a < n; a++) {
        ok = agent_wishes(b, side, a, stamp, &pos, error);
        b->w_off[side][a + 1] = pos;
    }
    g_free(stamp);
    return ok;
}

int32_t *tm_i_build_list_ranks(const Build *b, int side, int32_t n, const int32_t *off,
                               const int32_t *ids, GError **error)
{
    int32_t *rank = tm_i_try_alloc(off[n], sizeof(int32_t), FALSE, "list ranks", error);
    if (rank == NULL)
        return NULL;
    const int32_t *w_off = b->w_off[side], *w_ids = b->w_ids[side], *w_rank = b->w_rank[side];
    for (int32_t a = 0; a < n; a++) {
        /* the list begins with the kept wishes that are listed, in wish
         * order (a site's wish may be missing from it only if never listed
         * back): walk both */
        int32_t e = w_off[a], next = 0;
        for (int32_t q = off[a]; q < off[a + 1]; q++) {
            while (e < w_off[a + 1] && w_ids[e] != ids[q])
                e++;
            if (e < w_off[a + 1]) {
                rank[q] = w_rank != NULL ? w_rank[e] : e - w_off[a];
                next = rank[q] + 1;
                e++;
            } else {
                rank[q] = next++; /* the scored part: strict */
            }
        }
    }
    return rank;
}
