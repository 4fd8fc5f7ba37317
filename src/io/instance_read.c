/* techmatch — reading an instance document (DESIGN §6) into a TmInstance.
 *
 * Pass 1 reads each agent's name and capacity and counts the preference
 * entries; pass 2 turns the preference lists into CSR arrays of ids (and,
 * when a list has a tie, of ranks); then the market is built and the groups
 * and priority are read (groups_read.c).
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
 *   - Unknown members are ignored.
 */
#include <string.h>

#include "io/instance_private.h"

/* The preference lists of one side in CSR form. */
typedef struct {
    int32_t *offsets;  /* n + 1 */
    int32_t *ids;      /* one per entry, a tie's members each count */
    int32_t *ranks;    /* per entry: the owner's rank (position of the entry
                        * in the JSON list); NULL while no list has a tie */
    int64_t total;     /* entries */
} SidePrefs;

/* One instance being read. */
typedef struct {
    TmInstance *inst;
    const char *src;
    JsonArray *agents[2];
    int32_t *caps[2];
    SidePrefs prefs[2];
    int32_t *seen;  /* per agent of the other side: the last agent whose list named it */
} Reader;

/* tm_i_try_alloc() with the source name in front of a failure. */
static void *
reader_alloc(const Reader *r, int64_t count, size_t elem, gboolean zero, const char *what,
             GError **error)
{
    void *p = tm_i_try_alloc(count, elem, zero, what, error);
    if (p == NULL)
        g_prefix_error(error, "%s: ", r->src);
    return p;
}

static JsonArray *
agent_prefs(JsonArray *agents, guint i)
{
    JsonObject *obj = json_node_get_object(json_array_get_element(agents, i));
    JsonNode *prefs = json_object_get_member(obj, "prefs");
    return prefs != NULL ? json_node_get_array(prefs) : NULL;
}

/* Entries of a preference list: a name counts one, a tie its members. */
static int64_t
count_entries(JsonArray *prefs)
{
    guint len = prefs != NULL ? json_array_get_length(prefs) : 0;
    int64_t n = 0;
    for (guint j = 0; j < len; j++) {
        JsonNode *e = json_array_get_element(prefs, j);
        n += JSON_NODE_HOLDS_ARRAY(e) ? json_array_get_length(json_node_get_array(e)) : 1;
    }
    return n;
}

/* ---- pass 1: names and capacities --------------------------------------- */

/* Pass 1 for one agent: name and capacity (and that "prefs" is a list). */
static gboolean
read_agent_header(Reader *r, TmSide side, guint i, GError **error)
{
    JsonNode *node = json_array_get_element(r->agents[side], i);
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        tm_i_json_agent_error(error, TM_ERROR_PARSE, r->src, side, i, NULL, NULL,
                              "must be an object {\"name\": ..., \"capacity\": ..., "
                              "\"prefs\": [...]}, got %s",
                              tm_i_json_describe(node));
        return FALSE;
    }
    JsonObject *obj = json_node_get_object(node);
    if (!tm_i_json_read_name(obj, r->src, tm_i_side_names[side], "agent", i,
                             r->inst->index[side], &r->inst->names[side][i], error))
        return FALSE;
    const char *name = r->inst->names[side][i];

    JsonNode *cap = json_object_get_member(obj, "capacity");
    r->caps[side][i] = 1;
    char *reason = NULL;
    int code = cap != NULL ? tm_i_json_read_count(cap, &r->caps[side][i], &reason) : 0;
    if (code != 0) {
        tm_i_json_agent_error(error, code, r->src, side, i, name, "field \"capacity\"", "%s",
                              reason);
        g_free(reason);
        return FALSE;
    }

    JsonNode *prefs = json_object_get_member(obj, "prefs");
    if (prefs != NULL && !JSON_NODE_HOLDS_ARRAY(prefs)) {
        tm_i_json_agent_error(error, TM_ERROR_PARSE, r->src, side, i, name, "field \"prefs\"",
                              "must be a list of %s names, got %s",
                              tm_i_side_names[TM_SIDE_OTHER(side)], tm_i_json_describe(prefs));
        return FALSE;
    }
    return TRUE;
}

/* Pass 1 for one side; allocates its CSR arrays for pass 2. */
static gboolean
read_side_headers(Reader *r, TmSide side, GError **error)
{
    int64_t total = 0;
    for (int32_t i = 0; i < r->inst->n[side]; i++) {
        if (!read_agent_header(r, side, (guint)i, error))
            return FALSE;
        total += count_entries(agent_prefs(r->agents[side], (guint)i));
    }
    if (total > INT32_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s: %s preference lists too long in total (%" G_GINT64_FORMAT
                    " entries, at most %d)",
                    r->src, tm_i_side_names[side], total, (int)INT32_MAX);
        return FALSE;
    }
    SidePrefs *sp = &r->prefs[side];
    sp->total = total;
    return (sp->offsets = reader_alloc(r, (int64_t)r->inst->n[side] + 1, sizeof(int32_t), FALSE,
                                       "preference list offsets", error))
           && (sp->ids = reader_alloc(r, total, sizeof(int32_t), FALSE, "preference lists",
                                      error));
}

/* ---- pass 2: preference lists ------------------------------------------- */

/* Where @name first appears in @prefs: "prefs[j]", or "prefs[j][k]" in a tie. */
static void
first_place(JsonArray *prefs, const char *name, char *buf, gsize size)
{
    for (guint j = 0; j < json_array_get_length(prefs); j++) {
        JsonNode *e = json_array_get_element(prefs, j);
        if (tm_i_json_is_string(e) && strcmp(json_node_get_string(e), name) == 0) {
            g_snprintf(buf, size, "prefs[%u]", j);
            return;
        }
        JsonArray *tie = JSON_NODE_HOLDS_ARRAY(e) ? json_node_get_array(e) : NULL;
        for (guint k = 0; tie != NULL && k < json_array_get_length(tie); k++) {
            JsonNode *t = json_array_get_element(tie, k);
            if (tm_i_json_is_string(t) && strcmp(json_node_get_string(t), name) == 0) {
                g_snprintf(buf, size, "prefs[%u][%u]", j, k);
                return;
            }
        }
    }
    g_strlcpy(buf, "?", size);
}

/* "prefs[j]" (@k < 0) or "prefs[j][k]" (a tie's member). */
static void
entry_place(char *buf, gsize size, guint j, int k)
{
    if (k < 0)
        g_snprintf(buf, size, "prefs[%u]", j);
    else
        g_snprintf(buf, size, "prefs[%u][%d]", j, k);
}

/* Reads entry @e of agent @i's list @prefs (at prefs[j], or prefs[j][k] in a
 * tie): a known name of the other side, not named before in this list. */
static gboolean
read_entry(Reader *r, TmSide side, int32_t i, JsonArray *prefs, JsonNode *e, guint j, int k,
           int32_t *id, GError **error)
{
    TmSide other = TM_SIDE_OTHER(side);
    const char *name = r->inst->names[side][i];
    char where[48], also[48]; /* filled only on error: this is the hot loop */
    if (!tm_i_json_is_string(e)) {
        entry_place(where, sizeof where, j, k);
        tm_i_json_agent_error(error, TM_ERROR_PARSE, r->src, side, (guint)i, name, where,
                              "must be the name of a %s agent (a string), got %s%s",
                              tm_i_side_names[other], tm_i_json_describe(e),
                              k >= 0 && JSON_NODE_HOLDS_ARRAY(e)
                                  ? " (a tie is one list of names: ties do not nest)"
                                  : "");
        return FALSE;
    }
    const char *pname = json_node_get_string(e);
    int code = 0;
    if (!tm_i_instance_lookup_id(r->inst->index[other], pname, id))
        code = TM_ERROR_UNKNOWN_NAME;
    else if (r->seen[*id] == i)
        code = TM_ERROR_DUPLICATE;
    if (code == 0) {
        r->seen[*id] = i;
        return TRUE;
    }
    entry_place(where, sizeof where, j, k);
    GString *q = g_string_new(NULL);
    tm_i_json_append_quoted(q, pname);
    if (code == TM_ERROR_UNKNOWN_NAME) {
        tm_i_json_agent_error(error, code, r->src, side, (guint)i, name, where,
                              "unknown %s agent %s", tm_i_side_names[other], q->str);
    } else {
        first_place(prefs, pname, also, sizeof also);
        tm_i_json_agent_error(error, code, r->src, side, (guint)i, name, where,
                              "%s is listed twice (also %s)", q->str, also);
    }
    g_string_free(q, TRUE);
    return FALSE;
}

/* The first tie of @side, at agent @i: from now on entries carry ranks;
 * the @pos entries written so far are all from strict lists (agent @i's
 * included), where rank = position. */
static gboolean
start_ranks(Reader *r, TmSide side, int32_t i, int64_t pos, GError **error)
{
    SidePrefs *sp = &r->prefs[side];
    if (!(sp->ranks = reader_alloc(r, sp->total, sizeof(int32_t), FALSE, "preference ranks",
                                   error)))
        return FALSE;
    for (int32_t a = 0; a <= i; a++) {
        int64_t end = a < i ? sp->offsets[a + 1] : pos;
        for (int64_t e = sp->offsets[a]; e < end; e++)
            sp->ranks[e] = (int32_t)(e - sp->offsets[a]);
    }
    return TRUE;
}

/* Reads the tie at prefs[@j] of agent @i into entries *@pos, ...: all of
 * rank @j. */
static gboolean
read_tie(Reader *r, TmSide side, int32_t i, JsonArray *prefs, guint j, int64_t *pos,
         GError **error)
{
    SidePrefs *sp = &r->prefs[side];
    JsonArray *tie = json_node_get_array(json_array_get_element(prefs, j));
    guint len = json_array_get_length(tie);
    if (len == 0) {
        char where[24];
        entry_place(where, sizeof where, j, -1);
        tm_i_json_agent_error(error, TM_ERROR_PARSE, r->src, side, (guint)i,
                              r->inst->names[side][i], where,
                              "an empty tie (a nested list must name at least one %s agent)",
                              tm_i_side_names[TM_SIDE_OTHER(side)]);
        return FALSE;
    }
    if (len > 1 && sp->ranks == NULL && !start_ranks(r, side, i, *pos, error))
        return FALSE;
    for (guint k = 0; k < len; k++) {
        if (!read_entry(r, side, i, prefs, json_array_get_element(tie, k), j, (int)k,
                        &sp->ids[*pos], error))
            return FALSE;
        if (sp->ranks != NULL)
            sp->ranks[*pos] = (int32_t)j;
        (*pos)++;
    }
    return TRUE;
}

/* Pass 2 for one side: preference lists into CSR arrays. */
static gboolean
read_side_prefs(Reader *r, TmSide side, GError **error)
{
    SidePrefs *sp = &r->prefs[side];
    int32_t n_other = r->inst->n[TM_SIDE_OTHER(side)];
    if (!(r->seen = reader_alloc(r, n_other, sizeof(int32_t), FALSE, "preference scratch",
                                 error)))
        return FALSE;
    for (int32_t a = 0; a < n_other; a++)
        r->seen[a] = -1;
    int64_t pos = 0;
    sp->offsets[0] = 0;
    for (int32_t i = 0; i < r->inst->n[side]; i++) {
        JsonArray *prefs = agent_prefs(r->agents[side], (guint)i);
        guint len = prefs != NULL ? json_array_get_length(prefs) : 0;
        for (guint j = 0; j < len; j++) {
            JsonNode *e = json_array_get_element(prefs, j);
            if (JSON_NODE_HOLDS_ARRAY(e)) {
                if (!read_tie(r, side, i, prefs, j, &pos, error))
                    return FALSE;
                continue;
            }
            if (!read_entry(r, side, i, prefs, e, j, -1, &sp->ids[pos], error))
                return FALSE;
            if (sp->ranks != NULL)
                sp->ranks[pos] = (int32_t)j;
            pos++;
        }
        sp->offsets[i + 1] = (int32_t)pos;
    }
    g_free(r->seen);
    r->seen = NULL;
    return TRUE;
}

/* ---- the instance ------------------------------------------------------- */

/* The "supply" and "demand" members: lists of agents. */
static gboolean
read_side_lists(Reader *r, JsonObject *root, GError **error)
{
    for (int side = 0; side < 2; side++) {
        JsonNode *node = json_object_get_member(root, tm_i_side_names[side]);
        if (node == NULL) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: missing member \"%s\" (a list of agents, may be empty)", r->src,
                        tm_i_side_names[side]);
            return FALSE;
        }
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: member \"%s\" must be a list of agents, got %s", r->src,
                        tm_i_side_names[side], tm_i_json_describe(node));
            return FALSE;
        }
        r->agents[side] = json_node_get_array(node);
        if (json_array_get_length(r->agents[side]) > (guint)INT32_MAX) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many %s agents", r->src,
                        tm_i_side_names[side]);
            return FALSE;
        }
    }
    return TRUE;
}

/* The market from the arrays of both sides (ranks only for sides with a
 * tie: NULL means strict lists). */
static gboolean
build_market(Reader *r, GError **error)
{
    TmInstance *inst = r->inst;
    const SidePrefs *sp = r->prefs;
    GError *err = NULL;
    inst->market = tm_market_new_from_ranked_arrays(
        inst->n[0], inst->n[1], r->caps[0], r->caps[1], sp[0].offsets, sp[0].ids, sp[0].ranks,
        sp[0].total, sp[1].offsets, sp[1].ids, sp[1].ranks, sp[1].total, &err);
    if (inst->market == NULL) {
        g_propagate_prefixed_error(error, err, "%s: ", r->src);
        return FALSE;
    }
    return TRUE;
}

static gboolean
read_instance(Reader *r, JsonObject *root, GError **error)
{
    if (!read_side_lists(r, root, error))
        return FALSE;
    r->inst = tm_i_instance_new();
    for (int side = 0; side < 2; side++) {
        int32_t n = (int32_t)json_array_get_length(r->agents[side]);
        r->inst->n[side] = n;
        if (!(r->inst->names[side] = reader_alloc(r, (int64_t)n + 1, sizeof(char *), TRUE,
                                                  "agent names", error))
            || !(r->caps[side] = reader_alloc(r, n, sizeof(int32_t), FALSE, "capacities",
                                              error)))
            return FALSE;
    }
    for (int side = 0; side < 2; side++)
        if (!read_side_headers(r, (TmSide)side, error))
            return FALSE;
    for (int side = 0; side < 2; side++)
        if (!read_side_prefs(r, (TmSide)side, error))
            return FALSE;
    return build_market(r, error) && tm_i_instance_read_groups(r->inst, root, r->src, error);
}

static TmInstance *
instance_from_root(JsonObject *root, const char *src, GError **error)
{
    Reader r = {.src = src};
    gboolean ok = read_instance(&r, root, error);
    g_free(r.seen);
    for (int side = 0; side < 2; side++) {
        g_free(r.caps[side]);
        g_free(r.prefs[side].offsets);
        g_free(r.prefs[side].ids);
        g_free(r.prefs[side].ranks);
    }
    if (!ok) {
        tm_instance_free(r.inst);
        return NULL;
    }
    return r.inst;
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
    JsonParser *parser = tm_i_json_parse(data, len, src, TM_I_DOC_INSTANCE, error);
    if (parser == NULL)
        return NULL;
    TmInstance *inst =
        instance_from_root(json_node_get_object(json_parser_get_root(parser)), src, error);
    g_object_unref(parser);
    return inst;
}

TmInstance *
tm_instance_load_json_file(const char *path, GError **error)
{
    if (path == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_instance_load_json_file: path is NULL");
        return NULL;
    }
    gsize len = 0;
    char *data = tm_i_json_read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmInstance *inst = tm_instance_load_json_data(data, (gssize)len, path, error);
    g_free(data);
    return inst;
}
