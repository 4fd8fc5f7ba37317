/* techmatch — reading "groups" and "priority" of an instance document.
 *
 *   - "groups" (optional): caps and floors over sets of demand agents
 *     (groups.h), each {"name", "members", "cap", "floor" (default 0)}, added
 *     to a TmGroups in file order so that group index = position in the
 *     list.  Errors name the group: `inst.json: groups[1] "food": members[0]:
 *     unknown demand agent "s9"`.  Failures of tm_groups_add() (not laminar,
 *     floor above cap, sub-group floors above a cap) are rephrased with
 *     group and agent names.
 *   - "priority" (optional): supply names, highest first; the others follow
 *     in file order (so without it, file order is the priority).  Checked
 *     even without "groups", where it has no effect.
 */
#include <stdio.h>

#include "io/instance_private.h"

/* ---- priority ----------------------------------------------------------- */

/* Reads priority[@j] into @priority / @pos (see read_priority()). */
static gboolean
read_priority_entry(const TmInstance *inst, JsonNode *e, guint j, const char *src,
                    int32_t *priority, int32_t *pos, int32_t *listed, GError **error)
{
    if (!tm_i_json_is_string(e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: priority[%u]: must be the name of a supply agent (a string), got %s", src,
                    j, tm_i_json_describe(e));
        return FALSE;
    }
    const char *name = json_node_get_string(e);
    int32_t c;
    gboolean known = tm_i_instance_lookup_id(inst->index[TM_SIDE_SUPPLY], name, &c);
    if (known && pos[c] < 0) {
        pos[c] = (int32_t)j;
        priority[c] = (*listed)++;
        return TRUE;
    }
    GString *q = g_string_new(NULL);
    tm_i_json_append_quoted(q, name);
    if (!known)
        g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                    "%s: priority[%u]: unknown supply agent %s", src, j, q->str);
    else
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                    "%s: priority[%u]: %s is listed twice (also priority[%d])", src, j, q->str,
                    pos[c]);
    g_string_free(q, TRUE);
    return FALSE;
}

/* Reads the optional top-level "priority" (supply names, highest first) into
 * @priority (n[SUPPLY] entries, smaller = higher): listed agents get their
 * position, the others follow in file order.  Without the member every
 * agent gets its file position.  @pos is scratch of n[SUPPLY] entries. */
static gboolean
read_priority(const TmInstance *inst, JsonObject *root, const char *src, int32_t *priority,
              int32_t *pos, GError **error)
{
    int32_t n = inst->n[TM_SIDE_SUPPLY], listed = 0;
    for (int32_t c = 0; c < n; c++)
        pos[c] = -1;
    JsonNode *node = json_object_get_member(root, "priority");
    if (node != NULL && !JSON_NODE_HOLDS_ARRAY(node)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: member \"priority\" must be a list of supply agent names "
                    "(highest priority first), got %s",
                    src, tm_i_json_describe(node));
        return FALSE;
    }
    JsonArray *a = node != NULL ? json_node_get_array(node) : NULL;
    for (guint j = 0; a != NULL && j < json_array_get_length(a); j++)
        if (!read_priority_entry(inst, json_array_get_element(a, j), j, src, priority, pos,
                                 &listed, error))
            return FALSE;
    for (int32_t c = 0; c < n; c++)
        if (pos[c] < 0)
            priority[c] = listed++;
    return TRUE;
}

/* ---- tm_groups_add() and tm_groups_validate() failures, located ---------- */

/* Group @i (members @members, @n of them) is not laminar: names an earlier
 * group that crosses it and a demand agent they share.  FALSE when none is
 * found (or out of memory), leaving @error alone. */
static gboolean
say_crossing(const TmInstance *inst, guint i, const char *name, const int32_t *members,
             int32_t n, const char *src, int code, GError **error)
{
    guint8 *mine = tm_i_try_alloc(inst->n[TM_SIDE_DEMAND], 1, TRUE, "group scratch", NULL);
    if (mine == NULL)
        return FALSE;
    for (int32_t k = 0; k < n; k++)
        mine[members[k]] = 1;
    gboolean said = FALSE;
    for (int32_t j = 0; j < (int32_t)i && !said; j++) {
        int32_t nj = 0, common = 0, shared = -1;
        const int32_t *mj = tm_groups_members(inst->groups, j, &nj);
        for (int32_t k = 0; k < nj; k++)
            if (mine[mj[k]]) {
                common++;
                shared = mj[k];
            }
        if (common > 0 && common < nj && common < n) {
            GString *q = g_string_new(NULL);
            tm_i_json_append_quoted(q, inst->group_names[j]);
            g_string_append(q, " (both hold demand agent ");
            tm_i_json_append_quoted(q, inst->names[TM_SIDE_DEMAND][shared]);
            g_string_append_c(q, ')');
            tm_i_json_group_error(error, code, src, i, name, "field \"members\"",
                                  "overlaps groups[%d] %s without one containing the other "
                                  "(groups must be nested or disjoint)",
                                  j, q->str);
            g_string_free(q, TRUE);
            said = TRUE;
        }
    }
    g_free(mine);
    return said;
}

/* tm_groups_add() refused group @i (named @name, @n members in @members)
 * with @err: sets @error to the same failure located in the file, naming
 * groups and demand agents rather than indices.  Takes @err. */
static void
propagate_group_add_error(const TmInstance *inst, guint i, const char *name,
                          const int32_t *members, int32_t n, int32_t cap, int32_t floor,
                          const char *src, GError *err, GError **error)
{
    const char *core = err->message;
    int code = err->code;
    /* Core messages may start "group N: "; N is our index as groups are
     * added in file order. */
    int p = -1, skip = 0;
    if (sscanf(core, "group %d: %n", &p, &skip) == 1 && skip > 0)
        core += skip;
    else
        p = -1;

    if (code == TM_ERROR_INVALID_ARGUMENT && floor > cap) {
        tm_i_json_group_error(error, code, src, i, name, "field \"floor\"", "%s", core);
    } else if (code == TM_ERROR_INVALID_ARGUMENT) {
        if (!say_crossing(inst, i, name, members, n, src, code, error))
            tm_i_json_group_error(error, code, src, i, name, "field \"members\"", "%s", core);
    } else if (code == TM_ERROR_INFEASIBLE && p == (int)i) {
        /* the floors of this group's sub-groups exceed its cap */
        tm_i_json_group_error(error, code, src, i, name, "field \"cap\"", "%s", core);
    } else if (code == TM_ERROR_INFEASIBLE && p >= 0 && p < (int)i) {
        /* ... of an enclosing group p: this group's floor is too big */
        GString *q = g_string_new(NULL);
        tm_i_json_append_quoted(q, inst->group_names[p]);
        tm_i_json_group_error(error, code, src, i, name, "field \"floor\"",
                              "in groups[%d] %s: %s", p, q->str, core);
        g_string_free(q, TRUE);
    } else {
        tm_i_json_group_error(error, code, src, i, name, NULL, "%s", core);
    }
    g_error_free(err);
}

/* ---- groups ------------------------------------------------------------- */

/* What reading the groups needs besides the instance. */
typedef struct {
    TmInstance *inst;
    const char *src;
    GHashTable *index;    /* group name (borrowed from group_names) -> index */
    int32_t *seen_group;  /* per demand agent: the last group that listed it, -1 */
    int32_t *seen_pos;    /* ... and where in its members */
    int32_t *members;     /* the current group's members */
} GroupsReader;

/* members[@j] of group @i: a demand agent not listed before in this group. */
static gboolean
read_group_member(GroupsReader *g, guint i, const char *name, JsonNode *e, guint j,
                  GError **error)
{
    char where[48];
    g_snprintf(where, sizeof where, "members[%u]", j);
    if (!tm_i_json_is_string(e)) {
        tm_i_json_group_error(error, TM_ERROR_PARSE, g->src, i, name, where,
                              "must be the name of a demand agent (a string), got %s",
                              tm_i_json_describe(e));
        return FALSE;
    }
    const char *mname = json_node_get_string(e);
    int32_t d;
    gboolean known = tm_i_instance_lookup_id(g->inst->index[TM_SIDE_DEMAND], mname, &d);
    if (known && g->seen_group[d] != (int32_t)i) {
        g->seen_group[d] = (int32_t)i;
        g->seen_pos[d] = (int32_t)j;
        g->members[j] = d;
        return TRUE;
    }
    GString *q = g_string_new(NULL);
    tm_i_json_append_quoted(q, mname);
    if (!known)
        tm_i_json_group_error(error, TM_ERROR_UNKNOWN_NAME, g->src, i, name, where,
                              "unknown demand agent %s", q->str);
    else
        tm_i_json_group_error(error, TM_ERROR_DUPLICATE, g->src, i, name, where,
                              "%s is listed twice (also members[%d])", q->str, g->seen_pos[d]);
    g_string_free(q, TRUE);
    return FALSE;
}

/* groups[@i]'s "members" into g->members (*@n of them). */
static gboolean
read_group_members(GroupsReader *g, guint i, const char *name, JsonObject *obj, int32_t *n,
                   GError **error)
{
    JsonNode *mn = json_object_get_member(obj, "members");
    if (mn == NULL) {
        tm_i_json_group_error(error, TM_ERROR_PARSE, g->src, i, name, "field \"members\"",
                              "missing (a list of demand agent names)");
        return FALSE;
    }
    if (!JSON_NODE_HOLDS_ARRAY(mn)) {
        tm_i_json_group_error(error, TM_ERROR_PARSE, g->src, i, name, "field \"members\"",
                              "must be a list of demand agent names, got %s",
                              tm_i_json_describe(mn));
        return FALSE;
    }
    JsonArray *ma = json_node_get_array(mn);
    guint nm = json_array_get_length(ma);
    for (guint j = 0; j < nm; j++)
        if (!read_group_member(g, i, name, json_array_get_element(ma, j), j, error))
            return FALSE;
    *n = (int32_t)nm;
    return TRUE;
}

/* groups[@i]'s "cap" (required) and "floor" (default 0). */
static gboolean
read_group_limits(GroupsReader *g, guint i, const char *name, JsonObject *obj, int32_t *cap,
                  int32_t *floor, GError **error)
{
    const char *const fields[2] = {"cap", "floor"};
    int32_t *values[2] = {cap, floor};
    *cap = *floor = 0;
    for (int f = 0; f < 2; f++) {
        char where[32];
        g_snprintf(where, sizeof where, "field \"%s\"", fields[f]);
        JsonNode *v = json_object_get_member(obj, fields[f]);
        if (v == NULL && f == 1)
            break; /* floor defaults to 0 */
        if (v == NULL) {
            tm_i_json_group_error(error, TM_ERROR_PARSE, g->src, i, name, where,
                                  "missing (the most assignments the group's members may hold "
                                  "together, an integer >= 0)");
            return FALSE;
        }
        char *reason = NULL;
        int code = tm_i_json_read_count(v, values[f], &reason);
        if (code != 0) {
            tm_i_json_group_error(error, code, g->src, i, name, where, "%s", reason);
            g_free(reason);
            return FALSE;
        }
    }
    return TRUE;
}

/* groups[@i]: read and added to inst->groups. */
static gboolean
read_group(GroupsReader *g, guint i, JsonNode *gn, GError **error)
{
    if (!JSON_NODE_HOLDS_OBJECT(gn)) {
        tm_i_json_group_error(error, TM_ERROR_PARSE, g->src, i, NULL, NULL,
                              "must be an object {\"name\": ..., \"members\": [...], \"cap\": "
                              "..., \"floor\": ...}, got %s",
                              tm_i_json_describe(gn));
        return FALSE;
    }
    JsonObject *obj = json_node_get_object(gn);
    int32_t n = 0, cap, floor;
    if (!tm_i_json_read_name(obj, g->src, "groups", "group", i, g->index,
                             &g->inst->group_names[i], error))
        return FALSE;
    const char *name = g->inst->group_names[i];
    if (!read_group_members(g, i, name, obj, &n, error)
        || !read_group_limits(g, i, name, obj, &cap, &floor, error))
        return FALSE;
    GError *err = NULL;
    if (tm_groups_add(g->inst->groups, g->members, n, cap, floor, &err) < 0) {
        propagate_group_add_error(g->inst, i, name, g->members, n, cap, floor, g->src, err,
                                  error);
        return FALSE;
    }
    return TRUE;
}

/* The "groups" list @node, then the priority @priority, into inst->groups. */
static gboolean
read_group_list(GroupsReader *g, JsonNode *node, const int32_t *priority, GError **error)
{
    TmInstance *inst = g->inst;
    JsonArray *groups = json_node_get_array(node);
    guint n = json_array_get_length(groups);
    int32_t n_demand = inst->n[TM_SIDE_DEMAND];
    GError *err = NULL;
    if (!(inst->groups = tm_groups_new(inst->n[TM_SIDE_SUPPLY], n_demand, &err))) {
        g_propagate_prefixed_error(error, err, "%s: ", g->src);
        return FALSE;
    }
    /* A group's members are distinct demand agents (a repeat is refused
     * before it is stored), so n_demand entries hold any group. */
    if (!(inst->group_names = tm_i_try_alloc((int64_t)n + 1, sizeof(char *), TRUE,
                                             "group names", error))
        || !(g->seen_group = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group scratch",
                                            error))
        || !(g->seen_pos = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group scratch",
                                          error))
        || !(g->members = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group members",
                                         error))) {
        g_prefix_error(error, "%s: ", g->src);
        return FALSE;
    }
    for (int32_t d = 0; d < n_demand; d++)
        g->seen_group[d] = -1;
    for (guint i = 0; i < n; i++)
        if (!read_group(g, i, json_array_get_element(groups, i), error))
            return FALSE;
    /* the family as a whole: laminar, floors inside caps (in any order) */
    int32_t culprit = -1;
    if (!tm_groups_validate(inst->groups, &culprit, &err)) {
        if (culprit < 0) {
            g_propagate_prefixed_error(error, err, "%s: groups: ", g->src);
            return FALSE;
        }
        int32_t nm = 0;
        const int32_t *members = tm_groups_members(inst->groups, culprit, &nm);
        propagate_group_add_error(inst, (guint)culprit, inst->group_names[culprit], members, nm,
                                  tm_groups_cap(inst->groups, culprit),
                                  tm_groups_floor(inst->groups, culprit), g->src, err, error);
        return FALSE;
    }
    if (!tm_groups_set_priority(inst->groups, priority, &err)) {
        g_propagate_prefixed_error(error, err, "%s: priority: ", g->src);
        return FALSE;
    }
    return TRUE;
}

/* The "groups" member (@node, not NULL) must be a list of at most
 * INT32_MAX - 1 groups. */
static gboolean
check_group_list(JsonNode *node, const char *src, GError **error)
{
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: member \"groups\" must be a list of groups {\"name\": ..., "
                    "\"members\": [...], \"cap\": ..., \"floor\": ...}, got %s",
                    src, tm_i_json_describe(node));
        return FALSE;
    }
    if (json_array_get_length(json_node_get_array(node)) > (guint)INT32_MAX - 1) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many groups", src);
        return FALSE;
    }
    return TRUE;
}

gboolean
tm_i_instance_read_groups(TmInstance *inst, JsonObject *root, const char *src, GError **error)
{
    int32_t n = inst->n[TM_SIDE_SUPPLY];
    int32_t *priority = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "priority", error);
    int32_t *pos = priority != NULL
                       ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "priority scratch", error)
                       : NULL;
    if (pos == NULL) {
        g_prefix_error(error, "%s: ", src);
        g_free(priority);
        return FALSE;
    }
    gboolean ok = read_priority(inst, root, src, priority, pos, error);
    g_free(pos);
    JsonNode *node = json_object_get_member(root, "groups");
    /* "priority" without groups orders nothing: checked, then unused */
    if (ok && node != NULL) {
        GroupsReader g = {inst, src, g_hash_table_new(g_str_hash, g_str_equal), NULL, NULL,
                          NULL};
        ok = check_group_list(node, src, error) && read_group_list(&g, node, priority, error);
        g_hash_table_destroy(g.index);
        g_free(g.seen_group);
        g_free(g.seen_pos);
        g_free(g.members);
    }
    g_free(priority);
    return ok;
}
