/* techmatch — the weights, distance scale and candidate settings stored in a
 * TmRules (declared in preferences.h).  The rules themselves are in
 * rules.c, their configuration text in rules_config.c. */
#include "programme/rules_internal.h"

#include <string.h>

static gboolean null_arg(const void *p, const char *what, GError **error)
{
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s must not be NULL", what);
        return TRUE;
    }
    return FALSE;
}

static const char *const COMPONENT_NAMES[TM_N_SCORE_COMPONENTS] = {
    "sector", "tags", "title", "years", "distance", "merit", "term", "tasks",
};

const char *tm_score_component_name(TmScoreComponent component)
{
    return (int)component >= 0 && (int)component < TM_N_SCORE_COMPONENTS
               ? COMPONENT_NAMES[component]
               : NULL;
}

double tm_rules_weight(const TmRules *rules, TmSide side, TmScoreComponent component)
{
    if (rules == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND)
        || (int)component < 0 || (int)component >= TM_N_SCORE_COMPONENTS)
        return -1;
    return rules->weight[side][component];
}

gboolean tm_rules_set_weight(TmRules *rules, TmSide side, TmScoreComponent component,
                             double weight, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if ((side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || (int)component < 0
        || (int)component >= TM_N_SCORE_COMPONENTS || !isfinite(weight) || weight < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "bad weight (side %d, component %d, value %g): need a finite value >= 0",
                    (int)side, (int)component, weight);
        return FALSE;
    }
    double w[TM_N_SCORE_COMPONENTS];
    memcpy(w, rules->weight[side], sizeof w);
    w[component] = weight;
    if (!tm_i_weights_sum_finite(w)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "bad weight (side %d, component %d, value %g): the weights of the side "
                    "would add up to more than the largest finite number, so no score "
                    "could be computed",
                    (int)side, (int)component, weight);
        return FALSE;
    }
    rules->weight[side][component] = weight;
    return TRUE;
}

double tm_rules_distance_scale(const TmRules *rules)
{
    return rules ? rules->distance_scale : -1;
}

gboolean tm_rules_set_distance_scale(TmRules *rules, double km, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if (!isfinite(km) || km <= 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "distance scale %g invalid (need finite, > 0)", km);
        return FALSE;
    }
    rules->distance_scale = km;
    return TRUE;
}

void tm_rules_get_candidates(const TmRules *rules, TmCandidateParams *out)
{
    if (out == NULL)
        return;
    if (rules == NULL) {
        TmRules d;
        tm_i_rules_defaults(&d);
        *out = d.cand;
        return;
    }
    *out = rules->cand;
}

static gboolean check_candidates(const TmCandidateParams *p, GError **error)
{
    const char *bad = NULL;
    if (p->k < -1)
        bad = "k (need -1, 0 or > 0)";
    else if (p->site_k < -1)
        bad = "site_k (need -1, 0 or > 0)";
    else if (p->exact_limit < 0)
        bad = "exact_limit (need >= 0)";
    else if (p->auto_k <= 0)
        bad = "auto_k (need > 0)";
    else if (p->budget < 0)
        bad = "budget (need >= 0)";
    else if (p->site_budget < 0)
        bad = "site_budget (need >= 0)";
    if (bad) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "candidate setting %s out of range", bad);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_rules_set_candidates(TmRules *rules, const TmCandidateParams *params,
                                 GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(params, "params", error))
        return FALSE;
    if (!check_candidates(params, error))
        return FALSE;
    rules->cand = *params;
    return TRUE;
}

