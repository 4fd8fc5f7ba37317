/* techmatch — named instances and the neutral JSON format (DESIGN §6).
 *
 * Loading goes: bytes -> UTF-8 check -> clamp out-of-range integer literals
 * -> json-glib parse -> strict validation (names, capacities, preference
 * lists) -> integer ids -> tm_market_new_from_arrays().  Every error message
 * starts with the source name and names the side, agent index and name, and
 * the field at fault, e.g.
 *
 *   inst.json: supply[3] "张三": field "capacity": must be an integer >= 0, got "two"
 *   inst.json: demand[0] "s1": prefs[2]: unknown supply agent "c9"
 *
 * Choices made here (documented for users in instance.h and the README):
 *   - "capacity" is optional (default 1); it must be a JSON integer literal
 *     (2.0 is refused) in [0, INT32_MAX].
 *   - "prefs" is optional (default: an empty list, the agent accepts nobody).
 *   - Names must be non-empty strings, unique within their side.
 *   - Unknown members are ignored.
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
 *   - Nesting deeper than 128 levels is refused before parsing (json-glib
 *     recurses per level and would overflow the stack).
 *   - json-glib silently wraps integer literals outside int64 (e.g.
 *     -99999999999999999999 reads as 1), so before parsing such literals are
 *     clamped to INT64_MIN / INT64_MAX; they are then refused as negative or
 *     too large like any other out-of-range capacity.
 *   - json-glib rejects non-UTF-8 input without saying where; we check first
 *     and report line, column and (when it can be told) the agent and field.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "io/json_util.h"
#include <techmatch/groups.h>
#include <techmatch/instance.h>
#include <techmatch/matching.h>

struct TmInstance {
    TmMarket *market;
    int32_t n[2];
    char **names[2];        /* n[side] + 1 entries, NULL terminated, owned */
    GHashTable *index[2];   /* name (borrowed from names) -> GINT_TO_POINTER(id) */
    TmGroups *groups;       /* NULL when the document has no "groups" */
    char **group_names;     /* tm_groups_n(groups) + 1 entries, NULL terminated, owned */
};

static const char *const side_names[2] = {"supply", "demand"};

#define REPLACEMENT_CHAR "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* ---- small helpers ------------------------------------------------------ */

static const char *
source_or_default(const char *source_name)
{
    return source_name != NULL ? source_name : "<input>";
}

/* Appends @s (valid UTF-8) as a double-quoted string, escaping only what
 * would confuse a reader: quote, backslash and control characters.  Non-ASCII
 * text such as Chinese names is kept as is. */
static void
append_quoted(GString *out, const char *s)
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

static const char *
describe_node(JsonNode *node)
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

static gboolean
node_is_string(JsonNode *node)
{
    return node != NULL && JSON_NODE_HOLDS_VALUE(node)
           && json_node_get_value_type(node) == G_TYPE_STRING;
}

/* Sets @error to "<src>: <list>[<i>] "<name>": <where>: <message>", where
 * <list> is "supply", "demand" or "groups".  @name and @where may be NULL. */
static void
set_item_error_v(GError **error, int code, const char *src, const char *list, guint i,
                 const char *name, const char *where, const char *fmt, va_list ap)
{
    GString *msg = g_string_new(NULL);
    g_string_append_printf(msg, "%s: %s[%u]", src, list, i);
    if (name != NULL) {
        g_string_append_c(msg, ' ');
        append_quoted(msg, name);
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

G_GNUC_PRINTF(8, 9)
static void
set_agent_error(GError **error, int code, const char *src, TmSide side, guint i,
                const char *name, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_item_error_v(error, code, src, side_names[side], i, name, where, fmt, ap);
    va_end(ap);
}

/* As set_agent_error() for groups[<i>]. */
G_GNUC_PRINTF(7, 8)
static void
set_group_error(GError **error, int code, const char *src, guint i, const char *name,
                const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_item_error_v(error, code, src, "groups", i, name, where, fmt, ap);
    va_end(ap);
}

/* Reads a whole file.  Errors: TM_ERROR_IO naming @path with strerror. */
static char *
read_file(const char *path, gsize *len_out, GError **error)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot open: %s", path, g_strerror(e));
        return NULL;
    }
    gsize cap = 65536, len = 0;
    char *buf = g_try_malloc(cap + 1);
    if (buf == NULL) {
        close(fd);
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "%s: out of memory", path);
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            if (cap > G_MAXSSIZE / 2) {
                g_free(buf);
                close(fd);
                g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: file too large", path);
                return NULL;
            }
            cap *= 2;
            char *nb = g_try_realloc(buf, cap + 1);
            if (nb == NULL) {
                g_free(buf);
                close(fd);
                g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "%s: out of memory reading file",
                            path);
                return NULL;
            }
            buf = nb;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            g_free(buf);
            close(fd);
            g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read: %s", path, g_strerror(e));
            return NULL;
        }
        if (r == 0)
            break;
        len += (gsize)r;
    }
    close(fd);
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

/* ---- integer literals outside int64 ---------------------------------- */

static gboolean
digits_fit_int64(const char *d, gsize n, gboolean negative)
{
    while (n > 1 && *d == '0') {
        d++;
        n--;
    }
    if (n < 19)
        return TRUE;
    if (n > 19)
        return FALSE;
    return memcmp(d, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* Where byte @offset of @data is, as a 1-based line and column (in
 * characters; @data must be valid UTF-8 up to @offset). */
static void
line_column(const char *data, gsize offset, gsize *line, glong *column)
{
    const char *line_start = data;
    *line = 1;
    for (const char *p = data; p < data + offset; p++) {
        if (*p == '\n') {
            (*line)++;
            line_start = p + 1;
        }
    }
    *column = g_utf8_strlen(line_start, data + offset - line_start) + 1;
}

/* Deeper nesting is refused before parsing: json-glib's parser recurses
 * once per level and would overflow the stack on, say, a million '['.  The
 * format itself needs at most 5 levels. */
#define MAX_NESTING 128

/* One pass over the JSON text before json-glib sees it:
 *  - refuses nesting deeper than MAX_NESTING (TM_ERROR_PARSE);
 *  - copies @data into *@fixed with every integer literal outside int64
 *    replaced by INT64_MIN / INT64_MAX (*@fixed stays NULL when there is
 *    none).
 * Strings are skipped; text that is not JSON is left to the parser to refuse. */
static gboolean
prescan(const char *data, gsize len, const char *src, char **fixed, gsize *fixed_len,
        GError **error)
{
    GString *out = NULL;
    gsize copied = 0, i = 0;
    int depth = 0;
    *fixed = NULL;
    while (i < len) {
        char c = data[i];
        if (c == '"') {
            for (i++; i < len && data[i] != '"'; i++)
                if (data[i] == '\\')
                    i++;
            i++;
        } else if (c == '[' || c == '{') {
            if (++depth > MAX_NESTING) {
                gsize line;
                glong column;
                line_column(data, i, &line, &column);
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s:%" G_GSIZE_FORMAT ":%ld: lists and objects nested more than %d "
                            "deep",
                            src, line, column, MAX_NESTING);
                if (out != NULL)
                    g_string_free(out, TRUE);
                return FALSE;
            }
            i++;
        } else if (c == ']' || c == '}') {
            depth--;
            i++;
        } else if (g_ascii_isalpha(c) || c == '_') {
            while (i < len && (g_ascii_isalnum(data[i]) || data[i] == '_'))
                i++;
        } else if (c == '-' || g_ascii_isdigit(c)) {
            gsize start = i;
            gboolean negative = (c == '-');
            if (negative)
                i++;
            gsize dstart = i;
            while (i < len && g_ascii_isdigit(data[i]))
                i++;
            gsize dend = i;
            gboolean integer = !(i < len && (data[i] == '.' || data[i] == 'e' || data[i] == 'E'));
            while (i < len && (g_ascii_isalnum(data[i]) || data[i] == '.' || data[i] == '+'
                               || data[i] == '-'))
                i++;
            if (integer && dend > dstart
                && !digits_fit_int64(data + dstart, dend - dstart, negative)) {
                if (out == NULL)
                    out = g_string_sized_new(len + 32);
                g_string_append_len(out, data + copied, (gssize)(start - copied));
                g_string_append(out, negative ? "-9223372036854775808" : "9223372036854775807");
                copied = dend;
            }
        } else {
            i++;
        }
    }
    if (out != NULL) {
        if (copied < len)
            g_string_append_len(out, data + copied, (gssize)(len - copied));
        *fixed_len = out->len;
        *fixed = g_string_free(out, FALSE);
    }
    return TRUE;
}

/* ---- UTF-8 check -------------------------------------------------------- */

typedef enum { DOC_INSTANCE, DOC_MATCHING } DocKind;

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

/* If array @arr holds a string with invalid UTF-8 (replaced by json-glib),
 * appends `LABEL[j] "text"` to @where and returns TRUE. */
static gboolean
bad_string_in(JsonNode *arr, const char *label, GString *where)
{
    if (arr == NULL || !JSON_NODE_HOLDS_ARRAY(arr))
        return FALSE;
    JsonArray *a = json_node_get_array(arr);
    for (guint j = 0; j < json_array_get_length(a); j++) {
        JsonNode *e = json_array_get_element(a, j);
        if (node_is_string(e) && has_replacement(json_node_get_string(e))) {
            g_string_append_printf(where, "%s[%u] ", label, j);
            append_quoted(where, json_node_get_string(e));
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
        const char *nm = node_is_string(name) ? json_node_get_string(name) : NULL;
        g_string_printf(where, "%s[%u]", list, i);
        if (nm != NULL) {
            g_string_append_c(where, ' ');
            append_quoted(where, nm);
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

/* In a document whose invalid bytes were replaced by U+FFFD, and which had no
 * U+FFFD of its own, finds the first name holding one.  Returns a description
 * such as `supply[1] "张\uFFFD": field "name"` or NULL. */
static char *
locate_replacement(JsonNode *root, DocKind kind)
{
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
        return NULL;
    JsonObject *obj = json_node_get_object(root);
    GString *where = g_string_new(NULL);
    if (kind == DOC_MATCHING) {
        JsonNode *pairs = json_object_get_member(obj, "pairs");
        if (pairs != NULL && JSON_NODE_HOLDS_ARRAY(pairs)) {
            JsonArray *a = json_node_get_array(pairs);
            for (guint i = 0; i < json_array_get_length(a); i++) {
                JsonNode *p = json_array_get_element(a, i);
                if (!JSON_NODE_HOLDS_ARRAY(p))
                    continue;
                JsonArray *pa = json_node_get_array(p);
                for (guint k = 0; k < json_array_get_length(pa) && k < 2; k++) {
                    JsonNode *e = json_array_get_element(pa, k);
                    if (node_is_string(e) && has_replacement(json_node_get_string(e))) {
                        g_string_printf(where, "pairs[%u]: %s name ", i, side_names[k]);
                        append_quoted(where, json_node_get_string(e));
                        return g_string_free(where, FALSE);
                    }
                }
            }
        }
        g_string_free(where, TRUE);
        return NULL;
    }
    for (int side = 0; side < 2; side++)
        if (bad_named_entry(obj, side_names[side], "prefs", where))
            return g_string_free(where, FALSE);
    if (bad_named_entry(obj, "groups", "members", where))
        return g_string_free(where, FALSE);
    g_string_truncate(where, 0);
    if (bad_string_in(json_object_get_member(obj, "priority"), "priority", where))
        return g_string_free(where, FALSE);
    g_string_free(where, TRUE);
    return NULL;
}

/* @data (of @len bytes) is not valid UTF-8: sets a TM_ERROR_PARSE error with
 * line, column and, when possible, the agent and field. */
static void
set_utf8_error(const char *data, gsize len, const char *src, DocKind kind, GError **error)
{
    const char *end = NULL;
    g_utf8_validate_len(data, len, &end);
    gsize line;
    glong column;
    line_column(data, (gsize)(end - data), &line, &column);
    unsigned byte = (unsigned char)*end;

    if (byte == 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GSIZE_FORMAT ":%ld: contains a NUL byte; the file must be UTF-8 "
                    "JSON text",
                    src, line, column);
        return;
    }
    /* Tell the agent only when it cannot be confused with a real U+FFFD. */
    char *where = NULL;
    if (memchr(data, '\0', len) == NULL && g_strstr_len(data, (gssize)len, REPLACEMENT_CHAR) == NULL
        && !has_escaped_replacement(data, len)) {
        char *fixed = g_utf8_make_valid(data, (gssize)len);
        char *clamped = NULL;
        gsize clamped_len = 0;
        if (prescan(fixed, strlen(fixed), src, &clamped, &clamped_len, NULL)) {
            JsonParser *parser = json_parser_new();
            if (json_parser_load_from_data(parser, clamped != NULL ? clamped : fixed, -1, NULL))
                where = locate_replacement(json_parser_get_root(parser), kind);
            g_object_unref(parser);
        }
        g_free(clamped);
        g_free(fixed);
    }
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

/* Parses @data into a new parser whose root the caller reads (unref the
 * parser when done).  Errors: TM_ERROR_PARSE naming @src (line:column from
 * json-glib when it has them). */
static JsonParser *
parse_document(const char *data, gssize len_in, const char *src, DocKind kind, GError **error)
{
    gsize len = len_in < 0 ? strlen(data) : (gsize)len_in;
    if (!g_utf8_validate_len(data, len, NULL)) {
        set_utf8_error(data, len, src, kind, error);
        return NULL;
    }
    gsize clamped_len = 0;
    char *clamped = NULL;
    if (!prescan(data, len, src, &clamped, &clamped_len, error))
        return NULL;
    JsonParser *parser = json_parser_new();
    GError *err = NULL;
    gboolean ok = json_parser_load_from_data(parser, clamped != NULL ? clamped : data,
                                             (gssize)(clamped != NULL ? clamped_len : len), &err);
    g_free(clamped);
    if (!ok) {
        const char *m = err->message;
        /* json-glib says "<data>:LINE:COL: Parse error: ..." */
        if (g_str_has_prefix(m, "<data>"))
            m += strlen("<data>");
        else if (*m != ':')
            m = NULL;
        if (m != NULL)
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s%s", src, m);
        else
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: not valid JSON: %s", src,
                        err->message);
        g_error_free(err);
        g_object_unref(parser);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (root == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: empty document (expected a JSON object)",
                    src);
        g_object_unref(parser);
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: the top level must be a JSON object, got %s", src, describe_node(root));
        g_object_unref(parser);
        return NULL;
    }
    return parser;
}

/* ---- instances ---------------------------------------------------------- */

static TmInstance *
instance_alloc(void)
{
    TmInstance *inst = g_new0(TmInstance, 1);
    for (int side = 0; side < 2; side++)
        inst->index[side] = g_hash_table_new(g_str_hash, g_str_equal);
    return inst;
}

void
tm_instance_free(TmInstance *instance)
{
    if (instance == NULL)
        return;
    tm_market_free(instance->market);
    for (int side = 0; side < 2; side++) {
        if (instance->index[side] != NULL)
            g_hash_table_destroy(instance->index[side]);
        g_strfreev(instance->names[side]);
    }
    tm_groups_free(instance->groups);
    g_strfreev(instance->group_names);
    g_free(instance);
}

static gboolean
lookup_id(GHashTable *index, const char *name, int32_t *id)
{
    gpointer value;
    if (!g_hash_table_lookup_extended(index, name, NULL, &value))
        return FALSE;
    *id = GPOINTER_TO_INT(value);
    return TRUE;
}

/* Reads a count: a JSON integer literal in [0, INT32_MAX] (2.0 and 1e2 are
 * refused).  Returns 0 with *@out set, or an error code with the reason in
 * *@reason (caller g_free()s), e.g. "must be an integer >= 0, got -2". */
static int
read_count(JsonNode *node, int32_t *out, char **reason)
{
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64) {
        gint64 v = json_node_get_int(node);
        if (v < 0) {
            /* INT64_MIN also stands for literals clamped by prescan() */
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
        double v = json_node_get_double(node);
        gboolean integral = v > -1e15 && v < 1e15 && v == (double)(gint64)v;
        char num[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(num, sizeof num, "%g", v);
        *reason = g_strdup_printf("must be an integer >= 0, got %s%s", num,
                                  integral ? " (write integers without a decimal point or "
                                             "exponent)"
                                           : "");
        return TM_ERROR_PARSE;
    }
    *reason = g_strdup_printf("must be an integer >= 0, got %s", describe_node(node));
    return TM_ERROR_PARSE;
}

/* Pass 1 for one agent: name and capacity. */
static gboolean
read_agent_header(TmInstance *inst, TmSide side, guint i, JsonNode *node, const char *src,
                  int32_t *capacity, GError **error)
{
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        set_agent_error(error, TM_ERROR_PARSE, src, side, i, NULL, NULL,
                        "must be an object {\"name\": ..., \"capacity\": ..., \"prefs\": [...]}, "
                        "got %s",
                        describe_node(node));
        return FALSE;
    }
    JsonObject *obj = json_node_get_object(node);
    JsonNode *name_node = json_object_get_member(obj, "name");
    if (name_node == NULL) {
        set_agent_error(error, TM_ERROR_PARSE, src, side, i, NULL, "field \"name\"",
                        "missing (every agent needs a name)");
        return FALSE;
    }
    if (!node_is_string(name_node)) {
        set_agent_error(error, TM_ERROR_PARSE, src, side, i, NULL, "field \"name\"",
                        "must be a string, got %s", describe_node(name_node));
        return FALSE;
    }
    const char *name = json_node_get_string(name_node);
    if (name[0] == '\0') {
        set_agent_error(error, TM_ERROR_PARSE, src, side, i, NULL, "field \"name\"",
                        "must not be empty");
        return FALSE;
    }
    int32_t other;
    if (lookup_id(inst->index[side], name, &other)) {
        set_agent_error(error, TM_ERROR_DUPLICATE, src, side, i, name, "field \"name\"",
                        "duplicate name, already used by %s[%d]", side_names[side], other);
        return FALSE;
    }
    inst->names[side][i] = g_strdup(name);
    g_hash_table_insert(inst->index[side], inst->names[side][i], GINT_TO_POINTER((int)i));

    JsonNode *cap = json_object_get_member(obj, "capacity");
    if (cap == NULL) {
        *capacity = 1;
    } else {
        char *reason = NULL;
        int code = read_count(cap, capacity, &reason);
        if (code != 0) {
            set_agent_error(error, code, src, side, i, name, "field \"capacity\"", "%s", reason);
            g_free(reason);
            return FALSE;
        }
    }

    JsonNode *prefs = json_object_get_member(obj, "prefs");
    if (prefs != NULL && !JSON_NODE_HOLDS_ARRAY(prefs)) {
        set_agent_error(error, TM_ERROR_PARSE, src, side, i, name, "field \"prefs\"",
                        "must be a list of %s names, got %s", side_names[TM_SIDE_OTHER(side)],
                        describe_node(prefs));
        return FALSE;
    }
    return TRUE;
}

static JsonArray *
agent_prefs(JsonArray *agents, guint i)
{
    JsonObject *obj = json_node_get_object(json_array_get_element(agents, i));
    JsonNode *prefs = json_object_get_member(obj, "prefs");
    return prefs != NULL ? json_node_get_array(prefs) : NULL;
}

/* Pass 2 for one side: preference lists into CSR arrays.  @seen_agent and
 * @seen_pos have one entry per agent of the other side, -1 initially. */
static gboolean
read_side_prefs(TmInstance *inst, TmSide side, JsonArray *agents, const char *src,
                int32_t *offsets, int32_t *ids, int32_t *seen_agent, int32_t *seen_pos,
                GError **error)
{
    TmSide other = TM_SIDE_OTHER(side);
    int32_t k = 0;
    offsets[0] = 0;
    for (int32_t i = 0; i < inst->n[side]; i++) {
        const char *name = inst->names[side][i];
        JsonArray *prefs = agent_prefs(agents, (guint)i);
        guint len = prefs != NULL ? json_array_get_length(prefs) : 0;
        for (guint j = 0; j < len; j++) {
            char where[48]; /* filled only on error: this loop is hot */
            JsonNode *e = json_array_get_element(prefs, j);
            if (JSON_NODE_HOLDS_ARRAY(e)) {
                g_snprintf(where, sizeof where, "prefs[%u]", j);
                set_agent_error(error, TM_ERROR_UNSUPPORTED, src, side, (guint)i, name, where,
                                "ties are not supported yet (a nested list is a tie)");
                return FALSE;
            }
            if (!node_is_string(e)) {
                g_snprintf(where, sizeof where, "prefs[%u]", j);
                set_agent_error(error, TM_ERROR_PARSE, src, side, (guint)i, name, where,
                                "must be the name of a %s agent (a string), got %s",
                                side_names[other], describe_node(e));
                return FALSE;
            }
            const char *pname = json_node_get_string(e);
            int32_t id;
            if (!lookup_id(inst->index[other], pname, &id)) {
                g_snprintf(where, sizeof where, "prefs[%u]", j);
                GString *q = g_string_new(NULL);
                append_quoted(q, pname);
                set_agent_error(error, TM_ERROR_UNKNOWN_NAME, src, side, (guint)i, name, where,
                                "unknown %s agent %s", side_names[other], q->str);
                g_string_free(q, TRUE);
                return FALSE;
            }
            if (seen_agent[id] == i) {
                g_snprintf(where, sizeof where, "prefs[%u]", j);
                GString *q = g_string_new(NULL);
                append_quoted(q, pname);
                set_agent_error(error, TM_ERROR_DUPLICATE, src, side, (guint)i, name, where,
                                "%s is listed twice (also prefs[%d])", q->str, seen_pos[id]);
                g_string_free(q, TRUE);
                return FALSE;
            }
            seen_agent[id] = i;
            seen_pos[id] = (int32_t)j;
            ids[k++] = id;
        }
        offsets[i + 1] = k;
    }
    return TRUE;
}

/* ---- groups and priority ------------------------------------------------ */

/* Reads the optional top-level "priority" (supply names, highest first) into
 * a new array of n[SUPPLY] priorities (smaller = higher): listed agents get
 * their position, the others follow in file order.  Without the member every
 * agent gets its file position.  Returns NULL with @error on bad input. */
static int32_t *
read_priority(const TmInstance *inst, JsonObject *root, const char *src, GError **error)
{
    int32_t n = inst->n[TM_SIDE_SUPPLY];
    int32_t *priority = g_new(int32_t, (gsize)n + 1);
    int32_t *pos = g_new(int32_t, (gsize)n + 1); /* position in "priority", or -1 */
    for (int32_t c = 0; c < n; c++)
        pos[c] = -1;
    JsonNode *node = json_object_get_member(root, "priority");
    gboolean ok = FALSE;
    int32_t listed = 0;
    if (node != NULL) {
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: member \"priority\" must be a list of supply agent names "
                        "(highest priority first), got %s",
                        src, describe_node(node));
            goto out;
        }
        JsonArray *a = json_node_get_array(node);
        guint len = json_array_get_length(a);
        for (guint j = 0; j < len; j++) {
            JsonNode *e = json_array_get_element(a, j);
            if (!node_is_string(e)) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s: priority[%u]: must be the name of a supply agent (a string), "
                            "got %s",
                            src, j, describe_node(e));
                goto out;
            }
            const char *name = json_node_get_string(e);
            int32_t c;
            GString *q = g_string_new(NULL);
            append_quoted(q, name);
            if (!lookup_id(inst->index[TM_SIDE_SUPPLY], name, &c)) {
                g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                            "%s: priority[%u]: unknown supply agent %s", src, j, q->str);
                g_string_free(q, TRUE);
                goto out;
            }
            if (pos[c] >= 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "%s: priority[%u]: %s is listed twice (also priority[%d])", src, j,
                            q->str, pos[c]);
                g_string_free(q, TRUE);
                goto out;
            }
            g_string_free(q, TRUE);
            pos[c] = (int32_t)j;
            priority[c] = listed++;
        }
    }
    for (int32_t c = 0; c < n; c++)
        if (pos[c] < 0)
            priority[c] = listed++;
    ok = TRUE;
out:
    g_free(pos);
    if (!ok) {
        g_free(priority);
        return NULL;
    }
    return priority;
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
        set_group_error(error, code, src, i, name, "field \"floor\"", "%s", core);
    } else if (code == TM_ERROR_INVALID_ARGUMENT) {
        /* not laminar: find an earlier group that crosses this one */
        int32_t n_demand = inst->n[TM_SIDE_DEMAND];
        guint8 *mine = g_new0(guint8, (gsize)n_demand + 1);
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
                append_quoted(q, inst->group_names[j]);
                g_string_append(q, " (both hold demand agent ");
                append_quoted(q, inst->names[TM_SIDE_DEMAND][shared]);
                g_string_append_c(q, ')');
                set_group_error(error, code, src, i, name, "field \"members\"",
                                "overlaps groups[%d] %s without one containing the other "
                                "(groups must be nested or disjoint)",
                                j, q->str);
                g_string_free(q, TRUE);
                said = TRUE;
            }
        }
        g_free(mine);
        if (!said)
            set_group_error(error, code, src, i, name, "field \"members\"", "%s", core);
    } else if (code == TM_ERROR_INFEASIBLE && p >= 0 && p <= (int)i) {
        /* the floors of p's sub-groups exceed p's cap: this group is p (its
         * cap is too small) or one of the sub-groups (its floor is too big) */
        if (p == (int)i) {
            set_group_error(error, code, src, i, name, "field \"cap\"", "%s", core);
        } else {
            GString *q = g_string_new(NULL);
            append_quoted(q, inst->group_names[p]);
            set_group_error(error, code, src, i, name, "field \"floor\"", "in groups[%d] %s: %s",
                            p, q->str, core);
            g_string_free(q, TRUE);
        }
    } else {
        set_group_error(error, code, src, i, name, NULL, "%s", core);
    }
    g_error_free(err);
}

/* Reads "groups" (when present) and "priority" into inst->groups. */
static gboolean
read_groups(TmInstance *inst, JsonObject *root, const char *src, GError **error)
{
    int32_t *priority = read_priority(inst, root, src, error);
    if (priority == NULL)
        return FALSE;
    JsonNode *node = json_object_get_member(root, "groups");
    if (node == NULL) {
        /* "priority" without groups orders nothing: checked, then unused */
        g_free(priority);
        return TRUE;
    }
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: member \"groups\" must be a list of groups {\"name\": ..., "
                    "\"members\": [...], \"cap\": ..., \"floor\": ...}, got %s",
                    src, describe_node(node));
        g_free(priority);
        return FALSE;
    }
    JsonArray *groups = json_node_get_array(node);
    guint n = json_array_get_length(groups);
    if (n > (guint)INT32_MAX - 1) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many groups", src);
        g_free(priority);
        return FALSE;
    }
    GError *err = NULL;
    inst->groups = tm_groups_new(inst->n[TM_SIDE_SUPPLY], inst->n[TM_SIDE_DEMAND], &err);
    if (inst->groups == NULL) {
        g_propagate_prefixed_error(error, err, "%s: ", src);
        g_free(priority);
        return FALSE;
    }
    inst->group_names = g_new0(char *, (gsize)n + 1);
    GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
    int32_t n_demand = inst->n[TM_SIDE_DEMAND];
    int32_t *seen_group = g_new(int32_t, (gsize)n_demand + 1);
    int32_t *seen_pos = g_new(int32_t, (gsize)n_demand + 1);
    for (int32_t d = 0; d < n_demand; d++)
        seen_group[d] = -1;
    int32_t *members = NULL;
    gboolean ok = FALSE;

    for (guint i = 0; i < n; i++) {
        JsonNode *gn = json_array_get_element(groups, i);
        if (!JSON_NODE_HOLDS_OBJECT(gn)) {
            set_group_error(error, TM_ERROR_PARSE, src, i, NULL, NULL,
                            "must be an object {\"name\": ..., \"members\": [...], \"cap\": ..., "
                            "\"floor\": ...}, got %s",
                            describe_node(gn));
            goto out;
        }
        JsonObject *obj = json_node_get_object(gn);
        JsonNode *name_node = json_object_get_member(obj, "name");
        if (name_node == NULL) {
            set_group_error(error, TM_ERROR_PARSE, src, i, NULL, "field \"name\"",
                            "missing (every group needs a name)");
            goto out;
        }
        if (!node_is_string(name_node)) {
            set_group_error(error, TM_ERROR_PARSE, src, i, NULL, "field \"name\"",
                            "must be a string, got %s", describe_node(name_node));
            goto out;
        }
        if (json_node_get_string(name_node)[0] == '\0') {
            set_group_error(error, TM_ERROR_PARSE, src, i, NULL, "field \"name\"",
                            "must not be empty");
            goto out;
        }
        const char *name = json_node_get_string(name_node);
        gpointer other;
        if (g_hash_table_lookup_extended(index, name, NULL, &other)) {
            set_group_error(error, TM_ERROR_DUPLICATE, src, i, name, "field \"name\"",
                            "duplicate name, already used by groups[%d]", GPOINTER_TO_INT(other));
            goto out;
        }
        inst->group_names[i] = g_strdup(name);
        g_hash_table_insert(index, inst->group_names[i], GINT_TO_POINTER((int)i));

        JsonNode *mn = json_object_get_member(obj, "members");
        if (mn == NULL) {
            set_group_error(error, TM_ERROR_PARSE, src, i, name, "field \"members\"",
                            "missing (a list of demand agent names)");
            goto out;
        }
        if (!JSON_NODE_HOLDS_ARRAY(mn)) {
            set_group_error(error, TM_ERROR_PARSE, src, i, name, "field \"members\"",
                            "must be a list of demand agent names, got %s", describe_node(mn));
            goto out;
        }
        JsonArray *ma = json_node_get_array(mn);
        guint nm = json_array_get_length(ma);
        members = g_renew(int32_t, members, (gsize)nm + 1);
        for (guint j = 0; j < nm; j++) {
            char where[48];
            g_snprintf(where, sizeof where, "members[%u]", j);
            JsonNode *e = json_array_get_element(ma, j);
            if (!node_is_string(e)) {
                set_group_error(error, TM_ERROR_PARSE, src, i, name, where,
                                "must be the name of a demand agent (a string), got %s",
                                describe_node(e));
                goto out;
            }
            const char *mname = json_node_get_string(e);
            int32_t d;
            GString *q = g_string_new(NULL);
            append_quoted(q, mname);
            if (!lookup_id(inst->index[TM_SIDE_DEMAND], mname, &d)) {
                set_group_error(error, TM_ERROR_UNKNOWN_NAME, src, i, name, where,
                                "unknown demand agent %s", q->str);
                g_string_free(q, TRUE);
                goto out;
            }
            if (seen_group[d] == (int32_t)i) {
                set_group_error(error, TM_ERROR_DUPLICATE, src, i, name, where,
                                "%s is listed twice (also members[%d])", q->str, seen_pos[d]);
                g_string_free(q, TRUE);
                goto out;
            }
            g_string_free(q, TRUE);
            seen_group[d] = (int32_t)i;
            seen_pos[d] = (int32_t)j;
            members[j] = d;
        }

        int32_t cap = 0, floor = 0;
        const char *const fields[2] = {"cap", "floor"};
        int32_t *values[2] = {&cap, &floor};
        for (int f = 0; f < 2; f++) {
            char where[32];
            g_snprintf(where, sizeof where, "field \"%s\"", fields[f]);
            JsonNode *v = json_object_get_member(obj, fields[f]);
            if (v == NULL) {
                if (f == 1)
                    break; /* floor defaults to 0 */
                set_group_error(error, TM_ERROR_PARSE, src, i, name, where,
                                "missing (the most assignments the group's members may hold "
                                "together, an integer >= 0)");
                goto out;
            }
            char *reason = NULL;
            int code = read_count(v, values[f], &reason);
            if (code != 0) {
                set_group_error(error, code, src, i, name, where, "%s", reason);
                g_free(reason);
                goto out;
            }
        }
        if (tm_groups_add(inst->groups, members, (int32_t)nm, cap, floor, &err) < 0) {
            propagate_group_add_error(inst, i, name, members, (int32_t)nm, cap, floor, src, err,
                                      error);
            goto out;
        }
    }
    if (!tm_groups_set_priority(inst->groups, priority, &err)) {
        g_propagate_prefixed_error(error, err, "%s: priority: ", src);
        goto out;
    }
    ok = TRUE;

out:
    g_free(members);
    g_free(seen_group);
    g_free(seen_pos);
    g_hash_table_destroy(index);
    g_free(priority);
    return ok;
}

static TmInstance *
instance_from_root(JsonObject *root, const char *src, GError **error)
{
    JsonArray *agents[2];
    for (int side = 0; side < 2; side++) {
        JsonNode *node = json_object_get_member(root, side_names[side]);
        if (node == NULL) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: missing member \"%s\" (a list of agents, may be empty)", src,
                        side_names[side]);
            return NULL;
        }
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: member \"%s\" must be a list of agents, got %s", src,
                        side_names[side], describe_node(node));
            return NULL;
        }
        agents[side] = json_node_get_array(node);
        if (json_array_get_length(agents[side]) > (guint)INT32_MAX) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many %s agents", src,
                        side_names[side]);
            return NULL;
        }
    }
    TmInstance *inst = instance_alloc();
    int32_t *caps[2] = {NULL, NULL}, *offsets[2] = {NULL, NULL}, *ids[2] = {NULL, NULL};
    int32_t *seen_agent = NULL, *seen_pos = NULL;
    gboolean ok = FALSE;

    for (int side = 0; side < 2; side++) {
        inst->n[side] = (int32_t)json_array_get_length(agents[side]);
        inst->names[side] = g_new0(char *, (gsize)inst->n[side] + 1);
        caps[side] = g_new(int32_t, (gsize)inst->n[side] + 1);
    }
    for (int side = 0; side < 2; side++) {
        gint64 total = 0;
        for (int32_t i = 0; i < inst->n[side]; i++) {
            if (!read_agent_header(inst, (TmSide)side, (guint)i,
                                   json_array_get_element(agents[side], (guint)i), src,
                                   &caps[side][i], error))
                goto out;
            JsonArray *prefs = agent_prefs(agents[side], (guint)i);
            total += prefs != NULL ? json_array_get_length(prefs) : 0;
        }
        if (total > INT32_MAX) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                        "%s: %s preference lists too long in total (%" G_GINT64_FORMAT
                        " entries, at most %d)",
                        src, side_names[side], total, (int)INT32_MAX);
            goto out;
        }
        offsets[side] = g_new(int32_t, (gsize)inst->n[side] + 1);
        ids[side] = g_try_new(int32_t, (gsize)total + 1);
        if (ids[side] == NULL) {
            g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                        "%s: out of memory for %" G_GINT64_FORMAT " preference entries", src,
                        total);
            goto out;
        }
    }
    for (int side = 0; side < 2; side++) {
        int32_t n_other = inst->n[TM_SIDE_OTHER(side)];
        seen_agent = g_new(int32_t, (gsize)n_other + 1);
        seen_pos = g_new(int32_t, (gsize)n_other + 1);
        for (int32_t j = 0; j < n_other; j++)
            seen_agent[j] = -1;
        if (!read_side_prefs(inst, (TmSide)side, agents[side], src, offsets[side], ids[side],
                             seen_agent, seen_pos, error))
            goto out;
        g_free(seen_agent);
        g_free(seen_pos);
        seen_agent = seen_pos = NULL;
    }

    GError *err = NULL;
    inst->market = tm_market_new_from_arrays(inst->n[0], inst->n[1], caps[0], caps[1],
                                             offsets[0], ids[0], offsets[1], ids[1], &err);
    if (inst->market == NULL) {
        g_propagate_prefixed_error(error, err, "%s: ", src);
        goto out;
    }
    if (!read_groups(inst, root, src, error))
        goto out;
    ok = TRUE;

out:
    g_free(seen_agent);
    g_free(seen_pos);
    for (int side = 0; side < 2; side++) {
        g_free(caps[side]);
        g_free(offsets[side]);
        g_free(ids[side]);
    }
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
    const char *src = source_or_default(source_name);
    if (data == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: no data (NULL buffer)", src);
        return NULL;
    }
    JsonParser *parser = parse_document(data, len, src, DOC_INSTANCE, error);
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
    char *data = read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmInstance *inst = tm_instance_load_json_data(data, (gssize)len, path, error);
    g_free(data);
    return inst;
}

TmMarket *
tm_instance_market(const TmInstance *instance)
{
    return instance != NULL ? instance->market : NULL;
}

const TmGroups *
tm_instance_groups(const TmInstance *instance)
{
    return instance != NULL ? instance->groups : NULL;
}

const char *
tm_instance_group_name(const TmInstance *instance, int32_t group)
{
    if (instance == NULL || instance->groups == NULL || group < 0
        || group >= tm_groups_n(instance->groups))
        return NULL;
    return instance->group_names[group];
}

const char *
tm_instance_name(const TmInstance *instance, TmSide side, int32_t agent)
{
    if (instance == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || agent < 0
        || agent >= instance->n[side])
        return NULL;
    return instance->names[side][agent];
}

int32_t
tm_instance_lookup(const TmInstance *instance, TmSide side, const char *name)
{
    int32_t id;
    if (instance == NULL || name == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND))
        return -1;
    return lookup_id(instance->index[side], name, &id) ? id : -1;
}

/* ---- matching files ----------------------------------------------------- */

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
                    src, describe_node(node));
        return NULL;
    }
    JsonArray *pairs = json_node_get_array(node);
    guint n = json_array_get_length(pairs);
    if (n > (guint)INT32_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: too many pairs", src);
        return NULL;
    }
    int32_t *ids[2] = {g_new(int32_t, (gsize)n + 1), g_new(int32_t, (gsize)n + 1)};
    gint64 *keys = g_new(gint64, (gsize)n + 1);
    GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
    TmMatching *matching = NULL;

    for (guint i = 0; i < n; i++) {
        JsonNode *p = json_array_get_element(pairs, i);
        JsonArray *pa = JSON_NODE_HOLDS_ARRAY(p) ? json_node_get_array(p) : NULL;
        if (pa == NULL || json_array_get_length(pa) != 2
            || !node_is_string(json_array_get_element(pa, 0))
            || !node_is_string(json_array_get_element(pa, 1))) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s: pairs[%u]: must be a pair [supply name, demand name] of two "
                        "strings, got %s",
                        src, i,
                        pa == NULL ? describe_node(p)
                                   : (json_array_get_length(pa) != 2 ? "a list of another length"
                                                                     : "a list of non-strings"));
            goto out;
        }
        for (int side = 0; side < 2; side++) {
            const char *name = json_node_get_string(json_array_get_element(pa, (guint)side));
            if (!lookup_id(inst->index[side], name, &ids[side][i])) {
                GString *q = g_string_new(NULL);
                append_quoted(q, name);
                g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                            "%s: pairs[%u]: unknown %s agent %s", src, i, side_names[side], q->str);
                g_string_free(q, TRUE);
                goto out;
            }
        }
        keys[i] = ((gint64)ids[0][i] << 32) | (gint64)(guint32)ids[1][i];
        gpointer first;
        if (g_hash_table_lookup_extended(seen, &keys[i], NULL, &first)) {
            GString *q = g_string_new("[");
            append_quoted(q, inst->names[0][ids[0][i]]);
            g_string_append(q, ", ");
            append_quoted(q, inst->names[1][ids[1][i]]);
            g_string_append_c(q, ']');
            g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                        "%s: pairs[%u]: pair %s is listed twice (also pairs[%d])", src, i, q->str,
                        GPOINTER_TO_INT(first));
            g_string_free(q, TRUE);
            goto out;
        }
        g_hash_table_insert(seen, &keys[i], GINT_TO_POINTER((int)i));
    }
    GError *err = NULL;
    matching = tm_matching_new_from_pairs(inst->market, ids[0], ids[1], (int64_t)n, &err);
    if (matching == NULL)
        g_propagate_prefixed_error(error, err, "%s: ", src);

out:
    g_hash_table_destroy(seen);
    g_free(keys);
    g_free(ids[0]);
    g_free(ids[1]);
    return matching;
}

TmMatching *
tm_instance_load_matching_json_data(const TmInstance *instance, const char *data, gssize len,
                                    const char *source_name, GError **error)
{
    const char *src = source_or_default(source_name);
    if (instance == NULL || data == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", src,
                    instance == NULL ? "instance" : "data");
        return NULL;
    }
    JsonParser *parser = parse_document(data, len, src, DOC_MATCHING, error);
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
    char *data = read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmMatching *m = tm_instance_load_matching_json_data(instance, data, (gssize)len, path, error);
    g_free(data);
    return m;
}

/* ---- output ------------------------------------------------------------- */

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

/* Adds "stable", "blocking_pairs" and "violations" to the open object. */
static gboolean
add_verdict_members(JsonBuilder *b, const TmInstance *inst, const TmVerdict *verdict,
                    GError **error)
{
    json_builder_set_member_name(b, "stable");
    json_builder_add_boolean_value(b, tm_verdict_is_stable(verdict));

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

    json_builder_set_member_name(b, "violations");
    json_builder_begin_array(b);
    int64_t nv = tm_verdict_n_violations(verdict);
    for (int64_t i = 0; i < nv; i++) {
        const TmViolation *v = tm_verdict_violation(verdict, i);
        if (v != NULL && v->kind == TM_VIOLATION_OVER_CAPACITY
            && (v->side == TM_SIDE_SUPPLY || v->side == TM_SIDE_DEMAND)
            && valid_id(inst, v->side, v->agent)) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "kind");
            json_builder_add_string_value(b, "over_capacity");
            json_builder_set_member_name(b, "side");
            json_builder_add_string_value(b, side_names[v->side]);
            json_builder_set_member_name(b, "agent");
            json_builder_add_string_value(b, inst->names[v->side][v->agent]);
            json_builder_set_member_name(b, "partners");
            json_builder_add_int_value(b, v->count);
            json_builder_set_member_name(b, "capacity");
            json_builder_add_int_value(b, v->capacity);
            json_builder_end_object(b);
        } else if (v != NULL && v->kind == TM_VIOLATION_UNACCEPTABLE
                   && valid_id(inst, TM_SIDE_SUPPLY, v->supply)
                   && valid_id(inst, TM_SIDE_DEMAND, v->demand)) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "kind");
            json_builder_add_string_value(b, "unacceptable");
            json_builder_set_member_name(b, "supply");
            json_builder_add_string_value(b, inst->names[TM_SIDE_SUPPLY][v->supply]);
            json_builder_set_member_name(b, "demand");
            json_builder_add_string_value(b, inst->names[TM_SIDE_DEMAND][v->demand]);
            json_builder_end_object(b);
        } else if (v != NULL && v->kind == TM_VIOLATION_GROUP_OVER_CAP
                   && tm_instance_group_name(inst, v->agent) != NULL) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "kind");
            json_builder_add_string_value(b, "group_over_cap");
            json_builder_set_member_name(b, "group");
            json_builder_add_string_value(b, tm_instance_group_name(inst, v->agent));
            json_builder_set_member_name(b, "assignments");
            json_builder_add_int_value(b, v->count);
            json_builder_set_member_name(b, "cap");
            json_builder_add_int_value(b, v->capacity);
            /* within its cap, a group can only be at fault for filling
             * seats that its sub-groups' floors reserve */
            json_builder_set_member_name(b, "reason");
            json_builder_add_string_value(b, v->count > v->capacity ? "over_cap"
                                                                    : "uses_reserved_seats");
            json_builder_end_object(b);
        } else {
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
    json_builder_set_member_name(b, "agents");
    json_builder_add_int_value(b, st->agents);
    json_builder_set_member_name(b, "matched_agents");
    json_builder_add_int_value(b, st->matched_agents);
    json_builder_set_member_name(b, "seats");
    json_builder_add_int_value(b, st->seats);
    json_builder_set_member_name(b, "filled_seats");
    json_builder_add_int_value(b, st->filled_seats);
    json_builder_set_member_name(b, "rank_mean");
    json_builder_add_double_value(b, st->rank_mean);
    json_builder_set_member_name(b, "rank_median");
    json_builder_add_double_value(b, st->rank_median);
    json_builder_set_member_name(b, "rank_max");
    json_builder_add_int_value(b, st->rank_max);
    json_builder_set_member_name(b, "dropped_entries");
    json_builder_add_int_value(b, st->dropped_entries);
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
    int32_t *s = g_try_new(int32_t, (gsize)n + 1);
    int32_t *d = g_try_new(int32_t, (gsize)n + 1);
    TmVerdict *verdict = NULL;
    JsonBuilder *b = NULL;
    char *text = NULL;
    if (s == NULL || d == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "out of memory for %" G_GINT64_FORMAT
                    " pairs", n);
        goto out;
    }
    if (!tm_matching_get_pairs(matching, s, d, tm_matching_n_pairs(matching), error))
        goto out;
    verdict = instance->groups != NULL
                  ? tm_matching_check_groups(matching, instance->groups, error)
                  : tm_matching_check(matching, error);
    if (verdict == NULL)
        goto out;

    b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pairs");
    json_builder_begin_array(b);
    for (int64_t i = 0; i < n; i++) {
        if (!valid_id(instance, TM_SIDE_SUPPLY, s[i])
            || !valid_id(instance, TM_SIDE_DEMAND, d[i])) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "matching pair %" G_GINT64_FORMAT " = (%d, %d) is out of range", i, s[i],
                        d[i]);
            goto out;
        }
        add_pair(b, instance, s[i], d[i]);
    }
    json_builder_end_array(b);
    /* Unmatched: agents with no partner at all (whatever their capacity,
     * so capacity-0 agents are listed too), in id order. */
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "unmatched_supply" : "unmatched_demand");
        json_builder_begin_array(b);
        for (int32_t a = 0; a < instance->n[side]; a++)
            if (tm_matching_n_partners(matching, (TmSide)side, a) == 0)
                json_builder_add_string_value(b, instance->names[side][a]);
        json_builder_end_array(b);
    }
    if (!add_verdict_members(b, instance, verdict, error))
        goto out;
    json_builder_set_member_name(b, "stats");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pairs");
    json_builder_add_int_value(b, stats.pairs);
    json_builder_set_member_name(b, "proposals");
    json_builder_add_int_value(b, stats.proposals);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side_names[side]);
        tm_i_json_add_side_stats(b, &stats.side[side]);
    }
    json_builder_end_object(b);
    json_builder_end_object(b);
    text = generate(b);

out:
    if (b != NULL)
        g_object_unref(b);
    tm_verdict_free(verdict);
    g_free(s);
    g_free(d);
    return text;
}
