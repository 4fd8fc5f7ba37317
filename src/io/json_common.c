/* techmatch — what the JSON readers share: quoting, value descriptions,
 * located error messages and counts.
 *
 * Every error message about content starts with the source name and names
 * the side (or "groups"), the entry's index and name, and the field at
 * fault, e.g.
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
tm_i_json_describe(const TmIJsonValue *value)
{
    return tm_i_json_kind_describe(value->kind, value->integer);
}

void
tm_i_json_item_error(GError **error, int code, const char *src, const char *list, int64_t i,
                     const char *name, const char *where, const char *fmt, ...)
{
    GString *msg = g_string_new(NULL);
    g_string_append_printf(msg, "%s: %s[%" G_GINT64_FORMAT "]", src, list, i);
    if (name != NULL) {
        g_string_append_c(msg, ' ');
        tm_i_json_append_quoted(msg, name);
    }
    g_string_append(msg, ": ");
    if (where != NULL) {
        g_string_append(msg, where);
        g_string_append(msg, ": ");
    }
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(msg, fmt, ap);
    va_end(ap);
    g_set_error_literal(error, TM_ERROR, code, msg->str);
    g_string_free(msg, TRUE);
}

void
tm_i_pending_set(TmIPending *p, int code, char *where, char *message)
{
    if (p->code != 0) { /* keep the first fault */
        g_free(where);
        g_free(message);
        return;
    }
    p->code = code;
    p->where = where;
    p->message = message;
}

void
tm_i_pending_clear(TmIPending *p)
{
    g_free(p->where);
    g_free(p->message);
    *p = (TmIPending){0, NULL, NULL};
}

gboolean
tm_i_json_check_name(const TmIName *name, const TmINames *pool, int role, const char *src,
                     const char *list, const char *noun, int64_t i, GError **error)
{
    const char *field = "field \"name\"";
    if (name->type != NULL) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "must be a string, got %s", name->type);
        return FALSE;
    }
    if (name->empty) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "must not be empty");
        return FALSE;
    }
    if (name->nid < 0) {
        tm_i_json_item_error(error, TM_ERROR_PARSE, src, list, i, NULL, field,
                             "missing (every %s needs a name)", noun);
        return FALSE;
    }
    int32_t other = tm_i_names_role(pool, name->nid, role);
    if (other >= 0) {
        tm_i_json_item_error(error, TM_ERROR_DUPLICATE, src, list, i,
                             tm_i_names_str(pool, name->nid), field,
                             "duplicate name, already used by %s[%d]", list, other);
        return FALSE;
    }
    return TRUE;
}

/* The literal @text for a message, cut after 40 bytes. */
static char *
literal_text(const char *text, size_t len)
{
    if (len <= 40)
        return g_strndup(text, len);
    return g_strdup_printf("%.40s...", text);
}

/* The reason a number with a fraction or exponent is refused as a count. */
static char *
double_count_reason(const TmIJsonValue *v)
{
    double d = g_ascii_strtod(v->text, NULL);
    gboolean integral = d > -1e15 && d < 1e15 && d == (double)(gint64)d;
    char *lit = literal_text(v->text, v->len);
    char *reason = g_strdup_printf("must be an integer >= 0, got %s%s", lit,
                                   integral ? " (write integers without a decimal point or "
                                              "exponent)"
                                            : "");
    g_free(lit);
    return reason;
}

int
tm_i_json_read_count(const TmIJsonValue *value, TmIJsonKind container, int32_t *out,
                     char **reason)
{
    if (value == NULL || value->kind != TM_I_JSON_NUMBER) {
        *reason = g_strdup_printf("must be an integer >= 0, got %s",
                                  value != NULL ? tm_i_json_describe(value)
                                                : tm_i_json_kind_describe(container, FALSE));
        return TM_ERROR_PARSE;
    }
    if (!value->integer) {
        *reason = double_count_reason(value);
        return TM_ERROR_PARSE;
    }
    const char *d = value->text;
    gboolean negative = *d == '-';
    if (negative)
        d++;
    size_t n = strlen(d); /* no leading zeros: the reader refuses them */
    if (negative && strcmp(d, "0") != 0) {
        /* beyond 20 characters the literal is not worth repeating */
        *reason = value->len <= 20
                      ? g_strdup_printf("must be an integer >= 0, got %s", value->text)
                      : g_strdup("must be an integer >= 0, got a negative number");
        return TM_ERROR_NEGATIVE_CAPACITY;
    }
    int64_t v = 0;
    for (size_t k = 0; k < n && v <= INT32_MAX; k++)
        v = v * 10 + (d[k] - '0');
    if (v > INT32_MAX) {
        *reason = g_strdup_printf("too large (at most %d)", (int)INT32_MAX);
        return TM_ERROR_OVERFLOW;
    }
    *out = (int32_t)v;
    return 0;
}
