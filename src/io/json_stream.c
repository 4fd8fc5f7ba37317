/* techmatch — a strict, streaming JSON reader (json_stream_private.h).
 *
 * One pass, one byte at a time (runs of plain string bytes at once), in two
 * parts that share a struct:
 *
 *   the lexer   a state machine over bytes that survives any chunk
 *               boundary: between tokens, in a string (escapes, \u hex,
 *               UTF-8 continuation bytes), in a number (the RFC 8259 number
 *               grammar), in true/false/null;
 *   the grammar an explicit stack of open lists and objects (no recursion)
 *               with what may come next; it checks each token where it
 *               starts and reports the value to the handler where it ends.
 *
 * Why not yajl: yajl 2.1 (Debian's libyajl-dev) turns a lone "\ud800" into
 * "?" and "\udc00" into invalid UTF-8 without an error, and its buffers grow
 * with unchecked malloc/realloc (a failed allocation crashes); both break
 * this reader's contract.  The grammar is small enough to own.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <techmatch/error.h>

#include "io/json_stream_private.h"
#include "util/alloc.h"
#include "util/vec.h"

size_t tm_i_json_chunk_size = 65536;

#include "io/json_lexer_private.h"

const char *
tm_i_json_kind_describe(TmIJsonKind kind, gboolean integer)
{
    switch (kind) {
    case TM_I_JSON_NULL:
        return "null";
    case TM_I_JSON_FALSE:
    case TM_I_JSON_TRUE:
        return "a boolean";
    case TM_I_JSON_NUMBER:
        return integer ? "an integer" : "a number";
    case TM_I_JSON_STRING:
        return "a string";
    case TM_I_JSON_ARRAY:
        return "a list";
    case TM_I_JSON_OBJECT:
    default:
        return "an object";
    }
}

/* ---- errors ------------------------------------------------------------- */

/* "<src>:<line>:<column>: [<where>: ]<message>" */
gboolean
tm_i_lex_fail_at(Reader *r, int64_t line, int64_t column, gboolean with_where, GError **error,
        const char *fmt, ...)
{
    GString *msg = g_string_new(NULL);
    g_string_printf(msg, "%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ": ", r->src, line,
                    column);
    char *where = with_where && r->h->where != NULL ? r->h->where(r->ctx, r->in_key) : NULL;
    if (where != NULL)
        g_string_append_printf(msg, "%s: ", where);
    g_free(where);
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(msg, fmt, ap);
    va_end(ap);
    g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, msg->str);
    g_string_free(msg, TRUE);
    return FALSE;
}

#define FAIL(r, error, ...) tm_i_lex_fail_at((r), (r)->line, (r)->column, FALSE, (error), __VA_ARGS__)

/* ---- positions and the token buffer ------------------------------------- */

static inline void
advance(Reader *r, unsigned char c)
{
    r->offset++;
    if (c == '\n') {
        r->line++;
        r->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        r->column++;
    }
}

gboolean
tm_i_lex_tok_append(Reader *r, const void *bytes, size_t n, GError **error)
{
    if (!tm_i_reserve((void **)&r->tok, &r->tok_cap, r->tok_n + (int64_t)n + 1, 1,
                      r->lx == LX_NUM ? "JSON number" : "JSON string", error)) {
        g_prefix_error(error, "%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ": ", r->src,
                       r->tok_line, r->tok_column);
        return FALSE;
    }
    memcpy(r->tok + r->tok_n, bytes, n);
    r->tok_n += (int64_t)n;
    r->tok[r->tok_n] = '\0';
    return TRUE;
}

static gboolean
tok_start(Reader *r, LexState lx, GError **error)
{
    r->tok_line = r->line;
    r->tok_column = r->column;
    r->tok_n = 0;
    r->lx = lx;
    r->any_token = TRUE;
    return tm_i_lex_tok_append(r, "", 0, error); /* a NUL terminated empty token */
}

/* ---- the grammar -------------------------------------------------------- */

static char
top(const Reader *r)
{
    return r->depth > 0 ? r->stack[r->depth - 1] : 0;
}

/* May a value start here (@what: "'['", "a string", "true", ...)?  A string
 * may also be a key: see string_start. */
static gboolean
value_allowed(Reader *r, const char *what, GError **error)
{
    switch (r->g) {
    case G_START: /* both documents of the format are objects */
        if (strcmp(what, "'{'") == 0)
            return TRUE;
        return FAIL(r, error, "the top level must be a JSON object, got %s",
                    strcmp(what, "'['") == 0 ? "a list"
                    : strcmp(what, "true") == 0 || strcmp(what, "false") == 0 ? "a boolean"
                                                                               : what);
    case G_ARR_FIRST:
    case G_ARR_NEXT:
    case G_OBJ_VALUE:
        return TRUE;
    case G_OBJ_FIRST:
    case G_OBJ_NEXT:
        return FAIL(r, error, "expected a key (a string in double quotes), found %s", what);
    case G_COLON:
        return FAIL(r, error, "expected ':' after the key, found %s", what);
    case G_AFTER:
        return FAIL(r, error, "expected ',' or '%c', found %s", top(r) == 'a' ? ']' : '}',
                    what);
    case G_DONE:
    default:
        return FAIL(r, error, "unexpected %s after the end of the document", what);
    }
}

static void
after_value(Reader *r)
{
    r->g = r->depth == 0 ? G_DONE : G_AFTER;
}

static gboolean
open_container(Reader *r, char c, GError **error)
{
    if (!value_allowed(r, c == '[' ? "'['" : "'{'", error))
        return FALSE;
    if (r->depth >= TM_I_JSON_MAX_DEPTH)
        return FAIL(r, error, "lists and objects nested more than %d deep", TM_I_JSON_MAX_DEPTH);
    r->any_token = TRUE;
    r->stack[r->depth++] = c == '[' ? 'a' : 'o';
    r->g = c == '[' ? G_ARR_FIRST : G_OBJ_FIRST;
    return r->h->begin(r->ctx, c == '[' ? TM_I_JSON_ARRAY : TM_I_JSON_OBJECT, error);
}

static gboolean
close_container(Reader *r, char c, GError **error)
{
    char want = c == ']' ? 'a' : 'o';
    if ((r->g == G_ARR_NEXT && c == ']') || (r->g == G_OBJ_NEXT && c == '}'))
        return FAIL(r, error, "trailing comma before '%c' (not allowed in JSON)", c);
    gboolean ok = top(r) == want
                  && (r->g == G_AFTER || r->g == (want == 'a' ? G_ARR_FIRST : G_OBJ_FIRST));
    if (!ok) {
        if (r->g == G_COLON || r->g == G_OBJ_VALUE)
            return FAIL(r, error, "unexpected '%c': the key has no value", c);
        if (top(r) == 0)
            return FAIL(r, error, "unexpected '%c' (nothing is open)", c);
        return FAIL(r, error, "unexpected '%c' (the innermost open %s needs '%c')", c,
                    top(r) == 'a' ? "list" : "object", top(r) == 'a' ? ']' : '}');
    }
    if (want == 'o')
        tm_i_json_keys_close(r->keys, r->depth);
    r->depth--;
    after_value(r);
    return r->h->end(r->ctx, want == 'a' ? TM_I_JSON_ARRAY : TM_I_JSON_OBJECT, error);
}

static gboolean
punctuation(Reader *r, char c, GError **error)
{
    if (c == ':' && r->g == G_COLON) {
        r->g = G_OBJ_VALUE;
        return TRUE;
    }
    if (c == ',' && r->g == G_AFTER) {
        r->g = top(r) == 'a' ? G_ARR_NEXT : G_OBJ_NEXT;
        return TRUE;
    }
    if (c == ',' && (r->g == G_ARR_NEXT || r->g == G_OBJ_NEXT))
        return FAIL(r, error, "two commas in a row");
    if (c == ':' && r->g == G_AFTER && top(r) == 'o')
        return FAIL(r, error, "unexpected ':' (a key has one value)");
    return value_allowed(r, c == ',' ? "','" : "':'", error)
           && FAIL(r, error, "unexpected '%c'", c);
}

/* A scalar token ended: hand it over. */
static gboolean
emit_scalar(Reader *r, TmIJsonKind kind, GError **error)
{
    TmIJsonValue v = {kind, r->tok != NULL ? r->tok : "", (size_t)r->tok_n,
                      kind == TM_I_JSON_NUMBER && r->num_integer};
    r->lx = LX_WS;
    after_value(r);
    return r->h->scalar(r->ctx, &v, error);
}

static gboolean
string_start(Reader *r, GError **error)
{
    r->in_key = r->g == G_OBJ_FIRST || r->g == G_OBJ_NEXT;
    if (!r->in_key && !value_allowed(r, "a string", error))
        return FALSE;
    r->high = 0;
    return tok_start(r, LX_STR, error);
}

gboolean
tm_i_lex_string_end(Reader *r, GError **error)
{
    if (!r->in_key)
        return emit_scalar(r, TM_I_JSON_STRING, error);
    int64_t line = 0, column = 0;
    int added = tm_i_json_keys_add(r->keys, r->depth, r->tok, (size_t)r->tok_n, r->tok_line,
                                   r->tok_column, &line, &column, error);
    if (added < 0)
        return FALSE;
    if (added == 0)
        return tm_i_lex_fail_at(r, r->tok_line, r->tok_column, FALSE, error,
                       "duplicate key \"%s\" in one object (first at line %" G_GINT64_FORMAT
                       ", column %" G_GINT64_FORMAT "; JSON object keys must be unique)",
                       r->tok, line, column);
    r->lx = LX_WS;
    r->in_key = FALSE;
    r->g = G_COLON;
    return r->h->key(r->ctx, r->tok, (size_t)r->tok_n, error);
}

/* ---- the lexer: numbers and literals ------------------------------------ */

/* Byte @c in a number: TRUE with *@consumed when it belongs to it; when it
 * does not, the number is over (if it may end here) and @c is left. */
static gboolean
number_byte(Reader *r, unsigned char c, gboolean *consumed, GError **error)
{
    gboolean digit = c >= '0' && c <= '9';
    NumState next = r->num;
    *consumed = TRUE;
    switch (r->num) {
    case N_MINUS:
        if (!digit)
            return FAIL(r, error, "a digit must follow '-' (NaN and Infinity are not JSON)");
        next = c == '0' ? N_ZERO : N_INT;
        break;
    case N_ZERO:
    case N_INT:
        if (digit && r->num == N_ZERO)
            return FAIL(r, error, "a number must not start with 0 and more digits");
        if ((c == 'x' || c == 'X') && r->num == N_ZERO)
            return FAIL(r, error, "hexadecimal numbers are not JSON");
        if (c == '.' || c == 'e' || c == 'E') {
            r->num_integer = FALSE;
            next = c == '.' ? N_DOT : N_E;
        } else if (!digit) {
            *consumed = FALSE;
        }
        break;
    case N_DOT:
        if (!digit)
            return FAIL(r, error, "a digit must follow the decimal point");
        next = N_FRAC;
        break;
    case N_FRAC:
        if (c == 'e' || c == 'E')
            next = N_E;
        else if (!digit)
            *consumed = FALSE;
        break;
    case N_E:
        if (c == '+' || c == '-') {
            next = N_ESIGN;
            break;
        }
        /* fall through */
    case N_ESIGN:
        if (!digit)
            return FAIL(r, error, "a digit must follow the exponent");
        next = N_EXP;
        break;
    case N_EXP:
        if (!digit)
            *consumed = FALSE;
        break;
    }
    if (!*consumed)
        return emit_scalar(r, TM_I_JSON_NUMBER, error);
    r->num = next;
    return tm_i_lex_tok_append(r, &c, 1, error);
}

static gboolean
number_start(Reader *r, unsigned char c, GError **error)
{
    if (!value_allowed(r, "a number", error) || !tok_start(r, LX_NUM, error))
        return FALSE;
    r->num_integer = TRUE;
    r->num = c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
    return tm_i_lex_tok_append(r, &c, 1, error);
}

static gboolean
literal_start(Reader *r, unsigned char c, GError **error)
{
    /* at the top, a word is checked when it ends (is it a literal at all?) */
    if ((r->g != G_START
         && !value_allowed(r, c == 't' ? "true" : c == 'f' ? "false" : "null", error))
        || !tok_start(r, LX_LIT, error))
        return FALSE;
    r->lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
    r->lit_kind = c == 't' ? TM_I_JSON_TRUE : c == 'f' ? TM_I_JSON_FALSE : TM_I_JSON_NULL;
    r->lit_i = 1;
    return TRUE;
}

static gboolean
literal_byte(Reader *r, unsigned char c, GError **error)
{
    if ((unsigned char)r->lit[r->lit_i] != c)
        return tm_i_lex_fail_at(r, r->tok_line, r->tok_column, FALSE, error,
                       "not JSON: a value is a \"string\", a number, true, false, null, "
                       "[a list] or {an object}");
    if (r->lit[++r->lit_i] != '\0')
        return TRUE;
    if (r->g == G_START)
        return value_allowed(r, r->lit, error); /* refused: not an object */
    r->tok_n = 0;
    r->tok[0] = '\0';
    return emit_scalar(r, r->lit_kind, error);
}

/* ---- the lexer: between tokens ------------------------------------------ */

static gboolean
between_tokens(Reader *r, unsigned char c, GError **error)
{
    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        return TRUE;
    case '[':
    case '{':
        return open_container(r, (char)c, error);
    case ']':
    case '}':
        return close_container(r, (char)c, error);
    case ',':
    case ':':
        return punctuation(r, (char)c, error);
    case '"':
        return string_start(r, error);
    case 't':
    case 'f':
    case 'n':
        return literal_start(r, c, error);
    case '/':
        return FAIL(r, error, "comments are not allowed in JSON");
    case '\'':
        return FAIL(r, error, "single-quoted strings are not allowed in JSON (use \")");
    case 'N':
    case 'I':
        return FAIL(r, error, "NaN and Infinity are not JSON numbers");
    default:
        break;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return number_start(r, c, error);
    if (c == 0xEF && r->offset == 0) {
        r->lx = LX_BOM;
        r->lit_i = 1;
        return TRUE;
    }
    if (c > 0x20 && c < 0x7f)
        return FAIL(r, error, "unexpected character `%c'", c);
    return FAIL(r, error, "unexpected byte 0x%02X outside a string", c);
}

/* ---- driving ------------------------------------------------------------ */

/* Plain string bytes from @p (up to @end): they need no checks. */
static size_t
plain_run(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
        q++;
    return (size_t)(q - p);
}

/* One byte in state r->lx; *@consumed FALSE when it must be seen again (it
 * ended a number). */
static gboolean
step(Reader *r, unsigned char c, gboolean *consumed, GError **error)
{
    *consumed = TRUE;
    switch (r->lx) {
    case LX_WS:
        return between_tokens(r, c, error);
    case LX_BOM:
        if (c != (unsigned char)"\xEF\xBB\xBF"[r->lit_i])
            return FAIL(r, error, "not valid UTF-8 (byte 0xEF outside a string)");
        if (++r->lit_i == 3)
            r->lx = LX_WS;
        return TRUE;
    case LX_STR:
        return tm_i_lex_string_byte(r, c, error);
    case LX_UTF8:
        return tm_i_lex_utf8_continuation(r, c, error);
    case LX_ESC:
        return tm_i_lex_escape_char(r, c, error);
    case LX_HEX:
        return tm_i_lex_hex_digit(r, c, error);
    case LX_NUM:
        return number_byte(r, c, consumed, error);
    case LX_LIT:
    default:
        return literal_byte(r, c, error);
    }
}

static gboolean
feed(Reader *r, const unsigned char *p, size_t n, GError **error)
{
    const unsigned char *end = p + n;
    while (p < end) {
        if (r->lx == LX_STR && r->high == 0) {
            size_t run = plain_run(p, end);
            if (run > 0) {
                if (!tm_i_lex_tok_append(r, p, run, error))
                    return FALSE;
                r->offset += run;
                r->column += (int64_t)run;
                p += run;
                continue;
            }
        }
        gboolean consumed;
        if (!step(r, *p, &consumed, error))
            return FALSE;
        if (consumed) {
            advance(r, *p);
            p++;
        }
    }
    return TRUE;
}

static gboolean
finish(Reader *r, GError **error)
{
    if (r->lx == LX_NUM && r->num != N_MINUS && r->num != N_DOT && r->num != N_E
        && r->num != N_ESIGN && !emit_scalar(r, TM_I_JSON_NUMBER, error))
        return FALSE;
    if (!r->any_token && r->lx != LX_BOM) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: empty document (expected a JSON object)",
                    r->src);
        return FALSE;
    }
    if (r->lx == LX_STR || r->lx == LX_UTF8 || r->lx == LX_ESC || r->lx == LX_HEX)
        return FAIL(r, error, "unexpected end of input in a string (it starts at line %"
                    G_GINT64_FORMAT ", column %" G_GINT64_FORMAT ")",
                    r->tok_line, r->tok_column);
    if (r->lx != LX_WS || r->g != G_DONE)
        return FAIL(r, error, "unexpected end of input (%d list%s or object%s still open)",
                    r->depth, r->depth == 1 ? "" : "s", r->depth == 1 ? "" : "s");
    return TRUE;
}

static void
reader_init(Reader *r, const char *src, const TmIJsonHandler *h, void *ctx)
{
    memset(r, 0, sizeof *r);
    r->src = src;
    r->h = h;
    r->ctx = ctx;
    r->keys = tm_i_json_keys_new();
    r->line = r->column = 1;
    r->lx = LX_WS;
    r->g = G_START;
}

static void
reader_clear(Reader *r)
{
    tm_i_json_keys_free(r->keys);
    g_free(r->tok);
}

gboolean
tm_i_json_read_data(const char *data, gssize len, const char *src,
                    const TmIJsonHandler *handler, void *ctx, GError **error)
{
    Reader r;
    reader_init(&r, src, handler, ctx);
    size_t n = len < 0 ? strlen(data) : (size_t)len;
    size_t chunk = tm_i_json_chunk_size > 0 ? tm_i_json_chunk_size : 1;
    gboolean ok = TRUE;
    for (size_t at = 0; ok && at < n; at += chunk)
        ok = feed(&r, (const unsigned char *)data + at, MIN(chunk, n - at), error);
    ok = ok && finish(&r, error);
    reader_clear(&r);
    return ok;
}

/* Reads @fd in chunks into @r. */
static gboolean
feed_fd(Reader *r, int fd, const char *path, GError **error)
{
    size_t chunk = tm_i_json_chunk_size > 0 ? tm_i_json_chunk_size : 1;
    unsigned char *buf = tm_i_try_alloc((int64_t)chunk, 1, FALSE, "file buffer", error);
    if (buf == NULL) {
        g_prefix_error(error, "%s: ", path);
        return FALSE;
    }
    gboolean ok = TRUE;
    for (;;) {
        ssize_t got = read(fd, buf, chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read: %s", path,
                        g_strerror(e));
            ok = FALSE;
        }
        if (got <= 0 || !(ok = feed(r, buf, (size_t)got, error)))
            break;
    }
    g_free(buf);
    return ok;
}

gboolean
tm_i_json_read_file(const char *path, const TmIJsonHandler *handler, void *ctx,
                    GError **error)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot open: %s", path, g_strerror(e));
        return FALSE;
    }
    Reader r;
    reader_init(&r, path, handler, ctx);
    gboolean ok = feed_fd(&r, fd, path, error) && finish(&r, error);
    close(fd);
    reader_clear(&r);
    return ok;
}
