/* techmatch — caps and floors over groups of demand agents (core).
 *
 * A TmGroups object adds distributional constraints to a market: groups of
 * demand agents (e.g. all sites of one sector, or all sites of the
 * programme) with a *cap* on the number of assignments held by the group's
 * members together, and a *floor* (a number of seats of the enclosing
 * group's cap reserved for this group).  Groups must form a laminar family:
 * any two groups are disjoint or one contains the other.
 *
 * Priority.  Across sites, the demand side as a whole orders assignments
 * (contracts) by a fixed order: within a site, by the site's own preference;
 * across sites, by a priority over supply agents (e.g. merit; smaller value =
 * higher priority; NULL = all equal).  Precisely, contract (s, d) at rank r
 * of site d gets the key (e, r, d) where e is the best priority among the
 * supply agents d ranks at r or below (so the order never contradicts a
 * site's preference); smaller keys come first.
 *
 * Choice.  Offered a set of contracts, the demand side keeps the greedy
 * selection in key order subject to: each site's capacity; each group's cap;
 * and each floor: a group C with floor f inside parent P reserves
 * f' = min(f, reach(C)) of P's seats for C alone, where reach(C) is the most
 * C could ever hold (capacities and list lengths of its sites, its cap).
 * Seats of a top-level group are all its own.  This is the greedy basis of a
 * matroid (a gammoid), so the choice is substitutable and deferred acceptance
 * with it gives a stable outcome.
 *
 * Guarantee (tm_solve() with groups).  The result respects
 * every capacity, cap and reservation, and is *stable with respect to the
 * constraints*: no pair (s, d) such that s would take d (a free seat, or d is
 * better than its worst partner) and the demand side would keep (s, d) if it
 * were offered alongside the current assignment.  In particular no pair would
 * both rather be together where d has a free seat (or d would drop a worse
 * partner) and adding the pair breaks no cap or reservation.  It is the supply
 * side's optimal such outcome (for unit-demand supply agents).
 *
 * What is not promised: that no matched supply agent would rather *move* to
 * another site inside a full cap.  Such "move-stable" outcomes need not exist:
 * with a cap of 1 over two sites, c1: d1 > d2, c2: d2 > d1, d1: c2 > c1,
 * d2: c1 > c2, every feasible assignment is upset by a move or a swap.
 *
 * Floors: the result holds at least f' assignments in a group with effective
 * floor f' unless no supply agent wants more of it: if a group ends below f',
 * every supply agent that lists a site of the group with a free seat, and is
 * listed back, prefers its own assignment (or is full with better ones).
 * Reserved seats that nobody takes stay empty; they are never given to other
 * groups (a floor is a reservation, not a forced assignment).
 */
#ifndef TECHMATCH_GROUPS_H
#define TECHMATCH_GROUPS_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/solve.h>

G_BEGIN_DECLS

/**
 * tm_groups_new:
 * An empty set of groups for markets with @n_supply supply and @n_demand
 * demand agents.  Free with tm_groups_free().  Errors:
 * TM_ERROR_INVALID_ARGUMENT (negative sizes), TM_ERROR_NO_MEMORY.
 */
TM_API TmGroups *tm_groups_new(int32_t n_supply, int32_t n_demand, GError **error);

/** NULL-safe. */
TM_API void tm_groups_free(TmGroups *groups);

/**
 * tm_groups_add:
 * Adds a group of @n_members demand ids (copied) with @cap >= 0 and
 * 0 <= @floor <= @cap.  Only the group itself is checked here; whether the
 * family is laminar and its floors fit inside the caps are properties of the
 * whole family, checked by tm_groups_validate() (and by every solve and
 * audit), so the order in which groups are added never matters.
 * Returns the group index, or -1 with @error: TM_ERROR_INVALID_ARGUMENT
 * (NULL, floor out of range), TM_ERROR_OUT_OF_RANGE, TM_ERROR_DUPLICATE (a
 * member twice), TM_ERROR_NEGATIVE_CAPACITY, TM_ERROR_OVERFLOW,
 * TM_ERROR_NO_MEMORY.  Time O(n_members) (amortised).
 */
TM_API int32_t tm_groups_add(TmGroups *groups, const int32_t *members, int32_t n_members,
                             int32_t cap, int32_t floor, GError **error);

/**
 * tm_groups_validate:
 * Checks the family as a whole: laminar (any two groups are disjoint or one
 * contains the other) and, in the forest that results, the floors of each
 * group's sub-groups add up to at most its cap.  The answer does not depend on
 * the order the groups were added in.  On failure, @culprit (may be NULL)
 * receives the group at fault: for a crossing, the first group, in the order
 * added, that crosses an earlier one; for floors, the group whose sub-groups'
 * floors exceed its cap.  Errors: TM_ERROR_INVALID_ARGUMENT (NULL, not
 * laminar; the message names the two groups and a shared demand agent),
 * TM_ERROR_INFEASIBLE (floors), TM_ERROR_NO_MEMORY.  Time O(M log M) for M
 * memberships (O(M log M log G) to name the first crossing group).
 */
TM_API gboolean tm_groups_validate(const TmGroups *groups, int32_t *culprit, GError **error);

/**
 * tm_groups_set_priority:
 * Sets the priority of each supply agent (@n_supply values, copied; smaller
 * = higher priority, ties broken by the site order).  NULL clears it.
 * Errors: TM_ERROR_INVALID_ARGUMENT.
 */
TM_API gboolean tm_groups_set_priority(TmGroups *groups, const int32_t *priority,
                                       GError **error);

/** TRUE when a priority is set (tm_groups_set_priority()); FALSE for NULL.
 * O(1). */
TM_API gboolean tm_groups_has_priority(const TmGroups *groups);

/**
 * tm_groups_get_priority:
 * Copies the priority set by tm_groups_set_priority() (n_supply values) into
 * the caller's @out, which holds @capacity entries (for bindings and for
 * writing an instance back out).  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT for a NULL argument, no priority set
 * (tm_groups_has_priority()) or a buffer too small; nothing is written then.
 * Time O(n_supply).
 */
TM_API gboolean tm_groups_get_priority(const TmGroups *groups, int32_t *out, int64_t capacity,
                                       GError **error);

/** Number of groups (0 for NULL).  O(1). */
TM_API int32_t tm_groups_n(const TmGroups *groups);
/** Cap of group @g, -1 when out of range.  O(1). */
TM_API int32_t tm_groups_cap(const TmGroups *groups, int32_t g);
/** Floor of group @g as given (before trimming to what the group can
 * reach), -1 when out of range.  O(1). */
TM_API int32_t tm_groups_floor(const TmGroups *groups, int32_t g);
/** Members of group @g (borrowed, valid while @groups lives and no group is
 * added), count in @n; NULL when out of range.  O(1). */
TM_API const int32_t *tm_groups_members(const TmGroups *groups, int32_t g, int32_t *n);
/** Number of assignments that @matching holds at members of group @g (-1 on
 * bad arguments). */
TM_API int64_t tm_groups_count(const TmGroups *groups, int32_t g, const TmMatching *matching);

/**
 * tm_matching_check_groups:
 * Audits @matching under the groups: everything tm_matching_check() reports,
 * plus TM_VIOLATION_GROUP_OVER_CAP for a group over its cap or using seats
 * reserved for another group (agent = group index, count = assignments,
 * capacity = cap), and blocking pairs in the sense of the guarantee above
 * (a pair is blocking if the supply agent would take the site and the demand
 * side's choice from the current assignment plus that pair keeps it).
 * Returns a new verdict (tm_verdict_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY, TM_ERROR_UNSUPPORTED for a
 * market with ties (the demand side's choice under groups is defined on
 * strict lists; audit such a matching with tm_matching_check()).
 * Time O(L · (A + depth)) in the worst case, A = assignments held.
 */
TM_API TmVerdict *tm_matching_check_groups(const TmMatching *matching, const TmGroups *groups,
                                           GError **error);

G_END_DECLS

#endif /* TECHMATCH_GROUPS_H */
