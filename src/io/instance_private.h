/* techmatch — private to the io layer: what the files of the JSON instance
 * code (DESIGN §6) share.  Not installed.
 *
 *   json_common.c    quoting, node descriptions, located error messages, counts
 *   json_document.c  bytes -> checked json-glib document (reads files too)
 *   json_prescan.c   nesting guard and integer clamping before json-glib parses
 *   json_diag.c      where invalid UTF-8 is, by line, column, agent and field
 *   instance.c       the TmInstance object and its accessors
 *   instance_read.c  document -> instance: sides, capacities, preference lists
 *   groups_read.c    document -> groups and priority
 *   matching_read.c  matching documents {"pairs": [...]}
 *   instance_write.c solution and verdict documents
 */
#ifndef TECHMATCH_IO_INSTANCE_PRIVATE_H
#define TECHMATCH_IO_INSTANCE_PRIVATE_H

#include <stdint.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include <techmatch/error.h>
#include <techmatch/groups.h>
#include <techmatch/instance.h>
#include <techmatch/market.h>

/* tm_i_try_alloc(): the non-aborting allocator for sizes derived from input */
#include "util/alloc.h"

struct TmInstance {
    TmMarket *market;
    int32_t n[2];
    char **names[2];        /* n[side] + 1 entries, NULL terminated, owned */
    GHashTable *index[2];   /* name (borrowed from names) -> GINT_TO_POINTER(id) */
    TmGroups *groups;       /* NULL when the document has no "groups" */
    char **group_names;     /* tm_groups_n(groups) + 1 entries, NULL terminated, owned */
};

/* "supply" and "demand", indexed by TmSide: the document's member names. */
G_GNUC_INTERNAL extern const char *const tm_i_side_names[2];

/* ---- json_common.c ------------------------------------------------------ */

/* @source_name, or "<input>" when NULL. */
G_GNUC_INTERNAL const char *tm_i_json_source(const char *source_name);

/* Appends @s (valid UTF-8) double-quoted, escaping only quote, backslash and
 * control characters; other text (Chinese names) is kept as is. */
G_GNUC_INTERNAL void tm_i_json_append_quoted(GString *out, const char *s);

/* "a string", "a list", "an object", "null", "an integer", ... for messages. */
G_GNUC_INTERNAL const char *tm_i_json_describe(JsonNode *node);

/* TRUE when @node (may be NULL) holds a string value. */
G_GNUC_INTERNAL gboolean tm_i_json_is_string(JsonNode *node);

/* Sets @error to "<src>: <list>[<i>] "<name>": <where>: <message>", where
 * <list> is "supply", "demand" or "groups".  @name and @where may be NULL
 * (then left out). */
G_GNUC_INTERNAL void tm_i_json_item_error(GError **error, int code, const char *src,
                                          const char *list, guint i, const char *name,
                                          const char *where, const char *fmt, ...)
    G_GNUC_PRINTF(8, 9);

/* As tm_i_json_item_error() for an agent of @side. */
G_GNUC_INTERNAL void tm_i_json_agent_error(GError **error, int code, const char *src,
                                           TmSide side, guint i, const char *name,
                                           const char *where, const char *fmt, ...)
    G_GNUC_PRINTF(8, 9);

/* As tm_i_json_agent_error() for "groups[<i>]". */
G_GNUC_INTERNAL void tm_i_json_group_error(GError **error, int code, const char *src, guint i,
                                           const char *name, const char *where,
                                           const char *fmt, ...) G_GNUC_PRINTF(7, 8);

/* Reads a count: a JSON integer literal in [0, INT32_MAX] (2.0 and 1e2 are
 * refused).  Returns 0 with *@out set, or an error code with the reason in
 * *@reason (caller g_free()s), e.g. "must be an integer >= 0, got -2". */
G_GNUC_INTERNAL int tm_i_json_read_count(JsonNode *node, int32_t *out, char **reason);

/* The "name" of entry @i of @list (an agent or a group: @noun names it in
 * messages): a non-empty string not yet in @index.  A copy goes to *@slot
 * (owned by the caller) and into @index as @i.  Errors: TM_ERROR_PARSE,
 * TM_ERROR_DUPLICATE, TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_json_read_name(JsonObject *obj, const char *src,
                                             const char *list, const char *noun, guint i,
                                             GHashTable *index, char **slot, GError **error);

/* A copy of @s through tm_i_try_alloc() (free with g_free()), or NULL with
 * TM_ERROR_NO_MEMORY naming @what. */
G_GNUC_INTERNAL char *tm_i_json_strdup(const char *s, const char *what, GError **error);

/* ---- json_document.c ---------------------------------------------------- */

typedef enum { TM_I_DOC_INSTANCE, TM_I_DOC_MATCHING } TmIDocKind;

/* Reads a whole file (NUL terminated, length in *@len_out).  Errors:
 * TM_ERROR_IO naming @path with strerror, TM_ERROR_OVERFLOW,
 * TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL char *tm_i_json_read_file(const char *path, gsize *len_out, GError **error);

/* Checks and parses @data (@len bytes, -1: NUL terminated) into a new parser
 * whose root is a JSON object (unref the parser when done).  Errors:
 * TM_ERROR_PARSE naming @src (line:column when known; for invalid UTF-8 the
 * agent and field when they can be told, as for a document of @kind),
 * TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL JsonParser *tm_i_json_parse(const char *data, gssize len, const char *src,
                                            TmIDocKind kind, GError **error);

/* ---- json_prescan.c ----------------------------------------------------- */

/* Byte @offset of @data (valid UTF-8 up to @offset) as a 1-based line and a
 * column counted in characters. */
G_GNUC_INTERNAL void tm_i_json_line_column(const char *data, gsize offset, gsize *line,
                                           glong *column);

/* One pass over the JSON text before json-glib sees it: refuses nesting
 * deeper than 128 levels (TM_ERROR_PARSE naming @src, line and column), and
 * when an integer literal lies outside int64 sets *@fixed to a copy (NUL
 * terminated, *@fixed_len bytes, g_free()) in which each such literal is
 * replaced by INT64_MIN / INT64_MAX; otherwise *@fixed is NULL.  Errors also
 * TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_json_prescan(const char *data, gsize len, const char *src,
                                           char **fixed, gsize *fixed_len, GError **error);

/* ---- json_diag.c -------------------------------------------------------- */

/* @data (@len bytes) is not valid UTF-8: sets TM_ERROR_PARSE with line,
 * column and, when it can be told, the agent (or pair) and field. */
G_GNUC_INTERNAL void tm_i_json_set_utf8_error(const char *data, gsize len, const char *src,
                                              TmIDocKind kind, GError **error);

/* ---- instance.c --------------------------------------------------------- */

/* A new empty instance (no market, empty name indexes). */
G_GNUC_INTERNAL TmInstance *tm_i_instance_new(void);

/* Looks @name up in a side's @index; TRUE with *@id when found. */
G_GNUC_INTERNAL gboolean tm_i_instance_lookup_id(GHashTable *index, const char *name,
                                                 int32_t *id);

/* ---- groups_read.c ------------------------------------------------------ */

/* Reads "priority" (always checked) and "groups" (when present) of @root
 * into inst->groups and inst->group_names; the sides must be read. */
G_GNUC_INTERNAL gboolean tm_i_instance_read_groups(TmInstance *inst, JsonObject *root,
                                                   const char *src, GError **error);

#endif /* TECHMATCH_IO_INSTANCE_PRIVATE_H */
