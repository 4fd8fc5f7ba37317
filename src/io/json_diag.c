/* techmatch — where invalid UTF-8 is.
 *
 * json-glib rejects non-UTF-8 input without saying where.  We report the
 * line and column of the first bad byte and, when it can be told, the agent
 * (or pair) and field: the bytes are replaced by U+FFFD, the repaired text
 * is parsed, and the first name holding U+FFFD is the one at fault — which
 * is only sound when the input had no U+FFFD of its own (raw or escaped).
 */
#include <string.h>

#include "io/instance_private.h"

#define REPLACEMENT_CHAR "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

static gboolean
has_replacement(const char *s)
{
    return strstr(s, REPLACEMENT_CHAR) != NULL;
}

/* TRUE if the JSON text spells U+FFFD as an escape (\\uFFFD, any case). */
static gboolean
has_escaped_replacement(const char *data, gsize len)
{
    for (gsize i = 0; i + 6 <= len; i++)
        if (data[i] == '\\' && (data[i + 1] == 'u' || data[i + 1] == 'U')
            && g_ascii_strncasecmp(data + i + 2, "fffd", 4) == 0)
            return TRUE;
    return FALSE;
}

/* @data (@len bytes, no NUL) with each byte that is not part of valid UTF-8
 * replaced by U+FFFD, like g_utf8_make_valid() but through tm_i_try_alloc();
 * NULL when out of memory. */
static char *
make_valid(const char *data, gsize len)
{
    gsize bad = 0;
    for (const char *p = data, *end; !g_utf8_validate_len(p, len - (gsize)(p - data), &end);
         p = end + 1)
        bad++;
    char *out = tm_i_try_alloc((int64_t)len + 2 * (int64_t)bad + 1, 1, FALSE, "UTF-8 repair",
                               NULL);
    if (out == NULL)
        return NULL;
    char *o = out;
    const char *p = data, *end;
    while (!g_utf8_validate_len(p, len - (gsize)(p - data), &end)) {
        memcpy(o, p, (gsize)(end - p));
        o += end - p;
        memcpy(o, REPLACEMENT_CHAR, 3);
        o += 3;
        p = end + 1;
    }
    memcpy(o, p, len - (gsize)(p - data));
    o += len - (gsize)(p - data);
    *o = '\0';
    return out;
}

/* If array @arr holds a string with U+FFFD, appends `LABEL[j] "text"` to
 * @where and returns TRUE. */
static gboolean
bad_string_in(JsonNode *arr, const char *label, GString *where)
{
    if (arr == NULL || !JSON_NODE_HOLDS_ARRAY(arr))
        return FALSE;
    JsonArray *a = json_node_get_array(arr);
    for (guint j = 0; j < json_array_get_length(a); j++) {
        JsonNode *e = json_array_get_element(a, j);
        if (tm_i_json_is_string(e) && has_replacement(json_node_get_string(e))) {
            g_string_append_printf(where, "%s[%u] ", label, j);
            tm_i_json_append_quoted(where, json_node_get_string(e));
            return TRUE;
        }
    }
    return FALSE;
}

/* Looks through the objects of member @list of @obj (agents or groups) for a
 * bad "name" or a bad string in array @field; on a hit @where names the
 * entry and field and TRUE is returned. */
static gboolean
bad_named_entry(JsonObject *obj, const char *list, const char *field, GString *where)
{
    JsonNode *arr = json_object_get_member(obj, list);
    if (arr == NULL || !JSON_NODE_HOLDS_ARRAY(arr))
        return FALSE;
    JsonArray *a = json_node_get_array(arr);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *entry = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_OBJECT(entry))
            continue;
        JsonObject *eo = json_node_get_object(entry);
        JsonNode *name = json_object_get_member(eo, "name");
        const char *nm = tm_i_json_is_string(name) ? json_node_get_string(name) : NULL;
        g_string_printf(where, "%s[%u]", list, i);
        if (nm != NULL) {
            g_string_append_c(where, ' ');
            tm_i_json_append_quoted(where, nm);
            if (has_replacement(nm)) {
                g_string_append(where, ": field \"name\"");
                return TRUE;
            }
        }
        gsize before = where->len;
        g_string_append(where, ": ");
        if (bad_string_in(json_object_get_member(eo, field), field, where))
            return TRUE;
        g_string_truncate(where, before);
    }
    return FALSE;
}

/* In a matching document: `pairs[i]: demand name "s\uFFFD"`. */
static gboolean
bad_pair(JsonObject *obj, GString *where)
{
    JsonNode *pairs = json_object_get_member(obj, "pairs");
    if (pairs == NULL || !JSON_NODE_HOLDS_ARRAY(pairs))
        return FALSE;
    JsonArray *a = json_node_get_array(pairs);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *p = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_ARRAY(p))
            continue;
        JsonArray *pa = json_node_get_array(p);
        for (guint k = 0; k < json_array_get_length(pa) && k < 2; k++) {
            JsonNode *e = json_array_get_element(pa, k);
            if (tm_i_json_is_string(e) && has_replacement(json_node_get_string(e))) {
                g_string_printf(where, "pairs[%u]: %s name ", i, tm_i_side_names[k]);
                tm_i_json_append_quoted(where, json_node_get_string(e));
                return TRUE;
            }
        }
    }
    return FALSE;
}

/* In an instance: agents (name, prefs), groups (name, members), priority. */
static gboolean
bad_instance_entry(JsonObject *obj, GString *where)
{
    for (int side = 0; side < 2; side++)
        if (bad_named_entry(obj, tm_i_side_names[side], "prefs", where))
            return TRUE;
    if (bad_named_entry(obj, "groups", "members", where))
        return TRUE;
    g_string_truncate(where, 0);
    return bad_string_in(json_object_get_member(obj, "priority"), "priority", where);
}

/* In a repaired document, the first name holding U+FFFD, described as e.g.
 * `supply[1] "张\uFFFD": field "name"`, or NULL. */
static char *
locate_replacement(JsonNode *root, TmIDocKind kind)
{
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
        return NULL;
    JsonObject *obj = json_node_get_object(root);
    GString *where = g_string_new(NULL);
    gboolean found = kind == TM_I_DOC_MATCHING ? bad_pair(obj, where)
                                               : bad_instance_entry(obj, where);
    return g_string_free(where, !found);
}

/* Repairs, prescans and parses @data to find the entry at fault; NULL when
 * that cannot be told. */
static char *
locate_bad_utf8(const char *data, gsize len, const char *src, TmIDocKind kind)
{
    if (memchr(data, '\0', len) != NULL
        || g_strstr_len(data, (gssize)len, REPLACEMENT_CHAR) != NULL
        || has_escaped_replacement(data, len))
        return NULL;
    char *fixed = make_valid(data, len);
    if (fixed == NULL)
        return NULL;
    char *where = NULL, *clamped = NULL;
    gsize clamped_len = 0;
    if (tm_i_json_prescan(fixed, strlen(fixed), src, &clamped, &clamped_len, NULL)) {
        JsonParser *parser = json_parser_new();
        if (json_parser_load_from_data(parser, clamped != NULL ? clamped : fixed, -1, NULL))
            where = locate_replacement(json_parser_get_root(parser), kind);
        g_object_unref(parser);
    }
    g_free(clamped);
    g_free(fixed);
    return where;
}

void
tm_i_json_set_utf8_error(const char *data, gsize len, const char *src, TmIDocKind kind,
                         GError **error)
{
    const char *end = NULL;
    g_utf8_validate_len(data, len, &end);
    gsize line;
    glong column;
    tm_i_json_line_column(data, (gsize)(end - data), &line, &column);
    unsigned byte = (unsigned char)*end;

    if (byte == 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GSIZE_FORMAT ":%ld: contains a NUL byte; the file must be UTF-8 "
                    "JSON text",
                    src, line, column);
        return;
    }
    char *where = locate_bad_utf8(data, len, src, kind);
    if (where != NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: %s: not valid UTF-8 (byte 0x%02X at line %" G_GSIZE_FORMAT
                    ", column %ld; shown as U+FFFD)",
                    src, where, byte, line, column);
    else
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GSIZE_FORMAT ":%ld: not valid UTF-8 (byte 0x%02X); names and the "
                    "whole file must be UTF-8",
                    src, line, column, byte);
    g_free(where);
}
