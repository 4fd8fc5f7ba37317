/* techmatch — from a screened programme to a market: the orchestrator of
 * tm_programme_build_market() (contract in preferences.h; the data flow and
 * the other parts are described in candidates_private.h). */
#include "programme/candidates_private.h"
#include "core/mutual.h"

#include <string.h>

/* The concatenated lists: supply side, then demand side (16 bytes per
 * entry in all, which the market takes over). */
typedef struct {
    int64_t L;
    int32_t *sp_off, *sp, *sp_rpos;
    int32_t *dp_off, *dp, *dp_rpos;
} Lists;

static void lists_clear(Lists *l)
{
    g_free(l->sp_off);
    g_free(l->sp);
    g_free(l->sp_rpos);
    g_free(l->dp_rpos);
    g_free(l->dp_off);
    g_free(l->dp);
}

static void progress(const Build *b, double f)
{
    if (b->progress)
        b->progress(f, b->progress_data);
}

static gboolean cancelled(const Build *b, GError **error)
{
    if (g_atomic_int_get(&b->stop) || tm_cancel_is_triggered(b->cancel)) {
        g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED, "preference building cancelled");
        return TRUE;
    }
    return FALSE;
}

/* k (after auto), site_k, the search budgets and the worker count. */
static void build_settings(Build *b, const TmPrefsOptions *options)
{
    const TmCandidateParams *cp = &b->r->cand;
    int32_t k = options && options->k >= 0 ? options->k : cp->k;
    if (k < 0) {
        int64_t pairs = (int64_t)b->scr->n_eligible[0] * b->scr->n_eligible[1];
        k = pairs <= cp->exact_limit ? 0 : cp->auto_k;
    }
    /* k and site_k are clamped to what can mean something: a top-k list
     * holds at most every agent of the other side (never below 1, which
     * would turn top-k into exact).  Budgets allocate nothing (a search
     * stops when its sources are exhausted); the default follows the
     * clamped k. */
    int32_t max_c = MAX(b->ns, 1), max_s = MAX(b->nc, 1);
    b->k = MIN(k, max_c);
    int32_t site_k = k == 0 ? 0 : (cp->site_k < 0 ? k : cp->site_k);
    b->site_k = MIN(site_k, max_s);
    b->budget_c = cp->budget > 0 ? cp->budget : (int32_t)MIN((int64_t)b->k * 20, G_MAXINT32);
    /* a site's score leans on merit and title, less on distance: its
     * search reads wider before the bound certifies it (200 site_k) */
    b->budget_s = cp->site_budget > 0 ? cp->site_budget
                                      : (int32_t)MIN((int64_t)b->site_k * 200, G_MAXINT32);
    int32_t nmax = b->nc > b->ns ? b->nc : b->ns;
    b->n_threads = tm_i_n_workers(options ? options->n_threads : 0, nmax, 256);
    b->stats.k = b->k;
    b->stats.site_k = b->site_k;
    b->stats.threads = b->n_threads;
}

/* The context for @programme and @rules; screens here when @screening is
 * NULL (*@own then owns the screening). */
static gboolean build_init(Build *b, const TmProgramme *programme, const TmRules *rules,
                           const TmScreening *screening, const TmPrefsOptions *options,
                           TmScreening **own, GError **error)
{
    b->p = programme;
    b->r = rules;
    b->nc = tm_programme_n_commissioners(programme);
    b->ns = tm_programme_n_sites(programme);
    b->n_sectors = tm_taxonomy_n_sectors(tm_programme_taxonomy(programme));
    b->n_tags = tm_programme_n_tags(programme);
    b->by_sector = rules->enabled[TM_R_P_SECTOR];
    if (options) {
        b->progress = options->ctl.progress;
        b->progress_data = options->ctl.progress_data;
        b->cancel = options->ctl.cancel;
    }
    if (screening == NULL) {
        if ((*own = tm_programme_screen(programme, rules, error)) == NULL)
            return FALSE;
        screening = *own;
    } else if (screening->n[0] != b->nc || screening->n[1] != b->ns) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "screening of %" G_GINT32_FORMAT " commissioners and %" G_GINT32_FORMAT
                    " sites does not fit a programme of %" G_GINT32_FORMAT " and %"
                    G_GINT32_FORMAT, screening->n[0], screening->n[1], b->nc, b->ns);
        return FALSE;
    }
    b->scr = screening;
    tm_i_score_ctx_init(&b->ctx, programme, rules);
    for (int side = 0; side < 2; side++)
        if (!isfinite(b->ctx.wsum[side])) { /* refused when set; never a silent NaN */
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "the %s weights add up to more than the largest finite number: "
                        "no score can be computed",
                        side == 0 ? "commissioners'" : "sites'");
            return FALSE;
        }
    build_settings(b, options);
    return TRUE;
}

/* Step 2 (k > 0): the indexes and the site-side choices (b->f_off/f_ids);
 * the commissioner index is dropped afterwards. */
static gboolean build_site_choices(Build *b, GError **error)
{
    int32_t n_order = 0;
    if ((b->six = tm_i_site_index(b, error)) == NULL)
        return FALSE;
    if (b->site_k > 0 && (b->cix = tm_i_commissioner_index(b, error)) == NULL)
        return FALSE;
    if ((b->order = tm_i_build_spatial_order(b, 1, &n_order, error)) == NULL
        || !tm_i_workers_init(b, b->nc, error) || !tm_i_run_phase(b, PHASE_FORCED, n_order, error)
        || !tm_i_forced_csr(b, error))
        return FALSE;
    g_free(b->order);
    b->order = NULL;
    tm_i_index_free(b->cix);
    b->cix = NULL;
    return TRUE;
}

/* Moves the workers' commissioner lists (computed in b->order) into CSR by
 * id: l->sp_off, l->sp. */
static gboolean gather_supply(Build *b, Lists *l, GError **error)
{
    int64_t L = 0;
    for (int t = 0; t < b->n_threads; t++)
        L += b->ws[t].ids.n;
    if (L > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "more than %d preference list entries", G_MAXINT32);
        return FALSE;
    }
    l->L = L;
    if (!(l->sp_off = tm_i_try_alloc((int64_t)b->nc + 1, sizeof(int32_t), FALSE, "lists",
                                     error))
        || !(l->sp = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "lists", error)))
        return FALSE;
    l->sp_off[0] = 0;
    for (int32_t c = 0; c < b->nc; c++)
        l->sp_off[c + 1] = l->sp_off[c] + b->sp_len[c];
    for (int t = 0; t < b->n_threads; t++) {
        Worker *w = &b->ws[t];
        int64_t pos = 0;
        for (int32_t i = w->lo; i < w->hi; i++) {
            int32_t c = b->order[i], len = b->sp_len[c];
            if (len > 0)
                memcpy(l->sp + l->sp_off[c], w->ids.v + pos, (gsize)len * sizeof(int32_t));
            pos += len;
        }
        tm_i_vec_clear(&w->ids);
        tm_i_stats_add(&b->stats, &w->st);
    }
    g_free(b->order);
    b->order = NULL;
    return TRUE;
}

/* Step 3: the commissioner lists, computed in spatial order, gathered by id;
 * the site index is dropped afterwards. */
static gboolean build_supply_lists(Build *b, Lists *l, GError **error)
{
    int32_t n_order = 0;
    b->sp_len = tm_i_try_alloc(b->nc, sizeof(int32_t), TRUE, "lists", error);
    if (b->sp_len == NULL || (b->order = tm_i_build_spatial_order(b, 0, &n_order, error)) == NULL
        || !tm_i_workers_init(b, b->ns, error) || !tm_i_run_phase(b, PHASE_SUPPLY, n_order, error))
        return FALSE;
    tm_i_index_free(b->six);
    b->six = NULL;
    return gather_supply(b, l, error);
}

/* Step 4: the site lists: the transpose (l->dp by commissioner id, with in
 * l->dp_rpos the site's position in each commissioner's list), then each
 * site's segment scored and sorted in place on the workers. */
static gboolean build_demand_lists(Build *b, Lists *l, GError **error)
{
    int32_t *fill = NULL;
    if (!(l->dp_off = tm_i_try_alloc((int64_t)b->ns + 1, sizeof(int32_t), TRUE, "site lists",
                                     error))
        || !(l->dp = tm_i_try_alloc(l->L, sizeof(int32_t), FALSE, "site lists", error))
        || !(l->dp_rpos = tm_i_try_alloc(l->L, sizeof(int32_t), FALSE, "site lists", error))
        || !(fill = tm_i_try_alloc(b->ns, sizeof(int32_t), FALSE, "site lists", error)))
        return FALSE;
    for (int64_t e = 0; e < l->L; e++)
        l->dp_off[l->sp[e] + 1]++;
    for (int32_t s = 0; s < b->ns; s++)
        l->dp_off[s + 1] += l->dp_off[s];
    memcpy(fill, l->dp_off, (gsize)b->ns * sizeof(int32_t));
    for (int32_t c = 0; c < b->nc; c++)
        for (int32_t e = l->sp_off[c]; e < l->sp_off[c + 1]; e++) {
            int32_t pos = fill[l->sp[e]]++;
            l->dp[pos] = c;
            l->dp_rpos[pos] = e - l->sp_off[c];
        }
    g_free(fill);
    if (!(l->sp_rpos = tm_i_try_alloc(l->L, sizeof(int32_t), FALSE, "lists", error)))
        return FALSE;
    SortJob job = { l->dp_off, l->dp, l->sp_off, l->dp_rpos, l->sp_rpos };
    b->sort_job = &job;
    gboolean ok = tm_i_workers_init(b, b->nc, error) && tm_i_run_phase(b, PHASE_SORT, b->ns, error);
    b->sort_job = NULL;
    return ok;
}

/* Step 5: the market (eligible agents keep their capacity, the others 0),
 * from lists mutual by construction (the site lists are the transpose of the
 * commissioners'), so without the validate-and-join pass: the market takes
 * the arrays over.  Builds with assertions (Debug, the sanitizer runs) verify
 * them. */
#ifdef NDEBUG
#define TM_VERIFY_MUTUAL FALSE
#else
#define TM_VERIFY_MUTUAL TRUE
#endif
/* With tied wishes: the same lists with ranks, through the public ranked
 * constructor (which copies and validates them: O(L) more, only then). */
static TmMarket *build_ranked(Build *b, Lists *l, const int32_t *cap_c, const int32_t *cap_s,
                              GError **error)
{
    TmMarket *market = NULL;
    int32_t *sr = tm_i_build_list_ranks(b, 0, b->nc, l->sp_off, l->sp, error);
    int32_t *dr = sr ? tm_i_build_list_ranks(b, 1, b->ns, l->dp_off, l->dp, error) : NULL;
    if (dr != NULL)
        market = tm_market_new_from_ranked_arrays(b->nc, b->ns, cap_c, cap_s, l->sp_off, l->sp,
                                                  sr, l->L, l->dp_off, l->dp, dr, l->L, error);
    g_free(sr);
    g_free(dr);
    return market;
}

static TmMarket *build_finish(Build *b, Lists *l, GError **error)
{
    TmMarket *market = NULL;
    int32_t *cap_c = tm_i_try_alloc(b->nc, sizeof(int32_t), FALSE, "capacities", error);
    int32_t *cap_s = cap_c ? tm_i_try_alloc(b->ns, sizeof(int32_t), FALSE, "capacities", error)
                           : NULL;
    if (cap_s) {
        for (int32_t c = 0; c < b->nc; c++)
            cap_c[c] = b->c[c].eligible ? tm_programme_commissioner(b->p, c)->capacity : 0;
        for (int32_t s = 0; s < b->ns; s++)
            cap_s[s] = b->s[s].eligible ? tm_programme_site(b->p, s)->capacity : 0;
        b->stats.supply_entries = l->L;
        b->stats.demand_entries = l->L;
        if (b->w_rank[0] != NULL || b->w_rank[1] != NULL) {
            market = build_ranked(b, l, cap_c, cap_s, error);
            g_free(cap_c);
            g_free(cap_s);
            return market;
        }
        market = tm_i_market_new_mutual(b->nc, b->ns, cap_c, cap_s, l->sp_off, l->sp,
                                        l->sp_rpos, l->dp_off, l->dp, l->dp_rpos,
                                        TM_VERIFY_MUTUAL, error);
        l->sp_off = l->sp = l->sp_rpos = l->dp_off = l->dp = l->dp_rpos = NULL; /* taken */
        return market;
    }
    g_free(cap_c);
    g_free(cap_s);
    return market;
}

/* Steps 1-5 on an initialised context. */
static TmMarket *build_run(Build *b, Lists *l, GError **error)
{
    progress(b, 0.0);
    if (!tm_i_build_flatten(b, error) || !tm_i_build_named(b, error)
        || !tm_i_build_wishes(b, 0, error)
        || !tm_i_build_wishes(b, 1, error) || cancelled(b, error))
        return NULL;
    if (b->k > 0 && !build_site_choices(b, error))
        return NULL;
    progress(b, 0.15);
    if (!build_supply_lists(b, l, error))
        return NULL;
    progress(b, 0.75);
    if (!build_demand_lists(b, l, error))
        return NULL;
    for (int t = 0; t < b->n_threads; t++)
        tm_i_worker_clear(&b->ws[t]);
    progress(b, 0.95);
    TmMarket *market = build_finish(b, l, error);
    if (market)
        progress(b, 1.0);
    return market;
}

TmMarket *tm_programme_build_market(const TmProgramme *programme, const TmRules *rules,
                                    const TmScreening *screening,
                                    const TmPrefsOptions *options, TmPrefsStats *stats,
                                    GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (programme == NULL || rules == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "programme and rules must not be NULL");
        return NULL;
    }
    Build *b = g_new0(Build, 1);
    Lists l;
    memset(&l, 0, sizeof l);
    TmScreening *own = NULL;
    TmMarket *market = NULL;
    if (build_init(b, programme, rules, screening, options, &own, error))
        market = build_run(b, &l, error);
    if (market && stats)
        *stats = b->stats;
    for (int t = 0; t < TM_I_MAX_WORKERS; t++)
        tm_i_worker_clear(&b->ws[t]);
    lists_clear(&l);
    tm_i_build_clear(b);
    g_free(b);
    tm_screening_free(own);
    return market;
}
