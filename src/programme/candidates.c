/* techmatch — from a screened programme to a market: explicit wishes,
 * exact lists (k = 0) or bounded candidate generation with top-k (k > 0),
 * site lists by transpose.  The contract is in preferences.h.
 *
 * Data flow (memory O(total list length + n + total tags)):
 *   1. resolve explicit wishes of both sides to ids (CSR), keep acceptable ones;
 *   2. k > 0: index eligible sites by (sector, need tag) and (sector, *), each
 *      bucket on a grid; if site_k > 0 also index commissioners and let every
 *      site pick its site_k best candidates -> "forced" pairs (CSR by c);
 *   3. per eligible commissioner: wishes, then the scored part (exact: every
 *      acceptable site; top-k: best k of the candidate set + forced), sorted;
 *   4. transpose into site lists, wishes first, the rest sorted by site score;
 *   5. tm_market_new_from_arrays().
 */
#include "programme/rules_internal.h"

#include <string.h>

/* ---- small utilities ------------------------------------------------------ */

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

/* Growable int32 array with int64 length. */
typedef struct {
    int32_t *v;
    int64_t n, cap;
} IVec;

static gboolean ivec_reserve(IVec *a, int64_t extra, GError **error)
{
    if (a->n + extra <= a->cap)
        return TRUE;
    int64_t cap = a->cap ? a->cap : 1024;
    while (cap < a->n + extra)
        cap = cap + cap / 2 + 16;
    if ((uint64_t)cap > (uint64_t)G_MAXSIZE / sizeof(int32_t)) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "preference lists: too large");
        return FALSE;
    }
    int32_t *v = g_try_realloc(a->v, (gsize)cap * sizeof(int32_t));
    if (v == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "preference lists: cannot grow to %" G_GINT64_FORMAT " entries", cap);
        return FALSE;
    }
    a->v = v;
    a->cap = cap;
    return TRUE;
}

/* ---- spatial bucket index ---------------------------------------------------- */

/* Buckets are keyed by block * (n_tags + 1) + tag, tag == n_tags meaning "*"
 * (every member of the block).  Items of a bucket: located ones sorted by
 * grid cell (row-major) then id, then unlocated ones by id. */
typedef struct {
    int32_t n_blocks, n_tags;
    int64_t n_keys;
    int64_t *off;     /* n_keys + 1 */
    int32_t *items;
    int32_t *slot;    /* n_keys: grid slot, -1 for an empty bucket */
    int32_t n_slots;
    int32_t *g;       /* per slot: grid side */
    int32_t *n_loc;   /* per slot: located items */
    double *x0, *y0, *inv;
    int64_t *cbase;   /* per slot: first entry in coff */
    int32_t *coff;    /* per slot: g*g + 1 offsets relative to the bucket start */
} Index;

static void index_free(Index *ix)
{
    if (ix == NULL)
        return;
    g_free(ix->off);
    g_free(ix->items);
    g_free(ix->slot);
    g_free(ix->g);
    g_free(ix->n_loc);
    g_free(ix->x0);
    g_free(ix->y0);
    g_free(ix->inv);
    g_free(ix->cbase);
    g_free(ix->coff);
    g_free(ix);
}

/* Description of the items to index. */
typedef struct {
    int32_t n;                 /* items */
    const int8_t *first;       /* screening: < 0 = eligible */
    const int32_t *blk_off;    /* CSR item -> blocks (n + 1), int64 not needed: <= n * blocks */
    const int32_t *blk;
    const int32_t *const *tags; /* per item: sorted tag ids */
    const int32_t *n_tags_of;   /* per item */
    const double *x, *y;
    const uint8_t *located;
} IndexInput;

static Index *index_build(const IndexInput *in, int32_t n_blocks, int32_t n_tags,
                          GError **error)
{
    Index *ix = g_new0(Index, 1);
    ix->n_blocks = n_blocks;
    ix->n_tags = n_tags;
    ix->n_keys = (int64_t)n_blocks * ((int64_t)n_tags + 1);
    const int64_t T1 = (int64_t)n_tags + 1;
    int32_t *scratch = NULL, *cnt = NULL;
    ix->off = tm_i_prog_alloc(ix->n_keys + 1, sizeof(int64_t), TRUE, "index", error);
    ix->slot = tm_i_prog_alloc(ix->n_keys, sizeof(int32_t), FALSE, "index", error);
    if (ix->off == NULL || ix->slot == NULL)
        goto fail;
    for (int32_t i = 0; i < in->n; i++) {
        if (in->first[i] >= 0)
            continue;
        for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
            int64_t base = (int64_t)in->blk[b] * T1;
            ix->off[base + n_tags + 1]++;
            for (int32_t t = 0; t < in->n_tags_of[i]; t++)
                ix->off[base + in->tags[i][t] + 1]++;
        }
    }
    int64_t max_bucket = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->off[k + 1] > max_bucket)
            max_bucket = ix->off[k + 1];
        ix->off[k + 1] += ix->off[k];
    }
    int64_t total = ix->off[ix->n_keys];
    ix->items = tm_i_prog_alloc(total, sizeof(int32_t), FALSE, "index", error);
    if (ix->items == NULL)
        goto fail;
    {
        int64_t *fill = tm_i_prog_alloc(ix->n_keys, sizeof(int64_t), FALSE, "index", error);
        if (fill == NULL)
            goto fail;
        memcpy(fill, ix->off, (gsize)ix->n_keys * sizeof(int64_t));
        for (int32_t i = 0; i < in->n; i++) {
            if (in->first[i] >= 0)
                continue;
            for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
                int64_t base = (int64_t)in->blk[b] * T1;
                ix->items[fill[base + n_tags]++] = i;
                for (int32_t t = 0; t < in->n_tags_of[i]; t++)
                    ix->items[fill[base + in->tags[i][t]]++] = i;
            }
        }
        g_free(fill);
    }
    /* grids */
    int32_t n_slots = 0;
    int64_t n_cells = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        int64_t len = ix->off[k + 1] - ix->off[k];
        if (len == 0) {
            ix->slot[k] = -1;
            continue;
        }
        ix->slot[k] = n_slots++;
    }
    ix->n_slots = n_slots;
    ix->g = tm_i_prog_alloc(n_slots, sizeof(int32_t), FALSE, "index", error);
    ix->n_loc = tm_i_prog_alloc(n_slots, sizeof(int32_t), FALSE, "index", error);
    ix->x0 = tm_i_prog_alloc(n_slots, sizeof(double), FALSE, "index", error);
    ix->y0 = tm_i_prog_alloc(n_slots, sizeof(double), FALSE, "index", error);
    ix->inv = tm_i_prog_alloc(n_slots, sizeof(double), FALSE, "index", error);
    ix->cbase = tm_i_prog_alloc(n_slots, sizeof(int64_t), FALSE, "index", error);
    if (!ix->g || !ix->n_loc || !ix->x0 || !ix->y0 || !ix->inv || !ix->cbase)
        goto fail;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        int32_t sl = ix->slot[k];
        if (sl < 0)
            continue;
        int32_t nloc = 0;
        double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
        for (int64_t e = ix->off[k]; e < ix->off[k + 1]; e++) {
            int32_t i = ix->items[e];
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
        int32_t g = 0;
        if (nloc > 0) {
            double side = sqrt((double)nloc / 4.0);
            g = side < 1 ? 1 : (side > 1024 ? 1024 : (int32_t)ceil(side));
        }
        double span = xmax - xmin > ymax - ymin ? xmax - xmin : ymax - ymin;
        ix->g[sl] = g;
        ix->n_loc[sl] = nloc;
        ix->x0[sl] = xmin;
        ix->y0[sl] = ymin;
        ix->inv[sl] = span > 0 && isfinite(span) ? (double)g / span : 0.0;
        if (!isfinite(ix->inv[sl]))
            ix->inv[sl] = 0.0;
        ix->cbase[sl] = n_cells;
        n_cells += (int64_t)g * g + 1;
    }
    ix->coff = tm_i_prog_alloc(n_cells, sizeof(int32_t), TRUE, "index", error);
    scratch = tm_i_prog_alloc(max_bucket, sizeof(int32_t), FALSE, "index", error);
    cnt = tm_i_prog_alloc(1024 * 1024 + 2, sizeof(int32_t), FALSE, "index", error);
    if (ix->coff == NULL || scratch == NULL || cnt == NULL)
        goto fail;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        int32_t sl = ix->slot[k];
        if (sl < 0)
            continue;
        int32_t g = ix->g[sl];
        int32_t nc = g * g;
        int32_t len = (int32_t)(ix->off[k + 1] - ix->off[k]);
        int32_t *it = ix->items + ix->off[k];
        /* counting sort by cell; unlocated items go to pseudo-cell nc */
        memset(cnt, 0, (gsize)(nc + 2) * sizeof(int32_t));
        for (int32_t e = 0; e < len; e++) {
            int32_t i = it[e], cell = nc;
            if (in->located[i]) {
                int32_t cx = (int32_t)((in->x[i] - ix->x0[sl]) * ix->inv[sl]);
                int32_t cy = (int32_t)((in->y[i] - ix->y0[sl]) * ix->inv[sl]);
                cx = cx < 0 ? 0 : (cx >= g ? g - 1 : cx);
                cy = cy < 0 ? 0 : (cy >= g ? g - 1 : cy);
                cell = cy * g + cx;
            }
            scratch[e] = cell;
            cnt[cell + 1]++;
        }
        for (int32_t c = 0; c <= nc; c++)
            cnt[c + 1] += cnt[c];
        int32_t *co = ix->coff + ix->cbase[sl];
        for (int32_t c = 0; c <= nc; c++)
            co[c] = cnt[c];
        /* stable placement: reuse the tail of scratch is not possible, so
         * place into a temporary region of cnt-based positions */
        int32_t *tmp = g_try_new(int32_t, len > 0 ? len : 1);
        if (tmp == NULL) {
            g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "index: cannot allocate");
            goto fail;
        }
        for (int32_t e = 0; e < len; e++)
            tmp[cnt[scratch[e]]++] = it[e];
        memcpy(it, tmp, (gsize)len * sizeof(int32_t));
        g_free(tmp);
    }
    g_free(scratch);
    g_free(cnt);
    return ix;
fail:
    g_free(scratch);
    g_free(cnt);
    index_free(ix);
    return NULL;
}

/* Candidate collector: dedupes with a stamp array over the other side. */
typedef struct {
    int32_t *buf;
    int32_t n, cap;
    int32_t *stamp;   /* other side's size */
    int32_t mark;
} Collector;

static gboolean collect(Collector *col, int32_t item)
{
    if (col->stamp[item] == col->mark)
        return TRUE;
    col->stamp[item] = col->mark;
    if (col->n == col->cap) {
        int32_t cap = col->cap ? col->cap * 2 : 256;
        int32_t *b = g_try_realloc(col->buf, (gsize)cap * sizeof(int32_t));
        if (b == NULL)
            return FALSE;
        col->buf = b;
        col->cap = cap;
    }
    col->buf[col->n++] = item;
    return TRUE;
}

/* Ring search (preferences.h): takes whole rings until >= want items seen,
 * then unlocated items cyclically from a pseudo-random start. */
static gboolean ring_search(const Index *ix, int64_t key, gboolean located, double px,
                            double py, uint64_t rnd, int32_t want, Collector *col)
{
    if (want <= 0)
        return TRUE;
    int32_t sl = ix->slot[key];
    if (sl < 0)
        return TRUE;
    const int32_t *it = ix->items + ix->off[key];
    int32_t len = (int32_t)(ix->off[key + 1] - ix->off[key]);
    int32_t nloc = ix->n_loc[sl];
    int64_t taken = 0;
    if (nloc > 0) {
        int32_t g = ix->g[sl];
        const int32_t *co = ix->coff + ix->cbase[sl];
        int32_t cx, cy;
        if (located) {
            double fx = (px - ix->x0[sl]) * ix->inv[sl];
            double fy = (py - ix->y0[sl]) * ix->inv[sl];
            cx = fx < 0 ? 0 : (fx >= g ? g - 1 : (int32_t)fx);
            cy = fy < 0 ? 0 : (fy >= g ? g - 1 : (int32_t)fy);
        } else {
            int64_t cell = (int64_t)(rnd % (uint64_t)((int64_t)g * g));
            cx = (int32_t)(cell % g);
            cy = (int32_t)(cell / g);
        }
        int32_t rmax = cx;
        if (g - 1 - cx > rmax) rmax = g - 1 - cx;
        if (cy > rmax) rmax = cy;
        if (g - 1 - cy > rmax) rmax = g - 1 - cy;
        for (int32_t r = 0; r <= rmax && taken < want; r++) {
            int32_t y0 = cy - r < 0 ? 0 : cy - r, y1 = cy + r >= g ? g - 1 : cy + r;
            for (int32_t y = y0; y <= y1; y++) {
                gboolean edge_row = (y == cy - r || y == cy + r);
                int32_t step = edge_row ? 1 : 2 * r;
                for (int32_t x = cx - r; x <= cx + r; x += step) {
                    if (x < 0 || x >= g)
                        continue;
                    int32_t cell = y * g + x;
                    for (int32_t e = co[cell]; e < co[cell + 1]; e++)
                        if (!collect(col, it[e]))
                            return FALSE;
                    taken += co[cell + 1] - co[cell];
                }
            }
        }
    }
    int32_t nun = len - nloc;
    if (taken < want && nun > 0) {
        int64_t need = want - taken;
        if (need > nun)
            need = nun;
        int32_t start = (int32_t)(rnd % (uint64_t)nun);
        for (int64_t q = 0; q < need; q++) {
            int32_t e = nloc + (int32_t)((start + q) % nun);
            if (!collect(col, it[e]))
                return FALSE;
        }
    }
    return TRUE;
}

static gboolean sample_bucket(const Index *ix, int64_t key, uint64_t rnd, int32_t count,
                              Collector *col)
{
    if (count <= 0 || ix->slot[key] < 0)
        return TRUE;
    const int32_t *it = ix->items + ix->off[key];
    uint64_t len = (uint64_t)(ix->off[key + 1] - ix->off[key]);
    uint64_t st = rnd;
    for (int32_t q = 0; q < count; q++)
        if (!collect(col, it[splitmix64(&st) % len]))
            return FALSE;
    return TRUE;
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

/* ---- the build ----------------------------------------------------------------- */

typedef struct {
    const TmProgramme *p;
    const TmRules *r;
    const TmScreening *scr;
    TmScoreCtx ctx;
    int32_t nc, ns, n_sectors, n_tags;
    /* cached per-agent data (borrowed from the programme) */
    const TmCommissioner **cinfo;
    const TmSite **sinfo;
    const int32_t **skills;
    int32_t *n_skills;
    const int32_t **needs;
    int32_t *n_needs;
    /* wishes, resolved and filtered (CSR) */
    int32_t *w_off[2];
    int32_t *w_ids[2];
    /* options */
    int32_t k, site_k;
    const TmPrefsOptions *opt;
    TmPrefsStats stats;
} Build;

static void build_clear(Build *b)
{
    g_free(b->cinfo);
    g_free(b->sinfo);
    g_free(b->skills);
    g_free(b->n_skills);
    g_free(b->needs);
    g_free(b->n_needs);
    for (int s = 0; s < 2; s++) {
        g_free(b->w_off[s]);
        g_free(b->w_ids[s]);
    }
}

static gboolean cancelled(const Build *b, GError **error)
{
    if (b->opt && b->opt->cancel && g_atomic_int_get(b->opt->cancel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        return TRUE;
    }
    return FALSE;
}

static void progress(const Build *b, double f)
{
    if (b->opt && b->opt->progress)
        b->opt->progress(f, b->opt->progress_data);
}

static inline gboolean elig(const Build *b, int side, int32_t id)
{
    return b->scr->first[side][id] < 0;
}

/* Is (c, s) acceptable?  @level: c's level in s's sector. */
static inline gboolean acceptable_lv(const Build *b, int32_t c, int32_t s, int32_t level)
{
    return elig(b, 0, c) && elig(b, 1, s)
           && tm_i_pair_mask(b->r, b->cinfo[c], level, b->sinfo[s], TRUE) == 0;
}

static inline gboolean acceptable(const Build *b, int32_t c, int32_t s)
{
    return acceptable_lv(b, c, s, tm_programme_expertise(b->p, c, b->sinfo[s]->sector));
}

static inline double score_lv(const Build *b, int side, int32_t c, int32_t s, int32_t level)
{
    double comp[TM_N_SCORE_COMPONENTS];
    tm_i_components(&b->ctx, b->cinfo[c], b->skills[c], b->n_skills[c], level, b->sinfo[s],
                    b->needs[s], b->n_needs[s], comp);
    return tm_i_combine(&b->ctx, side, comp);
}

/* Resolves the explicit wishes of @side into CSR, keeping acceptable ones
 * (first occurrence). */
static gboolean resolve_wishes(Build *b, int side, GError **error)
{
    int32_t n = side == 0 ? b->nc : b->ns;
    int32_t n_other = side == 0 ? b->ns : b->nc;
    int64_t total = 0;
    for (int32_t a = 0; a < n; a++)
        total += side == 0 ? b->cinfo[a]->n_ranked_sites : b->sinfo[a]->n_ranked_commissioners;
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
            names = b->cinfo[a]->ranked_sites;
            nn = b->cinfo[a]->n_ranked_sites;
            me = b->cinfo[a]->name;
        } else {
            names = b->sinfo[a]->ranked_commissioners;
            nn = b->sinfo[a]->n_ranked_commissioners;
            me = b->sinfo[a]->name;
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
            gboolean ok = side == 0 ? acceptable(b, a, o) : acceptable(b, o, a);
            if (ok) {
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

/* Builds the index over eligible sites: block = sector. */
static Index *site_index(const Build *b, GError **error)
{
    int32_t *blk_off = tm_i_prog_alloc((int64_t)b->ns + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    int32_t *blk = tm_i_prog_alloc(b->ns, sizeof(int32_t), FALSE, "index", error);
    double *x = tm_i_prog_alloc(b->ns, sizeof(double), FALSE, "index", error);
    double *y = tm_i_prog_alloc(b->ns, sizeof(double), FALSE, "index", error);
    uint8_t *loc = tm_i_prog_alloc(b->ns, 1, FALSE, "index", error);
    Index *ix = NULL;
    if (blk_off && blk && x && y && loc) {
        for (int32_t s = 0; s <= b->ns; s++)
            blk_off[s] = s;
        for (int32_t s = 0; s < b->ns; s++) {
            blk[s] = b->sinfo[s]->sector;
            x[s] = b->sinfo[s]->x;
            y[s] = b->sinfo[s]->y;
            loc[s] = tm_i_located(x[s], y[s]);
        }
        IndexInput in = { b->ns, b->scr->first[1], blk_off, blk, b->needs, b->n_needs,
                          x, y, loc };
        ix = index_build(&in, b->n_sectors, b->n_tags, error);
    }
    g_free(blk_off);
    g_free(blk);
    g_free(x);
    g_free(y);
    g_free(loc);
    return ix;
}

/* Builds the index over eligible commissioners: blocks = sectors with level >=
 * min_level when P_SECTOR is on, else one block. */
static Index *commissioner_index(const Build *b, gboolean by_sector, GError **error)
{
    int32_t *blk_off = tm_i_prog_alloc((int64_t)b->nc + 1, sizeof(int32_t), FALSE, "index",
                                       error);
    double *x = tm_i_prog_alloc(b->nc, sizeof(double), FALSE, "index", error);
    double *y = tm_i_prog_alloc(b->nc, sizeof(double), FALSE, "index", error);
    uint8_t *loc = tm_i_prog_alloc(b->nc, 1, FALSE, "index", error);
    int32_t *blk = NULL;
    Index *ix = NULL;
    if (!blk_off || !x || !y || !loc)
        goto out;
    int64_t total = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        blk_off[c] = (int32_t)total;
        if (!elig(b, 0, c))
            continue;
        if (!by_sector)
            total += 1;
        else if (b->r->min_level <= 0)
            total += b->n_sectors;
        else
            for (int32_t e = 0; e < b->cinfo[c]->n_expertise; e++)
                total += b->cinfo[c]->expertise[e].level >= b->r->min_level;
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
        const TmCommissioner *ci = b->cinfo[c];
        x[c] = ci->x;
        y[c] = ci->y;
        loc[c] = tm_i_located(ci->x, ci->y);
        if (!elig(b, 0, c))
            continue;
        int32_t q = blk_off[c];
        if (!by_sector)
            blk[q++] = 0;
        else if (b->r->min_level <= 0)
            for (int32_t s = 0; s < b->n_sectors; s++)
                blk[q++] = s;
        else
            for (int32_t e = 0; e < ci->n_expertise; e++)
                if (ci->expertise[e].level >= b->r->min_level)
                    blk[q++] = ci->expertise[e].sector;
    }
    IndexInput in = { b->nc, b->scr->first[0], blk_off, blk, b->skills, b->n_skills,
                      x, y, loc };
    ix = index_build(&in, by_sector ? b->n_sectors : 1, b->n_tags, error);
out:
    g_free(blk_off);
    g_free(blk);
    g_free(x);
    g_free(y);
    g_free(loc);
    return ix;
}

/* Site side top-site_k: forced pairs as CSR by commissioner (f_off, f_ids).
 * Also includes sites' acceptable wishes. */
static gboolean forced_pairs(Build *b, int32_t **f_off_out, int32_t **f_ids_out,
                             GError **error)
{
    gboolean by_sector = b->r->enabled[TM_R_P_SECTOR];
    const TmCandidateParams *cp = &b->r->cand;
    Index *ix = NULL;
    int32_t *pc = NULL, *ps = NULL; /* pairs (c, s) */
    int64_t np = 0, cap_p = 0;
    TmScored *heap = NULL;
    Collector col = { 0 };
    int32_t *f_off = NULL, *f_ids = NULL;
    gboolean ok = FALSE;

    int64_t n_wish = b->w_off[1][b->ns];
    cap_p = n_wish + (int64_t)b->ns * b->site_k;
    if (cap_p > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many site-side candidates");
        return FALSE;
    }
    pc = tm_i_prog_alloc(cap_p, sizeof(int32_t), FALSE, "forced pairs", error);
    ps = tm_i_prog_alloc(cap_p, sizeof(int32_t), FALSE, "forced pairs", error);
    if (!pc || !ps)
        goto out;
    for (int32_t s = 0; s < b->ns; s++)
        for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++) {
            pc[np] = b->w_ids[1][e];
            ps[np++] = s;
        }
    if (b->site_k > 0) {
        ix = commissioner_index(b, by_sector, error);
        col.stamp = tm_i_prog_alloc(b->nc, sizeof(int32_t), FALSE, "candidates", error);
        heap = tm_i_prog_alloc(b->site_k, sizeof(TmScored), FALSE, "candidates", error);
        if (!ix || !col.stamp || !heap)
            goto out;
        for (int32_t c = 0; c < b->nc; c++)
            col.stamp[c] = -1;
        for (int32_t s = 0; s < b->ns; s++) {
            if ((s & 4095) == 0 && cancelled(b, error))
                goto out;
            if (!elig(b, 1, s))
                continue;
            const TmSite *si = b->sinfo[s];
            col.mark = s;
            col.n = 0;
            /* exclude wishes: stamp them without collecting */
            for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++)
                col.stamp[b->w_ids[1][e]] = s;
            int32_t blkid = by_sector ? si->sector : 0;
            int64_t base = (int64_t)blkid * ((int64_t)b->n_tags + 1);
            gboolean loc = tm_i_located(si->x, si->y);
            for (int32_t t = 0; t < b->n_needs[s]; t++) {
                uint64_t rnd = mix3(cp->seed, UINT64_C(0x5172) ^ (uint64_t)s,
                                    (uint64_t)b->needs[s][t]);
                if (!ring_search(ix, base + b->needs[s][t], loc, si->x, si->y, rnd,
                                 cp->per_tag, &col))
                    goto nomem;
            }
            uint64_t rnd = mix3(cp->seed, UINT64_C(0x5173) ^ (uint64_t)s, (uint64_t)blkid);
            if (!ring_search(ix, base + b->n_tags, loc, si->x, si->y, rnd, cp->near, &col))
                goto nomem;
            if (!sample_bucket(ix, base + b->n_tags, rnd ^ UINT64_C(0xABCDEF), cp->sample,
                               &col))
                goto nomem;
            int32_t nh = 0;
            for (int32_t q = 0; q < col.n; q++) {
                int32_t c = col.buf[q];
                int32_t level = tm_programme_expertise(b->p, c, si->sector);
                if (!acceptable_lv(b, c, s, level))
                    continue;
                TmScored x = { score_lv(b, 1, c, s, level), c };
                b->stats.candidates_scored++;
                topk_push(heap, &nh, b->site_k, x);
            }
            for (int32_t q = 0; q < nh; q++) {
                pc[np] = heap[q].id;
                ps[np++] = s;
            }
        }
    }
    /* CSR by commissioner */
    f_off = tm_i_prog_alloc((int64_t)b->nc + 1, sizeof(int32_t), TRUE, "forced pairs", error);
    f_ids = tm_i_prog_alloc(np, sizeof(int32_t), FALSE, "forced pairs", error);
    if (!f_off || !f_ids)
        goto out;
    for (int64_t q = 0; q < np; q++)
        f_off[pc[q] + 1]++;
    for (int32_t c = 0; c < b->nc; c++)
        f_off[c + 1] += f_off[c];
    {
        int32_t *fill = tm_i_prog_alloc(b->nc, sizeof(int32_t), FALSE, "forced pairs", error);
        if (!fill)
            goto out;
        memcpy(fill, f_off, (gsize)b->nc * sizeof(int32_t));
        for (int64_t q = 0; q < np; q++)
            f_ids[fill[pc[q]]++] = ps[q];
        g_free(fill);
    }
    *f_off_out = f_off;
    *f_ids_out = f_ids;
    f_off = f_ids = NULL;
    ok = TRUE;
    goto out;
nomem:
    g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "candidates: cannot allocate");
out:
    index_free(ix);
    g_free(pc);
    g_free(ps);
    g_free(heap);
    g_free(col.buf);
    g_free(col.stamp);
    g_free(f_off);
    g_free(f_ids);
    return ok;
}

/* Step 3: the commissioner lists. */
static gboolean supply_lists(Build *b, int32_t *sp_off, IVec *sp, GError **error)
{
    const TmCandidateParams *cp = &b->r->cand;
    gboolean by_sector = b->r->enabled[TM_R_P_SECTOR];
    Index *ix = NULL;
    int32_t *f_off = NULL, *f_ids = NULL;
    Collector col = { 0 };
    TmScored *heap = NULL, *part = NULL;
    int64_t part_cap = 0;
    int32_t *levels = NULL;
    gboolean ok = FALSE;

    if (b->k > 0) {
        ix = site_index(b, error);
        if (!ix || !forced_pairs(b, &f_off, &f_ids, error))
            goto out;
        heap = tm_i_prog_alloc(b->k, sizeof(TmScored), FALSE, "candidates", error);
        if (!heap)
            goto out;
    }
    col.stamp = tm_i_prog_alloc(b->ns, sizeof(int32_t), FALSE, "candidates", error);
    levels = tm_i_prog_alloc(b->n_sectors, sizeof(int32_t), TRUE, "candidates", error);
    if (!col.stamp || !levels)
        goto out;
    for (int32_t s = 0; s < b->ns; s++)
        col.stamp[s] = -1;
    progress(b, 0.05);
    sp_off[0] = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        if ((c & 4095) == 0) {
            if (cancelled(b, error))
                goto out;
            if ((c & 65535) == 0)
                progress(b, 0.05 + 0.75 * (double)c / (double)(b->nc ? b->nc : 1));
        }
        if (!elig(b, 0, c)) {
            sp_off[c + 1] = (int32_t)sp->n;
            continue;
        }
        const TmCommissioner *ci = b->cinfo[c];
        for (int32_t e = 0; e < ci->n_expertise; e++)
            if (ci->expertise[e].sector >= 0 && ci->expertise[e].sector < b->n_sectors)
                levels[ci->expertise[e].sector] = ci->expertise[e].level;
        col.mark = c;
        col.n = 0;
        /* wishes first */
        int32_t nw = b->w_off[0][c + 1] - b->w_off[0][c];
        if (!ivec_reserve(sp, nw, error))
            goto out;
        for (int32_t e = b->w_off[0][c]; e < b->w_off[0][c + 1]; e++) {
            int32_t s = b->w_ids[0][e];
            col.stamp[s] = c;
            sp->v[sp->n++] = s;
        }
        int64_t np = 0;
        if (b->k == 0) {
            /* exact: every acceptable site */
            if (part_cap < b->ns) {
                g_free(part);
                part_cap = b->ns;
                part = tm_i_prog_alloc(part_cap, sizeof(TmScored), FALSE, "lists", error);
                if (!part)
                    goto out;
            }
            for (int32_t s = 0; s < b->ns; s++) {
                if (col.stamp[s] == c || !elig(b, 1, s))
                    continue;
                int32_t level = levels[b->sinfo[s]->sector];
                if (tm_i_pair_mask(b->r, ci, level, b->sinfo[s], TRUE) != 0)
                    continue;
                part[np].score = score_lv(b, 0, c, s, level);
                part[np++].id = s;
            }
            b->stats.candidates_scored += np;
        } else {
            int32_t nf = f_off[c + 1] - f_off[c];
            /* candidate set */
            gboolean loc = tm_i_located(ci->x, ci->y);
            for (int32_t sec = 0; sec < b->n_sectors; sec++) {
                if (by_sector && levels[sec] < b->r->min_level)
                    continue;
                int64_t base = (int64_t)sec * ((int64_t)b->n_tags + 1);
                for (int32_t t = 0; t < b->n_skills[c]; t++) {
                    uint64_t rnd = mix3(cp->seed, (uint64_t)c, (uint64_t)sec * 131 + 7
                                        + (uint64_t)b->skills[c][t] * 1031);
                    if (!ring_search(ix, base + b->skills[c][t], loc, ci->x, ci->y, rnd,
                                     cp->per_tag, &col))
                        goto nomem;
                }
                uint64_t rnd = mix3(cp->seed, (uint64_t)c, (uint64_t)sec * 131 + 3);
                if (!ring_search(ix, base + b->n_tags, loc, ci->x, ci->y, rnd, cp->near, &col))
                    goto nomem;
                if (!sample_bucket(ix, base + b->n_tags, rnd ^ UINT64_C(0x1234567), cp->sample,
                                   &col))
                    goto nomem;
            }
            /* top-k over the collected candidates (wishes were never collected) */
            int32_t nh = 0;
            for (int32_t q = 0; q < col.n; q++) {
                int32_t s = col.buf[q];
                int32_t level = levels[b->sinfo[s]->sector];
                if (tm_i_pair_mask(b->r, ci, level, b->sinfo[s], TRUE) != 0)
                    continue;
                TmScored x = { score_lv(b, 0, c, s, level), s };
                b->stats.candidates_scored++;
                topk_push(heap, &nh, b->k, x);
            }
            if (part_cap < (int64_t)nh + nf) {
                g_free(part);
                part_cap = ((int64_t)nh + nf) * 2 + 64;
                part = tm_i_prog_alloc(part_cap, sizeof(TmScored), FALSE, "lists", error);
                if (!part)
                    goto out;
            }
            /* union with the forced sites: mark wishes and chosen ones */
            const int32_t chosen = -2 - c;
            for (int32_t e = b->w_off[0][c]; e < b->w_off[0][c + 1]; e++)
                col.stamp[b->w_ids[0][e]] = chosen;
            for (int32_t q = 0; q < nh; q++) {
                part[np++] = heap[q];
                col.stamp[heap[q].id] = chosen;
            }
            for (int32_t e = f_off[c]; e < f_off[c + 1]; e++) {
                int32_t s = f_ids[e];
                if (col.stamp[s] == chosen)
                    continue;
                col.stamp[s] = chosen;
                part[np].score = score_lv(b, 0, c, s, levels[b->sinfo[s]->sector]);
                part[np++].id = s;
                b->stats.candidates_scored++;
                b->stats.forced_entries++;
            }
        }
        tm_i_scored_sort(part, np);
        if (!ivec_reserve(sp, np, error))
            goto out;
        for (int64_t q = 0; q < np; q++)
            sp->v[sp->n++] = part[q].id;
        if (sp->n > G_MAXINT32) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                        "more than %d preference list entries", G_MAXINT32);
            goto out;
        }
        sp_off[c + 1] = (int32_t)sp->n;
        for (int32_t e = 0; e < ci->n_expertise; e++)
            if (ci->expertise[e].sector >= 0 && ci->expertise[e].sector < b->n_sectors)
                levels[ci->expertise[e].sector] = 0;
    }
    ok = TRUE;
    goto out;
nomem:
    g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "candidates: cannot allocate");
out:
    index_free(ix);
    g_free(f_off);
    g_free(f_ids);
    g_free(col.buf);
    g_free(col.stamp);
    g_free(heap);
    g_free(part);
    g_free(levels);
    return ok;
}

/* Step 4: site lists = transpose of the commissioner lists, wishes first,
 * then by the site score. */
static gboolean demand_lists(Build *b, const int32_t *sp_off, const IVec *sp, int32_t *dp_off,
                             int32_t *dp, GError **error)
{
    int64_t L = sp->n;
    int32_t *fill = NULL, *stamp = NULL;
    TmScored *part = NULL;
    int64_t part_cap = 0;
    gboolean ok = FALSE;
    memset(dp_off, 0, ((gsize)b->ns + 1) * sizeof(int32_t));
    for (int64_t e = 0; e < L; e++)
        dp_off[sp->v[e] + 1]++;
    for (int32_t s = 0; s < b->ns; s++)
        dp_off[s + 1] += dp_off[s];
    fill = tm_i_prog_alloc(b->ns, sizeof(int32_t), FALSE, "site lists", error);
    stamp = tm_i_prog_alloc(b->nc, sizeof(int32_t), FALSE, "site lists", error);
    if (!fill || !stamp)
        goto out;
    memcpy(fill, dp_off, (gsize)b->ns * sizeof(int32_t));
    for (int32_t c = 0; c < b->nc; c++)
        for (int32_t e = sp_off[c]; e < sp_off[c + 1]; e++)
            dp[fill[sp->v[e]]++] = c;
    for (int32_t c = 0; c < b->nc; c++)
        stamp[c] = -1;
    for (int32_t s = 0; s < b->ns; s++) {
        if ((s & 4095) == 0) {
            if (cancelled(b, error))
                goto out;
            if ((s & 65535) == 0)
                progress(b, 0.8 + 0.15 * (double)s / (double)(b->ns ? b->ns : 1));
        }
        int32_t lo = dp_off[s], hi = dp_off[s + 1];
        if (hi == lo)
            continue;
        /* stamp the listed commissioners with s, wishes with -2 - s */
        for (int32_t e = lo; e < hi; e++)
            stamp[dp[e]] = s;
        int32_t pos = lo;
        const int32_t wmark = -2 - s;
        for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++) {
            int32_t c = b->w_ids[1][e];
            if (stamp[c] == s) {
                stamp[c] = wmark;
            }
        }
        if (part_cap < hi - lo) {
            g_free(part);
            part_cap = (int64_t)(hi - lo) * 2;
            part = tm_i_prog_alloc(part_cap, sizeof(TmScored), FALSE, "site lists", error);
            if (!part)
                goto out;
        }
        int32_t np = 0;
        int32_t sector = b->sinfo[s]->sector;
        for (int32_t e = lo; e < hi; e++) {
            int32_t c = dp[e];
            if (stamp[c] == wmark)
                continue;
            part[np].score = score_lv(b, 1, c, s, tm_programme_expertise(b->p, c, sector));
            part[np++].id = c;
        }
        tm_i_scored_sort(part, np);
        for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++) {
            int32_t c = b->w_ids[1][e];
            if (stamp[c] == wmark) {
                dp[pos++] = c;
                stamp[c] = -1;
            }
        }
        for (int32_t q = 0; q < np; q++)
            dp[pos++] = part[q].id;
    }
    ok = TRUE;
out:
    g_free(fill);
    g_free(stamp);
    g_free(part);
    return ok;
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
    TmScreening *own = NULL;
    TmMarket *market = NULL;
    int32_t *sp_off = NULL, *dp_off = NULL, *dp = NULL, *cap_c = NULL, *cap_s = NULL;
    IVec sp = { 0 };
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

    /* k */
    const TmCandidateParams *cp = &rules->cand;
    int32_t k = options && options->k >= 0 ? options->k : cp->k;
    if (k < 0) {
        int64_t pairs = (int64_t)screening->n_eligible[0] * screening->n_eligible[1];
        k = pairs <= cp->exact_limit ? 0 : cp->auto_k;
    }
    b.k = k;
    b.site_k = k == 0 ? 0 : (cp->site_k < 0 ? k : cp->site_k);
    b.stats.k = b.k;
    b.stats.site_k = b.site_k;
    progress(&b, 0.0);

    /* cached per-agent views */
    b.cinfo = tm_i_prog_alloc(b.nc, sizeof *b.cinfo, FALSE, "programme views", error);
    b.sinfo = tm_i_prog_alloc(b.ns, sizeof *b.sinfo, FALSE, "programme views", error);
    b.skills = tm_i_prog_alloc(b.nc, sizeof *b.skills, FALSE, "programme views", error);
    b.n_skills = tm_i_prog_alloc(b.nc, sizeof *b.n_skills, FALSE, "programme views", error);
    b.needs = tm_i_prog_alloc(b.ns, sizeof *b.needs, FALSE, "programme views", error);
    b.n_needs = tm_i_prog_alloc(b.ns, sizeof *b.n_needs, FALSE, "programme views", error);
    if (!b.cinfo || !b.sinfo || !b.skills || !b.n_skills || !b.needs || !b.n_needs)
        goto out;
    for (int32_t c = 0; c < b.nc; c++) {
        b.cinfo[c] = tm_programme_commissioner(programme, c);
        b.skills[c] = tm_programme_skill_ids(programme, c, &b.n_skills[c]);
    }
    for (int32_t s = 0; s < b.ns; s++) {
        b.sinfo[s] = tm_programme_site(programme, s);
        b.needs[s] = tm_programme_need_ids(programme, s, &b.n_needs[s]);
    }
    if (!resolve_wishes(&b, 0, error) || !resolve_wishes(&b, 1, error))
        goto out;

    sp_off = tm_i_prog_alloc((int64_t)b.nc + 1, sizeof(int32_t), FALSE, "lists", error);
    if (!sp_off || !supply_lists(&b, sp_off, &sp, error))
        goto out;
    dp_off = tm_i_prog_alloc((int64_t)b.ns + 1, sizeof(int32_t), FALSE, "lists", error);
    dp = tm_i_prog_alloc(sp.n, sizeof(int32_t), FALSE, "lists", error);
    if (!dp_off || !dp || !demand_lists(&b, sp_off, &sp, dp_off, dp, error))
        goto out;
    if (cancelled(&b, error))
        goto out;
    progress(&b, 0.95);
    cap_c = tm_i_prog_alloc(b.nc, sizeof(int32_t), FALSE, "capacities", error);
    cap_s = tm_i_prog_alloc(b.ns, sizeof(int32_t), FALSE, "capacities", error);
    if (!cap_c || !cap_s)
        goto out;
    for (int32_t c = 0; c < b.nc; c++)
        cap_c[c] = elig(&b, 0, c) ? b.cinfo[c]->capacity : 0;
    for (int32_t s = 0; s < b.ns; s++)
        cap_s[s] = elig(&b, 1, s) ? b.sinfo[s]->capacity : 0;
    b.stats.supply_entries = sp.n;
    b.stats.demand_entries = sp.n;
    {
        int32_t dummy = 0; /* never hand NULL arrays, even with no entries */
        market = tm_market_new_from_arrays(b.nc, b.ns, cap_c, cap_s, sp_off,
                                           sp.v ? sp.v : &dummy, dp_off, dp, error);
    }
    if (market) {
        progress(&b, 1.0);
        if (options && options->stats)
            *options->stats = b.stats;
    }
out:
    g_free(sp_off);
    g_free(sp.v);
    g_free(dp_off);
    g_free(dp);
    g_free(cap_c);
    g_free(cap_s);
    build_clear(&b);
    tm_screening_free(own);
    return market;
}
