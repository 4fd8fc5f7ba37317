/* techmatch — step 4 of the selection by admission in merit order: the
 * admission's inputs from the selection's market, quota and review, its run
 * (selection_admission.c), the matching, and the certificate: the market of
 * the admitted applicants with the sites each was allowed (pinned seats taken
 * out), on which the matching must be stable. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/matching.h>

#include "programme/selection_internal.h"

static int cmp_merit(const void *a, const void *b, void *data)
{
    const TmProgramme *p = data;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    double mx = tm_programme_commissioner(p, x)->merit, my = tm_programme_commissioner(p, y)->merit;
    if (mx != my)
        return mx > my ? -1 : 1;
    return (x > y) - (x < y);
}

typedef struct {
    int32_t *off, *sites, *srank, *ccap, *scap, *sector, *order, *cap, *floor;
} Inputs;

static void inputs_free(Inputs *in)
{
    g_free(in->off);
    g_free(in->sites);
    g_free(in->srank);
    g_free(in->ccap);
    g_free(in->scap);
    g_free(in->sector);
    g_free(in->order);
    g_free(in->cap);
    g_free(in->floor);
}

static gboolean pinned(const TmSelection *sel, int32_t c, int32_t s)
{
    return tm_i_review_plan_is_pinned(&sel->plan, c, s);
}

/* What the pins alone use, overall and in sector k (-1: overall). */
static int64_t pins_used(const TmSelection *sel, int32_t k)
{
    int64_t n = 0;
    for (int32_t i = 0; i < sel->plan.n_pins; i++) {
        int32_t c = sel->plan.pin_c[i];
        if (k >= 0 && tm_programme_site(sel->prog, sel->plan.pin_s[i])->sector != k)
            continue;
        gboolean first = TRUE; /* people: count c once */
        for (int32_t j = 0; j < i && sel->unit == TM_QUOTA_PEOPLE; j++)
            if (sel->plan.pin_c[j] == c
                && (k < 0 || tm_programme_site(sel->prog, sel->plan.pin_s[j])->sector == k))
                first = FALSE;
        n += first;
    }
    return n;
}

static gboolean check_limits(const TmSelection *sel, GError **error)
{
    int64_t floors = 0;
    for (int32_t k = 0; k < sel->n_sectors; k++)
        floors += sel->sector_floor[k];
    if (sel->quota_total >= 0 && floors > sel->quota_total) {
        g_set_error(error, TM_ERROR, TM_ERROR_INFEASIBLE,
                    "the sector floors add up to %" G_GINT64_FORMAT
                    ", more than the quota of %" G_GINT32_FORMAT, floors, sel->quota_total);
        return FALSE;
    }
    int64_t p = pins_used(sel, -1);
    if (sel->quota_total >= 0 && p > sel->quota_total) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "the review pins %" G_GINT64_FORMAT " %s, more than the quota of %" G_GINT32_FORMAT,
                    p, tm_quota_unit_code(sel->unit), sel->quota_total);
        return FALSE;
    }
    for (int32_t k = 0; k < sel->n_sectors; k++) {
        int64_t pk = sel->sector_cap[k] >= 0 ? pins_used(sel, k) : 0;
        if (sel->sector_cap[k] >= 0 && pk > sel->sector_cap[k]) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "the review pins %" G_GINT64_FORMAT " %s in sector %s, more than its "
                        "cap of %" G_GINT32_FORMAT,
                        pk, tm_quota_unit_code(sel->unit),
                        tm_taxonomy_code(tm_programme_taxonomy(sel->prog), k),
                        sel->sector_cap[k]);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean build_inputs(TmSelection *sel, const TmMarket *strict, Inputs *in,
                             TmAdmission *a, GError **error)
{
    int32_t nc = sel->n[TM_SIDE_SUPPLY], ns = sel->n[TM_SIDE_DEMAND], K = sel->n_sectors;
    int64_t L = tm_market_n_pairs(strict);
    int32_t *ids = NULL, *rev = NULL;
    gboolean ok = (in->off = tm_i_try_alloc((int64_t)nc + 1, sizeof(int32_t), FALSE, "admission", error))
                  && (in->sites = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "admission", error))
                  && (in->srank = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "admission", error))
                  && (ids = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "admission", error))
                  && (rev = tm_i_try_alloc(L, sizeof(int32_t), FALSE, "admission", error))
                  && (in->ccap = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "admission", error))
                  && (in->scap = tm_i_try_alloc(ns, sizeof(int32_t), FALSE, "admission", error))
                  && (in->sector = tm_i_try_alloc(ns, sizeof(int32_t), FALSE, "admission", error))
                  && (in->order = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "admission", error))
                  && (in->cap = tm_i_try_alloc(K, sizeof(int32_t), FALSE, "admission", error))
                  && (in->floor = tm_i_try_alloc(K, sizeof(int32_t), FALSE, "admission", error))
                  && tm_market_get_lists(strict, TM_SIDE_SUPPLY, in->off, (int64_t)nc + 1, ids,
                                         NULL, rev, L, error)
                  && tm_market_get_capacities(strict, TM_SIDE_SUPPLY, in->ccap, nc, error)
                  && tm_market_get_capacities(strict, TM_SIDE_DEMAND, in->scap, ns, error);
    if (!ok) {
        g_free(ids);
        g_free(rev);
        return FALSE;
    }
    /* the lists without the pinned pairs */
    int64_t w = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t from = in->off[c], to = in->off[c + 1];
        in->off[c] = (int32_t)w;
        for (int32_t e = from; e < to; e++)
            if (sel->plan.n_pins == 0 || !pinned(sel, c, ids[e])) {
                in->sites[w] = ids[e];
                in->srank[w++] = rev[e];
            }
    }
    in->off[nc] = (int32_t)w;
    g_free(ids);
    g_free(rev);
    for (int32_t i = 0; i < sel->plan.n_pins; i++) {
        int32_t *cc = &in->ccap[sel->plan.pin_c[i]], *sc = &in->scap[sel->plan.pin_s[i]];
        *cc = MAX(*cc - 1, 0);
        *sc = MAX(*sc - 1, 0);
    }
    /* seats per sector bound the floors: a floor the sector cannot fill
     * reserves no more than it can */
    int64_t *seats = tm_i_try_alloc(K, sizeof(int64_t), TRUE, "admission", error);
    if (seats == NULL)
        return FALSE;
    for (int32_t s = 0; s < ns; s++) {
        int32_t k = tm_programme_site(sel->prog, s)->sector;
        in->sector[s] = k;
        seats[k] += in->scap[s];
    }
    for (int32_t k = 0; k < K; k++) {
        in->cap[k] = sel->sector_cap[k];
        in->floor[k] = (int32_t)MIN((int64_t)sel->sector_floor[k], seats[k] + pins_used(sel, k));
    }
    g_free(seats);
    int32_t n = 0;
    for (int32_t c = 0; c < nc; c++)
        if (in->ccap[c] > 0 && in->off[c + 1] > in->off[c])
            in->order[n++] = c;
    if (n > 1)
        g_qsort_with_data(in->order, n, sizeof(int32_t), cmp_merit, sel->prog);

    memset(a, 0, sizeof *a);
    a->nc = nc;
    a->ns = ns;
    a->n_sectors = K;
    a->off = in->off;
    a->sites = in->sites;
    a->srank = in->srank;
    a->ccap = in->ccap;
    a->scap = in->scap;
    a->sector = in->sector;
    a->order = in->order;
    a->n_order = n;
    a->cap = in->cap;
    a->floor = in->floor;
    a->total = sel->quota_total;
    a->unit = sel->unit;
    a->n_pins = sel->plan.n_pins;
    a->pin_c = sel->plan.pin_c;
    a->pin_s = sel->plan.pin_s;
    return TRUE;
}

/* The certificate market: admitted applicants with the sites of their
 * allowed sectors (pinned pairs out), everyone else without a list;
 * capacities after the pins. */
static TmMarket *certificate(const TmSelection *sel, const TmMarket *strict, const Inputs *in,
                             const TmAdmission *a, GError **error)
{
    int32_t nc = a->nc, ns = a->ns;
    int64_t L = tm_market_n_pairs(strict);
    int32_t *soff = tm_i_try_alloc((int64_t)nc + 1, sizeof(int32_t), FALSE, "certificate", error);
    int32_t *sids = soff ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "certificate", error) : NULL;
    int32_t *doff = sids ? tm_i_try_alloc((int64_t)ns + 1, sizeof(int32_t), FALSE, "certificate",
                                          error)
                         : NULL;
    int32_t *dids = doff ? tm_i_try_alloc(L, sizeof(int32_t), FALSE, "certificate", error) : NULL;
    TmMarket *m = NULL;
    if (dids != NULL
        && tm_market_get_lists(strict, TM_SIDE_DEMAND, doff, (int64_t)ns + 1, dids, NULL, NULL, L,
                               error)) {
        int64_t w = 0;
        for (int32_t c = 0; c < nc; c++) {
            soff[c] = (int32_t)w;
            if (a->status[c] != TM_ADM_ADMITTED)
                continue;
            for (int32_t e = in->off[c]; e < in->off[c + 1]; e++)
                if (tm_i_admission_allowed(a, c, in->sector[in->sites[e]]))
                    sids[w++] = in->sites[e];
        }
        soff[nc] = (int32_t)w;
        /* the sites' lists as they are: entries one side does not list are
         * dropped by the market (and pinned pairs are not on the supply side) */
        m = tm_market_new_from_arrays(nc, ns, in->ccap, in->scap, soff, sids, doff, dids, error);
    }
    (void)sel;
    g_free(soff);
    g_free(sids);
    g_free(doff);
    g_free(dids);
    return m;
}

/* Per commissioner considered and not fully placed: the first site of its
 * allowed list it does not hold, and the worst holder there. */
static gboolean outranked(TmSelection *sel, const Inputs *in, GError **error)
{
    int32_t nc = sel->n[TM_SIDE_SUPPLY];
    if (!(sel->outranked_site = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "outranked", error))
        || !(sel->outranked_by = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "outranked", error)))
        return FALSE;
    const TmMatching *mt = sel->matching;
    for (int32_t c = 0; c < nc; c++) {
        sel->outranked_site[c] = sel->outranked_by[c] = -1;
        if (sel->adm.status[c] != TM_ADM_ADMITTED)
            continue;
        int32_t n_mine;
        const int32_t *mine = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n_mine);
        int32_t held_free = 0; /* its seats outside the pins */
        for (int32_t j = 0; j < n_mine; j++)
            held_free += !pinned(sel, c, mine[j]);
        if (held_free >= in->ccap[c])
            continue;
        for (int32_t e = in->off[c]; e < in->off[c + 1] && sel->outranked_site[c] < 0; e++) {
            int32_t s = in->sites[e];
            gboolean have = FALSE;
            for (int32_t j = 0; j < n_mine; j++)
                have = have || mine[j] == s;
            if (have || !tm_i_admission_allowed(&sel->adm, c, in->sector[s]))
                continue;
            int32_t k;
            const int32_t *holders = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &k);
            if (k == 0)
                continue; /* capacity 0 */
            sel->outranked_site[c] = s;
            /* the holders are best first by the site: the last one not pinned */
            int32_t by = holders[k - 1];
            for (int32_t j = k; j-- > 0;)
                if (!pinned(sel, holders[j], s)) {
                    by = holders[j];
                    break;
                }
            sel->outranked_by[c] = by;
        }
    }
    return TRUE;
}

gboolean tm_i_selection_admit(TmSelection *sel, const TmSelectOptions *opt, GError **error)
{
    if (!check_limits(sel, error))
        return FALSE;
    uint64_t seed = 0;
    gboolean seeded = tm_select_options_get_tie_seed(opt, &seed);
    TmMarket *strict = tm_market_has_ties(sel->market)
                           ? tm_i_selection_strict_copy(sel->market, seeded, seed, error)
                           : tm_market_ref(sel->market);
    if (strict == NULL)
        return FALSE;
    Inputs in;
    memset(&in, 0, sizeof in);
    gboolean ok = build_inputs(sel, strict, &in, &sel->adm, error);
    if (ok) {
        sel->adm.ctl = opt ? &opt->ctl : NULL;
        ok = tm_i_admission_run(&sel->adm, error);
        sel->adm.ctl = NULL;
    }
    int32_t *pc = NULL, *ps = NULL;
    int64_t n = ok ? sel->adm.n_pairs + sel->plan.n_pins : 0;
    if (ok && (pc = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching", error))
        && (ps = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching", error))) {
        memcpy(pc, sel->adm.pair_c, sizeof(int32_t) * (size_t)sel->adm.n_pairs);
        memcpy(ps, sel->adm.pair_s, sizeof(int32_t) * (size_t)sel->adm.n_pairs);
        for (int32_t i = 0; i < sel->plan.n_pins; i++) {
            pc[sel->adm.n_pairs + i] = sel->plan.pin_c[i];
            ps[sel->adm.n_pairs + i] = sel->plan.pin_s[i];
        }
        sel->matching = tm_matching_new_from_pairs(sel->market, pc, ps, n, error);
    }
    ok = ok && sel->matching != NULL;
    TmMatching *on_cert = NULL;
    if (ok && (sel->adm_market = certificate(sel, strict, &in, &sel->adm, error)))
        on_cert = tm_matching_new_from_pairs(sel->adm_market, sel->adm.pair_c, sel->adm.pair_s,
                                             sel->adm.n_pairs, error);
    ok = on_cert != NULL && (sel->verdict = tm_matching_check(on_cert, error)) != NULL;
    if (ok && !(sel->merit_pos = tm_i_try_alloc(sel->n[TM_SIDE_SUPPLY], sizeof(int32_t), FALSE,
                                                "merit order", error)))
        ok = FALSE;
    if (ok) {
        for (int32_t c = 0; c < sel->n[TM_SIDE_SUPPLY]; c++)
            sel->merit_pos[c] = -1;
        for (int32_t i = 0; i < sel->adm.n_order; i++)
            sel->merit_pos[in.order[i]] = i;
        sel->cutoff = sel->adm.cutoff;
        sel->quota_used = sel->adm.used;
        ok = outranked(sel, &in, error);
    }
    if (ok) {
        /* the objective's value: the commissioners' total rank */
        double total = 0;
        for (int32_t c = 0; c < sel->n[TM_SIDE_SUPPLY]; c++) {
            int32_t k;
            const int32_t *ps2 = tm_matching_partners(sel->matching, TM_SIDE_SUPPLY, c, &k);
            for (int32_t j = 0; j < k; j++) {
                int32_t r = tm_market_rank(sel->market, TM_SIDE_SUPPLY, c, ps2[j]);
                total += r >= 0 ? r : 0;
            }
        }
        sel->objective_value = total;
    }
    tm_matching_free(on_cert);
    g_free(pc);
    g_free(ps);
    inputs_free(&in);
    /* the admission's arrays point into the inputs: keep only its outputs */
    sel->adm.off = sel->adm.sites = sel->adm.srank = sel->adm.ccap = sel->adm.scap = NULL;
    sel->adm.sector = sel->adm.order = sel->adm.cap = sel->adm.floor = NULL;
    tm_market_free(strict);
    return ok;
}
