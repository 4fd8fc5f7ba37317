/* techmatch — the assignments of a selection as JSON (report.h): what the
 * document is (format, version, rank base), pairs, each assignment with its
 * 1-based ranks, unmatched agents, the audit, every agent's outcome, the
 * statistics and the configuration the selection ran under.  The schema is
 * docs/schema/assignments.schema.json. */
#include <glib.h>
#include <json-glib/json-glib.h>

#include <techmatch/matching.h>
#include <techmatch/preferences.h>
#include <techmatch/report.h>
#include <techmatch/rules.h>
#include <techmatch/version.h>

#include "io/report_internal.h"

/* A rank as a person reads it: 1 = first choice; null when not in the list. */
static void add_rank(JsonBuilder *b, const char *member, int32_t rank0)
{
    json_builder_set_member_name(b, member);
    if (rank0 >= 0)
        json_builder_add_int_value(b, (gint64)rank0 + 1);
    else
        json_builder_add_null_value(b);
}

/* A side's statistics as tm_i_json_add_side_stats() writes them for the
 * solver, but with the rank figures 1-based as everywhere in this document
 * (null when the side holds no pair). */
static void add_side_stats(JsonBuilder *b, const TmSideStats *st)
{
    const struct { const char *name; int64_t v; } ints[] = {
        {"agents", st->agents}, {"matched_agents", st->matched_agents},
        {"seats", st->seats}, {"filled_seats", st->filled_seats}};
    gboolean any = st->rank_max >= 0;
    json_builder_begin_object(b);
    for (size_t i = 0; i < G_N_ELEMENTS(ints); i++) {
        json_builder_set_member_name(b, ints[i].name);
        json_builder_add_int_value(b, ints[i].v);
    }
    json_builder_set_member_name(b, "rank_mean");
    if (any)
        json_builder_add_double_value(b, st->rank_mean + 1.0);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "rank_median");
    if (any)
        json_builder_add_double_value(b, st->rank_median + 1.0);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "rank_max");
    if (any)
        json_builder_add_int_value(b, (gint64)st->rank_max + 1);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "dropped_entries");
    json_builder_add_int_value(b, st->dropped_entries);
    json_builder_end_object(b);
}

/* Each assignment as an object: names and both sides' 1-based ranks. */
static void add_assignments(JsonBuilder *b, const TmSelection *sel)
{
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t nc = tm_selection_n_agents(sel, TM_SIDE_SUPPLY);
    json_builder_set_member_name(b, "assignments");
    json_builder_begin_array(b);
    for (int32_t c = 0; c < nc; c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "commissioner");
            json_builder_add_string_value(b, tm_i_sel_cname(sel, c));
            json_builder_set_member_name(b, "site");
            json_builder_add_string_value(b, tm_i_sel_sname(sel, s));
            add_rank(b, "commissioner_rank", tm_selection_rank(sel, TM_SIDE_SUPPLY, c, s));
            add_rank(b, "site_rank", tm_selection_rank(sel, TM_SIDE_DEMAND, s, c));
            json_builder_end_object(b);
        }
    }
    json_builder_end_array(b);
}

/* The configuration the selection ran under, enough to run it again: the
 * quota, the candidate settings, both sides' weights and consent defaults,
 * the sector caps and floors, the enabled rules and the rules' whole
 * configuration as GKeyFile text. */
static void add_config(JsonBuilder *b, const TmSelection *sel)
{
    const TmRules *rules = tm_selection_rules(sel);
    json_builder_set_member_name(b, "config");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "quota");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "total");
    json_builder_add_int_value(b, tm_selection_quota_total(sel));
    json_builder_set_member_name(b, "unit");
    json_builder_add_string_value(b, tm_quota_unit_code(tm_selection_quota_unit(sel)));
    json_builder_end_object(b);

    TmCandidateParams cp;
    tm_rules_get_candidates(rules, &cp);
    json_builder_set_member_name(b, "candidates");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "k");
    json_builder_add_int_value(b, cp.k);
    json_builder_set_member_name(b, "site_k");
    json_builder_add_int_value(b, cp.site_k);
    json_builder_set_member_name(b, "exact_limit");
    json_builder_add_int_value(b, cp.exact_limit);
    json_builder_set_member_name(b, "auto_k");
    json_builder_add_int_value(b, cp.auto_k);
    json_builder_set_member_name(b, "budget");
    json_builder_add_int_value(b, cp.budget);
    json_builder_set_member_name(b, "site_budget");
    json_builder_add_int_value(b, cp.site_budget);
    json_builder_set_member_name(b, "seed");
    json_builder_add_int_value(b, (gint64)cp.seed);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "weights");
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_begin_object(b);
        for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++) {
            json_builder_set_member_name(b, tm_score_component_name((TmScoreComponent)k));
            json_builder_add_double_value(b, tm_rules_weight(rules, side, (TmScoreComponent)k));
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);

    json_builder_set_member_name(b, "consent");
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_add_string_value(b, tm_consent_code(tm_rules_consent(rules, side)));
    }
    json_builder_end_object(b);

    json_builder_set_member_name(b, "rules_enabled");
    json_builder_begin_array(b);
    for (int32_t i = 0; i < tm_rules_n_rules(); i++)
        if (tm_rules_is_enabled(rules, tm_rule_code(i)))
            json_builder_add_string_value(b, tm_rule_code(i));
    json_builder_end_array(b);

    /* the caps and floors in force, by sector code (none: not listed) */
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    json_builder_set_member_name(b, "sector_limits");
    json_builder_begin_object(b);
    for (int32_t t = 0; t < tm_taxonomy_n_sectors(tax); t++) {
        int32_t cap, floor;
        if (!tm_selection_sector_limits(sel, t, &cap, &floor))
            continue;
        json_builder_set_member_name(b, tm_taxonomy_code(tax, t));
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "cap");
        if (cap >= 0)
            json_builder_add_int_value(b, cap);
        else
            json_builder_add_null_value(b);
        json_builder_set_member_name(b, "floor");
        json_builder_add_int_value(b, floor);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);

    char *text = tm_rules_to_data(rules, NULL);
    json_builder_set_member_name(b, "rules_ini");
    json_builder_add_string_value(b, text ? text : "");
    g_free(text);
    json_builder_end_object(b);
}

char *tm_selection_assignments_json(const TmSelection *sel, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    TmMatchingStats stats;
    if (!tm_matching_get_stats(tm_selection_matching(sel), &stats, error))
        return NULL;
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t n[2] = {tm_selection_n_agents(sel, TM_SIDE_SUPPLY),
                    tm_selection_n_agents(sel, TM_SIDE_DEMAND)};
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_string_value(b, "techmatch.assignments");
    json_builder_set_member_name(b, "techmatch_version");
    json_builder_add_string_value(b, TM_VERSION_STRING);
    json_builder_set_member_name(b, "rank_base");
    json_builder_add_int_value(b, 1);
    json_builder_set_member_name(b, "ranks");
    json_builder_add_string_value(b, "1 = first choice");
    if (tm_selection_objective_requested(sel)) {
        /* as `techmatch solve --objective`: first, name and value */
        json_builder_set_member_name(b, "objective");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, tm_objective_code(tm_selection_objective(sel)));
        json_builder_set_member_name(b, "value");
        if (tm_selection_objective(sel) == TM_OBJECTIVE_MAX_WEIGHT)
            json_builder_add_double_value(b, tm_selection_objective_value(sel));
        else
            json_builder_add_int_value(b, (gint64)tm_selection_objective_value(sel));
        json_builder_set_member_name(b, "stability");
        json_builder_add_string_value(b, tm_i_stability_code(tm_selection_stability(sel)));
        json_builder_end_object(b);
    }
    json_builder_set_member_name(b, "pairs");
    json_builder_begin_array(b);
    for (int32_t c = 0; c < n[0]; c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            json_builder_begin_array(b);
            json_builder_add_string_value(b, tm_i_sel_cname(sel, c));
            json_builder_add_string_value(b, tm_i_sel_sname(sel, sites[j]));
            json_builder_end_array(b);
        }
    }
    json_builder_end_array(b);
    add_assignments(b, sel);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "unmatched_supply" : "unmatched_demand");
        json_builder_begin_array(b);
        for (int32_t i = 0; i < n[side]; i++)
            if (tm_matching_n_partners(mt, side, i) == 0)
                json_builder_add_string_value(b, side == 0 ? tm_i_sel_cname(sel, i) : tm_i_sel_sname(sel, i));
        json_builder_end_array(b);
    }
    json_builder_set_member_name(b, "stable");
    json_builder_add_boolean_value(b, tm_verdict_is_stable(tm_selection_verdict(sel)));
    json_builder_set_member_name(b, "blocking_pairs");
    json_builder_begin_array(b);
    for (int64_t i = 0; i < tm_verdict_n_blocking_pairs(tm_selection_verdict(sel)); i++) {
        int32_t c, s;
        tm_verdict_blocking_pair(tm_selection_verdict(sel), i, &c, &s);
        json_builder_begin_array(b);
        json_builder_add_string_value(b, tm_i_sel_cname(sel, c));
        json_builder_add_string_value(b, tm_i_sel_sname(sel, s));
        json_builder_end_array(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "outcomes");
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_begin_object(b);
        for (int32_t i = 0; i < n[side]; i++) {
            const char *detail;
            int o = tm_selection_outcome(sel, side, i, &detail);
            json_builder_set_member_name(b, side == 0 ? tm_i_sel_cname(sel, i) : tm_i_sel_sname(sel, i));
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "outcome");
            json_builder_add_string_value(b, tm_outcome_code(o));
            json_builder_set_member_name(b, "detail");
            if (detail)
                json_builder_add_string_value(b, detail);
            else
                json_builder_add_null_value(b);
            json_builder_end_object(b);
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "stats");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pairs");
    json_builder_add_int_value(b, stats.pairs);
    json_builder_set_member_name(b, "commissioners_selected");
    json_builder_add_int_value(b, tm_selection_n_selected(sel));
    json_builder_set_member_name(b, "quota");
    json_builder_add_int_value(b, tm_selection_quota_total(sel));
    json_builder_set_member_name(b, "proposals");
    json_builder_add_int_value(b, stats.proposals);
    json_builder_set_member_name(b, "supply");
    add_side_stats(b, &stats.side[0]);
    json_builder_set_member_name(b, "demand");
    add_side_stats(b, &stats.side[1]);
    json_builder_end_object(b);
    add_config(b, sel);
    json_builder_end_object(b);

    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    char *text = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    char *with_nl = g_strconcat(text, "\n", NULL);
    g_free(text);
    return with_nl;
}

