/* techmatch — reading matching documents {"pairs": [[supply, demand], ...]}
 * (other members ignored) into a TmMatching on an instance's market, as the
 * strict streaming reader (json_stream.c) hands over the events.
 *
 * Pairs are checked in file order; the first pair at fault is reported,
 * whether it is malformed, names an unknown agent or repeats an earlier
 * pair (a repeat before a malformed pair wins).  Names are looked up as
 * they come; repeats are found by sorting at the end, so memory stays a few
 * arrays of pairs. */
#include <stdlib.h>
#include <string.h>

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

typedef struct {
    const TmInstance *inst;
    const char *src;
    int depth;                  /* open lists and objects */
    gboolean key_pairs;         /* the root's current member is "pairs" */
    gboolean has_pairs, in_pairs, in_pair;
    int64_t pair;               /* pairs started */
    int n_elems;                /* in the open pair */
    gboolean non_string;
    int unknown_side;           /* -1, or the first name of the pair that is unknown */
    char *unknown_name;
    TmIVecI32 ids[2];           /* the good pairs so far */
    gboolean bad_pair;          /* the error is about pairs[pair - 1] */
} Reader;

static gboolean
bad_pair(Reader *r, const char *got, GError **error)
{
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                "%s: pairs[%" G_GINT64_FORMAT "]: must be a pair [supply name, demand name] of "
                "two strings, got %s",
                r->src, r->pair - 1, got);
    r->bad_pair = TRUE;
    return FALSE;
}

static gboolean
pair_finish(Reader *r, GError **error)
{
    r->in_pair = FALSE;
    if (r->n_elems != 2)
        return bad_pair(r, "a list of another length", error);
    if (r->non_string)
        return bad_pair(r, "a list of non-strings", error);
    if (r->unknown_side >= 0) {
        GString *q = g_string_new(NULL);
        tm_i_json_append_quoted(q, r->unknown_name);
        g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                    "%s: pairs[%" G_GINT64_FORMAT "]: unknown %s agent %s", r->src, r->pair - 1,
                    tm_i_side_names[r->unknown_side], q->str);
        g_string_free(q, TRUE);
        r->bad_pair = TRUE;
        return FALSE;
    }
    return TRUE;
}

static gboolean
on_begin(void *ctx, TmIJsonKind kind, GError **error)
{
    Reader *r = ctx;
    const char *got = tm_i_json_kind_describe(kind, FALSE);
    r->depth++; /* depth 1: the root, an object (the reader lets only that through) */
    if (r->depth == 2 && r->key_pairs) {
        if (kind != TM_I_JSON_ARRAY) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: member \"pairs\" must be a list of [supply, demand] name pairs, "
                        "got %s",
                        r->src, got);
            return FALSE;
        }
        r->has_pairs = r->in_pairs = TRUE;
    } else if (r->depth == 3 && r->in_pairs) {
        r->pair++;
        if (kind != TM_I_JSON_ARRAY)
            return bad_pair(r, got, error);
        r->in_pair = TRUE;
        r->n_elems = 0;
        r->non_string = FALSE;
        r->unknown_side = -1;
    } else if (r->depth == 4 && r->in_pair) {
        r->n_elems++;
        r->non_string = TRUE;
    }
    return TRUE;
}

static gboolean
on_key(void *ctx, const char *key, size_t len, GError **error)
{
    Reader *r = ctx;
    (void)len;
    (void)error;
    if (r->depth == 1)
        r->key_pairs = strcmp(key, "pairs") == 0;
    return TRUE;
}

static gboolean
pair_name(Reader *r, const TmIJsonValue *v, GError **error)
{
    int side = r->n_elems++;
    if (v->kind != TM_I_JSON_STRING) {
        r->non_string = TRUE;
        return TRUE;
    }
    if (side > 1)
        return TRUE;
    int32_t id = -1;
    if (tm_i_instance_lookup_id(r->inst, (TmSide)side, v->text, v->len, &id)) {
        TmIVecI32 *vec = &r->ids[side];
        if (!TM_I_VEC_RESERVE(vec, 1, "matching pairs", error)) {
            g_prefix_error(error, "%s: ", r->src);
            return FALSE;
        }
        vec->v[r->pair - 1] = id; /* both vectors hold one slot per good pair + 1 */
        return TRUE;
    }
    if (r->unknown_side < 0) {
        r->unknown_side = side;
        g_free(r->unknown_name);
        if (!(r->unknown_name = tm_i_try_alloc((int64_t)v->len + 1, 1, FALSE, "names", error))) {
            g_prefix_error(error, "%s: ", r->src);
            return FALSE;
        }
        memcpy(r->unknown_name, v->text, v->len + 1);
    }
    return TRUE;
}

static gboolean
on_scalar(void *ctx, const TmIJsonValue *v, GError **error)
{
    Reader *r = ctx;
    if (r->depth == 1 && r->key_pairs) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: member \"pairs\" must be a list of [supply, demand] name pairs, got %s",
                    r->src, tm_i_json_describe(v));
        return FALSE;
    }
    if (r->depth == 2 && r->in_pairs) {
        r->pair++;
        return bad_pair(r, tm_i_json_describe(v), error);
    }
    if (r->depth == 3 && r->in_pair)
        return pair_name(r, v, error);
    return TRUE;
}

static gboolean
on_end(void *ctx, TmIJsonKind kind, GError **error)
{
    Reader *r = ctx;
    (void)kind;
    int depth = r->depth--;
    if (depth == 3 && r->in_pair) {
        if (!pair_finish(r, error))
            return FALSE;
        r->ids[0].n = r->ids[1].n = r->pair;
    } else if (depth == 2 && r->in_pairs) {
        r->in_pairs = FALSE;
    } else if (depth == 1 && !r->has_pairs) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: missing member \"pairs\" (a list of [supply, demand] name pairs)",
                    r->src);
        return FALSE;
    }
    return TRUE;
}

static char *
on_where(void *ctx, gboolean in_key)
{
    const Reader *r = ctx;
    if (r->in_pair && r->depth == 3 && !in_key && r->n_elems < 2)
        return g_strdup_printf("pairs[%" G_GINT64_FORMAT "]: %s name", r->pair - 1,
                               tm_i_side_names[r->n_elems]);
    if (r->in_pair)
        return g_strdup_printf("pairs[%" G_GINT64_FORMAT "]", r->pair - 1);
    if (r->in_pairs && r->depth == 2)
        return g_strdup_printf("pairs[%" G_GINT64_FORMAT "]", r->pair);
    return NULL;
}

static const TmIJsonHandler handler = {on_scalar, on_begin, on_key, on_end, on_where};

/* The stream has ended, well or with @err: the matching, or the first fault. */
static TmMatching *
finish(Reader *r, gboolean read, GError *err, GError **error)
{
    if (!read && !r->bad_pair) {
        g_propagate_error(error, err);
        return NULL;
    }
    int32_t n = (int32_t)r->ids[0].n, first = -1;
    int32_t *ids[2] = {r->ids[0].v, r->ids[1].v};
    PairKey *keys = tm_i_try_alloc(n, sizeof(PairKey), FALSE, "matching pairs", error);
    if (keys == NULL) {
        g_prefix_error(error, "%s: ", r->src);
        g_clear_error(&err);
        return NULL;
    }
    int64_t repeat = first_repeat(ids, n, keys, &first);
    g_free(keys);
    if (repeat >= 0) {
        g_clear_error(&err); /* a later pair */
        set_repeat_error(r->inst, ids, repeat, first, r->src, error);
        return NULL;
    }
    if (!read) {
        g_propagate_error(error, err);
        return NULL;
    }
    TmMatching *matching = tm_matching_new_from_pairs(r->inst->market, ids[0], ids[1], n, &err);
    if (matching == NULL)
        g_propagate_prefixed_error(error, err, "%s: ", r->src);
    return matching;
}

static TmMatching *
load(const TmInstance *inst, const char *src, const char *data, gssize len, const char *path,
     GError **error)
{
    Reader r = {.inst = inst, .src = src, .unknown_side = -1};
    GError *err = NULL;
    gboolean read = path != NULL ? tm_i_json_read_file(path, &handler, &r, &err)
                                 : tm_i_json_read_data(data, len, src, &handler, &r, &err);
    TmMatching *m = finish(&r, read, err, error);
    g_free(r.unknown_name);
    tm_i_vec_clear(&r.ids[0]);
    tm_i_vec_clear(&r.ids[1]);
    return m;
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
    return load(instance, src, data, len, NULL, error);
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
    return load(instance, path, NULL, -1, path, error);
}
