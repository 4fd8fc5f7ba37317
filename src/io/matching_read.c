/* techmatch — reading matching documents {"pairs": [[supply, demand], ...]}
 * (other members ignored) into a TmMatching on an instance's market.
 *
 * Pairs are checked in file order; the first pair at fault is reported,
 * whether it is malformed, names an unknown agent or repeats an earlier
 * pair.  Repeats are found by sorting, so memory stays a few arrays. */
#include <stdlib.h>

#include "io/instance_private.h"

/* A pair as one key (supply id << 32 | demand id) and its index in the file. */
typedef struct {
    gint64 key;
    int32_t index;
} PairKey;

static int
compare_pair_keys(const void *a, const void *b)
{
    const PairKey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Reads pairs[@i] into ids[0][i], ids[1][i]. */
static gboolean
read_pair(const TmInstance *inst, JsonArray *pairs, guint i, const char *src, int32_t *ids[2],
          GError **error)
{
    JsonNode *p = json_array_get_element(pairs, i);
    JsonArray *pa = JSON_NODE_HOLDS_ARRAY(p) ? json_node_get_array(p) : NULL;
    if (pa == NULL || json_array_get_length(pa) != 2
        || !tm_i_json_is_string(json_array_get_element(pa, 0))
        || !tm_i_json_is_string(json_array_get_element(pa, 1))) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: pairs[%u]: must be a pair [supply name, demand name] of two strings, "
                    "got %s",
                    src, i,
                    pa == NULL ? tm_i_json_describe(p)
                               : (json_array_get_length(pa) != 2 ? "a list of another length"
                                                                 : "a list of non-strings"));
        return FALSE;
    }
    for (int side = 0; side < 2; side++) {
        const char *name = json_node_get_string(json_array_get_element(pa, (guint)side));
        if (!tm_i_instance_lookup_id(inst->index[side], name, &ids[side][i])) {
            GString *q = g_string_new(NULL);
            tm_i_json_append_quoted(q, name);
            g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                        "%s: pairs[%u]: unknown %s agent %s", src, i, tm_i_side_names[side],
                        q->str);
            g_string_free(q, TRUE);
            return FALSE;
        }
    }
    return TRUE;
}

/* Among the first @n pairs, the first that repeats an earlier one: its
 * index, with the earlier one's in *@first; -1 when there is none.  Sorts
 * @keys (filled here). */
static int64_t
first_repeat(int32_t *const ids[2], int32_t n, PairKey *keys, int32_t *first)
{
    for (int32_t i = 0; i < n; i++)
        keys[i] = (PairKey){((gint64)ids[0][i] << 32) | (gint64)(guint32)ids[1][i], i};
    qsort(keys, (size_t)n, sizeof *keys, compare_pair_keys);
    int64_t repeat = -1;
    for (int32_t k = 1; k < n; k++) {
        /* runs of equal keys are in file order: their second is a repeat */
        gboolean second = keys[k].key == keys[k - 1].key
                          && (k == 1 || keys[k - 2].key != keys[k].key);
        if (second && (repeat < 0 || keys[k].index < repeat)) {
            repeat = keys[k].index;
            *first = keys[k - 1].index;
        }
    }
    return repeat;
}

static void
set_repeat_error(const TmInstance *inst, int32_t *const ids[2], int64_t i, int32_t first,
                 const char *src, GError **error)
{
    GString *q = g_string_new("[");
    tm_i_json_append_quoted(q, inst->names[0][ids[0][i]]);
    g_string_append(q, ", ");
    tm_i_json_append_quoted(q, inst->names[1][ids[1][i]]);
    g_string_append_c(q, ']');
    g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                "%s: pairs[%" G_GINT64_FORMAT "]: pair %s is listed twice (also pairs[%d])", src,
                i, q->str, first);
    g_string_free(q, TRUE);
}

/* The pairs of @pairs (@n of them) into a matching on the instance. */
static TmMatching *
read_pairs(const TmInstance *inst, JsonArray *pairs, int32_t n, const char *src,
           int32_t *ids[2], PairKey *keys, GError **error)
{
    GError *bad = NULL;
    int32_t valid = 0;
    while (valid < n && read_pair(inst, pairs, (guint)valid, src, ids, &bad))
        valid++;
    int32_t first = -1;
    int64_t repeat = first_repeat(ids, valid, keys, &first);
    if (repeat >= 0) {
        g_clear_error(&bad); /* a later pair */
        set_repeat_error(inst, ids, repeat, first, src, error);
        return NULL;
    }
    if (bad != NULL) {
        g_propagate_error(error, bad);
        return NULL;
    }
    GError *err = NULL;
    TmMatching *matching = tm_matching_new_from_pairs(inst->market, ids[0], ids[1], n, &err);
    if (matching == NULL)
        g_propagate_prefixed_error(error, err, "%s: ", src);
    return matching;
}

static TmMatching *
matching_from_root(const TmInstance *inst, JsonObject *root, const char *src, GError **error)
{
    JsonNode *node = json_object_get_member(root, "pairs");
    if (node == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: missing member \"pairs\" (a list of [supply, demand] name pairs)", src);
        return NULL;
    }
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: member \"pairs\" must be a list of [supply, demand] name pairs, got %s",
                    src, tm_i_json_describe(node));
        return NULL;
    }
    JsonArray *pairs = json_node_get_array(node);
    guint n = json_array_get_length(pairs);
    if (n > (guint)INT32_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many pairs", src);
        return NULL;
    }
    int32_t *ids[2] = {NULL, NULL};
    PairKey *keys = NULL;
    TmMatching *matching = NULL;
    if ((ids[0] = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error))
        && (ids[1] = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "matching pairs", error))
        && (keys = tm_i_try_alloc(n, sizeof(PairKey), FALSE, "matching pairs", error)))
        matching = read_pairs(inst, pairs, (int32_t)n, src, ids, keys, error);
    else
        g_prefix_error(error, "%s: ", src);
    g_free(keys);
    g_free(ids[0]);
    g_free(ids[1]);
    return matching;
}

TmMatching *
tm_instance_load_matching_json_data(const TmInstance *instance, const char *data, gssize len,
                                    const char *source_name, GError **error)
{
    const char *src = tm_i_json_source(source_name);
    if (instance == NULL || data == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", src,
                    instance == NULL ? "instance" : "data");
        return NULL;
    }
    JsonParser *parser = tm_i_json_parse(data, len, src, TM_I_DOC_MATCHING, error);
    if (parser == NULL)
        return NULL;
    TmMatching *m = matching_from_root(instance, json_node_get_object(json_parser_get_root(parser)),
                                       src, error);
    g_object_unref(parser);
    return m;
}

TmMatching *
tm_instance_load_matching_json_file(const TmInstance *instance, const char *path,
                                    GError **error)
{
    if (instance == NULL || path == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_instance_load_matching_json_file: %s is NULL",
                    instance == NULL ? "instance" : "path");
        return NULL;
    }
    gsize len = 0;
    char *data = tm_i_json_read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmMatching *m = tm_instance_load_matching_json_data(instance, data, (gssize)len, path, error);
    g_free(data);
    return m;
}
