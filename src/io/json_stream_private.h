/* techmatch — private to the io layer: a strict, streaming JSON reader
 * (RFC 8259) that hands events to a handler.  Not installed.
 *
 *   json_stream.c  bytes -> tokens -> grammar (explicit stack, no recursion)
 *   json_strings.c the lexer inside strings (escapes, UTF-8)
 *   json_keys.c    the keys of every open object, to refuse duplicates
 *
 * What it refuses, each as TM_ERROR_PARSE "<src>:<line>:<column>: ...":
 * anything RFC 8259 does not allow (comments, single quotes, hex and other
 * non-JSON numbers, NaN/Infinity, trailing commas, raw control characters in
 * strings, text after the document), invalid UTF-8 (also overlong forms and
 * encoded surrogates), lone surrogate escapes, `\u0000` (a NUL inside a
 * string), the same key twice in one object, and lists and objects nested
 * more than TM_I_JSON_MAX_DEPTH deep; and a top level that is not an object
 * (both documents of the format are objects).  A leading UTF-8 byte order mark is
 * skipped (RFC 8259 §8.1 allows it).
 *
 * Positions: lines count from 1 at each '\n'; columns count characters
 * (Unicode code points, a tab is one) from 1.  A lexical error is placed at
 * the offending byte, a duplicate key at its opening quote, a truncated
 * document at its end ("unexpected end of input").
 *
 * Memory: the text is read in chunks of tm_i_json_chunk_size bytes; the
 * reader holds one token (a string or number split across chunks is
 * buffered), the keys of the open objects and a fixed stack.  Every buffer
 * grows through tm_i_reserve() (TM_ERROR_NO_MEMORY naming what and how many
 * bytes, never an abort).
 */
#ifndef TECHMATCH_IO_JSON_STREAM_PRIVATE_H
#define TECHMATCH_IO_JSON_STREAM_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* Lists and objects nest at most this deep (the instance format needs 5:
 * root, side, agent, prefs, tie).  Deeper is TM_ERROR_PARSE. */
#define TM_I_JSON_MAX_DEPTH 64

/* Bytes read (or fed, for a buffer) per step: 64 KiB.  Tests lower it to
 * split tokens across chunks; any value >= 1 is valid. */
G_GNUC_INTERNAL extern size_t tm_i_json_chunk_size;

typedef enum {
    TM_I_JSON_NULL,
    TM_I_JSON_FALSE,
    TM_I_JSON_TRUE,
    TM_I_JSON_NUMBER,
    TM_I_JSON_STRING,
    TM_I_JSON_ARRAY,  /* only in descriptions: a list starts */
    TM_I_JSON_OBJECT, /* ... an object starts */
} TmIJsonKind;

/* A scalar value, borrowed for the duration of the callback. */
typedef struct {
    TmIJsonKind kind;
    const char *text; /* STRING: decoded UTF-8 without NUL bytes; NUMBER: the
                       * literal as written; NUL terminated; else "" */
    size_t len;       /* bytes of text */
    gboolean integer; /* NUMBER without fraction or exponent */
} TmIJsonValue;

/* The events of one document, in order.  Each returns FALSE with @error set
 * to stop the reader (the error is passed on as is).  The reader has already
 * checked the grammar: keys come only in objects, each followed by one
 * value; begin/end pair up. */
typedef struct {
    gboolean (*scalar)(void *ctx, const TmIJsonValue *value, GError **error);
    gboolean (*begin)(void *ctx, TmIJsonKind container, GError **error);
    gboolean (*key)(void *ctx, const char *key, size_t len, GError **error);
    gboolean (*end)(void *ctx, TmIJsonKind container, GError **error);
    /* Where the reader is, for a lexical error inside a string (invalid
     * UTF-8, a bad escape): e.g. `supply[1]: field "name"`, or NULL.  @in_key
     * when the string is a key.  Caller g_free()s.  May be NULL. */
    char *(*where)(void *ctx, gboolean in_key);
} TmIJsonHandler;

/* "a string", "a list", "an integer", ... for messages. */
G_GNUC_INTERNAL const char *tm_i_json_kind_describe(TmIJsonKind kind, gboolean integer);

/* Reads @len bytes of @data (-1: NUL terminated) as one JSON document,
 * calling @handler.  @src names the input in messages.  Returns FALSE with
 * @error: TM_ERROR_PARSE (as above, or the handler's), TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_json_read_data(const char *data, gssize len, const char *src,
                                             const TmIJsonHandler *handler, void *ctx,
                                             GError **error);

/* As tm_i_json_read_data() from the file @path, read in chunks (never held
 * whole).  Errors also TM_ERROR_IO naming @path with strerror. */
G_GNUC_INTERNAL gboolean tm_i_json_read_file(const char *path, const TmIJsonHandler *handler,
                                             void *ctx, GError **error);

/* ---- json_keys.c: the keys of the open objects -------------------------- */

typedef struct TmIJsonKeys TmIJsonKeys;

G_GNUC_INTERNAL TmIJsonKeys *tm_i_json_keys_new(void);
G_GNUC_INTERNAL void tm_i_json_keys_free(TmIJsonKeys *keys);

/* Adds @key (@len bytes) to the object open at @depth, first seen at
 * @line:@column.  Returns 1 when added, 0 when that object already has it
 * (its first place in *@first_line, *@first_column), -1 with @error
 * (TM_ERROR_NO_MEMORY). */
G_GNUC_INTERNAL int tm_i_json_keys_add(TmIJsonKeys *keys, int depth, const char *key,
                                       size_t len, int64_t line, int64_t column,
                                       int64_t *first_line, int64_t *first_column,
                                       GError **error);

/* Forgets the keys of the object at @depth (it has closed; it is the
 * innermost object holding keys). */
G_GNUC_INTERNAL void tm_i_json_keys_close(TmIJsonKeys *keys, int depth);

#endif /* TECHMATCH_IO_JSON_STREAM_PRIVATE_H */
