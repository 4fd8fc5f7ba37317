/* techmatch — the explanation of one agent as plain text and as JSON
 * (explain.h).  Formatting only: every value comes from the explanation's
 * accessors and the programme's (names, sectors). */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include <techmatch/explain.h>
#include <techmatch/rules.h>

#include "util/messages.h"

/* A message in the explanation's language (tm_explanation_language()). */
#define MSG(id) tm_i_msg(tm_explanation_language(e), TM_M_##id)

static const char *name_of(const TmProgramme *p, int side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                  : tm_programme_site(p, id)->name;
}

static const char *side_word(int side)
{
    return side == TM_SIDE_SUPPLY ? "commissioner" : "site";
}

static const char *unit_words(const TmExplanation *e, TmQuotaUnit unit)
{
    return unit == TM_QUOTA_ASSIGNMENTS ? MSG(QUOTA_UNIT_ASSIGNMENTS) : MSG(QUOTA_UNIT_PEOPLE);
}

/* A score component: its code in English, its Chinese name in Chinese. */
static const char *component_word(const TmExplanation *e, int k)
{
    return tm_explanation_language(e) == TM_LANG_ZH
               ? tm_i_msg(TM_LANG_ZH, (TmMsgId)(TM_M_EXW_COMP_SECTOR + k))
               : tm_score_component_name((TmScoreComponent)k);
}

static gboolean check(const TmExplanation *e, const char *fn, GError **error)
{
    if (e == NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: NULL explanation", fn);
    return e != NULL;
}

/* ---- text --------------------------------------------------------------- */

static void text_header(const TmExplanation *e, GString *t)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int side = tm_explanation_side(e);
    int32_t id = tm_explanation_agent(e);
    const char *detail = NULL;
    int o = tm_explanation_outcome(e, &detail);
    if (side == TM_SIDE_SUPPLY) {
        const TmCommissioner *c = tm_programme_commissioner(p, id);
        g_string_append_printf(t, MSG(EXW_COMMISSIONER), c->name,
                               c->team_size > 1 ? MSG(EXW_A_TEAM) : "", c->merit);
        g_string_append_c(t, '\n');
    } else {
        const TmSite *s = tm_programme_site(p, id);
        const TmTaxonomy *tx = tm_programme_taxonomy(p);
        g_string_append_printf(t, s->capacity == 1 ? MSG(EXW_SITE_ONE) : MSG(EXW_SITE_MANY),
                               s->name, tm_taxonomy_code(tx, s->sector),
                               tm_taxonomy_name_zh(tx, s->sector), s->capacity);
        g_string_append_c(t, '\n');
    }
    const char *code = tm_outcome_code((TmOutcome)o);
    const char *text = tm_explanation_outcome_text(e);
    g_string_append_printf(t, MSG(EXW_OUTCOME),
                           tm_explanation_language(e) == TM_LANG_ZH && code
                               ? tm_outcome_label((TmOutcome)o, TM_LANG_ZH)
                               : code ? code : "?");
    g_string_append_c(t, '\n');
    g_string_append_printf(t, MSG(EXW_SENTENCE), text);
    g_string_append_c(t, '\n');
    if (detail != NULL && strstr(text, detail) == NULL) {
        g_string_append_printf(t, MSG(EXW_DETAIL), detail);
        g_string_append_c(t, '\n');
    }
    TmQuotaUnit unit;
    int64_t used;
    int32_t total = tm_explanation_quota(e, &unit, &used);
    int32_t cut, cut_pos;
    double cut_merit;
    gboolean has_cut = tm_explanation_merit_cutoff(e, &cut, &cut_merit, &cut_pos);
    if (total >= 0)
        g_string_append_printf(t, MSG(EXW_QUOTA), total, unit_words(e, unit), used);
    else
        g_string_append(t, MSG(EXW_QUOTA_NONE));
    if (has_cut)
        g_string_append_printf(t, MSG(EXW_CUTOFF), name_of(p, TM_SIDE_SUPPLY, cut), cut_merit,
                               cut_pos + 1);
    int32_t pos = tm_explanation_merit_position(e);
    if (side == TM_SIDE_SUPPLY && pos >= 0)
        g_string_append_printf(t, MSG(EXW_MERIT_POS), tm_explanation_name(e), pos + 1);
    g_string_append(t, "\n");
}

/* "sector 0.375 + tags 0.125 + ..." over the components @side weighs. */
static void text_parts(const TmExplanation *e, int32_t i, TmSide side, GString *t)
{
    g_string_append(t, "      ");
    g_string_append_printf(t, side == TM_SIDE_SUPPLY ? MSG(EXW_SCORE_COMMISSIONER)
                                                     : MSG(EXW_SCORE_SITE),
                           tm_explanation_row_score(e, i, side));
    const char *sep = " = ";
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
        double part = tm_explanation_row_contribution(e, i, side, (TmScoreComponent)k);
        if (part == 0.0)
            continue;
        g_string_append_printf(t, "%s%s %.3f", sep, component_word(e, k), part);
        sep = " + ";
    }
    g_string_append(t, "\n");
}

static void text_listed(const TmExplanation *e, int32_t i, GString *t)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int other = 1 - tm_explanation_side(e);
    int32_t cand = tm_explanation_row_candidate(e, i);
    g_string_append_printf(t, "  #%-3" G_GINT32_FORMAT " %s — ", tm_explanation_row_rank(e, i) + 1,
                           name_of(p, other, cand));
    g_string_append_printf(t, MSG(EXW_RANKS), tm_explanation_name(e),
                           tm_explanation_row_their_rank(e, i) + 1);
    g_string_append_printf(t, "%s\n", tm_explanation_row_is_partner(e, i) ? MSG(EXW_PARTNER) : "");
    g_string_append(t, "      ");
    g_string_append(t, MSG(EXW_COMPONENTS));
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
        g_string_append_printf(t, "%s %s %.2f", k ? "," : "", component_word(e, k),
                               tm_explanation_row_component(e, i, (TmScoreComponent)k));
        double km = tm_explanation_row_distance_km(e, i);
        if (k == TM_SCORE_DISTANCE && km >= 0)
            g_string_append_printf(t, MSG(EXW_KM), km);
    }
    g_string_append(t, "\n");
    text_parts(e, i, TM_SIDE_SUPPLY, t);
    text_parts(e, i, TM_SIDE_DEMAND, t);
    const char *why = tm_explanation_row_why_text(e, i);
    if (why != NULL) {
        g_string_append(t, "      ");
        g_string_append_printf(t, MSG(EXW_WHY_NOT), why);
        g_string_append_c(t, '\n');
    }
}

static void text_unlisted(const TmExplanation *e, int32_t i, GString *t)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int side = tm_explanation_side(e);
    int32_t cand = tm_explanation_row_candidate(e, i);
    int refuser = tm_explanation_row_refuser(e, i);
    const char *rule = tm_explanation_row_rule(e, i);
    const char *fault = tm_explanation_row_fault(e, i);
    g_string_append_printf(t, "  %s", name_of(p, 1 - side, cand));
    g_string_append_printf(t, MSG(EXW_SCORE), tm_explanation_row_score(e, i, (TmSide)side));
    switch (tm_explanation_row_status(e, i)) {
    case TM_EXPLAIN_EXCLUDED: /* the fault is the selection's detail, naming the review */
        g_string_append_printf(t, MSG(EXW_EXCLUDED),
                               refuser == side ? tm_explanation_name(e) : name_of(p, 1 - side, cand),
                               fault ? fault : MSG(DETAIL_REVIEW));
        break;
    case TM_EXPLAIN_INELIGIBLE:
        g_string_append_printf(t, MSG(EXW_INELIGIBLE),
                               refuser == side ? tm_explanation_name(e) : name_of(p, 1 - side, cand),
                               rule ? rule : "?");
        if (fault)
            g_string_append_printf(t, MSG(EXW_FAULT_DASH), fault);
        break;
    case TM_EXPLAIN_RULE:
        g_string_append_printf(t, MSG(EXW_REMOVED), rule ? rule : "?");
        if (fault)
            g_string_append_printf(t, MSG(EXW_FAULT_COLON), fault);
        break;
    case TM_EXPLAIN_NOT_NAMED:
        g_string_append_printf(t, MSG(EXW_NOT_NAMED),
                               refuser == side ? tm_explanation_name(e)
                                               : name_of(p, 1 - side, cand));
        break;
    case TM_EXPLAIN_VETOED:
        g_string_append(t, MSG(EXW_VETOED));
        break;
    default:
        g_string_append(t, MSG(EXW_NOT_RANKED));
        break;
    }
    uint32_t mask = tm_explanation_row_pair_failures(e, i);
    if (mask != 0 && tm_explanation_row_status(e, i) != TM_EXPLAIN_RULE) {
        char *codes = tm_rules_mask_codes(mask);
        g_string_append_printf(t, MSG(EXW_ALSO_FAILS), codes);
        g_free(codes);
    } else if (mask != 0 && (mask & (mask - 1)) != 0) {
        char *codes = tm_rules_mask_codes(mask);
        g_string_append_printf(t, MSG(EXW_FAILS), codes);
        g_free(codes);
    }
    g_string_append(t, "\n");
}

char *tm_explanation_to_text(const TmExplanation *e, int32_t max_unlisted, GError **error)
{
    if (!check(e, "tm_explanation_to_text", error))
        return NULL;
    GString *t = g_string_new(NULL);
    text_header(e, t);
    int32_t n = tm_explanation_n_rows(e), n_listed = 0;
    while (n_listed < n && tm_explanation_row_status(e, n_listed) == TM_EXPLAIN_LISTED)
        n_listed++;
    int other = 1 - tm_explanation_side(e);
    g_string_append_c(t, '\n');
    g_string_append_printf(t, other == TM_SIDE_SUPPLY
                                  ? (n_listed == 1 ? MSG(EXW_LIST_COMMISSIONER)
                                                   : MSG(EXW_LIST_COMMISSIONERS))
                                  : (n_listed == 1 ? MSG(EXW_LIST_SITE) : MSG(EXW_LIST_SITES)),
                           n_listed);
    g_string_append_c(t, '\n');
    if (n_listed == 0) {
        g_string_append(t, MSG(EXW_EMPTY));
        g_string_append_c(t, '\n');
    }
    for (int32_t i = 0; i < n_listed; i++)
        text_listed(e, i, t);
    if (n > n_listed) {
        g_string_append_c(t, '\n');
        g_string_append_printf(t, MSG(EXW_UNLISTED), n - n_listed, tm_explanation_name(e));
        g_string_append_c(t, '\n');
        int32_t shown = 0;
        for (int32_t i = n_listed; i < n; i++) {
            if (max_unlisted >= 0 && shown >= max_unlisted)
                break;
            text_unlisted(e, i, t);
            shown++;
        }
        if (n - n_listed > shown) {
            g_string_append_printf(t, MSG(EXW_MORE), n - n_listed - shown);
            g_string_append_c(t, '\n');
        }
    }
    return g_string_free(t, FALSE);
}

/* ---- JSON --------------------------------------------------------------- */

static void add_string_or_null(JsonBuilder *b, const char *key, const char *value)
{
    json_builder_set_member_name(b, key);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

static void add_rank(JsonBuilder *b, const char *key, int32_t rank)
{
    json_builder_set_member_name(b, key);
    if (rank >= 0)
        json_builder_add_int_value(b, rank + 1);
    else
        json_builder_add_null_value(b);
}

static void json_agent(const TmExplanation *e, JsonBuilder *b)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int side = tm_explanation_side(e);
    const char *detail = NULL;
    int o = tm_explanation_outcome(e, &detail);
    json_builder_set_member_name(b, "agent");
    json_builder_begin_object(b);
    add_string_or_null(b, "side", side_word(side));
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, tm_explanation_agent(e));
    add_string_or_null(b, "name", tm_explanation_name(e));
    add_string_or_null(b, "outcome", tm_outcome_code((TmOutcome)o));
    add_string_or_null(b, "detail", detail);
    add_string_or_null(b, "text", tm_explanation_outcome_text(e));
    json_builder_set_member_name(b, "partners");
    json_builder_begin_array(b);
    for (int32_t j = 0; j < tm_explanation_n_partners(e); j++) {
        int32_t q = tm_explanation_partner(e, j);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_int_value(b, q);
        add_string_or_null(b, "name", name_of(p, 1 - side, q));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    if (side == TM_SIDE_SUPPLY) {
        json_builder_set_member_name(b, "merit");
        json_builder_add_double_value(b, tm_programme_commissioner(p, tm_explanation_agent(e))->merit);
        add_rank(b, "merit_position", tm_explanation_merit_position(e));
    }
    json_builder_end_object(b);

    TmQuotaUnit unit;
    int64_t used;
    int32_t total = tm_explanation_quota(e, &unit, &used);
    json_builder_set_member_name(b, "quota");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "total");
    if (total >= 0)
        json_builder_add_int_value(b, total);
    else
        json_builder_add_null_value(b);
    add_string_or_null(b, "counts", tm_quota_unit_code(unit));
    json_builder_set_member_name(b, "used");
    json_builder_add_int_value(b, used);
    json_builder_end_object(b);

    int32_t cut, cut_pos;
    double cut_merit;
    json_builder_set_member_name(b, "merit_cutoff");
    if (tm_explanation_merit_cutoff(e, &cut, &cut_merit, &cut_pos)) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_int_value(b, cut);
        add_string_or_null(b, "name", name_of(p, TM_SIDE_SUPPLY, cut));
        json_builder_set_member_name(b, "merit");
        json_builder_add_double_value(b, cut_merit);
        add_rank(b, "position", cut_pos);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
}

static void json_components(const TmExplanation *e, int32_t i, JsonBuilder *b, int side)
{
    json_builder_begin_object(b);
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
        json_builder_set_member_name(b, tm_score_component_name((TmScoreComponent)k));
        json_builder_add_double_value(
            b, side < 0 ? tm_explanation_row_component(e, i, (TmScoreComponent)k)
                        : tm_explanation_row_contribution(e, i, (TmSide)side,
                                                          (TmScoreComponent)k));
    }
    json_builder_end_object(b);
}

static void json_row(const TmExplanation *e, int32_t i, JsonBuilder *b)
{
    const TmProgramme *p = tm_explanation_programme(e);
    int side = tm_explanation_side(e);
    int32_t cand = tm_explanation_row_candidate(e, i);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, cand);
    add_string_or_null(b, "name", name_of(p, 1 - side, cand));
    add_string_or_null(b, "status",
                       tm_explain_status_code((TmExplainStatus)tm_explanation_row_status(e, i)));
    add_rank(b, "rank", tm_explanation_row_rank(e, i));
    add_rank(b, "their_rank", tm_explanation_row_their_rank(e, i));
    json_builder_set_member_name(b, "partner");
    json_builder_add_boolean_value(b, tm_explanation_row_is_partner(e, i));
    json_builder_set_member_name(b, "scores");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "commissioner");
    json_builder_add_double_value(b, tm_explanation_row_score(e, i, TM_SIDE_SUPPLY));
    json_builder_set_member_name(b, "site");
    json_builder_add_double_value(b, tm_explanation_row_score(e, i, TM_SIDE_DEMAND));
    json_builder_end_object(b);
    json_builder_set_member_name(b, "components");
    json_components(e, i, b, -1);
    json_builder_set_member_name(b, "contributions");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "commissioner");
    json_components(e, i, b, TM_SIDE_SUPPLY);
    json_builder_set_member_name(b, "site");
    json_components(e, i, b, TM_SIDE_DEMAND);
    json_builder_end_object(b);
    double km = tm_explanation_row_distance_km(e, i);
    json_builder_set_member_name(b, "distance_km");
    if (km >= 0)
        json_builder_add_double_value(b, km);
    else
        json_builder_add_null_value(b);
    add_string_or_null(b, "rule", tm_explanation_row_rule(e, i));
    json_builder_set_member_name(b, "pair_rules");
    json_builder_begin_array(b);
    uint32_t mask = tm_explanation_row_pair_failures(e, i);
    for (int32_t r = 0; r < tm_rules_n_rules(); r++)
        if (mask & (1u << r))
            json_builder_add_string_value(b, tm_rule_code(r));
    json_builder_end_array(b);
    add_string_or_null(b, "fault", tm_explanation_row_fault(e, i));
    int refuser = tm_explanation_row_refuser(e, i);
    add_string_or_null(b, "refused_by", refuser >= 0 ? side_word(refuser) : NULL);
    int why = tm_explanation_row_why(e, i);
    add_string_or_null(b, "why", why > 0 ? tm_explain_why_code((TmExplainWhy)why) : NULL);
    add_string_or_null(b, "why_text", tm_explanation_row_why_text(e, i));
    json_builder_set_member_name(b, "holders");
    json_builder_begin_array(b);
    for (int32_t j = 0; j < tm_explanation_row_n_holders(e, i); j++) {
        int32_t rank;
        int32_t h = tm_explanation_row_holder(e, i, j, &rank);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_int_value(b, h);
        add_string_or_null(b, "name", name_of(p, side, h));
        add_rank(b, "rank", rank);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

char *tm_explanation_to_json(const TmExplanation *e, GError **error)
{
    if (!check(e, "tm_explanation_to_json", error))
        return NULL;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_agent(e, b);
    json_builder_set_member_name(b, "candidates");
    json_builder_begin_array(b);
    for (int32_t i = 0; i < tm_explanation_n_rows(e); i++)
        json_row(e, i, b);
    json_builder_end_array(b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    json_generator_set_root(gen, root);
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    json_node_unref(root);
    g_object_unref(b);
    char *out = g_strconcat(text, "\n", NULL);
    g_free(text);
    return out;
}
