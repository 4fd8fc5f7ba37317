/* techmatch — named instances and the neutral JSON format.
 *
 * A TmInstance is a market plus the names of its agents: the bridge between
 * the integer-id core and files people write.  The JSON format:
 *
 *   {
 *     "supply": [ {"name": "c1", "capacity": 1, "prefs": ["s2", "s1"]} ],
 *     "demand": [ {"name": "s1", "capacity": 2, "prefs": ["c1"]} ]
 *   }
 *
 * Names are non-empty UTF-8 strings (any script), unique within a side.
 * `prefs` is most-preferred first and defaults to an empty list.  `capacity`
 * is a plain integer (not 2.0 or 1e2) and defaults to 1.  Nesting deeper than
 * 128 levels is refused.  A nested list in `prefs`
 * would be a tie: this version rejects it with TM_ERROR_UNSUPPORTED.
 * Unknown members are ignored.  A pair is acceptable only if each side lists
 * the other.
 *
 * Matching files:  {"pairs": [["c1", "s2"], ...]}  (other members ignored).
 */
#ifndef TECHMATCH_INSTANCE_H
#define TECHMATCH_INSTANCE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>

G_BEGIN_DECLS

typedef struct TmInstance TmInstance;

/**
 * tm_instance_load_json_file:
 * Reads an instance from @path.  Returns a new instance (free with
 * tm_instance_free()) or NULL with @error: TM_ERROR_IO (unreadable),
 * TM_ERROR_PARSE (not JSON, wrong types, missing name; the message names the
 * file, side, agent index/name and field), TM_ERROR_DUPLICATE (a name twice
 * on a side, or twice in one list), TM_ERROR_UNKNOWN_NAME (a preference that
 * names no agent of the other side), TM_ERROR_NEGATIVE_CAPACITY,
 * TM_ERROR_UNSUPPORTED (a tie), TM_ERROR_OVERFLOW, TM_ERROR_NO_MEMORY.
 */
TM_API TmInstance *tm_instance_load_json_file(const char *path, GError **error);

/** As tm_instance_load_json_file() from a buffer of @len bytes (-1: NUL
 * terminated); @source_name names the input in messages (may be NULL). */
TM_API TmInstance *tm_instance_load_json_data(const char *data, gssize len,
                                              const char *source_name, GError **error);

/** Frees an instance.  NULL-safe. */
TM_API void tm_instance_free(TmInstance *instance);

/** The market (borrowed; take a reference with tm_market_ref() to keep it). */
TM_API TmMarket *tm_instance_market(const TmInstance *instance);

/** Name of @agent on @side (borrowed), NULL when out of range. */
TM_API const char *tm_instance_name(const TmInstance *instance, TmSide side, int32_t agent);

/** Id of the agent called @name on @side, or -1. */
TM_API int32_t tm_instance_lookup(const TmInstance *instance, TmSide side, const char *name);

/**
 * tm_instance_load_matching_json_file:
 * Reads {"pairs": [[supply, demand], ...]} naming agents of @instance and
 * returns a new matching on its market (free with tm_matching_free()).
 * Errors: TM_ERROR_IO, TM_ERROR_PARSE, TM_ERROR_UNKNOWN_NAME,
 * TM_ERROR_DUPLICATE (a pair twice), with file and pair index in the message.
 */
TM_API TmMatching *tm_instance_load_matching_json_file(const TmInstance *instance,
                                                       const char *path, GError **error);

/** As above from a buffer (@len -1: NUL terminated). */
TM_API TmMatching *tm_instance_load_matching_json_data(const TmInstance *instance,
                                                       const char *data, gssize len,
                                                       const char *source_name,
                                                       GError **error);

/**
 * tm_instance_matching_to_json:
 * The solution document of DESIGN §6 as a new NUL-terminated UTF-8 string
 * (caller frees with g_free()):
 *   {"pairs": [[s, d], ...], "unmatched_supply": [...], "unmatched_demand": [...],
 *    "stable": bool, "blocking_pairs": [[s, d], ...], "violations": [...],
 *    "stats": {...}}
 * @matching must be on the instance's market.  Errors:
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.
 */
TM_API char *tm_instance_matching_to_json(const TmInstance *instance,
                                          const TmMatching *matching, GError **error);

/**
 * tm_instance_verdict_to_json:
 * {"stable": bool, "blocking_pairs": [[s, d], ...], "violations": [...]} for
 * @verdict on @instance, as a new string (g_free()).
 */
TM_API char *tm_instance_verdict_to_json(const TmInstance *instance,
                                         const TmVerdict *verdict, GError **error);

/**
 * tm_file_write_atomic:
 * Writes @len bytes to @path whole or not at all: a temporary file beside it
 * is written, flushed and renamed over @path.  On failure nothing is left
 * behind and @path is untouched.  Errors: TM_ERROR_IO.
 */
TM_API gboolean tm_file_write_atomic(const char *path, const char *data, gsize len,
                                     GError **error);

G_END_DECLS

#endif /* TECHMATCH_INSTANCE_H */
