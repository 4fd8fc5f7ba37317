/* techmatch — the solution and verdict documents of an instance (DESIGN §6),
 * with agents and groups by name. */
#include "io/instance_private.h"
#include "io/json_util.h"

#include <techmatch/matching.h>

static char *
generate(JsonBuilder *builder)
{
    JsonNode *root = json_builder_get_root(builder);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    json_generator_set_root(gen, root);
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    json_node_unref(root);
    return text;
}

/* Adds [s, d] as two names. */
static void
add_pair(JsonBuilder *b, const TmInstance *inst, int32_t s, int32_t d)
{
    json_builder_begin_array(b);
    json_builder_add_string_value(b, inst->names[TM_SIDE_SUPPLY][s]);
    json_builder_add_string_value(b, inst->names[TM_SIDE_DEMAND][d]);
    json_builder_end_array(b);
}

static gboolean
valid_id(const TmInstance *inst, TmSide side, int32_t id)
{
    return id >= 0 && id < inst->n[side];
}

static void
add_string_member(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    json_builder_add_string_value(b, value);
}

static void
add_int_member(JsonBuilder *b, const char *member, gint64 value)
{
    json_builder_set_member_name(b, member);
    json_builder_add_int_value(b, value);
}

/* Adds "blocking_pairs" to the open object. */
static gboolean
add_blocking_pairs(JsonBuilder *b, const TmInstance *inst, const TmVerdict *verdict,
                   GError **error)
{
    json_builder_set_member_name(b, "blocking_pairs");
    json_builder_begin_array(b);
    int64_t nb = tm_verdict_n_blocking_pairs(verdict);
    for (int64_t i = 0; i < nb; i++) {
        int32_t s = -1, d = -1;
        if (!tm_verdict_blocking_pair(verdict, i, &s, &d) || !valid_id(inst, TM_SIDE_SUPPLY, s)
            || !valid_id(inst, TM_SIDE_DEMAND, d)) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "verdict does not belong to this instance (blocking pair %" G_GINT64_FORMAT
                        " = (%d, %d))",
                        i, s, d);
            return FALSE;
        }
        add_pair(b, inst, s, d);
    }
    json_builder_end_array(b);
    return TRUE;
}

/* Adds violation @v as an object with names; FALSE when it does not belong
 * to the instance (an id out of range, an unknown kind). */
static gboolean
add_violation(JsonBuilder *b, const TmInstance *inst, const TmViolation *v)
{
    if (v != NULL && v->kind == TM_VIOLATION_OVER_CAPACITY
        && (v->side == TM_SIDE_SUPPLY || v->side == TM_SIDE_DEMAND)
        && valid_id(inst, v->side, v->agent)) {
        json_builder_begin_object(b);
        add_string_member(b, "kind", "over_capacity");
        add_string_member(b, "side", tm_i_side_names[v->side]);
        add_string_member(b, "agent", inst->names[v->side][v->agent]);
        add_int_member(b, "partners", v->count);
        add_int_member(b, "capacity", v->capacity);
        json_builder_end_object(b);
    } else if (v != NULL && v->kind == TM_VIOLATION_UNACCEPTABLE
               && valid_id(inst, TM_SIDE_SUPPLY, v->supply)
               && valid_id(inst, TM_SIDE_DEMAND, v->demand)) {
        json_builder_begin_object(b);
        add_string_member(b, "kind", "unacceptable");
        add_string_member(b, "supply", inst->names[TM_SIDE_SUPPLY][v->supply]);
        add_string_member(b, "demand", inst->names[TM_SIDE_DEMAND][v->demand]);
        json_builder_end_object(b);
    } else if (v != NULL && v->kind == TM_VIOLATION_GROUP_OVER_CAP
               && tm_instance_group_name(inst, v->agent) != NULL) {
        json_builder_begin_object(b);
        add_string_member(b, "kind", "group_over_cap");
        add_string_member(b, "group", tm_instance_group_name(inst, v->agent));
        add_int_member(b, "assignments", v->count);
        add_int_member(b, "cap", v->capacity);
        /* within its cap, a group can only be at fault for filling seats
         * that its sub-groups' floors reserve */
        add_string_member(b, "reason", v->count > v->capacity ? "over_cap" : "uses_reserved_seats");
        json_builder_end_object(b);
    } else {
        return FALSE;
    }
    return TRUE;
}

/* Adds "stable", "blocking_pairs" and "violations" to the open object. */
static gboolean
add_verdict_members(JsonBuilder *b, const TmInstance *inst, const TmVerdict *verdict,
                    GError **error)
{
    json_builder_set_member_name(b, "stable");
    json_builder_add_boolean_value(b, tm_verdict_is_stable(verdict));
    if (!add_blocking_pairs(b, inst, verdict, error))
        return FALSE;
    json_builder_set_member_name(b, "violations");
    json_builder_begin_array(b);
    int64_t nv = tm_verdict_n_violations(verdict);
    for (int64_t i = 0; i < nv; i++) {
        if (!add_violation(b, inst, tm_verdict_violation(verdict, i))) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "verdict does not belong to this instance (violation %" G_GINT64_FORMAT
                        ")",
                        i);
            return FALSE;
        }
    }
    json_builder_end_array(b);
    return TRUE;
}

void
tm_i_json_add_side_stats(JsonBuilder *b, const TmSideStats *st)
{
    json_builder_begin_object(b);
    add_int_member(b, "agents", st->agents);
    add_int_member(b, "matched_agents", st->matched_agents);
    add_int_member(b, "seats", st->seats);
    add_int_member(b, "filled_seats", st->filled_seats);
    json_builder_set_member_name(b, "rank_mean");
    json_builder_add_double_value(b, st->rank_mean);
    json_builder_set_member_name(b, "rank_median");
    json_builder_add_double_value(b, st->rank_median);
    add_int_member(b, "rank_max", st->rank_max);
    add_int_member(b, "dropped_entries", st->dropped_entries);
    json_builder_end_object(b);
}

char *
tm_instance_verdict_to_json(const TmInstance *instance, const TmVerdict *verdict, GError **error)
{
    if (instance == NULL || verdict == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_instance_verdict_to_json: %s is NULL",
                    instance == NULL ? "instance" : "verdict");
        return NULL;
    }
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    gboolean ok = add_verdict_members(b, instance, verdict, error);
    json_builder_end_object(b);
    char *text = ok ? generate(b) : NULL;
    g_object_unref(b);
    return text;
}

/* Adds "pairs" (@n pairs @s, @d) to the open object. */
static gboolean
add_pairs(JsonBuilder *b, const TmInstance *inst, const int32_t *s, const int32_t *d, int64_t n,
          GError **error)
{
    json_builder_set_member_name(b, "pairs");
    json_builder_begin_array(b);
    for (int64_t i = 0; i < n; i++) {
        if (!valid_id(inst, TM_SIDE_SUPPLY, s[i]) || !valid_id(inst, TM_SIDE_DEMAND, d[i])) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "matching pair %" G_GINT64_FORMAT " = (%d, %d) is out of range", i, s[i],
                        d[i]);
            return FALSE;
        }
        add_pair(b, inst, s[i], d[i]);
    }
    json_builder_end_array(b);
    return TRUE;
}

/* Adds "unmatched_supply" and "unmatched_demand": agents with no partner at
 * all (whatever their capacity, so capacity-0 agents are listed too), in id
 * order. */
static void
add_unmatched(JsonBuilder *b, const TmInstance *inst, const TmMatching *matching)
{
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "unmatched_supply" : "unmatched_demand");
        json_builder_begin_array(b);
        for (int32_t a = 0; a < inst->n[side]; a++)
            if (tm_matching_n_partners(matching, (TmSide)side, a) == 0)
                json_builder_add_string_value(b, inst->names[side][a]);
        json_builder_end_array(b);
    }
}

static void
add_stats(JsonBuilder *b, const TmMatchingStats *stats)
{
    json_builder_set_member_name(b, "stats");
    json_builder_begin_object(b);
    add_int_member(b, "pairs", stats->pairs);
    add_int_member(b, "proposals", stats->proposals);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, tm_i_side_names[side]);
        tm_i_json_add_side_stats(b, &stats->side[side]);
    }
    json_builder_end_object(b);
}

/* The solution document from the pairs @s, @d (@n of them). */
static char *
solution_document(const TmInstance *inst, const TmMatching *matching, const int32_t *s,
                  const int32_t *d, int64_t n, const TmVerdict *verdict,
                  const TmMatchingStats *stats, GError **error)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    gboolean ok = add_pairs(b, inst, s, d, n, error);
    if (ok)
        add_unmatched(b, inst, matching);
    ok = ok && add_verdict_members(b, inst, verdict, error);
    if (ok)
        add_stats(b, stats);
    json_builder_end_object(b);
    char *text = ok ? generate(b) : NULL;
    g_object_unref(b);
    return text;
}

char *
tm_instance_matching_to_json(const TmInstance *instance, const TmMatching *matching,
                             GError **error)
{
    if (instance == NULL || matching == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_instance_matching_to_json: %s is NULL",
                    instance == NULL ? "instance" : "matching");
        return NULL;
    }
    if (tm_matching_market(matching) != instance->market) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_instance_matching_to_json: the matching is not on the "
                            "instance's market");
        return NULL;
    }
    int64_t n = tm_matching_n_pairs(matching);
    TmMatchingStats stats;
    if (n < 0 || !tm_matching_get_stats(matching, &stats, error))
        return NULL;
    int32_t *s = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "solution pairs", error);
    int32_t *d = s != NULL ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "solution pairs", error)
                           : NULL;
    TmVerdict *verdict = NULL;
    char *text = NULL;
    if (d != NULL && tm_matching_get_pairs(matching, s, d, n, error)) {
        verdict = instance->groups != NULL
                      ? tm_matching_check_groups(matching, instance->groups, error)
                      : tm_matching_check(matching, error);
        if (verdict != NULL)
            text = solution_document(instance, matching, s, d, n, verdict, &stats, error);
    }
    tm_verdict_free(verdict);
    g_free(s);
    g_free(d);
    return text;
}
