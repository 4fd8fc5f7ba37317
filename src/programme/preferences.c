/* techmatch — two-way compatibility scores (see preferences.h for the
 * formula).  The market builder is in candidates.c. */
#include "programme/rules_internal.h"

#include <string.h>

void tm_i_score_ctx_init(TmScoreCtx *ctx, const TmProgramme *p, const TmRules *r)
{
    memset(ctx, 0, sizeof *ctx);
    for (int side = 0; side < 2; side++) {
        double sum = 0.0;
        for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
            ctx->w[side][k] = r->weight[side][k];
            sum += r->weight[side][k];
        }
        ctx->wsum[side] = sum;
    }
    ctx->dscale = r->distance_scale;
    for (int32_t l = 0; l < 4; l++)
        ctx->sector_tab[l] = tm_i_sector_comp(l);
    for (int32_t t = 0; t < 4; t++)
        for (int32_t m = 0; m < 4; m++)
            ctx->title_tab[t][m] = tm_i_title_comp(t, m);
    for (int32_t a = 0; a < 11; a++)
        for (int32_t b = 0; b < 11; b++)
            ctx->years_tab[a][b] = tm_i_years_comp(a, b);
    for (int32_t n = 0; n < TM_I_TAG_TAB; n++)
        for (int32_t c = 0; c < TM_I_TAG_TAB; c++)
            ctx->tag_tab[n][c] = tm_i_tags_comp(c, n);
    ctx->term_lo = r->years_min;
    ctx->term_hi = r->years_max;
    for (int32_t y = 0; y < 11; y++)
        ctx->term_tab[y] = tm_i_term_comp(y, r->years_min, r->years_max);
    for (int32_t n = 0; n <= TM_N_TASKS; n++)
        for (int32_t c = 0; c <= TM_N_TASKS; c++)
            ctx->task_tab[n][c] = tm_i_tasks_comp(c, n);
    int32_t n = tm_programme_n_commissioners(p);
    double lo = 0.0, hi = 0.0;
    for (int32_t i = 0; i < n; i++) {
        double m = tm_programme_commissioner(p, i)->merit;
        if (i == 0 || m < lo)
            lo = m;
        if (i == 0 || m > hi)
            hi = m;
    }
    ctx->merit_lo = lo;
    ctx->merit_span = hi - lo;
    if (!isfinite(ctx->merit_span)) /* e.g. merits of +-1e308: normalise by halves */
        ctx->merit_span = 0.0;
}

/* A scoring context on borrowed objects (the calls below); TmScorer owns
 * its own. */
typedef struct {
    const TmProgramme *p;
    const TmRules *r;
    TmScoreCtx ctx;
} Scoring;

struct TmScorer {
    Scoring sc;
    TmProgramme *programme; /* own reference */
    TmRules *rules;         /* own copy */
};

TmScorer *tm_scorer_new(const TmProgramme *programme, const TmRules *rules, GError **error)
{
    if (programme == NULL || rules == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "programme and rules must not be NULL");
        return NULL;
    }
    TmScorer *s = g_new(TmScorer, 1);
    /* The reference count is not part of the programme's value: taking a
     * reference through a const pointer leaves the programme as it was. */
    s->programme = tm_programme_ref((TmProgramme *)programme);
    s->rules = tm_rules_copy(rules);
    s->sc.p = s->programme;
    s->sc.r = s->rules;
    tm_i_score_ctx_init(&s->sc.ctx, s->programme, s->rules);
    return s;
}

void tm_scorer_free(TmScorer *scorer)
{
    if (scorer == NULL)
        return;
    tm_rules_free(scorer->rules);
    tm_programme_free(scorer->programme);
    g_free(scorer);
}

static gboolean ids_ok(const TmProgramme *p, int32_t c, int32_t s)
{
    return c >= 0 && c < tm_programme_n_commissioners(p) && s >= 0
           && s < tm_programme_n_sites(p);
}

static void components(const TmScoreCtx *ctx, const TmProgramme *p, int32_t c, int32_t s,
                       double comp[TM_N_SCORE_COMPONENTS])
{
    const TmCommissioner *ci = tm_programme_commissioner(p, c);
    const TmSite *si = tm_programme_site(p, s);
    int32_t nsk = 0, nn = 0;
    const int32_t *sk = tm_programme_skill_ids(p, c, &nsk);
    const int32_t *nd = tm_programme_need_ids(p, s, &nn);
    int32_t level = tm_programme_expertise(p, c, si->sector);
    tm_i_components(ctx, ci, sk, nsk, level, si, nd, nn, comp);
}

static double scoring_score(const Scoring *sc, TmSide side, int32_t c, int32_t s)
{
    if ((side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || !ids_ok(sc->p, c, s))
        return -1;
    double comp[TM_N_SCORE_COMPONENTS];
    components(&sc->ctx, sc->p, c, s, comp);
    return tm_i_combine(&sc->ctx, side, comp);
}

/* Checks the ids before the context is needed (@sc->ctx may be unset then). */
static gboolean check_ids(const Scoring *sc, int32_t c, int32_t s, GError **error)
{
    if (ids_ok(sc->p, c, s))
        return TRUE;
    g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                "pair (commissioner %" G_GINT32_FORMAT ", site %" G_GINT32_FORMAT
                ") out of range", c, s);
    return FALSE;
}

static void scoring_explain(const Scoring *sc, int32_t c, int32_t s, TmScoreDetail *out)
{
    memset(out, 0, sizeof *out);
    components(&sc->ctx, sc->p, c, s, out->component);
    out->score[TM_SIDE_SUPPLY] = tm_i_combine(&sc->ctx, TM_SIDE_SUPPLY, out->component);
    out->score[TM_SIDE_DEMAND] = tm_i_combine(&sc->ctx, TM_SIDE_DEMAND, out->component);
    const TmCommissioner *ci = tm_programme_commissioner(sc->p, c);
    const TmSite *si = tm_programme_site(sc->p, s);
    if (tm_i_located(ci->x, ci->y) && tm_i_located(si->x, si->y))
        out->distance_km = tm_i_distance(ci->x, ci->y, si->x, si->y);
    else
        out->distance_km = -1;
    out->pair_reason = tm_rules_pair_reason(sc->p, sc->r, c, s);
    out->pair_failures = tm_rules_pair_failures(sc->p, sc->r, c, s);
}

double tm_scorer_score(const TmScorer *scorer, TmSide side, int32_t c, int32_t s)
{
    return scorer ? scoring_score(&scorer->sc, side, c, s) : -1;
}

gboolean tm_scorer_explain(const TmScorer *scorer, int32_t c, int32_t s, TmScoreDetail *out,
                           GError **error)
{
    if (scorer == NULL || out == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "scorer and output must not be NULL");
        return FALSE;
    }
    if (!check_ids(&scorer->sc, c, s, error))
        return FALSE;
    scoring_explain(&scorer->sc, c, s, out);
    return TRUE;
}

double tm_preferences_score(const TmProgramme *programme, const TmRules *rules, TmSide side,
                            int32_t c, int32_t s)
{
    if (programme == NULL || rules == NULL)
        return -1;
    if (!ids_ok(programme, c, s) || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND))
        return -1;
    Scoring sc;
    sc.p = programme;
    sc.r = rules;
    tm_i_score_ctx_init(&sc.ctx, programme, rules);
    return scoring_score(&sc, side, c, s);
}

gboolean tm_preferences_explain(const TmProgramme *programme, const TmRules *rules, int32_t c,
                                int32_t s, TmScoreDetail *out, GError **error)
{
    if (programme == NULL || rules == NULL || out == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "programme, rules and output must not be NULL");
        return FALSE;
    }
    Scoring sc;
    sc.p = programme;
    sc.r = rules;
    if (!check_ids(&sc, c, s, error))
        return FALSE;
    tm_i_score_ctx_init(&sc.ctx, programme, rules);
    scoring_explain(&sc, c, s, out);
    return TRUE;
}

/* ---- sorting: score descending, id ascending -------------------------------- */

static void sift_down(TmScored *v, int64_t n, int64_t i)
{
    /* max-heap on "comes later" so that heapsort yields the list order */
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && tm_i_scored_before(&v[m], &v[l]))
            m = l;
        if (r < n && tm_i_scored_before(&v[m], &v[r]))
            m = r;
        if (m == i)
            return;
        TmScored t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

static void heap_sort(TmScored *v, int64_t n)
{
    for (int64_t i = n / 2 - 1; i >= 0; i--)
        sift_down(v, n, i);
    for (int64_t e = n - 1; e > 0; e--) {
        TmScored t = v[0];
        v[0] = v[e];
        v[e] = t;
        sift_down(v, e, 0);
    }
}

static void insertion_sort(TmScored *v, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        TmScored x = v[i];
        int64_t j = i;
        while (j > 0 && tm_i_scored_before(&x, &v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void intro_sort(TmScored *v, int64_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(v, n);
            return;
        }
        /* median of three to v[0] */
        int64_t mid = n / 2;
        TmScored *a = &v[0], *b = &v[mid], *c = &v[n - 1], t;
        if (tm_i_scored_before(b, a)) { t = *a; *a = *b; *b = t; }
        if (tm_i_scored_before(c, b)) { t = *b; *b = *c; *c = t; }
        if (tm_i_scored_before(b, a)) { t = *a; *a = *b; *b = t; }
        t = v[0]; v[0] = v[mid]; v[mid] = t;
        TmScored pivot = v[0];
        int64_t i = 1, j = n - 1;
        for (;;) {
            while (i <= j && tm_i_scored_before(&v[i], &pivot))
                i++;
            while (i <= j && tm_i_scored_before(&pivot, &v[j]))
                j--;
            if (i >= j)
                break;
            t = v[i]; v[i] = v[j]; v[j] = t;
            i++;
            j--;
        }
        /* v[1..j] <= pivot <= v[j+1..]: place the pivot at j */
        t = v[0]; v[0] = v[j]; v[j] = t;
        int64_t left = j, right = n - j - 1;
        if (left < right) {
            intro_sort(v, left, depth);
            v += j + 1;
            n = right;
        } else {
            intro_sort(v + j + 1, right, depth);
            n = left;
        }
    }
    insertion_sort(v, n);
}

void tm_i_scored_sort(TmScored *v, int64_t n)
{
    if (n < 2)
        return;
    int depth = 2;
    for (int64_t m = n; m > 1; m >>= 1)
        depth += 2;
    intro_sort(v, n, depth);
}
