/* techmatch — maximum flow / minimum s-t cut (private to the core).
 *
 * Dinic's algorithm (Dinic 1970) on real capacities: BFS levels over the
 * residual graph, then blocking flows by an iterative depth-first search
 * (no recursion, so long chains of rotations cannot exhaust the stack).
 * A residual capacity at or below @eps counts as zero.  Time O(V² E), memory
 * O(V + E).  Written for the rotation poset (lattice.h) because Debian has
 * no maintained C min-cut library under an MIT-compatible licence.
 */
#ifndef TECHMATCH_CORE_MINCUT_PRIVATE_H
#define TECHMATCH_CORE_MINCUT_PRIVATE_H

#include "core/internal.h"

typedef struct TmFlow TmFlow;

/* A network of @n nodes and no arcs.  NULL with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL TmFlow *tm_i_flow_new(int32_t n, GError **error);
G_GNUC_INTERNAL void tm_i_flow_free(TmFlow *f);

/* Makes room for @arcs more arcs at once (optional: tm_i_flow_add() grows
 * the network as needed).  FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_flow_reserve(TmFlow *f, int64_t arcs, GError **error);

/* Adds the arc u -> v of capacity @cap >= 0.  FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_flow_add(TmFlow *f, int32_t u, int32_t v, double cap,
                                       GError **error);

/* Maximum flow from @s to @t (arcs may not be added afterwards); *@value
 * receives it.  @source_side (n entries, may be NULL) gets 1 for the nodes
 * reachable from @s in the final residual graph — the source side of the
 * minimum cut with the fewest nodes — else 0.  FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_flow_max(TmFlow *f, int32_t s, int32_t t, double eps,
                                       double *value, guint8 *source_side, GError **error);

#endif /* TECHMATCH_CORE_MINCUT_PRIVATE_H */
