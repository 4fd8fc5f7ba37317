/* techmatch — edge-list files: a market as one line per listed pair.
 *
 * The format (docs/edges.md) is plain text for large instances and for
 * timing other libraries on the very same instances: after optional
 * directives (`#! techmatch-edges 1`, `#! supply N`, `#! demand M`,
 * `#! capacity supply C`, `#! capacity demand AGENT C`, ...) a header line
 * `supply demand supply_rank demand_rank`, then one line per pair: supply
 * id, demand id, the rank the supply agent gives the demand agent and the
 * rank the demand agent gives back (integers >= 0, smaller = better, equal =
 * tie; `-` = that side does not list the pair).  `.tsv` and `.txt` files are
 * TAB separated, `.csv` files comma separated.
 *
 * Agents are numbers only (0..n-1); there are no names.  Reading is made for
 * size: the file is mapped, not copied, parsed by several threads in chunks
 * split at line boundaries, in two passes (count, then place each entry
 * straight into the market's arrays), and handed to
 * tm_market_new_take_arrays(), so the lists are never held twice.
 *
 * Reentrant: no global state; any number of threads may read or write
 * files at the same time.
 */
#ifndef TECHMATCH_EDGES_H
#define TECHMATCH_EDGES_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/instance.h>

G_BEGIN_DECLS

/**
 * TmEdgesOptions:
 * How to read an edge file.  A zero-filled struct (or NULL) means the
 * defaults.
 *
 * @threads: threads that parse (1..64), each a chunk of the file, however
 *     small; 0 = the default: 2 (or the number of processors if fewer), one
 *     per MiB at most.  The result never depends on it.
 * @separator: the field separator, '\t' or ','; 0 = from the file name's
 *     extension (.tsv, .txt: TAB; .csv: comma; any other extension is
 *     TM_ERROR_INVALID_ARGUMENT).
 * @supply_capacity, @demand_capacity: the capacity of every agent of that
 *     side that the file gives none (no `#! capacity SIDE C` directive and no
 *     per-agent directive); 0 = the format's default, 1; negative is
 *     TM_ERROR_NEGATIVE_CAPACITY.
 * @max_agents: a guard for untrusted files: more agents on a side (from a
 *     `#! supply N` directive or an id) is TM_ERROR_OUT_OF_RANGE before any
 *     memory is taken for them; 0 = INT32_MAX.
 */
typedef struct {
    int threads;
    char separator;
    int32_t supply_capacity;
    int32_t demand_capacity;
    int32_t max_agents;
} TmEdgesOptions;

/**
 * tm_market_read_edges:
 * Reads the edge file at @path (format: docs/edges.md) into a market.
 *
 * Each agent's list is ordered by the rank it gives (stable: equal ranks,
 * a tie, keep the file's order); lines may come in any order, and files in
 * the writer's order (supply-major, each supply agent's lines by its rank)
 * take a fast path.  A pair that one side does not list (`-`) is dropped
 * when the market is built and counted in tm_market_n_dropped().  Without
 * `#! supply N` / `#! demand M` a side has (largest id + 1) agents.
 *
 * @opt: may be NULL (defaults; see TmEdgesOptions).
 *
 * Returns: a new market (the caller frees it with tm_market_free()), or NULL
 * with @error: TM_ERROR_IO (cannot open or map the file), TM_ERROR_PARSE
 * (malformed text: bad or missing header, a bad directive, a missing or
 * extra field, a field that is not an integer >= 0 or `-`, a value beyond
 * INT32_MAX, a line with neither rank, an empty file), TM_ERROR_OUT_OF_RANGE
 * (an id not below the declared number of agents or beyond
 * @opt->max_agents), TM_ERROR_DUPLICATE (the same pair on two lines),
 * TM_ERROR_NEGATIVE_CAPACITY, TM_ERROR_OVERFLOW (more than INT32_MAX entries
 * on a side), TM_ERROR_NO_MEMORY, TM_ERROR_INVALID_ARGUMENT (NULL @path, an
 * unknown extension, bad options).  Messages start "PATH:LINE: " and name
 * the field (column name) at fault; a duplicate names both lines.  When a
 * file has several errors, the first in file order is reported, whatever
 * the number of threads.
 *
 * Time O(file size / threads + L + n), plus a sort of each list whose lines
 * are not in rank order and whose ranks are not 0..k-1.  Memory: the file
 * is mapped (page cache, not the heap); the heap peak while reading is
 * about 8 bytes per line (4 more when the supply lines are not in rank
 * order, 4 more when some demand list's ranks are not 0..k-1) plus about
 * 8 (threads + 1) bytes per agent, then what tm_market_new_take_arrays()
 * needs to build.
 */
TM_API TmMarket *tm_market_read_edges(const char *path, const TmEdgesOptions *opt,
                                      GError **error);

/**
 * tm_market_write_edges:
 * Writes @market to @path as an edge file (separator from the extension:
 * .csv comma, anything else TAB): `#! techmatch-edges 1`, the sizes, the
 * capacities (a default per side and a directive for each agent that
 * differs), the header, then every acceptable pair once, supply-major, each
 * supply agent's pairs in its list order, with the market's ranks (dense,
 * equal for ties).  Entries dropped when the market was built are not
 * written.  tm_market_read_edges() of the file gives back the same lists,
 * ranks and capacities.
 *
 * The write is atomic: a temporary file beside @path, flushed to disk, is
 * renamed over it; on failure @path is untouched.  An existing @path must be
 * a regular file.
 *
 * Returns TRUE, or FALSE with @error: TM_ERROR_INVALID_ARGUMENT (NULL
 * argument), TM_ERROR_IO (cannot write; not a regular file),
 * TM_ERROR_NO_MEMORY.  Time O(L + n); memory 4 L bytes (8 L with ties) of
 * scratch for the ranks plus a 1 MiB buffer.
 */
TM_API gboolean tm_market_write_edges(const TmMarket *market, const char *path, GError **error);

/**
 * tm_instance_load_edges_file:
 * As tm_market_read_edges(), as an instance whose agent names are their ids
 * in decimal ("0", "1", ...; tm_instance_lookup() takes them), with no
 * groups and no weights: what `techmatch solve FILE.tsv` solves.  Returns a
 * new instance (tm_instance_free()) or NULL with @error as
 * tm_market_read_edges().  Memory beyond the market: about 20 bytes per
 * agent for the names.
 */
TM_API TmInstance *tm_instance_load_edges_file(const char *path, const TmEdgesOptions *opt,
                                               GError **error);

G_END_DECLS

#endif /* TECHMATCH_EDGES_H */
