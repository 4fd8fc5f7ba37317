/* techmatch — one pass over JSON text before json-glib parses it.
 *
 *   - Nesting deeper than 128 levels is refused: json-glib's parser recurses
 *     once per level and would overflow the stack on, say, a million '['.
 *     The format itself needs at most 5 levels.
 *   - json-glib silently wraps integer literals outside int64 (e.g.
 *     -99999999999999999999 reads as 1), so such literals are clamped to
 *     INT64_MIN / INT64_MAX; the readers then refuse them as negative or too
 *     large like any other out-of-range count.
 *
 * Strings are skipped; text that is not JSON is left to the parser to refuse.
 */
#include <string.h>

#include "io/instance_private.h"

#define MAX_NESTING 128

void
tm_i_json_line_column(const char *data, gsize offset, gsize *line, glong *column)
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

/* The text being scanned and its clamped copy. */
typedef struct {
    const char *data;
    gsize len;
    char *out;      /* NULL until a literal needs clamping */
    gsize out_len;  /* bytes written to out */
    gsize copied;   /* data[0, copied) is accounted for in out */
} Scan;

/* Copies data[copied, upto) and then @text into the copy, which is made on
 * first use.  A clamped literal is never longer than the one it replaces
 * (at least 19 digits, plus the sign), so @len + 1 bytes always suffice. */
static gboolean
scan_emit(Scan *sc, gsize upto, const char *text, GError **error)
{
    if (sc->out == NULL
        && !(sc->out = tm_i_try_alloc((int64_t)sc->len + 1, 1, FALSE, "JSON text", error)))
        return FALSE;
    memcpy(sc->out + sc->out_len, sc->data + sc->copied, upto - sc->copied);
    sc->out_len += upto - sc->copied;
    size_t n = strlen(text);
    memcpy(sc->out + sc->out_len, text, n);
    sc->out_len += n;
    return TRUE;
}

/* Skips the number starting at *@i, clamping it when it is an integer
 * literal outside int64. */
static gboolean
scan_number(Scan *sc, gsize *i, GError **error)
{
    const char *data = sc->data;
    gsize len = sc->len, start = *i, k = *i;
    gboolean negative = data[k] == '-';
    if (negative)
        k++;
    gsize dstart = k;
    while (k < len && g_ascii_isdigit(data[k]))
        k++;
    gsize dend = k;
    gboolean integer = !(k < len && (data[k] == '.' || data[k] == 'e' || data[k] == 'E'));
    while (k < len && (g_ascii_isalnum(data[k]) || data[k] == '.' || data[k] == '+'
                       || data[k] == '-'))
        k++;
    *i = k;
    if (!integer || dend == dstart || digits_fit_int64(data + dstart, dend - dstart, negative))
        return TRUE;
    if (!scan_emit(sc, start, negative ? "-9223372036854775808" : "9223372036854775807", error))
        return FALSE;
    sc->copied = dend;
    return TRUE;
}

static void
nesting_error(const Scan *sc, gsize i, const char *src, GError **error)
{
    gsize line;
    glong column;
    tm_i_json_line_column(sc->data, i, &line, &column);
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                "%s:%" G_GSIZE_FORMAT ":%ld: lists and objects nested more than %d deep", src,
                line, column, MAX_NESTING);
}

gboolean
tm_i_json_prescan(const char *data, gsize len, const char *src, char **fixed, gsize *fixed_len,
                  GError **error)
{
    Scan sc = {data, len, NULL, 0, 0};
    gsize i = 0;
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
                nesting_error(&sc, i, src, error);
                g_free(sc.out);
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
            if (!scan_number(&sc, &i, error)) {
                g_free(sc.out);
                return FALSE;
            }
        } else {
            i++;
        }
    }
    if (sc.out != NULL) {
        if (!scan_emit(&sc, len, "", error)) /* the rest; cannot fail: out exists */
            return FALSE;
        sc.out[sc.out_len] = '\0';
        *fixed_len = sc.out_len;
        *fixed = sc.out;
    }
    return TRUE;
}
