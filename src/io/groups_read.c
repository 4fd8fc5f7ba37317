/* techmatch — reading "groups" and "priority" of an instance document, as
 * the streaming reader hands over their events (instance_read.c passes
 * them on with the depth below the "groups" list: 0 the list, 1 a group,
 * 2 a member of a group, 3 an element of "members").
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
 *
 * While the document streams, names are kept as name ids (json_names.c):
 * the demand agents a group lists may come later in the file.  Members are
 * resolved, and the groups added, at the end (tm_i_groups_finish()).
 */
#include <string.h>

#include "io/instance_private.h"

enum { G_NAME, G_MEMBERS, G_CAP, G_FLOOR, G_OTHER };

struct TmIGroupsReader {
    TmINames *pool;
    const char *src;
    TmIVecI32 priority; /* nids, in file order */
    /* the groups read: per group its name, limits and members (CSR) */
    TmIVecI32 name, cap, floor, off, members;
    /* the group whose object is open */
    int key;
    TmIName gname;
    TmIField gcap, gfloor;
    gboolean members_seen, in_members;
    const char *members_type;
    int64_t member_index;
    TmIPending pending;
};

static const char *const group_shape =
    "must be an object {\"name\": ..., \"members\": [...], \"cap\": ..., \"floor\": ...}, got %s";

TmIGroupsReader *
tm_i_groups_reader_new(TmINames *pool, const char *src)
{
    TmIGroupsReader *g = g_new0(TmIGroupsReader, 1);
    g->pool = pool;
    g->src = src;
    g->gname.nid = -1;
    return g;
}

static void
clear_open_group(TmIGroupsReader *g)
{
    tm_i_pending_clear(&g->pending);
    g_free(g->gcap.reason);
    g_free(g->gfloor.reason);
    g->gcap = g->gfloor = (TmIField){FALSE, 0, NULL, 0};
    g->gname = (TmIName){-1, NULL, FALSE};
    g->members_seen = g->in_members = FALSE;
    g->members_type = NULL;
    g->member_index = 0;
    g->key = G_OTHER;
}

void
tm_i_groups_reader_free(TmIGroupsReader *g)
{
    if (g == NULL)
        return;
    clear_open_group(g);
    tm_i_vec_clear(&g->priority);
    tm_i_vec_clear(&g->name);
    tm_i_vec_clear(&g->cap);
    tm_i_vec_clear(&g->floor);
    tm_i_vec_clear(&g->off);
    tm_i_vec_clear(&g->members);
    g_free(g);
}

static gboolean
no_memory(const TmIGroupsReader *g, GError **error)
{
    g_prefix_error(error, "%s: ", g->src);
    return FALSE;
}

/* ---- events ------------------------------------------------------------- */

static const char *
open_group_name(const TmIGroupsReader *g)
{
    return g->gname.nid >= 0 ? tm_i_names_str(g->pool, g->gname.nid) : NULL;
}

/* members[j] of the open group is not a name: remembered for its close. */
static void
member_fault(TmIGroupsReader *g, const char *got)
{
    tm_i_pending_set(&g->pending, TM_ERROR_PARSE,
                     g_strdup_printf("members[%" G_GINT64_FORMAT "]", g->member_index),
                     g_strdup_printf("must be the name of a demand agent (a string), got %s",
                                     got));
    g->member_index++;
}

/* A member @key of the open group holds @v (NULL: a container of @kind). */
static void
group_member(TmIGroupsReader *g, const TmIJsonValue *v, TmIJsonKind kind, GError **error,
             gboolean *ok)
{
    const char *got = v != NULL ? tm_i_json_describe(v) : tm_i_json_kind_describe(kind, FALSE);
    TmIField *f = g->key == G_CAP ? &g->gcap : &g->gfloor;
    switch (g->key) {
    case G_NAME:
        if (v != NULL && v->kind == TM_I_JSON_STRING && v->len == 0)
            g->gname.empty = TRUE;
        else if (v != NULL && v->kind == TM_I_JSON_STRING)
            *ok = (g->gname.nid = tm_i_names_intern(g->pool, v->text, v->len, error)) >= 0
                  || no_memory(g, error);
        else
            g->gname.type = got;
        break;
    case G_MEMBERS:
        g->members_seen = TRUE;
        if (v == NULL && kind == TM_I_JSON_ARRAY)
            g->in_members = TRUE;
        else
            g->members_type = got;
        break;
    case G_CAP:
    case G_FLOOR:
        f->seen = TRUE;
        f->code = tm_i_json_read_count(v, kind, &f->value, &f->reason);
        break;
    default:
        break;
    }
}

gboolean
tm_i_groups_begin(TmIGroupsReader *g, int depth, TmIJsonKind kind, GError **error)
{
    gboolean ok = TRUE;
    if (depth == 0) {
        ok = TM_I_VEC_RESERVE(&g->off, 1, "groups", error) || no_memory(g, error);
        if (ok)
            g->off.v[g->off.n++] = 0;
    } else if (depth == 1 && kind != TM_I_JSON_OBJECT) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, g->src, "groups", g->name.n, NULL, NULL,
                             group_shape, tm_i_json_kind_describe(kind, FALSE));
        ok = FALSE;
    } else if (depth == 1) {
        clear_open_group(g);
    } else if (depth == 2) {
        group_member(g, NULL, kind, error, &ok);
    } else if (depth == 3 && g->in_members) {
        member_fault(g, tm_i_json_kind_describe(kind, FALSE));
    }
    return ok;
}

gboolean
tm_i_groups_key(TmIGroupsReader *g, int depth, const char *key, GError **error)
{
    static const char *const keys[] = {"name", "members", "cap", "floor"};
    (void)error;
    if (depth != 1)
        return TRUE;
    g->key = G_OTHER;
    for (int k = 0; k < 4; k++)
        if (strcmp(key, keys[k]) == 0)
            g->key = k;
    return TRUE;
}

gboolean
tm_i_groups_scalar(TmIGroupsReader *g, int depth, const TmIJsonValue *v, GError **error)
{
    gboolean ok = TRUE;
    if (depth == 0) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, g->src, "groups", g->name.n, NULL, NULL,
                             group_shape, tm_i_json_describe(v));
        return FALSE;
    }
    if (depth == 1)
        group_member(g, v, TM_I_JSON_NULL, error, &ok);
    else if (depth == 2 && g->in_members && v->kind != TM_I_JSON_STRING)
        member_fault(g, tm_i_json_describe(v));
    else if (depth == 2 && g->in_members) {
        int32_t nid = tm_i_names_intern(g->pool, v->text, v->len, error);
        if (nid < 0 || !TM_I_VEC_RESERVE(&g->members, 1, "group members", error))
            return no_memory(g, error);
        g->members.v[g->members.n++] = nid;
        g->member_index++;
    }
    return ok;
}

/* The open group closed: checked in a fixed order and kept. */
static gboolean
group_finish(TmIGroupsReader *g, GError **error)
{
    int64_t i = g->name.n;
    if (!tm_i_json_check_name(&g->gname, g->pool, TM_I_ROLE_GROUP, g->src, "groups", "group", i,
                              error))
        return FALSE;
    const char *name = open_group_name(g), *members = "field \"members\"";
    int code = TM_ERROR_PARSE;
    char *reason = NULL;
    const char *where = members;
    if (!g->members_seen)
        reason = g_strdup("missing (a list of demand agent names)");
    else if (g->members_type != NULL)
        reason = g_strdup_printf("must be a list of demand agent names, got %s", g->members_type);
    else if (g->pending.code != 0) {
        code = g->pending.code;
        where = g->pending.where;
        reason = g_strdup(g->pending.message);
    } else if (!g->gcap.seen) {
        where = "field \"cap\"";
        reason = g_strdup("missing (the most assignments the group's members may hold "
                          "together, an integer >= 0)");
    } else if (g->gcap.code != 0 || g->gfloor.code != 0) {
        gboolean cap = g->gcap.code != 0;
        code = cap ? g->gcap.code : g->gfloor.code;
        where = cap ? "field \"cap\"" : "field \"floor\"";
        reason = g_strdup(cap ? g->gcap.reason : g->gfloor.reason);
    }
    if (reason != NULL) {
        tm_i_json_item_error(error, code, g->src, "groups", i, name, where, "%s", reason);
        g_free(reason);
        return FALSE;
    }
    if (i >= INT32_MAX - 1) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many groups", g->src);
        return FALSE;
    }
    if (!TM_I_VEC_RESERVE(&g->name, 1, "groups", error)
        || !TM_I_VEC_RESERVE(&g->cap, 1, "groups", error)
        || !TM_I_VEC_RESERVE(&g->floor, 1, "groups", error)
        || !TM_I_VEC_RESERVE(&g->off, 1, "groups", error))
        return no_memory(g, error);
    tm_i_names_set_role(g->pool, g->gname.nid, TM_I_ROLE_GROUP, (int32_t)i);
    g->name.v[g->name.n++] = g->gname.nid;
    g->cap.v[g->cap.n++] = g->gcap.value;
    g->floor.v[g->floor.n++] = g->gfloor.seen ? g->gfloor.value : 0;
    g->off.v[g->off.n++] = (int32_t)g->members.n;
    return TRUE;
}

gboolean
tm_i_groups_end(TmIGroupsReader *g, int depth, GError **error)
{
    if (depth == 2)
        g->in_members = FALSE;
    return depth != 1 || group_finish(g, error);
}

gboolean
tm_i_priority_entry(TmIGroupsReader *g, const TmIJsonValue *v, TmIJsonKind container,
                    GError **error)
{
    int64_t j = g->priority.n;
    if (v == NULL || v->kind != TM_I_JSON_STRING) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: priority[%" G_GINT64_FORMAT "]: must be the name of a supply agent (a "
                    "string), got %s",
                    g->src, j,
                    v != NULL ? tm_i_json_describe(v) : tm_i_json_kind_describe(container, FALSE));
        return FALSE;
    }
    int32_t nid = tm_i_names_intern(g->pool, v->text, v->len, error);
    if (nid < 0 || !TM_I_VEC_RESERVE(&g->priority, 1, "priority", error))
        return no_memory(g, error);
    g->priority.v[g->priority.n++] = nid;
    return TRUE;
}

char *
tm_i_groups_where(const TmIGroupsReader *g, int depth, gboolean in_key)
{
    static const char *const fields[] = {"name", "members", "cap", "floor"};
    if (depth == 0)
        return g_strdup_printf("groups[%" G_GINT64_FORMAT "]", g->name.n);
    GString *w = g_string_new(NULL);
    g_string_printf(w, "groups[%" G_GINT64_FORMAT "]", g->name.n);
    if (open_group_name(g) != NULL) {
        g_string_append_c(w, ' ');
        tm_i_json_append_quoted(w, open_group_name(g));
    }
    if (depth == 2 && g->in_members)
        g_string_append_printf(w, ": members[%" G_GINT64_FORMAT "]", g->member_index);
    else if (depth == 1 && !in_key && g->key != G_OTHER)
        g_string_append_printf(w, ": field \"%s\"", fields[g->key]);
    return g_string_free(w, FALSE);
}

char *
tm_i_priority_where(const TmIGroupsReader *g)
{
    return g_strdup_printf("priority[%" G_GINT64_FORMAT "]", g->priority.n);
}

/* ---- the end: priority ------------------------------------------------- */

/* The priority (n[SUPPLY] entries, smaller = higher): listed agents get
 * their position, the others follow in file order.  @pos is scratch. */
static gboolean
resolve_priority(const TmIGroupsReader *g, const TmInstance *inst, int32_t *priority,
                 int32_t *pos, GError **error)
{
    int32_t n = inst->n[TM_SIDE_SUPPLY], listed = 0;
    for (int32_t c = 0; c < n; c++)
        pos[c] = -1;
    for (int64_t j = 0; j < g->priority.n; j++) {
        int32_t nid = g->priority.v[j], c = tm_i_names_role(g->pool, nid, TM_I_ROLE_SUPPLY);
        if (c >= 0 && pos[c] < 0) {
            pos[c] = (int32_t)j;
            priority[c] = listed++;
            continue;
        }
        GString *q = g_string_new(NULL);
        tm_i_json_append_quoted(q, tm_i_names_str(g->pool, nid));
        if (c < 0)
            g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                        "%s: priority[%" G_GINT64_FORMAT "]: unknown supply agent %s", g->src, j,
                        q->str);
        else
            g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                        "%s: priority[%" G_GINT64_FORMAT "]: %s is listed twice (also "
                        "priority[%d])",
                        g->src, j, q->str, pos[c]);
        g_string_free(q, TRUE);
        return FALSE;
    }
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
            tm_i_json_item_error(error, code, src, "groups", i, name, "field \"members\"",
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
    int p = -1;
    if (strncmp(core, "group ", 6) == 0 && g_ascii_isdigit(core[6])) {
        char *end = NULL;
        gint64 v = g_ascii_strtoll(core + 6, &end, 10);
        if (end[0] == ':' && end[1] == ' ' && v <= INT32_MAX) {
            p = (int)v;
            core = end + 2;
        }
    }

    if (code == TM_ERROR_INVALID_ARGUMENT && floor > cap) {
        tm_i_json_item_error(error, code, src, "groups", i, name, "field \"floor\"", "%s", core);
    } else if (code == TM_ERROR_INVALID_ARGUMENT) {
        if (!say_crossing(inst, i, name, members, n, src, code, error))
            tm_i_json_item_error(error, code, src, "groups", i, name, "field \"members\"", "%s", core);
    } else if (code == TM_ERROR_INFEASIBLE && p == (int)i) {
        /* the floors of this group's sub-groups exceed its cap */
        tm_i_json_item_error(error, code, src, "groups", i, name, "field \"cap\"", "%s", core);
    } else if (code == TM_ERROR_INFEASIBLE && p >= 0 && p < (int)i) {
        /* ... of an enclosing group p: this group's floor is too big */
        GString *q = g_string_new(NULL);
        tm_i_json_append_quoted(q, inst->group_names[p]);
        tm_i_json_item_error(error, code, src, "groups", i, name, "field \"floor\"",
                              "in groups[%d] %s: %s", p, q->str, core);
        g_string_free(q, TRUE);
    } else {
        tm_i_json_item_error(error, code, src, "groups", i, name, NULL, "%s", core);
    }
    g_error_free(err);
}


/* ---- the end: groups ---------------------------------------------------- */

/* What adding the groups needs: per demand agent the last group that listed
 * it and where in its members; the current group's members as agents. */
typedef struct {
    int32_t *seen_group, *seen_pos, *members;
} Scratch;

/* Group @i's members from nids to demand agents, each at most once. */
static gboolean
resolve_members(const TmIGroupsReader *g, const TmInstance *inst, int32_t i, Scratch *s,
                int32_t *n, GError **error)
{
    const char *name = inst->group_names[i];
    int32_t from = g->off.v[i], to = g->off.v[i + 1];
    for (int32_t j = 0; j < to - from; j++) {
        int32_t nid = g->members.v[from + j];
        int32_t d = tm_i_names_role(g->pool, nid, TM_I_ROLE_DEMAND);
        if (d >= 0 && s->seen_group[d] != i) {
            s->seen_group[d] = i;
            s->seen_pos[d] = j;
            s->members[j] = d;
            continue;
        }
        char where[48];
        g_snprintf(where, sizeof where, "members[%d]", j);
        GString *q = g_string_new(NULL);
        tm_i_json_append_quoted(q, tm_i_names_str(g->pool, nid));
        if (d < 0)
            tm_i_json_item_error(error, TM_ERROR_UNKNOWN_NAME, g->src, "groups", i, name, where,
                                 "unknown demand agent %s", q->str);
        else
            tm_i_json_item_error(error, TM_ERROR_DUPLICATE, g->src, "groups", i, name, where,
                                 "%s is listed twice (also members[%d])", q->str,
                                 s->seen_pos[d]);
        g_string_free(q, TRUE);
        return FALSE;
    }
    *n = to - from;
    return TRUE;
}

static gboolean
add_groups(const TmIGroupsReader *g, TmInstance *inst, const int32_t *priority, Scratch *s,
           GError **error)
{
    int32_t n_demand = inst->n[TM_SIDE_DEMAND];
    int64_t n = g->name.n;
    GError *err = NULL;
    if (!(inst->groups = tm_groups_new(inst->n[TM_SIDE_SUPPLY], n_demand, &err))) {
        g_propagate_prefixed_error(error, err, "%s: ", g->src);
        return FALSE;
    }
    /* A group's members are distinct demand agents (a repeat is refused
     * before it is stored), so n_demand entries hold any group. */
    if (!(inst->group_names = tm_i_try_alloc(n + 1, sizeof(char *), TRUE, "group names", error))
        || !(s->seen_group = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group scratch",
                                            error))
        || !(s->seen_pos = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group scratch",
                                          error))
        || !(s->members = tm_i_try_alloc(n_demand, sizeof(int32_t), FALSE, "group members",
                                         error)))
        return no_memory(g, error);
    for (int64_t i = 0; i < n; i++)
        inst->group_names[i] = tm_i_names_str(g->pool, g->name.v[i]);
    for (int32_t d = 0; d < n_demand; d++)
        s->seen_group[d] = -1;
    for (int32_t i = 0; i < (int32_t)n; i++) {
        int32_t nm = 0;
        if (!resolve_members(g, inst, i, s, &nm, error))
            return FALSE;
        if (tm_groups_add(inst->groups, s->members, nm, g->cap.v[i], g->floor.v[i], &err) < 0) {
            propagate_group_add_error(inst, (guint)i, inst->group_names[i], s->members, nm,
                                      g->cap.v[i], g->floor.v[i], g->src, err, error);
            return FALSE;
        }
    }
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

gboolean
tm_i_groups_finish(TmIGroupsReader *g, TmInstance *inst, gboolean has_groups, GError **error)
{
    int32_t n = inst->n[TM_SIDE_SUPPLY];
    int32_t *priority = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "priority", error);
    int32_t *pos = priority != NULL
                       ? tm_i_try_alloc(n, sizeof(int32_t), FALSE, "priority scratch", error)
                       : NULL;
    if (pos == NULL) {
        g_free(priority);
        return no_memory(g, error);
    }
    gboolean ok = resolve_priority(g, inst, priority, pos, error);
    g_free(pos);
    /* "priority" without groups orders nothing: checked, then unused */
    if (ok && has_groups) {
        Scratch s = {NULL, NULL, NULL};
        ok = add_groups(g, inst, priority, &s, error);
        g_free(s.seen_group);
        g_free(s.seen_pos);
        g_free(s.members);
    }
    g_free(priority);
    return ok;
}
