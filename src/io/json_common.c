/* techmatch — what the JSON readers share: quoting, node descriptions,
 * located error messages and counts.
 *
 * Every error message starts with the source name and names the side (or
 * "groups"), the entry's index and name, and the field at fault, e.g.
 *
 *   inst.json: supply[3] "张三": field "capacity": must be an integer >= 0, got "two"
 *   inst.json: demand[0] "s1": prefs[2]: unknown supply agent "c9"
 */
#include <stdarg.h>
#include <string.h>

#include "io/instance_private.h"

const char *const tm_i_side_names[2] = {"supply", "demand"};

const char *
tm_i_json_source(const char *source_name)
{
    return source_name != NULL ? source_name : "<input>";
}

void
tm_i_json_append_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            g_string_append_c(out, '\\');
            g_string_append_c(out, (char)*p);
        } else if (*p < 0x20 || *p == 0x7f) {
            g_string_append_printf(out, "\\u%04x", (unsigned)*p);
        } else {
            g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

const char *
tm_i_json_describe(JsonNode *node)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT:
        return "an object";
    case JSON_NODE_ARRAY:
        return "a list";
    case JSON_NODE_NULL:
        return "null";
    case JSON_NODE_VALUE:
    default:
        break;
    }
    GType t = json_node_get_value_type(node);
    if (t == G_TYPE_STRING)
        return "a string";
    if (t == G_TYPE_BOOLEAN)
        return "a boolean";
    if (t == G_TYPE_INT64)
        return "an integer";
    return "a number";
}

gboolean
tm_i_json_is_string(JsonNode *node)
{
    return node != NULL && JSON_NODE_HOLDS_VALUE(node)
           && json_node_get_value_type(node) == G_TYPE_STRING;
}

static void
set_item_error_v(GError **error, int code, const char *src, const char *list, guint i,
                 const char *name, const char *where, const char *fmt, va_list ap)
{
    GString *msg = g_string_new(NULL);
    g_string_append_printf(msg, "%s: %s[%u]", src, list, i);
    if (name != NULL) {
        g_string_append_c(msg, ' ');
        tm_i_json_append_quoted(msg, name);
    }
    g_string_append(msg, ": ");
    if (where != NULL) {
        g_string_append(msg, where);
        g_string_append(msg, ": ");
    }
    g_string_append_vprintf(msg, fmt, ap);
    g_set_error_literal(error, TM_ERROR, code, msg->str);
    g_string_free(msg, TRUE);
}

void
tm_i_json_item_error(GError **error, int code, const char *src, const char *list, guint i,
                     const char *name, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_item_error_v(error, code, src, list, i, name, where, fmt, ap);
    va_end(ap);
}

void
tm_i_json_agent_error(GError **error, int code, const char *src, TmSide side, guint i,
                      const char *name, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_item_error_v(error, code, src, tm_i_side_names[side], i, name, where, fmt, ap);
    va_end(ap);
}

void
tm_i_json_group_error(GError **error, int code, const char *src, guint i, const char *name,
                      const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_item_error_v(error, code, src, "groups", i, name, where, fmt, ap);
    va_end(ap);
}

gboolean
tm_i_json_read_name(JsonObject *obj, const char *src, const char *list, const char *noun,
                    guint i, GHashTable *index, char **slot, GError **error)
{
    JsonNode *node = json_object_get_member(obj, "name");
    const char *field = "field \"name\"";
    if (node == NULL) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "missing (every %s needs a name)", noun);
        return FALSE;
    }
    if (!tm_i_json_is_string(node)) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "must be a string, got %s", tm_i_json_describe(node));
        return FALSE;
    }
    const char *name = json_node_get_string(node);
    if (name[0] == '\0') {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "must not be empty");
        return FALSE;
    }
    gpointer other;
    if (g_hash_table_lookup_extended(index, name, NULL, &other)) {
        tm_i_json_item_error(error, TM_ERROR_DUPLICATE, src, list, i, name, field,
                             "duplicate name, already used by %s[%d]", list,
                             GPOINTER_TO_INT(other));
        return FALSE;
    }
    if (!(*slot = tm_i_json_strdup(name, "names", error))) {
        g_prefix_error(error, "%s: ", src);
        return FALSE;
    }
    g_hash_table_insert(index, *slot, GINT_TO_POINTER((int)i));
    return TRUE;
}

/* The reason a non-integer number is refused as a count. */
static char *
double_count_reason(double v)
{
    gboolean integral = v > -1e15 && v < 1e15 && v == (double)(gint64)v;
    char num[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(num, sizeof num, "%g", v);
    return g_strdup_printf("must be an integer >= 0, got %s%s", num,
                           integral ? " (write integers without a decimal point or exponent)"
                                    : "");
}

int
tm_i_json_read_count(JsonNode *node, int32_t *out, char **reason)
{
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64) {
        gint64 v = json_node_get_int(node);
        if (v < 0) {
            /* INT64_MIN also stands for literals clamped by the prescan */
            *reason = v == G_MININT64
                          ? g_strdup("must be an integer >= 0, got a negative number")
                          : g_strdup_printf("must be an integer >= 0, got %" G_GINT64_FORMAT, v);
            return TM_ERROR_NEGATIVE_CAPACITY;
        }
        if (v > INT32_MAX) {
            *reason = g_strdup_printf("too large (at most %d)", (int)INT32_MAX);
            return TM_ERROR_OVERFLOW;
        }
        *out = (int32_t)v;
        return 0;
    }
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_DOUBLE) {
        *reason = double_count_reason(json_node_get_double(node));
        return TM_ERROR_PARSE;
    }
    *reason = g_strdup_printf("must be an integer >= 0, got %s", tm_i_json_describe(node));
    return TM_ERROR_PARSE;
}

char *
tm_i_json_strdup(const char *s, const char *what, GError **error)
{
    size_t n = strlen(s) + 1;
    char *copy = tm_i_try_alloc((int64_t)n, 1, FALSE, what, error);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}
