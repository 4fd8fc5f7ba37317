/* techmatch — market builder: the best-first top-k search
 * (candidates_private.h; the contract is in preferences.h).
 *
 * A searcher reads sources (one part of one bucket each) in decreasing
 * order of their score bound, scores the new acceptable partners and keeps
 * the best k in a heap; it stops when no unread partner can come before the
 * k-th best (certified exact: a lower bound, or an equal bound and a larger
 * id, see next_source()), when every source is exhausted (exact), or when
 * the budget of examined partners is spent. */
#include "programme/candidates_private.h"

#include <string.h>

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

/* Adds @item (with its record @rec) to the batch unless already seen. */
static gboolean add_cand(Worker *w, int32_t item, const void *rec)
{
    if (w->stamp[item] == w->mark)
        return TRUE;
    w->stamp[item] = w->mark;
    if (w->n_cand >= w->cap_cand || w->n_cand >= w->cap_crec) {
        if (!tm_i_reserve((void **)&w->cand, &w->cap_cand, w->n_cand + 1, sizeof(int32_t),
                          "candidate batch", &w->error)
            || !tm_i_reserve((void **)&w->crec, &w->cap_crec, w->n_cand + 1, sizeof(void *),
                             "candidate batch", &w->error))
            return FALSE;
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

/* Sets the bound of a source from its component bounds and, for a grid
 * source, the distance lower bound of its unread rings; marks it done when
 * P_DISTANCE excludes the rest. */
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
        /* lb <= the computed distance of every unread item, so this is >=
         * its distance component (the operations of tm_i_components_raw()) */
        double d = 1.0 - lb / b->ctx.dscale;
        dcomp = d < 0 ? 0 : (d > 1 ? 1 : d);
    }
    src->comp[TM_SCORE_DISTANCE] = dcomp;
    src->ub = tm_i_combine(&b->ctx, side, src->comp);
}

/* The largest of table @tab's values (row @fixed, column v; or column
 * @fixed, row v when @by_row) over the values v in @mask; 1 (every
 * component's maximum) when an out-of-table value occurs. */
static double mask_max(uint16_t mask, int32_t lim, int32_t fixed, gboolean fixed_row,
                       const double *tab, int32_t stride)
{
    if ((mask >> TM_I_VAL_OTHER) & 1u || fixed < 0 || fixed >= lim)
        return 1.0;
    double m = 0.0;
    for (int32_t v = 0; v < TM_I_VAL_OTHER; v++) {
        if (!((mask >> v) & 1u))
            continue;
        if (v >= lim)
            return 1.0;
        double x = fixed_row ? tab[fixed * stride + v] : tab[v * stride + fixed];
        if (x > m)
            m = x;
    }
    return m;
}

/* The tasks component's bound for searcher task set @mine (0..ALL) over the
 * slot: 0.5 when either side has none, else |T_c & T_s| / |T_s| for the
 * site's set T_s. */
static double tasks_bound(const Build *b, int side, uint32_t mine, const Slot *sl)
{
    if (mine == 0)
        return 0.5;
    double m = sl->task_zero ? 0.5 : 0.0;
    if (sl->task_some) {
        double x;
        if (side == 0) /* the sites' sets vary: any shared task may give 1 */
            x = (mine & sl->task_or) ? 1.0 : 0.0;
        else /* the site's set is @mine: the share of it offered at best */
            x = b->ctx.task_tab[tm_i_popcount32(mine)][tm_i_popcount32(mine & sl->task_or)];
        if (x > m)
            m = x;
    }
    return m;
}

/* The bounds of the components that depend on the partner, from slot @sl,
 * for searcher @a of @side (into @comp). */
static void slot_bounds(const Build *b, int side, int32_t a, const Slot *sl,
                        double comp[TM_N_SCORE_COMPONENTS])
{
    const TmScoreCtx *x = &b->ctx;
    if (side == 0) {
        const CRec *cr = &b->c[a];
        comp[TM_SCORE_TITLE] = mask_max(sl->tmask, 4, cr->title, TRUE, &x->title_tab[0][0], 4);
        comp[TM_SCORE_YEARS] = mask_max(sl->ymask, 11, cr->years, TRUE, &x->years_tab[0][0],
                                        11);
        comp[TM_SCORE_TASKS] = tasks_bound(b, 0, cr->tasks, sl);
    } else {
        const SRec *sr = &b->s[a];
        comp[TM_SCORE_TITLE] = mask_max(sl->tmask, 4, sr->min_title, FALSE,
                                        &x->title_tab[0][0], 4);
        comp[TM_SCORE_YEARS] = mask_max(sl->ymask, 11, sr->years, FALSE, &x->years_tab[0][0],
                                        11);
        comp[TM_SCORE_MERIT] = sl->maxq;
        double t = 0.0;
        if ((sl->ymask >> TM_I_VAL_OTHER) & 1u)
            t = 1.0;
        for (int32_t v = 0; v < 11 && t < 1.0; v++)
            if (((sl->ymask >> v) & 1u) && x->term_tab[v] > t)
                t = x->term_tab[v];
        if (sl->ymask >> 11)
            t = 1.0;
        comp[TM_SCORE_TERM] = t;
        comp[TM_SCORE_TASKS] = tasks_bound(b, 1, sr->tasks, sl);
    }
}

gboolean tm_i_add_source(Worker *w, int side, int32_t a, const Index *ix, int64_t key,
                         int32_t level, const double comp[TM_N_SCORE_COMPONENTS],
                         gboolean loc, double px, double py)
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
        memcpy(s.comp, comp, sizeof s.comp);
        slot_bounds(w->b, side, a, sl, s.comp);
        if (!loc) {
            if (part == 1)
                break;
            s.whole = TRUE; /* the whole bucket, by id */
            s.lo = 0;
            s.n = len;
        } else if (part == 0) {
            if (sl->n_loc == 0)
                continue;
            s.ring = TRUE;
            s.cx = tm_i_cell_of(px, sl->x0, sl->inv, sl->g);
            s.cy = tm_i_cell_of(py, sl->y0, sl->inv, sl->g);
            s.rmax = s.cx;
            if (sl->g - 1 - s.cx > s.rmax) s.rmax = sl->g - 1 - s.cx;
            if (s.cy > s.rmax) s.rmax = s.cy;
            if (sl->g - 1 - s.cy > s.rmax) s.rmax = sl->g - 1 - s.cy;
        } else {
            if (len == sl->n_loc)
                continue;
            s.lo = sl->n_loc; /* the unlocated items, by id */
            s.n = len - sl->n_loc;
        }
        source_bound(w->b, side, ix, &s, px, py);
        if (s.done)
            continue;
        if (!tm_i_reserve((void **)&w->src, &w->cap_src, w->n_src + 1, sizeof(Source),
                          "search sources", &w->error))
            return FALSE;
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
        if (src->whole) {
            const int32_t *bi = ix->byid + ix->off[src->key];
            const SRec *srs = w->b->s;
            const CRec *crs = w->b->c;
            for (int32_t q = src->pos; q < end; q++) {
                int32_t i = bi[q];
                if (!add_cand(w, i, side == 0 ? (const void *)&srs[i] : (const void *)&crs[i]))
                    return FALSE;
            }
        } else {
            for (int32_t q = src->pos; q < end; q++) {
                int32_t e = src->lo + q;
                if (!add_cand(w, it[e],
                              (const char *)ix->rec + (ix->off[src->key] + e) * ix->rec_size))
                    return FALSE;
            }
        }
        src->pos = end;
        if (src->pos >= src->n)
            src->done = TRUE;
    }
    return TRUE;
}

/* The id of the next item linear source @src would read. */
static inline int32_t next_id(const Index *ix, const Source *src)
{
    return src->whole ? ix->byid[ix->off[src->key] + src->pos]
                      : ix->items[ix->off[src->key] + src->lo + src->pos];
}

/* The source to read next, -1 when the heap is provably the exact top-k:
 * the open source with the highest bound (ties: the first) among those that
 * may still hold a better partner than the heap's last entry @root (when
 * @full).  A source may not when its bound is below root's score, or, for
 * a linear source (read by ascending id), when its bound equals root's
 * score at most and its next id comes after root's: every unread item then
 * has a lower score, or the same score and a larger id. */
static inline int32_t next_source(const Worker *w, const Index *ix, gboolean full,
                                  const TmScored *root)
{
    int32_t best = -1;
    for (int32_t i = 0; i < w->n_src; i++) {
        const Source *src = &w->src[i];
        if (src->done)
            continue;
        if (full && (src->ub < root->score
                     || (!src->ring && src->ub <= root->score
                         && next_id(ix, src) > root->id)))
            continue;
        if (best < 0 || src->ub > w->src[best].ub)
            best = i;
    }
    return best;
}

/* Scores the acceptable partners of the batch into the heap (*@nh entries
 * of at most @k), counting each examined one; FALSE when the budget cut the
 * batch short.  The searcher is @cr (side 0) or @sr (side 1); @src_level:
 * the partners' level in the searcher's sector, -1 = look it up. */
static inline gboolean score_batch(Worker *w, int side, const CRec *cr, const SRec *sr,
                                   int32_t src_level, int32_t k, int32_t budget, int32_t *nh,
                                   int64_t *examined)
{
    const Build *b = w->b;
    /* the batch is known: start fetching the partners' records */
    for (int32_t q = 0; q < w->n_cand; q++)
        TM_PREFETCH(w->crec[q]);
    for (int32_t q = 0; q < w->n_cand; q++) {
        if (*examined >= budget)
            return FALSE;
        (*examined)++;
        int32_t o = w->cand[q];
        TmScored x;
        double comp[TM_N_SCORE_COMPONENTS];
        if (side == 0) {
            const SRec *so = w->crec[q];
            int32_t level = w->lv[so->sector];
            if (!tm_i_pair_ok(b, cr, so, level))
                continue;
            tm_i_rec_components(b, cr, so, level, comp);
            x.score = tm_i_combine(&b->ctx, 0, comp);
        } else {
            const CRec *co = w->crec[q];
            int32_t level = src_level >= 0 ? src_level : tm_i_level_of(b, o, sr->sector);
            if (!tm_i_pair_ok(b, co, sr, level))
                continue;
            tm_i_rec_components(b, co, sr, level, comp);
            x.score = tm_i_combine(&b->ctx, 1, comp);
        }
        x.id = o;
        x.aux = 0;
        w->st.candidates_scored++;
        topk_push(w->heap, nh, k, x);
    }
    return TRUE;
}

gboolean tm_i_search(Worker *w, int side, int32_t a, const Index *ix, int32_t k, int32_t budget,
                     double px, double py, int32_t *nh_out, gboolean *exact)
{
    const Build *b = w->b;
    int32_t nh = 0;
    int64_t examined = 0;
    *exact = FALSE;
    const CRec *cr = side == 0 ? &b->c[a] : NULL;
    const SRec *sr = side != 0 ? &b->s[a] : NULL; /* side is 0 or 1 */
    for (;;) {
        int32_t best = k > 0 ? next_source(w, ix, nh == k, &w->heap[0]) : -1;
        if (best < 0) {
            *exact = TRUE;
            break;
        }
        if (examined >= budget)
            break;
        w->n_cand = 0;
        int32_t src_level = w->src[best].level;
        if (!expand(w, side, ix, &w->src[best], px, py))
            return FALSE;
        if (!score_batch(w, side, cr, sr, src_level, k, budget, &nh, &examined))
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
