/* techmatch — private to the io layer: what the files of the JSON instance
 * code (DESIGN §6) share.  Not installed.
 *
 *   json_stream.c    strict streaming JSON reader (json_stream_private.h;
 *   json_strings.c   json_lexer_private.h is what the two share)
 *   json_keys.c      duplicate keys in open objects
 *   json_names.c     names interned once: one id per distinct string
 *   json_common.c    quoting, located error messages, counts
 *   instance.c       the TmInstance object and its accessors
 *   instance_read.c  events -> instance: sides, capacities, preference lists
 *   groups_read.c    events -> groups and priority; resolved at the end
 *   matching_read.c  matching documents {"pairs": [...]}
 *   instance_write.c solution and verdict documents (json-glib)
 */
#ifndef TECHMATCH_IO_INSTANCE_PRIVATE_H
#define TECHMATCH_IO_INSTANCE_PRIVATE_H

#include <stdint.h>

#include <glib.h>

#include <techmatch/error.h>
#include <techmatch/groups.h>
#include <techmatch/instance.h>
#include <techmatch/market.h>

#include "io/json_stream_private.h"
/* tm_i_try_alloc(): the non-aborting allocator for sizes derived from input */
#include "util/alloc.h"
#include "util/vec.h"

/* ---- json_names.c: interned names --------------------------------------- */

/* Every distinct string is stored once and gets a name id (nid, 0, 1, ...);
 * per nid, the supply agent, demand agent and group of that name (-1: none).
 * Strings never move.  Memory: the strings plus about 40 bytes each. */
typedef struct TmINames TmINames;

enum { TM_I_ROLE_SUPPLY = 0, TM_I_ROLE_DEMAND = 1, TM_I_ROLE_GROUP = 2 };

G_GNUC_INTERNAL TmINames *tm_i_names_new(void);
G_GNUC_INTERNAL void tm_i_names_free(TmINames *names);

/* The nid of @s (@len bytes, no NUL inside), adding it when new; -1 with
 * TM_ERROR_NO_MEMORY (or TM_ERROR_OVERFLOW past INT32_MAX names). */
G_GNUC_INTERNAL int32_t tm_i_names_intern(TmINames *names, const char *s, size_t len,
                                          GError **error);

/* The nid of @s, or -1. */
G_GNUC_INTERNAL int32_t tm_i_names_lookup(const TmINames *names, const char *s, size_t len);

/* The string of @nid (NUL terminated, owned by @names). */
G_GNUC_INTERNAL const char *tm_i_names_str(const TmINames *names, int32_t nid);

/* The id that @nid has in @role, -1 when none. */
G_GNUC_INTERNAL int32_t tm_i_names_role(const TmINames *names, int32_t nid, int role);
G_GNUC_INTERNAL void tm_i_names_set_role(TmINames *names, int32_t nid, int role, int32_t id);

/* ---- the instance ------------------------------------------------------- */

struct TmInstance {
    TmMarket *market;
    int32_t n[2];
    const char **names[2];    /* n[side] + 1 entries, NULL terminated; strings in pool */
    TmINames *pool;           /* every name once; nid -> agent per side, group */
    TmGroups *groups;         /* NULL when the document has no "groups" */
    const char **group_names; /* tm_groups_n(groups) + 1 entries, NULL terminated */
    double *weights;          /* one per supply list entry, NULL without "weights" */
    char *name_text;          /* edge files: the decimal names, one block (else NULL) */
    gboolean numeric_names;   /* edge files: names are the ids; @pool is empty */
};

/* ---- weights_read.c: the "weights" member ------------------------------ */

/* [[supply, demand, weight], ...] as name ids while reading. */
typedef struct {
    gboolean present;
    TmIVecI32 snid, dnid;
    TmIVecF64 w;
    int64_t at;     /* the open triple */
    int32_t count;  /* its elements so far */
    int32_t s, d;   /* their name ids */
    double x;
} TmIWeightsReader;

/* An element of the "weights" list begins (@got describes it); FALSE with
 * TM_ERROR_PARSE unless it is a list. */
G_GNUC_INTERNAL gboolean tm_i_weights_triple_begin(TmIWeightsReader *w, const char *src,
                                                   int64_t at, TmIJsonKind kind,
                                                   const char *got, GError **error);
/* A scalar inside the open triple. */
G_GNUC_INTERNAL gboolean tm_i_weights_scalar(TmIWeightsReader *w, TmINames *pool,
                                             const char *src, const TmIJsonValue *v,
                                             GError **error);
/* A list or object inside the open triple: always FALSE (TM_ERROR_PARSE). */
G_GNUC_INTERNAL gboolean tm_i_weights_nested(TmIWeightsReader *w, const char *src,
                                             TmIJsonKind kind, GError **error);
/* The open triple closes: it must have had three elements. */
G_GNUC_INTERNAL gboolean tm_i_weights_triple_end(TmIWeightsReader *w, const char *src,
                                                 GError **error);
/* "weights[i]" (or "weights"), for a fault inside a string. */
G_GNUC_INTERNAL char *tm_i_weights_where(const TmIWeightsReader *w, gboolean in_triple);
/* Resolves the names into inst->weights once the market is built: unknown
 * names (TM_ERROR_UNKNOWN_NAME), pairs that are not acceptable
 * (TM_ERROR_INVALID_ARGUMENT), a pair twice (TM_ERROR_DUPLICATE). */
G_GNUC_INTERNAL gboolean tm_i_weights_finish(TmIWeightsReader *w, TmInstance *inst,
                                             const char *src, GError **error);
G_GNUC_INTERNAL void tm_i_weights_clear(TmIWeightsReader *w);

/* "supply" and "demand", indexed by TmSide: the document's member names. */
G_GNUC_INTERNAL extern const char *const tm_i_side_names[2];

/* ---- json_common.c ------------------------------------------------------ */

/* @source_name, or "<input>" when NULL. */
G_GNUC_INTERNAL const char *tm_i_json_source(const char *source_name);

/* Appends @s (valid UTF-8) double-quoted, escaping only quote, backslash and
 * control characters; other text (Chinese names) is kept as is. */
G_GNUC_INTERNAL void tm_i_json_append_quoted(GString *out, const char *s);

/* "a string", "a list", "an integer", ... for a scalar. */
G_GNUC_INTERNAL const char *tm_i_json_describe(const TmIJsonValue *value);

/* Sets @error to "<src>: <list>[<i>] "<name>": <where>: <message>", where
 * <list> is "supply", "demand" or "groups".  @name and @where may be NULL
 * (then left out). */
G_GNUC_INTERNAL void tm_i_json_item_error(GError **error, int code, const char *src,
                                          const char *list, int64_t i, const char *name,
                                          const char *where, const char *fmt, ...)
    G_GNUC_PRINTF(8, 9);

/* Reads a count: a JSON integer literal in [0, INT32_MAX] (2.0 and 1e2 are
 * refused); @value NULL means a list or object of kind @container.  Returns
 * 0 with *@out set, or an error code with the reason in *@reason (caller
 * g_free()s), e.g. "must be an integer >= 0, got -2". */
G_GNUC_INTERNAL int tm_i_json_read_count(const TmIJsonValue *value, TmIJsonKind container,
                                         int32_t *out, char **reason);

/* A field read while its object is open, checked when it closes (so that
 * messages can name the entry whatever the order of its members). */
typedef struct {
    gboolean seen;
    int code;     /* 0: fine */
    char *reason; /* with code != 0, owned */
    int32_t value;
} TmIField;

/* The first fault inside a list member of an open entry. */
typedef struct {
    int code; /* 0: none */
    char *where, *message;
} TmIPending;

G_GNUC_INTERNAL void tm_i_pending_set(TmIPending *p, int code, char *where, char *message);
G_GNUC_INTERNAL void tm_i_pending_clear(TmIPending *p);

/* The "name" field of an entry: its nid once read, else why not. */
typedef struct {
    int32_t nid;      /* -1 until a valid string is read */
    const char *type; /* not NULL: the name was not a string, but this */
    gboolean empty;
} TmIName;

/* Checks @name of entry @i of @list (an agent or a group: @noun in
 * messages) as the name of role @role in @pool: present, a non-empty string
 * not used by another entry.  Errors: TM_ERROR_PARSE, TM_ERROR_DUPLICATE. */
G_GNUC_INTERNAL gboolean tm_i_json_check_name(const TmIName *name, const TmINames *pool,
                                              int role, const char *src, const char *list,
                                              const char *noun, int64_t i, GError **error);

/* ---- instance.c --------------------------------------------------------- */

/* A new empty instance (no market, an empty pool). */
G_GNUC_INTERNAL TmInstance *tm_i_instance_new(void);

/* The agent of @side called @name (@len bytes); TRUE with *@id when found. */
G_GNUC_INTERNAL gboolean tm_i_instance_lookup_id(const TmInstance *inst, TmSide side,
                                                 const char *name, size_t len, int32_t *id);

/* ---- groups_read.c ------------------------------------------------------ */

/* What the groups and priority reader keeps while the document streams. */
typedef struct TmIGroupsReader TmIGroupsReader;

G_GNUC_INTERNAL TmIGroupsReader *tm_i_groups_reader_new(TmINames *pool, const char *src);
G_GNUC_INTERNAL void tm_i_groups_reader_free(TmIGroupsReader *g);

/* Events inside "groups" (@depth 0: the list itself) and "priority".  Each
 * returns FALSE with @error to stop. */
G_GNUC_INTERNAL gboolean tm_i_groups_begin(TmIGroupsReader *g, int depth, TmIJsonKind kind,
                                           GError **error);
G_GNUC_INTERNAL gboolean tm_i_groups_key(TmIGroupsReader *g, int depth, const char *key,
                                         GError **error);
G_GNUC_INTERNAL gboolean tm_i_groups_scalar(TmIGroupsReader *g, int depth,
                                            const TmIJsonValue *v, GError **error);
G_GNUC_INTERNAL gboolean tm_i_groups_end(TmIGroupsReader *g, int depth, GError **error);
G_GNUC_INTERNAL gboolean tm_i_priority_entry(TmIGroupsReader *g, const TmIJsonValue *v,
                                             TmIJsonKind container, GError **error);
/* `groups[1] "food": members[0]` for a lexical error (g_free()), or NULL. */
G_GNUC_INTERNAL char *tm_i_groups_where(const TmIGroupsReader *g, int depth, gboolean in_key);
G_GNUC_INTERNAL char *tm_i_priority_where(const TmIGroupsReader *g);

/* At the end, with the market built: checks "priority" (always) and adds
 * the groups (when the document had "groups") to inst->groups. */
G_GNUC_INTERNAL gboolean tm_i_groups_finish(TmIGroupsReader *g, TmInstance *inst,
                                            gboolean has_groups, GError **error);

#endif /* TECHMATCH_IO_INSTANCE_PRIVATE_H */
