/* techmatch — private definitions of the selection (not installed).  Shared
 * by selection.c (the pipeline and accessors) and selection_reasons.c (the
 * outcome and reason of every agent). */
#ifndef TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H
#define TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/groups.h>
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

#include "core/control.h"

struct TmSelectOptions {
    int32_t k;
    TmObjective objective;
    gboolean objective_set;    /* set explicitly: the documents state it */
    TmStability stability;
    gboolean max_cardinality;
    gboolean random_ties;
    uint64_t tie_seed;
    TmReview *review;          /* a private copy, or NULL */
    TmControl ctl; /* progress and cancel (core/control.h) */
};

struct TmSelection {
    TmProgramme *prog;      /* a reference */
    TmRules *rules;         /* a private copy */
    TmQuota *quota;         /* a private copy (empty when none was given) */
    int32_t n[2];           /* agents covered: the programme's counts at selection time */
    int32_t quota_total;
    TmScreening *screening;
    TmMarket *market;
    TmGroups *groups;
    int32_t global_group;   /* -1 when no quota */
    int32_t n_sectors;
    int32_t *sector_group;  /* per sector, -1 when none */
    int32_t *group_sector;  /* per group, -1 for the global group */
    int32_t *sector_cap;    /* per sector: the configured cap, -1 when none */
    int32_t *sector_floor;  /* per sector: the configured floor, 0 when none */
    TmMatching *matching;
    TmVerdict *verdict;
    TmScorer *scorer;
    TmObjective objective;
    gboolean objective_requested;
    double objective_value;
    TmStability stability;
    int *outcome[2];
    char **detail[2];
    int32_t n_selected;
    /* the admission in merit order (selection_admission.c) */
    TmQuotaUnit unit;
    int64_t quota_used;
    int32_t cutoff;         /* first commissioner cut by the quota, -1 when none */
    int32_t *merit_pos;     /* per commissioner: place in the admission order, -1 */
    int32_t *outranked_site, *outranked_by; /* per commissioner, -1 when none */
};

/* Refuses, before anything is built, an objective that cannot be met under
 * the selection's quota and sector limits (selection_objective.c). */
G_GNUC_INTERNAL gboolean tm_i_selection_check_objective(TmSelection *selection,
                                                        const TmSelectOptions *options,
                                                        GError **error);
/* Step 4 with the objective and stability of @options: sets the matching,
 * its objective value and the verdict (selection_objective.c). */
G_GNUC_INTERNAL gboolean tm_i_selection_solve(TmSelection *selection,
                                              const TmSelectOptions *options, GError **error);

/* Fills outcome[], detail[] and n_selected from the matching.  Returns FALSE
 * with TM_ERROR_NO_MEMORY when an input-sized array cannot be allocated. */
G_GNUC_INTERNAL gboolean tm_i_selection_explain(TmSelection *selection, GError **error);

/* tm_i_try_alloc(): the non-aborting allocator (error.h's policy) */
#include "util/alloc.h"

#endif /* TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H */
