/* techmatch — market builder: the worker phases and running them
 * (candidates_private.h).
 *
 *   FORCED  each eligible site takes its wishes and its best site_k
 *           commissioners (best-first search over the commissioner index)
 *           -> pairs forced into the commissioner lists;
 *   SUPPLY  each eligible commissioner's list: wishes, then the scored part
 *           (exact: every acceptable site; top-k: its search united with the
 *           forced sites), sorted; with each entry the site's score of it;
 *   SORT    each site's list: wishes first, the rest by the site score.
 * A phase splits an agent range evenly among the workers; each worker writes
 * only its own outputs (or disjoint parts of shared arrays). */
#include "programme/candidates_private.h"

#include <string.h>

static gboolean worker_stop(Worker *w)
{
    Build *b = w->b;
    if (g_atomic_int_get(&b->stop))
        return TRUE;
    if (tm_cancel_is_triggered(b->cancel)) {
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

/* Progress in [lo, hi] by the share of the range done; worker 0 only (it runs
 * on the calling thread). */
static void worker_progress(Worker *w, double lo, double hi, int32_t done)
{
    const Build *b = w->b;
    if (w->id == 0 && b->progress) {
        int32_t n = w->hi - w->lo;
        b->progress(lo + (hi - lo) * (n > 0 ? (double)done / (double)n : 1.0),
                    b->progress_data);
    }
}

/* Every 1024 agents: FALSE when the build must stop; reports progress. */
static gboolean worker_tick(Worker *w, int32_t i, double lo, double hi)
{
    if (((i - w->lo) & 1023) == 0) {
        if (worker_stop(w))
            return FALSE;
        worker_progress(w, lo, hi, i - w->lo);
    }
    return TRUE;
}

/* ---- phase FORCED ------------------------------------------------------------ */

/* The sources of site @s's search: for each block of its sector (or merit
 * band), its need-tag buckets and its (block, *) bucket. */
static gboolean forced_sources(Worker *w, int32_t s)
{
    const Build *b = w->b;
    const SRec *sr = &b->s[s];
    int64_t T1 = (int64_t)b->n_tags + 1;
    int32_t lmin = b->r->min_level > 0 ? b->r->min_level : 0;
    w->n_src = 0;
    for (int32_t lb = (b->by_sector ? lmin : 3) * TM_MERIT_BANDS; lb < 4 * TM_MERIT_BANDS;
         lb++) {
        int32_t L = lb / TM_MERIT_BANDS, band = lb % TM_MERIT_BANDS;
        int32_t blk = b->by_sector ? (sr->sector * 4 + L) * TM_MERIT_BANDS + band : band;
        double comp[TM_N_SCORE_COMPONENTS] = { 0 };
        comp[TM_SCORE_SECTOR] = b->by_sector ? b->ctx.sector_tab[L] : 1.0;
        for (int32_t t = 0; t <= sr->n_needs; t++) {
            int64_t key = (int64_t)blk * T1
                          + (t < sr->n_needs ? b->needs[sr->need_off + t] : b->n_tags);
            /* tags: a partner sharing some need is in the bucket of each
             * shared need; the one of its first shared need (in this
             * order) bounds it, and then it shares none of the earlier
             * ones: at most n - t of the n needs.  A partner sharing none
             * is in no tag bucket: 0 for (block, *). */
            int32_t n = sr->n_needs, cmax = n - t;
            comp[TM_SCORE_TAGS] = t >= n ? 0.0
                                  : (n < TM_I_TAG_TAB ? b->ctx.tag_tab[n][cmax]
                                                      : tm_i_tags_comp(cmax, n));
            if (!tm_i_add_source(w, 1, s, b->cix, key, b->by_sector ? L : -1, comp,
                                 sr->located, sr->x, sr->y))
                return FALSE;
        }
    }
    return TRUE;
}

/* Site @s's pairs: its wishes, then its best site_k commissioners. */
static gboolean forced_site(Worker *w, int32_t s)
{
    const Build *b = w->b;
    const SRec *sr = &b->s[s];
    int32_t w0 = b->w_off[1][s], w1 = b->w_off[1][s + 1];
    if (!TM_I_VEC_RESERVE(&w->pc, (int64_t)(w1 - w0) + b->site_k, "site choices", &w->error)
        || !TM_I_VEC_RESERVE(&w->ps, (int64_t)(w1 - w0) + b->site_k, "site choices",
                             &w->error))
        return FALSE;
    w->mark = s;
    for (int32_t e = w0; e < w1; e++) {
        w->stamp[b->w_ids[1][e]] = s; /* wishes are not searched */
        w->pc.v[w->pc.n++] = b->w_ids[1][e];
        w->ps.v[w->ps.n++] = s;
    }
    if (b->site_k <= 0 || sr->named) /* named-only: its wishes and nobody else */
        return TRUE;
    int32_t nh = 0;
    gboolean exact;
    if (!forced_sources(w, s)
        || !tm_i_search(w, 1, s, b->cix, b->site_k, b->budget_s, sr->x, sr->y, &nh, &exact))
        return FALSE;
    for (int32_t q = 0; q < nh; q++) {
        w->pc.v[w->pc.n++] = w->heap[q].id;
        w->ps.v[w->ps.n++] = s;
    }
    return TRUE;
}

static void run_forced(Worker *w)
{
    const Build *b = w->b;
    for (int32_t i = w->lo; i < w->hi; i++) {
        int32_t s = b->order ? b->order[i] : i;
        if (!worker_tick(w, i, 0.05, 0.15))
            return;
        if (b->s[s].eligible && !forced_site(w, s)) {
            worker_fail(w);
            return;
        }
    }
    worker_progress(w, 0.05, 0.15, w->hi - w->lo);
}

/* ---- phase SUPPLY ------------------------------------------------------------ */

/* Commissioner @c's wishes: marked, appended. */
static gboolean supply_wishes(Worker *w, int32_t c)
{
    const Build *b = w->b;
    int32_t w0 = b->w_off[0][c], w1 = b->w_off[0][c + 1];
    if (!TM_I_VEC_RESERVE(&w->ids, w1 - w0, "preference lists", &w->error))
        return FALSE;
    for (int32_t e = w0; e < w1; e++) {
        int32_t s = b->w_ids[0][e];
        w->stamp[s] = c;
        w->ids.v[w->ids.n++] = s;
    }
    return TRUE;
}

/* k = 0: every acceptable site not wished, scored, into w->part. */
static gboolean supply_exact(Worker *w, int32_t c, int64_t *np_out)
{
    const Build *b = w->b;
    const CRec *cr = &b->c[c];
    int64_t np = 0;
    if (!tm_i_reserve((void **)&w->part, &w->cap_part, b->ns, sizeof(TmScored), "candidates",
                      &w->error))
        return FALSE;
    for (int32_t s = 0; s < b->ns; s++) {
        const SRec *sr = &b->s[s];
        if (w->stamp[s] == c || !sr->eligible || (sr->named && !tm_i_accepts(b, 1, s, c)))
            continue;
        int32_t level = w->lv[sr->sector];
        if (!tm_i_pair_ok(b, cr, sr, level))
            continue;
        double comp[TM_N_SCORE_COMPONENTS];
        tm_i_rec_components(b, cr, sr, level, comp);
        w->part[np].score = tm_i_combine(&b->ctx, 0, comp);
        w->part[np++].id = s;
    }
    w->st.candidates_scored += np;
    *np_out = np;
    return TRUE;
}

/* The sources of commissioner @c's search: for each sector it may serve, its
 * skill-tag buckets and the (sector, *) bucket. */
static gboolean supply_sources(Worker *w, int32_t c)
{
    const Build *b = w->b;
    const CRec *cr = &b->c[c];
    int64_t T1 = (int64_t)b->n_tags + 1;
    w->n_src = 0;
    for (int32_t sec = 0; sec < b->n_sectors; sec++) {
        if (b->by_sector && w->lv[sec] < b->r->min_level)
            continue;
        int32_t lv = w->lv[sec];
        double comp[TM_N_SCORE_COMPONENTS] = { 0 };
        comp[TM_SCORE_SECTOR] = lv >= 0 && lv < 4 ? b->ctx.sector_tab[lv] : tm_i_sector_comp(lv);
        comp[TM_SCORE_MERIT] = cr->merit;
        comp[TM_SCORE_TERM] = cr->years >= 0 && cr->years < 11
                                  ? b->ctx.term_tab[cr->years]
                                  : tm_i_term_comp(cr->years, b->ctx.term_lo, b->ctx.term_hi);
        for (int32_t t = 0; t <= cr->n_skills; t++) {
            int64_t key = (int64_t)sec * T1
                          + (t < cr->n_skills ? b->skills[cr->skill_off + t] : b->n_tags);
            comp[TM_SCORE_TAGS] = t < cr->n_skills ? 1.0 : 0.0;
            if (!tm_i_add_source(w, 0, c, b->six, key, -1, comp, cr->located, cr->x, cr->y))
                return FALSE;
        }
    }
    return TRUE;
}

/* k > 0: the search's top k united with the sites that chose @c (not
 * wished, each once), into w->part. */
static gboolean supply_topk(Worker *w, int32_t c, int64_t *np_out)
{
    const Build *b = w->b;
    const CRec *cr = &b->c[c];
    int32_t nh = 0;
    gboolean exact;
    if (!supply_sources(w, c)
        || !tm_i_search(w, 0, c, b->six, b->k, b->budget_c, cr->x, cr->y, &nh, &exact))
        return FALSE;
    int32_t nf = b->f_off[c + 1] - b->f_off[c];
    if (!tm_i_reserve((void **)&w->part, &w->cap_part, (int64_t)nh + nf, sizeof(TmScored),
                      "candidates", &w->error))
        return FALSE;
    /* union with the forced sites; wishes and chosen ones are marked */
    const int32_t chosen = -2 - c;
    int64_t np = 0;
    for (int32_t e = b->w_off[0][c]; e < b->w_off[0][c + 1]; e++)
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
        w->part[np].score = tm_i_rec_score(b, 0, c, s, w->lv[b->s[s].sector]);
        w->part[np++].id = s;
        w->st.candidates_scored++;
        w->st.forced_entries++;
    }
    *np_out = np;
    return TRUE;
}

/* Sorts the @np scored entries of @c and appends them; records the list
 * length. */
static gboolean supply_emit(Worker *w, int32_t c, int64_t np)
{
    Build *b = w->b;
    int64_t n_wishes = b->w_off[0][c + 1] - b->w_off[0][c];
    tm_i_scored_sort(w->part, np);
    if (!TM_I_VEC_RESERVE(&w->ids, np, "preference lists", &w->error))
        return FALSE;
    for (int64_t q = 0; q < np; q++)
        w->ids.v[w->ids.n++] = w->part[q].id;
    if (n_wishes + np > G_MAXINT32) {
        g_set_error(&w->error, TM_ERROR, TM_ERROR_OVERFLOW, "list too long");
        return FALSE;
    }
    b->sp_len[c] = (int32_t)(n_wishes + np);
    return TRUE;
}

/* Commissioner @c's whole list; w->lv holds its levels during the call. */
static gboolean supply_commissioner(Worker *w, int32_t c)
{
    const Build *b = w->b;
    const CRec *cr = &b->c[c];
    for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
        w->lv[b->exps[e].sector] = b->exps[e].level;
    w->mark = c;
    int64_t np = 0;
    /* a named-only commissioner's list is its kept wishes: no scored part */
    gboolean ok = supply_wishes(w, c)
                  && (cr->named
                      || (b->k == 0 ? supply_exact(w, c, &np) : supply_topk(w, c, &np)))
                  && supply_emit(w, c, np);
    for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
        w->lv[b->exps[e].sector] = 0;
    return ok;
}

static void run_supply(Worker *w)
{
    Build *b = w->b;
    for (int32_t i = w->lo; i < w->hi; i++) {
        int32_t c = b->order ? b->order[i] : i;
        if (!worker_tick(w, i, 0.15, 0.75))
            return;
        if (!b->c[c].eligible) {
            b->sp_len[c] = 0;
        } else if (!supply_commissioner(w, c)) {
            worker_fail(w);
            return;
        }
    }
    worker_progress(w, 0.15, 0.75, w->hi - w->lo);
}

/* ---- phase SORT -------------------------------------------------------------- */

/* Puts commissioner @c (the site at position @j of its list) at @pos of
 * the site list starting at @lo, with the positions both ways. */
static inline void place(const SortJob *job, int32_t lo, int32_t pos, int32_t c, int32_t j)
{
    job->dp[pos] = c;
    job->dp_rpos[pos] = j;
    job->sp_rpos[job->sp_off[c] + j] = pos - lo;
}

/* Commissioner @c's level in @sector as the supply phase sees it (w->lv:
 * the last expertise entry for the sector wins; 0 when none). */
static inline int32_t level_in(const Build *b, int32_t c, int32_t sector)
{
    const CRec *cr = &b->c[c];
    int32_t level = 0;
    for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
        if (b->exps[e].sector == sector)
            level = b->exps[e].level;
    return level;
}

/* Site @s's segment: its wishes first (those listed), the rest sorted by the
 * site's score; written back as ids with positions both ways. */
static gboolean sort_site(Worker *w, const SortJob *job, int32_t s)
{
    const Build *b = w->b;
    int32_t lo = job->dp_off[s], hi = job->dp_off[s + 1];
    if (hi == lo)
        return TRUE;
    int32_t n = hi - lo;
    if (!tm_i_reserve((void **)&w->part, &w->cap_part, n, sizeof(TmScored), "site lists",
                      &w->error))
        return FALSE;
    TmScored *v = w->part;
    const int32_t *dc = job->dp + lo, *dj = job->dp_rpos + lo;
    const int32_t sector = b->s[s].sector;
    /* the commissioners' records are scattered: fetch a few ahead */
    const int32_t ahead = 8;
    for (int32_t i = 0; i < n && i < ahead; i++)
        TM_PREFETCH(&b->c[dc[i]]);
    for (int32_t i = 0; i < n; i++) {
        if (i + ahead < n)
            TM_PREFETCH(&b->c[dc[i + ahead]]);
        int32_t c = dc[i];
        v[i].score = tm_i_rec_score(b, 1, c, s, level_in(b, c, sector));
        v[i].id = c;
        v[i].aux = dj[i];
    }
    /* a listed commissioner's stamp is its index lo + i in the segment (stale
     * stamps fail the range or identity test); a wish already placed, -1 */
    for (int32_t i = 0; i < n; i++)
        w->stamp[v[i].id] = lo + i;
    int32_t pos = lo;
    for (int32_t e = b->w_off[1][s]; e < b->w_off[1][s + 1]; e++) {
        int32_t c = b->w_ids[1][e], k = w->stamp[c];
        if (k >= lo && k < hi && v[k - lo].id == c) {
            w->stamp[c] = -1;
            place(job, lo, pos++, c, v[k - lo].aux);
        }
    }
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++)
        if (w->stamp[v[i].id] != -1)
            v[m++] = v[i];
    tm_i_scored_sort(v, m);
    for (int32_t i = 0; i < m; i++)
        place(job, lo, pos++, v[i].id, v[i].aux);
    return TRUE;
}

static void run_sort(Worker *w)
{
    for (int32_t s = w->lo; s < w->hi; s++) {
        if (!worker_tick(w, s, 0.8, 0.95))
            return;
        if (!sort_site(w, w->b->sort_job, s)) {
            worker_fail(w);
            return;
        }
    }
    worker_progress(w, 0.8, 0.95, w->hi - w->lo);
}

/* ---- running the phases ------------------------------------------------------ */

static void worker_main(gpointer data, int t)
{
    Build *b = data;
    Worker *w = &b->ws[t];
    switch (w->phase) {
    case PHASE_FORCED: run_forced(w); break;
    case PHASE_SUPPLY: run_supply(w); break;
    case PHASE_SORT: run_sort(w); break;
    default: break;
    }
}

void tm_i_worker_clear(Worker *w)
{
    tm_i_vec_clear(&w->ids);
    tm_i_vec_clear(&w->pc);
    tm_i_vec_clear(&w->ps);
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

void tm_i_stats_add(TmPrefsStats *to, const TmPrefsStats *from)
{
    to->candidates_scored += from->candidates_scored;
    to->candidates_examined += from->candidates_examined;
    to->forced_entries += from->forced_entries;
    to->exact_agents += from->exact_agents;
    to->budget_agents += from->budget_agents;
}

gboolean tm_i_run_phase(Build *b, int phase, int32_t n, GError **error)
{
    int T = b->n_threads;
    for (int t = 0; t < T; t++) {
        b->ws[t].phase = phase;
        b->ws[t].lo = (int32_t)((int64_t)n * t / T);
        b->ws[t].hi = (int32_t)((int64_t)n * (t + 1) / T);
    }
    tm_i_run_workers(T, worker_main, b);
    for (int t = 0; t < T; t++) {
        if (b->ws[t].error) {
            g_propagate_error(error, b->ws[t].error);
            b->ws[t].error = NULL;
            return FALSE;
        }
    }
    if (g_atomic_int_get(&b->stop)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        return FALSE;
    }
    return TRUE;
}

gboolean tm_i_workers_init(Build *b, int32_t n_stamp, GError **error)
{
    int64_t heap = b->k > b->site_k ? b->k : b->site_k;
    for (int t = 0; t < b->n_threads; t++) {
        Worker *w = &b->ws[t];
        w->b = b;
        w->id = t;
        g_free(w->stamp);
        w->stamp = tm_i_try_alloc(n_stamp, sizeof(int32_t), FALSE, "worker scratch", error);
        if (w->stamp == NULL)
            return FALSE;
        for (int32_t i = 0; i < n_stamp; i++)
            w->stamp[i] = -1;
        if (w->heap == NULL) {
            w->heap = tm_i_try_alloc(heap, sizeof(TmScored), FALSE, "worker scratch", error);
            if (w->heap == NULL)
                return FALSE;
            w->lv = tm_i_try_alloc(b->n_sectors, sizeof(int32_t), TRUE, "worker scratch",
                                   error);
            if (w->lv == NULL)
                return FALSE;
        }
    }
    return TRUE;
}

gboolean tm_i_forced_csr(Build *b, GError **error)
{
    int64_t np = 0;
    for (int t = 0; t < b->n_threads; t++)
        np += b->ws[t].pc.n;
    if (np > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many site-side choices");
        return FALSE;
    }
    int32_t *fill = NULL;
    if (!(b->f_off = tm_i_try_alloc((int64_t)b->nc + 1, sizeof(int32_t), TRUE, "site choices",
                                    error))
        || !(b->f_ids = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "site choices", error))
        || !(fill = tm_i_try_alloc(b->nc, sizeof(int32_t), FALSE, "site choices", error)))
        return FALSE;
    for (int t = 0; t < b->n_threads; t++)
        for (int64_t q = 0; q < b->ws[t].pc.n; q++)
            b->f_off[b->ws[t].pc.v[q] + 1]++;
    for (int32_t c = 0; c < b->nc; c++)
        b->f_off[c + 1] += b->f_off[c];
    memcpy(fill, b->f_off, (gsize)b->nc * sizeof(int32_t));
    for (int t = 0; t < b->n_threads; t++) {
        Worker *w = &b->ws[t];
        for (int64_t q = 0; q < w->pc.n; q++)
            b->f_ids[fill[w->pc.v[q]]++] = w->ps.v[q];
        tm_i_vec_clear(&w->pc);
        tm_i_vec_clear(&w->ps);
    }
    g_free(fill);
    return TRUE;
}
