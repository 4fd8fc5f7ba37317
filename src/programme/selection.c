/* techmatch — the programme's selection (selection.h): its options, the quota
 * and sector caps as groups of sites, deferred acceptance under them, and the
 * accessors the io layer's writers (report.h) and the bindings read.  The
 * reasons are in selection_reasons.c, the objectives (which stable matching,
 * its value, the audit) in selection_objective.c. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/groups.h>
#include <techmatch/matching.h>
#include <techmatch/preferences.h>
#include <techmatch/solve.h>

#include "util/messages.h"
#include "programme/selection_internal.h"
#include "core/control.h"

/* ---- options ---------------------------------------------------------------- */

TmSelectOptions *tm_select_options_new(void)
{
    TmSelectOptions *o = g_new0(TmSelectOptions, 1);
    o->k = -1;
    return o;
}

TmSelectOptions *tm_select_options_copy(const TmSelectOptions *options)
{
    if (options == NULL)
        return NULL;
    TmSelectOptions *o = g_new(TmSelectOptions, 1);
    *o = *options;
    tm_i_control_copy(&o->ctl, &options->ctl);
    o->review = tm_review_copy(options->review);
    return o;
}

void tm_select_options_free(TmSelectOptions *options)
{
    if (options == NULL)
        return;
    tm_i_control_clear(&options->ctl);
    tm_review_free(options->review);
    g_free(options);
}

gboolean tm_select_options_set_k(TmSelectOptions *options, int32_t k, GError **error)
{
    if (options == NULL || k < -1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    options ? "k must be -1 (the rules' k), 0 (all) or > 0 (got %" G_GINT32_FORMAT
                              ")"
                            : "options must not be NULL",
                    k);
        return FALSE;
    }
    options->k = k;
    return TRUE;
}

int32_t tm_select_options_get_k(const TmSelectOptions *options)
{
    return options ? options->k : -1;
}

void tm_select_options_set_progress(TmSelectOptions *options, TmProgressFunc func,
                                    gpointer user_data, GDestroyNotify destroy)
{
    if (options)
        tm_i_control_set_progress(&options->ctl, func, user_data, destroy);
}

void tm_select_options_set_cancel(TmSelectOptions *options, TmCancel *cancel)
{
    if (options)
        tm_i_control_set_cancel(&options->ctl, cancel);
}

TmCancel *tm_select_options_get_cancel(const TmSelectOptions *options)
{
    return options ? options->ctl.cancel : NULL;
}

gboolean tm_select_options_set_review(TmSelectOptions *options, const TmReview *review,
                                      GError **error)
{
    if (options == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "options must not be NULL");
        return FALSE;
    }
    TmReview *copy = tm_review_copy(review);
    tm_review_free(options->review);
    options->review = copy;
    return TRUE;
}

const TmReview *tm_select_options_get_review(const TmSelectOptions *options)
{
    return options ? options->review : NULL;
}

static void report_progress(const TmSelectOptions *o, double fraction)
{
    if (o)
        tm_i_control_progress(&o->ctl, fraction);
}

/* ---- the selection ---------------------------------------------------------- */

const char *tm_outcome_code(TmOutcome o)
{
    static const char *const codes[] = {"matched", "partly",     "ineligible",
                                        "no_capacity", "no_partner", "outranked",
                                        "quota",   "sector_cap", "review"};
    return (unsigned)o < G_N_ELEMENTS(codes) ? codes[o] : NULL;
}

const char *tm_outcome_label(TmOutcome o, TmLang lang)
{
    static const TmMsgId labels[] = {
        TM_M_OUTCOME_MATCHED,     TM_M_OUTCOME_PARTLY,     TM_M_OUTCOME_INELIGIBLE,
        TM_M_OUTCOME_NO_CAPACITY, TM_M_OUTCOME_NO_PARTNER, TM_M_OUTCOME_OUTRANKED,
        TM_M_OUTCOME_QUOTA,       TM_M_OUTCOME_SECTOR_CAP, TM_M_OUTCOME_REVIEW};
    return (unsigned)o < G_N_ELEMENTS(labels) ? tm_i_msg(lang, labels[o]) : NULL;
}

void tm_selection_free(TmSelection *sel)
{
    if (sel == NULL)
        return;
    for (int side = 0; side < 2; side++) {
        if (sel->detail[side])
            for (int32_t i = 0; i < sel->n[side]; i++)
                g_free(sel->detail[side][i]);
        g_free(sel->detail[side]);
        g_free(sel->outcome[side]);
    }
    tm_verdict_free(sel->verdict);
    tm_matching_free(sel->matching);
    tm_i_admission_clear(&sel->adm);
    tm_i_review_plan_clear(&sel->plan);
    tm_review_free(sel->review);
    tm_market_free(sel->adm_market);
    tm_market_free(sel->market);
    tm_screening_free(sel->screening);
    tm_scorer_free(sel->scorer);
    g_free(sel->sector_group);
    g_free(sel->sector_cap);
    g_free(sel->sector_floor);
    g_free(sel->merit_pos);
    g_free(sel->outranked_site);
    g_free(sel->outranked_by);
    tm_quota_free(sel->quota);
    tm_rules_free(sel->rules);
    tm_programme_free(sel->prog);
    g_free(sel);
}

/* Every sector code of the quota is one of the taxonomy's. */
static gboolean check_quota_sectors(const TmSelection *sel, GError **error)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(sel->prog);
    for (int32_t i = 0; i < tm_quota_n_sectors(sel->quota); i++) {
        const char *code = tm_quota_sector_code(sel->quota, i);
        int32_t k = 0;
        while (k < sel->n_sectors && strcmp(tm_taxonomy_code(tax, k), code) != 0)
            k++;
        if (k == sel->n_sectors) {
            g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                        "the quota names sector '%s', which is not in the programme's "
                        "taxonomy",
                        code);
            return FALSE;
        }
    }
    return TRUE;
}

/* The configured sector limits, per sector index (sector_group[k] = 0 marks
 * a sector with limits set, -1 one without). */
static gboolean build_limits(TmSelection *sel, GError **error)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(sel->prog);
    int32_t nsec = sel->n_sectors;
    if (!(sel->sector_group = tm_i_try_alloc(nsec, sizeof(int32_t), FALSE, "sector limits", error))
        || !(sel->sector_cap = tm_i_try_alloc(nsec, sizeof(int32_t), FALSE, "sector caps", error))
        || !(sel->sector_floor = tm_i_try_alloc(nsec, sizeof(int32_t), FALSE, "sector floors",
                                                error)))
        return FALSE;
    for (int32_t k = 0; k < nsec; k++)
        sel->sector_group[k] = tm_quota_sector(sel->quota, tm_taxonomy_code(tax, k),
                                               &sel->sector_cap[k], &sel->sector_floor[k])
                                   ? 0
                                   : -1;
    return check_quota_sectors(sel, error);
}

TmSelection *tm_programme_select(TmProgramme *programme, const TmRules *rules,
                                 const TmQuota *quota, const TmSelectOptions *options,
                                 GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (programme == NULL || rules == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "programme and rules must not be NULL");
        return NULL;
    }
    TmSelection *sel = g_new0(TmSelection, 1);
    sel->prog = tm_programme_ref(programme);
    sel->rules = tm_rules_copy(rules);
    sel->quota = quota ? tm_quota_copy(quota) : tm_quota_new();
    sel->quota_total = tm_quota_total(sel->quota);
    sel->n[TM_SIDE_SUPPLY] = tm_programme_n_commissioners(programme);
    sel->n[TM_SIDE_DEMAND] = tm_programme_n_sites(programme);
    sel->n_sectors = tm_taxonomy_n_sectors(tm_programme_taxonomy(programme));
    sel->cutoff = -1;
    sel->unit = tm_quota_unit(sel->quota);

    report_progress(options, 0.0);
    sel->review = tm_review_copy(tm_select_options_get_review(options));
    if (!tm_i_selection_check_objective(sel, options, error) || !build_limits(sel, error)
        || !tm_i_review_plan_build(sel, sel->review, error)
        || !(sel->screening = tm_programme_screen(programme, sel->rules, error)))
        goto fail;
    tm_i_review_plan_screen(sel);
    TmPrefsOptions *po = tm_prefs_options_new();
    int32_t k = tm_select_options_get_k(options);
    tm_prefs_options_set_cancel(po, tm_select_options_get_cancel(options));
    if (tm_prefs_options_set_k(po, k < 0 ? -1 : k, error))
        sel->market = tm_programme_build_market(programme, sel->rules, sel->screening, po, NULL,
                                                error);
    tm_prefs_options_free(po);
    if (sel->market == NULL || !tm_i_review_plan_market(sel, error))
        goto fail;
    report_progress(options, 0.5);
    if (!(sel->scorer = tm_scorer_new(programme, sel->rules, error)))
        goto fail;
    if (!tm_i_selection_solve(sel, options, error))
        goto fail;
    if (!tm_i_selection_explain(sel, error))
        goto fail;
    report_progress(options, 1.0);
    return sel;
fail:
    tm_selection_free(sel);
    return NULL;
}

/* ---- accessors -------------------------------------------------------------- */

const TmProgramme *tm_selection_programme(const TmSelection *sel)
{
    return sel ? sel->prog : NULL;
}

const TmRules *tm_selection_rules(const TmSelection *sel)
{
    return sel ? sel->rules : NULL;
}

const TmQuota *tm_selection_quota(const TmSelection *sel)
{
    return sel ? sel->quota : NULL;
}

const TmScreening *tm_selection_screening(const TmSelection *sel)
{
    return sel ? sel->screening : NULL;
}

TmMarket *tm_selection_market(const TmSelection *sel)
{
    return sel ? sel->market : NULL;
}

const TmMatching *tm_selection_matching(const TmSelection *sel)
{
    return sel ? sel->matching : NULL;
}

const TmVerdict *tm_selection_verdict(const TmSelection *sel)
{
    return sel ? sel->verdict : NULL;
}

static gboolean side_ok(TmSide side)
{
    return side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND;
}

int32_t tm_selection_n_agents(const TmSelection *sel, TmSide side)
{
    return sel && side_ok(side) ? sel->n[side] : 0;
}

int32_t tm_selection_n_selected(const TmSelection *sel)
{
    return sel ? sel->n_selected : 0;
}

int32_t tm_selection_quota_total(const TmSelection *sel)
{
    return sel ? sel->quota_total : -1;
}

TmQuotaUnit tm_selection_quota_unit(const TmSelection *sel)
{
    return sel ? sel->unit : TM_QUOTA_PEOPLE;
}

int64_t tm_selection_quota_used(const TmSelection *sel)
{
    return sel ? sel->quota_used : 0;
}

gboolean tm_selection_merit_cutoff(const TmSelection *sel, int32_t *commissioner, double *merit)
{
    gboolean ok = sel && sel->cutoff >= 0;
    if (commissioner)
        *commissioner = ok ? sel->cutoff : -1;
    if (merit)
        *merit = ok ? tm_programme_commissioner(sel->prog, sel->cutoff)->merit : NAN;
    return ok;
}

int32_t tm_selection_merit_position(const TmSelection *sel, int32_t c)
{
    if (sel == NULL || sel->merit_pos == NULL || c < 0 || c >= sel->n[TM_SIDE_SUPPLY])
        return -1;
    return sel->merit_pos[c];
}

gboolean tm_selection_outranked_at(const TmSelection *sel, int32_t c, int32_t *site, int32_t *by)
{
    gboolean ok = sel && sel->outranked_site && c >= 0 && c < sel->n[TM_SIDE_SUPPLY]
                  && sel->outranked_site[c] >= 0;
    if (site)
        *site = ok ? sel->outranked_site[c] : -1;
    if (by)
        *by = ok ? sel->outranked_by[c] : -1;
    return ok;
}

int tm_selection_pair_review(const TmSelection *sel, int32_t c, int32_t s)
{
    if (sel == NULL || c < 0 || c >= sel->n[TM_SIDE_SUPPLY] || s < 0 || s >= sel->n[TM_SIDE_DEMAND])
        return -1;
    if (tm_i_review_plan_is_pinned(&sel->plan, c, s))
        return TM_DECISION_PIN;
    if (tm_i_review_plan_is_vetoed(&sel->plan, c, s))
        return TM_DECISION_VETO;
    return -1;
}

int64_t tm_selection_sector_used(const TmSelection *sel, int32_t sector)
{
    if (sel == NULL || sector < 0 || sector >= sel->n_sectors)
        return -1;
    int64_t used = 0;
    int32_t nc = sel->n[TM_SIDE_SUPPLY];
    for (int32_t c = 0; c < nc; c++) {
        int32_t n = 0;
        const int32_t *ps = tm_matching_partners(sel->matching, TM_SIDE_SUPPLY, c, &n);
        int32_t here = 0;
        for (int32_t i = 0; i < n; i++)
            here += tm_programme_site(sel->prog, ps[i])->sector == sector;
        used += sel->unit == TM_QUOTA_PEOPLE ? (here > 0) : here;
    }
    return used;
}

gboolean tm_selection_sector_limits(const TmSelection *sel, int32_t sector, int32_t *cap,
                                    int32_t *floor)
{
    gboolean ok = sel && sector >= 0 && sector < sel->n_sectors
                  && sel->sector_group[sector] >= 0;
    if (cap)
        *cap = ok ? sel->sector_cap[sector] : -1;
    if (floor)
        *floor = ok ? sel->sector_floor[sector] : 0;
    return ok;
}

gboolean tm_selection_sector_counts(const TmSelection *sel, int32_t sector,
                                    int32_t *registered, int32_t *eligible, int32_t *served,
                                    int64_t *assignments)
{
    int32_t reg = 0, elig = 0, serv = 0;
    int64_t assigned = 0;
    gboolean ok = sel && sector >= 0 && sector < sel->n_sectors;
    for (int32_t s = 0; ok && s < sel->n[TM_SIDE_DEMAND]; s++) {
        if (tm_programme_site(sel->prog, s)->sector != sector)
            continue;
        reg++;
        elig += tm_screening_is_eligible(sel->screening, TM_SIDE_DEMAND, s) ? 1 : 0;
        int32_t h = tm_matching_n_partners(sel->matching, TM_SIDE_DEMAND, s);
        serv += h > 0;
        assigned += h;
    }
    if (registered)
        *registered = reg;
    if (eligible)
        *eligible = elig;
    if (served)
        *served = serv;
    if (assignments)
        *assignments = assigned;
    return ok;
}

int32_t tm_selection_rank(const TmSelection *sel, TmSide side, int32_t id, int32_t partner)
{
    return sel ? tm_market_rank(sel->market, side, id, partner) : -1;
}

double tm_selection_score(const TmSelection *sel, TmSide side, int32_t c, int32_t s)
{
    if (sel == NULL || !side_ok(side) || c < 0 || c >= sel->n[TM_SIDE_SUPPLY] || s < 0
        || s >= sel->n[TM_SIDE_DEMAND])
        return NAN;
    return tm_scorer_score(sel->scorer, side, c, s);
}

int tm_selection_outcome(const TmSelection *sel, TmSide side, int32_t id, const char **detail)
{
    if (detail)
        *detail = NULL;
    if (sel == NULL || !side_ok(side) || id < 0 || id >= sel->n[side])
        return -1;
    if (detail)
        *detail = sel->detail[side][id];
    return sel->outcome[side][id];
}
