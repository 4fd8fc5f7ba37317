/* techmatch — named instances and the neutral JSON format.
 *
 * A TmInstance is a market plus the names of its agents (and, optionally,
 * groups with caps and floors): the bridge between the integer-id core and
 * files people write.  The JSON format (DESIGN §6):
 *
 *   {
 *     "supply": [ {"name": "c1", "capacity": 1, "prefs": ["s2", ["s1", "s3"]]} ],
 *     "demand": [ {"name": "s1", "capacity": 2, "prefs": ["c1"]} ],
 *     "groups": [ {"name": "food", "members": ["s1", "s3"], "cap": 3, "floor": 0} ],
 *     "priority": ["c3", "c1"]
 *   }
 *
 * Names are non-empty UTF-8 strings (any script), unique within a side.
 * `prefs` is most-preferred first and defaults to an empty list.  `capacity`
 * is a plain integer (not 2.0 or 1e2) and defaults to 1.
 *
 * Strict JSON (RFC 8259) only, read as a stream in 64 KiB chunks (memory
 * O(the market), not O(the file)): comments, single quotes, hex numbers,
 * NaN/Infinity, trailing commas, raw control characters, invalid UTF-8, a
 * lone surrogate escape, `\u0000` and the same key twice in one object are
 * TM_ERROR_PARSE with `file:line:column` (columns count characters from 1),
 * as is nesting deeper than 64 levels (the format needs 5).  A leading
 * UTF-8 byte order mark is skipped.  Faults are reported in file order;
 * names in lists (which may refer to agents further on) are checked at the
 * end: supply lists, demand lists, priority, groups.
 *
 * Ties: an entry of `prefs` may be a nested list of names, ranked equally:
 * `["s2", ["s1", "s3"], "s4"]` means s2 first, then s1 and s3 equally, then
 * s4 (tm_market_rank() gives s1 and s3 the same rank; tm_market_position()
 * keeps the file order).  A nested list of one name is just that name.  An
 * empty nested list or a list inside a tie is TM_ERROR_PARSE; a name may
 * appear once per list, ties included.  A tied instance loads and can be
 * audited (weak stability, see matching.h); solvers that need strict lists
 * refuse it with TM_ERROR_UNSUPPORTED (tm_solve()).
 *
 * Unknown members are ignored.  A pair is acceptable only if each side lists
 * the other.
 *
 * Groups (optional; see groups.h for what caps and floors mean):
 *   - `name`: required, non-empty, unique among groups; used in messages and
 *     in "group_over_cap" violations.
 *   - `members`: required list of demand names, each at most once (may be
 *     empty).
 *   - `cap`: required integer >= 0; `floor`: integer in [0, cap], default 0.
 *   - Groups must be laminar (any two are disjoint or one contains the
 *     other) and the floors of a group's sub-groups must fit in its cap.
 *   - Group g of tm_instance_groups() is the g-th entry of the list.
 * `priority` (optional): supply names, highest priority first; supply agents
 * not listed come after, in file order (so without it the priority is file
 * order).  It orders assignments across sites when a group cap binds
 * (tm_groups_set_priority()).  It is checked even without `groups`, where it
 * has no effect.
 *
 * Matching files:  {"pairs": [["c1", "s2"], ...]}  (other members ignored).
 */
#ifndef TECHMATCH_INSTANCE_H
#define TECHMATCH_INSTANCE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/groups.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>

G_BEGIN_DECLS

typedef struct TmInstance TmInstance;

/**
 * tm_instance_load_json_file:
 * Reads an instance from @path.  Returns a new instance (free with
 * tm_instance_free()) or NULL with @error: TM_ERROR_IO (unreadable),
 * TM_ERROR_PARSE (not JSON, wrong types, missing name or cap; the message
 * names the file, side and agent index/name — or groups[i] and the group's
 * name, or priority[j] — and the field), TM_ERROR_DUPLICATE (a name twice on
 * a side or among groups, or twice in one list), TM_ERROR_UNKNOWN_NAME (a
 * preference, group member or priority entry that names no agent),
 * TM_ERROR_NEGATIVE_CAPACITY (also a negative cap or floor),
 * TM_ERROR_INVALID_ARGUMENT (groups not laminar, floor above cap),
 * TM_ERROR_INFEASIBLE (the floors of a group's sub-groups exceed its cap),
 * TM_ERROR_OVERFLOW, TM_ERROR_NO_MEMORY (naming what could not be allocated
 * and how many bytes).  Ties load (see above); malformed ties are
 * TM_ERROR_PARSE naming the entry, e.g. `prefs[1][0]`.
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

/** The groups of the instance (borrowed, with the priority set), or NULL
 * when the document has no "groups" member.  An instance with groups is
 * solved with tm_solve(market, groups, ...) and audited with
 * tm_matching_check_groups(). */
TM_API const TmGroups *tm_instance_groups(const TmInstance *instance);

/** Name of group @group (borrowed), NULL when out of range or without groups. */
TM_API const char *tm_instance_group_name(const TmInstance *instance, int32_t group);

/** TRUE when the document had a "weights" member (FALSE for NULL).  O(1). */
TM_API gboolean tm_instance_has_weights(const TmInstance *instance);

/**
 * tm_instance_get_weights:
 * The pair weights of the document's optional member
 * "weights": [[supply name, demand name, number], ...] — one finite number
 * per acceptable pair, each pair at most once (pairs not given weigh 0) —
 * as one weight per entry of the supply side's reduced lists (the order of
 * tm_market_get_lists(); what tm_lattice_max_weight() takes), copied into
 * @out (caller owned, @capacity >= tm_market_n_pairs() entries).  Reading
 * the document refuses a weight for an unknown name (TM_ERROR_UNKNOWN_NAME),
 * for a pair that is not acceptable (TM_ERROR_INVALID_ARGUMENT), a pair given
 * twice (TM_ERROR_DUPLICATE) and anything but such triples (TM_ERROR_PARSE).
 * Returns FALSE with TM_ERROR_INVALID_ARGUMENT for a NULL instance, one
 * without weights or a buffer too small.  Time O(L).
 */
TM_API gboolean tm_instance_get_weights(const TmInstance *instance, double *out,
                                        int64_t capacity, GError **error);

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
 * The audit ("stable", "blocking_pairs", "violations") is
 * tm_matching_check_groups() under the instance's groups when it has any,
 * else tm_matching_check().  A group over its cap appears as
 * {"kind": "group_over_cap", "group": NAME, "assignments": n, "cap": c,
 *  "reason": "over_cap" | "uses_reserved_seats"} — the second when the group
 * is within its cap but fills seats its sub-groups' floors reserve.
 * @matching must be on the instance's market.  Errors:
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.
 */
TM_API char *tm_instance_matching_to_json(const TmInstance *instance,
                                          const TmMatching *matching, GError **error);

/**
 * tm_instance_verdict_to_json:
 * {"stable": bool, "blocking_pairs": [[s, d], ...], "violations": [...]} for
 * @verdict on @instance, as a new string (g_free()).  Violations use names
 * (groups by their names).  Errors: TM_ERROR_INVALID_ARGUMENT (an id out of
 * range for the instance), TM_ERROR_NO_MEMORY.
 */
TM_API char *tm_instance_verdict_to_json(const TmInstance *instance,
                                         const TmVerdict *verdict, GError **error);

/**
 * tm_file_write_atomic:
 * Writes @len bytes to @path whole or not at all: a temporary file beside it
 * is written, flushed and renamed over @path.  On failure nothing is left
 * behind and @path is untouched.  An existing @path must be a regular file:
 * a symbolic link (not followed), FIFO, device, socket or folder is refused
 * untouched ("PATH: is a FIFO (named pipe); only a regular file is
 * replaced").  Errors: TM_ERROR_IO.
 */
TM_API gboolean tm_file_write_atomic(const char *path, const char *data, gsize len,
                                     GError **error);

G_END_DECLS

#endif /* TECHMATCH_INSTANCE_H */
