/* techmatch — the deferred acceptance engine (private to the core).
 *
 * One engine runs every deferred acceptance: either side proposing, plain
 * receivers (each keeps its best proposals up to its capacity) or, with
 * groups, the demand side's joint choice under caps and floors
 * (groups_choice.c).  Its state can be run, changed and run again (resumed):
 * tm_i_da_break() frees a held proposer while its receiver keeps the seat
 * "occupied" at that rank, the step the lattice of stable matchings
 * (break-marriage) and tie-breaking need; tm_i_da_copy() forks a state.
 * tm_i_da_collect() builds the matching straight from the state.
 */
#ifndef TECHMATCH_CORE_DA_PRIVATE_H
#define TECHMATCH_CORE_DA_PRIVATE_H

#include "core/internal.h"

typedef struct TmDa TmDa;

/* A new engine state on @market (a reference is taken) with @proposing
 * proposing, every proposer free and nothing held.  @groups (may be NULL)
 * requires the supply side to propose.  Errors: TM_ERROR_UNSUPPORTED (ties;
 * groups with the demand side proposing), TM_ERROR_INVALID_ARGUMENT,
 * TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL TmDa *tm_i_da_new(TmMarket *market, TmSide proposing, const TmGroups *groups,
                                  GError **error);
G_GNUC_INTERNAL void tm_i_da_free(TmDa *da);

/* A deep copy of a plain (group-free) state; NULL with @error on failure
 * (TM_ERROR_NO_MEMORY, TM_ERROR_UNSUPPORTED for a state with groups). */
G_GNUC_INTERNAL TmDa *tm_i_da_copy(const TmDa *da, GError **error);

/* Runs until no free proposer has an entry left.  Checks @ctl's cancel
 * handle (and calls its progress callback) every 65,536 proposals and at the
 * end; on cancel returns FALSE with TM_ERROR_CANCELLED and the state stays
 * valid (it may be run again).  Time O(proposals · log c). */
G_GNUC_INTERNAL gboolean tm_i_da_run(TmDa *da, const TmControl *ctl, GError **error);

/* Receiver @r (plain states only) drops held proposer @who, keeping its seat
 * taken at @who's rank so that from now on it accepts only proposers it
 * ranks better (a phantom); @who is free again and queued.  Returns FALSE
 * when @r does not hold @who. */
G_GNUC_INTERNAL gboolean tm_i_da_break(TmDa *da, int32_t r, int32_t who);

/* Proposals made so far. */
G_GNUC_INTERNAL int64_t tm_i_da_proposals(const TmDa *da);

/* How tm_i_da_run() runs a plain state: -1 (the default) chooses by the
 * size of the solver's state, 0 one proposer at a time, 1 the pipeline of
 * many proposers in flight.  All give the same result; tests force each. */
G_GNUC_INTERNAL void tm_i_da_set_pipeline(TmDa *da, int mode);

/* The matching held now (phantoms left out), built straight from the state.
 * Errors: TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL TmMatching *tm_i_da_collect(const TmDa *da, GError **error);

#endif /* TECHMATCH_CORE_DA_PRIVATE_H */
