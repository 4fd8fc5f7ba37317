/* techmatch — parsing a configuration text once: the GKeyFile, the line of
 * every group and key, messages `SOURCE:LINE: ...`, and the value parsers
 * the owners of the groups share (config_internal.h). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include <techmatch/error.h>

#include "programme/config_internal.h"

static char *line_key(const char *group, const char *key)
{
    return key ? g_strconcat(group, "\x1f", key, NULL) : g_strdup(group);
}

/* Records the line of every group header (its first) and key (its last, the
 * one GKeyFile keeps), with GKeyFile's rules: leading blanks skipped, `#`
 * comments, `[group]`, `key=value` with the key's trailing blanks dropped. */
static void index_lines(GHashTable *lines, const char *data, gsize len)
{
    char *group = NULL;
    int lineno = 0;
    for (gsize pos = 0; pos < len; lineno++) {
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', len - pos);
        gsize n = nl ? (gsize)(nl - start) : len - pos;
        pos += n + (nl != NULL);
        while (n > 0 && g_ascii_isspace(*start)) {
            start++;
            n--;
        }
        if (n == 0 || *start == '#')
            continue;
        if (*start == '[') {
            const char *close = memchr(start, ']', n);
            if (close == NULL)
                continue;
            g_free(group);
            group = g_strndup(start + 1, (gsize)(close - start - 1));
            if (!g_hash_table_contains(lines, group))
                g_hash_table_insert(lines, g_strdup(group), GINT_TO_POINTER(lineno + 1));
            continue;
        }
        const char *eq = memchr(start, '=', n);
        if (eq == NULL || group == NULL)
            continue;
        gsize klen = (gsize)(eq - start);
        while (klen > 0 && g_ascii_isspace(start[klen - 1]))
            klen--;
        char *key = g_strndup(start, klen);
        g_hash_table_insert(lines, line_key(group, key), GINT_TO_POINTER(lineno + 1));
        g_free(key);
    }
    g_free(group);
}

/* Bytes of @data up to the end of its first @lines lines. */
static gsize prefix_len(const char *data, gsize len, int lines)
{
    gsize i = 0;
    for (int l = 0; l < lines && i < len; l++) {
        const char *nl = memchr(data + i, '\n', len - i);
        i = nl ? (gsize)(nl - data) + 1 : len;
    }
    return i;
}

/* The first line GKeyFile refuses: the smallest number of leading lines that
 * fail to load (a refusal is line-local, so failure is monotonic in the
 * number of lines); 0 when no prefix fails.  O(log lines) loads. */
static int first_bad_line(const char *data, gsize len)
{
    int n_lines = 0;
    for (gsize i = 0; i < len; i++)
        n_lines += data[i] == '\n';
    n_lines += len > 0 && data[len - 1] != '\n';
    int lo = 1, hi = n_lines, bad = 0;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        GKeyFile *kf = g_key_file_new();
        gboolean ok = g_key_file_load_from_data(kf, data, prefix_len(data, len, mid),
                                                G_KEY_FILE_NONE, NULL);
        g_key_file_free(kf);
        if (ok) {
            lo = mid + 1;
        } else {
            bad = mid;
            hi = mid - 1;
        }
    }
    return bad;
}

TmConfigSource *tm_i_config_source_new(const char *data, gssize len, const char *source_name,
                                       GError **error)
{
    if (data == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "configuration data must not be NULL");
        return NULL;
    }
    const char *source = source_name ? source_name : "<data>";
    gsize n = len < 0 ? strlen(data) : (gsize)len;
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    if (!g_key_file_load_from_data(kf, data, n, G_KEY_FILE_NONE, &e)) {
        int line = first_bad_line(data, n);
        /* GKeyFile quotes the offending text as it is: make the message UTF-8 */
        char *why = g_utf8_make_valid(e->message, -1);
        if (line > 0)
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s:%d: %s", source, line, why);
        else
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: %s", source, why);
        g_free(why);
        g_error_free(e);
        g_key_file_free(kf);
        return NULL;
    }
    TmConfigSource *src = g_new0(TmConfigSource, 1);
    src->source = g_strdup(source);
    src->kf = kf;
    src->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    index_lines(src->lines, data, n);
    return src;
}

char *tm_i_config_read_file(const char *path, gsize *len, GError **error)
{
    if (path == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "path must not be NULL");
        return NULL;
    }
    char *data = NULL;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, len, &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: %s", path, e->message);
        g_error_free(e);
        return NULL;
    }
    return data;
}

TmConfigSource *tm_i_config_source_new_file(const char *path, GError **error)
{
    gsize len = 0;
    char *data = tm_i_config_read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmConfigSource *src = tm_i_config_source_new(data, (gssize)len, path, error);
    g_free(data);
    return src;
}

void tm_i_config_source_free(TmConfigSource *src)
{
    if (src == NULL)
        return;
    g_key_file_free(src->kf);
    g_hash_table_unref(src->lines);
    g_free(src->source);
    g_free(src);
}

int tm_i_config_line(const TmConfigSource *src, const char *group, const char *key)
{
    if (src == NULL || group == NULL)
        return 0;
    char *k = line_key(group, key);
    gpointer v = g_hash_table_lookup(src->lines, k);
    g_free(k);
    if (v == NULL && key != NULL)
        v = g_hash_table_lookup(src->lines, group);
    return GPOINTER_TO_INT(v);
}

void tm_i_config_error(GError **error, const TmConfigSource *src, const char *group,
                       const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int line = tm_i_config_line(src, group, key);
    char *where = src == NULL ? g_strdup("")
                  : line > 0  ? g_strdup_printf("%s:%d: ", src->source, line)
                              : g_strdup_printf("%s: ", src->source);
    char *text = g_strdup_printf("%s[%s]%s%s: %s", where, group, key ? " " : "",
                                 key ? key : "", msg);
    /* groups, keys and values are quoted as written: make the message UTF-8 */
    char *valid = g_utf8_make_valid(text, -1);
    g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, valid);
    g_free(valid);
    g_free(text);
    g_free(where);
    g_free(msg);
}

/* ---- values ---------------------------------------------------------------- */

gboolean tm_i_parse_bool(const char *v, gboolean *out)
{
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(v, yes[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(v, no[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean tm_i_parse_int64(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (*v == '\0')
        return FALSE;
    char *end = NULL;
    errno = 0;
    gint64 x = g_ascii_strtoll(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi)
        return FALSE;
    *out = x;
    return TRUE;
}

gboolean tm_i_parse_double(const char *v, double *out)
{
    if (*v == '\0')
        return FALSE;
    char *end = NULL;
    errno = 0;
    double x = g_ascii_strtod(v, &end);
    /* ERANGE also flags underflow (1e-320 is subnormal, 1e-400 rounds to
     * 0): those are finite numbers, accepted; overflow is not */
    gboolean underflow = errno == ERANGE && fabs(x) <= DBL_MIN;
    if ((errno != 0 && !underflow) || end == v || *end != '\0' || !isfinite(x))
        return FALSE;
    *out = x;
    return TRUE;
}

char **tm_i_split_list(const char *v)
{
    char **parts = g_strsplit_set(v, ";,", -1);
    int n = 0;
    for (int i = 0; parts[i] != NULL; i++) {
        g_strstrip(parts[i]);
        if (parts[i][0] == '\0') {
            g_free(parts[i]);
            continue;
        }
        parts[n++] = parts[i];
    }
    parts[n] = NULL;
    return parts;
}
