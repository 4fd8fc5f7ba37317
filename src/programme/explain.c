/* techmatch — the explanation of one agent's outcome (explain.h): its list
 * with every candidate's score in parts both ways, which rule removed whom,
 * and why each candidate it preferred went elsewhere.  Everything is read
 * from the selection's public accessors (selection.h, rules.h,
 * preferences.h, matching.h); the texts of the why-nots are made by
 * explain_why.c. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/explain.h>
#include <techmatch/matching.h>
#include <techmatch/rules.h>

#include "programme/explain_internal.h"
#include "util/alloc.h"

static const char *const STATUS_CODES[] = {"listed",    "excluded",  "ineligible",
                                           "rule",      "not_named", "not_ranked",
                                           "vetoed"};
static const char *const WHY_CODES[] = {"none",  "holds_preferred", "sector_cap",
                                        "quota", "merit_cutoff",    "unexplained",
                                        "pinned"};

const char *tm_explain_status_code(TmExplainStatus status)
{
    return (int)status >= 0 && (size_t)status < G_N_ELEMENTS(STATUS_CODES)
               ? STATUS_CODES[status] : NULL;
}

const char *tm_explain_why_code(TmExplainWhy why)
{
    return (int)why >= 0 && (size_t)why < G_N_ELEMENTS(WHY_CODES) ? WHY_CODES[why] : NULL;
}

/* ---- the name lookup ---------------------------------------------------- */

gboolean tm_selection_find_agent(const TmSelection *sel, const char *name, int side,
                                 TmSide *side_out, int32_t *id_out, GError **error)
{
    if (sel == NULL || name == NULL || side < -1 || side > 1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_selection_find_agent: %s",
                    sel == NULL ? "NULL selection" : name == NULL ? "NULL name" : "bad side");
        return FALSE;
    }
    const TmProgramme *p = tm_selection_programme(sel);
    char *key = g_strstrip(g_strdup(name));
    int32_t c = tm_programme_find_commissioner(p, key);
    int32_t s = tm_programme_find_site(p, key);
    /* agents added to the programme after the selection are not part of it */
    if (c >= tm_selection_n_agents(sel, TM_SIDE_SUPPLY) || side == TM_SIDE_DEMAND)
        c = -1;
    if (s >= tm_selection_n_agents(sel, TM_SIDE_DEMAND) || side == TM_SIDE_SUPPLY)
        s = -1;
    gboolean ok = TRUE;
    if (c >= 0 && s >= 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "\"%s\" is both a commissioner and a site: say which side "
                    "(commissioner or site)", key);
        ok = FALSE;
    } else if (c < 0 && s < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME, "no %s is called \"%s\"",
                    side == TM_SIDE_SUPPLY  ? "commissioner"
                    : side == TM_SIDE_DEMAND ? "site"
                                             : "commissioner or site",
                    key);
        ok = FALSE;
    } else {
        if (side_out)
            *side_out = c >= 0 ? TM_SIDE_SUPPLY : TM_SIDE_DEMAND;
        if (id_out)
            *id_out = c >= 0 ? c : s;
    }
    g_free(key);
    return ok;
}

/* ---- consent ------------------------------------------------------------ */

/* Whether agent @id of @side accepts only the partners it named: its own
 * consent, or its side's [consent] default (tm_programme_consent()). */
static gboolean named_only(const TmSelection *sel, TmSide side, int32_t id)
{
    return tm_programme_consent(tm_selection_programme(sel), tm_selection_rules(sel), side, id)
           == TM_CONSENT_NAMED_ONLY;
}

/* Whether agent @id of @side named @other among its wishes. */
static gboolean names(const TmProgramme *p, TmSide side, int32_t id, int32_t other)
{
    const char *const *wishes;
    int32_t n;
    const char *want;
    if (side == TM_SIDE_SUPPLY) {
        const TmCommissioner *c = tm_programme_commissioner(p, id);
        wishes = c->ranked_sites;
        n = c->n_ranked_sites;
        want = tm_programme_site(p, other)->name;
    } else {
        const TmSite *s = tm_programme_site(p, id);
        wishes = s->ranked_commissioners;
        n = s->n_ranked_commissioners;
        want = tm_programme_commissioner(p, other)->name;
    }
    for (int32_t i = 0; i < n; i++)
        if (strcmp(wishes[i], want) == 0)
            return TRUE;
    return FALSE;
}

/* ---- rows --------------------------------------------------------------- */

/* The fault text of agent rule @code for agent @id of @side, or the rule's
 * summary when the rules give none. */
static char *agent_fault(const TmSelection *sel, TmSide side, int32_t id, const char *code,
                         TmLang lang)
{
    char *f = code ? tm_rules_agent_fault_lang(tm_selection_programme(sel),
                                               tm_selection_rules(sel), side, id, code, lang)
                   : NULL;
    if (f == NULL && code != NULL)
        f = g_strdup(tm_i_rule_summary(tm_rule_find(code), lang));
    return f;
}

/* Marks @r as excluded or ineligible when agent @id of @side is; TRUE if so. */
static gboolean agent_status(const TmSelection *sel, TmExplainRow *r, TmSide side, int32_t id,
                             TmLang lang)
{
    const char *detail = NULL;
    int o = tm_selection_outcome(sel, side, id, &detail);
    if (o == TM_OUTCOME_REVIEW) {
        r->status = TM_EXPLAIN_EXCLUDED;
        r->refuser = (int)side;
        r->fault = tm_i_selection_detail(sel, side, id, lang);
        return TRUE;
    }
    if (o == TM_OUTCOME_INELIGIBLE) {
        const char *code = tm_screening_reason(tm_selection_screening(sel), side, id);
        r->status = TM_EXPLAIN_INELIGIBLE;
        r->refuser = (int)side;
        r->rule = tm_rule_code(tm_rule_find(code ? code : detail));
        r->fault = agent_fault(sel, side, id, r->rule, lang);
        return TRUE;
    }
    return FALSE;
}

/* The status of an unlisted row: the candidate's own exclusion first, then
 * the pair rules, then the agent's exclusion, then consent. */
static void unlisted_status(const TmSelection *sel, const TmExplanation *e, TmExplainRow *r)
{
    const TmProgramme *p = tm_selection_programme(sel);
    TmSide other = TM_SIDE_OTHER(e->side);
    int32_t c = e->side == TM_SIDE_SUPPLY ? e->id : r->cand;
    int32_t s = e->side == TM_SIDE_SUPPLY ? r->cand : e->id;
    if (agent_status(sel, r, other, r->cand, e->lang))
        return;
    if (r->pair_mask != 0) {
        r->status = TM_EXPLAIN_RULE;
        r->rule = tm_rules_pair_reason(p, tm_selection_rules(sel), c, s);
        r->fault = r->rule ? tm_rules_pair_fault_lang(p, tm_selection_rules(sel), c, s, r->rule,
                                                      e->lang)
                           : NULL;
        if (r->fault == NULL && r->rule != NULL)
            r->fault = g_strdup(tm_i_rule_summary(tm_rule_find(r->rule), e->lang));
        return;
    }
    if (agent_status(sel, r, e->side, e->id, e->lang))
        return;
    if (named_only(sel, e->side, e->id) && !names(p, e->side, e->id, r->cand)) {
        r->status = TM_EXPLAIN_NOT_NAMED;
        r->refuser = (int)e->side;
        return;
    }
    if (named_only(sel, other, r->cand) && !names(p, other, r->cand, e->id)) {
        r->status = TM_EXPLAIN_NOT_NAMED;
        r->refuser = (int)other;
        return;
    }
    r->status = tm_selection_pair_review(sel, c, s) == TM_DECISION_VETO ? TM_EXPLAIN_VETOED
                                                                         : TM_EXPLAIN_NOT_RANKED;
}

static gboolean fill_row(const TmSelection *sel, const TmScorer *scorer, TmExplanation *e,
                         TmExplainRow *r, GError **error)
{
    int32_t c = e->side == TM_SIDE_SUPPLY ? e->id : r->cand;
    int32_t s = e->side == TM_SIDE_SUPPLY ? r->cand : e->id;
    TmScoreDetail d;
    if (!tm_scorer_explain(scorer, c, s, &d, error))
        return FALSE;
    memcpy(r->x, d.component, sizeof r->x);
    r->score[0] = d.score[0];
    r->score[1] = d.score[1];
    r->km = d.distance_km;
    r->pair_mask = d.pair_failures;
    r->refuser = -1;
    r->own_score = d.score[e->side];
    if (r->rank >= 0) {
        r->status = TM_EXPLAIN_LISTED;
        r->their_rank = tm_market_rank(tm_selection_market(sel), TM_SIDE_OTHER(e->side),
                                       r->cand, e->id);
    } else {
        r->their_rank = -1;
        unlisted_status(sel, e, r);
    }
    return TRUE;
}

/* unlisted rows: the agent's own score, best first, ties by id */
static int cmp_unlisted(const void *a, const void *b)
{
    const TmExplainRow *x = a, *y = b;
    if (x->own_score != y->own_score)
        return x->own_score > y->own_score ? -1 : 1;
    return (x->cand > y->cand) - (x->cand < y->cand);
}

/* ---- the explanation ---------------------------------------------------- */

static void row_clear(TmExplainRow *r)
{
    g_free(r->fault);
    g_free(r->why_text);
    g_free(r->holders);
    g_free(r->holder_ranks);
}

void tm_explanation_free(TmExplanation *e)
{
    if (e == NULL)
        return;
    for (int32_t i = 0; e->rows && i < e->n_rows; i++)
        row_clear(&e->rows[i]);
    g_free(e->rows);
    g_free(e->partners);
    g_free(e->detail);
    g_free(e->text);
    tm_programme_free(e->prog);
    g_free(e);
}

/* The rows: the agent's list in order, then the rest by its score. */
static gboolean build_rows(const TmSelection *sel, TmExplanation *e, GError **error)
{
    TmMarket *m = tm_selection_market(sel);
    TmSide other = TM_SIDE_OTHER(e->side);
    int32_t n = tm_selection_n_agents(sel, other);
    e->rows = tm_i_try_alloc(n, sizeof(TmExplainRow), TRUE, "explanation rows", error);
    int32_t *seen = e->rows ? tm_i_try_alloc(n, sizeof(int32_t), TRUE, "explanation rows",
                                              error)
                            : NULL;
    if (seen == NULL)
        return FALSE;
    TmScorer *scorer = tm_scorer_new(tm_selection_programme(sel), tm_selection_rules(sel),
                                     error);
    gboolean ok = scorer != NULL;
    int32_t len = 0, k = 0;
    const int32_t *list = tm_market_prefs(m, e->side, e->id, &len);
    for (int32_t i = 0; ok && i < len; i++) {
        TmExplainRow *r = &e->rows[k++];
        r->cand = list[i];
        r->rank = tm_market_rank(m, e->side, e->id, list[i]);
        seen[list[i]] = 1;
        ok = fill_row(sel, scorer, e, r, error);
    }
    int32_t n_listed = k;
    for (int32_t j = 0; ok && j < n; j++) {
        if (seen[j])
            continue;
        TmExplainRow *r = &e->rows[k++];
        r->cand = j;
        r->rank = -1;
        ok = fill_row(sel, scorer, e, r, error);
    }
    e->n_rows = k;
    if (ok)
        qsort(e->rows + n_listed, (size_t)(k - n_listed), sizeof(TmExplainRow), cmp_unlisted);
    for (int32_t i = 0; ok && i < k; i++)
        for (int32_t j = 0; j < e->n_partners; j++)
            e->rows[i].partner = e->rows[i].partner || e->partners[j] == e->rows[i].cand;
    tm_scorer_free(scorer);
    g_free(seen);
    return ok;
}

TmExplanation *tm_selection_explain_agent(const TmSelection *sel, TmSide side, int32_t id,
                                          GError **error)
{
    return tm_selection_explain_agent_lang(sel, side, id, TM_LANG_EN, error);
}

TmLang tm_explanation_language(const TmExplanation *e)
{
    return e ? e->lang : TM_LANG_EN;
}

TmExplanation *tm_selection_explain_agent_lang(const TmSelection *sel, TmSide side, int32_t id,
                                               TmLang lang, GError **error)
{
    if (sel == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "tm_selection_explain_agent: %s",
                    sel == NULL ? "NULL selection" : "bad side");
        return NULL;
    }
    if (id < 0 || id >= tm_selection_n_agents(sel, side)) {
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "tm_selection_explain_agent: %s %" G_GINT32_FORMAT " out of range [0, %"
                    G_GINT32_FORMAT ")", side == TM_SIDE_SUPPLY ? "commissioner" : "site", id,
                    tm_selection_n_agents(sel, side));
        return NULL;
    }
    TmExplanation *e = g_new0(TmExplanation, 1);
    e->prog = tm_programme_ref((TmProgramme *)tm_selection_programme(sel));
    e->side = side;
    e->id = id;
    e->lang = tm_i_lang_pick(lang, tm_programme_language(e->prog));
    e->outcome = tm_selection_outcome(sel, side, id, NULL);
    e->detail = tm_i_selection_detail(sel, side, id, e->lang);
    for (int w = 0; w < 2; w++) {
        e->wsum[w] = 0.0;
        for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
            e->weight[w][k] = tm_rules_weight(tm_selection_rules(sel), (TmSide)w,
                                              (TmScoreComponent)k);
            e->wsum[w] += e->weight[w][k];
        }
    }
    e->merit_pos = side == TM_SIDE_SUPPLY ? tm_selection_merit_position(sel, id) : -1;
    e->has_cutoff = tm_selection_merit_cutoff(sel, &e->cutoff, &e->cutoff_merit);
    e->cutoff_pos = e->has_cutoff ? tm_selection_merit_position(sel, e->cutoff) : -1;
    e->quota_total = tm_selection_quota_total(sel);
    e->unit = tm_selection_quota_unit(sel);
    /* what tm_selection_quota_used() counts, from the matching itself */
    e->quota_used = e->unit == TM_QUOTA_ASSIGNMENTS
                        ? tm_matching_n_pairs(tm_selection_matching(sel))
                        : tm_selection_n_selected(sel);

    int32_t np = 0;
    const int32_t *ps = tm_matching_partners(tm_selection_matching(sel), side, id, &np);
    e->partners = tm_i_try_alloc(np, sizeof(int32_t), FALSE, "explanation partners", error);
    if (e->partners != NULL && np > 0)
        memcpy(e->partners, ps, (size_t)np * sizeof(int32_t));
    e->n_partners = np;
    if (e->partners == NULL || !build_rows(sel, e, error)
        || !tm_i_explain_why(sel, e, error) || !tm_i_explain_outcome_text(sel, e, error)) {
        tm_explanation_free(e);
        return NULL;
    }
    return e;
}

/* ---- accessors ---------------------------------------------------------- */

static const TmExplainRow *row(const TmExplanation *e, int32_t i)
{
    return e && i >= 0 && i < e->n_rows ? &e->rows[i] : NULL;
}

const TmProgramme *tm_explanation_programme(const TmExplanation *e)
{
    return e ? e->prog : NULL;
}

int tm_explanation_side(const TmExplanation *e)
{
    return e ? (int)e->side : -1;
}

int32_t tm_explanation_agent(const TmExplanation *e)
{
    return e ? e->id : -1;
}

const char *tm_explanation_name(const TmExplanation *e)
{
    if (e == NULL)
        return NULL;
    return e->side == TM_SIDE_SUPPLY ? tm_programme_commissioner(e->prog, e->id)->name
                                     : tm_programme_site(e->prog, e->id)->name;
}

int tm_explanation_outcome(const TmExplanation *e, const char **detail)
{
    if (detail)
        *detail = e ? e->detail : NULL;
    return e ? e->outcome : -1;
}

const char *tm_explanation_outcome_text(const TmExplanation *e)
{
    return e ? e->text : NULL;
}

int32_t tm_explanation_n_partners(const TmExplanation *e)
{
    return e ? e->n_partners : -1;
}

int32_t tm_explanation_partner(const TmExplanation *e, int32_t i)
{
    return e && i >= 0 && i < e->n_partners ? e->partners[i] : -1;
}

int32_t tm_explanation_merit_position(const TmExplanation *e)
{
    return e ? e->merit_pos : -1;
}

gboolean tm_explanation_merit_cutoff(const TmExplanation *e, int32_t *commissioner,
                                     double *merit, int32_t *position)
{
    gboolean ok = e && e->has_cutoff;
    if (commissioner)
        *commissioner = ok ? e->cutoff : -1;
    if (merit)
        *merit = ok ? e->cutoff_merit : NAN;
    if (position)
        *position = ok ? e->cutoff_pos : -1;
    return ok;
}

int32_t tm_explanation_quota(const TmExplanation *e, TmQuotaUnit *unit, int64_t *used)
{
    if (unit)
        *unit = e ? e->unit : TM_QUOTA_PEOPLE;
    if (used)
        *used = e ? e->quota_used : 0;
    return e ? e->quota_total : -1;
}

int32_t tm_explanation_n_rows(const TmExplanation *e)
{
    return e ? e->n_rows : -1;
}

int32_t tm_explanation_row_candidate(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->cand : -1;
}

int tm_explanation_row_status(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->status : -1;
}

int32_t tm_explanation_row_rank(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->rank : -1;
}

int32_t tm_explanation_row_their_rank(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->their_rank : -1;
}

gboolean tm_explanation_row_is_partner(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->partner : FALSE;
}

static gboolean component_ok(TmScoreComponent k)
{
    return (int)k >= 0 && (int)k < TM_N_SCORE_COMPONENTS;
}

double tm_explanation_row_component(const TmExplanation *e, int32_t i, TmScoreComponent k)
{
    const TmExplainRow *r = row(e, i);
    return r && component_ok(k) ? r->x[k] : NAN;
}

double tm_explanation_row_score(const TmExplanation *e, int32_t i, TmSide side)
{
    const TmExplainRow *r = row(e, i);
    return r && (side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND) ? r->score[side] : NAN;
}

double tm_explanation_row_contribution(const TmExplanation *e, int32_t i, TmSide side,
                                       TmScoreComponent k)
{
    const TmExplainRow *r = row(e, i);
    if (r == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || !component_ok(k))
        return NAN;
    return e->wsum[side] > 0.0 ? e->weight[side][k] * r->x[k] / e->wsum[side] : 0.0;
}

double tm_explanation_row_distance_km(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->km : NAN;
}

const char *tm_explanation_row_rule(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->rule : NULL;
}

uint32_t tm_explanation_row_pair_failures(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->pair_mask : 0;
}

const char *tm_explanation_row_fault(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r && (r->status == TM_EXPLAIN_RULE || r->status == TM_EXPLAIN_INELIGIBLE
                 || r->status == TM_EXPLAIN_EXCLUDED)
               ? r->fault : NULL;
}

int tm_explanation_row_refuser(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->refuser : -1;
}

int tm_explanation_row_why(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->why : -1;
}

const char *tm_explanation_row_why_text(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->why_text : NULL;
}

int32_t tm_explanation_row_n_holders(const TmExplanation *e, int32_t i)
{
    const TmExplainRow *r = row(e, i);
    return r ? r->n_holders : 0;
}

int32_t tm_explanation_row_holder(const TmExplanation *e, int32_t i, int32_t j, int32_t *rank)
{
    const TmExplainRow *r = row(e, i);
    gboolean ok = r && j >= 0 && j < r->n_holders;
    if (rank)
        *rank = ok ? r->holder_ranks[j] : -1;
    return ok ? r->holders[j] : -1;
}
