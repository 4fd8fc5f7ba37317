/* techmatch — from a screened programme to a market: explicit wishes,
 * exact lists (k = 0) or best-first top-k candidate search (k > 0), site
 * lists by transpose.  The contract is in preferences.h.
 *
 * Data flow (memory O(total list length + n + total tags)):
 *   1. flatten the agents into compact records (no pointer chasing in the
 *      hot loops) and resolve the explicit wishes of both sides (CSR);
 *   2. k > 0: index eligible sites by (sector, need tag) and (sector, *) and,
 *      if site_k > 0, eligible commissioners by (block, skill tag) and
 *      (block, *), each bucket on a grid; every site searches its best
 *      site_k commissioners -> "forced" pairs (CSR by commissioner);
 *   3. per eligible commissioner: wishes, then the scored part (exact: every
 *      acceptable site; top-k: best-first search + forced), sorted; with each
 *      entry the site's score of the commissioner is kept for step 4;
 *   4. transpose into site lists, wishes first, the rest sorted by that
 *      site score;
 *   5. tm_market_new_from_arrays().
 * Steps 2-4 run on worker threads over disjoint agent ranges; every agent's
 * result depends only on the input, so the output does not depend on the
 * number of threads.
 */
#include "programme/rules_internal.h"

#include <string.h>

/* ---- small utilities ------------------------------------------------------ */

#if defined(__GNUC__)
#define TM_PREFETCH(p) __builtin_prefetch(p)
#else
#define TM_PREFETCH(p) ((void)(p))
#endif

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t mix3(uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t st = seed ^ (a * UINT64_C(0xD6E8FEB86659FD93)) ^ (b * UINT64_C(0xA0761D6478BD642F));
    return splitmix64(&st);
}

/* Growable arrays with int64 length. */
typedef struct {
    int32_t *v;
    int64_t n, cap;
} IVec;

typedef struct {
    double *v;
    int64_t n, cap;
} DVec;

static gboolean grow(void **v, int64_t *cap, int64_t need, size_t elem, GError **error)
{
    if (need <= *cap)
        return TRUE;
    int64_t c = *cap ? *cap : 1024;
    while (c < need)
        c = c + c / 2 + 16;
    if ((uint64_t)c > (uint64_t)G_MAXSIZE / elem) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "preference lists: too large");
        return FALSE;
    }
    void *p = g_try_realloc(*v, (gsize)c * elem);
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "preference lists: cannot grow to %" G_GINT64_FORMAT " entries", c);
        return FALSE;
    }
    *v = p;
    *cap = c;
    return TRUE;
}

#define IVEC_RESERVE(a, extra, err) grow((void **)&(a)->v, &(a)->cap, (a)->n + (extra), sizeof(int32_t), err)
#define DVEC_RESERVE(a, extra, err) grow((void **)&(a)->v, &(a)->cap, (a)->n + (extra), sizeof(double), err)

/* ---- flattened agents ------------------------------------------------------ */

/* Tag sets are also kept as a 64-bit mask when every tag id is < 64, so
 * that counting shared tags is one popcount (the same count as the merge). */
typedef struct {
    double x, y;
    uint64_t mask;
    int32_t sector, need_off, n_needs, id;
    int8_t min_title, years, located, eligible, mask_ok;
} SRec;

typedef struct {
    double x, y, merit; /* merit: the merit component */
    uint64_t mask;
    int32_t skill_off, n_skills, exp_off, n_exp;
    int8_t title, years, located, eligible, mask_ok;
} CRec;

static int popcount64(uint64_t v)
{
#if defined(__GNUC__)
    return __builtin_popcountll(v);
#else
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
#endif
}

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

/* ---- spatial bucket index ---------------------------------------------------- */

/* Buckets are keyed by block * (n_tags + 1) + tag, tag == n_tags meaning "*"
 * (every member of the block).  Items of a bucket: located ones sorted by
 * grid cell (row-major) then id, then unlocated ones by id. */
typedef struct {
    double x0, y0, x1, y1, inv, maxq;
    int64_t cbase;
    int32_t g, n_loc;
} Slot;

typedef struct {
    int32_t n_blocks, n_tags;
    int64_t n_keys;
    int64_t *off;     /* n_keys + 1 */
    int32_t *items;
    int32_t *slot;    /* n_keys: slot, -1 for an empty bucket */
    Slot *sl;
    int32_t *coff;    /* per slot: g*g + 1 offsets relative to the bucket start */
    void *rec;        /* a copy of each item's record (SRec or CRec), beside it */
    size_t rec_size;
} Index;

static void index_free(Index *ix)
{
    if (ix == NULL)
        return;
    g_free(ix->off);
    g_free(ix->items);
    g_free(ix->slot);
    g_free(ix->sl);
    g_free(ix->coff);
    g_free(ix->rec);
    g_free(ix);
}

typedef struct {
    int32_t n;                 /* items */
    const uint8_t *include;    /* eligible items */
    const int32_t *blk_off;    /* CSR item -> blocks (n + 1) */
    const int32_t *blk;
    const int32_t *tag_off;    /* CSR item -> sorted tag ids (n + 1) */
    const int32_t *tags;
    const double *x, *y;
    const uint8_t *located;
    const double *q;           /* optional per-item quality (slot maximum kept) */
} IndexInput;

static int32_t cell_of(double v, double v0, double inv, int32_t g)
{
    double f = (v - v0) * inv;
    int32_t c = f < 0 ? 0 : (f >= g ? g - 1 : (int32_t)f);
    return c;
}

static Index *index_build(const IndexInput *in, int32_t n_blocks, int32_t n_tags,
                          GError **error)
{
    Index *ix = g_new0(Index, 1);
    ix->n_blocks = n_blocks;
    ix->n_tags = n_tags;
    ix->n_keys = (int64_t)n_blocks * ((int64_t)n_tags + 1);
    const int64_t T1 = (int64_t)n_tags + 1;
    int32_t *cellv = NULL, *cnt = NULL, *tmp = NULL;
    int64_t *fill = NULL;
    ix->off = tm_i_prog_alloc(ix->n_keys + 1, sizeof(int64_t), TRUE, "index", error);
    ix->slot = tm_i_prog_alloc(ix->n_keys, sizeof(int32_t), FALSE, "index", error);
    if (ix->off == NULL || ix->slot == NULL)
        goto fail;
    for (int32_t i = 0; i < in->n; i++) {
        if (!in->include[i])
            continue;
        for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
            int64_t base = (int64_t)in->blk[b] * T1;
            ix->off[base + n_tags + 1]++;
            for (int32_t t = in->tag_off[i]; t < in->tag_off[i + 1]; t++)
                ix->off[base + in->tags[t] + 1]++;
        }
    }
    int64_t max_bucket = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->off[k + 1] > max_bucket)
            max_bucket = ix->off[k + 1];
        ix->off[k + 1] += ix->off[k];
    }
    if (max_bucket > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "index bucket too large");
        goto fail;
    }
    ix->items = tm_i_prog_alloc(ix->off[ix->n_keys], sizeof(int32_t), FALSE, "index", error);
    fill = tm_i_prog_alloc(ix->n_keys, sizeof(int64_t), FALSE, "index", error);
    if (ix->items == NULL || fill == NULL)
        goto fail;
    memcpy(fill, ix->off, (gsize)ix->n_keys * sizeof(int64_t));
    for (int32_t i = 0; i < in->n; i++) {
        if (!in->include[i])
            continue;
        for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
            int64_t base = (int64_t)in->blk[b] * T1;
            ix->items[fill[base + n_tags]++] = i;
            for (int32_t t = in->tag_off[i]; t < in->tag_off[i + 1]; t++)
                ix->items[fill[base + in->tags[t]]++] = i;
        }
    }
    g_free(fill);
    fill = NULL;
    /* slots and grids */
    int32_t n_slots = 0;
    for (int64_t k = 0; k < ix->n_keys; k++)
        ix->slot[k] = ix->off[k + 1] > ix->off[k] ? n_slots++ : -1;
    ix->sl = tm_i_prog_alloc(n_slots, sizeof(Slot), TRUE, "index", error);
    if (ix->sl == NULL)
        goto fail;
    int64_t n_cells = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->slot[k] < 0)
            continue;
        Slot *sl = &ix->sl[ix->slot[k]];
        int32_t nloc = 0;
        double xmin = 0, xmax = 0, ymin = 0, ymax = 0, maxq = 0;
        for (int64_t e = ix->off[k]; e < ix->off[k + 1]; e++) {
            int32_t i = ix->items[e];
            if (in->q && (e == ix->off[k] || in->q[i] > maxq))
                maxq = in->q[i];
            if (!in->located[i])
                continue;
            if (nloc == 0) {
                xmin = xmax = in->x[i];
                ymin = ymax = in->y[i];
            } else {
                if (in->x[i] < xmin) xmin = in->x[i];
                if (in->x[i] > xmax) xmax = in->x[i];
                if (in->y[i] < ymin) ymin = in->y[i];
                if (in->y[i] > ymax) ymax = in->y[i];
            }
            nloc++;
        }
        double span = xmax - xmin > ymax - ymin ? xmax - xmin : ymax - ymin;
        int32_t g = 0;
        if (nloc > 0) {
            double side = sqrt((double)nloc / 2.0);
            g = side <= 1 ? 1 : (side > 1024 ? 1024 : (int32_t)ceil(side));
            if (!(span > 0) || !isfinite(span) || !isfinite((double)g / span))
                g = 1;
        }
        sl->g = g;
        sl->n_loc = nloc;
        sl->x0 = xmin;
        sl->y0 = ymin;
        sl->x1 = xmax;
        sl->y1 = ymax;
        sl->inv = g > 1 ? (double)g / span : 0.0;
        sl->maxq = maxq;
        sl->cbase = n_cells;
        n_cells += (int64_t)g * g + 1;
    }
    ix->coff = tm_i_prog_alloc(n_cells, sizeof(int32_t), TRUE, "index", error);
    cellv = tm_i_prog_alloc(max_bucket, sizeof(int32_t), FALSE, "index", error);
    tmp = tm_i_prog_alloc(max_bucket, sizeof(int32_t), FALSE, "index", error);
    cnt = tm_i_prog_alloc(1024 * 1024 + 2, sizeof(int32_t), FALSE, "index", error);
    if (ix->coff == NULL || cellv == NULL || tmp == NULL || cnt == NULL)
        goto fail;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->slot[k] < 0)
            continue;
        const Slot *sl = &ix->sl[ix->slot[k]];
        int32_t g = sl->g, nc = g * g;
        int32_t len = (int32_t)(ix->off[k + 1] - ix->off[k]);
        int32_t *it = ix->items + ix->off[k];
        /* stable counting sort by cell; unlocated items go to pseudo-cell nc */
        memset(cnt, 0, (gsize)(nc + 2) * sizeof(int32_t));
        for (int32_t e = 0; e < len; e++) {
            int32_t i = it[e], cell = nc;
            if (in->located[i])
                cell = cell_of(in->y[i], sl->y0, sl->inv, g) * g
                       + cell_of(in->x[i], sl->x0, sl->inv, g);
            cellv[e] = cell;
            cnt[cell + 1]++;
        }
        for (int32_t c = 0; c <= nc; c++)
            cnt[c + 1] += cnt[c];
        memcpy(ix->coff + sl->cbase, cnt, (gsize)(nc + 1) * sizeof(int32_t));
        for (int32_t e = 0; e < len; e++)
            tmp[cnt[cellv[e]]++] = it[e];
        memcpy(it, tmp, (gsize)len * sizeof(int32_t));
    }
    g_free(cellv);
    g_free(tmp);
    g_free(cnt);
    return ix;
fail:
    g_free(fill);
    g_free(cellv);
    g_free(tmp);
    g_free(cnt);
    index_free(ix);
    return NULL;
}

/* ---- the build context ------------------------------------------------------ */

typedef struct {
    const TmProgramme *p;
    const TmRules *r;
    const TmScreening *scr;
    TmScoreCtx ctx;
    int32_t nc, ns, n_sectors, n_tags;
    CRec *c;
    SRec *s;
    int32_t *skills, *needs;
    TmExpertise *exps;
    int32_t *w_off[2], *w_ids[2];
    int32_t k, site_k, budget_c, budget_s;
    gboolean by_sector;
    Index *six, *cix;
    int32_t *f_off, *f_ids;
    /* supply lists: per commissioner length, then concatenated */
    int32_t *sp_len;
    /* processing order of the current phase (eligible agents, spatially
     * sorted for cache locality), NULL = ids in order */
    int32_t *order;
    const TmPrefsOptions *opt;
    int n_threads;
    gint stop;
    TmPrefsStats stats;
} Build;

static int32_t level_of(const Build *b, int32_t c, int32_t sector)
{
    const CRec *cr = &b->c[c];
    for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
        if (b->exps[e].sector == sector)
            return b->exps[e].level;
    return 0;
}

static inline gboolean pair_ok(const Build *b, const CRec *cr, const SRec *sr, int32_t level)
{
    return tm_i_pair_mask_raw(b->r, level, cr->years, sr->years, cr->title, sr->min_title,
                              cr->located && sr->located, cr->x, cr->y, sr->x, sr->y, TRUE)
           == 0;
}

static inline void comps(const Build *b, const CRec *cr, const SRec *sr, int32_t level,
                         double comp[TM_N_SCORE_COMPONENTS])
{
    int32_t common = cr->mask_ok && sr->mask_ok
                         ? popcount64(cr->mask & sr->mask)
                         : tm_i_count_common(b->skills + cr->skill_off, cr->n_skills,
                                             b->needs + sr->need_off, sr->n_needs);
    tm_i_components_raw(&b->ctx, level, common, sr->n_needs, cr->title, sr->min_title,
                        cr->years, sr->years, cr->located && sr->located, cr->x, cr->y, sr->x,
                        sr->y, cr->merit, comp);
}

static inline double score1(const Build *b, int side, int32_t c, int32_t s, int32_t level)
{
    double comp[TM_N_SCORE_COMPONENTS];
    comps(b, &b->c[c], &b->s[s], level, comp);
    return tm_i_combine(&b->ctx, side, comp);
}

static gboolean acceptable(const Build *b, int32_t c, int32_t s)
{
    return b->c[c].eligible && b->s[s].eligible
           && pair_ok(b, &b->c[c], &b->s[s], level_of(b, c, b->s[s].sector));
}

static void build_clear(Build *b)
{
    g_free(b->c);
    g_free(b->s);
    g_free(b->skills);
    g_free(b->needs);
    g_free(b->exps);
    for (int s = 0; s < 2; s++) {
        g_free(b->w_off[s]);
        g_free(b->w_ids[s]);
    }
    index_free(b->six);
    index_free(b->cix);
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

/* The eligible agents of @side in Morton (Z) order of their location,
 * unlocated ones last, ties by id: neighbouring searches then read the same
 * parts of the index.  The order does not change any result. */
static int32_t *spatial_order(const Build *b, int side, int32_t *n_out, GError **error)
{
    int32_t n = side == 0 ? b->nc : b->ns;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int32_t m = 0, nloc = 0;
    for (int32_t a = 0; a < n; a++) {
        gboolean el = side == 0 ? b->c[a].eligible : b->s[a].eligible;
        gboolean loc = side == 0 ? b->c[a].located : b->s[a].located;
        double x = side == 0 ? b->c[a].x : b->s[a].x, y = side == 0 ? b->c[a].y : b->s[a].y;
        if (!el)
            continue;
        m++;
        if (!loc)
            continue;
        if (nloc++ == 0) {
            x0 = x1 = x;
            y0 = y1 = y;
        } else {
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
    }
    TmScored *v = tm_i_prog_alloc(m, sizeof(TmScored), FALSE, "order", error);
    int32_t *order = tm_i_prog_alloc(m, sizeof(int32_t), FALSE, "order", error);
    if (v == NULL || order == NULL) {
        g_free(v);
        g_free(order);
        return NULL;
    }
    double sx = x1 > x0 && isfinite(65535.0 / (x1 - x0)) ? 65535.0 / (x1 - x0) : 0;
    double sy = y1 > y0 && isfinite(65535.0 / (y1 - y0)) ? 65535.0 / (y1 - y0) : 0;
    int32_t q = 0;
    for (int32_t a = 0; a < n; a++) {
        gboolean el = side == 0 ? b->c[a].eligible : b->s[a].eligible;
        if (!el)
            continue;
        gboolean loc = side == 0 ? b->c[a].located : b->s[a].located;
        double x = side == 0 ? b->c[a].x : b->s[a].x, y = side == 0 ? b->c[a].y : b->s[a].y;
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

static gboolean flatten(Build *b, GError **error)
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
    b->c = tm_i_prog_alloc(b->nc, sizeof(CRec), FALSE, "agents", error);
    b->s = tm_i_prog_alloc(b->ns, sizeof(SRec), FALSE, "agents", error);
    b->skills = tm_i_prog_alloc(n_sk, sizeof(int32_t), FALSE, "agents", error);
    b->needs = tm_i_prog_alloc(n_nd, sizeof(int32_t), FALSE, "agents", error);
    b->exps = tm_i_prog_alloc(n_ex, sizeof(TmExpertise), FALSE, "agents", error);
    if (!b->c || !b->s || !b->skills || !b->needs || !b->exps)
        return FALSE;
    int32_t ps = 0, pe = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        const TmCommissioner *ci = tm_programme_commissioner(p, c);
        CRec *r = &b->c[c];
        int32_t n = 0;
        const int32_t *ids = tm_programme_skill_ids(p, c, &n);
        r->skill_off = ps;
        r->n_skills = n;
        r->mask = tag_mask(ids, n, &r->mask_ok);
        if (n > 0)
            memcpy(b->skills + ps, ids, (gsize)n * sizeof(int32_t));
        ps += n;
        r->exp_off = pe;
        r->n_exp = ci->n_expertise;
        for (int32_t e = 0; e < ci->n_expertise; e++)
            b->exps[pe++] = ci->expertise[e];
        r->located = (int8_t)tm_i_located(ci->x, ci->y);
        r->x = r->located ? ci->x : 0;
        r->y = r->located ? ci->y : 0;
        r->merit = tm_i_merit_comp(&b->ctx, ci->merit);
        r->title = (int8_t)ci->title;
        r->years = (int8_t)ci->years;
        r->eligible = b->scr->first[0][c] < 0;
    }
    int32_t pn = 0;
    for (int32_t s = 0; s < b->ns; s++) {
        const TmSite *si = tm_programme_site(p, s);
        SRec *r = &b->s[s];
        int32_t n = 0;
        const int32_t *ids = tm_programme_need_ids(p, s, &n);
        r->need_off = pn;
        r->n_needs = n;
        r->id = s;
        r->mask = tag_mask(ids, n, &r->mask_ok);
        if (n > 0)
            memcpy(b->needs + pn, ids, (gsize)n * sizeof(int32_t));
        pn += n;
        r->located = (int8_t)tm_i_located(si->x, si->y);
        r->x = r->located ? si->x : 0;
        r->y = r->located ? si->y : 0;
        r->sector = si->sector;
        r->min_title = (int8_t)si->min_title;
        r->years = (int8_t)si->years;
        r->eligible = b->scr->first[1][s] < 0;
    }
    return TRUE;
}

/* Resolves the explicit wishes of @side into CSR, keeping acceptable ones
 * (first occurrence). */
static gboolean resolve_wishes(Build *b, int side, GError **error)
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
    b->w_off[side] = tm_i_prog_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, "wishes", error);
    b->w_ids[side] = tm_i_prog_alloc(total, sizeof(int32_t), FALSE, "wishes", error);
    int32_t *stamp = tm_i_prog_alloc(n_other, sizeof(int32_t), FALSE, "wishes", error);
    if (!b->w_off[side] || !b->w_ids[side] || !stamp) {
        g_free(stamp);
        return FALSE;
    }
    for (int32_t i = 0; i < n_other; i++)
        stamp[i] = -1;
    int32_t pos = 0;
    b->w_off[side][0] = 0;
    for (int32_t a = 0; a < n; a++) {
        const char *const *names;
        int32_t nn;
        const char *me;
        if (side == 0) {
            const TmCommissioner *ci = tm_programme_commissioner(b->p, a);
            names = ci->ranked_sites;
            nn = ci->n_ranked_sites;
            me = ci->name;
        } else {
            const TmSite *si = tm_programme_site(b->p, a);
            names = si->ranked_commissioners;
            nn = si->n_ranked_commissioners;
            me = si->name;
        }
        for (int32_t q = 0; q < nn; q++) {
            int32_t o = side == 0 ? tm_programme_find_site(b->p, names[q])
                                  : tm_programme_find_commissioner(b->p, names[q]);
            if (o < 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                            "%s '%s' wishes unknown %s '%s' (wish %" G_GINT32_FORMAT ")",
                            side == 0 ? "commissioner" : "site", me,
                            side == 0 ? "site" : "commissioner",
                            names[q] ? names[q] : "(null)", q + 1);
                g_free(stamp);
                return FALSE;
            }
            if (stamp[o] == a)
                continue; /* repeated name */
            stamp[o] = a;
            if (side == 0 ? acceptable(b, a, o) : acceptable(b, o, a)) {
                b->w_ids[side][pos++] = o;
                b->stats.wishes_kept++;
            } else {
                b->stats.wishes_dropped++;
            }
        }
        b->w_off[side][a + 1] = pos;
    }
    g_free(stamp);
    return TRUE;
}

/* Index over eligible sites: block = sector. */
static Index *site_index(const Build *b, GError **error)
{
    int32_t *blk_off = tm_i_prog_alloc((int64_t)b->ns + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    int32_t *blk = tm_i_prog_alloc(b->ns, sizeof(int32_t), FALSE, "index", error);
    int32_t *tag_off = tm_i_prog_alloc((int64_t)b->ns + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    double *x = tm_i_prog_alloc(b->ns, sizeof(double), FALSE, "index", error);
    double *y = tm_i_prog_alloc(b->ns, sizeof(double), FALSE, "index", error);
    uint8_t *loc = tm_i_prog_alloc(b->ns, 1, FALSE, "index", error);
    uint8_t *inc = tm_i_prog_alloc(b->ns, 1, FALSE, "index", error);
    Index *ix = NULL;
    if (blk_off && blk && tag_off && x && y && loc && inc) {
        for (int32_t s = 0; s < b->ns; s++) {
            const SRec *r = &b->s[s];
            blk_off[s] = s;
            blk[s] = r->sector;
            tag_off[s] = r->need_off;
            x[s] = r->x;
            y[s] = r->y;
            loc[s] = (uint8_t)r->located;
            inc[s] = (uint8_t)r->eligible;
        }
        blk_off[b->ns] = b->ns;
        tag_off[b->ns] = b->ns ? b->s[b->ns - 1].need_off + b->s[b->ns - 1].n_needs : 0;
        IndexInput in = { b->ns, inc, blk_off, blk, tag_off, b->needs, x, y, loc, NULL };
        ix = index_build(&in, b->n_sectors, b->n_tags, error);
        /* records beside the items: ring reads become sequential */
        if (ix) {
            int64_t n = ix->off[ix->n_keys];
            SRec *rec = tm_i_prog_alloc(n, sizeof(SRec), FALSE, "index", error);
            if (rec == NULL) {
                index_free(ix);
                ix = NULL;
            } else {
                for (int64_t e = 0; e < n; e++)
                    rec[e] = b->s[ix->items[e]];
                ix->rec = rec;
                ix->rec_size = sizeof(SRec);
            }
        }
    }
    g_free(blk_off);
    g_free(blk);
    g_free(tag_off);
    g_free(x);
    g_free(y);
    g_free(loc);
    g_free(inc);
    return ix;
}

/* Commissioners are also split into merit bands, so that a bucket's largest
 * merit (its bound) is tight. */
#define TM_MERIT_BANDS 4

static int32_t merit_band(double merit_comp)
{
    int32_t band = (int32_t)(merit_comp * TM_MERIT_BANDS);
    return band < 0 ? 0 : (band >= TM_MERIT_BANDS ? TM_MERIT_BANDS - 1 : band);
}

/* Index over eligible commissioners: blocks (sector, level, merit band) for
 * levels >= min_level when P_SECTOR is on (block id (sector * 4 + level) *
 * bands + band), else (merit band) only. */
static Index *commissioner_index(const Build *b, GError **error)
{
    int32_t *blk_off = tm_i_prog_alloc((int64_t)b->nc + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    int32_t *tag_off = tm_i_prog_alloc((int64_t)b->nc + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    double *x = tm_i_prog_alloc(b->nc, sizeof(double), FALSE, "index", error);
    double *y = tm_i_prog_alloc(b->nc, sizeof(double), FALSE, "index", error);
    double *q = tm_i_prog_alloc(b->nc, sizeof(double), FALSE, "index", error);
    uint8_t *loc = tm_i_prog_alloc(b->nc, 1, FALSE, "index", error);
    uint8_t *inc = tm_i_prog_alloc(b->nc, 1, FALSE, "index", error);
    uint8_t *lv = tm_i_prog_alloc(b->n_sectors, 1, TRUE, "index", error);
    int32_t *blk = NULL;
    Index *ix = NULL;
    if (!blk_off || !tag_off || !x || !y || !q || !loc || !inc || !lv)
        goto out;
    int32_t minl = b->r->min_level;
    int64_t total = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        blk_off[c] = (int32_t)total;
        const CRec *r = &b->c[c];
        if (!r->eligible)
            continue;
        if (!b->by_sector)
            total += 1;
        else if (minl <= 0)
            total += b->n_sectors;
        else
            for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
                total += b->exps[e].level >= minl;
        if (total > G_MAXINT32) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "commissioner index too large");
            goto out;
        }
    }
    blk_off[b->nc] = (int32_t)total;
    blk = tm_i_prog_alloc(total, sizeof(int32_t), FALSE, "index", error);
    if (blk == NULL)
        goto out;
    for (int32_t c = 0; c < b->nc; c++) {
        const CRec *r = &b->c[c];
        tag_off[c] = r->skill_off;
        x[c] = r->x;
        y[c] = r->y;
        q[c] = r->merit;
        loc[c] = (uint8_t)r->located;
        inc[c] = (uint8_t)r->eligible;
        if (!r->eligible)
            continue;
        int32_t pos = blk_off[c];
        int32_t band = merit_band(r->merit);
        if (!b->by_sector) {
            blk[pos++] = band;
        } else if (minl <= 0) {
            for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
                lv[b->exps[e].sector] = (uint8_t)b->exps[e].level;
            for (int32_t s = 0; s < b->n_sectors; s++)
                blk[pos++] = (s * 4 + lv[s]) * TM_MERIT_BANDS + band;
            for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
                lv[b->exps[e].sector] = 0;
        } else {
            for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
                if (b->exps[e].level >= minl)
                    blk[pos++] = (b->exps[e].sector * 4 + b->exps[e].level) * TM_MERIT_BANDS
                                 + band;
        }
    }
    tag_off[b->nc] = b->nc ? b->c[b->nc - 1].skill_off + b->c[b->nc - 1].n_skills : 0;
    IndexInput in = { b->nc, inc, blk_off, blk, tag_off, b->skills, x, y, loc, q };
    ix = index_build(&in, (b->by_sector ? b->n_sectors * 4 : 1) * TM_MERIT_BANDS, b->n_tags,
                     error);
    if (ix) {
        int64_t n = ix->off[ix->n_keys];
        CRec *rec = tm_i_prog_alloc(n, sizeof(CRec), FALSE, "index", error);
        if (rec == NULL) {
            index_free(ix);
            ix = NULL;
        } else {
            for (int64_t e = 0; e < n; e++)
                rec[e] = b->c[ix->items[e]];
            ix->rec = rec;
            ix->rec_size = sizeof(CRec);
        }
    }
out:
    g_free(blk_off);
    g_free(tag_off);
    g_free(blk);
    g_free(x);
    g_free(y);
    g_free(q);
    g_free(loc);
    g_free(inc);
    g_free(lv);
    return ix;
}

/* ---- top-k heap (root = the entry that comes last) --------------------------- */

static void topk_push(TmScored *h, int32_t *n, int32_t k, TmScored x)
{
    if (*n < k) {
        int32_t i = (*n)++;
        while (i > 0) {
            int32_t p = (i - 1) / 2;
            if (!tm_i_scored_before(&h[p], &x))
                break;
            h[i] = h[p];
            i = p;
        }
        h[i] = x;
        return;
    }
    if (!tm_i_scored_before(&x, &h[0]))
        return;
    int32_t i = 0, m = *n;
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, c = i;
        const TmScored *cv = &x;
        if (l < m && tm_i_scored_before(cv, &h[l])) {
            c = l;
            cv = &h[l];
        }
        if (r < m && tm_i_scored_before(cv, &h[r]))
            c = r;
        if (c == i)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* ---- workers ---------------------------------------------------------------- */

typedef struct {
    int64_t key;
    int32_t level;     /* partners' level in the searcher's sector, -1 = look up */
    double base;       /* bound numerator without the distance term */
    double ub;         /* current bound in score units (with a safety margin) */
    gboolean ring;     /* grid source (else linear) */
    gboolean done;
    int32_t r, rmax, cx, cy;      /* ring state */
    int32_t lo, n, start, pos;    /* linear: n items from lo, cyclic from start */
} Source;

typedef struct {
    Build *b;
    int id;
    int32_t lo, hi;               /* agent range */
    int phase;
    /* outputs */
    IVec ids;                     /* supply phase: list entries */
    DVec dsc;                     /* supply phase: site score of each entry */
    IVec pc, ps;                  /* forced phase: pairs */
    TmPrefsStats st;
    GError *error;
    /* scratch */
    int32_t *stamp;               /* other side's size */
    int32_t mark;                 /* current stamp value */
    int32_t *cand;
    const void **crec;            /* the candidates' records (from the index) */
    int32_t n_cand, cap_cand;
    Source *src;
    int32_t n_src, cap_src;
    TmScored *heap, *part;
    int64_t cap_heap, cap_part;
    int32_t *lv;                  /* n_sectors levels of the current commissioner */
} Worker;

enum { PHASE_FORCED, PHASE_SUPPLY, PHASE_SORT };

static gboolean worker_stop(Worker *w)
{
    Build *b = w->b;
    if (g_atomic_int_get(&b->stop))
        return TRUE;
    if (b->opt && tm_cancel_is_triggered(b->opt->cancel)) {
        g_set_error(&w->error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        g_atomic_int_set(&b->stop, 1);
        return TRUE;
    }
    return FALSE;
}

static void worker_fail(Worker *w)
{
    if (w->error == NULL)
        g_set_error(&w->error, TM_ERROR, TM_ERROR_NO_MEMORY, "candidates: cannot allocate");
    g_atomic_int_set(&w->b->stop, 1);
}

static void worker_progress(Worker *w, double lo, double hi, int32_t done)
{
    const TmPrefsOptions *o = w->b->opt;
    if (w->id == 0 && o && o->progress) {
        int32_t n = w->hi - w->lo;
        o->progress(lo + (hi - lo) * (n > 0 ? (double)done / (double)n : 1.0),
                    o->progress_data);
    }
}

static gboolean need(void **v, int64_t *cap, int64_t n, size_t elem)
{
    if (n <= *cap)
        return TRUE;
    int64_t c = n * 2 + 64;
    void *p = g_try_realloc(*v, (gsize)c * elem);
    if (p == NULL)
        return FALSE;
    *v = p;
    *cap = c;
    return TRUE;
}


static gboolean add_cand(Worker *w, int32_t item, const void *rec)
{
    if (w->stamp[item] == w->mark)
        return TRUE;
    w->stamp[item] = w->mark;
    if (w->n_cand == w->cap_cand) {
        int64_t cap = w->cap_cand, cap2 = w->cap_cand;
        if (!need((void **)&w->cand, &cap, (int64_t)w->n_cand + 1, sizeof(int32_t))
            || !need((void **)&w->crec, &cap2, (int64_t)w->n_cand + 1, sizeof(void *))
            || cap > G_MAXINT32)
            return FALSE;
        w->cap_cand = (int32_t)(cap < cap2 ? cap : cap2);
    }
    w->crec[w->n_cand] = rec;
    w->cand[w->n_cand++] = item;
    return TRUE;
}

/* Lower bound of the distance from (px, py) to any item in rings >= r. */
static double ring_lb(const Slot *sl, double px, double py, int32_t cx, int32_t cy, int32_t r)
{
    double dx = sl->x0 - px > px - sl->x1 ? sl->x0 - px : px - sl->x1;
    double dy = sl->y0 - py > py - sl->y1 ? sl->y0 - py : py - sl->y1;
    dx = dx > 0 ? dx : 0;
    dy = dy > 0 ? dy : 0;
    double lb = sqrt(dx * dx + dy * dy);
    if (r >= 1 && sl->inv > 0) {
        double cs = 1.0 / sl->inv;
        double sx0 = sl->x0 + (cx - r + 1) * cs, sx1 = sl->x0 + (cx + r) * cs;
        double sy0 = sl->y0 + (cy - r + 1) * cs, sy1 = sl->y0 + (cy + r) * cs;
        if (px >= sx0 && px <= sx1 && py >= sy0 && py <= sy1) {
            double in = px - sx0;
            if (sx1 - px < in) in = sx1 - px;
            if (py - sy0 < in) in = py - sy0;
            if (sy1 - py < in) in = sy1 - py;
            if (in > lb)
                lb = in;
        }
    }
    /* rounding of the cell assignment: keep the bound on the safe side */
    double mag = fabs(px) + fabs(py) + fabs(sl->x0) + fabs(sl->y0) + fabs(sl->x1)
                 + fabs(sl->y1) + 1.0;
    lb -= 1e-12 * mag + 1e-9 * lb;
    return lb > 0 ? lb : 0;
}

/* Sets the bound of a source; marks it done when P_DISTANCE excludes the rest. */
static void source_bound(const Build *b, int side, const Index *ix, Source *src, double px,
                         double py)
{
    double dcomp = 0.5;
    if (src->ring) {
        const Slot *sl = &ix->sl[ix->slot[src->key]];
        double lb = ring_lb(sl, px, py, src->cx, src->cy, src->r);
        if (b->r->enabled[TM_R_P_DISTANCE] && lb > b->r->max_km) {
            src->done = TRUE;
            return;
        }
        double d = 1.0 - lb / b->ctx.dscale;
        dcomp = d < 0 ? 0 : (d > 1 ? 1 : d);
    }
    double ub = 0.0;
    if (b->ctx.wsum[side] > 0)
        ub = (src->base + b->ctx.w[side][TM_SCORE_DISTANCE] * dcomp) / b->ctx.wsum[side];
    src->ub = ub + 1e-12 * (1.0 + fabs(ub));
}

static gboolean add_source(Worker *w, int side, const Index *ix, int64_t key, int32_t level,
                           double base, gboolean loc, double px, double py, uint64_t rnd)
{
    int32_t si = ix->slot[key];
    if (si < 0)
        return TRUE;
    const Slot *sl = &ix->sl[si];
    int32_t len = (int32_t)(ix->off[key + 1] - ix->off[key]);
    for (int part = 0; part < 2; part++) {
        Source s;
        memset(&s, 0, sizeof s);
        s.key = key;
        s.level = level;
        s.base = base;
        if (!loc) {
            if (part == 1)
                break;
            s.lo = 0;
            s.n = len;
        } else if (part == 0) {
            if (sl->n_loc == 0)
                continue;
            s.ring = TRUE;
            s.cx = cell_of(px, sl->x0, sl->inv, sl->g);
            s.cy = cell_of(py, sl->y0, sl->inv, sl->g);
            s.rmax = s.cx;
            if (sl->g - 1 - s.cx > s.rmax) s.rmax = sl->g - 1 - s.cx;
            if (s.cy > s.rmax) s.rmax = s.cy;
            if (sl->g - 1 - s.cy > s.rmax) s.rmax = sl->g - 1 - s.cy;
        } else {
            if (len == sl->n_loc)
                continue;
            s.lo = sl->n_loc;
            s.n = len - sl->n_loc;
        }
        if (!s.ring)
            s.start = (int32_t)(rnd % (uint64_t)s.n);
        source_bound(w->b, side, ix, &s, px, py);
        if (s.done)
            continue;
        if (w->n_src == w->cap_src) {
            int64_t cap = w->cap_src;
            if (!need((void **)&w->src, &cap, (int64_t)w->n_src + 1, sizeof(Source)))
                return FALSE;
            w->cap_src = (int32_t)cap;
        }
        w->src[w->n_src++] = s;
    }
    return TRUE;
}

/* Reads one step of @src into the candidate batch. */
static gboolean expand(Worker *w, int side, const Index *ix, Source *src, double px, double py)
{
    const int32_t *it = ix->items + ix->off[src->key];
    if (src->ring) {
        const Slot *sl = &ix->sl[ix->slot[src->key]];
        const int32_t *co = ix->coff + sl->cbase;
        int32_t g = sl->g, r = src->r, cx = src->cx, cy = src->cy;
        int32_t y0 = cy - r < 0 ? 0 : cy - r, y1 = cy + r >= g ? g - 1 : cy + r;
        for (int32_t y = y0; y <= y1; y++) {
            gboolean edge = (y == cy - r || y == cy + r);
            int32_t step = edge || r == 0 ? 1 : 2 * r;
            for (int32_t x = cx - r; x <= cx + r; x += step) {
                if (x < 0 || x >= g)
                    continue;
                int32_t cell = y * g + x;
                const char *rec = (const char *)ix->rec + ix->off[src->key] * ix->rec_size;
                for (int32_t e = co[cell]; e < co[cell + 1]; e++)
                    if (!add_cand(w, it[e], rec + e * ix->rec_size))
                        return FALSE;
            }
        }
        src->r++;
        if (src->r > src->rmax)
            src->done = TRUE;
        else
            source_bound(w->b, side, ix, src, px, py);
    } else {
        int32_t end = src->pos + 64 < src->n ? src->pos + 64 : src->n;
        for (int32_t q = src->pos; q < end; q++) {
            int32_t e = src->lo + (int32_t)(((int64_t)src->start + q) % src->n);
            if (!add_cand(w, it[e],
                          (const char *)ix->rec + (ix->off[src->key] + e) * ix->rec_size))
                return FALSE;
        }
        src->pos = end;
        if (src->pos >= src->n)
            src->done = TRUE;
    }
    return TRUE;
}

/* The best-first search of agent @a on @side over the sources in w->src
 * (preferences.h).  The k best end in w->heap (*nh entries). */
static gboolean search(Worker *w, int side, int32_t a, const Index *ix, int32_t k,
                       int32_t budget, double px, double py, int32_t *nh_out, gboolean *exact)
{
    const Build *b = w->b;
    int32_t nh = 0;
    int64_t examined = 0;
    *exact = FALSE;
    const CRec *cr = side == 0 ? &b->c[a] : NULL;
    const SRec *sr = side == 1 ? &b->s[a] : NULL;
    for (;;) {
        int32_t best = -1;
        for (int32_t i = 0; i < w->n_src; i++)
            if (!w->src[i].done && (best < 0 || w->src[i].ub > w->src[best].ub))
                best = i;
        if (best < 0) {
            *exact = TRUE;
            break;
        }
        if (nh == k && w->heap[0].score > w->src[best].ub) {
            *exact = TRUE;
            break;
        }
        if (examined >= budget)
            break;
        w->n_cand = 0;
        int32_t src_level = w->src[best].level;
        if (!expand(w, side, ix, &w->src[best], px, py))
            return FALSE;
        /* the batch is known: start fetching the partners' records */
        for (int32_t q = 0; q < w->n_cand; q++)
            TM_PREFETCH(w->crec[q]);
        gboolean cut = FALSE;
        for (int32_t q = 0; q < w->n_cand; q++) {
            if (examined >= budget) {
                cut = TRUE;
                break;
            }
            examined++;
            int32_t o = w->cand[q];
            TmScored x;
            if (side == 0) {
                const SRec *so = w->crec[q];
                int32_t level = w->lv[so->sector];
                if (!pair_ok(b, cr, so, level))
                    continue;
                double comp[TM_N_SCORE_COMPONENTS];
                comps(b, cr, so, level, comp);
                x.score = tm_i_combine(&b->ctx, 0, comp);
            } else {
                const CRec *co = w->crec[q];
                int32_t level = src_level >= 0 ? src_level : level_of(b, o, sr->sector);
                if (!pair_ok(b, co, sr, level))
                    continue;
                double comp[TM_N_SCORE_COMPONENTS];
                comps(b, co, sr, level, comp);
                x.score = tm_i_combine(&b->ctx, 1, comp);
            }
            x.id = o;
            w->st.candidates_scored++;
            topk_push(w->heap, &nh, k, x);
        }
        if (cut)
            break;
    }
    w->st.candidates_examined += examined;
    if (*exact)
        w->st.exact_agents++;
    else
        w->st.budget_agents++;
    *nh_out = nh;
    return TRUE;
}

/* Phase FORCED: sites choose their best site_k commissioners; pairs out. */
static void run_forced(Worker *w)
{
    Build *b = w->b;
    const TmCandidateParams *cp = &b->r->cand;
    const double *wt = b->ctx.w[1];
    for (int32_t i = w->lo; i < w->hi; i++) {
        int32_t s = b->order ? b->order[i] : i;
        if (((i - w->lo) & 1023) == 0) {
            if (worker_stop(w))
                return;
            worker_progress(w, 0.05, 0.15, i - w->lo);
        }
        const SRec *sr = &b->s[s];
        if (!sr->eligible)
            continue;
        int32_t w0 = b->w_off[1][s], w1 = b->w_off[1][s + 1];
        if (!IVEC_RESERVE(&w->pc, (int64_t)(w1 - w0) + b->site_k, &w->error)
            || !IVEC_RESERVE(&w->ps, (int64_t)(w1 - w0) + b->site_k, &w->error)) {
            worker_fail(w);
            return;
        }
        w->mark = s;
        for (int32_t e = w0; e < w1; e++) {
            w->stamp[b->w_ids[1][e]] = s; /* wishes are not searched */
            w->pc.v[w->pc.n++] = b->w_ids[1][e];
            w->ps.v[w->ps.n++] = s;
        }
        if (b->site_k <= 0)
            continue;
        w->n_src = 0;
        double tub = sr->min_title < 3 ? 1.0 : 0.0;
        int64_t T1 = (int64_t)b->n_tags + 1;
        int32_t lmin = b->r->min_level > 0 ? b->r->min_level : 0;
        for (int32_t lb = (b->by_sector ? lmin : 3) * TM_MERIT_BANDS;
             lb < 4 * TM_MERIT_BANDS; lb++) {
            int32_t L = lb / TM_MERIT_BANDS, band = lb % TM_MERIT_BANDS;
            int32_t blk = b->by_sector ? (sr->sector * 4 + L) * TM_MERIT_BANDS + band : band;
            double secc = b->by_sector ? (double)L / 3.0 : 1.0;
            double base0 = wt[TM_SCORE_SECTOR] * secc + wt[TM_SCORE_TITLE] * tub
                           + wt[TM_SCORE_YEARS];
            for (int32_t t = 0; t <= sr->n_needs; t++) {
                int64_t key = (int64_t)blk * T1
                              + (t < sr->n_needs ? b->needs[sr->need_off + t] : b->n_tags);
                int32_t si = b->cix->slot[key];
                if (si < 0)
                    continue;
                double base = base0 + wt[TM_SCORE_MERIT] * b->cix->sl[si].maxq
                              + (t < sr->n_needs ? wt[TM_SCORE_TAGS] : 0.0);
                uint64_t rnd = mix3(cp->seed, (uint64_t)s | (UINT64_C(1) << 40), (uint64_t)key);
                if (!add_source(w, 1, b->cix, key, b->by_sector ? L : -1, base, sr->located,
                                sr->x, sr->y, rnd)) {
                    worker_fail(w);
                    return;
                }
            }
        }
        int32_t nh = 0;
        gboolean exact;
        if (!search(w, 1, s, b->cix, b->site_k, b->budget_s, sr->x, sr->y, &nh, &exact)) {
            worker_fail(w);
            return;
        }
        for (int32_t q = 0; q < nh; q++) {
            w->pc.v[w->pc.n++] = w->heap[q].id;
            w->ps.v[w->ps.n++] = s;
        }
    }
    worker_progress(w, 0.05, 0.15, w->hi - w->lo);
}

/* Phase SUPPLY: the commissioner lists, with the site score of each entry. */
static void run_supply(Worker *w)
{
    Build *b = w->b;
    const TmCandidateParams *cp = &b->r->cand;
    const double *wt = b->ctx.w[0];
    int64_t T1 = (int64_t)b->n_tags + 1;
    for (int32_t i = w->lo; i < w->hi; i++) {
        int32_t c = b->order ? b->order[i] : i;
        if (((i - w->lo) & 1023) == 0) {
            if (worker_stop(w))
                return;
            worker_progress(w, 0.15, 0.75, i - w->lo);
        }
        const CRec *cr = &b->c[c];
        if (!cr->eligible) {
            b->sp_len[c] = 0;
            continue;
        }
        for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
            w->lv[b->exps[e].sector] = b->exps[e].level;
        w->mark = c;
        int32_t w0 = b->w_off[0][c], w1 = b->w_off[0][c + 1];
        if (!IVEC_RESERVE(&w->ids, w1 - w0, &w->error)
            || !DVEC_RESERVE(&w->dsc, w1 - w0, &w->error)) {
            worker_fail(w);
            return;
        }
        for (int32_t e = w0; e < w1; e++) {
            int32_t s = b->w_ids[0][e];
            w->stamp[s] = c;
            w->ids.v[w->ids.n++] = s;
            w->dsc.v[w->dsc.n++] = score1(b, 1, c, s, w->lv[b->s[s].sector]);
        }
        int64_t np = 0;
        if (b->k == 0) {
            if (!need((void **)&w->part, &w->cap_part, b->ns, sizeof(TmScored))) {
                worker_fail(w);
                return;
            }
            for (int32_t s = 0; s < b->ns; s++) {
                const SRec *sr = &b->s[s];
                if (w->stamp[s] == c || !sr->eligible)
                    continue;
                int32_t level = w->lv[sr->sector];
                if (!pair_ok(b, cr, sr, level))
                    continue;
                double comp[TM_N_SCORE_COMPONENTS];
                comps(b, cr, sr, level, comp);
                w->part[np].score = tm_i_combine(&b->ctx, 0, comp);
                w->part[np++].id = s;
            }
            w->st.candidates_scored += np;
        } else {
            w->n_src = 0;
            double tub = (double)cr->title / 3.0;
            tub = tub > 1 ? 1 : tub;
            for (int32_t sec = 0; sec < b->n_sectors; sec++) {
                if (b->by_sector && w->lv[sec] < b->r->min_level)
                    continue;
                double base0 = wt[TM_SCORE_SECTOR] * ((double)w->lv[sec] / 3.0)
                               + wt[TM_SCORE_TITLE] * tub + wt[TM_SCORE_YEARS]
                               + wt[TM_SCORE_MERIT] * cr->merit;
                for (int32_t t = 0; t <= cr->n_skills; t++) {
                    int64_t key = (int64_t)sec * T1
                                  + (t < cr->n_skills ? b->skills[cr->skill_off + t] : b->n_tags);
                    double base = base0 + (t < cr->n_skills ? wt[TM_SCORE_TAGS] : 0.0);
                    uint64_t rnd = mix3(cp->seed, (uint64_t)c, (uint64_t)key);
                    if (!add_source(w, 0, b->six, key, -1, base, cr->located, cr->x, cr->y,
                                    rnd)) {
                        worker_fail(w);
                        return;
                    }
                }
            }
            int32_t nh = 0;
            gboolean exact;
            if (!search(w, 0, c, b->six, b->k, b->budget_c, cr->x, cr->y, &nh, &exact)) {
                worker_fail(w);
                return;
            }
            int32_t nf = b->f_off[c + 1] - b->f_off[c];
            if (!need((void **)&w->part, &w->cap_part, (int64_t)nh + nf, sizeof(TmScored))) {
                worker_fail(w);
                return;
            }
            /* union with the forced sites; wishes and chosen ones are marked */
            const int32_t chosen = -2 - c;
            for (int32_t e = w0; e < w1; e++)
                w->stamp[b->w_ids[0][e]] = chosen;
            for (int32_t q = 0; q < nh; q++) {
                w->part[np++] = w->heap[q];
                w->stamp[w->heap[q].id] = chosen;
            }
            for (int32_t e = b->f_off[c]; e < b->f_off[c + 1]; e++) {
                int32_t s = b->f_ids[e];
                if (w->stamp[s] == chosen)
                    continue;
                w->stamp[s] = chosen;
                w->part[np].score = score1(b, 0, c, s, w->lv[b->s[s].sector]);
                w->part[np++].id = s;
                w->st.candidates_scored++;
                w->st.forced_entries++;
            }
        }
        tm_i_scored_sort(w->part, np);
        if (!IVEC_RESERVE(&w->ids, np, &w->error) || !DVEC_RESERVE(&w->dsc, np, &w->error)) {
            worker_fail(w);
            return;
        }
        for (int64_t q = 0; q < np; q++) {
            int32_t s = w->part[q].id;
            w->ids.v[w->ids.n++] = s;
            w->dsc.v[w->dsc.n++] = score1(b, 1, c, s, w->lv[b->s[s].sector]);
        }
        if ((int64_t)(w1 - w0) + np > G_MAXINT32) {
            g_set_error(&w->error, TM_ERROR, TM_ERROR_OVERFLOW, "list too long");
            g_atomic_int_set(&b->stop, 1);
            return;
        }
        b->sp_len[c] = (int32_t)((w1 - w0) + np);
        for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
            w->lv[b->exps[e].sector] = 0;
    }
    worker_progress(w, 0.15, 0.75, w->hi - w->lo);
}

/* Phase SORT: each site's segment of (site score, commissioner): wishes
 * first, the rest sorted; written back as ids. */
typedef struct {
    const int32_t *dp_off;
    TmScored *dpv;
    int32_t *dp;
} SortJob;

static void run_sort(Worker *w, const SortJob *job)
{
    Build *b = w->b;
    for (int32_t s = w->lo; s < w->hi; s++) {
        if (((s - w->lo) & 1023) == 0) {
            if (worker_stop(w))
                return;
            worker_progress(w, 0.8, 0.95, s - w->lo);
        }
        int32_t lo = job->dp_off[s], hi = job->dp_off[s + 1];
        if (hi == lo)
            continue;
        TmScored *v = job->dpv + lo;
        int32_t n = hi - lo;
        /* listed commissioners get mark s, wishes -2 - s */
        for (int32_t e = 0; e < n; e++)
            w->stamp[v[e].id] = s;
        const int32_t wmark = -2 - s;
        int32_t pos = lo;
        for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++) {
            int32_t c = b->w_ids[1][e];
            if (w->stamp[c] == s) {
                w->stamp[c] = wmark;
                job->dp[pos++] = c;
            }
        }
        int32_t m = 0;
        for (int32_t e = 0; e < n; e++)
            if (w->stamp[v[e].id] != wmark)
                v[m++] = v[e];
        tm_i_scored_sort(v, m);
        for (int32_t e = 0; e < m; e++)
            job->dp[pos++] = v[e].id;
    }
    worker_progress(w, 0.8, 0.95, w->hi - w->lo);
}

typedef struct {
    Worker *w;
    const SortJob *job;
} ThreadArg;

static gpointer worker_main(gpointer data)
{
    ThreadArg *ta = data;
    Worker *w = ta->w;
    switch (w->phase) {
    case PHASE_FORCED: run_forced(w); break;
    case PHASE_SUPPLY: run_supply(w); break;
    case PHASE_SORT: run_sort(w, ta->job); break;
    default: break;
    }
    return NULL;
}

static void worker_clear(Worker *w)
{
    g_free(w->ids.v);
    g_free(w->dsc.v);
    g_free(w->pc.v);
    g_free(w->ps.v);
    g_clear_error(&w->error);
    g_free(w->stamp);
    g_free(w->cand);
    g_free(w->crec);
    g_free(w->src);
    g_free(w->heap);
    g_free(w->part);
    g_free(w->lv);
    memset(w, 0, sizeof *w);
}

static void stats_add(TmPrefsStats *to, const TmPrefsStats *from)
{
    to->candidates_scored += from->candidates_scored;
    to->candidates_examined += from->candidates_examined;
    to->forced_entries += from->forced_entries;
    to->exact_agents += from->exact_agents;
    to->budget_agents += from->budget_agents;
}

/* Runs @phase over [0, n) split among the workers (allocated by the caller
 * with scratch for @n_other stamps).  Returns FALSE with the first worker
 * error. */
static gboolean run_phase(Build *b, Worker *ws, int phase, int32_t n, const SortJob *job,
                          GError **error)
{
    int T = b->n_threads;
    GThread *th[64] = { 0 };
    ThreadArg ta[64];
    for (int t = 0; t < T; t++) {
        ws[t].phase = phase;
        ws[t].lo = (int32_t)((int64_t)n * t / T);
        ws[t].hi = (int32_t)((int64_t)n * (t + 1) / T);
        ta[t].w = &ws[t];
        ta[t].job = job;
    }
    for (int t = 1; t < T; t++) {
        th[t] = g_thread_try_new("tm-prefs", worker_main, &ta[t], NULL);
        if (th[t] == NULL)
            worker_main(&ta[t]); /* no thread: run it here */
    }
    worker_main(&ta[0]);
    for (int t = 1; t < T; t++)
        if (th[t])
            g_thread_join(th[t]);
    for (int t = 0; t < T; t++) {
        if (ws[t].error) {
            g_propagate_error(error, ws[t].error);
            ws[t].error = NULL;
            return FALSE;
        }
    }
    if (g_atomic_int_get(&b->stop)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        return FALSE;
    }
    return TRUE;
}

static gboolean workers_init(Build *b, Worker *ws, int32_t n_stamp, GError **error)
{
    int64_t heap = b->k > b->site_k ? b->k : b->site_k;
    for (int t = 0; t < b->n_threads; t++) {
        ws[t].b = b;
        ws[t].id = t;
        g_free(ws[t].stamp);
        ws[t].stamp = tm_i_prog_alloc(n_stamp, sizeof(int32_t), FALSE, "workers", error);
        if (ws[t].stamp == NULL)
            return FALSE;
        for (int32_t i = 0; i < n_stamp; i++)
            ws[t].stamp[i] = -1;
        if (ws[t].heap == NULL) {
            ws[t].heap = tm_i_prog_alloc(heap, sizeof(TmScored), FALSE, "workers", error);
            ws[t].lv = tm_i_prog_alloc(b->n_sectors, sizeof(int32_t), TRUE, "workers", error);
            if (ws[t].heap == NULL || ws[t].lv == NULL)
                return FALSE;
        }
    }
    return TRUE;
}

/* Forced pairs as CSR by commissioner. */
static gboolean forced_csr(Build *b, Worker *ws, GError **error)
{
    int64_t np = 0;
    for (int t = 0; t < b->n_threads; t++)
        np += ws[t].pc.n;
    if (np > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many site-side choices");
        return FALSE;
    }
    b->f_off = tm_i_prog_alloc((int64_t)b->nc + 1, sizeof(int32_t), TRUE, "forced", error);
    b->f_ids = tm_i_prog_alloc(np, sizeof(int32_t), FALSE, "forced", error);
    int32_t *fill = tm_i_prog_alloc(b->nc, sizeof(int32_t), FALSE, "forced", error);
    if (!b->f_off || !b->f_ids || !fill) {
        g_free(fill);
        return FALSE;
    }
    for (int t = 0; t < b->n_threads; t++)
        for (int64_t q = 0; q < ws[t].pc.n; q++)
            b->f_off[ws[t].pc.v[q] + 1]++;
    for (int32_t c = 0; c < b->nc; c++)
        b->f_off[c + 1] += b->f_off[c];
    memcpy(fill, b->f_off, (gsize)b->nc * sizeof(int32_t));
    for (int t = 0; t < b->n_threads; t++) {
        for (int64_t q = 0; q < ws[t].pc.n; q++)
            b->f_ids[fill[ws[t].pc.v[q]]++] = ws[t].ps.v[q];
        g_free(ws[t].pc.v);
        g_free(ws[t].ps.v);
        memset(&ws[t].pc, 0, sizeof ws[t].pc);
        memset(&ws[t].ps, 0, sizeof ws[t].ps);
    }
    g_free(fill);
    return TRUE;
}

static void progress(const Build *b, double f)
{
    if (b->opt && b->opt->progress)
        b->opt->progress(f, b->opt->progress_data);
}

TmMarket *tm_programme_build_market(const TmProgramme *programme, const TmRules *rules,
                                    const TmScreening *screening,
                                    const TmPrefsOptions *options, GError **error)
{
    if (programme == NULL || rules == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "programme and rules must not be NULL");
        return NULL;
    }
    Build b;
    memset(&b, 0, sizeof b);
    b.p = programme;
    b.r = rules;
    b.opt = options;
    b.nc = tm_programme_n_commissioners(programme);
    b.ns = tm_programme_n_sites(programme);
    b.n_sectors = tm_taxonomy_n_sectors(tm_programme_taxonomy(programme));
    b.n_tags = tm_programme_n_tags(programme);
    b.by_sector = rules->enabled[TM_R_P_SECTOR];
    TmScreening *own = NULL;
    TmMarket *market = NULL;
    Worker ws[64];
    memset(ws, 0, sizeof ws);
    int32_t *sp_off = NULL, *sp = NULL, *dp_off = NULL, *dp = NULL;
    int32_t *cap_c = NULL, *cap_s = NULL;
    double *spd = NULL;
    TmScored *dpv = NULL;
    if (screening == NULL) {
        own = tm_programme_screen(programme, rules, error);
        if (own == NULL)
            return NULL;
        screening = own;
    } else if (screening->n[0] != b.nc || screening->n[1] != b.ns) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "screening of %" G_GINT32_FORMAT " commissioners and %" G_GINT32_FORMAT
                    " sites does not fit a programme of %" G_GINT32_FORMAT " and %"
                    G_GINT32_FORMAT, screening->n[0], screening->n[1], b.nc, b.ns);
        return NULL;
    }
    b.scr = screening;
    tm_i_score_ctx_init(&b.ctx, programme, rules);

    /* k, budgets, threads */
    const TmCandidateParams *cp = &rules->cand;
    int32_t k = options && options->k >= 0 ? options->k : cp->k;
    if (k < 0) {
        int64_t pairs = (int64_t)screening->n_eligible[0] * screening->n_eligible[1];
        k = pairs <= cp->exact_limit ? 0 : cp->auto_k;
    }
    b.k = k;
    b.site_k = k == 0 ? 0 : (cp->site_k < 0 ? k : cp->site_k);
    b.budget_c = cp->budget > 0 ? cp->budget : (int32_t)MIN((int64_t)b.k * 20, G_MAXINT32);
    b.budget_s = cp->site_budget > 0 ? cp->site_budget
                                     : (int32_t)MIN((int64_t)b.site_k * 20, G_MAXINT32);
    int T = options && options->n_threads > 0 ? options->n_threads : (int)g_get_num_processors();
    int32_t nmax = b.nc > b.ns ? b.nc : b.ns;
    if (T > 64)
        T = 64;
    if (T > nmax / 256 + 1)
        T = nmax / 256 + 1;
    b.n_threads = T < 1 ? 1 : T;
    b.stats.k = b.k;
    b.stats.site_k = b.site_k;
    b.stats.threads = b.n_threads;
    progress(&b, 0.0);

    if (!flatten(&b, error) || !resolve_wishes(&b, 0, error) || !resolve_wishes(&b, 1, error))
        goto out;
    if (g_atomic_int_get(&b.stop) || (options && tm_cancel_is_triggered(options->cancel))) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        goto out;
    }

    /* 2. indexes and site-side choices */
    if (b.k > 0) {
        b.six = site_index(&b, error);
        if (b.six == NULL)
            goto out;
        if (b.site_k > 0 && (b.cix = commissioner_index(&b, error)) == NULL)
            goto out;
        int32_t n_order = 0;
        if ((b.order = spatial_order(&b, 1, &n_order, error)) == NULL
            || !workers_init(&b, ws, b.nc, error)
            || !run_phase(&b, ws, PHASE_FORCED, n_order, NULL, error)
            || !forced_csr(&b, ws, error))
            goto out;
        g_free(b.order);
        b.order = NULL;
        index_free(b.cix);
        b.cix = NULL;
    }
    progress(&b, 0.15);

    /* 3. commissioner lists, computed in spatial order, gathered by id */
    {
        int32_t n_order = 0;
        b.sp_len = tm_i_prog_alloc(b.nc, sizeof(int32_t), TRUE, "lists", error);
        if (b.sp_len == NULL || (b.order = spatial_order(&b, 0, &n_order, error)) == NULL
            || !workers_init(&b, ws, b.ns, error)
            || !run_phase(&b, ws, PHASE_SUPPLY, n_order, NULL, error))
            goto out;
    }
    index_free(b.six);
    b.six = NULL;
    int64_t L = 0;
    for (int t = 0; t < b.n_threads; t++)
        L += ws[t].ids.n;
    if (L > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "more than %d preference list entries", G_MAXINT32);
        goto out;
    }
    sp_off = tm_i_prog_alloc((int64_t)b.nc + 1, sizeof(int32_t), FALSE, "lists", error);
    sp = tm_i_prog_alloc(L, sizeof(int32_t), FALSE, "lists", error);
    spd = tm_i_prog_alloc(L, sizeof(double), FALSE, "lists", error);
    if (sp_off == NULL || sp == NULL || spd == NULL)
        goto out;
    sp_off[0] = 0;
    for (int32_t c = 0; c < b.nc; c++)
        sp_off[c + 1] = sp_off[c] + b.sp_len[c];
    for (int t = 0; t < b.n_threads; t++) {
        int64_t pos = 0;
        for (int32_t i = ws[t].lo; i < ws[t].hi; i++) {
            int32_t c = b.order[i], len = b.sp_len[c];
            if (len > 0) {
                memcpy(sp + sp_off[c], ws[t].ids.v + pos, (gsize)len * sizeof(int32_t));
                memcpy(spd + sp_off[c], ws[t].dsc.v + pos, (gsize)len * sizeof(double));
            }
            pos += len;
        }
        g_free(ws[t].ids.v);
        g_free(ws[t].dsc.v);
        memset(&ws[t].ids, 0, sizeof ws[t].ids);
        memset(&ws[t].dsc, 0, sizeof ws[t].dsc);
    }
    g_free(b.order);
    b.order = NULL;
    for (int t = 0; t < b.n_threads; t++)
        stats_add(&b.stats, &ws[t].st);
    progress(&b, 0.75);

    /* 4. site lists: transpose with the site scores, then sort per site */
    dp_off = tm_i_prog_alloc((int64_t)b.ns + 1, sizeof(int32_t), TRUE, "site lists", error);
    dpv = tm_i_prog_alloc(L, sizeof(TmScored), FALSE, "site lists", error);
    if (!dp_off || !dpv)
        goto out;
    for (int64_t e = 0; e < L; e++)
        dp_off[sp[e] + 1]++;
    for (int32_t s = 0; s < b.ns; s++)
        dp_off[s + 1] += dp_off[s];
    {
        int32_t *fill = tm_i_prog_alloc(b.ns, sizeof(int32_t), FALSE, "site lists", error);
        if (fill == NULL)
            goto out;
        memcpy(fill, dp_off, (gsize)b.ns * sizeof(int32_t));
        for (int32_t c = 0; c < b.nc; c++)
            for (int32_t e = sp_off[c]; e < sp_off[c + 1]; e++) {
                TmScored x = { spd[e], c };
                dpv[fill[sp[e]]++] = x;
            }
        g_free(fill);
    }
    g_free(spd);
    spd = NULL;
    dp = tm_i_prog_alloc(L, sizeof(int32_t), FALSE, "site lists", error);
    if (dp == NULL)
        goto out;
    {
        SortJob job = { dp_off, dpv, dp };
        if (!workers_init(&b, ws, b.nc, error) || !run_phase(&b, ws, PHASE_SORT, b.ns, &job, error))
            goto out;
    }
    g_free(dpv);
    dpv = NULL;
    for (int t = 0; t < b.n_threads; t++)
        worker_clear(&ws[t]);
    progress(&b, 0.95);

    /* 5. the market */
    cap_c = tm_i_prog_alloc(b.nc, sizeof(int32_t), FALSE, "capacities", error);
    cap_s = tm_i_prog_alloc(b.ns, sizeof(int32_t), FALSE, "capacities", error);
    if (!cap_c || !cap_s)
        goto out;
    for (int32_t c = 0; c < b.nc; c++)
        cap_c[c] = b.c[c].eligible ? tm_programme_commissioner(programme, c)->capacity : 0;
    for (int32_t s = 0; s < b.ns; s++)
        cap_s[s] = b.s[s].eligible ? tm_programme_site(programme, s)->capacity : 0;
    b.stats.supply_entries = L;
    b.stats.demand_entries = L;
    market = tm_market_new_from_arrays(b.nc, b.ns, cap_c, cap_s, sp_off, sp, dp_off, dp, error);
    if (market) {
        progress(&b, 1.0);
        if (options && options->stats)
            *options->stats = b.stats;
    }
out:
    for (int t = 0; t < 64; t++)
        worker_clear(&ws[t]);
    g_free(sp_off);
    g_free(sp);
    g_free(spd);
    g_free(dp_off);
    g_free(dp);
    g_free(dpv);
    g_free(cap_c);
    g_free(cap_s);
    build_clear(&b);
    tm_screening_free(own);
    return market;
}
