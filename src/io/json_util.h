/* techmatch — JSON helpers shared by the documents the library writes
 * (private, not installed). */
#ifndef TECHMATCH_IO_JSON_UTIL_H
#define TECHMATCH_IO_JSON_UTIL_H

#include <json-glib/json-glib.h>
#include <techmatch/matching.h>

/* Adds one side's statistics as a JSON object (the "supply"/"demand"
 * members of the documents' "stats"). */
G_GNUC_INTERNAL void tm_i_json_add_side_stats(JsonBuilder *b, const TmSideStats *st);

#endif /* TECHMATCH_IO_JSON_UTIL_H */
