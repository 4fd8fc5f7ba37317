/* techmatch — from bytes to a checked json-glib document.
 *
 * bytes -> UTF-8 check (json_diag.c says where it fails) -> prescan (nesting
 * guard, integer clamping: json_prescan.c) -> json-glib parse -> the top
 * level must be an object.  The readers (instance_read.c, matching_read.c)
 * take it from there.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io/instance_private.h"

/* Grows *@buf (of *@cap + 1 bytes, @len used) to twice the size. */
static gboolean
grow_buffer(char **buf, gsize *cap, gsize len, const char *path, GError **error)
{
    if (*cap > G_MAXSSIZE / 2) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "%s: file too large", path);
        return FALSE;
    }
    gsize ncap = *cap * 2;
    char *nb = tm_i_try_alloc((int64_t)ncap + 1, 1, FALSE, "file contents", error);
    if (nb == NULL) {
        g_prefix_error(error, "%s: ", path);
        return FALSE;
    }
    memcpy(nb, *buf, len);
    g_free(*buf);
    *buf = nb;
    *cap = ncap;
    return TRUE;
}

/* Reads all of @fd into *@buf (*@cap + 1 bytes); FALSE with @error. */
static gboolean
read_all(int fd, char **buf, gsize *cap, gsize *len, const char *path, GError **error)
{
    for (;;) {
        if (*len == *cap && !grow_buffer(buf, cap, *len, path, error))
            return FALSE;
        ssize_t r = read(fd, *buf + *len, *cap - *len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read: %s", path,
                        g_strerror(e));
            return FALSE;
        }
        if (r == 0)
            return TRUE;
        *len += (gsize)r;
    }
}

char *
tm_i_json_read_file(const char *path, gsize *len_out, GError **error)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot open: %s", path, g_strerror(e));
        return NULL;
    }
    gsize cap = 65536, len = 0;
    char *buf = tm_i_try_alloc((int64_t)cap + 1, 1, FALSE, "file contents", error);
    if (buf == NULL) {
        g_prefix_error(error, "%s: ", path);
        close(fd);
        return NULL;
    }
    gboolean ok = read_all(fd, &buf, &cap, &len, path, error);
    close(fd);
    if (!ok) {
        g_free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

/* json-glib's parse error as ours: "<src>:LINE:COL: Parse error: ...". */
static void
set_parse_error(const GError *err, const char *src, GError **error)
{
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
}

/* The root of a parsed document must be an object. */
static gboolean
check_root(JsonParser *parser, const char *src, GError **error)
{
    JsonNode *root = json_parser_get_root(parser);
    if (root == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: empty document (expected a JSON object)",
                    src);
        return FALSE;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: the top level must be a JSON object, got %s", src,
                    tm_i_json_describe(root));
        return FALSE;
    }
    return TRUE;
}

JsonParser *
tm_i_json_parse(const char *data, gssize len_in, const char *src, TmIDocKind kind,
                GError **error)
{
    gsize len = len_in < 0 ? strlen(data) : (gsize)len_in;
    if (!g_utf8_validate_len(data, len, NULL)) {
        tm_i_json_set_utf8_error(data, len, src, kind, error);
        return NULL;
    }
    gsize clamped_len = 0;
    char *clamped = NULL;
    if (!tm_i_json_prescan(data, len, src, &clamped, &clamped_len, error))
        return NULL;
    JsonParser *parser = json_parser_new();
    GError *err = NULL;
    gboolean ok = json_parser_load_from_data(parser, clamped != NULL ? clamped : data,
                                             (gssize)(clamped != NULL ? clamped_len : len), &err);
    g_free(clamped);
    if (!ok) {
        set_parse_error(err, src, error);
        g_error_free(err);
    }
    if (!ok || !check_root(parser, src, error)) {
        g_object_unref(parser);
        return NULL;
    }
    return parser;
}
