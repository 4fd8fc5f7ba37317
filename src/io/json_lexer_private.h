/* techmatch — private to the io layer: the state the strict streaming JSON
 * reader's two files share (json_stream.c: between tokens, numbers,
 * literals, the grammar; json_strings.c: inside strings).  Not installed. */
#ifndef TECHMATCH_IO_JSON_LEXER_PRIVATE_H
#define TECHMATCH_IO_JSON_LEXER_PRIVATE_H

#include "io/json_stream_private.h"

typedef enum { LX_WS, LX_BOM, LX_STR, LX_UTF8, LX_ESC, LX_HEX, LX_NUM, LX_LIT } LexState;

/* The number grammar: where in -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
typedef enum { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP } NumState;

/* What the grammar expects next. */
typedef enum {
    G_START,     /* the document's value */
    G_ARR_FIRST, /* after '[': a value or ']' */
    G_ARR_NEXT,  /* after ',' in a list: a value */
    G_OBJ_FIRST, /* after '{': a key or '}' */
    G_OBJ_NEXT,  /* after ',' in an object: a key */
    G_COLON,     /* after a key */
    G_OBJ_VALUE, /* after ':' */
    G_AFTER,     /* after a value in a container: ',' or the close */
    G_DONE,      /* after the document's value: nothing */
} GramState;

typedef struct {
    const char *src;
    const TmIJsonHandler *h;
    void *ctx;
    TmIJsonKeys *keys;
    /* the next byte's place */
    int64_t line, column;
    uint64_t offset;
    /* the current token: where it starts, its bytes (strings decoded) */
    int64_t tok_line, tok_column;
    char *tok;
    int64_t tok_n, tok_cap;
    LexState lx;
    gboolean in_key;
    /* in a string: a UTF-8 sequence (its lead's place), a \u escape */
    int utf8_need;
    unsigned char utf8_lo, utf8_hi, utf8_lead;
    int64_t utf8_line, utf8_column;
    int hex_n;
    uint32_t hex, high; /* high: a high surrogate awaiting its low half, else 0 */
    /* in a number or literal */
    NumState num;
    gboolean num_integer;
    const char *lit;
    int lit_i;
    TmIJsonKind lit_kind;
    /* the grammar */
    GramState g;
    int depth;
    char stack[TM_I_JSON_MAX_DEPTH]; /* 'a' or 'o' per open container */
    gboolean any_token;
} Reader;

/* "<src>:<line>:<column>: [<where>: ]<message>" as TM_ERROR_PARSE; FALSE. */
G_GNUC_INTERNAL gboolean tm_i_lex_fail_at(Reader *r, int64_t line, int64_t column,
                                          gboolean with_where, GError **error, const char *fmt,
                                          ...) G_GNUC_PRINTF(6, 7);

/* Appends @n bytes to the token (kept NUL terminated). */
G_GNUC_INTERNAL gboolean tm_i_lex_tok_append(Reader *r, const void *bytes, size_t n,
                                             GError **error);

/* The closing quote of a string (a value or a key). */
G_GNUC_INTERNAL gboolean tm_i_lex_string_end(Reader *r, GError **error);

/* One byte in state LX_STR (not plain text), LX_UTF8, LX_ESC, LX_HEX. */
G_GNUC_INTERNAL gboolean tm_i_lex_string_byte(Reader *r, unsigned char c, GError **error);
G_GNUC_INTERNAL gboolean tm_i_lex_utf8_continuation(Reader *r, unsigned char c,
                                                    GError **error);
G_GNUC_INTERNAL gboolean tm_i_lex_escape_char(Reader *r, unsigned char c, GError **error);
G_GNUC_INTERNAL gboolean tm_i_lex_hex_digit(Reader *r, unsigned char c, GError **error);

#endif /* TECHMATCH_IO_JSON_LEXER_PRIVATE_H */
