/* techmatch — the lexer inside strings for the strict streaming JSON
 * reader (json_stream_private.h, json_lexer_private.h): escapes, \u hex
 * with surrogate pairs, UTF-8 checked byte by byte (overlong forms, encoded
 * surrogates and code points above U+10FFFF refused), control characters.
 * Every state survives a chunk boundary. */
#include <string.h>

#include <techmatch/error.h>

#include "io/json_lexer_private.h"

#define IN_STRING(r, error, ...) \
    tm_i_lex_fail_at((r), (r)->line, (r)->column, TRUE, (error), __VA_ARGS__)

/* Appends code point @cp as UTF-8. */
static gboolean
append_code_point(Reader *r, uint32_t cp, GError **error)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return tm_i_lex_tok_append(r, b, n, error);
}

/* The four hex digits of a \u escape are in r->hex. */
static gboolean
escape_done(Reader *r, GError **error)
{
    uint32_t cp = r->hex;
    r->lx = LX_STR;
    if (r->high != 0) {
        if (cp < 0xDC00 || cp > 0xDFFF)
            return IN_STRING(r, error,
                                  "\\u%04x is a lone surrogate (a \\uD800-\\uDBFF escape must "
                                  "be followed by a \\uDC00-\\uDFFF one)",
                                  (unsigned)r->high);
        cp = 0x10000 + ((r->high - 0xD800) << 10) + (cp - 0xDC00);
        r->high = 0;
        return append_code_point(r, cp, error);
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        r->high = cp;
        return TRUE;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return IN_STRING(r, error,
                              "\\u%04x is a lone surrogate (a low surrogate must follow a "
                              "\\uD800-\\uDBFF escape)",
                              (unsigned)cp);
    if (cp == 0)
        return IN_STRING(r, error, "\\u0000 (a NUL character) is not allowed in a string");
    return append_code_point(r, cp, error);
}

/* The byte after a backslash. */
gboolean
tm_i_lex_escape_char(Reader *r, unsigned char c, GError **error)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (r->high != 0 && c != 'u')
        return IN_STRING(r, error,
                              "\\u%04x is a lone surrogate (a \\uD800-\\uDBFF escape must be "
                              "followed by a \\uDC00-\\uDFFF one)",
                              (unsigned)r->high);
    if (c == 'u') {
        r->lx = LX_HEX;
        r->hex_n = 0;
        r->hex = 0;
        return TRUE;
    }
    const char *p = c != 0 ? strchr(from, c) : NULL;
    if (p == NULL) {
        if (c >= 0x20 && c < 0x7f)
            return IN_STRING(r, error, "invalid escape \\%c in a string", c);
        return IN_STRING(r, error, "invalid escape (byte 0x%02X after a backslash)", c);
    }
    r->lx = LX_STR;
    return tm_i_lex_tok_append(r, &to[p - from], 1, error);
}

/* A byte >= 0x80 in a string: the lead of a UTF-8 sequence. */
static gboolean
utf8_lead(Reader *r, unsigned char c, GError **error)
{
    r->utf8_lead = c;
    r->utf8_line = r->line;
    r->utf8_column = r->column;
    r->utf8_lo = 0x80;
    r->utf8_hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        r->utf8_need = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        r->utf8_need = 2;
    else if (c >= 0xF0 && c <= 0xF4)
        r->utf8_need = 3;
    else
        return IN_STRING(r, error, "not valid UTF-8 (byte 0x%02X)", c);
    if (c == 0xE0)
        r->utf8_lo = 0xA0; /* overlong */
    else if (c == 0xED)
        r->utf8_hi = 0x9F; /* a surrogate */
    else if (c == 0xF0)
        r->utf8_lo = 0x90; /* overlong */
    else if (c == 0xF4)
        r->utf8_hi = 0x8F; /* above U+10FFFF */
    r->lx = LX_UTF8;
    return tm_i_lex_tok_append(r, &c, 1, error);
}

gboolean
tm_i_lex_utf8_continuation(Reader *r, unsigned char c, GError **error)
{
    if (c < r->utf8_lo || c > r->utf8_hi)
        return tm_i_lex_fail_at(r, r->utf8_line, r->utf8_column, TRUE, error,
                       "not valid UTF-8 (byte 0x%02X)", r->utf8_lead);
    r->utf8_lo = 0x80;
    r->utf8_hi = 0xBF;
    if (--r->utf8_need == 0)
        r->lx = LX_STR;
    return tm_i_lex_tok_append(r, &c, 1, error);
}

/* One byte of a string that is not plain ASCII text. */
gboolean
tm_i_lex_string_byte(Reader *r, unsigned char c, GError **error)
{
    if (r->high != 0 && c != '\\')
        return IN_STRING(r, error,
                              "\\u%04x is a lone surrogate (a \\uD800-\\uDBFF escape must be "
                              "followed by a \\uDC00-\\uDFFF one)",
                              (unsigned)r->high);
    if (c == '"')
        return tm_i_lex_string_end(r, error);
    if (c == '\\') {
        r->lx = LX_ESC;
        return TRUE;
    }
    if (c >= 0x80)
        return utf8_lead(r, c, error);
    if (c == '\n')
        return IN_STRING(r, error, "a string must end on the line it starts (line %" G_GINT64_FORMAT
                              "); write a line break inside a string as \\n", r->tok_line);
    return IN_STRING(r, error, "control character 0x%02X in a string (write it as an escape)",
                          c);
}

gboolean
tm_i_lex_hex_digit(Reader *r, unsigned char c, GError **error)
{
    int v = g_ascii_xdigit_value((char)c);
    if (v < 0)
        return IN_STRING(r, error, "a \\u escape needs four hex digits");
    r->hex = r->hex * 16 + (uint32_t)v;
    return ++r->hex_n < 4 || escape_done(r, error);
}

