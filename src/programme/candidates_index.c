/* techmatch — market builder: the bucket index over eligible agents
 * (candidates_private.h).
 *
 * An index maps each key (block, tag) and (block, *) to the eligible items
 * in that bucket; the located items of a bucket lie on a uniform grid over
 * the bucket's bounding box (about two per cell, at most 1024 x 1024),
 * sorted by cell, the unlocated ones after them.  Building is
 * O(total memberships + total cells); memory the same. */
#include "programme/candidates_private.h"

#include <string.h>

void tm_i_index_free(Index *ix)
{
    if (ix == NULL)
        return;
    g_free(ix->off);
    g_free(ix->items);
    g_free(ix->byid);
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
    const SRec *srec;          /* the records (one of the two): slot summaries */
    const CRec *crec;
} IndexInput;

/* Bucket sizes -> offsets (ix->off); *@max_bucket gets the largest. */
static gboolean index_count(Index *ix, const IndexInput *in, int64_t *max_bucket,
                            GError **error)
{
    const int64_t T1 = (int64_t)ix->n_tags + 1;
    for (int32_t i = 0; i < in->n; i++) {
        if (!in->include[i])
            continue;
        for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
            int64_t base = (int64_t)in->blk[b] * T1;
            ix->off[base + ix->n_tags + 1]++;
            for (int32_t t = in->tag_off[i]; t < in->tag_off[i + 1]; t++)
                ix->off[base + in->tags[t] + 1]++;
        }
    }
    *max_bucket = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->off[k + 1] > *max_bucket)
            *max_bucket = ix->off[k + 1];
        ix->off[k + 1] += ix->off[k];
    }
    if (*max_bucket > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "index bucket too large");
        return FALSE;
    }
    return TRUE;
}

/* The items of every bucket, by ascending id (ix->items). */
static gboolean index_fill(Index *ix, const IndexInput *in, GError **error)
{
    const int64_t T1 = (int64_t)ix->n_tags + 1;
    ix->items = tm_i_try_alloc(ix->off[ix->n_keys], sizeof(int32_t), FALSE, "index items",
                               error);
    int64_t *fill = ix->items ? tm_i_try_alloc(ix->n_keys, sizeof(int64_t), FALSE,
                                               "index items", error)
                              : NULL;
    if (fill == NULL)
        return FALSE;
    memcpy(fill, ix->off, (gsize)ix->n_keys * sizeof(int64_t));
    for (int32_t i = 0; i < in->n; i++) {
        if (!in->include[i])
            continue;
        for (int32_t b = in->blk_off[i]; b < in->blk_off[i + 1]; b++) {
            int64_t base = (int64_t)in->blk[b] * T1;
            ix->items[fill[base + ix->n_tags]++] = i;
            for (int32_t t = in->tag_off[i]; t < in->tag_off[i + 1]; t++)
                ix->items[fill[base + in->tags[t]]++] = i;
        }
    }
    g_free(fill);
    return TRUE;
}

static uint16_t value_bit(int32_t v)
{
    return (uint16_t)(1u << (v >= 0 && v < TM_I_VAL_OTHER ? v : TM_I_VAL_OTHER));
}

/* The title/years/tasks summary of item @i into @sl. */
static void slot_values(Slot *sl, const IndexInput *in, int32_t i)
{
    int32_t title, years;
    uint8_t tasks;
    if (in->srec) {
        title = (int32_t)in->srec[i].min_title;
        years = (int32_t)in->srec[i].years;
        tasks = in->srec[i].tasks;
    } else {
        title = (int32_t)in->crec[i].title;
        years = (int32_t)in->crec[i].years;
        tasks = in->crec[i].tasks;
    }
    sl->tmask |= value_bit(title);
    sl->ymask |= value_bit(years);
    if (tasks == 0) {
        sl->task_zero = 1;
    } else {
        sl->task_some = 1;
        sl->task_or |= tasks;
    }
}

/* Bounding box, grid size, largest quality and value summary of the bucket
 * of @sl. */
static void slot_geometry(Slot *sl, const IndexInput *in, const int32_t *it, int64_t len)
{
    int32_t nloc = 0;
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0, maxq = 0;
    for (int64_t e = 0; e < len; e++) {
        int32_t i = it[e];
        if (in->q && (e == 0 || in->q[i] > maxq))
            maxq = in->q[i];
        slot_values(sl, in, i);
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
}

/* One slot per non-empty bucket with its geometry; *@n_cells gets the
 * total size of the cell offset tables. */
static gboolean index_slots(Index *ix, const IndexInput *in, int64_t *n_cells, GError **error)
{
    int32_t n_slots = 0;
    for (int64_t k = 0; k < ix->n_keys; k++)
        ix->slot[k] = ix->off[k + 1] > ix->off[k] ? n_slots++ : -1;
    ix->sl = tm_i_try_alloc(n_slots, sizeof(Slot), TRUE, "index slots", error);
    if (ix->sl == NULL)
        return FALSE;
    *n_cells = 0;
    for (int64_t k = 0; k < ix->n_keys; k++) {
        if (ix->slot[k] < 0)
            continue;
        Slot *sl = &ix->sl[ix->slot[k]];
        slot_geometry(sl, in, ix->items + ix->off[k], ix->off[k + 1] - ix->off[k]);
        sl->cbase = *n_cells;
        *n_cells += (int64_t)sl->g * sl->g + 1;
    }
    return TRUE;
}

/* Sorts every bucket's items by grid cell (stable, so by id within a cell;
 * unlocated items last) and records the cell offsets (ix->coff). */
static gboolean index_sort_cells(Index *ix, const IndexInput *in, int64_t max_bucket,
                                 int64_t n_cells, GError **error)
{
    ix->coff = tm_i_try_alloc(n_cells, sizeof(int32_t), TRUE, "index cells", error);
    int32_t *cellv = NULL, *tmp = NULL, *cnt = NULL;
    if (ix->coff)
        cellv = tm_i_try_alloc(max_bucket, sizeof(int32_t), FALSE, "index cells", error);
    if (cellv)
        tmp = tm_i_try_alloc(max_bucket, sizeof(int32_t), FALSE, "index cells", error);
    if (tmp)
        cnt = tm_i_try_alloc(1024 * 1024 + 2, sizeof(int32_t), FALSE, "index cells", error);
    gboolean ok = ix->coff && cellv && tmp && cnt;
    for (int64_t k = 0; ok && k < ix->n_keys; k++) {
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
                cell = tm_i_cell_of(in->y[i], sl->y0, sl->inv, g) * g
                       + tm_i_cell_of(in->x[i], sl->x0, sl->inv, g);
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
    return ok;
}

static Index *index_build(const IndexInput *in, int32_t n_blocks, int32_t n_tags,
                          GError **error)
{
    Index *ix = g_new0(Index, 1);
    ix->n_blocks = n_blocks;
    ix->n_tags = n_tags;
    ix->n_keys = (int64_t)n_blocks * ((int64_t)n_tags + 1);
    ix->off = tm_i_try_alloc(ix->n_keys + 1, sizeof(int64_t), TRUE, "index offsets", error);
    ix->slot = ix->off ? tm_i_try_alloc(ix->n_keys, sizeof(int32_t), FALSE, "index offsets",
                                        error)
                       : NULL;
    int64_t max_bucket = 0, n_cells = 0;
    if (ix->slot == NULL || !index_count(ix, in, &max_bucket, error)
        || !index_fill(ix, in, error)
        || !(ix->byid = tm_i_try_alloc(ix->off[ix->n_keys], sizeof(int32_t), FALSE,
                                       "index items", error))
        || !index_slots(ix, in, &n_cells, error)) {
        tm_i_index_free(ix);
        return NULL;
    }
    memcpy(ix->byid, ix->items, (gsize)ix->off[ix->n_keys] * sizeof(int32_t));
    if (!index_sort_cells(ix, in, max_bucket, n_cells, error)) {
        tm_i_index_free(ix);
        return NULL;
    }
    return ix;
}

/* Copies each item's record beside it (ring reads become sequential); frees
 * the index and returns NULL on failure. */
static Index *index_attach_records(Index *ix, const void *recs, size_t rec_size,
                                   GError **error)
{
    if (ix == NULL)
        return NULL;
    int64_t n = ix->off[ix->n_keys];
    char *rec = tm_i_try_alloc(n, rec_size, FALSE, "index records", error);
    if (rec == NULL) {
        tm_i_index_free(ix);
        return NULL;
    }
    for (int64_t e = 0; e < n; e++)
        memcpy(rec + e * rec_size, (const char *)recs + (size_t)ix->items[e] * rec_size,
               rec_size);
    ix->rec = rec;
    ix->rec_size = rec_size;
    return ix;
}

/* The per-item arrays of an IndexInput, owned. */
typedef struct {
    int32_t *blk_off, *blk, *tag_off;
    double *x, *y, *q;
    uint8_t *loc, *inc;
} InputBuf;

static void input_free(InputBuf *in)
{
    g_free(in->blk_off);
    g_free(in->blk);
    g_free(in->tag_off);
    g_free(in->x);
    g_free(in->y);
    g_free(in->q);
    g_free(in->loc);
    g_free(in->inc);
}

/* Allocates the arrays for @n items (blk too when @n_blk >= 0, q when
 * @with_q). */
static gboolean input_alloc(InputBuf *in, int32_t n, int64_t n_blk, gboolean with_q,
                            GError **error)
{
    memset(in, 0, sizeof *in);
    const char *what = "index input";
    return (in->blk_off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, what, error))
           && (n_blk < 0
               || (in->blk = tm_i_try_alloc(n_blk, sizeof(int32_t), FALSE, what, error)))
           && (in->tag_off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, what, error))
           && (in->x = tm_i_try_alloc(n, sizeof(double), FALSE, what, error))
           && (in->y = tm_i_try_alloc(n, sizeof(double), FALSE, what, error))
           && (!with_q || (in->q = tm_i_try_alloc(n, sizeof(double), FALSE, what, error)))
           && (in->loc = tm_i_try_alloc(n, 1, FALSE, what, error))
           && (in->inc = tm_i_try_alloc(n, 1, FALSE, what, error));
}

Index *tm_i_site_index(const Build *b, GError **error)
{
    InputBuf in;
    Index *ix = NULL;
    if (input_alloc(&in, b->ns, b->ns, FALSE, error)) {
        for (int32_t s = 0; s < b->ns; s++) {
            const SRec *r = &b->s[s];
            in.blk_off[s] = s;
            in.blk[s] = r->sector;
            in.tag_off[s] = r->need_off;
            in.x[s] = r->x;
            in.y[s] = r->y;
            in.loc[s] = (uint8_t)r->located;
            in.inc[s] = (uint8_t)(r->eligible && !r->named); /* named-only: wishes only */
        }
        in.blk_off[b->ns] = b->ns;
        in.tag_off[b->ns] = b->ns ? b->s[b->ns - 1].need_off + b->s[b->ns - 1].n_needs : 0;
        IndexInput ii = { b->ns,     in.inc, in.blk_off, in.blk, in.tag_off,
                          b->needs,  in.x,   in.y,       in.loc, NULL, b->s, NULL };
        ix = index_attach_records(index_build(&ii, b->n_sectors, b->n_tags, error), b->s,
                                  sizeof(SRec), error);
    }
    input_free(&in);
    return ix;
}

static int32_t merit_band(double merit_comp)
{
    int32_t band = (int32_t)(merit_comp * TM_MERIT_BANDS);
    return band < 0 ? 0 : (band >= TM_MERIT_BANDS ? TM_MERIT_BANDS - 1 : band);
}

/* The number of blocks of each eligible commissioner, as offsets in
 * @blk_off (n + 1); -1 with TM_ERROR_OVERFLOW past INT32_MAX. */
static int64_t commissioner_block_offsets(const Build *b, int32_t *blk_off, GError **error)
{
    int32_t minl = b->r->min_level;
    int64_t total = 0;
    for (int32_t c = 0; c < b->nc; c++) {
        blk_off[c] = (int32_t)total;
        const CRec *r = &b->c[c];
        if (!r->eligible || r->named)
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
            return -1;
        }
    }
    blk_off[b->nc] = (int32_t)total;
    return total;
}

/* The blocks of eligible commissioner @c from in->blk[in->blk_off[c]]:
 * (sector * 4 + level) * bands + band for each sector where its level >=
 * min_level when P_SECTOR is on (every sector when min_level <= 0), else its
 * merit band.  @lv: n_sectors zeroes, returned zeroed. */
static void commissioner_blocks(const Build *b, int32_t c, InputBuf *in, uint8_t *lv)
{
    const CRec *r = &b->c[c];
    int32_t minl = b->r->min_level;
    int32_t pos = in->blk_off[c];
    int32_t band = merit_band(r->merit);
    if (!b->by_sector) {
        in->blk[pos++] = band;
    } else if (minl <= 0) {
        for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
            lv[b->exps[e].sector] = (uint8_t)b->exps[e].level;
        for (int32_t s = 0; s < b->n_sectors; s++)
            in->blk[pos++] = (s * 4 + lv[s]) * TM_MERIT_BANDS + band;
        for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
            lv[b->exps[e].sector] = 0;
    } else {
        for (int32_t e = r->exp_off; e < r->exp_off + r->n_exp; e++)
            if (b->exps[e].level >= minl)
                in->blk[pos++] = (b->exps[e].sector * 4 + b->exps[e].level) * TM_MERIT_BANDS
                                 + band;
    }
}

Index *tm_i_commissioner_index(const Build *b, GError **error)
{
    InputBuf in;
    Index *ix = NULL;
    uint8_t *lv = NULL;
    int64_t total;
    if (!input_alloc(&in, b->nc, -1, TRUE, error)
        || (total = commissioner_block_offsets(b, in.blk_off, error)) < 0
        || !(in.blk = tm_i_try_alloc(total, sizeof(int32_t), FALSE, "index input", error))
        || !(lv = tm_i_try_alloc(b->n_sectors, 1, TRUE, "index input", error)))
        goto out;
    for (int32_t c = 0; c < b->nc; c++) {
        const CRec *r = &b->c[c];
        in.tag_off[c] = r->skill_off;
        in.x[c] = r->x;
        in.y[c] = r->y;
        in.q[c] = r->merit;
        in.loc[c] = (uint8_t)r->located;
        in.inc[c] = (uint8_t)(r->eligible && !r->named); /* named-only: wishes only */
        if (in.inc[c])
            commissioner_blocks(b, c, &in, lv);
    }
    in.tag_off[b->nc] = b->nc ? b->c[b->nc - 1].skill_off + b->c[b->nc - 1].n_skills : 0;
    IndexInput ii = { b->nc,     in.inc, in.blk_off, in.blk, in.tag_off,
                      b->skills, in.x,   in.y,       in.loc, in.q, NULL, b->c };
    int32_t n_blocks = (b->by_sector ? b->n_sectors * 4 : 1) * TM_MERIT_BANDS;
    ix = index_attach_records(index_build(&ii, n_blocks, b->n_tags, error), b->c, sizeof(CRec),
                              error);
out:
    input_free(&in);
    g_free(lv);
    return ix;
}
