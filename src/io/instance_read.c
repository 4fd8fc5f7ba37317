/* techmatch — reading an instance document (DESIGN §6) into a TmInstance,
 * as the strict streaming reader (json_stream.c) hands over its events.
 *
 * Nothing holds the document: each agent's name and capacity go into
 * arrays as its object closes, each preference entry is appended to its
 * side's CSR arrays as a name id (json_names.c: every distinct name stored
 * once), and at the end the ids are resolved to agents — a supply list
 * names demand agents that may come later in the file — and the market is
 * built from the arrays (tm_market_new_from_ranked_arrays()).  Groups and
 * the priority are kept the same way (groups_read.c).  Memory is O(the
 * market built), not O(the text).
 *
 * Choices made here (documented for users in instance.h and the README):
 *   - "capacity" is optional (default 1); it must be a JSON integer literal
 *     (2.0 is refused) in [0, INT32_MAX].
 *   - "prefs" is optional (default: an empty list, the agent accepts nobody).
 *     An entry is a name, or a nested list of names: a tie, ranked equally at
 *     the entry's position.  A nested list of one name is just that name; an
 *     empty one, or a list inside a tie, is refused.
 *   - Names must be non-empty strings, unique within their side; a name
 *     appears at most once in a list, ties included.
 *   - Unknown members are ignored (but must be JSON).
 *   - Faults are reported in file order, each when the object holding it
 *     closes (so messages name the entry whatever the order of its
 *     members); names that must refer to agents are checked at the end, in
 *     the order supply lists, demand lists, priority, groups, weights.
 *   - "weights" (optional): [[supply, demand, weight], ...], a finite number
 *     per acceptable pair (weights_read.c); pairs not given weigh 0.
 */
#include <string.h>

#include "io/instance_private.h"

typedef enum {
    F_ROOT, F_SIDE, F_AGENT, F_PREFS, F_TIE, F_GROUPS, F_PRIORITY, F_WEIGHTS, F_WEIGHT, F_SKIP
} FrameKind;

/* Keys that mean something (K_SUPPLY and K_DEMAND are the TmSide values). */
enum { K_SUPPLY, K_DEMAND, K_GROUPS, K_PRIORITY, K_WEIGHTS, K_NAME, K_CAPACITY, K_PREFS, K_OTHER };

typedef struct {
    FrameKind kind;
    int key;       /* in an object: the current member */
    int64_t index; /* in a list: elements started so far */
    int64_t j;     /* in a tie: its place in prefs */
} Frame;

/* One side's agents and preference lists, CSR. */
typedef struct {
    gboolean present;
    TmIVecI32 name;   /* per agent: the nid of its name */
    TmIVecI32 cap;    /* per agent */
    TmIVecI32 off;    /* agents + 1 */
    TmIVecI32 ent;    /* nids while reading, then agent ids */
    TmIVecI32 rank;   /* per entry once a nested list appears (else empty):
                       * j for prefs[j], -(j + 1) for a member of the nested
                       * list at prefs[j] */
    gboolean ranked;  /* rank is kept */
    gboolean has_tie; /* a nested list of two or more names */
} Side;

/* The agent whose object is open. */
typedef struct {
    TmSide side;
    TmIName name;
    TmIField cap;
    const char *prefs_type; /* "prefs" was not a list but this */
    TmIPending pending;     /* the first fault inside "prefs" */
    int64_t first;          /* its first entry */
} Agent;

typedef struct {
    const char *src;
    TmINames *pool;
    Side side[2];
    Agent agent;
    TmIGroupsReader *groups;
    gboolean has_groups;
    TmIWeightsReader weights;
    Frame frames[TM_I_JSON_MAX_DEPTH];
    int depth;
    int groups_base; /* depth of the "groups" list frame */
} Reader;

static const char *const agent_shape =
    "must be an object {\"name\": ..., \"capacity\": ..., \"prefs\": [...]}, got %s";

static gboolean
push(Reader *r, FrameKind kind)
{
    r->frames[r->depth++] = (Frame){kind, K_OTHER, 0, 0};
    return TRUE;
}

static const char *
agent_name(const Reader *r)
{
    return r->agent.name.nid >= 0 ? tm_i_names_str(r->pool, r->agent.name.nid) : NULL;
}

/* ---- preference entries ------------------------------------------------- */

/* From now on side @sp keeps a rank per entry; those so far are strict. */
static gboolean
start_ranks(Reader *r, Side *sp, GError **error)
{
    if (!tm_i_reserve((void **)&sp->rank.v, &sp->rank.cap, sp->ent.cap, sizeof(int32_t),
                      "preference ranks", error)) {
        g_prefix_error(error, "%s: ", r->src);
        return FALSE;
    }
    int64_t a = 0, n_agents = sp->name.n;
    for (int64_t e = 0; e < sp->ent.n; e++) {
        while (a < n_agents && e >= sp->off.v[a + 1])
            a++;
        int64_t first = a < n_agents ? sp->off.v[a] : r->agent.first;
        sp->rank.v[e] = (int32_t)(e - first);
    }
    sp->rank.n = sp->ent.n;
    sp->ranked = TRUE;
    return TRUE;
}

static gboolean
add_entry(Reader *r, const TmIJsonValue *v, int32_t rank, GError **error)
{
    Side *sp = &r->side[r->agent.side];
    if (sp->ent.n >= INT32_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s: %s preference lists too long in total (more than %d entries)", r->src,
                    tm_i_side_names[r->agent.side], (int)INT32_MAX);
        return FALSE;
    }
    int32_t nid = tm_i_names_intern(r->pool, v->text, v->len, error);
    if (nid < 0 || !TM_I_VEC_RESERVE(&sp->ent, 1, "preference lists", error)
        || (sp->ranked && !TM_I_VEC_RESERVE(&sp->rank, 1, "preference ranks", error))) {
        g_prefix_error(error, "%s: ", r->src);
        return FALSE;
    }
    sp->ent.v[sp->ent.n++] = nid;
    if (sp->ranked)
        sp->rank.v[sp->rank.n++] = rank;
    return TRUE;
}

/* A value at prefs[@j] (@k < 0) or prefs[@j][@k] that is not a name. */
static void
entry_fault(Reader *r, int64_t j, int64_t k, const char *got, gboolean nested_list)
{
    char *where = k < 0 ? g_strdup_printf("prefs[%" G_GINT64_FORMAT "]", j)
                        : g_strdup_printf("prefs[%" G_GINT64_FORMAT "][%" G_GINT64_FORMAT "]",
                                          j, k);
    char *msg = g_strdup_printf("must be the name of a %s agent (a string), got %s%s",
                                tm_i_side_names[TM_SIDE_OTHER(r->agent.side)], got,
                                nested_list ? " (a tie is one list of names: ties do not nest)"
                                            : "");
    tm_i_pending_set(&r->agent.pending, TM_ERROR_PARSE, where, msg);
}

/* ---- agents ------------------------------------------------------------- */

static void
agent_start(Reader *r, TmSide side)
{
    tm_i_pending_clear(&r->agent.pending);
    g_free(r->agent.cap.reason);
    r->agent = (Agent){.side = side, .name = {-1, NULL, FALSE}, .first = r->side[side].ent.n};
}

/* The agent's object closed: check it in a fixed order and keep it. */
static gboolean
agent_finish(Reader *r, GError **error)
{
    Agent *a = &r->agent;
    Side *sp = &r->side[a->side];
    const char *list = tm_i_side_names[a->side];
    int64_t i = sp->name.n;
    if (!tm_i_json_check_name(&a->name, r->pool, a->side, r->src, list, "agent", i, error))
        return FALSE;
    const char *name = agent_name(r);
    if (a->cap.code != 0) {
        tm_i_json_item_error(error, a->cap.code, r->src, list, i, name, "field \"capacity\"",
                             "%s", a->cap.reason);
        return FALSE;
    }
    if (a->prefs_type != NULL) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, r->src, list, i, name, "field \"prefs\"",
                             "must be a list of %s names, got %s",
                             tm_i_side_names[TM_SIDE_OTHER(a->side)], a->prefs_type);
        return FALSE;
    }
    if (a->pending.code != 0) {
        tm_i_json_item_error(error, a->pending.code, r->src, list, i, name, a->pending.where,
                             "%s", a->pending.message);
        return FALSE;
    }
    if (i >= INT32_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many %s agents", r->src, list);
        return FALSE;
    }
    if (!TM_I_VEC_RESERVE(&sp->name, 1, "agent names", error)
        || !TM_I_VEC_RESERVE(&sp->cap, 1, "capacities", error)
        || !TM_I_VEC_RESERVE(&sp->off, 1, "preference list offsets", error)) {
        g_prefix_error(error, "%s: ", r->src);
        return FALSE;
    }
    tm_i_names_set_role(r->pool, a->name.nid, a->side, (int32_t)i);
    sp->name.v[sp->name.n++] = a->name.nid;
    sp->cap.v[sp->cap.n++] = a->cap.seen ? a->cap.value : 1;
    sp->off.v[sp->off.n++] = (int32_t)sp->ent.n;
    return TRUE;
}

/* A scalar member of the open agent. */
static gboolean
agent_scalar(Reader *r, int key, const TmIJsonValue *v, GError **error)
{
    Agent *a = &r->agent;
    if (key == K_NAME && v->kind == TM_I_JSON_STRING && v->len == 0) {
        a->name.empty = TRUE;
    } else if (key == K_NAME && v->kind == TM_I_JSON_STRING) {
        if ((a->name.nid = tm_i_names_intern(r->pool, v->text, v->len, error)) < 0) {
            g_prefix_error(error, "%s: ", r->src);
            return FALSE;
        }
    } else if (key == K_NAME) {
        a->name.type = tm_i_json_describe(v);
    } else if (key == K_CAPACITY) {
        a->cap.seen = TRUE;
        a->cap.code = tm_i_json_read_count(v, TM_I_JSON_NULL, &a->cap.value, &a->cap.reason);
    } else if (key == K_PREFS) {
        a->prefs_type = tm_i_json_describe(v);
    }
    return TRUE;
}

/* A list or object as a member of the open agent. */
static gboolean
agent_container(Reader *r, int key, TmIJsonKind kind, GError **error)
{
    Agent *a = &r->agent;
    if (key == K_PREFS && kind == TM_I_JSON_ARRAY)
        return push(r, F_PREFS);
    if (key == K_PREFS)
        a->prefs_type = tm_i_json_kind_describe(kind, FALSE);
    else if (key == K_NAME)
        a->name.type = tm_i_json_kind_describe(kind, FALSE);
    else if (key == K_CAPACITY) {
        a->cap.seen = TRUE;
        a->cap.code = tm_i_json_read_count(NULL, kind, &a->cap.value, &a->cap.reason);
    }
    (void)error;
    return push(r, F_SKIP);
}

/* ---- events ------------------------------------------------------------- */

static int
key_of(FrameKind kind, const char *key)
{
    static const char *const root[] = {"supply", "demand", "groups", "priority", "weights"};
    static const char *const agent[] = {"name", "capacity", "prefs"};
    for (int k = 0; kind == F_ROOT && k < 5; k++)
        if (strcmp(key, root[k]) == 0)
            return k;
    for (int k = 0; kind == F_AGENT && k < 3; k++)
        if (strcmp(key, agent[k]) == 0)
            return K_NAME + k;
    return K_OTHER;
}

/* A member of the root that is not what it must be. */
static gboolean
root_member_fault(Reader *r, int key, const char *got, GError **error)
{
    static const char *const shape[] = {
        "a list of agents",
        "a list of agents",
        "a list of groups {\"name\": ..., \"members\": [...], \"cap\": ..., \"floor\": ...}",
        "a list of supply agent names (highest priority first)",
        "a list of [supply name, demand name, weight]",
    };
    static const char *const member[] = {"supply", "demand", "groups", "priority", "weights"};
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: member \"%s\" must be %s, got %s", r->src,
                member[key], shape[key], got);
    return FALSE;
}

static gboolean
root_value(Reader *r, int key, TmIJsonKind kind, const char *got, GError **error)
{
    if (key == K_OTHER)
        return kind == TM_I_JSON_ARRAY || kind == TM_I_JSON_OBJECT ? push(r, F_SKIP) : TRUE;
    if (kind != TM_I_JSON_ARRAY)
        return root_member_fault(r, key, got, error);
    if (key == K_SUPPLY || key == K_DEMAND) {
        Side *sp = &r->side[key];
        sp->present = TRUE;
        if (!TM_I_VEC_RESERVE(&sp->off, 1, "preference list offsets", error))
            return FALSE;
        sp->off.v[sp->off.n++] = 0;
        push(r, F_SIDE);
        r->frames[r->depth - 1].key = key;
        return TRUE;
    }
    if (key == K_PRIORITY)
        return push(r, F_PRIORITY);
    if (key == K_WEIGHTS) {
        r->weights.present = TRUE;
        return push(r, F_WEIGHTS);
    }
    r->has_groups = TRUE;
    r->groups_base = r->depth;
    return push(r, F_GROUPS) && tm_i_groups_begin(r->groups, 0, kind, error);
}

static gboolean
on_begin(void *ctx, TmIJsonKind kind, GError **error)
{
    Reader *r = ctx;
    if (r->depth == 0) /* the reader lets only an object through */
        return push(r, F_ROOT);
    Frame *f = &r->frames[r->depth - 1];
    const char *got = tm_i_json_kind_describe(kind, FALSE);
    int64_t at = f->index++;
    switch (f->kind) {
    case F_ROOT:
        return root_value(r, f->key, kind, got, error);
    case F_SIDE:
        if (kind != TM_I_JSON_OBJECT) {
            tm_i_json_item_error(error, TM_ERROR_PARSE, r->src, tm_i_side_names[f->key], at,
                                 NULL, NULL, agent_shape, got);
            return FALSE;
        }
        agent_start(r, (TmSide)f->key);
        return push(r, F_AGENT);
    case F_AGENT:
        return agent_container(r, f->key, kind, error);
    case F_PREFS:
        if (kind == TM_I_JSON_OBJECT) {
            entry_fault(r, at, -1, got, FALSE);
            return push(r, F_SKIP);
        }
        if (!r->side[r->agent.side].ranked && !start_ranks(r, &r->side[r->agent.side], error))
            return FALSE;
        push(r, F_TIE);
        r->frames[r->depth - 1].j = at;
        return TRUE;
    case F_TIE:
        entry_fault(r, f->j, at, got, kind == TM_I_JSON_ARRAY);
        return push(r, F_SKIP);
    case F_GROUPS:
        push(r, F_GROUPS);
        return tm_i_groups_begin(r->groups, r->depth - 1 - r->groups_base, kind, error);
    case F_PRIORITY:
        return tm_i_priority_entry(r->groups, NULL, kind, error);
    case F_WEIGHTS:
        return tm_i_weights_triple_begin(&r->weights, r->src, at, kind, got, error) &&
               push(r, F_WEIGHT);
    case F_WEIGHT:
        return tm_i_weights_nested(&r->weights, r->src, kind, error);
    case F_SKIP:
    default:
        return push(r, F_SKIP);
    }
}

static gboolean
on_key(void *ctx, const char *key, size_t len, GError **error)
{
    Reader *r = ctx;
    Frame *f = &r->frames[r->depth - 1];
    (void)len;
    if (f->kind == F_GROUPS)
        return tm_i_groups_key(r->groups, r->depth - 1 - r->groups_base, key, error);
    f->key = key_of(f->kind, key);
    return TRUE;
}

static gboolean
on_scalar(void *ctx, const TmIJsonValue *v, GError **error)
{
    Reader *r = ctx;
    Frame *f = &r->frames[r->depth - 1];
    int64_t at = f->index++;
    gboolean name = v->kind == TM_I_JSON_STRING;
    switch (f->kind) {
    case F_ROOT:
        return f->key == K_OTHER || root_member_fault(r, f->key, tm_i_json_describe(v), error);
    case F_SIDE:
        tm_i_json_item_error(error, TM_ERROR_PARSE, r->src, tm_i_side_names[f->key], at, NULL,
                             NULL, agent_shape, tm_i_json_describe(v));
        return FALSE;
    case F_AGENT:
        return agent_scalar(r, f->key, v, error);
    case F_PREFS:
        if (!name)
            entry_fault(r, at, -1, tm_i_json_describe(v), FALSE);
        return !name || add_entry(r, v, (int32_t)at, error);
    case F_TIE:
        if (!name)
            entry_fault(r, f->j, at, tm_i_json_describe(v), FALSE);
        return !name || add_entry(r, v, (int32_t)(-f->j - 1), error);
    case F_GROUPS:
        return tm_i_groups_scalar(r->groups, r->depth - 1 - r->groups_base, v, error);
    case F_PRIORITY:
        return tm_i_priority_entry(r->groups, v, TM_I_JSON_STRING, error);
    case F_WEIGHTS:
        return tm_i_weights_triple_begin(&r->weights, r->src, at, v->kind,
                                         tm_i_json_describe(v), error);
    case F_WEIGHT:
        return tm_i_weights_scalar(&r->weights, r->pool, r->src, v, error);
    case F_SKIP:
    default:
        return TRUE;
    }
}

static gboolean
on_end(void *ctx, TmIJsonKind kind, GError **error)
{
    Reader *r = ctx;
    Frame f = r->frames[--r->depth];
    (void)kind;
    switch (f.kind) {
    case F_ROOT:
        for (int side = 0; side < 2; side++)
            if (!r->side[side].present) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s: missing member \"%s\" (a list of agents, may be empty)", r->src,
                            tm_i_side_names[side]);
                return FALSE;
            }
        return TRUE;
    case F_AGENT:
        return agent_finish(r, error);
    case F_TIE:
        if (f.index == 0)
            tm_i_pending_set(&r->agent.pending, TM_ERROR_PARSE,
                             g_strdup_printf("prefs[%" G_GINT64_FORMAT "]", f.j),
                             g_strdup_printf("an empty tie (a nested list must name at least "
                                             "one %s agent)",
                                             tm_i_side_names[TM_SIDE_OTHER(r->agent.side)]));
        if (f.index > 1)
            r->side[r->agent.side].has_tie = TRUE;
        return TRUE;
    case F_GROUPS:
        return tm_i_groups_end(r->groups, r->depth - r->groups_base, error);
    case F_WEIGHT:
        return tm_i_weights_triple_end(&r->weights, r->src, error);
    default:
        return TRUE;
    }
}

/* `supply[1] "c1": prefs[2]` and the like, for a fault inside a string. */
static char *
on_where(void *ctx, gboolean in_key)
{
    Reader *r = ctx;
    int d = r->depth - 1;
    while (d > 0 && r->frames[d].kind == F_SKIP)
        d--;
    if (d < 0)
        return NULL;
    const Frame *f = &r->frames[d];
    if (f->kind == F_GROUPS)
        return tm_i_groups_where(r->groups, d - r->groups_base, in_key);
    if (f->kind == F_PRIORITY)
        return tm_i_priority_where(r->groups);
    if (f->kind == F_WEIGHTS || f->kind == F_WEIGHT)
        return tm_i_weights_where(&r->weights, f->kind == F_WEIGHT);
    if (f->kind == F_ROOT || f->kind == F_SIDE)
        return f->kind == F_SIDE ? g_strdup_printf("%s[%" G_GINT64_FORMAT "]",
                                                   tm_i_side_names[f->key], f->index)
                                 : NULL;
    GString *w = g_string_new(NULL);
    g_string_printf(w, "%s[%" G_GINT64_FORMAT "]", tm_i_side_names[r->agent.side],
                    r->side[r->agent.side].name.n);
    if (agent_name(r) != NULL) {
        g_string_append_c(w, ' ');
        tm_i_json_append_quoted(w, agent_name(r));
    }
    static const char *const fields[] = {"name", "capacity", "prefs"};
    if (f->kind == F_AGENT && !in_key && f->key >= K_NAME && f->key <= K_PREFS)
        g_string_append_printf(w, ": field \"%s\"", fields[f->key - K_NAME]);
    else if (f->kind == F_PREFS)
        g_string_append_printf(w, ": prefs[%" G_GINT64_FORMAT "]", f->index);
    else if (f->kind == F_TIE)
        g_string_append_printf(w, ": prefs[%" G_GINT64_FORMAT "][%" G_GINT64_FORMAT "]", f->j,
                               f->index);
    return g_string_free(w, FALSE);
}

static const TmIJsonHandler handler = {on_scalar, on_begin, on_key, on_end, on_where};

/* ---- the end: names to agents, the market ------------------------------- */

/* Where entry @e of agent @a is: "prefs[j]" or "prefs[j][k]". */
static char *
entry_place(const Side *sp, int64_t a, int64_t e)
{
    if (!sp->ranked)
        return g_strdup_printf("prefs[%" G_GINT64_FORMAT "]", e - sp->off.v[a]);
    int32_t rk = sp->rank.v[e];
    if (rk >= 0)
        return g_strdup_printf("prefs[%d]", rk);
    int64_t k = 0;
    for (int64_t x = sp->off.v[a]; x < e; x++)
        k += sp->rank.v[x] == rk;
    return g_strdup_printf("prefs[%d][%" G_GINT64_FORMAT "]", -rk - 1, k);
}

/* Entry @e of agent @a names no agent or one named before in its list. */
static void
entry_error(const Reader *r, TmSide side, int64_t a, int64_t e, int32_t nid, int code,
            GError **error)
{
    const Side *sp = &r->side[side];
    GString *q = g_string_new(NULL);
    tm_i_json_append_quoted(q, tm_i_names_str(r->pool, nid));
    char *where = entry_place(sp, a, e), *also = NULL;
    const char *name = tm_i_names_str(r->pool, sp->name.v[a]);
    if (code == TM_ERROR_UNKNOWN_NAME) {
        tm_i_json_item_error(error, code, r->src, tm_i_side_names[side], a, name, where,
                             "unknown %s agent %s", tm_i_side_names[TM_SIDE_OTHER(side)],
                             q->str);
    } else {
        int32_t id = tm_i_names_role(r->pool, nid, TM_SIDE_OTHER(side));
        int64_t x = sp->off.v[a];
        while (sp->ent.v[x] != id) /* entries before e are resolved already */
            x++;
        also = entry_place(sp, a, x);
        tm_i_json_item_error(error, code, r->src, tm_i_side_names[side], a, name, where,
                             "%s is listed twice (also %s)", q->str, also);
    }
    g_free(where);
    g_free(also);
    g_string_free(q, TRUE);
}

/* The entries of @side's lists from nids to agent ids of the other side. */
static gboolean
resolve_side(Reader *r, TmSide side, GError **error)
{
    Side *sp = &r->side[side];
    TmSide other = TM_SIDE_OTHER(side);
    int64_t n_other = r->side[other].name.n;
    int32_t *seen = tm_i_try_alloc(n_other, sizeof(int32_t), FALSE, "preference scratch", error);
    if (seen == NULL) {
        g_prefix_error(error, "%s: ", r->src);
        return FALSE;
    }
    for (int64_t d = 0; d < n_other; d++)
        seen[d] = -1;
    gboolean ok = TRUE;
    for (int64_t a = 0; ok && a < sp->name.n; a++) {
        for (int64_t e = sp->off.v[a]; ok && e < sp->off.v[a + 1]; e++) {
            int32_t nid = sp->ent.v[e], id = tm_i_names_role(r->pool, nid, other);
            int code = id < 0 ? TM_ERROR_UNKNOWN_NAME : seen[id] == a ? TM_ERROR_DUPLICATE : 0;
            if (code != 0) {
                entry_error(r, side, a, e, nid, code, error);
                ok = FALSE;
            } else {
                seen[id] = (int32_t)a;
                sp->ent.v[e] = id;
            }
        }
    }
    g_free(seen);
    if (ok && sp->ranked && sp->has_tie)
        for (int64_t e = 0; e < sp->rank.n; e++)
            sp->rank.v[e] = sp->rank.v[e] < 0 ? -sp->rank.v[e] - 1 : sp->rank.v[e];
    return ok;
}

static gboolean
build(Reader *r, TmInstance *inst, GError **error)
{
    for (int side = 0; side < 2; side++)
        if (!resolve_side(r, (TmSide)side, error))
            return FALSE;
    const Side *s = r->side;
    GError *err = NULL;
    inst->market = tm_market_new_from_ranked_arrays(
        (int32_t)s[0].name.n, (int32_t)s[1].name.n, s[0].cap.v, s[1].cap.v, s[0].off.v,
        s[0].ent.v, s[0].has_tie ? s[0].rank.v : NULL, s[0].ent.n, s[1].off.v, s[1].ent.v,
        s[1].has_tie ? s[1].rank.v : NULL, s[1].ent.n, &err);
    if (inst->market == NULL) {
        g_propagate_prefixed_error(error, err, "%s: ", r->src);
        return FALSE;
    }
    for (int side = 0; side < 2; side++) {
        int64_t n = s[side].name.n;
        inst->n[side] = (int32_t)n;
        if (!(inst->names[side] = tm_i_try_alloc(n + 1, sizeof(char *), TRUE, "agent names",
                                                 error))) {
            g_prefix_error(error, "%s: ", r->src);
            return FALSE;
        }
        for (int64_t i = 0; i < n; i++)
            inst->names[side][i] = tm_i_names_str(r->pool, s[side].name.v[i]);
    }
    return tm_i_groups_finish(r->groups, inst, r->has_groups, error) &&
           tm_i_weights_finish(&r->weights, inst, r->src, error);
}

/* Reads @path, or else @data (@len bytes), into a new instance. */
static TmInstance *
load(const char *src, const char *data, gssize len, const char *path, GError **error)
{
    TmInstance *inst = tm_i_instance_new();
    Reader r = {.src = src, .pool = inst->pool};
    r.groups = tm_i_groups_reader_new(inst->pool, src);
    r.agent.name.nid = -1;
    gboolean ok = path != NULL ? tm_i_json_read_file(path, &handler, &r, error)
                               : tm_i_json_read_data(data, len, src, &handler, &r, error);
    ok = ok && build(&r, inst, error);
    tm_i_pending_clear(&r.agent.pending);
    g_free(r.agent.cap.reason);
    for (int side = 0; side < 2; side++) {
        Side *sp = &r.side[side];
        tm_i_vec_clear(&sp->name);
        tm_i_vec_clear(&sp->cap);
        tm_i_vec_clear(&sp->off);
        tm_i_vec_clear(&sp->ent);
        tm_i_vec_clear(&sp->rank);
    }
    tm_i_groups_reader_free(r.groups);
    tm_i_weights_clear(&r.weights);
    if (!ok) {
        tm_instance_free(inst);
        return NULL;
    }
    return inst;
}

TmInstance *
tm_instance_load_json_data(const char *data, gssize len, const char *source_name,
                           GError **error)
{
    const char *src = tm_i_json_source(source_name);
    if (data == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: no data (NULL buffer)", src);
        return NULL;
    }
    return load(src, data, len, NULL, error);
}

TmInstance *
tm_instance_load_json_file(const char *path, GError **error)
{
    if (path == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_instance_load_json_file: path is NULL");
        return NULL;
    }
    return load(path, NULL, -1, path, error);
}
